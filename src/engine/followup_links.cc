#include "engine/followup_links.h"

#include <charconv>

#include "common/crypto.h"

namespace steadfast::engine {
namespace {

constexpr size_t kSignatureHex = 32;

std::string Signature(std::string_view key, domain::TicketId ticket_id, Timestamp asked_at) {
  return HmacSha256Hex(
             key, "followup:" + std::to_string(ticket_id) + ":" + std::to_string(asked_at.millis))
      .substr(0, kSignatureHex);
}

bool ParseNumber(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out > 0;
}

}  // namespace

std::string MakeFollowUpToken(std::string_view key, domain::TicketId ticket_id,
                              Timestamp asked_at) {
  return std::to_string(ticket_id) + "." + std::to_string(asked_at.millis) + "." +
         Signature(key, ticket_id, asked_at);
}

Result<FollowUpToken> ParseFollowUpToken(std::string_view key, std::string_view token) {
  const Status not_ours = Status::NotFound("this link is not valid (or no longer is)");
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos) return not_ours;
  FollowUpToken t;
  if (!ParseNumber(token.substr(0, first), &t.ticket_id) ||
      !ParseNumber(token.substr(first + 1, second - first - 1), &t.asked_at.millis)) {
    return not_ours;
  }
  if (!ConstantTimeEquals(token.substr(second + 1), Signature(key, t.ticket_id, t.asked_at))) {
    return not_ours;
  }
  return t;
}

}  // namespace steadfast::engine
