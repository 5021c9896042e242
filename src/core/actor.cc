#include "core/actor.h"

#include <array>
#include <utility>

namespace lianxin {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 7> kRoleNames = {{
    {Role::kSystemAdmin, "system_admin"},
    {Role::kSecurityAdmin, "security_admin"},
    {Role::kAuditAdmin, "audit_admin"},
    {Role::kPrOfficer, "pr_officer"},
    {Role::kUnitHead, "unit_head"},
    {Role::kOfficer, "officer"},
    {Role::kViewer, "viewer"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "viewer";
}

bool ParseRole(std::string_view name, Role& role) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) {
      role = r;
      return true;
    }
  }
  return false;
}

}  // namespace lianxin
