#include "storage/database.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace lianxin::storage {
namespace {

// Parses text as PostgreSQL prints numbers and booleans: "42", "-7", "2.5", "1e+300", "t", "f".
std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  if (text == "t" || text == "true") return 1;
  if (text == "f" || text == "false") return 0;
  double d = 0;
  auto [dend, dec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (dec == std::errc() && dend == text.data() + text.size() && std::isfinite(d) &&
      d >= static_cast<double>(std::numeric_limits<int64_t>::min()) &&
      d < static_cast<double>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (text == "t" || text == "true") return 1;
  if (text == "f" || text == "false") return 0;
  return std::nullopt;
}

std::string FormatDouble(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return {};
  return std::string(buffer, end);
}

}  // namespace

bool Row::IsNull(size_t column) const {
  return std::holds_alternative<std::monostate>(cells_.at(column));
}

int64_t Row::Int(size_t column) const {
  const Value& cell = cells_.at(column);
  if (const auto* i = std::get_if<int64_t>(&cell)) return *i;
  if (const auto* d = std::get_if<double>(&cell)) {
    if (!std::isfinite(*d)) return 0;
    return static_cast<int64_t>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&cell)) return ParseInt(*s).value_or(0);
  return 0;
}

double Row::Double(size_t column) const {
  const Value& cell = cells_.at(column);
  if (const auto* d = std::get_if<double>(&cell)) return *d;
  if (const auto* i = std::get_if<int64_t>(&cell)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&cell)) return ParseDouble(*s).value_or(0);
  return 0;
}

std::string Row::Text(size_t column) const {
  const Value& cell = cells_.at(column);
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* i = std::get_if<int64_t>(&cell)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&cell)) return FormatDouble(*d);
  return {};
}

std::optional<int64_t> Row::OptInt(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> Row::OptText(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Result<std::optional<Row>> Session::QueryOne(std::string_view sql, const Params& params) {
  auto rows = Query(sql, params);
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows->front()));
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& location,
                                               const DatabaseOptions& options) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return OpenPostgresDatabase(location, options);
  }
  if (location.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty database location");
  return OpenSqliteDatabase(location, options);
}

}  // namespace lianxin::storage
