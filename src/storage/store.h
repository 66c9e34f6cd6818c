#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/entities.h"
#include "domain/principal.h"
#include "domain/ticket_rules.h"

namespace steadfast::storage {

using domain::AgentId;
using domain::CompanyId;
using domain::CustomerId;
using domain::TeamId;
using domain::TicketId;

struct NewCustomer {
  std::string name;
  std::vector<std::string> emails;  // At least one; lower-cased by the caller.
  std::optional<CompanyId> company_id;
  std::string timezone;
  std::string language;
  std::string notes;
};

struct CustomerPatch {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> emails;
  std::optional<std::optional<CompanyId>> company_id;
  std::optional<std::string> timezone;
  std::optional<std::string> language;
  std::optional<std::string> notes;
};

struct NewAgent {
  std::string name;
  std::string email;
  domain::Role role = domain::Role::kAgent;
  std::string password_hash;  // argon2id string from libsodium; empty: cannot log in.
  std::vector<TeamId> teams;
};

// An agent with the secret the store keeps for them.
struct AgentCredentials {
  domain::Agent agent;
  std::string password_hash;
};

// A login session or API token. Only the SHA-256 of the secret is stored.
struct Credential {
  std::string token_hash;                                  // Hex SHA-256 of the secret.
  domain::Actor::Kind kind = domain::Actor::Kind::kAgent;  // Agent or customer.
  int64_t principal_id = 0;
  std::string csrf_token;  // Sessions only; API tokens have none (not cookie-borne).
  std::string label;       // API tokens: what it is for.
  Timestamp created_at;
  std::optional<Timestamp> expires_at;
};

// The customer who writes, found by email or created.
struct CustomerRef {
  std::string email;  // Lower-cased.
  std::string name;   // Used only when the customer is created.
};

// Queues by SLA alarm: a running clock warned (not breached), breached, or either.
enum class SlaAlarm { kWarning = 1, kBreached = 2, kAtRisk = 3 };

// The orders a ticket list can come in. Every order is total (ties broken by id), so a keyset
// cursor pages through it without duplicates or gaps among rows that do not change meanwhile.
enum class TicketSort {
  kNewest,        // id descending (the default).
  kOldest,        // id ascending.
  kLastActivity,  // updated_at descending, then id descending.
  kPriority,      // urgent, high, normal, low; within one priority the oldest first.
  // Tickets with a running SLA clock by their earliest due time (most overdue first), then
  // those without one, oldest first.
  kSlaDue,
};

// Where the previous page ended: the last item's sort key and id. `key` is updated_at (millis)
// for kLastActivity, the priority rank (0 urgent … 3 low) for kPriority, the SLA due time
// (millis; kNoSlaDue for a ticket without a running clock) for kSlaDue, unused otherwise.
struct TicketCursor {
  static constexpr int64_t kNoSlaDue = INT64_MAX;
  int64_t key = 0;
  TicketId id = 0;
  friend bool operator==(const TicketCursor&, const TicketCursor&) = default;
};

// The customer shown beside a ticket in a list.
struct CustomerLabel {
  std::string name;
  std::string email;  // The primary address; empty when the customer has none.
};

struct TicketQuery {
  std::optional<domain::TicketStatus> status;
  std::optional<AgentId> owner;
  bool unowned = false;  // owner=none
  std::optional<CustomerId> customer;
  std::optional<std::string> tag;
  std::optional<TeamId> team;
  std::optional<AgentId> offered_to;  // With a pending handoff (or offer) to this agent.
  std::optional<SlaAlarm> sla_alarm;
  std::string text;     // Full-text filter; empty for none. Customers never match internal notes.
  bool silent = false;  // Only tickets whose silence was raised and not yet answered.
  int limit = 50;       // 1..200
  TicketSort sort = TicketSort::kNewest;
  std::optional<TicketCursor> after;  // Keyset cursor: tickets after this one in `sort` order.
  // When set, only tickets this customer principal may see (domain::CanSee).
  std::optional<domain::Principal> visible_to;
};

struct TicketPage {
  std::vector<domain::Ticket> items;
  std::optional<TicketCursor> next;  // Absent on the last page.
  // The customer of every item, read in one batched query with the page.
  std::map<CustomerId, CustomerLabel> customers;
};

// An agent's saved view of the ticket list: a name and the list's query string (filters and
// sort, as GET /tickets takes them; the API validates it). Only its agent sees it.
struct SavedView {
  int64_t id = 0;
  AgentId agent_id = 0;
  std::string name;   // 1..kMaxSavedViewName bytes on one line; unique per agent (any case).
  std::string query;  // "status=open&sort=sla_due"; empty: every ticket, newest first.
  Timestamp created_at;
  Timestamp updated_at;
};
inline constexpr int kMaxSavedViews = 50;  // Per agent.
inline constexpr size_t kMaxSavedViewName = 80;

// A change to a saved view: what is set changes.
struct SavedViewChange {
  std::optional<std::string> name;
  std::optional<std::string> query;
};

// The sizes of the workspace's queues for one agent. Each is one indexed count.
struct QueueCounts {
  int64_t mine = 0;                 // Open tickets the agent owns.
  int64_t unowned = 0;              // New tickets nobody owns.
  int64_t offered = 0;              // Tickets with a pending handoff or offer to the agent.
  int64_t waiting = 0;              // Pending tickets the agent owns (waiting on the customer).
  int64_t sla_at_risk = 0;          // Tickets with an SLA clock warned or breached.
  std::map<TeamId, int64_t> teams;  // Per team: its new, open and pending tickets.
};

// Customer messages and the chases among them, in a period, per ticket owner and team (as the
// tickets are now). Chase rate = chases / customer_messages.
struct ChaseCount {
  std::optional<AgentId> owner_id;
  std::optional<TeamId> team_id;
  int64_t customer_messages = 0;
  int64_t chases = 0;
};

// A follow-through failure recorded in the event log: a promise broken, a silence raised, a chase
// received; with the ticket as it is now.
struct FollowThroughEvent {
  enum class Kind { kBrokenPromise, kSilence, kChase };
  Kind kind = Kind::kChase;
  Timestamp at;
  TicketId ticket_id = 0;
  int64_t number = 0;
  std::string subject;
  std::optional<AgentId> owner_id;
  std::optional<TeamId> team_id;
  std::string note;  // The promise's text for a broken promise; empty otherwise.
};

// A lead's daily digest, queued for email. Unique per (agent_id, day): the row is the claim.
struct DigestMail {
  int64_t id = 0;
  AgentId agent_id = 0;
  std::string day;  // The local date it reports on, "2026-11-22".
  std::string to_address;
  std::string subject;
  std::string body;  // Plain text.
  int attempts = 0;
  std::string header_message_id;
};

struct SearchHit {
  domain::Ticket ticket;
  std::string snippet;  // Matched words wrapped in [[ and ]]; callers escape the rest.
  double score = 0;     // Higher is better.
};

struct CustomerQuery {
  std::string email;  // Exact match (lower-cased) when not empty.
  int limit = 50;
  std::optional<CustomerId> after_id;
};

// Where a message taken in from outside (an email) went.
struct MessageSource {
  TicketId ticket_id = 0;
  domain::MessageId message_id = 0;
};

// An agent reply waiting to be emailed to the customer.
struct OutboxItem {
  int64_t id = 0;
  TicketId ticket_id = 0;
  domain::MessageId message_id = 0;
  int attempts = 0;               // Tries before this one.
  std::string header_message_id;  // The Message-ID this email goes out with (kept across tries).
  // Automatic mail (an acknowledgement, a notification) to `to_address`; otherwise an agent reply
  // to the ticket's customer.
  bool automatic = false;
  std::string to_address;
  // Automatic mail about no ticket (a portal sign-in link) has ticket_id and message_id 0 and
  // carries its own subject and body.
  std::string subject;
  std::string body;
};

// A one-time portal sign-in link. Only the SHA-256 of its token is stored.
struct PortalLink {
  std::string token_hash;  // Hex SHA-256 of the token in the link.
  CustomerId customer_id = 0;
  Timestamp created_at;
  Timestamp expires_at;
};

// Automatic mail about no ticket, queued as it is.
struct DirectMail {
  std::string to_address;  // Lower-cased.
  std::string subject;
  std::string body;
};

// How much automatic mail was queued since some time, for the loop guard's rate cap.
struct AutomaticMailCount {
  int to_ticket = 0;   // About this ticket.
  int to_address = 0;  // To this address, about any ticket.
};

// Which promises to list: all that match, soonest due first.
struct PromiseQuery {
  std::optional<domain::PromiseId> id;
  std::optional<domain::AgentId> owner_id;
  std::optional<domain::PromiseState> state;
  std::optional<TicketId> ticket_id;
  int limit = 50;
  std::optional<domain::PromiseId> after_id;  // Keyset page: those after this one.
};

// An open promise the engine must act on.
struct DuePromise {
  domain::PromiseId id = 0;
  TicketId ticket_id = 0;
  Timestamp due_at;
};

// How one agent's promises went. Kept rate = kept / (kept + missed).
struct PromiseCounts {
  int64_t kept = 0;    // Kept on time.
  int64_t missed = 0;  // Their time passed first (kept late, renegotiated after, or still owed).
  int64_t open = 0;    // Owed and not yet due.
};

// What a committed ticket write produced, as stored.
struct TicketWrite {
  domain::TicketState state;
  std::vector<domain::Message> messages;
  std::vector<domain::Event> events;
};

// A finished ticket with its history, for imports and seeding: written as given, without running
// the rules. The store assigns ids (ticket, number, messages, events) and ticket_id links.
struct BulkTicket {
  domain::Ticket ticket;
  std::vector<domain::Message> messages;  // Without attachments; created_at as given.
  std::vector<domain::Event> events;
};

// An event of the log with what the live stream needs to route it: the ticket's customer,
// company and team (as they are now) and the agent the event concerns (when written).
struct FeedEvent {
  domain::Event event;
  CustomerId customer_id = 0;
  std::optional<CompanyId> company_id;
  std::optional<TeamId> team_id;
  std::optional<AgentId> concerns_agent_id;
};

// An agent's notifications: the events that concern them (see domain/notifications.h), and for
// leads the broken promises on their teams' tickets. Newest first.
struct NotificationQuery {
  AgentId agent = 0;
  std::vector<TeamId> lead_of_teams;  // Empty unless the agent is a lead (or admin) of teams.
  std::optional<domain::EventId> before_id;  // Keyset cursor: events with id < before_id.
  int limit = 50;                            // 1..200
};

struct Notification {
  domain::Event event;
  int64_t ticket_number = 0;
  std::string subject;
};

struct NotificationPage {
  static constexpr int kMaxUnread = 100;  // Unread are counted up to this many.
  std::vector<Notification> items;
  std::optional<domain::EventId> next_before_id;  // Absent on the last page.
  domain::EventId seen_up_to = 0;                 // The agent's mark; 0 when never set.
  int unread = 0;                                 // After the mark; at most kMaxUnread.
};

// A pure decision on the current state, run inside the write transaction (so it sees the latest
// committed state and nothing changes underneath it). May be run more than once; no side effects.
using Mutation = std::function<Result<domain::Change>(const domain::TicketState&)>;

// Completes a decided change before it is written, at `now`: derived bookkeeping that needs more
// than the domain knows (the SLA clocks on the team's calendar, engine/sla_clocks.h). Pure and
// fast; it runs inside the write transaction, on every ticket change. Wired by src/app.
using TicketFinisher = std::function<void(domain::Change&, Timestamp now)>;

// The store: every read and write Steadfast makes. Implementations: sqlite/ (embedded),
// postgres/ (scale-out, to come). All methods are thread-safe.
//
// Durability contract: a write method returns only after its transaction is durably committed
// (or has failed and left nothing behind). Writes may be grouped into one commit.
// Errors: NotFound for a missing id, Conflict for uniqueness and version clashes, InvalidArgument
// for a reference to something that does not exist, Unavailable when the database is busy or
// closed.
class Store {
 public:
  virtual ~Store() = default;

  // Companies and customers.
  virtual Result<domain::Company> CreateCompany(std::string name, bool shares_tickets) = 0;
  virtual Result<domain::Company> GetCompany(CompanyId id) = 0;
  // Conflict if any email already belongs to a customer.
  virtual Result<domain::Customer> CreateCustomer(const NewCustomer& c) = 0;
  virtual Result<domain::Customer> GetCustomer(CustomerId id) = 0;
  virtual Result<domain::Customer> FindCustomerByEmail(std::string_view email) = 0;
  virtual Result<std::vector<domain::Customer>> ListCustomers(const CustomerQuery& q) = 0;
  // Conflict on a stale `expected_version` or an email that belongs to someone else.
  virtual Result<domain::Customer> UpdateCustomer(CustomerId id, const CustomerPatch& patch,
                                                  int64_t expected_version) = 0;

  // Agents and teams.
  virtual Result<domain::Agent> CreateAgent(const NewAgent& a) = 0;
  virtual Result<domain::Agent> GetAgent(AgentId id) = 0;
  virtual Result<AgentCredentials> FindAgentByEmail(std::string_view email) = 0;
  virtual Result<std::vector<domain::Agent>> ListAgents() = 0;
  virtual Result<domain::Team> CreateTeam(std::string name) = 0;
  virtual Result<domain::Team> GetTeam(TeamId id) = 0;
  virtual Result<std::vector<domain::Team>> ListTeams() = 0;

  // Sessions and API tokens.
  virtual Status SaveCredential(const Credential& c) = 0;
  virtual Result<Credential> FindCredential(std::string_view token_hash) = 0;
  virtual Status DeleteCredential(std::string_view token_hash) = 0;

  // Portal sign-in links. Stores `link` and queues `mail` (which carries the link) in one
  // transaction. The mail's body is cleared from the outbox once it is sent.
  virtual Status SavePortalLink(const PortalLink& link, const DirectMail& mail) = 0;
  // Uses the link with `token_hash` once: if it is unused and unexpired at `now`, marks it used
  // and saves `session` for its customer (session.kind and principal_id are set here), in one
  // transaction, and returns the customer. NotFound alike for an unknown, used or expired link.
  virtual Result<CustomerId> UsePortalLink(std::string_view token_hash, Timestamp now,
                                           Credential session) = 0;

  // Tickets. CreateTicket finds the customer by email or creates them, then applies
  // domain::CreateTicket, all in one transaction.
  virtual Result<TicketWrite> CreateTicket(const domain::NewTicket& t, const CustomerRef& customer,
                                           const domain::Principal& who) = 0;
  // CreateTicket, then `then` run on the new ticket and its Change written in the same
  // transaction (an acknowledgement recorded with the ticket it acknowledges): all or nothing.
  virtual Result<TicketWrite> CreateTicketThen(const domain::NewTicket& t,
                                               const CustomerRef& customer,
                                               const domain::Principal& who,
                                               const Mutation& then) = 0;
  // Like CreateTicket for an existing customer (a portal customer, or an agent who picked one).
  virtual Result<TicketWrite> CreateTicketFor(const domain::NewTicket& t, CustomerId customer,
                                              const domain::Principal& who) = 0;
  // Reads the ticket, runs `decide`, writes the Change. NotFound if the ticket does not exist;
  // otherwise whatever `decide` returns. A Change without events writes nothing.
  virtual Result<TicketWrite> ModifyTicket(TicketId id, const Mutation& decide) = 0;
  // ModifyTicket for many tickets at once, each on its own (one failing changes nothing of the
  // others), sharing commits: for background work that acts on many tickets. In order.
  virtual std::vector<Result<TicketWrite>> ModifyTickets(
      const std::vector<std::pair<TicketId, Mutation>>& changes) = 0;
  virtual Result<domain::TicketState> GetTicket(TicketId id) = 0;
  virtual Result<TicketPage> ListTickets(const TicketQuery& q) = 0;
  // The queue sizes for `agent` (see QueueCounts); every team in `teams` gets a count (0 if
  // empty).
  virtual Result<QueueCounts> CountQueues(AgentId agent, const std::vector<TeamId>& teams) = 0;
  // Messages oldest first, with attachments. Internal notes only when `include_notes`.
  virtual Result<std::vector<domain::Message>> ListMessages(TicketId id, bool include_notes) = 0;
  virtual Result<std::vector<domain::Event>> ListEvents(TicketId id) = 0;
  virtual Result<domain::Handoff> GetHandoff(domain::HandoffId id) = 0;
  // The message taken in with `source_key` (see NewMessage::source_key), if any.
  virtual Result<std::optional<MessageSource>> FindMessageSource(std::string_view source_key) = 0;
  // Ranked full-text search over subjects, message bodies (notes included) and customer
  // names/emails; accents folded. Every word must match. The candidates are the newest
  // matches (a bounded number), ranked by relevance: a common word finds the relevant recent
  // tickets fast, a rare word is ranked in full. InvalidArgument("q") when the query has no
  // searchable word.
  virtual Result<std::vector<SearchHit>> Search(std::string_view query,
                                                std::optional<domain::TicketStatus> status,
                                                int limit) = 0;

  // Bulk paths for imports and seeding: each call is one transaction, all or nothing.
  // Returns the new customers' ids in order; Conflict if an email is taken.
  virtual Result<std::vector<CustomerId>> BulkInsertCustomers(
      const std::vector<NewCustomer>& customers) = 0;
  // Inserts every ticket with its messages, events and search rows; fills in the ids.
  // InvalidArgument if a ticket names a customer that does not exist.
  virtual Status BulkInsertTickets(std::vector<BulkTicket>& tickets) = 0;

  // Outgoing email. Every agent reply is queued in the same transaction as the reply.
  // Claims up to `limit` items due at `now`, leasing them until `lease_until` (a crashed sender's
  // items come back then) and fixing each one's Message-ID from `make_message_id(item)` on first
  // claim. Safe to call from several senders: an item is claimed by one.
  virtual Result<std::vector<OutboxItem>> ClaimOutbox(
      Timestamp now, Timestamp lease_until, int limit,
      const std::function<std::string(const OutboxItem&)>& make_message_id) = 0;
  // Records a try: sent, or failed with `error` — retried at `retry_at`, or given up when
  // `retry_at` is absent.
  virtual Status FinishOutbox(int64_t id, bool sent, std::string_view error,
                              std::optional<Timestamp> retry_at, Timestamp now) = 0;
  // Automatic mail queued at or after `since` about ticket `id` and to `address` (lower case).
  virtual Result<AutomaticMailCount> CountAutomaticMail(TicketId id, std::string_view address,
                                                        Timestamp since) = 0;
  // The Message-ID of the newest email we took in or sent on a ticket (for In-Reply-To).
  virtual Result<std::vector<std::string>> ThreadMessageIds(TicketId id) = 0;

  // Promises made to customers (written with ticket changes, see domain::Change::promises).
  virtual Result<std::vector<domain::Promise>> ListPromises(const PromiseQuery& q) = 0;
  // Open promises due at or before `due_before`, soonest first; only those not yet reminded
  // when `unreminded_only`.
  virtual Result<std::vector<DuePromise>> DuePromises(Timestamp due_before, bool unreminded_only,
                                                      int limit) = 0;
  // Tickets of `priority` whose customer has waited since `waiting_before` or earlier and whose
  // silence was not raised yet, longest wait first.
  virtual Result<std::vector<TicketId>> SilentTickets(domain::Priority priority,
                                                      Timestamp waiting_before, int limit) = 0;
  // Tickets whose next SLA moment (Ticket::sla.next_at) is at or before `now`, soonest first.
  virtual Result<std::vector<TicketId>> DueSla(Timestamp now, int limit) = 0;
  // Resolved tickets due for the follow-up: `ask`, resolved solved or workaround at or before
  // `ask_before` and not asked yet; `close`, asked at or before `close_before`, or resolved with
  // another outcome at or before it. Oldest first.
  struct FollowUpsDue {
    std::vector<TicketId> ask;
    std::vector<TicketId> close;
  };
  virtual Result<FollowUpsDue> DueFollowUps(Timestamp ask_before, Timestamp close_before,
                                            int limit) = 0;
  // Nobody owns it. New tickets that nobody owns and nobody was offered, opened at or before
  // `opened_before`, oldest first.
  struct UnownedTicket {
    TicketId id = 0;
    CustomerId customer_id = 0;
    std::optional<TeamId> team_id;
  };
  virtual Result<std::vector<UnownedTicket>> UnownedTickets(Timestamp opened_before, int limit) = 0;
  // Tickets whose pending offer (a handoff from the system) was made at or before `before`.
  virtual Result<std::vector<TicketId>> ExpiredOffers(Timestamp before, int limit) = 0;
  // Agents signed in now (an unexpired session), and each of their open (new, open, pending)
  // tickets.
  struct AgentAvailability {
    std::set<AgentId> present;
    std::map<AgentId, int64_t> open_tickets;
  };
  virtual Result<AgentAvailability> Availability(Timestamp now) = 0;
  // The agent who last replied on any ticket of `customer`.
  virtual Result<std::optional<AgentId>> LastHelper(CustomerId customer) = 0;
  // The agents ticket `id` was offered to before.
  virtual Result<std::set<AgentId>> OfferedTo(TicketId id) = 0;
  // A random secret (hex) kept under `name`, made on first use; the same on every node.
  virtual Result<std::string> Secret(std::string_view name) = 0;
  // Per owner, the promises made at or after `since`.
  virtual Result<std::map<domain::AgentId, PromiseCounts>> CountPromises(Timestamp since) = 0;

  // The event log for live updates: events after `after_id`, oldest first, at most `limit`.
  virtual Result<std::vector<FeedEvent>> EventsAfter(domain::EventId after_id, int limit) = 0;
  // The newest event's id; 0 when there is none.
  virtual Result<domain::EventId> LatestEventId() = 0;
  // In-app notifications (see NotificationQuery) with the agent's unread count.
  virtual Result<NotificationPage> ListNotifications(const NotificationQuery& q) = 0;
  // Moves the agent's "seen up to" mark to `up_to`; never backwards (a smaller value is kept
  // as no change). Returns the mark as stored.
  virtual Result<domain::EventId> MarkNotificationsSeen(AgentId agent, domain::EventId up_to) = 0;
  // Customer messages written at or after `since` and the chases among them, grouped by the
  // tickets' owner and team.
  virtual Result<std::vector<ChaseCount>> CountChases(Timestamp since) = 0;
  // Promises broken, silences raised and chases received in [from, to), oldest first, at most
  // `limit`.
  virtual Result<std::vector<FollowThroughEvent>> FollowThroughEvents(Timestamp from, Timestamp to,
                                                                      int limit) = 0;

  // Leads' daily digests. QueueDigest inserts `d` unless a digest for (d.agent_id, d.day) exists:
  // true when this call queued it, false when it was there already (another node, an earlier
  // pass). Safe from several nodes at once: one of them queues it.
  virtual Result<bool> QueueDigest(const DigestMail& d, Timestamp now) = 0;
  // True if a digest for (agent, day) was queued (in any state).
  virtual Result<bool> HasDigest(AgentId agent, std::string_view day) = 0;
  // As ClaimOutbox and FinishOutbox, for digests.
  virtual Result<std::vector<DigestMail>> ClaimDigests(
      Timestamp now, Timestamp lease_until, int limit,
      const std::function<std::string(const DigestMail&)>& make_message_id) = 0;
  virtual Status FinishDigest(int64_t id, bool sent, std::string_view error,
                              std::optional<Timestamp> retry_at, Timestamp now) = 0;

  // Saved views (see SavedView), each agent's own, oldest first. Another agent's view is
  // NotFound, as is one that does not exist. Create and Update: Conflict when the agent has a
  // view of that name (any letter case); Create: Conflict when the agent has kMaxSavedViews.
  virtual Result<std::vector<SavedView>> ListSavedViews(AgentId agent) = 0;
  virtual Result<SavedView> CreateSavedView(AgentId agent, std::string name, std::string query) = 0;
  virtual Result<SavedView> UpdateSavedView(AgentId agent, int64_t id,
                                            const SavedViewChange& change) = 0;
  virtual Status DeleteSavedView(AgentId agent, int64_t id) = 0;

  // Attachments: metadata, then the bytes by content hash.
  virtual Result<domain::Attachment> GetAttachment(domain::AttachmentId id) = 0;
  virtual Result<std::string> ReadBlob(std::string_view sha256) = 0;
};

}  // namespace steadfast::storage
