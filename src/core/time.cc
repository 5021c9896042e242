#include "core/time.h"

#include <chrono>
#include <cstdio>

namespace lianxin {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool ReadDigits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::string FormatIso8601(int64_t unix_millis, int offset_minutes) {
  using namespace std::chrono;
  const int64_t local_seconds = FloorDiv(unix_millis, 1000) + offset_minutes * 60;
  const auto day = sys_days(days(FloorDiv(local_seconds, 86400)));
  const int64_t second_of_day = local_seconds - FloorDiv(local_seconds, 86400) * 86400;
  const year_month_day ymd(day);
  const int offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(second_of_day / 3600),
                static_cast<int>(second_of_day / 60 % 60), static_cast<int>(second_of_day % 60),
                offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
  return buffer;
}

std::string FormatDate(int64_t unix_millis, int offset_minutes) {
  return FormatIso8601(unix_millis, offset_minutes).substr(0, 10);
}

Result<int64_t> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  auto invalid = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "expected an ISO 8601 time such as "
                     "2026-11-28T09:30:00+08:00");
  };
  int y, mo, d;
  if (!ReadDigits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' ||
      !ReadDigits(text, 5, 2, mo) || text[7] != '-' || !ReadDigits(text, 8, 2, d)) {
    return invalid();
  }
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return invalid();
  const int64_t days_since_epoch = sys_days(ymd).time_since_epoch().count();
  int h = 0, mi = 0, s = 0, millis = 0;
  int offset_minutes = kChinaOffsetMinutes;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || !ReadDigits(text, 11, 2, h) || text.size() < 19 ||
        text[13] != ':' || !ReadDigits(text, 14, 2, mi) || text[16] != ':' ||
        !ReadDigits(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
      return invalid();
    }
    size_t at = 19;
    if (at < text.size() && text[at] == '.') {
      size_t start = ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
      if (at == start) return invalid();
      int scale = 100;
      for (size_t i = start; i < at && i < start + 3; ++i, scale /= 10) {
        millis += (text[i] - '0') * scale;
      }
    }
    if (at == text.size()) return invalid();  // an offset is required with a time
    if (text[at] == 'Z' && at + 1 == text.size()) {
      offset_minutes = 0;
    } else if ((text[at] == '+' || text[at] == '-') && at + 6 == text.size() &&
               text[at + 3] == ':') {
      int oh, om;
      if (!ReadDigits(text, at + 1, 2, oh) || !ReadDigits(text, at + 4, 2, om) || oh > 14 ||
          om > 59) {
        return invalid();
      }
      offset_minutes = (oh * 60 + om) * (text[at] == '-' ? -1 : 1);
    } else {
      return invalid();
    }
  }
  const int64_t local_seconds = days_since_epoch * 86400 + h * 3600 + mi * 60 + s;
  return (local_seconds - offset_minutes * 60) * 1000 + millis;
}

}  // namespace lianxin
