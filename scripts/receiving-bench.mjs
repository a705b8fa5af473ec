#!/usr/bin/env node
// Receiving a 200-line purchase order by 1,000 scans against the real release binary
// (build/backroom, ./run build), over loopback HTTP, one clerk scanning one box after
// another: time per scan. Prints numbers; passes or fails on nothing.
//
//   node scripts/receiving-bench.mjs [--bin build/backroom] [--batch 50]
//
// The order: 100 lines of 12 units in cases of 6 (received by scanning each case's GTIN-14
// twice) and 100 lines of 8 loose units (scanning the item barcode eight times): 1,000 scans.
// Run 1 posts each scan as its own receipt (the tablet's receiving screen, a scan at a time);
// run 2 receives a second, identical order in receipts of --batch scans.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const BIN = path.resolve(option('bin', path.join(import.meta.dirname, '..', 'build', 'backroom')));
const BATCH = Number(option('batch', '50'));
const LINES = 200;

const gs1Check = (digits) => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
};
const withCheck = (digits) => digits + gs1Check(digits);

function run(cmd) {
  const r = spawnSync(BIN, cmd, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const dir = mkdtempSync(path.join(tmpdir(), 'backroom-receiving-'));
const db = path.join(dir, 'shop.db');
run(['init', '--db', db, '--admin-password', 'bench-admin-password']);
const key = run(['apikey', 'create', '--db', db, '--name', 'bench', '--role', 'admin']);
// One key sends far more than the default 1200 requests a minute: the bench measures receiving.
const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BACKROOM_RATE_LIMIT_PER_MINUTE: '1000000' } });
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/[^\s]+)/);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

async function call(method, p, body, headers = {}) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

try {
  const shop = (await call('GET', '/api/v1/locations')).locations.find((l) => l.kind === 'store');
  const supplier = await call('POST', '/api/v1/suppliers', { name: 'Bench wholesale' });
  const items = [];
  for (let i = 0; i < LINES; i++) {
    const ean = withCheck(`871${String(i).padStart(9, '0')}`);
    const item = await call('POST', '/api/v1/items', { sku: `BENCH-${i}`, name: `Bench item ${i}`, price: 299, barcodes: [ean] });
    const cased = i < LINES / 2;
    const caseGtin = withCheck(`1${ean.slice(0, 12)}`);
    await call('POST', `/api/v1/suppliers/${supplier.id}/items`, {
      item_id: item.id, supplier_sku: `W-${i}`, cost: 120, case_pack: cased ? 6 : 1, ...(cased ? { case_gtin: caseGtin } : {}),
    });
    items.push({ id: item.id, ean, caseGtin, cased });
  }
  const scans = [];
  for (const it of items) {
    if (it.cased) scans.push(it.caseGtin, it.caseGtin);
    else for (let k = 0; k < 8; k++) scans.push(it.ean);
  }
  // The box arrives in no particular order.
  for (let i = scans.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [scans[i], scans[j]] = [scans[j], scans[i]];
  }

  async function order() {
    const o = await call('POST', '/api/v1/purchase-orders', {
      supplier_id: supplier.id, location_id: shop.id, lines: items.map((it) => ({ item_id: it.id, quantity: it.cased ? 12 : 8 })),
    });
    return call('POST', `/api/v1/purchase-orders/${o.id}/send`, {});
  }

  const stats = (ms) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { mean: ms.reduce((a, b) => a + b, 0) / ms.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
  };
  const fmt = (x) => x.toFixed(2);

  console.log(`receiving bench: ${LINES}-line order, ${scans.length} scans, ${BIN}`);
  const first = await order();
  const perScan = [];
  const started = performance.now();
  let last;
  for (const code of scans) {
    const t = performance.now();
    last = await call('POST', `/api/v1/purchase-orders/${first.id}/receipts`, { scans: [code] }, { 'idempotency-key': randomUUID() });
    perScan.push(performance.now() - t);
  }
  const total1 = performance.now() - started;
  const s1 = stats(perScan);
  console.log(`one receipt per scan: ${scans.length} receipts in ${fmt(total1 / 1000)} s; per scan mean ${fmt(s1.mean)} ms, p50 ${fmt(s1.p50)}, p90 ${fmt(s1.p90)}, p99 ${fmt(s1.p99)}, max ${fmt(s1.max)} ms; order ${last.purchase_order.status}`);

  const second = await order();
  const perBatch = [];
  const started2 = performance.now();
  for (let i = 0; i < scans.length; i += BATCH) {
    const t = performance.now();
    last = await call('POST', `/api/v1/purchase-orders/${second.id}/receipts`, { scans: scans.slice(i, i + BATCH) }, { 'idempotency-key': randomUUID() });
    perBatch.push(performance.now() - t);
  }
  const total2 = performance.now() - started2;
  const s2 = stats(perBatch);
  console.log(`receipts of ${BATCH} scans: ${perBatch.length} receipts in ${fmt(total2 / 1000)} s; per scan ${fmt(total2 / scans.length)} ms; per receipt mean ${fmt(s2.mean)} ms, p99 ${fmt(s2.p99)} ms; order ${last.purchase_order.status}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
