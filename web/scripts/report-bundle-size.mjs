// Prints the gzipped size of the JavaScript a first visit loads, and fails past the budget.
// The first page is the entry with everything it imports statically (the log-in and sign-up
// pages are part of it), plus the dashboard's chunk, where a signed-in visitor lands.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 300 * 1024;
const dist = path.join(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8"));
const FIRST_PAGES = ["src/pages/DashboardPage.tsx"];

function closure(key, seen = new Set()) {
  const chunk = manifest[key];
  if (!chunk || seen.has(key)) return seen;
  seen.add(key);
  for (const imported of chunk.imports ?? []) closure(imported, seen);
  return seen;
}

const keys = closure("index.html");
for (const page of FIRST_PAGES) closure(page, keys);

const rows = [...keys]
  .map((key) => manifest[key].file)
  .filter((file) => file.endsWith(".js"))
  .map((file) => {
    const bytes = readFileSync(path.join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  })
  .sort((a, b) => b.gzip - a.gzip);

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const total = rows.reduce((sum, row) => sum + row.gzip, 0);
console.log("JavaScript of the first page (signed in: the app and the dashboard), gzipped:");
for (const row of rows) console.log(`  ${row.file.padEnd(48)} ${kB(row.raw).padStart(10)} ${kB(row.gzip).padStart(10)} gz`);
console.log(`  ${"total".padEnd(48)} ${"".padStart(10)} ${kB(total).padStart(10)} gz (budget ${kB(BUDGET_BYTES)})`);
if (total > BUDGET_BYTES) {
  console.error(`The first page's JavaScript is ${kB(total)} gzipped, over the ${kB(BUDGET_BYTES)} budget.`);
  process.exit(1);
}
