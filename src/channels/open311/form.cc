#include "channels/open311/form.h"

#include <algorithm>

#include "core/text.h"

namespace lianxin::open311 {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one name or value; nullopt on a malformed escape or when the result would pass
// `max_bytes` (checked as it grows, so a huge input costs no more than the limit).
std::optional<std::string> Decode(std::string_view text, size_t max_bytes, bool& too_long) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (out.size() == max_bytes) {
      too_long = true;
      return std::nullopt;
    }
    out.push_back(c);
  }
  return out;
}

bool HasControl(std::string_view text, bool allow_line_breaks) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) return false;
    return u < 0x20 || u == 0x7f;
  });
}

std::unexpected<Error> Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, std::move(message));
}

// A name safe to repeat in an error message: printable ASCII only, at most 40 characters.
std::string Printable(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 40)) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return out;
}

}  // namespace

std::optional<std::string_view> Form::Get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> Form::NonEmpty(std::string_view name) const {
  auto value = Get(name);
  if (!value) return std::nullopt;
  auto trimmed = Trim(*value);
  if (trimmed.empty()) return std::nullopt;
  return std::string(trimmed);
}

Result<Form> ParseForm(std::string_view text, const FormLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError(ErrorCode::kTooLarge,
                     "The form is larger than " + std::to_string(limits.max_bytes) + " bytes.");
  }
  Form form;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    if (form.fields_.size() == limits.max_fields) {
      return Malformed("The form has more than " + std::to_string(limits.max_fields) + " fields.");
    }
    size_t eq = piece.find('=');
    std::string_view raw_name = piece.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : piece.substr(eq + 1);
    bool too_long = false;
    auto name = Decode(raw_name, limits.max_name_bytes, too_long);
    if (!name) {
      if (too_long)
        return Malformed("A field name is longer than " + std::to_string(limits.max_name_bytes) +
                         " bytes.");
      return Malformed("A field name has a malformed %-escape.");
    }
    if (name->empty()) return Malformed("A field has no name.");
    if (!IsValidUtf8(*name) || HasControl(*name, false)) {
      return Malformed("A field name is not plain UTF-8 text.");
    }
    std::string shown = Printable(*name);
    auto value = Decode(raw_value, limits.max_value_bytes, too_long);
    if (!value) {
      if (too_long) {
        return Malformed(shown + " is longer than " + std::to_string(limits.max_value_bytes) +
                         " bytes.");
      }
      return Malformed(shown + " has a malformed %-escape.");
    }
    if (!IsValidUtf8(*value) || HasControl(*value, true)) {
      return Malformed(shown + " is not plain UTF-8 text.");
    }
    if (!name->ends_with("[]") && form.Get(*name)) {
      return Malformed(shown + " is given more than once.");
    }
    form.fields_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

}  // namespace lianxin::open311
