// The shapes of the Steadfast HTTP API (docs/openapi.json). Only what the workspace reads.

export type TicketStatus = "new" | "open" | "pending" | "resolved" | "closed";
export type Priority = "low" | "normal" | "high" | "urgent";
export type Outcome = "solved" | "workaround" | "cannot_do" | "duplicate" | "withdrawn";
export type MessageKind = "customer" | "reply" | "note" | "system";
export type Role = "agent" | "lead" | "admin";
export type Channel = "web" | "email" | "api" | "portal";

export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];
export const STATUSES: readonly TicketStatus[] = ["new", "open", "pending", "resolved", "closed"];
export const OUTCOMES: readonly Outcome[] = [
  "solved",
  "workaround",
  "cannot_do",
  "duplicate",
  "withdrawn",
];

export interface Actor {
  kind: "agent" | "customer" | "system";
  id: number;
}

export interface Resolution {
  outcome: Outcome;
  statement: string;
  alternatives: string[];
  duplicate_of: number | null;
  resolved_by: number;
  resolved_at: string;
}

export interface Handoff {
  id: number;
  ticket_id: number;
  from_agent_id: number;
  to_agent_id: number;
  note: string;
  state: "proposed" | "accepted" | "declined";
  created_at: string;
  decline_reason: string | null;
  answered_at: string | null;
}

export type SlaKind = "first_reply" | "next_reply" | "resolution";
export type SlaState = "ok" | "warning" | "breached" | "paused";

export interface SlaNext {
  kind: SlaKind;
  due_at: string | null; // null while paused
  state: SlaState;
}

export interface SlaClock extends SlaNext {
  warn_at: string | null;
  remaining_minutes: number;
}

// GET /sla/policies: the business calendar and the SLA policies in force (targets in business
// minutes; null: no target).
export interface SlaTargetMinutes {
  first_reply_minutes: number | null;
  next_reply_minutes: number | null;
  resolution_minutes: number | null;
}

export interface SlaPolicies {
  business_hours: { time_zone: string; hours: string; holidays: string[] };
  warning: { minutes: number | null; percent: number | null };
  silence_minutes: Record<Priority, number>;
  policies: { name: string; tags: string[]; team_id: number | null; targets: Record<Priority, SlaTargetMinutes> }[];
}

export interface TicketSla {
  policy: string | null;
  next: SlaNext | null;
  clocks: SlaClock[];
}

export interface TicketSummary {
  id: number;
  number: number;
  subject: string;
  customer_id: number;
  company_id: number | null;
  owner: number | null;
  team_id: number | null;
  status: TicketStatus;
  priority: Priority;
  tags: string[];
  channel: Channel;
  created_at: string;
  updated_at: string;
  version: number;
  resolution: Resolution | null;
  sla?: TicketSla; // The SLA clocks; absent from servers before SLAs.
}

// A ticket as ticket lists return it: with its customer, read with the page.
export interface TicketListItem extends TicketSummary {
  customer?: { id: number; name: string; email: string };
  owner_name?: string | null; // The owner's display name; null while nobody owns it.
}

export interface Ticket extends TicketSummary {
  pending_handoff: Handoff | null;
  owner_name?: string | null; // The owner's display name; null while nobody owns it.
  promises?: Promise_[]; // Owed to the customer: open and broken, oldest first.
}

export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  url: string;
}

export interface Message {
  id: number;
  ticket_id: number;
  kind: MessageKind;
  author: Actor;
  author_name?: string | null; // An agent author's display name (never their email); else null.
  body: string;
  created_at: string;
  attachments: Attachment[];
  from_address: string | null;
  html: string | null;
  quoted: string | null;
  chase?: boolean; // A customer message that only asks for news.
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface TicketEvent {
  id: number;
  ticket_id: number;
  type: string;
  actor: Actor;
  at: string;
  changes: FieldChange[];
  note: string;
}

export interface Customer {
  id: number;
  name: string;
  emails: string[];
  company_id: number | null;
  timezone: string;
  language: string;
  notes: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Agent {
  id: number;
  name: string;
  email: string;
  role: Role;
  teams: number[];
  active: boolean;
  created_at: string;
}

export interface Team {
  id: number;
  name: string;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface SearchHit {
  ticket: TicketSummary;
  snippet: string;
  snippet_html: string;
  score: number;
}

export interface TicketWrite {
  ticket: Ticket;
  messages: Message[];
}

export interface HandoffAnswer {
  handoff: Handoff;
  ticket: Ticket;
}

export interface LoginResult {
  agent: Agent;
  csrf_token: string;
}

export type Me = ({ kind: "agent"; agent: Agent } | { kind: "customer"; customer: Customer }) & {
  csrf_token?: string | null; // The session's token; null for API tokens.
};

export interface TicketQuery {
  status?: TicketStatus;
  owner?: "me" | "none" | number;
  offered_to?: "me" | number;
  customer?: number;
  tag?: string;
  team?: number;
  sla?: "warning" | "breached" | "at_risk";
  q?: string;
  silent?: boolean; // Only tickets whose silence was raised and not yet answered.
  sort?: TicketSort;
  limit?: number;
  cursor?: string;
}

// The orders the API lists tickets in (keyset pages in each).
export type TicketSort = "newest" | "oldest" | "last_activity" | "priority" | "sla_due";

// GET /views: an agent's own saved view of the ticket list. `query` is the list's query string
// (filters and sort, without "?"), as GET /tickets takes it.
export interface SavedView {
  id: number;
  name: string;
  query: string;
  created_at: string;
  updated_at: string;
}

// GET /queues/counts
export interface QueueCounts {
  mine: number;
  unowned: number;
  offered: number;
  waiting: number;
  sla_at_risk: number;
  teams: { team_id: number; name: string; count: number }[];
}

export interface PromiseCounts {
  kept: number;
  missed: number;
  open: number;
  kept_rate: number | null;
}

export interface ChaseCounts {
  customer_messages: number;
  chases: number;
  chase_rate: number | null;
}

// GET /stats/follow-through
export interface FollowThroughStats {
  since: string;
  days: number;
  scope: "everyone" | "self";
  promises: PromiseCounts;
  chases: ChaseCounts;
  agents: (PromiseCounts & { chases: ChaseCounts; agent_id: number; name: string })[];
  teams: (PromiseCounts & { chases: ChaseCounts; team_id: number; name: string })[];
}

export interface DigestLine {
  at: string;
  ticket_id: number;
  number: number;
  subject: string;
  owner_id: number | null;
  owner_name: string | null;
  team_id: number | null;
  promise: string | null;
  url: string;
}

// GET /digest: one day's broken promises, silences and chases (leads and admins).
export interface Digest {
  date: string;
  time_zone: string;
  from: string;
  to: string;
  teams: number[];
  broken_promises: DigestLine[];
  silent: DigestLine[];
  chases: DigestLine[];
  nothing_broke: boolean;
  truncated: boolean;
}

export interface TicketPatch {
  version: number;
  subject?: string;
  priority?: Priority;
  tags?: string[];
  team_id?: number | null;
  status?: "open" | "pending";
}

export interface NewMessage {
  kind: "reply" | "note";
  body: string;
  status?: "open" | "pending";
  files?: File[];
  promise?: { text: string; due_at: string }; // Replies only: what, and by when (ISO 8601).
  keeps_promise?: number; // Replies only: an owed promise this reply keeps.
}

export interface Promise_ {
  id: number;
  ticket_id: number;
  owner_id: number;
  text: string;
  due_at: string;
  state: "open" | "kept" | "broken";
  missed: boolean;
}

export interface PromiseQuery {
  owner?: "me" | number;
  state?: "open" | "kept" | "broken";
  ticket?: number;
  limit?: number;
  cursor?: string;
}

export interface ResolveRequest {
  outcome: Outcome;
  statement?: string;
  alternatives?: string[];
  duplicate_of?: number;
}

// Live updates (GET /api/v1/stream, server-sent events) and what rides on them.
export interface LiveTicketEvent {
  id: number; // The event id (the stream's `id:` line).
  ticket_id: number;
  type: string;
  at: string;
  actor: { kind: "agent" | "customer" | "system"; id: number };
}

export type PresenceState = "viewing" | "typing";

export interface Presence {
  agent: { id: number; name: string };
  state: PresenceState;
  expires_at: string;
}

export interface LivePresence {
  ticket_id: number;
  agent: { id: number; name: string };
  state: PresenceState | "left";
}

export interface LiveNotification {
  id: number;
  ticket_id: number;
  type: string;
  at: string;
  urgent: boolean;
}

export interface Notification {
  id: number;
  ticket_id: number;
  ticket_number: number;
  subject: string;
  type: string;
  at: string;
  actor: { kind: "agent" | "customer" | "system"; id: number };
  note: string;
  urgent: boolean;
  unread: boolean;
}

export interface NotificationList {
  items: Notification[];
  next_before: number | null;
  unread: number;
  seen_up_to: number;
}
