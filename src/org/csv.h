// An RFC 4180 CSV parser for imports: quoted fields, doubled quotes, CRLF or LF line ends,
// a UTF-8 byte-order mark stripped, and hard limits so hostile files fail fast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace lianxin::org {

struct CsvLimits {
  size_t max_bytes = 5 * 1024 * 1024;
  size_t max_rows = 20'000;  // records, header included
  size_t max_columns = 64;
  size_t max_field_bytes = 4096;
};

struct CsvRow {
  int64_t line = 0;  // the physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

// Parses `text` into records. Blank lines are skipped. Errors: kTooLarge past max_bytes;
// kInvalidArgument with one FieldError ("line 3, column 2", message) for an unterminated
// quote, a quote inside an unquoted field, text after a closing quote, a NUL byte, invalid
// UTF-8, or a limit exceeded.
[[nodiscard]] Result<std::vector<CsvRow>> ParseCsv(std::string_view text,
                                                   const CsvLimits& limits = {});

}  // namespace lianxin::org
