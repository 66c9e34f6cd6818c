#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "domain/principal.h"
#include "http/message.h"
#include "http/presence.h"
#include "http/queued_stream.h"
#include "storage/store.h"

namespace steadfast::http {

struct LiveOptions {
  int poll_interval_ms = 250;     // How often the log is read when nothing wakes the hub.
  int64_t heartbeat_ms = 15'000;  // A comment on every quiet stream this often.
  int max_replay = 1000;          // Events replayed on resume; further behind gets "reset".
  int max_streams_per_principal = 8;
  size_t max_queued_bytes = 512 * 1024;  // A client further behind is disconnected (it resumes).
  int batch = 500;                       // Events read from the log per query.
  int64_t presence_ttl_ms = 30'000;      // A presence not renewed within this is gone.
};

// Live updates: one thread tails the ticket event log (by its increasing id) and fans each new
// event out to the open streams (server-sent events) of the principals who may see it, with the
// notifications it carries and the presence of agents on tickets. Streams wait on the server's
// network threads, not on a worker. Thread-safe.
//
// On a stream: `id: <event id>` + `event: ticket` + data {ticket_id, type, at, actor} for each
// event (customers: only on tickets they may see, only types domain::CanSeeEvent allows);
// `event: notification` to the agent an event concerns (and leads, for their teams' broken
// promises); `event: presence` (agents only); `event: reset` when a resume is too far behind
// (the client reloads what it shows); a comment line as heartbeat.
class LiveHub {
 public:
  LiveHub(storage::Store& store, const Clock& clock, LiveOptions options = {});
  ~LiveHub();  // Stops.
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  // Learns where the log ends (streams start after it). Start calls it; tests that drive
  // PollOnce themselves call it instead.
  [[nodiscard]] Status Init();
  // Init, then the tailing thread. Call once.
  [[nodiscard]] Status Start();
  // Ends every open stream and joins the thread. Idempotent.
  void Stop();
  // Reads the log now instead of at the next interval (after a local commit). Cheap; any thread.
  void Wake();

  // Opens a stream for `who`, who leads `lead_of_teams` (for notifications). With
  // `last_event_id` it first replays what came after it (or says "reset" when that is more than
  // max_replay events, or not in the log). RateLimited when `who` has max_streams_per_principal
  // streams open; Unavailable after Stop.
  Result<std::shared_ptr<BodyStream>> Open(const domain::Principal& who,
                                           std::vector<domain::TeamId> lead_of_teams,
                                           std::optional<domain::EventId> last_event_id);

  // Records an agent's presence on a ticket (nullopt: they left) and tells the other agents'
  // streams when it changed.
  void SetPresence(domain::TicketId ticket, const domain::Agent& agent,
                   std::optional<PresenceBoard::State> state);
  // Who else is on `ticket` now.
  std::vector<PresenceBoard::Entry> PresenceOn(domain::TicketId ticket,
                                               domain::AgentId except) const;

  // One pass: new events fanned out, expired presence announced, heartbeats, finished streams
  // dropped. For tests and the thread; one caller at a time.
  [[nodiscard]] Status PollOnce();

  // Open streams (finished ones are dropped at the next pass).
  size_t stream_count() const;

 private:
  struct Subscriber {
    std::shared_ptr<QueuedStream> stream;
    domain::Principal who;
    std::vector<domain::TeamId> lead_of_teams;
    Timestamp last_write;
  };

  // What an event sends: the ticket frame, and the notification frame when it may concern
  // someone (empty otherwise).
  struct Frames {
    std::string ticket;
    std::string notification;
  };
  static Frames FramesOf(const storage::FeedEvent& f);

  // Sends `frame` to `s`; a client too far behind is disconnected. REQUIRES: mu_ held.
  void Send(Subscriber& s, const std::string& frame, Timestamp now);
  // Sends what of event `f` (as `frames`) `s` may see: nothing, the ticket frame, or it and the
  // notification. REQUIRES: mu_ held.
  void SendEvent(Subscriber& s, const storage::FeedEvent& f, const Frames& frames, Timestamp now);
  void PublishPresence(const PresenceBoard::Entry& entry, bool left);
  void Run();

  storage::Store& store_;
  const Clock& clock_;
  const LiveOptions options_;
  PresenceBoard presence_;

  mutable std::mutex mu_;
  domain::EventId cursor_ = 0;           // Guarded by mu_. Every event up to here was fanned out.
  std::vector<Subscriber> subscribers_;  // Guarded by mu_.
  bool stopped_ = false;                 // Guarded by mu_.
  bool wake_ = false;                    // Guarded by mu_.
  std::condition_variable wake_cv_;
  std::thread thread_;
  std::mutex poll_mu_;  // Serializes PollOnce.
};

}  // namespace steadfast::http
