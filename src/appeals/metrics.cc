#include "appeals/metrics.h"

#include <map>

#include "appeals/calendar.h"
#include "appeals/subtree_sql.h"

namespace lianxin::appeals {
namespace {

using storage::Params;
using storage::Session;

// One row per channel × kind × day of the cohort, from the rollup; the caller folds them.
constexpr std::string_view kMetricsSelect =
    "SELECT m.channel, m.kind, m.period, SUM(m.accepted), SUM(m.acknowledged_on_time), "
    "SUM(m.replied), SUM(m.replied_on_time), SUM(m.resolved), SUM(m.rated), SUM(m.satisfied), "
    "SUM(m.unsatisfied), SUM(m.rectified), SUM(m.follow_up_visits) FROM appeal_metric_rollup m "
    "WHERE m.period >= CAST($1 AS BIGINT) AND m.period <= CAST($2 AS BIGINT) "
    "AND (CAST($3 AS TEXT) IS NULL OR m.channel = CAST($3 AS TEXT)) "
    "AND (CAST($4 AS TEXT) IS NULL OR m.kind = CAST($4 AS TEXT)) AND ";
constexpr std::string_view kMetricsGroup = " GROUP BY m.channel, m.kind, m.period";

// The rollup recomputed from the appeals (the same definitions as ContributionOf in
// appeal_service.cc).
constexpr std::string_view kRebuildDelete = "DELETE FROM appeal_metric_rollup";
// After a unit moved in the tree, its appeals' denormalised paths follow.
constexpr std::string_view kRefreshUnitPaths =
    "UPDATE appeals SET unit_path = (SELECT u.path FROM units u WHERE u.id = appeals.unit_id) "
    "WHERE unit_path <> (SELECT u.path FROM units u WHERE u.id = appeals.unit_id)";
// `%PERIOD%` is a.accepted_day (day rows) or a.accepted_day / 100 (month rows).
constexpr std::string_view kRebuildInsert =
    "INSERT INTO appeal_metric_rollup (period, unit_id, unit_path, channel, kind, accepted, "
    "acknowledged_on_time, replied, replied_on_time, resolved, rated, satisfied, unsatisfied, "
    "rectified, follow_up_visits) "
    "SELECT %PERIOD%, a.unit_id, MIN(a.unit_path), a.channel, a.kind, COUNT(*), "
    "SUM(CASE WHEN a.acknowledged_at <= a.ack_deadline THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.replied_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.replied_at IS NOT NULL AND a.replied_at <= a.reply_deadline THEN 1 ELSE 0 "
    "END), "
    "SUM(CASE WHEN a.state = 'closed' AND a.resolved = 1 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.rating IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.rating IN ('satisfied', 'basically_satisfied') THEN 1 ELSE 0 END), "
    "SUM(a.ever_unsatisfied), "
    "SUM(CASE WHEN a.rectified_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(a.follow_up_count) "
    "FROM appeals a WHERE a.accepted_day IS NOT NULL AND a.acknowledged_at IS NOT NULL "
    "AND a.state <> 'merged' GROUP BY %PERIOD%, a.unit_id, a.channel, a.kind";

constexpr std::string_view kUnit = "SELECT id, path, name FROM units WHERE id = $1";

int64_t Ymd(int64_t day_number) {
  std::string d = DayNumberToDate(day_number);
  return std::stoll(d.substr(0, 4)) * 10000 + std::stoll(d.substr(5, 2)) * 100 +
         std::stoll(d.substr(8, 2));
}

std::string Bucket(int64_t ymd, TrendGranularity g) {
  char buffer[32];
  if (g == TrendGranularity::kMonth) {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld", static_cast<long long>(ymd / 10000),
                  static_cast<long long>(ymd / 100 % 100));
  } else {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lld",
                  static_cast<long long>(ymd / 10000), static_cast<long long>(ymd / 100 % 100),
                  static_cast<long long>(ymd % 100));
  }
  return buffer;
}

}  // namespace

void MetricCounts::Add(const MetricCounts& o) {
  accepted += o.accepted;
  acknowledged_on_time += o.acknowledged_on_time;
  replied += o.replied;
  replied_on_time += o.replied_on_time;
  resolved += o.resolved;
  rated += o.rated;
  satisfied += o.satisfied;
  unsatisfied += o.unsatisfied;
  rectified += o.rectified;
  follow_up_visits += o.follow_up_visits;
}

AppealMetrics::AppealMetrics(storage::Database& database, auth::AccessPolicy& policy)
    : database_(database), policy_(policy) {}

Result<MetricsReport> AppealMetrics::Compute(const Actor& actor, const MetricsQuery& query) {
  auto from = ParseDate(query.from_date);
  auto to = ParseDate(query.to_date);
  std::vector<FieldError> errors;
  if (!from) errors.push_back({"from", "must be a date YYYY-MM-DD"});
  if (!to) errors.push_back({"to", "must be a date YYYY-MM-DD"});
  if (from && to && *to < *from) errors.push_back({"to", "must not be before from"});
  if (from && to && query.trend == TrendGranularity::kDay && *to - *from > 400) {
    errors.push_back({"trend", "a daily trend covers at most 400 days"});
  }
  if (from && to && *to - *from > 3700) errors.push_back({"to", "at most ten years"});
  if (!errors.empty()) return InvalidFields(std::move(errors));

  UnitId unit_id = query.unit_id.value_or(actor.unit_id);
  std::string path, name;
  auto unit = database_.Read<std::optional<storage::Row>>(
      [&](Session& s) { return s.QueryOne(kUnit, {unit_id}); });
  if (!unit) return std::unexpected(unit.error());
  if (!*unit) return MakeError(ErrorCode::kNotFound, "Unit not found.");
  path = (*unit)->Text(1);
  name = (*unit)->Text(2);
  if (auto ok =
          policy_.Check(actor, auth::Action::kAppealRead, path, "unit:" + std::to_string(unit_id));
      !ok) {
    return std::unexpected(ok.error());
  }

  MetricsReport report;
  report.unit_id = unit_id;
  report.unit_name = name;
  report.from_date = query.from_date;
  report.to_date = query.to_date;
  // Every bucket of the period, so a chart has its zeros.
  std::map<std::string, MetricCounts> trend;
  if (query.trend != TrendGranularity::kNone) {
    for (int64_t d = *from; d <= *to; ++d) trend[Bucket(Ymd(d), query.trend)];
  }
  std::map<Channel, MetricCounts> by_channel;
  std::map<AppealKind, MetricCounts> by_kind;

  // Whole months without a daily trend read the month rows; anything else the day rows.
  const int64_t from_ymd = Ymd(*from);
  const int64_t to_ymd = Ymd(*to);
  const bool whole_months =
      query.trend != TrendGranularity::kDay && from_ymd % 100 == 1 && Ymd(*to + 1) % 100 == 1;
  Params params{
      whole_months ? from_ymd / 100 : from_ymd, whole_months ? to_ymd / 100 : to_ymd,
      query.channel ? storage::Value(std::string(ChannelName(*query.channel))) : storage::Null(),
      query.kind ? storage::Value(std::string(KindName(*query.kind))) : storage::Null()};
  auto rows = database_.Read<std::vector<storage::Row>>([&](Session& s) {
    std::string sql = std::string(kMetricsSelect) +
                      SubtreeCondition(s.dialect(), "m.unit_path", path, params) +
                      std::string(kMetricsGroup);
    return s.Query(sql, params);
  });
  if (!rows) return std::unexpected(rows.error());
  for (const auto& r : *rows) {
    MetricCounts c;
    c.accepted = r.Int(3);
    c.acknowledged_on_time = r.Int(4);
    c.replied = r.Int(5);
    c.replied_on_time = r.Int(6);
    c.resolved = r.Int(7);
    c.rated = r.Int(8);
    c.satisfied = r.Int(9);
    c.unsatisfied = r.Int(10);
    c.rectified = r.Int(11);
    c.follow_up_visits = r.Int(12);
    Channel channel = Channel::kWeb;
    ParseChannel(r.Text(0), channel);
    AppealKind kind = AppealKind::kConsultation;
    ParseKind(r.Text(1), kind);
    report.total.Add(c);
    by_channel[channel].Add(c);
    by_kind[kind].Add(c);
    if (query.trend != TrendGranularity::kNone) {
      int64_t period = r.Int(2);
      trend[Bucket(whole_months ? period * 100 + 1 : period, query.trend)].Add(c);
    }
  }
  for (Channel ch : kAllChannels) {
    if (auto it = by_channel.find(ch); it != by_channel.end()) report.by_channel.push_back(*it);
  }
  for (AppealKind k : kAllKinds) {
    if (auto it = by_kind.find(k); it != by_kind.end()) report.by_kind.push_back(*it);
  }
  for (auto& [bucket, counts] : trend) report.trend.emplace_back(bucket, counts);
  return report;
}

Status AppealMetrics::Rebuild() {
  return database_.Write<void>([&](Session& s) -> Status {
    if (auto ok = s.LockWriters("appeal_metric_rollup"); !ok) return ok;
    auto moved = s.Execute(kRefreshUnitPaths);
    if (!moved) return std::unexpected(moved.error());
    auto gone = s.Execute(kRebuildDelete);
    if (!gone) return std::unexpected(gone.error());
    for (std::string_view period : {"a.accepted_day", "(a.accepted_day / 100)"}) {
      std::string sql(kRebuildInsert);
      for (size_t at = sql.find("%PERIOD%"); at != std::string::npos; at = sql.find("%PERIOD%")) {
        sql.replace(at, 8, period);
      }
      auto done = s.Execute(sql);
      if (!done) return std::unexpected(done.error());
    }
    return {};
  });
}

}  // namespace lianxin::appeals
