// The item master over real HTTP: create, read, patch with If-Match, barcodes in every
// GTIN form, scale labels, element strings, variants, kits, search, bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck } from './lib/server.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

let skuCounter = 0;
const sku = (p = 'T') => `${p}-${++skuCounter}`;
const item = (extra = {}) => ({ sku: sku(), name: `Test item ${skuCounter}`, price: 199, ...extra });

async function eventCount() {
  const r = await s.get('/api/v1/events?limit=500');
  let n = r.json.events.length;
  let cursor = r.json.next_cursor;
  for (;;) {
    const more = await s.get(`/api/v1/events?limit=500&after=${cursor}`);
    if (more.json.events.length === 0) return n;
    n += more.json.events.length;
    cursor = more.json.next_cursor;
  }
}

test('healthz answers with the schema version', async () => {
  const r = await s.get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.ok(r.json.schema_version >= 1);
  assert.ok(r.headers.get('x-request-id'));
});

test('create, read and list an item; ETag carries the version', async () => {
  const r = await s.post('/api/v1/items', item({ sku: ' ab-12 ', barcodes: [{ code: '4006381333931', pack_quantity: 1 }] }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sku, 'AB-12', 'sku is trimmed and uppercased');
  assert.equal(r.json.version, 1);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.deepEqual(r.json.barcodes, [{ code: '4006381333931', pack_quantity: 1, kind: 'gtin' }]);
  const g = await s.get(`/api/v1/items/${r.json.id}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.name, r.json.name);
  const nm = await s.get(`/api/v1/items/${r.json.id}`, { 'if-none-match': '"v1"' });
  assert.equal(nm.status, 304);
});

test('a retry with the same id returns the first result and writes nothing', async () => {
  const id = '01936f5e-8a00-7abc-8def-0123456789ab';
  const body = item({ id });
  const first = await s.post('/api/v1/items', body);
  assert.equal(first.status, 201);
  const events = await eventCount();
  const again = await s.post('/api/v1/items', body);
  assert.equal(again.status, 200);
  assert.equal(again.json.id, id);
  assert.equal(await eventCount(), events);
});

test('duplicate sku is refused naming the owner', async () => {
  const a = await s.post('/api/v1/items', item({ sku: 'DUP-SKU' }));
  assert.equal(a.status, 201);
  const b = await s.post('/api/v1/items', item({ sku: 'dup-sku' }));
  assert.equal(b.status, 409);
  assert.equal(b.json.code, 'duplicate_sku');
  assert.equal(b.json.item_id, a.json.id);
  assert.match(b.json.detail, /DUP-SKU/);
});

test('one barcode, one item across UPC-A, EAN-13 and GTIN-14 forms', async () => {
  const a = await s.post('/api/v1/items', item({ barcodes: ['036000291452'] }));
  assert.equal(a.status, 201, a.text);
  for (const form of ['0036000291452', '00036000291452']) {
    const b = await s.post('/api/v1/items', item({ barcodes: [form] }));
    assert.equal(b.status, 409, form);
    assert.equal(b.json.code, 'duplicate_barcode');
    assert.equal(b.json.item_id, a.json.id);
    assert.equal(b.json.field, 'barcodes[0].code');
  }
  for (const form of ['036000291452', '0036000291452', '00036000291452', ']E00036000291452', ' 036000291452 ']) {
    const r = await s.get(`/api/v1/scan/${encodeURIComponent(form)}`);
    assert.equal(r.status, 200, `${form}: ${r.text}`);
    assert.equal(r.json.item.id, a.json.id);
    assert.equal(r.json.pack_quantity, 1);
  }
});

test('UPC-E as 8 digits and its expanded EAN-13 resolve to the same item', async () => {
  const a = await s.post('/api/v1/items', item({ barcodes: ['042100005264'] }));
  assert.equal(a.status, 201, a.text);
  for (const form of ['04252614', '0042100005264', '042100005264']) {
    const r = await s.get(`/api/v1/scan/${form}`);
    assert.equal(r.status, 200, form);
    assert.equal(r.json.item.id, a.json.id);
  }
  const other = await s.post('/api/v1/items', item({ barcodes: ['04252614'] }));
  assert.equal(other.status, 409, 'the 8-digit form is the same product');
});

test('ISBN-10 scans as its 978 EAN-13', async () => {
  const a = await s.post('/api/v1/items', item({ barcodes: ['9780306406157'] }));
  assert.equal(a.status, 201);
  const r = await s.get('/api/v1/scan/0306406152');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.item.id, a.json.id);
});

test('case barcode carries its pack quantity', async () => {
  const unit = withCheck('871230099001');
  const kase = withCheck('1' + unit.slice(0, 12));
  const a = await s.post('/api/v1/items', item({ case_pack: 12, barcodes: [unit, { code: kase, pack_quantity: 12 }] }));
  assert.equal(a.status, 201, a.text);
  const r = await s.get(`/api/v1/scan/${kase}`);
  assert.equal(r.json.pack_quantity, 12);
  assert.equal(r.json.item.id, a.json.id);
});

test('wrong check digit is 422 barcode_check_digit, unknown code is 404', async () => {
  let r = await s.get('/api/v1/scan/4006381333932');
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'barcode_check_digit');
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  r = await s.get(`/api/v1/scan/${withCheck('590123412345')}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'unknown_barcode');
  r = await s.post('/api/v1/items', item({ barcodes: ['4006381333932'] }));
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'barcode_check_digit');
  assert.equal(r.json.field, 'barcodes[0].code');
});

test('barcode layouts: overlap refused; price- and weight-embedded scale labels resolve', async () => {
  let r = await s.put('/api/v1/settings/barcodes', {
    internal_prefixes: ['2'],
    embedded_layouts: [{ prefix: '21', item_digits: 5, value: 'price', value_digits: 5, decimals: 2 }],
  });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'prefix_overlap');
  r = await s.put('/api/v1/settings/barcodes', {
    internal_prefixes: ['20'],
    embedded_layouts: [
      { prefix: '21', item_digits: 5, value: 'price', value_digits: 5, decimals: 2 },
      { prefix: '22', item_digits: 5, value: 'weight', value_digits: 5, decimals: 3 },
    ],
  });
  assert.equal(r.status, 200, r.text);
  const cheese = await s.post('/api/v1/items', item({ unit: 'kg', sold_by_weight: true, price: 1990, barcodes: [withCheck('210123400000')] }));
  assert.equal(cheese.status, 201, cheese.text);
  const apples = await s.post('/api/v1/items', item({ unit: 'kg', sold_by_weight: true, price: 349, barcodes: [withCheck('220077700000')] }));
  assert.equal(apples.status, 201, apples.text);
  r = await s.get(`/api/v1/scan/${withCheck('210123401995')}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.item.id, cheese.json.id);
  assert.equal(r.json.embedded_price, 1995);
  r = await s.get(`/api/v1/scan/${withCheck('220077701250')}`);
  assert.equal(r.json.item.id, apples.json.id);
  assert.equal(r.json.embedded_weight, 1.25);
});

test('GS1 element strings (bracketed and raw with GS) resolve the GTIN and carry weight, batch, expiry', async () => {
  const gtin = withCheck('950110153000');
  const a = await s.post('/api/v1/items', item({ barcodes: [gtin] }));
  assert.equal(a.status, 201);
  let r = await s.get(`/api/v1/scan/${encodeURIComponent(`(01)0${gtin}(17)260131(10)LOT7(3103)001250`)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.item.id, a.json.id);
  assert.equal(r.json.batch, 'LOT7');
  assert.equal(r.json.expiry, '2026-01-31');
  assert.equal(r.json.embedded_weight, 1.25);
  r = await s.get(`/api/v1/scan/${encodeURIComponent(`]C1010${gtin}10LOT7\x1d3922499`)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.embedded_price, 499);
});

test('internal barcodes are restricted-circulation numbers, never reused', async () => {
  const a = await s.post('/api/v1/items', item());
  const r1 = await s.post(`/api/v1/items/${a.json.id}/barcodes`, { internal: true });
  assert.equal(r1.status, 201, r1.text);
  const r2 = await s.post(`/api/v1/items/${a.json.id}/barcodes`, { internal: true, pack_quantity: 6 });
  const codes = r2.json.barcodes.map((b) => b.code);
  assert.equal(codes.length, 2);
  assert.notEqual(codes[0], codes[1]);
  for (const c of codes) {
    assert.match(c, /^20\d{11}$/);
    assert.equal(withCheck(c.slice(0, 12)), c);
  }
  const del = await s.del(`/api/v1/items/${a.json.id}/barcodes/${codes[1]}`);
  assert.equal(del.status, 200);
  const r3 = await s.post(`/api/v1/items/${a.json.id}/barcodes`, { internal: true });
  const third = r3.json.barcodes.map((b) => b.code).find((c) => c !== codes[0]);
  assert.notEqual(third, codes[1], 'a removed internal number is not handed out again');
});

test('PATCH needs If-Match; a stale version is 412 and writes nothing', async () => {
  const a = await s.post('/api/v1/items', item());
  let r = await s.patch(`/api/v1/items/${a.json.id}`, { name: 'Renamed' });
  assert.equal(r.status, 428);
  r = await s.patch(`/api/v1/items/${a.json.id}`, { name: 'Renamed' }, { 'if-match': '"v1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"v2"');
  r = await s.patch(`/api/v1/items/${a.json.id}`, { name: 'Lost update' }, { 'if-match': '"v1"' });
  assert.equal(r.status, 412);
  assert.equal(r.json.code, 'version_mismatch');
  assert.equal(r.json.current_version, 2);
  const g = await s.get(`/api/v1/items/${a.json.id}`);
  assert.equal(g.json.name, 'Renamed');
  r = await s.patch(`/api/v1/items/${a.json.id}`, { sku: 'NEW' }, { 'if-match': '"v2"' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'sku');
  r = await s.patch(`/api/v1/items/${a.json.id}`, { status: 'discontinued' }, { 'if-match': '"v2"' });
  assert.equal(r.json.status, 'discontinued');
  assert.equal(r.json.sellable, false);
});

test('bad input: each a 4xx problem naming the field, nothing written', async () => {
  const before = await eventCount();
  const cases = [
    ['{"sku": "X", ', 400, 'malformed_json'],
    ['[1,2]', 400, 'malformed_json'],
    [{ name: 'No sku', price: 1 }, 422, 'missing_field', 'sku'],
    [{ sku: 'P1', name: 'Bad price', price: 19.99 }, 422, 'invalid_field', 'price'],
    [{ sku: 'P2', name: 'Neg price', price: -1 }, 422, 'invalid_field', 'price'],
    [{ sku: 'P3', name: 'Str price', price: '199' }, 422, 'invalid_field', 'price'],
    [{ sku: 'P4', name: 'No price' }, 422, 'missing_field', 'price'],
    [{ sku: 'P5', name: 'Typo', price: 1, prise: 2 }, 422, 'unknown_field', 'prise'],
    [{ sku: 'bad sku!', name: 'x', price: 1 }, 422, 'invalid_field', 'sku'],
    [{ sku: 'P6', name: 'x', price: 1, unit: 'bushel' }, 422, 'invalid_field', 'unit'],
    [{ sku: 'P7', name: 'x', price: 1, case_pack: 1.2345 }, 422, 'invalid_field', 'case_pack'],
    [{ sku: 'P8', name: 'Card 4111 1111 1111 1111', price: 1 }, 422, 'card_number_not_allowed', 'name'],
    [{ sku: 'P9', name: 'x\u0007', price: 1 }, 422, 'invalid_field', 'name'],
    [{ sku: 'P10', name: 'x', price: 1, sold_by_weight: true }, 422, 'invalid_field', 'sold_by_weight'],
    [{ sku: 'P11', name: 'x', price: 1, kind: 'variant', parent_id: '01936f5e-8a00-7abc-8def-000000000000', options: { size: 'M' } }, 422, 'invalid_field', 'parent_id'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await s.post('/api/v1/items', body);
    assert.equal(r.status, status, `${JSON.stringify(body)} -> ${r.text}`);
    assert.equal(r.json.code, code, JSON.stringify(body));
    if (field) assert.equal(r.json.field, field, JSON.stringify(body));
    assert.ok(r.json.detail.length > 5);
  }
  const big = await s.post('/api/v1/items', { sku: 'BIG', name: 'x'.repeat(2 * 1024 * 1024), price: 1 });
  assert.equal(big.status, 413);
  assert.equal(big.json.code, 'payload_too_large');
  const nf = await s.get('/api/v1/items/01936f5e-8a00-7abc-8def-000000000000');
  assert.equal(nf.status, 404);
  const method = await s.request('DELETE', '/api/v1/items');
  assert.equal(method.status, 405);
  assert.equal(await eventCount(), before, 'no event means no write');
  const h = await s.get('/healthz');
  assert.equal(h.status, 200, 'still alive');
});

test('variants: the parent is not sellable; option values must be the parent\'s', async () => {
  const parent = await s.post('/api/v1/items', { sku: sku('TEE'), name: 'Tee', kind: 'parent', options: { size: ['S', 'M'], color: ['Red'] } });
  assert.equal(parent.status, 201, parent.text);
  assert.equal(parent.json.sellable, false);
  const v = await s.post('/api/v1/items', { sku: sku('TEE'), name: 'Tee Red M', kind: 'variant', parent_id: parent.json.id, price: 1500, options: { size: 'M', color: 'Red' }, barcodes: [withCheck('07777700001')] });
  assert.equal(v.status, 201, v.text);
  assert.equal(v.json.sellable, true);
  const bad = await s.post('/api/v1/items', { sku: sku('TEE'), name: 'Tee Red XL', kind: 'variant', parent_id: parent.json.id, price: 1500, options: { size: 'XL', color: 'Red' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'options.size');
  const kids = await s.get(`/api/v1/items?parent_id=${parent.json.id}`);
  assert.equal(kids.json.items.length, 1);
  const withBarcode = await s.post('/api/v1/items', { sku: sku('TEE'), name: 'P', kind: 'parent', options: { size: [] }, barcodes: [withCheck('07777700002')] });
  assert.equal(withBarcode.status, 422);
});

test('kits list components and say what a sale consumes', async () => {
  const c1 = await s.post('/api/v1/items', item());
  const c2 = await s.post('/api/v1/items', item());
  const kit = await s.post('/api/v1/items', item({ kind: 'kit', kit: { consumes: 'components', components: [{ item_id: c1.json.id, quantity: 2 }, { item_id: c2.json.id }] } }));
  assert.equal(kit.status, 201, kit.text);
  assert.deepEqual(kit.json.kit, { consumes: 'components', components: [{ item_id: c1.json.id, quantity: 2 }, { item_id: c2.json.id, quantity: 1 }] });
  const nested = await s.post('/api/v1/items', item({ kind: 'kit', kit: { consumes: 'assembled', components: [{ item_id: kit.json.id }] } }));
  assert.equal(nested.status, 422);
  assert.equal(nested.json.field, 'kit.components[0].item_id');
});

test('search by name words, sku prefix and barcode; cursor pages are stable under inserts', async () => {
  for (let i = 0; i < 5; i++) await s.post('/api/v1/items', { sku: `PAGE-${i}`, name: `Paging Widget ${i}`, price: 100 + i, category: 'Paging' });
  const p1 = await s.get('/api/v1/items?category=Paging&limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.next_cursor);
  await s.post('/api/v1/items', { sku: 'PAGE-NEW', name: 'Paging Widget new', price: 1, category: 'Paging' });
  const seen = [...p1.json.items.map((i) => i.sku)];
  let cursor = p1.json.next_cursor;
  while (cursor) {
    const p = await s.get(`/api/v1/items?category=Paging&limit=2&cursor=${cursor}`);
    seen.push(...p.json.items.map((i) => i.sku));
    cursor = p.json.next_cursor;
  }
  assert.deepEqual(seen, ['PAGE-0', 'PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4', 'PAGE-NEW']);
  const words = await s.get('/api/v1/items?q=widget%203');
  assert.deepEqual(words.json.items.map((i) => i.sku), ['PAGE-3']);
  const prefix = await s.get('/api/v1/items?q=page-');
  assert.equal(prefix.json.items.length, 6);
  const byCode = await s.get('/api/v1/items?q=4006381333931');
  assert.equal(byCode.json.items[0].sku, 'AB-12');
  const badLimit = await s.get('/api/v1/items?limit=0');
  assert.equal(badLimit.status, 422);
  assert.equal(badLimit.json.field, 'limit');
});

test('look-alike items are flagged and listed as duplicate groups', async () => {
  await s.post('/api/v1/items', { sku: sku(), name: 'Red  Tulips - Bunch', price: 500 });
  const second = await s.post('/api/v1/items', { sku: sku(), name: 'red tulips bunch', price: 500 });
  assert.equal(second.status, 201);
  assert.equal(second.json.possible_duplicates.length, 1);
  const groups = await s.get('/api/v1/items/duplicates');
  const group = groups.json.groups.find((g) => g.key === 'red tulips bunch');
  assert.ok(group);
  assert.equal(group.items.length, 2);
});

test('every change is in the event feed', async () => {
  const a = await s.post('/api/v1/items', item());
  const feed = await s.get('/api/v1/events?type=item.&limit=500');
  assert.equal(feed.status, 200);
  let events = feed.json.events;
  let cursor = feed.json.next_cursor;
  for (;;) {
    const more = await s.get(`/api/v1/events?type=item.&limit=500&after=${cursor}`);
    if (!more.json.events.length) break;
    events = events.concat(more.json.events);
    cursor = more.json.next_cursor;
  }
  const mine = events.filter((e) => e.entity_id === a.json.id);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].type, 'item.created');
  assert.equal(mine[0].data.sku, a.json.sku);
});
