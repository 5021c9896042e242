#include "core/time.h"

#include <gtest/gtest.h>

namespace lianxin {
namespace {

TEST(TimeTest, FormatsInChinaStandardTime) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(FormatIso8601(1'767'225'600'000), "2026-01-01T08:00:00+08:00");
  EXPECT_EQ(FormatIso8601(0, 0), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(FormatDate(1'767'196'800'000 - 1), "2025-12-31");  // 23:59:59.999 +08:00
}

TEST(TimeTest, ParsesOffsetsAndDates) {
  EXPECT_EQ(*ParseIso8601("2026-01-01T08:00:00+08:00"), 1'767'225'600'000);
  EXPECT_EQ(*ParseIso8601("2026-01-01T00:00:00Z"), 1'767'225'600'000);
  EXPECT_EQ(*ParseIso8601("2026-01-01T00:00:00.250Z"), 1'767'225'600'250);
  EXPECT_EQ(*ParseIso8601("2026-01-01"), 1'767'196'800'000);
}

TEST(TimeTest, RoundTrips) {
  for (int64_t t : {0LL, 1'700'000'000'000LL, -86'400'000LL}) {
    EXPECT_EQ(*ParseIso8601(FormatIso8601(t)), t);
  }
}

TEST(TimeTest, RejectsMalformedTimes) {
  for (const char* text : {"", "2026", "2026-13-01", "2026-02-30", "2026-01-01T25:00:00Z",
                           "2026-01-01T08:00:00", "2026-01-01T08:00:00+8", "yesterday",
                           "2026-01-01T08:00:00.Z", "2026-01-01T08:00:00+08:00junk"}) {
    EXPECT_FALSE(ParseIso8601(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace lianxin
