#pragma once

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace steadfast::app {

// Fills a new store with a small, realistic help desk: two teams, three agents (who log in with
// `password_hash`), customers at two companies and tickets in every state — nobody owns some,
// one has a pending handoff, others are resolved with each kind of outcome.
[[nodiscard]] Status SeedDemo(storage::Store& store, const Clock& clock,
                              const std::string& password_hash);

}  // namespace steadfast::app
