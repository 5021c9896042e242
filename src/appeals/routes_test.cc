#include "appeals/routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "appeals/appeals_test_support.h"
#include "http/json.h"

namespace lianxin::appeals {
namespace {

using http::Json;
using http::Method;
using ::testing::HasSubstr;
using testing::MakeActor;
using ::testing::Not;

class AppealRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string skip;
    ASSERT_TRUE(f_.Start("sqlite", &skip)) << skip;
    RegisterPublicAppealRoutes(router_, *f_.service);
    RegisterAppealRoutes(router_, *f_.service, *f_.metrics);
    head_a_ = MakeActor(f_.district_a, {Role::kUnitHead}, 11);
    officer_b_ = MakeActor(f_.district_b, {Role::kOfficer}, 13);
    pr_city_ = MakeActor(f_.city, {Role::kPrOfficer}, 10);
  }

  http::Response Call(Method method, const std::string& target, const std::string& body = "",
                      const std::optional<Actor>& actor = std::nullopt,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = method;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = body;
    request.headers.push_back({"content-type", "application/json"});
    for (auto& h : headers) request.headers.push_back(h);
    request.actor = actor;
    auto match = router_.Find(method, request.path);
    if (match.route == nullptr) {
      ADD_FAILURE() << "no route for " << target;
      return http::Response{404, {}, ""};
    }
    request.path_params = match.params;
    return match.route->handler(request);
  }
  static Json Body(const http::Response& r) { return Json::parse(r.body); }
  static std::vector<std::string> Fields(const http::Response& r) {
    std::vector<std::string> out;
    for (const auto& e : Body(r).value("errors", Json::array())) out.push_back(e["field"]);
    return out;
  }

  Json SubmitJson() {
    return Json{{"kind", "complaint"},
                {"category", "noise"},
                {"text", "楼下烧烤店深夜噪音扰民"},
                {"citizen_name", "李四"},
                {"citizen_phone", "13987654321"},
                {"publish_reply", true},
                {"location", {{"district_code", "500103"}, {"address", "较场口 8 号"}}}};
  }

  testing::AppealsFixture f_;
  http::Router router_;
  Actor head_a_, officer_b_, pr_city_;
};

TEST_F(AppealRoutesTest, RegistersEveryRouteOfTheContract) {
  const std::set<std::pair<std::string, std::string>> expected = {
      {"POST", "/api/v1/public/appeals"},
      {"GET", "/api/v1/public/appeals/similar"},
      {"POST", "/api/v1/public/appeals/track"},
      {"POST", "/api/v1/public/appeals/rate"},
      {"POST", "/api/v1/public/appeals/reopen"},
      {"GET", "/api/v1/public/wall"},
      {"GET", "/api/v1/public/appeal-categories"},
      {"GET", "/api/v1/appeals"},
      {"POST", "/api/v1/appeals"},
      {"GET", "/api/v1/appeals/{id}"},
      {"POST", "/api/v1/appeals/bulk-assign"},
      {"POST", "/api/v1/appeals/from-post"},
      {"POST", "/api/v1/appeals/{id}/reveal-contact"},
      {"POST", "/api/v1/appeals/{id}/acknowledge"},
      {"POST", "/api/v1/appeals/{id}/assign"},
      {"POST", "/api/v1/appeals/{id}/transfer"},
      {"POST", "/api/v1/appeals/{id}/verify"},
      {"POST", "/api/v1/appeals/{id}/reply"},
      {"POST", "/api/v1/appeals/{id}/notes"},
      {"POST", "/api/v1/appeals/{id}/rectification"},
      {"POST", "/api/v1/appeals/{id}/complete-rectification"},
      {"POST", "/api/v1/appeals/{id}/follow-up"},
      {"POST", "/api/v1/appeals/{id}/merge"},
      {"GET", "/api/v1/appeal-views"},
      {"POST", "/api/v1/appeal-views"},
      {"DELETE", "/api/v1/appeal-views/{id}"},
      {"GET", "/api/v1/reply-templates"},
      {"POST", "/api/v1/reply-templates"},
      {"PATCH", "/api/v1/reply-templates/{id}"},
      {"DELETE", "/api/v1/reply-templates/{id}"},
      {"GET", "/api/v1/appeal-categories"},
      {"PUT", "/api/v1/appeal-categories/{code}"},
      {"GET", "/api/v1/appeal-calendar"},
      {"PUT", "/api/v1/appeal-calendar/{date}"},
      {"DELETE", "/api/v1/appeal-calendar/{date}"},
      {"GET", "/api/v1/appeal-deadlines"},
      {"PUT", "/api/v1/appeal-deadlines/{kind}"},
      {"GET", "/api/v1/notifications"},
      {"POST", "/api/v1/notifications/{id}/read"},
      {"GET", "/api/v1/appeal-metrics"},
  };
  std::set<std::pair<std::string, std::string>> actual;
  for (const auto& route : router_.routes()) {
    actual.insert({std::string(http::MethodName(route.method)), route.pattern});
    bool is_public = route.pattern.starts_with("/api/v1/public/");
    EXPECT_EQ(route.options.access == http::Access::kPublic, is_public) << route.pattern;
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(AppealRoutesTest, CitizenSubmitsTracksAndRatesWithoutAnAccount) {
  auto bad = Call(Method::kPost, "/api/v1/public/appeals",
                  R"({"kind":"gripe","text":"","location":{"district_code":"12","latitude":"x"}})");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_THAT(Fields(bad),
              ::testing::IsSupersetOf({"kind", "category", "text", "location.latitude"}));

  auto submitted = Call(Method::kPost, "/api/v1/public/appeals", SubmitJson().dump(), std::nullopt,
                        {{"idempotency-key", "abc-123"}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  Json receipt = Body(submitted);
  EXPECT_EQ(submitted.Header("Cache-Control"), "no-store");
  EXPECT_FALSE(receipt.contains("id"));
  auto again = Call(Method::kPost, "/api/v1/public/appeals", SubmitJson().dump(), std::nullopt,
                    {{"idempotency-key", "abc-123"}});
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(Body(again)["tracking_number"], receipt["tracking_number"]);
  EXPECT_EQ(Body(again)["access_code"], receipt["access_code"]);

  Json credentials = {{"tracking_number", receipt["tracking_number"]},
                      {"access_code", receipt["access_code"]}};
  auto track = Call(Method::kPost, "/api/v1/public/appeals/track", credentials.dump());
  ASSERT_EQ(track.status, 200) << track.body;
  Json t = Body(track);
  EXPECT_EQ(t["state"], "submitted");
  EXPECT_EQ(t["timeline"].size(), 1u);
  EXPECT_FALSE(t["timeline"][0].contains("actor_name"));
  EXPECT_THAT(track.body, Not(HasSubstr("13987654321")));
  EXPECT_THAT(track.body, Not(HasSubstr("李四")));
  Json wrong = credentials;
  wrong["access_code"] = "ZZZZZZ";
  EXPECT_EQ(Call(Method::kPost, "/api/v1/public/appeals/track", wrong.dump()).status, 404);

  // Not replied yet: rating is a conflict.
  Json rate = credentials;
  rate["rating"] = "satisfied";
  EXPECT_EQ(Call(Method::kPost, "/api/v1/public/appeals/rate", rate.dump()).status, 409);
  rate["rating"] = "meh";
  EXPECT_THAT(Fields(Call(Method::kPost, "/api/v1/public/appeals/rate", rate.dump())),
              ::testing::ElementsAre("rating"));

  auto categories = Call(Method::kGet, "/api/v1/public/appeal-categories");
  ASSERT_EQ(categories.status, 200);
  EXPECT_GE(Body(categories)["items"].size(), 5u);
  auto similar = Call(Method::kGet, "/api/v1/public/appeals/similar?district_code=500103");
  ASSERT_EQ(similar.status, 200);
  EXPECT_EQ(Body(similar)["items"].size(), 1u);
  EXPECT_THAT(similar.body, Not(HasSubstr("较场口")));
}

TEST_F(AppealRoutesTest, StaffWorkTheInboxWithVersionsAndPolicy) {
  auto submitted = Call(Method::kPost, "/api/v1/public/appeals", SubmitJson().dump());
  ASSERT_EQ(submitted.status, 201);
  Json receipt = Body(submitted);

  EXPECT_EQ(Call(Method::kGet, "/api/v1/appeals").status, 401);
  auto list = Call(Method::kGet, "/api/v1/appeals?state=submitted&q=噪音", "", head_a_);
  ASSERT_EQ(list.status, 200) << list.body;
  Json page = Body(list);
  ASSERT_EQ(page["total"], 1);
  Json item = page["items"][0];
  EXPECT_EQ(item["citizen"]["phone"], "139****4321");
  EXPECT_EQ(item["citizen"]["name"], "李*");
  EXPECT_THAT(list.body, Not(HasSubstr("13987654321")));
  int64_t id = item["id"];
  std::string base = "/api/v1/appeals/" + std::to_string(id);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/appeals?state=nonsense", "", head_a_).status, 422);

  EXPECT_EQ(Call(Method::kGet, base, "", officer_b_).status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/appeals/abc", "", head_a_).status, 404);
  auto stale =
      Call(Method::kPost, base + "/acknowledge", R"({"version":9,"text":"已受理"})", head_a_);
  EXPECT_EQ(stale.status, 412);
  auto illegal = Call(Method::kPost, base + "/reply", R"({"version":1,"text":"答复"})", head_a_);
  EXPECT_EQ(illegal.status, 409);
  auto ack =
      Call(Method::kPost, base + "/acknowledge", R"({"version":1,"text":"已受理"})", head_a_);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(Body(ack)["state"], "acknowledged");
  auto assign = Call(Method::kPost, base + "/assign",
                     Json{{"version", 2}, {"unit_id", f_.station_a1.id}}.dump(), head_a_);
  ASSERT_EQ(assign.status, 200) << assign.body;
  auto note = Call(Method::kPost, base + "/notes", R"({"note":"内部：老问题"})", head_a_);
  ASSERT_EQ(note.status, 200);
  auto verify = Call(Method::kPost, base + "/verify",
                     R"({"version":4,"notes":"现场核实","photo_ids":[1,2]})", head_a_);
  ASSERT_EQ(verify.status, 200) << verify.body;
  auto reply =
      Call(Method::kPost, base + "/reply", R"({"version":5,"text":"已责令整改"})", head_a_);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto detail = Call(Method::kGet, base, "", head_a_);
  ASSERT_EQ(detail.status, 200);
  Json d = Body(detail);
  EXPECT_EQ(d["timeline"].size(), 6u);
  EXPECT_EQ(d["timeline"][3]["public"], false);
  EXPECT_EQ(d["timeline"][4]["data"]["photo_ids"], Json::array({1, 2}));

  auto reveal = Call(Method::kPost, base + "/reveal-contact", "", head_a_);
  ASSERT_EQ(reveal.status, 200);
  EXPECT_EQ(Body(reveal)["phone"], "13987654321");
  EXPECT_EQ(reveal.Header("Cache-Control"), "no-store");
  EXPECT_EQ(Call(Method::kPost, base + "/reveal-contact", "", officer_b_).status, 403);

  // The citizen rates unsatisfied; staff set the task, complete it and follow up.
  Json rate = {{"tracking_number", receipt["tracking_number"]},
               {"access_code", receipt["access_code"]},
               {"rating", "unsatisfied"},
               {"comment", "没解决"}};
  auto rated = Call(Method::kPost, "/api/v1/public/appeals/rate", rate.dump());
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_EQ(Body(rated)["state"], "rectifying");
  auto task =
      Call(Method::kPost, base + "/rectification",
           R"({"version":7,"task":"限期整改","deadline":"2026-12-10T18:00:00+08:00"})", head_a_);
  ASSERT_EQ(task.status, 200) << task.body;
  EXPECT_EQ(Body(task)["rectification"]["deadline"], "2026-12-10T18:00:00+08:00");
  auto done = Call(Method::kPost, base + "/complete-rectification",
                   R"({"version":8,"result":"已整改"})", head_a_);
  ASSERT_EQ(done.status, 200);
  auto visit = Call(Method::kPost, base + "/follow-up",
                    R"({"version":9,"channel":"phone","visited_at":"2026-11-23T09:00:00+08:00",
                        "visited_by":"王警官","citizen_view":"满意"})",
                    head_a_);
  ASSERT_EQ(visit.status, 200) << visit.body;
  EXPECT_EQ(Body(visit)["state"], "closed");
  EXPECT_EQ(Body(visit)["resolved"], true);

  auto wall = Call(Method::kGet, "/api/v1/public/wall?district_code=500103");
  ASSERT_EQ(wall.status, 200);
  EXPECT_EQ(Body(wall)["total"], 1);
  EXPECT_EQ(Body(wall)["items"][0]["reply_text"], "已责令整改");

  auto metrics = Call(
      Method::kGet, "/api/v1/appeal-metrics?from=2026-11-01&to=2026-11-30&trend=none", "", head_a_);
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  Json m = Body(metrics);
  EXPECT_EQ(m["total"]["accepted"], 1);
  EXPECT_EQ(m["total"]["resolved"], 1);
  EXPECT_EQ(m["total"]["rectified"], 1);
  EXPECT_EQ(m["total"]["reply_rate"], 1.0);
  EXPECT_EQ(m["by_channel"][0]["channel"], "web");
  EXPECT_EQ(Call(Method::kGet, "/api/v1/appeal-metrics?from=x", "", head_a_).status, 422);
}

TEST_F(AppealRoutesTest, HotlineBulkAssignConfigurationAndNotifications) {
  Json call = SubmitJson();
  call["caller_number"] = "023-63961234";
  EXPECT_EQ(Call(Method::kPost, "/api/v1/appeals", call.dump(), officer_b_).status, 201);
  auto recorded = Call(Method::kPost, "/api/v1/appeals", call.dump(), head_a_);
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  int64_t id = Body(recorded)["id"];
  ASSERT_EQ(Call(Method::kPost, "/api/v1/appeals/" + std::to_string(id) + "/acknowledge",
                 R"({"version":1,"text":"已受理"})", head_a_)
                .status,
            200);
  auto bulk = Call(Method::kPost, "/api/v1/appeals/bulk-assign",
                   Json{{"ids", {id, 999}}, {"unit_id", f_.station_a1.id}}.dump(), head_a_);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(Body(bulk)["assigned"], Json::array({id}));
  EXPECT_EQ(Body(bulk)["failed"][0]["status"], 404);

  Actor officer_a1 = MakeActor(f_.station_a1, {Role::kOfficer}, 30);
  auto notes = Call(Method::kGet, "/api/v1/notifications?unread=true", "", officer_a1);
  ASSERT_EQ(notes.status, 200);
  ASSERT_EQ(Body(notes)["total"], 1);
  int64_t nid = Body(notes)["items"][0]["id"];
  EXPECT_EQ(
      Call(Method::kPost, "/api/v1/notifications/" + std::to_string(nid) + "/read", "", officer_a1)
          .status,
      204);

  auto put = Call(Method::kPut, "/api/v1/appeal-categories/drugs",
                  R"({"name":"禁毒","sort_order":5})", pr_city_);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(
      Call(Method::kPut, "/api/v1/appeal-categories/drugs", R"({"name":"禁毒"})", head_a_).status,
      403);
  auto cal = Call(Method::kPut, "/api/v1/appeal-calendar/2026-12-31",
                  R"({"kind":"holiday","name":"测试"})", pr_city_);
  ASSERT_EQ(cal.status, 200) << cal.body;
  EXPECT_EQ(Call(Method::kDelete, "/api/v1/appeal-calendar/2026-12-31", "", pr_city_).status, 204);
  auto deadlines = Call(Method::kGet, "/api/v1/appeal-deadlines", "", pr_city_);
  ASSERT_EQ(deadlines.status, 200);
  EXPECT_EQ(Body(deadlines)["items"].size(), 5u);
  auto set = Call(Method::kPut, "/api/v1/appeal-deadlines/praise",
                  R"({"version":1,"acknowledge_hours":48,"reply_working_days":10,
                      "resolve_working_days":20})",
                  pr_city_);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Body(set)["version"], 2);
  EXPECT_EQ(Call(Method::kPut, "/api/v1/appeal-deadlines/nope", "{}", pr_city_).status, 404);

  auto view = Call(Method::kPost, "/api/v1/appeal-views",
                   R"({"name":"超期","filter":{"overdue":true}})", head_a_);
  ASSERT_EQ(view.status, 201) << view.body;
  auto views = Call(Method::kGet, "/api/v1/appeal-views", "", head_a_);
  EXPECT_EQ(Body(views)["items"][0]["filter"]["overdue"], true);
  auto tmpl =
      Call(Method::kPost, "/api/v1/reply-templates",
           Json{{"unit_id", f_.city.id}, {"title", "通用"}, {"text", "感谢"}}.dump(), pr_city_);
  ASSERT_EQ(tmpl.status, 201) << tmpl.body;
  auto templates = Call(Method::kGet, "/api/v1/reply-templates", "", officer_a1);
  EXPECT_EQ(Body(templates)["items"].size(), 1u);
}

}  // namespace
}  // namespace lianxin::appeals
