#include "http/auth.h"

#include "common/crypto.h"
#include "common/text.h"

namespace steadfast::http {

using domain::Actor;
using domain::Principal;

std::string_view CookieValue(std::string_view header, std::string_view name) {
  for (std::string_view part : Split(header, ';')) {
    part = Trim(part);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
  }
  return {};
}

Authenticator::Authenticator(storage::Store& store, const Clock& clock, AuthOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      failures_(clock, options.failure_window_ms) {}

storage::Credential Authenticator::NewSession(std::string* secret) const {
  *secret = RandomToken();
  storage::Credential cred;
  cred.token_hash = Sha256Hex(*secret);
  cred.csrf_token = RandomToken();
  cred.label = "session";
  cred.created_at = clock_.Now();
  cred.expires_at = Timestamp{cred.created_at.millis + options_.session_ttl_ms};
  return cred;
}

std::string Authenticator::SessionCookie(std::string_view secret) const {
  return std::string(kSessionCookie) + "=" + std::string(secret) +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
         std::to_string(options_.session_ttl_ms / 1000) +
         (options_.secure_cookies ? "; Secure" : "");
}

Result<Authenticator::Login> Authenticator::LogIn(std::string_view email, std::string_view password,
                                                  std::string_view remote_address) {
  const std::string account_key = "account:" + AsciiLower(email);
  const std::string address_key = "address:" + std::string(remote_address);
  if (failures_.Blocked(account_key, options_.max_failures_per_account) ||
      failures_.Blocked(address_key, options_.max_failures_per_address)) {
    return Status::RateLimited("too many failed logins; try again in 15 minutes");
  }
  auto found = store_.FindAgentByEmail(AsciiLower(email));
  if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
  const bool ok =
      found.ok() && found->agent.active && VerifyPassword(password, found->password_hash);
  if (!ok) {
    failures_.Record(account_key);
    failures_.Record(address_key);
    return Status::Unauthenticated("wrong email or password");
  }
  Login out;
  storage::Credential cred = NewSession(&out.session_token);
  out.csrf_token = cred.csrf_token;
  out.agent = found->agent;
  cred.kind = Actor::Kind::kAgent;
  cred.principal_id = out.agent.id;
  SF_RETURN_IF_ERROR(store_.SaveCredential(cred));
  out.set_cookie = SessionCookie(out.session_token);
  return out;
}

Status Authenticator::IssuePortalLink(
    domain::CustomerId customer,
    const std::function<storage::DirectMail(std::string_view token)>& compose) {
  const std::string token = RandomToken();
  storage::PortalLink link;
  link.token_hash = Sha256Hex(token);
  link.customer_id = customer;
  link.created_at = clock_.Now();
  link.expires_at = Timestamp{link.created_at.millis + options_.portal_link_ttl_ms};
  return store_.SavePortalLink(link, compose(token));
}

Result<Authenticator::CustomerLogin> Authenticator::StartCustomerSession(
    std::string_view link_token) {
  std::string secret;
  storage::Credential cred = NewSession(&secret);
  SF_ASSIGN_OR_RETURN(domain::CustomerId id,
                      store_.UsePortalLink(Sha256Hex(link_token), clock_.Now(), cred));
  CustomerLogin out;
  SF_ASSIGN_OR_RETURN(out.customer, store_.GetCustomer(id));
  out.csrf_token = cred.csrf_token;
  out.set_cookie = SessionCookie(secret);
  return out;
}

Result<std::string> Authenticator::LogOut(const Request& req) {
  const std::string_view token = CookieValue(req.Header("cookie"), kSessionCookie);
  if (!token.empty()) SF_RETURN_IF_ERROR(store_.DeleteCredential(Sha256Hex(token)));
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
         (options_.secure_cookies ? "; Secure" : "");
}

Result<Principal> Authenticator::PrincipalFor(Actor::Kind kind, int64_t id) {
  if (kind == Actor::Kind::kAgent) {
    SF_ASSIGN_OR_RETURN(domain::Agent agent, store_.GetAgent(id));
    if (!agent.active) return Status::Unauthenticated("this account is deactivated");
    return Principal::ForAgent(agent);
  }
  SF_ASSIGN_OR_RETURN(domain::Customer customer, store_.GetCustomer(id));
  bool shares = false;
  if (customer.company_id.has_value()) {
    SF_ASSIGN_OR_RETURN(domain::Company company, store_.GetCompany(*customer.company_id));
    shares = company.shares_tickets;
  }
  return Principal::ForCustomer(customer, shares);
}

Result<std::optional<std::string>> Authenticator::SessionCsrfToken(const Request& req) {
  if (!req.Header("authorization").empty()) return std::optional<std::string>();
  const std::string_view token = CookieValue(req.Header("cookie"), kSessionCookie);
  if (token.empty()) return std::optional<std::string>();
  SF_ASSIGN_OR_RETURN(auto cred, store_.FindCredential(Sha256Hex(token)));
  if (cred.csrf_token.empty()) return std::optional<std::string>();
  return std::optional<std::string>(cred.csrf_token);
}

Result<Principal> Authenticator::Authenticate(const Request& req) {
  std::string_view token;
  bool from_cookie = false;
  const std::string_view authz = req.Header("authorization");
  if (!authz.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authz.size() <= kBearer.size() ||
        AsciiLower(authz.substr(0, kBearer.size())) != "bearer ") {
      return Status::Unauthenticated("Authorization must be 'Bearer <token>'");
    }
    token = Trim(authz.substr(kBearer.size()));
  } else {
    token = CookieValue(req.Header("cookie"), kSessionCookie);
    from_cookie = true;
  }
  if (token.empty()) {
    return Status::Unauthenticated("sign in, or send an API token as 'Authorization: Bearer'");
  }
  auto cred = store_.FindCredential(Sha256Hex(token));
  if (!cred.ok()) {
    if (cred.status().code() == StatusCode::kNotFound) {
      return Status::Unauthenticated("the session or token is not valid; sign in again");
    }
    return cred.status();
  }
  if (cred->expires_at.has_value() && clock_.Now() >= *cred->expires_at) {
    return Status::Unauthenticated("the session has expired; sign in again");
  }
  if (from_cookie && cred->csrf_token.empty()) {
    return Status::Unauthenticated("API tokens go in the Authorization header, not a cookie");
  }
  const bool safe = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (from_cookie && !safe && !ConstantTimeEquals(req.Header("x-csrf-token"), cred->csrf_token)) {
    return Status::PermissionDenied("missing or wrong X-CSRF-Token header");
  }
  auto principal = PrincipalFor(cred->kind, cred->principal_id);
  if (!principal.ok() && principal.status().code() == StatusCode::kNotFound) {
    return Status::Unauthenticated("the account behind this token no longer exists");
  }
  return principal;
}

Result<std::string> Authenticator::CreateApiToken(Actor::Kind kind, int64_t id, std::string label) {
  SF_RETURN_IF_ERROR(PrincipalFor(kind, id).status());
  const std::string secret = "sf_" + RandomToken();
  storage::Credential cred;
  cred.token_hash = Sha256Hex(secret);
  cred.kind = kind;
  cred.principal_id = id;
  cred.label = std::move(label);
  cred.created_at = clock_.Now();
  SF_RETURN_IF_ERROR(store_.SaveCredential(cred));
  return secret;
}

}  // namespace steadfast::http
