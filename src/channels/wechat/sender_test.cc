#include "channels/wechat/sender.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channels/wechat/wechat_test_support.h"

namespace lianxin::wechat {
namespace {

TEST(WechatSender, CustomerServiceTextPayload) {
  auto payload = nlohmann::json::parse(
      CustomerServiceTextPayload("oUser1", "您的咨询 YJ20260101000001 已答复：\"请到派出所\""));
  EXPECT_EQ(payload,
            (nlohmann::json{
                {"touser", "oUser1"},
                {"msgtype", "text"},
                {"text", {{"content", "您的咨询 YJ20260101000001 已答复：\"请到派出所\""}}}}));
  // Cut at 2048 bytes on a character boundary (3-byte characters: 682 fit).
  auto long_payload =
      nlohmann::json::parse(CustomerServiceTextPayload("o", std::string(3000, 'a') + "x"));
  EXPECT_EQ(long_payload["text"]["content"].get<std::string>().size(), 2048u);
  std::string chinese;
  for (int i = 0; i < 1000; ++i) chinese += "答";
  auto cut = nlohmann::json::parse(CustomerServiceTextPayload("o", chinese));
  EXPECT_EQ(cut["text"]["content"].get<std::string>().size(), 682u * 3);
  // Invalid UTF-8 never breaks the JSON.
  EXPECT_TRUE(nlohmann::json::accept(CustomerServiceTextPayload("o", "a\xff")));
}

TEST(WechatSender, PayloadSenderHandsTheAppIdAndPayloadToDelivery) {
  testing::WechatFixture f;
  ASSERT_TRUE(f.Start());
  NewWechatAccount input;
  input.channel_account_id = 10;
  input.name = "平安合川";
  input.app_id = "wx1234567890abcdef";
  input.token = "Token123";
  auto account = f.service->CreateAccount(f.admin, input);
  ASSERT_TRUE(account);
  std::vector<std::pair<std::string, std::string>> delivered;
  PayloadWechatSender sender(*f.service, [&](const std::string& app_id, std::string payload) {
    delivered.emplace_back(app_id, std::move(payload));
    return Status{};
  });
  ASSERT_TRUE(sender.SendText(account->id, "oUser1", "已答复"));
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].first, "wx1234567890abcdef");
  EXPECT_EQ(nlohmann::json::parse(delivered[0].second)["touser"], "oUser1");
  EXPECT_FALSE(sender.SendText(account->id, "", "x"));
  EXPECT_FALSE(sender.SendText(account->id, "o", " "));
  auto missing = sender.SendText(999, "o", "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace lianxin::wechat
