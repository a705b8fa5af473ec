// A store node cancels its own shipment (issue 21, docs/sync.md "A store node cancels its
// shipment"): POST /api/v1/sync/outbound-transfers/{id}/cancel books the goods back in at the
// store and pushes outbound_transfer.cancelled. Head office, posting it once by its id, takes the
// rest out of transit and cancels the transfer (a); when the destination received it first, the
// receipt stands, the store's goods are booked back in as well and a
// shipment_cancel_after_receipt conflict lists what arrived (b); a refused shipment's conflict is
// resolved as cancelled by the store (c); one on its way to another node's store is cancelled
// there too, and that node's receipt is refused (d). The store's balances are equal on both
// sides and `backroom check` and `audit verify` are clean after each.
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
let transit;
before(async () => {
  s = await startServer();
  transit = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'transit');
});
after(async () => { await s?.stop(); });

const created = (r) => { assert.equal(r.status, 201, r.text); return r.json; };
let n = 0;
const named = (p) => `${p} ${process.pid}-${++n}`;

// A store with its node, running behind `upstream` (head office or a fault proxy).
async function nodeFor(upstream, name) {
  const location = created(await s.post('/api/v1/locations', { name: named(name), kind: 'store' }));
  const added = created(await s.post('/api/v1/sync/nodes', { location_id: location.id }));
  const server = await startServer({
    init: false,
    db: await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-shipcancel-')), 'store.db')),
    env: { BACKROOM_UPSTREAM: upstream, BACKROOM_NODE_KEY: added.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  return { location, added, server, local: await store(server) };
}
const cancelAt = (node, id, body, key = `cancel-${uuidv7()}`) =>
  node.post(`/api/v1/sync/outbound-transfers/${id}/cancel`, body, { 'Idempotency-Key': key });
const pushed = (node) => until('pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
const atHeadOffice = (id) => until('head office has the transfer', async () => {
  const r = await s.get(`/api/v1/transfers/${id}`);
  return r.status === 200 && r.json;
});

test('(a) a shipment cancelled before it arrived: head office cancels it, nothing stays in transit', async () => {
  const proxy = await startFaultProxy(s.url);
  const warehouse = created(await s.post('/api/v1/locations', { name: named('Cancel warehouse'), kind: 'warehouse' }));
  const a = await makeItem(s, { price: 1000 });
  const b = await makeItem(s, { price: 250 });
  const { location: nodeStore, added, server: node, local } = await nodeFor(proxy.url, 'Cancel store');
  try {
    proxy.state.duplicate = true;  // every request twice from here on
    await until('the warehouse offered', async () =>
      (await node.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === warehouse.id));
    await adjust(node, a, local, 10, 'opening');
    await adjust(node, b, local, 10, 'opening');
    const shipped = created(await node.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: local.id, to_location_id: warehouse.id, note: 'overstock',
      lines: [{ item_id: a.id, quantity: 4 }, { item_id: b.id, quantity: 2 }],
    }));
    await pushed(node);
    assert.equal((await atHeadOffice(shipped.id)).status, 'in_transit');
    assert.equal(await onHand(s, a, transit), 4);
    // Head office still does not cancel what a node shipped: the store holds the goods' truth.
    const hq = await s.post(`/api/v1/transfers/${shipped.id}/cancel`, { reason: 'not here' });
    assert.equal(hq.status, 409, hq.text);
    assert.deepEqual([hq.json.code, hq.json.field], ['kept_by_store_node', 'from_location_id']);

    // Bad input at the node: no reason, an empty one, an unknown field, no such shipment.
    for (const body of [{}, { reason: '   ' }, { reason: 'x', extra: 1 }]) {
      const r = await cancelAt(node, shipped.id, body);
      assert.equal(r.status, 422, r.text);
    }
    assert.equal((await cancelAt(node, uuidv7(), { reason: 'x' })).status, 404);

    const key = `cancel-${uuidv7()}`;
    const cancelled = await cancelAt(node, shipped.id, { reason: 'the van broke down' }, key);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.json.status, 'cancelled');
    assert.equal(cancelled.json.cancel_reason, 'the van broke down');
    assert.ok(Date.parse(cancelled.json.cancelled_at) > 0);
    const replay = await cancelAt(node, shipped.id, { reason: 'the van broke down' }, key);
    assert.equal(replay.status, 200, replay.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    const again = await cancelAt(node, shipped.id, { reason: 'twice' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.code, 'already_cancelled');
    // Back in at the store on the node.
    assert.equal(await onHand(node, a, local), 10);
    assert.equal(await onHand(node, b, local), 10);

    await pushed(node);
    const done = await until('head office cancels it', async () => {
      const r = (await s.get(`/api/v1/transfers/${shipped.id}`)).json;
      return r.status === 'cancelled' && r;
    });
    assert.equal(done.cancel_reason, 'the van broke down');
    assert.equal(done.cancelled_by, `${nodeStore.name} (store node)`);
    assert.deepEqual(done.lines.map((l) => [l.shipped, l.returned, l.outstanding]), [[4, 4, 0], [2, 2, 0]]);
    for (const item of [a, b]) {
      assert.equal(await onHand(s, item, transit), 0);
      assert.equal(await onHand(s, item, warehouse), 0);
      assert.equal(await onHand(s, item, nodeStore), await onHand(node, item, local));
    }
    assert.equal(await onHand(s, a, nodeStore), 10);
    assert.deepEqual((await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).json.conflicts, []);
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((x) => x.id === added.id).documents_received, 4, 'two openings, the shipment and its cancel, each once');
    // The node keeps head office's word: cancelled.
    await new Promise((r) => setTimeout(r, 1500));  // a pull or two after head office's note
    assert.equal((await node.get(`/api/v1/sync/outbound-transfers/${shipped.id}`)).json.status, 'cancelled');
    const listed = (await node.get('/api/v1/sync/outbound-transfers')).json.transfers.find((t) => t.id === shipped.id);
    assert.equal(listed.status, 'cancelled');
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

test('(b) cancelled at the store after head office received it (one short): the receipt stands, a conflict is listed', async () => {
  const proxy = await startFaultProxy(s.url);
  const warehouse = created(await s.post('/api/v1/locations', { name: named('Late warehouse'), kind: 'warehouse' }));
  const a = await makeItem(s, { price: 1000 });
  const b = await makeItem(s, { price: 250 });
  const { location: nodeStore, added, server: node, local } = await nodeFor(proxy.url, 'Late store');
  try {
    await until('the warehouse offered', async () =>
      (await node.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === warehouse.id));
    await adjust(node, a, local, 10, 'opening');
    await adjust(node, b, local, 10, 'opening');
    const shipped = created(await node.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: local.id, to_location_id: warehouse.id,
      lines: [{ item_id: a.id, quantity: 3 }, { item_id: b.id, quantity: 2 }],
    }));
    await pushed(node);
    await atHeadOffice(shipped.id);
    proxy.state.cut = true;
    // The warehouse receives it, one short, while the store cannot hear.
    const got = await s.post(`/api/v1/transfers/${shipped.id}/receive`, {
      id: uuidv7(), close: true, lines: [{ item_id: a.id, received: 3 }, { item_id: b.id, received: 1 }],
    });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.status, 'received');
    // The store, offline, cancels it.
    const cancelled = await cancelAt(node, shipped.id, { reason: 'kept for the weekend' });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(await onHand(node, a, local), 10);
    proxy.state.duplicate = true;
    proxy.state.cut = false;

    const conflict = await until('the conflict listed', async () => {
      const r = await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`);
      return r.json.conflicts.find((c) => c.kind === 'shipment_cancel_after_receipt');
    });
    assert.match(conflict.rule, /twice/);
    assert.equal(conflict.detail.transfer_id, shipped.id);
    assert.equal(conflict.detail.number, got.json.number);
    assert.equal(conflict.detail.node_number, shipped.number);
    assert.equal(conflict.detail.status, 'received');
    assert.equal(conflict.detail.cancel_reason, 'kept for the weekend');
    assert.deepEqual(conflict.detail.arrived.map((l) => [l.item_id, l.received, l.short]), [[a.id, 3, 0], [b.id, 1, 1]]);
    // The receipt stands; the store's goods are booked back in as the store booked them.
    const t = (await s.get(`/api/v1/transfers/${shipped.id}`)).json;
    assert.equal(t.status, 'received');
    assert.equal(await onHand(s, a, warehouse), 3);
    assert.equal(await onHand(s, b, warehouse), 1);
    for (const item of [a, b]) {
      assert.equal(await onHand(s, item, transit), 0);
      assert.equal(await onHand(s, item, nodeStore), await onHand(node, item, local));
    }
    assert.equal(await onHand(s, a, nodeStore), 10);
    // The node hears head office's word: received; a second cancel is refused so.
    await until('the node hears it was received', async () =>
      (await node.get(`/api/v1/sync/outbound-transfers/${shipped.id}`)).json?.status === 'received');
    const again = await cancelAt(node, shipped.id, { reason: 'again' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.code, 'already_received');
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

// A node (behind a fault proxy) whose shipment of 2 of its 5 units of `a` head office refused: a
// backroom inside a store that got its own node while the link was cut. Returns the refusal.
async function refusedShipment(name) {
  const proxy = await startFaultProxy(s.url);
  const other = created(await s.post('/api/v1/locations', { name: named(`${name} harbour`), kind: 'store' }));
  const backroom = created(await s.post('/api/v1/locations', { name: named(`${name} backroom`), kind: 'backroom', parent_id: other.id }));
  const a = await makeItem(s, { price: 1000 });
  const n = await nodeFor(proxy.url, name);
  const { added, server: node, local } = n;
  await until('the backroom offered', async () =>
    (await node.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === backroom.id));
  await adjust(node, a, local, 5, 'opening');
  proxy.state.cut = true;
  created(await s.post('/api/v1/sync/nodes', { location_id: other.id }));
  const stale = created(await node.post('/api/v1/transfers', {
    id: uuidv7(), from_location_id: local.id, to_location_id: backroom.id, lines: [{ item_id: a.id, quantity: 2 }],
  }));
  proxy.state.cut = false;
  const refused = await until('refused', async () =>
    (await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`)).json.conflicts.find((c) => c.kind === 'destination_refused'));
  await until('the node hears the refusal', async () =>
    (await node.get(`/api/v1/sync/outbound-transfers/${stale.id}`)).json?.status === 'refused');
  return { ...n, proxy, other, a, stale, refused };
}

test('(c) a refused shipment cancelled at the store: its destination_refused conflict is resolved', async () => {
  const { location: nodeStore, added, server: node, local, proxy, other, a, stale, refused } = await refusedShipment('Refused store');
  try {
    assert.equal(await onHand(s, a, nodeStore), 3);
    const cancelled = await cancelAt(node, stale.id, { reason: 'never left the store' });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.json.status, 'cancelled');
    const resolved = await until('the refusal resolved', async () => {
      const c = (await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).json.conflicts.find((x) => x.id === refused.id);
      return c.status === 'resolved' && c;
    });
    assert.equal(resolved.note, `Cancelled by the store (${stale.number}): never left the store`);
    assert.equal(resolved.resolved_by, `${nodeStore.name} (store node)`);
    assert.equal((await s.get(`/api/v1/transfers/${stale.id}`)).status, 404);
    assert.equal(await onHand(s, a, nodeStore), 5);
    assert.equal(await onHand(node, a, local), 5);
    assert.equal(await onHand(s, a, transit), 0);
    assert.equal((await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`)).json.conflicts.length, 0);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await node.get(`/api/v1/sync/outbound-transfers/${stale.id}`)).json.status, 'cancelled');
    // The retry of a resolved refusal is refused: the goods are back at the store.
    const retry = await s.post(`/api/v1/sync/conflicts/${refused.id}/retry`, { to_location_id: other.id });
    assert.equal(retry.status, 409, retry.text);
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

test('(d) node A cancels its shipment to node B\'s store on the way: B\'s copy is cancelled and its receipt refused', async () => {
  const item = await makeItem(s, { price: 700 });
  const A = await nodeFor(s.url, 'North store');
  const B = await nodeFor(s.url, 'South store');
  try {
    await until('B\'s store offered at A', async () =>
      (await A.server.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === B.location.id));
    await adjust(A.server, item, A.local, 5, 'opening');
    const shipped = created(await A.server.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: A.local.id, to_location_id: B.location.id, lines: [{ item_id: item.id, quantity: 3 }],
    }));
    await until('the transfer at B', async () => (await B.server.get(`/api/v1/sync/inbound-transfers/${shipped.id}`)).status === 200);
    const cancelled = await cancelAt(A.server, shipped.id, { reason: 'wrong store' });
    assert.equal(cancelled.status, 200, cancelled.text);
    await until('head office cancels it', async () => (await s.get(`/api/v1/transfers/${shipped.id}`)).json.status === 'cancelled');
    const copy = await until('B hears of the cancel', async () => {
      const r = (await B.server.get(`/api/v1/sync/inbound-transfers/${shipped.id}`)).json;
      return r.status === 'cancelled' && r;
    });
    assert.equal(copy.cancel_reason, 'wrong store');
    const receive = await B.server.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, {});
    assert.equal(receive.status, 409, receive.text);
    assert.equal(receive.json.code, 'transfer_cancelled');
    assert.equal(await onHand(s, item, transit), 0);
    assert.equal(await onHand(s, item, A.location), 5);
    assert.equal(await onHand(A.server, item, A.local), 5);
    assert.equal(await onHand(s, item, B.location), 0);
    for (const x of [A, B])
      assert.deepEqual((await s.get(`/api/v1/sync/conflicts?node_id=${x.added.id}&status=all`)).json.conflicts, []);
    assertBooksAndAuditHold(s.db, A.server.db, B.server.db);
  } finally {
    await A.server.stop();
    await B.server.stop();
  }
});

test('(e) node B receives, offline, a shipment node A cancelled before B heard: the receipt stands, one conflict', async () => {
  const a = await makeItem(s, { price: 700 });
  const b = await makeItem(s, { price: 300 });
  const proxy = await startFaultProxy(s.url);
  const A = await nodeFor(s.url, 'East store');
  const B = await nodeFor(proxy.url, 'West store');
  try {
    await until('B\'s store offered at A', async () =>
      (await A.server.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === B.location.id));
    await adjust(A.server, a, A.local, 5, 'opening');
    await adjust(A.server, b, A.local, 5, 'opening');
    const shipped = created(await A.server.post('/api/v1/transfers', {
      id: uuidv7(), from_location_id: A.local.id, to_location_id: B.location.id,
      lines: [{ item_id: a.id, quantity: 3 }, { item_id: b.id, quantity: 2 }],
    }));
    await until('the transfer at B', async () => (await B.server.get(`/api/v1/sync/inbound-transfers/${shipped.id}`)).status === 200);
    proxy.state.cut = true;
    const cancelled = await cancelAt(A.server, shipped.id, { reason: 'wrong store keyed' });
    assert.equal(cancelled.status, 200, cancelled.text);
    const t = await until('head office cancels it', async () => {
      const r = (await s.get(`/api/v1/transfers/${shipped.id}`)).json;
      return r.status === 'cancelled' && r;
    });
    // B, offline, has not heard: it counts the goods in (2 and 1 damaged of 3, 1 of 2).
    const got = await B.server.post(`/api/v1/sync/inbound-transfers/${shipped.id}/receive`, {
      lines: [{ item_id: a.id, received: 2, damaged: 1 }, { item_id: b.id, received: 1, damaged: 0 }],
    });
    assert.equal(got.status, 200, got.text);
    proxy.state.duplicate = true;  // every request twice from here on
    proxy.state.cut = false;

    const conflict = await until('the conflict listed', async () =>
      (await s.get(`/api/v1/sync/conflicts?node_id=${B.added.id}`)).json.conflicts.find((c) => c.kind === 'cancelled_shipment_received'));
    assert.match(conflict.rule, /on the books twice/);
    assert.equal(conflict.location_id, B.location.id);
    assert.equal(conflict.detail.transfer_id, shipped.id);
    assert.equal(conflict.detail.number, t.number);
    assert.deepEqual([conflict.detail.from_name, conflict.detail.to_name], [A.location.name, B.location.name]);
    assert.equal(conflict.detail.cancel_reason, 'wrong store keyed');
    assert.deepEqual(conflict.detail.lines.map((l) => [l.sku, l.shipped, l.received, l.damaged, l.short]),
      [[a.sku, 3, 2, 1, 0], [b.sku, 2, 1, 0, 1]]);
    // Head office's transfer keeps the cancel: nothing received on it, nothing in transit.
    const after = (await s.get(`/api/v1/transfers/${shipped.id}`)).json;
    assert.equal(after.status, 'cancelled');
    assert.deepEqual(after.lines.map((l) => [l.shipped, l.returned, l.received, l.outstanding]), [[3, 3, 0, 0], [2, 2, 0, 0]]);
    // Each store's books equal its node's: the goods are back at A and counted in at B.
    const bDamaged = await binOf(s, B.location, 'damaged');
    const nodeDamaged = await binOf(B.server, B.local, 'damaged');
    await pushed(B.server);
    await new Promise((r) => setTimeout(r, 1500));  // more pulls and (duplicated) pushes change nothing
    for (const item of [a, b]) {
      assert.equal(await onHand(s, item, transit), 0);
      assert.equal(await onHand(s, item, A.location), await onHand(A.server, item, A.local));
      assert.equal(await onHand(s, item, B.location), await onHand(B.server, item, B.local));
      assert.equal(await onHand(s, item, bDamaged), await onHand(B.server, item, nodeDamaged));
    }
    assert.deepEqual([await onHand(s, a, A.location), await onHand(s, a, B.location), await onHand(s, a, bDamaged)], [5, 2, 1]);
    assert.deepEqual([await onHand(s, b, A.location), await onHand(s, b, B.location)], [5, 1]);
    const listed = (await s.get(`/api/v1/sync/conflicts?node_id=${B.added.id}&status=all`)).json.conflicts;
    assert.deepEqual(listed.map((c) => c.kind), ['cancelled_shipment_received'], 'listed once');
    assert.deepEqual((await s.get(`/api/v1/sync/conflicts?node_id=${A.added.id}&status=all`)).json.conflicts, []);
    // B's copy stays received; A's shipment stays cancelled.
    assert.equal((await B.server.get(`/api/v1/sync/inbound-transfers/${shipped.id}`)).json.status, 'received');
    assert.equal((await A.server.get(`/api/v1/sync/outbound-transfers/${shipped.id}`)).json.status, 'cancelled');
    assertBooksAndAuditHold(s.db, A.server.db, B.server.db);
  } finally {
    await A.server.stop();
    await B.server.stop();
    await proxy.stop();
  }
});

test('(f) a refused shipment resolved by hand, then cancelled at the store: the cancel is listed as not applied', async () => {
  const { location: nodeStore, added, server: node, local, proxy, a, stale, refused } = await refusedShipment('Hand store');
  try {
    // A person at head office resolves it by hand (the goods booked in where they went), and
    // then the store, not knowing, cancels it.
    const resolved = await s.post(`/api/v1/sync/conflicts/${refused.id}/resolve`, { note: 'booked in at the quay by hand' });
    assert.equal(resolved.status, 200, resolved.text);
    proxy.state.duplicate = true;
    const cancelled = await cancelAt(node, stale.id, { reason: 'still on our shelf' });
    assert.equal(cancelled.status, 200, cancelled.text);
    const conflict = await until('the cancel listed', async () =>
      (await s.get(`/api/v1/sync/conflicts?node_id=${added.id}`)).json.conflicts.find((c) => c.kind === 'shipment_cancel_not_applied'));
    assert.match(conflict.rule, /found nothing to cancel/);
    assert.equal(conflict.detail.reason, 'not_found');
    assert.equal(conflict.detail.transfer_id, stale.id);
    assert.equal(conflict.detail.node_number, stale.number);
    assert.equal(conflict.detail.cancel_reason, 'still on our shelf');
    assert.deepEqual(conflict.detail.lines.map((l) => [l.sku, l.quantity]), [[a.sku, 2]]);
    await pushed(node);
    await new Promise((r) => setTimeout(r, 1500));
    const listed = (await s.get(`/api/v1/sync/conflicts?node_id=${added.id}&status=all`)).json.conflicts;
    assert.deepEqual(listed.map((c) => [c.kind, c.status]), [['shipment_cancel_not_applied', 'open'], ['destination_refused', 'resolved']]);
    assert.equal(listed[1].note, 'booked in at the quay by hand');  // the refusal keeps the person's word
    assert.equal((await s.get(`/api/v1/transfers/${stale.id}`)).status, 404);
    assert.equal(await onHand(s, a, nodeStore), 5);
    assert.equal(await onHand(node, a, local), 5);
    assert.equal(await onHand(s, a, transit), 0);
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});
