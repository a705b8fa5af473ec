// Store nodes at head office (issue 21, docs/sync.md): node keys issued by the API and the
// CLI (shown once, stored hashed as an API key of role store_node scoped to the store), the
// node list with last_sync_at and the queue length a node reports, and the change feed a node
// pulls with its own key; a store node (a second real process on its own SQLite file) that
// applies the feed, keeps its cursor across kill -9 and reports its link; two nodes behind a
// fault proxy (lib/fault_proxy.mjs: cut, delay, duplicate) that sell through a cut and
// converge on a price head office changed during it, with `backroom check` and `audit verify`
// clean on each; the documents a node pushes posted into head office's stock at the node's
// store, once each through a duplicating link, with the conflicts head office finds (a sale at
// an old price, a held unit sold at the store, stock gone negative, an item head office does
// not know) listed with their rule and resolved by a manager; a node killed with SIGKILL in
// the middle of a push. The scripted day of many documents is sync_day.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cli, createKey, dbExec, freshStoreDb, startServer, withCheck } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, assertBooksHold, binOf, makeItem, onHand, openRegister, saleBody, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
// This suite's patience: 20 s, polling every 100 ms.
const until = (what, fn, ms = 20000) => waitUntil(what, fn, ms, 100);

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s?.stop(); });

test('a node key is shown once; the node pulls the feed with it and head office sees the pull', async () => {
  const r = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  assert.equal(r.status, 201, r.text);
  const { id, key } = r.json;
  assert.match(key, /^brk_/);
  assert.equal(r.json.location_name, shop.name);
  assert.equal(r.json.last_sync_at, null);

  let list = await s.get('/api/v1/sync/nodes');
  assert.equal(list.status, 200, list.text);
  let node = list.json.nodes.find((n) => n.id === id);
  assert.ok(node, list.text);
  assert.equal(node.key, undefined, 'the key is never listed');
  assert.ok(!list.text.includes(key));

  // The key is an API key of role store_node, scoped to the store.
  const keys = await s.get('/api/v1/api-keys');
  const row = keys.json.api_keys.find((k) => k.id === r.json.key_id);
  assert.equal(row.role, 'store_node');
  assert.deepEqual(row.location_ids, [shop.id]);

  const nodeClient = s.withKey(key);
  const item = await makeItem(s);
  let cursor = '0';
  const seen = [];
  for (;;) {
    const page = await nodeClient.get(`/api/v1/sync/changes?cursor=${cursor}&limit=500&queue_length=12`);
    assert.equal(page.status, 200, page.text);
    seen.push(...page.json.changes);
    cursor = page.json.next_cursor;
    if (!page.json.more) break;
  }
  assert.ok(seen.some((c) => c.entity === 'item' && c.key === item.id && c.data.sku === item.sku));
  list = await s.get('/api/v1/sync/nodes');
  node = list.json.nodes.find((n) => n.id === id);
  assert.equal(node.queue_length, 12);
  assert.ok(node.last_sync_at && !Number.isNaN(Date.parse(node.last_sync_at)), list.text);

  // Least privilege: the node key reads the catalog and pulls, nothing else.
  for (const [method, path, body] of [['GET', '/api/v1/sync/nodes'], ['POST', '/api/v1/sync/nodes', { location_id: shop.id }],
    ['GET', '/api/v1/stock'], ['POST', '/api/v1/items', { sku: 'X', name: 'X', price: 1 }]]) {
    const denied = await nodeClient.request(method, path, body);
    assert.equal(denied.status, 403, `${method} ${path}: ${denied.text}`);
  }
  // A cashier may not manage nodes; a manager may.
  assert.equal((await (await s.as('cashier')).get('/api/v1/sync/nodes')).status, 403);
  assert.equal((await (await s.as('manager')).get('/api/v1/sync/nodes')).status, 200);
  assert.equal((await (await s.as('manager')).post('/api/v1/sync/nodes', { location_id: shop.id })).status, 201);
});

test('bad input: a node belongs to a store; queue_length is a count', async () => {
  for (const body of [{}, { location_id: 'nope' }, { location_id: '01936f5e-8a00-7abc-8def-000000000000' }, { location_id: 5 }, { location_id: shop.id, x: 1 }]) {
    const r = await s.post('/api/v1/sync/nodes', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.json.code, r.text);
  }
  const r = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  const nodeClient = s.withKey(r.json.key);
  for (const q of ['queue_length=-1', 'queue_length=x', 'queue_length=1.5', 'cursor=-3']) {
    const bad = await nodeClient.get(`/api/v1/sync/changes?${q}`);
    assert.equal(bad.status, 422, `${q}: ${bad.text}`);
  }
  const good = { id: uuidv7(), type: 'sale.completed', entity_id: uuidv7(), at: '2026-12-03T10:00:00Z', payload: {} };
  const badDocs = [{}, { documents: 1 }, { documents: [1] }, { documents: [{ ...good, id: 'x' }] },
    { documents: [{ ...good, at: 'yesterday' }] }, { documents: [{ ...good, payload: [] }] }, { documents: [{ ...good, extra: 1 }] },
    { documents: [{ ...good, hlc: 'x' }] }, { documents: [{ ...good, hlc: 5 }] }, { documents: [{ ...good, hlc: '0'.repeat(17) }] },
    { documents: [{ ...good, hlc: 'g'.repeat(16) }] },
    { documents: [good], after: -1 }, { documents: [good], after: '7' }, { documents: [good], through: 1.5 },
    { documents: [good], through: [] },
    { documents: Array.from({ length: 501 }, () => ({ ...good, id: uuidv7() })) }];
  for (const body of badDocs) {
    const bad = await nodeClient.post('/api/v1/sync/documents', body);
    assert.equal(bad.status, 422, `${JSON.stringify(body).slice(0, 200)}: ${bad.text}`);
    assert.ok(bad.json.code);
  }
  // Only a node's key pushes; the same document twice is kept once.
  const admin = await s.post('/api/v1/sync/documents', { documents: [good] });
  assert.equal(admin.status, 403, admin.text);
  assert.equal(admin.json.code, 'not_a_node');
  let pushed = await nodeClient.post('/api/v1/sync/documents', { documents: [good, good] });
  assert.equal(pushed.status, 200, pushed.text);
  const { hlc: answered, ...counts } = pushed.json;
  assert.deepEqual(counts, { received: 2, new: 1, duplicates: 1 });
  assert.match(answered, /^[0-9a-f]{16}$/);
  pushed = await nodeClient.post('/api/v1/sync/documents', { documents: [good] });
  assert.deepEqual({ ...pushed.json, hlc: undefined }, { received: 1, new: 0, duplicates: 1, hlc: undefined });
  // The receive rule: a store whose clock runs an hour ahead pushes; head office's clock moves
  // past that stamp (and tells the next pull), so nothing it does later orders before it.
  const stamp = (ms, c = 0) => ((BigInt(ms) << 16n) | BigInt(c)).toString(16).padStart(16, '0');
  const ahead = stamp(Date.now() + 3600_000, 7);
  pushed = await nodeClient.post('/api/v1/sync/documents', { documents: [{ ...good, id: uuidv7(), hlc: ahead }] });
  assert.equal(pushed.status, 200, pushed.text);
  assert.ok(pushed.json.hlc > ahead, `${pushed.json.hlc} after ${ahead}`);
  const pulled = await nodeClient.get('/api/v1/sync/changes?limit=1');
  assert.ok(pulled.json.hlc >= pushed.json.hlc, `${pulled.json.hlc} not before ${pushed.json.hlc}`);
  assert.ok(answered < ahead);
  // A store whose clock says next year is kept with its stamp, but head office's clock does not
  // follow it there.
  const nextYear = stamp(Date.now() + 365 * 86400_000);
  pushed = await nodeClient.post('/api/v1/sync/documents', { documents: [{ ...good, id: uuidv7(), hlc: nextYear }] });
  assert.equal(pushed.status, 200, pushed.text);
  assert.ok(pushed.json.hlc < stamp(Date.now() + 2 * 3600_000), `${pushed.json.hlc} stays near today`);
});

test('backroom node add --store prints the key once; node list shows it', async () => {
  const r = cli(['node', 'add', '--db', s.db, '--store', shop.name]);
  assert.equal(r.status, 0, r.stderr);
  const key = r.stdout.trim();
  assert.match(key, /^brk_/);
  const page = await s.withKey(key).get('/api/v1/sync/changes?limit=1');
  assert.equal(page.status, 200, page.text);
  const list = cli(['node', 'list', '--db', s.db]);
  assert.equal(list.status, 0, list.stderr);
  assert.ok(list.stdout.includes(shop.name), list.stdout);
  assert.ok(!list.stdout.includes(key));
  const missing = cli(['node', 'add', '--db', s.db, '--store', 'No such store']);
  assert.notEqual(missing.status, 0);
});

test('a store node applies head office\'s feed in order, keeps its cursor across kill -9, reports its link', async () => {
  const key = (await s.post('/api/v1/sync/nodes', { location_id: shop.id })).json.key;
  const item = await makeItem(s, { barcodes: ['5012345678900'], price: 700 });
  const nodeDb = await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-node-')), 'store.db'));
  const env = { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: key, BACKROOM_SYNC_PULL_SECONDS: '1' };
  let node = await startServer({ init: false, db: nodeDb, env });
  try {
    let scan = await until('the item at the node', async () => {
      const r = await node.get('/api/v1/scan/5012345678900');
      return r.status === 200 && r.json;
    });
    assert.equal(scan.item.id, item.id, JSON.stringify(scan));
    assert.equal(scan.item.price, 700);

    // A price change and a scheduled one at head office reach the node.
    const patched = await s.patch(`/api/v1/items/${item.id}`, { price: 750 }, { 'if-match': `"v${item.version}"` });
    assert.equal(patched.status, 200, patched.text);
    const scheduled = await s.post('/api/v1/price-changes',
      { item_id: item.id, price: 800, reason: 'Next year', effective_at: '2031-01-01T00:00:00Z', promotion: true, ends_at: '2031-01-08T00:00:00Z' });
    assert.equal(scheduled.status, 201, scheduled.text);
    await until('the new price at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).json?.price === 750);
    await until('the scheduled change at the node', async () => (await node.get(`/api/v1/price-changes/${scheduled.json.id}`)).status === 200);
    // A promotion keeps its flag and its end at the node (migration 38).
    const atNode = (await node.get(`/api/v1/price-changes/${scheduled.json.id}`)).json;
    assert.equal(atNode.promotion, true);
    assert.equal(atNode.ends_at, '2031-01-08T00:00:00.000000Z');

    let status = await node.get('/api/v1/sync/status');
    assert.equal(status.status, 200, status.text);
    assert.equal(status.json.node, true);
    assert.equal(status.json.online, true);
    assert.ok(status.json.last_sync_at);
    const cursor = status.json.cursor;
    assert.ok(BigInt(cursor) > 0n);
    const hq = await s.get('/api/v1/sync/nodes');
    assert.ok(hq.json.nodes.some((n) => n.location_id === shop.id && n.last_sync_at), hq.text);

    // kill -9: the cursor was committed with what it applied; the restarted node resumes from it.
    node.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    node = await startServer({ init: false, db: nodeDb, env: { ...env, BACKROOM_UPSTREAM: 'http://127.0.0.1:9' } });
    status = await until('the offline status', async () => {
      const r = await node.get('/api/v1/sync/status');
      return r.json?.online === false && r.json.offline_since && r.json;
    });
    assert.equal(status.cursor, cursor, 'the cursor survived kill -9');
    assert.match(status.last_error, /unreachable/);
    assert.equal((await node.get(`/api/v1/items/${item.id}`)).json.price, 750, 'the node keeps selling from its copy');

    // Restarted once head office is back, the node catches up as it starts, not a pull period
    // later: with an hour between pulls only the pull at start brings the new price.
    await node.stop();
    const repriced = await s.patch(`/api/v1/items/${item.id}`, { price: 775 }, { 'if-match': `"v${patched.json.version}"` });
    assert.equal(repriced.status, 200, repriced.text);
    node = await startServer({ init: false, db: nodeDb, env: { ...env, BACKROOM_SYNC_PULL_SECONDS: '3600' } });
    await until('the new price at the restarted node', async () => (await node.get(`/api/v1/items/${item.id}`)).json?.price === 775);
    await until('the restarted node online', async () => (await node.get('/api/v1/sync/status')).json?.online === true);
  } finally {
    await node.stop();
  }
  // Head office's own status: not a node.
  const own = await s.get('/api/v1/sync/status');
  assert.equal(own.json.node, false);
});

test('two store nodes behind a fault proxy: they sell through a cut and converge on head office\'s prices after it', async () => {
  const proxy = await startFaultProxy(s.url);
  const second = await s.post('/api/v1/locations', { name: `Second store ${process.pid}`, kind: 'store' });
  assert.equal(second.status, 201, second.text);
  const keys = [];
  const nodeIds = [];
  for (const location of [shop.id, second.json.id]) {
    const added = await s.post('/api/v1/sync/nodes', { location_id: location });
    assert.equal(added.status, 201, added.text);
    keys.push(added.json.key);
    nodeIds.push(added.json.id);
  }
  const item = await makeItem(s, { barcodes: ['5012345678917'], price: 700 });
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-nodes-'));
  const nodes = [];
  try {
    for (const [i, key] of keys.entries()) {
      nodes.push(await startServer({
        init: false,
        db: await freshStoreDb(path.join(dir, `store-${i}.db`)),
        env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
      }));
    }
    const priceAt = async (node) => (await node.get(`/api/v1/items/${item.id}`)).json?.price;
    for (const node of nodes) await until('the item at each node', async () => (await priceAt(node)) === 700);

    // The link drops; head office changes the price meanwhile.
    proxy.cut();
    for (const node of nodes) await until('each node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    const current = await s.get(`/api/v1/items/${item.id}`);
    const patched = await s.patch(`/api/v1/items/${item.id}`, { price: 900 }, { 'if-match': current.headers.get('etag') });
    assert.equal(patched.status, 200, patched.text);

    // The nodes keep selling from their copy, at the price they have.
    for (const node of nodes) {
      const local = await store(node);
      await adjust(node, item, local, 10, 'opening');
      const sale = await node.post('/api/v1/sales', saleBody(local, [[item, 2]]));
      assert.equal(sale.status, 201, sale.text);
      assert.equal(sale.json.lines[0].unit_price, 700, 'sold at the price the node had');
      const status = (await node.get('/api/v1/sync/status')).json;
      assert.ok(status.offline_since, JSON.stringify(status));
      assert.equal(status.queue_length, 2, 'the opening stock and the sale wait for head office');
      assert.equal(await priceAt(node), 700);
    }

    // The link returns, slow and duplicating every request: both converge.
    proxy.state.cut = false;
    proxy.state.delayMs = 50;
    proxy.state.duplicate = true;
    for (const node of nodes) {
      await until('the new price at each node', async () => (await priceAt(node)) === 900);
      await until('each node online', async () => (await node.get('/api/v1/sync/status')).json?.online === true);
    }
    assert.ok(proxy.state.refused > 0, 'the cut refused pulls');
    assertBooksAndAuditHold(...nodes.map((node) => node.db));
    const hq = (await s.get('/api/v1/sync/nodes')).json.nodes;
    for (const location of [shop.id, second.json.id]) assert.ok(hq.some((n) => n.location_id === location && n.last_sync_at), JSON.stringify(hq));
    // Each node's sale reached head office once, although every push was sent twice.
    for (const node of nodes) await until('the sale pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
    // The opening adjustment and the sale, each once.
    const received = (await s.get('/api/v1/sync/nodes')).json.nodes.filter((n) => nodeIds.includes(n.id));
    assert.deepEqual(received.map((n) => n.documents_received), [2, 2], JSON.stringify(received));
    // ... and posted: head office's books for each store hold what the node's do.
    for (const [i, location] of [shop.id, second.json.id].entries()) {
      assert.equal(await onHand(s, item, location), 8, `head office, store ${i}`);
      assert.equal(await onHand(nodes[i], item, await store(nodes[i])), 8, `node ${i}`);
    }
  } finally {
    for (const node of nodes) await node.stop();
    await proxy.stop();
  }
});

test('head office posts what a node pushed into the node\'s store, once, and lists the conflicts it finds', async () => {
  const proxy = await startFaultProxy(s.url);
  const place = await s.post('/api/v1/locations', { name: `Posting store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const hqStore = place.json;
  const added = await s.post('/api/v1/sync/nodes', { location_id: hqStore.id });
  assert.equal(added.status, 201, added.text);
  const nodeId = added.json.id;
  const a = await makeItem(s, { price: 700 });
  const held = await makeItem(s, { price: 1500 });
  const loose = await makeItem(s, { price: 300 });
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-posting-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  const pushed = () => until('the queue pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
  try {
    for (const item of [a, held, loose]) await until('the items at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    // Opening stock counted at the store reaches head office's books for that store.
    await adjust(node, a, local, 10, 'opening');
    await adjust(node, held, local, 1, 'opening');
    await pushed();
    await until('the opening stock at head office', async () => (await onHand(s, a, hqStore)) === 10 && (await onHand(s, held, hqStore)) === 1);

    // Head office sells the last `held` unit online for pickup at that store.
    const webshop = await s.as('webshop');
    const order = await webshop.post('/api/v1/online-orders', {
      channel: 'web', external_id: `W-${uuidv7()}`, location_id: hqStore.id, promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
      customer: { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' },
      lines: [{ item_id: held.id, quantity: 1, unit_price: 1500 }], paid: true,
    }, { 'idempotency-key': uuidv7() });
    assert.equal(order.status, 201, order.text);
    assert.equal(order.json.lines[0].held, 1, order.text);

    // The link drops. Head office raises a price; the store sells at the price it has, sells
    // the held unit to the customer at its counter, sells an item it has no stock of, and
    // sells an item it made itself (head office does not know it).
    proxy.cut();
    await until('the node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    const current = await s.get(`/api/v1/items/${a.id}`);
    assert.equal((await s.patch(`/api/v1/items/${a.id}`, { price: 900 }, { 'if-match': current.headers.get('etag') })).status, 200);
    // An item head office does not know: a node's own edit of master data is only a change
    // request now (202), so the item is one the store's file held from before it was a node.
    const madeHere = await node.post('/api/v1/items', { sku: `NODE-ONLY-${process.pid}`, name: 'Made at the store', price: 200, tax_category: 'standard' });
    assert.equal(madeHere.status, 202, madeHere.text);
    const own = { id: uuidv7(), sku: `OLD-LOCAL-${process.pid}` };
    const inserted = dbExec(node.db, `PRAGMA busy_timeout = 5000; INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES ('${own.id}', '${own.sku}', 'From before the node', 'from before the node', 200, 0, 0)`);
    assert.equal(inserted.status, 0, inserted.stderr);
    await adjust(node, own, local, 1, 'opening');
    // `loose` is sold twice: one push books both, the second from the balance the first left.
    for (const lines of [[[a, 2]], [[held, 1]], [[loose, 1]], [[loose, 1]], [[own, 1]]]) {
      const sale = await node.post('/api/v1/sales', saleBody(local, lines));
      assert.equal(sale.status, 201, sale.text);
    }
    assert.equal((await node.get('/api/v1/sync/status')).json.queue_length, 6);

    // The link returns, duplicating every request.
    proxy.state.cut = false;
    proxy.state.duplicate = true;
    await pushed();
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((n) => n.id === nodeId).documents_received, 8, JSON.stringify(nodes));

    // Both sides hold the same stock for the store, each document counted once.
    for (const [item, expected] of [[a, 8], [held, 0], [loose, -2]]) {
      assert.equal(await onHand(s, item, hqStore), expected, `head office: ${item.sku}`);
      assert.equal(await onHand(node, item, local), expected, `node: ${item.sku}`);
    }
    // The customer at the counter won: the online order's hold gave the unit up.
    const after = await webshop.get(`/api/v1/online-orders/${order.json.id}`);
    assert.equal(after.json.lines[0].held, 0, after.text);

    const list = await s.get(`/api/v1/sync/conflicts?node_id=${nodeId}`);
    assert.equal(list.status, 200, list.text);
    const conflicts = list.json.conflicts;
    const of = (kind) => conflicts.filter((c) => c.kind === kind);
    const price = of('price_difference');
    assert.equal(price.length, 1, JSON.stringify(conflicts));
    assert.equal(price[0].item.id, a.id);
    assert.equal(price[0].detail.charged, 700);
    assert.equal(price[0].detail.head_office_price, 900);
    assert.equal(price[0].location_name, hqStore.name);
    assert.ok(price[0].rule.includes('keeps what the store charged'), price[0].rule);
    assert.deepEqual(of('held_unit_sold').map((c) => c.item.id), [held.id]);
    assert.deepEqual(of('negative_stock').map((c) => c.item.id), [loose.id, loose.id]);
    assert.deepEqual(of('negative_stock').map((c) => c.detail.on_hand).sort((x, y) => x - y), [-2, -1], JSON.stringify(conflicts));
    // The store's own item: its adjustment and its sale are kept, not posted.
    const rejected = of('rejected');
    assert.equal(rejected.length, 2, JSON.stringify(conflicts));
    for (const c of rejected) assert.equal(c.detail.missing_item_id, own.id);
    assert.ok(conflicts.every((c) => c.status === 'open' && c.node_id === nodeId));

    // A manager resolves one with a note; it leaves the open list.
    const manager = await s.as('manager');
    assert.equal((await (await s.as('cashier')).get('/api/v1/sync/conflicts')).status, 403);
    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 5 }, { note: 'x'.repeat(501) }, { note: 'ok', extra: 1 }]) {
      const bad = await manager.post(`/api/v1/sync/conflicts/${price[0].id}/resolve`, body);
      assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    }
    const resolved = await manager.post(`/api/v1/sync/conflicts/${price[0].id}/resolve`, { note: 'Shelf label was old; relabelled' });
    assert.equal(resolved.status, 200, resolved.text);
    assert.equal(resolved.json.status, 'resolved');
    assert.equal(resolved.json.note, 'Shelf label was old; relabelled');
    assert.ok(resolved.json.resolved_by);
    const again = await manager.post(`/api/v1/sync/conflicts/${price[0].id}/resolve`, { note: 'again' });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.code, 'already_resolved');
    assert.equal((await manager.post(`/api/v1/sync/conflicts/${uuidv7()}/resolve`, { note: 'x' })).status, 404);
    const open = (await s.get(`/api/v1/sync/conflicts?node_id=${nodeId}`)).json.conflicts;
    assert.ok(!open.some((c) => c.id === price[0].id));
    const done = (await s.get(`/api/v1/sync/conflicts?status=resolved&node_id=${nodeId}`)).json.conflicts;
    assert.deepEqual(done.map((c) => c.id), [price[0].id]);
    for (const q of ['status=maybe', 'node_id=x', 'cursor=x', 'limit=0']) {
      const bad = await s.get(`/api/v1/sync/conflicts?${q}`);
      assert.equal(bad.status, 422, `${q}: ${bad.text}`);
    }

    // Conflicts are ordered by the node's hybrid logical clock: the store's own item's opening
    // count, then its sales in the order they were rung up (the stamps increase with them).
    const hex = /^[0-9a-f]{16}$/;
    assert.ok(conflicts.every((c) => hex.test(c.hlc) && c.hlc !== '0'.repeat(16) && c.document_at), JSON.stringify(conflicts));
    const byClock = [...conflicts].sort((x, y) => (x.hlc < y.hlc ? -1 : x.hlc > y.hlc ? 1 : 0));
    assert.deepEqual(conflicts.map((c) => c.id), [...byClock].reverse().map((c) => c.id), 'newest first by the clock');
    const sequence = byClock.map((c) => `${c.kind}:${c.item?.id ?? c.detail.missing_item_id}`);
    assert.deepEqual(sequence, [`rejected:${own.id}`, `price_difference:${a.id}`, `held_unit_sold:${held.id}`,
      `negative_stock:${loose.id}`, `negative_stock:${loose.id}`, `rejected:${own.id}`], sequence.join(' '));
    // Each conflict raised an event (webhooks see them); the resolution raised another.
    const events = [];
    for (let after = 0; ;) {
      const page = await s.get(`/api/v1/events?type=sync.conflict&after=${after}&limit=500`);
      assert.equal(page.status, 200, page.text);
      events.push(...page.json.events);
      if (page.json.events.length === 0) break;
      after = page.json.next_cursor;
    }
    for (const c of conflicts) {
      const raised = events.filter((e) => e.type === 'sync.conflict' && e.entity_id === c.id);
      assert.equal(raised.length, 1, `${c.kind}: ${JSON.stringify(raised)}`);
      assert.equal(raised[0].data.kind, c.kind);
      assert.equal(raised[0].data.hlc, c.hlc);
    }
    const closed = events.filter((e) => e.type === 'sync.conflict_resolved');
    assert.deepEqual(closed.map((e) => [e.entity_id, e.data.status]), [[price[0].id, 'resolved']]);

    // A rejected document is posted again once head office knows its item. Before that the
    // retry is refused and writes nothing; other kinds and resolved ones are refused too.
    const [firstRejected, secondRejected] = byClock.filter((c) => c.kind === 'rejected');
    const retry = (c, body) => manager.post(`/api/v1/sync/conflicts/${c.id}/retry`, body);
    const early = await retry(firstRejected, {});
    assert.equal(early.status, 409, early.text);
    assert.equal(early.json.code, 'still_rejected');
    const unchanged = (await s.get(`/api/v1/sync/conflicts?status=all&node_id=${nodeId}`)).json.conflicts;
    assert.equal(unchanged.length, conflicts.length, 'a refused retry records nothing');
    assert.equal(unchanged.find((c) => c.id === firstRejected.id).status, 'open');
    assert.equal((await retry(price[0], {})).json?.code, 'already_resolved');
    assert.equal((await retry(of('negative_stock')[0], {})).json?.code, 'not_rejected');
    assert.equal((await retry({ id: uuidv7() }, {})).status, 404);
    for (const body of [{ note: '' }, { note: '  ' }, { note: 5 }, { note: 'x'.repeat(501) }, { note: 'ok', extra: 1 }]) {
      const bad = await retry(firstRejected, body);
      assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    }
    assert.equal((await retry(firstRejected, [])).status, 400, 'a body that is not an object');
    assert.equal((await (await s.as('cashier')).post(`/api/v1/sync/conflicts/${firstRejected.id}/retry`, {})).status, 403);
    // Head office makes the item under the store's id; both documents then post, in clock order.
    const made = await s.post('/api/v1/items', { id: own.id, sku: own.sku, name: 'From before the node', price: 200, tax_category: 'standard' });
    assert.equal(made.status, 201, made.text);
    const posted = await retry(firstRejected, { note: 'Item created at head office' });
    assert.equal(posted.status, 200, posted.text);
    assert.equal(posted.json.status, 'resolved');
    assert.equal(posted.json.note, 'Posted by retry: Item created at head office');
    assert.equal(await onHand(s, own, hqStore), 1);
    const postedToo = await retry(secondRejected, undefined);
    assert.equal(postedToo.status, 200, postedToo.text);
    assert.equal(postedToo.json.note, 'Posted by retry.');
    assert.equal(await onHand(s, own, hqStore), 0);
    assert.equal(await onHand(node, own, local), 0);
    assert.equal((await retry(firstRejected, {})).json?.code, 'already_resolved');
    const afterRetry = (await s.get(`/api/v1/events?type=sync.conflict_resolved&after=0&limit=500`)).json.events;
    for (const c of [firstRejected, secondRejected])
      assert.equal(afterRetry.filter((e) => e.entity_id === c.id).length, 1, c.id);

    // Head office's books hold with the posted documents; so do the node's.
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

test('kill -9 of a store node in the middle of a push: every document reaches head office once, the balances agree', async () => {
  const place = await s.post('/api/v1/locations', { name: `Kill store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const hqStore = place.json;
  const added = await s.post('/api/v1/sync/nodes', { location_id: hqStore.id });
  assert.equal(added.status, 201, added.text);
  const item = await makeItem(s, { price: 250 });
  const nodeDb = await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-killpush-')), 'store.db'));
  const up = { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' };
  // First with head office out of reach, so the sales queue up.
  let node = await startServer({ init: false, db: nodeDb, env: { ...up, BACKROOM_UPSTREAM: 'http://127.0.0.1:9' } });
  try {
    await node.stop();
    node = await startServer({ init: false, db: nodeDb, env: up });
    await until('the item at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    await node.stop();
    node = await startServer({ init: false, db: nodeDb, env: { ...up, BACKROOM_UPSTREAM: 'http://127.0.0.1:9' } });
    await adjust(node, item, local, 5000, 'opening');
    const sales = 1200;
    for (let i = 0; i < sales; i += 50)
      await Promise.all(Array.from({ length: 50 }, async () => {
        const r = await node.post('/api/v1/sales', saleBody(local, [[item, 1]]));
        assert.equal(r.status, 201, r.text);
      }));
    assert.equal((await node.get('/api/v1/sync/status')).json.queue_length, sales + 1);
    await node.stop();

    // Head office reachable through a slow link (each request waits 500 ms): the node pushes
    // in batches of 500 and is killed once the first has landed, before it can finish.
    const proxy = await startFaultProxy(s.url);
    proxy.state.delayMs = 500;
    node = await startServer({ init: false, db: nodeDb, env: { ...up, BACKROOM_UPSTREAM: proxy.url } });
    const received = async () => (await s.get('/api/v1/sync/nodes')).json.nodes.find((n) => n.id === added.json.id).documents_received;
    await until('a first batch at head office', async () => (await received()) > 0, 30000);
    node.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const before = await received();
    assert.ok(before < sales + 1, `the kill came before the push ended (${before} had arrived)`);
    await proxy.stop();
    node = await startServer({ init: false, db: nodeDb, env: up });
    await until('the queue pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0, 60000);
    assert.equal(await received(), sales + 1, `each document once (${before} had arrived at the kill)`);
    assert.equal(await onHand(s, item, hqStore), 5000 - sales);
    assert.equal(await onHand(node, item, local), 5000 - sales);
    assertBooksHold(s.db);
    assertBooksHold(node.db);
  } finally {
    await node.stop();
  }
});

test('a node sends its next push before the last is answered; one that overtakes the push it follows waits its turn', async () => {
  const proxy = await startFaultProxy(s.url);
  const place = await s.post('/api/v1/locations', { name: `Overtake store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const hqStore = place.json;
  const added = await s.post('/api/v1/sync/nodes', { location_id: hqStore.id });
  assert.equal(added.status, 201, added.text);
  const item = await makeItem(s, { price: 250 });
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-overtake-')), 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  try {
    await until('the item at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    proxy.cut();
    await until('the node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    // A sale, then more than a push's 500 documents, then the sale's void: the sale goes in
    // the first push, its void in the second, which the node sends before the first is answered.
    await adjust(node, item, local, 1, 'opening');
    const sale = await node.post('/api/v1/sales', saleBody(local, [[item, 1]]));
    assert.equal(sale.status, 201, sale.text);
    const found = 520;
    for (let i = 0; i < found; i += 20)
      await Promise.all(Array.from({ length: 20 }, () => adjust(node, item, local, 1, 'found')));
    const v = await node.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'rang up twice' });
    assert.equal(v.status, 200, v.text);
    assert.equal((await node.get('/api/v1/sync/status')).json.queue_length, found + 3);

    // The link returns and the second push overtakes the first: head office refuses it until
    // the first is applied (409 push_out_of_order), and the node sends it again then.
    proxy.overtake();
    proxy.state.cut = false;
    await until('the queue pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0, 60000);
    assert.equal(proxy.state.overtaken, 1, JSON.stringify(proxy.state.statuses));
    assert.ok(proxy.state.statuses['/api/v1/sync/documents'][409] >= 1, JSON.stringify(proxy.state.statuses));
    const nodes = (await s.get('/api/v1/sync/nodes')).json.nodes;
    assert.equal(nodes.find((n) => n.id === added.json.id).documents_received, found + 3, JSON.stringify(nodes));
    // The void came after its sale at head office too: no conflict, the sale voided there.
    const conflicts = (await s.get(`/api/v1/sync/conflicts?node_id=${added.json.id}&status=all`)).json.conflicts;
    assert.deepEqual(conflicts, []);
    assert.equal((await s.get(`/api/v1/sales/${sale.json.id}`)).json.status, 'voided');
    assert.equal(await onHand(s, item, hqStore), found + 1);
    assert.equal(await onHand(node, item, local), found + 1);
    assertBooksHold(s.db);
    assertBooksHold(node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

test('head office\'s people reach a store node: they sign in there with their password and PIN; a role\'s changes follow; a user disabled at head office is signed out at the store', async () => {
  const place = await s.post('/api/v1/locations', { name: `People store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const roleName = `floor${process.pid}`;
  const role = await s.post('/api/v1/roles', { name: roleName, description: 'Floor staff', permissions: ['items.read', 'stock.read'] });
  assert.equal(role.status, 201, role.text);
  const hired = await s.createUser({ username: `mia${process.pid}`, role: roleName, password: 'mia-first-password', pin: '4711', display_name: 'Mia' });

  const nodeDb = await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-people-')), 'store.db'));
  const node = await startServer({ init: false, db: nodeDb, env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
  try {
    // A person the store had before it was a node stays; head office's are added.
    await node.createUser({ username: `local${process.pid}`, role: 'cashier', password: 'local-password' });
    const mia = await until('Mia at the node', async () => {
      try { return await node.signIn(hired.username, 'mia-first-password'); } catch { return null; }
    });
    assert.equal(mia.session.user.display_name, 'Mia');
    assert.equal((await mia.get('/api/v1/items?limit=1')).status, 200, 'the role came with its permissions');
    assert.equal((await mia.get('/api/v1/sales?limit=1')).status, 403, 'and no more');
    await node.signIn(hired.username, undefined, { pin: '4711' });
    await node.signIn(`local${process.pid}`, 'local-password');
    const roles = (await node.get('/api/v1/roles')).json.roles;
    assert.deepEqual(roles.find((r) => r.name === roleName)?.permissions, ['items.read', 'stock.read']);

    // Head office changes the role and the password: the node follows.
    assert.equal((await s.patch(`/api/v1/roles/${roleName}`, { permissions: ['items.read', 'sales.read'] })).status, 200);
    assert.equal((await s.patch(`/api/v1/users/${hired.id}`, { password: 'mia-second-password' })).status, 200);
    await until('the new password at the node', async () => {
      try { await node.signIn(hired.username, 'mia-second-password'); return true; } catch { return false; }
    });
    await assert.rejects(node.signIn(hired.username, 'mia-first-password'), /401/);
    assert.deepEqual((await node.get('/api/v1/roles')).json.roles.find((r) => r.name === roleName)?.permissions, ['items.read', 'sales.read']);

    // Disabled at head office: the session at the store ends, and she cannot sign in again.
    const signedIn = await node.signIn(hired.username, 'mia-second-password');
    assert.equal((await signedIn.get('/api/v1/items?limit=1')).status, 200);
    assert.equal((await s.patch(`/api/v1/users/${hired.id}`, { disabled: true })).status, 200);
    await until('the session ended at the node', async () => (await signedIn.get('/api/v1/items?limit=1')).status === 401);
    await assert.rejects(node.signIn(hired.username, 'mia-second-password'));
    // The store's own person is untouched; head office never learns of them.
    await node.signIn(`local${process.pid}`, 'local-password');
    assert.ok(!(await s.get('/api/v1/users?limit=500')).json.users.some((u) => u.username === `local${process.pid}`));

    // The feed carries people only to a node whose copy is older, and only to a node's key.
    const nodeClient = s.withKey(added.json.key);
    const first = await nodeClient.get('/api/v1/sync/changes?cursor=0&limit=1&people_version=none');
    assert.equal(first.status, 200, first.text);
    assert.ok(first.json.people.users.some((u) => u.username === hired.username && u.password_hash && u.disabled));
    assert.ok(!first.text.includes('mia-second-password'));
    const same = await nodeClient.get(`/api/v1/sync/changes?cursor=0&limit=1&people_version=${first.json.people.version}`);
    assert.equal(same.json.people, undefined, same.text.slice(0, 200));
    assert.equal((await (await s.as('manager')).get('/api/v1/sync/changes?people_version=none')).status, 403);
    const admin = await s.get('/api/v1/sync/changes?limit=1&people_version=none');
    assert.equal(admin.status, 200, admin.text);
    assert.equal(admin.json.people, undefined, 'an admin reading the feed gets no password hashes');
    for (const v of ['', 'x'.repeat(65), 'A%20B', '%27']) {
      const bad = await nodeClient.get(`/api/v1/sync/changes?people_version=${v}`);
      assert.equal(bad.status, 422, `${v}: ${bad.text}`);
      const badSettings = await nodeClient.get(`/api/v1/sync/changes?settings_version=${v}`);
      assert.equal(badSettings.status, 422, `${v}: ${badSettings.text}`);
      assert.equal(badSettings.json.field, 'settings_version');
    }

    // Head office's shop settings reach the node; there they are head office's (a change request).
    const sales = (await s.get('/api/v1/settings/sales')).json;
    const offline = (await s.get('/api/v1/settings/offline-returns')).json;
    const barcodes = (await s.get('/api/v1/settings/barcodes')).json;
    const limits = (await s.get('/api/v1/settings/stock')).json;
    const tolerance = (await s.get('/api/v1/settings/purchasing')).json;
    const rounding = sales.rounding === 'half_up' ? 'half_even' : 'half_up';
    // The scale's labels as head office reads them, and the limits of its policies.
    const scale = { internal_prefixes: ['20'], embedded_layouts: [{ prefix: '22', item_digits: 5, value: 'weight', value_digits: 5, decimals: 3, verifier: false }] };
    const stockLimits = { adjustment_confirm_quantity: 40, adjustment_confirm_value: 25000 };
    try {
      assert.equal((await s.put('/api/v1/settings/sales', { rounding })).status, 200);
      assert.equal((await s.put('/api/v1/settings/offline-returns', { offline_returns: 'allow', offline_return_limit: 1500 })).status, 200);
      let r = await s.put('/api/v1/settings/barcodes', scale);
      assert.equal(r.status, 200, r.text);
      assert.equal((await s.put('/api/v1/settings/stock', stockLimits)).status, 200);
      assert.equal((await s.put('/api/v1/settings/purchasing', { over_receive_tolerance_bp: 250 })).status, 200);
      // A weighed item head office adds after: its label scans at the store with the weight.
      const apples = await s.post('/api/v1/items', { sku: `SYNC-APL-${process.pid}`, name: 'Apples by weight', unit: 'kg', sold_by_weight: true, price: 349, barcodes: [withCheck('220077700000')] });
      assert.equal(apples.status, 201, apples.text);
      await until('the settings at the node', async () =>
        (await node.get('/api/v1/settings/sales')).json.rounding === rounding &&
        (await node.get('/api/v1/settings/offline-returns')).json.offline_return_limit === 1500 &&
        (await node.get('/api/v1/settings/purchasing')).json.over_receive_tolerance_bp === 250 &&
        (await node.get(`/api/v1/items/${apples.json.id}`)).status === 200);
      assert.deepEqual((await node.get('/api/v1/settings/sales')).json, { ...sales, rounding });
      assert.deepEqual((await node.get('/api/v1/settings/barcodes')).json, (await s.get('/api/v1/settings/barcodes')).json);
      assert.deepEqual((await node.get('/api/v1/settings/stock')).json, stockLimits);
      r = await node.get(`/api/v1/scan/${withCheck('220077701250')}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.item.id, apples.json.id);
      assert.equal(r.json.embedded_weight, 1.25, 'the store reads the scale label as head office set it');
      for (const [route, body] of [['barcodes', barcodes], ['stock', limits], ['purchasing', tolerance]]) {
        const asked = await node.put(`/api/v1/settings/${route}`, body);
        assert.equal(asked.status, 202, `${route}: ${asked.text}`);
        assert.equal(asked.json.change_request.path, `/api/v1/settings/${route}`);
      }
      assert.equal((await node.get('/api/v1/settings/purchasing')).json.over_receive_tolerance_bp, 250, 'nothing changes at the node');
      const badLimit = await node.put('/api/v1/settings/stock', { adjustment_confirm_quantity: -1 });
      assert.equal(badLimit.status, 422, badLimit.text);
      assert.equal(badLimit.json.field, 'adjustment_confirm_quantity');
      const audited = dbExec(node.db, "SELECT count(*) FROM audit_log WHERE action = 'settings.barcodes'");
      assert.equal(audited.stdout.trim(), '1', 'the node audits the change it was sent, once');
      const edit = await node.put('/api/v1/settings/sales', { rounding: sales.rounding });
      assert.equal(edit.status, 202, edit.text);
      assert.equal(edit.json.change_request.path, '/api/v1/settings/sales');
      assert.equal((await node.get('/api/v1/settings/sales')).json.rounding, rounding, 'nothing changes at the node');
      const badRule = await node.put('/api/v1/settings/offline-returns', { offline_returns: 'maybe' });
      assert.equal(badRule.status, 422, 'checked as a local write would be');
      const feed = await nodeClient.get('/api/v1/sync/changes?cursor=0&limit=1&settings_version=none');
      assert.equal(feed.json.settings.sales.rounding, rounding);
      assert.equal(feed.json.settings.sales.offline_return_limit, 1500);
      assert.equal(feed.json.settings.purchasing.over_receive_tolerance_bp, 250);
      assert.deepEqual(feed.json.settings.stock, stockLimits);
      assert.deepEqual(feed.json.settings.barcodes.embedded_layouts.map((l) => l.prefix), ['22']);
      const held = await nodeClient.get(`/api/v1/sync/changes?cursor=0&limit=1&settings_version=${feed.json.settings.version}`);
      assert.equal(held.json.settings, undefined, 'a node that holds them gets nothing');
    } finally {
      await s.put('/api/v1/settings/sales', { rounding: sales.rounding });
      await s.put('/api/v1/settings/offline-returns', offline.offline_returns === 'allow' ? offline : { offline_returns: 'refuse' });
      await s.put('/api/v1/settings/barcodes', barcodes);
      await s.put('/api/v1/settings/stock', limits);
      await s.put('/api/v1/settings/purchasing', tolerance);
    }
    assertBooksAndAuditHold(node.db);
  } finally {
    await node.stop();
  }
});

test('a till closed at a store node reaches head office as its cash-up: expected, counted and over/short per tender', async () => {
  const place = await s.post('/api/v1/locations', { name: `Cash-up store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const item = await makeItem(s, { price: 450 });
  const nodeDb = await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-cashup-')), 'store.db'));
  const node = await startServer({ init: false, db: nodeDb, env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
  try {
    await until('the item at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    await adjust(node, item, local, 10, 'opening');
    const till = `CASHUP-${process.pid}`;
    const session = await openRegister(node, local, till, 5000);
    for (let i = 0; i < 3; i++) {
      const sale = await node.post('/api/v1/sales', saleBody(local, [[item, 1]], { register_id: till, tenders: [{ type: 'cash', amount: 450 }] }));
      assert.equal(sale.status, 201, sale.text);
    }
    // Expected in the drawer: 50.00 float + 3 × 4.50; counted 1.00 short.
    const closed = await node.post(`/api/v1/registers/${till}/sessions/${session.id}/close`, { counted: { cash: 5000 + 1350 - 100, card: 0 } });
    assert.equal(closed.status, 200, closed.text);
    const nodeId = added.json.id;
    const row = await until('the cash-up at head office', async () =>
      (await s.get(`/api/v1/sync/cash-ups?node_id=${nodeId}`)).json?.cash_ups?.[0]);
    assert.equal(row.location_name, `Cash-up store ${process.pid}`);
    assert.equal(row.opening_float, 5000);
    assert.equal(row.cash_over_short, -100, JSON.stringify(row));
    assert.equal(row.over_short, -100);
    const cash = row.tenders.find((t) => t.type === 'cash');
    assert.deepEqual([cash.expected, cash.counted], [6350, 6250]);
    assert.equal(row.net_sales, 1350);
    assert.equal(row.sales_count, 3);
    assert.ok(row.closed_by && row.closed_at && row.register, JSON.stringify(row));
    // Nothing of a cash-up moves stock at head office; the sales did, each once.
    assert.equal(await onHand(s, item, place.json), 7);
    // Who may read them, and what a bad query gets.
    assert.equal((await (await s.as('cashier')).get('/api/v1/sync/cash-ups')).status, 403);
    assert.equal((await (await s.as('manager')).get('/api/v1/sync/cash-ups')).status, 200);
    for (const q of ['node_id=x', 'cursor=x', 'limit=0']) assert.equal((await s.get(`/api/v1/sync/cash-ups?${q}`)).status, 422, q);
  } finally {
    await node.stop();
  }
});

test('on a store node master data is read-only: an edit is a change request head office applies or rejects', async () => {
  const place = await s.post('/api/v1/locations', { name: `Requesting store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const nodeId = added.json.id;
  const item = await makeItem(s, { price: 700 });
  const other = await makeItem(s, { price: 900 });
  const nodeDb = await freshStoreDb(path.join(mkdtempSync(path.join(tmpdir(), 'backroom-cr-')), 'store.db'));
  const env = { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' };
  let node = await startServer({ init: false, db: nodeDb, env });
  const hqRequest = (id) => until(`change request ${id} at head office`, async () => {
    const r = await s.get(`/api/v1/sync/change-requests?status=all&node_id=${nodeId}`);
    return r.json?.change_requests.find((c) => c.id === id);
  });
  const nodeRequest = (id, status) => until(`change request ${id} ${status} at the node`, async () => {
    const r = await node.get('/api/v1/sync/change-requests?status=all');
    const c = r.json?.change_requests.find((x) => x.id === id);
    return c?.status === status && c;
  });
  try {
    for (const it of [item, other]) await until('the items at the node', async () => (await node.get(`/api/v1/items/${it.id}`)).status === 200);
    const atNode = (await node.get(`/api/v1/items/${item.id}`)).json;
    const ifMatch = { 'if-match': `"v${atNode.version}"` };

    // A cashier at the node may not ask for a price edit at all: the price is a locked field,
    // checked at the node exactly as for a local edit.
    const cashier = await node.as('cashier');
    const locked = await cashier.patch(`/api/v1/items/${item.id}`, { price: 650 }, ifMatch);
    assert.equal(locked.status, 403, locked.text);
    // The edit is checked as a local one would be: bad input and a stale version are refused, nothing kept.
    assert.equal((await node.patch(`/api/v1/items/${item.id}`, { price: -5 }, ifMatch)).status, 422);
    assert.equal((await node.patch(`/api/v1/items/${item.id}`, { price: 750 }, { 'if-match': '"v999"' })).status, 412);
    assert.equal((await node.get('/api/v1/sync/change-requests?status=all')).json.change_requests.length, 0);

    // A price edit at the node: 202, a pending change request, nothing changed locally.
    const asked = await node.patch(`/api/v1/items/${item.id}`, { price: 750 }, ifMatch);
    assert.equal(asked.status, 202, asked.text);
    const cr = asked.json.change_request;
    assert.equal(cr.status, 'pending');
    assert.deepEqual(cr.item, { id: item.id, sku: item.sku, name: item.name });
    assert.equal(cr.route, '/api/v1/items/{id}');
    const still = (await node.get(`/api/v1/items/${item.id}`)).json;
    assert.equal(still.price, 700, 'nothing changed at the node');
    assert.equal(still.version, atNode.version);

    // Head office lists it, with the node's store and who asked.
    const listed = await hqRequest(cr.id);
    assert.equal(listed.status, 'pending');
    assert.equal(listed.location_name, place.json.name);
    assert.equal(listed.requested_by, cr.requested_by);
    assert.deepEqual(listed.item, cr.item);
    assert.deepEqual(listed.body, { price: 750 });
    assert.equal((await s.get(`/api/v1/items/${item.id}`)).json.price, 700, 'not applied until a person applies it');
    await until('the node knows head office has it', async () =>
      (await node.get('/api/v1/sync/change-requests')).json.change_requests.find((c) => c.id === cr.id)?.sent === true);

    // Someone who may manage nodes but not edit items cannot apply it: the edit's own permission.
    const role = await s.post('/api/v1/roles', { name: `sync_desk_${process.pid}`, description: 'Reads sync', permissions: ['sync.manage', 'items.read'] });
    assert.equal(role.status, 201, role.text);
    const desk = s.withKey(createKey(s.db, `desk-${process.pid}`, role.json.name));
    const refused = await desk.post(`/api/v1/sync/change-requests/${cr.id}/apply`, {});
    assert.equal(refused.status, 403, refused.text);
    assert.match(refused.text, /items\.update/);
    assert.equal((await hqRequest(cr.id)).status, 'pending');
    // A node's key or a cashier at head office cannot decide either.
    assert.equal((await s.withKey(added.json.key).post(`/api/v1/sync/change-requests/${cr.id}/apply`, {})).status, 403);
    assert.equal((await (await s.as('cashier')).post(`/api/v1/sync/change-requests/${cr.id}/apply`, {})).status, 403);

    // A manager may decide change requests, but a price edited on the item is a locked field
    // (items.locked_fields): the manager cannot apply this one either.
    const manager = await s.as('manager');
    const notHers = await manager.post(`/api/v1/sync/change-requests/${cr.id}/apply`, {});
    assert.equal(notHers.status, 403, notHers.text);
    assert.match(notHers.text, /items\.locked_fields/);
    assert.equal((await hqRequest(cr.id)).status, 'pending');
    // An admin applies it: head office's item changes through its own route, as the admin.
    const applied = await s.post(`/api/v1/sync/change-requests/${cr.id}/apply`, {});
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.json.change_request.status, 'applied');
    assert.equal(applied.json.change_request.requested_by, cr.requested_by);
    assert.ok(applied.json.change_request.decided_by, applied.text);
    assert.equal(applied.json.result.price, 750);
    assert.equal((await s.get(`/api/v1/items/${item.id}`)).json.price, 750);
    // Decided once: a second apply or a reject is 409.
    assert.equal((await s.post(`/api/v1/sync/change-requests/${cr.id}/apply`, {})).status, 409);
    const late = await manager.post(`/api/v1/sync/change-requests/${cr.id}/reject`, { note: 'too late' });
    assert.equal(late.status, 409, late.text);
    assert.equal(late.json.code, 'already_decided');
    // The change reaches the node by the feed; the node learns the decision.
    await until('the applied price at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).json?.price === 750);
    const known = await nodeRequest(cr.id, 'applied');
    assert.equal(known.decided_by, applied.json.change_request.decided_by);

    // Durable: a request made while head office is unreachable survives kill -9 and arrives once.
    node.kill('SIGKILL');
    node = await startServer({ init: false, db: nodeDb, env: { ...env, BACKROOM_UPSTREAM: 'http://127.0.0.1:9' } });
    const otherAtNode = (await node.get(`/api/v1/items/${other.id}`)).json;
    const second = await node.patch(`/api/v1/items/${other.id}`, { price: 950 }, { 'if-match': `"v${otherAtNode.version}"` });
    assert.equal(second.status, 202, second.text);
    node.kill('SIGKILL');
    node = await startServer({ init: false, db: nodeDb, env });
    await hqRequest(second.json.change_request.id);
    const all = (await s.get(`/api/v1/sync/change-requests?status=all&node_id=${nodeId}`)).json.change_requests;
    assert.equal(all.filter((c) => c.id === second.json.change_request.id).length, 1);

    // Reject with a note: the node learns it, and its price stays.
    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 5 }, { note: 'x'.repeat(501) }, { note: 'ok', extra: 1 }]) {
      const bad = await manager.post(`/api/v1/sync/change-requests/${second.json.change_request.id}/reject`, body);
      assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    }
    const rejected = await manager.post(`/api/v1/sync/change-requests/${second.json.change_request.id}/reject`, { note: 'The price stays at 9.00' });
    assert.equal(rejected.status, 200, rejected.text);
    assert.equal(rejected.json.change_request.status, 'rejected');
    assert.equal((await manager.post(`/api/v1/sync/change-requests/${second.json.change_request.id}/apply`, {})).status, 409);
    const told = await nodeRequest(second.json.change_request.id, 'rejected');
    assert.equal(told.note, 'The price stays at 9.00');
    assert.equal((await node.get(`/api/v1/items/${other.id}`)).json.price, 900);
    assert.equal((await s.get(`/api/v1/items/${other.id}`)).json.price, 900);

    // The node's own requests are decided at head office only.
    assert.equal((await node.post(`/api/v1/sync/change-requests/${cr.id}/reject`, { note: 'no' })).status, 404);
    // Every master-data route is marked in the route table; a sale is not master data.
    const table = JSON.parse(cli(['routes', '--json']).stdout).routes;
    const marked = table.filter((r) => r.master_data).map((r) => `${r.method} ${r.pattern}`).sort();
    assert.deepEqual(marked, ['DELETE /api/v1/items/{id}/barcodes/{code}', 'PATCH /api/v1/items/{id}', 'POST /api/v1/items',
      'POST /api/v1/items/import', 'POST /api/v1/items/{id}/barcodes', 'POST /api/v1/price-changes',
      'POST /api/v1/price-changes/{id}/approve', 'POST /api/v1/price-changes/{id}/reject', 'PUT /api/v1/settings/barcodes',
      'PUT /api/v1/settings/offline-returns', 'PUT /api/v1/settings/purchasing', 'PUT /api/v1/settings/sales',
      'PUT /api/v1/settings/stock', 'PUT /api/v1/tax-categories/{code}']);
    // Other writes at the node stay local (selling goes on).
    const local = await store(node);
    await adjust(node, item, local, 3, 'opening');
    assert.equal(await onHand(node, item, local), 3);
  } finally {
    await node.stop();
  }
  assertBooksHold(s.db);
});

test('bad input: a node\'s change requests name master data; each is kept once', async () => {
  const added = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  const nodeClient = s.withKey(added.json.key);
  const item = await makeItem(s);
  const good = { id: uuidv7(), method: 'PATCH', path: `/api/v1/items/${item.id}`, query: [], route: '/api/v1/items/{id}',
    action: 'Change an item', content_type: 'application/json', if_match: `"v${item.version}"`, body: '{"price":123}',
    subject: { item: { id: item.id, sku: item.sku, name: item.name } }, requested_by: 'ana', requested_at: '2026-12-03T10:00:00Z' };
  const bad = [{}, { change_requests: 1 }, { change_requests: [1] }, { change_requests: [{ ...good, id: 'x' }] },
    { change_requests: [{ ...good, path: '/api/v1/sync/nodes', method: 'POST' }] }, { change_requests: [{ ...good, method: 'GET' }] },
    { change_requests: [{ ...good, path: `/api/v1/items/${item.id}?x=1` }] }, { change_requests: [{ ...good, query: [[1, 2]] }] },
    { change_requests: [{ ...good, body: 5 }] }, { change_requests: [{ ...good, requested_at: 'now' }] },
    { change_requests: [{ ...good, requested_by: '' }] }, { change_requests: [{ ...good, extra: 1 }] },
    { change_requests: [], pending: ['x'] }, { change_requests: [], extra: 1 },
    { change_requests: Array.from({ length: 101 }, () => ({ ...good, id: uuidv7() })) }];
  for (const body of bad) {
    const r = await nodeClient.post('/api/v1/sync/change-requests', body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 200)}: ${r.text}`);
    assert.ok(r.json.code, r.text);
  }
  const notNode = await s.post('/api/v1/sync/change-requests', { change_requests: [good] });
  assert.equal(notNode.status, 403, notNode.text);
  let r = await nodeClient.post('/api/v1/sync/change-requests', { change_requests: [good, good] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { received: 2, new: 1, duplicates: 1, decisions: [] });
  r = await nodeClient.post('/api/v1/sync/change-requests', { change_requests: [good], pending: [good.id] });
  assert.deepEqual(r.json, { received: 1, new: 0, duplicates: 1, decisions: [] });
  for (const q of ['status=open', 'node_id=x', 'cursor=x', 'limit=0']) {
    const list = await s.get(`/api/v1/sync/change-requests?${q}`);
    assert.equal(list.status, 422, `${q}: ${list.text}`);
  }
  const rejected = await s.post(`/api/v1/sync/change-requests/${good.id}/reject`, { note: 'Not at this store' });
  assert.equal(rejected.status, 200, rejected.text);
  r = await nodeClient.post('/api/v1/sync/change-requests', { change_requests: [], pending: [good.id] });
  assert.equal(r.json.decisions.length, 1);
  assert.equal(r.json.decisions[0].status, 'rejected');
  assert.equal(r.json.decisions[0].note, 'Not at this store');
  assert.equal((await s.post(`/api/v1/sync/change-requests/${uuidv7()}/apply`, {})).status, 404);
  assert.equal((await s.post(`/api/v1/sync/change-requests/${good.id}/apply`, { x: 1 })).status, 422);
});

test('a price difference is judged by the price change applied after the sale; a bin movement lands in head office\'s bin', async () => {
  const added = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  assert.equal(added.status, 201, added.text);
  const nodeClient = s.withKey(added.json.key);
  const item = await makeItem(s, { price: 700 });
  // An hour ago the store sold at 700 and at 650; then head office's price change to 800 took effect.
  const soldAt = new Date(Date.now() - 3600_000).toISOString();
  const requested = await s.post('/api/v1/price-changes', { item_id: item.id, price: 800, reason: 'New season' });
  assert.equal(requested.status, 201, requested.text);
  const approved = await (await s.as('manager')).post(`/api/v1/price-changes/${requested.json.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);
  assert.ok(approved.json.applied_at, approved.text);
  assert.equal((await s.get(`/api/v1/items/${item.id}`)).json.price, 800);
  const sale = (unitPrice) => {
    const id = uuidv7();
    return { id, type: 'sale.completed', entity_id: id, at: soldAt,
      payload: { receipt_number: `R-${id.slice(-4)}`, lines: [{ item_id: item.id, quantity: 1, unit_price: unitPrice }] },
      movements: [{ item_id: item.id, location_kind: 'store', quantity: -1, reason: 'sale', document_type: 'sale', document_id: id }] };
  };
  const atOldPrice = sale(700);
  const below = sale(650);
  // A goods receipt at the store: two units to its damaged bin, three to the shelf, one more damaged.
  const receiptId = uuidv7();
  const receipt = { id: receiptId, type: 'receipt.posted', entity_id: receiptId, at: soldAt, payload: {},
    movements: [
      { item_id: item.id, location_kind: 'damaged', quantity: 2, reason: 'receipt', document_type: 'receipt', document_id: receiptId, document_line_id: 'l1' },
      { item_id: item.id, location_kind: 'store', quantity: 3, reason: 'receipt', document_type: 'receipt', document_id: receiptId, document_line_id: 'l2' },
      { item_id: item.id, location_kind: 'damaged', quantity: 1, reason: 'receipt', document_type: 'receipt', document_id: receiptId, document_line_id: 'l3' }] };
  const damaged = await binOf(s, shop, 'damaged');
  assert.ok(damaged, 'the store has a damaged bin');
  const damagedBefore = await onHand(s, item, damaged);
  const pushed = await nodeClient.post('/api/v1/sync/documents', { documents: [receipt, atOldPrice, below] });
  assert.equal(pushed.status, 200, pushed.text);
  assert.equal(pushed.json.new, 3);

  const conflicts = (await s.get(`/api/v1/sync/conflicts?node_id=${added.json.id}`)).json.conflicts;
  const differences = conflicts.filter((c) => c.kind === 'price_difference');
  // The sale at 700 matched head office's price at that moment (the change's old price): no conflict;
  // today's 800 would have made one. The sale at 650 differs from 700, not from 800.
  assert.equal(differences.length, 1, JSON.stringify(conflicts));
  assert.equal(differences[0].document_id, below.id);
  assert.equal(differences[0].detail.charged, 650);
  assert.equal(differences[0].detail.head_office_price, 700);
  assert.deepEqual(differences[0].item, { id: item.id, sku: item.sku, name: item.name });
  assert.equal(differences[0].location_name, shop.name);

  assert.equal(await onHand(s, item, damaged), damagedBefore + 3, 'the damaged units are in head office\'s damaged bin of the store');
  assertBooksHold(s.db);
});
