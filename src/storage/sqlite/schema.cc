#include "storage/sqlite/schema.h"

#include <string>
#include <vector>

namespace steadfast::storage::sqlite {
namespace {

// Migrations are append-only: never edit one that has shipped; add the next.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: the ticket core.
      R"sql(
CREATE TABLE companies(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  shares_tickets INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL);

CREATE TABLE customers(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company_id INTEGER REFERENCES companies(id),
  timezone TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL);

CREATE TABLE customer_emails(
  email TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  position INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX customer_emails_by_customer ON customer_emails(customer_id, position);

CREATE TABLE teams(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL);

CREATE TABLE agents(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL);

CREATE TABLE agent_teams(
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  team_id INTEGER NOT NULL REFERENCES teams(id),
  PRIMARY KEY(agent_id, team_id)) WITHOUT ROWID;

CREATE TABLE credentials(
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  principal_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER) WITHOUT ROWID;

CREATE TABLE tickets(
  id INTEGER PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  company_id INTEGER,
  owner_id INTEGER REFERENCES agents(id),
  team_id INTEGER REFERENCES teams(id),
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  tags TEXT NOT NULL,
  channel TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  outcome TEXT,
  statement TEXT,
  alternatives TEXT,
  duplicate_of INTEGER,
  resolved_by INTEGER,
  resolved_at INTEGER);
CREATE INDEX tickets_by_status ON tickets(status, id);
CREATE INDEX tickets_by_owner ON tickets(owner_id, status, id);
CREATE INDEX tickets_by_customer ON tickets(customer_id, id);
CREATE INDEX tickets_by_company ON tickets(company_id, id);
CREATE INDEX tickets_by_team ON tickets(team_id, id);

CREATE TABLE ticket_tags(
  tag TEXT NOT NULL,
  ticket_id INTEGER NOT NULL,
  PRIMARY KEY(tag, ticket_id)) WITHOUT ROWID;

CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  author_kind TEXT NOT NULL,
  author_id INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX messages_by_ticket ON messages(ticket_id, id);

CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL) WITHOUT ROWID;

CREATE TABLE attachments(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256));
CREATE INDEX attachments_by_message ON attachments(message_id);

CREATE TABLE handoffs(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  from_agent_id INTEGER NOT NULL,
  to_agent_id INTEGER NOT NULL,
  note TEXT NOT NULL,
  state TEXT NOT NULL,
  decline_reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  answered_at INTEGER);
CREATE UNIQUE INDEX handoffs_one_pending ON handoffs(ticket_id) WHERE state = 'proposed';
CREATE INDEX handoffs_by_target ON handoffs(to_agent_id, state);

CREATE TABLE ticket_events(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  changes TEXT NOT NULL,
  note TEXT NOT NULL);
CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, id);
CREATE TRIGGER ticket_events_append_only_update BEFORE UPDATE ON ticket_events
  BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_append_only_delete BEFORE DELETE ON ticket_events
  BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

-- Full-text search. Message bodies are indexed without a second copy (the content is the
-- messages table); subjects and customer names/emails are small and kept in their own index.
CREATE VIRTUAL TABLE message_search USING fts5(
  body, content='messages', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE ticket_search USING fts5(
  subject, customer,
  tokenize='unicode61 remove_diacritics 2');
)sql",
      // 2: "Mine, newest first" without sorting all of an owner's tickets.
      R"sql(
CREATE INDEX tickets_by_owner_newest ON tickets(owner_id, id);
)sql",
      // 3: FTS5 merges its index segments less eagerly. At the default (4) a commit on a
      // million-ticket index spent most of its time merging; 16 keeps writes fast at the cost
      // of a few more segments to read per search.
      R"sql(
INSERT INTO message_search(message_search, rank) VALUES('automerge', 16);
INSERT INTO ticket_search(ticket_search, rank) VALUES('automerge', 16);
)sql",
      // 4: email. Messages keep their sender, safe HTML and quoted history; every message taken
      // in from mail is keyed by its Message-ID (or content hash) so it is taken in once.
      R"sql(
ALTER TABLE messages ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN html TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN quoted TEXT NOT NULL DEFAULT '';
CREATE TABLE message_sources(
  source_key TEXT PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  message_id INTEGER NOT NULL) WITHOUT ROWID;
)sql",
      // 5: outgoing email. Every agent reply is queued here in the same transaction as the
      // reply; the sender claims due rows, and records what happened.
      R"sql(
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  message_id INTEGER NOT NULL REFERENCES messages(id),
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  header_message_id TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
)sql",
      // 6: every column that references tickets is indexed, so a ticket's outbox and
      // attachments are found without a scan (and foreign-key checks never scan).
      R"sql(
CREATE INDEX outbox_by_ticket ON outbox(ticket_id, message_id);
CREATE INDEX attachments_by_ticket ON attachments(ticket_id);
CREATE INDEX handoffs_by_ticket ON handoffs(ticket_id);
)sql",
      // 7: automatic email (acknowledgements, notifications) goes to the address it answers and
      // is counted per ticket and per address, so two auto-responders stop each other.
      R"sql(
ALTER TABLE outbox ADD COLUMN automatic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN to_address TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_automatic_by_address ON outbox(to_address, created_at) WHERE automatic = 1;
)sql",
      // 8: promises made to customers, tracked until kept. The engine finds due ones by
      // (state, due_at); an agent's list by (owner_id, state, due_at).
      R"sql(
CREATE TABLE promises(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  owner_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  kept_by INTEGER,
  missed INTEGER NOT NULL DEFAULT 0,
  renegotiations INTEGER NOT NULL DEFAULT 0,
  reminded_at INTEGER,
  created_at INTEGER NOT NULL,
  settled_at INTEGER);
CREATE INDEX promises_by_ticket ON promises(ticket_id, state);
CREATE INDEX promises_due ON promises(state, due_at);
CREATE INDEX promises_by_owner ON promises(owner_id, state, due_at);
)sql",
      // 9: silence. Since when the customer has waited for word from us, and whether that was
      // raised; the engine finds long waits per priority through the partial index. Tickets
      // already open start being tracked at their next customer message; new ones (never
      // answered) have waited since they were opened.
      R"sql(
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN silence_raised_at INTEGER;
UPDATE tickets SET waiting_since = created_at WHERE status = 'new';
CREATE INDEX tickets_waiting ON tickets(priority, waiting_since)
  WHERE waiting_since IS NOT NULL AND silence_raised_at IS NULL;
)sql",
      // 10: chases. A customer message that only asks for news is marked, and counted on its
      // ticket.
      R"sql(
ALTER TABLE messages ADD COLUMN chase INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN chases INTEGER NOT NULL DEFAULT 0;
)sql",
      // 11: "did it stay solved?". The engine finds resolved tickets to ask, and asked or told
      // ones to close, by time; the links in the question are signed with a key kept here.
      R"sql(
ALTER TABLE tickets ADD COLUMN followup_asked_at INTEGER;
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE status = 'resolved';
CREATE INDEX tickets_followup ON tickets(followup_asked_at)
  WHERE status = 'resolved' AND followup_asked_at IS NOT NULL;
CREATE TABLE secrets(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql",
      // 12: offers of unowned tickets: the engine finds offers that went unanswered by time.
      R"sql(
CREATE INDEX handoffs_offers ON handoffs(created_at) WHERE state = 'proposed' AND from_agent_id = 0;
)sql",
      // 13: the customer portal. One-time sign-in links (only the token's SHA-256 is kept), and
      // automatic mail about no ticket (the link itself): the outbox is rebuilt so ticket_id and
      // message_id may be NULL, with the subject and body of such mail kept on the row.
      R"sql(
CREATE TABLE portal_links(
  token_hash TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER) WITHOUT ROWID;
CREATE INDEX portal_links_by_customer ON portal_links(customer_id);
CREATE TABLE outbox_new(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER REFERENCES tickets(id),
  message_id INTEGER REFERENCES messages(id),
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  header_message_id TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  automatic INTEGER NOT NULL DEFAULT 0,
  to_address TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  CHECK ((ticket_id IS NULL) = (message_id IS NULL)));
INSERT INTO outbox_new(id, ticket_id, message_id, state, attempts, next_attempt_at,
  header_message_id, last_error, created_at, sent_at, automatic, to_address)
  SELECT id, ticket_id, message_id, state, attempts, next_attempt_at, header_message_id,
  last_error, created_at, sent_at, automatic, to_address FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_by_ticket ON outbox(ticket_id, message_id);
CREATE INDEX outbox_automatic_by_address ON outbox(to_address, created_at) WHERE automatic = 1;
)sql",
      // 14: in-app notifications are events of the log that concern one agent (see
      // domain/notifications.h): the agent is kept on the event row, so an agent's are found
      // through an index; leads also read their teams' broken promises. Each agent keeps one
      // "seen up to" mark. Events written before this migration concern nobody.
      R"sql(
ALTER TABLE ticket_events ADD COLUMN concerns_agent_id INTEGER;
CREATE INDEX ticket_events_concerning ON ticket_events(concerns_agent_id, id)
  WHERE concerns_agent_id IS NOT NULL;
CREATE INDEX ticket_events_broken_promises ON ticket_events(id) WHERE type = 'promise_broken';
CREATE TABLE notifications_seen(
  agent_id INTEGER PRIMARY KEY,
  up_to INTEGER NOT NULL);
)sql",
      // 15: SLAs on business hours. A ticket's clocks (JSON, derived from the ticket and the
      // policies), the engine's next moment for it (found through the index) and its alarm (1
      // warned, 2 breached) for queues. Tickets already there have no clocks yet: those not
      // resolved are due at once, and the engine computes them on its next pass.
      R"sql(
ALTER TABLE tickets ADD COLUMN sla TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sla_next_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_alarm INTEGER NOT NULL DEFAULT 0;
UPDATE tickets SET sla_next_at = 0 WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_sla_due ON tickets(sla_next_at) WHERE sla_next_at IS NOT NULL;
CREATE INDEX tickets_sla_alarm ON tickets(sla_alarm, id) WHERE sla_alarm > 0;
)sql",
      // 16: queues and the leads' follow-through. Ticket lists sort by last activity and by
      // priority (urgent first, oldest first) through their own indexes (priority also within a
      // status); team queue counts read (team_id, status) only; the silent-tickets list reads a
      // small partial index. The chase rate counts customer messages by time from a covering
      // index (no message body is read), and the daily digest reads the day's broken
      // promises, silences and chases from the event log, each through a partial index. Each
      // lead's digest is queued once per day: the unique (agent_id, day) row is the claim.
      R"sql(
CREATE INDEX tickets_by_activity ON tickets(updated_at, id);
CREATE INDEX tickets_by_priority ON tickets(
  (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END), id);
CREATE INDEX tickets_by_status_priority ON tickets(status,
  (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END), id);
CREATE INDEX tickets_by_team_status ON tickets(team_id, status);
CREATE INDEX tickets_silent ON tickets(id) WHERE silence_raised_at IS NOT NULL;
CREATE INDEX messages_customer_by_time ON messages(created_at, ticket_id, chase, kind)
  WHERE kind = 'customer';
CREATE INDEX ticket_events_follow_through ON ticket_events(at)
  WHERE type IN ('promise_broken', 'silence_raised', 'chase_received');
CREATE TABLE digests(
  id INTEGER PRIMARY KEY,
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  day TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  header_message_id TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  UNIQUE(agent_id, day));
CREATE INDEX digests_due ON digests(state, next_attempt_at);
)sql",
      // 17: saved views and the list sorted by SLA deadline. A ticket keeps the earliest due time
      // of its running SLA clocks (derived from `sla` on every write; NULL when no clock runs),
      // read through a partial index in deadline order. Each agent's saved views (a name and a
      // ticket list query) are theirs alone; a name is unique per agent, letter case aside.
      R"sql(
ALTER TABLE tickets ADD COLUMN sla_due_at INTEGER;
UPDATE tickets SET sla_due_at = (SELECT min(json_extract(value, '$.due'))
  FROM json_each(tickets.sla, '$.clocks')) WHERE sla <> '';
CREATE INDEX tickets_by_sla_due ON tickets(sla_due_at, id) WHERE sla_due_at IS NOT NULL;
CREATE TABLE saved_views(
  id INTEGER PRIMARY KEY,
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(agent_id, name COLLATE NOCASE));
)sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Status Migrate(Connection& conn) {
  int version = 0;
  {
    Statement st = conn.Prepare("PRAGMA user_version");
    if (st.Step()) version = static_cast<int>(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  }
  const auto& migrations = Migrations();
  if (version > static_cast<int>(migrations.size())) {
    return Status::Unavailable("database schema version " + std::to_string(version) +
                               " is newer than this program (" + std::to_string(migrations.size()) +
                               "); upgrade steadfast");
  }
  for (size_t v = static_cast<size_t>(version); v < migrations.size(); ++v) {
    SF_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
    Status s = conn.Exec(migrations[v]);
    if (s.ok()) s = conn.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (!s.ok()) {
      (void)conn.Exec("ROLLBACK");
      return Status::Internal("migration " + std::to_string(v + 1) + " failed: " + s.message());
    }
    SF_RETURN_IF_ERROR(conn.Exec("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace steadfast::storage::sqlite
