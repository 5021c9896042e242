// In-memory limit on failed sign-ins per client IP, against password spraying across accounts.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace lianxin::auth {

// Counts failed sign-ins per IP in a sliding window. Thread-safe. Memory is bounded: at most
// `max_tracked_ips` addresses are tracked; past that, the entries with no failure inside the
// window are dropped, and if that is not enough the IP is not tracked (fail open for memory,
// the per-account lockout still holds).
class LoginRateLimiter {
 public:
  LoginRateLimiter(const Clock& clock, int max_failures = 20,
                   std::chrono::milliseconds window = std::chrono::minutes(15),
                   size_t max_tracked_ips = 100'000);

  // How long `ip` must wait before trying again, or nullopt when it may try now.
  std::optional<std::chrono::milliseconds> RetryAfter(std::string_view ip);
  // Counts one failed attempt from `ip`.
  void RecordFailure(std::string_view ip);

 private:
  void PruneLocked(std::deque<int64_t>& failures, int64_t now) const;

  const Clock& clock_;
  const int max_failures_;
  const int64_t window_millis_;
  const size_t max_tracked_ips_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // ip -> failure times
};

}  // namespace lianxin::auth
