#include "http/render.h"

#include <boost/json.hpp>

#include "domain/permissions.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

json::value OptId(const std::optional<int64_t>& id) {
  if (id.has_value()) return *id;
  return nullptr;
}

json::value Time(Timestamp t) { return json::string(FormatIso8601(t)); }

json::array Strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

}  // namespace

json::value RenderActor(const Actor& a) {
  return json::object{{"kind", Name(a.kind)}, {"id", a.id}};
}

json::value RenderHandoff(const Handoff& h) {
  json::object o{{"id", h.id},
                 {"ticket_id", h.ticket_id},
                 {"from_agent_id", h.from_agent_id},
                 {"to_agent_id", h.to_agent_id},
                 {"note", h.note},
                 {"state", Name(h.state)},
                 {"created_at", Time(h.created_at)}};
  o["decline_reason"] =
      h.decline_reason.empty() ? json::value(nullptr) : json::value(h.decline_reason);
  o["answered_at"] = h.answered_at ? Time(*h.answered_at) : json::value(nullptr);
  return o;
}

json::value RenderTicket(const Ticket& t) {
  json::object o{{"id", t.id},
                 {"number", t.number},
                 {"subject", t.subject},
                 {"customer_id", t.customer_id},
                 {"company_id", OptId(t.company_id)},
                 {"owner", OptId(t.owner_id)},
                 {"team_id", OptId(t.team_id)},
                 {"status", Name(t.status)},
                 {"priority", Name(t.priority)},
                 {"tags", Strings(t.tags)},
                 {"channel", Name(t.channel)},
                 {"created_at", Time(t.created_at)},
                 {"updated_at", Time(t.updated_at)},
                 {"version", t.version}};
  if (t.resolution.has_value()) {
    const Resolution& r = *t.resolution;
    o["resolution"] = json::object{{"outcome", Name(r.outcome)},
                                   {"statement", r.statement},
                                   {"alternatives", Strings(r.alternatives)},
                                   {"duplicate_of", OptId(r.duplicate_of)},
                                   {"resolved_by", r.resolved_by},
                                   {"resolved_at", Time(r.resolved_at)}};
  } else {
    o["resolution"] = nullptr;
  }
  return o;
}

json::value RenderTicket(const TicketState& s, const Principal& viewer) {
  json::value v = RenderTicket(s.ticket);
  const bool show = s.pending_handoff.has_value() && CanSeeMessage(viewer, MessageKind::kNote);
  v.as_object()["pending_handoff"] =
      show ? RenderHandoff(*s.pending_handoff) : json::value(nullptr);
  return v;
}

json::value RenderAttachment(const Attachment& a) {
  return json::object{{"id", a.id},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"url", "/api/v1/attachments/" + std::to_string(a.id)}};
}

json::value RenderMessage(const Message& m) {
  json::array atts;
  for (const auto& a : m.attachments) atts.push_back(RenderAttachment(a));
  return json::object{{"id", m.id},
                      {"ticket_id", m.ticket_id},
                      {"kind", Name(m.kind)},
                      {"author", RenderActor(m.author)},
                      {"body", m.body},
                      {"created_at", Time(m.created_at)},
                      {"attachments", std::move(atts)}};
}

json::value RenderEvent(const Event& e) {
  json::array changes;
  for (const auto& c : e.changes) {
    changes.push_back(json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  return json::object{{"id", e.id},       {"ticket_id", e.ticket_id},
                      {"type", e.type},   {"actor", RenderActor(e.actor)},
                      {"at", Time(e.at)}, {"changes", std::move(changes)},
                      {"note", e.note}};
}

json::value RenderCustomer(const Customer& c) {
  return json::object{{"id", c.id},
                      {"name", c.name},
                      {"emails", Strings(c.emails)},
                      {"company_id", OptId(c.company_id)},
                      {"timezone", c.timezone},
                      {"language", c.language},
                      {"notes", c.notes},
                      {"created_at", Time(c.created_at)},
                      {"updated_at", Time(c.updated_at)},
                      {"version", c.version}};
}

json::value RenderAgent(const Agent& a) {
  json::array teams;
  for (TeamId t : a.teams) teams.emplace_back(t);
  return json::object{{"id", a.id},
                      {"name", a.name},
                      {"email", a.email},
                      {"role", Name(a.role)},
                      {"teams", teams},
                      {"active", a.active},
                      {"created_at", Time(a.created_at)}};
}

json::value RenderTeam(const Team& t) {
  return json::object{{"id", t.id}, {"name", t.name}, {"created_at", Time(t.created_at)}};
}

}  // namespace steadfast::http
