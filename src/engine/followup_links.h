#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"
#include "domain/types.h"

namespace steadfast::engine {

// The links in "did it stay solved?": they need no login, so they carry a token that names the
// ticket and the moment it was asked, signed with a server secret. A token is good for that one
// question only: once the ticket is answered, reopened or asked again, it no longer matches.

// "<ticket>.<asked_at ms>.<signature>", the signature an HMAC-SHA-256 under `key` (truncated to
// 128 bits, hex).
std::string MakeFollowUpToken(std::string_view key, domain::TicketId ticket_id, Timestamp asked_at);

struct FollowUpToken {
  domain::TicketId ticket_id = 0;
  Timestamp asked_at;
};

// NotFound for anything that is not a token we signed (one answer for every kind of wrong, so
// probing learns nothing).
Result<FollowUpToken> ParseFollowUpToken(std::string_view key, std::string_view token);

}  // namespace steadfast::engine
