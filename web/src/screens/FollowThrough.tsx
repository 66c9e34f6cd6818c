// The follow-through panel: how promises and chases went over a period (overall, per team, per
// agent for leads and admins; an agent sees their own), the promises broken and still owed, the
// tickets gone silent, and yesterday's digest. Every rate shows the counts behind it and says
// "not enough data" for a small sample (lib/rates.ts).
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../api/client";
import type { ChaseCounts, Digest, DigestLine, FollowThroughStats, PromiseCounts, Promise_, TicketListItem } from "../api/types";
import { Age, ErrorLine, PriorityBadge } from "../components/Bits";
import { useWorkspace } from "../context";
import { useDirectory } from "../lib/directory";
import { when } from "../lib/format";
import type { RateView } from "../lib/rates";
import { PERIODS, chaseRate, keptRate, parsePeriod } from "../lib/rates";
import { navigate, onLinkClick } from "../router";

interface Loaded {
  stats: FollowThroughStats;
  broken: Promise_[];
  brokenMore: boolean;
  silent: TicketListItem[];
  silentMore: boolean;
  digest: Digest | null;
}

const LIST_LIMIT = 50;

export function FollowThrough({ search }: { search: string }) {
  const { api, dir, me } = useWorkspace();
  useDirectory(dir);
  const days = parsePeriod(search);
  const lead = me.role === "lead" || me.role === "admin";
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    setError(null);
    (async () => {
      try {
        const [stats, broken, silent, digest] = await Promise.all([
          api.followThroughStats(days, ac.signal),
          api.promises({ state: "broken", owner: lead ? undefined : "me", limit: LIST_LIMIT }, ac.signal),
          api.listTickets({ silent: true, owner: lead ? undefined : "me", sort: "oldest", limit: LIST_LIMIT }, ac.signal),
          lead ? api.digest(undefined, ac.signal) : Promise.resolve(null),
        ]);
        setData({
          stats,
          broken: broken.items,
          brokenMore: broken.next_cursor !== null,
          silent: silent.items,
          silentMore: silent.next_cursor !== null,
          digest,
        });
      } catch (e) {
        if (!ac.signal.aborted) setError(errorText(e));
      }
    })();
    return () => ac.abort();
  }, [api, days, lead]);

  useEffect(() => {
    document.title = "Follow-through · Steadfast";
  }, []);

  return (
    <section class="follow-pane" aria-labelledby="follow-title">
      <header class="follow-head">
        <h1 id="follow-title">Follow-through</h1>
        <p class="quiet">
          {lead ? "How the team keeps its word." : "How you keep your word."} Promises made and customer messages received in
          the last {days} days.
        </p>
        <nav class="period" aria-label="Period">
          {PERIODS.map((d) => (
            <a
              href={`/follow-through?days=${d}`}
              aria-current={d === days ? "page" : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/follow-through?days=${d}`, { replace: true });
              }}
            >
              {d} days
            </a>
          ))}
        </nav>
      </header>
      <ErrorLine text={error} />
      {data === null ? (
        error ? null : <p class="quiet">Loading…</p>
      ) : (
        <>
          <div class="headline">
            <Figure label="Promises kept on time" rate={keptRate(data.stats.promises.kept, data.stats.promises.missed)} />
            <Figure label="Chases per 100 customer messages" rate={chaseRate(data.stats.chases.chases, data.stats.chases.customer_messages)} lowerIsBetter />
            <div class="figure">
              <span class="figure-label">Promises owed, not yet due</span>
              <span class="figure-value">{data.stats.promises.open}</span>
            </div>
          </div>
          {lead && data.stats.teams.length > 0 ? (
            <RateTable caption="Per team" rows={data.stats.teams.map((t) => ({ key: `t${t.team_id}`, name: t.name, counts: t, chases: t.chases }))} />
          ) : null}
          {data.stats.agents.length > 0 ? (
            <RateTable
              caption={lead ? "Per agent" : "Yours"}
              rows={data.stats.agents.map((a) => ({ key: `a${a.agent_id}`, name: a.name, counts: a, chases: a.chases }))}
            />
          ) : null}

          <h2>Broken promises still owed</h2>
          {data.broken.length === 0 ? (
            <p class="quiet">None: every promise whose time came was kept or renegotiated.</p>
          ) : (
            <ul class="follow-list">
              {data.broken.map((p) => (
                <li key={p.id}>
                  <a href={`/tickets/${p.ticket_id}`} onClick={onLinkClick}>
                    “{p.text}”
                  </a>{" "}
                  <span class="quiet">
                    was due {when(p.due_at)} · {dir.agentName(p.owner_id)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {data.brokenMore ? <p class="quiet small">Showing the first {LIST_LIMIT}.</p> : null}

          <h2>Silent tickets</h2>
          {data.silent.length === 0 ? (
            <p class="quiet">None: no customer is waiting past the silence threshold.</p>
          ) : (
            <ul class="follow-list">
              {data.silent.map((t) => (
                <li key={t.id}>
                  <a href={`/tickets/${t.id}`} onClick={onLinkClick}>
                    #{t.number} {t.subject}
                  </a>{" "}
                  <PriorityBadge priority={t.priority} />{" "}
                  <span class="quiet">
                    {t.customer?.name || dir.customerName(t.customer_id)} · {t.owner === null ? "nobody owns it" : dir.agentName(t.owner)} ·{" "}
                    <Age iso={t.updated_at} prefix="active " />
                  </span>
                </li>
              ))}
            </ul>
          )}
          {data.silentMore ? <p class="quiet small">Showing the first {LIST_LIMIT}, longest silent first.</p> : null}

          {data.digest ? <DigestView d={data.digest} /> : null}
        </>
      )}
    </section>
  );
}

function Figure({ label, rate, lowerIsBetter }: { label: string; rate: RateView; lowerIsBetter?: boolean }) {
  return (
    <div class={rate.enough ? "figure" : "figure thin"} title={lowerIsBetter ? "Lower is better" : undefined}>
      <span class="figure-label">{label}</span>
      <span class="figure-value">{rate.text}</span>
      <span class="figure-detail">{rate.detail}</span>
    </div>
  );
}

interface Row {
  key: string;
  name: string;
  counts: PromiseCounts;
  chases: ChaseCounts;
}

function RateTable({ caption, rows }: { caption: string; rows: Row[] }) {
  return (
    <table class="rates">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Kept on time</th>
          <th scope="col">Owed</th>
          <th scope="col">Chases per 100</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const kept = keptRate(r.counts.kept, r.counts.missed);
          const chase = chaseRate(r.chases.chases, r.chases.customer_messages);
          return (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td class={kept.enough ? "" : "thin"}>
                {kept.text} <span class="quiet small">{kept.detail}</span>
              </td>
              <td>{r.counts.open}</td>
              <td class={chase.enough ? "" : "thin"}>
                {chase.text} <span class="quiet small">{chase.detail}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DigestLines({ title, lines }: { title: string; lines: DigestLine[] }) {
  return (
    <>
      <h3>
        {title} ({lines.length})
      </h3>
      {lines.length === 0 ? (
        <p class="quiet">None.</p>
      ) : (
        <ul class="follow-list">
          {lines.map((l) => (
            <li key={`${l.ticket_id}-${l.at}`}>
              <a href={`/tickets/${l.ticket_id}`} onClick={onLinkClick}>
                #{l.number} {l.subject}
              </a>{" "}
              <span class="quiet">
                {l.owner_name ?? "nobody owns it"}
                {l.promise ? ` · promised “${l.promise}”` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function DigestView({ d }: { d: Digest }) {
  return (
    <section class="digest" aria-labelledby="digest-title">
      <h2 id="digest-title">
        Yesterday’s digest <span class="quiet small">({d.date}, {d.time_zone})</span>
      </h2>
      {d.nothing_broke ? (
        <p>Nothing broke yesterday.</p>
      ) : (
        <>
          <DigestLines title="Broken promises" lines={d.broken_promises} />
          <DigestLines title="Silent tickets" lines={d.silent} />
          <DigestLines title="Chases" lines={d.chases} />
          {d.truncated ? <p class="quiet small">More happened than listed here.</p> : null}
        </>
      )}
    </section>
  );
}
