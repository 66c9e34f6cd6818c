#include "domain/permissions.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

#include "domain/entities.h"
#include "domain/principal.h"

namespace steadfast::domain {
namespace {

// The world every row of the matrix is checked in:
//   ticket 7 of customer 100 at company 500, owned by agent 10, with a handoff offered to agent 11;
//   the customer record asked about (kViewCustomer, kEditCustomer) is customer 100's.
constexpr TicketId kTicketId = 7;
constexpr CustomerId kCustomerId = 100;
constexpr CompanyId kCompanyId = 500;
constexpr CompanyId kOtherCompanyId = 600;
constexpr AgentId kOwnerId = 10;
constexpr AgentId kOtherAgentId = 11;
constexpr AgentId kLeadId = 12;
constexpr AgentId kAdminId = 13;

// The columns of the matrix, in order.
enum Who {
  kOwner,             // The agent who owns the ticket (role agent).
  kOtherAgent,        // Another agent (role agent); the handoff is offered to them.
  kLead,              // A lead who does not own the ticket.
  kAdmin,             // An admin who does not own the ticket.
  kSystem,            // The time engine, mail intake.
  kCustomer,          // The ticket's customer (their company does not share).
  kColleagueSharing,  // Another customer at the same company, which shares tickets.
  kColleaguePrivate,  // Another customer at the same company, which does not share.
  kStranger,          // A customer at another company, which shares its own tickets.
  kWhoCount,
};

const char* const kWhoNames[kWhoCount] = {"owner agent",
                                          "other agent",
                                          "lead",
                                          "admin",
                                          "system",
                                          "ticket's customer",
                                          "colleague (sharing on)",
                                          "colleague (sharing off)",
                                          "unrelated customer"};

Principal Make(Who who) {
  const auto agent = [](AgentId id, Role role) {
    return Principal{Actor::Kind::kAgent, id, role, std::nullopt, false};
  };
  const auto customer = [](CustomerId id, CompanyId company, bool shares) {
    return Principal{Actor::Kind::kCustomer, id, Role::kAgent, company, shares};
  };
  switch (who) {
    case kOwner:
      return agent(kOwnerId, Role::kAgent);
    case kOtherAgent:
      return agent(kOtherAgentId, Role::kAgent);
    case kLead:
      return agent(kLeadId, Role::kLead);
    case kAdmin:
      return agent(kAdminId, Role::kAdmin);
    case kSystem:
      return Principal::System();
    case kCustomer:
      return customer(kCustomerId, kCompanyId, false);
    case kColleagueSharing:
      return customer(101, kCompanyId, true);
    case kColleaguePrivate:
      return customer(102, kCompanyId, false);
    case kStranger:
      return customer(103, kOtherCompanyId, true);
    case kWhoCount:
      break;
  }
  ADD_FAILURE() << "no principal for " << who;
  return Principal::System();
}

Ticket TheTicket() {
  Ticket t;
  t.id = kTicketId;
  t.customer_id = kCustomerId;
  t.company_id = kCompanyId;
  t.owner_id = kOwnerId;
  t.status = TicketStatus::kOpen;
  return t;
}

Handoff TheHandoff(AgentId to = kOtherAgentId) {
  Handoff h;
  h.id = 3;
  h.ticket_id = kTicketId;
  h.from_agent_id = kOwnerId;
  h.to_agent_id = to;
  h.note = "context";
  return h;
}

Customer TheCustomer() {
  Customer c;
  c.id = kCustomerId;
  c.company_id = kCompanyId;
  return c;
}

// "OK", "PermissionDenied", "NotFound".
std::string_view CodeOf(const Status& s) { return StatusCodeName(s.code()); }

enum Expect { O, D, N };  // Ok, PermissionDenied, NotFound.

std::string_view ExpectName(Expect e) {
  switch (e) {
    case O:
      return "OK";
    case D:
      return "PermissionDenied";
    case N:
      return "NotFound";
  }
  return "?";
}

struct Row {
  Action action;
  const char* name;
  std::array<Expect, kWhoCount> expect;
};

// The policy. Columns: owner, other agent (the handoff's target), lead, admin, system, the
// ticket's customer, colleague with sharing on, colleague with sharing off, unrelated customer.
// O = Ok, D = PermissionDenied, N = NotFound (a customer must not learn the thing exists).
// clang-format off
const Row kMatrix[] = {
  //  action                         name                 own oth lead adm sys cust co+ co- stranger
  {Action::kViewTicket,          "ViewTicket",          {O,  O,  O,   O,  O,  O,   O,  N,  N}},
  {Action::kViewInternal,        "ViewInternal",        {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kPostCustomerMessage, "PostCustomerMessage", {D,  D,  D,   D,  O,  O,   D,  N,  N}},
  {Action::kReply,               "Reply",               {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kNote,                "Note",                {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kEditTicket,          "EditTicket",          {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kProposeHandoff,      "ProposeHandoff",      {O,  D,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kAnswerHandoff,       "AnswerHandoff",       {D,  O,  D,   D,  O,  D,   D,  N,  N}},
  {Action::kReassign,            "Reassign",            {D,  D,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kTakeOwnership,       "TakeOwnership",       {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kResolve,             "Resolve",             {O,  D,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kReopen,              "Reopen",              {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kManagePromise,       "ManagePromise",       {O,  D,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kCreateTicket,        "CreateTicket",        {O,  O,  O,   O,  O,  O,   O,  O,  O}},
  {Action::kListTickets,         "ListTickets",         {O,  O,  O,   O,  O,  O,   O,  O,  O}},
  {Action::kSearch,              "Search",              {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kViewCustomer,        "ViewCustomer",        {O,  O,  O,   O,  O,  O,   N,  N,  N}},
  {Action::kListCustomers,       "ListCustomers",       {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kEditCustomer,        "EditCustomer",        {O,  O,  O,   O,  O,  D,   N,  N,  N}},
  {Action::kCreateCustomer,      "CreateCustomer",      {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kViewAgents,          "ViewAgents",          {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kManageAgents,        "ManageAgents",        {D,  D,  D,   O,  O,  D,   D,  D,  D}},
  {Action::kViewTeams,           "ViewTeams",           {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kManageTeams,         "ManageTeams",         {D,  D,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kIngestMail,          "IngestMail",          {D,  D,  D,   O,  O,  D,   D,  D,  D}},
  {Action::kViewMailboxes,       "ViewMailboxes",       {D,  D,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kViewPromises,        "ViewPromises",        {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kWatchLive,           "WatchLive",           {O,  O,  O,   O,  O,  O,   O,  O,  O}},
  {Action::kViewNotifications,   "ViewNotifications",   {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kShowPresence,        "ShowPresence",        {O,  O,  O,   O,  O,  D,   D,  N,  N}},
  {Action::kViewSla,             "ViewSla",             {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kViewQueues,          "ViewQueues",          {O,  O,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kViewTeamFigures,     "ViewTeamFigures",     {D,  D,  O,   O,  O,  D,   D,  D,  D}},
  {Action::kManageSavedViews,    "ManageSavedViews",    {O,  O,  O,   O,  D,  D,   D,  D,  D}},
};
// clang-format on

class PermissionMatrix : public ::testing::TestWithParam<Row> {};

TEST_P(PermissionMatrix, Authorize) {
  const Row& row = GetParam();
  const Ticket ticket = TheTicket();
  const Handoff handoff = TheHandoff();
  const Customer customer = TheCustomer();
  const Target target{&ticket, &handoff, &customer};
  for (int w = 0; w < kWhoCount; ++w) {
    const Who who = static_cast<Who>(w);
    const Status st = Authorize(Make(who), row.action, target);
    EXPECT_EQ(CodeOf(st), ExpectName(row.expect[w]))
        << row.name << " by " << kWhoNames[w] << ": " << st.ToString();
    if (!st.ok()) {
      EXPECT_FALSE(st.message().empty()) << row.name << " by " << kWhoNames[w];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Actions, PermissionMatrix, ::testing::ValuesIn(kMatrix),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return std::string(info.param.name);
                         });

TEST(PermissionMatrixTest, CoversEveryActionOnce) {
  std::set<int> seen;
  for (const Row& row : kMatrix) {
    EXPECT_TRUE(seen.insert(static_cast<int>(row.action)).second) << row.name << " twice";
  }
  const int action_count = static_cast<int>(Action::kManageSavedViews) + 1;
  EXPECT_EQ(static_cast<int>(seen.size()), action_count);
  for (int a = 0; a < action_count; ++a) EXPECT_EQ(seen.count(a), 1u) << "action " << a;
}

// ---------------------------------------------------------------------------------------------
// Cases the matrix does not show.

TEST(AuthorizeTest, AnyAgentMayResolveATicketNobodyOwns) {
  Ticket ticket = TheTicket();
  ticket.owner_id.reset();
  EXPECT_TRUE(Authorize(Make(kOtherAgent), Action::kResolve, {&ticket}).ok());
  // Still not another agent's to resolve once someone owns it, nor a customer's.
  EXPECT_EQ(CodeOf(Authorize(Make(kCustomer), Action::kResolve, {&ticket})), "PermissionDenied");
  EXPECT_EQ(CodeOf(Authorize(Make(kStranger), Action::kResolve, {&ticket})), "NotFound");
}

TEST(AuthorizeTest, OnlyTheAgentAHandoffIsOfferedToMayAnswerIt) {
  const Ticket ticket = TheTicket();
  const Handoff to_lead = TheHandoff(kLeadId);
  const Target target{&ticket, &to_lead, nullptr};
  EXPECT_TRUE(Authorize(Make(kLead), Action::kAnswerHandoff, target).ok());
  EXPECT_EQ(CodeOf(Authorize(Make(kOtherAgent), Action::kAnswerHandoff, target)),
            "PermissionDenied");
  EXPECT_EQ(CodeOf(Authorize(Make(kAdmin), Action::kAnswerHandoff, target)), "PermissionDenied");
  EXPECT_EQ(CodeOf(Authorize(Make(kOwner), Action::kAnswerHandoff, target)), "PermissionDenied");
  // A customer whose id happens to equal the target agent's id is still a customer.
  const Principal namesake{Actor::Kind::kCustomer, kLeadId, Role::kAgent, kCompanyId, true};
  EXPECT_EQ(CodeOf(Authorize(namesake, Action::kAnswerHandoff, target)), "PermissionDenied");
}

TEST(AuthorizeTest, CustomerWhoseIdMatchesTheOwnerIsNotTheOwner) {
  const Ticket ticket = TheTicket();
  // Same company, which shares: the namesake may read the ticket, but owns nothing.
  const Principal namesake{Actor::Kind::kCustomer, kOwnerId, Role::kAgent, kCompanyId, true};
  EXPECT_TRUE(Authorize(namesake, Action::kViewTicket, {&ticket}).ok());
  EXPECT_EQ(CodeOf(Authorize(namesake, Action::kResolve, {&ticket})), "PermissionDenied");
  EXPECT_EQ(CodeOf(Authorize(namesake, Action::kProposeHandoff, {&ticket})), "PermissionDenied");
}

TEST(AuthorizeTest, CustomersMaySeeOnlyTheirOwnCustomerRecord) {
  Customer self;
  self.id = 101;
  self.company_id = kCompanyId;
  EXPECT_TRUE(
      Authorize(Make(kColleagueSharing), Action::kViewCustomer, {nullptr, nullptr, &self}).ok());
  EXPECT_EQ(
      CodeOf(Authorize(Make(kColleagueSharing), Action::kEditCustomer, {nullptr, nullptr, &self})),
      "PermissionDenied");
  // Same company, sharing on: another customer's record is still not found.
  const Customer other = TheCustomer();
  EXPECT_EQ(
      CodeOf(Authorize(Make(kColleagueSharing), Action::kViewCustomer, {nullptr, nullptr, &other})),
      "NotFound");
}

// ---------------------------------------------------------------------------------------------
// CanSee and CanSeeMessage.

TEST(CanSeeTest, EachPrincipalAgainstTheTicket) {
  const Ticket ticket = TheTicket();
  // Columns as in the matrix.
  const bool expected[kWhoCount] = {true, true, true, true, true, true, true, false, false};
  for (int w = 0; w < kWhoCount; ++w) {
    EXPECT_EQ(CanSee(Make(static_cast<Who>(w)), ticket), expected[w]) << kWhoNames[w];
  }
}

TEST(CanSeeTest, NoCompanyOnEitherSideGrantsNothing) {
  Ticket ticket = TheTicket();
  ticket.company_id.reset();
  const Principal no_company{Actor::Kind::kCustomer, 104, Role::kAgent, std::nullopt, true};
  EXPECT_FALSE(CanSee(no_company, ticket));
  // A sharing company does not open tickets that were filed without a company.
  EXPECT_FALSE(CanSee(Make(kColleagueSharing), ticket));
  // The ticket's own customer still sees it.
  EXPECT_TRUE(CanSee(Make(kCustomer), ticket));
}

TEST(CanSeeTest, TicketFiledUnderAnotherCompanyIsHidden) {
  Ticket ticket = TheTicket();
  ticket.company_id = kOtherCompanyId;  // The customer moved companies since.
  EXPECT_FALSE(CanSee(Make(kColleagueSharing), ticket));
  EXPECT_TRUE(CanSee(Make(kStranger), ticket));  // 600 shares, and the ticket was filed there.
  EXPECT_TRUE(CanSee(Make(kCustomer), ticket));
}

TEST(CanSeeMessageTest, CustomersNeverSeeNotes) {
  const MessageKind kinds[] = {MessageKind::kCustomer, MessageKind::kReply, MessageKind::kNote,
                               MessageKind::kSystem};
  for (int w = 0; w < kWhoCount; ++w) {
    const Principal p = Make(static_cast<Who>(w));
    for (const MessageKind kind : kinds) {
      const bool expected = !(p.is_customer() && kind == MessageKind::kNote);
      EXPECT_EQ(CanSeeMessage(p, kind), expected) << kWhoNames[w] << " / " << Name(kind);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Principal.

TEST(PrincipalTest, FactoriesAndRoles) {
  Agent lead;
  lead.id = 12;
  lead.role = Role::kLead;
  const Principal p = Principal::ForAgent(lead);
  EXPECT_TRUE(p.is_agent());
  EXPECT_EQ(p.id, 12);
  EXPECT_TRUE(p.is_lead_or_admin());
  EXPECT_EQ(p.actor().kind, Actor::Kind::kAgent);
  EXPECT_EQ(p.actor().id, 12);

  Agent agent;
  agent.id = 10;
  EXPECT_FALSE(Principal::ForAgent(agent).is_lead_or_admin());

  const Customer c = TheCustomer();
  const Principal cp = Principal::ForCustomer(c, true);
  EXPECT_TRUE(cp.is_customer());
  EXPECT_EQ(cp.id, kCustomerId);
  EXPECT_EQ(cp.company_id, kCompanyId);
  EXPECT_TRUE(cp.company_shares_tickets);
  EXPECT_FALSE(cp.is_lead_or_admin());

  const Principal sys = Principal::System();
  EXPECT_TRUE(sys.is_system());
  EXPECT_TRUE(sys.is_lead_or_admin());
  EXPECT_EQ(sys.actor().kind, Actor::Kind::kSystem);
  EXPECT_EQ(sys.actor().id, 0);
}

TEST(PromisePermissionTest, TheAgentWhoMadeAPromiseMayChangeItOnSomeoneElsesTicket) {
  const Ticket ticket = TheTicket();
  Promise p;
  p.owner_id = kOtherAgentId;
  EXPECT_TRUE(
      Authorize(Make(kOtherAgent), Action::kManagePromise, {&ticket, nullptr, nullptr, &p}).ok());
  p.owner_id = kOwnerId;
  EXPECT_EQ(
      Authorize(Make(kOtherAgent), Action::kManagePromise, {&ticket, nullptr, nullptr, &p}).code(),
      StatusCode::kPermissionDenied);
}
}  // namespace
}  // namespace steadfast::domain
