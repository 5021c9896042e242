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
};

std::string_view ActionName(Action action);

class AccessPolicy {
 public:
  // `audit` receives every denial; may be null in unit tests.
  explicit AccessPolicy(AuditLog* audit) : audit_(audit) {}

  // True when a role of `actor` grants `action` and `target_unit_path` lies in the actor's
  // subtree (it starts with actor.unit_path). Pure: no side effects.
  static bool Allows(const Actor& actor, Action action, std::string_view target_unit_path);

  // Allows(), and on a denial records it in the audit log (`target` names the object, e.g.
  // "unit:17") and returns kPermissionDenied.
  [[nodiscard]] Status Check(const Actor& actor, Action action,
                             std::string_view target_unit_path, std::string_view target) const;

 private:
  AuditLog* audit_;
};

}  // namespace lianxin::auth
