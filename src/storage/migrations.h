// Numbered, forward-only, checksummed schema migrations, one set per dialect, embedded in
// the binary from src/storage/migrations/<dialect>/NNNN_name.sql.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "storage/database.h"

namespace lianxin::storage {

struct Migration {
  int version;
  std::string_view name;  // "0002_org"
  std::string_view sql;
};

// The embedded migrations of `dialect`, in version order.
const std::vector<Migration>& EmbeddedMigrations(Dialect dialect);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names
};

// Applies every embedded migration newer than the database's version, each in its own
// transaction, recording version, name, checksum and time in schema_migrations.
// Returns kConflict when an applied migration's checksum differs from the embedded one, or
// when the database has a version this binary does not know (it is newer than the binary).
[[nodiscard]] Result<MigrationReport> Migrate(Database& database);
[[nodiscard]] Result<MigrationReport> Migrate(Database& database,
                                              const std::vector<Migration>& migrations);

// The highest applied version, 0 for an empty database.
[[nodiscard]] Result<int> SchemaVersion(Database& database);

}  // namespace lianxin::storage
