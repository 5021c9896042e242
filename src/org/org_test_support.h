// Test helpers for the org tests: a migrated throwaway database on SQLite (always) or
// PostgreSQL (when LIANXIN_TEST_POSTGRES_URL is set), and the services wired to it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "org/org_service.h"
#include "org/repositories.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace lianxin::org::testing {

// A fresh database for one test; removed when destroyed.
class TestDatabase {
 public:
  // `backend` is "sqlite" or "postgres"; returns null and sets `skip` when unavailable.
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
      t->schema_ = "org_" + RandomHex(6);
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
      t->dir_ = std::filesystem::temp_directory_path() / ("lianxin-org-" + RandomHex(8));
      std::filesystem::create_directories(t->dir_);
      location = (t->dir_ / "org.db").string();
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
      *DataProtector::Create(std::string(DataProtector::kKeyBytes, 'k'));
  return protector;
}

// A signed-in staff member at `unit` with `roles`.
inline Actor MakeActor(const Unit& unit, std::vector<Role> roles, AccountId account_id = 7) {
  Actor actor;
  actor.account_id = account_id;
  actor.unit_id = unit.id;
  actor.unit_path = unit.path;
  actor.username = "tester" + std::to_string(account_id);
  actor.roles = std::move(roles);
  actor.client_ip = "127.0.0.1";
  return actor;
}

// Inserts the root city bureau directly (no service creates roots).
inline Unit InsertRoot(storage::Database& db, const std::string& name = "重庆市公安局") {
  auto id = db.Write<UnitId>([&](storage::Session& s) -> Result<UnitId> {
    Unit root;
    root.kind = UnitKind::kCityBureau;
    root.name = name;
    root.public_phone = "023-63000110";
    return repo::InsertUnit(s, root, "/", 0);
  });
  EXPECT_TRUE(id.has_value());
  auto unit =
      db.Read<std::optional<Unit>>([&](storage::Session& s) { return repo::FindUnit(s, *id); });
  return **unit;
}

// The services of one test database.
struct OrgFixture {
  std::unique_ptr<TestDatabase> database;
  FakeClock clock;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AccessPolicy> policy;
  std::unique_ptr<OrgService> service;

  bool Start(const std::string& backend, std::string* skip) {
    database = TestDatabase::Open(backend, skip);
    if (!database) return false;
    audit = std::make_unique<auth::AuditLog>(database->db(), clock);
    policy = std::make_unique<auth::AccessPolicy>(audit.get());
    service = std::make_unique<OrgService>(database->db(), TestProtector(), clock, *policy, *audit);
    return true;
  }
};

}  // namespace lianxin::org::testing
