// The WeChat callback: URL verification (GET) and inbound messages (POST) for one account,
// in plain, compatible and safe mode. Answers within WeChat's 5 seconds with a passive
// reply: a keyword auto-reply (FAQ rule), the welcome text on subscribe, or, for a
// consultation, the tracking number of the appeal it became (threaded by OpenID). Retries
// are answered from the message log. OpenIDs and message text are never logged.
#pragma once

#include <cstdint>
#include <string>

#include "appeals/intake.h"
#include "channels/wechat/wechat_service.h"
#include "channels/wechat/xml.h"
#include "core/clock.h"
#include "http/api.h"

namespace lianxin::wechat {

struct HandlerOptions {
  // A request whose timestamp is further than this from our clock is a replay: 403.
  int64_t max_clock_skew_seconds = 300;
  // Messages from one OpenID join its newest open appeal submitted within this window.
  int64_t thread_window_millis = 7LL * 24 * 60 * 60 * 1000;
  XmlLimits xml_limits;
};

// The answer WeChat takes for "no reply": 200 with the body "success".
inline constexpr std::string_view kNoReply = "success";

class WechatHandler {
 public:
  // All references must outlive the handler.
  WechatHandler(WechatService& service, appeals::AppealIntake& intake, const Clock& clock,
                HandlerOptions options = {});

  // GET /channels/wechat/{account}?signature&timestamp&nonce&echostr: 200 text/plain with
  // echostr when the signature holds. With msg_signature instead (an encrypted echostr, as
  // WeChat Work sends it), checks msg_signature, decrypts echostr (AppID checked) and
  // returns the plaintext. 404 for an unknown or inactive account; 403 for a bad or missing
  // signature, a timestamp out of the window, or a wrong AppID.
  http::Response Verify(const http::Request& request);

  // POST /channels/wechat/{account}?signature&timestamp&nonce[&encrypt_type=aes
  // &msg_signature]: 200 with a passive reply (text/xml, encrypted when the request was) or
  // "success". 404 for an unknown or inactive account; 403 for a bad or missing signature,
  // an out-of-window timestamp, a wrong AppID or an encryption the account's mode does not
  // allow (plain accepts only raw, safe only aes); 400/413 for a body that is not an
  // acceptable WeChat message. Refused requests change nothing.
  http::Response Receive(const http::Request& request);

 private:
  struct Outcome;
  Outcome Process(const CallbackAccount& account, const XmlDocument& message,
                  const std::string& dedupe_key);
  Outcome Consult(const CallbackAccount& account, const XmlDocument& message,
                  const std::string& text, const appeals::Location& location,
                  const std::string& dedupe_key);
  Outcome AddToThread(const XmlDocument& message, const std::string& text);
  std::string DefaultCategory(const CallbackAccount& account);

  WechatService& service_;
  appeals::AppealIntake& intake_;
  const Clock& clock_;
  HandlerOptions options_;
};

// The passive text reply to `message` (to its FromUserName, from its ToUserName).
std::string TextReplyXml(const XmlDocument& message, std::string_view content,
                         int64_t create_time_seconds);
// The safe-mode envelope of an encrypted reply, with its msg_signature.
std::string EncryptedReplyXml(std::string_view encrypt, std::string_view msg_signature,
                              std::string_view timestamp, std::string_view nonce);

}  // namespace lianxin::wechat
