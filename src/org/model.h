// The organisation's value types: units of the tree, officers and channel accounts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.h"

namespace lianxin::org {

using ChannelAccountId = int64_t;

// The levels of the tree, from the city bureau down to community beats.
enum class UnitKind { kCityBureau, kDistrictBureau, kPoliceType, kStation, kBeat };

// "city_bureau", "district_bureau", "police_type", "station", "beat".
std::string_view UnitKindName(UnitKind kind);
// Returns nullopt when `name` is not a unit kind name.
std::optional<UnitKind> ParseUnitKind(std::string_view name);
// True when a unit of kind `child` may sit directly under a unit of kind `parent`; a city
// bureau sits only at the root (parent == nullopt), and nothing else does.
bool KindFitsParent(std::optional<UnitKind> parent, UnitKind child);

// Platforms of public channel accounts.
enum class Platform { kWeibo, kWechat, kDouyin, kForum, kWebsite };
std::string_view PlatformName(Platform platform);
std::optional<Platform> ParsePlatform(std::string_view name);

// A short reference to an officer as other objects show it.
struct OfficerRef {
  OfficerId id = 0;
  std::string name;
  std::string title;
};

struct UnitRef {
  UnitId id = 0;
  std::string name;
};

struct Unit {
  UnitId id = 0;
  std::optional<UnitId> parent_id;
  std::string path;   // "/1/4/17/"
  int64_t depth = 0;  // 0 for the root
  UnitKind kind = UnitKind::kStation;
  std::string name;
  std::string code;  // GB/T 2260 code of a district bureau, else usually ""
  std::string public_phone;
  std::string address;
  std::vector<std::string> communities;  // beats only
  std::optional<OfficerRef> beat_officer;
  bool active = true;
  int64_t sort_order = 0;
  int64_t version = 1;
  int64_t child_count = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A unit with its subtree, as far down as the tree query reached.
struct UnitNode {
  Unit unit;
  std::vector<UnitNode> children;
};

struct Officer {
  OfficerId id = 0;
  std::string badge_no;
  std::string name;
  UnitId unit_id = 0;
  std::string unit_name;
  std::string unit_path;
  std::string title;
  // The phone as it may be shown ("138****1234"), "" when none; the full number is only
  // available through OrgService::RevealOfficerPhone.
  std::string phone_masked;
  bool active = true;
  int64_t version = 1;
};

struct ChannelAccount {
  ChannelAccountId id = 0;
  Platform platform = Platform::kWeibo;
  std::string name;
  std::string handle;
  std::string url;
  UnitId unit_id = 0;
  std::string unit_name;
  std::string unit_path;
  int64_t followers = 0;
  bool verified = false;
  std::optional<UnitRef> operator_officer;  // id and name of the operating officer
  bool active = true;
  int64_t version = 1;
};

// Joins and splits a beat's communities as stored ("解放碑社区、民生路社区").
std::string JoinCommunities(const std::vector<std::string>& communities);
std::vector<std::string> SplitCommunities(std::string_view stored);

}  // namespace lianxin::org
