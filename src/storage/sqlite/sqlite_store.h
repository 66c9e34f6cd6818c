#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/group_writer.h"
#include "storage/store.h"

namespace steadfast::storage::sqlite {

struct SqliteOptions {
  std::string path;          // The database file; ":memory:" is not supported (WAL).
  int read_connections = 4;  // Size of the read pool.
  // Run on every ticket change before it is written (see TicketFinisher). Empty (a command
  // without the SLA settings, like `mailgate`): a changed ticket's SLA is due for the engine.
  TicketFinisher finish;
};

// The embedded backend: one SQLite file in WAL mode, synchronous=FULL. Writes go through one
// GroupWriter (group commit); a Checkpointer moves pages from the WAL into the file on its own
// thread; reads use a pool of read-only connections.
class SqliteStore final : public Store {
 public:
  // Opens or creates the file and applies migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options,
                                                   const Clock& clock);
  ~SqliteStore() override;

  Result<domain::Company> CreateCompany(std::string name, bool shares_tickets) override;
  Result<domain::Company> GetCompany(CompanyId id) override;
  Result<domain::Customer> CreateCustomer(const NewCustomer& c) override;
  Result<domain::Customer> GetCustomer(CustomerId id) override;
  Result<domain::Customer> FindCustomerByEmail(std::string_view email) override;
  Result<std::vector<domain::Customer>> ListCustomers(const CustomerQuery& q) override;
  Result<domain::Customer> UpdateCustomer(CustomerId id, const CustomerPatch& patch,
                                          int64_t expected_version) override;

  Result<domain::Agent> CreateAgent(const NewAgent& a) override;
  Result<domain::Agent> GetAgent(AgentId id) override;
  Result<AgentCredentials> FindAgentByEmail(std::string_view email) override;
  Result<std::vector<domain::Agent>> ListAgents() override;
  Result<domain::Team> CreateTeam(std::string name) override;
  Result<domain::Team> GetTeam(TeamId id) override;
  Result<std::vector<domain::Team>> ListTeams() override;

  Status SaveCredential(const Credential& c) override;
  Result<Credential> FindCredential(std::string_view token_hash) override;
  Status DeleteCredential(std::string_view token_hash) override;
  Status SavePortalLink(const PortalLink& link, const DirectMail& mail) override;
  Result<CustomerId> UsePortalLink(std::string_view token_hash, Timestamp now,
                                   Credential session) override;

  Result<TicketWrite> CreateTicket(const domain::NewTicket& t, const CustomerRef& customer,
                                   const domain::Principal& who) override;
  Result<TicketWrite> CreateTicketThen(const domain::NewTicket& t, const CustomerRef& customer,
                                       const domain::Principal& who, const Mutation& then) override;
  Result<TicketWrite> CreateTicketFor(const domain::NewTicket& t, CustomerId customer,
                                      const domain::Principal& who) override;
  Result<TicketWrite> ModifyTicket(TicketId id, const Mutation& decide) override;
  std::vector<Result<TicketWrite>> ModifyTickets(
      const std::vector<std::pair<TicketId, Mutation>>& changes) override;
  Result<domain::TicketState> GetTicket(TicketId id) override;
  Result<TicketPage> ListTickets(const TicketQuery& q) override;
  Result<QueueCounts> CountQueues(AgentId agent, const std::vector<TeamId>& teams) override;
  Result<std::vector<domain::Message>> ListMessages(TicketId id, bool include_notes) override;
  Result<std::vector<domain::Event>> ListEvents(TicketId id) override;
  Result<domain::Handoff> GetHandoff(domain::HandoffId id) override;
  Result<std::optional<MessageSource>> FindMessageSource(std::string_view source_key) override;
  Result<std::vector<SearchHit>> Search(std::string_view query,
                                        std::optional<domain::TicketStatus> status,
                                        int limit) override;
  Result<std::vector<CustomerId>> BulkInsertCustomers(
      const std::vector<NewCustomer>& customers) override;
  Status BulkInsertTickets(std::vector<BulkTicket>& tickets) override;
  Result<std::vector<OutboxItem>> ClaimOutbox(
      Timestamp now, Timestamp lease_until, int limit,
      const std::function<std::string(const OutboxItem&)>& make_message_id) override;
  Status FinishOutbox(int64_t id, bool sent, std::string_view error,
                      std::optional<Timestamp> retry_at, Timestamp now) override;
  Result<AutomaticMailCount> CountAutomaticMail(TicketId id, std::string_view address,
                                                Timestamp since) override;
  Result<std::vector<std::string>> ThreadMessageIds(TicketId id) override;
  Result<std::vector<domain::Promise>> ListPromises(const PromiseQuery& q) override;
  Result<std::vector<DuePromise>> DuePromises(Timestamp due_before, bool unreminded_only,
                                              int limit) override;
  Result<std::map<domain::AgentId, PromiseCounts>> CountPromises(Timestamp since) override;
  Result<std::vector<ChaseCount>> CountChases(Timestamp since) override;
  Result<std::vector<FollowThroughEvent>> FollowThroughEvents(Timestamp from, Timestamp to,
                                                              int limit) override;
  Result<bool> QueueDigest(const DigestMail& d, Timestamp now) override;
  Result<bool> HasDigest(AgentId agent, std::string_view day) override;
  Result<std::vector<DigestMail>> ClaimDigests(
      Timestamp now, Timestamp lease_until, int limit,
      const std::function<std::string(const DigestMail&)>& make_message_id) override;
  Status FinishDigest(int64_t id, bool sent, std::string_view error,
                      std::optional<Timestamp> retry_at, Timestamp now) override;
  Result<FollowUpsDue> DueFollowUps(Timestamp ask_before, Timestamp close_before,
                                    int limit) override;
  Result<std::string> Secret(std::string_view name) override;
  Result<std::vector<UnownedTicket>> UnownedTickets(Timestamp opened_before, int limit) override;
  Result<std::vector<TicketId>> ExpiredOffers(Timestamp before, int limit) override;
  Result<AgentAvailability> Availability(Timestamp now) override;
  Result<std::optional<AgentId>> LastHelper(CustomerId customer) override;
  Result<std::set<AgentId>> OfferedTo(TicketId id) override;
  Result<std::vector<TicketId>> SilentTickets(domain::Priority priority, Timestamp waiting_before,
                                              int limit) override;
  Result<std::vector<FeedEvent>> EventsAfter(domain::EventId after_id, int limit) override;
  Result<domain::EventId> LatestEventId() override;
  Result<NotificationPage> ListNotifications(const NotificationQuery& q) override;
  Result<domain::EventId> MarkNotificationsSeen(AgentId agent, domain::EventId up_to) override;
  Result<std::vector<SavedView>> ListSavedViews(AgentId agent) override;
  Result<SavedView> CreateSavedView(AgentId agent, std::string name, std::string query) override;
  Result<SavedView> UpdateSavedView(AgentId agent, int64_t id,
                                    const SavedViewChange& change) override;
  Status DeleteSavedView(AgentId agent, int64_t id) override;
  Result<std::vector<TicketId>> DueSla(Timestamp now, int limit) override;
  Result<domain::Attachment> GetAttachment(domain::AttachmentId id) override;
  Result<std::string> ReadBlob(std::string_view sha256) override;

  // The group writer's counters (groups, units, time busy and committing).
  GroupWriter::Stats writer_stats() const { return writer_->stats(); }

 private:
  // A read connection borrowed from the pool; returned when the lease ends.
  class ReadLease {
   public:
    ReadLease(SqliteStore* store, Connection* conn) : store_(store), conn_(conn) {}
    ~ReadLease() { store_->Release(conn_); }
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_; }

   private:
    SqliteStore* store_;
    Connection* conn_;
  };

  SqliteStore(const Clock& clock, TicketFinisher finish, std::unique_ptr<GroupWriter> writer,
              std::unique_ptr<Checkpointer> checkpointer,
              std::vector<std::unique_ptr<Connection>> readers);

  ReadLease Read();
  void Release(Connection* conn);
  Result<TicketWrite> CreateTicketImpl(const domain::NewTicket& t,
                                       std::optional<CustomerId> customer_id,
                                       const CustomerRef& customer, const domain::Principal& who,
                                       const Mutation* then);
  // Runs finish_ on `change`; without one, makes a computed ticket due for the engine at `now`.
  void Finish(domain::Change& change, Timestamp now) const;
  // Runs Finish on the decided `change` of `state`, then writes it. A change without events or
  // messages writes only the SLA bookkeeping, when that changed. REQUIRES: in a write unit.
  Result<TicketWrite> Commit(Connection& c, domain::TicketState state, domain::Change change);

  const Clock& clock_;
  const TicketFinisher finish_;
  std::unique_ptr<GroupWriter> writer_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> free_readers_;  // Guarded by pool_mu_.
};

}  // namespace steadfast::storage::sqlite
