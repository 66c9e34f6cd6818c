#pragma once

#include "common/result.h"
#include "domain/ticket_rules.h"

namespace steadfast::domain {

// Follow-through: the rules that keep the team's word to customers.
//
// Promises: what an agent told a customer they would do, by when. Made in a reply, kept by a
// later reply that says so (never silently), renegotiated only together with a message that told
// the customer the new date, and broken by the engine when its time passes first.

// The promise `owner` makes in a reply on `t`. InvalidArgument("promise.text") unless the text is
// 1-200 bytes on one line; InvalidArgument("promise.due_at") unless due after `now` and within a
// year.
[[nodiscard]] Result<Promise> MakePromise(const Ticket& t, AgentId owner, const NewPromise& p,
                                          Timestamp now);

// Adds to `c` (a change of `s`) that promise `id` is kept by message `by` (0: the change's own
// message). NotFound unless the promise is owed on this ticket. Kept late when its time had passed.
[[nodiscard]] Status ApplyKeep(Change& c, const TicketState& s, const Principal& who, PromiseId id,
                               MessageId by, Timestamp now);

// Promise `id` kept by the existing reply `by`.
// REQUIRES: Authorize(who, kManagePromise) passed; `by` is a reply on this ticket.
[[nodiscard]] Result<Change> KeepPromise(const TicketState& s, const Principal& who, PromiseId id,
                                         MessageId by, Timestamp now);

// Promise `id` due at `new_due` instead, as the customer was told in reply `told_in`. A broken
// promise is owed again (and stays counted as missed). InvalidArgument("due_at") unless the new
// date is after `now` and within a year.
// REQUIRES: Authorize(who, kManagePromise) passed; `told_in` is a reply on this ticket.
[[nodiscard]] Result<Change> RenegotiatePromise(const TicketState& s, const Principal& who,
                                                PromiseId id, Timestamp new_due, MessageId told_in,
                                                Timestamp now);

// The engine's rules. Each is a no-op (a Change without events) when the promise is no longer in
// the state the rule expects, so a due item acted on twice (two nodes, a retry) changes nothing.
// Reminds the owner that promise `id` is due soon (an event the owner is notified of).
[[nodiscard]] Result<Change> RemindPromise(const TicketState& s, PromiseId id, Timestamp now);
// Marks an open promise whose time has passed as broken, with a note telling the owner to write
// to the customer now.
[[nodiscard]] Result<Change> BreakPromise(const TicketState& s, PromiseId id, Timestamp now);

// Nobody owns it: a new ticket nobody took is offered to one agent, as a handoff from the system
// that the agent accepts (becoming the owner) or declines. `note` says why them ("you helped this
// customer last"). A no-op unless the ticket is new, unowned and has no pending handoff.
[[nodiscard]] Result<Change> OfferTicket(const TicketState& s, AgentId to, std::string note,
                                         Timestamp now);
// Withdraws an offer nobody answered in time (the engine then offers it to someone else). A no-op
// unless the pending handoff is an offer made at or before `offered_before`.
[[nodiscard]] Result<Change> ExpireOffer(const TicketState& s, Timestamp offered_before,
                                         Timestamp now);

// The plain words that tell the customer how ticket `t` ended (REQUIRES: t.resolution).
std::string OutcomeNotice(const Ticket& t);

// "Did it stay solved?" Some days after a ticket is resolved solved or workaround, the customer
// is asked once, by email to `email_to`, with two links (`yes_url`, `no_url`) that need no login.
// A no-op unless the ticket is resolved that way and was not asked yet.
[[nodiscard]] Result<Change> AskFollowUp(const TicketState& s, const std::string& email_to,
                                         const std::string& yes_url, const std::string& no_url,
                                         Timestamp now);
// The customer's answer. Yes closes the ticket. No reopens it to the same owner, at the top of
// their queue (urgent), with a line saying so. Conflict when the ticket no longer waits for this
// answer (already answered, reopened, closed).
[[nodiscard]] Result<Change> AnswerFollowUp(const TicketState& s, bool stayed_solved,
                                            Timestamp now);
// Closes a resolved ticket whose follow-up went unanswered, or whose outcome asks no question
// (cannot_do, duplicate, withdrawn: the customer was told it when it was resolved). A no-op
// unless the ticket is resolved.
[[nodiscard]] Result<Change> CloseResolved(const TicketState& s, Timestamp now);

// Silence: the customer has waited since `ticket.waiting_since` with no word from us. Raises it
// once per wait (a note telling the team to write now; an event the owner is notified of). A
// no-op when the customer no longer waits or it was raised already.
[[nodiscard]] Result<Change> RaiseSilence(const TicketState& s, Timestamp now);

}  // namespace steadfast::domain
