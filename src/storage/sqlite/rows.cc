#include "storage/sqlite/rows.h"

#include <boost/json.hpp>

#include "common/crypto.h"
#include "common/text.h"
#include "domain/notifications.h"

namespace steadfast::storage::sqlite {

namespace json = boost::json;
using namespace domain;  // NOLINT: row mapping names most domain types.

const char kTicketColumns[] =
    "id, number, subject, customer_id, company_id, owner_id, team_id, status, priority, tags, "
    "channel, created_at, updated_at, version, outcome, statement, alternatives, duplicate_of, "
    "resolved_by, resolved_at, waiting_since, silence_raised_at, chases, followup_asked_at, sla, "
    "sla_next_at, sla_alarm, sla_due_at";

std::optional<int64_t> SlaDueAt(const SlaState& s) {
  std::optional<int64_t> due;
  for (const SlaClock& k : s.clocks) {
    if (k.due_at && (!due || k.due_at->millis < *due)) due = k.due_at->millis;
  }
  return due;
}

namespace {

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> SplitTags(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (auto piece : Split(s, ',')) out.emplace_back(piece);
  return out;
}

std::string ChangesJson(const std::vector<FieldChange>& changes) {
  json::array arr;
  for (const auto& c : changes) {
    arr.push_back(json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  return json::serialize(arr);
}

std::vector<FieldChange> ParseChanges(const std::string& text) {
  std::vector<FieldChange> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    FieldChange c;
    if (auto* p = o.if_contains("field"); p && p->is_string()) c.field = p->as_string().c_str();
    if (auto* p = o.if_contains("before"); p && p->is_string()) c.before = p->as_string().c_str();
    if (auto* p = o.if_contains("after"); p && p->is_string()) c.after = p->as_string().c_str();
    out.push_back(std::move(c));
  }
  return out;
}

std::string AlternativesJson(const std::vector<std::string>& alts) {
  json::array arr;
  for (const auto& a : alts) arr.emplace_back(a);
  return json::serialize(arr);
}

std::vector<std::string> ParseAlternatives(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string().c_str());
  }
  return out;
}

json::value OptTime(const std::optional<Timestamp>& t) {
  return t ? json::value(t->millis) : json::value(nullptr);
}

std::optional<Timestamp> ReadOptTime(const json::object& o, std::string_view key) {
  const auto* p = o.if_contains(key);
  if (p == nullptr || !p->is_int64()) return std::nullopt;
  return Timestamp{p->as_int64()};
}

int64_t ReadInt(const json::object& o, std::string_view key) {
  const auto* p = o.if_contains(key);
  return p != nullptr && p->is_int64() ? p->as_int64() : 0;
}

bool ReadBool(const json::object& o, std::string_view key) {
  const auto* p = o.if_contains(key);
  return p != nullptr && p->is_bool() && p->as_bool();
}

// The SLA bookkeeping as one JSON text; "" while not computed.
std::string SlaJson(const SlaState& s) {
  if (!s.computed) return "";
  json::array clocks;
  for (const SlaClock& k : s.clocks) {
    clocks.push_back(json::object{{"kind", static_cast<int64_t>(k.kind)},
                                  {"due", OptTime(k.due_at)},
                                  {"warn", OptTime(k.warn_at)},
                                  {"left", k.remaining_ms},
                                  {"warned", k.warned},
                                  {"breached", k.breached}});
  }
  return json::serialize(json::object{{"policy", s.policy},
                                      {"first_reply", OptTime(s.first_replied_at)},
                                      {"running", OptTime(s.running_since)},
                                      {"used", s.used_ms},
                                      {"next_since", OptTime(s.next_reply_since)},
                                      {"silence", OptTime(s.silence_at)},
                                      {"clocks", std::move(clocks)}});
}

SlaState ParseSla(const std::string& text, std::optional<int64_t> next_at) {
  SlaState s;
  boost::system::error_code ec;
  json::value v = text.empty() ? json::value() : json::parse(text, ec);
  if (ec || !v.is_object()) return s;
  const json::object& o = v.as_object();
  s.computed = true;
  if (const auto* p = o.if_contains("policy"); p && p->is_string()) {
    s.policy = p->as_string().c_str();
  }
  s.first_replied_at = ReadOptTime(o, "first_reply");
  s.running_since = ReadOptTime(o, "running");
  s.used_ms = ReadInt(o, "used");
  s.next_reply_since = ReadOptTime(o, "next_since");
  s.silence_at = ReadOptTime(o, "silence");
  if (const auto* p = o.if_contains("clocks"); p && p->is_array()) {
    for (const auto& item : p->as_array()) {
      if (!item.is_object()) continue;
      const json::object& c = item.as_object();
      const int64_t kind = ReadInt(c, "kind");
      if (kind < 0 || kind > 2) continue;
      SlaClock k;
      k.kind = static_cast<SlaKind>(kind);
      k.due_at = ReadOptTime(c, "due");
      k.warn_at = ReadOptTime(c, "warn");
      k.remaining_ms = ReadInt(c, "left");
      k.warned = ReadBool(c, "warned");
      k.breached = ReadBool(c, "breached");
      s.clocks.push_back(k);
    }
  }
  if (next_at) s.next_at = Timestamp{*next_at};
  return s;
}

// What queues filter on: 2 when a running clock was breached, 1 when warned, else 0.
int64_t SlaAlarm(const SlaState& s) {
  int64_t alarm = 0;
  for (const SlaClock& k : s.clocks) {
    if (!k.due_at.has_value()) continue;  // Paused: nothing to act on while it waits.
    if (k.breached) return 2;
    if (k.warned) alarm = 1;
  }
  return alarm;
}

Actor::Kind ParseActorKind(const std::string& s) {
  if (s == "agent") return Actor::Kind::kAgent;
  if (s == "customer") return Actor::Kind::kCustomer;
  return Actor::Kind::kSystem;
}

Status BindTicket(Statement& st, const Ticket& t) {
  st.Bind(1, t.id)
      .Bind(2, t.number)
      .Bind(3, t.subject)
      .Bind(4, t.customer_id)
      .Bind(5, t.company_id)
      .Bind(6, t.owner_id)
      .Bind(7, t.team_id)
      .Bind(8, Name(t.status))
      .Bind(9, Name(t.priority))
      .Bind(10, JoinTags(t.tags))
      .Bind(11, Name(t.channel))
      .Bind(12, t.created_at.millis)
      .Bind(13, t.updated_at.millis)
      .Bind(14, t.version);
  if (t.resolution.has_value()) {
    const Resolution& r = *t.resolution;
    st.Bind(15, Name(r.outcome))
        .Bind(16, r.statement)
        .Bind(17, AlternativesJson(r.alternatives))
        .Bind(18, r.duplicate_of)
        .Bind(19, r.resolved_by)
        .Bind(20, r.resolved_at.millis);
  } else {
    for (int i = 15; i <= 20; ++i) st.BindNull(i);
  }
  std::optional<int64_t> waiting;
  if (t.waiting_since) waiting = t.waiting_since->millis;
  std::optional<int64_t> raised;
  if (t.silence_raised_at) raised = t.silence_raised_at->millis;
  std::optional<int64_t> asked;
  if (t.followup_asked_at) asked = t.followup_asked_at->millis;
  st.Bind(21, waiting).Bind(22, raised).Bind(23, int64_t{t.chases}).Bind(24, asked);
  // A ticket whose SLA was never computed (written before SLAs, or imported) is due for the
  // engine at once, which computes it; a resolved or closed one has no clock to run.
  std::optional<int64_t> next_at;
  if (t.sla.computed) {
    if (t.sla.next_at) next_at = t.sla.next_at->millis;
  } else if (t.status != TicketStatus::kResolved && t.status != TicketStatus::kClosed) {
    next_at = 0;
  }
  st.Bind(25, SlaJson(t.sla)).Bind(26, next_at).Bind(27, SlaAlarm(t.sla)).Bind(28, SlaDueAt(t.sla));
  return Status::Ok();
}

Status WriteTags(Connection& conn, const Ticket& before, const Ticket& after, bool is_new) {
  if (!is_new && before.tags == after.tags) return Status::Ok();
  if (!is_new) {
    for (const auto& tag : before.tags) {
      SF_RETURN_IF_ERROR(conn.Prepare("DELETE FROM ticket_tags WHERE tag = ? AND ticket_id = ?")
                             .Bind(1, tag)
                             .Bind(2, after.id)
                             .Run());
    }
  }
  for (const auto& tag : after.tags) {
    SF_RETURN_IF_ERROR(conn.Prepare("INSERT INTO ticket_tags(tag, ticket_id) VALUES(?, ?)")
                           .Bind(1, tag)
                           .Bind(2, after.id)
                           .Run());
  }
  return Status::Ok();
}

Result<Attachment> WriteAttachment(Connection& conn, const NewAttachment& a, MessageId message_id,
                                   TicketId ticket_id) {
  Attachment out;
  out.message_id = message_id;
  out.ticket_id = ticket_id;
  out.filename = a.filename;
  out.content_type = a.content_type;
  out.size = static_cast<int64_t>(a.data.size());
  out.sha256 = Sha256Hex(a.data);
  SF_RETURN_IF_ERROR(conn.Prepare("INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES(?, ?, ?)")
                         .Bind(1, out.sha256)
                         .Bind(2, out.size)
                         .BindBlob(3, a.data)
                         .Run());
  SF_RETURN_IF_ERROR(
      conn.Prepare("INSERT INTO attachments(message_id, ticket_id, filename, content_type, size, "
                   "sha256) VALUES(?, ?, ?, ?, ?, ?)")
          .Bind(1, message_id)
          .Bind(2, ticket_id)
          .Bind(3, out.filename)
          .Bind(4, out.content_type)
          .Bind(5, out.size)
          .Bind(6, out.sha256)
          .Run());
  out.id = conn.LastInsertId();
  return out;
}

}  // namespace

Ticket ReadTicket(const Statement& st, int c) {
  Ticket t;
  t.id = st.Int(c + 0);
  t.number = st.Int(c + 1);
  t.subject = st.Text(c + 2);
  t.customer_id = st.Int(c + 3);
  t.company_id = st.OptInt(c + 4);
  t.owner_id = st.OptInt(c + 5);
  t.team_id = st.OptInt(c + 6);
  t.status = ParseTicketStatus(st.Text(c + 7)).value_or(TicketStatus::kOpen);
  t.priority = ParsePriority(st.Text(c + 8)).value_or(Priority::kNormal);
  t.tags = SplitTags(st.Text(c + 9));
  t.channel = ParseChannel(st.Text(c + 10)).value_or(Channel::kApi);
  t.created_at = Timestamp{st.Int(c + 11)};
  t.updated_at = Timestamp{st.Int(c + 12)};
  t.version = st.Int(c + 13);
  if (!st.IsNull(c + 14)) {
    Resolution r;
    r.outcome = ParseOutcome(st.Text(c + 14)).value_or(Outcome::kSolved);
    r.statement = st.Text(c + 15);
    r.alternatives = ParseAlternatives(st.Text(c + 16));
    r.duplicate_of = st.OptInt(c + 17);
    r.resolved_by = st.Int(c + 18);
    r.resolved_at = Timestamp{st.Int(c + 19)};
    t.resolution = std::move(r);
  }
  if (auto at = st.OptInt(c + 20)) t.waiting_since = Timestamp{*at};
  if (auto at = st.OptInt(c + 21)) t.silence_raised_at = Timestamp{*at};
  t.chases = static_cast<int>(st.Int(c + 22));
  if (auto at = st.OptInt(c + 23)) t.followup_asked_at = Timestamp{*at};
  t.sla = ParseSla(st.Text(c + 24), st.OptInt(c + 25));
  return t;
}

Result<Ticket> LoadTicket(Connection& conn, TicketId id) {
  Statement st =
      conn.Prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = ?");
  st.Bind(1, id);
  if (st.Step()) return ReadTicket(st);
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("ticket " + std::to_string(id) + " not found");
}

Result<Handoff> LoadHandoff(Connection& conn, HandoffId id) {
  Statement st = conn.Prepare(
      "SELECT id, ticket_id, from_agent_id, to_agent_id, note, state, decline_reason, "
      "created_at, answered_at FROM handoffs WHERE id = ?");
  st.Bind(1, id);
  if (!st.Step()) {
    SF_RETURN_IF_ERROR(st.status());
    return Status::NotFound("handoff " + std::to_string(id) + " not found");
  }
  Handoff h;
  h.id = st.Int(0);
  h.ticket_id = st.Int(1);
  h.from_agent_id = st.Int(2);
  h.to_agent_id = st.Int(3);
  h.note = st.Text(4);
  h.state = ParseHandoffState(st.Text(5)).value_or(HandoffState::kDeclined);
  h.decline_reason = st.Text(6);
  h.created_at = Timestamp{st.Int(7)};
  if (auto at = st.OptInt(8)) h.answered_at = Timestamp{*at};
  return h;
}

Result<TicketState> LoadTicketState(Connection& conn, TicketId id) {
  TicketState s;
  SF_ASSIGN_OR_RETURN(s.ticket, LoadTicket(conn, id));
  std::optional<HandoffId> pending;
  {
    Statement st =
        conn.Prepare("SELECT id FROM handoffs WHERE ticket_id = ? AND state = 'proposed'");
    st.Bind(1, id);
    if (st.Step()) pending = st.Int(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  if (pending.has_value()) {
    SF_ASSIGN_OR_RETURN(Handoff h, LoadHandoff(conn, *pending));
    s.pending_handoff = std::move(h);
  }
  SF_ASSIGN_OR_RETURN(s.promises, LoadOwedPromises(conn, id));
  return s;
}

Result<Customer> LoadCustomer(Connection& conn, CustomerId id) {
  Customer c;
  {
    Statement st = conn.Prepare(
        "SELECT id, name, company_id, timezone, language, notes, created_at, updated_at, version "
        "FROM customers WHERE id = ?");
    st.Bind(1, id);
    if (!st.Step()) {
      SF_RETURN_IF_ERROR(st.status());
      return Status::NotFound("customer " + std::to_string(id) + " not found");
    }
    c.id = st.Int(0);
    c.name = st.Text(1);
    c.company_id = st.OptInt(2);
    c.timezone = st.Text(3);
    c.language = st.Text(4);
    c.notes = st.Text(5);
    c.created_at = Timestamp{st.Int(6)};
    c.updated_at = Timestamp{st.Int(7)};
    c.version = st.Int(8);
  }
  Statement st =
      conn.Prepare("SELECT email FROM customer_emails WHERE customer_id = ? ORDER BY position");
  st.Bind(1, id);
  while (st.Step()) c.emails.push_back(st.Text(0));
  SF_RETURN_IF_ERROR(st.status());
  return c;
}

Result<Agent> LoadAgent(Connection& conn, AgentId id) {
  Agent a;
  {
    Statement st =
        conn.Prepare("SELECT id, name, email, role, active, created_at FROM agents WHERE id = ?");
    st.Bind(1, id);
    if (!st.Step()) {
      SF_RETURN_IF_ERROR(st.status());
      return Status::NotFound("agent " + std::to_string(id) + " not found");
    }
    a.id = st.Int(0);
    a.name = st.Text(1);
    a.email = st.Text(2);
    a.role = ParseRole(st.Text(3)).value_or(Role::kAgent);
    a.active = st.Int(4) != 0;
    a.created_at = Timestamp{st.Int(5)};
  }
  Statement st = conn.Prepare("SELECT team_id FROM agent_teams WHERE agent_id = ? ORDER BY 1");
  st.Bind(1, id);
  while (st.Step()) a.teams.push_back(st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  return a;
}

std::string CustomerSearchText(const Customer& c) {
  std::string out = c.name;
  for (const auto& e : c.emails) {
    out += ' ';
    out += e;
  }
  return out;
}

Status InsertMessage(Connection& conn, Message& m) {
  SF_RETURN_IF_ERROR(
      conn.Prepare("INSERT INTO messages(ticket_id, kind, author_kind, author_id, body, "
                   "created_at, from_address, html, quoted, chase) VALUES(?,?,?,?,?,?,?,?,?,?)")
          .Bind(1, m.ticket_id)
          .Bind(2, Name(m.kind))
          .Bind(3, Name(m.author.kind))
          .Bind(4, m.author.id)
          .Bind(5, m.body)
          .Bind(6, m.created_at.millis)
          .Bind(7, m.from_address)
          .Bind(8, m.html)
          .Bind(9, m.quoted)
          .Bind(10, int64_t{m.chase ? 1 : 0})
          .Run());
  m.id = conn.LastInsertId();
  conn.DeferIndexWrite("INSERT INTO message_search(rowid, body) VALUES(?1, ?2)", m.id, {m.body});
  return Status::Ok();
}

Status InsertEvent(Connection& conn, Event& e, const Ticket& after) {
  const std::optional<AgentId> concerns = domain::ConcernedAgent(e, after);
  SF_RETURN_IF_ERROR(
      conn.Prepare("INSERT INTO ticket_events(ticket_id, type, actor_kind, actor_id, at, "
                   "changes, note, concerns_agent_id) VALUES(?,?,?,?,?,?,?,?)")
          .Bind(1, e.ticket_id)
          .Bind(2, e.type)
          .Bind(3, Name(e.actor.kind))
          .Bind(4, e.actor.id)
          .Bind(5, e.at.millis)
          .Bind(6, ChangesJson(e.changes))
          .Bind(7, e.note)
          .Bind(8, concerns)
          .Run());
  e.id = conn.LastInsertId();
  return Status::Ok();
}

Status InsertTicket(Connection& conn, Ticket& t, const std::string& customer_search_text) {
  Statement st = conn.Prepare("SELECT IFNULL(MAX(id), 0) + 1 FROM tickets");
  if (!st.Step()) return st.status().ok() ? Status::Internal("no max id") : st.status();
  t.id = st.Int(0);
  t.number = t.id;
  Statement ins = conn.Prepare(std::string("INSERT INTO tickets(") + kTicketColumns +
                               ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  SF_RETURN_IF_ERROR(BindTicket(ins, t));
  SF_RETURN_IF_ERROR(ins.Run());
  conn.DeferIndexWrite("INSERT INTO ticket_search(rowid, subject, customer) VALUES(?1, ?2, ?3)",
                       t.id, {t.subject, customer_search_text});
  return WriteTags(conn, Ticket{}, t, /*is_new=*/true);
}

Status WriteSla(Connection& conn, const Ticket& t) {
  Statement up = conn.Prepare(
      "UPDATE tickets SET sla = ?25, sla_next_at = ?26, sla_alarm = ?27, sla_due_at = ?28 WHERE "
      "id = ?1 AND "
      "version = ?14");
  SF_RETURN_IF_ERROR(BindTicket(up, t));
  SF_RETURN_IF_ERROR(up.Run());
  if (conn.Changes() != 1) return Status::Conflict("ticket was changed concurrently");
  return Status::Ok();
}

Result<TicketWrite> WriteChange(Connection& conn, Change change,
                                const std::optional<Handoff>& pending_before) {
  TicketWrite out;
  Ticket& t = change.after;
  const bool is_new = t.id == 0;
  Ticket before;
  if (is_new) {
    SF_ASSIGN_OR_RETURN(Customer customer, LoadCustomer(conn, t.customer_id));
    SF_RETURN_IF_ERROR(InsertTicket(conn, t, CustomerSearchText(customer)));
  } else {
    SF_ASSIGN_OR_RETURN(before, LoadTicket(conn, t.id));
    if (before.version != t.version - 1) {
      return Status::Conflict("ticket was changed concurrently; reload and retry");
    }
    Statement up = conn.Prepare(
        // Only the columns a change may touch: setting the key (id, even to itself) or the
        // customer would make SQLite check every table that references tickets, per update.
        "UPDATE tickets SET subject = ?3, company_id = ?5, owner_id = ?6, team_id = ?7, "
        "status = ?8, priority = ?9, tags = ?10, updated_at = ?13, version = ?14, "
        "outcome = ?15, statement = ?16, alternatives = ?17, duplicate_of = ?18, "
        "resolved_by = ?19, resolved_at = ?20, waiting_since = ?21, silence_raised_at = ?22, "
        "chases = ?23, followup_asked_at = ?24, sla = ?25, sla_next_at = ?26, sla_alarm = ?27, "
        "sla_due_at = ?28 WHERE id = ?1 AND version = ?29");
    SF_RETURN_IF_ERROR(BindTicket(up, t));
    up.Bind(29, before.version);
    SF_RETURN_IF_ERROR(up.Run());
    if (conn.Changes() != 1) return Status::Conflict("ticket was changed concurrently");
    if (before.subject != t.subject) {
      conn.DeferIndexWrite("UPDATE ticket_search SET subject = ?2 WHERE rowid = ?1", t.id,
                           {t.subject});
    }
  }
  if (!is_new) SF_RETURN_IF_ERROR(WriteTags(conn, before, t, /*is_new=*/false));

  out.state.ticket = t;
  out.state.pending_handoff = pending_before;
  if (change.handoff.has_value()) {
    Handoff& h = *change.handoff;
    h.ticket_id = t.id;
    std::optional<int64_t> answered;
    if (h.answered_at.has_value()) answered = h.answered_at->millis;
    if (h.id == 0) {
      SF_RETURN_IF_ERROR(
          conn.Prepare("INSERT INTO handoffs(ticket_id, from_agent_id, to_agent_id, note, state, "
                       "decline_reason, created_at, answered_at) VALUES(?,?,?,?,?,?,?,?)")
              .Bind(1, h.ticket_id)
              .Bind(2, h.from_agent_id)
              .Bind(3, h.to_agent_id)
              .Bind(4, h.note)
              .Bind(5, Name(h.state))
              .Bind(6, h.decline_reason)
              .Bind(7, h.created_at.millis)
              .Bind(8, answered)
              .Run());
      h.id = conn.LastInsertId();
    } else {
      SF_RETURN_IF_ERROR(
          conn.Prepare("UPDATE handoffs SET state = ?, decline_reason = ?, answered_at = ? "
                       "WHERE id = ?")
              .Bind(1, Name(h.state))
              .Bind(2, h.decline_reason)
              .Bind(3, answered)
              .Bind(4, h.id)
              .Run());
    }
    if (h.state == HandoffState::kProposed) {
      out.state.pending_handoff = h;
    } else {
      out.state.pending_handoff.reset();
    }
  }

  for (auto& nm : change.messages) {
    Message m;
    m.ticket_id = t.id;
    m.kind = nm.kind;
    m.author = nm.author;
    m.body = std::move(nm.body);
    m.created_at = t.updated_at;
    m.from_address = std::move(nm.from_address);
    m.html = std::move(nm.html);
    m.quoted = std::move(nm.quoted);
    m.chase = nm.chase;
    SF_RETURN_IF_ERROR(InsertMessage(conn, m));
    if (!nm.source_key.empty()) {
      Status s = conn.Prepare(
                         "INSERT INTO message_sources(source_key, ticket_id, message_id) "
                         "VALUES(?, ?, ?)")
                     .Bind(1, nm.source_key)
                     .Bind(2, t.id)
                     .Bind(3, m.id)
                     .Run();
      if (s.code() == StatusCode::kConflict) {
        return Status::Conflict("a message from " + nm.source_key + " was already taken in");
      }
      SF_RETURN_IF_ERROR(s);
    }
    for (const auto& a : nm.attachments) {
      SF_ASSIGN_OR_RETURN(Attachment att, WriteAttachment(conn, a, m.id, t.id));
      m.attachments.push_back(std::move(att));
    }
    // The customer hears every reply by email, and automatic mail goes where it was asked to:
    // queued in this same transaction.
    const bool automatic = !nm.auto_email_to.empty();
    if (m.kind == MessageKind::kReply || automatic) {
      SF_RETURN_IF_ERROR(
          conn.Prepare("INSERT INTO outbox(ticket_id, message_id, state, next_attempt_at, "
                       "created_at, automatic, to_address) VALUES(?, ?, 'queued', ?, ?, ?, ?)")
              .Bind(1, t.id)
              .Bind(2, m.id)
              .Bind(3, m.created_at.millis)
              .Bind(4, m.created_at.millis)
              .Bind(5, int64_t{automatic ? 1 : 0})
              .Bind(6, nm.auto_email_to)
              .Run());
    }
    out.messages.push_back(std::move(m));
  }

  out.state.promises = {};
  if (!change.promises.empty()) {
    const MessageId own = out.messages.empty() ? 0 : out.messages.front().id;
    for (Promise& p : change.promises) {
      p.ticket_id = t.id;
      SF_RETURN_IF_ERROR(WritePromise(conn, p, own));
    }
  }
  if (!is_new || !change.promises.empty()) {
    SF_ASSIGN_OR_RETURN(out.state.promises, LoadOwedPromises(conn, t.id));
  }

  for (auto& e : change.events) {
    e.ticket_id = t.id;
    SF_RETURN_IF_ERROR(InsertEvent(conn, e, t));
    out.events.push_back(std::move(e));
  }
  return out;
}

Event ReadEvent(const Statement& st) {
  Event e;
  e.id = st.Int(0);
  e.ticket_id = st.Int(1);
  e.type = st.Text(2);
  e.actor = Actor{ParseActorKind(st.Text(3)), st.Int(4)};
  e.at = Timestamp{st.Int(5)};
  e.changes = ParseChanges(st.Text(6));
  e.note = st.Text(7);
  return e;
}

}  // namespace steadfast::storage::sqlite
