#include "channels/open311/routes.h"

#include <charconv>
#include <limits>
#include <string>

#include "core/time.h"
#include "http/json.h"

namespace lianxin::open311 {
namespace {

using http::FieldReader;
using http::Json;
using http::Request;
using http::Response;

constexpr std::string_view kPrefix = "/open311/v2/";
constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

Response ToResponse(Reply reply, bool cacheable) {
  Response response;
  response.status = reply.status;
  response.body = std::move(reply.body);
  response.SetHeader("Content-Type", std::move(reply.content_type));
  for (auto& [name, value] : reply.headers) response.SetHeader(name, std::move(value));
  // Open data: any site may read it; a created request is never cached.
  response.SetHeader("Access-Control-Allow-Origin", "*");
  if (!cacheable) response.SetHeader("Cache-Control", "no-store");
  return response;
}

// The query string as a strict form; on failure `error` holds the 400 to send.
std::optional<Form> Query(const Request& request, Format format, Response& error) {
  auto form = ParseForm(request.query);
  if (!form) {
    error = ToResponse(Open311Service::Error(format, 400, form.error().message), false);
    return std::nullopt;
  }
  return std::move(*form);
}

// A GET route for each format of a fixed resource ("services" -> services.json, .xml).
template <class F>
void GetBoth(http::Router& router, std::string_view resource, F handle) {
  for (Format format : {Format::kJson, Format::kXml}) {
    std::string path =
        std::string(kPrefix) + std::string(resource) + (format == Format::kJson ? ".json" : ".xml");
    router.Get(path,
               [handle, format](Request& request) {
                 Response error;
                 auto query = Query(request, format, error);
                 if (!query) return error;
                 return ToResponse(handle(format, *query), true);
               },
               {.access = http::Access::kPublic});
  }
}

// A GET route for "{collection}/{name}.{fmt}"; an unknown format gets an XML 404.
template <class F>
void GetItem(http::Router& router, std::string_view collection, F handle) {
  router.Get(std::string(kPrefix) + std::string(collection) + "/{file}",
             [handle](Request& request) {
               std::string stem;
               Format format = Format::kXml;
               if (!SplitFormat(request.PathParam("file"), stem, format)) {
                 return ToResponse(
                     Open311Service::Error(Format::kXml, 404, "Add .xml or .json to the resource."),
                     false);
               }
               Response error;
               auto query = Query(request, format, error);
               if (!query) return error;
               return ToResponse(handle(format, stem, *query), true);
             },
             {.access = http::Access::kPublic});
}

// --- staff routes ---

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

Json ClientJson(const Client& c) {
  return Json{
      {"id", c.id},
      {"name", c.name},
      {"contact", c.contact},
      {"key_hint", c.key_hint},
      {"unit_id", c.unit_id},
      {"unit_name", c.unit_name},
      {"active", c.active},
      {"created_by", c.created_by},
      {"version", c.version},
      {"created_at", FormatIso8601(c.created_at)},
      {"updated_at", FormatIso8601(c.updated_at)},
      {"last_used_at", c.last_used_at ? Json(FormatIso8601(*c.last_used_at)) : Json(nullptr)},
  };
}

// The client and its key, shown this once: never cached.
Response KeyResponse(const Result<IssuedKey>& issued, int status) {
  if (!issued) return http::Problem(issued.error());
  Json body = ClientJson(issued->client);
  body["api_key"] = issued->api_key;
  Response response = http::JsonResponse(body, status);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// Reads {"version": n} from a POST body; nullopt with `error` set when it is missing.
std::optional<int64_t> ReadVersion(const Request& request, Response& error) {
  auto body = http::ParseJsonObject(request);
  if (!body) {
    error = http::Problem(body.error());
    return std::nullopt;
  }
  FieldReader reader(*body);
  int64_t version = reader.RequiredInt("version", 1, kMaxId);
  if (!reader.ok()) {
    error = http::Problem(reader.ToError());
    return std::nullopt;
  }
  return version;
}

}  // namespace

void RegisterOpen311Routes(http::Router& router, Open311Service& service) {
  GetBoth(router, "discovery",
          [&service](Format format, const Form&) { return service.Discovery(format); });
  GetBoth(router, "services",
          [&service](Format format, const Form& query) { return service.Services(format, query); });
  GetBoth(router, "requests",
          [&service](Format format, const Form& query) { return service.Requests(format, query); });
  GetItem(router, "services",
          [&service](Format format, const std::string& code, const Form& query) {
            return service.ServiceDefinition(format, code, query);
          });
  GetItem(router, "requests", [&service](Format format, const std::string& id, const Form& query) {
    return service.Request(format, id, query);
  });
  GetItem(router, "tokens", [&service](Format format, const std::string& token, const Form& query) {
    return service.Token(format, token, query);
  });
  for (Format format : {Format::kJson, Format::kXml}) {
    std::string path =
        std::string(kPrefix) + (format == Format::kJson ? "requests.json" : "requests.xml");
    router.Post(path,
                [&service, format](Request& request) {
                  return ToResponse(
                      service.CreateRequest(format, request.Header("content-type"), request.body,
                                            request.Header("idempotency-key")),
                      false);
                },
                {.access = http::Access::kPublic,
                 .max_body_bytes = kMaxOpen311BodyBytes,
                 .csrf_exempt = true});
  }
}

void RegisterOpen311ClientRoutes(http::Router& router, ClientKeyService& service) {
  router.Get("/api/v1/open311-clients", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto page = http::ParsePage(request);
    if (!page) return http::Problem(page.error());
    auto result = service.List(*request.actor, page->Offset(), page->page_size);
    if (!result) return http::Problem(result.error());
    Json items = Json::array();
    for (const auto& client : result->items) items.push_back(ClientJson(client));
    return http::JsonResponse(http::PageJson(std::move(items), result->total, *page));
  });

  router.Post("/api/v1/open311-clients", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    NewClient input;
    input.name = reader.RequiredString("name", 100);
    input.contact = reader.OptionalString("contact", 200).value_or("");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return KeyResponse(service.Create(*request.actor, input), 201);
  });

  router.Post("/api/v1/open311-clients/{id}/deactivate", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    Response error;
    auto version = ReadVersion(request, error);
    if (!version) return error;
    auto result = service.Deactivate(*request.actor, *id, *version);
    if (!result) return http::Problem(result.error());
    return http::JsonResponse(ClientJson(*result));
  });

  router.Post("/api/v1/open311-clients/{id}/rotate", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    Response error;
    auto version = ReadVersion(request, error);
    if (!version) return error;
    return KeyResponse(service.Rotate(*request.actor, *id, *version), 200);
  });
}

}  // namespace lianxin::open311
