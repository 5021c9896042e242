#include "auth/account_service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "auth/auth_service.h"
#include "core/text.h"

namespace lianxin::auth {
namespace {

using storage::Params;
using storage::Row;
using storage::Value;

constexpr std::string_view kAccountColumns =
    "SELECT a.id, a.username, a.display_name, a.officer_id, o.name, o.badge_no, a.unit_id, "
    "u.name, u.path, a.active, a.locked_until, a.last_login_at, a.version, a.created_at, "
    "a.updated_at FROM accounts a JOIN units u ON u.id = a.unit_id "
    "LEFT JOIN officers o ON o.id = a.officer_id";
constexpr std::string_view kAccountCount =
    "SELECT COUNT(*) FROM accounts a JOIN units u ON u.id = a.unit_id";
constexpr std::string_view kUnitPath = "SELECT path FROM units WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kOfficerUnitPath =
    "SELECT u.path FROM officers o JOIN units u ON u.id = o.unit_id "
    "WHERE o.id = CAST($1 AS BIGINT)";
constexpr std::string_view kAccountIdByName = "SELECT id FROM accounts WHERE username = $1";
constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (username, display_name, officer_id, unit_id, password_hash, active, "
    "failed_logins, password_changed_at, version, created_at, updated_at) VALUES ($1, $2, "
    "CAST($3 AS BIGINT), CAST($4 AS BIGINT), $5, 1, 0, CAST($6 AS BIGINT), 1, "
    "CAST($6 AS BIGINT), CAST($6 AS BIGINT)) RETURNING id";
constexpr std::string_view kInsertRole =
    "INSERT INTO account_roles (account_id, role) VALUES (CAST($1 AS BIGINT), $2)";
constexpr std::string_view kDeleteRoles =
    "DELETE FROM account_roles WHERE account_id = CAST($1 AS BIGINT)";
constexpr std::string_view kUpdateAccount =
    "UPDATE accounts SET display_name = $3, unit_id = CAST($4 AS BIGINT), "
    "active = CAST($5 AS INTEGER), version = version + 1, updated_at = CAST($6 AS BIGINT) "
    "WHERE id = CAST($1 AS BIGINT) AND version = CAST($2 AS BIGINT)";
constexpr std::string_view kSetPassword =
    "UPDATE accounts SET password_hash = $2, password_changed_at = CAST($3 AS BIGINT), "
    "failed_logins = 0, locked_until = NULL, version = version + 1, "
    "updated_at = CAST($3 AS BIGINT) WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kUnlock =
    "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = CAST($1 AS BIGINT)";

constexpr size_t kMaxDisplayName = 64;

std::string Target(AccountId id) { return "account:" + std::to_string(id); }

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string RoleList(const std::vector<Role>& roles) {
  std::string out;
  for (Role role : roles) {
    if (!out.empty()) out += ',';
    out += RoleName(role);
  }
  return out;
}

// MLPS 2.0 asks for three separate administrators: one account holds at most one of the
// system, security and audit administrator roles.
std::optional<std::string> AdministratorRolesViolation(const std::vector<Role>& roles) {
  int administrators = 0;
  for (Role role : roles) {
    if (role == Role::kSystemAdmin || role == Role::kSecurityAdmin || role == Role::kAuditAdmin) {
      ++administrators;
    }
  }
  if (administrators <= 1) return std::nullopt;
  return "The system, security and audit administrator roles must be held by different accounts.";
}

std::vector<Role> Normalised(std::vector<Role> roles) {
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

Account AccountFromRow(const Row& r, int64_t now) {
  Account a;
  a.id = r.Int(0);
  a.username = r.Text(1);
  a.display_name = r.Text(2);
  a.officer_id = r.OptInt(3);
  a.officer_name = r.Text(4);
  a.officer_badge_no = r.Text(5);
  a.unit_id = r.Int(6);
  a.unit_name = r.Text(7);
  a.unit_path = r.Text(8);
  a.active = r.Bool(9);
  a.locked_until = r.OptInt(10);
  if (a.locked_until && *a.locked_until <= now) a.locked_until.reset();
  a.last_login_at = r.OptInt(11);
  a.version = r.Int(12);
  a.created_at = r.Int(13);
  a.updated_at = r.Int(14);
  return a;
}

Status LoadRolesInto(storage::Session& session, std::vector<Account>& accounts) {
  if (accounts.empty()) return {};
  std::string sql = "SELECT account_id, role FROM account_roles WHERE account_id IN (";
  Params params;
  for (const Account& a : accounts) {
    params.push_back(a.id);
    if (params.size() > 1) sql += ", ";
    sql += "CAST($" + std::to_string(params.size()) + " AS BIGINT)";
  }
  sql += ")";
  auto rows = session.Query(sql, params);
  if (!rows) return std::unexpected(rows.error());
  std::map<int64_t, std::vector<Role>> by_account;
  for (const Row& row : *rows) {
    Role role;
    if (ParseRole(row.Text(1), role)) by_account[row.Int(0)].push_back(role);
  }
  for (Account& a : accounts) a.roles = Normalised(by_account[a.id]);
  return {};
}

// The unit's path, or nullopt when there is no such unit.
Result<std::optional<std::string>> UnitPath(storage::Session& session, UnitId id) {
  auto row = session.QueryOne(kUnitPath, Params{id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*row)->Text(0));
}

// The validation that needs no database.
std::vector<FieldError> ValidateNew(const NewAccount& account, const std::string& username) {
  std::vector<FieldError> errors;
  if (auto violation = UsernameViolation(username)) errors.push_back({"username", *violation});
  std::string_view display = Trim(account.display_name);
  if (display.empty() || !IsValidUtf8(display) || Utf8Length(display) > kMaxDisplayName) {
    errors.push_back({"display_name", "Display name must have 1 to 64 characters."});
  }
  if (account.unit_id <= 0) errors.push_back({"unit_id", "Choose a unit."});
  if (account.roles.empty()) errors.push_back({"roles", "Give the account at least one role."});
  if (auto violation = AdministratorRolesViolation(account.roles)) {
    errors.push_back({"roles", *violation});
  }
  if (auto violation = PasswordPolicyViolation(account.password, username)) {
    errors.push_back({"password", *violation});
  }
  return errors;
}

const Actor& CliActor() {
  static const Actor* const actor = [] {
    auto* a = new Actor();
    a->username = "cli";
    return a;
  }();
  return *actor;
}

}  // namespace

std::optional<std::string> UsernameViolation(std::string_view username) {
  if (username.size() < 3 || username.size() > 32) {
    return "Username must have 3 to 32 characters.";
  }
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return "Username may contain only a-z, 0-9, '.', '_' and '-'.";
  }
  return std::nullopt;
}

AccountService::AccountService(storage::Database& database, const Clock& clock,
                               AccessPolicy& policy, AuditLog& audit, const PasswordHasher& hasher)
    : database_(database), clock_(clock), policy_(policy), audit_(audit), hasher_(hasher) {}

Status AccountService::Deny(const Actor& actor, std::string_view action, AccountId id,
                            std::string message) {
  (void)audit_.Record(&actor, {.action = std::string(action),
                               .target = Target(id),
                               .result = AuditResult::kDenied,
                               .detail = message});
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}

Result<Account> AccountService::Load(storage::Session& session, AccountId id) {
  auto row = session.QueryOne(std::string(kAccountColumns) + " WHERE a.id = CAST($1 AS BIGINT)",
                              Params{id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "No such account.");
  std::vector<Account> accounts{AccountFromRow(**row, clock_.NowMillis())};
  if (auto s = LoadRolesInto(session, accounts); !s) return std::unexpected(s.error());
  return std::move(accounts.front());
}

Result<std::vector<Account>> AccountService::List(const Actor& actor, const AccountFilter& filter,
                                                  int64_t& total) {
  return database_.Read<std::vector<Account>>([&](storage::Session& session)
                                                  -> Result<std::vector<Account>> {
    std::string root = actor.unit_path;
    std::string target = "unit:" + std::to_string(actor.unit_id);
    if (filter.unit_id) {
      auto path = UnitPath(session, *filter.unit_id);
      if (!path) return std::unexpected(path.error());
      if (!*path) return MakeError(ErrorCode::kNotFound, "No such unit.");
      root = **path;
      target = "unit:" + std::to_string(*filter.unit_id);
    }
    if (auto s = policy_.Check(actor, Action::kAccountRead, root, target); !s) {
      return std::unexpected(s.error());
    }
    std::string where = " WHERE u.path LIKE $1";
    Params params{EscapeLike(root) + "%"};
    if (filter.q && !Trim(*filter.q).empty()) {
      params.push_back("%" + EscapeLike(ToLowerAscii(Trim(*filter.q))) + "%");
      std::string p = "$" + std::to_string(params.size());
      where += " AND (a.username LIKE " + p + " ESCAPE '\\' OR LOWER(a.display_name) LIKE " + p +
               " ESCAPE '\\')";
    }
    if (filter.role) {
      params.push_back(std::string(RoleName(*filter.role)));
      where +=
          " AND EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id AND r.role = $" +
          std::to_string(params.size()) + ")";
    }
    auto count = session.QueryOne(std::string(kAccountCount) + where, params);
    if (!count) return std::unexpected(count.error());
    total = *count ? (*count)->Int(0) : 0;

    Params page = params;
    page.push_back(std::clamp<int64_t>(filter.limit, 1, 1000));
    page.push_back(std::max<int64_t>(filter.offset, 0));
    std::string sql = std::string(kAccountColumns) + where + " ORDER BY a.username LIMIT CAST($" +
                      std::to_string(page.size() - 1) + " AS BIGINT) OFFSET CAST($" +
                      std::to_string(page.size()) + " AS BIGINT)";
    auto rows = session.Query(sql, page);
    if (!rows) return std::unexpected(rows.error());
    std::vector<Account> accounts;
    const int64_t now = clock_.NowMillis();
    for (const Row& row : *rows) accounts.push_back(AccountFromRow(row, now));
    if (auto s = LoadRolesInto(session, accounts); !s) return std::unexpected(s.error());
    return accounts;
  });
}

Result<Account> AccountService::Get(const Actor& actor, AccountId id) {
  auto account = database_.Read<Account>(
      [&](storage::Session& session) -> Result<Account> { return Load(session, id); });
  if (!account) return account;
  if (auto s = policy_.Check(actor, Action::kAccountRead, account->unit_path, Target(id)); !s) {
    return std::unexpected(s.error());
  }
  return account;
}

Result<Account> AccountService::Create(const Actor& actor, const NewAccount& account) {
  return CreateChecked(&actor, account);
}

Result<Account> AccountService::CreateAccountUnchecked(const NewAccount& account) {
  return CreateChecked(nullptr, account);
}

Result<Account> AccountService::CreateChecked(const Actor* actor, const NewAccount& account) {
  const std::string username = ToLowerAscii(Trim(account.username));
  std::vector<FieldError> errors = ValidateNew(account, username);
  if (!errors.empty()) return InvalidFields(std::move(errors));

  // Unit and officer checks read the database; the policy check comes before the officer
  // check so that a denied actor learns nothing about officers elsewhere.
  auto placement = database_.Read<std::string>([&](storage::Session& session)
                                                   -> Result<std::string> {
    auto unit_path = UnitPath(session, account.unit_id);
    if (!unit_path) return std::unexpected(unit_path.error());
    if (!*unit_path) return InvalidFields({{"unit_id", "No such unit."}});
    if (actor != nullptr) {
      auto allowed = policy_.Check(*actor, Action::kAccountWrite, **unit_path,
                                   "unit:" + std::to_string(account.unit_id));
      if (!allowed) return std::unexpected(allowed.error());
    }
    if (account.officer_id) {
      auto officer = session.QueryOne(kOfficerUnitPath, Params{*account.officer_id});
      if (!officer) return std::unexpected(officer.error());
      if (!*officer || !InSubtree(**unit_path, (*officer)->Text(0))) {
        return InvalidFields({{"officer_id", "The officer must belong to the account's unit."}});
      }
    }
    return std::move(**unit_path);
  });
  if (!placement) return std::unexpected(placement.error());

  auto hashed = hasher_.Hash(account.password);
  if (!hashed) return std::unexpected(hashed.error());
  const std::vector<Role> roles = Normalised(account.roles);
  const int64_t now = clock_.NowMillis();
  const Actor& auditor = actor != nullptr ? *actor : CliActor();

  return database_.Write<Account>([&](storage::Session& session) -> Result<Account> {
    auto inserted =
        session.QueryOne(kInsertAccount, Params{username, std::string(Trim(account.display_name)),
                                                storage::Optional(account.officer_id),
                                                account.unit_id, *hashed, now});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return MakeError(ErrorCode::kConflict, "That username is taken.");
      }
      return std::unexpected(inserted.error());
    }
    if (!*inserted) return MakeError(ErrorCode::kInternal, "account insert returned no id");
    const AccountId id = (*inserted)->Int(0);
    for (Role role : roles) {
      auto added = session.Execute(kInsertRole, Params{id, std::string(RoleName(role))});
      if (!added) return std::unexpected(added.error());
    }
    auto audited = audit_.Append(
        session, &auditor,
        {.action = "account.create",
         .target = Target(id),
         .result = AuditResult::kOk,
         .detail = "roles=" + RoleList(roles) + " unit=" + std::to_string(account.unit_id)});
    if (!audited) return std::unexpected(audited.error());
    return Load(session, id);
  });
}

Result<Account> AccountService::Update(const Actor& actor, AccountId id,
                                       const AccountPatch& patch) {
  auto current = Get(actor, id);
  if (!current) return current;
  if (auto s = policy_.Check(actor, Action::kAccountWrite, current->unit_path, Target(id)); !s) {
    return std::unexpected(s.error());
  }
  std::optional<std::vector<Role>> roles;
  if (patch.roles) {
    roles = Normalised(*patch.roles);
    if (roles->empty()) return InvalidFields({{"roles", "Give the account at least one role."}});
    if (auto violation = AdministratorRolesViolation(*roles)) {
      return InvalidFields({{"roles", *violation}});
    }
  }
  const bool self = id == actor.account_id;
  if (self && roles && *roles != current->roles) {
    return std::unexpected(
        Deny(actor, "account.update", id, "You cannot change your own roles.").error());
  }
  if (self && patch.active && !*patch.active) {
    return std::unexpected(
        Deny(actor, "account.update", id, "You cannot deactivate your own account.").error());
  }
  std::string display_name = current->display_name;
  if (patch.display_name) {
    std::string_view display = Trim(*patch.display_name);
    if (display.empty() || !IsValidUtf8(display) || Utf8Length(display) > kMaxDisplayName) {
      return InvalidFields({{"display_name", "Display name must have 1 to 64 characters."}});
    }
    display_name = std::string(display);
  }
  if (patch.version != current->version) {
    return MakeError(ErrorCode::kStaleVersion, "The account was changed by someone else.");
  }

  const int64_t now = clock_.NowMillis();
  return database_.Write<Account>([&](storage::Session& session) -> Result<Account> {
    UnitId unit_id = current->unit_id;
    if (patch.unit_id && *patch.unit_id != current->unit_id) {
      auto unit_path = UnitPath(session, *patch.unit_id);
      if (!unit_path) return std::unexpected(unit_path.error());
      if (!*unit_path) return InvalidFields({{"unit_id", "No such unit."}});
      auto allowed = policy_.Check(actor, Action::kAccountWrite, **unit_path,
                                   "unit:" + std::to_string(*patch.unit_id));
      if (!allowed) return std::unexpected(allowed.error());
      if (current->officer_id) {
        auto officer = session.QueryOne(kOfficerUnitPath, Params{*current->officer_id});
        if (!officer) return std::unexpected(officer.error());
        if (*officer && !InSubtree(**unit_path, (*officer)->Text(0))) {
          return InvalidFields(
              {{"unit_id", "The account's officer does not belong to that unit."}});
        }
      }
      unit_id = *patch.unit_id;
    }
    const bool active = patch.active.value_or(current->active);
    auto updated = session.Execute(kUpdateAccount, Params{id, patch.version, display_name, unit_id,
                                                          int64_t{active ? 1 : 0}, now});
    if (!updated) return std::unexpected(updated.error());
    if (*updated == 0) {
      return MakeError(ErrorCode::kStaleVersion, "The account was changed by someone else.");
    }
    std::string detail;
    if (display_name != current->display_name) detail += "display_name ";
    if (unit_id != current->unit_id) detail += "unit=" + std::to_string(unit_id) + " ";
    if (roles && *roles != current->roles) {
      if (auto s = session.Execute(kDeleteRoles, Params{id}); !s) return std::unexpected(s.error());
      for (Role role : *roles) {
        auto added = session.Execute(kInsertRole, Params{id, std::string(RoleName(role))});
        if (!added) return std::unexpected(added.error());
      }
      detail += "roles=" + RoleList(*roles) + " ";
    }
    if (active != current->active) {
      detail += active ? "activated " : "deactivated ";
      if (!active) {
        auto revoked = RevokeAccountSessions(session, id, 0, now);
        if (!revoked) return std::unexpected(revoked.error());
      }
    }
    auto audited = audit_.Append(session, &actor,
                                 {.action = "account.update",
                                  .target = Target(id),
                                  .result = AuditResult::kOk,
                                  .detail = std::string(Trim(detail))});
    if (!audited) return std::unexpected(audited.error());
    return Load(session, id);
  });
}

Status AccountService::SetPassword(const Actor& actor, AccountId id, std::string_view password) {
  auto account = database_.Read<Account>(
      [&](storage::Session& session) -> Result<Account> { return Load(session, id); });
  if (!account) return std::unexpected(account.error());
  if (auto s = policy_.Check(actor, Action::kAccountWrite, account->unit_path, Target(id)); !s) {
    return s;
  }
  return SetPasswordOf(actor, *account, password);
}

Status AccountService::SetPasswordUnchecked(std::string_view username, std::string_view password) {
  const std::string name = ToLowerAscii(Trim(username));
  auto account = database_.Read<Account>([&](storage::Session& session) -> Result<Account> {
    auto row = session.QueryOne(kAccountIdByName, Params{name});
    if (!row) return std::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "No such account.");
    return Load(session, (*row)->Int(0));
  });
  if (!account) return std::unexpected(account.error());
  return SetPasswordOf(CliActor(), *account, password);
}

Status AccountService::SetPasswordOf(const Actor& auditor, const Account& account,
                                     std::string_view password) {
  if (auto violation = PasswordPolicyViolation(password, account.username)) {
    return InvalidFields({{"password", *violation}});
  }
  auto hashed = hasher_.Hash(password);
  if (!hashed) return std::unexpected(hashed.error());
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](storage::Session& session) -> Status {
    auto updated = session.Execute(kSetPassword, Params{account.id, *hashed, now});
    if (!updated) return std::unexpected(updated.error());
    auto revoked = RevokeAccountSessions(session, account.id, 0, now);
    if (!revoked) return std::unexpected(revoked.error());
    return audit_.Append(session, &auditor,
                         {.action = "account.password_reset",
                          .target = Target(account.id),
                          .result = AuditResult::kOk,
                          .detail = "sessions revoked: " + std::to_string(*revoked)});
  });
}

Status AccountService::Unlock(const Actor& actor, AccountId id) {
  auto account = database_.Read<Account>(
      [&](storage::Session& session) -> Result<Account> { return Load(session, id); });
  if (!account) return std::unexpected(account.error());
  if (auto s = policy_.Check(actor, Action::kAccountWrite, account->unit_path, Target(id)); !s) {
    return s;
  }
  return database_.Write<void>([&](storage::Session& session) -> Status {
    auto updated = session.Execute(kUnlock, Params{id});
    if (!updated) return std::unexpected(updated.error());
    return audit_.Append(session, &actor,
                         {.action = "account.unlock",
                          .target = Target(id),
                          .result = AuditResult::kOk,
                          .detail = ""});
  });
}

}  // namespace lianxin::auth
