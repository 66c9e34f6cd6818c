#include "domain/permissions.h"

#include <string>

#include "common/check.h"

namespace steadfast::domain {

bool CanSee(const Principal& who, const Ticket& ticket) {
  if (!who.is_customer()) return true;
  if (ticket.customer_id == who.id) return true;
  return who.company_shares_tickets && who.company_id.has_value() &&
         ticket.company_id == who.company_id;
}

bool CanSeeMessage(const Principal& who, MessageKind kind) {
  return !who.is_customer() || kind != MessageKind::kNote;
}

bool CanSeeEvent(const Principal& who, std::string_view type) {
  if (!who.is_customer()) return true;
  static constexpr std::string_view kCustomerVisible[] = {
      "ticket_created",
      "customer_message_added",
      "reply_added",
      "system_message_added",
      "reopened_by_customer",
      "resolved",
      "reopened",
      "closed",
      "followup_came_back",
      "followup_stayed_solved",
      "closed_after_outcome",
      "closed_without_answer",
      "owner_taken",
      "handoff_accepted",
      "reassigned",
  };
  for (std::string_view visible : kCustomerVisible) {
    if (type == visible) return true;
  }
  return false;
}

namespace {

Status Denied(std::string why) { return Status::PermissionDenied(std::move(why)); }

bool IsOwner(const Principal& who, const Ticket& t) {
  return who.is_agent() && t.owner_id.has_value() && *t.owner_id == who.id;
}

// Actions on one ticket, after visibility has been checked.
Status AuthorizeTicketAction(const Principal& who, Action what, const Target& target) {
  const Ticket& t = *target.ticket;
  if (who.is_customer()) {
    switch (what) {
      case Action::kViewTicket:
        return Status::Ok();
      case Action::kPostCustomerMessage:
        // Only the ticket's own customer writes as the customer; colleagues only read.
        if (t.customer_id == who.id) return Status::Ok();
        return Denied("only the customer who opened this ticket may write on it");
      default:
        return Denied("customers may only read and reply on their own tickets");
    }
  }
  if (who.is_system()) return Status::Ok();
  switch (what) {
    case Action::kViewTicket:
    case Action::kViewInternal:
    case Action::kReply:
    case Action::kNote:
    case Action::kEditTicket:
    case Action::kTakeOwnership:
    case Action::kReopen:
      return Status::Ok();
    case Action::kShowPresence:
      return Status::Ok();
    case Action::kPostCustomerMessage:
      return Denied("agents reply as themselves, not as the customer");
    case Action::kProposeHandoff:
      if (IsOwner(who, t) || who.is_lead_or_admin()) return Status::Ok();
      return Denied("only the ticket's owner (or a lead) may hand it off");
    case Action::kAnswerHandoff:
      SF_CHECK(target.handoff != nullptr);
      if (target.handoff->to_agent_id == who.id) return Status::Ok();
      return Denied("only the agent the handoff is offered to may answer it");
    case Action::kReassign:
      if (who.is_lead_or_admin()) return Status::Ok();
      return Denied("only leads and admins may reassign directly; propose a handoff instead");
    case Action::kResolve:
      if (!t.owner_id.has_value() || IsOwner(who, t) || who.is_lead_or_admin()) {
        return Status::Ok();
      }
      return Denied("only the ticket's owner (or a lead) may resolve it");
    case Action::kManagePromise:
      if (IsOwner(who, t) || who.is_lead_or_admin() ||
          (target.promise != nullptr && target.promise->owner_id == who.id)) {
        return Status::Ok();
      }
      return Denied(
          "only the agent who made the promise, the ticket's owner or a lead may change it");
    default:
      return Denied("not an action on a ticket");
  }
}

}  // namespace

Status Authorize(const Principal& who, Action what, const Target& target) {
  switch (what) {
    case Action::kViewTicket:
    case Action::kViewInternal:
    case Action::kPostCustomerMessage:
    case Action::kReply:
    case Action::kNote:
    case Action::kEditTicket:
    case Action::kProposeHandoff:
    case Action::kAnswerHandoff:
    case Action::kReassign:
    case Action::kTakeOwnership:
    case Action::kResolve:
    case Action::kReopen:
    case Action::kManagePromise:
    case Action::kShowPresence:
      SF_CHECK(target.ticket != nullptr);
      // The same answer as for a ticket that does not exist (see storage), so a customer
      // learns nothing from probing ids.
      if (!CanSee(who, *target.ticket)) {
        return Status::NotFound("ticket " + std::to_string(target.ticket->id) + " not found");
      }
      return AuthorizeTicketAction(who, what, target);

    case Action::kCreateTicket:
    case Action::kListTickets:
      return Status::Ok();  // Customers create for themselves; lists are filtered by CanSee.
    case Action::kSearch:
      if (who.is_customer()) return Denied("search is for agents");
      return Status::Ok();

    case Action::kViewCustomer:
      SF_CHECK(target.customer != nullptr);
      if (who.is_customer() && target.customer->id != who.id) {
        return Status::NotFound("customer " + std::to_string(target.customer->id) + " not found");
      }
      return Status::Ok();
    case Action::kEditCustomer:
      SF_CHECK(target.customer != nullptr);
      if (who.is_customer()) {
        if (target.customer->id != who.id) {
          return Status::NotFound("customer " + std::to_string(target.customer->id) + " not found");
        }
        return Denied("customers cannot edit their record through this API");
      }
      return Status::Ok();
    case Action::kListCustomers:
    case Action::kCreateCustomer:
    case Action::kViewAgents:
    case Action::kViewTeams:
      if (who.is_customer()) return Denied("this is for agents");
      return Status::Ok();
    case Action::kManageTeams:
      if (who.is_lead_or_admin()) return Status::Ok();
      return Denied("only leads and admins may manage teams");
    case Action::kManageAgents:
      if (who.is_system() || (who.is_agent() && who.role == Role::kAdmin)) return Status::Ok();
      return Denied("only admins may manage agents");
    case Action::kIngestMail:
      if (who.is_system() || (who.is_agent() && who.role == Role::kAdmin)) return Status::Ok();
      return Denied("only the mail gateway (an admin's token) may hand in email");
    case Action::kViewMailboxes:
      if (who.is_lead_or_admin()) return Status::Ok();
      return Denied("only leads and admins may see the mailboxes");
    case Action::kViewPromises:
    case Action::kViewNotifications:
    case Action::kViewSla:
    case Action::kViewQueues:
      if (who.is_customer()) return Denied("this is for agents");
      return Status::Ok();
    case Action::kWatchLive:
      return Status::Ok();  // The stream filters by CanSee and CanSeeEvent.
    case Action::kManageSavedViews:
      if (who.is_agent()) return Status::Ok();
      return Denied("saved views are an agent's own");
    case Action::kViewTeamFigures:
      if (who.is_lead_or_admin()) return Status::Ok();
      return Denied("only leads and admins see the team's figures and the digest");
  }
  return Denied("unknown action");
}

}  // namespace steadfast::domain
