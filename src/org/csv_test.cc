#include "org/csv.h"

#include <gtest/gtest.h>

#include <string>

namespace lianxin::org {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows Fields(const std::vector<CsvRow>& rows) {
  Rows out;
  for (const auto& r : rows) out.push_back(r.fields);
  return out;
}

struct GoodCase {
  const char* label;
  std::string input;
  Rows expected;
};

TEST(CsvTest, ParsesWellFormedInput) {
  const GoodCase cases[] = {
      {"simple LF", "a,b\nc,d\n", {{"a", "b"}, {"c", "d"}}},
      {"CRLF, no final newline", "a,b\r\nc,d", {{"a", "b"}, {"c", "d"}}},
      {"quoted comma and doubled quote", "\"a,1\",\"say \"\"hi\"\"\"\n", {{"a,1", "say \"hi\""}}},
      {"quoted newline", "\"line1\nline2\",x\n", {{"line1\nline2", "x"}}},
      {"empty fields", ",,\n", {{"", "", ""}}},
      {"trailing comma at end", "a,", {{"a", ""}}},
      {"blank lines skipped", "a\n\n\r\nb\n", {{"a"}, {"b"}}},
      {"BOM stripped", "\xEF\xBB\xBFname\n渝中区\n", {{"name"}, {"渝中区"}}},
      {"empty quoted field", "\"\",x\n", {{"", "x"}}},
      {"UTF-8 text", "解放碑,朝天门、望龙门\n", {{"解放碑", "朝天门、望龙门"}}},
  };
  for (const auto& c : cases) {
    auto rows = ParseCsv(c.input);
    ASSERT_TRUE(rows.has_value()) << c.label << ": " << rows.error().fields.at(0).message;
    EXPECT_EQ(Fields(*rows), c.expected) << c.label;
  }
}

TEST(CsvTest, ReportsPhysicalLineNumbers) {
  auto rows = ParseCsv("h\n\"multi\nline\"\nnext\n\nlast\n");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ(rows->at(0).line, 1);
  EXPECT_EQ(rows->at(1).line, 2);
  EXPECT_EQ(rows->at(2).line, 4);
  EXPECT_EQ(rows->at(3).line, 6);
}

struct BadCase {
  const char* label;
  std::string input;
  ErrorCode code;
  std::string field;  // "" to skip
};

TEST(CsvTest, RejectsMalformedAndHostileInput) {
  const CsvLimits small{.max_bytes = 1000, .max_rows = 3, .max_columns = 4, .max_field_bytes = 8};
  const BadCase cases[] = {
      {"unterminated quote", "a\n\"abc\n", ErrorCode::kInvalidArgument, "line 2, column 1"},
      {"quote inside unquoted", "ab\"c\n", ErrorCode::kInvalidArgument, "line 1, column 1"},
      {"text after closing quote", "\"ab\"c,d\n", ErrorCode::kInvalidArgument, "line 1, column 1"},
      {"NUL byte", std::string("a,b\0c\n", 6), ErrorCode::kInvalidArgument, "line 1, column 2"},
      {"invalid UTF-8", "ok\n\xff\xfe,x\n", ErrorCode::kInvalidArgument, "line 2, column 1"},
      {"overlong UTF-8", "\xC0\xAF\n", ErrorCode::kInvalidArgument, "line 1, column 1"},
      {"too many columns", "a,b,c,d,e\n", ErrorCode::kInvalidArgument, "line 1, column 5"},
      {"field too long", "123456789\n", ErrorCode::kInvalidArgument, "line 1, column 1"},
      {"quoted field too long", "\"123456789\"\n", ErrorCode::kInvalidArgument, "line 1, column 1"},
      {"too many rows", "a\nb\nc\nd\n", ErrorCode::kInvalidArgument, "line 4"},
      {"too many bytes", std::string(1001, 'a'), ErrorCode::kTooLarge, ""},
  };
  for (const auto& c : cases) {
    auto rows = ParseCsv(c.input, small);
    ASSERT_FALSE(rows.has_value()) << c.label;
    EXPECT_EQ(rows.error().code, c.code) << c.label;
    if (!c.field.empty()) {
      ASSERT_EQ(rows.error().fields.size(), 1u) << c.label;
      EXPECT_EQ(rows.error().fields[0].field, c.field) << c.label;
    }
  }
}

TEST(CsvTest, EmptyAndBomOnlyGiveNoRows) {
  for (std::string input : {"", "\xEF\xBB\xBF", "\n\n", "\r\n"}) {
    auto rows = ParseCsv(input);
    ASSERT_TRUE(rows);
    EXPECT_TRUE(rows->empty());
  }
}

TEST(CsvTest, TenThousandColumnsStopAtTheLimit) {
  auto rows = ParseCsv(std::string(9999, ','));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().fields.at(0).field, "line 1, column 65");
}

TEST(CsvTest, DefaultLimitsMatchTheImportContract) {
  CsvLimits limits;
  EXPECT_EQ(limits.max_bytes, 5u * 1024 * 1024);
  EXPECT_EQ(limits.max_rows, 20000u);
  EXPECT_EQ(limits.max_columns, 64u);
  EXPECT_EQ(limits.max_field_bytes, 4096u);
  std::string rows;
  for (int i = 0; i < 20001; ++i) rows += "x\n";
  auto parsed = ParseCsv(rows);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().fields.at(0).field, "line 20001");
}

}  // namespace
}  // namespace lianxin::org

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace lianxin::org {
namespace {

// The fuzz target's invariants over a seed corpus of hostile inputs.
TEST(CsvFuzzSeedTest, HostileCorpusHoldsTheInvariants) {
  std::vector<std::string> seeds = {
      "",
      "\xEF\xBB\xBF",
      "\"unterminated",
      "a\"b,c\n",
      std::string("a\0b,\0\n", 6),
      std::string(20000, ','),
      "\xff\xfe\xfd\n",
      "\xED\xA0\x80\n",  // a UTF-16 surrogate
      "\"\"\"\n",
      "\"a\"\"\n",
      "\r\r\r\n\n",
      std::string(5 * 1024 * 1024 + 1, 'x'),
      std::string(5000, 'y') + "\n",
      "\"" + std::string(5000, 'z') + "\"\n",
  };
  std::string many_rows;
  for (int i = 0; i < 20005; ++i) many_rows += "r\n";
  seeds.push_back(many_rows);
  for (const auto& seed : seeds) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(seed.data()), seed.size()),
              0);
  }
}

}  // namespace
}  // namespace lianxin::org
