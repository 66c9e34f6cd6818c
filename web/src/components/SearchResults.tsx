// Search results: best match first, each with the matching words highlighted. The highlight
// comes from the API's snippet_html, rendered through parseMarked (never as HTML).
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../api/client";
import type { SearchHit } from "../api/types";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { parseMarked } from "../lib/marks";
import { onLinkClick } from "../router";
import { Age, ErrorLine, PriorityBadge, StatusBadge } from "./Bits";

export function Snippet({ html }: { html: string }) {
  return (
    <span class="snippet">
      {parseMarked(html).map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}
    </span>
  );
}

export function SearchResults({ q, openId }: { q: string; openId: number | null }) {
  const { api, dir, me } = useWorkspace();
  useDirectory(dir);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!q.trim()) {
      setHits([]);
      return;
    }
    const ac = new AbortController();
    setHits(null);
    setError(null);
    api
      .search(q, undefined, 50, ac.signal)
      .then((r) => setHits(r.items))
      .catch((e) => {
        if (!ac.signal.aborted) setError(errorText(e));
      });
    return () => ac.abort();
  }, [api, q]);

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <header class="list-head">
        <h2 id="list-title">Search</h2>
        <p class="list-hint" aria-live="polite">
          {hits === null && !error ? `Searching for “${q}”…` : null}
          {hits !== null && q ? `${hits.length}${hits.length === 50 ? "+" : ""} result${hits.length === 1 ? "" : "s"} for “${q}”` : null}
        </p>
      </header>
      <ErrorLine text={error} />
      <ul class="ticket-list" data-nav-list aria-label="Search results">
        {(hits ?? []).map((h) => {
          const t = h.ticket;
          const owner = t.owner === null ? null : t.owner === me.id ? "You" : dir.agentName(t.owner);
          return (
            <li key={t.id} class={t.id === openId ? "row open" : "row"}>
              <a href={`/tickets/${t.id}`} data-row aria-current={t.id === openId ? "page" : undefined} onClick={onLinkClick}>
                <span class="row-line1">
                  <span class="num">#{t.number}</span>
                  <span class="subject">{t.subject}</span>
                  <PriorityBadge priority={t.priority} />
                  <span class="age">
                    <Age iso={t.created_at} />
                  </span>
                </span>
                <span class="row-snippet">
                  <Snippet html={h.snippet_html} />
                </span>
                <span class="row-line2">
                  <span class="customer">{dir.customerName(t.customer_id) || "…"}</span>
                  <span class={owner === null ? "owner nobody" : "owner"}>{owner ?? "Nobody"}</span>
                  <StatusBadge status={t.status} short />
                </span>
              </a>
            </li>
          );
        })}
      </ul>
      {hits !== null && hits.length === 0 && q ? <p class="empty">No ticket matches every word.</p> : null}
    </section>
  );
}
