// The HTTP routes of the Public (portal) and Org sections of the API contract.
#pragma once

#include "http/api.h"
#include "org/org_service.h"

namespace lianxin::org {

// Maximum body of the CSV import routes.
inline constexpr size_t kMaxImportBodyBytes = 5 * 1024 * 1024;

// Registers the signed-in routes /api/v1/units*, /api/v1/officers*,
// /api/v1/channel-accounts* and /api/v1/import/{units,officers}. `service` must outlive
// `router`. Access decisions are the service's (AccessPolicy); the routes validate input
// (422 with errors[]), map unknown or malformed ids to 404 and never show a full officer
// phone except through reveal-phone.
void RegisterOrgRoutes(http::Router& router, OrgService& service);

// Registers the public portal routes /api/v1/public/{districts,bureau,units/{id}/stations,
// beats,accounts}: active units and accounts only, never an officer's phone.
void RegisterPublicOrgRoutes(http::Router& router, OrgService& service);

}  // namespace lianxin::org
