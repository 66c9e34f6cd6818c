// The ticket half of SqliteStore: creating and changing tickets, lists, search, attachments.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <variant>

#include "common/text.h"
#include "storage/search_terms.h"
#include "storage/snippet.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

using namespace domain;  // NOLINT

namespace {

Result<Customer> FindOrCreateCustomer(Connection& c, const CustomerRef& ref, Timestamp now) {
  Statement st = c.Prepare("SELECT customer_id FROM customer_emails WHERE email = ?");
  st.Bind(1, ref.email);
  if (st.Step()) return LoadCustomer(c, st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  NewCustomer nc;
  nc.name = ref.name.empty() ? ref.email.substr(0, ref.email.find('@')) : ref.name;
  nc.emails = {ref.email};
  return InsertCustomer(c, nc, now);
}

Result<std::vector<Attachment>> LoadAttachments(Connection& conn, MessageId id) {
  std::vector<Attachment> out;
  Statement st = conn.Prepare(
      "SELECT id, message_id, ticket_id, filename, content_type, size, sha256 FROM attachments "
      "WHERE message_id = ? ORDER BY id");
  st.Bind(1, id);
  while (st.Step()) {
    out.push_back(
        Attachment{st.Int(0), st.Int(1), st.Int(2), st.Text(3), st.Text(4), st.Int(5), st.Text(6)});
  }
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

}  // namespace

Result<TicketWrite> SqliteStore::CreateTicket(const NewTicket& t, const CustomerRef& customer,
                                              const Principal& who) {
  return CreateTicketImpl(t, std::nullopt, customer, who, nullptr);
}

Result<TicketWrite> SqliteStore::CreateTicketThen(const NewTicket& t, const CustomerRef& customer,
                                                  const Principal& who, const Mutation& then) {
  return CreateTicketImpl(t, std::nullopt, customer, who, &then);
}

Result<TicketWrite> SqliteStore::CreateTicketFor(const NewTicket& t, CustomerId customer,
                                                 const Principal& who) {
  return CreateTicketImpl(t, customer, CustomerRef{}, who, nullptr);
}

Result<TicketWrite> SqliteStore::CreateTicketImpl(const NewTicket& in,
                                                  std::optional<CustomerId> customer_id,
                                                  const CustomerRef& ref, const Principal& who,
                                                  const Mutation* then) {
  const Timestamp now = clock_.Now();
  return WriteResult<TicketWrite>(*writer_, [&](Connection& c) -> Result<TicketWrite> {
    Customer customer;
    if (customer_id.has_value()) {
      SF_ASSIGN_OR_RETURN(customer, LoadCustomer(c, *customer_id));
    } else {
      SF_ASSIGN_OR_RETURN(customer, FindOrCreateCustomer(c, ref, now));
    }
    if (in.team_id.has_value()) {
      Statement st = c.Prepare("SELECT 1 FROM teams WHERE id = ?");
      st.Bind(1, *in.team_id);
      if (!st.Step()) {
        SF_RETURN_IF_ERROR(st.status());
        return Status::InvalidArgument("team_id", "no team " + std::to_string(*in.team_id));
      }
    }
    Ticket t;
    t.subject = in.subject;
    t.customer_id = customer.id;
    t.company_id = customer.company_id;
    t.team_id = in.team_id;
    t.priority = in.priority;
    t.tags = in.tags;
    t.channel = in.channel;
    NewMessage first;
    first.kind = MessageKind::kCustomer;
    first.body = in.body;
    first.attachments = in.attachments;
    first.from_address = in.from_address;
    first.html = in.html;
    first.quoted = in.quoted;
    first.source_key = in.source_key;
    Change change = domain::CreateTicket(std::move(t), std::move(first), who, now);
    // The first message is the customer's words, whoever logged them; the event records who.
    change.messages[0].author = Actor{Actor::Kind::kCustomer, customer.id};
    Finish(change, now);
    SF_ASSIGN_OR_RETURN(TicketWrite created, WriteChange(c, std::move(change), std::nullopt));
    if (then == nullptr || !*then) return created;
    SF_ASSIGN_OR_RETURN(Change more, (*then)(created.state));
    if (more.events.empty() && more.messages.empty()) return created;
    Finish(more, now);
    SF_ASSIGN_OR_RETURN(TicketWrite after,
                        WriteChange(c, std::move(more), created.state.pending_handoff));
    created.state = std::move(after.state);
    for (auto& m : after.messages) created.messages.push_back(std::move(m));
    for (auto& e : after.events) created.events.push_back(std::move(e));
    return created;
  });
}

Result<TicketWrite> SqliteStore::ModifyTicket(TicketId id, const Mutation& decide) {
  return WriteResult<TicketWrite>(*writer_, [&](Connection& c) -> Result<TicketWrite> {
    SF_ASSIGN_OR_RETURN(TicketState state, LoadTicketState(c, id));
    SF_ASSIGN_OR_RETURN(Change change, decide(state));
    return Commit(c, std::move(state), std::move(change));
  });
}

void SqliteStore::Finish(Change& change, Timestamp now) const {
  if (finish_) {
    finish_(change, now);
  } else if (change.after.sla.computed && !(change.events.empty() && change.messages.empty())) {
    change.after.sla.next_at = now;  // Left to the engine, which brings it up to date.
  }
}

Result<TicketWrite> SqliteStore::Commit(Connection& c, TicketState state, Change change) {
  Finish(change, clock_.Now());
  if (change.events.empty() && change.messages.empty()) {
    if (change.after.sla != state.ticket.sla) {
      state.ticket.sla = std::move(change.after.sla);
      SF_RETURN_IF_ERROR(WriteSla(c, state.ticket));
    }
    return TicketWrite{std::move(state), {}, {}};
  }
  return WriteChange(c, std::move(change), state.pending_handoff);
}

std::vector<Result<TicketWrite>> SqliteStore::ModifyTickets(
    const std::vector<std::pair<TicketId, Mutation>>& changes) {
  std::vector<std::optional<TicketWrite>> writes(changes.size());
  std::vector<GroupWriter::Work> works;
  works.reserve(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    works.push_back([&, i](Connection& c) -> Status {
      const auto& [id, decide] = changes[i];
      SF_ASSIGN_OR_RETURN(TicketState state, LoadTicketState(c, id));
      SF_ASSIGN_OR_RETURN(Change change, decide(state));
      SF_ASSIGN_OR_RETURN(TicketWrite w, Commit(c, std::move(state), std::move(change)));
      writes[i] = std::move(w);
      return Status::Ok();
    });
  }
  const std::vector<Status> done = writer_->RunAll(std::move(works));
  std::vector<Result<TicketWrite>> out;
  out.reserve(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    if (done[i].ok()) {
      out.push_back(std::move(*writes[i]));
    } else {
      out.push_back(done[i]);
    }
  }
  return out;
}

Result<TicketState> SqliteStore::GetTicket(TicketId id) {
  auto conn = Read();
  return LoadTicketState(*conn, id);
}

namespace {

// The priority rank as the tickets_by_priority index spells it (the same text, so SQLite uses it).
constexpr const char* kPriorityRank =
    "(CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)";

int64_t PriorityRank(Priority p) {
  switch (p) {
    case Priority::kUrgent:
      return 0;
    case Priority::kHigh:
      return 1;
    case Priority::kNormal:
      return 2;
    case Priority::kLow:
      return 3;
  }
  return 3;
}

// The customers of `ids`: name and primary email, in one query.
Status LoadCustomerLabels(Connection& conn, const std::vector<Ticket>& tickets,
                          std::map<CustomerId, CustomerLabel>* out) {
  std::set<CustomerId> ids;
  for (const Ticket& t : tickets) ids.insert(t.customer_id);
  if (ids.empty()) return Status::Ok();
  std::string sql =
      "SELECT c.id, c.name, (SELECT e.email FROM customer_emails e WHERE e.customer_id = c.id"
      " ORDER BY e.position LIMIT 1) FROM customers c WHERE c.id IN (";
  for (size_t i = 0; i < ids.size(); ++i) sql += i == 0 ? "?" : ",?";
  sql += ")";
  Statement st = conn.Prepare(sql);
  int i = 1;
  for (CustomerId id : ids) st.Bind(i++, id);
  while (st.Step()) (*out)[st.Int(0)] = CustomerLabel{st.Text(1), st.Text(2)};
  return st.status();
}

}  // namespace

Result<TicketPage> SqliteStore::ListTickets(const TicketQuery& q) {
  std::string sql = std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE 1";
  // Bindings in order of the placeholders appended below.
  std::vector<std::variant<int64_t, std::string>> args;
  if (q.status) {
    sql += " AND status = ?";
    args.emplace_back(std::string(Name(*q.status)));
  }
  if (q.unowned) {
    sql += " AND owner_id IS NULL";
  } else if (q.owner) {
    sql += " AND owner_id = ?";
    args.emplace_back(*q.owner);
  }
  if (q.customer) {
    sql += " AND customer_id = ?";
    args.emplace_back(*q.customer);
  }
  if (q.team) {
    sql += " AND team_id = ?";
    args.emplace_back(*q.team);
  }
  if (q.silent) sql += " AND silence_raised_at IS NOT NULL";
  if (q.offered_to) {
    sql +=
        " AND id IN (SELECT ticket_id FROM handoffs WHERE to_agent_id = ? AND state = 'proposed')";
    args.emplace_back(*q.offered_to);
  }
  if (q.tag) {
    sql += " AND id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)";
    args.emplace_back(*q.tag);
  }
  if (!q.text.empty()) {
    const std::vector<std::string> terms = SearchTerms(q.text);
    if (terms.empty()) return Status::InvalidArgument("q", "has no searchable word");
    const std::string match = Fts5AllTerms(terms);
    const bool customer = q.visible_to && q.visible_to->is_customer();
    sql += std::string(
               " AND id IN (SELECT m.ticket_id FROM message_search JOIN messages m ON m.id = "
               "message_search.rowid WHERE message_search MATCH ?") +
           (customer ? " AND m.kind <> 'note'" : "") +
           " UNION SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?)";
    args.emplace_back(match);
    args.emplace_back(match);
  }
  if (q.visible_to && q.visible_to->is_customer()) {
    const Principal& p = *q.visible_to;
    if (p.company_shares_tickets && p.company_id) {
      sql += " AND (customer_id = ? OR company_id = ?)";
      args.emplace_back(p.id);
      args.emplace_back(*p.company_id);
    } else {
      sql += " AND customer_id = ?";
      args.emplace_back(p.id);
    }
  }
  if (q.sla_alarm) {
    // "sla_alarm > 0" as written in the partial index, so the planner may use it.
    sql += " AND sla_alarm > 0";
    if (*q.sla_alarm == SlaAlarm::kWarning) sql += " AND sla_alarm = 1";
    if (*q.sla_alarm == SlaAlarm::kBreached) sql += " AND sla_alarm = 2";
  }
  // The keyset: rows strictly after the cursor in the sort's total order.
  const int64_t fetch = q.limit + 1;
  switch (q.sort) {
    case TicketSort::kNewest:
      if (q.after) {
        sql += " AND id < ?";
        args.emplace_back(q.after->id);
      }
      sql += " ORDER BY id DESC LIMIT ?";
      args.emplace_back(fetch);
      break;
    case TicketSort::kOldest:
      if (q.after) {
        sql += " AND id > ?";
        args.emplace_back(q.after->id);
      }
      sql += " ORDER BY id LIMIT ?";
      args.emplace_back(fetch);
      break;
    case TicketSort::kLastActivity:
      if (q.after) {
        sql += " AND (updated_at, id) < (?, ?)";
        args.emplace_back(q.after->key);
        args.emplace_back(q.after->id);
      }
      sql += " ORDER BY updated_at DESC, id DESC LIMIT ?";
      args.emplace_back(fetch);
      break;
    case TicketSort::kPriority:
      if (!q.after) {
        sql += std::string(" ORDER BY ") + kPriorityRank + ", id LIMIT ?";
        args.emplace_back(fetch);
        break;
      }
      {
        // The rest of the cursor's priority, then the lower priorities: two index seeks merged.
        // (One condition "rank > k OR (rank = k AND id > x)" makes SQLite step over every
        // ticket of rank k before x: tens of milliseconds deep in a million tickets.)
        const std::string filters = sql.substr(sql.find(" FROM tickets WHERE "));
        const std::vector<std::variant<int64_t, std::string>> filter_args = args;
        const std::string columns =
            std::string(kTicketColumns) + ", " + kPriorityRank + " AS sort_rank";
        sql = std::string("SELECT * FROM (SELECT ") + columns + filters + " AND " + kPriorityRank +
              " = ? AND id > ? ORDER BY id LIMIT ?) UNION ALL SELECT * FROM (SELECT " + columns +
              filters + " AND " + kPriorityRank + " > ? ORDER BY " + kPriorityRank +
              ", id LIMIT ?) ORDER BY sort_rank, id LIMIT ?";
        args.emplace_back(q.after->key);
        args.emplace_back(q.after->id);
        args.emplace_back(fetch);
        args.insert(args.end(), filter_args.begin(), filter_args.end());
        args.emplace_back(q.after->key);
        args.emplace_back(fetch);
        args.emplace_back(fetch);
      }
      break;
    case TicketSort::kSlaDue:
      if (q.after && q.after->key == TicketCursor::kNoSlaDue) {
        sql += " AND sla_due_at IS NULL AND id > ? ORDER BY id LIMIT ?";
        args.emplace_back(q.after->id);
        args.emplace_back(fetch);
        break;
      }
      {
        // Tickets with a clock through the partial index on (sla_due_at, id), then those without
        // one by id: two ordered seeks merged, as for priority.
        const std::string filters = sql.substr(sql.find(" FROM tickets WHERE "));
        const std::vector<std::variant<int64_t, std::string>> filter_args = args;
        const std::string columns =
            std::string(kTicketColumns) + ", IFNULL(sla_due_at, 9223372036854775807) AS sort_due";
        sql = std::string("SELECT * FROM (SELECT ") + columns + filters +
              " AND sla_due_at IS NOT NULL" + (q.after ? " AND (sla_due_at, id) > (?, ?)" : "") +
              " ORDER BY sla_due_at, id LIMIT ?) UNION ALL SELECT * FROM (SELECT " + columns +
              filters +
              " AND sla_due_at IS NULL ORDER BY id LIMIT ?) ORDER BY sort_due, id LIMIT ?";
        if (q.after) {
          args.emplace_back(q.after->key);
          args.emplace_back(q.after->id);
        }
        args.emplace_back(fetch);
        args.insert(args.end(), filter_args.begin(), filter_args.end());
        args.emplace_back(fetch);
        args.emplace_back(fetch);
      }
      break;
  }

  auto conn = Read();
  Statement st = conn->Prepare(sql);
  for (size_t i = 0; i < args.size(); ++i) {
    if (const auto* n = std::get_if<int64_t>(&args[i])) {
      st.Bind(static_cast<int>(i + 1), *n);
    } else {
      st.Bind(static_cast<int>(i + 1), std::get<std::string>(args[i]));
    }
  }
  TicketPage page;
  while (st.Step()) page.items.push_back(ReadTicket(st));
  SF_RETURN_IF_ERROR(st.status());
  if (static_cast<int>(page.items.size()) > q.limit) {
    page.items.pop_back();
    const Ticket& last = page.items.back();
    TicketCursor next{0, last.id};
    if (q.sort == TicketSort::kLastActivity) next.key = last.updated_at.millis;
    if (q.sort == TicketSort::kPriority) next.key = PriorityRank(last.priority);
    if (q.sort == TicketSort::kSlaDue) {
      next.key = SlaDueAt(last.sla).value_or(TicketCursor::kNoSlaDue);
    }
    page.next = next;
  }
  SF_RETURN_IF_ERROR(LoadCustomerLabels(*conn, page.items, &page.customers));
  return page;
}

Result<QueueCounts> SqliteStore::CountQueues(AgentId agent, const std::vector<TeamId>& teams) {
  auto conn = Read();
  QueueCounts out;
  {
    // Each subquery is a count over one index range (see EXPLAIN in the store tests).
    Statement st = conn->Prepare(
        "SELECT (SELECT count(*) FROM tickets WHERE owner_id = ?1 AND status = 'open'),"
        " (SELECT count(*) FROM tickets WHERE owner_id IS NULL AND status = 'new'),"
        " (SELECT count(*) FROM handoffs WHERE to_agent_id = ?1 AND state = 'proposed'),"
        " (SELECT count(*) FROM tickets WHERE owner_id = ?1 AND status = 'pending'),"
        // "sla_alarm > 0" as written in the partial index.
        " (SELECT count(*) FROM tickets WHERE sla_alarm > 0)");
    st.Bind(1, agent);
    if (st.Step()) {
      out.mine = st.Int(0);
      out.unowned = st.Int(1);
      out.offered = st.Int(2);
      out.waiting = st.Int(3);
      out.sla_at_risk = st.Int(4);
    }
    SF_RETURN_IF_ERROR(st.status());
  }
  for (TeamId team : teams) {
    Statement st = conn->Prepare(
        "SELECT count(*) FROM tickets WHERE team_id = ? AND status IN ('new', 'open', 'pending')");
    st.Bind(1, team);
    out.teams[team] = st.Step() ? st.Int(0) : 0;
    SF_RETURN_IF_ERROR(st.status());
  }
  return out;
}

Result<std::vector<Message>> SqliteStore::ListMessages(TicketId id, bool include_notes) {
  auto conn = Read();
  SF_RETURN_IF_ERROR(LoadTicket(*conn, id).status());
  std::vector<Message> out;
  {
    Statement st = conn->Prepare(
        "SELECT id, kind, author_kind, author_id, body, created_at, from_address, html, quoted, "
        "chase FROM messages WHERE ticket_id = ? ORDER BY id");
    st.Bind(1, id);
    while (st.Step()) {
      Message m;
      m.id = st.Int(0);
      m.ticket_id = id;
      m.kind = ParseMessageKind(st.Text(1)).value_or(MessageKind::kSystem);
      if (m.kind == MessageKind::kNote && !include_notes) continue;
      const std::string author_kind = st.Text(2);
      m.author.kind = author_kind == "agent"      ? Actor::Kind::kAgent
                      : author_kind == "customer" ? Actor::Kind::kCustomer
                                                  : Actor::Kind::kSystem;
      m.author.id = st.Int(3);
      m.body = st.Text(4);
      m.created_at = Timestamp{st.Int(5)};
      m.from_address = st.Text(6);
      m.html = st.Text(7);
      m.quoted = st.Text(8);
      m.chase = st.Int(9) != 0;
      out.push_back(std::move(m));
    }
    SF_RETURN_IF_ERROR(st.status());
  }
  for (auto& m : out) {
    SF_ASSIGN_OR_RETURN(m.attachments, LoadAttachments(*conn, m.id));
  }
  return out;
}

Result<std::vector<Event>> SqliteStore::ListEvents(TicketId id) {
  auto conn = Read();
  SF_RETURN_IF_ERROR(LoadTicket(*conn, id).status());
  std::vector<Event> out;
  Statement st = conn->Prepare(
      "SELECT id, ticket_id, type, actor_kind, actor_id, at, changes, note FROM ticket_events "
      "WHERE ticket_id = ? ORDER BY id");
  st.Bind(1, id);
  while (st.Step()) out.push_back(ReadEvent(st));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<std::optional<MessageSource>> SqliteStore::FindMessageSource(std::string_view source_key) {
  auto conn = Read();
  Statement st =
      conn->Prepare("SELECT ticket_id, message_id FROM message_sources WHERE source_key = ?");
  st.Bind(1, source_key);
  if (st.Step()) return std::optional<MessageSource>(MessageSource{st.Int(0), st.Int(1)});
  SF_RETURN_IF_ERROR(st.status());
  return std::optional<MessageSource>();
}

Result<Handoff> SqliteStore::GetHandoff(HandoffId id) {
  auto conn = Read();
  return LoadHandoff(*conn, id);
}

namespace {

// How many of the newest matching messages (and, separately, subjects) are considered per
// query. A common word matches millions of messages: ranking them all — even computing bm25,
// whose IDF scans the word's whole doclist — takes tens of milliseconds to seconds. When a
// query matches more than this, it does not tell tickets apart, and the newest matching
// tickets come first; when it matches fewer (a rare word, or several words together), every
// match is ranked by bm25.
constexpr int64_t kSearchCandidates = 600;

struct Candidate {
  TicketId ticket_id = 0;
  double score = 0;  // bm25: lower is better; 0 when ranked by recency.
  bool from_subject = false;
  int64_t rowid = 0;  // Message id, or ticket id for subject matches.
};

// How deep a status-filtered search looks into a common word's matches (newest first).
constexpr int64_t kFilteredSearchDepth = 5000;

// bm25's IDF reads every match of every word; above this many matches for any one word the
// query is ranked by recency instead.
constexpr int64_t kRankableWordMatches = 5000;

// The SQL that reads candidates from one full-text index. Each selects (ticket_id, score, rowid)
// and binds ?1 the match expression.
struct SearchIndexSql {
  const char* newest;    // ?2 limit. Score 0: ranked by recency.
  const char* filtered;  // ?2 status, ?3 depth, ?4 limit. Score 0.
  const char* ranked;    // ?2 status ('' for any), ?3 limit. Score bm25.
};

constexpr SearchIndexSql kMessageIndex = {
    "SELECT m.ticket_id, 0, message_search.rowid"
    " FROM message_search JOIN messages m ON m.id = message_search.rowid"
    " WHERE message_search MATCH ?1 ORDER BY message_search.rowid DESC LIMIT ?2",
    "SELECT m.ticket_id, 0, f.rowid FROM"
    " (SELECT rowid FROM message_search WHERE message_search MATCH ?1"
    "  ORDER BY rowid DESC LIMIT ?3) f"
    " JOIN messages m ON m.id = f.rowid JOIN tickets t ON t.id = m.ticket_id"
    " WHERE t.status = ?2 ORDER BY f.rowid DESC LIMIT ?4",
    "SELECT m.ticket_id, bm25(message_search), message_search.rowid"
    " FROM message_search JOIN messages m ON m.id = message_search.rowid"
    " WHERE message_search MATCH ?1"
    "   AND (?2 = '' OR m.ticket_id IN (SELECT id FROM tickets WHERE status = ?2))"
    " ORDER BY message_search.rowid DESC LIMIT ?3",
};

constexpr SearchIndexSql kSubjectIndex = {
    "SELECT rowid, 0, rowid FROM ticket_search WHERE ticket_search MATCH ?1"
    " ORDER BY rowid DESC LIMIT ?2",
    "SELECT f.rowid, 0, f.rowid FROM"
    " (SELECT rowid FROM ticket_search WHERE ticket_search MATCH ?1"
    "  ORDER BY rowid DESC LIMIT ?3) f"
    " JOIN tickets t ON t.id = f.rowid WHERE t.status = ?2 ORDER BY f.rowid DESC LIMIT ?4",
    "SELECT rowid, bm25(ticket_search, 3.0, 1.0) * 1.5, rowid FROM ticket_search"
    " WHERE ticket_search MATCH ?1"
    "   AND (?2 = '' OR rowid IN (SELECT id FROM tickets WHERE status = ?2))"
    " ORDER BY rowid DESC LIMIT ?3",
};

Status ReadCandidates(Statement& st, bool subject, std::vector<Candidate>* out) {
  while (st.Step()) out->push_back({st.Int(0), st.Double(1), subject, st.Int(2)});
  return st.status();
}

// Adds one index's candidates to `out`: bm25-ranked when the words are selective, otherwise the
// newest matches (bounded work whatever the word).
Status CollectCandidates(Connection& conn, const SearchIndexSql& sql, const std::string& match,
                         const std::string& status, bool subject, bool rankable,
                         std::vector<Candidate>* out) {
  std::vector<Candidate> newest;
  {
    Statement st = conn.Prepare(sql.newest);
    st.Bind(1, match).Bind(2, kSearchCandidates + 1);
    SF_RETURN_IF_ERROR(ReadCandidates(st, subject, &newest));
  }
  const bool common = static_cast<int64_t>(newest.size()) > kSearchCandidates || !rankable;
  if (common && status.empty()) {
    if (static_cast<int64_t>(newest.size()) > kSearchCandidates) newest.pop_back();
    out->insert(out->end(), newest.begin(), newest.end());
    return Status::Ok();
  }
  if (common) {
    Statement st = conn.Prepare(sql.filtered);
    st.Bind(1, match).Bind(2, status).Bind(3, kFilteredSearchDepth).Bind(4, kSearchCandidates);
    return ReadCandidates(st, subject, out);
  }
  Statement st = conn.Prepare(sql.ranked);
  st.Bind(1, match).Bind(2, status).Bind(3, kSearchCandidates);
  return ReadCandidates(st, subject, out);
}

}  // namespace

Result<std::vector<SearchHit>> SqliteStore::Search(std::string_view query,
                                                   std::optional<TicketStatus> status, int limit) {
  const std::vector<std::string> terms = SearchTerms(query);
  if (terms.empty()) return Status::InvalidArgument("q", "has no searchable word");
  const std::string match = Fts5AllTerms(terms);
  const std::string status_name = status ? std::string(Name(*status)) : std::string();
  auto conn = Read();

  // Phase 1: candidates from message bodies and from subjects/customers (weighted up).
  std::vector<Candidate> candidates;
  // bm25 only when no word is common: its cost grows with each word's number of matches.
  bool rankable = true;
  for (const std::string& term : terms) {
    Statement st = conn->Prepare(
        "SELECT count(*) FROM (SELECT rowid FROM message_search WHERE message_search MATCH ?1"
        " LIMIT ?2)");
    st.Bind(1, Fts5AllTerms({term})).Bind(2, kRankableWordMatches + 1);
    if (st.Step() && st.Int(0) > kRankableWordMatches) rankable = false;
    SF_RETURN_IF_ERROR(st.status());
    if (!rankable) break;
  }
  SF_RETURN_IF_ERROR(CollectCandidates(*conn, kMessageIndex, match, status_name,
                                       /*subject=*/false, rankable, &candidates));
  SF_RETURN_IF_ERROR(CollectCandidates(*conn, kSubjectIndex, match, status_name,
                                       /*subject=*/true, rankable, &candidates));
  // Best score per ticket; a subject match wins a tie.
  std::unordered_map<TicketId, Candidate> best;
  for (const Candidate& c : candidates) {
    auto [it, inserted] = best.emplace(c.ticket_id, c);
    if (!inserted &&
        (c.score < it->second.score || (c.score == it->second.score && c.from_subject))) {
      it->second = c;
    }
  }
  std::vector<Candidate> ranked;
  ranked.reserve(best.size());
  for (auto& [id, c] : best) ranked.push_back(c);
  // Best score first; among equals, the newer ticket.
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score < b.score : a.ticket_id > b.ticket_id;
  });
  if (static_cast<int>(ranked.size()) > limit) ranked.resize(static_cast<size_t>(limit));

  // Phase 2: the tickets and a highlighted snippet of what matched, for the page only.
  std::vector<SearchHit> out;
  for (const Candidate& c : ranked) {
    SearchHit hit;
    hit.score = -c.score;
    SF_ASSIGN_OR_RETURN(hit.ticket, LoadTicket(*conn, c.ticket_id));
    // The snippet is cut here rather than by FTS5's snippet(), which re-reads the words'
    // index entries (milliseconds per hit for common words).
    std::string text = hit.ticket.subject;
    if (!c.from_subject) {
      Statement st = conn->Prepare("SELECT body FROM messages WHERE id = ?");
      st.Bind(1, c.rowid);
      if (st.Step()) text = st.Text(0);
      SF_RETURN_IF_ERROR(st.status());
    }
    hit.snippet = MakeSnippet(text, terms);
    out.push_back(std::move(hit));
  }
  return out;
}

Result<Attachment> SqliteStore::GetAttachment(AttachmentId id) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT id, message_id, ticket_id, filename, content_type, size, sha256 FROM attachments "
      "WHERE id = ?");
  st.Bind(1, id);
  if (st.Step()) {
    return Attachment{st.Int(0),  st.Int(1), st.Int(2), st.Text(3),
                      st.Text(4), st.Int(5), st.Text(6)};
  }
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("attachment " + std::to_string(id) + " not found");
}

Result<std::string> SqliteStore::ReadBlob(std::string_view sha256) {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT data FROM blobs WHERE sha256 = ?");
  st.Bind(1, sha256);
  if (st.Step()) return st.Text(0);
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("blob not found");
}

}  // namespace steadfast::storage::sqlite
