#include "auth/login_limiter.h"

namespace lianxin::auth {

LoginRateLimiter::LoginRateLimiter(const Clock& clock, int max_failures,
                                   std::chrono::milliseconds window, size_t max_tracked_ips)
    : clock_(clock),
      max_failures_(max_failures < 1 ? 1 : max_failures),
      window_millis_(window.count()),
      max_tracked_ips_(max_tracked_ips) {}

void LoginRateLimiter::PruneLocked(std::deque<int64_t>& failures, int64_t now) const {
  while (!failures.empty() && failures.front() + window_millis_ <= now) failures.pop_front();
}

std::optional<std::chrono::milliseconds> LoginRateLimiter::RetryAfter(std::string_view ip) {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  auto it = failures_.find(std::string(ip));
  if (it == failures_.end()) return std::nullopt;
  PruneLocked(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return std::nullopt;
  }
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  // Free again when enough of the oldest failures leave the window.
  size_t excess = it->second.size() - static_cast<size_t>(max_failures_);
  int64_t free_at = it->second[excess] + window_millis_;
  return std::chrono::milliseconds(free_at - now);
}

void LoginRateLimiter::RecordFailure(std::string_view ip) {
  int64_t now = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  auto it = failures_.find(std::string(ip));
  if (it == failures_.end()) {
    if (failures_.size() >= max_tracked_ips_) {
      for (auto entry = failures_.begin(); entry != failures_.end();) {
        PruneLocked(entry->second, now);
        entry = entry->second.empty() ? failures_.erase(entry) : std::next(entry);
      }
      if (failures_.size() >= max_tracked_ips_) return;
    }
    it = failures_.emplace(std::string(ip), std::deque<int64_t>()).first;
  }
  PruneLocked(it->second, now);
  it->second.push_back(now);
  // Never keep more than needed to decide; an attacker cannot grow one entry without bound.
  while (static_cast<int>(it->second.size()) > max_failures_ * 2) it->second.pop_front();
}

}  // namespace lianxin::auth
