// The customer portal's part of the browser end-to-end test (called from workspace.e2e.mjs once
// Ben has resolved the ticket as "cannot be done"):
//
//   the ticket's customer asks for a sign-in link → the link arrives by real SMTP (a tiny sink
//   below, which the server sends to) → the customer signs in through the portal with the button
//   → sees the ticket, its owner, the outcome and the plain statement → the link does not work
//   twice → another customer's ticket, opened by URL, is "not found" (and the API answers 404) →
//   the team's reply and a new ticket appear live (no reload), with the writer's name →
//   signed out, someone without an account writes through the contact form. The accessibility
//   checks of a11y.mjs run on the sign-in screens, the list and the ticket.
//
// Screenshots of the portal screens go to web/e2e/artifacts/ (phone width: customers mostly read
// mail on a phone).
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { join } from "node:path";
import { auditPage, tabThrough } from "./a11y.mjs";

// A minimal SMTP server on a free loopback port that accepts every message and keeps it. Sets
// STEADFAST_SMTP_URL and STEADFAST_SMTP_FROM in `env` (the server's environment) so the server
// sends to it; start it before the server. It does not keep the test process alive.
export async function startSmtpSink(env) {
  const messages = [];
  const waiters = new Set();
  const server = createServer((socket) => {
    socket.setEncoding("latin1");
    let buffer = "";
    let inData = false;
    let current = { from: "", to: [], data: "" };
    socket.write("220 sink.test ESMTP\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          current.data = buffer.slice(0, end).replace(/^\.\./gm, ".");
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push(current);
          for (const w of waiters) w();
          current = { from: "", to: [], data: "" };
          socket.write("250 OK: queued\r\n");
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 sink.test\r\n");
        else if (verb === "MAIL") {
          current.from = line;
          socket.write("250 OK\r\n");
        } else if (verb === "RCPT") {
          current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? "");
          socket.write("250 OK\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 End data with <CR><LF>.<CR><LF>\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 Bye\r\n");
          return;
        } else socket.write("250 OK\r\n"); // RSET, NOOP
      }
    });
    socket.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  env.STEADFAST_SMTP_URL = `smtp://127.0.0.1:${server.address().port}`;
  env.STEADFAST_SMTP_FROM = "support@help.example.com";
  return {
    messages,
    // The first message to `to` that `match`es, waiting up to `ms` for it.
    waitFor(to, match, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const look = () => {
          const m = messages.find((x) => x.to.includes(to) && match(x));
          if (!m) return false;
          waiters.delete(look);
          clearTimeout(timer);
          resolve(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`no mail to ${to} in ${ms} ms; got ${messages.length}: ${messages.map((x) => x.to).join(", ")}`));
        }, ms);
        if (!look()) waiters.add(look);
      });
    },
  };
}

// The text of a single-part message the server sent (base64 text/plain).
export function mailText(raw) {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return body;
}

export async function portalSteps({ browser, base, apiBase, token, ticketId, smtp, check, watch, artifacts }) {
  const CUSTOMER = "dana@example.net";
  const call = async (method, path, body) => {
    const res = await fetch(apiBase + "/api/v1" + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  // Another customer's ticket, which Dana must never see.
  const other = await call("POST", "/tickets", {
    subject: "Someone else's order",
    body: "Private to another customer.",
    customer: { email: "other.customer@example.org", name: "Other Customer" },
  });
  assert.equal(other.status, 201, JSON.stringify(other.json));
  const otherId = other.json.ticket.id;

  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const p = await ctx.newPage();
  watch(p, "portal");
  let link = "";

  await check("portal: the customer asks for a sign-in link by email", async () => {
    await p.goto(base + "/portal/");
    await p.getByLabel("Your email address").fill(CUSTOMER);
    await auditPage(p, "the portal's sign-in page");
    await p.screenshot({ path: join(artifacts, "11-portal-request-link.png") });
    await p.getByRole("button", { name: "Email me a sign-in link" }).click();
    await p.getByRole("status").filter({ hasText: "sign-in link is on its way" }).waitFor();
  });

  await check("portal: the link arrives by SMTP, pointing at the portal's sign-in page", async () => {
    const mail = await smtp.waitFor(CUSTOMER, (m) => /Subject: Your sign-in link/.test(m.data));
    assert.match(mail.data, /Auto-Submitted: auto-generated/);
    const text = mailText(mail.data);
    const m = /(https?:\/\/\S+)(\/portal\/sign-in#token=[A-Za-z0-9_-]+)/.exec(text);
    assert.ok(m, `no sign-in link in: ${text}`);
    // public_url defaults to the listen address, which here asked for port 0: the path is ours.
    link = base + m[2];
  });

  await check("portal: opening the link does not sign in; the button does", async () => {
    await p.goto(link);
    const button = p.getByRole("button", { name: "Sign in" });
    await button.waitFor();
    assert.equal(new URL(p.url()).hash, "", "the token leaves the address bar");
    await p.screenshot({ path: join(artifacts, "12-portal-sign-in.png") });
    await auditPage(p, "the portal's sign-in button page");
    await button.click();
    await p.locator("#mine-title").waitFor();
    const row = p.locator(".p-tickets li", { hasText: "Invoice PDF opens blank" });
    await row.locator(".p-state", { hasText: "We cannot do this." }).waitFor();
    assert.equal(await p.locator(".p-tickets li", { hasText: "Someone else's order" }).count(), 0);
    await row.locator(".p-owner", { hasText: "Ben Okafor has it" }).waitFor();
    await auditPage(p, "the portal's ticket list");
    await p.screenshot({ path: join(artifacts, "13-portal-my-tickets.png"), fullPage: true });
  });

  await check("portal: the ticket shows its owner, the outcome and the plain statement", async () => {
    await p.locator(".p-tickets a", { hasText: "Invoice PDF opens blank" }).click();
    await p.locator("h2", { hasText: "Outcome: We cannot do this" }).waitFor();
    await p.locator(".p-statement", { hasText: "old template; they stay as they are." }).waitFor();
    await p.locator(".p-outcome li", { hasText: "send the March invoice again" }).waitFor();
    await p.locator(".p-status", { hasText: "Ben Okafor looked after it." }).waitFor();
    await p.locator(".p-msg-customer", { hasText: "March invoice PDF opens blank" }).waitFor();
    // Ana wrote the first reply: her name, not "Our team", and never her email.
    await p.locator(".p-msg-reply", { hasText: "which browser and PDF viewer" }).locator(".p-muted", { hasText: "Ana Costa" }).waitFor();
    assert.equal(await p.getByText("ana@example.com").count(), 0);
    // The handoff note Ana wrote is the team's: it is nowhere on the customer's page.
    assert.equal(await p.getByText("Handoff", { exact: false }).count(), 0);
    assert.equal(new URL(p.url()).pathname, `/portal/tickets/${ticketId}`);
    await p.screenshot({ path: join(artifacts, "14-portal-ticket.png"), fullPage: true });
    await auditPage(p, "the portal's ticket page");
    await tabThrough(
      p,
      [
        { name: "the way back to the list", selector: "a[href='/portal/']" },
        { name: "the reply box", selector: "#reply-body" },
        { name: "the send button", selector: ".p-form button[type=submit]" },
      ],
      "the portal's ticket page",
    );
  });

  await check("portal: the customer replies", async () => {
    await p.getByLabel("Your message").fill("Thank you for the plain answer; please send the new PDF.");
    await p.getByRole("button", { name: "Send" }).click();
    await p.getByRole("status").filter({ hasText: "Sent" }).waitFor();
    await p.locator(".p-msg-customer", { hasText: "please send the new PDF" }).waitFor();
  });

  await check("portal: the team's reply shows live on the ticket, with its writer's name", async () => {
    const me = await call("GET", "/auth/me");
    const writer = me.json.agent.name;
    const r = await call("POST", `/tickets/${ticketId}/messages`, { kind: "reply", body: "The new PDF is on its way to you." });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const reply = p.locator(".p-msg-reply", { hasText: "The new PDF is on its way" });
    await reply.waitFor(); // No reload: the stream said so and the page fetched it again.
    await reply.locator(".p-muted", { hasText: writer }).waitFor();
    await p.getByRole("status").filter({ hasText: `New reply from ${writer}` }).waitFor();
    await auditPage(p, "the portal's ticket after a live reply");
    // Another customer's ticket changes meanwhile: nothing of it reaches this page.
    await call("POST", `/tickets/${otherId}/messages`, { kind: "reply", body: "Private answer." });
    assert.equal(await p.getByText("Private answer.").count(), 0);
  });

  await check("portal: a new ticket of the customer's shows in the open list live", async () => {
    await p.getByRole("link", { name: "← Your tickets" }).click();
    await p.locator("#mine-title").waitFor();
    const r = await call("POST", "/tickets", {
      subject: "Second invoice question",
      body: "Opened for Dana by the team.",
      customer: { email: CUSTOMER },
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const row = p.locator(".p-tickets li", { hasText: "Second invoice question" });
    await row.waitFor();
    await row.locator(".p-owner", { hasText: "Not picked up yet" }).waitFor();
    assert.equal(await p.locator(".p-tickets li", { hasText: "Someone else's order" }).count(), 0);
  });

  await check("portal: another customer's ticket by URL is 'not found', and so is its API", async () => {
    await p.goto(`${base}/portal/tickets/${otherId}`);
    await p.locator("h1", { hasText: "Ticket not found" }).waitFor();
    assert.equal(await p.getByText("Someone else's order").count(), 0);
    const status = await p.evaluate((id) => fetch(`/api/v1/tickets/${id}`).then((r) => r.status), otherId);
    assert.equal(status, 404);
    const messages = await p.evaluate((id) => fetch(`/api/v1/tickets/${id}/messages`).then((r) => r.status), otherId);
    assert.equal(messages, 404);
    await p.screenshot({ path: join(artifacts, "15-portal-not-found.png") });
  });

  await check("portal: the sign-in link works only once", async () => {
    const again = await browser.newContext();
    const q = await again.newPage();
    watch(q, "portal-again");
    await q.goto(link);
    await q.getByRole("button", { name: "Sign in" }).click();
    await q.getByRole("alert").filter({ hasText: "already used or has expired" }).waitFor();
    await again.close();
  });

  await check("portal: signing out ends the customer's session", async () => {
    await p.goto(base + "/portal/");
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.getByRole("button", { name: "Email me a sign-in link" }).waitFor();
    assert.equal(await p.evaluate(() => fetch("/api/v1/auth/me").then((r) => r.status)), 401);
  });
  await check("portal: signed out, the contact form opens a ticket and answers by email", async () => {
    await p.getByRole("link", { name: "New ticket" }).click();
    await p.getByLabel("Your email address").fill("walk.in@example.org");
    await p.getByLabel("Your name (optional)").fill("Walk In");
    await p.getByLabel("Subject").fill("Do you ship to Iceland?");
    await p.getByLabel("How can we help?").fill("I would like to order two bags.");
    await p.screenshot({ path: join(artifacts, "16-portal-contact.png"), fullPage: true });
    await auditPage(p, "the portal's contact form");
    await p.getByRole("button", { name: "Send" }).click();
    await p.getByRole("status").filter({ hasText: "we have your message" }).waitFor();
    const ack = await smtp.waitFor("walk.in@example.org", (m) => /Do you ship to Iceland/.test(mailText(m.data)));
    assert.match(ack.data, /Auto-Submitted: auto-replied/);
    const found = await call("GET", "/customers?email=walk.in@example.org");
    assert.equal(found.json.items.length, 1);
  });
  await ctx.close();
}
