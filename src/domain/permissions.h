#pragma once

#include <string_view>

#include "common/status.h"
#include "domain/entities.h"
#include "domain/principal.h"

namespace steadfast::domain {

// Everything a principal can ask to do. Every permission check in Steadfast is one call to
// Authorize below; tests/domain/permissions_test.cc holds the matrix.
enum class Action {
  // On a ticket (REQUIRES a ticket).
  kViewTicket,           // Read the ticket, its customer-visible messages and attachments.
  kViewInternal,         // Internal notes and the event log.
  kPostCustomerMessage,  // A message as the ticket's customer.
  kReply,                // An agent reply to the customer.
  kNote,                 // An internal note.
  kEditTicket,           // Subject, priority, tags, team, open⇄pending.
  kProposeHandoff,       // Offer ownership to another agent.
  kAnswerHandoff,        // Accept or decline (REQUIRES the handoff).
  kReassign,             // Move ownership directly, without the receiver accepting.
  kTakeOwnership,        // Take a ticket that nobody owns.
  kResolve,
  kReopen,
  kManagePromise,  // Mark a promise kept or renegotiate it: its maker, the owner, a lead.
  // Not tied to one ticket.
  kCreateTicket,  // Agents for anyone; customers for themselves.
  kListTickets,   // Customers get only what they may see (see VisibleTo).
  kSearch,
  kViewCustomer,  // REQUIRES a customer (customers may see themselves).
  kListCustomers,
  kEditCustomer,  // REQUIRES a customer.
  kCreateCustomer,
  kViewAgents,
  kManageAgents,  // Create agents and tokens: admins.
  kViewTeams,
  kManageTeams,    // Create teams: leads and admins.
  kIngestMail,     // Hand raw email to the intake (the mail gateway): admins and the system.
  kViewMailboxes,  // The IMAP pollers' status (no secrets in it): leads and admins.
  kViewPromises,   // Promise lists and one's own follow-through figures: agents.
  kWatchLive,      // The live event stream: everyone signed in (customers get what they may see).
  kViewNotifications,  // One's own in-app notifications: agents.
  // On a ticket (REQUIRES a ticket), placed here to keep the numbering of the actions above.
  kShowPresence,  // Say "I am viewing / typing on this ticket" and see who else is: agents.
  // Not tied to one ticket.
  kViewSla,           // The business calendar and SLA policies in force: agents.
  kViewQueues,        // The workspace's queue counts: agents.
  kViewTeamFigures,   // Every agent's and team's follow-through figures, the digest: leads, admins.
  kManageSavedViews,  // List, save, change and delete one's own saved views: agents.
};

// What the action is applied to. Leave unused members null.
struct Target {
  const Ticket* ticket = nullptr;
  const Handoff* handoff = nullptr;
  const Customer* customer = nullptr;
  const Promise* promise = nullptr;  // kManagePromise: the promise, when known.
};

// Ok if `who` may do `what` to `target`; PermissionDenied (naming the reason) otherwise.
// NotFound instead of PermissionDenied where admitting existence would leak data: a customer
// asking for someone else's ticket or customer record learns nothing.
[[nodiscard]] Status Authorize(const Principal& who, Action what, const Target& target = {});

// True if customer principal `who` may see `ticket` (their own, or their company's when the
// company shares tickets). Agents and the system see every ticket.
bool CanSee(const Principal& who, const Ticket& ticket);

// True if `who` may see a message of `kind` (customers never see internal notes).
bool CanSeeMessage(const Principal& who, MessageKind kind);

// True if `who` may learn that an event of `type` happened on a ticket they can see. Customers
// get only the types that change what their portal shows (messages other than notes, status,
// outcome, owner); never internal ones (notes, promises, silence, handoffs, SLA alarms).
bool CanSeeEvent(const Principal& who, std::string_view type);

}  // namespace steadfast::domain
