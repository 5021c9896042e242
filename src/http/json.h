// JSON request and response helpers for route handlers (nlohmann::json). Include only in
// routes.cc files: nlohmann is heavy.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api.h"

namespace lianxin::http {

using Json = nlohmann::json;

// Parses a JSON object body: 415 unless Content-Type is application/json, 400 for invalid
// UTF-8, malformed JSON or a non-object (as Error codes kUnsupportedMedia / kMalformed).
Result<Json> ParseJsonObject(const Request& request);

Response JsonResponse(const Json& body, int status = 200);

// Collects field errors while reading a JSON object; errors() becomes a 422.
class FieldReader {
 public:
  explicit FieldReader(const Json& object) : object_(object) {}
  // A required string of 1..max_chars code points after trimming.
  std::string RequiredString(std::string_view field, size_t max_chars);
  // An optional string (absent or null -> nullopt), at most max_chars code points.
  std::optional<std::string> OptionalString(std::string_view field, size_t max_chars);
  std::optional<int64_t> OptionalInt(std::string_view field, int64_t min, int64_t max);
  int64_t RequiredInt(std::string_view field, int64_t min, int64_t max);
  std::optional<bool> OptionalBool(std::string_view field);
  void Fail(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
  }
  bool ok() const { return errors_.empty(); }
  const std::vector<FieldError>& errors() const { return errors_; }
  // kInvalidArgument with every collected field error.
  Error ToError() const {
    return Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors_};
  }

 private:
  const Json& object_;
  std::vector<FieldError> errors_;
};

struct PageRequest {
  int64_t page = 1;        // 1-based
  int64_t page_size = 20;  // 1..100
  int64_t Offset() const { return (page - 1) * page_size; }
};
// Reads ?page=&page_size=; kInvalidArgument naming the parameter when out of range.
Result<PageRequest> ParsePage(const Request& request);
// {"items": items, "total": total, "page": p, "page_size": s}
Json PageJson(Json items, int64_t total, const PageRequest& page);

}  // namespace lianxin::http
