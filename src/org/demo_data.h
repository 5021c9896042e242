// The deterministic demo organisation: the Chongqing city bureau, its 38 district and county
// bureaus with their real names and GB/T 2260 codes, police types, stations, community
// beats, synthetic officers and the 286 Weibo / 23 WeChat channel accounts of the seed.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/actor.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::org {

enum class DistrictKind { kDistrict, kCounty, kAutonomousCounty };

// One of Chongqing's 38 districts and counties (compiled in; not read at run time).
struct ChongqingDistrict {
  std::string_view code;  // GB/T 2260
  std::string_view name;  // "渝中区"
  DistrictKind kind;
  std::string_view stem;  // "渝中": for account names such as 平安渝中
};

// The 38 rows, in code order.
std::span<const ChongqingDistrict> ChongqingDistricts();

// What LoadOrgDemo created, and ids the app uses to create demo staff accounts.
struct DemoOrgSummary {
  int64_t units = 0;
  int64_t districts = 0;
  int64_t police_types = 0;
  int64_t stations = 0;
  int64_t beats = 0;
  int64_t officers = 0;
  int64_t weibo_accounts = 0;
  int64_t wechat_accounts = 0;

  UnitId city_bureau_id = 0;      // 重庆市公安局
  UnitId district_id = 0;         // 渝中区分局
  UnitId station_id = 0;          // 解放碑派出所, under district_id
  UnitId beat_id = 0;             // the first beat of station_id
  UnitId second_district_id = 0;  // 九龙坡区分局
  UnitId police_type_id = 0;      // 重庆市公安局交通巡逻警察总队

  OfficerId city_officer_id = 0;             // a PR officer (宣传民警) of the city bureau
  OfficerId district_officer_id = 0;         // a PR officer of district_id
  OfficerId station_head_officer_id = 0;     // the head (所长) of station_id
  OfficerId beat_officer_id = 0;             // the community officer of beat_id
  OfficerId second_district_officer_id = 0;  // a PR officer of second_district_id
};

// Loads the demo organisation into an empty org schema (kConflict when units exist).
// Deterministic: the same `scale` always gives the same names, codes and numbers (a seeded
// generator, never RandomBytes). `scale` (0.05..100) multiplies stations, beats and officers
// (about 2,000 officers at 1); the 286 Weibo and 23 WeChat accounts stay as they are.
// Officer names are synthetic; phones are sealed with `protector` and come from the obviously
// synthetic range 13800xxxxxx. `out` may be null.
[[nodiscard]] Status LoadOrgDemo(storage::Database& database, const DataProtector& protector,
                                 const Clock& clock, double scale, DemoOrgSummary* out);

}  // namespace lianxin::org
