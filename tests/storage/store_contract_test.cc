// The storage contract: every backend runs every test here through the abstract Store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "domain/follow_through.h"
#include "domain/ticket_rules.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"
namespace steadfast::storage {
namespace {

using domain::Actor;
using domain::Agent;
using domain::Change;
using domain::Customer;
using domain::Event;
using domain::Message;
using domain::MessageKind;
using domain::NewAttachment;
using domain::NewMessage;
using domain::NewTicket;
using domain::Outcome;
using domain::Principal;
using domain::Priority;
using domain::Role;
using domain::Ticket;
using domain::TicketState;
using domain::TicketStatus;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using namespace std::chrono_literals;

// Opens the store whose data lives under `dir`, creating it on first use. Opening the same `dir`
// again reopens the same data (a server backend keys its database by `dir`).
using StoreFactory = Result<std::unique_ptr<Store>> (*)(const std::string& dir, const Clock& clock);

std::string SqlitePath(const std::string& dir) { return dir + "/steadfast.db"; }

Result<std::unique_ptr<Store>> NewSqlite(const std::string& dir, const Clock& clock) {
  sqlite::SqliteOptions options;
  options.path = SqlitePath(dir);
  SF_ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(options, clock));
  return std::unique_ptr<Store>(std::move(store));
}

using ::steadfast::testing::Cat;
using ::steadfast::testing::TempDir;

// The value of `r`. An error fails the test: the exception is reported by GoogleTest with the
// Status, and the test stops there.
template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) throw std::runtime_error("unexpected error: " + r.status().ToString());
  return std::move(r).value();
}

// The code's name ("Conflict"), so that a failed expectation says what came back.
std::string_view Code(const Status& s) { return StatusCodeName(s.code()); }

template <typename T>
std::vector<domain::TicketId> Ids(const std::vector<T>& items) {
  std::vector<domain::TicketId> out;
  for (const T& item : items) {
    if constexpr (std::is_same_v<T, SearchHit>) {
      out.push_back(item.ticket.id);
    } else {
      out.push_back(item.id);
    }
  }
  return out;
}

std::vector<std::string> Types(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(e.type);
  return out;
}

std::vector<std::string> Bodies(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages) out.push_back(m.body);
  return out;
}

NewTicket TicketOf(std::string subject, std::string body) {
  NewTicket t;
  t.subject = std::move(subject);
  t.body = std::move(body);
  t.channel = domain::Channel::kEmail;
  return t;
}

// A TicketQuery built field by field: Query().WithStatus(kOpen).WithCustomer(id).
struct Query : TicketQuery {
  Query& WithStatus(TicketStatus v) {
    status = v;
    return *this;
  }
  Query& WithOwner(domain::AgentId v) {
    owner = v;
    return *this;
  }
  Query& Unowned() {
    unowned = true;
    return *this;
  }
  Query& WithCustomer(domain::CustomerId v) {
    customer = v;
    return *this;
  }
  Query& WithTag(std::string v) {
    tag = std::move(v);
    return *this;
  }
  Query& WithTeam(domain::TeamId v) {
    team = v;
    return *this;
  }
  Query& WithText(std::string v) {
    text = std::move(v);
    return *this;
  }
  Query& WithLimit(int v) {
    limit = v;
    return *this;
  }
};

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    Open();
  }

  void TearDown() override {
    store_.reset();
    dir_.reset();
  }

  void Open() {
    auto store = GetParam()(dir_->path(), clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // Closes the store and opens it again on the same data.
  void Reopen() {
    store_.reset();
    Open();
  }

  Store& store() { return *store_; }

  Agent MakeAgent(std::string name, std::string email, Role role = Role::kAgent,
                  std::vector<domain::TeamId> teams = {}) {
    NewAgent a;
    a.name = std::move(name);
    a.email = std::move(email);
    a.role = role;
    a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    a.teams = std::move(teams);
    return Must(store().CreateAgent(a));
  }

  Customer MakeCustomer(std::string name, std::vector<std::string> emails,
                        std::optional<domain::CompanyId> company = std::nullopt) {
    NewCustomer c;
    c.name = std::move(name);
    c.emails = std::move(emails);
    c.company_id = company;
    return Must(store().CreateCustomer(c));
  }

  // A ticket written in by `email` (the customer is found or created), logged by the system.
  TicketWrite OpenTicket(std::string subject, std::string body, std::string email,
                         std::string name = "") {
    return Must(store().CreateTicket(TicketOf(std::move(subject), std::move(body)),
                                     CustomerRef{std::move(email), std::move(name)},
                                     Principal::System()));
  }

  domain::TicketId OpenTicketId(std::string subject, std::string body, std::string email) {
    return OpenTicket(std::move(subject), std::move(body), std::move(email)).state.ticket.id;
  }

  Mutation Say(Principal who, MessageKind kind, std::string body,
               std::vector<NewAttachment> attachments = {}) {
    return [this, who, kind, body = std::move(body),
            attachments = std::move(attachments)](const TicketState& s) {
      NewMessage m;
      m.kind = kind;
      m.body = body;
      m.attachments = attachments;
      return domain::AddMessage(s, who, std::move(m), /*then_pending=*/false, clock_.Now());
    };
  }
  Mutation Reply(const Agent& a, std::string body) {
    return Say(Principal::ForAgent(a), MessageKind::kReply, std::move(body));
  }
  Mutation Note(const Agent& a, std::string body) {
    return Say(Principal::ForAgent(a), MessageKind::kNote, std::move(body));
  }
  Mutation Edit(const Agent& a, domain::TicketPatch patch, int64_t expected_version) {
    return [this, who = Principal::ForAgent(a), patch, expected_version](const TicketState& s) {
      return domain::EditTicket(s, who, patch, expected_version, clock_.Now());
    };
  }
  Mutation Resolve(const Agent& a, domain::ResolutionInput input) {
    return [this, who = Principal::ForAgent(a), input](const TicketState& s) {
      return domain::Resolve(s, who, input, clock_.Now());
    };
  }

  Ticket Get(domain::TicketId id) { return Must(store().GetTicket(id)).ticket; }

  std::vector<domain::TicketId> List(TicketQuery q) {
    return Ids(Must(store().ListTickets(q)).items);
  }

  std::vector<domain::TicketId> SearchIds(std::string_view query,
                                          std::optional<TicketStatus> status = std::nullopt) {
    return Ids(Must(store().Search(query, status, 50)));
  }

  testing::FakeClock clock_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Store> store_;
};

// ---- Customers and companies ----

TEST_P(StoreContract, CustomerIsCreatedAndReadBackByIdAndByAnyEmailIgnoringCase) {
  NewCustomer in;
  in.name = "Ana Lima";
  in.emails = {"ana@example.com", "ana.lima@work.example"};
  in.timezone = "Europe/Lisbon";
  in.language = "pt-PT";
  in.notes = "Prefers phone";
  const Customer c = Must(store().CreateCustomer(in));
  EXPECT_GT(c.id, 0);
  EXPECT_EQ(c.name, "Ana Lima");
  EXPECT_THAT(c.emails, ElementsAre("ana@example.com", "ana.lima@work.example"));
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.created_at, clock_.Now());

  const Customer got = Must(store().GetCustomer(c.id));
  EXPECT_EQ(got.name, "Ana Lima");
  EXPECT_THAT(got.emails, ElementsAre("ana@example.com", "ana.lima@work.example"));
  EXPECT_EQ(got.timezone, "Europe/Lisbon");
  EXPECT_EQ(got.language, "pt-PT");
  EXPECT_EQ(got.notes, "Prefers phone");
  EXPECT_EQ(got.company_id, std::nullopt);

  EXPECT_EQ(Must(store().FindCustomerByEmail("ana@example.com")).id, c.id);
  EXPECT_EQ(Must(store().FindCustomerByEmail("ANA.Lima@Work.Example")).id, c.id);
  EXPECT_EQ(Code(store().FindCustomerByEmail("nobody@example.com").status()), "NotFound");
  EXPECT_EQ(Code(store().GetCustomer(c.id + 1000).status()), "NotFound");
}

TEST_P(StoreContract, DuplicateCustomerEmailIsConflictAndLeavesNothingBehind) {
  MakeCustomer("Ana", {"ana@example.com"});
  NewCustomer impostor;
  impostor.name = "Impostor";
  impostor.emails = {"new@example.com", "ana@example.com"};
  auto dup = store().CreateCustomer(impostor);
  EXPECT_EQ(Code(dup.status()), "Conflict") << dup.status().ToString();
  EXPECT_EQ(Code(store().FindCustomerByEmail("new@example.com").status()), "NotFound");
  EXPECT_EQ(Must(store().ListCustomers(CustomerQuery{})).size(), 1u);
}

TEST_P(StoreContract, UpdateCustomerChecksTheVersion) {
  const Customer c = MakeCustomer("Ana", {"ana@example.com"});
  clock_.Advance(1min);
  CustomerPatch rename;
  rename.name = "Ana Lima";
  const Customer updated = Must(store().UpdateCustomer(c.id, rename, 1));
  EXPECT_EQ(updated.name, "Ana Lima");
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.updated_at, clock_.Now());

  CustomerPatch stale;
  stale.name = "Lost update";
  stale.notes = "should not be written";
  auto r = store().UpdateCustomer(c.id, stale, 1);
  EXPECT_EQ(Code(r.status()), "Conflict") << r.status().ToString();
  const Customer now = Must(store().GetCustomer(c.id));
  EXPECT_EQ(now.name, "Ana Lima");
  EXPECT_EQ(now.notes, "");
  EXPECT_EQ(now.version, 2);

  EXPECT_EQ(Code(store().UpdateCustomer(c.id + 1000, rename, 1).status()), "NotFound");
}

TEST_P(StoreContract, UpdateCustomerWithSomeoneElsesEmailIsConflict) {
  const Customer ana = MakeCustomer("Ana", {"ana@example.com"});
  MakeCustomer("Bo", {"bo@example.com"});
  CustomerPatch patch;
  patch.emails = std::vector<std::string>{"ana@new.example", "bo@example.com"};
  EXPECT_EQ(Code(store().UpdateCustomer(ana.id, patch, 1).status()), "Conflict");
  const Customer now = Must(store().GetCustomer(ana.id));
  EXPECT_THAT(now.emails, ElementsAre("ana@example.com"));
  EXPECT_EQ(now.version, 1);
  EXPECT_EQ(Code(store().FindCustomerByEmail("ana@new.example").status()), "NotFound");

  patch.emails = std::vector<std::string>{"ana@new.example", "ana@example.com"};
  const Customer moved = Must(store().UpdateCustomer(ana.id, patch, 1));
  EXPECT_THAT(moved.emails, ElementsAre("ana@new.example", "ana@example.com"));
  EXPECT_EQ(Must(store().FindCustomerByEmail("ana@new.example")).id, ana.id);
}

TEST_P(StoreContract, UpdatingCustomerNameAndEmailsReindexesTheirTickets) {
  const domain::TicketId id =
      OpenTicket("Login trouble", "Cannot sign in", "zq@oldmail.example", "Zebulon Quarrington")
          .state.ticket.id;
  ASSERT_THAT(SearchIds("Quarrington"), ElementsAre(id));

  const Customer c = Must(store().FindCustomerByEmail("zq@oldmail.example"));
  CustomerPatch patch;
  patch.name = "Zebulon Marchetti";
  patch.emails = std::vector<std::string>{"zm@newmail.example"};
  Must(store().UpdateCustomer(c.id, patch, c.version));

  EXPECT_THAT(SearchIds("Marchetti"), ElementsAre(id));
  EXPECT_THAT(SearchIds("newmail"), ElementsAre(id));
  EXPECT_THAT(SearchIds("Quarrington"), IsEmpty());
  EXPECT_THAT(SearchIds("oldmail"), IsEmpty());
}

TEST_P(StoreContract, CompaniesAreCreatedAndCustomersJoinThem) {
  const domain::Company acme = Must(store().CreateCompany("Acme", true));
  const domain::Company solo = Must(store().CreateCompany("Solo Ltd", false));
  EXPECT_NE(acme.id, solo.id);
  const domain::Company got = Must(store().GetCompany(acme.id));
  EXPECT_EQ(got.name, "Acme");
  EXPECT_TRUE(got.shares_tickets);
  EXPECT_FALSE(Must(store().GetCompany(solo.id)).shares_tickets);
  EXPECT_EQ(Code(store().GetCompany(solo.id + acme.id + 100).status()), "NotFound");

  const Customer c = MakeCustomer("Wile", {"wile@acme.example"}, acme.id);
  EXPECT_EQ(Must(store().GetCustomer(c.id)).company_id, acme.id);

  NewCustomer nobody;
  nobody.name = "Nobody";
  nobody.emails = {"n@x.example"};
  nobody.company_id = acme.id + solo.id + 100;
  auto bad = store().CreateCustomer(nobody);
  EXPECT_EQ(Code(bad.status()), "InvalidArgument") << bad.status().ToString();
  EXPECT_EQ(Code(store().FindCustomerByEmail("n@x.example").status()), "NotFound");
}

// ---- Agents, teams, credentials ----

TEST_P(StoreContract, AgentIsCreatedAndFoundByEmailWithPasswordHashAndTeams) {
  const domain::Team billing = Must(store().CreateTeam("Billing"));
  const domain::Team tech = Must(store().CreateTeam("Tech"));
  EXPECT_EQ(Must(store().GetTeam(billing.id)).name, "Billing");
  EXPECT_THAT(Must(store().ListTeams()).size(), 2u);
  EXPECT_EQ(Code(store().CreateTeam("Billing").status()), "Conflict");
  EXPECT_EQ(Code(store().GetTeam(billing.id + tech.id + 100).status()), "NotFound");

  NewAgent in;
  in.name = "Bo";
  in.email = "bo@help.example";
  in.role = Role::kLead;
  in.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  in.teams = {tech.id, billing.id};
  const Agent bo = Must(store().CreateAgent(in));
  EXPECT_GT(bo.id, 0);
  EXPECT_EQ(bo.role, Role::kLead);
  EXPECT_TRUE(bo.active);
  EXPECT_THAT(bo.teams, UnorderedElementsAre(billing.id, tech.id));

  const AgentCredentials found = Must(store().FindAgentByEmail("BO@Help.Example"));
  EXPECT_EQ(found.agent.id, bo.id);
  EXPECT_EQ(found.agent.email, "bo@help.example");
  EXPECT_EQ(found.password_hash, in.password_hash);
  EXPECT_THAT(found.agent.teams, UnorderedElementsAre(billing.id, tech.id));
  EXPECT_EQ(Must(store().GetAgent(bo.id)).name, "Bo");
  EXPECT_THAT(Ids(Must(store().ListAgents())), ElementsAre(bo.id));
  EXPECT_EQ(Code(store().FindAgentByEmail("nobody@help.example").status()), "NotFound");
  EXPECT_EQ(Code(store().GetAgent(bo.id + 100).status()), "NotFound");
}

TEST_P(StoreContract, DuplicateAgentEmailIsConflict) {
  MakeAgent("Bo", "bo@help.example");
  NewAgent other;
  other.name = "Other Bo";
  other.email = "bo@help.example";
  auto dup = store().CreateAgent(other);
  EXPECT_EQ(Code(dup.status()), "Conflict") << dup.status().ToString();
  EXPECT_EQ(Must(store().ListAgents()).size(), 1u);
}

TEST_P(StoreContract, AgentWithUnknownTeamIsInvalidAndNotCreated) {
  const domain::Team team = Must(store().CreateTeam("Tech"));
  NewAgent in;
  in.name = "Cy";
  in.email = "cy@help.example";
  in.teams = {team.id, team.id + 100};
  auto r = store().CreateAgent(in);
  EXPECT_EQ(Code(r.status()), "InvalidArgument") << r.status().ToString();
  EXPECT_EQ(r.status().field(), "teams");
  EXPECT_EQ(Code(store().FindAgentByEmail("cy@help.example").status()), "NotFound");
}

TEST_P(StoreContract, CredentialsAreSavedFoundAndDeleted) {
  Credential session;
  session.token_hash = std::string(64, 'a');
  session.kind = Actor::Kind::kCustomer;
  session.principal_id = 42;
  session.csrf_token = "csrf-123";
  session.created_at = clock_.Now();
  session.expires_at = Timestamp{clock_.Now().millis + 3'600'000};
  ASSERT_TRUE(store().SaveCredential(session).ok());

  Credential token;
  token.token_hash = std::string(64, 'b');
  token.kind = Actor::Kind::kAgent;
  token.principal_id = 7;
  token.label = "CI export";
  token.created_at = clock_.Now();
  ASSERT_TRUE(store().SaveCredential(token).ok());

  const Credential s = Must(store().FindCredential(session.token_hash));
  EXPECT_EQ(s.kind, Actor::Kind::kCustomer);
  EXPECT_EQ(s.principal_id, 42);
  EXPECT_EQ(s.csrf_token, "csrf-123");
  EXPECT_EQ(s.created_at, session.created_at);
  EXPECT_EQ(s.expires_at, session.expires_at);
  const Credential t = Must(store().FindCredential(token.token_hash));
  EXPECT_EQ(t.kind, Actor::Kind::kAgent);
  EXPECT_EQ(t.principal_id, 7);
  EXPECT_EQ(t.label, "CI export");
  EXPECT_EQ(t.csrf_token, "");
  EXPECT_EQ(t.expires_at, std::nullopt);

  EXPECT_EQ(Code(store().SaveCredential(session)), "Conflict");

  ASSERT_TRUE(store().DeleteCredential(session.token_hash).ok());
  EXPECT_EQ(Code(store().FindCredential(session.token_hash).status()), "NotFound");
  EXPECT_TRUE(store().FindCredential(token.token_hash).ok());
  EXPECT_EQ(Code(store().FindCredential(std::string(64, 'c')).status()), "NotFound");
}

// A portal link for `c` made now, valid for 15 minutes.
PortalLink LinkFor(const Customer& c, Timestamp now) {
  PortalLink link;
  link.token_hash = std::string(64, 'd');
  link.customer_id = c.id;
  link.created_at = now;
  link.expires_at = Timestamp{now.millis + 15 * 60'000};
  return link;
}

// A customer session to start with a portal link (kind and principal are the store's to set).
Credential PortalSession(Timestamp now) {
  Credential session;
  session.token_hash = std::string(64, 'e');
  session.csrf_token = "csrf-1";
  session.label = "session";
  session.created_at = now;
  session.expires_at = Timestamp{now.millis + 3'600'000};
  return session;
}

TEST_P(StoreContract, PortalLinkSignsInOnceBeforeItExpiresAndItsMailIsQueued) {
  const Customer c = MakeCustomer("Pat", {"pat@example.com"});
  const PortalLink link = LinkFor(c, clock_.Now());
  ASSERT_TRUE(store()
                  .SavePortalLink(link, DirectMail{"pat@example.com", "Your sign-in link",
                                                   "Open https://help.example/portal/..."})
                  .ok());

  // The mail is queued as automatic mail about no ticket, with its own subject and body.
  const Timestamp now = clock_.Now();
  const auto claimed = Must(store().ClaimOutbox(
      now, now, 10, [](const OutboxItem& item) { return "link-" + std::to_string(item.id); }));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].ticket_id, 0);
  EXPECT_EQ(claimed[0].message_id, 0);
  EXPECT_TRUE(claimed[0].automatic);
  EXPECT_EQ(claimed[0].to_address, "pat@example.com");
  EXPECT_EQ(claimed[0].subject, "Your sign-in link");
  EXPECT_EQ(claimed[0].body, "Open https://help.example/portal/...");
  EXPECT_EQ(Must(store().CountAutomaticMail(0, "pat@example.com", Timestamp{0})).to_address, 1);
  // Once sent, the outbox keeps no copy of the link.
  ASSERT_TRUE(store().FinishOutbox(claimed[0].id, true, "", std::nullopt, now).ok());
  clock_.Advance(10min);
  const Timestamp later = clock_.Now();
  EXPECT_TRUE(Must(store().ClaimOutbox(later, later, 10, [](const OutboxItem&) {
                return std::string("x");
              })).empty());

  Credential session = PortalSession(clock_.Now());
  // Unknown: nothing happens.
  EXPECT_EQ(Code(store().UsePortalLink(std::string(64, 'f'), clock_.Now(), session).status()),
            "NotFound");
  EXPECT_EQ(Code(store().FindCredential(session.token_hash).status()), "NotFound");
  // Used once (10 minutes in): the session is the customer's.
  EXPECT_EQ(Must(store().UsePortalLink(link.token_hash, clock_.Now(), session)), c.id);
  const Credential s = Must(store().FindCredential(session.token_hash));
  EXPECT_EQ(s.kind, Actor::Kind::kCustomer);
  EXPECT_EQ(s.principal_id, c.id);
  EXPECT_EQ(s.csrf_token, "csrf-1");
  // Not twice.
  session.token_hash = std::string(64, '1');
  EXPECT_EQ(Code(store().UsePortalLink(link.token_hash, clock_.Now(), session).status()),
            "NotFound");
  EXPECT_EQ(Code(store().FindCredential(session.token_hash).status()), "NotFound");
}

TEST_P(StoreContract, PortalLinkDoesNotWorkFromTheMomentItExpires) {
  const Customer c = MakeCustomer("Pat", {"pat@example.com"});
  const PortalLink link = LinkFor(c, clock_.Now());
  ASSERT_TRUE(store().SavePortalLink(link, DirectMail{"pat@example.com", "s", "b"}).ok());
  const Credential session = PortalSession(clock_.Now());
  clock_.Advance(15min);
  EXPECT_EQ(Code(store().UsePortalLink(link.token_hash, clock_.Now(), session).status()),
            "NotFound");
  EXPECT_EQ(Code(store().FindCredential(session.token_hash).status()), "NotFound");
  // The same link a moment before its end would have worked: the bound is the expiry itself.
  EXPECT_EQ(
      Must(store().UsePortalLink(link.token_hash, Timestamp{link.expires_at.millis - 1}, session)),
      c.id);
}

// ---- Creating tickets ----

TEST_P(StoreContract, CreateTicketCreatesTheCustomerThenFindsThemByEmail) {
  NewTicket in = TicketOf("Printer on fire", "It started smoking at 9.");
  in.priority = Priority::kHigh;
  in.tags = {"hardware", "urgent-ish"};
  const TicketWrite w = Must(
      store().CreateTicket(in, CustomerRef{"pat@example.com", "Pat Doe"}, Principal::System()));
  const Ticket& t = w.state.ticket;
  const Customer pat = Must(store().FindCustomerByEmail("pat@example.com"));
  EXPECT_EQ(pat.name, "Pat Doe");
  EXPECT_GT(t.id, 0);
  EXPECT_GT(t.number, 0);
  EXPECT_EQ(t.customer_id, pat.id);
  EXPECT_EQ(t.subject, "Printer on fire");
  EXPECT_EQ(t.status, TicketStatus::kNew);
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.priority, Priority::kHigh);
  EXPECT_THAT(t.tags, ElementsAre("hardware", "urgent-ish"));
  EXPECT_EQ(t.channel, domain::Channel::kEmail);
  EXPECT_EQ(t.owner_id, std::nullopt);
  EXPECT_EQ(t.created_at, clock_.Now());
  EXPECT_EQ(w.state.pending_handoff, std::nullopt);
  ASSERT_EQ(w.messages.size(), 1u);
  EXPECT_EQ(w.messages[0].kind, MessageKind::kCustomer);
  EXPECT_EQ(w.messages[0].author.kind, Actor::Kind::kCustomer);
  EXPECT_EQ(w.messages[0].author.id, pat.id);
  EXPECT_THAT(Types(w.events), ElementsAre("ticket_created"));

  const Ticket stored = Get(t.id);
  EXPECT_EQ(stored.number, t.number);
  EXPECT_EQ(stored.status, TicketStatus::kNew);
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.priority, Priority::kHigh);
  EXPECT_THAT(stored.tags, ElementsAre("hardware", "urgent-ish"));
  const std::vector<Message> messages = Must(store().ListMessages(t.id, true));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].kind, MessageKind::kCustomer);
  EXPECT_EQ(messages[0].author.id, pat.id);
  EXPECT_EQ(messages[0].body, "It started smoking at 9.");
  const std::vector<Event> events = Must(store().ListEvents(t.id));
  EXPECT_THAT(Types(events), ElementsAre("ticket_created"));
  EXPECT_EQ(events[0].ticket_id, t.id);

  // The same address again: the same customer, whatever name the mail gives.
  const TicketWrite again =
      Must(store().CreateTicket(TicketOf("Still on fire", "Help"),
                                CustomerRef{"pat@example.com", "P. D."}, Principal::System()));
  EXPECT_EQ(again.state.ticket.customer_id, pat.id);
  EXPECT_EQ(Must(store().GetCustomer(pat.id)).name, "Pat Doe");
  EXPECT_EQ(Must(store().ListCustomers(CustomerQuery{})).size(), 1u);
}

TEST_P(StoreContract, TicketNumbersAreAssignedAndIncrease) {
  int64_t last = 0;
  std::set<domain::TicketId> ids;
  for (int i = 0; i < 5; ++i) {
    const Ticket t = OpenTicket(Cat("Subject ", i), "Body", "c@example.com").state.ticket;
    EXPECT_GT(t.number, last);
    last = t.number;
    ids.insert(t.id);
  }
  EXPECT_EQ(ids.size(), 5u);
}

TEST_P(StoreContract, CreateTicketForExistingCustomer) {
  const domain::Company acme = Must(store().CreateCompany("Acme", true));
  const Customer c = MakeCustomer("Wile", {"wile@acme.example"}, acme.id);
  const Agent a = MakeAgent("Bo", "bo@help.example");
  const TicketWrite w =
      Must(store().CreateTicketFor(TicketOf("Anvil", "It fell"), c.id, Principal::ForAgent(a)));
  EXPECT_EQ(w.state.ticket.customer_id, c.id);
  EXPECT_EQ(w.state.ticket.company_id, acme.id);
  ASSERT_EQ(w.messages.size(), 1u);
  EXPECT_EQ(w.messages[0].kind, MessageKind::kCustomer);
  const std::vector<Event> events = Must(store().ListEvents(w.state.ticket.id));
  ASSERT_THAT(Types(events), ElementsAre("ticket_created"));
  EXPECT_EQ(events[0].actor.kind, Actor::Kind::kAgent);
  EXPECT_EQ(events[0].actor.id, a.id);
}

TEST_P(StoreContract, CreateTicketForUnknownCustomerIsNotFound) {
  auto r = store().CreateTicketFor(TicketOf("Ghost", "Boo"), 12345, Principal::System());
  EXPECT_EQ(Code(r.status()), "NotFound") << r.status().ToString();
  EXPECT_THAT(List(TicketQuery{}), IsEmpty());
}

TEST_P(StoreContract, CreateTicketWithUnknownTeamLeavesNoCustomerBehind) {
  NewTicket in = TicketOf("Lost", "Which team?");
  in.team_id = 999;
  auto r = store().CreateTicket(in, CustomerRef{"lost@example.com", "Lost"}, Principal::System());
  EXPECT_EQ(Code(r.status()), "InvalidArgument") << r.status().ToString();
  EXPECT_EQ(Code(store().FindCustomerByEmail("lost@example.com").status()), "NotFound");
  EXPECT_THAT(List(TicketQuery{}), IsEmpty());
}

TEST_P(StoreContract, MissingTicketIsNotFoundEverywhere) {
  EXPECT_EQ(Code(store().GetTicket(777).status()), "NotFound");
  EXPECT_EQ(Code(store().ListMessages(777, true).status()), "NotFound");
  EXPECT_EQ(Code(store().ListEvents(777).status()), "NotFound");
  EXPECT_EQ(Code(store().GetHandoff(777).status()), "NotFound");
  bool ran = false;
  auto r = store().ModifyTicket(777, [&](const TicketState&) -> Result<Change> {
    ran = true;
    return Status::Internal("must not run");
  });
  EXPECT_EQ(Code(r.status()), "NotFound") << r.status().ToString();
  EXPECT_FALSE(ran);
}

// ---- Outgoing email ----

TEST_P(StoreContract, ThreadMessageIdsListEmailsInAndOutOldestFirst) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  domain::NewTicket in = TicketOf("Printer", "It jams");
  in.source_key = "mid:first@customer.example";
  const domain::TicketId id =
      Must(store().CreateTicket(in, CustomerRef{"pat@example.com", "Pat"}, Principal::System()))
          .state.ticket.id;
  Must(store().ModifyTicket(id, Reply(bo, "Try turning it off and on")));
  const auto claimed = Must(store().ClaimOutbox(
      clock_.Now(), clock_.Now(), 10, [](const OutboxItem&) { return "ours-1@help.example"; }));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].ticket_id, id);
  ASSERT_TRUE(store().FinishOutbox(claimed[0].id, true, "", std::nullopt, clock_.Now()).ok());
  const Customer pat = Must(store().FindCustomerByEmail("pat@example.com"));
  Must(store().ModifyTicket(id, [&](const TicketState& s) {
    NewMessage m;
    m.kind = MessageKind::kCustomer;
    m.body = "Still jams";
    m.source_key = "mid:second@customer.example";
    return domain::AddMessage(s, Principal::ForCustomer(pat, false), m, false, clock_.Now());
  }));
  // The newest is last: a reply now answers the customer's second email, not our first one.
  EXPECT_THAT(
      Must(store().ThreadMessageIds(id)),
      ElementsAre("first@customer.example", "ours-1@help.example", "second@customer.example"));
}

TEST_P(StoreContract, AutomaticMailIsQueuedToItsAddressAndCounted) {
  const domain::TicketId id = OpenTicketId("Printer", "It jams", "pat@example.com");
  const auto automatic = [this](std::string to) -> Mutation {
    return [this, to](const TicketState& s) {
      NewMessage m;
      m.kind = MessageKind::kSystem;
      m.body = "We have your message";
      m.auto_email_to = to;
      return domain::AddMessage(s, Principal::System(), m, false, clock_.Now());
    };
  };
  Must(store().ModifyTicket(id, automatic("pat.alt@example.com")));
  clock_.Advance(10min);
  Must(store().ModifyTicket(id, automatic("pat.alt@example.com")));
  // A system line that is not emailed is not queued.
  Must(store().ModifyTicket(id, Say(Principal::System(), MessageKind::kSystem, "noted")));

  const Timestamp now = clock_.Now();
  AutomaticMailCount all =
      Must(store().CountAutomaticMail(id, "pat.alt@example.com", Timestamp{now.millis - 3600000}));
  EXPECT_EQ(all.to_ticket, 2);
  EXPECT_EQ(all.to_address, 2);
  AutomaticMailCount recent =
      Must(store().CountAutomaticMail(id, "pat.alt@example.com", Timestamp{now.millis - 60000}));
  EXPECT_EQ(recent.to_ticket, 1);
  EXPECT_EQ(recent.to_address, 1);
  AutomaticMailCount other =
      Must(store().CountAutomaticMail(id + 1, "pat@example.com", Timestamp{0}));
  EXPECT_EQ(other.to_ticket, 0);
  EXPECT_EQ(other.to_address, 0);

  const auto claimed = Must(store().ClaimOutbox(
      now, now, 10, [](const OutboxItem& item) { return "ack-" + std::to_string(item.id); }));
  ASSERT_EQ(claimed.size(), 2u);
  for (const OutboxItem& item : claimed) {
    EXPECT_TRUE(item.automatic);
    EXPECT_EQ(item.to_address, "pat.alt@example.com");
  }
}

TEST_P(StoreContract, CreateTicketThenWritesBothOrNeither) {
  const auto acknowledge = [this](const TicketState& s) {
    NewMessage m;
    m.kind = MessageKind::kSystem;
    m.body = "Ticket #" + std::to_string(s.ticket.number) + " opened";
    m.auto_email_to = "kim@example.com";
    return domain::AddMessage(s, Principal::System(), m, false, clock_.Now());
  };
  const TicketWrite w = Must(store().CreateTicketThen(TicketOf("Login", "I cannot sign in"),
                                                      CustomerRef{"kim@example.com", "Kim"},
                                                      Principal::System(), acknowledge));
  ASSERT_EQ(w.messages.size(), 2u);
  EXPECT_EQ(w.messages[1].body, "Ticket #" + std::to_string(w.state.ticket.number) + " opened");
  const auto stored = Must(store().ListMessages(w.state.ticket.id, false));
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[1].kind, MessageKind::kSystem);
  EXPECT_EQ(Must(store().GetTicket(w.state.ticket.id)).ticket.version, w.state.ticket.version);

  // When the follow-up fails, the ticket (and its new customer) is not written either.
  const auto fail = [](const TicketState&) -> Result<Change> {
    return Status::Unavailable("injected");
  };
  const auto r = store().CreateTicketThen(
      TicketOf("Other", "text"), CustomerRef{"lou@example.com", "Lou"}, Principal::System(), fail);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store().FindCustomerByEmail("lou@example.com").status().code(), StatusCode::kNotFound);
}

// ---- Promises ----

TEST_P(StoreContract, PromisesAreMadeKeptAndBrokenWithTheirTicket) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Refund", "Where is my refund?", "pat@example.com");
  const Timestamp due{clock_.Now().millis + 3600 * 1000};
  const auto reply_promising = [&](std::string text) -> Mutation {
    return [this, &bo, text, due](const TicketState& s) {
      NewMessage m;
      m.kind = MessageKind::kReply;
      m.body = "I will find out.";
      m.promise = domain::NewPromise{text, due};
      return domain::AddMessage(s, Principal::ForAgent(bo), m, false, clock_.Now());
    };
  };
  const TicketWrite made = Must(store().ModifyTicket(id, reply_promising("confirm the refund")));
  ASSERT_EQ(made.state.promises.size(), 1u);
  const domain::Promise p = made.state.promises[0];
  EXPECT_GT(p.id, 0);
  EXPECT_EQ(p.message_id, made.messages[0].id);
  EXPECT_EQ(p.owner_id, bo.id);
  EXPECT_EQ(Must(store().GetTicket(id)).promises.size(), 1u);
  Must(store().ModifyTicket(id, reply_promising("call the bank")));

  // The engine sees both as due an hour from now, and none before.
  EXPECT_THAT(Must(store().DuePromises(clock_.Now(), false, 10)), IsEmpty());
  EXPECT_EQ(Must(store().DuePromises(due, false, 10)).size(), 2u);

  PromiseQuery mine;
  mine.owner_id = bo.id;
  mine.state = domain::PromiseState::kOpen;
  EXPECT_EQ(Must(store().ListPromises(mine)).size(), 2u);
  mine.limit = 1;
  const auto first = Must(store().ListPromises(mine));
  ASSERT_EQ(first.size(), 1u);
  mine.after_id = first[0].id;
  const auto second = Must(store().ListPromises(mine));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(second[0].id, first[0].id);

  // Kept by a reply that says so; the other one breaks when its time passes.
  const TicketWrite kept = Must(store().ModifyTicket(id, [&](const TicketState& s) {
    NewMessage m;
    m.kind = MessageKind::kReply;
    m.body = "The refund is confirmed.";
    m.keeps_promise = p.id;
    return domain::AddMessage(s, Principal::ForAgent(bo), m, false, clock_.Now());
  }));
  ASSERT_EQ(kept.state.promises.size(), 1u);  // Only the other is still owed.
  PromiseQuery kept_query;
  kept_query.state = domain::PromiseState::kKept;
  const auto kept_list = Must(store().ListPromises(kept_query));
  ASSERT_EQ(kept_list.size(), 1u);
  EXPECT_EQ(kept_list[0].kept_by, kept.messages[0].id);

  clock_.Advance(2h);
  const auto due_now = Must(store().DuePromises(clock_.Now(), false, 10));
  ASSERT_EQ(due_now.size(), 1u);
  Must(store().ModifyTicket(id, [&](const TicketState& s) {
    return domain::BreakPromise(s, due_now[0].id, clock_.Now());
  }));
  EXPECT_THAT(Must(store().DuePromises(clock_.Now(), false, 10)), IsEmpty());

  const auto counts = Must(store().CountPromises(Timestamp{0}));
  ASSERT_EQ(counts.count(bo.id), 1u);
  EXPECT_EQ(counts.at(bo.id).kept, 1);
  EXPECT_EQ(counts.at(bo.id).missed, 1);
  EXPECT_EQ(counts.at(bo.id).open, 0);
}

// ---- Changing tickets ----

TEST_P(StoreContract, AgentReplyToNewTicketTakesItAndOpensIt) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Printer", "It jams", "pat@example.com");
  clock_.Advance(5min);
  const TicketWrite w = Must(store().ModifyTicket(id, Reply(bo, "Try turning it off and on")));
  EXPECT_EQ(w.state.ticket.owner_id, bo.id);
  EXPECT_EQ(w.state.ticket.status, TicketStatus::kOpen);
  EXPECT_EQ(w.state.ticket.version, 2);
  EXPECT_THAT(Types(w.events), ElementsAre("owner_taken", "reply_added"));
  for (const Event& e : w.events) EXPECT_GT(e.id, 0);

  const Ticket t = Get(id);
  EXPECT_EQ(t.owner_id, bo.id);
  EXPECT_EQ(t.status, TicketStatus::kOpen);
  EXPECT_EQ(t.version, 2);
  EXPECT_EQ(t.updated_at, clock_.Now());

  const std::vector<Event> events = Must(store().ListEvents(id));
  EXPECT_THAT(Types(events), ElementsAre("ticket_created", "owner_taken", "reply_added"));
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_GT(events[i].id, events[i - 1].id);
    EXPECT_GE(events[i].at, events[i - 1].at);
  }
  EXPECT_EQ(events[2].actor.kind, Actor::Kind::kAgent);
  EXPECT_EQ(events[2].actor.id, bo.id);

  clock_.Advance(1min);
  Must(store().ModifyTicket(
      id, Say(Principal::ForCustomer(Must(store().FindCustomerByEmail("pat@example.com")), false),
              MessageKind::kCustomer, "Still jams")));
  const std::vector<Message> messages = Must(store().ListMessages(id, false));
  EXPECT_THAT(Bodies(messages), ElementsAre("It jams", "Try turning it off and on", "Still jams"));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[1].kind, MessageKind::kReply);
  EXPECT_EQ(messages[1].author.kind, Actor::Kind::kAgent);
  EXPECT_EQ(messages[1].author.id, bo.id);
  EXPECT_LT(messages[0].created_at, messages[1].created_at);
  EXPECT_LT(messages[1].created_at, messages[2].created_at);
}

TEST_P(StoreContract, InternalNotesAreListedOnlyWhenAsked) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Refund", "I want my money", "pat@example.com");
  Must(store().ModifyTicket(id, Note(bo, "Customer is on the old plan")));
  Must(store().ModifyTicket(id, Reply(bo, "Refund is on its way")));
  EXPECT_THAT(Bodies(Must(store().ListMessages(id, false))),
              ElementsAre("I want my money", "Refund is on its way"));
  EXPECT_THAT(
      Bodies(Must(store().ListMessages(id, true))),
      ElementsAre("I want my money", "Customer is on the old plan", "Refund is on its way"));
}

TEST_P(StoreContract, MutationThatFailsWritesNothing) {
  const domain::TicketId id = OpenTicketId("Printer", "It jams", "pat@example.com");
  auto r = store().ModifyTicket(
      id, [](const TicketState&) -> Result<Change> { return Status::Conflict("not today"); });
  EXPECT_EQ(Code(r.status()), "Conflict");
  EXPECT_EQ(r.status().message(), "not today");
  EXPECT_EQ(Get(id).version, 1);
  EXPECT_EQ(Must(store().ListEvents(id)).size(), 1u);
  EXPECT_EQ(Must(store().ListMessages(id, true)).size(), 1u);

  // A rule that refuses: closed tickets take no messages.
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  Must(store().ModifyTicket(id, Resolve(bo, {})));
  Must(store().ModifyTicket(id, [this, who = Principal::ForAgent(bo)](const TicketState& s) {
    return domain::Close(s, who, clock_.Now());
  }));
  const Ticket closed = Get(id);
  const size_t events = Must(store().ListEvents(id)).size();
  auto refused = store().ModifyTicket(id, Reply(bo, "Hello?"));
  EXPECT_EQ(Code(refused.status()), "Conflict");
  EXPECT_EQ(Get(id).version, closed.version);
  EXPECT_EQ(Must(store().ListEvents(id)).size(), events);
  EXPECT_EQ(Must(store().ListMessages(id, true)).size(), 2u);  // The first, the outcome notice.
}

TEST_P(StoreContract, TicketsOfferedToAnAgentAreListed) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const Agent cy = MakeAgent("Cy", "cy@help.example");
  const domain::TicketId a = OpenTicketId("One", "first", "pat@example.com");
  OpenTicketId("Two", "second", "pat@example.com");
  Must(store().ModifyTicket(a, Reply(bo, "mine")));
  Must(store().ModifyTicket(a, [&](const TicketState& s) {
    return domain::ProposeHandoff(s, Principal::ForAgent(bo), cy.id, "you know this one",
                                  clock_.Now());
  }));
  TicketQuery q;
  q.offered_to = cy.id;
  EXPECT_THAT(List(q), ElementsAre(a));
  q.offered_to = bo.id;
  EXPECT_THAT(List(q), IsEmpty());
}

// ---- Live updates and notifications ----

TEST_P(StoreContract, EventsAfterReadTheLogForwardWithTheirTicket) {
  const domain::EventId start = Must(store().LatestEventId());
  const domain::TicketId a = OpenTicketId("One", "first", "pat@example.com");
  const domain::TicketId b = OpenTicketId("Two", "second", "sam@example.com");
  const auto all = Must(store().EventsAfter(start, 10));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].event.ticket_id, a);
  EXPECT_EQ(all[1].event.ticket_id, b);
  EXPECT_LT(all[0].event.id, all[1].event.id);
  EXPECT_EQ(all[0].event.type, "ticket_created");
  EXPECT_EQ(all[0].customer_id, Get(a).customer_id);
  EXPECT_NE(all[0].customer_id, all[1].customer_id);
  EXPECT_EQ(Must(store().LatestEventId()), all[1].event.id);
  const auto rest = Must(store().EventsAfter(all[0].event.id, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].event.ticket_id, b);
  EXPECT_EQ(Must(store().EventsAfter(start, 1)).size(), 1u);
}

TEST_P(StoreContract, NotificationsAreTheEventsThatConcernAnAgent) {
  const domain::TeamId team = Must(store().CreateTeam("Billing")).id;
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const Agent cy = MakeAgent("Cy", "cy@help.example");
  const Agent lee = MakeAgent("Lee", "lee@help.example", Role::kLead, {team});
  const domain::TicketId id = OpenTicketId("Refund", "Where is my refund?", "pat@example.com");
  Must(store().ModifyTicket(id, Reply(bo, "On it.")));
  domain::TicketPatch patch;
  patch.team_id = team;
  Must(store().ModifyTicket(id, Edit(bo, patch, Get(id).version)));

  // A handoff proposed to Cy concerns Cy.
  Must(store().ModifyTicket(id, [&](const TicketState& s) {
    return domain::ProposeHandoff(s, Principal::ForAgent(bo), cy.id, "you know this one",
                                  clock_.Now());
  }));
  NotificationQuery for_cy;
  for_cy.agent = cy.id;
  NotificationPage cy_page = Must(store().ListNotifications(for_cy));
  ASSERT_EQ(cy_page.items.size(), 1u);
  EXPECT_EQ(cy_page.items[0].event.type, "handoff_proposed");
  EXPECT_EQ(cy_page.items[0].subject, "Refund");
  EXPECT_EQ(cy_page.unread, 1);

  // A broken promise concerns the owner, and the lead of the ticket's team.
  Must(store().ModifyTicket(id, [&](const TicketState& s) {
    NewMessage m;
    m.kind = MessageKind::kReply;
    m.body = "I will confirm it.";
    m.promise = domain::NewPromise{"confirm", Timestamp{clock_.Now().millis + 1000}};
    return domain::AddMessage(s, Principal::ForAgent(bo), m, false, clock_.Now());
  }));
  clock_.Advance(1h);
  const auto due = Must(store().DuePromises(clock_.Now(), false, 10));
  ASSERT_EQ(due.size(), 1u);
  Must(store().ModifyTicket(
      id, [&](const TicketState& s) { return domain::BreakPromise(s, due[0].id, clock_.Now()); }));
  NotificationQuery for_bo;
  for_bo.agent = bo.id;
  const NotificationPage bo_page = Must(store().ListNotifications(for_bo));
  ASSERT_EQ(bo_page.items.size(), 1u);
  EXPECT_EQ(bo_page.items[0].event.type, "promise_broken");
  NotificationQuery for_lee;
  for_lee.agent = lee.id;
  EXPECT_THAT(Must(store().ListNotifications(for_lee)).items, IsEmpty());
  for_lee.lead_of_teams = {team};
  const NotificationPage lee_page = Must(store().ListNotifications(for_lee));
  ASSERT_EQ(lee_page.items.size(), 1u);
  EXPECT_EQ(lee_page.items[0].event.id, bo_page.items[0].event.id);
  EXPECT_EQ(lee_page.unread, 1);
  EXPECT_THAT(Must(store().ListNotifications(for_cy)).items, ::testing::SizeIs(1));

  // The seen mark moves forward only, and unread counts what is after it.
  EXPECT_EQ(Must(store().MarkNotificationsSeen(cy.id, cy_page.items[0].event.id)),
            cy_page.items[0].event.id);
  EXPECT_EQ(Must(store().MarkNotificationsSeen(cy.id, 1)), cy_page.items[0].event.id);
  cy_page = Must(store().ListNotifications(for_cy));
  EXPECT_EQ(cy_page.unread, 0);
  EXPECT_EQ(cy_page.seen_up_to, cy_page.items[0].event.id);

  // Paging: newest first, by keyset.
  Must(store().ModifyTicket(id, Say(Principal::System(), MessageKind::kSystem, "noise")));
  const domain::TicketId other = OpenTicketId("Two", "second", "sam@example.com");
  Must(store().ModifyTicket(other, Reply(cy, "mine")));
  Must(store().ModifyTicket(other, [&](const TicketState& s) {
    return domain::ProposeHandoff(s, Principal::ForAgent(cy), bo.id, "over to you", clock_.Now());
  }));
  for_bo.limit = 1;
  const NotificationPage first = Must(store().ListNotifications(for_bo));
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].event.type, "handoff_proposed");
  EXPECT_EQ(first.unread, 2);
  ASSERT_TRUE(first.next_before_id.has_value());
  for_bo.before_id = first.next_before_id;
  const NotificationPage second = Must(store().ListNotifications(for_bo));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].event.type, "promise_broken");
  EXPECT_FALSE(second.next_before_id.has_value());
}

TEST_P(StoreContract, ModifyTicketsAppliesEachOnItsOwn) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId a = OpenTicketId("One", "first", "pat@example.com");
  const domain::TicketId b = OpenTicketId("Two", "second", "pat@example.com");
  const std::vector<std::pair<domain::TicketId, Mutation>> changes = {
      {a, Note(bo, "checked")},
      {b, [](const TicketState&) -> Result<Change> { return Status::Conflict("not this one"); }},
      {999999, Note(bo, "nowhere")},
      {b, Note(bo, "checked too")}};
  const auto results = store().ModifyTickets(changes);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(Code(results[1].status()), "Conflict");
  EXPECT_EQ(Code(results[2].status()), "NotFound");
  ASSERT_TRUE(results[3].ok()) << results[3].status().ToString();
  EXPECT_EQ(Must(store().ListMessages(a, true)).back().body, "checked");
  EXPECT_EQ(Must(store().ListMessages(b, true)).back().body, "checked too");
  EXPECT_EQ(Get(b).version, 2);
}

TEST_P(StoreContract, ChangeWithoutEventsWritesNothing) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Printer", "It jams", "pat@example.com");
  clock_.Advance(1min);
  domain::TicketPatch same;
  same.subject = "Printer";
  const TicketWrite w = Must(store().ModifyTicket(id, Edit(bo, same, 1)));
  EXPECT_THAT(w.events, IsEmpty());
  const Ticket t = Get(id);
  EXPECT_EQ(t.version, 1);
  EXPECT_LT(t.updated_at, clock_.Now());
  EXPECT_EQ(Must(store().ListEvents(id)).size(), 1u);
}

TEST_P(StoreContract, EditWithStaleVersionIsConflictAndChangesNothing) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Printer", "It jams", "pat@example.com");
  domain::TicketPatch patch;
  patch.subject = "Printer jams on page 2";
  patch.tags = std::vector<std::string>{"hardware"};
  const TicketWrite w = Must(store().ModifyTicket(id, Edit(bo, patch, 1)));
  EXPECT_EQ(w.state.ticket.version, 2);
  ASSERT_THAT(Types(w.events), ElementsAre("ticket_updated"));

  domain::TicketPatch late;
  late.priority = Priority::kUrgent;
  late.tags = std::vector<std::string>{"stale"};
  auto r = store().ModifyTicket(id, Edit(bo, late, 1));
  EXPECT_EQ(Code(r.status()), "Conflict") << r.status().ToString();

  const Ticket t = Get(id);
  EXPECT_EQ(t.version, 2);
  EXPECT_EQ(t.subject, "Printer jams on page 2");
  EXPECT_EQ(t.priority, Priority::kNormal);
  EXPECT_THAT(t.tags, ElementsAre("hardware"));
  EXPECT_THAT(Types(Must(store().ListEvents(id))), ElementsAre("ticket_created", "ticket_updated"));
  EXPECT_THAT(List(Query().WithTag("hardware")), ElementsAre(id));
  EXPECT_THAT(List(Query().WithTag("stale")), IsEmpty());
  // The new subject is searchable, the old one's words are not.
  EXPECT_THAT(SearchIds("page"), ElementsAre(id));
}

TEST_P(StoreContract, HandoffProposeAcceptAndDeclinePersist) {
  const Agent ann = MakeAgent("Ann", "ann@help.example");
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const Agent cy = MakeAgent("Cy", "cy@help.example");
  const domain::TicketId id = OpenTicketId("Invoice", "Wrong VAT", "pat@example.com");
  Must(store().ModifyTicket(id, Reply(ann, "Looking")));

  clock_.Advance(1min);
  const TicketWrite proposed = Must(store().ModifyTicket(
      id, [this, who = Principal::ForAgent(ann), to = bo.id](const TicketState& s) {
        return domain::ProposeHandoff(s, who, to, "Knows the VAT rules", clock_.Now());
      }));
  ASSERT_TRUE(proposed.state.pending_handoff.has_value());
  const domain::HandoffId hid = proposed.state.pending_handoff->id;
  EXPECT_GT(hid, 0);

  const TicketState s = Must(store().GetTicket(id));
  ASSERT_TRUE(s.pending_handoff.has_value());
  EXPECT_EQ(s.pending_handoff->id, hid);
  EXPECT_EQ(s.pending_handoff->from_agent_id, ann.id);
  EXPECT_EQ(s.pending_handoff->to_agent_id, bo.id);
  EXPECT_EQ(s.pending_handoff->note, "Knows the VAT rules");
  EXPECT_EQ(s.pending_handoff->state, domain::HandoffState::kProposed);
  EXPECT_EQ(s.ticket.owner_id, ann.id);
  const domain::Handoff h = Must(store().GetHandoff(hid));
  EXPECT_EQ(h.ticket_id, id);
  EXPECT_EQ(h.state, domain::HandoffState::kProposed);
  EXPECT_EQ(h.created_at, clock_.Now());
  EXPECT_EQ(h.answered_at, std::nullopt);

  clock_.Advance(1min);
  Must(store().ModifyTicket(id, [this, who = Principal::ForAgent(bo), hid](const TicketState& s) {
    return domain::AcceptHandoff(s, who, hid, clock_.Now());
  }));
  const TicketState accepted = Must(store().GetTicket(id));
  EXPECT_EQ(accepted.ticket.owner_id, bo.id);
  EXPECT_EQ(accepted.pending_handoff, std::nullopt);
  const domain::Handoff h2 = Must(store().GetHandoff(hid));
  EXPECT_EQ(h2.state, domain::HandoffState::kAccepted);
  EXPECT_EQ(h2.answered_at, clock_.Now());

  // Bo offers it on to Cy, who declines: Bo keeps it.
  const TicketWrite second = Must(store().ModifyTicket(
      id, [this, who = Principal::ForAgent(bo), to = cy.id](const TicketState& s) {
        return domain::ProposeHandoff(s, who, to, "Cy did the last migration", clock_.Now());
      }));
  ASSERT_TRUE(second.state.pending_handoff.has_value());
  const domain::HandoffId hid2 = second.state.pending_handoff->id;
  EXPECT_NE(hid2, hid);
  Must(store().ModifyTicket(id, [this, who = Principal::ForAgent(cy), hid2](const TicketState& s) {
    return domain::DeclineHandoff(s, who, hid2, "On leave until Monday", clock_.Now());
  }));
  const TicketState declined = Must(store().GetTicket(id));
  EXPECT_EQ(declined.ticket.owner_id, bo.id);
  EXPECT_EQ(declined.pending_handoff, std::nullopt);
  const domain::Handoff h3 = Must(store().GetHandoff(hid2));
  EXPECT_EQ(h3.state, domain::HandoffState::kDeclined);
  EXPECT_EQ(h3.decline_reason, "On leave until Monday");

  EXPECT_THAT(Types(Must(store().ListEvents(id))),
              ElementsAre("ticket_created", "owner_taken", "reply_added", "handoff_proposed",
                          "handoff_accepted", "handoff_proposed", "handoff_declined"));
}

TEST_P(StoreContract, ResolveStoresTheResolutionAndReopenClearsIt) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId first = OpenTicketId("Export to PDF", "Please add it", "pat@example.com");
  const domain::TicketId dup = OpenTicketId("PDF export?", "Same here", "sam@example.com");
  Must(store().ModifyTicket(first, Reply(bo, "Let me check")));

  clock_.Advance(1h);
  domain::ResolutionInput cannot;
  cannot.outcome = Outcome::kCannotDo;
  cannot.statement = "We do not plan PDF export this year.";
  cannot.alternatives = {"Print to PDF from the browser", "Export CSV"};
  Must(store().ModifyTicket(first, Resolve(bo, cannot)));
  const Ticket t = Get(first);
  EXPECT_EQ(t.status, TicketStatus::kResolved);
  ASSERT_TRUE(t.resolution.has_value());
  EXPECT_EQ(t.resolution->outcome, Outcome::kCannotDo);
  EXPECT_EQ(t.resolution->statement, "We do not plan PDF export this year.");
  EXPECT_THAT(t.resolution->alternatives,
              ElementsAre("Print to PDF from the browser", "Export CSV"));
  EXPECT_EQ(t.resolution->duplicate_of, std::nullopt);
  EXPECT_EQ(t.resolution->resolved_by, bo.id);
  EXPECT_EQ(t.resolution->resolved_at, clock_.Now());

  domain::ResolutionInput duplicate;
  duplicate.outcome = Outcome::kDuplicate;
  duplicate.duplicate_of = first;
  Must(store().ModifyTicket(dup, Resolve(bo, duplicate)));
  const Ticket d = Get(dup);
  ASSERT_TRUE(d.resolution.has_value());
  EXPECT_EQ(d.resolution->outcome, Outcome::kDuplicate);
  EXPECT_EQ(d.resolution->duplicate_of, first);
  EXPECT_THAT(d.resolution->alternatives, IsEmpty());
  EXPECT_EQ(d.owner_id, bo.id);  // Nobody owned it, so the resolver does.

  Must(store().ModifyTicket(first, [this, who = Principal::ForAgent(bo)](const TicketState& s) {
    return domain::Reopen(s, who, clock_.Now());
  }));
  const Ticket reopened = Get(first);
  EXPECT_EQ(reopened.status, TicketStatus::kOpen);
  EXPECT_EQ(reopened.resolution, std::nullopt);
  EXPECT_THAT(Types(Must(store().ListEvents(first))),
              ElementsAre("ticket_created", "owner_taken", "reply_added", "resolved", "reopened"));
}

// ---- Attachments ----

TEST_P(StoreContract, AttachmentsAreStoredByContentHash) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const std::string binary("\0PNG\r\n\x1a\n\0\0\xff\x00tail", 16);
  ASSERT_EQ(binary.size(), 16u);
  NewTicket in = TicketOf("Screenshot", "See attached");
  in.attachments = {{"note.txt", "text/plain", "abc"}, {"shot.png", "image/png", binary}};
  const TicketWrite w =
      Must(store().CreateTicket(in, CustomerRef{"pat@example.com", "Pat"}, Principal::System()));
  ASSERT_EQ(w.messages.size(), 1u);
  ASSERT_EQ(w.messages[0].attachments.size(), 2u);
  const domain::Attachment& txt = w.messages[0].attachments[0];
  const domain::Attachment& png = w.messages[0].attachments[1];
  EXPECT_EQ(txt.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(txt.size, 3);
  EXPECT_EQ(png.size, 16);
  EXPECT_NE(png.sha256, txt.sha256);

  // The same bytes under another name, on a reply: the same blob.
  const TicketWrite reply = Must(store().ModifyTicket(
      w.state.ticket.id, Say(Principal::ForAgent(bo), MessageKind::kReply, "Got it, thanks",
                             {{"copy.png", "image/png", binary}})));
  ASSERT_EQ(reply.messages.size(), 1u);
  ASSERT_EQ(reply.messages[0].attachments.size(), 1u);
  const domain::Attachment& copy = reply.messages[0].attachments[0];
  EXPECT_EQ(copy.sha256, png.sha256);
  EXPECT_NE(copy.id, png.id);

  EXPECT_EQ(Must(store().ReadBlob(png.sha256)), binary);
  EXPECT_EQ(Must(store().ReadBlob(txt.sha256)), "abc");
  EXPECT_EQ(Code(store().ReadBlob(std::string(64, '0')).status()), "NotFound");

  const domain::Attachment meta = Must(store().GetAttachment(copy.id));
  EXPECT_EQ(meta.filename, "copy.png");
  EXPECT_EQ(meta.content_type, "image/png");
  EXPECT_EQ(meta.size, 16);
  EXPECT_EQ(meta.sha256, png.sha256);
  EXPECT_EQ(meta.ticket_id, w.state.ticket.id);
  EXPECT_EQ(meta.message_id, reply.messages[0].id);
  EXPECT_EQ(Code(store().GetAttachment(copy.id + 100).status()), "NotFound");

  const std::vector<Message> messages = Must(store().ListMessages(w.state.ticket.id, false));
  ASSERT_EQ(messages.size(), 2u);
  ASSERT_EQ(messages[0].attachments.size(), 2u);
  EXPECT_EQ(messages[0].attachments[0].filename, "note.txt");
  EXPECT_EQ(messages[0].attachments[1].sha256, png.sha256);
  ASSERT_EQ(messages[1].attachments.size(), 1u);
  EXPECT_EQ(messages[1].attachments[0].id, copy.id);
}

// ---- Lists ----

TEST_P(StoreContract, ListTicketsFilters) {
  const domain::Team billing = Must(store().CreateTeam("Billing"));
  const Agent ann = MakeAgent("Ann", "ann@help.example");
  const Agent bo = MakeAgent("Bo", "bo@help.example");

  NewTicket in1 = TicketOf("Invoice twice", "Charged two times");
  in1.tags = {"billing", "vip"};
  in1.team_id = billing.id;
  const TicketWrite w1 =
      Must(store().CreateTicket(in1, CustomerRef{"c1@example.com", "One"}, Principal::System()));
  const domain::TicketId t1 = w1.state.ticket.id;
  const domain::CustomerId c1 = w1.state.ticket.customer_id;
  Must(store().ModifyTicket(t1, Reply(ann, "Refunding one")));

  NewTicket in2 = TicketOf("Card declined", "My kumquat card fails");
  in2.tags = {"billing"};
  const TicketWrite w2 =
      Must(store().CreateTicket(in2, CustomerRef{"c2@example.com", "Two"}, Principal::System()));
  const domain::TicketId t2 = w2.state.ticket.id;
  const domain::CustomerId c2 = w2.state.ticket.customer_id;
  Must(store().ModifyTicket(t2, Reply(bo, "Which card?")));
  domain::TicketPatch to_pending;
  to_pending.status = TicketStatus::kPending;
  Must(store().ModifyTicket(t2, Edit(bo, to_pending, 2)));

  const domain::TicketId t3 = OpenTicketId("Zanzibar shipment", "Where is it?", "c1@example.com");

  EXPECT_THAT(List(TicketQuery{}), ElementsAre(t3, t2, t1));  // Newest first.
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kNew)), ElementsAre(t3));
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kOpen)), ElementsAre(t1));
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kPending)), ElementsAre(t2));
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kResolved)), IsEmpty());
  EXPECT_THAT(List(Query().WithOwner(ann.id)), ElementsAre(t1));
  EXPECT_THAT(List(Query().WithOwner(bo.id)), ElementsAre(t2));
  EXPECT_THAT(List(Query().Unowned()), ElementsAre(t3));
  EXPECT_THAT(List(Query().WithCustomer(c1)), ElementsAre(t3, t1));
  EXPECT_THAT(List(Query().WithCustomer(c2)), ElementsAre(t2));
  EXPECT_THAT(List(Query().WithTag("billing")), ElementsAre(t2, t1));
  EXPECT_THAT(List(Query().WithTag("vip")), ElementsAre(t1));
  EXPECT_THAT(List(Query().WithTag("nope")), IsEmpty());
  EXPECT_THAT(List(Query().WithTeam(billing.id)), ElementsAre(t1));
  EXPECT_THAT(List(Query().WithText("Zanzibar")), ElementsAre(t3));
  EXPECT_THAT(List(Query().WithText("kumquat")), ElementsAre(t2));
  EXPECT_THAT(List(Query().WithText("refunding")), ElementsAre(t1));  // A reply's words.
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kNew).WithCustomer(c1)), ElementsAre(t3));
  EXPECT_THAT(List(Query().WithStatus(TicketStatus::kOpen).WithCustomer(c2)), IsEmpty());
  EXPECT_THAT(List(Query().WithTag("billing").WithText("kumquat")), ElementsAre(t2));
}

// Walks every page of `q` with `limit`, calling `between` after each page.
std::vector<domain::TicketId> WalkPages(Store& store, TicketQuery q, int limit,
                                        const std::function<void()>& between = {}) {
  std::vector<domain::TicketId> seen;
  q.limit = limit;
  for (int page = 0; page < 100; ++page) {
    const TicketPage p = Must(store.ListTickets(q));
    EXPECT_LE(static_cast<int>(p.items.size()), limit);
    for (const Ticket& t : p.items) seen.push_back(t.id);
    if (between) between();
    if (!p.next.has_value()) return seen;
    EXPECT_FALSE(p.items.empty()) << "a page with a cursor must not be empty";
    q.after = p.next;
  }
  ADD_FAILURE() << "pagination did not end";
  return seen;
}

TEST_P(StoreContract, KeysetPaginationVisitsEveryTicketOnce) {
  std::vector<domain::TicketId> all;
  for (int i = 0; i < 10; ++i) {
    all.push_back(OpenTicketId(Cat("Ticket ", i), "Body", "c@example.com"));
  }
  const std::vector<domain::TicketId> seen = WalkPages(store(), TicketQuery{}, 3);
  EXPECT_THAT(seen, UnorderedElementsAreArray(all));
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend())) << "pages must run newest first";

  const TicketPage first = Must(store().ListTickets(Query().WithLimit(3)));
  EXPECT_EQ(first.items.size(), 3u);
  EXPECT_TRUE(first.next.has_value());
  // Exactly one page's worth: no cursor to an empty page.
  const TicketPage whole = Must(store().ListTickets(Query().WithLimit(10)));
  EXPECT_EQ(whole.items.size(), 10u);
  EXPECT_EQ(whole.next, std::nullopt);
}

TEST_P(StoreContract, KeysetPaginationIsStableUnderInserts) {
  std::vector<domain::TicketId> before;
  for (int i = 0; i < 10; ++i) {
    before.push_back(OpenTicketId(Cat("Ticket ", i), "Body", "c@example.com"));
  }
  int added = 0;
  const std::vector<domain::TicketId> seen = WalkPages(store(), TicketQuery{}, 3, [&] {
    OpenTicketId(Cat("Arrived meanwhile ", added++), "Body", "late@example.com");
  });
  EXPECT_THAT(seen, UnorderedElementsAreArray(before));
  EXPECT_EQ(added, 4);
  EXPECT_EQ(List(Query().WithLimit(200)).size(), 14u);
}

TEST_P(StoreContract, FilteredPaginationVisitsEveryMatchOnce) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  std::vector<domain::TicketId> owned;
  for (int i = 0; i < 11; ++i) {
    const domain::TicketId id = OpenTicketId(Cat("Ticket ", i), "Body", "c@example.com");
    if (i % 2 == 0) {
      Must(store().ModifyTicket(id, Reply(bo, "Mine")));
      owned.push_back(id);
    }
  }
  EXPECT_THAT(WalkPages(store(), Query().WithOwner(bo.id), 2), UnorderedElementsAreArray(owned));
}

TEST_P(StoreContract, CustomerSeesOwnTicketsAndSharingCompanysTickets) {
  const domain::Company shares = Must(store().CreateCompany("Sharing Co", true));
  const domain::Company keeps = Must(store().CreateCompany("Private Co", false));
  const Customer s1 = MakeCustomer("S1", {"s1@share.example"}, shares.id);
  const Customer s2 = MakeCustomer("S2", {"s2@share.example"}, shares.id);
  const Customer k1 = MakeCustomer("K1", {"k1@keep.example"}, keeps.id);
  const Customer k2 = MakeCustomer("K2", {"k2@keep.example"}, keeps.id);
  const Customer loner = MakeCustomer("Lone", {"lone@example.com"});
  auto open_for = [&](const Customer& c, bool company_shares) {
    return Must(store().CreateTicketFor(TicketOf("From " + c.name, "Body"), c.id,
                                        Principal::ForCustomer(c, company_shares)))
        .state.ticket.id;
  };
  const domain::TicketId ts1 = open_for(s1, true);
  const domain::TicketId ts2 = open_for(s2, true);
  const domain::TicketId tk1 = open_for(k1, false);
  const domain::TicketId tk2 = open_for(k2, false);
  const domain::TicketId tl = open_for(loner, false);

  auto visible = [&](const Customer& c, bool company_shares) {
    TicketQuery q;
    q.visible_to = Principal::ForCustomer(c, company_shares);
    return List(q);
  };
  EXPECT_THAT(visible(s1, true), UnorderedElementsAre(ts1, ts2));
  EXPECT_THAT(visible(s2, true), UnorderedElementsAre(ts1, ts2));
  EXPECT_THAT(visible(k1, false), ElementsAre(tk1));
  EXPECT_THAT(visible(k2, false), ElementsAre(tk2));
  EXPECT_THAT(visible(loner, false), ElementsAre(tl));
  // The principal carries the company's current setting: once it stops sharing, only your own.
  EXPECT_THAT(visible(s1, false), ElementsAre(ts1));

  TicketQuery as_agent;
  as_agent.visible_to = Principal::ForAgent(MakeAgent("Bo", "bo@help.example"));
  EXPECT_EQ(List(as_agent).size(), 5u);
  // Visibility narrows other filters, it never widens them.
  TicketQuery narrowed;
  narrowed.visible_to = Principal::ForCustomer(s1, true);
  narrowed.customer = k1.id;
  EXPECT_THAT(List(narrowed), IsEmpty());
  narrowed.customer = s2.id;
  EXPECT_THAT(List(narrowed), ElementsAre(ts2));
}

// ---- Search ----

TEST_P(StoreContract, SearchFindsWordsFromBodiesSubjectsAndCustomerNames) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId quokka =
      OpenTicket("Quokka invoice", "Please send it again", "a@example.com").state.ticket.id;
  const domain::TicketId flamingo =
      OpenTicket("Printer", "The flamingo printer jams", "b@example.com").state.ticket.id;
  const domain::TicketId ophelia =
      OpenTicket("Hello", "Question", "o@example.com", "Ophelia Thistlewood").state.ticket.id;

  EXPECT_THAT(SearchIds("flamingo"), ElementsAre(flamingo));
  EXPECT_THAT(SearchIds("QUOKKA"), ElementsAre(quokka));
  EXPECT_THAT(SearchIds("thistlewood"), ElementsAre(ophelia));
  EXPECT_THAT(SearchIds("flamingo printer"), ElementsAre(flamingo));
  EXPECT_THAT(SearchIds("flamingo quokka"), IsEmpty());  // Every word is required.
  EXPECT_THAT(SearchIds("pelican"), IsEmpty());

  // Later replies and internal notes are searchable too.
  Must(store().ModifyTicket(quokka, Reply(bo, "Resent via the walrus gateway")));
  Must(store().ModifyTicket(ophelia, Note(bo, "Probably the platypus bug")));
  EXPECT_THAT(SearchIds("walrus"), ElementsAre(quokka));
  EXPECT_THAT(SearchIds("platypus"), ElementsAre(ophelia));

  const std::vector<SearchHit> hits = Must(store().Search("flamingo", std::nullopt, 10));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].ticket.subject, "Printer");
  EXPECT_EQ(hits[0].ticket.status, TicketStatus::kNew);
}

TEST_P(StoreContract, SearchFoldsAccents) {
  const domain::TicketId cafe = OpenTicketId("Coffee", "Le café est froid", "a@example.com");
  const domain::TicketId resume = OpenTicketId("CV", "naive resume attached", "b@example.com");
  EXPECT_THAT(SearchIds("cafe"), ElementsAre(cafe));
  EXPECT_THAT(SearchIds("café"), ElementsAre(cafe));
  EXPECT_THAT(SearchIds("CAFÉ"), ElementsAre(cafe));
  EXPECT_THAT(SearchIds("naïve résumé"), ElementsAre(resume));
  EXPECT_THAT(SearchIds("resume"), ElementsAre(resume));
}

TEST_P(StoreContract, SearchRanksSubjectMatchAboveOneWordInALongBody) {
  for (int i = 0; i < 8; ++i) {
    OpenTicketId(Cat("Filler ", i), Cat("Nothing relevant in ticket number ", i),
                 Cat("f", i, "@example.com"));
  }
  std::string long_body;
  for (int i = 0; i < 150; ++i) long_body += "lorem ipsum dolor sit amet ";
  long_body += "zorblat ";
  for (int i = 0; i < 50; ++i) long_body += "consectetur adipiscing elit ";
  const domain::TicketId in_body = OpenTicketId("Question", long_body, "body@example.com");
  const domain::TicketId in_subject =
      OpenTicketId("Zorblat outage", "Nothing works since this morning", "subj@example.com");

  const std::vector<SearchHit> hits = Must(store().Search("zorblat", std::nullopt, 10));
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].ticket.id, in_subject);
  EXPECT_EQ(hits[1].ticket.id, in_body);
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST_P(StoreContract, SearchHitsComeBestFirst) {
  for (int i = 0; i < 12; ++i) {
    std::string body = "gadget";
    for (int j = 0; j < i; ++j) body += " gadget filler words here";
    std::string subject = i % 3 == 0 ? "Gadget" : "Other";
    subject += std::to_string(i);
    OpenTicketId(subject, body, Cat("g", i, "@example.com"));
  }
  const std::vector<SearchHit> hits = Must(store().Search("gadget", std::nullopt, 50));
  EXPECT_EQ(hits.size(), 12u);
  for (size_t i = 1; i < hits.size(); ++i) EXPECT_GE(hits[i - 1].score, hits[i].score) << i;
  EXPECT_EQ(Must(store().Search("gadget", std::nullopt, 5)).size(), 5u);
}

TEST_P(StoreContract, SearchSnippetMarksTheMatchedWord) {
  OpenTicketId("Printer", "The flamingo printer jams every morning", "a@example.com");
  OpenTicketId("Quokka invoice", "Please resend", "b@example.com");
  OpenTicketId("Coffee", "Le café est froid", "c@example.com");

  const std::vector<SearchHit> body = Must(store().Search("flamingo", std::nullopt, 10));
  ASSERT_EQ(body.size(), 1u);
  EXPECT_THAT(body[0].snippet, ::testing::HasSubstr("[[flamingo]]"));
  const std::vector<SearchHit> subject = Must(store().Search("quokka", std::nullopt, 10));
  ASSERT_EQ(subject.size(), 1u);
  EXPECT_THAT(subject[0].snippet, ::testing::HasSubstr("[[Quokka]]"));
  const std::vector<SearchHit> accent = Must(store().Search("cafe", std::nullopt, 10));
  ASSERT_EQ(accent.size(), 1u);
  EXPECT_THAT(accent[0].snippet, ::testing::HasSubstr("[[café]]"));
}

TEST_P(StoreContract, SearchFiltersByStatus) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId fresh = OpenTicketId("Gizmo broken", "Help", "a@example.com");
  const domain::TicketId worked = OpenTicketId("Gizmo again", "Help", "b@example.com");
  Must(store().ModifyTicket(worked, Reply(bo, "On it")));
  EXPECT_THAT(SearchIds("gizmo"), UnorderedElementsAre(fresh, worked));
  EXPECT_THAT(SearchIds("gizmo", TicketStatus::kOpen), ElementsAre(worked));
  EXPECT_THAT(SearchIds("gizmo", TicketStatus::kNew), ElementsAre(fresh));
  EXPECT_THAT(SearchIds("gizmo", TicketStatus::kResolved), IsEmpty());
}

TEST_P(StoreContract, SearchWithoutAWordIsInvalid) {
  OpenTicketId("Printer", "It jams", "a@example.com");
  for (std::string_view q : {"", "   ", "?!...", "\"\"", "*", "-- ^ ()", "(/)", "\t\n"}) {
    auto r = store().Search(q, std::nullopt, 10);
    EXPECT_EQ(Code(r.status()), "InvalidArgument") << "[" << q << "]";
    EXPECT_EQ(r.status().field(), "q") << "[" << q << "]";
  }
}

TEST_P(StoreContract, SearchOfOnlyNonAsciiPunctuationIsInvalid) {
  OpenTicketId("Printer", "It jams — really… «always»", "a@example.com");
  for (std::string_view q : {"—", "…", "«»", "¿¡", "— … «»"}) {
    auto r = store().Search(q, std::nullopt, 10);
    EXPECT_EQ(Code(r.status()), "InvalidArgument")
        << "[" << q << "] gave " << r.status().ToString();
  }
}

TEST_P(StoreContract, SearchReadsOperatorsAsWords) {
  const domain::TicketId printer =
      OpenTicketId("Printer", "The flamingo printer jams", "a@example.com");
  OpenTicketId("Quokka invoice", "Please resend", "b@example.com");
  EXPECT_THAT(SearchIds("\"flamingo"), ElementsAre(printer));
  EXPECT_THAT(SearchIds("-flamingo"), ElementsAre(printer));
  EXPECT_THAT(SearchIds("^printer"), ElementsAre(printer));
  EXPECT_THAT(SearchIds("flam*"), IsEmpty());               // Not a prefix query.
  EXPECT_THAT(SearchIds("flamingo OR quokka"), IsEmpty());  // "or" is a word nobody wrote.
  EXPECT_THAT(SearchIds("NEAR(flamingo printer)"), IsEmpty());
  EXPECT_THAT(SearchIds("subject:quokka"), IsEmpty());
  EXPECT_TRUE(store().Search("a' OR 1=1; --", std::nullopt, 10).ok());
}

// ---- Concurrency and durability ----

TEST_P(StoreContract, ConcurrentChangesToOneTicketAreNeverLost) {
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const domain::TicketId id = OpenTicketId("Busy", "Many hands", "a@example.com");
  std::vector<std::vector<int64_t>> versions(kThreads);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store().ModifyTicket(id, Note(bo, Cat("note ", t, "-", i)));
        if (r.ok()) {
          versions[t].push_back(r->state.ticket.version);
        } else {
          ++failures[t];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;

  EXPECT_EQ(Get(id).version, 1 + kThreads * kEach);
  EXPECT_EQ(Must(store().ListMessages(id, true)).size(), static_cast<size_t>(1 + kThreads * kEach));
  EXPECT_EQ(Must(store().ListEvents(id)).size(), static_cast<size_t>(1 + kThreads * kEach));
  // Every write saw the one before it: versions 2..401, each handed out once.
  std::set<int64_t> all;
  for (const auto& v : versions) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 2);
  EXPECT_EQ(*all.rbegin(), 1 + kThreads * kEach);
}

TEST_P(StoreContract, ConcurrentTicketCreationGivesDistinctNumbers) {
  constexpr int kThreads = 6;
  constexpr int kEach = 10;
  std::vector<std::vector<int64_t>> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store().CreateTicket(TicketOf("T", "B"), CustomerRef{"same@example.com", "Same"},
                                      Principal::System());
        if (r.ok()) numbers[t].push_back(r->state.ticket.number);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  for (const auto& n : numbers) all.insert(n.begin(), n.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(Must(store().ListCustomers(CustomerQuery{})).size(), 1u);
}

TEST_P(StoreContract, DataSurvivesReopening) {
  const Agent bo = MakeAgent("Bo", "bo@help.example");
  const TicketWrite w = OpenTicket("Durable", "Write me to disk", "pat@example.com", "Pat");
  const domain::TicketId id = w.state.ticket.id;
  Must(store().ModifyTicket(id,
                            Say(Principal::ForAgent(bo), MessageKind::kReply, "Saved",
                                {{"a.bin", "application/octet-stream", std::string("x\0y", 3)}})));
  domain::ResolutionInput solved;
  solved.outcome = Outcome::kWorkaround;
  solved.statement = "Use the old form";
  Must(store().ModifyTicket(id, Resolve(bo, solved)));
  Credential cred;
  cred.token_hash = std::string(64, 'd');
  cred.principal_id = bo.id;
  cred.created_at = clock_.Now();
  ASSERT_TRUE(store().SaveCredential(cred).ok());

  ASSERT_NO_FATAL_FAILURE(Reopen());

  const Ticket t = Get(id);
  EXPECT_EQ(t.status, TicketStatus::kResolved);
  EXPECT_EQ(t.version, 3);
  EXPECT_EQ(t.owner_id, bo.id);
  ASSERT_TRUE(t.resolution.has_value());
  EXPECT_EQ(t.resolution->outcome, Outcome::kWorkaround);
  EXPECT_EQ(t.resolution->statement, "Use the old form");
  const std::vector<Message> messages = Must(store().ListMessages(id, true));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].body, "Write me to disk");
  EXPECT_EQ(messages[1].body, "Saved");
  EXPECT_EQ(messages[2].kind, MessageKind::kSystem);  // The customer is told the outcome.
  EXPECT_THAT(messages[2].body, ::testing::HasSubstr("Use the old form"));
  ASSERT_EQ(messages[1].attachments.size(), 1u);
  EXPECT_EQ(Must(store().ReadBlob(messages[1].attachments[0].sha256)), std::string("x\0y", 3));
  EXPECT_THAT(Types(Must(store().ListEvents(id))),
              ElementsAre("ticket_created", "owner_taken", "reply_added", "resolved"));
  EXPECT_EQ(Must(store().FindAgentByEmail("bo@help.example")).agent.id, bo.id);
  EXPECT_EQ(Must(store().FindCustomerByEmail("pat@example.com")).name, "Pat");
  EXPECT_EQ(Must(store().FindCredential(cred.token_hash)).principal_id, bo.id);
  EXPECT_THAT(SearchIds("durable"), ElementsAre(id));

  const Ticket next = OpenTicket("After reopen", "Body", "pat@example.com").state.ticket;
  EXPECT_GT(next.number, t.number);
  EXPECT_NE(next.id, id);
}

std::string BackendName(const ::testing::TestParamInfo<StoreFactory>& info) {
  if (info.param == &NewSqlite) return "Sqlite";
  return Cat("Backend", info.index);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         // NewPostgres joins here when src/storage/postgres/ lands:
                         // ::testing::Values(&NewSqlite, &NewPostgres).
                         ::testing::Values(&NewSqlite), BackendName);

// ---- SQLite only ----

TEST(SqliteStoreTest, TicketEventsAreAppendOnlyEvenForRawSql) {
  TempDir dir;
  testing::FakeClock clock;
  auto store = NewSqlite(dir.path(), clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const domain::TicketId id =
      Must((*store)->CreateTicket(TicketOf("Audit", "Keep me"), CustomerRef{"a@example.com", "A"},
                                  Principal::System()))
          .state.ticket.id;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(SqlitePath(dir.path()).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr),
            SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE ticket_events SET type = 'tampered'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM ticket_events", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  const std::vector<Event> events = Must((*store)->ListEvents(id));
  EXPECT_THAT(Types(events), ElementsAre("ticket_created"));
}

}  // namespace
}  // namespace steadfast::storage
