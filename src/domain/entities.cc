#include "domain/entities.h"

namespace steadfast::domain {

std::string_view Name(Actor::Kind kind) {
  switch (kind) {
    case Actor::Kind::kAgent:
      return "agent";
    case Actor::Kind::kCustomer:
      return "customer";
    case Actor::Kind::kSystem:
      return "system";
  }
  return "system";
}

std::string_view Name(SlaKind kind) {
  switch (kind) {
    case SlaKind::kFirstReply:
      return "first_reply";
    case SlaKind::kNextReply:
      return "next_reply";
    case SlaKind::kResolution:
      return "resolution";
  }
  return "first_reply";
}

}  // namespace steadfast::domain
