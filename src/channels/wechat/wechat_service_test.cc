// Staff configuration: accounts and FAQ rules, access by unit subtree, versions, audit, and
// the staff routes' JSON (no secrets).
#include "channels/wechat/wechat_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "channels/wechat/wechat_test_support.h"

namespace lianxin::wechat {
namespace {

using testing::MakeActor;
using testing::WechatFixture;

constexpr std::string_view kAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

NewWechatAccount Valid(int64_t channel_account_id = 10) {
  NewWechatAccount a;
  a.channel_account_id = channel_account_id;
  a.name = "平安合川";
  a.app_id = "wx1234567890abcdef";
  a.token = "Token123";
  a.aes_key = std::string(kAesKey);
  a.mode = Mode::kSafe;
  a.welcome_text = "欢迎";
  return a;
}

class WechatServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(f.Start()); }
  WechatFixture f;
  Actor district_pr = MakeActor(2, "/1/2/", {Role::kPrOfficer});
  Actor other_pr = MakeActor(3, "/1/3/", {Role::kPrOfficer});
  Actor district_viewer = MakeActor(2, "/1/2/", {Role::kViewer});
};

TEST_F(WechatServiceTest, CreateValidatesAndSealsSecrets) {
  auto bad = Valid();
  bad.app_id = "x";
  bad.token = "t!";
  bad.aes_key = "short";
  bad.name = " ";
  auto refused = f.service->CreateAccount(f.admin, bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().fields.size(), 4u);

  auto no_key = Valid();
  no_key.aes_key = "";
  EXPECT_FALSE(f.service->CreateAccount(f.admin, no_key));  // safe mode needs a key

  auto weibo = f.service->CreateAccount(f.admin, Valid(11));
  ASSERT_FALSE(weibo);
  EXPECT_EQ(weibo.error().fields.at(0).field, "channel_account_id");
  EXPECT_FALSE(f.service->CreateAccount(f.admin, Valid(999)));

  auto created = f.service->CreateAccount(district_pr, Valid());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->has_token);
  EXPECT_TRUE(created->has_aes_key);
  EXPECT_EQ(created->unit_id, 2);
  EXPECT_EQ(created->mode, Mode::kSafe);

  auto sealed = f.database->db().Read<std::optional<storage::Row>>([](storage::Session& s) {
    return s.QueryOne("SELECT token_sealed, aes_key_sealed FROM wechat_accounts");
  });
  ASSERT_TRUE(sealed && *sealed);
  EXPECT_EQ((**sealed).Text(0).find("Token123"), std::string::npos);
  EXPECT_EQ((**sealed).Text(1).find(kAesKey), std::string::npos);
  auto callback = f.service->LoadCallbackAccount(created->id);
  ASSERT_TRUE(callback && *callback);
  EXPECT_EQ((*callback)->token, "Token123");
  EXPECT_EQ((*callback)->aes_key, kAesKey);

  // One configuration per channel account and per AppID.
  auto again = f.service->CreateAccount(f.admin, Valid());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto same_app = f.service->CreateAccount(f.admin, Valid(13));
  ASSERT_FALSE(same_app);
  EXPECT_EQ(same_app.error().code, ErrorCode::kConflict);
}

TEST_F(WechatServiceTest, AccessFollowsTheChannelAccountsUnit) {
  auto denied = f.service->CreateAccount(other_pr, Valid());
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(f.service->CreateAccount(district_viewer, Valid()));

  auto created = f.service->CreateAccount(district_pr, Valid());
  ASSERT_TRUE(created);
  EXPECT_TRUE(f.service->GetAccount(district_viewer, created->id));
  auto foreign = f.service->GetAccount(other_pr, created->id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kPermissionDenied);
  EXPECT_FALSE(f.service->UpdateAccount(district_viewer, created->id,
                                        {.version = created->version, .name = "x"}));
  EXPECT_FALSE(f.service->ListRules(other_pr, created->id));
  EXPECT_FALSE(f.service->CreateRule(district_viewer, created->id, {{"a"}, Match::kExact, "b", 0}));

  auto mine = f.service->ListAccounts(district_pr, 0, 20);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->total, 1);
  auto theirs = f.service->ListAccounts(other_pr, 0, 20);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->total, 0);

  // Denials are audited.
  auth::AuditQuery query;
  query.result = auth::AuditResult::kDenied;
  int64_t total = 0;
  auto records = f.audit->Search(query, total);
  ASSERT_TRUE(records);
  EXPECT_GE(total, 3);
}

TEST_F(WechatServiceTest, UpdateUsesVersionsAndKeepsSecrets) {
  auto created = f.service->CreateAccount(f.admin, Valid());
  ASSERT_TRUE(created);
  auto updated = f.service->UpdateAccount(
      f.admin, created->id,
      {.version = created->version, .welcome_text = "新的欢迎语", .category = "traffic"});
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, created->version + 1);
  EXPECT_EQ(updated->welcome_text, "新的欢迎语");
  auto callback = f.service->LoadCallbackAccount(created->id);
  ASSERT_TRUE(callback && *callback);
  EXPECT_EQ((*callback)->token, "Token123");  // untouched secrets survive

  auto stale =
      f.service->UpdateAccount(f.admin, created->id, {.version = created->version, .name = "x"});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);

  auto rotated = f.service->UpdateAccount(f.admin, created->id,
                                          {.version = updated->version, .token = "NewToken9"});
  ASSERT_TRUE(rotated);
  EXPECT_EQ((**f.service->LoadCallbackAccount(created->id)).token, "NewToken9");

  // Dropping the key is refused while the mode needs it.
  auto no_key =
      f.service->UpdateAccount(f.admin, created->id, {.version = rotated->version, .aes_key = ""});
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().code, ErrorCode::kInvalidArgument);

  auth::AuditQuery query;
  query.action_prefix = "wechat_account.";
  int64_t total = 0;
  auto records = f.audit->Search(query, total);
  ASSERT_TRUE(records);
  EXPECT_EQ(total, 3);  // create, two updates
  for (const auto& r : *records) {
    EXPECT_EQ(r.detail.find("NewToken9"), std::string::npos);
  }
}

TEST_F(WechatServiceTest, FaqRulesCrud) {
  auto account = f.service->CreateAccount(f.admin, Valid());
  ASSERT_TRUE(account);
  auto bad = f.service->CreateRule(f.admin, account->id, {{}, Match::kExact, "", 5000});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.size(), 3u);
  auto multiline = f.service->CreateRule(f.admin, account->id, {{"a\nb"}, Match::kExact, "x", 0});
  EXPECT_FALSE(multiline);

  auto rule = f.service->CreateRule(f.admin, account->id,
                                    {{" 户口 ", "身份证"}, Match::kContains, "请到派出所", 5});
  ASSERT_TRUE(rule) << rule.error().message;
  EXPECT_EQ(rule->keywords, (std::vector<std::string>{"户口", "身份证"}));
  auto changed = f.service->UpdateRule(f.admin, account->id, rule->id,
                                       {.version = rule->version, .match = Match::kExact});
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->match, Match::kExact);
  EXPECT_EQ(changed->reply_text, "请到派出所");
  EXPECT_FALSE(f.service->UpdateRule(f.admin, account->id, rule->id, {.version = rule->version}));

  // A rule of another account is not found through this one.
  auto other = f.service->CreateAccount(f.admin, [] {
    auto a = Valid(13);
    a.app_id = "wxbbbbbbbbbbbbbbbb";
    return a;
  }());
  ASSERT_TRUE(other);
  auto wrong = f.service->UpdateRule(f.admin, other->id, rule->id, {.version = changed->version});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kNotFound);

  auto stale = f.service->DeleteRule(f.admin, account->id, rule->id, rule->version);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);
  EXPECT_TRUE(f.service->DeleteRule(f.admin, account->id, rule->id, changed->version));
  EXPECT_TRUE(f.service->ListRules(f.admin, account->id)->empty());
}

TEST(WechatFaqMatch, PriorityExactAndContains) {
  std::vector<FaqRule> rules = {
      {.id = 1, .keywords = {"户口"}, .match = Match::kContains, .reply_text = "a", .priority = 0},
      {.id = 2, .keywords = {"HELLO"}, .match = Match::kExact, .reply_text = "b", .priority = 0},
      {.id = 3,
       .keywords = {"户口迁移"},
       .match = Match::kContains,
       .reply_text = "c",
       .priority = 5},
      {.id = 4, .keywords = {"迁移"}, .match = Match::kContains, .reply_text = "d", .priority = 5},
      {.id = 5,
       .keywords = {"户口"},
       .match = Match::kContains,
       .reply_text = "e",
       .priority = 9,
       .active = false},
  };
  struct Case {
    std::string text;
    const char* reply;  // nullptr: no match
  } cases[] = {
      {"户口迁移怎么办", "c"},  {"户口本", "a"}, {"迁移", "d"},    {" hello ", "b"},
      {"hello world", nullptr}, {"", nullptr},   {"   ", nullptr}, {"别的", nullptr},
  };
  for (const auto& c : cases) {
    const FaqRule* hit = MatchFaq(rules, c.text);
    if (c.reply == nullptr) {
      EXPECT_EQ(hit, nullptr) << c.text;
    } else {
      ASSERT_NE(hit, nullptr) << c.text;
      EXPECT_EQ(hit->reply_text, c.reply) << c.text;
    }
  }
}

TEST_F(WechatServiceTest, StaffRoutesNeverShowSecrets) {
  using http::Method;
  std::string body =
      nlohmann::json{
          {"channel_account_id", 10}, {"name", "平安合川"}, {"app_id", "wx1234567890abcdef"},
          {"token", "Token123"},      {"aes_key", kAesKey}, {"mode", "safe"}}
          .dump();
  auto unauth = f.Call(Method::kPost, "/api/v1/wechat-accounts", "", body, "application/json");
  EXPECT_EQ(unauth.status, 401);
  auto created =
      f.Call(Method::kPost, "/api/v1/wechat-accounts", "", body, "application/json", f.admin);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("Token123"), std::string::npos);
  EXPECT_EQ(created.body.find(kAesKey), std::string::npos);
  auto json = nlohmann::json::parse(created.body);
  EXPECT_EQ(json["has_token"], true);
  EXPECT_EQ(json["mode"], "safe");
  int64_t id = json["id"];
  EXPECT_EQ(json["callback_path"], "/channels/wechat/" + std::to_string(id));

  auto bad_mode = f.Call(Method::kPatch, "/api/v1/wechat-accounts/" + std::to_string(id), "",
                         R"({"version":1,"mode":"loud"})", "application/json", f.admin);
  EXPECT_EQ(bad_mode.status, 422);

  std::string rules = "/api/v1/wechat-accounts/" + std::to_string(id) + "/faq-rules";
  auto rule =
      f.Call(Method::kPost, rules, "",
             R"({"keywords":["户口"],"match":"contains","reply_text":"请到派出所","priority":3})",
             "application/json", f.admin);
  ASSERT_EQ(rule.status, 201) << rule.body;
  auto rule_json = nlohmann::json::parse(rule.body);
  EXPECT_EQ(rule_json["keywords"][0], "户口");
  auto list = f.Call(Method::kGet, rules, "", "", "", f.admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(nlohmann::json::parse(list.body)["items"].size(), 1u);
  std::string rule_path = rules + "/" + std::to_string(rule_json["id"].get<int64_t>());
  EXPECT_EQ(f.Call(Method::kDelete, rule_path, "", "", "", f.admin).status, 422);
  EXPECT_EQ(f.Call(Method::kDelete, rule_path, "version=1", "", "", f.admin).status, 204);
  auto accounts = f.Call(Method::kGet, "/api/v1/wechat-accounts", "", "", "", f.admin);
  ASSERT_EQ(accounts.status, 200);
  EXPECT_EQ(nlohmann::json::parse(accounts.body)["total"], 1);
}

}  // namespace
}  // namespace lianxin::wechat
