// A store node ships a transfer back (issue 21, docs/sync.md "A store node ships"): head
// office's sites reach the node through its feed as destinations (its own store not among
// them); the node ships 4 + 2 of two items to head office's warehouse with the ordinary
// POST /api/v1/transfers, through a link that duplicates every request; head office books the
// store's out-movement and the transfer in transit under the node's ids, receives it at the
// warehouse one short, and the balances at the store and the warehouse are right on both sides.
// A destination head office no longer allows (a backroom inside a store that got its own node
// while the node's link was cut) is a destination_refused conflict: the goods stay booked out
// of the store. `backroom check` and `audit verify` are clean on both sides.
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

test('a store node ships to head office\'s warehouse; head office has it in transit and receives it one short', async () => {
  const proxy = await startFaultProxy(s.url);
  const nodeStore = created(await s.post('/api/v1/locations', { name: `Ship store ${process.pid}`, kind: 'store' }));
  const otherStore = created(await s.post('/api/v1/locations', { name: `Harbour store ${process.pid}`, kind: 'store' }));
  const backroom = created(await s.post('/api/v1/locations', {
    name: `Harbour backroom ${process.pid}`, kind: 'backroom', parent_id: otherStore.id,
  }));
  const warehouse = created(await s.post('/api/v1/locations', { name: `Return warehouse ${process.pid}`, kind: 'warehouse' }));
  const a = await makeItem(s, { price: 1000 });
  const b = await makeItem(s, { price: 250 });
  const added = created(await s.post('/api/v1/sync/nodes', { location_id: nodeStore.id }));
  const transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');

  // The feed carries head office's sites to a node's key only, with whether it may ship there.
  const nodeFeed = await s.withKey(added.key).get('/api/v1/sync/changes?cursor=0&limit=500');
  const sites = Object.fromEntries(nodeFeed.json.changes.filter((c) => c.entity === 'location').map((c) => [c.key, c.data]));
  assert.deepEqual(sites[warehouse.id], { id: warehouse.id, name: warehouse.name, kind: 'warehouse', allowed: true });
  assert.equal(sites[nodeStore.id].allowed, false, 'not its own store');
  assert.equal(sites[backroom.id].allowed, true);
  assert.ok(!nodeFeed.json.changes.some((c) => c.entity === 'location' && c.data.kind === 'transit'));
  assert.ok(!(await s.get('/api/v1/catalog/changes?cursor=0&limit=500')).json.changes.some((c) => c.entity === 'location'));
  assert.ok(!(await s.get('/api/v1/sync/changes?cursor=0&limit=500')).json.changes.some((c) => c.entity === 'location'));

  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-ship-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  try {
    proxy.state.duplicate = true;  // every request twice from here on
    const local = await store(node);
    const destinations = await until('head office\'s sites at the node', async () => {
      const r = await node.get('/api/v1/sync/destinations?limit=500');
      assert.equal(r.status, 200, r.text);
      return r.json.destinations.some((d) => d.id === warehouse.id) && r.json.destinations;
    });
    assert.deepEqual(destinations.find((d) => d.id === warehouse.id), { id: warehouse.id, name: warehouse.name, kind: 'warehouse' });
    assert.ok(!destinations.some((d) => d.id === nodeStore.id), 'the node\'s own store is no destination');
    // Paged by id, one a page: the walk gives each destination once, as the whole list does.
    const walked = [];
    for (let cursor = null, pages = 0; pages < 50; pages++) {
      const r = await node.get(`/api/v1/sync/destinations?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      walked.push(...r.json.destinations.map((d) => d.id));
      cursor = r.json.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(walked, destinations.map((d) => d.id));
    // Read-only: the node has no location of head office's.
    assert.ok(!(await node.get('/api/v1/locations')).json.locations.some((l) => l.id === warehouse.id));

    await adjust(node, a, local, 10, 'opening');
    await adjust(node, b, local, 10, 'opening');

    // Refused at the node: its own store at head office, and a place it does not know.
    const own = await node.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: local.id, to_location_id: nodeStore.id, lines: [{ item_id: a.id, quantity: 1 }],
    });
    assert.equal(own.status, 422, own.text);
    assert.equal(own.json.field, 'to_location_id');
    const nowhere = await node.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: local.id, to_location_id: uuidv7(), lines: [{ item_id: a.id, quantity: 1 }],
    });
    assert.equal(nowhere.status, 422, nowhere.text);
    assert.equal(nowhere.json.field, 'to_location_id');

    const body = {
      id: uuidv7(), from_location_id: local.id, to_location_id: warehouse.id, note: 'overstock back',
      lines: [{ item_id: a.id, quantity: 4 }, { item_id: b.id, quantity: 2 }],
    };
    const shipped = created(await node.post('/api/v1/transfers', body));
    assert.equal(shipped.id, body.id);
    assert.equal(shipped.number, 'S-000001');
    assert.equal(shipped.status, 'shipped');
    assert.equal(shipped.to.name, warehouse.name);
    const again = await node.post('/api/v1/transfers', body);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.id, shipped.id);
    assert.equal(await onHand(node, a, local), 6);
    assert.equal(await onHand(node, b, local), 8);
    const listed = await node.get('/api/v1/sync/outbound-transfers');
    assert.deepEqual(listed.json.transfers.map((t) => t.id), [shipped.id]);
    assert.equal((await node.get(`/api/v1/sync/outbound-transfers/${shipped.id}`)).json.lines.length, 2);

    await until('pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
    const inTransit = await until('head office has the transfer', async () => {
      const r = await s.get(`/api/v1/transfers/${shipped.id}`);
      return r.status === 200 && r.json;
    });
    assert.equal(inTransit.status, 'in_transit');
    assert.equal(inTransit.from_location_id, nodeStore.id);
    assert.equal(inTransit.to_location_id, warehouse.id);
    assert.deepEqual(inTransit.lines.map((l) => [l.id, l.item_id, l.shipped, l.outstanding]),
      shipped.lines.map((l) => [l.id, l.item_id, l.shipped, l.shipped]));
    assert.match(inTransit.note, /S-000001/);
    // In transit at head office; the store's balances equal the node's.
    assert.equal(await onHand(s, a, transit), 4);
    assert.equal(await onHand(s, b, transit), 2);
    for (const item of [a, b]) assert.equal(await onHand(s, item, nodeStore), await onHand(node, item, local));
    assert.equal(await onHand(s, a, warehouse), 0);
    // Head office does not cancel a node's shipment: its node does (sync_shipcancel).
    const cancel = await s.post(`/api/v1/transfers/${shipped.id}/cancel`, { reason: 'not here' });
    assert.equal(cancel.status, 409, cancel.text);
    assert.deepEqual([cancel.json.code, cancel.json.field], ['kept_by_store_node', 'from_location_id']);
    assert.equal(await onHand(s, a, transit), 4);

    // The warehouse receives it at head office: all of a, one of b (one short).
    const got = await s.post(`/api/v1/transfers/${shipped.id}/receive`, {
      id: uuidv7(), close: true, lines: [{ item_id: a.id, received: 4 }, { item_id: b.id, received: 1 }],
    });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.status, 'received');
    assert.deepEqual(got.json.lines.map((l) => [l.received, l.short]), [[4, 0], [1, 1]]);
    assert.equal(await onHand(s, a, warehouse), 4);
    assert.equal(await onHand(s, b, warehouse), 1);
    assert.equal(await onHand(s, a, transit), 0);
    assert.equal(await onHand(s, b, transit), 0);
    for (const item of [a, b]) assert.equal(await onHand(s, item, nodeStore), await onHand(node, item, local));
    assert.equal(await onHand(s, a, nodeStore), 6);
    assert.equal(await onHand(s, b, nodeStore), 8);
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((n) => n.id === added.id).documents_received, 3, 'two openings and the shipment, each once');
    assert.deepEqual((await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).json.conflicts, []);
    // The node hears of the receipt through its feed: received, with what arrived and what was short.
    const heard = await until('the node hears its shipment received', async () => {
      const r = await node.get(`/api/v1/sync/outbound-transfers/${shipped.id}`);
      return r.json?.status === 'received' && r.json;
    });
    assert.ok(Date.parse(heard.received_at) > 0);
    assert.deepEqual(heard.lines.map((l) => [l.item_id, l.shipped, l.received, l.damaged, l.short]),
      [[a.id, 4, 4, 0, 0], [b.id, 2, 1, 0, 1]]);

    // The backroom inside another store stops being a destination when that store gets its own
    // node; this node, cut off meanwhile, still ships there: head office refuses it, listed.
    proxy.state.cut = true;
    created(await s.post('/api/v1/sync/nodes', { location_id: otherStore.id }));
    const stale = created(await node.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: local.id, to_location_id: backroom.id, lines: [{ item_id: a.id, quantity: 1 }],
    }));
    assert.equal(await onHand(node, a, local), 5);
    proxy.state.cut = false;
    const refused = await until('the refused destination listed', async () => {
      const r = await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`);
      return r.json.conflicts.find((c) => c.kind === 'destination_refused');
    });
    assert.equal(refused.detail.reason, 'kept_by_store_node');
    assert.equal(refused.detail.transfer_id, stale.id);
    assert.equal(refused.detail.to_name, backroom.name);
    assert.match(refused.rule, /booked out/);
    assert.equal((await s.get(`/api/v1/transfers/${stale.id}`)).status, 404);
    // Booked out of the store on both sides, never silently gone: the conflict says where it was going.
    assert.equal(await onHand(s, a, nodeStore), 5);
    assert.equal(await onHand(s, a, transit), 0);
    // After the node's next pull the backroom is no longer offered, and the node hears its
    // shipment was not taken.
    await until('the backroom withdrawn', async () =>
      !(await node.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === backroom.id));
    await until('the node hears the refusal', async () =>
      (await node.get(`/api/v1/sync/outbound-transfers/${stale.id}`)).json?.status === 'refused');

    // Posted again: while the cause persists (the backroom is still inside a node's store, or a
    // destination head office refuses too) the retry is 409 and nothing is in transit.
    const retry = (body) => s.post(`/api/v1/sync/conflicts/${refused.id}/retry`, body);
    const still = await retry({});
    assert.equal(still.status, 409, still.text);
    assert.equal(still.json.code, 'still_refused');
    assert.equal(still.json.reason, 'kept_by_store_node');
    const ownStore = await retry({ to_location_id: nodeStore.id });
    assert.equal(ownStore.status, 409, ownStore.text);
    assert.equal(ownStore.json.code, 'still_refused');
    assert.equal(ownStore.json.reason, 'own_store');
    assert.equal((await s.get(`/api/v1/transfers/${stale.id}`)).status, 404);
    assert.equal(await onHand(s, a, transit), 0);
    assert.equal((await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`)).json.conflicts[0].status, 'open');
    assert.equal((await node.get(`/api/v1/sync/outbound-transfers/${stale.id}`)).json.status, 'refused');
    // The unit really went to the warehouse: two retries at once put it in transit there once.
    const both = await Promise.all([1, 2].map(() => retry({ note: 'went to the warehouse', to_location_id: warehouse.id })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], both.map((r) => r.text).join(' | '));
    const won = both.find((r) => r.status === 200).json;
    assert.equal(won.status, 'resolved');
    assert.equal(won.note, 'Posted by retry: went to the warehouse');
    assert.equal(both.find((r) => r.status === 409).json.code, 'already_resolved');
    assert.equal((await retry({})).json.code, 'already_resolved');
    const moved = (await s.get(`/api/v1/transfers/${stale.id}`)).json;
    assert.equal(moved.status, 'in_transit');
    assert.equal(moved.to_location_id, warehouse.id);
    assert.equal(await onHand(s, a, transit), 1);
    const landed = await s.post(`/api/v1/transfers/${stale.id}/receive`, { id: uuidv7() });
    assert.equal(landed.status, 200, landed.text);
    const twice = await s.post(`/api/v1/transfers/${stale.id}/receive`, { id: uuidv7() });
    assert.equal(twice.json.receipts.length, 1, 'received once');
    assert.equal(await onHand(s, a, warehouse), 5);
    assert.equal(await onHand(s, a, transit), 0);
    // The node hears where it went and that it arrived.
    const told = await until('the node hears the retried shipment received', async () => {
      const r = await node.get(`/api/v1/sync/outbound-transfers/${stale.id}`);
      return r.json?.status === 'received' && r.json;
    });
    assert.equal(told.to.name, warehouse.name);
    assert.deepEqual(told.lines.map((l) => [l.received, l.short]), [[1, 0]]);
    for (const item of [a, b]) assert.equal(await onHand(s, item, nodeStore), await onHand(node, item, local));

    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

test('a store node ships to another node\'s store: head office holds it in transit, the other node receives it', async () => {
  const storeA = created(await s.post('/api/v1/locations', { name: `North store ${process.pid}`, kind: 'store' }));
  const storeB = created(await s.post('/api/v1/locations', { name: `South store ${process.pid}`, kind: 'store' }));
  const item = await makeItem(s, { price: 700 });
  const nodeA = created(await s.post('/api/v1/sync/nodes', { location_id: storeA.id }));
  const nodeB = created(await s.post('/api/v1/sync/nodes', { location_id: storeB.id }));
  const transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');
  const start = async (key, name) => startServer({
    init: false,
    db: await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), `backroom-ship-${name}-`)), 'store.db')),
    env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  const a = await start(nodeA.key, 'a');
  const b = await start(nodeB.key, 'b');
  try {
    const localA = await store(a);
    const localB = await store(b);
    await until('the other store offered at A', async () =>
      (await a.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === storeB.id));
    await adjust(a, item, localA, 5, 'opening');
    const shipped = created(await a.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: localA.id, to_location_id: storeB.id, lines: [{ item_id: item.id, quantity: 3 }],
    }));
    const atHq = await until('in transit at head office', async () => {
      const r = await s.get(`/api/v1/transfers/${shipped.id}`);
      return r.status === 200 && r.json;
    });
    assert.equal(atHq.status, 'in_transit');
    assert.equal(atHq.to_location_id, storeB.id);
    assert.equal(await onHand(s, item, transit), 3);
    // Only B's node receives it (as head office's own shipments to a node's store).
    const refused = await s.post(`/api/v1/transfers/${shipped.id}/receive`, { id: uuidv7() });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.json.code, 'kept_by_store_node');
    const inbound = await until('the transfer at B', async () => {
      const r = await b.get(`/api/v1/sync/inbound-transfers/${shipped.id}`);
      return r.status === 200 && r.json;
    });
    assert.equal(inbound.from.name, storeA.name);
    const got = await b.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, {});
    assert.equal(got.status, 200, got.text);
    const closed = await until('head office closes it', async () => {
      const r = (await s.get(`/api/v1/transfers/${shipped.id}`)).json;
      return r.status === 'received' && r;
    });
    // By the receiving node's store, for people (never its key).
    assert.equal(closed.received_by, `${storeB.name} (store node)`);
    assert.equal(closed.receipts[0].by, `${storeB.name} (store node)`);
    // The shipping node hears its shipment received at the other store.
    const heard = await until('A hears its shipment received', async () => {
      const r = await a.get(`/api/v1/sync/outbound-transfers/${shipped.id}`);
      return r.json?.status === 'received' && r.json;
    });
    assert.deepEqual(heard.lines.map((l) => [l.shipped, l.received, l.short]), [[3, 3, 0]]);
    assert.equal(await onHand(s, item, transit), 0);
    assert.equal(await onHand(s, item, storeA), 2);
    assert.equal(await onHand(s, item, storeB), 3);
    assert.equal(await onHand(a, item, localA), 2);
    assert.equal(await onHand(b, item, localB), 3);
    // By Idempotency-Key instead of an id: the same request twice ships once.
    const keyed = { from_location_id: localA.id, to_location_id: storeB.id, lines: [{ item_id: item.id, quantity: 1 }] };
    const k = `ship-${uuidv7()}`;
    const first = await a.post('/api/v1/transfers', keyed, { 'Idempotency-Key': k });
    assert.equal(first.status, 201, first.text);
    const second = await a.post('/api/v1/transfers', keyed, { 'Idempotency-Key': k });
    assert.ok(second.status === 200 || second.status === 201, second.text);
    assert.equal(second.json.id, first.json.id);
    assert.equal(first.json.number, 'S-000002');
    assert.equal(await onHand(a, item, localA), 1);
    await until('the keyed shipment in transit at head office', async () => (await s.get(`/api/v1/transfers/${first.json.id}`)).status === 200);
    assert.equal(await onHand(s, item, transit), 1);
    assert.equal(await onHand(s, item, storeA), 1);
    for (const id of [nodeA.id, nodeB.id])
      assert.deepEqual((await s.get(`/api/v1/sync/conflicts?node_id=${id}&status=all`)).json.conflicts, []);
    assertBooksAndAuditHold(s.db, a.db, b.db);
  } finally {
    await a.stop();
    await b.stop();
  }
});
