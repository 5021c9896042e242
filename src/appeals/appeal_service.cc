#include "appeals/appeal_service.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "appeals/subtree_sql.h"
#include "core/text.h"

namespace lianxin::appeals {

using auth::Action;
using storage::Null;
using storage::Params;
using storage::Row;
using storage::Session;
using storage::Value;
using Json = nlohmann::json;

// A denial noticed inside a transaction (see org::OrgService::Gate): AccessPolicy::Check
// records denials in a transaction of its own, which must not nest inside ours.
struct AppealService::Gate {
  std::optional<Action> action;
  std::string path;
  std::string target;

  Status Require(const Actor& actor, Action a, std::string_view target_path,
                 std::string target_name) {
    if (auth::AccessPolicy::Allows(actor, a, target_path)) return {};
    if (!action) {
      action = a;
      path = std::string(target_path);
      target = std::move(target_name);
    }
    return MakeError(ErrorCode::kPermissionDenied, "This action is not allowed on that appeal.");
  }
};

namespace {

// An appeal row with the fields the view does not show.
constexpr std::string_view kChannelRefOf = "SELECT channel_ref_sealed FROM appeals WHERE id = $1";

struct Record {
  AppealView v;
  std::string access_code_hash;
  std::string name_sealed;
  std::string phone_sealed;
  bool ever_unsatisfied = false;
  std::optional<int64_t> accepted_day;
};

constexpr std::string_view kAccessAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr size_t kAccessCodeLength = 6;
constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxNameChars = 50;
constexpr size_t kMaxUrlChars = 500;
constexpr size_t kMaxCommentChars = 500;
constexpr size_t kMaxAttachments = 5;
constexpr int64_t kMaxBulk = 100;
constexpr int64_t kMaxViews = 50;
constexpr int64_t kDeadlineBatch = 500;
constexpr int64_t kMillisPerDayLocal = 86'400'000;

// --- SQL ---
constexpr std::string_view kAppealColumns =
    "SELECT a.id, a.tracking_number, a.kind, a.category, a.channel, a.state, a.resolved, a.text, "
    "a.citizen_name_sealed, a.citizen_phone_sealed, a.publish_reply, a.district_code, "
    "a.address, a.latitude, a.longitude, a.source_url, a.unit_id, u.name, a.unit_path, "
    "a.merged_into, a.ack_text, a.reply_text, a.acknowledged_at, a.replied_at, a.rating, "
    "a.rating_comment, a.rated_at, a.rectification_task, a.rectification_deadline, "
    "a.rectification_result, a.rectified_at, a.follow_up_count, a.closed_at, a.reopened_count, "
    "a.ack_deadline, a.reply_deadline, a.resolve_deadline, a.due_at, a.warn_at, a.warned_at, "
    "a.escalated_at, a.version, a.created_at, a.updated_at, a.access_code_hash, "
    "a.ever_unsatisfied, a.accepted_day "
    "FROM appeals a JOIN units u ON u.id = a.unit_id ";

constexpr std::string_view kFindUnit =
    "SELECT id, path, name, active, parent_id FROM units WHERE id = $1";
constexpr std::string_view kFindDistrict =
    "SELECT id, path FROM units WHERE code = $1 AND kind = 'district_bureau' AND active = 1 "
    "ORDER BY id LIMIT 1";
constexpr std::string_view kFindRoot =
    "SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1";
constexpr std::string_view kActiveCategory =
    "SELECT code FROM appeal_categories WHERE code = $1 AND active = 1";
constexpr std::string_view kCalendarDays = "SELECT day, kind, name FROM calendar_days ORDER BY day";
constexpr std::string_view kDeadlineFor =
    "SELECT kind, acknowledge_hours, reply_working_days, resolve_working_days, version "
    "FROM deadline_settings WHERE kind = $1";
constexpr std::string_view kAllDeadlines =
    "SELECT kind, acknowledge_hours, reply_working_days, resolve_working_days, version "
    "FROM deadline_settings ORDER BY kind";
constexpr std::string_view kNextSequence =
    "INSERT INTO appeal_sequences (day, last_value) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE "
    "SET last_value = appeal_sequences.last_value + 1 RETURNING last_value";
constexpr std::string_view kFindIdempotency =
    "SELECT response_body, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2";
constexpr std::string_view kDeleteIdempotency =
    "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2";
constexpr std::string_view kInsertIdempotency =
    "INSERT INTO idempotency_keys (key, scope, response_status, response_body, created_at) "
    "VALUES ($1, $2, 201, $3, $4)";
constexpr std::string_view kInsertAppeal =
    "INSERT INTO appeals (tracking_number, access_code_hash, kind, category, channel, state, "
    "text, citizen_name_sealed, citizen_phone_sealed, citizen_phone_hash, publish_reply, "
    "district_code, address, latitude, longitude, channel_ref_sealed, channel_ref_hash, "
    "source_url, unit_id, unit_path, ack_deadline, reply_deadline, resolve_deadline, due_at, "
    "warn_at, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, "
    "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, 1, $25, "
    "$25) RETURNING id";
constexpr std::string_view kSaveAppeal =
    "UPDATE appeals SET state = $1, resolved = $2, unit_id = $3, unit_path = $4, "
    "merged_into = $5, ack_text = $6, reply_text = $7, replied_at = $8, acknowledged_at = $9, "
    "accepted_day = $10, rating = $11, rating_comment = $12, rated_at = $13, "
    "ever_unsatisfied = $14, rectification_task = $15, rectification_deadline = $16, "
    "rectification_result = $17, rectified_at = $18, follow_up_count = $19, closed_at = $20, "
    "reopened_count = $21, reply_deadline = $22, resolve_deadline = $23, due_at = $24, "
    "warn_at = $25, warned_at = $26, escalated_at = $27, version = version + 1, "
    "updated_at = $28 WHERE id = $29 AND version = $30";
constexpr std::string_view kInsertEvent =
    "INSERT INTO appeal_events (appeal_id, at, actor_kind, account_id, actor_name, unit_id, "
    "action, from_state, to_state, public, note, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10, $11, $12)";
constexpr std::string_view kTimeline =
    "SELECT id, at, actor_kind, actor_name, action, from_state, to_state, public, note, data "
    "FROM appeal_events WHERE appeal_id = $1 AND (CAST($2 AS BIGINT) = 0 OR public = 1) "
    "ORDER BY at, id";
constexpr std::string_view kInsertNotification =
    "INSERT INTO notifications (account_id, unit_id, kind, appeal_id, message, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kContact =
    "SELECT citizen_name_sealed, citizen_phone_sealed, unit_path FROM appeals WHERE id = $1";
constexpr std::string_view kByTracking = "SELECT id FROM appeals WHERE tracking_number = $1";
constexpr std::string_view kOpenByChannelRef =
    "SELECT id FROM appeals WHERE channel_ref_hash = $1 AND channel = $2 AND created_at >= $3 "
    "AND state NOT IN ('closed', 'merged') ORDER BY created_at DESC, id DESC LIMIT 1";

// --- small helpers ---

std::string AppealTarget(AppealId id) { return "appeal:" + std::to_string(id); }

// "$n" for the n-th parameter.
std::string Placeholder(size_t n) {
  std::string out = std::to_string(n);
  out.insert(out.begin(), '$');
  return out;
}

template <class T>
Result<T> NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

bool HasControl(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return u < 0x20 || u == 0x7f;
  });
}

// Trims `value` and checks plain text of at most `max_chars` (and at least one if required).
void CheckText(std::vector<FieldError>& errors, std::string_view field, std::string& value,
               size_t max_chars, bool required, bool multiline = false) {
  value = std::string(Trim(value));
  if (!IsValidUtf8(value) || HasControl(value, multiline)) {
    errors.push_back({std::string(field), "must be plain text"});
  } else if (required && value.empty()) {
    errors.push_back({std::string(field), "is required"});
  } else if (Utf8Length(value) > max_chars) {
    errors.push_back(
        {std::string(field), "must be at most " + std::to_string(max_chars) + " characters"});
  }
}

Status CheckRequiredText(std::string_view field, std::string& value, size_t max_chars) {
  std::vector<FieldError> errors;
  CheckText(errors, field, value, max_chars, true, true);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return {};
}

Value OptValue(const std::optional<int64_t>& v) { return storage::Optional(v); }

std::optional<double> OptDouble(const Row& row, size_t c) {
  if (row.IsNull(c)) return std::nullopt;
  return row.Double(c);
}

AppealState StateOf(std::string_view name) {
  AppealState s = AppealState::kSubmitted;
  ParseState(name, s);
  return s;
}

// The plaintext of a sealed column for masking; a value that does not open under this key
// (a wrong data key) shows as "***" rather than as "no contact".
// "YJ" (either case) and 14 digits: a tracking number as citizens read it out.
bool LooksLikeTrackingNumber(std::string_view q) {
  if (q.size() != 16 || (q[0] != 'Y' && q[0] != 'y') || (q[1] != 'J' && q[1] != 'j')) return false;
  return std::all_of(q.begin() + 2, q.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string OpenSealed(const DataProtector& protector, const std::string& sealed) {
  if (sealed.empty()) return "";
  auto plain = protector.Open(sealed);
  return plain ? *plain : "***";
}

std::string NewAccessCode() {
  std::string code;
  for (size_t i = 0; i < kAccessCodeLength; ++i) {
    code += kAccessAlphabet[RandomUniform(static_cast<uint32_t>(kAccessAlphabet.size()))];
  }
  return code;
}

std::string AccessHash(const DataProtector& protector, std::string_view tracking,
                       std::string_view code) {
  return protector.LookupHash("appeal-access:" + std::string(tracking) + ":" + std::string(code));
}

std::string Upper(std::string_view text) {
  std::string out(Trim(text));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Replaces every run of 7 or more digits (phone numbers, ID numbers) with "****".
std::string ScrubDigits(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j > i) {
      if (j - i >= 7) {
        out += "****";
      } else {
        out.append(text.substr(i, j - i));
      }
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string EscapeLike(std::string_view q) {
  std::string out;
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string FtsPhrase(std::string_view q) {
  std::string out = "\"";
  for (char c : q) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

struct UnitRow {
  UnitId id = 0;
  std::string path;
  std::string name;
  bool active = true;
  std::optional<UnitId> parent_id;
};

Result<std::optional<UnitRow>> FindUnit(Session& s, UnitId id) {
  auto row = s.QueryOne(kFindUnit, {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<UnitRow>();
  const Row& r = **row;
  return std::optional<UnitRow>(UnitRow{r.Int(0), r.Text(1), r.Text(2), r.Bool(3), r.OptInt(4)});
}

Result<WorkingCalendar> LoadCalendar(Session& s) {
  auto rows = s.Query(kCalendarDays);
  if (!rows) return std::unexpected(rows.error());
  std::vector<CalendarDay> days;
  for (const auto& r : *rows) {
    CalendarDay d{r.Text(0), DayKind::kHoliday, r.Text(2)};
    ParseDayKind(r.Text(1), d.kind);
    days.push_back(std::move(d));
  }
  return WorkingCalendar(days);
}

DeadlineSettings SettingsFromRow(const Row& r) {
  DeadlineSettings d;
  ParseKind(r.Text(0), d.kind);
  d.acknowledge_hours = static_cast<int>(r.Int(1));
  d.reply_working_days = static_cast<int>(r.Int(2));
  d.resolve_working_days = static_cast<int>(r.Int(3));
  d.version = r.Int(4);
  return d;
}

Result<DeadlineSettings> LoadSettings(Session& s, AppealKind kind) {
  auto row = s.QueryOne(kDeadlineFor, {std::string(KindName(kind))});
  if (!row) return std::unexpected(row.error());
  DeadlineSettings d;
  d.kind = kind;
  if (*row) d = SettingsFromRow(**row);
  return d;
}

Status Notify(Session& s, std::optional<AccountId> account, std::optional<UnitId> unit,
              NotificationKind kind, AppealId appeal, std::string_view message, int64_t now) {
  auto done = s.Execute(kInsertNotification,
                        {OptValue(account), OptValue(unit), std::string(NotificationKindName(kind)),
                         appeal, std::string(message), now});
  if (!done) return std::unexpected(done.error());
  return {};
}

std::string_view ActorKindName(ActorKind kind) {
  switch (kind) {
    case ActorKind::kStaff:
      return "staff";
    case ActorKind::kCitizen:
      return "citizen";
    case ActorKind::kSystem:
      return "system";
  }
  return "system";
}

struct EventInput {
  ActorKind actor_kind = ActorKind::kSystem;
  const Actor* actor = nullptr;
  std::string action;
  std::optional<AppealState> from;
  std::optional<AppealState> to;
  bool is_public = false;
  std::string note;
  Json data = Json::object();
};

Status InsertEvent(Session& s, AppealId id, int64_t at, const EventInput& e) {
  Value account = e.actor ? Value(e.actor->account_id) : Null();
  Value unit = e.actor ? Value(e.actor->unit_id) : Null();
  std::string name = e.actor ? e.actor->username : "";
  Value from = e.from ? Value(std::string(StateName(*e.from))) : Null();
  Value to = e.to ? Value(std::string(StateName(*e.to))) : Null();
  auto done = s.Execute(kInsertEvent,
                        {id, at, std::string(ActorKindName(e.actor_kind)), account, name, unit,
                         e.action, from, to, int64_t{e.is_public ? 1 : 0}, e.note, e.data.dump()});
  if (!done) return std::unexpected(done.error());
  return {};
}

Status Audit(auth::AuditLog& audit, Session& s, const Actor* actor, std::string action, AppealId id,
             std::string detail = {}) {
  return audit.Append(s, actor,
                      auth::AuditEvent{std::move(action), AppealTarget(id), auth::AuditResult::kOk,
                                       std::move(detail)},
                      actor ? actor->client_ip : std::string());
}

TimelineEvent EventFromRow(const Row& r) {
  TimelineEvent e;
  e.id = r.Int(0);
  e.at = r.Int(1);
  std::string kind = r.Text(2);
  e.actor_kind = kind == "staff"     ? ActorKind::kStaff
                 : kind == "citizen" ? ActorKind::kCitizen
                                     : ActorKind::kSystem;
  e.actor_name = r.Text(3);
  e.action = r.Text(4);
  if (!r.IsNull(5)) e.from_state = StateOf(r.Text(5));
  if (!r.IsNull(6)) e.to_state = StateOf(r.Text(6));
  e.is_public = r.Bool(7);
  e.note = r.Text(8);
  e.data = r.Text(9);
  return e;
}

Result<std::vector<TimelineEvent>> LoadTimeline(Session& s, AppealId id, bool public_only) {
  auto rows = s.Query(kTimeline, {id, int64_t{public_only ? 1 : 0}});
  if (!rows) return std::unexpected(rows.error());
  std::vector<TimelineEvent> out;
  for (const auto& r : *rows) {
    out.push_back(EventFromRow(r));
    if (public_only) out.back().actor_name.clear();  // staff usernames stay internal
  }
  return out;
}

}  // namespace

std::string_view NotificationKindName(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kNewAssignment:
      return "new_assignment";
    case NotificationKind::kWarning:
      return "warning";
    case NotificationKind::kEscalation:
      return "escalation";
  }
  return "warning";
}

bool ParseSortOrder(std::string_view name, SortOrder& order) {
  if (name == "newest") {
    order = SortOrder::kNewest;
  } else if (name == "oldest") {
    order = SortOrder::kOldest;
  } else if (name == "due") {
    order = SortOrder::kDueSoonest;
  } else if (name == "updated") {
    order = SortOrder::kRecentlyUpdated;
  } else {
    return false;
  }
  return true;
}

namespace {

Record RecordFromRow(const Row& r, const DataProtector& protector) {
  Record rec;
  AppealView& v = rec.v;
  size_t c = 0;
  v.id = r.Int(c++);
  v.tracking_number = r.Text(c++);
  ParseKind(r.Text(c++), v.kind);
  v.category = r.Text(c++);
  ParseChannel(r.Text(c++), v.channel);
  v.state = StateOf(r.Text(c++));
  v.resolved = r.Bool(c++);
  v.text = r.Text(c++);
  rec.name_sealed = r.Text(c++);
  rec.phone_sealed = r.Text(c++);
  v.publish_reply = r.Bool(c++);
  v.location.district_code = r.Text(c++);
  v.location.address = r.Text(c++);
  v.location.latitude = OptDouble(r, c++);
  v.location.longitude = OptDouble(r, c++);
  v.source_url = r.Text(c++);
  v.unit_id = r.Int(c++);
  v.unit_name = r.Text(c++);
  v.unit_path = r.Text(c++);
  v.merged_into = r.OptInt(c++);
  v.ack_text = r.Text(c++);
  v.reply_text = r.Text(c++);
  v.acknowledged_at = r.OptInt(c++);
  v.replied_at = r.OptInt(c++);
  if (auto rating = r.OptText(c++)) {
    Rating value = Rating::kSatisfied;
    if (ParseRating(*rating, value)) v.rating = value;
  }
  v.rating_comment = r.Text(c++);
  v.rated_at = r.OptInt(c++);
  v.rectification_task = r.Text(c++);
  v.rectification_deadline = r.OptInt(c++);
  v.rectification_result = r.Text(c++);
  v.rectified_at = r.OptInt(c++);
  v.follow_up_count = r.Int(c++);
  v.closed_at = r.OptInt(c++);
  v.reopened_count = r.Int(c++);
  v.ack_deadline = r.Int(c++);
  v.reply_deadline = r.Int(c++);
  v.resolve_deadline = r.Int(c++);
  v.due_at = r.OptInt(c++);
  v.warn_at = r.OptInt(c++);
  v.warned_at = r.OptInt(c++);
  v.escalated_at = r.OptInt(c++);
  v.version = r.Int(c++);
  v.created_at = r.Int(c++);
  v.updated_at = r.Int(c++);
  rec.access_code_hash = r.Text(c++);
  rec.ever_unsatisfied = r.Bool(c++);
  rec.accepted_day = r.OptInt(c++);
  std::string name = OpenSealed(protector, rec.name_sealed);
  std::string phone = OpenSealed(protector, rec.phone_sealed);
  v.citizen_name_masked = name.empty() ? "" : MaskName(name);
  v.citizen_phone_masked = phone.empty() ? "" : MaskPhone(phone);
  v.has_contact = !name.empty() || !phone.empty();
  return rec;
}

Result<std::optional<Record>> LoadRecord(Session& s, AppealId id, const DataProtector& protector) {
  auto row = s.QueryOne(std::string(kAppealColumns) + "WHERE a.id = $1", {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Record>();
  return std::optional<Record>(RecordFromRow(**row, protector));
}

// An appeal's contribution to the metrics rollup (appeal_metric_rollup); see metrics.h for
// the definitions. Nothing before acceptance, nothing once merged.
struct Contribution {
  bool counts = false;
  int64_t day = 0;
  UnitId unit_id = 0;
  std::string unit_path;
  std::string channel;
  std::string kind;
  std::array<int64_t, 10> values{};
};

Contribution ContributionOf(const Record& rec) {
  const AppealView& v = rec.v;
  Contribution c;
  if (!rec.accepted_day || !v.acknowledged_at || v.state == AppealState::kMerged) return c;
  c.counts = true;
  c.day = *rec.accepted_day;
  c.unit_id = v.unit_id;
  c.unit_path = v.unit_path;
  c.channel = std::string(ChannelName(v.channel));
  c.kind = std::string(KindName(v.kind));
  bool positive = v.rating && *v.rating != Rating::kUnsatisfied;
  c.values = {1,
              *v.acknowledged_at <= v.ack_deadline ? 1 : 0,
              v.replied_at ? 1 : 0,
              v.replied_at && *v.replied_at <= v.reply_deadline ? 1 : 0,
              v.state == AppealState::kClosed && v.resolved ? 1 : 0,
              v.rating ? 1 : 0,
              positive ? 1 : 0,
              rec.ever_unsatisfied ? 1 : 0,
              v.rectified_at ? 1 : 0,
              v.follow_up_count};
  return c;
}

constexpr std::string_view kApplyMetricDelta =
    "INSERT INTO appeal_metric_rollup (period, unit_id, unit_path, channel, kind, accepted, "
    "acknowledged_on_time, replied, replied_on_time, resolved, rated, satisfied, unsatisfied, "
    "rectified, follow_up_visits) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
    "$13, $14, $15) ON CONFLICT (period, unit_id, channel, kind) DO UPDATE SET "
    "unit_path = excluded.unit_path, "
    "accepted = appeal_metric_rollup.accepted + excluded.accepted, "
    "acknowledged_on_time = appeal_metric_rollup.acknowledged_on_time + "
    "excluded.acknowledged_on_time, "
    "replied = appeal_metric_rollup.replied + excluded.replied, "
    "replied_on_time = appeal_metric_rollup.replied_on_time + excluded.replied_on_time, "
    "resolved = appeal_metric_rollup.resolved + excluded.resolved, "
    "rated = appeal_metric_rollup.rated + excluded.rated, "
    "satisfied = appeal_metric_rollup.satisfied + excluded.satisfied, "
    "unsatisfied = appeal_metric_rollup.unsatisfied + excluded.unsatisfied, "
    "rectified = appeal_metric_rollup.rectified + excluded.rectified, "
    "follow_up_visits = appeal_metric_rollup.follow_up_visits + excluded.follow_up_visits";

// Adds `sign` times the contribution to its day row and its month row.
Status ApplyContribution(Session& s, const Contribution& c, int64_t sign) {
  if (!c.counts) return {};
  for (int64_t period : {c.day, c.day / 100}) {
    Params params;
    params.reserve(5 + c.values.size());
    params.emplace_back(period);
    params.emplace_back(c.unit_id);
    params.emplace_back(std::in_place_type<std::string>, c.unit_path);
    params.emplace_back(std::in_place_type<std::string>, c.channel);
    params.emplace_back(std::in_place_type<std::string>, c.kind);
    for (int64_t value : c.values) params.emplace_back(sign * value);
    auto done = s.Execute(kApplyMetricDelta, params);
    if (!done) return std::unexpected(done.error());
  }
  return {};
}

// Moves the appeal's metrics contribution from what `before` counted to what `after` counts.
Status UpdateMetrics(Session& s, const Record& before, const Record& after) {
  Contribution old_c = ContributionOf(before);
  Contribution new_c = ContributionOf(after);
  if (old_c.counts == new_c.counts && old_c.day == new_c.day && old_c.unit_id == new_c.unit_id &&
      old_c.unit_path == new_c.unit_path && old_c.values == new_c.values) {
    return {};
  }
  if (auto ok = ApplyContribution(s, old_c, -1); !ok) return ok;
  return ApplyContribution(s, new_c, 1);
}

// Writes every mutable column and moves the metrics contribution from `before` to `rec`;
// kStaleVersion when the row's version moved meanwhile.
Status SaveRecord(Session& s, const Record& before, const Record& rec, int64_t expected_version,
                  int64_t now) {
  const AppealView& v = rec.v;
  Value rating = v.rating ? Value(std::string(RatingName(*v.rating))) : Null();
  auto changed = s.Execute(kSaveAppeal, {std::string(StateName(v.state)),
                                         int64_t{v.resolved ? 1 : 0},
                                         v.unit_id,
                                         v.unit_path,
                                         OptValue(v.merged_into),
                                         v.ack_text,
                                         v.reply_text,
                                         OptValue(v.replied_at),
                                         OptValue(v.acknowledged_at),
                                         OptValue(rec.accepted_day),
                                         rating,
                                         v.rating_comment,
                                         OptValue(v.rated_at),
                                         int64_t{rec.ever_unsatisfied ? 1 : 0},
                                         v.rectification_task,
                                         OptValue(v.rectification_deadline),
                                         v.rectification_result,
                                         OptValue(v.rectified_at),
                                         v.follow_up_count,
                                         OptValue(v.closed_at),
                                         v.reopened_count,
                                         v.reply_deadline,
                                         v.resolve_deadline,
                                         OptValue(v.due_at),
                                         OptValue(v.warn_at),
                                         OptValue(v.warned_at),
                                         OptValue(v.escalated_at),
                                         now,
                                         v.id,
                                         expected_version});
  if (!changed) return std::unexpected(changed.error());
  if (*changed != 1) {
    return MakeError(ErrorCode::kStaleVersion, "The appeal was changed meanwhile; reload it.");
  }
  return UpdateMetrics(s, before, rec);
}

// Starts a new step with deadline `due` (nullopt: none runs), warned at 80% from `from`.
void StartStep(Record& rec, std::optional<int64_t> due, int64_t from,
               const WorkingCalendar& calendar) {
  rec.v.due_at = due;
  rec.v.warn_at = due ? std::optional<int64_t>(calendar.WarningPoint(from, *due)) : std::nullopt;
  rec.v.warned_at.reset();
  rec.v.escalated_at.reset();
}

PublicAppeal ToPublic(const AppealView& v) {
  PublicAppeal p;
  p.id = v.id;
  p.tracking_number = v.tracking_number;
  p.kind = v.kind;
  p.category = v.category;
  p.state = v.state;
  p.status_notes = !v.reply_text.empty() ? v.reply_text : v.ack_text;
  bool assigned = v.state != AppealState::kSubmitted && v.state != AppealState::kAcknowledged;
  p.agency = assigned || v.replied_at ? v.unit_name : "";
  p.location = v.location;
  p.text = v.text;
  p.channel = v.channel;
  p.requested_at = v.created_at;
  p.updated_at = v.updated_at;
  if (IsOpen(v.state) && !v.replied_at) p.expected_at = v.reply_deadline;
  return p;
}

}  // namespace

AppealService::AppealService(storage::Database& database, const DataProtector& protector,
                             const Clock& clock, auth::AccessPolicy& policy, auth::AuditLog& audit)
    : database_(database), protector_(protector), clock_(clock), policy_(policy), audit_(audit) {}

void AppealService::Settle(const Actor& actor, const Gate& gate) {
  if (!gate.action) return;
  auto recorded = policy_.Check(actor, *gate.action, gate.path, gate.target);
  (void)recorded;  // a denial: the caller already returns kPermissionDenied
}

// ---------------------------------------------------------------------------------------
// Intake

Result<Receipt> AppealService::Submit(const Submission& submission,
                                      std::string_view idempotency_key) {
  return SubmitAs(submission, idempotency_key, nullptr);
}

Result<Receipt> AppealService::RecordHotlineCall(const Actor& actor, const HotlineCall& call) {
  if (!auth::AccessPolicy::Allows(actor, Action::kAppealHandle, actor.unit_path)) {
    auto denied = policy_.Check(actor, Action::kAppealHandle, actor.unit_path, "appeal:new");
    return std::unexpected(denied.error());
  }
  Submission s = call.submission;
  s.channel = Channel::kHotline;
  std::string number(Trim(call.caller_number));
  if (!number.empty() && !LooksLikePhone(number)) {
    return InvalidFields({{"caller_number", "is not a phone number"}});
  }
  s.channel_ref = number;
  if (s.citizen_phone.empty()) s.citizen_phone = number;
  return SubmitAs(s, "", &actor);
}

Result<Receipt> AppealService::RecordFromPost(const Actor& actor, const PostAppeal& post) {
  if (!auth::AccessPolicy::Allows(actor, Action::kAppealHandle, actor.unit_path)) {
    auto denied = policy_.Check(actor, Action::kAppealHandle, actor.unit_path, "appeal:new");
    return std::unexpected(denied.error());
  }
  Submission s = post.submission;
  std::vector<FieldError> errors;
  if (s.channel != Channel::kWeibo && s.channel != Channel::kForum) {
    errors.push_back({"channel", "must be weibo or forum"});
  }
  s.source_url = std::string(Trim(post.source_url));
  if (s.source_url.empty()) errors.push_back({"source_url", "is required"});
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return SubmitAs(s, "", &actor);
}

Result<Receipt> AppealService::SubmitAs(const Submission& input, std::string_view idempotency_key,
                                        const Actor* staff) {
  Submission in = input;
  std::vector<FieldError> errors;
  CheckText(errors, "text", in.text, kMaxTextChars, true, true);
  CheckText(errors, "citizen_name", in.citizen_name, kMaxNameChars, false);
  in.citizen_phone = std::string(Trim(in.citizen_phone));
  if (!in.citizen_phone.empty() && !LooksLikePhone(in.citizen_phone)) {
    errors.push_back({"citizen_phone", "is not a phone number"});
  }
  in.category = std::string(Trim(in.category));
  if (in.category.empty()) errors.push_back({"category", "is required"});
  in.location.district_code = std::string(Trim(in.location.district_code));
  const auto& code = in.location.district_code;
  if (!code.empty() && (code.size() != 6 || !std::all_of(code.begin(), code.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        }))) {
    errors.push_back({"location.district_code", "must be a 6-digit GB/T 2260 code"});
  }
  CheckText(errors, "location.address", in.location.address, kMaxAddressChars, false);
  if (in.location.latitude &&
      (!std::isfinite(*in.location.latitude) || std::abs(*in.location.latitude) > 90)) {
    errors.push_back({"location.latitude", "must be between -90 and 90"});
  }
  if (in.location.longitude &&
      (!std::isfinite(*in.location.longitude) || std::abs(*in.location.longitude) > 180)) {
    errors.push_back({"location.longitude", "must be between -180 and 180"});
  }
  if (in.location.latitude.has_value() != in.location.longitude.has_value()) {
    errors.push_back({"location.latitude", "latitude and longitude come together"});
  }
  in.source_url = std::string(Trim(in.source_url));
  if (!in.source_url.empty() &&
      (!(in.source_url.starts_with("https://") || in.source_url.starts_with("http://")) ||
       !IsValidUtf8(in.source_url) || HasControl(in.source_url, false) ||
       Utf8Length(in.source_url) > kMaxUrlChars)) {
    errors.push_back({"source_url", "must be an http(s) address"});
  }
  if (!IsValidUtf8(in.channel_ref) || in.channel_ref.size() > 512) {
    errors.push_back({"channel_ref", "must be text of at most 512 bytes"});
  }
  if (in.attachment_ids.size() > kMaxAttachments) {
    errors.push_back({"attachment_ids", "at most 5 attachments"});
  }
  std::string key(Trim(idempotency_key));
  if (key.size() > 200 || !IsValidUtf8(key)) {
    errors.push_back({"idempotency_key", "must be at most 200 characters"});
  }

  const int64_t now = clock_.NowMillis();
  const std::string scope = "appeal.submit:" + std::string(ChannelName(in.channel));
  const std::string fingerprint = Sha256Hex(std::string(KindName(in.kind)) + "\n" + in.category +
                                            "\n" + in.text + "\n" + in.channel_ref);

  auto attempt = [&]() -> Result<Receipt> {
    return database_.Write<Receipt>([&](Session& s) -> Result<Receipt> {
      std::vector<FieldError> fields = errors;
      if (!in.category.empty()) {
        auto category = s.QueryOne(kActiveCategory, {in.category});
        if (!category) return std::unexpected(category.error());
        if (!*category) fields.push_back({"category", "is not an active category"});
      }
      if (!fields.empty()) return InvalidFields(std::move(fields));

      if (!key.empty()) {
        auto stored = s.QueryOne(kFindIdempotency, {scope, key});
        if (!stored) return std::unexpected(stored.error());
        if (*stored && (*stored)->Int(1) >= now - kIdempotencyWindowMillis) {
          // "id|tracking|sealed code|submitted_at|fingerprint"
          const std::string body = (*stored)->Text(0);
          auto parts = Split(body, '|');
          if (parts.size() != 5) return MakeError(ErrorCode::kInternal, "Bad idempotency record.");
          if (parts[4] != fingerprint) {
            return MakeError(ErrorCode::kConflict,
                             "This Idempotency-Key was used for a different appeal.");
          }
          auto code = protector_.Open(parts[2]);
          if (!code) return std::unexpected(code.error());
          Receipt r;
          r.id = std::stoll(std::string(parts[0]));
          r.tracking_number = std::string(parts[1]);
          r.access_code = *code;
          r.submitted_at = std::stoll(std::string(parts[3]));
          return r;
        }
        if (*stored) {
          auto gone = s.Execute(kDeleteIdempotency, {scope, key});
          if (!gone) return std::unexpected(gone.error());
        }
      }

      // Route: the district bureau of the code; without one, a call staff record stays with
      // their own unit (so they can follow it), and anything else goes to the city bureau.
      std::optional<Row> unit;
      if (!code.empty()) {
        auto district = s.QueryOne(kFindDistrict, {code});
        if (!district) return std::unexpected(district.error());
        unit = std::move(*district);
      }
      if (!unit && staff != nullptr) {
        unit = Row({storage::Value(staff->unit_id), storage::Value(staff->unit_path)});
      }
      if (!unit) {
        auto root = s.QueryOne(kFindRoot);
        if (!root) return std::unexpected(root.error());
        if (!*root) return MakeError(ErrorCode::kUnavailable, "No city bureau is set up.");
        unit = std::move(*root);
      }
      UnitId unit_id = unit->Int(0);
      std::string unit_path = unit->Text(1);

      auto calendar = LoadCalendar(s);
      if (!calendar) return std::unexpected(calendar.error());
      auto settings = LoadSettings(s, in.kind);
      if (!settings) return std::unexpected(settings.error());
      Deadlines d = ComputeDeadlines(*calendar, *settings, now);
      int64_t warn = calendar->WarningPoint(now, d.acknowledge);

      int64_t ymd = LocalYmd(now);
      auto seq = s.Query(kNextSequence, {ymd});
      if (!seq) return std::unexpected(seq.error());
      if (seq->empty()) return MakeError(ErrorCode::kInternal, "No tracking sequence.");
      int64_t n = (*seq)[0].Int(0);
      if (n > 999'999) return MakeError(ErrorCode::kUnavailable, "Too many appeals today.");
      char number[32];
      std::snprintf(number, sizeof number, "YJ%08lld%06lld", static_cast<long long>(ymd),
                    static_cast<long long>(n));
      Receipt receipt;
      receipt.tracking_number = number;
      receipt.access_code = NewAccessCode();
      receipt.submitted_at = now;

      std::string ref_hash =
          in.channel_ref.empty()
              ? ""
              : protector_.LookupHash(std::string(ChannelName(in.channel)) + ":" + in.channel_ref);
      auto id = s.Query(kInsertAppeal,
                        {receipt.tracking_number,
                         AccessHash(protector_, receipt.tracking_number, receipt.access_code),
                         std::string(KindName(in.kind)),
                         in.category,
                         std::string(ChannelName(in.channel)),
                         in.text,
                         protector_.Seal(in.citizen_name),
                         protector_.Seal(in.citizen_phone),
                         in.citizen_phone.empty() ? "" : protector_.LookupHash(in.citizen_phone),
                         int64_t{in.publish_reply ? 1 : 0},
                         code,
                         in.location.address,
                         storage::Optional(in.location.latitude),
                         storage::Optional(in.location.longitude),
                         protector_.Seal(in.channel_ref),
                         ref_hash,
                         in.source_url,
                         unit_id,
                         unit_path,
                         d.acknowledge,
                         d.reply,
                         d.resolve,
                         d.acknowledge,
                         warn,
                         now});
      if (!id) return std::unexpected(id.error());
      receipt.id = (*id)[0].Int(0);

      EventInput event{.actor_kind = staff ? ActorKind::kStaff : ActorKind::kCitizen,
                       .actor = staff,
                       .action = "submit",
                       .to = AppealState::kSubmitted,
                       .is_public = true};
      event.data = {{"channel", ChannelName(in.channel)}};
      if (!in.attachment_ids.empty()) event.data["attachment_ids"] = in.attachment_ids;
      if (auto ok = InsertEvent(s, receipt.id, now, event); !ok) return std::unexpected(ok.error());
      if (!in.attachment_ids.empty() && photo_linker_) {
        if (auto ok = photo_linker_(s, receipt.id, in.attachment_ids); !ok) {
          return std::unexpected(ok.error());
        }
      }
      if (auto ok = Audit(audit_, s, staff, "appeal.submit", receipt.id,
                          std::string(ChannelName(in.channel)));
          !ok) {
        return std::unexpected(ok.error());
      }
      if (!key.empty()) {
        std::string body = std::to_string(receipt.id) + "|" + receipt.tracking_number + "|" +
                           protector_.Seal(receipt.access_code) + "|" + std::to_string(now) + "|" +
                           fingerprint;
        auto stored = s.Execute(kInsertIdempotency, {key, scope, body, now});
        if (!stored) return std::unexpected(stored.error());
      }
      return receipt;
    });
  };
  auto receipt = attempt();
  // A concurrent submit with the same key won the race: replay its receipt.
  if (!receipt && receipt.error().code == ErrorCode::kConflict && !key.empty() &&
      receipt.error().fields.empty() &&
      receipt.error().message.find("Idempotency-Key") == std::string::npos) {
    receipt = attempt();
  }
  return receipt;
}

Result<std::optional<Receipt>> AppealService::FindOpenByChannelRef(Channel channel,
                                                                   std::string_view channel_ref,
                                                                   int64_t since_millis) {
  if (channel_ref.empty()) return std::optional<Receipt>();
  std::string hash =
      protector_.LookupHash(std::string(ChannelName(channel)) + ":" + std::string(channel_ref));
  return database_.Read<std::optional<Receipt>>([&](Session& s) -> Result<std::optional<Receipt>> {
    auto row = s.QueryOne(std::string(kOpenByChannelRef),
                          {hash, std::string(ChannelName(channel)), since_millis});
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<Receipt>();
    auto rec = LoadRecord(s, (*row)->Int(0), protector_);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return std::optional<Receipt>();
    // The access code is known only to the citizen; channels thread by number.
    return std::optional<Receipt>(
        Receipt{(*rec)->v.id, (*rec)->v.tracking_number, "", (*rec)->v.created_at});
  });
}

Status AppealService::AddCitizenMessage(AppealId id, std::string_view text) {
  std::string message(text);
  if (auto ok = CheckRequiredText("text", message, kMaxTextChars); !ok) return ok;
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](Session& s) -> Status {
    auto rec = LoadRecord(s, id, protector_);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return MakeError(ErrorCode::kNotFound, "Appeal not found.");
    if ((*rec)->v.state == AppealState::kMerged && (*rec)->v.merged_into) {
      rec = LoadRecord(s, *(*rec)->v.merged_into, protector_);
      if (!rec) return std::unexpected(rec.error());
      if (!*rec) return MakeError(ErrorCode::kNotFound, "Appeal not found.");
    }
    Record& r = **rec;
    auto next = Transition(r.v.state, WorkflowAction::kCitizenMessage);
    if (!next) return std::unexpected(next.error());
    if (auto ok = SaveRecord(s, r, r, r.v.version, now); !ok) return ok;
    EventInput event{.actor_kind = ActorKind::kCitizen,
                     .action = "citizen_message",
                     .from = r.v.state,
                     .to = r.v.state,
                     .is_public = true,
                     .note = message};
    if (auto ok = InsertEvent(s, r.v.id, now, event); !ok) return ok;
    return Audit(audit_, s, nullptr, "appeal.citizen_message", r.v.id);
  });
}

Result<PublicAppeal> AppealService::GetPublic(AppealId id) {
  return database_.Read<PublicAppeal>([&](Session& s) -> Result<PublicAppeal> {
    auto rec = LoadRecord(s, id, protector_);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return NotFound<PublicAppeal>("Appeal");
    return ToPublic((*rec)->v);
  });
}

Result<std::vector<PublicAppeal>> AppealService::ListPublic(const PublicQuery& query) {
  std::string sql = std::string(kAppealColumns) + "WHERE 1 = 1 ";
  Params params;
  auto add = [&](Value v) {
    params.push_back(std::move(v));
    return Placeholder(params.size());
  };
  if (!query.ids.empty()) {
    sql += "AND a.id IN (";
    for (size_t i = 0; i < query.ids.size(); ++i) {
      if (i) sql += ", ";
      sql += "CAST(" + add(query.ids[i]) + " AS BIGINT)";
    }
    sql += ") ";
  }
  if (query.category) sql += "AND a.category = " + add(*query.category) + " ";
  if (query.kind) sql += "AND a.kind = " + add(std::string(KindName(*query.kind))) + " ";
  if (query.channel)
    sql += "AND a.channel = " + add(std::string(ChannelName(*query.channel))) + " ";
  if (query.open) {
    sql += *query.open ? "AND a.state NOT IN ('closed', 'merged') "
                       : "AND a.state IN ('closed', 'merged') ";
  }
  if (query.from_millis)
    sql += "AND a.created_at >= CAST(" + add(*query.from_millis) + " AS BIGINT) ";
  if (query.to_millis) sql += "AND a.created_at < CAST(" + add(*query.to_millis) + " AS BIGINT) ";
  int64_t limit = std::clamp<int64_t>(query.limit, 1, 10'000);
  sql += "ORDER BY a.created_at DESC, a.id DESC LIMIT CAST(" + add(limit) + " AS BIGINT)";
  return database_.Read<std::vector<PublicAppeal>>(
      [&](Session& s) -> Result<std::vector<PublicAppeal>> {
        auto rows = s.Query(sql, params);
        if (!rows) return std::unexpected(rows.error());
        std::vector<PublicAppeal> out;
        for (const auto& r : *rows) out.push_back(ToPublic(RecordFromRow(r, protector_).v));
        return out;
      });
}

namespace {

constexpr std::string_view kCategoryColumns =
    "SELECT code, name, description, active, sort_order FROM appeal_categories ";

Category CategoryFromRow(const Row& r) {
  return Category{r.Text(0), r.Text(1), r.Text(2), r.Bool(3), static_cast<int>(r.Int(4))};
}

}  // namespace

Result<std::vector<Category>> AppealService::Categories() {
  return database_.Read<std::vector<Category>>([&](Session& s) -> Result<std::vector<Category>> {
    auto rows =
        s.Query(std::string(kCategoryColumns) + "WHERE active = 1 ORDER BY sort_order, code");
    if (!rows) return std::unexpected(rows.error());
    std::vector<Category> out;
    for (const auto& r : *rows) out.push_back(CategoryFromRow(r));
    return out;
  });
}

// ---------------------------------------------------------------------------------------
// Staff workflow

// What an action's body adds to the timeline and audit entries.
struct StepOutcome {
  bool is_public = false;
  std::string note;
  Json data = Json::object();
  std::optional<UnitId> notify_unit;  // a new-assignment notification for this unit
};

template <class Fn>
Result<AppealView> AppealService::Act(const Actor& actor, AppealId id,
                                      std::optional<int64_t> version, Action action,
                                      WorkflowAction step, Fn&& fn) {
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<AppealView>([&](Session& s) -> Result<AppealView> {
    auto loaded = LoadRecord(s, id, protector_);
    if (!loaded) return std::unexpected(loaded.error());
    if (!*loaded) return NotFound<AppealView>("Appeal");
    Record& rec = **loaded;
    if (auto ok = gate.Require(actor, action, rec.v.unit_path, AppealTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    if (version && *version != rec.v.version) {
      return MakeError(ErrorCode::kStaleVersion, "The appeal was changed meanwhile; reload it.");
    }
    auto next = Transition(rec.v.state, step);
    if (!next) return std::unexpected(next.error());
    const int64_t stored_version = rec.v.version;
    const AppealState from = rec.v.state;
    const Record before = rec;
    StepOutcome outcome;
    Status applied = fn(s, gate, rec, outcome, now);
    if (!applied) return std::unexpected(applied.error());
    rec.v.state = *next;
    if (auto ok = SaveRecord(s, before, rec, stored_version, now); !ok) {
      return std::unexpected(ok.error());
    }
    EventInput event{.actor_kind = ActorKind::kStaff,
                     .actor = &actor,
                     .action = std::string(WorkflowActionName(step)),
                     .from = from,
                     .to = *next,
                     .is_public = outcome.is_public,
                     .note = outcome.note,
                     .data = outcome.data};
    if (auto ok = InsertEvent(s, id, now, event); !ok) return std::unexpected(ok.error());
    if (outcome.notify_unit) {
      if (auto ok = Notify(s, std::nullopt, outcome.notify_unit, NotificationKind::kNewAssignment,
                           id, rec.v.tracking_number, now);
          !ok) {
        return std::unexpected(ok.error());
      }
    }
    if (auto ok = Audit(audit_, s, &actor, "appeal." + std::string(WorkflowActionName(step)), id);
        !ok) {
      return std::unexpected(ok.error());
    }
    auto fresh = LoadRecord(s, id, protector_);
    if (!fresh) return std::unexpected(fresh.error());
    return (*fresh)->v;
  });
  Settle(actor, gate);
  return result;
}

namespace {

// The unit an appeal may be assigned or transferred to by `actor`: active and in the actor's
// subtree (or, when `allow_parent`, the parent of the actor's unit).
Result<UnitRow> TargetUnit(Session& s, AppealService::Gate& gate, const Actor& actor,
                           UnitId unit_id, Action action, bool allow_parent) {
  auto unit = FindUnit(s, unit_id);
  if (!unit) return std::unexpected(unit.error());
  if (!*unit || !(*unit)->active) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                 "Some fields are invalid.",
                                 {{"unit_id", "is not an active unit"}}});
  }
  bool is_parent = false;
  if (allow_parent) {
    auto own = FindUnit(s, actor.unit_id);
    if (!own) return std::unexpected(own.error());
    is_parent = *own && (*own)->parent_id == (*unit)->id;
  }
  if (!is_parent) {
    if (auto ok = gate.Require(actor, action, (*unit)->path, "unit:" + std::to_string(unit_id));
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  return **unit;
}

}  // namespace

Result<AppealView> AppealService::Acknowledge(const Actor& actor, AppealId id, int64_t version,
                                              std::string_view public_text) {
  std::string text(public_text);
  if (auto ok = CheckRequiredText("text", text, kMaxReplyChars); !ok) {
    return std::unexpected(ok.error());
  }
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kAcknowledge,
             [&](Session& s, Gate&, Record& rec, StepOutcome& out, int64_t now) -> Status {
               auto calendar = LoadCalendar(s);
               if (!calendar) return std::unexpected(calendar.error());
               rec.v.ack_text = text;
               rec.v.acknowledged_at = now;
               rec.accepted_day = LocalYmd(now);
               StartStep(rec, rec.v.reply_deadline, rec.v.created_at, *calendar);
               out.is_public = true;
               out.note = text;
               out.data = {{"on_time", now <= rec.v.ack_deadline}};
               return {};
             });
}

Result<AppealView> AppealService::Assign(const Actor& actor, AppealId id, int64_t version,
                                         UnitId unit_id, std::string_view note) {
  std::string text(note);
  std::vector<FieldError> errors;
  CheckText(errors, "note", text, kMaxNoteChars, false, true);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kAssign,
             [&](Session& s, Gate& gate, Record& rec, StepOutcome& out, int64_t) -> Status {
               auto unit = TargetUnit(s, gate, actor, unit_id, Action::kAppealHandle, false);
               if (!unit) return std::unexpected(unit.error());
               out.data = {{"from_unit_id", rec.v.unit_id},
                           {"to_unit_id", unit->id},
                           {"to_unit_name", unit->name}};
               rec.v.unit_id = unit->id;
               rec.v.unit_path = unit->path;
               out.note = text;
               out.notify_unit = unit->id;
               return {};
             });
}

Result<AppealView> AppealService::Transfer(const Actor& actor, AppealId id, int64_t version,
                                           UnitId unit_id, std::string_view reason) {
  std::string text(reason);
  if (auto ok = CheckRequiredText("reason", text, kMaxNoteChars); !ok) {
    return std::unexpected(ok.error());
  }
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kTransfer,
             [&](Session& s, Gate& gate, Record& rec, StepOutcome& out, int64_t) -> Status {
               auto unit = TargetUnit(s, gate, actor, unit_id, Action::kAppealHandle, true);
               if (!unit) return std::unexpected(unit.error());
               if (unit->id == rec.v.unit_id) {
                 return InvalidFields({{"unit_id", "is already the handling unit"}});
               }
               out.data = {{"from_unit_id", rec.v.unit_id},
                           {"to_unit_id", unit->id},
                           {"to_unit_name", unit->name}};
               rec.v.unit_id = unit->id;
               rec.v.unit_path = unit->path;
               out.note = text;
               out.notify_unit = unit->id;
               return {};
             });
}

Result<AppealView> AppealService::Verify(const Actor& actor, AppealId id, int64_t version,
                                         std::string_view notes,
                                         const std::vector<int64_t>& photo_ids) {
  std::string text(notes);
  if (auto ok = CheckRequiredText("notes", text, kMaxNoteChars); !ok) {
    return std::unexpected(ok.error());
  }
  if (photo_ids.size() > kMaxAttachments) {
    return InvalidFields({{"photo_ids", "at most 5 photos"}});
  }
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kVerify,
             [&](Session& s, Gate&, Record&, StepOutcome& out, int64_t) -> Status {
               out.note = text;
               out.data = {{"photo_ids", photo_ids}};
               if (!photo_ids.empty() && photo_linker_) return photo_linker_(s, id, photo_ids);
               return {};
             });
}

Result<AppealView> AppealService::Reply(const Actor& actor, AppealId id, int64_t version,
                                        std::string_view public_text) {
  std::string text(public_text);
  if (auto ok = CheckRequiredText("text", text, kMaxReplyChars); !ok) {
    return std::unexpected(ok.error());
  }
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kReply,
             [&](Session& s, Gate&, Record& rec, StepOutcome& out, int64_t now) -> Status {
               rec.v.reply_text = text;
               rec.v.replied_at = now;
               rec.v.due_at.reset();
               rec.v.warn_at.reset();
               out.is_public = true;
               out.note = text;
               out.data = {{"on_time", now <= rec.v.reply_deadline}};
               if (!reply_notifier_) return {};
               auto ref = s.QueryOne(kChannelRefOf, {id});
               if (!ref) return std::unexpected(ref.error());
               ReplyNotice notice{
                   .id = id,
                   .tracking_number = rec.v.tracking_number,
                   .channel = rec.v.channel,
                   .channel_ref = *ref ? OpenSealed(protector_, (*ref)->Text(0)) : std::string(),
                   .phone = OpenSealed(protector_, rec.phone_sealed),
                   .reply_text = text};
               return reply_notifier_(s, notice);
             });
}

Result<AppealView> AppealService::AddNote(const Actor& actor, AppealId id, std::string_view note) {
  std::string text(note);
  if (auto ok = CheckRequiredText("note", text, kMaxNoteChars); !ok) {
    return std::unexpected(ok.error());
  }
  return Act(actor, id, std::nullopt, Action::kAppealHandle, WorkflowAction::kAddNote,
             [&](Session&, Gate&, Record&, StepOutcome& out, int64_t) -> Status {
               out.note = text;
               return {};
             });
}

Result<AppealView> AppealService::SetRectification(const Actor& actor, AppealId id,
                                                   const RectificationTask& task) {
  std::string text = task.task;
  std::vector<FieldError> errors;
  CheckText(errors, "task", text, kMaxNoteChars, true, true);
  if (task.deadline <= clock_.NowMillis()) errors.push_back({"deadline", "must be in the future"});
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return Act(actor, id, task.version, Action::kAppealHandle, WorkflowAction::kSetRectification,
             [&](Session& s, Gate&, Record& rec, StepOutcome& out, int64_t now) -> Status {
               auto calendar = LoadCalendar(s);
               if (!calendar) return std::unexpected(calendar.error());
               rec.v.rectification_task = text;
               rec.v.rectification_deadline = task.deadline;
               StartStep(rec, task.deadline, now, *calendar);
               out.note = text;
               out.data = {{"deadline", task.deadline}};
               return {};
             });
}

Result<AppealView> AppealService::CompleteRectification(const Actor& actor, AppealId id,
                                                        int64_t version, std::string_view result) {
  std::string text(result);
  if (auto ok = CheckRequiredText("result", text, kMaxNoteChars); !ok) {
    return std::unexpected(ok.error());
  }
  return Act(actor, id, version, Action::kAppealHandle, WorkflowAction::kCompleteRectification,
             [&](Session&, Gate&, Record& rec, StepOutcome& out, int64_t now) -> Status {
               if (rec.v.rectification_task.empty()) {
                 return MakeError(ErrorCode::kConflict,
                                  "Set the rectification task before completing it.");
               }
               rec.v.rectification_result = text;
               rec.v.rectified_at = now;
               rec.v.due_at.reset();
               rec.v.warn_at.reset();
               out.note = text;
               out.is_public = true;
               return {};
             });
}

Result<AppealView> AppealService::RecordFollowUp(const Actor& actor, AppealId id,
                                                 const FollowUpVisit& visit) {
  FollowUpVisit v = visit;
  std::vector<FieldError> errors;
  CheckText(errors, "channel", v.channel, 32, true);
  CheckText(errors, "visited_by", v.visited_by, kMaxNameChars, true);
  CheckText(errors, "citizen_view", v.citizen_view, kMaxNoteChars, true, true);
  if (v.visited_at <= 0 || v.visited_at > clock_.NowMillis()) {
    errors.push_back({"visited_at", "must not be in the future"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return Act(actor, id, v.version, Action::kAppealHandle, WorkflowAction::kRecordFollowUp,
             [&](Session&, Gate&, Record& rec, StepOutcome& out, int64_t now) -> Status {
               rec.v.follow_up_count += 1;
               rec.v.closed_at = now;
               rec.v.resolved = true;
               rec.v.due_at.reset();
               rec.v.warn_at.reset();
               out.note = v.citizen_view;
               out.data = {{"channel", v.channel},
                           {"visited_at", v.visited_at},
                           {"visited_by", v.visited_by}};
               return {};
             });
}

Result<AppealView> AppealService::Merge(const Actor& actor, AppealId id, int64_t version,
                                        AppealId original_id) {
  if (original_id == id) return InvalidFields({{"original_id", "must be another appeal"}});
  return Act(actor, id, version, Action::kAppealSupervise, WorkflowAction::kMerge,
             [&](Session& s, Gate& gate, Record& rec, StepOutcome& out, int64_t) -> Status {
               auto original = LoadRecord(s, original_id, protector_);
               if (!original) return std::unexpected(original.error());
               if (!*original) {
                 return InvalidFields({{"original_id", "is not an appeal"}});
               }
               if (auto ok = gate.Require(actor, Action::kAppealSupervise, (*original)->v.unit_path,
                                          AppealTarget(original_id));
                   !ok) {
                 return ok;
               }
               if (!IsOpen((*original)->v.state)) {
                 return MakeError(ErrorCode::kConflict,
                                  "An appeal can only be merged into an open one.");
               }
               rec.v.merged_into = original_id;
               rec.v.due_at.reset();
               rec.v.warn_at.reset();
               out.is_public = true;
               out.data = {{"original_id", original_id},
                           {"original_tracking_number", (*original)->v.tracking_number}};
               return {};
             });
}

Result<BulkAssignResult> AppealService::BulkAssign(const Actor& actor,
                                                   const std::vector<AppealId>& ids,
                                                   UnitId unit_id) {
  if (ids.empty() || static_cast<int64_t>(ids.size()) > kMaxBulk) {
    return InvalidFields({{"ids", "must list 1 to 100 appeals"}});
  }
  // Supervision of the target unit is the gate for the whole batch.
  Gate gate;
  auto allowed = database_.Read<UnitRow>([&](Session& s) -> Result<UnitRow> {
    return TargetUnit(s, gate, actor, unit_id, Action::kAppealSupervise, false);
  });
  Settle(actor, gate);
  if (!allowed) return std::unexpected(allowed.error());
  BulkAssignResult out;
  for (AppealId id : ids) {
    auto done = Act(actor, id, std::nullopt, Action::kAppealSupervise, WorkflowAction::kAssign,
                    [&](Session&, Gate&, Record& rec, StepOutcome& o, int64_t) -> Status {
                      o.data = {{"from_unit_id", rec.v.unit_id},
                                {"to_unit_id", allowed->id},
                                {"to_unit_name", allowed->name},
                                {"bulk", true}};
                      rec.v.unit_id = allowed->id;
                      rec.v.unit_path = allowed->path;
                      o.notify_unit = allowed->id;
                      return {};
                    });
    if (done) {
      out.assigned.push_back(id);
    } else {
      out.failed.emplace_back(id, done.error());
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Reading

Result<AppealDetail> AppealService::Get(const Actor& actor, AppealId id) {
  Gate gate;
  auto result = database_.Read<AppealDetail>([&](Session& s) -> Result<AppealDetail> {
    auto rec = LoadRecord(s, id, protector_);
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return NotFound<AppealDetail>("Appeal");
    if (auto ok = gate.Require(actor, Action::kAppealRead, (*rec)->v.unit_path, AppealTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto timeline = LoadTimeline(s, id, false);
    if (!timeline) return std::unexpected(timeline.error());
    return AppealDetail{std::move((*rec)->v), std::move(*timeline)};
  });
  Settle(actor, gate);
  return result;
}

Result<Contact> AppealService::RevealContact(const Actor& actor, AppealId id) {
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<Contact>([&](Session& s) -> Result<Contact> {
    auto row = s.QueryOne(kContact, {id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return NotFound<Contact>("Appeal");
    if (auto ok =
            gate.Require(actor, Action::kAppealRevealContact, (*row)->Text(2), AppealTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    Contact contact;
    if (auto name = (*row)->Text(0); !name.empty()) {
      auto plain = protector_.Open(name);
      if (!plain) return std::unexpected(plain.error());
      contact.name = *plain;
    }
    if (auto phone = (*row)->Text(1); !phone.empty()) {
      auto plain = protector_.Open(phone);
      if (!plain) return std::unexpected(plain.error());
      contact.phone = *plain;
    }
    EventInput event{.actor_kind = ActorKind::kStaff, .actor = &actor, .action = "reveal_contact"};
    if (auto ok = InsertEvent(s, id, now, event); !ok) return std::unexpected(ok.error());
    if (auto ok = Audit(audit_, s, &actor, "appeal.reveal_contact", id); !ok) {
      return std::unexpected(ok.error());
    }
    return contact;
  });
  Settle(actor, gate);
  return result;
}

Result<Page<AppealView>> AppealService::Search(const Actor& actor, const AppealFilter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxExportRows || filter.offset < 0) {
    return InvalidFields({{"page_size", "out of range"}});
  }
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Read<Page<AppealView>>([&](Session& s) -> Result<Page<AppealView>> {
    std::string scope = actor.unit_path;
    std::string target = "unit:" + std::to_string(actor.unit_id);
    if (filter.unit_id) {
      auto unit = FindUnit(s, *filter.unit_id);
      if (!unit) return std::unexpected(unit.error());
      if (!*unit) return NotFound<Page<AppealView>>("Unit");
      scope = (*unit)->path;
      target = "unit:" + std::to_string(*filter.unit_id);
    }
    if (auto ok = gate.Require(actor, Action::kAppealRead, scope, target); !ok) {
      return std::unexpected(ok.error());
    }
    if (filter.escalated) {
      if (auto ok = gate.Require(actor, Action::kAppealSupervise, scope, target); !ok) {
        return std::unexpected(ok.error());
      }
    }
    Params params;
    auto add = [&](Value v) {
      params.push_back(std::move(v));
      return Placeholder(params.size());
    };
    // The city's subtree holds every appeal: SQLite does better walking an index in the
    // list's order and stopping after a page than reading the subtree's index and then
    // sorting all of it, so the unit_path index is kept out of the plan ('+'). A district
    // holds a few percent, where the subtree index wins (measured on 1M appeals).
    const bool broad = std::count(scope.begin(), scope.end(), '/') <= 2;
    const std::string column =
        broad && s.dialect() == storage::Dialect::kSqlite ? "+a.unit_path" : "a.unit_path";
    std::string where = "WHERE " + SubtreeCondition(s.dialect(), column, scope, params) + " ";
    if (!filter.states.empty()) {
      where += "AND a.state IN (";
      for (size_t i = 0; i < filter.states.size(); ++i) {
        if (i) where += ", ";
        where += add(std::string(StateName(filter.states[i])));
      }
      where += ") ";
    }
    if (filter.kind) where += "AND a.kind = " + add(std::string(KindName(*filter.kind))) + " ";
    if (filter.category) where += "AND a.category = " + add(*filter.category) + " ";
    if (filter.channel) {
      where += "AND a.channel = " + add(std::string(ChannelName(*filter.channel))) + " ";
    }
    if (filter.overdue || filter.warning || filter.escalated) {
      where += "AND a.state NOT IN ('closed', 'merged') ";
    }
    if (filter.overdue) {
      where += "AND a.due_at IS NOT NULL AND a.due_at <= CAST(" + add(now) + " AS BIGINT) ";
    }
    if (filter.warning) {
      std::string n = add(now);
      where +=
          "AND a.warn_at <= CAST(" + n + " AS BIGINT) AND a.due_at > CAST(" + n + " AS BIGINT) ";
    }
    if (filter.escalated) where += "AND a.escalated_at IS NOT NULL ";
    if (filter.from_millis) {
      where += "AND a.created_at >= CAST(" + add(*filter.from_millis) + " AS BIGINT) ";
    }
    if (filter.to_millis) {
      where += "AND a.created_at < CAST(" + add(*filter.to_millis) + " AS BIGINT) ";
    }
    if (filter.q && !filter.q->empty()) {
      const std::string& q = *filter.q;
      if (LooksLikeTrackingNumber(q)) {
        // Staff paste a citizen's tracking number: find that appeal, not texts quoting it.
        where += "AND a.tracking_number = " + add(ToUpperAscii(q)) + " ";
      } else if (s.dialect() == storage::Dialect::kSqlite && Utf8Length(q) >= 3) {
        where += "AND a.id IN (SELECT rowid FROM appeals_fts WHERE appeals_fts MATCH " +
                 add(FtsPhrase(q)) + ") ";
      } else {
        std::string p = add(EscapeLike(q));
        where += "AND (a.text LIKE '%' || CAST(" + p + " AS TEXT) || '%' ESCAPE '\\' OR " +
                 "a.reply_text LIKE '%' || CAST(" + p + " AS TEXT) || '%' ESCAPE '\\') ";
      }
    }
    Page<AppealView> page;
    auto count = s.QueryOne(filter.exact_total
                                ? "SELECT COUNT(*) FROM appeals a " + where
                                : "SELECT COUNT(*) FROM (SELECT 1 FROM appeals a " + where +
                                      "LIMIT " + std::to_string(kInboxCountCap + 1) + ") capped",
                            params);
    if (!count) return std::unexpected(count.error());
    page.total = *count ? (*count)->Int(0) : 0;
    if (!filter.exact_total && page.total > kInboxCountCap) {
      page.total = kInboxCountCap;
      page.total_capped = true;
    }
    std::string order;
    switch (filter.sort) {
      case SortOrder::kNewest:
        order = "ORDER BY a.created_at DESC, a.id DESC ";
        break;
      case SortOrder::kOldest:
        order = "ORDER BY a.created_at, a.id ";
        break;
      case SortOrder::kDueSoonest:
        order = "ORDER BY (CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END), a.due_at, a.id ";
        break;
      case SortOrder::kRecentlyUpdated:
        order = "ORDER BY a.updated_at DESC, a.id DESC ";
        break;
    }
    std::string limit = add(filter.limit);
    std::string offset = add(filter.offset);
    auto rows = s.Query(std::string(kAppealColumns) + where + order + "LIMIT CAST(" + limit +
                            " AS BIGINT) OFFSET CAST(" + offset + " AS BIGINT)",
                        params);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) page.items.push_back(RecordFromRow(r, protector_).v);
    return page;
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// The citizen

namespace {

// The appeal a tracking number and access code open, following a merge to the original.
// kNotFound when either is wrong (the two cases look alike).
Result<std::pair<Record, std::optional<std::string>>> OpenTracked(Session& s,
                                                                  const DataProtector& protector,
                                                                  std::string_view tracking_number,
                                                                  std::string_view access_code) {
  std::string number = Upper(tracking_number);
  std::string code = Upper(access_code);
  auto row = s.QueryOne(kByTracking, {number});
  if (!row) return std::unexpected(row.error());
  auto not_found = [] {
    return MakeError(ErrorCode::kNotFound, "No appeal with that number and access code.");
  };
  if (!*row) return not_found();
  auto rec = LoadRecord(s, (*row)->Int(0), protector);
  if (!rec) return std::unexpected(rec.error());
  if (!*rec || !ConstantTimeEquals((*rec)->access_code_hash, AccessHash(protector, number, code))) {
    return not_found();
  }
  std::optional<std::string> merged_from;
  if ((*rec)->v.state == AppealState::kMerged && (*rec)->v.merged_into) {
    // A chain of merges is followed a few steps at most.
    for (int hops = 0; hops < 5 && (*rec)->v.state == AppealState::kMerged && (*rec)->v.merged_into;
         ++hops) {
      auto original = LoadRecord(s, *(*rec)->v.merged_into, protector);
      if (!original) return std::unexpected(original.error());
      if (!*original) return not_found();
      merged_from = (*original)->v.tracking_number;
      rec = std::move(original);
    }
  }
  return std::pair<Record, std::optional<std::string>>(std::move(**rec), merged_from);
}

Result<TrackView> BuildTrack(Session& s, const Record& rec,
                             const std::optional<std::string>& merged_into, int64_t now) {
  TrackView view;
  view.appeal = ToPublic(rec.v);
  view.reply_text = rec.v.reply_text;
  view.rating = rec.v.rating;
  view.can_rate = rec.v.state == AppealState::kReplied;
  view.can_reopen = rec.v.state == AppealState::kClosed && rec.v.closed_at &&
                    now - *rec.v.closed_at <= kReopenWindowDays * kMillisPerDayLocal;
  view.merged_into_tracking_number = merged_into;
  auto timeline = LoadTimeline(s, rec.v.id, true);
  if (!timeline) return std::unexpected(timeline.error());
  view.timeline = std::move(*timeline);
  return view;
}

}  // namespace

Result<TrackView> AppealService::Track(std::string_view tracking_number,
                                       std::string_view access_code) {
  const int64_t now = clock_.NowMillis();
  return database_.Read<TrackView>([&](Session& s) -> Result<TrackView> {
    auto opened = OpenTracked(s, protector_, tracking_number, access_code);
    if (!opened) return std::unexpected(opened.error());
    return BuildTrack(s, opened->first, opened->second, now);
  });
}

Result<TrackView> AppealService::Rate(std::string_view tracking_number,
                                      std::string_view access_code, Rating rating,
                                      std::string_view comment) {
  return CitizenAct(tracking_number, access_code, RateAction(rating), rating, comment);
}

Result<TrackView> AppealService::Reopen(std::string_view tracking_number,
                                        std::string_view access_code, std::string_view reason) {
  return CitizenAct(tracking_number, access_code, WorkflowAction::kReopen, std::nullopt, reason);
}

Result<TrackView> AppealService::CitizenAct(std::string_view tracking_number,
                                            std::string_view access_code, WorkflowAction step,
                                            std::optional<Rating> rating, std::string_view text) {
  std::string note(text);
  std::vector<FieldError> errors;
  bool reopening = step == WorkflowAction::kReopen;
  CheckText(errors, reopening ? "reason" : "comment", note,
            reopening ? kMaxNoteChars : kMaxCommentChars, reopening, true);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  return database_.Write<TrackView>([&](Session& s) -> Result<TrackView> {
    auto opened = OpenTracked(s, protector_, tracking_number, access_code);
    if (!opened) return std::unexpected(opened.error());
    Record& rec = opened->first;
    auto next = Transition(rec.v.state, step);
    if (!next) return std::unexpected(next.error());
    const AppealState from = rec.v.state;
    const int64_t stored_version = rec.v.version;
    const Record before = rec;
    auto calendar = LoadCalendar(s);
    if (!calendar) return std::unexpected(calendar.error());
    auto settings = LoadSettings(s, rec.v.kind);
    if (!settings) return std::unexpected(settings.error());
    EventInput event{.actor_kind = ActorKind::kCitizen,
                     .action = std::string(WorkflowActionName(step)),
                     .from = from,
                     .to = *next,
                     .is_public = true,
                     .note = note};
    std::optional<UnitId> notify;
    if (rating) {
      rec.v.rating = *rating;
      rec.v.rating_comment = note;
      rec.v.rated_at = now;
      event.data = {{"rating", RatingName(*rating)}};
      if (*rating == Rating::kUnsatisfied) {
        rec.ever_unsatisfied = true;
        int64_t deadline = calendar->AddWorkingDays(now, settings->resolve_working_days);
        rec.v.rectification_deadline = deadline;
        rec.v.rectification_task.clear();
        rec.v.rectification_result.clear();
        rec.v.rectified_at.reset();
        StartStep(rec, deadline, now, *calendar);
        notify = rec.v.unit_id;
      } else {
        rec.v.resolved = true;
        rec.v.closed_at = now;
        StartStep(rec, std::nullopt, now, *calendar);
      }
    } else {
      if (!rec.v.closed_at || now - *rec.v.closed_at > kReopenWindowDays * kMillisPerDayLocal) {
        return MakeError(ErrorCode::kConflict, "The reopen window of 15 days has passed.");
      }
      rec.v.resolved = false;
      rec.v.closed_at.reset();
      rec.v.reopened_count += 1;
      rec.v.replied_at.reset();
      rec.v.rating.reset();
      rec.v.rated_at.reset();
      rec.v.rating_comment.clear();
      rec.v.reply_deadline = calendar->AddWorkingDays(now, settings->reply_working_days);
      rec.v.resolve_deadline = calendar->AddWorkingDays(now, settings->resolve_working_days);
      StartStep(rec, rec.v.reply_deadline, now, *calendar);
      notify = rec.v.unit_id;
    }
    rec.v.state = *next;
    if (auto ok = SaveRecord(s, before, rec, stored_version, now); !ok) {
      return std::unexpected(ok.error());
    }
    if (auto ok = InsertEvent(s, rec.v.id, now, event); !ok) return std::unexpected(ok.error());
    if (notify) {
      if (auto ok = Notify(s, std::nullopt, notify, NotificationKind::kNewAssignment, rec.v.id,
                           rec.v.tracking_number, now);
          !ok) {
        return std::unexpected(ok.error());
      }
    }
    if (auto ok = Audit(audit_, s, nullptr, "appeal." + event.action, rec.v.id); !ok) {
      return std::unexpected(ok.error());
    }
    auto fresh = LoadRecord(s, rec.v.id, protector_);
    if (!fresh) return std::unexpected(fresh.error());
    return BuildTrack(s, **fresh, opened->second, now);
  });
}

Result<std::vector<PublicAppeal>> AppealService::Similar(std::string_view district_code,
                                                         std::string_view category,
                                                         std::string_view q, int64_t limit) {
  std::string sql = std::string(kAppealColumns) + "WHERE a.state NOT IN ('closed', 'merged') ";
  Params params;
  auto add = [&](Value v) {
    params.push_back(std::move(v));
    return Placeholder(params.size());
  };
  if (!district_code.empty())
    sql += "AND a.district_code = " + add(std::string(district_code)) + " ";
  if (!category.empty()) sql += "AND a.category = " + add(std::string(category)) + " ";
  std::string query(Trim(q));
  if (!query.empty()) {
    sql +=
        "AND a.text LIKE '%' || CAST(" + add(EscapeLike(query)) + " AS TEXT) || '%' ESCAPE '\\' ";
  }
  sql += "ORDER BY a.created_at DESC, a.id DESC LIMIT CAST(" +
         add(std::clamp<int64_t>(limit, 1, 20)) + " AS BIGINT)";
  return database_.Read<std::vector<PublicAppeal>>(
      [&](Session& s) -> Result<std::vector<PublicAppeal>> {
        auto rows = s.Query(sql, params);
        if (!rows) return std::unexpected(rows.error());
        std::vector<PublicAppeal> out;
        for (const auto& r : *rows) {
          PublicAppeal p = ToPublic(RecordFromRow(r, protector_).v);
          p.text = ScrubDigits(p.text);
          p.location.address.clear();  // a neighbour's address is not for strangers
          p.location.latitude.reset();
          p.location.longitude.reset();
          out.push_back(std::move(p));
        }
        return out;
      });
}

Result<Page<WallEntry>> AppealService::Wall(const WallQuery& query) {
  std::string where =
      "WHERE a.publish_reply = 1 AND a.replied_at IS NOT NULL AND a.state <> 'merged' ";
  Params params;
  auto add = [&](Value v) {
    params.push_back(std::move(v));
    return Placeholder(params.size());
  };
  if (query.district_code) where += "AND a.district_code = " + add(*query.district_code) + " ";
  if (query.category) where += "AND a.category = " + add(*query.category) + " ";
  return database_.Read<Page<WallEntry>>([&](Session& s) -> Result<Page<WallEntry>> {
    Page<WallEntry> page;
    auto count = s.QueryOne("SELECT COUNT(*) FROM appeals a " + where, params);
    if (!count) return std::unexpected(count.error());
    page.total = *count ? (*count)->Int(0) : 0;
    Params p = params;
    std::string sql =
        "SELECT a.tracking_number, a.kind, a.category, a.district_code, a.text, "
        "a.reply_text, u.name, a.created_at, a.replied_at FROM appeals a JOIN "
        "units u ON u.id = a.unit_id " +
        where + "ORDER BY a.replied_at DESC, a.id DESC LIMIT CAST($" +
        std::to_string(p.size() + 1) + " AS BIGINT) OFFSET CAST($" + std::to_string(p.size() + 2) +
        " AS BIGINT)";
    p.push_back(std::clamp<int64_t>(query.limit, 1, 100));
    p.push_back(std::max<int64_t>(query.offset, 0));
    auto rows = s.Query(sql, p);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      WallEntry e;
      e.tracking_number = r.Text(0);
      ParseKind(r.Text(1), e.kind);
      e.category = r.Text(2);
      e.district_code = r.Text(3);
      e.text = ScrubDigits(r.Text(4));
      e.reply_text = ScrubDigits(r.Text(5));
      e.unit_name = r.Text(6);
      e.requested_at = r.Int(7);
      e.replied_at = r.Int(8);
      page.items.push_back(std::move(e));
    }
    return page;
  });
}

// ---------------------------------------------------------------------------------------
// Saved views

namespace {

constexpr std::string_view kListViews =
    "SELECT id, name, filter, created_at FROM saved_views WHERE account_id = $1 ORDER BY name";
constexpr std::string_view kCountViews = "SELECT COUNT(*) FROM saved_views WHERE account_id = $1";
constexpr std::string_view kInsertView =
    "INSERT INTO saved_views (account_id, name, filter, created_at) VALUES ($1, $2, $3, $4) "
    "RETURNING id";
constexpr std::string_view kDeleteView =
    "DELETE FROM saved_views WHERE id = $1 AND account_id = $2";

Status RequireSignedIn(const Actor& actor) {
  if (actor.account_id <= 0) return MakeError(ErrorCode::kUnauthenticated, "Not signed in.");
  return {};
}

}  // namespace

Result<std::vector<SavedView>> AppealService::ListViews(const Actor& actor) {
  if (auto ok = RequireSignedIn(actor); !ok) return std::unexpected(ok.error());
  return database_.Read<std::vector<SavedView>>([&](Session& s) -> Result<std::vector<SavedView>> {
    auto rows = s.Query(kListViews, {actor.account_id});
    if (!rows) return std::unexpected(rows.error());
    std::vector<SavedView> out;
    for (const auto& r : *rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
    return out;
  });
}

Result<SavedView> AppealService::CreateView(const Actor& actor, std::string_view name,
                                            std::string_view filter_json) {
  if (auto ok = RequireSignedIn(actor); !ok) return std::unexpected(ok.error());
  std::string n(name);
  std::vector<FieldError> errors;
  CheckText(errors, "name", n, 50, true);
  auto parsed = Json::parse(filter_json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || filter_json.size() > 4000) {
    errors.push_back({"filter", "must be a JSON object of at most 4000 bytes"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  return database_.Write<SavedView>([&](Session& s) -> Result<SavedView> {
    auto count = s.QueryOne(kCountViews, {actor.account_id});
    if (!count) return std::unexpected(count.error());
    if (*count && (*count)->Int(0) >= kMaxViews) {
      return InvalidFields({{"name", "at most 50 saved views"}});
    }
    auto id = s.Query(kInsertView, {actor.account_id, n, parsed.dump(), now});
    if (!id) {
      if (id.error().code == ErrorCode::kConflict) {
        return MakeError(ErrorCode::kConflict, "You already have a view with that name.");
      }
      return std::unexpected(id.error());
    }
    return SavedView{(*id)[0].Int(0), n, parsed.dump(), now};
  });
}

Status AppealService::DeleteView(const Actor& actor, int64_t id) {
  if (auto ok = RequireSignedIn(actor); !ok) return ok;
  return database_.Write<void>([&](Session& s) -> Status {
    auto gone = s.Execute(kDeleteView, {id, actor.account_id});
    if (!gone) return std::unexpected(gone.error());
    if (*gone == 0) return MakeError(ErrorCode::kNotFound, "View not found.");
    return {};
  });
}

// ---------------------------------------------------------------------------------------
// Reply templates

namespace {

constexpr std::string_view kTemplateColumns =
    "SELECT t.id, t.unit_id, u.name, t.title, t.text, t.version, u.path FROM reply_templates t "
    "JOIN units u ON u.id = t.unit_id ";
constexpr std::string_view kInsertTemplate =
    "INSERT INTO reply_templates (unit_id, title, text, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
constexpr std::string_view kUpdateTemplate =
    "UPDATE reply_templates SET title = $1, text = $2, version = version + 1, updated_at = $3 "
    "WHERE id = $4 AND version = $5";
constexpr std::string_view kDeleteTemplate = "DELETE FROM reply_templates WHERE id = $1";

ReplyTemplate TemplateFromRow(const Row& r) {
  return ReplyTemplate{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)};
}

Result<std::optional<std::pair<ReplyTemplate, std::string>>> FindTemplate(Session& s, int64_t id) {
  auto row = s.QueryOne(std::string(kTemplateColumns) + "WHERE t.id = $1", {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::pair<ReplyTemplate, std::string>>();
  return std::optional<std::pair<ReplyTemplate, std::string>>(
      std::pair(TemplateFromRow(**row), (*row)->Text(6)));
}

// The ids on a materialised path, root first: "/1/4/17/" -> 1, 4, 17.
std::vector<int64_t> PathIds(std::string_view path) {
  std::vector<int64_t> ids;
  for (auto part : Split(path, '/')) {
    if (part.empty()) continue;
    int64_t id = 0;
    for (char c : part) id = id * 10 + (c - '0');
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

Result<std::vector<ReplyTemplate>> AppealService::ListTemplates(const Actor& actor) {
  if (!auth::AccessPolicy::Allows(actor, Action::kAppealRead, actor.unit_path)) {
    auto denied = policy_.Check(actor, Action::kAppealRead, actor.unit_path, "reply_templates");
    return std::unexpected(denied.error());
  }
  auto ids = PathIds(actor.unit_path);
  std::string sql = std::string(kTemplateColumns) + "WHERE t.unit_id IN (";
  Params params;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) sql += ", ";
    params.push_back(ids[i]);
    sql += "CAST($" + std::to_string(params.size()) + " AS BIGINT)";
  }
  sql += ") ORDER BY u.depth DESC, t.title, t.id";
  return database_.Read<std::vector<ReplyTemplate>>(
      [&](Session& s) -> Result<std::vector<ReplyTemplate>> {
        auto rows = s.Query(sql, params);
        if (!rows) return std::unexpected(rows.error());
        std::vector<ReplyTemplate> out;
        for (const auto& r : *rows) out.push_back(TemplateFromRow(r));
        return out;
      });
}

Result<ReplyTemplate> AppealService::CreateTemplate(const Actor& actor, UnitId unit_id,
                                                    std::string_view title, std::string_view text) {
  std::string t(title), body(text);
  std::vector<FieldError> errors;
  CheckText(errors, "title", t, 50, true);
  CheckText(errors, "text", body, kMaxReplyChars, true, true);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<ReplyTemplate>([&](Session& s) -> Result<ReplyTemplate> {
    auto unit = FindUnit(s, unit_id);
    if (!unit) return std::unexpected(unit.error());
    if (!*unit) return InvalidFields({{"unit_id", "is not a unit"}});
    if (auto ok = gate.Require(actor, Action::kAppealConfigure, (*unit)->path,
                               "unit:" + std::to_string(unit_id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto id = s.Query(kInsertTemplate, {unit_id, t, body, now});
    if (!id) return std::unexpected(id.error());
    auto ok = audit_.Append(
        s, &actor, {"reply_template.create", "reply_template:" + std::to_string((*id)[0].Int(0))},
        actor.client_ip);
    if (!ok) return std::unexpected(ok.error());
    return ReplyTemplate{(*id)[0].Int(0), unit_id, (*unit)->name, t, body, 1};
  });
  Settle(actor, gate);
  return result;
}

Result<ReplyTemplate> AppealService::UpdateTemplate(const Actor& actor, int64_t id, int64_t version,
                                                    std::string_view title, std::string_view text) {
  std::string t(title), body(text);
  std::vector<FieldError> errors;
  CheckText(errors, "title", t, 50, true);
  CheckText(errors, "text", body, kMaxReplyChars, true, true);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<ReplyTemplate>([&](Session& s) -> Result<ReplyTemplate> {
    auto found = FindTemplate(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound<ReplyTemplate>("Reply template");
    if (auto ok = gate.Require(actor, Action::kAppealConfigure, (*found)->second,
                               "reply_template:" + std::to_string(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto changed = s.Execute(kUpdateTemplate, {t, body, now, id, version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) return MakeError(ErrorCode::kStaleVersion, "The template was changed.");
    auto ok =
        audit_.Append(s, &actor, {"reply_template.update", "reply_template:" + std::to_string(id)},
                      actor.client_ip);
    if (!ok) return std::unexpected(ok.error());
    ReplyTemplate updated = (*found)->first;
    updated.title = t;
    updated.text = body;
    updated.version = version + 1;
    return updated;
  });
  Settle(actor, gate);
  return result;
}

Status AppealService::DeleteTemplate(const Actor& actor, int64_t id) {
  Gate gate;
  auto result = database_.Write<void>([&](Session& s) -> Status {
    auto found = FindTemplate(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return MakeError(ErrorCode::kNotFound, "Reply template not found.");
    if (auto ok = gate.Require(actor, Action::kAppealConfigure, (*found)->second,
                               "reply_template:" + std::to_string(id));
        !ok) {
      return ok;
    }
    auto gone = s.Execute(kDeleteTemplate, {id});
    if (!gone) return std::unexpected(gone.error());
    return audit_.Append(s, &actor,
                         {"reply_template.delete", "reply_template:" + std::to_string(id)},
                         actor.client_ip);
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// Configuration (city-wide)

Status AppealService::RequireRootConfigure(Session& s, Gate& gate, const Actor& actor) {
  auto root = s.QueryOne(kFindRoot);
  if (!root) return std::unexpected(root.error());
  if (!*root) return MakeError(ErrorCode::kUnavailable, "No city bureau is set up.");
  return gate.Require(actor, Action::kAppealConfigure, (*root)->Text(1), "appeal_configuration");
}

Result<std::vector<Category>> AppealService::AllCategories(const Actor& actor) {
  Gate gate;
  auto result =
      database_.Read<std::vector<Category>>([&](Session& s) -> Result<std::vector<Category>> {
        if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return std::unexpected(ok.error());
        auto rows = s.Query(std::string(kCategoryColumns) + "ORDER BY sort_order, code");
        if (!rows) return std::unexpected(rows.error());
        std::vector<Category> out;
        for (const auto& r : *rows) out.push_back(CategoryFromRow(r));
        return out;
      });
  Settle(actor, gate);
  return result;
}

Result<Category> AppealService::SaveCategory(const Actor& actor, const Category& category) {
  Category c = category;
  std::vector<FieldError> errors;
  c.code = std::string(Trim(c.code));
  bool code_ok = c.code.size() >= 2 && c.code.size() <= 32 &&
                 std::all_of(c.code.begin(), c.code.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                 });
  if (!code_ok) errors.push_back({"code", "must be 2 to 32 of a-z, 0-9 and _"});
  CheckText(errors, "name", c.name, 50, true);
  CheckText(errors, "description", c.description, 500, false, true);
  if (c.sort_order < 0 || c.sort_order > 1'000'000) {
    errors.push_back({"sort_order", "must be between 0 and 1000000"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<Category>([&](Session& s) -> Result<Category> {
    if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return std::unexpected(ok.error());
    auto done = s.Execute(
        "INSERT INTO appeal_categories (code, name, description, active, sort_order, version, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (code) DO UPDATE SET "
        "name = excluded.name, description = excluded.description, active = excluded.active, "
        "sort_order = excluded.sort_order, version = appeal_categories.version + 1, "
        "updated_at = excluded.updated_at",
        {c.code, c.name, c.description, int64_t{c.active ? 1 : 0}, int64_t{c.sort_order}, now});
    if (!done) return std::unexpected(done.error());
    auto ok = audit_.Append(s, &actor, {"appeal_category.save", "appeal_category:" + c.code},
                            actor.client_ip);
    if (!ok) return std::unexpected(ok.error());
    return c;
  });
  Settle(actor, gate);
  return result;
}

Result<std::vector<CalendarDay>> AppealService::CalendarDays(const Actor& actor) {
  Gate gate;
  auto result =
      database_.Read<std::vector<CalendarDay>>([&](Session& s) -> Result<std::vector<CalendarDay>> {
        if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return std::unexpected(ok.error());
        auto rows = s.Query(kCalendarDays);
        if (!rows) return std::unexpected(rows.error());
        std::vector<CalendarDay> out;
        for (const auto& r : *rows) {
          CalendarDay d{r.Text(0), DayKind::kHoliday, r.Text(2)};
          ParseDayKind(r.Text(1), d.kind);
          out.push_back(std::move(d));
        }
        return out;
      });
  Settle(actor, gate);
  return result;
}

Status AppealService::SetCalendarDay(const Actor& actor, const CalendarDay& day) {
  CalendarDay d = day;
  std::vector<FieldError> errors;
  if (!ParseDate(d.date)) errors.push_back({"date", "must be a date YYYY-MM-DD"});
  CheckText(errors, "name", d.name, 50, false);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  Gate gate;
  auto result = database_.Write<void>([&](Session& s) -> Status {
    if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return ok;
    auto done = s.Execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO "
        "UPDATE SET kind = excluded.kind, name = excluded.name",
        {d.date, std::string(DayKindName(d.kind)), d.name});
    if (!done) return std::unexpected(done.error());
    return audit_.Append(s, &actor, {"appeal_calendar.set", "calendar_day:" + d.date},
                         actor.client_ip);
  });
  Settle(actor, gate);
  return result;
}

Status AppealService::DeleteCalendarDay(const Actor& actor, std::string_view date) {
  Gate gate;
  auto result = database_.Write<void>([&](Session& s) -> Status {
    if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return ok;
    auto gone = s.Execute("DELETE FROM calendar_days WHERE day = $1", {std::string(date)});
    if (!gone) return std::unexpected(gone.error());
    if (*gone == 0) return MakeError(ErrorCode::kNotFound, "No such calendar day.");
    return audit_.Append(s, &actor, {"appeal_calendar.delete", "calendar_day:" + std::string(date)},
                         actor.client_ip);
  });
  Settle(actor, gate);
  return result;
}

Result<std::vector<DeadlineSettings>> AppealService::ListDeadlines(const Actor& actor) {
  Gate gate;
  auto result = database_.Read<std::vector<DeadlineSettings>>(
      [&](Session& s) -> Result<std::vector<DeadlineSettings>> {
        if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return std::unexpected(ok.error());
        auto rows = s.Query(kAllDeadlines);
        if (!rows) return std::unexpected(rows.error());
        std::vector<DeadlineSettings> out;
        for (const auto& r : *rows) out.push_back(SettingsFromRow(r));
        return out;
      });
  Settle(actor, gate);
  return result;
}

Result<DeadlineSettings> AppealService::SetDeadlines(const Actor& actor,
                                                     const DeadlineSettings& settings) {
  std::vector<FieldError> errors;
  if (settings.acknowledge_hours < 1 || settings.acknowledge_hours > 720) {
    errors.push_back({"acknowledge_hours", "must be between 1 and 720"});
  }
  if (settings.reply_working_days < 1 || settings.reply_working_days > 120) {
    errors.push_back({"reply_working_days", "must be between 1 and 120"});
  }
  if (settings.resolve_working_days < settings.reply_working_days ||
      settings.resolve_working_days > 365) {
    errors.push_back({"resolve_working_days", "must be between the reply days and 365"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  const int64_t now = clock_.NowMillis();
  Gate gate;
  auto result = database_.Write<DeadlineSettings>([&](Session& s) -> Result<DeadlineSettings> {
    if (auto ok = RequireRootConfigure(s, gate, actor); !ok) return std::unexpected(ok.error());
    auto changed = s.Execute(
        "UPDATE deadline_settings SET acknowledge_hours = $1, reply_working_days = $2, "
        "resolve_working_days = $3, version = version + 1, updated_at = $4 WHERE kind = $5 "
        "AND version = $6",
        {int64_t{settings.acknowledge_hours}, int64_t{settings.reply_working_days},
         int64_t{settings.resolve_working_days}, now, std::string(KindName(settings.kind)),
         settings.version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) return MakeError(ErrorCode::kStaleVersion, "The settings were changed.");
    auto ok = audit_.Append(
        s, &actor,
        {"appeal_deadlines.set", "deadline_settings:" + std::string(KindName(settings.kind))},
        actor.client_ip);
    if (!ok) return std::unexpected(ok.error());
    DeadlineSettings out = settings;
    out.version = settings.version + 1;
    return out;
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// Notifications

Result<Page<Notification>> AppealService::Notifications(const Actor& actor, bool unread_only,
                                                        int64_t offset, int64_t limit) {
  if (auto ok = RequireSignedIn(actor); !ok) return std::unexpected(ok.error());
  std::string where =
      "WHERE (n.account_id = $1 OR n.unit_id = $2) AND (CAST($3 AS BIGINT) = 0 OR n.read_at IS "
      "NULL) ";
  Params params{actor.account_id, actor.unit_id, int64_t{unread_only ? 1 : 0}};
  return database_.Read<Page<Notification>>([&](Session& s) -> Result<Page<Notification>> {
    Page<Notification> page;
    auto count = s.QueryOne("SELECT COUNT(*) FROM notifications n " + where, params);
    if (!count) return std::unexpected(count.error());
    page.total = *count ? (*count)->Int(0) : 0;
    Params p = params;
    p.push_back(std::clamp<int64_t>(limit, 1, 100));
    p.push_back(std::max<int64_t>(offset, 0));
    auto rows = s.Query(
        "SELECT n.id, n.kind, n.appeal_id, a.tracking_number, n.message, n.read_at, "
        "n.created_at FROM notifications n JOIN appeals a ON a.id = n.appeal_id " +
            where +
            "ORDER BY n.created_at DESC, n.id DESC LIMIT CAST($4 AS BIGINT) OFFSET CAST($5 AS "
            "BIGINT)",
        p);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) {
      Notification n;
      n.id = r.Int(0);
      std::string kind = r.Text(1);
      n.kind = kind == "warning"      ? NotificationKind::kWarning
               : kind == "escalation" ? NotificationKind::kEscalation
                                      : NotificationKind::kNewAssignment;
      n.appeal_id = r.Int(2);
      n.tracking_number = r.Text(3);
      n.message = r.Text(4);
      n.read_at = r.OptInt(5);
      n.created_at = r.Int(6);
      page.items.push_back(std::move(n));
    }
    return page;
  });
}

Status AppealService::MarkNotificationRead(const Actor& actor, int64_t id) {
  if (auto ok = RequireSignedIn(actor); !ok) return ok;
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](Session& s) -> Status {
    auto changed = s.Execute(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND "
        "(account_id = $3 OR unit_id = $4)",
        {now, id, actor.account_id, actor.unit_id});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return MakeError(ErrorCode::kNotFound, "Notification not found.");
    return {};
  });
}

// ---------------------------------------------------------------------------------------
// The deadline job

Result<DeadlineRunReport> AppealService::RunDeadlines(int64_t now) {
  DeadlineRunReport report;
  // Each pass handles a batch in one transaction; a row leaves the selection once handled.
  auto pass = [&](std::string_view select, auto&& handle) -> Result<int64_t> {
    int64_t total = 0;
    for (;;) {
      auto handled = database_.Write<int64_t>([&](Session& s) -> Result<int64_t> {
        auto rows = s.Query(select, {now, kDeadlineBatch});
        if (!rows) return std::unexpected(rows.error());
        for (const auto& r : *rows) {
          if (auto ok = handle(s, r); !ok) return std::unexpected(ok.error());
        }
        return static_cast<int64_t>(rows->size());
      });
      if (!handled) return std::unexpected(handled.error());
      total += *handled;
      if (*handled < kDeadlineBatch) return total;
    }
  };

  // 1. Escalate overdue steps to the parent unit (once per step); an escalated step counts as
  // warned too.
  auto escalated = pass(
      "SELECT a.id, a.unit_id, a.tracking_number, a.state, u.parent_id FROM appeals a JOIN units "
      "u ON u.id = a.unit_id WHERE a.due_at <= CAST($1 AS BIGINT) AND a.escalated_at IS NULL "
      "AND a.state NOT IN ('closed', 'merged', 'replied') ORDER BY a.due_at LIMIT CAST($2 AS "
      "BIGINT)",
      [&](Session& s, const Row& r) -> Status {
        auto done = s.Execute(
            "UPDATE appeals SET escalated_at = $1, warned_at = COALESCE(warned_at, $1) WHERE id "
            "= $2",
            {now, r.Int(0)});
        if (!done) return std::unexpected(done.error());
        UnitId target = r.IsNull(4) ? r.Int(1) : r.Int(4);
        if (auto ok = Notify(s, std::nullopt, target, NotificationKind::kEscalation, r.Int(0),
                             r.Text(2), now);
            !ok) {
          return ok;
        }
        AppealState state = StateOf(r.Text(3));
        EventInput event{
            .actor_kind = ActorKind::kSystem, .action = "escalate", .from = state, .to = state};
        event.data = {{"to_unit_id", target}};
        return InsertEvent(s, r.Int(0), now, event);
      });
  if (!escalated) return std::unexpected(escalated.error());
  report.escalated = *escalated;

  // 2. Warn the handling unit at the 80% point.
  auto warned = pass(
      "SELECT id, unit_id, tracking_number, state FROM appeals WHERE warn_at <= CAST($1 AS "
      "BIGINT) AND warned_at IS NULL AND state NOT IN ('closed', 'merged', 'replied') ORDER BY "
      "warn_at LIMIT CAST($2 AS BIGINT)",
      [&](Session& s, const Row& r) -> Status {
        auto done = s.Execute("UPDATE appeals SET warned_at = $1 WHERE id = $2", {now, r.Int(0)});
        if (!done) return std::unexpected(done.error());
        if (auto ok = Notify(s, std::nullopt, r.Int(1), NotificationKind::kWarning, r.Int(0),
                             r.Text(2), now);
            !ok) {
          return ok;
        }
        AppealState state = StateOf(r.Text(3));
        return InsertEvent(
            s, r.Int(0), now,
            EventInput{
                .actor_kind = ActorKind::kSystem, .action = "warn", .from = state, .to = state});
      });
  if (!warned) return std::unexpected(warned.error());
  report.warned = *warned;

  // 3. Auto-close replies nobody rated within kAutoCloseDays.
  auto closed = pass(
      "SELECT id, version FROM appeals WHERE state = 'replied' AND replied_at <= CAST($1 AS "
      "BIGINT) - " +
          std::to_string(kAutoCloseDays * kMillisPerDayLocal) +
          " ORDER BY replied_at LIMIT CAST($2 AS BIGINT)",
      [&](Session& s, const Row& r) -> Status {
        auto rec = LoadRecord(s, r.Int(0), protector_);
        if (!rec) return std::unexpected(rec.error());
        if (!*rec) return {};
        Record& record = **rec;
        const Record before = record;
        auto next = Transition(record.v.state, WorkflowAction::kAutoClose);
        if (!next) return std::unexpected(next.error());
        record.v.state = *next;
        record.v.resolved = true;
        record.v.closed_at = now;
        record.v.due_at.reset();
        record.v.warn_at.reset();
        if (auto ok = SaveRecord(s, before, record, r.Int(1), now); !ok) return ok;
        if (auto ok = InsertEvent(s, record.v.id, now,
                                  EventInput{.actor_kind = ActorKind::kSystem,
                                             .action = "auto_close",
                                             .from = AppealState::kReplied,
                                             .to = *next,
                                             .is_public = true});
            !ok) {
          return ok;
        }
        return Audit(audit_, s, nullptr, "appeal.auto_close", record.v.id);
      });
  if (!closed) return std::unexpected(closed.error());
  report.auto_closed = *closed;
  return report;
}

}  // namespace lianxin::appeals
