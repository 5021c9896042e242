// Errors as values: every fallible operation returns Result<T>.
#pragma once

#include <expected>
#include <string>
#include <utility>
#include <vector>

namespace lianxin {

// What went wrong, in terms the HTTP layer maps to a status in exactly one place
// (http/problem.cc). Domain code chooses the code; it never chooses a status.
enum class ErrorCode {
  kInvalidArgument,   // 422: well-formed request, invalid values (see Error::fields)
  kMalformed,         // 400: the request could not be parsed
  kUnsupportedMedia,  // 415
  kTooLarge,          // 413
  kNotFound,          // 404
  kConflict,          // 409: duplicate, or an illegal state change
  kStaleVersion,      // 412: optimistic concurrency check failed
  kPermissionDenied,  // 403
  kUnauthenticated,   // 401
  kTooManyRequests,   // 429
  kUnavailable,       // 503
  kInternal,          // 500
};

// One invalid field of a request, named as the client sent it ("unit_id", "officers[2].name").
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message), {}});
}

inline std::unexpected<Error> InvalidFields(std::vector<FieldError> fields) {
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", std::move(fields)});
}

// Short English name of a code, for logs and problem titles.
const char* ErrorCodeName(ErrorCode code);

}  // namespace lianxin
