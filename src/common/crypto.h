#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

// Hashing and secrets, on libsodium. Call InitCrypto() once before any other function.
namespace steadfast {

// Initializes libsodium. Internal if it cannot (no entropy source).
[[nodiscard]] Status InitCrypto();

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// A new random secret: `bytes` random bytes, base64url without padding.
std::string RandomToken(size_t bytes = 32);

// An argon2id hash string (with its own salt and cost parameters) of `password`.
[[nodiscard]] Result<std::string> HashPassword(std::string_view password);

// True if `password` matches `hash` (from HashPassword). Constant-time in the password.
bool VerifyPassword(std::string_view password, const std::string& hash);

// Lower-case hex HMAC-SHA-256 of `data` under `key` (any length).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Compares two strings in time that depends only on their length.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace steadfast
