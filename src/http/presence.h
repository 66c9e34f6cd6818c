#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "domain/types.h"

namespace steadfast::http {

// Who is on a ticket right now, for collision warnings. In memory only: an entry lives for
// `ttl_ms` unless its agent renews it. Thread-safe.
class PresenceBoard {
 public:
  enum class State { kViewing, kTyping };
  struct Entry {
    domain::TicketId ticket_id = 0;
    domain::AgentId agent_id = 0;
    std::string name;
    State state = State::kViewing;
    Timestamp expires_at;
  };

  PresenceBoard(const Clock& clock, int64_t ttl_ms) : clock_(clock), ttl_ms_(ttl_ms) {}

  // Records that the agent is on the ticket in `state` (nullopt: they left). True when others
  // should hear of it: the agent arrived, changed state or left; a renewal is quiet.
  bool Set(domain::TicketId ticket, domain::AgentId agent, std::string name,
           std::optional<State> state);
  // The agents on `ticket` now, except `except`, by agent id.
  std::vector<Entry> On(domain::TicketId ticket, domain::AgentId except) const;
  // Removes and returns the entries whose time ran out.
  std::vector<Entry> Expire();

  static std::string_view Name(State state);
  static std::optional<State> Parse(std::string_view name);

 private:
  using Key = std::pair<domain::TicketId, domain::AgentId>;
  const Clock& clock_;
  const int64_t ttl_ms_;
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;  // Guarded by mu_.
};

}  // namespace steadfast::http
