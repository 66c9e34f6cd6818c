#include "http/presence.h"

namespace steadfast::http {

bool PresenceBoard::Set(domain::TicketId ticket, domain::AgentId agent, std::string name,
                        std::optional<State> state) {
  std::lock_guard<std::mutex> lock(mu_);
  const Key key{ticket, agent};
  auto it = entries_.find(key);
  if (!state.has_value()) {
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
  }
  const Timestamp expires{clock_.Now().millis + ttl_ms_};
  if (it == entries_.end()) {
    entries_.emplace(key, Entry{ticket, agent, std::move(name), *state, expires});
    return true;
  }
  it->second.expires_at = expires;
  if (it->second.state == *state) return false;
  it->second.state = *state;
  return true;
}

std::vector<PresenceBoard::Entry> PresenceBoard::On(domain::TicketId ticket,
                                                    domain::AgentId except) const {
  const Timestamp now = clock_.Now();
  std::vector<Entry> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.lower_bound(Key{ticket, 0}); it != entries_.end(); ++it) {
    if (it->first.first != ticket) break;
    if (it->first.second != except && it->second.expires_at.millis > now.millis) {
      out.push_back(it->second);
    }
  }
  return out;
}

std::vector<PresenceBoard::Entry> PresenceBoard::Expire() {
  const Timestamp now = clock_.Now();
  std::vector<Entry> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.expires_at.millis <= now.millis) {
      out.push_back(std::move(it->second));
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::string_view PresenceBoard::Name(State state) {
  return state == State::kTyping ? "typing" : "viewing";
}

std::optional<PresenceBoard::State> PresenceBoard::Parse(std::string_view name) {
  if (name == "viewing") return State::kViewing;
  if (name == "typing") return State::kTyping;
  return std::nullopt;
}

}  // namespace steadfast::http
