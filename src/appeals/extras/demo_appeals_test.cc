#include "appeals/extras/demo_appeals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>

#include "appeals/appeal_service.h"
#include "appeals/metrics.h"
#include "core/time.h"
#include "org/demo_data.h"
#include "org/org_test_support.h"

namespace lianxin::appeals {
namespace {

using org::testing::TestDatabase;
using org::testing::TestProtector;

constexpr double kScale = 0.07;  // ~11,500 appeals: past the inbox count cap

int64_t At(const char* iso) { return ParseIso8601(iso).value_or(0); }

// A migrated SQLite database with the demo organisation and the demo appeals at kScale.
class DemoAppealsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared_ = new Loaded();
    shared_->ok = Load(*shared_);
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  struct Loaded {
    std::unique_ptr<TestDatabase> database;
    FakeClock clock{At("2026-11-23T09:00:00+08:00")};  // a Monday
    org::DemoOrgSummary org;
    DemoAppealsSummary summary;
    bool ok = false;
  };

  static bool Load(Loaded& l) {
    std::string skip;
    l.database = TestDatabase::Open("sqlite", &skip);
    if (!l.database) return false;
    auto org = org::LoadOrgDemo(l.database->db(), TestProtector(), l.clock, 0.05, &l.org);
    EXPECT_TRUE(org) << (org ? "" : org.error().message);
    auto loaded = LoadAppealsDemo(l.database->db(), TestProtector(), l.clock, kScale, &l.summary);
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    return org && loaded;
  }

  void SetUp() override { ASSERT_TRUE(shared_ && shared_->ok); }

  storage::Database& db() { return shared_->database->db(); }
  const DemoAppealsSummary& summary() { return shared_->summary; }

  std::vector<storage::Row> Query(std::string_view sql, storage::Params params = {}) {
    auto rows = db().Read<std::vector<storage::Row>>(
        [&](storage::Session& s) { return s.Query(sql, params); });
    EXPECT_TRUE(rows) << (rows ? "" : rows.error().message);
    return rows.value_or(std::vector<storage::Row>{});
  }
  int64_t Count(std::string_view sql, storage::Params params = {}) {
    auto rows = Query(sql, std::move(params));
    return rows.empty() ? -1 : rows[0].Int(0);
  }

  static Loaded* shared_;
};
DemoAppealsTest::Loaded* DemoAppealsTest::shared_ = nullptr;

TEST_F(DemoAppealsTest, HechuanIsTrueToTheSeed) {
  const auto& h = summary().hechuan;
  ASSERT_EQ(h.code, "500117");
  // 4,600 × kScale accepted, 4,586/4,600 of them resolved, every one replied.
  const int64_t expected_accepted = std::llround(4600.0 * kScale);
  EXPECT_EQ(h.accepted, expected_accepted);
  EXPECT_EQ(h.replied, h.accepted);
  int64_t expected_resolved = std::llround(double(expected_accepted) * 4586.0 / 4600.0);
  EXPECT_NEAR(double(h.resolved), double(expected_resolved), 1.0);
  EXPECT_GT(h.appeals, h.accepted);  // a few just submitted, not yet accepted

  // The same numbers straight from the table.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals WHERE district_code = '500117' AND "
                  "acknowledged_at IS NOT NULL"),
            h.accepted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals WHERE district_code = '500117' AND "
                  "acknowledged_at IS NOT NULL AND replied_at IS NULL"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals WHERE district_code = '500117' AND "
                  "state = 'closed' AND resolved = 1"),
            h.resolved);
}

TEST_F(DemoAppealsTest, VolumeAndMixAreCityWide) {
  const auto& s = summary();
  // 150,000–200,000 a year city-wide at scale 1.
  EXPECT_GE(s.appeals, int64_t(150'000 * kScale));
  EXPECT_LE(s.appeals, int64_t(200'000 * kScale));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals"), s.appeals);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeal_events"), s.events);
  EXPECT_GT(s.events, s.appeals * 4);
  EXPECT_EQ(s.districts.size(), 38u);
  std::map<std::string, int64_t> by_code;
  for (const auto& d : s.districts) by_code[d.code] = d.appeals;
  EXPECT_GT(by_code["500103"], by_code["500229"] * 3);  // 渝中 far above 城口
  EXPECT_GT(by_code["500112"], by_code["500117"]);      // 渝北 above 合川

  // Mostly closed, a few at every other stage, overdue, rectified and reopened.
  int64_t closed =
      s.by_state.contains(AppealState::kClosed) ? s.by_state.at(AppealState::kClosed) : 0;
  EXPECT_GT(double(closed) / double(s.appeals), 0.9);
  for (AppealState st : {AppealState::kSubmitted, AppealState::kAcknowledged,
                         AppealState::kAssigned, AppealState::kReplied}) {
    EXPECT_GT(s.by_state.contains(st) ? s.by_state.at(st) : 0, 0) << StateName(st);
  }
  EXPECT_GT(s.overdue, 0);
  EXPECT_GT(s.escalated, 0);
  EXPECT_GT(s.rectified, 0);
  EXPECT_GT(s.reopened, 0);
  EXPECT_GT(s.published, s.appeals / 5);
  EXPECT_EQ(s.by_state.count(AppealState::kMerged), 0u);

  // Every channel and kind appears; WeChat is the biggest channel, consultations the biggest
  // kind.
  auto channels = Query("SELECT channel, COUNT(*) FROM appeals GROUP BY channel ORDER BY 2 DESC");
  ASSERT_EQ(channels.size(), 8u);
  EXPECT_EQ(channels[0].Text(0), "wechat");
  auto kinds = Query("SELECT kind, COUNT(*) FROM appeals GROUP BY kind ORDER BY 2 DESC");
  ASSERT_EQ(kinds.size(), 5u);
  EXPECT_EQ(kinds[0].Text(0), "consultation");
  // Texts name the district's landmarks.
  EXPECT_GT(Count("SELECT COUNT(*) FROM appeals WHERE district_code = '500105' AND text LIKE "
                  "'%观音桥%'"),
            0);
  // Personal data is sealed: no plain synthetic phone number in the table.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM appeals WHERE citizen_phone_sealed LIKE '1390000%'"), 0);
  EXPECT_GT(Count("SELECT COUNT(*) FROM appeals WHERE citizen_phone_hash <> ''"), 0);
}

TEST_F(DemoAppealsTest, MetricsShowAFullReplyRateForHechuan) {
  auth::AuditLog audit(db(), shared_->clock);
  auth::AccessPolicy policy(&audit);
  AppealMetrics metrics(db(), policy);
  auto city = Query("SELECT id, path FROM units WHERE parent_id IS NULL");
  ASSERT_EQ(city.size(), 1u);
  Actor viewer;
  viewer.account_id = 1;
  viewer.unit_id = city[0].Int(0);
  viewer.unit_path = city[0].Text(1);
  viewer.roles = {Role::kViewer};
  auto hechuan = Query("SELECT id FROM units WHERE code = '500117'");
  ASSERT_EQ(hechuan.size(), 1u);

  MetricsQuery q;
  q.unit_id = hechuan[0].Int(0);
  q.from_date = summary().from_date;
  q.to_date = summary().to_date;
  auto report = metrics.Compute(viewer, q);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->total.accepted, summary().hechuan.accepted);
  EXPECT_DOUBLE_EQ(report->total.ReplyRate(), 1.0);
  EXPECT_EQ(report->total.resolved, summary().hechuan.resolved);
  EXPECT_EQ(report->total.replied_on_time, report->total.replied);
  EXPECT_GT(report->total.SatisfactionRate(), 0.9);
  EXPECT_EQ(report->trend.size(), 13u);  // a year from a day in November: 13 months touched

  // City-wide: not every district is perfect.
  q.unit_id.reset();
  auto all = metrics.Compute(viewer, q);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->total.accepted, summary().accepted);
  EXPECT_LT(all->total.ReplyRate(), 1.0);
  EXPECT_GT(all->total.ReplyRate(), 0.98);
  EXPECT_LT(all->total.acknowledged_on_time, all->total.accepted);
}

// The demo holds over 10,000 appeals (165,017 × kScale): the inbox caps its count there, the
// export counts exactly, and both see the same newest page.
TEST_F(DemoAppealsTest, InboxCountsUpToItsCapAndTheExportExactly) {
  const int64_t all = Count("SELECT COUNT(*) FROM appeals");
  ASSERT_GT(all, kInboxCountCap) << "raise kScale";
  auth::AuditLog audit(db(), shared_->clock);
  auth::AccessPolicy policy(&audit);
  AppealService service(db(), TestProtector(), shared_->clock, policy, audit);
  Actor city;
  city.account_id = 1;
  city.unit_id = shared_->org.city_bureau_id;
  city.unit_path = "/" + std::to_string(city.unit_id) + "/";
  city.roles = {Role::kPrOfficer};
  AppealFilter filter;
  auto capped = service.Search(city, filter);
  ASSERT_TRUE(capped) << capped.error().message;
  EXPECT_EQ(capped->total, kInboxCountCap);
  EXPECT_TRUE(capped->total_capped);
  filter.exact_total = true;
  auto exact = service.Search(city, filter);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->total, all);
  EXPECT_FALSE(exact->total_capped);
  ASSERT_EQ(capped->items.size(), exact->items.size());
  EXPECT_EQ(capped->items.front().id, exact->items.front().id);
}

TEST_F(DemoAppealsTest, SamplesOpenTheTrackPage) {
  auth::AuditLog audit(db(), shared_->clock);
  auth::AccessPolicy policy(&audit);
  AppealService service(db(), TestProtector(), shared_->clock, policy, audit);
  ASSERT_EQ(summary().samples.size(), 3u);
  EXPECT_EQ(summary().samples[0].district_code, "500117");
  EXPECT_EQ(summary().samples[0].state, AppealState::kClosed);
  EXPECT_EQ(summary().samples[1].state, AppealState::kReplied);
  for (const auto& sample : summary().samples) {
    auto view = service.Track(sample.tracking_number, sample.access_code);
    ASSERT_TRUE(view) << sample.tracking_number << ": " << view.error().message;
    EXPECT_EQ(view->appeal.state, sample.state);
    ASSERT_FALSE(view->timeline.empty());
    EXPECT_EQ(view->timeline.front().action, "submit");
    for (const auto& e : view->timeline) {
      EXPECT_TRUE(e.is_public);
      EXPECT_TRUE(e.actor_name.empty());
    }
    auto wrong = service.Track(sample.tracking_number, "ZZZZZZ");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kNotFound);
  }
  EXPECT_TRUE(service.Track(summary().samples[1].tracking_number, summary().samples[1].access_code)
                  ->can_rate);
  // The wall has content, for Hechuan too.
  auto wall = service.Wall(WallQuery{.district_code = "500117"});
  ASSERT_TRUE(wall) << wall.error().message;
  EXPECT_GT(wall->total, 20);

  // A new submission continues the day's numbering.
  Submission sub;
  sub.kind = AppealKind::kConsultation;
  sub.category = "household";
  sub.text = "请问户口迁移怎么办理？";
  sub.location.district_code = "500117";
  auto receipt = service.Submit(sub, "");
  ASSERT_TRUE(receipt) << receipt.error().message;
  auto today = Query("SELECT MAX(tracking_number) FROM appeals WHERE tracking_number LIKE $1",
                     {std::string("YJ20261123%")});
  EXPECT_EQ(today[0].Text(0), receipt->tracking_number);
  EXPECT_GT(receipt->tracking_number.substr(10), "000001");
}

// Every timeline follows the state table, in time order, ending in the appeal's state, and
// the appeal's times agree with its events.
TEST_F(DemoAppealsTest, TimelinesAreConsistent) {
  const int64_t now = shared_->clock.NowMillis();
  auto appeals = Query(
      "SELECT id, state, created_at, acknowledged_at, replied_at, closed_at, rated_at, "
      "reply_deadline, due_at, escalated_at, resolved, version FROM appeals WHERE id <= $1 ORDER "
      "BY id",
      {summary().appeals});
  auto events = Query(
      "SELECT appeal_id, at, action, from_state, to_state, public FROM appeal_events WHERE "
      "appeal_id <= $1 ORDER BY appeal_id, at, id",
      {summary().appeals});
  ASSERT_EQ(appeals.size(), size_t(summary().appeals));
  size_t e = 0;
  int checked = 0;
  for (const auto& a : appeals) {
    const int64_t id = a.Int(0);
    std::string state;
    int64_t last_at = 0;
    std::optional<int64_t> ack_at, reply_at;
    int64_t changes = 0;
    ASSERT_LT(e, events.size());
    ASSERT_EQ(events[e].Int(0), id);
    EXPECT_EQ(events[e].Text(2), "submit");
    EXPECT_EQ(events[e].Int(1), a.Int(2));
    for (; e < events.size() && events[e].Int(0) == id; ++e) {
      const auto& ev = events[e];
      const std::string action = ev.Text(2);
      EXPECT_GE(ev.Int(1), last_at) << id;
      EXPECT_LE(ev.Int(1), now) << id;
      last_at = ev.Int(1);
      if (action != "submit") {
        ASSERT_EQ(ev.Text(3), state) << "appeal " << id << " " << action;
        AppealState from{}, to{};
        ASSERT_TRUE(ParseState(ev.Text(3), from));
        ASSERT_TRUE(ParseState(ev.Text(4), to));
        if (action != "warn" && action != "escalate") {
          WorkflowAction step{};
          bool known = false;
          for (WorkflowAction w : kAllWorkflowActions) {
            if (WorkflowActionName(w) == action) {
              step = w;
              known = true;
            }
          }
          ASSERT_TRUE(known) << action;
          EXPECT_EQ(NextState(from, step), std::optional<AppealState>(to))
              << "appeal " << id << " " << action;
          ++changes;
        } else {
          EXPECT_EQ(from, to);
          EXPECT_FALSE(ev.Bool(5));
        }
      }
      if (action == "acknowledge") ack_at = ev.Int(1);
      if (action == "reply") reply_at = ev.Int(1);
      if (action == "reopen") reply_at.reset();
      state = ev.Text(4);
    }
    EXPECT_EQ(state, a.Text(1)) << id;
    EXPECT_EQ(a.OptInt(3), ack_at) << id;
    EXPECT_EQ(a.OptInt(4), reply_at) << id;
    EXPECT_EQ(a.Int(11), 1 + changes) << id;  // version: one per saved change
    if (state == "closed") {
      EXPECT_TRUE(a.Bool(10));
      EXPECT_FALSE(a.IsNull(5));
      EXPECT_TRUE(a.IsNull(8));
    }
    if (state == "acknowledged" || state == "assigned" || state == "verifying") {
      EXPECT_EQ(a.OptInt(8), a.OptInt(7)) << id;  // the reply step runs
    }
    if (!a.IsNull(9)) {
      EXPECT_LE(a.Int(8), a.Int(9)) << id;  // escalated after the deadline
    }
    ++checked;
  }
  EXPECT_EQ(e, events.size());
  EXPECT_EQ(checked, summary().appeals);
}

TEST(DemoAppealsDeterminismTest, SameInputsSameAppeals) {
  FakeClock clock(At("2026-06-15T16:30:00+08:00"));
  std::string skip;
  auto a = TestDatabase::Open("sqlite", &skip);
  auto b = TestDatabase::Open("sqlite", &skip);
  ASSERT_TRUE(a && b);
  for (auto* d : {a.get(), b.get()}) {
    ASSERT_TRUE(org::LoadOrgDemo(d->db(), TestProtector(), clock, 0.05, nullptr));
  }
  DemoAppealsSummary sa, sb;
  ASSERT_TRUE(LoadAppealsDemo(a->db(), TestProtector(), clock, 0.01, &sa));
  ASSERT_TRUE(LoadAppealsDemo(b->db(), TestProtector(), clock, 0.01, &sb));
  EXPECT_EQ(sa.appeals, sb.appeals);
  EXPECT_EQ(sa.events, sb.events);
  ASSERT_EQ(sa.samples.size(), sb.samples.size());
  for (size_t i = 0; i < sa.samples.size(); ++i) {
    EXPECT_EQ(sa.samples[i].tracking_number, sb.samples[i].tracking_number);
    EXPECT_EQ(sa.samples[i].access_code, sb.samples[i].access_code);
  }
  constexpr std::string_view kRows =
      "SELECT tracking_number, access_code_hash, kind, category, channel, state, text, "
      "reply_text, created_at, replied_at, closed_at, citizen_phone_hash, unit_id, "
      "(SELECT COUNT(*) FROM appeal_events e WHERE e.appeal_id = a.id) FROM appeals a ORDER BY "
      "id";
  auto rows = [&](TestDatabase& d) {
    auto r =
        d.db().Read<std::vector<storage::Row>>([&](storage::Session& s) { return s.Query(kRows); });
    EXPECT_TRUE(r);
    std::vector<std::string> out;
    for (const auto& row : r.value_or(std::vector<storage::Row>{})) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) line += row.Text(c) + "|";
      out.push_back(line);
    }
    return out;
  };
  auto ra = rows(*a);
  EXPECT_EQ(ra.size(), size_t(sa.appeals));
  EXPECT_EQ(ra, rows(*b));

  // A second load is refused; so is a silly scale.
  auto again = LoadAppealsDemo(a->db(), TestProtector(), clock, 0.01, nullptr);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(LoadAppealsDemo(b->db(), TestProtector(), clock, 0.0, nullptr));
}

TEST(DemoAppealsEmptyTest, NeedsTheOrganisation) {
  FakeClock clock(At("2026-06-15T16:30:00+08:00"));
  std::string skip;
  auto d = TestDatabase::Open("sqlite", &skip);
  ASSERT_TRUE(d);
  auto loaded = LoadAppealsDemo(d->db(), TestProtector(), clock, 0.01, nullptr);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace lianxin::appeals
