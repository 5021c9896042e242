#include "channels/wechat/handler.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

#include "channels/wechat/crypto.h"
#include "core/text.h"

namespace lianxin::wechat {
namespace {

constexpr size_t kMaxAppealChars = 2000;

http::Response Plain(int status, std::string body) {
  http::Response response;
  response.status = status;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

http::Response Xml(std::string body) {
  http::Response response;
  response.SetHeader("Content-Type", "text/xml; charset=utf-8");
  response.body = std::move(body);
  return response;
}

http::Response NoReply() { return Plain(200, std::string(kNoReply)); }

http::Response Forbidden(std::string_view why) {
  return http::Problem(Error{ErrorCode::kPermissionDenied, std::string(why), {}});
}

std::optional<int64_t> ParseInt(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseCoordinate(std::string_view text, double limit) {
  std::string s(Trim(text));
  if (s.empty() || s.size() > 32) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value) ||
      std::fabs(value) > limit) {
    return std::nullopt;
  }
  return value;
}

// At most `max` code points of valid UTF-8 `text`.
std::string TruncateUtf8(std::string_view text, size_t max) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (count == max) return std::string(text.substr(0, i));
      ++count;
    }
  }
  return std::string(text);
}

std::string Lower(std::string_view text) { return ToLowerAscii(text); }

}  // namespace

struct WechatHandler::Outcome {
  bool ok = true;
  std::string kind = "none";  // none, faq, welcome, appeal, thread
  std::string reply;          // passive reply text; "" answers "success"
  std::string summary;
  std::optional<int64_t> appeal_id;
};

WechatHandler::WechatHandler(WechatService& service, appeals::AppealIntake& intake,
                             const Clock& clock, HandlerOptions options)
    : service_(service), intake_(intake), clock_(clock), options_(options) {}

std::string TextReplyXml(const XmlDocument& message, std::string_view content,
                         int64_t create_time_seconds) {
  return XmlWriter()
      .Text("ToUserName", message.Get("FromUserName"))
      .Text("FromUserName", message.Get("ToUserName"))
      .Number("CreateTime", create_time_seconds)
      .Text("MsgType", "text")
      .Text("Content", content)
      .Finish();
}

std::string EncryptedReplyXml(std::string_view encrypt, std::string_view msg_signature,
                              std::string_view timestamp, std::string_view nonce) {
  return XmlWriter()
      .Text("Encrypt", encrypt)
      .Text("MsgSignature", msg_signature)
      .Text("TimeStamp", timestamp)
      .Text("Nonce", nonce)
      .Finish();
}

namespace {

// What every callback request carries, checked against the account.
struct Checked {
  CallbackAccount account;
  std::string timestamp;
  std::string nonce;
};

// Loads the account and checks the timestamp window; the caller checks the signature.
std::variant<Checked, http::Response> LoadAndCheckTime(WechatService& service,
                                                       const http::Request& request,
                                                       const Clock& clock, int64_t skew) {
  auto id = ParseInt(request.PathParam("account"));
  if (!id || *id <= 0) return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}});
  auto account = service.LoadCallbackAccount(*id);
  if (!account) return http::Problem(account.error());
  if (!*account) return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}});
  Checked checked{std::move(**account), request.QueryParam("timestamp").value_or(""),
                  request.QueryParam("nonce").value_or("")};
  auto ts = ParseInt(checked.timestamp);
  if (!ts || checked.nonce.empty()) return Forbidden("Missing timestamp or nonce.");
  int64_t now = clock.NowMillis() / 1000;
  if (*ts < now - skew || *ts > now + skew) return Forbidden("The timestamp is out of range.");
  return checked;
}

}  // namespace

http::Response WechatHandler::Verify(const http::Request& request) {
  auto loaded = LoadAndCheckTime(service_, request, clock_, options_.max_clock_skew_seconds);
  if (auto* response = std::get_if<http::Response>(&loaded)) return std::move(*response);
  auto& c = std::get<Checked>(loaded);
  auto echostr = request.QueryParam("echostr");
  if (!echostr || echostr->empty()) return Forbidden("Missing echostr.");
  if (auto msg_signature = request.QueryParam("msg_signature")) {
    if (!SignatureMatches(*msg_signature,
                          MsgSignature(c.account.token, c.timestamp, c.nonce, *echostr))) {
      return Forbidden("Bad signature.");
    }
    auto crypto = MessageCrypto::Create(c.account.aes_key, c.account.app_id);
    if (!crypto) return Forbidden("The account has no EncodingAESKey.");
    auto plain = crypto->Decrypt(*echostr);
    if (!plain) {
      return plain.error().code == ErrorCode::kPermissionDenied
                 ? Forbidden("Wrong AppID.")
                 : http::Problem(Error{ErrorCode::kMalformed, "Bad echostr.", {}});
    }
    return Plain(200, std::move(*plain));
  }
  auto signature = request.QueryParam("signature").value_or("");
  if (!SignatureMatches(signature, UrlSignature(c.account.token, c.timestamp, c.nonce))) {
    return Forbidden("Bad signature.");
  }
  return Plain(200, std::move(*echostr));
}

http::Response WechatHandler::Receive(const http::Request& request) {
  auto loaded = LoadAndCheckTime(service_, request, clock_, options_.max_clock_skew_seconds);
  if (auto* response = std::get_if<http::Response>(&loaded)) return std::move(*response);
  auto& c = std::get<Checked>(loaded);
  const CallbackAccount& account = c.account;

  std::string encrypt_type = Lower(request.QueryParam("encrypt_type").value_or(""));
  bool encrypted = encrypt_type == "aes";
  if (!encrypted && !encrypt_type.empty() && encrypt_type != "raw") {
    return Forbidden("Unknown encrypt_type.");
  }
  if (encrypted && account.mode == Mode::kPlain) return Forbidden("The account is in plain mode.");
  if (!encrypted && account.mode == Mode::kSafe) return Forbidden("The account is in safe mode.");

  auto signature = request.QueryParam("signature");
  if (!encrypted || signature) {
    // Plain requests must carry it; encrypted ones are checked when they do.
    if (!SignatureMatches(signature.value_or(""),
                          UrlSignature(account.token, c.timestamp, c.nonce))) {
      return Forbidden("Bad signature.");
    }
  }

  auto outer = ParseXml(request.body, options_.xml_limits);
  if (!outer) return http::Problem(outer.error());
  std::optional<MessageCrypto> crypto;
  XmlDocument message;
  if (encrypted) {
    const std::string* encrypt = outer->Find("Encrypt");
    if (!encrypt || encrypt->empty()) {
      return http::Problem(Error{ErrorCode::kMalformed, "Missing Encrypt.", {}});
    }
    auto msg_signature = request.QueryParam("msg_signature");
    if (!msg_signature || !SignatureMatches(*msg_signature, MsgSignature(account.token, c.timestamp,
                                                                         c.nonce, *encrypt))) {
      return Forbidden("Bad msg_signature.");
    }
    auto created = MessageCrypto::Create(account.aes_key, account.app_id);
    if (!created) return Forbidden("The account has no EncodingAESKey.");
    crypto.emplace(std::move(*created));
    auto plain = crypto->Decrypt(*encrypt);
    if (!plain) {
      return plain.error().code == ErrorCode::kPermissionDenied
                 ? Forbidden("Wrong AppID.")
                 : http::Problem(Error{ErrorCode::kMalformed, "Bad Encrypt.", {}});
    }
    auto inner = ParseXml(*plain, options_.xml_limits);
    if (!inner) return http::Problem(inner.error());
    message = std::move(*inner);
  } else {
    message = std::move(*outer);
  }

  std::string open_id = message.Get("FromUserName");
  std::string msg_type = Lower(message.Get("MsgType"));
  auto create_time = ParseInt(message.Get("CreateTime"));
  if (open_id.empty() || open_id.size() > 128 || msg_type.empty() || msg_type.size() > 32 ||
      !create_time || message.Get("MsgId").size() > 64 || message.Get("Event").size() > 64) {
    return http::Problem(Error{ErrorCode::kMalformed, "Not a WeChat message.", {}});
  }
  std::string open_id_hash = service_.HashOpenId(open_id);
  std::string event = Lower(message.Get("Event"));
  std::string dedupe_key;
  if (std::string msg_id = message.Get("MsgId"); !msg_id.empty() && msg_type != "event") {
    dedupe_key = "m:" + msg_id;
  } else {
    dedupe_key = "e:" + open_id_hash + ":" + std::to_string(*create_time) + ":" + event;
  }

  auto reply = [&](const std::string& text) -> http::Response {
    if (text.empty()) return NoReply();
    int64_t now = clock_.NowMillis() / 1000;
    std::string xml = TextReplyXml(message, text, now);
    if (!crypto) return Xml(std::move(xml));
    std::string encrypt = crypto->Encrypt(xml);
    std::string timestamp = std::to_string(now);
    return Xml(EncryptedReplyXml(encrypt, MsgSignature(account.token, timestamp, c.nonce, encrypt),
                                 timestamp, c.nonce));
  };

  MessageLog entry;
  entry.account_id = account.id;
  entry.dedupe_key = dedupe_key;
  entry.from_user_hash = open_id_hash;
  entry.msg_type = msg_type == "event" ? "event:" + event : msg_type;
  entry.received_at = clock_.NowMillis();
  if (entry.msg_type.size() > 40) entry.msg_type.resize(40);
  auto claim = service_.ClaimMessage(entry);
  if (!claim) return http::Problem(claim.error());
  if (!claim->claimed) {
    // A retry: the first delivery's reply when it has finished, otherwise nothing (WeChat
    // then shows the first delivery's answer, or none).
    return claim->answered ? reply(claim->reply_text) : NoReply();
  }

  Outcome outcome = Process(account, message, dedupe_key);
  if (!outcome.ok) {
    (void)service_.ReleaseMessage(claim->message_id);
    return reply("系统繁忙，请稍后再试。");
  }
  (void)service_.FinishMessage(claim->message_id, outcome.kind, outcome.reply, outcome.summary,
                               outcome.appeal_id);
  return reply(outcome.reply);
}

WechatHandler::Outcome WechatHandler::Process(const CallbackAccount& account,
                                              const XmlDocument& message,
                                              const std::string& dedupe_key) {
  std::string msg_type = Lower(message.Get("MsgType"));
  auto faq = [&](std::string_view text) -> std::optional<Outcome> {
    auto rules = service_.ActiveRules(account.id);
    if (!rules) return Outcome{.ok = false};
    const FaqRule* rule = MatchFaq(*rules, text);
    if (!rule) return std::nullopt;
    return Outcome{
        .kind = "faq", .reply = rule->reply_text, .summary = "faq:" + std::to_string(rule->id)};
  };

  if (msg_type == "text" || msg_type == "voice") {
    std::string text =
        std::string(Trim(message.Get(msg_type == "text" ? "Content" : "Recognition")));
    if (!text.empty()) {
      if (auto hit = faq(text)) return *hit;
    }
    if (text.empty()) {
      if (msg_type == "text") return Outcome{};
      text = "[语音消息，未能识别文字] MediaId " + message.Get("MediaId");
    }
    return Consult(account, message, text, {}, dedupe_key);
  }
  if (msg_type == "image") {
    return Consult(account, message, "[图片] " + message.Get("PicUrl"), {}, dedupe_key);
  }
  if (msg_type == "location") {
    appeals::Location location;
    location.latitude = ParseCoordinate(message.Get("Location_X"), 90);
    location.longitude = ParseCoordinate(message.Get("Location_Y"), 180);
    if (!location.latitude || !location.longitude) {
      location.latitude.reset();
      location.longitude.reset();
    }
    std::string label = message.Get("Label");
    location.address = TruncateUtf8(label, 200);
    std::string text = "[位置] " + label;
    if (location.latitude) {
      text += " (" + message.Get("Location_X") + ", " + message.Get("Location_Y") + ")";
    }
    return Consult(account, message, text, location, dedupe_key);
  }
  if (msg_type == "link") {
    return AddToThread(message, "[链接] " + message.Get("Title") + " " + message.Get("Url"));
  }
  if (msg_type == "event") {
    std::string event = Lower(message.Get("Event"));
    if (event == "subscribe") {
      if (account.welcome_text.empty()) return Outcome{.summary = "subscribe"};
      return Outcome{.kind = "welcome", .reply = account.welcome_text, .summary = "subscribe"};
    }
    if (event == "click") {
      std::string key = message.Get("EventKey");
      if (!key.empty()) {
        if (auto hit = faq(key)) return *hit;
      }
      return Outcome{.summary = "click"};
    }
    return Outcome{.summary = TruncateUtf8(event, 30)};
  }
  return Outcome{};  // video, shortvideo, file, ...: logged, not answered
}

std::string WechatHandler::DefaultCategory(const CallbackAccount& account) {
  if (!account.category.empty()) return account.category;
  auto categories = intake_.Categories();
  if (!categories || categories->empty()) return "";
  for (const auto& category : *categories) {
    if (category.code == "other") return category.code;
  }
  return categories->front().code;
}

WechatHandler::Outcome WechatHandler::Consult(const CallbackAccount& account,
                                              const XmlDocument& message, const std::string& text,
                                              const appeals::Location& location,
                                              const std::string& dedupe_key) {
  std::string open_id = message.Get("FromUserName");
  auto open = intake_.FindOpenByChannelRef(appeals::Channel::kWechat, open_id,
                                           clock_.NowMillis() - options_.thread_window_millis);
  if (!open) return Outcome{.ok = false};
  std::string body = TruncateUtf8(text, kMaxAppealChars);
  if (*open) {
    const appeals::Receipt& receipt = **open;
    if (!intake_.AddCitizenMessage(receipt.id, body)) return Outcome{.ok = false};
    return Outcome{
        .kind = "thread",
        .reply = "您的补充信息已收到，已记入咨询 " + receipt.tracking_number + "。我们会尽快答复。",
        .summary = "thread:" + receipt.tracking_number,
        .appeal_id = receipt.id};
  }
  appeals::Submission submission;
  submission.kind = appeals::AppealKind::kConsultation;
  submission.category = DefaultCategory(account);
  submission.text = body;
  submission.channel = appeals::Channel::kWechat;
  submission.channel_ref = open_id;
  submission.location = location;
  auto receipt =
      intake_.Submit(submission, "wechat:" + std::to_string(account.id) + ":" + dedupe_key);
  if (!receipt) return Outcome{.ok = false};
  return Outcome{.kind = "appeal",
                 .reply = "您的咨询已收到，编号 " + receipt->tracking_number + "，查询码 " +
                          receipt->access_code + "。我们会尽快答复。",
                 .summary = "appeal:" + receipt->tracking_number,
                 .appeal_id = receipt->id};
}

WechatHandler::Outcome WechatHandler::AddToThread(const XmlDocument& message,
                                                  const std::string& text) {
  auto open = intake_.FindOpenByChannelRef(appeals::Channel::kWechat, message.Get("FromUserName"),
                                           clock_.NowMillis() - options_.thread_window_millis);
  if (!open) return Outcome{.ok = false};
  if (!*open) return Outcome{};
  const appeals::Receipt& receipt = **open;
  if (!intake_.AddCitizenMessage(receipt.id, TruncateUtf8(text, kMaxAppealChars))) {
    return Outcome{.ok = false};
  }
  return Outcome{.kind = "thread",
                 .reply = "您的补充信息已收到，已记入咨询 " + receipt.tracking_number + "。",
                 .summary = "thread:" + receipt.tracking_number,
                 .appeal_id = receipt.id};
}

}  // namespace lianxin::wechat
