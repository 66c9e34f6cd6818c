import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import type { ComposerHandle } from "../src/components/Composer";
import { EmailFrame } from "../src/components/EmailFrame";
import { Snippet } from "../src/components/SearchResults";
import { TicketList } from "../src/components/TicketList";
import { TicketView } from "../src/components/TicketView";
import { WorkspaceContext } from "../src/context";
import { currentNotice } from "../src/lib/announce";
import { Directory } from "../src/lib/directory";
import { parseFilters } from "../src/lib/listview";
import { FIXED_QUEUES } from "../src/queues";
import { FollowThrough } from "../src/screens/FollowThrough";
import { Login } from "../src/screens/Login";
import type { Agent } from "../src/api/types";
import { ANA, BEN, MARIA, makeApi, message, problem, ticket } from "./fake";

type Routes = Parameters<typeof makeApi>[0];

async function workspace(routes: Routes, me: Agent = ANA) {
  const { api, calls } = makeApi({
    "GET /agents": { json: { items: [ANA, BEN] } },
    "GET /teams": { json: { items: [{ id: 1, name: "Support", created_at: "" }] } },
    "GET /customers/1": { json: MARIA },
    "GET /customers/1/tickets": { json: { items: [], next_cursor: null } },
    ...routes,
  });
  const dir = new Directory(api);
  await dir.loadPeople();
  const wrap = (ui: preact.ComponentChildren) => <WorkspaceContext.Provider value={{ api, dir, me }}>{ui}</WorkspaceContext.Provider>;
  return { api, calls, dir, wrap };
}

function ticketRoutes(t = ticket(), extra: Routes = {}): Routes {
  return {
    "GET /tickets/9": { json: t },
    "GET /tickets/9/messages": {
      json: {
        items: [
          message({ id: 1, body: "Our invoices show 21% VAT.", quoted: "On Monday you wrote:\n> old text" }),
          message({ id: 2, kind: "reply", author: { kind: "agent", id: BEN.id }, body: "Checking with billing." }),
          message({ id: 3, kind: "note", author: { kind: "agent", id: BEN.id }, body: "Template bug, build 4.12." }),
          message({ id: 4, kind: "system", author: { kind: "system", id: 0 }, body: "We have your message." }),
          message({ id: 5, body: "Any update??", chase: true }),
        ],
      },
    },
    "GET /tickets/9/events": {
      json: {
        items: [{ id: 1, ticket_id: 9, type: "owner_taken", actor: { kind: "agent", id: BEN.id }, at: "2025-03-14T09:01:00.000Z", changes: [], note: "" }],
      },
    },
    ...extra,
  };
}

const view = (wrap: (ui: preact.ComponentChildren) => preact.JSX.Element, onChanged = vi.fn()) => {
  const handle: { current: ComposerHandle | null } = { current: null };
  render(wrap(<TicketView id={9} composer={handle} backHref="/queues/mine" onChanged={onChanged} />));
  return { handle, onChanged };
};

describe("Login", () => {
  it("shows the API's detail when sign-in fails, and signs in", async () => {
    let ok = false;
    const { api } = makeApi(
      {
        "POST /auth/login": () =>
          ok ? { json: { agent: ANA, csrf_token: "t" } } : { status: 401, json: { title: "Unauthenticated", status: 401, detail: "wrong email or password" } },
      },
      null,
    );
    const signedIn = vi.fn();
    render(<Login api={api} onSignedIn={signedIn} />);
    fireEvent.input(screen.getByLabelText("Email"), { target: { value: "ana@example.com" } });
    fireEvent.input(screen.getByLabelText("Password"), { target: { value: "nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("wrong email or password");
    ok = true;
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(signedIn).toHaveBeenCalledWith(ANA));
  });
});

describe("Snippet", () => {
  it("renders <mark> as elements and everything else as text", () => {
    const { container } = render(<Snippet html={'&lt;img src=x onerror=alert(1)&gt; <img src=y> March <mark>invoice</mark>'} />);
    expect(container.querySelectorAll("mark")).toHaveLength(1);
    expect(container.querySelector("mark")?.textContent).toBe("invoice");
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toBe("<img src=x onerror=alert(1)> <img src=y> March invoice");
  });
});

describe("EmailFrame", () => {
  it("is sandboxed without scripts and loads remote images only on request", () => {
    const { container } = render(<EmailFrame title="Email" html={'<p>Hi</p><img data-remote-src="https://cdn.example/x.png" alt="x">'} />);
    const frame = () => container.querySelector("iframe")!;
    expect(frame().getAttribute("sandbox")).not.toContain("allow-scripts");
    expect(frame().getAttribute("srcdoc")).not.toMatch(/\ssrc="https:/);
    fireEvent.click(screen.getByRole("button", { name: "Load images" }));
    expect(frame().getAttribute("srcdoc")).toContain('src="https://cdn.example/x.png"');
    expect(screen.queryByRole("button", { name: "Load images" })).toBeNull();
  });
});

describe("TicketView", () => {
  it("shows customer messages, replies, notes and events differently", async () => {
    const { wrap } = await workspace(ticketRoutes(ticket({ owner: BEN.id, status: "open" })));
    view(wrap);
    await screen.findByText("Our invoices show 21% VAT.");
    const item = (text: string) => screen.getByText(text).closest("li")!;
    expect(item("Our invoices show 21% VAT.").className).toContain("msg-customer");
    expect(item("Checking with billing.").className).toContain("msg-reply");
    expect(item("Template bug, build 4.12.").className).toContain("msg-note");
    expect(screen.getByText("Ben Okafor took ownership").closest("li")!.className).toBe("event");
    expect(screen.getByText("We have your message.").closest("details")).not.toBeNull();
    // A customer who only asked for news is marked as a chase; other messages are not.
    expect(item("Any update??").querySelector(".chase-badge")?.textContent).toBe("Chase");
    expect(item("Our invoices show 21% VAT.").querySelector(".chase-badge")).toBeNull();
    // Quoted history is behind a toggle.
    expect(screen.queryByText(/old text/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show quoted history" }));
    expect(screen.getByText(/old text/)).toBeTruthy();
    // The customer panel.
    expect(await screen.findByText("Prefers email.")).toBeTruthy();
    expect(screen.getByText(/Europe\/Lisbon/)).toBeTruthy();
  });

  it("accepts a handoff offered to me", async () => {
    const offered = ticket({
      owner: ANA.id,
      status: "open",
      pending_handoff: { id: 4, ticket_id: 9, from_agent_id: ANA.id, to_agent_id: BEN.id, note: "VAT context here", state: "proposed", created_at: "", decline_reason: null, answered_at: null },
    });
    const { wrap, calls } = await workspace(
      ticketRoutes(offered, {
        "POST /handoffs/4/accept": { json: { handoff: { ...offered.pending_handoff, state: "accepted" }, ticket: { ...offered, owner: BEN.id, pending_handoff: null, version: 2 } } },
      }),
      BEN,
    );
    const { onChanged } = view(wrap);
    expect(await screen.findByText("VAT context here")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Accept handoff" }));
    await waitFor(() => expect(screen.queryByText("VAT context here")).toBeNull());
    expect(calls.some((c) => c.method === "POST" && c.path === "/handoffs/4/accept")).toBe(true);
    expect(document.querySelector(".ticket-facts .owner")?.textContent).toBe("Owner: You");
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ owner: BEN.id }));
  });

  it("on a stale version reloads the ticket and tells the agent", async () => {
    let version = 1;
    const { wrap, calls } = await workspace({
      ...ticketRoutes(),
      "GET /tickets/9": () => ({ json: ticket({ version, tags: version > 1 ? ["billing", "vat"] : ["billing"] }) }),
      "PATCH /tickets/9": () => {
        version = 2;
        return problem(409, "ticket was changed by someone else (version 2, you sent 1); reload and retry");
      },
    });
    view(wrap);
    const priority = (await screen.findByLabelText("Priority")) as HTMLSelectElement;
    fireEvent.change(priority, { target: { value: "high" } });
    await screen.findByText("vat");
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(patch.body).toEqual({ version: 1, priority: "high" });
    expect(currentNotice()?.tone).toBe("error");
    expect(currentNotice()?.text).toBe(
      "Ticket was changed by someone else (version 2, you sent 1). The ticket has been reloaded with the latest changes: check it and try again.",
    );
  });

  it("resolving as 'cannot be done' needs the plain statement", async () => {
    const { wrap, calls } = await workspace(
      ticketRoutes(ticket({ owner: ANA.id, status: "open" }), {
        "POST /tickets/9/resolve": { json: ticket({ owner: ANA.id, status: "resolved" }) },
      }),
    );
    view(wrap);
    fireEvent.click(await screen.findByRole("button", { name: "Resolve…" }));
    fireEvent.click(screen.getByLabelText(/Cannot be done/));
    fireEvent.click(screen.getByRole("button", { name: "Resolve" }));
    expect((await screen.findByText(/the limit, plainly\.$/)).className).toBe("error-line");
    expect(calls.some((c) => c.path === "/tickets/9/resolve")).toBe(false);
    fireEvent.input(screen.getByLabelText(/What the customer is told/), { target: { value: "We cannot reissue old invoices." } });
    fireEvent.input(screen.getByLabelText(/What they can do instead/), { target: { value: "A credit note\n\nA new invoice" } });
    fireEvent.click(screen.getByRole("button", { name: "Resolve" }));
    await waitFor(() => expect(calls.some((c) => c.path === "/tickets/9/resolve")).toBe(true));
    expect(calls.find((c) => c.path === "/tickets/9/resolve")!.body).toEqual({
      outcome: "cannot_do",
      statement: "We cannot reissue old invoices.",
      alternatives: ["A credit note", "A new invoice"],
    });
  });

  it("keeps the reply draft across a remount and sends it with Ctrl+Enter", async () => {
    localStorage.setItem("sf.draft.9.reply", JSON.stringify({ body: "Hi Maria, the fixed", waiting: false }));
    const sent = message({ id: 9, kind: "reply", author: { kind: "agent", id: ANA.id }, body: "Hi Maria, the fixed invoices are attached." });
    const { wrap, calls } = await workspace(
      ticketRoutes(ticket(), {
        "POST /tickets/9/messages": { status: 201, json: { ticket: ticket({ owner: ANA.id, status: "pending", version: 2 }), messages: [sent] } },
      }),
    );
    view(wrap);
    const box = (await screen.findByLabelText("Reply to Maria Silva")) as HTMLTextAreaElement;
    expect(box.value).toBe("Hi Maria, the fixed");
    fireEvent.input(box, { target: { value: "Hi Maria, the fixed invoices are attached." } });
    expect(JSON.parse(localStorage.getItem("sf.draft.9.reply")!).body).toBe("Hi Maria, the fixed invoices are attached.");
    fireEvent.click(screen.getByLabelText("Then wait on customer"));
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });
    await screen.findByText("Hi Maria, the fixed invoices are attached.", { selector: ".msg-body" });
    expect(calls.find((c) => c.method === "POST" && c.path.endsWith("/messages"))!.body).toEqual({ kind: "reply", body: "Hi Maria, the fixed invoices are attached.", status: "pending" });
    expect(localStorage.getItem("sf.draft.9.reply")).toBeNull();
    expect(box.value).toBe("");
  });

  it("edits the customer's notes; a conflict shows theirs and keeps mine", async () => {
    let saved = 0;
    const { wrap, calls } = await workspace({
      ...ticketRoutes(),
      "GET /customers/1": () => ({ json: saved ? { ...MARIA, notes: "Call after 4pm.", version: 2 } : MARIA }),
      "PATCH /customers/1": () => {
        saved++;
        return problem(409, "customer was changed by someone else (version 2, you sent 1); reload and retry");
      },
    });
    view(wrap);
    fireEvent.click(await screen.findByRole("button", { name: "Edit notes" }));
    fireEvent.input(screen.getByLabelText("Notes about Maria Silva"), { target: { value: "Prefers email. Auditor due Friday." } });
    fireEvent.click(screen.getByRole("button", { name: "Save notes" }));
    await screen.findByText("Call after 4pm.");
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ version: 1, notes: "Prefers email. Auditor due Friday." });
    expect((screen.getByLabelText("Notes about Maria Silva") as HTMLTextAreaElement).value).toBe("Prefers email. Auditor due Friday.");
    expect(screen.getByText(/Someone else changed this customer/)).toBeTruthy();
  });

  it("says so when the ticket does not exist", async () => {
    const { wrap } = await workspace({});
    view(wrap);
    expect((await screen.findByRole("alert")).textContent).toBe("There is no ticket #9, or you may not see it.");
  });
});

describe("TicketList", () => {
  it("lists a queue with customer and owner, and pages on with the cursor", async () => {
    const page1 = [ticket({ id: 12, number: 12, subject: "Porto depot" }), ticket({ id: 9, number: 9 })];
    const page2 = [ticket({ id: 4, number: 4, subject: "Password reset", owner: BEN.id, status: "open" })];
    const { wrap, calls } = await workspace({
      "GET /tickets": (c) => ({ json: c.query.get("cursor") === "9" ? { items: page2, next_cursor: null } : { items: page1, next_cursor: "9" } }),
    });
    render(wrap(<TicketList queue={FIXED_QUEUES[1]} filters={parseFilters("")} openId={9} />));
    await screen.findByText("Porto depot");
    expect(calls.find((c) => c.path === "/tickets")!.query.get("owner")).toBe("none");
    expect(screen.getByRole("link", { current: "page" }).getAttribute("href")).toBe("/tickets/9");
    await waitFor(() => expect(screen.getAllByText("Maria Silva")).toHaveLength(2));
    expect(screen.getAllByText("Nobody")).toHaveLength(2);
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("Password reset");
    expect(screen.getByText("Ben Okafor")).toBeTruthy();
    expect(screen.getByText("3 tickets")).toBeTruthy();
  });
});

describe("TicketList sorting and the alarm", () => {
  it("asks the server for the sort, shows the customer the list carries, and counts the alarm", async () => {
    const row = { ...ticket({ id: 12, number: 12, subject: "Porto depot", customer_id: 77 }), customer: { id: 77, name: "Rui Costa", email: "rui@example.pt" } };
    const { wrap, calls } = await workspace({
      "GET /tickets": { json: { items: [row], next_cursor: null } },
      "GET /queues/counts": { json: { mine: 0, unowned: 130, offered: 0, waiting: 0, sla_at_risk: 0, teams: [] } },
    });
    render(wrap(<TicketList queue={FIXED_QUEUES[1]} filters={parseFilters("sort=priority")} openId={null} />));
    await screen.findByText("Rui Costa");
    expect(calls.find((c) => c.path === "/tickets")!.query.get("sort")).toBe("priority");
    expect(screen.getByText("Rui Costa").closest("[title]")?.getAttribute("title")).toBe("rui@example.pt");
    // The alarm counts every ticket nobody owns, not only the page loaded.
    await screen.findByText("130 without an owner");
  });
});

describe("FollowThrough", () => {
  const stats = {
    since: "2025-03-01T00:00:00.000Z",
    days: 30,
    scope: "everyone",
    promises: { kept: 26, missed: 4, open: 3, kept_rate: 26 / 30 },
    chases: { customer_messages: 140, chases: 3, chase_rate: 3 / 140 },
    agents: [{ agent_id: BEN.id, name: "Ben Okafor", kept: 2, missed: 1, open: 0, kept_rate: 2 / 3, chases: { customer_messages: 5, chases: 1, chase_rate: 0.2 } }],
    teams: [{ team_id: 1, name: "Support", kept: 26, missed: 4, open: 3, kept_rate: 26 / 30, chases: { customer_messages: 140, chases: 3, chase_rate: 3 / 140 } }],
  };

  it("shows each rate with its counts, and says so when a sample is too small", async () => {
    const lead = { ...ANA, role: "lead" as const };
    const { wrap, calls } = await workspace(
      {
        "GET /stats/follow-through": { json: stats },
        "GET /promises": { json: { items: [{ id: 5, ticket_id: 9, owner_id: BEN.id, text: "send the label", due_at: "2025-03-10T09:00:00.000Z", state: "broken", missed: true }], next_cursor: null } },
        "GET /tickets": { json: { items: [{ ...ticket({ id: 9, number: 9, subject: "Where is my label" }), customer: { id: 1, name: "Maria Silva", email: "m@example.com" } }], next_cursor: null } },
        "GET /digest": { json: { date: "2025-03-13", time_zone: "UTC", from: "", to: "", teams: [], broken_promises: [], silent: [], chases: [], nothing_broke: true, truncated: false } },
      },
      lead,
    );
    render(wrap(<FollowThrough search="days=30" />));
    await screen.findByText("Per team");
    expect(screen.getAllByText("87%").length).toBe(2); // Overall, and Support's row.
    expect(screen.getAllByText("26 of 30 promises kept on time").length).toBeGreaterThan(0);
    expect(screen.getAllByText("2.1 per 100").length).toBeGreaterThan(0);
    // Ben has 3 settled promises and 5 customer messages: too few for a rate.
    expect(screen.getByText("n = 3 settled promises (a rate needs 10)")).toBeTruthy();
    expect(screen.getByText("n = 5 customer messages (a rate needs 10)")).toBeTruthy();
    expect(screen.getByText("“send the label”")).toBeTruthy();
    expect(screen.getByText("#9 Where is my label")).toBeTruthy();
    expect(screen.getByText("Nothing broke yesterday.")).toBeTruthy();
    expect(calls.find((c) => c.path === "/tickets")!.query.get("silent")).toBe("true");
    expect(calls.find((c) => c.path === "/stats/follow-through")!.query.get("days")).toBe("30");
  });

  it("shows an agent their own figures, without the digest", async () => {
    const { wrap, calls } = await workspace({
      "GET /stats/follow-through": { json: { ...stats, scope: "self", teams: [] } },
      "GET /promises": { json: { items: [], next_cursor: null } },
      "GET /tickets": { json: { items: [], next_cursor: null } },
    }, BEN);
    render(wrap(<FollowThrough search="days=7" />));
    await screen.findByText("Yours");
    expect(calls.some((c) => c.path === "/digest")).toBe(false);
    expect(calls.find((c) => c.path === "/promises")!.query.get("owner")).toBe("me");
    expect(calls.find((c) => c.path === "/stats/follow-through")!.query.get("days")).toBe("7");
  });
});
