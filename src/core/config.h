// Configuration: defaults that need no file, then lianxin.toml, then LIANXIN_* variables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace lianxin {

struct Config {
  // A file path (SQLite) or a postgresql:// URL.
  std::string database = "var/lianxin.db";
  // 32 random bytes (created 0600 on first start) that seal personal data at rest.
  std::string data_key_file = "var/data.key";

  std::string listen_address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; the chosen one is printed
  std::string web_root = "web/dist";
  std::string public_url;  // e.g. https://lianxin.example.gov.cn; used for Origin checks

  int io_threads = 1;
  int worker_threads = 4;
  size_t worker_queue = 512;  // requests waiting for a worker before 503
  size_t max_connections = 1024;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;  // routes may override
  int read_timeout_seconds = 15;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 10;

  double rate_limit_per_second = 100;  // per client IP; 0 turns the limit off
  double rate_limit_burst = 200;
  bool trust_forwarded_for = false;  // take the client IP from X-Forwarded-For (behind nginx)
  bool behind_tls = false;           // Secure cookies and HSTS

  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int audit_retention_days = 180;

  std::string attachments_dir = "var/attachments";  // uploaded photos, re-encoded

  // Outbound messages to citizens: "recording" keeps them in the outbox table only
  // (development); "http" posts each to the URL of its channel's gateway.
  std::string outbox_sender = "recording";
  std::string outbox_sms_url;
  std::string outbox_wechat_cs_url;
  std::string outbox_bearer_token;  // prefer LIANXIN_OUTBOX_BEARER_TOKEN to the file

  std::string access_log = "-";  // "-" for standard output, "" for none, or a file path
  std::string log_level = "info";
};

// Reads `file` when given (a missing explicit file is an error; a missing default
// "lianxin.toml" is not), then applies variables such as LIANXIN_DATABASE, LIANXIN_PORT,
// LIANXIN_WORKER_THREADS: the key upper-cased with the LIANXIN_ prefix.
// Returns kInvalidArgument naming the key for a value of the wrong type.
Result<Config> LoadConfig(const std::optional<std::string>& file,
                          const std::function<const char*(const char*)>& getenv);

}  // namespace lianxin
