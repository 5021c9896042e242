// Staff sign-in: password check with lockout and per-IP limits, server-side sessions with
// idle and absolute expiry, sign-out, own sessions, own password change. Every sign-in
// success or failure, lockout, sign-out and password change is audited.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_log.h"
#include "auth/login_limiter.h"
#include "auth/passwords.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::auth {

struct AuthOptions {
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};
  int max_consecutive_failures = 5;  // then the account locks
  std::chrono::minutes lockout{15};
  int max_failures_per_ip = 20;  // within ip_window, across all accounts
  std::chrono::minutes ip_window{15};
  // Sliding the idle timer writes to the database at most this often per session.
  std::chrono::seconds touch_interval{60};

  // session_idle_minutes and session_absolute_hours from the configuration.
  static AuthOptions FromConfig(const Config& config);
};

// The signed-in account as the API shows it (login, /auth/me).
struct Profile {
  AccountId account_id = 0;
  std::string username;
  std::string display_name;
  UnitId unit_id = 0;
  std::string unit_name;
  std::string unit_path;
  std::vector<Role> roles;
};

struct LoginResult {
  std::string token;       // the session cookie value: 256 random bits, base64url (43 chars)
  std::string csrf_token;  // for the X-CSRF-Token header; derived from the token
  Actor actor;
  Profile profile;
};

struct SessionInfo {
  int64_t id = 0;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;  // the earlier of the idle and the absolute expiry
  std::string client_ip;
  std::string user_agent;
  bool current = false;
};

class AuthService {
 public:
  // `hasher` must outlive the service (tests pass the policy minimum).
  AuthService(storage::Database& database, const Clock& clock, AuditLog& audit,
              const PasswordHasher& hasher, AuthOptions options = {});

  // Checks the credentials and opens a new session. Errors: kUnauthenticated for a wrong
  // username or password (the same message and similar time either way, also for inactive
  // accounts); kTooManyRequests while the account is locked or `client_ip` has too many
  // recent failures, with `retry_after_seconds` (when non-null) set to the wait.
  [[nodiscard]] Result<LoginResult> Login(std::string_view username, std::string_view password,
                                          std::string_view client_ip, std::string_view user_agent,
                                          int64_t* retry_after_seconds = nullptr);

  // The actor of a live session (not revoked, not past idle or absolute expiry, account
  // active), with roles and unit path; slides the idle timer (written at most once per
  // touch_interval). kUnauthenticated otherwise.
  [[nodiscard]] Result<Actor> Authenticate(std::string_view token);

  // The signed-in account's profile (for /auth/me). kUnauthenticated if it is gone.
  [[nodiscard]] Result<Profile> GetProfile(const Actor& actor);

  // Revokes the actor's current session.
  [[nodiscard]] Status Logout(const Actor& actor);
  // The actor's live sessions, newest first; `current` marks actor.session_id.
  [[nodiscard]] Result<std::vector<SessionInfo>> ListSessions(const Actor& actor);
  // Revokes one of the actor's own sessions; kNotFound for another account's or an unknown id.
  [[nodiscard]] Status RevokeSession(const Actor& actor, int64_t session_id);
  // Verifies `current_password`, applies the policy to `new_password` (kInvalidArgument with
  // field "new_password"; a wrong current password is kInvalidArgument on
  // "current_password"), stores the new hash and revokes the actor's other sessions.
  [[nodiscard]] Status ChangePassword(const Actor& actor, std::string_view current_password,
                                      std::string_view new_password);

  // The CSRF token that belongs to the session `token`: an HMAC of a fixed label under the
  // token, so it need not be stored and does not reveal the token.
  static std::string CsrfTokenFor(std::string_view token);
  // True when `token` has the shape of a session token (43 base64url characters).
  static bool LooksLikeToken(std::string_view token);

  const AuthOptions& options() const { return options_; }

 private:
  storage::Database& database_;
  const Clock& clock_;
  AuditLog& audit_;
  const PasswordHasher& hasher_;
  AuthOptions options_;
  LoginRateLimiter ip_limiter_;
  std::string dummy_hash_;  // verified against for unknown users, so timing reveals nothing
};

// Revokes every live session of `account_id` except `keep_session_id` (0: keep none), inside
// the caller's write transaction. Returns the number revoked.
[[nodiscard]] Result<int64_t> RevokeAccountSessions(storage::Session& session, AccountId account_id,
                                                    int64_t keep_session_id, int64_t now_millis);

// Loads the roles of `account_id`, in the order of the Role enum.
[[nodiscard]] Result<std::vector<Role>> LoadRoles(storage::Session& session, AccountId account_id);

}  // namespace lianxin::auth
