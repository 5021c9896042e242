// The HTTP routes of attachments: upload (public for the citizen's submit form, signed-in
// for staff) and download (signed-in, or public with the upload's token).
#pragma once

#include <functional>

#include "appeals/attachments/attachment_service.h"
#include "core/actor.h"
#include "core/error.h"
#include "http/api.h"

namespace lianxin::attachments {

// Body limit of the upload routes: the 5 MiB image plus headroom so the service, not the
// server, answers a slightly larger file (with a 413 naming the limit).
inline constexpr size_t kUploadBodyLimit = kMaxUploadBytes + 64 * 1024;

// Registers, with `service` outliving `router`:
//   POST /api/v1/public/attachments        kPublic. Raw image body (not multipart) with
//       Content-Type image/* (415 otherwise); 201 {id, width, height, token, url} where url
//       is the public download path with the token. Owner: an appeal not yet created.
//   GET  /api/v1/public/attachments/{id}?token=   kPublic; 404 unless the token fits the id.
//   POST /api/v1/attachments?kind=appeal|verification   kSignedIn (CSRF): staff uploads,
//       e.g. verification photos, by those `access.can_upload` allows; 201 {id, width,
//       height}. created_by is the account.
//   GET  /api/v1/attachments/{id}          kSignedIn: a photo of an appeal for those who may
//       read that appeal (`access.can_read_appeal`); an unattached upload for its uploader
//       only (404 for anyone else, so ids cannot be probed).
// Downloads answer image/jpeg with Content-Disposition inline, an ETag (the SHA-256),
// Cache-Control private and X-Content-Type-Options nosniff.
struct AttachmentAccess {
  // Ok when `actor` may read appeal `appeal_id`; else the error to answer (403, 404). The
  // app passes the appeals service's own check, which also audits a denial.
  std::function<Status(const Actor& actor, int64_t appeal_id)> can_read_appeal;
  // Ok when `actor` may upload photos for appeals (handles them).
  std::function<Status(const Actor& actor)> can_upload;
};
void RegisterAttachmentRoutes(http::Router& router, AttachmentService& service,
                              AttachmentAccess access);

}  // namespace lianxin::attachments
