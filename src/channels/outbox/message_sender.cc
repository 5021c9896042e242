#include "channels/outbox/message_sender.h"

namespace lianxin::outbox {

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kWechatCs:
      return "wechat_cs";
    case Channel::kSms:
      return "sms";
  }
  return "sms";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  if (name == "wechat_cs") return Channel::kWechatCs;
  if (name == "sms") return Channel::kSms;
  return std::nullopt;
}

SendResult RecordingSender::Send(const OutgoingMessage& message) {
  std::lock_guard lock(mutex_);
  sent_.push_back(message);
  return {};
}

std::vector<OutgoingMessage> RecordingSender::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

}  // namespace lianxin::outbox
