#include "http/render.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <climits>

#include "domain/permissions.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

json::value OptId(const std::optional<int64_t>& id) {
  if (id.has_value()) return *id;
  return nullptr;
}

json::value Time(Timestamp t, json::storage_ptr sp = {}) {
  char buf[32];
  const size_t n = FormatIso8601(t, buf);
  return json::string(std::string_view(buf, n), std::move(sp));
}

json::array Strings(const std::vector<std::string>& v, json::storage_ptr sp = {}) {
  json::array out(std::move(sp));
  out.reserve(v.size());
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

std::string_view ClockState(const SlaClock& c) {
  if (!c.due_at.has_value()) return "paused";
  if (c.breached) return "breached";
  return c.warned ? "warning" : "ok";
}

json::value RenderSlaClock(const SlaClock& c, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(5);
  o.emplace("kind", Name(c.kind));
  o.emplace("due_at", c.due_at ? Time(*c.due_at, sp) : json::value(nullptr, sp));
  o.emplace("warn_at", c.warn_at ? Time(*c.warn_at, sp) : json::value(nullptr, sp));
  o.emplace("state", ClockState(c));
  o.emplace("remaining_minutes", c.remaining_ms / 60000);
  return o;
}

// The distinct ids in `ids`.
std::vector<AgentId> Distinct(std::vector<AgentId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

std::vector<AgentId> MessageAuthors(const std::vector<Message>& messages) {
  std::vector<AgentId> ids;
  for (const Message& m : messages) {
    if (m.author.kind == Actor::Kind::kAgent) ids.push_back(m.author.id);
  }
  return Distinct(std::move(ids));
}

std::vector<AgentId> PageOwners(const storage::TicketPage& page) {
  std::vector<AgentId> ids;
  for (const Ticket& t : page.items) {
    if (t.owner_id) ids.push_back(*t.owner_id);
  }
  return Distinct(std::move(ids));
}

json::value RenderSla(const Ticket& t, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(3);
  o.emplace("policy",
            t.sla.policy.empty() ? json::value(nullptr, sp) : json::value(t.sla.policy, sp));
  json::array clocks(sp);
  const SlaClock* next = nullptr;
  // A resolved ticket's paused resolution clock is bookkeeping for a reopening, not a deadline.
  if (t.status != TicketStatus::kResolved && t.status != TicketStatus::kClosed) {
    for (const SlaClock& c : t.sla.clocks) {
      clocks.push_back(RenderSlaClock(c, sp));
      if (next == nullptr || (c.due_at && (!next->due_at || *c.due_at < *next->due_at))) {
        next = &c;
      }
    }
  }
  if (next != nullptr) {
    json::object n(sp);
    n.reserve(3);
    n.emplace("kind", Name(next->kind));
    n.emplace("due_at", next->due_at ? Time(*next->due_at, sp) : json::value(nullptr, sp));
    n.emplace("state", ClockState(*next));
    o.emplace("next", std::move(n));
  } else {
    o.emplace("next", nullptr);
  }
  o.emplace("clocks", std::move(clocks));
  return o;
}

json::value RenderActor(const Actor& a, json::storage_ptr sp) {
  return json::object({{"kind", Name(a.kind)}, {"id", a.id}}, std::move(sp));
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

json::value RenderTicket(const Ticket& t, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(19);
  o.emplace("id", t.id);
  o.emplace("number", t.number);
  o.emplace("subject", t.subject);
  o.emplace("customer_id", t.customer_id);
  o.emplace("company_id", OptId(t.company_id));
  o.emplace("owner", OptId(t.owner_id));
  o.emplace("team_id", OptId(t.team_id));
  o.emplace("status", Name(t.status));
  o.emplace("priority", Name(t.priority));
  o.emplace("tags", Strings(t.tags, sp));
  o.emplace("channel", Name(t.channel));
  o.emplace("created_at", Time(t.created_at, sp));
  o.emplace("updated_at", Time(t.updated_at, sp));
  o.emplace("version", t.version);
  o.emplace("waiting_since",
            t.waiting_since ? Time(*t.waiting_since, sp) : json::value(nullptr, sp));
  o.emplace("chases", t.chases);
  o.emplace("sla", RenderSla(t, sp));
  if (t.resolution.has_value()) {
    const Resolution& r = *t.resolution;
    json::object res(sp);
    res.reserve(6);
    res.emplace("outcome", Name(r.outcome));
    res.emplace("statement", r.statement);
    res.emplace("alternatives", Strings(r.alternatives, sp));
    res.emplace("duplicate_of", OptId(r.duplicate_of));
    res.emplace("resolved_by", r.resolved_by);
    res.emplace("resolved_at", Time(r.resolved_at, sp));
    o.emplace("resolution", std::move(res));
  } else {
    o.emplace("resolution", nullptr);
  }
  return o;
}

void HideInternal(json::object& ticket, const Principal& viewer) {
  if (!viewer.is_customer()) return;
  ticket["tags"] = json::array(ticket.storage());
  ticket["team_id"] = nullptr;
}

json::value RenderTicket(const TicketState& s, const Principal& viewer,
                         const std::optional<std::string>& owner_name) {
  json::value v = RenderTicket(s.ticket);
  HideInternal(v.as_object(), viewer);
  v.as_object()["owner_name"] = owner_name ? json::value(*owner_name) : json::value(nullptr);
  const bool show = s.pending_handoff.has_value() && CanSeeMessage(viewer, MessageKind::kNote);
  v.as_object()["pending_handoff"] =
      show ? RenderHandoff(*s.pending_handoff) : json::value(nullptr);
  json::array promises;
  for (const Promise& p : s.promises) promises.push_back(RenderPromise(p));
  v.as_object()["promises"] = std::move(promises);
  return v;
}

json::value RenderPromise(const Promise& p) {
  return json::object{{"id", p.id},
                      {"ticket_id", p.ticket_id},
                      {"owner_id", p.owner_id},
                      {"text", p.text},
                      {"due_at", Time(p.due_at)},
                      {"state", Name(p.state)},
                      {"message_id", p.message_id},
                      {"kept_by", OptId(p.kept_by)},
                      {"missed", p.missed},
                      {"renegotiations", p.renegotiations},
                      {"reminded_at", p.reminded_at ? Time(*p.reminded_at) : json::value(nullptr)},
                      {"created_at", Time(p.created_at)},
                      {"settled_at", p.settled_at ? Time(*p.settled_at) : json::value(nullptr)}};
}

json::value RenderAttachment(const Attachment& a, json::storage_ptr sp) {
  return json::object({{"id", a.id},
                       {"filename", a.filename},
                       {"content_type", a.content_type},
                       {"size", a.size},
                       {"sha256", a.sha256},
                       {"url", "/api/v1/attachments/" + std::to_string(a.id)}},
                      std::move(sp));
}

namespace {

// The message's HTML with its inline images pointing at their attachments: the intake writes an
// inline image as src="sha256:<hex>" (the content address of the attachment it became).
std::string LinkInlineImages(const Message& m) {
  constexpr std::string_view kMark = "src=\"sha256:";
  if (m.html.find(kMark) == std::string::npos) return m.html;
  std::string out;
  out.reserve(m.html.size());
  size_t from = 0;
  for (size_t at = m.html.find(kMark); at != std::string::npos; at = m.html.find(kMark, from)) {
    const size_t hex = at + kMark.size();
    const size_t end = m.html.find('"', hex);
    if (end == std::string::npos) break;
    const std::string_view sha = std::string_view(m.html).substr(hex, end - hex);
    out.append(m.html, from, at - from);
    auto it = std::find_if(m.attachments.begin(), m.attachments.end(),
                           [&](const Attachment& a) { return a.sha256 == sha; });
    // An image whose attachment was not kept (too large) shows as a broken image, loading nothing.
    out += "src=\"";
    if (it != m.attachments.end()) out += "/api/v1/attachments/" + std::to_string(it->id);
    out += '"';
    from = end + 1;
  }
  out.append(m.html, from, std::string::npos);
  return out;
}

}  // namespace

json::value RenderMessage(const Message& m, const AgentNames& names, json::storage_ptr sp) {
  json::array atts(sp);
  for (const auto& a : m.attachments) atts.push_back(RenderAttachment(a, sp));
  json::object o(sp);
  o.reserve(13);
  o.emplace("id", m.id);
  o.emplace("ticket_id", m.ticket_id);
  o.emplace("kind", Name(m.kind));
  o.emplace("author", RenderActor(m.author, sp));
  const auto name = m.author.kind == Actor::Kind::kAgent ? names.find(m.author.id) : names.end();
  o.emplace("author_name",
            name != names.end() ? json::value(name->second, sp) : json::value(nullptr));
  o.emplace("body", m.body);
  o.emplace("created_at", Time(m.created_at, sp));
  o.emplace("attachments", std::move(atts));
  o.emplace("from_address",
            m.from_address.empty() ? json::value(nullptr) : json::value(m.from_address, sp));
  o.emplace("html", m.html.empty() ? json::value(nullptr) : json::value(LinkInlineImages(m), sp));
  o.emplace("quoted", m.quoted.empty() ? json::value(nullptr) : json::value(m.quoted, sp));
  o.emplace("chase", m.chase);
  return o;
}

json::value RenderEvent(const Event& e, json::storage_ptr sp) {
  json::array changes(sp);
  for (const auto& c : e.changes) {
    changes.push_back(
        json::object({{"field", c.field}, {"before", c.before}, {"after", c.after}}, sp));
  }
  json::object o(sp);
  o.reserve(7);
  o.emplace("id", e.id);
  o.emplace("ticket_id", e.ticket_id);
  o.emplace("type", e.type);
  o.emplace("actor", RenderActor(e.actor, sp));
  o.emplace("at", Time(e.at, sp));
  o.emplace("changes", std::move(changes));
  o.emplace("note", e.note);
  return o;
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

json::value RenderCustomerFor(const Customer& c, const Principal& viewer) {
  json::value v = RenderCustomer(c);
  if (viewer.is_customer()) v.as_object()["notes"] = "";
  return v;
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

json::value RenderTicketPage(const storage::TicketPage& page, const AgentNames& owners,
                             storage::TicketSort sort, json::storage_ptr sp) {
  json::array items(sp);
  items.reserve(page.items.size());
  for (const auto& t : page.items) {
    json::value v = RenderTicket(t, sp);
    json::object customer(sp);
    customer.emplace("id", t.customer_id);
    auto it = page.customers.find(t.customer_id);
    customer.emplace("name", it != page.customers.end() ? it->second.name : std::string());
    customer.emplace("email", it != page.customers.end() ? it->second.email : std::string());
    v.as_object().emplace("customer", std::move(customer));
    const auto owner = t.owner_id ? owners.find(*t.owner_id) : owners.end();
    v.as_object().emplace("owner_name", owner != owners.end() ? json::value(owner->second, sp)
                                                              : json::value(nullptr));
    items.push_back(std::move(v));
  }
  return json::object(
      {{"items", std::move(items)},
       {"next_cursor",
        page.next ? json::value(FormatTicketCursor(*page.next, sort), sp) : json::value(nullptr)}},
      sp);
}

namespace {

bool SortHasKey(storage::TicketSort sort) {
  return sort == storage::TicketSort::kLastActivity || sort == storage::TicketSort::kPriority ||
         sort == storage::TicketSort::kSlaDue;
}

// A decimal integer filling all of `text`, within [min, max].
std::optional<int64_t> WholeInt(std::string_view text, int64_t min, int64_t max) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

Result<storage::TicketSort> ParseTicketSort(std::string_view text) {
  if (text == "newest") return storage::TicketSort::kNewest;
  if (text == "oldest") return storage::TicketSort::kOldest;
  if (text == "last_activity") return storage::TicketSort::kLastActivity;
  if (text == "priority") return storage::TicketSort::kPriority;
  if (text == "sla_due") return storage::TicketSort::kSlaDue;
  return Status::InvalidArgument("sort", "'" + std::string(text) +
                                             "' is not one of newest, oldest, last_activity, "
                                             "priority, sla_due");
}

std::string FormatTicketCursor(const storage::TicketCursor& c, storage::TicketSort sort) {
  if (!SortHasKey(sort)) return std::to_string(c.id);
  return std::to_string(c.key) + "." + std::to_string(c.id);
}

Result<storage::TicketCursor> ParseTicketCursor(std::string_view text, storage::TicketSort sort) {
  const Status bad = Status::InvalidArgument(
      "cursor",
      "is not a cursor of this list: pass next_cursor from the previous page (same sort)");
  storage::TicketCursor c;
  std::string_view id_text = text;
  if (SortHasKey(sort)) {
    const size_t dot = text.find('.');
    if (dot == std::string_view::npos) return bad;
    const int64_t max_key = sort == storage::TicketSort::kPriority ? 3 : INT64_MAX;
    auto key = WholeInt(text.substr(0, dot), 0, max_key);
    if (!key) return bad;
    c.key = *key;
    id_text = text.substr(dot + 1);
  }
  auto id = WholeInt(id_text, 1, INT64_MAX);
  if (!id) return bad;
  c.id = *id;
  return c;
}

}  // namespace steadfast::http
