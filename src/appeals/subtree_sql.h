// Internal to the appeals module: the SQL condition "column lies in the subtree of `path`".
#pragma once

#include <string>
#include <string_view>

#include "storage/database.h"

namespace lianxin::appeals {

// Appends the parameters it needs to `params` and returns the condition. On SQLite a
// prefix LIKE with a parameter cannot use an index, so the prefix becomes a byte range:
// paths end in '/', and '/' + 1 is '0', so "/1/4/" covers ["/1/4/", "/1/40"). On
// PostgreSQL the LIKE prefix is served by the text_pattern_ops index.
inline std::string SubtreeCondition(storage::Dialect dialect, std::string_view column,
                                    const std::string& path, storage::Params& params) {
  auto placeholder = [&](storage::Value v) {
    params.push_back(std::move(v));
    std::string out = std::to_string(params.size());
    out.insert(out.begin(), '$');
    return out;
  };
  std::string out;
  if (dialect == storage::Dialect::kSqlite && !path.empty() && path.back() == '/') {
    std::string upper = path;
    upper.back() = '0';
    std::string low = placeholder(path);
    std::string high = placeholder(upper);
    out.append("(").append(column).append(" >= CAST(").append(low).append(" AS TEXT) AND ");
    out.append(column).append(" < CAST(").append(high).append(" AS TEXT))");
    return out;
  }
  std::string p = placeholder(path);
  out.append(column).append(" LIKE CAST(").append(p).append(" AS TEXT) || '%'");
  return out;
}

}  // namespace lianxin::appeals
