// The HTTP server: Beast/Asio behind a pimpl, so this header stays Boost-free and cheap.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/error.h"
#include "http/api.h"

namespace lianxin::http {

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; Start() returns it
  int io_threads = 1;
  int worker_threads = 4;
  size_t worker_queue = 512;  // requests waiting for a worker before 503
  size_t max_connections = 1024;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;  // RouteOptions::max_body_bytes overrides per route
  int read_timeout_seconds = 15;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 10;
  double rate_limit_per_second = 100;  // per client IP; 0 disables
  double rate_limit_burst = 200;
  bool trust_forwarded_for = false;
  bool behind_tls = false;       // adds HSTS; "https" is the request's own origin scheme
  std::string public_url;        // also accepted as Origin
  std::string web_root;          // "" or missing: no static files
  std::string access_log = "-";  // "-" stdout, "" none, else a file path
  // Decides GET /readyz (run on the worker pool); empty means always ready.
  std::function<bool()> ready_check;
};

// The server settings of `config`; ready_check is left empty for the caller to set.
ServerOptions ServerOptionsFromConfig(const Config& config);

// The paths the server answers itself, outside any Router: GET /healthz, /readyz, /metrics.
const std::vector<std::string>& BuiltinGetPaths();

class Server {
 public:
  // `router` and `authenticator` (nullable: then every signed-in route answers 401) must
  // outlive the server.
  Server(ServerOptions options, const Router& router, Authenticator* authenticator);
  // Stops (gracefully) and waits when still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then starts the I/O and worker threads. Returns the bound port, or
  // kUnavailable when the address cannot be bound or the access log cannot be opened.
  Result<int> Start();
  // Blocks until the server has stopped (after Stop() or a signal) and its threads ended.
  void Wait();
  // Graceful and idempotent, callable from any thread: stops accepting, closes idle
  // keep-alive connections, lets in-flight requests finish for up to shutdown_grace_seconds,
  // then closes everything. Returns at once; Wait() blocks until done.
  void Stop();
  // SIGTERM and SIGINT call Stop().
  void StopOnSignals();
  // The Prometheus text served at /metrics.
  std::string MetricsText() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lianxin::http
