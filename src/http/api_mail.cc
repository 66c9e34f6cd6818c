// Mail endpoints of the API.
#include <boost/json.hpp>
#include <optional>

#include "common/log.h"
#include "common/time.h"
#include "http/api.h"
#include "http/responses.h"
#include "mail/mailbox_poller.h"

namespace steadfast::http {

namespace json = boost::json;

namespace {

json::value TimeOrNull(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return json::value(FormatIso8601(*t));
}

json::object RenderMailbox(const mail::MailboxStatus& m) {
  return json::object{
      {"name", m.name},
      {"url", m.url},
      {"folder", m.folder},
      {"processed_folder",
       m.processed_folder.empty() ? json::value(nullptr) : json::value(m.processed_folder)},
      {"state", mail::Name(m.state)},
      {"last_poll_at", TimeOrNull(m.last_poll_at)},
      {"last_success_at", TimeOrNull(m.last_success_at)},
      {"last_error", m.last_error.empty() ? json::value(nullptr) : json::value(m.last_error)},
      {"last_error_at", TimeOrNull(m.last_error_at)},
      {"consecutive_failures", m.consecutive_failures},
      {"next_poll_at", FormatIso8601(m.next_poll_at)},
      {"messages_ingested", m.messages_ingested},
      {"messages_rejected", m.messages_rejected},
      {"uidvalidity",
       m.uidvalidity ? json::value(static_cast<uint64_t>(*m.uidvalidity)) : json::value(nullptr)},
      {"last_uid", static_cast<uint64_t>(m.last_uid)},
  };
}

}  // namespace

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

Result<Response> Api::ListMailboxes(const Call& c) {
  SF_RETURN_IF_ERROR(domain::Authorize(*c.who, domain::Action::kViewMailboxes));
  json::array items;
  if (mailboxes_ != nullptr) {
    for (const mail::MailboxStatus& m : mailboxes_->Statuses()) items.push_back(RenderMailbox(m));
  }
  return JsonResponse(json::object{{"items", std::move(items)}});
}

}  // namespace steadfast::http
