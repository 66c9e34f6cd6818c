// Ticket endpoints of the API.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "common/text.h"
#include "domain/ticket_rules.h"
#include "engine/chase.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/multipart.h"
#include "http/render.h"
#include "http/responses.h"
#include "storage/search_terms.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

Result<std::optional<Priority>> ParsePriorityField(const JsonFields& f) {
  SF_ASSIGN_OR_RETURN(auto s, f.String("priority"));
  if (!s.has_value()) return std::optional<Priority>();
  auto p = domain::ParsePriority(*s);
  if (!p) {
    return Status::InvalidArgument(
        f.FieldName("priority"), "'" + *s + "' is not one of " + std::string(AllowedPriorities()));
  }
  return std::optional<Priority>(*p);
}

Response Created(const json::value& body) { return JsonResponse(body, 201); }

// The parts of a message post, from JSON or multipart/form-data.
struct MessageInput {
  std::optional<std::string> kind;
  std::string body;
  std::optional<std::string> status;
  std::vector<NewAttachment> attachments;
  std::optional<std::string> promise_text;  // A promise made in this reply: what,
  std::optional<std::string> promise_due;   // and by when (ISO 8601),
  std::optional<int64_t> promise_in_hours;  // or in this many business hours.
  std::optional<int64_t> keeps_promise;
};

// The promise fields of `in` as the domain takes them. InvalidArgument naming the field.
// "In N business hours" is counted on the team's business calendar from `now`.
Status ReadPromiseFields(const MessageInput& in, const engine::BusinessCalendar& calendar,
                         Timestamp now, NewMessage& m) {
  if (in.promise_due && in.promise_in_hours) {
    return Status::InvalidArgument("promise.in_business_hours",
                                   "give due_at or in_business_hours, not both");
  }
  const bool when = in.promise_due || in.promise_in_hours;
  if (in.promise_text.has_value() != when) {
    return Status::InvalidArgument(in.promise_text ? "promise.due_at" : "promise.text",
                                   "a promise needs text and due_at (or in_business_hours)");
  }
  if (in.promise_due) {
    auto due = ParseIso8601(*in.promise_due);
    if (!due) return Status::InvalidArgument("promise.due_at", "must be an ISO 8601 time");
    m.promise = NewPromise{*in.promise_text, *due};
  } else if (in.promise_in_hours) {
    if (*in.promise_in_hours < 1 || *in.promise_in_hours > 2000) {
      return Status::InvalidArgument("promise.in_business_hours",
                                     "must be a whole number of hours from 1 to 2000");
    }
    m.promise = NewPromise{*in.promise_text,
                           calendar.AddBusinessTime(now, *in.promise_in_hours * 3600 * 1000)};
  }
  if (in.keeps_promise) {
    if (*in.keeps_promise <= 0) return Status::InvalidArgument("keeps_promise", "must be an id");
    m.keeps_promise = *in.keeps_promise;
  }
  return Status::Ok();
}

Result<MessageInput> ParseMessageInput(const Request& req, size_t max_attachment_bytes) {
  MessageInput in;
  const std::string content_type = AsciiLower(req.Header("content-type"));
  if (content_type.rfind("multipart/form-data", 0) == 0) {
    SF_ASSIGN_OR_RETURN(auto parts, ParseMultipart(req.Header("content-type"), req.body));
    bool has_body = false;
    for (auto& p : parts) {
      if (p.is_file) {
        if (p.data.size() > max_attachment_bytes) {
          return Status::TooLarge("attachment '" + p.filename + "' is over " +
                                  std::to_string(max_attachment_bytes) + " bytes");
        }
        if (p.filename.empty() || p.filename.size() > 255 || !IsValidUtf8(p.filename) ||
            !IsSingleLine(p.filename)) {
          return Status::InvalidArgument(p.name,
                                         "file name must be 1-255 bytes of UTF-8 on one line");
        }
        in.attachments.push_back(NewAttachment{
            p.filename, p.content_type.empty() ? "application/octet-stream" : p.content_type,
            std::move(p.data)});
        continue;
      }
      if (!IsValidUtf8(p.data)) return Status::BadRequest("field " + p.name + " is not UTF-8");
      if (p.name == "kind") {
        in.kind = p.data;
      } else if (p.name == "body") {
        in.body = p.data;
        has_body = true;
      } else if (p.name == "status") {
        in.status = p.data;
      } else if (p.name == "promise_text") {
        in.promise_text = p.data;
      } else if (p.name == "promise_due_at") {
        in.promise_due = p.data;
      } else if (p.name == "promise_in_business_hours" || p.name == "keeps_promise") {
        const bool hours = p.name == "promise_in_business_hours";
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(p.data.data(), p.data.data() + p.data.size(), n);
        if (ec != std::errc() || end != p.data.data() + p.data.size()) {
          return Status::InvalidArgument(p.name,
                                         hours ? "must be a whole number" : "must be an id");
        }
        (hours ? in.promise_in_hours : in.keeps_promise) = n;
      } else {
        return Status::InvalidArgument(p.name, "is not a known field");
      }
    }
    if (!has_body) return Status::InvalidArgument("body", "is required");
    return in;
  }
  if (!content_type.empty() && content_type.rfind("application/json", 0) != 0) {
    return Status::UnsupportedMedia("send application/json or multipart/form-data");
  }
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"kind", "body", "status", "promise", "keeps_promise"}));
  SF_ASSIGN_OR_RETURN(in.kind, f.String("kind"));
  SF_ASSIGN_OR_RETURN(in.body, f.RequiredString("body"));
  SF_ASSIGN_OR_RETURN(in.status, f.String("status"));
  SF_ASSIGN_OR_RETURN(in.keeps_promise, f.Int("keeps_promise"));
  SF_ASSIGN_OR_RETURN(const json::object* promise, f.Object("promise"));
  if (promise != nullptr) {
    JsonFields p(*promise, "promise.");
    SF_RETURN_IF_ERROR(p.OnlyAllowed({"text", "due_at", "in_business_hours"}));
    SF_ASSIGN_OR_RETURN(in.promise_text, p.RequiredString("text"));
    SF_ASSIGN_OR_RETURN(in.promise_due, p.String("due_at"));
    SF_ASSIGN_OR_RETURN(in.promise_in_hours, p.Int("in_business_hours"));
    if (!in.promise_due && !in.promise_in_hours) {
      return Status::InvalidArgument("promise.due_at", "is required (or in_business_hours)");
    }
  }
  return in;
}

}  // namespace

Result<Response> Api::CreateTicket(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kCreateTicket));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"subject", "body", "customer", "priority", "tags", "team_id"}));
  NewTicket t;
  SF_ASSIGN_OR_RETURN(std::string subject, f.RequiredString("subject"));
  SF_ASSIGN_OR_RETURN(t.subject, ValidateSubject(subject));
  SF_ASSIGN_OR_RETURN(t.body, f.RequiredString("body"));
  SF_RETURN_IF_ERROR(ValidateBody(t.body, options_.max_message_bytes, "body"));
  SF_ASSIGN_OR_RETURN(auto priority, ParsePriorityField(f));
  t.priority = priority.value_or(Priority::kNormal);
  SF_ASSIGN_OR_RETURN(auto tags, f.StringArray("tags"));
  if (tags) {
    SF_ASSIGN_OR_RETURN(t.tags, NormalizeTags(*tags));
  }
  SF_ASSIGN_OR_RETURN(t.team_id, f.Int("team_id"));

  if (c.who->is_customer()) {
    for (std::string_view field : {"customer", "team_id", "priority"}) {
      if (f.Has(field)) {
        return Status::InvalidArgument(std::string(field),
                                       "customers open tickets with subject, body and tags only");
      }
    }
    t.channel = Channel::kPortal;
    SF_ASSIGN_OR_RETURN(auto w, store_.CreateTicketFor(t, c.who->id, *c.who));
    SF_ASSIGN_OR_RETURN(json::value out, WriteJson(w, *c.who));
    return Created(out);
  }
  SF_ASSIGN_OR_RETURN(const json::object* cust, f.Object("customer"));
  if (cust == nullptr) return Status::InvalidArgument("customer", "is required");
  JsonFields cf(*cust, "customer.");
  SF_RETURN_IF_ERROR(cf.OnlyAllowed({"email", "name"}));
  storage::CustomerRef ref;
  SF_ASSIGN_OR_RETURN(std::string email, cf.RequiredString("email"));
  ref.email = AsciiLower(Trim(email));
  if (!LooksLikeEmail(ref.email)) {
    return Status::InvalidArgument("customer.email", "is not an email address");
  }
  SF_ASSIGN_OR_RETURN(auto name, cf.String("name"));
  ref.name = std::string(Trim(name.value_or("")));
  if (!IsSingleLine(ref.name) || ref.name.size() > 200) {
    return Status::InvalidArgument("customer.name", "must be at most 200 plain characters");
  }
  t.channel = Channel::kApi;
  SF_ASSIGN_OR_RETURN(auto w, store_.CreateTicket(t, ref, *c.who));
  SF_ASSIGN_OR_RETURN(json::value out, WriteJson(w, *c.who));
  return Created(out);
}

Result<storage::TicketQuery> ParseTicketListQuery(const QueryParams& query,
                                                  const domain::Principal& who) {
  SF_RETURN_IF_ERROR(query.OnlyAllowed({"status", "owner", "offered_to", "customer", "tag", "team",
                                        "sla", "silent", "q", "sort", "limit", "cursor"}));
  storage::TicketQuery q;
  if (auto s = query.Get("status")) {
    q.status = ParseTicketStatus(*s);
    if (!q.status) {
      return Status::InvalidArgument(
          "status", "'" + *s + "' is not one of " + std::string(AllowedTicketStatuses()));
    }
  }
  if (auto o = query.Get("owner")) {
    if (*o == "none") {
      q.unowned = true;
    } else if (*o == "me") {
      if (!who.is_agent()) return Status::InvalidArgument("owner", "'me' is for agents");
      q.owner = who.id;
    } else {
      SF_ASSIGN_OR_RETURN(q.owner, query.PositiveInt("owner"));
    }
  }
  if (auto o = query.Get("offered_to")) {
    // Handoffs are the team's business: customers never learn of them.
    if (!who.is_agent()) return Status::InvalidArgument("offered_to", "is for agents");
    if (*o == "me") {
      q.offered_to = who.id;
    } else {
      SF_ASSIGN_OR_RETURN(q.offered_to, query.PositiveInt("offered_to"));
    }
  }
  SF_ASSIGN_OR_RETURN(q.customer, query.PositiveInt("customer"));
  SF_ASSIGN_OR_RETURN(q.team, query.PositiveInt("team"));
  if (auto tag = query.Get("tag")) q.tag = AsciiLower(Trim(*tag));
  if (auto sla = query.Get("sla")) {
    if (*sla == "warning") {
      q.sla_alarm = storage::SlaAlarm::kWarning;
    } else if (*sla == "breached") {
      q.sla_alarm = storage::SlaAlarm::kBreached;
    } else if (*sla == "at_risk") {
      q.sla_alarm = storage::SlaAlarm::kAtRisk;
    } else {
      return Status::InvalidArgument("sla",
                                     "'" + *sla + "' is not one of warning, breached, at_risk");
    }
  }
  q.text = query.Get("q").value_or("");
  if (!q.text.empty() && storage::SearchTerms(q.text).empty()) {
    return Status::InvalidArgument("q", "has no searchable word");
  }
  if (auto silent = query.Get("silent")) {
    if (*silent != "true" && *silent != "false") {
      return Status::InvalidArgument("silent", "must be true or false");
    }
    q.silent = *silent == "true";
  }
  if (auto sort = query.Get("sort")) {
    SF_ASSIGN_OR_RETURN(q.sort, ParseTicketSort(*sort));
  }
  return q;
}

Result<Response> Api::ListTickets(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kListTickets));
  SF_ASSIGN_OR_RETURN(storage::TicketQuery q, ParseTicketListQuery(c.query, *c.who));
  SF_ASSIGN_OR_RETURN(q.limit, c.query.Limit(kDefaultLimit, kMaxLimit));
  if (auto cursor = c.query.Get("cursor")) {
    SF_ASSIGN_OR_RETURN(q.after, ParseTicketCursor(*cursor, q.sort));
  }
  if (c.who->is_customer()) q.visible_to = *c.who;
  SF_ASSIGN_OR_RETURN(auto page, store_.ListTickets(q));
  SF_ASSIGN_OR_RETURN(AgentNames owners, AgentNamesOf(PageOwners(page)));
  json::monotonic_resource mr;
  json::value out = RenderTicketPage(page, owners, q.sort, &mr);
  if (c.who->is_customer()) {
    for (json::value& t : out.as_object()["items"].as_array()) HideInternal(t.as_object(), *c.who);
  }
  return JsonResponse(out);
}

Result<Response> Api::QueueCounts(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewQueues));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({}));
  SF_ASSIGN_OR_RETURN(auto teams, store_.ListTeams());
  std::vector<TeamId> ids;
  for (const Team& t : teams) ids.push_back(t.id);
  SF_ASSIGN_OR_RETURN(storage::QueueCounts n, store_.CountQueues(c.who->id, ids));
  json::array team_rows;
  for (const Team& t : teams) {
    team_rows.push_back(
        json::object{{"team_id", t.id}, {"name", t.name}, {"count", n.teams[t.id]}});
  }
  return JsonResponse(json::object{{"mine", n.mine},
                                   {"unowned", n.unowned},
                                   {"offered", n.offered},
                                   {"waiting", n.waiting},
                                   {"sla_at_risk", n.sla_at_risk},
                                   {"teams", std::move(team_rows)}});
}

Result<Response> Api::GetTicket(const Call& c) {
  SF_ASSIGN_OR_RETURN(auto s, LoadAuthorized(c, c.path.id(), Action::kViewTicket));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(s, *c.who));
  return JsonResponse(out);
}

Result<Response> Api::PatchTicket(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(
      f.OnlyAllowed({"version", "subject", "priority", "tags", "team_id", "status"}));
  SF_ASSIGN_OR_RETURN(int64_t version, f.RequiredInt("version"));
  SF_RETURN_IF_ERROR(LoadAuthorized(c, c.path.id(), Action::kEditTicket).status());
  TicketPatch patch;
  SF_ASSIGN_OR_RETURN(auto subject, f.String("subject"));
  if (subject) {
    SF_ASSIGN_OR_RETURN(patch.subject, ValidateSubject(*subject));
  }
  SF_ASSIGN_OR_RETURN(patch.priority, ParsePriorityField(f));
  SF_ASSIGN_OR_RETURN(auto tags, f.StringArray("tags"));
  if (tags) {
    SF_ASSIGN_OR_RETURN(patch.tags, NormalizeTags(*tags));
  }
  if (f.IsNull("team_id")) {
    patch.team_id = std::optional<TeamId>();
  } else {
    SF_ASSIGN_OR_RETURN(auto team, f.Int("team_id"));
    if (team) {
      auto t = store_.GetTeam(*team);
      if (!t.ok()) return Status::InvalidArgument("team_id", "no team " + std::to_string(*team));
      patch.team_id = team;
    }
  }
  SF_ASSIGN_OR_RETURN(auto status, f.String("status"));
  if (status) {
    patch.status = ParseTicketStatus(*status);
    if (!patch.status) {
      return Status::InvalidArgument(
          "status", "'" + *status + "' is not one of " + std::string(AllowedTicketStatuses()));
    }
  }
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kEditTicket, [&](const auto& s) {
                        return EditTicket(s, *c.who, patch, version, now);
                      }));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(w.state, *c.who));
  return JsonResponse(out);
}

Result<Response> Api::ListMessages(const Call& c) {
  SF_ASSIGN_OR_RETURN(auto s, LoadAuthorized(c, c.path.id(), Action::kViewTicket));
  const bool notes = CanSeeMessage(*c.who, MessageKind::kNote);
  SF_ASSIGN_OR_RETURN(auto messages, store_.ListMessages(s.ticket.id, notes));
  SF_ASSIGN_OR_RETURN(AgentNames authors, AgentNamesOf(MessageAuthors(messages)));
  json::monotonic_resource mr;
  json::array items(&mr);
  for (const auto& m : messages) items.push_back(RenderMessage(m, authors, &mr));
  return JsonResponse(json::object({{"items", std::move(items)}}, &mr));
}

Result<Response> Api::PostMessage(const Call& c) {
  SF_ASSIGN_OR_RETURN(MessageInput in, ParseMessageInput(c.req, options_.max_attachment_bytes));
  NewMessage m;
  Action action;
  if (c.who->is_customer()) {
    if (in.kind && *in.kind != "customer") {
      return Status::InvalidArgument("kind", "customers write messages of kind 'customer'");
    }
    m.kind = MessageKind::kCustomer;
    action = Action::kPostCustomerMessage;
  } else {
    if (!in.kind) return Status::InvalidArgument("kind", "is required: 'reply' or 'note'");
    if (*in.kind == "reply") {
      m.kind = MessageKind::kReply;
      action = Action::kReply;
    } else if (*in.kind == "note") {
      m.kind = MessageKind::kNote;
      action = Action::kNote;
    } else {
      return Status::InvalidArgument("kind", "'" + *in.kind + "' is not one of reply, note");
    }
  }
  bool then_pending = false;
  if (in.status && c.who->is_customer()) {
    return Status::InvalidArgument("status", "is set by the team, not by customers");
  }
  if (in.status) {
    if (*in.status == "pending") {
      then_pending = true;
    } else if (*in.status != "open") {
      return Status::InvalidArgument("status", "after a reply, status is 'open' or 'pending'");
    }
  }
  SF_RETURN_IF_ERROR(ValidateBody(in.body, options_.max_message_bytes, "body"));
  SF_RETURN_IF_ERROR(ReadPromiseFields(in, options_.sla->calendar, clock_.Now(), m));
  m.body = std::move(in.body);
  m.attachments = std::move(in.attachments);
  if (m.kind == MessageKind::kCustomer) {
    SF_ASSIGN_OR_RETURN(Customer me, store_.GetCustomer(c.who->id));
    m.chase = engine::DetectChase(m.body, me.language).is_chase;
  }
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(
      auto w, Modify(c, c.path.id(), action, [&](const TicketState& s) -> Result<Change> {
        if (m.keeps_promise) {
          // Keeping a promise is changing it: its maker, the owner or a lead.
          const auto p = std::find_if(s.promises.begin(), s.promises.end(),
                                      [&](const Promise& o) { return o.id == *m.keeps_promise; });
          SF_RETURN_IF_ERROR(
              Authorize(*c.who, Action::kManagePromise,
                        {.ticket = &s.ticket, .promise = p == s.promises.end() ? nullptr : &*p}));
        }
        return AddMessage(s, *c.who, m, then_pending, now);
      }));
  SF_ASSIGN_OR_RETURN(json::value out, WriteJson(w, *c.who));
  return Created(out);
}

Result<Response> Api::ListEvents(const Call& c) {
  SF_ASSIGN_OR_RETURN(auto s, LoadAuthorized(c, c.path.id(), Action::kViewInternal));
  SF_ASSIGN_OR_RETURN(auto events, store_.ListEvents(s.ticket.id));
  json::monotonic_resource mr;
  json::array items(&mr);
  for (const auto& e : events) items.push_back(RenderEvent(e, &mr));
  return JsonResponse(json::object({{"items", std::move(items)}}, &mr));
}

Result<Response> Api::ProposeHandoff(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"to_agent_id", "note"}));
  SF_ASSIGN_OR_RETURN(int64_t to, f.RequiredInt("to_agent_id"));
  SF_ASSIGN_OR_RETURN(std::string note, f.RequiredString("note"));
  SF_RETURN_IF_ERROR(ValidateBody(note, options_.max_message_bytes, "note"));
  SF_RETURN_IF_ERROR(LoadAuthorized(c, c.path.id(), Action::kProposeHandoff).status());
  SF_RETURN_IF_ERROR(RequireActiveAgent(to, "to_agent_id"));
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kProposeHandoff, [&](const auto& s) {
                        return domain::ProposeHandoff(s, *c.who, to, note, now);
                      }));
  return Created(RenderHandoff(*w.state.pending_handoff));
}

Result<Response> Api::AnswerHandoff(const Call& c, bool accept) {
  std::string reason;
  if (!accept) {
    SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
    JsonFields f(obj);
    SF_RETURN_IF_ERROR(f.OnlyAllowed({"reason"}));
    SF_ASSIGN_OR_RETURN(reason, f.RequiredString("reason"));
    SF_RETURN_IF_ERROR(ValidateBody(reason, options_.max_message_bytes, "reason"));
  }
  const HandoffId id = c.path.id();
  const Status hidden = Status::NotFound("handoff " + std::to_string(id) + " not found");
  // Handoffs are internal: a customer learns nothing, not even whether one exists.
  if (c.who->is_customer()) return hidden;
  SF_ASSIGN_OR_RETURN(Handoff h, store_.GetHandoff(id));
  const Timestamp now = clock_.Now();
  const Principal who = *c.who;
  SF_ASSIGN_OR_RETURN(
      auto w, store_.ModifyTicket(h.ticket_id, [&](const TicketState& s) -> Result<Change> {
        if (!s.pending_handoff || s.pending_handoff->id != id) {
          return Status::Conflict("this handoff is no longer pending");
        }
        SF_RETURN_IF_ERROR(Authorize(who, Action::kAnswerHandoff,
                                     {.ticket = &s.ticket, .handoff = &*s.pending_handoff}));
        if (accept) return AcceptHandoff(s, who, id, now);
        return DeclineHandoff(s, who, id, reason, now);
      }));
  SF_ASSIGN_OR_RETURN(Handoff after, store_.GetHandoff(id));
  SF_ASSIGN_OR_RETURN(json::value ticket, TicketJson(w.state, *c.who));
  return JsonResponse(json::object{{"handoff", RenderHandoff(after)}, {"ticket", ticket}});
}

Result<Response> Api::TakeTicket(const Call& c) {
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kTakeOwnership,
                                     [&](const auto& s) { return TakeOwnership(s, *c.who, now); }));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(w.state, *c.who));
  return JsonResponse(out);
}

Result<Response> Api::AssignTicket(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"agent_id", "note"}));
  SF_ASSIGN_OR_RETURN(int64_t to, f.RequiredInt("agent_id"));
  SF_ASSIGN_OR_RETURN(std::string note, f.RequiredString("note"));
  SF_RETURN_IF_ERROR(ValidateBody(note, options_.max_message_bytes, "note"));
  SF_RETURN_IF_ERROR(LoadAuthorized(c, c.path.id(), Action::kReassign).status());
  SF_RETURN_IF_ERROR(RequireActiveAgent(to, "agent_id"));
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kReassign, [&](const auto& s) {
                        return Reassign(s, *c.who, to, note, now);
                      }));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(w.state, *c.who));
  return JsonResponse(out);
}

Result<Response> Api::ResolveTicket(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"outcome", "statement", "alternatives", "duplicate_of"}));
  SF_ASSIGN_OR_RETURN(std::string outcome, f.RequiredString("outcome"));
  ResolutionInput in;
  auto parsed = ParseOutcome(outcome);
  if (!parsed) {
    return Status::InvalidArgument(
        "outcome", "'" + outcome + "' is not one of " + std::string(AllowedOutcomes()));
  }
  in.outcome = *parsed;
  SF_ASSIGN_OR_RETURN(auto statement, f.String("statement"));
  in.statement = statement.value_or("");
  if (in.statement.size() > options_.max_message_bytes) {
    return Status::InvalidArgument("statement", "is too long");
  }
  SF_ASSIGN_OR_RETURN(auto alternatives, f.StringArray("alternatives"));
  in.alternatives = alternatives.value_or(std::vector<std::string>{});
  SF_ASSIGN_OR_RETURN(in.duplicate_of, f.Int("duplicate_of"));
  SF_ASSIGN_OR_RETURN(TicketState current, LoadAuthorized(c, c.path.id(), Action::kResolve));
  // The customer is told the outcome by email, at the address they use first.
  SF_ASSIGN_OR_RETURN(Customer customer, store_.GetCustomer(current.ticket.customer_id));
  if (!customer.emails.empty()) in.notify_email = customer.emails.front();
  if (in.duplicate_of) {
    auto other = LoadAuthorized(c, *in.duplicate_of, Action::kViewTicket);
    if (!other.ok()) {
      return Status::InvalidArgument("duplicate_of",
                                     "no ticket " + std::to_string(*in.duplicate_of));
    }
  }
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kResolve,
                                     [&](const auto& s) { return Resolve(s, *c.who, in, now); }));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(w.state, *c.who));
  return JsonResponse(out);
}

Result<Response> Api::ReopenTicket(const Call& c) {
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(auto w, Modify(c, c.path.id(), Action::kReopen,
                                     [&](const auto& s) { return Reopen(s, *c.who, now); }));
  SF_ASSIGN_OR_RETURN(json::value out, TicketJson(w.state, *c.who));
  return JsonResponse(out);
}

namespace {

// "[[word]]" markers from the store become <mark>; everything else is HTML-escaped.
std::string SnippetHtml(std::string_view snippet) {
  std::string out;
  size_t pos = 0;
  while (pos < snippet.size()) {
    const size_t open = snippet.find("[[", pos);
    const size_t close = snippet.find("]]", pos);
    const size_t next = std::min(open, close);
    AppendHtmlEscaped(out, snippet.substr(pos, next - pos));
    if (next == std::string_view::npos) break;
    out += next == open ? "<mark>" : "</mark>";
    pos = next + 2;
  }
  return out;
}

std::string SnippetText(std::string_view snippet) {
  std::string out;
  for (size_t i = 0; i < snippet.size(); ++i) {
    if (snippet.compare(i, 2, "[[") == 0 || snippet.compare(i, 2, "]]") == 0) {
      ++i;
      continue;
    }
    out += snippet[i];
  }
  return out;
}

}  // namespace

Result<Response> Api::Search(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kSearch));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"q", "status", "limit"}));
  const auto q = c.query.Get("q");
  if (!q || Trim(*q).empty()) return Status::InvalidArgument("q", "is required");
  std::optional<TicketStatus> status;
  if (auto s = c.query.Get("status")) {
    status = ParseTicketStatus(*s);
    if (!status) {
      return Status::InvalidArgument(
          "status", "'" + *s + "' is not one of " + std::string(AllowedTicketStatuses()));
    }
  }
  SF_ASSIGN_OR_RETURN(int limit, c.query.Limit(kDefaultLimit, kMaxLimit));
  SF_ASSIGN_OR_RETURN(auto hits, store_.Search(*q, status, limit));
  json::array items;
  for (const auto& h : hits) {
    items.push_back(json::object{{"ticket", RenderTicket(h.ticket)},
                                 {"snippet", SnippetText(h.snippet)},
                                 {"snippet_html", SnippetHtml(h.snippet)},
                                 {"score", h.score}});
  }
  return JsonResponse(json::object{{"items", std::move(items)}});
}

namespace {

// An ASCII-only fallback name plus the RFC 5987 UTF-8 name.
std::string ContentDisposition(std::string_view filename) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char ch : filename) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                       (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
    ascii += plain ? static_cast<char>(ch) : '_';
    if (plain) {
      encoded += static_cast<char>(ch);
    } else {
      encoded += '%';
      encoded += kHex[ch >> 4];
      encoded += kHex[ch & 0xF];
    }
  }
  if (ascii.empty()) ascii = "attachment";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

Result<Response> Api::GetAttachment(const Call& c) {
  SF_ASSIGN_OR_RETURN(Attachment a, store_.GetAttachment(c.path.id()));
  auto s = LoadAuthorized(c, a.ticket_id, Action::kViewTicket);
  if (!s.ok()) {
    if (s.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("attachment " + std::to_string(a.id) + " not found");
    }
    return s.status();
  }
  if (!CanSeeMessage(*c.who, MessageKind::kNote)) {
    SF_ASSIGN_OR_RETURN(auto visible, store_.ListMessages(a.ticket_id, false));
    bool found = false;
    for (const auto& m : visible) found = found || m.id == a.message_id;
    if (!found) return Status::NotFound("attachment " + std::to_string(a.id) + " not found");
  }
  SF_ASSIGN_OR_RETURN(std::string data, store_.ReadBlob(a.sha256));
  Response r;
  r.body = std::move(data);
  r.SetHeader("Content-Type", a.content_type);
  r.SetHeader("Content-Disposition", ContentDisposition(a.filename));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Content-Security-Policy", "sandbox; default-src 'none'");
  r.SetHeader("Cache-Control", "private, max-age=3600");
  return r;
}

}  // namespace steadfast::http
