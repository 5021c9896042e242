// Runs the libFuzzer entry point (fuzz/http_fuzz.cc) over hostile seeds on every test run,
// so the parsers' invariants are checked even where clang's fuzzer is not built.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

TEST(HttpFuzzSeedTest, SurvivesHostileInputs) {
  const std::string seeds[] = {
      "",
      "%",
      "%%",
      "%4",
      "%zz%41+%2B",
      "q=%E5%BC%A0+%E4%B8%89&page=2&page_size=100",
      "page=0&page_size=101",
      "page=9223372036854775807&page_size=100",
      "page=-9223372036854775808",
      "page=1e3&page_size=0x10",
      std::string("q=a\0b&page=1", 12),
      "&&&===&=&q",
      "/api/v1/units//",
      "/api/v1/units/tree",
      "/api/v1/%7Bid%7D/1/children",
      "{}",
      R"({"name":"\u0000\ud800","version":18446744073709551615,"active":"yes"})",
      R"({"a":1,"a":2})",
      "{\"a\":\"\xed\xa0\x80\"}",
      "\xef\xbb\xbf{}",
      "{\"a\":1e99999}",
      "[]",
      "null",
      "{\"a\":[" + std::string(5000, '[') + "]}",
      std::string(100000, '{'),
      std::string(100000, '['),
      "{\"a\":\"" + std::string(100000, '%') + "\"}",
      std::string(4096, '%') + "41",
  };
  for (const std::string& seed : seeds) {
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(seed.data()), seed.size()),
              0);
  }
}

}  // namespace
