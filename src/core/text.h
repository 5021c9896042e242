// UTF-8 and the masking of personal data for display and logs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);
// Number of code points in well-formed UTF-8 `text`.
size_t Utf8Length(std::string_view text);
// `text` without leading and trailing ASCII white space.
std::string_view Trim(std::string_view text);
std::string ToLowerAscii(std::string_view text);
std::vector<std::string_view> Split(std::string_view text, char separator);

// "13812341234" -> "138****1234"; shorter numbers keep at most their last two digits.
std::string MaskPhone(std::string_view phone);
// "张三" -> "张*", "欧阳娜娜" -> "欧***": the first character and one star per other character.
std::string MaskName(std::string_view name);

// True for a mainland mobile number (11 digits starting with 1) or a landline such as
// "023-63961234" / "02363961234".
bool LooksLikePhone(std::string_view phone);

}  // namespace lianxin
