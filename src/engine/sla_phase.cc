// The engine's SLA phase: warnings, breaches and silence on business hours.
#include "common/log.h"
#include "engine/engine.h"

namespace steadfast::engine {

void Engine::RaiseSla(
    Timestamp now, PassStats& stats,
    const std::function<void(storage::TicketId, storage::Mutation, int*)>& queue) {
  auto due = store_.DueSla(now, options_.batch);
  if (!due.ok()) {
    Log(LogLevel::kWarn, "engine: cannot read due SLA moments",
        {{"error", due.status().ToString()}});
    ++stats.failed;
    return;
  }
  std::shared_ptr<const SlaSettings> settings = options_.sla;
  for (storage::TicketId id : *due) {
    queue(
        id,
        [settings, now](const domain::TicketState& s) { return RaiseDueSla(*settings, s, now); },
        &stats.sla);
  }
}

}  // namespace steadfast::engine
