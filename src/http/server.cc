// The Beast/Asio half of the server: accepting, reading, writing, timeouts and shutdown.
// Everything that can be decided without sockets lives in dispatch.cc, static_files.cc,
// rate_limiter.cc, metrics.cc, access_log.cc and worker_pool.cc.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/text.h"
#include "http/access_log.h"
#include "http/dispatch.h"
#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/static_files.h"
#include "http/worker_pool.h"

namespace lianxin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

// Runs `job` on `pool` and completes with its response on the caller's executor, or with
// nullopt at once when the pool's queue is full.
template <class CompletionToken>
auto AsyncRunOnPool(WorkerPool& pool, std::move_only_function<Response()> job,
                    CompletionToken&& token) {
  return asio::async_initiate<CompletionToken, void(std::optional<Response>)>(
      [&pool](auto handler, std::move_only_function<Response()> job) {
        // Tracked work keeps the io_context running while the job is on the pool.
        auto executor = asio::prefer(asio::get_associated_executor(handler),
                                     asio::execution::outstanding_work.tracked);
        auto rejected = std::make_shared<bool>(false);
        WorkerPool::Task task = [handler = std::move(handler), job = std::move(job), executor,
                                 rejected]() mutable {
          std::optional<Response> response;
          if (!*rejected) response = job();
          asio::post(executor,
                     [handler = std::move(handler), response = std::move(response)]() mutable {
                       handler(std::move(response));
                     });
        };
        if (!pool.TrySubmit(task)) {
          *rejected = true;
          task();  // completes with nullopt; TrySubmit left `task` untouched
        }
      },
      token, std::move(job));
}

std::string JoinMethods(const std::vector<Method>& methods) {
  std::string out;
  for (Method method : methods) {
    if (!out.empty()) out += ", ";
    out += MethodName(method);
  }
  return out;
}

Response WithRetryAfter(Response response, int seconds) {
  response.SetHeader("Retry-After", std::to_string(seconds));
  return response;
}

int64_t UnixMillisNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the server decided to do with a request, before reading its body.
enum class Target { kHealth, kReady, kMetrics, kRoute, kApiMiss, kStatic };

}  // namespace

ServerOptions ServerOptionsFromConfig(const Config& config) {
  ServerOptions options;
  options.listen_address = config.listen_address;
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.worker_queue = config.worker_queue;
  options.max_connections = config.max_connections;
  options.max_header_bytes = config.max_header_bytes;
  options.max_body_bytes = config.max_body_bytes;
  options.read_timeout_seconds = config.read_timeout_seconds;
  options.idle_timeout_seconds = config.idle_timeout_seconds;
  options.shutdown_grace_seconds = config.shutdown_grace_seconds;
  options.rate_limit_per_second = config.rate_limit_per_second;
  options.rate_limit_burst = config.rate_limit_burst;
  options.trust_forwarded_for = config.trust_forwarded_for;
  options.behind_tls = config.behind_tls;
  options.public_url = config.public_url;
  options.web_root = config.web_root;
  options.access_log = config.access_log;
  return options;
}

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Authenticator* authenticator)
      : options_(std::move(options)),
        router_(router),
        authenticator_(authenticator),
        origin_policy_{options_.behind_tls, options_.public_url},
        static_files_(options_.web_root),
        rate_limiter_(options_.rate_limit_per_second, options_.rate_limit_burst),
        acceptor_(ioc_) {}

  Result<int> Start();
  void Wait();
  void Stop();
  void StopOnSignals();
  std::string MetricsText() const {
    Metrics::Gauges gauges;
    if (pool_) {
      gauges.worker_queue_depth = pool_->QueueDepth();
      gauges.worker_busy = pool_->Busy();
    }
    gauges.open_connections = open_connections_.load();
    return metrics_.Text(gauges);
  }

 private:
  // A connection as Stop() sees it; touched only on the connection's strand.
  struct Connection {
    beast::tcp_stream* stream = nullptr;  // null once the session ended
    bool idle = false;                    // waiting for the next request on keep-alive
  };

  struct Exchange {
    Response response;
    bool close = false;  // close the connection after writing
    std::string route = "unmatched";
  };

  awaitable<void> Accept();
  awaitable<void> Session(tcp::socket socket, std::shared_ptr<Connection> connection);
  awaitable<Exchange> Handle(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                             bhttp::request_parser<bhttp::string_body>& parser, Request& request);
  awaitable<void> Write(beast::tcp_stream& stream, Response response, const Request& request,
                        unsigned version, bool keep_alive);
  awaitable<void> Drain();
  Response ProblemOrPlain(bool api, int status, std::string_view detail) const {
    return api ? Problem(status, "", detail) : PlainText(status, std::string(detail) + "\n");
  }
  void Finish(const Request& request, std::string_view route, const Response& response,
              SteadyClock::time_point started);

  const ServerOptions options_;
  const Router& router_;
  Authenticator* const authenticator_;
  const OriginPolicy origin_policy_;
  const StaticFiles static_files_;
  RateLimiter rate_limiter_;
  Metrics metrics_;
  std::unique_ptr<AccessLog> access_log_;

  // Declared before the pool: the pool's pending completions hold handlers of this context.
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<std::thread> io_threads_;
  std::mutex wait_mutex_;
  bool started_ = false;
  bool joined_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> open_connections_{0};
  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

Result<int> Server::Impl::Start() {
  auto log = AccessLog::Open(options_.access_log);
  if (!log) return std::unexpected(log.error());
  access_log_ = std::move(*log);
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Invalid listen address " + options_.listen_address + ".");
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options_.port));
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable, "Cannot listen on " + options_.listen_address + ":" +
                                                  std::to_string(options_.port) + ": " +
                                                  ec.message());
  }
  int port = acceptor_.local_endpoint().port();
  pool_ = std::make_unique<WorkerPool>(options_.worker_threads, options_.worker_queue);
  asio::co_spawn(ioc_, Accept(), asio::detached);
  int threads = std::max(options_.io_threads, 1);
  for (int i = 0; i < threads; ++i) io_threads_.emplace_back([this] { ioc_.run(); });
  started_ = true;
  return port;
}

void Server::Impl::Wait() {
  std::lock_guard lock(wait_mutex_);
  if (joined_) return;
  for (std::thread& thread : io_threads_) {
    if (thread.joinable()) thread.join();
  }
  if (pool_) pool_->Shutdown();
  joined_ = true;
}

void Server::Impl::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ioc_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (signals_) signals_->cancel(ignored);
    std::lock_guard lock(connections_mutex_);
    for (const std::shared_ptr<Connection>& connection : connections_) {
      if (connection->stream == nullptr) continue;
      asio::post(connection->stream->get_executor(), [connection] {
        if (connection->stream != nullptr && connection->idle) connection->stream->cancel();
      });
    }
  });
  asio::co_spawn(ioc_, Drain(), asio::detached);
}

void Server::Impl::StopOnSignals() {
  signals_ = std::make_unique<asio::signal_set>(ioc_, SIGINT, SIGTERM);
  signals_->async_wait([this](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("signal {}: shutting down", signal);
    Stop();
  });
}

// Waits for open connections to finish, up to the grace period, then stops the loop.
awaitable<void> Server::Impl::Drain() {
  auto deadline = SteadyClock::now() + std::chrono::seconds(options_.shutdown_grace_seconds);
  asio::steady_timer timer(ioc_);
  while (open_connections_.load() > 0 && SteadyClock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(use_awaitable, ignored));
  }
  if (open_connections_.load() > 0) {
    spdlog::warn("shutdown grace period over; closing {} connections", open_connections_.load());
  }
  ioc_.stop();
}

awaitable<void> Server::Impl::Accept() {
  while (!stopping_) {
    tcp::socket socket(asio::make_strand(ioc_));
    boost::system::error_code ec;
    co_await acceptor_.async_accept(socket, asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (!acceptor_.is_open() || stopping_) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    if (open_connections_.load() >= options_.max_connections) {
      socket.close(ec);  // over the limit: refuse rather than queue
      continue;
    }
    ++open_connections_;
    auto connection = std::make_shared<Connection>();
    {
      std::lock_guard lock(connections_mutex_);
      connections_.insert(connection);
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Session(std::move(socket), std::move(connection)), asio::detached);
  }
}

awaitable<void> Server::Impl::Session(tcp::socket socket, std::shared_ptr<Connection> connection) {
  boost::system::error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  std::string peer_ip = ec ? std::string() : peer.address().to_string();
  beast::tcp_stream stream(std::move(socket));
  connection->stream = &stream;
  beast::flat_buffer buffer;
  bool first = true;
  try {
    while (true) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<size_t>(options_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
      // The real limit is set once the route is known. (Not boost::none: Beast 1.74 compares
      // the Content-Length against the optional, and anything exceeds an empty one.)
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      connection->idle = !first && buffer.size() == 0;
      if (stopping_ && (connection->idle || first)) break;
      stream.expires_after(std::chrono::seconds(connection->idle ? options_.idle_timeout_seconds
                                                                 : options_.read_timeout_seconds));
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(use_awaitable, ec));
      connection->idle = false;
      Request request;
      request.client_ip = peer_ip;
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          request.request_id = RequestIdFor("");
          Response response = Problem(431, "", "The request headers are too large.");
          Finish(request, "unmatched", response, SteadyClock::now());
          co_await Write(stream, std::move(response), request, 11, false);
        } else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof &&
                   ec != beast::error::timeout && ec != asio::error::operation_aborted &&
                   ec != asio::error::connection_reset && buffer.size() > 0) {
          request.request_id = RequestIdFor("");
          Response response = Problem(400, "", "The request could not be parsed.");
          Finish(request, "unmatched", response, SteadyClock::now());
          co_await Write(stream, std::move(response), request, 11, false);
        }
        break;
      }
      auto started = SteadyClock::now();
      Exchange exchange = co_await Handle(stream, buffer, parser, request);
      Finish(request, exchange.route, exchange.response, started);
      bool keep_alive = parser.get().keep_alive() && !exchange.close && !stopping_;
      co_await Write(stream, std::move(exchange.response), request, parser.get().version(),
                     keep_alive);
      if (!keep_alive) break;
      first = false;
    }
  } catch (const std::exception& error) {
    // Write failures (client went away, timeout) end the connection.
    spdlog::debug("connection from {} ended: {}", peer_ip, error.what());
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.socket().close(ec);
  connection->stream = nullptr;
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(connection);
  }
  --open_connections_;
}

awaitable<Server::Impl::Exchange> Server::Impl::Handle(
    beast::tcp_stream& stream, beast::flat_buffer& buffer,
    bhttp::request_parser<bhttp::string_body>& parser, Request& request) {
  Exchange exchange;
  auto& message = parser.get();
  for (const auto& field : message) {
    request.headers.emplace_back(ToLowerAscii(View(field.name_string())),
                                 std::string(View(field.value())));
  }
  request.request_id = RequestIdFor(request.Header("x-request-id"));
  request.client_ip = ClientIpFor(request.client_ip, request.Header("x-forwarded-for"),
                                  options_.trust_forwarded_for);
  std::string_view target = View(message.target());
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  std::optional<std::string> decoded = PercentDecode(raw_path, /*plus_is_space=*/false);
  // The access log and errors use the raw path until it is known to be sane.
  request.path = std::string(raw_path);
  bool known_method = ParseMethod(View(message.method_string()), request.method);
  bool api = IsApiPath(raw_path) || (decoded && IsApiPath(*decoded));

  // Decide what serves the request before reading the body, to apply the right body limit.
  Target kind = Target::kStatic;
  Router::Match match;
  size_t body_limit = options_.max_body_bytes;
  if (!known_method) {
    exchange.response = ProblemOrPlain(api, 501, "This method is not supported.");
    exchange.close = true;
  } else if (raw_path.empty() || raw_path.front() != '/' || !decoded ||
             decoded->find('\0') != std::string::npos) {
    exchange.response = ProblemOrPlain(api, 400, "The request path is malformed.");
    exchange.close = true;
  } else {
    request.path = *decoded;
    if (api) {
      if (request.path == "/healthz") {
        kind = Target::kHealth;
      } else if (request.path == "/readyz") {
        kind = Target::kReady;
      } else if (request.path == "/metrics") {
        kind = Target::kMetrics;
      } else {
        match = router_.Find(request.method, request.path);
        kind = match.route != nullptr ? Target::kRoute : Target::kApiMiss;
        if (match.route != nullptr && match.route->options.max_body_bytes > 0) {
          body_limit = match.route->options.max_body_bytes;
        }
      }
    }
    if (kind == Target::kStatic) {
      // Routes outside the API prefixes (none today) still win over files.
      match = router_.Find(request.method, request.path);
      if (match.route != nullptr) {
        kind = Target::kRoute;
        if (match.route->options.max_body_bytes > 0) {
          body_limit = match.route->options.max_body_bytes;
        }
      }
    }
    if (match.route != nullptr)
      exchange.route = match.route->pattern;
    else if (kind == Target::kStatic)
      exchange.route = "static";
    else if (kind != Target::kApiMiss)
      exchange.route = request.path;
  }
  if (exchange.close) co_return exchange;

  // The body, within the limit.
  if (parser.content_length() && *parser.content_length() > body_limit) {
    exchange.response = ProblemOrPlain(api, 413, "The request body is too large.");
    exchange.close = true;
    co_return exchange;
  }
  parser.body_limit(body_limit);
  if (!parser.is_done()) {
    boost::system::error_code ec;
    if (beast::iequals(message[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, message.version()};
      stream.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
      co_await bhttp::async_write(stream, proceed, asio::redirect_error(use_awaitable, ec));
    }
    stream.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    if (!ec)
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec == bhttp::error::body_limit) {
      exchange.response = ProblemOrPlain(api, 413, "The request body is too large.");
      exchange.close = true;
      co_return exchange;
    }
    if (ec) {
      exchange.response = ProblemOrPlain(api, 400, "The request body could not be read.");
      exchange.close = true;
      co_return exchange;
    }
  }
  request.body = std::move(message.body());

  bool head_or_get = request.method == Method::kGet || request.method == Method::kHead;
  switch (kind) {
    case Target::kHealth:
    case Target::kReady:
    case Target::kMetrics:
      if (!head_or_get) {
        exchange.response = Problem(405, "", "Use GET.");
        exchange.response.SetHeader("Allow", "GET, HEAD");
      } else if (kind == Target::kHealth) {
        exchange.response = JsonText(200, R"({"status":"ok"})");
      } else if (kind == Target::kMetrics) {
        exchange.response.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.response.body = MetricsText();
      } else {
        std::function<bool()> check = options_.ready_check;
        std::optional<Response> ready = co_await AsyncRunOnPool(
            *pool_,
            [check]() -> Response {
              bool ok = false;
              try {
                ok = !check || check();
              } catch (const std::exception& error) {
                spdlog::warn("readiness check failed: {}", error.what());
              }
              return ok ? JsonText(200, R"({"status":"ready"})")
                        : JsonText(503, R"({"status":"unavailable"})");
            },
            use_awaitable);
        exchange.response =
            ready ? std::move(*ready)
                  : WithRetryAfter(Problem(503, "", "The server is busy; try again shortly."), 1);
      }
      co_return exchange;
    default:
      break;
  }

  if (int wait = rate_limiter_.Acquire(request.client_ip, SteadyClock::now()); wait > 0) {
    exchange.response =
        WithRetryAfter(ProblemOrPlain(api, 429, "Too many requests; slow down."), wait);
    co_return exchange;
  }

  if (kind == Target::kApiMiss) {
    if (match.allowed.empty()) {
      exchange.response = Problem(404, "", "No such resource.");
    } else {
      exchange.response = Problem(405, "", "This resource does not support the method.");
      exchange.response.SetHeader("Allow", JoinMethods(match.allowed));
    }
    co_return exchange;
  }
  if (kind == Target::kStatic) {
    exchange.response = static_files_.Serve(request.method, raw_path, request.Header("accept"));
    co_return exchange;
  }

  // A route: authenticate and run the handler on the worker pool.
  request.path_params = std::move(match.params);
  const Route* route = match.route;
  std::optional<Response> response = co_await AsyncRunOnPool(
      *pool_,
      [this, route, &request]() -> Response {
        return RunRoute(*route, request, authenticator_, origin_policy_);
      },
      use_awaitable);
  exchange.response =
      response ? std::move(*response)
               : WithRetryAfter(Problem(503, "", "The server is busy; try again shortly."), 1);
  co_return exchange;
}

awaitable<void> Server::Impl::Write(beast::tcp_stream& stream, Response response,
                                    const Request& request, unsigned version, bool keep_alive) {
  AddSecurityHeaders(response, options_.behind_tls);
  response.SetHeader("X-Request-Id", request.request_id);
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), version};
  for (auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(keep_alive);
  if (request.method == Method::kHead) {
    message.content_length(response.body.size());
  } else {
    message.body() = std::move(response.body);
    message.prepare_payload();
  }
  stream.expires_after(std::chrono::seconds(options_.read_timeout_seconds));
  co_await bhttp::async_write(stream, message, use_awaitable);
}

void Server::Impl::Finish(const Request& request, std::string_view route, const Response& response,
                          SteadyClock::time_point started) {
  double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  std::string_view method = MethodName(request.method);
  metrics_.Record(route, method, response.status, seconds);
  if (access_log_) {
    access_log_->Write(AccessRecord{UnixMillisNow(), method, route, request.path, response.status,
                                    seconds * 1000, response.body.size(), request.request_id,
                                    request.client_ip});
  }
}

Server::Server(ServerOptions options, const Router& router, Authenticator* authenticator)
    : impl_(std::make_unique<Impl>(std::move(options), router, authenticator)) {}

Server::~Server() {
  Stop();
  Wait();
}

Result<int> Server::Start() { return impl_->Start(); }
void Server::Wait() { impl_->Wait(); }
void Server::Stop() { impl_->Stop(); }
void Server::StopOnSignals() { impl_->StopOnSignals(); }
std::string Server::MetricsText() const { return impl_->MetricsText(); }

}  // namespace lianxin::http
