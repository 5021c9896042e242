#include "org/routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "http/json.h"
#include "org/demo_data.h"
#include "org/org_test_support.h"

namespace lianxin::org {
namespace {

using http::Json;
using http::Method;
using ::testing::HasSubstr;
using ::testing::Not;

class OrgRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string skip;
    ASSERT_TRUE(fixture_.Start("sqlite", &skip)) << skip;
    ASSERT_TRUE(LoadOrgDemo(fixture_.database->db(), testing::TestProtector(), fixture_.clock, 0.2,
                            &demo_));
    RegisterPublicOrgRoutes(router_, *fixture_.service);
    RegisterOrgRoutes(router_, *fixture_.service);
    auto city = fixture_.service->GetUnit(Bootstrap(), demo_.city_bureau_id);
    ASSERT_TRUE(city);
    admin_ = testing::MakeActor(city->unit, {Role::kSystemAdmin}, 1);
  }

  // An actor able to read the root, to look units up before the real actors exist.
  Actor Bootstrap() {
    Actor a;
    a.account_id = 99;
    a.unit_id = demo_.city_bureau_id;
    a.unit_path = "/" + std::to_string(demo_.city_bureau_id) + "/";
    a.roles = {Role::kViewer};
    return a;
  }

  http::Response Call(Method method, const std::string& target, const std::string& body = "",
                      const std::optional<Actor>& actor = std::nullopt,
                      std::string content_type = "application/json") {
    http::Request request;
    request.method = method;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = body;
    request.headers.push_back({"content-type", content_type});
    request.actor = actor;
    auto match = router_.Find(method, request.path);
    if (match.route == nullptr) {
      ADD_FAILURE() << "no route for " << target;
      return http::Response{404, {}, ""};
    }
    request.path_params = match.params;
    return match.route->handler(request);
  }
  http::Response AsAdmin(Method method, const std::string& target, const std::string& body = "") {
    return Call(method, target, body, admin_);
  }
  static Json Body(const http::Response& r) { return Json::parse(r.body); }
  static std::vector<std::string> Fields(const http::Response& r) {
    std::vector<std::string> out;
    for (const auto& e : Body(r).value("errors", Json::array())) out.push_back(e["field"]);
    return out;
  }

  testing::OrgFixture fixture_;
  DemoOrgSummary demo_;
  http::Router router_;
  Actor admin_;
};

TEST_F(OrgRoutesTest, RegistersEveryRouteOfTheContract) {
  const std::set<std::pair<std::string, std::string>> expected = {
      {"GET", "/api/v1/public/districts"},
      {"GET", "/api/v1/public/bureau"},
      {"GET", "/api/v1/public/units/{id}/stations"},
      {"GET", "/api/v1/public/beats"},
      {"GET", "/api/v1/public/accounts"},
      {"GET", "/api/v1/units/tree"},
      {"GET", "/api/v1/units"},
      {"GET", "/api/v1/units/{id}"},
      {"POST", "/api/v1/units"},
      {"PATCH", "/api/v1/units/{id}"},
      {"POST", "/api/v1/units/{id}/move"},
      {"POST", "/api/v1/units/{id}/deactivate"},
      {"POST", "/api/v1/units/{id}/activate"},
      {"GET", "/api/v1/officers"},
      {"POST", "/api/v1/officers"},
      {"GET", "/api/v1/officers/{id}"},
      {"PATCH", "/api/v1/officers/{id}"},
      {"POST", "/api/v1/officers/{id}/reveal-phone"},
      {"GET", "/api/v1/channel-accounts"},
      {"POST", "/api/v1/channel-accounts"},
      {"GET", "/api/v1/channel-accounts/{id}"},
      {"PATCH", "/api/v1/channel-accounts/{id}"},
      {"POST", "/api/v1/import/units"},
      {"POST", "/api/v1/import/officers"},
  };
  std::set<std::pair<std::string, std::string>> actual;
  for (const auto& route : router_.routes()) {
    actual.insert({std::string(http::MethodName(route.method)), route.pattern});
    bool is_public = route.pattern.starts_with("/api/v1/public/");
    EXPECT_EQ(route.options.access == http::Access::kPublic, is_public) << route.pattern;
    if (route.pattern.starts_with("/api/v1/import/")) {
      EXPECT_EQ(route.options.max_body_bytes, kMaxImportBodyBytes);
    }
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(OrgRoutesTest, PublicRoutesServeThePortalWithoutPhones) {
  auto districts = Call(Method::kGet, "/api/v1/public/districts");
  ASSERT_EQ(districts.status, 200) << districts.body;
  auto items = Body(districts)["items"];
  ASSERT_EQ(items.size(), 38u);
  EXPECT_EQ(items[0]["code"], "500101");
  EXPECT_EQ(items[2]["name"], "渝中区分局");
  EXPECT_FALSE(items[2]["accounts"].empty());

  auto bureau = Call(Method::kGet, "/api/v1/public/bureau");
  ASSERT_EQ(bureau.status, 200);
  EXPECT_EQ(Body(bureau)["name"], "重庆市公安局");
  EXPECT_EQ(Body(bureau)["police_types"].size(), 3u);

  auto stations =
      Call(Method::kGet, "/api/v1/public/units/" + std::to_string(demo_.district_id) + "/stations");
  ASSERT_EQ(stations.status, 200);
  EXPECT_EQ(Body(stations)["items"][0]["name"], "解放碑派出所");
  EXPECT_EQ(Call(Method::kGet, "/api/v1/public/units/abc/stations").status, 404);
  EXPECT_EQ(
      Call(Method::kGet, "/api/v1/public/units/" + std::to_string(demo_.station_id) + "/stations")
          .status,
      404);

  for (int page = 1; page <= 5; ++page) {
    auto beats =
        Call(Method::kGet, "/api/v1/public/beats?page_size=100&page=" + std::to_string(page));
    ASSERT_EQ(beats.status, 200);
    EXPECT_THAT(beats.body, Not(HasSubstr("13800"))) << "no officer phone in public beats";
    EXPECT_THAT(beats.body, Not(HasSubstr("badge")));
  }
  auto beat =
      Call(Method::kGet, "/api/v1/public/beats?station_id=" + std::to_string(demo_.station_id));
  ASSERT_EQ(beat.status, 200);
  auto first = Body(beat)["items"][0];
  EXPECT_EQ(first["station"]["name"], "解放碑派出所");
  EXPECT_EQ(first["district"]["code"], "500103");
  EXPECT_TRUE(first["officer"].contains("name"));
  EXPECT_EQ(first["officer"]["title"], "社区民警");
  EXPECT_FALSE(first["officer"].contains("phone"));
  EXPECT_FALSE(first["officer"].contains("id"));
  std::string community = first["communities"][0];
  auto by_community = Call(Method::kGet, "/api/v1/public/beats?q=" + community);
  ASSERT_EQ(by_community.status, 200);
  EXPECT_GE(Body(by_community)["total"].get<int>(), 1);

  EXPECT_EQ(Call(Method::kGet, "/api/v1/public/beats?district_id=x").status, 422);
  auto weibo = Call(Method::kGet, "/api/v1/public/accounts?platform=weibo&page_size=100");
  ASSERT_EQ(weibo.status, 200);
  EXPECT_EQ(Body(weibo)["total"], 286);
  EXPECT_FALSE(Body(weibo)["items"][0].contains("operator"));
  EXPECT_EQ(Call(Method::kGet, "/api/v1/public/accounts?platform=myspace").status, 422);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/public/accounts?page_size=1000").status, 422);
}

TEST_F(OrgRoutesTest, SignedInRoutesNeedAnActor) {
  EXPECT_EQ(Call(Method::kGet, "/api/v1/units").status, 401);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/units", "{}").status, 401);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/import/units", "", std::nullopt, "text/csv").status, 401);
}

TEST_F(OrgRoutesTest, UnitLifecycleOverHttp) {
  std::string create =
      R"({"parent_id": )" + std::to_string(demo_.district_id) +
      R"(, "kind": "station", "name": "新华路派出所", "public_phone": "023-63000001"})";
  auto created = AsAdmin(Method::kPost, "/api/v1/units", create);
  ASSERT_EQ(created.status, 201) << created.body;
  auto unit = Body(created);
  EXPECT_EQ(unit["kind"], "station");
  EXPECT_EQ(unit["parent_id"], demo_.district_id);
  EXPECT_EQ(unit["child_count"], 0);
  EXPECT_TRUE(unit["beat_officer"].is_null());
  std::string id = std::to_string(unit["id"].get<int64_t>());

  auto invalid = AsAdmin(Method::kPost, "/api/v1/units", R"({"kind": "galaxy", "name": 5})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_THAT(Fields(invalid), ::testing::UnorderedElementsAre("parent_id", "kind", "name"));
  EXPECT_EQ(AsAdmin(Method::kPost, "/api/v1/units", "{not json").status, 400);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/units", "{}", admin_, "text/plain").status, 415);
  EXPECT_EQ(AsAdmin(Method::kPost, "/api/v1/units", create).status, 409);

  auto renamed = AsAdmin(Method::kPatch, "/api/v1/units/" + id,
                         R"({"version": 1, "name": "新华路中心派出所"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Body(renamed)["version"], 2);
  EXPECT_EQ(AsAdmin(Method::kPatch, "/api/v1/units/" + id, R"({"version": 1, "name": "x"})").status,
            412);
  EXPECT_EQ(AsAdmin(Method::kPatch, "/api/v1/units/" + id, R"({"name": "x"})").status, 422);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units/abc").status, 404);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units/-1").status, 404);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units/99999999").status, 404);

  auto moved =
      AsAdmin(Method::kPost, "/api/v1/units/" + id + "/move",
              R"({"version": 2, "parent_id": )" + std::to_string(demo_.second_district_id) + "}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto cycle =
      AsAdmin(Method::kPost, "/api/v1/units/" + std::to_string(demo_.district_id) + "/move",
              R"({"version": 1, "parent_id": )" + std::to_string(demo_.station_id) + "}");
  EXPECT_EQ(cycle.status, 409);

  auto busy =
      AsAdmin(Method::kPost, "/api/v1/units/" + std::to_string(demo_.station_id) + "/deactivate",
              R"({"version": 1})");
  EXPECT_EQ(busy.status, 409);
  auto off = AsAdmin(Method::kPost, "/api/v1/units/" + id + "/deactivate", R"({"version": 3})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(Body(off)["active"], false);
  auto on = AsAdmin(Method::kPost, "/api/v1/units/" + id + "/activate", R"({"version": 4})");
  ASSERT_EQ(on.status, 200) << on.body;

  auto detail = AsAdmin(Method::kGet, "/api/v1/units/" + std::to_string(demo_.beat_id));
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(Body(detail)["ancestors"].size(), 3u);
  EXPECT_FALSE(Body(detail)["beat_officer"].is_null());
  EXPECT_THAT(detail.body, Not(HasSubstr("13800")));

  auto tree = AsAdmin(Method::kGet, "/api/v1/units/tree?depth=1");
  ASSERT_EQ(tree.status, 200);
  EXPECT_EQ(Body(tree)["root"]["children"].size(), 3u + 38u);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units/tree?depth=9").status, 422);

  auto list = AsAdmin(Method::kGet, "/api/v1/units?kind=district_bureau&page_size=5");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["total"], 38);
  EXPECT_EQ(Body(list)["items"].size(), 5u);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units?kind=galaxy").status, 422);
  EXPECT_EQ(AsAdmin(Method::kGet, "/api/v1/units?active=maybe").status, 422);
}

TEST_F(OrgRoutesTest, OfficerPhonesAreMaskedUntilRevealed) {
  std::string body = R"({"badge_no": "990001", "name": "测试民警", "unit_id": )" +
                     std::to_string(demo_.station_id) +
                     R"(, "title": "民警", "phone": "13912345678"})";
  auto created = AsAdmin(Method::kPost, "/api/v1/officers", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["phone"], "139****5678");
  EXPECT_THAT(created.body, Not(HasSubstr("13912345678")));
  std::string id = std::to_string(Body(created)["id"].get<int64_t>());
  EXPECT_EQ(AsAdmin(Method::kPost, "/api/v1/officers", body).status, 409);

  auto list = AsAdmin(Method::kGet, "/api/v1/officers?q=990001");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["total"], 1);
  EXPECT_THAT(list.body, Not(HasSubstr("13912345678")));
  auto all = AsAdmin(Method::kGet, "/api/v1/officers?page_size=100");
  EXPECT_THAT(all.body, Not(HasSubstr("\"13800")));

  auto revealed = AsAdmin(Method::kPost, "/api/v1/officers/" + id + "/reveal-phone");
  ASSERT_EQ(revealed.status, 200);
  EXPECT_EQ(Body(revealed)["phone"], "13912345678");
  EXPECT_EQ(revealed.Header("cache-control"), "no-store");

  Actor viewer = admin_;
  viewer.roles = {Role::kViewer};
  EXPECT_EQ(Call(Method::kPost, "/api/v1/officers/" + id + "/reveal-phone", "", viewer).status,
            403);

  auto cleared =
      AsAdmin(Method::kPatch, "/api/v1/officers/" + id, R"({"version": 1, "phone": null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(Body(cleared)["phone"].is_null());
}

TEST_F(OrgRoutesTest, ChannelAccountsOverHttp) {
  std::string body =
      R"({"platform": "douyin", "name": "平安渝中抖音", "handle": "payz_dy", "unit_id": )" +
      std::to_string(demo_.district_id) + R"(, "followers": 10})";
  auto created = AsAdmin(Method::kPost, "/api/v1/channel-accounts", body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["unit"]["name"], "渝中区分局");
  std::string id = std::to_string(Body(created)["id"].get<int64_t>());
  auto bad = AsAdmin(Method::kPost, "/api/v1/channel-accounts",
                     R"({"platform": "myspace", "name": "", "handle": "h", "unit_id": 0})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_THAT(Fields(bad), ::testing::UnorderedElementsAre("platform", "name", "unit_id"));
  auto patched = AsAdmin(Method::kPatch, "/api/v1/channel-accounts/" + id,
                         R"({"version": 1, "verified": true, "operator_officer_id": null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Body(patched)["verified"], true);
  auto list = AsAdmin(Method::kGet, "/api/v1/channel-accounts?platform=wechat&page_size=100");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["total"], 23);
}

TEST_F(OrgRoutesTest, ImportsTakeCsvAndReportLines) {
  auto wrong_type =
      Call(Method::kPost, "/api/v1/import/units", "parent,kind,name\n", admin_, "application/json");
  EXPECT_EQ(wrong_type.status, 415);
  std::string csv = "parent,kind,name\n500103,station,新村派出所\n500103,station,\n";
  auto failed = Call(Method::kPost, "/api/v1/import/units", csv, admin_, "text/csv; charset=utf-8");
  ASSERT_EQ(failed.status, 422) << failed.body;
  EXPECT_THAT(Fields(failed), ::testing::ElementsAre("line 3, column name"));
  auto ok = Call(Method::kPost, "/api/v1/import/units",
                 "parent,kind,name\n500103,station,新村派出所\n", admin_, "text/csv");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["created"], 1);
  auto officers = Call(Method::kPost, "/api/v1/import/officers",
                       "badge_no,name,unit_id_or_code,title,phone\n990100,某民警,500103,民警,\n",
                       admin_, "text/csv");
  ASSERT_EQ(officers.status, 200) << officers.body;
  auto hostile = Call(Method::kPost, "/api/v1/import/units", "\"unterminated", admin_, "text/csv");
  EXPECT_EQ(hostile.status, 422);
}

}  // namespace
}  // namespace lianxin::org
