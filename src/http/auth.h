#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "common/result.h"
#include "domain/principal.h"
#include "http/message.h"
#include "storage/store.h"

namespace steadfast::http {

struct AuthOptions {
  int64_t session_ttl_ms = 14LL * 24 * 3600 * 1000;
  // Failed logins allowed per window, per account and per client address.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t failure_window_ms = 15 * 60 * 1000;
  bool secure_cookies = false;  // Add `Secure` to cookies (serving behind TLS).
};

inline constexpr char kSessionCookie[] = "sf_session";

// Who is calling: sessions (cookie + CSRF token) for the browser, API tokens (Bearer) for
// integrations. Secrets are random, stored only as SHA-256 hashes; passwords as argon2id.
// Thread-safe.
class Authenticator {
 public:
  Authenticator(storage::Store& store, const Clock& clock, AuthOptions options);

  struct Login {
    std::string session_token;  // The cookie value.
    std::string csrf_token;     // Must accompany cookie-authenticated writes as X-CSRF-Token.
    domain::Agent agent;
    std::string set_cookie;  // The Set-Cookie header value.
  };
  // Checks the password. Unauthenticated for a wrong email or password (the same message for
  // both); RateLimited after too many failures for the account or the address.
  Result<Login> LogIn(std::string_view email, std::string_view password,
                      std::string_view remote_address);

  // Ends the session of the request's cookie, if any. Returns the Set-Cookie that clears it.
  Result<std::string> LogOut(const Request& req);

  // Identifies the caller from `Authorization: Bearer` or the session cookie. Unauthenticated
  // if there is neither or it is unknown/expired. For cookie-authenticated requests with an
  // unsafe method, PermissionDenied unless X-CSRF-Token matches the session's.
  Result<domain::Principal> Authenticate(const Request& req);

  // The CSRF token of the request's session cookie (a page reloaded in the browser gets it back
  // this way); nullopt for a request authenticated otherwise. REQUIRES: Authenticate(req) passed.
  Result<std::optional<std::string>> SessionCsrfToken(const Request& req);

  // Creates an API token for an agent or customer; returns the secret, which is not stored.
  Result<std::string> CreateApiToken(domain::Actor::Kind kind, int64_t id, std::string label);

  // The principal for a stored credential's owner (loads the agent or customer and company).
  Result<domain::Principal> PrincipalFor(domain::Actor::Kind kind, int64_t id);

 private:
  // True if `key` has reached `limit` failures in the current window.
  bool Blocked(const std::string& key, int limit);
  void RecordFailure(const std::string& key);

  storage::Store& store_;
  const Clock& clock_;
  const AuthOptions options_;
  std::mutex mu_;
  struct Window {
    int64_t start_ms = 0;
    int failures = 0;
  };
  std::unordered_map<std::string, Window> failures_;  // Guarded by mu_.
};

// The value of cookie `name` in a Cookie header, or empty.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace steadfast::http
