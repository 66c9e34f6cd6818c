// The bulk half of SqliteStore: imports and seeding write whole batches in one transaction.
#include <unordered_map>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

using namespace domain;  // NOLINT

Result<std::vector<CustomerId>> SqliteStore::BulkInsertCustomers(
    const std::vector<NewCustomer>& customers) {
  const Timestamp now = clock_.Now();
  return WriteResult<std::vector<CustomerId>>(
      *writer_, [&](Connection& c) -> Result<std::vector<CustomerId>> {
        std::vector<CustomerId> ids;
        ids.reserve(customers.size());
        for (const auto& in : customers) {
          SF_ASSIGN_OR_RETURN(Customer created, InsertCustomer(c, in, now));
          ids.push_back(created.id);
        }
        return ids;
      });
}

Status SqliteStore::BulkInsertTickets(std::vector<BulkTicket>& tickets) {
  return writer_->Run([&](Connection& c) -> Status {
    // Customers repeat across a batch; load each one's search text once.
    std::unordered_map<CustomerId, std::string> search_text;
    for (BulkTicket& b : tickets) {
      Ticket& t = b.ticket;
      auto it = search_text.find(t.customer_id);
      if (it == search_text.end()) {
        auto customer = LoadCustomer(c, t.customer_id);
        if (!customer.ok()) {
          if (customer.status().code() == StatusCode::kNotFound) {
            return Status::InvalidArgument("customer_id",
                                           "no customer " + std::to_string(t.customer_id));
          }
          return customer.status();
        }
        it = search_text.emplace(t.customer_id, CustomerSearchText(*customer)).first;
      }
      SF_RETURN_IF_ERROR(InsertTicket(c, t, it->second));
      for (Message& m : b.messages) {
        m.ticket_id = t.id;
        SF_RETURN_IF_ERROR(InsertMessage(c, m));
      }
      for (Event& e : b.events) {
        e.ticket_id = t.id;
        SF_RETURN_IF_ERROR(InsertEvent(c, e, t));
      }
    }
    return Status::Ok();
  });
}

}  // namespace steadfast::storage::sqlite
