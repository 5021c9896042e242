#include "auth/routes.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "auth/session_authenticator.h"
#include "core/text.h"
#include "core/time.h"
#include "http/json.h"

namespace lianxin::auth {
namespace {

using http::FieldReader;
using http::Json;
using http::Request;
using http::Response;

constexpr size_t kLoginMaxBody = 4 * 1024;
constexpr size_t kMaxPasswordBytes = 1024;  // far above 128 code points of 4 bytes

Json Nullable(const std::optional<int64_t>& millis) {
  return millis ? Json(FormatIso8601(*millis)) : Json(nullptr);
}

Json RolesJson(const std::vector<Role>& roles) {
  Json out = Json::array();
  for (Role role : roles) out.push_back(std::string(RoleName(role)));
  return out;
}

Json ProfileJson(const Profile& profile) {
  return Json{
      {"id", profile.account_id},
      {"username", profile.username},
      {"display_name", profile.display_name},
      {"unit", {{"id", profile.unit_id}, {"name", profile.unit_name}, {"path", profile.unit_path}}},
      {"roles", RolesJson(profile.roles)}};
}

Json AccountJson(const Account& account) {
  Json officer = nullptr;
  if (account.officer_id) {
    officer = Json{{"id", *account.officer_id},
                   {"name", account.officer_name},
                   {"badge_no", account.officer_badge_no}};
  }
  return Json{{"id", account.id},
              {"username", account.username},
              {"display_name", account.display_name},
              {"officer", officer},
              {"unit", {{"id", account.unit_id}, {"name", account.unit_name}}},
              {"roles", RolesJson(account.roles)},
              {"active", account.active},
              {"locked_until", Nullable(account.locked_until)},
              {"last_login_at", Nullable(account.last_login_at)},
              {"version", account.version}};
}

Response NoContent() {
  Response response;
  response.status = 204;
  return response;
}

Response NotSignedIn() {
  return http::Problem(Error{ErrorCode::kUnauthenticated, "Not signed in.", {}});
}

// A password field as sent: a string, not trimmed (spaces are part of a password).
std::string RequiredPassword(const Json& body, FieldReader& reader, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    reader.Fail(field, "This field is required.");
    return {};
  }
  if (!it->is_string()) {
    reader.Fail(field, "Must be a string.");
    return {};
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (text.empty()) reader.Fail(field, "This field is required.");
  if (text.size() > kMaxPasswordBytes) reader.Fail(field, "Too long.");
  return text;
}

// A list of role names; adds field errors ("roles", "roles[2]") for anything else.
std::optional<std::vector<Role>> OptionalRoles(const Json& body, FieldReader& reader) {
  auto it = body.find("roles");
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() > 16) {
    reader.Fail("roles", "Must be a list of role names.");
    return std::nullopt;
  }
  std::vector<Role> roles;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    Role role;
    if (!item.is_string() || !ParseRole(item.get_ref<const std::string&>(), role)) {
      reader.Fail("roles[" + std::to_string(i) + "]", "Unknown role.");
      continue;
    }
    roles.push_back(role);
  }
  return roles;
}

// A positive id from the path, or nullopt (answered as 404: no such resource).
std::optional<int64_t> PathId(const Request& request) {
  std::string_view text = request.PathParam("id");
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return std::nullopt;
  return value;
}

Response NotFound() { return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}}); }

// Reads an optional positive integer query parameter into `out`; a field error otherwise.
void QueryId(const Request& request, const char* name, std::optional<int64_t>& out,
             std::vector<FieldError>& errors) {
  auto text = request.QueryParam(name);
  if (!text || text->empty()) return;
  int64_t value = 0;
  bool ok = text->size() <= 18;
  for (char c : *text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) value = value * 10 + (c - '0');
  }
  if (!ok || value <= 0) {
    errors.push_back({name, "Must be a positive integer."});
    return;
  }
  out = value;
}

std::optional<std::string> QueryText(const Request& request, const char* name, size_t max_bytes,
                                     std::vector<FieldError>& errors) {
  auto text = request.QueryParam(name);
  if (!text || text->empty()) return std::nullopt;
  if (text->size() > max_bytes || !IsValidUtf8(*text)) {
    errors.push_back({name, "Too long or not valid text."});
    return std::nullopt;
  }
  return text;
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, AuthService& auth, AccountService& accounts,
                        AuditLog& audit, AccessPolicy& policy, const Config& config) {
  const bool secure = config.behind_tls;

  // --- Auth -----------------------------------------------------------------------------
  router.Post(
      "/api/v1/auth/login",
      [&auth, secure](Request& request) -> Response {
        auto body = http::ParseJsonObject(request);
        if (!body) return http::Problem(body.error());
        FieldReader reader(*body);
        std::string username = reader.RequiredString("username", 64);
        std::string password = RequiredPassword(*body, reader, "password");
        if (!reader.ok()) return http::Problem(reader.ToError());
        int64_t retry_after = 0;
        auto login = auth.Login(username, password, request.client_ip, request.Header("user-agent"),
                                &retry_after);
        if (!login) {
          Response problem = http::Problem(login.error());
          if (login.error().code == ErrorCode::kTooManyRequests && retry_after > 0) {
            problem.SetHeader("Retry-After", std::to_string(retry_after));
          }
          return problem;
        }
        Response response = http::JsonResponse(
            Json{{"account", ProfileJson(login->profile)}, {"csrf_token", login->csrf_token}});
        response.SetHeader("Set-Cookie", SessionCookie(login->token, secure));
        response.SetHeader("Cache-Control", "no-store");
        return response;
      },
      {.access = http::Access::kPublic, .max_body_bytes = kLoginMaxBody, .csrf_exempt = true});

  router.Post("/api/v1/auth/logout", [&auth, secure](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    if (auto s = auth.Logout(*request.actor); !s) return http::Problem(s.error());
    Response response = NoContent();
    response.SetHeader("Set-Cookie", ClearSessionCookie(secure));
    return response;
  });

  router.Get("/api/v1/auth/me", [&auth](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto token = SessionTokenFromRequest(request);
    if (!token) return NotSignedIn();
    auto profile = auth.GetProfile(*request.actor);
    if (!profile) return http::Problem(profile.error());
    Response response = http::JsonResponse(Json{{"account", ProfileJson(*profile)},
                                                {"csrf_token", AuthService::CsrfTokenFor(*token)}});
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });

  router.Get("/api/v1/auth/sessions", [&auth](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto sessions = auth.ListSessions(*request.actor);
    if (!sessions) return http::Problem(sessions.error());
    Json items = Json::array();
    for (const SessionInfo& s : *sessions) {
      items.push_back(Json{{"id", s.id},
                           {"created_at", FormatIso8601(s.created_at)},
                           {"last_seen_at", FormatIso8601(s.last_seen_at)},
                           {"expires_at", FormatIso8601(s.expires_at)},
                           {"client_ip", s.client_ip},
                           {"user_agent", s.user_agent},
                           {"current", s.current}});
    }
    return http::JsonResponse(Json{{"items", items}});
  });

  router.Delete("/api/v1/auth/sessions/{id}", [&auth](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = PathId(request);
    if (!id) return NotFound();
    if (auto s = auth.RevokeSession(*request.actor, *id); !s) return http::Problem(s.error());
    return NoContent();
  });

  router.Post("/api/v1/auth/password", [&auth](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    std::string current = RequiredPassword(*body, reader, "current_password");
    std::string next = RequiredPassword(*body, reader, "new_password");
    if (!reader.ok()) return http::Problem(reader.ToError());
    if (auto s = auth.ChangePassword(*request.actor, current, next); !s) {
      return http::Problem(s.error());
    }
    return NoContent();
  });

  // --- Staff accounts -------------------------------------------------------------------
  router.Get("/api/v1/accounts", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto page = http::ParsePage(request);
    if (!page) return http::Problem(page.error());
    std::vector<FieldError> errors;
    AccountFilter filter;
    filter.q = QueryText(request, "q", 64, errors);
    QueryId(request, "unit_id", filter.unit_id, errors);
    if (auto role_name = QueryText(request, "role", 32, errors)) {
      Role role;
      if (ParseRole(*role_name, role)) {
        filter.role = role;
      } else {
        errors.push_back({"role", "Unknown role."});
      }
    }
    if (!errors.empty())
      return http::Problem(Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors});
    filter.offset = page->Offset();
    filter.limit = page->page_size;
    int64_t total = 0;
    auto list = accounts.List(*request.actor, filter, total);
    if (!list) return http::Problem(list.error());
    Json items = Json::array();
    for (const Account& account : *list) items.push_back(AccountJson(account));
    return http::JsonResponse(http::PageJson(std::move(items), total, *page));
  });

  router.Post("/api/v1/accounts", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewAccount account;
    account.username = reader.RequiredString("username", 32);
    account.display_name = reader.RequiredString("display_name", 64);
    account.unit_id = reader.RequiredInt("unit_id", 1, INT64_MAX);
    account.officer_id = reader.OptionalInt("officer_id", 1, INT64_MAX);
    auto roles = OptionalRoles(*body, reader);
    if (!roles && !body->contains("roles")) reader.Fail("roles", "This field is required.");
    account.roles = roles.value_or(std::vector<Role>{});
    account.password = RequiredPassword(*body, reader, "password");
    if (!reader.ok()) return http::Problem(reader.ToError());
    auto created = accounts.Create(*request.actor, account);
    if (!created) return http::Problem(created.error());
    return http::JsonResponse(AccountJson(*created), 201);
  });

  router.Get("/api/v1/accounts/{id}", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = PathId(request);
    if (!id) return NotFound();
    auto account = accounts.Get(*request.actor, *id);
    if (!account) return http::Problem(account.error());
    return http::JsonResponse(AccountJson(*account));
  });

  router.Patch("/api/v1/accounts/{id}", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = PathId(request);
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    AccountPatch patch;
    patch.version = reader.RequiredInt("version", 1, INT64_MAX);
    patch.display_name = reader.OptionalString("display_name", 64);
    if (patch.display_name && patch.display_name->empty()) {
      reader.Fail("display_name", "Must not be empty.");
    }
    patch.unit_id = reader.OptionalInt("unit_id", 1, INT64_MAX);
    patch.roles = OptionalRoles(*body, reader);
    patch.active = reader.OptionalBool("active");
    if (!reader.ok()) return http::Problem(reader.ToError());
    auto updated = accounts.Update(*request.actor, *id, patch);
    if (!updated) return http::Problem(updated.error());
    return http::JsonResponse(AccountJson(*updated));
  });

  router.Post("/api/v1/accounts/{id}/password", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = PathId(request);
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    std::string password = RequiredPassword(*body, reader, "password");
    if (!reader.ok()) return http::Problem(reader.ToError());
    if (auto s = accounts.SetPassword(*request.actor, *id, password); !s) {
      return http::Problem(s.error());
    }
    return NoContent();
  });

  router.Post("/api/v1/accounts/{id}/unlock", [&accounts](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = PathId(request);
    if (!id) return NotFound();
    if (auto s = accounts.Unlock(*request.actor, *id); !s) return http::Problem(s.error());
    return NoContent();
  });

  // --- Audit ----------------------------------------------------------------------------
  router.Get("/api/v1/audit", [&audit, &policy](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    const Actor& actor = *request.actor;
    if (auto s = policy.Check(actor, Action::kAuditRead, actor.unit_path,
                              "unit:" + std::to_string(actor.unit_id));
        !s) {
      return http::Problem(s.error());
    }
    auto page = http::ParsePage(request);
    if (!page) return http::Problem(page.error());
    std::vector<FieldError> errors;
    AuditQuery query;
    if (auto username = QueryText(request, "username", 64, errors)) {
      query.username = ToLowerAscii(*username);
    }
    query.action_prefix = QueryText(request, "action", 64, errors);
    if (auto result = QueryText(request, "result", 16, errors)) {
      AuditResult parsed;
      if (ParseAuditResult(*result, parsed)) {
        query.result = parsed;
      } else {
        errors.push_back({"result", "Must be ok, denied or failed."});
      }
    }
    for (const char* name : {"from", "to"}) {
      auto text = QueryText(request, name, 40, errors);
      if (!text) continue;
      auto millis = ParseIso8601(*text);
      if (!millis) {
        errors.push_back({name, "Must be an ISO 8601 date or time."});
      } else if (std::string_view(name) == "from") {
        query.from_millis = *millis;
      } else {
        query.to_millis = *millis;
      }
    }
    if (!errors.empty()) {
      return http::Problem(Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors});
    }
    // Audit administrators see their subtree; records of no unit (anonymous sign-in
    // failures, the command line) only at the top of the tree.
    query.unit_path_prefix = actor.unit_path;
    query.include_unitless = std::count(actor.unit_path.begin(), actor.unit_path.end(), '/') == 2;
    query.offset = page->Offset();
    query.limit = page->page_size;
    int64_t total = 0;
    auto records = audit.Search(query, total);
    if (!records) return http::Problem(records.error());
    Json items = Json::array();
    for (const AuditRecord& r : *records) {
      items.push_back(Json{{"id", r.id},
                           {"at", FormatIso8601(r.at_millis)},
                           {"account_id", r.account_id == 0 ? Json(nullptr) : Json(r.account_id)},
                           {"username", r.username},
                           {"unit_id", r.unit_id == 0 ? Json(nullptr) : Json(r.unit_id)},
                           {"action", r.action},
                           {"target", r.target},
                           {"result", std::string(AuditResultName(r.result))},
                           {"detail", r.detail},
                           {"client_ip", r.client_ip}});
    }
    return http::JsonResponse(http::PageJson(std::move(items), total, *page));
  });

  router.Get("/api/v1/audit/verify", [&audit, &policy](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    const Actor& actor = *request.actor;
    if (auto s = policy.Check(actor, Action::kAuditRead, actor.unit_path,
                              "unit:" + std::to_string(actor.unit_id));
        !s) {
      return http::Problem(s.error());
    }
    int64_t checked = 0;
    auto first_bad = audit.Verify(checked);
    if (!first_bad) return http::Problem(first_bad.error());
    return http::JsonResponse(
        Json{{"ok", !first_bad->has_value()},
             {"checked", checked},
             {"first_bad_id", first_bad->has_value() ? Json(**first_bad) : Json(nullptr)}});
  });
}

}  // namespace lianxin::auth
