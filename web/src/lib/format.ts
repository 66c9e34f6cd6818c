// Times, sizes and names as an agent reads them. Pure functions; `now` is passed in for tests.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// "now", "5m", "3h", "2d", "6w": how long ago, short enough for a list column.
export function age(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const d = Math.max(0, now - t);
  if (d < MINUTE) return "now";
  if (d < HOUR) return `${Math.floor(d / MINUTE)}m`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h`;
  if (d < 14 * DAY) return `${Math.floor(d / DAY)}d`;
  if (d < 365 * DAY) return `${Math.floor(d / (7 * DAY))}w`;
  return `${Math.floor(d / (365 * DAY))}y`;
}

// The same in words for screen readers and titles: "5 minutes ago".
export function ageWords(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const d = Math.max(0, now - t);
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"} ago`;
  if (d < MINUTE) return "just now";
  if (d < HOUR) return unit(Math.floor(d / MINUTE), "minute");
  if (d < DAY) return unit(Math.floor(d / HOUR), "hour");
  if (d < 14 * DAY) return unit(Math.floor(d / DAY), "day");
  if (d < 365 * DAY) return unit(Math.floor(d / (7 * DAY)), "week");
  return unit(Math.floor(d / (365 * DAY)), "year");
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

export function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

// The time in an IANA zone ("14:05, Tue"); null when the zone is empty or unknown.
export function localTime(timeZone: string, now: number = Date.now()): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    }).format(now);
  } catch {
    return null;
  }
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export const STATUS_LABEL: Record<string, string> = {
  new: "New",
  open: "Open",
  pending: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
};

export const OUTCOME_LABEL: Record<string, string> = {
  solved: "Solved",
  workaround: "Workaround",
  cannot_do: "Cannot be done",
  duplicate: "Duplicate",
  withdrawn: "Withdrawn",
};

export function humanize(s: string): string {
  const t = s.replace(/_/g, " ");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

// Tags as the API wants them: lower case, no spaces or commas, unique, sorted.
export function parseTags(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split(/[\s,]+/)) {
    const t = raw.trim().toLowerCase();
    if (t) out.add(t);
  }
  return [...out].sort();
}
