#include "channels/wechat/wechat_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "channels/wechat/crypto.h"
#include "core/text.h"

namespace lianxin::wechat {

using auth::Action;
using storage::Row;
using storage::Session;

namespace {

constexpr size_t kMaxNameChars = 100;

constexpr std::string_view kAccountById =
    "SELECT w.id, w.channel_account_id, c.unit_id, u.name, u.path, w.name, w.app_id, w.mode,"
    " w.welcome_text, w.category, w.token_sealed, w.aes_key_sealed, w.active, w.version,"
    " w.created_at, w.updated_at"
    " FROM wechat_accounts w JOIN channel_accounts c ON c.id = w.channel_account_id"
    " JOIN units u ON u.id = c.unit_id WHERE w.id = $1";
constexpr std::string_view kAccountsInSubtree =
    "SELECT w.id, w.channel_account_id, c.unit_id, u.name, u.path, w.name, w.app_id, w.mode,"
    " w.welcome_text, w.category, w.token_sealed, w.aes_key_sealed, w.active, w.version,"
    " w.created_at, w.updated_at"
    " FROM wechat_accounts w JOIN channel_accounts c ON c.id = w.channel_account_id"
    " JOIN units u ON u.id = c.unit_id WHERE u.path LIKE $1 ORDER BY w.id"
    " LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)";
constexpr std::string_view kCountInSubtree =
    "SELECT COUNT(*) FROM wechat_accounts w JOIN channel_accounts c ON c.id = "
    "w.channel_account_id JOIN units u ON u.id = c.unit_id WHERE u.path LIKE $1";
constexpr std::string_view kChannelAccount =
    "SELECT c.platform, u.path FROM channel_accounts c JOIN units u ON u.id = c.unit_id"
    " WHERE c.id = $1";
constexpr std::string_view kInsertAccount =
    "INSERT INTO wechat_accounts (channel_account_id, name, app_id, token_sealed,"
    " aes_key_sealed, mode, welcome_text, category, active, version, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 1, $9, $9) RETURNING id";
constexpr std::string_view kUpdateAccount =
    "UPDATE wechat_accounts SET name = $3, app_id = $4, token_sealed = $5, aes_key_sealed = $6,"
    " mode = $7, welcome_text = $8, category = $9, active = $10, version = version + 1,"
    " updated_at = $11 WHERE id = $1 AND version = $2";
constexpr std::string_view kActiveAccount =
    "SELECT id, name, app_id, mode, token_sealed, aes_key_sealed, welcome_text, category"
    " FROM wechat_accounts WHERE id = $1 AND active = 1";

constexpr std::string_view kRulesOf =
    "SELECT id, account_id, keywords, match_mode, reply_text, priority, active, version,"
    " created_at, updated_at FROM faq_rules WHERE account_id = $1 ORDER BY priority DESC, id";
constexpr std::string_view kActiveRulesOf =
    "SELECT id, account_id, keywords, match_mode, reply_text, priority, active, version,"
    " created_at, updated_at FROM faq_rules WHERE account_id = $1 AND active = 1"
    " ORDER BY priority DESC, id";
constexpr std::string_view kRuleById =
    "SELECT id, account_id, keywords, match_mode, reply_text, priority, active, version,"
    " created_at, updated_at FROM faq_rules WHERE id = $1 AND account_id = $2";
constexpr std::string_view kInsertRule =
    "INSERT INTO faq_rules (account_id, keywords, match_mode, reply_text, priority, active,"
    " version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
constexpr std::string_view kUpdateRule =
    "UPDATE faq_rules SET keywords = $3, match_mode = $4, reply_text = $5, priority = $6,"
    " active = $7, version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2";
constexpr std::string_view kDeleteRule =
    "DELETE FROM faq_rules WHERE id = $1 AND account_id = $2 AND version = $3";

constexpr std::string_view kFindMessage =
    "SELECT id, reply_kind, reply_sealed FROM wechat_messages"
    " WHERE account_id = $1 AND dedupe_key = $2";
constexpr std::string_view kInsertMessage =
    "INSERT INTO wechat_messages (account_id, dedupe_key, from_user_hash, msg_type,"
    " received_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
constexpr std::string_view kFinishMessage =
    "UPDATE wechat_messages SET reply_kind = $2, reply_sealed = $3, reply_summary = $4,"
    " appeal_id = $5 WHERE id = $1";
constexpr std::string_view kDeleteMessage = "DELETE FROM wechat_messages WHERE id = $1";

std::string AccountTarget(WechatAccountId id) { return "wechat_account:" + std::to_string(id); }
std::string RuleTarget(FaqRuleId id) { return "faq_rule:" + std::to_string(id); }

Mode ModeFrom(std::string_view name) {
  Mode mode = Mode::kPlain;
  (void)ParseMode(name, mode);
  return mode;
}

bool IsAppId(std::string_view app_id) {
  return app_id.size() >= 6 && app_id.size() <= 32 &&
         std::all_of(app_id.begin(), app_id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

bool IsCategoryCode(std::string_view code) {
  if (code.empty()) return true;
  return code.size() >= 2 && code.size() <= 32 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// Text of at most `max` characters, valid UTF-8; `required` also demands a non-blank one.
void CheckText(std::vector<FieldError>& errors, std::string_view field, std::string_view text,
               size_t max, bool required) {
  if (!IsValidUtf8(text)) {
    errors.push_back({std::string(field), "must be UTF-8 text"});
  } else if (required && Trim(text).empty()) {
    errors.push_back({std::string(field), "is required"});
  } else if (Utf8Length(text) > max) {
    errors.push_back(
        {std::string(field), "must be at most " + std::to_string(max) + " characters"});
  }
}

void CheckKeywords(std::vector<FieldError>& errors, std::vector<std::string>& keywords) {
  if (keywords.empty() || keywords.size() > kMaxKeywords) {
    errors.push_back({"keywords", "must list 1 to " + std::to_string(kMaxKeywords) + " keywords"});
    return;
  }
  for (size_t i = 0; i < keywords.size(); ++i) {
    std::string field = "keywords[" + std::to_string(i) + "]";
    keywords[i] = std::string(Trim(keywords[i]));
    const auto& k = keywords[i];
    if (!IsValidUtf8(k) || k.empty() || Utf8Length(k) > kMaxKeywordChars ||
        k.find_first_of("\r\n") != std::string::npos) {
      errors.push_back(
          {field, "must be 1 to " + std::to_string(kMaxKeywordChars) + " characters on one line"});
    }
  }
}

WechatAccount AccountFrom(const Row& r, std::string* unit_path) {
  WechatAccount a;
  a.id = r.Int(0);
  a.channel_account_id = r.Int(1);
  a.unit_id = r.Int(2);
  a.unit_name = r.Text(3);
  if (unit_path) *unit_path = r.Text(4);
  a.name = r.Text(5);
  a.app_id = r.Text(6);
  a.mode = ModeFrom(r.Text(7));
  a.welcome_text = r.Text(8);
  a.category = r.Text(9);
  a.has_token = !r.Text(10).empty();
  a.has_aes_key = !r.Text(11).empty();
  a.active = r.Bool(12);
  a.version = r.Int(13);
  a.created_at = r.Int(14);
  a.updated_at = r.Int(15);
  return a;
}

std::string KeywordsJson(const std::vector<std::string>& keywords) {
  return nlohmann::json(keywords).dump();
}

std::vector<std::string> KeywordsFrom(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& k : j) {
    if (k.is_string()) out.push_back(k.get<std::string>());
  }
  return out;
}

FaqRule RuleFrom(const Row& r) {
  FaqRule rule;
  rule.id = r.Int(0);
  rule.account_id = r.Int(1);
  rule.keywords = KeywordsFrom(r.Text(2));
  (void)ParseMatch(r.Text(3), rule.match);
  rule.reply_text = r.Text(4);
  rule.priority = r.Int(5);
  rule.active = r.Bool(6);
  rule.version = r.Int(7);
  rule.created_at = r.Int(8);
  rule.updated_at = r.Int(9);
  return rule;
}

Result<std::vector<FaqRule>> QueryRules(Session& s, std::string_view sql, WechatAccountId id) {
  auto rows = s.Query(sql, {id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<FaqRule> rules;
  for (const auto& r : *rows) rules.push_back(RuleFrom(r));
  return rules;
}

std::unexpected<Error> NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

// The account's rules must belong to it; a rule id of another account is "not found".
Result<FaqRule> FindRule(Session& s, WechatAccountId account_id, FaqRuleId rule_id) {
  auto row = s.QueryOne(kRuleById, {rule_id, account_id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return NotFound("FAQ rule");
  return RuleFrom(**row);
}

}  // namespace

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kPlain:
      return "plain";
    case Mode::kCompatible:
      return "compatible";
    case Mode::kSafe:
      return "safe";
  }
  return "plain";
}

bool ParseMode(std::string_view name, Mode& mode) {
  for (Mode m : {Mode::kPlain, Mode::kCompatible, Mode::kSafe}) {
    if (ModeName(m) == name) {
      mode = m;
      return true;
    }
  }
  return false;
}

std::string_view MatchName(Match match) { return match == Match::kExact ? "exact" : "contains"; }

bool ParseMatch(std::string_view name, Match& match) {
  if (name == "exact") {
    match = Match::kExact;
    return true;
  }
  if (name == "contains") {
    match = Match::kContains;
    return true;
  }
  return false;
}

const FaqRule* MatchFaq(const std::vector<FaqRule>& rules, std::string_view text) {
  std::string needle = ToLowerAscii(Trim(text));
  if (needle.empty()) return nullptr;
  std::vector<const FaqRule*> ordered;
  for (const auto& r : rules) {
    if (r.active) ordered.push_back(&r);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const FaqRule* a, const FaqRule* b) {
    return a->priority != b->priority ? a->priority > b->priority : a->id < b->id;
  });
  for (const FaqRule* rule : ordered) {
    for (const auto& keyword : rule->keywords) {
      std::string k = ToLowerAscii(Trim(keyword));
      if (k.empty()) continue;
      if (rule->match == Match::kExact ? needle == k : needle.find(k) != std::string::npos) {
        return rule;
      }
    }
  }
  return nullptr;
}

struct WechatService::Target {
  WechatAccount account;
  std::string unit_path;
};

WechatService::WechatService(storage::Database& database, const DataProtector& protector,
                             const Clock& clock, const auth::AccessPolicy& policy,
                             auth::AuditLog& audit)
    : database_(database), protector_(protector), clock_(clock), policy_(policy), audit_(audit) {}

Result<WechatService::Target> WechatService::LoadTarget(WechatAccountId id) {
  return database_.Read<Target>([&](Session& s) -> Result<Target> {
    auto row = s.QueryOne(kAccountById, {id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return NotFound("WeChat account");
    Target t;
    t.account = AccountFrom(**row, &t.unit_path);
    return t;
  });
}

Status WechatService::Allow(const Actor& actor, Action action, const Target& target) {
  return policy_.Check(actor, action, target.unit_path, AccountTarget(target.account.id));
}

Status WechatService::Append(Session& s, const Actor& actor, std::string action, std::string target,
                             std::string detail) {
  return audit_.Append(s, &actor,
                       auth::AuditEvent{std::move(action), std::move(target),
                                        auth::AuditResult::kOk, std::move(detail)},
                       actor.client_ip);
}

// --- accounts ---

Result<AccountPage> WechatService::ListAccounts(const Actor& actor, int64_t offset, int64_t limit) {
  if (auto ok = policy_.Check(actor, Action::kOrgRead, actor.unit_path, "wechat_accounts"); !ok) {
    return std::unexpected(ok.error());
  }
  return database_.Read<AccountPage>([&](Session& s) -> Result<AccountPage> {
    std::string prefix = actor.unit_path + "%";
    AccountPage page;
    auto rows = s.Query(kAccountsInSubtree, {prefix, limit, offset});
    if (!rows) return std::unexpected(rows.error());
    for (const auto& r : *rows) page.items.push_back(AccountFrom(r, nullptr));
    auto count = s.QueryOne(kCountInSubtree, {prefix});
    if (!count) return std::unexpected(count.error());
    page.total = *count ? (**count).Int(0) : 0;
    return page;
  });
}

Result<WechatAccount> WechatService::GetAccount(const Actor& actor, WechatAccountId id) {
  auto target = LoadTarget(id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kOrgRead, *target); !ok) return std::unexpected(ok.error());
  return target->account;
}

Result<WechatAccount> WechatService::CreateAccount(const Actor& actor,
                                                   const NewWechatAccount& input) {
  std::vector<FieldError> errors;
  CheckText(errors, "name", input.name, kMaxNameChars, true);
  if (!IsAppId(input.app_id)) errors.push_back({"app_id", "must be 6 to 32 letters or digits"});
  if (!IsToken(input.token)) errors.push_back({"token", "must be 3 to 32 letters or digits"});
  if (!input.aes_key.empty() && !IsEncodingAesKey(input.aes_key)) {
    errors.push_back({"aes_key", "must be 43 letters or digits"});
  } else if (input.aes_key.empty() && input.mode != Mode::kPlain) {
    errors.push_back({"aes_key", "is required in compatible and safe mode"});
  }
  CheckText(errors, "welcome_text", input.welcome_text, kMaxWelcomeChars, false);
  if (!IsCategoryCode(input.category)) errors.push_back({"category", "is not a category code"});

  // The channel account decides the unit, and so who may configure it.
  auto channel = database_.Read<std::optional<Row>>(
      [&](Session& s) { return s.QueryOne(kChannelAccount, {input.channel_account_id}); });
  if (!channel) return std::unexpected(channel.error());
  if (!*channel) {
    errors.push_back({"channel_account_id", "no such channel account"});
    return InvalidFields(std::move(errors));
  }
  std::string unit_path = (**channel).Text(1);
  if (auto ok = policy_.Check(actor, Action::kChannelWrite, unit_path,
                              "channel_account:" + std::to_string(input.channel_account_id));
      !ok) {
    return std::unexpected(ok.error());
  }
  if ((**channel).Text(0) != "wechat") {
    errors.push_back({"channel_account_id", "is not a WeChat account"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));

  auto id = database_.Write<WechatAccountId>([&](Session& s) -> Result<WechatAccountId> {
    auto row = s.QueryOne(kInsertAccount,
                          {input.channel_account_id, std::string(Trim(input.name)), input.app_id,
                           protector_.Seal(input.token), protector_.Seal(input.aes_key),
                           std::string(ModeName(input.mode)), input.welcome_text, input.category,
                           clock_.NowMillis()});
    if (!row) {
      if (row.error().code == ErrorCode::kConflict) {
        return MakeError(ErrorCode::kConflict,
                         "This channel account or AppID already has a WeChat configuration.");
      }
      return std::unexpected(row.error());
    }
    WechatAccountId new_id = (**row).Int(0);
    if (auto ok = Append(s, actor, "wechat_account.create", AccountTarget(new_id),
                         std::string(ModeName(input.mode)));
        !ok) {
      return std::unexpected(ok.error());
    }
    return new_id;
  });
  if (!id) return std::unexpected(id.error());
  auto created = LoadTarget(*id);
  if (!created) return std::unexpected(created.error());
  return created->account;
}

Result<WechatAccount> WechatService::UpdateAccount(const Actor& actor, WechatAccountId id,
                                                   const WechatAccountChanges& changes) {
  auto target = LoadTarget(id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kChannelWrite, *target); !ok) {
    return std::unexpected(ok.error());
  }
  std::vector<FieldError> errors;
  std::vector<std::string> changed;
  if (changes.name) {
    CheckText(errors, "name", *changes.name, kMaxNameChars, true);
    changed.push_back("name");
  }
  if (changes.app_id) {
    if (!IsAppId(*changes.app_id)) {
      errors.push_back({"app_id", "must be 6 to 32 letters or digits"});
    }
    changed.push_back("app_id");
  }
  if (changes.token) {
    if (!IsToken(*changes.token)) errors.push_back({"token", "must be 3 to 32 letters or digits"});
    changed.push_back("token");
  }
  if (changes.aes_key) {
    if (!changes.aes_key->empty() && !IsEncodingAesKey(*changes.aes_key)) {
      errors.push_back({"aes_key", "must be 43 letters or digits"});
    }
    changed.push_back("aes_key");
  }
  if (changes.welcome_text) {
    CheckText(errors, "welcome_text", *changes.welcome_text, kMaxWelcomeChars, false);
    changed.push_back("welcome_text");
  }
  if (changes.category) {
    if (!IsCategoryCode(*changes.category)) {
      errors.push_back({"category", "is not a category code"});
    }
    changed.push_back("category");
  }
  if (changes.mode) changed.push_back("mode");
  if (changes.active) changed.push_back("active");
  Mode mode = changes.mode.value_or(target->account.mode);
  bool has_aes_key = changes.aes_key ? !changes.aes_key->empty() : target->account.has_aes_key;
  if (mode != Mode::kPlain && !has_aes_key) {
    errors.push_back({"aes_key", "is required in compatible and safe mode"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));

  auto status = database_.Write<void>([&](Session& s) -> Status {
    // Secrets not being replaced keep their sealed form.
    auto current =
        s.QueryOne("SELECT token_sealed, aes_key_sealed FROM wechat_accounts WHERE id = $1", {id});
    if (!current) return std::unexpected(current.error());
    if (!*current) return NotFound("WeChat account");
    std::string token_sealed =
        changes.token ? protector_.Seal(*changes.token) : (**current).Text(0);
    std::string aes_sealed =
        changes.aes_key ? protector_.Seal(*changes.aes_key) : (**current).Text(1);
    const WechatAccount& a = target->account;
    auto updated = s.Execute(
        kUpdateAccount,
        {id, changes.version, std::string(Trim(changes.name.value_or(a.name))),
         changes.app_id.value_or(a.app_id), token_sealed, aes_sealed, std::string(ModeName(mode)),
         changes.welcome_text.value_or(a.welcome_text), changes.category.value_or(a.category),
         int64_t{changes.active.value_or(a.active) ? 1 : 0}, clock_.NowMillis()});
    if (!updated) {
      if (updated.error().code == ErrorCode::kConflict) {
        return MakeError(ErrorCode::kConflict, "Another account already has this AppID.");
      }
      return std::unexpected(updated.error());
    }
    if (*updated == 0) {
      return MakeError(ErrorCode::kStaleVersion, "The account was changed by someone else.");
    }
    std::string detail;
    for (const auto& c : changed) detail += (detail.empty() ? "" : ",") + c;
    return Append(s, actor, "wechat_account.update", AccountTarget(id), detail);
  });
  if (!status) return std::unexpected(status.error());
  auto reloaded = LoadTarget(id);
  if (!reloaded) return std::unexpected(reloaded.error());
  return reloaded->account;
}

// --- FAQ rules ---

Result<std::vector<FaqRule>> WechatService::ListRules(const Actor& actor,
                                                      WechatAccountId account_id) {
  auto target = LoadTarget(account_id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kOrgRead, *target); !ok) return std::unexpected(ok.error());
  return database_.Read<std::vector<FaqRule>>(
      [&](Session& s) { return QueryRules(s, kRulesOf, account_id); });
}

Result<FaqRule> WechatService::CreateRule(const Actor& actor, WechatAccountId account_id,
                                          const NewFaqRule& input) {
  auto target = LoadTarget(account_id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kChannelWrite, *target); !ok) {
    return std::unexpected(ok.error());
  }
  std::vector<FieldError> errors;
  std::vector<std::string> keywords = input.keywords;
  CheckKeywords(errors, keywords);
  CheckText(errors, "reply_text", input.reply_text, kMaxReplyChars, true);
  if (input.priority < -1000 || input.priority > 1000) {
    errors.push_back({"priority", "must be between -1000 and 1000"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return database_.Write<FaqRule>([&](Session& s) -> Result<FaqRule> {
    auto row = s.QueryOne(
        kInsertRule,
        {account_id, KeywordsJson(keywords), std::string(MatchName(input.match)), input.reply_text,
         input.priority, int64_t{input.active ? 1 : 0}, clock_.NowMillis()});
    if (!row) return std::unexpected(row.error());
    FaqRuleId id = (**row).Int(0);
    if (auto ok = Append(s, actor, "faq_rule.create", RuleTarget(id), AccountTarget(account_id));
        !ok) {
      return std::unexpected(ok.error());
    }
    return FindRule(s, account_id, id);
  });
}

Result<FaqRule> WechatService::UpdateRule(const Actor& actor, WechatAccountId account_id,
                                          FaqRuleId rule_id, const FaqRuleChanges& changes) {
  auto target = LoadTarget(account_id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kChannelWrite, *target); !ok) {
    return std::unexpected(ok.error());
  }
  std::vector<FieldError> errors;
  std::optional<std::vector<std::string>> keywords = changes.keywords;
  if (keywords) CheckKeywords(errors, *keywords);
  if (changes.reply_text) {
    CheckText(errors, "reply_text", *changes.reply_text, kMaxReplyChars, true);
  }
  if (changes.priority && (*changes.priority < -1000 || *changes.priority > 1000)) {
    errors.push_back({"priority", "must be between -1000 and 1000"});
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return database_.Write<FaqRule>([&](Session& s) -> Result<FaqRule> {
    auto rule = FindRule(s, account_id, rule_id);
    if (!rule) return std::unexpected(rule.error());
    auto updated = s.Execute(
        kUpdateRule,
        {rule_id, changes.version, KeywordsJson(keywords.value_or(rule->keywords)),
         std::string(MatchName(changes.match.value_or(rule->match))),
         changes.reply_text.value_or(rule->reply_text), changes.priority.value_or(rule->priority),
         int64_t{changes.active.value_or(rule->active) ? 1 : 0}, clock_.NowMillis()});
    if (!updated) return std::unexpected(updated.error());
    if (*updated == 0) {
      return MakeError(ErrorCode::kStaleVersion, "The rule was changed by someone else.");
    }
    if (auto ok =
            Append(s, actor, "faq_rule.update", RuleTarget(rule_id), AccountTarget(account_id));
        !ok) {
      return std::unexpected(ok.error());
    }
    return FindRule(s, account_id, rule_id);
  });
}

Status WechatService::DeleteRule(const Actor& actor, WechatAccountId account_id, FaqRuleId rule_id,
                                 int64_t version) {
  auto target = LoadTarget(account_id);
  if (!target) return std::unexpected(target.error());
  if (auto ok = Allow(actor, Action::kChannelWrite, *target); !ok) {
    return std::unexpected(ok.error());
  }
  return database_.Write<void>([&](Session& s) -> Status {
    auto rule = FindRule(s, account_id, rule_id);
    if (!rule) return std::unexpected(rule.error());
    auto deleted = s.Execute(kDeleteRule, {rule_id, account_id, version});
    if (!deleted) return std::unexpected(deleted.error());
    if (*deleted == 0) {
      return MakeError(ErrorCode::kStaleVersion, "The rule was changed by someone else.");
    }
    return Append(s, actor, "faq_rule.delete", RuleTarget(rule_id), AccountTarget(account_id));
  });
}

// --- callback ---

Result<std::optional<CallbackAccount>> WechatService::LoadCallbackAccount(WechatAccountId id) {
  auto row = database_.Read<std::optional<Row>>(
      [&](Session& s) { return s.QueryOne(kActiveAccount, {id}); });
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CallbackAccount>();
  const Row& r = **row;
  CallbackAccount a;
  a.id = r.Int(0);
  a.name = r.Text(1);
  a.app_id = r.Text(2);
  a.mode = ModeFrom(r.Text(3));
  auto token = protector_.Open(r.Text(4));
  auto aes_key = protector_.Open(r.Text(5));
  if (!token || !aes_key) {
    return MakeError(ErrorCode::kInternal, "A WeChat account secret cannot be opened.");
  }
  a.token = std::move(*token);
  a.aes_key = std::move(*aes_key);
  a.welcome_text = r.Text(6);
  a.category = r.Text(7);
  return std::optional<CallbackAccount>(std::move(a));
}

Result<std::vector<FaqRule>> WechatService::ActiveRules(WechatAccountId account_id) {
  return database_.Read<std::vector<FaqRule>>(
      [&](Session& s) { return QueryRules(s, kActiveRulesOf, account_id); });
}

Result<MessageClaim> WechatService::ClaimMessage(const MessageLog& entry) {
  auto existing = [&](Session& s) -> Result<std::optional<MessageClaim>> {
    auto row = s.QueryOne(kFindMessage, {entry.account_id, entry.dedupe_key});
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<MessageClaim>();
    MessageClaim claim;
    claim.message_id = (**row).Int(0);
    claim.answered = (**row).Text(1) != "pending";
    if (claim.answered) {
      auto reply = protector_.Open((**row).Text(2));
      if (reply) claim.reply_text = std::move(*reply);
    }
    return std::optional<MessageClaim>(std::move(claim));
  };
  auto claimed = database_.Write<MessageClaim>([&](Session& s) -> Result<MessageClaim> {
    auto found = existing(s);
    if (!found) return std::unexpected(found.error());
    if (*found) return std::move(**found);
    auto row = s.QueryOne(kInsertMessage, {entry.account_id, entry.dedupe_key, entry.from_user_hash,
                                           entry.msg_type, entry.received_at});
    if (!row) return std::unexpected(row.error());
    MessageClaim claim;
    claim.claimed = true;
    claim.message_id = (**row).Int(0);
    return claim;
  });
  if (claimed || claimed.error().code != ErrorCode::kConflict) return claimed;
  // A concurrent delivery of the same message won the insert (PostgreSQL): it is a retry.
  auto found = database_.Read<std::optional<MessageClaim>>(existing);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::unexpected(claimed.error());
  return std::move(**found);
}

Status WechatService::FinishMessage(int64_t message_id, std::string_view reply_kind,
                                    std::string_view reply_text, std::string_view summary,
                                    std::optional<int64_t> appeal_id) {
  return database_.Write<void>([&](Session& s) -> Status {
    auto done =
        s.Execute(kFinishMessage, {message_id, std::string(reply_kind), protector_.Seal(reply_text),
                                   std::string(summary), storage::Optional(appeal_id)});
    if (!done) return std::unexpected(done.error());
    return {};
  });
}

Status WechatService::ReleaseMessage(int64_t message_id) {
  return database_.Write<void>([&](Session& s) -> Status {
    auto done = s.Execute(kDeleteMessage, {message_id});
    if (!done) return std::unexpected(done.error());
    return {};
  });
}

}  // namespace lianxin::wechat
