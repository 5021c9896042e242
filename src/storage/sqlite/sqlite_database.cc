// SQLite backend: one writer connection behind a mutex (BEGIN IMMEDIATE), a pool of reader
// connections (BEGIN DEFERRED: each read transaction sees one snapshot, WAL lets it run
// beside the writer), and a per-connection cache of prepared statements.
#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lianxin::storage {
namespace {

constexpr size_t kMaxCachedStatements = 256;

// Maps an SQLite result code to our error codes, keeping SQLite's message.
std::unexpected<Error> SqliteError(sqlite3* db, int rc, std::string_view context = {}) {
  int primary = rc & 0xff;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_CONSTRAINT) {
    code = ErrorCode::kConflict;
  } else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = ErrorCode::kUnavailable;
  }
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (!context.empty()) message = std::string(context) + ": " + message;
  return MakeError(code, std::move(message));
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

// Hash and equality that let the statement cache be searched with a string_view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A cached prepared statement and, for each parameter index, the $N it stands for.
struct Prepared {
  sqlite3_stmt* stmt = nullptr;
  std::vector<size_t> numbers;  // numbers[i - 1] is the N of parameter index i
  size_t highest = 0;           // the largest N used
};

// One connection with its statement cache. Used by one thread at a time.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { Close(); }

  Status Open(const std::string& path, const DatabaseOptions& options, bool reader) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      Close();
      return MakeError(ErrorCode::kUnavailable, "cannot open " + path + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
    if (reader) {
      pragmas += "PRAGMA query_only=ON;";
    } else {
      pragmas += "PRAGMA wal_autocheckpoint=" + std::to_string(options.checkpoint_pages) + ";";
      // Once a checkpoint resets the WAL, it is truncated back to this size.
      pragmas += "PRAGMA journal_size_limit=" +
                 std::to_string(static_cast<int64_t>(options.checkpoint_pages) * 4096) + ";";
    }
    if (auto s = Exec(pragmas); !s) return s;
    if (!reader) {
      auto mode = Query("PRAGMA journal_mode=WAL", {});
      if (!mode) return std::unexpected(mode.error());
      if (path != ":memory:" && (mode->empty() || (*mode)[0].Text(0) != "wal")) {
        return MakeError(ErrorCode::kUnavailable, "cannot switch " + path + " to WAL mode");
      }
    }
    return {};
  }

  void Close() {
    for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
    cache_.clear();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  sqlite3* handle() const { return db_; }

  Status Exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (message != nullptr) sqlite3_free(message);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    return {};
  }

  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) {
    std::vector<Row> rows;
    auto status = Run(sql, params, &rows);
    if (!status) return std::unexpected(status.error());
    return rows;
  }

  Result<int64_t> Execute(std::string_view sql, const Params& params) {
    auto status = Run(sql, params, nullptr);
    if (!status) return std::unexpected(status.error());
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  bool InTransaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

 private:
  // Finds or prepares `sql`; exactly one statement is allowed.
  Result<const Prepared*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return &it->second;
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [text, prepared] : cache_) sqlite3_finalize(prepared.stmt);
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc);
    if (stmt == nullptr) return MakeError(ErrorCode::kInternal, "empty SQL statement");
    std::string_view rest(tail, sql.data() + sql.size() - tail);
    if (!IsBlank(rest)) {
      // Comments alone are fine; a second statement is not.
      sqlite3_stmt* second = nullptr;
      int rc2 =
          sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &second, nullptr);
      bool more = rc2 != SQLITE_OK || second != nullptr;
      sqlite3_finalize(second);
      if (more) {
        sqlite3_finalize(stmt);
        return MakeError(ErrorCode::kInternal,
                         "cannot run several statements with parameters; use ExecuteScript");
      }
    }
    Prepared prepared{stmt, {}, 0};
    if (auto numbered = NumberParameters(prepared); !numbered) {
      sqlite3_finalize(stmt);
      return std::unexpected(numbered.error());
    }
    auto [it, inserted] = cache_.emplace(std::string(sql), std::move(prepared));
    return &it->second;
  }

  // Binds `params` to a prepared statement: index i takes params[numbers[i - 1] - 1].
  Status Bind(const Prepared& prepared, const Params& params) {
    if (prepared.highest > params.size()) {
      return MakeError(ErrorCode::kInternal, "parameter $" + std::to_string(prepared.highest) +
                                                 " has no value (" + std::to_string(params.size()) +
                                                 " given)");
    }
    if (params.size() > prepared.highest) {
      return MakeError(ErrorCode::kInternal, std::to_string(params.size()) +
                                                 " parameters given, but the statement uses " +
                                                 std::to_string(prepared.highest));
    }
    for (size_t i = 0; i < prepared.numbers.size(); ++i) {
      const Value& value = params[prepared.numbers[i] - 1];
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* v = std::get_if<int64_t>(&value)) {
        rc = sqlite3_bind_int64(prepared.stmt, index, *v);
      } else if (const auto* d = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(prepared.stmt, index, *d);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        rc = sqlite3_bind_text64(prepared.stmt, index, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(prepared.stmt, index);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc);
    }
    return {};
  }

  // The $N each parameter index stands for. SQLite numbers named parameters by first
  // appearance, so "$2 ... $1" gives index 1 the name "$2". Worked out once per prepared
  // statement: asking SQLite for each name is linear in the count, which made binding a
  // many-row INSERT quadratic.
  static Status NumberParameters(Prepared& prepared) {
    int count = sqlite3_bind_parameter_count(prepared.stmt);
    prepared.numbers.reserve(static_cast<size_t>(count));
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(prepared.stmt, i);
      size_t number = static_cast<size_t>(i);
      if (name != nullptr) {
        std::string_view n(name + 1);
        unsigned long parsed = 0;
        auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), parsed);
        if ((name[0] != '$' && name[0] != '?') || ec != std::errc() || end != n.data() + n.size() ||
            parsed == 0) {
          return MakeError(ErrorCode::kInternal,
                           std::string("unsupported parameter ") + name + "; use $1..$n");
        }
        number = parsed;
      }
      prepared.numbers.push_back(number);
      prepared.highest = std::max(prepared.highest, number);
    }
    return {};
  }

  static Value Cell(sqlite3_stmt* stmt, int column) {
    switch (sqlite3_column_type(stmt, column)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, column));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, column);
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
      }
      case SQLITE_BLOB: {
        const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, column));
        size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt, column));
        return blob == nullptr ? std::string() : std::string(blob, size);
      }
      default:
        return std::monostate{};
    }
  }

  Status Run(std::string_view sql, const Params& params, std::vector<Row>* rows) {
    auto prepared = Prepare(sql);
    if (!prepared) return std::unexpected(prepared.error());
    sqlite3_stmt* stmt = (*prepared)->stmt;
    // Leave the cached statement reset and unbound whatever happens.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (auto s = Bind(**prepared, params); !s) return s;
    int columns = sqlite3_column_count(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return {};
      if (rc != SQLITE_ROW) return SqliteError(db_, rc);
      if (rows == nullptr) continue;
      std::vector<Value> cells;
      cells.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) cells.push_back(Cell(stmt, c));
      rows->emplace_back(std::move(cells));
    }
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Prepared, StringHash, std::equal_to<>> cache_;
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Connection& connection) : connection_(connection) {}
  Dialect dialect() const override { return Dialect::kSqlite; }
  Result<std::vector<Row>> Query(std::string_view sql, const Params& params) override {
    return connection_.Query(sql, params);
  }
  Result<int64_t> Execute(std::string_view sql, const Params& params) override {
    return connection_.Execute(sql, params);
  }
  Status ExecuteScript(std::string_view sql) override { return connection_.Exec(sql); }

 private:
  Connection& connection_;
};

// Which databases the current thread holds the writer of, to turn a nested Write (which
// would deadlock on the writer mutex) into an error.
thread_local std::vector<const void*> tls_writing;

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(DatabaseOptions options) : options_(options) {}

  Status Open(const std::string& path) {
    bool memory = path == ":memory:" || path.empty();
    if (!memory) {
      std::error_code ec;
      auto parent = std::filesystem::path(path).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (ec) {
        return MakeError(ErrorCode::kUnavailable,
                         "cannot create directory " + parent.string() + ": " + ec.message());
      }
    }
    if (auto s = writer_.Open(path, options_, /*reader=*/false); !s) return s;
    int readers = memory ? 0 : std::max(0, options_.reader_connections);
    for (int i = 0; i < readers; ++i) {
      auto connection = std::make_unique<Connection>();
      if (auto s = connection->Open(path, options_, /*reader=*/true); !s) return s;
      idle_readers_.push_back(connection.get());
      readers_.push_back(std::move(connection));
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

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

  Status Maintain() override {
    std::unique_lock lock(writer_mutex_);
    sqlite3* db = writer_.handle();
    int log_frames = 0;
    int checkpointed = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                       &checkpointed);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) return SqliteError(db, rc, "checkpoint");
    if (log_frames > options_.checkpoint_pages || log_frames == checkpointed) {
      // Everything copied back (or the WAL is large): reset and truncate the WAL file. Waits
      // briefly for readers of old frames; when they hold on, the next call tries again.
      sqlite3_busy_timeout(db, std::min(options_.busy_timeout_ms, 200));
      rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
      sqlite3_busy_timeout(db, options_.busy_timeout_ms);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) return SqliteError(db, rc, "checkpoint");
    }
    return {};
  }

 protected:
  Status RunTransaction(const std::function<Status(Session&)>& fn, bool write) override {
    if (write || readers_.empty()) return RunOnWriter(fn, write);
    Connection* connection = nullptr;
    {
      std::unique_lock lock(readers_mutex_);
      bool ready = readers_free_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                                          [&] { return !idle_readers_.empty(); });
      if (!ready) return MakeError(ErrorCode::kUnavailable, "no free database reader");
      connection = idle_readers_.back();
      idle_readers_.pop_back();
    }
    auto status = RunIn(*connection, fn, "BEGIN DEFERRED");
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(connection);
    }
    readers_free_.notify_one();
    return status;
  }

 private:
  Status RunOnWriter(const std::function<Status(Session&)>& fn, bool write) {
    for (const void* held : tls_writing) {
      if (held == this) {
        return MakeError(ErrorCode::kInternal,
                         "nested transaction on the SQLite writer (would deadlock)");
      }
    }
    std::unique_lock lock(writer_mutex_);
    tls_writing.push_back(this);
    auto status = RunIn(writer_, fn, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    tls_writing.pop_back();
    return status;
  }

  // BEGIN, fn, COMMIT; ROLLBACK when fn fails or throws.
  static Status RunIn(Connection& connection, const std::function<Status(Session&)>& fn,
                      const char* begin) {
    if (auto s = connection.Exec(begin); !s) return s;
    SqliteSession session(connection);
    Status status;
    try {
      status = fn(session);
    } catch (const std::exception& e) {
      status =
          MakeError(ErrorCode::kInternal, std::string("exception in transaction: ") + e.what());
    } catch (...) {
      status = MakeError(ErrorCode::kInternal, "exception in transaction");
    }
    if (status) {
      status = connection.Exec("COMMIT");
      if (status) return status;
    }
    if (connection.InTransaction()) (void)connection.Exec("ROLLBACK");
    return status;
  }

  DatabaseOptions options_;
  std::mutex writer_mutex_;
  Connection writer_;
  std::mutex readers_mutex_;
  std::condition_variable readers_free_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path,
                                                     const DatabaseOptions& options) {
  auto database = std::make_unique<SqliteDatabase>(options);
  if (auto s = database->Open(path); !s) return std::unexpected(s.error());
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace lianxin::storage
