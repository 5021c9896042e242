#include "channels/open311/open311.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/text.h"
#include "core/time.h"

namespace lianxin::open311 {

using appeals::AppealKind;
using appeals::Category;
using appeals::PublicAppeal;

namespace {

constexpr std::string_view kXmlType = "text/xml; charset=utf-8";
constexpr std::string_view kJsonType = "application/json; charset=utf-8";
constexpr std::string_view kSpecification = "http://wiki.open311.org/GeoReport_v2";
constexpr int64_t kDayMillis = 24LL * 60 * 60 * 1000;
constexpr size_t kMaxDescriptionChars = 2000;  // the appeal text's limit (the spec allows 4000)
constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxNamePartChars = 25;
constexpr size_t kMaxPhoneChars = 30;
constexpr size_t kMaxRefChars = 100;
constexpr size_t kMaxUrlChars = 500;
constexpr size_t kMaxIdempotencyKeyChars = 100;
constexpr size_t kMaxServiceCodeChars = 64;

struct KindInfo {
  AppealKind kind;
  std::string_view code;
  std::string_view label;  // zh-CN
};
constexpr KindInfo kKinds[] = {
    {AppealKind::kConsultation, "consultation", "咨询"},
    {AppealKind::kComplaint, "complaint", "投诉/批评"},
    {AppealKind::kReport, "report", "反映问题/求助"},
    {AppealKind::kSuggestion, "suggestion", "建议"},
    {AppealKind::kPraise, "praise", "表扬"},
};

const KindInfo& InfoOf(AppealKind kind) {
  for (const auto& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];
}

// ---------------------------------------------------------------------------------------
// One document model rendered as XML or as JSON (the spec's "Spark convention": the root
// list element becomes a JSON array, its children objects).

struct Node {
  enum class Kind { kText, kNumber, kBool, kNull, kObject, kList };
  std::string name;
  Kind kind = Kind::kNull;
  std::string text;            // kText; kNumber as its literal
  std::vector<Node> children;  // kObject (named members) or kList (items)

  static Node Text(std::string name, std::string value) {
    return Node{std::move(name), Kind::kText, std::move(value), {}};
  }
  static Node OptText(std::string name, const std::string& value) {
    return value.empty() ? Null(std::move(name)) : Text(std::move(name), value);
  }
  static Node Int(std::string name, int64_t value) {
    return Node{std::move(name), Kind::kNumber, std::to_string(value), {}};
  }
  static Node Double(std::string name, double value) {
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc() || !std::isfinite(value)) return Null(std::move(name));
    return Node{std::move(name), Kind::kNumber, std::string(buffer, end), {}};
  }
  static Node Bool(std::string name, bool value) {
    return Node{std::move(name), Kind::kBool, value ? "true" : "false", {}};
  }
  static Node Null(std::string name) { return Node{std::move(name), Kind::kNull, "", {}}; }
  static Node Object(std::string name, std::vector<Node> members) {
    return Node{std::move(name), Kind::kObject, "", std::move(members)};
  }
  static Node List(std::string name, std::vector<Node> items) {
    return Node{std::move(name), Kind::kList, "", std::move(items)};
  }
};

// Well-formed text for XML 1.0 and JSON: malformed UTF-8 becomes '?', and characters XML
// forbids (controls other than tab, LF, CR; U+FFFE, U+FFFF) are dropped.
std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool valid = IsValidUtf8(text);
  for (size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r') continue;
    if (!valid && u >= 0x80) {
      out.push_back('?');
      continue;
    }
    if (u == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) == 0xBE ||
         static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (char c : CleanText(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.push_back(c);
    }
  }
}

void AppendXml(std::string& out, const Node& node) {
  if (node.kind == Node::Kind::kNull ||
      ((node.kind == Node::Kind::kObject || node.kind == Node::Kind::kList) &&
       node.children.empty())) {
    out += "<" + node.name + "/>";
    return;
  }
  out += "<" + node.name + ">";
  switch (node.kind) {
    case Node::Kind::kText:
      AppendXmlEscaped(out, node.text);
      break;
    case Node::Kind::kNumber:
    case Node::Kind::kBool:
      out += node.text;
      break;
    default:
      for (const Node& child : node.children) AppendXml(out, child);
  }
  out += "</" + node.name + ">";
}

nlohmann::json ToJson(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kText:
      return CleanText(node.text);
    case Node::Kind::kNumber:
      return nlohmann::json::parse(node.text);
    case Node::Kind::kBool:
      return node.text == "true";
    case Node::Kind::kNull:
      return nullptr;
    case Node::Kind::kObject: {
      nlohmann::json object = nlohmann::json::object();
      for (const Node& child : node.children) object[child.name] = ToJson(child);
      return object;
    }
    case Node::Kind::kList: {
      nlohmann::json array = nlohmann::json::array();
      for (const Node& child : node.children) array.push_back(ToJson(child));
      return array;
    }
  }
  return nullptr;
}

Reply Render(Format format, const Node& root, int status = 200) {
  Reply reply;
  reply.status = status;
  if (format == Format::kXml) {
    reply.content_type = kXmlType;
    reply.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    AppendXml(reply.body, root);
    reply.body += "\n";
  } else {
    reply.content_type = kJsonType;
    reply.body = ToJson(root).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return reply;
}

// ---------------------------------------------------------------------------------------
// Services

std::string ServiceCode(AppealKind kind, std::string_view category) {
  return std::string(InfoOf(kind).code) + "." + std::string(category);
}

std::string ServiceName(AppealKind kind, const Category& category) {
  return category.name + "（" + std::string(InfoOf(kind).label) + "）";
}

const Category* FindCategory(const std::vector<Category>& categories, std::string_view code) {
  for (const auto& category : categories) {
    if (category.code == code) return &category;
  }
  return nullptr;
}

struct Service {
  AppealKind kind;
  const Category* category;
};

// "complaint.traffic" -> the kind and the active category; nullopt when either is unknown.
std::optional<Service> ParseServiceCode(std::string_view code,
                                        const std::vector<Category>& categories) {
  size_t dot = code.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view kind_code = code.substr(0, dot);
  for (const auto& info : kKinds) {
    if (info.code != kind_code) continue;
    const Category* category = FindCategory(categories, code.substr(dot + 1));
    if (category == nullptr) return std::nullopt;
    return Service{info.kind, category};
  }
  return std::nullopt;
}

Node ServiceNode(AppealKind kind, const Category& category) {
  const KindInfo& info = InfoOf(kind);
  std::string description =
      category.description.empty() ? ServiceName(kind, category) : category.description;
  std::string keywords = category.code + "," + std::string(info.code) + "," + category.name + "," +
                         std::string(info.label);
  return Node::Object("service", {
                                     Node::Text("service_code", ServiceCode(kind, category.code)),
                                     Node::Text("service_name", ServiceName(kind, category)),
                                     Node::Text("description", description),
                                     Node::Bool("metadata", false),
                                     Node::Text("type", "realtime"),
                                     Node::Text("keywords", keywords),
                                     Node::Text("group", std::string(info.label)),
                                 });
}

// ---------------------------------------------------------------------------------------
// Requests

Node RequestNode(const PublicAppeal& appeal, const std::vector<Category>& categories) {
  const Category* category = FindCategory(categories, appeal.category);
  std::string service_name =
      category != nullptr ? ServiceName(appeal.kind, *category)
                          : appeal.category + "（" + std::string(InfoOf(appeal.kind).label) + "）";
  std::vector<Node> fields;
  fields.push_back(Node::Int("service_request_id", appeal.id));
  fields.push_back(Node::Text("status", appeals::IsOpen(appeal.state) ? "open" : "closed"));
  fields.push_back(Node::OptText("status_notes", appeal.status_notes));
  fields.push_back(Node::Text("service_name", service_name));
  fields.push_back(Node::Text("service_code", ServiceCode(appeal.kind, appeal.category)));
  fields.push_back(Node::Text("description", appeal.text));
  fields.push_back(Node::OptText("agency_responsible", appeal.agency));
  fields.push_back(Node::Null("service_notice"));
  fields.push_back(Node::Text("requested_datetime", FormatIso8601(appeal.requested_at)));
  fields.push_back(Node::Text("updated_datetime", FormatIso8601(appeal.updated_at)));
  if (appeal.expected_at && appeals::IsOpen(appeal.state)) {
    fields.push_back(Node::Text("expected_datetime", FormatIso8601(*appeal.expected_at)));
  } else {
    fields.push_back(Node::Null("expected_datetime"));
  }
  fields.push_back(Node::OptText("address", appeal.location.address));
  fields.push_back(appeal.location.latitude ? Node::Double("lat", *appeal.location.latitude)
                                            : Node::Null("lat"));
  fields.push_back(appeal.location.longitude ? Node::Double("long", *appeal.location.longitude)
                                             : Node::Null("long"));
  return Node::Object("request", std::move(fields));
}

// A positive decimal id; nullopt otherwise.
std::optional<int64_t> ParseId(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::optional<double> ParseCoordinate(std::string_view text, double limit) {
  text = Trim(text);
  if (text.empty() || text.size() > 32) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
      std::fabs(value) > limit) {
    return std::nullopt;
  }
  return value;
}

// The W3C datetime of a query: a '+' sent unescaped arrives as a space, so it is restored.
std::optional<int64_t> ParseDate(std::string text) {
  std::replace(text.begin(), text.end(), ' ', '+');
  auto parsed = ParseIso8601(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  for (auto piece : Split(text, ',')) {
    piece = Trim(piece);
    if (!piece.empty()) out.emplace_back(piece);
  }
  return out;
}

bool PlainLine(std::string_view text) {
  return IsValidUtf8(text) && std::none_of(text.begin(), text.end(), [](char c) {
           auto u = static_cast<unsigned char>(c);
           return u < 0x20 || u == 0x7f;
         });
}

// Open311's name for a Submission field the intake complained about.
std::string SpecField(std::string_view field) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"text", "description"},
      {"citizen_phone", "phone"},
      {"citizen_name", "first_name/last_name"},
      {"category", "service_code"},
      {"kind", "service_code"},
      {"location.address", "address_string"},
      {"location.latitude", "lat"},
      {"location.longitude", "long"},
      {"source_url", "media_url"},
      {"channel_ref", "account_id/device_id"},
  };
  auto it = kNames.find(field);
  return it == kNames.end() ? std::string(field) : it->second;
}

}  // namespace

bool SplitFormat(std::string_view file, std::string& stem, Format& format) {
  size_t dot = file.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view ext = file.substr(dot + 1);
  if (ext == "xml") {
    format = Format::kXml;
  } else if (ext == "json") {
    format = Format::kJson;
  } else {
    return false;
  }
  stem = std::string(file.substr(0, dot));
  return true;
}

Open311Service::Open311Service(appeals::AppealIntake& intake, ClientKeyService& clients,
                               const Clock& clock, Open311Options options)
    : intake_(intake), clients_(clients), clock_(clock), options_(std::move(options)) {}

Reply Open311Service::Error(Format format, int status, std::string_view description) {
  Node error = Node::Object(
      "error", {Node::Int("code", status), Node::Text("description", std::string(description))});
  return Render(format, Node::List("errors", {std::move(error)}), status);
}

namespace {

// Several errors in one body; the status is the first one's.
Reply Errors(Format format, int status, const std::vector<std::string>& descriptions) {
  std::vector<Node> items;
  for (const auto& description : descriptions) {
    items.push_back(
        Node::Object("error", {Node::Int("code", status), Node::Text("description", description)}));
  }
  return Render(format, Node::List("errors", std::move(items)), status);
}

}  // namespace

Reply Open311Service::GeneralError(Format format, const lianxin::Error& error) const {
  (void)error;  // never shown: it may name tables or hosts
  // The spec answers any failure while processing with 400 "General service error".
  return Error(format, 400, "General service error. Please try again later.");
}

Reply Open311Service::CheckJurisdiction(Format format, const Form& form, bool& ok) const {
  ok = true;
  auto jurisdiction = form.NonEmpty("jurisdiction_id");
  if (!jurisdiction || *jurisdiction == options_.jurisdiction_id) return {};
  ok = false;
  return Error(format, 404,
               "jurisdiction_id " + CleanText(*jurisdiction).substr(0, 100) + " was not found.");
}

Reply Open311Service::Discovery(Format format) const {
  std::vector<Node> formats = {Node::Text("format", "text/xml"),
                               Node::Text("format", "application/json")};
  Node endpoint =
      Node::Object("endpoint", {
                                   Node::Text("specification", std::string(kSpecification)),
                                   Node::Text("url", options_.endpoint_url),
                                   Node::Text("changeset", options_.changeset),
                                   Node::Text("type", "production"),
                                   Node::List("formats", std::move(formats)),
                               });
  return Render(format,
                Node::Object("discovery", {
                                              Node::Text("changeset", options_.changeset),
                                              Node::Text("contact", options_.contact),
                                              Node::Text("key_service", options_.key_service),
                                              Node::List("endpoints", {std::move(endpoint)}),
                                          }));
}

Reply Open311Service::Services(Format format, const Form& query) {
  bool ok = true;
  if (auto reply = CheckJurisdiction(format, query, ok); !ok) return reply;
  auto categories = intake_.Categories();
  if (!categories) return GeneralError(format, categories.error());
  std::vector<Node> services;
  for (const auto& info : kKinds) {
    for (const auto& category : *categories) {
      if (category.active) services.push_back(ServiceNode(info.kind, category));
    }
  }
  return Render(format, Node::List("services", std::move(services)));
}

Reply Open311Service::ServiceDefinition(Format format, std::string_view service_code,
                                        const Form& query) {
  bool ok = true;
  if (auto reply = CheckJurisdiction(format, query, ok); !ok) return reply;
  auto categories = intake_.Categories();
  if (!categories) return GeneralError(format, categories.error());
  auto service = ParseServiceCode(service_code, *categories);
  if (!service) {
    return Error(format, 404,
                 "service_code " + CleanText(service_code.substr(0, kMaxServiceCodeChars)) +
                     " was not found.");
  }
  // metadata is false for every service: the definition has no attributes.
  return Render(format, Node::Object("service_definition",
                                     {Node::Text("service_code", std::string(service_code)),
                                      Node::List("attributes", {})}));
}

Reply Open311Service::CreateRequest(Format format, std::string_view content_type,
                                    std::string_view body, std::string_view idempotency_key) {
  std::string type = ToLowerAscii(Trim(content_type.substr(0, content_type.find(';'))));
  if (type != "application/x-www-form-urlencoded") {
    return Error(format, 400, "The request must be sent as application/x-www-form-urlencoded.");
  }
  auto form = ParseForm(body);
  if (!form) return Error(format, 400, form.error().message);

  auto api_key = form->NonEmpty("api_key");
  if (!api_key) return Error(format, 403, "api_key was not provided.");
  auto client = clients_.Authenticate(*api_key);
  if (!client) return GeneralError(format, client.error());
  if (!*client) {
    return Error(format, 403, "Invalid api_key received -- can't proceed with create_request.");
  }

  bool ok = true;
  if (auto reply = CheckJurisdiction(format, *form, ok); !ok) return reply;
  auto service_code = form->NonEmpty("service_code");
  if (!service_code) return Error(format, 400, "service_code was not provided.");
  auto categories = intake_.Categories();
  if (!categories) return GeneralError(format, categories.error());
  auto service = ParseServiceCode(*service_code, *categories);
  if (!service) {
    return Error(format, 404,
                 "service_code " + CleanText(service_code->substr(0, kMaxServiceCodeChars)) +
                     " was not found.");
  }

  std::vector<std::string> problems;
  appeals::Submission submission;
  submission.kind = service->kind;
  submission.category = service->category->code;
  submission.channel = appeals::Channel::kOpen311;

  // Location: lat & long, or address_string (address_id is not supported here).
  auto lat_text = form->NonEmpty("lat");
  auto long_text = form->NonEmpty("long");
  auto address = form->NonEmpty("address_string");
  if (lat_text || long_text) {
    auto lat = lat_text ? ParseCoordinate(*lat_text, 90) : std::nullopt;
    auto lon = long_text ? ParseCoordinate(*long_text, 180) : std::nullopt;
    if (!lat_text || !long_text) {
      problems.push_back("lat and long must be sent together.");
    } else if (!lat || !lon) {
      problems.push_back("lat and long must be WGS84 degrees (-90..90, -180..180).");
    } else {
      submission.location.latitude = lat;
      submission.location.longitude = lon;
    }
  }
  if (address) {
    if (!PlainLine(*address) || Utf8Length(*address) > kMaxAddressChars) {
      problems.push_back("address_string must be one line of at most " +
                         std::to_string(kMaxAddressChars) + " characters.");
    } else {
      submission.location.address = *address;
    }
  }
  if (!lat_text && !long_text && !address) {
    if (form->NonEmpty("address_id")) {
      problems.push_back("address_id is not supported; send lat and long or address_string.");
    } else {
      problems.push_back("A location was not provided: send lat and long or address_string.");
    }
  }

  auto description = form->NonEmpty("description");
  if (!description) {
    problems.push_back("description was not provided.");
  } else if (Utf8Length(*description) > kMaxDescriptionChars) {
    problems.push_back("description must be at most " + std::to_string(kMaxDescriptionChars) +
                       " characters.");
  } else {
    submission.text = *description;
  }

  // Optional personal data. email is not kept: appeals hold no citizen e-mail addresses.
  auto first_name = form->NonEmpty("first_name").value_or("");
  auto last_name = form->NonEmpty("last_name").value_or("");
  if (!PlainLine(first_name) || !PlainLine(last_name) ||
      Utf8Length(first_name) > kMaxNamePartChars || Utf8Length(last_name) > kMaxNamePartChars) {
    problems.push_back("first_name and last_name must be at most " +
                       std::to_string(kMaxNamePartChars) + " characters each.");
  } else {
    bool ascii = std::all_of(first_name.begin(), first_name.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
                 std::all_of(last_name.begin(), last_name.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    // Chinese names are written family name first, without a space.
    submission.citizen_name = ascii && !first_name.empty() && !last_name.empty()
                                  ? first_name + " " + last_name
                                  : last_name + first_name;
  }
  auto phone = form->NonEmpty("phone").value_or("");
  if (!PlainLine(phone) || phone.size() > kMaxPhoneChars) {
    problems.push_back("phone is not a phone number.");
  } else {
    submission.citizen_phone = phone;
  }

  auto account_id = form->NonEmpty("account_id");
  auto device_id = form->NonEmpty("device_id");
  for (const auto* ref : {&account_id, &device_id}) {
    if (*ref && (!PlainLine(**ref) || (*ref)->size() > kMaxRefChars)) {
      problems.push_back((ref == &account_id ? "account_id" : "device_id") +
                         std::string(" must be at most ") + std::to_string(kMaxRefChars) +
                         " characters.");
    }
  }
  submission.channel_ref = "client:" + std::to_string((*client)->id);
  if (account_id) {
    submission.channel_ref += ":account:" + *account_id;
  } else if (device_id) {
    submission.channel_ref += ":device:" + *device_id;
  }

  if (auto media_url = form->NonEmpty("media_url")) {
    bool http = media_url->starts_with("https://") || media_url->starts_with("http://");
    if (!http || !PlainLine(*media_url) || media_url->find(' ') != std::string::npos ||
        media_url->size() > kMaxUrlChars) {
      problems.push_back("media_url must be an http(s) URL of at most " +
                         std::to_string(kMaxUrlChars) + " characters.");
    } else {
      submission.source_url = *media_url;
    }
  }

  std::string idempotency;
  if (!idempotency_key.empty()) {
    if (idempotency_key.size() > kMaxIdempotencyKeyChars || !PlainLine(idempotency_key)) {
      problems.push_back("The Idempotency-Key header must be at most " +
                         std::to_string(kMaxIdempotencyKeyChars) + " characters.");
    } else {
      idempotency = "open311:" + std::to_string((*client)->id) + ":" + std::string(idempotency_key);
    }
  }
  if (!problems.empty()) return Errors(format, 400, problems);

  auto receipt = intake_.Submit(submission, idempotency);
  if (!receipt) {
    const auto& error = receipt.error();
    if (error.code == ErrorCode::kInvalidArgument) {
      std::vector<std::string> described;
      for (const auto& field : error.fields) {
        described.push_back(SpecField(field.field) + ": " + field.message);
      }
      if (described.empty()) described.push_back(error.message);
      return Errors(format, 400, described);
    }
    return GeneralError(format, error);
  }

  Reply reply;
  std::string notice = "已受理。诉求编号 " + receipt->tracking_number + "，查询码 " +
                       receipt->access_code + "，可凭编号和查询码查看办理进度。";
  reply = Render(
      format,
      Node::List("service_requests",
                 {Node::Object("request", {
                                              Node::Int("service_request_id", receipt->id),
                                              Node::Text("service_notice", notice),
                                              account_id ? Node::Text("account_id", *account_id)
                                                         : Node::Null("account_id"),
                                          })}));
  // type is realtime, so the body carries the id and not the token (the spec allows only
  // one); the token is still issued, in a header, for GET tokens/{token}.
  if (auto token = clients_.RecordRequest((*client)->id, receipt->id)) {
    reply.headers.emplace_back("X-Open311-Token", *token);
  }
  return reply;
}

Reply Open311Service::Requests(Format format, const Form& query) {
  bool ok = true;
  if (auto reply = CheckJurisdiction(format, query, ok); !ok) return reply;
  auto categories = intake_.Categories();
  if (!categories) return GeneralError(format, categories.error());

  std::vector<appeals::PublicQuery> queries;
  if (auto ids_text = query.NonEmpty("service_request_id")) {
    // The ids override every other argument.
    appeals::PublicQuery by_id;
    std::set<int64_t> seen;
    for (const auto& piece : SplitList(*ids_text)) {
      auto id = ParseId(piece);
      if (!id) {
        return Error(format, 400, "service_request_id must be a comma-separated list of ids.");
      }
      if (seen.insert(*id).second) by_id.ids.push_back(*id);
    }
    if (by_id.ids.size() > options_.max_ids) {
      return Error(format, 400,
                   "At most " + std::to_string(options_.max_ids) +
                       " service_request_ids can be asked for at once.");
    }
    if (by_id.ids.empty()) {
      return Error(format, 400, "service_request_id must be a comma-separated list of ids.");
    }
    by_id.limit = options_.max_items;
    queries.push_back(std::move(by_id));
  } else {
    std::vector<std::string> problems;
    std::optional<bool> open;
    if (auto status = query.NonEmpty("status")) {
      std::set<std::string> statuses;
      for (const auto& piece : SplitList(*status)) statuses.insert(ToLowerAscii(piece));
      bool valid = !statuses.empty() && std::all_of(statuses.begin(), statuses.end(), [](auto& s) {
        return s == "open" || s == "closed";
      });
      if (!valid) {
        problems.push_back("status must be open, closed or both, comma-separated.");
      } else if (statuses.size() == 1) {
        open = *statuses.begin() == "open";
      }
    }
    std::optional<int64_t> start;
    std::optional<int64_t> end;
    if (auto text = query.NonEmpty("start_date")) {
      start = ParseDate(*text);
      if (!start)
        problems.push_back("start_date must be a W3C datetime, e.g. 2026-01-01T00:00:00+08:00.");
    }
    if (auto text = query.NonEmpty("end_date")) {
      end = ParseDate(*text);
      if (!end)
        problems.push_back("end_date must be a W3C datetime, e.g. 2026-01-31T00:00:00+08:00.");
    }
    int64_t span = options_.default_days * kDayMillis;
    if (problems.empty()) {
      if (start && end) {
        if (*end < *start) {
          problems.push_back("end_date must not be before start_date.");
        } else if (*end - *start > span) {
          problems.push_back("start_date and end_date may not span more than " +
                             std::to_string(options_.default_days) + " days.");
        }
      } else if (start) {
        end = *start + span;
      } else if (end) {
        start = *end - span;
      } else {
        end = clock_.NowMillis();
        start = *end - span;
      }
    }
    std::vector<std::optional<Service>> services;
    if (auto codes = query.NonEmpty("service_code")) {
      auto list = SplitList(*codes);
      if (list.size() > options_.max_service_codes) {
        problems.push_back("At most " + std::to_string(options_.max_service_codes) +
                           " service_codes can be asked for at once.");
      } else {
        for (const auto& code : list) {
          auto service = ParseServiceCode(code, *categories);
          if (!service) {
            return Error(format, 404,
                         "service_code " + CleanText(code.substr(0, kMaxServiceCodeChars)) +
                             " was not found.");
          }
          services.push_back(service);
        }
      }
    }
    if (!problems.empty()) return Errors(format, 400, problems);
    if (services.empty()) services.push_back(std::nullopt);
    for (const auto& service : services) {
      appeals::PublicQuery q;
      if (service) {
        q.kind = service->kind;
        q.category = service->category->code;
      }
      q.open = open;
      q.from_millis = start;
      q.to_millis = *end + 1;  // end_date is inclusive
      q.limit = options_.max_items;
      queries.push_back(std::move(q));
    }
  }

  std::vector<PublicAppeal> found;
  std::set<int64_t> seen;
  for (auto& q : queries) {
    // Only matters that came in over Open311 are public here: an appeal sent on the web,
    // by WeChat or by phone was not sent to be published.
    q.channel = appeals::Channel::kOpen311;
    auto items = intake_.ListPublic(q);
    if (!items) return GeneralError(format, items.error());
    for (auto& item : *items) {
      if (seen.insert(item.id).second) found.push_back(std::move(item));
    }
  }
  std::sort(found.begin(), found.end(), [](const PublicAppeal& a, const PublicAppeal& b) {
    return a.requested_at != b.requested_at ? a.requested_at > b.requested_at : a.id > b.id;
  });
  if (found.size() > static_cast<size_t>(options_.max_items)) {
    found.resize(static_cast<size_t>(options_.max_items));
  }
  std::vector<Node> nodes;
  nodes.reserve(found.size());
  for (const auto& appeal : found) nodes.push_back(RequestNode(appeal, *categories));
  return Render(format, Node::List("service_requests", std::move(nodes)));
}

Reply Open311Service::Request(Format format, std::string_view id_text, const Form& query) {
  bool ok = true;
  if (auto reply = CheckJurisdiction(format, query, ok); !ok) return reply;
  auto not_found = [&] {
    return Error(format, 404,
                 "service_request_id " + CleanText(id_text.substr(0, 20)) + " was not found.");
  };
  auto id = ParseId(id_text);
  if (!id) return not_found();
  auto appeal = intake_.GetPublic(*id);
  if (!appeal) {
    if (appeal.error().code == ErrorCode::kNotFound) return not_found();
    return GeneralError(format, appeal.error());
  }
  if (appeal->channel != appeals::Channel::kOpen311) return not_found();  // see Requests
  auto categories = intake_.Categories();
  if (!categories) return GeneralError(format, categories.error());
  return Render(format, Node::List("service_requests", {RequestNode(*appeal, *categories)}));
}

Reply Open311Service::Token(Format format, std::string_view token, const Form& query) {
  bool ok = true;
  if (auto reply = CheckJurisdiction(format, query, ok); !ok) return reply;
  auto found = clients_.FindToken(token);
  if (!found) return GeneralError(format, found.error());
  if (!*found) return Error(format, 404, "token was not found.");
  return Render(format,
                Node::List("service_requests",
                           {Node::Object("request", {
                                                        Node::Int("service_request_id", **found),
                                                        Node::Text("token", std::string(token)),
                                                    })}));
}

}  // namespace lianxin::open311
