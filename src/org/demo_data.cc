#include "org/demo_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "org/model.h"
#include "org/repositories.h"

namespace lianxin::org {
namespace {

using storage::Session;

constexpr std::array<ChongqingDistrict, 38> kDistricts = {{
    {"500101", "万州区", DistrictKind::kDistrict, "万州"},
    {"500102", "涪陵区", DistrictKind::kDistrict, "涪陵"},
    {"500103", "渝中区", DistrictKind::kDistrict, "渝中"},
    {"500104", "大渡口区", DistrictKind::kDistrict, "大渡口"},
    {"500105", "江北区", DistrictKind::kDistrict, "江北"},
    {"500106", "沙坪坝区", DistrictKind::kDistrict, "沙坪坝"},
    {"500107", "九龙坡区", DistrictKind::kDistrict, "九龙坡"},
    {"500108", "南岸区", DistrictKind::kDistrict, "南岸"},
    {"500109", "北碚区", DistrictKind::kDistrict, "北碚"},
    {"500110", "綦江区", DistrictKind::kDistrict, "綦江"},
    {"500111", "大足区", DistrictKind::kDistrict, "大足"},
    {"500112", "渝北区", DistrictKind::kDistrict, "渝北"},
    {"500113", "巴南区", DistrictKind::kDistrict, "巴南"},
    {"500114", "黔江区", DistrictKind::kDistrict, "黔江"},
    {"500115", "长寿区", DistrictKind::kDistrict, "长寿"},
    {"500116", "江津区", DistrictKind::kDistrict, "江津"},
    {"500117", "合川区", DistrictKind::kDistrict, "合川"},
    {"500118", "永川区", DistrictKind::kDistrict, "永川"},
    {"500119", "南川区", DistrictKind::kDistrict, "南川"},
    {"500120", "璧山区", DistrictKind::kDistrict, "璧山"},
    {"500151", "铜梁区", DistrictKind::kDistrict, "铜梁"},
    {"500152", "潼南区", DistrictKind::kDistrict, "潼南"},
    {"500153", "荣昌区", DistrictKind::kDistrict, "荣昌"},
    {"500154", "开州区", DistrictKind::kDistrict, "开州"},
    {"500155", "梁平区", DistrictKind::kDistrict, "梁平"},
    {"500156", "武隆区", DistrictKind::kDistrict, "武隆"},
    {"500229", "城口县", DistrictKind::kCounty, "城口"},
    {"500230", "丰都县", DistrictKind::kCounty, "丰都"},
    {"500231", "垫江县", DistrictKind::kCounty, "垫江"},
    {"500233", "忠县", DistrictKind::kCounty, "忠县"},
    {"500235", "云阳县", DistrictKind::kCounty, "云阳"},
    {"500236", "奉节县", DistrictKind::kCounty, "奉节"},
    {"500237", "巫山县", DistrictKind::kCounty, "巫山"},
    {"500238", "巫溪县", DistrictKind::kCounty, "巫溪"},
    {"500240", "石柱土家族自治县", DistrictKind::kAutonomousCounty, "石柱"},
    {"500241", "秀山土家族苗族自治县", DistrictKind::kAutonomousCounty, "秀山"},
    {"500242", "酉阳土家族苗族自治县", DistrictKind::kAutonomousCounty, "酉阳"},
    {"500243", "彭水苗族土家族自治县", DistrictKind::kAutonomousCounty, "彭水"},
}};

// Well-known places per district (from the shared landmarks list) that name stations.
struct Landmarks {
  std::string_view code;
  std::string_view names;  // '|'-separated
};
constexpr std::array<Landmarks, 14> kLandmarks = {{
    {"500103", "解放碑|朝天门|较场口|十八梯|七星岗|大坪|化龙桥|上清寺|两路口|菜园坝|李子坝|洪崖洞"},
    {"500105", "观音桥|江北嘴|北滨路|大石坝|五里店|鸿恩寺"},
    {"500106", "三峡广场|磁器口|大学城|小龙坎|歌乐山"},
    {"500107", "杨家坪|石桥铺|谢家湾|黄桷坪|西彭|九龙滩"},
    {"500108", "南坪|弹子石|南山|四公里|茶园|长生桥"},
    {"500112", "两路|龙溪|回兴|礼嘉|大竹林|江北机场"},
    {"500109", "缙云山|天生|蔡家"},
    {"500113", "鱼洞|李家沱|界石|龙洲湾"},
    {"500104", "九宫庙|新山村|双山|茄子溪"},
    {"500117", "钓鱼城|南津街|合阳城|草街"},
    {"500101", "高笋塘|五桥"},
    {"500116", "几江|德感|双福"},
    {"500120", "璧城|璧泉"},
    {"500102", "李渡|江东"},
}};

// Common township names found all over Chongqing (not tied to one district).
constexpr std::array<std::string_view, 40> kTownships = {
    "龙泉", "白沙", "青龙", "石龙", "双河", "新华", "永兴", "太平", "长安", "安居",
    "石桥", "龙门", "清平", "高峰", "凤凰", "龙凤", "金龙", "玉溪", "黄桷", "桂花",
    "石盘", "大河", "双龙", "回龙", "兴隆", "天星", "复兴", "和平", "龙潭", "新民",
    "三合", "万寿", "福禄", "仁和", "德胜", "大兴", "永丰", "丰收", "新店", "三溪",
};
constexpr std::array<std::string_view, 6> kDirections = {"城南", "城北", "城东",
                                                         "城西", "新城", "老城"};

constexpr std::array<std::string_view, 50> kCommunityPrefixes = {
    "新华", "人和", "和平", "民主", "建设", "胜利", "光明", "幸福", "红旗", "友谊",
    "团结", "长江", "嘉陵", "花园", "桂花", "翠湖", "金山", "银杏", "春晖", "朝阳",
    "东风", "滨江", "锦绣", "康居", "龙湖", "状元", "文化", "学府", "青年", "育才",
    "南华", "石门", "白鹤", "玉带", "金竹", "北城", "南城", "枇杷", "黄葛", "松林",
    "柏树", "桃源", "梨园", "杏林", "荷花", "清水", "白果", "双桥", "马鞍", "天池",
};
constexpr std::array<std::string_view, 10> kCommunitySuffixes = {"路", "街", "村", "园", "湾",
                                                                 "苑", "坝", "桥", "坡", "岭"};

constexpr std::array<std::string_view, 100> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
    "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
};
constexpr std::array<std::string_view, 72> kGivenChars = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "文", "斌", "宇",
    "浩", "凯", "鹏", "辉", "鑫", "婷", "雪", "琳", "晨", "欣", "宁", "博", "峰", "亮", "成",
    "林", "海", "波", "红", "玉", "兰", "春", "梅", "俊", "毅", "佳", "颖", "瑶", "思", "雨",
    "涵", "子", "轩", "晓", "东", "昊", "然", "睿", "航", "川", "渝", "嘉",
};
constexpr std::array<std::string_view, 16> kStreets = {
    "人民路", "中山路", "解放路", "建设路",   "新华路",   "民生路", "和平路", "文化路",
    "滨江路", "长江路", "嘉陵路", "学府大道", "金山大道", "龙湖路", "朝阳路", "育才路",
};

constexpr int kWeiboAccounts = 286;
constexpr int kWechatAccounts = 23;
constexpr int kWechatDistricts = kWechatAccounts - 2;  // 重庆公安 and 重庆交巡警 besides
constexpr int kMaxStationAccounts = 120;

constexpr std::string_view kSetBeatOfficer = "UPDATE units SET beat_officer_id = $1 WHERE id = $2";
constexpr std::string_view kCountUnits = "SELECT COUNT(*) FROM units";

// SplitMix64: small, fast and the same on every platform and library.
class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for demo data.
  int64_t Below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(Next() % uint64_t(n)); }
  int64_t Between(int64_t low, int64_t high) { return low + Below(high - low + 1); }
  template <class T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(int64_t(i))]);
  }

 private:
  uint64_t state_;
};

std::string Pad(int64_t value, int width) {
  std::string s = std::to_string(value);
  if (int(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string DistrictBureauName(const ChongqingDistrict& d) {
  return std::string(d.name) + (d.kind == DistrictKind::kDistrict ? "分局" : "公安局");
}

// A synthetic landline such as 023-63012345 (not a real desk).
std::string Landline(Prng& rng) { return "023-6" + Pad(rng.Below(10'000'000), 7); }

std::string Address(Prng& rng, std::string_view district) {
  return "重庆市" + std::string(district) + std::string(kStreets[rng.Below(kStreets.size())]) +
         std::to_string(rng.Between(1, 399)) + "号";
}

std::string SyntheticName(Prng& rng) {
  std::string name(kSurnames[rng.Below(kSurnames.size())]);
  int given = rng.Below(3) == 0 ? 1 : 2;
  for (int i = 0; i < given; ++i) name += kGivenChars[rng.Below(kGivenChars.size())];
  return name;
}

std::string_view LandmarksOf(std::string_view code) {
  for (const auto& l : kLandmarks) {
    if (l.code == code) return l.names;
  }
  return {};
}

// Station names for a district: its landmarks first, then shuffled generic names.
std::vector<std::string> StationNames(Prng& rng, const ChongqingDistrict& d, int64_t count) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  auto add = [&](std::string base) {
    if (int64_t(names.size()) >= count) return;
    std::string name = base + "派出所";
    if (seen.insert(name).second) names.push_back(std::move(name));
  };
  for (auto landmark : Split(LandmarksOf(d.code), '|')) {
    if (!landmark.empty()) add(std::string(landmark));
  }
  std::vector<std::string> generic;
  for (auto dir : kDirections) generic.push_back(std::string(d.stem) + std::string(dir));
  for (auto town : kTownships) generic.push_back(std::string(town));
  rng.Shuffle(generic);
  for (auto& g : generic) add(g);
  for (int64_t n = 1; int64_t(names.size()) < count; ++n) {
    add(std::string(d.stem) + "第" + std::to_string(n));
  }
  return names;
}

// Community names unique within a district.
class CommunityNames {
 public:
  explicit CommunityNames(Prng& rng, std::string_view stem) : stem_(stem) {
    for (auto p : kCommunityPrefixes) {
      for (auto s : kCommunitySuffixes) pool_.push_back(std::string(p) + std::string(s));
    }
    rng.Shuffle(pool_);
  }
  // Returns the stem of the next community ("新华路"); the community is stem + "社区".
  std::string Next() {
    if (next_ < pool_.size()) return pool_[next_++];
    return std::string(stem_) + "第" + std::to_string(++overflow_);
  }

 private:
  std::string_view stem_;
  std::vector<std::string> pool_;
  size_t next_ = 0;
  int overflow_ = 0;
};

struct PlannedOfficer {
  UnitId unit_id = 0;
  std::string title;
  std::string name;
  UnitId beat_id = 0;  // the beat this community officer serves, else 0
  OfficerId id = 0;
};

struct PlannedStation {
  UnitId id = 0;
  std::string name;
  std::string stem;       // the district stem, for account names
  size_t pr_officer = 0;  // index into officers
};

struct Plan {
  UnitId city = 0;
  std::vector<UnitId> police_types;
  std::vector<UnitId> districts;  // in kDistricts order
  std::vector<PlannedStation> stations;
  std::vector<UnitId> beats;
  std::vector<PlannedOfficer> officers;
  size_t city_pr = 0;
  std::vector<size_t> police_type_pr;
  std::vector<size_t> district_pr;
  std::vector<size_t> community_officers;
};

Result<UnitId> AddUnit(Session& s, const Unit& parent, Unit unit, int64_t now,
                       DemoOrgSummary& summary) {
  unit.parent_id = parent.id == 0 ? std::nullopt : std::optional<UnitId>(parent.id);
  unit.depth = parent.id == 0 ? 0 : parent.depth + 1;
  auto id = repo::InsertUnit(s, unit, parent.id == 0 ? "/" : parent.path, now);
  if (id) ++summary.units;
  return id;
}

Unit Placed(UnitId id, const Unit& parent) {
  Unit u;
  u.id = id;
  u.depth = parent.id == 0 ? 0 : parent.depth + 1;
  u.path = (parent.id == 0 ? std::string("/") : parent.path) + std::to_string(id) + "/";
  return u;
}

Status CreateUnits(Session& s, Prng& rng, double scale, int64_t now, Plan& plan,
                   DemoOrgSummary& summary) {
  Unit none;
  Unit city;
  city.kind = UnitKind::kCityBureau;
  city.name = "重庆市公安局";
  city.public_phone = "023-63000110";
  city.address = "重庆市渝中区民安路110号";
  auto city_id = AddUnit(s, none, city, now, summary);
  if (!city_id) return std::unexpected(city_id.error());
  Unit city_placed = Placed(*city_id, none);
  plan.city = *city_id;
  summary.city_bureau_id = *city_id;

  const std::array<std::string_view, 3> types = {
      "重庆市公安局交通巡逻警察总队", "重庆市公安局禁毒总队", "重庆市公安局经济犯罪侦查总队"};
  int sort = 0;
  for (auto name : types) {
    Unit t;
    t.kind = UnitKind::kPoliceType;
    t.name = std::string(name);
    t.public_phone = Landline(rng);
    t.address = Address(rng, "渝中区");
    t.sort_order = ++sort;
    auto id = AddUnit(s, city_placed, t, now, summary);
    if (!id) return std::unexpected(id.error());
    plan.police_types.push_back(*id);
    ++summary.police_types;
  }
  summary.police_type_id = plan.police_types.front();

  for (const auto& d : kDistricts) {
    Unit bureau;
    bureau.kind = UnitKind::kDistrictBureau;
    bureau.name = DistrictBureauName(d);
    bureau.code = std::string(d.code);
    bureau.public_phone = Landline(rng);
    bureau.address = Address(rng, d.name);
    bureau.sort_order = ++sort;
    auto id = AddUnit(s, city_placed, bureau, now, summary);
    if (!id) return std::unexpected(id.error());
    plan.districts.push_back(*id);
    ++summary.districts;
    if (d.code == "500103") summary.district_id = *id;
    if (d.code == "500107") summary.second_district_id = *id;
    Unit district_placed = Placed(*id, city_placed);

    int64_t station_count = std::max<int64_t>(1, std::llround(double(rng.Between(3, 6)) * scale));
    CommunityNames communities(rng, d.stem);
    int station_sort = 0;
    for (const auto& station_name : StationNames(rng, d, station_count)) {
      Unit station;
      station.kind = UnitKind::kStation;
      station.name = station_name;
      station.public_phone = Landline(rng);
      station.address = Address(rng, d.name);
      station.sort_order = ++station_sort;
      auto station_id = AddUnit(s, district_placed, station, now, summary);
      if (!station_id) return std::unexpected(station_id.error());
      plan.stations.push_back({*station_id, station_name, std::string(d.stem), 0});
      ++summary.stations;
      if (*station_id && summary.station_id == 0 && station_name == "解放碑派出所") {
        summary.station_id = *station_id;
      }
      Unit station_placed = Placed(*station_id, district_placed);

      int64_t beat_count = rng.Between(2, 4);
      for (int64_t b = 0; b < beat_count; ++b) {
        Unit beat;
        beat.kind = UnitKind::kBeat;
        int64_t community_count = rng.Between(1, 3);
        for (int64_t c = 0; c < community_count; ++c) {
          beat.communities.push_back(communities.Next() + "社区");
        }
        beat.name = beat.communities.front() + "警务室";
        beat.sort_order = b + 1;
        auto beat_id = AddUnit(s, station_placed, beat, now, summary);
        if (!beat_id) return std::unexpected(beat_id.error());
        plan.beats.push_back(*beat_id);
        ++summary.beats;
        if (summary.station_id == *station_id && summary.beat_id == 0) summary.beat_id = *beat_id;
      }
    }
  }
  return {};
}

// Decides who works where: fixed posts first, then officers (民警) spread over stations
// until the target is reached.
void PlanOfficers(Prng& rng, double scale, Plan& plan, Session& s, Status& status) {
  auto add = [&](UnitId unit, std::string title, UnitId beat = 0) {
    plan.officers.push_back({unit, std::move(title), SyntheticName(rng), beat, 0});
    return plan.officers.size() - 1;
  };
  plan.city_pr = add(plan.city, "宣传民警");
  add(plan.city, "宣传民警");
  add(plan.city, "宣传民警");
  for (int i = 0; i < 10; ++i) add(plan.city, "民警");
  for (UnitId type : plan.police_types) {
    plan.police_type_pr.push_back(add(type, "宣传民警"));
    for (int i = 0; i < 4; ++i) add(type, "民警");
  }
  for (UnitId district : plan.districts) {
    plan.district_pr.push_back(add(district, "宣传民警"));
    add(district, "宣传民警");
    for (int i = 0; i < 6; ++i) add(district, "民警");
  }
  // Beats by station, in creation order (ids ascend within a station).
  for (auto& station : plan.stations) {
    add(station.id, "所长");
    int64_t deputies = rng.Between(1, 2);
    for (int64_t i = 0; i < deputies; ++i) add(station.id, "副所长");
    station.pr_officer = add(station.id, "宣传民警");
    auto beats = s.Query("SELECT id FROM units WHERE parent_id = $1 ORDER BY id", {station.id});
    if (!beats) {
      status = std::unexpected(beats.error());
      return;
    }
    for (const auto& row : *beats) {
      plan.community_officers.push_back(add(station.id, "社区民警", row.Int(0)));
    }
  }
  auto target = static_cast<size_t>(std::llround(2000.0 * scale));
  while (plan.officers.size() < target && !plan.stations.empty()) {
    add(plan.stations[rng.Below(plan.stations.size())].id, "民警");
  }
}

Status CreateOfficers(Session& s, Prng& rng, const DataProtector& protector, int64_t now,
                      Plan& plan, DemoOrgSummary& summary) {
  int64_t badge = 100000;
  int64_t phone = 0;
  for (auto& o : plan.officers) {
    badge += rng.Between(1, 3);
    std::string number = "13800" + Pad(++phone, 6);
    repo::OfficerRow row;
    row.badge_no = Pad(badge, 6);
    row.name = o.name;
    row.unit_id = o.unit_id;
    row.title = o.title;
    row.phone_sealed = protector.Seal(number);
    row.phone_hash = protector.LookupHash(number);
    auto id = repo::InsertOfficer(s, row, now);
    if (!id) return std::unexpected(id.error());
    o.id = *id;
    ++summary.officers;
    if (o.beat_id != 0) {
      auto set = s.Execute(kSetBeatOfficer, {o.id, o.beat_id});
      if (!set) return std::unexpected(set.error());
      if (o.beat_id == summary.beat_id) summary.beat_officer_id = o.id;
    }
    if (o.unit_id == summary.station_id && o.title == "所长")
      summary.station_head_officer_id = o.id;
  }
  summary.city_officer_id = plan.officers[plan.city_pr].id;
  for (size_t i = 0; i < plan.districts.size(); ++i) {
    if (plan.districts[i] == summary.district_id) {
      summary.district_officer_id = plan.officers[plan.district_pr[i]].id;
    }
    if (plan.districts[i] == summary.second_district_id) {
      summary.second_district_officer_id = plan.officers[plan.district_pr[i]].id;
    }
  }
  return {};
}

Status CreateAccounts(Session& s, Prng& rng, int64_t now, const Plan& plan,
                      DemoOrgSummary& summary) {
  auto add = [&](Platform platform, std::string name, std::string handle, UnitId unit,
                 int64_t followers, bool verified, const PlannedOfficer& op) -> Status {
    ChannelAccount a;
    a.platform = platform;
    a.name = std::move(name);
    a.handle = std::move(handle);
    if (platform == Platform::kWeibo) a.url = "https://weibo.com/n/" + a.name;
    a.unit_id = unit;
    a.followers = followers;
    a.verified = verified;
    a.operator_officer = UnitRef{op.id, op.name};
    auto id = repo::InsertChannelAccount(s, a, now);
    if (!id) return std::unexpected(id.error());
    (platform == Platform::kWeibo ? summary.weibo_accounts : summary.wechat_accounts)++;
    return {};
  };
  const auto& city_pr = plan.officers[plan.city_pr];
  const auto& traffic_pr = plan.officers[plan.police_type_pr[0]];
  // WeChat: the city bureau, the traffic police (350,000 followers) and 21 districts.
  if (auto ok = add(Platform::kWechat, "重庆公安", "cqga", plan.city, 820'000, true, city_pr);
      !ok) {
    return ok;
  }
  if (auto ok = add(Platform::kWechat, "重庆交巡警", "cqjxj", plan.police_types[0], 350'000, true,
                    traffic_pr);
      !ok) {
    return ok;
  }
  for (int i = 0; i < kWechatDistricts && i < int(plan.districts.size()); ++i) {
    const auto& d = kDistricts[i];
    if (auto ok = add(Platform::kWechat, "平安" + std::string(d.stem), "pa" + std::string(d.code),
                      plan.districts[i], rng.Between(20'000, 180'000), true,
                      plan.officers[plan.district_pr[i]]);
        !ok) {
      return ok;
    }
  }
  // Weibo: the city bureau, the police types, every district, stations, then officers.
  if (auto ok = add(Platform::kWeibo, "重庆公安", "重庆公安", plan.city, 2'600'000, true, city_pr);
      !ok) {
    return ok;
  }
  const std::array<std::string_view, 3> type_accounts = {"重庆交巡警", "重庆禁毒", "重庆经侦"};
  for (size_t i = 0; i < plan.police_types.size(); ++i) {
    std::string name(type_accounts[i]);
    if (auto ok = add(Platform::kWeibo, name, name, plan.police_types[i],
                      rng.Between(200'000, 1'200'000), true, plan.officers[plan.police_type_pr[i]]);
        !ok) {
      return ok;
    }
  }
  for (size_t i = 0; i < plan.districts.size(); ++i) {
    std::string name = "平安" + std::string(kDistricts[i].stem);
    int64_t followers = kDistricts[i].code == "500103" ? 1'200'000 : rng.Between(30'000, 400'000);
    if (auto ok = add(Platform::kWeibo, name, name, plan.districts[i], followers, true,
                      plan.officers[plan.district_pr[i]]);
        !ok) {
      return ok;
    }
  }
  int remaining = kWeiboAccounts - int(summary.weibo_accounts);
  int station_accounts = std::min<int>({kMaxStationAccounts, int(plan.stations.size()), remaining});
  for (int i = 0; i < station_accounts; ++i) {
    const auto& st = plan.stations[i];
    std::string name = st.stem + st.name;
    if (auto ok = add(Platform::kWeibo, name, name, st.id, rng.Between(2'000, 60'000),
                      rng.Below(2) == 0, plan.officers[st.pr_officer]);
        !ok) {
      return ok;
    }
  }
  // Individual officers' work accounts: community officers, in a shuffled order.
  std::vector<size_t> people = plan.community_officers;
  rng.Shuffle(people);
  for (int i = 0; summary.weibo_accounts < kWeiboAccounts && !people.empty(); ++i) {
    const auto& o = plan.officers[people[i % people.size()]];
    std::string name = "民警" + o.name;
    std::string handle = name + "_" + std::to_string(o.id) +
                         (i >= int(people.size()) ? "_" + std::to_string(i) : "");
    if (auto ok =
            add(Platform::kWeibo, name, handle, o.unit_id, rng.Between(300, 20'000), false, o);
        !ok) {
      return ok;
    }
  }
  return {};
}

}  // namespace

std::span<const ChongqingDistrict> ChongqingDistricts() { return kDistricts; }

Status LoadOrgDemo(storage::Database& database, const DataProtector& protector, const Clock& clock,
                   double scale, DemoOrgSummary* out) {
  if (!(scale >= 0.05 && scale <= 100)) {
    return InvalidFields({{"scale", "must be between 0.05 and 100"}});
  }
  DemoOrgSummary summary;
  Plan plan;
  Prng rng(0x4C69616E78696EULL);  // "Lianxin"
  const int64_t now = clock.NowMillis();

  auto units = database.Write<void>([&](Session& s) -> Status {
    auto existing = s.QueryOne(kCountUnits);
    if (!existing) return std::unexpected(existing.error());
    if (*existing && (*existing)->Int(0) > 0) {
      return MakeError(ErrorCode::kConflict, "The organisation already has units.");
    }
    return CreateUnits(s, rng, scale, now, plan, summary);
  });
  if (!units) return units;

  auto officers = database.Write<void>([&](Session& s) -> Status {
    Status status;
    PlanOfficers(rng, scale, plan, s, status);
    if (!status) return status;
    return CreateOfficers(s, rng, protector, now, plan, summary);
  });
  if (!officers) return officers;

  auto accounts = database.Write<void>(
      [&](Session& s) -> Status { return CreateAccounts(s, rng, now, plan, summary); });
  if (!accounts) return accounts;

  if (out != nullptr) *out = summary;
  return {};
}

}  // namespace lianxin::org
