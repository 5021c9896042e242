#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace lianxin::http {
namespace {

// Bounds memory under many distinct clients: full buckets carry no state worth keeping.
constexpr size_t kMaxTrackedClients = 100'000;

}  // namespace

RateLimiter::RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

int RateLimiter::Acquire(std::string_view client, TimePoint now) {
  if (rate_ <= 0) return 0;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxTrackedClients) ForgetFullBuckets(now);
    it = buckets_.emplace(std::string(client), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  double elapsed = std::chrono::duration<double>(now - bucket.last).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.last = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  double wait = (1.0 - bucket.tokens) / rate_;
  return static_cast<int>(std::clamp(std::ceil(wait), 1.0, 86400.0));
}

void RateLimiter::ForgetFullBuckets(TimePoint now) {
  std::erase_if(buckets_, [&](const auto& entry) {
    double elapsed = std::chrono::duration<double>(now - entry.second.last).count();
    return entry.second.tokens + elapsed * rate_ >= burst_;
  });
  // Still too many (a flood of fresh clients): start over rather than grow without bound.
  if (buckets_.size() >= kMaxTrackedClients) buckets_.clear();
}

}  // namespace lianxin::http
