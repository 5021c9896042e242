// The organisation's business rules: the units tree, officers and channel accounts, their
// CSV import, and the public read model the portal shows. Every staff action goes through
// AccessPolicy with the target unit's path; every state change writes an audit event in the
// same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "org/model.h"
#include "org/repositories.h"
#include "storage/database.h"

namespace lianxin::org {

// One page of a list and the number of matches over all pages.
template <class T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
};

struct UnitDetail {
  Unit unit;
  std::vector<UnitRef> ancestors;  // root first, without the unit itself
};

struct NewUnit {
  UnitId parent_id = 0;
  UnitKind kind = UnitKind::kStation;
  std::string name;
  std::string code;          // required (6 digits) for district bureaus
  std::string public_phone;  // "" for none
  std::string address;
  std::vector<std::string> communities;      // beats only
  std::optional<OfficerId> beat_officer_id;  // beats only
};

// Fields absent (nullopt) stay as they are.
struct UnitChanges {
  int64_t version = 0;
  std::optional<std::string> name;
  std::optional<std::string> code;
  std::optional<std::string> public_phone;
  std::optional<std::string> address;
  std::optional<std::vector<std::string>> communities;
  std::optional<OfficerId> beat_officer_id;  // 0 clears the beat's officer
};

struct UnitSearch {
  std::optional<UnitId> parent_id;
  std::optional<std::string> q;
  std::optional<UnitKind> kind;
  std::optional<bool> active;
  int64_t offset = 0;
  int64_t limit = 20;
};

struct NewOfficer {
  std::string badge_no;
  std::string name;
  UnitId unit_id = 0;
  std::string title;
  std::string phone;  // "" for none
};

struct OfficerChanges {
  int64_t version = 0;
  std::optional<std::string> name;
  std::optional<UnitId> unit_id;
  std::optional<std::string> title;
  std::optional<std::string> phone;  // "" clears
  std::optional<bool> active;
};

struct OfficerSearch {
  std::optional<UnitId> unit_id;  // includes the unit's subtree; default the actor's unit
  std::optional<std::string> q;   // name contains or badge number starts with
  int64_t offset = 0;
  int64_t limit = 20;
};

struct NewChannelAccount {
  Platform platform = Platform::kWeibo;
  std::string name;
  std::string handle;
  std::string url;  // "" or http(s)://
  UnitId unit_id = 0;
  int64_t followers = 0;
  bool verified = false;
  std::optional<OfficerId> operator_officer_id;
};

struct ChannelAccountChanges {
  int64_t version = 0;
  std::optional<Platform> platform;
  std::optional<std::string> name;
  std::optional<std::string> handle;
  std::optional<std::string> url;
  std::optional<UnitId> unit_id;
  std::optional<int64_t> followers;
  std::optional<bool> verified;
  std::optional<OfficerId> operator_officer_id;  // 0 clears
  std::optional<bool> active;
};

struct ChannelSearch {
  std::optional<Platform> platform;
  std::optional<UnitId> unit_id;  // includes the unit's subtree; default the actor's unit
  std::optional<std::string> q;   // name or handle contains
  int64_t offset = 0;
  int64_t limit = 20;
};

// The public read model: active units and accounts only, never an officer's phone.
struct PublicUnit {
  Unit unit;
  std::vector<ChannelAccount> accounts;
};
struct PublicBureau {
  Unit bureau;
  std::vector<ChannelAccount> accounts;
  std::vector<PublicUnit> police_types;
};
// beat: id, name, communities, beat_officer (name and title only); station: id, name,
// public_phone, address; district: id, name, code.
using PublicBeat = repo::PublicBeatRow;
using BeatSearch = repo::BeatFilter;

inline constexpr int kMaxTreeDepth = 5;
inline constexpr size_t kMaxImportErrors = 100;

class OrgService {
 public:
  // All references must outlive the service.
  OrgService(storage::Database& database, const DataProtector& protector, const Clock& clock,
             auth::AccessPolicy& policy, auth::AuditLog& audit);

  // --- units ---
  // The subtree of `root_id` (default: the actor's unit) down to `depth` levels below it
  // (1..kMaxTreeDepth), inactive units included. kNotFound / kPermissionDenied.
  [[nodiscard]] Result<UnitNode> UnitTree(const Actor& actor, std::optional<UnitId> root_id,
                                          int depth);
  // Units in the actor's subtree (or under `parent_id`, which must be in it) matching search.
  [[nodiscard]] Result<Page<Unit>> SearchUnits(const Actor& actor, const UnitSearch& search);
  [[nodiscard]] Result<UnitDetail> GetUnit(const Actor& actor, UnitId id);
  // Creates a unit under an active parent in the actor's subtree; the kind must fit the
  // parent. kInvalidArgument (fields named as in the API), kConflict for a duplicate sibling
  // name or district code.
  [[nodiscard]] Result<Unit> CreateUnit(const Actor& actor, const NewUnit& unit);
  // Edits name, code, phone, address, communities or beat officer; kStaleVersion when
  // `changes.version` is not the stored one.
  [[nodiscard]] Result<Unit> UpdateUnit(const Actor& actor, UnitId id, const UnitChanges& changes);
  // Moves a unit with its subtree under `new_parent_id`. Both must be in the actor's subtree
  // (kPermissionDenied); kConflict when the new parent lies in the unit's own subtree;
  // kInvalidArgument when the kind does not fit the new parent.
  [[nodiscard]] Result<Unit> MoveUnit(const Actor& actor, UnitId id, int64_t version,
                                      UnitId new_parent_id);
  // kConflict while the unit has active children. Units are never deleted.
  [[nodiscard]] Result<Unit> DeactivateUnit(const Actor& actor, UnitId id, int64_t version);
  // kConflict when the parent is inactive or a district code is taken meanwhile.
  [[nodiscard]] Result<Unit> ActivateUnit(const Actor& actor, UnitId id, int64_t version);

  // --- officers (phones masked; see RevealOfficerPhone) ---
  [[nodiscard]] Result<Page<Officer>> SearchOfficers(const Actor& actor,
                                                     const OfficerSearch& search);
  [[nodiscard]] Result<Officer> GetOfficer(const Actor& actor, OfficerId id);
  // kConflict when the badge number is taken; the phone is sealed at rest.
  [[nodiscard]] Result<Officer> CreateOfficer(const Actor& actor, const NewOfficer& officer);
  [[nodiscard]] Result<Officer> UpdateOfficer(const Actor& actor, OfficerId id,
                                              const OfficerChanges& changes);
  // The officer's full phone number ("" when none), recorded as "officer.reveal_phone".
  [[nodiscard]] Result<std::string> RevealOfficerPhone(const Actor& actor, OfficerId id);

  // --- channel accounts ---
  [[nodiscard]] Result<Page<ChannelAccount>> SearchChannelAccounts(const Actor& actor,
                                                                   const ChannelSearch& search);
  [[nodiscard]] Result<ChannelAccount> GetChannelAccount(const Actor& actor, ChannelAccountId id);
  // kConflict when the platform already has the handle.
  [[nodiscard]] Result<ChannelAccount> CreateChannelAccount(const Actor& actor,
                                                            const NewChannelAccount& account);
  [[nodiscard]] Result<ChannelAccount> UpdateChannelAccount(const Actor& actor, ChannelAccountId id,
                                                            const ChannelAccountChanges& changes);

  // --- CSV import: all-or-nothing; kInvalidArgument with every error (at most
  // kMaxImportErrors) as {"line 3, column name", message}. Returns the number created. ---
  // Columns: parent,kind,name[,code,public_phone,address,communities]; parent is a unit id, a
  // district code or a name path "重庆市公安局/渝中区分局".
  [[nodiscard]] Result<int64_t> ImportUnits(const Actor& actor, std::string_view csv);
  // Columns: badge_no,name,unit,title[,phone]; unit as id, district code or name path.
  [[nodiscard]] Result<int64_t> ImportOfficers(const Actor& actor, std::string_view csv);

  // --- public read model (no actor) ---
  // Active district bureaus by code, each with its active accounts.
  [[nodiscard]] Result<std::vector<PublicUnit>> PublicDistricts();
  // The city bureau with its accounts and its police types; kNotFound when there is none.
  [[nodiscard]] Result<PublicBureau> PublicBureauInfo();
  // Active stations under the active district bureau or police type `unit_id`; kNotFound
  // otherwise.
  [[nodiscard]] Result<std::vector<Unit>> PublicStations(UnitId unit_id);
  [[nodiscard]] Result<Page<PublicBeat>> PublicBeats(const BeatSearch& search);
  [[nodiscard]] Result<Page<ChannelAccount>> PublicAccounts(std::optional<Platform> platform,
                                                            int64_t offset, int64_t limit);

  // Used by the implementation: a denial noticed inside a transaction, recorded after it.
  struct Gate;

 private:
  [[nodiscard]] Result<Unit> CreateUnitIn(storage::Session& s, Gate& gate, const Actor& actor,
                                          const NewUnit& input);
  [[nodiscard]] Result<OfficerId> CreateOfficerIn(storage::Session& s, Gate& gate,
                                                  const Actor& actor, const NewOfficer& input);
  [[nodiscard]] Result<Unit> SetUnitActive(const Actor& actor, UnitId id, int64_t version,
                                           bool active);
  [[nodiscard]] Status Append(storage::Session& s, const Actor& actor, std::string action,
                              std::string target, std::string detail = {});
  // Records the gate's denial (if any) through the policy, outside any transaction.
  void Settle(const Actor& actor, const Gate& gate);

  storage::Database& database_;
  const DataProtector& protector_;
  const Clock& clock_;
  auth::AccessPolicy& policy_;
  auth::AuditLog& audit_;
};

}  // namespace lianxin::org
