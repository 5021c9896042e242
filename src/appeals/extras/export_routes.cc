#include "appeals/extras/export_routes.h"

#include "appeals/calendar.h"
#include "core/text.h"
#include "core/time.h"

namespace lianxin::appeals {
namespace {

using http::Request;
using http::Response;

constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

void RegisterAppealExportRoutes(http::Router& router, AppealExporter& exporter) {
  router.Get("/api/v1/appeals/export", [&exporter](Request& request) -> Response {
    if (!request.actor) {
      return http::Problem(Error{ErrorCode::kUnauthenticated, "Not signed in.", {}});
    }
    Error invalid;
    auto filter = ParseAppealFilterQuery(request, &invalid);
    if (!filter) return http::Problem(invalid);
    auto exported = exporter.Export(*request.actor, *filter);
    if (!exported) return http::Problem(exported.error());
    std::string ymd = std::to_string(LocalYmd(exported->generated_at));
    Response response{200, {}, std::move(exported->bytes)};
    response.SetHeader("Content-Type", std::string(kXlsxType));
    response.SetHeader("Content-Disposition", "attachment; filename=\"appeals-" + ymd +
                                                  ".xlsx\"; filename*=UTF-8''" +
                                                  PercentEncode("诉求导出-" + ymd + ".xlsx"));
    response.SetHeader("Cache-Control", "no-store");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("X-Export-Rows", std::to_string(exported->rows));
    response.SetHeader("X-Export-Total", std::to_string(exported->total));
    response.SetHeader("X-Export-Truncated", exported->truncated ? "true" : "false");
    return response;
  });
}

}  // namespace lianxin::appeals
