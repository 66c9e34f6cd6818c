// The customer portal's public endpoints: sign-in by a one-time emailed link, and the contact
// form for people without an account. Everything else a signed-in customer does goes through the
// ticket routes, where domain::Authorize keeps them to their own tickets.
#include <boost/json.hpp>

#include "common/text.h"
#include "domain/ticket_rules.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/render.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

constexpr size_t kMaxEmailBytes = 254;  // RFC 5321's path limit.
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxSubjectBytes = 200;

// The address, trimmed and lower-cased; InvalidArgument naming `field` if it is not one.
Result<std::string> ReadEmail(const JsonFields& f, std::string_view field) {
  SF_ASSIGN_OR_RETURN(std::string raw, f.RequiredString(field));
  std::string email = AsciiLower(Trim(raw));
  if (email.size() > kMaxEmailBytes) {
    return Status::InvalidArgument(std::string(field), "is at most 254 characters");
  }
  if (!LooksLikeEmail(email)) {
    return Status::InvalidArgument(std::string(field), "is not an email address");
  }
  return email;
}

Status RateLimited(std::string_view what) {
  return Status::RateLimited(std::string(what) + "; please try again later");
}

Response Accepted(std::string_view status, std::string_view message) {
  return JsonResponse(json::object{{"status", status}, {"message", message}}, 202);
}

}  // namespace

Result<Response> Api::PortalMagicLink(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"email"}));
  SF_ASSIGN_OR_RETURN(std::string email, ReadEmail(f, "email"));
  // Counted whether or not the address is known, so the limits say nothing about accounts.
  if (!portal_limits_.TryTake("link-address:" + c.req.remote_address,
                              options_.portal.links_per_address)) {
    return RateLimited("too many sign-in links were asked for from this address");
  }
  if (!portal_limits_.TryTake("link-email:" + email, options_.portal.links_per_email)) {
    return RateLimited("too many sign-in links were asked for this email address");
  }
  auto customer = store_.FindCustomerByEmail(email);
  if (customer.ok()) {
    const std::string name = customer->name;
    const int64_t minutes = auth_.portal_link_ttl_ms() / 60000;
    SF_RETURN_IF_ERROR(auth_.IssuePortalLink(customer->id, [&](std::string_view token) {
      storage::DirectMail mail;
      mail.to_address = email;
      mail.subject = "Your sign-in link";
      mail.body = "Hello" + (name.empty() ? std::string() : " " + name) +
                  ",\n\nTo see your tickets and where each one stands, open this link and press "
                  "\"Sign in\":\n\n" +
                  options_.public_url + "/portal/sign-in#token=" + std::string(token) +
                  "\n\nThe link works once, within " + std::to_string(minutes) +
                  " minutes. If you did not ask for it, you can ignore this email: nobody can "
                  "sign in without it.";
      return mail;
    }));
  } else if (customer.status().code() != StatusCode::kNotFound) {
    return customer.status();
  }
  return Accepted("sent_if_known",
                  "If this address belongs to one of our customers, a sign-in link is on its "
                  "way to it. The link works once, within " +
                      std::to_string(auth_.portal_link_ttl_ms() / 60000) + " minutes.");
}

Result<Response> Api::PortalSession(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"token"}));
  SF_ASSIGN_OR_RETURN(std::string token, f.RequiredString("token"));
  if (token.empty() || token.size() > 200) {
    return Status::InvalidArgument("token", "is not a sign-in token");
  }
  if (!portal_limits_.TryTake("session-address:" + c.req.remote_address,
                              options_.portal.sessions_per_address)) {
    return RateLimited("too many sign-in attempts from this address");
  }
  SF_ASSIGN_OR_RETURN(Authenticator::CustomerLogin login, auth_.StartCustomerSession(token));
  Response r = JsonResponse(json::object{
      {"kind", "customer"},
      {"customer",
       RenderCustomerFor(login.customer, Principal::ForCustomer(login.customer, false))},
      {"csrf_token", login.csrf_token}});
  r.SetHeader("Set-Cookie", login.set_cookie);
  return r;
}

Result<Response> Api::PortalContact(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"email", "name", "subject", "message", "website"}));
  // "website" is a field people never see (the form hides it); only robots fill it in.
  SF_ASSIGN_OR_RETURN(auto trap, f.String("website"));
  if (trap.has_value() && !trap->empty()) {
    return Status::InvalidArgument("website", "must be left empty");
  }
  SF_ASSIGN_OR_RETURN(std::string email, ReadEmail(f, "email"));
  SF_ASSIGN_OR_RETURN(auto name, f.String("name"));
  storage::CustomerRef ref;
  ref.email = email;
  ref.name = std::string(Trim(name.value_or("")));
  if (ref.name.size() > kMaxNameBytes || !IsSingleLine(ref.name)) {
    return Status::InvalidArgument("name", "must be at most 200 characters on one line");
  }
  SF_ASSIGN_OR_RETURN(std::string subject, f.RequiredString("subject"));
  NewTicket t;
  SF_ASSIGN_OR_RETURN(t.subject, ValidateSubject(subject));
  if (t.subject.size() > kMaxSubjectBytes) {
    return Status::InvalidArgument("subject", "is at most 200 characters");
  }
  SF_ASSIGN_OR_RETURN(t.body, f.RequiredString("message"));
  SF_RETURN_IF_ERROR(ValidateBody(t.body, options_.portal.max_contact_message_bytes, "message"));
  if (!contact_limits_.TryTake("contact-address:" + c.req.remote_address,
                               options_.portal.contacts_per_address)) {
    return RateLimited("too many messages were sent from this address");
  }
  if (!contact_limits_.TryTake("contact-email:" + email, options_.portal.contacts_per_email)) {
    return RateLimited("too many messages were sent for this email address");
  }
  t.channel = Channel::kPortal;
  t.from_address = email;
  if (intake_ != nullptr) {
    SF_RETURN_IF_ERROR(intake_->OpenFromForm(t, ref).status());
  } else {
    SF_RETURN_IF_ERROR(store_.CreateTicket(t, ref, Principal::System()).status());
  }
  return Accepted("received",
                  "Thank you: we have your message. A person on our team will answer you by "
                  "email at the address you gave.");
}

}  // namespace steadfast::http
