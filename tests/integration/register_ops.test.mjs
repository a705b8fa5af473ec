// What a register relies on beyond selling (issue 13): a quote is exactly what posting
// answers and writes nothing; a discount at the cashier's limit needs no override;
// training documents touch no stock, cash, credit, report or event; the sales journal
// filters and names registers and cashiers; store credit shows its history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, openRegister, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s.stop(); });

const eventsCount = async () => {
  let cursor = '0';
  let n = 0;
  for (;;) {
    const r = await s.get(`/api/v1/events?after=${cursor}&limit=500`);
    n += r.json.events.length;
    if (r.json.events.length < 500) return n;
    cursor = r.json.next_cursor;
  }
};

const PRICED = ['subtotal', 'discount_total', 'tax_total', 'total', 'tendered', 'change_due', 'channel', 'training', 'tax_mode', 'discount'];
const lineOf = (l) => ({ item_id: l.item_id, sku: l.sku, name: l.name, code: l.code, quantity: l.quantity, unit_price: l.unit_price, gross: l.gross, line_discount: l.line_discount, receipt_discount: l.receipt_discount, tax_rate_bp: l.tax_rate_bp, tax: l.tax, total: l.total });

test('a quote answers exactly what posting the same body does, and writes nothing', async () => {
  let r = await s.put('/api/v1/settings/barcodes', {
    internal_prefixes: ['20'],
    embedded_layouts: [{ prefix: '22', item_digits: 5, value: 'weight', value_digits: 5, decimals: 3 }],
  });
  assert.equal(r.status, 200, r.text);
  const std = await makeItem(s, { price: 1999, tax_category: 'standard' });
  const red = await makeItem(s, { price: 335, tax_category: 'reduced' });
  const apples = await makeItem(s, { unit: 'kg', sold_by_weight: true, price: 349, barcodes: [withCheck('220077700000')] });
  const kit = await makeItem(s, { kind: 'kit', price: 2500, kit: { consumes: 'components', components: [{ item_id: std.id, quantity: 1 }, { item_id: red.id, quantity: 2 }] } });
  await openRegister(s, shop, 'Q-1');
  const carts = [
    saleBody(shop, [[std, 1], [red, 3]], { register_id: 'Q-1', tenders: [{ type: 'cash', amount: 5000 }] }),
    saleBody(shop, [[std, 2, { discount: { percent: 12.5, reason: 'dented' } }], [red, 1, { discount: { amount: 35 } }]], { discount: { percent: 7 }, tenders: [{ type: 'cash', amount: 5000 }] }),
    { ...saleBody(shop, [[red, 1]], { channel: 'phone', tenders: [{ type: 'card', amount: 500, reference: 'T' }, { type: 'cash', amount: 5000 }] }), lines: [{ code: withCheck('220077701250') }, { item_id: red.id, quantity: 1 }] },
    saleBody(shop, [[kit, 1], [apples, 0.735]], { discount: { amount: 99 }, tenders: [{ type: 'cash', amount: 10000 }] }),
  ];
  const post = async (cart) => {
    const quote = await s.post('/api/v1/sales/quote', cart);
    assert.equal(quote.status, 200, quote.text);
    const sale = await s.post('/api/v1/sales', cart);
    assert.equal(sale.status, 201, sale.text);
    for (const k of PRICED) assert.deepEqual(quote.json[k], sale.json[k], k);
    assert.deepEqual(quote.json.lines.map(lineOf), sale.json.lines.map(lineOf));
    for (const [i, l] of quote.json.lines.entries()) assert.equal(l.discount, sale.json.lines[i].line_discount + sale.json.lines[i].receipt_discount);
    const byRate = {};
    for (const l of sale.json.lines) {
      byRate[l.tax_rate_bp] ??= { rate: l.tax_rate_bp, taxable: 0, tax: 0 };
      byRate[l.tax_rate_bp].taxable += l.total - l.tax;
      byRate[l.tax_rate_bp].tax += l.tax;
    }
    assert.deepEqual(quote.json.taxes, Object.values(byRate).sort((a, b) => a.rate - b.rate));
    assert.equal(quote.json.needs_override, null);
    return { quote: quote.json, sale: sale.json };
  };
  for (const cart of carts) await post(cart);
  // Exclusive tax, rounded per receipt: the same, through the same code.
  r = await s.put('/api/v1/settings/sales', { tax_mode: 'exclusive', tax_rounding: 'receipt', rounding: 'half_up' });
  assert.equal(r.status, 200, r.text);
  try {
    for (const cart of carts) await post({ ...cart, id: uuidv7() });
  } finally {
    await s.put('/api/v1/settings/sales', { tax_mode: 'inclusive', tax_rounding: 'line', rounding: 'half_even' });
  }
  // A quote writes nothing: no sale, no movement, no receipt number used, no event.
  const before = { events: await eventsCount(), moves: await onHand(s, std, shop), sales: (await s.get('/api/v1/sales?limit=500')).json.sales.length };
  const q = await s.post('/api/v1/sales/quote', { location_id: shop.id, register_id: 'Q-1', lines: [{ item_id: std.id, quantity: 4 }] });
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.total, 4 * 1999);
  assert.equal(q.json.tendered, 0);
  assert.deepEqual({ events: await eventsCount(), moves: await onHand(s, std, shop), sales: (await s.get('/api/v1/sales?limit=500')).json.sales.length }, before);
  // What posting refuses, quoting refuses the same way.
  const short = await s.post('/api/v1/sales/quote', { location_id: shop.id, lines: [{ item_id: std.id }], tenders: [{ type: 'cash', amount: 1 }] });
  assert.equal(short.status, 422);
  assert.equal(short.json.code, 'insufficient_tender');
  const unknown = await s.post('/api/v1/sales/quote', { location_id: shop.id, lines: [{ item_id: uuidv7() }] });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.field, 'lines[0].item_id');
});

test('a discount at exactly the cashier\'s limit needs no override; above it, the quote says so', async () => {
  const item = await makeItem(s, { price: 335 });  // 10 % is 33.5, priced 34 (half even): 10.15 % rounded up
  const cashier = await s.as('cashier');  // limit 10 %
  await openRegister(s, shop, 'D-1');
  const body = saleBody(shop, [[item, 1, { discount: { percent: 10 } }]], { register_id: 'D-1' });
  const quote = await cashier.post('/api/v1/sales/quote', body);
  assert.equal(quote.status, 200, quote.text);
  assert.equal(quote.json.discount_total, 34);
  assert.equal(quote.json.needs_override, null);
  const sale = await cashier.post('/api/v1/sales', body);
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.json.total, 301);
  // Receipt discount at the limit over several lines: the same.
  const receipt = await cashier.post('/api/v1/sales', saleBody(shop, [[item, 3], [item, 1]], { register_id: 'D-1', discount: { percent: 10 } }));
  assert.equal(receipt.status, 201, receipt.text);
  // One minor unit more than 10 % prices to is over the limit.
  const over = saleBody(shop, [[item, 1, { discount: { amount: 35 } }]], { register_id: 'D-1' });
  const overQuote = await cashier.post('/api/v1/sales/quote', over);
  assert.deepEqual(overQuote.json.needs_override, { reason: 'discount_over_limit', limit: 1000 });
  const refused = await cashier.post('/api/v1/sales', over);
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'discount_over_limit');
});

test('training returns and exchanges touch no stock, cash, store credit, report or event', async () => {
  const item = await makeItem(s, { price: 1200 });
  const other = await makeItem(s, { price: 800 });
  await adjust(s, item, shop, 10, 'opening');
  await adjust(s, other, shop, 10, 'opening');
  const session = await openRegister(s, shop, 'T-1', 5000);
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 3]], { register_id: 'T-1', tenders: [{ type: 'cash', amount: 4000 }] }));
  assert.equal(sale.status, 201, sale.text);
  const x0 = (await s.get(`/api/v1/registers/T-1/sessions/${session.id}`)).json.x_report;
  const stock0 = [await onHand(s, item, shop), await onHand(s, other, shop)];
  const events0 = await eventsCount();
  const line = { sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' };

  const ret = await s.post('/api/v1/returns', { sale_id: sale.json.id, register_id: 'T-1', training: true, lines: [line], refund_tenders: [{ type: 'store_credit', amount: 1200 }] });
  assert.equal(ret.status, 201, ret.text);
  assert.equal(ret.json.training, true);
  assert.equal(ret.json.tenders[0].reference, null, 'no credit note was issued');
  const cash = await s.post('/api/v1/returns', { sale_id: sale.json.id, register_id: 'T-1', training: true, lines: [line] });
  assert.equal(cash.status, 201, cash.text);
  const exchange = await s.post('/api/v1/exchanges', {
    return: { sale_id: sale.json.id, register_id: 'T-1', lines: [line] },
    sale: { location_id: shop.id, register_id: 'T-1', training: true, lines: [{ item_id: other.id, quantity: 2 }], tenders: [{ type: 'cash', amount: 1000 }] },
  });
  assert.equal(exchange.status, 201, exchange.text);
  assert.equal(exchange.json.return.training, true, 'an exchange is training as a whole');
  assert.equal(exchange.json.sale.training, true);

  assert.deepEqual([await onHand(s, item, shop), await onHand(s, other, shop)], stock0, 'no stock moved');
  const after = (await s.get(`/api/v1/sales/${sale.json.id}`)).json;
  assert.equal(after.lines[0].returned_quantity, 0, 'the real sale is untouched');
  assert.equal(await eventsCount(), events0, 'no event');
  const x1 = (await s.get(`/api/v1/registers/T-1/sessions/${session.id}`)).json.x_report;
  assert.deepEqual(x1, x0, 'the session report is untouched');
  // The real sale can still be returned in full.
  const real = await s.post('/api/v1/returns', { sale_id: sale.json.id, register_id: 'T-1', lines: [{ ...line, quantity: 3 }] });
  assert.equal(real.status, 201, real.text);
  // A training sale can be returned in training, never for real.
  const practice = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'T-1', training: true }));
  const back = await s.post('/api/v1/returns', { sale_id: practice.json.id, training: true, lines: [{ ...line, sale_line_id: practice.json.lines[0].id }] });
  assert.equal(back.status, 201, back.text);
  const notReal = await s.post('/api/v1/returns', { sale_id: practice.json.id, lines: [{ ...line, sale_line_id: practice.json.lines[0].id }] });
  assert.equal(notReal.status, 409);
  assertBooksHold(s.db);
});

test('the sales journal filters by time, register, cashier, receipt, item, location and channel, with names', async () => {
  const item = await makeItem(s, { price: 450 });
  const lone = await makeItem(s, { price: 100 });
  await openRegister(s, shop, 'J-1');
  await openRegister(s, shop, 'J-2');
  const cashier = await s.as('cashier');
  const from = new Date().toISOString();
  const a = await cashier.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'J-1' }));
  const b = await s.post('/api/v1/sales', saleBody(shop, [[item, 2], [lone, 1]], { register_id: 'J-2' }));
  const c = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { channel: 'online' }));
  for (const r of [a, b, c]) assert.equal(r.status, 201, r.text);
  const ids = async (query) => {
    const r = await s.get(`/api/v1/sales?${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json.sales.map((x) => x.id);
  };
  assert.deepEqual(await ids(`from=${encodeURIComponent(from)}`), [c.json.id, b.json.id, a.json.id], 'newest first');
  assert.deepEqual(await ids('register_id=J-1'), [a.json.id]);
  assert.deepEqual(await ids(`receipt=${b.json.receipt_number}`), [b.json.id]);
  assert.deepEqual(await ids(`item_id=${lone.id}`), [b.json.id]);
  assert.deepEqual(await ids(`channel=online&location_id=${shop.id}&from=${encodeURIComponent(from)}`), [c.json.id]);
  assert.deepEqual(await ids(`to=${encodeURIComponent(from)}&item_id=${item.id}`), []);
  const row = (await s.get('/api/v1/sales?register_id=J-1')).json.sales[0];
  assert.equal(row.number, a.json.receipt_number);
  assert.deepEqual(row.register, { id: 'J-1', name: 'J-1' });
  assert.equal(typeof row.cashier.id, 'string');
  assert.equal(typeof row.cashier.name, 'string');
  assert.notEqual(row.cashier.name, row.cashier.id, 'a cashier shows by name');
  assert.deepEqual(await ids(`cashier_id=${row.cashier.id}&from=${encodeURIComponent(from)}`), [a.json.id]);
  assert.equal(row.location.name, shop.name);
  assert.equal(row.lines_count, 1);
  assert.equal(row.channel, 'register');
  const page = await s.get(`/api/v1/sales?from=${encodeURIComponent(from)}&limit=2`);
  const rest = await s.get(`/api/v1/sales?from=${encodeURIComponent(from)}&limit=2&cursor=${page.json.next_cursor}`);
  assert.deepEqual([...page.json.sales, ...rest.json.sales].map((x) => x.id), [c.json.id, b.json.id, a.json.id]);
  for (const bad of ['from=monday', 'to=1', 'cursor=x', `receipt=${'9'.repeat(200)}`]) {
    const r = await s.get(`/api/v1/sales?${bad}`);
    assert.equal(r.status, 422, bad);
  }
});

test('store credit shows its history with the receipts that moved it', async () => {
  const item = await makeItem(s, { price: 2000 });
  await openRegister(s, shop, 'C-1');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'C-1', tenders: [{ type: 'cash', amount: 2000 }] }));
  const ret = await s.post('/api/v1/returns', { sale_id: sale.json.id, register_id: 'C-1', lines: [{ sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }], refund_tenders: [{ type: 'store_credit', amount: 2000 }] });
  assert.equal(ret.status, 201, ret.text);
  const code = ret.json.tenders[0].reference;
  const spend = await s.post('/api/v1/sales', saleBody(shop, [[item, 1, { discount: { amount: 500 } }]], { register_id: 'C-1', tenders: [{ type: 'store_credit', amount: 1500, reference: code }] }));
  assert.equal(spend.status, 201, spend.text);
  const credit = await s.get(`/api/v1/store-credits/${code}`);
  assert.equal(credit.status, 200, credit.text);
  assert.equal(credit.json.balance, 500);
  assert.deepEqual(credit.json.entries.map((e) => [e.amount, e.document_type, e.receipt_number]),
    [[2000, 'return', sale.json.receipt_number], [-1500, 'sale', spend.json.receipt_number]]);
  for (const e of credit.json.entries) assert.ok(e.at);
});
