// Transfers over real HTTP (issue 13, defects 7 and 9): the list a person picks a transfer
// from (newest first, numbered T-000123, with the names of both ends, paged, by status and
// location, limited to a scoped key's locations), and receiving in several receipts: each
// adds what arrived, the transfer stays in transit until everything is received or damaged,
// or a closing receipt books the rest short; the ledger moves out of transit only what each
// receipt books, and `backroom check` holds after every step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createKey, dbExec } from './lib/server.mjs';
import { adjust, assertBooksHold, binOf, check, makeItem, onHand, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let warehouse;
let other;
let transit;
before(async () => {
  s = await startServer();
  shop = await store(s);
  const w = await s.post('/api/v1/locations', { name: 'Central warehouse', kind: 'warehouse' });
  assert.equal(w.status, 201, w.text);
  warehouse = w.json;
  const o = await s.post('/api/v1/locations', { name: 'Harbour store', kind: 'store' });
  assert.equal(o.status, 201, o.text);
  other = o.json;
  transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');
});
after(async () => { await s.stop(); });

const numberOf = (t) => Number(t.number.slice(2));

async function ship(from, to, lines) {
  const r = await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: from.id, to_location_id: to.id, lines });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('defect 9: transfers are listed newest first, numbered without gaps, with the names of both ends', async () => {
  const item = await makeItem(s);
  await adjust(s, item, warehouse, 50);
  await adjust(s, item, other, 50);
  const first = await ship(warehouse, shop, [{ item_id: item.id, quantity: 2 }]);
  assert.match(first.number, /^T-\d{6}$/);
  assert.deepEqual(first.from, { id: warehouse.id, name: 'Central warehouse' });
  assert.deepEqual(first.to, { id: shop.id, name: shop.name });
  assert.equal(first.lines_count, 1);
  assert.equal(first.created_at, first.shipped_at);
  assert.equal(first.lines[0].sku, item.sku, 'a line says which item by its SKU and name');
  assert.equal(first.lines[0].name, item.name);
  // A shipment that fails takes no number with it.
  const refused = await s.post('/api/v1/transfers', { from_location_id: warehouse.id, to_location_id: shop.id, lines: [{ item_id: item.id, quantity: 1 }, { item_id: uuidv7(), quantity: 1 }] });
  assert.equal(refused.status, 422, refused.text);
  const second = await ship(other, warehouse, [{ item_id: item.id, quantity: 1 }, { item_id: (await makeItem(s)).id, quantity: 3 }]);
  assert.equal(numberOf(second), numberOf(first) + 1, 'gap-free');
  const third = await ship(warehouse, other, [{ item_id: item.id, quantity: 4 }]);
  assert.equal(numberOf(third), numberOf(second) + 1);
  const received = await s.post(`/api/v1/transfers/${first.id}/receive`, {});
  assert.equal(received.status, 200, received.text);

  const all = await s.get('/api/v1/transfers');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.json.transfers.map((t) => t.number), [third.number, second.number, first.number]);
  assert.equal(all.json.next_cursor, null);
  const row = all.json.transfers[1];
  assert.deepEqual([row.id, row.status, row.lines_count, row.from.name, row.to.name], [second.id, 'in_transit', 2, 'Harbour store', 'Central warehouse']);
  assert.ok(Date.parse(row.created_at) > 0);

  const page1 = await s.get('/api/v1/transfers?limit=2');
  assert.deepEqual(page1.json.transfers.map((t) => t.id), [third.id, second.id]);
  assert.equal(typeof page1.json.next_cursor, 'string');
  const page2 = await s.get(`/api/v1/transfers?limit=2&cursor=${page1.json.next_cursor}`);
  assert.deepEqual(page2.json.transfers.map((t) => t.id), [first.id]);
  assert.equal(page2.json.next_cursor, null);

  assert.deepEqual((await s.get('/api/v1/transfers?status=in_transit')).json.transfers.map((t) => t.id), [third.id, second.id]);
  assert.deepEqual((await s.get('/api/v1/transfers?status=received')).json.transfers.map((t) => t.id), [first.id]);
  assert.deepEqual((await s.get(`/api/v1/transfers?location_id=${other.id}`)).json.transfers.map((t) => t.id), [third.id, second.id]);
  assert.deepEqual((await s.get(`/api/v1/transfers?location_id=${shop.id}&status=received`)).json.transfers.map((t) => t.id), [first.id]);

  for (const [query, field] of [['status=lost', 'status'], ['cursor=abc', 'cursor'], ['cursor=0', 'cursor'], ['location_id=nope', 'location_id'], ['limit=0', 'limit']]) {
    const bad = await s.get(`/api/v1/transfers?${query}`);
    assert.equal(bad.status, 422, `${query}: ${bad.text}`);
    assert.equal(bad.json.field, field, query);
  }

  // A key scoped to the harbour store sees only the transfers that leave or reach it.
  const scoped = s.withKey(createKey(s.db, `transfers-scoped-${process.pid}`, 'manager', ['--location', other.id]));
  const mine = await scoped.get('/api/v1/transfers');
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.transfers.map((t) => t.id), [third.id, second.id]);
  assert.equal((await scoped.get(`/api/v1/transfers?location_id=${shop.id}`)).status, 403);
  assert.equal((await scoped.get(`/api/v1/transfers/${first.id}`)).status, 403);
  assert.equal((await scoped.get(`/api/v1/transfers/${second.id}`)).status, 200);
  assertBooksHold(s.db);
});

test('defect 7: a transfer is received in several receipts, then closed short; the ledger moves only what arrived', async () => {
  const apples = await makeItem(s);
  const pears = await makeItem(s);
  await adjust(s, apples, warehouse, 10);
  await adjust(s, pears, warehouse, 4);
  const t = await ship(warehouse, shop, [{ item_id: apples.id, quantity: 10 }, { item_id: pears.id, quantity: 4 }]);
  const [a, p] = t.lines;
  assert.deepEqual([a.received, a.damaged, a.short, a.outstanding], [0, 0, 0, 10]);
  const damagedBin = await binOf(s, shop, 'damaged');

  // First receipt: 3 apples and one broken; the pears are still on the lorry.
  const first = { id: uuidv7(), lines: [{ line_id: a.id, received: 3, damaged: 1 }] };
  const r1 = await s.post(`/api/v1/transfers/${t.id}/receive`, first);
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.json.status, 'in_transit');
  assert.deepEqual([r1.json.lines[0].received, r1.json.lines[0].damaged, r1.json.lines[0].outstanding], [3, 1, 6]);
  assert.equal(r1.json.lines[1].outstanding, 4);
  assert.equal(r1.json.receipts.length, 1);
  assert.deepEqual(r1.json.receipts[0].lines, [{ line_id: a.id, item_id: apples.id, received: 3, damaged: 1, short: 0 }]);
  assert.equal(await onHand(s, apples, shop), 3);
  assert.equal(await onHand(s, apples, damagedBin), 1);
  assert.equal(await onHand(s, apples, transit), 6);
  assertBooksHold(s.db);

  // The same receipt again (a retry) books nothing more; its id with another body is refused.
  const retry = await s.post(`/api/v1/transfers/${t.id}/receive`, first);
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.json.receipts.length, 1);
  assert.equal(await onHand(s, apples, shop), 3);
  const reused = await s.post(`/api/v1/transfers/${t.id}/receive`, { ...first, lines: [{ line_id: a.id, received: 1 }] });
  assert.equal(reused.status, 422, reused.text);
  assert.equal(reused.json.code, 'idempotency_key_reused');

  // More than is still outstanding on a line is refused, naming the line; nothing moves.
  const over = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [{ line_id: p.id, received: 2 }, { item_id: apples.id, received: 6, damaged: 1 }] });
  assert.equal(over.status, 422, over.text);
  assert.equal(over.json.code, 'over_received');
  assert.equal(over.json.field, 'lines[1].received');
  assert.match(over.json.detail, /only 6 of the 10/);
  assert.equal(await onHand(s, pears, shop), 0, 'the whole receipt was refused');
  const nothing = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [] });
  assert.equal(nothing.status, 422, nothing.text);
  assert.equal(nothing.json.field, 'lines');

  // Second receipt, by item and with an Idempotency-Key: all the pears, 2 more apples.
  const key = `receipt-${uuidv7()}`;
  const second = { lines: [{ item_id: pears.id, received: 4 }, { item_id: apples.id, received: 2 }] };
  const r2 = await s.post(`/api/v1/transfers/${t.id}/receive`, second, { 'idempotency-key': key });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json.status, 'in_transit', 'apples are still outstanding');
  assert.deepEqual(r2.json.lines.map((l) => l.outstanding), [4, 0]);
  const r2again = await s.post(`/api/v1/transfers/${t.id}/receive`, second, { 'idempotency-key': key });
  assert.equal(r2again.status, 200);
  assert.equal(r2again.json.receipts.length, 2);
  assert.equal(await onHand(s, apples, shop), 5);
  assert.equal(await onHand(s, pears, shop), 4);
  assert.equal(await onHand(s, apples, transit), 4);
  assertBooksHold(s.db);

  // Third receipt closes it: one more apple; the other 3 never come and are booked short.
  const r3 = await s.post(`/api/v1/transfers/${t.id}/receive`, { id: uuidv7(), lines: [{ line_id: a.id, received: 1 }], close: true });
  assert.equal(r3.status, 200, r3.text);
  assert.equal(r3.json.status, 'received');
  assert.ok(r3.json.received_at);
  assert.deepEqual([r3.json.lines[0].received, r3.json.lines[0].damaged, r3.json.lines[0].short, r3.json.lines[0].outstanding], [6, 1, 3, 0]);
  assert.deepEqual(r3.json.receipts.map((r) => r.closed), [false, false, true]);
  assert.equal(await onHand(s, apples, shop), 6);
  assert.equal(await onHand(s, apples, transit), 0);
  const moves = (await s.get(`/api/v1/stock/movements?document_id=${t.id}&limit=100`)).json.movements;
  const short = moves.filter((m) => m.reason === 'transfer_short');
  assert.deepEqual(short.map((m) => [m.location_id, m.quantity]), [[transit.id, -3]]);
  assertBooksHold(s.db);

  // Nothing more can arrive: more is refused naming the line; an empty receipt answers as is.
  const late = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [{ line_id: a.id, received: 1 }] });
  assert.equal(late.status, 422, late.text);
  assert.equal(late.json.field, 'lines[0].received');
  const idle = await s.post(`/api/v1/transfers/${t.id}/receive`, {});
  assert.equal(idle.status, 200, idle.text);
  assert.equal(idle.json.receipts.length, 3);
});

test('receiving the rest completes a transfer without closing it; an empty body receives everything outstanding', async () => {
  const item = await makeItem(s);
  await adjust(s, item, warehouse, 20);
  const t = await ship(warehouse, other, [{ item_id: item.id, quantity: 5 }]);
  const part = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [{ line_id: t.lines[0].id, received: 2 }] });
  assert.equal(part.json.status, 'in_transit');
  const rest = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [{ line_id: t.lines[0].id, received: 2, damaged: 1 }] });
  assert.equal(rest.status, 200, rest.text);
  assert.equal(rest.json.status, 'received');
  assert.deepEqual([rest.json.lines[0].received, rest.json.lines[0].damaged, rest.json.lines[0].short], [4, 1, 0]);

  const u = await ship(warehouse, other, [{ item_id: item.id, quantity: 6 }]);
  await s.post(`/api/v1/transfers/${u.id}/receive`, { lines: [{ line_id: u.lines[0].id, received: 0, damaged: 2 }] });
  const all = await s.post(`/api/v1/transfers/${u.id}/receive`, {});
  assert.equal(all.json.status, 'received');
  assert.deepEqual([all.json.lines[0].received, all.json.lines[0].damaged], [4, 2]);
  assert.equal(await onHand(s, item, other), 8);
  assert.equal(await onHand(s, item, await binOf(s, other, 'damaged')), 3);

  // Closing straight away books the whole shipment short.
  const v = await ship(warehouse, other, [{ item_id: item.id, quantity: 3 }]);
  const closed = await s.post(`/api/v1/transfers/${v.id}/receive`, { lines: [], close: true });
  assert.equal(closed.status, 200, closed.text);
  assert.deepEqual([closed.json.status, closed.json.lines[0].short], ['received', 3]);
  assert.equal(await onHand(s, item, other), 8);
  assertBooksHold(s.db);
});

test('cancelling a transfer in transit sends its goods back to the source; receiving or cancelling it again is 409', async () => {
  const item = await makeItem(s);
  await adjust(s, item, warehouse, 12);
  const t = await ship(warehouse, other, [{ item_id: item.id, quantity: 5 }]);
  assert.equal(await onHand(s, item, warehouse), 7);
  const inTransitBefore = await onHand(s, item, transit);
  assert.ok(inTransitBefore >= 5);

  // The body: a reason is required, a string of at most 500 bytes, and nothing else.
  for (const [body, code, field] of [[{}, 'missing_field', 'reason'], [{ reason: '   ' }, 'invalid_field', 'reason'],
    [{ reason: 7 }, 'invalid_field', 'reason'], [{ reason: 'x'.repeat(501) }, 'invalid_field', 'reason'],
    [{ reason: 'typo', extra: 1 }, 'unknown_field', 'extra']]) {
    const bad = await s.post(`/api/v1/transfers/${t.id}/cancel`, body);
    assert.equal(bad.status, 422, `${JSON.stringify(body).slice(0, 40)}: ${bad.text}`);
    assert.equal(bad.json.code, code);
    assert.equal(bad.json.field, field);
  }
  assert.equal((await s.post(`/api/v1/transfers/${uuidv7()}/cancel`, { reason: 'x' })).status, 404);

  const key = `cancel-${uuidv7()}`;
  const c = await s.post(`/api/v1/transfers/${t.id}/cancel`, { reason: '  keyed the wrong store  ' }, { 'idempotency-key': key });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'cancelled');
  assert.equal(c.json.cancel_reason, 'keyed the wrong store');
  assert.ok(c.json.cancelled_at);
  assert.ok(c.json.cancelled_by);
  assert.deepEqual([c.json.lines[0].returned, c.json.lines[0].outstanding, c.json.lines[0].received], [5, 0, 0]);
  assert.equal(await onHand(s, item, warehouse), 12, 'the source has its stock back');
  assert.equal(await onHand(s, item, transit), inTransitBefore - 5, 'nothing of it stays in transit');
  assert.equal(await onHand(s, item, other), 0);
  const moves = (await s.get(`/api/v1/stock/movements?document_id=${t.id}&limit=100`)).json.movements;
  assert.deepEqual(moves.filter((m) => m.reason === 'transfer_cancelled').map((m) => [m.location_id, m.quantity]).sort(),
    [[transit.id, -5], [warehouse.id, 5]].sort());
  assertBooksHold(s.db);

  // The same key and body answers the same, and moves nothing more.
  const again = await s.post(`/api/v1/transfers/${t.id}/cancel`, { reason: '  keyed the wrong store  ' }, { 'idempotency-key': key });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(again.json, c.json);
  assert.equal(await onHand(s, item, warehouse), 12);
  // Without the key, a second cancel is refused; so is receiving it.
  const twice = await s.post(`/api/v1/transfers/${t.id}/cancel`, { reason: 'again' });
  assert.equal(twice.status, 409, twice.text);
  assert.equal(twice.json.code, 'already_cancelled');
  for (const body of [{}, { lines: [{ line_id: t.lines[0].id, received: 1 }] }, { lines: [], close: true }]) {
    const late = await s.post(`/api/v1/transfers/${t.id}/receive`, body);
    assert.equal(late.status, 409, late.text);
    assert.equal(late.json.code, 'transfer_cancelled');
  }
  assert.equal(await onHand(s, item, other), 0);

  // Listed and read as cancelled; the audit trail and the outbox have it.
  const listed = (await s.get('/api/v1/transfers?status=cancelled')).json.transfers;
  assert.deepEqual(listed.map((x) => x.id), [t.id]);
  assert.equal((await s.get(`/api/v1/transfers/${t.id}`)).json.cancel_reason, 'keyed the wrong store');
  const audit = await s.get(`/api/v1/audit?entity=transfer&entity_id=${t.id}`);
  assert.equal(audit.status, 200, audit.text);
  const trail = audit.json.entries.filter((e) => e.action === 'transfer.cancel');
  assert.equal(trail.length, 1, audit.text);
  assert.deepEqual([trail[0].before.status, trail[0].after.status], ['in_transit', 'cancelled']);
  const events = (await s.get('/api/v1/events?limit=500&type=transfer.cancelled')).json.events;
  const cancelled = events.filter((e) => e.entity_id === t.id);
  assert.equal(cancelled.length, 1);
  assert.equal(cancelled[0].data.cancel_reason, 'keyed the wrong store');

  // A received transfer cannot be cancelled.
  const r = await ship(warehouse, other, [{ item_id: item.id, quantity: 2 }]);
  assert.equal((await s.post(`/api/v1/transfers/${r.id}/receive`, {})).status, 200);
  const late = await s.post(`/api/v1/transfers/${r.id}/cancel`, { reason: 'too late' });
  assert.equal(late.status, 409, late.text);
  assert.equal(late.json.code, 'already_received');
  assert.equal(await onHand(s, item, other), 2);
  assertBooksHold(s.db);
});

test('cancelling a partly received transfer returns only what is still in transit; receipts stay booked', async () => {
  const item = await makeItem(s);
  await adjust(s, item, warehouse, 10);
  const t = await ship(warehouse, shop, [{ item_id: item.id, quantity: 6 }]);
  const part = await s.post(`/api/v1/transfers/${t.id}/receive`, { lines: [{ line_id: t.lines[0].id, received: 2, damaged: 1 }] });
  assert.equal(part.json.status, 'in_transit');
  const c = await s.post(`/api/v1/transfers/${t.id}/cancel`, { reason: 'the rest never left' });
  assert.equal(c.status, 200, c.text);
  const [l] = c.json.lines;
  assert.deepEqual([l.received, l.damaged, l.short, l.returned, l.outstanding], [2, 1, 0, 3, 0]);
  assert.equal(await onHand(s, item, warehouse), 7);
  assert.equal(await onHand(s, item, shop), 2);
  assert.equal(await onHand(s, item, await binOf(s, shop, 'damaged')), 1);
  assertBooksHold(s.db);

  // Behind the server's back: check catches a line that says less went back than moved, and
  // goods returned on a transfer that is not cancelled.
  const q = (sql) => { const r = dbExec(s.db, sql); assert.equal(r.status, 0, r.stderr); };
  q(`UPDATE transfer_lines SET returned = 2000 WHERE id = '${l.id}'`);
  let broken = check(s.db);
  assert.notEqual(broken.status, 0, 'check must fail');
  assert.match(broken.stdout, new RegExp(`transfer line ${l.id}: shipped 6, moved out 3 \\(returned 2\\), in transit 0 \\(outstanding 1\\)`));
  assert.match(broken.stdout, new RegExp(`transfer line ${l.id}: status cancelled with 1 outstanding`));
  q(`UPDATE transfer_lines SET returned = 3000 WHERE id = '${l.id}'`);
  q(`UPDATE transfers SET status = 'in_transit', cancelled_at = NULL WHERE id = '${t.id}'`);
  broken = check(s.db);
  assert.notEqual(broken.status, 0, 'check must fail');
  assert.match(broken.stdout, new RegExp(`transfer line ${l.id}: 3 returned to the source but the transfer is in_transit`));
  q(`UPDATE transfers SET status = 'cancelled', cancelled_at = 1 WHERE id = '${t.id}'`);
  assertBooksHold(s.db);
});

test('a transfer to a store node\'s store is cancelled here and the node\'s feed says so; a scoped key cancels only its own', async () => {
  const item = await makeItem(s);
  await adjust(s, item, warehouse, 10);
  const nodeStore = (await s.post('/api/v1/locations', { name: `Node store ${uuidv7().slice(-6)}`, kind: 'store' })).json;
  const node = await s.post('/api/v1/sync/nodes', { location_id: nodeStore.id });
  assert.equal(node.status, 201, node.text);
  const t = await ship(warehouse, nodeStore, [{ item_id: item.id, quantity: 3 }]);
  const cancelled = await s.post(`/api/v1/transfers/${t.id}/cancel`, { reason: 'wrong store' });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal((await s.get(`/api/v1/transfers/${t.id}`)).json.status, 'cancelled');
  assert.equal(await onHand(s, item, warehouse), 10);
  // The node's key reads the transfer in its feed as cancelled (a node that received it first: sync_transfer).
  const feed = await s.withKey(node.json.key).get('/api/v1/sync/changes?cursor=0&limit=500');
  const noted = feed.json.changes.filter((c) => c.entity === 'transfer' && c.key === t.id);
  assert.equal(noted.length, 1, feed.text);
  assert.equal(noted[0].data.status, 'cancelled');
  assert.equal(noted[0].data.cancel_reason, 'wrong store');

  // A key scoped to the destination may not cancel what the source shipped.
  const u = await ship(warehouse, other, [{ item_id: item.id, quantity: 1 }]);
  const scoped = s.withKey(createKey(s.db, `transfers-cancel-scoped-${process.pid}`, 'manager', ['--location', other.id]));
  const foreign = await scoped.post(`/api/v1/transfers/${u.id}/cancel`, { reason: 'not mine' });
  assert.equal(foreign.status, 403, foreign.text);
  // A cashier may not ship, so may not cancel.
  const cashier = await (await s.as('cashier')).post(`/api/v1/transfers/${u.id}/cancel`, { reason: 'no' });
  assert.equal(cashier.status, 403, cashier.text);
  assert.equal(cashier.json.permission, 'stock.transfer');
  assertBooksHold(s.db);
});
