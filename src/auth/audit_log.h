// The append-only, hash-chained audit log: every state change and every denied request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::auth {

enum class AuditResult { kOk, kDenied, kFailed };

struct AuditEvent {
  std::string action;  // "unit.create", "officer.reveal_phone", "auth.login", "http.denied"
  std::string target;  // "unit:17", "account:3", a route for HTTP denials
  AuditResult result = AuditResult::kOk;
  std::string detail;  // short, never personal data or secrets
};

struct AuditRecord {
  int64_t id = 0;
  int64_t at_millis = 0;
  int64_t account_id = 0;  // 0 when nobody was signed in
  std::string username;
  int64_t unit_id = 0;
  std::string action;
  std::string target;
  AuditResult result = AuditResult::kOk;
  std::string detail;
  std::string client_ip;
  std::string hash;  // hex SHA-256 over the previous hash and this record
};

struct AuditQuery {
  std::optional<std::string> username;
  std::optional<std::string> action_prefix;
  std::optional<AuditResult> result;
  std::optional<int64_t> from_millis;
  std::optional<int64_t> to_millis;
  int64_t offset = 0;
  int64_t limit = 20;
};

class AuditLog {
 public:
  AuditLog(storage::Database& database, const Clock& clock);

  // Appends inside the caller's write transaction, so a state change and its record commit
  // together. `actor` may be null (anonymous: sign-in attempts, public requests).
  [[nodiscard]] Status Append(storage::Session& session, const Actor* actor,
                              const AuditEvent& event, std::string_view client_ip = {});
  // Appends in a transaction of its own (denials, failed sign-ins).
  [[nodiscard]] Status Record(const Actor* actor, const AuditEvent& event,
                              std::string_view client_ip = {});

  [[nodiscard]] Result<std::vector<AuditRecord>> Search(const AuditQuery& query, int64_t& total);

  // Recomputes the chain; returns the id of the first record that does not match, or
  // nullopt when the whole chain verifies. `checked` receives the number of records read.
  [[nodiscard]] Result<std::optional<int64_t>> Verify(int64_t& checked);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

std::string_view AuditResultName(AuditResult result);

}  // namespace lianxin::auth
