#include "http/access_log.h"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/time.h"

namespace lianxin::http {

std::string FormatAccessRecord(const AccessRecord& record) {
  nlohmann::json line = {
      {"ts", FormatIso8601(record.unix_millis)},
      {"method", record.method},
      {"route", record.route},
      {"path", record.path},
      {"status", record.status},
      {"duration_ms", static_cast<double>(static_cast<int64_t>(record.duration_ms * 1000)) / 1000},
      {"bytes", record.bytes},
      {"request_id", record.request_id},
      {"client_ip", record.client_ip},
  };
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& destination) {
  if (destination.empty()) return std::unique_ptr<AccessLog>();
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
  std::FILE* file = std::fopen(destination.c_str(), "a");
  if (file == nullptr) {
    return MakeError(ErrorCode::kUnavailable,
                     "Cannot open access log " + destination + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

void AccessLog::Write(const AccessRecord& record) {
  std::string line = FormatAccessRecord(record);
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace lianxin::http
