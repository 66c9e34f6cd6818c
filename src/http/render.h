#pragma once

#include <boost/json/value.hpp>

#include "domain/entities.h"
#include "domain/principal.h"
#include "domain/ticket_rules.h"
#include "storage/store.h"

// The JSON shape of every entity the API returns. One function per entity, so the API and its
// OpenAPI document (docs/openapi.json) have one place to agree on.
namespace steadfast::http {

// The ticket as `viewer` may see it: customers never see the pending handoff (its note is
// internal).
boost::json::value RenderTicket(const domain::TicketState& s, const domain::Principal& viewer);
boost::json::value RenderTicket(const domain::Ticket& t);
boost::json::value RenderMessage(const domain::Message& m);
boost::json::value RenderEvent(const domain::Event& e);
boost::json::value RenderHandoff(const domain::Handoff& h);
boost::json::value RenderCustomer(const domain::Customer& c);
boost::json::value RenderAgent(const domain::Agent& a);
boost::json::value RenderTeam(const domain::Team& t);
boost::json::value RenderActor(const domain::Actor& a);
boost::json::value RenderAttachment(const domain::Attachment& a);

}  // namespace steadfast::http
