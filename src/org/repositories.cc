#include "org/repositories.h"

#include <charconv>

#include "core/text.h"

namespace lianxin::org::repo {
namespace {

using storage::Null;
using storage::Params;
using storage::Row;
using storage::Session;
using storage::Value;

// --- units ---
constexpr std::string_view kUnitColumns =
    "SELECT u.id, u.parent_id, u.path, u.depth, u.kind, u.name, u.code, u.public_phone, "
    "u.address, u.communities, u.beat_officer_id, o.name, o.title, u.active, u.sort_order, "
    "u.version, (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id), u.created_at, "
    "u.updated_at ";
constexpr std::string_view kUnitFrom =
    "FROM units u LEFT JOIN officers o ON o.id = u.beat_officer_id ";
// A page of a search: the ids are chosen (filtered, sorted, cut) first, so the joins and the
// child count run for the page's rows only, not for every unit that matches.
constexpr std::string_view kUnitPageFrom = "FROM (SELECT u.id FROM units u ";
constexpr std::string_view kUnitPageTail =
    "ORDER BY u.depth, u.sort_order, u.id LIMIT $6 OFFSET $7) page "
    "JOIN units u ON u.id = page.id LEFT JOIN officers o ON o.id = u.beat_officer_id "
    "ORDER BY u.depth, u.sort_order, u.id";

constexpr std::string_view kUnitSearchWhere =
    "WHERE u.path LIKE CAST($1 AS TEXT) || '%' "
    "AND (CAST($2 AS BIGINT) IS NULL OR u.parent_id = CAST($2 AS BIGINT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR u.name LIKE '%' || CAST($3 AS TEXT) || '%' ESCAPE '\\') "
    "AND (CAST($4 AS TEXT) IS NULL OR u.kind = CAST($4 AS TEXT)) "
    "AND (CAST($5 AS BIGINT) IS NULL OR u.active = CAST($5 AS BIGINT)) ";

constexpr std::string_view kCountUnits = "SELECT COUNT(*) FROM units u ";

constexpr std::string_view kInsertUnit =
    "INSERT INTO units (parent_id, path, depth, kind, name, code, public_phone, address, "
    "communities, beat_officer_id, active, sort_order, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id";

constexpr std::string_view kSetUnitPath = "UPDATE units SET path = $1 WHERE id = $2";

constexpr std::string_view kUpdateUnit =
    "UPDATE units SET name = $1, code = $2, public_phone = $3, address = $4, communities = $5, "
    "beat_officer_id = $6, active = $7, version = version + 1, updated_at = $8 "
    "WHERE id = $9 AND version = $10";

constexpr std::string_view kReparentUnit =
    "UPDATE units SET parent_id = $1, version = version + 1, updated_at = $2 "
    "WHERE id = $3 AND version = $4";

// Paths are ASCII ("/1/4/17/"), so byte and character positions agree in both dialects.
constexpr std::string_view kRewriteSubtreePaths =
    "UPDATE units SET path = CAST($1 AS TEXT) || substr(path, CAST($2 AS INTEGER)), "
    "depth = depth + CAST($3 AS INTEGER) WHERE path LIKE CAST($4 AS TEXT) || '%'";

constexpr std::string_view kHasActiveChildren =
    "SELECT 1 FROM units WHERE parent_id = $1 AND active = 1 LIMIT 1";

constexpr std::string_view kDistrictCodeTaken =
    "SELECT 1 FROM units WHERE kind = 'district_bureau' AND active = 1 AND code = $1 "
    "AND id <> $2 LIMIT 1";

constexpr std::string_view kSiblingNameTaken =
    "SELECT 1 FROM units WHERE parent_id = $1 AND name = $2 AND id <> $3 LIMIT 1";

constexpr std::string_view kUnitRef = "SELECT id, name FROM units WHERE id = $1";

// --- officers ---
constexpr std::string_view kOfficerSelect =
    "SELECT o.id, o.badge_no, o.name, o.unit_id, u.name, u.path, o.title, o.phone_sealed, "
    "o.active, o.version FROM officers o JOIN units u ON u.id = o.unit_id ";

constexpr std::string_view kOfficerSearchWhere =
    "WHERE u.path LIKE CAST($1 AS TEXT) || '%' "
    "AND (CAST($2 AS TEXT) IS NULL OR o.name LIKE '%' || CAST($2 AS TEXT) || '%' ESCAPE '\\' "
    "OR o.badge_no LIKE CAST($2 AS TEXT) || '%' ESCAPE '\\') ";

constexpr std::string_view kCountOfficers =
    "SELECT COUNT(*) FROM officers o JOIN units u ON u.id = o.unit_id ";

constexpr std::string_view kOfficerIdByBadge = "SELECT id FROM officers WHERE badge_no = $1";

constexpr std::string_view kOfficerRow =
    "SELECT id, badge_no, name, unit_id, title, phone_sealed, phone_hash, active, version "
    "FROM officers WHERE id = $1";

constexpr std::string_view kInsertOfficer =
    "INSERT INTO officers (badge_no, name, unit_id, title, phone_sealed, phone_hash, active, "
    "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) "
    "RETURNING id";

constexpr std::string_view kUpdateOfficer =
    "UPDATE officers SET name = $1, unit_id = $2, title = $3, phone_sealed = $4, "
    "phone_hash = $5, active = $6, version = version + 1, updated_at = $7 "
    "WHERE id = $8 AND version = $9";

// --- channel accounts ---
constexpr std::string_view kChannelSelect =
    "SELECT a.id, a.platform, a.name, a.handle, a.url, a.unit_id, u.name, u.path, a.followers, "
    "a.verified, a.operator_officer_id, o.name, a.active, a.version FROM channel_accounts a "
    "JOIN units u ON u.id = a.unit_id LEFT JOIN officers o ON o.id = a.operator_officer_id ";

constexpr std::string_view kChannelSearchWhere =
    "WHERE u.path LIKE CAST($1 AS TEXT) || '%' "
    "AND (CAST($2 AS TEXT) IS NULL OR a.platform = CAST($2 AS TEXT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR a.name LIKE '%' || CAST($3 AS TEXT) || '%' ESCAPE '\\' "
    "OR a.handle LIKE '%' || CAST($3 AS TEXT) || '%' ESCAPE '\\') "
    "AND (CAST($4 AS BIGINT) = 0 OR (a.active = 1 AND u.active = 1)) ";

constexpr std::string_view kCountChannels =
    "SELECT COUNT(*) FROM channel_accounts a JOIN units u ON u.id = a.unit_id ";

constexpr std::string_view kChannelOrder = "ORDER BY a.followers DESC, a.id ";

constexpr std::string_view kHandleTaken =
    "SELECT 1 FROM channel_accounts WHERE platform = $1 AND handle = $2 AND id <> $3 LIMIT 1";

constexpr std::string_view kInsertChannel =
    "INSERT INTO channel_accounts (platform, name, handle, url, unit_id, followers, verified, "
    "operator_officer_id, active, version, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id";

constexpr std::string_view kUpdateChannel =
    "UPDATE channel_accounts SET platform = $1, name = $2, handle = $3, url = $4, unit_id = $5, "
    "followers = $6, verified = $7, operator_officer_id = $8, active = $9, "
    "version = version + 1, updated_at = $10 WHERE id = $11 AND version = $12";

constexpr std::string_view kAccountsOfUnitKind =
    "WHERE a.active = 1 AND u.active = 1 AND u.kind = $1 ";

// --- public ---
constexpr std::string_view kUnitsOfKindWhere =
    "WHERE u.kind = $1 AND u.active = 1 "
    "AND (CAST($2 AS BIGINT) IS NULL OR u.parent_id = CAST($2 AS BIGINT)) "
    "ORDER BY COALESCE(u.code, ''), u.sort_order, u.id";

constexpr std::string_view kPublicBeatSelect =
    "SELECT b.id, b.name, b.communities, o.name, o.title, s.id, s.name, s.public_phone, "
    "s.address, d.id, d.name, d.code, d.kind ";
constexpr std::string_view kPublicBeatFrom =
    "FROM units b JOIN units s ON s.id = b.parent_id JOIN units d ON d.id = s.parent_id "
    "LEFT JOIN officers o ON o.id = b.beat_officer_id AND o.active = 1 "
    "WHERE b.kind = 'beat' AND b.active = 1 AND s.active = 1 AND d.active = 1 "
    "AND (CAST($1 AS BIGINT) IS NULL OR d.id = CAST($1 AS BIGINT)) "
    "AND (CAST($2 AS BIGINT) IS NULL OR s.id = CAST($2 AS BIGINT)) "
    "AND (CAST($3 AS TEXT) IS NULL OR b.name LIKE '%' || CAST($3 AS TEXT) || '%' ESCAPE '\\' "
    "OR b.communities LIKE '%' || CAST($3 AS TEXT) || '%' ESCAPE '\\') ";
constexpr std::string_view kPublicBeatOrder =
    "ORDER BY COALESCE(d.code, ''), d.id, s.sort_order, s.id, b.sort_order, b.id ";

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

Value TextOrNull(const std::string& text) {
  if (text.empty()) return Null();
  return text;
}

Value IdOrNull(std::optional<int64_t> id) {
  if (!id || *id == 0) return Null();
  return *id;
}

Value BoolValue(bool b) { return int64_t{b ? 1 : 0}; }

Unit UnitFromRow(const Row& r) {
  Unit u;
  u.id = r.Int(0);
  u.parent_id = r.OptInt(1);
  u.path = r.Text(2);
  u.depth = r.Int(3);
  u.kind = ParseUnitKind(r.Text(4)).value_or(UnitKind::kStation);
  u.name = r.Text(5);
  u.code = r.OptText(6).value_or("");
  u.public_phone = r.OptText(7).value_or("");
  u.address = r.OptText(8).value_or("");
  u.communities = SplitCommunities(r.OptText(9).value_or(""));
  if (auto officer_id = r.OptInt(10)) {
    u.beat_officer =
        OfficerRef{*officer_id, r.OptText(11).value_or(""), r.OptText(12).value_or("")};
  }
  u.active = r.Bool(13);
  u.sort_order = r.Int(14);
  u.version = r.Int(15);
  u.child_count = r.Int(16);
  u.created_at = r.Int(17);
  u.updated_at = r.Int(18);
  return u;
}

Officer OfficerFromRow(const Row& r, const DataProtector& protector) {
  Officer o;
  o.id = r.Int(0);
  o.badge_no = r.Text(1);
  o.name = r.Text(2);
  o.unit_id = r.Int(3);
  o.unit_name = r.Text(4);
  o.unit_path = r.Text(5);
  o.title = r.Text(6);
  std::string sealed = r.Text(7);
  if (!sealed.empty()) {
    auto phone = protector.Open(sealed);
    o.phone_masked = phone ? MaskPhone(*phone) : "****";
  }
  o.active = r.Bool(8);
  o.version = r.Int(9);
  return o;
}

ChannelAccount ChannelFromRow(const Row& r) {
  ChannelAccount a;
  a.id = r.Int(0);
  a.platform = ParsePlatform(r.Text(1)).value_or(Platform::kWeibo);
  a.name = r.Text(2);
  a.handle = r.Text(3);
  a.url = r.Text(4);
  a.unit_id = r.Int(5);
  a.unit_name = r.Text(6);
  a.unit_path = r.Text(7);
  a.followers = r.Int(8);
  a.verified = r.Bool(9);
  if (auto op = r.OptInt(10)) a.operator_officer = UnitRef{*op, r.OptText(11).value_or("")};
  a.active = r.Bool(12);
  a.version = r.Int(13);
  return a;
}

Result<std::optional<Unit>> QueryUnit(Session& s, std::string_view where, const Params& params) {
  auto row = s.QueryOne(Cat({kUnitColumns, kUnitFrom, where}), params);
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Unit>();
  return std::optional<Unit>(UnitFromRow(**row));
}

Result<bool> Exists(Session& s, std::string_view sql, const Params& params) {
  auto row = s.QueryOne(sql, params);
  if (!row) return std::unexpected(row.error());
  return row->has_value();
}

Result<int64_t> Count(Session& s, const std::string& sql, const Params& params) {
  auto row = s.QueryOne(sql, params);
  if (!row) return std::unexpected(row.error());
  return *row ? (*row)->Int(0) : 0;
}

Value OptTextValue(const std::optional<std::string>& text) {
  if (!text) return Null();
  return EscapeLike(*text);
}

}  // namespace

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

Result<std::optional<Unit>> FindUnit(Session& s, UnitId id) {
  return QueryUnit(s, "WHERE u.id = $1", {id});
}

Result<std::optional<Unit>> FindChildByName(Session& s, std::optional<UnitId> parent_id,
                                            std::string_view name) {
  if (!parent_id)
    return QueryUnit(s, "WHERE u.parent_id IS NULL AND u.name = $1", {std::string(name)});
  return QueryUnit(s, "WHERE u.parent_id = $1 AND u.name = $2", {*parent_id, std::string(name)});
}

Result<std::optional<Unit>> FindActiveDistrictByCode(Session& s, std::string_view code) {
  return QueryUnit(s, "WHERE u.kind = 'district_bureau' AND u.active = 1 AND u.code = $1",
                   {std::string(code)});
}

Result<std::vector<Unit>> SearchUnits(Session& s, const UnitFilter& f, int64_t& total) {
  Params params = {f.scope_path, IdOrNull(f.parent_id), OptTextValue(f.q),
                   f.kind ? Value(std::string(UnitKindName(*f.kind))) : Null(),
                   f.active ? BoolValue(*f.active) : Null()};
  auto count = Count(s, Cat({kCountUnits, kUnitSearchWhere}), params);
  if (!count) return std::unexpected(count.error());
  total = *count;
  params.push_back(f.limit);
  params.push_back(f.offset);
  auto rows = s.Query(Cat({kUnitColumns, kUnitPageFrom, kUnitSearchWhere, kUnitPageTail}), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Unit> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(UnitFromRow(r));
  return out;
}

Result<std::vector<Unit>> LoadSubtree(Session& s, std::string_view path, int64_t max_depth) {
  auto rows = s.Query(Cat({kUnitColumns, kUnitFrom,
                           "WHERE u.path LIKE CAST($1 AS TEXT) || '%' AND u.depth <= $2 "
                           "ORDER BY u.depth, u.sort_order, u.id"}),
                      {std::string(path), max_depth});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Unit> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(UnitFromRow(r));
  return out;
}

Result<std::vector<UnitRef>> LoadAncestors(Session& s, std::string_view path) {
  std::vector<UnitId> ids;
  for (auto part : Split(path, '/')) {
    if (part.empty()) continue;
    UnitId id = 0;
    std::from_chars(part.data(), part.data() + part.size(), id);
    ids.push_back(id);
  }
  if (!ids.empty()) ids.pop_back();
  std::vector<UnitRef> out;
  for (UnitId id : ids) {
    auto row = s.QueryOne(kUnitRef, {id});
    if (!row) return std::unexpected(row.error());
    if (*row) out.push_back(UnitRef{(*row)->Int(0), (*row)->Text(1)});
  }
  return out;
}

Result<UnitId> InsertUnit(Session& s, const Unit& u, std::string_view parent_path, int64_t now) {
  auto rows = s.Query(
      kInsertUnit,
      {IdOrNull(u.parent_id), std::string("/pending/"), u.depth, std::string(UnitKindName(u.kind)),
       u.name, TextOrNull(u.code), TextOrNull(u.public_phone), TextOrNull(u.address),
       TextOrNull(JoinCommunities(u.communities)),
       IdOrNull(u.beat_officer ? std::optional(u.beat_officer->id) : std::nullopt),
       BoolValue(u.active), u.sort_order, now});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "insert returned no id");
  UnitId id = (*rows)[0].Int(0);
  std::string path =
      std::string(parent_path.empty() ? "/" : parent_path) + std::to_string(id) + "/";
  auto updated = s.Execute(kSetUnitPath, {path, id});
  if (!updated) return std::unexpected(updated.error());
  return id;
}

Result<bool> UpdateUnit(Session& s, const Unit& u, int64_t now) {
  auto n = s.Execute(kUpdateUnit,
                     {u.name, TextOrNull(u.code), TextOrNull(u.public_phone), TextOrNull(u.address),
                      TextOrNull(JoinCommunities(u.communities)),
                      IdOrNull(u.beat_officer ? std::optional(u.beat_officer->id) : std::nullopt),
                      BoolValue(u.active), now, u.id, u.version});
  if (!n) return std::unexpected(n.error());
  return *n > 0;
}

Result<bool> MoveUnit(Session& s, const Unit& unit, const Unit& parent, int64_t version,
                      int64_t now) {
  auto n = s.Execute(kReparentUnit, {parent.id, now, unit.id, version});
  if (!n) return std::unexpected(n.error());
  if (*n == 0) return false;
  std::string new_path = parent.path + std::to_string(unit.id) + "/";
  int64_t depth_delta = parent.depth + 1 - unit.depth;
  auto moved =
      s.Execute(kRewriteSubtreePaths,
                {new_path, static_cast<int64_t>(unit.path.size() + 1), depth_delta, unit.path});
  if (!moved) return std::unexpected(moved.error());
  return true;
}

Result<bool> HasActiveChildren(Session& s, UnitId id) {
  return Exists(s, kHasActiveChildren, {id});
}

Result<bool> DistrictCodeTaken(Session& s, std::string_view code, UnitId except) {
  return Exists(s, kDistrictCodeTaken, {std::string(code), except});
}

Result<bool> SiblingNameTaken(Session& s, UnitId parent_id, std::string_view name, UnitId except) {
  return Exists(s, kSiblingNameTaken, {parent_id, std::string(name), except});
}

Result<std::optional<Officer>> FindOfficer(Session& s, const DataProtector& protector,
                                           OfficerId id) {
  auto row = s.QueryOne(Cat({kOfficerSelect, "WHERE o.id = $1"}), {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Officer>();
  return std::optional<Officer>(OfficerFromRow(**row, protector));
}

Result<std::optional<OfficerId>> FindOfficerIdByBadge(Session& s, std::string_view badge_no) {
  auto row = s.QueryOne(kOfficerIdByBadge, {std::string(badge_no)});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<OfficerId>();
  return std::optional<OfficerId>((*row)->Int(0));
}

Result<std::optional<OfficerRow>> LoadOfficerRow(Session& s, OfficerId id) {
  auto row = s.QueryOne(kOfficerRow, {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<OfficerRow>();
  const Row& r = **row;
  OfficerRow o;
  o.id = r.Int(0);
  o.badge_no = r.Text(1);
  o.name = r.Text(2);
  o.unit_id = r.Int(3);
  o.title = r.Text(4);
  o.phone_sealed = r.Text(5);
  o.phone_hash = r.Text(6);
  o.active = r.Bool(7);
  o.version = r.Int(8);
  return std::optional<OfficerRow>(std::move(o));
}

Result<std::vector<Officer>> SearchOfficers(Session& s, const DataProtector& protector,
                                            const OfficerFilter& f, int64_t& total) {
  Params params = {f.scope_path, OptTextValue(f.q)};
  auto count = Count(s, Cat({kCountOfficers, kOfficerSearchWhere}), params);
  if (!count) return std::unexpected(count.error());
  total = *count;
  params.push_back(f.limit);
  params.push_back(f.offset);
  auto rows = s.Query(
      Cat({kOfficerSelect, kOfficerSearchWhere, "ORDER BY o.id LIMIT $3 OFFSET $4"}), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<Officer> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(OfficerFromRow(r, protector));
  return out;
}

Result<OfficerId> InsertOfficer(Session& s, const OfficerRow& o, int64_t now) {
  auto rows = s.Query(kInsertOfficer, {o.badge_no, o.name, o.unit_id, o.title, o.phone_sealed,
                                       o.phone_hash, BoolValue(o.active), now});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "insert returned no id");
  return (*rows)[0].Int(0);
}

Result<bool> UpdateOfficer(Session& s, OfficerId id, int64_t version, const OfficerRow& o,
                           int64_t now) {
  auto n = s.Execute(kUpdateOfficer, {o.name, o.unit_id, o.title, o.phone_sealed, o.phone_hash,
                                      BoolValue(o.active), now, id, version});
  if (!n) return std::unexpected(n.error());
  return *n > 0;
}

Result<std::optional<ChannelAccount>> FindChannelAccount(Session& s, ChannelAccountId id) {
  auto row = s.QueryOne(Cat({kChannelSelect, "WHERE a.id = $1"}), {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ChannelAccount>();
  return std::optional<ChannelAccount>(ChannelFromRow(**row));
}

Result<bool> HandleTaken(Session& s, Platform platform, std::string_view handle,
                         ChannelAccountId except) {
  return Exists(s, kHandleTaken,
                {std::string(PlatformName(platform)), std::string(handle), except});
}

Result<std::vector<ChannelAccount>> SearchChannelAccounts(Session& s, const ChannelFilter& f,
                                                          int64_t& total) {
  Params params = {f.scope_path,
                   f.platform ? Value(std::string(PlatformName(*f.platform))) : Null(),
                   OptTextValue(f.q), BoolValue(f.active_only)};
  auto count = Count(s, Cat({kCountChannels, kChannelSearchWhere}), params);
  if (!count) return std::unexpected(count.error());
  total = *count;
  params.push_back(f.limit);
  params.push_back(f.offset);
  auto rows = s.Query(
      Cat({kChannelSelect, kChannelSearchWhere, kChannelOrder, "LIMIT $5 OFFSET $6"}), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<ChannelAccount> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(ChannelFromRow(r));
  return out;
}

Result<ChannelAccountId> InsertChannelAccount(Session& s, const ChannelAccount& a, int64_t now) {
  auto rows =
      s.Query(kInsertChannel,
              {std::string(PlatformName(a.platform)), a.name, a.handle, a.url, a.unit_id,
               a.followers, BoolValue(a.verified),
               IdOrNull(a.operator_officer ? std::optional(a.operator_officer->id) : std::nullopt),
               BoolValue(a.active), now});
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return MakeError(ErrorCode::kInternal, "insert returned no id");
  return (*rows)[0].Int(0);
}

Result<bool> UpdateChannelAccount(Session& s, const ChannelAccount& a, int64_t now) {
  auto n = s.Execute(
      kUpdateChannel,
      {std::string(PlatformName(a.platform)), a.name, a.handle, a.url, a.unit_id, a.followers,
       BoolValue(a.verified),
       IdOrNull(a.operator_officer ? std::optional(a.operator_officer->id) : std::nullopt),
       BoolValue(a.active), now, a.id, a.version});
  if (!n) return std::unexpected(n.error());
  return *n > 0;
}

Result<std::vector<ChannelAccount>> ActiveAccountsOfUnitKind(Session& s, UnitKind kind) {
  auto rows = s.Query(Cat({kChannelSelect, kAccountsOfUnitKind, kChannelOrder}),
                      {std::string(UnitKindName(kind))});
  if (!rows) return std::unexpected(rows.error());
  std::vector<ChannelAccount> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(ChannelFromRow(r));
  return out;
}

Result<std::vector<Unit>> ActiveUnitsOfKind(Session& s, UnitKind kind,
                                            std::optional<UnitId> parent_id) {
  auto rows = s.Query(Cat({kUnitColumns, kUnitFrom, kUnitsOfKindWhere}),
                      {std::string(UnitKindName(kind)), IdOrNull(parent_id)});
  if (!rows) return std::unexpected(rows.error());
  std::vector<Unit> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(UnitFromRow(r));
  return out;
}

Result<std::vector<PublicBeatRow>> SearchPublicBeats(Session& s, const BeatFilter& f,
                                                     int64_t& total) {
  Params params = {IdOrNull(f.district_id), IdOrNull(f.station_id), OptTextValue(f.q)};
  auto count = Count(s, Cat({"SELECT COUNT(*) ", kPublicBeatFrom}), params);
  if (!count) return std::unexpected(count.error());
  total = *count;
  params.push_back(f.limit);
  params.push_back(f.offset);
  auto rows = s.Query(
      Cat({kPublicBeatSelect, kPublicBeatFrom, kPublicBeatOrder, "LIMIT $4 OFFSET $5"}), params);
  if (!rows) return std::unexpected(rows.error());
  std::vector<PublicBeatRow> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    PublicBeatRow b;
    b.beat.id = r.Int(0);
    b.beat.kind = UnitKind::kBeat;
    b.beat.name = r.Text(1);
    b.beat.communities = SplitCommunities(r.OptText(2).value_or(""));
    if (auto name = r.OptText(3))
      b.beat.beat_officer = OfficerRef{0, *name, r.OptText(4).value_or("")};
    b.station.id = r.Int(5);
    b.station.kind = UnitKind::kStation;
    b.station.name = r.Text(6);
    b.station.public_phone = r.OptText(7).value_or("");
    b.station.address = r.OptText(8).value_or("");
    b.district.id = r.Int(9);
    b.district.name = r.Text(10);
    b.district.code = r.OptText(11).value_or("");
    b.district.kind = ParseUnitKind(r.Text(12)).value_or(UnitKind::kDistrictBureau);
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace lianxin::org::repo
