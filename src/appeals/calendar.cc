#include "appeals/calendar.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace lianxin::appeals {
namespace {

constexpr int64_t kOffsetMillis = 8 * kMillisPerHour;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Howard Hinnant's civil date algorithms.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool IsWeekend(int64_t day_number) {
  // 1970-01-01 was a Thursday: weekday index 0 = Monday.
  int64_t weekday = FloorDiv(day_number + 3, 7);
  weekday = day_number + 3 - weekday * 7;
  return weekday >= 5;
}

}  // namespace

std::string_view DayKindName(DayKind kind) {
  return kind == DayKind::kHoliday ? "holiday" : "workday";
}

bool ParseDayKind(std::string_view name, DayKind& kind) {
  if (name == "holiday") {
    kind = DayKind::kHoliday;
    return true;
  }
  if (name == "workday") {
    kind = DayKind::kWorkday;
    return true;
  }
  return false;
}

int64_t LocalDayNumber(int64_t unix_millis) {
  return FloorDiv(unix_millis + kOffsetMillis, kMillisPerDay);
}

int64_t LocalDayStart(int64_t day_number) { return day_number * kMillisPerDay - kOffsetMillis; }

std::string DayNumberToDate(int64_t day_number) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(day_number, y, m, d);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buffer;
}

std::optional<int64_t> ParseDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  auto number = [&](size_t at, size_t len, int& out) {
    auto [ptr, ec] = std::from_chars(date.data() + at, date.data() + at + len, out);
    return ec == std::errc() && ptr == date.data() + at + len;
  };
  int y = 0, m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
  if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t day = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (DayNumberToDate(day) != date) return std::nullopt;  // e.g. 2026-02-30
  return day;
}

int64_t LocalYmd(int64_t unix_millis) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(LocalDayNumber(unix_millis), y, m, d);
  return y * 10000 + m * 100 + d;
}

WorkingCalendar::WorkingCalendar(const std::vector<CalendarDay>& days) {
  for (const auto& day : days) {
    if (auto number = ParseDate(day.date)) overrides_[*number] = day.kind == DayKind::kWorkday;
  }
}

bool WorkingCalendar::IsWorkingDay(int64_t day_number) const {
  if (auto it = overrides_.find(day_number); it != overrides_.end()) return it->second;
  return !IsWeekend(day_number);
}

int64_t WorkingCalendar::AddWorkingDays(int64_t start, int days) const {
  if (days <= 0) return start;
  int64_t day = LocalDayNumber(start);
  int counted = 0;
  // A year of holidays never holds more than a few weeks off in a row; the bound only guards
  // against a calendar configured with every day off.
  for (int guard = 0; guard < 3660 && counted < days; ++guard) {
    ++day;
    if (IsWorkingDay(day)) ++counted;
  }
  return LocalDayStart(day + 1);
}

int64_t WorkingCalendar::AddWorkingMillis(int64_t start, int64_t working_millis) const {
  if (working_millis <= 0) return start;
  int64_t at = start;
  int64_t left = working_millis;
  for (int guard = 0; guard < 3660 * 2; ++guard) {
    int64_t day = LocalDayNumber(at);
    int64_t day_end = LocalDayStart(day + 1);
    if (IsWorkingDay(day)) {
      int64_t available = day_end - at;
      if (left <= available) return at + left;
      left -= available;
    }
    at = day_end;
  }
  return at + left;
}

int64_t WorkingCalendar::AddHours(int64_t start, int hours) const {
  return AddWorkingMillis(start, static_cast<int64_t>(hours) * kMillisPerHour);
}

int64_t WorkingCalendar::WorkingMillisBetween(int64_t from, int64_t to) const {
  int64_t total = 0;
  int64_t at = from;
  while (at < to) {
    int64_t day = LocalDayNumber(at);
    int64_t day_end = std::min(LocalDayStart(day + 1), to);
    if (IsWorkingDay(day)) total += day_end - at;
    at = day_end;
  }
  return total;
}

int64_t WorkingCalendar::WarningPoint(int64_t start, int64_t deadline) const {
  int64_t working = WorkingMillisBetween(start, deadline);
  return std::min(deadline, AddWorkingMillis(start, working * kWarningPercent / 100));
}

Deadlines ComputeDeadlines(const WorkingCalendar& calendar, const DeadlineSettings& settings,
                           int64_t submitted_at) {
  return Deadlines{
      .acknowledge = calendar.AddHours(submitted_at, settings.acknowledge_hours),
      .reply = calendar.AddWorkingDays(submitted_at, settings.reply_working_days),
      .resolve = calendar.AddWorkingDays(submitted_at, settings.resolve_working_days),
  };
}

}  // namespace lianxin::appeals
