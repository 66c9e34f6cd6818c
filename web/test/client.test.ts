import { describe, expect, it, vi } from "vitest";
import { ApiError, errorText, queryString } from "../src/api/client";
import { ANA, makeApi, problem, ticket } from "./fake";

describe("Api", () => {
  it("keeps the CSRF token from sign-in and sends it on writes only", async () => {
    localStorage.setItem("sf.csrf", "left-by-an-old-version");
    const { api, calls } = makeApi(
      {
        "POST /auth/login": { json: { agent: ANA, csrf_token: "tok-42" } },
        "GET /tickets/9": { json: ticket() },
        "POST /tickets/9/take": { json: ticket({ owner: 2, status: "open" }) },
      },
      null,
    );
    expect(api.hasCsrfToken).toBe(false);
    expect(localStorage.getItem("sf.csrf")).toBeNull();
    await api.login("ana@example.com", "pw");
    expect(localStorage.length).toBe(0);
    await api.getTicket(9);
    await api.take(9);
    expect(calls[0].body).toEqual({ email: "ana@example.com", password: "pw" });
    expect(calls[1].headers["X-CSRF-Token"]).toBeUndefined();
    expect(calls[2].headers["X-CSRF-Token"]).toBe("tok-42");
  });

  it("forgets the token on sign-out even when the call fails", async () => {
    const { api } = makeApi({ "POST /auth/logout": { status: 503, json: { detail: "down" } } });
    await expect(api.logout()).rejects.toBeInstanceOf(ApiError);
    expect(api.hasCsrfToken).toBe(false);
  });

  it("turns problem+json into an ApiError with its detail and field", async () => {
    const { api } = makeApi({
      "PATCH /tickets/9": problem(409, "ticket was changed by someone else (version 2, you sent 1); reload and retry"),
      "POST /tickets/9/resolve": problem(422, "statement is required for cannot_do", "statement"),
    });
    const conflict = await api.patchTicket(9, { version: 1, priority: "high" }).catch((e) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict.status).toBe(409);
    expect(conflict.isConflict).toBe(true);
    expect(errorText(conflict)).toBe("ticket was changed by someone else (version 2, you sent 1); reload and retry");
    const invalid = await api.resolve(9, { outcome: "cannot_do" }).catch((e) => e);
    expect(invalid.field).toBe("statement");
    expect(invalid.detail).toBe("statement is required for cannot_do");
  });

  it("does not show a proxy's HTML error page", async () => {
    const { api } = makeApi({ "GET /tickets/9": { status: 502, text: "<html><body>Bad gateway</body></html>", type: "text/html" } });
    const e = await api.getTicket(9).catch((x) => x);
    expect(e.status).toBe(502);
    expect(e.detail).toMatch(/^The server answered 502/);
    expect(e.detail).not.toContain("<html>");
  });

  it("says plainly when the server cannot be reached", async () => {
    const api = new (await import("../src/api/client")).Api({
      fetch: () => Promise.reject(new TypeError("Failed to fetch")),
    });
    const e = await api.me().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(e.detail).toMatch(/Cannot reach the server/);
  });

  it("reports an ended session, but not a failed sign-in", async () => {
    const { api } = makeApi({
      "GET /tickets/9": { status: 401, json: { detail: "no session" } },
      "POST /auth/login": { status: 401, json: { detail: "wrong email or password" } },
    });
    const ended = vi.fn();
    api.onUnauthenticated = ended;
    await api.login("a@b.c", "x").catch(() => {});
    expect(ended).not.toHaveBeenCalled();
    await api.getTicket(9).catch(() => {});
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it("sends a reply as JSON, and as multipart when files are attached", async () => {
    const answer = { json: { ticket: ticket(), messages: [] } };
    const { api, calls } = makeApi({ "POST /tickets/9/messages": answer });
    await api.postMessage(9, { kind: "reply", body: "Hi", status: "pending" });
    expect(calls[0].headers["Content-Type"]).toBe("application/json");
    expect(calls[0].body).toEqual({ kind: "reply", body: "Hi", status: "pending" });

    const file = new File(["log line"], "server.log", { type: "text/plain" });
    await api.postMessage(9, { kind: "note", body: "Log attached", files: [file] });
    const form = calls[1].body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(calls[1].headers["Content-Type"]).toBeUndefined(); // The browser adds the boundary.
    expect(calls[1].headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(form.get("kind")).toBe("note");
    expect(form.get("body")).toBe("Log attached");
    expect(form.has("status")).toBe(false);
    expect((form.getAll("files")[0] as File).name).toBe("server.log");
  });

  it("sends a promise and the promise a reply keeps, as JSON and as form fields", async () => {
    const answer = { json: { ticket: ticket(), messages: [] } };
    const { api, calls } = makeApi({ "POST /tickets/9/messages": answer });
    const promise = { text: "call the courier", due_at: "2026-11-24T17:00:00.000Z" };
    await api.postMessage(9, { kind: "reply", body: "I will.", promise, keeps_promise: 3 });
    expect(calls[0].body).toEqual({ kind: "reply", body: "I will.", promise, keeps_promise: 3 });

    const file = new File(["x"], "label.pdf", { type: "application/pdf" });
    await api.postMessage(9, { kind: "reply", body: "Label.", files: [file], promise, keeps_promise: 3 });
    const form = calls[1].body as FormData;
    expect(form.get("promise_text")).toBe("call the courier");
    expect(form.get("promise_due_at")).toBe("2026-11-24T17:00:00.000Z");
    expect(form.get("keeps_promise")).toBe("3");
  });

  it("builds list queries without empty parameters", async () => {
    const { api, calls } = makeApi({ "GET /tickets": { json: { items: [], next_cursor: null } } });
    await api.listTickets({ owner: "none", status: "new", tag: "", limit: 50, cursor: undefined });
    expect(Object.fromEntries(calls[0].query)).toEqual({ owner: "none", status: "new", limit: "50" });
    expect(queryString({ q: "a b&c" })).toBe("?q=a+b%26c");
    expect(queryString({})).toBe("");
  });
});
