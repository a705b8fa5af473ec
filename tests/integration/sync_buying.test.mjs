// Central buying for a store node's store (issue 21, docs/sync.md "Purchase orders for a store
// node's store"): head office's buyer drafts and sends a purchase order of two items for a
// store that runs a node, the supplier delivering straight to the store. The node learns of it
// through its change feed (no costs), its staff receive one line short (one unit damaged) and
// the other over in a first delivery and the rest in a second; a second order that head office cancels while the
// node is cut off is received at the store anyway. The receipts are pushed through a link that
// duplicates every request. Head office then shows the first order received with the right
// quantities and its costs moved as its own receipts would move them, the cancelled order's
// receipt as a po_not_receivable conflict (its stock stays booked), its balances at the store
// equal to the node's, and `backroom check` and `audit verify` clean on both sides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freshStoreDb, startServer } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, binOf, makeItem, onHand, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
const until = (what, fn, ms = 20000) => waitUntil(what, fn, ms, 100);

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const created = (r) => { assert.equal(r.status, 201, r.text); return r.json; };
const ok = (r) => { assert.equal(r.status, 200, r.text); return r.json; };

test('head office orders for a node\'s store, the node receives it in two deliveries, head office records them', async () => {
  const proxy = await startFaultProxy(s.url);
  const hqStore = created(await s.post('/api/v1/locations', { name: `Buying store ${process.pid}`, kind: 'store' }));
  const other = created(await s.post('/api/v1/locations', { name: `Buying other store ${process.pid}`, kind: 'store' }));
  const supplier = created(await s.post('/api/v1/suppliers', { name: `Straight-to-store supplier ${process.pid}`, lead_time_days: 2 }));
  const a = await makeItem(s, { price: 1000, cost: 200 });
  const b = await makeItem(s, { price: 500, cost: 100 });
  // Head office holds 10 of a elsewhere: the moving-average cost weighs them in.
  await adjust(s, a, other, 10, 'opening');
  const added = created(await s.post('/api/v1/sync/nodes', { location_id: hqStore.id }));

  const draft = created(await s.post('/api/v1/purchase-orders', {
    supplier_id: supplier.id, location_id: hqStore.id, expected_on: '2030-01-15', note: 'straight to the store',
    lines: [{ item_id: a.id, quantity: 6, unit_cost: 300 }, { item_id: b.id, quantity: 4, unit_cost: 150 }],
  }));
  const spare = created(await s.post('/api/v1/purchase-orders', {
    supplier_id: supplier.id, location_id: hqStore.id, lines: [{ item_id: a.id, quantity: 2, unit_cost: 500 }],
  }));
  // A draft is not the store's business yet.
  let nodeFeed = await s.withKey(added.key).get('/api/v1/sync/changes?cursor=0&limit=500');
  assert.ok(!nodeFeed.json.changes.some((c) => c.entity === 'purchase_order'), nodeFeed.text);
  const po = ok(await s.post(`/api/v1/purchase-orders/${draft.id}/send`, {}));
  ok(await s.post(`/api/v1/purchase-orders/${spare.id}/send`, {}));
  // Receiving it at head office stays refused: only the node receives it.
  const refused = await s.post(`/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ po_line_id: po.lines[0].id, received: 6 }] }, { 'idempotency-key': uuidv7() });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.code, 'kept_by_store_node');

  // The node's key gets both orders, without costs; a register's feed and an admin reading the node feed get none.
  nodeFeed = await s.withKey(added.key).get('/api/v1/sync/changes?cursor=0&limit=500');
  const fed = nodeFeed.json.changes.filter((c) => c.entity === 'purchase_order');
  assert.deepEqual(fed.map((c) => c.key), [po.id, spare.id]);
  const text = JSON.stringify(fed);
  for (const word of ['unit_cost', 'total', 'supplier_id', 'bank', 'currency']) assert.ok(!text.includes(word), `${word} reaches the store: ${text}`);
  assert.deepEqual(fed[0].data.lines.map((l) => [l.item_id, l.quantity, l.outstanding]), [[a.id, 6, 6], [b.id, 4, 4]]);
  assert.equal(fed[0].data.supplier.name, supplier.name);
  for (const feed of [await s.get('/api/v1/catalog/changes?cursor=0&limit=500'), await s.get('/api/v1/sync/changes?cursor=0&limit=500')])
    assert.ok(!feed.json.changes.some((c) => c.entity === 'purchase_order'), feed.text);

  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-buying-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  try {
    const local = await store(node);
    const damagedBin = await binOf(node, local, 'damaged');
    const inbound = await until('the orders at the node', async () => {
      const r = await node.get('/api/v1/sync/inbound-orders?status=open');
      assert.equal(r.status, 200, r.text);
      return r.json.purchase_orders.length === 2 && r.json.purchase_orders;
    });
    assert.deepEqual(inbound.map((o) => o.id), [spare.id, po.id]);
    const mine = inbound[1];
    assert.equal(mine.number, po.number);
    assert.equal(mine.status, 'sent');
    assert.equal(mine.supplier.name, supplier.name);
    assert.equal(mine.expected_on, '2030-01-15');
    assert.deepEqual(mine.lines.map((l) => [l.id, l.item_id, l.quantity, l.outstanding]), po.lines.map((l) => [l.id, l.item_id, 6 * (l.item_id === a.id) + 4 * (l.item_id === b.id), l.quantity]));

    // Bad receipts write nothing.
    const receive = (id, body) => node.post(`/api/v1/sync/inbound-orders/${id}/receive`, body);
    const stranger = await receive(po.id, { lines: [{ po_line_id: uuidv7(), received: 1 }] });
    assert.equal(stranger.status, 422, stranger.text);
    assert.equal(stranger.json.field, 'lines[0].po_line_id');
    const notOn = await receive(po.id, { lines: [{ item_id: uuidv7(), received: 1 }] });
    assert.equal(notOn.status, 422, notOn.text);
    assert.equal(notOn.json.field, 'lines[0].item_id');
    const nothing = await receive(po.id, { lines: [{ item_id: a.id, received: 0 }] });
    assert.equal(nothing.status, 422, nothing.text);
    assert.equal(nothing.json.code, 'nothing_received');
    const brokenMore = await receive(po.id, { lines: [{ item_id: a.id, received: 1, damaged: 2 }] });
    assert.equal(brokenMore.status, 422, brokenMore.text);
    assert.equal(await onHand(node, a, local), 0);

    // The link duplicates every request from now on. First delivery: 4 of 6 of a (one damaged),
    // and 5 of b where 4 were ordered (over the 10 % tolerance: the admin may).
    proxy.state.duplicate = true;
    const first = ok(await receive(po.id, { lines: [{ item_id: a.id, received: 4, damaged: 1 }, { po_line_id: po.lines[1].id, received: 5 }] }));
    assert.equal(first.purchase_order.status, 'partially_received');
    assert.deepEqual(first.purchase_order.lines.map((l) => [l.received, l.damaged, l.short, l.over, l.outstanding]), [[4, 1, 2, 0, 2], [5, 0, 0, 1, 0]]);
    assert.equal(first.receipt.number, 1);
    assert.equal(await onHand(node, a, local), 3);
    assert.equal(await onHand(node, a, damagedBin), 1);
    assert.equal(await onHand(node, b, local), 5);

    // Head office cancels the other order while the store is cut off; the goods arrive anyway.
    proxy.cut();
    const cancelled = ok(await s.post(`/api/v1/purchase-orders/${spare.id}/cancel`, {}));
    assert.equal(cancelled.status, 'cancelled');
    ok(await receive(spare.id, { lines: [{ item_id: a.id, received: 2 }] }));
    // Second delivery: the rest of a.
    const second = ok(await receive(po.id, { lines: [{ item_id: a.id, received: 2 }] }));
    assert.equal(second.purchase_order.status, 'received');
    assert.equal(second.receipt.number, 2);
    assert.equal(second.purchase_order.receipts.length, 2);
    const again = await receive(po.id, { lines: [{ item_id: a.id, received: 1 }] });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.code, 'po_closed');
    assert.equal(await onHand(node, a, local), 7);
    proxy.restore();
    proxy.state.duplicate = true;

    await until('the receipts pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
    const received = await until('head office records the receipts', async () => {
      const r = await s.get(`/api/v1/purchase-orders/${po.id}`);
      return r.json.status === 'received' && r.json;
    });
    assert.deepEqual(received.lines.map((l) => [l.item_id, l.quantity, l.received, l.damaged, l.short, l.over, l.outstanding]),
      [[a.id, 6, 6, 1, 0, 0, 0], [b.id, 4, 5, 0, 0, 1, 0]]);
    assert.equal(received.receipts.length, 2);
    assert.deepEqual(received.receipts.map((r) => r.lines.map((l) => [l.item_id, l.received, l.damaged])),
      [[[a.id, 4, 1], [b.id, 5, 0]], [[a.id, 2, 0]]]);
    // Costs as head office's own receipts would move them: before the first, 10 of a on hand
    // (the other store); before the second, those, the first delivery's 4 and the cancelled order's 2.
    const history = ok(await s.get(`/api/v1/items/${a.id}/cost-history`)).entries;
    assert.deepEqual(history.map((e) => [e.received, e.unit_cost, e.on_hand_before, e.purchase_order_id]).reverse(),
      [[4, 300, 10, po.id], [2, 300, 16, po.id]]);
    const costA = ok(await s.get(`/api/v1/items/${a.id}`)).cost;
    assert.equal(costA, history[0].cost_after);
    assert.ok(costA > 200 && costA < 300, `moving average ${costA}`);
    assert.equal(ok(await s.get(`/api/v1/items/${b.id}`)).cost, 150);
    // The cancelled order stays cancelled; its receipt is a conflict, its stock booked at the store.
    assert.equal(ok(await s.get(`/api/v1/purchase-orders/${spare.id}`)).status, 'cancelled');
    const conflicts = ok(await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).conflicts;
    assert.deepEqual(conflicts.map((c) => [c.kind, c.detail.purchase_order_id, c.detail.status, c.detail.reason]),
      [['po_not_receivable', spare.id, 'cancelled', 'po_cancelled']]);
    assert.match(conflicts[0].rule, /stock stays booked/);

    // Balances: the store (and its damaged bin) equal the node's.
    const hqBin = await binOf(s, hqStore, 'damaged');
    for (const item of [a, b]) {
      assert.equal(await onHand(s, item, hqStore), await onHand(node, item, local));
      assert.equal(await onHand(s, item, hqBin), await onHand(node, item, damagedBin));
    }
    assert.equal(await onHand(s, a, hqStore), 7);
    assert.equal(await onHand(s, a, hqBin), 1);
    assert.equal(await onHand(s, b, hqStore), 5);
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((n) => n.id === added.id).documents_received, 3, 'each delivery kept once through the duplicating link');

    // The node hears of the cancel and of head office's figures; the list pages by cursor.
    await until('the cancel at the node', async () => (await node.get(`/api/v1/sync/inbound-orders/${spare.id}`)).json.status === 'cancelled');
    const late = await receive(spare.id, { lines: [{ item_id: a.id, received: 1 }] });
    assert.equal(late.status, 409, late.text);
    assert.equal(late.json.code, 'po_closed');
    assert.equal((await node.get(`/api/v1/sync/inbound-orders/${po.id}`)).json.status, 'received');
    assert.deepEqual((await node.get('/api/v1/sync/inbound-orders?status=open')).json.purchase_orders, []);
    const p1 = await node.get('/api/v1/sync/inbound-orders?limit=1');
    const p2 = await node.get(`/api/v1/sync/inbound-orders?limit=1&cursor=${p1.json.next_cursor}`);
    assert.deepEqual([...p1.json.purchase_orders, ...p2.json.purchase_orders].map((o) => o.id), [spare.id, po.id]);
    assert.equal(p2.json.next_cursor, null);

    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});
