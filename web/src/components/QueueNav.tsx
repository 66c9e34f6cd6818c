// The queues on the left, with how many tickets each holds. "Nobody owns these" turns into an
// alarm while it is not empty. Counts refresh when a live event may have changed them (once per
// burst), and when the window regains focus; every minute only without live updates.
import { useEffect, useRef, useState } from "preact/hooks";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { countsShouldRefresh, debounce, useLive } from "../lib/live";
import type { QueueDef } from "../queues";
import { ALL_QUEUE, FIXED_QUEUES, teamQueue } from "../queues";
import { onLinkClick } from "../router";

const COUNT_LIMIT = 100;
const REFRESH_MS = 60_000;

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
      const next: Record<string, string> = {};
      await Promise.all(
        FIXED_QUEUES.map(async (q) => {
          try {
            const page = await api.listTickets({ ...q.query, limit: COUNT_LIMIT });
            next[q.key] = page.next_cursor !== null ? `${COUNT_LIMIT}+` : String(page.items.length);
          } catch {
            // A count is a hint; the list itself shows the error.
          }
        }),
      );
      if (!stopped) setCounts(next);
    };
    void refresh();
    const timer = live ? null : setInterval(() => void refresh(), REFRESH_MS);
    const onFocus = () => void refresh();
    window.addEventListener("focus", onFocus);
    const soon = debounce(() => void refresh(), 500);
    refreshSoon.current = soon.call;
    return () => {
      stopped = true;
      soon.cancel();
      if (timer !== null) clearInterval(timer);
      window.removeEventListener("focus", onFocus);
    };
  }, [api, refreshKey, live]);
  useLive(live, (m) => {
    if ((m.kind === "ticket" && countsShouldRefresh(m.event)) || m.kind === "reset") refreshSoon.current();
  });

  const item = (q: QueueDef) => {
    const count = counts[q.key];
    const alarm = q.alarm && count !== undefined && count !== "0";
    return (
      <li key={q.key}>
        <a
          href={`/queues/${q.key}`}
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
      <ul class="nav-tail">{item(ALL_QUEUE)}</ul>
    </nav>
  );
}
