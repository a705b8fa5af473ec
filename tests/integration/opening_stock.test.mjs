// Opening stock from a spreadsheet (issue 22 rollout, src/stock/opening_import.hpp), on either
// backend: a dry run reports per row what would be added and what is wrong and writes nothing;
// one bad row makes the real import write nothing; a clean file brings each item up to its
// counted quantity by one `opening` adjustment (in the ledger, audited); importing it again
// changes nothing; a quantity below what is on hand is refused (count it instead); a store is
// named when the shop has more than one; `backroom check` holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck } from './lib/server.mjs';
import { assertBooksHold, makeItem, onHand, store } from './lib/shop.mjs';

let s;
let shop;
before(async () => { s = await startServer(); shop = await store(s); });
after(async () => { await s?.stop(); });

const post = (csv, dry) => s.post(`/api/v1/stock/opening${dry ? '?dry_run=true' : ''}`, csv, { 'content-type': 'text/csv' });

test('a dry run reports per row and writes nothing; one bad row stops the whole file; a clean file adds once', async () => {
  const gtin = withCheck(`20${String(process.pid % 1000000).padStart(6, '0')}4242`);
  const tea = await makeItem(s, { name: 'Opening tea' });
  const cups = await makeItem(s, { name: 'Opening cups', barcodes: [{ code: gtin }] });
  const cheese = await makeItem(s, { name: 'Opening cheese', sold_by_weight: true, unit: 'kg' });
  const file = `SKU,Quantity\n${tea.sku},12\n${cheese.sku},2.5\n`;

  const dry = await post(`${file}NO-SUCH-SKU,3\n`, true);
  assert.equal(dry.status, 422, dry.text);
  assert.equal(dry.json.code, 'opening_stock_invalid');
  assert.deepEqual(dry.json.errors.map((e) => [e.line, e.column, e.code]), [[4, 'sku', 'unknown_sku']]);
  assert.deepEqual(dry.json.lines.map((l) => [l.sku, l.on_hand, l.quantity, l.adds]), [[tea.sku, 0, 12, 12], [cheese.sku, 0, 2.5, 2.5]]);
  assert.equal(dry.json.applied, false);
  assert.equal(await onHand(s, tea, shop), 0, 'a dry run writes nothing');

  const bad = await post(`${file}NO-SUCH-SKU,3\n`);
  assert.equal(bad.status, 422, bad.text);
  assert.equal(await onHand(s, tea, shop), 0, 'one bad row: nothing written');

  const preview = await post(`barcode,quantity\n${gtin},4\n`, true);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual([preview.json.adding, preview.json.applied], [1, false]);
  const done = await post(`sku,barcode,quantity\n${tea.sku},,12\n,${gtin},4\n${cheese.sku},,2.5\n`);
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.json.rows, done.json.adding, done.json.units, done.json.applied], [3, 3, 18.5, true]);
  assert.equal(await onHand(s, tea, shop), 12);
  assert.equal(await onHand(s, cups, shop), 4);
  assert.equal(await onHand(s, cheese, shop), 2.5);
  const moves = (await s.get(`/api/v1/stock/movements?item_id=${tea.id}`)).json.movements;
  assert.deepEqual(moves.map((m) => [m.reason, m.quantity]), [['opening', 12]]);

  // Again: nothing changes; a lower quantity is refused, the file as a whole too.
  const again = await post(`sku,quantity\n${tea.sku},12\n`);
  assert.deepEqual([again.status, again.json.adding, again.json.unchanged], [200, 0, 1]);
  const lower = await post(`sku,quantity\n${cups.sku},5\n${tea.sku},3\n`);
  assert.equal(lower.status, 422, lower.text);
  assert.deepEqual(lower.json.errors.map((e) => [e.line, e.code]), [[3, 'already_stocked']]);
  assert.match(lower.json.errors[0].reason, /already has 12 on hand: opening stock only adds; count it instead/);
  assert.equal(await onHand(s, cups, shop), 4, 'the good row was not written either');
  assertBooksHold(s.db);
});

test('with two stores the file names the store; a clerk cannot import', async () => {
  const second = await s.post('/api/v1/locations', { name: `Harbour ${process.pid}`, kind: 'store' });
  assert.equal(second.status, 201, second.text);
  const item = await makeItem(s, { name: 'Opening two stores' });
  const unnamed = await post(`sku,quantity\n${item.sku},2\n`);
  assert.equal(unnamed.status, 422, unnamed.text);
  assert.equal(unnamed.json.errors[0].code, 'missing_location');
  const named = await post(`sku,location,quantity\n${item.sku},${second.json.name.toUpperCase()},2\n${item.sku},${shop.name},1\n`);
  assert.equal(named.status, 200, named.text);
  assert.equal(await onHand(s, item, second.json), 2);
  assert.equal(await onHand(s, item, shop), 1);
  const clerk = await s.as('clerk');
  const r = await clerk.post('/api/v1/stock/opening', `sku,location,quantity\n${item.sku},${shop.name},5\n`, { 'content-type': 'text/csv' });
  assert.equal(r.status, 403, r.text);
  assertBooksHold(s.db);
});
