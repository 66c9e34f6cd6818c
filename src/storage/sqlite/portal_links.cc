// The portal half of SqliteStore: one-time sign-in links for customers.
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

Status SqliteStore::SavePortalLink(const PortalLink& link, const DirectMail& mail) {
  return writer_->Run([&](Connection& c) -> Status {
    SF_RETURN_IF_ERROR(c.Prepare("INSERT INTO portal_links(token_hash, customer_id, created_at,"
                                 " expires_at) VALUES(?, ?, ?, ?)")
                           .Bind(1, link.token_hash)
                           .Bind(2, link.customer_id)
                           .Bind(3, link.created_at.millis)
                           .Bind(4, link.expires_at.millis)
                           .Run());
    return c
        .Prepare(
            "INSERT INTO outbox(state, next_attempt_at, created_at, automatic, to_address,"
            " subject, body) VALUES('queued', ?1, ?1, 1, ?2, ?3, ?4)")
        .Bind(1, link.created_at.millis)
        .Bind(2, mail.to_address)
        .Bind(3, mail.subject)
        .Bind(4, mail.body)
        .Run();
  });
}

Result<CustomerId> SqliteStore::UsePortalLink(std::string_view token_hash, Timestamp now,
                                              Credential session) {
  return WriteResult<CustomerId>(*writer_, [&](Connection& c) -> Result<CustomerId> {
    Statement st = c.Prepare(
        "UPDATE portal_links SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL"
        " AND expires_at > ?1 RETURNING customer_id");
    st.Bind(1, now.millis).Bind(2, token_hash);
    if (!st.Step()) {
      SF_RETURN_IF_ERROR(st.status());
      return Status::NotFound("this sign-in link is not valid: it was used, or it expired");
    }
    const CustomerId customer = st.Int(0);
    while (st.Step()) {
    }
    SF_RETURN_IF_ERROR(st.status());
    std::optional<int64_t> expires;
    if (session.expires_at) expires = session.expires_at->millis;
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO credentials(token_hash, kind, principal_id, csrf_token, label, "
                  "created_at, expires_at) VALUES(?, 'customer', ?, ?, ?, ?, ?)")
            .Bind(1, session.token_hash)
            .Bind(2, customer)
            .Bind(3, session.csrf_token)
            .Bind(4, session.label)
            .Bind(5, session.created_at.millis)
            .Bind(6, expires)
            .Run());
    return customer;
  });
}

}  // namespace steadfast::storage::sqlite
