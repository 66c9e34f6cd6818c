#include "http/live_hub.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "domain/follow_through.h"
#include "domain/ticket_rules.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/fake_clock.h"
#include "testing/test_util.h"

namespace steadfast::http {
namespace {

using domain::Principal;
using namespace std::chrono_literals;

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) throw std::runtime_error("unexpected error: " + r.status().ToString());
  return std::move(r).value();
}

// Collects what a stream delivers, as the server would: asks for the next piece after each one.
class Reader {
 public:
  explicit Reader(std::shared_ptr<BodyStream> stream) : stream_(std::move(stream)) { Arm(); }
  ~Reader() { stream_->Close(); }  // As the server does; the pending Next ends here.
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  const std::string& text() const { return text_; }
  bool ended() const { return ended_; }
  bool Has(std::string_view s) const { return text_.find(s) != std::string::npos; }

 private:
  void Arm() {
    stream_->Next([this](std::optional<std::string> piece) {
      if (!piece.has_value()) {
        ended_ = true;
        return;
      }
      text_ += *piece;
      Arm();
    });
  }
  std::shared_ptr<BodyStream> stream_;
  std::string text_;
  bool ended_ = false;
};

class LiveHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::sqlite::SqliteOptions options;
    options.path = dir_.path() + "/steadfast.db";
    store_ = Must(storage::sqlite::SqliteStore::Open(options, clock_));
    bo_ = MakeAgent("Bo", domain::Role::kAgent);
    cy_ = MakeAgent("Cy", domain::Role::kAgent);
    LiveOptions live;
    live.max_replay = 3;
    live.max_streams_per_principal = 2;
    hub_ = std::make_unique<LiveHub>(*store_, clock_, live);
    ASSERT_TRUE(hub_->Init().ok());
  }

  domain::Agent MakeAgent(std::string name, domain::Role role) {
    storage::NewAgent a;
    a.email = name + "@help.example";
    a.name = std::move(name);
    a.role = role;
    return Must(store_->CreateAgent(a));
  }

  // A ticket opened by `email`; returns it with its customer as a principal.
  std::pair<domain::TicketId, Principal> Open(const std::string& email) {
    domain::NewTicket t;
    t.subject = "Help";
    t.body = "Please help";
    auto w = Must(store_->CreateTicket(t, storage::CustomerRef{email, ""}, Principal::System()));
    const domain::Customer c = Must(store_->GetCustomer(w.state.ticket.customer_id));
    return {w.state.ticket.id, Principal::ForCustomer(c, false)};
  }

  void Say(domain::TicketId id, const domain::Agent& a, domain::MessageKind kind) {
    Must(store_->ModifyTicket(id, [&](const domain::TicketState& s) {
      domain::NewMessage m;
      m.kind = kind;
      m.body = "words";
      return domain::AddMessage(s, Principal::ForAgent(a), m, false, clock_.Now());
    }));
  }

  std::shared_ptr<BodyStream> Stream(const Principal& who,
                                     std::optional<domain::EventId> last = std::nullopt) {
    return Must(hub_->Open(who, {}, last));
  }

  void Poll() { ASSERT_TRUE(hub_->PollOnce().ok()); }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<storage::sqlite::SqliteStore> store_;
  std::unique_ptr<LiveHub> hub_;
  domain::Agent bo_;
  domain::Agent cy_;
};

TEST_F(LiveHubTest, AgentsHearEveryEventCustomersOnlyTheirsAndNeverInternalOnes) {
  auto [mine, pat] = Open("pat@example.com");
  Reader agent(Stream(Principal::ForAgent(bo_)));
  Reader customer(Stream(pat));
  auto [theirs, sam] = Open("sam@example.com");
  Say(mine, bo_, domain::MessageKind::kReply);
  Say(mine, bo_, domain::MessageKind::kNote);
  Poll();

  EXPECT_TRUE(agent.Has("\"ticket_id\":" + std::to_string(theirs)));
  EXPECT_TRUE(agent.Has("\"type\":\"reply_added\""));
  EXPECT_TRUE(agent.Has("\"type\":\"note_added\""));
  EXPECT_TRUE(agent.Has("event: ticket\n"));

  EXPECT_TRUE(customer.Has("\"type\":\"reply_added\""));
  EXPECT_FALSE(customer.Has("\"ticket_id\":" + std::to_string(theirs)));
  EXPECT_FALSE(customer.Has("note_added"));
}

TEST_F(LiveHubTest, AHandoffNotifiesOnlyTheAgentItIsProposedTo) {
  auto [id, pat] = Open("pat@example.com");
  Say(id, bo_, domain::MessageKind::kReply);
  Reader bo(Stream(Principal::ForAgent(bo_)));
  Reader cy(Stream(Principal::ForAgent(cy_)));
  Must(store_->ModifyTicket(id, [&](const domain::TicketState& s) {
    return domain::ProposeHandoff(s, Principal::ForAgent(bo_), cy_.id, "yours", clock_.Now());
  }));
  Poll();
  EXPECT_TRUE(cy.Has("event: notification\n"));
  EXPECT_TRUE(cy.Has("\"type\":\"handoff_proposed\""));
  EXPECT_TRUE(bo.Has("\"type\":\"handoff_proposed\""));
  EXPECT_FALSE(bo.Has("event: notification"));
}

TEST_F(LiveHubTest, ABrokenPromiseNotifiesTheOwnerAndTheLeadsOfTheTicketsTeam) {
  const domain::TeamId team = Must(store_->CreateTeam("Billing")).id;
  const domain::TeamId other_team = Must(store_->CreateTeam("Support")).id;
  storage::NewAgent lead;
  lead.name = "Lee";
  lead.email = "lee@help.example";
  lead.role = domain::Role::kLead;
  lead.teams = {team};
  const domain::Agent lee = Must(store_->CreateAgent(lead));
  auto [id, pat] = Open("pat@example.com");
  Must(store_->ModifyTicket(id, [&](const domain::TicketState& s) {
    domain::NewMessage m;
    m.kind = domain::MessageKind::kReply;
    m.body = "I will confirm it within the hour.";
    m.promise = domain::NewPromise{"confirm", Timestamp{clock_.Now().millis + 1000}};
    return domain::AddMessage(s, Principal::ForAgent(bo_), m, false, clock_.Now());
  }));
  Must(store_->ModifyTicket(id, [&](const domain::TicketState& s) {
    domain::TicketPatch patch;
    patch.team_id = team;
    return domain::EditTicket(s, Principal::ForAgent(bo_), patch, s.ticket.version, clock_.Now());
  }));
  Reader owner(Stream(Principal::ForAgent(bo_)));
  Reader as_lead(Must(hub_->Open(Principal::ForAgent(lee), {team}, std::nullopt)));
  Reader other_lead(Must(hub_->Open(Principal::ForAgent(cy_), {other_team}, std::nullopt)));
  clock_.Advance(1h);
  const auto due = Must(store_->DuePromises(clock_.Now(), false, 10));
  ASSERT_EQ(due.size(), 1u);
  Must(store_->ModifyTicket(id, [&](const domain::TicketState& s) {
    return domain::BreakPromise(s, due[0].id, clock_.Now());
  }));
  Poll();
  const std::string note = "event: notification\n";
  EXPECT_TRUE(owner.Has(note));
  EXPECT_TRUE(owner.Has("\"urgent\":true"));
  EXPECT_TRUE(as_lead.Has(note));
  EXPECT_TRUE(other_lead.Has("promise_broken"));  // The ticket event, like every agent.
  EXPECT_FALSE(other_lead.Has(note));
}

TEST_F(LiveHubTest, ResumeReplaysWhatWasMissedOrSaysReset) {
  auto [id, pat] = Open("pat@example.com");
  Poll();
  const domain::EventId before = Must(store_->LatestEventId());
  Say(id, bo_, domain::MessageKind::kReply);  // owner_taken, status, reply_added
  Poll();
  Reader resumed(Stream(Principal::ForAgent(bo_), before));
  EXPECT_TRUE(resumed.Has("reply_added"));
  EXPECT_TRUE(resumed.Has("id: " + std::to_string(Must(store_->LatestEventId())) + "\n"));
  EXPECT_FALSE(resumed.Has("event: reset"));

  Say(id, bo_, domain::MessageKind::kNote);
  Say(id, bo_, domain::MessageKind::kNote);
  Say(id, bo_, domain::MessageKind::kNote);
  Poll();
  Reader far(Stream(Principal::ForAgent(cy_), before));  // More than max_replay behind.
  EXPECT_TRUE(far.Has("id: " + std::to_string(Must(store_->LatestEventId())) + "\nevent: reset\n"));
  EXPECT_FALSE(far.Has("note_added"));

  Reader ahead(Stream(pat, Must(store_->LatestEventId()) + 100));
  EXPECT_TRUE(ahead.Has("event: reset"));
}

// The replay on resume goes through the same filter as live fan-out: a customer who reconnects
// is not sent another customer's tickets nor the team's internal events that came meanwhile.
TEST_F(LiveHubTest, AResumedCustomerStreamReplaysOnlyTheirOwnVisibleEvents) {
  auto [mine, pat] = Open("pat@example.com");
  Poll();
  const domain::EventId before = Must(store_->LatestEventId());
  auto [theirs, sam] = Open("sam@example.com");
  Say(theirs, bo_, domain::MessageKind::kReply);
  Say(mine, bo_, domain::MessageKind::kNote);
  Say(mine, bo_, domain::MessageKind::kReply);
  Poll();
  LiveOptions wide;
  wide.max_replay = 100;  // All of it is replayed, none of it cut short by a reset.
  LiveHub hub(*store_, clock_, wide);
  ASSERT_TRUE(hub.Init().ok());
  Reader resumed(Must(hub.Open(pat, {}, before)));
  EXPECT_FALSE(resumed.Has("event: reset"));
  EXPECT_TRUE(resumed.Has("\"ticket_id\":" + std::to_string(mine) + ","));
  EXPECT_TRUE(resumed.Has("\"type\":\"reply_added\""));
  EXPECT_FALSE(resumed.Has("\"ticket_id\":" + std::to_string(theirs) + ","));
  EXPECT_FALSE(resumed.Has("note_added"));
  EXPECT_FALSE(resumed.Has("event: notification"));
  Reader other(Must(hub.Open(sam, {}, before)));
  EXPECT_TRUE(other.Has("\"ticket_id\":" + std::to_string(theirs) + ","));
  EXPECT_FALSE(other.Has("\"ticket_id\":" + std::to_string(mine) + ","));
  hub.Stop();
}

TEST_F(LiveHubTest, QuietStreamsGetHeartbeatsAndStopEndsThem) {
  Reader agent(Stream(Principal::ForAgent(bo_)));
  Poll();
  EXPECT_FALSE(agent.Has(": keep-alive"));
  clock_.Advance(15s);
  Poll();
  EXPECT_TRUE(agent.Has(": keep-alive\n\n"));
  EXPECT_FALSE(agent.ended());
  hub_->Stop();
  EXPECT_TRUE(agent.ended());
  EXPECT_EQ(hub_->Open(Principal::ForAgent(bo_), {}, std::nullopt).status().code(),
            StatusCode::kUnavailable);
}

TEST_F(LiveHubTest, StreamsPerPrincipalAreLimitedAndFreedWhenClosed) {
  auto first = Stream(Principal::ForAgent(bo_));
  auto second = Stream(Principal::ForAgent(bo_));
  EXPECT_EQ(hub_->Open(Principal::ForAgent(bo_), {}, std::nullopt).status().code(),
            StatusCode::kRateLimited);
  EXPECT_TRUE(hub_->Open(Principal::ForAgent(cy_), {}, std::nullopt).ok());
  first->Close();
  EXPECT_TRUE(hub_->Open(Principal::ForAgent(bo_), {}, std::nullopt).ok());
}

TEST_F(LiveHubTest, PresenceIsToldToOtherAgentsAndExpires) {
  auto [id, pat] = Open("pat@example.com");
  Reader bo(Stream(Principal::ForAgent(bo_)));
  Reader cy(Stream(Principal::ForAgent(cy_)));
  Reader customer(Stream(pat));
  hub_->SetPresence(id, bo_, PresenceBoard::State::kTyping);
  EXPECT_TRUE(cy.Has("event: presence\n"));
  EXPECT_TRUE(cy.Has("\"name\":\"Bo\""));
  EXPECT_TRUE(cy.Has("\"state\":\"typing\""));
  EXPECT_FALSE(bo.Has("event: presence"));
  EXPECT_FALSE(customer.Has("event: presence"));
  ASSERT_EQ(hub_->PresenceOn(id, cy_.id).size(), 1u);
  EXPECT_TRUE(hub_->PresenceOn(id, bo_.id).empty());

  clock_.Advance(31s);
  EXPECT_TRUE(hub_->PresenceOn(id, cy_.id).empty());
  Poll();
  EXPECT_TRUE(cy.Has("\"state\":\"left\""));
}

}  // namespace
}  // namespace steadfast::http
