// A store that has a store node keeps its stock on the node (docs/sync.md): at head office an
// adjustment, a count, a transfer from it (or to one of its bins), or a goods receipt for it — at the
// store or one of its bins — is 409 kept_by_store_node naming the field, and writes nothing. A store
// without a node is booked at head office as before; the node books its own store (the sync
// suites adjust, count and receive there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { assertBooksHold, binOf, makeItem, onHand, uuidv7 } from './lib/shop.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const created = (r) => { assert.equal(r.status, 201, r.text); return r.json; };
const refused = (r, field) => {
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'kept_by_store_node', r.text);
  assert.equal(r.json.field, field, r.text);
  assert.match(r.json.detail, /kept by its store node/);
};

test('head office refuses to book stock for a store its store node keeps', async () => {
  const noded = created(await s.post('/api/v1/locations', { name: `Node-kept store ${process.pid}`, kind: 'store' }));
  const plain = created(await s.post('/api/v1/locations', { name: `Head office store ${process.pid}`, kind: 'store' }));
  const item = await makeItem(s, { price: 500, cost: 200 });
  // Stock at the plain store, before the other gets its node.
  created(await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: plain.id, quantity: 20, reason: 'opening' }));
  created(await s.post('/api/v1/sync/nodes', { location_id: noded.id }));
  const bin = await binOf(s, noded, 'damaged');
  assert.ok(bin, 'the store has its bins');
  const movements = async () => (await s.get(`/api/v1/stock/movements?item_id=${item.id}&limit=500`)).json.movements.length;
  const before = await movements();

  for (const place of [noded, bin]) {
    refused(await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: place.id, quantity: 5, reason: 'found' }), 'location_id');
  }
  refused(await s.post('/api/v1/counts', { location_id: noded.id, item_ids: [item.id] }), 'location_id');
  // A transfer to the node's store itself is allowed (sync_transfer.test.mjs: the node receives
  // it); to one of its bins it is not.
  refused(await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: plain.id, to_location_id: bin.id, lines: [{ item_id: item.id, quantity: 1 }] }), 'to_location_id');
  refused(await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: noded.id, to_location_id: plain.id, lines: [{ item_id: item.id, quantity: 1 }] }), 'from_location_id');
  // A purchase order for the store can be drafted and sent (the buyer may still plan for it),
  // but not received here: the goods arrive at the store, on its node.
  const supplier = created(await s.post('/api/v1/suppliers', { name: `Node store supplier ${process.pid}`, lead_time_days: 2 }));
  const po = created(await s.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: noded.id, lines: [{ item_id: item.id, quantity: 6, unit_cost: 200 }] }));
  assert.equal((await s.post(`/api/v1/purchase-orders/${po.id}/send`, {})).status, 200);
  refused(await s.post(`/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ po_line_id: po.lines[0].id, received: 6 }] }, { 'idempotency-key': uuidv7() }), 'location_id');

  assert.equal(await movements(), before, 'nothing was booked');
  assert.equal(await onHand(s, item, noded), 0);
  // The store without a node is booked here as before.
  created(await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: plain.id, quantity: -1, reason: 'damage' }));
  created(await s.post('/api/v1/counts', { location_id: plain.id, item_ids: [item.id] }));
  assert.equal(await onHand(s, item, plain), 19);
  assertBooksHold(s.db);
});
