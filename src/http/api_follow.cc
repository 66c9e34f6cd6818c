// Follow-through endpoints of the API: promises and the figures of how they went.
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <vector>

#include "common/text.h"
#include "domain/follow_through.h"
#include "engine/digest.h"
#include "engine/followup_links.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/render.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
constexpr int64_t kDayMillis = 24 * 3600 * 1000LL;

json::object Counts(const storage::PromiseCounts& n) {
  const int64_t settled = n.kept + n.missed;
  return json::object{{"kept", n.kept},
                      {"missed", n.missed},
                      {"open", n.open},
                      {"kept_rate", settled == 0 ? json::value(nullptr)
                                                 : json::value(static_cast<double>(n.kept) /
                                                               static_cast<double>(settled))}};
}

// Customer messages and the chases among them; chase rate = chases / customer messages.
struct ChaseTally {
  int64_t customer_messages = 0;
  int64_t chases = 0;
  void Add(const storage::ChaseCount& n) {
    customer_messages += n.customer_messages;
    chases += n.chases;
  }
  json::object Render() const {
    return json::object{{"customer_messages", customer_messages},
                        {"chases", chases},
                        {"chase_rate", customer_messages == 0
                                           ? json::value(nullptr)
                                           : json::value(static_cast<double>(chases) /
                                                         static_cast<double>(customer_messages))}};
  }
};

// "2026-11-22" as a valid calendar date.
std::optional<engine::LocalDate> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::string_view pieces[3] = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
  for (int i = 0; i < 3; ++i) {
    for (char ch : pieces[i]) {
      if (ch < '0' || ch > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (ch - '0');
    }
  }
  const engine::LocalDate d{parts[0], parts[1], parts[2]};
  if (!engine::IsValidDate(d)) return std::nullopt;
  return d;
}

void AddCounts(storage::PromiseCounts& into, const storage::PromiseCounts& n) {
  into.kept += n.kept;
  into.missed += n.missed;
  into.open += n.open;
}

}  // namespace

Result<Response> Api::ListPromises(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewPromises));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"owner", "state", "ticket", "limit", "cursor"}));
  storage::PromiseQuery q;
  if (auto o = c.query.Get("owner")) {
    if (*o == "me") {
      q.owner_id = c.who->id;
    } else {
      SF_ASSIGN_OR_RETURN(q.owner_id, c.query.PositiveInt("owner"));
    }
  }
  if (auto s = c.query.Get("state")) {
    q.state = ParsePromiseState(*s);
    if (!q.state) {
      return Status::InvalidArgument("state", "'" + *s + "' is not one of open, kept, broken");
    }
  }
  SF_ASSIGN_OR_RETURN(q.ticket_id, c.query.PositiveInt("ticket"));
  SF_ASSIGN_OR_RETURN(q.limit, c.query.Limit(kDefaultLimit, kMaxLimit));
  SF_ASSIGN_OR_RETURN(q.after_id, c.query.PositiveInt("cursor"));
  SF_ASSIGN_OR_RETURN(auto promises, store_.ListPromises(q));
  json::array items;
  for (const Promise& p : promises) items.push_back(RenderPromise(p));
  json::value next = nullptr;
  if (static_cast<int>(promises.size()) == q.limit) next = std::to_string(promises.back().id);
  return JsonResponse(json::object{{"items", std::move(items)}, {"next_cursor", next}});
}

Result<Response> Api::ChangePromise(const Call& c, bool renegotiate) {
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  if (renegotiate) {
    SF_RETURN_IF_ERROR(f.OnlyAllowed({"due_at", "message_id"}));
  } else {
    SF_RETURN_IF_ERROR(f.OnlyAllowed({"message_id"}));
  }
  SF_ASSIGN_OR_RETURN(const int64_t message_id, f.RequiredInt("message_id"));
  Timestamp due;
  if (renegotiate) {
    SF_ASSIGN_OR_RETURN(std::string due_text, f.RequiredString("due_at"));
    auto parsed = ParseIso8601(due_text);
    if (!parsed) return Status::InvalidArgument("due_at", "must be an ISO 8601 time");
    due = *parsed;
  }
  storage::PromiseQuery q;
  q.id = c.path.id();
  q.limit = 1;
  SF_ASSIGN_OR_RETURN(auto found, store_.ListPromises(q));
  const Status not_found = Status::NotFound("promise " + std::to_string(*q.id) + " not found");
  if (found.empty()) return not_found;
  const Promise promise = found.front();
  {
    // Who may change it, before anything about it is said (a customer who may not see its
    // ticket gets the same answer as for a promise that does not exist).
    SF_ASSIGN_OR_RETURN(TicketState s, store_.GetTicket(promise.ticket_id));
    Status allowed =
        Authorize(*c.who, Action::kManagePromise, {.ticket = &s.ticket, .promise = &promise});
    if (allowed.code() == StatusCode::kNotFound) return not_found;
    SF_RETURN_IF_ERROR(allowed);
  }
  // The message must be a reply on the same ticket: what kept it, or what told the customer.
  SF_ASSIGN_OR_RETURN(auto messages, store_.ListMessages(promise.ticket_id, false));
  const bool is_reply = std::any_of(messages.begin(), messages.end(), [&](const Message& m) {
    return m.id == message_id && m.kind == MessageKind::kReply;
  });
  if (!is_reply) {
    return Status::InvalidArgument(
        "message_id", "must be a reply on ticket " + std::to_string(promise.ticket_id));
  }
  const Principal who = *c.who;
  const Timestamp now = clock_.Now();
  SF_ASSIGN_OR_RETURN(
      auto w, store_.ModifyTicket(promise.ticket_id, [&](const TicketState& s) -> Result<Change> {
        SF_RETURN_IF_ERROR(
            Authorize(who, Action::kManagePromise, {.ticket = &s.ticket, .promise = &promise}));
        if (renegotiate) return RenegotiatePromise(s, who, promise.id, due, message_id, now);
        return KeepPromise(s, who, promise.id, message_id, now);
      }));
  json::value changed = nullptr;
  if (!w.events.empty()) {
    storage::PromiseQuery again;
    again.id = promise.id;
    again.limit = 1;
    SF_ASSIGN_OR_RETURN(auto after, store_.ListPromises(again));
    if (!after.empty()) changed = RenderPromise(after.front());
  }
  SF_ASSIGN_OR_RETURN(json::value ticket, TicketJson(w.state, who));
  return JsonResponse(json::object{{"promise", changed}, {"ticket", std::move(ticket)}});
}

Result<Response> Api::FollowThroughStats(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewPromises));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"days"}));
  SF_ASSIGN_OR_RETURN(auto days, c.query.PositiveInt("days"));
  const int64_t span = days.value_or(30);
  if (span > 3660) return Status::InvalidArgument("days", "must be at most 3660");
  // Agents see their own figures; leads and admins every agent's and team's.
  const bool everyone = Authorize(*c.who, Action::kViewTeamFigures).ok();
  const Timestamp since{clock_.Now().millis - span * kDayMillis};
  SF_ASSIGN_OR_RETURN(auto by_agent, store_.CountPromises(since));
  SF_ASSIGN_OR_RETURN(auto chase_rows, store_.CountChases(since));
  SF_ASSIGN_OR_RETURN(auto agents, store_.ListAgents());
  SF_ASSIGN_OR_RETURN(auto teams, store_.ListTeams());
  const auto visible = [&](AgentId id) { return everyone || id == c.who->id; };
  ChaseTally chases_overall;
  std::map<AgentId, ChaseTally> chases_by_agent;
  std::map<TeamId, ChaseTally> chases_by_team;
  for (const storage::ChaseCount& n : chase_rows) {
    if (!n.owner_id ? !everyone : !visible(*n.owner_id)) continue;
    chases_overall.Add(n);
    if (n.owner_id) chases_by_agent[*n.owner_id].Add(n);
    if (n.team_id) chases_by_team[*n.team_id].Add(n);
  }
  storage::PromiseCounts overall;
  std::map<TeamId, storage::PromiseCounts> by_team;
  json::array agent_rows;
  for (const Agent& a : agents) {
    if (!visible(a.id)) continue;
    auto it = by_agent.find(a.id);
    auto ch = chases_by_agent.find(a.id);
    if (it == by_agent.end() && ch == chases_by_agent.end()) continue;
    const storage::PromiseCounts n = it == by_agent.end() ? storage::PromiseCounts{} : it->second;
    AddCounts(overall, n);
    for (TeamId t : a.teams) AddCounts(by_team[t], n);
    json::object row = Counts(n);
    row["chases"] = ch == chases_by_agent.end() ? ChaseTally{}.Render() : ch->second.Render();
    row["agent_id"] = a.id;
    row["name"] = a.name;
    agent_rows.push_back(std::move(row));
  }
  json::array team_rows;
  for (const Team& t : everyone ? teams : std::vector<Team>{}) {
    auto it = by_team.find(t.id);
    auto ch = chases_by_team.find(t.id);
    if (it == by_team.end() && ch == chases_by_team.end()) continue;
    json::object row = Counts(it == by_team.end() ? storage::PromiseCounts{} : it->second);
    row["chases"] = ch == chases_by_team.end() ? ChaseTally{}.Render() : ch->second.Render();
    row["team_id"] = t.id;
    row["name"] = t.name;
    team_rows.push_back(std::move(row));
  }
  return JsonResponse(json::object{{"since", FormatIso8601(since)},
                                   {"days", span},
                                   {"scope", everyone ? "everyone" : "self"},
                                   {"promises", Counts(overall)},
                                   {"chases", chases_overall.Render()},
                                   {"agents", std::move(agent_rows)},
                                   {"teams", std::move(team_rows)}});
}

namespace {

json::value DigestLines(const std::vector<engine::DigestLine>& lines) {
  json::array out;
  for (const engine::DigestLine& l : lines) {
    const storage::FollowThroughEvent& e = l.event;
    out.push_back(
        json::object{{"at", FormatIso8601(e.at)},
                     {"ticket_id", e.ticket_id},
                     {"number", e.number},
                     {"subject", e.subject},
                     {"owner_id", e.owner_id ? json::value(*e.owner_id) : json::value(nullptr)},
                     {"owner_name", e.owner_id ? json::value(l.owner_name) : json::value(nullptr)},
                     {"team_id", e.team_id ? json::value(*e.team_id) : json::value(nullptr)},
                     {"promise", e.kind == storage::FollowThroughEvent::Kind::kBrokenPromise
                                     ? json::value(e.note)
                                     : json::value(nullptr)},
                     {"url", l.url}});
  }
  return out;
}

}  // namespace

Result<Response> Api::Digest(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewTeamFigures));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"date"}));
  SF_ASSIGN_OR_RETURN(engine::TimeZone zone, engine::TimeZone::Load(options_.digest_time_zone));
  engine::LocalDate day =
      engine::CivilFromDays(engine::DaysFromCivil(engine::LocalDateAt(zone, clock_.Now())) - 1);
  if (auto date = c.query.Get("date")) {
    auto parsed = ParseDate(*date);
    if (!parsed) return Status::InvalidArgument("date", "must be a date: YYYY-MM-DD");
    day = *parsed;
  }
  // A lead reads their teams' digest (as emailed); an admin's covers every team.
  std::vector<TeamId> teams;
  if (c.who->is_agent() && c.who->role == Role::kLead) {
    SF_ASSIGN_OR_RETURN(Agent me, store_.GetAgent(c.who->id));
    teams = me.teams;
  }
  SF_ASSIGN_OR_RETURN(engine::DigestContent d,
                      engine::BuildDigest(store_, zone, day, teams, options_.public_url));
  json::array team_ids;
  for (TeamId t : d.teams) team_ids.push_back(t);
  return JsonResponse(json::object{{"date", engine::FormatDate(d.day)},
                                   {"time_zone", d.time_zone},
                                   {"from", FormatIso8601(d.from)},
                                   {"to", FormatIso8601(d.to)},
                                   {"teams", std::move(team_ids)},
                                   {"broken_promises", DigestLines(d.broken_promises)},
                                   {"silent", DigestLines(d.silent)},
                                   {"chases", DigestLines(d.chases)},
                                   {"nothing_broke", d.nothing_broke()},
                                   {"truncated", d.truncated}});
}

namespace {

// A small page for a customer who clicked a link in an email: no script, nothing remote.
Response HtmlPage(int status, std::string_view title, std::string_view body_html) {
  Response r;
  r.status = status;
  r.SetHeader("Content-Type", "text/html; charset=utf-8");
  r.SetHeader("Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'");
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
  r.SetHeader("Cache-Control", "no-store");
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>";
  AppendHtmlEscaped(html, title);
  html +=
      "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;"
      "padding:0 1rem;color:#1d2733}button{font:inherit;padding:.6rem 1rem;margin:.25rem .5rem "
      ".25rem 0;border-radius:6px;border:1px solid #1f4e79;background:#1f4e79;color:#fff}"
      "button.no{background:#fff;color:#1f4e79}</style></head><body><h1>";
  AppendHtmlEscaped(html, title);
  html += "</h1>";
  html += body_html;
  html += "</body></html>";
  r.body = std::move(html);
  return r;
}

std::string Escaped(std::string_view text) {
  std::string out;
  AppendHtmlEscaped(out, text);
  return out;
}

}  // namespace

Result<Response> Api::FollowUpPage(const Call& c) {
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"token", "answer"}));
  const std::string token = c.query.Get("token").value_or("");
  const std::string answer = c.query.Get("answer").value_or("");
  SF_ASSIGN_OR_RETURN(std::string key, store_.Secret("followup_links"));
  auto parsed = engine::ParseFollowUpToken(key, token);
  if (!parsed.ok()) {
    return HtmlPage(404, "This link is not valid",
                    "<p>Perhaps it was copied only in part. Reply to our last email instead.</p>");
  }
  SF_ASSIGN_OR_RETURN(TicketState s, store_.GetTicket(parsed->ticket_id));
  const std::string title = "#" + std::to_string(s.ticket.number) + " " + s.ticket.subject;
  if (s.ticket.followup_asked_at != parsed->asked_at ||
      s.ticket.status != TicketStatus::kResolved) {
    return HtmlPage(200, title, "<p>Thank you: we already have your answer.</p>");
  }
  // The link only shows the question: the answer is a POST, so mail scanners that open links
  // cannot answer for the customer.
  std::string body =
      "<p>Did it stay solved?</p><form method=\"post\" action=\"/api/v1/followup\">"
      "<input type=\"hidden\" name=\"token\" value=\"" +
      Escaped(token) + "\">";
  if (answer != "no") {
    body += "<button name=\"answer\" value=\"yes\">Yes, it stayed solved</button>";
  }
  if (answer != "yes") {
    body += "<button class=\"no\" name=\"answer\" value=\"no\">No, it came back</button>";
  }
  body += "</form>";
  return HtmlPage(200, title, body);
}

Result<Response> Api::FollowUpAnswer(const Call& c) {
  SF_ASSIGN_OR_RETURN(QueryParams form, QueryParams::Parse(c.req.body));
  SF_RETURN_IF_ERROR(form.OnlyAllowed({"token", "answer"}));
  const std::string answer = form.Get("answer").value_or("");
  if (answer != "yes" && answer != "no") {
    return Status::InvalidArgument("answer", "must be yes or no");
  }
  SF_ASSIGN_OR_RETURN(std::string key, store_.Secret("followup_links"));
  auto parsed = engine::ParseFollowUpToken(key, form.Get("token").value_or(""));
  if (!parsed.ok()) {
    return HtmlPage(404, "This link is not valid",
                    "<p>Perhaps it was copied only in part. Reply to our last email instead.</p>");
  }
  const Timestamp now = clock_.Now();
  auto w = store_.ModifyTicket(parsed->ticket_id, [&](const TicketState& s) -> Result<Change> {
    if (s.ticket.followup_asked_at != parsed->asked_at) {
      return Status::Conflict("this question was already answered");
    }
    return AnswerFollowUp(s, answer == "yes", now);
  });
  if (!w.ok() && w.status().code() == StatusCode::kConflict) {
    return HtmlPage(200, "Thank you", "<p>We already have your answer.</p>");
  }
  SF_RETURN_IF_ERROR(w.status());
  const std::string number = "#" + std::to_string(w->state.ticket.number);
  if (answer == "yes") {
    return HtmlPage(200, "Thank you",
                    "<p>We are glad it stayed solved. " + number + " is now closed.</p>");
  }
  return HtmlPage(
      200, "Thank you for telling us",
      "<p>" + number + " is open again, at the top of our queue. We will write to you.</p>");
}

}  // namespace steadfast::http
