// The HTTP routes of attachments: upload (public for the citizen's submit form, signed-in
// for staff) and download (signed-in, or public with the upload's token).
#pragma once

#include "appeals/attachments/attachment_service.h"
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
//       e.g. verification photos; 201 {id, width, height}. created_by is the account.
//   GET  /api/v1/attachments/{id}          kSignedIn (the appeals policy may narrow it later).
// Downloads answer image/jpeg with Content-Disposition inline, an ETag (the SHA-256),
// Cache-Control private and X-Content-Type-Options nosniff.
void RegisterAttachmentRoutes(http::Router& router, AttachmentService& service);

}  // namespace lianxin::attachments
