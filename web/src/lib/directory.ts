// Agents, teams and customers, fetched once and shared by every screen. Ticket lists carry
// only customer_id, so names are looked up here (a few at a time) and every list re-renders
// when one arrives.
import { useEffect, useState } from "preact/hooks";
import type { Api } from "../api/client";
import type { Agent, Customer, SavedView, Team } from "../api/types";

const CONCURRENT_LOOKUPS = 4;

export class Directory {
  readonly agents = new Map<number, Agent>();
  teams: Team[] = [];
  // The agent's saved views, oldest first; null until loaded (loadViews).
  views: SavedView[] | null = null;
  private readonly customers = new Map<number, Customer | null>();
  private readonly queue: number[] = [];
  private readonly queued = new Set<number>();
  private running = 0;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly api: Api) {}

  async loadPeople(): Promise<void> {
    const [agents, teams] = await Promise.all([this.api.agents(), this.api.teams()]);
    this.agents.clear();
    for (const a of agents.items) this.agents.set(a.id, a);
    this.teams = [...teams.items].sort((a, b) => a.name.localeCompare(b.name));
    this.changed();
  }

  async loadViews(): Promise<void> {
    const r = await this.api.views();
    this.views = r.items;
    this.changed();
  }

  // Saves, renames (or re-queries) and deletes a view on the server, then tells every screen.
  // Errors (a taken name: 409; a bad query: 422) are the caller's to show.
  async saveView(name: string, query: string): Promise<SavedView> {
    const v = await this.api.createView(name, query);
    this.views = [...(this.views ?? []), v];
    this.changed();
    return v;
  }

  async updateView(id: number, change: { name?: string; query?: string }): Promise<SavedView> {
    const v = await this.api.updateView(id, change);
    this.views = (this.views ?? []).map((x) => (x.id === id ? v : x));
    this.changed();
    return v;
  }

  async deleteView(id: number): Promise<void> {
    await this.api.deleteView(id);
    this.views = (this.views ?? []).filter((x) => x.id !== id);
    this.changed();
  }

  agentName(id: number | null | undefined): string {
    if (id === null || id === undefined) return "";
    return this.agents.get(id)?.name ?? `Agent ${id}`;
  }

  teamName(id: number | null | undefined): string {
    if (id === null || id === undefined) return "";
    return this.teams.find((t) => t.id === id)?.name ?? `Team ${id}`;
  }

  // The customer if known; otherwise undefined now, and a lookup is queued.
  customer(id: number): Customer | undefined {
    const c = this.customers.get(id);
    if (c === undefined && !this.queued.has(id)) {
      this.queued.add(id);
      this.queue.push(id);
      this.pump();
    }
    return c ?? undefined;
  }

  customerName(id: number): string {
    return this.customer(id)?.name ?? "";
  }

  // Stores a customer fetched elsewhere (the ticket view) and tells the lists.
  putCustomer(c: Customer): void {
    this.customers.set(c.id, c);
    this.changed();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  private pump(): void {
    while (this.running < CONCURRENT_LOOKUPS && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.running++;
      this.api
        .customer(id)
        .then((c) => this.customers.set(id, c))
        .catch(() => this.customers.set(id, null))
        .finally(() => {
          this.running--;
          this.queued.delete(id);
          this.changedSoon();
          this.pump();
        });
    }
  }

  private changedSoon(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.changed();
    }, 16);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

// Re-renders the caller whenever the directory learns something.
export function useDirectory(dir: Directory): Directory {
  const [, setTick] = useState(0);
  useEffect(() => dir.subscribe(() => setTick((t) => t + 1)), [dir]);
  return dir;
}
