#pragma once

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <vector>

#include "domain/entities.h"
#include "domain/principal.h"
#include "domain/ticket_rules.h"
#include "storage/store.h"

// The JSON shape of every entity the API returns. One function per entity, so the API and its
// OpenAPI document (docs/openapi.json) have one place to agree on.
namespace steadfast::http {

// Agents' display names by id: what a ticket list shows as owners and a conversation as the
// writers of replies. Names only, never an agent's email (customers see these names too).
using AgentNames = std::map<domain::AgentId, std::string>;
// The agents who wrote some of `messages`, and who own some ticket of `page`: whose names to
// look up before rendering them.
std::vector<domain::AgentId> MessageAuthors(const std::vector<domain::Message>& messages);
std::vector<domain::AgentId> PageOwners(const storage::TicketPage& page);

// The ticket as `viewer` may see it, with its owner's display name (`owner_name`, null when
// nobody owns it): customers never see the pending handoff (its note is internal), nor the
// team's tags and team (empty and null for them).
boost::json::value RenderTicket(const domain::TicketState& s, const domain::Principal& viewer,
                                const std::optional<std::string>& owner_name);
// Blanks what is the team's business in a rendered ticket (tags, team) when `viewer` is a
// customer.
void HideInternal(boost::json::object& ticket, const domain::Principal& viewer);
// The functions taking a storage_ptr allocate from it: lists pass a monotonic resource so a
// page of tickets costs a few allocations instead of hundreds.
boost::json::value RenderTicket(const domain::Ticket& t, boost::json::storage_ptr sp = {});
// The message with `author_name`: its agent author's display name from `names`, null for
// customers, the system and agents not in `names`.
boost::json::value RenderMessage(const domain::Message& m, const AgentNames& names,
                                 boost::json::storage_ptr sp = {});
boost::json::value RenderEvent(const domain::Event& e, boost::json::storage_ptr sp = {});
boost::json::value RenderHandoff(const domain::Handoff& h);
boost::json::value RenderPromise(const domain::Promise& p);
boost::json::value RenderCustomer(const domain::Customer& c);
// The customer as `viewer` may see it: a customer looking at themselves gets the team's notes
// about them as "" (they are the team's).
boost::json::value RenderCustomerFor(const domain::Customer& c, const domain::Principal& viewer);
boost::json::value RenderAgent(const domain::Agent& a);
boost::json::value RenderTeam(const domain::Team& t);
// {"items": [tickets, each with its "customer": {id, name, email} and "owner_name" (from
// `owners`; null when nobody owns it)], "next_cursor": "..." | null}. The cursor's text is
// FormatTicketCursor's for `sort`.
boost::json::value RenderTicketPage(const storage::TicketPage& page, const AgentNames& owners,
                                    storage::TicketSort sort = storage::TicketSort::kNewest,
                                    boost::json::storage_ptr sp = {});
// {"policy", "next": {kind, due_at, state} | null, "clocks": [...]}: the ticket's SLA clocks as
// the engine last recorded them (state ok, warning, breached; paused with due_at null).
boost::json::value RenderSla(const domain::Ticket& t, boost::json::storage_ptr sp = {});
// A ticket list's `sort` parameter: newest, oldest, last_activity, priority. InvalidArgument
// ("sort") naming the allowed values otherwise.
Result<storage::TicketSort> ParseTicketSort(std::string_view text);
// The cursor as text: "<id>" for newest and oldest, "<key>.<id>" for the sorts with a key.
std::string FormatTicketCursor(const storage::TicketCursor& c, storage::TicketSort sort);
// The inverse; InvalidArgument("cursor") for text that is not a cursor of `sort`.
Result<storage::TicketCursor> ParseTicketCursor(std::string_view text, storage::TicketSort sort);
boost::json::value RenderActor(const domain::Actor& a, boost::json::storage_ptr sp = {});
boost::json::value RenderAttachment(const domain::Attachment& a, boost::json::storage_ptr sp = {});

}  // namespace steadfast::http
