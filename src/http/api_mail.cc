// Mail endpoints of the API.
#include <boost/json.hpp>

#include "common/log.h"
#include "http/api.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;

Result<Response> Api::IngestMail(const Call& c) {
  SF_RETURN_IF_ERROR(domain::Authorize(*c.who, domain::Action::kIngestMail));
  if (intake_ == nullptr) return Status::Unavailable("mail intake is not configured");
  if (c.req.body.empty()) return Status::BadRequest("the body must be one RFC 5322 message");
  SF_ASSIGN_OR_RETURN(mail::IntakeResult r, intake_->Ingest(c.req.body));
  Log(LogLevel::kInfo, "mail taken in",
      {{"outcome", mail::Name(r.outcome)},
       {"ticket", std::to_string(r.ticket_id)},
       {"note", r.note}});
  const int status = r.outcome == mail::IntakeResult::Outcome::kDuplicate ? 200 : 201;
  return JsonResponse(json::object{{"outcome", mail::Name(r.outcome)},
                                   {"ticket_id", r.ticket_id},
                                   {"message_id", r.message_id},
                                   {"note", r.note}},
                      status);
}

}  // namespace steadfast::http
