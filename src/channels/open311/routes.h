// The HTTP routes of Open311 GeoReport v2 (/open311/v2/*) and of the staff pages that manage
// its client applications (/api/v1/open311-clients*).
#pragma once

#include <cstddef>

#include "channels/open311/clients.h"
#include "channels/open311/open311.h"
#include "http/api.h"

namespace lianxin::open311 {

// Largest body of POST /open311/v2/requests.{fmt}.
inline constexpr size_t kMaxOpen311BodyBytes = 64 * 1024;

// Registers the public protocol routes (kPublic, csrf_exempt: clients authenticate by
// api_key) under /open311/v2/: discovery, services, services/{code}, requests (GET, POST),
// requests/{id} and tokens/{token}, each as .json and .xml. `service` must outlive `router`.
void RegisterOpen311Routes(http::Router& router, Open311Service& service);

// Registers the signed-in staff routes: GET /api/v1/open311-clients (paged), POST
// /api/v1/open311-clients (returns the key once), POST /api/v1/open311-clients/{id}/deactivate
// and POST /api/v1/open311-clients/{id}/rotate (both with {"version"}). Access decisions
// are the service's (kChannelWrite). `service` must outlive `router`.
void RegisterOpen311ClientRoutes(http::Router& router, ClientKeyService& service);

}  // namespace lianxin::open311
