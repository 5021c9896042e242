// lianxin: the server and its command line.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/demo.h"
#include "app/scheduler.h"
#include "core/config.h"
#include "http/server.h"
#include "storage/migrations.h"

#ifndef LIANXIN_VERSION
#define LIANXIN_VERSION "0.0.0"
#endif

namespace lianxin::app {
namespace {

int Fail(const Error& error) {
  std::fprintf(stderr, "lianxin: %s\n", error.message.c_str());
  return 1;
}

Result<Config> ReadConfig(const std::string& config_file) {
  std::optional<std::string> file;
  if (!config_file.empty()) file = config_file;
  return LoadConfig(file, [](const char* name) { return std::getenv(name); });
}

int Serve(const Config& config) {
  auto app = OpenApp(config, Migration::kApply);
  if (!app) return Fail(app.error());
  App& a = **app;

  char host[256] = "node";
  ::gethostname(host, sizeof host - 1);
  Scheduler scheduler(*a.database, a.clock, std::string(host) + ":" + std::to_string(::getpid()));
  scheduler.Every("storage.maintain", std::chrono::seconds(60),
                  [&a] { return a.database->Maintain(); });
  // Warn at 80% of a deadline, escalate overdue appeals, auto-close unrated replies.
  scheduler.Every("outbox.deliver", std::chrono::seconds(10), [&a]() -> Status {
    auto report = a.outbox->DeliverDue(a.clock.NowMillis(), 50);
    if (!report) return std::unexpected(report.error());
    return {};
  });
  // Photos uploaded for an appeal that was never sent are removed after a day.
  scheduler.Every("attachments.purge", std::chrono::hours(1), [&a]() -> Status {
    auto purged = a.attachments->PurgeUnattached(a.clock.NowMillis() - 24LL * 3600 * 1000);
    if (!purged) return std::unexpected(purged.error());
    return {};
  });
  scheduler.Every("appeals.deadlines", std::chrono::seconds(60), [&a]() -> Status {
    auto report = a.appeals->RunDeadlines(a.clock.NowMillis());
    if (!report) return std::unexpected(report.error());
    return {};
  });

  auto options = http::ServerOptionsFromConfig(config);
  options.ready_check = [&a] { return a.database->Ping().has_value(); };
  http::Server server(options, a.router, a.authenticator.get());
  auto port = server.Start();
  if (!port) return Fail(port.error());
  server.StopOnSignals();
  scheduler.Start();
  std::printf("Lianxin listening on http://%s:%d\n", config.listen_address.c_str(), *port);
  std::fflush(stdout);
  server.Wait();
  scheduler.Stop();
  spdlog::info("stopped");
  return 0;
}

int Migrate(const Config& config) {
  auto database = storage::OpenDatabase(config.database);
  if (!database) return Fail(database.error());
  auto report = storage::Migrate(**database);
  if (!report) return Fail(report.error());
  std::printf("schema version %d -> %d", report->from_version, report->to_version);
  if (!report->applied.empty()) {
    std::printf(" (applied:");
    for (const auto& name : report->applied) std::printf(" %s", name.c_str());
    std::printf(")");
  }
  std::printf("\n");
  return 0;
}

int DemoLoad(const Config& config, const DemoOptions& options) {
  auto app = OpenApp(config, Migration::kApply);
  if (!app) return Fail(app.error());
  auto status = LoadDemo(**app, options);
  if (!status) return Fail(status.error());
  std::printf("demo data loaded; staff accounts in %s\n", options.credentials_path.c_str());
  return 0;
}

// Reads one line from standard input when it is not a terminal, else generates a password.
std::pair<std::string, bool> PasswordFromStdin() {
  if (!::isatty(STDIN_FILENO)) {
    std::string line;
    if (std::getline(std::cin, line) && !line.empty()) {
      if (line.back() == '\r') line.pop_back();
      return {line, false};
    }
  }
  return {GeneratePassword(), true};
}

int UserAdd(const Config& config, const std::string& username, int64_t unit_id,
            const std::vector<std::string>& role_names, const std::string& display_name) {
  auth::NewAccount account;
  account.username = username;
  account.display_name = display_name.empty() ? username : display_name;
  account.unit_id = unit_id;
  for (const auto& name : role_names) {
    Role role;
    if (!ParseRole(name, role)) {
      return Fail(Error{ErrorCode::kInvalidArgument, "unknown role '" + name + "'", {}});
    }
    account.roles.push_back(role);
  }
  auto [password, generated] = PasswordFromStdin();
  account.password = password;
  auto app = OpenApp(config, Migration::kApply);
  if (!app) return Fail(app.error());
  auto created = (*app)->accounts->CreateAccountUnchecked(account);
  if (!created) {
    std::string detail = created.error().message;
    for (const auto& f : created.error().fields) detail += "; " + f.field + ": " + f.message;
    return Fail(Error{created.error().code, detail, {}});
  }
  std::printf("created account %s (id %lld)\n", created->username.c_str(),
              static_cast<long long>(created->id));
  if (generated) std::printf("password: %s\n", password.c_str());
  return 0;
}

int UserResetPassword(const Config& config, const std::string& username) {
  auto app = OpenApp(config, Migration::kApply);
  if (!app) return Fail(app.error());
  auto [password, generated] = PasswordFromStdin();
  auto status = (*app)->accounts->SetPasswordUnchecked(username, password);
  if (!status) {
    std::string detail = status.error().message;
    for (const auto& f : status.error().fields) detail += "; " + f.field + ": " + f.message;
    return Fail(Error{status.error().code, detail, {}});
  }
  std::printf("password of %s reset; its sessions were revoked\n", username.c_str());
  if (generated) std::printf("password: %s\n", password.c_str());
  return 0;
}

int AuditVerify(const Config& config) {
  auto app = OpenApp(config, Migration::kApply);
  if (!app) return Fail(app.error());
  int64_t checked = 0;
  auto bad = (*app)->audit->Verify(checked);
  if (!bad) return Fail(bad.error());
  if (*bad) {
    std::printf("audit chain BROKEN at record %lld (%lld records checked)\n",
                static_cast<long long>(**bad), static_cast<long long>(checked));
    return 1;
  }
  std::printf("audit chain ok: %lld records\n", static_cast<long long>(checked));
  return 0;
}

// Prints the route table as JSON. Builds the app on a throwaway database, since routes do
// not depend on data.
int Routes(Config config) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("lianxin-routes-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  config.database = (dir / "routes.db").string();
  config.data_key_file = (dir / "data.key").string();
  int rc = 0;
  {
    auto app = OpenApp(config, Migration::kSkip);
    if (!app) {
      rc = Fail(app.error());
    } else {
      nlohmann::json routes = nlohmann::json::array();
      for (const auto& route : (*app)->router.routes()) {
        routes.push_back(
            {{"method", http::MethodName(route.method)},
             {"pattern", route.pattern},
             {"access", route.options.access == http::Access::kPublic ? "public" : "signed_in"}});
      }
      for (const auto& path : http::BuiltinGetPaths()) {
        routes.push_back({{"method", "GET"}, {"pattern", path}, {"access", "public"}});
      }
      std::printf("%s\n", routes.dump(2).c_str());
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return rc;
}

}  // namespace
}  // namespace lianxin::app

int main(int argc, char** argv) {
  using namespace lianxin;
  using namespace lianxin::app;
  auto logger = spdlog::stderr_color_mt("lianxin");
  spdlog::set_default_logger(logger);

  CLI::App cli{
      "Lianxin (连心): police–public communication server and tools.\n"
      "Example: lianxin serve   (then open http://127.0.0.1:8080/)"};
  cli.require_subcommand(1);
  std::string config_file;
  cli.add_option("-c,--config", config_file,
                 "configuration file (default: ./lianxin.toml if present)");

  auto* serve = cli.add_subcommand("serve",
                                   "Apply migrations and serve HTTP.\n"
                                   "Example: LIANXIN_PORT=9000 lianxin serve");
  auto* migrate = cli.add_subcommand("migrate",
                                     "Apply pending database migrations.\n"
                                     "Example: lianxin migrate");
  auto* demo = cli.add_subcommand("demo", "Demo data.");
  demo->require_subcommand(1);
  DemoOptions demo_options;
  auto* demo_load = demo->add_subcommand(
      "load",
      "Load the Chongqing demo organisation and staff accounts into an empty database.\n"
      "Example: lianxin demo load --credentials var/demo-credentials.txt");
  demo_load->add_option("--scale", demo_options.scale, "multiply stations, beats and officers")
      ->check(CLI::Range(0.1, 1000.0));
  demo_load
      ->add_option("--appeal-scale", demo_options.appeal_scale,
                   "a year of appeals: 1 is ~200,000 city-wide, 0 none")
      ->check(CLI::Range(0.0, 100.0));
  demo_load->add_option("--credentials", demo_options.credentials_path,
                        "where to write the demo accounts' passwords (mode 0600)");

  auto* user = cli.add_subcommand("user", "Staff accounts.");
  user->require_subcommand(1);
  std::string username, display_name;
  int64_t unit_id = 0;
  std::vector<std::string> roles;
  auto* user_add = user->add_subcommand(
      "add",
      "Create a staff account; the password is read from standard input or generated.\n"
      "Example: lianxin user add --username admin --unit 1 --role system_admin");
  user_add->add_option("--username", username, "3-32 of a-z 0-9 . _ -")->required();
  user_add->add_option("--unit", unit_id, "the unit id the account belongs to")->required();
  user_add
      ->add_option("--role", roles,
                   "system_admin, security_admin, audit_admin, "
                   "pr_officer, unit_head, officer or viewer")
      ->required();
  user_add->add_option("--display-name", display_name, "name shown in the console");
  auto* user_reset =
      user->add_subcommand("reset-password",
                           "Set a new password (from standard input, or generated and printed) "
                           "and revoke the account's sessions.\n"
                           "Example: lianxin user reset-password --username admin");
  user_reset->add_option("--username", username)->required();

  auto* audit = cli.add_subcommand("audit", "The audit log.");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand(
      "verify", "Check the audit log's hash chain.\nExample: lianxin audit verify");
  auto* routes = cli.add_subcommand("routes", "Print every HTTP route as JSON.");
  auto* version = cli.add_subcommand("version", "Print the version.");

  CLI11_PARSE(cli, argc, argv);

  if (version->parsed()) {
    std::printf("lianxin %s\n", LIANXIN_VERSION);
    return 0;
  }
  auto config = ReadConfig(config_file);
  if (!config) return Fail(config.error());
  spdlog::set_level(spdlog::level::from_str(config->log_level));

  if (serve->parsed()) return Serve(*config);
  if (migrate->parsed()) return Migrate(*config);
  if (demo_load->parsed()) return DemoLoad(*config, demo_options);
  if (user_add->parsed()) return UserAdd(*config, username, unit_id, roles, display_name);
  if (user_reset->parsed()) return UserResetPassword(*config, username);
  if (audit_verify->parsed()) return AuditVerify(*config);
  if (routes->parsed()) return Routes(*config);
  return 1;
}
