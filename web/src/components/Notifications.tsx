// The bell in the header: how many notifications are unread, and a list of them (a handoff
// offered to me, a promise due or missed, silence, a chase, a customer who wrote or came back,
// SLA alarms). Opening one opens its ticket and marks everything up to it seen. Urgent ones
// (a missed promise, a breached SLA) also show as a quiet toast when they arrive.
import { useEffect, useRef, useState } from "preact/hooks";
import { errorText } from "../api/client";
import type { Notification } from "../api/types";
import { useWorkspace } from "../context";
import { announce } from "../lib/announce";
import { when } from "../lib/format";
import { debounce, notificationText, useLive } from "../lib/live";
import { navigate } from "../router";

const LIMIT = 30;

export function NotificationBell() {
  const { api, dir, live } = useWorkspace();
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const urgentWanted = useRef(new Set<number>());

  const load = async () => {
    try {
      const r = await api.notifications({ limit: LIMIT });
      setItems(r.items);
      setUnread(r.unread);
      setError(null);
      for (const n of r.items) {
        if (urgentWanted.current.delete(n.id)) announce(notificationText(n, (id) => dir.agentName(id)));
      }
    } catch (e) {
      setError(errorText(e));
    }
  };
  const soon = useRef(debounce(() => void load(), 300));

  useEffect(() => {
    void load();
    const d = soon.current;
    return () => d.cancel();
  }, [api]);

  useLive(live, (m) => {
    if (m.kind === "notification") {
      if (m.notification.urgent) urgentWanted.current.add(m.notification.id);
      soon.current.call();
    } else if (m.kind === "reset") {
      soon.current.call();
    }
  });

  // Escape or a click elsewhere closes the list.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => {
      if (panel.current && !panel.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const markSeen = async (upTo: number) => {
    try {
      const r = await api.markNotificationsSeen(upTo);
      setUnread(r.unread);
      setItems((old) => old.map((n) => (n.id <= r.seen_up_to ? { ...n, unread: false } : n)));
    } catch (e) {
      announce(errorText(e), "error");
    }
  };

  const label = unread > 0 ? `Notifications: ${unread >= 100 ? "100 or more" : unread} unread` : "Notifications";
  return (
    <div class="bell-wrap" ref={panel}>
      <button
        type="button"
        class={unread > 0 ? "bell unread" : "bell"}
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls="notification-list"
        onClick={() => setOpen(!open)}
        data-bell
      >
        <svg class="bell-icon" aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 ? (
          <span class="bell-count" data-bell-count>
            {unread >= 100 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div id="notification-list" class="bell-panel" role="region" aria-label="Notifications">
          <div class="bell-head">
            <h2>Notifications</h2>
            {unread > 0 && items.length > 0 ? (
              <button type="button" class="link-button" onClick={() => void markSeen(items[0].id)}>
                Mark all seen
              </button>
            ) : null}
          </div>
          {error ? <p class="error-line">{error}</p> : null}
          {items.length === 0 && !error ? <p class="quiet">Nothing yet.</p> : null}
          <ul class="plain bell-items">
            {items.map((n) => (
              <li key={n.id}>
                <a
                  href={`/tickets/${n.ticket_id}`}
                  class={`bell-item${n.unread ? " unread" : ""}${n.urgent ? " urgent" : ""}`}
                  data-notification={n.type}
                  onClick={(e) => {
                    e.preventDefault();
                    setOpen(false);
                    if (n.unread) void markSeen(n.id);
                    navigate(`/tickets/${n.ticket_id}`);
                  }}
                >
                  {notificationText(n, (id) => dir.agentName(id))}
                  <time class="quiet" dateTime={n.at}>
                    {" "}
                    {when(n.at)}
                  </time>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
