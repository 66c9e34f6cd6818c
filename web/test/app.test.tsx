import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../src/App";
import { ANA, BEN, makeApi, ticket } from "./fake";

const people = {
  "GET /agents": { json: { items: [ANA, BEN] } },
  "GET /teams": { json: { items: [{ id: 1, name: "Support", created_at: "" }] } },
  "GET /customers/1": { json: { id: 1, name: "Maria Silva", emails: [], company_id: null, timezone: "", language: "", notes: "", created_at: "", updated_at: "", version: 1 } },
  "GET /tickets": { json: { items: [ticket({ id: 6, number: 6, subject: "Add a fourth depot" })], next_cursor: null } },
  "GET /queues/counts": { json: { mine: 0, unowned: 1, offered: 0, waiting: 0, sla_at_risk: 0, teams: [{ team_id: 1, name: "Support", count: 4 }] } },
};

describe("App", () => {
  it("asks to sign in when there is no session, then shows the workspace", async () => {
    history.replaceState(null, "", "/");
    const { api, calls } = makeApi(
      { ...people, "GET /auth/me": { status: 401, json: { detail: "no session" } }, "POST /auth/login": { json: { agent: ANA, csrf_token: "t" } } },
      null,
    );
    render(<App api={api} />);
    fireEvent.input(await screen.findByLabelText("Email"), { target: { value: "ana@example.com" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "pw" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByRole("navigation", { name: "Queues" });
    expect(location.pathname).toBe("/queues/mine");
    // The page asked once who is signed in; after signing in the token rides on writes.
    expect(calls.filter((c) => c.path === "/auth/me")).toHaveLength(1);
    // The alarm: "Nobody owns these" is not empty.
    await waitFor(() => expect(document.querySelector("a[data-queue-link=unowned]")?.className).toContain("alarm"));
    expect(screen.getByRole("link", { name: /^Support/ }).getAttribute("href")).toBe("/queues/team-1");
  });

  it("resumes a session from an earlier visit, and signs out", async () => {
    history.replaceState(null, "", "/queues/unowned");
    const { api } = makeApi({ ...people, "GET /auth/me": { json: { kind: "agent", agent: ANA, csrf_token: "csrf-9" } }, "POST /auth/logout": { status: 204 } }, null);
    render(<App api={api} />);
    await screen.findByText("Add a fourth depot");
    expect(screen.getByRole("heading", { name: /Nobody owns these/ })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await screen.findByText("You are signed out.");
    expect(api.hasCsrfToken).toBe(false);
  });

  it("goes back to sign-in when the session ends", async () => {
    history.replaceState(null, "", "/queues/mine");
    const { api } = makeApi({ ...people, "GET /auth/me": { json: { kind: "agent", agent: ANA } }, "GET /tickets": { status: 401, json: { detail: "no session" } } });
    render(<App api={api} />);
    await screen.findByText(/Your session has ended/);
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });
});
