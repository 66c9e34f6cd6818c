#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "domain/entities.h"
#include "domain/ticket_rules.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"

// Row mapping shared by the read and write paths of SqliteStore. Each function works on the
// connection it is given, inside whatever transaction that connection is in.
namespace steadfast::storage::sqlite {

// The ticket columns, in the order ReadTicket expects.
extern const char kTicketColumns[];
domain::Ticket ReadTicket(const Statement& st, int first_col = 0);
// The column sla_due_at: the earliest due time (millis) of a running SLA clock; none when no
// clock runs (paused clocks have no due time).
std::optional<int64_t> SlaDueAt(const domain::SlaState& s);

Result<domain::Ticket> LoadTicket(Connection& conn, domain::TicketId id);
Result<domain::TicketState> LoadTicketState(Connection& conn, domain::TicketId id);
Result<domain::Customer> LoadCustomer(Connection& conn, domain::CustomerId id);
Result<domain::Agent> LoadAgent(Connection& conn, domain::AgentId id);
Result<domain::Handoff> LoadHandoff(Connection& conn, domain::HandoffId id);

// Reads a row of "SELECT id, ticket_id, type, actor_kind, actor_id, at, changes, note".
domain::Event ReadEvent(const Statement& st);

// Inserts a new ticket row (assigning id and number), its search row and its tags.
Status InsertTicket(Connection& conn, domain::Ticket& t, const std::string& customer_search_text);
// Inserts a message (assigning its id) and indexes its body. Attachments are not written.
Status InsertMessage(Connection& conn, domain::Message& m);
// Inserts `e` (filling in its id) with the agent it concerns, judged on the ticket as the event
// left it (`after`).
Status InsertEvent(Connection& conn, domain::Event& e, const domain::Ticket& after);

// Writes `change` (a new ticket when change.after.id == 0) with its messages, attachments,
// handoff, events and search index rows. REQUIRES: inside a write transaction.
Result<TicketWrite> WriteChange(Connection& conn, domain::Change change,
                                const std::optional<domain::Handoff>& pending_before);

// Writes only the SLA bookkeeping of `t` (derived data: no version bump, no event). Conflict
// unless the stored version is t.version. REQUIRES: inside a write transaction.
Status WriteSla(Connection& conn, const domain::Ticket& t);

// Promises (follow_through.cc). The columns in the order ReadPromise expects.
extern const char kPromiseColumns[];
domain::Promise ReadPromise(const Statement& st);
// The ticket's owed (open and broken) promises, oldest first.
Result<std::vector<domain::Promise>> LoadOwedPromises(Connection& conn, domain::TicketId id);
// Inserts (id 0: assigning it) or updates `p`. A message_id or kept_by of 0 becomes `message`.
Status WritePromise(Connection& conn, domain::Promise& p, domain::MessageId message);

// The text the search index keeps for a customer: name and every email.
std::string CustomerSearchText(const domain::Customer& c);

}  // namespace steadfast::storage::sqlite
