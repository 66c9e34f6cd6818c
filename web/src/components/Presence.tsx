// Collision warnings: this agent tells the server it is on a ticket (viewing, or typing a reply)
// and renews that while the ticket is open; the other agents on it are shown near the composer.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Presence as PresenceEntry, PresenceState } from "../api/types";
import { useWorkspace } from "../context";
import { applyPresence, presenceText, useLive } from "../lib/live";

const RENEW_MS = 10_000; // The server forgets a presence after 30 s without renewal.
const TYPING_FOR_MS = 8_000; // Typing this recently still counts as typing.

export function usePresence(ticketId: number): { others: PresenceEntry[]; typed: () => void } {
  const { api, me, live } = useWorkspace();
  const [others, setOthers] = useState<PresenceEntry[]>([]);
  const sent = useRef<PresenceState | null>(null);
  const lastTyped = useRef(0);

  const send = (state: PresenceState) => {
    sent.current = state;
    api
      .setPresence(ticketId, state)
      .then((r) => setOthers(r.items))
      .catch(() => {
        // Presence is a courtesy: without it the ticket still works.
      });
  };

  useEffect(() => {
    setOthers([]);
    lastTyped.current = 0;
    send("viewing");
    const timer = setInterval(() => send(Date.now() - lastTyped.current < TYPING_FOR_MS ? "typing" : "viewing"), RENEW_MS);
    return () => {
      clearInterval(timer);
      sent.current = null;
      api.setPresence(ticketId, "left").catch(() => {});
    };
  }, [api, ticketId]);

  useLive(live, (m) => {
    if (m.kind === "presence") setOthers((list) => applyPresence(list, m.presence, ticketId, me.id));
  });

  return {
    others,
    typed: () => {
      lastTyped.current = Date.now();
      if (sent.current !== "typing") send("typing");
    },
  };
}

export function PresenceLine({ others }: { others: PresenceEntry[] }) {
  const text = presenceText(others);
  return (
    <p class={text ? "presence-line" : "presence-line empty"} role="status" aria-live="polite" data-presence>
      {text ?? ""}
    </p>
  );
}
