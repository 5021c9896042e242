// Test helpers for the appeals tests: a migrated database (SQLite, or PostgreSQL when
// LIANXIN_TEST_POSTGRES_URL is set) with a small units tree, the services, and actors.
//   city /c/ ─┬─ district A (500103) ── station A1
//             └─ district B (500117) ── station B1
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "appeals/appeal_service.h"
#include "appeals/metrics.h"
#include "core/time.h"
#include "org/org_service.h"
#include "org/org_test_support.h"

namespace lianxin::appeals::testing {

using org::testing::MakeActor;
using org::testing::TestProtector;

inline int64_t At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

struct AppealsFixture {
  std::unique_ptr<org::testing::TestDatabase> database;
  FakeClock clock{At("2026-11-23T09:00:00+08:00")};  // a Monday
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AccessPolicy> policy;
  std::unique_ptr<org::OrgService> org;
  std::unique_ptr<AppealService> service;
  std::unique_ptr<AppealMetrics> metrics;
  org::Unit city, district_a, station_a1, district_b, station_b1;

  bool Start(const std::string& backend, std::string* skip) {
    database = org::testing::TestDatabase::Open(backend, skip);
    if (!database) return false;
    audit = std::make_unique<auth::AuditLog>(database->db(), clock);
    policy = std::make_unique<auth::AccessPolicy>(audit.get());
    org =
        std::make_unique<org::OrgService>(database->db(), TestProtector(), clock, *policy, *audit);
    service =
        std::make_unique<AppealService>(database->db(), TestProtector(), clock, *policy, *audit);
    metrics = std::make_unique<AppealMetrics>(database->db(), *policy);
    city = org::testing::InsertRoot(database->db());
    Actor admin = MakeActor(city, {Role::kSystemAdmin}, 1);
    auto make = [&](const org::Unit& parent, org::UnitKind kind, std::string name,
                    std::string code) {
      org::NewUnit u;
      u.parent_id = parent.id;
      u.kind = kind;
      u.name = std::move(name);
      u.code = std::move(code);
      auto created = org->CreateUnit(admin, u);
      EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
      return created.value_or(org::Unit{});
    };
    district_a = make(city, org::UnitKind::kDistrictBureau, "渝中区分局", "500103");
    station_a1 = make(district_a, org::UnitKind::kStation, "解放碑派出所", "");
    district_b = make(city, org::UnitKind::kDistrictBureau, "合川区分局", "500117");
    station_b1 = make(district_b, org::UnitKind::kStation, "合阳派出所", "");
    return district_a.id != 0 && station_b1.id != 0;
  }

  // A simple valid submission to district A.
  static Submission Sample(std::string text = "小区门口晚上有人聚集喧哗，影响休息") {
    Submission s;
    s.kind = AppealKind::kComplaint;
    s.category = "noise";
    s.text = std::move(text);
    s.citizen_name = "张三";
    s.citizen_phone = "13812345678";
    s.publish_reply = true;
    s.location.district_code = "500103";
    s.location.address = "解放碑步行街 1 号";
    return s;
  }
};

}  // namespace lianxin::appeals::testing
