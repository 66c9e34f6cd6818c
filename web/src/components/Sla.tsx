// A ticket's next SLA deadline: a line in the ticket view, a badge in lists. Amber when warned,
// red when breached, grey while paused (waiting on the customer). Re-rendered each minute.
import { useEffect, useState } from "preact/hooks";
import type { Api } from "../api/client";
import type { Priority, SlaPolicies, TicketSla } from "../api/types";
import { useWorkspace } from "../context";
import { when } from "../lib/format";
import { policyTargetsText, ticketSlaLine } from "../lib/sla";

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

// The policies change only with the server's configuration: fetched once per session.
const policiesOf = new WeakMap<Api, Promise<SlaPolicies | null>>();

function usePolicies(): SlaPolicies | null {
  const { api } = useWorkspace();
  const [policies, setPolicies] = useState<SlaPolicies | null>(null);
  useEffect(() => {
    let load = policiesOf.get(api);
    if (!load) {
      load = api.slaPolicies().catch(() => null);
      policiesOf.set(api, load);
    }
    let live = true;
    void load.then((p) => live && setPolicies(p));
    return () => {
      live = false;
    };
  }, [api]);
  return policies;
}

// What the ticket's policy promises at its priority, behind a disclosure under the deadline.
export function SlaTargets({ sla, priority }: { sla: TicketSla | undefined; priority: Priority }) {
  const policies = usePolicies();
  const text = policies && sla?.policy ? policyTargetsText(policies, sla.policy, priority) : null;
  if (!text) return null;
  return (
    <details class="sla-targets">
      <summary>SLA targets</summary>
      <p>{text}</p>
    </details>
  );
}
