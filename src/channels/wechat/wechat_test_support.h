// Test helpers for wechat_test: a migrated throwaway database (the pattern of
// src/org/org_test_support.h) with a small units tree and channel accounts, a fake
// AppealIntake, and the services wired to them.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "appeals/intake.h"
#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "channels/wechat/handler.h"
#include "channels/wechat/routes.h"
#include "channels/wechat/wechat_service.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "http/api.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace lianxin::wechat::testing {

// Units: 1 city bureau "/1/", 2 district "/1/2/", 3 another district "/1/3/".
// Channel accounts: 10 wechat at unit 2, 11 weibo at unit 2, 12 wechat at unit 3,
// 13 wechat at unit 2 (spare).
inline constexpr std::string_view kSeed = R"sql(
INSERT INTO units (id, parent_id, path, depth, kind, name, active, sort_order, version, created_at, updated_at)
  VALUES (1, NULL, '/1/', 0, 'city_bureau', '重庆市公安局', 1, 0, 1, 0, 0);
INSERT INTO units (id, parent_id, path, depth, kind, name, code, active, sort_order, version, created_at, updated_at)
  VALUES (2, 1, '/1/2/', 1, 'district_bureau', '合川区分局', '500117', 1, 0, 1, 0, 0);
INSERT INTO units (id, parent_id, path, depth, kind, name, code, active, sort_order, version, created_at, updated_at)
  VALUES (3, 1, '/1/3/', 1, 'district_bureau', '渝中区分局', '500103', 1, 0, 1, 0, 0);
INSERT INTO channel_accounts (id, platform, name, handle, unit_id, active, version, created_at, updated_at)
  VALUES (10, 'wechat', '平安合川', 'pinganhechuan', 2, 1, 1, 0, 0);
INSERT INTO channel_accounts (id, platform, name, handle, unit_id, active, version, created_at, updated_at)
  VALUES (11, 'weibo', '平安合川微博', 'pinganhechuan', 2, 1, 1, 0, 0);
INSERT INTO channel_accounts (id, platform, name, handle, unit_id, active, version, created_at, updated_at)
  VALUES (12, 'wechat', '平安渝中', 'pinganyuzhong', 3, 1, 1, 0, 0);
INSERT INTO channel_accounts (id, platform, name, handle, unit_id, active, version, created_at, updated_at)
  VALUES (13, 'wechat', '合川交巡警', 'hcjxj', 2, 1, 1, 0, 0);
)sql";

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// SQLite in a temporary directory, or, when LIANXIN_TEST_POSTGRES_URL is set (see
// scripts/pg-tmp), a fresh schema on that PostgreSQL: the whole suite then runs there.
class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> Open() {
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase());
    std::string location;
    const char* url = std::getenv("LIANXIN_TEST_POSTGRES_URL");
    if (url != nullptr && *url != '\0') {
      t->base_url_ = url;
      t->schema_ = "wechat_" + RandomHex(6);
      auto admin = storage::OpenDatabase(t->base_url_, {.reader_connections = 0});
      if (!admin) {
        ADD_FAILURE() << admin.error().message;
        return nullptr;
      }
      auto s = (*admin)->Write<void>([&](storage::Session& session) {
        return session.ExecuteScript("CREATE SCHEMA " + t->schema_);
      });
      if (!s) {
        ADD_FAILURE() << s.error().message;
        return nullptr;
      }
      std::string sep = t->base_url_.find('?') == std::string::npos ? "?" : "&";
      location = t->base_url_ + sep + "options=-c%20search_path%3D" + t->schema_;
    } else {
      t->dir_ = std::filesystem::temp_directory_path() / ("lianxin-wechat-" + RandomHex(8));
      std::filesystem::create_directories(t->dir_);
      location = (t->dir_ / "wechat.db").string();
    }
    auto db = storage::OpenDatabase(location);
    if (!db) {
      ADD_FAILURE() << db.error().message;
      return nullptr;
    }
    t->db_ = std::move(*db);
    auto migrated = storage::Migrate(*t->db_);
    if (!migrated) {
      ADD_FAILURE() << migrated.error().message;
      return nullptr;
    }
    auto status =
        t->db_->Write<void>([&](storage::Session& s) -> Status { return s.ExecuteScript(kSeed); });
    if (!status) {
      ADD_FAILURE() << status.error().message;
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
};

inline const DataProtector& TestProtector() {
  static const DataProtector protector =
      *DataProtector::Create(std::string(DataProtector::kKeyBytes, 'w'));
  return protector;
}

inline Actor MakeActor(int64_t unit_id, std::string unit_path, std::vector<Role> roles) {
  Actor actor;
  actor.account_id = 7;
  actor.unit_id = unit_id;
  actor.unit_path = std::move(unit_path);
  actor.username = "tester";
  actor.roles = std::move(roles);
  actor.client_ip = "127.0.0.1";
  return actor;
}

// An in-memory AppealIntake that records what the channel asked for.
class FakeIntake final : public appeals::AppealIntake {
 public:
  struct Stored {
    appeals::Submission submission;
    appeals::Receipt receipt;
    std::vector<std::string> messages;  // AddCitizenMessage texts
    bool open = true;
  };

  explicit FakeIntake(const Clock& clock) : clock_(clock) {}

  Result<appeals::Receipt> Submit(const appeals::Submission& submission,
                                  std::string_view idempotency_key) override {
    ++submit_calls;
    if (fail) return MakeError(ErrorCode::kUnavailable, "intake down");
    if (!idempotency_key.empty()) {
      for (const auto& [key, index] : keys_) {
        if (key == idempotency_key) return appeals_[index].receipt;
      }
    }
    Stored stored;
    stored.submission = submission;
    stored.receipt.id = 1000 + static_cast<int64_t>(appeals_.size());
    stored.receipt.tracking_number = "YJ20260101" + std::to_string(100000 + appeals_.size() + 1);
    stored.receipt.access_code = "ABC23" + std::string(1, static_cast<char>('A' + appeals_.size()));
    stored.receipt.submitted_at = clock_.NowMillis();
    appeals_.push_back(stored);
    if (!idempotency_key.empty())
      keys_.emplace_back(std::string(idempotency_key), appeals_.size() - 1);
    return stored.receipt;
  }

  Result<std::optional<appeals::Receipt>> FindOpenByChannelRef(appeals::Channel channel,
                                                               std::string_view channel_ref,
                                                               int64_t since_millis) override {
    if (fail) return MakeError(ErrorCode::kUnavailable, "intake down");
    for (auto it = appeals_.rbegin(); it != appeals_.rend(); ++it) {
      if (it->open && it->submission.channel == channel &&
          it->submission.channel_ref == channel_ref && it->receipt.submitted_at >= since_millis) {
        return std::optional<appeals::Receipt>(it->receipt);
      }
    }
    return std::optional<appeals::Receipt>();
  }

  Status AddCitizenMessage(appeals::AppealId id, std::string_view text) override {
    if (fail) return MakeError(ErrorCode::kUnavailable, "intake down");
    for (auto& a : appeals_) {
      if (a.receipt.id == id) {
        a.messages.emplace_back(text);
        return {};
      }
    }
    return MakeError(ErrorCode::kNotFound, "no appeal");
  }

  Result<appeals::PublicAppeal> GetPublic(appeals::AppealId) override {
    return MakeError(ErrorCode::kNotFound, "not used");
  }
  Result<std::vector<appeals::PublicAppeal>> ListPublic(const appeals::PublicQuery&) override {
    return std::vector<appeals::PublicAppeal>{};
  }
  Result<std::vector<appeals::Category>> Categories() override {
    return std::vector<appeals::Category>{{"traffic", "交通管理", "", true, 1},
                                          {"other", "其他", "", true, 9}};
  }

  std::vector<Stored>& appeals() { return appeals_; }
  bool fail = false;
  int submit_calls = 0;

 private:
  const Clock& clock_;
  std::vector<Stored> appeals_;
  std::vector<std::pair<std::string, size_t>> keys_;
};

// Everything one test needs, routed through an http::Router as the server would.
struct WechatFixture {
  std::unique_ptr<TestDatabase> database;
  FakeClock clock{1'767'225'600'000};  // 2026-01-01T08:00:00+08:00
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AccessPolicy> policy;
  std::unique_ptr<WechatService> service;
  std::unique_ptr<FakeIntake> intake;
  std::unique_ptr<WechatHandler> handler;
  http::Router router;
  Actor admin = MakeActor(1, "/1/", {Role::kSystemAdmin});

  bool Start() {
    database = TestDatabase::Open();
    if (!database) return false;
    audit = std::make_unique<auth::AuditLog>(database->db(), clock);
    policy = std::make_unique<auth::AccessPolicy>(audit.get());
    service =
        std::make_unique<WechatService>(database->db(), TestProtector(), clock, *policy, *audit);
    intake = std::make_unique<FakeIntake>(clock);
    handler = std::make_unique<WechatHandler>(*service, *intake, clock);
    RegisterWechatRoutes(router, *handler, *service);
    return true;
  }

  // Dispatches like the server minus transport: route match, path parameters, the actor.
  http::Response Call(http::Method method, const std::string& path, const std::string& query,
                      std::string body = {}, std::string content_type = "text/xml",
                      std::optional<Actor> actor = std::nullopt) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = query;
    request.body = std::move(body);
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    request.actor = std::move(actor);
    auto match = router.Find(method, path);
    if (!match.route) return http::Response{.status = match.allowed.empty() ? 404 : 405};
    const auto& options = match.route->options;
    if (options.max_body_bytes > 0 && request.body.size() > options.max_body_bytes) {
      return http::Response{.status = 413};
    }
    request.path_params = match.params;
    return match.route->handler(request);
  }

  int64_t CountRows(const std::string& table) {
    auto n = database->db().Read<int64_t>([&](storage::Session& s) -> Result<int64_t> {
      auto row = s.QueryOne("SELECT COUNT(*) FROM " + table);
      if (!row) return std::unexpected(row.error());
      return (**row).Int(0);
    });
    return n ? *n : -1;
  }
};

}  // namespace lianxin::wechat::testing
