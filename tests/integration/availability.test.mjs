// The availability feed over real HTTP (issue 20, docs/orders.md): available = on hand −
// held − the safety buffer per item × store, low-stock flags, backorder dates from sent
// purchase orders, the change feed after a cursor (ten sales of one item = one change),
// ETag/If-None-Match → 304, the NDJSON snapshot, availability.changed events, and a seeded
// property test: the delta's rows equal a fresh read of the balances after random documents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, checkedFetch } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let feed;
before(async () => {
  s = await startServer();
  shop = await store(s);
  feed = await s.as('webshop');
});
after(async () => { await s?.stop(); });

const byItem = (rows, item) => rows.find((r) => r.item_id === item.id && r.location_id === shop.id);

test('available, status, low stock and the backorder date per item and store', async () => {
  const plenty = await makeItem(s);
  const few = await makeItem(s);
  const none = await makeItem(s);
  await adjust(s, plenty, shop, 10, 'opening');
  await adjust(s, few, shop, 2, 'opening');
  const set = await s.patch('/api/v1/settings/orders', { safety_buffer: 0, low_stock_threshold: 2 });
  assert.equal(set.status, 200, set.text);
  let r = await feed.get(`/api/v1/availability?item_id=${plenty.id},${few.id}&item_id=${none.id}&location_id=${shop.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.availability.length, 3);
  assert.deepEqual(byItem(r.json.availability, plenty), {
    item_id: plenty.id, location_id: shop.id, on_hand: 10, held: 0, available: 10, status: 'in_stock', low_stock: false,
    low_stock_threshold: 2, backorder_date: null,
  });
  assert.equal(byItem(r.json.availability, few).status, 'low_stock');
  assert.equal(byItem(r.json.availability, few).low_stock, true);
  assert.equal(byItem(r.json.availability, none).status, 'out_of_stock');

  // A paid online order's hold and the safety buffer both come off.
  const o = await feed.post('/api/v1/online-orders', {
    location_id: shop.id, promised_at: '2027-01-01T10:00:00Z', customer: { name: 'Feed', email: 'feed@example.com' },
    lines: [{ item_id: plenty.id, quantity: 3, unit_price: 100 }], paid: true,
  });
  assert.equal(o.status, 201, o.text);
  await s.patch('/api/v1/settings/orders', { safety_buffer: 1 });
  r = await feed.get(`/api/v1/availability?item_id=${plenty.id}&item_id=${few.id}&location_id=${shop.id}`);
  assert.deepEqual([byItem(r.json.availability, plenty).held, byItem(r.json.availability, plenty).available], [3, 6]);
  assert.equal(byItem(r.json.availability, few).available, 1);

  // Backorder: the earliest expected date of a sent order that still brings the item.
  const supplier = await s.post('/api/v1/suppliers', { name: `Feed supplier ${process.pid}` });
  assert.equal(supplier.status, 201, supplier.text);
  for (const [expected, send] of [['2027-03-10', true], ['2027-02-01', false], ['2027-02-20', true]]) {
    const po = await s.post('/api/v1/purchase-orders', {
      supplier_id: supplier.json.id, location_id: shop.id, expected_on: expected, lines: [{ item_id: none.id, quantity: 5, unit_cost: 100 }],
    });
    assert.equal(po.status, 201, po.text);
    if (send) assert.equal((await s.post(`/api/v1/purchase-orders/${po.json.id}/send`, {})).status, 200);
  }
  r = await feed.get(`/api/v1/availability?item_id=${none.id}&location_id=${shop.id}`);
  assert.deepEqual([r.json.availability[0].status, r.json.availability[0].backorder_date], ['backorder', '2027-02-20'],
    'the earliest of the sent orders; a draft does not count');
  await s.patch('/api/v1/settings/orders', { safety_buffer: 0 });

  const bad = await feed.get('/api/v1/availability?item_id=nope');
  assert.equal(bad.status, 422, bad.text);
  assert.equal((await feed.get('/api/v1/availability')).status, 422);
});

test('the change feed: after a cursor, coalesced, with ETag and 304', async () => {
  const item = await makeItem(s);
  const other = await makeItem(s);
  await adjust(s, item, shop, 50, 'opening');
  await adjust(s, other, shop, 50, 'opening');
  let r = await feed.get('/api/v1/availability/changes?limit=500');
  assert.equal(r.status, 200, r.text);
  let cursor = r.json.next_cursor;
  while (r.json.more) {
    r = await feed.get(`/api/v1/availability/changes?cursor=${cursor}&limit=500`);
    cursor = r.json.next_cursor;
  }
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const same = await feed.get(`/api/v1/availability/changes?cursor=${cursor}`, { 'if-none-match': etag });
  assert.equal(same.status, 304, 'nothing changed');

  for (let i = 0; i < 10; i++) assert.equal((await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]))).status, 201);
  r = await feed.get(`/api/v1/availability/changes?cursor=${cursor}`, { 'if-none-match': etag });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.changes.length, 1, 'ten sales of one item are one change');
  assert.deepEqual([r.json.changes[0].item_id, r.json.changes[0].available], [item.id, 40]);
  assert.notEqual(r.headers.get('etag'), etag);
  const next = r.json.next_cursor;
  assert.equal((await feed.get(`/api/v1/availability/changes?cursor=${next}`)).json.changes.length, 0);
  assert.equal((await feed.get(`/api/v1/availability/changes?cursor=${next}`, { 'if-none-match': r.headers.get('etag') })).status, 304);

  // The list answers 304 on the same tag too.
  const list = await feed.get(`/api/v1/availability?item_id=${item.id}`);
  assert.equal((await feed.get(`/api/v1/availability?item_id=${item.id}`, { 'if-none-match': list.headers.get('etag') })).status, 304);

  assert.equal((await feed.get('/api/v1/availability/changes?cursor=x')).status, 422);
});

test('the NDJSON snapshot and availability.changed events', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 7, 'opening');
  const r = await checkedFetch(`${s.url}/api/v1/availability/snapshot`, { headers: s.headers });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/x-ndjson/);
  assert.ok(Number(r.headers.get('x-cursor')) > 0);
  // Streamed as it is read (docs/orders.md): chunked, never a length known up front.
  assert.equal(r.headers.get('content-length'), null);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  const lines = (await r.text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(byItem(lines, item).available, 7);
  assert.ok(lines.every((l) => typeof l.status === 'string'));
  // A snapshot line is written by hand for speed: it must be the feed's row, member for member.
  const row = (await feed.get(`/api/v1/availability?item_id=${item.id}&location_id=${shop.id}`)).json.availability[0];
  assert.deepEqual(byItem(lines, item), row);
  const rawLine = (await (await checkedFetch(`${s.url}/api/v1/availability/snapshot`, { headers: s.headers })).text())
    .split('\n').find((l) => l.includes(item.id) && l.includes(shop.id));
  assert.equal(rawLine, JSON.stringify(row), 'the same bytes as the JSON of the row, members in the same order');

  const announced = await s.post('/api/v1/availability/announce', {});
  assert.equal(announced.status, 200, announced.text);
  assert.ok(announced.json.announced > 0);
  const events = (await s.get('/api/v1/events?limit=500&type=availability.changed')).json.events;
  assert.ok(events.some((e) => e.entity_id === item.id && e.data.available === 7));
  assert.equal((await s.post('/api/v1/availability/announce', {})).json.announced, 0, 'each change is announced once');
  await adjust(s, item, shop, -1, 'shrink');
  await adjust(s, item, shop, -1, 'shrink');
  assert.equal((await s.post('/api/v1/availability/announce', {})).json.announced, 1, 'coalesced per item and store');
});

test('the low-stock list: at or below the threshold, fewest first, paged, with sku and name', async () => {
  const gone = await makeItem(s);
  const few = await makeItem(s);
  const plenty = await makeItem(s);
  await adjust(s, gone, shop, 1, 'opening');
  await adjust(s, gone, shop, -1, 'damage');
  await adjust(s, few, shop, 2, 'opening');
  await adjust(s, plenty, shop, 10, 'opening');
  assert.equal((await s.patch('/api/v1/settings/orders', { safety_buffer: 0, low_stock_threshold: 2 })).status, 200);
  const rows = [];
  let cursor = null;
  let pages = 0;
  do {
    const r = await feed.get(`/api/v1/availability/low-stock?location_id=${shop.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    rows.push(...r.json.items);
    cursor = r.json.next_cursor;
    assert.ok(++pages < 1000, 'the pages end');
  } while (cursor);
  const mine = rows.filter((x) => [gone.id, few.id, plenty.id].includes(x.item_id));
  assert.deepEqual(mine.map((x) => [x.item_id, x.available, x.status, x.low_stock]),
    [[gone.id, 0, 'out_of_stock', false], [few.id, 2, 'low_stock', true]], 'the empty one first, the plentiful one not at all');
  assert.equal(mine[1].sku, few.sku);
  assert.equal(mine[1].name, few.name);
  for (const x of rows) assert.ok(x.available <= 2 && x.location_id === shop.id, JSON.stringify(x));
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].available <= rows[i].available, 'fewest available first');
  assert.equal(new Set(rows.map((x) => x.item_id)).size, rows.length, 'no row twice across pages');
  // Without a location: every sellable store; bad input is refused with the field named.
  const all = await feed.get('/api/v1/availability/low-stock?limit=500');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.items.some((x) => x.item_id === few.id));
  for (const [q, field] of [['location_id=nope', 'location_id'], ['cursor=-3', 'cursor'], ['limit=0', 'limit']]) {
    const bad = await feed.get(`/api/v1/availability/low-stock?${q}`);
    assert.equal(bad.status, 422, `${q}: ${bad.text}`);
    assert.equal(bad.json.field, field, q);
  }
});

// Property test: the delta answers from its change rows (migration 33), which keep the
// balance's numbers as they were noted. After seeded random receipts, shrinkage, register
// sales (some taking units held online: the last-unit rule), paid and unpaid online orders,
// payments, cancellations and reservations made and released by hand, the delta read a page
// at a time from a cursor, latest row per item × store winning, must equal a fresh read of
// the balances at every checkpoint, row for row. A failure prints its seed; SEED=<n> replays.
test('the delta after random sales, holds, releases and receipts equals a fresh read of the balances', async () => {
  const seed = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
  let a = seed >>> 0;
  const random = () => {  // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const units = (max) => 1 + Math.floor(random() * max);
  const say = `SEED=${seed}`;

  const other = await s.post('/api/v1/locations', { name: `Delta store ${process.pid}`, kind: 'store' });
  assert.equal(other.status, 201, other.text);
  const stores = [shop, other.json];
  const items = [];
  for (let i = 0; i < 4; i++) items.push(await makeItem(s));

  // Where the delta stands now: everything before this test is behind the cursor.
  let cursor = '0';
  for (let r = { json: { more: true } }; r.json.more;) {
    r = await feed.get(`/api/v1/availability/changes?cursor=${cursor}&limit=500`);
    assert.equal(r.status, 200, r.text);
    cursor = r.json.next_cursor;
  }
  const latest = new Map();  // "item location" -> the delta's newest row for the pair
  const readDelta = async () => {
    let pages = 0;
    for (;;) {
      const r = await feed.get(`/api/v1/availability/changes?cursor=${cursor}&limit=3`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.changes.length <= 3);
      const seen = new Set();
      for (const c of r.json.changes) {
        const key = `${c.item_id} ${c.location_id}`;
        assert.ok(!seen.has(key), `${say}: a pair once a page (coalesced)`);
        seen.add(key);
        latest.set(key, c);
      }
      assert.ok(Number(r.json.next_cursor) >= Number(cursor), `${say}: the cursor never goes back`);
      cursor = r.json.next_cursor;
      if (!r.json.more) break;
      assert.ok(++pages < 1000, 'the pages end');
    }
  };
  const compare = async (step) => {
    await readDelta();
    const fresh = await feed.get(`/api/v1/availability?item_id=${items.map((i) => i.id).join(',')}&location_id=${stores.map((l) => l.id).join(',')}`);
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(fresh.json.availability.length, items.length * stores.length);
    for (const row of fresh.json.availability) {
      const key = `${row.item_id} ${row.location_id}`;
      if (!latest.has(key)) {
        assert.deepEqual([row.on_hand, row.held], [0, 0], `${say}, step ${step}: a pair the delta never named has no stock`);
        continue;
      }
      assert.deepEqual(latest.get(key), row, `${say}, step ${step}: the delta's row is the balance's`);
      const stock = await s.get(`/api/v1/stock?item_id=${row.item_id}&location_id=${row.location_id}`);
      assert.equal(stock.status, 200, stock.text);
      assert.deepEqual([stock.json.on_hand, stock.json.reserved], [row.on_hand, row.held], `${say}, step ${step}: the ledger's balance`);
    }
  };

  // First the last-unit rule, on purpose (the draws below reach it only now and then): two
  // units held online, one sold at the register; the hold gives a unit up in the sale's
  // transaction and the delta must carry the reserved after the cut.
  await adjust(s, items[0], shop, 2, 'found');
  const held = await feed.post('/api/v1/online-orders', {
    location_id: shop.id, promised_at: '2027-01-01T10:00:00Z', customer: { name: 'Delta', email: 'delta@example.com' },
    lines: [{ item_id: items[0].id, quantity: 2, unit_price: 100 }], paid: true,
  }, { 'idempotency-key': uuidv7() });
  assert.equal(held.json.lines[0].held, 2, held.text);
  assert.equal((await s.post('/api/v1/sales', saleBody(shop, [[items[0], 1]]))).status, 201);
  await compare('last unit');
  assert.deepEqual([latest.get(`${items[0].id} ${shop.id}`).on_hand, latest.get(`${items[0].id} ${shop.id}`).held], [1, 1]);

  const orders = [];        // [id, paid]
  const reservations = [];  // ids
  const kinds = { receipt: 0, shrink: 0, sale: 0, order: 0, pay: 0, cancel: 0, reserve: 0, release: 0 };
  // The first steps are one of each kind (receipt, paid order, sale, reservation, cancel,
  // release), so no seed skips one; the rest are drawn.
  const first = [0.1, 0.6, 0.4, 0.9, 0.8, 0.95];
  for (let step = 1; step <= 90; step++) {
    const item = pick(items);
    const where = pick(stores);
    const roll = step <= first.length ? first[step - 1] : random();
    if (roll < 0.22) {
      await adjust(s, item, where, units(6), 'found');
      kinds.receipt++;
    } else if (roll < 0.28) {
      // Shrinkage below zero asks for a confirmation: take at most what is there.
      const there = (await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${where.id}`)).json.on_hand;
      if (there >= 1) {
        await adjust(s, item, where, -Math.min(there, units(2)), 'shrink');
        kinds.shrink++;
      }
    } else if (roll < 0.5) {
      const sold = await s.post('/api/v1/sales', saleBody(where, [[item, units(3)]]));
      assert.equal(sold.status, 201, `${say}: ${sold.text}`);
      kinds.sale++;
    } else if (roll < 0.68) {
      const paid = step <= first.length || random() < 0.7;
      const o = await feed.post('/api/v1/online-orders', {
        location_id: where.id, promised_at: '2027-01-01T10:00:00Z', customer: { name: 'Delta', email: 'delta@example.com' },
        lines: [{ item_id: item.id, quantity: units(3), unit_price: 100 }, { item_id: pick(items).id, quantity: 1, unit_price: 100 }],
        paid,
      }, { 'idempotency-key': uuidv7() });
      assert.equal(o.status, 201, `${say}: ${o.text}`);
      orders.push([o.json.id, paid]);
      kinds.order++;
    } else if (roll < 0.74 && orders.some(([, paid]) => !paid)) {
      const unpaid = orders.find(([, paid]) => !paid);
      const r = await feed.post(`/api/v1/online-orders/${unpaid[0]}/paid`);
      assert.equal(r.status, 200, `${say}: ${r.text}`);
      unpaid[1] = true;
      kinds.pay++;
    } else if (roll < 0.84 && orders.length > 0) {
      const [id] = orders.splice(Math.floor(random() * orders.length), 1)[0];
      const r = await s.post(`/api/v1/online-orders/${id}/cancel`, { reason: 'property test' });
      assert.equal(r.status, 200, `${say}: ${r.text}`);
      kinds.cancel++;
    } else if (roll < 0.92) {
      const r = await s.post('/api/v1/stock/reservations', { item_id: item.id, location_id: where.id, quantity: units(2), reference: 'property' },
        { 'idempotency-key': uuidv7() });
      assert.equal(r.status, 201, `${say}: ${r.text}`);
      reservations.push(r.json.id);
      kinds.reserve++;
    } else if (reservations.length > 0) {
      const id = reservations.splice(Math.floor(random() * reservations.length), 1)[0];
      const r = await s.del(`/api/v1/stock/reservations/${id}`, { 'idempotency-key': uuidv7() });
      assert.equal(r.status, 200, `${say}: ${r.text}`);
      kinds.release++;
    }
    if (step % 6 === 0 || random() < 0.1) await compare(step);
  }
  await compare('end');
  for (const kind of ['receipt', 'sale', 'order', 'cancel', 'reserve', 'release']) assert.ok(kinds[kind] > 0, `${say}: ${JSON.stringify(kinds)}`);
  assertBooksHold(s.db);
});
