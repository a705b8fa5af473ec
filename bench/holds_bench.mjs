#!/usr/bin/env node
// Holds under contention (issue 20: "hold + release under 32 concurrent clients without
// oversell"), against the real release binary (build/backroom, ./run build) over loopback
// HTTP. Prints numbers; passes or fails on nothing, but says what it found.
//
//   node bench/holds_bench.mjs [--bin build/backroom] [--db postgresql://.../db] [--clients 32]
//                              [--seconds 10] [--items 20] [--units 5]
//
// `--items` items have `--units` units each at the store (fewer units than clients: they
// compete). Each of `--clients` clients, for `--seconds`, places a paid online order for one
// unit of a random item (the hold is taken at once, or the line is short when nothing is
// available) and cancels it (the hold is released), over and over; its last order stays. A
// monitor reads every item's stock every 100 ms meanwhile. Oversold = a reading where
// `reserved` exceeds on hand, or, at the end, an item whose `reserved` differs from its
// active holds or whose active holds exceed on hand; `backroom check` runs last.
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
const CLIENTS = Number(option('clients', '32'));
const SECONDS = Number(option('seconds', '10'));
const ITEMS = Number(option('items', '4'));
const UNITS = Number(option('units', '5'));

function run(cmd) {
  const r = spawnSync(BIN, cmd, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const dir = mkdtempSync(path.join(tmpdir(), 'backroom-holds-'));
const db = option('db', path.join(dir, 'shop.db'));
run(['init', '--db', db, '--admin-password', 'bench-admin-password']);
const key = run(['apikey', 'create', '--db', db, '--name', `holds-${process.pid}`, '--role', 'admin']).split('\n')[0].trim();
const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false'], {
  stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BACKROOM_RATE_LIMIT_PER_MINUTE: '1000000' },
});
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

const stats = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: ms.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
};
const ms = (x) => `${x.toFixed(1)} ms`;

try {
  const shop = (await call('GET', '/api/v1/locations')).locations.find((l) => l.kind === 'store');
  const items = [];
  for (let i = 0; i < ITEMS; i++) {
    const item = await call('POST', '/api/v1/items', { sku: `HOLD-${i}`, name: `Hold bench item ${i}`, price: 500, tax_category: 'standard' });
    await call('POST', '/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: UNITS, reason: 'found' });
    items.push(item);
  }
  const place = [];
  const cancel = [];
  let held = 0;
  let short = 0;
  const end = performance.now() + SECONDS * 1000;
  let seq = 0;
  async function client(c) {
    let n = 0;
    while (performance.now() < end) {
      const item = items[Math.floor(Math.random() * items.length)];
      const t = performance.now();
      const o = await call('POST', '/api/v1/online-orders', {
        channel: 'bench', external_id: `H-${c}-${++seq}`, location_id: shop.id, promised_at: '2031-01-01T10:00:00Z',
        customer: { name: 'Bench Buyer', email: 'bench@example.com' }, paid: true,
        lines: [{ item_id: item.id, quantity: 1, unit_price: 500 }],
      }, { 'idempotency-key': randomUUID() });
      place.push(performance.now() - t);
      if (o.lines[0].held > 0) held++; else short++;
      n++;
      if (performance.now() >= end) break;  // the last order stays
      const t2 = performance.now();
      await call('POST', `/api/v1/online-orders/${o.id}/cancel`, { reason: 'bench release' }, { 'idempotency-key': randomUUID() });
      cancel.push(performance.now() - t2);
    }
  }
  let readings = 0;
  let overReadings = 0;
  async function monitor() {
    while (performance.now() < end) {
      for (const item of items) {
        const s = await call('GET', `/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`);
        const row = s.stock?.[0] ?? s;
        readings++;
        if (row.reserved > row.on_hand) overReadings++;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const started = performance.now();
  await Promise.all([monitor(), ...Array.from({ length: CLIENTS }, (_, c) => client(c))]);
  const wall = (performance.now() - started) / 1000;

  // The books: per item, active holds against reserved and on hand.
  let oversold = 0;
  let activeUnits = 0;
  const activeByItem = new Map();
  for (let cursor = null, first = true; first || cursor; first = false) {
    const page = await call('GET', `/api/v1/online-orders?status=open&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    for (const o of page.online_orders) {
      const h = o.lines[0].hold_status === 'active' ? o.lines[0].held : 0;
      activeByItem.set(o.lines[0].item_id, (activeByItem.get(o.lines[0].item_id) ?? 0) + h);
    }
    cursor = page.next_cursor;
  }
  for (const item of items) {
    const s = (await call('GET', `/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`));
    const row = s.stock?.[0] ?? s;
    const active = activeByItem.get(item.id) ?? 0;
    activeUnits += active;
    if (active > row.on_hand || row.reserved !== active) {
      oversold++;
      console.log(`item ${item.sku}: on hand ${row.on_hand}, reserved ${row.reserved}, active holds ${active}`);
    }
  }
  const check = spawnSync(BIN, ['check', '--db', db], { encoding: 'utf8' });
  const p = stats(place);
  const c = stats(cancel);
  console.log(`holds bench: ${CLIENTS} clients, ${SECONDS} s, ${ITEMS} items x ${UNITS} units, ${db.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}`);
  console.log(`placed ${p.n} paid orders (${(p.n / wall).toFixed(0)}/s): ${held} held, ${short} short; released ${c.n} (${(c.n / wall).toFixed(0)}/s)`);
  console.log(`place p50 ${ms(p.p50)}, p99 ${ms(p.p99)}, max ${ms(p.max)}; release p50 ${ms(c.p50)}, p99 ${ms(c.p99)}, max ${ms(c.max)}`);
  console.log(`during the run: ${readings} stock readings, ${overReadings} with reserved above on hand`);
  console.log(`at the end: ${activeUnits} units held of ${ITEMS * UNITS} by the ${p.n - c.n} orders left; items oversold or with reserved != active holds: ${oversold}`);
  console.log(`backroom check: ${check.status === 0 ? 'the books hold' : `FAILED\n${check.stdout}${check.stderr}`}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
