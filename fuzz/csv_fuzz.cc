// libFuzzer target for the CSV import parser. Also linked into org_test, which runs it over
// a seed corpus of hostile inputs on every test run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.h"
#include "org/csv.h"

namespace {

// Aborts (a crash libFuzzer reports) when an invariant does not hold.
void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  lianxin::org::CsvLimits limits;
  auto rows = lianxin::org::ParseCsv(input, limits);
  if (!rows) {
    // Every failure names where it happened, except an oversized file.
    Check(rows.error().code == lianxin::ErrorCode::kTooLarge ||
          (rows.error().code == lianxin::ErrorCode::kInvalidArgument &&
           rows.error().fields.size() == 1 && rows.error().fields[0].field.starts_with("line ")));
    return 0;
  }
  Check(rows->size() <= limits.max_rows);
  int64_t previous_line = 0;
  for (const auto& row : *rows) {
    Check(row.line > previous_line);
    previous_line = row.line;
    Check(!row.fields.empty() && row.fields.size() <= limits.max_columns);
    for (const auto& field : row.fields) {
      Check(field.size() <= limits.max_field_bytes);
      Check(field.find('\0') == std::string::npos);
      Check(lianxin::IsValidUtf8(field));
    }
  }
  return 0;
}
