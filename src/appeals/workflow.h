// The appeal state machine as one table: every state × action gives the next state or
// "illegal" (the service answers kConflict, 409, and changes nothing). Conditions that depend
// on data (the 15-day reopen window, a rating's value, a reason being present) are the
// service's; the table only knows states.
#pragma once

#include <optional>
#include <string_view>

#include "appeals/model.h"
#include "core/error.h"

namespace lianxin::appeals {

enum class WorkflowAction {
  kAcknowledge,            // 受理 with a public acknowledgement: submitted → acknowledged
  kAssign,                 // 分派 to a unit: acknowledged → assigned
  kTransfer,               // 转派 with a reason: assigned/verifying → assigned
  kVerify,                 // 核查 notes (and photos): assigned/verifying → verifying
  kReply,                  // 答复, public: acknowledged/assigned/verifying → replied
  kRatePositive,           // satisfied or basically satisfied: replied → closed (resolved)
  kRateUnsatisfied,        // unsatisfied: replied → rectifying
  kAutoClose,              // no rating 7 days after the reply: replied → closed (resolved)
  kSetRectification,       // the rectification task (deadline, text): rectifying → rectifying
  kCompleteRectification,  // the result: rectifying → follow_up
  kRecordFollowUp,         // 回访: follow_up → closed (resolved)
  kReopen,                 // by the citizen within 15 days: closed → assigned
  kMerge,                  // a duplicate folded into an original: before the reply → merged
  kAddNote,                // internal note, never public: any open state, unchanged
  kCitizenMessage,         // a further message from the citizen: any open state, unchanged
};

inline constexpr WorkflowAction kAllWorkflowActions[] = {
    WorkflowAction::kAcknowledge,
    WorkflowAction::kAssign,
    WorkflowAction::kTransfer,
    WorkflowAction::kVerify,
    WorkflowAction::kReply,
    WorkflowAction::kRatePositive,
    WorkflowAction::kRateUnsatisfied,
    WorkflowAction::kAutoClose,
    WorkflowAction::kSetRectification,
    WorkflowAction::kCompleteRectification,
    WorkflowAction::kRecordFollowUp,
    WorkflowAction::kReopen,
    WorkflowAction::kMerge,
    WorkflowAction::kAddNote,
    WorkflowAction::kCitizenMessage,
};

// "acknowledge", "assign", "transfer", "verify", "reply", "rate", "rate_unsatisfied",
// "auto_close", "set_rectification", "complete_rectification", "record_follow_up", "reopen",
// "merge", "add_note", "citizen_message": the action names on the timeline.
std::string_view WorkflowActionName(WorkflowAction action);

// The next state, or nullopt when `action` is illegal in `state`.
std::optional<AppealState> NextState(AppealState state, WorkflowAction action);

// NextState, or kConflict naming the state and the action.
Result<AppealState> Transition(AppealState state, WorkflowAction action);

// The rating action for a rating value.
inline WorkflowAction RateAction(Rating rating) {
  return rating == Rating::kUnsatisfied ? WorkflowAction::kRateUnsatisfied
                                        : WorkflowAction::kRatePositive;
}

}  // namespace lianxin::appeals
