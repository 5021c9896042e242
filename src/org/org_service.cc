#include "org/org_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>
#include <utility>

#include "core/text.h"
#include "org/csv.h"

namespace lianxin::org {

using auth::Action;
using storage::Session;

// A denial noticed inside a transaction. AccessPolicy::Check records denials in a
// transaction of its own, which must not nest inside ours (SQLite has one writer), so the
// transaction notes the first denial here and Settle() records it afterwards.
struct OrgService::Gate {
  std::optional<Action> action;
  std::string path;
  std::string target;

  Status Require(const Actor& actor, Action a, std::string_view target_path,
                 std::string target_name) {
    if (auth::AccessPolicy::Allows(actor, a, target_path)) return {};
    if (!action) {
      action = a;
      path = std::string(target_path);
      target = std::move(target_name);
    }
    return MakeError(ErrorCode::kPermissionDenied, "This action is not allowed on that unit.");
  }
};

namespace {

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxOfficerNameChars = 50;
constexpr size_t kMaxTitleChars = 50;
constexpr size_t kMaxAddressChars = 200;
constexpr size_t kMaxCommunityChars = 50;
constexpr size_t kMaxCommunities = 30;
constexpr size_t kMaxHandleChars = 100;
constexpr size_t kMaxUrlChars = 500;
constexpr int64_t kMaxFollowers = 10'000'000'000;

std::string UnitTarget(UnitId id) { return "unit:" + std::to_string(id); }
std::string OfficerTarget(OfficerId id) { return "officer:" + std::to_string(id); }
std::string ChannelTarget(ChannelAccountId id) { return "channel_account:" + std::to_string(id); }

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// Trims `value` in place and checks it is well-formed text of at most `max_chars` code
// points (and at least one when `required`).
void CheckText(std::vector<FieldError>& errors, std::string_view field, std::string& value,
               size_t max_chars, bool required) {
  value = std::string(Trim(value));
  if (!IsValidUtf8(value) || HasControl(value)) {
    errors.push_back({std::string(field), "must be plain text"});
  } else if (required && value.empty()) {
    errors.push_back({std::string(field), "is required"});
  } else if (Utf8Length(value) > max_chars) {
    errors.push_back(
        {std::string(field), "must be at most " + std::to_string(max_chars) + " characters"});
  }
}

void CheckPhone(std::vector<FieldError>& errors, std::string_view field, std::string& value) {
  value = std::string(Trim(value));
  if (!value.empty() && !LooksLikePhone(value)) {
    errors.push_back({std::string(field), "is not a phone number"});
  }
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool AllAlnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

void CheckCode(std::vector<FieldError>& errors, UnitKind kind, std::string& code) {
  code = std::string(Trim(code));
  if (kind == UnitKind::kDistrictBureau) {
    if (code.size() != 6 || !AllDigits(code)) {
      errors.push_back({"code", "a district bureau needs its 6-digit GB/T 2260 code"});
    }
  } else if (!code.empty() && (code.size() > 32 || !AllAlnum(code))) {
    errors.push_back({"code", "must be at most 32 letters or digits"});
  } else if (code.size() == 6 && AllDigits(code)) {
    // Six digits are a GB/T 2260 district code; units are found by it (CSV imports), so
    // only district bureaus may carry one.
    errors.push_back({"code", "6-digit codes are GB/T 2260 district codes, for district bureaus"});
  }
}

void CheckCommunities(std::vector<FieldError>& errors, UnitKind kind,
                      std::vector<std::string>& communities) {
  if (kind != UnitKind::kBeat) {
    if (!communities.empty()) errors.push_back({"communities", "only beats have communities"});
    return;
  }
  if (communities.size() > kMaxCommunities) {
    errors.push_back(
        {"communities", "at most " + std::to_string(kMaxCommunities) + " communities"});
    return;
  }
  for (size_t i = 0; i < communities.size(); ++i) {
    std::string field = "communities[" + std::to_string(i) + "]";
    CheckText(errors, field, communities[i], kMaxCommunityChars, true);
    if (communities[i].find("、") != std::string::npos) {
      errors.push_back({field, "one community per entry"});
    }
  }
}

void CheckUrl(std::vector<FieldError>& errors, std::string& url) {
  url = std::string(Trim(url));
  if (url.empty()) return;
  bool scheme = url.starts_with("https://") || url.starts_with("http://");
  bool clean = IsValidUtf8(url) && !HasControl(url) && url.find(' ') == std::string::npos;
  if (!scheme || !clean || Utf8Length(url) > kMaxUrlChars) {
    errors.push_back({"url", "must be an http(s) address"});
  }
}

// "/1/4/17/" -> "/1/4/"; the root's parent path is "/".
std::string ParentPath(std::string_view path) {
  if (path.size() < 2) return "/";
  size_t at = path.rfind('/', path.size() - 2);
  return std::string(path.substr(0, at + 1));
}

Error WithField(ErrorCode code, std::string field, std::string message) {
  return Error{code, message, {{std::move(field), message}}};
}

template <class T>
Result<T> NotFound(std::string_view what) {
  return MakeError(ErrorCode::kNotFound, std::string(what) + " not found.");
}

std::optional<UnitKind> ParseKindAlias(std::string_view text) {
  if (auto kind = ParseUnitKind(text)) return kind;
  static const std::map<std::string, UnitKind, std::less<>> kAliases = {
      {"市局", UnitKind::kCityBureau},       {"分局", UnitKind::kDistrictBureau},
      {"区县局", UnitKind::kDistrictBureau}, {"警种", UnitKind::kPoliceType},
      {"派出所", UnitKind::kStation},        {"警务室", UnitKind::kBeat},
      {"社区警务室", UnitKind::kBeat},
  };
  auto it = kAliases.find(text);
  if (it == kAliases.end()) return std::nullopt;
  return it->second;
}

// A unit named in a CSV cell: a district code, a unit id, or a name path from the root.
Result<std::optional<Unit>> ResolveUnitRef(Session& s, std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::optional<Unit>();
  if (AllDigits(text)) {
    if (text.size() == 6) {
      auto district = repo::FindActiveDistrictByCode(s, text);
      if (!district) return std::unexpected(district.error());
      if (*district) return district;
    }
    UnitId id = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc()) return std::optional<Unit>();
    return repo::FindUnit(s, id);
  }
  std::optional<Unit> current;
  for (auto segment : Split(text, '/')) {
    segment = Trim(segment);
    if (segment.empty()) continue;
    auto child = repo::FindChildByName(
        s, current ? std::optional<UnitId>(current->id) : std::nullopt, segment);
    if (!child) return std::unexpected(child.error());
    if (!*child) return std::optional<Unit>();
    current = std::move(*child);
  }
  return current;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    auto trimmed = Trim(current);
    if (!trimmed.empty()) out.emplace_back(trimmed);
    current.clear();
  };
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i).starts_with("、")) {
      flush();
      i += std::string_view("、").size();
    } else if (text[i] == '|' || text[i] == ';') {
      flush();
      ++i;
    } else {
      current += text[i++];
    }
  }
  flush();
  return out;
}

// Errors that end an import instead of being reported per line. A row aimed outside the
// actor's subtree refuses the whole file with 403, as the same write through the API would.
bool IsFatal(const Error& error) {
  return error.code == ErrorCode::kInternal || error.code == ErrorCode::kUnavailable ||
         error.code == ErrorCode::kPermissionDenied;
}

Error AtLine(const Error& error, const std::string& line) {
  return Error{error.code, line + ": " + error.message, error.fields};
}

// A CSV's header: the column index of each known name (aliases folded).
struct CsvHeader {
  std::map<std::string, size_t, std::less<>> columns;
  size_t width = 0;

  std::string Cell(const CsvRow& row, std::string_view column) const {
    auto it = columns.find(column);
    if (it == columns.end() || it->second >= row.fields.size()) return "";
    return std::string(Trim(row.fields[it->second]));
  }
};

Result<CsvHeader> ReadHeader(const CsvRow& row,
                             const std::map<std::string, std::string, std::less<>>& names,
                             const std::vector<std::string>& required) {
  CsvHeader header;
  header.width = row.fields.size();
  std::vector<FieldError> errors;
  for (size_t i = 0; i < row.fields.size(); ++i) {
    std::string name = ToLowerAscii(Trim(row.fields[i]));
    auto it = names.find(name);
    std::string where = "line " + std::to_string(row.line) + ", column " + std::to_string(i + 1);
    if (it == names.end()) {
      errors.push_back({where, "unknown column \"" + name + "\""});
    } else if (!header.columns.emplace(it->second, i).second) {
      errors.push_back({where, "column \"" + it->second + "\" appears twice"});
    }
  }
  for (const auto& column : required) {
    if (!header.columns.contains(column)) {
      errors.push_back({"line " + std::to_string(row.line), "missing column \"" + column + "\""});
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));
  return header;
}

// Records the errors of one CSV line, naming fields by CSV column.
void AddLineErrors(std::vector<FieldError>& out, int64_t line, const Error& error,
                   const std::map<std::string, std::string, std::less<>>& field_to_column) {
  std::string prefix = "line " + std::to_string(line);
  if (error.fields.empty()) {
    out.push_back({prefix, error.message});
    return;
  }
  for (const auto& f : error.fields) {
    std::string column = f.field;
    auto bracket = column.find('[');
    if (bracket != std::string::npos) column.resize(bracket);
    auto it = field_to_column.find(column);
    if (it != field_to_column.end()) column = it->second;
    out.push_back({prefix + ", column " + column, f.message});
  }
}

Result<std::vector<CsvRow>> ParseImport(std::string_view csv) {
  auto rows = ParseCsv(csv);
  if (!rows) return rows;
  if (rows->empty()) return InvalidFields({{"line 1", "the header row is missing"}});
  return rows;
}

}  // namespace

OrgService::OrgService(storage::Database& database, const DataProtector& protector,
                       const Clock& clock, auth::AccessPolicy& policy, auth::AuditLog& audit)
    : database_(database), protector_(protector), clock_(clock), policy_(policy), audit_(audit) {}

Status OrgService::Append(Session& s, const Actor& actor, std::string action, std::string target,
                          std::string detail) {
  return audit_.Append(s, &actor,
                       auth::AuditEvent{std::move(action), std::move(target),
                                        auth::AuditResult::kOk, std::move(detail)},
                       actor.client_ip);
}

void OrgService::Settle(const Actor& actor, const Gate& gate) {
  if (!gate.action) return;
  auto recorded = policy_.Check(actor, *gate.action, gate.path, gate.target);
  (void)recorded;  // a denial: the caller already returns kPermissionDenied
}

// ---------------------------------------------------------------------------------------
// Units

Result<UnitNode> OrgService::UnitTree(const Actor& actor, std::optional<UnitId> root_id,
                                      int depth) {
  if (depth < 0 || depth > kMaxTreeDepth) {
    return InvalidFields({{"depth", "must be between 0 and " + std::to_string(kMaxTreeDepth)}});
  }
  Gate gate;
  auto result = database_.Read<UnitNode>([&](Session& s) -> Result<UnitNode> {
    auto root = repo::FindUnit(s, root_id.value_or(actor.unit_id));
    if (!root) return std::unexpected(root.error());
    if (!*root) return NotFound<UnitNode>("Unit");
    if (auto ok = gate.Require(actor, Action::kOrgRead, (*root)->path, UnitTarget((*root)->id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto units = repo::LoadSubtree(s, (*root)->path, (*root)->depth + depth);
    if (!units) return std::unexpected(units.error());
    // Rows come parents first; build bottom-up by walking them in reverse.
    std::unordered_map<UnitId, std::vector<UnitNode>> children;
    for (auto it = units->rbegin(); it != units->rend(); ++it) {
      UnitNode node{std::move(*it), {}};
      if (auto found = children.find(node.unit.id); found != children.end()) {
        node.children = std::move(found->second);
        std::reverse(node.children.begin(), node.children.end());
        children.erase(found);
      }
      if (node.unit.id == (*root)->id) return node;
      if (node.unit.parent_id) children[*node.unit.parent_id].push_back(std::move(node));
    }
    return NotFound<UnitNode>("Unit");
  });
  Settle(actor, gate);
  return result;
}

Result<Page<Unit>> OrgService::SearchUnits(const Actor& actor, const UnitSearch& search) {
  Gate gate;
  auto result = database_.Read<Page<Unit>>([&](Session& s) -> Result<Page<Unit>> {
    repo::UnitFilter filter;
    filter.scope_path = actor.unit_path;
    std::string target = UnitTarget(actor.unit_id);
    if (search.parent_id) {
      auto parent = repo::FindUnit(s, *search.parent_id);
      if (!parent) return std::unexpected(parent.error());
      if (!*parent) return NotFound<Page<Unit>>("Unit");
      filter.scope_path = (*parent)->path;
      target = UnitTarget((*parent)->id);
    }
    if (auto ok = gate.Require(actor, Action::kOrgRead, filter.scope_path, target); !ok) {
      return std::unexpected(ok.error());
    }
    filter.parent_id = search.parent_id;
    filter.q = search.q;
    filter.kind = search.kind;
    filter.active = search.active;
    filter.offset = search.offset;
    filter.limit = search.limit;
    Page<Unit> page;
    auto units = repo::SearchUnits(s, filter, page.total);
    if (!units) return std::unexpected(units.error());
    page.items = std::move(*units);
    return page;
  });
  Settle(actor, gate);
  return result;
}

Result<UnitDetail> OrgService::GetUnit(const Actor& actor, UnitId id) {
  Gate gate;
  auto result = database_.Read<UnitDetail>([&](Session& s) -> Result<UnitDetail> {
    auto unit = repo::FindUnit(s, id);
    if (!unit) return std::unexpected(unit.error());
    if (!*unit) return NotFound<UnitDetail>("Unit");
    if (auto ok = gate.Require(actor, Action::kOrgRead, (*unit)->path, UnitTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    auto ancestors = repo::LoadAncestors(s, (*unit)->path);
    if (!ancestors) return std::unexpected(ancestors.error());
    return UnitDetail{std::move(**unit), std::move(*ancestors)};
  });
  Settle(actor, gate);
  return result;
}

Result<Unit> OrgService::CreateUnitIn(Session& s, Gate& gate, const Actor& actor,
                                      const NewUnit& input) {
  NewUnit u = input;
  std::vector<FieldError> errors;
  CheckText(errors, "name", u.name, kMaxNameChars, true);
  CheckCode(errors, u.kind, u.code);
  CheckPhone(errors, "public_phone", u.public_phone);
  CheckText(errors, "address", u.address, kMaxAddressChars, false);
  CheckCommunities(errors, u.kind, u.communities);
  if (u.beat_officer_id && u.kind != UnitKind::kBeat) {
    errors.push_back({"beat_officer_id", "only beats have a beat officer"});
  }

  auto parent = repo::FindUnit(s, u.parent_id);
  if (!parent) return std::unexpected(parent.error());
  if (!*parent) {
    errors.push_back({"parent_id", "no such unit"});
    return InvalidFields(std::move(errors));
  }
  if (auto ok = gate.Require(actor, Action::kOrgWrite, (*parent)->path, UnitTarget(u.parent_id));
      !ok) {
    return std::unexpected(WithField(ErrorCode::kPermissionDenied, "parent_id",
                                     "the parent unit is outside your subtree"));
  }
  if (!(*parent)->active) errors.push_back({"parent_id", "the parent unit is inactive"});
  if (!KindFitsParent((*parent)->kind, u.kind)) {
    errors.push_back({"kind", "a " + std::string(UnitKindName(u.kind)) +
                                  " cannot be placed under a " +
                                  std::string(UnitKindName((*parent)->kind))});
  }
  std::optional<OfficerRef> beat_officer;
  if (u.beat_officer_id && u.kind == UnitKind::kBeat) {
    auto officer = repo::FindOfficer(s, protector_, *u.beat_officer_id);
    if (!officer) return std::unexpected(officer.error());
    if (!*officer || !(*officer)->active || !(*officer)->unit_path.starts_with((*parent)->path)) {
      errors.push_back({"beat_officer_id", "no active officer of this station has that id"});
    } else {
      beat_officer = OfficerRef{(*officer)->id, (*officer)->name, (*officer)->title};
    }
  }
  if (!errors.empty()) return InvalidFields(std::move(errors));

  if (u.kind == UnitKind::kDistrictBureau) {
    auto taken = repo::DistrictCodeTaken(s, u.code, 0);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) {
      return std::unexpected(
          WithField(ErrorCode::kConflict, "code", "another active district bureau has this code"));
    }
  }
  auto name_taken = repo::SiblingNameTaken(s, u.parent_id, u.name, 0);
  if (!name_taken) return std::unexpected(name_taken.error());
  if (*name_taken) {
    return std::unexpected(
        WithField(ErrorCode::kConflict, "name", "the parent already has a unit of this name"));
  }

  Unit unit;
  unit.parent_id = u.parent_id;
  unit.depth = (*parent)->depth + 1;
  unit.kind = u.kind;
  unit.name = u.name;
  unit.code = u.code;
  unit.public_phone = u.public_phone;
  unit.address = u.address;
  unit.communities = u.communities;
  unit.beat_officer = beat_officer;
  int64_t now = clock_.NowMillis();
  auto id = repo::InsertUnit(s, unit, (*parent)->path, now);
  if (!id) return std::unexpected(id.error());
  if (auto ok = Append(s, actor, "unit.create", UnitTarget(*id), unit.name); !ok) {
    return std::unexpected(ok.error());
  }
  auto created = repo::FindUnit(s, *id);
  if (!created) return std::unexpected(created.error());
  if (!*created) return MakeError(ErrorCode::kInternal, "created unit vanished");
  return std::move(**created);
}

Result<Unit> OrgService::CreateUnit(const Actor& actor, const NewUnit& input) {
  Gate gate;
  auto result = database_.Write<Unit>(
      [&](Session& s) -> Result<Unit> { return CreateUnitIn(s, gate, actor, input); });
  Settle(actor, gate);
  return result;
}

Result<Unit> OrgService::UpdateUnit(const Actor& actor, UnitId id, const UnitChanges& changes) {
  Gate gate;
  auto result = database_.Write<Unit>([&](Session& s) -> Result<Unit> {
    auto found = repo::FindUnit(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound<Unit>("Unit");
    Unit unit = std::move(**found);
    if (auto ok = gate.Require(actor, Action::kOrgWrite, unit.path, UnitTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    if (changes.version != unit.version) {
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    }
    std::vector<FieldError> errors;
    if (changes.name) {
      unit.name = *changes.name;
      CheckText(errors, "name", unit.name, kMaxNameChars, true);
    }
    if (changes.code) {
      unit.code = *changes.code;
      CheckCode(errors, unit.kind, unit.code);
    }
    if (changes.public_phone) {
      unit.public_phone = *changes.public_phone;
      CheckPhone(errors, "public_phone", unit.public_phone);
    }
    if (changes.address) {
      unit.address = *changes.address;
      CheckText(errors, "address", unit.address, kMaxAddressChars, false);
    }
    if (changes.communities) {
      unit.communities = *changes.communities;
      CheckCommunities(errors, unit.kind, unit.communities);
    }
    if (changes.beat_officer_id) {
      if (*changes.beat_officer_id == 0) {
        unit.beat_officer.reset();
      } else if (unit.kind != UnitKind::kBeat) {
        errors.push_back({"beat_officer_id", "only beats have a beat officer"});
      } else {
        auto officer = repo::FindOfficer(s, protector_, *changes.beat_officer_id);
        if (!officer) return std::unexpected(officer.error());
        if (!*officer || !(*officer)->active ||
            !(*officer)->unit_path.starts_with(ParentPath(unit.path))) {
          errors.push_back({"beat_officer_id", "no active officer of this station has that id"});
        } else {
          unit.beat_officer = OfficerRef{(*officer)->id, (*officer)->name, (*officer)->title};
        }
      }
    }
    if (!errors.empty()) return InvalidFields(std::move(errors));
    if (changes.code && unit.kind == UnitKind::kDistrictBureau && unit.active) {
      auto taken = repo::DistrictCodeTaken(s, unit.code, id);
      if (!taken) return std::unexpected(taken.error());
      if (*taken) {
        return std::unexpected(WithField(ErrorCode::kConflict, "code",
                                         "another active district bureau has this code"));
      }
    }
    if (changes.name && unit.parent_id) {
      auto taken = repo::SiblingNameTaken(s, *unit.parent_id, unit.name, id);
      if (!taken) return std::unexpected(taken.error());
      if (*taken) {
        return std::unexpected(
            WithField(ErrorCode::kConflict, "name", "the parent already has a unit of this name"));
      }
    }
    auto updated = repo::UpdateUnit(s, unit, clock_.NowMillis());
    if (!updated) return std::unexpected(updated.error());
    if (!*updated)
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    if (auto ok = Append(s, actor, "unit.update", UnitTarget(id), unit.name); !ok) {
      return std::unexpected(ok.error());
    }
    auto reloaded = repo::FindUnit(s, id);
    if (!reloaded) return std::unexpected(reloaded.error());
    return std::move(**reloaded);
  });
  Settle(actor, gate);
  return result;
}

Result<Unit> OrgService::MoveUnit(const Actor& actor, UnitId id, int64_t version,
                                  UnitId new_parent_id) {
  Gate gate;
  auto result = database_.Write<Unit>([&](Session& s) -> Result<Unit> {
    auto unit = repo::FindUnit(s, id);
    if (!unit) return std::unexpected(unit.error());
    if (!*unit) return NotFound<Unit>("Unit");
    if (auto ok = gate.Require(actor, Action::kOrgWrite, (*unit)->path, UnitTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    auto parent = repo::FindUnit(s, new_parent_id);
    if (!parent) return std::unexpected(parent.error());
    if (!*parent) return InvalidFields({{"parent_id", "no such unit"}});
    if (auto ok =
            gate.Require(actor, Action::kOrgWrite, (*parent)->path, UnitTarget(new_parent_id));
        !ok) {
      return std::unexpected(WithField(ErrorCode::kPermissionDenied, "parent_id",
                                       "the new parent is outside your subtree"));
    }
    if (version != (*unit)->version) {
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    }
    if (!(*unit)->parent_id) {
      return MakeError(ErrorCode::kConflict, "The root unit cannot move.");
    }
    if ((*parent)->path.starts_with((*unit)->path)) {
      return std::unexpected(
          WithField(ErrorCode::kConflict, "parent_id", "a unit cannot move into its own subtree"));
    }
    if (!(*parent)->active) {
      return std::unexpected(
          WithField(ErrorCode::kConflict, "parent_id", "the new parent is inactive"));
    }
    if (!KindFitsParent((*parent)->kind, (*unit)->kind)) {
      return InvalidFields({{"parent_id", "a " + std::string(UnitKindName((*unit)->kind)) +
                                              " cannot be placed under a " +
                                              std::string(UnitKindName((*parent)->kind))}});
    }
    auto taken = repo::SiblingNameTaken(s, new_parent_id, (*unit)->name, id);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) {
      return std::unexpected(WithField(ErrorCode::kConflict, "parent_id",
                                       "the new parent already has a unit of this name"));
    }
    auto moved = repo::MoveUnit(s, **unit, **parent, version, clock_.NowMillis());
    if (!moved) return std::unexpected(moved.error());
    if (!*moved)
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    if (auto ok = Append(s, actor, "unit.move", UnitTarget(id),
                         "from " + UnitTarget((*unit)->parent_id.value_or(0)) + " to " +
                             UnitTarget(new_parent_id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto reloaded = repo::FindUnit(s, id);
    if (!reloaded) return std::unexpected(reloaded.error());
    return std::move(**reloaded);
  });
  Settle(actor, gate);
  return result;
}

Result<Unit> OrgService::SetUnitActive(const Actor& actor, UnitId id, int64_t version,
                                       bool active) {
  Gate gate;
  auto result = database_.Write<Unit>([&](Session& s) -> Result<Unit> {
    auto found = repo::FindUnit(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound<Unit>("Unit");
    Unit unit = std::move(**found);
    if (auto ok = gate.Require(actor, Action::kOrgWrite, unit.path, UnitTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    if (version != unit.version) {
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    }
    if (!active) {
      auto busy = repo::HasActiveChildren(s, id);
      if (!busy) return std::unexpected(busy.error());
      if (*busy) {
        return MakeError(ErrorCode::kConflict,
                         "The unit has active child units; deactivate or move them first.");
      }
    } else {
      if (unit.parent_id) {
        auto parent = repo::FindUnit(s, *unit.parent_id);
        if (!parent) return std::unexpected(parent.error());
        if (*parent && !(*parent)->active) {
          return MakeError(ErrorCode::kConflict, "The parent unit is inactive.");
        }
      }
      if (unit.kind == UnitKind::kDistrictBureau) {
        auto taken = repo::DistrictCodeTaken(s, unit.code, id);
        if (!taken) return std::unexpected(taken.error());
        if (*taken) {
          return MakeError(ErrorCode::kConflict, "Another active district bureau has this code.");
        }
      }
    }
    unit.active = active;
    auto updated = repo::UpdateUnit(s, unit, clock_.NowMillis());
    if (!updated) return std::unexpected(updated.error());
    if (!*updated)
      return MakeError(ErrorCode::kStaleVersion, "The unit was changed by someone else.");
    if (auto ok = Append(s, actor, active ? "unit.activate" : "unit.deactivate", UnitTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto reloaded = repo::FindUnit(s, id);
    if (!reloaded) return std::unexpected(reloaded.error());
    return std::move(**reloaded);
  });
  Settle(actor, gate);
  return result;
}

Result<Unit> OrgService::DeactivateUnit(const Actor& actor, UnitId id, int64_t version) {
  return SetUnitActive(actor, id, version, false);
}

Result<Unit> OrgService::ActivateUnit(const Actor& actor, UnitId id, int64_t version) {
  return SetUnitActive(actor, id, version, true);
}

// ---------------------------------------------------------------------------------------
// Officers

Result<Page<Officer>> OrgService::SearchOfficers(const Actor& actor, const OfficerSearch& search) {
  Gate gate;
  auto result = database_.Read<Page<Officer>>([&](Session& s) -> Result<Page<Officer>> {
    repo::OfficerFilter filter;
    filter.scope_path = actor.unit_path;
    std::string target = UnitTarget(actor.unit_id);
    if (search.unit_id) {
      auto unit = repo::FindUnit(s, *search.unit_id);
      if (!unit) return std::unexpected(unit.error());
      if (!*unit) return NotFound<Page<Officer>>("Unit");
      filter.scope_path = (*unit)->path;
      target = UnitTarget((*unit)->id);
    }
    if (auto ok = gate.Require(actor, Action::kOrgRead, filter.scope_path, target); !ok) {
      return std::unexpected(ok.error());
    }
    filter.q = search.q;
    filter.offset = search.offset;
    filter.limit = search.limit;
    Page<Officer> page;
    auto officers = repo::SearchOfficers(s, protector_, filter, page.total);
    if (!officers) return std::unexpected(officers.error());
    page.items = std::move(*officers);
    return page;
  });
  Settle(actor, gate);
  return result;
}

Result<Officer> OrgService::GetOfficer(const Actor& actor, OfficerId id) {
  Gate gate;
  auto result = database_.Read<Officer>([&](Session& s) -> Result<Officer> {
    auto officer = repo::FindOfficer(s, protector_, id);
    if (!officer) return std::unexpected(officer.error());
    if (!*officer) return NotFound<Officer>("Officer");
    if (auto ok = gate.Require(actor, Action::kOrgRead, (*officer)->unit_path, OfficerTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    return std::move(**officer);
  });
  Settle(actor, gate);
  return result;
}

Result<OfficerId> OrgService::CreateOfficerIn(Session& s, Gate& gate, const Actor& actor,
                                              const NewOfficer& input) {
  NewOfficer o = input;
  std::vector<FieldError> errors;
  o.badge_no = std::string(Trim(o.badge_no));
  if (o.badge_no.size() < 4 || o.badge_no.size() > 20 || !AllAlnum(o.badge_no)) {
    errors.push_back({"badge_no", "must be 4 to 20 letters or digits"});
  }
  CheckText(errors, "name", o.name, kMaxOfficerNameChars, true);
  CheckText(errors, "title", o.title, kMaxTitleChars, false);
  CheckPhone(errors, "phone", o.phone);
  auto unit = repo::FindUnit(s, o.unit_id);
  if (!unit) return std::unexpected(unit.error());
  if (!*unit) {
    errors.push_back({"unit_id", "no such unit"});
    return InvalidFields(std::move(errors));
  }
  if (auto ok = gate.Require(actor, Action::kOfficerWrite, (*unit)->path, UnitTarget(o.unit_id));
      !ok) {
    return std::unexpected(
        WithField(ErrorCode::kPermissionDenied, "unit_id", "the unit is outside your subtree"));
  }
  if (!(*unit)->active) errors.push_back({"unit_id", "the unit is inactive"});
  if (!errors.empty()) return InvalidFields(std::move(errors));
  auto existing = repo::FindOfficerIdByBadge(s, o.badge_no);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) {
    return std::unexpected(
        WithField(ErrorCode::kConflict, "badge_no", "another officer has this badge number"));
  }
  repo::OfficerRow row;
  row.badge_no = o.badge_no;
  row.name = o.name;
  row.unit_id = o.unit_id;
  row.title = o.title;
  if (!o.phone.empty()) {
    row.phone_sealed = protector_.Seal(o.phone);
    row.phone_hash = protector_.LookupHash(o.phone);
  }
  auto id = repo::InsertOfficer(s, row, clock_.NowMillis());
  if (!id) return std::unexpected(id.error());
  if (auto ok = Append(s, actor, "officer.create", OfficerTarget(*id)); !ok) {
    return std::unexpected(ok.error());
  }
  return *id;
}

Result<Officer> OrgService::CreateOfficer(const Actor& actor, const NewOfficer& input) {
  Gate gate;
  auto result = database_.Write<Officer>([&](Session& s) -> Result<Officer> {
    auto id = CreateOfficerIn(s, gate, actor, input);
    if (!id) return std::unexpected(id.error());
    auto officer = repo::FindOfficer(s, protector_, *id);
    if (!officer) return std::unexpected(officer.error());
    return std::move(**officer);
  });
  Settle(actor, gate);
  return result;
}

Result<Officer> OrgService::UpdateOfficer(const Actor& actor, OfficerId id,
                                          const OfficerChanges& changes) {
  Gate gate;
  auto result = database_.Write<Officer>([&](Session& s) -> Result<Officer> {
    auto current = repo::FindOfficer(s, protector_, id);
    if (!current) return std::unexpected(current.error());
    if (!*current) return NotFound<Officer>("Officer");
    if (auto ok =
            gate.Require(actor, Action::kOfficerWrite, (*current)->unit_path, OfficerTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto row = repo::LoadOfficerRow(s, id);
    if (!row) return std::unexpected(row.error());
    if (!*row) return NotFound<Officer>("Officer");
    repo::OfficerRow o = std::move(**row);
    if (changes.version != o.version) {
      return MakeError(ErrorCode::kStaleVersion, "The officer was changed by someone else.");
    }
    std::vector<FieldError> errors;
    if (changes.name) {
      o.name = *changes.name;
      CheckText(errors, "name", o.name, kMaxOfficerNameChars, true);
    }
    if (changes.title) {
      o.title = *changes.title;
      CheckText(errors, "title", o.title, kMaxTitleChars, false);
    }
    if (changes.phone) {
      std::string phone = *changes.phone;
      CheckPhone(errors, "phone", phone);
      o.phone_sealed = phone.empty() ? "" : protector_.Seal(phone);
      o.phone_hash = phone.empty() ? "" : protector_.LookupHash(phone);
    }
    if (changes.active) o.active = *changes.active;
    if (changes.unit_id && *changes.unit_id != o.unit_id) {
      auto unit = repo::FindUnit(s, *changes.unit_id);
      if (!unit) return std::unexpected(unit.error());
      if (!*unit) {
        errors.push_back({"unit_id", "no such unit"});
      } else {
        if (auto ok = gate.Require(actor, Action::kOfficerWrite, (*unit)->path,
                                   UnitTarget(*changes.unit_id));
            !ok) {
          return std::unexpected(WithField(ErrorCode::kPermissionDenied, "unit_id",
                                           "the unit is outside your subtree"));
        }
        if (!(*unit)->active) errors.push_back({"unit_id", "the unit is inactive"});
        o.unit_id = *changes.unit_id;
      }
    }
    if (!errors.empty()) return InvalidFields(std::move(errors));
    auto updated = repo::UpdateOfficer(s, id, changes.version, o, clock_.NowMillis());
    if (!updated) return std::unexpected(updated.error());
    if (!*updated) {
      return MakeError(ErrorCode::kStaleVersion, "The officer was changed by someone else.");
    }
    if (auto ok = Append(s, actor, "officer.update", OfficerTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    auto reloaded = repo::FindOfficer(s, protector_, id);
    if (!reloaded) return std::unexpected(reloaded.error());
    return std::move(**reloaded);
  });
  Settle(actor, gate);
  return result;
}

Result<std::string> OrgService::RevealOfficerPhone(const Actor& actor, OfficerId id) {
  Gate gate;
  auto result = database_.Write<std::string>([&](Session& s) -> Result<std::string> {
    auto officer = repo::FindOfficer(s, protector_, id);
    if (!officer) return std::unexpected(officer.error());
    if (!*officer) return NotFound<std::string>("Officer");
    if (auto ok = gate.Require(actor, Action::kOfficerRevealPhone, (*officer)->unit_path,
                               OfficerTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    auto row = repo::LoadOfficerRow(s, id);
    if (!row) return std::unexpected(row.error());
    std::string phone;
    if (*row && !(*row)->phone_sealed.empty()) {
      auto opened = protector_.Open((*row)->phone_sealed);
      if (!opened) return MakeError(ErrorCode::kInternal, "The stored phone cannot be opened.");
      phone = std::move(*opened);
    }
    if (auto ok = Append(s, actor, "officer.reveal_phone", OfficerTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    return phone;
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// Channel accounts

namespace {

// Validates the stored form of an account (after changes were applied).
void CheckAccount(std::vector<FieldError>& errors, ChannelAccount& a) {
  CheckText(errors, "name", a.name, kMaxNameChars, true);
  CheckText(errors, "handle", a.handle, kMaxHandleChars, true);
  CheckUrl(errors, a.url);
  if (a.followers < 0 || a.followers > kMaxFollowers) {
    errors.push_back({"followers", "must be between 0 and " + std::to_string(kMaxFollowers)});
  }
}

}  // namespace

Result<Page<ChannelAccount>> OrgService::SearchChannelAccounts(const Actor& actor,
                                                               const ChannelSearch& search) {
  Gate gate;
  auto result =
      database_.Read<Page<ChannelAccount>>([&](Session& s) -> Result<Page<ChannelAccount>> {
        repo::ChannelFilter filter;
        filter.scope_path = actor.unit_path;
        std::string target = UnitTarget(actor.unit_id);
        if (search.unit_id) {
          auto unit = repo::FindUnit(s, *search.unit_id);
          if (!unit) return std::unexpected(unit.error());
          if (!*unit) return NotFound<Page<ChannelAccount>>("Unit");
          filter.scope_path = (*unit)->path;
          target = UnitTarget((*unit)->id);
        }
        if (auto ok = gate.Require(actor, Action::kOrgRead, filter.scope_path, target); !ok) {
          return std::unexpected(ok.error());
        }
        filter.platform = search.platform;
        filter.q = search.q;
        filter.offset = search.offset;
        filter.limit = search.limit;
        Page<ChannelAccount> page;
        auto items = repo::SearchChannelAccounts(s, filter, page.total);
        if (!items) return std::unexpected(items.error());
        page.items = std::move(*items);
        return page;
      });
  Settle(actor, gate);
  return result;
}

Result<ChannelAccount> OrgService::GetChannelAccount(const Actor& actor, ChannelAccountId id) {
  Gate gate;
  auto result = database_.Read<ChannelAccount>([&](Session& s) -> Result<ChannelAccount> {
    auto account = repo::FindChannelAccount(s, id);
    if (!account) return std::unexpected(account.error());
    if (!*account) return NotFound<ChannelAccount>("Channel account");
    if (auto ok = gate.Require(actor, Action::kOrgRead, (*account)->unit_path, ChannelTarget(id));
        !ok) {
      return std::unexpected(ok.error());
    }
    return std::move(**account);
  });
  Settle(actor, gate);
  return result;
}

Result<ChannelAccount> OrgService::CreateChannelAccount(const Actor& actor,
                                                        const NewChannelAccount& input) {
  Gate gate;
  auto result = database_.Write<ChannelAccount>([&](Session& s) -> Result<ChannelAccount> {
    ChannelAccount a;
    a.platform = input.platform;
    a.name = input.name;
    a.handle = input.handle;
    a.url = input.url;
    a.unit_id = input.unit_id;
    a.followers = input.followers;
    a.verified = input.verified;
    std::vector<FieldError> errors;
    CheckAccount(errors, a);
    auto unit = repo::FindUnit(s, input.unit_id);
    if (!unit) return std::unexpected(unit.error());
    if (!*unit) {
      errors.push_back({"unit_id", "no such unit"});
      return InvalidFields(std::move(errors));
    }
    if (auto ok =
            gate.Require(actor, Action::kChannelWrite, (*unit)->path, UnitTarget(input.unit_id));
        !ok) {
      return std::unexpected(ok.error());
    }
    if (!(*unit)->active) errors.push_back({"unit_id", "the unit is inactive"});
    if (input.operator_officer_id) {
      auto officer = repo::FindOfficer(s, protector_, *input.operator_officer_id);
      if (!officer) return std::unexpected(officer.error());
      // An officer outside the actor's subtree is reported as missing, so that ids cannot be
      // probed for other districts' officers.
      if (!*officer || !(*officer)->active || !(*officer)->unit_path.starts_with(actor.unit_path)) {
        errors.push_back({"operator_officer_id", "no active officer of your units has that id"});
      } else {
        a.operator_officer = UnitRef{(*officer)->id, (*officer)->name};
      }
    }
    if (!errors.empty()) return InvalidFields(std::move(errors));
    auto taken = repo::HandleTaken(s, a.platform, a.handle, 0);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) {
      return std::unexpected(WithField(ErrorCode::kConflict, "handle",
                                       "another account on this platform has this handle"));
    }
    auto id = repo::InsertChannelAccount(s, a, clock_.NowMillis());
    if (!id) return std::unexpected(id.error());
    if (auto ok = Append(s, actor, "channel_account.create", ChannelTarget(*id), a.name); !ok) {
      return std::unexpected(ok.error());
    }
    auto created = repo::FindChannelAccount(s, *id);
    if (!created) return std::unexpected(created.error());
    return std::move(**created);
  });
  Settle(actor, gate);
  return result;
}

Result<ChannelAccount> OrgService::UpdateChannelAccount(const Actor& actor, ChannelAccountId id,
                                                        const ChannelAccountChanges& changes) {
  Gate gate;
  auto result = database_.Write<ChannelAccount>([&](Session& s) -> Result<ChannelAccount> {
    auto found = repo::FindChannelAccount(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound<ChannelAccount>("Channel account");
    ChannelAccount a = std::move(**found);
    if (auto ok = gate.Require(actor, Action::kChannelWrite, a.unit_path, ChannelTarget(id)); !ok) {
      return std::unexpected(ok.error());
    }
    if (changes.version != a.version) {
      return MakeError(ErrorCode::kStaleVersion, "The account was changed by someone else.");
    }
    if (changes.platform) a.platform = *changes.platform;
    if (changes.name) a.name = *changes.name;
    if (changes.handle) a.handle = *changes.handle;
    if (changes.url) a.url = *changes.url;
    if (changes.followers) a.followers = *changes.followers;
    if (changes.verified) a.verified = *changes.verified;
    if (changes.active) a.active = *changes.active;
    std::vector<FieldError> errors;
    CheckAccount(errors, a);
    if (changes.unit_id && *changes.unit_id != a.unit_id) {
      auto unit = repo::FindUnit(s, *changes.unit_id);
      if (!unit) return std::unexpected(unit.error());
      if (!*unit) {
        errors.push_back({"unit_id", "no such unit"});
      } else {
        if (auto ok = gate.Require(actor, Action::kChannelWrite, (*unit)->path,
                                   UnitTarget(*changes.unit_id));
            !ok) {
          return std::unexpected(WithField(ErrorCode::kPermissionDenied, "unit_id",
                                           "the unit is outside your subtree"));
        }
        if (!(*unit)->active) errors.push_back({"unit_id", "the unit is inactive"});
        a.unit_id = *changes.unit_id;
      }
    }
    if (changes.operator_officer_id) {
      if (*changes.operator_officer_id == 0) {
        a.operator_officer.reset();
      } else {
        auto officer = repo::FindOfficer(s, protector_, *changes.operator_officer_id);
        if (!officer) return std::unexpected(officer.error());
        if (!*officer || !(*officer)->active ||
            !(*officer)->unit_path.starts_with(actor.unit_path)) {
          errors.push_back({"operator_officer_id", "no active officer of your units has that id"});
        } else {
          a.operator_officer = UnitRef{(*officer)->id, (*officer)->name};
        }
      }
    }
    if (!errors.empty()) return InvalidFields(std::move(errors));
    if (changes.platform || changes.handle) {
      auto taken = repo::HandleTaken(s, a.platform, a.handle, id);
      if (!taken) return std::unexpected(taken.error());
      if (*taken) {
        return std::unexpected(WithField(ErrorCode::kConflict, "handle",
                                         "another account on this platform has this handle"));
      }
    }
    auto updated = repo::UpdateChannelAccount(s, a, clock_.NowMillis());
    if (!updated) return std::unexpected(updated.error());
    if (!*updated) {
      return MakeError(ErrorCode::kStaleVersion, "The account was changed by someone else.");
    }
    if (auto ok = Append(s, actor, "channel_account.update", ChannelTarget(id), a.name); !ok) {
      return std::unexpected(ok.error());
    }
    auto reloaded = repo::FindChannelAccount(s, id);
    if (!reloaded) return std::unexpected(reloaded.error());
    return std::move(**reloaded);
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// CSV import

Result<int64_t> OrgService::ImportUnits(const Actor& actor, std::string_view csv) {
  static const std::map<std::string, std::string, std::less<>> kColumns = {
      {"parent", "parent"},
      {"parent_id", "parent"},
      {"parent_path_or_code", "parent"},
      {"kind", "kind"},
      {"name", "name"},
      {"code", "code"},
      {"public_phone", "public_phone"},
      {"address", "address"},
      {"communities", "communities"},
  };
  static const std::map<std::string, std::string, std::less<>> kFieldToColumn = {
      {"parent_id", "parent"}};
  auto rows = ParseImport(csv);
  if (!rows) return std::unexpected(rows.error());
  auto header = ReadHeader(rows->front(), kColumns, {"parent", "kind", "name"});
  if (!header) return std::unexpected(header.error());

  Gate gate;
  if (auto allowed =
          gate.Require(actor, Action::kOrgWrite, actor.unit_path, UnitTarget(actor.unit_id));
      !allowed) {
    Settle(actor, gate);
    return std::unexpected(allowed.error());
  }
  std::vector<FieldError> errors;
  auto result = database_.Write<int64_t>([&](Session& s) -> Result<int64_t> {
    int64_t created = 0;
    for (size_t i = 1; i < rows->size() && errors.size() < kMaxImportErrors; ++i) {
      const CsvRow& row = (*rows)[i];
      std::string line = "line " + std::to_string(row.line);
      if (row.fields.size() != header->width) {
        errors.push_back({line, "expected " + std::to_string(header->width) + " columns, found " +
                                    std::to_string(row.fields.size())});
        continue;
      }
      NewUnit u;
      std::string parent_text = header->Cell(row, "parent");
      auto parent = ResolveUnitRef(s, parent_text);
      if (!parent) return std::unexpected(parent.error());
      auto kind = ParseKindAlias(header->Cell(row, "kind"));
      if (!*parent) {
        errors.push_back(
            {line + ", column parent", parent_text.empty() ? "is required" : "no such unit"});
      }
      if (!kind) errors.push_back({line + ", column kind", "is not a unit kind"});
      if (!*parent || !kind) continue;
      u.parent_id = (*parent)->id;
      u.kind = *kind;
      u.name = header->Cell(row, "name");
      u.code = header->Cell(row, "code");
      u.public_phone = header->Cell(row, "public_phone");
      u.address = header->Cell(row, "address");
      u.communities = SplitList(header->Cell(row, "communities"));
      auto unit = CreateUnitIn(s, gate, actor, u);
      if (!unit) {
        if (IsFatal(unit.error())) return std::unexpected(AtLine(unit.error(), line));
        AddLineErrors(errors, row.line, unit.error(), kFieldToColumn);
        continue;
      }
      ++created;
    }
    if (!errors.empty()) {
      if (errors.size() > kMaxImportErrors) errors.resize(kMaxImportErrors);
      return InvalidFields(errors);
    }
    if (auto ok = Append(s, actor, "unit.import", UnitTarget(actor.unit_id),
                         "created " + std::to_string(created));
        !ok) {
      return std::unexpected(ok.error());
    }
    return created;
  });
  Settle(actor, gate);
  return result;
}

Result<int64_t> OrgService::ImportOfficers(const Actor& actor, std::string_view csv) {
  static const std::map<std::string, std::string, std::less<>> kColumns = {
      {"badge_no", "badge_no"},    {"name", "name"},      {"unit", "unit"},   {"unit_id", "unit"},
      {"unit_id_or_code", "unit"}, {"unit_code", "unit"}, {"title", "title"}, {"phone", "phone"},
  };
  static const std::map<std::string, std::string, std::less<>> kFieldToColumn = {
      {"unit_id", "unit"}};
  auto rows = ParseImport(csv);
  if (!rows) return std::unexpected(rows.error());
  auto header = ReadHeader(rows->front(), kColumns, {"badge_no", "name", "unit"});
  if (!header) return std::unexpected(header.error());

  Gate gate;
  if (auto allowed =
          gate.Require(actor, Action::kOfficerWrite, actor.unit_path, UnitTarget(actor.unit_id));
      !allowed) {
    Settle(actor, gate);
    return std::unexpected(allowed.error());
  }
  std::vector<FieldError> errors;
  auto result = database_.Write<int64_t>([&](Session& s) -> Result<int64_t> {
    int64_t created = 0;
    for (size_t i = 1; i < rows->size() && errors.size() < kMaxImportErrors; ++i) {
      const CsvRow& row = (*rows)[i];
      std::string line = "line " + std::to_string(row.line);
      if (row.fields.size() != header->width) {
        errors.push_back({line, "expected " + std::to_string(header->width) + " columns, found " +
                                    std::to_string(row.fields.size())});
        continue;
      }
      std::string unit_text = header->Cell(row, "unit");
      auto unit = ResolveUnitRef(s, unit_text);
      if (!unit) return std::unexpected(unit.error());
      if (!*unit) {
        errors.push_back(
            {line + ", column unit", unit_text.empty() ? "is required" : "no such unit"});
        continue;
      }
      NewOfficer o;
      o.badge_no = header->Cell(row, "badge_no");
      o.name = header->Cell(row, "name");
      o.unit_id = (*unit)->id;
      o.title = header->Cell(row, "title");
      o.phone = header->Cell(row, "phone");
      auto id = CreateOfficerIn(s, gate, actor, o);
      if (!id) {
        if (IsFatal(id.error())) return std::unexpected(AtLine(id.error(), line));
        AddLineErrors(errors, row.line, id.error(), kFieldToColumn);
        continue;
      }
      ++created;
    }
    if (!errors.empty()) {
      if (errors.size() > kMaxImportErrors) errors.resize(kMaxImportErrors);
      return InvalidFields(errors);
    }
    if (auto ok = Append(s, actor, "officer.import", UnitTarget(actor.unit_id),
                         "created " + std::to_string(created));
        !ok) {
      return std::unexpected(ok.error());
    }
    return created;
  });
  Settle(actor, gate);
  return result;
}

// ---------------------------------------------------------------------------------------
// Public read model

namespace {

std::vector<PublicUnit> AttachAccounts(std::vector<Unit> units,
                                       std::vector<ChannelAccount> accounts) {
  std::unordered_map<UnitId, std::vector<ChannelAccount>> by_unit;
  for (auto& a : accounts) by_unit[a.unit_id].push_back(std::move(a));
  std::vector<PublicUnit> out;
  out.reserve(units.size());
  for (auto& u : units) {
    PublicUnit p{std::move(u), {}};
    if (auto it = by_unit.find(p.unit.id); it != by_unit.end()) p.accounts = std::move(it->second);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<PublicUnit>> OrgService::PublicDistricts() {
  return database_.Read<std::vector<PublicUnit>>(
      [&](Session& s) -> Result<std::vector<PublicUnit>> {
        auto units = repo::ActiveUnitsOfKind(s, UnitKind::kDistrictBureau, std::nullopt);
        if (!units) return std::unexpected(units.error());
        auto accounts = repo::ActiveAccountsOfUnitKind(s, UnitKind::kDistrictBureau);
        if (!accounts) return std::unexpected(accounts.error());
        return AttachAccounts(std::move(*units), std::move(*accounts));
      });
}

Result<PublicBureau> OrgService::PublicBureauInfo() {
  return database_.Read<PublicBureau>([&](Session& s) -> Result<PublicBureau> {
    auto cities = repo::ActiveUnitsOfKind(s, UnitKind::kCityBureau, std::nullopt);
    if (!cities) return std::unexpected(cities.error());
    if (cities->empty()) return NotFound<PublicBureau>("City bureau");
    PublicBureau bureau;
    bureau.bureau = std::move(cities->front());
    auto accounts = repo::ActiveAccountsOfUnitKind(s, UnitKind::kCityBureau);
    if (!accounts) return std::unexpected(accounts.error());
    for (auto& a : *accounts) {
      if (a.unit_id == bureau.bureau.id) bureau.accounts.push_back(std::move(a));
    }
    auto types = repo::ActiveUnitsOfKind(s, UnitKind::kPoliceType, bureau.bureau.id);
    if (!types) return std::unexpected(types.error());
    auto type_accounts = repo::ActiveAccountsOfUnitKind(s, UnitKind::kPoliceType);
    if (!type_accounts) return std::unexpected(type_accounts.error());
    bureau.police_types = AttachAccounts(std::move(*types), std::move(*type_accounts));
    return bureau;
  });
}

Result<std::vector<Unit>> OrgService::PublicStations(UnitId unit_id) {
  return database_.Read<std::vector<Unit>>([&](Session& s) -> Result<std::vector<Unit>> {
    auto unit = repo::FindUnit(s, unit_id);
    if (!unit) return std::unexpected(unit.error());
    if (!*unit || !(*unit)->active ||
        ((*unit)->kind != UnitKind::kDistrictBureau && (*unit)->kind != UnitKind::kPoliceType)) {
      return NotFound<std::vector<Unit>>("District");
    }
    return repo::ActiveUnitsOfKind(s, UnitKind::kStation, unit_id);
  });
}

Result<Page<PublicBeat>> OrgService::PublicBeats(const BeatSearch& search) {
  return database_.Read<Page<PublicBeat>>([&](Session& s) -> Result<Page<PublicBeat>> {
    BeatSearch filter = search;
    if (filter.q) {
      filter.q = std::string(Trim(*filter.q));
      if (filter.q->empty()) filter.q.reset();
    }
    Page<PublicBeat> page;
    auto beats = repo::SearchPublicBeats(s, filter, page.total);
    if (!beats) return std::unexpected(beats.error());
    page.items = std::move(*beats);
    return page;
  });
}

Result<Page<ChannelAccount>> OrgService::PublicAccounts(std::optional<Platform> platform,
                                                        int64_t offset, int64_t limit) {
  return database_.Read<Page<ChannelAccount>>([&](Session& s) -> Result<Page<ChannelAccount>> {
    repo::ChannelFilter filter;
    filter.scope_path = "/";
    filter.platform = platform;
    filter.active_only = true;
    filter.offset = offset;
    filter.limit = limit;
    Page<ChannelAccount> page;
    auto items = repo::SearchChannelAccounts(s, filter, page.total);
    if (!items) return std::unexpected(items.error());
    page.items = std::move(*items);
    return page;
  });
}

}  // namespace lianxin::org
