// Customer, company, agent and team endpoints of the API.
#include <algorithm>
#include <boost/json.hpp>

#include "common/crypto.h"
#include "common/text.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/render.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using namespace domain;  // NOLINT

namespace {

Result<std::string> PlainText(const JsonFields& f, std::string_view name, size_t max,
                              bool required) {
  SF_ASSIGN_OR_RETURN(auto v, f.String(name));
  if (!v.has_value() || Trim(*v).empty()) {
    if (required) return Status::InvalidArgument(f.FieldName(name), "is required");
    return std::string();
  }
  const std::string out(Trim(*v));
  if (out.size() > max) {
    return Status::InvalidArgument(f.FieldName(name),
                                   "is at most " + std::to_string(max) + " bytes");
  }
  if (!IsSingleLine(out)) {
    return Status::InvalidArgument(f.FieldName(name), "cannot contain control characters");
  }
  return out;
}

Result<std::string> Email(std::string_view raw, std::string_view field) {
  std::string e = AsciiLower(Trim(raw));
  if (!LooksLikeEmail(e)) {
    return Status::InvalidArgument(std::string(field),
                                   "'" + std::string(raw) + "' is not an email address");
  }
  return e;
}

// Reads "email" (one) or "emails" (several) into a de-duplicated list.
Result<std::optional<std::vector<std::string>>> Emails(const JsonFields& f) {
  SF_ASSIGN_OR_RETURN(auto one, f.String("email"));
  SF_ASSIGN_OR_RETURN(auto many, f.StringArray("emails"));
  if (one && many) return Status::InvalidArgument("emails", "send email or emails, not both");
  if (!one && !many) return std::optional<std::vector<std::string>>();
  std::vector<std::string> raw = many ? *many : std::vector<std::string>{*one};
  if (raw.empty()) return Status::InvalidArgument("emails", "needs at least one address");
  if (raw.size() > 20) return Status::InvalidArgument("emails", "at most 20 addresses");
  std::vector<std::string> out;
  for (const auto& r : raw) {
    SF_ASSIGN_OR_RETURN(std::string e, Email(r, many ? "emails" : "email"));
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

// `limit` 0: the list is complete, no next page.
json::value CustomerList(const std::vector<Customer>& customers, int limit) {
  json::array items;
  for (const auto& c : customers) items.push_back(RenderCustomer(c));
  json::value next = nullptr;
  if (limit > 0 && static_cast<int>(customers.size()) == limit) {
    next = std::to_string(customers.back().id);
  }
  return json::object{{"items", std::move(items)}, {"next_cursor", next}};
}

json::value RenderCompany(const Company& c) {
  return json::object{{"id", c.id},
                      {"name", c.name},
                      {"shares_tickets", c.shares_tickets},
                      {"created_at", FormatIso8601(c.created_at)}};
}

}  // namespace

Result<Response> Api::ListCustomers(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kListCustomers));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"email", "limit", "cursor"}));
  storage::CustomerQuery q;
  q.email = c.query.Get("email").value_or("");
  SF_ASSIGN_OR_RETURN(q.limit, c.query.Limit(50, 200));
  SF_ASSIGN_OR_RETURN(q.after_id, c.query.PositiveInt("cursor"));
  SF_ASSIGN_OR_RETURN(auto customers, store_.ListCustomers(q));
  // An email names at most one customer: there is no next page.
  return JsonResponse(CustomerList(customers, q.email.empty() ? q.limit : 0));
}

Result<Response> Api::CreateCustomer(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kCreateCustomer));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(
      f.OnlyAllowed({"name", "email", "emails", "company_id", "timezone", "language", "notes"}));
  storage::NewCustomer in;
  SF_ASSIGN_OR_RETURN(in.name, PlainText(f, "name", 200, true));
  SF_ASSIGN_OR_RETURN(auto emails, Emails(f));
  if (!emails) return Status::InvalidArgument("email", "is required");
  in.emails = std::move(*emails);
  SF_ASSIGN_OR_RETURN(in.company_id, f.Int("company_id"));
  SF_ASSIGN_OR_RETURN(in.timezone, PlainText(f, "timezone", 64, false));
  SF_ASSIGN_OR_RETURN(in.language, PlainText(f, "language", 35, false));
  SF_ASSIGN_OR_RETURN(auto notes, f.String("notes"));
  in.notes = notes.value_or("");
  if (in.notes.size() > options_.max_message_bytes) {
    return Status::InvalidArgument("notes", "is too long");
  }
  SF_ASSIGN_OR_RETURN(Customer created, store_.CreateCustomer(in));
  return JsonResponse(RenderCustomer(created), 201);
}

Result<Response> Api::GetCustomer(const Call& c) {
  SF_ASSIGN_OR_RETURN(Customer cu, store_.GetCustomer(c.path.id()));
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewCustomer, {.customer = &cu}));
  return JsonResponse(RenderCustomerFor(cu, *c.who));
}

Result<Response> Api::PatchCustomer(const Call& c) {
  SF_ASSIGN_OR_RETURN(Customer cu, store_.GetCustomer(c.path.id()));
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kEditCustomer, {.customer = &cu}));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed(
      {"version", "name", "email", "emails", "company_id", "timezone", "language", "notes"}));
  SF_ASSIGN_OR_RETURN(int64_t version, f.RequiredInt("version"));
  storage::CustomerPatch patch;
  if (f.Has("name")) {
    SF_ASSIGN_OR_RETURN(patch.name, PlainText(f, "name", 200, true));
  }
  SF_ASSIGN_OR_RETURN(patch.emails, Emails(f));
  if (f.IsNull("company_id")) {
    patch.company_id = std::optional<CompanyId>();
  } else {
    SF_ASSIGN_OR_RETURN(auto company, f.Int("company_id"));
    if (company) patch.company_id = company;
  }
  if (f.Has("timezone")) {
    SF_ASSIGN_OR_RETURN(patch.timezone, PlainText(f, "timezone", 64, false));
  }
  if (f.Has("language")) {
    SF_ASSIGN_OR_RETURN(patch.language, PlainText(f, "language", 35, false));
  }
  SF_ASSIGN_OR_RETURN(patch.notes, f.String("notes"));
  if (patch.notes && patch.notes->size() > options_.max_message_bytes) {
    return Status::InvalidArgument("notes", "is too long");
  }
  SF_ASSIGN_OR_RETURN(Customer after, store_.UpdateCustomer(cu.id, patch, version));
  return JsonResponse(RenderCustomer(after));
}

Result<Response> Api::CustomerTickets(const Call& c) {
  SF_ASSIGN_OR_RETURN(Customer cu, store_.GetCustomer(c.path.id()));
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewCustomer, {.customer = &cu}));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({"limit", "cursor"}));
  storage::TicketQuery q;
  q.customer = cu.id;
  SF_ASSIGN_OR_RETURN(q.limit, c.query.Limit(50, 200));
  if (auto cursor = c.query.Get("cursor")) {
    SF_ASSIGN_OR_RETURN(q.after, ParseTicketCursor(*cursor, q.sort));
  }
  if (c.who->is_customer()) q.visible_to = *c.who;
  SF_ASSIGN_OR_RETURN(auto page, store_.ListTickets(q));
  SF_ASSIGN_OR_RETURN(AgentNames owners, AgentNamesOf(PageOwners(page)));
  json::monotonic_resource mr;
  return JsonResponse(RenderTicketPage(page, owners, q.sort, &mr));
}

Result<Response> Api::CreateCompany(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kCreateCustomer));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"name", "shares_tickets"}));
  SF_ASSIGN_OR_RETURN(std::string name, PlainText(f, "name", 200, true));
  SF_ASSIGN_OR_RETURN(auto shares, f.Bool("shares_tickets"));
  SF_ASSIGN_OR_RETURN(Company co, store_.CreateCompany(name, shares.value_or(false)));
  return JsonResponse(RenderCompany(co), 201);
}

Result<Response> Api::GetCompany(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kListCustomers));
  SF_ASSIGN_OR_RETURN(Company co, store_.GetCompany(c.path.id()));
  return JsonResponse(RenderCompany(co));
}

Result<Response> Api::ListAgents(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewAgents));
  SF_ASSIGN_OR_RETURN(auto agents, store_.ListAgents());
  json::array items;
  for (const auto& a : agents) items.push_back(RenderAgent(a));
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Response> Api::CreateAgent(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageAgents));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"name", "email", "role", "password", "teams"}));
  storage::NewAgent in;
  SF_ASSIGN_OR_RETURN(in.name, PlainText(f, "name", 200, true));
  SF_ASSIGN_OR_RETURN(std::string email, f.RequiredString("email"));
  SF_ASSIGN_OR_RETURN(in.email, Email(email, "email"));
  SF_ASSIGN_OR_RETURN(auto role, f.String("role"));
  if (role) {
    auto r = ParseRole(*role);
    if (!r) {
      return Status::InvalidArgument(
          "role", "'" + *role + "' is not one of " + std::string(AllowedRoles()));
    }
    in.role = *r;
  }
  SF_ASSIGN_OR_RETURN(auto password, f.String("password"));
  if (password) {
    if (password->size() < 10) {
      return Status::InvalidArgument("password", "must be at least 10 characters");
    }
    if (password->size() > 1024) return Status::InvalidArgument("password", "is too long");
    SF_ASSIGN_OR_RETURN(in.password_hash, HashPassword(*password));
  }
  SF_ASSIGN_OR_RETURN(auto teams, f.IntArray("teams"));
  in.teams = teams.value_or(std::vector<int64_t>{});
  SF_ASSIGN_OR_RETURN(Agent a, store_.CreateAgent(in));
  return JsonResponse(RenderAgent(a), 201);
}

Result<Response> Api::GetAgent(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewAgents));
  SF_ASSIGN_OR_RETURN(Agent a, store_.GetAgent(c.path.id()));
  return JsonResponse(RenderAgent(a));
}

Result<Response> Api::ListTeams(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kViewTeams));
  SF_ASSIGN_OR_RETURN(auto teams, store_.ListTeams());
  json::array items;
  for (const auto& t : teams) items.push_back(RenderTeam(t));
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Response> Api::CreateTeam(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageTeams));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"name"}));
  SF_ASSIGN_OR_RETURN(std::string name, PlainText(f, "name", 100, true));
  SF_ASSIGN_OR_RETURN(Team t, store_.CreateTeam(name));
  return JsonResponse(RenderTeam(t), 201);
}

}  // namespace steadfast::http
