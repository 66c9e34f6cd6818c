#pragma once

#include <functional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "domain/principal.h"
#include "http/message.h"
#include "http/rate_limiter.h"
#include "storage/store.h"

namespace steadfast::http {

struct AuthOptions {
  int64_t session_ttl_ms = 14LL * 24 * 3600 * 1000;
  // Failed logins allowed per window, per account and per client address.
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t failure_window_ms = 15 * 60 * 1000;
  bool secure_cookies = false;                  // Add `Secure` to cookies (serving behind TLS).
  int64_t portal_link_ttl_ms = 15 * 60 * 1000;  // A portal sign-in link works this long, once.
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

  // Portal sign-in (magic link). Makes a one-time token for `customer`, valid for
  // portal_link_ttl_ms, and stores its SHA-256 with the mail `compose(token)` builds (the link
  // carries the token; nothing else keeps it), in one transaction.
  [[nodiscard]] Status IssuePortalLink(
      domain::CustomerId customer,
      const std::function<storage::DirectMail(std::string_view token)>& compose);

  struct CustomerLogin {
    std::string csrf_token;
    domain::Customer customer;
    std::string set_cookie;
  };
  // Uses the sign-in link token once and starts a customer session (cookie + CSRF token).
  // NotFound alike for an unknown, used or expired token.
  Result<CustomerLogin> StartCustomerSession(std::string_view link_token);

  int64_t portal_link_ttl_ms() const { return options_.portal_link_ttl_ms; }

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
  // A new session credential for the caller of LogIn/StartCustomerSession; `secret` is set to
  // the cookie value.
  storage::Credential NewSession(std::string* secret) const;
  std::string SessionCookie(std::string_view secret) const;

  storage::Store& store_;
  const Clock& clock_;
  const AuthOptions options_;
  RateLimiter failures_;  // Failed logins per account and per address.
};

// The value of cookie `name` in a Cookie header, or empty.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace steadfast::http
