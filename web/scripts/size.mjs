// Prints what the first load costs: every script and stylesheet index.html pulls in (and the
// modules they preload), raw and gzipped, and fails when the JavaScript is over budget.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const BUDGET_JS_GZIP = 150 * 1024;
const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const first = new Set();
for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) first.add(m[1]);

let jsGzip = 0;
let jsRaw = 0;
const rows = [];
for (const name of [...first].sort()) {
  const buf = readFileSync(join(dist, name));
  const gz = gzipSync(buf, { level: 9 }).length;
  if (name.endsWith(".js")) {
    jsGzip += gz;
    jsRaw += buf.length;
  }
  rows.push(`  ${name.padEnd(40)} ${(buf.length / 1024).toFixed(1).padStart(7)} KB  ${(gz / 1024).toFixed(1).padStart(6)} KB gzip`);
}
// The customer portal is a page of its own (portal.html): its code is not the workspace's load.
const portal = new Set();
try {
  const portalHtml = readFileSync(join(dist, "portal.html"), "utf8");
  for (const m of portalHtml.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) portal.add(m[1]);
} catch {
  // No portal page in this build.
}
const lazy = readdirSync(join(dist, "assets")).filter(
  (f) => f.endsWith(".js") && !first.has(`assets/${f}`) && !portal.has(`assets/${f}`),
);
const portalOnly = [...portal].filter((n) => n.endsWith(".js") && !first.has(n));
if (portalOnly.length) console.log(`Customer portal only (portal.html): ${portalOnly.join(", ")}`);
console.log("First load (from dist/index.html):");
console.log(rows.join("\n"));
console.log(`JavaScript on first load: ${(jsRaw / 1024).toFixed(1)} KB, ${(jsGzip / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_JS_GZIP / 1024} KB)`);
if (lazy.length) console.log(`Loaded later, on demand: ${lazy.join(", ")}`);
if (jsGzip > BUDGET_JS_GZIP) {
  console.error("Over the first-load budget.");
  process.exit(1);
}
