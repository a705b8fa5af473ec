// Files shop owners already have (issue 19): versioned mapping tables, and Shopify's product
// CSV and Square's item library moved in and out (docs/formats.md). Dated behaviour (the
// review reminder) runs on the test clock (BACKROOM_TEST_CLOCK_FILE), never on wall time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from './lib/server.mjs';

const clockDir = tempDir('backroom-clock-');
const clockFile = path.join(clockDir, 'now');
// Written whole, then renamed into place: the server never reads a half-written clock.
const at = (time) => { writeFileSync(clockFile + ".new", `${time}\n`); renameSync(clockFile + ".new", clockFile); };

let s;
before(async () => {
  at('2026-03-01T09:00:00Z');
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile } });
});
after(async () => { await s.stop(); });

test('mappings: every PUT is a new version with who and when; old versions stay readable', async () => {
  assert.equal((await s.get('/api/v1/mappings/acme')).status, 404);
  const first = await s.put('/api/v1/mappings/acme', {
    fields: { 'Item No': 'sku' }, values: { tax_category: { 'VAT 20': 'standard' } }, reviewed_on: '2026-03-01',
  });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.version, 1);
  assert.deepEqual(first.json.fields, { 'Item No': 'sku' });
  assert.deepEqual(first.json.values, { tax_category: { 'VAT 20': 'standard' } });
  assert.match(first.json.changed_by, /^apikey:/);
  assert.equal(first.json.changed_at, '2026-03-01T09:00:00.000000Z');

  at('2026-03-02T10:00:00Z');
  const second = await s.put('/api/v1/mappings/acme', {
    fields: { 'Item No': 'sku', Label: 'name' }, values: {}, reviewed_on: '2026-03-02',
  });
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.version, 2);

  const latest = await s.get('/api/v1/mappings/acme');
  assert.equal(latest.json.version, 2);
  assert.deepEqual(latest.json.fields, { 'Item No': 'sku', Label: 'name' });
  const old = await s.get('/api/v1/mappings/acme?version=1');
  assert.equal(old.status, 200);
  assert.deepEqual(old.json.values, { tax_category: { 'VAT 20': 'standard' } });
  assert.equal((await s.get('/api/v1/mappings/acme?version=9')).status, 404);

  const versions = await s.get('/api/v1/mappings/acme/versions');
  assert.equal(versions.status, 200);
  assert.deepEqual(versions.json.versions.map((v) => [v.version, v.changed_at]),
    [[2, '2026-03-02T10:00:00.000000Z'], [1, '2026-03-01T09:00:00.000000Z']]);
  const paged = await s.get('/api/v1/mappings/acme/versions?limit=1');
  assert.deepEqual(paged.json.versions.map((v) => v.version), [2]);
  const next = await s.get(`/api/v1/mappings/acme/versions?limit=1&before=${paged.json.next_cursor}`);
  assert.deepEqual(next.json.versions.map((v) => v.version), [1]);
  assert.equal(next.json.next_cursor, null);

  const audit = await s.get('/api/v1/audit?entity=mapping');
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.json.entries.filter((e) => e.action === 'mapping.update' && e.entity_id === 'acme');
  assert.equal(entries.length, 2, audit.text);
});

test('mappings: a review is due 90 days after reviewed_on, in the answer and in the list', async () => {
  at('2026-04-01T08:00:00Z');
  const put = await s.put('/api/v1/mappings/ledger', { fields: {}, values: {}, reviewed_on: '2026-04-01' });
  assert.equal(put.status, 201, put.text);
  assert.equal(put.json.review_due_on, '2026-06-30');
  assert.equal(put.json.review_due, false);
  const never = await s.put('/api/v1/mappings/unreviewed', { fields: {}, values: {} });
  assert.equal(never.json.reviewed_on, null);
  assert.equal(never.json.review_due, true, 'a mapping nobody has reviewed asks for review');

  at('2026-06-29T23:59:59Z');
  assert.equal((await s.get('/api/v1/mappings/ledger')).json.review_due, false);
  at('2026-06-30T00:00:00Z');
  assert.equal((await s.get('/api/v1/mappings/ledger')).json.review_due, true);
  const list = await s.get('/api/v1/mappings');
  assert.equal(list.status, 200);
  const byName = Object.fromEntries(list.json.mappings.map((m) => [m.name, m]));
  assert.equal(byName.ledger.review_due, true);
  assert.equal(byName.ledger.version, 1);
  assert.equal(byName.acme.version, 2, 'the list shows the newest version of each');
  assert.equal(list.json.review_due, list.json.mappings.filter((m) => m.review_due).length);

  const reviewed = await s.put('/api/v1/mappings/ledger', { fields: {}, values: {}, reviewed_on: '2026-06-30' });
  assert.equal(reviewed.json.review_due, false);
  assert.equal(reviewed.json.version, 2);
});

test('mappings: read needs integrations.read, a change integrations.manage; bad bodies name the field', async () => {
  const cashier = await s.as('cashier');
  assert.equal((await cashier.get('/api/v1/mappings')).status, 403);
  assert.equal((await cashier.put('/api/v1/mappings/x', { fields: {}, values: {} })).status, 403);
  const bad = [
    [{ fields: { a: 1 } }, 'fields.a'],
    [{ values: { location: 'x' } }, 'values.location'],
    [{ values: { 'Bad Name': {} } }, 'values'],
    [{ reviewed_on: '2026-02-30' }, 'reviewed_on'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of bad) {
    const r = await s.put('/api/v1/mappings/acme', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  const badName = await s.put('/api/v1/mappings/Not%20OK', { fields: {} });
  assert.equal(badName.status, 422);
  assert.equal(badName.json.field, 'name');
  assert.equal((await s.get('/api/v1/mappings/acme')).json.version, 2, 'a refused PUT stores nothing');
});

// --- Shopify and Square files -------------------------------------------------------------

const fixture = (name) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const csvHeaders = { 'content-type': 'text/csv' };

// The catalog as comparable values: by SKU, what each item is and what it has in stock.
async function catalogOf(server) {
  const items = [];
  let cursor = '';
  for (;;) {
    const r = await server.get(`/api/v1/items?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  const skuOf = Object.fromEntries(items.map((i) => [i.id, i.sku]));
  const locations = Object.fromEntries((await server.get('/api/v1/locations')).json.locations.map((l) => [l.id, l.name]));
  const out = {};
  for (const i of items) {
    const stock = (await server.get(`/api/v1/stock?item_id=${i.id}`)).json;
    const onHand = {};
    for (const b of stock.locations ?? []) if (Number(b.on_hand) !== 0) onHand[locations[b.location_id]] = Number(b.on_hand);
    out[i.sku] = {
      name: i.name, kind: i.kind, price: i.price ?? null, cost: i.cost ?? null, options: i.options ?? {},
      parent: i.parent_id ? skuOf[i.parent_id] : null, category: i.category ?? '', brand: i.brand ?? '',
      barcodes: (i.barcodes ?? []).map((b) => b.code).sort(), on_hand: onHand,
    };
  }
  return out;
}

async function freshShop() {
  const server = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile } });
  const shopId = (await server.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'store').id;
  return { server, shopId };
}

test('shopify: a bad barcode rejects the whole file; the report names the row, the column and the mapping version', async () => {
  const { server, shopId } = await freshShop();
  try {
    const m = await server.put('/api/v1/mappings/shopify', { fields: {}, values: { location: { default: shopId }, tax_category: { TRUE: 'standard' } }, reviewed_on: '2026-03-01' });
    assert.equal(m.status, 201, m.text);
    const r = await server.post('/api/v1/items/import?format=shopify', fixture('shopify_bad_barcode.csv'), csvHeaders);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.code, 'import_rejected');
    assert.equal(r.json.report.applied, false);
    assert.deepEqual(r.json.report.mapping, { name: 'shopify', version: 1 });
    assert.deepEqual(r.json.report.errors.map((e) => [e.row, e.column, e.code]), [[3, 'Variant Barcode', 'bad_check_digit']]);
    assert.deepEqual(await catalogOf(server), {}, 'nothing was written');
    assert.equal((await server.get('/api/v1/stock/movements?limit=10')).json.movements?.length ?? 0, 0);
  } finally {
    await server.stop();
  }
});

test('shopify: import -> export -> import into another shop gives the same catalog; a second import changes nothing', async () => {
  const a = await freshShop();
  const b = await freshShop();
  try {
    await a.server.put('/api/v1/mappings/shopify', { values: { location: { default: a.shopId } } });
    const first = await a.server.post('/api/v1/items/import?format=shopify', fixture('shopify_products.csv'), csvHeaders);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.applied, true);
    assert.equal(first.json.products, 3);
    assert.equal(first.json.created, 1 + 3 + 1 + 1 + 2, 'tee parent + 3 variants, the mug, tote parent + 2 variants');
    assert.equal(first.json.stock_movements, 5, 'every non-zero quantity is an opening movement');
    assert.deepEqual(first.json.mapping, { name: 'shopify', version: 1 });
    const catalogA = await catalogOf(a.server);
    assert.deepEqual(catalogA['TEE-M'], {
      name: 'Classic Tee - M', kind: 'variant', price: 1999, cost: null, options: { Size: 'M' }, parent: 'CLASSIC-TEE',
      category: 'T-Shirts', brand: 'Northwind', barcodes: ['5012345678917'], on_hand: { [(await a.server.get(`/api/v1/locations/${a.shopId}`)).json.name]: 8 },
    });
    assert.equal(catalogA['CLASSIC-TEE'].kind, 'parent');
    assert.deepEqual(catalogA['CLASSIC-TEE'].options, { Size: ['S', 'M', 'L'] });
    assert.deepEqual(catalogA['TOTE-BLK'].options, { Color: 'Black', Size: 'One Size' });
    assert.equal(catalogA['MUG-350'].kind, 'standard');
    assert.equal(catalogA['MUG-350'].price, 950);
    assert.equal(catalogA['MUG-350'].cost, 320);
    assert.deepEqual(catalogA['MUG-350'].barcodes, ['036000291452']);

    const exported = await a.server.get('/api/v1/items/export?format=shopify');
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type'), /^text\/csv/);
    assert.ok(exported.text.startsWith('Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value'), exported.text.slice(0, 200));
    const continuation = exported.text.split('\r\n').find((l) => l.startsWith('classic-tee,,'));
    assert.ok(continuation, 'a product\'s later variants are continuation rows (Handle and variant columns only)');

    await b.server.put('/api/v1/mappings/shopify', { values: { location: { default: b.shopId } } });
    const again = await b.server.post('/api/v1/items/import?format=shopify', exported.text, csvHeaders);
    assert.equal(again.status, 200, again.text);
    const rename = async (server, c) => {
      const name = (await server.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'store').name;
      for (const v of Object.values(c)) v.on_hand = Object.fromEntries(Object.entries(v.on_hand).map(([k, q]) => [k === name ? 'shop' : k, q]));
      return c;
    };
    assert.deepEqual(await rename(b.server, await catalogOf(b.server)), await rename(a.server, catalogA));

    const repeat = await a.server.post('/api/v1/items/import?format=shopify', exported.text, csvHeaders);
    assert.equal(repeat.status, 200, repeat.text);
    assert.equal(repeat.json.created, 0);
    assert.equal(repeat.json.updated, 0);
    assert.equal(repeat.json.stock_movements, 0, 'quantities are targets: the same file twice moves nothing');
  } finally {
    await a.server.stop();
    await b.server.stop();
  }
});

test('square: two location columns, a mapped and a named location; round trip; dry run writes nothing', async () => {
  const a = await freshShop();
  const b = await freshShop();
  try {
    const made = {};
    for (const [server, key] of [[a.server, 'a'], [b.server, 'b']]) {
      const main = await server.post('/api/v1/locations', { name: 'High St 1', kind: 'store' });
      assert.equal(main.status, 201, main.text);
      const harbour = await server.post('/api/v1/locations', { name: 'Harbour Road', kind: 'store' });
      assert.equal(harbour.status, 201, harbour.text);
      made[key] = main.json.id;
      await server.put('/api/v1/mappings/square', { values: { location: { 'Main Street': main.json.id } }, reviewed_on: '2026-03-01' });
    }
    const dry = await a.server.post('/api/v1/items/import?format=square&dry_run=true', fixture('square_item_library.csv'), csvHeaders);
    assert.equal(dry.status, 200, dry.text);
    assert.equal(dry.json.applied, false);
    assert.equal(dry.json.created, 5);
    assert.deepEqual(await catalogOf(a.server), {}, 'a dry run writes nothing');

    const first = await a.server.post('/api/v1/items/import?format=square', fixture('square_item_library.csv'), csvHeaders);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.mapping, { name: 'square', version: 1 });
    const catalogA = await catalogOf(a.server);
    assert.deepEqual(catalogA['COFFEE-250'].on_hand, { 'High St 1': 24, 'Harbour Road': 10 });
    assert.deepEqual(catalogA['CUP-TRAVEL'].on_hand, { 'High St 1': 6, 'Harbour Road': 2 }, 'New Quantity wins over Current Quantity');
    assert.deepEqual(catalogA['CUP-TRAVEL'].barcodes, ['076300000019']);
    assert.equal(catalogA['LATTE-L'].parent, 'OAT-LATTE');
    assert.deepEqual(catalogA['OAT-LATTE'].options, { Size: ['Small', 'Large'] });
    assert.equal(catalogA['LATTE-S'].price, 320);

    const exported = await a.server.get('/api/v1/items/export?format=square');
    assert.equal(exported.status, 200);
    const header = exported.text.split('\r\n')[0];
    for (const c of ['Token', 'Item Name', 'Variation Name', 'SKU', 'GTIN', 'Price', 'Current Quantity [Main Street]', 'New Quantity [Harbour Road]'])
      assert.ok(header.split(',').includes(c), `${c} in ${header}`);
    const again = await b.server.post('/api/v1/items/import?format=square', exported.text, csvHeaders);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(await catalogOf(b.server), catalogA);
  } finally {
    await a.server.stop();
    await b.server.stop();
  }
});

test('exchange: permissions, formats and file-level problems', async () => {
  const { server } = await freshShop();
  try {
    const clerk = await server.as('cashier');
    assert.equal((await clerk.post('/api/v1/items/import?format=shopify', fixture('shopify_products.csv'), csvHeaders)).status, 403);
    assert.equal((await server.post('/api/v1/items/import?format=etsy', 'x', csvHeaders)).json.field, 'format');
    assert.equal((await server.post('/api/v1/items/import', 'x', csvHeaders)).json.field, 'format');
    assert.equal((await server.get('/api/v1/items/export?format=csv')).status, 422);
    const empty = await server.post('/api/v1/items/import?format=shopify', '', csvHeaders);
    assert.equal(empty.status, 422);
    assert.equal(empty.json.report.errors[0].code, 'empty_file');
    const noHandle = await server.post('/api/v1/items/import?format=shopify', 'Title,Variant SKU\r\nMug,M1\r\n', csvHeaders);
    assert.equal(noHandle.json.report.errors[0].code, 'missing_column');
    assert.equal(noHandle.json.report.errors[0].column, 'Handle');
    const unmapped = await server.post('/api/v1/items/import?format=square', 'Item Name,Variation Name,SKU,Price,Current Quantity [Nowhere]\r\nCup,Regular,CUP-1,1.00,3\r\n', csvHeaders);
    assert.equal(unmapped.status, 422, unmapped.text);
    assert.deepEqual(unmapped.json.report.errors.map((e) => [e.row, e.column, e.code]), [[2, 'Current Quantity [Nowhere]', 'unknown_location']]);
    const badPrice = await server.post('/api/v1/items/import?format=square', 'Item Name,Variation Name,SKU,Price\r\nCup,Regular,CUP-1,1.005\r\n', csvHeaders);
    assert.deepEqual(badPrice.json.report.errors.map((e) => [e.row, e.column, e.code]), [[2, 'Price', 'invalid_price']]);
  } finally {
    await server.stop();
  }
});

test('exchange: a manager imports new items but a file that reprices an existing one needs items.locked_fields; a buyer cannot bring quantities', async () => {
  const { server, shopId } = await freshShop();
  try {
    await server.put('/api/v1/mappings/shopify', { values: { location: { default: shopId } } });
    const manager = await server.as('manager');
    const first = await manager.post('/api/v1/items/import?format=shopify', fixture('shopify_products.csv'), csvHeaders);
    assert.equal(first.status, 200, first.text);
    const before = await catalogOf(server);
    const repriced = fixture('shopify_products.csv').replace(',MUG-350,200,shopify,12,deny,manual,9.50,', ',MUG-350,200,shopify,12,deny,manual,9.90,');
    assert.notEqual(repriced, fixture('shopify_products.csv'));
    const refused = await manager.post('/api/v1/items/import?format=shopify', repriced, csvHeaders);
    assert.equal(refused.status, 422, refused.text);
    const mugLine = fixture('shopify_products.csv').split('\r\n').findIndex((l) => l.startsWith('coffee-mug,')) + 1;
    assert.deepEqual(refused.json.report.errors.map((e) => [e.row, e.column, e.code]), [[mugLine, 'Variant Price', 'forbidden']]);
    assert.deepEqual(await catalogOf(server), before, 'nothing was written');
    const admin = await server.post('/api/v1/items/import?format=shopify', repriced, csvHeaders);
    assert.equal(admin.status, 200, admin.text);
    assert.equal(admin.json.updated, 1);
    assert.equal((await catalogOf(server))['MUG-350'].price, 990);

    const buyer = await server.as('buyer');
    const withStock = await buyer.post('/api/v1/items/import?format=shopify', fixture('shopify_products.csv'), csvHeaders);
    assert.equal(withStock.status, 403, withStock.text);
    assert.equal(withStock.json.permission, 'stock.adjust');
  } finally {
    await server.stop();
  }
});
