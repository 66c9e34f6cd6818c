// The outbox half of SqliteStore: queued email for agent replies and automatic mail, and the
// leads' daily digests (their own queue: a digest belongs to no ticket).
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

namespace {

// The two mail queues (`outbox`, `digests`) share a row's life: claimed with a lease ('sending'
// until the lease runs out), then sent, queued again for a retry, or failed.
Status LeaseMailRow(Connection& c, std::string_view table, int64_t id, Timestamp lease_until,
                    const std::string& header_message_id) {
  std::string sql("UPDATE ");
  sql.append(table).append(
      " SET state = 'sending', next_attempt_at = ?, header_message_id = ? WHERE id = ?");
  return c.Prepare(sql).Bind(1, lease_until.millis).Bind(2, header_message_id).Bind(3, id).Run();
}

// `also_when_sent`: more assignments for a sent row (", body = ..."), or empty.
Status FinishMailRow(Connection& c, std::string_view table, int64_t id, bool sent,
                     std::string_view error, std::optional<Timestamp> retry_at, Timestamp now,
                     std::string_view also_when_sent = "") {
  std::string sql("UPDATE ");
  sql.append(table);
  if (sent) {
    sql.append(" SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ''")
        .append(also_when_sent)
        .append(" WHERE id = ?");
    return c.Prepare(sql).Bind(1, now.millis).Bind(2, id).Run();
  }
  sql.append(
      " SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?");
  return c.Prepare(sql)
      .Bind(1, std::string_view(retry_at ? "queued" : "failed"))
      .Bind(2, retry_at ? retry_at->millis : now.millis)
      .Bind(3, error)
      .Bind(4, id)
      .Run();
}

}  // namespace

Result<std::vector<OutboxItem>> SqliteStore::ClaimOutbox(
    Timestamp now, Timestamp lease_until, int limit,
    const std::function<std::string(const OutboxItem&)>& make_message_id) {
  return WriteResult<std::vector<OutboxItem>>(
      *writer_, [&](Connection& c) -> Result<std::vector<OutboxItem>> {
        std::vector<OutboxItem> items;
        {
          // 'sending' rows whose lease ran out belong to a sender that died: take them back.
          Statement st = c.Prepare(
              "SELECT id, ifnull(ticket_id, 0), ifnull(message_id, 0), attempts,"
              " header_message_id, automatic, to_address, subject, body FROM outbox"
              " WHERE state IN ('queued', 'sending') AND next_attempt_at <= ?"
              " ORDER BY next_attempt_at LIMIT ?");
          st.Bind(1, now.millis).Bind(2, int64_t{limit});
          while (st.Step()) {
            items.push_back(OutboxItem{st.Int(0), st.Int(1), st.Int(2), static_cast<int>(st.Int(3)),
                                       st.Text(4), st.Int(5) != 0, st.Text(6), st.Text(7),
                                       st.Text(8)});
          }
          SF_RETURN_IF_ERROR(st.status());
        }
        for (OutboxItem& item : items) {
          if (item.header_message_id.empty()) item.header_message_id = make_message_id(item);
          SF_RETURN_IF_ERROR(
              LeaseMailRow(c, "outbox", item.id, lease_until, item.header_message_id));
        }
        return items;
      });
}

Status SqliteStore::FinishOutbox(int64_t id, bool sent, std::string_view error,
                                 std::optional<Timestamp> retry_at, Timestamp now) {
  return writer_->Run([&](Connection& c) -> Status {
    // Mail about no ticket is a sign-in link: once it is out, the outbox keeps no copy.
    return FinishMailRow(c, "outbox", id, sent, error, retry_at, now,
                         ", body = CASE WHEN ticket_id IS NULL THEN '' ELSE body END");
  });
}

Result<bool> SqliteStore::QueueDigest(const DigestMail& d, Timestamp now) {
  return WriteResult<bool>(*writer_, [&](Connection& c) -> Result<bool> {
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO digests(agent_id, day, to_address, subject, body, state,"
                  " next_attempt_at, created_at) VALUES(?, ?, ?, ?, ?, 'queued', ?, ?)"
                  " ON CONFLICT(agent_id, day) DO NOTHING")
            .Bind(1, d.agent_id)
            .Bind(2, d.day)
            .Bind(3, d.to_address)
            .Bind(4, d.subject)
            .Bind(5, d.body)
            .Bind(6, now.millis)
            .Bind(7, now.millis)
            .Run());
    return c.Changes() == 1;
  });
}

Result<bool> SqliteStore::HasDigest(AgentId agent, std::string_view day) {
  auto conn = Read();
  Statement st = conn->Prepare("SELECT 1 FROM digests WHERE agent_id = ? AND day = ?");
  st.Bind(1, agent).Bind(2, day);
  const bool found = st.Step();
  SF_RETURN_IF_ERROR(st.status());
  return found;
}

Result<std::vector<DigestMail>> SqliteStore::ClaimDigests(
    Timestamp now, Timestamp lease_until, int limit,
    const std::function<std::string(const DigestMail&)>& make_message_id) {
  return WriteResult<std::vector<DigestMail>>(
      *writer_, [&](Connection& c) -> Result<std::vector<DigestMail>> {
        std::vector<DigestMail> items;
        {
          // As in ClaimOutbox: a 'sending' row whose lease ran out belongs to a dead sender.
          Statement st = c.Prepare(
              "SELECT id, agent_id, day, to_address, subject, body, attempts, header_message_id"
              " FROM digests WHERE state IN ('queued', 'sending') AND next_attempt_at <= ?"
              " ORDER BY next_attempt_at LIMIT ?");
          st.Bind(1, now.millis).Bind(2, int64_t{limit});
          while (st.Step()) {
            items.push_back(DigestMail{st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4),
                                       st.Text(5), static_cast<int>(st.Int(6)), st.Text(7)});
          }
          SF_RETURN_IF_ERROR(st.status());
        }
        for (DigestMail& item : items) {
          if (item.header_message_id.empty()) item.header_message_id = make_message_id(item);
          SF_RETURN_IF_ERROR(
              LeaseMailRow(c, "digests", item.id, lease_until, item.header_message_id));
        }
        return items;
      });
}

Status SqliteStore::FinishDigest(int64_t id, bool sent, std::string_view error,
                                 std::optional<Timestamp> retry_at, Timestamp now) {
  return writer_->Run([&](Connection& c) -> Status {
    return FinishMailRow(c, "digests", id, sent, error, retry_at, now);
  });
}

Result<AutomaticMailCount> SqliteStore::CountAutomaticMail(TicketId id, std::string_view address,
                                                           Timestamp since) {
  auto conn = Read();
  AutomaticMailCount count;
  Statement st = conn->Prepare(
      "SELECT (SELECT count(*) FROM outbox WHERE ticket_id = ?1 AND automatic = 1"
      "        AND created_at >= ?3),"
      "       (SELECT count(*) FROM outbox WHERE to_address = ?2 AND automatic = 1"
      "        AND created_at >= ?3)");
  st.Bind(1, id).Bind(2, address).Bind(3, since.millis);
  if (st.Step()) {
    count.to_ticket = static_cast<int>(st.Int(0));
    count.to_address = static_cast<int>(st.Int(1));
  }
  SF_RETURN_IF_ERROR(st.status());
  return count;
}

Result<std::vector<std::string>> SqliteStore::ThreadMessageIds(TicketId id) {
  auto conn = Read();
  std::vector<std::string> out;
  // Emails taken in and emails sent, in the order of their messages: the last is the newest.
  Statement st = conn->Prepare(
      "SELECT mid FROM ("
      "  SELECT substr(source_key, 5) AS mid, message_id FROM message_sources"
      "  WHERE ticket_id = ?1 AND source_key LIKE 'mid:%'"
      "  UNION ALL"
      "  SELECT header_message_id, message_id FROM outbox"
      "  WHERE ticket_id = ?1 AND state = 'sent' AND header_message_id <> '')"
      " ORDER BY message_id");
  st.Bind(1, id);
  while (st.Step()) out.push_back(st.Text(0));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

}  // namespace steadfast::storage::sqlite
