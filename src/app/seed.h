#pragma once

#include <cstdint>
#include <functional>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace steadfast::app {

struct SeedOptions {
  int64_t tickets = 1000;
  uint64_t seed = 42;  // Same seed, same dataset.
  int batch = 2000;    // Tickets per transaction.
  int agents = 60;
  int teams = 6;
  // Called after each batch with the number of tickets written so far.
  std::function<void(int64_t)> progress;
};

// Builds a realistic dataset through the store's bulk path: agents in teams, customers with
// repeat tickets (a few customers write often, most rarely), 1–8 messages per ticket with varied
// vocabulary (common support words and rare product codes), owners, tags, every status,
// honest outcomes on resolved and closed tickets, timestamps over the two years before now.
// Agents are agent1@seed.example ... (no password: use `steadfast token create`).
[[nodiscard]] Status SeedDataset(storage::Store& store, const Clock& clock,
                                 const SeedOptions& options);

}  // namespace steadfast::app
