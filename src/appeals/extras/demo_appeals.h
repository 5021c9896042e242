// The deterministic demo appeals: twelve months up to "now" for every district bureau, in
// volume and outcome true to the seed (合川区 500117: about 4,600 accepted in the year, 4,586
// resolved, every one replied), across channels, kinds and categories, with timelines that
// follow the state table, the working-day calendar and the deadline job.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "appeals/model.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::appeals {

// What one district bureau received (accepted = acknowledged in the demo year).
struct DemoDistrictCounts {
  std::string code;  // "500117"
  std::string name;  // "合川区分局"
  int64_t appeals = 0;
  int64_t accepted = 0;
  int64_t replied = 0;   // accepted with a reply now
  int64_t resolved = 0;  // accepted and closed as resolved now
};

// A demo appeal whose tracking number and access code open the track page.
struct DemoAppealSample {
  std::string tracking_number;
  std::string access_code;
  AppealState state = AppealState::kClosed;
  std::string district_code;
};

struct DemoAppealsSummary {
  int64_t appeals = 0;
  int64_t events = 0;
  int64_t accepted = 0;
  int64_t replied = 0;
  int64_t resolved = 0;
  int64_t published = 0;  // replied with publish_reply: on the public wall
  int64_t overdue = 0;    // open past the current step's deadline
  int64_t escalated = 0;  // open and escalated to the parent unit
  int64_t rectified = 0;  // unsatisfied, then rectified
  int64_t reopened = 0;   // reopened at least once
  int64_t notifications = 0;
  std::map<AppealState, int64_t> by_state;
  std::vector<DemoDistrictCounts> districts;  // in code order
  DemoDistrictCounts hechuan;                 // 500117 (zeros when the unit is missing)
  std::string from_date;                      // the demo year, "2025-11-24" .. "2026-11-23"
  std::string to_date;
  // Three appeals for the README: a closed one of 500117, one replied and waiting for a
  // rating, one still being handled.
  std::vector<DemoAppealSample> samples;
};

// Loads the demo appeals into a database whose organisation is loaded (district bureaus with
// their GB/T 2260 codes and stations; see org::LoadOrgDemo) and which holds no appeals yet
// (kConflict otherwise; kNotFound when there is no district bureau with a code). `scale`
// (0.001..10) multiplies the volume: about 165,000 appeals and 900,000 timeline events at 1; 0.01
// loads in well under a second. Deterministic: the same scale, units and "now" (clock) give the
// same appeals, texts, names, tracking numbers and access codes (a seeded generator, never
// RandomBytes); only the sealed values differ (Seal draws a fresh nonce). Citizen names are
// synthetic, phones come from the obviously synthetic range 1390000xxxx, WeChat OpenIDs start with
// "oDEMO"; all sealed with `protector` and hashed exactly as AppealService::Submit does, and the
// access code is hashed the same way, so Track works for a sample; the metrics rollup is rebuilt at
// the end. Deadlines come from the calendar_days and deadline_settings tables. Writes in batched
// transactions with multi-row inserts; also fills appeal_sequences so later submissions continue
// each day's numbering. No audit records are written (the demo history is not an audit trail).
// `out` may be null.
[[nodiscard]] Status LoadAppealsDemo(storage::Database& database, const DataProtector& protector,
                                     const Clock& clock, double scale, DemoAppealsSummary* out);

}  // namespace lianxin::appeals
