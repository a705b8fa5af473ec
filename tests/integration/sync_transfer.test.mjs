// A transfer from head office to a store node's store (issue 21, docs/sync.md "Transfers to a
// store node"): one transfer is on its way before the store gets its node (the node receives
// it whole); then head office's warehouse ships 5 + 3 of two items to the store; head office
// cannot receive it itself; the node learns of it through its change feed, its staff receive
// 5 and 2 (one short), and the receipt is pushed through a link that duplicates every
// request. Head office then shows the transfer received with the short line, its balances at
// the store equal the node's, the warehouse and in transit are right, and `backroom check` and
// `audit verify` are clean on both sides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freshStoreDb, startServer } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, makeItem, onHand, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
const until = (what, fn, ms = 20000) => waitUntil(what, fn, ms, 100);

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const created = (r) => { assert.equal(r.status, 201, r.text); return r.json; };

test('head office ships to a node\'s store, the node receives it short, head office closes the transfer', async () => {
  const proxy = await startFaultProxy(s.url);
  const hqStore = created(await s.post('/api/v1/locations', { name: `Transfer store ${process.pid}`, kind: 'store' }));
  const warehouse = created(await s.post('/api/v1/locations', { name: `Central warehouse ${process.pid}`, kind: 'warehouse' }));
  const a = await makeItem(s, { price: 1000 });
  const b = await makeItem(s, { price: 250 });
  await adjust(s, a, warehouse, 20, 'opening');
  await adjust(s, b, warehouse, 20, 'opening');
  // On its way before the store gets its node: the node receives it (adding the node notes it).
  const early = created(await s.post('/api/v1/transfers', {
    id: uuidv7(), from_location_id: warehouse.id, to_location_id: hqStore.id, lines: [{ item_id: a.id, quantity: 1 }],
  }));
  const added = created(await s.post('/api/v1/sync/nodes', { location_id: hqStore.id }));
  const transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');
  assert.ok(transit);

  // Shipping to the node's store is allowed; receiving it at head office is not.
  const shipped = created(await s.post('/api/v1/transfers', {
    id: uuidv7(), from_location_id: warehouse.id, to_location_id: hqStore.id,
    lines: [{ item_id: a.id, quantity: 5 }, { item_id: b.id, quantity: 3 }], note: 'weekly replenishment',
  }));
  assert.equal(shipped.status, 'in_transit');
  const refused = await s.post(`/api/v1/transfers/${shipped.id}/receive`, { id: uuidv7() });
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.json.code, 'kept_by_store_node');
  assert.equal(refused.json.field, 'to_location_id');
  assert.equal(await onHand(s, a, warehouse), 14);
  assert.equal(await onHand(s, a, transit), 6);
  // A register's catalog feed does not carry transfers; an admin reading the node feed gets none.
  const feed = await s.get('/api/v1/catalog/changes?cursor=0&limit=500');
  assert.ok(!feed.json.changes.some((c) => c.entity === 'transfer'), feed.text);
  const looked = await s.get('/api/v1/sync/changes?cursor=0&limit=500');
  assert.ok(!looked.json.changes.some((c) => c.entity === 'transfer'), looked.text);
  const nodeFeed = await s.withKey(added.key).get('/api/v1/sync/changes?cursor=0&limit=500');
  assert.deepEqual(nodeFeed.json.changes.filter((c) => c.entity === 'transfer').map((c) => c.key), [early.id, shipped.id]);

  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-transfer-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  try {
    const local = await store(node);
    const inbound = await until('the transfer at the node', async () => {
      const r = await node.get('/api/v1/sync/inbound-transfers?status=in_transit');
      assert.equal(r.status, 200, r.text);
      return r.json.transfers.find((t) => t.id === shipped.id);
    });
    assert.equal(inbound.number, shipped.number);
    assert.equal(inbound.from.name, warehouse.name);
    assert.equal(inbound.note, 'weekly replenishment');
    assert.deepEqual(inbound.lines.map((l) => [l.id, l.item_id, l.shipped]), shipped.lines.map((l) => [l.id, l.item_id, l.shipped]));
    assert.equal((await node.get(`/api/v1/sync/inbound-transfers/${shipped.id}`)).json.status, 'in_transit');

    // Bad receipts write nothing.
    const over = await node.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, { lines: [{ item_id: a.id, received: 6 }] });
    assert.equal(over.status, 422, over.text);
    assert.equal(over.json.code, 'over_received');
    assert.equal(over.json.field, 'lines[0].received');
    const stranger = await node.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, { lines: [{ line_id: uuidv7(), received: 1 }] });
    assert.equal(stranger.status, 422, stranger.text);
    assert.equal(stranger.json.field, 'lines[0].line_id');
    assert.equal(await onHand(node, a, local), 0);

    // The link duplicates every request from now on; the node receives 5 and 2 (one short).
    proxy.state.duplicate = true;
    const got = await node.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, {
      lines: [{ item_id: a.id, received: 5 }, { line_id: shipped.lines[1].id, received: 2 }],
    });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.status, 'received');
    assert.deepEqual(got.json.lines.map((l) => [l.received, l.damaged, l.short]), [[5, 0, 0], [2, 0, 1]]);
    const twice = await node.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, {});
    assert.equal(twice.status, 409, twice.text);
    assert.equal(twice.json.code, 'already_received');
    assert.equal(await onHand(node, a, local), 5);
    assert.equal(await onHand(node, b, local), 2);
    // The early one, received whole (no lines: everything shipped arrived).
    const whole = await node.post(`/api/v1/sync/inbound-transfers/${early.id}/receive`, {});
    assert.equal(whole.status, 200, whole.text);
    assert.deepEqual(whole.json.lines.map((l) => [l.received, l.short]), [[1, 0]]);

    await until('the receipt pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
    const closed = await until('head office closes the transfers', async () => {
      const r = await s.get(`/api/v1/transfers/${shipped.id}`);
      return r.json.status === 'received' && (await s.get(`/api/v1/transfers/${early.id}`)).json.status === 'received' && r.json;
    });
    assert.deepEqual(closed.lines.map((l) => [l.item_id, l.shipped, l.received, l.damaged, l.short, l.outstanding]),
      [[a.id, 5, 5, 0, 0, 0], [b.id, 3, 2, 0, 1, 0]]);
    assert.equal(closed.receipts.length, 1);
    assert.equal(closed.receipts[0].closed, true);
    const listed = await s.get(`/api/v1/transfers?status=received&location_id=${hqStore.id}`);
    assert.deepEqual(listed.json.transfers.map((t) => t.id), [shipped.id, early.id]);

    // Balances: the store equals the node's, the warehouse gave 5 and 3, nothing is left in transit.
    for (const item of [a, b]) assert.equal(await onHand(s, item, hqStore), await onHand(node, item, local));
    assert.equal(await onHand(s, a, hqStore), 6);
    assert.equal(await onHand(s, b, hqStore), 2);
    assert.equal(await onHand(s, a, warehouse), 14);
    assert.equal(await onHand(s, b, warehouse), 17);
    assert.equal(await onHand(s, a, transit), 0);
    assert.equal(await onHand(s, b, transit), 0);
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((n) => n.id === added.id).documents_received, 2, 'each receipt kept once through the duplicating link');
    const conflicts = await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`);
    assert.deepEqual(conflicts.json.conflicts, [], conflicts.text);

    // The node stays clean after more pulls (the feed's transfer, now received, is not kept again).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await node.get('/api/v1/sync/inbound-transfers')).json.transfers.length, 2);
    // Paged newest first by cursor, one a page.
    const p1 = await node.get('/api/v1/sync/inbound-transfers?limit=1');
    const p2 = await node.get(`/api/v1/sync/inbound-transfers?limit=1&cursor=${p1.json.next_cursor}`);
    assert.deepEqual([...p1.json.transfers, ...p2.json.transfers].map((t) => t.id), [shipped.id, early.id]);
    assert.equal(p2.json.next_cursor, null);

    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

// Head office cancels a transfer on its way to a node's store (docs/sync.md, "Transfers to a
// store node"): the node hears of it through its feed and can no longer receive it. A second
// one the node received while the link was cut, before it heard of the cancel: the goods are at
// the store, so head office closes the transfer all the same when the receipt arrives — the
// cancel is undone for what arrived (the warehouse gives it up again), what did not arrive stays
// back at the warehouse — and lists the conflict with its rule. Books clean on both sides.
test('head office cancels a transfer to a node\'s store: the node cannot receive it; one received first undoes the cancel, listed', async () => {
  const proxy = await startFaultProxy(s.url);
  const hqStore = created(await s.post('/api/v1/locations', { name: `Cancel store ${process.pid}`, kind: 'store' }));
  const warehouse = created(await s.post('/api/v1/locations', { name: `Cancel warehouse ${process.pid}`, kind: 'warehouse' }));
  const transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');
  const a = await makeItem(s, { price: 1000 });
  const b = await makeItem(s, { price: 250 });
  await adjust(s, a, warehouse, 20, 'opening');
  await adjust(s, b, warehouse, 20, 'opening');
  const added = created(await s.post('/api/v1/sync/nodes', { location_id: hqStore.id }));
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-transfer-cancel-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  const inbound = async (id) => (await node.get(`/api/v1/sync/inbound-transfers/${id}`)).json;
  try {
    const local = await store(node);
    const wrong = created(await s.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: warehouse.id, to_location_id: hqStore.id, lines: [{ item_id: a.id, quantity: 4 }],
    }));
    await until('the first transfer at the node', async () => (await inbound(wrong.id))?.status === 'in_transit');
    const cancel = await s.post(`/api/v1/transfers/${wrong.id}/cancel`, { reason: 'sent to the wrong store' });
    assert.equal(cancel.status, 200, cancel.text);
    assert.equal(cancel.json.status, 'cancelled');
    assert.equal(await onHand(s, a, warehouse), 20);
    assert.equal(await onHand(s, a, transit), 0);
    const heard = await until('the node hears of the cancel', async () => { const t = await inbound(wrong.id); return t?.status === 'cancelled' && t; });
    assert.equal(heard.cancel_reason, 'sent to the wrong store');
    assert.ok(heard.cancelled_at);
    const late = await node.post(`/api/v1/sync/inbound-transfers/${wrong.id}/receive`, {});
    assert.equal(late.status, 409, late.text);
    assert.equal(late.json.code, 'transfer_cancelled');
    assert.match(late.json.detail, /sent to the wrong store/);
    assert.equal(await onHand(node, a, local), 0);
    const listed = await node.get('/api/v1/sync/inbound-transfers?status=cancelled');
    assert.deepEqual(listed.json.transfers.map((t) => t.id), [wrong.id]);
    assert.equal((await node.get('/api/v1/sync/inbound-transfers?status=in_transit')).json.transfers.length, 0);

    // The second: received at the store through a cut link, cancelled at head office meanwhile.
    const crossed = created(await s.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: warehouse.id, to_location_id: hqStore.id,
      lines: [{ item_id: a.id, quantity: 3 }, { item_id: b.id, quantity: 2 }],
    }));
    await until('the second transfer at the node', async () => (await inbound(crossed.id))?.status === 'in_transit');
    proxy.state.cut = true;
    const got = await node.post(`/api/v1/sync/inbound-transfers/${crossed.id}/receive`, {
      lines: [{ item_id: a.id, received: 3 }, { item_id: b.id, received: 1 }],
    });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.json.lines.map((l) => [l.received, l.short]), [[3, 0], [1, 1]]);
    const taken = await s.post(`/api/v1/transfers/${crossed.id}/cancel`, { reason: 'van broke down' });
    assert.equal(taken.status, 200, taken.text);
    assert.equal(await onHand(s, a, warehouse), 20);
    proxy.state.cut = false;
    proxy.state.duplicate = true;

    await until('the receipt pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
    const conflict = await until('the conflict listed', async () => {
      const r = await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`);
      return r.json.conflicts.find((c) => c.kind === 'cancelled_transfer_received');
    });
    assert.equal(conflict.status, 'open');
    assert.match(conflict.rule, /receipt stands, the cancel is undone for what arrived/);
    assert.equal(conflict.detail.transfer_id, crossed.id);
    assert.equal(conflict.detail.number, crossed.number);
    assert.equal(conflict.detail.cancel_reason, 'van broke down');
    assert.deepEqual(conflict.detail.arrived.map((l) => [l.item_id, l.received, l.damaged]), [[a.id, 3, 0], [b.id, 1, 0]]);
    const conflicts = (await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).json.conflicts;
    assert.equal(conflicts.length, 1, JSON.stringify(conflicts));

    // What arrived left the warehouse again; the unit that did not arrive stays back there.
    const after = (await s.get(`/api/v1/transfers/${crossed.id}`)).json;
    assert.equal(after.status, 'cancelled', 'one unit stays cancelled (back at the warehouse)');
    assert.deepEqual(after.lines.map((l) => [l.item_id, l.shipped, l.received, l.short, l.returned, l.outstanding]),
      [[a.id, 3, 3, 0, 0, 0], [b.id, 2, 1, 0, 1, 0]]);
    assert.equal(await onHand(s, a, warehouse), 17);
    assert.equal(await onHand(s, b, warehouse), 19);
    for (const item of [a, b]) {
      assert.equal(await onHand(s, item, transit), 0);
      assert.equal(await onHand(s, item, hqStore), await onHand(node, item, local));
    }
    assert.equal(await onHand(s, a, hqStore), 3);
    assert.equal(await onHand(s, b, hqStore), 1);
    // More pulls leave the node's receipt as it is (the feed now says cancelled).
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await inbound(crossed.id)).status, 'received');
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});
