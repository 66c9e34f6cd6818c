// One place for the workspace to tell the agent what happened: a visible status line and an
// aria-live region (polite for news, assertive for errors), so screen readers hear updates.
import { useEffect, useState } from "preact/hooks";

export interface Notice {
  id: number;
  text: string;
  tone: "info" | "error";
}

let current: Notice | null = null;
let nextId = 1;
const listeners = new Set<(n: Notice | null) => void>();

export function announce(text: string, tone: Notice["tone"] = "info"): void {
  current = { id: nextId++, text, tone };
  for (const l of listeners) l(current);
}

export function currentNotice(): Notice | null {
  return current;
}

export function dismiss(): void {
  current = null;
  for (const l of listeners) l(null);
}

export function useNotice(): Notice | null {
  const [n, setN] = useState<Notice | null>(current);
  useEffect(() => {
    listeners.add(setN);
    return () => {
      listeners.delete(setN);
    };
  }, []);
  return n;
}
