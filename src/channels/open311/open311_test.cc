// Open311 GeoReport v2 end to end through the Router, with a fake appeals intake, on SQLite
// (always) and PostgreSQL (when LIANXIN_TEST_POSTGRES_URL is set).
#include "channels/open311/open311.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "channels/open311/clients.h"
#include "channels/open311/routes.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"
#include "core/time.h"
#include "http/json.h"
#include "storage/database.h"
#include "storage/migrations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace lianxin::open311 {
namespace {

using appeals::AppealId;
using appeals::AppealKind;
using appeals::AppealState;
using appeals::Category;
using appeals::PublicAppeal;
using appeals::PublicQuery;
using appeals::Receipt;
using appeals::Submission;
using http::Json;
using http::Method;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T08:00:00+08:00
constexpr int64_t kDay = 24LL * 3600 * 1000;

// ---------------------------------------------------------------------------------------
// The fake intake: appeals in memory, moved along by the test.

class FakeIntake : public appeals::AppealIntake {
 public:
  explicit FakeIntake(const Clock& clock) : clock_(clock) {
    categories_ = {
        {"traffic", "交通管理", "道路交通、车辆、驾驶证 <&> \"quoted\"", true, 1},
        {"noise", "噪音扰民", "", true, 2},
    };
  }

  Result<Receipt> Submit(const Submission& submission, std::string_view key) override {
    if (!submission.citizen_phone.empty() && !LooksLikePhone(submission.citizen_phone)) {
      return InvalidFields({{"citizen_phone", "is not a phone number"}});
    }
    if (!key.empty()) {
      if (auto it = by_key_.find(std::string(key)); it != by_key_.end()) return it->second;
    }
    PublicAppeal appeal;
    appeal.id = next_id_++;
    appeal.tracking_number = "YJ20260101" + std::to_string(100000 + appeal.id);
    appeal.kind = submission.kind;
    appeal.category = submission.category;
    appeal.state = AppealState::kSubmitted;
    appeal.location = submission.location;
    appeal.text = submission.text;
    appeal.channel = submission.channel;
    appeal.requested_at = clock_.NowMillis();
    appeal.updated_at = appeal.requested_at;
    appeal.expected_at = appeal.requested_at + 5 * kDay;
    appeals_[appeal.id] = appeal;
    submissions_[appeal.id] = submission;
    Receipt receipt{appeal.id, appeal.tracking_number, "ABC234", appeal.requested_at};
    if (!key.empty()) by_key_[std::string(key)] = receipt;
    return receipt;
  }
  Result<std::optional<Receipt>> FindOpenByChannelRef(appeals::Channel, std::string_view,
                                                      int64_t) override {
    return std::optional<Receipt>();
  }
  Status AddCitizenMessage(AppealId, std::string_view) override { return {}; }
  Result<PublicAppeal> GetPublic(AppealId id) override {
    auto it = appeals_.find(id);
    if (it == appeals_.end()) return MakeError(ErrorCode::kNotFound, "Appeal not found.");
    return it->second;
  }
  Result<std::vector<PublicAppeal>> ListPublic(const PublicQuery& q) override {
    queries_.push_back(q);
    std::vector<PublicAppeal> out;
    for (auto it = appeals_.rbegin(); it != appeals_.rend(); ++it) {
      const PublicAppeal& a = it->second;
      if (!q.ids.empty() && std::find(q.ids.begin(), q.ids.end(), a.id) == q.ids.end()) continue;
      if (q.kind && *q.kind != a.kind) continue;
      if (q.category && *q.category != a.category) continue;
      if (q.channel && *q.channel != a.channel) continue;
      if (q.open && *q.open != appeals::IsOpen(a.state)) continue;
      if (q.from_millis && a.requested_at < *q.from_millis) continue;
      if (q.to_millis && a.requested_at >= *q.to_millis) continue;
      if (static_cast<int64_t>(out.size()) == q.limit) break;
      out.push_back(a);
    }
    return out;
  }
  Result<std::vector<Category>> Categories() override { return categories_; }

  // Staff acknowledge, assign and reply; the citizen is satisfied: closed.
  void Close(AppealId id, std::string notes, std::string agency) {
    auto& a = appeals_.at(id);
    a.state = AppealState::kClosed;
    a.status_notes = std::move(notes);
    a.agency = std::move(agency);
    a.updated_at = clock_.NowMillis();
  }
  // An appeal made some time ago, by another Open311 client unless `channel` says otherwise.
  AppealId Seed(AppealKind kind, std::string category, int64_t at,
                appeals::Channel channel = appeals::Channel::kOpen311) {
    PublicAppeal appeal;
    appeal.id = next_id_++;
    appeal.channel = channel;
    appeal.kind = kind;
    appeal.category = std::move(category);
    appeal.text = "旧诉求";
    appeal.requested_at = at;
    appeal.updated_at = at;
    appeals_[appeal.id] = appeal;
    return appeal.id;
  }

  std::map<AppealId, PublicAppeal> appeals_;
  std::map<AppealId, Submission> submissions_;
  std::vector<PublicQuery> queries_;
  std::vector<Category> categories_;

 private:
  const Clock& clock_;
  AppealId next_id_ = 1001;
  std::map<std::string, Receipt> by_key_;
};

// ---------------------------------------------------------------------------------------
// A throwaway database with the tables Open311 needs: 0001..0003 and 0007_open311 (applied
// as the 4th here, so the test does not depend on the other channels' migrations).

std::string MigrationSql(storage::Dialect dialect) {
  for (const auto& m : storage::EmbeddedMigrations(dialect)) {
    if (m.name == "0007_open311") return std::string(m.sql);
  }
  std::string name = dialect == storage::Dialect::kSqlite ? "sqlite" : "postgres";
  for (const std::string& path :
       {std::string(LIANXIN_MIGRATIONS_DIR) + "/" + name + "/0007_open311.sql",
        std::string(LIANXIN_OPEN311_SOURCE_DIR) + "/0007_open311." + name + ".sql"}) {
    std::ifstream in(path);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  ADD_FAILURE() << "0007_open311.sql not found";
  return "";
}

class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> Open(const std::string& backend, std::string* skip) {
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase());
    std::string location;
    if (backend == "postgres") {
      const char* url = std::getenv("LIANXIN_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        *skip = "LIANXIN_TEST_POSTGRES_URL is not set";
        return nullptr;
      }
      t->base_url_ = url;
      t->schema_ = "open311_" + RandomHex(6);
      auto admin = storage::OpenDatabase(t->base_url_, {.reader_connections = 0});
      if (!admin) {
        *skip = admin.error().message;
        return nullptr;
      }
      auto s = (*admin)->Write<void>([&](storage::Session& session) {
        return session.ExecuteScript("CREATE SCHEMA " + t->schema_);
      });
      if (!s) {
        *skip = s.error().message;
        return nullptr;
      }
      std::string sep = t->base_url_.find('?') == std::string::npos ? "?" : "&";
      location = t->base_url_ + sep + "options=-c%20search_path%3D" + t->schema_;
    } else {
      t->dir_ = std::filesystem::temp_directory_path() / ("lianxin-open311-" + RandomHex(8));
      std::filesystem::create_directories(t->dir_);
      location = (t->dir_ / "open311.db").string();
    }
    auto db = storage::OpenDatabase(location);
    if (!db) {
      ADD_FAILURE() << db.error().message;
      return nullptr;
    }
    t->db_ = std::move(*db);
    const auto& embedded = storage::EmbeddedMigrations(t->db_->dialect());
    std::vector<storage::Migration> migrations;
    for (const auto& m : embedded) {
      if (m.version <= 3) migrations.push_back(m);
    }
    t->open311_sql_ = MigrationSql(t->db_->dialect());
    migrations.push_back({4, "0007_open311", t->open311_sql_});
    auto migrated = storage::Migrate(*t->db_, migrations);
    if (!migrated) {
      ADD_FAILURE() << migrated.error().message;
      return nullptr;
    }
    return t;
  }

  ~TestDatabase() {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = storage::OpenDatabase(base_url_, {.reader_connections = 0});
      if (admin) {
        (void)(*admin)->Write<void>([&](storage::Session& session) {
          return session.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
        });
      }
    }
  }

  storage::Database& db() { return *db_; }

 private:
  TestDatabase() = default;
  std::unique_ptr<storage::Database> db_;
  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
  std::string open311_sql_;
};

// ---------------------------------------------------------------------------------------
// Checks that `body` is one well-formed XML document (declaration, balanced elements, only
// the five predefined entities and numeric references) and returns its root element's name.

std::string CheckXml(const std::string& body) {
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  EXPECT_TRUE(body.starts_with(decl)) << body.substr(0, 60);
  EXPECT_TRUE(IsValidUtf8(body));
  std::vector<std::string> stack;
  std::string root;
  for (size_t i = decl.size(); i < body.size();) {
    char c = body[i];
    if (c == '<') {
      size_t end = body.find('>', i);
      if (end == std::string::npos) {
        ADD_FAILURE() << "unterminated tag";
        return "";
      }
      std::string tag = body.substr(i + 1, end - i - 1);
      EXPECT_EQ(tag.find_first_of("<&\"'"), std::string::npos) << tag;
      if (tag.starts_with("/")) {
        if (stack.empty() || stack.back() != tag.substr(1)) {
          ADD_FAILURE() << "mismatched </" << tag.substr(1) << ">";
          return "";
        }
        stack.pop_back();
      } else if (tag.ends_with("/")) {
        if (stack.empty() && root.empty()) root = tag.substr(0, tag.size() - 1);
      } else {
        if (stack.empty()) {
          EXPECT_TRUE(root.empty()) << "two roots";
          root = tag;
        }
        stack.push_back(tag);
      }
      i = end + 1;
    } else if (c == '&') {
      size_t end = body.find(';', i);
      std::string entity = body.substr(i, end == std::string::npos ? 8 : end - i + 1);
      static const std::set<std::string> kEntities = {"&amp;",  "&lt;",   "&gt;",
                                                      "&quot;", "&apos;", "&#13;"};
      EXPECT_TRUE(kEntities.contains(entity)) << entity;
      i = end == std::string::npos ? body.size() : end + 1;
    } else {
      if (stack.empty()) {
        EXPECT_TRUE(c == '\n' || c == ' ') << "text outside the root";
      }
      EXPECT_NE(c, '>') << "raw '>' in text";
      ++i;
    }
  }
  EXPECT_TRUE(stack.empty()) << "unclosed <" << (stack.empty() ? "" : stack.back()) << ">";
  return root;
}

// The text of the first <name>…</name> in `xml`, or "" (unescaped &amp; etc. are kept).
std::string XmlValue(const std::string& xml, const std::string& name) {
  auto start = xml.find("<" + name + ">");
  if (start == std::string::npos) return "";
  start += name.size() + 2;
  return xml.substr(start, xml.find("</" + name + ">", start) - start);
}

// ---------------------------------------------------------------------------------------

class Open311Test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    database_ = TestDatabase::Open(GetParam(), &skip);
    if (!database_) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "no database";
    }
    clock_.SetMillis(kNow);
    audit_ = std::make_unique<auth::AuditLog>(database_->db(), clock_);
    policy_ = std::make_unique<auth::AccessPolicy>(audit_.get());
    clients_ = std::make_unique<ClientKeyService>(database_->db(), clock_, *policy_, *audit_);
    intake_ = std::make_unique<FakeIntake>(clock_);
    service_ = std::make_unique<Open311Service>(*intake_, *clients_, clock_);
    RegisterOpen311Routes(router_, *service_);
    RegisterOpen311ClientRoutes(router_, *clients_);
    SeedOrg();
    admin_ = MakeActor(1, "/1/", {Role::kSystemAdmin}, 1);
    pr_ = MakeActor(2, "/1/2/", {Role::kPrOfficer}, 2);
    other_pr_ = MakeActor(3, "/1/3/", {Role::kPrOfficer}, 3);
    officer_ = MakeActor(2, "/1/2/", {Role::kOfficer}, 4);
    auto issued = clients_->Create(pr_, {"渝快办", "ops@example.cn"});
    ASSERT_TRUE(issued) << issued.error().message;
    client_ = issued->client;
    key_ = issued->api_key;
  }

  // Units 1 (city) > 2, 3 (districts), and accounts 1..4 for created_by.
  void SeedOrg() {
    auto ok = database_->db().Write<void>([&](storage::Session& s) -> Status {
      const char* units[][4] = {{"1", "", "/1/", "city_bureau"},
                                {"2", "1", "/1/2/", "district_bureau"},
                                {"3", "1", "/1/3/", "district_bureau"}};
      int n = 0;
      for (auto& u : units) {
        storage::Value parent = *u[1] ? storage::Value(int64_t{1}) : storage::Null();
        auto r = s.Execute(
            "INSERT INTO units (id, parent_id, path, depth, kind, name, code, created_at,"
            " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            {int64_t{std::stoi(u[0])}, parent, std::string(u[2]), int64_t{*u[1] ? 1 : 0},
             std::string(u[3]), std::string(n == 0 ? "重庆市公安局" : "分局" + std::string(u[0])),
             std::string(n == 0 ? "" : "50010" + std::string(u[0])), kNow});
        if (!r) return std::unexpected(r.error());
        ++n;
      }
      for (int64_t id = 1; id <= 4; ++id) {
        auto r = s.Execute(
            "INSERT INTO accounts (id, username, display_name, unit_id, password_hash,"
            " password_changed_at, created_at, updated_at) VALUES ($1, $2, $2, $3, 'x', $4, $4, "
            "$4)",
            {id, "user" + std::to_string(id), id == 1 ? int64_t{1} : int64_t{id == 3 ? 3 : 2},
             kNow});
        if (!r) return std::unexpected(r.error());
      }
      return {};
    });
    ASSERT_TRUE(ok) << ok.error().message;
  }

  static Actor MakeActor(int64_t unit, std::string path, std::vector<Role> roles, int64_t id) {
    Actor a;
    a.account_id = id;
    a.unit_id = unit;
    a.unit_path = std::move(path);
    a.username = "user" + std::to_string(id);
    a.roles = std::move(roles);
    a.client_ip = "127.0.0.1";
    return a;
  }

  http::Response Call(Method method, const std::string& target, const std::string& body = "",
                      const std::string& content_type = "",
                      const std::optional<Actor>& actor = std::nullopt,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = method;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) request.query = target.substr(q + 1);
    request.body = body;
    if (!content_type.empty()) request.headers.push_back({"content-type", content_type});
    for (auto& h : headers) request.headers.push_back(std::move(h));
    request.actor = actor;
    auto match = router_.Find(method, request.path);
    if (match.route == nullptr) {
      ADD_FAILURE() << "no route for " << target;
      return http::Response{404, {}, ""};
    }
    request.path_params = match.params;
    return match.route->handler(request);
  }
  http::Response Get(const std::string& target) { return Call(Method::kGet, target); }
  http::Response Post(const std::string& format, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Call(Method::kPost, "/open311/v2/requests." + format, body,
                "application/x-www-form-urlencoded; charset=utf-8", std::nullopt,
                std::move(headers));
  }
  std::string Form(const std::string& rest) { return "api_key=" + key_ + "&" + rest; }
  static std::string Valid() {
    return "service_code=complaint.traffic&lat=29.56&long=106.55&description=%E8%B7%AF%E5%8F%A3"
           "%E4%BF%A1%E5%8F%B7%E7%81%AF%E5%9D%8F%E4%BA%86";
  }
  static Json Body(const http::Response& r) { return Json::parse(r.body); }
  static std::string FirstError(const http::Response& r) {
    auto body = Body(r);
    return body.is_array() && !body.empty() ? body[0].value("description", "") : "";
  }
  // Expects an Open311 error with `status` in JSON, and the same error in XML.
  void ExpectError(int status, const std::function<http::Response(const std::string&)>& call,
                   const std::string& fragment) {
    auto json = call("json");
    EXPECT_EQ(json.status, status) << json.body;
    EXPECT_EQ(json.Header("content-type"), "application/json; charset=utf-8");
    auto body = Body(json);
    ASSERT_TRUE(body.is_array()) << json.body;
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body[0]["code"], status);
    EXPECT_THAT(body[0]["description"].get<std::string>(), HasSubstr(fragment));
    auto xml = call("xml");
    EXPECT_EQ(xml.status, status) << xml.body;
    EXPECT_EQ(xml.Header("content-type"), "text/xml; charset=utf-8");
    EXPECT_EQ(CheckXml(xml.body), "errors");
    EXPECT_EQ(XmlValue(xml.body, "code"), std::to_string(status));
  }

  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<auth::AccessPolicy> policy_;
  std::unique_ptr<ClientKeyService> clients_;
  std::unique_ptr<FakeIntake> intake_;
  std::unique_ptr<Open311Service> service_;
  http::Router router_;
  Actor admin_, pr_, other_pr_, officer_;
  Client client_;
  std::string key_;
};

TEST_P(Open311Test, RegistersEveryRoute) {
  const std::set<std::pair<std::string, std::string>> expected = {
      {"GET", "/open311/v2/discovery.json"},
      {"GET", "/open311/v2/discovery.xml"},
      {"GET", "/open311/v2/services.json"},
      {"GET", "/open311/v2/services.xml"},
      {"GET", "/open311/v2/services/{file}"},
      {"GET", "/open311/v2/requests.json"},
      {"GET", "/open311/v2/requests.xml"},
      {"POST", "/open311/v2/requests.json"},
      {"POST", "/open311/v2/requests.xml"},
      {"GET", "/open311/v2/requests/{file}"},
      {"GET", "/open311/v2/tokens/{file}"},
      {"GET", "/api/v1/open311-clients"},
      {"POST", "/api/v1/open311-clients"},
      {"POST", "/api/v1/open311-clients/{id}/deactivate"},
      {"POST", "/api/v1/open311-clients/{id}/rotate"},
  };
  std::set<std::pair<std::string, std::string>> actual;
  for (const auto& route : router_.routes()) {
    actual.insert({std::string(http::MethodName(route.method)), route.pattern});
    bool open311 = route.pattern.starts_with("/open311/");
    EXPECT_EQ(route.options.access == http::Access::kPublic, open311) << route.pattern;
    if (open311 && route.method == Method::kPost) {
      EXPECT_TRUE(route.options.csrf_exempt);
      EXPECT_EQ(route.options.max_body_bytes, 64u * 1024);
    }
    if (!open311) {
      EXPECT_FALSE(route.options.csrf_exempt) << route.pattern;
    }
  }
  EXPECT_EQ(actual, expected);
}

TEST_P(Open311Test, DiscoveryInBothFormats) {
  auto json = Get("/open311/v2/discovery.json");
  ASSERT_EQ(json.status, 200);
  auto body = Body(json);
  ASSERT_EQ(body["endpoints"].size(), 1u);
  EXPECT_EQ(body["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(body["endpoints"][0]["url"], "/open311/v2");
  EXPECT_EQ(body["endpoints"][0]["formats"], Json({"text/xml", "application/json"}));
  EXPECT_TRUE(body.contains("changeset") && body.contains("contact") &&
              body.contains("key_service"));
  auto xml = Get("/open311/v2/discovery.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(CheckXml(xml.body), "discovery");
  EXPECT_THAT(xml.body, HasSubstr("<formats><format>text/xml</format><format>application/json"
                                  "</format></formats>"));
  EXPECT_EQ(xml.Header("access-control-allow-origin"), "*");
}

TEST_P(Open311Test, ServicesAreKindsTimesActiveCategories) {
  intake_->categories_.push_back({"old", "旧类别", "", false, 3});
  auto json = Get("/open311/v2/services.json");
  ASSERT_EQ(json.status, 200) << json.body;
  auto body = Body(json);
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 10u);  // 5 kinds x 2 active categories
  std::set<std::string> codes;
  for (const auto& s : body) codes.insert(s["service_code"]);
  EXPECT_TRUE(codes.contains("complaint.traffic"));
  EXPECT_TRUE(codes.contains("praise.noise"));
  EXPECT_FALSE(codes.contains("consultation.old"));
  const Json* complaint = nullptr;
  for (const auto& s : body) {
    if (s["service_code"] == "complaint.traffic") complaint = &s;
  }
  ASSERT_NE(complaint, nullptr);
  EXPECT_EQ((*complaint)["service_name"], "交通管理（投诉/批评）");
  EXPECT_EQ((*complaint)["metadata"], false);
  EXPECT_EQ((*complaint)["type"], "realtime");
  EXPECT_EQ((*complaint)["group"], "投诉/批评");
  EXPECT_THAT((*complaint)["keywords"].get<std::string>(), HasSubstr("traffic"));
  EXPECT_EQ((*complaint)["description"], "道路交通、车辆、驾驶证 <&> \"quoted\"");

  auto xml = Get("/open311/v2/services.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(CheckXml(xml.body), "services");
  EXPECT_THAT(xml.body, HasSubstr("道路交通、车辆、驾驶证 &lt;&amp;&gt; &quot;quoted&quot;"));
  EXPECT_THAT(xml.body, HasSubstr("<metadata>false</metadata><type>realtime</type>"));

  EXPECT_EQ(Get("/open311/v2/services.json?jurisdiction_id=cq.gov.cn").status, 200);
  ExpectError(
      404,
      [&](const std::string& f) {
        return Get("/open311/v2/services." + f + "?jurisdiction_id=sfgov.org");
      },
      "jurisdiction_id");
}

TEST_P(Open311Test, ServiceDefinitionHasNoAttributes) {
  auto json = Get("/open311/v2/services/complaint.traffic.json");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(Body(json),
            Json({{"service_code", "complaint.traffic"}, {"attributes", Json::array()}}));
  auto xml = Get("/open311/v2/services/complaint.traffic.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(CheckXml(xml.body), "service_definition");
  EXPECT_THAT(xml.body, HasSubstr("<service_code>complaint.traffic</service_code><attributes/>"));
  for (std::string code : {"complaint.parking", "gossip.traffic", "traffic", "complaint."}) {
    ExpectError(
        404, [&](const std::string& f) { return Get("/open311/v2/services/" + code + "." + f); },
        "service_code");
  }
  auto unknown_format = Get("/open311/v2/services/complaint.traffic.html");
  EXPECT_EQ(unknown_format.status, 404);
  EXPECT_EQ(CheckXml(unknown_format.body), "errors");
}

TEST_P(Open311Test, PostedRequestIsListedAndFollowsItsAppeal) {
  auto created =
      Post("json", Form(Valid() + "&address_string=%E8%A7%A3%E6%94%BE%E7%A2%91"
                                  "&first_name=%E4%B8%89&last_name=%E5%BC%A0"
                                  "&phone=13812341234&email=a%40b.cn&account_id=u-77"
                                  "&device_id=d1&media_url=https%3A%2F%2Fimg.example.cn%2F1.jpg"
                                  "&jurisdiction_id=cq.gov.cn"));
  ASSERT_EQ(created.status, 200) << created.body;
  auto body = Body(created);
  ASSERT_TRUE(body.is_array() && body.size() == 1) << created.body;
  AppealId id = body[0]["service_request_id"];
  EXPECT_FALSE(body[0].contains("token"));  // the spec allows the id or the token, not both
  EXPECT_EQ(body[0]["account_id"], "u-77");
  EXPECT_THAT(body[0]["service_notice"].get<std::string>(), HasSubstr("ABC234"));
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  std::string token(created.Header("x-open311-token"));
  EXPECT_EQ(token.size(), 32u);

  const Submission& s = intake_->submissions_.at(id);
  EXPECT_EQ(s.kind, AppealKind::kComplaint);
  EXPECT_EQ(s.category, "traffic");
  EXPECT_EQ(s.channel, appeals::Channel::kOpen311);
  EXPECT_EQ(s.text, "路口信号灯坏了");
  EXPECT_EQ(s.citizen_name, "张三");
  EXPECT_EQ(s.citizen_phone, "13812341234");
  EXPECT_EQ(s.channel_ref, "client:" + std::to_string(client_.id) + ":account:u-77");
  EXPECT_EQ(s.source_url, "https://img.example.cn/1.jpg");
  EXPECT_EQ(s.location.address, "解放碑");
  EXPECT_DOUBLE_EQ(*s.location.latitude, 29.56);
  EXPECT_DOUBLE_EQ(*s.location.longitude, 106.55);

  // The token leads back to the request, in both formats.
  auto by_token = Get("/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(by_token.status, 200) << by_token.body;
  EXPECT_EQ(Body(by_token), Json::parse("[{\"service_request_id\":" + std::to_string(id) +
                                        ",\"token\":\"" + token + "\"}]"));
  auto token_xml = Get("/open311/v2/tokens/" + token + ".xml");
  EXPECT_EQ(CheckXml(token_xml.body), "service_requests");
  EXPECT_EQ(XmlValue(token_xml.body, "service_request_id"), std::to_string(id));
  ExpectError(
      404,
      [&](const std::string& f) { return Get("/open311/v2/tokens/" + RandomHex(16) + "." + f); },
      "token");
  ExpectError(
      404, [&](const std::string& f) { return Get("/open311/v2/tokens/<x>." + f); }, "token");

  // The client's last use is stamped.
  auto listed = clients_->List(pr_, 0, 10);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->items.at(0).last_used_at, kNow);

  // Open, in the list and on its own.
  clock_.Advance(std::chrono::hours(1));
  auto list = Get("/open311/v2/requests.json");
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = Body(list);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["service_request_id"], id);
  EXPECT_EQ(items[0]["status"], "open");
  EXPECT_EQ(items[0]["service_code"], "complaint.traffic");
  EXPECT_EQ(items[0]["service_name"], "交通管理（投诉/批评）");
  EXPECT_EQ(items[0]["requested_datetime"], "2026-01-01T08:00:00+08:00");
  EXPECT_EQ(items[0]["expected_datetime"], "2026-01-06T08:00:00+08:00");
  EXPECT_EQ(items[0]["status_notes"], nullptr);
  EXPECT_EQ(items[0]["address"], "解放碑");
  EXPECT_DOUBLE_EQ(items[0]["lat"].get<double>(), 29.56);
  EXPECT_FALSE(items[0].contains("phone"));
  EXPECT_EQ(list.body.find("13812341234"), std::string::npos);

  // Staff reply and the citizen is satisfied: closed, with the reply as status_notes.
  clock_.Advance(std::chrono::hours(24));
  intake_->Close(id, "已联系交警支队修复信号灯 <已完成>", "渝中区分局");
  auto one = Get("/open311/v2/requests/" + std::to_string(id) + ".json");
  ASSERT_EQ(one.status, 200) << one.body;
  auto closed = Body(one);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["status"], "closed");
  EXPECT_EQ(closed[0]["status_notes"], "已联系交警支队修复信号灯 <已完成>");
  EXPECT_EQ(closed[0]["agency_responsible"], "渝中区分局");
  EXPECT_EQ(closed[0]["updated_datetime"], "2026-01-02T09:00:00+08:00");
  EXPECT_EQ(closed[0]["expected_datetime"], nullptr);

  auto xml = Get("/open311/v2/requests/" + std::to_string(id) + ".xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(CheckXml(xml.body), "service_requests");
  EXPECT_EQ(XmlValue(xml.body, "status"), "closed");
  EXPECT_EQ(XmlValue(xml.body, "status_notes"), "已联系交警支队修复信号灯 &lt;已完成&gt;");
  EXPECT_THAT(xml.body, HasSubstr("<lat>29.56</lat><long>106.55</long>"));

  EXPECT_EQ(Body(Get("/open311/v2/requests.json?status=closed")).size(), 1u);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?status=open")).size(), 0u);
  EXPECT_EQ(Body(Get("/open311/v2/requests.json?status=open,closed")).size(), 1u);
  auto list_xml = Get("/open311/v2/requests.xml?service_request_id=" + std::to_string(id));
  EXPECT_EQ(CheckXml(list_xml.body), "service_requests");
  EXPECT_EQ(XmlValue(list_xml.body, "service_request_id"), std::to_string(id));

  ExpectError(
      404, [&](const std::string& f) { return Get("/open311/v2/requests/999999." + f); },
      "service_request_id");
  ExpectError(
      404, [&](const std::string& f) { return Get("/open311/v2/requests/abc." + f); },
      "service_request_id");
}

TEST_P(Open311Test, PostInXmlAndRetriesWithTheSameIdempotencyKey) {
  auto first = Post("xml", Form(Valid()), {{"idempotency-key", "retry-1"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(CheckXml(first.body), "service_requests");
  std::string id = XmlValue(first.body, "service_request_id");
  EXPECT_FALSE(id.empty());
  EXPECT_THAT(first.body, HasSubstr("<account_id/>"));
  auto again = Post("xml", Form(Valid()), {{"idempotency-key", "retry-1"}});
  EXPECT_EQ(XmlValue(again.body, "service_request_id"), id);
  EXPECT_EQ(intake_->submissions_.size(), 1u);
  auto other = Post("json", Form(Valid()));
  EXPECT_NE(std::to_string(Body(other)[0]["service_request_id"].get<int64_t>()), id);
}

TEST_P(Open311Test, PostRefusesBadKeysAndBadInput) {
  auto post = [&](const std::string& body) {
    return [this, body](const std::string& f) { return Post(f, body); };
  };
  ExpectError(403, post(Valid()), "api_key");
  ExpectError(403, post("api_key=&" + Valid()), "api_key");
  ExpectError(403, post("api_key=lx311_nothing&" + Valid()), "Invalid api_key");
  ExpectError(403, post("api_key=" + key_ + "x&" + Valid()), "Invalid api_key");

  // Rotation: the old key stops working at once, the new one works.
  auto rotated = clients_->Rotate(pr_, client_.id, client_.version);
  ASSERT_TRUE(rotated) << rotated.error().message;
  ExpectError(403, post(Form(Valid())), "Invalid api_key");
  EXPECT_EQ(Post("json", "api_key=" + rotated->api_key + "&" + Valid()).status, 200);
  // Deactivation: refused too.
  ASSERT_TRUE(clients_->Deactivate(pr_, client_.id, rotated->client.version));
  ExpectError(403, post("api_key=" + rotated->api_key + "&" + Valid()), "Invalid api_key");
  auto fresh = clients_->Create(pr_, {"警民通", ""});
  ASSERT_TRUE(fresh);
  key_ = fresh->api_key;

  ExpectError(404, post(Form(Valid() + "&jurisdiction_id=sfgov.org")), "jurisdiction_id");
  ExpectError(400, post(Form("lat=29&long=106&description=x")), "service_code was not provided");
  ExpectError(404, post(Form("service_code=complaint.parking&lat=29&long=106&description=x")),
              "service_code complaint.parking was not found");
  ExpectError(400, post(Form("service_code=complaint.traffic&description=x")), "location");
  ExpectError(400, post(Form("service_code=complaint.traffic&address_id=7&description=x")),
              "address_id");
  ExpectError(400, post(Form("service_code=complaint.traffic&lat=29&description=x")), "together");
  ExpectError(400, post(Form("service_code=complaint.traffic&lat=91&long=106&description=x")),
              "WGS84");
  ExpectError(400, post(Form("service_code=complaint.traffic&lat=nan&long=106&description=x")),
              "WGS84");
  ExpectError(400, post(Form("service_code=complaint.traffic&lat=29&long=106")),
              "description was not provided");
  ExpectError(400,
              post(Form("service_code=complaint.traffic&lat=29&long=106&description=" +
                        std::string(2001, 'x'))),
              "at most 2000");
  ExpectError(400, post(Form(Valid() + "&media_url=javascript%3Aalert(1)")), "media_url");
  ExpectError(400, post(Form(Valid() + "&phone=110")), "phone: is not a phone number");
  ExpectError(400, post(Form(Valid() + "&first_name=" + std::string(26, 'a'))), "first_name");
  // Several problems come back together.
  auto several = Post("json", Form("service_code=complaint.traffic&lat=29"));
  EXPECT_EQ(Body(several).size(), 2u) << several.body;

  // Hostile forms.
  ExpectError(400, post(Form(Valid() + "&description=%zz")), "malformed");
  ExpectError(400, post(Form(Valid() + "&description=again")), "more than once");
  ExpectError(400, post(Form(Valid() + "&description=%FF")), "UTF-8");
  ExpectError(400, post(Form(Valid() + "&x=" + std::string(20000, 'y'))), "longer than");
  ExpectError(
      400,
      [&](const std::string& f) {
        return Call(Method::kPost, "/open311/v2/requests." + f, Form(Valid()), "application/json");
      },
      "x-www-form-urlencoded");
  EXPECT_TRUE(intake_->submissions_.size() == 1u);  // only the one with the rotated key
}

TEST_P(Open311Test, RequestsQueryDefaultsAndLimits) {
  auto old_id = intake_->Seed(AppealKind::kComplaint, "traffic", kNow - 100 * kDay);
  auto recent = intake_->Seed(AppealKind::kReport, "noise", kNow - 10 * kDay);
  auto list = Get("/open311/v2/requests.json");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(Body(list).size(), 1u);  // the last 90 days only
  EXPECT_EQ(Body(list)[0]["service_request_id"], recent);
  const PublicQuery& q = intake_->queries_.back();
  EXPECT_EQ(q.from_millis, kNow - 90 * kDay);
  EXPECT_EQ(q.to_millis, kNow + 1);
  EXPECT_EQ(q.limit, 1000);
  EXPECT_FALSE(q.open);
  EXPECT_EQ(q.channel, appeals::Channel::kOpen311);

  // What citizens sent on the web, by WeChat or by phone is not published over Open311.
  auto web = intake_->Seed(AppealKind::kComplaint, "noise", kNow - kDay, appeals::Channel::kWeb);
  auto only_open311 = Get("/open311/v2/requests.json");
  ASSERT_EQ(Body(only_open311).size(), 1u);
  EXPECT_EQ(Get("/open311/v2/requests/" + std::to_string(web) + ".json").status, 404);
  EXPECT_EQ(Get("/open311/v2/requests/" + std::to_string(recent) + ".json").status, 200);

  // service_request_id overrides the rest, even an old one and a bad status.
  auto ids = Get("/open311/v2/requests.json?service_request_id=" + std::to_string(old_id) + "," +
                 std::to_string(recent) + ",999&status=whatever");
  ASSERT_EQ(ids.status, 200) << ids.body;
  EXPECT_EQ(Body(ids).size(), 2u);

  // Dates, with '+' sent unescaped (it arrives as a space) and escaped.
  auto dated =
      Get("/open311/v2/requests.json?start_date=2025-09-01T00:00:00+08:00"
          "&end_date=2025-10-01T00:00:00%2B08:00");
  ASSERT_EQ(dated.status, 200) << dated.body;
  ASSERT_EQ(Body(dated).size(), 1u);
  EXPECT_EQ(Body(dated)[0]["service_request_id"], old_id);
  auto start_only = Get("/open311/v2/requests.json?start_date=2025-09-01");
  ASSERT_EQ(start_only.status, 200);
  EXPECT_EQ(intake_->queries_.back().to_millis, *ParseIso8601("2025-09-01") + 90 * kDay + 1);

  auto by_code = Get("/open311/v2/requests.json?service_code=report.noise,complaint.traffic");
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  EXPECT_EQ(Body(by_code).size(), 1u);
  EXPECT_EQ(Body(by_code)[0]["service_code"], "report.noise");

  auto get = [this](const std::string& query) {
    return [this, query](const std::string& f) {
      return Get("/open311/v2/requests." + f + "?" + query);
    };
  };
  ExpectError(400, get("start_date=yesterday"), "start_date");
  ExpectError(400, get("end_date=2026-13-01"), "end_date");
  ExpectError(400, get("start_date=2026-01-01&end_date=2025-12-01"), "before");
  ExpectError(400, get("start_date=2025-01-01&end_date=2025-06-01"), "90 days");
  ExpectError(400, get("status=pending"), "status");
  ExpectError(400, get("service_request_id=1,x"), "service_request_id");
  ExpectError(400, get("service_request_id=-1"), "service_request_id");
  std::string many;
  for (int i = 1; i <= 101; ++i) many += std::to_string(i) + ",";
  ExpectError(400, get("service_request_id=" + many), "At most 100");
  ExpectError(404, get("service_code=complaint.parking"), "service_code");
  ExpectError(400, get("status=open&status=closed"), "more than once");
  ExpectError(400, get("start_date=%zz"), "malformed");
  ExpectError(404, get("jurisdiction_id=sfgov.org"), "jurisdiction_id");
}

TEST_P(Open311Test, RequestsAreCappedAcrossServiceCodes) {
  Open311Options options;
  options.max_items = 3;
  Open311Service small(*intake_, *clients_, clock_, options);
  for (int i = 0; i < 4; ++i) {
    intake_->Seed(AppealKind::kComplaint, "traffic", kNow - (i + 1) * kDay);
    intake_->Seed(AppealKind::kReport, "noise", kNow - (i + 1) * kDay - 1000);
  }
  auto query = ParseForm("service_code=complaint.traffic,report.noise");
  ASSERT_TRUE(query);
  auto reply = small.Requests(Format::kJson, *query);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto items = Json::parse(reply.body);
  ASSERT_EQ(items.size(), 3u);
  // Newest first across both codes.
  EXPECT_EQ(items[0]["service_code"], "complaint.traffic");
  EXPECT_EQ(items[1]["service_code"], "report.noise");
  EXPECT_EQ(items[2]["service_code"], "complaint.traffic");
}

TEST_P(Open311Test, XmlIsWellFormedWhateverTheText) {
  auto id = intake_->Seed(AppealKind::kSuggestion, "noise", kNow - kDay);
  intake_->appeals_[id].text = std::string("a<b>&c\"d'e\x01\x1f]]>\xef\xbf\xbe\r\n末");
  intake_->appeals_[id].location.address = "<script>alert(1)</script>";
  auto xml = Get("/open311/v2/requests/" + std::to_string(id) + ".xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(CheckXml(xml.body), "service_requests");
  EXPECT_EQ(XmlValue(xml.body, "description"), "a&lt;b&gt;&amp;c&quot;d&apos;e]]&gt;&#13;\n末");
  EXPECT_EQ(XmlValue(xml.body, "address"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  intake_->appeals_[id].text = "bad \xff\xfe utf8";
  xml = Get("/open311/v2/requests/" + std::to_string(id) + ".xml");
  EXPECT_EQ(CheckXml(xml.body), "service_requests");
  auto json = Get("/open311/v2/requests/" + std::to_string(id) + ".json");
  ASSERT_EQ(json.status, 200);
  EXPECT_TRUE(IsValidUtf8(json.body));
  EXPECT_NO_THROW(Json::parse(json.body));
}

// ---------------------------------------------------------------------------------------
// Client keys: the staff routes and the policy.

TEST_P(Open311Test, StaffManageClientKeys) {
  auto created = Call(Method::kPost, "/api/v1/open311-clients",
                      R"({"name":"  随手拍 ","contact":"网信办"})", "application/json", pr_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto body = Body(created);
  std::string key = body["api_key"];
  EXPECT_TRUE(key.starts_with("lx311_"));
  EXPECT_EQ(key.size(), 46u);
  EXPECT_EQ(body["name"], "随手拍");
  EXPECT_EQ(body["key_hint"], key.substr(0, 10));
  EXPECT_EQ(body["unit_id"], 2);
  EXPECT_EQ(body["active"], true);
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  int64_t id = body["id"];

  // The key is never stored or listed: only its hash and hint.
  auto stored = database_->db().Read<std::string>([&](storage::Session& s) -> Result<std::string> {
    auto row = s.QueryOne("SELECT api_key_hash FROM open311_clients WHERE id = $1", {id});
    if (!row) return std::unexpected(row.error());
    return (*row)->Text(0);
  });
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, Sha256Hex(key));
  auto list = Call(Method::kGet, "/api/v1/open311-clients?page=1&page_size=10", "", "", pr_);
  ASSERT_EQ(list.status, 200) << list.body;
  auto page = Body(list);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["items"][0]["id"], id);
  EXPECT_EQ(list.body.find(key), std::string::npos);
  EXPECT_EQ(list.body.find("api_key\""), std::string::npos);
  // The city admin sees the district's clients; the other district does not.
  EXPECT_EQ(Body(Call(Method::kGet, "/api/v1/open311-clients", "", "", admin_))["total"], 2);
  EXPECT_EQ(Body(Call(Method::kGet, "/api/v1/open311-clients", "", "", other_pr_))["total"], 0);

  // Rotate: a new key, the version moves on; a stale version is 412.
  auto rotated = Call(Method::kPost, "/api/v1/open311-clients/" + std::to_string(id) + "/rotate",
                      R"({"version":1})", "application/json", pr_);
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string new_key = Body(rotated)["api_key"];
  EXPECT_NE(new_key, key);
  EXPECT_EQ(Body(rotated)["version"], 2);
  auto stale = Call(Method::kPost, "/api/v1/open311-clients/" + std::to_string(id) + "/deactivate",
                    R"({"version":1})", "application/json", pr_);
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto missing_version =
      Call(Method::kPost, "/api/v1/open311-clients/" + std::to_string(id) + "/deactivate", "{}",
           "application/json", pr_);
  EXPECT_EQ(missing_version.status, 422);
  auto deactivated =
      Call(Method::kPost, "/api/v1/open311-clients/" + std::to_string(id) + "/deactivate",
           R"({"version":2})", "application/json", pr_);
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(Body(deactivated)["active"], false);
  EXPECT_FALSE(Body(deactivated).contains("api_key"));
  auto auth = clients_->Authenticate(new_key);
  ASSERT_TRUE(auth);
  EXPECT_FALSE(*auth);

  EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients/999/rotate", R"({"version":1})",
                 "application/json", pr_)
                .status,
            404);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients/x/rotate", R"({"version":1})",
                 "application/json", pr_)
                .status,
            404);
  EXPECT_EQ(
      Call(Method::kPost, "/api/v1/open311-clients", R"({"name":""})", "application/json", pr_)
          .status,
      422);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/open311-clients").status, 401);

  // Every change is in the audit log; the key never is.
  int64_t total = 0;
  auto records = audit_->Search({.action_prefix = "open311_client.", .limit = 50}, total);
  ASSERT_TRUE(records);
  std::multiset<std::string> actions;
  for (const auto& r : *records) {
    actions.insert(r.action);
    EXPECT_EQ(r.detail.find("lx311_"), std::string::npos);
  }
  EXPECT_EQ(actions.count("open311_client.create"), 2u);
  EXPECT_EQ(actions.count("open311_client.rotate"), 1u);
  EXPECT_EQ(actions.count("open311_client.deactivate"), 1u);
}

TEST_P(Open311Test, OnlyChannelWritersOfTheUnitManageKeys) {
  auto id = std::to_string(client_.id);
  for (const Actor& actor : {officer_, other_pr_}) {
    EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients/" + id + "/rotate", R"({"version":1})",
                   "application/json", actor)
                  .status,
              403);
    EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients/" + id + "/deactivate",
                   R"({"version":1})", "application/json", actor)
                  .status,
              403);
  }
  EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients", R"({"name":"x"})", "application/json",
                 officer_)
                .status,
            403);
  EXPECT_EQ(Call(Method::kGet, "/api/v1/open311-clients", "", "", officer_).status, 403);
  // The city's system admin may act on the district's client.
  EXPECT_EQ(Call(Method::kPost, "/api/v1/open311-clients/" + id + "/rotate", R"({"version":1})",
                 "application/json", admin_)
                .status,
            200);
  // The denials are audited.
  int64_t total = 0;
  auto denied = audit_->Search({.result = auth::AuditResult::kDenied, .limit = 50}, total);
  ASSERT_TRUE(denied);
  EXPECT_EQ(total, 6);
  // The original key stopped working with the rotation.
  auto auth = clients_->Authenticate(key_);
  ASSERT_TRUE(auth);
  EXPECT_FALSE(*auth);
}

INSTANTIATE_TEST_SUITE_P(Backends, Open311Test, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------------------------------

TEST(Open311FormatTest, SplitsTheFormat) {
  std::string stem;
  Format format = Format::kXml;
  EXPECT_TRUE(SplitFormat("complaint.traffic.json", stem, format));
  EXPECT_EQ(stem, "complaint.traffic");
  EXPECT_EQ(format, Format::kJson);
  EXPECT_TRUE(SplitFormat("12.xml", stem, format));
  EXPECT_EQ(format, Format::kXml);
  EXPECT_FALSE(SplitFormat("12", stem, format));
  EXPECT_FALSE(SplitFormat("12.html", stem, format));
  EXPECT_FALSE(SplitFormat(".json", stem, format));
}

TEST(Open311FuzzSeedTest, SurvivesHostileForms) {
  const std::string seeds[] = {
      "",
      "%",
      "%%",
      "a=%4",
      "a=%zz%41+%2B",
      "api_key=lx311_x&service_code=complaint.traffic&lat=29.5&long=106.5&description=%E5%BC%A0",
      "a=1&a=2",
      "a[]=1&a[]=2",
      "=",
      "&&&===&=&q",
      std::string("a=b\0c", 5),
      "a=%00",
      "a=%ED%A0%80",
      "a=%F4%90%80%80",
      "a=%E5%BC",
      std::string(70000, '&'),
      std::string(65536, 'a'),
      "a=" + std::string(20000, '%'),
      "a=" + std::string(16384, 'x'),
      std::string(4096, '%') + "41",
  };
  for (const std::string& seed : seeds) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(seed.data()), seed.size()),
              0);
  }
  std::string many;
  for (int i = 0; i < 200; ++i) many.append("k").append(std::to_string(i)).append("=v&");
  EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(many.data()), many.size()), 0);
}

}  // namespace
}  // namespace lianxin::open311
