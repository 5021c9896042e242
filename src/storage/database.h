// The one storage interface the domain modules see. Two backends implement it: SQLite
// (storage/sqlite) and PostgreSQL (storage/postgres). SQL is written once with $1..$n
// parameters; where the dialects differ, a repository asks Session::dialect().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace lianxin::storage {

enum class Dialect { kSqlite, kPostgres };

// A parameter or a cell. std::monostate is SQL NULL. Booleans are stored as integers 0/1
// in both dialects; times as Unix milliseconds (BIGINT).
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
// NULL when `v` is empty.
template <class T>
Value Optional(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  return Value(*v);
}

// One result row. Accessors convert between text and numbers as needed, since PostgreSQL
// returns text; asking for a NULL cell gives the zero value (use IsNull or the Opt forms).
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t column) const;
  int64_t Int(size_t column) const;
  double Double(size_t column) const;
  bool Bool(size_t column) const { return Int(column) != 0; }
  std::string Text(size_t column) const;
  std::optional<int64_t> OptInt(size_t column) const;
  std::optional<std::string> OptText(size_t column) const;
  const Value& Cell(size_t column) const { return cells_.at(column); }

 private:
  std::vector<Value> cells_;
};

// A connection inside a transaction (or a read-only snapshot). Not thread-safe; valid only
// inside the callback that received it.
class Session {
 public:
  virtual ~Session() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement that returns rows (SELECT, or INSERT/UPDATE ... RETURNING).
  [[nodiscard]] virtual Result<std::vector<Row>> Query(std::string_view sql,
                                                       const Params& params = {}) = 0;
  // Runs a statement and returns the number of rows it changed.
  [[nodiscard]] virtual Result<int64_t> Execute(std::string_view sql,
                                                const Params& params = {}) = 0;
  // Runs several statements with no parameters (migrations).
  [[nodiscard]] virtual Status ExecuteScript(std::string_view sql) = 0;
  // Serialises this write transaction against every other one that locks the same `topic`,
  // until it commits or rolls back. Use it before a read-then-write that must not interleave
  // (a hash chain, a counter read and rewritten). A no-op on SQLite, where writers are already
  // serial; pg_advisory_xact_lock on PostgreSQL, whose writers run concurrently.
  [[nodiscard]] virtual Status LockWriters(std::string_view topic) {
    (void)topic;
    return {};
  }

  // The first row, or nullopt when there is none.
  [[nodiscard]] Result<std::optional<Row>> QueryOne(std::string_view sql,
                                                    const Params& params = {});
};

// Constraint violations come back as kConflict (unique, foreign key, check) with the
// backend's message; a busy database beyond the timeout as kUnavailable.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `fn` in one write transaction: committed when fn succeeds, rolled back when it
  // returns an error. On SQLite, writers are serialised (BEGIN IMMEDIATE on one connection).
  template <class T>
  [[nodiscard]] Result<T> Write(const std::function<Result<T>(Session&)>& fn) {
    return Run<T>(fn, /*write=*/true);
  }
  // Runs `fn` on a reader with a consistent snapshot; never blocks on writers (WAL).
  template <class T>
  [[nodiscard]] Result<T> Read(const std::function<Result<T>(Session&)>& fn) {
    return Run<T>(fn, /*write=*/false);
  }

  // kUnavailable when the database does not answer a trivial query.
  [[nodiscard]] virtual Status Ping() = 0;
  // Housekeeping the scheduler calls: a WAL checkpoint on SQLite; nothing on PostgreSQL.
  [[nodiscard]] virtual Status Maintain() = 0;

 protected:
  [[nodiscard]] virtual Status RunTransaction(const std::function<Status(Session&)>& fn,
                                              bool write) = 0;

 private:
  template <class T>
  Result<T> Run(const std::function<Result<T>(Session&)>& fn, bool write) {
    if constexpr (std::is_void_v<T>) {
      return RunTransaction(fn, write);
    } else {
      std::optional<T> value;
      auto status = RunTransaction(
          [&](Session& s) -> Status {
            auto r = fn(s);
            if (!r) return std::unexpected(r.error());
            value.emplace(std::move(*r));
            return {};
          },
          write);
      if (!status) return std::unexpected(status.error());
      return std::move(*value);
    }
  }
};

struct DatabaseOptions {
  int reader_connections = 4;  // SQLite readers; PostgreSQL pool size is this + 1
  int busy_timeout_ms = 5000;
  int checkpoint_pages = 4000;  // SQLite: checkpoint when the WAL passes this many pages
};

// Opens a database: "postgresql://..." (or "postgres://...") selects PostgreSQL, anything
// else is an SQLite file path (created when missing). Does not migrate.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenDatabase(const std::string& location,
                                                             const DatabaseOptions& options = {});

}  // namespace lianxin::storage
