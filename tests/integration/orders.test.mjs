// Click-and-collect over real HTTP (issue 20, docs/orders.md): an order holds its units the
// moment it is paid, not before; holds expire on the test clock (BACKROOM_TEST_CLOCK_FILE,
// which the suite moves); the last unit goes to the customer at the register and the most
// recently paid hold becomes short; 20 register sales race 20 online payments for 5 units and
// nothing is oversold; picking by scan refuses a wrong item with the reason; a short pick,
// staging, pickup by code as a sale (stock moves out once), the short-pick refund listed for
// the manager; `backroom check` holds after every step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, tempDir, withCheck, checkedFetch } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, saleBody, store, uuidv7, until as waitUntil } from './lib/shop.mjs';
// This suite's patience: 15 s, polling every 50 ms.
const until = (what, fn, ms = 15000) => waitUntil(what, fn, ms, 50);

let s;
let shop;
let shopKey;
let clockFile;
let clockMs = Date.parse('2026-06-01T09:00:00Z');
// Written whole, then renamed into place: the server never reads a half-written clock.
const setClock = (ms) => { clockMs = ms; writeFileSync(clockFile + '.new', new Date(ms).toISOString() + '\n'); renameSync(clockFile + '.new', clockFile); };
const iso = (ms) => new Date(ms).toISOString();
let gtinCounter = 0;
const newGtin = () => withCheck(`2${String(process.pid % 100000).padStart(5, '0')}${String(++gtinCounter).padStart(6, '0')}`);

before(async () => {
  clockFile = path.join(tempDir('backroom-orders-'), 'now.txt');
  setClock(clockMs);
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile, BACKROOM_ORDER_EXPIRY_POLL_SECONDS: '1', BACKROOM_WEBHOOK_POLL_MS: '50' } });
  shop = await store(s);
  shopKey = await s.as('webshop');
});
after(async () => { await s?.stop(); });

function orderBody(lines, extra = {}) {
  return {
    channel: 'web',
    external_id: `W-${uuidv7()}`,
    location_id: shop.id,
    promised_at: iso(clockMs + 4 * 3600_000),
    customer: { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' },
    lines: lines.map(([item, quantity, unit_price = 1000]) => ({ item_id: item.id, quantity, unit_price })),
    ...extra,
  };
}

async function place(lines, extra = {}) {
  const r = await shopKey.post('/api/v1/online-orders', orderBody(lines, extra), { 'idempotency-key': uuidv7() });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function stockOf(item) {
  const r = await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function eventsOf(type, entity) {
  const r = await s.get(`/api/v1/events?limit=500&type=${type}`);
  assert.equal(r.status, 200, r.text);
  return r.json.events.filter((e) => !entity || e.entity_id === entity);
}

test('a paid order holds its units at once; an unpaid one holds nothing until it is paid', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  const paid = await place([[item, 2]], { paid: true });
  assert.match(paid.number, /^ON-\d{6}$/);
  assert.equal(paid.status, 'open');
  assert.match(paid.pickup_code, /^[A-Z0-9]{8}$/);
  assert.equal(paid.lines[0].held, 2);
  assert.equal(paid.lines[0].hold_status, 'active');
  assert.equal(paid.total, 2000);
  let st = await stockOf(item);
  assert.deepEqual([st.on_hand, st.reserved, st.available], [5, 2, 3]);

  const unpaid = await place([[item, 1]]);
  assert.equal(unpaid.paid, false);
  assert.equal(unpaid.lines[0].held, 0);
  assert.equal((await stockOf(item)).reserved, 2, 'an unpaid order holds nothing');
  const pay = await shopKey.post(`/api/v1/online-orders/${unpaid.id}/paid`);
  assert.equal(pay.status, 200, pay.text);
  assert.equal(pay.json.lines[0].held, 1);
  assert.equal((await shopKey.post(`/api/v1/online-orders/${unpaid.id}/paid`)).json.lines[0].held, 1, 'paying twice holds once');
  st = await stockOf(item);
  assert.deepEqual([st.reserved, st.available], [3, 2]);
  assert.equal((await eventsOf('order.paid', unpaid.id)).length, 1);

  // A retry under the same key, or the same external id with the same body, is the same order.
  const body = orderBody([[item, 1]], { paid: true });
  const key = uuidv7();
  const first = await shopKey.post('/api/v1/online-orders', body, { 'idempotency-key': key });
  assert.equal(first.status, 201, first.text);
  const again = await shopKey.post('/api/v1/online-orders', body, { 'idempotency-key': key });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true', 'the same key: the first answer again');
  assert.equal(again.json.id, first.json.id);
  const replay = await shopKey.post('/api/v1/online-orders', body);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.id, first.json.id);
  const changed = await shopKey.post('/api/v1/online-orders', { ...body, lines: [{ item_id: item.id, quantity: 2, unit_price: 1000 }] });
  assert.equal(changed.status, 409, changed.text);
  assert.equal(changed.json.code, 'duplicate_order');
  assert.equal((await stockOf(item)).reserved, 4, 'a replay holds nothing more');

  // Lines named by SKU and GTIN.
  const gtin = newGtin();
  const other = await makeItem(s, { barcodes: [{ code: gtin }] });
  await adjust(s, other, shop, 3, 'opening');
  const named = await place([], { lines: [{ sku: other.sku, quantity: 1, unit_price: 500 }, { gtin, quantity: 1, unit_price: 500 }], paid: true });
  assert.deepEqual(named.lines.map((l) => [l.item_id, l.held]), [[other.id, 1], [other.id, 1]]);

  const cancel = await s.post(`/api/v1/online-orders/${paid.id}/cancel`, { reason: 'customer called' });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.status, 'cancelled');
  assert.equal(cancel.json.lines[0].held, 0);
  assert.equal((await stockOf(item)).reserved, 2);
  const read = await shopKey.get(`/api/v1/online-orders/${paid.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.json.status, 'cancelled');
  assertBooksHold(s.db);
});

test('a payment when nothing is available is accepted with its line short, never oversold', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 1, 'opening');
  const o = await place([[item, 3]], { paid: true });
  assert.equal(o.status, 'open');
  assert.equal(o.short, true);
  assert.deepEqual([o.lines[0].held, o.lines[0].hold_status], [1, 'short']);
  const st = await stockOf(item);
  assert.deepEqual([st.on_hand, st.reserved, st.available], [1, 1, 0]);
  const ev = await eventsOf('order.short', o.id);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].data.cause, 'not_available');
  assertBooksHold(s.db);
});

test('holds expire hold_expiry_hours after the promised time: the order expires, its units are released', async () => {
  const bad = await s.patch('/api/v1/settings/orders', { hold_expiry_hours: 0 });
  assert.equal(bad.status, 422, bad.text);
  const set = await s.patch('/api/v1/settings/orders', { hold_expiry_hours: 2 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.hold_expiry_hours, 2);
  const item = await makeItem(s);
  await adjust(s, item, shop, 4, 'opening');
  const o = await place([[item, 3]], { paid: true, promised_at: iso(clockMs + 3600_000) });
  assert.equal(Date.parse(o.expires_at), clockMs + 3 * 3600_000);
  setClock(clockMs + 2 * 3600_000);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await s.get(`/api/v1/online-orders/${o.id}`)).json.status, 'open', 'not before its time');
  setClock(clockMs + 3600_000 + 1000);
  const expired = await until('the order to expire', async () => {
    const r = await s.get(`/api/v1/online-orders/${o.id}`);
    return r.json.status === 'expired' && r.json;
  });
  assert.equal(expired.lines[0].held, 0);
  assert.equal((await stockOf(item)).reserved, 0);
  assert.equal((await eventsOf('order.expired', o.id)).length, 1);
  const late = await shopKey.post(`/api/v1/online-orders/${o.id}/paid`);
  assert.equal(late.status, 200, 'it was paid already: answered unchanged');
  const unpaid = await place([[item, 1]], { promised_at: iso(clockMs - 3 * 3600_000) });
  await until('the unpaid order to expire', async () => (await s.get(`/api/v1/online-orders/${unpaid.id}`)).json.status === 'expired');
  const pay = await shopKey.post(`/api/v1/online-orders/${unpaid.id}/paid`);
  assert.equal(pay.status, 409, pay.text);
  assert.equal(pay.json.code, 'order_closed');
  await s.patch('/api/v1/settings/orders', { hold_expiry_hours: 48 });
  assertBooksHold(s.db);
});

test('the last unit goes to the customer at the register: the latest paid hold becomes short', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 2, 'opening');
  const early = await place([[item, 1]], { paid: true });
  const late = await place([[item, 1]], { paid: true });
  assert.equal((await stockOf(item)).available, 0);
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(sale.status, 201, 'a register sale is never refused because of a hold: ' + sale.text);
  const a = (await s.get(`/api/v1/online-orders/${early.id}`)).json;
  const b = (await s.get(`/api/v1/online-orders/${late.id}`)).json;
  assert.deepEqual([a.lines[0].held, a.lines[0].hold_status], [1, 'active'], 'the earlier payment keeps its unit');
  assert.deepEqual([b.lines[0].held, b.lines[0].hold_status], [0, 'short'], 'the latest payment gives it up');
  const ev = await eventsOf('order.short', late.id);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].data.cause, 'register_sale');
  const st = await stockOf(item);
  assert.deepEqual([st.on_hand, st.reserved], [1, 1]);

  // With the shop refusing negative stock, the register is refused only when on hand itself is 0.
  assert.equal((await s.put('/api/v1/settings/sales', { negative_stock: 'refuse' })).status, 200);
  try {
    const last = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
    assert.equal(last.status, 201, last.text);
    assert.equal((await s.get(`/api/v1/online-orders/${early.id}`)).json.lines[0].held, 0);
    const none = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
    assert.equal(none.status, 409, none.text);
    assert.equal(none.json.code, 'insufficient_stock');
  } finally {
    await s.put('/api/v1/settings/sales', { negative_stock: 'allow' });
  }
  assertBooksHold(s.db);
});

test('the race: 20 register sales against 20 online payments for 5 units never oversell', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  const orders = [];
  for (let i = 0; i < 20; i++) orders.push(await place([[item, 1]]));
  assert.equal((await s.put('/api/v1/settings/sales', { negative_stock: 'refuse' })).status, 200);
  try {
    const requests = [];
    for (let i = 0; i < 20; i++) {
      requests.push(s.post('/api/v1/sales', saleBody(shop, [[item, 1]])).then((r) => ({ kind: 'sale', r })));
      requests.push(shopKey.post(`/api/v1/online-orders/${orders[i].id}/paid`).then((r) => ({ kind: 'pay', r })));
    }
    const results = await Promise.all(requests);
    const sold = results.filter((x) => x.kind === 'sale' && x.r.status === 201).length;
    for (const x of results.filter((y) => y.kind === 'sale' && y.r.status !== 201)) assert.equal(x.r.json.code, 'insufficient_stock');
    for (const x of results.filter((y) => y.kind === 'pay')) assert.equal(x.r.status, 200, 'every payment is accepted');
    let held = 0;
    for (const o of orders) {
      const r = (await s.get(`/api/v1/online-orders/${o.id}`)).json;
      assert.equal(r.paid, true);
      held += r.lines[0].held;
      assert.ok(r.lines[0].held === 1 ? r.lines[0].hold_status === 'active' : r.lines[0].hold_status === 'short');
    }
    assert.equal(sold + held, 5, `register sales (${sold}) + units held (${held}) = the 5 units that were there`);
    const st = await stockOf(item);
    assert.equal(st.on_hand, 5 - sold);
    assert.ok(st.on_hand >= 0, 'never below zero');
    assert.equal(st.reserved, held);
    assert.equal(st.available, 0);
  } finally {
    await s.put('/api/v1/settings/sales', { negative_stock: 'allow' });
  }
  assertBooksHold(s.db);
});

test('pick by scan (a wrong item refused with the reason), short pick, staging, pickup by code as a sale, refund', async () => {
  const codeA = newGtin();
  const codeB = newGtin();
  const codeC = newGtin();
  const a = await makeItem(s, { price: 1500, barcodes: [{ code: codeA }] });
  const b = await makeItem(s, { price: 800, barcodes: [{ code: codeB }] });
  const c = await makeItem(s, { name: 'Wrong thing', barcodes: [{ code: codeC }] });
  for (const item of [a, b, c]) await adjust(s, item, shop, 10, 'opening');
  const soon = await place([[a, 1, 1200]], { paid: true, promised_at: iso(clockMs + 3600_000) });
  const o = await place([[a, 2, 1200], [b, 1, 800]], { paid: true, promised_at: iso(clockMs + 7200_000) });
  const unpaidEarly = await place([[a, 1]], { promised_at: iso(clockMs + 7200_000) });

  const queue = await s.get(`/api/v1/pick-queue?location_id=${shop.id}`);
  assert.equal(queue.status, 200, queue.text);
  const ids = queue.json.online_orders.map((x) => x.id);
  assert.ok(ids.indexOf(soon.id) < ids.indexOf(o.id), 'by promised time');
  assert.ok(ids.indexOf(o.id) < ids.indexOf(unpaidEarly.id), 'then paid before unpaid');

  const wrong = await s.post(`/api/v1/online-orders/${o.id}/pick`, { code: codeC });
  assert.equal(wrong.status, 422, wrong.text);
  assert.equal(wrong.json.code, 'wrong_item');
  assert.match(wrong.json.detail, new RegExp(`${c.sku}.*not on order ${o.number}`));
  let r = await s.post(`/api/v1/online-orders/${o.id}/pick`, { code: codeA });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'picking');
  r = await s.post(`/api/v1/online-orders/${o.id}/pick`, { code: codeA, quantity: 2 });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'over_picked');
  r = await s.post(`/api/v1/online-orders/${o.id}/pick`, { item_id: a.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lines[0].picked, 2);
  const early = await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'B-3' });
  assert.equal(early.status, 409, early.text);
  assert.equal(early.json.code, 'not_picked');
  const lineB = r.json.lines[1];
  r = await s.post(`/api/v1/online-orders/${o.id}/short`, { line_id: lineB.id });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.lines[1].short, r.json.lines[1].held], [1, 0]);
  assert.equal((await stockOf(b)).reserved, 0, 'a short line holds nothing');
  r = await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'B-3' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.staging_spot], ['ready', 'B-3']);
  const ready = await eventsOf('order.ready', o.id);
  assert.equal(ready.length, 1);
  assert.match(ready[0].data.message.text, new RegExp(o.pickup_code));
  assert.deepEqual(ready[0].data.message.to, { id: o.customer.id, number: o.customer.number });
  assert.ok(!JSON.stringify(ready[0].data).includes('ada@example.com'), 'no contact data in the event');

  // The bag's label: a PDF whose Code 128 symbol scans back as the pickup code.
  const notStaged = await s.get(`/api/v1/online-orders/${soon.id}/staging-label`);
  assert.equal(notStaged.status, 409, notStaged.text);
  assert.equal(notStaged.json.code, 'not_staged');
  const label = await checkedFetch(`${s.url}/api/v1/online-orders/${o.id}/staging-label`, { headers: { ...s.headers } });
  assert.equal(label.status, 200);
  assert.equal(label.headers.get('content-type'), 'application/pdf');
  const pdf = Buffer.from(await label.arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const dir = tempDir();
  writeFileSync(path.join(dir, 'label.pdf'), pdf);
  execFileSync('pdftoppm', ['-r', '300', '-png', '-singlefile', path.join(dir, 'label.pdf'), path.join(dir, 'label')]);
  const scanned = execFileSync('zbarimg', ['--raw', '-q', path.join(dir, 'label.png')], { encoding: 'utf8' }).trim();
  assert.equal(scanned, o.pickup_code, 'the label scans as the pickup code');
  const text = execFileSync('pdftotext', [path.join(dir, 'label.pdf'), '-'], { encoding: 'utf8' });
  assert.match(text, new RegExp(o.number));
  assert.match(text, /B-3/);

  const unknown = await s.post('/api/v1/online-orders/pickup', { pickup_code: 'NOSUCH00' });
  assert.equal(unknown.status, 404, unknown.text);
  const notReady = await s.post('/api/v1/online-orders/pickup', { pickup_code: soon.pickup_code });
  assert.equal(notReady.status, 409, notReady.text);
  const beforeA = await onHand(s, a, shop);
  const picked = await s.post('/api/v1/online-orders/pickup', { pickup_code: o.pickup_code.toLowerCase() });
  assert.equal(picked.status, 200, picked.text);
  assert.equal(picked.json.status, 'collected');
  assert.equal(picked.json.sale.total, 2400, 'the sale is at the order\'s prices');
  assert.equal(picked.json.sale.tenders[0].type, 'card');
  assert.equal(picked.json.refund_due, 800);
  assert.equal(await onHand(s, a, shop), beforeA - 2, 'stock moves out once');
  assert.equal(await onHand(s, b, shop), 10);
  assert.equal((await stockOf(a)).reserved, 1, 'only the other order still holds');
  const twice = await s.post('/api/v1/online-orders/pickup', { pickup_code: o.pickup_code });
  assert.equal(twice.status, 200);
  assert.equal(await onHand(s, a, shop), beforeA - 2, 'a second pickup moves nothing');
  assertBooksHold(s.db);

  const refunds = await s.get('/api/v1/online-orders/refunds');
  assert.equal(refunds.status, 200, refunds.text);
  assert.ok(refunds.json.online_orders.some((x) => x.id === o.id && x.refund_due === 800));
  const cashier = await s.as('cashier');
  assert.equal((await cashier.post(`/api/v1/online-orders/${o.id}/refund`)).status, 403);
  const settled = await s.post(`/api/v1/online-orders/${o.id}/refund`);
  assert.equal(settled.status, 200, settled.text);
  assert.ok(settled.json.refunded_at);
  assert.ok(!(await s.get('/api/v1/online-orders/refunds')).json.online_orders.some((x) => x.id === o.id));

  // An unpaid order is paid at pickup.
  const pay = await place([[c, 1, 999]]);
  await s.post(`/api/v1/online-orders/${pay.id}/pick`, { code: codeC });
  await s.post(`/api/v1/online-orders/${pay.id}/stage`, { spot: 'A-1' });
  const noMoney = await s.post('/api/v1/online-orders/pickup', { pickup_code: pay.pickup_code });
  assert.equal(noMoney.status, 422, noMoney.text);
  const cash = await s.post('/api/v1/online-orders/pickup', { pickup_code: pay.pickup_code, tenders: [{ type: 'cash', amount: 1000 }] });
  assert.equal(cash.status, 200, cash.text);
  assert.equal(cash.json.sale.change_due, 1);
  assert.equal(await onHand(s, c, shop), 9);
  assertBooksHold(s.db);
});

// A shop's SMS/email integration: a webhook receiver subscribed to order.* and availability.
const hooks = { server: null, url: '', received: [] };
async function startHooks() {
  hooks.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { hooks.received.push(JSON.parse(body)); res.writeHead(204); res.end(); });
  });
  await new Promise((r) => hooks.server.listen(0, '127.0.0.1', r));
  hooks.url = `http://127.0.0.1:${hooks.server.address().port}`;
  const e = await s.post('/api/v1/webhooks/endpoints', { url: `${hooks.url}/sms`, event_types: ['order.*', 'availability.changed'], owner: 'sms' });
  assert.equal(e.status, 201, e.text);
}
after(() => hooks.server?.close());

test('substitution: a short line is offered another item by link; accepted it is picked and its price difference paid at the till, declined the line is refunded', async () => {
  await startHooks();
  const category = `Tea ${process.pid}`;
  const codeA = newGtin();
  const codeDear = newGtin();
  const codeCheap = newGtin();
  const a = await makeItem(s, { name: 'Sencha 100 g', price: 1000, category, barcodes: [{ code: codeA }] });
  const dear = await makeItem(s, { name: 'Gyokuro 100 g', price: 1300, category, barcodes: [{ code: codeDear }] });
  const cheap = await makeItem(s, { name: 'Bancha 100 g', price: 650, category, barcodes: [{ code: codeCheap }] });
  const gone = await makeItem(s, { name: 'Matcha 30 g', price: 1100, category });
  const elsewhere = await makeItem(s, { name: 'Teapot', price: 1000, category: `Pots ${process.pid}` });
  for (const item of [a, dear, cheap, elsewhere]) await adjust(s, item, shop, 5, 'opening');
  const o = await place([[a, 2, 1000], [gone, 1, 1100]], { paid: true });
  const lineA = o.lines[0];
  const lineGone = o.lines[1];
  assert.equal(lineGone.hold_status, 'short', 'nothing of the matcha was there to hold');

  // Only a short line is offered a substitute.
  let r = await s.post(`/api/v1/online-orders/${o.id}/substitutions`, { line_id: lineA.id, item_id: dear.id });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'not_substitutable');
  r = await s.post(`/api/v1/online-orders/${o.id}/pick`, { code: codeA, quantity: 1 });
  assert.equal(r.status, 200, r.text);
  r = await s.post(`/api/v1/online-orders/${o.id}/short`, { line_id: lineA.id });
  assert.equal(r.status, 200, r.text);
  r = await s.post(`/api/v1/online-orders/${o.id}/short`, { line_id: lineGone.id });
  assert.equal(r.status, 200, r.text);

  // The candidates: same category, in stock here, closest price first; not the item itself.
  const candidates = await s.get(`/api/v1/online-orders/${o.id}/lines/${lineA.id}/substitutes`);
  assert.equal(candidates.status, 200, candidates.text);
  const names = candidates.json.items.map((i) => i.name);
  assert.deepEqual(names.slice(0, 2), ['Gyokuro 100 g', 'Bancha 100 g'], names.join(', '));
  assert.ok(!names.includes('Sencha 100 g') && !names.includes('Teapot') && !names.includes('Matcha 30 g'));

  // A picker offers at the item's price; a price of one's own needs orders.manage.
  const picker = await s.as('cashier');
  const ownPrice = await picker.post(`/api/v1/online-orders/${o.id}/substitutions`, { line_id: lineA.id, item_id: dear.id, unit_price: 1 });
  assert.equal(ownPrice.status, 403, ownPrice.text);
  assert.equal(ownPrice.json.field, 'unit_price');
  const offerA = await s.post(`/api/v1/online-orders/${o.id}/substitutions`, { line_id: lineA.id, item_id: dear.id },
    { 'idempotency-key': uuidv7() });
  assert.equal(offerA.status, 201, offerA.text);
  assert.deepEqual([offerA.json.status, offerA.json.quantity, offerA.json.unit_price, offerA.json.credit, offerA.json.price_difference],
    ['offered', 1, 1300, 1000, 300]);
  const linkA = offerA.json.link_path;
  assert.match(linkA, /^\/substitute\/[0-9a-f]{48}$/);
  const tokenA = linkA.split('/').pop();
  const offerGone = await s.post(`/api/v1/online-orders/${o.id}/substitutions`, { line_id: lineGone.id, item_id: cheap.id, unit_price: 700 });
  assert.equal(offerGone.status, 201, offerGone.text);
  assert.equal(offerGone.json.price_difference, -400);
  const tokenGone = offerGone.json.link_path.split('/').pop();

  // The message goes out through the outbox, with the choice and the link.
  const offered = await eventsOf('order.substitution_offered', o.id);
  assert.equal(offered.length, 2);
  const messageA = offered.find((e) => e.data.substitution.id === offerA.json.id).data.message;
  assert.equal(messageA.link_path, linkA);
  // The message names the customer by the customer master's id and number, never the contact:
  // the integration reads the contact from the customer (customers.contact_read).
  assert.deepEqual(messageA.to, { id: o.customer.id, number: o.customer.number });
  assert.match(messageA.to.number, /^C-\d{6}$/);
  assert.equal((await s.get(`/api/v1/customers/${messageA.to.id}`)).json.email, 'ada@example.com');
  assert.match(messageA.text, /Sencha 100 g is out of stock .*Gyokuro 100 g .*more/);
  // ... and is pushed to the shop's SMS/email integration by webhook.
  const pushed = await until('the offer on the webhook', () =>
    hooks.received.find((h) => h.type === 'order.substitution_offered' && h.data.substitution.id === offerA.json.id));
  assert.equal(pushed.data.message.link_path, linkA);

  // The customer's link: public, no ids and no contact details in it.
  const customer = s.anonymous();
  const unknown = await customer.get(`/api/v1/substitution-offers/${'0'.repeat(48)}`);
  assert.equal(unknown.status, 404, unknown.text);
  assert.equal(unknown.json.code, 'unknown_offer');
  assert.equal((await customer.get('/api/v1/substitution-offers/not-a-token')).status, 404);
  const shown = await customer.get(`/api/v1/substitution-offers/${tokenA}`);
  assert.equal(shown.status, 200, shown.text);
  assert.deepEqual([shown.json.number, shown.json.short.name, shown.json.offered.name, shown.json.price_difference, shown.json.status],
    [o.number, 'Sencha 100 g', 'Gyokuro 100 g', 300, 'offered']);
  assert.doesNotMatch(shown.text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids on the customer\'s page');
  assert.doesNotMatch(shown.text, /ada@example|\+3161234567/, 'no contact details');

  const accepted = await customer.post(`/api/v1/substitution-offers/${tokenA}/accept`);
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.status, 'accepted');
  const again = await customer.post(`/api/v1/substitution-offers/${tokenA}/accept`);
  assert.equal(again.status, 200, 'the same answer twice answers the same');
  const changeMind = await customer.post(`/api/v1/substitution-offers/${tokenA}/decline`);
  assert.equal(changeMind.status, 409, changeMind.text);
  assert.equal(changeMind.json.code, 'offer_closed');
  const declined = await customer.post(`/api/v1/substitution-offers/${tokenGone}/decline`);
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.status, 'declined');
  assert.equal((await eventsOf('order.substitution_accepted', o.id)).length, 1);
  assert.equal((await eventsOf('order.substitution_declined', o.id)).length, 1);

  // Accepted: a new line for the substitute, held at once (the order is paid), to be picked.
  r = await s.get(`/api/v1/online-orders/${o.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'picking');
  const added = r.json.lines.find((l) => l.substitute_for === lineA.id);
  assert.ok(added, 'the substitute is a line of the order');
  assert.deepEqual([added.item_id, added.quantity, added.held, added.credit, added.outstanding], [dear.id, 1, 1, 1000, 1]);
  assert.equal(r.json.total, 2000 + 1100 - 1000 + 1300, 'the total counts the substitute instead of the short unit');
  assert.equal((await stockOf(dear)).reserved, 1);
  const early = await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'C-1' });
  assert.equal(early.status, 409, 'the substitute is still to pick');
  r = await s.post(`/api/v1/online-orders/${o.id}/pick`, { code: codeDear });
  assert.equal(r.status, 200, r.text);
  r = await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'C-1' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.due_at_pickup, 300);
  const readyHook = await until('order.ready on the webhook', () => hooks.received.find((h) => h.type === 'order.ready' && h.data.id === o.id));
  assert.match(readyHook.data.message.text, new RegExp(o.pickup_code));
  // Availability changes are pushed too, once announced.
  assert.equal((await s.post('/api/v1/availability/announce', {})).status, 200);
  await until('availability.changed on the webhook', () => hooks.received.find((h) => h.type === 'availability.changed'));

  // Pickup: the online payment covers what it paid for; the dearer substitute's 3.00 is paid
  // at the till; the declined matcha (11.00) is refunded.
  const noMoney = await s.post('/api/v1/online-orders/pickup', { pickup_code: o.pickup_code });
  assert.equal(noMoney.status, 422, noMoney.text);
  assert.equal(noMoney.json.code, 'payment_due');
  const beforeDear = await onHand(s, dear, shop);
  const picked = await s.post('/api/v1/online-orders/pickup', { pickup_code: o.pickup_code, tenders: [{ type: 'cash', amount: 300 }] });
  assert.equal(picked.status, 200, picked.text);
  assert.equal(picked.json.sale.total, 1000 + 1300);
  const tenders = picked.json.sale.tenders.map((t) => [t.type, t.amount]);
  assert.deepEqual(tenders, [['card', 2000], ['cash', 300]]);
  assert.equal(picked.json.refund_due, 1100, 'the declined line is refunded; the accepted one is not');
  assert.equal(await onHand(s, dear, shop), beforeDear - 1);
  assert.equal((await stockOf(dear)).reserved, 0);
  // A withdrawn offer: a new offer for a line replaces one still waiting (seen on another order).
  const o2 = await place([[gone, 1, 1100]], { paid: true });
  await s.post(`/api/v1/online-orders/${o2.id}/short`, { line_id: o2.lines[0].id });
  const first = await s.post(`/api/v1/online-orders/${o2.id}/substitutions`, { line_id: o2.lines[0].id, item_id: cheap.id });
  const second = await s.post(`/api/v1/online-orders/${o2.id}/substitutions`, { line_id: o2.lines[0].id, item_id: dear.id });
  assert.equal(second.status, 201, second.text);
  const stale = await customer.post(`/api/v1/substitution-offers/${first.json.link_path.split('/').pop()}/accept`);
  assert.equal(stale.status, 409, stale.text);
  assert.match(stale.json.detail, /withdrew/);
  assertBooksHold(s.db);
});

test('a key scoped to another store cannot read or place its orders', async () => {
  const o = await s.post('/api/v1/locations', { name: `Second ${uuidv7().slice(-6)}`, kind: 'store' });
  assert.equal(o.status, 201, o.text);
  const { createKey } = await import('./lib/server.mjs');
  const key = createKey(s.db, `scoped-${uuidv7().slice(-6)}`, 'webshop', ['--location', o.json.id]);
  const scoped = s.withKey(key);
  const item = await makeItem(s);
  const r = await scoped.post('/api/v1/online-orders', orderBody([[item, 1]]));
  assert.equal(r.status, 403, r.text);
  const own = await scoped.post('/api/v1/online-orders', orderBody([[item, 1]], { location_id: o.json.id }));
  assert.equal(own.status, 201, own.text);
  const mine = await place([[item, 1]]);
  assert.equal((await scoped.get(`/api/v1/online-orders/${mine.id}`)).status, 403);
});
