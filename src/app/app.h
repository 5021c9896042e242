// The one place where Lianxin's objects are constructed and wired together.
#pragma once

#include <memory>
#include <optional>

#include "auth/access_policy.h"
#include "auth/account_service.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "auth/passwords.h"
#include "auth/session_authenticator.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "http/api.h"
#include "org/org_service.h"
#include "storage/database.h"

namespace lianxin::app {

enum class Migration { kApply, kSkip };

// Everything a command needs. Members are declared in construction order; destruction runs
// in reverse, so services go before the database they use.
struct App {
  Config config;
  SystemClock clock;
  std::unique_ptr<storage::Database> database;
  std::unique_ptr<DataProtector> protector;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AccessPolicy> policy;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<auth::AccountService> accounts;
  std::unique_ptr<org::OrgService> org;
  std::unique_ptr<auth::SessionAuthenticator> authenticator;
  http::Router router;
};

// Opens the database, applies migrations when asked, loads the data key and builds every
// service and the route table. Errors name what failed (database, migration, key file).
[[nodiscard]] Result<std::unique_ptr<App>> OpenApp(const Config& config, Migration migration);

// Registers every route on `router`. Handlers keep references into `app`.
void RegisterRoutes(App& app, http::Router& router);

}  // namespace lianxin::app
