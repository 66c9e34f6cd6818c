// The portal's plain words for where a ticket stands, and the calls it makes.
import { describe, expect, it } from "vitest";
import { PortalApi } from "../src/portal/api";
import { headline, listOwner, mergeFirstPage, plainState, replier, when } from "../src/portal/state";
import { makeApi, message, ticket } from "./fake";

const UTC = { timeZone: "UTC", now: new Date("2025-03-20T12:00:00.000Z") };

describe("plain words for a ticket's state", () => {
  it("a new ticket nobody has yet says it was received and names nobody", () => {
    const s = plainState(ticket({ status: "new" }), [message()], UTC);
    expect(s.headline).toBe("Received: a person on our team will pick it up.");
    expect(s.owner).toBeNull();
    expect(s.lastDone).toBe("You wrote on Fri 14 Mar, 09:00.");
    expect(s.outcome).toBeNull();
  });

  it("an owned ticket names its person, and their reply is theirs", () => {
    const t = ticket({ status: "open", owner: 3, owner_name: "Ben Okafor" });
    const reply = message({ id: 2, kind: "reply", author: { kind: "agent", id: 3 }, created_at: "2025-03-15T17:30:00.000Z" });
    const s = plainState(t, [message(), reply], UTC);
    expect(s.headline).toBe("Ben Okafor is working on it.");
    expect(s.owner).toBe("Ben Okafor is looking after it.");
    expect(s.lastDone).toBe("Ben Okafor replied on Sat 15 Mar, 17:30.");
  });

  it("a reply by someone other than the owner is the team's, and notes never count", () => {
    const t = ticket({ status: "pending", owner: 3, owner_name: "Ben Okafor" });
    const other = message({ id: 2, kind: "reply", author: { kind: "agent", id: 7 }, created_at: "2025-03-15T10:00:00.000Z" });
    const note = message({ id: 3, kind: "note", author: { kind: "agent", id: 3 }, created_at: "2025-03-16T10:00:00.000Z" });
    const s = plainState(t, [message(), other, note], UTC);
    expect(s.headline).toBe("We are waiting for your answer.");
    expect(s.lastDone).toBe("Our team replied on Sat 15 Mar, 10:00.");
  });

  it("open promises show with their date, a missed one marked late, kept ones not at all", () => {
    const base = { ticket_id: 9, owner_id: 3, missed: false };
    const t = ticket({
      status: "open",
      owner: 3,
      owner_name: "Ben Okafor",
      promises: [
        { ...base, id: 1, text: "Send the corrected invoice", due_at: "2025-03-21T17:00:00.000Z", state: "open" },
        { ...base, id: 2, text: "Call the bank", due_at: "2025-03-19T09:00:00.000Z", state: "open" },
        { ...base, id: 3, text: "Check the VAT rate", due_at: "2025-03-18T09:00:00.000Z", state: "kept" },
      ],
    });
    const s = plainState(t, [], UTC);
    expect(s.promises).toEqual([
      { text: "Send the corrected invoice", due: "Fri 21 Mar, 17:00", late: false },
      { text: "Call the bank", due: "Wed 19 Mar, 09:00", late: true },
    ]);
  });

  it("a resolved ticket gives the outcome and the team's plain statement, and owes no promises", () => {
    const t = ticket({
      status: "resolved",
      owner: 3,
      owner_name: "Ben Okafor",
      resolution: {
        outcome: "cannot_do",
        statement: "Our invoices cannot show two VAT rates.",
        alternatives: ["Split the order in two"],
        duplicate_of: null,
        resolved_by: 3,
        resolved_at: "2025-03-16T10:00:00.000Z",
      },
      promises: [{ id: 1, ticket_id: 9, owner_id: 3, text: "x", due_at: "2025-03-19T09:00:00.000Z", state: "open", missed: false }],
    });
    const s = plainState(t, [], UTC);
    expect(s.headline).toBe("We cannot do this.");
    expect(s.owner).toBe("Ben Okafor looked after it.");
    expect(s.outcome).toEqual({
      title: "We cannot do this",
      statement: "Our invoices cannot show two VAT rates.",
      alternatives: ["Split the order in two"],
    });
    expect(s.promises).toEqual([]);
  });

  it("list lines need no owner name, and every outcome has words", () => {
    expect(headline(ticket({ status: "open", owner: 3 }))).toBe("Someone on our team is working on it.");
    for (const outcome of ["solved", "workaround", "cannot_do", "duplicate", "withdrawn"] as const) {
      const t = ticket({
        status: "closed",
        resolution: { outcome, statement: "", alternatives: [], duplicate_of: null, resolved_by: 3, resolved_at: "2025-03-16T10:00:00.000Z" },
      });
      expect(headline(t)).toMatch(/^[A-Z][a-z ]+\.$/);
    }
  });

  it("times read as a weekday, day, month and 24-hour clock", () => {
    expect(when("2025-03-14T21:05:00.000Z", { timeZone: "UTC" })).toBe("Fri 14 Mar, 21:05");
    expect(when("not a time")).toBe("not a time");
  });
});

describe("portal calls", () => {
  it("signing in posts the token and keeps the session's CSRF token for writes", async () => {
    const { api, calls } = makeApi(
      {
        "POST /portal/session": { json: { kind: "customer", customer: { id: 1 }, csrf_token: "c-9" } },
        "POST /tickets/9/messages": { status: 201, json: { ticket: {}, messages: [] } },
      },
      null,
    );
    const portal = new PortalApi(api);
    await portal.signIn("tok-1");
    expect(calls[0].body).toEqual({ token: "tok-1" });
    expect(api.hasCsrfToken).toBe(true);
    await portal.reply(9, "Thanks", []);
    expect(calls[1].headers["X-CSRF-Token"]).toBe("c-9");
    expect(calls[1].body).toEqual({ body: "Thanks" });
  });

  it("a reply with files goes as multipart with the files", async () => {
    const { api, calls } = makeApi({ "POST /tickets/9/messages": { status: 201, json: {} } });
    await new PortalApi(api).reply(9, "See attached", [new File(["x"], "shot.png", { type: "image/png" })]);
    const form = calls[0].body as FormData;
    expect(form.get("body")).toBe("See attached");
    expect((form.get("files") as File).name).toBe("shot.png");
    expect(form.get("kind")).toBeNull();
  });

  it("an agent's session is not a customer's", async () => {
    const { api } = makeApi({ "GET /auth/me": { json: { kind: "agent", agent: {}, csrf_token: null } } });
    expect(await new PortalApi(api).me()).toBeNull();
  });
});

describe("names and live refreshes in the portal", () => {
  it("a reply shows its writer's display name, else the owner's, else the team", () => {
    const t = ticket({ status: "open", owner: 3, owner_name: "Ben Okafor" });
    const byCy = message({ id: 2, kind: "reply", author: { kind: "agent", id: 7 }, author_name: "Cy Lee" });
    const byBen = message({ id: 3, kind: "reply", author: { kind: "agent", id: 3 } });
    const unknown = message({ id: 4, kind: "reply", author: { kind: "agent", id: 9 } });
    expect(replier(t, byCy)).toBe("Cy Lee");
    expect(replier(t, byBen)).toBe("Ben Okafor");
    expect(replier(t, unknown)).toBe("Our team");
    expect(plainState(t, [message(), byCy], UTC).lastDone).toBe("Cy Lee replied on Fri 14 Mar, 09:00.");
  });

  it("the list says who has each ticket", () => {
    expect(listOwner({ ...ticket({ owner: 3 }), owner_name: "Ben Okafor" })).toBe("Ben Okafor has it");
    expect(listOwner({ ...ticket({ owner: 3 }), owner_name: null })).toBe("A person on our team has it");
    expect(listOwner(ticket({ owner: null }))).toBe("Not picked up yet");
  });

  it("a refreshed first page keeps the older tickets already shown, once each", () => {
    const ids = (xs: { id: number }[]) => xs.map((x) => x.id);
    const shown = [{ id: 9 }, { id: 8 }, { id: 7 }, { id: 6 }];
    expect(ids(mergeFirstPage([{ id: 10 }, { id: 9 }], shown, false))).toEqual([10, 9, 8, 7, 6]);
    expect(ids(mergeFirstPage([{ id: 10 }, { id: 9 }], shown, true))).toEqual([10, 9]);
    expect(ids(mergeFirstPage([], shown, false))).toEqual([]);
  });
});
