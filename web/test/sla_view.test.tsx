import { render } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { SlaBadge, SlaDeadline } from "../src/components/Sla";

const inAnHour = () => new Date(Date.now() + 61 * 60_000).toISOString();

describe("SLA deadline in the ticket view and the list", () => {
  it("shows the next deadline with its state", () => {
    const { container } = render(
      <SlaDeadline sla={{ policy: "Standard", next: { kind: "first_reply", due_at: inAnHour(), state: "warning" }, clocks: [] }} />,
    );
    const line = container.querySelector("[data-sla]");
    expect(line?.getAttribute("data-sla")).toBe("warning");
    expect(line?.textContent).toMatch(/^First reply due in 1 h( 1 min)? \(business hours\)$/);
  });

  it("shows a paused clock, and nothing without one", () => {
    const paused = render(<SlaBadge sla={{ policy: "Standard", next: { kind: "resolution", due_at: null, state: "paused" }, clocks: [] }} />);
    expect(paused.container.textContent).toContain("paused");
    const none = render(<SlaDeadline sla={{ policy: null, next: null, clocks: [] }} />);
    expect(none.container.textContent).toBe("");
  });
});
