// Accessibility checks run in the real browser, at the key screens of the end-to-end test
// (workspace.e2e.mjs and portal-steps.mjs). No axe-core: a few rules, written out here, that
// catch what most often shuts out a keyboard or screen-reader user. Each failure names the
// element (tag, id, classes, text) so it can be found and fixed.
//
// auditPage(page, screen) fails when, among what is rendered (not display:none, not inside
// aria-hidden or inert):
//   - a form control (input, select, textarea) has no accessible name: a <label>, aria-label
//     or aria-labelledby (a placeholder or title is not a label);
//   - a button or link has no accessible name (its text, an image's alt inside it, aria-label,
//     aria-labelledby, or title);
//   - an <img> has no alt attribute (alt="" is right for a decorative image), or an <iframe>
//     no title (a screen reader announces a frame by it);
//   - an element has a positive tabindex (it breaks the document's tab order);
//   - two elements share an id (labels and aria references then point at the wrong one);
//   - the page has no main landmark or no h1;
//   - visible text contrasts less than 4.5:1 with what is behind it (3:1 for large text, as
//     WCAG 2 AA allows: at least 24px, or 18.66px bold). Colours come from computed styles;
//     the background is the first ancestor whose background is not transparent, with
//     translucent ones blended over it, and the text's own alpha and its ancestors' opacity
//     applied. Text over a background image is skipped (it cannot be computed), and so is the
//     text of disabled controls (WCAG exempts it).
//
// tabStaysInDialog(page, screen) checks that Tab keeps focus inside an open modal dialog.
//
// tabThrough(page, stops, screen) presses Tab from the top of the page and fails unless every
// stop (a CSS selector) gets focus, in the order given, and every element that gets focus on the
// way shows it (an outline that is not "none", or a box-shadow).
import assert from "node:assert/strict";

// Runs in the page: returns the problems found (as strings), how many texts had their contrast
// measured, and the lowest contrast among them.
function auditInPage() {
  const problems = [];
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += `#${el.id}`;
    if (typeof el.className === "string" && el.className.trim()) d += "." + el.className.trim().split(/\s+/).join(".");
    for (const a of ["type", "name", "href", "role"]) {
      if (el.getAttribute(a)) d += `[${a}="${el.getAttribute(a)}"]`;
    }
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
    return text ? `${d} "${text}"` : d;
  };
  const rendered = (el) => el.getClientRects().length > 0 && !el.closest("[aria-hidden=true], [inert]");
  const textOf = (el) => (el ? (el.textContent ?? "").trim() : "");
  // The accessible name, after the first steps of the W3C computation that matter here.
  const nameOf = (el, allowContent) => {
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const t = by
        .split(/\s+/)
        .map((id) => textOf(document.getElementById(id)))
        .join(" ")
        .trim();
      if (t) return t;
    }
    const aria = (el.getAttribute("aria-label") ?? "").trim();
    if (aria) return aria;
    if (el.labels) {
      const t = [...el.labels].map(textOf).join(" ").trim();
      if (t) return t;
    }
    if (el instanceof HTMLInputElement && ["submit", "button", "reset"].includes(el.type)) {
      return el.value || (el.type === "submit" ? "Submit" : el.type === "reset" ? "Reset" : "");
    }
    if (el instanceof HTMLInputElement && el.type === "image") return el.alt ?? "";
    if (allowContent) {
      const t = textOf(el) || [...el.querySelectorAll("img[alt]")].map((i) => i.alt).join(" ").trim();
      if (t) return t;
      const title = (el.getAttribute("title") ?? "").trim();
      if (title) return title;
    }
    return "";
  };

  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || !rendered(el)) continue;
    if (el instanceof HTMLInputElement && ["submit", "button", "reset", "image"].includes(el.type)) continue;
    if (!nameOf(el, false)) problems.push(`form control without a label: ${describe(el)}`);
  }
  const actions = 'button, a[href], [role=button], [role=link], input[type=submit], input[type=button], input[type=reset], input[type=image]';
  for (const el of document.querySelectorAll(actions)) {
    if (!rendered(el)) continue;
    if (!nameOf(el, true)) problems.push(`${el.matches("a, [role=link]") ? "link" : "button"} without a name: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("img:not([alt])")) {
    problems.push(`image without alt: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("iframe")) {
    if (rendered(el) && !(el.getAttribute("title") ?? "").trim()) problems.push(`frame without a title: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (Number(el.getAttribute("tabindex")) > 0) problems.push(`positive tabindex: ${describe(el)}`);
  }
  const ids = new Map();
  for (const el of document.querySelectorAll("[id]")) ids.set(el.id, [...(ids.get(el.id) ?? []), el]);
  for (const [id, els] of ids) {
    if (els.length > 1) problems.push(`id "${id}" is used ${els.length} times: ${els.map(describe).join(", ")}`);
  }
  if (!document.querySelector("main, [role=main]")) problems.push("no main landmark (<main>)");
  if (!document.querySelector("h1")) problems.push("no h1");

  // Contrast. Colours as [r, g, b, a] from "rgb(...)"/"rgba(...)" (what computed styles give).
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // What is behind `el`: its own background and its ancestors', blended from the first opaque
  // one down; null when an image is in the way.
  const backgroundOf = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.backgroundImage !== "none") return null;
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [255, 255, 255, 1]; // The canvas, when nothing is opaque.
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const seen = new Set();
  let texts = 0;
  let lowest = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || seen.has(el) || !t.textContent.trim()) continue;
    seen.add(el);
    if (!rendered(el) || el.closest("script, style, noscript, [disabled], option")) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (s.visibility !== "visible" || r.width <= 1 || r.height <= 1) continue; // Hidden, or screen-reader only.
    const bg = backgroundOf(el);
    if (!bg) continue;
    let fg = parse(s.color);
    if (!fg) continue;
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
    if (opacity === 0) continue; // Not shown at all (there is nothing to read).
    fg = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(fg, bg);
    texts++;
    if (!lowest || got < lowest.ratio) lowest = { ratio: got, what: describe(el) };
    if (got < need) {
      problems.push(`contrast ${got.toFixed(2)}:1 (needs ${need}:1) for ${s.color} on rgb(${bg.slice(0, 3).map(Math.round).join(", ")}): ${describe(el)}`);
    }
  }
  return { problems, texts, lowest };
}

// Fails naming every problem; says how much contrast was measured (not asserted beyond 4.5:1).
export async function auditPage(page, screen) {
  const { problems, texts, lowest } = await page.evaluate(auditInPage);
  assert.deepEqual(problems, [], `accessibility problems on ${screen}:\n  ${problems.join("\n  ")}`);
  const low = lowest ? `, lowest contrast ${lowest.ratio.toFixed(2)}:1 (${lowest.what})` : "";
  console.log(`     a11y ${screen}: ${texts} texts measured${low}`);
}

// Runs in the page: what has focus now, and whether it shows it.
function focusedInPage(selectors) {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow !== "none";
  let d = el.tagName.toLowerCase();
  if (el.id) d += `#${el.id}`;
  if (typeof el.className === "string" && el.className.trim()) d += "." + el.className.trim().split(/\s+/).join(".");
  const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 30);
  return {
    what: text ? `${d} "${text}"` : d,
    visible: outline || shadow,
    matches: selectors.map((sel) => el.matches(sel)),
  };
}

// `stops`: [{ name, selector }] in the order Tab must reach them.
export async function tabThrough(page, stops, screen, maxTabs = 150) {
  // Focus a temporary element at the very top, so the first Tab starts from there.
  await page.evaluate(() => {
    const start = document.createElement("span");
    start.tabIndex = -1;
    start.id = "a11y-tab-start";
    document.body.prepend(start);
    start.focus();
  });
  const selectors = stops.map((s) => s.selector);
  const reachedAt = stops.map(() => -1);
  const path = [];
  for (let i = 0; i < maxTabs && reachedAt.includes(-1); i++) {
    await page.keyboard.press("Tab");
    if (i === 0) await page.evaluate(() => document.getElementById("a11y-tab-start")?.remove());
    const f = await page.evaluate(focusedInPage, selectors);
    if (!f) continue;
    path.push(f.what);
    assert.ok(f.visible, `on ${screen}, ${f.what} gets focus without showing it (outline none, no box-shadow)`);
    f.matches.forEach((m, k) => {
      if (m && reachedAt[k] < 0) reachedAt[k] = i;
    });
  }
  const trail = `\n  Tab order: ${path.join(" → ")}`;
  stops.forEach((s, k) => assert.ok(reachedAt[k] >= 0, `on ${screen}, Tab never reaches ${s.name} (${s.selector})${trail}`));
  for (let k = 1; k < stops.length; k++) {
    assert.ok(
      reachedAt[k - 1] < reachedAt[k],
      `on ${screen}, Tab reaches ${stops[k].name} before ${stops[k - 1].name}${trail}`,
    );
  }
}

// With a modal dialog open, Tab `presses` times: focus must stay inside the dialog (the page
// behind is out of reach until it closes) and show where it is. Past the dialog's last control
// the browser may take focus to its own toolbar (no element of the page has it then) before
// coming back to the first: that is the native modal dialog's way, and allowed.
export async function tabStaysInDialog(page, screen, presses = 12) {
  let away = 0;
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      return {
        inside: Boolean(el.closest("dialog[open]")),
        what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`,
        visible: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none",
      };
    });
    if (!f) {
      away++;
      assert.ok(away <= 1, `on ${screen}, Tab ${i + 1} did not bring focus back into the dialog`);
      continue;
    }
    away = 0;
    assert.ok(f.inside, `on ${screen}, Tab ${i + 1} left the dialog for ${f.what}`);
    assert.ok(f.visible, `on ${screen}, ${f.what} gets focus without showing it`);
  }
}

// A page with one of each problem (and their correct twins), to show that every rule above can
// fail, and does not fail on what is right.
const FLAWED = `<!doctype html><html lang="en"><head><title>flawed</title><style>
  body { background: #fff; color: #111; font: 16px sans-serif; }
  .pale { color: #aaa; }                     /* 2.3:1 on white */
  .band { background: rgba(0, 0, 0, 0.8); }  /* translucent: blended over the white below */
  .band span { color: #777; }                /* 2.5:1 on the band */
  .ok-band span { color: #fff; }
  .big { font-size: 28px; color: #888; }     /* 3.5:1: enough for large text */
  .ring:focus { outline: none; }
</style></head><body>
  <div><input id="nameless"><label for="named">Named</label><input id="named"></div>
  <button id="empty-button"></button><button aria-label="Close">×</button>
  <a id="empty-link" href="/x"><span></span></a><a href="/y"><img src="data:," alt="Home"></a>
  <img id="no-alt" src="data:,"><img src="data:," alt="">
  <iframe id="untitled" srcdoc="x"></iframe><iframe title="The email" srcdoc="x"></iframe>
  <span tabindex="2">jumps the queue</span>
  <p id="twice">one</p><p id="twice">two</p>
  <p class="pale">too pale</p>
  <div class="band"><span>grey on a dark band</span></div><div class="band ok-band"><span>white on it</span></div>
  <p class="big">large and grey</p>
  <button class="ring" id="no-ring">no ring</button>
</body></html>`;

export async function selfTest(browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await page.setContent(FLAWED);
    const { problems } = await page.evaluate(auditInPage);
    const expect = [
      /form control without a label: input#nameless/,
      /button without a name: button#empty-button/,
      /link without a name: a#empty-link/,
      /image without alt: img#no-alt/,
      /frame without a title: iframe#untitled/,
      /positive tabindex: span/,
      /id "twice" is used 2 times/,
      /no main landmark/,
      /no h1/,
      /contrast 2\.\d+:1 .* "too pale"/,
      /contrast 2\.\d+:1 .* "grey on a dark band"/,
    ];
    for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `the audit misses ${re}; it found:\n  ${problems.join("\n  ")}`);
    assert.equal(problems.length, expect.length, `the audit flags more than the flaws:\n  ${problems.join("\n  ")}`);
    await assert.rejects(
      tabThrough(page, [{ name: "the ring-less button", selector: "#no-ring" }], "the flawed page"),
      /gets focus without showing it/,
    );
  } finally {
    await ctx.close();
  }
}
