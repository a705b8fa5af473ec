// Cursor pagination on every list (issue 19; docs/api.md "Pagination"). The walk reads every
// GET route from the server's own route table (`backroom routes --json`), so a new route must
// say what it is here or the first test fails:
//  - a list answers {<rows>: [...], next_cursor}; the walk reads it two rows a page by cursor
//    and fails when a row comes twice or when the pages together differ from one big page;
//  - NOT_A_LIST names the routes that answer one document, a setting or a fixed-size report,
//    with the reason;
//  - UNPAGED names the lists that still answer whole (known debt, docs/api.md). The walk fails
//    when a route answers an unpaged list that is not named there, and when a route named
//    there has become paged (take it off the list).
// Rows are seeded beyond one page (limit 2) for users, API keys, items, suppliers, locations,
// webhook endpoints, sales, store credit notes, customers, store-node conflicts, cash-ups and change
// requests before the walk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cli, createKey, startServer } from './lib/server.mjs';
import { adjust, makeItem, openRegister, store, uuidv7 } from './lib/shop.mjs';

const NOT_A_LIST = {
  '/healthz': 'liveness',
  '/metrics': 'Prometheus text, behind its own token',
  '/api/v1/sync/status': 'one status document (a store node)',
  '/api/v1/system/status': 'one status document',
  '/api/docs': 'HTML page',
  '/api/openapi.yaml': 'the contract file',
  '/api/v1/items/export': 'a CSV file (the whole catalog on purpose)',
  '/api/v1/settings/barcodes': 'settings',
  '/api/v1/items/{id}/photo': 'a picture',
  '/api/v1/substitution-offers/{token}/photo': 'a picture',
  '/api/v1/items/{id}/shelves': 'one item: a shelf per location (as many as the shop has locations)',
  '/api/v1/settings/rate-limits': 'settings',
  '/api/v1/settings/customers': 'settings',
  '/api/v1/settings/stock': 'settings',
  '/api/v1/settings/sales': 'settings',
  '/api/v1/settings/offline-returns': 'settings',
  '/api/v1/settings/purchasing': 'settings',
  '/api/v1/settings/orders': 'settings',
  '/api/v1/planning/settings': 'settings',
  '/api/v1/counts/settings': 'settings',
  '/api/v1/session': 'the caller',
  '/api/v1/webhooks/event-types': 'the fixed event catalog',
  '/api/v1/roles': 'the fixed role set',
  '/api/v1/tax-categories': 'a short fixed set',
  '/api/v1/labels/templates': 'the fixed template set',
  '/api/v1/labels/preview': 'one rendered label',
  '/api/v1/labels/calibration': 'one calibration sheet',
  '/api/v1/sales/summary': 'one summary',
  '/api/v1/reports/kpis': 'one report',
  '/api/v1/reports/kpis/weekly': 'one report',
  '/api/v1/reports/store-credit': 'one report (its written-off list is bounded by the period)',
  '/api/v1/counts/accuracy': 'one report',
  '/api/v1/planning/accuracy': 'one report',
  '/api/v1/planning/series': 'one series of one item',
  '/api/v1/availability/snapshot': 'a snapshot file with its own cursor for /availability/changes',
  '/api/v1/registers/{id}/sessions/current': 'one session',
  '/api/v1/purchase-orders/{id}/document': 'one document',
  '/api/v1/online-orders/{id}/staging-label': 'one label (PDF)',
  '/api/v1/export': 'one ZIP of the whole shop',
  '/api/v1/cutover': 'a fixed checklist of five tasks',
  '/api/v1/training/modules': 'the modules built into the binary (four)',
  '/api/v1/online-orders/{id}/lines/{line_id}/substitutes': 'at most 12 candidates, closest price first (a choice, not a list to walk)',
  '/api/v1/sales/{id}/receipt': 'one receipt',
  '/api/v1/returns/{id}/receipt': 'one receipt',
};

// Feeds read on from where the reader stopped: ?after= the next_cursor of the previous page,
// which is never null (the feed's tail); the walk ends at an empty page.
const FEEDS = {
  '/api/v1/events': 'after',
  '/api/v1/availability/changes': 'cursor',
  '/api/v1/catalog/changes': 'cursor',
  '/api/v1/sync/changes': 'cursor',
};

// Lists that need a query to answer at all.
const QUERY = {
  '/api/v1/stock': () => `item_id=${seeded.item.id}`,
  '/api/v1/availability': () => `item_id=${seeded.item.id}`,
  '/api/v1/replenishment/suggestions': () => `location_id=${shop.id}&supplier_id=${seeded.supplier.id}`,
  '/api/v1/counts/classes': () => `location_id=${shop.id}`,
  '/api/v1/counts/today': () => `location_id=${shop.id}`,
  '/api/v1/pick-queue': () => `location_id=${shop.id}`,
};

// Lists that still answer whole (not paged yet): debt, listed so it cannot grow unnoticed.
const UNPAGED = new Set([
  '/api/v1/items/duplicates',
  '/api/v1/mappings',
  '/api/v1/locations',
  '/api/v1/stock',
  '/api/v1/sales/parked',
  '/api/v1/registers',
  '/api/v1/items/{id}/suppliers',
  '/api/v1/replenishment/suggestions',
  '/api/v1/counts/today',
  '/api/v1/counts',
  '/api/v1/online-orders/refunds',
  '/api/v1/pick-queue',
  '/api/v1/availability',
  '/api/v1/reports/actions',
  '/api/v1/reports/owners',
  '/api/v1/sync/nodes',
  '/api/v1/registers/{id}/receipt-blocks',
  '/api/v1/training/results',
]);

let s;
let shop;
let seeded = {};
before(async () => {
  s = await startServer();
  shop = await store(s);
  const ok = (r, what) => { assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`); return r.json; };
  for (let i = 0; i < 5; i++) await s.createUser({ username: `page-user-${i}`, role: 'cashier', display_name: `Page ${i}` });
  for (let i = 0; i < 5; i++) createKey(s.db, `page-key-${i}`, 'clerk');
  const items = [];
  for (let i = 0; i < 5; i++) { const item = await makeItem(s); await adjust(s, item, shop, 100, 'opening'); items.push(item); }
  const suppliers = [];
  for (let i = 0; i < 3; i++) suppliers.push(ok(await s.post('/api/v1/suppliers', { name: `Page supplier ${i}` }), 'supplier'));
  for (const item of items.slice(0, 3))
    ok(await s.post(`/api/v1/suppliers/${suppliers[0].id}/items`, { item_id: item.id, supplier_sku: `SKU-${item.sku}`, cost: 100 }), 'supplier item');
  for (let i = 0; i < 3; i++) ok(await s.post('/api/v1/locations', { name: `Page warehouse ${i}`, kind: 'warehouse' }), 'location');
  for (let i = 0; i < 3; i++)
    ok(await s.post('/api/v1/webhooks/endpoints', { url: `http://127.0.0.1:9/${i}`, event_types: ['count.approved'], owner: 'page' }), 'endpoint');
  for (let i = 0; i < 3; i++) {
    const sale = ok(await s.post('/api/v1/sales', { id: uuidv7(), location_id: shop.id, lines: [{ item_id: items[i].id, quantity: 1 }], tenders: [{ type: 'cash', amount: 100000 }] }), 'sale');
    // Each returned to a new store credit note: three notes.
    ok(await s.post('/api/v1/returns', { sale_id: sale.id, refund_to: 'store_credit', lines: [{ sale_line_id: sale.lines[0].id,
      quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] }), 'return to store credit');
  }
  for (let i = 0; i < 3; i++) ok(await s.post('/api/v1/customers', { name: `Page customer ${i}`, phone: `+46 70 555 00 0${i}` }), 'customer');
  const endpoints = (await s.get('/api/v1/webhooks/endpoints?limit=1')).json.endpoints;
  await openRegister(s, shop, 'PAGE-1');
  for (let i = 0; i < 3; i++) ok(await s.post('/api/v1/registers/PAGE-1/receipt-blocks', { size: 5 }), 'receipt block');
  for (let i = 0; i < 3; i++)
    ok(await s.put('/api/v1/mappings/page-map', { fields: { 'Item No': 'sku', [`Col ${i}`]: 'name' }, values: {}, reviewed_on: '2026-03-01' }), 'mapping');
  // Three documents a store node pushed moving an item head office does not know: three conflicts.
  const node = ok(await s.post('/api/v1/sync/nodes', { location_id: shop.id }), 'node');
  for (let i = 0; i < 3; i++) {
    const id = uuidv7();
    ok(await s.withKey(node.key).post('/api/v1/sync/documents', { documents: [{ id, type: 'stock.adjusted', entity_id: id,
      at: new Date().toISOString(), payload: {}, movements: [{ item_id: uuidv7(), location_kind: 'store', quantity: 1,
        reason: 'opening', document_type: 'adjustment', document_id: id }] }] }), 'pushed document');
  }
  // Three cash-ups the node pushed (register sessions it closed), two at the same moment.
  for (const at of ['2026-12-01T18:00:00Z', '2026-12-02T18:00:00Z', '2026-12-02T18:00:00Z']) {
    const id = uuidv7();
    ok(await s.withKey(node.key).post('/api/v1/sync/documents', { documents: [{ id, type: 'register.closed', entity_id: uuidv7(),
      at, payload: { number: 1, register: { id: 'R1', name: 'Till 1' }, z_report: { tenders: [], net_sales: 0 } } }] }), 'cash-up');
  }
  // Three change requests the node sent (edits of an item at the store).
  for (let i = 0; i < 3; i++)
    ok(await s.withKey(node.key).post('/api/v1/sync/change-requests', { change_requests: [{ id: uuidv7(), method: 'PATCH',
      path: `/api/v1/items/${items[i].id}`, body: '{"name":"Paged"}', requested_by: 'pager', requested_at: new Date().toISOString() }] }), 'change request');
  // Three flagged promotions (pending: the promotion calendar lists them from tomorrow).
  for (let i = 0; i < 3; i++)
    ok(await s.post('/api/v1/price-changes', { item_id: items[i].id, price: 900, reason: 'paged promotion', promotion: true,
      effective_at: new Date(Date.now() + 86_400_000).toISOString(), ends_at: new Date(Date.now() + 8 * 86_400_000).toISOString() }), 'promotion');
  seeded = { item: items[0], supplier: suppliers[0], endpoint: endpoints[0] };
});
after(async () => { await s?.stop(); });

function getRoutes() {
  const r = cli(['routes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).routes.filter((x) => x.method === 'GET');
}

// A route whose last segment is a parameter reads one document; the others are lists or
// named above. Parameters in the middle are filled from the seeded rows.
const isDocument = (pattern) => /\}$/.test(pattern) && !NOT_A_LIST[pattern] && !UNPAGED.has(pattern);
function fill(pattern) {
  if (!pattern.includes('{')) return pattern;
  const byParent = {
    '/api/v1/registers/{id}/sessions': '/api/v1/registers/PAGE-1/sessions',
    '/api/v1/registers/{id}/receipt-blocks': '/api/v1/registers/PAGE-1/receipt-blocks',
    '/api/v1/suppliers/{id}/items': `/api/v1/suppliers/${seeded.supplier.id}/items`,
    '/api/v1/items/{id}/suppliers': `/api/v1/items/${seeded.item.id}/suppliers`,
    '/api/v1/items/{id}/cost-history': `/api/v1/items/${seeded.item.id}/cost-history`,
    '/api/v1/mappings/{name}/versions': '/api/v1/mappings/page-map/versions',
    '/api/v1/webhooks/endpoints/{id}/attempts': `/api/v1/webhooks/endpoints/${seeded.endpoint.id}/attempts`,
    '/api/v1/registers/{id}/sessions/current': null,
    '/api/v1/purchase-orders/{id}/document': null,
    '/api/v1/online-orders/{id}/staging-label': null,
    '/api/v1/online-orders/{id}/lines/{line_id}/substitutes': null,
  };
  return byParent[pattern];
}

// The array the list answers in, and whether it carries next_cursor.
function shape(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { rowsKey: null, paged: false, bare: Array.isArray(json) };
  const arrays = Object.keys(json).filter((k) => Array.isArray(json[k]));
  return { rowsKey: arrays.length === 1 ? arrays[0] : null, arrays, paged: 'next_cursor' in json };
}
const rowKey = (row) => JSON.stringify(row.id ?? row.seq ?? row.number ?? row.version ?? row);

test('every GET route is a list that pages, a named non-list, or named unpaged debt', () => {
  const unknown = getRoutes().map((r) => r.pattern)
    .filter((p) => !isDocument(p) && !NOT_A_LIST[p] && !UNPAGED.has(p) && fill(p) === undefined);
  assert.deepEqual(unknown, [], 'GET routes with a parameter in the middle and no fill() here: add one');
});

test('every list answers {rows, next_cursor}; a walk by cursor two rows a page misses and repeats nothing', async () => {
  const problems = [];
  let walked = 0;
  for (const route of getRoutes()) {
    const p = route.pattern;
    if (isDocument(p) || NOT_A_LIST[p]) continue;
    let path = fill(p);
    if (!path) continue;
    if (QUERY[p]) path += `?${QUERY[p]()}`;
    const first = await s.get(`${path}${path.includes('?') ? '&' : '?'}limit=2`);
    if (first.status !== 200) { problems.push(`${p}: GET ?limit=2 answered ${first.status} ${first.text.slice(0, 200)}`); continue; }
    const { rowsKey, paged, bare } = shape(first.json);
    if (UNPAGED.has(p)) {
      if (paged) problems.push(`${p}: pages now; take it off UNPAGED`);
      continue;
    }
    if (!paged || bare || !rowsKey) { problems.push(`${p}: answers without next_cursor (unpaged list)`); continue; }
    // The walk: two rows a page until next_cursor is null (a feed: until a page is empty).
    const feed = FEEDS[p];
    const seen = new Map();
    let page = first.json;
    let pages = 1;
    let twice = 0;
    for (;;) {
      for (const row of page[rowsKey]) {
        const k = rowKey(row);
        if (seen.has(k)) { twice++; if (twice <= 3) problems.push(`${p}: row ${k} came twice in the walk`); }
        seen.set(k, row);
      }
      if (page[rowsKey].length > 2) problems.push(`${p}: a page of ${page[rowsKey].length} rows with limit=2`);
      if (feed ? page[rowsKey].length === 0 : page.next_cursor === null) break;
      if (twice > 3) break;
      if (++pages > 500) { problems.push(`${p}: more than 500 pages of 2`); break; }
      const next = await s.get(`${path}${path.includes('?') ? '&' : '?'}limit=2&${feed ?? 'cursor'}=${encodeURIComponent(page.next_cursor)}`);
      if (next.status !== 200) { problems.push(`${p}: page ${pages} answered ${next.status} ${next.text.slice(0, 200)}`); break; }
      page = next.json;
    }
    // The same rows as one big page.
    const whole = await s.get(`${path}${path.includes('?') ? '&' : '?'}limit=500`);
    if (whole.status === 200 && (feed || whole.json.next_cursor === null)) {
      const all = whole.json[rowsKey].map(rowKey);
      const missed = all.filter((k) => !seen.has(k));
      if (missed.length) problems.push(`${p}: the walk missed ${missed.length} of ${all.length} rows`);
      if (all.length !== seen.size) problems.push(`${p}: the walk read ${seen.size} rows, one page holds ${all.length}`);
    }
    walked++;
  }
  assert.deepEqual(problems, []);
  assert.ok(walked >= 10, `walked ${walked} lists`);
});

test('users and API keys page by cursor beyond the first page', async () => {
  for (const [path, key, least] of [['/api/v1/users', 'users', 6], ['/api/v1/api-keys', 'api_keys', 6]]) {
    const ids = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await s.get(`${path}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      ids.push(...r.json[key].map((x) => x.id));
      cursor = r.json.next_cursor;
      pages++;
    } while (cursor);
    assert.ok(ids.length >= least, `${path}: ${ids.length} rows`);
    assert.ok(pages >= 3, `${path}: ${pages} pages`);
    assert.equal(new Set(ids).size, ids.length, `${path}: a row came twice`);
    const whole = await s.get(`${path}?limit=500`);
    assert.deepEqual(whole.json[key].map((x) => x.id), ids, `${path}: the walk differs from one page`);
    assert.equal((await s.get(`${path}?limit=0`)).status, 422);
    assert.equal((await s.get(`${path}?limit=501`)).status, 422);
  }
});

// A filtered list pages too: the promotion calendar by status (the three seeded are pending).
test('the promotion calendar filtered by status walks by cursor two a page', async () => {
  const seen = [];
  let page = (await s.get('/api/v1/planning/promotions?status=pending&limit=2')).json;
  for (let pages = 1; ; pages++) {
    seen.push(...page.promotions);
    if (page.next_cursor === null || pages > 10) break;
    const next = await s.get(`/api/v1/planning/promotions?status=pending&limit=2&cursor=${page.next_cursor}`);
    assert.equal(next.status, 200, next.text);
    page = next.json;
  }
  assert.equal(seen.length, 3);
  assert.equal(new Set(seen.map((p) => p.id)).size, 3, 'none twice');
  assert.ok(seen.every((p) => p.status === 'pending'));
  for (const status of ['approved', 'applied', 'ended']) {
    const r = await s.get(`/api/v1/planning/promotions?status=${status}&limit=2`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.promotions, [], status);
  }
});

