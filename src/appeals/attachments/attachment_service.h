// Attachments: images uploaded with an appeal (by the citizen) or with a verification note
// (by an officer), re-encoded by image_processing.h and kept as files on disk, one database
// row each. Served only as image/jpeg, inline.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "appeals/attachments/image_processing.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::attachments {

// At most this many attachments per appeal (the appeals service enforces it via CountFor).
inline constexpr int64_t kMaxPerAppeal = 5;
// Largest accepted upload (the route's body limit adds headroom for nothing else).
inline constexpr size_t kMaxUploadBytes = 5 * 1024 * 1024;

enum class OwnerKind { kAppeal, kVerification };
// "appeal" / "verification".
std::string_view OwnerKindName(OwnerKind kind);

struct Owner {
  OwnerKind kind = OwnerKind::kAppeal;
  std::optional<int64_t> appeal_id;  // nullopt until the appeal exists (see Attach)
  int64_t created_by = 0;            // staff account id; 0 for a citizen
};

struct AttachmentInfo {
  int64_t id = 0;
  OwnerKind kind = OwnerKind::kAppeal;
  std::optional<int64_t> appeal_id;
  std::string sha256;  // of the stored JPEG (an ETag)
  int width = 0;
  int height = 0;
  int64_t bytes = 0;
  int64_t created_at = 0;
  int64_t created_by = 0;
};

struct StoredImage {
  AttachmentInfo info;
  std::string jpeg;
};

struct AttachmentOptions {
  // Where the files live: <directory>/aa/bb/<sha256>.jpg. Created when missing.
  std::filesystem::path directory = "var/attachments";
  ImageLimits limits;
};

class AttachmentService {
 public:
  // `database`, `protector` and `clock` must outlive the service. `protector` keys the
  // citizen's view tokens (TokenFor).
  AttachmentService(storage::Database& database, const DataProtector& protector, const Clock& clock,
                    AttachmentOptions options = {});

  // Checks, re-encodes (ReencodeAsJpeg: its errors pass through) and stores an upload;
  // returns its row. When `owner.appeal_id` is set, kConflict once the appeal has
  // kMaxPerAppeal attachments. The file is written (atomically, by rename) before the row.
  Result<AttachmentInfo> Store(std::string_view bytes, const Owner& owner);

  // The row and the file's bytes; kNotFound for an unknown id, kInternal when the file is
  // missing or does not match its hash.
  Result<StoredImage> Load(int64_t id) const;
  // The row only; kNotFound for an unknown id.
  Result<AttachmentInfo> Info(int64_t id) const;

  // How many attachments of `kind` `appeal_id` has, inside the caller's transaction. The
  // kMaxPerAppeal limit is on the citizen's (kAppeal) ones; verification photos have none.
  Result<int64_t> CountFor(storage::Session& session, int64_t appeal_id,
                           OwnerKind kind = OwnerKind::kAppeal) const;
  // Links unattached uploads to `appeal_id` inside the caller's transaction (the appeal's
  // creation, or a verification note's). kInvalidArgument (field "attachments") when an id
  // is unknown or already linked, or when the appeal would have more than kMaxPerAppeal
  // kAppeal attachments.
  Status Attach(storage::Session& session, int64_t appeal_id,
                const std::vector<int64_t>& attachment_ids) const;
  // The attachments of `appeal_id`, oldest first, inside the caller's transaction.
  Result<std::vector<AttachmentInfo>> ListFor(storage::Session& session, int64_t appeal_id) const;

  // Deletes uploads never attached to an appeal that are older than `older_than_ms`, and
  // their files unless another row shares them. Returns how many rows went.
  Result<int64_t> PurgeUnattached(int64_t older_than_ms);

  // The capability a citizen uses to view their own upload without an account:
  // 32 hex characters keyed by the data key, bound to the id.
  std::string TokenFor(int64_t id) const;
  bool CheckToken(int64_t id, std::string_view token) const;

 private:
  std::filesystem::path PathFor(std::string_view relative) const;

  storage::Database& database_;
  const DataProtector& protector_;
  const Clock& clock_;
  AttachmentOptions options_;
};

}  // namespace lianxin::attachments
