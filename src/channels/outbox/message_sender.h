// The one interface outbound messages to citizens leave through (WeChat customer-service
// messages, SMS), and the recording implementation used in development and tests.
#pragma once

#include <cstdint>
#include <expected>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::outbox {

enum class Channel { kWechatCs, kSms };
// "wechat_cs" / "sms": the stored and wire form.
std::string_view ChannelName(Channel channel);
// The channel named `name`, or nullopt.
std::optional<Channel> ParseChannel(std::string_view name);

// One message as a sender sees it: the recipient in the clear (an OpenID or a phone number)
// and the content as a JSON object text. Senders never log either.
struct OutgoingMessage {
  int64_t id = 0;  // the outbox row; stable across retries (an idempotency key)
  Channel channel = Channel::kSms;
  std::string recipient;
  std::string payload;
};

// Why a send failed. `reason` is for the outbox's last_error and logs: it names the failure
// ("HTTP 503", "timeout") and never contains the recipient or the content.
struct SendError {
  bool retryable = false;  // true: try again later (429, 5xx, network, timeout)
  std::string reason;
};
using SendResult = std::expected<void, SendError>;

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // Sends one message. Success means the provider accepted it. Must be thread-safe: several
  // deliverers may call it at once.
  virtual SendResult Send(const OutgoingMessage& message) = 0;
};

// Development and tests: keeps every message in memory and always succeeds. Thread-safe.
class RecordingSender final : public MessageSender {
 public:
  SendResult Send(const OutgoingMessage& message) override;
  // A copy of every message sent so far, in sending order.
  std::vector<OutgoingMessage> sent() const;

 private:
  mutable std::mutex mutex_;
  std::vector<OutgoingMessage> sent_;
};

}  // namespace lianxin::outbox
