#include "auth/access_policy.h"

#include "auth/audit_log.h"

namespace lianxin::auth {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kOrgRead:
      return "org.read";
    case Action::kOrgWrite:
      return "org.write";
    case Action::kOfficerWrite:
      return "officer.write";
    case Action::kOfficerRevealPhone:
      return "officer.reveal_phone";
    case Action::kChannelWrite:
      return "channel.write";
    case Action::kAccountRead:
      return "account.read";
    case Action::kAccountWrite:
      return "account.write";
    case Action::kAuditRead:
      return "audit.read";
    case Action::kAppealRead:
      return "appeal.read";
    case Action::kAppealHandle:
      return "appeal.handle";
    case Action::kAppealSupervise:
      return "appeal.supervise";
    case Action::kAppealRevealContact:
      return "appeal.reveal_contact";
    case Action::kAppealConfigure:
      return "appeal.configure";
  }
  return "unknown";
}

bool RoleGrants(Role role, Action action) {
  using enum Action;
  switch (role) {
    case Role::kSystemAdmin:
      return action == kOrgRead || action == kOrgWrite || action == kOfficerWrite ||
             action == kOfficerRevealPhone || action == kChannelWrite || action == kAppealConfigure;
    case Role::kSecurityAdmin:
      return action == kOrgRead || action == kAccountRead || action == kAccountWrite ||
             action == kOfficerRevealPhone;
    case Role::kAuditAdmin:
      return action == kAuditRead;
    case Role::kPrOfficer:
      return action == kOrgRead || action == kChannelWrite || action == kAppealRead ||
             action == kAppealHandle || action == kAppealSupervise ||
             action == kAppealRevealContact || action == kAppealConfigure;
    case Role::kUnitHead:
      return action == kOrgRead || action == kOfficerRevealPhone || action == kAppealRead ||
             action == kAppealHandle || action == kAppealSupervise ||
             action == kAppealRevealContact;
    case Role::kOfficer:
      return action == kOrgRead || action == kAppealRead || action == kAppealHandle;
    case Role::kViewer:
      return action == kOrgRead || action == kAppealRead;
  }
  return false;
}

namespace {

// A well-formed materialised path: "/", digits, "/", ... ending in "/", at least one id.
bool WellFormedPath(std::string_view path) {
  if (path.size() < 3 || path.front() != '/' || path.back() != '/') return false;
  bool previous_slash = true;
  for (size_t i = 1; i < path.size(); ++i) {
    char c = path[i];
    if (c == '/') {
      if (previous_slash) return false;
      previous_slash = true;
    } else if (c >= '0' && c <= '9') {
      previous_slash = false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool InSubtree(std::string_view root_path, std::string_view target_path) {
  if (!WellFormedPath(root_path) || !WellFormedPath(target_path)) return false;
  return target_path.starts_with(root_path);
}

bool AccessPolicy::Allows(const Actor& actor, Action action, std::string_view target_unit_path) {
  if (actor.account_id <= 0) return false;
  if (!InSubtree(actor.unit_path, target_unit_path)) return false;
  for (Role role : actor.roles) {
    if (RoleGrants(role, action)) return true;
  }
  return false;
}

Status AccessPolicy::Check(const Actor& actor, Action action, std::string_view target_unit_path,
                           std::string_view target) const {
  if (Allows(actor, action, target_unit_path)) return {};
  if (audit_ != nullptr) {
    AuditEvent event{.action = std::string(ActionName(action)),
                     .target = std::string(target),
                     .result = AuditResult::kDenied,
                     .detail = "denied by access policy"};
    // A failure to audit must not turn a denial into an allow; it is reported in the log
    // table's absence only, so it is deliberately ignored here.
    (void)audit_->Record(&actor, event, actor.client_ip);
  }
  return MakeError(ErrorCode::kPermissionDenied, "You are not allowed to do this here.");
}

}  // namespace lianxin::auth
