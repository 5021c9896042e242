// What channels (WeChat, Open311, the hotline, posts) need from appeals: submit one, find
// one, and read the public view. Implemented by AppealService; tests pass a fake.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "appeals/model.h"
#include "core/error.h"

namespace lianxin::appeals {

struct PublicQuery {
  std::vector<AppealId> ids;  // empty: any
  std::optional<std::string> category;
  std::optional<AppealKind> kind;
  std::optional<bool> open;            // open (true) or closed (false)
  std::optional<int64_t> from_millis;  // requested at or after
  std::optional<int64_t> to_millis;    // requested before
  std::optional<Channel> channel;
  int64_t limit = 1000;
};

class AppealIntake {
 public:
  virtual ~AppealIntake() = default;

  // Creates a submitted appeal. kInvalidArgument with errors[] for bad input (unknown
  // category, empty text, bad phone, ...). The same non-empty `idempotency_key` within 24
  // hours returns the first receipt instead of creating another appeal.
  [[nodiscard]] virtual Result<Receipt> Submit(const Submission& submission,
                                               std::string_view idempotency_key) = 0;

  // The newest open appeal that came through `channel` with `channel_ref` at or after
  // `since_millis` (threads a WeChat conversation by OpenID); nullopt when there is none.
  // The receipt's access_code is empty: only the citizen ever holds it.
  [[nodiscard]] virtual Result<std::optional<Receipt>> FindOpenByChannelRef(
      Channel channel, std::string_view channel_ref, int64_t since_millis) = 0;

  // Adds a follow-up message from the citizen to an open appeal (shown on its timeline).
  [[nodiscard]] virtual Status AddCitizenMessage(AppealId id, std::string_view text) = 0;

  // Public views, newest first; kNotFound from GetPublic for an unknown id.
  [[nodiscard]] virtual Result<PublicAppeal> GetPublic(AppealId id) = 0;
  [[nodiscard]] virtual Result<std::vector<PublicAppeal>> ListPublic(const PublicQuery& query) = 0;

  // Active categories in display order.
  [[nodiscard]] virtual Result<std::vector<Category>> Categories() = 0;
};

}  // namespace lianxin::appeals
