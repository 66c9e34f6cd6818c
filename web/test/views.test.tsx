// Saved views (the "Saved" section of the queue nav, "Save view" in the list header) and the
// SLA deadline sort (the default of "SLA at risk").
import { fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { QueueNav } from "../src/components/QueueNav";
import { TicketList } from "../src/components/TicketList";
import { WorkspaceContext } from "../src/context";
import { Directory } from "../src/lib/directory";
import { filtersToSearch, listQueryToSearch, parseFilters, parseListQuery } from "../src/lib/listview";
import { FIXED_QUEUES, findQueue, queuePath, viewQueue } from "../src/queues";
import { parseRoute } from "../src/router";
import type { SavedView } from "../src/api/types";
import { ANA, BEN, makeApi } from "./fake";

type Routes = Parameters<typeof makeApi>[0];

const VIEW: SavedView = {
  id: 12,
  name: "Billing by deadline",
  query: "tag=billing&sort=sla_due",
  created_at: "2025-03-14T09:00:00.000Z",
  updated_at: "2025-03-14T09:00:00.000Z",
};

async function workspace(routes: Routes) {
  const { api, calls } = makeApi({
    "GET /agents": { json: { items: [ANA, BEN] } },
    "GET /teams": { json: { items: [] } },
    "GET /customers/1": { json: { id: 1, name: "Maria Silva", emails: [] } },
    "GET /queues/counts": { json: { mine: 0, unowned: 0, offered: 0, waiting: 0, sla_at_risk: 0, teams: [] } },
    "GET /tickets": { json: { items: [], next_cursor: null } },
    ...routes,
  });
  const dir = new Directory(api);
  await dir.loadPeople();
  const wrap = (ui: preact.ComponentChildren) => <WorkspaceContext.Provider value={{ api, dir, me: ANA }}>{ui}</WorkspaceContext.Provider>;
  return { api, calls, dir, wrap };
}

afterEach(() => history.replaceState(null, "", "/"));

describe("saved view routes and queries", () => {
  it("keeps a saved view at /views/<id>, so a reload opens it again", () => {
    expect(parseRoute("/views/12", "?status=open")).toEqual({ name: "queue", queue: "view-12", filters: "status=open" });
    expect(queuePath("view-12")).toBe("/views/12");
    expect(queuePath("team-3")).toBe("/queues/team-3");
    const q = findQueue("view-12", [], [VIEW]);
    expect(q?.label).toBe("Billing by deadline");
    expect(q?.query).toEqual({ tag: "billing", sort: "sla_due" });
    expect(findQueue("view-13", [], [VIEW])).toBeNull();
  });

  it("turns a list query into the saved query and back, without the page", () => {
    const q = { owner: "me" as const, team: 3, silent: true, sort: "sla_due" as const, limit: 50, cursor: "x" };
    const text = listQueryToSearch(q);
    expect(text).toBe("owner=me&team=3&silent=true&sort=sla_due");
    expect(parseListQuery(text)).toEqual({ owner: "me", team: 3, silent: true, sort: "sla_due" });
  });

  it("reads the queue's own sort as the default and writes only a different one", () => {
    expect(parseFilters("", "sla_due").sort).toBe("sla_due");
    expect(parseFilters("sort=newest", "sla_due").sort).toBe("newest");
    expect(filtersToSearch(parseFilters("", "sla_due"), "sla_due")).toBe("");
    expect(filtersToSearch({ ...parseFilters("", "sla_due"), sort: "newest" }, "sla_due")).toBe("?sort=newest");
    expect(parseFilters("sort=sla_due").sort).toBe("sla_due");
  });
});

describe("SLA deadline sort", () => {
  it("is the default order of 'SLA at risk' and offered in the sort selector", async () => {
    const { calls, wrap } = await workspace({});
    const sla = FIXED_QUEUES.find((q) => q.key === "sla")!;
    render(wrap(<TicketList queue={sla} filters={parseFilters("", sla.query.sort)} openId={null} />));
    await waitFor(() => expect(calls.some((c) => c.path === "/tickets")).toBe(true));
    const asked = calls.find((c) => c.path === "/tickets")!.query;
    expect(asked.get("sort")).toBe("sla_due");
    expect(asked.get("sla")).toBe("at_risk");
    const select = screen.getByLabelText("Sort") as HTMLSelectElement;
    expect(select.value).toBe("sla_due");
    expect(Array.from(select.options).map((o) => o.value)).toContain("sla_due");
    // The queue's own order is not "the agent's filters": nothing to save.
    expect(screen.queryByRole("button", { name: "Save view" })).toBeNull();
  });
});

describe("Save view", () => {
  it("asks for a name and saves the list as shown, then opens the view", async () => {
    const { calls, dir, wrap } = await workspace({
      "POST /views": (c) => ({ status: 201, json: { ...VIEW, id: 40, ...(c.body as object) } }),
    });
    dir.views = [];
    const mine = FIXED_QUEUES[0];
    render(wrap(<TicketList queue={mine} filters={parseFilters("tag=billing&sort=sla_due")} openId={null} />));
    fireEvent.click(screen.getByRole("button", { name: "Save view" }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("View name")));
    fireEvent.input(screen.getByLabelText("View name"), { target: { value: "  Billing due  " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(location.pathname).toBe("/views/40"));
    const post = calls.find((c) => c.method === "POST" && c.path === "/views")!;
    expect(post.body).toEqual({ name: "Billing due", query: "owner=me&status=open&tag=billing&sort=sla_due" });
    expect(dir.views!.map((v) => v.name)).toEqual(["Billing due"]);
  });

  it("shows the server's reason when the name is taken, and saves nothing", async () => {
    const { dir, wrap } = await workspace({
      "POST /views": { status: 409, json: { title: "Conflict", status: 409, detail: "you have a view named 'Billing'" } },
    });
    dir.views = [];
    render(wrap(<TicketList queue={FIXED_QUEUES[0]} filters={parseFilters("sort=oldest")} openId={null} />));
    fireEvent.click(screen.getByRole("button", { name: "Save view" }));
    fireEvent.input(screen.getByLabelText("View name"), { target: { value: "Billing" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("you have a view named 'Billing'");
    expect(dir.views).toEqual([]);
    expect(location.pathname).toBe("/");
  });

  it("lists a saved view's own filters and sort", async () => {
    const { calls, wrap } = await workspace({});
    const q = viewQueue(VIEW);
    render(wrap(<TicketList queue={q} filters={parseFilters("", q.query.sort)} openId={null} />));
    await waitFor(() => expect(calls.some((c) => c.path === "/tickets")).toBe(true));
    const asked = calls.find((c) => c.path === "/tickets")!.query;
    expect([asked.get("tag"), asked.get("sort")]).toEqual(["billing", "sla_due"]);
  });
});

describe("QueueNav saved views", () => {
  it("lists the agent's views, renames and deletes them from the keyboard", async () => {
    const other: SavedView = { ...VIEW, id: 13, name: "Urgent", query: "sort=priority" };
    const { calls, wrap } = await workspace({
      "GET /views": { json: { items: [VIEW, other] } },
      "PATCH /views/12": (c) => ({ json: { ...VIEW, ...(c.body as object) } }),
      "DELETE /views/13": { status: 204 },
    });
    render(wrap(<QueueNav current="view-12" refreshKey={0} />));
    const saved = await screen.findByRole("list", { name: "Saved views" });
    const link = within(saved).getByRole("link", { name: "Billing by deadline" });
    expect(link.getAttribute("href")).toBe("/views/12");
    expect(link.getAttribute("aria-current")).toBe("page");

    const rename = within(saved).getByRole("button", { name: "Rename Billing by deadline" });
    expect(rename.tagName).toBe("BUTTON"); // Reached with Tab, pressed with Enter or Space.
    fireEvent.click(rename);
    fireEvent.input(screen.getByLabelText("New name"), { target: { value: "Billing, soonest first" } });
    fireEvent.submit(screen.getByLabelText("New name").closest("form")!);
    await within(saved).findByRole("link", { name: "Billing, soonest first" });
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ name: "Billing, soonest first" });

    fireEvent.click(within(saved).getByRole("button", { name: "Delete Urgent" }));
    const confirm = screen.getByRole("group", { name: "Delete Urgent?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(within(saved).queryByRole("link", { name: "Urgent" })).toBeNull());
    expect(calls.some((c) => c.method === "DELETE" && c.path === "/views/13")).toBe(true);
  });

  it("keeps a view when the agent changes their mind, and shows why a rename failed", async () => {
    const { calls, wrap } = await workspace({
      "GET /views": { json: { items: [VIEW] } },
      "PATCH /views/12": { status: 409, json: { title: "Conflict", status: 409, detail: "you have a view named 'Urgent'" } },
    });
    render(wrap(<QueueNav current={null} refreshKey={0} />));
    const saved = await screen.findByRole("list", { name: "Saved views" });
    const del = within(saved).getByRole("button", { name: "Delete Billing by deadline" });
    fireEvent.click(del);
    // The focus goes to the confirmation's Delete, and Escape (like Keep) goes back.
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Delete"));
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Delete Billing by deadline"));
    fireEvent.click(within(saved).getByRole("button", { name: "Delete Billing by deadline" }));
    fireEvent.click(screen.getByRole("button", { name: "Keep" }));
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    fireEvent.click(within(saved).getByRole("button", { name: "Rename Billing by deadline" }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("New name")));
    fireEvent.input(screen.getByLabelText("New name"), { target: { value: "Urgent" } });
    fireEvent.submit(screen.getByLabelText("New name").closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toContain("you have a view named 'Urgent'");
    expect(within(saved).getByRole("link", { name: "Billing by deadline" })).toBeTruthy();
  });

  it("shows no Saved section while the agent has none", async () => {
    const { wrap } = await workspace({ "GET /views": { json: { items: [] } } });
    render(wrap(<QueueNav current={null} refreshKey={0} />));
    await screen.findByRole("link", { name: /All tickets/ });
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Saved" })).toBeNull());
  });
});
