// Saved views in SqliteStore: each agent's named ticket list queries.
#include <string>
#include <vector>

#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/write_helpers.h"

namespace steadfast::storage::sqlite {

namespace {

constexpr char kViewColumns[] = "id, agent_id, name, query, created_at, updated_at";

SavedView ReadView(const Statement& st) {
  return SavedView{st.Int(0),           st.Int(1), st.Text(2), st.Text(3), Timestamp{st.Int(4)},
                   Timestamp{st.Int(5)}};
}

// The agent's view `id`; NotFound when there is none (or it is another agent's).
Result<SavedView> LoadView(Connection& c, AgentId agent, int64_t id) {
  Statement st = c.Prepare(std::string("SELECT ") + kViewColumns +
                           " FROM saved_views WHERE id = ? AND agent_id = ?");
  st.Bind(1, id).Bind(2, agent);
  if (st.Step()) return ReadView(st);
  SF_RETURN_IF_ERROR(st.status());
  return Status::NotFound("view " + std::to_string(id) + " not found");
}

// Conflict when the agent has another view named `name` (any letter case). Checked before
// writing: a failed unit that wrote would roll back its whole commit group.
Status CheckNameFree(Connection& c, AgentId agent, const std::string& name, int64_t except_id) {
  Statement st = c.Prepare(
      "SELECT 1 FROM saved_views WHERE agent_id = ? AND name = ? COLLATE NOCASE AND id <> ?");
  st.Bind(1, agent).Bind(2, name).Bind(3, except_id);
  if (st.Step()) return Status::Conflict("you have a view named '" + name + "'");
  return st.status();
}

}  // namespace

Result<std::vector<SavedView>> SqliteStore::ListSavedViews(AgentId agent) {
  auto conn = Read();
  Statement st = conn->Prepare(std::string("SELECT ") + kViewColumns +
                               " FROM saved_views WHERE agent_id = ? ORDER BY id");
  st.Bind(1, agent);
  std::vector<SavedView> out;
  while (st.Step()) out.push_back(ReadView(st));
  SF_RETURN_IF_ERROR(st.status());
  return out;
}

Result<SavedView> SqliteStore::CreateSavedView(AgentId agent, std::string name, std::string query) {
  const Timestamp now = clock_.Now();
  return WriteResult<SavedView>(*writer_, [&](Connection& c) -> Result<SavedView> {
    Statement count = c.Prepare("SELECT count(*) FROM saved_views WHERE agent_id = ?");
    count.Bind(1, agent);
    const int64_t n = count.Step() ? count.Int(0) : 0;
    SF_RETURN_IF_ERROR(count.status());
    if (n >= kMaxSavedViews) {
      return Status::Conflict("you have " + std::to_string(kMaxSavedViews) +
                              " saved views, the most there may be; delete one first");
    }
    SF_RETURN_IF_ERROR(CheckNameFree(c, agent, name, 0));
    SF_RETURN_IF_ERROR(
        c.Prepare("INSERT INTO saved_views(agent_id, name, query, created_at, updated_at) "
                  "VALUES(?, ?, ?, ?, ?)")
            .Bind(1, agent)
            .Bind(2, name)
            .Bind(3, query)
            .Bind(4, now.millis)
            .Bind(5, now.millis)
            .Run());
    return SavedView{c.LastInsertId(), agent, name, query, now, now};
  });
}

Result<SavedView> SqliteStore::UpdateSavedView(AgentId agent, int64_t id,
                                               const SavedViewChange& change) {
  const Timestamp now = clock_.Now();
  return WriteResult<SavedView>(*writer_, [&](Connection& c) -> Result<SavedView> {
    SF_ASSIGN_OR_RETURN(SavedView v, LoadView(c, agent, id));
    if (change.name) {
      SF_RETURN_IF_ERROR(CheckNameFree(c, agent, *change.name, id));
      v.name = *change.name;
    }
    if (change.query) v.query = *change.query;
    v.updated_at = now;
    SF_RETURN_IF_ERROR(
        c.Prepare("UPDATE saved_views SET name = ?, query = ?, updated_at = ? WHERE id = ?")
            .Bind(1, v.name)
            .Bind(2, v.query)
            .Bind(3, now.millis)
            .Bind(4, id)
            .Run());
    return v;
  });
}

Status SqliteStore::DeleteSavedView(AgentId agent, int64_t id) {
  return writer_->Run([&](Connection& c) -> Status {
    SF_RETURN_IF_ERROR(LoadView(c, agent, id).status());
    return c.Prepare("DELETE FROM saved_views WHERE id = ?").Bind(1, id).Run();
  });
}

}  // namespace steadfast::storage::sqlite
