// Later replies to a citizen on WeChat go out as customer-service (客服) messages: a JSON
// payload POSTed to WeChat's customer-service API by the outbox, which owns delivery,
// retries and the access token. This header builds the payload and names the interface
// the appeals workflow calls.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "channels/wechat/wechat_service.h"
#include "core/error.h"

namespace lianxin::wechat {

// WeChat limits a customer-service text to 2048 bytes.
inline constexpr size_t kMaxCustomerServiceTextBytes = 2048;

// {"touser": open_id, "msgtype": "text", "text": {"content": content}}, the content cut at
// a UTF-8 character boundary to kMaxCustomerServiceTextBytes. Invalid UTF-8 in `content`
// becomes U+FFFD so the payload is always valid JSON.
std::string CustomerServiceTextPayload(std::string_view open_id, std::string_view content);

// Sends a text to a citizen (an OpenID of `account_id`) as a customer-service message.
class WechatSender {
 public:
  virtual ~WechatSender() = default;
  // Queues the message; kNotFound for an unknown account, kInvalidArgument for an empty
  // OpenID or text. Delivery happens later (see the outbox).
  [[nodiscard]] virtual Status SendText(WechatAccountId account_id, std::string_view open_id,
                                        std::string_view text) = 0;
};

// Hands a built payload to the delivery mechanism: the account's AppID (whose access
// token the deliverer uses) and the JSON body for the customer-service API.
using WechatDelivery = std::function<Status(const std::string& app_id, std::string payload)>;

// The WechatSender that builds payloads and passes them to a WechatDelivery (the outbox).
class PayloadWechatSender final : public WechatSender {
 public:
  // `service` must outlive the sender.
  PayloadWechatSender(WechatService& service, WechatDelivery deliver)
      : service_(service), deliver_(std::move(deliver)) {}
  [[nodiscard]] Status SendText(WechatAccountId account_id, std::string_view open_id,
                                std::string_view text) override;

 private:
  WechatService& service_;
  WechatDelivery deliver_;
};

}  // namespace lianxin::wechat
