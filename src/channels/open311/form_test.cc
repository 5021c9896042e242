#include "channels/open311/form.h"

#include <gtest/gtest.h>

#include <string>

namespace lianxin::open311 {
namespace {

TEST(FormTest, DecodesFieldsInOrder) {
  auto form = ParseForm("a=1&b=%E5%BC%A0+%E4%B8%89&&c&d=&e=x%2By%0Az");
  ASSERT_TRUE(form) << form.error().message;
  ASSERT_EQ(form->fields().size(), 5u);
  EXPECT_EQ(form->Get("a"), "1");
  EXPECT_EQ(form->Get("b"), "张 三");
  EXPECT_EQ(form->Get("c"), "");
  EXPECT_EQ(form->Get("d"), "");
  EXPECT_EQ(form->Get("e"), "x+y\nz");
  EXPECT_FALSE(form->Get("f"));
  EXPECT_FALSE(form->NonEmpty("c"));  // empty is the same as absent
  EXPECT_EQ(form->fields()[1].first, "b");
}

TEST(FormTest, AllowsRepeatedArrayNamesOnly) {
  auto form = ParseForm("attribute%5Bcolour%5D%5B%5D=red&attribute[colour][]=blue");
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->fields().size(), 2u);
  EXPECT_FALSE(ParseForm("api_key=a&api_key=b"));
  EXPECT_FALSE(ParseForm("api_key=a&api%5Fkey=b"));  // the same name once decoded
}

TEST(FormTest, RejectsHostileInput) {
  struct Case {
    std::string input;
    ErrorCode code;
  };
  const Case cases[] = {
      {"%", ErrorCode::kMalformed},
      {"a=%", ErrorCode::kMalformed},
      {"a=%4", ErrorCode::kMalformed},
      {"a=%zz", ErrorCode::kMalformed},
      {"a=%%41", ErrorCode::kMalformed},
      {"%zz=1", ErrorCode::kMalformed},
      {"=1", ErrorCode::kMalformed},
      {"a=1&=2", ErrorCode::kMalformed},
      {"a=%00", ErrorCode::kMalformed},        // NUL
      {"a=%07", ErrorCode::kMalformed},        // bell
      {"a%0A=1", ErrorCode::kMalformed},       // line break in a name
      {"a=%FF", ErrorCode::kMalformed},        // not UTF-8
      {"a=%ED%A0%80", ErrorCode::kMalformed},  // a surrogate
      {"a=%C0%AF", ErrorCode::kMalformed},     // overlong
      {"a=1&a=2", ErrorCode::kMalformed},
      {"a=" + std::string(16 * 1024 + 1, 'x'), ErrorCode::kMalformed},
      {std::string(101, 'n') + "=1", ErrorCode::kMalformed},
      {std::string(64 * 1024 + 1, 'x'), ErrorCode::kTooLarge},
  };
  for (const auto& c : cases) {
    auto form = ParseForm(c.input);
    ASSERT_FALSE(form) << c.input.substr(0, 40);
    EXPECT_EQ(form.error().code, c.code) << c.input.substr(0, 40);
    EXPECT_FALSE(form.error().message.empty());
  }
  std::string many;
  for (int i = 0; i < 101; ++i) many.append("f").append(std::to_string(i)).append("=1&");
  EXPECT_FALSE(ParseForm(many));
  // A value that decodes to exactly the limit passes, even when its encoding is longer.
  std::string at_limit = "a=";
  for (int i = 0; i < 16 * 1024; ++i) at_limit += "%41";
  EXPECT_TRUE(ParseForm(at_limit, {.max_bytes = at_limit.size()}));
}

TEST(FormTest, ErrorMessagesDoNotEchoBinary) {
  auto form = ParseForm("%E5%BC%A0%01=1");
  ASSERT_FALSE(form);
  form = ParseForm("%E5%BC%A0=%FF");
  ASSERT_FALSE(form);
  for (char c : form.error().message) {
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f);
  }
}

}  // namespace
}  // namespace lianxin::open311
