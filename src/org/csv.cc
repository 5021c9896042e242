#include "org/csv.h"

#include <string>

#include "core/text.h"

namespace lianxin::org {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::unexpected<Error> CsvError(int64_t line, size_t column, std::string message) {
  std::string field = "line " + std::to_string(line);
  if (column > 0) field += ", column " + std::to_string(column);
  return InvalidFields({{std::move(field), std::move(message)}});
}

bool IsBlank(const CsvRow& row) { return row.fields.size() == 1 && row.fields[0].empty(); }

}  // namespace

Result<std::vector<CsvRow>> ParseCsv(std::string_view text, const CsvLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError(ErrorCode::kTooLarge, "The file is larger than the import limit.");
  }
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  std::vector<CsvRow> rows;
  size_t pos = 0;
  const size_t n = text.size();
  int64_t line = 1;
  while (pos < n) {
    CsvRow row;
    row.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      const size_t column = row.fields.size() + 1;
      if (column > limits.max_columns) {
        return CsvError(row.line, column,
                        "more than " + std::to_string(limits.max_columns) + " columns");
      }
      if (pos < n && text[pos] == '"') {
        const int64_t quote_line = line;
        ++pos;
        bool closed = false;
        while (pos < n) {
          char c = text[pos];
          if (c == '"') {
            if (pos + 1 < n && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++pos;
          if (field.size() > limits.max_field_bytes) break;
        }
        if (field.size() > limits.max_field_bytes) {
          return CsvError(quote_line, column,
                          "field longer than " + std::to_string(limits.max_field_bytes) + " bytes");
        }
        if (!closed) return CsvError(quote_line, column, "unterminated quoted field");
        if (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          return CsvError(line, column, "unexpected text after a closing quote");
        }
      } else {
        while (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          if (text[pos] == '"') return CsvError(line, column, "quote inside an unquoted field");
          field += text[pos];
          ++pos;
          if (field.size() > limits.max_field_bytes) {
            return CsvError(
                line, column,
                "field longer than " + std::to_string(limits.max_field_bytes) + " bytes");
          }
        }
      }
      if (field.find('\0') != std::string::npos) return CsvError(line, column, "NUL byte");
      if (!IsValidUtf8(field)) return CsvError(line, column, "invalid UTF-8");
      row.fields.push_back(std::move(field));

      if (pos >= n) {
        end_of_record = true;
      } else if (text[pos] == ',') {
        ++pos;
        if (pos >= n) {
          row.fields.emplace_back();  // "a,b," ends with an empty field
          end_of_record = true;
        }
      } else {  // '\r' or '\n'
        if (text[pos] == '\r') ++pos;
        if (pos < n && text[pos] == '\n') ++pos;
        ++line;
        end_of_record = true;
      }
    }
    if (IsBlank(row)) continue;
    if (rows.size() >= limits.max_rows) {
      return CsvError(row.line, 0, "more than " + std::to_string(limits.max_rows) + " rows");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace lianxin::org
