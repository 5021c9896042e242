// The one access policy: role x action x target unit within the actor's subtree, deny by
// default. Services call it before they act; the router only checks sign-in.
#pragma once

#include <string>
#include <string_view>

#include "core/actor.h"
#include "core/error.h"

namespace lianxin::auth {

class AuditLog;

enum class Action {
  kOrgRead,             // units, officers, channel accounts: read
  kOrgWrite,            // units: create, rename, move, deactivate; CSV import
  kOfficerWrite,        // officers: create, edit, import
  kOfficerRevealPhone,  // see an officer's full phone number (audited)
  kChannelWrite,        // channel accounts: create, edit, deactivate
  kAccountRead,         // staff accounts: list, view
  kAccountWrite,        // staff accounts: create, change roles, reset password, unlock, revoke
  kAuditRead,           // the audit log
  kAppealRead,          // appeals: inbox, appeal page, timeline, metrics
  kAppealHandle,     // appeals: acknowledge, assign, transfer, verify, reply, notes, rectification,
                     // follow-up, record a hotline call
  kAppealSupervise,  // appeals: merge, bulk assign, escalation view
  kAppealRevealContact,  // see a citizen's full name and phone (audited)
  kAppealConfigure,      // appeal categories, reply templates, deadline settings, calendar
};

// "org.read", "org.write", ...: the name used in the audit log and in docs.
std::string_view ActionName(Action action);

// Every action, in declaration order (for tables and tests).
inline constexpr Action kAllActions[] = {
    Action::kOrgRead,         Action::kOrgWrite,
    Action::kOfficerWrite,    Action::kOfficerRevealPhone,
    Action::kChannelWrite,    Action::kAccountRead,
    Action::kAccountWrite,    Action::kAuditRead,
    Action::kAppealRead,      Action::kAppealHandle,
    Action::kAppealSupervise, Action::kAppealRevealContact,
    Action::kAppealConfigure,
};
// Every role, in declaration order.
inline constexpr Role kAllRoles[] = {Role::kSystemAdmin, Role::kSecurityAdmin, Role::kAuditAdmin,
                                     Role::kPrOfficer,   Role::kUnitHead,      Role::kOfficer,
                                     Role::kViewer};

// The role x action table: true when `role` grants `action` (within the actor's subtree).
bool RoleGrants(Role role, Action action);

// True when `target_path` lies in the subtree rooted at `root_path` (both materialised paths
// such as "/1/4/"; the root itself included). False when either is empty or malformed.
bool InSubtree(std::string_view root_path, std::string_view target_path);

class AccessPolicy {
 public:
  // `audit` receives every denial; may be null in unit tests.
  explicit AccessPolicy(AuditLog* audit) : audit_(audit) {}

  // True when a role of `actor` grants `action` and `target_unit_path` lies in the actor's
  // subtree (it starts with actor.unit_path). Pure: no side effects.
  static bool Allows(const Actor& actor, Action action, std::string_view target_unit_path);

  // Allows(), and on a denial records it in the audit log (`target` names the object, e.g.
  // "unit:17") and returns kPermissionDenied.
  [[nodiscard]] Status Check(const Actor& actor, Action action, std::string_view target_unit_path,
                             std::string_view target) const;

 private:
  AuditLog* audit_;
};

}  // namespace lianxin::auth
