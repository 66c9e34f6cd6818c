// The queues on the left, with how many tickets each holds (one call: GET /queues/counts).
// "Nobody owns these" and "SLA at risk" turn into alarms, with their counts, while not empty.
// Counts refresh with the list (each time a list loads its first page), when a live event may
// have changed them (once per burst) and when the window regains focus; every minute only
// without live updates.
import { useEffect, useRef, useState } from "preact/hooks";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { countsShouldRefresh, debounce, useLive } from "../lib/live";
import type { QueueCounts } from "../api/types";
import type { QueueDef } from "../queues";
import { ALL_QUEUE, FIXED_QUEUES, teamQueue } from "../queues";
import { onLinkClick } from "../router";

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
