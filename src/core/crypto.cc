#include "core/crypto.h"

#include <sodium.h>

namespace lianxin {

bool InitCrypto() { return sodium_init() >= 0; }

std::string RandomBytes(size_t count) {
  InitCrypto();
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string RandomHex(size_t bytes) { return ToHex(RandomBytes(bytes)); }

uint32_t RandomUniform(uint32_t upper_bound) {
  InitCrypto();
  return randombytes_uniform(upper_bound);
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return MakeError(ErrorCode::kMalformed, "odd-length hex");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return MakeError(ErrorCode::kMalformed, "invalid hex digit");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string Sha256Hex(std::string_view data) { return ToHex(Sha256(data)); }

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  return ToHex(out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64UrlEncode(std::string_view bytes) {
  InitCrypto();
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  InitCrypto();
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return MakeError(ErrorCode::kMalformed, "invalid base64url");
  }
  out.resize(length);
  return out;
}

Result<DataProtector> DataProtector::Create(std::string_view key) {
  if (!InitCrypto()) return MakeError(ErrorCode::kInternal, "libsodium failed to start");
  if (key.size() != kKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the data key must be 32 bytes");
  }
  return DataProtector(std::string(key));
}

std::string DataProtector::Seal(std::string_view plaintext) const {
  if (plaintext.empty()) return {};
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string buffer(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* out = reinterpret_cast<unsigned char*>(buffer.data());
  randombytes_buf(out, kNonce);
  unsigned long long cipher_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonce, &cipher_length, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), nullptr, 0, nullptr, out,
      reinterpret_cast<const unsigned char*>(key_.data()));
  buffer.resize(kNonce + cipher_length);
  return Base64UrlEncode(buffer);
}

Result<std::string> DataProtector::Open(std::string_view sealed) const {
  if (sealed.empty()) return std::string();
  auto raw = Base64UrlDecode(sealed);
  if (!raw) return std::unexpected(raw.error());
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (raw->size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return MakeError(ErrorCode::kMalformed, "sealed value too short");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(raw->data());
  std::string plain(raw->size() - kNonce, '\0');
  unsigned long long plain_length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_length, nullptr, in + kNonce,
          raw->size() - kNonce, nullptr, 0, in,
          reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return MakeError(ErrorCode::kMalformed, "sealed value failed authentication");
  }
  plain.resize(plain_length);
  return plain;
}

std::string DataProtector::LookupHash(std::string_view value) const {
  return HmacSha256Hex(key_, value);
}

}  // namespace lianxin
