// libFuzzer target for the HTTP input parsers: query strings and percent-decoding, paths
// through the router, and JSON request bodies. Also linked into http_test, which runs it
// over a seed corpus of hostile inputs on every test run.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/api.h"
#include "http/json.h"

namespace {

// Aborts (a crash libFuzzer reports) when an invariant does not hold.
void Check(bool condition) {
  if (!condition) std::abort();
}

const lianxin::http::Router& FuzzRouter() {
  static const lianxin::http::Router* router = [] {
    auto* r = new lianxin::http::Router();
    auto ok = [](lianxin::http::Request&) { return lianxin::http::Response{}; };
    r->Get("/api/v1/units", ok);
    r->Get("/api/v1/units/{id}", ok);
    r->Get("/api/v1/units/tree", ok);
    r->Post("/api/v1/units/{id}/move", ok);
    r->Get("/api/v1/{kind}/{id}/children", ok);
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lianxin::http;
  using lianxin::Result;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  // Percent-decoding never grows its input; strict decoding fails or agrees with lenient.
  for (bool plus : {false, true}) {
    std::optional<std::string> strict = PercentDecode(input, plus);
    std::string lenient = LenientPercentDecode(input, plus);
    Check(lenient.size() <= input.size());
    if (strict) Check(*strict == lenient);
  }

  // Query parameters: any input is a query string.
  Request request;
  request.query = std::string(input);
  for (std::string_view name : {"q", "page", "page_size", ""}) {
    std::optional<std::string> value = request.QueryParam(name);
    if (value) Check(value->size() <= input.size());
  }
  Result<PageRequest> page = ParsePage(request);
  if (page) {
    Check(page->page >= 1 && page->page_size >= 1 && page->page_size <= 100);
    Check(page->Offset() >= 0);
  } else {
    Check(page.error().code == lianxin::ErrorCode::kInvalidArgument);
  }

  // Paths through the router: a match always names its route's parameters.
  Router::Match match = FuzzRouter().Find(Method::kGet, input);
  if (match.route != nullptr) {
    for (const auto& [name, value] : match.params) Check(!value.empty());
  }

  // JSON bodies.
  Request json_request;
  json_request.method = Method::kPost;
  json_request.headers.emplace_back("content-type", "application/json; charset=utf-8");
  json_request.body = std::string(input);
  Result<Json> parsed = ParseJsonObject(json_request);
  if (parsed) {
    Check(parsed->is_object());
    FieldReader reader(*parsed);
    reader.OptionalString("name", 100);
    reader.OptionalInt("version", 0, INT64_MAX);
    reader.OptionalBool("active");
    JsonResponse(*parsed);
  } else {
    Check(parsed.error().code == lianxin::ErrorCode::kMalformed);
    Response problem = Problem(parsed.error());
    Check(problem.status == 400);
  }
  return 0;
}
