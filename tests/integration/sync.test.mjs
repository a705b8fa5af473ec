// Store nodes at head office (issue 21, docs/sync.md): node keys issued by the API and the
// CLI (shown once, stored hashed as an API key of role store_node scoped to the store), the
// node list with last_sync_at and the queue length a node reports, and the change feed a node
// pulls with its own key; a store node (a second real process on its own SQLite file) that
// applies the feed, keeps its cursor across kill -9 and reports its link. Not yet here:
// documents pushed to head office, conflicts, and the fault-proxy convergence day (see
// docs/sync.md "Not built yet").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cli, startServer } from './lib/server.mjs';
import { makeItem, store } from './lib/shop.mjs';

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

async function until(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a store node applies head office\'s feed in order, keeps its cursor across kill -9, reports its link', async () => {
  const key = (await s.post('/api/v1/sync/nodes', { location_id: shop.id })).json.key;
  const item = await makeItem(s, { barcodes: ['5012345678900'], price: 700 });
  const nodeDb = path.join(mkdtempSync(path.join(tmpdir(), 'backroom-node-')), 'store.db');
  const env = { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: key, BACKROOM_SYNC_PULL_SECONDS: '1' };
  let node = await startServer({ db: nodeDb, env });
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
      { item_id: item.id, price: 800, reason: 'Next year', effective_at: '2031-01-01T00:00:00Z' });
    assert.equal(scheduled.status, 201, scheduled.text);
    await until('the new price at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).json?.price === 750);
    await until('the scheduled change at the node', async () => (await node.get(`/api/v1/price-changes/${scheduled.json.id}`)).status === 200);

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
    node = await startServer({ db: nodeDb, env: { ...env, BACKROOM_UPSTREAM: 'http://127.0.0.1:9' } });
    status = await until('the offline status', async () => {
      const r = await node.get('/api/v1/sync/status');
      return r.json?.online === false && r.json.offline_since && r.json;
    });
    assert.equal(status.cursor, cursor, 'the cursor survived kill -9');
    assert.match(status.last_error, /unreachable/);
    assert.equal((await node.get(`/api/v1/items/${item.id}`)).json.price, 750, 'the node keeps selling from its copy');
  } finally {
    await node.stop();
  }
  // Head office's own status: not a node.
  const own = await s.get('/api/v1/sync/status');
  assert.equal(own.json.node, false);
});
