// Saved views: each agent's named ticket list queries (filters and sort).
#include <boost/json.hpp>
#include <string>

#include "common/text.h"
#include "common/time.h"
#include "http/api.h"
#include "http/json_body.h"
#include "http/responses.h"

namespace steadfast::http {

namespace json = boost::json;
using domain::Action;

namespace {

constexpr size_t kMaxQueryBytes = 2000;

json::value RenderView(const storage::SavedView& v) {
  return json::object{{"id", v.id},
                      {"name", v.name},
                      {"query", v.query},
                      {"created_at", FormatIso8601(v.created_at)},
                      {"updated_at", FormatIso8601(v.updated_at)}};
}

// The name as stored: trimmed, 1..kMaxSavedViewName bytes on one line.
Result<std::string> ValidateViewName(std::string_view name) {
  std::string out(Trim(name));
  if (out.empty()) return Status::InvalidArgument("name", "is required");
  if (out.size() > storage::kMaxSavedViewName || !IsSingleLine(out)) {
    return Status::InvalidArgument(
        "name",
        "must be 1-" + std::to_string(storage::kMaxSavedViewName) + " characters on one line");
  }
  return out;
}

// Renames a list parameter's error as a field of the view's query ("query.status").
Status InQuery(const Status& s) {
  if (s.code() == StatusCode::kInvalidArgument && !s.field().empty()) {
    return Status::InvalidArgument("query." + s.field(), s.message());
  }
  return Status::InvalidArgument("query", s.message());
}

// The query as stored (without a leading '?'), once the list's own parser accepts it for `who`:
// a saved view never holds a query GET /tickets would refuse. No page (limit, cursor) in it.
Result<std::string> ValidateViewQuery(std::string_view text, const domain::Principal& who) {
  if (!text.empty() && text.front() == '?') text.remove_prefix(1);
  if (text.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("query",
                                   "must be at most " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  Result<QueryParams> params = QueryParams::Parse(text);
  if (!params.ok()) return InQuery(params.status());
  for (std::string_view page : {"limit", "cursor"}) {
    if (params->Get(page)) {
      return Status::InvalidArgument("query." + std::string(page),
                                     "a view holds filters and the sort, not a page");
    }
  }
  Result<storage::TicketQuery> q = ParseTicketListQuery(*params, who);
  if (!q.ok()) return InQuery(q.status());
  return std::string(text);
}

}  // namespace

Result<Response> Api::ListViews(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageSavedViews));
  SF_RETURN_IF_ERROR(c.query.OnlyAllowed({}));
  SF_ASSIGN_OR_RETURN(auto views, store_.ListSavedViews(c.who->id));
  json::array items;
  for (const auto& v : views) items.push_back(RenderView(v));
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Response> Api::CreateView(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageSavedViews));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"name", "query"}));
  SF_ASSIGN_OR_RETURN(std::string raw_name, f.RequiredString("name"));
  SF_ASSIGN_OR_RETURN(std::string name, ValidateViewName(raw_name));
  SF_ASSIGN_OR_RETURN(std::string raw_query, f.RequiredString("query"));
  SF_ASSIGN_OR_RETURN(std::string query, ValidateViewQuery(raw_query, *c.who));
  SF_ASSIGN_OR_RETURN(auto v, store_.CreateSavedView(c.who->id, name, query));
  return JsonResponse(RenderView(v), 201);
}

Result<Response> Api::PatchView(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageSavedViews));
  SF_ASSIGN_OR_RETURN(json::object obj, ParseJsonObject(c.req.body));
  JsonFields f(obj);
  SF_RETURN_IF_ERROR(f.OnlyAllowed({"name", "query"}));
  storage::SavedViewChange change;
  SF_ASSIGN_OR_RETURN(auto name, f.String("name"));
  if (name) {
    SF_ASSIGN_OR_RETURN(change.name, ValidateViewName(*name));
  }
  SF_ASSIGN_OR_RETURN(auto query, f.String("query"));
  if (query) {
    SF_ASSIGN_OR_RETURN(change.query, ValidateViewQuery(*query, *c.who));
  }
  if (!change.name && !change.query) {
    return Status::InvalidArgument("name", "give name or query (or both) to change");
  }
  SF_ASSIGN_OR_RETURN(auto v, store_.UpdateSavedView(c.who->id, c.path.id(), change));
  return JsonResponse(RenderView(v));
}

Result<Response> Api::DeleteView(const Call& c) {
  SF_RETURN_IF_ERROR(Authorize(*c.who, Action::kManageSavedViews));
  SF_RETURN_IF_ERROR(store_.DeleteSavedView(c.who->id, c.path.id()));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace steadfast::http
