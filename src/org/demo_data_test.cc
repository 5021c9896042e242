#include "org/demo_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "org/org_test_support.h"

namespace lianxin::org {
namespace {

using storage::Session;

Result<std::vector<std::string>> Column(storage::Database& db, std::string_view sql) {
  return db.Read<std::vector<std::string>>([&](Session& s) -> Result<std::vector<std::string>> {
    auto rows = s.Query(sql);
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.Text(0));
    return out;
  });
}

int64_t Count(storage::Database& db, std::string_view sql) {
  auto rows = Column(db, sql);
  EXPECT_TRUE(rows.has_value());
  return rows && !rows->empty() ? std::stoll(rows->front()) : -1;
}

TEST(ChongqingDistrictsTest, HasTheThirtyEightCodes) {
  auto districts = ChongqingDistricts();
  ASSERT_EQ(districts.size(), 38u);
  std::set<std::string_view> codes;
  for (const auto& d : districts) codes.insert(d.code);
  EXPECT_EQ(codes.size(), 38u);
  EXPECT_EQ(districts[2].code, "500103");
  EXPECT_EQ(districts[2].name, "渝中区");
  EXPECT_EQ(districts[16].code, "500117");
  EXPECT_EQ(districts[16].name, "合川区");
  EXPECT_EQ(districts.back().code, "500243");
}

class DemoDataTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    database_ = testing::TestDatabase::Open(GetParam(), &skip);
    if (!database_) GTEST_SKIP() << skip;
  }
  storage::Database& db() { return database_->db(); }

  std::unique_ptr<testing::TestDatabase> database_;
  FakeClock clock_;
};

TEST_P(DemoDataTest, LoadsTheSeedScaleOrganisation) {
  DemoOrgSummary summary;
  auto started = std::chrono::steady_clock::now();
  auto loaded = LoadOrgDemo(db(), testing::TestProtector(), clock_, 1.0, &summary);
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(20));

  EXPECT_EQ(summary.districts, 38);
  EXPECT_EQ(summary.police_types, 3);
  EXPECT_GE(summary.stations, 38 * 3);
  EXPECT_LE(summary.stations, 38 * 6);
  EXPECT_GE(summary.beats, summary.stations * 2);
  EXPECT_EQ(summary.weibo_accounts, 286);
  EXPECT_EQ(summary.wechat_accounts, 23);
  EXPECT_GE(summary.officers, 1900);
  EXPECT_LE(summary.officers, 2100);
  EXPECT_EQ(summary.units, 1 + 3 + 38 + summary.stations + summary.beats);

  // Counts in the database agree with the summary.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM units"), summary.units);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM officers"), summary.officers);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM channel_accounts WHERE platform = 'weibo'"), 286);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM channel_accounts WHERE platform = 'wechat'"), 23);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM channel_accounts WHERE operator_officer_id IS NULL"),
            0);
  EXPECT_EQ(
      Count(db(), "SELECT COUNT(*) FROM units WHERE kind = 'beat' AND beat_officer_id IS NULL"), 0)
      << "every beat has a community officer";
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT badge_no) FROM officers"), summary.officers);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM officers WHERE length(badge_no) <> 6"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM officers WHERE phone_sealed LIKE '%13800%'"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM officers WHERE title = '辅警'"), 0);

  // The 38 district bureaus with their real codes and naming convention.
  auto codes = Column(db(),
                      "SELECT code || ' ' || name FROM units WHERE kind = 'district_bureau' "
                      "ORDER BY code");
  ASSERT_TRUE(codes);
  ASSERT_EQ(codes->size(), 38u);
  auto districts = ChongqingDistricts();
  for (size_t i = 0; i < districts.size(); ++i) {
    std::string suffix = districts[i].kind == DistrictKind::kDistrict ? "分局" : "公安局";
    EXPECT_EQ((*codes)[i],
              std::string(districts[i].code) + " " + std::string(districts[i].name) + suffix);
  }
  EXPECT_THAT(*codes, ::testing::Contains("500103 渝中区分局"));
  EXPECT_THAT(*codes, ::testing::Contains("500229 城口县公安局"));

  // The seed's named accounts and the ids the app needs.
  auto wechat = Column(db(),
                       "SELECT name || ':' || followers FROM channel_accounts "
                       "WHERE platform = 'wechat' AND name = '重庆交巡警'");
  ASSERT_TRUE(wechat);
  EXPECT_THAT(*wechat, ::testing::ElementsAre("重庆交巡警:350000"));
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM channel_accounts WHERE name = '平安渝中'"), 2);
  auto station =
      Column(db(), "SELECT name FROM units WHERE id = " + std::to_string(summary.station_id));
  ASSERT_TRUE(station);
  EXPECT_THAT(*station, ::testing::ElementsAre("解放碑派出所"));
  auto names =
      Column(db(), "SELECT name FROM units WHERE id IN (" + std::to_string(summary.city_bureau_id) +
                       "," + std::to_string(summary.district_id) + "," +
                       std::to_string(summary.second_district_id) + ") ORDER BY id");
  ASSERT_TRUE(names);
  EXPECT_THAT(*names, ::testing::ElementsAre("重庆市公安局", "渝中区分局", "九龙坡区分局"));
  auto beat_parent =
      Column(db(), "SELECT parent_id FROM units WHERE id = " + std::to_string(summary.beat_id));
  ASSERT_TRUE(beat_parent);
  EXPECT_THAT(*beat_parent, ::testing::ElementsAre(std::to_string(summary.station_id)));
  EXPECT_NE(summary.beat_officer_id, 0);
  EXPECT_NE(summary.city_officer_id, 0);
  EXPECT_NE(summary.district_officer_id, 0);
  EXPECT_NE(summary.station_head_officer_id, 0);
  EXPECT_NE(summary.second_district_officer_id, 0);
  EXPECT_NE(summary.police_type_id, 0);

  // Paths are consistent with parents.
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM units c JOIN units p ON p.id = c.parent_id "
                  "WHERE c.path <> p.path || CAST(c.id AS TEXT) || '/' "
                  "OR c.depth <> p.depth + 1"),
            0);

  // A second load refuses.
  auto again = LoadOrgDemo(db(), testing::TestProtector(), clock_, 1.0, nullptr);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_P(DemoDataTest, IsDeterministicAndScales) {
  std::string skip;
  auto other = testing::TestDatabase::Open(GetParam(), &skip);
  ASSERT_NE(other, nullptr) << skip;
  DemoOrgSummary a, b;
  ASSERT_TRUE(LoadOrgDemo(db(), testing::TestProtector(), clock_, 0.5, &a));
  ASSERT_TRUE(LoadOrgDemo(other->db(), testing::TestProtector(), clock_, 0.5, &b));
  constexpr std::string_view kNames =
      "SELECT kind || ':' || name || ':' || COALESCE(communities, '') FROM units ORDER BY id";
  auto first = Column(db(), kNames);
  auto second = Column(other->db(), kNames);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);
  constexpr std::string_view kOfficers =
      "SELECT badge_no || name || title FROM officers ORDER BY id";
  EXPECT_EQ(*Column(db(), kOfficers), *Column(other->db(), kOfficers));
  EXPECT_EQ(a.officers, b.officers);
  EXPECT_NEAR(double(a.officers), 1000.0, 450.0);
  EXPECT_EQ(a.weibo_accounts, 286);
  EXPECT_EQ(a.wechat_accounts, 23);

  EXPECT_FALSE(LoadOrgDemo(db(), testing::TestProtector(), clock_, 0.0, nullptr));
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoDataTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lianxin::org
