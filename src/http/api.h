// The HTTP types that route handlers see. Boost-free: domain modules' routes.cc include
// this header only; the Beast server in this folder adapts its messages to these.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/actor.h"
#include "core/error.h"

namespace lianxin::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };
std::string_view MethodName(Method method);
// Returns false for a method the router does not serve.
bool ParseMethod(std::string_view name, Method& method);

// Decodes %XX escapes (and '+' as a space when `plus_is_space`); nullopt when a '%' is not
// followed by two hex digits. The result may contain any byte, including NUL.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
// Like PercentDecode, but a malformed escape is kept literally ("%zz" stays "%zz").
std::string LenientPercentDecode(std::string_view text, bool plus_is_space);

struct Request {
  Method method = Method::kGet;
  std::string path;   // decoded path, no query ("/api/v1/units/12")
  std::string query;  // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string, std::less<>> path_params;  // {id} -> "12"
  std::string client_ip;
  std::string request_id;
  std::optional<Actor> actor;  // set when the request carries a valid session

  // The first header named `name` (lower-case), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // The first query parameter named `name`, decoded ('+' is a space; a malformed %-escape is
  // kept literally), or nullopt when absent. "?a" and "?a=" both give "".
  std::optional<std::string> QueryParam(std::string_view name) const;
  // The path parameter captured by {name} in the route pattern, or "" when absent.
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces the header named `name` (case-insensitive) or appends it.
  void SetHeader(std::string name, std::string value);
  // The header named `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

// 200/201 JSON response with a body already serialised.
Response JsonText(int status, std::string body);
// RFC 9457 application/problem+json for `error`; the status comes from MapErrorCode.
Response Problem(const Error& error);
Response Problem(int status, std::string_view title, std::string_view detail);
// The one mapping from ErrorCode to HTTP status.
int MapErrorCode(ErrorCode code);

using Handler = std::function<Response(Request&)>;

enum class Access {
  kPublic,    // anyone; no session needed
  kSignedIn,  // a valid session; state-changing methods also need the CSRF token and Origin
};

struct RouteOptions {
  Access access = Access::kSignedIn;
  // Largest accepted body; 0 takes the server's default.
  size_t max_body_bytes = 0;
  // Exempt from CSRF (e.g. sign-in itself, machine-to-machine endpoints with their own auth).
  bool csrf_exempt = false;
};

struct Route {
  Method method;
  std::string pattern;  // "/api/v1/units/{id}"
  Handler handler;
  RouteOptions options;
};

// Method + pattern table with {name} path parameters. Patterns match whole segments;
// a literal segment wins over a parameter when both match (compared left to right). A
// parameter never matches an empty segment, and a trailing slash is significant:
// "/api/v1/units/" does not match "/api/v1/units". GET routes also answer HEAD.
class Router {
 public:
  void Add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  void Get(std::string pattern, Handler handler, RouteOptions options = {}) {
    Add(Method::kGet, std::move(pattern), std::move(handler), options);
  }
  void Post(std::string pattern, Handler handler, RouteOptions options = {}) {
    Add(Method::kPost, std::move(pattern), std::move(handler), options);
  }
  void Put(std::string pattern, Handler handler, RouteOptions options = {}) {
    Add(Method::kPut, std::move(pattern), std::move(handler), options);
  }
  void Patch(std::string pattern, Handler handler, RouteOptions options = {}) {
    Add(Method::kPatch, std::move(pattern), std::move(handler), options);
  }
  void Delete(std::string pattern, Handler handler, RouteOptions options = {}) {
    Add(Method::kDelete, std::move(pattern), std::move(handler), options);
  }

  struct Match {
    const Route* route = nullptr;  // null when nothing matched
    std::map<std::string, std::string, std::less<>> params;
    // Methods that would have matched the path, sorted, HEAD included when GET is: non-empty
    // with route == null means 405.
    std::vector<Method> allowed;
  };
  // The best route for `method` and the (decoded) `path`, with its parameters.
  Match Find(Method method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Resolves sessions for the server. Implemented by auth; the server calls it for every
// /api request before the handler, and for signed-in routes checks the CSRF token.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The actor of the request's session cookie, or nullopt (no cookie, expired, revoked).
  // May refresh the session's idle timer.
  virtual std::optional<Actor> Authenticate(const Request& request) = 0;
  // True when the request carries the session's CSRF token (X-CSRF-Token header).
  virtual bool CheckCsrf(const Request& request, const Actor& actor) = 0;
  // Called when the server itself denies a routed request (401 without a session on a
  // signed-in route, 403 for a missing CSRF token or a foreign Origin), so it can be audited.
  // `request.actor` is set when the request had a session. The default does nothing.
  virtual void OnDenied(const Request& request, int status, std::string_view reason) {
    (void)request;
    (void)status;
    (void)reason;
  }
};

}  // namespace lianxin::http
