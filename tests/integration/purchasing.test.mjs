// Purchase orders and receiving over real HTTP (issue 16): drafting in whole cases with
// warnings, the status flow (draft -> sent -> partially_received -> received, closed short,
// cancelled) and its 409s, receiving by lines and by scans (a case GTIN-14 adds its case
// pack; barcodes not on the order are reported, never added), the over-receipt tolerance a
// manager must approve, idempotent receipts, the moving-average cost (ten at 1.00 then ten
// at 2.00 gives 1.50) and its history, the supplier's document (PDF, CSV), the events and the
// label queue. `backroom check` holds after the receipts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck, checkedFetch } from './lib/server.mjs';
import { assertBooksHold, binOf, makeItem, onHand, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let supplier;
let clerk;
let buyer;
let manager;
before(async () => {
  s = await startServer();
  shop = await store(s);
  supplier = await makeSupplier();
  clerk = await s.as('clerk');
  buyer = await s.as('buyer');
  manager = await s.as('manager');
});
after(async () => { await s.stop(); });

let supplierCount = 0;
async function makeSupplier(extra = {}) {
  const r = await s.post('/api/v1/suppliers', {
    name: `PO supplier ${process.pid}-${++supplierCount}`, contact: { email: 'orders@example.com', phone: '+31 20 123 4567' },
    lead_time_days: 3, order_days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function supplierItem(sup, item, extra = {}) {
  const r = await s.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: item.id, supplier_sku: `S-${item.sku}`, cost: 150, case_pack: 1, ...extra });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  return r.json;
}

async function draft(lines, extra = {}, as = buyer) {
  const r = await as.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: shop.id, lines, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function sent(lines, extra = {}) {
  const o = await draft(lines, extra);
  const r = await buyer.post(`/api/v1/purchase-orders/${o.id}/send`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'sent');
  return r.json;
}

async function receive(order, body, as = clerk, key = uuidv7()) {
  return as.post(`/api/v1/purchase-orders/${order.id}/receipts`, body, { 'idempotency-key': key });
}

const cost = async (item) => (await s.get(`/api/v1/items/${item.id}`)).json.cost;

test('the cost example: ten at 1.00 then ten at 2.00 gives 1.50, step by step in the cost history', async () => {
  const item = await makeItem(s);
  assert.equal(item.cost, null);
  const first = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  let r = await receive(first, { lines: [{ po_line_id: first.lines[0].id, received: 10 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(await cost(item), 100, 'the first receipt of an item without a cost sets it');
  const second = await sent([{ item_id: item.id, quantity: 10, unit_cost: 200 }]);
  r = await receive(second, { lines: [{ po_line_id: second.lines[0].id, received: 10 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(await cost(item), 150);
  assert.equal(await onHand(s, item, shop), 20);

  const history = await clerk.get(`/api/v1/items/${item.id}/cost-history`);
  assert.equal(history.status, 200, history.text);
  assert.deepEqual(history.json.entries.map((e) => [e.cost_before, e.cost_after, e.received, e.unit_cost, e.on_hand_before]),
    [[100, 150, 10, 200, 10], [null, 100, 10, 100, 0]], 'newest first');
  assert.equal(history.json.entries[0].purchase_order_number, second.number);
  const paged = await s.get(`/api/v1/items/${item.id}/cost-history?limit=1`);
  assert.equal(paged.json.entries.length, 1);
  const rest = await s.get(`/api/v1/items/${item.id}/cost-history?limit=1&cursor=${paged.json.next_cursor}`);
  assert.equal(rest.json.entries[0].cost_after, 100);
  assert.equal(rest.json.next_cursor, null);
  assert.equal((await s.get(`/api/v1/items/${uuidv7()}/cost-history`)).status, 404);

  const moves = await s.get(`/api/v1/stock/movements?item_id=${item.id}`);
  assert.deepEqual(moves.json.movements.map((m) => [m.reason, m.document_type, m.quantity, m.location_id]),
    [['receipt', 'po_receipt', 10, shop.id], ['receipt', 'po_receipt', 10, shop.id]]);
  assertBooksHold(s.db);
});

test('drafting: quantities rounded up to whole cases with a note, exact_cases refuses, unit cost from the supplier item, warnings', async () => {
  const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date().getUTCDay()];
  const otherDay = today === 'mon' ? 'tue' : 'mon';
  const picky = await makeSupplier({ order_days: [otherDay], min_order_value: 50000, free_freight_value: 80000 });
  const tea = await makeItem(s);
  const cups = await makeItem(s);
  await supplierItem(picky, tea, { cost: 150, case_pack: 6 });
  await supplierItem(picky, cups, { cost: 300, case_pack: 1 });
  const r = await buyer.post('/api/v1/purchase-orders', {
    supplier_id: picky.id, location_id: shop.id, expected_on: '2026-12-24',
    lines: [{ item_id: tea.id, quantity: 10 }, { item_id: cups.id, quantity: 4 }],
  });
  assert.equal(r.status, 201, r.text);
  const o = r.json;
  assert.match(o.number, /^PO-\d{6}$/);
  assert.equal(o.status, 'draft');
  assert.equal(o.expected_on, '2026-12-24');
  assert.deepEqual(o.lines.map((l) => [l.requested, l.quantity, l.case_pack, l.cases, l.unit_cost, l.total, l.supplier_sku]),
    [[10, 12, 6, 2, 150, 1800, `S-${tea.sku}`], [4, 4, 1, 4, 300, 1200, `S-${cups.sku}`]]);
  assert.match(o.lines[0].note, /rounded up from 10 to 12 \(2 cases of 6\)/);
  assert.equal(o.lines[1].note, null);
  assert.equal(o.total, 3000);
  assert.deepEqual(o.warnings.map((w) => w.code), ['rounded_to_case', 'below_min_order_value', 'below_free_freight_value', 'not_an_order_day']);
  assert.match(o.warnings[1].message, /470\.00 below/);
  assert.match(o.warnings[2].message, /770\.00 more/);

  const exact = await buyer.post('/api/v1/purchase-orders', { supplier_id: picky.id, location_id: shop.id, exact_cases: true, lines: [{ item_id: tea.id, quantity: 10 }] });
  assert.equal(exact.status, 422, exact.text);
  assert.equal(exact.json.code, 'case_pack');
  assert.equal(exact.json.field, 'lines[0].quantity');
  const whole = await buyer.post('/api/v1/purchase-orders', { supplier_id: picky.id, location_id: shop.id, exact_cases: true, lines: [{ item_id: tea.id, quantity: 12 }] });
  assert.equal(whole.status, 201, whole.text);

  const numbers = [o.number, whole.json.number].map((n) => Number(n.slice(3)));
  const failed = await buyer.post('/api/v1/purchase-orders', { supplier_id: picky.id, location_id: shop.id, lines: [{ item_id: uuidv7(), quantity: 1 }] });
  assert.equal(failed.status, 422);
  assert.equal(failed.json.field, 'lines[0].item_id');
  const next = await draft([{ item_id: tea.id, quantity: 1, unit_cost: 100 }]);
  assert.equal(Number(next.number.slice(3)), numbers[1] + 1, 'numbers are gap-free: a refused order takes none');
});

test('status flow: edit only a draft (po_not_editable), send once, partially_received then received, events', async () => {
  const item = await makeItem(s);
  const o = await draft([{ item_id: item.id, quantity: 3, unit_cost: 100 }]);
  const edited = await buyer.patch(`/api/v1/purchase-orders/${o.id}`, { lines: [{ item_id: item.id, quantity: 5, unit_cost: 120 }], note: 'by Friday' });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(edited.json.lines.map((l) => [l.quantity, l.unit_cost]), [[5, 120]]);
  assert.equal(edited.json.note, 'by Friday');
  const early = await receive(o, { lines: [{ po_line_id: edited.json.lines[0].id, received: 1 }] });
  assert.equal(early.status, 409);
  assert.equal(early.json.code, 'po_not_sent');
  const send = await buyer.post(`/api/v1/purchase-orders/${o.id}/send`, {});
  assert.equal(send.status, 200, send.text);
  assert.equal(send.json.status, 'sent');
  assert.ok(send.json.sent_at);
  const again = await buyer.post(`/api/v1/purchase-orders/${o.id}/send`, {});
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'po_not_draft');
  const late = await buyer.patch(`/api/v1/purchase-orders/${o.id}`, { note: 'too late' });
  assert.equal(late.status, 409, late.text);
  assert.equal(late.json.code, 'po_not_editable');

  const line = send.json.lines[0];
  const part = await receive(send.json, { lines: [{ po_line_id: line.id, received: 2 }] });
  assert.equal(part.status, 201, part.text);
  assert.equal(part.json.purchase_order.status, 'partially_received');
  assert.deepEqual(part.json.lines.map((l) => [l.po_line_id, l.item_id, l.received, l.damaged, l.short, l.over]), [[line.id, item.id, 2, 0, 3, 0]]);
  const rest = await receive(send.json, { lines: [{ po_line_id: line.id, received: 3 }] });
  assert.equal(rest.status, 201, rest.text);
  assert.equal(rest.json.purchase_order.status, 'received');
  assert.ok(rest.json.purchase_order.received_at);
  const read = await clerk.get(`/api/v1/purchase-orders/${o.id}`);
  assert.deepEqual(read.json.receipts.map((r) => [r.number, r.lines[0].received]), [[1, 2], [2, 3]]);
  const closed = await receive(send.json, { lines: [{ po_line_id: line.id, received: 1 }] });
  assert.equal(closed.status, 409);
  assert.equal(closed.json.code, 'po_closed');

  const ofType = async (type) => (await s.get(`/api/v1/events?type=${type}&limit=500`)).json.events;
  for (const type of ['purchase_order.created', 'purchase_order.updated', 'purchase_order.sent', 'purchase_order.received'])
    assert.ok((await ofType(type)).some((e) => e.entity_id === o.id), `${type} of the order`);
  const posted = (await ofType('receipt.posted')).filter((e) => e.data.purchase_order_id === o.id);
  assert.equal(posted.length, 2);
  assert.deepEqual(posted[0].data.lines.map((l) => [l.item_id, l.received, l.unit_cost]), [[item.id, 2, 120]]);
  assert.equal(posted[0].data.location_id, shop.id);
  assert.equal(posted[1].entity_id, rest.json.id);

  const listed = await s.get('/api/v1/purchase-orders?status=received&limit=500');
  assert.equal(listed.status, 200, listed.text);
  assert.ok(listed.json.purchase_orders.some((p) => p.id === o.id));
  assert.ok(listed.json.purchase_orders.every((p) => p.status === 'received'));
  const bad = await s.get('/api/v1/purchase-orders?status=lost');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'status');
});

test('orders are listed newest first and paged by cursor', async () => {
  const item = await makeItem(s);
  const made = [];
  for (let i = 0; i < 3; i++) made.push(await draft([{ item_id: item.id, quantity: 1, unit_cost: 10 }]));
  const page = await s.get(`/api/v1/purchase-orders?supplier_id=${supplier.id}&status=draft&limit=2`);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.purchase_orders.map((p) => p.id), [made[2].id, made[1].id]);
  const next = await s.get(`/api/v1/purchase-orders?supplier_id=${supplier.id}&status=draft&limit=2&cursor=${page.json.next_cursor}`);
  assert.equal(next.json.purchase_orders[0].id, made[0].id);
});

test('close short needs a reason and purchasing.close; a closed order refuses receipts with 409', async () => {
  const item = await makeItem(s);
  const o = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const r = await receive(o, { lines: [{ po_line_id: o.lines[0].id, received: 4 }] });
  assert.equal(r.status, 201, r.text);
  const byBuyer = await buyer.post(`/api/v1/purchase-orders/${o.id}/close`, { reason: 'supplier out of stock' });
  assert.equal(byBuyer.status, 403);
  const blank = await manager.post(`/api/v1/purchase-orders/${o.id}/close`, { reason: '  ' });
  assert.equal(blank.status, 422);
  assert.equal(blank.json.field, 'reason');
  const none = await manager.post(`/api/v1/purchase-orders/${o.id}/close`, {});
  assert.equal(none.status, 422);
  assert.equal(none.json.field, 'reason');
  const closed = await manager.post(`/api/v1/purchase-orders/${o.id}/close`, { reason: 'supplier out of stock' });
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.status, 'closed');
  assert.equal(closed.json.close_reason, 'supplier out of stock');
  assert.deepEqual(closed.json.lines.map((l) => [l.received, l.short, l.cancelled, l.outstanding]), [[4, 6, 6, 0]]);
  const refused = await receive(o, { lines: [{ po_line_id: o.lines[0].id, received: 1 }] });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.code, 'po_closed');
  const reclose = await manager.post(`/api/v1/purchase-orders/${o.id}/close`, { reason: 'again' });
  assert.equal(reclose.status, 409);
  assert.equal(await onHand(s, item, shop), 4);
});

test('cancel from draft or sent, not once goods arrived; a cancelled order refuses receipts', async () => {
  const item = await makeItem(s);
  const d = await draft([{ item_id: item.id, quantity: 1, unit_cost: 100 }]);
  const c1 = await buyer.post(`/api/v1/purchase-orders/${d.id}/cancel`, {});
  assert.equal(c1.status, 200, c1.text);
  assert.equal(c1.json.status, 'cancelled');
  const o = await sent([{ item_id: item.id, quantity: 2, unit_cost: 100 }]);
  const c2 = await buyer.post(`/api/v1/purchase-orders/${o.id}/cancel`, {});
  assert.equal(c2.json.status, 'cancelled');
  const r = await receive(o, { lines: [{ po_line_id: o.lines[0].id, received: 1 }] });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'po_closed');
  const p = await sent([{ item_id: item.id, quantity: 2, unit_cost: 100 }]);
  assert.equal((await receive(p, { lines: [{ po_line_id: p.lines[0].id, received: 1 }] })).status, 201);
  const c3 = await buyer.post(`/api/v1/purchase-orders/${p.id}/cancel`, {});
  assert.equal(c3.status, 409);
  assert.equal(c3.json.code, 'po_not_cancellable');
  const byClerk = await clerk.post(`/api/v1/purchase-orders/${p.id}/cancel`, {});
  assert.equal(byClerk.status, 403);
});

test('an idempotent receipt retried: the same key gives the same answer and books stock once', async () => {
  const item = await makeItem(s);
  const o = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const key = uuidv7();
  const body = { lines: [{ po_line_id: o.lines[0].id, received: 4 }] };
  const first = await receive(o, body, clerk, key);
  assert.equal(first.status, 201, first.text);
  const retry = await receive(o, body, clerk, key);
  assert.equal(retry.status, 201, retry.text);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(retry.json, first.json, 'the first answer, again');
  assert.equal(await onHand(s, item, shop), 4, 'stock moved once');
  const reused = await receive(o, { lines: [{ po_line_id: o.lines[0].id, received: 5 }] }, clerk, key);
  assert.equal(reused.status, 422);
  assert.equal(reused.json.code, 'idempotency_key_reused');
  const read = await s.get(`/api/v1/purchase-orders/${o.id}`);
  assert.equal(read.json.receipts.length, 1);
  assert.equal(read.json.lines[0].received, 4);
  assertBooksHold(s.db);
});

test('scans: a case GTIN-14 adds its case pack, an item barcode adds one, barcodes not on the order are reported', async () => {
  const base = String(Date.now() % 1e9).padStart(9, '0');
  const ean = withCheck(`87${base.slice(0, 8)}11`);
  const caseGtin = withCheck(`1${ean.slice(0, 12)}`);
  const otherEan = withCheck(`87${base.slice(0, 8)}22`);
  const tea = await makeItem(s, { barcodes: [ean] });
  const other = await makeItem(s, { barcodes: [otherEan] });
  await supplierItem(supplier, tea, { cost: 120, case_pack: 6, case_gtin: caseGtin });
  const o = await sent([{ item_id: tea.id, quantity: 12 }]);
  assert.equal(o.lines[0].case_pack, 6);
  const r = await receive(o, { scans: [caseGtin, ean, otherEan, '4006381333931', ean] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.lines.map((l) => [l.item_id, l.received, l.short]), [[tea.id, 8, 4]]);
  assert.deepEqual(r.json.not_on_order.map((n) => [n.scan, n.code, n.reason, n.item_id]),
    [[2, otherEan, 'not_on_order', other.id], [3, '4006381333931', 'unknown_barcode', null]]);
  assert.equal(await onHand(s, tea, shop), 8);
  assert.equal(await onHand(s, other, shop), 0, 'never added silently');
  // Nothing of the order among the scans: nothing is booked, and the answer says why.
  const none = await receive(o, { scans: [otherEan] });
  assert.equal(none.status, 422, none.text);
  assert.equal(none.json.code, 'nothing_received');
  assert.equal(none.json.not_on_order[0].item_id, other.id);
  assertBooksHold(s.db);
});

test('over-receipt beyond the tolerance needs a manager; within it a clerk receives alone', async () => {
  const item = await makeItem(s);
  const o = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const line = o.lines[0].id;
  const within = await receive(o, { lines: [{ po_line_id: line, received: 11 }] });
  assert.equal(within.status, 201, within.text);
  assert.equal(within.json.lines[0].over, 1);
  assert.equal(within.json.purchase_order.status, 'received');

  const p = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const over = await receive(p, { lines: [{ po_line_id: p.lines[0].id, received: 12 }] });
  assert.equal(over.status, 403, over.text);
  assert.equal(over.json.code, 'over_receipt');
  assert.equal(over.json.field, 'override_token');
  assert.deepEqual(over.json.lines.map((l) => [l.ordered, l.received]), [[10, 12]]);
  // A shift lead receiving asks a manager for an override (POST /api/v1/overrides), single use.
  const lead = await s.as('shift_lead');
  const refusedLead = await receive(p, { lines: [{ po_line_id: p.lines[0].id, received: 12 }] }, lead);
  assert.equal(refusedLead.status, 403, refusedLead.text);
  const name = `po-manager-${process.pid}`;
  await s.createUser({ username: name, role: 'manager', password: 'po manager password' });
  const token = await lead.post('/api/v1/overrides', { username: name, password: 'po manager password', permission: 'purchasing.over_receive', reason: 'bonus case' });
  assert.equal(token.status, 201, token.text);
  const wrongPerson = await receive(p, { lines: [{ po_line_id: p.lines[0].id, received: 12 }], override_token: token.json.override_token });
  assert.equal(wrongPerson.status, 403, 'the token is the shift lead\'s, not the clerk\'s');
  const approved = await receive(p, { lines: [{ po_line_id: p.lines[0].id, received: 12 }], override_token: token.json.override_token }, lead);
  assert.equal(approved.status, 201, approved.text);
  assert.equal(approved.json.approved_by, name);
  assert.equal(approved.json.lines[0].over, 2);
  // A clerk (no register permissions) asks for the same approval at the dock.
  const clerkToken = await (await s.as('clerk')).post('/api/v1/overrides', { username: name, password: 'po manager password', permission: 'purchasing.over_receive', reason: 'bonus case' });
  assert.equal(clerkToken.status, 201, clerkToken.text);

  // A manager receives beyond it alone; the shop's tolerance is a setting.
  const q = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  assert.equal((await receive(q, { lines: [{ po_line_id: q.lines[0].id, received: 15 }] }, manager)).status, 201);
  const set = await s.put('/api/v1/settings/purchasing', { over_receive_tolerance_bp: 0 });
  assert.equal(set.status, 200, set.text);
  assert.equal((await clerk.get('/api/v1/settings/purchasing')).json.over_receive_tolerance_bp, 0);
  const t = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const one = await receive(t, { lines: [{ po_line_id: t.lines[0].id, received: 11 }] });
  assert.equal(one.status, 403, one.text);
  const reset = await s.put('/api/v1/settings/purchasing', { over_receive_tolerance_bp: 1000 });
  assert.equal(reset.status, 200);
  const badSetting = await s.put('/api/v1/settings/purchasing', { over_receive_tolerance_bp: -1 });
  assert.equal(badSetting.status, 422);
  assert.equal(badSetting.json.field, 'over_receive_tolerance_bp');
});

test('damaged units go to the damaged bin; negative or absurd quantities are refused by field', async () => {
  const item = await makeItem(s);
  const o = await sent([{ item_id: item.id, quantity: 10, unit_cost: 100 }]);
  const line = o.lines[0].id;
  const r = await receive(o, { lines: [{ po_line_id: line, received: 6, damaged: 2 }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.lines.map((l) => [l.received, l.damaged, l.short]), [[6, 2, 4]]);
  assert.equal(await onHand(s, item, shop), 4);
  assert.equal(await onHand(s, item, await binOf(s, shop, 'damaged')), 2);
  for (const [body, field] of [
    [{ lines: [{ po_line_id: line, received: -1 }] }, 'lines[0].received'],
    [{ lines: [{ po_line_id: line, received: 1e12 }] }, 'lines[0].received'],
    [{ lines: [{ po_line_id: line, received: 2000000 }] }, 'lines[0].received'],
    [{ lines: [{ po_line_id: line, received: 1, damaged: -1 }] }, 'lines[0].damaged'],
    [{ lines: [{ po_line_id: line, received: 1, damaged: 2 }] }, 'lines[0].damaged'],
    [{ lines: [{ po_line_id: uuidv7(), received: 1 }] }, 'lines[0].po_line_id'],
    [{ lines: [{ po_line_id: line, received: 0 }] }, 'lines'],
    [{}, 'lines'],
    [{ scans: [''] }, 'scans[0]'],
  ]) {
    const bad = await receive(o, body);
    assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    assert.equal(bad.json.field, field, bad.text);
  }
  for (const [lines, field] of [
    [[{ item_id: item.id, quantity: -1 }], 'lines[0].quantity'],
    [[{ item_id: item.id, quantity: 0 }], 'lines[0].quantity'],
    [[{ item_id: item.id, quantity: 5000000 }], 'lines[0].quantity'],
    [[{ item_id: item.id, quantity: 1, unit_cost: -5 }], 'lines[0].unit_cost'],
    [[], 'lines'],
  ]) {
    const bad = await buyer.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: shop.id, lines });
    assert.equal(bad.status, 422, `${JSON.stringify(lines)}: ${bad.text}`);
    assert.equal(bad.json.field, field, bad.text);
  }
  const bin = await binOf(s, shop, 'damaged');
  const toBin = await buyer.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: bin.id, lines: [{ item_id: item.id, quantity: 1, unit_cost: 1 }] });
  assert.equal(toBin.status, 422);
  assert.equal(toBin.json.field, 'location_id');
  const noSupplier = await buyer.post('/api/v1/purchase-orders', { supplier_id: uuidv7(), location_id: shop.id, lines: [{ item_id: item.id, quantity: 1, unit_cost: 1 }] });
  assert.equal(noSupplier.status, 422);
  assert.equal(noSupplier.json.field, 'supplier_id');
  assertBooksHold(s.db);
});

test('the order as the supplier gets it: a PDF and a CSV with supplier SKUs, cases and costs', async () => {
  const item = await makeItem(s);
  await supplierItem(supplier, item, { cost: 250, case_pack: 4, supplier_sku: 'ACME-42' });
  const o = await sent([{ item_id: item.id, quantity: 8 }], { expected_on: '2027-01-15' });
  const pdf = await checkedFetch(`${s.url}/api/v1/purchase-orders/${o.id}/document?format=pdf`, { headers: s.headers });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  assert.ok(bytes.includes('%%EOF'));
  const csv = await s.get(`/api/v1/purchase-orders/${o.id}/document?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const rows = csv.text.trim().split('\r\n');
  assert.equal(rows[0], 'order,supplier,supplier_sku,sku,name,cases,case_pack,quantity,unit_cost,line_total,expected_on');
  assert.equal(rows[1], `${o.number},${supplier.name},ACME-42,${item.sku},${item.name},2,4,8,2.50,20.00,2027-01-15`);
  assert.match(rows[2], /,total,.*20\.00,2027-01-15$/);
  const bad = await s.get(`/api/v1/purchase-orders/${o.id}/document?format=docx`);
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'format');
  assert.equal((await s.get(`/api/v1/purchase-orders/${uuidv7()}/document`)).status, 404);
});

test('received items go to the label queue when their label is missing or their price changed since it was printed', async () => {
  const fresh = await makeItem(s);
  const repriced = await makeItem(s);
  // The queue fills itself lazily: reading one makes it take in the new items now, while the
  // store below does not exist yet.
  assert.equal((await s.get(`/api/v1/labels/queue?store=${shop.id}&limit=1`)).status, 200);
  const made = await s.post('/api/v1/locations', { name: `PO label store ${process.pid}`, kind: 'store' });
  assert.equal(made.status, 201, made.text);
  const store2 = made.json;
  const queue = async () => (await s.get(`/api/v1/labels/queue?store=${store2.id}&limit=500`)).json.entries.map((e) => [e.item_id, e.reason]);
  assert.deepEqual(await queue(), [], 'items made before the store have no label there');
  const order = async () => {
    const o = await draft([{ item_id: fresh.id, quantity: 2, unit_cost: 100 }, { item_id: repriced.id, quantity: 2, unit_cost: 100 }], { location_id: store2.id });
    return (await buyer.post(`/api/v1/purchase-orders/${o.id}/send`, {})).json;
  };
  let o = await order();
  assert.equal((await receive(o, { lines: o.lines.map((l) => ({ po_line_id: l.id, received: 1 })) })).status, 201);
  assert.deepEqual(await queue(), [[fresh.id, 'receipt_label_missing'], [repriced.id, 'receipt_label_missing']]);
  const printed = await s.post('/api/v1/labels/queue/print', { store: store2.id, format: 'zpl' });
  assert.equal(printed.status, 200, printed.text);
  // Labels printed, prices unchanged: the next delivery queues nothing.
  assert.equal((await receive(o, { lines: o.lines.map((l) => ({ po_line_id: l.id, received: 1 })) })).status, 201);
  assert.deepEqual(await queue(), []);
  const item = (await s.get(`/api/v1/items/${repriced.id}`)).json;
  const patched = await s.patch(`/api/v1/items/${repriced.id}`, { price: item.price + 100 }, { 'if-match': `"${item.version}"` });
  assert.equal(patched.status, 200, patched.text);
  o = await order();
  assert.equal((await receive(o, { lines: o.lines.map((l) => ({ po_line_id: l.id, received: 1 })) })).status, 201);
  assert.deepEqual(await queue(), [[repriced.id, 'receipt_price_changed']]);
});

test('buyers draft and send, clerks receive, neither closes; receiving is scoped like every route', async () => {
  const item = await makeItem(s);
  const o = await draft([{ item_id: item.id, quantity: 2, unit_cost: 100 }]);
  assert.equal((await clerk.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: shop.id, lines: [{ item_id: item.id, quantity: 1, unit_cost: 1 }] })).status, 403);
  assert.equal((await clerk.post(`/api/v1/purchase-orders/${o.id}/send`, {})).status, 403);
  const send = await buyer.post(`/api/v1/purchase-orders/${o.id}/send`, {});
  assert.equal(send.status, 200);
  assert.equal((await receive(o, { lines: [{ po_line_id: o.lines[0].id, received: 1 }] }, buyer)).status, 403);
  assert.equal((await (await s.as('cashier')).get(`/api/v1/purchase-orders/${o.id}`)).status, 403);
  assert.equal((await clerk.get(`/api/v1/purchase-orders/${o.id}`)).status, 200);
});
