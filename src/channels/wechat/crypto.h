// WeChat's message security: the URL signature, and safe mode (安全模式) encryption with the
// EncodingAESKey. Only this folder speaks WeChat; OpenSSL does the SHA-1 and AES.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace lianxin::wechat {

// Lower-case hex SHA-1 of `data`.
std::string Sha1Hex(std::string_view data);

// signature = SHA1(concatenation of token, timestamp and nonce sorted as byte strings).
std::string UrlSignature(std::string_view token, std::string_view timestamp,
                         std::string_view nonce);
// msg_signature = SHA1(sorted token, timestamp, nonce and the Encrypt value).
std::string MsgSignature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                         std::string_view encrypt);
// Compares a received hex signature with the expected one in constant time, ignoring the
// case of the received hex digits.
bool SignatureMatches(std::string_view received, std::string_view expected);

// Standard base64 (RFC 4648 with padding). Decode is strict: kMalformed on any character
// outside the alphabet, bad padding or a length that is not a multiple of 4.
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

// True for a well-formed EncodingAESKey: 43 characters of [A-Za-z0-9].
bool IsEncodingAesKey(std::string_view key);
// True for a well-formed Token: 3 to 32 characters of [A-Za-z0-9].
bool IsToken(std::string_view token);

// Safe-mode message encryption for one account: AES-256-CBC with the key
// base64(EncodingAESKey + "=") and IV = its first 16 bytes, PKCS#7 padding to 32-byte blocks,
// plaintext random(16) || msg_len(4, big-endian) || msg || AppID; base64 on the wire.
class MessageCrypto {
 public:
  // kInvalidArgument unless `encoding_aes_key` is well-formed and decodes to 32 bytes and
  // `app_id` is non-empty.
  static Result<MessageCrypto> Create(std::string_view encoding_aes_key, std::string_view app_id);

  // The message inside `encrypt` (the base64 Encrypt value). kMalformed when it is not
  // base64, not whole blocks, badly padded or its length field is out of range;
  // kPermissionDenied when the trailing AppID is not this account's.
  Result<std::string> Decrypt(std::string_view encrypt) const;
  // Encrypts `message` with 16 fresh random bytes.
  std::string Encrypt(std::string_view message) const;
  // Encrypts with the given 16 bytes of `random` (tests and known-answer vectors).
  std::string EncryptWithRandom(std::string_view message, std::string_view random) const;

  const std::string& app_id() const { return app_id_; }

 private:
  MessageCrypto(std::string key, std::string app_id)
      : key_(std::move(key)), app_id_(std::move(app_id)) {}
  std::string key_;  // 32 bytes
  std::string app_id_;
};

}  // namespace lianxin::wechat
