// WeChat official-account configuration (callback secrets, mode, welcome text), keyword
// auto-replies (FAQ rules) and the inbound message log. Staff calls go through AccessPolicy
// on the unit of the account's registry entry (channel_accounts, platform "wechat"): reading
// needs kOrgRead, every change kChannelWrite; every change is audited in its transaction.
// Secrets are sealed with DataProtector at rest and never returned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::wechat {

using WechatAccountId = int64_t;
using FaqRuleId = int64_t;

// 明文模式 / 兼容模式 / 安全模式
enum class Mode { kPlain, kCompatible, kSafe };
// "plain", "compatible", "safe"
std::string_view ModeName(Mode mode);
bool ParseMode(std::string_view name, Mode& mode);

enum class Match { kExact, kContains };
// "exact", "contains"
std::string_view MatchName(Match match);
bool ParseMatch(std::string_view name, Match& match);

// An account as staff see it: no secrets, only whether they are set.
struct WechatAccount {
  WechatAccountId id = 0;
  int64_t channel_account_id = 0;
  int64_t unit_id = 0;  // the unit of the channel account
  std::string unit_name;
  std::string name;
  std::string app_id;
  Mode mode = Mode::kPlain;
  std::string welcome_text;
  std::string category;  // appeal category code for consultations; "" = default
  bool has_token = false;
  bool has_aes_key = false;
  bool active = true;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// What the callback handler needs: the account with its secrets opened.
struct CallbackAccount {
  WechatAccountId id = 0;
  std::string name;
  std::string app_id;
  Mode mode = Mode::kPlain;
  std::string token;
  std::string aes_key;  // "" in plain mode when none is configured
  std::string welcome_text;
  std::string category;
};

struct NewWechatAccount {
  int64_t channel_account_id = 0;  // required: a channel account with platform "wechat"
  std::string name;                // 1..100 characters
  std::string app_id;              // 6..32 letters or digits ("wx5823bf96d3bd56c7")
  std::string token;               // 3..32 letters or digits
  std::string aes_key;             // 43 letters or digits; required unless mode is plain
  Mode mode = Mode::kPlain;
  std::string welcome_text;  // 0..600 characters
  std::string category;      // "" or [a-z0-9_]{2,32}
};

struct WechatAccountChanges {
  int64_t version = 0;
  std::optional<std::string> name;
  std::optional<std::string> app_id;
  std::optional<std::string> token;    // replaces the token
  std::optional<std::string> aes_key;  // replaces the EncodingAESKey
  std::optional<Mode> mode;
  std::optional<std::string> welcome_text;
  std::optional<std::string> category;
  std::optional<bool> active;
};

struct FaqRule {
  FaqRuleId id = 0;
  WechatAccountId account_id = 0;
  std::vector<std::string> keywords;
  Match match = Match::kContains;
  std::string reply_text;
  int64_t priority = 0;
  bool active = true;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewFaqRule {
  std::vector<std::string> keywords;  // 1..20, each 1..30 characters, no line breaks
  Match match = Match::kContains;
  std::string reply_text;  // 1..600 characters
  int64_t priority = 0;    // -1000..1000, higher first
  bool active = true;
};

struct FaqRuleChanges {
  int64_t version = 0;
  std::optional<std::vector<std::string>> keywords;
  std::optional<Match> match;
  std::optional<std::string> reply_text;
  std::optional<int64_t> priority;
  std::optional<bool> active;
};

struct AccountPage {
  std::vector<WechatAccount> items;
  int64_t total = 0;
};

// The first active rule matching `text` (rules in priority order, higher first, ties by
// id): exact when the trimmed text equals a keyword (ASCII case-insensitively), contains
// when it contains one (likewise). nullptr when none matches or `text` is blank.
const FaqRule* MatchFaq(const std::vector<FaqRule>& rules, std::string_view text);

// An inbound message's entry in the log, claimed before it is answered.
struct MessageClaim {
  bool claimed = false;    // true: first delivery, process it; false: a retry
  int64_t message_id = 0;  // the log entry (claimed or existing)
  bool answered = false;   // a retry whose first delivery has finished
  std::string reply_text;  // the stored passive reply of a finished first delivery; "" = none
};

struct MessageLog {
  WechatAccountId account_id = 0;
  std::string dedupe_key;
  std::string from_user_hash;
  std::string msg_type;
  int64_t received_at = 0;
};

inline constexpr size_t kMaxWelcomeChars = 600;
inline constexpr size_t kMaxReplyChars = 600;
inline constexpr size_t kMaxKeywords = 20;
inline constexpr size_t kMaxKeywordChars = 30;

class WechatService {
 public:
  // All references must outlive the service.
  WechatService(storage::Database& database, const DataProtector& protector, const Clock& clock,
                const auth::AccessPolicy& policy, auth::AuditLog& audit);

  // --- staff: accounts ---
  // Accounts whose channel account's unit lies in the actor's subtree (kOrgRead), by id.
  [[nodiscard]] Result<AccountPage> ListAccounts(const Actor& actor, int64_t offset, int64_t limit);
  [[nodiscard]] Result<WechatAccount> GetAccount(const Actor& actor, WechatAccountId id);
  // kInvalidArgument with field errors; kConflict when the channel account or the AppID
  // already has a WeChat configuration.
  [[nodiscard]] Result<WechatAccount> CreateAccount(const Actor& actor,
                                                    const NewWechatAccount& input);
  // kStaleVersion when `changes.version` is not the current one.
  [[nodiscard]] Result<WechatAccount> UpdateAccount(const Actor& actor, WechatAccountId id,
                                                    const WechatAccountChanges& changes);

  // --- staff: FAQ rules of one account (kOrgRead to list, kChannelWrite to change) ---
  [[nodiscard]] Result<std::vector<FaqRule>> ListRules(const Actor& actor,
                                                       WechatAccountId account_id);
  [[nodiscard]] Result<FaqRule> CreateRule(const Actor& actor, WechatAccountId account_id,
                                           const NewFaqRule& input);
  [[nodiscard]] Result<FaqRule> UpdateRule(const Actor& actor, WechatAccountId account_id,
                                           FaqRuleId rule_id, const FaqRuleChanges& changes);
  [[nodiscard]] Status DeleteRule(const Actor& actor, WechatAccountId account_id, FaqRuleId rule_id,
                                  int64_t version);

  // --- the callback (no actor: WeChat authenticates by signature) ---
  // The active account `id` with its secrets, or nullopt when unknown or inactive.
  [[nodiscard]] Result<std::optional<CallbackAccount>> LoadCallbackAccount(WechatAccountId id);
  // The account's active rules in match order.
  [[nodiscard]] Result<std::vector<FaqRule>> ActiveRules(WechatAccountId account_id);
  // Records a message the first time its dedupe key is seen (claimed = true); for a retry
  // returns the existing entry and its stored reply (claimed = false).
  [[nodiscard]] Result<MessageClaim> ClaimMessage(const MessageLog& entry);
  // Stores the outcome of a claimed message: `reply_kind` ("none", "faq", "welcome",
  // "appeal", "thread"), the passive reply text (sealed; "" for none), a short summary
  // without personal data, and the appeal it became or joined.
  [[nodiscard]] Status FinishMessage(int64_t message_id, std::string_view reply_kind,
                                     std::string_view reply_text, std::string_view summary,
                                     std::optional<int64_t> appeal_id);
  // Forgets a claimed message whose handling failed, so that WeChat's retry is processed.
  [[nodiscard]] Status ReleaseMessage(int64_t message_id);

  // A keyed hash of an OpenID: how logs and the message table refer to a citizen.
  std::string HashOpenId(std::string_view open_id) const { return protector_.LookupHash(open_id); }

 private:
  struct Target;
  [[nodiscard]] Result<Target> LoadTarget(WechatAccountId id);
  [[nodiscard]] Status Allow(const Actor& actor, auth::Action action, const Target& target);
  [[nodiscard]] Status Append(storage::Session& s, const Actor& actor, std::string action,
                              std::string target, std::string detail);

  storage::Database& database_;
  const DataProtector& protector_;
  const Clock& clock_;
  const auth::AccessPolicy& policy_;
  auth::AuditLog& audit_;
};

}  // namespace lianxin::wechat
