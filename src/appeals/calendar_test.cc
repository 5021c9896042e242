#include "appeals/calendar.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace lianxin::appeals {
namespace {

// The 2026 schedule as the migration seeds it (the parts the cases touch).
WorkingCalendar Calendar2026() {
  std::vector<CalendarDay> days = {
      {"2026-01-01", DayKind::kHoliday, "元旦"},    {"2026-01-02", DayKind::kHoliday, "元旦"},
      {"2026-01-03", DayKind::kHoliday, "元旦"},    {"2026-01-04", DayKind::kWorkday, "元旦调休"},
      {"2026-09-20", DayKind::kWorkday, "调休"},    {"2026-09-25", DayKind::kHoliday, "中秋节"},
      {"2026-10-01", DayKind::kHoliday, "国庆节"},  {"2026-10-02", DayKind::kHoliday, "国庆节"},
      {"2026-10-03", DayKind::kHoliday, "国庆节"},  {"2026-10-04", DayKind::kHoliday, "国庆节"},
      {"2026-10-05", DayKind::kHoliday, "国庆节"},  {"2026-10-06", DayKind::kHoliday, "国庆节"},
      {"2026-10-07", DayKind::kHoliday, "国庆节"},  {"2026-10-10", DayKind::kWorkday, "调休"},
      {"not-a-date", DayKind::kHoliday, "ignored"},
  };
  return WorkingCalendar(days);
}

int64_t At(const char* iso) {
  auto t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(0);
}

TEST(CalendarTest, DatesRoundTripInChinaTime) {
  int64_t t = At("2026-10-01T00:30:00+08:00");  // still Sep 30 in UTC
  EXPECT_EQ(DayNumberToDate(LocalDayNumber(t)), "2026-10-01");
  EXPECT_EQ(LocalYmd(t), 20261001);
  EXPECT_EQ(LocalDayStart(LocalDayNumber(t)), At("2026-10-01T00:00:00+08:00"));
  EXPECT_EQ(ParseDate("2026-10-01"), LocalDayNumber(t));
  EXPECT_FALSE(ParseDate("2026-02-30"));
  EXPECT_FALSE(ParseDate("2026-1-01"));
  EXPECT_FALSE(ParseDate("20261001xx"));
}

TEST(CalendarTest, WorkingDaysTable) {
  WorkingCalendar cal = Calendar2026();
  struct Case {
    const char* date;
    bool working;
  } cases[] = {
      {"2026-09-28", true},                                               // Monday
      {"2026-09-26", false},                                              // Saturday
      {"2026-09-20", true},                                               // Sunday, make-up day
      {"2026-09-25", false},                                              // Friday, Mid-Autumn
      {"2026-10-01", false},                                              // National Day
      {"2026-10-07", false}, {"2026-10-08", true}, {"2026-10-10", true},  // Saturday, make-up day
      {"2026-10-11", false},                                              // Sunday
      {"2026-01-04", true},                                               // Sunday, make-up day
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cal.IsWorkingDay(*ParseDate(c.date)), c.working) << c.date;
  }
}

TEST(CalendarTest, AddWorkingDaysTable) {
  WorkingCalendar cal = Calendar2026();
  WorkingCalendar plain;
  struct Case {
    const WorkingCalendar* calendar;
    const char* start;
    int days;
    const char* expected;
  } cases[] = {
      // Plain weeks: the day of submission never counts; the deadline is the end of the day.
      {&plain, "2026-11-23T10:00:00+08:00", 5, "2026-12-01T00:00:00+08:00"},  // Mon → Mon
      {&plain, "2026-11-27T18:00:00+08:00", 1, "2026-12-01T00:00:00+08:00"},  // Fri → Mon
      {&plain, "2026-11-28T09:00:00+08:00", 1, "2026-12-01T00:00:00+08:00"},  // Sat → Mon
      {&plain, "2026-11-23T10:00:00+08:00", 15, "2026-12-15T00:00:00+08:00"},
      {&plain, "2026-11-23T10:00:00+08:00", 0, "2026-11-23T10:00:00+08:00"},
      // National Day: Oct 1-7 off, Oct 10 (Sat) works.
      {&cal, "2026-09-30T15:00:00+08:00", 5, "2026-10-14T00:00:00+08:00"},
      {&cal, "2026-09-30T15:00:00+08:00", 3, "2026-10-11T00:00:00+08:00"},  // ends on Sat 10th
      // Mid-Autumn Friday off, make-up Sunday Sep 20 works.
      {&cal, "2026-09-18T12:00:00+08:00", 1, "2026-09-21T00:00:00+08:00"},  // Fri → Sun 20th
      {&cal, "2026-09-24T12:00:00+08:00", 1, "2026-09-29T00:00:00+08:00"},  // Thu → Mon 28th
      // New Year: Jan 1-3 off, Sunday Jan 4 works.
      {&cal, "2025-12-31T20:00:00+08:00", 1, "2026-01-05T00:00:00+08:00"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatIso8601(c.calendar->AddWorkingDays(At(c.start), c.days)), c.expected)
        << c.start << " + " << c.days;
  }
}

TEST(CalendarTest, AddHoursTable) {
  WorkingCalendar cal = Calendar2026();
  struct Case {
    const char* start;
    int hours;
    const char* expected;
  } cases[] = {
      {"2026-11-24T10:00:00+08:00", 24, "2026-11-25T10:00:00+08:00"},  // Tue → Wed
      {"2026-11-27T18:00:00+08:00", 24, "2026-11-30T18:00:00+08:00"},  // Fri → Mon
      {"2026-11-28T10:00:00+08:00", 24, "2026-12-01T00:00:00+08:00"},  // Sat → Tue 00:00
      {"2026-09-30T20:00:00+08:00", 24, "2026-10-08T20:00:00+08:00"},  // over National Day
      {"2026-10-09T12:00:00+08:00", 24, "2026-10-10T12:00:00+08:00"},  // into make-up Sat
      {"2026-10-10T12:00:00+08:00", 24, "2026-10-12T12:00:00+08:00"},  // Sunday skipped
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatIso8601(cal.AddHours(At(c.start), c.hours)), c.expected) << c.start;
  }
}

TEST(CalendarTest, WarningPointIsEightyPercentOfWorkingTime) {
  WorkingCalendar cal = Calendar2026();
  // Mon 00:00 + 5 working days → Sat 00:00 (after Fri): 5 days of working time; 80% = 4 days.
  int64_t start = At("2026-11-23T00:00:00+08:00");
  int64_t deadline = At("2026-11-28T00:00:00+08:00");
  EXPECT_EQ(cal.WorkingMillisBetween(start, deadline), 5 * kMillisPerDay);
  EXPECT_EQ(FormatIso8601(cal.WarningPoint(start, deadline)), "2026-11-27T00:00:00+08:00");
  // Across National Day: Sep 30 12:00 → end of Oct 13: working time skips the holiday.
  int64_t s2 = At("2026-09-30T12:00:00+08:00");
  int64_t d2 = cal.AddWorkingDays(s2, 5);
  EXPECT_EQ(cal.WorkingMillisBetween(s2, d2), 12 * kMillisPerHour + 5 * kMillisPerDay);
  // 80% of 5.5 days = 4.4 days = 12h (Sep 30) + Oct 8, 9, 10, + 0.9 day of Oct 12.
  EXPECT_EQ(FormatIso8601(cal.WarningPoint(s2, d2)), "2026-10-12T21:36:00+08:00");
  EXPECT_EQ(cal.WarningPoint(s2, s2), s2);
}

TEST(CalendarTest, DefaultDeadlines) {
  WorkingCalendar cal = Calendar2026();
  DeadlineSettings settings;  // 24 h, 5 and 15 working days
  Deadlines d = ComputeDeadlines(cal, settings, At("2026-09-30T15:00:00+08:00"));
  EXPECT_EQ(FormatIso8601(d.acknowledge), "2026-10-08T15:00:00+08:00");
  EXPECT_EQ(FormatIso8601(d.reply), "2026-10-14T00:00:00+08:00");
  // 15 working days after Sep 30: Oct 8,9,10,12-16 (8), 19-23 (13), 26, 27 (15).
  EXPECT_EQ(FormatIso8601(d.resolve), "2026-10-28T00:00:00+08:00");
}

}  // namespace
}  // namespace lianxin::appeals
