#include <gtest/gtest.h>

#include "appeals/appeals_test_support.h"
#include "appeals/extras/export_routes.h"
#include "appeals/extras/export_xlsx.h"

namespace lianxin::appeals {
namespace {

using testing::At;
using testing::MakeActor;

TEST(ExportRowsTest, FormatsLabelsAndMasks) {
  AppealView v;
  v.tracking_number = "YJ20261123000001";
  v.kind = AppealKind::kComplaint;
  v.category = "noise";
  v.channel = Channel::kWechat;
  v.state = AppealState::kClosed;
  v.location.district_code = "500117";
  v.unit_name = "合阳派出所";
  v.created_at = At("2026-11-23T09:05:59+08:00");
  v.acknowledged_at = At("2026-11-23T23:59:00+08:00");
  v.replied_at = At("2026-11-24T00:00:00+08:00");
  v.closed_at = At("2026-11-25T10:30:00+08:00");
  v.reply_deadline = At("2026-12-01T00:00:00+08:00");
  v.rating = Rating::kBasicallySatisfied;
  v.citizen_name_masked = "张*";
  v.citizen_phone_masked = "138****5678";
  v.text = "=HYPERLINK(\"x\") 夜间噪音";
  ExportNames names;
  names.categories["noise"] = "噪音扰民";
  names.districts["500117"] = "合川区";
  auto rows = ExportRows({v}, names, At("2026-11-26T09:00:00+08:00"));
  ASSERT_EQ(rows.size(), 1u);
  const ExportRow expected = {"YJ20261123000001", "投诉",
                              "噪音扰民",         "微信",
                              "已办结",           "合川区",
                              "合阳派出所",       "2026-11-23 09:05",
                              "2026-11-23 23:59", "2026-11-24 00:00",
                              "2026-11-25 10:30", "否",
                              "基本满意",         "张*",
                              "138****5678",      "=HYPERLINK(\"x\") 夜间噪音"};
  EXPECT_EQ(rows[0], expected);
  EXPECT_EQ(ExportHeaders().size(), kExportColumns);
  EXPECT_EQ(ExportHeaders()[0], "编号");
  EXPECT_EQ(ExportHeaders()[15], "诉求内容");

  // Unknown codes show themselves; absent times and ratings are empty.
  AppealView open;
  open.category = "custom";
  open.state = AppealState::kAssigned;
  open.created_at = At("2026-01-01T00:00:00+08:00");
  open.reply_deadline = At("2026-01-09T00:00:00+08:00");
  open.due_at = open.reply_deadline;
  auto r = ExportRows({open}, names, At("2026-01-02T00:00:00+08:00"))[0];
  EXPECT_EQ(r[2], "custom");
  EXPECT_EQ(r[5], "");
  EXPECT_EQ(r[8], "");
  EXPECT_EQ(r[11], "否");
  EXPECT_EQ(r[12], "");
  EXPECT_EQ(r[13], "");
}

TEST(ExportRowsTest, OverdueCases) {
  struct Case {
    const char* name;
    AppealState state;
    std::optional<int64_t> replied_at;
    std::optional<int64_t> due_at;
    std::optional<int64_t> escalated_at;
    bool overdue;
  };
  const int64_t deadline = At("2026-11-21T00:00:00+08:00");
  const int64_t now = At("2026-11-23T09:00:00+08:00");
  const Case cases[] = {
      {"replied on time", AppealState::kReplied, deadline - 1, std::nullopt, std::nullopt, false},
      {"replied late", AppealState::kClosed, deadline + 1, std::nullopt, std::nullopt, true},
      {"open, past due", AppealState::kAssigned, std::nullopt, deadline, std::nullopt, true},
      {"open, not yet due", AppealState::kAssigned, std::nullopt, now + 1, std::nullopt, false},
      {"escalated", AppealState::kVerifying, std::nullopt, now + 1, deadline, true},
      {"closed, stale due", AppealState::kClosed, deadline - 1, deadline, std::nullopt, false},
  };
  for (const auto& c : cases) {
    AppealView v;
    v.state = c.state;
    v.reply_deadline = deadline;
    v.replied_at = c.replied_at;
    v.due_at = c.due_at;
    v.escalated_at = c.escalated_at;
    EXPECT_EQ(IsOverdueForExport(v, now), c.overdue) << c.name;
  }
}

TEST(ExportRowsTest, TimesAreChinaStandardTime) {
  EXPECT_EQ(FormatExportTime(0), "1970-01-01 08:00");
  EXPECT_EQ(FormatExportTime(At("2026-02-16T15:59:00Z")), "2026-02-16 23:59");
  EXPECT_EQ(FormatExportTime(At("2026-02-16T16:00:00Z")), "2026-02-17 00:00");
}

TEST(ExportRowsTest, FilterSummaryHasNoSearchText) {
  AppealFilter f;
  f.states = {AppealState::kClosed, AppealState::kReplied};
  f.kind = AppealKind::kComplaint;
  f.unit_id = 17;
  f.q = "13812345678";
  f.overdue = true;
  std::string s = FilterSummary(f);
  EXPECT_EQ(s,
            "state=closed,replied kind=complaint unit_id=17 overdue=true q_chars=11 sort=newest");
  EXPECT_EQ(s.find("1381"), std::string::npos);
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string skip;
    ASSERT_TRUE(f_.Start("sqlite", &skip)) << skip;
    head_a_ = MakeActor(f_.district_a, {Role::kUnitHead}, 21);
    head_b_ = MakeActor(f_.district_b, {Role::kUnitHead}, 22);
    exporter_ =
        std::make_unique<AppealExporter>(*f_.service, f_.database->db(), *f_.audit, f_.clock);
    for (int i = 0; i < 3; ++i) {
      auto r = f_.service->Submit(
          testing::AppealsFixture::Sample("夜里有人喧哗 " + std::to_string(i)), "");
      ASSERT_TRUE(r) << r.error().message;
      receipts_.push_back(*r);
    }
    Submission other = testing::AppealsFixture::Sample("合川的诉求");
    other.location.district_code = "500117";
    ASSERT_TRUE(f_.service->Submit(other, ""));
    f_.clock.SetMillis(At("2026-11-23T10:00:00+08:00"));
    ASSERT_TRUE(f_.service->Acknowledge(head_a_, receipts_[0].id, 1, "已受理"));
  }

  testing::AppealsFixture f_;
  Actor head_a_, head_b_;
  std::unique_ptr<AppealExporter> exporter_;
  std::vector<Receipt> receipts_;
};

TEST_F(ExportTest, WritesAWorkbookOfTheFilteredList) {
  auto result = exporter_->Export(head_a_, AppealFilter{});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->rows, 3);  // district A's subtree only
  EXPECT_EQ(result->total, 3);
  EXPECT_FALSE(result->truncated);
  ASSERT_GT(result->bytes.size(), 1000u);
  EXPECT_EQ(result->bytes.substr(0, 2), "PK");
  // Names and phones never appear in clear (the workbook is zipped, so look for the masked
  // forms through the pure rows instead).
  EXPECT_EQ(result->bytes.find("13812345678"), std::string::npos);

  AppealFilter acknowledged;
  acknowledged.states = {AppealState::kAcknowledged};
  auto one = exporter_->Export(head_a_, acknowledged);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->rows, 1);

  int64_t total = 0;
  auto records = f_.audit->Search(auth::AuditQuery{.action_prefix = "appeal.export"}, total);
  ASSERT_TRUE(records);
  ASSERT_EQ(total, 2);
  EXPECT_EQ((*records)[0].detail, "state=acknowledged sort=newest rows=1");
  EXPECT_EQ((*records)[0].username, head_a_.username);
}

TEST_F(ExportTest, SiblingSubtreeIsDenied) {
  AppealFilter f;
  f.unit_id = f_.district_a.id;
  auto denied = exporter_->Export(head_b_, f);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  int64_t total = 0;
  ASSERT_TRUE(f_.audit->Search(auth::AuditQuery{.action_prefix = "appeal.export"}, total));
  EXPECT_EQ(total, 0);
}

TEST_F(ExportTest, RouteServesTheDownload) {
  http::Router router;
  RegisterAppealExportRoutes(router, *exporter_);
  auto call = [&](std::string query, std::optional<Actor> actor) {
    auto match = router.Find(http::Method::kGet, "/api/v1/appeals/export");
    EXPECT_NE(match.route, nullptr);
    http::Request request;
    request.path = "/api/v1/appeals/export";
    request.query = std::move(query);
    request.actor = std::move(actor);
    EXPECT_EQ(match.route->options.access, http::Access::kSignedIn);
    return match.route->handler(request);
  };
  auto ok = call("state=submitted,acknowledged&page=2&page_size=5", head_a_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Header("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(ok.Header("Content-Disposition"),
            "attachment; filename=\"appeals-20261123.xlsx\"; "
            "filename*=UTF-8''%E8%AF%89%E6%B1%82%E5%AF%BC%E5%87%BA-20261123.xlsx");
  EXPECT_EQ(ok.Header("Cache-Control"), "no-store");
  EXPECT_EQ(ok.Header("X-Export-Rows"), "3");
  EXPECT_EQ(ok.body.substr(0, 2), "PK");

  auto denied = call("unit_id=" + std::to_string(f_.district_a.id), head_b_);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(call("", std::nullopt).status, 401);
  auto invalid = call("state=bogus&overdue=maybe&unit_id=-1", head_a_);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("overdue"), std::string::npos);
  EXPECT_NE(invalid.body.find("unit_id"), std::string::npos);
}

}  // namespace
}  // namespace lianxin::appeals
