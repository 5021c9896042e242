// Appeal metrics per unit subtree and period, with the definitions of DOMAIN.md. Every
// number counts the cohort of appeals *accepted* (acknowledged, 受理) in the period, so that
// each rate is a share of that cohort and never exceeds 100%:
//   accepted              acknowledged_at in the period (merged duplicates excluded)
//   acknowledged_on_time  accepted with acknowledged_at <= ack_deadline
//   replied               accepted with a public reply (replied_at set)
//   replied_on_time       replied with replied_at <= reply_deadline
//   resolved              accepted and now closed as resolved (rated satisfied/basically
//                         satisfied, auto-closed after 7 days, or closed by a follow-up visit)
//   rated                 accepted with a rating (the latest one)
//   satisfied             rated satisfied or basically satisfied
//   unsatisfied           accepted and rated unsatisfied at least once
//   rectified             accepted whose rectification was completed
//   follow_up_visits      follow-up visits recorded on accepted appeals
//   reply_rate = replied / accepted; resolution_rate = resolved / accepted;
//   satisfaction_rate = satisfied / rated (each 0 when its denominator is 0).
// The unit is the current handling unit. The numbers come from the rollup table
// appeal_metric_rollup (one row per accepted day, and one per accepted month, × unit ×
// channel × kind; whole-month periods read the month rows), which AppealService
// keeps in step in the same transaction as every change of an appeal; the query sums the
// rollup rows of the subtree and period with GROUP BY in the database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "appeals/model.h"
#include "auth/access_policy.h"
#include "core/actor.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::appeals {

struct MetricCounts {
  int64_t accepted = 0;
  int64_t acknowledged_on_time = 0;
  int64_t replied = 0;
  int64_t replied_on_time = 0;
  int64_t resolved = 0;
  int64_t rated = 0;
  int64_t satisfied = 0;
  int64_t unsatisfied = 0;
  int64_t rectified = 0;
  int64_t follow_up_visits = 0;

  double ReplyRate() const { return accepted ? double(replied) / double(accepted) : 0.0; }
  double ResolutionRate() const { return accepted ? double(resolved) / double(accepted) : 0.0; }
  double SatisfactionRate() const { return rated ? double(satisfied) / double(rated) : 0.0; }
  void Add(const MetricCounts& other);
};

enum class TrendGranularity { kNone, kDay, kMonth };

struct MetricsQuery {
  std::optional<UnitId> unit_id;  // its subtree; default the actor's unit
  std::string from_date;          // "2026-01-01", inclusive (+08:00)
  std::string to_date;            // "2026-12-31", inclusive
  std::optional<Channel> channel;
  std::optional<AppealKind> kind;
  TrendGranularity trend = TrendGranularity::kMonth;
};

struct MetricsReport {
  UnitId unit_id = 0;
  std::string unit_name;
  std::string from_date;
  std::string to_date;
  MetricCounts total;
  std::vector<std::pair<Channel, MetricCounts>> by_channel;  // channels with accepted > 0
  std::vector<std::pair<AppealKind, MetricCounts>> by_kind;  // kinds with accepted > 0
  std::vector<std::pair<std::string, MetricCounts>> trend;   // "2026-11-23" or "2026-11",
                                                             // every bucket of the period
};

class AppealMetrics {
 public:
  // Both must outlive the object.
  AppealMetrics(storage::Database& database, auth::AccessPolicy& policy);

  // kAppealRead on the unit's subtree (403, audited, otherwise); 422 for bad dates, a
  // reversed period or a daily trend longer than 400 days; kNotFound for an unknown unit.
  [[nodiscard]] Result<MetricsReport> Compute(const Actor& actor, const MetricsQuery& query);

  // In one transaction: refreshes appeals.unit_path from units (after a unit moved in the
  // tree) and recomputes the rollup from the appeals table. Anything that writes appeals
  // without AppealService (demo data, bulk loads) or moves units must call it afterwards.
  [[nodiscard]] Status Rebuild();

 private:
  storage::Database& database_;
  auth::AccessPolicy& policy_;
};

}  // namespace lianxin::appeals
