#pragma once

#include <toml++/toml.h>

#include "common/result.h"
#include "engine/sla_clocks.h"

namespace steadfast::app {

// The SLA tables of the config file (docs/business-hours.md), read into `settings`:
//   [business_hours]  time_zone = "Europe/Lisbon", hours = "mon-fri 09:00-17:30",
//                     holidays = "2026-12-25, 2026-12-26" (or an array of such strings)
//   [sla]             warning_minutes = 30 | warning_percent = 80 (one of them; default 80 %)
//   [[sla_policy]]    name, tags = ["vip"], team_id = 2, and targets first_reply, next_reply,
//                     resolution: a duration for every priority ("4h", "90m", "1h30m", or an
//                     integer of minutes) or a table per priority { urgent = "1h", normal = "8h" }.
// Policies apply in order, first match wins; one without tags or team matches every ticket and
// must come last. Silence thresholds are not set here (see Config::silence_minutes_*).
// `node` is the value of `key` in the file's root table. InvalidArgument naming the key
// ("business_hours.hours", "sla_policy[1].first_reply.urgent") for anything malformed or unknown.
[[nodiscard]] Status ParseSlaTable(std::string_view key, const toml::node& node,
                                   engine::SlaSettings* settings);

// Whether `key` of the root table is one ParseSlaTable reads.
bool IsSlaTable(std::string_view key);

}  // namespace steadfast::app
