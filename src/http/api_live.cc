// Live updates (the event stream), presence on tickets, and in-app notifications.
#include <boost/json.hpp>

#include "domain/notifications.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/live_hub.h"
#include "http/render.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using domain::Action;

namespace {

constexpr int kDefaultNotifications = 30;
constexpr int kMaxNotifications = 100;

// Where a stream resumes: the Last-Event-ID header (sent by EventSource when it reconnects) or
// the last_event_id query parameter. nullopt: from now.
Result<std::optional<domain::EventId>> ResumeFrom(const Request& req, const QueryParams& query) {
  std::string_view text = req.Header("last-event-id");
  std::string field = "Last-Event-ID";
  const std::optional<std::string> param = query.Get("last_event_id");
  if (text.empty() && param.has_value()) {
    text = *param;
    field = "last_event_id";
  }
  if (text.empty()) return std::optional<domain::EventId>();
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::InvalidArgument(field, "must be an event id (a non-negative integer)");
  }
  return std::optional<domain::EventId>(std::stoll(std::string(text)));
}

json::value RenderPresence(const std::vector<PresenceBoard::Entry>& entries) {
  json::array items;
  for (const PresenceBoard::Entry& e : entries) {
    items.push_back(json::object{{"agent", json::object{{"id", e.agent_id}, {"name", e.name}}},
                                 {"state", PresenceBoard::Name(e.state)},
                                 {"expires_at", FormatIso8601(e.expires_at)}});
  }
  return json::object{{"items", std::move(items)}};
}

// The teams whose broken promises a lead hears of: theirs, when they lead.
Result<std::vector<domain::TeamId>> LeadOfTeams(storage::Store& store,
                                                const domain::Principal& who) {
  if (!who.is_agent() || !who.is_lead_or_admin()) return std::vector<domain::TeamId>();
  SF_ASSIGN_OR_RETURN(domain::Agent agent, store.GetAgent(who.id));
  return agent.teams;
}

}  // namespace

Result<Response> Api::Stream(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kWatchLive));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"last_event_id"}));
  SF_ASSIGN_OR_RETURN(std::optional<domain::EventId> resume, ResumeFrom(c.req, c.query));
  if (live_ == nullptr) return Status::Unavailable("live updates are not running");
  SF_ASSIGN_OR_RETURN(std::vector<domain::TeamId> teams, LeadOfTeams(store_, *c.who));
  Response r;
  SF_ASSIGN_OR_RETURN(r.stream, live_->Open(*c.who, std::move(teams), resume));
  r.SetHeader("Content-Type", "text/event-stream; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Accel-Buffering", "no");  // Proxies must pass events on as they come.
  return r;
}

Result<Response> Api::GetPresence(const Call& c) {
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({}));
  SF_ASSIGN_OR_RETURN(auto s, LoadAuthorized(c, c.path.id(), Action::kShowPresence));
  if (live_ == nullptr) return JsonResponse(RenderPresence({}));
  return JsonResponse(RenderPresence(live_->PresenceOn(s.ticket.id, c.who->id)));
}

Result<Response> Api::PostPresence(const Call& c) {
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"state"}));
  SF_ASSIGN_OR_RETURN(std::string state_name, f.RequiredString("state"));
  std::optional<PresenceBoard::State> state = PresenceBoard::Parse(state_name);
  if (!state.has_value() && state_name != "left") {
    return Status::InvalidArgument("state",
                                   "'" + state_name + "' is not one of viewing, typing, left");
  }
  SF_ASSIGN_OR_RETURN(auto s, LoadAuthorized(c, c.path.id(), Action::kShowPresence));
  if (live_ == nullptr) return Status::Unavailable("live updates are not running");
  SF_ASSIGN_OR_RETURN(domain::Agent me, store_.GetAgent(c.who->id));
  live_->SetPresence(s.ticket.id, me, state);
  return JsonResponse(RenderPresence(live_->PresenceOn(s.ticket.id, me.id)));
}

Result<Response> Api::ListNotifications(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewNotifications));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"limit", "before"}));
  storage::NotificationQuery q;
  q.agent = c.who->id;
  SF_ASSIGN_OR_RETURN(q.limit, c.query.Limit(kDefaultNotifications, kMaxNotifications));
  SF_ASSIGN_OR_RETURN(q.before_id, c.query.PositiveInt("before"));
  SF_ASSIGN_OR_RETURN(q.lead_of_teams, LeadOfTeams(store_, *c.who));
  SF_ASSIGN_OR_RETURN(storage::NotificationPage page, store_.ListNotifications(q));
  json::array items;
  for (const storage::Notification& n : page.items) {
    const domain::Event& e = n.event;
    items.push_back(json::object{{"id", e.id},
                                 {"ticket_id", e.ticket_id},
                                 {"ticket_number", n.ticket_number},
                                 {"subject", n.subject},
                                 {"type", e.type},
                                 {"at", FormatIso8601(e.at)},
                                 {"actor", RenderActor(e.actor)},
                                 {"note", e.note},
                                 {"urgent", domain::IsUrgentNotification(e.type)},
                                 {"unread", e.id > page.seen_up_to}});
  }
  json::value next = nullptr;
  if (page.next_before_id.has_value()) next = *page.next_before_id;
  return JsonResponse(json::object{{"items", std::move(items)},
                                   {"next_before", next},
                                   {"unread", page.unread},
                                   {"seen_up_to", page.seen_up_to}});
}

Result<Response> Api::MarkNotificationsSeen(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewNotifications));
  SF_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(c.req.body));
  JsonFields f(body);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"up_to"}));
  SF_ASSIGN_OR_RETURN(const int64_t up_to, f.RequiredInt("up_to"));
  if (up_to <= 0) return Status::InvalidArgument("up_to", "must be a positive event id");
  SF_ASSIGN_OR_RETURN(domain::EventId latest, store_.LatestEventId());
  if (up_to > latest) {
    return Status::InvalidArgument("up_to", "no event " + std::to_string(up_to) + " yet");
  }
  SF_ASSIGN_OR_RETURN(domain::EventId seen, store_.MarkNotificationsSeen(c.who->id, up_to));
  storage::NotificationQuery q;
  q.agent = c.who->id;
  q.limit = 1;
  SF_ASSIGN_OR_RETURN(q.lead_of_teams, LeadOfTeams(store_, *c.who));
  SF_ASSIGN_OR_RETURN(storage::NotificationPage page, store_.ListNotifications(q));
  return JsonResponse(json::object{{"seen_up_to", seen}, {"unread", page.unread}});
}

}  // namespace steadfast::http
