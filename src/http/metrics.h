// Request counters and latency histograms, rendered as Prometheus text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace lianxin::http {

class Metrics {
 public:
  // Counts one request. `route` is the route pattern (or a fixed name such as "static"),
  // never the raw path, so the number of series stays bounded.
  void Record(std::string_view route, std::string_view method, int status, double seconds);

  struct Gauges {
    size_t worker_queue_depth = 0;
    size_t worker_busy = 0;
    size_t open_connections = 0;
  };
  // The Prometheus text exposition of everything recorded, plus `gauges`.
  std::string Text(const Gauges& gauges) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram, std::less<>> durations_;
};

}  // namespace lianxin::http
