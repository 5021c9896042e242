// Starts the real server on an ephemeral port and talks to it over raw sockets.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

namespace lianxin::http {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::string Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return "";
  }
  bool Has(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return true;
    }
    return false;
  }
};

// A blocking HTTP/1.1 client on one TCP connection; enough to test the server's framing.
class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{30, 0};  // generous: a hung server fails the test instead of hanging it
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~Client() { close(fd_); }

  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t sent = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;
      data.remove_prefix(static_cast<size_t>(sent));
    }
  }

  // Reads one response; status 0 when the connection closed first. `head` skips the body.
  HttpResponse Read(bool head = false) {
    HttpResponse response;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return response;
    }
    std::string head_text = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    size_t line_end = head_text.find("\r\n");
    std::string status_line = head_text.substr(0, line_end);
    response.status = std::stoi(status_line.substr(9, 3));
    size_t position = line_end;
    while (position != std::string::npos && position < head_text.size()) {
      size_t next = head_text.find("\r\n", position + 2);
      std::string line = head_text.substr(
          position + 2, next == std::string::npos ? std::string::npos : next - position - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        response.headers.emplace_back(name, value);
      }
      position = next;
    }
    size_t length =
        response.Has("content-length") ? std::stoul(response.Header("content-length")) : 0;
    if (head || response.status == 100) length = 0;
    while (buffer_.size() < length) {
      if (!Fill()) break;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
    return response;
  }

  HttpResponse Request(std::string_view method, std::string_view target,
                       std::string_view extra_headers = "", std::string_view body = "") {
    std::string request = std::string(method) + " " + std::string(target) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra_headers);
    if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
      request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n";
    request += body;
    Send(request);
    return Read(method == "HEAD");
  }

  // True when the server closed the connection (read returns 0 or an error).
  bool Closed() {
    char byte;
    return recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  bool Fill() {
    char chunk[16384];
    ssize_t received = recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(received));
    return true;
  }

  int fd_;
  std::string buffer_;
};

class FakeAuthenticator : public Authenticator {
 public:
  std::optional<Actor> Authenticate(const Request& request) override {
    if (request.Header("cookie").find("lianxin_session=good") == std::string_view::npos) {
      return std::nullopt;
    }
    Actor actor;
    actor.account_id = 7;
    actor.username = "admin";
    return actor;
  }
  bool CheckCsrf(const Request& request, const Actor&) override {
    return request.Header("x-csrf-token") == "token";
  }
  void OnDenied(const Request&, int status, std::string_view reason) override {
    std::lock_guard lock(mutex);
    denials.emplace_back(status, std::string(reason));
  }
  std::mutex mutex;
  std::vector<std::pair<int, std::string>> denials;
};

constexpr std::string_view kSignedIn = "Cookie: lianxin_session=good\r\n";

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    options_.port = 0;
    options_.access_log = "";
    options_.worker_threads = 2;
    options_.rate_limit_per_second = 0;
    options_.max_body_bytes = 1024;
    options_.max_header_bytes = 4096;
    router_.Get("/api/v1/units", [](Request& request) {
      return JsonText(200, Json{{"q", request.QueryParam("q").value_or("")}}.dump());
    });
    router_.Get("/api/v1/units/{id}", [](Request& request) {
      return JsonText(200, Json{{"id", request.PathParam("id")}}.dump());
    });
    router_.Post("/api/v1/units", [](Request& request) {
      return JsonText(201, Json{{"size", request.body.size()},
                                {"actor", request.actor ? request.actor->username : ""}}
                               .dump());
    });
    router_.Post(
        "/api/v1/import/units",
        [](Request& request) {
          return JsonText(200, Json{{"size", request.body.size()}}.dump());
        },
        RouteOptions{.max_body_bytes = 8192});
    router_.Post(
        "/api/v1/auth/login", [](Request&) { return JsonText(200, "{}"); },
        RouteOptions{.access = Access::kPublic, .csrf_exempt = true});
    router_.Post(
        "/api/v1/public/ping", [](Request&) { return JsonText(200, "{}"); },
        RouteOptions{.access = Access::kPublic});
    router_.Get(
        "/api/v1/public/boom",
        [](Request&) -> Response { throw std::runtime_error("secret database detail"); },
        RouteOptions{.access = Access::kPublic});
    router_.Get(
        "/api/v1/public/ok", [](Request&) { return JsonText(200, R"({"ok":true})"); },
        RouteOptions{.access = Access::kPublic});
  }
  ~ServerTest() override {
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
  }

  int Start() {
    server_ = std::make_unique<Server>(options_, router_, &authenticator_);
    Result<int> port = server_->Start();
    EXPECT_TRUE(port.has_value()) << (port ? "" : port.error().message);
    port_ = port.value_or(0);
    return port_;
  }

  HttpResponse Get(std::string_view target, std::string_view headers = "") {
    Client client(port_);
    return client.Request("GET", target, headers);
  }

  ServerOptions options_;
  Router router_;
  FakeAuthenticator authenticator_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

TEST_F(ServerTest, KeepsTheConnectionAlive) {
  Start();
  Client client(port_);
  HttpResponse first = client.Request("GET", "/api/v1/units?q=%E5%BC%A0+san", kSignedIn);
  HttpResponse second = client.Request("GET", "/api/v1/units/42", kSignedIn);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(Json::parse(first.body)["q"], "张 san");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(Json::parse(second.body)["id"], "42");
}

TEST_F(ServerTest, HeadServesGetRoutesWithoutBody) {
  Start();
  Client client(port_);
  HttpResponse head = client.Request("HEAD", "/api/v1/public/ok");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "11");
  EXPECT_EQ(head.body, "");
  HttpResponse after = client.Request("GET", "/api/v1/public/ok");  // framing intact
  EXPECT_EQ(after.body, R"({"ok":true})");
}

TEST_F(ServerTest, UnknownApiPathsAreProblems) {
  Start();
  HttpResponse missing = Get("/api/v1/nothing", "Accept: text/html\r\n");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_EQ(Json::parse(missing.body)["status"], 404);
  for (std::string_view path : {"/open311/v2/requests.json", "/channels/wechat/1"}) {
    EXPECT_EQ(Get(path).Header("content-type"), "application/problem+json") << path;
  }
  Client client(port_);
  HttpResponse wrong = client.Request("DELETE", "/api/v1/units/3", kSignedIn);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, HEAD");
  EXPECT_EQ(wrong.Header("content-type"), "application/problem+json");
}

TEST_F(ServerTest, RejectsOversizedHeaders) {
  Start();
  Client client(port_);
  HttpResponse response =
      client.Request("GET", "/api/v1/public/ok", "X-Big: " + std::string(8000, 'a') + "\r\n");
  EXPECT_TRUE(response.status == 431 || response.status == 400) << response.status;
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
}

TEST_F(ServerTest, EnforcesBodyLimitsPerRoute) {
  Start();
  {
    Client client(port_);
    // Only the headers are sent: the limit is decided from Content-Length.
    client.Send(
        "POST /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: lianxin_session=good\r\n"
        "X-CSRF-Token: token\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n");
    HttpResponse response = client.Read();
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  }
  {
    Client client(port_);
    std::string body(2000, 'x');
    HttpResponse small_route = client.Request(
        "POST", "/api/v1/units", "Cookie: lianxin_session=good\r\nX-CSRF-Token: token\r\n", body);
    EXPECT_EQ(small_route.status, 413);
  }
  {
    Client client(port_);
    std::string body(5000, 'x');
    HttpResponse large_route =
        client.Request("POST", "/api/v1/import/units",
                       "Cookie: lianxin_session=good\r\nX-CSRF-Token: token\r\n", body);
    EXPECT_EQ(large_route.status, 200);
    EXPECT_EQ(Json::parse(large_route.body)["size"], 5000);
  }
  {
    // Chunked bodies have no Content-Length: the limit applies while reading.
    Client client(port_);
    client.Send(
        "POST /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: lianxin_session=good\r\n"
        "X-CSRF-Token: token\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
        std::string(2048, 'x') + "\r\n0\r\n\r\n");
    EXPECT_EQ(client.Read().status, 413);
  }
}

TEST_F(ServerTest, RateLimitsPerClient) {
  options_.rate_limit_per_second = 0.001;  // effectively no refill during the test
  options_.rate_limit_burst = 2;
  Start();
  Client client(port_);
  EXPECT_EQ(client.Request("GET", "/api/v1/public/ok").status, 200);
  EXPECT_EQ(client.Request("GET", "/api/v1/public/ok").status, 200);
  HttpResponse limited = client.Request("GET", "/api/v1/public/ok");
  EXPECT_EQ(limited.status, 429);
  EXPECT_GE(std::stoi(limited.Header("retry-after")), 1);
  EXPECT_EQ(limited.Header("content-type"), "application/problem+json");
  // Health checks are not limited.
  EXPECT_EQ(client.Request("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, TrustsForwardedForOnlyWhenConfigured) {
  options_.rate_limit_per_second = 0.001;
  options_.rate_limit_burst = 1;
  options_.trust_forwarded_for = true;
  Start();
  EXPECT_EQ(Get("/api/v1/public/ok", "X-Forwarded-For: 10.0.0.1, 127.0.0.1\r\n").status, 200);
  EXPECT_EQ(Get("/api/v1/public/ok", "X-Forwarded-For: 10.0.0.2\r\n").status, 200);
  EXPECT_EQ(Get("/api/v1/public/ok", "X-Forwarded-For: 10.0.0.1\r\n").status, 429);
}

TEST_F(ServerTest, AnswersServiceUnavailableWhenTheQueueIsFull) {
  options_.worker_threads = 1;
  options_.worker_queue = 1;
  std::latch entered(1);
  std::latch release(1);
  router_.Get(
      "/api/v1/public/slow",
      [&](Request&) {
        entered.count_down();
        release.wait();
        return JsonText(200, "{}");
      },
      RouteOptions{.access = Access::kPublic});
  Start();
  Client running(port_);
  running.Send("GET /api/v1/public/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.wait();
  Client queued(port_);
  queued.Send("GET /api/v1/public/ok HTTP/1.1\r\nHost: x\r\n\r\n");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (server_->MetricsText().find("lianxin_worker_queue_depth 1") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  HttpResponse rejected = Get("/api/v1/public/ok");
  EXPECT_EQ(rejected.status, 503);
  EXPECT_EQ(rejected.Header("retry-after"), "1");
  EXPECT_EQ(rejected.Header("content-type"), "application/problem+json");
  release.count_down();
  EXPECT_EQ(running.Read().status, 200);
  EXPECT_EQ(queued.Read().status, 200);
}

TEST_F(ServerTest, SignedInRoutesNeedASession) {
  Start();
  HttpResponse response = Get("/api/v1/units");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  std::lock_guard lock(authenticator_.mutex);
  ASSERT_EQ(authenticator_.denials.size(), 1u);
  EXPECT_EQ(authenticator_.denials[0].first, 401);
}

TEST_F(ServerTest, StateChangesNeedCsrfAndSameOrigin) {
  options_.public_url = "https://lianxin.example.cn/";
  Start();
  Client client(port_);
  struct Case {
    std::string headers;
    int status;
  };
  const std::string session(kSignedIn);
  const Case cases[] = {
      {session, 403},                                                          // no token
      {session + "X-CSRF-Token: wrong\r\n", 403},                              // bad token
      {session + "X-CSRF-Token: token\r\n", 201},                              // no Origin: ok
      {session + "X-CSRF-Token: token\r\nOrigin: http://127.0.0.1\r\n", 201},  // own origin
      {session + "X-CSRF-Token: token\r\nOrigin: https://lianxin.example.cn\r\n", 201},
      {session + "X-CSRF-Token: token\r\nOrigin: https://evil.example\r\n", 403},
      {session + "X-CSRF-Token: token\r\nOrigin: null\r\n", 403},
      {"X-CSRF-Token: token\r\n", 401},
  };
  for (const Case& c : cases) {
    HttpResponse response = client.Request("POST", "/api/v1/units", c.headers, "{}");
    EXPECT_EQ(response.status, c.status) << c.headers;
    if (c.status == 201) {
      EXPECT_EQ(Json::parse(response.body)["actor"], "admin");
    }
  }
  // Exempt and public routes need no token.
  EXPECT_EQ(client.Request("POST", "/api/v1/auth/login", "", "{}").status, 200);
  EXPECT_EQ(client.Request("POST", "/api/v1/public/ping", "", "{}").status, 200);
  std::lock_guard lock(authenticator_.mutex);
  EXPECT_EQ(authenticator_.denials.size(), 5u);
}

TEST_F(ServerTest, AddsSecurityHeadersAndRequestIds) {
  Start();
  for (std::string_view path : {"/api/v1/public/ok", "/api/v1/nothing", "/healthz", "/x.js"}) {
    HttpResponse response = Get(path);
    std::string csp = response.Header("content-security-policy");
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(response.Header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(response.Header("referrer-policy"), "strict-origin-when-cross-origin") << path;
    EXPECT_EQ(response.Header("x-frame-options"), "DENY") << path;
    EXPECT_FALSE(response.Has("strict-transport-security")) << path;
    EXPECT_GE(response.Header("x-request-id").size(), 16u) << path;
  }
  EXPECT_EQ(Get("/healthz", "X-Request-Id: abc-123\r\n").Header("x-request-id"), "abc-123");
  EXPECT_NE(Get("/healthz", "X-Request-Id: <script>\r\n").Header("x-request-id"), "<script>");
}

TEST_F(ServerTest, SendsHstsBehindTls) {
  options_.behind_tls = true;
  Start();
  EXPECT_NE(Get("/healthz").Header("strict-transport-security").find("max-age="),
            std::string::npos);
}

TEST_F(ServerTest, HealthAndReadiness) {
  std::atomic<bool> ready = false;
  options_.ready_check = [&ready] { return ready.load(); };
  Start();
  HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Json::parse(health.body), Json::parse(R"({"status":"ok"})"));
  EXPECT_EQ(Get("/readyz").status, 503);
  ready = true;
  HttpResponse readiness = Get("/readyz");
  EXPECT_EQ(readiness.status, 200);
  EXPECT_EQ(Json::parse(readiness.body)["status"], "ready");
}

TEST_F(ServerTest, ExportsMetricsByRoutePattern) {
  Start();
  Get("/api/v1/units/5", kSignedIn);
  Get("/api/v1/units/6", kSignedIn);
  HttpResponse metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(
      metrics.body.find(
          R"(lianxin_http_requests_total{route="/api/v1/units/{id}",method="GET",status="200"} 2)"),
      std::string::npos)
      << metrics.body;
  EXPECT_EQ(metrics.body.find("/api/v1/units/5"), std::string::npos);
  EXPECT_NE(metrics.body.find(
                "lianxin_http_request_duration_seconds_bucket{route=\"/api/v1/units/{id}\""),
            std::string::npos);
  EXPECT_NE(metrics.body.find("lianxin_worker_queue_depth"), std::string::npos);
  EXPECT_NE(metrics.body.find("lianxin_worker_busy"), std::string::npos);
  EXPECT_NE(metrics.body.find("lianxin_open_connections 1"), std::string::npos);
}

TEST_F(ServerTest, AccessLogOmitsQueryAndCookies) {
  fs::path log =
      fs::temp_directory_path() / ("lianxin_access_" + std::to_string(getpid()) + ".log");
  fs::remove(log);
  options_.access_log = log.string();
  Start();
  Get("/api/v1/units/9?token=querysecret", "Cookie: lianxin_session=good; other=cookiesecret\r\n");
  server_->Stop();
  server_->Wait();
  std::ifstream in(log);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  Json record = Json::parse(line);
  EXPECT_EQ(record["path"], "/api/v1/units/9");
  EXPECT_EQ(record["route"], "/api/v1/units/{id}");
  EXPECT_EQ(record["method"], "GET");
  EXPECT_EQ(record["status"], 200);
  EXPECT_EQ(record["client_ip"], "127.0.0.1");
  for (const char* key : {"ts", "duration_ms", "bytes", "request_id"}) {
    EXPECT_TRUE(record.contains(key)) << key;
  }
  EXPECT_EQ(line.find("querysecret"), std::string::npos);
  EXPECT_EQ(line.find("cookiesecret"), std::string::npos);
  EXPECT_EQ(line.find("good"), std::string::npos);
  fs::remove(log);
}

TEST_F(ServerTest, HandlerExceptionsBecomeInternalErrors) {
  Start();
  HttpResponse response = Get("/api/v1/public/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST_F(ServerTest, StopFinishesInFlightRequests) {
  std::latch entered(1);
  std::latch release(1);
  router_.Get(
      "/api/v1/public/slow",
      [&](Request&) {
        entered.count_down();
        release.wait();
        return JsonText(200, R"({"done":true})");
      },
      RouteOptions{.access = Access::kPublic});
  Start();
  Client idle(port_);
  EXPECT_EQ(idle.Request("GET", "/healthz").status, 200);  // now an idle keep-alive
  Client busy(port_);
  busy.Send("GET /api/v1/public/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.wait();
  server_->Stop();
  EXPECT_TRUE(idle.Closed());  // idle connections are closed at once
  release.count_down();
  HttpResponse response = busy.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"done":true})");
  EXPECT_EQ(response.Header("connection"), "close");
  server_->Wait();
}

class StaticServerTest : public ServerTest {
 protected:
  StaticServerTest() {
    base_ = fs::temp_directory_path() / ("lianxin_static_" + std::to_string(getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "dist" / "assets");
    Write(base_ / "dist" / "index.html", "<!doctype html><title>app</title>");
    Write(base_ / "dist" / "assets" / "app-1a2b.js", "console.log(1)");
    Write(base_ / "dist" / "favicon.svg", "<svg/>");
    Write(base_ / "secret.txt", "TOPSECRET");
    fs::create_directory_symlink(base_, base_ / "dist" / "assets" / "escape");
    fs::create_symlink(base_ / "secret.txt", base_ / "dist" / "leak.txt");
    options_.web_root = (base_ / "dist").string();
  }
  ~StaticServerTest() override { fs::remove_all(base_); }
  static void Write(const fs::path& path, std::string_view text) { std::ofstream(path) << text; }
  fs::path base_;
};

TEST_F(StaticServerTest, ServesFilesWithCaching) {
  Start();
  HttpResponse asset = Get("/assets/app-1a2b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "console.log(1)");
  EXPECT_EQ(asset.Header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(asset.Header("content-type"), "text/javascript; charset=utf-8");
  for (std::string_view path : {"/", "/index.html"}) {
    HttpResponse index = Get(path);
    EXPECT_EQ(index.status, 200) << path;
    EXPECT_EQ(index.Header("cache-control"), "no-cache") << path;
    EXPECT_EQ(index.Header("content-type"), "text/html; charset=utf-8") << path;
  }
  EXPECT_EQ(Get("/favicon.svg").Header("content-type"), "image/svg+xml");
}

TEST_F(StaticServerTest, FallsBackToIndexOnlyForHtmlNavigations) {
  Start();
  const std::string html = "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n";
  HttpResponse route = Get("/console/units/12", html);
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("<title>app</title>"), std::string::npos);
  EXPECT_EQ(route.Header("cache-control"), "no-cache");
  HttpResponse no_html = Get("/console/units/12", "Accept: application/json\r\n");
  EXPECT_EQ(no_html.status, 404);
  EXPECT_EQ(no_html.body.find("<"), std::string::npos);
  HttpResponse missing_asset = Get("/assets/missing.js", html);
  EXPECT_EQ(missing_asset.status, 404);
  EXPECT_EQ(missing_asset.body.find("<"), std::string::npos);
  EXPECT_EQ(missing_asset.Header("content-type").find("text/html"), std::string::npos);
  HttpResponse api = Get("/api/v1/missing", html);
  EXPECT_EQ(api.Header("content-type"), "application/problem+json");
}

TEST_F(StaticServerTest, NeverLeavesTheRoot) {
  Start();
  const std::string html = "Accept: text/html\r\n";
  for (std::string_view path :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt", "/index.html%00.js", "/%00",
        "/assets/escape/secret.txt", "/leak.txt", "/..\\secret.txt", "//etc/passwd"}) {
    for (const std::string& headers : {std::string(), html}) {
      HttpResponse response = Get(path, headers);
      EXPECT_EQ(response.body.find("TOPSECRET"), std::string::npos) << path;
      if (headers.empty()) {
        EXPECT_TRUE(response.status == 404 || response.status == 400) << path;
      } else if (response.status == 200) {  // at most the SPA's own index.html
        EXPECT_NE(response.body.find("<title>app</title>"), std::string::npos) << path;
      }
    }
  }
}

}  // namespace
}  // namespace lianxin::http
