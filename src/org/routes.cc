#include "org/routes.h"

#include <charconv>
#include <limits>
#include <string>

#include "core/text.h"
#include "http/json.h"

namespace lianxin::org {
namespace {

using http::FieldReader;
using http::Json;
using http::Request;
using http::Response;

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();
constexpr size_t kMaxQueryChars = 100;
constexpr int kDefaultTreeDepth = 2;

Response NotSignedIn() {
  return http::Problem(Error{ErrorCode::kUnauthenticated, "Not signed in.", {}});
}

Response NotFound() { return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}}); }

// A positive decimal id, or nullopt (the caller answers 404).
std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// Query parameters, with their errors collected for one 422.
class QueryReader {
 public:
  explicit QueryReader(const Request& request) : request_(request) {}

  std::optional<int64_t> Id(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty()) return std::nullopt;
    auto id = ParseId(*raw);
    if (!id) errors_.push_back({std::string(name), "must be a positive integer"});
    return id;
  }
  std::optional<int64_t> Int(std::string_view name, int64_t min, int64_t max) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty()) return std::nullopt;
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
    if (ec != std::errc() || ptr != raw->data() + raw->size() || value < min || value > max) {
      errors_.push_back({std::string(name), "must be an integer from " + std::to_string(min) +
                                                " to " + std::to_string(max)});
      return std::nullopt;
    }
    return value;
  }
  std::optional<std::string> Text(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw) return std::nullopt;
    std::string text(Trim(*raw));
    if (text.empty()) return std::nullopt;
    if (!IsValidUtf8(text) || Utf8Length(text) > kMaxQueryChars) {
      errors_.push_back({std::string(name), "must be text of at most " +
                                                std::to_string(kMaxQueryChars) + " characters"});
      return std::nullopt;
    }
    return text;
  }
  std::optional<bool> Bool(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty()) return std::nullopt;
    if (*raw == "true" || *raw == "1") return true;
    if (*raw == "false" || *raw == "0") return false;
    errors_.push_back({std::string(name), "must be true or false"});
    return std::nullopt;
  }
  std::optional<UnitKind> Kind(std::string_view name) {
    auto raw = Text(name);
    if (!raw) return std::nullopt;
    auto kind = ParseUnitKind(*raw);
    if (!kind) errors_.push_back({std::string(name), "is not a unit kind"});
    return kind;
  }
  std::optional<Platform> PlatformParam(std::string_view name) {
    auto raw = Text(name);
    if (!raw) return std::nullopt;
    auto platform = ParsePlatform(*raw);
    if (!platform) errors_.push_back({std::string(name), "is not a platform"});
    return platform;
  }
  // Page parameters; their errors join the others.
  http::PageRequest Page() {
    auto page = http::ParsePage(request_);
    if (!page) {
      for (auto& f : page.error().fields) errors_.push_back(f);
      if (page.error().fields.empty()) errors_.push_back({"page", page.error().message});
      return {};
    }
    return *page;
  }
  bool ok() const { return errors_.empty(); }
  Response Problem() const {
    return http::Problem(Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors_});
  }

 private:
  const Request& request_;
  std::vector<FieldError> errors_;
};

Json TextOrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json UnitJson(const Unit& u) {
  Json j = {
      {"id", u.id},
      {"parent_id", u.parent_id ? Json(*u.parent_id) : Json(nullptr)},
      {"path", u.path},
      {"depth", u.depth},
      {"kind", UnitKindName(u.kind)},
      {"name", u.name},
      {"code", TextOrNull(u.code)},
      {"public_phone", TextOrNull(u.public_phone)},
      {"address", TextOrNull(u.address)},
      {"communities", u.communities},
      {"beat_officer", nullptr},
      {"active", u.active},
      {"version", u.version},
      {"child_count", u.child_count},
  };
  if (u.beat_officer) {
    j["beat_officer"] = {{"id", u.beat_officer->id},
                         {"name", u.beat_officer->name},
                         {"title", u.beat_officer->title}};
  }
  return j;
}

Json TreeJson(const UnitNode& node) {
  Json j = UnitJson(node.unit);
  Json children = Json::array();
  for (const auto& child : node.children) children.push_back(TreeJson(child));
  j["children"] = std::move(children);
  return j;
}

Json OfficerJson(const Officer& o) {
  return {
      {"id", o.id},         {"badge_no", o.badge_no},
      {"name", o.name},     {"unit", {{"id", o.unit_id}, {"name", o.unit_name}}},
      {"title", o.title},   {"phone", TextOrNull(o.phone_masked)},
      {"active", o.active}, {"version", o.version},
  };
}

Json ChannelJson(const ChannelAccount& a) {
  Json j = {
      {"id", a.id},
      {"platform", PlatformName(a.platform)},
      {"name", a.name},
      {"handle", a.handle},
      {"url", a.url},
      {"unit", {{"id", a.unit_id}, {"name", a.unit_name}}},
      {"followers", a.followers},
      {"verified", a.verified},
      {"operator", nullptr},
      {"active", a.active},
      {"version", a.version},
  };
  if (a.operator_officer) {
    j["operator"] = {{"id", a.operator_officer->id}, {"name", a.operator_officer->name}};
  }
  return j;
}

// The public form of an account: no operator, no internal state.
Json PublicAccountJson(const ChannelAccount& a, bool with_unit) {
  Json j = {
      {"id", a.id},
      {"platform", PlatformName(a.platform)},
      {"name", a.name},
      {"handle", a.handle},
      {"url", a.url},
      {"followers", a.followers},
      {"verified", a.verified},
  };
  if (with_unit) j["unit"] = {{"id", a.unit_id}, {"name", a.unit_name}};
  return j;
}

Json PublicAccounts(const std::vector<ChannelAccount>& accounts) {
  Json items = Json::array();
  for (const auto& a : accounts) items.push_back(PublicAccountJson(a, false));
  return items;
}

template <class T, class F>
Json Items(const std::vector<T>& items, F to_json) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// Reads an optional array of strings; each element at most `max_chars`.
std::optional<std::vector<std::string>> StringArray(const Json& body, std::string_view field,
                                                    size_t max_chars, FieldReader& reader) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) {
    reader.Fail(std::string(field), "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& element = (*it)[i];
    std::string name = std::string(field) + "[" + std::to_string(i) + "]";
    if (!element.is_string()) {
      reader.Fail(name, "must be a string");
      continue;
    }
    std::string text(Trim(element.get_ref<const std::string&>()));
    if (Utf8Length(text) > max_chars) {
      reader.Fail(name, "must be at most " + std::to_string(max_chars) + " characters");
      continue;
    }
    out.push_back(std::move(text));
  }
  return out;
}

// An optional reference to an officer where JSON null means "none" (returned as 0).
std::optional<int64_t> NullableId(const Json& body, std::string_view field, FieldReader& reader) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return 0;
  return reader.OptionalInt(field, 1, kMaxId);
}

bool IsCsv(const Request& request) {
  std::string_view type = request.Header("content-type");
  type = type.substr(0, type.find(';'));
  return ToLowerAscii(Trim(type)) == "text/csv";
}

template <class T, class F>
Response Reply(const Result<T>& result, F to_json, int status = 200) {
  if (!result) return http::Problem(result.error());
  return http::JsonResponse(to_json(*result), status);
}

// --- units ---

void RegisterUnitRoutes(http::Router& router, OrgService& service) {
  router.Get("/api/v1/units/tree", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    auto root = query.Id("root_id");
    auto depth = query.Int("depth", 0, kMaxTreeDepth);
    if (!query.ok()) return query.Problem();
    auto tree = service.UnitTree(*request.actor, root, int(depth.value_or(kDefaultTreeDepth)));
    return Reply(tree, [](const UnitNode& node) { return Json{{"root", TreeJson(node)}}; });
  });

  router.Get("/api/v1/units", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    UnitSearch search;
    search.parent_id = query.Id("parent_id");
    search.q = query.Text("q");
    search.kind = query.Kind("kind");
    search.active = query.Bool("active");
    auto page = query.Page();
    if (!query.ok()) return query.Problem();
    search.offset = page.Offset();
    search.limit = page.page_size;
    auto result = service.SearchUnits(*request.actor, search);
    return Reply(result, [&](const Page<Unit>& p) {
      return http::PageJson(Items(p.items, UnitJson), p.total, page);
    });
  });

  router.Get("/api/v1/units/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.GetUnit(*request.actor, *id), [](const UnitDetail& d) {
      Json j = UnitJson(d.unit);
      j["ancestors"] = Items(d.ancestors, [](const UnitRef& r) {
        return Json{{"id", r.id}, {"name", r.name}};
      });
      return j;
    });
  });

  router.Post("/api/v1/units", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewUnit unit;
    unit.parent_id = reader.RequiredInt("parent_id", 1, kMaxId);
    std::string kind = reader.RequiredString("kind", 32);
    if (!kind.empty()) {
      if (auto k = ParseUnitKind(kind)) {
        unit.kind = *k;
      } else {
        reader.Fail("kind", "is not a unit kind");
      }
    }
    unit.name = reader.RequiredString("name", 100);
    unit.code = reader.OptionalString("code", 32).value_or("");
    unit.public_phone = reader.OptionalString("public_phone", 32).value_or("");
    unit.address = reader.OptionalString("address", 200).value_or("");
    unit.communities =
        StringArray(*body, "communities", 50, reader).value_or(std::vector<std::string>{});
    unit.beat_officer_id = reader.OptionalInt("beat_officer_id", 1, kMaxId);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.CreateUnit(*request.actor, unit), UnitJson, 201);
  });

  router.Patch("/api/v1/units/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    UnitChanges changes;
    changes.version = reader.RequiredInt("version", 1, kMaxId);
    changes.name = reader.OptionalString("name", 100);
    changes.code = reader.OptionalString("code", 32);
    changes.public_phone = reader.OptionalString("public_phone", 32);
    changes.address = reader.OptionalString("address", 200);
    changes.communities = StringArray(*body, "communities", 50, reader);
    changes.beat_officer_id = NullableId(*body, "beat_officer_id", reader);
    if (changes.name && changes.name->empty()) reader.Fail("name", "is required");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateUnit(*request.actor, *id, changes), UnitJson);
  });

  router.Post("/api/v1/units/{id}/move", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    int64_t version = reader.RequiredInt("version", 1, kMaxId);
    int64_t parent_id = reader.RequiredInt("parent_id", 1, kMaxId);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.MoveUnit(*request.actor, *id, version, parent_id), UnitJson);
  });

  for (bool activate : {false, true}) {
    std::string pattern =
        activate ? "/api/v1/units/{id}/activate" : "/api/v1/units/{id}/deactivate";
    router.Post(pattern, [&service, activate](Request& request) {
      if (!request.actor) return NotSignedIn();
      auto id = ParseId(request.PathParam("id"));
      if (!id) return NotFound();
      auto body = http::ParseJsonObject(request);
      if (!body) return http::Problem(body.error());
      FieldReader reader(*body);
      int64_t version = reader.RequiredInt("version", 1, kMaxId);
      if (!reader.ok()) return http::Problem(reader.ToError());
      auto result = activate ? service.ActivateUnit(*request.actor, *id, version)
                             : service.DeactivateUnit(*request.actor, *id, version);
      return Reply(result, UnitJson);
    });
  }
}

// --- officers ---

void RegisterOfficerRoutes(http::Router& router, OrgService& service) {
  router.Get("/api/v1/officers", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    OfficerSearch search;
    search.unit_id = query.Id("unit_id");
    search.q = query.Text("q");
    auto page = query.Page();
    if (!query.ok()) return query.Problem();
    search.offset = page.Offset();
    search.limit = page.page_size;
    return Reply(service.SearchOfficers(*request.actor, search), [&](const Page<Officer>& p) {
      return http::PageJson(Items(p.items, OfficerJson), p.total, page);
    });
  });

  router.Post("/api/v1/officers", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewOfficer officer;
    officer.badge_no = reader.RequiredString("badge_no", 20);
    officer.name = reader.RequiredString("name", 50);
    officer.unit_id = reader.RequiredInt("unit_id", 1, kMaxId);
    officer.title = reader.RequiredString("title", 50);
    officer.phone = reader.OptionalString("phone", 32).value_or("");
    if (!reader.ok()) {
      // The service checks the phone's format; name it here too, so that one 422 lists
      // every invalid field.
      if (!officer.phone.empty() && !LooksLikePhone(Trim(officer.phone))) {
        reader.Fail("phone", "is not a phone number");
      }
      return http::Problem(reader.ToError());
    }
    return Reply(service.CreateOfficer(*request.actor, officer), OfficerJson, 201);
  });

  router.Get("/api/v1/officers/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.GetOfficer(*request.actor, *id), OfficerJson);
  });

  router.Patch("/api/v1/officers/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    OfficerChanges changes;
    changes.version = reader.RequiredInt("version", 1, kMaxId);
    changes.name = reader.OptionalString("name", 50);
    changes.unit_id = reader.OptionalInt("unit_id", 1, kMaxId);
    changes.title = reader.OptionalString("title", 50);
    changes.active = reader.OptionalBool("active");
    if (body->contains("phone") && (*body)["phone"].is_null()) {
      changes.phone = "";
    } else {
      changes.phone = reader.OptionalString("phone", 32);
    }
    if (changes.name && changes.name->empty()) reader.Fail("name", "is required");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateOfficer(*request.actor, *id, changes), OfficerJson);
  });

  router.Post("/api/v1/officers/{id}/reveal-phone", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto phone = service.RevealOfficerPhone(*request.actor, *id);
    if (!phone) return http::Problem(phone.error());
    Response response = http::JsonResponse(Json{{"phone", TextOrNull(*phone)}});
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });
}

// --- channel accounts ---

void RegisterChannelRoutes(http::Router& router, OrgService& service) {
  router.Get("/api/v1/channel-accounts", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    ChannelSearch search;
    search.platform = query.PlatformParam("platform");
    search.unit_id = query.Id("unit_id");
    search.q = query.Text("q");
    auto page = query.Page();
    if (!query.ok()) return query.Problem();
    search.offset = page.Offset();
    search.limit = page.page_size;
    return Reply(service.SearchChannelAccounts(*request.actor, search),
                 [&](const Page<ChannelAccount>& p) {
                   return http::PageJson(Items(p.items, ChannelJson), p.total, page);
                 });
  });

  router.Post("/api/v1/channel-accounts", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewChannelAccount account;
    std::string platform = reader.RequiredString("platform", 16);
    if (!platform.empty()) {
      if (auto p = ParsePlatform(platform)) {
        account.platform = *p;
      } else {
        reader.Fail("platform", "is not a platform");
      }
    }
    account.name = reader.RequiredString("name", 100);
    account.handle = reader.RequiredString("handle", 100);
    account.url = reader.OptionalString("url", 500).value_or("");
    account.unit_id = reader.RequiredInt("unit_id", 1, kMaxId);
    account.followers = reader.OptionalInt("followers", 0, 10'000'000'000).value_or(0);
    account.verified = reader.OptionalBool("verified").value_or(false);
    account.operator_officer_id = reader.OptionalInt("operator_officer_id", 1, kMaxId);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.CreateChannelAccount(*request.actor, account), ChannelJson, 201);
  });

  router.Get("/api/v1/channel-accounts/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.GetChannelAccount(*request.actor, *id), ChannelJson);
  });

  router.Patch("/api/v1/channel-accounts/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    ChannelAccountChanges changes;
    changes.version = reader.RequiredInt("version", 1, kMaxId);
    if (auto platform = reader.OptionalString("platform", 16)) {
      changes.platform = ParsePlatform(*platform);
      if (!changes.platform) reader.Fail("platform", "is not a platform");
    }
    changes.name = reader.OptionalString("name", 100);
    changes.handle = reader.OptionalString("handle", 100);
    changes.url = reader.OptionalString("url", 500);
    changes.unit_id = reader.OptionalInt("unit_id", 1, kMaxId);
    changes.followers = reader.OptionalInt("followers", 0, 10'000'000'000);
    changes.verified = reader.OptionalBool("verified");
    changes.operator_officer_id = NullableId(*body, "operator_officer_id", reader);
    changes.active = reader.OptionalBool("active");
    if (changes.name && changes.name->empty()) reader.Fail("name", "is required");
    if (changes.handle && changes.handle->empty()) reader.Fail("handle", "is required");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateChannelAccount(*request.actor, *id, changes), ChannelJson);
  });
}

// --- import ---

void RegisterImportRoutes(http::Router& router, OrgService& service) {
  http::RouteOptions options;
  options.max_body_bytes = kMaxImportBodyBytes;
  for (bool officers : {false, true}) {
    std::string pattern = officers ? "/api/v1/import/officers" : "/api/v1/import/units";
    router.Post(
        pattern,
        [&service, officers](Request& request) {
          if (!request.actor) return NotSignedIn();
          if (!IsCsv(request)) {
            return http::Problem(
                Error{ErrorCode::kUnsupportedMedia, "Content-Type must be text/csv.", {}});
          }
          auto created = officers ? service.ImportOfficers(*request.actor, request.body)
                                  : service.ImportUnits(*request.actor, request.body);
          return Reply(created, [](int64_t n) { return Json{{"created", n}}; });
        },
        options);
  }
}

}  // namespace

void RegisterOrgRoutes(http::Router& router, OrgService& service) {
  RegisterUnitRoutes(router, service);
  RegisterOfficerRoutes(router, service);
  RegisterChannelRoutes(router, service);
  RegisterImportRoutes(router, service);
}

void RegisterPublicOrgRoutes(http::Router& router, OrgService& service) {
  http::RouteOptions options;
  options.access = http::Access::kPublic;

  router.Get(
      "/api/v1/public/districts",
      [&service](Request&) {
        return Reply(service.PublicDistricts(), [](const std::vector<PublicUnit>& districts) {
          Json items = Json::array();
          for (const auto& d : districts) {
            items.push_back({{"id", d.unit.id},
                             {"name", d.unit.name},
                             {"code", d.unit.code},
                             {"kind", UnitKindName(d.unit.kind)},
                             {"public_phone", TextOrNull(d.unit.public_phone)},
                             {"address", TextOrNull(d.unit.address)},
                             {"accounts", PublicAccounts(d.accounts)}});
          }
          return Json{{"items", std::move(items)}};
        });
      },
      options);

  router.Get(
      "/api/v1/public/bureau",
      [&service](Request&) {
        return Reply(service.PublicBureauInfo(), [](const PublicBureau& b) {
          Json types = Json::array();
          for (const auto& t : b.police_types) {
            types.push_back({{"id", t.unit.id},
                             {"name", t.unit.name},
                             {"public_phone", TextOrNull(t.unit.public_phone)},
                             {"accounts", PublicAccounts(t.accounts)}});
          }
          return Json{{"id", b.bureau.id},
                      {"name", b.bureau.name},
                      {"public_phone", TextOrNull(b.bureau.public_phone)},
                      {"address", TextOrNull(b.bureau.address)},
                      {"accounts", PublicAccounts(b.accounts)},
                      {"police_types", std::move(types)}};
        });
      },
      options);

  router.Get(
      "/api/v1/public/units/{id}/stations",
      [&service](Request& request) {
        auto id = ParseId(request.PathParam("id"));
        if (!id) return NotFound();
        return Reply(service.PublicStations(*id), [](const std::vector<Unit>& stations) {
          Json items = Json::array();
          for (const auto& s : stations) {
            items.push_back({{"id", s.id},
                             {"name", s.name},
                             {"public_phone", TextOrNull(s.public_phone)},
                             {"address", TextOrNull(s.address)}});
          }
          return Json{{"items", std::move(items)}};
        });
      },
      options);

  router.Get(
      "/api/v1/public/beats",
      [&service](Request& request) {
        QueryReader query(request);
        BeatSearch search;
        search.district_id = query.Id("district_id");
        search.station_id = query.Id("station_id");
        search.q = query.Text("q");
        auto page = query.Page();
        if (!query.ok()) return query.Problem();
        search.offset = page.Offset();
        search.limit = page.page_size;
        return Reply(service.PublicBeats(search), [&](const Page<PublicBeat>& p) {
          Json items = Json::array();
          for (const auto& b : p.items) {
            Json officer = nullptr;
            // Name and title only: never a phone or an id that leads to one.
            if (b.beat.beat_officer) {
              officer = {{"name", b.beat.beat_officer->name},
                         {"title", b.beat.beat_officer->title}};
            }
            items.push_back({{"id", b.beat.id},
                             {"name", b.beat.name},
                             {"communities", b.beat.communities},
                             {"station",
                              {{"id", b.station.id},
                               {"name", b.station.name},
                               {"public_phone", TextOrNull(b.station.public_phone)},
                               {"address", TextOrNull(b.station.address)}}},
                             {"district",
                              {{"id", b.district.id},
                               {"name", b.district.name},
                               {"code", TextOrNull(b.district.code)}}},
                             {"officer", std::move(officer)}});
          }
          return http::PageJson(std::move(items), p.total, page);
        });
      },
      options);

  router.Get(
      "/api/v1/public/accounts",
      [&service](Request& request) {
        QueryReader query(request);
        auto platform = query.PlatformParam("platform");
        auto page = query.Page();
        if (!query.ok()) return query.Problem();
        return Reply(service.PublicAccounts(platform, page.Offset(), page.page_size),
                     [&](const Page<ChannelAccount>& p) {
                       return http::PageJson(Items(p.items,
                                                   [](const ChannelAccount& a) {
                                                     return PublicAccountJson(a, true);
                                                   }),
                                             p.total, page);
                     });
      },
      options);
}

}  // namespace lianxin::org
