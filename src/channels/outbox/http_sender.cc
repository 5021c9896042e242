#include "channels/outbox/http_sender.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace lianxin::outbox {
namespace {

constexpr size_t kMaxResponseBytes = 64 * 1024;

bool InitCurl() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

// Keeps at most kMaxResponseBytes of the answer; the body is not used beyond that.
size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * count;
  if (body->size() < kMaxResponseBytes) {
    body->append(data, std::min(bytes, kMaxResponseBytes - body->size()));
  }
  return bytes;
}

bool RetryableCurlError(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return false;  // configuration errors: retrying cannot help
    default:
      return true;  // timeouts, refused connections, TLS and network failures
  }
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

HttpSender::HttpSender(HttpSenderOptions options) : options_(std::move(options)) {}

SendResult HttpSender::Send(const OutgoingMessage& message) {
  const std::string& url =
      message.channel == Channel::kSms ? options_.sms_url : options_.wechat_cs_url;
  if (url.empty()) {
    return std::unexpected(SendError{
        false, "no URL configured for channel " + std::string(ChannelName(message.channel))});
  }
  auto payload = nlohmann::json::parse(message.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return std::unexpected(SendError{false, "payload is not a JSON object"});
  }
  std::string body = nlohmann::json{{"id", message.id},
                                    {"channel", ChannelName(message.channel)},
                                    {"recipient", message.recipient},
                                    {"message", std::move(payload)}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  if (!InitCurl()) return std::unexpected(SendError{true, "libcurl failed to initialise"});
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return std::unexpected(SendError{true, "libcurl handle unavailable"});

  curl_slist* raw_headers = nullptr;
  auto append = [&](const std::string& header) {
    raw_headers = curl_slist_append(raw_headers, header.c_str());
  };
  append("Content-Type: application/json");
  append("Accept: application/json");
  append("Idempotency-Key: lianxin-outbox-" + std::to_string(message.id));
  if (!options_.bearer_token.empty()) append("Authorization: Bearer " + options_.bearer_token);
  append("Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);

  std::string response;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeout_ms);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (options_.no_proxy) curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "lianxin-outbox/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &CollectBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);

  CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    std::string reason = code == CURLE_OPERATION_TIMEDOUT
                             ? std::string("timeout")
                             : std::string("transport error: ") + curl_easy_strerror(code);
    return std::unexpected(SendError{RetryableCurlError(code), std::move(reason)});
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return {};
  bool retryable = status == 408 || status == 429 || status >= 500 || status < 200;
  return std::unexpected(SendError{retryable, "HTTP " + std::to_string(status)});
}

}  // namespace lianxin::outbox
