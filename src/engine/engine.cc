#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "common/log.h"
#include "domain/follow_through.h"
#include "engine/followup_links.h"

namespace steadfast::engine {

Engine::Engine(storage::Store& store, const Clock& clock, EngineOptions options)
    : store_(store), clock_(clock), options_(options) {}

Engine::~Engine() { Stop(); }

void Engine::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void Engine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Engine::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const PassStats stats = RunOnce();
    if (stats.reminded + stats.broken + stats.silent + stats.asked + stats.closed + stats.offered +
            stats.expired + stats.sla + stats.failed >
        0) {
      Log(LogLevel::kInfo, "engine pass",
          {{"reminded", std::to_string(stats.reminded)},
           {"broken", std::to_string(stats.broken)},
           {"silent", std::to_string(stats.silent)},
           {"asked", std::to_string(stats.asked)},
           {"closed", std::to_string(stats.closed)},
           {"offered", std::to_string(stats.offered)},
           {"expired", std::to_string(stats.expired)},
           {"sla", std::to_string(stats.sla)},
           {"failed", std::to_string(stats.failed)}});
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return stopping_; });
  }
}

PassStats Engine::RunOnce() {
  PassStats stats;
  const Timestamp now = clock_.Now();
  // The ticket changes of one phase, written together (they share commits, so a pass costs a
  // few fsyncs, not one per item) and counted in their `done` when they changed something.
  std::vector<std::pair<storage::TicketId, storage::Mutation>> batch;
  std::vector<int*> counters;
  const auto queue = [&](storage::TicketId id, storage::Mutation rule, int* done) {
    batch.emplace_back(id, std::move(rule));
    counters.push_back(done);
  };
  const auto flush = [&]() {
    const size_t chunk = static_cast<size_t>(std::max(1, options_.write_chunk));
    for (size_t from = 0; from < batch.size(); from += chunk) {
      const size_t to = std::min(batch.size(), from + chunk);
      const std::vector<std::pair<storage::TicketId, storage::Mutation>> part(
          batch.begin() + static_cast<std::ptrdiff_t>(from),
          batch.begin() + static_cast<std::ptrdiff_t>(to));
      const std::vector<Result<storage::TicketWrite>> results = store_.ModifyTickets(part);
      for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].ok()) {
          if (!results[i]->events.empty()) ++*counters[from + i];
        } else if (results[i].status().code() != StatusCode::kConflict) {
          // A conflict: someone else changed the ticket first; the next pass sees the result.
          Log(LogLevel::kWarn, "engine: ticket not updated",
              {{"ticket", std::to_string(part[i].first)},
               {"error", results[i].status().ToString()}});
          ++stats.failed;
        }
      }
    }
    batch.clear();
    counters.clear();
  };
  // Due work that could not be read is retried next pass.
  const auto readable = [&](const Status& s) {
    if (s.ok()) return true;
    Log(LogLevel::kWarn, "engine: cannot read due work", {{"error", s.ToString()}});
    ++stats.failed;
    return false;
  };

  // Promises: broken first, so one already past due gets the prompt to write, not a reminder.
  const auto promises = [&](Timestamp due_before, bool unreminded_only, auto rule, int* done) {
    auto due = store_.DuePromises(due_before, unreminded_only, options_.batch);
    if (!readable(due.status())) return;
    for (const storage::DuePromise& d : *due) {
      queue(
          d.ticket_id,
          [rule, id = d.id, now](const domain::TicketState& s) { return rule(s, id, now); }, done);
    }
    flush();
  };
  promises(now, false, domain::BreakPromise, &stats.broken);
  promises(Timestamp{now.millis + options_.promise_reminder_lead_ms}, true, domain::RemindPromise,
           &stats.reminded);

  // SLA warnings and breaches, and silence on business hours; without SLA settings, silence on
  // wall-clock time, most urgent first.
  if (options_.sla != nullptr) RaiseSla(now, stats, queue);
  for (domain::Priority priority : {domain::Priority::kUrgent, domain::Priority::kHigh,
                                    domain::Priority::kNormal, domain::Priority::kLow}) {
    if (options_.sla != nullptr) break;
    const int64_t after = options_.silence_after_ms[static_cast<size_t>(priority)];
    auto silent = store_.SilentTickets(priority, Timestamp{now.millis - after}, options_.batch);
    if (!readable(silent.status())) continue;
    for (storage::TicketId id : *silent) {
      queue(
          id, [now](const domain::TicketState& s) { return domain::RaiseSilence(s, now); },
          &stats.silent);
    }
  }
  flush();

  // Nobody owns it: withdraw offers nobody answered, then offer what nobody owns (again).
  const Timestamp offered_before{now.millis - options_.offer_expires_ms};
  auto expired = store_.ExpiredOffers(offered_before, options_.batch);
  if (readable(expired.status())) {
    for (storage::TicketId id : *expired) {
      queue(
          id,
          [offered_before, now](const domain::TicketState& s) {
            return domain::ExpireOffer(s, offered_before, now);
          },
          &stats.expired);
    }
    flush();
  }
  OfferUnowned(now, stats, queue);
  flush();

  // Did it stay solved? Ask, then close the unanswered and the told.
  auto followups =
      store_.DueFollowUps(Timestamp{now.millis - options_.followup_after_ms},
                          Timestamp{now.millis - options_.close_after_ms}, options_.batch);
  if (readable(followups.status())) {
    auto key = store_.Secret("followup_links");
    if (readable(key.status())) {
      for (storage::TicketId id : followups->ask) {
        // The address is read here, not inside the write (a unit the writer may run twice).
        auto ticket = store_.GetTicket(id);
        if (!readable(ticket.status())) continue;
        auto customer = store_.GetCustomer(ticket->ticket.customer_id);
        if (!readable(customer.status())) continue;
        // Without an address nobody can be asked: the ticket still closes in time.
        const std::string to = customer->emails.empty() ? "" : customer->emails.front();
        const std::string link =
            options_.public_url + "/api/v1/followup?token=" + MakeFollowUpToken(*key, id, now);
        queue(
            id,
            [to, link, now](const domain::TicketState& s) {
              return domain::AskFollowUp(s, to, link + "&answer=yes", link + "&answer=no", now);
            },
            &stats.asked);
      }
    }
    for (storage::TicketId id : followups->close) {
      queue(
          id, [now](const domain::TicketState& s) { return domain::CloseResolved(s, now); },
          &stats.closed);
    }
    flush();
  }
  stats.digests = QueueDueDigests(store_, options_.digest, now, &stats.failed);
  return stats;
}

void Engine::OfferUnowned(
    Timestamp now, PassStats& stats,
    const std::function<void(storage::TicketId, storage::Mutation, int*)>& queue) {
  auto unowned =
      store_.UnownedTickets(Timestamp{now.millis - options_.offer_after_ms}, options_.batch);
  if (!unowned.ok()) {
    ++stats.failed;
    return;
  }
  if (unowned->empty()) return;
  auto availability = store_.Availability(now);
  auto agents = store_.ListAgents();
  if (!availability.ok() || !agents.ok()) {
    ++stats.failed;
    return;
  }
  if (availability->present.empty()) return;  // Nobody to offer to: the queue's alarm stays on.
  std::map<domain::AgentId, int64_t>& load = availability->open_tickets;
  for (const storage::Store::UnownedTicket& t : *unowned) {
    auto offered = store_.OfferedTo(t.id);
    auto helper = store_.LastHelper(t.customer_id);
    if (!offered.ok() || !helper.ok()) {
      ++stats.failed;
      continue;
    }
    const auto eligible = [&](const domain::Agent& a) {
      return a.active && availability->present.count(a.id) > 0 && load[a.id] < options_.offer_cap &&
             offered->count(a.id) == 0;
    };
    const domain::Agent* pick = nullptr;
    std::string why;
    // Continuity first: the agent who last helped this customer.
    if (helper->has_value()) {
      for (const domain::Agent& a : *agents) {
        if (a.id == **helper && eligible(a)) {
          pick = &a;
          why = "You helped this customer last, and nobody has taken this ticket.";
        }
      }
    }
    // Else the present agent of the ticket's team (or anyone, without a team) with the fewest
    // open tickets.
    if (pick == nullptr) {
      for (const domain::Agent& a : *agents) {
        const bool in_team = !t.team_id.has_value() ||
                             std::find(a.teams.begin(), a.teams.end(), *t.team_id) != a.teams.end();
        if (in_team && eligible(a) && (pick == nullptr || load[a.id] < load[pick->id])) pick = &a;
      }
      why = "Nobody has taken this ticket; you have the fewest open tickets among those signed in.";
    }
    if (pick == nullptr) continue;  // Nobody available: the queue's alarm stays on.
    const domain::AgentId to = pick->id;
    queue(
        t.id,
        [to, why, now](const domain::TicketState& s) {
          return domain::OfferTicket(s, to, why, now);
        },
        &stats.offered);
    ++load[to];  // Spread a burst of new tickets across the team.
  }
}

}  // namespace steadfast::engine
