// A queue's filters and sort, as they ride in the URL query, and what they ask of the API.
import type { TicketQuery, TicketSort, TicketStatus, TicketSummary } from "../api/types";
import { STATUSES } from "../api/types";
import { inSlaQueue } from "./sla";

// The URL's ?sort= is the API's sort, so a shared link lists the same order.
export type SortKey = TicketSort;

export const SORTS: { key: SortKey; label: string }[] = [
  { key: "newest", label: "Newest first" },
  { key: "oldest", label: "Oldest first" },
  { key: "last_activity", label: "Last activity" },
  { key: "priority", label: "Priority (urgent first)" },
  { key: "sla_due", label: "SLA deadline (soonest first)" },
];

export interface ListFilters {
  status: TicketStatus | "any" | ""; // "" = the queue's own status.
  tag: string;
  q: string;
  sort: SortKey;
}

// `defaultSort`: the queue's own order, used when the URL names none.
export function parseFilters(search: string, defaultSort: SortKey = "newest"): ListFilters {
  const p = new URLSearchParams(search);
  const status = p.get("status") ?? "";
  // "activity" is how links made before the server sorted spelled last_activity.
  const raw = p.get("sort") ?? defaultSort;
  const sort = raw === "activity" ? "last_activity" : raw;
  return {
    status: status === "any" || (STATUSES as readonly string[]).includes(status) ? (status as ListFilters["status"]) : "",
    tag: p.get("tag") ?? "",
    q: p.get("q") ?? "",
    sort: SORTS.some((s) => s.key === sort) ? (sort as SortKey) : defaultSort,
  };
}

// The URL query for `f`; the sort only when it is not the queue's own (`defaultSort`).
export function filtersToSearch(f: ListFilters, defaultSort: SortKey = "newest"): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.tag) p.set("tag", f.tag);
  if (f.q) p.set("q", f.q);
  if (f.sort !== defaultSort) p.set("sort", f.sort);
  const s = p.toString();
  return s ? `?${s}` : "";
}

// The API query for a queue with filters applied on top (the filter's status wins).
export function effectiveQuery(base: TicketQuery, f: ListFilters): TicketQuery {
  const q: TicketQuery = { ...base };
  if (f.status === "any") delete q.status;
  else if (f.status) q.status = f.status;
  if (f.tag) q.tag = f.tag.trim().toLowerCase();
  if (f.q) q.q = f.q.trim();
  if (f.sort !== "newest") q.sort = f.sort;
  else delete q.sort;
  return q;
}

// The list query as a saved view keeps it: GET /tickets's query string without the page.
export function listQueryToSearch(q: TicketQuery): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === "" || k === "limit" || k === "cursor") continue;
    p.set(k, String(v));
  }
  return p.toString();
}

// A saved view's query string as the list query (what the server would refuse never gets
// saved; a parameter this client does not know is passed on as it is).
export function parseListQuery(search: string): TicketQuery {
  const q: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    if (k === "limit" || k === "cursor") continue;
    if ((k === "customer" || k === "team" || k === "owner" || k === "offered_to") && /^[1-9][0-9]*$/.test(v)) q[k] = Number(v);
    else if (k === "silent") q[k] = v === "true";
    else q[k] = v;
  }
  return q as TicketQuery;
}

// Whether a ticket belongs in a list with this query, for the fields a ticket carries (a text
// query cannot be checked here, so it answers "unknown" as null).
export function matchesQuery(q: TicketQuery, t: TicketSummary, meId: number): boolean | null {
  if (q.status && t.status !== q.status) return false;
  if (q.owner === "me" && t.owner !== meId) return false;
  if (q.owner === "none" && t.owner !== null) return false;
  if (typeof q.owner === "number" && t.owner !== q.owner) return false;
  if (q.team !== undefined && t.team_id !== q.team) return false;
  if (q.customer !== undefined && t.customer_id !== q.customer) return false;
  if (q.tag && !t.tags.includes(q.tag)) return false;
  if (q.sla && !inSlaQueue(q.sla, t.sla)) return false;
  if (q.q) return null;
  return true;
}

// The loaded list after a ticket changed: updated in place, dropped when it no longer belongs,
// or added (in newest-first place) when it now does. In another sort a ticket that now belongs
// arrives with the next refresh: its place among pages not loaded yet is the server's to say.
export function applyChange<T extends TicketSummary>(items: T[], t: TicketSummary, q: TicketQuery, meId: number): T[] {
  const i = items.findIndex((x) => x.id === t.id);
  const fits = matchesQuery(q, t, meId);
  if (i >= 0) {
    if (fits === false) return items.filter((x) => x.id !== t.id);
    const out = [...items];
    out[i] = { ...items[i], ...t }; // Keeps what only lists carry (the customer).
    return out;
  }
  if (fits !== true || (q.sort !== undefined && q.sort !== "newest")) return items;
  const at = items.findIndex((x) => x.id < t.id);
  if (at < 0) return items;  // Older than everything loaded: it arrives with a later page.
  return [...items.slice(0, at), t as T, ...items.slice(at)];
}
