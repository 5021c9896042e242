#include "appeals/extras/export_routes.h"

#include <charconv>

#include "appeals/calendar.h"
#include "core/text.h"
#include "core/time.h"

namespace lianxin::appeals {
namespace {

using http::Request;
using http::Response;

constexpr size_t kMaxQueryChars = 100;  // as routes.cc
constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The query reader of routes.cc (kept in step by hand: that one is file-local).
class QueryReader {
 public:
  explicit QueryReader(const Request& request) : request_(request) {}

  std::optional<int64_t> Id(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty()) return std::nullopt;
    int64_t value = 0;
    auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
    if (raw->size() > 19 || ec != std::errc() || ptr != raw->data() + raw->size() || value <= 0) {
      Fail(name, "must be a positive integer");
      return std::nullopt;
    }
    return value;
  }
  std::optional<std::string> Text(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw) return std::nullopt;
    std::string text(Trim(*raw));
    if (text.empty()) return std::nullopt;
    if (!IsValidUtf8(text) || Utf8Length(text) > kMaxQueryChars) {
      Fail(name, "must be text of at most " + std::to_string(kMaxQueryChars) + " characters");
      return std::nullopt;
    }
    return text;
  }
  bool Flag(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty() || *raw == "false" || *raw == "0") return false;
    if (*raw == "true" || *raw == "1") return true;
    Fail(name, "must be true or false");
    return false;
  }
  std::optional<int64_t> Time(std::string_view name) {
    auto raw = Text(name);
    if (!raw) return std::nullopt;
    auto t = ParseIso8601(*raw);
    if (!t) Fail(name, "must be an ISO 8601 time or date");
    return t ? std::optional<int64_t>(*t) : std::nullopt;
  }
  template <class E>
  std::optional<E> Enum(std::string_view name, bool (*parse)(std::string_view, E&)) {
    auto raw = Text(name);
    if (!raw) return std::nullopt;
    E value{};
    if (!parse(*raw, value)) {
      Fail(name, "is not a known value");
      return std::nullopt;
    }
    return value;
  }
  void Fail(std::string_view name, std::string message) {
    errors_.push_back({std::string(name), std::move(message)});
  }
  bool ok() const { return errors_.empty(); }
  Error ToError() const {
    return Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors_};
  }

 private:
  const Request& request_;
  std::vector<FieldError> errors_;
};

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

std::optional<AppealFilter> ParseAppealFilterQuery(const Request& request, Error* error) {
  QueryReader query(request);
  AppealFilter filter;
  if (auto states = query.Text("state")) {
    for (auto part : Split(*states, ',')) {
      AppealState s{};
      if (!ParseState(Trim(part), s)) {
        query.Fail("state", "is not a list of states");
        break;
      }
      filter.states.push_back(s);
    }
  }
  filter.kind = query.Enum<AppealKind>("kind", &ParseKind);
  filter.category = query.Text("category");
  filter.channel = query.Enum<Channel>("channel", &ParseChannel);
  filter.unit_id = query.Id("unit_id");
  filter.overdue = query.Flag("overdue");
  filter.warning = query.Flag("warning");
  filter.escalated = query.Flag("escalated");
  filter.from_millis = query.Time("from");
  filter.to_millis = query.Time("to");
  filter.q = query.Text("q");
  if (auto sort = query.Enum<SortOrder>("sort", &ParseSortOrder)) filter.sort = *sort;
  if (!query.ok()) {
    if (error != nullptr) *error = query.ToError();
    return std::nullopt;
  }
  return filter;
}

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
