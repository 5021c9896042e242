#include "http/metrics.h"

#include <fmt/format.h>

namespace lianxin::http {
namespace {

std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void Metrics::Record(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), std::string(method), status}];
  auto it = durations_.find(route);
  if (it == durations_.end()) it = durations_.emplace(std::string(route), Histogram{}).first;
  Histogram& histogram = it->second;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.counts[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::Text(const Gauges& gauges) const {
  std::string out;
  out +=
      "# HELP lianxin_http_requests_total HTTP requests by route pattern, method and status.\n"
      "# TYPE lianxin_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out +=
        fmt::format("lianxin_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                    EscapeLabel(route), EscapeLabel(method), status, count);
  }
  out +=
      "# HELP lianxin_http_request_duration_seconds Time from request read to response ready.\n"
      "# TYPE lianxin_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : durations_) {
    std::string label = EscapeLabel(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out +=
          fmt::format("lianxin_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      label, kBuckets[i], histogram.counts[i]);
    }
    out += fmt::format(
        "lianxin_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n"
        "lianxin_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n"
        "lianxin_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
        label, histogram.count, label, histogram.sum, label, histogram.count);
  }
  out += fmt::format(
      "# HELP lianxin_worker_queue_depth Requests waiting for a worker.\n"
      "# TYPE lianxin_worker_queue_depth gauge\n"
      "lianxin_worker_queue_depth {}\n"
      "# HELP lianxin_worker_busy Workers running a request.\n"
      "# TYPE lianxin_worker_busy gauge\n"
      "lianxin_worker_busy {}\n"
      "# HELP lianxin_open_connections Open client connections.\n"
      "# TYPE lianxin_open_connections gauge\n"
      "lianxin_open_connections {}\n",
      gauges.worker_queue_depth, gauges.worker_busy, gauges.open_connections);
  return out;
}

}  // namespace lianxin::http
