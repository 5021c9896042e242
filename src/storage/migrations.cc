#include "storage/migrations.h"

#include <algorithm>
#include <map>

#include "core/clock.h"
#include "core/crypto.h"

namespace lianxin::storage {
namespace {

constexpr std::string_view kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";
constexpr std::string_view kSelectApplied =
    "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kSqliteTableExists =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kPostgresTableExists =
    "SELECT COUNT(*) FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
constexpr std::string_view kMaxVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
// Several app nodes may start at once on one PostgreSQL: they migrate one after the other.
constexpr std::string_view kMigrationLock = "lianxin.schema_migrations";

struct Applied {
  std::string name;
  std::string checksum;
};

// Versions must run 1, 2, 3, ... in order.
Status CheckSequence(const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return MakeError(ErrorCode::kInternal, "embedded migrations are not numbered 1, 2, 3, ...: " +
                                                 std::string(migrations[i].name) + " has version " +
                                                 std::to_string(migrations[i].version) +
                                                 ", expected " + std::to_string(expected));
    }
  }
  return {};
}

Result<std::map<int, Applied>> ReadApplied(Session& session) {
  auto rows = session.Query(kSelectApplied);
  if (!rows) return std::unexpected(rows.error());
  std::map<int, Applied> applied;
  for (const Row& row : *rows) {
    applied[static_cast<int>(row.Int(0))] = Applied{row.Text(1), row.Text(2)};
  }
  return applied;
}

// Checks what the database has applied against what this binary embeds.
Status Verify(const std::map<int, Applied>& applied, const std::vector<Migration>& migrations) {
  int newest_known = migrations.empty() ? 0 : migrations.back().version;
  if (!applied.empty() && applied.rbegin()->first > newest_known) {
    return MakeError(ErrorCode::kConflict, "database is newer than this binary (schema " +
                                               std::to_string(applied.rbegin()->first) + " > " +
                                               std::to_string(newest_known) + ")");
  }
  for (const auto& [version, row] : applied) {
    if (version < 1) {
      return MakeError(ErrorCode::kConflict,
                       "schema_migrations has an invalid version " + std::to_string(version));
    }
    const Migration& migration = migrations[static_cast<size_t>(version - 1)];
    if (row.checksum != Sha256Hex(migration.sql)) {
      return MakeError(ErrorCode::kConflict,
                       "migration " + std::string(migration.name) +
                           " differs from the one applied to this database (checksum mismatch)");
    }
  }
  return {};
}

}  // namespace

Result<MigrationReport> Migrate(Database& database) {
  return Migrate(database, EmbeddedMigrations(database.dialect()));
}

Result<MigrationReport> Migrate(Database& database, const std::vector<Migration>& migrations) {
  if (auto s = CheckSequence(migrations); !s) return std::unexpected(s.error());
  MigrationReport report;
  auto from = database.Write<int>([&](Session& session) -> Result<int> {
    if (auto s = session.LockWriters(kMigrationLock); !s) return std::unexpected(s.error());
    if (auto s = session.Execute(kCreateSchemaMigrations); !s) return std::unexpected(s.error());
    auto applied = ReadApplied(session);
    if (!applied) return std::unexpected(applied.error());
    if (auto s = Verify(*applied, migrations); !s) return std::unexpected(s.error());
    return applied->empty() ? 0 : applied->rbegin()->first;
  });
  if (!from) return std::unexpected(from.error());
  report.from_version = *from;
  report.to_version = *from;

  SystemClock clock;
  for (const Migration& migration : migrations) {
    if (migration.version <= report.to_version) continue;
    auto applied_now = database.Write<bool>([&](Session& session) -> Result<bool> {
      if (auto s = session.LockWriters(kMigrationLock); !s) return std::unexpected(s.error());
      // Another process may have applied it since we looked.
      auto applied = ReadApplied(session);
      if (!applied) return std::unexpected(applied.error());
      if (auto s = Verify(*applied, migrations); !s) return std::unexpected(s.error());
      if (applied->contains(migration.version)) return false;
      if (auto s = session.ExecuteScript(migration.sql); !s) {
        return MakeError(s.error().code,
                         "migration " + std::string(migration.name) + ": " + s.error().message);
      }
      auto inserted =
          session.Execute(kInsertApplied, {int64_t{migration.version}, std::string(migration.name),
                                           Sha256Hex(migration.sql), clock.NowMillis()});
      if (!inserted) return std::unexpected(inserted.error());
      return true;
    });
    if (!applied_now) return std::unexpected(applied_now.error());
    if (*applied_now) report.applied.emplace_back(migration.name);
    report.to_version = migration.version;
  }
  return report;
}

Result<int> SchemaVersion(Database& database) {
  return database.Read<int>([&](Session& session) -> Result<int> {
    auto exists = session.QueryOne(database.dialect() == Dialect::kPostgres ? kPostgresTableExists
                                                                            : kSqliteTableExists);
    if (!exists) return std::unexpected(exists.error());
    if (!*exists || (*exists)->Int(0) == 0) return 0;
    auto version = session.QueryOne(kMaxVersion);
    if (!version) return std::unexpected(version.error());
    return *version ? static_cast<int>((*version)->Int(0)) : 0;
  });
}

}  // namespace lianxin::storage
