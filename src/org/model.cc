#include "org/model.h"

#include <array>
#include <utility>

namespace lianxin::org {
namespace {

constexpr std::array<std::pair<UnitKind, std::string_view>, 5> kUnitKindNames = {{
    {UnitKind::kCityBureau, "city_bureau"},
    {UnitKind::kDistrictBureau, "district_bureau"},
    {UnitKind::kPoliceType, "police_type"},
    {UnitKind::kStation, "station"},
    {UnitKind::kBeat, "beat"},
}};

constexpr std::array<std::pair<Platform, std::string_view>, 5> kPlatformNames = {{
    {Platform::kWeibo, "weibo"},
    {Platform::kWechat, "wechat"},
    {Platform::kDouyin, "douyin"},
    {Platform::kForum, "forum"},
    {Platform::kWebsite, "website"},
}};

constexpr std::string_view kCommunitySeparator = "、";

}  // namespace

std::string_view UnitKindName(UnitKind kind) {
  for (const auto& [k, name] : kUnitKindNames) {
    if (k == kind) return name;
  }
  return "station";
}

std::optional<UnitKind> ParseUnitKind(std::string_view name) {
  for (const auto& [k, n] : kUnitKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

bool KindFitsParent(std::optional<UnitKind> parent, UnitKind child) {
  if (!parent) return child == UnitKind::kCityBureau;
  switch (child) {
    case UnitKind::kCityBureau:
      return false;
    case UnitKind::kDistrictBureau:
    case UnitKind::kPoliceType:
      return *parent == UnitKind::kCityBureau;
    case UnitKind::kStation:
      return *parent == UnitKind::kDistrictBureau || *parent == UnitKind::kPoliceType;
    case UnitKind::kBeat:
      return *parent == UnitKind::kStation;
  }
  return false;
}

std::string_view PlatformName(Platform platform) {
  for (const auto& [p, name] : kPlatformNames) {
    if (p == platform) return name;
  }
  return "weibo";
}

std::optional<Platform> ParsePlatform(std::string_view name) {
  for (const auto& [p, n] : kPlatformNames) {
    if (n == name) return p;
  }
  return std::nullopt;
}

std::string JoinCommunities(const std::vector<std::string>& communities) {
  std::string out;
  for (const auto& c : communities) {
    if (!out.empty()) out += kCommunitySeparator;
    out += c;
  }
  return out;
}

std::vector<std::string> SplitCommunities(std::string_view stored) {
  std::vector<std::string> out;
  while (!stored.empty()) {
    size_t at = stored.find(kCommunitySeparator);
    std::string_view part = stored.substr(0, at);
    if (!part.empty()) out.emplace_back(part);
    if (at == std::string_view::npos) break;
    stored.remove_prefix(at + kCommunitySeparator.size());
  }
  return out;
}

}  // namespace lianxin::org
