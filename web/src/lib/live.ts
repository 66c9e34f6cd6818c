// Live updates: one EventSource on GET /api/v1/stream for the whole workspace, and the small
// rules that decide what a view refreshes when an event arrives. The server sends `ticket`
// events (what happened, not the new state: views refetch what they show), `notification`s for
// the agent, `presence` of other agents on tickets, and `reset` when it could not replay what
// this tab missed (reload everything shown).
import { useEffect, useRef } from "preact/hooks";
import type { LiveNotification, LivePresence, LiveTicketEvent, Notification, Presence } from "../api/types";

export type LiveMessage =
  | { kind: "ticket"; event: LiveTicketEvent }
  | { kind: "notification"; notification: LiveNotification }
  | { kind: "presence"; presence: LivePresence }
  | { kind: "reset" } // Reload what is shown: events may have been missed.
  | { kind: "open" }; // Connected (again).

export type LiveListener = (m: LiveMessage) => void;

// The part of EventSource this code uses, so tests can hand in a fake.
export interface EventSourceLike {
  readonly readyState: number; // 0 connecting, 1 open, 2 closed
  onopen: ((e: Event) => void) | null;
  onerror: ((e: Event) => void) | null;
  addEventListener(type: string, fn: (e: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;

const defaultFactory: EventSourceFactory = (u) => new EventSource(u, { withCredentials: true });
const RETRY_MIN_MS = 3_000;
const RETRY_MAX_MS = 60_000;

// One stream with reconnects. EventSource itself reconnects after a dropped connection (and
// resumes with Last-Event-ID); when it gives up (an HTTP error such as 429 or 503) this opens a
// new one after a growing delay, and says "reset" once connected since events may be lost.
export class Live {
  private source: EventSourceLike | null = null;
  private listeners = new Set<LiveListener>();
  private retryMs = RETRY_MIN_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private recreated = false;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly factory: EventSourceFactory = defaultFactory,
  ) {}

  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (!this.stopped) return;
    if (this.factory === defaultFactory && typeof EventSource === "undefined") return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.connected = false;
  }

  private emit(m: LiveMessage): void {
    for (const fn of [...this.listeners]) fn(m);
  }

  private open(): void {
    const s = this.factory(this.url);
    this.source = s;
    s.onopen = () => {
      this.connected = true;
      this.retryMs = RETRY_MIN_MS;
      this.emit({ kind: "open" });
      if (this.recreated) this.emit({ kind: "reset" });
      this.recreated = false;
    };
    s.onerror = () => {
      this.connected = false;
      if (s.readyState !== CLOSED || this.stopped || this.source !== s) return;
      s.close();
      this.recreated = true;
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.open();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    };
    const on = <T>(type: string, wrap: (data: T, id: string) => LiveMessage) =>
      s.addEventListener(type, (e: MessageEvent) => {
        try {
          this.emit(wrap(JSON.parse(String(e.data)) as T, e.lastEventId));
        } catch {
          // A frame we do not understand is skipped, not fatal.
        }
      });
    on<Omit<LiveTicketEvent, "id">>("ticket", (d, id) => ({ kind: "ticket", event: { ...d, id: Number(id) } }));
    on<LiveNotification>("notification", (d) => ({ kind: "notification", notification: d }));
    on<LivePresence>("presence", (d) => ({ kind: "presence", presence: d }));
    on<unknown>("reset", () => ({ kind: "reset" }));
  }
}

// Calls `fn` from the latest message, through a ref, so a view's listener sees its current state.
export function useLive(live: Live | undefined, fn: LiveListener): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => live?.subscribe((m) => ref.current(m)), [live]);
}

// Runs `fn` once, `ms` after the last call: a burst of events makes one refresh.
export function debounce(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let t: ReturnType<typeof setTimeout> | null = null;
  return {
    call: () => {
      if (t !== null) clearTimeout(t);
      t = setTimeout(() => {
        t = null;
        fn();
      }, ms);
    },
    cancel: () => {
      if (t !== null) clearTimeout(t);
      t = null;
    },
  };
}

// Events that can move a ticket into or out of a queue (new, owner, offer, status, team).
const MEMBERSHIP = new Set([
  "ticket_created",
  "owner_taken",
  "handoff_proposed",
  "handoff_accepted",
  "handoff_declined",
  "handoff_withdrawn",
  "offered",
  "offer_expired",
  "reassigned",
  "resolved",
  "reopened",
  "reopened_by_customer",
  "followup_came_back",
  "followup_stayed_solved",
  "closed",
  "closed_after_outcome",
  "closed_without_answer",
  "ticket_updated",
]);

// True when a list showing `visible` tickets should refetch for `e`: it is about one of them,
// or it may bring a new one into the list.
export function listShouldRefresh(e: LiveTicketEvent, visible: ReadonlySet<number>): boolean {
  return visible.has(e.ticket_id) || MEMBERSHIP.has(e.type);
}

// True when queue counts may have changed.
export function countsShouldRefresh(e: LiveTicketEvent): boolean {
  return MEMBERSHIP.has(e.type);
}

// The open ticket refetches for any event about it that someone else caused (our own writes
// already show their result).
export function ticketShouldRefresh(e: LiveTicketEvent, openId: number, meId: number): boolean {
  return e.ticket_id === openId && !(e.actor.kind === "agent" && e.actor.id === meId);
}

// The presence list of ticket `ticketId` after message `p` (others only; `meId` never listed).
export function applyPresence(list: Presence[], p: LivePresence, ticketId: number, meId: number): Presence[] {
  if (p.ticket_id !== ticketId || p.agent.id === meId) return list;
  const rest = list.filter((x) => x.agent.id !== p.agent.id);
  if (p.state === "left") return rest;
  return [...rest, { agent: p.agent, state: p.state, expires_at: "" }];
}

// The collision warning: "Ben is typing a reply", "Ben and Cy are viewing this ticket".
export function presenceText(list: Presence[]): string | null {
  if (list.length === 0) return null;
  const join = (names: string[]) =>
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  const typing = list.filter((p) => p.state === "typing").map((p) => p.agent.name);
  const viewing = list.filter((p) => p.state !== "typing").map((p) => p.agent.name);
  const parts: string[] = [];
  if (typing.length > 0) parts.push(`${join(typing)} ${typing.length === 1 ? "is" : "are"} typing a reply`);
  if (viewing.length > 0) parts.push(`${join(viewing)} ${viewing.length === 1 ? "is" : "are"} viewing this ticket`);
  return parts.join("; ");
}

// One line for a notification in the bell's list and in a toast.
export function notificationText(n: Notification, agentName: (id: number) => string): string {
  const t = `#${n.ticket_number} ${n.subject}`;
  const who = n.actor.kind === "agent" ? agentName(n.actor.id) : n.actor.kind === "customer" ? "The customer" : "Steadfast";
  switch (n.type) {
    case "handoff_proposed":
      return `${who} offers you ${t}`;
    case "offered":
      return `Steadfast offers you ${t}`;
    case "promise_due_soon":
      return `A promise on ${t} is due soon`;
    case "promise_broken":
      return `A promise on ${t} was missed`;
    case "silence_raised":
      return `${t}: the customer has waited too long for word`;
    case "chase_received":
      return `${t}: the customer is chasing`;
    case "customer_message_added":
      return `${t}: the customer wrote`;
    case "reopened_by_customer":
    case "followup_came_back":
      return `${t} came back: it did not stay solved`;
    case "sla_warning":
      return `${t}: the SLA is at risk`;
    case "sla_breached":
      return `${t}: the SLA was breached`;
    default:
      return `${t}: ${n.type.replace(/_/g, " ")}`;
  }
}

// The list after refetching its first page (`fresh`, newest first by id): the fresh page, then
// what was loaded beyond it. When the fresh page is the whole list (`complete`), only it.
export function mergeFirstPage<T extends { id: number }>(old: T[], fresh: T[], complete: boolean): T[] {
  if (complete || fresh.length === 0) return fresh;
  const oldest = Math.min(...fresh.map((t) => t.id));
  return [...fresh, ...old.filter((t) => t.id < oldest)];
}
