#include "auth/auth_service.h"

#include <algorithm>
#include <utility>

#include "core/crypto.h"
#include "core/text.h"

namespace lianxin::auth {
namespace {

using storage::Null;
using storage::Params;
using storage::Row;

constexpr std::string_view kFindAccountByName =
    "SELECT a.id, a.username, a.display_name, a.officer_id, a.unit_id, a.password_hash, "
    "a.active, a.locked_until, u.path, u.name FROM accounts a JOIN units u ON u.id = a.unit_id "
    "WHERE a.username = $1";
constexpr std::string_view kCountFailure =
    "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = CAST($1 AS BIGINT) "
    "RETURNING failed_logins";
constexpr std::string_view kLockAccount =
    "UPDATE accounts SET failed_logins = 0, locked_until = CAST($2 AS BIGINT) "
    "WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kRecordSuccess =
    "UPDATE accounts SET failed_logins = 0, locked_until = NULL, "
    "last_login_at = CAST($2 AS BIGINT) WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kRehash =
    "UPDATE accounts SET password_hash = $2 WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, csrf_hash, account_id, created_at, last_seen_at, "
    "idle_expires_at, absolute_expires_at, client_ip, user_agent) VALUES ($1, $2, "
    "CAST($3 AS BIGINT), CAST($4 AS BIGINT), CAST($4 AS BIGINT), CAST($5 AS BIGINT), "
    "CAST($6 AS BIGINT), $7, $8) RETURNING id";
constexpr std::string_view kFindSession =
    "SELECT s.id, s.account_id, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at, "
    "a.username, a.officer_id, a.unit_id, u.path, a.active FROM sessions s "
    "JOIN accounts a ON a.id = s.account_id JOIN units u ON u.id = a.unit_id "
    "WHERE s.token_hash = $1 AND s.revoked_at IS NULL";
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at = CAST($2 AS BIGINT), idle_expires_at = CAST($3 AS BIGINT) "
    "WHERE id = CAST($1 AS BIGINT) AND revoked_at IS NULL";
constexpr std::string_view kLoadRoles =
    "SELECT role FROM account_roles WHERE account_id = CAST($1 AS BIGINT)";
constexpr std::string_view kProfile =
    "SELECT a.username, a.display_name, a.unit_id, u.name, u.path, a.active FROM accounts a "
    "JOIN units u ON u.id = a.unit_id WHERE a.id = CAST($1 AS BIGINT)";
constexpr std::string_view kRevokeSession =
    "UPDATE sessions SET revoked_at = CAST($3 AS BIGINT) WHERE id = CAST($1 AS BIGINT) "
    "AND account_id = CAST($2 AS BIGINT) AND revoked_at IS NULL";
constexpr std::string_view kRevokeAccountSessions =
    "UPDATE sessions SET revoked_at = CAST($3 AS BIGINT) WHERE account_id = CAST($1 AS BIGINT) "
    "AND id <> CAST($2 AS BIGINT) AND revoked_at IS NULL";
constexpr std::string_view kListSessions =
    "SELECT id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, client_ip, "
    "user_agent FROM sessions WHERE account_id = CAST($1 AS BIGINT) AND revoked_at IS NULL "
    "AND idle_expires_at > CAST($2 AS BIGINT) AND absolute_expires_at > CAST($2 AS BIGINT) "
    "ORDER BY id DESC";
constexpr std::string_view kPasswordHash =
    "SELECT password_hash FROM accounts WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kSetOwnPassword =
    "UPDATE accounts SET password_hash = $2, password_changed_at = CAST($3 AS BIGINT), "
    "updated_at = CAST($3 AS BIGINT), version = version + 1 WHERE id = CAST($1 AS BIGINT)";

constexpr std::string_view kWrongCredentials = "Wrong username or password.";
constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, no padding
constexpr size_t kMaxUsernameBytes = 64;
constexpr size_t kMaxUserAgentBytes = 256;

std::string Target(int64_t account_id) { return "account:" + std::to_string(account_id); }

int64_t CeilSeconds(int64_t millis) { return millis <= 0 ? 1 : (millis + 999) / 1000; }

// A user agent as stored: valid UTF-8, printable, bounded.
std::string CleanUserAgent(std::string_view user_agent) {
  std::string out;
  for (char c : user_agent.substr(0, kMaxUserAgentBytes)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) out.push_back(c);
  }
  return out;
}

struct AccountRow {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  int64_t officer_id = 0;
  int64_t unit_id = 0;
  std::string password_hash;
  bool active = false;
  std::optional<int64_t> locked_until;
  std::string unit_path;
  std::string unit_name;
};

}  // namespace

AuthOptions AuthOptions::FromConfig(const Config& config) {
  AuthOptions options;
  if (config.session_idle_minutes > 0) {
    options.session_idle = std::chrono::minutes(config.session_idle_minutes);
  }
  if (config.session_absolute_hours > 0) {
    options.session_absolute = std::chrono::hours(config.session_absolute_hours);
  }
  return options;
}

Result<std::vector<Role>> LoadRoles(storage::Session& session, AccountId account_id) {
  auto rows = session.Query(kLoadRoles, Params{account_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Role> roles;
  for (const Row& row : *rows) {
    Role role;
    if (ParseRole(row.Text(0), role)) roles.push_back(role);
  }
  std::sort(roles.begin(), roles.end());
  return roles;
}

Result<int64_t> RevokeAccountSessions(storage::Session& session, AccountId account_id,
                                      int64_t keep_session_id, int64_t now_millis) {
  return session.Execute(kRevokeAccountSessions, Params{account_id, keep_session_id, now_millis});
}

AuthService::AuthService(storage::Database& database, const Clock& clock, AuditLog& audit,
                         const PasswordHasher& hasher, AuthOptions options)
    : database_(database),
      clock_(clock),
      audit_(audit),
      hasher_(hasher),
      options_(options),
      ip_limiter_(clock, options.max_failures_per_ip, options.ip_window) {
  auto dummy = hasher_.Hash(RandomHex(16));
  if (dummy) dummy_hash_ = std::move(*dummy);
}

std::string AuthService::CsrfTokenFor(std::string_view token) {
  return HmacSha256Hex(token, "lianxin.csrf.v1");
}

bool AuthService::LooksLikeToken(std::string_view token) {
  if (token.size() != kTokenChars) return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

Result<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                       std::string_view client_ip, std::string_view user_agent,
                                       int64_t* retry_after_seconds) {
  const int64_t now = clock_.NowMillis();
  std::string ip(client_ip);
  auto too_many = [&](int64_t wait_millis, std::string message) {
    if (retry_after_seconds != nullptr) *retry_after_seconds = CeilSeconds(wait_millis);
    return MakeError(ErrorCode::kTooManyRequests, std::move(message));
  };

  if (auto wait = ip_limiter_.RetryAfter(ip)) {
    (void)audit_.Record(nullptr,
                        {.action = "auth.login",
                         .target = "",
                         .result = AuditResult::kDenied,
                         .detail = "too many failed sign-ins from this address"},
                        ip);
    return too_many(wait->count(), "Too many failed sign-ins from this address; try later.");
  }

  std::string name = ToLowerAscii(Trim(username));
  std::optional<AccountRow> account;
  if (!name.empty() && name.size() <= kMaxUsernameBytes && IsValidUtf8(name)) {
    auto found = database_.Read<std::optional<AccountRow>>(
        [&](storage::Session& session) -> Result<std::optional<AccountRow>> {
          auto row = session.QueryOne(kFindAccountByName, Params{name});
          if (!row) return std::unexpected(row.error());
          if (!*row) return std::optional<AccountRow>();
          const Row& r = **row;
          AccountRow a;
          a.id = r.Int(0);
          a.username = r.Text(1);
          a.display_name = r.Text(2);
          a.officer_id = r.OptInt(3).value_or(0);
          a.unit_id = r.Int(4);
          a.password_hash = r.Text(5);
          a.active = r.Bool(6);
          a.locked_until = r.OptInt(7);
          a.unit_path = r.Text(8);
          a.unit_name = r.Text(9);
          return std::optional<AccountRow>(std::move(a));
        });
    if (!found) return std::unexpected(found.error());
    account = std::move(*found);
  }

  if (!account) {
    // Same work as a real check, so the answer's timing does not tell who exists.
    (void)hasher_.Verify(dummy_hash_, password);
    ip_limiter_.RecordFailure(ip);
    (void)audit_.Record(nullptr,
                        {.action = "auth.login",
                         .target = "",
                         .result = AuditResult::kFailed,
                         .detail = "unknown username"},
                        ip);
    return MakeError(ErrorCode::kUnauthenticated, std::string(kWrongCredentials));
  }

  AuditEvent about{.action = "auth.login",
                   .target = Target(account->id),
                   .result = AuditResult::kFailed,
                   .detail = "",
                   .username = account->username,
                   .account_id = account->id,
                   .unit_id = account->unit_id};

  if (account->locked_until && *account->locked_until > now) {
    ip_limiter_.RecordFailure(ip);
    about.result = AuditResult::kDenied;
    about.detail = "account locked";
    (void)audit_.Record(nullptr, about, ip);
    return too_many(*account->locked_until - now,
                    "Too many failed sign-ins; the account is locked for a while.");
  }

  const bool password_ok = hasher_.Verify(account->password_hash, password);
  if (!password_ok || !account->active) {
    ip_limiter_.RecordFailure(ip);
    auto counted = database_.Write<void>([&](storage::Session& session) -> Status {
      about.detail = password_ok ? "account inactive" : "wrong password";
      if (!password_ok) {
        auto failures = session.QueryOne(kCountFailure, Params{account->id});
        if (!failures) return std::unexpected(failures.error());
        if (*failures && (*failures)->Int(0) >= options_.max_consecutive_failures) {
          int64_t until =
              now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lockout).count();
          auto locked = session.Execute(kLockAccount, Params{account->id, until});
          if (!locked) return std::unexpected(locked.error());
          AuditEvent lockout = about;
          lockout.action = "auth.lockout";
          lockout.result = AuditResult::kOk;
          lockout.detail = "locked after consecutive failed sign-ins";
          if (auto s = audit_.Append(session, nullptr, lockout, ip); !s) return s;
        }
      }
      return audit_.Append(session, nullptr, about, ip);
    });
    if (!counted) return std::unexpected(counted.error());
    return MakeError(ErrorCode::kUnauthenticated, std::string(kWrongCredentials));
  }

  std::optional<std::string> rehash;
  if (hasher_.NeedsRehash(account->password_hash)) {
    auto hashed = hasher_.Hash(password);
    if (hashed) rehash = std::move(*hashed);
  }

  LoginResult result;
  result.token = Base64UrlEncode(RandomBytes(kTokenBytes));
  result.csrf_token = CsrfTokenFor(result.token);
  const int64_t absolute =
      now +
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_absolute).count();
  const int64_t idle = std::min(
      absolute,
      now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle).count());

  auto stored = database_.Write<void>([&](storage::Session& session) -> Status {
    if (auto s = session.Execute(kRecordSuccess, Params{account->id, now}); !s) {
      return std::unexpected(s.error());
    }
    if (rehash) {
      if (auto s = session.Execute(kRehash, Params{account->id, *rehash}); !s) {
        return std::unexpected(s.error());
      }
    }
    auto inserted = session.QueryOne(
        kInsertSession, Params{Sha256Hex(result.token), Sha256Hex(result.csrf_token), account->id,
                               now, idle, absolute, ip, CleanUserAgent(user_agent)});
    if (!inserted) return std::unexpected(inserted.error());
    if (!*inserted) return MakeError(ErrorCode::kInternal, "session insert returned no id");
    auto roles = LoadRoles(session, account->id);
    if (!roles) return std::unexpected(roles.error());

    Actor& actor = result.actor;
    actor.account_id = account->id;
    actor.officer_id = account->officer_id;
    actor.unit_id = account->unit_id;
    actor.unit_path = account->unit_path;
    actor.username = account->username;
    actor.roles = *roles;
    actor.session_id = (*inserted)->Int(0);
    actor.client_ip = ip;

    about.result = AuditResult::kOk;
    about.detail = "";
    about.target = "session:" + std::to_string(actor.session_id);
    return audit_.Append(session, &actor, about, ip);
  });
  if (!stored) return std::unexpected(stored.error());

  result.profile = Profile{.account_id = account->id,
                           .username = account->username,
                           .display_name = account->display_name,
                           .unit_id = account->unit_id,
                           .unit_name = account->unit_name,
                           .unit_path = account->unit_path,
                           .roles = result.actor.roles};
  return result;
}

Result<Actor> AuthService::Authenticate(std::string_view token) {
  if (!LooksLikeToken(token)) {
    return MakeError(ErrorCode::kUnauthenticated, "Not signed in.");
  }
  const int64_t now = clock_.NowMillis();
  struct Found {
    Actor actor;
    int64_t last_seen_at = 0;
    int64_t absolute_expires_at = 0;
  };
  auto found = database_.Read<std::optional<Found>>(
      [&](storage::Session& session) -> Result<std::optional<Found>> {
        auto row = session.QueryOne(kFindSession, Params{Sha256Hex(token)});
        if (!row) return std::unexpected(row.error());
        if (!*row) return std::optional<Found>();
        const Row& r = **row;
        if (r.Int(3) <= now || r.Int(4) <= now || !r.Bool(9)) return std::optional<Found>();
        Found f;
        f.actor.session_id = r.Int(0);
        f.actor.account_id = r.Int(1);
        f.last_seen_at = r.Int(2);
        f.absolute_expires_at = r.Int(4);
        f.actor.username = r.Text(5);
        f.actor.officer_id = r.OptInt(6).value_or(0);
        f.actor.unit_id = r.Int(7);
        f.actor.unit_path = r.Text(8);
        auto roles = LoadRoles(session, f.actor.account_id);
        if (!roles) return std::unexpected(roles.error());
        f.actor.roles = std::move(*roles);
        return std::optional<Found>(std::move(f));
      });
  if (!found) return std::unexpected(found.error());
  if (!*found) return MakeError(ErrorCode::kUnauthenticated, "Not signed in.");

  Found& f = **found;
  const int64_t touch_millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.touch_interval).count();
  if (now - f.last_seen_at >= touch_millis) {
    const int64_t idle = std::min(
        f.absolute_expires_at,
        now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle).count());
    // A failed touch (a busy database) must not sign the user out; the next request retries.
    (void)database_.Write<void>([&](storage::Session& session) -> Status {
      auto touched = session.Execute(kTouchSession, Params{f.actor.session_id, now, idle});
      if (!touched) return std::unexpected(touched.error());
      return {};
    });
  }
  return std::move(f.actor);
}

Result<Profile> AuthService::GetProfile(const Actor& actor) {
  return database_.Read<Profile>([&](storage::Session& session) -> Result<Profile> {
    auto row = session.QueryOne(kProfile, Params{actor.account_id});
    if (!row) return std::unexpected(row.error());
    if (!*row || !(*row)->Bool(5)) return MakeError(ErrorCode::kUnauthenticated, "Not signed in.");
    const Row& r = **row;
    auto roles = LoadRoles(session, actor.account_id);
    if (!roles) return std::unexpected(roles.error());
    return Profile{.account_id = actor.account_id,
                   .username = r.Text(0),
                   .display_name = r.Text(1),
                   .unit_id = r.Int(2),
                   .unit_name = r.Text(3),
                   .unit_path = r.Text(4),
                   .roles = std::move(*roles)};
  });
}

Status AuthService::Logout(const Actor& actor) {
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](storage::Session& session) -> Status {
    auto revoked = session.Execute(kRevokeSession, Params{actor.session_id, actor.account_id, now});
    if (!revoked) return std::unexpected(revoked.error());
    return audit_.Append(session, &actor,
                         {.action = "auth.logout",
                          .target = "session:" + std::to_string(actor.session_id),
                          .result = AuditResult::kOk,
                          .detail = ""});
  });
}

Result<std::vector<SessionInfo>> AuthService::ListSessions(const Actor& actor) {
  const int64_t now = clock_.NowMillis();
  return database_.Read<std::vector<SessionInfo>>(
      [&](storage::Session& session) -> Result<std::vector<SessionInfo>> {
        auto rows = session.Query(kListSessions, Params{actor.account_id, now});
        if (!rows) return std::unexpected(rows.error());
        std::vector<SessionInfo> sessions;
        for (const Row& r : *rows) {
          SessionInfo info;
          info.id = r.Int(0);
          info.created_at = r.Int(1);
          info.last_seen_at = r.Int(2);
          info.expires_at = std::min(r.Int(3), r.Int(4));
          info.client_ip = r.Text(5);
          info.user_agent = r.Text(6);
          info.current = info.id == actor.session_id;
          sessions.push_back(std::move(info));
        }
        return sessions;
      });
}

Status AuthService::RevokeSession(const Actor& actor, int64_t session_id) {
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](storage::Session& session) -> Status {
    auto revoked = session.Execute(kRevokeSession, Params{session_id, actor.account_id, now});
    if (!revoked) return std::unexpected(revoked.error());
    if (*revoked == 0) return MakeError(ErrorCode::kNotFound, "No such session.");
    return audit_.Append(session, &actor,
                         {.action = "auth.session_revoke",
                          .target = "session:" + std::to_string(session_id),
                          .result = AuditResult::kOk,
                          .detail = ""});
  });
}

Status AuthService::ChangePassword(const Actor& actor, std::string_view current_password,
                                   std::string_view new_password) {
  auto stored = database_.Read<std::string>([&](storage::Session& session) -> Result<std::string> {
    auto row = session.QueryOne(kPasswordHash, Params{actor.account_id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kUnauthenticated, "Not signed in.");
    return (*row)->Text(0);
  });
  if (!stored) return std::unexpected(stored.error());

  std::vector<FieldError> errors;
  if (!hasher_.Verify(*stored, current_password)) {
    ip_limiter_.RecordFailure(actor.client_ip);
    errors.push_back({"current_password", "The current password is wrong."});
  }
  if (auto violation = PasswordPolicyViolation(new_password, actor.username)) {
    errors.push_back({"new_password", *violation});
  } else if (new_password == current_password) {
    errors.push_back({"new_password", "The new password must differ from the current one."});
  }
  if (!errors.empty()) {
    (void)audit_.Record(&actor, {.action = "auth.password_change",
                                 .target = Target(actor.account_id),
                                 .result = AuditResult::kFailed,
                                 .detail = errors.front().field == "current_password"
                                               ? "wrong current password"
                                               : "new password rejected by policy"});
    return InvalidFields(std::move(errors));
  }

  auto hashed = hasher_.Hash(new_password);
  if (!hashed) return std::unexpected(hashed.error());
  const int64_t now = clock_.NowMillis();
  return database_.Write<void>([&](storage::Session& session) -> Status {
    auto updated = session.Execute(kSetOwnPassword, Params{actor.account_id, *hashed, now});
    if (!updated) return std::unexpected(updated.error());
    auto revoked = RevokeAccountSessions(session, actor.account_id, actor.session_id, now);
    if (!revoked) return std::unexpected(revoked.error());
    return audit_.Append(session, &actor,
                         {.action = "auth.password_change",
                          .target = Target(actor.account_id),
                          .result = AuditResult::kOk,
                          .detail = "other sessions revoked: " + std::to_string(*revoked)});
  });
}

}  // namespace lianxin::auth
