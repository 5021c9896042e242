#include "appeals/attachments/attachment_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace lianxin::attachments {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO attachments (owner_kind, appeal_id, sha256, content_type, width, height, "
    "bytes, path, created_at, created_by) VALUES ($1, CAST($2 AS BIGINT), $3, 'image/jpeg', "
    "CAST($4 AS BIGINT), CAST($5 AS BIGINT), CAST($6 AS BIGINT), $7, CAST($8 AS BIGINT), "
    "CAST($9 AS BIGINT)) RETURNING id";
constexpr std::string_view kSelect =
    "SELECT id, owner_kind, appeal_id, sha256, width, height, bytes, created_at, created_by, "
    "path FROM attachments WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kSelectForAppeal =
    "SELECT id, owner_kind, appeal_id, sha256, width, height, bytes, created_at, created_by, "
    "path FROM attachments WHERE appeal_id = CAST($1 AS BIGINT) ORDER BY id";
constexpr std::string_view kCount =
    "SELECT COUNT(*) FROM attachments WHERE appeal_id = CAST($1 AS BIGINT) AND owner_kind = $2";
constexpr std::string_view kKindOf =
    "SELECT owner_kind FROM attachments WHERE id = CAST($1 AS BIGINT) AND appeal_id IS NULL";
constexpr std::string_view kAttach =
    "UPDATE attachments SET appeal_id = CAST($1 AS BIGINT) "
    "WHERE id = CAST($2 AS BIGINT) AND appeal_id IS NULL";
constexpr std::string_view kSelectStale =
    "SELECT id, path FROM attachments WHERE appeal_id IS NULL AND created_at < CAST($1 AS BIGINT) "
    "ORDER BY id LIMIT 1000";
constexpr std::string_view kDelete = "DELETE FROM attachments WHERE id = CAST($1 AS BIGINT)";
constexpr std::string_view kPathUsed = "SELECT COUNT(*) FROM attachments WHERE path = $1";

std::optional<OwnerKind> ParseOwnerKind(std::string_view name) {
  if (name == "appeal") return OwnerKind::kAppeal;
  if (name == "verification") return OwnerKind::kVerification;
  return std::nullopt;
}

AttachmentInfo ToInfo(const storage::Row& row) {
  AttachmentInfo info;
  info.id = row.Int(0);
  info.kind = ParseOwnerKind(row.Text(1)).value_or(OwnerKind::kAppeal);
  info.appeal_id = row.OptInt(2);
  info.sha256 = row.Text(3);
  info.width = static_cast<int>(row.Int(4));
  info.height = static_cast<int>(row.Int(5));
  info.bytes = row.Int(6);
  info.created_at = row.Int(7);
  info.created_by = row.Int(8);
  return info;
}

// Writes `data` to `path` atomically: a private temporary file in the same directory,
// flushed to disk, then renamed over. An existing file with the same name (the same content,
// as names are hashes) is left alone.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view data) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return {};
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) return MakeError(ErrorCode::kInternal, "cannot create the attachments directory");
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + RandomHex(6);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return MakeError(ErrorCode::kInternal, "cannot create an attachment file");
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  bool ok = written == data.size() && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (ok) std::filesystem::rename(temporary, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(temporary, ec);
    return MakeError(ErrorCode::kInternal, "cannot write an attachment file");
  }
  return {};
}

}  // namespace

std::string_view OwnerKindName(OwnerKind kind) {
  return kind == OwnerKind::kVerification ? "verification" : "appeal";
}

AttachmentService::AttachmentService(storage::Database& database, const DataProtector& protector,
                                     const Clock& clock, AttachmentOptions options)
    : database_(database), protector_(protector), clock_(clock), options_(std::move(options)) {}

std::filesystem::path AttachmentService::PathFor(std::string_view relative) const {
  return options_.directory / std::filesystem::path(relative);
}

Result<AttachmentInfo> AttachmentService::Store(std::string_view bytes, const Owner& owner) {
  auto image = ReencodeAsJpeg(bytes, options_.limits);
  if (!image) return std::unexpected(image.error());

  AttachmentInfo info;
  info.kind = owner.kind;
  info.appeal_id = owner.appeal_id;
  info.sha256 = Sha256Hex(image->jpeg);
  info.width = image->width;
  info.height = image->height;
  info.bytes = static_cast<int64_t>(image->jpeg.size());
  info.created_at = clock_.NowMillis();
  info.created_by = owner.created_by;
  std::string relative =
      info.sha256.substr(0, 2) + "/" + info.sha256.substr(2, 2) + "/" + info.sha256 + ".jpg";
  if (auto written = WriteFileAtomically(PathFor(relative), image->jpeg); !written) {
    return std::unexpected(written.error());
  }

  auto id = database_.Write<int64_t>([&](storage::Session& session) -> Result<int64_t> {
    if (owner.appeal_id && owner.kind == OwnerKind::kAppeal) {
      // Count and insert without another writer adding to the same appeal in between.
      auto locked = session.LockWriters("attachments:" + std::to_string(*owner.appeal_id));
      if (!locked) return std::unexpected(locked.error());
      auto count = CountFor(session, *owner.appeal_id, owner.kind);
      if (!count) return std::unexpected(count.error());
      if (*count >= kMaxPerAppeal) {
        return MakeError(ErrorCode::kConflict, "An appeal may have at most " +
                                                   std::to_string(kMaxPerAppeal) + " images.");
      }
    }
    auto rows = session.Query(
        kInsert, {std::string(OwnerKindName(owner.kind)), storage::Optional(owner.appeal_id),
                  info.sha256, int64_t{info.width}, int64_t{info.height}, info.bytes, relative,
                  info.created_at, owner.created_by});
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return MakeError(ErrorCode::kInternal, "attachment insert returned no id");
    return rows->front().Int(0);
  });
  if (!id) return std::unexpected(id.error());
  info.id = *id;
  return info;
}

Result<AttachmentInfo> AttachmentService::Info(int64_t id) const {
  return database_.Read<AttachmentInfo>([&](storage::Session& session) -> Result<AttachmentInfo> {
    auto row = session.QueryOne(kSelect, {id});
    if (!row) return std::unexpected(row.error());
    if (!*row) return MakeError(ErrorCode::kNotFound, "No such attachment.");
    return ToInfo(**row);
  });
}

Result<StoredImage> AttachmentService::Load(int64_t id) const {
  auto row = database_.Read<std::optional<storage::Row>>(
      [&](storage::Session& session) { return session.QueryOne(kSelect, {id}); });
  if (!row) return std::unexpected(row.error());
  if (!*row) return MakeError(ErrorCode::kNotFound, "No such attachment.");
  StoredImage out;
  out.info = ToInfo(**row);
  std::ifstream in(PathFor((*row)->Text(9)), std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInternal, "attachment file missing");
  std::ostringstream data;
  data << in.rdbuf();
  out.jpeg = std::move(data).str();
  if (!ConstantTimeEquals(Sha256Hex(out.jpeg), out.info.sha256)) {
    return MakeError(ErrorCode::kInternal, "attachment file does not match its hash");
  }
  return out;
}

Result<int64_t> AttachmentService::CountFor(storage::Session& session, int64_t appeal_id,
                                            OwnerKind kind) const {
  auto row = session.QueryOne(kCount, {appeal_id, std::string(OwnerKindName(kind))});
  if (!row) return std::unexpected(row.error());
  return *row ? (*row)->Int(0) : 0;
}

Status AttachmentService::Attach(storage::Session& session, int64_t appeal_id,
                                 const std::vector<int64_t>& attachment_ids) const {
  auto invalid = [](std::string message) {
    return InvalidFields({FieldError{"attachments", std::move(message)}});
  };
  std::set<int64_t> unique(attachment_ids.begin(), attachment_ids.end());
  if (unique.size() != attachment_ids.size()) return invalid("lists an image twice");
  int64_t appeal_kind = 0;
  for (int64_t id : unique) {
    auto kind = session.QueryOne(kKindOf, {id});
    if (!kind) return std::unexpected(kind.error());
    if (!*kind) return invalid("names an unknown or already used image");
    if (ParseOwnerKind((*kind)->Text(0)) == OwnerKind::kAppeal) ++appeal_kind;
  }
  if (appeal_kind > 0) {
    auto locked = session.LockWriters("attachments:" + std::to_string(appeal_id));
    if (!locked) return std::unexpected(locked.error());
    auto count = CountFor(session, appeal_id, OwnerKind::kAppeal);
    if (!count) return std::unexpected(count.error());
    if (*count + appeal_kind > kMaxPerAppeal) {
      return invalid("may hold at most " + std::to_string(kMaxPerAppeal) + " images");
    }
  }
  for (int64_t id : unique) {
    auto changed = session.Execute(kAttach, {appeal_id, id});
    if (!changed) return std::unexpected(changed.error());
    if (*changed != 1) return invalid("names an unknown or already used image");
  }
  return {};
}

Result<std::vector<AttachmentInfo>> AttachmentService::ListFor(storage::Session& session,
                                                               int64_t appeal_id) const {
  auto rows = session.Query(kSelectForAppeal, {appeal_id});
  if (!rows) return std::unexpected(rows.error());
  std::vector<AttachmentInfo> out;
  for (const auto& row : *rows) out.push_back(ToInfo(row));
  return out;
}

Result<int64_t> AttachmentService::PurgeUnattached(int64_t older_than_ms) {
  std::vector<std::string> orphaned_files;
  auto deleted = database_.Write<int64_t>([&](storage::Session& session) -> Result<int64_t> {
    auto rows = session.Query(kSelectStale, {older_than_ms});
    if (!rows) return std::unexpected(rows.error());
    std::set<std::string> paths;
    for (const auto& row : *rows) {
      auto done = session.Execute(kDelete, {row.Int(0)});
      if (!done) return std::unexpected(done.error());
      paths.insert(row.Text(1));
    }
    for (const auto& path : paths) {
      auto used = session.QueryOne(kPathUsed, {path});
      if (!used) return std::unexpected(used.error());
      if (*used && (*used)->Int(0) == 0) orphaned_files.push_back(path);
    }
    return static_cast<int64_t>(rows->size());
  });
  if (!deleted) return std::unexpected(deleted.error());
  // After the commit: a crash here leaves a file without a row, never a row without a file.
  for (const auto& path : orphaned_files) {
    std::error_code ec;
    std::filesystem::remove(PathFor(path), ec);
  }
  return *deleted;
}

std::string AttachmentService::TokenFor(int64_t id) const {
  return protector_.LookupHash("lianxin-attachment-token:" + std::to_string(id)).substr(0, 32);
}

bool AttachmentService::CheckToken(int64_t id, std::string_view token) const {
  return token.size() == 32 && ConstantTimeEquals(TokenFor(id), token);
}

}  // namespace lianxin::attachments
