// Live updates and in-app notifications in SqliteStore: reading the event log forward, and an
// agent's notifications (events that concern them) with their "seen up to" mark.
#include <algorithm>
#include <string>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

using domain::EventId;

namespace {

constexpr char kEventColumns[] =
    "e.id, e.ticket_id, e.type, e.actor_kind, e.actor_id, e.at, e.changes, e.note";

// "?4,?5,?6" for `n` values numbered from `first`.
std::string Placeholders(size_t n, int first) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ',';
    out += '?' + std::to_string(first + static_cast<int>(i));
  }
  return out;
}

// The broken promises on `teams`' tickets that do not already concern `agent`, newest first
// (`newest`) or counted after `after_id`. Binds 1 = agent, 2 = the id bound, 3 = limit, then
// the teams.
std::string TeamBrokenPromises(const char* select, bool newest, size_t teams) {
  return std::string("SELECT ") + select +
         " FROM ticket_events e INDEXED BY ticket_events_broken_promises "
         "JOIN tickets t ON t.id = e.ticket_id "
         "WHERE e.type = 'promise_broken' AND e.concerns_agent_id IS NOT ?1 AND e.id " +
         (newest ? "< ?2" : "> ?2") + " AND t.team_id IN (" + Placeholders(teams, 4) +
         ") ORDER BY e.id " + (newest ? "DESC" : "") + " LIMIT ?3";
}

Result<EventId> SeenMark(Connection& conn, AgentId agent) {
  Statement st = conn.Prepare("SELECT up_to FROM notifications_seen WHERE agent_id = ?");
  st.Bind(1, agent);
  if (st.Step()) return st.Int(0);
  SF_RETURN_IF_ERROR(st.status());
  return EventId{0};
}

}  // namespace

Result<std::vector<FeedEvent>> SqliteStore::EventsAfter(EventId after_id, int limit) {
  auto conn = Read();
  Statement st = conn->Prepare(std::string("SELECT ") + kEventColumns +
                               ", t.customer_id, t.company_id, t.team_id, e.concerns_agent_id "
                               "FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                               "WHERE e.id > ? ORDER BY e.id LIMIT ?");
  st.Bind(1, after_id).Bind(2, int64_t{std::max(limit, 0)});
  std::vector<FeedEvent> out;
  while (st.Step()) {
    FeedEvent f;
    f.event = ReadEvent(st);
    f.customer_id = st.Int(8);
    f.company_id = st.OptInt(9);
    f.team_id = st.OptInt(10);
    f.concerns_agent_id = st.OptInt(11);
    out.push_back(std::move(f));
  }
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<EventId> SqliteStore::LatestEventId() {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT IFNULL(MAX(id), 0) FROM ticket_events");
  if (st.Step()) return st.Int(0);
  SF_RETURN_IF_ERROR(st.status());
  return EventId{0};
}

Result<NotificationPage> SqliteStore::ListNotifications(const NotificationQuery& q) {
  const int limit = std::clamp(q.limit, 1, 200);
  const int64_t before = q.before_id.value_or(INT64_MAX);
  const std::string select = std::string(kEventColumns) + ", t.number, t.subject";
  auto conn = Read();
  NotificationPage page;
  SF_ASSIGN_OR_RETURN(page.seen_up_to, SeenMark(*conn, q.agent));

  const auto bind_teams = [&q](Statement& st) {
    int index = 4;
    for (TeamId team : q.lead_of_teams) st.Bind(index++, team);
  };
  std::vector<Notification> found;
  const auto collect = [&found](Statement& st) -> Status {
    while (st.Step()) {
      Notification n;
      n.event = ReadEvent(st);
      n.ticket_number = st.Int(8);
      n.subject = st.Text(9);
      found.push_back(std::move(n));
    }
    return st.status();
  };
  {
    Statement st = conn->Prepare("SELECT " + select +
                                 " FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
                                 "WHERE e.concerns_agent_id = ?1 AND e.id < ?2 "
                                 "ORDER BY e.id DESC LIMIT ?3");
    st.Bind(1, q.agent).Bind(2, before).Bind(3, int64_t{limit + 1});
    SF_RETURN_IF_ERROR(collect(st));
  }
  if (!q.lead_of_teams.empty()) {
    Statement st = conn->Prepare(TeamBrokenPromises(select.c_str(), true, q.lead_of_teams.size()));
    st.Bind(1, q.agent).Bind(2, before).Bind(3, int64_t{limit + 1});
    bind_teams(st);
    SF_RETURN_IF_ERROR(collect(st));
  }
  std::sort(found.begin(), found.end(),
            [](const Notification& a, const Notification& b) { return a.event.id > b.event.id; });
  if (static_cast<int>(found.size()) > limit) {
    found.resize(static_cast<size_t>(limit));
    page.next_before_id = found.back().event.id;
  }
  page.items = std::move(found);

  // Counted, not listed: a bounded scan of each index past the mark.
  int64_t unread = 0;
  {
    Statement st = conn->Prepare(
        "SELECT COUNT(*) FROM (SELECT 1 FROM ticket_events "
        "WHERE concerns_agent_id = ?1 AND id > ?2 LIMIT ?3)");
    st.Bind(1, q.agent).Bind(2, page.seen_up_to).Bind(3, int64_t{NotificationPage::kMaxUnread});
    if (st.Step()) unread += st.Int(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  if (!q.lead_of_teams.empty()) {
    Statement st = conn->Prepare("SELECT COUNT(*) FROM (" +
                                 TeamBrokenPromises("1", false, q.lead_of_teams.size()) + ")");
    st.Bind(1, q.agent).Bind(2, page.seen_up_to).Bind(3, int64_t{NotificationPage::kMaxUnread});
    bind_teams(st);
    if (st.Step()) unread += st.Int(0);
    SF_RETURN_IF_ERROR(st.status());
  }
  page.unread = static_cast<int>(std::min<int64_t>(unread, NotificationPage::kMaxUnread));
  return page;
}

Result<EventId> SqliteStore::MarkNotificationsSeen(AgentId agent, EventId up_to) {
  return WriteResult<EventId>(*writer_, [&](Connection& c) -> Result<EventId> {
    SF_RETURN_IF_ERROR(c.Prepare("INSERT INTO notifications_seen(agent_id, up_to) VALUES(?, ?) "
                                 "ON CONFLICT(agent_id) DO UPDATE SET "
                                 "up_to = MAX(up_to, excluded.up_to)")
                           .Bind(1, agent)
                           .Bind(2, up_to)
                           .Run());
    return SeenMark(c, agent);
  });
}

}  // namespace steadfast::storage::sqlite
