// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) over the appeals intake: discovery,
// services (one per appeal kind x active category), service definitions, POST requests (API
// key per client application), GET requests, GET requests/{id} and GET tokens/{token}, in
// XML and JSON, with the spec's error bodies and status codes. HTTP-free: routes.cc adapts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "appeals/intake.h"
#include "channels/open311/clients.h"
#include "channels/open311/form.h"
#include "core/clock.h"

namespace lianxin::open311 {

enum class Format { kXml, kJson };

// Splits "services.json" into ("services", kJson); false when the extension is neither
// "xml" nor "json" (or missing).
bool SplitFormat(std::string_view file, std::string& stem, Format& format);

struct Open311Options {
  // The one jurisdiction this endpoint serves: requests naming another get 404; omitting it
  // is allowed (the spec makes it optional for single-jurisdiction endpoints).
  std::string jurisdiction_id = "cq.gov.cn";
  // The endpoint's absolute URL for discovery ("https://host/open311/v2"); the relative
  // path when empty.
  std::string endpoint_url = "/open311/v2";
  std::string contact = "重庆市公安局 警民联系平台";                   // discovery: who runs it
  std::string key_service = "请联系市公安局新闻宣传部门申请 API key";  // how to get a key
  std::string changeset = "2026-01-01T00:00:00+08:00";  // when the services last changed
  int64_t default_days = 90;      // GET requests: the default and largest date span
  int64_t max_items = 1000;       // GET requests: at most this many items
  size_t max_ids = 100;           // GET requests: at most this many service_request_ids
  size_t max_service_codes = 20;  // GET requests: at most this many service_codes
};

// A complete answer: status, Content-Type and body (XML with its declaration, or JSON),
// plus extra headers (X-Open311-Token on a created request).
struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class Open311Service {
 public:
  // `intake` creates and reads appeals; `clients` checks API keys and keeps tokens. Both and
  // `clock` must outlive the service.
  Open311Service(appeals::AppealIntake& intake, ClientKeyService& clients, const Clock& clock,
                 Open311Options options = {});

  // GET discovery.{fmt}.
  Reply Discovery(Format format) const;
  // GET services.{fmt}: every kind x active category, metadata false, type realtime.
  Reply Services(Format format, const Form& query);
  // GET services/{code}.{fmt}: the definition (no attributes) or 404 for an unknown code.
  Reply ServiceDefinition(Format format, std::string_view service_code, const Form& query);
  // POST requests.{fmt}: `content_type` must be application/x-www-form-urlencoded; `body`
  // carries api_key, service_code, location, description and the optional personal data.
  // A non-empty `idempotency_key` (the Idempotency-Key header) makes a retry return the
  // first request instead of creating another.
  Reply CreateRequest(Format format, std::string_view content_type, std::string_view body,
                      std::string_view idempotency_key);
  // GET requests.{fmt}: service_request_id (comma list, overrides the rest), service_code
  // (comma list), start_date, end_date, status (open|closed); last 90 days, <= 1000 items.
  Reply Requests(Format format, const Form& query);
  // GET requests/{id}.{fmt}.
  Reply Request(Format format, std::string_view id, const Form& query);
  // GET tokens/{token}.{fmt}.
  Reply Token(Format format, std::string_view token, const Form& query);

  // An Open311 error body ([{code, description}] or <errors>) with `status`.
  static Reply Error(Format format, int status, std::string_view description);

  const Open311Options& options() const { return options_; }

 private:
  struct Lookup;
  Reply CheckJurisdiction(Format format, const Form& form, bool& ok) const;
  Reply GeneralError(Format format, const lianxin::Error& error) const;

  appeals::AppealIntake& intake_;
  ClientKeyService& clients_;
  const Clock& clock_;
  Open311Options options_;
};

}  // namespace lianxin::open311
