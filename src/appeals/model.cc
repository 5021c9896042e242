#include "appeals/model.h"

#include <array>
#include <utility>

namespace lianxin::appeals {
namespace {

constexpr std::array<std::pair<AppealKind, std::string_view>, 5> kKinds = {{
    {AppealKind::kConsultation, "consultation"},
    {AppealKind::kComplaint, "complaint"},
    {AppealKind::kReport, "report"},
    {AppealKind::kSuggestion, "suggestion"},
    {AppealKind::kPraise, "praise"},
}};
constexpr std::array<std::pair<Channel, std::string_view>, 8> kChannels = {{
    {Channel::kWeb, "web"},
    {Channel::kWechat, "wechat"},
    {Channel::kWeibo, "weibo"},
    {Channel::kForum, "forum"},
    {Channel::kHotline, "hotline"},
    {Channel::kEvent, "event"},
    {Channel::kSurvey, "survey"},
    {Channel::kOpen311, "open311"},
}};
constexpr std::array<std::pair<AppealState, std::string_view>, 9> kStates = {{
    {AppealState::kSubmitted, "submitted"},
    {AppealState::kAcknowledged, "acknowledged"},
    {AppealState::kAssigned, "assigned"},
    {AppealState::kVerifying, "verifying"},
    {AppealState::kReplied, "replied"},
    {AppealState::kRectifying, "rectifying"},
    {AppealState::kFollowUp, "follow_up"},
    {AppealState::kClosed, "closed"},
    {AppealState::kMerged, "merged"},
}};
constexpr std::array<std::pair<Rating, std::string_view>, 3> kRatings = {{
    {Rating::kSatisfied, "satisfied"},
    {Rating::kBasicallySatisfied, "basically_satisfied"},
    {Rating::kUnsatisfied, "unsatisfied"},
}};

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <class E, size_t N>
bool Parse(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name,
           E& out) {
  for (const auto& [v, n] : table) {
    if (n == name) {
      out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view KindName(AppealKind kind) { return NameOf(kKinds, kind); }
std::string_view ChannelName(Channel channel) { return NameOf(kChannels, channel); }
std::string_view StateName(AppealState state) { return NameOf(kStates, state); }
std::string_view RatingName(Rating rating) { return NameOf(kRatings, rating); }
bool ParseKind(std::string_view name, AppealKind& kind) { return Parse(kKinds, name, kind); }
bool ParseChannel(std::string_view name, Channel& channel) {
  return Parse(kChannels, name, channel);
}
bool ParseState(std::string_view name, AppealState& state) { return Parse(kStates, name, state); }
bool ParseRating(std::string_view name, Rating& rating) { return Parse(kRatings, name, rating); }

}  // namespace lianxin::appeals
