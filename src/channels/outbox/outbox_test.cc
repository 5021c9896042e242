#include "channels/outbox/outbox.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "channels/outbox/http_sender.h"
#include "core/text.h"
#include "storage/migrations.h"

namespace lianxin::outbox {
namespace {

using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------
// A migrated throwaway database (SQLite always, PostgreSQL with LIANXIN_TEST_POSTGRES_URL).

class TestDatabase {
 public:
  static std::unique_ptr<TestDatabase> Open(const std::string& backend, std::string* skip) {
    auto t = std::unique_ptr<TestDatabase>(new TestDatabase());
    std::string location;
    if (backend == "postgres") {
      const char* url = std::getenv("LIANXIN_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        *skip = "LIANXIN_TEST_POSTGRES_URL is not set";
        return nullptr;
      }
      t->base_url_ = url;
      t->schema_ = "outbox_" + RandomHex(6);
      auto admin = storage::OpenDatabase(t->base_url_, {.reader_connections = 0});
      if (!admin) {
        *skip = admin.error().message;
        return nullptr;
      }
      auto s = (*admin)->Write<void>([&](storage::Session& session) {
        return session.ExecuteScript("CREATE SCHEMA " + t->schema_);
      });
      if (!s) {
        *skip = s.error().message;
        return nullptr;
      }
      std::string sep = t->base_url_.find('?') == std::string::npos ? "?" : "&";
      location = t->base_url_ + sep + "options=-c%20search_path%3D" + t->schema_;
    } else {
      t->dir_ = std::filesystem::temp_directory_path() / ("lianxin-outbox-" + RandomHex(8));
      std::filesystem::create_directories(t->dir_);
      location = (t->dir_ / "outbox.db").string();
    }
    auto db = storage::OpenDatabase(location);
    if (!db) {
      ADD_FAILURE() << db.error().message;
      return nullptr;
    }
    t->db_ = std::move(*db);
    auto migrated = storage::Migrate(*t->db_);
    if (!migrated) {
      ADD_FAILURE() << migrated.error().message;
      return nullptr;
    }
    return t;
  }

  ~TestDatabase() {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      auto admin = storage::OpenDatabase(base_url_, {.reader_connections = 0});
      if (admin) {
        (void)(*admin)->Write<void>([&](storage::Session& session) {
          return session.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
        });
      }
    }
  }

  storage::Database& db() { return *db_; }

 private:
  TestDatabase() = default;

  std::unique_ptr<storage::Database> db_;
  std::filesystem::path dir_;
  std::string base_url_;
  std::string schema_;
};

const DataProtector& TestProtector() {
  static const DataProtector protector =
      *DataProtector::Create(std::string(DataProtector::kKeyBytes, 'k'));
  return protector;
}

// Answers from a script, then succeeds; counts calls per message id. Thread-safe.
class ScriptedSender final : public MessageSender {
 public:
  explicit ScriptedSender(std::vector<SendResult> script = {}) : script_(std::move(script)) {}
  SendResult Send(const OutgoingMessage& message) override {
    std::lock_guard lock(mutex_);
    ++calls_[message.id];
    recipients_.push_back(message.recipient);
    if (next_ < script_.size()) return script_[next_++];
    if (always_) return *always_;
    return {};
  }
  void Always(SendResult result) {
    std::lock_guard lock(mutex_);
    always_ = std::move(result);
  }
  std::map<int64_t, int> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<SendResult> script_;
  size_t next_ = 0;
  std::optional<SendResult> always_;
  std::map<int64_t, int> calls_;
  std::vector<std::string> recipients_;
};

SendResult Retryable(std::string reason = "HTTP 503") {
  return std::unexpected(SendError{true, std::move(reason)});
}
SendResult Permanent(std::string reason = "HTTP 400") {
  return std::unexpected(SendError{false, std::move(reason)});
}

Message SmsTo(std::string phone, std::optional<int64_t> appeal = 42) {
  return Message{Channel::kSms, std::move(phone), R"({"text":"您的诉求已受理"})", appeal};
}

// ---------------------------------------------------------------------------------------
// Backoff schedule (pure).

TEST(BackoffDelay, DoublesFrom30SecondsAndCapsAtAnHour) {
  struct Case {
    int attempts;
    int64_t seconds;
  };
  for (auto [attempts, seconds] :
       {Case{1, 30}, Case{2, 60}, Case{3, 120}, Case{4, 240}, Case{5, 480}, Case{6, 960},
        Case{7, 1920}, Case{8, 3600}, Case{20, 3600}, Case{100, 3600}}) {
    EXPECT_EQ(BackoffDelay(attempts, 0.0), std::chrono::seconds(seconds)) << attempts;
    auto jittered = BackoffDelay(attempts, 0.999);
    EXPECT_GE(jittered, std::chrono::seconds(seconds)) << attempts;
    EXPECT_LE(jittered, std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds) * 12 / 10,
                                                            std::chrono::hours(1)))
        << attempts;
  }
}

TEST(Channels, NamesRoundTrip) {
  for (auto c : {Channel::kSms, Channel::kWechatCs}) EXPECT_EQ(ParseChannel(ChannelName(c)), c);
  EXPECT_FALSE(ParseChannel("email"));
  for (auto s : {DeliveryStatus::kPending, DeliveryStatus::kSending, DeliveryStatus::kDelivered,
                 DeliveryStatus::kFailed}) {
    EXPECT_EQ(ParseDeliveryStatus(DeliveryStatusName(s)), s);
  }
}

// ---------------------------------------------------------------------------------------
// The service, on every available backend.

class OutboxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    database_ = TestDatabase::Open(GetParam(), &skip);
    if (!database_) GTEST_SKIP() << skip;
  }

  int64_t Enqueue(const Message& message) {
    Outbox outbox(database_->db(), TestProtector(), clock_, recording_);
    auto id = database_->db().Write<int64_t>(
        [&](storage::Session& s) { return outbox.Enqueue(s, message); });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
    return id.value_or(0);
  }

  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  RecordingSender recording_;
};

TEST_P(OutboxTest, DeliversThroughTheSenderAndMasksTheList) {
  Outbox outbox(database_->db(), TestProtector(), clock_, recording_);
  int64_t id = Enqueue(SmsTo("13812341234"));
  int64_t wechat =
      Enqueue(Message{Channel::kWechatCs, "oAbCdefghijklmnWXYZ", R"({"text":"hi"})", std::nullopt});

  auto report = outbox.DeliverDue(clock_.NowMillis(), 10);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->claimed, 2);
  EXPECT_EQ(report->delivered, 2);

  auto sent = recording_.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].id, id);
  EXPECT_EQ(sent[0].channel, Channel::kSms);
  EXPECT_EQ(sent[0].recipient, "13812341234");  // the sender sees it in the clear
  EXPECT_EQ(sent[0].payload, R"({"text":"您的诉求已受理"})");

  auto entry = outbox.Find(id);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->status, DeliveryStatus::kDelivered);
  EXPECT_EQ(entry->attempts, 1);
  EXPECT_EQ(entry->delivered_at, clock_.NowMillis());
  EXPECT_EQ(entry->recipient_masked, "138****1234");
  EXPECT_EQ(entry->appeal_id, 42);

  auto page = outbox.List({.status = DeliveryStatus::kDelivered, .channel = Channel::kWechatCs});
  ASSERT_TRUE(page.has_value()) << page.error().message;
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].id, wechat);
  EXPECT_EQ(page->items[0].recipient_masked, "oAbC****WXYZ");
  EXPECT_EQ(outbox.List({.status = DeliveryStatus::kPending})->total, 0);
  EXPECT_EQ(outbox.List({.appeal_id = 42})->total, 1);
  EXPECT_EQ(outbox.List({})->items.front().id, wechat);  // newest first

  // The recipient is sealed at rest.
  auto stored = database_->db().Read<std::string>([&](storage::Session& s) -> Result<std::string> {
    auto row = s.QueryOne(
        "SELECT recipient_sealed || payload FROM outbox WHERE id = CAST($1 AS BIGINT)", {id});
    if (!row) return std::unexpected(row.error());
    return (*row)->Text(0);
  });
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->find("13812341234"), std::string::npos);

  // Nothing is left to deliver.
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->claimed, 0);
  EXPECT_EQ(recording_.sent().size(), 2u);
  EXPECT_EQ(outbox.Find(999999).error().code, ErrorCode::kNotFound);
}

TEST_P(OutboxTest, EnqueueValidatesAndFollowsTheCallersTransaction) {
  Outbox outbox(database_->db(), TestProtector(), clock_, recording_);
  auto bad = database_->db().Write<int64_t>([&](storage::Session& s) {
    return outbox.Enqueue(s, Message{Channel::kSms, "", "[1,2]", std::nullopt});
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "recipient");
  EXPECT_EQ(bad.error().fields[1].field, "payload");

  // The caller's transaction fails after the enqueue: the message goes with it.
  auto rolled_back = database_->db().Write<void>([&](storage::Session& s) -> Status {
    auto id = outbox.Enqueue(s, SmsTo("13900001111"));
    if (!id) return std::unexpected(id.error());
    return MakeError(ErrorCode::kConflict, "the appeal changed meanwhile");
  });
  ASSERT_FALSE(rolled_back.has_value());
  EXPECT_EQ(outbox.List({})->total, 0);
}

TEST_P(OutboxTest, RetriesWithBackoffThenFailsAfterEightAttempts) {
  ScriptedSender sender;
  sender.Always(Retryable("HTTP 503"));
  Outbox outbox(database_->db(), TestProtector(), clock_, sender);
  int64_t id = Enqueue(SmsTo("13812341234"));

  for (int attempt = 1; attempt <= 8; ++attempt) {
    int64_t now = clock_.NowMillis();
    auto report = outbox.DeliverDue(now, 10);
    ASSERT_TRUE(report.has_value()) << report.error().message;
    ASSERT_EQ(report->claimed, 1) << attempt;
    auto entry = outbox.Find(id);
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->attempts, attempt);
    EXPECT_EQ(entry->last_error, "HTTP 503");
    if (attempt == 8) {
      EXPECT_EQ(entry->status, DeliveryStatus::kFailed);
      EXPECT_EQ(report->failed, 1);
      break;
    }
    EXPECT_EQ(entry->status, DeliveryStatus::kPending);
    EXPECT_EQ(report->retrying, 1);
    int64_t delay = entry->next_attempt_at - now;
    int64_t expected = BackoffDelay(attempt, 0.0).count();
    EXPECT_GE(delay, expected) << attempt;
    EXPECT_LE(delay, std::min<int64_t>(expected * 12 / 10, 3'600'000)) << attempt;

    // Not due a millisecond early.
    clock_.SetMillis(entry->next_attempt_at - 1);
    EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->claimed, 0);
    clock_.SetMillis(entry->next_attempt_at);
  }
  EXPECT_EQ(sender.calls().at(id), 8);
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->claimed, 0);
  EXPECT_EQ(sender.calls().at(id), 8);
}

TEST_P(OutboxTest, PermanentErrorFailsAtOnceAndRetryableRecovers) {
  ScriptedSender sender({Permanent("HTTP 400"), Retryable("timeout")});
  Outbox outbox(database_->db(), TestProtector(), clock_, sender);
  int64_t first = Enqueue(SmsTo("13812341234"));
  int64_t second = Enqueue(SmsTo("13812345678"));

  auto report = outbox.DeliverDue(clock_.NowMillis(), 10);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(report->retrying, 1);
  EXPECT_EQ(outbox.Find(first)->status, DeliveryStatus::kFailed);
  EXPECT_EQ(outbox.Find(first)->attempts, 1);
  EXPECT_EQ(outbox.Find(first)->last_error, "HTTP 400");
  EXPECT_EQ(outbox.Find(second)->status, DeliveryStatus::kPending);

  clock_.Advance(std::chrono::minutes(1));
  report = outbox.DeliverDue(clock_.NowMillis(), 10);
  EXPECT_EQ(report->delivered, 1);
  auto entry = outbox.Find(second);
  EXPECT_EQ(entry->status, DeliveryStatus::kDelivered);
  EXPECT_EQ(entry->attempts, 2);
  EXPECT_FALSE(entry->last_error.has_value());
  EXPECT_EQ(sender.calls().count(first), 1u);
}

TEST_P(OutboxTest, BatchLimitsAndOldestDueFirst) {
  Outbox outbox(database_->db(), TestProtector(), clock_, recording_);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Enqueue(SmsTo("1381234000" + std::to_string(i))));
    clock_.Advance(1ms);
  }
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 2)->delivered, 2);
  auto sent = recording_.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].id, ids[0]);
  EXPECT_EQ(sent[1].id, ids[1]);
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 0)->claimed, 0);
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->delivered, 3);
}

TEST_P(OutboxTest, TakesOverAClaimThatLapsed) {
  Outbox outbox(database_->db(), TestProtector(), clock_, recording_);
  int64_t id = Enqueue(SmsTo("13812341234"));
  // A node claimed the row and died before recording the outcome.
  int64_t claim_until = clock_.NowMillis() + 300'000;
  ASSERT_TRUE(database_->db().Write<int64_t>([&](storage::Session& s) {
    return s.Execute(
        "UPDATE outbox SET status = 'sending', next_attempt_at = CAST($2 AS BIGINT) "
        "WHERE id = CAST($1 AS BIGINT)",
        {id, claim_until});
  }));
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->claimed, 0);  // still its claim
  clock_.SetMillis(claim_until);
  EXPECT_EQ(outbox.DeliverDue(clock_.NowMillis(), 10)->delivered, 1);
  EXPECT_EQ(outbox.Find(id)->status, DeliveryStatus::kDelivered);
}

TEST_P(OutboxTest, ConcurrentDeliverersNeverSendAMessageTwice) {
  constexpr int kMessages = 120;
  for (int i = 0; i < kMessages; ++i) Enqueue(SmsTo("139" + std::to_string(10000000 + i)));
  ScriptedSender sender;
  // Four deliverers (as on four nodes), each its own Outbox over the same database.
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      Outbox outbox(database_->db(), TestProtector(), clock_, sender);
      for (int round = 0; round < 100; ++round) {
        auto report = outbox.DeliverDue(clock_.NowMillis(), 16);
        if (!report) {
          ++errors;
          return;
        }
        if (report->claimed == 0) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto calls = sender.calls();
  EXPECT_EQ(calls.size(), static_cast<size_t>(kMessages));
  for (auto [id, count] : calls) EXPECT_EQ(count, 1) << id;
  Outbox outbox(database_->db(), TestProtector(), clock_, sender);
  EXPECT_EQ(outbox.List({.status = DeliveryStatus::kDelivered})->total, kMessages);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::Values("sqlite", "postgres"));

// ---------------------------------------------------------------------------------------
// HttpSender against a fake HTTP server on 127.0.0.1, port chosen by the kernel.

struct CapturedRequest {
  std::string request_line;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class FakeHttpServer {
 public:
  enum class Mode { kOk, kServerError, kTooMany, kBadRequest, kSlow };

  FakeHttpServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener_, 16), 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeHttpServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }

  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  void SetMode(Mode mode) { mode_ = mode; }
  std::vector<CapturedRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      Handle(client);
      ::close(client);
    }
  }

  void Handle(int client) {
    std::string data;
    char buffer[4096];
    size_t header_end = std::string::npos;
    size_t content_length = 0;
    while (true) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      data.append(buffer, static_cast<size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        CapturedRequest request;
        std::istringstream lines(data.substr(0, header_end));
        std::string line;
        std::getline(lines, line);
        request.request_line = line.substr(0, line.find('\r'));
        while (std::getline(lines, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          auto colon = line.find(':');
          if (colon == std::string::npos) continue;
          std::string value = line.substr(colon + 1);
          while (!value.empty() && value.front() == ' ') value.erase(0, 1);
          request.headers[ToLowerAscii(line.substr(0, colon))] = value;
        }
        if (request.headers.contains("content-length")) {
          content_length = std::stoul(request.headers["content-length"]);
        }
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(request));
      }
      if (data.size() >= header_end + 4 + content_length) break;
    }
    {
      std::lock_guard lock(mutex_);
      requests_.back().body = data.substr(header_end + 4, content_length);
    }
    std::string status;
    switch (mode_.load()) {
      case Mode::kOk:
        status = "200 OK";
        break;
      case Mode::kServerError:
        status = "500 Internal Server Error";
        break;
      case Mode::kTooMany:
        status = "429 Too Many Requests";
        break;
      case Mode::kBadRequest:
        status = "400 Bad Request";
        break;
      case Mode::kSlow: {
        // Say nothing until the client gives up (closes) or two seconds pass.
        pollfd p{client, POLLIN, 0};
        ::poll(&p, 1, 2000);
        return;
      }
    }
    std::string answer = "HTTP/1.1 " + status +
                         "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                         "Connection: close\r\n\r\n{}";
    (void)::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<Mode> mode_{Mode::kOk};
  std::mutex mutex_;
  std::vector<CapturedRequest> requests_;
  std::thread thread_;
};

OutgoingMessage Sample() {
  return OutgoingMessage{77, Channel::kSms, "13812341234", R"({"text":"您的诉求已答复"})"};
}

HttpSenderOptions OptionsFor(const FakeHttpServer& server) {
  HttpSenderOptions options;
  options.sms_url = server.Url("/sms/send");
  options.wechat_cs_url = server.Url("/wechat/custom");
  options.bearer_token = "s3cret-token";
  options.connect_timeout_ms = 1000;
  options.timeout_ms = 400;
  options.no_proxy = true;
  return options;
}

TEST(HttpSender, PostsJsonWithTheBearerTokenAndSucceedsOn2xx) {
  FakeHttpServer server;
  HttpSender sender(OptionsFor(server));
  auto result = sender.Send(Sample());
  ASSERT_TRUE(result.has_value()) << result.error().reason;

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.request_line, "POST /sms/send HTTP/1.1");
  EXPECT_EQ(request.headers.at("authorization"), "Bearer s3cret-token");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("idempotency-key"), "lianxin-outbox-77");
  auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body.at("id"), 77);
  EXPECT_EQ(body.at("channel"), "sms");
  EXPECT_EQ(body.at("recipient"), "13812341234");
  EXPECT_EQ(body.at("message").at("text"), "您的诉求已答复");

  auto wechat = Sample();
  wechat.channel = Channel::kWechatCs;
  ASSERT_TRUE(sender.Send(wechat).has_value());
  EXPECT_EQ(server.requests().at(1).request_line, "POST /wechat/custom HTTP/1.1");
}

TEST(HttpSender, ClassifiesFailures) {
  FakeHttpServer server;
  HttpSender sender(OptionsFor(server));
  struct Case {
    FakeHttpServer::Mode mode;
    bool retryable;
    std::string reason;
  };
  for (const auto& c : {Case{FakeHttpServer::Mode::kServerError, true, "HTTP 500"},
                        Case{FakeHttpServer::Mode::kTooMany, true, "HTTP 429"},
                        Case{FakeHttpServer::Mode::kBadRequest, false, "HTTP 400"},
                        Case{FakeHttpServer::Mode::kSlow, true, "timeout"}}) {
    server.SetMode(c.mode);
    auto result = sender.Send(Sample());
    ASSERT_FALSE(result.has_value()) << c.reason;
    EXPECT_EQ(result.error().retryable, c.retryable) << c.reason;
    EXPECT_EQ(result.error().reason, c.reason);
    EXPECT_EQ(result.error().reason.find("1381234"), std::string::npos);
  }
}

TEST(HttpSender, UnconfiguredChannelIsPermanentAndRefusedConnectionRetryable) {
  HttpSenderOptions options;
  options.no_proxy = true;
  HttpSender unconfigured(options);
  auto result = unconfigured.Send(Sample());
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().retryable);

  std::string url;
  {
    FakeHttpServer server;  // take a free port, then close it
    url = server.Url("/sms/send");
  }
  options.sms_url = url;
  options.timeout_ms = 1000;
  HttpSender refused(options);
  result = refused.Send(Sample());
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().retryable) << result.error().reason;

  options.sms_url = "ftp://127.0.0.1/x";
  HttpSender ftp(options);
  result = ftp.Send(Sample());
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().retryable) << result.error().reason;
}

}  // namespace
}  // namespace lianxin::outbox
