#include "appeals/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace lianxin::appeals {
namespace {

using enum AppealState;
using A = WorkflowAction;

// The table as the issue states it, written independently of the implementation: every
// legal (state, action) → next state. Everything not listed is illegal (409).
const std::map<std::pair<AppealState, WorkflowAction>, AppealState>& Legal() {
  static const std::map<std::pair<AppealState, WorkflowAction>, AppealState> table = [] {
    std::map<std::pair<AppealState, WorkflowAction>, AppealState> t = {
        {{kSubmitted, A::kAcknowledge}, kAcknowledged},
        {{kAcknowledged, A::kAssign}, kAssigned},
        {{kAssigned, A::kTransfer}, kAssigned},
        {{kVerifying, A::kTransfer}, kAssigned},
        {{kAssigned, A::kVerify}, kVerifying},
        {{kVerifying, A::kVerify}, kVerifying},
        {{kAcknowledged, A::kReply}, kReplied},
        {{kAssigned, A::kReply}, kReplied},
        {{kVerifying, A::kReply}, kReplied},
        {{kReplied, A::kRatePositive}, kClosed},
        {{kReplied, A::kRateUnsatisfied}, kRectifying},
        {{kReplied, A::kAutoClose}, kClosed},
        {{kRectifying, A::kSetRectification}, kRectifying},
        {{kRectifying, A::kCompleteRectification}, kFollowUp},
        {{kFollowUp, A::kRecordFollowUp}, kClosed},
        {{kClosed, A::kReopen}, kAssigned},
        {{kSubmitted, A::kMerge}, kMerged},
        {{kAcknowledged, A::kMerge}, kMerged},
        {{kAssigned, A::kMerge}, kMerged},
        {{kVerifying, A::kMerge}, kMerged},
    };
    for (AppealState s : kAllStates) {
      if (s == kClosed || s == kMerged) continue;
      t[{s, A::kAddNote}] = s;
      t[{s, A::kCitizenMessage}] = s;
    }
    return t;
  }();
  return table;
}

TEST(WorkflowTest, EveryStateTimesEveryAction) {
  int legal = 0, illegal = 0;
  for (AppealState state : kAllStates) {
    for (WorkflowAction action : kAllWorkflowActions) {
      auto it = Legal().find({state, action});
      auto next = Transition(state, action);
      if (it != Legal().end()) {
        ASSERT_TRUE(next.has_value()) << StateName(state) << " " << WorkflowActionName(action);
        EXPECT_EQ(*next, it->second) << StateName(state) << " " << WorkflowActionName(action);
        ++legal;
      } else {
        ASSERT_FALSE(next.has_value()) << StateName(state) << " " << WorkflowActionName(action);
        EXPECT_EQ(next.error().code, ErrorCode::kConflict);
        ++illegal;
      }
    }
  }
  EXPECT_EQ(legal + illegal, 9 * 15);
  EXPECT_EQ(legal, static_cast<int>(Legal().size()));
}

TEST(WorkflowTest, ClosedAndMergedAreTerminalExceptReopen) {
  for (WorkflowAction action : kAllWorkflowActions) {
    EXPECT_FALSE(NextState(kMerged, action)) << WorkflowActionName(action);
    EXPECT_EQ(NextState(kClosed, action).has_value(), action == A::kReopen)
        << WorkflowActionName(action);
  }
}

TEST(WorkflowTest, NamesAreDistinctAndRatingsPickTheirAction) {
  std::set<std::string_view> names;
  for (WorkflowAction action : kAllWorkflowActions) names.insert(WorkflowActionName(action));
  EXPECT_EQ(names.size(), std::size(kAllWorkflowActions));
  EXPECT_EQ(RateAction(Rating::kSatisfied), A::kRatePositive);
  EXPECT_EQ(RateAction(Rating::kBasicallySatisfied), A::kRatePositive);
  EXPECT_EQ(RateAction(Rating::kUnsatisfied), A::kRateUnsatisfied);
  for (AppealState s : kAllStates) {
    AppealState parsed = kSubmitted;
    ASSERT_TRUE(ParseState(StateName(s), parsed));
    EXPECT_EQ(parsed, s);
  }
}

}  // namespace
}  // namespace lianxin::appeals
