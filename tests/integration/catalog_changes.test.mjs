// The catalog change feed over real HTTP (issue 21, src/catalog/changes.hpp): every write of
// an item (barcodes and prices travel with it), a scheduled price change or the tax table
// renumbers that entity, so a register that reads after its cursor gets each changed entity
// once, in order, as it is now; pages resume from next_cursor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { makeItem, store } from './lib/shop.mjs';

let s;
let cashier;
before(async () => {
  s = await startServer();
  cashier = await s.as('cashier');
});
after(async () => { await s?.stop(); });

// Reads the whole feed after `cursor` in pages of `limit`; returns the changes and the end cursor.
async function drain(client, cursor, limit = 500) {
  const changes = [];
  for (;;) {
    const r = await client.get(`/api/v1/catalog/changes?cursor=${cursor}&limit=${limit}`);
    assert.equal(r.status, 200, r.text);
    changes.push(...r.json.changes);
    assert.ok(BigInt(r.json.next_cursor) >= BigInt(cursor));
    cursor = r.json.next_cursor;
    if (!r.json.more) return { changes, cursor };
  }
}

test('a new shop starts its feed with every item and the tax table', async () => {
  const { changes } = await drain(cashier, 0);
  const items = await s.get('/api/v1/items?limit=500');
  const feedItems = new Set(changes.filter((c) => c.entity === 'item').map((c) => c.key));
  for (const it of items.json.items) assert.ok(feedItems.has(it.id), `item ${it.sku} is in the feed`);
  assert.equal(changes.filter((c) => c.entity === 'tax').length, 1);
  const seqs = changes.map((c) => BigInt(c.seq));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'in order');
});

test('changes after a cursor: each changed entity once, as it is now; paging resumes', async () => {
  const start = (await drain(cashier, 0)).cursor;
  const a = await makeItem(s, { barcodes: ['4006381333931'] });
  const b = await makeItem(s);
  let r = await s.patch(`/api/v1/items/${a.id}`, { price: 1250 }, { 'if-match': `"v${a.version}"` });
  assert.equal(r.status, 200, r.text);
  r = await s.put('/api/v1/tax-categories/reduced', { name: 'Reduced', rate: 700 });
  assert.equal(r.status, 200, r.text);

  const { changes, cursor } = await drain(cashier, start, 1);
  assert.deepEqual(changes.map((c) => [c.entity, c.key]), [['item', b.id], ['item', a.id], ['tax', 'tax']]);
  const itemA = changes[1].data;
  assert.equal(itemA.price, 1250);
  assert.ok(itemA.barcodes.some((bc) => JSON.stringify(bc).includes('4006381333931')), JSON.stringify(itemA.barcodes));
  assert.ok(changes[2].data.tax_categories.some((t) => t.code === 'reduced' && t.rate === 700));

  // Nothing new: an empty page that keeps the cursor.
  r = await cashier.get(`/api/v1/catalog/changes?cursor=${cursor}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.changes, r.json.next_cursor, r.json.more], [[], cursor, false]);
});

test('a scheduled price change travels with its effective date', async () => {
  const start = (await drain(cashier, 0)).cursor;
  const it = await makeItem(s);
  const r = await s.post('/api/v1/price-changes',
    { item_id: it.id, price: 549, reason: 'Supplier increase', effective_at: '2030-01-01T00:00:00Z' });
  assert.equal(r.status, 201, r.text);
  const { changes } = await drain(cashier, start);
  const pc = changes.find((c) => c.entity === 'price_change');
  assert.ok(pc, JSON.stringify(changes));
  assert.equal(pc.key, r.json.id);
  assert.equal(pc.data.price, 549);
  assert.equal(pc.data.effective_at, r.json.effective_at);
});

test('bad cursors and limits are 422; a location outside the key is refused', async () => {
  for (const q of ['cursor=-1', 'cursor=abc', 'limit=0', 'limit=501', 'location=nope']) {
    const r = await cashier.get(`/api/v1/catalog/changes?${q}`);
    assert.equal(r.status, 422, `${q}: ${r.text}`);
  }
  const shop = await store(s);
  let r = await cashier.get(`/api/v1/catalog/changes?location=${shop.id}`);
  assert.equal(r.status, 200, r.text);
  // A key scoped to one store (a store node's) may not ask as another store's register.
  const other = await s.post('/api/v1/locations', { name: `Feed other ${process.pid}`, kind: 'store' });
  assert.equal(other.status, 201, other.text);
  const node = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  assert.equal(node.status, 201, node.text);
  const scoped = s.withKey(node.json.key);
  assert.equal((await scoped.get(`/api/v1/catalog/changes?location=${shop.id}`)).status, 200);
  r = await scoped.get(`/api/v1/catalog/changes?location=${other.json.id}`);
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.code, 'forbidden');
});
