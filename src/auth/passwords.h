// Password hashing (Argon2id through libsodium) and the password policy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace lianxin::auth {

// The policy floor for Argon2id (OWASP's minimum): 2 passes over 19 MiB.
inline constexpr uint64_t kMinPasswordOpsLimit = 2;
inline constexpr size_t kMinPasswordMemLimit = 19u * 1024u * 1024u;

inline constexpr size_t kMinPasswordLength = 12;   // code points
inline constexpr size_t kMaxPasswordLength = 128;  // code points

// Hashes and verifies passwords with Argon2id13. Parameters below the policy floor are raised
// to it. Thread-safe (stateless apart from the parameters).
class PasswordHasher {
 public:
  explicit PasswordHasher(uint64_t ops_limit = kMinPasswordOpsLimit,
                          size_t mem_limit = kMinPasswordMemLimit);

  // The encoded hash ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"); kInternal when libsodium
  // fails (out of memory).
  [[nodiscard]] Result<std::string> Hash(std::string_view password) const;
  // True when `password` matches `encoded_hash`; false for any malformed hash.
  bool Verify(std::string_view encoded_hash, std::string_view password) const;
  // True when `encoded_hash` was made with other parameters (or another algorithm) and should
  // be replaced after the next successful verification.
  bool NeedsRehash(std::string_view encoded_hash) const;

  uint64_t ops_limit() const { return ops_limit_; }
  size_t mem_limit() const { return mem_limit_; }

 private:
  uint64_t ops_limit_;
  size_t mem_limit_;
};

// The reason `password` is not acceptable for the account `username`, or nullopt when it is:
// 12..128 code points of valid UTF-8, not one of the 10,000 most common passwords (compared
// case-insensitively, also when only padded with digits or symbols: see IsCommonPassword),
// not the username (case-insensitively).
std::optional<std::string> PasswordPolicyViolation(std::string_view password,
                                                   std::string_view username);

// True when `password` (ASCII-lower-cased) is in the embedded common-password list, or is a
// listed password of at least 4 characters with only digits and ASCII symbols added before
// or after it ("password1234", "qwertyuiop123!").
bool IsCommonPassword(std::string_view password);
// Number of entries in the embedded list (10,000).
size_t CommonPasswordCount();

}  // namespace lianxin::auth
