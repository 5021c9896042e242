#include "app/demo.h"

#include <sys/stat.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "appeals/extras/demo_appeals.h"
#include "core/time.h"
#include "org/demo_data.h"

namespace lianxin::app {
namespace {

constexpr std::string_view kCountUnits = "SELECT COUNT(*) FROM units";
constexpr std::string_view kRootUnit =
    "SELECT id, name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1";
constexpr std::string_view kDistrictByCode =
    "SELECT id, name FROM units WHERE kind = 'district_bureau' AND code = $1 ORDER BY id LIMIT 1";
constexpr std::string_view kStationByName =
    "SELECT id, name FROM units WHERE kind = 'station' AND parent_id = $1 "
    "ORDER BY CASE WHEN name = $2 THEN 0 ELSE 1 END, id LIMIT 1";

struct Level {
  std::string_view prefix;  // username prefix
  std::string_view label;   // for the display name
  int64_t unit_id = 0;
  std::string unit_name;
};

constexpr std::array<std::pair<Role, std::string_view>, 7> kDemoRoles = {{
    {Role::kSystemAdmin, "系统管理员"},
    {Role::kSecurityAdmin, "安全管理员"},
    {Role::kAuditAdmin, "审计管理员"},
    {Role::kPrOfficer, "宣传民警"},
    {Role::kUnitHead, "单位负责人"},
    {Role::kOfficer, "民警"},
    {Role::kViewer, "只读用户"},
}};

Result<std::pair<int64_t, std::string>> FindUnit(storage::Database& db, std::string_view sql,
                                                 storage::Params params, std::string_view what) {
  auto row = db.Read<std::optional<storage::Row>>(
      [&](storage::Session& s) { return s.QueryOne(sql, params); });
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "demo data has no " + std::string(what));
  return std::make_pair((*row)->Int(0), (*row)->Text(1));
}

}  // namespace

std::string GeneratePassword() {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 16; ++i) {
    password.push_back(kAlphabet[RandomUniform(static_cast<uint32_t>(kAlphabet.size()))]);
  }
  return password;
}

Status LoadDemo(App& app, const DemoOptions& options) {
  auto& db = *app.database;
  auto units = db.Read<int64_t>([](storage::Session& s) -> Result<int64_t> {
    auto row = s.QueryOne(kCountUnits);
    if (!row) return std::unexpected(row.error());
    return (*row)->Int(0);
  });
  if (!units) return std::unexpected(units.error());
  if (*units > 0) {
    return MakeError(ErrorCode::kConflict,
                     "the database already has units; demo data goes only into an empty one");
  }
  org::DemoOrgSummary summary;
  auto loaded = org::LoadOrgDemo(db, *app.protector, app.clock, options.scale, &summary);
  if (!loaded) return loaded;

  auto city = FindUnit(db, kRootUnit, {}, "city bureau");
  if (!city) return std::unexpected(city.error());
  auto yuzhong = FindUnit(db, kDistrictByCode, {std::string("500103")}, "渝中区分局");
  if (!yuzhong) return std::unexpected(yuzhong.error());
  auto station = FindUnit(db, kStationByName, {yuzhong->first, std::string("解放碑派出所")},
                          "station under 渝中区分局");
  if (!station) return std::unexpected(station.error());
  const Level levels[] = {
      {"city", "市局", city->first, city->second},
      {"yuzhong", "渝中", yuzhong->first, yuzhong->second},
      {"jiefangbei", "解放碑", station->first, station->second},
  };

  std::filesystem::path path(options.credentials_path);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const mode_t old_mask = ::umask(077);
  std::ofstream out(path, std::ios::trunc);
  ::umask(old_mask);
  if (!out) return MakeError(ErrorCode::kInternal, "cannot write " + path.string());
  ::chmod(path.c_str(), 0600);
  out << "# Lianxin demo staff accounts (generated " << FormatIso8601(app.clock.NowMillis())
      << "). username\tpassword\troles\tunit\tunit_id\n";
  for (const auto& level : levels) {
    for (const auto& [role, role_label] : kDemoRoles) {
      auth::NewAccount account;
      account.username = std::string(level.prefix) + "." + std::string(RoleName(role));
      account.display_name = std::string(level.label) + std::string(role_label);
      account.unit_id = level.unit_id;
      account.roles = {role};
      account.password = GeneratePassword();
      auto created = app.accounts->CreateAccountUnchecked(account);
      if (!created) {
        return MakeError(created.error().code,
                         "demo account " + account.username + ": " + created.error().message);
      }
      out << account.username << '\t' << account.password << '\t' << RoleName(role) << '\t'
          << level.unit_name << '\t' << level.unit_id << '\n';
    }
  }
  out.close();
  if (!out) return MakeError(ErrorCode::kInternal, "cannot write " + path.string());
  if (options.appeal_scale > 0) {
    appeals::DemoAppealsSummary appeals;
    auto status =
        appeals::LoadAppealsDemo(db, *app.protector, app.clock, options.appeal_scale, &appeals);
    if (!status) return status;
  }
  return {};
}

}  // namespace lianxin::app
