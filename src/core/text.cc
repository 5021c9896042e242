#include "core/text.h"

#include <cctype>

namespace lianxin {

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0, n = text.size();
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= n) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view Trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

std::string MaskPhone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.size() >= 7) {
    return digits.substr(0, 3) + std::string(digits.size() - 7, '*') +
           digits.substr(digits.size() - 4);
  }
  if (digits.empty()) return {};
  size_t keep = digits.size() > 2 ? 2 : 0;
  return std::string(digits.size() - keep, '*') + digits.substr(digits.size() - keep);
}

std::string MaskName(std::string_view name) {
  name = Trim(name);
  if (name.empty()) return {};
  auto* s = reinterpret_cast<const unsigned char*>(name.data());
  size_t first = 1;
  if (s[0] >= 0xF0) {
    first = 4;
  } else if (s[0] >= 0xE0) {
    first = 3;
  } else if (s[0] >= 0xC0) {
    first = 2;
  }
  if (first > name.size()) first = name.size();
  size_t rest = Utf8Length(name.substr(first));
  return std::string(name.substr(0, first)) + std::string(rest == 0 ? 1 : rest, '*');
}

bool LooksLikePhone(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '-' && c != ' ' && c != '+') {
      return false;
    }
  }
  if (digits.size() == 11 && digits[0] == '1') return true;
  return digits.size() >= 10 && digits.size() <= 12 && digits[0] == '0';
}

}  // namespace lianxin
