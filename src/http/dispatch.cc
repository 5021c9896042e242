#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "core/crypto.h"
#include "core/text.h"
#include "http/server.h"

namespace lianxin::http {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

bool IsIpCharacter(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
         c == ':';
}

Response Deny(const Request& request, Authenticator* authenticator, int status,
              std::string_view reason, std::string_view detail) {
  if (authenticator != nullptr) authenticator->OnDenied(request, status, reason);
  return Problem(status, "", detail);
}

std::string WithoutTrailingSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return ToLowerAscii(url);
}

}  // namespace

bool IsApiPath(std::string_view path) {
  for (std::string_view prefix : {"/api", "/open311", "/channels"}) {
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/')) return true;
  }
  for (const auto& builtin : BuiltinGetPaths()) {
    if (path == builtin) return true;
  }
  return false;
}

const std::vector<std::string>& BuiltinGetPaths() {
  static const std::vector<std::string> kPaths = {"/healthz", "/readyz", "/metrics"};
  return kPaths;
}

bool IsStateChanging(Method method) {
  return method == Method::kPost || method == Method::kPut || method == Method::kPatch ||
         method == Method::kDelete;
}

void AddSecurityHeaders(Response& response, bool behind_tls) {
  response.SetHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  response.SetHeader("X-Frame-Options", "DENY");
  if (behind_tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
}

std::string RequestIdFor(std::string_view incoming) {
  bool sane = !incoming.empty() && incoming.size() <= 64;
  for (char c : incoming) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) sane = false;
  }
  return sane ? std::string(incoming) : RandomHex(12);
}

std::string ClientIpFor(std::string_view peer_ip, std::string_view forwarded_for,
                        bool trust_forwarded_for) {
  if (trust_forwarded_for && !forwarded_for.empty()) {
    std::string_view first = Trim(forwarded_for.substr(0, forwarded_for.find(',')));
    bool looks_like_ip = !first.empty() && first.size() <= 45;
    for (char c : first) looks_like_ip = looks_like_ip && IsIpCharacter(c);
    if (looks_like_ip) return std::string(first);
  }
  return std::string(peer_ip);
}

bool OriginAllowed(const Request& request, std::string_view origin, const OriginPolicy& policy) {
  std::string wanted = ToLowerAscii(origin);
  std::string_view host = request.Header("host");
  if (!host.empty()) {
    std::string own =
        ToLowerAscii(std::string(policy.behind_tls ? "https://" : "http://") + std::string(host));
    if (wanted == own) return true;
  }
  return !policy.public_url.empty() && wanted == WithoutTrailingSlash(policy.public_url);
}

Response RunRoute(const Route& route, Request& request, Authenticator* authenticator,
                  const OriginPolicy& policy) {
  try {
    if (authenticator != nullptr) {
      request.actor = authenticator->Authenticate(request);
      if (request.actor && request.actor->client_ip.empty()) {
        request.actor->client_ip = request.client_ip;
      }
    }
    // Our own API is only ever called from our own pages: a browser's cross-origin write is
    // refused on every /api route, signed-in or not (sign-in included, against login CSRF).
    // Protocol adapters (/open311, /channels) serve other origins and have their own auth.
    if (IsStateChanging(request.method) && request.path.starts_with("/api/")) {
      std::string_view origin = request.Header("origin");
      if (!origin.empty() && !OriginAllowed(request, origin, policy)) {
        return Deny(request, authenticator, 403, "cross-origin request",
                    "Cross-origin requests are not allowed.");
      }
    }
    if (route.options.access == Access::kSignedIn) {
      if (!request.actor) {
        return Deny(request, authenticator, 401, "not signed in", "Sign in to continue.");
      }
      if (IsStateChanging(request.method) && !route.options.csrf_exempt &&
          (authenticator == nullptr || !authenticator->CheckCsrf(request, *request.actor))) {
        return Deny(request, authenticator, 403, "missing or invalid CSRF token",
                    "The CSRF token is missing or invalid.");
      }
    }
    return route.handler(request);
  } catch (const std::exception& error) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, MethodName(request.method),
                  route.pattern, error.what());
  } catch (...) {
    spdlog::error("request {} {} {} failed with an unknown exception", request.request_id,
                  MethodName(request.method), route.pattern);
  }
  return Problem(500, "", "An internal error occurred.");
}

}  // namespace lianxin::http
