#include "engine/digest.h"

#include <algorithm>

#include "common/log.h"

namespace steadfast::engine {

namespace {

constexpr int64_t kDayMillis = 24 * 3600 * 1000LL;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void AppendSection(std::string& out, std::string_view title, const std::vector<DigestLine>& lines) {
  out += std::string(title) + " (" + std::to_string(lines.size()) + ")\n";
  if (lines.empty()) out += "  none\n";
  for (const DigestLine& l : lines) {
    out += "- #" + std::to_string(l.event.number) + " " + l.event.subject +
           " (owner: " + (l.owner_name.empty() ? std::string("nobody") : l.owner_name) + ")";
    if (!l.event.note.empty()) out += " promised: \"" + l.event.note + "\"";
    out += "\n  " + l.url + "\n";
  }
  out += "\n";
}

}  // namespace

LocalDate LocalDateAt(const TimeZone& zone, Timestamp t) {
  return CivilFromDays(FloorDiv(zone.ToLocal(t), kDayMillis));
}

int LocalHourAt(const TimeZone& zone, Timestamp t) {
  const int64_t local = zone.ToLocal(t);
  return static_cast<int>((local - FloorDiv(local, kDayMillis) * kDayMillis) / (3600 * 1000));
}

Result<DigestContent> BuildDigest(storage::Store& store, const TimeZone& zone, LocalDate day,
                                  const std::vector<storage::TeamId>& teams,
                                  const std::string& public_url) {
  DigestContent d;
  d.day = day;
  d.time_zone = zone.name();
  d.teams = teams;
  const int64_t days = DaysFromCivil(day);
  d.from = zone.FromLocal(days * kDayMillis);
  d.to = zone.FromLocal((days + 1) * kDayMillis);
  SF_ASSIGN_OR_RETURN(auto events, store.FollowThroughEvents(d.from, d.to, kDigestMaxLines + 1));
  if (static_cast<int>(events.size()) > kDigestMaxLines) {
    d.truncated = true;
    events.resize(kDigestMaxLines);
  }
  SF_ASSIGN_OR_RETURN(auto agents, store.ListAgents());
  std::map<storage::AgentId, std::string> names;
  for (const domain::Agent& a : agents) names[a.id] = a.name;
  for (storage::FollowThroughEvent& e : events) {
    if (!teams.empty() && e.team_id.has_value() &&
        std::find(teams.begin(), teams.end(), *e.team_id) == teams.end()) {
      continue;
    }
    DigestLine line;
    line.owner_name = e.owner_id ? names[*e.owner_id] : std::string();
    line.url = public_url + "/tickets/" + std::to_string(e.ticket_id);
    const auto kind = e.kind;
    line.event = std::move(e);
    switch (kind) {
      case storage::FollowThroughEvent::Kind::kBrokenPromise:
        d.broken_promises.push_back(std::move(line));
        break;
      case storage::FollowThroughEvent::Kind::kSilence:
        d.silent.push_back(std::move(line));
        break;
      case storage::FollowThroughEvent::Kind::kChase:
        d.chases.push_back(std::move(line));
        break;
    }
  }
  return d;
}

std::string DigestSubject(const DigestContent& d) {
  const std::string day = FormatDate(d.day);
  if (d.nothing_broke()) return "Follow-through " + day + ": nothing broke";
  return "Follow-through " + day + ": " +
         Plural(d.broken_promises.size(), "broken promise", "broken promises") + ", " +
         Plural(d.silent.size(), "silent ticket", "silent tickets") + ", " +
         Plural(d.chases.size(), "chase", "chases");
}

std::string DigestBody(const DigestContent& d, std::string_view reader_name) {
  std::string out = "Hello " + std::string(reader_name) + ",\n\n";
  out += "Follow-through on " + FormatDate(d.day) + " (" + d.time_zone + ")" +
         (d.teams.empty() ? std::string(", all teams") : std::string(", your teams")) + ".\n\n";
  if (d.nothing_broke()) {
    out +=
        "Nothing broke yesterday: no promise was broken, no customer waited too long in "
        "silence, and nobody had to chase us.\n";
    return out;
  }
  AppendSection(out, "Broken promises", d.broken_promises);
  AppendSection(out, "Silent tickets (a customer waited too long without word from us)", d.silent);
  AppendSection(out, "Chases (a customer had to ask for news)", d.chases);
  if (d.truncated) {
    out += "More happened than this email lists (the first " + std::to_string(kDigestMaxLines) +
           " events); see the follow-through panel.\n";
  }
  return out;
}

int QueueDueDigests(storage::Store& store, const DigestOptions& options, Timestamp now,
                    int* failed) {
  if (!options.enabled) return 0;
  const auto fail = [&](const Status& s) {
    Log(LogLevel::kWarn, "digest: not queued", {{"error", s.ToString()}});
    ++*failed;
  };
  auto zone = TimeZone::Load(options.time_zone);
  if (!zone.ok()) {
    fail(zone.status());
    return 0;
  }
  if (LocalHourAt(*zone, now) < options.hour) return 0;
  const LocalDate yesterday = CivilFromDays(DaysFromCivil(LocalDateAt(*zone, now)) - 1);
  const std::string day = FormatDate(yesterday);
  auto agents = store.ListAgents();
  if (!agents.ok()) {
    fail(agents.status());
    return 0;
  }
  int queued = 0;
  for (const domain::Agent& a : *agents) {
    if (!a.active || a.role != domain::Role::kLead || a.email.empty()) continue;
    auto has = store.HasDigest(a.id, day);
    if (!has.ok()) {
      fail(has.status());
      continue;
    }
    if (*has) continue;
    auto content = BuildDigest(store, *zone, yesterday, a.teams, options.public_url);
    if (!content.ok()) {
      fail(content.status());
      continue;
    }
    storage::DigestMail mail;
    mail.agent_id = a.id;
    mail.day = day;
    mail.to_address = a.email;
    mail.subject = DigestSubject(*content);
    mail.body = DigestBody(*content, a.name);
    auto inserted = store.QueueDigest(mail, now);
    if (!inserted.ok()) {
      fail(inserted.status());
    } else if (*inserted) {
      ++queued;
      Log(LogLevel::kInfo, "digest queued", {{"lead", std::to_string(a.id)}, {"day", day}});
    }
  }
  return queued;
}

}  // namespace steadfast::engine
