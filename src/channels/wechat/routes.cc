#include "channels/wechat/routes.h"

#include <charconv>
#include <limits>
#include <string>

#include "core/text.h"
#include "core/time.h"
#include "http/json.h"

namespace lianxin::wechat {
namespace {

using http::FieldReader;
using http::Json;
using http::Request;
using http::Response;

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

Response NotSignedIn() {
  return http::Problem(Error{ErrorCode::kUnauthenticated, "Not signed in.", {}});
}
Response NotFound() { return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}}); }

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

bool IsXml(const Request& request) {
  std::string_view type = request.Header("content-type");
  type = type.substr(0, type.find(';'));
  std::string lower = ToLowerAscii(Trim(type));
  return lower == "text/xml" || lower == "application/xml";
}

template <class T, class F>
Response Reply(const Result<T>& result, F to_json, int status = 200) {
  if (!result) return http::Problem(result.error());
  return http::JsonResponse(to_json(*result), status);
}

Json AccountJson(const WechatAccount& a) {
  return Json{
      {"id", a.id},
      {"channel_account_id", a.channel_account_id},
      {"unit", {{"id", a.unit_id}, {"name", a.unit_name}}},
      {"name", a.name},
      {"app_id", a.app_id},
      {"mode", ModeName(a.mode)},
      {"welcome_text", a.welcome_text},
      {"category", a.category},
      {"has_token", a.has_token},
      {"has_aes_key", a.has_aes_key},
      {"callback_path", "/channels/wechat/" + std::to_string(a.id)},
      {"active", a.active},
      {"version", a.version},
      {"created_at", FormatIso8601(a.created_at)},
      {"updated_at", FormatIso8601(a.updated_at)},
  };
}

Json RuleJson(const FaqRule& r) {
  return Json{
      {"id", r.id},
      {"account_id", r.account_id},
      {"keywords", r.keywords},
      {"match", MatchName(r.match)},
      {"reply_text", r.reply_text},
      {"priority", r.priority},
      {"active", r.active},
      {"version", r.version},
      {"created_at", FormatIso8601(r.created_at)},
      {"updated_at", FormatIso8601(r.updated_at)},
  };
}

std::optional<Mode> ReadMode(FieldReader& reader, std::optional<std::string> name) {
  if (!name) return std::nullopt;
  Mode mode;
  if (!ParseMode(*name, mode)) {
    reader.Fail("mode", "must be plain, compatible or safe");
    return std::nullopt;
  }
  return mode;
}

std::optional<Match> ReadMatch(FieldReader& reader, std::optional<std::string> name) {
  if (!name) return std::nullopt;
  Match match;
  if (!ParseMatch(*name, match)) {
    reader.Fail("match", "must be exact or contains");
    return std::nullopt;
  }
  return match;
}

// "keywords": an array of strings (the service checks their count and length).
std::optional<std::vector<std::string>> ReadKeywords(const Json& body, FieldReader& reader,
                                                     bool required) {
  auto it = body.find("keywords");
  if (it == body.end() || it->is_null()) {
    if (required) reader.Fail("keywords", "is required");
    return std::nullopt;
  }
  if (!it->is_array() || it->size() > 100) {
    reader.Fail("keywords", "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& k : *it) {
    if (!k.is_string()) {
      reader.Fail("keywords", "must be an array of strings");
      return std::nullopt;
    }
    out.push_back(k.get<std::string>());
  }
  return out;
}

void RegisterCallbackRoutes(http::Router& router, WechatHandler& handler) {
  http::RouteOptions options;
  options.access = http::Access::kPublic;
  options.csrf_exempt = true;
  options.max_body_bytes = kMaxCallbackBodyBytes;
  router.Get(
      "/channels/wechat/{account}",
      [&handler](Request& request) { return handler.Verify(request); }, options);
  router.Post(
      "/channels/wechat/{account}",
      [&handler](Request& request) {
        if (!IsXml(request)) {
          return http::Problem(Error{ErrorCode::kUnsupportedMedia,
                                     "Content-Type must be text/xml or application/xml.",
                                     {}});
        }
        return handler.Receive(request);
      },
      options);
}

void RegisterAccountRoutes(http::Router& router, WechatService& service) {
  router.Get("/api/v1/wechat-accounts", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto page = http::ParsePage(request);
    if (!page) return http::Problem(page.error());
    return Reply(service.ListAccounts(*request.actor, page->Offset(), page->page_size),
                 [&](const AccountPage& p) {
                   Json items = Json::array();
                   for (const auto& a : p.items) items.push_back(AccountJson(a));
                   return http::PageJson(std::move(items), p.total, *page);
                 });
  });

  router.Post("/api/v1/wechat-accounts", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewWechatAccount input;
    input.channel_account_id = reader.RequiredInt("channel_account_id", 1, kMaxId);
    input.name = reader.RequiredString("name", 100);
    input.app_id = reader.RequiredString("app_id", 32);
    input.token = reader.RequiredString("token", 32);
    input.aes_key = reader.OptionalString("aes_key", 43).value_or("");
    input.mode = ReadMode(reader, reader.OptionalString("mode", 16)).value_or(Mode::kPlain);
    input.welcome_text = reader.OptionalString("welcome_text", kMaxWelcomeChars).value_or("");
    input.category = reader.OptionalString("category", 32).value_or("");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.CreateAccount(*request.actor, input), AccountJson, 201);
  });

  router.Get("/api/v1/wechat-accounts/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.GetAccount(*request.actor, *id), AccountJson);
  });

  router.Patch("/api/v1/wechat-accounts/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    WechatAccountChanges changes;
    changes.version = reader.RequiredInt("version", 1, kMaxId);
    changes.name = reader.OptionalString("name", 100);
    changes.app_id = reader.OptionalString("app_id", 32);
    changes.token = reader.OptionalString("token", 32);
    changes.aes_key = reader.OptionalString("aes_key", 43);
    changes.mode = ReadMode(reader, reader.OptionalString("mode", 16));
    changes.welcome_text = reader.OptionalString("welcome_text", kMaxWelcomeChars);
    changes.category = reader.OptionalString("category", 32);
    changes.active = reader.OptionalBool("active");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateAccount(*request.actor, *id, changes), AccountJson);
  });
}

void RegisterRuleRoutes(http::Router& router, WechatService& service) {
  router.Get("/api/v1/wechat-accounts/{id}/faq-rules", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.ListRules(*request.actor, *id), [](const std::vector<FaqRule>& rules) {
      Json items = Json::array();
      for (const auto& r : rules) items.push_back(RuleJson(r));
      return Json{{"items", std::move(items)}};
    });
  });

  router.Post("/api/v1/wechat-accounts/{id}/faq-rules", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewFaqRule input;
    input.keywords = ReadKeywords(*body, reader, true).value_or(std::vector<std::string>{});
    input.match = ReadMatch(reader, reader.OptionalString("match", 16)).value_or(Match::kContains);
    input.reply_text = reader.RequiredString("reply_text", kMaxReplyChars);
    input.priority = reader.OptionalInt("priority", -1000, 1000).value_or(0);
    input.active = reader.OptionalBool("active").value_or(true);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.CreateRule(*request.actor, *id, input), RuleJson, 201);
  });

  router.Patch("/api/v1/wechat-accounts/{id}/faq-rules/{rule_id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    auto rule_id = ParseId(request.PathParam("rule_id"));
    if (!id || !rule_id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    FaqRuleChanges changes;
    changes.version = reader.RequiredInt("version", 1, kMaxId);
    changes.keywords = ReadKeywords(*body, reader, false);
    changes.match = ReadMatch(reader, reader.OptionalString("match", 16));
    changes.reply_text = reader.OptionalString("reply_text", kMaxReplyChars);
    changes.priority = reader.OptionalInt("priority", -1000, 1000);
    changes.active = reader.OptionalBool("active");
    if (changes.reply_text && changes.reply_text->empty()) {
      reader.Fail("reply_text", "is required");
    }
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateRule(*request.actor, *id, *rule_id, changes), RuleJson);
  });

  router.Delete("/api/v1/wechat-accounts/{id}/faq-rules/{rule_id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    auto rule_id = ParseId(request.PathParam("rule_id"));
    if (!id || !rule_id) return NotFound();
    auto version = ParseId(request.QueryParam("version").value_or(""));
    if (!version) {
      return http::Problem(
          Error{ErrorCode::kInvalidArgument,
                "Some fields are invalid.",
                {{"version", "the rule's current version is required as ?version="}}});
    }
    auto deleted = service.DeleteRule(*request.actor, *id, *rule_id, *version);
    if (!deleted) return http::Problem(deleted.error());
    Response response;
    response.status = 204;
    return response;
  });
}

}  // namespace

void RegisterWechatRoutes(http::Router& router, WechatHandler& handler, WechatService& service) {
  RegisterCallbackRoutes(router, handler);
  RegisterAccountRoutes(router, service);
  RegisterRuleRoutes(router, service);
}

}  // namespace lianxin::wechat
