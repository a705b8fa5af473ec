// Store nodes at head office (issue 21, docs/sync.md): node keys issued by the API and the
// CLI (shown once, stored hashed as an API key of role store_node scoped to the store), the
// node list with last_sync_at and the queue length a node reports, and the change feed a node
// pulls with its own key. Not yet here: the node's puller, documents pushed to head office,
// conflicts, and the fault-proxy convergence day (see docs/sync.md "Not built yet").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
