// The SQLite backend of storage::Database. Callers use OpenDatabase; this header exists so
// that database.cc can dispatch without seeing sqlite3.h.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace lianxin::storage {

// Opens (creating when missing, with its parent directory) the SQLite file at `path` in WAL
// mode with one writer connection and `options.reader_connections` readers. ":memory:" runs
// with no readers (reads then share the writer connection). kUnavailable when the file
// cannot be opened.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path,
                                                                   const DatabaseOptions& options);

}  // namespace lianxin::storage
