// The Boost-free steps of serving a request: running a route with its access checks, and
// the headers and identifiers every response carries. server.cc does the I/O around them.
#pragma once

#include <string>
#include <string_view>

#include "http/api.h"

namespace lianxin::http {

// True for paths whose errors are problem+json and that never fall back to index.html:
// /api/, /open311/, /channels/ and the health and metrics endpoints.
bool IsApiPath(std::string_view path);

// True for POST, PUT, PATCH and DELETE.
bool IsStateChanging(Method method);

// Adds CSP, nosniff, Referrer-Policy, X-Frame-Options, and HSTS when `behind_tls`.
void AddSecurityHeaders(Response& response, bool behind_tls);

// `incoming` when it is 1..64 characters of [A-Za-z0-9._-], else a fresh random id.
std::string RequestIdFor(std::string_view incoming);

// The client's address: the first X-Forwarded-For entry when `trust_forwarded_for` and it
// looks like an IP address, else `peer_ip`.
std::string ClientIpFor(std::string_view peer_ip, std::string_view forwarded_for,
                        bool trust_forwarded_for);

struct OriginPolicy {
  bool behind_tls = false;
  std::string public_url;  // "" when not configured
};

// True when `origin` is the request's own origin (scheme from `policy.behind_tls`, the Host
// header) or the configured public URL.
bool OriginAllowed(const Request& request, std::string_view origin, const OriginPolicy& policy);

// Authenticates `request` (sets request.actor), enforces the route's access (401), CSRF token
// and Origin for state-changing signed-in requests (403), then runs the handler. Exceptions
// from the authenticator or handler become a 500 problem without detail (logged).
Response RunRoute(const Route& route, Request& request, Authenticator* authenticator,
                  const OriginPolicy& policy);

}  // namespace lianxin::http
