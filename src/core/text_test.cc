#include "core/text.h"

#include <gtest/gtest.h>

namespace lianxin {
namespace {

TEST(Utf8Test, AcceptsChineseAndAscii) {
  EXPECT_TRUE(IsValidUtf8("十八梯 treasure 🚓"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8Test, RejectsMalformedSequences) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const Case cases[] = {
      {"lone continuation", "\x80"},           {"truncated two-byte", "\xC3"},
      {"truncated three-byte", "\xE5\x8D"},    {"overlong slash", "\xC0\xAF"},
      {"overlong three-byte", "\xE0\x80\xAF"}, {"surrogate", "\xED\xA0\x80"},
      {"past U+10FFFF", "\xF4\x90\x80\x80"},   {"invalid lead", "\xFF"},
      {"bad continuation", "\xE5\x41\x41"},
  };
  for (const auto& c : cases) EXPECT_FALSE(IsValidUtf8(c.bytes)) << c.name;
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(Utf8Length("渝中区"), 3u);
  EXPECT_EQ(Utf8Length("ab"), 2u);
}

TEST(MaskTest, MasksMobileNumbers) {
  EXPECT_EQ(MaskPhone("13812341234"), "138****1234");
  EXPECT_EQ(MaskPhone("138-1234-1234"), "138****1234");
  EXPECT_EQ(MaskPhone("023-63961234"), "023****1234");
  EXPECT_EQ(MaskPhone("12345"), "***45");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(MaskTest, MasksNamesByCharacter) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("李"), "李*");
  EXPECT_EQ(MaskName("  "), "");
}

TEST(PhoneTest, RecognisesMobileAndLandline) {
  EXPECT_TRUE(LooksLikePhone("13812341234"));
  EXPECT_TRUE(LooksLikePhone("023-63961234"));
  EXPECT_FALSE(LooksLikePhone("2381234123"));
  EXPECT_FALSE(LooksLikePhone("138abc"));
}

TEST(TextTest, TrimsAndSplits) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(ToLowerAscii("AbC渝"), "abc渝");
}

}  // namespace
}  // namespace lianxin
