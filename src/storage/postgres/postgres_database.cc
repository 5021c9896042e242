#include "storage/postgres/postgres_database.h"

namespace lianxin::storage {

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url,
                                                       const DatabaseOptions& options) {
  (void)url;
  (void)options;
  return MakeError(ErrorCode::kUnavailable, "the PostgreSQL backend is not built yet");
}

}  // namespace lianxin::storage
