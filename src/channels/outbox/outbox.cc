#include "channels/outbox/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace lianxin::outbox {
namespace {

constexpr size_t kMaxErrorChars = 200;

constexpr std::string_view kInsert =
    "INSERT INTO outbox (channel, recipient_sealed, recipient_hash, payload, appeal_id, status, "
    "attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT), "
    "'pending', 0, CAST($6 AS BIGINT), CAST($6 AS BIGINT)) RETURNING id";

// Due rows: pending and due, or sending with a lapsed claim (next_attempt_at holds the
// claim's deadline while sending).
constexpr std::string_view kSelectDue =
    "SELECT id FROM outbox WHERE status IN ('pending', 'sending') "
    "AND next_attempt_at <= CAST($1 AS BIGINT) ORDER BY next_attempt_at, id "
    "LIMIT CAST($2 AS BIGINT)";

// The claim: only one deliverer's UPDATE can match, because it moves next_attempt_at past now.
constexpr std::string_view kClaim =
    "UPDATE outbox SET status = 'sending', next_attempt_at = CAST($3 AS BIGINT) "
    "WHERE id = CAST($1 AS BIGINT) AND status IN ('pending', 'sending') "
    "AND next_attempt_at <= CAST($2 AS BIGINT) "
    "RETURNING channel, recipient_sealed, payload, attempts";

// The outcome updates hold only while the claim is still ours ($last = our claim deadline).
constexpr std::string_view kMarkDelivered =
    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
    "delivered_at = CAST($2 AS BIGINT), last_error = NULL "
    "WHERE id = CAST($1 AS BIGINT) AND status = 'sending' AND next_attempt_at = CAST($3 AS BIGINT)";
constexpr std::string_view kMarkRetry =
    "UPDATE outbox SET status = 'pending', attempts = attempts + 1, "
    "next_attempt_at = CAST($2 AS BIGINT), last_error = $3 "
    "WHERE id = CAST($1 AS BIGINT) AND status = 'sending' AND next_attempt_at = CAST($4 AS BIGINT)";
constexpr std::string_view kMarkFailed =
    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 "
    "WHERE id = CAST($1 AS BIGINT) AND status = 'sending' AND next_attempt_at = CAST($3 AS BIGINT)";

constexpr std::string_view kFilter =
    " WHERE (CAST($1 AS TEXT) IS NULL OR status = CAST($1 AS TEXT)) "
    "AND (CAST($2 AS TEXT) IS NULL OR channel = CAST($2 AS TEXT)) "
    "AND (CAST($3 AS BIGINT) IS NULL OR appeal_id = CAST($3 AS BIGINT))";
constexpr std::string_view kColumns =
    "SELECT id, channel, recipient_sealed, appeal_id, status, attempts, next_attempt_at, "
    "last_error, created_at, delivered_at FROM outbox";
constexpr std::string_view kListTail =
    " ORDER BY id DESC LIMIT CAST($4 AS BIGINT) OFFSET CAST($5 AS BIGINT)";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM outbox";
constexpr std::string_view kFindTail = " WHERE id = CAST($1 AS BIGINT)";

std::string Concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out += part;
  return out;
}

// An OpenID shows its first and last four characters; a phone number MaskPhone's form.
std::string MaskRecipient(Channel channel, std::string_view recipient) {
  if (channel == Channel::kSms) return MaskPhone(recipient);
  if (recipient.size() <= 8) return "****";
  return std::string(recipient.substr(0, 4)) + "****" +
         std::string(recipient.substr(recipient.size() - 4));
}

std::string ShortError(std::string_view reason) {
  std::string out(reason.substr(0, kMaxErrorChars));
  // Keep the text valid UTF-8 after the cut (reasons are ASCII in practice).
  while (!out.empty() && !IsValidUtf8(out)) out.pop_back();
  return out;
}

}  // namespace

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kSending:
      return "sending";
    case DeliveryStatus::kDelivered:
      return "delivered";
    case DeliveryStatus::kFailed:
      return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view name) {
  for (auto status : {DeliveryStatus::kPending, DeliveryStatus::kSending,
                      DeliveryStatus::kDelivered, DeliveryStatus::kFailed}) {
    if (DeliveryStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::chrono::milliseconds BackoffDelay(int attempts, double jitter_sample,
                                       const OutboxOptions& options) {
  int exponent = std::clamp(attempts - 1, 0, 30);
  double base = static_cast<double>(options.base_delay.count()) * std::ldexp(1.0, exponent);
  double sample = std::clamp(jitter_sample, 0.0, 1.0);
  double delay = base * (1.0 + sample * options.jitter);
  double cap = static_cast<double>(options.max_delay.count());
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(delay, cap)));
}

struct Outbox::Claimed {
  int64_t id = 0;
  int attempts = 0;         // before this one
  int64_t claim_until = 0;  // the claim's deadline, our token for the outcome update
  OutgoingMessage message;
};

Outbox::Outbox(storage::Database& database, const DataProtector& protector, const Clock& clock,
               MessageSender& sender, OutboxOptions options)
    : database_(database),
      protector_(protector),
      clock_(clock),
      sender_(sender),
      options_(options) {}

Result<int64_t> Outbox::Enqueue(storage::Session& session, const Message& message) const {
  std::vector<FieldError> errors;
  if (message.recipient.empty() || message.recipient.size() > OutboxOptions::kMaxRecipientBytes ||
      !IsValidUtf8(message.recipient)) {
    errors.push_back({"recipient", "must be 1 to 128 bytes of text"});
  }
  if (message.payload.size() > OutboxOptions::kMaxPayloadBytes) {
    errors.push_back({"payload", "must be at most 16 KiB"});
  } else {
    auto parsed = nlohmann::json::parse(message.payload, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      errors.push_back({"payload", "must be a JSON object"});
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));

  int64_t now = clock_.NowMillis();
  auto rows = session.Query(
      kInsert, {std::string(ChannelName(message.channel)), protector_.Seal(message.recipient),
                protector_.LookupHash(message.recipient), message.payload,
                storage::Optional(message.appeal_id), now});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "outbox insert returned no id");
  return rows->front().Int(0);
}

Result<std::optional<Outbox::Claimed>> Outbox::Claim(int64_t id, int64_t now_ms) {
  int64_t claim_until = now_ms + options_.claim_timeout.count();
  auto row = database_.Write<std::optional<storage::Row>>(
      [&](storage::Session& session) -> Result<std::optional<storage::Row>> {
        return session.QueryOne(kClaim, {id, now_ms, claim_until});
      });
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Claimed>();  // another deliverer took it
  const storage::Row& r = **row;
  Claimed claimed;
  claimed.id = id;
  claimed.attempts = static_cast<int>(r.Int(3));
  claimed.claim_until = claim_until;
  claimed.message.id = id;
  claimed.message.channel = ParseChannel(r.Text(0)).value_or(Channel::kSms);
  claimed.message.payload = r.Text(2);
  auto recipient = protector_.Open(r.Text(1));
  if (!recipient) {
    // Cannot be sent with this key; record it as a permanent failure rather than retrying.
    claimed.message.recipient.clear();
  } else {
    claimed.message.recipient = std::move(*recipient);
  }
  return std::optional<Claimed>(std::move(claimed));
}

Status Outbox::Record(const Claimed& claimed, const SendResult& result, int64_t now_ms,
                      DeliveryReport& report) {
  int attempts = claimed.attempts + 1;
  std::string_view sql;
  storage::Params params;
  if (result) {
    sql = kMarkDelivered;
    params = {claimed.id, now_ms, claimed.claim_until};
    ++report.delivered;
  } else if (result.error().retryable && attempts < options_.max_attempts) {
    double sample = static_cast<double>(RandomUniform(1'000'000)) / 1'000'000.0;
    int64_t next = now_ms + BackoffDelay(attempts, sample, options_).count();
    sql = kMarkRetry;
    params = {claimed.id, next, ShortError(result.error().reason), claimed.claim_until};
    ++report.retrying;
  } else {
    sql = kMarkFailed;
    params = {claimed.id, ShortError(result.error().reason), claimed.claim_until};
    ++report.failed;
    spdlog::warn("outbox message {} ({}) failed after {} attempt(s): {}", claimed.id,
                 ChannelName(claimed.message.channel), attempts, ShortError(result.error().reason));
  }
  auto changed = database_.Write<int64_t>(
      [&](storage::Session& session) { return session.Execute(sql, params); });
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) {
    spdlog::warn("outbox message {}: claim lapsed before its outcome was recorded", claimed.id);
  }
  return {};
}

Result<DeliveryReport> Outbox::DeliverDue(int64_t now_ms, int batch) {
  DeliveryReport report;
  if (batch <= 0) return report;
  auto ids = database_.Read<std::vector<int64_t>>(
      [&](storage::Session& session) -> Result<std::vector<int64_t>> {
        auto rows = session.Query(kSelectDue, {now_ms, int64_t{batch}});
        if (!rows) return std::unexpected(rows.error());
        std::vector<int64_t> out;
        for (const auto& row : *rows) out.push_back(row.Int(0));
        return out;
      });
  if (!ids) return std::unexpected(ids.error());
  for (int64_t id : *ids) {
    auto claimed = Claim(id, now_ms);
    if (!claimed) return std::unexpected(claimed.error());
    if (!*claimed) continue;
    ++report.claimed;
    SendResult result;
    if ((*claimed)->message.recipient.empty()) {
      result = std::unexpected(SendError{false, "recipient cannot be unsealed"});
    } else {
      result = sender_.Send((*claimed)->message);
    }
    auto recorded = Record(**claimed, result, now_ms, report);
    if (!recorded) return std::unexpected(recorded.error());
  }
  return report;
}

Result<Entry> Outbox::ToEntry(const storage::Row& row) const {
  Entry entry;
  entry.id = row.Int(0);
  entry.channel = ParseChannel(row.Text(1)).value_or(Channel::kSms);
  auto recipient = protector_.Open(row.Text(2));
  entry.recipient_masked = recipient ? MaskRecipient(entry.channel, *recipient) : "****";
  entry.appeal_id = row.OptInt(3);
  entry.status = ParseDeliveryStatus(row.Text(4)).value_or(DeliveryStatus::kPending);
  entry.attempts = static_cast<int>(row.Int(5));
  entry.next_attempt_at = row.Int(6);
  entry.last_error = row.OptText(7);
  entry.created_at = row.Int(8);
  entry.delivered_at = row.OptInt(9);
  return entry;
}

Result<EntryPage> Outbox::List(const ListFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 100 || filter.offset < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "page out of range");
  }
  storage::Params params = {
      filter.status ? storage::Value(std::string(DeliveryStatusName(*filter.status)))
                    : storage::Null(),
      filter.channel ? storage::Value(std::string(ChannelName(*filter.channel))) : storage::Null(),
      storage::Optional(filter.appeal_id)};
  return database_.Read<EntryPage>([&](storage::Session& session) -> Result<EntryPage> {
    EntryPage page;
    auto total = session.QueryOne(Concat({kCount, kFilter}), params);
    if (!total) return std::unexpected(total.error());
    page.total = *total ? (*total)->Int(0) : 0;
    storage::Params list_params = params;
    list_params.push_back(filter.limit);
    list_params.push_back(filter.offset);
    auto rows = session.Query(Concat({kColumns, kFilter, kListTail}), list_params);
    if (!rows) return std::unexpected(rows.error());
    for (const auto& row : *rows) {
      auto entry = ToEntry(row);
      if (!entry) return std::unexpected(entry.error());
      page.items.push_back(std::move(*entry));
    }
    return page;
  });
}

Result<Entry> Outbox::Find(int64_t id) const {
  return database_.Read<Entry>([&](storage::Session& session) -> Result<Entry> {
    auto row = session.QueryOne(Concat({kColumns, kFindTail}), {id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "No such outbox message.");
    return ToEntry(**row);
  });
}

}  // namespace lianxin::outbox
