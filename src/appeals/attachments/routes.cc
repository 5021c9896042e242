#include "appeals/attachments/routes.h"

#include <charconv>
#include <string>

#include "core/text.h"
#include "http/json.h"

namespace lianxin::attachments {
namespace {

using http::Json;
using http::Request;
using http::Response;

constexpr std::string_view kPublicPrefix = "/api/v1/public/attachments/";

Response NotFound() { return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}}); }

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// 415 unless the body is declared as an image; the content itself is checked by the service.
std::optional<Response> RequireImageType(const Request& request) {
  std::string type = ToLowerAscii(Trim(request.Header("content-type")));
  if (!type.starts_with("image/")) {
    return http::Problem(Error{ErrorCode::kUnsupportedMedia,
                               "Send the image as the request body with Content-Type image/*.",
                               {}});
  }
  return std::nullopt;
}

Response ImageResponse(const StoredImage& image, std::string_view cache_control) {
  Response response;
  response.status = 200;
  response.SetHeader("Content-Type", "image/jpeg");
  response.SetHeader("Content-Disposition",
                     "inline; filename=\"" + std::to_string(image.info.id) + ".jpg\"");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Cache-Control", std::string(cache_control));
  response.SetHeader("ETag", "\"" + image.info.sha256 + "\"");
  response.body = image.jpeg;
  return response;
}

Response Download(const Request& request, AttachmentService& service,
                  std::string_view cache_control) {
  auto id = ParseId(request.PathParam("id"));
  if (!id) return NotFound();
  auto image = service.Load(*id);
  if (!image) return http::Problem(image.error());
  if (request.Header("if-none-match") == "\"" + image->info.sha256 + "\"") {
    Response response;
    response.status = 304;
    response.SetHeader("ETag", "\"" + image->info.sha256 + "\"");
    response.SetHeader("Cache-Control", std::string(cache_control));
    return response;
  }
  return ImageResponse(*image, cache_control);
}

Json InfoJson(const AttachmentInfo& info) {
  return Json{{"id", info.id}, {"width", info.width}, {"height", info.height}};
}

}  // namespace

void RegisterAttachmentRoutes(http::Router& router, AttachmentService& service,
                              AttachmentAccess access) {
  http::RouteOptions public_upload{.access = http::Access::kPublic,
                                   .max_body_bytes = kUploadBodyLimit};
  router.Post(
      "/api/v1/public/attachments",
      [&service](Request& request) {
        if (auto refused = RequireImageType(request)) return *refused;
        auto info = service.Store(request.body, Owner{OwnerKind::kAppeal, std::nullopt, 0});
        if (!info) return http::Problem(info.error());
        Json body = InfoJson(*info);
        std::string token = service.TokenFor(info->id);
        body["token"] = token;
        body["url"] = std::string(kPublicPrefix) + std::to_string(info->id) + "?token=" + token;
        return http::JsonResponse(body, 201);
      },
      public_upload);

  router.Get("/api/v1/public/attachments/{id}",
             [&service](Request& request) {
               auto id = ParseId(request.PathParam("id"));
               auto token = request.QueryParam("token");
               // An unknown id and a wrong token look the same.
               if (!id || !token || !service.CheckToken(*id, *token)) return NotFound();
               return Download(request, service, "private, max-age=3600");
             },
             {.access = http::Access::kPublic});

  router.Post("/api/v1/attachments",
              [&service, access](Request& request) {
                if (!request.actor) return http::Problem(401, "Unauthorized", "Sign in.");
                if (auto allowed = access.can_upload(*request.actor); !allowed) {
                  return http::Problem(allowed.error());
                }
                if (auto refused = RequireImageType(request)) return *refused;
                OwnerKind kind = OwnerKind::kVerification;
                if (auto raw = request.QueryParam("kind")) {
                  if (*raw == "appeal") {
                    kind = OwnerKind::kAppeal;
                  } else if (*raw != "verification") {
                    return http::Problem(
                        InvalidFields({{"kind", "must be appeal or verification"}}).error());
                  }
                }
                int64_t account = request.actor ? request.actor->account_id : 0;
                auto info = service.Store(request.body, Owner{kind, std::nullopt, account});
                if (!info) return http::Problem(info.error());
                return http::JsonResponse(InfoJson(*info), 201);
              },
              {.access = http::Access::kSignedIn, .max_body_bytes = kUploadBodyLimit});

  router.Get("/api/v1/attachments/{id}",
             [&service, access](Request& request) {
               if (!request.actor) return http::Problem(401, "Unauthorized", "Sign in.");
               auto id = ParseId(request.PathParam("id"));
               if (!id) return NotFound();
               auto info = service.Info(*id);
               if (!info)
                 return info.error().code == ErrorCode::kNotFound ? NotFound()
                                                                  : http::Problem(info.error());
               if (info->appeal_id) {
                 if (auto allowed = access.can_read_appeal(*request.actor, *info->appeal_id);
                     !allowed) {
                   return http::Problem(allowed.error());
                 }
               } else if (info->created_by == 0 || info->created_by != request.actor->account_id) {
                 return NotFound();  // an upload not yet attached is its uploader's alone
               }
               return Download(request, service, "private, max-age=86400");
             },
             {.access = http::Access::kSignedIn});
}

}  // namespace lianxin::attachments
