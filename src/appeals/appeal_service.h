// The appeals' business rules: intake from every channel, the staff workflow, the citizen's
// track/rate/reopen, the inbox, configuration, notifications and the deadline job. Every staff
// action checks AccessPolicy on the appeal's unit path, runs the state table (409 when
// illegal), checks `version` (412 when stale), and writes the change, its timeline event and
// its audit event in one transaction. Personal data is sealed at rest and masked in every
// value returned, except RevealContact (audited).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appeals/calendar.h"
#include "appeals/intake.h"
#include "appeals/model.h"
#include "appeals/workflow.h"
#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::appeals {

template <class T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
  bool total_capped = false;  // there are more than `total` matches
};

inline constexpr int kAutoCloseDays = 7;      // replied without a rating → closed
inline constexpr int kReopenWindowDays = 15;  // a closed appeal may be reopened this long
inline constexpr int64_t kIdempotencyWindowMillis = 24 * 3'600'000;
inline constexpr size_t kMaxTextChars = 2000;
inline constexpr size_t kMaxReplyChars = 4000;
inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr int64_t kMaxExportRows = 50'000;

// An appeal as staff see it: personal data masked ("张*", "138****1234").
struct AppealView {
  AppealId id = 0;
  std::string tracking_number;
  AppealKind kind = AppealKind::kConsultation;
  std::string category;
  Channel channel = Channel::kWeb;
  AppealState state = AppealState::kSubmitted;
  bool resolved = false;
  std::string text;
  std::string citizen_name_masked;   // "" when anonymous
  std::string citizen_phone_masked;  // "" when none
  bool has_contact = false;
  bool publish_reply = false;
  Location location;
  std::string source_url;
  UnitId unit_id = 0;
  std::string unit_name;
  std::string unit_path;
  std::optional<AppealId> merged_into;
  std::string ack_text;
  std::string reply_text;
  std::optional<int64_t> acknowledged_at;
  std::optional<int64_t> replied_at;
  std::optional<Rating> rating;
  std::string rating_comment;
  std::optional<int64_t> rated_at;
  std::string rectification_task;
  std::optional<int64_t> rectification_deadline;
  std::string rectification_result;
  std::optional<int64_t> rectified_at;
  int64_t follow_up_count = 0;
  std::optional<int64_t> closed_at;
  int64_t reopened_count = 0;
  int64_t ack_deadline = 0;
  int64_t reply_deadline = 0;
  int64_t resolve_deadline = 0;
  std::optional<int64_t> due_at;  // the deadline of the current step
  std::optional<int64_t> warn_at;
  std::optional<int64_t> warned_at;
  std::optional<int64_t> escalated_at;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

enum class ActorKind { kStaff, kCitizen, kSystem };

// One timeline entry. Internal entries (notes, transfers' reasons, verification notes) have
// public == false and never reach the citizen.
struct TimelineEvent {
  int64_t id = 0;
  int64_t at = 0;
  ActorKind actor_kind = ActorKind::kSystem;
  std::string actor_name;  // a staff member's username; "" for citizen and system
  std::string action;      // WorkflowActionName, or "submit", "warn", "escalate", "reveal"
  std::optional<AppealState> from_state;
  std::optional<AppealState> to_state;
  bool is_public = false;
  std::string note;
  std::string data;  // a JSON object as text
};

struct AppealDetail {
  AppealView appeal;
  std::vector<TimelineEvent> timeline;  // oldest first, internal entries included
};

// What the track page shows: the public view and the public timeline only.
struct TrackView {
  PublicAppeal appeal;
  std::string reply_text;
  std::optional<Rating> rating;
  bool can_rate = false;
  bool can_reopen = false;
  // Set when the tracked appeal was merged: `appeal` and `timeline` are the original's.
  std::optional<std::string> merged_into_tracking_number;
  std::vector<TimelineEvent> timeline;
};

enum class SortOrder { kNewest, kOldest, kDueSoonest, kRecentlyUpdated };
// "newest", "oldest", "due", "updated".
bool ParseSortOrder(std::string_view name, SortOrder& order);

struct AppealFilter {
  std::vector<AppealState> states;  // empty: any
  std::optional<AppealKind> kind;
  std::optional<std::string> category;
  std::optional<Channel> channel;
  std::optional<UnitId> unit_id;       // its subtree; default the actor's unit
  bool overdue = false;                // open and past its current deadline
  bool warning = false;                // open, past the 80% point, not yet overdue
  bool escalated = false;              // escalated (needs kAppealSupervise)
  std::optional<int64_t> from_millis;  // created at or after
  std::optional<int64_t> to_millis;    // created before
  std::optional<std::string> q;        // full text over the text and the reply
  SortOrder sort = SortOrder::kNewest;
  int64_t offset = 0;
  int64_t limit = 20;  // 1..kMaxExportRows
  // The inbox counts matches only up to kInboxCountCap (an exact count of a whole city is
  // the slowest part of a page); the export asks for the exact number.
  bool exact_total = false;
};

// The largest total the inbox counts exactly; beyond it Page::total_capped is set.
inline constexpr int64_t kInboxCountCap = 10'000;

// A hotline call recorded by staff: channel hotline, the caller's number as channel_ref.
struct HotlineCall {
  Submission submission;  // channel is forced to hotline
  std::string caller_number;
};

// An appeal made from a post someone published (a forum thread, a Weibo post): the
// public-opinion module and staff create these.
struct PostAppeal {
  Submission submission;   // channel must be weibo or forum; channel_ref the author's id
  std::string source_url;  // the post's http(s) URL, required
};

struct RectificationTask {
  int64_t version = 0;
  std::string task;
  int64_t deadline = 0;  // Unix millis, in the future
};

struct FollowUpVisit {
  int64_t version = 0;
  std::string channel;       // "phone", "visit", "wechat", ... (free text, 1..32)
  int64_t visited_at = 0;    // Unix millis, not in the future
  std::string visited_by;    // who made the visit
  std::string citizen_view;  // the citizen's view now
};

struct BulkAssignResult {
  std::vector<AppealId> assigned;
  std::vector<std::pair<AppealId, Error>> failed;
};

struct Contact {
  std::string name;
  std::string phone;
};

struct SavedView {
  int64_t id = 0;
  std::string name;
  std::string filter;  // a JSON object as text
  int64_t created_at = 0;
};

struct ReplyTemplate {
  int64_t id = 0;
  UnitId unit_id = 0;
  std::string unit_name;
  std::string title;
  std::string text;
  int64_t version = 1;
};

enum class NotificationKind { kNewAssignment, kWarning, kEscalation };
std::string_view NotificationKindName(NotificationKind kind);

struct Notification {
  int64_t id = 0;
  NotificationKind kind = NotificationKind::kNewAssignment;
  AppealId appeal_id = 0;
  std::string tracking_number;
  std::string message;
  std::optional<int64_t> read_at;
  int64_t created_at = 0;
};

// A reply on the "you asked, we did" wall: no personal data, no unit-internal data.
struct WallEntry {
  std::string tracking_number;
  AppealKind kind = AppealKind::kConsultation;
  std::string category;
  std::string district_code;
  std::string text;
  std::string reply_text;
  std::string unit_name;
  int64_t requested_at = 0;
  int64_t replied_at = 0;
};

struct WallQuery {
  std::optional<std::string> district_code;
  std::optional<std::string> category;
  int64_t offset = 0;
  int64_t limit = 20;
};

struct DeadlineRunReport {
  int64_t warned = 0;
  int64_t escalated = 0;
  int64_t auto_closed = 0;
};

class AppealService final : public AppealIntake {
 public:
  // All references must outlive the service.
  AppealService(storage::Database& database, const DataProtector& protector, const Clock& clock,
                auth::AccessPolicy& policy, auth::AuditLog& audit);

  // --- AppealIntake (channels and the public portal) ---
  // Validates (422 with fields kind, category, text, citizen_name, citizen_phone,
  // location.district_code, location.address, location.latitude, location.longitude,
  // source_url, channel_ref), routes to the district bureau whose units.code is
  // location.district_code (else the city bureau), computes the deadlines and stores only a
  // hash of the access code.
  [[nodiscard]] Result<Receipt> Submit(const Submission& submission,
                                       std::string_view idempotency_key) override;
  [[nodiscard]] Result<std::optional<Receipt>> FindOpenByChannelRef(Channel channel,
                                                                    std::string_view channel_ref,
                                                                    int64_t since_millis) override;
  // A merged appeal forwards the message to its original. kConflict when closed.
  [[nodiscard]] Status AddCitizenMessage(AppealId id, std::string_view text) override;
  [[nodiscard]] Result<PublicAppeal> GetPublic(AppealId id) override;
  [[nodiscard]] Result<std::vector<PublicAppeal>> ListPublic(const PublicQuery& query) override;
  [[nodiscard]] Result<std::vector<Category>> Categories() override;

  // --- the citizen, by tracking number and access code (kNotFound for either wrong) ---
  [[nodiscard]] Result<TrackView> Track(std::string_view tracking_number,
                                        std::string_view access_code);
  // Rates a replied appeal: positive closes it as resolved; unsatisfied opens rectification
  // with a default task deadline of the kind's resolve working days. kConflict otherwise.
  [[nodiscard]] Result<TrackView> Rate(std::string_view tracking_number,
                                       std::string_view access_code, Rating rating,
                                       std::string_view comment);
  // Reopens a closed appeal within kReopenWindowDays of closing: assigned to the last unit,
  // with fresh reply and resolve deadlines. kConflict outside the window or when not closed.
  [[nodiscard]] Result<TrackView> Reopen(std::string_view tracking_number,
                                         std::string_view access_code, std::string_view reason);
  // Open appeals of the same district and category (or text match), newest first, public
  // fields only; at most `limit` (1..20).
  [[nodiscard]] Result<std::vector<PublicAppeal>> Similar(std::string_view district_code,
                                                          std::string_view category,
                                                          std::string_view q, int64_t limit);
  [[nodiscard]] Result<Page<WallEntry>> Wall(const WallQuery& query);

  // --- staff: reading (kAppealRead) ---
  [[nodiscard]] Result<Page<AppealView>> Search(const Actor& actor, const AppealFilter& filter);
  [[nodiscard]] Result<AppealDetail> Get(const Actor& actor, AppealId id);
  // kAppealRevealContact; audited as "appeal.reveal_contact" and on the internal timeline.
  [[nodiscard]] Result<Contact> RevealContact(const Actor& actor, AppealId id);

  // --- staff: handling (kAppealHandle on the appeal's unit) ---
  // Records a hotline call (kAppealHandle on the actor's unit); a 422 names
  // "caller_number" for a number that is not a phone.
  [[nodiscard]] Result<Receipt> RecordHotlineCall(const Actor& actor, const HotlineCall& call);
  // Creates an appeal from an external post with its source URL (kAppealHandle on the
  // actor's unit; routed like a hotline call). 422 naming channel or source_url.
  [[nodiscard]] Result<Receipt> RecordFromPost(const Actor& actor, const PostAppeal& post);
  [[nodiscard]] Result<AppealView> Acknowledge(const Actor& actor, AppealId id, int64_t version,
                                               std::string_view public_text);
  // To an active unit in the actor's subtree; notifies that unit.
  [[nodiscard]] Result<AppealView> Assign(const Actor& actor, AppealId id, int64_t version,
                                          UnitId unit_id, std::string_view note);
  // To an active unit in the actor's subtree or to the parent of the actor's unit (handing it
  // back); `reason` is required (422 "reason").
  [[nodiscard]] Result<AppealView> Transfer(const Actor& actor, AppealId id, int64_t version,
                                            UnitId unit_id, std::string_view reason);
  // Field notes (required) and photo attachment ids (at most 5): internal.
  [[nodiscard]] Result<AppealView> Verify(const Actor& actor, AppealId id, int64_t version,
                                          std::string_view notes,
                                          const std::vector<int64_t>& photo_ids);
  [[nodiscard]] Result<AppealView> Reply(const Actor& actor, AppealId id, int64_t version,
                                         std::string_view public_text);
  // Internal note, never public; any open state. Does not need `version` (notes don't
  // conflict) but bumps it.
  [[nodiscard]] Result<AppealView> AddNote(const Actor& actor, AppealId id, std::string_view note);
  [[nodiscard]] Result<AppealView> SetRectification(const Actor& actor, AppealId id,
                                                    const RectificationTask& task);
  [[nodiscard]] Result<AppealView> CompleteRectification(const Actor& actor, AppealId id,
                                                         int64_t version, std::string_view result);
  [[nodiscard]] Result<AppealView> RecordFollowUp(const Actor& actor, AppealId id,
                                                  const FollowUpVisit& visit);

  // --- staff: supervising (kAppealSupervise) ---
  // Folds `id` into `original_id` (both in the subtree, different, original neither merged
  // nor closed); the duplicate's later citizen messages, rating and reopen go to the original.
  [[nodiscard]] Result<AppealView> Merge(const Actor& actor, AppealId id, int64_t version,
                                         AppealId original_id);
  // Assigns each acknowledged appeal (at most 100) to `unit_id`; per-appeal failures are
  // reported, not fatal. Needs kAppealSupervise on the target unit.
  [[nodiscard]] Result<BulkAssignResult> BulkAssign(const Actor& actor,
                                                    const std::vector<AppealId>& ids,
                                                    UnitId unit_id);

  // --- saved inbox views (the actor's own) ---
  [[nodiscard]] Result<std::vector<SavedView>> ListViews(const Actor& actor);
  // kConflict for a duplicate name; 422 "name" / "filter" (at most 50 views per account).
  [[nodiscard]] Result<SavedView> CreateView(const Actor& actor, std::string_view name,
                                             std::string_view filter_json);
  [[nodiscard]] Status DeleteView(const Actor& actor, int64_t id);

  // --- reply templates: the actor's unit's and its ancestors' (kAppealRead); writes need
  // kAppealConfigure on the template's unit ---
  [[nodiscard]] Result<std::vector<ReplyTemplate>> ListTemplates(const Actor& actor);
  [[nodiscard]] Result<ReplyTemplate> CreateTemplate(const Actor& actor, UnitId unit_id,
                                                     std::string_view title, std::string_view text);
  [[nodiscard]] Result<ReplyTemplate> UpdateTemplate(const Actor& actor, int64_t id,
                                                     int64_t version, std::string_view title,
                                                     std::string_view text);
  [[nodiscard]] Status DeleteTemplate(const Actor& actor, int64_t id);

  // --- configuration: kAppealConfigure at the root unit (categories, calendar and deadlines
  // are city-wide) ---
  // Every category, inactive included.
  [[nodiscard]] Result<std::vector<Category>> AllCategories(const Actor& actor);
  // Creates (new code) or replaces (existing code) a category.
  [[nodiscard]] Result<Category> SaveCategory(const Actor& actor, const Category& category);
  [[nodiscard]] Result<std::vector<CalendarDay>> CalendarDays(const Actor& actor);
  [[nodiscard]] Status SetCalendarDay(const Actor& actor, const CalendarDay& day);
  [[nodiscard]] Status DeleteCalendarDay(const Actor& actor, std::string_view date);
  [[nodiscard]] Result<std::vector<DeadlineSettings>> ListDeadlines(const Actor& actor);
  [[nodiscard]] Result<DeadlineSettings> SetDeadlines(const Actor& actor,
                                                      const DeadlineSettings& settings);

  // --- notifications (the actor's own and their unit's) ---
  [[nodiscard]] Result<Page<Notification>> Notifications(const Actor& actor, bool unread_only,
                                                         int64_t offset, int64_t limit);
  [[nodiscard]] Status MarkNotificationRead(const Actor& actor, int64_t id);

  // --- the periodic job (no actor; events by "system") ---
  // Warns the handling unit at the 80% point of the current step, escalates an overdue step
  // to the parent unit (once per step), auto-closes appeals replied kAutoCloseDays ago without
  // a rating. Idempotent for a given `now`.
  [[nodiscard]] Result<DeadlineRunReport> RunDeadlines(int64_t now);

  // Links uploaded photos (attachment ids) to an appeal inside the transaction that records
  // them: the citizen's photos at submission, officers' photos with a verification note.
  // Set once at wiring (the attachments module's Attach); without one, ids are only kept
  // on the timeline.
  using PhotoLinker = std::function<Status(storage::Session& session, AppealId appeal,
                                           const std::vector<int64_t>& attachment_ids)>;
  void SetPhotoLinker(PhotoLinker linker) { photo_linker_ = std::move(linker); }

  // What the citizen is told when their appeal is answered. `channel_ref` and `phone` are
  // unsealed here, for the outbox, which seals them again.
  struct ReplyNotice {
    AppealId id = 0;
    std::string tracking_number;
    Channel channel = Channel::kWeb;
    std::string channel_ref;  // a WeChat OpenID for channel wechat
    std::string phone;        // "" when the citizen left none
    std::string reply_text;
  };
  // Called inside the reply's transaction (so a notice is queued exactly when the reply
  // commits); an error fails the reply. Set once at wiring: the outbox.
  using ReplyNotifier = std::function<Status(storage::Session& session, const ReplyNotice&)>;
  void SetReplyNotifier(ReplyNotifier notifier) { reply_notifier_ = std::move(notifier); }

  // Used by the implementation: a denial noticed inside a transaction, recorded after it.
  struct Gate;

 private:
  [[nodiscard]] Result<Receipt> SubmitAs(const Submission& submission,
                                         std::string_view idempotency_key, const Actor* staff);
  // Loads the appeal, checks `action` on its unit, checks the version (when given) and the
  // state table; `fn` applies the change. Records the timeline and audit events.
  template <class Fn>
  Result<AppealView> Act(const Actor& actor, AppealId id, std::optional<int64_t> version,
                         auth::Action action, WorkflowAction step, Fn&& fn);
  [[nodiscard]] Result<TrackView> CitizenAct(std::string_view tracking_number,
                                             std::string_view access_code, WorkflowAction step,
                                             std::optional<Rating> rating, std::string_view text);
  [[nodiscard]] Status RequireRootConfigure(storage::Session& s, Gate& gate, const Actor& actor);
  void Settle(const Actor& actor, const Gate& gate);

  PhotoLinker photo_linker_;
  ReplyNotifier reply_notifier_;
  storage::Database& database_;
  const DataProtector& protector_;
  const Clock& clock_;
  auth::AccessPolicy& policy_;
  auth::AuditLog& audit_;
};

}  // namespace lianxin::appeals
