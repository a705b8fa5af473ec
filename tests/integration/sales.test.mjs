// The sales-to-stock loop over real HTTP: locations, adjustments, sales (by item and by
// scanned code, kits, discounts, tenders), voids, returns with every disposition,
// exchanges, transfers, idempotent retries, parked sales, register sessions, the
// last unit sold from two registers at once, and `backroom check` after all of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck, dbExec } from './lib/server.mjs';
import { adjust, assertBooksHold, binOf, check, makeItem, onHand, openRegister, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s.stop(); });

test('a new shop has one store with its bins and an in-transit location', async () => {
  const r = await s.get('/api/v1/locations');
  assert.equal(r.status, 200);
  const stores = r.json.locations.filter((l) => l.kind === 'store');
  assert.equal(stores.length, 1);
  for (const kind of ['review', 'damaged', 'refurbish', 'markdown'])
    assert.ok(r.json.locations.find((l) => l.kind === kind && l.parent_id === stores[0].id), kind);
  assert.ok(r.json.locations.find((l) => l.kind === 'transit'));
  for (const l of r.json.locations) assert.deepEqual(Object.keys(l).filter((k) => ['id', 'name', 'kind'].includes(k)).sort(), ['id', 'kind', 'name']);
});

test('adjustments move stock with a reason, are checked and are posted once', async () => {
  const item = await makeItem(s);
  const id = uuidv7();
  const body = { id, item_id: item.id, location_id: shop.id, quantity: 12, reason: 'opening' };
  const first = await s.post('/api/v1/stock/adjustments', body);
  assert.equal(first.status, 201, first.text);
  const again = await s.post('/api/v1/stock/adjustments', body);
  assert.equal(again.status, 200);
  assert.deepEqual(again.json, first.json);
  assert.equal(await onHand(s, item, shop), 12);
  const changed = await s.post('/api/v1/stock/adjustments', { ...body, quantity: 13 });
  assert.equal(changed.status, 422);
  assert.equal(changed.json.code, 'idempotency_key_reused');
  const bad = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: 2, reason: 'shrink' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'quantity');
  const unknown = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: 2, reason: 'magic' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.field, 'reason');
  await adjust(s, item, shop, -2.5, 'damage');
  const st = await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`);
  assert.deepEqual({ on_hand: st.json.on_hand, reserved: st.json.reserved, available: st.json.available }, { on_hand: 9.5, reserved: 0, available: 9.5 });
  const m = await s.get(`/api/v1/stock/movements?item_id=${item.id}&limit=1`);
  assert.equal(m.json.movements.length, 1);
  assert.equal(m.json.movements[0].reason, 'opening');
  const m2 = await s.get(`/api/v1/stock/movements?item_id=${item.id}&limit=1&cursor=${m.json.next_cursor}`);
  assert.equal(m2.json.movements[0].quantity, -2.5);
  assert.equal(m2.json.movements[0].document_type, 'adjustment');
  const cashier = await s.as('cashier');
  const denied = await cashier.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: 1, reason: 'found' });
  assert.equal(denied.status, 403);
});

test('stock as of a past time sums the ledger up to then', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  await new Promise((r) => setTimeout(r, 20));
  const then = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  await adjust(s, item, shop, -3, 'shrink');
  const past = await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}&as_of=${then}`);
  assert.equal(past.status, 200, past.text);
  assert.equal(past.json.on_hand, 5);
  assert.equal(await onHand(s, item, shop), 2);
  const all = await s.get(`/api/v1/stock?item_id=${item.id}&as_of=${then}`);
  assert.equal(all.json.on_hand, 5);
});

test('a sale prices, tenders, numbers its receipt and moves stock once', async () => {
  const a = await makeItem(s, { price: 1210, tax_category: 'standard' });  // 21 % inclusive
  const b = await makeItem(s, { price: 1090, tax_category: 'reduced' });   // 9 %
  await adjust(s, a, shop, 10, 'opening');
  await adjust(s, b, shop, 10, 'opening');
  await openRegister(s, shop, 'R-SALE');
  const body = saleBody(shop, [[a, 2], [b, 1]], { register_id: 'R-SALE', tenders: [{ type: 'cash', amount: 5000 }] });
  const r = await s.post('/api/v1/sales', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.id, body.id);
  assert.equal(r.json.total, 3510);
  assert.equal(r.json.tax_total, 420 + 90);
  assert.equal(r.json.change_due, 1490);
  assert.equal(r.json.receipt_number, 'R-SALE-000001');
  assert.equal(r.json.lines.length, 2);
  for (const l of r.json.lines) assert.ok(l.id);
  assert.equal(await onHand(s, a, shop), 8);
  // A retry (same id, same body) answers the first result and moves nothing.
  const again = await s.post('/api/v1/sales', body);
  assert.equal(again.status, 200);
  assert.equal(again.json.receipt_number, r.json.receipt_number);
  assert.equal(await onHand(s, a, shop), 8);
  // The same id with another body is refused.
  const other = await s.post('/api/v1/sales', { ...body, lines: [{ item_id: a.id, quantity: 1 }] });
  assert.equal(other.status, 422);
  // Idempotency-Key without an id.
  const keyed = { ...saleBody(shop, [[a, 1]], { register_id: 'R-SALE' }) };
  delete keyed.id;
  const k1 = await s.post('/api/v1/sales', keyed, { 'idempotency-key': 'register-R-SALE-42' });
  const k2 = await s.post('/api/v1/sales', keyed, { 'idempotency-key': 'register-R-SALE-42' });
  assert.equal(k1.status, 201);
  assert.equal(k2.status, 201, 'the first answer again');
  assert.equal(k2.headers.get('idempotent-replayed'), 'true');
  assert.equal(k2.json.id, k1.json.id);
  assert.equal(k1.json.receipt_number, 'R-SALE-000002', 'receipt numbers are sequential per register');
  assert.equal(await onHand(s, a, shop), 7);
  // Read back and find by receipt number.
  const g = await s.get(`/api/v1/sales/${r.json.id}`);
  assert.deepEqual(g.json, again.json);
  const f = await s.get(`/api/v1/sales?receipt_number=R-SALE-000002`);
  assert.equal(f.json.sales.length, 1);
  assert.equal(f.json.sales[0].id, k1.json.id);
  // Not enough tendered; change only from cash.
  const short = await s.post('/api/v1/sales', saleBody(shop, [[a, 1]], { tenders: [{ type: 'cash', amount: 100 }] }));
  assert.equal(short.status, 422);
  assert.equal(short.json.code, 'insufficient_tender');
  const card = await s.post('/api/v1/sales', saleBody(shop, [[a, 1]], { tenders: [{ type: 'card', amount: 2000, reference: 'x' }] }));
  assert.equal(card.status, 422);
  assert.equal(card.json.code, 'change_exceeds_cash');
  const split = await s.post('/api/v1/sales', saleBody(shop, [[a, 1]], {
    tenders: [{ type: 'card', amount: 1000, reference: 'auth-1' }, { type: 'cash', amount: 500 }] }));
  assert.equal(split.status, 201, split.text);
  assert.equal(split.json.change_due, 290);
  const bad = await s.post('/api/v1/sales', { location_id: shop.id, lines: [{ item_id: a.id, quantity: 'two' }], tenders: [] });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'lines[0].quantity');
});

test('scanned codes: case packs, weight and price labels', async () => {
  const put = await s.put('/api/v1/settings/barcodes', {
    internal_prefixes: ['20'],
    embedded_layouts: [
      { prefix: '21', item_digits: 5, value: 'price', value_digits: 5, decimals: 2 },
      { prefix: '22', item_digits: 5, value: 'weight', value_digits: 5, decimals: 3 },
    ],
  });
  assert.equal(put.status, 200, put.text);
  const unit = withCheck('871230099001');
  const caseCode = withCheck('1' + unit.slice(0, 12));
  const can = await makeItem(s, { price: 100, tax_category: 'zero', barcodes: [{ code: unit }, { code: caseCode, pack_quantity: 6 }] });
  const apples = await makeItem(s, { price: 430, unit: 'kg', sold_by_weight: true, tax_category: 'zero', barcodes: [withCheck('220000100000')] });
  const ham = await makeItem(s, { price: 2000, unit: 'kg', sold_by_weight: true, tax_category: 'zero', barcodes: [withCheck('210000200000')] });
  const r = await s.post('/api/v1/sales', {
    location_id: shop.id,
    lines: [{ code: caseCode }, { code: withCheck('220000101234') }, { code: withCheck('210000200678') }],
    tenders: [{ type: 'cash', amount: 10000 }],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.lines.map((l) => l.quantity), [6, 1.234, 1]);
  assert.deepEqual(r.json.lines.map((l) => l.total), [600, 531, 678]);
  assert.equal(await onHand(s, can, shop), -6);
  assert.equal(await onHand(s, apples, shop), -1.234);
  assert.equal(await onHand(s, ham, shop), -1);
  const unknown = await s.post('/api/v1/sales', { location_id: shop.id, lines: [{ code: withCheck('400000000001') }], tenders: [] });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.field, 'lines[0].code');
});

test('kits consume their components or the assembled kit', async () => {
  const c1 = await makeItem(s);
  const c2 = await makeItem(s);
  const byParts = await makeItem(s, { kind: 'kit', price: 2500, kit: { consumes: 'components', components: [{ item_id: c1.id, quantity: 1 }, { item_id: c2.id, quantity: 2 }] } });
  const assembled = await makeItem(s, { kind: 'kit', price: 2500, kit: { consumes: 'assembled', components: [{ item_id: c1.id, quantity: 1 }] } });
  const r = await s.post('/api/v1/sales', saleBody(shop, [[byParts, 2], [assembled, 1]]));
  assert.equal(r.status, 201, r.text);
  assert.equal(await onHand(s, c1, shop), -2);
  assert.equal(await onHand(s, c2, shop), -4);
  assert.equal(await onHand(s, byParts, shop), 0);
  assert.equal(await onHand(s, assembled, shop), -1);
  const ret = await s.post('/api/v1/returns', { sale_id: r.json.id, lines: [{ sale_line_id: r.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] });
  assert.equal(ret.status, 201, ret.text);
  assert.equal(await onHand(s, c1, shop), -1);
  assert.equal(await onHand(s, c2, shop), -2);
});

test('discounts above the role limit need a manager override; both are recorded', async () => {
  const item = await makeItem(s, { price: 10000 });
  const cashier = await s.as('cashier');
  const ok = await cashier.post('/api/v1/sales', saleBody(shop, [[item, 1, { discount: { percent: 10, reason: 'dent' } }]]));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.total, 9000);
  const over = saleBody(shop, [[item, 1]], { discounts: { percent: 30, reason: 'loyal' } });
  const refused = await cashier.post('/api/v1/sales', over);
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.code, 'discount_over_limit');
  await s.createUser({ username: 'disc-manager', role: 'manager', password: 'disc-manager-password' });
  const o = await cashier.post('/api/v1/overrides', { username: 'disc-manager', password: 'disc-manager-password', permission: 'sales.discount_override', reason: 'loyal customer' });
  assert.equal(o.status, 201, o.text);
  const token = o.json.token ?? o.json.override_token;
  const approved = await cashier.post('/api/v1/sales', { ...over, override_token: token });
  assert.equal(approved.status, 201, approved.text);
  assert.equal(approved.json.total, 7000);
  assert.equal(approved.json.approver, 'disc-manager');
  const reused = await cashier.post('/api/v1/sales', { ...saleBody(shop, [[item, 1]], { discounts: { percent: 30 } }), override_token: token });
  assert.equal(reused.status, 403, 'an override is single use');
});

test('a void reverses the movements and keeps both records; cashiers need an override', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  await openRegister(s, shop, 'R-VOID');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]], { register_id: 'R-VOID' }));
  assert.equal(await onHand(s, item, shop), 3);
  const cashier = await s.as('cashier');
  const denied = await cashier.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'wrong item' });
  assert.equal(denied.status, 403);
  const noReason = await s.post(`/api/v1/sales/${sale.json.id}/void`, {});
  assert.equal(noReason.status, 422);
  const v = await s.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'customer changed mind' });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.status, 'voided');
  assert.equal(v.json.void.reason, 'customer changed mind');
  assert.equal(await onHand(s, item, shop), 5);
  const again = await s.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'again' });
  assert.equal(again.status, 200);
  assert.equal(await onHand(s, item, shop), 5, 'voiding twice moves nothing twice');
  const m = await s.get(`/api/v1/stock/movements?item_id=${item.id}`);
  assert.deepEqual(m.json.movements.map((x) => [x.reason, x.quantity]), [['opening', 5], ['sale', -2], ['void', 2]]);
  const ret = await s.post('/api/v1/returns', { sale_id: sale.json.id, lines: [{ sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'defective', condition: 'damaged', disposition: 'damaged' }] });
  assert.equal(ret.status, 409);
  assert.equal(ret.json.code, 'sale_voided');
});

test('a key scoped to another store cannot void this store\'s sale or return into this store', async () => {
  const other = await s.post('/api/v1/locations', { name: `Second store ${process.pid}`, kind: 'store' });
  assert.equal(other.status, 201, other.text);
  const key = await s.post('/api/v1/api-keys', { name: `scoped-${process.pid}`, role: 'admin', location_ids: [other.json.id] });
  assert.equal(key.status, 201, key.text);
  const scoped = s.withKey(key.json.key);
  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(sale.status, 201, sale.text);
  const sell = await scoped.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(sell.status, 403, 'selling at a store outside the key\'s locations');
  const voided = await scoped.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'not ours' });
  assert.equal(voided.status, 403, voided.text);
  const line = { sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'defective', condition: 'damaged', disposition: 'damaged' };
  const returned = await scoped.post('/api/v1/returns', { sale_id: sale.json.id, lines: [line] });
  assert.equal(returned.status, 403, returned.text);
  assert.equal(await onHand(s, item, shop), 3, 'nothing moved');
  const crossStore = await scoped.post('/api/v1/returns', { sale_id: sale.json.id, location_id: other.json.id, lines: [{ ...line, condition: 'new', disposition: 'restock' }] });
  assert.equal(crossStore.status, 201, `a cross-store return into the key's own store: ${crossStore.text}`);
  assert.equal(await onHand(s, item, other.json), 1);
  assert.equal(await onHand(s, item, shop), 3);
});

test('store credit: a refund issues a credit note, sales spend it, never beyond its balance; a void gives it back', async () => {
  const item = await makeItem(s, { price: 1500 });
  await adjust(s, item, shop, 10, 'opening');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(sale.status, 201, sale.text);
  const line = { sale_line_id: sale.json.lines[0].id, quantity: 2, reason: 'changed_mind', condition: 'new', disposition: 'restock' };
  const ret = await s.post('/api/v1/returns', { sale_id: sale.json.id, lines: [line], refund_tenders: [{ type: 'store_credit', amount: 3000 }] });
  assert.equal(ret.status, 201, ret.text);
  const code = ret.json.tenders[0].reference;
  assert.match(code, /^SC-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  const slip = await s.get(`/api/v1/returns/${ret.json.id}/receipt`);
  assert.equal(slip.status, 200, slip.text);
  assert.match(slip.text, /REFUND/);
  assert.ok(slip.text.includes(`Credit note ${code}`), 'the refund slip carries the whole code');
  assert.ok(slip.text.includes(`Refund of receipt ${sale.json.receipt_number}`));
  assert.equal((await s.get(`/api/v1/returns/${ret.json.id}/receipt?format=escpos&width=58`)).status, 200);
  const note = await s.get(`/api/v1/store-credits/${code.toLowerCase()}`);
  assert.equal(note.status, 200, note.text);
  assert.equal(note.json.balance, 3000);

  const tooMuch = await s.post('/api/v1/sales', saleBody(shop, [[item, 3]], { tenders: [{ type: 'store_credit', amount: 4500, reference: code }] }));
  assert.equal(tooMuch.status, 409, tooMuch.text);
  assert.equal(tooMuch.json.code, 'insufficient_store_credit');
  assert.equal(tooMuch.json.field, 'tenders[0].reference');
  assert.equal(tooMuch.json.balance, 3000);
  const unknown = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { tenders: [{ type: 'store_credit', amount: 1500, reference: 'SC-NOPE-NOPE-NOPE' }] }));
  assert.equal(unknown.status, 422, unknown.text);
  assert.equal(unknown.json.field, 'tenders[0].reference');

  const spendBody = saleBody(shop, [[item, 3]], {
    tenders: [{ type: 'store_credit', amount: 2000, reference: code }, { type: 'cash', amount: 5000 }] });
  const spend = await s.post('/api/v1/sales', spendBody);
  assert.equal(spend.status, 201, spend.text);
  assert.equal(spend.json.change_due, 2500);
  assert.equal((await s.get(`/api/v1/store-credits/${code}`)).json.balance, 1000);
  const spentReceipt = await s.get(`/api/v1/sales/${spend.json.id}/receipt`);
  assert.ok(spentReceipt.text.includes(`Credit note ...${code.slice(-4)}`));
  assert.ok(!spentReceipt.text.includes(code), 'a sale receipt shows only the last four characters');
  const retry = await s.post('/api/v1/sales', spendBody);
  assert.equal(retry.status, 200, retry.text);
  assert.equal((await s.get(`/api/v1/store-credits/${code}`)).json.balance, 1000, 'a retry spends nothing twice');

  const back = await s.post('/api/v1/returns', { sale_id: spend.json.id, lines: [{ ...line, sale_line_id: spend.json.lines[0].id, quantity: 1 }] });
  assert.equal(back.status, 201, back.text);
  assert.deepEqual(back.json.tenders.map((t) => t.type), ['store_credit'], 'a refund goes back to the credit note first, cash last');
  assert.equal(back.json.tenders[0].reference, code);
  assert.equal((await s.get(`/api/v1/store-credits/${code}`)).json.balance, 2500);

  const other = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { tenders: [{ type: 'store_credit', amount: 1500, reference: code }] }));
  assert.equal(other.status, 201, other.text);
  assert.equal((await s.get(`/api/v1/store-credits/${code}`)).json.balance, 1000);
  const voided = await s.post(`/api/v1/sales/${other.json.id}/void`, { reason: 'rang up twice' });
  assert.equal(voided.status, 200, voided.text);
  const after = (await s.get(`/api/v1/store-credits/${code}`)).json;
  assert.equal(after.balance, 2500);
  assert.deepEqual(after.entries.map((e) => [e.document_type, e.amount]),
    [['return', 3000], ['sale', -2000], ['return', 1500], ['sale', -1500], ['void', 1500]]);
  assert.equal((await s.get('/api/v1/store-credits/SC-0000-0000-0000')).status, 404);
});

test('returns: every disposition, exact refunds, never beyond what was sold', async () => {
  const item = await makeItem(s, { price: 1000 });
  await adjust(s, item, shop, 20, 'opening');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 10]], {
    discounts: { amount: 100 }, tenders: [{ type: 'card', amount: 9900, reference: 'card-77' }] }));
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.json.total, 9900);
  const line = sale.json.lines[0].id;
  const dispositions = ['restock', 'review', 'damaged', 'refurbish', 'markdown'];
  let refunded = 0;
  for (const [i, disposition] of dispositions.entries()) {
    const quantity = i === dispositions.length - 1 ? 6 : 1;
    const r = await s.post('/api/v1/returns', { sale_id: sale.json.id, lines: [{ sale_line_id: line, quantity, reason: 'defective', condition: 'opened', disposition }] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.tenders[0].type, 'card', 'the refund goes back to the original tender');
    assert.equal(r.json.tenders[0].reference, 'card-77');
    refunded += r.json.refund_total;
    const where = disposition === 'restock' ? shop : await binOf(s, shop, disposition);
    assert.equal(await onHand(s, item, where), disposition === 'restock' ? 11 : quantity, disposition);
  }
  assert.equal(refunded, 9900, 'refunds of every unit add up to what was paid');
  const beyond = await s.post('/api/v1/returns', { sale_id: sale.json.id, lines: [{ sale_line_id: line, quantity: 1, reason: 'defective', condition: 'new', disposition: 'restock' }] });
  assert.equal(beyond.status, 409);
  assert.equal(beyond.json.code, 'return_exceeds_sold');
  const noVoid = await s.post(`/api/v1/sales/${sale.json.id}/void`, { reason: 'late' });
  assert.equal(noVoid.status, 409);
  // Without a receipt: needs returns.no_receipt, within the role's limit.
  const cashier = await s.as('cashier');
  const body = { location_id: shop.id, lines: [{ item_id: item.id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] };
  const denied = await cashier.post('/api/v1/returns', body);
  assert.equal(denied.status, 403);
  const lead = await s.as('shift_lead');
  const okNoReceipt = await lead.post('/api/v1/returns', body);
  assert.equal(okNoReceipt.status, 201, okNoReceipt.text);
  assert.equal(okNoReceipt.json.refund_total, 1000);
  assert.equal(okNoReceipt.json.tenders[0].type, 'store_credit', 'no receipt: a credit note by default, no cash from the drawer');
  assert.equal((await s.get(`/api/v1/store-credits/${okNoReceipt.json.tenders[0].reference}`)).json.balance, 1000);
  const policy = await s.put('/api/v1/settings/sales', { no_receipt_refund: 'cash' });
  assert.equal(policy.status, 200, policy.text);
  assert.equal(policy.json.no_receipt_refund, 'cash');
  const cashBack = await lead.post('/api/v1/returns', body);
  assert.equal(cashBack.status, 201, cashBack.text);
  assert.deepEqual(cashBack.json.tenders.map((t) => t.type), ['cash']);
  assert.equal((await s.put('/api/v1/settings/sales', { no_receipt_refund: 'store_credit' })).status, 200);
  assert.equal((await s.put('/api/v1/settings/sales', { no_receipt_refund: 'gift' })).json.field, 'no_receipt_refund');
  // Returns at a register that cannot reach the server: refused unless a manager allows them, up to a limit.
  const rule = '/api/v1/settings/offline-returns';
  assert.deepEqual((await cashier.get(rule)).json, { offline_returns: 'refuse', offline_return_limit: 0 }, 'refused by default; the register reads it');
  assert.equal((await lead.put(rule, { offline_returns: 'allow', offline_return_limit: 2500 })).status, 403, 'a shift lead cannot allow them');
  const manager = await s.as('manager');
  const allowed = await manager.put(rule, { offline_returns: 'allow', offline_return_limit: 2500 });
  assert.equal(allowed.status, 200, allowed.text);
  assert.deepEqual(allowed.json, { offline_returns: 'allow', offline_return_limit: 2500 });
  assert.equal((await cashier.get(rule)).json.offline_return_limit, 2500);
  assert.equal((await s.get('/api/v1/settings/sales')).json.no_receipt_refund, 'store_credit', 'the other sales settings are kept');
  for (const [bad, field] of [[{ offline_returns: 'sometimes' }, 'offline_returns'], [{ offline_return_limit: 100 }, 'offline_returns'],
    [{ offline_returns: 'allow', offline_return_limit: -1 }, 'offline_return_limit'], [{ offline_returns: 'allow', offline_return_limit: '25.00' }, 'offline_return_limit'],
    [{ offline_returns: 'allow', offline_return_limit: 0 }, 'offline_return_limit'], [{ offline_returns: 'allow', tax_mode: 'exclusive' }, 'tax_mode']]) {
    const r = await manager.put(rule, bad);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.field, field, JSON.stringify(bad));
  }
  assert.equal((await s.put('/api/v1/settings/sales', { offline_returns: 'allow' })).json.field, 'offline_returns', 'not a field of the sales settings');
  assert.equal((await s.get(rule)).json.offline_return_limit, 2500, 'a refused change changes nothing');
  assert.deepEqual((await manager.put(rule, { offline_returns: 'refuse' })).json, { offline_returns: 'refuse', offline_return_limit: 2500 }, 'the limit is kept for next time');
  const audit = (await s.get('/api/v1/audit?action=settings.sales&limit=100')).json.entries.filter((e) => e.actor.startsWith('apikey:test-as-manager'));
  assert.deepEqual(audit.map((e) => [e.before.offline_returns, e.after.offline_returns, e.after.offline_return_limit]),
    [['allow', 'refuse', 2500], ['refuse', 'allow', 2500]], 'both changes audited, newest first');
  const tooMuch = await lead.post('/api/v1/returns', { ...body, lines: [{ ...body.lines[0], quantity: 10 }] });
  assert.equal(tooMuch.status, 403);
  assert.equal(tooMuch.json.code, 'refund_over_limit');
});

test('an exchange is a return and a new sale in one document', async () => {
  const shirt = await makeItem(s, { price: 2000 });
  const bigger = await makeItem(s, { price: 2500 });
  await adjust(s, shirt, shop, 3, 'opening');
  await adjust(s, bigger, shop, 3, 'opening');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[shirt, 1]]));
  const id = uuidv7();
  const body = {
    id,
    return: { sale_id: sale.json.id, lines: [{ sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, lines: [{ item_id: bigger.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 500 }] },
  };
  const r = await s.post('/api/v1/exchanges', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.credit, 2000);
  assert.equal(r.json.balance_due, 500);
  assert.equal(r.json.refund_due, 0);
  assert.equal(await onHand(s, shirt, shop), 3);
  assert.equal(await onHand(s, bigger, shop), 2);
  const again = await s.post('/api/v1/exchanges', body);
  assert.equal(again.status, 200);
  assert.equal(await onHand(s, bigger, shop), 2);
  // An exchange whose new sale fails writes nothing at all.
  const sale2 = await s.post('/api/v1/sales', saleBody(shop, [[shirt, 1]]));
  const failing = await s.post('/api/v1/exchanges', {
    return: { sale_id: sale2.json.id, lines: [{ sale_line_id: sale2.json.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, lines: [{ item_id: bigger.id, quantity: 1 }], tenders: [] },
  });
  assert.equal(failing.status, 422);
  assert.equal(await onHand(s, shirt, shop), 2, 'the return half rolled back with the sale half');
});

test('transfers ship into transit and arrive with short and damaged recorded', async () => {
  const loc = await s.post('/api/v1/locations', { name: `Warehouse ${process.pid}`, kind: 'warehouse' });
  assert.equal(loc.status, 201, loc.text);
  const item = await makeItem(s);
  await adjust(s, item, loc.json, 10, 'opening');
  const t = await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: loc.json.id, to_location_id: shop.id, lines: [{ item_id: item.id, quantity: 10 }] });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.status, 'in_transit');
  assert.equal(await onHand(s, item, loc.json), 0);
  const all = await s.get(`/api/v1/stock?item_id=${item.id}`);
  assert.equal(all.json.on_hand, 10, 'in transit is still the shop\'s stock');
  const r = await s.post(`/api/v1/transfers/${t.json.id}/receive`, { lines: [{ line_id: t.json.lines[0].id, received: 7, damaged: 2 }], close: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'received');
  assert.deepEqual([r.json.lines[0].received, r.json.lines[0].damaged, r.json.lines[0].short], [7, 2, 1]);
  assert.equal(await onHand(s, item, shop), 7);
  assert.equal(await onHand(s, item, await binOf(s, shop, 'damaged')), 2);
  const again = await s.post(`/api/v1/transfers/${t.json.id}/receive`, { lines: [] });
  assert.equal(again.status, 200);
  assert.equal(await onHand(s, item, shop), 7);
});

test('the last unit from two registers at once: refused once, or allowed and flagged', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 1, 'opening');
  for (const reg of ['R-A', 'R-B']) await openRegister(s, shop, reg);
  const set = await s.put('/api/v1/settings/sales', { negative_stock: 'refuse' });
  assert.equal(set.status, 200, set.text);
  const both = await Promise.all(['R-A', 'R-B'].map((reg) => s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: reg }))));
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
  assert.equal(both.find((r) => r.status === 409).json.code, 'insufficient_stock');
  assert.equal(await onHand(s, item, shop), 0);
  await s.put('/api/v1/settings/sales', { negative_stock: 'allow' });
  await adjust(s, item, shop, 1, 'found');
  const allowed = await Promise.all(['R-A', 'R-B'].map((reg) => s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: reg }))));
  assert.deepEqual(allowed.map((r) => r.status), [201, 201]);
  assert.equal(allowed.filter((r) => r.json.warnings?.[0]?.code === 'negative_stock').length, 1);
  assert.equal(await onHand(s, item, shop), -1);
  const m = await s.get(`/api/v1/stock/movements?item_id=${item.id}`);
  assert.equal(m.json.movements.filter((x) => x.reason === 'sale').length, 3, 'no movement lost or doubled');
});

test('training sales compute a receipt but move no stock', async () => {
  const item = await makeItem(s);
  const r = await s.post('/api/v1/sales', saleBody(shop, [[item, 3]], { register_id: 'R-TRAIN', training: true }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.training, true);
  assert.match(r.json.receipt_number, /^R-TRAIN-T/);
  assert.equal(r.json.total, 3000);
  assert.equal(await onHand(s, item, shop), 0);
});

test('parked sales resume; register sessions close with a Z report', async () => {
  const item = await makeItem(s, { price: 500 });
  const park = await s.post('/api/v1/sales/parked', { location_id: shop.id, register_id: 'R-Z', lines: [{ item_id: item.id, quantity: 2 }], note: 'forgot wallet' });
  assert.equal(park.status, 201, park.text);
  const list = await s.get('/api/v1/sales/parked?register_id=R-Z');
  assert.equal(list.json.parked.length, 1);
  const resumed = await s.post(`/api/v1/sales/parked/${park.json.id}/resume`, {});
  assert.equal(resumed.status, 200);
  assert.equal(resumed.json.status, 'resumed');
  assert.equal((await s.get('/api/v1/sales/parked?register_id=R-Z')).json.parked.length, 0);

  const refused = await s.post('/api/v1/sales', { ...resumed.json.sale, tenders: [{ type: 'cash', amount: 2000 }] });
  assert.equal(refused.status, 409, 'no sale at a register without its open session');
  assert.equal(refused.json.code, 'register_session_closed');
  assert.equal(refused.json.field, 'register_id');
  assert.equal((await s.get('/api/v1/registers/R-Z/sessions/current')).json.code, 'no_open_session');

  const open = await s.post('/api/v1/registers/R-Z/sessions', { location_id: shop.id, opening_float: 10000 });
  assert.equal(open.status, 201, open.text);
  assert.equal(open.json.number, 1);
  const twice = await s.post('/api/v1/registers/R-Z/sessions', { location_id: shop.id, opening_float: 10000 });
  assert.equal(twice.status, 409);
  const sale = await s.post('/api/v1/sales', { ...resumed.json.sale, tenders: [{ type: 'cash', amount: 2000 }] });
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.json.session_id, open.json.id);
  assert.equal(sale.json.channel, 'register');
  await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'R-Z', tenders: [{ type: 'card', amount: 500, reference: 'c1' }] }));
  const ret = await s.post('/api/v1/returns', { sale_id: sale.json.id, register_id: 'R-Z', lines: [{ sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] });
  assert.equal(ret.status, 201, ret.text);
  for (const [kind, amount, reason] of [['paid_out', 300, 'window cleaner'], ['paid_in', 200, 'change from the bank'], ['safe_drop', 5000, 'mid-day drop']]) {
    const r = await s.post(`/api/v1/registers/R-Z/sessions/${open.json.id}/cash`, { kind, amount, reason });
    assert.equal(r.status, 200, r.text);
  }
  const current = await s.get('/api/v1/registers/R-Z/sessions/current');
  assert.equal(current.status, 200, current.text);
  assert.equal(current.json.id, open.json.id);
  const x = current.json.x_report;
  assert.deepEqual(x.tenders.map((t) => [t.type, t.expected, t.counted, t.over_short]),
    [['cash', 10000 + 1000 - 500 + 200 - 300 - 5000, null, null], ['card', 500, null, null]]);
  const close = await s.post(`/api/v1/registers/R-Z/sessions/${open.json.id}/close`, { counted: { cash: 5350, card: 500 } });
  assert.equal(close.status, 200, close.text);
  assert.equal(close.json.status, 'closed');
  const z = close.json.z_report;
  assert.equal(z.opening_float, 10000);
  assert.equal(z.sales_count, 2);
  assert.equal(z.returns_count, 1);
  assert.equal(z.voids_count, 0);
  assert.equal(z.gross_sales, 1500);
  assert.equal(z.returns_total, 500);
  assert.equal(z.net_sales, 1000);
  assert.equal(z.cash_sales, 1000);
  assert.equal(z.cash_refunds, 500);
  assert.deepEqual([z.paid_in, z.paid_out, z.safe_drops], [200, 300, 5000]);
  assert.deepEqual(z.tenders, [
    { type: 'cash', expected: 5400, counted: 5350, over_short: -50 },
    { type: 'card', expected: 500, counted: 500, over_short: 0 },
  ]);
  assert.deepEqual(z.taxes.map((t) => t.rate), [2100]);
  assert.equal(z.taxes[0].taxable + z.taxes[0].tax, 1000);
  assert.equal(z.by_cashier.length, 1);
  assert.equal(z.by_cashier[0].sales_count, 2);
  assert.equal(z.register.id, 'R-Z');
  assert.equal(z.location.name, shop.name);
  const read = await s.get(`/api/v1/registers/R-Z/sessions/${open.json.id}`);
  assert.equal(read.json.status, 'closed');
  assert.deepEqual(read.json.z_report, z);
  const retry = await s.post(`/api/v1/registers/R-Z/sessions/${open.json.id}/close`, { counted: { cash: 1 } });
  assert.deepEqual(retry.json.z_report, z, 'a retried close answers the first Z report');
  const late = await s.post(`/api/v1/registers/R-Z/sessions/${open.json.id}/cash`, { kind: 'paid_in', amount: 1, reason: 'late' });
  assert.equal(late.status, 409);

  // Sessions list newest first, paginated by cursor, each with its report.
  const second = await openRegister(s, shop, 'R-Z', 5000);
  assert.equal(second.number, 2);
  const page1 = await s.get('/api/v1/registers/R-Z/sessions?limit=1');
  assert.equal(page1.status, 200, page1.text);
  assert.deepEqual(page1.json.sessions.map((x) => [x.number, x.status, !!x.x_report]), [[2, 'open', true]]);
  assert.equal(typeof page1.json.sessions[0].opened_by.name, 'string');
  const page2 = await s.get(`/api/v1/registers/R-Z/sessions?limit=1&cursor=${page1.json.next_cursor}`);
  assert.deepEqual(page2.json.sessions.map((x) => [x.number, x.status, x.z_report.tenders[0].counted]), [[1, 'closed', 5350]]);
  assert.equal(page2.json.next_cursor, null);
  // Counting a tender nobody has is refused by name.
  const bad = await s.post(`/api/v1/registers/R-Z/sessions/${second.id}/close`, { counted: { cheque: 5 } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'counted.cheque');
});

test('sales without a register are channel sales, summed per channel; returns at a register need its session', async () => {
  const item = await makeItem(s, { price: 700 });
  const web = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { channel: 'online' }));
  assert.equal(web.status, 201, web.text);
  assert.equal(web.json.channel, 'online');
  const api = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(api.json.channel, 'api');
  const both = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { channel: 'online', register_id: 'R-CH' }));
  assert.equal(both.status, 422);
  assert.equal(both.json.field, 'channel');
  const training = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { channel: 'online', training: true }));
  assert.equal(training.status, 201);
  const summary = await s.get('/api/v1/sales/summary');
  assert.equal(summary.status, 200, summary.text);
  const online = summary.json.by_channel.find((c) => c.channel === 'online');
  assert.deepEqual(online, { channel: 'online', sales_count: 1, total: 700 }, 'training sales never count');
  assert.ok(summary.json.by_channel.find((c) => c.channel === 'api').total >= 1400);
  const later = await s.get(`/api/v1/sales/summary?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
  assert.deepEqual(later.json.by_channel, []);
  assert.equal((await s.get('/api/v1/sales/summary?from=yesterday')).status, 422);
  const ret = await s.post('/api/v1/returns', { sale_id: api.json.id, register_id: 'R-CLOSED', lines: [{ sale_line_id: api.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] });
  assert.equal(ret.status, 409, ret.text);
  assert.equal(ret.json.code, 'register_session_closed');
});

test('backroom check holds after all of the above, and catches a tampered balance', async () => {
  assertBooksHold(s.db);
  // Tamper with one balance behind the ledger's back (sqlite3 or psql): check must say so.
  const t = dbExec(s.db, 'UPDATE stock_balances SET on_hand = on_hand + 1000 WHERE item_id = (SELECT item_id FROM stock_balances LIMIT 1)');
  assert.equal(t.status, 0, t.stderr);
  const r = check(s.db);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /balance: item .* has on_hand/);
  // A movement posted to another item's account: its history would show up under the
  // wrong item, so check says so too.
  const a = dbExec(s.db, 'UPDATE stock_movements SET account = (SELECT MAX(account) FROM stock_balances) + 0 WHERE seq = (SELECT MIN(seq) FROM stock_movements WHERE account <> (SELECT MAX(account) FROM stock_balances))');
  assert.equal(a.status, 0, a.stderr);
  const r2 = check(s.db);
  assert.equal(r2.status, 1, r2.stdout);
  assert.match(r2.stdout, /account: movement \d+ of item .* is not posted to that item's account there/);
});
