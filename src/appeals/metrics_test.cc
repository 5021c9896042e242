#include "appeals/metrics.h"

#include <gtest/gtest.h>

#include "appeals/appeals_test_support.h"

namespace lianxin::appeals {
namespace {

using testing::At;
using testing::MakeActor;

// A hand-made month. District A (all submitted Monday 2026-11-23 09:00 unless noted):
//   A1 web complaint      acknowledged on time, replied on time, rated satisfied → resolved
//   A2 wechat consultation acknowledged late, replied late, rated unsatisfied, rectified,
//                          followed up → resolved
//   A3 web complaint      acknowledged on time, never replied
//   A4 hotline report     acknowledged on time, replied on time, auto-closed → resolved
//   A5 web complaint      never acknowledged (not accepted)
//   A6 web complaint      acknowledged, then merged into A3 (not counted)
//   A7 web complaint      submitted and acknowledged in December
// District B:
//   B1 web complaint      acknowledged, replied on time, rated basically satisfied
class MetricsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!f_.Start(GetParam(), &skip)) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "fixture did not start";
    }
    head_a_ = MakeActor(f_.district_a, {Role::kUnitHead}, 11);
    head_b_ = MakeActor(f_.district_b, {Role::kUnitHead}, 12);
    city_ = MakeActor(f_.city, {Role::kViewer}, 13);
    AppealService& s = *f_.service;

    auto submit = [&](AppealKind kind, Channel channel, const char* district, std::string text) {
      Submission sub = testing::AppealsFixture::Sample(std::move(text));
      sub.kind = kind;
      sub.channel = channel;
      sub.location.district_code = district;
      auto r = s.Submit(sub, "");
      EXPECT_TRUE(r) << r.error().message;
      return r.value_or(Receipt{});
    };
    auto version = [&](const Receipt& r) { return s.Get(city_, r.id)->appeal.version; };
    auto ack = [&](const Receipt& r, const Actor& a) {
      ASSERT_TRUE(s.Acknowledge(a, r.id, version(r), "已受理"));
    };
    auto reply = [&](const Receipt& r, const Actor& a) {
      ASSERT_TRUE(s.Reply(a, r.id, version(r), "已处理"));
    };

    a1_ = submit(AppealKind::kComplaint, Channel::kWeb, "500103", "A1");
    a2_ = submit(AppealKind::kConsultation, Channel::kWechat, "500103", "A2");
    a3_ = submit(AppealKind::kComplaint, Channel::kWeb, "500103", "A3");
    a4_ = submit(AppealKind::kReport, Channel::kHotline, "500103", "A4");
    a5_ = submit(AppealKind::kComplaint, Channel::kWeb, "500103", "A5");
    a6_ = submit(AppealKind::kComplaint, Channel::kWeb, "500103", "A6");
    b1_ = submit(AppealKind::kComplaint, Channel::kWeb, "500117", "B1");

    f_.clock.SetMillis(At("2026-11-23T09:30:00+08:00"));
    for (const Receipt* r : {&a1_, &a3_, &a4_, &a6_}) ack(*r, head_a_);
    ack(b1_, head_b_);
    ASSERT_TRUE(s.Merge(head_a_, a6_.id, version(a6_), a3_.id));
    f_.clock.SetMillis(At("2026-11-23T10:00:00+08:00"));
    reply(a1_, head_a_);
    reply(a4_, head_a_);
    reply(b1_, head_b_);

    f_.clock.SetMillis(At("2026-11-24T10:00:00+08:00"));  // past A2's 24 hours
    ack(a2_, head_a_);
    ASSERT_TRUE(s.Rate(a1_.tracking_number, a1_.access_code, Rating::kSatisfied, ""));
    ASSERT_TRUE(s.Rate(b1_.tracking_number, b1_.access_code, Rating::kBasicallySatisfied, ""));

    f_.clock.SetMillis(At("2026-12-07T10:00:00+08:00"));  // past A2's reply deadline
    reply(a2_, head_a_);
    ASSERT_TRUE(s.Rate(a2_.tracking_number, a2_.access_code, Rating::kUnsatisfied, "不满意"));
    ASSERT_TRUE(s.SetRectification(
        head_a_, a2_.id,
        RectificationTask{version(a2_), "夜间加强巡查", f_.clock.NowMillis() + 86'400'000}));
    ASSERT_TRUE(s.CompleteRectification(head_a_, a2_.id, version(a2_), "已整改"));
    ASSERT_TRUE(s.RecordFollowUp(
        head_a_, a2_.id,
        FollowUpVisit{version(a2_), "phone", f_.clock.NowMillis(), "王警官", "满意了"}));
    auto job = s.RunDeadlines(f_.clock.NowMillis());
    ASSERT_TRUE(job);
    EXPECT_EQ(job->auto_closed, 1);  // A4

    a7_ = submit(AppealKind::kComplaint, Channel::kWeb, "500103", "A7");
    ack(a7_, head_a_);
  }

  MetricsReport Compute(const Actor& actor, MetricsQuery q) {
    auto r = f_.metrics->Compute(actor, q);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(MetricsReport{});
  }

  testing::AppealsFixture f_;
  Actor head_a_, head_b_, city_;
  Receipt a1_, a2_, a3_, a4_, a5_, a6_, a7_, b1_;
};

TEST_P(MetricsTest, DistrictMonthMatchesHandCount) {
  MetricsReport r = Compute(
      head_a_,
      {.from_date = "2026-11-01", .to_date = "2026-11-30", .trend = TrendGranularity::kDay});
  const MetricCounts& t = r.total;
  EXPECT_EQ(r.unit_id, f_.district_a.id);
  EXPECT_EQ(t.accepted, 4);              // A1 A2 A3 A4
  EXPECT_EQ(t.acknowledged_on_time, 3);  // not A2
  EXPECT_EQ(t.replied, 3);               // A1 A2 A4
  EXPECT_EQ(t.replied_on_time, 2);       // not A2
  EXPECT_EQ(t.resolved, 3);              // A1 (rated) A2 (followed up) A4 (auto-closed)
  EXPECT_EQ(t.rated, 2);                 // A1 A2
  EXPECT_EQ(t.satisfied, 1);
  EXPECT_EQ(t.unsatisfied, 1);
  EXPECT_EQ(t.rectified, 1);
  EXPECT_EQ(t.follow_up_visits, 1);
  EXPECT_DOUBLE_EQ(t.ReplyRate(), 0.75);
  EXPECT_DOUBLE_EQ(t.ResolutionRate(), 0.75);
  EXPECT_DOUBLE_EQ(t.SatisfactionRate(), 0.5);

  ASSERT_EQ(r.by_channel.size(), 3u);  // web, wechat, hotline in declaration order
  EXPECT_EQ(r.by_channel[0].first, Channel::kWeb);
  EXPECT_EQ(r.by_channel[0].second.accepted, 2);  // A1 A3
  EXPECT_EQ(r.by_channel[0].second.replied, 1);
  EXPECT_EQ(r.by_channel[1].first, Channel::kWechat);
  EXPECT_EQ(r.by_channel[1].second.unsatisfied, 1);
  EXPECT_EQ(r.by_channel[2].first, Channel::kHotline);
  EXPECT_EQ(r.by_channel[2].second.resolved, 1);
  ASSERT_EQ(r.by_kind.size(), 3u);
  EXPECT_EQ(r.by_kind[0].first, AppealKind::kConsultation);
  EXPECT_EQ(r.by_kind[1].first, AppealKind::kComplaint);
  EXPECT_EQ(r.by_kind[1].second.accepted, 2);
  EXPECT_EQ(r.by_kind[2].first, AppealKind::kReport);

  ASSERT_EQ(r.trend.size(), 30u);  // every day of November, zeros included
  EXPECT_EQ(r.trend.front().first, "2026-11-01");
  EXPECT_EQ(r.trend[22].first, "2026-11-23");
  EXPECT_EQ(r.trend[22].second.accepted, 3);
  EXPECT_EQ(r.trend[23].second.accepted, 1);
  EXPECT_EQ(r.trend[0].second.accepted, 0);
}

TEST_P(MetricsTest, CityFiltersAndMonthlyTrend) {
  MetricsReport city = Compute(city_, {.from_date = "2026-11-01", .to_date = "2026-12-31"});
  EXPECT_EQ(city.total.accepted, 6);  // + B1 + A7
  EXPECT_EQ(city.total.replied, 4);
  EXPECT_EQ(city.total.resolved, 4);  // A1 A2 A4, and B1 (basically satisfied)
  ASSERT_EQ(city.trend.size(), 2u);
  EXPECT_EQ(city.trend[0].first, "2026-11");
  EXPECT_EQ(city.trend[0].second.accepted, 5);
  EXPECT_EQ(city.trend[1].first, "2026-12");
  EXPECT_EQ(city.trend[1].second.accepted, 1);

  MetricsReport nov = Compute(city_, {.from_date = "2026-11-01", .to_date = "2026-11-30"});
  EXPECT_EQ(nov.total.resolved, 4);
  EXPECT_EQ(nov.total.rated, 3);
  EXPECT_EQ(nov.total.satisfied, 2);
  EXPECT_NEAR(nov.total.SatisfactionRate(), 2.0 / 3.0, 1e-12);

  MetricsReport wechat = Compute(city_, {.from_date = "2026-11-01",
                                         .to_date = "2026-11-30",
                                         .channel = Channel::kWechat,
                                         .trend = TrendGranularity::kNone});
  EXPECT_EQ(wechat.total.accepted, 1);
  EXPECT_TRUE(wechat.trend.empty());
  MetricsReport b = Compute(
      city_, {.unit_id = f_.district_b.id, .from_date = "2026-11-01", .to_date = "2026-11-30"});
  EXPECT_EQ(b.total.accepted, 1);
  EXPECT_EQ(b.total.satisfied, 1);
}

TEST_P(MetricsTest, RebuildAgreesWithTheIncrementalRollup) {
  MetricsQuery q{
      .from_date = "2026-11-01", .to_date = "2026-12-31", .trend = TrendGranularity::kDay};
  MetricsReport before = Compute(city_, q);
  ASSERT_TRUE(f_.metrics->Rebuild());
  MetricsReport after = Compute(city_, q);
  ASSERT_EQ(before.trend.size(), after.trend.size());
  for (size_t i = 0; i < before.trend.size(); ++i) {
    EXPECT_EQ(before.trend[i].second.accepted, after.trend[i].second.accepted);
    EXPECT_EQ(before.trend[i].second.resolved, after.trend[i].second.resolved);
    EXPECT_EQ(before.trend[i].second.follow_up_visits, after.trend[i].second.follow_up_visits);
  }
  EXPECT_EQ(after.total.accepted, 6);
  EXPECT_EQ(after.total.replied, 4);
  EXPECT_EQ(after.total.replied_on_time, 3);
  EXPECT_EQ(after.total.acknowledged_on_time, 5);
  EXPECT_EQ(after.total.satisfied, 2);
  EXPECT_EQ(after.total.unsatisfied, 1);
  // A merged appeal leaves the rollup entirely: A6 was counted while acknowledged.
  EXPECT_EQ(before.total.accepted, after.total.accepted);
}

TEST_P(MetricsTest, RebuildFollowsAUnitMove) {
  // Assign A3 down to station A1, then move the station (with A3) under district B.
  auto a3 = f_.service->Get(city_, a3_.id);
  ASSERT_TRUE(a3);
  auto assigned = f_.service->Assign(head_a_, a3_.id, a3->appeal.version, f_.station_a1.id, "");
  ASSERT_TRUE(assigned) << assigned.error().message;
  Actor admin = MakeActor(f_.city, {Role::kSystemAdmin}, 41);
  auto station = f_.org->GetUnit(admin, f_.station_a1.id);
  ASSERT_TRUE(station);
  ASSERT_TRUE(f_.org->MoveUnit(admin, f_.station_a1.id, station->unit.version, f_.district_b.id));
  ASSERT_TRUE(f_.metrics->Rebuild());
  MetricsQuery nov{.from_date = "2026-11-01", .to_date = "2026-11-30"};
  EXPECT_EQ(Compute(head_b_, nov).total.accepted, 2);  // B1 and A3
  EXPECT_EQ(Compute(head_a_, nov).total.accepted, 3);
  AppealFilter filter;
  auto found = f_.service->Search(head_b_, filter);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->total, 2);
}

TEST_P(MetricsTest, ChecksThePeriodAndTheSubtree) {
  auto bad = f_.metrics->Compute(head_a_, {.from_date = "2026-12-01", .to_date = "2026-11-01"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  auto long_daily = f_.metrics->Compute(
      head_a_,
      {.from_date = "2025-01-01", .to_date = "2026-12-31", .trend = TrendGranularity::kDay});
  EXPECT_EQ(long_daily.error().code, ErrorCode::kInvalidArgument);
  auto other = f_.metrics->Compute(
      head_a_, {.unit_id = f_.district_b.id, .from_date = "2026-11-01", .to_date = "2026-11-30"});
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  Actor admin = MakeActor(f_.city, {Role::kSystemAdmin}, 40);
  auto denied = f_.metrics->Compute(admin, {.from_date = "2026-11-01", .to_date = "2026-11-30"});
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, MetricsTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lianxin::appeals
