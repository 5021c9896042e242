#include "core/crypto.h"

#include <gtest/gtest.h>

namespace lianxin {
namespace {

TEST(CryptoTest, HashesKnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HexRoundTripsAndRejectsGarbage) {
  EXPECT_EQ(*FromHex(ToHex("\x01\xff")), "\x01\xff");
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
}

TEST(CryptoTest, RandomValuesDiffer) {
  EXPECT_EQ(RandomHex(32).size(), 64u);
  EXPECT_NE(RandomHex(16), RandomHex(16));
  for (int i = 0; i < 100; ++i) EXPECT_LT(RandomUniform(7), 7u);
}

TEST(DataProtectorTest, SealsAndOpens) {
  auto protector = DataProtector::Create(std::string(32, 'k'));
  ASSERT_TRUE(protector.has_value());
  std::string sealed = protector->Seal("13812341234");
  EXPECT_EQ(sealed.find("1381234"), std::string::npos);
  EXPECT_NE(protector->Seal("13812341234"), sealed);  // fresh nonce each time
  EXPECT_EQ(*protector->Open(sealed), "13812341234");
  EXPECT_EQ(protector->LookupHash("13812341234"), protector->LookupHash("13812341234"));
  EXPECT_EQ(*protector->Open(""), "");
}

TEST(DataProtectorTest, RejectsTamperingAndOtherKeys) {
  auto a = DataProtector::Create(std::string(32, 'a'));
  auto b = DataProtector::Create(std::string(32, 'b'));
  std::string sealed = a->Seal("张三");
  EXPECT_FALSE(b->Open(sealed).has_value());
  std::string tampered = sealed;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(a->Open(tampered).has_value());
  EXPECT_FALSE(a->Open("short").has_value());
  EXPECT_FALSE(a->Open("!!!not base64!!!").has_value());
  EXPECT_FALSE(DataProtector::Create("too short").has_value());
}

}  // namespace
}  // namespace lianxin
