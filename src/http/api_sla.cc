// SLA endpoints of the API: the business calendar and the policies in force.
#include <boost/json.hpp>
#include <cstdio>

#include "http/api.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

json::value Minutes(const std::optional<std::chrono::milliseconds>& target) {
  if (!target.has_value()) return nullptr;
  return target->count() / 60000;
}

std::string DateText(const engine::LocalDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

}  // namespace

Result<Response> Api::SlaPolicies(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewSla));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({}));
  const engine::SlaSettings& sla = *options_.sla;
  json::array holidays;
  for (const auto& d : sla.calendar.holidays()) holidays.emplace_back(DateText(d));
  json::object warning{
      {"minutes", sla.warning.lead_ms ? json::value(*sla.warning.lead_ms / 60000) : nullptr},
      {"percent", sla.warning.percent ? json::value(*sla.warning.percent) : nullptr}};
  json::object silence;
  json::array policies;
  for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
    silence[Name(p)] = sla.silence_after_ms[static_cast<size_t>(p)] / 60000;
  }
  for (const engine::SlaRule& rule : sla.policies) {
    json::object targets;
    for (Priority p : {Priority::kLow, Priority::kNormal, Priority::kHigh, Priority::kUrgent}) {
      const engine::SlaTargets& t = rule.policy.For(p);
      targets[Name(p)] = json::object{{"first_reply_minutes", Minutes(t.first_reply)},
                                      {"next_reply_minutes", Minutes(t.next_reply)},
                                      {"resolution_minutes", Minutes(t.resolution)}};
    }
    json::array tags;
    for (const auto& tag : rule.tags) tags.emplace_back(tag);
    policies.push_back(
        json::object{{"name", rule.policy.name},
                     {"tags", std::move(tags)},
                     {"team_id", rule.team ? json::value(*rule.team) : json::value(nullptr)},
                     {"targets", std::move(targets)}});
  }
  return JsonResponse(json::object{
      {"business_hours", json::object{{"time_zone", sla.calendar.zone().name()},
                                      {"hours", engine::FormatWeeklyHours(sla.calendar.hours())},
                                      {"holidays", std::move(holidays)}}},
      {"warning", std::move(warning)},
      {"silence_minutes", std::move(silence)},
      {"policies", std::move(policies)}});
}

}  // namespace steadfast::http
