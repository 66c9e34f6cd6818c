// The agent workspace: queues on the left, the list, the open ticket; search in the header;
// keyboard shortcuts everywhere.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useErrorBoundary, useRef, useState } from "preact/hooks";
import type { Ticket } from "../api/types";
import type { ComposerHandle } from "../components/Composer";
import { NotificationBell } from "../components/Notifications";
import { QueueNav } from "../components/QueueNav";
import { SearchResults } from "../components/SearchResults";
import { ShortcutsDialog } from "../components/ShortcutsDialog";
import { TicketList } from "../components/TicketList";
import { TicketView } from "../components/TicketView";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { shortcutFor } from "../lib/keys";
import { parseFilters } from "../lib/listview";
import { FIXED_QUEUES, findQueue, queuePath, viewIdOf } from "../queues";
import { navigate, onLinkClick, useRoute } from "../router";
import { FollowThrough } from "./FollowThrough";

// What the middle column shows while a ticket is open: the queue or search it was opened from.
type Source = { kind: "queue"; key: string; filters: string } | { kind: "search"; q: string };

const SOURCE_KEY = "sf.source";

function loadSource(): Source {
  try {
    const s = JSON.parse(sessionStorage.getItem(SOURCE_KEY) ?? "null") as Source | null;
    if (s && (s.kind === "queue" || s.kind === "search")) return s;
  } catch {
    // Fall through to the default.
  }
  return { kind: "queue", key: "mine", filters: "" };
}

function sourceHref(s: Source): string {
  return s.kind === "queue"
    ? `${queuePath(s.key)}${s.filters ? `?${s.filters}` : ""}`
    : `/search?q=${encodeURIComponent(s.q)}`;
}

export function Workspace({ onSignOut }: { onSignOut: () => void }) {
  const { dir, me } = useWorkspace();
  useDirectory(dir);
  const route = useRoute();
  const [source, setSource] = useState<Source>(loadSource);
  const [shortcuts, setShortcuts] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const [navRefresh, setNavRefresh] = useState(0);
  const composer = useRef<ComposerHandle | null>(null);
  const search = useRef<HTMLInputElement>(null);

  const sourceKey = route.name === "queue" ? `q:${route.queue}?${route.filters}` : route.name === "search" ? `s:${route.q}` : "";
  useEffect(() => {
    let s: Source | null = null;
    if (route.name === "queue") s = { kind: "queue", key: route.queue, filters: route.filters };
    if (route.name === "search") s = { kind: "search", q: route.q };
    if (s) {
      setSource(s);
      sessionStorage.setItem(SOURCE_KEY, JSON.stringify(s));
    }
    setNavOpen(false);
  }, [sourceKey, route.name]);

  // The tab's title names where the agent is (a ticket sets its own, see TicketView).
  useEffect(() => {
    if (route.name === "queue") document.title = `${findQueue(route.queue, dir.teams, dir.views ?? [])?.label ?? "Queue"} · Steadfast`;
    else if (route.name === "search") document.title = `Search “${route.q}” · Steadfast`;
    else if (route.name === "notfound") document.title = "Not found · Steadfast";
  }, [sourceKey, route.name, dir.teams.length, dir.views]);

  const onChanged = useCallback((t: Ticket) => {
    window.dispatchEvent(new CustomEvent("sf:ticket", { detail: t }));
    setNavRefresh((n) => n + 1);
  }, []);

  // Keyboard shortcuts (see lib/keys.ts and the "?" dialog).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector("dialog[open]")) return;
      const k = shortcutFor(e);
      if (!k) return;
      switch (k) {
        case "j":
          moveInList(1);
          break;
        case "k":
          moveInList(-1);
          break;
        case "Enter": {
          const row = document.querySelector<HTMLAnchorElement>("[data-nav-list] a[data-row][data-selected]");
          if (!row || !isVisible(row)) return;
          row.click();
          break;
        }
        case "r":
        case "n":
          if (route.name !== "ticket" || !composer.current) return;
          composer.current.focus(k === "r" ? "reply" : "note");
          break;
        case "/":
          search.current?.focus();
          search.current?.select();
          break;
        case "?":
          setShortcuts(true);
          break;
      }
      e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [route.name]);

  const openId = route.name === "ticket" ? route.id : null;
  const current: Source = route.name === "queue" ? { kind: "queue", key: route.queue, filters: route.filters } : route.name === "search" ? { kind: "search", q: route.q } : source;
  const queueKey = current.kind === "queue" ? current.key : null;

  return (
    <div class={`workspace view-${route.name}`}>
      <a class="skip" href={route.name === "ticket" ? "#main" : "#list"}>
        Skip to the {route.name === "ticket" ? "ticket" : "list"}
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-button"
          aria-expanded={navOpen}
          aria-controls="queue-nav"
          onClick={() => setNavOpen(!navOpen)}
        >
          Queues
        </button>
        <a class="brand" href="/queues/mine" onClick={onLinkClick}>
          <span class="logo" aria-hidden="true">
            ◆
          </span>{" "}
          <span class="brand-name">Steadfast</span>
        </a>
        <form
          class="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const q = search.current?.value.trim() ?? "";
            if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
          }}
        >
          <label class="sr-only" for="search-input">
            Search tickets
          </label>
          <input
            id="search-input"
            ref={search}
            type="search"
            placeholder="Search tickets  ( / )"
            defaultValue={route.name === "search" ? route.q : ""}
            key={route.name === "search" ? route.q : "none"}
            autocomplete="off"
            onKeyDown={(e) => {
              if (e.key === "Escape") (e.currentTarget as HTMLInputElement).blur();
            }}
          />
        </form>
        <button type="button" class="help-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setShortcuts(true)}>
          ?
        </button>
        <NotificationBell />
        <span class="me" title={me.email}>
          {me.name}
        </span>
        <button type="button" class="signout" onClick={onSignOut}>
          Sign out
        </button>
      </header>

      <div id="queue-nav" class={navOpen ? "nav-pane open" : "nav-pane"}>
        <QueueNav
          current={route.name === "follow" ? "follow-through" : queueKey}
          refreshKey={navRefresh}
          onNavigate={() => setNavOpen(false)}
        />
      </div>

      {route.name === "follow" ? (
        <main id="main" class="follow-col" tabIndex={-1}>
          <ErrorBoundary>
            <FollowThrough search={route.search} />
          </ErrorBoundary>
        </main>
      ) : (
        <>
      <div id="list" class="list-col" tabIndex={-1}>
        <ErrorBoundary>
          <MiddleColumn current={current} openId={openId} />
        </ErrorBoundary>
      </div>

      <main id="main" class="detail-col" tabIndex={-1}>
        {route.name === "ticket" ? (
          <ErrorBoundary key={route.id}>
            <TicketView id={route.id} composer={composer} backHref={sourceHref(source)} onChanged={onChanged} />
          </ErrorBoundary>
        ) : route.name === "notfound" ? (
          <section class="ticket-pane empty-pane" aria-labelledby="empty-title">
            <h1 id="empty-title" class="sr-only">Page not found</h1>
            <p>There is no page at {route.path}.</p>
            <a href="/queues/mine" onClick={onLinkClick}>
              Go to your tickets
            </a>
          </section>
        ) : (
          <section class="ticket-pane empty-pane" aria-labelledby="empty-title">
            {/* The page's h1 while no ticket is open (an open ticket's subject is its h1). */}
            <h1 id="empty-title" class="sr-only">No ticket open</h1>
            <p>Pick a ticket from the list.</p>
            <p class="quiet">
              <kbd>j</kbd> and <kbd>k</kbd> move, <kbd>Enter</kbd> opens, <kbd>?</kbd> shows every shortcut.
            </p>
          </section>
        )}
      </main>
        </>
      )}

      {shortcuts ? <ShortcutsDialog onClose={() => setShortcuts(false)} /> : null}
    </div>
  );
}

// A bug in one pane shows a plain message there instead of blanking the whole workspace.
function ErrorBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <section class="ticket-pane empty-pane" role="alert">
        <p>Something went wrong showing this: {String((error as Error)?.message ?? error)}</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </section>
    );
  }
  return <>{children}</>;
}

function MiddleColumn({ current, openId }: { current: Source; openId: number | null }) {
  const { dir } = useWorkspace();
  if (current.kind === "search") return <SearchResults q={current.q} openId={openId} />;
  if (viewIdOf(current.key) !== null && !findQueue(current.key, dir.teams, dir.views ?? [])) {
    // A saved view shows once the views are loaded (QueueNav loads them); one deleted meanwhile
    // says so rather than showing another queue.
    return (
      <section class="list-pane" aria-live="polite">
        <p class="empty">{dir.views === null ? "Loading your saved view…" : "This saved view does not exist (any more)."}</p>
      </section>
    );
  }
  const queue = findQueue(current.key, dir.teams, dir.views ?? []) ?? FIXED_QUEUES[0];
  return <TicketList queue={queue} filters={parseFilters(current.filters, queue.query.sort ?? "newest")} openId={openId} />;
}

function isVisible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

// j/k: focus the next or previous row of the visible list; past the end, ask for more.
export function moveInList(delta: number): void {
  const rows = Array.from(document.querySelectorAll<HTMLAnchorElement>("[data-nav-list] a[data-row]")).filter(isVisible);
  if (rows.length === 0) return;
  let i = rows.indexOf(document.activeElement as HTMLAnchorElement);
  if (i < 0) i = rows.findIndex((r) => r.hasAttribute("data-selected"));
  if (i < 0) i = rows.findIndex((r) => r.getAttribute("aria-current") === "page");
  const next = i < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + delta));
  if (delta > 0 && i >= rows.length - 2) window.dispatchEvent(new Event("sf:list-end"));
  for (const r of rows) r.removeAttribute("data-selected");
  const row = rows[next];
  row.setAttribute("data-selected", "");
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: "nearest" });
}
