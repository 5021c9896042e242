// The callback through the Router: verification, plain/compatible/safe round trips, retries,
// hostile bodies, FAQ rules, welcome, threading, replay window, wrong AppID.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channels/wechat/crypto.h"
#include "channels/wechat/wechat_test_support.h"
#include "channels/wechat/xml.h"

namespace lianxin::wechat {
namespace {

using http::Method;
using testing::WechatFixture;

constexpr std::string_view kToken = "LianxinTest2026";
constexpr std::string_view kAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr std::string_view kAppId = "wx1234567890abcdef";
constexpr std::string_view kOpenId = "oUser000000000000000000000001";

std::string TextMessage(std::string_view content, std::string_view msg_id,
                        std::string_view open_id = kOpenId, int64_t create_time = 1767225600) {
  return XmlWriter()
      .Text("ToUserName", "gh_lianxin")
      .Text("FromUserName", open_id)
      .Number("CreateTime", create_time)
      .Text("MsgType", "text")
      .Text("Content", content)
      .Text("MsgId", msg_id)
      .Finish();
}

std::string EventMessage(std::string_view event, std::string_view key = {},
                         int64_t create_time = 1767225600, std::string_view open_id = kOpenId) {
  XmlWriter w;
  w.Text("ToUserName", "gh_lianxin")
      .Text("FromUserName", open_id)
      .Number("CreateTime", create_time)
      .Text("MsgType", "event")
      .Text("Event", event);
  if (!key.empty()) w.Text("EventKey", key);
  return w.Finish();
}

class WechatHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(f.Start()); }

  WechatAccountId CreateAccount(Mode mode, std::string welcome = "欢迎关注平安合川！",
                                int64_t channel_account_id = 10, std::string_view app_id = kAppId,
                                std::string_view token = kToken,
                                std::string_view aes_key = kAesKey) {
    NewWechatAccount input;
    input.channel_account_id = channel_account_id;
    input.name = "平安合川";
    input.app_id = std::string(app_id);
    input.token = std::string(token);
    input.aes_key = std::string(aes_key);
    input.mode = mode;
    input.welcome_text = std::move(welcome);
    auto account = f.service->CreateAccount(f.admin, input);
    EXPECT_TRUE(account) << (account ? "" : account.error().message);
    return account ? account->id : 0;
  }

  std::string Path(WechatAccountId id) { return "/channels/wechat/" + std::to_string(id); }
  std::string Now() { return std::to_string(f.clock.NowMillis() / 1000); }

  // A plain-mode POST with a valid signature.
  http::Response PostPlain(WechatAccountId id, std::string body, std::string nonce = "12345") {
    std::string ts = Now();
    return f.Call(Method::kPost, Path(id),
                  "signature=" + UrlSignature(kToken, ts, nonce) + "&timestamp=" + ts +
                      "&nonce=" + nonce + "&openid=" + std::string(kOpenId),
                  std::move(body));
  }

  // A safe-mode POST: `inner` encrypted as WeChat would, with both signatures.
  http::Response PostAes(WechatAccountId id, std::string_view inner, std::string nonce = "67890",
                         std::string_view app_id = kAppId) {
    auto crypto = MessageCrypto::Create(kAesKey, app_id);
    std::string encrypt = crypto->Encrypt(inner);
    std::string ts = Now();
    std::string body =
        XmlWriter().Text("ToUserName", "gh_lianxin").Text("Encrypt", encrypt).Finish();
    return f.Call(Method::kPost, Path(id),
                  "signature=" + UrlSignature(kToken, ts, nonce) + "&timestamp=" + ts +
                      "&nonce=" + nonce +
                      "&encrypt_type=aes&msg_signature=" + MsgSignature(kToken, ts, nonce, encrypt),
                  body);
  }

  // The Content of a plain passive reply.
  static std::string ReplyContent(const http::Response& response) {
    auto doc = ParseXml(response.body);
    if (!doc) return "<not xml: " + response.body + ">";
    return doc->Get("Content");
  }

  // Checks the encrypted envelope's signature and returns the decrypted reply's Content.
  static std::string DecryptReply(const http::Response& response, std::string_view token = kToken,
                                  std::string_view aes_key = kAesKey,
                                  std::string_view app_id = kAppId) {
    auto doc = ParseXml(response.body);
    if (!doc) return "<not xml: " + response.body + ">";
    std::string encrypt = doc->Get("Encrypt");
    if (MsgSignature(token, doc->Get("TimeStamp"), doc->Get("Nonce"), encrypt) !=
        doc->Get("MsgSignature")) {
      return "<bad reply signature>";
    }
    auto plain = MessageCrypto::Create(aes_key, app_id)->Decrypt(encrypt);
    if (!plain) return "<undecryptable>";
    return ReplyContent(http::Response{.body = *plain});
  }

  WechatFixture f;
};

TEST_F(WechatHandlerTest, UrlVerification) {
  auto id = CreateAccount(Mode::kPlain, "", 10, kAppId, kToken, "");
  std::string ts = Now();
  std::string sig = UrlSignature(kToken, ts, "555");
  auto ok = f.Call(Method::kGet, Path(id),
                   "signature=" + sig + "&timestamp=" + ts + "&nonce=555&echostr=hello123", "", "");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "hello123");

  auto bad = f.Call(Method::kGet, Path(id),
                    "signature=" + UrlSignature("other", ts, "555") + "&timestamp=" + ts +
                        "&nonce=555&echostr=hello123",
                    "", "");
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(
      f.Call(Method::kGet, Path(id), "timestamp=" + ts + "&nonce=555&echostr=x", "", "").status,
      403);
  EXPECT_EQ(f.Call(Method::kGet, Path(id) + "9",
                   "signature=" + sig + "&timestamp=" + ts + "&nonce=555&echostr=x", "", "")
                .status,
            404);
  EXPECT_EQ(f.Call(Method::kGet, "/channels/wechat/abc", "", "", "").status, 404);

  // Six minutes later the same signed request is a replay.
  f.clock.Advance(std::chrono::minutes(6));
  auto replay =
      f.Call(Method::kGet, Path(id),
             "signature=" + sig + "&timestamp=" + ts + "&nonce=555&echostr=hello123", "", "");
  EXPECT_EQ(replay.status, 403);
}

// The official WXBizMsgCrypt sample through the router: VerifyURL with an encrypted echostr
// and DecryptMsg, with the sample's own timestamps on the clock.
TEST_F(WechatHandlerTest, OfficialSampleThroughTheRouter) {
  auto id = CreateAccount(Mode::kSafe, "", 10, "wx5823bf96d3bd56c7", "QDG6eK",
                          "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
  f.clock.SetMillis(1409659589'000);
  auto verify = f.Call(
      Method::kGet, Path(id),
      "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780"
      "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%"
      "2BFZXvnaqQ%3D%3D",
      "", "");
  EXPECT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(verify.body, "1616140317555161061");

  f.clock.SetMillis(1409659813'000);
  std::string body =
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA["
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUp"
      "j911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue"
      "06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+"
      "3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH"
      "27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8"
      "R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
  auto response = f.Call(Method::kPost, Path(id),
                         "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6"
                         "&timestamp=1409659813&nonce=1372623149&encrypt_type=aes",
                         body);
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(f.intake->appeals().size(), 1u);
  EXPECT_EQ(f.intake->appeals()[0].submission.text, "hello");
  EXPECT_EQ(f.intake->appeals()[0].submission.channel_ref, "mycreate");
  std::string content = DecryptReply(
      response, "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");
  EXPECT_EQ(content, "您的咨询已收到，编号 YJ20260101100001，查询码 ABC23A。我们会尽快答复。");
}

// wechat-crypto (npm) encrypted this message as the WeChat server would; it goes through.
TEST_F(WechatHandlerTest, WechatCryptoVectorThroughTheRouter) {
  auto file = nlohmann::json::parse(testing::ReadText(
      std::filesystem::path(LIANXIN_WECHAT_TESTDATA) / "wechat_crypto_vectors.json"));
  auto id =
      CreateAccount(Mode::kSafe, "", 10, file["app_id"].get<std::string>(),
                    file["token"].get<std::string>(), file["encoding_aes_key"].get<std::string>());
  for (const auto& v : file["vectors"]) {
    if (v["name"] != "text_message_xml") continue;
    f.clock.SetMillis(std::stoll(v["timestamp"].get<std::string>()) * 1000);
    std::string body = XmlWriter()
                           .Text("ToUserName", "gh_lianxin")
                           .Text("Encrypt", v["encrypt"].get<std::string>())
                           .Finish();
    auto response =
        f.Call(Method::kPost, Path(id),
               "signature=" + v["signature"].get<std::string>() + "&timestamp=" +
                   v["timestamp"].get<std::string>() + "&nonce=" + v["nonce"].get<std::string>() +
                   "&encrypt_type=aes&msg_signature=" + v["msg_signature"].get<std::string>(),
               body);
    ASSERT_EQ(response.status, 200) << response.body;
    ASSERT_EQ(f.intake->appeals().size(), 1u);
    EXPECT_EQ(f.intake->appeals()[0].submission.text, "请问户口迁移怎么办理？");
    EXPECT_NE(DecryptReply(response).find("编号 YJ"), std::string::npos);
  }
  EXPECT_EQ(f.intake->appeals().size(), 1u);
}

TEST_F(WechatHandlerTest, PlainTextBecomesAConsultationAndRetriesGetTheSameReply) {
  auto id = CreateAccount(Mode::kPlain);
  auto first = PostPlain(id, TextMessage("请问居住证怎么办理？", "1001"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("content-type"), "text/xml; charset=utf-8");
  EXPECT_EQ(ReplyContent(first),
            "您的咨询已收到，编号 YJ20260101100001，查询码 ABC23A。我们会尽快答复。");
  auto reply = ParseXml(first.body);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->Get("ToUserName"), kOpenId);
  EXPECT_EQ(reply->Get("FromUserName"), "gh_lianxin");
  EXPECT_EQ(reply->Get("MsgType"), "text");

  ASSERT_EQ(f.intake->appeals().size(), 1u);
  const auto& s = f.intake->appeals()[0].submission;
  EXPECT_EQ(s.kind, appeals::AppealKind::kConsultation);
  EXPECT_EQ(s.channel, appeals::Channel::kWechat);
  EXPECT_EQ(s.channel_ref, kOpenId);
  EXPECT_EQ(s.category, "other");
  EXPECT_EQ(s.text, "请问居住证怎么办理？");

  // WeChat's two retries (5 s apart) get the same reply; nothing new is created.
  for (int i = 0; i < 2; ++i) {
    f.clock.Advance(std::chrono::seconds(5));
    auto retry =
        PostPlain(id, TextMessage("请问居住证怎么办理？", "1001"), "999" + std::to_string(i));
    EXPECT_EQ(retry.status, 200);
    EXPECT_EQ(ReplyContent(retry), ReplyContent(first));
  }
  EXPECT_EQ(f.intake->submit_calls, 1);
  EXPECT_EQ(f.CountRows("wechat_messages"), 1);

  // The log keeps a hash, never the OpenID or the text in plain form.
  auto row = f.database->db().Read<std::optional<storage::Row>>([](storage::Session& s) {
    return s.QueryOne(
        "SELECT from_user_hash, msg_type, reply_kind, reply_sealed, reply_summary, appeal_id "
        "FROM wechat_messages");
  });
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((**row).Text(0), testing::TestProtector().LookupHash(kOpenId));
  EXPECT_EQ((**row).Text(1), "text");
  EXPECT_EQ((**row).Text(2), "appeal");
  EXPECT_EQ((**row).Text(3).find("ABC23A"), std::string::npos);
  EXPECT_EQ((**row).Text(4), "appeal:YJ20260101100001");
  EXPECT_EQ((**row).Int(5), 1000);
}

TEST_F(WechatHandlerTest, ThreadsByOpenIdWithinSevenDays) {
  auto id = CreateAccount(Mode::kPlain);
  ASSERT_EQ(PostPlain(id, TextMessage("第一条", "1")).status, 200);
  f.clock.Advance(std::chrono::hours(24));
  auto second = PostPlain(
      id, TextMessage("补充：地址在合阳城街道", "2", kOpenId, f.clock.NowMillis() / 1000));
  EXPECT_EQ(ReplyContent(second),
            "您的补充信息已收到，已记入咨询 YJ20260101100001。我们会尽快答复。");
  ASSERT_EQ(f.intake->appeals().size(), 1u);
  EXPECT_EQ(f.intake->appeals()[0].messages, std::vector<std::string>{"补充：地址在合阳城街道"});

  // Another citizen starts their own appeal.
  PostPlain(id, TextMessage("另一个问题", "3", "oUser000000000000000000000002"));
  EXPECT_EQ(f.intake->appeals().size(), 2u);

  // Eight days later the first citizen's message starts a new appeal.
  f.clock.Advance(std::chrono::hours(24 * 8));
  auto later = PostPlain(id, TextMessage("新问题", "4"));
  EXPECT_NE(ReplyContent(later).find("编号 YJ20260101100003"), std::string::npos);
  EXPECT_EQ(f.intake->appeals().size(), 3u);
}

TEST_F(WechatHandlerTest, FaqRulesWinByPriorityThenId) {
  auto id = CreateAccount(Mode::kPlain);
  auto low =
      f.service->CreateRule(f.admin, id, {{"户口"}, Match::kContains, "户口请到派出所办理。", 0});
  auto high = f.service->CreateRule(f.admin, id,
                                    {{"户口迁移", "迁户口"}, Match::kContains, "迁移说明：…", 10});
  auto tie = f.service->CreateRule(f.admin, id, {{"迁移"}, Match::kContains, "不会用到", 10});
  auto exact = f.service->CreateRule(f.admin, id, {{"Hi"}, Match::kExact, "您好！", 0});
  auto off = f.service->CreateRule(f.admin, id, {{"户口"}, Match::kContains, "停用", 100, false});
  ASSERT_TRUE(low && high && tie && exact && off);

  EXPECT_EQ(ReplyContent(PostPlain(id, TextMessage("我想问户口迁移的事", "1"))), "迁移说明：…");
  EXPECT_EQ(ReplyContent(PostPlain(id, TextMessage("户口本丢了", "2"))), "户口请到派出所办理。");
  EXPECT_EQ(ReplyContent(PostPlain(id, TextMessage("  hi ", "3"))), "您好！");
  // "hi there" is not an exact match: it becomes a consultation.
  EXPECT_NE(ReplyContent(PostPlain(id, TextMessage("hi there", "4"))).find("编号"),
            std::string::npos);
  EXPECT_EQ(f.intake->appeals().size(), 1u);

  // A menu click answers with the exact rule for its key.
  EXPECT_EQ(ReplyContent(PostPlain(id, EventMessage("CLICK", "hi"))), "您好！");
}

TEST_F(WechatHandlerTest, SubscribeWelcomeAndEventRetries) {
  auto id = CreateAccount(Mode::kPlain, "欢迎关注平安合川！回复“户口”了解办事指南。");
  auto welcome = PostPlain(id, EventMessage("subscribe"));
  EXPECT_EQ(ReplyContent(welcome), "欢迎关注平安合川！回复“户口”了解办事指南。");
  // A retry of the event (same FromUserName and CreateTime) gets the stored reply.
  auto retry = PostPlain(id, EventMessage("subscribe"), "777");
  EXPECT_EQ(ReplyContent(retry), ReplyContent(welcome));
  EXPECT_EQ(f.CountRows("wechat_messages"), 1);

  auto unsubscribe = PostPlain(id, EventMessage("unsubscribe", "", 1767225601));
  EXPECT_EQ(unsubscribe.status, 200);
  EXPECT_EQ(unsubscribe.body, "success");
  auto scan = PostPlain(id, EventMessage("SCAN", "123", 1767225602));
  EXPECT_EQ(scan.body, "success");
  EXPECT_EQ(f.intake->submit_calls, 0);
  EXPECT_EQ(f.CountRows("wechat_messages"), 3);
}

TEST_F(WechatHandlerTest, ImageVoiceLocationAndLink) {
  auto id = CreateAccount(Mode::kPlain);
  auto voice = XmlWriter()
                   .Text("ToUserName", "gh_lianxin")
                   .Text("FromUserName", "oVoice")
                   .Number("CreateTime", 1767225600)
                   .Text("MsgType", "voice")
                   .Text("MediaId", "media1")
                   .Text("Format", "amr")
                   .Text("Recognition", "我的电动车被偷了")
                   .Text("MsgId", "11")
                   .Finish();
  EXPECT_NE(ReplyContent(PostPlain(id, voice)).find("编号"), std::string::npos);
  auto image = XmlWriter()
                   .Text("ToUserName", "gh_lianxin")
                   .Text("FromUserName", "oImage")
                   .Number("CreateTime", 1767225600)
                   .Text("MsgType", "image")
                   .Text("PicUrl", "http://mmbiz.example/pic.jpg")
                   .Text("MediaId", "media2")
                   .Text("MsgId", "12")
                   .Finish();
  EXPECT_NE(ReplyContent(PostPlain(id, image)).find("编号"), std::string::npos);
  auto location = XmlWriter()
                      .Text("ToUserName", "gh_lianxin")
                      .Text("FromUserName", "oPlace")
                      .Number("CreateTime", 1767225600)
                      .Text("MsgType", "location")
                      .Text("Location_X", "29.990")
                      .Text("Location_Y", "106.265")
                      .Number("Scale", 15)
                      .Text("Label", "重庆市合川区合阳城街道")
                      .Text("MsgId", "13")
                      .Finish();
  EXPECT_NE(ReplyContent(PostPlain(id, location)).find("编号"), std::string::npos);
  ASSERT_EQ(f.intake->appeals().size(), 3u);
  EXPECT_EQ(f.intake->appeals()[0].submission.text, "我的电动车被偷了");
  EXPECT_EQ(f.intake->appeals()[1].submission.text, "[图片] http://mmbiz.example/pic.jpg");
  const auto& loc = f.intake->appeals()[2].submission.location;
  ASSERT_TRUE(loc.latitude && loc.longitude);
  EXPECT_DOUBLE_EQ(*loc.latitude, 29.990);
  EXPECT_DOUBLE_EQ(*loc.longitude, 106.265);
  EXPECT_EQ(loc.address, "重庆市合川区合阳城街道");

  // A link joins the citizen's open appeal, or is only logged.
  auto link = [](std::string_view open_id, std::string_view msg_id) {
    return XmlWriter()
        .Text("ToUserName", "gh_lianxin")
        .Text("FromUserName", open_id)
        .Number("CreateTime", 1767225600)
        .Text("MsgType", "link")
        .Text("Title", "标题")
        .Text("Description", "描述")
        .Text("Url", "https://example.invalid/a")
        .Text("MsgId", msg_id)
        .Finish();
  };
  EXPECT_NE(ReplyContent(PostPlain(id, link("oPlace", "14"))).find("已记入咨询"),
            std::string::npos);
  EXPECT_EQ(f.intake->appeals()[2].messages.size(), 1u);
  EXPECT_EQ(PostPlain(id, link("oNobody", "15")).body, "success");
  EXPECT_EQ(f.intake->appeals().size(), 3u);
}

TEST_F(WechatHandlerTest, SafeModeRoundTrip) {
  auto id = CreateAccount(Mode::kSafe);
  auto response = PostAes(id, TextMessage("请问护照办理", "2001"));
  ASSERT_EQ(response.status, 200) << response.body;
  auto envelope = ParseXml(response.body);
  ASSERT_TRUE(envelope);
  EXPECT_FALSE(envelope->Has("Content"));  // nothing in the clear
  EXPECT_EQ(envelope->Get("Nonce"), "67890");
  EXPECT_EQ(DecryptReply(response),
            "您的咨询已收到，编号 YJ20260101100001，查询码 ABC23A。我们会尽快答复。");
  // A retry is answered with the stored reply, freshly encrypted.
  auto retry = PostAes(id, TextMessage("请问护照办理", "2001"), "11111");
  EXPECT_EQ(DecryptReply(retry), DecryptReply(response));
  EXPECT_EQ(f.intake->submit_calls, 1);

  // Safe mode refuses a plain request, even a correctly signed one.
  EXPECT_EQ(PostPlain(id, TextMessage("明文", "2002")).status, 403);
  // A bad msg_signature is refused.
  std::string ts = Now();
  auto crypto = MessageCrypto::Create(kAesKey, kAppId);
  std::string encrypt = crypto->Encrypt(TextMessage("x", "2003"));
  auto forged = f.Call(Method::kPost, Path(id),
                       "timestamp=" + ts + "&nonce=1&encrypt_type=aes&msg_signature=" +
                           MsgSignature("guess", ts, "1", encrypt),
                       XmlWriter().Text("Encrypt", encrypt).Finish());
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(f.intake->submit_calls, 1);
}

TEST_F(WechatHandlerTest, CompatibleModeAcceptsBoth) {
  auto id = CreateAccount(Mode::kCompatible);
  auto plain = PostPlain(id, TextMessage("明文消息", "3001"));
  EXPECT_NE(ReplyContent(plain).find("编号"), std::string::npos);
  // In compatible mode WeChat sends the plain fields and Encrypt; we use Encrypt.
  std::string inner = TextMessage("密文消息", "3002", "oCompat");
  auto crypto = MessageCrypto::Create(kAesKey, kAppId);
  std::string encrypt = crypto->Encrypt(inner);
  std::string ts = Now();
  std::string body = XmlWriter()
                         .Text("ToUserName", "gh_lianxin")
                         .Text("FromUserName", "oCompat")
                         .Number("CreateTime", 1767225600)
                         .Text("MsgType", "text")
                         .Text("Content", "密文消息")
                         .Text("MsgId", "3002")
                         .Text("Encrypt", encrypt)
                         .Finish();
  auto response = f.Call(
      Method::kPost, Path(id),
      "signature=" + UrlSignature(kToken, ts, "4") + "&timestamp=" + ts +
          "&nonce=4&encrypt_type=aes&msg_signature=" + MsgSignature(kToken, ts, "4", encrypt),
      body);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(DecryptReply(response).find("编号 YJ20260101100002"), std::string::npos);
  EXPECT_EQ(f.intake->appeals().size(), 2u);
}

TEST_F(WechatHandlerTest, PlainModeRefusesEncryptedRequests) {
  auto id = CreateAccount(Mode::kPlain);
  EXPECT_EQ(PostAes(id, TextMessage("x", "1")).status, 403);
  EXPECT_EQ(f.CountRows("wechat_messages"), 0);
}

TEST_F(WechatHandlerTest, WrongAppIdIsRefusedWithoutSideEffects) {
  auto id = CreateAccount(Mode::kSafe);
  auto response = PostAes(id, TextMessage("x", "1"), "1", "wxffffffffffffffff");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(f.intake->submit_calls, 0);
  EXPECT_EQ(f.CountRows("wechat_messages"), 0);
}

TEST_F(WechatHandlerTest, TimestampsOutOfWindowAreRefused) {
  auto id = CreateAccount(Mode::kPlain);
  for (int64_t offset : {-301, 301, -100000}) {
    std::string ts = std::to_string(f.clock.NowMillis() / 1000 + offset);
    auto response =
        f.Call(Method::kPost, Path(id),
               "signature=" + UrlSignature(kToken, ts, "1") + "&timestamp=" + ts + "&nonce=1",
               TextMessage("x", "1"));
    EXPECT_EQ(response.status, 403) << offset;
  }
  std::string ts = std::to_string(f.clock.NowMillis() / 1000 - 299);
  EXPECT_EQ(f.Call(Method::kPost, Path(id),
                   "signature=" + UrlSignature(kToken, ts, "1") + "&timestamp=" + ts + "&nonce=1",
                   TextMessage("x", "1"))
                .status,
            200);
  EXPECT_EQ(f.intake->submit_calls, 1);
}

TEST_F(WechatHandlerTest, HostileBodiesAreRejectedWithoutSideEffects) {
  auto plain_id = CreateAccount(Mode::kPlain);
  auto safe_id = CreateAccount(Mode::kSafe, "", 13, "wxaaaaaaaaaaaaaaaa");
  std::vector<std::string> bodies = {
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;\">]><xml><FromUserName>o</FromUserName><MsgType>text</MsgType>"
      "<CreateTime>1</CreateTime><Content>&lol2;</Content></xml>",
      "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><Content>&xxe;</Content>"
      "</xml>",
      "<xml><FromUserName><![CDATA[o]]></FromUserName><Content><![CDATA[trunc",
      "<xml><A><B>nested</B></A></xml>",
      "<xml><Content><![CDATA[a<![CDATA[b]]>c]]></Content></xml>",
      "",
  };
  for (const auto& body : bodies) {
    auto response = PostPlain(plain_id, body);
    EXPECT_EQ(response.status, 400) << body;
  }
  // The same inside a correctly encrypted, correctly signed envelope.
  auto crypto = MessageCrypto::Create(kAesKey, "wxaaaaaaaaaaaaaaaa");
  for (const auto& inner : bodies) {
    std::string encrypt = crypto->Encrypt(inner);
    std::string ts = Now();
    auto response = f.Call(Method::kPost, Path(safe_id),
                           "timestamp=" + ts + "&nonce=5&encrypt_type=aes&msg_signature=" +
                               MsgSignature(kToken, ts, "5", encrypt),
                           XmlWriter().Text("Encrypt", encrypt).Finish());
    EXPECT_EQ(response.status, 400) << inner;
  }
  // Over 64 KiB: refused by the route's body limit (413) before any parsing.
  std::string huge = TextMessage(std::string(70 * 1024, 'a'), "9");
  EXPECT_EQ(PostPlain(plain_id, huge).status, 413);
  // A body without the fields of a message.
  EXPECT_EQ(PostPlain(plain_id, "<xml><A>1</A></xml>").status, 400);
  EXPECT_EQ(f.intake->submit_calls, 0);
  EXPECT_EQ(f.CountRows("wechat_messages"), 0);
}

TEST_F(WechatHandlerTest, ContentTypeMustBeXml) {
  auto id = CreateAccount(Mode::kPlain);
  std::string ts = Now();
  std::string query =
      "signature=" + UrlSignature(kToken, ts, "1") + "&timestamp=" + ts + "&nonce=1";
  EXPECT_EQ(
      f.Call(Method::kPost, Path(id), query, TextMessage("x", "1"), "application/json").status,
      415);
  EXPECT_EQ(f.Call(Method::kPost, Path(id), query, TextMessage("x", "1"), "").status, 415);
  EXPECT_EQ(f.Call(Method::kPost, Path(id), query, TextMessage("x", "1"),
                   "application/xml; charset=utf-8")
                .status,
            200);
}

TEST_F(WechatHandlerTest, IntakeFailureReleasesTheMessageForTheRetry) {
  auto id = CreateAccount(Mode::kPlain);
  f.intake->fail = true;
  auto failed = PostPlain(id, TextMessage("x", "1"));
  EXPECT_EQ(ReplyContent(failed), "系统繁忙，请稍后再试。");
  EXPECT_EQ(f.CountRows("wechat_messages"), 0);
  f.intake->fail = false;
  auto retry = PostPlain(id, TextMessage("x", "1"));
  EXPECT_NE(ReplyContent(retry).find("编号"), std::string::npos);
  EXPECT_EQ(f.intake->appeals().size(), 1u);
}

TEST_F(WechatHandlerTest, InactiveAccountsAreNotFound) {
  auto id = CreateAccount(Mode::kPlain);
  auto account = f.service->GetAccount(f.admin, id);
  ASSERT_TRUE(account);
  ASSERT_TRUE(
      f.service->UpdateAccount(f.admin, id, {.version = account->version, .active = false}));
  EXPECT_EQ(PostPlain(id, TextMessage("x", "1")).status, 404);
}

TEST_F(WechatHandlerTest, CallbackRouteOptions) {
  for (auto method : {Method::kGet, Method::kPost}) {
    auto match = f.router.Find(method, "/channels/wechat/1");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->options.access, http::Access::kPublic);
    EXPECT_TRUE(match.route->options.csrf_exempt);
    EXPECT_EQ(match.route->options.max_body_bytes, 64u * 1024);
  }
  auto admin = f.router.Find(Method::kGet, "/api/v1/wechat-accounts");
  ASSERT_NE(admin.route, nullptr);
  EXPECT_EQ(admin.route->options.access, http::Access::kSignedIn);
}

}  // namespace
}  // namespace lianxin::wechat
