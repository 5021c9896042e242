// The PostgreSQL backend of storage::Database. Callers use OpenDatabase; this header exists
// so that database.cc can dispatch without seeing libpq-fe.h.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace lianxin::storage {

// Connects a pool of `options.reader_connections + 1` connections to the PostgreSQL server
// at `url` ("postgresql://user@host:port/db?..."). kUnavailable when it cannot connect.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenPostgresDatabase(
    const std::string& url, const DatabaseOptions& options);

}  // namespace lianxin::storage
