import { describe, expect, it } from "vitest";
import type { TicketSummary } from "../src/api/types";
import { loadDraft, saveDraft, clearDraft } from "../src/lib/drafts";
import { EMAIL_SANDBOX, emailDocument, remoteImageCount, withRemoteImages } from "../src/lib/email";
import { age, localTime, parseTags } from "../src/lib/format";
import { isTyping, shortcutFor } from "../src/lib/keys";
import { countsByQueue } from "../src/components/QueueNav";
import { chaseRate, keptRate, parsePeriod, percent } from "../src/lib/rates";
import { applyChange, effectiveQuery, filtersToSearch, matchesQuery, parseFilters } from "../src/lib/listview";
import { parseMarked, unescapeHtml } from "../src/lib/marks";
import { actionsFor } from "../src/lib/permissions";
import { buildTimeline, describeEvent } from "../src/lib/timeline";
import { parseRoute } from "../src/router";
import { ANA, BEN, message, ticket } from "./fake";

describe("search snippets", () => {
  it("splits on <mark> and unescapes the rest as text", () => {
    expect(parseMarked("Cannot download my March <mark>invoice</mark> &amp; <mark>VAT</mark>")).toEqual([
      { text: "Cannot download my March ", mark: false },
      { text: "invoice", mark: true },
      { text: " & ", mark: false },
      { text: "VAT", mark: true },
    ]);
  });

  it("keeps anything else that looks like markup as visible text", () => {
    const pieces = parseMarked('&lt;img src=x onerror=alert(1)&gt; <b>raw</b> <mark>hit</mark>');
    expect(pieces[0]).toEqual({ text: "<img src=x onerror=alert(1)> <b>raw</b> ", mark: false });
    expect(pieces[1]).toEqual({ text: "hit", mark: true });
  });

  it("decodes numeric entities and refuses invalid ones", () => {
    expect(unescapeHtml("caf&#233; &#x1F600; &#0; &bogus;")).toBe("café 😀 \uFFFD &bogus;");
  });
});

describe("email frame", () => {
  const html = '<p>Hi</p><img data-remote-src="https://cdn.example/a.png" alt="a"><img data-remote-src="javascript:alert(1)">';

  it("counts held images and swaps only http(s) sources in when asked", () => {
    expect(remoteImageCount(html)).toBe(2);
    const loaded = withRemoteImages(html);
    expect(loaded).toContain('src="https://cdn.example/a.png"');
    expect(loaded).not.toContain("javascript:");
    expect(loaded).not.toContain("data-remote-src");
  });

  it("wraps the HTML in a document with its own CSP that blocks remote images until asked", () => {
    const held = emailDocument(html, false);
    expect(held).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:;/);
    expect(held).not.toMatch(/\ssrc="https:/);
    expect(emailDocument(html, true)).toMatch(/img-src 'self' data: https:;/);
    expect(EMAIL_SANDBOX).not.toContain("allow-scripts");
    expect(EMAIL_SANDBOX).not.toContain("allow-forms");
    expect(EMAIL_SANDBOX).not.toContain("allow-top-navigation");
  });
});

describe("format", () => {
  const now = Date.parse("2025-03-14T12:00:00.000Z");
  it("writes short ages", () => {
    expect(age("2025-03-14T11:59:30.000Z", now)).toBe("now");
    expect(age("2025-03-14T11:15:00.000Z", now)).toBe("45m");
    expect(age("2025-03-14T02:00:00.000Z", now)).toBe("10h");
    expect(age("2025-03-10T12:00:00.000Z", now)).toBe("4d");
    expect(age("2025-01-10T12:00:00.000Z", now)).toBe("9w");
  });
  it("tells the customer's local time, or nothing for an unknown zone", () => {
    expect(localTime("Europe/Lisbon", now)).toMatch(/12:00/);
    expect(localTime("Asia/Tokyo", now)).toMatch(/21:00|9:00/); // The browser's locale picks 12 or 24 hours.
    expect(localTime("", now)).toBeNull();
    expect(localTime("Not/AZone", now)).toBeNull();
  });
  it("normalizes tags the way the API stores them", () => {
    expect(parseTags(" Billing, refund  billing,VAT ")).toEqual(["billing", "refund", "vat"]);
  });
});

describe("drafts", () => {
  it("survive per ticket and kind, and an empty one is removed", () => {
    saveDraft(9, "reply", { body: "Hi Maria", waiting: true });
    saveDraft(9, "note", { body: "VAT note", waiting: false });
    expect(loadDraft(9, "reply")).toEqual({ body: "Hi Maria", waiting: true });
    expect(loadDraft(9, "note")?.body).toBe("VAT note");
    expect(loadDraft(10, "reply")).toBeNull();
    saveDraft(9, "note", { body: "", waiting: false });
    expect(localStorage.getItem("sf.draft.9.note")).toBeNull();
    clearDraft(9, "reply");
    expect(loadDraft(9, "reply")).toBeNull();
  });
});

describe("keys", () => {
  const key = (k: string, target: EventTarget, extra: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent("keydown", { key: k, ...extra });
    Object.defineProperty(e, "target", { value: target });
    return e;
  };
  it("ignores single keys while the agent types", () => {
    const area = document.createElement("textarea");
    const input = document.createElement("input");
    const box = document.createElement("input");
    box.type = "checkbox";
    expect(isTyping(area)).toBe(true);
    expect(isTyping(input)).toBe(true);
    expect(isTyping(box)).toBe(false);
    expect(shortcutFor(key("j", area))).toBeNull();
    expect(shortcutFor(key("j", document.body))).toBe("j");
    expect(shortcutFor(key("?", document.body))).toBe("?");
    expect(shortcutFor(key("r", document.body, { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key("Enter", document.createElement("button")))).toBeNull();
    expect(shortcutFor(key("x", document.body))).toBeNull();
  });
});

describe("routes", () => {
  it("reads history paths", () => {
    expect(parseRoute("/", "")).toEqual({ name: "queue", queue: "mine", filters: "" });
    expect(parseRoute("/queues/unowned", "?tag=vat")).toEqual({ name: "queue", queue: "unowned", filters: "tag=vat" });
    expect(parseRoute("/tickets/123", "")).toEqual({ name: "ticket", id: 123 });
    expect(parseRoute("/tickets/abc", "").name).toBe("notfound");
    expect(parseRoute("/search", "?q=a%20b")).toEqual({ name: "search", q: "a b" });
  });
});

describe("list filters", () => {
  const t = (over: Partial<TicketSummary>): TicketSummary => ({ ...ticket(), ...over });

  it("round-trip through the URL and override the queue's status", () => {
    const f = parseFilters("status=any&tag=Billing&sort=priority&bogus=1");
    expect(f).toEqual({ status: "any", tag: "Billing", q: "", sort: "priority" });
    expect(filtersToSearch(f)).toBe("?status=any&tag=Billing&sort=priority");
    expect(parseFilters("status=nonsense&sort=sideways")).toEqual({ status: "", tag: "", q: "", sort: "newest" });
    expect(effectiveQuery({ owner: "me", status: "open" }, f)).toEqual({ owner: "me", tag: "billing", sort: "priority" });
    expect(effectiveQuery({ owner: "me", status: "open" }, parseFilters("status=pending"))).toEqual({ owner: "me", status: "pending" });
  });

  it("asks the server for the sort in the URL", () => {
    const f = parseFilters("sort=last_activity");
    expect(f.sort).toBe("last_activity");
    expect(effectiveQuery({ owner: "me", status: "open" }, f)).toEqual({ owner: "me", status: "open", sort: "last_activity" });
    expect(effectiveQuery({ owner: "me" }, parseFilters(""))).toEqual({ owner: "me" }); // newest: the default
    expect(parseFilters("sort=activity").sort).toBe("last_activity"); // Old links still work.
    expect(filtersToSearch(parseFilters("sort=oldest"))).toBe("?sort=oldest");
  });

  it("adds a ticket that now belongs only where its place is known", () => {
    const mine = { owner: "me" as const, status: "open" as const };
    const loaded = [t({ id: 12, owner: ANA.id, status: "open" }), t({ id: 4, owner: ANA.id, status: "open" })];
    const taken = t({ id: 9, owner: ANA.id, status: "open" });
    expect(applyChange(loaded, taken, { ...mine, sort: "priority" }, ANA.id).map((x) => x.id)).toEqual([12, 4]);
    const gone = t({ id: 12, owner: ANA.id, status: "pending" });
    expect(applyChange(loaded, gone, { ...mine, sort: "priority" }, ANA.id).map((x) => x.id)).toEqual([4]);
  });

  it("moves a changed ticket in or out of a loaded list", () => {
    const unowned = { owner: "none" as const, status: "new" as const };
    const list = [t({ id: 12 }), t({ id: 9 }), t({ id: 4 })];
    const taken = t({ id: 9, owner: ANA.id, status: "open" });
    expect(applyChange(list, taken, unowned, ANA.id).map((x) => x.id)).toEqual([12, 4]);
    const mine = { owner: "me" as const, status: "open" as const };
    const loaded = [t({ id: 12, owner: ANA.id, status: "open" }), t({ id: 4, owner: ANA.id, status: "open" })];
    expect(applyChange(loaded, taken, mine, ANA.id).map((x) => x.id)).toEqual([12, 9, 4]);
    expect(applyChange(loaded, t({ id: 12, owner: ANA.id, status: "open", priority: "urgent" }), mine, ANA.id)[0].priority).toBe("urgent");
    expect(matchesQuery({ q: "vat" }, taken, ANA.id)).toBeNull();
  });
});

describe("actions offered", () => {
  it("follow the API's rules", () => {
    expect(actionsFor(ticket(), BEN)).toMatchObject({ take: true, handoff: false, resolve: true, reopen: false });
    const bens = ticket({ owner: BEN.id, status: "open" });
    expect(actionsFor(bens, BEN)).toMatchObject({ take: false, handoff: true, resolve: true });
    expect(actionsFor(bens, { ...ANA, role: "agent" })).toMatchObject({ handoff: false, resolve: false });
    expect(actionsFor(bens, ANA)).toMatchObject({ handoff: true, resolve: true }); // A lead.
    const offered = ticket({
      owner: ANA.id,
      status: "open",
      pending_handoff: { id: 4, ticket_id: 9, from_agent_id: ANA.id, to_agent_id: BEN.id, note: "n", state: "proposed", created_at: "", decline_reason: null, answered_at: null },
    });
    expect(actionsFor(offered, BEN).answerHandoff).toBe(true);
    expect(actionsFor(offered, ANA)).toMatchObject({ answerHandoff: false, handoff: false });
    expect(actionsFor(ticket({ status: "resolved", owner: BEN.id }), BEN)).toMatchObject({ reopen: true, resolve: false, handoff: false });
  });
});

describe("timeline", () => {
  const names = { agent: (id: number) => (id === BEN.id ? "Ben Okafor" : "Ana Costa"), customer: () => "Maria Silva", meId: ANA.id };
  const ev = (type: string, at: string, changes: { field: string; before: string; after: string }[] = [], note = "") => ({
    id: at.length + type.length,
    ticket_id: 9,
    type,
    actor: { kind: "agent" as const, id: ANA.id },
    at,
    changes,
    note,
  });

  it("describes events in words and leaves out the ones that repeat a message", () => {
    expect(describeEvent(ev("reply_added", "t"), names)).toBeNull();
    expect(describeEvent(ev("handoff_proposed", "t", [{ field: "to_agent_id", before: "", after: "3" }], "VAT context"), names)).toBe(
      "You offered this ticket to Ben Okafor: “VAT context”",
    );
    expect(describeEvent(ev("resolved", "t", [{ field: "outcome", before: "", after: "cannot_do" }], "No CSV export."), names)).toBe(
      "You resolved it: Cannot be done: “No CSV export.”",
    );
    expect(describeEvent(ev("ticket_updated", "t", [{ field: "priority", before: "normal", after: "high" }]), names)).toBe(
      "You changed priority from normal to high",
    );
    expect(describeEvent(ev("something_new", "t"), names)).toBe("Something new (You)");
  });

  it("puts messages and events in time order", () => {
    const entries = buildTimeline(
      [message({ id: 1, created_at: "2025-03-14T09:00:00.000Z" }), message({ id: 2, kind: "reply", created_at: "2025-03-14T10:00:00.000Z" })],
      [ev("owner_taken", "2025-03-14T10:00:00.000Z"), ev("customer_message_added", "2025-03-14T09:00:00.000Z")],
      names,
    );
    expect(entries.map((e) => (e.kind === "message" ? `m${e.message.id}` : e.event.type))).toEqual(["m1", "m2", "owner_taken"]);
  });
});

describe("follow-through rates", () => {
  it("show the percentage with the counts behind it", () => {
    expect(keptRate(26, 4)).toEqual({ text: "87%", detail: "26 of 30 promises kept on time", enough: true, n: 30 });
    expect(keptRate(10, 0).text).toBe("100%");
    expect(keptRate(0, 12).text).toBe("0%");
  });

  it("never round to a claim the counts do not make", () => {
    expect(percent(299, 300)).toBe("99%"); // Not 100%: one was missed.
    expect(percent(1, 300)).toBe("<1%"); // Not 0%: one was kept.
    expect(percent(0, 0)).toBe("–");
  });

  it("say 'not enough data' with n for a small sample, and 'no data' for none", () => {
    expect(keptRate(2, 1)).toEqual({ text: "Not enough data", detail: "n = 3 settled promises (a rate needs 10)", enough: false, n: 3 });
    expect(keptRate(1, 0).detail).toBe("n = 1 settled promise (a rate needs 10)");
    expect(keptRate(0, 0)).toEqual({ text: "No data yet", detail: "n = 0 settled promises", enough: false, n: 0 });
    expect(chaseRate(1, 9).text).toBe("Not enough data");
    expect(keptRate(2, 1, 3).enough).toBe(true); // The minimum is a parameter.
  });

  it("count chases per 100 customer messages", () => {
    expect(chaseRate(3, 140)).toEqual({ text: "2.1 per 100", detail: "3 chases in 140 customer messages", enough: true, n: 140 });
    expect(chaseRate(0, 50).text).toBe("0 per 100");
    expect(chaseRate(1, 5000).text).toBe("<0.1 per 100");
    expect(chaseRate(1, 20).detail).toBe("1 chase in 20 customer messages");
  });

  it("read the period from the URL, 30 days unless 7, 30 or 90", () => {
    expect(parsePeriod("days=7")).toBe(7);
    expect(parsePeriod("days=90")).toBe(90);
    expect(parsePeriod("days=12")).toBe(30);
    expect(parsePeriod("")).toBe(30);
  });

  it("map the queue counts onto the queues", () => {
    expect(countsByQueue({ mine: 3, unowned: 0, offered: 1, waiting: 2, sla_at_risk: 5, teams: [{ team_id: 4, name: "Billing", count: 9 }] })).toEqual({
      mine: "3",
      unowned: "0",
      offered: "1",
      waiting: "2",
      sla: "5",
      "team-4": "9",
    });
    expect(parseRoute("/follow-through", "?days=7")).toEqual({ name: "follow", search: "days=7" });
  });
});
