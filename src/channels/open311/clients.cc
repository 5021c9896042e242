#include "channels/open311/clients.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/text.h"

namespace lianxin::open311 {

using auth::Action;
using storage::Row;
using storage::Session;

// A denial noticed inside a transaction, recorded by Settle() once it has ended
// (AccessPolicy::Check writes in a transaction of its own, which must not nest in ours).
struct ClientKeyService::Gate {
  bool denied = false;
  std::string path;
  std::string target;

  Status Require(const Actor& actor, std::string_view target_path, std::string target_name) {
    if (auth::AccessPolicy::Allows(actor, Action::kChannelWrite, target_path)) return {};
    if (!denied) {
      denied = true;
      path = std::string(target_path);
      target = std::move(target_name);
    }
    return MakeError(ErrorCode::kPermissionDenied,
                     "Managing Open311 clients of that unit is not allowed.");
  }
};

namespace {

constexpr size_t kMaxNameChars = 100;
constexpr size_t kMaxContactChars = 200;
constexpr size_t kKeyHexBytes = 20;  // 40 hex digits after the prefix
constexpr size_t kTokenBytes = 16;   // 32 hex digits
constexpr size_t kKeyHintChars = 10;
constexpr size_t kMaxKeyChars = 100;

constexpr std::string_view kSelectClientById =
    "SELECT c.id, c.name, c.contact, c.key_hint, c.unit_id, u.name, c.active, c.created_by,"
    " c.version, c.created_at, c.updated_at, c.last_used_at, u.path"
    " FROM open311_clients c JOIN units u ON u.id = c.unit_id WHERE c.id = $1";
constexpr std::string_view kSelectActiveClientByHash =
    "SELECT c.id, c.name, c.contact, c.key_hint, c.unit_id, u.name, c.active, c.created_by,"
    " c.version, c.created_at, c.updated_at, c.last_used_at, u.path"
    " FROM open311_clients c JOIN units u ON u.id = c.unit_id"
    " WHERE c.api_key_hash = $1 AND c.active = 1";
constexpr std::string_view kSelectClientsInSubtree =
    "SELECT c.id, c.name, c.contact, c.key_hint, c.unit_id, u.name, c.active, c.created_by,"
    " c.version, c.created_at, c.updated_at, c.last_used_at, u.path"
    " FROM open311_clients c JOIN units u ON u.id = c.unit_id"
    " WHERE u.path LIKE $1 ORDER BY c.id DESC LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)";
constexpr std::string_view kCountClientsInSubtree =
    "SELECT COUNT(*) FROM open311_clients c JOIN units u ON u.id = c.unit_id WHERE u.path LIKE $1";
constexpr std::string_view kSelectUnitPath = "SELECT path, active FROM units WHERE id = $1";
constexpr std::string_view kInsertClient =
    "INSERT INTO open311_clients (name, contact, api_key_hash, key_hint, unit_id, active,"
    " created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, 1, $7, $7)"
    " RETURNING id";
constexpr std::string_view kDeactivateClient =
    "UPDATE open311_clients SET active = 0, version = version + 1, updated_at = $1"
    " WHERE id = $2 AND version = $3";
constexpr std::string_view kRotateClientKey =
    "UPDATE open311_clients SET api_key_hash = $1, key_hint = $2, active = 1,"
    " version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5";
constexpr std::string_view kTouchClient =
    "UPDATE open311_clients SET last_used_at = $1 WHERE id = $2";
constexpr std::string_view kInsertToken =
    "INSERT INTO open311_tokens (token, client_id, appeal_id, created_at) VALUES ($1, $2, $3, $4)"
    " RETURNING id";
constexpr std::string_view kSelectToken = "SELECT appeal_id FROM open311_tokens WHERE token = $1";

struct ClientRow {
  Client client;
  std::string unit_path;
};

ClientRow ReadClient(const Row& row) {
  ClientRow out;
  Client& c = out.client;
  c.id = row.Int(0);
  c.name = row.Text(1);
  c.contact = row.Text(2);
  c.key_hint = row.Text(3);
  c.unit_id = row.Int(4);
  c.unit_name = row.Text(5);
  c.active = row.Bool(6);
  c.created_by = row.Int(7);
  c.version = row.Int(8);
  c.created_at = row.Int(9);
  c.updated_at = row.Int(10);
  c.last_used_at = row.OptInt(11);
  out.unit_path = row.Text(12);
  return out;
}

Result<std::optional<ClientRow>> FindClient(Session& s, ClientId id) {
  auto row = s.QueryOne(kSelectClientById, {id});
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ClientRow>();
  return std::optional<ClientRow>(ReadClient(**row));
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

void CheckText(std::vector<FieldError>& errors, std::string_view field, std::string& value,
               size_t max_chars, bool required) {
  value = std::string(Trim(value));
  if (!IsValidUtf8(value) || HasControl(value)) {
    errors.push_back({std::string(field), "must be plain text"});
  } else if (required && value.empty()) {
    errors.push_back({std::string(field), "is required"});
  } else if (Utf8Length(value) > max_chars) {
    errors.push_back(
        {std::string(field), "must be at most " + std::to_string(max_chars) + " characters"});
  }
}

std::string NewKey() { return std::string(kApiKeyPrefix) + RandomHex(kKeyHexBytes); }

std::string Target(ClientId id) { return "open311_client:" + std::to_string(id); }

template <class T>
Result<T> NotFound() {
  return MakeError(ErrorCode::kNotFound, "Open311 client not found.");
}

}  // namespace

ClientKeyService::ClientKeyService(storage::Database& database, const Clock& clock,
                                   auth::AccessPolicy& policy, auth::AuditLog& audit)
    : database_(database), clock_(clock), policy_(policy), audit_(audit) {}

Status ClientKeyService::Append(Session& s, const Actor& actor, std::string action, ClientId id,
                                std::string detail) {
  return audit_.Append(
      s, &actor,
      auth::AuditEvent{std::move(action), Target(id), auth::AuditResult::kOk, std::move(detail)},
      actor.client_ip);
}

void ClientKeyService::Settle(const Actor& actor, const Gate& gate) {
  if (!gate.denied) return;
  auto recorded = policy_.Check(actor, Action::kChannelWrite, gate.path, gate.target);
  (void)recorded;  // a denial: the caller already returns kPermissionDenied
}

Result<IssuedKey> ClientKeyService::Create(const Actor& actor, const NewClient& input) {
  NewClient clean = input;
  std::vector<FieldError> errors;
  CheckText(errors, "name", clean.name, kMaxNameChars, true);
  CheckText(errors, "contact", clean.contact, kMaxContactChars, false);
  Gate gate;
  auto result = database_.Write<IssuedKey>([&](Session& s) -> Result<IssuedKey> {
    auto unit = s.QueryOne(kSelectUnitPath, {actor.unit_id});
    if (!unit) return std::unexpected(unit.error());
    if (!*unit) return MakeError(ErrorCode::kPermissionDenied, "Your unit no longer exists.");
    std::string path = (*unit)->Text(0);
    if (auto ok = gate.Require(actor, path, "unit:" + std::to_string(actor.unit_id)); !ok) {
      return std::unexpected(ok.error());
    }
    if (!errors.empty()) return InvalidFields(errors);
    std::string key = NewKey();
    int64_t now = clock_.NowMillis();
    auto id = s.QueryOne(kInsertClient,
                         {clean.name, clean.contact, Sha256Hex(key), key.substr(0, kKeyHintChars),
                          actor.unit_id, actor.account_id, now});
    if (!id) return std::unexpected(id.error());
    if (!*id) return MakeError(ErrorCode::kInternal, "The client was not created.");
    ClientId client_id = (*id)->Int(0);
    if (auto ok = Append(s, actor, "open311_client.create", client_id, clean.name); !ok) {
      return std::unexpected(ok.error());
    }
    auto created = FindClient(s, client_id);
    if (!created) return std::unexpected(created.error());
    if (!*created) return MakeError(ErrorCode::kInternal, "The client was not created.");
    return IssuedKey{std::move((*created)->client), std::move(key)};
  });
  Settle(actor, gate);
  return result;
}

Result<ClientPage> ClientKeyService::List(const Actor& actor, int64_t offset, int64_t limit) {
  if (!auth::AccessPolicy::Allows(actor, Action::kChannelWrite, actor.unit_path)) {
    auto denied = policy_.Check(actor, Action::kChannelWrite, actor.unit_path,
                                "unit:" + std::to_string(actor.unit_id));
    if (!denied) return std::unexpected(denied.error());
    return MakeError(ErrorCode::kPermissionDenied, "Not allowed.");
  }
  return database_.Read<ClientPage>([&](Session& s) -> Result<ClientPage> {
    std::string pattern = actor.unit_path + "%";
    ClientPage page;
    auto count = s.QueryOne(kCountClientsInSubtree, {pattern});
    if (!count) return std::unexpected(count.error());
    page.total = *count ? (*count)->Int(0) : 0;
    auto rows = s.Query(kSelectClientsInSubtree, {pattern, limit, offset});
    if (!rows) return std::unexpected(rows.error());
    for (const Row& row : *rows) page.items.push_back(ReadClient(row).client);
    return page;
  });
}

Result<IssuedKey> ClientKeyService::ChangeKey(const Actor& actor, ClientId id, int64_t version,
                                              bool deactivate) {
  Gate gate;
  auto result = database_.Write<IssuedKey>([&](Session& s) -> Result<IssuedKey> {
    auto found = FindClient(s, id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return NotFound<IssuedKey>();
    if (auto ok = gate.Require(actor, (*found)->unit_path, Target(id)); !ok) {
      return std::unexpected(ok.error());
    }
    int64_t now = clock_.NowMillis();
    std::string key;
    Result<int64_t> changed = 0;
    if (deactivate) {
      changed = s.Execute(kDeactivateClient, {now, id, version});
    } else {
      key = NewKey();
      changed = s.Execute(kRotateClientKey,
                          {Sha256Hex(key), key.substr(0, kKeyHintChars), now, id, version});
    }
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) {
      return MakeError(ErrorCode::kStaleVersion,
                       "The client was changed by someone else; reload and try again.");
    }
    if (auto ok =
            Append(s, actor, deactivate ? "open311_client.deactivate" : "open311_client.rotate", id,
                   (*found)->client.name);
        !ok) {
      return std::unexpected(ok.error());
    }
    auto updated = FindClient(s, id);
    if (!updated) return std::unexpected(updated.error());
    if (!*updated) return NotFound<IssuedKey>();
    return IssuedKey{std::move((*updated)->client), std::move(key)};
  });
  Settle(actor, gate);
  return result;
}

Result<Client> ClientKeyService::Deactivate(const Actor& actor, ClientId id, int64_t version) {
  auto result = ChangeKey(actor, id, version, /*deactivate=*/true);
  if (!result) return std::unexpected(result.error());
  return std::move(result->client);
}

Result<IssuedKey> ClientKeyService::Rotate(const Actor& actor, ClientId id, int64_t version) {
  return ChangeKey(actor, id, version, /*deactivate=*/false);
}

Result<std::optional<Client>> ClientKeyService::Authenticate(std::string_view api_key) {
  if (!api_key.starts_with(kApiKeyPrefix) || api_key.size() > kMaxKeyChars) {
    return std::optional<Client>();
  }
  std::string hash = Sha256Hex(api_key);
  return database_.Read<std::optional<Client>>([&](Session& s) -> Result<std::optional<Client>> {
    auto row = s.QueryOne(kSelectActiveClientByHash, {hash});
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<Client>();
    return std::optional<Client>(ReadClient(**row).client);
  });
}

Result<std::string> ClientKeyService::RecordRequest(ClientId client, int64_t appeal_id) {
  return database_.Write<std::string>([&](Session& s) -> Result<std::string> {
    int64_t now = clock_.NowMillis();
    auto touched = s.Execute(kTouchClient, {now, client});
    if (!touched) return std::unexpected(touched.error());
    std::string token = RandomHex(kTokenBytes);
    auto id = s.QueryOne(kInsertToken, {token, client, appeal_id, now});
    if (!id) return std::unexpected(id.error());
    return token;
  });
}

Result<std::optional<int64_t>> ClientKeyService::FindToken(std::string_view token) {
  bool hex = token.size() == 2 * kTokenBytes && std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
             });
  if (!hex) return std::optional<int64_t>();
  std::string key(token);
  return database_.Read<std::optional<int64_t>>([&](Session& s) -> Result<std::optional<int64_t>> {
    auto row = s.QueryOne(kSelectToken, {key});
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<int64_t>();
    return std::optional<int64_t>((*row)->Int(0));
  });
}

}  // namespace lianxin::open311
