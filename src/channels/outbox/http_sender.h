// MessageSender over HTTP (libcurl): one JSON POST per message to the URL configured for its
// channel (an SMS gateway, the WeChat customer-service adapter), with a bearer token.
#pragma once

#include <string>

#include "channels/outbox/message_sender.h"

namespace lianxin::outbox {

struct HttpSenderOptions {
  std::string wechat_cs_url;  // "" leaves the channel unconfigured (a permanent failure)
  std::string sms_url;
  std::string bearer_token;  // sent as "Authorization: Bearer <token>"; "" sends none
  long connect_timeout_ms = 3000;
  long timeout_ms = 10000;  // the whole exchange
  std::string ca_file;      // extra CA bundle for TLS verification; "" uses the system's
  bool no_proxy = false;    // ignore http(s)_proxy from the environment (tests)
};

// POSTs {"id": <outbox id>, "channel": "sms"|"wechat_cs", "recipient": "...", "message":
// <payload object>} with Content-Type application/json, the bearer token and
// "Idempotency-Key: lianxin-outbox-<id>" (the same on every retry). TLS peer and host
// verification stay on; redirects are not followed; only http and https are allowed.
// A 2xx answer is delivered; 408, 429, 5xx, timeouts and network errors are retryable;
// any other status is permanent. Never logs or reports the recipient or the content.
// Thread-safe.
class HttpSender final : public MessageSender {
 public:
  explicit HttpSender(HttpSenderOptions options);
  SendResult Send(const OutgoingMessage& message) override;

 private:
  HttpSenderOptions options_;
};

}  // namespace lianxin::outbox
