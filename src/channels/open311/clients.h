// Open311 client applications and their API keys: staff create, list, deactivate and rotate
// them (AccessPolicy kChannelWrite, audited); the protocol authenticates each POST by key and
// records the token of every request it creates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/access_policy.h"
#include "auth/audit_log.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace lianxin::open311 {

using ClientId = int64_t;

// A client application as staff see it. Never carries the key, only its first characters.
struct Client {
  ClientId id = 0;
  std::string name;
  std::string contact;
  std::string key_hint;  // "lx311_1a2b…": the key's first 10 characters
  int64_t unit_id = 0;   // the unit that owns the client (the creator's unit)
  std::string unit_name;
  bool active = true;
  int64_t created_by = 0;  // account id
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> last_used_at;
};

struct NewClient {
  std::string name;     // 1..100 characters
  std::string contact;  // 0..200 characters: who runs the app (not a citizen's data)
};

// A client with its freshly issued key: the only time the key is ever shown.
struct IssuedKey {
  Client client;
  std::string api_key;  // "lx311_" + 40 hex digits
};

struct ClientPage {
  std::vector<Client> items;
  int64_t total = 0;
};

// The prefix of every key we issue.
inline constexpr std::string_view kApiKeyPrefix = "lx311_";

class ClientKeyService {
 public:
  // Every reference must outlive the service.
  ClientKeyService(storage::Database& database, const Clock& clock, auth::AccessPolicy& policy,
                   auth::AuditLog& audit);

  // Creates a client owned by the actor's unit and returns its key (kChannelWrite on the
  // actor's unit; audited "open311_client.create"). kInvalidArgument for a bad name/contact.
  [[nodiscard]] Result<IssuedKey> Create(const Actor& actor, const NewClient& input);
  // The clients of units in the actor's subtree, newest first (kChannelWrite on the actor's
  // unit: keys are channel administration).
  [[nodiscard]] Result<ClientPage> List(const Actor& actor, int64_t offset, int64_t limit);
  // Deactivates a client: its key stops working at once (kChannelWrite on the client's unit;
  // audited). kNotFound for an unknown id, kStaleVersion when `version` is not current.
  [[nodiscard]] Result<Client> Deactivate(const Actor& actor, ClientId id, int64_t version);
  // Replaces a client's key; the old key stops working at once. Reactivates a deactivated
  // client (kChannelWrite on the client's unit; audited). Errors as Deactivate.
  [[nodiscard]] Result<IssuedKey> Rotate(const Actor& actor, ClientId id, int64_t version);

  // The active client holding `api_key`, or nullopt for an unknown, rotated or deactivated key.
  [[nodiscard]] Result<std::optional<Client>> Authenticate(std::string_view api_key);
  // Records that `client` created appeal `appeal_id`: stamps last_used_at and stores a new
  // random token for GET tokens/{token}. Returns the token.
  [[nodiscard]] Result<std::string> RecordRequest(ClientId client, int64_t appeal_id);
  // The appeal id a token stands for, or nullopt for an unknown token.
  [[nodiscard]] Result<std::optional<int64_t>> FindToken(std::string_view token);

 private:
  struct Gate;
  Status Append(storage::Session& s, const Actor& actor, std::string action, ClientId id,
                std::string detail);
  void Settle(const Actor& actor, const Gate& gate);
  Result<IssuedKey> ChangeKey(const Actor& actor, ClientId id, int64_t version, bool deactivate);

  storage::Database& database_;
  const Clock& clock_;
  auth::AccessPolicy& policy_;
  auth::AuditLog& audit_;
};

}  // namespace lianxin::open311
