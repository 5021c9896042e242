// The staff inbox's filtered list as an Excel workbook (.xlsx, libxlsxwriter), with personal
// data masked exactly as the inbox shows it. Access is the inbox's: AppealService::Search
// checks kAppealRead on the filtered subtree (403, audited, otherwise).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "appeals/appeal_service.h"
#include "auth/audit_log.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::appeals {

// At most this many appeals go into one workbook; the rest are left out (and said so).
inline constexpr int64_t kMaxXlsxRows = 100'000;
inline constexpr size_t kExportColumns = 16;

// 编号, 类型, 类别, 渠道, 状态, 辖区, 承办单位, 提交时间, 受理时间, 答复时间, 办结时间,
// 是否超期, 评价, 群众姓名, 联系电话, 诉求内容.
std::span<const std::string_view> ExportHeaders();

using ExportRow = std::array<std::string, kExportColumns>;

// Names the rows need besides the views: category code → name ("traffic" → "交通管理") and
// district code → name ("500117" → "合川区"). A missing entry shows the code itself.
struct ExportNames {
  std::map<std::string, std::string, std::less<>> categories;
  std::map<std::string, std::string, std::less<>> districts;
};

// The Chinese label of each value as the console shows it ("咨询", "微信", "已办结", "满意").
std::string_view KindLabel(AppealKind kind);
std::string_view ChannelLabel(Channel channel);
std::string_view StateLabel(AppealState state);
std::string_view RatingLabel(Rating rating);

// "2026-11-23 09:05" (+08:00) for Unix millis.
std::string FormatExportTime(int64_t unix_millis);

// True when the appeal missed a deadline: replied after its reply deadline, or open and past
// the deadline of its current step at `now`, or escalated.
bool IsOverdueForExport(const AppealView& view, int64_t now);

// Pure: one row per view, in order. Names and phones are the views' masked values (never
// opened here); times as FormatExportTime, "" when absent; 是否超期 "是"/"否"; 评价 the
// label or "".
std::vector<ExportRow> ExportRows(const std::vector<AppealView>& views, const ExportNames& names,
                                  int64_t now);

// The workbook's bytes: one sheet "诉求" with the header row (bold, frozen), an autofilter
// over every column, fixed column widths and the rows as text. libxlsxwriter writes files, so
// the workbook goes through a private temporary directory (mode 0700) that is removed before
// returning. kInternal when the library fails.
[[nodiscard]] Result<std::string> WriteXlsx(const std::vector<ExportRow>& rows);

struct ExportResult {
  std::string bytes;       // the .xlsx
  int64_t rows = 0;        // appeals written
  int64_t total = 0;       // appeals matching the filter
  bool truncated = false;  // total > kMaxXlsxRows
  int64_t generated_at = 0;
};

class AppealExporter {
 public:
  // All references must outlive the exporter.
  AppealExporter(AppealService& service, storage::Database& database, auth::AuditLog& audit,
                 const Clock& clock);

  // Pages through AppealService::Search with `filter` (its offset and limit are ignored;
  // appeals created after the export started are left out so pages cannot shift), up to
  // kMaxXlsxRows, and writes the workbook. Audited as "appeal.export" with a summary of the
  // filter and the row count. Search's errors (403, 404 for an unknown unit, 422) pass through.
  [[nodiscard]] Result<ExportResult> Export(const Actor& actor, const AppealFilter& filter);

 private:
  AppealService& service_;
  storage::Database& database_;
  auth::AuditLog& audit_;
  const Clock& clock_;
};

// A short, personal-data-free description of a filter for the audit log:
// "state=closed,replied kind=complaint unit_id=17 q_chars=3 from=... sort=newest".
std::string FilterSummary(const AppealFilter& filter);

}  // namespace lianxin::appeals
