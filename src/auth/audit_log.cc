#include "auth/audit_log.h"

#include <string>
#include <utility>

#include "core/crypto.h"

namespace lianxin::auth {
namespace {

using storage::Params;
using storage::Row;
using storage::Value;

constexpr std::string_view kLastRecord = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
constexpr std::string_view kInsertRecord =
    "INSERT INTO audit_log (id, at, account_id, username, unit_id, action, target, result, "
    "detail, client_ip, prev_hash, hash) VALUES (CAST($1 AS BIGINT), CAST($2 AS BIGINT), "
    "CAST($3 AS BIGINT), $4, CAST($5 AS BIGINT), $6, $7, $8, $9, $10, $11, $12)";
constexpr std::string_view kChainBatch =
    "SELECT id, at, account_id, username, unit_id, action, target, result, detail, client_ip, "
    "prev_hash, hash FROM audit_log WHERE id > CAST($1 AS BIGINT) ORDER BY id LIMIT 1000";
constexpr std::string_view kSearchColumns =
    "SELECT a.id, a.at, a.account_id, a.username, a.unit_id, a.action, a.target, a.result, "
    "a.detail, a.client_ip, a.hash FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id";
constexpr std::string_view kSearchCount =
    "SELECT COUNT(*) FROM audit_log a LEFT JOIN units u ON u.id = a.unit_id";
constexpr int64_t kChainBatchSize = 1000;
// Longest stored text per field: the log must not become a place to dump large data.
constexpr size_t kMaxFieldBytes = 512;

void AppendField(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

// Cuts `text` to at most kMaxFieldBytes without splitting a UTF-8 sequence.
std::string Clip(std::string_view text) {
  if (text.size() <= kMaxFieldBytes) return std::string(text);
  size_t end = kMaxFieldBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '%' || c == '_') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

AuditRecord RecordFromRow(const Row& row) {
  AuditRecord r;
  r.id = row.Int(0);
  r.at_millis = row.Int(1);
  r.account_id = row.Int(2);
  r.username = row.Text(3);
  r.unit_id = row.Int(4);
  r.action = row.Text(5);
  r.target = row.Text(6);
  ParseAuditResult(row.Text(7), r.result);
  r.detail = row.Text(8);
  r.client_ip = row.Text(9);
  return r;
}

}  // namespace

std::string_view AuditResultName(AuditResult result) {
  switch (result) {
    case AuditResult::kOk:
      return "ok";
    case AuditResult::kDenied:
      return "denied";
    case AuditResult::kFailed:
      return "failed";
  }
  return "failed";
}

bool ParseAuditResult(std::string_view name, AuditResult& result) {
  if (name == "ok") {
    result = AuditResult::kOk;
  } else if (name == "denied") {
    result = AuditResult::kDenied;
  } else if (name == "failed") {
    result = AuditResult::kFailed;
  } else {
    return false;
  }
  return true;
}

std::string AuditRecordHash(std::string_view prev_hash, const AuditRecord& record) {
  std::string canonical(prev_hash);
  canonical += '\n';
  AppendField(canonical, std::to_string(record.id));
  AppendField(canonical, std::to_string(record.at_millis));
  AppendField(canonical, std::to_string(record.account_id));
  AppendField(canonical, record.username);
  AppendField(canonical, std::to_string(record.unit_id));
  AppendField(canonical, record.action);
  AppendField(canonical, record.target);
  AppendField(canonical, AuditResultName(record.result));
  AppendField(canonical, record.detail);
  AppendField(canonical, record.client_ip);
  return Sha256Hex(canonical);
}

AuditLog::AuditLog(storage::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

Status AuditLog::Append(storage::Session& session, const Actor* actor, const AuditEvent& event,
                        std::string_view client_ip) {
  AuditRecord record;
  record.at_millis = clock_.NowMillis();
  if (actor != nullptr) {
    record.account_id = actor->account_id;
    record.username = actor->username;
    record.unit_id = actor->unit_id;
    if (client_ip.empty()) client_ip = actor->client_ip;
  } else {
    record.account_id = event.account_id;
    record.username = Clip(event.username);
    record.unit_id = event.unit_id;
  }
  record.action = Clip(event.action);
  record.target = Clip(event.target);
  record.result = event.result;
  record.detail = Clip(event.detail);
  record.client_ip = Clip(client_ip);

  // Appenders must not interleave between reading the last hash and inserting the next row.
  if (auto locked = session.LockWriters("audit_log"); !locked) return locked;
  auto last = session.QueryOne(kLastRecord);
  if (!last) return std::unexpected(last.error());
  std::string prev_hash(kAuditGenesisHash);
  record.id = 1;
  if (*last) {
    record.id = (*last)->Int(0) + 1;
    prev_hash = (*last)->Text(1);
  }
  record.hash = AuditRecordHash(prev_hash, record);
  auto inserted = session.Execute(
      kInsertRecord,
      Params{record.id, record.at_millis, record.account_id, record.username, record.unit_id,
             record.action, record.target, std::string(AuditResultName(record.result)),
             record.detail, record.client_ip, prev_hash, record.hash});
  if (!inserted) return std::unexpected(inserted.error());
  return {};
}

Status AuditLog::Record(const Actor* actor, const AuditEvent& event, std::string_view client_ip) {
  return database_.Write<void>(
      [&](storage::Session& session) { return Append(session, actor, event, client_ip); });
}

Result<std::vector<AuditRecord>> AuditLog::Search(const AuditQuery& query, int64_t& total) {
  std::string where;
  Params params;
  auto add = [&](std::string condition, Value value) {
    params.push_back(std::move(value));
    std::string placeholder(1, '$');
    placeholder += std::to_string(params.size());
    size_t at = condition.find('?');
    condition.replace(at, 1, placeholder);
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  if (query.username) add("a.username = ?", *query.username);
  if (query.action_prefix)
    add("a.action LIKE ? ESCAPE '\\'", EscapeLike(*query.action_prefix) + "%");
  if (query.result) add("a.result = ?", std::string(AuditResultName(*query.result)));
  if (query.from_millis) add("a.at >= CAST(? AS BIGINT)", *query.from_millis);
  if (query.to_millis) add("a.at <= CAST(? AS BIGINT)", *query.to_millis);
  if (query.unit_path_prefix) {
    add(query.include_unitless ? "(u.path LIKE ? OR a.unit_id = 0)" : "u.path LIKE ?",
        EscapeLike(*query.unit_path_prefix) + "%");
  }
  int64_t limit = query.limit < 1 ? 1 : (query.limit > 1000 ? 1000 : query.limit);
  int64_t offset = query.offset < 0 ? 0 : query.offset;

  return database_.Read<std::vector<AuditRecord>>(
      [&](storage::Session& session) -> Result<std::vector<AuditRecord>> {
        auto count = session.QueryOne(std::string(kSearchCount) + where, params);
        if (!count) return std::unexpected(count.error());
        total = *count ? (*count)->Int(0) : 0;
        Params page_params = params;
        page_params.push_back(limit);
        page_params.push_back(offset);
        std::string sql = std::string(kSearchColumns) + where + " ORDER BY a.id DESC LIMIT CAST($" +
                          std::to_string(page_params.size() - 1) + " AS BIGINT) OFFSET CAST($" +
                          std::to_string(page_params.size()) + " AS BIGINT)";
        auto rows = session.Query(sql, page_params);
        if (!rows) return std::unexpected(rows.error());
        std::vector<AuditRecord> records;
        records.reserve(rows->size());
        for (const Row& row : *rows) {
          AuditRecord record = RecordFromRow(row);
          record.hash = row.Text(10);
          records.push_back(std::move(record));
        }
        return records;
      });
}

Result<std::optional<int64_t>> AuditLog::Verify(int64_t& checked) {
  checked = 0;
  return database_.Read<std::optional<int64_t>>(
      [&](storage::Session& session) -> Result<std::optional<int64_t>> {
        std::string expected_prev(kAuditGenesisHash);
        int64_t after = 0;
        while (true) {
          auto rows = session.Query(kChainBatch, Params{after});
          if (!rows) return std::unexpected(rows.error());
          for (const Row& row : *rows) {
            AuditRecord record = RecordFromRow(row);
            ++checked;
            std::string prev_hash = row.Text(10);
            std::string hash = row.Text(11);
            // A deleted row breaks the link of the row after it; an edited row its own hash.
            if (prev_hash != expected_prev || AuditRecordHash(expected_prev, record) != hash) {
              return std::optional<int64_t>(record.id);
            }
            expected_prev = std::move(hash);
            after = record.id;
          }
          if (static_cast<int64_t>(rows->size()) < kChainBatchSize) break;
        }
        return std::optional<int64_t>();
      });
}

Result<AuditVerifyReport> VerifyAuditLog(storage::Database& database) {
  SystemClock clock;
  AuditLog log(database, clock);
  AuditVerifyReport report;
  auto first_bad = log.Verify(report.checked);
  if (!first_bad) return std::unexpected(first_bad.error());
  report.first_bad_id = *first_bad;
  report.ok = !first_bad->has_value();
  return report;
}

}  // namespace lianxin::auth
