// The append-only, hash-chained audit log: every state change and every denied request.
// There is deliberately no update or delete API: records are kept at least 180 days
// (Config::audit_retention_days; see src/auth/README.md for the rules any pruning must obey).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  // Used only when no actor is given (e.g. a failed sign-in on an existing account): whom
  // the event concerns, so the record can be searched by username and unit.
  std::string username = {};
  int64_t account_id = 0;
  int64_t unit_id = 0;
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
  // Only records whose unit lies in this subtree ("/1/4/"); nullopt for every unit.
  std::optional<std::string> unit_path_prefix;
  // With unit_path_prefix: also records that belong to no unit (anonymous sign-in failures).
  bool include_unitless = false;
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

  // The records matching `query`, newest first, one page; `total` receives the number of
  // matching records. username and result match exactly, action_prefix as a prefix, the
  // time range is inclusive.
  [[nodiscard]] Result<std::vector<AuditRecord>> Search(const AuditQuery& query, int64_t& total);

  // Recomputes the chain; returns the id of the first record that does not match, or
  // nullopt when the whole chain verifies. `checked` receives the number of records read.
  [[nodiscard]] Result<std::optional<int64_t>> Verify(int64_t& checked);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

std::string_view AuditResultName(AuditResult result);
// Returns false when `name` is not "ok", "denied" or "failed".
bool ParseAuditResult(std::string_view name, AuditResult& result);

// The hash of a record given the previous record's hash (kAuditGenesisHash for the first):
// SHA-256 hex over prev_hash + "\n" + a canonical, length-prefixed serialisation of id, at,
// account_id, username, unit_id, action, target, result, detail and client_ip.
std::string AuditRecordHash(std::string_view prev_hash, const AuditRecord& record);
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditVerifyReport {
  bool ok = true;
  int64_t checked = 0;
  std::optional<int64_t> first_bad_id;
};
// For `lianxin audit verify`: walks the whole chain of `database` in id order.
[[nodiscard]] Result<AuditVerifyReport> VerifyAuditLog(storage::Database& database);

}  // namespace lianxin::auth
