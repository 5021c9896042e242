#include "appeals/extras/export_xlsx.h"

#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "appeals/calendar.h"
#include "core/time.h"

namespace lianxin::appeals {
namespace {

constexpr std::array<std::string_view, kExportColumns> kHeaders = {
    "编号",     "类型",     "类别",     "渠道",     "状态", "辖区",     "承办单位", "提交时间",
    "受理时间", "答复时间", "办结时间", "是否超期", "评价", "群众姓名", "联系电话", "诉求内容"};
// Column widths in Excel character units (a CJK character is about two).
constexpr std::array<double, kExportColumns> kWidths = {18, 10, 14, 9, 9,  12, 22, 17,
                                                        17, 17, 17, 9, 11, 10, 14, 80};

constexpr int64_t kPageSize = 5'000;

constexpr std::string_view kDistrictNames =
    "SELECT code, name FROM units WHERE kind = 'district_bureau' AND code IS NOT NULL";
constexpr std::string_view kCategoryNames = "SELECT code, name FROM appeal_categories";

std::string Opt(const std::optional<int64_t>& t) { return t ? FormatExportTime(*t) : ""; }

std::string Lookup(const std::map<std::string, std::string, std::less<>>& names,
                   const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

// Removes the temporary directory whatever happens.
struct TempDir {
  std::filesystem::path path;
  ~TempDir() {
    if (!path.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  }
};

std::string Trimmed(std::string name) {
  for (std::string_view suffix : {"分局", "公安局"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

}  // namespace

std::span<const std::string_view> ExportHeaders() { return kHeaders; }

std::string_view KindLabel(AppealKind kind) {
  switch (kind) {
    case AppealKind::kConsultation:
      return "咨询";
    case AppealKind::kComplaint:
      return "投诉";
    case AppealKind::kReport:
      return "反映问题";
    case AppealKind::kSuggestion:
      return "建议";
    case AppealKind::kPraise:
      return "表扬";
  }
  return "";
}

std::string_view ChannelLabel(Channel channel) {
  switch (channel) {
    case Channel::kWeb:
      return "网站";
    case Channel::kWechat:
      return "微信";
    case Channel::kWeibo:
      return "微博";
    case Channel::kForum:
      return "论坛";
    case Channel::kHotline:
      return "热线";
    case Channel::kEvent:
      return "活动";
    case Channel::kSurvey:
      return "调查";
    case Channel::kOpen311:
      return "Open311";
  }
  return "";
}

std::string_view StateLabel(AppealState state) {
  switch (state) {
    case AppealState::kSubmitted:
      return "待受理";
    case AppealState::kAcknowledged:
      return "已受理";
    case AppealState::kAssigned:
      return "已分派";
    case AppealState::kVerifying:
      return "核查中";
    case AppealState::kReplied:
      return "已答复";
    case AppealState::kRectifying:
      return "整改中";
    case AppealState::kFollowUp:
      return "待回访";
    case AppealState::kClosed:
      return "已办结";
    case AppealState::kMerged:
      return "已合并";
  }
  return "";
}

std::string_view RatingLabel(Rating rating) {
  switch (rating) {
    case Rating::kSatisfied:
      return "满意";
    case Rating::kBasicallySatisfied:
      return "基本满意";
    case Rating::kUnsatisfied:
      return "不满意";
  }
  return "";
}

std::string FormatExportTime(int64_t unix_millis) {
  int64_t day = LocalDayNumber(unix_millis);
  int64_t minutes = (unix_millis - LocalDayStart(day)) / 60'000;
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", int(minutes / 60), int(minutes % 60));
  return DayNumberToDate(day) + " " + hm;
}

bool IsOverdueForExport(const AppealView& v, int64_t now) {
  if (v.escalated_at) return true;
  if (v.replied_at && *v.replied_at > v.reply_deadline) return true;
  return IsOpen(v.state) && v.due_at && *v.due_at <= now;
}

std::vector<ExportRow> ExportRows(const std::vector<AppealView>& views, const ExportNames& names,
                                  int64_t now) {
  std::vector<ExportRow> rows;
  rows.reserve(views.size());
  for (const auto& v : views) {
    rows.push_back(ExportRow{
        v.tracking_number,
        std::string(KindLabel(v.kind)),
        Lookup(names.categories, v.category),
        std::string(ChannelLabel(v.channel)),
        std::string(StateLabel(v.state)),
        v.location.district_code.empty() ? "" : Lookup(names.districts, v.location.district_code),
        v.unit_name,
        FormatExportTime(v.created_at),
        Opt(v.acknowledged_at),
        Opt(v.replied_at),
        Opt(v.closed_at),
        IsOverdueForExport(v, now) ? "是" : "否",
        v.rating ? std::string(RatingLabel(*v.rating)) : "",
        v.citizen_name_masked,
        v.citizen_phone_masked,
        v.text,
    });
  }
  return rows;
}

Result<std::string> WriteXlsx(const std::vector<ExportRow>& rows) {
  std::string pattern = (std::filesystem::temp_directory_path() / "lianxin-export-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {  // mode 0700
    return MakeError(ErrorCode::kInternal, "Could not create a temporary directory.");
  }
  TempDir dir{pattern};
  const std::string file = (dir.path / "export.xlsx").string();
  std::string tmp = dir.path.string();

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = tmp.data();
  options.use_zip64 = LXW_FALSE;
  lxw_workbook* book = workbook_new_opt(file.c_str(), &options);
  if (book == nullptr) return MakeError(ErrorCode::kInternal, "Could not start the workbook.");
  lxw_worksheet* sheet = workbook_add_worksheet(book, "诉求");
  lxw_format* header = workbook_add_format(book);
  format_set_bold(header);
  format_set_bg_color(header, 0xD9E1F2);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* wrap = workbook_add_format(book);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* plain = workbook_add_format(book);
  format_set_align(plain, LXW_ALIGN_VERTICAL_TOP);
  if (sheet == nullptr || header == nullptr || wrap == nullptr || plain == nullptr) {
    workbook_close(book);
    return MakeError(ErrorCode::kInternal, "Could not set up the worksheet.");
  }

  lxw_error err = LXW_NO_ERROR;
  auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR && err == LXW_NO_ERROR) err = e;
  };
  for (size_t c = 0; c < kExportColumns; ++c) {
    check(worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), kWidths[c],
                               c + 1 == kExportColumns ? wrap : plain));
  }
  worksheet_freeze_panes(sheet, 1, 0);
  check(worksheet_autofilter(sheet, 0, 0, lxw_row_t(rows.size()), lxw_col_t(kExportColumns - 1)));
  for (size_t c = 0; c < kExportColumns; ++c) {
    check(worksheet_write_string(sheet, 0, lxw_col_t(c), std::string(kHeaders[c]).c_str(), header));
  }
  for (size_t r = 0; r < rows.size() && err == LXW_NO_ERROR; ++r) {
    for (size_t c = 0; c < kExportColumns; ++c) {
      const std::string& cell = rows[r][c];
      if (cell.empty()) continue;
      // Strings, never formulas: a text starting with "=" stays text.
      check(worksheet_write_string(sheet, lxw_row_t(r + 1), lxw_col_t(c), cell.c_str(), nullptr));
    }
  }
  lxw_error closed = workbook_close(book);  // frees the workbook
  if (err == LXW_NO_ERROR) err = closed;
  if (err != LXW_NO_ERROR) {
    return MakeError(ErrorCode::kInternal,
                     std::string("The workbook could not be written: ") + lxw_strerror(err));
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInternal, "The workbook could not be read back.");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

std::string FilterSummary(const AppealFilter& f) {
  std::string out;
  auto add = [&](std::string_view key, std::string_view value) {
    if (!out.empty()) out += ' ';
    out.append(key).append("=").append(value);
  };
  if (!f.states.empty()) {
    std::string states;
    for (AppealState s : f.states) {
      if (!states.empty()) states += ',';
      states += StateName(s);
    }
    add("state", states);
  }
  if (f.kind) add("kind", KindName(*f.kind));
  if (f.category) add("category", f.category->substr(0, 32));
  if (f.channel) add("channel", ChannelName(*f.channel));
  if (f.unit_id) add("unit_id", std::to_string(*f.unit_id));
  if (f.overdue) add("overdue", "true");
  if (f.warning) add("warning", "true");
  if (f.escalated) add("escalated", "true");
  if (f.from_millis) add("from", FormatIso8601(*f.from_millis));
  if (f.to_millis) add("to", FormatIso8601(*f.to_millis));
  // The search text may hold personal data: only its length is recorded.
  if (f.q && !f.q->empty()) add("q_chars", std::to_string(f.q->size()));
  static constexpr std::array<std::string_view, 4> kSorts = {"newest", "oldest", "due", "updated"};
  add("sort", kSorts[size_t(f.sort)]);
  return out;
}

AppealExporter::AppealExporter(AppealService& service, storage::Database& database,
                               auth::AuditLog& audit, const Clock& clock)
    : service_(service), database_(database), audit_(audit), clock_(clock) {}

Result<ExportResult> AppealExporter::Export(const Actor& actor, const AppealFilter& input) {
  ExportResult result;
  result.generated_at = clock_.NowMillis();
  AppealFilter filter = input;
  // Later appeals would shift the pages of a newest-first list: leave them out.
  const int64_t cutoff = result.generated_at + 1;
  filter.to_millis = filter.to_millis ? std::min(*filter.to_millis, cutoff) : cutoff;
  filter.limit = kPageSize;
  filter.offset = 0;
  filter.exact_total = true;

  std::vector<AppealView> views;
  std::set<AppealId> seen;
  for (;;) {
    auto page = service_.Search(actor, filter);
    if (!page) return std::unexpected(page.error());
    result.total = std::max(result.total, page->total);
    for (auto& v : page->items) {
      if (int64_t(views.size()) >= kMaxXlsxRows) break;
      if (seen.insert(v.id).second) views.push_back(std::move(v));
    }
    if (int64_t(views.size()) >= kMaxXlsxRows || int64_t(page->items.size()) < filter.limit) break;
    filter.offset += filter.limit;
  }
  result.truncated = result.total > int64_t(views.size());

  auto names = database_.Read<ExportNames>([&](storage::Session& s) -> Result<ExportNames> {
    ExportNames n;
    auto districts = s.Query(kDistrictNames);
    if (!districts) return std::unexpected(districts.error());
    for (const auto& r : *districts) n.districts.emplace(r.Text(0), Trimmed(r.Text(1)));
    auto categories = s.Query(kCategoryNames);
    if (!categories) return std::unexpected(categories.error());
    for (const auto& r : *categories) n.categories.emplace(r.Text(0), r.Text(1));
    return n;
  });
  if (!names) return std::unexpected(names.error());

  auto bytes = WriteXlsx(ExportRows(views, *names, result.generated_at));
  if (!bytes) return std::unexpected(bytes.error());
  result.bytes = std::move(*bytes);
  result.rows = int64_t(views.size());

  auto audited =
      audit_.Record(&actor,
                    auth::AuditEvent{"appeal.export", "appeals", auth::AuditResult::kOk,
                                     FilterSummary(input) + " rows=" + std::to_string(result.rows) +
                                         (result.truncated ? " truncated" : "")},
                    actor.client_ip);
  if (!audited) return std::unexpected(audited.error());
  return result;
}

}  // namespace lianxin::appeals
