// Helpers the stock and sales suites share: items with known prices, stock reads, sales
// bodies, UUIDv7 ids made on the client (as a register does), and `backroom check`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cli } from './server.mjs';

// A UUIDv7 made here, like an offline register would.
export function uuidv7() {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let skuCounter = 0;
export async function makeItem(s, extra = {}) {
  const r = await s.post('/api/v1/items', {
    sku: `LEDGER-${process.pid}-${++skuCounter}`, name: `Ledger test item ${skuCounter}`, price: 1000,
    tax_category: 'standard', ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function store(s) {
  const r = await s.get('/api/v1/locations');
  assert.equal(r.status, 200, r.text);
  return r.json.locations.find((l) => l.kind === 'store');
}

export async function binOf(s, site, kind) {
  const r = await s.get('/api/v1/locations');
  return r.json.locations.find((l) => l.parent_id === site.id && l.kind === kind);
}

export async function adjust(s, item, location, quantity, reason = quantity >= 0 ? 'found' : 'shrink') {
  const r = await s.post('/api/v1/stock/adjustments', { item_id: item.id ?? item, location_id: location.id ?? location, quantity, reason });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

export async function onHand(s, item, location) {
  const r = await s.get(`/api/v1/stock?item_id=${item.id ?? item}&location_id=${location.id ?? location}`);
  assert.equal(r.status, 200, r.text);
  return r.json.on_hand;
}

export function saleBody(location, lines, extra = {}) {
  return {
    id: uuidv7(),
    location_id: location.id ?? location,
    lines: lines.map(([item, quantity, more]) => ({ item_id: item.id ?? item, quantity, ...more })),
    tenders: [{ type: 'cash', amount: 10_000_000 }],
    ...extra,
  };
}

export function check(db) {
  return cli(['check', '--db', db]);
}

export function assertBooksHold(db) {
  const r = check(db);
  assert.equal(r.status, 0, `backroom check failed:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /the books hold/);
}

// `backroom check` says the books hold and `audit verify` passes, on each of `dbs`.
export function assertBooksAndAuditHold(...dbs) {
  for (const db of dbs) {
    assertBooksHold(db);
    const audit = cli(['audit', 'verify', '--db', db]);
    assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  }
}

// Opens a till session at `registerId` (sales and returns at a register need one); an
// already open session is fine.
export async function openRegister(s, location, registerId, openingFloat = 10000) {
  const r = await s.post(`/api/v1/registers/${registerId}/sessions`, { location_id: location.id ?? location, opening_float: openingFloat });
  if (r.status === 409 && r.json?.code === 'session_open') return (await s.get(`/api/v1/registers/${registerId}/sessions/current`)).json;
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Polls `fn` every `every` ms until it returns something truthy (returned), or throws after
// `ms` naming `what`: for what a server does on its own time (a store node's pull, a webhook's
// delivery, an expiry job).
export async function until(what, fn, ms = 15000, every = 50) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
