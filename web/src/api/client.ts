// A small typed client for the Steadfast API on the same origin.
//
// - Requests go to /api/v1 with credentials "same-origin", so the browser sends the session
//   cookie (HttpOnly; this code never sees it).
// - Every write (anything but GET/HEAD) carries the session's CSRF token as X-CSRF-Token. The
//   token lives in memory only: it comes with the sign-in answer, and GET /auth/me hands it back
//   to a reloaded page or a second tab, so it is never written to storage.
// - Failures are thrown as ApiError built from the problem+json body: `detail` is what to show.
import type {
  Agent,
  Customer,
  Digest,
  FollowThroughStats,
  Handoff,
  HandoffAnswer,
  LoginResult,
  Me,
  Message,
  NewMessage,
  NotificationList,
  Page,
  Presence,
  PresenceState,
  PromiseQuery,
  Promise_,
  QueueCounts,
  ResolveRequest,
  SavedView,
  SearchHit,
  SlaPolicies,
  Team,
  Ticket,
  TicketEvent,
  TicketListItem,
  TicketPatch,
  TicketQuery,
  TicketStatus,
  TicketSummary,
  TicketWrite,
} from "./types";

// Where versions before 2026-11 kept the CSRF token; removed when found.
const LEGACY_CSRF_KEY = "sf.csrf";

// One failed call. `status` is the HTTP status, 0 when the server could not be reached.
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly field: string | null;

  constructor(status: number, type: string, title: string, detail: string, field: string | null) {
    super(detail || title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.field = field;
  }

  // Stale version or a state that does not allow the action: reload and tell the agent.
  get isConflict(): boolean {
    return this.status === 409;
  }
}

// What to show a person for any thrown value.
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.detail || e.title || `The server answered ${e.status}.`;
  if (e instanceof Error) return e.message;
  return String(e);
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions {
  query?: Query;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export interface ApiOptions {
  base?: string;
  fetch?: typeof fetch;
}

export class Api {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private csrf: string | null = null;
  // Called when a request (other than sign-in) gets 401: the session ended.
  onUnauthenticated: (() => void) | null = null;

  constructor(options: ApiOptions = {}) {
    this.base = options.base ?? "/api/v1";
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    forgetLegacyCsrf();
  }

  get hasCsrfToken(): boolean {
    return this.csrf !== null;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = options.form; // The browser sets the multipart boundary.
    }
    if (method !== "GET" && method !== "HEAD" && this.csrf) {
      headers["X-CSRF-Token"] = this.csrf;
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path + queryString(options.query), {
        method,
        headers,
        body,
        credentials: "same-origin",
        signal: options.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw new ApiError(0, "network", "Network error", "Cannot reach the server. Check the connection and try again.", null);
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!res.ok) {
      const err = problem(res.status, res.statusText, text);
      if (res.status === 401 && !path.startsWith("/auth/")) {
        this.onUnauthenticated?.();
      }
      throw err;
    }
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, "parse", "Bad answer", "The server's answer was not JSON.", null);
    }
  }

  // Auth ---------------------------------------------------------------------------------------
  async login(email: string, password: string): Promise<LoginResult> {
    const r = await this.request<LoginResult>("POST", "/auth/login", { json: { email, password } });
    this.setCsrf(r.csrf_token);
    return r;
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>("POST", "/auth/logout");
    } finally {
      this.setCsrf(null);
    }
  }

  async me(): Promise<Me> {
    const r = await this.request<Me>("GET", "/auth/me");
    // The server hands a signed-in session its CSRF token back, so a reload never needs a new
    // sign-in.
    if (typeof r.csrf_token === "string") this.setCsrf(r.csrf_token);
    return r;
  }

  setCsrf(token: string | null): void {
    this.csrf = token;
  }

  // Tickets ------------------------------------------------------------------------------------
  listTickets(q: TicketQuery, signal?: AbortSignal): Promise<Page<TicketListItem>> {
    const query: Query = { ...(q as Query), silent: q.silent === undefined ? undefined : String(q.silent) };
    return this.request("GET", "/tickets", { query, signal });
  }

  // How many tickets each of the caller's queues holds.
  queueCounts(signal?: AbortSignal): Promise<QueueCounts> {
    return this.request("GET", "/queues/counts", { signal });
  }

  // Saved views (the caller's own) ------------------------------------------------------------
  views(signal?: AbortSignal): Promise<{ items: SavedView[] }> {
    return this.request("GET", "/views", { signal });
  }

  createView(name: string, query: string): Promise<SavedView> {
    return this.request("POST", "/views", { json: { name, query } });
  }

  updateView(id: number, change: { name?: string; query?: string }): Promise<SavedView> {
    return this.request("PATCH", `/views/${id}`, { json: change });
  }

  deleteView(id: number): Promise<void> {
    return this.request("DELETE", `/views/${id}`);
  }

  // Follow-through ----------------------------------------------------------------------------
  followThroughStats(days: number, signal?: AbortSignal): Promise<FollowThroughStats> {
    return this.request("GET", "/stats/follow-through", { query: { days }, signal });
  }

  promises(q: PromiseQuery, signal?: AbortSignal): Promise<Page<Promise_>> {
    return this.request("GET", "/promises", { query: q as Query, signal });
  }

  // One day's digest (leads and admins); yesterday when `date` is not given.
  digest(date?: string, signal?: AbortSignal): Promise<Digest> {
    return this.request("GET", "/digest", { query: { date }, signal });
  }

  getTicket(id: number, signal?: AbortSignal): Promise<Ticket> {
    return this.request("GET", `/tickets/${id}`, { signal });
  }

  patchTicket(id: number, patch: TicketPatch): Promise<Ticket> {
    return this.request("PATCH", `/tickets/${id}`, { json: patch });
  }

  messages(id: number, signal?: AbortSignal): Promise<{ items: Message[] }> {
    return this.request("GET", `/tickets/${id}/messages`, { signal });
  }

  events(id: number, signal?: AbortSignal): Promise<{ items: TicketEvent[] }> {
    return this.request("GET", `/tickets/${id}/events`, { signal });
  }

  // A reply or note; with files it goes as multipart/form-data (one "files" part per file).
  postMessage(id: number, m: NewMessage): Promise<TicketWrite> {
    const path = `/tickets/${id}/messages`;
    if (m.files && m.files.length > 0) {
      const form = new FormData();
      form.append("kind", m.kind);
      form.append("body", m.body);
      if (m.status) form.append("status", m.status);
      if (m.promise) {
        form.append("promise_text", m.promise.text);
        form.append("promise_due_at", m.promise.due_at);
      }
      if (m.keeps_promise) form.append("keeps_promise", String(m.keeps_promise));
      for (const f of m.files) form.append("files", f, f.name);
      return this.request("POST", path, { form });
    }
    const json: Record<string, unknown> = { kind: m.kind, body: m.body };
    if (m.status) json.status = m.status;
    if (m.promise) json.promise = m.promise;
    if (m.keeps_promise) json.keeps_promise = m.keeps_promise;
    return this.request("POST", path, { json });
  }

  take(id: number): Promise<Ticket> {
    return this.request("POST", `/tickets/${id}/take`);
  }

  proposeHandoff(id: number, toAgentId: number, note: string): Promise<Handoff> {
    return this.request("POST", `/tickets/${id}/handoffs`, {
      json: { to_agent_id: toAgentId, note },
    });
  }

  acceptHandoff(handoffId: number): Promise<HandoffAnswer> {
    return this.request("POST", `/handoffs/${handoffId}/accept`);
  }

  declineHandoff(handoffId: number, reason: string): Promise<HandoffAnswer> {
    return this.request("POST", `/handoffs/${handoffId}/decline`, { json: { reason } });
  }

  resolve(id: number, r: ResolveRequest): Promise<Ticket> {
    return this.request("POST", `/tickets/${id}/resolve`, { json: r });
  }

  reopen(id: number): Promise<Ticket> {
    return this.request("POST", `/tickets/${id}/reopen`);
  }

  search(q: string, status?: TicketStatus, limit = 50, signal?: AbortSignal): Promise<{ items: SearchHit[] }> {
    return this.request("GET", "/search", { query: { q, status, limit }, signal });
  }

  // People -------------------------------------------------------------------------------------
  customer(id: number, signal?: AbortSignal): Promise<Customer> {
    return this.request("GET", `/customers/${id}`, { signal });
  }

  patchCustomer(id: number, patch: { version: number; notes?: string }): Promise<Customer> {
    return this.request("PATCH", `/customers/${id}`, { json: patch });
  }

  customerTickets(id: number, limit = 20, signal?: AbortSignal): Promise<Page<TicketSummary>> {
    return this.request("GET", `/customers/${id}/tickets`, { query: { limit }, signal });
  }

  agents(): Promise<{ items: Agent[] }> {
    return this.request("GET", "/agents");
  }

  slaPolicies(): Promise<SlaPolicies> {
    return this.request("GET", "/sla/policies");
  }

  teams(): Promise<{ items: Team[] }> {
    return this.request("GET", "/teams");
  }

  // The live event stream (server-sent events; the session cookie authenticates it).
  get streamUrl(): string {
    return `${this.base}/stream`;
  }

  // Says that I am on a ticket ("left" when I am not any more); answers who else is.
  setPresence(id: number, state: PresenceState | "left"): Promise<{ items: Presence[] }> {
    return this.request("POST", `/tickets/${id}/presence`, { json: { state } });
  }

  notifications(q: { limit?: number; before?: number } = {}, signal?: AbortSignal): Promise<NotificationList> {
    return this.request("GET", "/notifications", { query: q, signal });
  }

  markNotificationsSeen(upTo: number): Promise<{ seen_up_to: number; unread: number }> {
    return this.request("POST", "/notifications/seen", { json: { up_to: upTo } });
  }
}

export function queryString(q: Query | undefined): string {
  if (!q) return "";
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v !== undefined && v !== null && v !== "") p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

// An ApiError from a failed answer: the problem+json fields when the body is one, else the
// status line (a proxy's HTML error page is not shown to the agent).
function problem(status: number, statusText: string, text: string): ApiError {
  try {
    const p = JSON.parse(text) as {
      type?: string;
      title?: string;
      detail?: string;
      errors?: { field?: string }[];
    };
    if (p && typeof p === "object") {
      return new ApiError(
        status,
        p.type ?? "about:blank",
        p.title ?? statusText,
        p.detail ?? p.title ?? `The server answered ${status} ${statusText}.`,
        p.errors?.[0]?.field ?? null,
      );
    }
  } catch {
    // Not JSON: fall through.
  }
  const words = status >= 500 ? " Try again in a moment." : "";
  return new ApiError(
    status,
    "about:blank",
    statusText,
    `The server answered ${status}${statusText ? " " + statusText : ""}.${words}`,
    null,
  );
}

function forgetLegacyCsrf(): void {
  try {
    if (typeof localStorage !== "undefined") localStorage.removeItem(LEGACY_CSRF_KEY);
  } catch {
    // Storage may be blocked; then nothing was kept there either.
  }
}
