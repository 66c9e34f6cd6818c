// A ticket's next SLA deadline: a line in the ticket view, a badge in lists. Amber when warned,
// red when breached, grey while paused (waiting on the customer). Re-rendered each minute.
import { useEffect, useState } from "preact/hooks";
import type { TicketSla } from "../api/types";
import { when } from "../lib/format";
import { ticketSlaLine } from "../lib/sla";

function useMinuteClock(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function SlaDeadline({ sla }: { sla: TicketSla | undefined }) {
  const now = useMinuteClock();
  const line = ticketSlaLine(sla, now);
  if (!line) return null;
  const due = sla?.next?.due_at;
  return (
    <p class={`sla sla-${line.tone}`} data-sla={line.tone} title={due ? `Due ${when(due)} · policy ${sla?.policy ?? ""}` : undefined}>
      {line.text}
    </p>
  );
}

export function SlaBadge({ sla }: { sla: TicketSla | undefined }) {
  const now = useMinuteClock();
  const line = ticketSlaLine(sla, now);
  if (!line) return null;
  return (
    <span class={`badge sla-badge sla-${line.tone}`} title={line.text}>
      <span class="sr-only">, SLA: </span>
      {line.short}
    </span>
  );
}
