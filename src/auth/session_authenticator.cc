#include "auth/session_authenticator.h"

#include <vector>

#include "core/crypto.h"
#include "core/text.h"

namespace lianxin::auth {
namespace {

constexpr size_t kMaxCookieBytes = 16 * 1024;
constexpr size_t kMaxCandidates = 8;
constexpr size_t kMaxAuditPath = 200;

std::string_view TrimCookieSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Collects the values of the session cookie in `header`, spending `budget` bytes; sets
// `overflow` when the header or the number of values is past the limits.
void CollectSessionValues(std::string_view header, size_t& budget,
                          std::vector<std::string_view>& values, bool& overflow) {
  if (header.size() > budget) {
    header = header.substr(0, budget);
    overflow = true;
  }
  budget -= header.size();
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (TrimCookieSpace(pair.substr(0, equals)) != kSessionCookieName) continue;
    std::string_view value = TrimCookieSpace(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (values.size() >= kMaxCandidates) {
      overflow = true;
      return;
    }
    values.push_back(value);
  }
}

std::optional<std::string> PickToken(const std::vector<std::string_view>& values, bool overflow) {
  if (values.empty() || overflow) return std::nullopt;
  for (std::string_view v : values) {
    if (v != values.front()) return std::nullopt;
  }
  if (!AuthService::LooksLikeToken(values.front())) return std::nullopt;
  return std::string(values.front());
}

}  // namespace

std::optional<std::string> SessionTokenFromCookieHeader(std::string_view cookie_header) {
  std::vector<std::string_view> values;
  size_t budget = kMaxCookieBytes;
  bool overflow = false;
  CollectSessionValues(cookie_header, budget, values, overflow);
  return PickToken(values, overflow);
}

std::optional<std::string> SessionTokenFromRequest(const http::Request& request) {
  std::vector<std::string_view> values;
  size_t budget = kMaxCookieBytes;
  bool overflow = false;
  for (const auto& [name, value] : request.headers) {
    if (name != "cookie") continue;
    CollectSessionValues(value, budget, values, overflow);
    if (overflow) break;
  }
  return PickToken(values, overflow);
}

std::string SessionCookie(std::string_view token, bool secure) {
  std::string cookie(kSessionCookieName);
  cookie += '=';
  cookie += token;
  cookie += "; Path=/; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string ClearSessionCookie(bool secure) {
  std::string cookie(kSessionCookieName);
  cookie += "=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

SessionAuthenticator::SessionAuthenticator(AuthService& auth, AuditLog& audit)
    : auth_(auth), audit_(audit) {}

std::optional<Actor> SessionAuthenticator::Authenticate(const http::Request& request) {
  auto token = SessionTokenFromRequest(request);
  if (!token) return std::nullopt;
  auto actor = auth_.Authenticate(*token);
  if (!actor) return std::nullopt;
  actor->client_ip = request.client_ip;
  return std::move(*actor);
}

bool SessionAuthenticator::CheckCsrf(const http::Request& request, const Actor& actor) {
  if (actor.session_id <= 0) return false;
  auto token = SessionTokenFromRequest(request);
  if (!token) return false;
  std::string_view sent = request.Header(kCsrfHeader);
  std::string expected = AuthService::CsrfTokenFor(*token);
  // Compare fixed-length digests so neither the length nor the content leaks through timing.
  return !sent.empty() && ConstantTimeEquals(Sha256(sent), Sha256(expected));
}

void SessionAuthenticator::OnDenied(const http::Request& request, int status,
                                    std::string_view reason) {
  std::string target(http::MethodName(request.method));
  target += ' ';
  std::string_view path = request.path;
  if (path.size() > kMaxAuditPath) path = path.substr(0, kMaxAuditPath);
  target += IsValidUtf8(path) ? std::string(path) : std::string("(invalid path)");
  std::string detail = std::to_string(status);
  detail += ' ';
  detail += reason;
  const Actor* actor = request.actor ? &*request.actor : nullptr;
  (void)audit_.Record(actor,
                      {.action = "http.denied",
                       .target = std::move(target),
                       .result = AuditResult::kDenied,
                       .detail = std::move(detail)},
                      request.client_ip);
}

}  // namespace lianxin::auth
