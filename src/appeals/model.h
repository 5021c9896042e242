// Appeals (诉求): what citizens ask, complain about, report, suggest or praise, and the life
// each one goes through until it is closed. Plain types; the rules live in appeal_service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::appeals {

using AppealId = int64_t;

// 咨询 / 投诉·批评 / 反映问题·求助 / 建议 / 表扬
enum class AppealKind { kConsultation, kComplaint, kReport, kSuggestion, kPraise };

// Where an appeal came from.
enum class Channel { kWeb, kWechat, kWeibo, kForum, kHotline, kEvent, kSurvey, kOpen311 };

// submitted → acknowledged (受理) → assigned (分派/转派) → verifying (核查) → replied (答复)
// → closed (rated satisfied or basically satisfied, or no rating within 7 days);
// replied → rectifying (整改, after an unsatisfied rating) → follow_up (回访) → closed;
// closed → assigned again when the citizen reopens within 15 days;
// merged: a duplicate folded into an original (terminal).
enum class AppealState {
  kSubmitted,
  kAcknowledged,
  kAssigned,
  kVerifying,
  kReplied,
  kRectifying,
  kFollowUp,
  kClosed,
  kMerged,
};

// 满意 / 基本满意 / 不满意
enum class Rating { kSatisfied, kBasicallySatisfied, kUnsatisfied };

// API and database names: "consultation", "complaint", "report", "suggestion", "praise";
// "web", "wechat", "weibo", "forum", "hotline", "event", "survey", "open311";
// "submitted", "acknowledged", "assigned", "verifying", "replied", "rectifying",
// "follow_up", "closed", "merged"; "satisfied", "basically_satisfied", "unsatisfied".
std::string_view KindName(AppealKind kind);
std::string_view ChannelName(Channel channel);
std::string_view StateName(AppealState state);
std::string_view RatingName(Rating rating);
// Each returns false when `name` is not one of the names above.
bool ParseKind(std::string_view name, AppealKind& kind);
bool ParseChannel(std::string_view name, Channel& channel);
bool ParseState(std::string_view name, AppealState& state);
bool ParseRating(std::string_view name, Rating& rating);

// Every value of each enum, in declaration order (for tables, tests and metrics).
inline constexpr AppealKind kAllKinds[] = {AppealKind::kConsultation, AppealKind::kComplaint,
                                           AppealKind::kReport, AppealKind::kSuggestion,
                                           AppealKind::kPraise};
inline constexpr Channel kAllChannels[] = {Channel::kWeb,    Channel::kWechat,  Channel::kWeibo,
                                           Channel::kForum,  Channel::kHotline, Channel::kEvent,
                                           Channel::kSurvey, Channel::kOpen311};
inline constexpr AppealState kAllStates[] = {
    AppealState::kSubmitted, AppealState::kAcknowledged, AppealState::kAssigned,
    AppealState::kVerifying, AppealState::kReplied,      AppealState::kRectifying,
    AppealState::kFollowUp,  AppealState::kClosed,       AppealState::kMerged};

// Closed and merged appeals are "closed" for Open311; everything else is "open".
inline bool IsOpen(AppealState state) {
  return state != AppealState::kClosed && state != AppealState::kMerged;
}

struct Location {
  std::string district_code;        // GB/T 2260, e.g. "500103"; "" when unknown
  std::string address;              // free text, at most 200 characters
  std::optional<double> latitude;   // WGS84
  std::optional<double> longitude;  // WGS84
};

// A category of appeal (public order, traffic, household registration, ...): configurable.
struct Category {
  std::string code;  // "traffic", stable, [a-z0-9_]{2,32}
  std::string name;  // "交通管理"
  std::string description;
  bool active = true;
  int sort_order = 0;
};

// What a citizen (or a channel on their behalf) submits.
struct Submission {
  AppealKind kind = AppealKind::kConsultation;
  std::string category;  // a Category::code
  std::string text;      // 1..2000 characters
  Channel channel = Channel::kWeb;
  std::string citizen_name;    // optional; sealed at rest, masked when shown
  std::string citizen_phone;   // optional; sealed at rest, masked when shown
  bool publish_reply = false;  // the citizen agrees to show the reply on the public wall
  Location location;
  // The channel's own reference: a WeChat OpenID, an Open311 client's account or device id,
  // a caller's number (hotline), a post's URL. Sealed at rest when it is personal data.
  std::string channel_ref;
  std::string source_url;  // a post the appeal was made from, shown to staff
  std::vector<int64_t> attachment_ids;
};

// What the submitter keeps: the number and the 6-character code that open the track page.
struct Receipt {
  AppealId id = 0;
  std::string tracking_number;  // "YJ" + yyyymmdd + 6 digits, e.g. "YJ20261128000123"
  std::string access_code;      // 6 characters from an unambiguous alphabet
  int64_t submitted_at = 0;     // Unix millis
};

// An appeal as anyone may see it (Open311, the track page): no personal data.
struct PublicAppeal {
  AppealId id = 0;
  std::string tracking_number;
  AppealKind kind = AppealKind::kConsultation;
  std::string category;
  AppealState state = AppealState::kSubmitted;
  std::string status_notes;  // the public acknowledgement or reply, latest first
  std::string agency;        // the name of the unit handling it, "" before assignment
  Location location;
  std::string text;  // the citizen's text; personal data in it is the citizen's own
  Channel channel = Channel::kWeb;
  int64_t requested_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> expected_at;  // the reply deadline while open
};

}  // namespace lianxin::appeals
