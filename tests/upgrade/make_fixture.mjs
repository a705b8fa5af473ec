// Makes the shop that `integration.upgrade_release` upgrades: a demo shop that an earlier,
// released backroom really wrote, with a day of trade on its books. It must run INSIDE a
// checkout of that release (it imports the release's own test helpers and drives the
// release's own binary), never against this one:
//
//   git worktree add --detach /tmp/old c9b85bd          # the release (schema version 23)
//   cmake -S /tmp/old -B /tmp/old/build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
//         -DBACKROOM_TESTS=OFF && ninja -C /tmp/old/build backroom
//   cp tests/upgrade/make_fixture.mjs /tmp/old/tests/integration/
//   cd /tmp/old && BACKROOM_BIN=build/backroom node tests/integration/make_fixture.mjs OUT.db
//
// then `tests/upgrade/make_fixture.sh` turns OUT.db into the committed dumps.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { adjust, openRegister, saleBody, store, uuidv7 } from './lib/shop.mjs';

const out = process.argv[2];
assert.ok(out, 'usage: make_fixture.mjs OUT.db');
for (const f of [out, `${out}-wal`, `${out}-shm`]) if (existsSync(f)) rmSync(f);

const ok = (r, status = 201) => {
  assert.ok([status, 200, 201].includes(r.status), `${r.status} ${r.text}`);
  return r.json;
};

const s = await startServer({ db: out, demo: true });
const shop = await store(s);
const items = ok(await s.get('/api/v1/items?limit=40'), 200).items.filter((i) => i.price > 0).slice(0, 12);
for (const item of items) await adjust(s, item, shop, 20, 'found');

const reg = ok(await s.get('/api/v1/registers'), 200).registers.find((r) => r.location_id === shop.id);
await openRegister(s, shop, reg.id);
const sales = [];
for (let i = 0; i < 24; i++) {
  const a = items[i % items.length];
  const b = items[(i * 5 + 3) % items.length];
  const body = saleBody(shop, [[a, 1 + (i % 3)], [b, 1]], { register_id: reg.id });
  const total = ok(await s.post('/api/v1/sales/quote', body), 200).total;
  body.tenders = [i % 2 ? { type: 'card', amount: total, reference: `AUTH-${1000 + i}` } : { type: 'cash', amount: total + 500 }];
  sales.push(ok(await s.post('/api/v1/sales', body)));
}
// A return to stock, a damaged return, and a void by a shift lead.
ok(await s.post('/api/v1/returns', { sale_id: sales[1].id, register_id: reg.id, lines: [{ sale_line_id: sales[1].lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] }));
ok(await s.post('/api/v1/returns', { sale_id: sales[2].id, register_id: reg.id, lines: [{ sale_line_id: sales[2].lines[1].id, quantity: 1, reason: 'defective', condition: 'damaged', disposition: 'damaged' }] }));
const lead = await s.as('shift_lead');
ok(await lead.post(`/api/v1/sales/${sales[3].id}/void`, { reason: 'rang up twice' }), 200);

// A purchase order sent and received short.
const supplier = ok(await s.get('/api/v1/suppliers?limit=5'), 200).suppliers[0];
const buyer = await s.as('buyer');
const clerk = await s.as('clerk');
for (const item of items.slice(0, 3)) {
  const r = await s.post(`/api/v1/suppliers/${supplier.id}/items`, { item_id: item.id, supplier_sku: `UPG-${item.sku}`, cost: 150, case_pack: 1 });
  assert.ok(r.status === 200 || r.status === 201, r.text);
}
const po = ok(await buyer.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: shop.id, lines: items.slice(0, 3).map((i) => ({ item_id: i.id, quantity: 6, unit_cost: 150 })) }));
ok(await buyer.post(`/api/v1/purchase-orders/${po.id}/send`, {}), 200);
ok(await clerk.post(`/api/v1/purchase-orders/${po.id}/receipts`, { lines: po.lines.map((l, i) => ({ po_line_id: l.id, received: i === 0 ? 4 : 6 })) }, { 'idempotency-key': uuidv7() }));

// A count by one manager, approved by another with a reason.
const counter = s.withKey((await import('./lib/server.mjs')).createKey(out, 'upgrade-counter', 'manager'));
const approver = s.withKey((await import('./lib/server.mjs')).createKey(out, 'upgrade-approver', 'manager'));
const count = ok(await counter.post('/api/v1/counts', { location_id: shop.id, item_ids: [items[5].id, items[6].id] }));
for (const [item, counted] of [[items[5], 1], [items[6], 0]]) {
  ok(await counter.post(`/api/v1/counts/${count.id}/lines`, { item_id: item.id, counted }, { 'idempotency-key': uuidv7() }));
}
const recounter = s.withKey((await import('./lib/server.mjs')).createKey(out, 'upgrade-recounter', 'manager'));
const shown = ok(await approver.get(`/api/v1/counts/${count.id}`), 200);
for (const line of shown.lines.filter((l) => l.needs_recount)) {
  const item = items.find((i) => i.id === line.item_id);
  ok(await recounter.post(`/api/v1/counts/${count.id}/lines`, { item_id: item.id, counted: line.counted }, { 'idempotency-key': uuidv7() }));
}
ok(await approver.post(`/api/v1/counts/${count.id}/approve`, { reasons: [{ item_id: items[5].id, reason: 'theft' }, { item_id: items[6].id, reason: 'damage' }] }), 200);

// A price change asked by one manager and approved by another (applied now).
const change = ok(await counter.post('/api/v1/price-changes', { item_id: items[0].id, price: items[0].price + 100, reason: 'Supplier increase' }));
ok(await approver.post(`/api/v1/price-changes/${change.id}/approve`, { note: 'ok' }), 200);

// An online order paid with the customer's contact: this release wrote the contact into the
// order's audit entries and events (later releases name the customer by number only).
const webshop = await s.as('webshop');
const order = ok(await webshop.post('/api/v1/online-orders', {
  channel: 'web', external_id: 'W-UPGRADE-1', location_id: shop.id,
  promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
  customer: { name: 'Ada Shopper', phone: '+31612345678', email: 'ada@example.com' },
  lines: [{ item_id: items[7].id, quantity: 1, unit_price: items[7].price }], paid: true,
}, { 'idempotency-key': uuidv7() }));

// What the release itself says of its books, for the upgraded shop to say again.
const day = new Date().toISOString().slice(0, 10);
const onHand = {};
for (const item of items) onHand[item.sku] = ok(await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`), 200).on_hand;
const kpis = ok(await s.get(`/api/v1/reports/kpis?from=${day}&to=${day}&location_id=${shop.id}&group=item`), 200);
const series = ok(await s.get(`/api/v1/planning/series?location_id=${shop.id}&item_id=${items[0].id}`), 200);
const summary = {
  release: 'c9b85bd',
  made_on: day,
  location: shop.name,
  register: reg.id,
  sales: sales.map((x) => ({ id: x.id, receipt_number: x.receipt_number, total: x.total })),
  voided: sales[3].id,
  online_order: { id: order.id, number: order.number, phone: '+31612345678', email: 'ada@example.com' },
  items: items.map((i) => i.sku),
  on_hand: onHand,
  kpis: { total: kpis.total, rows: kpis.rows.filter((r) => items.some((i) => i.sku === r.sku)) },
  series_item: items[0].sku,
  series: series.history.filter((h) => h.units !== null).map(({ date, units }) => ({ date, units })),
};
writeFileSync(`${out}.json`, JSON.stringify(summary, null, 2));
await s.stop({ keep: true });
console.log(`made ${out}: ${sales.length} sales, receipts ${sales[0].receipt_number}..${sales.at(-1).receipt_number}`);
