// Follow-through in SqliteStore: promise rows (written with ticket changes) and the queries the
// API and the engine run over promises and waiting customers.
#include "common/crypto.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace steadfast::storage::sqlite {

using domain::MessageId;
using domain::Promise;
using domain::PromiseState;

namespace {

// The engine's due queries: the first column of every row, a ticket id.
Result<std::vector<TicketId>> TicketIds(Statement& st) {
  std::vector<TicketId> out;
  while (st.Step()) out.push_back(st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

}  // namespace

const char kPromiseColumns[] =
    "id, ticket_id, owner_id, text, due_at, state, message_id, kept_by, missed, renegotiations, "
    "reminded_at, created_at, settled_at";

Promise ReadPromise(const Statement& st) {
  Promise p;
  p.id = st.Int(0);
  p.ticket_id = st.Int(1);
  p.owner_id = st.Int(2);
  p.text = st.Text(3);
  p.due_at = Timestamp{st.Int(4)};
  p.state = domain::ParsePromiseState(st.Text(5)).value_or(PromiseState::kOpen);
  p.message_id = st.Int(6);
  p.kept_by = st.OptInt(7);
  p.missed = st.Int(8) != 0;
  p.renegotiations = static_cast<int>(st.Int(9));
  if (auto at = st.OptInt(10)) p.reminded_at = Timestamp{*at};
  p.created_at = Timestamp{st.Int(11)};
  if (auto at = st.OptInt(12)) p.settled_at = Timestamp{*at};
  return p;
}

Result<std::vector<Promise>> LoadOwedPromises(Connection& conn, domain::TicketId id) {
  std::vector<Promise> out;
  Statement st = conn.Prepare(std::string("SELECT ") + kPromiseColumns +
                              " FROM promises WHERE ticket_id = ? AND state IN ('open', 'broken')"
                              " ORDER BY id");
  st.Bind(1, id);
  while (st.Step()) out.push_back(ReadPromise(st));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Status WritePromise(Connection& conn, Promise& p, MessageId message) {
  if (p.message_id == 0) p.message_id = message;
  if (p.kept_by.has_value() && *p.kept_by == 0) p.kept_by = message;
  std::optional<int64_t> reminded;
  if (p.reminded_at) reminded = p.reminded_at->millis;
  std::optional<int64_t> settled;
  if (p.settled_at) settled = p.settled_at->millis;
  if (p.id == 0) {
    SF_RETURN_IF_ERROR(
        conn.Prepare("INSERT INTO promises(ticket_id, owner_id, text, due_at, state, message_id, "
                     "kept_by, missed, renegotiations, reminded_at, created_at, settled_at) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .Bind(1, p.ticket_id)
            .Bind(2, p.owner_id)
            .Bind(3, p.text)
            .Bind(4, p.due_at.millis)
            .Bind(5, Name(p.state))
            .Bind(6, p.message_id)
            .Bind(7, p.kept_by)
            .Bind(8, int64_t{p.missed ? 1 : 0})
            .Bind(9, int64_t{p.renegotiations})
            .Bind(10, reminded)
            .Bind(11, p.created_at.millis)
            .Bind(12, settled)
            .Run());
    p.id = conn.LastInsertId();
    return Status::Ok();
  }
  SF_RETURN_IF_ERROR(conn.Prepare("UPDATE promises SET due_at = ?, state = ?, kept_by = ?, "
                                  "missed = ?, renegotiations = ?, reminded_at = ?, settled_at = ? "
                                  "WHERE id = ? AND ticket_id = ?")
                         .Bind(1, p.due_at.millis)
                         .Bind(2, Name(p.state))
                         .Bind(3, p.kept_by)
                         .Bind(4, int64_t{p.missed ? 1 : 0})
                         .Bind(5, int64_t{p.renegotiations})
                         .Bind(6, reminded)
                         .Bind(7, settled)
                         .Bind(8, p.id)
                         .Bind(9, p.ticket_id)
                         .Run());
  if (conn.Changes() != 1) return Status::NotFound("promise " + std::to_string(p.id));
  return Status::Ok();
}

Result<std::vector<Promise>> SqliteStore::ListPromises(const PromiseQuery& q) {
  auto conn = Read();
  std::string sql = std::string("SELECT ") + kPromiseColumns + " FROM promises WHERE 1";
  if (q.id) sql += " AND id = ?6";
  if (q.owner_id) sql += " AND owner_id = ?1";
  if (q.state) sql += " AND state = ?2";
  if (q.ticket_id) sql += " AND ticket_id = ?3";
  if (q.after_id) {
    sql += " AND (due_at, id) > (SELECT due_at, id FROM promises WHERE id = ?4)";
  }
  sql += " ORDER BY due_at, id LIMIT ?5";
  Statement st = conn->Prepare(sql);
  if (q.owner_id) st.Bind(1, *q.owner_id);
  if (q.state) st.Bind(2, Name(*q.state));
  if (q.ticket_id) st.Bind(3, *q.ticket_id);
  if (q.after_id) st.Bind(4, *q.after_id);
  if (q.id) st.Bind(6, *q.id);
  st.Bind(5, int64_t{q.limit});
  std::vector<Promise> out;
  while (st.Step()) out.push_back(ReadPromise(st));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::vector<DuePromise>> SqliteStore::DuePromises(Timestamp due_before, bool unreminded_only,
                                                         int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(
      std::string(
          "SELECT id, ticket_id, due_at FROM promises WHERE state = 'open' AND due_at <= ?") +
      (unreminded_only ? " AND reminded_at IS NULL" : "") + " ORDER BY due_at LIMIT ?");
  st.Bind(1, due_before.millis).Bind(2, int64_t{limit});
  std::vector<DuePromise> out;
  while (st.Step()) out.push_back(DuePromise{st.Int(0), st.Int(1), Timestamp{st.Int(2)}});
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::map<domain::AgentId, PromiseCounts>> SqliteStore::CountPromises(Timestamp since) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT owner_id,"
      " sum(state = 'kept' AND missed = 0),"
      " sum(missed = 1 OR state = 'broken'),"
      " sum(state = 'open' AND missed = 0)"
      " FROM promises WHERE created_at >= ? GROUP BY owner_id");
  st.Bind(1, since.millis);
  std::map<domain::AgentId, PromiseCounts> out;
  while (st.Step()) out[st.Int(0)] = PromiseCounts{st.Int(1), st.Int(2), st.Int(3)};
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::vector<ChaseCount>> SqliteStore::CountChases(Timestamp since) {
  auto conn = Read();
  // `m.kind = 'customer'` and the range on created_at read messages_customer_by_time.
  Statement st = conn->Prepare(
      "SELECT t.owner_id, t.team_id, count(*), sum(m.chase) FROM messages m"
      " JOIN tickets t ON t.id = m.ticket_id"
      " WHERE m.kind = 'customer' AND m.created_at >= ? GROUP BY t.owner_id, t.team_id");
  st.Bind(1, since.millis);
  std::vector<ChaseCount> out;
  while (st.Step()) out.push_back(ChaseCount{st.OptInt(0), st.OptInt(1), st.Int(2), st.Int(3)});
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::vector<FollowThroughEvent>> SqliteStore::FollowThroughEvents(Timestamp from,
                                                                         Timestamp to, int limit) {
  auto conn = Read();
  // The type list is the one of the ticket_events_follow_through partial index, word for word.
  Statement st = conn->Prepare(
      "SELECT e.type, e.at, e.ticket_id, t.number, t.subject, t.owner_id, t.team_id, e.note"
      " FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id"
      " WHERE e.type IN ('promise_broken', 'silence_raised', 'chase_received')"
      " AND e.at >= ? AND e.at < ? ORDER BY e.at, e.id LIMIT ?");
  st.Bind(1, from.millis).Bind(2, to.millis).Bind(3, int64_t{limit});
  std::vector<FollowThroughEvent> out;
  while (st.Step()) {
    FollowThroughEvent e;
    const std::string type = st.Text(0);
    e.kind = type == "promise_broken"   ? FollowThroughEvent::Kind::kBrokenPromise
             : type == "silence_raised" ? FollowThroughEvent::Kind::kSilence
                                        : FollowThroughEvent::Kind::kChase;
    e.at = Timestamp{st.Int(1)};
    e.ticket_id = st.Int(2);
    e.number = st.Int(3);
    e.subject = st.Text(4);
    e.owner_id = st.OptInt(5);
    e.team_id = st.OptInt(6);
    if (e.kind == FollowThroughEvent::Kind::kBrokenPromise) e.note = st.Text(7);
    out.push_back(std::move(e));
  }
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::vector<TicketId>> SqliteStore::SilentTickets(domain::Priority priority,
                                                         Timestamp waiting_before, int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT id FROM tickets WHERE priority = ? AND waiting_since <= ?"
      " AND waiting_since IS NOT NULL AND silence_raised_at IS NULL"
      " ORDER BY waiting_since LIMIT ?");
  st.Bind(1, Name(priority)).Bind(2, waiting_before.millis).Bind(3, int64_t{limit});
  return TicketIds(st);
}

Result<std::vector<TicketId>> SqliteStore::DueSla(Timestamp now, int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT id FROM tickets WHERE sla_next_at IS NOT NULL AND sla_next_at <= ?"
      " ORDER BY sla_next_at LIMIT ?");
  st.Bind(1, now.millis).Bind(2, int64_t{limit});
  return TicketIds(st);
}

Result<Store::FollowUpsDue> SqliteStore::DueFollowUps(Timestamp ask_before, Timestamp close_before,
                                                      int limit) {
  auto conn = Read();
  FollowUpsDue due;
  {
    Statement st = conn->Prepare(
        "SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at <= ?"
        " AND followup_asked_at IS NULL AND outcome IN ('solved', 'workaround')"
        " ORDER BY resolved_at LIMIT ?");
    st.Bind(1, ask_before.millis).Bind(2, int64_t{limit});
    while (st.Step()) due.ask.push_back(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  }
  {
    Statement st = conn->Prepare(
        "SELECT id FROM (SELECT id, followup_asked_at AS at FROM tickets"
        "   WHERE status = 'resolved' AND followup_asked_at IS NOT NULL AND followup_asked_at <= ?1"
        " UNION ALL SELECT id, resolved_at AS at FROM tickets"
        "   WHERE status = 'resolved' AND resolved_at <= ?1"
        "   AND outcome NOT IN ('solved', 'workaround'))"
        " ORDER BY at LIMIT ?2");
    st.Bind(1, close_before.millis).Bind(2, int64_t{limit});
    while (st.Step()) due.close.push_back(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  }
  return due;
}

Result<std::string> SqliteStore::Secret(std::string_view name) {
  {
    auto conn = Read();
    Statement st = conn->Prepare("SELECT value FROM secrets WHERE name = ?");
    st.Bind(1, name);
    if (st.Step()) return st.Text(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  const std::string fresh = RandomToken(32);
  SF_RETURN_IF_ERROR(writer_->Run([&](Connection& c) -> Status {
    return c.Prepare("INSERT OR IGNORE INTO secrets(name, value) VALUES(?, ?)")
        .Bind(1, name)
        .Bind(2, fresh)
        .Run();
  }));
  auto conn = Read();
  Statement st = conn->Prepare("SELECT value FROM secrets WHERE name = ?");
  st.Bind(1, name);
  if (st.Step()) return st.Text(0);
  SF_RETURN_IF_ERROR(st.status());
  return Status::Internal("secret " + std::string(name) + " was not kept");
}

Result<std::vector<Store::UnownedTicket>> SqliteStore::UnownedTickets(Timestamp opened_before,
                                                                      int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT id, customer_id, team_id FROM tickets WHERE status = 'new' AND owner_id IS NULL"
      " AND created_at <= ? AND NOT EXISTS (SELECT 1 FROM handoffs h"
      "   WHERE h.ticket_id = tickets.id AND h.state = 'proposed')"
      " ORDER BY id LIMIT ?");
  st.Bind(1, opened_before.millis).Bind(2, int64_t{limit});
  std::vector<UnownedTicket> out;
  while (st.Step()) out.push_back(UnownedTicket{st.Int(0), st.Int(1), st.OptInt(2)});
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::vector<TicketId>> SqliteStore::ExpiredOffers(Timestamp before, int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT ticket_id FROM handoffs WHERE state = 'proposed' AND from_agent_id = 0"
      " AND created_at <= ? ORDER BY created_at LIMIT ?");
  st.Bind(1, before.millis).Bind(2, int64_t{limit});
  return TicketIds(st);
}

Result<Store::AgentAvailability> SqliteStore::Availability(Timestamp now) {
  auto conn = Read();
  AgentAvailability out;
  {
    Statement st = conn->Prepare(
        "SELECT DISTINCT principal_id FROM credentials WHERE kind = 'agent' AND csrf_token <> ''"
        " AND (expires_at IS NULL OR expires_at > ?)");
    st.Bind(1, now.millis);
    while (st.Step()) out.present.insert(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  }
  // Only the present agents' loads matter: each is an index seek, not a scan of every ticket.
  for (domain::AgentId id : out.present) {
    Statement st = conn->Prepare(
        "SELECT count(*) FROM tickets WHERE owner_id = ? AND status IN ('new', 'open', 'pending')");
    st.Bind(1, id);
    if (st.Step()) out.open_tickets[id] = st.Int(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  return out;
}

Result<std::optional<domain::AgentId>> SqliteStore::LastHelper(CustomerId customer) {
  auto conn = Read();
  Statement st = conn->Prepare(
      // The customer's tickets by index, then their messages by index; "+m.id" keeps SQLite
      // from walking every message newest first instead.
      "SELECT m.author_id FROM messages m"
      " WHERE m.ticket_id IN (SELECT id FROM tickets WHERE customer_id = ?) AND m.kind = 'reply'"
      " ORDER BY +m.id DESC LIMIT 1");
  st.Bind(1, customer);
  if (st.Step()) return std::optional<domain::AgentId>(st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  return std::optional<domain::AgentId>();
}

Result<std::set<domain::AgentId>> SqliteStore::OfferedTo(TicketId id) {
  auto conn = Read();
  Statement st =
      conn->Prepare("SELECT to_agent_id FROM handoffs WHERE ticket_id = ? AND from_agent_id = 0");
  st.Bind(1, id);
  std::set<domain::AgentId> out;
  while (st.Step()) out.insert(st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

}  // namespace steadfast::storage::sqlite
