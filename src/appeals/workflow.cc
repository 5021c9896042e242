#include "appeals/workflow.h"

#include <string>

namespace lianxin::appeals {

std::string_view WorkflowActionName(WorkflowAction action) {
  switch (action) {
    case WorkflowAction::kAcknowledge:
      return "acknowledge";
    case WorkflowAction::kAssign:
      return "assign";
    case WorkflowAction::kTransfer:
      return "transfer";
    case WorkflowAction::kVerify:
      return "verify";
    case WorkflowAction::kReply:
      return "reply";
    case WorkflowAction::kRatePositive:
      return "rate";
    case WorkflowAction::kRateUnsatisfied:
      return "rate_unsatisfied";
    case WorkflowAction::kAutoClose:
      return "auto_close";
    case WorkflowAction::kSetRectification:
      return "set_rectification";
    case WorkflowAction::kCompleteRectification:
      return "complete_rectification";
    case WorkflowAction::kRecordFollowUp:
      return "record_follow_up";
    case WorkflowAction::kReopen:
      return "reopen";
    case WorkflowAction::kMerge:
      return "merge";
    case WorkflowAction::kAddNote:
      return "add_note";
    case WorkflowAction::kCitizenMessage:
      return "citizen_message";
  }
  return "unknown";
}

std::optional<AppealState> NextState(AppealState state, WorkflowAction action) {
  using enum AppealState;
  using A = WorkflowAction;
  switch (action) {
    case A::kAcknowledge:
      if (state == kSubmitted) return kAcknowledged;
      break;
    case A::kAssign:
      if (state == kAcknowledged) return kAssigned;
      break;
    case A::kTransfer:
      if (state == kAssigned || state == kVerifying) return kAssigned;
      break;
    case A::kVerify:
      if (state == kAssigned || state == kVerifying) return kVerifying;
      break;
    case A::kReply:
      if (state == kAcknowledged || state == kAssigned || state == kVerifying) return kReplied;
      break;
    case A::kRatePositive:
    case A::kAutoClose:
      if (state == kReplied) return kClosed;
      break;
    case A::kRateUnsatisfied:
      if (state == kReplied) return kRectifying;
      break;
    case A::kSetRectification:
      if (state == kRectifying) return kRectifying;
      break;
    case A::kCompleteRectification:
      if (state == kRectifying) return kFollowUp;
      break;
    case A::kRecordFollowUp:
      if (state == kFollowUp) return kClosed;
      break;
    case A::kReopen:
      if (state == kClosed) return kAssigned;
      break;
    case A::kMerge:
      if (state == kSubmitted || state == kAcknowledged || state == kAssigned ||
          state == kVerifying) {
        return kMerged;
      }
      break;
    case A::kAddNote:
    case A::kCitizenMessage:
      if (IsOpen(state)) return state;
      break;
  }
  return std::nullopt;
}

Result<AppealState> Transition(AppealState state, WorkflowAction action) {
  if (auto next = NextState(state, action)) return *next;
  return MakeError(ErrorCode::kConflict, "Cannot " + std::string(WorkflowActionName(action)) +
                                             " an appeal that is " + std::string(StateName(state)) +
                                             ".");
}

}  // namespace lianxin::appeals
