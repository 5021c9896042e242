#include "auth/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "core/crypto.h"
#include "core/text.h"

namespace lianxin::auth {

// Generated at build time from common_passwords.txt (see CMakeLists.txt).
extern const char kCommonPasswordsText[];

namespace {

// The shortest listed word that counts when found inside padding of digits or symbols.
constexpr size_t kMinCommonCore = 4;

struct CommonList {
  std::unordered_set<std::string> lower;  // lower-cased for case-insensitive look-ups
  size_t entries = 0;                     // lines in the list as published
};

const CommonList& Common() {
  static const CommonList* const list = [] {
    auto* l = new CommonList();
    std::string_view text(kCommonPasswordsText);
    l->lower.reserve(10'000);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      if (end > start) {
        l->lower.insert(ToLowerAscii(text.substr(start, end - start)));
        ++l->entries;
      }
      start = end + 1;
    }
    return l;
  }();
  return *list;
}

}  // namespace

PasswordHasher::PasswordHasher(uint64_t ops_limit, size_t mem_limit)
    : ops_limit_(std::max<uint64_t>(ops_limit, kMinPasswordOpsLimit)),
      mem_limit_(std::max<size_t>(mem_limit, kMinPasswordMemLimit)) {
  InitCrypto();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError(ErrorCode::kInternal, "password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view encoded_hash, std::string_view password) const {
  // libsodium wants a NUL-terminated hash of bounded length.
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (!encoded_hash.starts_with("$argon2id$")) return false;
  char hash[crypto_pwhash_STRBYTES] = {};
  std::copy(encoded_hash.begin(), encoded_hash.end(), hash);
  return crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view encoded_hash) const {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return true;
  char hash[crypto_pwhash_STRBYTES] = {};
  std::copy(encoded_hash.begin(), encoded_hash.end(), hash);
  return crypto_pwhash_str_needs_rehash(hash, ops_limit_, mem_limit_) != 0;
}

std::optional<std::string> PasswordPolicyViolation(std::string_view password,
                                                   std::string_view username) {
  if (!IsValidUtf8(password)) return "Password must be valid UTF-8 text.";
  size_t length = Utf8Length(password);
  if (length < kMinPasswordLength) return "Password must have at least 12 characters.";
  if (length > kMaxPasswordLength) return "Password must have at most 128 characters.";
  if (password.find('\0') != std::string_view::npos) return "Password must not contain NUL.";
  if (!username.empty() && ToLowerAscii(password) == ToLowerAscii(username)) {
    return "Password must not be the username.";
  }
  if (IsCommonPassword(password)) return "Password is one of the most common passwords.";
  return std::nullopt;
}

bool IsCommonPassword(std::string_view password) {
  const auto& list = Common().lower;
  const std::string lower = ToLowerAscii(password);
  if (list.contains(lower)) return true;
  // A listed password with digits or symbols stuck on ("password1234", "!qwertyuiop123") is
  // no stronger than the listed one: also check the word with those ends stripped.
  auto is_filler = [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u < 0x80 && !std::isalpha(u);
  };
  std::string_view core = lower;
  while (!core.empty() && is_filler(core.back())) core.remove_suffix(1);
  while (!core.empty() && is_filler(core.front())) core.remove_prefix(1);
  return core.size() >= kMinCommonCore && core.size() < lower.size() &&
         list.contains(std::string(core));
}

size_t CommonPasswordCount() { return Common().entries; }

}  // namespace lianxin::auth
