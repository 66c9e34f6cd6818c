import { describe, expect, it } from "vitest";
import type { SlaPolicies, TicketSla } from "../src/api/types";
import { inSlaQueue, policyTargetsText, slaAlarm, slaLine, span, ticketSlaLine } from "../src/lib/sla";
import { describeEvent } from "../src/lib/timeline";

const NOW = Date.parse("2030-01-07T10:00:00Z");

describe("SLA deadlines", () => {
  it("reads spans in minutes, hours and days", () => {
    expect(span(0)).toBe("0 min");
    expect(span(45 * 60_000)).toBe("45 min");
    expect(span(80 * 60_000)).toBe("1 h 20 min");
    expect(span(2 * 3600_000)).toBe("2 h");
    expect(span((3 * 24 + 4) * 3600_000)).toBe("3 d 4 h");
    expect(span(-5)).toBe("0 min");
  });

  it("says what is due, when, on business hours", () => {
    const line = slaLine({ kind: "first_reply", due_at: "2030-01-07T11:20:00Z", state: "ok" }, NOW);
    expect(line).toEqual({ tone: "ok", text: "First reply due in 1 h 20 min (business hours)", short: "1 h 20 min" });
  });

  it("is amber when warned and red when breached", () => {
    expect(slaLine({ kind: "next_reply", due_at: "2030-01-07T10:10:00Z", state: "warning" }, NOW).tone).toBe("warning");
    const late = slaLine({ kind: "resolution", due_at: "2030-01-07T08:00:00Z", state: "breached" }, NOW);
    expect(late.tone).toBe("breached");
    expect(late.text).toBe("Resolution overdue by 2 h (business hours target missed)");
    expect(late.short).toBe("2 h late");
  });

  it("reads as breached once past due, before the engine records it", () => {
    expect(slaLine({ kind: "first_reply", due_at: "2030-01-07T09:59:00Z", state: "warning" }, NOW).tone).toBe("breached");
  });

  it("shows a paused clock as waiting on the customer", () => {
    expect(slaLine({ kind: "resolution", due_at: null, state: "paused" }, NOW)).toEqual({
      tone: "paused",
      text: "Resolution paused — waiting on customer",
      short: "paused",
    });
  });

  it("shows nothing without a running clock", () => {
    expect(ticketSlaLine(undefined, NOW)).toBeNull();
    expect(ticketSlaLine({ policy: null, next: null, clocks: [] }, NOW)).toBeNull();
  });

  it("puts tickets in SLA queues as the server does", () => {
    const sla = (...states: ("ok" | "warning" | "breached" | "paused")[]): TicketSla => ({
      policy: "Standard",
      next: null,
      clocks: states.map((state) => ({ kind: "first_reply", due_at: null, warn_at: null, state, remaining_minutes: 0 })),
    });
    expect(slaAlarm(sla("ok", "warning"))).toBe("warning");
    expect(slaAlarm(sla("warning", "breached"))).toBe("breached");
    expect(slaAlarm(sla("paused"))).toBeNull();
    expect(inSlaQueue("at_risk", sla("warning"))).toBe(true);
    expect(inSlaQueue("breached", sla("warning"))).toBe(false);
    expect(inSlaQueue("warning", sla("ok"))).toBe(false);
  });

  it("tells warnings and breaches in the ticket's history", () => {
    const names = { agent: () => "Ana", customer: () => "Pat", meId: 1 };
    const event = (type: string, note: string) => ({
      id: 1,
      ticket_id: 9,
      type,
      actor: { kind: "system" as const, id: 0 },
      at: "2030-01-07T10:00:00Z",
      changes: [{ field: "kind", before: "", after: "first_reply" }],
      note,
    });
    expect(describeEvent(event("sla_warning", "First reply is due 2030-01-07T10:00:00.000Z (policy Standard, business hours)."), names)).toBe(
      "SLA warning: First reply is due 2030-01-07T10:00:00.000Z (policy Standard, business hours).",
    );
    expect(describeEvent(event("sla_breached", ""), names)).toBe("SLA breached: a deadline was missed");
  });
});

describe("policy targets", () => {
  const policies: SlaPolicies = {
    business_hours: { time_zone: "Europe/Lisbon", hours: "mon-fri 09:00-17:30", holidays: [] },
    warning: { minutes: null, percent: 80 },
    silence_minutes: { low: 4320, normal: 1440, high: 240, urgent: 60 },
    policies: [
      {
        name: "Standard",
        tags: [],
        team_id: null,
        targets: {
          low: { first_reply_minutes: null, next_reply_minutes: null, resolution_minutes: null },
          normal: { first_reply_minutes: 240, next_reply_minutes: 480, resolution_minutes: null },
          high: { first_reply_minutes: 60, next_reply_minutes: 240, resolution_minutes: 2880 },
          urgent: { first_reply_minutes: 30, next_reply_minutes: 60, resolution_minutes: 480 },
        },
      },
    ],
  };

  it("read the ticket's policy at its priority, with the business hours", () => {
    expect(policyTargetsText(policies, "Standard", "high")).toBe(
      "Standard, high priority: first reply 1 h · next reply 4 h · resolution 2 d — business hours mon-fri 09:00-17:30 (Europe/Lisbon)",
    );
    expect(policyTargetsText(policies, "Standard", "normal")).toBe(
      "Standard, normal priority: first reply 4 h · next reply 8 h — business hours mon-fri 09:00-17:30 (Europe/Lisbon)",
    );
  });

  it("say nothing for an unknown policy or one without targets", () => {
    expect(policyTargetsText(policies, "VIP", "high")).toBeNull();
    expect(policyTargetsText(policies, null, "high")).toBeNull();
    expect(policyTargetsText(policies, "Standard", "low")).toBeNull();
  });
});
