#include "channels/wechat/sender.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace lianxin::wechat {
namespace {

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutUtf8(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace

std::string CustomerServiceTextPayload(std::string_view open_id, std::string_view content) {
  nlohmann::json payload = {
      {"touser", std::string(open_id)},
      {"msgtype", "text"},
      {"text", {{"content", CutUtf8(content, kMaxCustomerServiceTextBytes)}}},
  };
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status PayloadWechatSender::SendText(WechatAccountId account_id, std::string_view open_id,
                                     std::string_view text) {
  if (open_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "The OpenID is empty.");
  if (Trim(text).empty()) return MakeError(ErrorCode::kInvalidArgument, "The text is empty.");
  auto account = service_.LoadCallbackAccount(account_id);
  if (!account) return std::unexpected(account.error());
  if (!*account) return MakeError(ErrorCode::kNotFound, "WeChat account not found.");
  return deliver_((*account)->app_id, CustomerServiceTextPayload(open_id, text));
}

}  // namespace lianxin::wechat
