// A queue: filters, sort, and the tickets, loaded a keyset page at a time as the agent scrolls
// (or presses j past the end, or the "Load more" button). With filters or a sort of the agent's
// own, "Save view" keeps the list as a saved view (asking for a name).
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { errorText } from "../api/client";
import type { Ticket, TicketListItem } from "../api/types";
import { STATUSES } from "../api/types";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { debounce, listShouldRefresh, mergeFirstPage, useLive } from "../lib/live";
import { STATUS_LABEL } from "../lib/format";
import type { ListFilters } from "../lib/listview";
import { SORTS, applyChange, effectiveQuery, filtersToSearch, listQueryToSearch } from "../lib/listview";
import type { QueueDef } from "../queues";
import { queuePath } from "../queues";
import { navigate, onLinkClick } from "../router";
import { Age, ErrorLine, PriorityBadge, StatusBadge } from "./Bits";
import { SlaBadge } from "./Sla";

const PAGE = 50;

interface Props {
  queue: QueueDef;
  filters: ListFilters;
  openId: number | null;
}

export function TicketList({ queue, filters, openId }: Props) {
  const { api, dir, me, live } = useWorkspace();
  useDirectory(dir);
  const [items, setItems] = useState<TicketListItem[]>([]);
  const [unowned, setUnowned] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = effectiveQuery(queue.query, filters);
  const queryKey = JSON.stringify(query);
  const abort = useRef<AbortController | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const state = useRef({ cursor: null as string | null, done: false, loading: false });

  const loadPage = useCallback(
    async (first: boolean) => {
      if (!first && (state.current.done || state.current.loading)) return;
      if (first) abort.current?.abort();
      const ac = new AbortController();
      abort.current = ac;
      state.current.loading = true;
      setLoading(true);
      setError(null);
      try {
        const page = await api.listTickets(
          { ...query, limit: PAGE, cursor: first ? undefined : (state.current.cursor ?? undefined) },
          ac.signal,
        );
        if (ac.signal.aborted) return;
        state.current.cursor = page.next_cursor;
        state.current.done = page.next_cursor === null || page.items.length === 0;
        setItems((old) => (first ? page.items : dedupe(old, page.items)));
        setCursor(page.next_cursor);
        setDone(state.current.done);
        if (first) {
          // The queue counts refresh with the list (QueueNav listens).
          window.dispatchEvent(new Event("sf:list-loaded"));
          if (queue.alarm) {
            api.queueCounts(ac.signal).then(
              (n) => !ac.signal.aborted && setUnowned(n.unowned),
              () => undefined,
            );
          }
        }
      } catch (e) {
        if (ac.signal.aborted) return;
        setError(errorText(e));
      } finally {
        if (!ac.signal.aborted) {
          state.current.loading = false;
          setLoading(false);
        }
      }
    },
    [api, queryKey],
  );

  useEffect(() => {
    state.current = { cursor: null, done: false, loading: false };
    setItems([]);
    setDone(false);
    void loadPage(true);
    return () => abort.current?.abort();
  }, [loadPage]);

  // Infinite scroll: load the next page when the end of the list comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void loadPage(false);
      },
      { rootMargin: "400px 0px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [loadPage]);

  // A ticket changed in this tab (see Workspace): update, drop or add it without a reload.
  useEffect(() => {
    const onTicket = (e: Event) => {
      const t = (e as CustomEvent<Ticket>).detail;
      setItems((old) => applyChange(old, t, query, me.id));
    };
    window.addEventListener("sf:ticket", onTicket);
    return () => window.removeEventListener("sf:ticket", onTicket);
  }, [queryKey, me.id]);

  // Live updates: an event about a ticket shown, or one that may bring a ticket in, refetches
  // the first page (once per burst) and keeps what was loaded beyond it.
  const shownIds = useRef(new Set<number>());
  shownIds.current = new Set(items.map((t) => t.id));
  const refetch = useRef<ReturnType<typeof debounce> | null>(null);
  useEffect(() => {
    const d = debounce(async () => {
      if (state.current.loading) return;
      try {
        const page = await api.listTickets({ ...query, limit: PAGE });
        setItems((old) => mergeFirstPage(old, page.items, page.next_cursor === null));
      } catch {
        // The next event or the agent's own action refreshes; the list stays as it was.
      }
    }, 400);
    refetch.current = d;
    return () => d.cancel();
  }, [api, queryKey]);
  useLive(live, (m) => {
    if ((m.kind === "ticket" && listShouldRefresh(m.event, shownIds.current)) || m.kind === "reset") {
      refetch.current?.call();
    }
  });

  // j past the last row asks for more (see Workspace).
  useEffect(() => {
    const more = () => void loadPage(false);
    window.addEventListener("sf:list-end", more);
    return () => window.removeEventListener("sf:list-end", more);
  }, [loadPage]);

  const defaultSort = queue.query.sort ?? "newest";
  const setFilter = (patch: Partial<ListFilters>) => {
    navigate(`${queuePath(queue.key)}${filtersToSearch({ ...filters, ...patch }, defaultSort)}`, { replace: true });
  };
  const ownFilters = filtersToSearch(filters, defaultSort) !== "";

  const shown = items;
  const alarmCount = unowned ?? items.length;
  const statusValue = filters.status || (queue.query.status ?? "any");

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <header class="list-head">
        <h2 id="list-title">
          {queue.label}
          {queue.alarm && alarmCount > 0 ? (
            <span class="alarm-count" role="status">
              {alarmCount} without an owner
            </span>
          ) : null}
        </h2>
        <p class="list-hint">{queue.hint}</p>
        {ownFilters ? <SaveView query={listQueryToSearch(query)} /> : null}
        <details class="filters" open={ownFilters}>
          <summary>Filter and sort</summary>
          <div class="filter-grid">
            <span class="filter-field">
              <label for="filter-status">Status</label>
              <select
                id="filter-status"
                value={statusValue}
                onChange={(e) => {
                  const v = (e.currentTarget as HTMLSelectElement).value;
                  setFilter({ status: v === (queue.query.status ?? "any") ? "" : (v as ListFilters["status"]) });
                }}
              >
                <option value="any">Any</option>
                {STATUSES.map((s) => (
                  <option value={s}>{STATUS_LABEL[s]}</option>
                ))}
              </select>
            </span>
            <span class="filter-field">
              <label for="filter-sort">Sort</label>
              <select
                id="filter-sort"
                value={filters.sort}
                onChange={(e) => setFilter({ sort: (e.currentTarget as HTMLSelectElement).value as ListFilters["sort"] })}
              >
                {SORTS.map((s) => (
                  <option value={s.key}>{s.label}</option>
                ))}
              </select>
            </span>
            <form
              key={`${filters.tag}\u0000${filters.q}`}
              class="filter-text"
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget as HTMLFormElement);
                setFilter({ tag: String(f.get("tag") ?? "").trim(), q: String(f.get("q") ?? "").trim() });
              }}
            >
              <label>
                Tag
                <input name="tag" defaultValue={filters.tag} placeholder="billing" autocomplete="off" />
              </label>
              <label>
                Words
                <input name="q" defaultValue={filters.q} placeholder="in subject or messages" autocomplete="off" />
              </label>
              <button type="submit">Apply</button>
            </form>
          </div>
        </details>
      </header>
      <ErrorLine text={error} />
      <ul class="ticket-list" data-nav-list aria-label={`Tickets in ${queue.label}`} aria-busy={loading}>
        {shown.map((t) => (
          <TicketRow key={t.id} t={t} open={t.id === openId} queueKey={queue.key} />
        ))}
      </ul>
      {!loading && items.length === 0 && !error ? (
        <p class="empty">{queue.alarm ? "Every ticket has an owner." : "Nothing here."}</p>
      ) : null}
      <div ref={sentinel} class="sentinel" />
      <p class="list-foot" aria-live="polite">
        {loading ? "Loading…" : null}
        {!loading && !done && cursor !== null ? (
          <button type="button" class="link-button" onClick={() => void loadPage(false)}>
            Load more
          </button>
        ) : null}
        {!loading && done && items.length > 0 ? `${items.length} ticket${items.length === 1 ? "" : "s"}` : null}
      </p>
    </section>
  );
}

function TicketRow({ t, open, queueKey }: { t: TicketListItem; open: boolean; queueKey: string }) {
  const { dir, me } = useWorkspace();
  // The list carries the customer; the directory is the fallback for a row changed in this tab.
  const customer = t.customer?.name || dir.customerName(t.customer_id);
  const customerEmail = t.customer?.email ?? "";
  const owner = t.owner === null ? null : t.owner === me.id ? "You" : dir.agentName(t.owner);
  return (
    <li class={open ? "row open" : "row"}>
      <a
        href={`/tickets/${t.id}`}
        data-row
        data-queue={queueKey}
        aria-current={open ? "page" : undefined}
        onClick={onLinkClick}
      >
        <span class="row-line1">
          <span class="num">#{t.number}</span>
          <span class="subject">{t.subject}</span>
          <PriorityBadge priority={t.priority} />
          <SlaBadge sla={t.sla} />
          <span class="age">
            <span class="sr-only">, opened </span>
            <Age iso={t.created_at} />
          </span>
        </span>
        <span class="row-line2">
          <span class="customer" title={customerEmail || undefined}>
            <span class="sr-only">, customer </span>
            {customer || customerEmail || "…"}
          </span>
          <span class={owner === null ? "owner nobody" : "owner"}>
            <span class="sr-only">, owner </span>
            {owner ?? "Nobody"}
          </span>
          <StatusBadge status={t.status} short />
          <span class="activity">
            <span class="sr-only">, last activity </span>
            <Age iso={t.updated_at} prefix="active " />
          </span>
        </span>
      </a>
    </li>
  );
}

function dedupe(old: TicketListItem[], next: TicketListItem[]): TicketListItem[] {
  const seen = new Set(old.map((t) => t.id));
  return [...old, ...next.filter((t) => !seen.has(t.id))];
}

// "Save view": asks for a name, then keeps `query` (the list as shown) as the agent's saved view
// and opens it.
function SaveView({ query }: { query: string }) {
  const { dir } = useWorkspace();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) field.current?.focus();
    else if (wasAsking.current) button.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="save-view" ref={button} onClick={() => setAsking(true)}>
        Save view
      </button>
    );
  }
  return (
    <form
      class="save-view-form"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          setAsking(false);
        }
      }}
      onSubmit={async (e) => {
        e.preventDefault();
        const name = String(new FormData(e.currentTarget as HTMLFormElement).get("name") ?? "").trim();
        if (!name) {
          setError("Give the view a name.");
          return;
        }
        setBusy(true);
        setError(null);
        try {
          const v = await dir.saveView(name, query);
          setAsking(false);
          navigate(queuePath(`view-${v.id}`));
        } catch (err) {
          setError(errorText(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        View name
        <input name="name" ref={field} maxLength={80} autocomplete="off" />
      </label>
      <button type="submit" disabled={busy}>
        Save
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <ErrorLine text={error} />
    </form>
  );
}
