// Job leases: a row per periodic job in job_leases, so that when several app nodes share one
// database, one node at a time runs each job. The same SQL serves both dialects.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "storage/database.h"

namespace lianxin::storage {

// Takes the lease `name` for `holder` until now_millis + ttl_millis when it is free, expired
// (expires_at <= now_millis) or already held by `holder` (a renewal). Returns true when
// `holder` holds it afterwards, false when another holder's lease is still running.
[[nodiscard]] Result<bool> TryAcquireLease(Database& database, std::string_view name,
                                           std::string_view holder, int64_t now_millis,
                                           int64_t ttl_millis);

// Gives up the lease `name` when `holder` holds it; does nothing otherwise.
[[nodiscard]] Status ReleaseLease(Database& database, std::string_view name,
                                  std::string_view holder);

}  // namespace lianxin::storage
