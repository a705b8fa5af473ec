// Receipt-number blocks (issue 21, migration 23): a register reserves numbers in advance; a
// sale posted later with a number of its block is accepted once; the online path numbers on
// after the block; unused numbers are listed, so a gap is explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, openRegister, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let item;
before(async () => {
  s = await startServer();
  shop = await store(s);
  item = await makeItem(s);
  await adjust(s, item, shop, 100, 'opening');
});
after(async () => { await s?.stop(); });

const sell = (reg, extra = {}) => s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: reg, ...extra }));

test('a block is reserved, its numbers are used once each, the online path numbers after it', async () => {
  const reg = `RB${process.pid % 10000}`;
  await openRegister(s, shop, reg);
  const first = await sell(reg);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.receipt_number, `${reg}-000001`);

  const b = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5 });
  assert.equal(b.status, 201, b.text);
  assert.deepEqual([b.json.from, b.json.to, b.json.size], [2, 6, 5]);
  assert.equal(b.json.first_receipt_number, `${reg}-000002`);
  assert.deepEqual(b.json.used, []);
  assert.deepEqual(b.json.unused, [{ from: 2, to: 6 }]);

  // Online sales go on after the block: no number is taken twice.
  const online = await sell(reg);
  assert.equal(online.status, 201, online.text);
  assert.equal(online.json.receipt_number, `${reg}-000007`);

  // Offline sales arrive later, out of order, with numbers of the block.
  const offA = saleBody(shop, [[item, 1]], { register_id: reg, receipt_number: `${reg}-000004` });
  const a = await s.post('/api/v1/sales', offA);
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.receipt_number, `${reg}-000004`);
  // The same sale again (a retry): the same answer, nothing new.
  const again = await s.post('/api/v1/sales', offA);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, a.json.id);
  const c = await sell(reg, { receipt_number: `${reg}-000002` });
  assert.equal(c.status, 201, c.text);

  // Another sale with a number already used: refused, the field named.
  const dup = await sell(reg, { receipt_number: `${reg}-000004` });
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.json.code, 'receipt_number_used');
  // Numbers outside every block, of another register, malformed or for training: refused.
  for (const [n, extra] of [[`${reg}-000007`, {}], [`${reg}-000099`, {}], ['X-000003', {}], [`${reg}-3`, {}], [`${reg}-T000003`, {}],
    [`${reg}-000003`, { training: true }]]) {
    const r = await sell(reg, { receipt_number: n, ...extra });
    assert.equal(r.status, 422, `${n}: ${r.text}`);
    assert.equal(r.json.field, 'receipt_number', r.text);
  }
  const noReg = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { receipt_number: `${reg}-000003` }));
  assert.equal(noReg.status, 422, noReg.text);

  // The listing says which numbers were used and which were not (the gap, explained).
  const list = await s.get(`/api/v1/registers/${reg}/receipt-blocks`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.receipt_blocks.length, 1);
  const block = list.json.receipt_blocks[0];
  assert.deepEqual(block.used, [2, 4]);
  assert.deepEqual(block.unused, [{ from: 3, to: 3 }, { from: 5, to: 6 }]);

  // Every receipt number of the register is either on a sale or an unused number of a block.
  const sales = (await s.get(`/api/v1/sales?register_id=${reg}&limit=100`)).json.sales;
  const numbers = new Set(sales.map((x) => Number(x.receipt_number.slice(reg.length + 1))));
  for (let n = 1; n <= 7; n++)
    assert.ok(numbers.has(n) !== (block.unused.some((u) => n >= u.from && n <= u.to)), `number ${n} is on a sale or listed unused`);

  const next = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, {});
  assert.equal(next.status, 201, next.text);
  assert.deepEqual([next.json.from, next.json.to], [8, 57], 'the default block is 50 numbers after the last one');
  assertBooksHold(s.db);
});

// A sale caught by the cut (docs/offline-register.md): its first try reached the server and was
// numbered online, while the register completed it offline and printed a number of its block.
// That number is recorded on the sale, so every number is still on a sale or listed unused, and
// the customer's receipt finds the sale.
test('the number a register printed offline for a sale posted online is recorded on that sale', async () => {
  const reg = `RBO${process.pid % 10000}`;
  await openRegister(s, shop, reg);
  const block = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 3 });
  assert.equal(block.status, 201, block.text);
  const posted = await sell(reg);
  assert.equal(posted.status, 201, posted.text);
  assert.equal(posted.json.receipt_number, `${reg}-000004`, 'numbered online, after the block');
  assert.equal(posted.json.offline_receipt_number, undefined);
  const printed = `${reg}-000001`;
  const url = `/api/v1/sales/${posted.json.id}/offline-receipt`;

  const cashier = await s.as('cashier');
  const r = await cashier.post(url, { receipt_number: printed });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.receipt_number, `${reg}-000004`, 'the books keep the number the server gave');
  assert.equal(r.json.offline_receipt_number, printed);
  assert.equal((await s.get(`/api/v1/sales/${posted.json.id}`)).json.offline_receipt_number, printed);
  // Again (the queue's retry): the same answer, nothing new.
  const again = await cashier.post(url, { receipt_number: printed });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.offline_receipt_number, printed);

  // The customer's receipt finds the sale; the block counts the number used.
  const found = (await s.get(`/api/v1/sales?receipt_number=${printed}`)).json.sales;
  assert.deepEqual(found.map((x) => x.id), [posted.json.id]);
  const listed = (await s.get(`/api/v1/registers/${reg}/receipt-blocks`)).json.receipt_blocks[0];
  assert.deepEqual(listed.used, [1]);
  assert.deepEqual(listed.unused, [{ from: 2, to: 3 }]);
  const audit = (await s.get(`/api/v1/audit?entity_id=${posted.json.id}`)).json;
  assert.ok(audit.entries.some((e) => e.action === 'sale.offline_receipt' && e.after.offline_receipt_number === printed), 'audited');

  // Refused, nothing written: another number for the same sale; a number another sale has; one
  // in no block, malformed or of another register; a training sale; an unknown sale.
  const other = await cashier.post(url, { receipt_number: `${reg}-000002` });
  assert.deepEqual([other.status, other.json.code, other.json.field], [409, 'offline_receipt_recorded', 'receipt_number'], other.text);
  const offline = await sell(reg, { receipt_number: `${reg}-000002` });
  assert.equal(offline.status, 201, offline.text);
  const second = await sell(reg);
  assert.equal(second.status, 201, second.text);
  const taken = await cashier.post(`/api/v1/sales/${second.json.id}/offline-receipt`, { receipt_number: `${reg}-000002` });
  assert.deepEqual([taken.status, taken.json.code], [409, 'receipt_number_used'], taken.text);
  const ofOffline = await cashier.post(`/api/v1/sales/${offline.json.id}/offline-receipt`, { receipt_number: `${reg}-000003` });
  assert.deepEqual([ofOffline.status, ofOffline.json.code], [409, 'offline_receipt_recorded'], ofOffline.text);
  for (const n of [`${reg}-000009`, `${reg}-3`, 'X-000003', `${reg}-T000003`, '']) {
    const bad = await cashier.post(`/api/v1/sales/${second.json.id}/offline-receipt`, { receipt_number: n });
    assert.equal(bad.status, 422, `${n}: ${bad.text}`);
    assert.equal(bad.json.field, 'receipt_number', bad.text);
  }
  const training = await sell(reg, { training: true });
  assert.equal(training.status, 201, training.text);
  const t = await cashier.post(`/api/v1/sales/${training.json.id}/offline-receipt`, { receipt_number: `${reg}-000003` });
  assert.deepEqual([t.status, t.json.field], [422, 'receipt_number'], t.text);
  assert.equal((await cashier.post(`/api/v1/sales/${uuidv7()}/offline-receipt`, { receipt_number: `${reg}-000003` })).status, 404);
  assert.equal((await (await s.as('clerk')).post(url, { receipt_number: printed })).status, 403);
  const still = (await s.get(`/api/v1/registers/${reg}/receipt-blocks`)).json.receipt_blocks[0];
  assert.deepEqual(still.unused, [{ from: 3, to: 3 }], 'only the offline sale took a number since');
  assertBooksHold(s.db);
});

test('blocks of an unknown register, or of a bad size, are refused', async () => {
  const unknown = await s.post('/api/v1/registers/NOPE-REG/receipt-blocks', { size: 5 });
  assert.equal(unknown.status, 404, unknown.text);
  const reg = `RBX${process.pid % 10000}`;
  await openRegister(s, shop, reg);
  for (const size of [0, -1, 1001, 'ten', 2.5]) {
    const r = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size });
    assert.equal(r.status, 422, `${size}: ${r.text}`);
    assert.equal(r.json.field, 'size');
  }
  const extra = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5, from: 1 });
  assert.equal(extra.status, 422, extra.text);
  const cashier = await s.as('cashier');
  const byCashier = await cashier.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5 });
  assert.equal(byCashier.status, 201, byCashier.text);
  assert.equal((await cashier.get(`/api/v1/registers/${reg}/receipt-blocks`)).status, 200);
  const clerk = await s.as('clerk');
  assert.equal((await clerk.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5 })).status, 403);
});

// A price that changed while the register was offline (docs/offline-register.md, "Prices that
// changed while offline"): the sale keeps what the register charged when that was the item's
// own price at some moment since the block was reserved, and the difference is reported; a
// price the item never had since then is refused, naming the line, and nothing is written.
test('an offline sale keeps a price the item had while the register was cut off; another price is refused', async () => {
  const reg = `RBP${process.pid % 10000}`;
  await openRegister(s, shop, reg);
  const priced = await makeItem(s, { price: 1000 });
  await adjust(s, priced, shop, 10, 'opening');
  const b = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5 });
  assert.equal(b.status, 201, b.text);
  const soldAt = new Date().toISOString();
  // Head office raises the price after the register went offline and sold at 10.00.
  const current = (await s.get(`/api/v1/items/${priced.id}`)).json;
  const raised = await s.patch(`/api/v1/items/${priced.id}`, { price: 1200 }, { 'if-match': `"v${current.version}"` });
  assert.equal(raised.status, 200, raised.text);
  const offline = (number, charged, extra = {}) => saleBody(shop, [[priced, 2, { charged_price: charged }]],
    { register_id: reg, receipt_number: `${reg}-${String(number).padStart(6, '0')}`, sold_at: soldAt, ...extra });

  // A price the item never had: refused, the line named; the number stays unused.
  const made_up = await s.post('/api/v1/sales', offline(b.json.from, 700));
  assert.equal(made_up.status, 422, made_up.text);
  assert.deepEqual([made_up.json.code, made_up.json.field], ["price_not_in_force", "lines[0].charged_price"], made_up.text);
  assert.match(made_up.json.detail, /7\.00 was not a price of .* \(it was 10\.00, 12\.00\)/);
  // Sold before the block was reserved, or in the future: refused, naming sold_at.
  for (const at of ['2020-01-01T00:00:00Z', new Date(Date.now() + 3_600_000).toISOString()]) {
    const r = await s.post('/api/v1/sales', offline(b.json.from, 1000, { sold_at: at }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.field, 'sold_at', r.text);
  }

  // The old price: accepted as charged, the difference reported.
  const body = offline(b.json.from, 1000);
  const sold = await s.post('/api/v1/sales', body);
  assert.equal(sold.status, 201, sold.text);
  assert.equal(sold.json.receipt_number, b.json.first_receipt_number, 'the first number: the refusals used none');
  assert.equal(sold.json.lines[0].unit_price, 1000, 'the sale keeps what was charged');
  const warning = sold.json.warnings.find((w) => w.code === 'offline_price');
  assert.deepEqual([warning.charged, warning.price_now, warning.sku], [1000, 1200, priced.sku]);
  const audit = (await s.get(`/api/v1/audit?entity=sale&entity_id=${sold.json.id}&action=sale.offline_price`)).json;
  const entry = (audit.entries ?? audit.audit ?? []).find((e) => e.action === 'sale.offline_price');
  assert.ok(entry, `the difference is in the audit log: ${JSON.stringify(audit).slice(0, 300)}`);
  assert.match(JSON.stringify(entry), /"price_now":1200/);
  // Sent again (a retry after a lost answer): the same sale, nothing new.
  const again = await s.post('/api/v1/sales', body);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.id, sold.json.id);
  // The new price, charged by a register that had synced it: accepted, nothing to report.
  const now = await s.post('/api/v1/sales', offline(b.json.from + 1, 1200));
  assert.equal(now.status, 201, now.text);
  assert.equal(now.json.lines[0].unit_price, 1200);
  assert.ok(!(now.json.warnings ?? []).some((w) => w.code === 'offline_price'));

  // charged_price needs sold_at, and sold_at a receipt number from a block.
  const noTime = await s.post('/api/v1/sales', saleBody(shop, [[priced, 1, { charged_price: 1000 }]], { register_id: reg }));
  assert.deepEqual([noTime.status, noTime.json.field], [422, 'lines[0].charged_price'], noTime.text);
  const noNumber = await s.post('/api/v1/sales', saleBody(shop, [[priced, 1]], { register_id: reg, sold_at: soldAt }));
  assert.deepEqual([noNumber.status, noNumber.json.field], [422, 'sold_at'], noNumber.text);
  for (const [bad, field] of [[{ sold_at: 'yesterday' }, 'sold_at'], [{ sold_at: 5 }, 'sold_at']]) {
    const r = await s.post('/api/v1/sales', offline(b.json.from + 2, 1000, bad));
    assert.deepEqual([r.status, r.json.field], [422, field], r.text);
  }
  const negative = await s.post('/api/v1/sales', offline(b.json.from + 2, -5));
  assert.deepEqual([negative.status, negative.json.field], [422, 'lines[0].charged_price'], negative.text);
  assertBooksHold(s.db);
});

test('an exchange made offline: its sale takes a number of the block and keeps the price charged', async () => {
  const reg = `RBX${process.pid % 10000}`;
  await openRegister(s, shop, reg);
  const shirt = await makeItem(s, { price: 2000 });
  const cap = await makeItem(s, { price: 1000 });
  await adjust(s, shirt, shop, 5, 'opening');
  await adjust(s, cap, shop, 5, 'opening');
  const bought = await s.post('/api/v1/sales', saleBody(shop, [[shirt, 1]], { register_id: reg }));
  assert.equal(bought.status, 201, bought.text);
  const b = await s.post(`/api/v1/registers/${reg}/receipt-blocks`, { size: 5 });
  assert.equal(b.status, 201, b.text);
  const soldAt = new Date().toISOString();
  // Head office raises the cap's price while the register is cut off and charges 10.00.
  const current = (await s.get(`/api/v1/items/${cap.id}`)).json;
  const raised = await s.patch(`/api/v1/items/${cap.id}`, { price: 1200 }, { 'if-match': `"v${current.version}"` });
  assert.equal(raised.status, 200, raised.text);
  const number = (n) => `${reg}-${String(n).padStart(6, '0')}`;
  const exchange = (charged, sale = {}, ret = {}) => ({
    id: uuidv7(),
    return: { sale_id: bought.json.id, register_id: reg, ...ret,
      lines: [{ sale_line_id: bought.json.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, register_id: reg, receipt_number: number(b.json.from), sold_at: soldAt,
      lines: [{ item_id: cap.id, quantity: 1, charged_price: charged }], tenders: [], ...sale },
  });

  // Refused as POST /sales refuses it, the field named with its place in the exchange; nothing written.
  const refusals = [
    [exchange(700), 'price_not_in_force', 'sale.lines[0].charged_price'],
    [exchange(1000, { sold_at: '2020-01-01T00:00:00Z' }), 'invalid_field', 'sale.sold_at'],
    [exchange(1000, { sold_at: 'yesterday' }), 'invalid_field', 'sale.sold_at'],
    [exchange(1000, { receipt_number: number(b.json.to + 1) }), 'invalid_field', 'sale.receipt_number'],
    [exchange(1000, { receipt_number: `${reg}-7` }), 'invalid_field', 'sale.receipt_number'],
    [exchange(1000, { sold_at: undefined }), 'invalid_field', 'sale.lines[0].charged_price'],
    [exchange(1000, {}, { training: true }), 'invalid_field', 'sale.receipt_number'],
  ];
  for (const [body, code, field] of refusals) {
    const r = await s.post('/api/v1/exchanges', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.deepEqual([r.json.code, r.json.field], [code, field], r.text);
  }
  assert.equal((await s.get(`/api/v1/sales/${bought.json.id}`)).json.lines[0].returned_quantity, 0, 'nothing was returned');
  assert.equal(await onHand(s, cap, shop), 5);

  // The price the register charged: accepted with the block's first number, the difference reported.
  const body = exchange(1000);
  const r = await s.post('/api/v1/exchanges', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sale.receipt_number, b.json.first_receipt_number, 'the first number: the refusals used none');
  assert.equal(r.json.sale.lines[0].unit_price, 1000, 'the sale keeps what was charged');
  assert.deepEqual([r.json.credit, r.json.refund_due, r.json.balance_due], [1000, 1000, 0]);
  const warning = (r.json.warnings ?? []).find((w) => w.code === 'offline_price');
  assert.ok(warning, `the exchange's answer reports the difference: ${r.text}`);
  assert.deepEqual([warning.charged, warning.price_now, warning.sku], [1000, 1200, cap.sku]);
  const audit = (await s.get(`/api/v1/audit?entity=sale&entity_id=${r.json.sale.id}&action=sale.offline_price`)).json;
  const entry = (audit.entries ?? audit.audit ?? []).find((e) => e.action === 'sale.offline_price');
  assert.ok(entry, `the difference is in the audit log: ${JSON.stringify(audit).slice(0, 300)}`);
  assert.equal(await onHand(s, shirt, shop), 5, 'the shirt is back on the shelf');
  assert.equal(await onHand(s, cap, shop), 4);

  // Sent again (a retry after a lost answer): the same exchange, nothing new.
  const again = await s.post('/api/v1/exchanges', body);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.id, again.json.sale.id, again.json.sale.receipt_number], [r.json.id, r.json.sale.id, r.json.sale.receipt_number]);
  assert.equal(await onHand(s, cap, shop), 4);
  // Another exchange with the number already used: 409, the field named.
  const other = await s.post('/api/v1/sales', saleBody(shop, [[shirt, 1]], { register_id: reg }));
  const dup = await s.post('/api/v1/exchanges', { ...exchange(1200), return: { ...exchange(1200).return, sale_id: other.json.id,
    lines: [{ sale_line_id: other.json.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] } });
  assert.deepEqual([dup.status, dup.json.code, dup.json.field], [409, 'receipt_number_used', 'sale.receipt_number'], dup.text);
  const block = (await s.get(`/api/v1/registers/${reg}/receipt-blocks`)).json.receipt_blocks[0];
  assert.deepEqual(block.used, [b.json.from]);
  assertBooksHold(s.db);
});
