// The HTTP routes of the Auth, Staff accounts and Audit sections of the API.
#pragma once

#include "auth/access_policy.h"
#include "auth/account_service.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "core/config.h"
#include "http/api.h"

namespace lianxin::auth {

// Registers /api/v1/auth/*, /api/v1/accounts* and /api/v1/audit*. The services and
// `config` must outlive `router`. Login is public, CSRF-exempt and takes at most 4 KiB.
void RegisterAuthRoutes(http::Router& router, AuthService& auth, AccountService& accounts,
                        AuditLog& audit, AccessPolicy& policy, const Config& config);

}  // namespace lianxin::auth
