#include "appeals/extras/demo_appeals.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "appeals/appeal_service.h"
#include "appeals/calendar.h"
#include "appeals/metrics.h"
#include "appeals/workflow.h"
#include "core/text.h"

namespace lianxin::appeals {
namespace {

using storage::Null;
using storage::Params;
using storage::Row;
using storage::Session;
using storage::Value;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 86'400'000;

constexpr std::string_view kHechuan = "500117";
constexpr int64_t kHechuanAccepted = 4600;  // the seed: 4,600+ accepted
constexpr int64_t kHechuanResolved = 4586;  // the seed: 4,586 resolved
// Appeals per 10,000 residents a year elsewhere (Hechuan's own rate is about 37).
constexpr double kRatePer10k = 45.0;

constexpr int64_t kAppealsPerTransaction = 10'000;
constexpr size_t kAppealRowsPerInsert = 8;
constexpr size_t kEventRowsPerInsert = 32;

constexpr std::string_view kAccessAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// --- SQL ---
constexpr std::string_view kCountAppeals = "SELECT COUNT(*) FROM appeals";
constexpr std::string_view kDistricts =
    "SELECT id, path, name, code FROM units WHERE kind = 'district_bureau' AND active = 1 AND "
    "code IS NOT NULL AND code <> '' ORDER BY code, id";
constexpr std::string_view kStations =
    "SELECT id, path, name, parent_id FROM units WHERE kind = 'station' AND active = 1 "
    "ORDER BY id";
constexpr std::string_view kParentOf = "SELECT parent_id FROM units WHERE id = $1";
constexpr std::string_view kCategoryCodes =
    "SELECT code FROM appeal_categories WHERE active = 1 ORDER BY sort_order, code";
constexpr std::string_view kCalendarDays = "SELECT day, kind, name FROM calendar_days ORDER BY day";
constexpr std::string_view kDeadlineRows =
    "SELECT kind, acknowledge_hours, reply_working_days, resolve_working_days FROM "
    "deadline_settings";
constexpr std::string_view kAppealInsertHead =
    "INSERT INTO appeals (id, tracking_number, access_code_hash, kind, category, channel, state, "
    "resolved, text, citizen_name_sealed, citizen_phone_sealed, citizen_phone_hash, "
    "publish_reply, district_code, address, channel_ref_sealed, channel_ref_hash, source_url, "
    "unit_id, unit_path, ack_text, reply_text, replied_at, acknowledged_at, accepted_day, rating, "
    "rating_comment, rated_at, ever_unsatisfied, rectification_task, rectification_deadline, "
    "rectification_result, rectified_at, follow_up_count, closed_at, reopened_count, "
    "ack_deadline, reply_deadline, resolve_deadline, due_at, warn_at, warned_at, escalated_at, "
    "version, created_at, updated_at) VALUES ";
constexpr size_t kAppealColumns = 46;
constexpr std::string_view kEventInsertHead =
    "INSERT INTO appeal_events (appeal_id, at, actor_kind, account_id, actor_name, unit_id, "
    "action, from_state, to_state, public, note, data) VALUES ";
constexpr size_t kEventColumns = 12;
constexpr std::string_view kNotificationInsertHead =
    "INSERT INTO notifications (account_id, unit_id, kind, appeal_id, message, created_at) "
    "VALUES ";
constexpr size_t kNotificationColumns = 6;
constexpr std::string_view kUpsertSequence =
    "INSERT INTO appeal_sequences (day, last_value) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE "
    "SET last_value = CASE WHEN excluded.last_value > appeal_sequences.last_value THEN "
    "excluded.last_value ELSE appeal_sequences.last_value END";
constexpr std::string_view kSyncIdentity =
    "SELECT setval(pg_get_serial_sequence('appeals', 'id'), (SELECT MAX(id) FROM appeals))";

// SplitMix64, as in org's demo data: small, fast and the same everywhere.
class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(Next() % uint64_t(n)); }
  int64_t Between(int64_t low, int64_t high) { return low + Below(high - low + 1); }
  double Unit() { return double(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }
  template <class T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[size_t(Below(int64_t(N)))];
  }

 private:
  uint64_t state_;
};

// --- the districts: residents (10,000s, 2020 census, rounded) and how urban they are ---
struct DistrictProfile {
  std::string_view code;
  double residents;         // 10,000s
  double intensity;         // central districts draw more appeals per resident, counties fewer
  std::string_view places;  // '|'-separated landmarks used in texts
};
constexpr std::array<DistrictProfile, 38> kProfiles = {{
    {"500101", 156, 1.0, "高笋塘|五桥|万州港|太白岩"},
    {"500102", 115, 1.0, "李渡|江东|涪陵广场|白鹤梁"},
    {"500103", 59, 3.0,
     "解放碑|解放碑步行街|朝天门|较场口|十八梯|洪崖洞|大坪|两路口|上清寺|李子坝"},
    {"500104", 42, 1.3, "九宫庙|新山村|双山|茄子溪"},
    {"500105", 93, 1.6, "观音桥步行街|观音桥|江北嘴|北滨路|大石坝|五里店|鸿恩寺"},
    {"500106", 148, 1.6, "三峡广场|磁器口古镇|大学城|小龙坎|歌乐山"},
    {"500107", 153, 1.6, "杨家坪步行街|杨家坪|石桥铺|谢家湾|黄桷坪|九龙滩"},
    {"500108", 119, 1.6, "南坪|弹子石老街|南山|四公里|茶园|长生桥"},
    {"500109", 83, 1.3, "缙云山|天生|蔡家|北温泉"},
    {"500110", 101, 1.0, "古南|文龙|三江"},
    {"500111", 83, 1.0, "龙岗|棠香|大足石刻景区"},
    {"500112", 219, 1.6, "两路|龙溪|回兴|礼嘉|大竹林|江北机场|光电园"},
    {"500113", 118, 1.3, "鱼洞|李家沱|界石|龙洲湾"},
    {"500114", 49, 1.0, "城西|濯水古镇|正阳"},
    {"500115", 69, 1.0, "凤城|晏家|长寿湖"},
    {"500116", 136, 1.0, "几江|德感|双福|滨江新城"},
    {"500117", 124, 1.0, "钓鱼城|南津街|合阳城|草街|文峰古街|滨江公园"},
    {"500118", 114, 1.0, "中山路|胜利路|茶山竹海|兴龙湖"},
    {"500119", 58, 1.0, "东城|西城|金佛山"},
    {"500120", 76, 1.0, "璧城|璧泉|秀湖公园"},
    {"500151", 69, 1.0, "巴川|东城|安居古城"},
    {"500152", 69, 1.0, "梓潼|桂林|双江古镇"},
    {"500153", 67, 1.0, "昌元|昌州|万灵古镇"},
    {"500154", 120, 1.0, "汉丰湖|云枫|文峰"},
    {"500155", 65, 1.0, "梁山|双桂|百里竹海"},
    {"500156", 36, 1.0, "巷口|仙女山|芙蓉洞"},
    {"500229", 19, 0.8, "葛城|复兴|亢谷"},
    {"500230", 56, 0.8, "三合|名山|丰都鬼城"},
    {"500231", 65, 0.8, "桂溪|桂阳|牡丹湖"},
    {"500233", 72, 0.8, "忠州|白公|石宝寨"},
    {"500235", 93, 0.8, "双江|青龙|张飞庙"},
    {"500236", 74, 0.8, "永安|鱼复|白帝城"},
    {"500237", 46, 0.8, "高唐|龙门|小三峡"},
    {"500238", 39, 0.8, "柏杨|城厢|红池坝"},
    {"500240", 39, 0.7, "南宾|万安|黄水"},
    {"500241", 50, 0.7, "中和|乌杨|洪安古镇"},
    {"500242", 61, 0.7, "桃花源|钟多|龚滩古镇"},
    {"500243", 49, 0.7, "汉葭|绍庆|阿依河"},
}};

const DistrictProfile* ProfileOf(std::string_view code) {
  for (const auto& p : kProfiles) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

// --- texts ---
constexpr std::array<std::string_view, 60> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "谭", "廖", "向", "冉", "秦", "熊", "雷", "龙", "黎", "贺"};
constexpr std::array<std::string_view, 48> kGivenChars = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "英", "华", "建", "国", "志", "文", "斌", "宇", "浩", "凯", "鹏",
    "辉", "婷", "雪", "琳", "晨", "欣", "宁", "博", "峰", "亮", "海", "波", "红", "玉", "兰", "渝"};
constexpr std::array<std::string_view, 12> kStreets = {"人民路", "中山路", "解放路", "建设路",
                                                       "新华路", "民生路", "和平路", "文化路",
                                                       "滨江路", "长江路", "嘉陵路", "学府大道"};
constexpr std::array<std::string_view, 5> kVenues = {"KTV", "烧烤摊", "酒吧", "广场舞队伍",
                                                     "麻将馆"};
constexpr std::array<std::string_view, 4> kLateHours = {"十一点多", "十二点", "凌晨一点",
                                                        "凌晨两点"};
constexpr std::array<std::string_view, 4> kColors = {"白色", "黑色", "蓝色", "红色"};
constexpr std::array<std::string_view, 4> kFakeOrgs = {"公安局民警", "快递客服", "银行客服",
                                                       "电商平台客服"};
constexpr std::array<std::string_view, 4> kFraudThings = {"银行卡", "医保卡", "快递", "身份证"};
constexpr std::array<std::string_view, 5> kBeatIssues = {"楼道电动车充电", "小区门禁坏了",
                                                         "邻里纠纷", "停车难", "老人走失"};
constexpr std::array<std::string_view, 6> kAckTexts = {
    "您好，您的诉求已受理，我们将尽快核实处理并答复您。",
    "您反映的问题已收悉，已转相关单位办理，请耐心等待答复。",
    "您好，诉求已受理，承办民警将在规定时限内与您联系。",
    "感谢您的留言，我们已受理并将及时处理。",
    "您好，已收到您的反映，正在安排核查。",
    "诉求已受理，处理进展可凭编号和查询码查看。"};
constexpr std::array<std::string_view, 4> kVerifyNotes = {
    "社区民警已到现场核实，情况属实，已拍照留存。", "已电话联系反映人了解详细情况。",
    "调取周边监控进行核查，已固定相关证据。", "已联系相关单位和经营者了解情况。"};
constexpr std::array<std::string_view, 3> kReopenReasons = {
    "问题又出现了，希望再处理一下。", "答复后情况没有改善。", "还有一些疑问需要进一步说明。"};
constexpr std::array<std::string_view, 3> kUnsatisfiedComments = {
    "处理太慢了，问题没有根本解决。", "答复内容不够具体。", "现场情况还是老样子。"};
constexpr std::array<std::string_view, 4> kSatisfiedComments = {"处理及时，谢谢民警同志！", "",
                                                                "答复很清楚，满意。", "辛苦了。"};

// A text and its reply with placeholders: {place} a landmark of the district, {district} its
// name, {station} a station, {other} another district, {street}, {venue}, {late}, {color},
// {org}, {thing}, {officer}, {issue}.
struct Template {
  AppealKind kind;
  std::string_view category;
  int weight;
  std::string_view text;
  std::string_view reply;
};
constexpr std::array<Template, 26> kTemplates = {{
    {AppealKind::kComplaint, "noise", 8,
     "{place}附近的{venue}每天晚上{late}"
     "还在大声放音乐、喧哗，严重影响周边居民休息，希望派出所管一管。",
     "您反映的{place}"
     "附近夜间噪音问题已收悉。辖区派出所已到现场对经营者进行劝导并责令整改，今后将加强夜间巡查。如"
     "再发生，可随时拨打110反映。"},
    {AppealKind::kComplaint, "noise", 3,
     "{place}旁边的工地晚上十点以后还在施工，噪音很大，老人小孩都睡不着。",
     "经核查，该工地存在夜间违规施工情况，已会同城管部门责令其停止夜间施工，并将持续关注。"},
    {AppealKind::kReport, "public_order", 7,
     "我的{color}电动车昨天晚上停在{place}附近被盗了，已经报过警，想问一下案件有没有进展。",
     "您的电动车被盗案件已立案侦查，办案民警正在调取周边监控，有进展会第一时间与您联系。也提醒您尽"
     "量将车辆停放在有监控的集中停放点。"},
    {AppealKind::kConsultation, "household", 8,
     "我户口在{other}，想把户口迁到{district}，请问户籍迁移需要准备哪些材料？能不能网上办？",
     "您好，办理户口迁入需携带居民户口簿、居民身份证及迁入地住所证明等材料，可通过“重庆公安”微信公"
     "众号预约，或到{station}户籍窗口办理，跨省迁移已实行“一站式”办理。"},
    {AppealKind::kConsultation, "household", 5,
     "孩子刚出生，请问新生儿上户口需要带哪些材料？可以在医院直接办吗？",
     "您好，新生儿落户需携带《出生医学证明》、父母双方户口簿和身份证、结婚证。本市部分医院已开通“出"
     "生一件事”联办，也可到户籍所在地派出所办理。"},
    {AppealKind::kConsultation, "household", 5,
     "身份证丢了，请问补办需要多久？外地户口能在{district}补办吗？",
     "您好，居民身份证补领已实现全国“跨省通办”，可在{district}"
     "任一户籍窗口办理，一般20个工作日内制证完成，可申请临时身份证。"},
    {AppealKind::kConsultation, "exit_entry", 6,
     "护照快到期了，请问在{district}哪里可以办理换发？需要预约吗？大概多久能拿到？",
     "您好，护照换发可在{district}"
     "出入境接待大厅或全市任一出入境窗口办理，建议通过“移民局12367”公众号预约，一般7个工作日内制证"
     "完成，可选择邮寄。"},
    {AppealKind::kConsultation, "exit_entry", 4,
     "想去香港旅游，港澳通行证的签注可以在自助机上办吗？{place}附近有没有自助签注机？",
     "您好，持电子往来港澳通行证可在自助签注机办理签注，{district}"
     "出入境接待大厅设有24小时自助区，办理即时出证。"},
    {AppealKind::kConsultation, "exit_entry", 2,
     "外籍朋友来{district}玩几天，住在我家里，需要办理住宿登记吗？",
     "您好，境外人员住宿在居民家中的，应当在入住后24小时内由本人或留宿人到就近派出所办理住宿登记，"
     "也可通过网上平台申报。"},
    {AppealKind::kReport, "fraud", 7,
     "今天接到一个自称是{org}的电话，说我的{thing}"
     "涉嫌违法，要我把钱转到“安全账户”，我没有转，感觉是诈骗，向你们反映一下。",
     "感谢您的警惕和反映！这是典型的冒充身份类诈骗，公安机关不会通过电话要求转账到“安全账户”。您提"
     "供的线索已报送反诈中心处置，建议下载“国家反诈中心”APP。"},
    {AppealKind::kReport, "fraud", 3,
     "我妈妈在{place}附近被人推销所谓的“保健品”，花了好几千块钱，怀疑是诈骗，请帮忙调查。",
     "已安排民警核查该推销点，并联系市场监管部门联合检查。涉嫌诈骗的已立案调查，请保留好购买凭证"
     "。"},
    {AppealKind::kSuggestion, "traffic", 5,
     "{place}路口的红绿灯时间太短，行人绿灯只有十几秒，老人根本走不过去，建议延长行人过街时间。",
     "您的建议已转交交巡警部门。经现场测算，已将该路口行人绿灯时间由15秒调整为25秒，感谢您对交通管"
     "理工作的关心。"},
    {AppealKind::kComplaint, "traffic", 5,
     "{place}周边乱停车现象严重，经常堵住消防通道和小区出入口，希望加强管理。",
     "已安排交巡警加强该路段巡逻和违停查处，并协调增设禁停标志。如遇堵塞消防通道，可拨打122反映。"},
    {AppealKind::kConsultation, "traffic", 4,
     "驾驶证快到期了，换证需要重新体检吗？可以在网上办理吗？",
     "您好，驾驶证期满换证需提交体检证明，可通过“交管12123”APP在线申请，体检可在指定医疗机构办理，"
     "新证将邮寄到家。"},
    {AppealKind::kReport, "traffic", 2,
     "{street}上有一辆车已经停了两个多月没动过，像是僵尸车，占了车位。",
     "经核查，该车辆长期停放占用公共车位，已通知车主限期挪走，逾期将依法拖移处理。"},
    {AppealKind::kPraise, "service", 6,
     "{station}的社区民警{officer}工作认真负责，上个月帮我们小区解决了{issue}"
     "的问题，还多次上门回访，特此表扬！",
     "感谢您的肯定和鼓励！您的表扬已转达{station}，我们将继续做好社区警务工作。"},
    {AppealKind::kPraise, "service", 3,
     "感谢{station}的民警，前天我家老人在{place}走失，民警两个小时就帮我们找到了，真的太感谢了！",
     "感谢您的信任！帮助群众是我们应该做的，也提醒您可为老人佩戴防走失手环或联系卡。"},
    {AppealKind::kPraise, "traffic", 2, "{place}的交巡警下雨天还坚守在路口指挥交通，辛苦了，点赞！",
     "感谢您对交巡警工作的理解和支持，我们将继续守护市民平安出行。"},
    {AppealKind::kComplaint, "service", 3,
     "在{station}办事时窗口工作人员态度不好，材料要求也没有一次说清楚，让我跑了两趟。",
     "非常抱歉给您带来不便。经核查，已对相关工作人员进行批评教育，并在窗口公示一次性告知清单。欢迎"
     "继续监督。"},
    {AppealKind::kReport, "public_order", 3, "{place}附近有人聚众赌博，经常半夜吵闹，请派人查处。",
     "接到反映后，派出所已组织警力开展清查，依法查处了该处赌博活动，将持续加强巡查。"},
    {AppealKind::kSuggestion, "public_order", 3,
     "建议在{place}到{street}那一段增设监控探头和路灯，晚上回家那段路太黑了。",
     "您的建议已收悉，派出所已会同街道对该路段进行查看，已纳入今年“雪亮工程”补点计划。"},
    {AppealKind::kConsultation, "public_order", 2,
     "准备在{street}开一家小旅馆，需要办理哪些治安方面的手续？",
     "您好，开办旅馆需向辖区公安机关申领《特种行业许可证》，并安装旅馆业治安管理信息系统，具体材料"
     "可咨询{station}。"},
    {AppealKind::kSuggestion, "fraud", 2,
     "建议多到{place}这样的老旧小区开展防诈骗宣传，很多老年人不会用手机APP。",
     "感谢您的建议！辖区派出所将联合社区在{place}"
     "开展防诈骗宣传进社区活动，并上门为老年人讲解常见骗局。"},
    {AppealKind::kReport, "other", 2,
     "{place}附近有一处井盖松动了，晚上走路很危险，请相关部门处理。",
     "您反映的情况已转交市政部门处理，现场已设置警示标志，井盖已于次日完成更换。"},
    {AppealKind::kConsultation, "other", 2, "请问在哪里可以开具无犯罪记录证明？需要本人去吗？",
     "您好，无犯罪记录证明可通过“重庆公安”微信公众号在线申请，也可到户籍所在地派出所办理，可委托他"
     "人代办。"},
    {AppealKind::kSuggestion, "service", 2,
     "建议{station}周末也开放户籍窗口，上班族平时没时间去办事。",
     "感谢您的建议！{station}已试行周六上午户籍窗口轮值服务，具体时间以派出所公告为准。"},
}};

constexpr std::array<std::pair<Channel, int>, 8> kChannelWeights = {{
    {Channel::kWechat, 34},
    {Channel::kWeb, 24},
    {Channel::kHotline, 20},
    {Channel::kWeibo, 7},
    {Channel::kForum, 5},
    {Channel::kEvent, 5},
    {Channel::kSurvey, 3},
    {Channel::kOpen311, 2},
}};

// Relative submissions per hour of the day (+08:00).
constexpr std::array<int, 24> kHourWeights = {10, 5,  3,  2,  2,  3,  8,  20, 40, 60, 70, 70,
                                              60, 60, 70, 70, 60, 50, 50, 60, 60, 50, 30, 20};

std::string Replace(std::string_view text, std::string_view key, std::string_view value) {
  std::string out;
  size_t i = 0;
  while (true) {
    size_t j = text.find(key, i);
    if (j == std::string_view::npos) break;
    out.append(text.substr(i, j - i));
    out.append(value);
    i = j + key.size();
  }
  out.append(text.substr(i));
  return out;
}

std::string SyntheticName(Prng& rng) {
  std::string name(rng.Pick(kSurnames));
  int given = rng.Below(3) == 0 ? 1 : 2;
  for (int i = 0; i < given; ++i) name += rng.Pick(kGivenChars);
  return name;
}

std::string Pad(int64_t value, int width) {
  std::string s = std::to_string(value);
  if (int(s.size()) < width) s.insert(0, size_t(width) - s.size(), '0');
  return s;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// --- the plan ---
struct Station {
  UnitId id = 0;
  std::string path;
  std::string name;
};

struct District {
  UnitId id = 0;
  UnitId parent_id = 0;  // the city bureau: where escalations of the bureau's own steps go
  std::string path;
  std::string name;
  std::string code;
  std::string short_name;  // "合川区"
  std::vector<Station> stations;
  std::vector<std::string> places;
  int64_t accepted_target = 0;
  int64_t pending = 0;
  size_t counts_index = 0;
};

enum PlanFlag : uint8_t { kPending = 1, kForceResolved = 2 };

struct Planned {
  int64_t created = 0;
  uint64_t seed = 0;
  uint32_t district = 0;
  uint8_t flags = 0;
};

struct Context {
  int64_t now = 0;
  int64_t window_start = 0;
  WorkingCalendar calendar;
  std::array<DeadlineSettings, 5> settings;
  std::vector<District> districts;
  std::vector<std::string> categories;  // active codes
  std::string fallback_category;
  const DataProtector* protector = nullptr;
};

struct Event {
  int64_t at = 0;
  std::string_view actor_kind;  // "staff", "citizen", "system"
  std::string actor_name;
  std::optional<UnitId> unit;
  std::string action;
  std::optional<AppealState> from;
  std::optional<AppealState> to;
  bool is_public = false;
  std::string note;
  std::string data = "{}";
};

struct Notice {
  UnitId unit_id = 0;
  std::string_view kind;
  int64_t at = 0;
};

// One generated appeal: its row as the service would have left it, and its timeline.
struct Generated {
  std::string tracking_number;
  std::string access_code;
  AppealKind kind = AppealKind::kConsultation;
  std::string category;
  Channel channel = Channel::kWeb;
  AppealState state = AppealState::kSubmitted;
  bool resolved = false;
  std::string text;
  std::string citizen_name;
  std::string citizen_phone;
  std::string channel_ref;
  std::string source_url;
  bool publish_reply = false;
  std::string district_code;
  std::string address;
  UnitId unit_id = 0;
  std::string unit_path;
  UnitId parent_unit_id = 0;
  std::string ack_text;
  std::string reply_text;
  std::optional<int64_t> replied_at, acknowledged_at, accepted_day;
  std::optional<Rating> rating;
  std::string rating_comment;
  std::optional<int64_t> rated_at;
  bool ever_unsatisfied = false;
  std::string rectification_task;
  std::optional<int64_t> rectification_deadline;
  std::string rectification_result;
  std::optional<int64_t> rectified_at;
  int64_t follow_up_count = 0;
  std::optional<int64_t> closed_at;
  int64_t reopened_count = 0;
  int64_t ack_deadline = 0, reply_deadline = 0, resolve_deadline = 0;
  std::optional<int64_t> due_at, warn_at, warned_at, escalated_at;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<Event> events;
  std::vector<Notice> notices;
};

const DeadlineSettings& SettingsFor(const Context& ctx, AppealKind kind) {
  return ctx.settings[size_t(kind)];
}

// Simulates one appeal from its seed: the citizen's submission, the unit's handling, the
// citizen's rating and the deadline job, step by step until "now".
Generated Simulate(const Context& ctx, const Planned& plan) {
  Prng rng(plan.seed);
  const District& d = ctx.districts[plan.district];
  const bool hechuan = d.code == kHechuan;
  const bool force = (plan.flags & kForceResolved) != 0;
  const int64_t now = ctx.now;
  Generated g;
  g.created_at = plan.created;
  g.updated_at = plan.created;
  g.district_code = d.code;
  g.unit_id = d.id;
  g.unit_path = d.path;
  g.parent_unit_id = d.parent_id;

  // What the citizen sent.
  int total = 0;
  for (const auto& t : kTemplates) total += t.weight;
  int64_t pick = rng.Below(total);
  const Template* tpl = &kTemplates[0];
  for (const auto& t : kTemplates) {
    if (pick < t.weight) {
      tpl = &t;
      break;
    }
    pick -= t.weight;
  }
  g.kind = tpl->kind;
  g.category = std::string(tpl->category);
  if (std::find(ctx.categories.begin(), ctx.categories.end(), g.category) == ctx.categories.end()) {
    g.category = ctx.fallback_category;
  }
  int64_t cw = rng.Below(100);
  for (const auto& [channel, weight] : kChannelWeights) {
    if (cw < weight) {
      g.channel = channel;
      break;
    }
    cw -= weight;
  }
  const std::string& place = d.places[size_t(rng.Below(int64_t(d.places.size())))];
  const Station* station =
      d.stations.empty() ? nullptr : &d.stations[size_t(rng.Below(int64_t(d.stations.size())))];
  std::string station_name = station ? station->name : d.name;
  const District& other = ctx.districts[size_t(rng.Below(int64_t(ctx.districts.size())))];
  std::string street(rng.Pick(kStreets));
  const std::string officer = std::string(rng.Pick(kSurnames)) + "警官";  // "王警官"
  auto fill = [&](std::string_view text) {
    std::string s(text);
    s = Replace(s, "{place}", place);
    s = Replace(s, "{district}", d.short_name);
    s = Replace(s, "{station}", station_name);
    s = Replace(s, "{other}", other.code == d.code ? "外省" : other.short_name);
    s = Replace(s, "{street}", street);
    s = Replace(s, "{venue}", rng.Pick(kVenues));
    s = Replace(s, "{late}", rng.Pick(kLateHours));
    s = Replace(s, "{color}", rng.Pick(kColors));
    s = Replace(s, "{org}", rng.Pick(kFakeOrgs));
    s = Replace(s, "{thing}", rng.Pick(kFraudThings));
    s = Replace(s, "{officer}", officer);
    s = Replace(s, "{issue}", rng.Pick(kBeatIssues));
    return s;
  };
  g.text = fill(tpl->text);
  std::string reply = fill(tpl->reply);
  g.address = "重庆市" + d.short_name + place + "附近";
  if (rng.Chance(0.72)) g.citizen_name = SyntheticName(rng);
  if (g.channel == Channel::kHotline || rng.Chance(0.65)) {
    g.citizen_phone = "1390000" + Pad(rng.Below(10'000), 4);
  }
  switch (g.channel) {
    case Channel::kWechat: {
      static constexpr std::string_view kIdChars =
          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
      g.channel_ref = "oDEMO";
      for (int i = 0; i < 23; ++i) g.channel_ref += kIdChars[size_t(rng.Below(64))];
      break;
    }
    case Channel::kHotline:
      g.channel_ref = g.citizen_phone;
      break;
    case Channel::kOpen311:
      g.channel_ref = "demo-app:device-" + Pad(rng.Below(1'000'000), 6);
      break;
    case Channel::kWeibo:
      g.source_url = "https://weibo.demo.invalid/status/" + std::to_string(rng.Next() >> 20);
      break;
    case Channel::kForum:
      g.source_url = "https://forum.demo.invalid/thread/" + std::to_string(rng.Below(9'000'000));
      break;
    default:
      break;
  }
  g.publish_reply = rng.Chance(g.kind == AppealKind::kPraise ? 0.7 : 0.4);
  for (size_t i = 0; i < 6; ++i) g.access_code += kAccessAlphabet[size_t(rng.Below(31))];

  const DeadlineSettings& settings = SettingsFor(ctx, g.kind);
  Deadlines deadlines = ComputeDeadlines(ctx.calendar, settings, g.created_at);
  g.ack_deadline = deadlines.acknowledge;
  g.reply_deadline = deadlines.reply;
  g.resolve_deadline = deadlines.resolve;

  // The step bookkeeping of AppealService (StartStep).
  auto start_step = [&](std::optional<int64_t> due, int64_t from) {
    g.due_at = due;
    g.warn_at = due ? std::optional<int64_t>(ctx.calendar.WarningPoint(from, *due)) : std::nullopt;
    g.warned_at.reset();
    g.escalated_at.reset();
  };
  const std::string district_user = "demo." + d.code;
  std::string handler_user = district_user;
  auto staff = [&](int64_t at, WorkflowAction action, AppealState to, bool is_public,
                   std::string note, std::string data) {
    g.events.push_back(Event{at, "staff", handler_user, g.unit_id,
                             std::string(WorkflowActionName(action)), g.state, to, is_public,
                             std::move(note), std::move(data)});
    g.state = to;
    ++g.version;
    g.updated_at = at;
  };
  auto citizen = [&](int64_t at, WorkflowAction action, AppealState to, std::string note,
                     std::string data) {
    g.events.push_back(Event{at, "citizen", "", std::nullopt,
                             std::string(WorkflowActionName(action)), g.state, to, true,
                             std::move(note), std::move(data)});
    g.state = to;
    ++g.version;
    g.updated_at = at;
  };
  // The deadline job up to `until` (exclusive, never past now): warn at 80%, escalate when due.
  auto job = [&](int64_t until) {
    until = std::min(until, now);
    if (!IsOpen(g.state) || g.state == AppealState::kReplied) return;
    if (g.warn_at && !g.warned_at && *g.warn_at < until) {
      int64_t at = *g.warn_at + rng.Between(0, 10 * kMinute);
      if (at < until) {
        g.warned_at = at;
        g.events.push_back(Event{at, "system", "", std::nullopt, "warn", g.state, g.state});
        if (at >= now - 30 * kDay) g.notices.push_back({g.unit_id, "warning", at});
      }
    }
    if (g.due_at && !g.escalated_at && *g.due_at < until) {
      int64_t at = *g.due_at + rng.Between(0, 10 * kMinute);
      if (at < until) {
        g.escalated_at = at;
        if (!g.warned_at) g.warned_at = at;
        UnitId target = g.parent_unit_id != 0 ? g.parent_unit_id : g.unit_id;
        g.events.push_back(Event{at, "system", "", std::nullopt, "escalate", g.state, g.state,
                                 false, "", "{\"to_unit_id\":" + std::to_string(target) + "}"});
        if (at >= now - 30 * kDay) g.notices.push_back({target, "escalation", at});
      }
    }
  };
  // Runs the job until `at`; false (and the job until now) when `at` is still in the future.
  auto reach = [&](int64_t at) {
    job(at);
    return at <= now;
  };

  g.events.push_back(Event{g.created_at, "citizen", "", std::nullopt, "submit", std::nullopt,
                           AppealState::kSubmitted, true, "",
                           "{\"channel\":\"" + std::string(ChannelName(g.channel)) + "\"}"});
  start_step(g.ack_deadline, g.created_at);
  if (plan.flags & kPending) {
    job(now);
    return g;
  }

  // 受理: within hours (Hechuan: within two), a few late elsewhere.
  int64_t t = g.created_at;
  if (hechuan) {
    t += rng.Between(5 * kMinute, 2 * kHour);
  } else if (rng.Chance(0.03)) {
    t += rng.Between(25 * kHour, 40 * kHour);
  } else {
    t += rng.Between(10 * kMinute, 9 * kHour);
  }
  if (!reach(t)) return g;
  g.ack_text = std::string(rng.Pick(kAckTexts));
  g.acknowledged_at = t;
  g.accepted_day = LocalYmd(t);
  bool ack_on_time = t <= g.ack_deadline;
  staff(t, WorkflowAction::kAcknowledge, AppealState::kAcknowledged, true, g.ack_text,
        std::string("{\"on_time\":") + (ack_on_time ? "true" : "false") + "}");
  start_step(g.reply_deadline, g.created_at);

  // 分派 to a station (most), else the bureau handles it itself.
  if (station && rng.Chance(0.75)) {
    t += rng.Between(5 * kMinute, 3 * kHour);
    if (hechuan) t = std::min(t, now - 2 * kMinute);
    if (!reach(t)) return g;
    std::string data = "{\"from_unit_id\":" + std::to_string(g.unit_id) +
                       ",\"to_unit_id\":" + std::to_string(station->id) + ",\"to_unit_name\":\"" +
                       JsonEscape(station->name) + "\"}";
    staff(t, WorkflowAction::kAssign, AppealState::kAssigned, false, "请核实后答复", data);
    g.unit_id = station->id;
    g.unit_path = station->path;
    g.parent_unit_id = d.id;
    handler_user = district_user + "." + std::to_string(station->id);
    if (rng.Chance(g.kind == AppealKind::kComplaint || g.kind == AppealKind::kReport ? 0.6
                                                                                     : 0.15)) {
      t += rng.Between(1 * kHour, 30 * kHour);
      if (hechuan) t = std::min(t, now - kMinute);
      if (!reach(t)) return g;
      staff(t, WorkflowAction::kVerify, AppealState::kVerifying, false,
            std::string(rng.Pick(kVerifyNotes)), "{\"photo_ids\":[]}");
    }
  }

  // 答复: on time nearly always; a few late; a few still overdue (never Hechuan's).
  const bool recent = g.created_at >= now - 40 * kDay && g.created_at <= now - 8 * kDay;
  if (!hechuan && recent && rng.Chance(0.02)) {
    job(now);  // stuck: past the reply deadline, escalated
    return g;
  }
  if (hechuan) {
    t += rng.Between(30 * kMinute, 20 * kHour);
    t = std::min(t, std::min(g.reply_deadline - kHour, now - rng.Between(1, 60) * kMinute));
    t = std::max(t, g.events.back().at + kMinute);
  } else if (rng.Chance(0.02)) {
    t = std::max(t, g.reply_deadline) + rng.Between(2 * kHour, 72 * kHour);
  } else {
    t += rng.Between(1 * kHour, 48 * kHour);
    if (t > g.reply_deadline) t = g.reply_deadline - rng.Between(1 * kHour, 6 * kHour);
    t = std::max(t, g.events.back().at + kMinute);
  }
  if (!reach(t)) return g;
  g.reply_text = reply;
  g.replied_at = t;
  g.due_at.reset();
  g.warn_at.reset();
  staff(t, WorkflowAction::kReply, AppealState::kReplied, true, reply,
        std::string("{\"on_time\":") + (t <= g.reply_deadline ? "true" : "false") + "}");

  // The citizen's rating (or none: auto-closed after 7 days by the job).
  auto close_positive = [&](int64_t at, Rating rating) {
    g.rating = rating;
    g.rating_comment =
        rating == Rating::kSatisfied ? std::string(rng.Pick(kSatisfiedComments)) : "";
    g.rated_at = at;
    g.resolved = true;
    g.closed_at = at;
    citizen(at, WorkflowAction::kRatePositive, AppealState::kClosed, g.rating_comment,
            "{\"rating\":\"" + std::string(RatingName(rating)) + "\"}");
    start_step(std::nullopt, at);
  };
  int64_t fate = rng.Below(100);
  if (force && fate >= 76) fate = 0;
  t += force ? std::min(rng.Between(20 * kMinute, 72 * kHour),
                        std::max<int64_t>(kMinute, (now - t) / 2))
             : rng.Between(20 * kMinute, 72 * kHour);
  if (fate < 76) {
    if (!reach(t)) return g;
    close_positive(t, fate < 62 ? Rating::kSatisfied : Rating::kBasicallySatisfied);
  } else if (fate < 79) {
    // 不满意 → 整改 → 回访 → closed.
    if (!reach(t)) return g;
    g.rating = Rating::kUnsatisfied;
    g.rating_comment = std::string(rng.Pick(kUnsatisfiedComments));
    g.rated_at = t;
    g.ever_unsatisfied = true;
    int64_t deadline = ctx.calendar.AddWorkingDays(t, settings.resolve_working_days);
    g.rectification_deadline = deadline;
    citizen(t, WorkflowAction::kRateUnsatisfied, AppealState::kRectifying, g.rating_comment,
            "{\"rating\":\"unsatisfied\"}");
    start_step(deadline, t);
    if (!reach(t += rng.Between(1 * kHour, 24 * kHour))) return g;
    g.rectification_task = "针对群众不满意事项，由承办单位负责人牵头整改，限期反馈整改结果。";
    staff(t, WorkflowAction::kSetRectification, AppealState::kRectifying, false,
          g.rectification_task, "{\"deadline\":" + std::to_string(deadline) + "}");
    start_step(deadline, t);
    t += rng.Between(1 * kDay, 10 * kDay);
    t = std::min(t, deadline - kHour);
    t = std::max(t, g.events.back().at + kMinute);
    if (!reach(t)) return g;
    g.rectification_result = "已按要求完成整改，并向群众当面说明处理情况。";
    g.rectified_at = t;
    g.due_at.reset();
    g.warn_at.reset();
    staff(t, WorkflowAction::kCompleteRectification, AppealState::kFollowUp, true,
          g.rectification_result, "{}");
    if (!reach(t += rng.Between(2 * kHour, 72 * kHour))) return g;
    ++g.follow_up_count;
    g.closed_at = t;
    g.resolved = true;
    std::string data = "{\"channel\":\"phone\",\"visited_at\":" + std::to_string(t - kHour) +
                       ",\"visited_by\":\"" + JsonEscape(officer) + "\"}";
    staff(t, WorkflowAction::kRecordFollowUp, AppealState::kClosed, false,
          "电话回访，群众对整改结果表示认可。", data);
    return g;
  } else {
    t = *g.replied_at + kAutoCloseDays * kDay + rng.Between(1 * kMinute, 30 * kMinute);
    if (!reach(t)) return g;
    g.resolved = true;
    g.closed_at = t;
    g.events.push_back(Event{t, "system", "", std::nullopt, "auto_close", AppealState::kReplied,
                             AppealState::kClosed, true});
    g.state = AppealState::kClosed;
    ++g.version;
    g.updated_at = t;
    g.due_at.reset();
    g.warn_at.reset();
  }

  // A few are reopened within 15 days, answered again and closed.
  if (force || !rng.Chance(0.006)) return g;
  if (hechuan && *g.closed_at > now - 20 * kDay) return g;
  t = *g.closed_at + rng.Between(1 * kDay, 14 * kDay);
  if (!reach(t)) return g;
  g.resolved = false;
  g.closed_at.reset();
  ++g.reopened_count;
  g.replied_at.reset();
  g.rating.reset();
  g.rated_at.reset();
  g.rating_comment.clear();
  g.reply_deadline = ctx.calendar.AddWorkingDays(t, settings.reply_working_days);
  g.resolve_deadline = ctx.calendar.AddWorkingDays(t, settings.resolve_working_days);
  citizen(t, WorkflowAction::kReopen, AppealState::kAssigned, std::string(rng.Pick(kReopenReasons)),
          "{}");
  start_step(g.reply_deadline, t);
  t += rng.Between(4 * kHour, 60 * kHour);
  t = std::min(t, g.reply_deadline - kHour);
  if (!reach(t)) return g;
  g.reply_text = reply + "针对您再次反映的情况，我们已再次组织核查并跟进处理。";
  g.replied_at = t;
  g.due_at.reset();
  g.warn_at.reset();
  staff(t, WorkflowAction::kReply, AppealState::kReplied, true, g.reply_text, "{\"on_time\":true}");
  if (!reach(t += rng.Between(1 * kHour, 48 * kHour))) return g;
  close_positive(t, Rating::kSatisfied);
  return g;
}

// --- writing ---

// Multi-row INSERT statements of a fixed shape, flushed every `rows_per_insert` rows (the
// SQLite backend caches the prepared statement per text, so full batches reuse one).
class BatchInsert {
 public:
  // `parent`, when given, is flushed first (its rows are referenced by ours).
  BatchInsert(std::string_view head, size_t columns, size_t rows_per_insert,
              BatchInsert* parent = nullptr)
      : head_(head), columns_(columns), rows_per_insert_(rows_per_insert), parent_(parent) {}

  Status Add(Session& s, Params row) {
    for (auto& v : row) params_.push_back(std::move(v));
    if (++rows_ == rows_per_insert_) return Flush(s);
    return {};
  }
  Status Flush(Session& s) {
    if (rows_ == 0) return {};
    if (parent_ != nullptr) {
      if (auto ok = parent_->Flush(s); !ok) return ok;
    }
    auto done = s.Execute(Sql(rows_), params_);
    params_.clear();
    rows_ = 0;
    if (!done) return std::unexpected(done.error());
    return {};
  }

 private:
  const std::string& Sql(size_t rows) {
    auto it = std::find_if(sql_.begin(), sql_.end(), [&](auto& p) { return p.first == rows; });
    if (it != sql_.end()) return it->second;
    std::string sql(head_);
    size_t n = 0;
    for (size_t r = 0; r < rows; ++r) {
      sql += r ? ",(" : "(";
      for (size_t c = 0; c < columns_; ++c) {
        if (c) sql += ',';
        sql += '$';
        sql += std::to_string(++n);
      }
      sql += ')';
    }
    sql_.emplace_back(rows, std::move(sql));
    return sql_.back().second;
  }

  std::string_view head_;
  size_t columns_;
  size_t rows_per_insert_;
  BatchInsert* parent_;
  size_t rows_ = 0;
  Params params_;
  std::vector<std::pair<size_t, std::string>> sql_;
};

Value Opt(const std::optional<int64_t>& v) { return storage::Optional(v); }

Params AppealRow(const Generated& g, int64_t id, const DataProtector& protector) {
  std::string ref_hash =
      g.channel_ref.empty()
          ? ""
          : protector.LookupHash(std::string(ChannelName(g.channel)) + ":" + g.channel_ref);
  return Params{
      id,
      g.tracking_number,
      protector.LookupHash("appeal-access:" + g.tracking_number + ":" + g.access_code),
      std::string(KindName(g.kind)),
      g.category,
      std::string(ChannelName(g.channel)),
      std::string(StateName(g.state)),
      int64_t{g.resolved ? 1 : 0},
      g.text,
      protector.Seal(g.citizen_name),
      protector.Seal(g.citizen_phone),
      g.citizen_phone.empty() ? std::string() : protector.LookupHash(g.citizen_phone),
      int64_t{g.publish_reply ? 1 : 0},
      g.district_code,
      g.address,
      protector.Seal(g.channel_ref),
      ref_hash,
      g.source_url,
      g.unit_id,
      g.unit_path,
      g.ack_text,
      g.reply_text,
      Opt(g.replied_at),
      Opt(g.acknowledged_at),
      Opt(g.accepted_day),
      g.rating ? Value(std::string(RatingName(*g.rating))) : Null(),
      g.rating_comment,
      Opt(g.rated_at),
      int64_t{g.ever_unsatisfied ? 1 : 0},
      g.rectification_task,
      Opt(g.rectification_deadline),
      g.rectification_result,
      Opt(g.rectified_at),
      g.follow_up_count,
      Opt(g.closed_at),
      g.reopened_count,
      g.ack_deadline,
      g.reply_deadline,
      g.resolve_deadline,
      Opt(g.due_at),
      Opt(g.warn_at),
      Opt(g.warned_at),
      Opt(g.escalated_at),
      g.version,
      g.created_at,
      g.updated_at,
  };
}

Params EventRow(const Event& e, int64_t appeal_id) {
  return Params{appeal_id,
                e.at,
                std::string(e.actor_kind),
                Null(),
                e.actor_name,
                e.unit ? Value(*e.unit) : Null(),
                e.action,
                e.from ? Value(std::string(StateName(*e.from))) : Null(),
                e.to ? Value(std::string(StateName(*e.to))) : Null(),
                int64_t{e.is_public ? 1 : 0},
                e.note,
                e.data};
}

Result<Context> LoadContext(Session& s, const DataProtector& protector, int64_t now) {
  Context ctx;
  ctx.now = now;
  ctx.protector = &protector;
  ctx.window_start = LocalDayStart(LocalDayNumber(now) - 364);

  auto days = s.Query(kCalendarDays);
  if (!days) return std::unexpected(days.error());
  std::vector<CalendarDay> calendar;
  for (const auto& r : *days) {
    CalendarDay day{r.Text(0), DayKind::kHoliday, r.Text(2)};
    ParseDayKind(r.Text(1), day.kind);
    calendar.push_back(std::move(day));
  }
  ctx.calendar = WorkingCalendar(calendar);
  for (AppealKind k : kAllKinds) ctx.settings[size_t(k)].kind = k;
  auto settings = s.Query(kDeadlineRows);
  if (!settings) return std::unexpected(settings.error());
  for (const auto& r : *settings) {
    AppealKind k{};
    if (!ParseKind(r.Text(0), k)) continue;
    auto& d = ctx.settings[size_t(k)];
    d.acknowledge_hours = int(r.Int(1));
    d.reply_working_days = int(r.Int(2));
    d.resolve_working_days = int(r.Int(3));
  }

  auto categories = s.Query(kCategoryCodes);
  if (!categories) return std::unexpected(categories.error());
  for (const auto& r : *categories) ctx.categories.push_back(r.Text(0));
  if (ctx.categories.empty()) {
    return MakeError(ErrorCode::kNotFound, "There is no active appeal category.");
  }
  ctx.fallback_category =
      std::find(ctx.categories.begin(), ctx.categories.end(), "other") != ctx.categories.end()
          ? "other"
          : ctx.categories.front();

  auto districts = s.Query(kDistricts);
  if (!districts) return std::unexpected(districts.error());
  for (const auto& r : *districts) {
    District d;
    d.id = r.Int(0);
    d.path = r.Text(1);
    d.name = r.Text(2);
    d.code = r.Text(3);
    d.short_name = d.name;
    for (std::string_view suffix : {"分局", "公安局"}) {
      if (d.short_name.size() > suffix.size() && d.short_name.ends_with(suffix)) {
        d.short_name.resize(d.short_name.size() - suffix.size());
        break;
      }
    }
    auto parent = s.QueryOne(kParentOf, {d.id});
    if (!parent) return std::unexpected(parent.error());
    if (*parent && !(*parent)->IsNull(0)) d.parent_id = (*parent)->Int(0);
    ctx.districts.push_back(std::move(d));
  }
  if (ctx.districts.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "There is no district bureau with a code: load the demo organisation first.");
  }
  auto stations = s.Query(kStations);
  if (!stations) return std::unexpected(stations.error());
  for (const auto& r : *stations) {
    UnitId parent = r.Int(3);
    for (auto& d : ctx.districts) {
      if (d.id == parent) d.stations.push_back({r.Int(0), r.Text(1), r.Text(2)});
    }
  }
  return ctx;
}

// Where the citizen says it happened: the district's landmarks, else a few generic places.
void SetPlaces(District& d, const DistrictProfile* profile) {
  if (profile) {
    for (auto p : Split(profile->places, '|')) d.places.emplace_back(p);
  }
  if (d.places.empty()) {
    std::string stem = d.short_name;
    for (std::string_view suffix : {"区", "县"}) {
      if (stem.ends_with(suffix)) stem.resize(stem.size() - suffix.size());
    }
    for (std::string_view p : {"城区", "老街", "汽车站", "人民广场", "滨江路"}) {
      d.places.push_back(stem + std::string(p));
    }
  }
}

// A submission time in [from, to): more by day than by night, fewer at weekends.
int64_t DrawTime(Prng& rng, int64_t from, int64_t to) {
  if (to <= from) return from;
  for (int attempt = 0; attempt < 64; ++attempt) {
    int64_t t = from + rng.Below(to - from);
    int64_t local = t + 8 * kHour;
    int hour = int((local / kHour) % 24);
    int64_t weekday = (LocalDayNumber(t) + 4) % 7;  // 1970-01-01 was a Thursday: 0 = Sunday
    double weight = kHourWeights[size_t(hour)] / 70.0;
    if (weekday == 0 || weekday == 6) weight *= 0.75;
    if (rng.Unit() < weight) return t;
  }
  return from + rng.Below(to - from);
}

}  // namespace

Status LoadAppealsDemo(storage::Database& database, const DataProtector& protector,
                       const Clock& clock, double scale, DemoAppealsSummary* out) {
  if (!(scale >= 0.001 && scale <= 10)) {
    return InvalidFields({{"scale", "must be between 0.001 and 10"}});
  }
  const int64_t now = clock.NowMillis();
  auto loaded = database.Read<Context>([&](Session& s) -> Result<Context> {
    auto count = s.QueryOne(kCountAppeals);
    if (!count) return std::unexpected(count.error());
    if (*count && (*count)->Int(0) > 0) {
      return MakeError(ErrorCode::kConflict, "The database already has appeals.");
    }
    return LoadContext(s, protector, now);
  });
  if (!loaded) return std::unexpected(loaded.error());
  Context& ctx = *loaded;

  DemoAppealsSummary summary;
  summary.from_date = DayNumberToDate(LocalDayNumber(ctx.window_start));
  summary.to_date = DayNumberToDate(LocalDayNumber(now));

  // How many appeals each district receives, and when.
  Prng rng(0x4C69616E78696E33ULL);  // "Lianxin3"
  std::vector<Planned> plan;
  for (size_t i = 0; i < ctx.districts.size(); ++i) {
    District& d = ctx.districts[i];
    const DistrictProfile* profile = ProfileOf(d.code);
    SetPlaces(d, profile);
    double yearly = d.code == kHechuan ? double(kHechuanAccepted)
                    : profile          ? profile->residents * profile->intensity * kRatePer10k
                                       : 60 * kRatePer10k;
    d.accepted_target = std::max<int64_t>(1, std::llround(yearly * scale));
    d.pending = std::max<int64_t>(1, std::llround(double(d.accepted_target) * 0.002));
    d.counts_index = summary.districts.size();
    summary.districts.push_back(DemoDistrictCounts{d.code, d.name});
    const int64_t latest = now - (d.code == kHechuan ? 12 * kHour : 30 * kMinute);
    for (int64_t n = 0; n < d.accepted_target; ++n) {
      plan.push_back({DrawTime(rng, ctx.window_start, latest), rng.Next(), uint32_t(i), 0});
    }
    for (int64_t n = 0; n < d.pending; ++n) {
      plan.push_back(
          {now - rng.Between(5 * kMinute, 5 * kHour), rng.Next(), uint32_t(i), kPending});
    }
  }
  std::sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) {
    return a.created != b.created ? a.created < b.created : a.seed < b.seed;
  });

  // Hechuan's outcome is the seed's: every accepted appeal replied, and all but
  // 4,600 − 4,586 (scaled) resolved. Appeals left open by chance beyond that number (the
  // oldest first) are given a rating that closes them.
  for (size_t i = 0; i < ctx.districts.size(); ++i) {
    const District& d = ctx.districts[i];
    if (d.code != kHechuan) continue;
    int64_t keep_open =
        d.accepted_target - std::llround(double(d.accepted_target) * double(kHechuanResolved) /
                                         double(kHechuanAccepted));
    std::vector<size_t> open;
    for (size_t p = plan.size(); p-- > 0;) {
      if (plan[p].district != i || (plan[p].flags & kPending)) continue;
      Generated g = Simulate(ctx, plan[p]);
      if (!g.resolved) open.push_back(p);
    }
    for (size_t k = size_t(std::max<int64_t>(0, keep_open)); k < open.size(); ++k) {
      plan[open[k]].flags |= kForceResolved;
    }
  }

  // Tracking numbers: "YJ" + yyyymmdd + the day's sequence, in submission order.
  std::vector<std::pair<int64_t, int64_t>> sequences;  // (yyyymmdd, last value)
  int64_t next_id = 1;
  const bool postgres = database.dialect() == storage::Dialect::kPostgres;
  for (size_t begin = 0; begin < plan.size(); begin += size_t(kAppealsPerTransaction)) {
    size_t end = std::min(plan.size(), begin + size_t(kAppealsPerTransaction));
    DemoAppealsSummary partial;  // merged after the commit
    auto written = database.Write<void>([&](Session& s) -> Status {
      partial = DemoAppealsSummary{};
      partial.districts = summary.districts;
      for (auto& c : partial.districts) c = DemoDistrictCounts{c.code, c.name};
      auto seqs = sequences;
      BatchInsert appeals(kAppealInsertHead, kAppealColumns, kAppealRowsPerInsert);
      BatchInsert events(kEventInsertHead, kEventColumns, kEventRowsPerInsert, &appeals);
      BatchInsert notices(kNotificationInsertHead, kNotificationColumns, 200, &appeals);
      for (size_t p = begin; p < end; ++p) {
        const Planned& planned = plan[p];
        Generated g = Simulate(ctx, planned);
        int64_t ymd = LocalYmd(g.created_at);
        if (seqs.empty() || seqs.back().first != ymd) seqs.emplace_back(ymd, 0);
        int64_t seq = ++seqs.back().second;
        g.tracking_number = "YJ" + std::to_string(ymd) + Pad(seq, 6);
        int64_t id = next_id + int64_t(p);
        if (auto ok = appeals.Add(s, AppealRow(g, id, protector)); !ok) return ok;
        for (const auto& e : g.events) {
          if (auto ok = events.Add(s, EventRow(e, id)); !ok) return ok;
        }
        if (IsOpen(g.state)) {
          for (const auto& n : g.notices) {
            if (auto ok = notices.Add(
                    s, Params{Null(), n.unit_id, std::string(n.kind), id, g.tracking_number, n.at});
                !ok) {
              return ok;
            }
            ++partial.notifications;
          }
        }

        // The summary.
        const District& d = ctx.districts[planned.district];
        auto& dc = partial.districts[d.counts_index];
        ++partial.appeals;
        ++dc.appeals;
        partial.events += int64_t(g.events.size());
        ++partial.by_state[g.state];
        if (g.acknowledged_at) {
          ++partial.accepted;
          ++dc.accepted;
          if (g.replied_at) {
            ++partial.replied;
            ++dc.replied;
          }
          if (g.resolved && g.state == AppealState::kClosed) {
            ++partial.resolved;
            ++dc.resolved;
          }
        }
        if (g.publish_reply && g.replied_at) ++partial.published;
        if (IsOpen(g.state) && g.due_at && *g.due_at <= now) ++partial.overdue;
        if (IsOpen(g.state) && g.escalated_at) ++partial.escalated;
        if (g.rectified_at) ++partial.rectified;
        if (g.reopened_count > 0) ++partial.reopened;
        DemoAppealSample sample{g.tracking_number, g.access_code, g.state, g.district_code};
        if (partial.samples.size() < 3) partial.samples.resize(3);
        if (d.code == kHechuan && g.state == AppealState::kClosed &&
            g.rating == Rating::kSatisfied && g.publish_reply) {
          partial.samples[0] = sample;
        } else if (g.state == AppealState::kReplied) {
          partial.samples[1] = sample;
        } else if (g.state == AppealState::kAssigned || g.state == AppealState::kVerifying) {
          partial.samples[2] = sample;
        }
      }
      for (BatchInsert* b : {&appeals, &events, &notices}) {
        if (auto ok = b->Flush(s); !ok) return ok;
      }
      for (size_t i = 0; i < seqs.size(); ++i) {
        if (i < sequences.size() && seqs[i] == sequences[i]) continue;
        auto done = s.Execute(kUpsertSequence, {seqs[i].first, seqs[i].second});
        if (!done) return std::unexpected(done.error());
      }
      if (postgres) {
        auto synced = s.Query(kSyncIdentity);
        if (!synced) return std::unexpected(synced.error());
      }
      sequences = std::move(seqs);
      return {};
    });
    if (!written) return written;
    summary.appeals += partial.appeals;
    summary.events += partial.events;
    summary.accepted += partial.accepted;
    summary.replied += partial.replied;
    summary.resolved += partial.resolved;
    summary.published += partial.published;
    summary.overdue += partial.overdue;
    summary.escalated += partial.escalated;
    summary.rectified += partial.rectified;
    summary.reopened += partial.reopened;
    summary.notifications += partial.notifications;
    for (auto& [state, n] : partial.by_state) summary.by_state[state] += n;
    for (size_t i = 0; i < summary.districts.size(); ++i) {
      auto& a = summary.districts[i];
      const auto& b = partial.districts[i];
      a.appeals += b.appeals;
      a.accepted += b.accepted;
      a.replied += b.replied;
      a.resolved += b.resolved;
    }
    if (summary.samples.size() < 3) summary.samples.resize(3);
    for (size_t i = 0; i < 3 && i < partial.samples.size(); ++i) {
      if (!partial.samples[i].tracking_number.empty()) summary.samples[i] = partial.samples[i];
    }
  }
  // The metrics rollup follows the appeals written here (AppealMetrics::Rebuild's contract).
  auth::AccessPolicy no_policy(nullptr);
  AppealMetrics metrics(database, no_policy);
  if (auto rebuilt = metrics.Rebuild(); !rebuilt) return rebuilt;

  // Keep only the samples found.
  std::erase_if(summary.samples, [](const auto& s) { return s.tracking_number.empty(); });
  for (const auto& c : summary.districts) {
    if (c.code == kHechuan) summary.hechuan = c;
  }
  if (out != nullptr) *out = std::move(summary);
  return {};
}

}  // namespace lianxin::appeals
