// The queues on the left, with how many tickets each holds (one call: GET /queues/counts).
// "Nobody owns these" and "SLA at risk" turn into alarms, with their counts, while not empty.
// Counts refresh with the list (each time a list loads its first page), when a live event may
// have changed them (once per burst) and when the window regains focus; every minute only
// without live updates. Below the teams, "Saved": the agent's own saved views, each renamed or
// deleted in place (buttons and a small form, so the keyboard reaches them).
import { useEffect, useRef, useState } from "preact/hooks";
import { errorText } from "../api/client";
import type { SavedView } from "../api/types";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { countsShouldRefresh, debounce, useLive } from "../lib/live";
import type { QueueCounts } from "../api/types";
import type { QueueDef } from "../queues";
import { ALL_QUEUE, FIXED_QUEUES, queuePath, teamQueue, viewQueue } from "../queues";
import { navigate, onLinkClick } from "../router";

const REFRESH_MS = 60_000;

// The count shown beside each queue, by queue key.
export function countsByQueue(n: QueueCounts): Record<string, string> {
  const out: Record<string, string> = {
    mine: String(n.mine),
    unowned: String(n.unowned),
    offered: String(n.offered),
    waiting: String(n.waiting),
    sla: String(n.sla_at_risk),
  };
  for (const t of n.teams) out[`team-${t.team_id}`] = String(t.count);
  return out;
}

interface Props {
  current: string | null;
  refreshKey: number;
  onNavigate?: () => void;
}

export function QueueNav({ current, refreshKey, onNavigate }: Props) {
  const { api, dir, live } = useWorkspace();
  useDirectory(dir);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const refreshSoon = useRef<() => void>(() => {});

  useEffect(() => {
    let stopped = false;
    const refresh = async () => {
      try {
        const n = await api.queueCounts();
        if (!stopped) setCounts(countsByQueue(n));
      } catch {
        // A count is a hint; the list itself shows the error.
      }
    };
    void refresh();
    const timer = live ? null : setInterval(() => void refresh(), REFRESH_MS);
    const onRefresh = () => void refresh();
    window.addEventListener("focus", onRefresh);
    window.addEventListener("sf:list-loaded", onRefresh);
    const soon = debounce(() => void refresh(), 500);
    refreshSoon.current = soon.call;
    return () => {
      stopped = true;
      soon.cancel();
      if (timer !== null) clearInterval(timer);
      window.removeEventListener("focus", onRefresh);
      window.removeEventListener("sf:list-loaded", onRefresh);
    };
  }, [api, refreshKey, live]);
  useEffect(() => {
    if (dir.views === null) dir.loadViews().catch(() => undefined); // The list shows its own errors.
  }, [dir]);
  useLive(live, (m) => {
    if ((m.kind === "ticket" && countsShouldRefresh(m.event)) || m.kind === "reset") refreshSoon.current();
  });

  const item = (q: QueueDef) => {
    const count = counts[q.key];
    const alarm = q.alarm && count !== undefined && count !== "0";
    return (
      <li key={q.key}>
        <a
          href={queuePath(q.key)}
          class={alarm ? "queue alarm" : "queue"}
          aria-current={current === q.key ? "page" : undefined}
          onClick={(e) => {
            onLinkClick(e);
            onNavigate?.();
          }}
          title={q.hint}
          data-queue-link={q.key}
        >
          <span class="queue-label">{q.label}</span>
          {count !== undefined ? (
            <span class="count" aria-label={alarm ? `${count} ${q.alarmLabel ?? "to act on"}` : `${count} tickets`}>
              {count}
            </span>
          ) : null}
        </a>
      </li>
    );
  };

  return (
    <nav class="queues" aria-label="Queues">
      <ul>{FIXED_QUEUES.map(item)}</ul>
      {dir.teams.length > 0 ? (
        <>
          <h2 class="nav-heading">Teams</h2>
          <ul>{dir.teams.map((t) => item(teamQueue(t)))}</ul>
        </>
      ) : null}
      {dir.views !== null && dir.views.length > 0 ? (
        <>
          <h2 class="nav-heading">Saved</h2>
          <ul aria-label="Saved views">
            {dir.views.map((v) => (
              <SavedViewItem key={v.id} view={v} current={current === `view-${v.id}`} onNavigate={onNavigate} />
            ))}
          </ul>
        </>
      ) : null}
      <ul class="nav-tail">
        {item(ALL_QUEUE)}
        <li>
          <a
            href="/follow-through"
            class="queue"
            aria-current={current === "follow-through" ? "page" : undefined}
            onClick={(e) => {
              onLinkClick(e);
              onNavigate?.();
            }}
            title="Promise-kept and chase rates, broken promises, silent tickets"
          >
            <span class="queue-label">Follow-through</span>
          </a>
        </li>
      </ul>
    </nav>
  );
}

// One saved view in the nav: its link, and Rename / Delete (each asks before it acts).
function SavedViewItem({ view, current, onNavigate }: { view: SavedView; current: boolean; onNavigate?: () => void }) {
  const { dir } = useWorkspace();
  const [mode, setMode] = useState<"idle" | "rename" | "delete">("idle");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const q = viewQueue(view);
  // The focus follows the keyboard: into the form or the confirmation when it opens, back to the
  // button that opened it when it closes.
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const lastMode = useRef(mode);
  useEffect(() => {
    if (mode === "rename") nameField.current?.focus();
    else if (mode === "delete") confirmButton.current?.focus();
    else if (lastMode.current === "rename") renameButton.current?.focus();
    else if (lastMode.current === "delete") deleteButton.current?.focus();
    lastMode.current = mode;
  }, [mode]);
  const cancelOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      setMode("idle");
    }
  };
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setMode("idle");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="saved-view">
      <a
        href={queuePath(q.key)}
        class="queue"
        aria-current={current ? "page" : undefined}
        onClick={(e) => {
          onLinkClick(e);
          onNavigate?.();
        }}
        title={view.query ? `Saved view: ${view.query}` : "Saved view: every ticket"}
        data-queue-link={q.key}
      >
        <span class="queue-label">{view.name}</span>
      </a>
      {mode === "idle" ? (
        <span class="saved-view-actions">
          <button type="button" class="link-button" ref={renameButton} aria-label={`Rename ${view.name}`} onClick={() => setMode("rename")}>
            Rename
          </button>
          <button type="button" class="link-button" ref={deleteButton} aria-label={`Delete ${view.name}`} onClick={() => setMode("delete")}>
            Delete
          </button>
        </span>
      ) : null}
      {mode === "rename" ? (
        <form
          class="saved-view-form"
          onKeyDown={cancelOnEscape}
          onSubmit={(e) => {
            e.preventDefault();
            const name = String(new FormData(e.currentTarget as HTMLFormElement).get("name") ?? "").trim();
            if (!name) {
              setError("Give the view a name.");
              return;
            }
            void run(() => dir.updateView(view.id, { name }));
          }}
        >
          <label>
            New name
            <input name="name" ref={nameField} defaultValue={view.name} maxLength={80} autocomplete="off" />
          </label>
          <button type="submit" disabled={busy}>
            Rename
          </button>
          <button type="button" onClick={() => setMode("idle")}>
            Cancel
          </button>
        </form>
      ) : null}
      {mode === "delete" ? (
        <span class="saved-view-form" role="group" aria-label={`Delete ${view.name}?`} onKeyDown={cancelOnEscape}>
          Delete “{view.name}”?{" "}
          <button
            type="button"
            disabled={busy}
            ref={confirmButton}
            onClick={() =>
              void run(async () => {
                await dir.deleteView(view.id);
                if (current) navigate("/queues/mine");
              })
            }
          >
            Delete
          </button>
          <button type="button" onClick={() => setMode("idle")}>
            Keep
          </button>
        </span>
      ) : null}
      {error ? (
        <p class="error-line" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
