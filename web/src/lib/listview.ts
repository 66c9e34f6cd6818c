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
];

export interface ListFilters {
  status: TicketStatus | "any" | ""; // "" = the queue's own status.
  tag: string;
  q: string;
  sort: SortKey;
}

export function parseFilters(search: string): ListFilters {
  const p = new URLSearchParams(search);
  const status = p.get("status") ?? "";
  // "activity" is how links made before the server sorted spelled last_activity.
  const raw = p.get("sort") ?? "newest";
  const sort = raw === "activity" ? "last_activity" : raw;
  return {
    status: status === "any" || (STATUSES as readonly string[]).includes(status) ? (status as ListFilters["status"]) : "",
    tag: p.get("tag") ?? "",
    q: p.get("q") ?? "",
    sort: SORTS.some((s) => s.key === sort) ? (sort as SortKey) : "newest",
  };
}

export function filtersToSearch(f: ListFilters): string {
  const p = new URLSearchParams();
  if (f.status) p.set("status", f.status);
  if (f.tag) p.set("tag", f.tag);
  if (f.q) p.set("q", f.q);
  if (f.sort !== "newest") p.set("sort", f.sort);
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
  return q;
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
