#include "appeals/appeal_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "appeals/appeals_test_support.h"
#include "core/text.h"

namespace lianxin::appeals {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::MakeActor;
using ::testing::Not;

std::vector<std::string> FieldNames(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

class AppealServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!f_.Start(GetParam(), &skip)) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "fixture did not start";
    }
    pr_city_ = MakeActor(f_.city, {Role::kPrOfficer}, 10);
    head_a_ = MakeActor(f_.district_a, {Role::kUnitHead}, 11);
    officer_a1_ = MakeActor(f_.station_a1, {Role::kOfficer}, 12);
    officer_b_ = MakeActor(f_.district_b, {Role::kOfficer}, 13);
    viewer_a_ = MakeActor(f_.district_a, {Role::kViewer}, 14);
    sysadmin_ = MakeActor(f_.city, {Role::kSystemAdmin}, 15);
  }

  AppealService& svc() { return *f_.service; }

  Receipt SubmitSample(std::string text = "小区门口晚上有人聚集喧哗，影响休息") {
    auto r = svc().Submit(testing::AppealsFixture::Sample(std::move(text)), "");
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r.value_or(Receipt{});
  }

  AppealView Current(AppealId id) {
    auto d = svc().Get(pr_city_, id);
    EXPECT_TRUE(d.has_value());
    return d ? d->appeal : AppealView{};
  }

  // Submitted → acknowledged → assigned to station A1 → replied.
  AppealView ToReplied(AppealId id) {
    auto a = svc().Acknowledge(head_a_, id, Current(id).version, "已受理，我们将尽快核查。");
    EXPECT_TRUE(a) << a.error().message;
    auto b = svc().Assign(head_a_, id, a->version, f_.station_a1.id, "请核查");
    EXPECT_TRUE(b) << b.error().message;
    auto c = svc().Reply(officer_a1_, id, b->version, "已加强夜间巡逻，问题已解决。");
    EXPECT_TRUE(c) << c.error().message;
    return c.value_or(AppealView{});
  }

  int64_t CountRows(const std::string& sql, const storage::Params& params = {}) {
    auto n = f_.database->db().Read<int64_t>([&](storage::Session& s) -> Result<int64_t> {
      auto row = s.QueryOne(sql, params);
      if (!row) return std::unexpected(row.error());
      return (*row)->Int(0);
    });
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  testing::AppealsFixture f_;
  Actor pr_city_, head_a_, officer_a1_, officer_b_, viewer_a_, sysadmin_;
};

TEST_P(AppealServiceTest, SubmitValidatesEveryField) {
  Submission bad;
  bad.category = "no_such";
  bad.text = "   ";
  bad.citizen_phone = "12345";
  bad.location.district_code = "5001";
  bad.location.latitude = 91;
  bad.location.longitude = 10;
  bad.source_url = "ftp://x";
  auto r = svc().Submit(bad, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(FieldNames(r.error()),
              ::testing::UnorderedElementsAre("text", "citizen_phone", "location.district_code",
                                              "location.latitude", "source_url", "category"));
  bad = testing::AppealsFixture::Sample();
  bad.text = std::string(2001, 'x');
  r = svc().Submit(bad, "");
  ASSERT_FALSE(r);
  EXPECT_THAT(FieldNames(r.error()), ::testing::ElementsAre("text"));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appeals"), 0);
}

TEST_P(AppealServiceTest, SubmitRoutesNumbersAndSealsPersonalData) {
  Receipt r = SubmitSample();
  EXPECT_TRUE(std::regex_match(r.tracking_number, std::regex("YJ20261123[0-9]{6}")))
      << r.tracking_number;
  EXPECT_EQ(r.tracking_number, "YJ20261123000001");
  EXPECT_TRUE(std::regex_match(r.access_code, std::regex("[2-9A-HJKMNP-Z]{6}")));
  Receipt second = SubmitSample("第二条诉求内容");
  EXPECT_EQ(second.tracking_number, "YJ20261123000002");

  AppealView v = Current(r.id);
  EXPECT_EQ(v.unit_id, f_.district_a.id);  // routed by district code
  EXPECT_EQ(v.state, AppealState::kSubmitted);
  EXPECT_EQ(v.citizen_name_masked, "张*");
  EXPECT_EQ(v.citizen_phone_masked, "138****5678");
  // Monday 09:00: acknowledge by Tuesday 09:00, reply by the end of Monday next week.
  EXPECT_EQ(FormatIso8601(v.ack_deadline), "2026-11-24T09:00:00+08:00");
  EXPECT_EQ(FormatIso8601(v.reply_deadline), "2026-12-01T00:00:00+08:00");
  EXPECT_EQ(v.due_at, v.ack_deadline);

  // Unknown district: the city bureau.
  Submission s = testing::AppealsFixture::Sample();
  s.location.district_code = "500999";
  auto city = svc().Submit(s, "");
  ASSERT_TRUE(city);
  EXPECT_EQ(Current(city->id).unit_id, f_.city.id);

  // Nothing in the database holds the phone digits, the name or the access code.
  auto dump = f_.database->db().Read<std::string>([&](storage::Session& s) -> Result<std::string> {
    auto rows = s.Query("SELECT * FROM appeals");
    if (!rows) return std::unexpected(rows.error());
    std::string all;
    for (const auto& row : *rows) {
      for (size_t i = 0; i < row.size(); ++i) all += row.Text(i) + "|";
    }
    auto keys = s.Query("SELECT * FROM idempotency_keys");
    if (!keys) return std::unexpected(keys.error());
    return all;
  });
  ASSERT_TRUE(dump);
  EXPECT_THAT(*dump, Not(HasSubstr("12345678")));
  EXPECT_THAT(*dump, Not(HasSubstr("张三")));
  EXPECT_THAT(*dump, Not(HasSubstr(r.access_code)));
}

TEST_P(AppealServiceTest, IdempotentSubmitReturnsTheFirstReceipt) {
  Submission s = testing::AppealsFixture::Sample();
  auto first = svc().Submit(s, "key-1");
  ASSERT_TRUE(first);
  auto again = svc().Submit(s, "key-1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->tracking_number, first->tracking_number);
  EXPECT_EQ(again->access_code, first->access_code);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appeals"), 1);
  // The same key with another text is refused: nobody can fish for someone's code.
  Submission other = s;
  other.text = "完全不同的内容";
  auto refused = svc().Submit(other, "key-1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  // Another channel has its own key space; after 24 hours the key is new again.
  Submission wechat = s;
  wechat.channel = Channel::kWechat;
  ASSERT_TRUE(svc().Submit(wechat, "key-1"));
  f_.clock.Advance(std::chrono::hours(25));
  auto later = svc().Submit(s, "key-1");
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_NE(later->id, first->id);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appeals"), 3);
}

TEST_P(AppealServiceTest, FullLifeWithRectificationAndFollowUp) {
  Receipt r = SubmitSample();
  AppealView v = ToReplied(r.id);
  EXPECT_EQ(v.state, AppealState::kReplied);
  EXPECT_EQ(v.unit_id, f_.station_a1.id);
  ASSERT_TRUE(svc().Verify(officer_a1_, r.id, v.version, "x", {}).error().code ==
              ErrorCode::kConflict);

  auto rated = svc().Rate(r.tracking_number, r.access_code, Rating::kUnsatisfied, "还是很吵");
  ASSERT_TRUE(rated) << rated.error().message;
  EXPECT_EQ(rated->appeal.state, AppealState::kRectifying);
  v = Current(r.id);
  ASSERT_TRUE(v.rectification_deadline);
  EXPECT_EQ(v.due_at, v.rectification_deadline);

  auto premature = svc().CompleteRectification(officer_a1_, r.id, v.version, "已整改");
  ASSERT_FALSE(premature) << "a rectification needs its task first";
  EXPECT_EQ(premature.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Current(r.id).state, AppealState::kRectifying);

  RectificationTask task{v.version, "增加夜间巡逻频次", f_.clock.NowMillis() + 86'400'000 * 5};
  auto set = svc().SetRectification(officer_a1_, r.id, task);
  ASSERT_TRUE(set) << set.error().message;
  auto done = svc().CompleteRectification(officer_a1_, r.id, set->version, "已连续巡逻两周");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, AppealState::kFollowUp);
  FollowUpVisit visit{done->version, "phone", f_.clock.NowMillis(), "李警官", "现在安静多了"};
  auto closed = svc().RecordFollowUp(officer_a1_, r.id, visit);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->state, AppealState::kClosed);
  EXPECT_TRUE(closed->resolved);
  EXPECT_EQ(closed->follow_up_count, 1);

  // The public timeline has no internal steps and no staff names.
  auto track = svc().Track(r.tracking_number, r.access_code);
  ASSERT_TRUE(track);
  std::vector<std::string> actions;
  for (const auto& e : track->timeline) {
    actions.push_back(e.action);
    EXPECT_TRUE(e.is_public);
    EXPECT_EQ(e.actor_name, "");
  }
  EXPECT_THAT(actions, ::testing::ElementsAre("submit", "acknowledge", "reply", "rate_unsatisfied",
                                              "complete_rectification"));
  auto detail = svc().Get(head_a_, r.id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->timeline.size(), 8u);  // + assign, set_rectification, record_follow_up
  EXPECT_EQ(detail->timeline[1].actor_name, head_a_.username);
}

TEST_P(AppealServiceTest, IllegalTransitionIs409AndStaleVersionIs412AndNothingChanges) {
  Receipt r = SubmitSample();
  AppealView v = Current(r.id);
  auto reply = svc().Reply(head_a_, r.id, v.version, "答复");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, ErrorCode::kConflict);
  auto stale = svc().Acknowledge(head_a_, r.id, v.version + 1, "已受理");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);
  AppealView after = Current(r.id);
  EXPECT_EQ(after.version, v.version);
  EXPECT_EQ(after.state, AppealState::kSubmitted);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appeal_events"), 1);
  auto rate = svc().Rate(r.tracking_number, r.access_code, Rating::kSatisfied, "");
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().code, ErrorCode::kConflict);
}

TEST_P(AppealServiceTest, PolicyKeepsUnitsToTheirSubtreeAndAuditsDenials) {
  Receipt r = SubmitSample();
  auto get = svc().Get(officer_b_, r.id);
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(svc().Get(sysadmin_, r.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(svc().Get(viewer_a_, r.id));
  auto ack = svc().Acknowledge(viewer_a_, r.id, 1, "已受理");
  EXPECT_EQ(ack.error().code, ErrorCode::kPermissionDenied);
  // A station officer cannot act on the district's appeal until it is assigned down.
  EXPECT_EQ(svc().Acknowledge(officer_a1_, r.id, 1, "已受理").error().code,
            ErrorCode::kPermissionDenied);
  auto a = svc().Acknowledge(head_a_, r.id, 1, "已受理");
  ASSERT_TRUE(a);
  // Assigning outside the subtree is refused.
  EXPECT_EQ(svc().Assign(head_a_, r.id, a->version, f_.station_b1.id, "").error().code,
            ErrorCode::kPermissionDenied);
  auth::AuditQuery q;
  q.result = auth::AuditResult::kDenied;
  int64_t total = 0;
  auto denied = f_.audit->Search(q, total);
  ASSERT_TRUE(denied);
  EXPECT_EQ(total, 5);
  // Searching another district's subtree is refused; one's own shows only one's own.
  AppealFilter filter;
  filter.unit_id = f_.district_a.id;
  EXPECT_EQ(svc().Search(officer_b_, filter).error().code, ErrorCode::kPermissionDenied);
  auto mine = svc().Search(officer_b_, AppealFilter{});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->total, 0);
}

TEST_P(AppealServiceTest, TransferNeedsAReasonAndMayHandBackToTheParent) {
  Receipt r = SubmitSample();
  auto a = svc().Acknowledge(head_a_, r.id, 1, "已受理");
  ASSERT_TRUE(a);
  auto b = svc().Assign(head_a_, r.id, a->version, f_.station_a1.id, "");
  ASSERT_TRUE(b);
  auto no_reason = svc().Transfer(officer_a1_, r.id, b->version, f_.district_a.id, " ");
  ASSERT_FALSE(no_reason);
  EXPECT_THAT(FieldNames(no_reason.error()), ::testing::ElementsAre("reason"));
  auto back = svc().Transfer(officer_a1_, r.id, b->version, f_.district_a.id, "不属本辖区");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->unit_id, f_.district_a.id);
  EXPECT_EQ(back->state, AppealState::kAssigned);
  // The station cannot push it sideways.
  auto sideways = svc().Transfer(head_a_, r.id, back->version, f_.station_b1.id, "x");
  EXPECT_EQ(sideways.error().code, ErrorCode::kPermissionDenied);
  // The assigned unit got notifications.
  auto notes = svc().Notifications(officer_a1_, true, 0, 20);
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->total, 1);
  EXPECT_EQ(notes->items[0].kind, NotificationKind::kNewAssignment);
  ASSERT_TRUE(svc().MarkNotificationRead(officer_a1_, notes->items[0].id));
  EXPECT_EQ(svc().Notifications(officer_a1_, true, 0, 20)->total, 0);
  EXPECT_EQ(svc().MarkNotificationRead(officer_b_, notes->items[0].id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(AppealServiceTest, NotesAreInternalAndVerifyKeepsPhotos) {
  Receipt r = SubmitSample();
  auto a = svc().Acknowledge(head_a_, r.id, 1, "已受理");
  auto b = svc().Assign(head_a_, r.id, a->version, f_.station_a1.id, "");
  ASSERT_TRUE(b);
  auto verified = svc().Verify(officer_a1_, r.id, b->version, "现场查看属实", {7, 8});
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->state, AppealState::kVerifying);
  ASSERT_TRUE(svc().AddNote(officer_a1_, r.id, "内部备注：涉及邻里纠纷"));
  auto track = svc().Track(r.tracking_number, r.access_code);
  ASSERT_TRUE(track);
  for (const auto& e : track->timeline) {
    EXPECT_THAT(e.note, Not(HasSubstr("内部备注")));
    EXPECT_THAT(e.note, Not(HasSubstr("现场查看")));
  }
  auto detail = svc().Get(officer_a1_, r.id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->timeline.back().action, "add_note");
  EXPECT_FALSE(detail->timeline.back().is_public);
  EXPECT_THAT(detail->timeline[3].data, HasSubstr("[7,8]"));
}

TEST_P(AppealServiceTest, TrackNeedsTheRightCodeAndReopenHasAWindow) {
  Receipt r = SubmitSample();
  EXPECT_EQ(svc().Track(r.tracking_number, "AAAAAA").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(svc().Track("YJ20990101000001", r.access_code).error().code, ErrorCode::kNotFound);
  // Lower case is accepted.
  std::string lower = r.access_code;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_TRUE(svc().Track(r.tracking_number, lower));

  ToReplied(r.id);
  auto closed = svc().Rate(r.tracking_number, r.access_code, Rating::kBasicallySatisfied, "");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->appeal.state, AppealState::kClosed);
  EXPECT_TRUE(closed->can_reopen);
  f_.clock.Advance(std::chrono::hours(24 * 10));
  auto reopened = svc().Reopen(r.tracking_number, r.access_code, "问题又出现了");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->appeal.state, AppealState::kAssigned);
  AppealView v = Current(r.id);
  EXPECT_EQ(v.unit_id, f_.station_a1.id);  // the last unit
  EXPECT_EQ(v.reopened_count, 1);
  EXPECT_FALSE(v.resolved);
  EXPECT_FALSE(v.replied_at);
  EXPECT_GT(v.reply_deadline, f_.clock.NowMillis());

  // Close again; 16 days later the window has passed.
  auto replied = svc().Reply(officer_a1_, r.id, v.version, "再次处理完毕");
  ASSERT_TRUE(replied);
  ASSERT_TRUE(svc().Rate(r.tracking_number, r.access_code, Rating::kSatisfied, "好"));
  f_.clock.Advance(std::chrono::hours(24 * 16));
  auto late = svc().Reopen(r.tracking_number, r.access_code, "又来了");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
}

TEST_P(AppealServiceTest, MergedAppealsFollowTheOriginal) {
  Receipt original = SubmitSample("解放碑步行街夜间噪音严重");
  Receipt duplicate = SubmitSample("解放碑步行街晚上太吵了");
  auto a = svc().Acknowledge(head_a_, original.id, 1, "已受理");
  ASSERT_TRUE(a);
  // Officers cannot merge; supervisors can.
  EXPECT_EQ(svc().Merge(officer_a1_, duplicate.id, 1, original.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_FALSE(svc().Merge(head_a_, duplicate.id, 1, duplicate.id));
  auto merged = svc().Merge(head_a_, duplicate.id, 1, original.id);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->state, AppealState::kMerged);
  EXPECT_EQ(merged->merged_into, original.id);
  // Nothing more happens to the duplicate itself.
  EXPECT_EQ(svc().Acknowledge(head_a_, duplicate.id, merged->version, "x").error().code,
            ErrorCode::kConflict);
  // The duplicate's citizen sees and acts on the original.
  auto track = svc().Track(duplicate.tracking_number, duplicate.access_code);
  ASSERT_TRUE(track);
  EXPECT_EQ(track->appeal.id, original.id);
  EXPECT_EQ(track->merged_into_tracking_number, original.tracking_number);
  ASSERT_TRUE(svc().AddCitizenMessage(duplicate.id, "补充：每晚十点后"));
  auto detail = svc().Get(head_a_, original.id);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->timeline.back().action, "citizen_message");
  EXPECT_EQ(detail->timeline.back().note, "补充：每晚十点后");
  // A merged or closed original refuses further merges.
  Receipt third = SubmitSample("第三条");
  EXPECT_EQ(svc().Merge(head_a_, original.id, detail->appeal.version, duplicate.id).error().code,
            ErrorCode::kConflict);
  (void)third;
}

TEST_P(AppealServiceTest, DeadlineJobWarnsEscalatesAndAutoCloses) {
  Receipt r = SubmitSample();  // Monday 09:00; ack due Tuesday 09:00; 80% at Tuesday 04:12
  Receipt replied = SubmitSample("另一条");
  ToReplied(replied.id);
  auto report = svc().RunDeadlines(f_.clock.NowMillis());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->warned, 0);
  f_.clock.SetMillis(At("2026-11-24T04:12:00+08:00"));
  report = svc().RunDeadlines(f_.clock.NowMillis());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->warned, 1);
  EXPECT_EQ(report->escalated, 0);
  EXPECT_TRUE(Current(r.id).warned_at);
  // Idempotent.
  EXPECT_EQ(svc().RunDeadlines(f_.clock.NowMillis())->warned, 0);
  // Overdue: escalated once to the parent (the city) with a notification.
  f_.clock.SetMillis(At("2026-11-24T09:00:00+08:00"));
  report = svc().RunDeadlines(f_.clock.NowMillis());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->escalated, 1);
  EXPECT_EQ(svc().RunDeadlines(f_.clock.NowMillis())->escalated, 0);
  auto city_notes = svc().Notifications(pr_city_, false, 0, 20);
  ASSERT_TRUE(city_notes);
  ASSERT_EQ(city_notes->total, 1);
  EXPECT_EQ(city_notes->items[0].kind, NotificationKind::kEscalation);
  EXPECT_EQ(city_notes->items[0].tracking_number, r.tracking_number);
  auto district_notes = svc().Notifications(head_a_, false, 0, 20);
  ASSERT_TRUE(district_notes);
  EXPECT_EQ(district_notes->total, 1);  // the warning
  // The overdue filter and the escalation view.
  AppealFilter overdue;
  overdue.overdue = true;
  EXPECT_EQ(svc().Search(head_a_, overdue)->total, 1);
  AppealFilter escalated;
  escalated.escalated = true;
  EXPECT_EQ(svc().Search(pr_city_, escalated)->total, 1);
  EXPECT_EQ(svc().Search(officer_a1_, escalated).error().code, ErrorCode::kPermissionDenied);
  // Acknowledging starts the reply step afresh.
  auto ack = svc().Acknowledge(head_a_, r.id, Current(r.id).version, "已受理");
  ASSERT_TRUE(ack);
  EXPECT_FALSE(ack->escalated_at);
  EXPECT_EQ(ack->due_at, ack->reply_deadline);
  // Seven days after its reply the other appeal closes by itself, as resolved.
  f_.clock.SetMillis(At("2026-11-30T09:00:00+08:00"));
  EXPECT_EQ(svc().RunDeadlines(f_.clock.NowMillis())->auto_closed, 1);
  AppealView auto_closed = Current(replied.id);
  EXPECT_EQ(auto_closed.state, AppealState::kClosed);
  EXPECT_TRUE(auto_closed.resolved);
}

TEST_P(AppealServiceTest, SearchFiltersSortsAndFindsChineseText) {
  Receipt a = SubmitSample("小区门口夜间噪音扰民严重");
  Receipt b = SubmitSample("户口迁移需要哪些材料");
  Submission wechat = testing::AppealsFixture::Sample("电信诈骗电话冒充公检法");
  wechat.channel = Channel::kWechat;
  wechat.kind = AppealKind::kReport;
  wechat.category = "fraud";
  ASSERT_TRUE(svc().Submit(wechat, ""));
  ToReplied(a.id);

  auto search = [&](AppealFilter f) {
    auto r = svc().Search(pr_city_, f);
    EXPECT_TRUE(r) << r.error().message;
    std::vector<AppealId> ids;
    if (r) {
      for (const auto& v : r->items) ids.push_back(v.id);
    }
    return ids;
  };
  AppealFilter f;
  f.q = "噪音扰";  // trigram
  EXPECT_THAT(search(f), ::testing::ElementsAre(a.id));
  f.q = "户口";  // two characters: LIKE
  EXPECT_THAT(search(f), ::testing::ElementsAre(b.id));
  f.q = "巡逻";  // in the reply
  EXPECT_THAT(search(f), ::testing::ElementsAre(a.id));
  f.q = "100%_";
  EXPECT_TRUE(search(f).empty());
  f.q = b.tracking_number;  // a tracking number finds its appeal, in either case
  EXPECT_THAT(search(f), ::testing::ElementsAre(b.id));
  f.q = "yj" + b.tracking_number.substr(2);
  EXPECT_THAT(search(f), ::testing::ElementsAre(b.id));
  AppealFilter by_state;
  by_state.states = {AppealState::kReplied};
  EXPECT_THAT(search(by_state), ::testing::ElementsAre(a.id));
  AppealFilter by_channel;
  by_channel.channel = Channel::kWechat;
  by_channel.kind = AppealKind::kReport;
  by_channel.category = "fraud";
  EXPECT_EQ(search(by_channel).size(), 1u);
  AppealFilter subtree;
  subtree.unit_id = f_.station_a1.id;
  EXPECT_THAT(search(subtree), ::testing::ElementsAre(a.id));
  AppealFilter oldest;
  oldest.sort = SortOrder::kOldest;
  oldest.limit = 2;
  auto page = svc().Search(pr_city_, oldest);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, a.id);
  AppealFilter range;
  range.from_millis = f_.clock.NowMillis() + 1;
  EXPECT_TRUE(search(range).empty());
  // Every item is masked.
  for (const auto& v : page->items) EXPECT_EQ(v.citizen_phone_masked, "138****5678");
}

TEST_P(AppealServiceTest, RevealContactIsAuditedAndRestricted) {
  Receipt r = SubmitSample();
  EXPECT_EQ(svc().RevealContact(officer_a1_, r.id).error().code, ErrorCode::kPermissionDenied);
  auto contact = svc().RevealContact(head_a_, r.id);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->name, "张三");
  EXPECT_EQ(contact->phone, "13812345678");
  auth::AuditQuery q;
  q.action_prefix = "appeal.reveal_contact";
  int64_t total = 0;
  auto records = f_.audit->Search(q, total);
  ASSERT_TRUE(records);
  EXPECT_EQ(total, 2);  // one allowed, one denied
}

TEST_P(AppealServiceTest, MakesAppealsFromPostsWithTheirSource) {
  PostAppeal post;
  post.submission = testing::AppealsFixture::Sample("网友发帖：十八梯附近有人聚集吸毒");
  post.submission.channel = Channel::kForum;
  post.source_url = "https://bbs.example.cn/thread-123456.html";
  EXPECT_EQ(svc().RecordFromPost(viewer_a_, post).error().code, ErrorCode::kPermissionDenied);
  auto r = svc().RecordFromPost(head_a_, post);
  ASSERT_TRUE(r) << r.error().message;
  AppealView v = Current(r->id);
  EXPECT_EQ(v.channel, Channel::kForum);
  EXPECT_EQ(v.source_url, post.source_url);

  PostAppeal web = post;
  web.submission.channel = Channel::kWeb;
  web.source_url = "";
  EXPECT_THAT(FieldNames(svc().RecordFromPost(head_a_, web).error()),
              ::testing::ElementsAre("channel", "source_url"));
}

TEST_P(AppealServiceTest, LinksPhotosInTheSameTransaction) {
  std::vector<std::pair<AppealId, std::vector<int64_t>>> linked;
  bool refuse = false;
  svc().SetPhotoLinker([&](storage::Session&, AppealId appeal, const std::vector<int64_t>& ids) {
    if (refuse) return Status(MakeError(ErrorCode::kInvalidArgument, "unknown photo"));
    linked.emplace_back(appeal, ids);
    return Status{};
  });
  Submission with_photos = testing::AppealsFixture::Sample("路灯坏了，附照片");
  with_photos.attachment_ids = {4, 5};
  auto r = svc().Submit(with_photos, "");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0].first, r->id);
  EXPECT_EQ(linked[0].second, (std::vector<int64_t>{4, 5}));

  // A photo the attachments module refuses fails the whole submission: nothing is stored.
  refuse = true;
  Submission bad = testing::AppealsFixture::Sample("另一条，照片无效");
  bad.attachment_ids = {99};
  auto refused = svc().Submit(bad, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM appeals"), 1);
}

TEST_P(AppealServiceTest, HotlineCallsAndChannelThreads) {
  HotlineCall call;
  call.submission = testing::AppealsFixture::Sample("来电反映：路口红绿灯故障");
  call.submission.citizen_phone.clear();
  call.caller_number = "023-63961234";
  EXPECT_EQ(svc().RecordHotlineCall(viewer_a_, call).error().code, ErrorCode::kPermissionDenied);
  auto r = svc().RecordHotlineCall(head_a_, call);
  ASSERT_TRUE(r) << r.error().message;
  AppealView v = Current(r->id);
  EXPECT_EQ(v.channel, Channel::kHotline);
  EXPECT_EQ(v.citizen_phone_masked, MaskPhone("023-63961234"));

  // Without a district, the call stays with the unit that recorded it, which can read it.
  HotlineCall nowhere = call;
  nowhere.submission.location.district_code.clear();
  auto kept = svc().RecordHotlineCall(head_a_, nowhere);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(Current(kept->id).unit_id, head_a_.unit_id);
  EXPECT_TRUE(svc().Get(head_a_, kept->id).has_value());

  call.caller_number = "abc";
  EXPECT_THAT(FieldNames(svc().RecordHotlineCall(head_a_, call).error()),
              ::testing::ElementsAre("caller_number"));

  Submission wx = testing::AppealsFixture::Sample();
  wx.channel = Channel::kWechat;
  wx.channel_ref = "oOpenId123";
  auto w = svc().Submit(wx, "");
  ASSERT_TRUE(w);
  auto found = svc().FindOpenByChannelRef(Channel::kWechat, "oOpenId123", 0);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->tracking_number, w->tracking_number);
  EXPECT_FALSE(svc().FindOpenByChannelRef(Channel::kWechat, "other", 0)->has_value());
  EXPECT_FALSE(svc()
                   .FindOpenByChannelRef(Channel::kWechat, "oOpenId123", f_.clock.NowMillis() + 1)
                   ->has_value());
}

TEST_P(AppealServiceTest, PublicViewsWallSimilarAndList) {
  Receipt a = SubmitSample("我的电话13812345678，门口噪音严重");
  ToReplied(a.id);
  auto pub = svc().GetPublic(a.id);
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->state, AppealState::kReplied);
  EXPECT_EQ(pub->agency, "解放碑派出所");
  EXPECT_EQ(pub->status_notes, "已加强夜间巡逻，问题已解决。");
  auto wall = svc().Wall(WallQuery{.district_code = "500103"});
  ASSERT_TRUE(wall);
  ASSERT_EQ(wall->total, 1);
  EXPECT_THAT(wall->items[0].text, Not(HasSubstr("13812345678")));
  EXPECT_EQ(svc().Wall(WallQuery{.district_code = "500117"})->total, 0);
  Receipt b = SubmitSample("门口噪音");
  auto similar = svc().Similar("500103", "noise", "", 5);
  ASSERT_TRUE(similar);
  ASSERT_EQ(similar->size(), 2u);  // both still open
  EXPECT_EQ((*similar)[0].id, b.id);
  EXPECT_EQ((*similar)[0].location.address, "");
  PublicQuery q;
  q.open = true;
  q.ids = {a.id};
  auto listed = svc().ListPublic(q);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_EQ(svc().GetPublic(9999).error().code, ErrorCode::kNotFound);
}

TEST_P(AppealServiceTest, BulkAssignReportsEachAppeal) {
  Receipt a = SubmitSample("一");
  Receipt b = SubmitSample("二");
  ASSERT_TRUE(svc().Acknowledge(head_a_, a.id, 1, "已受理"));
  auto result = svc().BulkAssign(head_a_, {a.id, b.id, 4242}, f_.station_a1.id);
  ASSERT_TRUE(result);
  EXPECT_THAT(result->assigned, ::testing::ElementsAre(a.id));
  ASSERT_EQ(result->failed.size(), 2u);
  EXPECT_EQ(result->failed[0].second.code, ErrorCode::kConflict);  // b not acknowledged
  EXPECT_EQ(result->failed[1].second.code, ErrorCode::kNotFound);
  EXPECT_EQ(svc().BulkAssign(officer_a1_, {a.id}, f_.station_a1.id).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(AppealServiceTest, ConfigurationViewsAndTemplates) {
  // Categories, calendar and deadlines: city-wide, configure role at the root only.
  Category c{"drugs", "禁毒", "", true, 80};
  EXPECT_EQ(svc().SaveCategory(head_a_, c).error().code, ErrorCode::kPermissionDenied);
  Actor pr_a = MakeActor(f_.district_a, {Role::kPrOfficer}, 20);
  EXPECT_EQ(svc().SaveCategory(pr_a, c).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(svc().SaveCategory(sysadmin_, c));
  c.active = false;
  ASSERT_TRUE(svc().SaveCategory(pr_city_, c));
  auto active = svc().Categories();
  ASSERT_TRUE(active);
  for (const auto& cat : *active) EXPECT_NE(cat.code, "drugs");
  EXPECT_EQ(svc().AllCategories(pr_city_)->size(), active->size() + 1);
  EXPECT_THAT(FieldNames(svc().SaveCategory(sysadmin_, Category{"X", "", "", true, 0}).error()),
              ::testing::ElementsAre("code", "name"));

  ASSERT_TRUE(svc().SetCalendarDay(sysadmin_, {"2026-11-24", DayKind::kHoliday, "测试假日"}));
  EXPECT_EQ(svc().SetCalendarDay(sysadmin_, {"2026-13-01", DayKind::kHoliday, ""}).error().code,
            ErrorCode::kInvalidArgument);
  auto deadlines = svc().ListDeadlines(sysadmin_);
  ASSERT_TRUE(deadlines);
  ASSERT_EQ(deadlines->size(), 5u);
  DeadlineSettings complaint = (*deadlines)[0];  // ordered by kind name
  ASSERT_EQ(complaint.kind, AppealKind::kComplaint);
  complaint.reply_working_days = 3;
  ASSERT_TRUE(svc().SetDeadlines(sysadmin_, complaint));
  EXPECT_EQ(svc().SetDeadlines(sysadmin_, complaint).error().code, ErrorCode::kStaleVersion);
  // A new complaint uses both: Tuesday is a holiday now, 3 working days → end of Friday.
  Receipt r = SubmitSample();
  EXPECT_EQ(FormatIso8601(Current(r.id).reply_deadline), "2026-11-28T00:00:00+08:00");
  EXPECT_TRUE(svc().DeleteCalendarDay(sysadmin_, "2026-11-24"));

  // Saved views are per account.
  auto view = svc().CreateView(officer_a1_, "我的超期", R"({"overdue":true})");
  ASSERT_TRUE(view);
  EXPECT_EQ(svc().CreateView(officer_a1_, "我的超期", "{}").error().code, ErrorCode::kConflict);
  EXPECT_EQ(svc().CreateView(officer_a1_, "坏的", "[1]").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(svc().ListViews(officer_a1_)->size(), 1u);
  EXPECT_EQ(svc().ListViews(head_a_)->size(), 0u);
  EXPECT_EQ(svc().DeleteView(head_a_, view->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(svc().DeleteView(officer_a1_, view->id));

  // Reply templates: written with configure on the unit, read by the unit and below.
  EXPECT_EQ(svc().CreateTemplate(head_a_, f_.district_a.id, "标题", "正文").error().code,
            ErrorCode::kPermissionDenied);
  auto t = svc().CreateTemplate(pr_a, f_.district_a.id, "已受理", "您好，您的诉求已受理。");
  ASSERT_TRUE(t);
  ASSERT_TRUE(svc().CreateTemplate(pr_city_, f_.city.id, "通用", "感谢您的反映。"));
  ASSERT_TRUE(svc().CreateTemplate(pr_city_, f_.district_b.id, "合川", "合川专用"));
  auto visible = svc().ListTemplates(officer_a1_);
  ASSERT_TRUE(visible);
  ASSERT_EQ(visible->size(), 2u);
  EXPECT_EQ((*visible)[0].title, "已受理");  // nearest unit first
  auto updated = svc().UpdateTemplate(pr_a, t->id, t->version, "已受理", "新的正文");
  ASSERT_TRUE(updated);
  EXPECT_EQ(svc().UpdateTemplate(pr_a, t->id, t->version, "x", "y").error().code,
            ErrorCode::kStaleVersion);
  EXPECT_TRUE(svc().DeleteTemplate(pr_a, t->id));
  EXPECT_EQ(svc().ListTemplates(sysadmin_).error().code, ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, AppealServiceTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lianxin::appeals
