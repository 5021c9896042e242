// The JSON-lines access log. It never records headers, cookies, tokens, bodies or query
// strings: only what identifies the request and its outcome.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/error.h"

namespace lianxin::http {

struct AccessRecord {
  int64_t unix_millis = 0;
  std::string_view method;
  std::string_view route;  // the route pattern, or a fixed name ("static", "unmatched")
  std::string_view path;   // without the query string
  int status = 0;
  double duration_ms = 0;
  size_t bytes = 0;
  std::string_view request_id;
  std::string_view client_ip;
};

class AccessLog {
 public:
  // "-" writes to standard output, "" disables the log, anything else appends to that file.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& destination);
  ~AccessLog();

  // Writes one line; thread-safe.
  void Write(const AccessRecord& record);

 private:
  AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  std::mutex mutex_;
  std::FILE* file_;
  bool owned_;
};

// The line Write() would write, without the newline (exposed for tests).
std::string FormatAccessRecord(const AccessRecord& record);

}  // namespace lianxin::http
