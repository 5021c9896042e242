#include "org/org_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "org/org_test_support.h"

namespace lianxin::org {
namespace {

using ::testing::HasSubstr;
using testing::MakeActor;

struct KindCase {
  std::optional<UnitKind> parent;
  UnitKind child;
  bool fits;
};

TEST(UnitKindTest, KindRulesTable) {
  using enum UnitKind;
  const KindCase cases[] = {
      {std::nullopt, kCityBureau, true},
      {std::nullopt, kDistrictBureau, false},
      {std::nullopt, kStation, false},
      {kCityBureau, kCityBureau, false},
      {kCityBureau, kDistrictBureau, true},
      {kCityBureau, kPoliceType, true},
      {kCityBureau, kStation, false},
      {kCityBureau, kBeat, false},
      {kDistrictBureau, kStation, true},
      {kDistrictBureau, kDistrictBureau, false},
      {kDistrictBureau, kBeat, false},
      {kPoliceType, kStation, true},
      {kPoliceType, kPoliceType, false},
      {kStation, kBeat, true},
      {kStation, kStation, false},
      {kBeat, kBeat, false},
      {kBeat, kStation, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(KindFitsParent(c.parent, c.child), c.fits)
        << (c.parent ? UnitKindName(*c.parent) : "root") << " -> " << UnitKindName(c.child);
  }
}

TEST(UnitKindTest, NamesRoundTrip) {
  for (auto kind : {UnitKind::kCityBureau, UnitKind::kDistrictBureau, UnitKind::kPoliceType,
                    UnitKind::kStation, UnitKind::kBeat}) {
    EXPECT_EQ(ParseUnitKind(UnitKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseUnitKind("precinct"));
  EXPECT_EQ(ParsePlatform("wechat"), Platform::kWechat);
  EXPECT_FALSE(ParsePlatform("twitter"));
  EXPECT_EQ(SplitCommunities("a社区、b社区"), (std::vector<std::string>{"a社区", "b社区"}));
  EXPECT_EQ(JoinCommunities({"a", "b"}), "a、b");
}

class OrgServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!fixture_.Start(GetParam(), &skip)) GTEST_SKIP() << skip;
    root_ = testing::InsertRoot(db());
    admin_ = MakeActor(root_, {Role::kSystemAdmin}, 1);
    yuzhong_ = MustCreate({root_.id, UnitKind::kDistrictBureau, "渝中区分局", "500103"});
    jiulongpo_ = MustCreate({root_.id, UnitKind::kDistrictBureau, "九龙坡区分局", "500107"});
    jiefangbei_ = MustCreate({yuzhong_.id, UnitKind::kStation, "解放碑派出所"});
    NewUnit beat{jiefangbei_.id, UnitKind::kBeat, "民生路社区警务室"};
    beat.communities = {"民生路社区", "人和街社区"};
    minsheng_ = MustCreate(beat);
  }

  storage::Database& db() { return fixture_.database->db(); }
  OrgService& service() { return *fixture_.service; }

  Unit MustCreate(const NewUnit& input) {
    auto unit = service().CreateUnit(admin_, input);
    EXPECT_TRUE(unit.has_value()) << (unit ? "" : unit.error().message);
    return unit ? *unit : Unit{};
  }

  Unit Reload(UnitId id) {
    auto detail = service().GetUnit(admin_, id);
    EXPECT_TRUE(detail.has_value());
    return detail ? detail->unit : Unit{};
  }

  std::vector<auth::AuditRecord> AuditOf(const std::string& action_prefix) {
    auth::AuditQuery query;
    query.action_prefix = action_prefix;
    query.limit = 100;
    int64_t total = 0;
    auto records = fixture_.audit->Search(query, total);
    EXPECT_TRUE(records.has_value());
    return records ? *records : std::vector<auth::AuditRecord>{};
  }

  testing::OrgFixture fixture_;
  Unit root_, yuzhong_, jiulongpo_, jiefangbei_, minsheng_;
  Actor admin_;
};

TEST_P(OrgServiceTest, CreatesUnitsWithPathsAndAudit) {
  EXPECT_EQ(yuzhong_.path, root_.path + std::to_string(yuzhong_.id) + "/");
  EXPECT_EQ(yuzhong_.depth, 1);
  EXPECT_EQ(minsheng_.depth, 3);
  EXPECT_EQ(minsheng_.path, jiefangbei_.path + std::to_string(minsheng_.id) + "/");
  EXPECT_EQ(minsheng_.communities, (std::vector<std::string>{"民生路社区", "人和街社区"}));
  EXPECT_EQ(Reload(jiefangbei_.id).child_count, 1);
  EXPECT_EQ(AuditOf("unit.create").size(), 4u);
  auto detail = service().GetUnit(admin_, minsheng_.id);
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->ancestors.size(), 3u);
  EXPECT_EQ(detail->ancestors[0].name, "重庆市公安局");
  EXPECT_EQ(detail->ancestors[2].name, "解放碑派出所");
}

struct CreateCase {
  const char* label;
  int parent;  // 0 root, 1 district, 2 station, 3 beat
  UnitKind kind;
  const char* name;
  const char* code;
  ErrorCode expected;  // kInternal means success
  const char* field;
};

TEST_P(OrgServiceTest, CreateRulesTable) {
  using enum UnitKind;
  const CreateCase cases[] = {
      {"district ok", 0, kDistrictBureau, "江北区分局", "500105", ErrorCode::kInternal, ""},
      {"district needs code", 0, kDistrictBureau, "沙坪坝区分局", "", ErrorCode::kInvalidArgument,
       "code"},
      {"district code 6 digits", 0, kDistrictBureau, "南岸区分局", "50010",
       ErrorCode::kInvalidArgument, "code"},
      {"district code unique", 0, kDistrictBureau, "渝中区二分局", "500103", ErrorCode::kConflict,
       "code"},
      {"police type under city", 0, kPoliceType, "禁毒总队", "", ErrorCode::kInternal, ""},
      {"station not under city", 0, kStation, "某派出所", "", ErrorCode::kInvalidArgument, "kind"},
      {"second city bureau", 0, kCityBureau, "另一个市局", "", ErrorCode::kInvalidArgument, "kind"},
      {"beat not under district", 1, kBeat, "某警务室", "", ErrorCode::kInvalidArgument, "kind"},
      {"station under district", 1, kStation, "朝天门派出所", "", ErrorCode::kInternal, ""},
      {"station with own code", 1, kStation, "七星岗派出所", "CQ0103A", ErrorCode::kInternal, ""},
      {"station with a district code", 1, kStation, "较场口派出所", "500103",
       ErrorCode::kInvalidArgument, "code"},
      {"duplicate sibling name", 1, kStation, "解放碑派出所", "", ErrorCode::kConflict, "name"},
      {"empty name", 1, kStation, "  ", "", ErrorCode::kInvalidArgument, "name"},
      {"nothing under a beat", 3, kBeat, "x", "", ErrorCode::kInvalidArgument, "kind"},
  };
  for (const auto& c : cases) {
    const Unit* parents[] = {&root_, &yuzhong_, &jiefangbei_, &minsheng_};
    NewUnit input{parents[c.parent]->id, c.kind, c.name, c.code};
    auto result = service().CreateUnit(admin_, input);
    if (c.expected == ErrorCode::kInternal) {
      EXPECT_TRUE(result.has_value()) << c.label << ": " << (result ? "" : result.error().message);
      continue;
    }
    ASSERT_FALSE(result.has_value()) << c.label;
    EXPECT_EQ(result.error().code, c.expected) << c.label << ": " << result.error().message;
    bool named = false;
    for (const auto& f : result.error().fields) named = named || f.field == c.field;
    EXPECT_TRUE(named) << c.label;
  }
}

TEST_P(OrgServiceTest, RefusesInvalidPhoneAndCommunitiesOnNonBeats) {
  NewUnit station{yuzhong_.id, UnitKind::kStation, "较场口派出所"};
  station.public_phone = "not a phone";
  station.communities = {"x社区"};
  auto result = service().CreateUnit(admin_, station);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().fields.size(), 2u);
}

TEST_P(OrgServiceTest, RenameChecksVersion) {
  UnitChanges changes;
  changes.version = jiefangbei_.version;
  changes.name = "解放碑中心派出所";
  auto renamed = service().UpdateUnit(admin_, jiefangbei_.id, changes);
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "解放碑中心派出所");
  EXPECT_EQ(renamed->version, jiefangbei_.version + 1);

  auto stale = service().UpdateUnit(admin_, jiefangbei_.id, changes);  // old version
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);
  EXPECT_EQ(Reload(jiefangbei_.id).name, "解放碑中心派出所");
  EXPECT_EQ(AuditOf("unit.update").size(), 1u);

  auto missing = service().UpdateUnit(admin_, 999999, changes);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(OrgServiceTest, MoveRewritesTheSubtreePaths) {
  auto moved = service().MoveUnit(admin_, jiefangbei_.id, jiefangbei_.version, jiulongpo_.id);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->parent_id, jiulongpo_.id);
  EXPECT_EQ(moved->path, jiulongpo_.path + std::to_string(jiefangbei_.id) + "/");
  Unit beat = Reload(minsheng_.id);
  EXPECT_EQ(beat.path, moved->path + std::to_string(minsheng_.id) + "/");
  EXPECT_EQ(beat.depth, 3);
  EXPECT_EQ(Reload(yuzhong_.id).child_count, 0);
  EXPECT_EQ(AuditOf("unit.move").size(), 1u);
}

TEST_P(OrgServiceTest, MoveRefusesCyclesKindsStaleAndOutsideSubtree) {
  // Into its own subtree.
  auto cycle = service().MoveUnit(admin_, yuzhong_.id, yuzhong_.version, jiefangbei_.id);
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().code, ErrorCode::kConflict);
  auto self = service().MoveUnit(admin_, yuzhong_.id, yuzhong_.version, yuzhong_.id);
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kConflict);
  // A beat directly under a district bureau.
  auto kind = service().MoveUnit(admin_, minsheng_.id, minsheng_.version, jiulongpo_.id);
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error().code, ErrorCode::kInvalidArgument);
  // Stale version.
  auto stale = service().MoveUnit(admin_, jiefangbei_.id, jiefangbei_.version + 5, jiulongpo_.id);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);
  // A district admin cannot move a station into another district.
  Actor district_admin = MakeActor(yuzhong_, {Role::kSystemAdmin}, 2);
  auto outside =
      service().MoveUnit(district_admin, jiefangbei_.id, jiefangbei_.version, jiulongpo_.id);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Reload(jiefangbei_.id).parent_id, yuzhong_.id);
  bool recorded = false;
  for (const auto& r : AuditOf("")) recorded = recorded || r.result == auth::AuditResult::kDenied;
  EXPECT_TRUE(recorded) << "the denial is in the audit log";
}

TEST_P(OrgServiceTest, DeactivateRefusesActiveChildren) {
  auto busy = service().DeactivateUnit(admin_, jiefangbei_.id, jiefangbei_.version);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);

  auto beat = service().DeactivateUnit(admin_, minsheng_.id, minsheng_.version);
  ASSERT_TRUE(beat) << beat.error().message;
  EXPECT_FALSE(beat->active);
  auto station = service().DeactivateUnit(admin_, jiefangbei_.id, jiefangbei_.version);
  ASSERT_TRUE(station) << station.error().message;
  // The beat cannot come back under an inactive station.
  auto again = service().ActivateUnit(admin_, minsheng_.id, beat->version);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto revived = service().ActivateUnit(admin_, jiefangbei_.id, station->version);
  ASSERT_TRUE(revived);
  EXPECT_TRUE(revived->active);
  EXPECT_EQ(AuditOf("unit.deactivate").size(), 2u);
}

TEST_P(OrgServiceTest, SearchAndTreeStayInTheActorsSubtree) {
  Actor district_viewer = MakeActor(yuzhong_, {Role::kViewer}, 3);
  UnitSearch search;
  auto own = service().SearchUnits(district_viewer, search);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->total, 3);  // the district, its station and beat
  for (const auto& u : own->items) EXPECT_TRUE(u.path.starts_with(yuzhong_.path));

  search.q = "解放";
  auto named = service().SearchUnits(district_viewer, search);
  ASSERT_TRUE(named);
  ASSERT_EQ(named->total, 1);
  EXPECT_EQ(named->items[0].id, jiefangbei_.id);

  UnitSearch other;
  other.parent_id = jiulongpo_.id;
  auto sibling = service().SearchUnits(district_viewer, other);
  ASSERT_FALSE(sibling);
  EXPECT_EQ(sibling.error().code, ErrorCode::kPermissionDenied);
  auto get = service().GetUnit(district_viewer, jiulongpo_.id);
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kPermissionDenied);

  UnitSearch wildcard;
  wildcard.q = "%";
  auto none = service().SearchUnits(admin_, wildcard);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0) << "LIKE wildcards are escaped";

  auto tree = service().UnitTree(admin_, std::nullopt, 2);
  ASSERT_TRUE(tree) << tree.error().message;
  EXPECT_EQ(tree->unit.id, root_.id);
  ASSERT_EQ(tree->children.size(), 2u);
  EXPECT_EQ(tree->children[0].unit.id, yuzhong_.id);
  ASSERT_EQ(tree->children[0].children.size(), 1u);
  EXPECT_TRUE(tree->children[0].children[0].children.empty()) << "depth 2 stops at stations";
  auto deep = service().UnitTree(admin_, yuzhong_.id, 5);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->children.at(0).children.at(0).unit.id, minsheng_.id);
  EXPECT_FALSE(service().UnitTree(admin_, std::nullopt, 6));
  auto denied = service().UnitTree(district_viewer, jiulongpo_.id, 1);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(OrgServiceTest, OfficersHaveUniqueBadgesAndSealedMaskedPhones) {
  NewOfficer input{"031234", "张建国", jiefangbei_.id, "社区民警", "13812345678"};
  auto officer = service().CreateOfficer(admin_, input);
  ASSERT_TRUE(officer) << officer.error().message;
  EXPECT_EQ(officer->phone_masked, "138****5678");
  EXPECT_EQ(officer->unit_name, "解放碑派出所");

  auto stored = db().Read<std::string>([&](storage::Session& s) -> Result<std::string> {
    auto row = s.QueryOne("SELECT phone_sealed || '|' || phone_hash FROM officers WHERE id = $1",
                          {officer->id});
    if (!row) return std::unexpected(row.error());
    return (*row)->Text(0);
  });
  ASSERT_TRUE(stored);
  EXPECT_THAT(*stored, ::testing::Not(HasSubstr("13812345678")));
  EXPECT_THAT(*stored, ::testing::Not(HasSubstr("5678")));

  NewOfficer duplicate{"031234", "李四", yuzhong_.id, "民警", ""};
  auto dup = service().CreateOfficer(admin_, duplicate);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);

  NewOfficer bad{"x", "", 999999, "", "12345"};
  auto invalid = service().CreateOfficer(admin_, bad);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(invalid.error().fields.size(), 4u);  // badge_no, name, phone, unit_id

  auto revealed = service().RevealOfficerPhone(admin_, officer->id);
  ASSERT_TRUE(revealed);
  EXPECT_EQ(*revealed, "13812345678");
  auto reveals = AuditOf("officer.reveal_phone");
  ASSERT_EQ(reveals.size(), 1u);
  EXPECT_EQ(reveals[0].target, "officer:" + std::to_string(officer->id));
  EXPECT_THAT(reveals[0].detail, ::testing::Not(HasSubstr("1381234")));

  Actor pr = MakeActor(root_, {Role::kPrOfficer}, 4);
  auto refused = service().RevealOfficerPhone(pr, officer->id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  int ok_records = 0, denied_records = 0;
  for (const auto& r : AuditOf("officer.reveal_phone")) {
    (r.result == auth::AuditResult::kOk ? ok_records : denied_records)++;
  }
  EXPECT_EQ(ok_records, 1) << "no success record for the denial";
  EXPECT_EQ(denied_records, 1) << "the denial is recorded";

  OfficerChanges changes;
  changes.version = officer->version;
  changes.phone = "";
  changes.unit_id = jiulongpo_.id;
  auto updated = service().UpdateOfficer(admin_, officer->id, changes);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->phone_masked, "");
  EXPECT_EQ(updated->unit_id, jiulongpo_.id);
  auto stale = service().UpdateOfficer(admin_, officer->id, changes);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kStaleVersion);

  OfficerSearch search;
  search.q = "0312";
  auto found = service().SearchOfficers(admin_, search);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->total, 1);
  search.unit_id = yuzhong_.id;
  auto elsewhere = service().SearchOfficers(admin_, search);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->total, 0);
}

TEST_P(OrgServiceTest, BeatOfficerMustBelongToTheStation) {
  auto local = service().CreateOfficer(admin_, {"100001", "王强", jiefangbei_.id, "社区民警", ""});
  auto far = service().CreateOfficer(admin_, {"100002", "刘洋", jiulongpo_.id, "民警", ""});
  ASSERT_TRUE(local && far);
  UnitChanges changes;
  changes.version = minsheng_.version;
  changes.beat_officer_id = far->id;
  auto refused = service().UpdateUnit(admin_, minsheng_.id, changes);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  changes.beat_officer_id = local->id;
  auto assigned = service().UpdateUnit(admin_, minsheng_.id, changes);
  ASSERT_TRUE(assigned) << assigned.error().message;
  ASSERT_TRUE(assigned->beat_officer);
  EXPECT_EQ(assigned->beat_officer->name, "王强");
}

TEST_P(OrgServiceTest, ChannelAccountsAreValidated) {
  NewChannelAccount input;
  input.platform = Platform::kWeibo;
  input.name = "平安渝中";
  input.handle = "平安渝中";
  input.url = "https://weibo.com/n/pingan";
  input.unit_id = yuzhong_.id;
  input.followers = 120000;
  input.verified = true;
  auto account = service().CreateChannelAccount(admin_, input);
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->unit_name, "渝中区分局");

  auto duplicate = service().CreateChannelAccount(admin_, input);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);

  NewChannelAccount bad = input;
  bad.handle = "other";
  bad.url = "javascript:alert(1)";
  bad.followers = -1;
  bad.operator_officer_id = 424242;
  auto invalid = service().CreateChannelAccount(admin_, bad);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(invalid.error().fields.size(), 3u);

  Actor pr = MakeActor(yuzhong_, {Role::kPrOfficer}, 5);
  ChannelAccountChanges changes;
  changes.version = account->version;
  changes.followers = 130000;
  auto updated = service().UpdateChannelAccount(pr, account->id, changes);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->followers, 130000);
  changes.version = updated->version;
  changes.unit_id = jiulongpo_.id;
  auto moved = service().UpdateChannelAccount(pr, account->id, changes);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kPermissionDenied);

  Actor viewer = MakeActor(yuzhong_, {Role::kViewer}, 6);
  input.handle = "another";
  auto denied = service().CreateChannelAccount(viewer, input);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);

  ChannelSearch search;
  search.platform = Platform::kWeibo;
  auto list = service().SearchChannelAccounts(viewer, search);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->total, 1);
}

TEST_P(OrgServiceTest, PublicReadModelShowsOnlyActiveUnitsAndNoPhones) {
  auto officer = service().CreateOfficer(
      admin_, {"200001", "陈静", jiefangbei_.id, "社区民警", "13900001111"});
  ASSERT_TRUE(officer);
  UnitChanges assign;
  assign.version = minsheng_.version;
  assign.beat_officer_id = officer->id;
  ASSERT_TRUE(service().UpdateUnit(admin_, minsheng_.id, assign));
  NewChannelAccount account;
  account.name = "平安渝中";
  account.handle = "平安渝中";
  account.unit_id = yuzhong_.id;
  ASSERT_TRUE(service().CreateChannelAccount(admin_, account));

  auto districts = service().PublicDistricts();
  ASSERT_TRUE(districts);
  ASSERT_EQ(districts->size(), 2u);
  EXPECT_EQ(districts->at(0).unit.code, "500103");
  EXPECT_EQ(districts->at(0).accounts.size(), 1u);

  auto stations = service().PublicStations(yuzhong_.id);
  ASSERT_TRUE(stations);
  EXPECT_EQ(stations->size(), 1u);
  EXPECT_FALSE(service().PublicStations(jiefangbei_.id)) << "only districts list stations";

  BeatSearch search;
  search.q = "人和街";
  auto beats = service().PublicBeats(search);
  ASSERT_TRUE(beats);
  ASSERT_EQ(beats->total, 1);
  const auto& beat = beats->items[0];
  EXPECT_EQ(beat.beat.name, "民生路社区警务室");
  EXPECT_EQ(beat.station.name, "解放碑派出所");
  EXPECT_EQ(beat.district.code, "500103");
  ASSERT_TRUE(beat.beat.beat_officer);
  EXPECT_EQ(beat.beat.beat_officer->name, "陈静");

  search.q.reset();
  search.district_id = jiulongpo_.id;
  auto empty = service().PublicBeats(search);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->total, 0);

  ASSERT_TRUE(service().DeactivateUnit(admin_, minsheng_.id, Reload(minsheng_.id).version));
  search.district_id.reset();
  auto after = service().PublicBeats(search);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->total, 0) << "inactive beats are not public";

  auto bureau = service().PublicBureauInfo();
  ASSERT_TRUE(bureau);
  EXPECT_EQ(bureau->bureau.name, "重庆市公安局");
}

TEST_P(OrgServiceTest, ImportUnitsIsAllOrNothingWithLineAndColumnErrors) {
  std::string good =
      "parent,kind,name,code,public_phone,address,communities\r\n"
      "500103,station,朝天门派出所,,023-63000001,渝中区朝天门,\r\n"
      "重庆市公安局/渝中区分局/朝天门派出所,beat,朝天门社区警务室,,,,朝天门社区、望龙门社区\r\n"
      "\"" +
      std::to_string(root_.id) + "\",district_bureau,江北区分局,500105,,,\r\n";
  auto created = service().ImportUnits(admin_, good);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(*created, 3);
  UnitSearch search;
  search.q = "朝天门社区";
  auto found = service().SearchUnits(admin_, search);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].communities.size(), 2u);

  std::string bad =
      "parent,kind,name,code\n"
      "500103,station,较场口派出所,\n"              // fine on its own
      "500103,precinct,七星岗派出所,\n"             // line 3: kind
      "重庆市公安局/不存在分局,station,x派出所,\n"  // line 4: parent
      "500103,district_bureau,y,\n"                 // line 5: kind + code
      "500103,station,解放碑派出所,\n";             // line 6: duplicate name
  auto failed = service().ImportUnits(admin_, bad);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& f : failed.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::Contains("line 3, column kind"));
  EXPECT_THAT(fields, ::testing::Contains("line 4, column parent"));
  EXPECT_THAT(fields, ::testing::Contains("line 5, column kind"));
  EXPECT_THAT(fields, ::testing::Contains("line 5, column code"));
  EXPECT_THAT(fields, ::testing::Contains("line 6, column name"));
  search.q = "较场口";
  auto nothing = service().SearchUnits(admin_, search);
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->total, 0) << "the valid row was rolled back";

  auto header = service().ImportUnits(admin_, "parent,sort,name\n");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().code, ErrorCode::kInvalidArgument);
  auto empty = service().ImportUnits(admin_, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().fields.at(0).field, "line 1");

  Actor district_admin = MakeActor(jiulongpo_, {Role::kSystemAdmin}, 8);
  auto outside =
      service().ImportUnits(district_admin, "parent,kind,name\n500103,station,z派出所\n");
  ASSERT_FALSE(outside);
  // A row aimed outside the actor's subtree refuses the whole file, as the API would (403).
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  EXPECT_THAT(outside.error().message, ::testing::StartsWith("line 2: "));

  Actor viewer = MakeActor(jiulongpo_, {Role::kViewer}, 9);
  auto no_role = service().ImportUnits(viewer, "parent,kind,name\n");
  ASSERT_FALSE(no_role);
  EXPECT_EQ(no_role.error().code, ErrorCode::kPermissionDenied) << "refused before parsing";
}

TEST_P(OrgServiceTest, ImportOfficersReportsEveryBadLine) {
  std::string csv =
      "badge_no,name,unit,title,phone\n"
      "300001,赵敏,500103,民警,13800000001\n"
      "300001,钱多,500103,民警,\n"     // duplicate badge within the file
      "300003,孙立,999999,民警,\n"     // unknown unit
      "300004,李娜,500107,民警,12\n";  // bad phone
  auto failed = service().ImportOfficers(admin_, csv);
  ASSERT_FALSE(failed);
  std::vector<std::string> fields;
  for (const auto& f : failed.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("line 3, column badge_no", "line 4, column unit",
                                             "line 5, column phone"));
  OfficerSearch search;
  auto none = service().SearchOfficers(admin_, search);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total, 0);

  auto ok = service().ImportOfficers(
      admin_, "badge_no,name,unit,title,phone\n300001,赵敏,500103,民警,13800000001\n");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, 1);
}

TEST_P(OrgServiceTest, ImportCapsErrorsAtOneHundred) {
  std::string csv = "badge_no,name,unit\n";
  for (int i = 0; i < 150; ++i) csv += "x,,999999\n";
  auto failed = service().ImportOfficers(admin_, csv);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().fields.size(), kMaxImportErrors);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgServiceTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace lianxin::org
