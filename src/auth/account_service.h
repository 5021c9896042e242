// Staff account administration for security administrators (kAccountRead / kAccountWrite
// within their subtree), and the bootstrap path the command line uses (`lianxin user add`,
// `lianxin user reset-password`). Every change is audited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "auth/passwords.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::auth {

struct Account {
  AccountId id = 0;
  std::string username;
  std::string display_name;
  std::optional<OfficerId> officer_id;
  std::string officer_name;      // "" without an officer
  std::string officer_badge_no;  // "" without an officer
  UnitId unit_id = 0;
  std::string unit_name;
  std::string unit_path;
  std::vector<Role> roles;  // in the order of the Role enum
  bool active = true;
  std::optional<int64_t> locked_until;  // set only while the lock is in force
  std::optional<int64_t> last_login_at;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct AccountFilter {
  std::optional<std::string> q;   // part of the username or display name
  std::optional<UnitId> unit_id;  // this unit and its subtree
  std::optional<Role> role;
  int64_t offset = 0;
  int64_t limit = 20;
};

struct NewAccount {
  std::string username;  // 3..32 of [a-z0-9._-]; upper-case ASCII is lower-cased
  std::string display_name;
  UnitId unit_id = 0;
  std::optional<OfficerId> officer_id;  // must belong to the unit's subtree
  std::vector<Role> roles;              // at least one
  std::string password;                 // the password policy applies
};

struct AccountPatch {
  int64_t version = 0;  // must equal the stored version (else kStaleVersion)
  std::optional<std::string> display_name;
  std::optional<UnitId> unit_id;
  std::optional<std::vector<Role>> roles;
  std::optional<bool> active;  // false revokes the account's sessions
};

// Why `username` (already lower-cased) is not a valid username, or nullopt when it is:
// 3..32 characters of [a-z0-9._-].
std::optional<std::string> UsernameViolation(std::string_view username);

class AccountService {
 public:
  AccountService(storage::Database& database, const Clock& clock, AccessPolicy& policy,
                 AuditLog& audit, const PasswordHasher& hasher);

  // Accounts in the actor's subtree (kAccountRead on the actor's unit; with filter.unit_id,
  // on that unit), ordered by username; `total` receives the count of all matches.
  [[nodiscard]] Result<std::vector<Account>> List(const Actor& actor, const AccountFilter& filter,
                                                  int64_t& total);
  // kNotFound when no account has `id`; kPermissionDenied outside the actor's subtree.
  [[nodiscard]] Result<Account> Get(const Actor& actor, AccountId id);
  // kInvalidArgument (username, display_name, unit_id, officer_id, roles, password),
  // kPermissionDenied without kAccountWrite on the unit, kConflict for a taken username.
  [[nodiscard]] Result<Account> Create(const Actor& actor, const NewAccount& account);
  // kStaleVersion when patch.version is not current; kPermissionDenied outside the subtree
  // (old or new unit) and when the actor changes their own roles or deactivates themselves.
  [[nodiscard]] Result<Account> Update(const Actor& actor, AccountId id, const AccountPatch& patch);
  // Sets a new password (policy applies, field "password"), clears a lock and revokes every
  // session of the account.
  [[nodiscard]] Status SetPassword(const Actor& actor, AccountId id, std::string_view password);
  // Clears the failure count and lock.
  [[nodiscard]] Status Unlock(const Actor& actor, AccountId id);

  // The command line's bootstrap path: no actor and no policy check, same validation,
  // audited as "cli".
  [[nodiscard]] Result<Account> CreateAccountUnchecked(const NewAccount& account);
  // kNotFound for an unknown username. Revokes the account's sessions and clears a lock.
  [[nodiscard]] Status SetPasswordUnchecked(std::string_view username, std::string_view password);

 private:
  Result<Account> CreateChecked(const Actor* actor, const NewAccount& account);
  Status SetPasswordOf(const Actor& auditor, const Account& account, std::string_view password);
  Result<Account> Load(storage::Session& session, AccountId id);
  Status Deny(const Actor& actor, std::string_view action, AccountId id, std::string message);

  storage::Database& database_;
  const Clock& clock_;
  AccessPolicy& policy_;
  AuditLog& audit_;
  const PasswordHasher& hasher_;
};

}  // namespace lianxin::auth
