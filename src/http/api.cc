#include "http/api.h"

#include <algorithm>
#include <boost/json.hpp>
#include <exception>

#include "common/log.h"
#include "common/text.h"
#include "http/json_body.h"
#include "http/openapi.h"
#include "http/render.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;

Api::Api(storage::Store& store, Authenticator& auth, const Clock& clock, ApiOptions options,
         mail::MailIntake* intake, const mail::MailboxPollers* mailboxes, LiveHub* live)
    : store_(store),
      auth_(auth),
      clock_(clock),
      options_(options),
      intake_(intake),
      mailboxes_(mailboxes),
      live_(live),
      portal_limits_(clock, 15 * 60 * 1000),
      contact_limits_(clock, 60 * 60 * 1000) {
  AddRoutes();
}

void Api::AddPublic(std::string method, std::string pattern, Handler h) {
  router_.Add(std::move(method), std::move(pattern), Route{true, std::move(h)});
}

void Api::Add(std::string method, std::string pattern, Handler h) {
  router_.Add(std::move(method), std::move(pattern), Route{false, std::move(h)});
}

void Api::AddRoutes() {
  const std::string v1 = "/api/v1";
  AddPublic("GET", v1 + "/health", &Api::Health);
  AddPublic("GET", v1 + "/openapi.json", &Api::OpenApi);
  AddPublic("POST", v1 + "/auth/login", &Api::LogIn);
  AddPublic("POST", v1 + "/auth/logout", &Api::LogOut);
  AddPublic("GET", v1 + "/followup", &Api::FollowUpPage);
  AddPublic("POST", v1 + "/followup", &Api::FollowUpAnswer);
  AddPublic("POST", v1 + "/portal/magic-link", &Api::PortalMagicLink);
  AddPublic("POST", v1 + "/portal/session", &Api::PortalSession);
  AddPublic("POST", v1 + "/portal/contact", &Api::PortalContact);
  Add("GET", v1 + "/auth/me", &Api::Me);

  Add("GET", v1 + "/tickets", &Api::ListTickets);
  Add("GET", v1 + "/queues/counts", &Api::QueueCounts);
  Add("GET", v1 + "/views", &Api::ListViews);
  Add("POST", v1 + "/views", &Api::CreateView);
  Add("PATCH", v1 + "/views/{id}", &Api::PatchView);
  Add("DELETE", v1 + "/views/{id}", &Api::DeleteView);
  Add("POST", v1 + "/tickets", &Api::CreateTicket);
  Add("GET", v1 + "/tickets/{id}", &Api::GetTicket);
  Add("PATCH", v1 + "/tickets/{id}", &Api::PatchTicket);
  Add("GET", v1 + "/tickets/{id}/messages", &Api::ListMessages);
  Add("POST", v1 + "/tickets/{id}/messages", &Api::PostMessage);
  Add("GET", v1 + "/tickets/{id}/events", &Api::ListEvents);
  Add("POST", v1 + "/tickets/{id}/handoffs", &Api::ProposeHandoff);
  Add("POST", v1 + "/tickets/{id}/take", &Api::TakeTicket);
  Add("POST", v1 + "/tickets/{id}/assign", &Api::AssignTicket);
  Add("POST", v1 + "/tickets/{id}/resolve", &Api::ResolveTicket);
  Add("POST", v1 + "/tickets/{id}/reopen", &Api::ReopenTicket);
  Add("POST", v1 + "/handoffs/{id}/accept",
      [](Api& api, const Call& c) { return api.AnswerHandoff(c, true); });
  Add("POST", v1 + "/handoffs/{id}/decline",
      [](Api& api, const Call& c) { return api.AnswerHandoff(c, false); });
  Add("GET", v1 + "/search", &Api::Search);
  Add("GET", v1 + "/promises", &Api::ListPromises);
  Add("POST", v1 + "/promises/{id}/kept",
      [](Api& api, const Call& c) { return api.ChangePromise(c, false); });
  Add("POST", v1 + "/promises/{id}/renegotiate",
      [](Api& api, const Call& c) { return api.ChangePromise(c, true); });
  Add("GET", v1 + "/stats/follow-through", &Api::FollowThroughStats);
  Add("GET", v1 + "/sla/policies", &Api::SlaPolicies);
  Add("GET", v1 + "/digest", &Api::Digest);
  Add("POST", v1 + "/mail/inbound", &Api::IngestMail);
  Add("GET", v1 + "/mail/mailboxes", &Api::ListMailboxes);
  Add("GET", v1 + "/attachments/{id}", &Api::GetAttachment);
  Add("GET", v1 + "/stream", &Api::Stream);
  Add("GET", v1 + "/tickets/{id}/presence", &Api::GetPresence);
  Add("POST", v1 + "/tickets/{id}/presence", &Api::PostPresence);
  Add("GET", v1 + "/notifications", &Api::ListNotifications);
  Add("POST", v1 + "/notifications/seen", &Api::MarkNotificationsSeen);

  Add("GET", v1 + "/customers", &Api::ListCustomers);
  Add("POST", v1 + "/customers", &Api::CreateCustomer);
  Add("GET", v1 + "/customers/{id}", &Api::GetCustomer);
  Add("PATCH", v1 + "/customers/{id}", &Api::PatchCustomer);
  Add("GET", v1 + "/customers/{id}/tickets", &Api::CustomerTickets);
  Add("POST", v1 + "/companies", &Api::CreateCompany);
  Add("GET", v1 + "/companies/{id}", &Api::GetCompany);
  Add("GET", v1 + "/agents", &Api::ListAgents);
  Add("POST", v1 + "/agents", &Api::CreateAgent);
  Add("GET", v1 + "/agents/{id}", &Api::GetAgent);
  Add("GET", v1 + "/teams", &Api::ListTeams);
  Add("POST", v1 + "/teams", &Api::CreateTeam);
}

Response Api::Handle(const Request& req) {
  try {
    Result<Response> r = Dispatch(req);
    if (r.ok()) return std::move(r).value();
    if (r.status().code() == StatusCode::kInternal ||
        r.status().code() == StatusCode::kUnavailable) {
      Log(LogLevel::kError, "request failed",
          {{"method", req.method}, {"path", req.path}, {"error", r.status().ToString()}});
    }
    return ErrorResponse(r.status());
  } catch (const std::exception& e) {
    Log(LogLevel::kError, "handler threw",
        {{"method", req.method}, {"path", req.path}, {"what", e.what()}});
    return ErrorResponse(Status::Internal("unexpected error; it has been logged"));
  }
}

Result<Response> Api::Dispatch(const Request& req) {
  if (!IsValidUtf8(req.path)) return Status::BadRequest("the request path is not valid UTF-8");
  auto match = router_.Find(req.method, req.path);
  if (match.handler == nullptr) {
    if (!match.allow.empty()) {
      Response r = ErrorResponse(
          Status::MethodNotAllowed(req.method + " is not allowed here; allowed: " + match.allow));
      r.SetHeader("Allow", match.allow);
      return r;
    }
    return Status::NotFound("no such endpoint: " + req.path);
  }
  if (match.bad_id.has_value()) {
    return Status::InvalidArgument("id", "'" + *match.bad_id + "' is not a positive integer id");
  }
  SF_ASSIGN_OR_RETURN(QueryParams query, QueryParams::Parse(req.query));
  const Route& route = *match.handler;
  if (route.is_public) return route.handler(*this, Call{req, match.params, query, nullptr});
  SF_ASSIGN_OR_RETURN(domain::Principal who, auth_.Authenticate(req));
  return route.handler(*this, Call{req, match.params, query, &who});
}

Result<Response> Api::Health(const Call& c) { return JsonResponse(json::object{{"status", "ok"}}); }

Result<Response> Api::OpenApi(const Call& c) {
  Response r;
  r.body = std::string(OpenApiDocument());
  r.SetHeader("Content-Type", "application/json");
  return r;
}

Result<Response> Api::LogIn(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"email", "password"}));
  SF_ASSIGN_OR_RETURN(std::string email, f.RequiredString("email"));
  SF_ASSIGN_OR_RETURN(std::string password, f.RequiredString("password"));
  SF_ASSIGN_OR_RETURN(Authenticator::Login login,
                      auth_.LogIn(email, password, c.req.remote_address));
  Response r = JsonResponse(
      json::object{{"agent", RenderAgent(login.agent)}, {"csrf_token", login.csrf_token}});
  r.SetHeader("Set-Cookie", login.set_cookie);
  return r;
}

Result<Response> Api::LogOut(const Call& c) {
  SF_ASSIGN_OR_RETURN(std::string cookie, auth_.LogOut(c.req));
  Response r;
  r.status = 204;
  r.SetHeader("Set-Cookie", cookie);
  return r;
}

Result<Response> Api::Me(const Call& c) {
  SF_ASSIGN_OR_RETURN(auto csrf, auth_.SessionCsrfToken(c.req));
  const json::value csrf_token = csrf ? json::value(*csrf) : json::value(nullptr);
  if (c.who->is_agent()) {
    SF_ASSIGN_OR_RETURN(domain::Agent a, store_.GetAgent(c.who->id));
    return JsonResponse(
        json::object{{"kind", "agent"}, {"agent", RenderAgent(a)}, {"csrf_token", csrf_token}});
  }
  SF_ASSIGN_OR_RETURN(domain::Customer cu, store_.GetCustomer(c.who->id));
  return JsonResponse(json::object{{"kind", "customer"},
                                   {"customer", RenderCustomerFor(cu, *c.who)},
                                   {"csrf_token", csrf_token}});
}

Result<domain::TicketState> Api::LoadAuthorized(const Call& c, domain::TicketId id,
                                                domain::Action action) {
  SF_ASSIGN_OR_RETURN(domain::TicketState s, store_.GetTicket(id));
  SF_RETURN_IF_ERROR(domain::Authorize(*c.who, action, {.ticket = &s.ticket}));
  return s;
}

Result<storage::TicketWrite> Api::Modify(
    const Call& c, domain::TicketId id, domain::Action action,
    std::function<Result<domain::Change>(const domain::TicketState&)> decide) {
  const domain::Principal who = *c.who;
  return store_.ModifyTicket(id, [&](const domain::TicketState& s) -> Result<domain::Change> {
    SF_RETURN_IF_ERROR(domain::Authorize(
        who, action,
        {.ticket = &s.ticket, .handoff = s.pending_handoff ? &*s.pending_handoff : nullptr}));
    return decide(s);
  });
}

Result<json::value> Api::TicketJson(const domain::TicketState& s, const domain::Principal& viewer) {
  std::optional<std::string> owner_name;
  if (s.ticket.owner_id) {
    auto agent = store_.GetAgent(*s.ticket.owner_id);
    if (agent.ok()) {
      owner_name = agent->name;
    } else if (agent.status().code() != StatusCode::kNotFound) {
      return agent.status();
    }
  }
  return RenderTicket(s, viewer, owner_name);
}

Result<json::value> Api::WriteJson(const storage::TicketWrite& w, const domain::Principal& viewer) {
  SF_ASSIGN_OR_RETURN(json::value ticket, TicketJson(w.state, viewer));
  SF_ASSIGN_OR_RETURN(AgentNames names, AgentNamesOf(MessageAuthors(w.messages)));
  json::array messages;
  for (const auto& m : w.messages) {
    if (CanSeeMessage(viewer, m.kind)) messages.push_back(RenderMessage(m, names));
  }
  return json::value(
      json::object{{"ticket", std::move(ticket)}, {"messages", std::move(messages)}});
}

Result<AgentNames> Api::AgentNamesOf(const std::vector<domain::AgentId>& ids) {
  AgentNames names;
  if (ids.empty()) return names;
  // Agents are few next to tickets and messages: all of them in one query beats one per id.
  SF_ASSIGN_OR_RETURN(std::vector<domain::Agent> agents, store_.ListAgents());
  for (const domain::Agent& a : agents) {
    if (std::find(ids.begin(), ids.end(), a.id) != ids.end()) names.emplace(a.id, a.name);
  }
  return names;
}

Status Api::RequireActiveAgent(domain::AgentId id, std::string_view field) {
  auto agent = store_.GetAgent(id);
  if (!agent.ok()) {
    if (agent.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument(std::string(field), "no agent " + std::to_string(id));
    }
    return agent.status();
  }
  if (!agent->active) {
    return Status::InvalidArgument(std::string(field),
                                   "agent " + std::to_string(id) + " is deactivated");
  }
  return Status::Ok();
}

}  // namespace steadfast::http
