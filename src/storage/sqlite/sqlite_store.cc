#include "storage/sqlite/sqlite_store.h"

#include "common/text.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

using namespace domain;  // NOLINT

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options,
                                                       const Clock& clock) {
  SF_ASSIGN_OR_RETURN(auto write_conn, Connection::Open(options.path, /*read_only=*/false));
  SF_RETURN_IF_ERROR(Migrate(*write_conn));
  // Checkpoints run on their own thread (see Checkpointer), not inside the writer's commits.
  SF_RETURN_IF_ERROR(write_conn->Exec("PRAGMA wal_autocheckpoint=0"));
  SF_ASSIGN_OR_RETURN(auto checkpoint_conn, Connection::Open(options.path, /*read_only=*/false));
  SF_RETURN_IF_ERROR(checkpoint_conn->Exec("PRAGMA wal_autocheckpoint=0"));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    SF_ASSIGN_OR_RETURN(auto conn, Connection::Open(options.path, /*read_only=*/true));
    readers.push_back(std::move(conn));
  }
  auto writer = std::make_unique<GroupWriter>(std::move(write_conn), SyncMode::kPipelined);
  // Every 3 s, not 250 ms: each checkpoint ends with an fsync of the database file, and WAL
  // fsyncs queued behind it make requests wait. At 3 s a write's p99 fell from 8.6 to 1.6-1.9 ms
  // and ingest's from 515 to 25-130 ms (bench/RESULTS.md). A longer stall still comes with each
  // checkpoint while the engine drains a large backlog (p99 20-280 ms over three runs).
  auto checkpointer = std::make_unique<Checkpointer>(std::move(checkpoint_conn), 3000);
  return std::unique_ptr<SqliteStore>(new SqliteStore(clock, options.finish, std::move(writer),
                                                      std::move(checkpointer), std::move(readers)));
}

SqliteStore::SqliteStore(const Clock& clock, TicketFinisher finish,
                         std::unique_ptr<GroupWriter> writer,
                         std::unique_ptr<Checkpointer> checkpointer,
                         std::vector<std::unique_ptr<Connection>> readers)
    : clock_(clock),
      finish_(std::move(finish)),
      writer_(std::move(writer)),
      checkpointer_(std::move(checkpointer)),
      readers_(std::move(readers)) {
  for (auto& r : readers_) free_readers_.push_back(r.get());
}

SqliteStore::~SqliteStore() = default;

SqliteStore::ReadLease SqliteStore::Read() {
  std::unique_lock<std::mutex> lock(pool_mu_);
  pool_cv_.wait(lock, [&] { return !free_readers_.empty(); });
  Connection* conn = free_readers_.back();
  free_readers_.pop_back();
  return ReadLease(this, conn);
}

void SqliteStore::Release(Connection* conn) {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    free_readers_.push_back(conn);
  }
  pool_cv_.notify_one();
}

// ---- Companies and customers ----

Result<Company> SqliteStore::CreateCompany(std::string name, bool shares_tickets) {
  const Timestamp now = clock_.Now();
  return WriteResult<Company>(*writer_, [&](Connection& c) -> Result<Company> {
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO companies(name, shares_tickets, created_at) VALUES(?, ?, ?)")
            .Bind(1, name)
            .Bind(2, int64_t{shares_tickets ? 1 : 0})
            .Bind(3, now.millis)
            .Run());
    return Company{c.LastInsertId(), name, shares_tickets, now};
  });
}

Result<Company> SqliteStore::GetCompany(CompanyId id) {
  auto conn = Read();
  Statement st =
      conn->Prepare("SELECT id, name, shares_tickets, created_at FROM companies WHERE id = ?");
  st.Bind(1, id);
  if (st.Step()) return Company{st.Int(0), st.Text(1), st.Int(2) != 0, Timestamp{st.Int(3)}};
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("company " + std::to_string(id) + " not found");
}

namespace {

Status CheckCompanyExists(Connection& c, const std::optional<CompanyId>& id) {
  if (!id.has_value()) return Status::Ok();
  Statement st = c.Prepare("SELECT 1 FROM companies WHERE id = ?");
  st.Bind(1, *id);
  if (st.Step()) return Status::Ok();
  SF_RETURN_IF_ERROR(st.status());
  return Status::InvalidArgument("company_id", "no company " + std::to_string(*id));
}

Status WriteEmails(Connection& c, CustomerId id, const std::vector<std::string>& emails) {
  SF_RETURN_IF_ERROR(
      c.Prepare("DELETE FROM customer_emails WHERE customer_id = ?").Bind(1, id).Run());
  int64_t position = 0;
  for (const auto& email : emails) {
    Statement owner = c.Prepare("SELECT customer_id FROM customer_emails WHERE email = ?");
    owner.Bind(1, email);
    if (owner.Step()) {
      return Status::Conflict("email " + email + " already belongs to customer " +
                              std::to_string(owner.Int(0)));
    }
    SF_RETURN_IF_ERROR(owner.status());
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO customer_emails(email, customer_id, position) VALUES(?, ?, ?)")
            .Bind(1, email)
            .Bind(2, id)
            .Bind(3, position++)
            .Run());
  }
  return Status::Ok();
}

}  // namespace

Result<Customer> InsertCustomer(Connection& c, const NewCustomer& in, Timestamp now) {
  SF_RETURN_IF_ERROR(CheckCompanyExists(c, in.company_id));
  SF_RETURN_IF_ERROR(
      c.Prepare("INSERT INTO customers(name, company_id, timezone, language, notes, created_at, "
                "updated_at, version) VALUES(?, ?, ?, ?, ?, ?, ?, 1)")
          .Bind(1, in.name)
          .Bind(2, in.company_id)
          .Bind(3, in.timezone)
          .Bind(4, in.language)
          .Bind(5, in.notes)
          .Bind(6, now.millis)
          .Bind(7, now.millis)
          .Run());
  const CustomerId id = c.LastInsertId();
  SF_RETURN_IF_ERROR(WriteEmails(c, id, in.emails));
  return LoadCustomer(c, id);
}

Result<Customer> SqliteStore::CreateCustomer(const NewCustomer& in) {
  const Timestamp now = clock_.Now();
  return WriteResult<Customer>(*writer_, [&](Connection& c) { return InsertCustomer(c, in, now); });
}

Result<Customer> SqliteStore::GetCustomer(CustomerId id) {
  auto conn = Read();
  return LoadCustomer(*conn, id);
}

Result<Customer> SqliteStore::FindCustomerByEmail(std::string_view email) {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT customer_id FROM customer_emails WHERE email = ?");
  st.Bind(1, AsciiLower(email));
  if (!st.Step()) {
    SF_RETURN_IF_ERROR(st.status());
    return Status::NotFound("no customer with email " + std::string(email));
  }
  return LoadCustomer(*conn, st.Int(0));
}

Result<std::vector<Customer>> SqliteStore::ListCustomers(const CustomerQuery& q) {
  auto conn = Read();
  std::vector<CustomerId> ids;
  if (!q.email.empty()) {
    Statement st = conn->Prepare("SELECT customer_id FROM customer_emails WHERE email = ?");
    st.Bind(1, AsciiLower(q.email));
    while (st.Step()) ids.push_back(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  } else {
    Statement st = conn->Prepare("SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?");
    st.Bind(1, q.after_id.value_or(0)).Bind(2, int64_t{q.limit});
    while (st.Step()) ids.push_back(st.Int(0));
    SF_RETURN_IF_ERROR(st.status());
  }
  std::vector<Customer> out;
  for (CustomerId id : ids) {
    SF_ASSIGN_OR_RETURN(Customer c, LoadCustomer(*conn, id));
    out.push_back(std::move(c));
  }
  return out;
}

Result<Customer> SqliteStore::UpdateCustomer(CustomerId id, const CustomerPatch& patch,
                                             int64_t expected_version) {
  const Timestamp now = clock_.Now();
  return WriteResult<Customer>(*writer_, [&](Connection& c) -> Result<Customer> {
    SF_ASSIGN_OR_RETURN(Customer cur, LoadCustomer(c, id));
    if (cur.version != expected_version) {
      return Status::Conflict("customer was changed by someone else (version " +
                              std::to_string(cur.version) + "); reload and retry");
    }
    if (patch.name) cur.name = *patch.name;
    if (patch.company_id) {
      SF_RETURN_IF_ERROR(CheckCompanyExists(c, *patch.company_id));
      cur.company_id = *patch.company_id;
    }
    if (patch.timezone) cur.timezone = *patch.timezone;
    if (patch.language) cur.language = *patch.language;
    if (patch.notes) cur.notes = *patch.notes;
    SF_RETURN_IF_ERROR(
        c.Prepare("UPDATE customers SET name = ?, company_id = ?, timezone = ?, language = ?, "
                  "notes = ?, updated_at = ?, version = version + 1 WHERE id = ?")
            .Bind(1, cur.name)
            .Bind(2, cur.company_id)
            .Bind(3, cur.timezone)
            .Bind(4, cur.language)
            .Bind(5, cur.notes)
            .Bind(6, now.millis)
            .Bind(7, id)
            .Run());
    if (patch.emails) SF_RETURN_IF_ERROR(WriteEmails(c, id, *patch.emails));
    SF_ASSIGN_OR_RETURN(Customer after, LoadCustomer(c, id));
    if (patch.name || patch.emails) {
      c.DeferIndexWrite(
          "UPDATE ticket_search SET customer = ?2 WHERE rowid IN "
          "(SELECT id FROM tickets WHERE customer_id = ?1)",
          id, {CustomerSearchText(after)});
    }
    return after;
  });
}

// ---- Agents and teams ----

Result<Agent> SqliteStore::CreateAgent(const NewAgent& in) {
  const Timestamp now = clock_.Now();
  return WriteResult<Agent>(*writer_, [&](Connection& c) -> Result<Agent> {
    Statement dup = c.Prepare("SELECT 1 FROM agents WHERE email = ?");
    dup.Bind(1, in.email);
    if (dup.Step()) return Status::Conflict("an agent with email " + in.email + " exists");
    SF_RETURN_IF_ERROR(dup.status());
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO agents(name, email, role, password_hash, active, created_at) "
                  "VALUES(?, ?, ?, ?, 1, ?)")
            .Bind(1, in.name)
            .Bind(2, in.email)
            .Bind(3, Name(in.role))
            .Bind(4, in.password_hash)
            .Bind(5, now.millis)
            .Run());
    const AgentId id = c.LastInsertId();
    for (TeamId team : in.teams) {
      Statement exists = c.Prepare("SELECT 1 FROM teams WHERE id = ?");
      exists.Bind(1, team);
      if (!exists.Step()) {
        SF_RETURN_IF_ERROR(exists.status());
        return Status::InvalidArgument("teams", "no team " + std::to_string(team));
      }
      SF_RETURN_IF_ERROR(c.Prepare("INSERT OR IGNORE INTO agent_teams(agent_id, team_id) "
                                   "VALUES(?, ?)")
                             .Bind(1, id)
                             .Bind(2, team)
                             .Run());
    }
    return LoadAgent(c, id);
  });
}

Result<Agent> SqliteStore::GetAgent(AgentId id) {
  auto conn = Read();
  return LoadAgent(*conn, id);
}

Result<AgentCredentials> SqliteStore::FindAgentByEmail(std::string_view email) {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT id, password_hash FROM agents WHERE email = ?");
  st.Bind(1, AsciiLower(email));
  if (!st.Step()) {
    SF_RETURN_IF_ERROR(st.status());
    return Status::NotFound("no agent with email " + std::string(email));
  }
  AgentCredentials out;
  out.password_hash = st.Text(1);
  SF_ASSIGN_OR_RETURN(out.agent, LoadAgent(*conn, st.Int(0)));
  return out;
}

Result<std::vector<Agent>> SqliteStore::ListAgents() {
  auto conn = Read();
  std::vector<AgentId> ids;
  Statement st = conn->Prepare("SELECT id FROM agents ORDER BY id");
  while (st.Step()) ids.push_back(st.Int(0));
  SF_RETURN_IF_ERROR(st.status());
  std::vector<Agent> out;
  for (AgentId id : ids) {
    SF_ASSIGN_OR_RETURN(Agent a, LoadAgent(*conn, id));
    out.push_back(std::move(a));
  }
  return out;
}

Result<Team> SqliteStore::CreateTeam(std::string name) {
  const Timestamp now = clock_.Now();
  return WriteResult<Team>(*writer_, [&](Connection& c) -> Result<Team> {
    Statement dup = c.Prepare("SELECT 1 FROM teams WHERE name = ?");
    dup.Bind(1, name);
    if (dup.Step()) return Status::Conflict("a team named '" + name + "' exists");
    SF_RETURN_IF_ERROR(dup.status());
    SF_RETURN_IF_ERROR(c.Prepare("INSERT INTO teams(name, created_at) VALUES(?, ?)")
                           .Bind(1, name)
                           .Bind(2, now.millis)
                           .Run());
    return Team{c.LastInsertId(), name, now};
  });
}

Result<Team> SqliteStore::GetTeam(TeamId id) {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT id, name, created_at FROM teams WHERE id = ?");
  st.Bind(1, id);
  if (st.Step()) return Team{st.Int(0), st.Text(1), Timestamp{st.Int(2)}};
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("team " + std::to_string(id) + " not found");
}

Result<std::vector<Team>> SqliteStore::ListTeams() {
  auto conn = Read();
  std::vector<Team> out;
  Statement st = conn->Prepare("SELECT id, name, created_at FROM teams ORDER BY name");
  while (st.Step()) out.push_back(Team{st.Int(0), st.Text(1), Timestamp{st.Int(2)}});
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

// ---- Credentials ----

Status SqliteStore::SaveCredential(const Credential& cred) {
  return writer_->Run([&](Connection& c) {
    std::optional<int64_t> expires;
    if (cred.expires_at) expires = cred.expires_at->millis;
    return c
        .Prepare(
            "INSERT INTO credentials(token_hash, kind, principal_id, csrf_token, label, "
            "created_at, expires_at) VALUES(?, ?, ?, ?, ?, ?, ?)")
        .Bind(1, cred.token_hash)
        .Bind(2, Name(cred.kind))
        .Bind(3, cred.principal_id)
        .Bind(4, cred.csrf_token)
        .Bind(5, cred.label)
        .Bind(6, cred.created_at.millis)
        .Bind(7, expires)
        .Run();
  });
}

Result<Credential> SqliteStore::FindCredential(std::string_view token_hash) {
  auto conn = Read();
  Statement st = conn->Prepare(
      "SELECT token_hash, kind, principal_id, csrf_token, label, created_at, expires_at "
      "FROM credentials WHERE token_hash = ?");
  st.Bind(1, token_hash);
  if (!st.Step()) {
    SF_RETURN_IF_ERROR(st.status());
    return Status::NotFound("no such credential");
  }
  Credential c;
  c.token_hash = st.Text(0);
  c.kind = st.Text(1) == "customer" ? Actor::Kind::kCustomer : Actor::Kind::kAgent;
  c.principal_id = st.Int(2);
  c.csrf_token = st.Text(3);
  c.label = st.Text(4);
  c.created_at = Timestamp{st.Int(5)};
  if (auto e = st.OptInt(6)) c.expires_at = Timestamp{*e};
  return c;
}

Status SqliteStore::DeleteCredential(std::string_view token_hash) {
  return writer_->Run([&](Connection& c) {
    return c.Prepare("DELETE FROM credentials WHERE token_hash = ?").Bind(1, token_hash).Run();
  });
}

}  // namespace steadfast::storage::sqlite
