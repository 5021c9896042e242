#include "app/app.h"

#include "app/data_key.h"
#include "auth/routes.h"
#include "org/routes.h"
#include "storage/migrations.h"

namespace lianxin::app {

Result<std::unique_ptr<App>> OpenApp(const Config& config, Migration migration) {
  auto app = std::make_unique<App>();
  app->config = config;
  auto database = storage::OpenDatabase(config.database);
  if (!database) {
    return MakeError(database.error().code, "cannot open the database " + config.database + ": " +
                                                database.error().message);
  }
  app->database = std::move(*database);
  if (migration == Migration::kApply) {
    auto report = storage::Migrate(*app->database);
    if (!report) return std::unexpected(report.error());
  }
  auto protector = LoadOrCreateDataKey(config.data_key_file);
  if (!protector) return std::unexpected(protector.error());
  app->protector = std::make_unique<DataProtector>(std::move(*protector));

  // Argon2id at 64 MiB and 2 passes: above the policy's floor (19 MiB, 2 passes) and about
  // a tenth of a second per sign-in on the reference machine.
  app->hasher = std::make_unique<auth::PasswordHasher>(2, 64u * 1024u * 1024u);
  app->audit = std::make_unique<auth::AuditLog>(*app->database, app->clock);
  app->policy = std::make_unique<auth::AccessPolicy>(app->audit.get());
  app->auth = std::make_unique<auth::AuthService>(
      *app->database, app->clock, *app->audit, *app->hasher, auth::AuthOptions::FromConfig(config));
  app->accounts = std::make_unique<auth::AccountService>(*app->database, app->clock, *app->policy,
                                                         *app->audit, *app->hasher);
  app->org = std::make_unique<org::OrgService>(*app->database, *app->protector, app->clock,
                                               *app->policy, *app->audit);
  app->authenticator = std::make_unique<auth::SessionAuthenticator>(*app->auth, *app->audit);
  RegisterRoutes(*app, app->router);
  return app;
}

void RegisterRoutes(App& app, http::Router& router) {
  org::RegisterPublicOrgRoutes(router, *app.org);
  auth::RegisterAuthRoutes(router, *app.auth, *app.accounts, *app.audit, *app.policy, app.config);
  org::RegisterOrgRoutes(router, *app.org);
}

}  // namespace lianxin::app
