#include "http/json.h"

#include <charconv>
#include <string>

#include "core/text.h"

namespace lianxin::http {
namespace {

// Deeper documents are rejected: hostile input should not make us build huge nested trees.
constexpr int kMaxJsonDepth = 64;
constexpr int64_t kMaxPage = 1'000'000'000;
constexpr int64_t kMaxPageSize = 100;

bool IsJsonContentType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  return ToLowerAscii(Trim(media)) == "application/json";
}

const Json* FindField(const Json& object, std::string_view field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string TooLongMessage(size_t max_chars) {
  return "must be at most " + std::to_string(max_chars) + " characters";
}

std::string RangeMessage(int64_t min, int64_t max) {
  return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

// Reads an integer query parameter in [min, max]; nullopt when absent.
std::optional<int64_t> ReadIntParam(const Request& request, std::string_view name, int64_t fallback,
                                    int64_t min, int64_t max, std::vector<FieldError>& errors) {
  std::optional<std::string> raw = request.QueryParam(name);
  if (!raw) return fallback;
  int64_t value = 0;
  const char* begin = raw->data();
  const char* end = begin + raw->size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (raw->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    errors.push_back({std::string(name), RangeMessage(min, max)});
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<Json> ParseJsonObject(const Request& request) {
  if (!IsJsonContentType(request.Header("content-type"))) {
    return MakeError(ErrorCode::kUnsupportedMedia, "Content-Type must be application/json.");
  }
  if (!IsValidUtf8(request.body)) {
    return MakeError(ErrorCode::kMalformed, "The request body is not valid UTF-8.");
  }
  bool too_deep = false;
  // Returning false discards the value, so nothing deeper than the limit is ever built.
  // `depth` counts enclosing containers from 0, so a start at depth 64 is the 65th level.
  // Returning false discards the value, so nothing deeper than the limit is ever built.
  Json::parser_callback_t limit_depth = [&too_deep](int depth, Json::parse_event_t event, Json&) {
    bool opens =
        event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if (opens && depth >= kMaxJsonDepth) {
      too_deep = true;
      return false;
    }
    return true;
  };
  Json parsed;
  try {
    parsed = Json::parse(request.body, limit_depth, /*allow_exceptions=*/true,
                         /*ignore_comments=*/false);
  } catch (const Json::parse_error& error) {
    return MakeError(ErrorCode::kMalformed,
                     "Malformed JSON at byte " + std::to_string(error.byte) + ".");
  } catch (const std::exception&) {
    return MakeError(ErrorCode::kMalformed, "Malformed JSON.");
  }
  if (too_deep) {
    return MakeError(ErrorCode::kMalformed,
                     "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels.");
  }
  if (!parsed.is_object()) {
    return MakeError(ErrorCode::kMalformed, "The request body must be a JSON object.");
  }
  return parsed;
}

Response JsonResponse(const Json& body, int status) {
  return JsonText(status, body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string FieldReader::RequiredString(std::string_view field, size_t max_chars) {
  const Json* value = FindField(object_, field);
  if (value == nullptr) {
    Fail(std::string(field), "is required");
    return {};
  }
  if (!value->is_string()) {
    Fail(std::string(field), "must be a string");
    return {};
  }
  std::string text(Trim(value->get_ref<const std::string&>()));
  if (text.empty()) {
    Fail(std::string(field), "is required");
    return {};
  }
  if (Utf8Length(text) > max_chars) {
    Fail(std::string(field), TooLongMessage(max_chars));
    return {};
  }
  return text;
}

std::optional<std::string> FieldReader::OptionalString(std::string_view field, size_t max_chars) {
  const Json* value = FindField(object_, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Fail(std::string(field), "must be a string");
    return std::nullopt;
  }
  std::string text(Trim(value->get_ref<const std::string&>()));
  if (Utf8Length(text) > max_chars) {
    Fail(std::string(field), TooLongMessage(max_chars));
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> FieldReader::OptionalInt(std::string_view field, int64_t min, int64_t max) {
  const Json* value = FindField(object_, field);
  if (value == nullptr) return std::nullopt;
  int64_t number = 0;
  if (value->is_number_integer()) {
    if (value->is_number_unsigned()) {
      uint64_t unsigned_number = value->get<uint64_t>();
      if (unsigned_number > static_cast<uint64_t>(INT64_MAX)) {
        Fail(std::string(field), RangeMessage(min, max));
        return std::nullopt;
      }
      number = static_cast<int64_t>(unsigned_number);
    } else {
      number = value->get<int64_t>();
    }
  } else {
    Fail(std::string(field), "must be an integer");
    return std::nullopt;
  }
  if (number < min || number > max) {
    Fail(std::string(field), RangeMessage(min, max));
    return std::nullopt;
  }
  return number;
}

int64_t FieldReader::RequiredInt(std::string_view field, int64_t min, int64_t max) {
  if (FindField(object_, field) == nullptr) {
    Fail(std::string(field), "is required");
    return 0;
  }
  return OptionalInt(field, min, max).value_or(0);
}

std::optional<bool> FieldReader::OptionalBool(std::string_view field) {
  const Json* value = FindField(object_, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    Fail(std::string(field), "must be true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

Result<PageRequest> ParsePage(const Request& request) {
  std::vector<FieldError> errors;
  PageRequest page_request;
  auto page = ReadIntParam(request, "page", 1, 1, kMaxPage, errors);
  auto page_size = ReadIntParam(request, "page_size", 20, 1, kMaxPageSize, errors);
  if (!errors.empty()) return InvalidFields(std::move(errors));
  page_request.page = *page;
  page_request.page_size = *page_size;
  return page_request;
}

Json PageJson(Json items, int64_t total, const PageRequest& page) {
  return Json{{"items", std::move(items)},
              {"total", total},
              {"page", page.page},
              {"page_size", page.page_size}};
}

}  // namespace lianxin::http
