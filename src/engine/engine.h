#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "engine/digest.h"
#include "engine/sla_clocks.h"
#include "storage/store.h"

namespace steadfast::engine {

struct EngineOptions {
  int64_t promise_reminder_lead_ms = 60 * 60 * 1000;  // Remind the owner this long before due.
  // Silence is raised when a customer has waited this long for word from us, by priority
  // (low, normal, high, urgent): before any SLA breach.
  std::array<int64_t, 4> silence_after_ms = {72 * 3600 * 1000LL, 24 * 3600 * 1000LL,
                                             4 * 3600 * 1000LL, 1 * 3600 * 1000LL};
  // Nobody owns it: a new ticket nobody took in `offer_after_ms` is offered to one agent (the
  // one who last helped the customer, else the present agent of its team with the fewest open
  // tickets, below `offer_cap` open tickets); an offer not answered in `offer_expires_ms` goes to
  // the next one.
  int64_t offer_after_ms = 15 * 60 * 1000;
  int64_t offer_expires_ms = 15 * 60 * 1000;
  int offer_cap = 25;
  // "Did it stay solved?": ask this long after a ticket is resolved solved or workaround, and
  // close it this long after asking (or after resolving with another outcome).
  int64_t followup_after_ms = 3 * 24 * 3600 * 1000LL;
  int64_t close_after_ms = 7 * 24 * 3600 * 1000LL;
  // Where the customer's answer links point: "https://help.example.com".
  std::string public_url = "http://127.0.0.1:8080";
  int64_t poll_ms = 1000;  // Between passes.
  int batch = 500;         // Items acted on per kind per pass.
  // Ticket changes written together (sharing commits); small enough that a request's write
  // queued behind them waits a few milliseconds, not the whole pass.
  int write_chunk = 32;
  // SLA clocks, warnings and breaches, and silence on business hours (sla_phase.cc). When set,
  // silence is raised by that phase on `sla->silence_after_ms`, not on `silence_after_ms`.
  std::shared_ptr<const SlaSettings> sla;
  DigestOptions digest;  // The leads' daily digest (engine/digest.h).
};

// What one pass did.
struct PassStats {
  int reminded = 0;  // Promises whose owner was reminded.
  int broken = 0;    // Promises marked broken.
  int silent = 0;    // Tickets whose customer waited too long, raised.
  int asked = 0;     // Customers asked whether it stayed solved.
  int offered = 0;   // Unowned tickets offered to an agent.
  int expired = 0;   // Offers withdrawn unanswered.
  int closed = 0;    // Resolved tickets closed.
  int sla = 0;       // Tickets with an SLA warning, breach or silence raised.
  int digests = 0;   // Leads' daily digests queued.
  int failed = 0;    // Items that could not be acted on (retried next pass).
};

// The time engine: finds due work through indexed due_at columns and acts on it through the
// domain rules, one ticket change each. Every rule is a no-op when its item is no longer due, and
// every change is checked against the ticket's version, so an item acted on twice — by a retry, or
// by two nodes sharing one database — changes the ticket once: the claim is the ticket write.
// Reads time only through `clock`. Runs on its own thread, off the request path.
class Engine {
 public:
  Engine(storage::Store& store, const Clock& clock, EngineOptions options);
  ~Engine();  // Stops.

  void Start();
  void Stop();

  // One pass over everything due at the clock's now. For tests and the thread.
  PassStats RunOnce();

 private:
  void Loop();
  // Queues an offer for each new ticket nobody owns or was offered; counts into `stats`.
  void OfferUnowned(Timestamp now, PassStats& stats,
                    const std::function<void(storage::TicketId, storage::Mutation, int*)>& queue);
  // Queues the SLA rule for each ticket whose SLA moment is due (sla_phase.cc).
  // REQUIRES: options_.sla.
  void RaiseSla(Timestamp now, PassStats& stats,
                const std::function<void(storage::TicketId, storage::Mutation, int*)>& queue);

  storage::Store& store_;
  const Clock& clock_;
  const EngineOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace steadfast::engine
