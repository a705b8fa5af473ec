// Idempotency-Key on every mutating route (issue 19; docs/api.md "Idempotency"). The walk lists
// every POST/PUT/PATCH/DELETE route from the server's own route table (`backroom routes
// --json`) and fails when one has no setup below, so a new route must add itself. For each
// route that stores its answer: the first request succeeds; the same key and body answer the
// same status and bytes with `Idempotent-Replayed: true`; the same key with another body is 422
// idempotency_key_reused. Routes that change nothing take the key and simply run again; routes
// that refuse a key (signing in and out) say why, and the walk checks that they do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ADMIN_PASSWORD, cli, startServer } from './lib/server.mjs';
import { adjust, makeItem, openRegister, store, uuidv7, until as waitUntil } from './lib/shop.mjs';
// This suite's patience: 15 s, polling every 25 ms.
const until = (what, fn, ms = 15000) => waitUntil(what, fn, ms, 25);

let s;
let shop;
let receiver;
let receiverUrl;
let owner;
before(async () => {
  s = await startServer({ env: { BACKROOM_WEBHOOK_POLL_MS: '25' } });
  shop = await store(s);
  owner = await s.createUser({ username: `walk-owner-${process.pid}`, role: 'manager', display_name: 'Walk Owner' });
  // A webhook receiver that refuses everything with 400, so messages become dead letters.
  receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(400); res.end('no'); }); });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${receiver.address().port}`;
});
const nodeServers = [];
after(async () => { for (const n of nodeServers) await n.stop(); await s?.stop(); receiver?.closeAllConnections(); receiver?.close(); });

const ok = (r, what) => { assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`); return r.json; };
let n = 0;
const unique = (p) => `${p}-${process.pid}-${++n}`;
// Node keys go to a store of their own: a store with a node keeps its stock on the node, and
// head office refuses to adjust, count or receive for it (docs/sync.md).
let nodeStore;
const nodeLocation = async () => (nodeStore ??= ok(await s.post('/api/v1/locations', { name: unique('Node store'), kind: 'store' }), 'node store')).id;
function gtin13(prefix) {
  const base = (prefix + String(Date.now() % 1e9) + String(++n).padStart(3, '0')).slice(0, 12).padEnd(12, '0');
  const sum = base.split('').map(Number).reduce((a, d, i) => a + d * (i % 2 === 0 ? 1 : 3), 0);
  return base + ((10 - (sum % 10)) % 10);
}
const stocked = async (qty = 1000) => { const item = await makeItem(s); await adjust(s, item, shop, qty, 'opening'); return item; };
const sale = async (item, qty = 5) => ok(await s.post('/api/v1/sales', { id: uuidv7(), location_id: shop.id, lines: [{ item_id: item.id, quantity: qty }], tenders: [{ type: 'cash', amount: 100000 }] }), 'sale');
// Training is taken by a signed-in person, never by an API key.
let traineeClient;
const trainee = async () => {
  if (!traineeClient) {
    await s.createUser({ username: `walk-trainee-${process.pid}`, role: 'manager', password: 'walk-trainee-password' });
    traineeClient = await s.signIn(`walk-trainee-${process.pid}`, 'walk-trainee-password');
  }
  return traineeClient;
};
const supplier = async (extra = {}) => ok(await s.post('/api/v1/suppliers', { name: unique('Walk supplier'), ...extra }), 'supplier');
const draftOrder = async () => {
  const sup = await supplier();
  const item = await makeItem(s);
  return ok(await s.post('/api/v1/purchase-orders', { supplier_id: sup.id, location_id: shop.id, expected_on: '2027-03-01', lines: [{ item_id: item.id, quantity: 10, unit_cost: 100 }] }), 'order');
};
const sentOrder = async () => { const o = await draftOrder(); ok(await s.post(`/api/v1/purchase-orders/${o.id}/send`, {}), 'send'); return o; };
const warehouse = async () => ok(await s.post('/api/v1/locations', { name: unique('Walk warehouse'), kind: 'warehouse' }), 'location');
const endpoint = async (url = receiverUrl, types = ['count.approved']) =>
  ok(await s.post('/api/v1/webhooks/endpoints', { url, event_types: types, owner: 'walk' }), 'endpoint');
const openSession = async () => { const id = unique('W'); return { id, session: ok(await s.post(`/api/v1/registers/${id}/sessions`, { location_id: shop.id, opening_float: 10000 }), 'session') }; };
const alertOf = async () => {
  const e = await endpoint(receiverUrl, ['item.created']);
  await makeItem(s);
  return until('an alert', async () => (await s.get('/api/v1/alerts?status=open')).json.alerts.find((a) => a.endpoint_id === e.id));
};
const countWithLine = async () => {
  const item = await stocked(50);
  const c = ok(await s.post('/api/v1/counts', { location_id: shop.id, item_ids: [item.id] }), 'count');
  ok(await s.post(`/api/v1/counts/${c.id}/lines`, { item_id: item.id, counted: 48 }), 'count line');
  return { c, item };
};
function orderBody(lines, extra = {}) {
  return {
    channel: 'web', external_id: unique('W'), location_id: shop.id, promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
    customer: { name: 'Walk Shopper', phone: '+3161234567', email: 'walk@example.com' },
    lines: lines.map(([item, quantity]) => ({ item_id: item.id, quantity, unit_price: 1000 })), paid: true, ...extra,
  };
}
const placeOrder = async (lines, extra) => ok(await (await s.as('webshop')).post('/api/v1/online-orders', orderBody(lines, extra)), 'online order');
const stagedOrder = async () => {
  const item = await stocked();
  const o = await placeOrder([[item, 1]]);
  ok(await s.post(`/api/v1/online-orders/${o.id}/pick`, { item_id: item.id }), 'pick');
  ok(await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'W-3' }), 'stage');
  return o;
};
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000' +
  '3a7e9b550000000a49444154789c63680000008200815d3d2bb30000000049454e44ae426082', 'hex');

// Per route: the request that succeeds once (path, body; `client`, `type` when not the admin
// key and JSON). Settings routes PUT back what they read.
// A store node's change request (a name edited at the store); `sent`: already at head office.
const changeRequest = async (sent = false) => {
  const item = await makeItem(s);
  const c = { id: uuidv7(), method: 'PATCH', path: `/api/v1/items/${item.id}`, query: [], route: '/api/v1/items/{id}', action: 'Change an item',
    content_type: 'application/json', if_match: `"v${item.version}"`, body: JSON.stringify({ name: 'Walk renamed at a store' }),
    subject: { item: { id: item.id, sku: item.sku, name: item.name } }, requested_by: 'walker', requested_at: new Date().toISOString() };
  if (!sent) return c;
  const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
  ok(await s.withKey(node.key).post('/api/v1/sync/change-requests', { change_requests: [c] }), 'change request');
  return { ...c, item_id: item.id };
};
const SETUPS = {
  'POST /api/v1/items/import': async () => ({ path: '/api/v1/items/import?format=shopify', type: 'text/csv',
    body: `Handle,Title,Variant SKU,Variant Price\r\n${unique('walk')},Walk import,${unique('WALK-IMP')},1.00\r\n` }),
  'POST /api/v1/items': async () => ({ path: '/api/v1/items', body: { sku: unique('WALK'), name: 'Walk item', price: 100, tax_category: 'standard' } }),
  'PATCH /api/v1/items/{id}': async () => { const i = await makeItem(s); return { path: `/api/v1/items/${i.id}`, body: { name: 'Walk renamed', version: i.version } }; },
  'POST /api/v1/items/{id}/barcodes': async () => { const i = await makeItem(s); return { path: `/api/v1/items/${i.id}/barcodes`, body: { internal: true } }; },
  'DELETE /api/v1/items/{id}/barcodes/{code}': async () => {
    const code = gtin13('871');
    const i = await makeItem(s, { barcodes: [code] });
    return { path: `/api/v1/items/${i.id}/barcodes/${code}` };
  },
  'PUT /api/v1/items/{id}/photo': async () => {
    const i = await makeItem(s);
    return { path: `/api/v1/items/${i.id}/photo`, type: 'image/png', body: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64') };
  },
  'DELETE /api/v1/items/{id}/photo': async () => {
    const i = await makeItem(s);
    ok(await s.put(`/api/v1/items/${i.id}/photo`, Buffer.from('RIFF\x1a\0\0\0WEBPVP8L', 'latin1'), { 'content-type': 'image/webp' }), 'photo');
    return { path: `/api/v1/items/${i.id}/photo` };
  },
  'PUT /api/v1/items/{id}/shelves/{location_id}': async () => {
    const i = await makeItem(s);
    return { path: `/api/v1/items/${i.id}/shelves/${shop.id}`, body: { shelf: 'Walk shelf 1' } };
  },
  'PUT /api/v1/settings/barcodes': async () => ({ path: '/api/v1/settings/barcodes', body: (await s.get('/api/v1/settings/barcodes')).json }),
  'PUT /api/v1/tax-categories/{code}': async () => ({ path: `/api/v1/tax-categories/w${++n}`, body: { name: 'Walk rate', rate: 500, default: false } }),
  'PUT /api/v1/mappings/{name}': async () => ({ path: `/api/v1/mappings/walk-${++n}`, body: { fields: { 'Variant SKU': 'sku' }, values: {}, reviewed_on: '2026-12-01' } }),
  'POST /api/v1/webhooks/endpoints': async () => ({ path: '/api/v1/webhooks/endpoints', body: { url: `${receiverUrl}/walk`, event_types: ['count.approved'], owner: 'walk' } }),
  'PATCH /api/v1/webhooks/endpoints/{id}': async () => { const e = await endpoint(); return { path: `/api/v1/webhooks/endpoints/${e.id}`, body: { description: 'walked', version: e.version } }; },
  'DELETE /api/v1/webhooks/endpoints/{id}': async () => ({ path: `/api/v1/webhooks/endpoints/${(await endpoint()).id}` }),
  'POST /api/v1/webhooks/endpoints/{id}/rotate': async () => ({ path: `/api/v1/webhooks/endpoints/${(await endpoint()).id}/rotate` }),
  'POST /api/v1/webhooks/dead-letters/replay': async () => ({ path: '/api/v1/webhooks/dead-letters/replay', body: { endpoint_id: (await endpoint()).id, since: '2026-01-01T00:00:00Z' } }),
  'POST /api/v1/webhooks/dead-letters/{id}/replay': async () => {
    const e = await endpoint(receiverUrl, ['item.created']);
    await makeItem(s);
    const dead = await until('a dead letter', async () => (await s.get(`/api/v1/webhooks/dead-letters?endpoint_id=${e.id}`)).json.dead_letters[0]);
    ok(await s.patch(`/api/v1/webhooks/endpoints/${e.id}`, { enabled: false, version: (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json.version }), 'disable');
    return { path: `/api/v1/webhooks/dead-letters/${dead.id}/replay` };
  },
  'POST /api/v1/alerts/{id}/acknowledge': async () => ({ path: `/api/v1/alerts/${(await alertOf()).id}/acknowledge`, body: { note: 'looking' } }),
  'POST /api/v1/alerts/{id}/resolve': async () => ({ path: `/api/v1/alerts/${(await alertOf()).id}/resolve`, body: { note: 'receiver fixed' } }),
  'PUT /api/v1/settings/rate-limits': async () => ({ path: '/api/v1/settings/rate-limits', body: { default_per_minute: 1000000 } }),
  'POST /api/v1/overrides': async () => ({ client: await s.as('cashier'), path: '/api/v1/overrides', body: { username: 'admin', password: ADMIN_PASSWORD, permission: 'sales.void', reason: 'walk' } }),
  'POST /api/v1/users': async () => ({ path: '/api/v1/users', body: { username: unique('walker'), role: 'cashier', password: 'walk password 1' } }),
  'PATCH /api/v1/users/{id}': async () => { const u = await s.createUser({ username: unique('walkp'), role: 'cashier' }); return { path: `/api/v1/users/${u.id}`, body: { display_name: 'Walked' } }; },
  'POST /api/v1/roles': async () => ({ path: '/api/v1/roles', body: { name: `walk${++n}`, description: 'walk', permissions: ['items.read'] } }),
  'PATCH /api/v1/roles/{name}': async () => {
    const name = `walkp${++n}`;
    ok(await s.post('/api/v1/roles', { name, permissions: ['items.read'] }), 'role');
    return { path: `/api/v1/roles/${name}`, body: { description: 'walked', permissions: ['items.read', 'stock.read'] } };
  },
  'POST /api/v1/api-keys': async () => ({ path: '/api/v1/api-keys', body: { name: unique('walk-key'), role: 'cashier' } }),
  'POST /api/v1/api-keys/{id}/rotate': async () => ({ path: `/api/v1/api-keys/${ok(await s.post('/api/v1/api-keys', { name: unique('walk-rot'), role: 'cashier' }), 'key').id}/rotate`, body: { grace_seconds: 5 } }),
  'DELETE /api/v1/api-keys/{id}': async () => ({ path: `/api/v1/api-keys/${ok(await s.post('/api/v1/api-keys', { name: unique('walk-del'), role: 'cashier' }), 'key').id}` }),
  'POST /api/v1/sync/documents': async () => {
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    return { client: s.withKey(node.key), path: '/api/v1/sync/documents',
      body: { documents: [{ id: uuidv7(), type: 'sale.completed', entity_id: uuidv7(), at: new Date().toISOString(), payload: { total: 100 } }] } };
  },
  'POST /api/v1/sync/nodes': async () => ({ path: '/api/v1/sync/nodes', body: { location_id: await nodeLocation() } }),
  'POST /api/v1/sync/inbound-transfers/{id}/receive': async () => {
    // Head office ships to a node's store; a store node pulls it and receives it.
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    const item = await stocked(5);
    const transfer = ok(await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: shop.id, to_location_id: await nodeLocation(),
      lines: [{ item_id: item.id, quantity: 2 }] }), 'transfer');
    const server = await startServer({ db: path.join(mkdtempSync(path.join(tmpdir(), 'backroom-walk-node-')), 'store.db'),
      env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: node.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
    nodeServers.push(server);
    await waitUntil('the transfer at the node', async () => (await server.get(`/api/v1/sync/inbound-transfers/${transfer.id}`)).status === 200, 20000, 100);
    return { client: server, path: `/api/v1/sync/inbound-transfers/${transfer.id}/receive`, body: { lines: [{ item_id: item.id, received: 1 }] } };
  },
  'POST /api/v1/sync/outbound-transfers/{id}/cancel': async () => {
    // A store node ships to head office's warehouse, then cancels that shipment.
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    const item = await makeItem(s);
    const to = await warehouse();
    const server = await startServer({ db: path.join(mkdtempSync(path.join(tmpdir(), 'backroom-walk-node-')), 'store.db'),
      env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: node.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
    nodeServers.push(server);
    await waitUntil('the warehouse at the node', async () =>
      (await server.get('/api/v1/sync/destinations?limit=500')).json.destinations.some((d) => d.id === to.id), 20000, 100);
    const here = await store(server);
    await adjust(server, item, here, 5, 'opening');
    const shipped = ok(await server.post('/api/v1/transfers', { id: uuidv7(), from_location_id: here.id, to_location_id: to.id,
      lines: [{ item_id: item.id, quantity: 2 }] }), 'shipment');
    return { client: server, path: `/api/v1/sync/outbound-transfers/${shipped.id}/cancel`, body: { reason: 'walk' },
      changedOnce: async () => assert.equal((await server.get(`/api/v1/stock?item_id=${item.id}&location_id=${here.id}`)).json.on_hand, 5) };
  },
  'POST /api/v1/sync/inbound-orders/{id}/receive': async () => {
    // Head office sends a purchase order for a node's store; a store node pulls it and receives a delivery.
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    const item = await makeItem(s, { cost: 100 });
    const supplier = ok(await s.post('/api/v1/suppliers', { name: unique('Node supplier') }), 'supplier');
    const po = ok(await s.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: await nodeLocation(),
      lines: [{ item_id: item.id, quantity: 4, unit_cost: 100 }] }), 'order');
    ok(await s.post(`/api/v1/purchase-orders/${po.id}/send`, {}), 'send');
    const server = await startServer({ db: path.join(mkdtempSync(path.join(tmpdir(), 'backroom-walk-node-')), 'store.db'),
      env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: node.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
    nodeServers.push(server);
    await waitUntil('the order at the node', async () => (await server.get(`/api/v1/sync/inbound-orders/${po.id}`)).status === 200, 20000, 100);
    return { client: server, path: `/api/v1/sync/inbound-orders/${po.id}/receive`, body: { lines: [{ item_id: item.id, received: 1 }] } };
  },
  'POST /api/v1/sync/conflicts/{id}/resolve': async () => {
    // A node pushes a document moving an item head office does not know: a rejected conflict.
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    const id = uuidv7();
    ok(await s.withKey(node.key).post('/api/v1/sync/documents', { documents: [{ id, type: 'stock.adjusted', entity_id: id,
      at: new Date().toISOString(), payload: {}, movements: [{ item_id: uuidv7(), location_kind: 'store', quantity: 1, reason: 'opening',
        document_type: 'adjustment', document_id: id }] }] }), 'push');
    const conflict = (await s.get(`/api/v1/sync/conflicts?node_id=${node.id}`)).json.conflicts[0];
    return { path: `/api/v1/sync/conflicts/${conflict.id}/resolve`, body: { note: 'walked' } };
  },
  'POST /api/v1/sync/conflicts/{id}/retry': async () => {
    // The same rejected document; then head office makes the item under the node's id, so the
    // retry posts it.
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    const id = uuidv7();
    const itemId = uuidv7();
    ok(await s.withKey(node.key).post('/api/v1/sync/documents', { documents: [{ id, type: 'stock.adjusted', entity_id: id,
      at: new Date().toISOString(), payload: {}, movements: [{ item_id: itemId, location_kind: 'store', quantity: 1, reason: 'opening',
        document_type: 'adjustment', document_id: id }] }] }), 'push');
    ok(await s.post('/api/v1/items', { id: itemId, sku: unique('WALK-RETRY'), name: 'Walked retry', price: 100, tax_category: 'standard' }), 'item');
    const conflict = (await s.get(`/api/v1/sync/conflicts?node_id=${node.id}`)).json.conflicts[0];
    return { path: `/api/v1/sync/conflicts/${conflict.id}/retry`, body: { note: 'walked' } };
  },
  'POST /api/v1/sync/change-requests': async () => {
    const node = ok(await s.post('/api/v1/sync/nodes', { location_id: await nodeLocation() }), 'node');
    return { client: s.withKey(node.key), path: '/api/v1/sync/change-requests', body: { change_requests: [await changeRequest()] } };
  },
  'POST /api/v1/sync/change-requests/{id}/apply': async () => {
    const c = await changeRequest(true);
    return { path: `/api/v1/sync/change-requests/${c.id}/apply`, body: {},
      changedOnce: async () => assert.equal((await s.get(`/api/v1/items/${c.item_id}`)).json.name, 'Walk renamed at a store') };
  },
  'POST /api/v1/sync/change-requests/{id}/reject': async () => ({ path: `/api/v1/sync/change-requests/${(await changeRequest(true)).id}/reject`, body: { note: 'walked' } }),
  'POST /api/v1/price-changes': async () => ({ path: '/api/v1/price-changes', body: { item_id: (await makeItem(s)).id, price: 549, reason: 'walk',
    promotion: true, effective_at: new Date(Date.now() + 86_400_000).toISOString(), ends_at: new Date(Date.now() + 8 * 86_400_000).toISOString() } }),
  'POST /api/v1/price-changes/{id}/approve': async () => {
    const c = ok(await s.post('/api/v1/price-changes', { item_id: (await makeItem(s)).id, price: 549, reason: 'walk' }), 'price change');
    return { client: await s.as('manager'), path: `/api/v1/price-changes/${c.id}/approve`, body: {} };
  },
  'POST /api/v1/price-changes/{id}/reject': async () => {
    const c = ok(await s.post('/api/v1/price-changes', { item_id: (await makeItem(s)).id, price: 549, reason: 'walk' }), 'price change');
    return { client: await s.as('manager'), path: `/api/v1/price-changes/${c.id}/reject`, body: { note: 'no' } };
  },
  'POST /api/v1/locations': async () => ({ path: '/api/v1/locations', body: { name: unique('Walk site'), kind: 'warehouse' } }),
  'PATCH /api/v1/locations/{id}': async () => { const l = await warehouse(); return { path: `/api/v1/locations/${l.id}`, body: { name: unique('Walk renamed') } }; },
  'PUT /api/v1/settings/stock': async () => ({ path: '/api/v1/settings/stock', body: { adjustment_confirm_quantity: null, adjustment_confirm_value: null } }),
  'POST /api/v1/stock/adjustments': async () => ({ path: '/api/v1/stock/adjustments', body: { item_id: (await makeItem(s)).id, location_id: shop.id, quantity: 3, reason: 'found' },
    changedOnce: async (body) => assert.equal((await s.get(`/api/v1/stock?item_id=${body.item_id}&location_id=${shop.id}`)).json.on_hand, 3) }),
  'POST /api/v1/stock/reservations': async () => ({ path: '/api/v1/stock/reservations', body: { item_id: (await stocked()).id, location_id: shop.id, quantity: 1, reference: 'walk' } }),
  'DELETE /api/v1/stock/reservations/{id}': async () => {
    const r = ok(await s.post('/api/v1/stock/reservations', { item_id: (await stocked()).id, location_id: shop.id, quantity: 1, reference: 'walk' }), 'reservation');
    return { path: `/api/v1/stock/reservations/${r.id}` };
  },
  'POST /api/v1/transfers': async () => ({ path: '/api/v1/transfers', body: { from_location_id: shop.id, to_location_id: (await warehouse()).id, lines: [{ item_id: (await stocked()).id, quantity: 2 }] } }),
  'POST /api/v1/transfers/{id}/receive': async () => {
    const t = ok(await s.post('/api/v1/transfers', { from_location_id: shop.id, to_location_id: (await warehouse()).id, lines: [{ item_id: (await stocked()).id, quantity: 2 }] }), 'transfer');
    return { path: `/api/v1/transfers/${t.id}/receive`, body: { lines: [{ line_id: t.lines[0].id, received: 2, damaged: 0 }] } };
  },
  'POST /api/v1/transfers/{id}/cancel': async () => {
    const item = await stocked();
    const t = ok(await s.post('/api/v1/transfers', { from_location_id: shop.id, to_location_id: (await warehouse()).id, lines: [{ item_id: item.id, quantity: 2 }] }), 'transfer');
    return { path: `/api/v1/transfers/${t.id}/cancel`, body: { reason: 'walk' },
      changedOnce: async () => assert.equal((await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`)).json.on_hand, 1000) };
  },
  'PUT /api/v1/settings/sales': async () => ({ path: '/api/v1/settings/sales', body: { negative_stock: 'allow' } }),
  'PUT /api/v1/settings/offline-returns': async () => ({ path: '/api/v1/settings/offline-returns', body: { offline_returns: 'refuse' } }),
  'POST /api/v1/sales/parked': async () => ({ path: '/api/v1/sales/parked', body: { location_id: shop.id, register_id: 'W-PARK', lines: [{ item_id: (await stocked()).id, quantity: 1 }], note: 'walk' } }),
  'POST /api/v1/sales/parked/{id}/resume': async () => {
    const p = ok(await s.post('/api/v1/sales/parked', { location_id: shop.id, register_id: 'W-PARK', lines: [{ item_id: (await stocked()).id, quantity: 1 }] }), 'park');
    return { path: `/api/v1/sales/parked/${p.id}/resume`, body: {} };
  },
  'DELETE /api/v1/sales/parked/{id}': async () => {
    const p = ok(await s.post('/api/v1/sales/parked', { location_id: shop.id, register_id: 'W-PARK', lines: [{ item_id: (await stocked()).id, quantity: 1 }] }), 'park');
    return { path: `/api/v1/sales/parked/${p.id}` };
  },
  'POST /api/v1/sales': async () => {
    const item = await stocked(100);
    return { path: '/api/v1/sales', body: { location_id: shop.id, lines: [{ item_id: item.id, quantity: 2 }], tenders: [{ type: 'cash', amount: 10000 }] },
      changedOnce: async () => assert.equal((await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`)).json.on_hand, 98) };
  },
  'POST /api/v1/sales/{id}/void': async () => ({ path: `/api/v1/sales/${(await sale(await stocked())).id}/void`, body: { reason: 'walk' } }),
  'POST /api/v1/returns': async () => {
    const x = await sale(await stocked());
    return { path: '/api/v1/returns', body: { sale_id: x.id, lines: [{ sale_line_id: x.lines[0].id, quantity: 1, reason: 'defective', condition: 'opened', disposition: 'review' }] } };
  },
  'POST /api/v1/exchanges': async () => {
    const item = await stocked();
    const x = await sale(item);
    return { path: '/api/v1/exchanges', body: {
      return: { sale_id: x.id, lines: [{ sale_line_id: x.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
      sale: { location_id: shop.id, lines: [{ item_id: item.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 5000 }] } } };
  },
  'POST /api/v1/registers/{id}/sessions': async () => ({ path: `/api/v1/registers/${unique('WS')}/sessions`, body: { location_id: shop.id, opening_float: 10000 } }),
  'POST /api/v1/registers/{id}/sessions/{session}/cash': async () => {
    const { id, session } = await openSession();
    return { path: `/api/v1/registers/${id}/sessions/${session.id}/cash`, body: { kind: 'paid_out', amount: 100, reason: 'walk' } };
  },
  'POST /api/v1/registers/{id}/sessions/{session}/close': async () => {
    const { id, session } = await openSession();
    return { path: `/api/v1/registers/${id}/sessions/${session.id}/close`, body: { counted: { cash: 10000, card: 0, store_credit: 0 } } };
  },
  'POST /api/v1/registers/{id}/receipt-blocks': async () => {
    const { id } = await openSession();
    return { path: `/api/v1/registers/${id}/receipt-blocks`, body: { size: 10 } };
  },
  'POST /api/v1/sales/{id}/offline-receipt': async () => {
    const { id } = await openSession();
    const x = ok(await s.post('/api/v1/sales', { id: uuidv7(), location_id: shop.id, register_id: id, lines: [{ item_id: (await stocked()).id, quantity: 1 }], tenders: [{ type: 'cash', amount: 100000 }] }), 'sale');
    const block = ok(await s.post(`/api/v1/registers/${id}/receipt-blocks`, { size: 2 }), 'block');
    return { path: `/api/v1/sales/${x.id}/offline-receipt`, body: { receipt_number: block.first_receipt_number } };
  },
  'POST /api/v1/registers': async () => ({ path: '/api/v1/registers', body: { name: unique('Walk till'), location_id: shop.id } }),
  'PATCH /api/v1/registers/{id}': async () => {
    const r = ok(await s.post('/api/v1/registers', { name: unique('Walk till'), location_id: shop.id }), 'register');
    return { path: `/api/v1/registers/${r.id}`, body: { name: unique('Walk till renamed') } };
  },
  'POST /api/v1/labels/queue': async () => ({ path: '/api/v1/labels/queue', body: { store: shop.id, sku: (await makeItem(s)).sku, reason: 'walk' } }),
  'POST /api/v1/labels/queue/print': async () => {
    ok(await s.post('/api/v1/labels/queue', { store: shop.id, sku: (await makeItem(s)).sku, reason: 'walk' }), 'queue');
    return { path: '/api/v1/labels/queue/print', body: { store: shop.id, format: 'zpl' } };
  },
  'PUT /api/v1/labels/calibration': async () => ({ path: '/api/v1/labels/calibration', body: { offset_x_mm: 0, offset_y_mm: 0 } }),
  'POST /api/v1/suppliers': async () => ({ path: '/api/v1/suppliers', body: { name: unique('Walk supplier') } }),
  'PATCH /api/v1/suppliers/{id}': async () => { const x = await supplier(); return { path: `/api/v1/suppliers/${x.id}`, body: { name: unique('Walk supplier renamed'), version: x.version } }; },
  'POST /api/v1/suppliers/{id}/items': async () => ({ path: `/api/v1/suppliers/${(await supplier()).id}/items`, body: { item_id: (await makeItem(s)).id, supplier_sku: 'W-1', cost: 250, case_pack: 6 } }),
  'PATCH /api/v1/cutover/{key}': async () => ({ path: '/api/v1/cutover/labels', body: { note: unique('Walk note'), done: true } }),
  'POST /api/v1/stock/opening': async () => {
    const item = await makeItem(s);
    return { path: '/api/v1/stock/opening', type: 'text/csv', body: `sku,location,quantity\n${item.sku},${shop.name},7\n` };
  },
  'POST /api/v1/training/attempts': async () => ({ client: await trainee(), path: '/api/v1/training/attempts', body: { module: 'manager-oversight', steps_done: ['counts'], answers: [1, 1, 0] } }),
  'POST /api/v1/customers': async () => ({ path: '/api/v1/customers', body: { name: unique('Walk customer'), email: `${unique('walk').replace(/\W/g, '')}@example.com` } }),
  'POST /api/v1/customers/import': async () => ({ path: '/api/v1/customers/import', type: 'text/csv', body: `name\n${unique('Walk imported customer')}\n` }),
  'PATCH /api/v1/customers/{id}': async () => {
    const c = await s.post('/api/v1/customers', { name: unique('Walk patched customer') });
    assert.equal(c.status, 201, c.text);
    return { path: `/api/v1/customers/${c.json.id}`, body: { note: 'walked', version: 1 } };
  },
  'PUT /api/v1/settings/customers': async () => ({ path: '/api/v1/settings/customers', body: { default_calling_code: '46' } }),
  'POST /api/v1/suppliers/import': async () => ({ path: '/api/v1/suppliers/import', type: 'text/csv', body: `name\n${unique('Walk imported supplier')}\n` }),
  'POST /api/v1/suppliers/{id}/price-list': async () => {
    const x = await supplier();
    const item = await makeItem(s);
    return { path: `/api/v1/suppliers/${x.id}/price-list`, type: 'text/csv', body: `sku,cost\n${item.sku},1.25\n` };
  },
  'POST /api/v1/supplier-changes/{id}/approve': async () => {
    const x = await supplier({ payment: { iban: 'NL91 ABNA 0417 1643 00' } });
    return { client: await s.as('manager'), path: `/api/v1/supplier-changes/${x.change_id}/approve`, body: {} };
  },
  'POST /api/v1/supplier-changes/{id}/reject': async () => {
    const x = await supplier({ payment: { iban: 'NL91 ABNA 0417 1643 00' } });
    return { client: await s.as('manager'), path: `/api/v1/supplier-changes/${x.change_id}/reject`, body: { note: 'no' } };
  },
  'POST /api/v1/purchase-orders': async () => {
    const sup = await supplier();
    return { path: '/api/v1/purchase-orders', body: { supplier_id: sup.id, location_id: shop.id, expected_on: '2027-03-01', lines: [{ item_id: (await makeItem(s)).id, quantity: 10, unit_cost: 100 }] } };
  },
  'PATCH /api/v1/purchase-orders/{id}': async () => { const o = await draftOrder(); return { path: `/api/v1/purchase-orders/${o.id}`, body: { note: 'walked' } }; },
  'POST /api/v1/purchase-orders/{id}/send': async () => ({ path: `/api/v1/purchase-orders/${(await draftOrder()).id}/send`, body: {} }),
  'POST /api/v1/purchase-orders/{id}/close': async () => ({ path: `/api/v1/purchase-orders/${(await sentOrder()).id}/close`, body: { reason: 'walk' } }),
  'POST /api/v1/purchase-orders/{id}/cancel': async () => ({ path: `/api/v1/purchase-orders/${(await draftOrder()).id}/cancel`, body: { reason: 'walk' } }),
  'POST /api/v1/purchase-orders/{id}/receipts': async () => { const o = await sentOrder(); return { path: `/api/v1/purchase-orders/${o.id}/receipts`, body: { lines: [{ po_line_id: o.lines[0].id, received: 4, damaged: 0 }] } }; },
  'PUT /api/v1/settings/purchasing': async () => ({ path: '/api/v1/settings/purchasing', body: { over_receive_tolerance_bp: 1000 } }),
  'POST /api/v1/replenishment/orders': async () => ({ path: '/api/v1/replenishment/orders', body: { location_id: shop.id, supplier_id: (await supplier()).id, lines: [{ item_id: (await makeItem(s, { cost: 100 })).id, quantity: 6 }] } }),
  'POST /api/v1/planning/prepare': async () => ({ path: '/api/v1/planning/prepare', body: { as_of: new Date().toISOString().slice(0, 10) } }),
  'PUT /api/v1/planning/service-levels': async () => ({ path: '/api/v1/planning/service-levels', body: { scope: 'category', key: unique('Walk'), service_level: 0.97 } }),
  'PUT /api/v1/planning/reorder-points': async () => ({ path: '/api/v1/planning/reorder-points', body: { item_id: (await makeItem(s)).id, location_id: shop.id, reorder_point: 4 } }),
  'PUT /api/v1/counts/settings': async () => ({ path: '/api/v1/counts/settings', body: (await s.get('/api/v1/counts/settings')).json }),
  'POST /api/v1/counts/classes/recompute': async () => ({ path: '/api/v1/counts/classes/recompute', body: { location_id: shop.id } }),
  'POST /api/v1/counts/classes/pins': async () => ({ path: '/api/v1/counts/classes/pins', body: { location_id: shop.id, item_id: (await makeItem(s)).id, class: 'B' } }),
  'POST /api/v1/counts': async () => ({ path: '/api/v1/counts', body: { location_id: shop.id, item_ids: [(await stocked(5)).id] } }),
  'POST /api/v1/counts/{id}/lines': async () => {
    const item = await stocked(5);
    const c = ok(await s.post('/api/v1/counts', { location_id: shop.id, item_ids: [item.id] }), 'count');
    return { path: `/api/v1/counts/${c.id}/lines`, body: { item_id: item.id, counted: 4 } };
  },
  'POST /api/v1/counts/{id}/approve': async () => {
    const { c, item } = await countWithLine();
    return { client: await s.as('manager'), path: `/api/v1/counts/${c.id}/approve`, body: { reasons: [{ item_id: item.id, reason: 'damage' }] } };
  },
  'POST /api/v1/reports/actions': async () => ({ path: '/api/v1/reports/actions', body: { note: unique('Walk action'), owner_id: owner.id, due_on: '2030-01-31' } }),
  'PATCH /api/v1/reports/actions/{id}': async () => {
    const a = ok(await s.post('/api/v1/reports/actions', { note: unique('Walk action'), owner_id: owner.id, due_on: '2030-01-31' }), 'action');
    return { path: `/api/v1/reports/actions/${a.id}`, body: { note: 'walked', version: a.version } };
  },
  'POST /api/v1/reports/actions/{id}/photos': async () => {
    const a = ok(await s.post('/api/v1/reports/actions', { note: unique('Walk action'), owner_id: owner.id, due_on: '2030-01-31' }), 'action');
    return { path: `/api/v1/reports/actions/${a.id}/photos`, type: 'image/png', body: PNG };
  },
  // Click-and-collect (issue 20).
  'PATCH /api/v1/settings/orders': async () => ({ path: '/api/v1/settings/orders', body: { hold_expiry_hours: 48 } }),
  'POST /api/v1/availability/announce': async () => ({ path: '/api/v1/availability/announce', body: {} }),
  'PUT /api/v1/integrations/{channel}': async () => ({ path: '/api/v1/integrations/woocommerce', body: { secret: 'walk-secret-'.padEnd(40, 'x'), location_id: shop.id } }),
  'POST /api/v1/online-orders': async () => ({ client: await s.as('webshop'), path: '/api/v1/online-orders', body: orderBody([[await stocked(), 1]]) }),
  'POST /api/v1/online-orders/{id}/paid': async () => {
    const o = await placeOrder([[await stocked(), 1]], { paid: false });
    return { client: await s.as('webshop'), path: `/api/v1/online-orders/${o.id}/paid` };
  },
  'POST /api/v1/online-orders/{id}/cancel': async () => ({ path: `/api/v1/online-orders/${(await placeOrder([[await stocked(), 1]])).id}/cancel`, body: { reason: 'walk' } }),
  'POST /api/v1/online-orders/{id}/pick': async () => {
    const item = await stocked();
    const o = await placeOrder([[item, 2]]);
    return { path: `/api/v1/online-orders/${o.id}/pick`, body: { item_id: item.id } };
  },
  'POST /api/v1/online-orders/{id}/short': async () => {
    const o = await placeOrder([[await stocked(), 1]]);
    return { path: `/api/v1/online-orders/${o.id}/short`, body: { line_id: o.lines[0].id } };
  },
  'POST /api/v1/online-orders/{id}/stage': async () => {
    const item = await stocked();
    const o = await placeOrder([[item, 1]]);
    ok(await s.post(`/api/v1/online-orders/${o.id}/pick`, { item_id: item.id }), 'pick');
    return { path: `/api/v1/online-orders/${o.id}/stage`, body: { spot: 'W-1' } };
  },
  'POST /api/v1/online-orders/{id}/substitutions': async () => {
    const a = await stocked();
    const b = await stocked();
    const o = await placeOrder([[a, 1]]);
    ok(await s.post(`/api/v1/online-orders/${o.id}/short`, { line_id: o.lines[0].id }), 'short');
    return { path: `/api/v1/online-orders/${o.id}/substitutions`, body: { line_id: o.lines[0].id, item_id: b.id } };
  },
  'POST /api/v1/substitution-offers/{token}/accept': async () => ({ client: s.anonymous(), path: `/api/v1/substitution-offers/${'0'.repeat(48)}/accept` }),
  'POST /api/v1/substitution-offers/{token}/decline': async () => ({ client: s.anonymous(), path: `/api/v1/substitution-offers/${'0'.repeat(48)}/decline` }),
  'POST /api/v1/online-orders/pickup': async () => ({ path: '/api/v1/online-orders/pickup', body: { pickup_code: (await stagedOrder()).pickup_code } }),
  'POST /api/v1/online-orders/{id}/refund': async () => {
    const a = await stocked();
    const b = await stocked();
    const o = await placeOrder([[a, 1], [b, 1]]);
    ok(await s.post(`/api/v1/online-orders/${o.id}/pick`, { item_id: a.id }), 'pick');
    ok(await s.post(`/api/v1/online-orders/${o.id}/short`, { line_id: o.lines[1].id }), 'short');
    ok(await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'W-2' }), 'stage');
    ok(await s.post('/api/v1/online-orders/pickup', { pickup_code: o.pickup_code }), 'pickup');
    return { path: `/api/v1/online-orders/${o.id}/refund` };
  },
  'POST /api/v1/integrations/{channel}/orders': async () => ({ client: s.anonymous(), path: '/api/v1/integrations/shopify/orders', body: {} }),
  // Change nothing: the key is accepted and the request simply runs again.
  'POST /api/v1/sales/quote': async () => ({ path: '/api/v1/sales/quote', body: { location_id: shop.id, lines: [{ item_id: (await makeItem(s)).id, quantity: 1 }] } }),
  'POST /api/v1/labels/print': async () => ({ path: '/api/v1/labels/print', body: { items: [{ sku: (await makeItem(s)).sku }], format: 'zpl' } }),
  // Refuse a key.
  'POST /api/v1/session': async () => ({ client: s.anonymous(), path: '/api/v1/session', body: { username: 'admin', password: ADMIN_PASSWORD } }),
  'DELETE /api/v1/session': async () => ({ path: '/api/v1/session' }),
};

function routes() {
  const r = cli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).routes.filter((x) => x.method !== 'GET');
}

test('every mutating route states what it does with an Idempotency-Key, and the walk has a setup for each', () => {
  const list = routes();
  assert.ok(list.length > 50);
  const missing = list.map((r) => `${r.method} ${r.pattern}`).filter((k) => !SETUPS[k]);
  assert.deepEqual(missing, [], 'mutating routes without a setup in this walk: add one');
  for (const r of list) {
    assert.ok(['stored', 'stored_sealed', 'natural', 'none'].includes(r.idempotency), `${r.method} ${r.pattern}: ${r.idempotency}`);
    if (r.idempotency === 'natural' || r.idempotency === 'none') assert.ok(r.idempotency_note.length > 10, `${r.method} ${r.pattern} says why`);
  }
});

const send = (client, method, path, body, type, key) => {
  const headers = { 'idempotency-key': key };
  if (type) headers['content-type'] = type;
  return client.request(method, path, body === undefined ? undefined : (Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body)), headers);
};
// The same request with one more byte: another request to the server.
const other = (body) => (body === undefined ? '{}' : Buffer.isBuffer(body) ? Buffer.concat([body, Buffer.from(' ')]) : (typeof body === 'string' ? body : JSON.stringify(body)) + ' ');

test('the walk: every mutating route replays its first answer for the same key and body, and refuses the key reused', async () => {
  const failures = [];
  for (const route of routes()) {
    const name = `${route.method} ${route.pattern}`;
    try {
      const { client = s, path, body, type, changedOnce } = await SETUPS[name]();
      const key = `walk-${++n}-${route.method}`;
      const first = await send(client, route.method, path, body, type, key);
      if (route.idempotency === 'none') {
        assert.equal(first.status, 400, `${name}: ${first.text}`);
        assert.equal(first.json.code, 'idempotency_key_not_supported');
        continue;
      }
      assert.ok(first.status >= 200 && first.status < 300, `${name} first: ${first.status} ${first.text.slice(0, 300)}`);
      const again = await send(client, route.method, path, body, type, key);
      if (route.idempotency === 'natural') {
        assert.ok(again.status >= 200 && again.status < 300, `${name} again: ${again.status}`);
        assert.equal(again.headers.get('idempotent-replayed'), null, name);
        continue;
      }
      assert.equal(again.status, first.status, `${name} replay status: ${again.text.slice(0, 300)}`);
      assert.equal(again.text, first.text, `${name} replay body`);
      assert.equal(again.headers.get('idempotent-replayed'), 'true', name);
      if (first.headers.get('location')) assert.equal(again.headers.get('location'), first.headers.get('location'), name);
      if (changedOnce) await changedOnce(body);
      const reused = await send(client, route.method, path, other(body), type, key);
      assert.equal(reused.status, 422, `${name} reused: ${reused.status} ${reused.text.slice(0, 300)}`);
      assert.equal(reused.json.code, 'idempotency_key_reused', name);
    } catch (e) {
      failures.push(`${name}: ${e.message.split('\n')[0]}`);
    }
  }
  assert.deepEqual(failures, [], 'routes that did not keep the Idempotency-Key contract');
});

test('a key belongs to its caller: another key replays nothing of it', async () => {
  const cashier = await s.as('cashier');
  const manager = await s.as('manager');
  const item = await stocked(100);
  const body = { location_id: shop.id, lines: [{ item_id: item.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 10000 }] };
  const a = await send(cashier, 'POST', '/api/v1/sales', body, undefined, 'shared-key');
  const b = await send(manager, 'POST', '/api/v1/sales', body, undefined, 'shared-key');
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id, 'two callers, two sales');
  assert.equal(b.headers.get('idempotent-replayed'), null);
});

test('the same key twice at once: one change, the other answer is 409 idempotency_in_progress or the replay', async () => {
  const item = await stocked(1000);
  const body = { item_id: item.id, location_id: shop.id, quantity: 7, reason: 'found' };
  const answers = await Promise.all(Array.from({ length: 8 }, () => send(s, 'POST', '/api/v1/stock/adjustments', body, undefined, 'race-key')));
  const created = answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
  assert.equal(created.length, 1, answers.map((r) => `${r.status} ${r.json?.code ?? ''}`).join(', '));
  for (const r of answers) {
    if (r === created[0]) continue;
    assert.ok((r.status === 409 && r.json.code === 'idempotency_in_progress') || r.headers.get('idempotent-replayed') === 'true', `${r.status} ${r.text}`);
  }
  assert.equal((await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`)).json.on_hand, 1007);
});

test('a refused request is not stored: fixed and sent again under the same key, it runs', async () => {
  const bad = await send(s, 'POST', '/api/v1/items', { sku: 'FIXME', name: '', price: 100, tax_category: 'standard' }, undefined, 'fix-key');
  assert.equal(bad.status, 422, bad.text);
  const fixed = await send(s, 'POST', '/api/v1/items', { sku: unique('FIXED'), name: 'Fixed', price: 100, tax_category: 'standard' }, undefined, 'fix-key');
  assert.equal(fixed.status, 201, fixed.text);
  for (const key of ['', 'k'.repeat(201)]) {
    const r = await send(s, 'POST', '/api/v1/items', { sku: unique('K'), name: 'K', price: 1, tax_category: 'standard' }, undefined, key);
    assert.equal(r.status, 400, `key of ${key.length}: ${r.text}`);
    assert.equal(r.json.code, 'bad_idempotency_key');
  }
});
