// End-to-end: the real `steadfast serve` (STEADFAST_BIN) on a fresh demo data folder and a
// free loopback port, serving web/dist with --web-root, driven by Debian's Chromium through
// playwright-core. Two agents in two browser contexts:
//
//   Ana (lead) signs in → "Nobody owns these" → opens the customer's email ticket (timed) →
//   formatted email in the sandboxed frame, images held until "Load images" → reply (draft
//   survives a reload; Ctrl+Enter sends; the reply takes ownership) → hands off to Ben with a
//   note. Ben (signed in, "Offered to me" open) sees the offer and a notification arrive live,
//   both see the collision warning on the ticket; Ben accepts, resolves as "cannot be done"
//   with the plain statement. Also:
//   search with highlighted snippets, j/k/Enter and "?", a stale edit (409) explained and
//   reloaded, a phone-width ticket, and the static files' cache headers. At the key screens the
//   accessibility checks of a11y.mjs run in the page (names, alt, tabindex, ids, landmarks,
//   contrast), and Tab from the top must reach the list, the ticket and the composer.
//
// Screenshots go to web/e2e/artifacts/. Prints the "open a ticket → conversation visible" time
// (not asserted: timings belong in benchmarks). Exits non-zero on the first failed check.
//
// SF_E2E_PREVIEW=1 serves dist with `vite preview` proxying /api instead (for working on the UI
// against a server build that cannot serve it).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { auditPage, selfTest, tabStaysInDialog, tabThrough } from "./a11y.mjs";
import { portalSteps, startSmtpSink } from "./portal-steps.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const webDir = join(here, "..");
const dist = join(webDir, "dist");
const artifacts = join(here, "artifacts");
const BIN = process.env.STEADFAST_BIN ?? "";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PASSWORD = "correct-horse-battery-staple";
const PREVIEW = process.env.SF_E2E_PREVIEW === "1";

let passed = 0;
const children = [];

function log(...a) {
  console.log(...a);
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    log(`ok   ${name}`);
  } catch (e) {
    log(`FAIL ${name}`);
    throw e;
  }
}

// The environment for the binary: `serve` rejects unknown STEADFAST_* variables, and the test
// runner's own STEADFAST_BIN is one.
function serverEnv() {
  const env = { ...process.env };
  delete env.STEADFAST_BIN;
  return env;
}

function run(args) {
  const r = spawnSync(BIN, args, { env: serverEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`steadfast ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

// Starts a process and resolves with the first stdout line that matches `re`.
function startAndWait(cmd, args, re, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
      if (process.env.SF_E2E_VERBOSE) process.stderr.write(d);
    });
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start in 30 s:\n${stderr}`)), 30_000);
    lines.on("line", (line) => {
      const m = re.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(" ")} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
}

async function api(base, token, method, path, body, type = "application/json") {
  const res = await fetch(base + "/api/v1" + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { "Content-Type": type } : {}) },
    body: body === undefined ? undefined : type === "application/json" ? JSON.stringify(body) : body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const EMAIL = [
  "From: Dana Ito <dana@example.net>",
  "To: support@help.example.com",
  "Subject: Invoice PDF opens blank",
  "Message-ID: <e2e-invoice@example.net>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "The March invoice PDF opens blank in every browser.",
  "",
  "On Mon, 3 Mar 2025, Support wrote:",
  "> Here is your invoice.",
  "--b1",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<p>The <b>March invoice</b> PDF opens blank in every browser.</p><img src="https://127.0.0.1:1/e2e-logo.png" alt="Dana\'s logo"><script>parent.document.title="pwned"</script><p onclick="alert(1)">Thanks</p><blockquote>Here is your invoice.</blockquote>',
  "--b1--",
  "",
].join("\r\n");

async function signIn(page, base, email) {
  await page.goto(base + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#list-title").waitFor();
}

async function main() {
  assert.ok(BIN && existsSync(BIN), "set STEADFAST_BIN to the steadfast binary");
  assert.ok(existsSync(join(dist, "index.html")), "web/dist is missing: run `npm run build` first");
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (scripts/bootstrap does)`);
  mkdirSync(artifacts, { recursive: true });

  const data = mkdtempSync(join(tmpdir(), "steadfast-web-e2e-"));
  let browser;
  try {
    const pwFile = join(data, "admin-password");
    writeFileSync(pwFile, PASSWORD, { mode: 0o600 });
    run(["init", "--data", data, "--admin-email", "admin@example.com", "--admin-password-file", pwFile, "--demo"]);
    const token = run(["token", "create", "--data", data, "--agent", "admin@example.com", "--label", "web e2e"]).trim();

    // The built app is served by the server itself: `--web-root` (or, from a build that has
    // only the setting, STEADFAST_WEB_ROOT).
    const serveArgs = ["serve", "--data", data, "--listen", "127.0.0.1:0"];
    const env = serverEnv();
    const smtp = await startSmtpSink(env); // Mail goes to a sink the portal steps read.
    if (!PREVIEW) {
      const help = spawnSync(BIN, ["serve", "--help"], { env, encoding: "utf8" }).stdout ?? "";
      if (help.includes("--web-root")) serveArgs.push("--web-root", dist);
      else env.STEADFAST_WEB_ROOT = dist;
    }
    const server = await startAndWait(BIN, serveArgs, /^listening on (http:\/\/[0-9.:]+)/, { env });
    const apiBase = server.match[1];
    let base = apiBase;
    if (PREVIEW) {
      const vite = join(webDir, "node_modules", "vite", "bin", "vite.js");
      const preview = await startAndWait(process.execPath, [vite, "preview", "--port", "0", "--host", "127.0.0.1"], /Local:\s+(http:\/\/[0-9.:]+)/, {
        cwd: webDir,
        env: { ...process.env, STEADFAST_URL: apiBase },
      });
      base = preview.match[1];
    }
    const how = PREVIEW ? "vite preview" : serveArgs.includes("--web-root") ? "--web-root" : "STEADFAST_WEB_ROOT";
    log(`server ${apiBase}, web ${base} (${how})`);

    // A customer's HTML email arrives (through the API the mail gateway uses): a new ticket.
    const inbound = await api(apiBase, token, "POST", "/mail/inbound", EMAIL, "message/rfc822");
    const ticketId = inbound.ticket_id;

    if (!PREVIEW) {
      await check("the server serves the app with long cache headers on hashed assets", async () => {
        const index = await fetch(base + "/queues/unowned");
        assert.equal(index.status, 200);
        assert.match(index.headers.get("content-type") ?? "", /text\/html/);
        assert.match(index.headers.get("cache-control") ?? "", /no-cache/);
        const html = await index.text();
        const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        assert.ok(asset, "index.html names a hashed script");
        const js = await fetch(base + asset);
        assert.equal(js.status, 200);
        assert.match(js.headers.get("cache-control") ?? "", /max-age=31536000/);
        assert.match(js.headers.get("cache-control") ?? "", /immutable/);
      });
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    });
    const errors = [];
    const ana = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Script errors and console errors (a CSP violation is one), but not the failed requests
    // this test makes on purpose (a wrong password, a stale version, a remote image).
    const watch = (p, who) => {
      p.on("pageerror", (e) => errors.push(`${who}: ${e.message}`));
      p.on("console", (m) => {
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`${who}: ${m.text()}`);
      });
    };
    const page = await ana.newPage();
    watch(page, "ana");

    await check("the accessibility checks catch each flaw of a flawed page", () => selfTest(browser));

    await check("sign-in page", async () => {
      await page.goto(base + "/");
      await page.getByLabel("Email").waitFor();
      await page.screenshot({ path: join(artifacts, "01-sign-in.png") });
      await auditPage(page, "the sign-in page");
    });

    await check("a wrong password shows the API's problem detail", async () => {
      await page.getByLabel("Email").fill("ana@example.com");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: /./ }).first().waitFor();
    });

    await check("Ana signs in; 'Nobody owns these' is an alarm", async () => {
      await signIn(page, base, "ana@example.com");
      const unowned = page.locator("a[data-queue-link=unowned]");
      await unowned.and(page.locator(".alarm")).waitFor();
      await unowned.click();
      await page.locator("#list-title", { hasText: "Nobody owns these" }).waitFor();
      await page.locator("[data-row]", { hasText: "Invoice PDF opens blank" }).waitFor();
      await page.screenshot({ path: join(artifacts, "02-nobody-owns-these.png") });
      await auditPage(page, "the workspace list");
    });

    let openMs = null;
    await check("open a ticket from the list: the conversation shows", async () => {
      // Timed in the page: from the click on the row to the conversation in the DOM.
      await page.evaluate(() => {
        document.addEventListener(
          "click",
          (e) => {
            if (!e.target.closest("[data-row]")) return;
            const t0 = performance.now();
            const done = () => {
              if (document.querySelector("[data-conversation-ready] .msg")) {
                window.__openMs = performance.now() - t0;
                return true;
              }
              return false;
            };
            if (done()) return;
            const mo = new MutationObserver(() => done() && mo.disconnect());
            mo.observe(document.body, { subtree: true, childList: true, attributes: true });
          },
          { capture: true, once: true },
        );
      });
      await page.locator("[data-row]", { hasText: "Invoice PDF opens blank" }).click();
      await page.waitForFunction(() => typeof window.__openMs === "number");
      openMs = await page.evaluate(() => window.__openMs);
      await page.locator(".msg-customer", { hasText: "March invoice PDF opens blank" }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/tickets/${ticketId}`);
    });
    log(`open a ticket from the list → conversation visible: ${openMs.toFixed(1)} ms`);

    await check("accessibility: the ticket view with its composer; Tab reaches list, ticket, composer", async () => {
      await auditPage(page, "the ticket view");
      await tabThrough(
        page,
        [
          { name: "the list", selector: "[data-row]" },
          { name: "the ticket", selector: ".ticket-head :is(button, select, input, a[href])" },
          { name: "the composer", selector: ".composer textarea" },
        ],
        "the ticket view",
      );
    });

    await check("quoted history is behind a toggle", async () => {
      const msg = page.locator(".msg-customer").first();
      assert.equal(await msg.locator(".quoted-text").count(), 0);
      await msg.getByRole("button", { name: "Show quoted history" }).click();
      await msg.locator(".quoted-text", { hasText: "Here is your invoice." }).waitFor();
    });

    await check("the formatted email is in a sandboxed frame; images load only when asked", async () => {
      const msg = page.locator(".msg-customer").first();
      await msg.getByRole("button", { name: "Show formatted email" }).click();
      const frameEl = msg.locator("iframe");
      await frameEl.waitFor();
      const sandbox = await frameEl.getAttribute("sandbox");
      assert.ok(sandbox !== null, "the frame is sandboxed");
      assert.ok(!sandbox.includes("allow-scripts"), `no scripts in the frame (sandbox="${sandbox}")`);
      const srcdoc = await frameEl.getAttribute("srcdoc");
      assert.match(srcdoc, /http-equiv="Content-Security-Policy"/);
      assert.doesNotMatch(srcdoc, /<script/i);
      const frame = page.frameLocator(".msg-customer iframe").first();
      await frame.locator("b", { hasText: "March invoice" }).waitFor();
      const img = frame.locator("img[alt=\"Dana's logo\"]");
      assert.equal(await img.getAttribute("src"), null, "remote image held back");
      assert.notEqual(await page.title(), "pwned");
      await page.screenshot({ path: join(artifacts, "03-ticket-email.png") });
      await auditPage(page, "the ticket with the formatted email shown");
      await msg.getByRole("button", { name: "Load images" }).click();
      await page
        .frameLocator(".msg-customer iframe")
        .first()
        .locator('img[src="https://127.0.0.1:1/e2e-logo.png"]')
        .waitFor({ state: "attached" });
    });

    const replyText = "Hi Dana, I can open the PDF here, so it is on the viewing side. Could you tell me which browser and PDF viewer you use? I will check it the same day.";
    await check("r starts a reply; the draft survives a reload", async () => {
      await page.locator("#ticket-title").click();
      await page.keyboard.press("r");
      const area = page.getByRole("textbox", { name: /Reply to Dana Ito/ });
      await area.waitFor();
      assert.equal(await area.evaluate((el) => el === document.activeElement), true, "r focuses the reply box");
      await page.keyboard.type(replyText.slice(0, 40));
      await page.reload();
      await page.locator("[data-conversation-ready]").waitFor();
      const again = page.getByRole("textbox", { name: /Reply to Dana Ito/ });
      assert.equal(await again.inputValue(), replyText.slice(0, 40));
      await again.fill(replyText);
    });

    await check("Ctrl+Enter sends the reply, which makes Ana the owner", async () => {
      await page.getByRole("textbox", { name: /Reply to Dana Ito/ }).press("Control+Enter");
      await page.locator(".msg-reply", { hasText: "which browser and PDF viewer" }).waitFor();
      await page.locator(".ticket-facts .owner", { hasText: "You" }).waitFor();
      assert.equal(await page.getByRole("textbox", { name: /Reply to Dana Ito/ }).inputValue(), "");
      const stored = await page.evaluate((id) => localStorage.getItem(`sf.draft.${id}.reply`), ticketId);
      assert.equal(stored, null, "the sent draft is cleared");
      // Taken: the ticket left "Nobody owns these".
      await page.locator("[data-row]", { hasText: "Invoice PDF opens blank" }).waitFor({ state: "detached" });
    });

    await check("an internal note looks different from a reply", async () => {
      await page.keyboard.press("Escape");
      await page.locator("#ticket-title").click();
      await page.keyboard.press("n");
      const note = page.getByRole("textbox", { name: /Internal note/ });
      await note.fill("Dana's account is on the old invoice template; Ben knows the PDF renderer.");
      await note.press("Control+Enter");
      await page.locator(".msg-note", { hasText: "old invoice template" }).waitFor();
    });

    await check("a stale edit (409) reloads the ticket and says so", async () => {
      const t = await api(apiBase, token, "GET", `/tickets/${ticketId}`);
      await api(apiBase, token, "PATCH", `/tickets/${ticketId}`, { version: t.version, tags: ["billing", "pdf"] });
      await page.getByLabel("Priority").selectOption("high");
      await page.locator(".toast-error", { hasText: "reloaded" }).waitFor();
      await page.locator(".tag", { hasText: "pdf" }).waitFor();
      await page.getByRole("button", { name: "Dismiss" }).click();
      await page.getByLabel("Priority").selectOption("high");
      await page.locator(".toast", { hasText: "Priority set to high" }).waitFor();
    });

    // Ben works in a second browser; he has "Offered to me" open before Ana hands him anything.
    const benCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ben = await benCtx.newPage();
    watch(ben, "ben");

    await check("Ben signs in and opens 'Offered to me' (empty)", async () => {
      await signIn(ben, base, "ben@example.com");
      await ben.locator("a[data-queue-link=offered]").click();
      await ben.locator("#list-title", { hasText: "Offered to me" }).waitFor();
      await ben.locator("[data-row]", { hasText: "Invoice PDF opens blank" }).waitFor({ state: "detached" });
    });

    await check("Ana hands the ticket off to Ben with a note", async () => {
      await page.getByRole("button", { name: "Hand off…" }).click();
      const dialog = page.getByRole("dialog", { name: /Hand off/ });
      await dialog.waitFor();
      await auditPage(page, "the handoff dialog");
      await tabStaysInDialog(page, "the handoff dialog");
      await dialog.getByLabel("To").selectOption({ label: "Ben Okafor (ben@example.com)" });
      await dialog.getByRole("button", { name: "Offer handoff" }).click();
      await dialog.locator(".error-line", { hasText: "note" }).waitFor();
      await dialog
        .getByLabel(/Note for the next owner/)
        .fill("Ben: Dana's March invoice renders blank; she was asked for browser and viewer. You know the PDF renderer.");
      await page.screenshot({ path: join(artifacts, "04-handoff.png") });
      await dialog.getByRole("button", { name: "Offer handoff" }).click();
      await page.locator(".handoff-banner", { hasText: "Ben Okafor" }).waitFor();
      await page.locator(".event", { hasText: "offered this ticket to Ben Okafor" }).waitFor();
    });

    await check("live: the offer appears in Ben's open list and his bell without a reload", async () => {
      await ben.locator("[data-row]", { hasText: "Invoice PDF opens blank" }).waitFor();
      await ben.locator("[data-bell-count]").waitFor();
      await ben.locator("[data-bell]").click();
      const item = ben.locator("[data-notification=handoff_proposed]", { hasText: "Ana Costa offers you" });
      await item.waitFor();
      await ben.screenshot({ path: join(artifacts, "04b-notification.png") });
      await item.click();
      await ben.waitForURL((u) => u.pathname === `/tickets/${ticketId}`);
      await ben.locator(".handoff-banner", { hasText: "offers you this ticket" }).waitFor();
      await ben.locator("[data-bell-count]").waitFor({ state: "detached" });
    });

    await check("collision warning: Ana and Ben on the same ticket see each other", async () => {
      await ben.locator("[data-presence]", { hasText: "Ana Costa is viewing this ticket" }).waitFor();
      await page.locator("[data-presence]", { hasText: "Ben Okafor is viewing this ticket" }).waitFor();
      const box = ben.getByRole("textbox", { name: /Reply to Dana Ito/ });
      await box.fill("Hi Dana, I am taking over");
      await page.locator("[data-presence]", { hasText: "Ben Okafor is typing a reply" }).waitFor();
      await page.screenshot({ path: join(artifacts, "04c-collision.png") });
      await box.fill("");
    });

    await check("search shows highlighted snippets, rendered as text", async () => {
      await page.locator("#ticket-title").click();
      await page.keyboard.press("/");
      await page.keyboard.type("invoice");
      await page.keyboard.press("Enter");
      await page.locator("#list-title", { hasText: "Search" }).waitFor();
      await page.locator(".row-snippet mark").first().waitFor();
      const raw = await page.locator(".ticket-list").innerText();
      assert.doesNotMatch(raw, /<\/?mark>/, "no markup shown as text");
      await page.screenshot({ path: join(artifacts, "05-search.png") });
      await auditPage(page, "the search results");
    });

    await check("j/k move in the list, Enter opens, ? lists the shortcuts", async () => {
      await page.locator("a[data-queue-link=all]").click();
      await page.locator("#list-title", { hasText: "All tickets" }).waitFor();
      await page.locator("[data-row]").nth(2).waitFor();
      await page.locator("#list-title").click();
      await page.keyboard.press("j");
      await page.keyboard.press("j");
      await page.keyboard.press("k");
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("href"));
      const first = await page.locator("[data-row]").first().getAttribute("href");
      assert.equal(focused, first);
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.pathname === first);
      await page.locator("[data-conversation-ready]").waitFor();
      const focusedTag = () => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? "");
      const before = await focusedTag();
      assert.match(before, /^<h1 id="ticket-title"/, "opening the ticket put focus on its title");
      await page.keyboard.press("?");
      const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await help.waitFor();
      await auditPage(page, "the shortcuts dialog");
      await tabStaysInDialog(page, "the shortcuts dialog", 4);
      await page.screenshot({ path: join(artifacts, "06-shortcuts.png") });
      await page.keyboard.press("Escape");
      await help.waitFor({ state: "hidden" });
      assert.equal(await focusedTag(), before, "closing a dialog gives focus back to where it was");
    });

    await check("Ben accepts the handoff", async () => {
      // Ben is still on the ticket his notification opened.
      const banner = ben.locator(".handoff-banner", { hasText: "offers you this ticket" });
      await banner.waitFor();
      await ben.screenshot({ path: join(artifacts, "07-handoff-offered.png") });
      await banner.getByRole("button", { name: "Accept handoff" }).click();
      await ben.locator(".ticket-facts .owner", { hasText: "You" }).waitFor();
      await ben.locator(".handoff-banner").waitFor({ state: "detached" });
    });

    await check("Ben resolves it as 'cannot be done' with the plain statement", async () => {
      await ben.getByRole("button", { name: "Resolve…" }).click();
      const dialog = ben.getByRole("dialog", { name: /Resolve/ });
      await dialog.waitFor();
      await auditPage(ben, "the resolve dialog");
      await dialog.getByLabel(/Cannot be done/).check();
      await dialog.getByRole("button", { name: "Resolve", exact: true }).click();
      await dialog.locator(".error-line", { hasText: "plainly" }).waitFor();
      await dialog
        .getByLabel(/What the customer is told/)
        .fill("We cannot fix invoices that were already issued on the old template; they stay as they are.");
      await dialog.getByLabel(/What they can do instead/).fill("We can send the March invoice again as a new PDF.");
      await ben.screenshot({ path: join(artifacts, "08-resolve.png") });
      await dialog.getByRole("button", { name: "Resolve", exact: true }).click();
      await ben.locator(".resolution", { hasText: "Cannot be done" }).waitFor();
      await ben.locator(".ticket-facts .badge", { hasText: "Resolved" }).waitFor();
      await ben.getByRole("button", { name: "Reopen" }).waitFor();
      await ben.screenshot({ path: join(artifacts, "09-resolved.png") });
      const t = await api(apiBase, token, "GET", `/tickets/${ticketId}`);
      assert.equal(t.status, "resolved");
      assert.equal(t.resolution.outcome, "cannot_do");
      assert.match(t.resolution.statement, /old template/);
      assert.deepEqual(t.resolution.alternatives, ["We can send the March invoice again as a new PDF."]);
    });

    await check("Ana sees the outcome after a reload", async () => {
      await page.goto(`${base}/tickets/${ticketId}`);
      await page.locator(".resolution", { hasText: "Cannot be done" }).waitFor();
      await page.locator(".ticket-facts .owner", { hasText: "Ben Okafor" }).waitFor();
    });

    await check("the sort rides in the address; the follow-through panel shows rates with their counts", async () => {
      await page.goto(`${base}/queues/all?sort=priority`);
      await page.locator("[data-row]").first().waitFor();
      assert.equal(await page.locator("#filter-sort").inputValue(), "priority");
      await page.locator("[data-row] .customer").first().waitFor();
      await page.getByRole("link", { name: "Follow-through" }).click();
      await page.locator("#follow-title").waitFor();
      await page.locator(".figure", { hasText: "Promises kept on time" }).waitFor();
      await page.locator(".figure-detail").first().waitFor();
      await page.getByRole("link", { name: "90 days" }).click();
      await page.waitForURL(/days=90/);
      await page.screenshot({ path: join(artifacts, "09-follow-through.png") });
      await auditPage(page, "the follow-through panel");
    });

    await check("a list sorted by SLA deadline saved as a view survives a reload; renamed and deleted by keyboard", async () => {
      await page.goto(`${base}/queues/all?sort=sla_due`);
      await page.locator("[data-row]").first().waitFor();
      await page.getByRole("button", { name: "Save view" }).click();
      await page.getByLabel("View name").fill("By deadline");
      await page.getByLabel("View name").press("Enter");
      await page.waitForURL(/\/views\/\d+$/);
      await page.reload();
      await page.locator("#list-title", { hasText: "By deadline" }).waitFor();
      assert.equal(await page.locator("#filter-sort").inputValue(), "sla_due");
      await page.locator("[data-row]").first().waitFor();
      const saved = page.getByRole("list", { name: "Saved views" });
      await saved.getByRole("button", { name: "Rename By deadline" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "name");
      await page.getByLabel("New name").fill("Deadlines");
      await page.getByLabel("New name").press("Enter");
      await saved.getByRole("link", { name: "Deadlines" }).waitFor();
      await page.screenshot({ path: join(artifacts, "09b-saved-view.png") });
      await saved.getByRole("button", { name: "Delete Deadlines" }).focus();
      await page.keyboard.press("Enter");
      // The confirmation's Delete takes the focus: Enter again deletes.
      await page.getByRole("group", { name: "Delete Deadlines?" }).waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent === "Delete");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/queues\/mine$/);
      await page.getByRole("list", { name: "Saved views" }).waitFor({ state: "detached" });
    });

    await check("phone width: one column, the ticket with a way back", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const p = await phone.newPage();
      watch(p, "phone");
      await signIn(p, base, "ana@example.com");
      await p.goto(`${base}/tickets/${ticketId}`);
      await p.locator("[data-conversation-ready]").waitFor();
      assert.equal(await p.locator(".list-col").isVisible(), false);
      await p.getByRole("link", { name: /Back to the list/ }).first().waitFor();
      await p.screenshot({ path: join(artifacts, "10-phone-ticket.png") });
      await auditPage(p, "the ticket at phone width");
      await phone.close();
    });

    await check("signing out ends the session", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("Password").waitFor();
      await page.reload();
      await page.getByLabel("Password").waitFor();
      assert.equal(await page.evaluate(() => fetch("/api/v1/auth/me").then((r) => r.status)), 401);
    });

    await portalSteps({ browser, base, apiBase, token, ticketId, smtp, check, watch, artifacts });

    await check("no script or console errors in any page", async () => {
      assert.deepEqual(errors, []);
    });
  } finally {
    await browser?.close().catch(() => {});
    for (const c of children.reverse()) c.kill("SIGTERM");
    rmSync(data, { recursive: true, force: true });
  }
  log(`${passed} passed, 0 failed`);
}

main().catch((e) => {
  console.error(e);
  console.log(`${passed} passed, 1 failed`);
  for (const c of children) c.kill("SIGKILL");
  process.exit(1);
});
