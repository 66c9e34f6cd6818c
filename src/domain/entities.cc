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

}  // namespace steadfast::domain
