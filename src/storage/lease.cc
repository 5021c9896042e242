#include "storage/lease.h"

#include <string>

namespace lianxin::storage {
namespace {

// $1 name, $2 holder, $3 new expiry, $4 now. The update applies only to an expired lease or
// one the holder already has; otherwise no row changes.
constexpr std::string_view kAcquireLease =
    "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
    " WHERE job_leases.expires_at <= CAST($4 AS BIGINT) OR job_leases.holder = $2";
constexpr std::string_view kReleaseLease = "DELETE FROM job_leases WHERE name = $1 AND holder = $2";

}  // namespace

Result<bool> TryAcquireLease(Database& database, std::string_view name, std::string_view holder,
                             int64_t now_millis, int64_t ttl_millis) {
  if (name.empty() || holder.empty() || ttl_millis <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "a lease needs a name, a holder and a ttl");
  }
  return database.Write<bool>([&](Session& session) -> Result<bool> {
    auto changed = session.Execute(kAcquireLease, {std::string(name), std::string(holder),
                                                   now_millis + ttl_millis, now_millis});
    if (!changed) return std::unexpected(changed.error());
    return *changed > 0;
  });
}

Status ReleaseLease(Database& database, std::string_view name, std::string_view holder) {
  return database.Write<void>([&](Session& session) -> Status {
    auto changed = session.Execute(kReleaseLease, {std::string(name), std::string(holder)});
    if (!changed) return std::unexpected(changed.error());
    return {};
  });
}

}  // namespace lianxin::storage
