#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/ticket_rules.h"
#include "engine/business_calendar.h"
#include "engine/sla.h"
#include "storage/store.h"

namespace steadfast::engine {

// A policy and the tickets it is for: those with any of `tags` (none listed: any tags) and in
// `team` (unset: any team). Policies are tried in order; the first that matches applies.
struct SlaRule {
  SlaPolicy policy;
  std::vector<std::string> tags;  // Normalized (lower case).
  std::optional<domain::TeamId> team;
};

// When the warning comes before a breach: `lead_ms` of business time before it, or when
// `percent` of the target is used. Exactly one is set (lead_ms ≥ 0, 1 ≤ percent ≤ 100).
struct SlaWarning {
  std::optional<int64_t> lead_ms;
  std::optional<int> percent;
};

// Everything the SLA clocks are measured with. Immutable once built; shared by the store's
// finisher, the engine and the API, so safe from any thread.
struct SlaSettings {
  BusinessCalendar calendar = AllDayCalendar();
  std::vector<SlaRule> policies;
  SlaWarning warning{std::nullopt, 80};
  // Silence thresholds by priority (low, normal, high, urgent), in business time.
  std::array<int64_t, 4> silence_after_ms = {72 * 3600 * 1000LL, 24 * 3600 * 1000LL,
                                             4 * 3600 * 1000LL, 1 * 3600 * 1000LL};

  // 24/7 in UTC: business time is wall-clock time.
  static BusinessCalendar AllDayCalendar();
};

// The policy for `t`: the first in `settings` that matches, or null.
const SlaRule* MatchSlaPolicy(const SlaSettings& settings, const domain::Ticket& t);

// Brings t.sla up to date for the ticket as it is at `now`, after a change (`replied`: the change
// added an agent reply). The rules (docs/business-hours.md):
// - first reply: from opening to our first reply; resolution: from opening to resolved. Both run
//   while the ticket is new or open; pending pauses them, keeping the business time used
//   (SlaDueAt). Our first reply meets the first; resolving pauses the resolution clock, so a
//   reopened ticket goes on with the time used and its markers; closing ends it.
// - next reply: from the customer's message we owe an answer to (t.waiting_since) to our reply,
//   once we have replied at least once; pending and our reply stop it, the next customer message
//   starts a new one with fresh warning and breach markers.
// - silence (new or open, the customer waiting, not raised yet): the threshold of its priority
//   in business time after waiting_since; when that would be at or after the breach of the reply
//   clock the customer waits on, at that clock's warning instead.
// - next_at: the earliest warning, breach or silence not raised yet.
// Tickets computed for the first time (written before SLAs, or imported): the clocks run from
// opening, time spent pending earlier is not known (it counts), a ticket past `new` counts as
// answered, and warnings and breaches already past are taken as raised (no events after the fact).
// Pure; safe from any thread.
void UpdateSla(const SlaSettings& settings, domain::Ticket& t, bool replied, Timestamp now);

// The store's finisher (storage::TicketFinisher): UpdateSla on every change.
storage::TicketFinisher MakeSlaFinisher(std::shared_ptr<const SlaSettings> settings);

// The engine's rule for a ticket whose SLA moment came: raises silence when due (domain's
// RaiseSilence), records "sla_warning" / "sla_breached" events (changes: kind, due_at) for clocks
// whose warning or breach passed, once each (a breach found past its warning records only the
// breach), and recomputes the clocks. A Change without events when nothing was due (the store
// then writes only changed bookkeeping), so acting on a ticket twice records nothing twice.
[[nodiscard]] Result<domain::Change> RaiseDueSla(const SlaSettings& settings,
                                                 const domain::TicketState& s, Timestamp now);

}  // namespace steadfast::engine
