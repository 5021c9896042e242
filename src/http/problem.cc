// The one mapping from ErrorCode to HTTP status, and RFC 9457 problem+json bodies.
#include <nlohmann/json.hpp>

#include "http/api.h"

namespace lianxin::http {
namespace {

std::string_view StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// A lianxin URN for problems a client acts on specifically; "about:blank" otherwise.
std::string_view ProblemType(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "urn:lianxin:problem:invalid-fields";
    case ErrorCode::kStaleVersion:
      return "urn:lianxin:problem:stale-version";
    case ErrorCode::kConflict:
      return "urn:lianxin:problem:conflict";
    default:
      return "about:blank";
  }
}

Response ProblemResponse(int status, std::string_view type, std::string_view title,
                         std::string_view detail, const std::vector<FieldError>* fields) {
  nlohmann::json body = {{"type", type}, {"title", title}, {"status", status}, {"detail", detail}};
  if (fields != nullptr && !fields->empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const FieldError& field : *fields) {
      errors.push_back({{"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(errors);
  }
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "application/problem+json");
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

int MapErrorCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kMalformed:
      return 400;
    case ErrorCode::kUnsupportedMedia:
      return 415;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kStaleVersion:
      return 412;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(const Error& error) {
  int status = MapErrorCode(error.code);
  // Internal errors may carry database or system detail: never send it to the client.
  std::string_view detail = error.message;
  if (error.code == ErrorCode::kInternal) detail = "An internal error occurred.";
  return ProblemResponse(status, ProblemType(error.code), StatusTitle(status), detail,
                         &error.fields);
}

Response Problem(int status, std::string_view title, std::string_view detail) {
  return ProblemResponse(status, "about:blank", title.empty() ? StatusTitle(status) : title, detail,
                         nullptr);
}

}  // namespace lianxin::http
