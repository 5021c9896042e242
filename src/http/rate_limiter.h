// Per-client token buckets: `rate` tokens a second up to `burst`, one per request.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lianxin::http {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // A `rate` of 0 (or less) disables limiting.
  RateLimiter(double rate, double burst);

  // Takes a token from `client`'s bucket at `now`. Returns 0 when allowed, else the whole
  // number of seconds (at least 1) after which a token will be available.
  int Acquire(std::string_view client, TimePoint now);

 private:
  struct Bucket {
    double tokens;
    TimePoint last;
  };
  void ForgetFullBuckets(TimePoint now);

  const double rate_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace lianxin::http
