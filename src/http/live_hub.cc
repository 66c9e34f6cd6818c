#include "http/live_hub.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <utility>

#include "common/log.h"
#include "common/time.h"
#include "domain/notifications.h"
#include "domain/permissions.h"
#include "http/render.h"

namespace steadfast::http {

namespace json = boost::json;

namespace {

constexpr std::string_view kHeartbeat = ": keep-alive\n\n";
// Tells EventSource how long to wait before reconnecting.
constexpr std::string_view kGreeting = "retry: 3000\n\n";

std::string Frame(std::optional<domain::EventId> id, std::string_view event,
                  const json::value& data) {
  std::string out;
  if (id.has_value()) {
    out += "id: ";
    out += std::to_string(*id);
    out += '\n';
  }
  out += "event: ";
  out += event;
  out += "\ndata: ";
  out += json::serialize(data);
  out += "\n\n";
  return out;
}

std::string ResetFrame(domain::EventId id) { return Frame(id, "reset", json::object{}); }

}  // namespace

LiveHub::LiveHub(storage::Store& store, const Clock& clock, LiveOptions options)
    : store_(store), clock_(clock), options_(options), presence_(clock, options.presence_ttl_ms) {}

LiveHub::~LiveHub() { Stop(); }

Status LiveHub::Init() {
  SF_ASSIGN_OR_RETURN(domain::EventId latest, store_.LatestEventId());
  std::lock_guard<std::mutex> lock(mu_);
  cursor_ = latest;
  return Status::Ok();
}

Status LiveHub::Start() {
  SF_RETURN_IF_ERROR(Init());
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void LiveHub::Stop() {
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    subscribers.swap(subscribers_);
  }
  wake_cv_.notify_all();
  for (Subscriber& s : subscribers) {
    s.stream->End();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void LiveHub::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  wake_cv_.notify_one();
}

void LiveHub::Run() {
  for (;;) {
    const Status s = PollOnce();
    if (!s.ok()) {
      Log(LogLevel::kWarn, "live updates could not read the event log", {{"error", s.ToString()}});
    }
    std::unique_lock<std::mutex> lock(mu_);
    wake_cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                      [this] { return stopped_ || wake_; });
    if (stopped_) {
      return;
    }
    wake_ = false;
  }
}

Result<std::shared_ptr<BodyStream>> LiveHub::Open(const domain::Principal& who,
                                                  std::vector<domain::TeamId> lead_of_teams,
                                                  std::optional<domain::EventId> last_event_id) {
  const Timestamp now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    return Status::Unavailable("the server is stopping");
  }
  const auto open = std::count_if(subscribers_.begin(), subscribers_.end(), [&](const auto& s) {
    return s.who.kind == who.kind && s.who.id == who.id && !s.stream->done();
  });
  if (open >= options_.max_streams_per_principal) {
    return Status::RateLimited("you already have " + std::to_string(open) +
                               " live streams open; close one first");
  }
  Subscriber sub{std::make_shared<QueuedStream>(options_.max_queued_bytes), who,
                 std::move(lead_of_teams), now};
  (void)sub.stream->Push(kGreeting);
  if (last_event_id.has_value() && *last_event_id != cursor_) {
    // Replayed under the lock, so that nothing fanned out meanwhile comes before it.
    std::vector<storage::FeedEvent> missed;
    if (*last_event_id < cursor_) {
      SF_ASSIGN_OR_RETURN(missed, store_.EventsAfter(*last_event_id, options_.max_replay + 1));
      std::erase_if(missed, [this](const auto& f) { return f.event.id > cursor_; });
    }
    if (*last_event_id > cursor_ || static_cast<int>(missed.size()) > options_.max_replay) {
      Send(sub, ResetFrame(cursor_), now);
    } else {
      for (const storage::FeedEvent& f : missed) {
        SendEvent(sub, f, FramesOf(f), now);
      }
    }
  }
  std::shared_ptr<BodyStream> stream = sub.stream;
  subscribers_.push_back(std::move(sub));
  return stream;
}

LiveHub::Frames LiveHub::FramesOf(const storage::FeedEvent& f) {
  const domain::Event& e = f.event;
  const json::string at(FormatIso8601(e.at));
  Frames out;
  out.ticket = Frame(e.id, "ticket",
                     json::object{{"ticket_id", e.ticket_id},
                                  {"type", e.type},
                                  {"at", at},
                                  {"actor", RenderActor(e.actor)}});
  if (f.concerns_agent_id.has_value() || domain::ConcernsTeamLeads(e.type)) {
    out.notification = Frame(e.id, "notification",
                             json::object{{"id", e.id},
                                          {"ticket_id", e.ticket_id},
                                          {"type", e.type},
                                          {"at", at},
                                          {"urgent", domain::IsUrgentNotification(e.type)}});
  }
  return out;
}

void LiveHub::SendEvent(Subscriber& s, const storage::FeedEvent& f, const Frames& frames,
                        Timestamp now) {
  const domain::Event& e = f.event;
  domain::Ticket ticket;
  ticket.id = e.ticket_id;
  ticket.customer_id = f.customer_id;
  ticket.company_id = f.company_id;
  if (!domain::CanSee(s.who, ticket) || !domain::CanSeeEvent(s.who, e.type)) {
    return;
  }
  if (!s.who.is_agent() || frames.notification.empty()) {
    Send(s, frames.ticket, now);
    return;
  }
  const bool concerns = f.concerns_agent_id == s.who.id;
  const bool as_lead = !concerns && domain::ConcernsTeamLeads(e.type) && f.team_id.has_value() &&
                       std::find(s.lead_of_teams.begin(), s.lead_of_teams.end(), *f.team_id) !=
                           s.lead_of_teams.end();
  Send(s, concerns || as_lead ? frames.ticket + frames.notification : frames.ticket, now);
}

void LiveHub::Send(Subscriber& s, const std::string& frame, Timestamp now) {
  if (!s.stream->Push(frame)) {
    s.stream->End();  // Too far behind: it reconnects and resumes from its last id.
  }
  s.last_write = now;
}

Status LiveHub::PollOnce() {
  std::lock_guard<std::mutex> poll_lock(poll_mu_);
  domain::EventId from;
  {
    std::lock_guard<std::mutex> lock(mu_);
    from = cursor_;
  }
  for (;;) {
    SF_ASSIGN_OR_RETURN(std::vector<storage::FeedEvent> events,
                        store_.EventsAfter(from, options_.batch));
    const Timestamp now = clock_.Now();
    std::lock_guard<std::mutex> lock(mu_);
    for (const storage::FeedEvent& f : events) {
      const Frames frames = FramesOf(f);  // Written once, sent to many.
      for (Subscriber& s : subscribers_) {
        SendEvent(s, f, frames, now);
      }
      cursor_ = f.event.id;
    }
    from = cursor_;
    if (static_cast<int>(events.size()) < options_.batch) {
      break;
    }
  }
  for (const PresenceBoard::Entry& gone : presence_.Expire()) {
    PublishPresence(gone, /*left=*/true);
  }
  const Timestamp now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(subscribers_, [](const Subscriber& s) { return s.stream->done(); });
  for (Subscriber& s : subscribers_) {
    if (now.millis - s.last_write.millis >= options_.heartbeat_ms) {
      Send(s, std::string(kHeartbeat), now);
    }
  }
  return Status::Ok();
}

void LiveHub::SetPresence(domain::TicketId ticket, const domain::Agent& agent,
                          std::optional<PresenceBoard::State> state) {
  if (presence_.Set(ticket, agent.id, agent.name, state)) {
    PresenceBoard::Entry entry{ticket, agent.id, agent.name,
                               state.value_or(PresenceBoard::State::kViewing), Timestamp{}};
    PublishPresence(entry, !state.has_value());
  }
}

std::vector<PresenceBoard::Entry> LiveHub::PresenceOn(domain::TicketId ticket,
                                                      domain::AgentId except) const {
  return presence_.On(ticket, except);
}

void LiveHub::PublishPresence(const PresenceBoard::Entry& entry, bool left) {
  const std::string frame = Frame(
      std::nullopt, "presence",
      json::object{{"ticket_id", entry.ticket_id},
                   {"agent", json::object{{"id", entry.agent_id}, {"name", entry.name}}},
                   {"state", left ? std::string_view("left") : PresenceBoard::Name(entry.state)}});
  const Timestamp now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  for (Subscriber& s : subscribers_) {
    if (s.who.is_agent() && s.who.id != entry.agent_id) {
      Send(s, frame, now);
    }
  }
}

size_t LiveHub::stream_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<size_t>(std::count_if(subscribers_.begin(), subscribers_.end(),
                                           [](const Subscriber& s) { return !s.stream->done(); }));
}

}  // namespace steadfast::http
