// History routing for the workspace. The server answers index.html for every non-API path
// without a file extension, so these URLs survive a reload and can be shared:
//   /queues/mine  /queues/unowned  /queues/waiting  /queues/team-2  /queues/all
//   (a queue's filters and sort ride in the query: /queues/all?status=open&tag=billing&sort=age)
//   /views/12     (an agent's saved view; its filters and sort on top ride in the query too)
//   /tickets/123
//   /search?q=invoice
//   /follow-through?days=30   (the follow-through panel)
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "queue"; queue: string; filters: string }
  | { name: "ticket"; id: number }
  | { name: "search"; q: string }
  | { name: "follow"; search: string }
  | { name: "notfound"; path: string };

export const DEFAULT_PATH = "/queues/mine";

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "queue", queue: "mine", filters: "" };
  let m = /^\/queues\/([a-z0-9-]+)$/.exec(path);
  if (m) return { name: "queue", queue: m[1], filters: search.replace(/^\?/, "") };
  m = /^\/views\/([1-9][0-9]{0,17})$/.exec(path);
  if (m) return { name: "queue", queue: `view-${m[1]}`, filters: search.replace(/^\?/, "") };
  m = /^\/tickets\/([1-9][0-9]{0,17})$/.exec(path);
  if (m) return { name: "ticket", id: Number(m[1]) };
  if (path === "/follow-through") return { name: "follow", search: search.replace(/^\?/, "") };
  if (path === "/search") {
    return { name: "search", q: new URLSearchParams(search).get("q") ?? "" };
  }
  return { name: "notfound", path };
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

if (typeof window !== "undefined") {
  window.addEventListener("popstate", notify);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const here = location.pathname + location.search;
  if (to === here) return;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  notify();
}

export function currentRoute(): Route {
  return parseRoute(location.pathname, location.search);
}

// The current route; re-renders the caller when it changes.
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return route;
}

// The current path with its query; re-renders the caller when it changes (for a page that
// routes its own paths: the customer portal).
export function usePath(): string {
  const [path, setPath] = useState(() => location.pathname + location.search);
  useEffect(() => {
    const update = () => setPath(location.pathname + location.search);
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return path;
}

// For an <a href> inside the app: a plain left click navigates without a page load; a click
// with a modifier (new tab, new window) is left to the browser.
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return;
  }
  const a = (e.currentTarget as HTMLElement).closest("a");
  if (!a || a.target || !a.href) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}
