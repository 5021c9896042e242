// Times on the wire are ISO 8601 with the China Standard Time offset; in storage, Unix millis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace lianxin {

// The offset Lianxin shows and accepts by default: +08:00, China has no daylight saving.
inline constexpr int kChinaOffsetMinutes = 8 * 60;

// "2026-11-28T16:48:11+08:00" (milliseconds dropped).
std::string FormatIso8601(int64_t unix_millis, int offset_minutes = kChinaOffsetMinutes);
// "2026-11-28": the calendar day in the given offset.
std::string FormatDate(int64_t unix_millis, int offset_minutes = kChinaOffsetMinutes);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and "YYYY-MM-DD" (midnight at +08:00).
// Returns kInvalidArgument for anything else.
Result<int64_t> ParseIso8601(std::string_view text);

}  // namespace lianxin
