#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "domain/permissions.h"
#include "domain/principal.h"
#include "engine/sla_clocks.h"
#include "http/auth.h"
#include "http/message.h"
#include "http/rate_limiter.h"
#include "http/render.h"
#include "http/router.h"
#include "mail/intake.h"
#include "storage/store.h"

namespace steadfast::mail {
class MailboxPollers;
}  // namespace steadfast::mail

namespace steadfast::http {

// Abuse limits of the portal's public endpoints, per client address and per email address.
struct PortalLimits {
  int links_per_email = 3;  // Sign-in links asked for, per 15 minutes.
  int links_per_address = 20;
  int sessions_per_address = 30;  // Sign-in attempts (link tokens used), per 15 minutes.
  int contacts_per_email = 3;     // Contact forms sent, per hour.
  int contacts_per_address = 20;
  size_t max_contact_message_bytes = 20 * 1024;
};
class LiveHub;

struct ApiOptions {
  size_t max_message_bytes = 256 * 1024;           // Text of one message.
  size_t max_attachment_bytes = 10 * 1024 * 1024;  // One attached file.
  // Where customers reach us (links in email): "https://help.example.com", no trailing slash.
  std::string public_url = "http://127.0.0.1:8080";
  PortalLimits portal;
  // The business calendar and SLA policies (GET /sla/policies; promises "in N business hours").
  std::shared_ptr<const engine::SlaSettings> sla = std::make_shared<engine::SlaSettings>();
  // The leads' digest: the zone its days are counted in (links use public_url).
  std::string digest_time_zone = "UTC";
};

// The ticket list's filters and sort from `query` as `who` asks for them (limit and cursor are
// allowed but not read here): GET /tickets and saved views share it, so a saved view never holds
// a query the list refuses. InvalidArgument naming the parameter. Pure; safe from any thread.
Result<storage::TicketQuery> ParseTicketListQuery(const QueryParams& query,
                                                  const domain::Principal& who);

// The REST API under /api/v1: parses and validates each request, asks domain::Authorize,
// runs the domain rule through the store, and renders the result. Every failure leaves as
// problem+json through ErrorResponse. Thread-safe; Handle never throws.
class Api {
 public:
  // `intake` may be null: then POST /mail/inbound answers 503. `mailboxes` may be null: then
  // GET /mail/mailboxes lists none. `live` may be null: then the stream and presence answer 503.
  // All must outlive the Api.
  Api(storage::Store& store, Authenticator& auth, const Clock& clock, ApiOptions options,
      mail::MailIntake* intake = nullptr, const mail::MailboxPollers* mailboxes = nullptr,
      LiveHub* live = nullptr);

  // Answers one request. Paths outside /api/v1 get 404.
  Response Handle(const Request& req);

 private:
  // What a handler receives: the request, its {id}s, its query and the caller.
  struct Call {
    const Request& req;
    const PathParams& path;
    const QueryParams& query;
    const domain::Principal* who;  // Null on public routes.
  };
  using Handler = std::function<Result<Response>(Api&, const Call&)>;
  struct Route {
    bool is_public = false;
    Handler handler;
  };

  void AddRoutes();
  void AddPublic(std::string method, std::string pattern, Handler h);
  void Add(std::string method, std::string pattern, Handler h);
  Result<Response> Dispatch(const Request& req);

  // Auth and meta (api.cc).
  Result<Response> Health(const Call& c);
  Result<Response> LogIn(const Call& c);
  Result<Response> LogOut(const Call& c);
  Result<Response> Me(const Call& c);
  Result<Response> OpenApi(const Call& c);

  // Tickets (api_tickets.cc).
  Result<Response> CreateTicket(const Call& c);
  Result<Response> ListTickets(const Call& c);
  Result<Response> QueueCounts(const Call& c);
  Result<Response> GetTicket(const Call& c);
  Result<Response> PatchTicket(const Call& c);
  Result<Response> ListMessages(const Call& c);
  Result<Response> PostMessage(const Call& c);
  Result<Response> ListEvents(const Call& c);
  Result<Response> ProposeHandoff(const Call& c);
  Result<Response> AnswerHandoff(const Call& c, bool accept);
  Result<Response> TakeTicket(const Call& c);
  Result<Response> AssignTicket(const Call& c);
  Result<Response> ResolveTicket(const Call& c);
  Result<Response> ReopenTicket(const Call& c);
  Result<Response> Search(const Call& c);
  Result<Response> GetAttachment(const Call& c);

  // Follow-through (api_follow.cc).
  Result<Response> ListPromises(const Call& c);
  Result<Response> ChangePromise(const Call& c, bool renegotiate);
  Result<Response> FollowThroughStats(const Call& c);
  // A lead's digest of one day, as JSON (engine/digest.h).
  Result<Response> Digest(const Call& c);
  // "Did it stay solved?": the page behind the emailed links, and the answer it posts. Public:
  // the signed token in the link is the only credential.
  Result<Response> FollowUpPage(const Call& c);
  Result<Response> FollowUpAnswer(const Call& c);

  // Customer portal (api_portal.cc). Public: a sign-in link asked for by email (the same answer
  // for any address), the session its token starts, and the contact form.
  Result<Response> PortalMagicLink(const Call& c);
  Result<Response> PortalSession(const Call& c);
  Result<Response> PortalContact(const Call& c);
  // SLAs (api_sla.cc): the calendar and policies in force.
  Result<Response> SlaPolicies(const Call& c);

  // Mail (api_mail.cc).
  Result<Response> IngestMail(const Call& c);
  Result<Response> ListMailboxes(const Call& c);

  // Live updates, presence, notifications (api_live.cc).
  Result<Response> Stream(const Call& c);
  Result<Response> GetPresence(const Call& c);
  Result<Response> PostPresence(const Call& c);
  Result<Response> ListNotifications(const Call& c);
  Result<Response> MarkNotificationsSeen(const Call& c);

  // Saved views (api_views.cc): each agent's own named list queries.
  Result<Response> ListViews(const Call& c);
  Result<Response> CreateView(const Call& c);
  Result<Response> PatchView(const Call& c);
  Result<Response> DeleteView(const Call& c);

  // People (api_people.cc).
  Result<Response> ListCustomers(const Call& c);
  Result<Response> CreateCustomer(const Call& c);
  Result<Response> GetCustomer(const Call& c);
  Result<Response> PatchCustomer(const Call& c);
  Result<Response> CustomerTickets(const Call& c);
  Result<Response> CreateCompany(const Call& c);
  Result<Response> GetCompany(const Call& c);
  Result<Response> ListAgents(const Call& c);
  Result<Response> CreateAgent(const Call& c);
  Result<Response> GetAgent(const Call& c);
  Result<Response> ListTeams(const Call& c);
  Result<Response> CreateTeam(const Call& c);

  // Loads a ticket and checks `action` on it for the caller (NotFound for customers who may
  // not see it).
  Result<domain::TicketState> LoadAuthorized(const Call& c, domain::TicketId id,
                                             domain::Action action);
  // Runs `decide` on ticket `id` after authorizing `action` inside the transaction.
  Result<storage::TicketWrite> Modify(
      const Call& c, domain::TicketId id, domain::Action action,
      std::function<Result<domain::Change>(const domain::TicketState&)> decide);
  // The ticket as `viewer` may see it (render.h), with its owner's display name looked up.
  Result<boost::json::value> TicketJson(const domain::TicketState& s,
                                        const domain::Principal& viewer);
  // {"ticket": TicketJson, "messages": [the write's messages]}.
  Result<boost::json::value> WriteJson(const storage::TicketWrite& w,
                                       const domain::Principal& viewer);
  // The display names of the agents among `ids`: one query however many there are, none when
  // `ids` is empty. An id that is no agent is left out.
  Result<AgentNames> AgentNamesOf(const std::vector<domain::AgentId>& ids);
  // Checks that `id` is an active agent; InvalidArgument(field) otherwise.
  Status RequireActiveAgent(domain::AgentId id, std::string_view field);

  storage::Store& store_;
  Authenticator& auth_;
  const Clock& clock_;
  const ApiOptions options_;
  mail::MailIntake* const intake_;
  const mail::MailboxPollers* const mailboxes_;
  LiveHub* const live_;
  Router<Route> router_;
  RateLimiter portal_limits_;   // Sign-in links and sessions, per 15 minutes.
  RateLimiter contact_limits_;  // Contact forms, per hour.
};

}  // namespace steadfast::http
