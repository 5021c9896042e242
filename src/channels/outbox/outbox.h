// The outbox: outbound messages to citizens are written in the same transaction as the change
// that causes them (an appeal's reply, its tracking number), then delivered by DeliverDue
// through a MessageSender with retries, exponential backoff and a delivery status.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/outbox/message_sender.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::outbox {

enum class DeliveryStatus { kPending, kSending, kDelivered, kFailed };
// "pending" / "sending" / "delivered" / "failed".
std::string_view DeliveryStatusName(DeliveryStatus status);
std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view name);

// A message to enqueue.
struct Message {
  Channel channel = Channel::kSms;
  std::string recipient;  // OpenID (wechat_cs) or phone number (sms); sealed at rest
  std::string payload;    // a JSON object text: the content, in the adapter's terms
  std::optional<int64_t> appeal_id;
};

// One outbox row as a staff page shows it: the recipient masked, never the content.
struct Entry {
  int64_t id = 0;
  Channel channel = Channel::kSms;
  std::string recipient_masked;  // "138****1234"; an OpenID as "oAbC****wxyz"
  std::optional<int64_t> appeal_id;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  int64_t next_attempt_at = 0;  // Unix millis
  std::optional<std::string> last_error;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
};

struct ListFilter {
  std::optional<DeliveryStatus> status;
  std::optional<Channel> channel;
  std::optional<int64_t> appeal_id;
  int64_t offset = 0;
  int64_t limit = 20;  // 1..100
};
struct EntryPage {
  std::vector<Entry> items;  // newest first
  int64_t total = 0;
};

struct DeliveryReport {
  int claimed = 0;  // rows this call took
  int delivered = 0;
  int retrying = 0;  // failed this time, scheduled again
  int failed = 0;    // given up: permanent error or out of attempts
};

struct OutboxOptions {
  int max_attempts = 8;  // the eighth failure is final
  std::chrono::milliseconds base_delay{30'000};
  std::chrono::milliseconds max_delay{3'600'000};
  double jitter = 0.2;  // each delay grows by a random fraction in [0, jitter)
  // How long a claimed ('sending') row stays with its deliverer before another may take it
  // over (the node died mid-send). Must exceed the sender's total timeout by far.
  std::chrono::milliseconds claim_timeout{300'000};
  static constexpr size_t kMaxPayloadBytes = 16 * 1024;
  static constexpr size_t kMaxRecipientBytes = 128;
};

// The delay before the next attempt after `attempts` failed ones (attempts >= 1):
// base × 2^(attempts-1), grown by `jitter_sample` × options.jitter (jitter_sample in [0, 1)),
// capped at max_delay. 30 s, 1 min, 2 min, ... 32 min, then 1 h with the defaults.
std::chrono::milliseconds BackoffDelay(int attempts, double jitter_sample,
                                       const OutboxOptions& options = {});

class Outbox {
 public:
  // `database`, `protector`, `clock` and `sender` must outlive the outbox.
  Outbox(storage::Database& database, const DataProtector& protector, const Clock& clock,
         MessageSender& sender, OutboxOptions options = {});

  // Adds `message` inside the caller's write transaction (so it exists exactly when the
  // change that caused it commits), due now. Returns its id; kInvalidArgument (with fields
  // "channel"/"recipient"/"payload") for an empty or oversized recipient or a payload that is
  // not a JSON object of at most kMaxPayloadBytes.
  Result<int64_t> Enqueue(storage::Session& session, const Message& message) const;

  // Delivers up to `batch` messages due at `now_ms`, oldest due first. Each row is claimed
  // with a conditional UPDATE in its own short transaction (pending and due, or sending with
  // a lapsed claim) so that concurrent deliverers on any number of nodes never take the same
  // row; the send happens outside any transaction; the outcome is recorded afterwards:
  // delivered, pending again after BackoffDelay, or failed (permanent error, or
  // max_attempts reached). Database errors end the call; send errors never do.
  Result<DeliveryReport> DeliverDue(int64_t now_ms, int batch);

  // Rows for a staff page, newest first, recipient masked. Access checks are the caller's.
  Result<EntryPage> List(const ListFilter& filter) const;
  // One row, or kNotFound.
  Result<Entry> Find(int64_t id) const;

 private:
  struct Claimed;
  Result<std::optional<Claimed>> Claim(int64_t id, int64_t now_ms);
  Status Record(const Claimed& claimed, const SendResult& result, int64_t now_ms,
                DeliveryReport& report);
  Result<Entry> ToEntry(const storage::Row& row) const;

  storage::Database& database_;
  const DataProtector& protector_;
  const Clock& clock_;
  MessageSender& sender_;
  OutboxOptions options_;
};

}  // namespace lianxin::outbox
