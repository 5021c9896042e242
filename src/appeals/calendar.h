// The working-day calendar deadlines are computed on: weekends off, public holidays off,
// make-up working days (调休) on, all in China Standard Time (+08:00). Holidays and make-up
// days are configuration (table calendar_days); the migration seeds the published schedule.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appeals/model.h"
#include "core/error.h"

namespace lianxin::appeals {

enum class DayKind { kHoliday, kWorkday };
// "holiday" / "workday"; Parse returns false for anything else.
std::string_view DayKindName(DayKind kind);
bool ParseDayKind(std::string_view name, DayKind& kind);

// One configured exception to the weekday rule.
struct CalendarDay {
  std::string date;  // "2026-10-01"
  DayKind kind = DayKind::kHoliday;
  std::string name;  // "国庆节", "国庆节调休"
};

inline constexpr int64_t kMillisPerHour = 3'600'000;
inline constexpr int64_t kMillisPerDay = 86'400'000;

// Days since 1970-01-01 of the calendar day (+08:00) that contains `unix_millis`.
int64_t LocalDayNumber(int64_t unix_millis);
// Unix millis of 00:00 +08:00 on day `day_number`.
int64_t LocalDayStart(int64_t day_number);
// "2026-10-01" for a day number; ParseDate returns nullopt unless `date` is a real
// YYYY-MM-DD date.
std::string DayNumberToDate(int64_t day_number);
std::optional<int64_t> ParseDate(std::string_view date);
// yyyymmdd (20261001) of the local day of `unix_millis`: the bucket key of daily metrics.
int64_t LocalYmd(int64_t unix_millis);

class WorkingCalendar {
 public:
  // Weekdays work, weekends rest, except for `days` (later entries for the same date win).
  // Entries with a malformed date are ignored (the table's CHECK and the API prevent them).
  explicit WorkingCalendar(const std::vector<CalendarDay>& days = {});

  // True when the local day `day_number` is a working day.
  bool IsWorkingDay(int64_t day_number) const;

  // The end (24:00 +08:00) of the `days`-th working day after the local day of `start`
  // (the day of `start` itself never counts). days <= 0 returns `start`.
  // E.g. Wednesday 2026-09-30 + 5 → end of Tuesday 2026-10-13 (Oct 1–7 off, Oct 10 works).
  int64_t AddWorkingDays(int64_t start, int days) const;

  // `hours` of working time after `start`: the clock runs only during working days (all 24
  // hours of them). Friday 18:00 + 24 h → Monday 18:00; Saturday 10:00 + 24 h → Tuesday 00:00.
  int64_t AddHours(int64_t start, int hours) const;

  // Working time (millis) between `from` and `to` (0 when to <= from).
  int64_t WorkingMillisBetween(int64_t from, int64_t to) const;
  // The instant when `working_millis` of working time have passed since `start`.
  int64_t AddWorkingMillis(int64_t start, int64_t working_millis) const;

  // The 80% point of the working time between `start` and `deadline`: when the unit is warned.
  int64_t WarningPoint(int64_t start, int64_t deadline) const;

 private:
  std::map<int64_t, bool> overrides_;  // day number -> working
};

inline constexpr int kWarningPercent = 80;

// Deadlines of one appeal kind (table deadline_settings).
struct DeadlineSettings {
  AppealKind kind = AppealKind::kConsultation;
  int acknowledge_hours = 24;  // working hours
  int reply_working_days = 5;
  int resolve_working_days = 15;
  int64_t version = 1;
};

// The three deadlines of an appeal submitted at `submitted_at`.
struct Deadlines {
  int64_t acknowledge = 0;
  int64_t reply = 0;
  int64_t resolve = 0;
};
Deadlines ComputeDeadlines(const WorkingCalendar& calendar, const DeadlineSettings& settings,
                           int64_t submitted_at);

}  // namespace lianxin::appeals
