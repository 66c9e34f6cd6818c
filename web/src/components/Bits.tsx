// Small pieces shared by the screens.
import type { Priority, TicketStatus } from "../api/types";
import { ageWords, age, STATUS_LABEL, when } from "../lib/format";

const STATUS_SHORT: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Waiting",
  resolved: "Resolved",
  closed: "Closed",
};

// `short` for lists: "Waiting" instead of "Waiting on customer" (the full words in the title).
export function StatusBadge({ status, short }: { status: TicketStatus; short?: boolean }) {
  const full = STATUS_LABEL[status] ?? status;
  return (
    <span class={`badge status-${status}`} title={short ? full : undefined}>
      {short ? STATUS_SHORT[status] : full}
      {short && status === "pending" ? <span class="sr-only"> on customer</span> : null}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  if (priority === "normal") return null;
  return <span class={`badge prio-${priority}`}>{priority[0].toUpperCase() + priority.slice(1)}</span>;
}

// A short age with the exact time in a tooltip and the words for screen readers.
export function Age({ iso, prefix }: { iso: string; prefix?: string }) {
  return (
    <time dateTime={iso} title={when(iso)}>
      <span aria-hidden="true">
        {prefix}
        {age(iso)}
      </span>
      <span class="sr-only">{ageWords(iso)}</span>
    </time>
  );
}

export function ErrorLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p class="error-line" role="alert">
      {text}
    </p>
  );
}
