// A fake of the Steadfast API for unit tests: routes "METHOD /path" to canned answers and
// records every request, so tests check what the client sent.
import { Api } from "../src/api/client";
import type { Agent, Customer, Message, Ticket } from "../src/api/types";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status?: number; json?: unknown; text?: string; type?: string };
type Handler = Answer | ((c: Call) => Answer);

export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://localhost");
    const headers = (init.headers ?? {}) as Record<string, string>;
    let body: unknown = init.body;
    if (typeof init.body === "string" && headers["Content-Type"] === "application/json") body = JSON.parse(init.body);
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const call: Call = { method: init.method ?? "GET", path, query: url.searchParams, headers, body };
    calls.push(call);
    const h = routes[`${call.method} ${path}`];
    if (!h) {
      return new Response(JSON.stringify({ type: "/problems/not-found", title: "Not Found", status: 404, detail: `no route ${call.method} ${path}` }), {
        status: 404,
        headers: { "Content-Type": "application/problem+json" },
      });
    }
    const a = typeof h === "function" ? h(call) : h;
    const status = a.status ?? 200;
    if (status === 204) return new Response(null, { status });
    const text = a.text ?? JSON.stringify(a.json ?? {});
    return new Response(text, { status, headers: { "Content-Type": a.type ?? (status >= 400 ? "application/problem+json" : "application/json") } });
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

export function makeApi(routes: Record<string, Handler>, csrf: string | null = "csrf-1") {
  const f = fakeFetch(routes);
  const api = new Api({ fetch: f.fetch });
  if (csrf) api.setCsrf(csrf);
  return { api, calls: f.calls };
}

export const ANA: Agent = {
  id: 2,
  name: "Ana Costa",
  email: "ana@example.com",
  role: "lead",
  teams: [1],
  active: true,
  created_at: "2025-03-14T09:00:00.000Z",
};

export const BEN: Agent = { ...ANA, id: 3, name: "Ben Okafor", email: "ben@example.com", role: "agent" };

export const MARIA: Customer = {
  id: 1,
  name: "Maria Silva",
  emails: ["maria@acme-logistics.example"],
  company_id: 1,
  timezone: "Europe/Lisbon",
  language: "pt-PT",
  notes: "Prefers email.",
  created_at: "2025-03-14T09:00:00.000Z",
  updated_at: "2025-03-14T09:00:00.000Z",
  version: 1,
};

export function ticket(over: Partial<Ticket> = {}): Ticket {
  return {
    id: 9,
    number: 9,
    subject: "Invoices show the wrong VAT",
    customer_id: 1,
    company_id: 1,
    owner: null,
    team_id: null,
    status: "new",
    priority: "normal",
    tags: ["billing"],
    channel: "email",
    created_at: "2025-03-14T09:00:00.000Z",
    updated_at: "2025-03-14T09:05:00.000Z",
    version: 1,
    resolution: null,
    pending_handoff: null,
    ...over,
  };
}

export function message(over: Partial<Message> = {}): Message {
  return {
    id: 1,
    ticket_id: 9,
    kind: "customer",
    author: { kind: "customer", id: 1 },
    body: "Hello",
    created_at: "2025-03-14T09:00:00.000Z",
    attachments: [],
    from_address: null,
    html: null,
    quoted: null,
    ...over,
  };
}

export function problem(status: number, detail: string, field?: string): Answer {
  return {
    status,
    json: {
      type: status === 409 ? "/problems/conflict" : "/problems/validation",
      title: status === 409 ? "Conflict" : "Validation failed",
      status,
      detail,
      ...(field ? { errors: [{ field, message: detail }] } : {}),
    },
  };
}
