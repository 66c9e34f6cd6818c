#include "domain/notifications.h"

#include <gtest/gtest.h>

#include "domain/permissions.h"
#include "domain/principal.h"

namespace steadfast::domain {
namespace {

Ticket Owned(std::optional<AgentId> owner) {
  Ticket t;
  t.id = 7;
  t.customer_id = 100;
  t.owner_id = owner;
  return t;
}

Event Of(std::string type, Actor actor = Actor{}) {
  Event e;
  e.ticket_id = 7;
  e.type = std::move(type);
  e.actor = actor;
  return e;
}

TEST(ConcernedAgentTest, AHandoffOrOfferConcernsTheAgentItIsProposedTo) {
  Event handoff = Of("handoff_proposed", Actor{Actor::Kind::kAgent, 10});
  handoff.changes = {{"to_agent_id", "", "11"}};
  EXPECT_EQ(ConcernedAgent(handoff, Owned(10)), 11);
  Event offer = Of("offered");
  offer.changes = {{"to_agent_id", "", "12"}};
  EXPECT_EQ(ConcernedAgent(offer, Owned(std::nullopt)), 12);
  offer.changes = {{"to_agent_id", "", "x"}};
  EXPECT_EQ(ConcernedAgent(offer, Owned(std::nullopt)), std::nullopt);
}

TEST(ConcernedAgentTest, OwnerAlarmsConcernTheOwnerUnlessTheyDidIt) {
  for (const char* type :
       {"promise_due_soon", "promise_broken", "silence_raised", "chase_received",
        "followup_came_back", "reopened_by_customer", "sla_warning", "sla_breached"}) {
    EXPECT_EQ(ConcernedAgent(Of(type), Owned(10)), 10) << type;
    EXPECT_EQ(ConcernedAgent(Of(type), Owned(std::nullopt)), std::nullopt) << type;
  }
  EXPECT_EQ(
      ConcernedAgent(Of("customer_message_added", Actor{Actor::Kind::kCustomer, 10}), Owned(10)),
      10);
  // What the owner did themselves, and ordinary work, notify nobody.
  EXPECT_EQ(ConcernedAgent(Of("chase_received", Actor{Actor::Kind::kAgent, 10}), Owned(10)),
            std::nullopt);
  for (const char* type : {"reply_added", "note_added", "ticket_updated", "resolved", "closed"}) {
    EXPECT_EQ(ConcernedAgent(Of(type), Owned(10)), std::nullopt) << type;
  }
}

TEST(ConcernedAgentTest, LeadsAndUrgency) {
  EXPECT_TRUE(ConcernsTeamLeads("promise_broken"));
  EXPECT_FALSE(ConcernsTeamLeads("silence_raised"));
  EXPECT_TRUE(IsUrgentNotification("promise_broken"));
  EXPECT_TRUE(IsUrgentNotification("sla_breached"));
  EXPECT_FALSE(IsUrgentNotification("sla_warning"));
}

TEST(CanSeeEventTest, CustomersNeverLearnOfInternalEvents) {
  Customer c;
  c.id = 100;
  const Principal customer = Principal::ForCustomer(c, false);
  Agent a;
  a.id = 10;
  const Principal agent = Principal::ForAgent(a);
  for (const char* type : {"reply_added", "customer_message_added", "resolved", "closed"}) {
    EXPECT_TRUE(CanSeeEvent(customer, type)) << type;
  }
  for (const char* type :
       {"note_added", "promise_made", "promise_broken", "silence_raised", "handoff_proposed",
        "offered", "chase_received", "sla_breached", "ticket_updated", "anything_new"}) {
    EXPECT_FALSE(CanSeeEvent(customer, type)) << type;
    EXPECT_TRUE(CanSeeEvent(agent, type)) << type;
  }
}

}  // namespace
}  // namespace steadfast::domain
