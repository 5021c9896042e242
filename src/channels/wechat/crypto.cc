#include "channels/wechat/crypto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "core/crypto.h"

namespace lianxin::wechat {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kIvBytes = 16;
constexpr size_t kRandomBytes = 16;
constexpr size_t kPadBlock = 32;  // WeChat pads to 32 bytes, not AES's 16
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string SortedSha1(std::vector<std::string_view> parts) {
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (auto p : parts) joined += p;
  return Sha1Hex(joined);
}

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// AES-256-CBC without OpenSSL's padding (the caller pads to 32-byte blocks); nullopt on an
// OpenSSL failure.
std::optional<std::string> AesCbc(bool encrypt, std::string_view key, std::string_view input) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return std::nullopt;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k, encrypt ? 1 : 0) != 1) {
    return std::nullopt;
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(input.size() + 16, '\0');
  int written = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &written,
                       reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<int>(input.size())) != 1) {
    return std::nullopt;
  }
  int final_bytes = 0;
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + written,
                         &final_bytes) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(written + final_bytes));
  return out;
}

}  // namespace

std::string Sha1Hex(std::string_view data) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string UrlSignature(std::string_view token, std::string_view timestamp,
                         std::string_view nonce) {
  return SortedSha1({token, timestamp, nonce});
}

std::string MsgSignature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                         std::string_view encrypt) {
  return SortedSha1({token, timestamp, nonce, encrypt});
}

bool SignatureMatches(std::string_view received, std::string_view expected) {
  std::string lower(received);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return ConstantTimeEquals(lower, expected);
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out += "=";
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return MakeError(ErrorCode::kMalformed, "Invalid base64 length.");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return MakeError(ErrorCode::kMalformed, "Invalid base64 padding.");
      v[j] = Base64Value(c);
      if (v[j] < 0) return MakeError(ErrorCode::kMalformed, "Invalid base64 character.");
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

bool IsEncodingAesKey(std::string_view key) {
  return key.size() == 43 && std::all_of(key.begin(), key.end(), IsAlnum);
}

bool IsToken(std::string_view token) {
  return token.size() >= 3 && token.size() <= 32 &&
         std::all_of(token.begin(), token.end(), IsAlnum);
}

Result<MessageCrypto> MessageCrypto::Create(std::string_view encoding_aes_key,
                                            std::string_view app_id) {
  if (!IsEncodingAesKey(encoding_aes_key)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The EncodingAESKey must be 43 letters or digits.");
  }
  if (app_id.empty()) return MakeError(ErrorCode::kInvalidArgument, "The AppID is empty.");
  auto key = Base64Decode(std::string(encoding_aes_key) + "=");
  if (!key || key->size() != kKeyBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "The EncodingAESKey does not decode to 32 bytes.");
  }
  return MessageCrypto(std::move(*key), std::string(app_id));
}

Result<std::string> MessageCrypto::Decrypt(std::string_view encrypt) const {
  auto cipher = Base64Decode(encrypt);
  if (!cipher) return std::unexpected(cipher.error());
  if (cipher->empty() || cipher->size() % kIvBytes != 0) {
    return MakeError(ErrorCode::kMalformed, "The ciphertext is not whole AES blocks.");
  }
  auto plain = AesCbc(false, key_, *cipher);
  if (!plain) return MakeError(ErrorCode::kMalformed, "The message could not be decrypted.");
  auto pad = static_cast<uint8_t>(plain->back());
  if (pad < 1 || pad > kPadBlock || pad > plain->size()) {
    return MakeError(ErrorCode::kMalformed, "The message padding is invalid.");
  }
  for (size_t i = plain->size() - pad; i < plain->size(); ++i) {
    if (static_cast<uint8_t>((*plain)[i]) != pad) {
      return MakeError(ErrorCode::kMalformed, "The message padding is invalid.");
    }
  }
  std::string_view body(plain->data(), plain->size() - pad);
  if (body.size() < kRandomBytes + 4) {
    return MakeError(ErrorCode::kMalformed, "The message is too short.");
  }
  body.remove_prefix(kRandomBytes);
  uint32_t length = (static_cast<uint32_t>(static_cast<uint8_t>(body[0])) << 24) |
                    (static_cast<uint32_t>(static_cast<uint8_t>(body[1])) << 16) |
                    (static_cast<uint32_t>(static_cast<uint8_t>(body[2])) << 8) |
                    static_cast<uint32_t>(static_cast<uint8_t>(body[3]));
  body.remove_prefix(4);
  if (length > body.size()) {
    return MakeError(ErrorCode::kMalformed, "The message length field is out of range.");
  }
  std::string_view message = body.substr(0, length);
  std::string_view app_id = body.substr(length);
  if (!ConstantTimeEquals(app_id, app_id_)) {
    return MakeError(ErrorCode::kPermissionDenied, "The message is for another AppID.");
  }
  return std::string(message);
}

std::string MessageCrypto::Encrypt(std::string_view message) const {
  return EncryptWithRandom(message, RandomBytes(kRandomBytes));
}

std::string MessageCrypto::EncryptWithRandom(std::string_view message,
                                             std::string_view random) const {
  std::string plain(random.substr(0, kRandomBytes));
  plain.resize(kRandomBytes, '\0');
  auto length = static_cast<uint32_t>(message.size());
  plain.push_back(static_cast<char>((length >> 24) & 0xFF));
  plain.push_back(static_cast<char>((length >> 16) & 0xFF));
  plain.push_back(static_cast<char>((length >> 8) & 0xFF));
  plain.push_back(static_cast<char>(length & 0xFF));
  plain += message;
  plain += app_id_;
  size_t pad = kPadBlock - plain.size() % kPadBlock;
  plain.append(pad, static_cast<char>(pad));
  auto cipher = AesCbc(true, key_, plain);
  // AES over whole blocks with a valid key cannot fail short of memory exhaustion.
  return cipher ? Base64Encode(*cipher) : std::string();
}

}  // namespace lianxin::wechat
