// SQL for the organisation, written once with $1..$n parameters valid on SQLite and
// PostgreSQL, and the functions that map rows to the model. They run inside the caller's
// Session (transaction) and do no access checks: OrgService does those.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"
#include "org/model.h"
#include "storage/database.h"

namespace lianxin::org::repo {

// `text` with LIKE wildcards escaped for "... LIKE ... ESCAPE '\'".
std::string EscapeLike(std::string_view text);

// --- units ---
// Returns nullopt when no unit has `id`.
[[nodiscard]] Result<std::optional<Unit>> FindUnit(storage::Session& s, UnitId id);
// The active or inactive child of `parent_id` named `name` (root when parent_id is nullopt).
[[nodiscard]] Result<std::optional<Unit>> FindChildByName(storage::Session& s,
                                                          std::optional<UnitId> parent_id,
                                                          std::string_view name);
// The active district bureau with GB/T 2260 `code`.
[[nodiscard]] Result<std::optional<Unit>> FindActiveDistrictByCode(storage::Session& s,
                                                                   std::string_view code);

struct UnitFilter {
  std::string scope_path;  // only units whose path starts with this
  std::optional<UnitId> parent_id;
  std::optional<std::string> q;  // name contains
  std::optional<UnitKind> kind;
  std::optional<bool> active;
  int64_t offset = 0;
  int64_t limit = 20;
};
[[nodiscard]] Result<std::vector<Unit>> SearchUnits(storage::Session& s, const UnitFilter& filter,
                                                    int64_t& total);
// Every unit whose path starts with `path` and whose depth is at most `max_depth`, parents
// before children.
[[nodiscard]] Result<std::vector<Unit>> LoadSubtree(storage::Session& s, std::string_view path,
                                                    int64_t max_depth);
// The ancestors of a unit with `path`, root first, without the unit itself.
[[nodiscard]] Result<std::vector<UnitRef>> LoadAncestors(storage::Session& s,
                                                         std::string_view path);

// Inserts `unit` (kind, name, code, phone, address, communities, beat officer, active, under
// parent_path/depth computed by the caller) and fixes its path from the new id. Returns the id.
[[nodiscard]] Result<UnitId> InsertUnit(storage::Session& s, const Unit& unit,
                                        std::string_view parent_path, int64_t now);
// Writes name, code, phone, address, communities, beat officer and active of `unit` when its
// stored version is `unit.version`; returns false when the version did not match.
[[nodiscard]] Result<bool> UpdateUnit(storage::Session& s, const Unit& unit, int64_t now);
// Re-parents `unit` under `parent` and rewrites the paths and depths of its whole subtree;
// returns false when the stored version is not `version`.
[[nodiscard]] Result<bool> MoveUnit(storage::Session& s, const Unit& unit, const Unit& parent,
                                    int64_t version, int64_t now);
[[nodiscard]] Result<bool> HasActiveChildren(storage::Session& s, UnitId id);
// True when an active district bureau other than `except` has `code`.
[[nodiscard]] Result<bool> DistrictCodeTaken(storage::Session& s, std::string_view code,
                                             UnitId except);
// True when a sibling under `parent_id` other than `except` is named `name`.
[[nodiscard]] Result<bool> SiblingNameTaken(storage::Session& s, UnitId parent_id,
                                            std::string_view name, UnitId except);

// --- officers ---
// Officers come back with their phone masked through `protector`.
[[nodiscard]] Result<std::optional<Officer>> FindOfficer(storage::Session& s,
                                                         const DataProtector& protector,
                                                         OfficerId id);
[[nodiscard]] Result<std::optional<OfficerId>> FindOfficerIdByBadge(storage::Session& s,
                                                                    std::string_view badge_no);

struct OfficerFilter {
  std::string scope_path;        // officers of units whose path starts with this
  std::optional<std::string> q;  // name contains, or badge number starts with
  int64_t offset = 0;
  int64_t limit = 20;
};
[[nodiscard]] Result<std::vector<Officer>> SearchOfficers(storage::Session& s,
                                                          const DataProtector& protector,
                                                          const OfficerFilter& filter,
                                                          int64_t& total);

// The stored columns of an officer, phone sealed, as written and read for updates.
struct OfficerRow {
  OfficerId id = 0;
  std::string badge_no;
  std::string name;
  UnitId unit_id = 0;
  std::string title;
  std::string phone_sealed;
  std::string phone_hash;
  bool active = true;
  int64_t version = 1;
};
[[nodiscard]] Result<std::optional<OfficerRow>> LoadOfficerRow(storage::Session& s, OfficerId id);
[[nodiscard]] Result<OfficerId> InsertOfficer(storage::Session& s, const OfficerRow& row,
                                              int64_t now);
// Returns false when the stored version is not `version`.
[[nodiscard]] Result<bool> UpdateOfficer(storage::Session& s, OfficerId id, int64_t version,
                                         const OfficerRow& row, int64_t now);

// --- channel accounts ---
[[nodiscard]] Result<std::optional<ChannelAccount>> FindChannelAccount(storage::Session& s,
                                                                       ChannelAccountId id);
// True when another account (not `except`) on `platform` has `handle`.
[[nodiscard]] Result<bool> HandleTaken(storage::Session& s, Platform platform,
                                       std::string_view handle, ChannelAccountId except);

struct ChannelFilter {
  std::string scope_path;
  std::optional<Platform> platform;
  std::optional<std::string> q;  // name or handle contains
  bool active_only = false;
  int64_t offset = 0;
  int64_t limit = 20;
};
[[nodiscard]] Result<std::vector<ChannelAccount>> SearchChannelAccounts(storage::Session& s,
                                                                        const ChannelFilter& filter,
                                                                        int64_t& total);
// Inserts `account` (unit_id, operator id taken from operator_officer) and returns its id.
[[nodiscard]] Result<ChannelAccountId> InsertChannelAccount(storage::Session& s,
                                                            const ChannelAccount& account,
                                                            int64_t now);
// Returns false when the stored version is not `account.version`.
[[nodiscard]] Result<bool> UpdateChannelAccount(storage::Session& s, const ChannelAccount& account,
                                                int64_t now);
// Active accounts owned directly by active units of `kind`, most followers first.
[[nodiscard]] Result<std::vector<ChannelAccount>> ActiveAccountsOfUnitKind(storage::Session& s,
                                                                           UnitKind kind);

// --- public read model ---
// Active units of `kind` (ordered by code, then sort order and id), optionally under `parent`.
[[nodiscard]] Result<std::vector<Unit>> ActiveUnitsOfKind(storage::Session& s, UnitKind kind,
                                                          std::optional<UnitId> parent_id);

struct PublicBeatRow {
  Unit beat;
  Unit station;
  Unit district;
};
struct BeatFilter {
  std::optional<UnitId> district_id;
  std::optional<UnitId> station_id;
  std::optional<std::string> q;
  int64_t offset = 0;
  int64_t limit = 20;
};
[[nodiscard]] Result<std::vector<PublicBeatRow>> SearchPublicBeats(storage::Session& s,
                                                                   const BeatFilter& filter,
                                                                   int64_t& total);

}  // namespace lianxin::org::repo
