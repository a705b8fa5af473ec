// The scripted day of issue 21 (docs/sync.md "The scripted day"): head office and two store
// nodes behind a fault proxy. The link is cut for most of the day; meanwhile both stores sell,
// take returns, void, write off damage, count and receive a delivery, head office changes
// prices, and one store sells the last unit that head office held for a paid online order.
// Halfway through the link comes back slow and duplicating, and one node is killed with
// SIGKILL while it pushes. At the end every document is at head office exactly once, each
// store's balances are equal on both sides, `backroom check` and `audit verify` are clean on
// all three, and each conflict is listed with its rule.
//
// SYNC_DAY_SALES sets the number of sales (default 240 over the two stores, so the suite runs
// within a minute under the sanitizers); `SYNC_DAY_SALES=7000` with the release build makes
// the day of about 10,000 documents (docs/performance.md "The scripted day").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freshStoreDb, startServer } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, makeItem, onHand, saleBody, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
// This suite's patience: 60 s, polling every 150 ms.
const until = (what, fn, ms = 60000) => waitUntil(what, fn, ms, 150);

const SALES = Number(process.env.SYNC_DAY_SALES ?? 240);
const ITEMS = 12;
const OPENING = 100_000;

let hq;
before(async () => { hq = await startServer(); });
after(async () => { await hq?.stop(); });

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };
const queueLength = async (node) => (await node.get('/api/v1/sync/status')).json?.queue_length;

test(`a day of ${SALES} sales, returns, voids, damage, counts and a delivery at two stores through a cut and a kill -9`, async () => {
  const started = Date.now();
  // A link of its own for each store, so each can be cut, slowed or watched on its own.
  const proxies = [await startFaultProxy(hq.url), await startFaultProxy(hq.url)];
  const stores = [];
  for (const name of ['Day store North', 'Day store South']) stores.push(ok(await hq.post('/api/v1/locations', { name: `${name} ${process.pid}`, kind: 'store' })));
  const keys = [];
  for (const place of stores) keys.push(ok(await hq.post('/api/v1/sync/nodes', { location_id: place.id })));
  const items = [];
  for (let i = 0; i < ITEMS; i++) items.push(await makeItem(hq, { price: 200 + 50 * i }));
  const lastUnit = await makeItem(hq, { price: 4500 });
  const repriced = items[0];

  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-day-'));
  const env = (n) => ({ BACKROOM_UPSTREAM: proxies[n].url, BACKROOM_NODE_KEY: keys[n].key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' });
  const dbs = stores.map((_, i) => path.join(dir, `store-${i}.db`));
  const nodes = [];
  try {
    for (const n of [0, 1]) nodes.push(await startServer({ init: false, db: await freshStoreDb(dbs[n]), env: env(n) }));
    for (const node of nodes) await until('the catalog at each node', async () => (await node.get(`/api/v1/items/${lastUnit.id}`)).status === 200);
    const local = [];
    for (const node of nodes) local.push(await store(node));

    // Morning, online: opening stock at both stores; one last unit of `lastUnit` at North.
    for (const [n, node] of nodes.entries()) {
      for (const item of items) await adjust(node, item, local[n], OPENING, 'opening');
      if (n === 0) await adjust(node, lastUnit, local[n], 1, 'opening');
    }
    for (const node of nodes) await until('the opening stock pushed', async () => (await queueLength(node)) === 0);
    await until('the last unit at head office', async () => (await onHand(hq, lastUnit, stores[0])) === 1);
    // Head office sells that unit online, paid, for pickup at North: it is held.
    const webshop = await hq.as('webshop');
    const order = ok(await webshop.post('/api/v1/online-orders', {
      channel: 'web', external_id: `DAY-${uuidv7()}`, location_id: stores[0].id, promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
      customer: { name: 'Day Shopper', phone: '+31612345678', email: 'day@example.com' },
      lines: [{ item_id: lastUnit.id, quantity: 1, unit_price: 4500 }], paid: true,
    }, { 'idempotency-key': uuidv7() }));
    assert.equal(order.lines[0].held, 1);

    // The link drops for most of the day. Head office changes a price meanwhile.
    for (const proxy of proxies) proxy.cut();
    for (const node of nodes) await until('each node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    const current = await hq.get(`/api/v1/items/${repriced.id}`);
    ok(await hq.patch(`/api/v1/items/${repriced.id}`, { price: repriced.price + 100 }, { 'if-match': current.headers.get('etag') }), 200);

    // The stores' day. Every document a store makes is counted here; each must reach head
    // office once. A sale is of one to three items; every 8th is partly returned, every 15th
    // voided, every 20th followed by a damaged unit written off.
    const made = [0, 0];
    const soldAtOldPrice = [0, 0];
    const sellBatch = async (n, count, offset) => {
      const node = nodes[n];
      const manager = await node.as('manager');
      for (let start = 0; start < count; start += 10) {
        await Promise.all(Array.from({ length: Math.min(10, count - start) }, async (_, j) => {
          const k = offset + start + j;
          const lines = [];
          for (let l = 0; l <= k % 3; l++) lines.push([items[(k * 7 + l * 5) % ITEMS], 1 + ((k + l) % 2)]);
          const sale = ok(await node.post('/api/v1/sales', saleBody(local[n], lines)));
          made[n]++;
          // Until a node has pulled the new price it sells at the old one (head office reports each such sale).
          if (sale.lines.some((l) => l.item_id === repriced.id && l.unit_price === repriced.price)) soldAtOldPrice[n]++;
          if (k % 8 === 0) {
            ok(await node.post('/api/v1/returns', {
              sale_id: sale.id, lines: [{ sale_line_id: sale.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
            }));
            made[n]++;
          } else if (k % 15 === 0) {
            ok(await manager.post(`/api/v1/sales/${sale.id}/void`, { reason: 'rang up twice' }), 200);
            made[n]++;
          }
          if (k % 20 === 0) { await adjust(node, lines[0][0], local[n], -1, 'damage'); made[n]++; }
        }));
      }
    };
    const countAndReceive = async (n) => {
      const node = nodes[n];
      const counter = await node.as('manager');
      const admin = node;
      // A count of two shelves' items, counted by a manager and approved by the admin (two people).
      const counted = [items[3], items[4]];
      const count = ok(await counter.post('/api/v1/counts', { location_id: local[n].id, item_ids: counted.map((i) => i.id) }));
      for (const item of counted) {
        const expected = await onHand(node, item, local[n]);
        ok(await counter.post(`/api/v1/counts/${count.id}/lines`, { item_id: item.id, counted: expected - 1 }));
      }
      ok(await admin.post(`/api/v1/counts/${count.id}/approve`, { reasons: counted.map((i) => ({ item_id: i.id, reason: 'theft' })) }), 200);
      made[n]++;
      // A delivery from the store's own supplier, received in full.
      const supplier = ok(await admin.post('/api/v1/suppliers', { name: `Day supplier ${n} ${process.pid}`, lead_time_days: 2 }));
      const po = ok(await admin.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: local[n].id, lines: [{ item_id: items[5].id, quantity: 24, unit_cost: 90 }] }));
      ok(await admin.post(`/api/v1/purchase-orders/${po.id}/send`, {}), 200);
      ok(await admin.post(`/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ po_line_id: po.lines[0].id, received: 24 }] }, { 'idempotency-key': uuidv7() }));
      made[n]++;
    };

    const half = Math.floor(SALES / 4);  // per store, while cut: half the day's sales
    await Promise.all(nodes.map((_, n) => sellBatch(n, half, n * 1000003)));
    for (const n of [0, 1]) await countAndReceive(n);
    // North sells the unit head office held: the customer at the counter wins.
    ok(await nodes[0].post('/api/v1/sales', saleBody(local[0], [[lastUnit, 1]])));
    made[0]++;
    for (const [n, node] of nodes.entries()) assert.equal(await queueLength(node), made[n], `store ${n}: everything waits for the link`);

    // The link comes back slow and duplicating every request. South is killed with SIGKILL
    // while its first push is on the way: the link still delivers it to head office, South
    // never hears the answer, and when it is started again it pushes the same documents again.
    const received = async (n) => (await hq.get('/api/v1/sync/nodes')).json.nodes.find((x) => x.id === keys[n].id).documents_received;
    const morning = await received(1);
    const pushes = () => proxies[1].state.paths['/api/v1/sync/documents'] ?? 0;
    const pushesBefore = pushes();
    for (const proxy of proxies) Object.assign(proxy.state, { cut: false, delayMs: 1000, duplicate: true });
    await until('South pushing', async () => pushes() > pushesBefore, 30000);
    nodes[1].kill('SIGKILL');
    await until('the push South sent before it died, at head office', async () => (await received(1)) > morning);
    const atKill = (await received(1)) - morning;
    // Started again behind a cut link: it never heard head office's answer, so every document
    // is still in its queue, to be sent again.
    proxies[1].cut();
    nodes[1] = await startServer({ init: false, db: dbs[1], env: env(1) });
    assert.equal(await queueLength(nodes[1]), made[1], `South's queue after the kill (${atKill} had reached head office)`);
    for (const proxy of proxies) Object.assign(proxy.state, { cut: false, delayMs: 0 });

    // The afternoon, online: the rest of the sales.
    await Promise.all(nodes.map((_, n) => sellBatch(n, Math.floor(SALES / 2) - half, n * 1000003 + half)));
    for (const node of nodes) await until('every queue empty', async () => (await queueLength(node)) === 0, 600000);

    // Every document once at head office (the duplicating link and the kill changed nothing).
    for (const n of [0, 1]) assert.equal(await received(n), made[n] + (n === 0 ? ITEMS + 1 : ITEMS), `store ${n}: each document once (${atKill} had reached head office at the kill)`);
    // Each store's balances equal on both sides.
    for (const [n, node] of nodes.entries()) {
      for (const item of [...items, lastUnit]) {
        assert.equal(await onHand(hq, item, stores[n]), await onHand(node, item, local[n]), `store ${n}, ${item.sku}`);
      }
    }
    assert.equal(await onHand(hq, lastUnit, stores[0]), 0);
    // The conflicts, each with its rule: the sales at the old price, the held unit sold.
    const conflicts = [];
    for (let cursor = ''; ;) {
      const page = ok(await hq.get(`/api/v1/sync/conflicts?status=all&limit=500${cursor ? `&cursor=${cursor}` : ''}`), 200);
      conflicts.push(...page.conflicts);
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const mine = (n) => conflicts.filter((c) => c.node_id === keys[n].id);
    for (const n of [0, 1]) {
      const price = mine(n).filter((c) => c.kind === 'price_difference');
      assert.equal(price.length, soldAtOldPrice[n], `store ${n}: one price difference per sale at the old price`);
      assert.ok(price.every((c) => c.item.id === repriced.id && c.detail.charged === repriced.price && c.rule.includes('keeps what the store charged')), JSON.stringify(price[0]));
      assert.ok(mine(n).every((c) => c.rule), 'each conflict states its rule');
      assert.ok(!mine(n).some((c) => c.kind === 'rejected'), JSON.stringify(mine(n).filter((c) => c.kind === 'rejected')));
      // Every sale, return and void of the day is in head office's sales journal.
      assert.ok(!mine(n).some((c) => c.kind === 'not_in_journal'), JSON.stringify(mine(n).filter((c) => c.kind === 'not_in_journal')));
    }
    assert.deepEqual(mine(0).filter((c) => c.kind === 'held_unit_sold').map((c) => c.item.id), [lastUnit.id]);
    const after = ok(await webshop.get(`/api/v1/online-orders/${order.id}`), 200);
    assert.equal(after.lines[0].held, 0, 'the online order gave the unit up');
    assert.equal(after.lines[0].hold_status, 'short', JSON.stringify(after.lines[0]));

    // The books hold everywhere.
    assertBooksAndAuditHold(hq.db, ...nodes.map((node) => node.db));
    const documents = made[0] + made[1] + 2 * ITEMS + 1;
    console.log(`scripted day: ${documents} documents (${made.join(' + ')} in the day), ${Math.round((Date.now() - started) / 1000)} s, South killed after ${atKill} reached head office`);
  } finally {
    for (const node of nodes) await node.stop();
    for (const proxy of proxies) await proxy.stop();
  }
});
