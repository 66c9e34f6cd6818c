import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LiveTicketEvent, Notification, Presence } from "../src/api/types";
import type { EventSourceLike, LiveMessage } from "../src/lib/live";
import {
  Live,
  applyPresence,
  countsShouldRefresh,
  debounce,
  listShouldRefresh,
  mergeFirstPage,
  notificationText,
  presenceText,
  ticketShouldRefresh,
} from "../src/lib/live";

// An EventSource the test drives: open it, fail it, deliver frames.
class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;
  private handlers = new Map<string, (e: MessageEvent) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.handlers.set(type, fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event("error"));
  }
  deliver(type: string, data: unknown, id = "") {
    this.deliverRaw(type, JSON.stringify(data), id);
  }
  deliverRaw(type: string, text: string, id = "") {
    this.handlers.get(type)?.(new MessageEvent(type, { data: text, lastEventId: id }));
  }
}

const event = (over: Partial<LiveTicketEvent> = {}): LiveTicketEvent => ({
  id: 1,
  ticket_id: 7,
  type: "reply_added",
  at: "2030-01-01T00:00:00.000Z",
  actor: { kind: "agent", id: 2 },
  ...over,
});

describe("live stream client", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("turns frames into messages, with the event id from the id line", () => {
    const sources: FakeSource[] = [];
    const live = new Live("/api/v1/stream", (u) => {
      const s = new FakeSource(u);
      sources.push(s);
      return s;
    });
    const got: LiveMessage[] = [];
    live.subscribe((m) => got.push(m));
    live.start();
    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe("/api/v1/stream");
    sources[0].open();
    sources[0].deliver("ticket", { ticket_id: 7, type: "ticket_created", at: "x", actor: { kind: "customer", id: 3 } }, "41");
    sources[0].deliver("presence", { ticket_id: 7, agent: { id: 2, name: "Ben" }, state: "typing" });
    sources[0].deliver("notification", { id: 41, ticket_id: 7, type: "handoff_proposed", at: "x", urgent: false });
    sources[0].deliverRaw("ticket", "not json {");
    expect(got.map((m) => m.kind)).toEqual(["open", "ticket", "presence", "notification"]);
    expect(got[1]).toEqual({ kind: "ticket", event: { id: 41, ticket_id: 7, type: "ticket_created", at: "x", actor: { kind: "customer", id: 3 } } });
  });

  it("leaves a dropped connection to EventSource, and reopens a closed one later with a reset", () => {
    const sources: FakeSource[] = [];
    const live = new Live("/s", (u) => {
      const s = new FakeSource(u);
      sources.push(s);
      return s;
    });
    const got: string[] = [];
    live.subscribe((m) => got.push(m.kind));
    live.start();
    sources[0].open();
    sources[0].fail(false); // EventSource retries on its own, resuming with Last-Event-ID.
    vi.advanceTimersByTime(120_000);
    expect(sources).toHaveLength(1);
    sources[0].fail(true); // Gave up (e.g. 503): we open a new one after a delay.
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(3_000);
    expect(sources).toHaveLength(2);
    sources[1].open();
    expect(got).toEqual(["open", "open", "reset"]);
    live.stop();
    expect(sources[1].closed).toBe(true);
    sources[1].fail(true);
    vi.advanceTimersByTime(120_000);
    expect(sources).toHaveLength(2);
  });

  it("debounces a burst into one call", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d.call();
    d.call();
    vi.advanceTimersByTime(299);
    d.call();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    d.call();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe("what an event refreshes", () => {
  it("the list: events about a ticket shown, or that may bring one in", () => {
    const shown = new Set([7, 8]);
    expect(listShouldRefresh(event({ ticket_id: 7, type: "note_added" }), shown)).toBe(true);
    expect(listShouldRefresh(event({ ticket_id: 99, type: "note_added" }), shown)).toBe(false);
    expect(listShouldRefresh(event({ ticket_id: 99, type: "handoff_proposed" }), shown)).toBe(true);
    expect(listShouldRefresh(event({ ticket_id: 99, type: "ticket_created" }), shown)).toBe(true);
  });

  it("the queue counts: only events that move tickets between queues", () => {
    expect(countsShouldRefresh(event({ type: "owner_taken" }))).toBe(true);
    expect(countsShouldRefresh(event({ type: "reply_added" }))).toBe(false);
  });

  it("the open ticket: what others did to it, not what I just did", () => {
    expect(ticketShouldRefresh(event({ ticket_id: 7 }), 7, 1)).toBe(true);
    expect(ticketShouldRefresh(event({ ticket_id: 7, actor: { kind: "agent", id: 1 } }), 7, 1)).toBe(false);
    expect(ticketShouldRefresh(event({ ticket_id: 7, actor: { kind: "customer", id: 1 } }), 7, 1)).toBe(true);
    expect(ticketShouldRefresh(event({ ticket_id: 8 }), 7, 1)).toBe(false);
  });

  it("keeps what was loaded beyond a refetched first page", () => {
    const t = (id: number) => ({ id });
    expect(mergeFirstPage([t(9), t(8), t(5), t(3)], [t(10), t(9), t(6)], false)).toEqual([t(10), t(9), t(6), t(5), t(3)]);
    expect(mergeFirstPage([t(9), t(8), t(5)], [t(10)], true)).toEqual([t(10)]);
  });
});

describe("collision warnings", () => {
  const ben = { id: 2, name: "Ben" };
  const cy = { id: 3, name: "Cy" };
  const p = (agent: { id: number; name: string }, state: "viewing" | "typing"): Presence => ({ agent, state, expires_at: "" });

  it("says who else is viewing or typing", () => {
    expect(presenceText([])).toBeNull();
    expect(presenceText([p(ben, "viewing")])).toBe("Ben is viewing this ticket");
    expect(presenceText([p(ben, "typing")])).toBe("Ben is typing a reply");
    expect(presenceText([p(ben, "viewing"), p(cy, "viewing")])).toBe("Ben and Cy are viewing this ticket");
    expect(presenceText([p(ben, "typing"), p(cy, "viewing")])).toBe("Ben is typing a reply; Cy is viewing this ticket");
  });

  it("follows arrivals, changes and departures on this ticket, never listing me", () => {
    let list: Presence[] = [];
    list = applyPresence(list, { ticket_id: 7, agent: ben, state: "viewing" }, 7, 1);
    list = applyPresence(list, { ticket_id: 8, agent: cy, state: "viewing" }, 7, 1);
    list = applyPresence(list, { ticket_id: 7, agent: { id: 1, name: "Ana" }, state: "viewing" }, 7, 1);
    expect(presenceText(list)).toBe("Ben is viewing this ticket");
    list = applyPresence(list, { ticket_id: 7, agent: ben, state: "typing" }, 7, 1);
    expect(presenceText(list)).toBe("Ben is typing a reply");
    list = applyPresence(list, { ticket_id: 7, agent: ben, state: "left" }, 7, 1);
    expect(list).toEqual([]);
  });
});

describe("notification text", () => {
  const n = (over: Partial<Notification>): Notification => ({
    id: 1,
    ticket_id: 7,
    ticket_number: 12,
    subject: "Parcel lost",
    type: "handoff_proposed",
    at: "2030-01-01T00:00:00.000Z",
    actor: { kind: "agent", id: 2 },
    note: "",
    urgent: false,
    unread: true,
    ...over,
  });
  const names = (id: number) => (id === 2 ? "Ana" : "someone");

  it("names what happened and the ticket", () => {
    expect(notificationText(n({}), names)).toBe("Ana offers you #12 Parcel lost");
    expect(notificationText(n({ type: "promise_broken", actor: { kind: "system", id: 0 } }), names)).toBe("A promise on #12 Parcel lost was missed");
    expect(notificationText(n({ type: "sla_breached" }), names)).toBe("#12 Parcel lost: the SLA was breached");
    expect(notificationText(n({ type: "something_new" }), names)).toBe("#12 Parcel lost: something new");
  });
});
