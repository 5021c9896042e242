#include "channels/wechat/xml.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace lianxin::wechat {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(WechatXml, ParsesAWechatTextMessage) {
  auto doc = ParseXml(
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName>\n"
      "<FromUserName><![CDATA[oUser]]></FromUserName>\n"
      "<CreateTime>1348831860</CreateTime>\n"
      "<MsgType><![CDATA[text]]></MsgType>\n"
      "<Content><![CDATA[你好 <b> & ]]]></Content>\n"
      "<MsgId>1234567890123456</MsgId></xml>");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->Get("ToUserName"), "gh_1");
  EXPECT_EQ(doc->Get("CreateTime"), "1348831860");
  EXPECT_EQ(doc->Get("Content"), "你好 <b> & ]");
  EXPECT_EQ(doc->Get("MsgId"), "1234567890123456");
  EXPECT_EQ(doc->Find("Missing"), nullptr);
  EXPECT_EQ(doc->fields().size(), 6u);
}

TEST(WechatXml, DecodesPredefinedAndNumericReferences) {
  auto doc = ParseXml(
      "<?xml version=\"1.0\"?><xml><A>a &lt; b &amp;&gt;&apos;&quot; "
      "&#20320;&#x597D;</A><B/><C></C><D>  <![CDATA[x]]>\n</D></xml>");
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->Get("A"), "a < b &>'\" 你好");
  EXPECT_EQ(doc->Get("B"), "");
  EXPECT_TRUE(doc->Has("C"));
  EXPECT_EQ(doc->Get("D"), "x");
}

struct HostileCase {
  const char* name;
  std::string input;
  ErrorCode code = ErrorCode::kMalformed;
};

TEST(WechatXml, RejectsHostileInputs) {
  std::vector<HostileCase> cases = {
      {"billion laughs",
       "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
       "\"&lol;&lol;&lol;\">]><xml><A>&lol2;</A></xml>"},
      {"external entity",
       "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><A>&xxe;</A></xml>"},
      {"undeclared entity", "<xml><A>&xxe;</A></xml>"},
      {"doctype only", "<!DOCTYPE xml><xml><A>1</A></xml>"},
      {"processing instruction", "<?xml version=\"1.0\"?><?php x ?><xml><A>1</A></xml>"},
      {"pi inside", "<xml><A><?x y?></A></xml>"},
      {"declaration not first", " <xml><A>1</A></xml><?xml version=\"1.0\"?>"},
      {"nested", "<xml><A><B>1</B></A></xml>"},
      {"attribute", "<xml><A id=\"1\">1</A></xml>"},
      {"root attribute", "<xml x='1'><A>1</A></xml>"},
      {"wrong root", "<msg><A>1</A></msg>"},
      {"empty root", "<xml/>"},
      {"two roots", "<xml><A>1</A></xml><xml/>"},
      {"trailing text", "<xml><A>1</A></xml>x"},
      {"text in root", "<xml>x<A>1</A></xml>"},
      {"duplicate child", "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>"},
      {"mismatched end", "<xml><A>1</B></xml>"},
      {"nested cdata", "<xml><A><![CDATA[a<![CDATA[b]]>c]]></A></xml>"},
      {"two cdata", "<xml><A><![CDATA[a]]><![CDATA[b]]></A></xml>"},
      {"text and cdata", "<xml><A>a<![CDATA[b]]></A></xml>"},
      {"cdata end in text", "<xml><A>a]]>b</A></xml>"},
      {"comment", "<xml><!-- c --><A>1</A></xml>"},
      {"lt in text", "<xml><A>a<b</A></xml>"},
      {"nul reference", "<xml><A>&#0;</A></xml>"},
      {"control reference", "<xml><A>&#x1;</A></xml>"},
      {"surrogate reference", "<xml><A>&#xD800;</A></xml>"},
      {"too big reference", "<xml><A>&#x110000;</A></xml>"},
      {"unterminated reference", "<xml><A>&amp</A></xml>"},
      {"invalid utf-8", "<xml><A>\xff</A></xml>"},
      {"overlong utf-8", "<xml><A>\xc0\xaf</A></xml>"},
      {"raw control char", std::string("<xml><A>a\x01", 10) + "</A></xml>"},
      {"raw nul", std::string("<xml><A>a\0b</A></xml>", 20)},
      {"empty", ""},
      {"not xml", "hello"},
      {"truncated tag", "<xml><A>1</A"},
      {"truncated cdata", "<xml><A><![CDATA[abc"},
      {"truncated root", "<xml><A>1</A>"},
      {"truncated start", "<"},
      {"truncated declaration", "<?xml version=\"1.0\""},
      {"long name", "<xml><" + std::string(65, 'a') + ">1</" + std::string(65, 'a') + "></xml>"},
  };
  for (const auto& c : cases) {
    auto doc = ParseXml(c.input);
    ASSERT_FALSE(doc) << c.name;
    EXPECT_EQ(doc.error().code, c.code) << c.name << ": " << doc.error().message;
  }
}

TEST(WechatXml, EnforcesSizeAndElementLimits) {
  std::string huge = "<xml><A><![CDATA[" + std::string(70 * 1024, 'a') + "]]></A></xml>";
  auto doc = ParseXml(huge);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, ErrorCode::kTooLarge);

  XmlLimits small{.max_bytes = 100, .max_elements = 64};
  EXPECT_FALSE(ParseXml("<xml><A>" + std::string(100, 'a') + "</A></xml>", small));

  std::string many = "<xml>";
  for (int i = 0; i < 63; ++i) many += "<E" + std::to_string(i) + ">1</E" + std::to_string(i) + ">";
  EXPECT_TRUE(ParseXml(many + "</xml>"));  // 64 elements with the root
  auto over = ParseXml(many + "<X>1</X></xml>");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
}

TEST(WechatXml, WriterSplitsCdataTerminators) {
  EXPECT_EQ(CData("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
  EXPECT_EQ(CData("]]>]]>"), "<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>");
  EXPECT_EQ(CData(std::string("a\x01", 2)), "<![CDATA[a ]]>");
  std::string xml = XmlWriter().Text("Content", "你好 <x> & y").Number("CreateTime", 42).Finish();
  EXPECT_EQ(xml,
            "<xml><Content><![CDATA[你好 <x> & y]]></Content><CreateTime>42</CreateTime></xml>");
  auto doc = ParseXml(xml);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->Get("Content"), "你好 <x> & y");
  // The split form is what XML readers join back: "a]]" + ">b".
  EXPECT_EQ(XmlWriter().Text("C", "a]]>b").Finish(),
            "<xml><C><![CDATA[a]]]]><![CDATA[>b]]></C></xml>");
}

// The fuzz entry over the seed corpus: hostile seeds ("bad_*") are refused, good ones
// ("ok_*") accepted, and the entry's own invariants (it aborts otherwise) hold for all.
TEST(WechatXml, FuzzEntryOverSeedCorpus) {
  std::filesystem::path dir = std::filesystem::path(LIANXIN_WECHAT_TESTDATA) / "xml_corpus";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string data = ReadFile(entry.path());
    std::string name = entry.path().filename().string();
    auto doc = ParseXml(data);
    if (name.starts_with("bad_")) {
      EXPECT_FALSE(doc) << name;
    } else {
      EXPECT_TRUE(doc) << name << ": " << (doc ? "" : doc.error().message);
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    ++seen;
  }
  EXPECT_GE(seen, 30);
}

}  // namespace
}  // namespace lianxin::wechat
