// PostgreSQL backend over libpq: a fixed pool of connections (opened on first use), one
// transaction per checkout, text parameters and text results.
#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string_view>
#include <vector>

namespace lianxin::storage {
namespace {

void IgnoreNotice(void*, const char*) {}

bool StartsWith(const char* text, std::string_view prefix) {
  return text != nullptr && std::string_view(text).starts_with(prefix);
}

// Maps a failed result (or a failed connection when `result` is null) to our error codes.
std::unexpected<Error> PgError(PGconn* conn, const PGresult* result,
                               std::string_view context = {}) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  ErrorCode code = ErrorCode::kInternal;
  std::string_view sqlstate = state != nullptr ? state : "";
  if (sqlstate.starts_with("23")) {
    code = ErrorCode::kConflict;  // integrity constraint: unique, foreign key, check, not null
  } else if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" ||
             sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
             sqlstate == "57P03" || sqlstate == "53300") {
    code = ErrorCode::kUnavailable;  // serialization, deadlock, lock, connection, shutdown
  } else if (sqlstate.empty() && (conn == nullptr || PQstatus(conn) == CONNECTION_BAD)) {
    code = ErrorCode::kUnavailable;
  }
  std::string message;
  if (result != nullptr) {
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
    if (primary != nullptr) message = primary;
    if (detail != nullptr) message += std::string(" (") + detail + ")";
    if (message.empty()) message = PQresultErrorMessage(result);
  }
  if (message.empty() && conn != nullptr) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (message.empty()) message = "PostgreSQL error";
  if (!sqlstate.empty()) message += " [" + std::string(sqlstate) + "]";
  if (!context.empty()) message = std::string(context) + ": " + message;
  return MakeError(code, std::move(message));
}

// Owns a PGresult.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult() { PQclear(result_); }
  PGresult* get() const { return result_; }
  ExecStatusType status() const { return PQresultStatus(result_); }
  bool ok() const {
    return result_ != nullptr && (status() == PGRES_COMMAND_OK || status() == PGRES_TUPLES_OK);
  }

 private:
  PGresult* result_;
};

std::string FormatDouble(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

// A stable 64-bit FNV-1a hash, so every node derives the same advisory lock key.
int64_t LockKey(std::string_view topic) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : topic) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int64_t>(hash);
}

class PostgresSession final : public Session {
 public:
  explicit PostgresSession(PGconn* conn) : conn_(conn) {}
  Dialect dialect() const override { return Dialect::kPostgres; }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    auto result = Run(sql, params);
    if (!result) return std::unexpected(result.error());
    PGresult* res = (*result)->get();
    int rows = PQntuples(res);
    int columns = PQnfields(res);
    std::vector<Row> out;
    out.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> cells;
      cells.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res, r, c)) {
          cells.emplace_back(std::monostate{});
        } else {
          cells.emplace_back(
              std::string(PQgetvalue(res, r, c), static_cast<size_t>(PQgetlength(res, r, c))));
        }
      }
      out.emplace_back(std::move(cells));
    }
    return out;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    auto result = Run(sql, params);
    if (!result) return std::unexpected(result.error());
    std::string_view tuples = PQcmdTuples((*result)->get());
    int64_t count = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), count);
    return count;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    PgResult result(PQexec(conn_, text.c_str()));
    if (result.ok() || (result.get() != nullptr && result.status() == PGRES_EMPTY_QUERY)) {
      return {};
    }
    return PgError(conn_, result.get());
  }

  Status LockWriters(std::string_view topic) override {
    auto result = Run("SELECT pg_advisory_xact_lock(CAST($1 AS BIGINT))", {LockKey(topic)});
    if (!result) return std::unexpected(result.error());
    return {};
  }

 private:
  Result<std::unique_ptr<PgResult>> Run(std::string_view sql, const Params& params) {
    std::string text(sql);
    std::vector<std::string> formatted(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& value = params[i];
      if (const auto* v = std::get_if<int64_t>(&value)) {
        formatted[i] = std::to_string(*v);
        values[i] = formatted[i].c_str();
      } else if (const auto* d = std::get_if<double>(&value)) {
        formatted[i] = FormatDouble(*d);
        values[i] = formatted[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        values[i] = s->c_str();
      }
    }
    auto result = std::make_unique<PgResult>(PQexecParams(conn_, text.c_str(),
                                                          static_cast<int>(params.size()), nullptr,
                                                          values.data(), nullptr, nullptr, 0));
    if (result->ok()) return result;
    if (result->get() != nullptr && result->status() == PGRES_EMPTY_QUERY) {
      return MakeError(ErrorCode::kInternal, "empty SQL statement");
    }
    return PgError(conn_, result->get());
  }

  PGconn* conn_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, DatabaseOptions options)
      : url_(std::move(url)), options_(options) {
    size_t size = static_cast<size_t>(std::max(0, options_.reader_connections)) + 1;
    idle_.assign(size, nullptr);  // connected on first use
  }

  ~PostgresDatabase() override {
    for (PGconn* conn : idle_) {
      if (conn != nullptr) PQfinish(conn);
    }
  }

  // Connects the first connection, so a bad URL or a down server fails here.
  Status Open() {
    auto conn = Checkout();
    if (!conn) return std::unexpected(conn.error());
    Checkin(*conn);
    return {};
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status Ping() override {
    auto result = Read<int64_t>([](Session& s) -> Result<int64_t> {
      auto row = s.QueryOne("SELECT 1");
      if (!row) return std::unexpected(row.error());
      return *row ? (*row)->Int(0) : 0;
    });
    if (!result || *result != 1) {
      return MakeError(ErrorCode::kUnavailable,
                       "database does not answer" + (result ? "" : ": " + result.error().message));
    }
    return {};
  }

  Status Maintain() override { return {}; }

 protected:
  Status RunTransaction(const std::function<Status(Session&)>& fn, bool write) override {
    auto checked_out = Checkout();
    if (!checked_out) return std::unexpected(checked_out.error());
    PGconn* conn = *checked_out;
    const char* begin = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    auto status = Command(conn, begin);
    if (!status && PQstatus(conn) == CONNECTION_BAD) {
      // The server dropped an idle connection (restart, idle timeout): nothing has run yet,
      // so reconnect once and begin again.
      PQreset(conn);
      if (PQstatus(conn) == CONNECTION_OK) status = Command(conn, begin);
    }
    if (!status) {
      Checkin(conn);
      return status;
    }
    PostgresSession session(conn);
    try {
      status = fn(session);
    } catch (const std::exception& e) {
      status =
          MakeError(ErrorCode::kInternal, std::string("exception in transaction: ") + e.what());
    } catch (...) {
      status = MakeError(ErrorCode::kInternal, "exception in transaction");
    }
    if (status) {
      PgResult result(PQexec(conn, "COMMIT"));
      if (!result.ok()) {
        status = PgError(conn, result.get(), "commit");
      } else if (StartsWith(PQcmdStatus(result.get()), "ROLLBACK")) {
        // A statement failed and the callback went on: PostgreSQL rolled everything back.
        status = MakeError(ErrorCode::kInternal,
                           "transaction rolled back: a statement in it failed earlier");
      }
    }
    if (!status && PQtransactionStatus(conn) != PQTRANS_IDLE) {
      PgResult result(PQexec(conn, "ROLLBACK"));
    }
    Checkin(conn);
    return status;
  }

 private:
  static Status Command(PGconn* conn, const char* sql) {
    PgResult result(PQexec(conn, sql));
    if (!result.ok()) return PgError(conn, result.get(), sql);
    return {};
  }

  // Takes a connection from the pool, waiting up to busy_timeout_ms; connects or resets it
  // when needed.
  Result<PGconn*> Checkout() {
    PGconn* conn = nullptr;
    {
      std::unique_lock lock(mutex_);
      bool ready = free_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                                  [&] { return !idle_.empty(); });
      if (!ready) return MakeError(ErrorCode::kUnavailable, "no free database connection");
      conn = idle_.back();
      idle_.pop_back();
    }
    if (conn == nullptr) {
      auto connected = Connect();
      if (!connected) {
        Checkin(nullptr);
        return std::unexpected(connected.error());
      }
      conn = *connected;
    } else if (PQstatus(conn) != CONNECTION_OK) {
      PQreset(conn);
      if (PQstatus(conn) != CONNECTION_OK) {
        auto error = PgError(conn, nullptr, "reconnect");
        Checkin(conn);
        return error;
      }
    }
    return conn;
  }

  void Checkin(PGconn* conn) {
    if (conn != nullptr && PQstatus(conn) == CONNECTION_OK &&
        PQtransactionStatus(conn) != PQTRANS_IDLE) {
      // Should not happen; never hand out a connection inside a transaction.
      PQfinish(conn);
      conn = nullptr;
    }
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(conn);
    }
    free_.notify_one();
  }

  Result<PGconn*> Connect() {
    // Defaults first: settings in the URL override them.
    const char* keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                              nullptr};
    const char* values[] = {"10", "lianxin", "UTF8", url_.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (conn == nullptr) return MakeError(ErrorCode::kUnavailable, "out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
      }
      PQfinish(conn);
      return MakeError(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
    return conn;
  }

  std::string url_;
  DatabaseOptions options_;
  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<PGconn*> idle_;  // nullptr: a slot not connected yet
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url,
                                                       const DatabaseOptions& options) {
  auto database = std::make_unique<PostgresDatabase>(url, options);
  if (auto s = database->Open(); !s) return std::unexpected(s.error());
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace lianxin::storage
