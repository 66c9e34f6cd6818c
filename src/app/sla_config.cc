#include "app/sla_config.h"

#include <charconv>
#include <set>

#include "common/text.h"

namespace steadfast::app {
namespace {

using std::chrono::milliseconds;

// Business time targets: an integer of minutes, or "4h", "90m", "1h30m". 1 minute to 1 year.
Result<milliseconds> ParseTarget(const toml::node& node, const std::string& field) {
  const Status bad = Status::InvalidArgument(
      field, "must be a duration of business time like \"4h\", \"90m\" or \"1h30m\", or minutes");
  int64_t minutes = 0;
  if (auto i = node.value_exact<int64_t>()) {
    minutes = *i;
  } else if (auto s = node.value_exact<std::string>()) {
    std::string_view rest = *s;
    if (rest.empty()) return bad;
    while (!rest.empty()) {
      int64_t n = 0;
      const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
      if (ec != std::errc() || p == rest.data() + rest.size() || n > 1'000'000) return bad;
      const char unit = *p;
      if (unit == 'h') {
        minutes += n * 60;
      } else if (unit == 'm') {
        minutes += n;
      } else {
        return bad;
      }
      rest.remove_prefix(static_cast<size_t>(p - rest.data()) + 1);
    }
  } else {
    return bad;
  }
  if (minutes < 1 || minutes > 366 * 24 * 60) {
    return Status::InvalidArgument(field, "must be from 1 minute to 1 year");
  }
  return milliseconds(minutes * 60 * 1000);
}

// Re-labels an error of a parser with the config key it came from.
Status Under(const Status& s, const std::string& field) {
  if (s.ok() || s.code() != StatusCode::kInvalidArgument) return s;
  return Status::InvalidArgument(field, s.message());
}

Result<std::string> Text(const toml::node& node, const std::string& field) {
  const auto v = node.value_exact<std::string>();
  if (!v) return Status::InvalidArgument(field, "must be a string");
  return *v;
}

Status ParseBusinessHours(const toml::node& node, engine::SlaSettings* settings) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return Status::InvalidArgument("business_hours", "must be a table");
  std::string zone = "UTC", hours = "24/7", holidays;
  for (const auto& [key, value] : *table) {
    const std::string k(key.str());
    const std::string field = "business_hours." + k;
    if (k == "time_zone") {
      SF_ASSIGN_OR_RETURN(zone, Text(value, field));
    } else if (k == "hours") {
      SF_ASSIGN_OR_RETURN(hours, Text(value, field));
    } else if (k == "holidays") {
      if (const toml::array* list = value.as_array()) {
        for (size_t i = 0; i < list->size(); ++i) {
          SF_ASSIGN_OR_RETURN(std::string day,
                              Text((*list)[i], field + "[" + std::to_string(i) + "]"));
          holidays += day + "\n";
        }
      } else {
        SF_ASSIGN_OR_RETURN(holidays, Text(value, field));
      }
    } else {
      return Status::InvalidArgument(field, "is not a known setting");
    }
  }
  auto zone_db = engine::TimeZone::Load(zone);
  if (!zone_db.ok()) return Under(zone_db.status(), "business_hours.time_zone");
  auto weekly = engine::ParseWeeklyHours(hours);
  if (!weekly.ok()) return Under(weekly.status(), "business_hours.hours");
  auto days = engine::ParseHolidays(holidays);
  if (!days.ok()) return Under(days.status(), "business_hours.holidays");
  auto calendar = engine::BusinessCalendar::Create(*zone_db, *weekly, *days);
  if (!calendar.ok()) {
    return Under(calendar.status(), "business_hours." + calendar.status().field());
  }
  settings->calendar = std::move(*calendar);
  return Status::Ok();
}

Status ParseWarning(const toml::node& node, engine::SlaSettings* settings) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return Status::InvalidArgument("sla", "must be a table");
  engine::SlaWarning w;
  for (const auto& [key, value] : *table) {
    const std::string k(key.str());
    const std::string field = "sla." + k;
    const auto n = value.value_exact<int64_t>();
    if (k == "warning_minutes") {
      if (!n || *n < 0 || *n > 366 * 24 * 60) {
        return Status::InvalidArgument(field, "must be minutes of business time, 0 or more");
      }
      w.lead_ms = *n * 60 * 1000;
    } else if (k == "warning_percent") {
      if (!n || *n < 1 || *n > 100) {
        return Status::InvalidArgument(field, "must be an integer from 1 to 100");
      }
      w.percent = static_cast<int>(*n);
    } else {
      return Status::InvalidArgument(field, "is not a known setting");
    }
  }
  if (w.lead_ms && w.percent) {
    return Status::InvalidArgument("sla.warning_percent",
                                   "set warning_minutes or warning_percent, not both");
  }
  if (w.lead_ms || w.percent) settings->warning = w;
  return Status::Ok();
}

// One target key of a policy: a duration for all priorities, or a table by priority.
Status ParseTargets(const toml::node& node, const std::string& field,
                    std::optional<milliseconds> engine::SlaTargets::*member,
                    engine::SlaPolicy* policy) {
  if (const toml::table* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      const std::string k(key.str());
      const auto priority = domain::ParsePriority(k);
      if (!priority) {
        return Status::InvalidArgument(
            field + "." + k, "must be one of " + std::string(domain::AllowedPriorities()));
      }
      SF_ASSIGN_OR_RETURN(milliseconds target, ParseTarget(value, field + "." + k));
      policy->by_priority[static_cast<size_t>(*priority)].*member = target;
    }
    return Status::Ok();
  }
  SF_ASSIGN_OR_RETURN(milliseconds target, ParseTarget(node, field));
  for (auto& targets : policy->by_priority) targets.*member = target;
  return Status::Ok();
}

Status ParsePolicy(const toml::table& table, const std::string& at, engine::SlaRule* rule) {
  bool named = false, targeted = false;
  for (const auto& [key, value] : table) {
    const std::string k(key.str());
    const std::string field = at + "." + k;
    if (k == "name") {
      SF_ASSIGN_OR_RETURN(rule->policy.name, Text(value, field));
      if (Trim(rule->policy.name).empty() || rule->policy.name.size() > 64 ||
          !IsSingleLine(rule->policy.name)) {
        return Status::InvalidArgument(field, "must be 1-64 characters on one line");
      }
      named = true;
    } else if (k == "tags") {
      const toml::array* list = value.as_array();
      if (list == nullptr) return Status::InvalidArgument(field, "must be an array of tags");
      std::vector<std::string> tags;
      for (size_t i = 0; i < list->size(); ++i) {
        SF_ASSIGN_OR_RETURN(std::string tag,
                            Text((*list)[i], field + "[" + std::to_string(i) + "]"));
        tags.push_back(tag);
      }
      auto normal = domain::NormalizeTags(tags);
      if (!normal.ok()) return Under(normal.status(), field);
      rule->tags = std::move(*normal);
    } else if (k == "team_id") {
      const auto n = value.value_exact<int64_t>();
      if (!n || *n < 1) return Status::InvalidArgument(field, "must be a team id (integer)");
      rule->team = *n;
    } else if (k == "first_reply" || k == "next_reply" || k == "resolution") {
      auto member = k == "first_reply"  ? &engine::SlaTargets::first_reply
                    : k == "next_reply" ? &engine::SlaTargets::next_reply
                                        : &engine::SlaTargets::resolution;
      SF_RETURN_IF_ERROR(ParseTargets(value, field, member, &rule->policy));
      targeted = true;
    } else {
      return Status::InvalidArgument(field, "is not a known setting");
    }
  }
  if (!named) return Status::InvalidArgument(at + ".name", "is required");
  if (!targeted) {
    return Status::InvalidArgument(at, "needs at least one of first_reply, next_reply, resolution");
  }
  return Status::Ok();
}

Status ParsePolicies(const toml::node& node, engine::SlaSettings* settings) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    return Status::InvalidArgument("sla_policy", "must be an array of tables: [[sla_policy]]");
  }
  std::set<std::string> names;
  std::optional<size_t> catch_all;
  for (size_t i = 0; i < array->size(); ++i) {
    std::string at = "sla_policy[";
    at += std::to_string(i) + "]";
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return Status::InvalidArgument(at, "must be a table: [[sla_policy]]");
    if (catch_all) {
      return Status::InvalidArgument(
          at, "comes after sla_policy[" + std::to_string(*catch_all) +
                  "], which has no tags or team and so matches every ticket: put it last");
    }
    engine::SlaRule rule;
    SF_RETURN_IF_ERROR(ParsePolicy(*table, at, &rule));
    if (!names.insert(rule.policy.name).second) {
      return Status::InvalidArgument(at + ".name", "'" + rule.policy.name + "' names two policies");
    }
    if (rule.tags.empty() && !rule.team) catch_all = i;
    settings->policies.push_back(std::move(rule));
  }
  return Status::Ok();
}

}  // namespace

bool IsSlaTable(std::string_view key) {
  return key == "business_hours" || key == "sla" || key == "sla_policy";
}

Status ParseSlaTable(std::string_view key, const toml::node& node, engine::SlaSettings* settings) {
  if (key == "business_hours") return ParseBusinessHours(node, settings);
  if (key == "sla") return ParseWarning(node, settings);
  return ParsePolicies(node, settings);
}

}  // namespace steadfast::app
