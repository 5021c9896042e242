// Who is acting: the signed-in staff member a request runs for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin {

using UnitId = int64_t;
using OfficerId = int64_t;
using AccountId = int64_t;

// Staff roles. The three administrators are separate, as MLPS 2.0 (等保 2.0) requires.
enum class Role {
  kSystemAdmin,    // system_admin: units, officers, channel accounts, configuration
  kSecurityAdmin,  // security_admin: staff accounts, roles, sessions
  kAuditAdmin,     // audit_admin: reads the audit log, nothing else
  kPrOfficer,      // pr_officer: runs the inbox, publishing, events in the subtree
  kUnitHead,       // unit_head: supervises the subtree
  kOfficer,        // officer: handles what is routed to them
  kViewer,         // viewer: reads
};

// "system_admin" etc.; the names used in the API, the database and the CLI.
std::string_view RoleName(Role role);
// Returns false when `name` is not a role name.
bool ParseRole(std::string_view name, Role& role);

struct Actor {
  AccountId account_id = 0;
  OfficerId officer_id = 0;
  UnitId unit_id = 0;
  // The unit's materialised path, "/1/4/17/": a target is in the actor's subtree when its
  // path starts with this one.
  std::string unit_path;
  std::string username;
  std::vector<Role> roles;
  int64_t session_id = 0;
  // Where the request came from, for the audit log.
  std::string client_ip;

  bool Has(Role role) const {
    for (Role r : roles) {
      if (r == role) return true;
    }
    return false;
  }
};

}  // namespace lianxin
