#pragma once

#include <optional>

#include "domain/entities.h"

namespace steadfast::domain {

// Who is asking: an agent (with a role), a customer (with their company's sharing setting), or
// the system itself (the time engine, mail intake).
struct Principal {
  Actor::Kind kind = Actor::Kind::kSystem;
  int64_t id = 0;
  Role role = Role::kAgent;             // Meaningful for agents only.
  std::optional<CompanyId> company_id;  // Customers only.
  bool company_shares_tickets = false;  // Customers only.

  static Principal ForAgent(const Agent& a) {
    return Principal{Actor::Kind::kAgent, a.id, a.role, std::nullopt, false};
  }
  static Principal ForCustomer(const Customer& c, bool company_shares) {
    return Principal{Actor::Kind::kCustomer, c.id, Role::kAgent, c.company_id, company_shares};
  }
  static Principal System() { return Principal{}; }

  bool is_agent() const { return kind == Actor::Kind::kAgent; }
  bool is_customer() const { return kind == Actor::Kind::kCustomer; }
  bool is_system() const { return kind == Actor::Kind::kSystem; }
  // Leads and admins (and the system) may override ownership rules.
  bool is_lead_or_admin() const {
    return is_system() || (is_agent() && (role == Role::kLead || role == Role::kAdmin));
  }
  Actor actor() const { return Actor{kind, id}; }
};

}  // namespace steadfast::domain
