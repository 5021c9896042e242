// Cryptographic helpers over libsodium. Callers never see libsodium's headers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace lianxin {

// Initialises libsodium; safe to call many times. Returns false when the library cannot start.
bool InitCrypto();

// `count` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t count);
// `bytes` random bytes as lower-case hex (so 2 * bytes characters).
std::string RandomHex(size_t bytes);
// A uniformly random integer in [0, upper_bound).
uint32_t RandomUniform(uint32_t upper_bound);

std::string ToHex(std::string_view bytes);
// Returns kMalformed on odd length or a non-hex digit.
Result<std::string> FromHex(std::string_view hex);

// SHA-256 of `data`, as 32 raw bytes and as hex.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
// HMAC-SHA-256 of `data` under `key`, as hex.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Authenticated encryption of personal data at rest (XChaCha20-Poly1305), and keyed hashes
// for looking it up without decrypting. The key is 32 bytes, from the data key file.
class DataProtector {
 public:
  static constexpr size_t kKeyBytes = 32;
  // Returns kInvalidArgument unless `key` is exactly 32 bytes.
  static Result<DataProtector> Create(std::string_view key);

  // Returns base64url(nonce || ciphertext); an empty plaintext seals to "".
  std::string Seal(std::string_view plaintext) const;
  // Returns kMalformed when `sealed` was not produced by Seal under this key.
  Result<std::string> Open(std::string_view sealed) const;
  // A stable keyed hash of `value` (hex), for equality look-ups of sealed values.
  std::string LookupHash(std::string_view value) const;

 private:
  explicit DataProtector(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace lianxin
