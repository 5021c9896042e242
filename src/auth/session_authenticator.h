// The server's view of sessions: reads the `lianxin_session` cookie, checks the CSRF token,
// audits the server's own denials. Also builds the Set-Cookie values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "http/api.h"

namespace lianxin::auth {

inline constexpr std::string_view kSessionCookieName = "lianxin_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// The session token carried by the request's Cookie header(s). Nullopt when there is none,
// when it is not shaped like a token, or when the cookie appears more than once with
// different values (an injected duplicate must not pick the session). Tolerates missing
// '=', empty pairs, quotes and white space; reads at most 16 KiB of cookie text.
std::optional<std::string> SessionTokenFromRequest(const http::Request& request);
// The same, for one Cookie header value (tests).
std::optional<std::string> SessionTokenFromCookieHeader(std::string_view cookie_header);

// "lianxin_session=<token>; Path=/; HttpOnly; SameSite=Lax" (+ "; Secure" behind TLS).
std::string SessionCookie(std::string_view token, bool secure);
// A Set-Cookie value that removes the session cookie.
std::string ClearSessionCookie(bool secure);

class SessionAuthenticator final : public http::Authenticator {
 public:
  SessionAuthenticator(AuthService& auth, AuditLog& audit);

  // The actor of the request's session (client_ip taken from the request), or nullopt.
  std::optional<Actor> Authenticate(const http::Request& request) override;
  // Compares X-CSRF-Token with the session's CSRF token in constant time.
  bool CheckCsrf(const http::Request& request, const Actor& actor) override;
  // Records "http.denied" (result denied) with the method and path, the status and reason.
  void OnDenied(const http::Request& request, int status, std::string_view reason) override;

 private:
  AuthService& auth_;
  AuditLog& audit_;
};

}  // namespace lianxin::auth
