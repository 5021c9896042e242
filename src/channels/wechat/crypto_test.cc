#include "channels/wechat/crypto.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "channels/wechat/xml.h"

namespace lianxin::wechat {
namespace {

// The classic WXBizMsgCrypt sample from WeChat's documentation.
constexpr std::string_view kToken = "QDG6eK";
constexpr std::string_view kAppId = "wx5823bf96d3bd56c7";
constexpr std::string_view kAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr std::string_view kVerifyMsgSig = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
constexpr std::string_view kVerifyTimestamp = "1409659589";
constexpr std::string_view kVerifyNonce = "263014780";
constexpr std::string_view kVerifyEchoStr =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
constexpr std::string_view kReqMsgSig = "477715d11cdb4164915debcba66cb864d751f3e6";
constexpr std::string_view kReqTimestamp = "1409659813";
constexpr std::string_view kReqNonce = "1372623149";
constexpr std::string_view kReqEncrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUp"
    "j911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue"
    "06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+"
    "3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH"
    "27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8"
    "R07+qN+E7Q==";

nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(WechatCrypto, Sha1AndUrlSignature) {
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  // Sorted as byte strings: "1409659589" < "263014780" < "QDG6eK".
  EXPECT_EQ(UrlSignature(kToken, kVerifyTimestamp, kVerifyNonce),
            Sha1Hex(std::string(kVerifyTimestamp) + std::string(kVerifyNonce) + "QDG6eK"));
  EXPECT_TRUE(SignatureMatches("A9993E364706816ABA3E25717850C26C9CD0D89D", Sha1Hex("abc")));
  EXPECT_FALSE(SignatureMatches("", Sha1Hex("abc")));
  EXPECT_FALSE(SignatureMatches("a9993e364706816aba3e25717850c26c9cd0d89e", Sha1Hex("abc")));
}

TEST(WechatCrypto, OfficialSampleVerifyUrl) {
  EXPECT_EQ(MsgSignature(kToken, kVerifyTimestamp, kVerifyNonce, kVerifyEchoStr), kVerifyMsgSig);
  auto crypto = MessageCrypto::Create(kAesKey, kAppId);
  ASSERT_TRUE(crypto);
  auto echo = crypto->Decrypt(kVerifyEchoStr);
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ(*echo, "1616140317555161061");
}

TEST(WechatCrypto, OfficialSampleDecryptMsg) {
  EXPECT_EQ(MsgSignature(kToken, kReqTimestamp, kReqNonce, kReqEncrypt), kReqMsgSig);
  auto crypto = MessageCrypto::Create(kAesKey, kAppId);
  ASSERT_TRUE(crypto);
  auto plain = crypto->Decrypt(kReqEncrypt);
  ASSERT_TRUE(plain) << plain.error().message;
  auto doc = ParseXml(*plain);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->Get("ToUserName"), "wx5823bf96d3bd56c7");
  EXPECT_EQ(doc->Get("FromUserName"), "mycreate");
  EXPECT_EQ(doc->Get("CreateTime"), "1409659813");
  EXPECT_EQ(doc->Get("MsgType"), "text");
  EXPECT_EQ(doc->Get("Content"), "hello");
  EXPECT_EQ(doc->Get("MsgId"), "4561255354251345929");
  EXPECT_EQ(doc->Get("AgentID"), "218");
}

// The official Java sample's known answer: fixed random "aaaabbbbccccdddd".
TEST(WechatCrypto, OfficialSampleEncryptKnownAnswer) {
  auto crypto =
      MessageCrypto::Create("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
  ASSERT_TRUE(crypto);
  EXPECT_EQ(crypto->EncryptWithRandom("我是中文abcd123", "aaaabbbbccccdddd"),
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVO"
            "fg==");
}

TEST(WechatCrypto, RoundTripAndRejections) {
  auto crypto = MessageCrypto::Create(kAesKey, kAppId);
  ASSERT_TRUE(crypto);
  for (std::string message : {std::string(), std::string("x"), std::string(26, 'a'),
                              std::string("您好，请问"), std::string(5000, 'z')}) {
    std::string encrypt = crypto->Encrypt(message);
    auto cipher = Base64Decode(encrypt);
    ASSERT_TRUE(cipher);
    EXPECT_EQ(cipher->size() % 32, 0u);
    auto plain = crypto->Decrypt(encrypt);
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(*plain, message);
  }
  EXPECT_NE(crypto->Encrypt("same"), crypto->Encrypt("same"));  // fresh random prefix

  auto other = MessageCrypto::Create(kAesKey, "wx0000000000000000");
  ASSERT_TRUE(other);
  auto wrong = crypto->Decrypt(other->Encrypt("hello"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kPermissionDenied);

  std::string good = crypto->Encrypt("hello");
  // CBC has no integrity (msg_signature provides it), but a flipped byte in the block before
  // the all-padding last block breaks the padding check. "hello": 16 + 4 + 5 + 18 = 43 bytes,
  // padded to 64, so bytes 48..63 are padding and byte 40 of the ciphertext feeds byte 56.
  std::string raw = *Base64Decode(good);
  ASSERT_EQ(raw.size(), 64u);
  raw[40] = static_cast<char>(raw[40] ^ 0x01);
  EXPECT_FALSE(crypto->Decrypt(Base64Encode(raw)));
  // A flipped byte in the message block changes the message: decrypt never returns the
  // original for a tampered ciphertext.
  std::string raw2 = *Base64Decode(good);
  raw2[7] = static_cast<char>(raw2[7] ^ 0x01);
  auto changed = crypto->Decrypt(Base64Encode(raw2));
  EXPECT_TRUE(!changed || *changed != "hello");
  EXPECT_FALSE(crypto->Decrypt("not base64!"));
  EXPECT_FALSE(crypto->Decrypt(""));
  EXPECT_FALSE(crypto->Decrypt(Base64Encode(std::string(15, 'a'))));
  EXPECT_FALSE(crypto->Decrypt(good.substr(0, good.size() - 24)));

  EXPECT_FALSE(MessageCrypto::Create("short", kAppId));
  EXPECT_FALSE(MessageCrypto::Create(std::string(43, '!'), kAppId));
  EXPECT_FALSE(MessageCrypto::Create(kAesKey, ""));
}

TEST(WechatCrypto, Base64IsStrict) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(*Base64Decode("Zm9vYg=="), "foob");
  EXPECT_FALSE(Base64Decode("Zm9"));
  EXPECT_FALSE(Base64Decode("Zm=v"));
  EXPECT_FALSE(Base64Decode("Z==="));
  EXPECT_FALSE(Base64Decode("Zm9v\n"));
  EXPECT_FALSE(Base64Decode("Zm-_"));
}

// wechat-crypto (npm) played the WeChat server: every vector it encrypted decrypts here,
// with the msg_signature it computed.
TEST(WechatCrypto, WechatCryptoVectorsDecrypt) {
  auto file =
      ReadJson(std::filesystem::path(LIANXIN_WECHAT_TESTDATA) / "wechat_crypto_vectors.json");
  std::string token = file["token"];
  auto crypto = MessageCrypto::Create(file["encoding_aes_key"].get<std::string>(),
                                      file["app_id"].get<std::string>());
  ASSERT_TRUE(crypto);
  ASSERT_GE(file["vectors"].size(), 5u);
  for (const auto& v : file["vectors"]) {
    std::string name = v["name"];
    EXPECT_EQ(MsgSignature(token, v["timestamp"].get<std::string>(), v["nonce"].get<std::string>(),
                           v["encrypt"].get<std::string>()),
              v["msg_signature"].get<std::string>())
        << name;
    EXPECT_EQ(UrlSignature(token, v["timestamp"].get<std::string>(), v["nonce"].get<std::string>()),
              v["signature"].get<std::string>())
        << name;
    auto plain = crypto->Decrypt(v["encrypt"].get<std::string>());
    ASSERT_TRUE(plain) << name << ": " << plain.error().message;
    EXPECT_EQ(*plain, v["message"].get<std::string>()) << name;
  }
  auto wrong = crypto->Decrypt(file["wrong_app_id"]["encrypt"].get<std::string>());
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kPermissionDenied);
}

// Our encryptions for wechat-crypto to decrypt (tests/wechat/wechat-crypto-vectors.mjs verify):
// written on every run to the build tree; the committed copy must still decrypt here.
TEST(WechatCrypto, WritesVectorsForWechatCrypto) {
  auto source =
      ReadJson(std::filesystem::path(LIANXIN_WECHAT_TESTDATA) / "wechat_crypto_vectors.json");
  std::string token = source["token"];
  auto crypto = MessageCrypto::Create(source["encoding_aes_key"].get<std::string>(),
                                      source["app_id"].get<std::string>());
  ASSERT_TRUE(crypto);
  nlohmann::json out = {{"generator", "wechat_test (lianxin MessageCrypto)"},
                        {"token", token},
                        {"encoding_aes_key", source["encoding_aes_key"]},
                        {"app_id", source["app_id"]},
                        {"vectors", nlohmann::json::array()}};
  int i = 0;
  for (const auto& v : source["vectors"]) {
    std::string timestamp = std::to_string(1767229200 + i);
    std::string nonce = std::to_string(500000 + i++);
    std::string message = "回复：" + v["message"].get<std::string>();
    std::string encrypt = crypto->Encrypt(message);
    out["vectors"].push_back({{"name", v["name"]},
                              {"message", message},
                              {"timestamp", timestamp},
                              {"nonce", nonce},
                              {"encrypt", encrypt},
                              {"msg_signature", MsgSignature(token, timestamp, nonce, encrypt)}});
  }
  std::ofstream(LIANXIN_WECHAT_VECTORS_OUT) << out.dump(2) << "\n";

  auto committed =
      ReadJson(std::filesystem::path(LIANXIN_WECHAT_TESTDATA) / "lianxin_encrypted_vectors.json");
  ASSERT_GE(committed["vectors"].size(), 5u);
  for (const auto& v : committed["vectors"]) {
    auto plain = crypto->Decrypt(v["encrypt"].get<std::string>());
    ASSERT_TRUE(plain);
    EXPECT_EQ(*plain, v["message"].get<std::string>());
  }
}

}  // namespace
}  // namespace lianxin::wechat
