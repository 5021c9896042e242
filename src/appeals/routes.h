// The HTTP routes of the appeals: the staff inbox and workflow, configuration, notifications
// and metrics (signed in), and the public portal's submit / track / rate / reopen / wall.
#pragma once

#include <optional>

#include "appeals/appeal_service.h"
#include "appeals/metrics.h"
#include "http/api.h"

namespace lianxin::appeals {

// Registers the signed-in routes /api/v1/appeals*, /api/v1/appeal-views*,
// /api/v1/reply-templates*, /api/v1/appeal-categories*, /api/v1/appeal-calendar*,
// /api/v1/appeal-deadlines*, /api/v1/notifications* and /api/v1/appeal-metrics. Both
// services must outlive `router`. Access decisions are the services' (AccessPolicy); the
// routes validate input (422 with errors[]), map unknown or malformed ids to 404 and never
// show full personal data except through reveal-contact (Cache-Control: no-store).
// Reads the inbox list's filters from the query (state as a comma-separated list, kind,
// category, channel, unit_id, overdue, warning, escalated, from, to, q, sort; page and
// page_size are ignored): nullopt with `error` set to a 422 naming each bad parameter. The
// Excel export uses it, so the two accept exactly the same filters.
std::optional<AppealFilter> ParseAppealFilterQuery(const http::Request& request, Error* error);

void RegisterAppealRoutes(http::Router& router, AppealService& service, AppealMetrics& metrics);

// Registers the public routes /api/v1/public/appeals* (submit with an optional
// Idempotency-Key header, similar, track, rate, reopen), /api/v1/public/wall and
// /api/v1/public/appeal-categories. No personal data leaves through them.
void RegisterPublicAppealRoutes(http::Router& router, AppealService& service);

}  // namespace lianxin::appeals
