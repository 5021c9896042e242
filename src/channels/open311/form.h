// application/x-www-form-urlencoded bodies and query strings, parsed strictly: Open311
// clients post their requests this way, and the input is hostile until proven otherwise.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace lianxin::open311 {

struct FormLimits {
  size_t max_bytes = 64 * 1024;        // the whole body or query string
  size_t max_fields = 100;             // name=value pairs
  size_t max_name_bytes = 100;         // a decoded name
  size_t max_value_bytes = 16 * 1024;  // a decoded value
};

// Decoded fields in the order they came. Names are unique except those ending in "[]"
// (Open311's multi-valued attribute[code][]).
class Form {
 public:
  // The value of the first field named `name`, or nullopt when there is none.
  std::optional<std::string_view> Get(std::string_view name) const;
  // The value of `name` with ASCII white space trimmed; nullopt when absent or empty (the
  // spec's "Optional" arguments: an empty parameter is the same as no parameter).
  std::optional<std::string> NonEmpty(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  friend Result<Form> ParseForm(std::string_view text, const FormLimits& limits);
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Parses "a=1&b=%E5%BC%A0+x". '+' is a space; empty pieces ("a=1&&b=2") are skipped; "a"
// alone gives a = "". Returns kTooLarge when `text` exceeds the limit and kMalformed (with a
// message naming the field) for: a malformed %-escape, a field without a name, too many
// fields, a name or value over its limit, a name or value that is not UTF-8, a control
// character in a name or in a value (tab, CR and LF are allowed in values), or a repeated name.
[[nodiscard]] Result<Form> ParseForm(std::string_view text, const FormLimits& limits = {});

}  // namespace lianxin::open311
