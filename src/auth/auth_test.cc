// Tests of the auth module on temporary SQLite databases with a FakeClock.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "auth/access_policy.h"
#include "auth/account_service.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "auth/passwords.h"
#include "auth/routes.h"
#include "auth/session_authenticator.h"
#include "core/crypto.h"
#include "http/json.h"
#include "storage/migrations.h"

namespace lianxin::auth {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view kPassword = "Correct-Horse-Battery-9";

// The policy minimum keeps the tests fast.
const PasswordHasher& Hasher() {
  static const PasswordHasher hasher(kMinPasswordOpsLimit, kMinPasswordMemLimit);
  return hasher;
}

// ---------------------------------------------------------------------------------------------
// Passwords

TEST(PasswordPolicyTest, Table) {
  struct Case {
    std::string password;
    std::string username;
    bool ok;
    std::string why;
  };
  const Case cases[] = {
      {"Tr0ub4dor&3x", "alice", true, "12 ASCII characters"},
      {"Tr0ub4dor&3", "alice", false, "11 characters"},
      {"", "alice", false, "empty"},
      {"qwerty123456", "alice", false, "common (listed)"},
      {"QWERTY123456", "alice", false, "common, other case"},
      {"password1234", "alice", false, "common word padded with digits"},
      {"qwertyuiop123", "alice", false, "common word padded with digits"},
      {"!!password2024!!", "alice", false, "common word padded with symbols"},
      {"password-harbor-lantern", "alice", true, "a common word inside a passphrase"},
      {"alice.wang.2024", "alice.wang.2024", false, "equals username"},
      {"ALICE.WANG.2024", "alice.wang.2024", false, "equals username, other case"},
      {"重庆市公安局连心工作平台", "alice", true, "12 Chinese characters (36 bytes)"},
      {"重庆市公安局连心工作平", "alice", false, "11 Chinese characters (33 bytes)"},
      {std::string(128, 'x'), "alice", true, "128 characters"},
      {std::string(129, 'x'), "alice", false, "129 characters"},
      {std::string("abcdefghijk\xff", 12), "alice", false, "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    auto violation = PasswordPolicyViolation(c.password, c.username);
    EXPECT_EQ(!violation.has_value(), c.ok) << c.why << ": " << violation.value_or("ok");
  }
}

TEST(PasswordPolicyTest, EmbedsTheTenThousandCommonPasswords) {
  EXPECT_EQ(CommonPasswordCount(), 10'000u);
  EXPECT_TRUE(IsCommonPassword("password"));
  EXPECT_TRUE(IsCommonPassword("PassWord"));
  EXPECT_TRUE(IsCommonPassword("1qaz2wsx3edc"));
  EXPECT_FALSE(IsCommonPassword("violet-harbor-lantern"));
}

TEST(PasswordHasherTest, HashesWithArgon2idAndVerifies) {
  const PasswordHasher& hasher = Hasher();
  auto hash = hasher.Hash(kPassword);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, kPassword));
  EXPECT_FALSE(hasher.Verify(*hash, "correct-horse-battery-9"));
  EXPECT_FALSE(hasher.Verify("", kPassword));
  EXPECT_FALSE(hasher.Verify("$argon2id$garbage", kPassword));
  EXPECT_FALSE(hasher.NeedsRehash(*hash));
  // Two hashes of one password differ (random salt).
  EXPECT_NE(*hasher.Hash(kPassword), *hash);
}

TEST(PasswordHasherTest, RaisesParametersToThePolicyFloorAndAsksForRehash) {
  PasswordHasher weak(1, 8192);
  EXPECT_EQ(weak.ops_limit(), kMinPasswordOpsLimit);
  EXPECT_EQ(weak.mem_limit(), kMinPasswordMemLimit);
  PasswordHasher stronger(3, kMinPasswordMemLimit);
  auto hash = Hasher().Hash(kPassword);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(stronger.NeedsRehash(*hash));
  EXPECT_TRUE(stronger.Verify(*hash, kPassword));  // old hashes still verify
}

// ---------------------------------------------------------------------------------------------
// Access policy

// The table as the brief states it, written independently of the implementation.
bool Expected(Role role, Action action) {
  using enum Action;
  static const std::map<Role, std::set<Action>> table = {
      {Role::kSystemAdmin,
       {kOrgRead, kOrgWrite, kOfficerWrite, kOfficerRevealPhone, kChannelWrite, kAppealConfigure}},
      {Role::kSecurityAdmin, {kOrgRead, kAccountRead, kAccountWrite, kOfficerRevealPhone}},
      {Role::kAuditAdmin, {kAuditRead}},
      {Role::kPrOfficer,
       {kOrgRead, kChannelWrite, kAppealRead, kAppealHandle, kAppealSupervise, kAppealRevealContact,
        kAppealConfigure}},
      {Role::kUnitHead,
       {kOrgRead, kOfficerRevealPhone, kAppealRead, kAppealHandle, kAppealSupervise,
        kAppealRevealContact}},
      {Role::kOfficer, {kOrgRead, kAppealRead, kAppealHandle}},
      {Role::kViewer, {kOrgRead, kAppealRead}},
  };
  return table.at(role).contains(action);
}

TEST(AccessPolicyTest, EveryRoleEveryActionEveryRelation) {
  struct Relation {
    const char* name;
    const char* target_path;
    bool inside;
  };
  // The actor sits at /1/2/3/ (a station in district 2).
  const Relation relations[] = {
      {"same", "/1/2/3/", true},
      {"child", "/1/2/3/9/", true},
      {"grandchild", "/1/2/3/9/12/", true},
      {"parent", "/1/2/", false},
      {"root", "/1/", false},
      {"sibling", "/1/2/33/", false},
      {"prefix trap", "/1/2/34/", false},
      {"other district", "/1/4/7/", false},
      {"empty", "", false},
      {"malformed", "/1/2/3", false},
  };
  int checked = 0;
  for (Role role : kAllRoles) {
    Actor actor{
        .account_id = 5, .unit_id = 3, .unit_path = "/1/2/3/", .username = "x", .roles = {role}};
    for (Action action : kAllActions) {
      EXPECT_EQ(RoleGrants(role, action), Expected(role, action))
          << RoleName(role) << " " << ActionName(action);
      for (const Relation& r : relations) {
        EXPECT_EQ(AccessPolicy::Allows(actor, action, r.target_path),
                  Expected(role, action) && r.inside)
            << RoleName(role) << " " << ActionName(action) << " " << r.name;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 7 * 13 * 10);
}

TEST(AccessPolicyTest, DeniesWithoutRolesOrAccountAndUnionsRoles) {
  Actor nobody{.account_id = 5, .unit_id = 1, .unit_path = "/1/", .username = "x"};
  for (Action action : kAllActions) EXPECT_FALSE(AccessPolicy::Allows(nobody, action, "/1/"));
  Actor anonymous{.unit_id = 1, .unit_path = "/1/", .roles = {Role::kSystemAdmin}};
  EXPECT_FALSE(AccessPolicy::Allows(anonymous, Action::kOrgRead, "/1/"));
  Actor both{.account_id = 5,
             .unit_id = 1,
             .unit_path = "/1/",
             .username = "x",
             .roles = {Role::kViewer, Role::kAuditAdmin}};
  EXPECT_TRUE(AccessPolicy::Allows(both, Action::kOrgRead, "/1/4/"));
  EXPECT_TRUE(AccessPolicy::Allows(both, Action::kAuditRead, "/1/"));
  EXPECT_FALSE(AccessPolicy::Allows(both, Action::kOrgWrite, "/1/4/"));
}

TEST(AccessPolicyTest, PrintsTheTable) {
  // Kept as a test so the table in the docs can be regenerated from the code.
  std::string table = "role";
  for (Action action : kAllActions) {
    table += ' ';
    table += ActionName(action);
  }
  for (Role role : kAllRoles) {
    table += '\n';
    table += RoleName(role);
    for (Action action : kAllActions) table += RoleGrants(role, action) ? " Y" : " -";
  }
  EXPECT_THAT(table, HasSubstr("audit_admin - - - - - - - Y - - - - -"));
  std::cout << table << "\n";
}

// ---------------------------------------------------------------------------------------------
// A database with a small units tree:
//   1 /1/ city
//   ├─ 2 /1/2/ district A ── 3 /1/2/3/ station A1 ── 5 /1/2/3/5/ beat
//   └─ 4 /1/4/ district B ── 6 /1/4/6/ station B1
// officers: 1 in station A1, 2 in district B.
class DatabaseTest : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lianxin-auth-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    std::string location = (dir_ / "test.db").string();
    if (GetParam() == storage::Dialect::kPostgres) {
      const char* url = std::getenv("LIANXIN_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "LIANXIN_TEST_POSTGRES_URL is not set (start one with scripts/pg-tmp)";
      }
      pg_url_ = url;
      schema_ = "auth_" + RandomHex(6);
      auto admin = storage::OpenDatabase(pg_url_, {.reader_connections = 0});
      ASSERT_TRUE(admin) << admin.error().message;
      auto created = (*admin)->Write<void>(
          [&](storage::Session& s) { return s.ExecuteScript("CREATE SCHEMA " + schema_); });
      ASSERT_TRUE(created) << created.error().message;
      location = pg_url_ + (pg_url_.find('?') == std::string::npos ? "?" : "&") +
                 "options=-c%20search_path%3D" + schema_;
    }
    auto db = storage::OpenDatabase(location);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto migrated = storage::Migrate(*db_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    struct Unit {
      int64_t id;
      std::optional<int64_t> parent;
      const char* path;
      int depth;
      const char* kind;
      const char* name;
    };
    const Unit units[] = {{1, std::nullopt, "/1/", 0, "city_bureau", "市局"},
                          {2, 1, "/1/2/", 1, "district_bureau", "甲区分局"},
                          {3, 2, "/1/2/3/", 2, "station", "甲一派出所"},
                          {4, 1, "/1/4/", 1, "district_bureau", "乙区分局"},
                          {5, 3, "/1/2/3/5/", 3, "beat", "甲一社区"},
                          {6, 4, "/1/4/6/", 2, "station", "乙一派出所"}};
    for (const Unit& u : units) {
      Exec(
          "INSERT INTO units (id, parent_id, path, depth, kind, name, created_at, updated_at) "
          "VALUES (CAST($1 AS BIGINT), CAST($2 AS BIGINT), $3, CAST($4 AS BIGINT), $5, $6, 0, 0)",
          {u.id, storage::Optional(u.parent), std::string(u.path), int64_t{u.depth},
           std::string(u.kind), std::string(u.name)});
    }
    Exec(
        "INSERT INTO officers (id, badge_no, name, unit_id, created_at, updated_at) VALUES "
        "(1, '500001', '张三', 3, 0, 0), (2, '500002', '李四', 4, 0, 0)");
    audit_ = std::make_unique<AuditLog>(*db_, clock_);
    policy_ = std::make_unique<AccessPolicy>(audit_.get());
    accounts_ = std::make_unique<AccountService>(*db_, clock_, *policy_, *audit_, Hasher());
  }

  void TearDown() override {
    accounts_.reset();
    policy_.reset();
    audit_.reset();
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    if (!schema_.empty()) {
      auto admin = storage::OpenDatabase(pg_url_, {.reader_connections = 0});
      if (admin) {
        (void)(*admin)->Write<void>([&](storage::Session& s) {
          return s.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
        });
      }
    }
  }

  void Exec(std::string_view sql, storage::Params params = {}) {
    auto done = db_->Write<void>([&](storage::Session& s) -> Status {
      auto r = s.Execute(sql, params);
      if (!r) return std::unexpected(r.error());
      return {};
    });
    ASSERT_TRUE(done) << done.error().message << " in " << sql;
  }

  int64_t QueryInt(std::string_view sql, storage::Params params = {}) {
    auto v = db_->Read<int64_t>([&](storage::Session& s) -> Result<int64_t> {
      auto row = s.QueryOne(sql, params);
      if (!row) return std::unexpected(row.error());
      return *row ? (*row)->Int(0) : -1;
    });
    EXPECT_TRUE(v) << v.error().message;
    return v.value_or(-1);
  }

  Account MakeAccount(std::string username, UnitId unit, std::vector<Role> roles,
                      std::optional<OfficerId> officer = std::nullopt) {
    auto created =
        accounts_->CreateAccountUnchecked(NewAccount{.username = std::move(username),
                                                     .display_name = "测试账号",
                                                     .unit_id = unit,
                                                     .officer_id = officer,
                                                     .roles = std::move(roles),
                                                     .password = std::string(kPassword)});
    EXPECT_TRUE(created) << created.error().message;
    return created.value_or(Account{});
  }

  static Actor ActorOf(const Account& account) {
    return Actor{.account_id = account.id,
                 .officer_id = account.officer_id.value_or(0),
                 .unit_id = account.unit_id,
                 .unit_path = account.unit_path,
                 .username = account.username,
                 .roles = account.roles,
                 .client_ip = "10.0.0.1"};
  }

  std::filesystem::path dir_;
  std::string pg_url_;
  std::string schema_;  // PostgreSQL: this test's schema
  FakeClock clock_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<AccessPolicy> policy_;
  std::unique_ptr<AccountService> accounts_;
};

// ---------------------------------------------------------------------------------------------
// Audit log

class AuditLogTest : public DatabaseTest {
 protected:
  void AppendSome(int n) {
    Actor actor{.account_id = 7, .unit_id = 3, .unit_path = "/1/2/3/", .username = "wang"};
    for (int i = 0; i < n; ++i) {
      clock_.Advance(1s);
      auto s = audit_->Record(&actor,
                              {.action = i % 2 == 0 ? "unit.create" : "officer.reveal_phone",
                               .target = "unit:" + std::to_string(i),
                               .result = i % 3 == 0 ? AuditResult::kDenied : AuditResult::kOk,
                               .detail = "n=" + std::to_string(i)},
                              "192.0.2.1");
      ASSERT_TRUE(s) << s.error().message;
    }
  }
};

TEST_P(AuditLogTest, ChainsAndVerifies) {
  int64_t checked = -1;
  auto empty = audit_->Verify(checked);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());
  EXPECT_EQ(checked, 0);

  AppendSome(5);
  auto ok = audit_->Verify(checked);
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->has_value());
  EXPECT_EQ(checked, 5);
  auto report = VerifyAuditLog(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->checked, 5);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE prev_hash = $1",
                     {std::string(kAuditGenesisHash)}),
            1);
}

TEST_P(AuditLogTest, VerifyFindsAnEditedRow) {
  AppendSome(6);
  Exec("UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3");
  int64_t checked = 0;
  auto bad = audit_->Verify(checked);
  ASSERT_TRUE(bad);
  EXPECT_EQ(*bad, std::optional<int64_t>(3));
}

TEST_P(AuditLogTest, VerifyFindsAnEditedRowEvenWithItsHashRecomputed) {
  AppendSome(6);
  // An attacker who also rewrites the row's own hash breaks the next row's link.
  Exec("UPDATE audit_log SET result = 'ok', hash = $1 WHERE id = 4", {std::string(64, 'a')});
  int64_t checked = 0;
  auto bad = audit_->Verify(checked);
  ASSERT_TRUE(bad);
  EXPECT_EQ(*bad, std::optional<int64_t>(4));
}

TEST_P(AuditLogTest, VerifyFindsADeletedRow) {
  AppendSome(6);
  Exec("DELETE FROM audit_log WHERE id = 2");
  int64_t checked = 0;
  auto bad = audit_->Verify(checked);
  ASSERT_TRUE(bad);
  EXPECT_EQ(*bad, std::optional<int64_t>(3));
  auto report = VerifyAuditLog(*db_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_bad_id, std::optional<int64_t>(3));
}

TEST_P(AuditLogTest, VerifyWalksMoreThanOneBatch) {
  Actor actor{.account_id = 7, .unit_id = 3, .unit_path = "/1/2/3/", .username = "wang"};
  auto written = db_->Write<void>([&](storage::Session& s) -> Status {
    for (int i = 0; i < 2100; ++i) {
      if (auto r = audit_->Append(s, &actor, {.action = "bulk", .target = "", .detail = ""}); !r) {
        return r;
      }
    }
    return {};
  });
  ASSERT_TRUE(written);
  Exec("UPDATE audit_log SET target = 'x' WHERE id = 2050");
  int64_t checked = 0;
  auto bad = audit_->Verify(checked);
  ASSERT_TRUE(bad);
  EXPECT_EQ(*bad, std::optional<int64_t>(2050));
  EXPECT_EQ(checked, 2050);
}

TEST_P(AuditLogTest, ConcurrentAppendersKeepOneChain) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Actor actor{.account_id = t + 1, .unit_id = 3, .unit_path = "/1/2/3/", .username = "u"};
      for (int i = 0; i < 25; ++i) {
        if (!audit_->Record(&actor, {.action = "unit.update", .target = "unit:3"})) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  int64_t checked = 0;
  auto bad = audit_->Verify(checked);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->has_value());
  EXPECT_EQ(checked, 100);
}

TEST_P(AuditLogTest, AppendRollsBackWithTheCallersTransaction) {
  auto failed = db_->Write<void>([&](storage::Session& s) -> Status {
    if (auto r = audit_->Append(s, nullptr, {.action = "unit.create"}); !r) return r;
    return MakeError(ErrorCode::kConflict, "the change failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log"), 0);
}

TEST_P(AuditLogTest, SearchFiltersAndPages) {
  AppendSome(9);
  ASSERT_TRUE(audit_->Record(
      nullptr,
      {.action = "auth.login", .result = AuditResult::kFailed, .detail = "unknown username"}));
  int64_t total = 0;
  auto all = audit_->Search({.limit = 4}, total);
  ASSERT_TRUE(all);
  EXPECT_EQ(total, 10);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].id, 10);  // newest first
  EXPECT_EQ((*all)[0].action, "auth.login");

  auto reveals = audit_->Search({.action_prefix = "officer.", .limit = 20}, total);
  ASSERT_TRUE(reveals);
  EXPECT_EQ(total, 4);
  // '_' and '%' in a prefix are literal.
  auto literal = audit_->Search({.action_prefix = "officer%", .limit = 20}, total);
  ASSERT_TRUE(literal);
  EXPECT_EQ(total, 0);

  auto denied =
      audit_->Search({.username = "wang", .result = AuditResult::kDenied, .limit = 20}, total);
  ASSERT_TRUE(denied);
  EXPECT_EQ(total, 3);  // i = 0, 3, 6
  for (const AuditRecord& r : *denied) EXPECT_EQ(r.result, AuditResult::kDenied);

  const int64_t start = FakeClock().NowMillis();
  auto window =
      audit_->Search({.from_millis = start + 2000, .to_millis = start + 4000, .limit = 20}, total);
  ASSERT_TRUE(window);
  EXPECT_EQ(total, 3);

  auto subtree = audit_->Search({.unit_path_prefix = "/1/4/", .limit = 20}, total);
  ASSERT_TRUE(subtree);
  EXPECT_EQ(total, 0);
  auto city =
      audit_->Search({.unit_path_prefix = "/1/", .include_unitless = true, .limit = 20}, total);
  ASSERT_TRUE(city);
  EXPECT_EQ(total, 10);
  auto district = audit_->Search({.unit_path_prefix = "/1/2/", .limit = 20}, total);
  ASSERT_TRUE(district);
  EXPECT_EQ(total, 9);
}

TEST_P(AuditLogTest, PolicyDenialsAreAudited) {
  Actor actor{.account_id = 7,
              .unit_id = 3,
              .unit_path = "/1/2/3/",
              .username = "wang",
              .roles = {Role::kViewer},
              .client_ip = "198.51.100.4"};
  auto denied = policy_->Check(actor, Action::kOrgWrite, "/1/2/3/", "unit:3");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(policy_->Check(actor, Action::kOrgRead, "/1/2/3/5/", "unit:5"));
  int64_t total = 0;
  auto records = audit_->Search({.limit = 10}, total);
  ASSERT_TRUE(records);
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*records)[0].action, "org.write");
  EXPECT_EQ((*records)[0].result, AuditResult::kDenied);
  EXPECT_EQ((*records)[0].target, "unit:3");
  EXPECT_EQ((*records)[0].username, "wang");
  EXPECT_EQ((*records)[0].client_ip, "198.51.100.4");
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

class AuthServiceTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auth_ = std::make_unique<AuthService>(*db_, clock_, *audit_, Hasher());
    alice_ = MakeAccount("alice", 3, {Role::kUnitHead, Role::kViewer}, 1);
  }
  void TearDown() override {
    auth_.reset();
    DatabaseTest::TearDown();
  }

  Result<LoginResult> Login(std::string_view user, std::string_view password,
                            std::string_view ip = "10.0.0.1", int64_t* retry = nullptr) {
    return auth_->Login(user, password, ip, "Mozilla/5.0 test", retry);
  }

  std::unique_ptr<AuthService> auth_;
  Account alice_;
};

TEST_P(AuthServiceTest, SignsInAndAuthenticates) {
  auto login = Login("Alice", kPassword);
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_EQ(login->token.size(), 43u);
  EXPECT_TRUE(AuthService::LooksLikeToken(login->token));
  EXPECT_EQ(login->csrf_token, AuthService::CsrfTokenFor(login->token));
  EXPECT_NE(login->csrf_token, login->token);
  EXPECT_EQ(login->actor.username, "alice");
  EXPECT_EQ(login->actor.unit_path, "/1/2/3/");
  EXPECT_EQ(login->actor.officer_id, 1);
  EXPECT_EQ(login->actor.roles, (std::vector<Role>{Role::kUnitHead, Role::kViewer}));
  EXPECT_EQ(login->profile.unit_name, "甲一派出所");
  EXPECT_EQ(login->profile.display_name, "测试账号");

  auto actor = auth_->Authenticate(login->token);
  ASSERT_TRUE(actor) << actor.error().message;
  EXPECT_EQ(actor->account_id, alice_.id);
  EXPECT_EQ(actor->session_id, login->actor.session_id);
  EXPECT_EQ(actor->unit_path, "/1/2/3/");
  EXPECT_EQ(actor->roles, login->actor.roles);

  EXPECT_GT(QueryInt("SELECT last_login_at FROM accounts WHERE id = $1", {alice_.id}), 0);
  EXPECT_EQ(
      QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND result = 'ok'"), 1);
}

TEST_P(AuthServiceTest, StoresOnlyTheTokenHash) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  EXPECT_EQ(
      QueryInt("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", {Sha256Hex(login->token)}),
      1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sessions WHERE token_hash = $1 OR csrf_hash = $1 OR "
                     "client_ip = $1 OR user_agent = $1",
                     {login->token}),
            0);
  if (GetParam() != storage::Dialect::kSqlite) return;
  // Nowhere in the database files either (main file and WAL).
  db_.reset();
  for (const char* name : {"test.db", "test.db-wal"}) {
    std::ifstream in(dir_ / name, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(login->token), std::string::npos) << name;
    EXPECT_EQ(bytes.find(login->csrf_token), std::string::npos) << name;
    EXPECT_EQ(bytes.find(std::string(kPassword)), std::string::npos) << name;
  }
  auto reopened = storage::OpenDatabase((dir_ / "test.db").string());
  ASSERT_TRUE(reopened);
  db_ = std::move(*reopened);
}

TEST_P(AuthServiceTest, WrongPasswordAndUnknownUserLookAlike) {
  auto wrong = Login("alice", "not-the-password-at-all");
  auto unknown = Login("nobody", "not-the-password-at-all");
  auto inactive_like = Login(std::string(300, 'a'), "x");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(inactive_like);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(inactive_like.error().message, unknown.error().message);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND "
                     "result = 'failed'"),
            3);
  // The failure on an existing account names it; the unknown name is not logged.
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE username = 'alice'"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE username = 'nobody'"), 0);
}

TEST_P(AuthServiceTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  for (int i = 0; i < 5; ++i) {
    auto r = Login("alice", "wrong-password-" + std::to_string(i));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << i;
    clock_.Advance(10s);
  }
  int64_t retry = 0;
  auto locked = Login("alice", kPassword, "10.0.0.1", &retry);
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry, 14 * 60);
  EXPECT_LE(retry, 15 * 60);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.lockout'"), 1);

  // Persisted: a new service (a restarted server) still refuses.
  AuthService restarted(*db_, clock_, *audit_, Hasher());
  auto still = restarted.Login("alice", kPassword, "10.0.0.2", "ua", &retry);
  ASSERT_FALSE(still);
  EXPECT_EQ(still.error().code, ErrorCode::kTooManyRequests);

  clock_.Advance(15min);
  auto again = Login("alice", kPassword, "10.0.0.3");
  ASSERT_TRUE(again) << again.error().message;
  // The counter restarted: four more failures do not lock.
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("alice", "wrong", "10.0.0.4"));
  EXPECT_TRUE(Login("alice", kPassword, "10.0.0.4"));
}

TEST_P(AuthServiceTest, SuccessResetsTheFailureCount) {
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("alice", "wrong"));
  ASSERT_TRUE(Login("alice", kPassword));
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(Login("alice", "wrong"));
  EXPECT_TRUE(Login("alice", kPassword));
}

TEST_P(AuthServiceTest, PerAddressLimitStopsSprayingAcrossAccounts) {
  for (int i = 0; i < 20; ++i) {
    auto r = Login("user" + std::to_string(i), "Spring2026!!", "203.0.113.9");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthenticated) << i;
    clock_.Advance(1s);
  }
  int64_t retry = 0;
  auto limited = Login("alice", kPassword, "203.0.113.9", &retry);
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);
  // Another address is not affected, nor is the account locked.
  EXPECT_TRUE(Login("alice", kPassword, "203.0.113.10"));
  clock_.Advance(15min);
  EXPECT_TRUE(Login("alice", kPassword, "203.0.113.9"));
}

TEST(LoginRateLimiterTest, SlidingWindowAndBoundedMemory) {
  FakeClock clock;
  LoginRateLimiter limiter(clock, 3, 10min, 2);
  limiter.RecordFailure("a");
  clock.Advance(1min);
  limiter.RecordFailure("a");
  limiter.RecordFailure("a");
  auto wait = limiter.RetryAfter("a");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, std::chrono::milliseconds(9min));  // until the first failure leaves
  clock.Advance(9min);
  EXPECT_FALSE(limiter.RetryAfter("a"));
  // Capacity 2: a third address is not tracked while both others are fresh.
  limiter.RecordFailure("b");
  limiter.RecordFailure("c");
  for (int i = 0; i < 5; ++i) limiter.RecordFailure("c");
  EXPECT_FALSE(limiter.RetryAfter("c"));
  EXPECT_FALSE(limiter.RetryAfter("b"));
}

TEST_P(AuthServiceTest, NewTokenAtEverySignIn) {
  auto a = Login("alice", kPassword);
  auto b = Login("alice", kPassword);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->token, b->token);
  EXPECT_NE(a->csrf_token, b->csrf_token);
  EXPECT_NE(a->actor.session_id, b->actor.session_id);
  EXPECT_TRUE(auth_->Authenticate(a->token));
  EXPECT_TRUE(auth_->Authenticate(b->token));
}

TEST_P(AuthServiceTest, IdleTimeoutSlidesAndExpires) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  clock_.Advance(29min);
  EXPECT_TRUE(auth_->Authenticate(login->token));  // slides the idle timer
  clock_.Advance(29min);
  EXPECT_TRUE(auth_->Authenticate(login->token));
  clock_.Advance(30min);
  auto expired = auth_->Authenticate(login->token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
}

TEST_P(AuthServiceTest, TouchesTheSessionAtMostOncePerMinute) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  const int64_t id = login->actor.session_id;
  const int64_t first = QueryInt("SELECT last_seen_at FROM sessions WHERE id = $1", {id});
  clock_.Advance(30s);
  ASSERT_TRUE(auth_->Authenticate(login->token));
  EXPECT_EQ(QueryInt("SELECT last_seen_at FROM sessions WHERE id = $1", {id}), first);
  clock_.Advance(31s);
  ASSERT_TRUE(auth_->Authenticate(login->token));
  EXPECT_EQ(QueryInt("SELECT last_seen_at FROM sessions WHERE id = $1", {id}), first + 61'000);
}

TEST_P(AuthServiceTest, AbsoluteTimeoutEndsAnActiveSession) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  for (int i = 0; i < 35; ++i) {  // 35 x 20 min = 11 h 40 min, always active
    clock_.Advance(20min);
    ASSERT_TRUE(auth_->Authenticate(login->token)) << i;
  }
  clock_.Advance(20min);  // 12 h
  EXPECT_FALSE(auth_->Authenticate(login->token));
}

TEST_P(AuthServiceTest, ConfigSetsTheTimeouts) {
  Config config;
  config.session_idle_minutes = 5;
  config.session_absolute_hours = 1;
  AuthOptions options = AuthOptions::FromConfig(config);
  EXPECT_EQ(options.session_idle, 5min);
  EXPECT_EQ(options.session_absolute, 1h);
  AuthService short_lived(*db_, clock_, *audit_, Hasher(), options);
  auto login = short_lived.Login("alice", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(login);
  clock_.Advance(6min);
  EXPECT_FALSE(short_lived.Authenticate(login->token));
}

TEST_P(AuthServiceTest, LogoutRevokes) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  ASSERT_TRUE(auth_->Logout(login->actor));
  EXPECT_FALSE(auth_->Authenticate(login->token));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.logout'"), 1);
}

TEST_P(AuthServiceTest, RejectsMalformedTokens) {
  for (std::string token : {std::string(), std::string(43, 'A'), std::string(44, 'a'),
                            std::string("abc"), std::string(42, 'a') + "="}) {
    EXPECT_FALSE(auth_->Authenticate(token)) << token;
  }
}

TEST_P(AuthServiceTest, ListsAndRevokesOnlyOwnSessions) {
  auto a = Login("alice", kPassword);
  auto b = Login("alice", kPassword);
  MakeAccount("bob", 3, {Role::kViewer});
  auto bob = Login("bob", kPassword);
  ASSERT_TRUE(a && b && bob);
  auto sessions = auth_->ListSessions(a->actor);
  ASSERT_TRUE(sessions);
  ASSERT_EQ(sessions->size(), 2u);
  EXPECT_EQ((*sessions)[0].id, b->actor.session_id);  // newest first
  EXPECT_FALSE((*sessions)[0].current);
  EXPECT_TRUE((*sessions)[1].current);
  EXPECT_EQ((*sessions)[1].user_agent, "Mozilla/5.0 test");
  EXPECT_EQ((*sessions)[1].expires_at, FakeClock().NowMillis() + 30 * 60'000);

  auto foreign = auth_->RevokeSession(a->actor, bob->actor.session_id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(auth_->Authenticate(bob->token));

  ASSERT_TRUE(auth_->RevokeSession(a->actor, b->actor.session_id));
  EXPECT_FALSE(auth_->Authenticate(b->token));
  EXPECT_TRUE(auth_->Authenticate(a->token));
  auto again = auth_->RevokeSession(a->actor, b->actor.session_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(AuthServiceTest, ChangePasswordChecksAndRevokesOtherSessions) {
  auto a = Login("alice", kPassword);
  auto b = Login("alice", kPassword);
  ASSERT_TRUE(a && b);

  auto wrong = auth_->ChangePassword(a->actor, "not-my-password", "Violet-Harbor-Lantern-7");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(wrong.error().fields.size(), 1u);
  EXPECT_EQ(wrong.error().fields[0].field, "current_password");

  for (std::string weak : {"short", "qwerty123456", "alice", "password1234"}) {
    auto r = auth_->ChangePassword(a->actor, kPassword, weak);
    ASSERT_FALSE(r) << weak;
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "new_password") << weak;
  }
  EXPECT_TRUE(auth_->Authenticate(b->token)) << "failed changes revoke nothing";

  ASSERT_TRUE(auth_->ChangePassword(a->actor, kPassword, "Violet-Harbor-Lantern-7"));
  EXPECT_TRUE(auth_->Authenticate(a->token));
  EXPECT_FALSE(auth_->Authenticate(b->token));
  EXPECT_FALSE(Login("alice", kPassword));
  EXPECT_TRUE(Login("alice", "Violet-Harbor-Lantern-7"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'auth.password_change' AND "
                     "result = 'ok'"),
            1);
}

TEST_P(AuthServiceTest, DeactivatedAccountsCannotSignIn) {
  auto login = Login("alice", kPassword);
  ASSERT_TRUE(login);
  Exec("UPDATE accounts SET active = 0 WHERE id = $1", {alice_.id});
  EXPECT_FALSE(auth_->Authenticate(login->token));
  auto r = Login("alice", kPassword);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
}

// ---------------------------------------------------------------------------------------------
// Cookies, CSRF and the server's authenticator

TEST(SessionCookieTest, ParsesHostileHeaders) {
  const std::string token(43, 'T');
  const std::string other = std::string(42, 'T') + "u";
  struct Case {
    std::string header;
    std::optional<std::string> expected;
    const char* why;
  };
  const Case cases[] = {
      {"lianxin_session=" + token, token, "plain"},
      {"a=b; lianxin_session=" + token + "; c=d", token, "among others"},
      {"  lianxin_session = " + token + " ;", token, "white space"},
      {"lianxin_session=\"" + token + "\"", token, "quoted"},
      {"lianxin_session=" + token + "; lianxin_session=" + token, token, "same value twice"},
      {"lianxin_session=" + token + "; lianxin_session=" + other, std::nullopt,
       "two different values"},
      {"lianxin_session", std::nullopt, "missing '='"},
      {"lianxin_session;;;=;==;", std::nullopt, "only separators"},
      {"lianxin_session=", std::nullopt, "empty value"},
      {"lianxin_session2=" + token, std::nullopt, "another name"},
      {"xlianxin_session=" + token, std::nullopt, "another name (prefix)"},
      {"lianxin_session=" + token + "x", std::nullopt, "too long"},
      {"lianxin_session=" + std::string(42, 'T') + "!", std::nullopt, "bad character"},
      {"lianxin_session=" + token + std::string(20'000, ';'), std::nullopt, "huge"},
      {std::string(20'000, 'x') + "; lianxin_session=" + token, std::nullopt, "huge prefix"},
      {std::string(), std::nullopt, "empty"},
      {std::string("lianxin_session=\0", 17) + token, std::nullopt, "NUL"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SessionTokenFromCookieHeader(c.header), c.expected) << c.why;
  }
  std::string many;
  for (int i = 0; i < 9; ++i) many += "lianxin_session=" + token + ";";
  EXPECT_EQ(SessionTokenFromCookieHeader(many), std::nullopt) << "too many copies";
}

TEST(SessionCookieTest, ReadsEveryCookieHeader) {
  const std::string token(43, 'T');
  http::Request request;
  request.headers = {{"cookie", "a=b"}, {"cookie", "lianxin_session=" + token}};
  EXPECT_EQ(SessionTokenFromRequest(request), token);
  request.headers.push_back({"cookie", "lianxin_session=" + std::string(43, 'U')});
  EXPECT_EQ(SessionTokenFromRequest(request), std::nullopt);
}

TEST(SessionCookieTest, BuildsSetCookieValues) {
  EXPECT_EQ(SessionCookie("tok", false), "lianxin_session=tok; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SessionCookie("tok", true),
            "lianxin_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_THAT(ClearSessionCookie(false), HasSubstr("Max-Age=0"));
  EXPECT_THAT(ClearSessionCookie(false), ::testing::StartsWith("lianxin_session=;"));
  EXPECT_THAT(ClearSessionCookie(true), HasSubstr("; Secure"));
}

class AuthenticatorTest : public AuthServiceTest {
 protected:
  http::Request RequestWith(const std::string& token) {
    http::Request request;
    request.method = http::Method::kPost;
    request.path = "/api/v1/units";
    request.client_ip = "192.0.2.44";
    request.headers = {{"cookie", "theme=dark; lianxin_session=" + token}};
    return request;
  }
};

TEST_P(AuthenticatorTest, AuthenticatesAndChecksCsrf) {
  SessionAuthenticator authenticator(*auth_, *audit_);
  auto a = Login("alice", kPassword);
  auto b = Login("alice", kPassword);
  ASSERT_TRUE(a && b);
  http::Request request = RequestWith(a->token);
  auto actor = authenticator.Authenticate(request);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->account_id, alice_.id);
  EXPECT_EQ(actor->client_ip, "192.0.2.44");

  EXPECT_FALSE(authenticator.CheckCsrf(request, *actor)) << "no header";
  request.headers.push_back({"x-csrf-token", "x"});
  EXPECT_FALSE(authenticator.CheckCsrf(request, *actor)) << "wrong";
  request.headers.back().second = b->csrf_token;
  EXPECT_FALSE(authenticator.CheckCsrf(request, *actor)) << "another session's";
  request.headers.back().second = a->token;
  EXPECT_FALSE(authenticator.CheckCsrf(request, *actor)) << "the session token itself";
  request.headers.back().second = a->csrf_token;
  EXPECT_TRUE(authenticator.CheckCsrf(request, *actor));

  http::Request anonymous;
  EXPECT_FALSE(authenticator.Authenticate(anonymous));
  EXPECT_FALSE(authenticator.Authenticate(RequestWith(std::string(43, 'A'))));
}

TEST_P(AuthenticatorTest, AuditsDenials) {
  SessionAuthenticator authenticator(*auth_, *audit_);
  http::Request request = RequestWith("none");
  authenticator.OnDenied(request, 401, "not signed in");
  int64_t total = 0;
  auto records = audit_->Search({.action_prefix = "http.denied", .limit = 5}, total);
  ASSERT_TRUE(records);
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*records)[0].target, "POST /api/v1/units");
  EXPECT_EQ((*records)[0].result, AuditResult::kDenied);
  EXPECT_EQ((*records)[0].detail, "401 not signed in");
  EXPECT_EQ((*records)[0].client_ip, "192.0.2.44");
}

// ---------------------------------------------------------------------------------------------
// Account administration

class AccountServiceTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    district_admin_ = ActorOf(MakeAccount("sec.a", 2, {Role::kSecurityAdmin}));
  }
  NewAccount Valid(std::string username, UnitId unit) {
    return NewAccount{.username = std::move(username),
                      .display_name = "新账号",
                      .unit_id = unit,
                      .roles = {Role::kOfficer},
                      .password = "Violet-Harbor-Lantern-7"};
  }
  Actor district_admin_;
};

TEST_P(AccountServiceTest, CreatesWithinTheSubtreeOnly) {
  auto created = accounts_->Create(district_admin_, Valid("Wang.Wei", 3));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->username, "wang.wei");
  EXPECT_EQ(created->unit_path, "/1/2/3/");
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->roles, std::vector<Role>{Role::kOfficer});

  for (UnitId outside : {UnitId{1}, UnitId{4}, UnitId{6}}) {
    auto denied =
        accounts_->Create(district_admin_, Valid("x.y" + std::to_string(outside), outside));
    ASSERT_FALSE(denied) << outside;
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied) << outside;
  }
  Actor viewer = ActorOf(MakeAccount("viewer.a", 2, {Role::kViewer}));
  auto no_role = accounts_->Create(viewer, Valid("x.z", 3));
  ASSERT_FALSE(no_role);
  EXPECT_EQ(no_role.error().code, ErrorCode::kPermissionDenied);

  auto duplicate = accounts_->Create(district_admin_, Valid("WANG.WEI", 3));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'account.create' AND "
                     "username = 'sec.a'"),
            1);
}

TEST_P(AccountServiceTest, ValidatesFields) {
  struct Case {
    NewAccount account;
    std::string field;
  };
  auto with = [&](auto change) {
    NewAccount a = Valid("valid.name", 3);
    change(a);
    return a;
  };
  const Case cases[] = {
      {with([](NewAccount& a) { a.username = "ab"; }), "username"},
      {with([](NewAccount& a) { a.username = std::string(33, 'a'); }), "username"},
      {with([](NewAccount& a) { a.username = "wang wei"; }), "username"},
      {with([](NewAccount& a) { a.username = "王伟"; }), "username"},
      {with([](NewAccount& a) { a.username = "a/b"; }), "username"},
      {with([](NewAccount& a) { a.display_name = "  "; }), "display_name"},
      {with([](NewAccount& a) { a.roles.clear(); }), "roles"},
      {with([](NewAccount& a) {
         a.roles = {Role::kSystemAdmin, Role::kAuditAdmin};
       }),
       "roles"},
      {with([](NewAccount& a) {
         a.roles = {Role::kSecurityAdmin, Role::kSystemAdmin};
       }),
       "roles"},
      {with([](NewAccount& a) { a.password = "short"; }), "password"},
      {with([](NewAccount& a) { a.password = "qwerty123456"; }), "password"},
      {with([](NewAccount& a) { a.password = "valid.name"; }), "password"},
      {with([](NewAccount& a) { a.unit_id = 999; }), "unit_id"},
      {with([](NewAccount& a) { a.officer_id = 2; }), "officer_id"},  // officer in district B
      {with([](NewAccount& a) { a.officer_id = 99; }), "officer_id"},
  };
  for (const Case& c : cases) {
    auto r = accounts_->Create(district_admin_, c.account);
    ASSERT_FALSE(r) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.field;
    ASSERT_FALSE(r.error().fields.empty()) << c.field;
    EXPECT_EQ(r.error().fields[0].field, c.field) << c.account.username;
  }
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM accounts"), 1);  // only sec.a
  NewAccount with_officer = Valid("zhang.san", 2);
  with_officer.officer_id = 1;  // in station A1, inside district A
  auto ok = accounts_->Create(district_admin_, with_officer);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->officer_name, "张三");
  EXPECT_EQ(ok->officer_badge_no, "500001");
}

TEST_P(AccountServiceTest, ListsTheSubtreeWithFilters) {
  MakeAccount("a.one", 3, {Role::kOfficer});
  MakeAccount("a.two", 5, {Role::kViewer, Role::kOfficer});
  MakeAccount("b.one", 4, {Role::kOfficer});
  MakeAccount("city.one", 1, {Role::kViewer});
  int64_t total = 0;
  auto all = accounts_->List(district_admin_, {.limit = 2}, total);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(total, 3);  // sec.a, a.one, a.two
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "a.one");
  auto viewers = accounts_->List(district_admin_, {.role = Role::kViewer}, total);
  ASSERT_TRUE(viewers);
  EXPECT_EQ(total, 1);
  EXPECT_EQ((*viewers)[0].roles, (std::vector<Role>{Role::kOfficer, Role::kViewer}));
  auto q = accounts_->List(district_admin_, {.q = "TWO"}, total);
  ASSERT_TRUE(q);
  EXPECT_EQ(total, 1);
  auto station = accounts_->List(district_admin_, {.unit_id = 3}, total);
  ASSERT_TRUE(station);
  EXPECT_EQ(total, 2);
  auto foreign = accounts_->List(district_admin_, {.unit_id = 4}, total);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kPermissionDenied);
  auto parent = accounts_->List(district_admin_, {.unit_id = 1}, total);
  ASSERT_FALSE(parent);
  EXPECT_EQ(parent.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(AccountServiceTest, UpdatesWithVersionAndSubtreeRules) {
  Account target = MakeAccount("a.one", 3, {Role::kOfficer});
  auto renamed = accounts_->Update(district_admin_, target.id,
                                   {.version = 1,
                                    .display_name = "王伟",
                                    .unit_id = 5,
                                    .roles = std::vector<Role>{Role::kUnitHead}});
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(renamed->display_name, "王伟");
  EXPECT_EQ(renamed->unit_id, 5);
  EXPECT_EQ(renamed->roles, std::vector<Role>{Role::kUnitHead});

  auto stale = accounts_->Update(district_admin_, target.id, {.version = 1, .display_name = "x"});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);

  auto two_admins = accounts_->Update(
      district_admin_, target.id,
      {.version = 2, .roles = std::vector<Role>{Role::kSecurityAdmin, Role::kAuditAdmin}});
  ASSERT_FALSE(two_admins);
  EXPECT_EQ(two_admins.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(two_admins.error().fields.at(0).field, "roles");

  auto moved_out = accounts_->Update(district_admin_, target.id, {.version = 2, .unit_id = 4});
  ASSERT_FALSE(moved_out);
  EXPECT_EQ(moved_out.error().code, ErrorCode::kPermissionDenied);

  Account foreign = MakeAccount("b.one", 4, {Role::kOfficer});
  auto outside =
      accounts_->Update(district_admin_, foreign.id, {.version = 1, .display_name = "x"});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);

  auto missing = accounts_->Update(district_admin_, 999, {.version = 1});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(AccountServiceTest, NobodyChangesTheirOwnRoles) {
  auto own = accounts_->Update(district_admin_, district_admin_.account_id,
                               {.version = 1, .roles = std::vector<Role>{Role::kSystemAdmin}});
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, ErrorCode::kPermissionDenied);
  auto deactivate = accounts_->Update(district_admin_, district_admin_.account_id,
                                      {.version = 1, .active = false});
  ASSERT_FALSE(deactivate);
  EXPECT_EQ(deactivate.error().code, ErrorCode::kPermissionDenied);
  // The same roles again, and other fields, are fine.
  auto same = accounts_->Update(district_admin_, district_admin_.account_id,
                                {.version = 1,
                                 .display_name = "安全管理员",
                                 .roles = std::vector<Role>{Role::kSecurityAdmin}});
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'account.update' AND "
                     "result = 'denied'"),
            2);
}

TEST_P(AccountServiceTest, PasswordResetDeactivationAndUnlockRevokeOrRestoreAccess) {
  AuthService auth(*db_, clock_, *audit_, Hasher());
  Account target = MakeAccount("a.one", 3, {Role::kOfficer});
  auto session = auth.Login("a.one", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(session);

  auto weak = accounts_->SetPassword(district_admin_, target.id, "qwerty123456");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().fields.at(0).field, "password");
  EXPECT_TRUE(auth.Authenticate(session->token));

  ASSERT_TRUE(accounts_->SetPassword(district_admin_, target.id, "Violet-Harbor-Lantern-7"));
  EXPECT_FALSE(auth.Authenticate(session->token));
  EXPECT_FALSE(auth.Login("a.one", kPassword, "10.0.0.1", "ua"));

  for (int i = 0; i < 4; ++i) ASSERT_FALSE(auth.Login("a.one", "wrong", "10.0.0.1", "ua"));
  auto locked = auth.Login("a.one", "Violet-Harbor-Lantern-7", "10.0.0.1", "ua");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  auto shown = accounts_->Get(district_admin_, target.id);
  ASSERT_TRUE(shown);
  EXPECT_TRUE(shown->locked_until.has_value());
  ASSERT_TRUE(accounts_->Unlock(district_admin_, target.id));
  auto back = auth.Login("a.one", "Violet-Harbor-Lantern-7", "10.0.0.1", "ua");
  ASSERT_TRUE(back) << back.error().message;

  auto current = accounts_->Get(district_admin_, target.id);
  ASSERT_TRUE(current);
  EXPECT_FALSE(current->locked_until.has_value());
  auto off =
      accounts_->Update(district_admin_, target.id, {.version = current->version, .active = false});
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->active);
  EXPECT_FALSE(auth.Authenticate(back->token));
  EXPECT_FALSE(auth.Login("a.one", "Violet-Harbor-Lantern-7", "10.0.0.1", "ua"));

  Account foreign = MakeAccount("b.one", 4, {Role::kOfficer});
  auto denied = accounts_->SetPassword(district_admin_, foreign.id, "Violet-Harbor-Lantern-7");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto denied_unlock = accounts_->Unlock(district_admin_, foreign.id);
  ASSERT_FALSE(denied_unlock);
  EXPECT_EQ(denied_unlock.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(AccountServiceTest, CommandLinePathIsAuditedAsCli) {
  ASSERT_TRUE(accounts_->SetPasswordUnchecked("SEC.A", "Violet-Harbor-Lantern-7"));
  auto missing = accounts_->SetPasswordUnchecked("nobody", "Violet-Harbor-Lantern-7");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM audit_log WHERE username = 'cli'"), 2);  // create+reset
  auto report = VerifyAuditLog(*db_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
}

// ---------------------------------------------------------------------------------------------
// Routes (handlers called through the router, as the server would after authentication)

class RoutesTest : public AuthServiceTest {
 protected:
  void SetUp() override {
    AuthServiceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    RegisterAuthRoutes(router_, *auth_, *accounts_, *audit_, *policy_, config_);
  }

  http::Response Call(http::Method method, const std::string& path, std::string body = {},
                      std::optional<Actor> actor = std::nullopt, std::string cookie = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    size_t q = path.find('?');
    if (q != std::string::npos) {
      request.path = path.substr(0, q);
      request.query = path.substr(q + 1);
    }
    request.body = std::move(body);
    request.client_ip = "10.1.1.1";
    request.headers = {{"content-type", "application/json"}};
    if (!cookie.empty()) request.headers.push_back({"cookie", cookie});
    request.actor = std::move(actor);
    auto match = router_.Find(method, request.path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return {};
    request.path_params = match.params;
    return match.route->handler(request);
  }

  Config config_;
  http::Router router_;
};

TEST_P(RoutesTest, RegistersEveryContractRoute) {
  std::set<std::string> routes;
  for (const http::Route& r : router_.routes()) {
    routes.insert(std::string(http::MethodName(r.method)) + " " + r.pattern);
    if (r.pattern == "/api/v1/auth/login") {
      EXPECT_EQ(r.options.access, http::Access::kPublic);
      EXPECT_TRUE(r.options.csrf_exempt);
      EXPECT_EQ(r.options.max_body_bytes, 4096u);
    } else {
      EXPECT_EQ(r.options.access, http::Access::kSignedIn) << r.pattern;
      EXPECT_FALSE(r.options.csrf_exempt) << r.pattern;
    }
  }
  EXPECT_EQ(routes,
            (std::set<std::string>{
                "POST /api/v1/auth/login", "POST /api/v1/auth/logout", "GET /api/v1/auth/me",
                "GET /api/v1/auth/sessions", "DELETE /api/v1/auth/sessions/{id}",
                "POST /api/v1/auth/password", "GET /api/v1/accounts", "POST /api/v1/accounts",
                "GET /api/v1/accounts/{id}", "PATCH /api/v1/accounts/{id}",
                "POST /api/v1/accounts/{id}/password", "POST /api/v1/accounts/{id}/unlock",
                "GET /api/v1/audit", "GET /api/v1/audit/verify"}));
}

TEST_P(RoutesTest, LoginSetsTheCookieAndMeReturnsTheSameCsrfToken) {
  auto response = Call(http::Method::kPost, "/api/v1/auth/login",
                       R"({"username":"alice","password":"Correct-Horse-Battery-9"})");
  ASSERT_EQ(response.status, 200) << response.body;
  auto cookie = std::string(response.Header("Set-Cookie"));
  EXPECT_THAT(cookie, ::testing::StartsWith("lianxin_session="));
  EXPECT_THAT(cookie, HasSubstr("; HttpOnly; SameSite=Lax"));
  EXPECT_THAT(cookie, ::testing::Not(HasSubstr("Secure")));
  auto body = http::Json::parse(response.body);
  EXPECT_EQ(body["account"]["username"], "alice");
  EXPECT_EQ(body["account"]["unit"]["path"], "/1/2/3/");
  EXPECT_EQ(body["account"]["roles"], http::Json::array({"unit_head", "viewer"}));
  EXPECT_FALSE(body["account"].contains("password_hash"));
  const std::string token = cookie.substr(16, 43);
  EXPECT_EQ(response.body.find(token), std::string::npos) << "the token only in the cookie";

  auto actor = auth_->Authenticate(token);
  ASSERT_TRUE(actor);
  auto me = Call(http::Method::kGet, "/api/v1/auth/me", "", *actor, "lianxin_session=" + token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(http::Json::parse(me.body)["csrf_token"], body["csrf_token"]);

  auto logout = Call(http::Method::kPost, "/api/v1/auth/logout", "", *actor);
  EXPECT_EQ(logout.status, 204);
  EXPECT_THAT(std::string(logout.Header("Set-Cookie")), HasSubstr("Max-Age=0"));
  EXPECT_FALSE(auth_->Authenticate(token));
}

TEST_P(RoutesTest, LoginErrors) {
  auto wrong = Call(http::Method::kPost, "/api/v1/auth/login",
                    R"({"username":"alice","password":"wrong-password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Header("Set-Cookie"), "");
  auto missing = Call(http::Method::kPost, "/api/v1/auth/login", R"({"username":42})");
  EXPECT_EQ(missing.status, 422);
  auto errors = http::Json::parse(missing.body)["errors"];
  EXPECT_EQ(errors.size(), 2u);
  for (int i = 0; i < 4; ++i) {
    Call(http::Method::kPost, "/api/v1/auth/login",
         R"({"username":"alice","password":"wrong-password"})");
  }
  auto locked = Call(http::Method::kPost, "/api/v1/auth/login",
                     R"({"username":"alice","password":"Correct-Horse-Battery-9"})");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Header("Retry-After"), "900");
}

TEST_P(RoutesTest, AccountsAndAuditRoutes) {
  Actor admin = ActorOf(MakeAccount("sec.city", 1, {Role::kSecurityAdmin}));
  Actor auditor = ActorOf(MakeAccount("audit.city", 1, {Role::kAuditAdmin}));
  Actor district_auditor = ActorOf(MakeAccount("audit.b", 4, {Role::kAuditAdmin}));

  auto created = Call(http::Method::kPost, "/api/v1/accounts",
                      R"({"username":"new.one","display_name":"新","unit_id":3,"officer_id":1,)"
                      R"("roles":["officer","nonsense"],"password":"Violet-Harbor-Lantern-7"})",
                      admin);
  EXPECT_EQ(created.status, 422) << created.body;
  EXPECT_THAT(created.body, HasSubstr("roles[1]"));
  created = Call(http::Method::kPost, "/api/v1/accounts",
                 R"({"username":"new.one","display_name":"新","unit_id":3,"officer_id":1,)"
                 R"("roles":["officer"],"password":"Violet-Harbor-Lantern-7"})",
                 admin);
  ASSERT_EQ(created.status, 201) << created.body;
  auto account = http::Json::parse(created.body);
  EXPECT_EQ(account["officer"]["badge_no"], "500001");
  EXPECT_EQ(account["unit"]["name"], "甲一派出所");
  EXPECT_TRUE(account["locked_until"].is_null());
  EXPECT_FALSE(account.contains("password"));
  const std::string id = std::to_string(account["id"].get<int64_t>());

  auto list = Call(http::Method::kGet, "/api/v1/accounts?q=new&page_size=5", "", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(http::Json::parse(list.body)["total"], 1);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/accounts?role=king", "", admin).status, 422);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/accounts?unit_id=abc", "", admin).status, 422);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/accounts", "", auditor).status, 403);

  auto stale = Call(http::Method::kPatch, "/api/v1/accounts/" + id,
                    R"({"version":7,"display_name":"x"})", admin);
  EXPECT_EQ(stale.status, 412);
  auto patched = Call(http::Method::kPatch, "/api/v1/accounts/" + id,
                      R"({"version":1,"roles":["viewer"],"active":true})", admin);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(http::Json::parse(patched.body)["roles"], http::Json::array({"viewer"}));
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/accounts/" + id + "/password",
                 R"({"password":"Violet-Harbor-Lantern-8"})", admin)
                .status,
            204);
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/accounts/" + id + "/unlock", "", admin).status, 204);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/accounts/abc", "", admin).status, 404);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/accounts/99999", "", admin).status, 404);

  auto audit = Call(http::Method::kGet, "/api/v1/audit?action=account.&page_size=50", "", auditor);
  ASSERT_EQ(audit.status, 200) << audit.body;
  auto page = http::Json::parse(audit.body);
  EXPECT_GE(page["total"].get<int64_t>(), 4);
  EXPECT_EQ(audit.body.find("Violet"), std::string::npos);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/audit?result=maybe", "", auditor).status, 422);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/audit?from=yesterday", "", auditor).status, 422);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/audit", "", admin).status, 403);
  // A district audit administrator sees only their district's records.
  auto district = Call(http::Method::kGet, "/api/v1/audit?action=account.", "", district_auditor);
  ASSERT_EQ(district.status, 200);
  EXPECT_EQ(http::Json::parse(district.body)["total"], 0);

  auto verify = Call(http::Method::kGet, "/api/v1/audit/verify", "", auditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  auto report = http::Json::parse(verify.body);
  EXPECT_EQ(report["ok"], true);
  EXPECT_TRUE(report["first_bad_id"].is_null());
  EXPECT_GT(report["checked"].get<int64_t>(), 0);
  EXPECT_EQ(Call(http::Method::kGet, "/api/v1/audit/verify", "", admin).status, 403);
}

TEST_P(RoutesTest, OwnSessionsAndPassword) {
  auto login = auth_->Login("alice", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(login);
  auto sessions = Call(http::Method::kGet, "/api/v1/auth/sessions", "", login->actor);
  ASSERT_EQ(sessions.status, 200);
  auto items = http::Json::parse(sessions.body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["current"], true);
  EXPECT_THAT(items[0]["expires_at"].get<std::string>(), HasSubstr("+08:00"));
  EXPECT_EQ(Call(http::Method::kDelete, "/api/v1/auth/sessions/12345", "", login->actor).status,
            404);
  auto weak = Call(http::Method::kPost, "/api/v1/auth/password",
                   R"({"current_password":"Correct-Horse-Battery-9","new_password":"alice"})",
                   login->actor);
  EXPECT_EQ(weak.status, 422);
  EXPECT_THAT(weak.body, HasSubstr("new_password"));
  auto ok = Call(
      http::Method::kPost, "/api/v1/auth/password",
      R"({"current_password":"Correct-Horse-Battery-9","new_password":"Violet-Harbor-Lantern-7"})",
      login->actor);
  EXPECT_EQ(ok.status, 204) << ok.body;
}

std::string DialectName(const ::testing::TestParamInfo<storage::Dialect>& info) {
  return info.param == storage::Dialect::kSqlite ? "Sqlite" : "Postgres";
}
INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         DialectName);
INSTANTIATE_TEST_SUITE_P(Backends, AuthServiceTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         DialectName);
INSTANTIATE_TEST_SUITE_P(Backends, AuthenticatorTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         DialectName);
INSTANTIATE_TEST_SUITE_P(Backends, AccountServiceTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         DialectName);
INSTANTIATE_TEST_SUITE_P(Backends, RoutesTest,
                         ::testing::Values(storage::Dialect::kSqlite, storage::Dialect::kPostgres),
                         DialectName);

}  // namespace
}  // namespace lianxin::auth
