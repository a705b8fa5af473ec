// The offline register's catalog copy end to end (issue 21: "IndexedDB catalog load of 100,000
// items in Chromium (goal < 10 s) and offline scan-to-line p99 < 50 ms"). Where
// bench/offline_catalog_bench.mjs writes synthetic items inside a blank page, this one runs the
// product: a shop of N items made with `backroom items import`, the real server (release build)
// serving the UI at the product's default rate limit, Debian's Chromium signing in at the
// register, which loads its copy from `GET /api/v1/catalog/changes` into IndexedDB
// (web/src/register/offline.ts, measured there as `br:catalog-copy`); then, with the network
// cut, the cashier's scans typed through the scan box, each timed from Enter to the painted line
// (`br:scan-to-line`, Register.tsx). Prints numbers only; asserts nothing but that the copy holds
// every item and that each scan added its line.
//   node bench/offline_feed_bench.mjs [items=100000] [scans=100]
// Env: BUILD (default build), CHROMIUM (default /usr/bin/chromium), BACKROOM_WEB_DIST (web/dist).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DEMO, scan, signInAtRegister } from '../web/tests/lib.mjs';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const ROOT = path.resolve(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 100000);
const SCANS = Number(process.argv[3] ?? 100);
const BIN = path.resolve(ROOT, process.env.BUILD ?? 'build', 'backroom');
const DIST = process.env.BACKROOM_WEB_DIST ?? path.join(ROOT, 'web/dist');

// GTIN-13 with its check digit (GS1 General Specifications 7.9.1): prefix 400 (Germany), never
// 20-29 (in-store and scale codes).
function gtin13(n) {
  const body = `400${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + ((10 - (sum % 10)) % 10);
}

function cli(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`backroom ${args[0]}: ${r.stderr}`);
  return r.stdout;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'offline-feed-bench-'));
const db = path.join(dir, 'shop.db');
let server;
let browser;
try {
  cli(['init', '--db', db, '--admin-password', 'bench-admin-password']);
  cli(['demo', '--db', db]);
  const csv = ['sku,name,category,price,cost,barcodes'];
  for (let i = 1; i <= N; i++) csv.push(`BENCH-${i},Bench item ${i},Bench ${i % 50},${(1 + (i % 997) / 100).toFixed(2)},0.50,${gtin13(i)}`);
  writeFileSync(path.join(dir, 'items.csv'), csv.join('\n') + '\n');
  let t = Date.now();
  cli(['items', 'import', '--db', db, path.join(dir, 'items.csv')]);
  console.log(`import of ${N} items: ${((Date.now() - t) / 1000).toFixed(1)} s`);

  server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false', '--static-dir', DIST], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[^\s]+)/); if (m) resolve(m[1]); });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await page.goto(url + '/');
  t = Date.now();
  await signInAtRegister(page, DEMO.cashier);
  const copy = await page.waitForFunction(() => {
    const m = performance.getEntriesByName('br:catalog-copy')[0];
    return m ? { ms: m.duration, changes: m.detail?.changes } : null;
  }, null, { timeout: 600_000, polling: 100 }).then((h) => h.jsonValue());
  const items = await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.open('backroom-register');
    r.onsuccess = () => {
      let n = 0;
      const c = r.result.transaction('chunks').objectStore('chunks').openCursor();
      c.onsuccess = () => { if (!c.result) resolve(n); else { n += c.result.value.items.length; c.result.continue(); } };
      c.onerror = () => reject(c.error);
    };
    r.onerror = () => reject(r.error);
  }));
  if (items < N) throw new Error(`the copy holds ${items} items, fewer than the ${N} imported`);
  console.log(`catalog copy from the feed: ${(copy.ms / 1000).toFixed(2)} s for ${copy.changes} changes, ${items} items in IndexedDB (sign-in to copy done: ${((Date.now() - t) / 1000).toFixed(1)} s)`);

  await context.setOffline(true);
  const lines = page.getByRole('table', { name: 'Cart' }).locator('tbody tr');
  for (let i = 0; i < SCANS; i++) {
    const before = await page.evaluate(() => performance.getEntriesByName('br:scan-to-line').length);
    await scan(page, gtin13(1 + Math.floor(Math.random() * N)));
    await page.waitForFunction((b) => performance.getEntriesByName('br:scan-to-line').length > b, before, { timeout: 10_000 });
  }
  const ms = await page.evaluate(() => performance.getEntriesByName('br:scan-to-line').map((m) => m.duration));
  const sorted = [...ms].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(`offline scan-to-line, ${ms.length} scans into one cart: p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms (scan ${ms.indexOf(sorted.at(-1)) + 1}); the first: ${ms[0].toFixed(1)} ms; after the first: p99 ${[...ms.slice(1)].sort((a, b) => a - b)[Math.floor(0.99 * (ms.length - 1))]?.toFixed(1)} ms (${await lines.count()} rows in the cart)`);
} finally {
  await browser?.close();
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
}
