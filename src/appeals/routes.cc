#include "appeals/routes.h"

#include <charconv>
#include <limits>
#include <string>

#include "core/text.h"
#include "core/time.h"
#include "http/json.h"

namespace lianxin::appeals {
namespace {

using http::FieldReader;
using http::Json;
using http::Request;
using http::Response;

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();
constexpr size_t kMaxQueryChars = 100;

Response NotSignedIn() {
  return http::Problem(Error{ErrorCode::kUnauthenticated, "Not signed in.", {}});
}

Response NotFound() { return http::Problem(Error{ErrorCode::kNotFound, "Not found.", {}}); }

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Json Time(int64_t millis) { return FormatIso8601(millis); }
Json OptTime(const std::optional<int64_t>& millis) {
  return millis ? Json(FormatIso8601(*millis)) : Json(nullptr);
}
Json TextOrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

// Query parameters, with their errors collected for one 422.
class QueryReader {
 public:
  explicit QueryReader(const Request& request) : request_(request) {}

  std::optional<int64_t> Id(std::string_view name) {
    auto raw = request_.QueryParam(name);
    if (!raw || raw->empty()) return std::nullopt;
    auto id = ParseId(*raw);
    if (!id) Fail(name, "must be a positive integer");
    return id;
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
  http::PageRequest Page() {
    auto page = http::ParsePage(request_);
    if (!page) {
      for (auto& f : page.error().fields) errors_.push_back(f);
      if (page.error().fields.empty()) errors_.push_back({"page", page.error().message});
      return {};
    }
    return *page;
  }
  void Fail(std::string_view name, std::string message) {
    errors_.push_back({std::string(name), std::move(message)});
  }
  bool ok() const { return errors_.empty(); }
  Error ToError() const {
    return Error{ErrorCode::kInvalidArgument, "Some fields are invalid.", errors_};
  }
  Response Problem() const { return http::Problem(ToError()); }

 private:
  const Request& request_;
  std::vector<FieldError> errors_;
};

template <class T, class F>
Response Reply(const Result<T>& result, F to_json, int status = 200) {
  if (!result) return http::Problem(result.error());
  return http::JsonResponse(to_json(*result), status);
}

Response NoContent(const Status& status) {
  if (!status) return http::Problem(status.error());
  return Response{204, {}, ""};
}

template <class T, class F>
Json Items(const std::vector<T>& items, F to_json) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

Json LocationJson(const Location& l) {
  return {{"district_code", TextOrNull(l.district_code)},
          {"address", TextOrNull(l.address)},
          {"latitude", l.latitude ? Json(*l.latitude) : Json(nullptr)},
          {"longitude", l.longitude ? Json(*l.longitude) : Json(nullptr)}};
}

Json AppealJson(const AppealView& v) {
  return {
      {"id", v.id},
      {"tracking_number", v.tracking_number},
      {"kind", KindName(v.kind)},
      {"category", v.category},
      {"channel", ChannelName(v.channel)},
      {"state", StateName(v.state)},
      {"resolved", v.resolved},
      {"text", v.text},
      {"citizen",
       {{"name", TextOrNull(v.citizen_name_masked)},
        {"phone", TextOrNull(v.citizen_phone_masked)},
        {"has_contact", v.has_contact}}},
      {"publish_reply", v.publish_reply},
      {"location", LocationJson(v.location)},
      {"source_url", TextOrNull(v.source_url)},
      {"unit", {{"id", v.unit_id}, {"name", v.unit_name}}},
      {"merged_into", v.merged_into ? Json(*v.merged_into) : Json(nullptr)},
      {"ack_text", TextOrNull(v.ack_text)},
      {"reply_text", TextOrNull(v.reply_text)},
      {"acknowledged_at", OptTime(v.acknowledged_at)},
      {"replied_at", OptTime(v.replied_at)},
      {"rating", v.rating ? Json(RatingName(*v.rating)) : Json(nullptr)},
      {"rating_comment", TextOrNull(v.rating_comment)},
      {"rated_at", OptTime(v.rated_at)},
      {"rectification",
       {{"task", TextOrNull(v.rectification_task)},
        {"deadline", OptTime(v.rectification_deadline)},
        {"result", TextOrNull(v.rectification_result)},
        {"completed_at", OptTime(v.rectified_at)}}},
      {"follow_up_count", v.follow_up_count},
      {"closed_at", OptTime(v.closed_at)},
      {"reopened_count", v.reopened_count},
      {"deadlines",
       {{"acknowledge", Time(v.ack_deadline)},
        {"reply", Time(v.reply_deadline)},
        {"resolve", Time(v.resolve_deadline)}}},
      {"due_at", OptTime(v.due_at)},
      {"warn_at", OptTime(v.warn_at)},
      {"warned_at", OptTime(v.warned_at)},
      {"escalated_at", OptTime(v.escalated_at)},
      {"version", v.version},
      {"created_at", Time(v.created_at)},
      {"updated_at", Time(v.updated_at)},
  };
}

std::string_view ActorKindText(ActorKind k) {
  return k == ActorKind::kStaff ? "staff" : k == ActorKind::kCitizen ? "citizen" : "system";
}

Json EventJson(const TimelineEvent& e, bool staff_view) {
  Json j = {
      {"at", Time(e.at)},
      {"actor", ActorKindText(e.actor_kind)},
      {"action", e.action},
      {"from_state", e.from_state ? Json(StateName(*e.from_state)) : Json(nullptr)},
      {"to_state", e.to_state ? Json(StateName(*e.to_state)) : Json(nullptr)},
      {"note", TextOrNull(e.note)},
  };
  if (staff_view) {
    j["id"] = e.id;
    j["actor_name"] = TextOrNull(e.actor_name);
    j["public"] = e.is_public;
    j["data"] = Json::parse(e.data, nullptr, false);
    if (j["data"].is_discarded()) j["data"] = Json::object();
  }
  return j;
}

Json PublicAppealJson(const PublicAppeal& p) {
  return {
      {"tracking_number", p.tracking_number},
      {"kind", KindName(p.kind)},
      {"category", p.category},
      {"state", StateName(p.state)},
      {"open", IsOpen(p.state)},
      {"status_notes", TextOrNull(p.status_notes)},
      {"agency", TextOrNull(p.agency)},
      {"location", LocationJson(p.location)},
      {"text", p.text},
      {"channel", ChannelName(p.channel)},
      {"requested_at", Time(p.requested_at)},
      {"updated_at", Time(p.updated_at)},
      {"expected_at", OptTime(p.expected_at)},
  };
}

Json TrackJson(const TrackView& t) {
  Json j = PublicAppealJson(t.appeal);
  j["reply_text"] = TextOrNull(t.reply_text);
  j["rating"] = t.rating ? Json(RatingName(*t.rating)) : Json(nullptr);
  j["can_rate"] = t.can_rate;
  j["can_reopen"] = t.can_reopen;
  j["merged_into"] =
      t.merged_into_tracking_number ? Json(*t.merged_into_tracking_number) : Json(nullptr);
  j["timeline"] = Items(t.timeline, [](const TimelineEvent& e) { return EventJson(e, false); });
  return j;
}

Json ReceiptJson(const Receipt& r) {
  return {{"tracking_number", r.tracking_number},
          {"access_code", r.access_code},
          {"submitted_at", Time(r.submitted_at)}};
}

Json CategoryJson(const Category& c) {
  return {{"code", c.code},
          {"name", c.name},
          {"description", c.description},
          {"active", c.active},
          {"sort_order", c.sort_order}};
}

Json TemplateJson(const ReplyTemplate& t) {
  return {{"id", t.id},
          {"unit", {{"id", t.unit_id}, {"name", t.unit_name}}},
          {"title", t.title},
          {"text", t.text},
          {"version", t.version}};
}

Json CountsJson(const MetricCounts& c) {
  return {{"accepted", c.accepted},
          {"acknowledged_on_time", c.acknowledged_on_time},
          {"replied", c.replied},
          {"reply_rate", c.ReplyRate()},
          {"replied_on_time", c.replied_on_time},
          {"resolved", c.resolved},
          {"resolution_rate", c.ResolutionRate()},
          {"rated", c.rated},
          {"satisfied", c.satisfied},
          {"satisfaction_rate", c.SatisfactionRate()},
          {"unsatisfied", c.unsatisfied},
          {"rectified", c.rectified},
          {"follow_up_visits", c.follow_up_visits}};
}

// Reads a Submission's fields from a JSON body (the public form and the hotline form).
Submission ReadSubmission(const Json& body, FieldReader& reader) {
  Submission s;
  std::string kind = reader.RequiredString("kind", 32);
  if (!kind.empty() && !ParseKind(kind, s.kind)) reader.Fail("kind", "is not an appeal kind");
  s.category = reader.RequiredString("category", 32);
  s.text = reader.RequiredString("text", kMaxTextChars);
  s.citizen_name = reader.OptionalString("citizen_name", 50).value_or("");
  s.citizen_phone = reader.OptionalString("citizen_phone", 32).value_or("");
  s.publish_reply = reader.OptionalBool("publish_reply").value_or(false);
  if (auto it = body.find("location"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) {
      reader.Fail("location", "must be an object");
    } else {
      FieldReader loc(*it);
      s.location.district_code = loc.OptionalString("district_code", 6).value_or("");
      s.location.address = loc.OptionalString("address", 200).value_or("");
      for (const char* axis : {"latitude", "longitude"}) {
        auto v = it->find(axis);
        if (v == it->end() || v->is_null()) continue;
        if (!v->is_number()) {
          loc.Fail(axis, "must be a number");
          continue;
        }
        (std::string_view(axis) == "latitude" ? s.location.latitude : s.location.longitude) =
            v->get<double>();
      }
      for (const auto& e : loc.errors()) reader.Fail("location." + e.field, e.message);
    }
  }
  if (auto it = body.find("attachment_ids"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 5) {
      reader.Fail("attachment_ids", "must be an array of at most 5 ids");
    } else {
      for (const auto& id : *it) {
        if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
          reader.Fail("attachment_ids", "must hold positive integers");
          break;
        }
        s.attachment_ids.push_back(id.get<int64_t>());
      }
    }
  }
  return s;
}

std::vector<int64_t> IdArray(const Json& body, std::string_view field, FieldReader& reader,
                             size_t max_items, bool required) {
  std::vector<int64_t> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (required) reader.Fail(std::string(field), "is required");
    return out;
  }
  if (!it->is_array() || it->size() > max_items) {
    reader.Fail(std::string(field),
                "must be an array of at most " + std::to_string(max_items) + " ids");
    return out;
  }
  for (const auto& id : *it) {
    if (!id.is_number_integer() || id.get<int64_t>() <= 0) {
      reader.Fail(std::string(field), "must hold positive integers");
      return {};
    }
    out.push_back(id.get<int64_t>());
  }
  return out;
}

std::optional<int64_t> RequiredTime(const Json& body, std::string_view field, FieldReader& reader) {
  std::string raw = reader.RequiredString(field, 40);
  if (raw.empty()) return std::nullopt;
  auto t = ParseIso8601(raw);
  if (!t) {
    reader.Fail(std::string(field), "must be an ISO 8601 time");
    return std::nullopt;
  }
  (void)body;
  return *t;
}

// The common shape of POST /api/v1/appeals/{id}/<action>: signed in, an id, a JSON body.
template <class F>
http::Handler Action(F f) {
  return [f](Request& request) -> Response {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    return f(*request.actor, *id, *body, reader);
  };
}

// --- staff routes ---

// The inbox list's filters (state as a comma-separated list, kind, category, channel,
// unit_id, overdue, warning, escalated, from, to, q, sort); bad ones are failed on `query`.
AppealFilter ReadAppealFilter(QueryReader& query) {
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
  return filter;
}

void RegisterInboxRoutes(http::Router& router, AppealService& service) {
  router.Get("/api/v1/appeals", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    AppealFilter filter = ReadAppealFilter(query);
    auto page = query.Page();
    if (!query.ok()) return query.Problem();
    filter.offset = page.Offset();
    filter.limit = page.page_size;
    return Reply(service.Search(*request.actor, filter), [&](const Page<AppealView>& p) {
      Json j = http::PageJson(Items(p.items, AppealJson), p.total, page);
      j["total_capped"] = p.total_capped;  // "10,000+": there are more than total
      return j;
    });
  });

  // Staff record a hotline call.
  router.Post("/api/v1/appeals", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    HotlineCall call;
    call.submission = ReadSubmission(*body, reader);
    call.caller_number = reader.RequiredString("caller_number", 32);
    if (!reader.ok()) return http::Problem(reader.ToError());
    auto receipt = service.RecordHotlineCall(*request.actor, call);
    if (!receipt) return http::Problem(receipt.error());
    Json j = ReceiptJson(*receipt);
    j["id"] = receipt->id;
    return http::JsonResponse(j, 201);
  });

  // Staff (or the public-opinion module) make an appeal from an external post.
  router.Post("/api/v1/appeals/from-post", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    PostAppeal post;
    post.submission = ReadSubmission(*body, reader);
    std::string channel = reader.RequiredString("channel", 16);
    if (!channel.empty() && !ParseChannel(channel, post.submission.channel)) {
      reader.Fail("channel", "is not a channel");
    }
    post.source_url = reader.RequiredString("source_url", 500);
    post.submission.channel_ref = reader.OptionalString("author_id", 128).value_or("");
    if (!reader.ok()) return http::Problem(reader.ToError());
    auto receipt = service.RecordFromPost(*request.actor, post);
    if (!receipt) return http::Problem(receipt.error());
    Json j = ReceiptJson(*receipt);
    j["id"] = receipt->id;
    return http::JsonResponse(j, 201);
  });

  router.Get("/api/v1/appeals/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return Reply(service.Get(*request.actor, *id), [](const AppealDetail& d) {
      Json j = AppealJson(d.appeal);
      j["timeline"] = Items(d.timeline, [](const TimelineEvent& e) { return EventJson(e, true); });
      return j;
    });
  });

  router.Post("/api/v1/appeals/bulk-assign", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    auto ids = IdArray(*body, "ids", reader, 100, true);
    int64_t unit_id = reader.RequiredInt("unit_id", 1, kMaxId);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.BulkAssign(*request.actor, ids, unit_id), [](const BulkAssignResult& r) {
      Json failed = Json::array();
      for (const auto& [id, error] : r.failed) {
        failed.push_back(
            {{"id", id}, {"status", http::MapErrorCode(error.code)}, {"detail", error.message}});
      }
      return Json{{"assigned", r.assigned}, {"failed", failed}};
    });
  });

  router.Post("/api/v1/appeals/{id}/reveal-contact", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto contact = service.RevealContact(*request.actor, *id);
    if (!contact) return http::Problem(contact.error());
    Response response = http::JsonResponse(
        Json{{"name", TextOrNull(contact->name)}, {"phone", TextOrNull(contact->phone)}});
    response.SetHeader("Cache-Control", "no-store");
    return response;
  });

  auto view = [](const Result<AppealView>& r) { return Reply(r, AppealJson); };

  router.Post("/api/v1/appeals/{id}/acknowledge",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                std::string text = r.RequiredString("text", kMaxReplyChars);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.Acknowledge(a, id, version, text));
              }));
  router.Post("/api/v1/appeals/{id}/assign",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                int64_t unit_id = r.RequiredInt("unit_id", 1, kMaxId);
                std::string note = r.OptionalString("note", kMaxNoteChars).value_or("");
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.Assign(a, id, version, unit_id, note));
              }));
  router.Post("/api/v1/appeals/{id}/transfer",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                int64_t unit_id = r.RequiredInt("unit_id", 1, kMaxId);
                std::string reason = r.RequiredString("reason", kMaxNoteChars);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.Transfer(a, id, version, unit_id, reason));
              }));
  router.Post(
      "/api/v1/appeals/{id}/verify",
      Action([&service, view](const Actor& a, int64_t id, const Json& body, FieldReader& r) {
        int64_t version = r.RequiredInt("version", 1, kMaxId);
        std::string notes = r.RequiredString("notes", kMaxNoteChars);
        auto photos = IdArray(body, "photo_ids", r, 5, false);
        if (!r.ok()) return http::Problem(r.ToError());
        return view(service.Verify(a, id, version, notes, photos));
      }));
  router.Post("/api/v1/appeals/{id}/reply",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                std::string text = r.RequiredString("text", kMaxReplyChars);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.Reply(a, id, version, text));
              }));
  router.Post("/api/v1/appeals/{id}/notes",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                std::string note = r.RequiredString("note", kMaxNoteChars);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.AddNote(a, id, note));
              }));
  router.Post(
      "/api/v1/appeals/{id}/rectification",
      Action([&service, view](const Actor& a, int64_t id, const Json& body, FieldReader& r) {
        RectificationTask task;
        task.version = r.RequiredInt("version", 1, kMaxId);
        task.task = r.RequiredString("task", kMaxNoteChars);
        task.deadline = RequiredTime(body, "deadline", r).value_or(0);
        if (!r.ok()) return http::Problem(r.ToError());
        return view(service.SetRectification(a, id, task));
      }));
  router.Post("/api/v1/appeals/{id}/complete-rectification",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                std::string result = r.RequiredString("result", kMaxNoteChars);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.CompleteRectification(a, id, version, result));
              }));
  router.Post(
      "/api/v1/appeals/{id}/follow-up",
      Action([&service, view](const Actor& a, int64_t id, const Json& body, FieldReader& r) {
        FollowUpVisit visit;
        visit.version = r.RequiredInt("version", 1, kMaxId);
        visit.channel = r.RequiredString("channel", 32);
        visit.visited_at = RequiredTime(body, "visited_at", r).value_or(0);
        visit.visited_by = r.RequiredString("visited_by", 50);
        visit.citizen_view = r.RequiredString("citizen_view", kMaxNoteChars);
        if (!r.ok()) return http::Problem(r.ToError());
        return view(service.RecordFollowUp(a, id, visit));
      }));
  router.Post("/api/v1/appeals/{id}/merge",
              Action([&service, view](const Actor& a, int64_t id, const Json&, FieldReader& r) {
                int64_t version = r.RequiredInt("version", 1, kMaxId);
                int64_t original = r.RequiredInt("original_id", 1, kMaxId);
                if (!r.ok()) return http::Problem(r.ToError());
                return view(service.Merge(a, id, version, original));
              }));
}

void RegisterConfigRoutes(http::Router& router, AppealService& service) {
  // Saved views: the caller's own.
  router.Get("/api/v1/appeal-views", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    return Reply(service.ListViews(*request.actor), [](const std::vector<SavedView>& views) {
      return Json{{"items", Items(views, [](const SavedView& v) {
                     Json filter = Json::parse(v.filter, nullptr, false);
                     return Json{{"id", v.id},
                                 {"name", v.name},
                                 {"filter", filter.is_discarded() ? Json::object() : filter},
                                 {"created_at", Time(v.created_at)}};
                   })}};
    });
  });
  router.Post("/api/v1/appeal-views", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    std::string name = reader.RequiredString("name", 50);
    auto filter = body->find("filter");
    if (filter == body->end() || !filter->is_object()) reader.Fail("filter", "must be an object");
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(
        service.CreateView(*request.actor, name, filter->dump()),
        [](const SavedView& v) {
          return Json{{"id", v.id},
                      {"name", v.name},
                      {"filter", Json::parse(v.filter, nullptr, false)},
                      {"created_at", Time(v.created_at)}};
        },
        201);
  });
  router.Delete("/api/v1/appeal-views/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return NoContent(service.DeleteView(*request.actor, *id));
  });

  // Reply templates.
  router.Get("/api/v1/reply-templates", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    return Reply(service.ListTemplates(*request.actor), [](const std::vector<ReplyTemplate>& t) {
      return Json{{"items", Items(t, TemplateJson)}};
    });
  });
  router.Post("/api/v1/reply-templates", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    int64_t unit_id = reader.RequiredInt("unit_id", 1, kMaxId);
    std::string title = reader.RequiredString("title", 50);
    std::string text = reader.RequiredString("text", kMaxReplyChars);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.CreateTemplate(*request.actor, unit_id, title, text), TemplateJson, 201);
  });
  router.Patch("/api/v1/reply-templates/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    int64_t version = reader.RequiredInt("version", 1, kMaxId);
    std::string title = reader.RequiredString("title", 50);
    std::string text = reader.RequiredString("text", kMaxReplyChars);
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.UpdateTemplate(*request.actor, *id, version, title, text), TemplateJson);
  });
  router.Delete("/api/v1/reply-templates/{id}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return NoContent(service.DeleteTemplate(*request.actor, *id));
  });

  // Categories (city-wide configuration).
  router.Get("/api/v1/appeal-categories", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    return Reply(service.AllCategories(*request.actor), [](const std::vector<Category>& c) {
      return Json{{"items", Items(c, CategoryJson)}};
    });
  });
  router.Put("/api/v1/appeal-categories/{code}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    Category c;
    c.code = std::string(request.PathParam("code"));
    c.name = reader.RequiredString("name", 50);
    c.description = reader.OptionalString("description", 500).value_or("");
    c.active = reader.OptionalBool("active").value_or(true);
    c.sort_order = static_cast<int>(reader.OptionalInt("sort_order", 0, 1'000'000).value_or(0));
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.SaveCategory(*request.actor, c), CategoryJson);
  });

  // The working-day calendar and the deadlines.
  router.Get("/api/v1/appeal-calendar", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    return Reply(service.CalendarDays(*request.actor), [](const std::vector<CalendarDay>& days) {
      return Json{{"items", Items(days, [](const CalendarDay& d) {
                     return Json{{"date", d.date}, {"kind", DayKindName(d.kind)}, {"name", d.name}};
                   })}};
    });
  });
  router.Put("/api/v1/appeal-calendar/{date}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    CalendarDay day;
    day.date = std::string(request.PathParam("date"));
    std::string kind = reader.RequiredString("kind", 16);
    if (!kind.empty() && !ParseDayKind(kind, day.kind)) {
      reader.Fail("kind", "must be holiday or workday");
    }
    day.name = reader.OptionalString("name", 50).value_or("");
    if (!reader.ok()) return http::Problem(reader.ToError());
    auto done = service.SetCalendarDay(*request.actor, day);
    if (!done) return http::Problem(done.error());
    return http::JsonResponse(
        Json{{"date", day.date}, {"kind", DayKindName(day.kind)}, {"name", day.name}});
  });
  router.Delete("/api/v1/appeal-calendar/{date}", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    return NoContent(service.DeleteCalendarDay(*request.actor, request.PathParam("date")));
  });
  auto deadlines_json = [](const DeadlineSettings& d) {
    return Json{{"kind", KindName(d.kind)},
                {"acknowledge_hours", d.acknowledge_hours},
                {"reply_working_days", d.reply_working_days},
                {"resolve_working_days", d.resolve_working_days},
                {"version", d.version}};
  };
  router.Get("/api/v1/appeal-deadlines", [&service, deadlines_json](Request& request) {
    if (!request.actor) return NotSignedIn();
    return Reply(service.ListDeadlines(*request.actor),
                 [&](const std::vector<DeadlineSettings>& d) {
                   return Json{{"items", Items(d, deadlines_json)}};
                 });
  });
  router.Put("/api/v1/appeal-deadlines/{kind}", [&service, deadlines_json](Request& request) {
    if (!request.actor) return NotSignedIn();
    DeadlineSettings d;
    if (!ParseKind(request.PathParam("kind"), d.kind)) return NotFound();
    auto body = http::ParseJsonObject(request);
    if (!body) return http::Problem(body.error());
    FieldReader reader(*body);
    d.version = reader.RequiredInt("version", 1, kMaxId);
    d.acknowledge_hours = static_cast<int>(reader.RequiredInt("acknowledge_hours", 1, 720));
    d.reply_working_days = static_cast<int>(reader.RequiredInt("reply_working_days", 1, 120));
    d.resolve_working_days = static_cast<int>(reader.RequiredInt("resolve_working_days", 1, 365));
    if (!reader.ok()) return http::Problem(reader.ToError());
    return Reply(service.SetDeadlines(*request.actor, d), deadlines_json);
  });

  // Notifications.
  router.Get("/api/v1/notifications", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    bool unread = query.Flag("unread");
    auto page = query.Page();
    if (!query.ok()) return query.Problem();
    return Reply(service.Notifications(*request.actor, unread, page.Offset(), page.page_size),
                 [&](const Page<Notification>& p) {
                   return http::PageJson(Items(p.items,
                                               [](const Notification& n) {
                                                 return Json{{"id", n.id},
                                                             {"kind", NotificationKindName(n.kind)},
                                                             {"appeal_id", n.appeal_id},
                                                             {"tracking_number", n.tracking_number},
                                                             {"read_at", OptTime(n.read_at)},
                                                             {"created_at", Time(n.created_at)}};
                                               }),
                                         p.total, page);
                 });
  });
  router.Post("/api/v1/notifications/{id}/read", [&service](Request& request) {
    if (!request.actor) return NotSignedIn();
    auto id = ParseId(request.PathParam("id"));
    if (!id) return NotFound();
    return NoContent(service.MarkNotificationRead(*request.actor, *id));
  });
}

void RegisterMetricsRoutes(http::Router& router, AppealMetrics& metrics) {
  router.Get("/api/v1/appeal-metrics", [&metrics](Request& request) {
    if (!request.actor) return NotSignedIn();
    QueryReader query(request);
    MetricsQuery q;
    q.unit_id = query.Id("unit_id");
    auto from = query.Text("from");
    auto to = query.Text("to");
    if (!from) query.Fail("from", "is required");
    if (!to) query.Fail("to", "is required");
    q.from_date = from.value_or("");
    q.to_date = to.value_or("");
    q.channel = query.Enum<Channel>("channel", &ParseChannel);
    q.kind = query.Enum<AppealKind>("kind", &ParseKind);
    if (auto trend = query.Text("trend")) {
      if (*trend == "day") {
        q.trend = TrendGranularity::kDay;
      } else if (*trend == "month") {
        q.trend = TrendGranularity::kMonth;
      } else if (*trend == "none") {
        q.trend = TrendGranularity::kNone;
      } else {
        query.Fail("trend", "must be day, month or none");
      }
    }
    if (!query.ok()) return query.Problem();
    return Reply(metrics.Compute(*request.actor, q), [](const MetricsReport& r) {
      Json by_channel = Json::array();
      for (const auto& [channel, counts] : r.by_channel) {
        Json j = CountsJson(counts);
        j["channel"] = ChannelName(channel);
        by_channel.push_back(std::move(j));
      }
      Json by_kind = Json::array();
      for (const auto& [kind, counts] : r.by_kind) {
        Json j = CountsJson(counts);
        j["kind"] = KindName(kind);
        by_kind.push_back(std::move(j));
      }
      Json trend = Json::array();
      for (const auto& [bucket, counts] : r.trend) {
        Json j = CountsJson(counts);
        j["period"] = bucket;
        trend.push_back(std::move(j));
      }
      return Json{{"unit", {{"id", r.unit_id}, {"name", r.unit_name}}},
                  {"from", r.from_date},
                  {"to", r.to_date},
                  {"total", CountsJson(r.total)},
                  {"by_channel", by_channel},
                  {"by_kind", by_kind},
                  {"trend", trend}};
    });
  });
}

// The citizen's tracking credentials in a JSON body.
struct Credentials {
  std::string tracking_number;
  std::string access_code;
};
Credentials ReadCredentials(FieldReader& reader) {
  return {reader.RequiredString("tracking_number", 32), reader.RequiredString("access_code", 16)};
}

}  // namespace

std::optional<AppealFilter> ParseAppealFilterQuery(const http::Request& request, Error* error) {
  QueryReader query(request);
  AppealFilter filter = ReadAppealFilter(query);
  if (!query.ok()) {
    if (error != nullptr) *error = query.ToError();
    return std::nullopt;
  }
  return filter;
}

void RegisterAppealRoutes(http::Router& router, AppealService& service, AppealMetrics& metrics) {
  RegisterInboxRoutes(router, service);
  RegisterConfigRoutes(router, service);
  RegisterMetricsRoutes(router, metrics);
}

void RegisterPublicAppealRoutes(http::Router& router, AppealService& service) {
  const http::RouteOptions kPublic{.access = http::Access::kPublic};

  router.Post(
      "/api/v1/public/appeals",
      [&service](Request& request) {
        auto body = http::ParseJsonObject(request);
        if (!body) return http::Problem(body.error());
        FieldReader reader(*body);
        Submission s = ReadSubmission(*body, reader);
        s.channel = Channel::kWeb;
        if (!reader.ok()) return http::Problem(reader.ToError());
        auto receipt = service.Submit(s, request.Header("idempotency-key"));
        if (!receipt) return http::Problem(receipt.error());
        Response response = http::JsonResponse(ReceiptJson(*receipt), 201);
        response.SetHeader("Cache-Control", "no-store");
        return response;
      },
      kPublic);

  router.Get(
      "/api/v1/public/appeals/similar",
      [&service](Request& request) {
        QueryReader query(request);
        auto district = query.Text("district_code").value_or("");
        auto category = query.Text("category").value_or("");
        auto q = query.Text("q").value_or("");
        if (!query.ok()) return query.Problem();
        return Reply(service.Similar(district, category, q, 5),
                     [](const std::vector<PublicAppeal>& items) {
                       return Json{{"items", Items(items, PublicAppealJson)}};
                     });
      },
      kPublic);

  router.Post(
      "/api/v1/public/appeals/track",
      [&service](Request& request) {
        auto body = http::ParseJsonObject(request);
        if (!body) return http::Problem(body.error());
        FieldReader reader(*body);
        Credentials c = ReadCredentials(reader);
        if (!reader.ok()) return http::Problem(reader.ToError());
        return Reply(service.Track(c.tracking_number, c.access_code), TrackJson);
      },
      kPublic);

  router.Post(
      "/api/v1/public/appeals/rate",
      [&service](Request& request) {
        auto body = http::ParseJsonObject(request);
        if (!body) return http::Problem(body.error());
        FieldReader reader(*body);
        Credentials c = ReadCredentials(reader);
        std::string name = reader.RequiredString("rating", 32);
        Rating rating = Rating::kSatisfied;
        if (!name.empty() && !ParseRating(name, rating)) {
          reader.Fail("rating", "must be satisfied, basically_satisfied or unsatisfied");
        }
        std::string comment = reader.OptionalString("comment", 500).value_or("");
        if (!reader.ok()) return http::Problem(reader.ToError());
        return Reply(service.Rate(c.tracking_number, c.access_code, rating, comment), TrackJson);
      },
      kPublic);

  router.Post(
      "/api/v1/public/appeals/reopen",
      [&service](Request& request) {
        auto body = http::ParseJsonObject(request);
        if (!body) return http::Problem(body.error());
        FieldReader reader(*body);
        Credentials c = ReadCredentials(reader);
        std::string reason = reader.RequiredString("reason", kMaxNoteChars);
        if (!reader.ok()) return http::Problem(reader.ToError());
        return Reply(service.Reopen(c.tracking_number, c.access_code, reason), TrackJson);
      },
      kPublic);

  router.Get(
      "/api/v1/public/wall",
      [&service](Request& request) {
        QueryReader query(request);
        WallQuery q;
        q.district_code = query.Text("district_code");
        q.category = query.Text("category");
        auto page = query.Page();
        if (!query.ok()) return query.Problem();
        q.offset = page.Offset();
        q.limit = page.page_size;
        return Reply(service.Wall(q), [&](const Page<WallEntry>& p) {
          return http::PageJson(Items(p.items,
                                      [](const WallEntry& e) {
                                        return Json{{"tracking_number", e.tracking_number},
                                                    {"kind", KindName(e.kind)},
                                                    {"category", e.category},
                                                    {"district_code", TextOrNull(e.district_code)},
                                                    {"text", e.text},
                                                    {"reply_text", e.reply_text},
                                                    {"unit_name", e.unit_name},
                                                    {"requested_at", Time(e.requested_at)},
                                                    {"replied_at", Time(e.replied_at)}};
                                      }),
                                p.total, page);
        });
      },
      kPublic);

  router.Get(
      "/api/v1/public/appeal-categories",
      [&service](Request&) {
        return Reply(service.Categories(), [](const std::vector<Category>& c) {
          return Json{{"items", Items(c, [](const Category& cat) {
                         return Json{{"code", cat.code},
                                     {"name", cat.name},
                                     {"description", cat.description}};
                       })}};
        });
      },
      kPublic);
}

}  // namespace lianxin::appeals
