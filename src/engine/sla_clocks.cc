#include "engine/sla_clocks.h"

#include <algorithm>
#include <utility>

#include "common/check.h"
#include "domain/follow_through.h"

namespace steadfast::engine {

using domain::SlaClock;
using domain::SlaKind;
using domain::SlaState;
using domain::Ticket;
using domain::TicketStatus;
using std::chrono::milliseconds;

BusinessCalendar SlaSettings::AllDayCalendar() {
  auto hours = ParseWeeklyHours("24/7");
  SF_CHECK(hours.ok());
  auto calendar = BusinessCalendar::Create(TimeZone::Utc(), *hours, {});
  SF_CHECK(calendar.ok());
  return std::move(*calendar);
}

const SlaRule* MatchSlaPolicy(const SlaSettings& settings, const Ticket& t) {
  for (const SlaRule& rule : settings.policies) {
    if (rule.team.has_value() && t.team_id != rule.team) continue;
    if (!rule.tags.empty() &&
        std::none_of(rule.tags.begin(), rule.tags.end(), [&](const auto& tag) {
          return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end();
        })) {
      continue;
    }
    return &rule;
  }
  return nullptr;
}

namespace {

// Business time before a breach at which the warning comes, for a clock of `target`.
milliseconds WarningLead(const SlaWarning& w, milliseconds target) {
  const milliseconds lead = w.lead_ms.has_value() ? milliseconds(*w.lead_ms)
                                                  : target * (100 - w.percent.value_or(100)) / 100;
  return std::clamp(lead, milliseconds(0), target);
}

const SlaClock* FindClock(const SlaState& s, SlaKind kind) {
  for (const SlaClock& c : s.clocks) {
    if (c.kind == kind) return &c;
  }
  return nullptr;
}

bool Running(TicketStatus status) {
  return status == TicketStatus::kNew || status == TicketStatus::kOpen;
}

// Sets the facts the clocks are computed from, at `now`.
void UpdateFacts(const SlaSettings& settings, Ticket& t, bool replied, Timestamp now) {
  SlaState& s = t.sla;
  if (!s.computed) {
    s.computed = true;
    if (Running(t.status)) {
      s.running_since = t.created_at;
    } else {
      s.used_ms = settings.calendar.BusinessTimeBetween(t.created_at, t.updated_at);
    }
    if (t.status != TicketStatus::kNew) s.first_replied_at = t.updated_at;
    s.next_reply_since = t.waiting_since;
  }
  if (replied && !s.first_replied_at.has_value()) s.first_replied_at = now;
  if (Running(t.status) && !s.running_since.has_value()) {
    s.running_since = now;
  } else if (!Running(t.status) && s.running_since.has_value()) {
    s.used_ms += settings.calendar.BusinessTimeBetween(*s.running_since, now);
    s.running_since.reset();
  }
  if (s.next_reply_since != t.waiting_since) {
    // A new wait (or none): the next-reply clock starts over, with fresh markers.
    s.next_reply_since = t.waiting_since;
    std::erase_if(s.clocks, [](const SlaClock& c) { return c.kind == SlaKind::kNextReply; });
  }
}

// A clock of `kind` and `target`, keeping the markers it already had.
SlaClock MakeClock(const SlaState& before, SlaKind kind) {
  SlaClock c;
  c.kind = kind;
  if (const SlaClock* old = FindClock(before, kind)) {
    c.warned = old->warned;
    c.breached = old->breached;
  }
  return c;
}

}  // namespace

void UpdateSla(const SlaSettings& settings, Ticket& t, bool replied, Timestamp now) {
  const bool first_time = !t.sla.computed;
  UpdateFacts(settings, t, replied, now);
  SlaState& s = t.sla;
  const BusinessCalendar& cal = settings.calendar;
  const SlaRule* rule = MatchSlaPolicy(settings, t);
  s.policy = rule != nullptr ? rule->policy.name : "";
  const SlaTargets targets = rule != nullptr ? rule->policy.For(t.priority) : SlaTargets{};
  const bool live = t.status != TicketStatus::kResolved && t.status != TicketStatus::kClosed;
  const milliseconds used(s.used_ms);

  std::vector<SlaClock> clocks;
  // The first-reply and resolution clocks: running from running_since after `used`, or paused.
  const auto cumulative = [&](SlaKind kind, milliseconds target) {
    SlaClock c = MakeClock(s, kind);
    if (s.running_since.has_value()) {
      c.due_at = SlaDueAt(cal, *s.running_since, used, target);
      c.warn_at =
          SlaDueAt(cal, *s.running_since, used, target - WarningLead(settings.warning, target));
      c.remaining_ms = (target - used).count() - cal.BusinessTimeBetween(*s.running_since, now);
    } else {
      c.remaining_ms = (target - used).count();
    }
    clocks.push_back(c);
  };
  if (live && targets.first_reply && !s.first_replied_at.has_value()) {
    cumulative(SlaKind::kFirstReply, *targets.first_reply);
  }
  if (live && targets.next_reply && s.first_replied_at.has_value() && t.waiting_since.has_value() &&
      Running(t.status)) {
    const milliseconds target = *targets.next_reply;
    SlaClock c = MakeClock(s, SlaKind::kNextReply);
    c.due_at = cal.AddBusinessTime(*t.waiting_since, target.count());
    c.warn_at = cal.AddBusinessTime(*t.waiting_since,
                                    (target - WarningLead(settings.warning, target)).count());
    c.remaining_ms = target.count() - cal.BusinessTimeBetween(*t.waiting_since, now);
    clocks.push_back(c);
  }
  // Kept (paused) while resolved, so a reopened ticket goes on with its time and its markers.
  if (t.status != TicketStatus::kClosed && targets.resolution) {
    cumulative(SlaKind::kResolution, *targets.resolution);
  }
  if (first_time) {
    // A ticket from before SLAs is not judged after the fact: what had already passed is taken
    // as raised, without events.
    for (SlaClock& c : clocks) {
      if (c.warn_at && *c.warn_at <= now) c.warned = true;
      if (c.due_at && *c.due_at <= now) c.breached = true;
    }
  }
  s.clocks = std::move(clocks);

  // Silence, measured in business time, and never after the breach of the reply the customer
  // waits for.
  s.silence_at.reset();
  if (t.waiting_since.has_value() && !t.silence_raised_at.has_value() && Running(t.status)) {
    Timestamp at = cal.AddBusinessTime(*t.waiting_since,
                                       settings.silence_after_ms[static_cast<size_t>(t.priority)]);
    for (const SlaClock& c : s.clocks) {
      if (c.kind == SlaKind::kResolution || !c.due_at.has_value()) continue;
      if (at >= *c.due_at) at = std::min(*c.warn_at, *c.due_at);
    }
    s.silence_at = at;
  }

  s.next_at.reset();
  const auto consider = [&](Timestamp at) {
    if (!s.next_at.has_value() || at < *s.next_at) s.next_at = at;
  };
  for (const SlaClock& c : s.clocks) {
    if (!c.due_at.has_value() || c.breached) continue;
    consider(c.warned ? *c.due_at : *c.warn_at);
  }
  if (s.silence_at.has_value()) consider(*s.silence_at);
}

storage::TicketFinisher MakeSlaFinisher(std::shared_ptr<const SlaSettings> settings) {
  SF_CHECK(settings != nullptr);
  return [settings](domain::Change& c, Timestamp now) {
    const bool replied = std::any_of(
        c.messages.begin(), c.messages.end(),
        [](const domain::NewMessage& m) { return m.kind == domain::MessageKind::kReply; });
    UpdateSla(*settings, c.after, replied, now);
  };
}

Result<domain::Change> RaiseDueSla(const SlaSettings& settings, const domain::TicketState& s,
                                   Timestamp now) {
  domain::Change c = domain::BeginChange(s, now);
  UpdateSla(settings, c.after, false, now);
  const SlaState& sla = c.after.sla;
  if (sla.silence_at.has_value() && *sla.silence_at <= now) {
    SF_ASSIGN_OR_RETURN(c, domain::RaiseSilence(s, now));
    UpdateSla(settings, c.after, false, now);
  }
  for (SlaClock& clock : c.after.sla.clocks) {
    if (!clock.due_at.has_value() || clock.breached) continue;
    const bool breached = *clock.due_at <= now;
    if (!breached && (clock.warned || *clock.warn_at > now)) continue;
    domain::Event e;
    e.ticket_id = s.ticket.id;
    e.type = breached ? "sla_breached" : "sla_warning";
    e.at = now;
    e.changes = {{"kind", "", std::string(domain::Name(clock.kind))},
                 {"due_at", "", FormatIso8601(*clock.due_at)},
                 {"policy", "", c.after.sla.policy}};
    const std::string what = clock.kind == SlaKind::kFirstReply  ? "First reply"
                             : clock.kind == SlaKind::kNextReply ? "Next reply"
                                                                 : "Resolution";
    e.note = what + (breached ? " was due " : " is due ") + FormatIso8601(*clock.due_at) +
             " (policy " + c.after.sla.policy + ", business hours)" +
             (breached ? ": the target was missed." : ".");
    c.events.push_back(std::move(e));
    clock.warned = true;
    clock.breached = breached;
  }
  UpdateSla(settings, c.after, false, now);
  return c;
}

}  // namespace steadfast::engine
