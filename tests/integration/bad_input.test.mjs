// Bad input on the sales-to-stock loop never crashes the server, never answers 500 and
// never leaves the books wrong. Each endpoint starts from a body that works; every field
// (at any depth) is then removed or replaced by values of the wrong type, size or range,
// one mutation per request, each with a fresh document id. Whatever is refused must be an
// RFC 9457 problem with a stable `code`; whatever is accepted must keep `backroom check`
// clean. A failure prints the endpoint, the mutated path and the body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkedFetch, startServer } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, openRegister, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s.stop(); });

const BAD_VALUES = [
  null, true, 0, -1, 1.5, 1e30, -9223372036854775808, 9223372036854775807, '', 'x',
  'x'.repeat(10_000), '\u0000', '💥', [], [1], {}, { a: 1 },
];

// Every path to a value in `body`: [['lines', 0, 'quantity'], ...].
function paths(value, prefix = []) {
  const out = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function mutate(body, path, replacement, remove = false) {
  const copy = structuredClone(body);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(last, 1);
    else delete node[last];
  } else {
    node[last] = replacement;
  }
  return copy;
}

// Sends every mutation of `make()`'s body to `url()`; `fresh` re-ids each body.
async function probe(name, url, make, fresh = (b) => ({ ...b, id: uuidv7() }), { baseWorks = true, method = 'POST', client = s } = {}) {
  const send = (p, body) => client.request(method, p, body);
  const base = await make();
  if (baseWorks) {  // the unmutated body is accepted, so the mutations reach past the first check
    const ok = await send(typeof url === 'function' ? url() : url, fresh(base));
    assert.ok(ok.status < 300, `${name} base body: ${ok.status} ${ok.text}`);
  }
  let accepted = 0;
  let refused = 0;
  for (const path of paths(base)) {
    if (path[0] === 'id') continue;  // a document id of the wrong shape is its own test below
    const variants = [{ remove: true }, ...BAD_VALUES.map((v) => ({ value: v }))];
    for (const v of variants) {
      const body = fresh(mutate(base, path, v.value, v.remove));
      const r = await send(typeof url === 'function' ? url() : url, body);
      const where = `${name} ${JSON.stringify(path)} ${v.remove ? 'removed' : JSON.stringify(v.value)?.slice(0, 40)}`;
      assert.ok(r.status < 500, `${where}: ${r.status} ${r.text.slice(0, 300)}`);
      if (r.status >= 400) {
        refused++;
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/, where);
        assert.equal(typeof r.json?.code, 'string', `${where}: ${r.text.slice(0, 200)}`);
        assert.equal(r.json.status, r.status, where);
        assert.ok(r.json.detail?.length > 0, where);
      } else {
        accepted++;
      }
    }
  }
  // A body that is not a JSON object at all.
  for (const raw of ['', 'null', '[]', '"x"', '{', '{"lines": [}', '{"a":1}'.repeat(1000)]) {
    const r = await send(typeof url === 'function' ? url() : url, raw);
    assert.ok(r.status >= 400 && r.status < 500, `${name} raw ${raw.slice(0, 20)}: ${r.status}`);
    assert.equal(typeof r.json?.code, 'string', `${name} raw ${raw.slice(0, 20)}`);
  }
  assert.ok(refused > 0, `${name}: nothing was refused`);
  return { accepted, refused };
}

test('mutated sales, returns and exchanges are refused with problems, never 500', async () => {
  const apple = await makeItem(s, { price: 250 });
  const pear = await makeItem(s, { price: 400 });
  await adjust(s, apple, shop, 100000, 'opening');
  await adjust(s, pear, shop, 100000, 'opening');
  const saleBody = () => ({
    location_id: shop.id,
    lines: [
      { item_id: apple.id, quantity: 2, discount: { percent: 10, reason: 'bruised' } },
      { code: apple.sku, quantity: 1 },
    ],
    discount: { amount: 50, reason: 'loyal customer' },
    tenders: [{ type: 'cash', amount: 2000 }, { type: 'card', amount: 100, reference: 'AUTH-1' }],
  });
  const sales = await probe('POST /sales', '/api/v1/sales', async () => saleBody());
  assert.ok(sales.accepted > 0);
  // At a register (its session open), and as a channel sale.
  await openRegister(s, shop, 'BAD-SALE');
  await probe('POST /sales at a register', '/api/v1/sales', async () => ({ ...saleBody(), register_id: 'BAD-SALE' }));
  await probe('POST /sales by channel', '/api/v1/sales', async () => ({ ...saleBody(), channel: 'online' }));
  // An offline sale (docs/offline-register.md): a number of a reserved block, when it was sold,
  // and the price each line charged; each try takes the next number of the block.
  const block = await s.post('/api/v1/registers/BAD-SALE/receipt-blocks', { size: 1000 });
  assert.equal(block.status, 201, block.text);
  let offlineNumber = block.json.from;
  const soldAt = new Date().toISOString();
  const offline = await probe('POST /sales made offline', '/api/v1/sales', async () => ({
    ...saleBody(), register_id: 'BAD-SALE', sold_at: soldAt,
    lines: [{ item_id: apple.id, quantity: 2, charged_price: 250 }, { code: apple.sku, quantity: 1, charged_price: 250 }],
  }), (b) => ({ ...b, id: uuidv7(), receipt_number: `BAD-SALE-${String(offlineNumber++).padStart(6, '0')}` }));
  assert.ok(offline.accepted > 0);
  // A sale caught by the cut: the number its register printed offline, recorded on the sale its
  // first try posted (every later try refused: the sale already carries a number of the block).
  const caught = await s.post('/api/v1/sales', { ...saleBody(), id: uuidv7(), register_id: 'BAD-SALE' });
  assert.equal(caught.status, 201, caught.text);
  await probe('POST /sales/{id}/offline-receipt', `/api/v1/sales/${caught.json.id}/offline-receipt`,
    async () => ({ receipt_number: `BAD-SALE-${String(offlineNumber++).padStart(6, '0')}` }), (b) => b);
  const quotes = await probe('POST /sales/quote', '/api/v1/sales/quote', async () => ({ ...saleBody(), register_id: 'BAD-SALE', training: false }));
  assert.ok(quotes.accepted > 0);

  // Returns: each probe needs a sale with something left to return.
  const sold = async () => {
    const r = await s.post('/api/v1/sales', { id: uuidv7(), location_id: shop.id, lines: [{ item_id: pear.id, quantity: 50 }], tenders: [{ type: 'cash', amount: 20000 }] });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const sale = await sold();
  await probe('POST /returns', '/api/v1/returns', async () => ({
    sale_id: sale.id, register_id: 'BAD-SALE', training: false,
    lines: [{ sale_line_id: sale.lines[0].id, quantity: 1, reason: 'defective', condition: 'opened', disposition: 'review' }],
  }));
  const sale2 = await sold();
  await probe('POST /exchanges', '/api/v1/exchanges', async () => ({
    return: { sale_id: sale2.id, lines: [{ sale_line_id: sale2.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, lines: [{ item_id: apple.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 500 }] },
  }));
  // An exchange made offline (docs/offline-register.md): its sale with a number of the block,
  // sold_at and charged prices; each try takes the next number of the block (a receipt_number
  // the probe mutated is sent as mutated).
  const sale4 = await sold();
  const offlineExchange = await probe('POST /exchanges made offline', '/api/v1/exchanges', async () => ({
    return: { sale_id: sale4.id, register_id: 'BAD-SALE', lines: [{ sale_line_id: sale4.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, register_id: 'BAD-SALE', receipt_number: 'NEXT', sold_at: soldAt, lines: [{ item_id: apple.id, quantity: 1, charged_price: 250 }], tenders: [] },
  }), (b) => ({ ...b, id: uuidv7(), sale: b.sale?.receipt_number === 'NEXT' ? { ...b.sale, receipt_number: `BAD-SALE-${String(offlineNumber++).padStart(6, '0')}` } : b.sale }));
  assert.ok(offlineExchange.accepted > 0);
  // A refund to store credit, to a new note and to an existing one, alone and in an exchange.
  const sale3 = await sold();
  const note = await s.post('/api/v1/returns', { sale_id: sale3.id, refund_to: 'store_credit', lines: [{ sale_line_id: sale3.lines[0].id, quantity: 1, reason: 'defective', condition: 'opened', disposition: 'review' }] });
  assert.equal(note.status, 201, note.text);
  const code = note.json.tenders[0].reference;
  await probe('POST /returns to store credit', '/api/v1/returns', async () => ({
    sale_id: sale3.id, refund_to: 'store_credit', refund_to_code: code,
    lines: [{ sale_line_id: sale3.lines[0].id, quantity: 1, reason: 'defective', condition: 'opened', disposition: 'review' }],
  }));
  await probe('POST /exchanges to store credit', '/api/v1/exchanges', async () => ({
    return: { sale_id: sale3.id, refund_to: 'store_credit', lines: [{ sale_line_id: sale3.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
    sale: { location_id: shop.id, lines: [{ item_id: apple.id, quantity: 1 }], tenders: [] },
  }));
  // refund_to names one destination: an unknown one, or refund_tenders as well, is refused by name.
  for (const [extra, field] of [
    [{ refund_to: 'gift_card' }, 'refund_to'],
    [{ refund_to: 'store_credit', refund_tenders: [{ type: 'cash', amount: 400 }] }, 'refund_to'],
    [{ refund_to_code: code }, 'refund_to_code'],
    [{ refund_to: 'store_credit', refund_to_code: 'SC-2222-3333-4444' }, 'refund_to_code'],
  ]) {
    const r = await s.post('/api/v1/returns', { sale_id: sale3.id, lines: [{ sale_line_id: sale3.lines[0].id, quantity: 1, reason: 'defective', condition: 'opened', disposition: 'review' }], ...extra });
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    assert.equal(r.json.field, field, r.text);
  }
  assertBooksHold(s.db);
});

test('mutated adjustments, transfers and register sessions are refused with problems, never 500', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 1000, 'opening');
  const loc = await s.post('/api/v1/locations', { name: `Bad input warehouse ${process.pid}`, kind: 'warehouse' });
  assert.equal(loc.status, 201, loc.text);
  await probe('POST /stock/adjustments', '/api/v1/stock/adjustments', async () => ({
    item_id: item.id, location_id: shop.id, quantity: -1, reason: 'damage', note: 'dropped', confirm: true, reason_code: 'damage',
  }));
  await probe('POST /transfers', '/api/v1/transfers', async () => ({
    from_location_id: shop.id, to_location_id: loc.json.id, note: 'restock', lines: [{ item_id: item.id, quantity: 1 }],
  }));
  // Receipts add up (each with its own id), so a big shipment leaves every accepted
  // mutation something to book; `close` comes last, so a mutation that closes it ends the probe.
  const t = await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: shop.id, to_location_id: loc.json.id, lines: [{ item_id: item.id, quantity: 500 }] });
  assert.equal(t.status, 201, t.text);
  await probe(`POST /transfers/{id}/receive`, `/api/v1/transfers/${t.json.id}/receive`, async () => ({
    lines: [{ line_id: t.json.lines[0].id, received: 1, damaged: 0 }], close: false,
  }));
  const u = await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: shop.id, to_location_id: loc.json.id, lines: [{ item_id: item.id, quantity: 300 }] });
  assert.equal(u.status, 201, u.text);
  await probe(`POST /transfers/{id}/receive by item`, `/api/v1/transfers/${u.json.id}/receive`, async () => ({
    lines: [{ item_id: item.id, received: 1 }],
  }));
  // Each try that is accepted cancels its transfer, so every try gets a transfer of its own.
  const inTransit = [];
  for (let i = 0; i < 30; i++) {
    const c = await s.post('/api/v1/transfers', { id: uuidv7(), from_location_id: shop.id, to_location_id: loc.json.id, lines: [{ item_id: item.id, quantity: 1 }] });
    assert.equal(c.status, 201, c.text);
    inTransit.push(c.json.id);
  }
  const cancels = await probe('POST /transfers/{id}/cancel', () => `/api/v1/transfers/${inTransit.pop()}/cancel`,
    async () => ({ reason: 'shipped to the wrong place' }), (b) => b);
  assert.ok(cancels.accepted > 0 && inTransit.length >= 0);
  await probe('POST /registers/{id}/sessions', () => `/api/v1/registers/BAD-${uuidv7().slice(-6)}/sessions`, async () => ({
    location_id: shop.id, opening_float: 10000,
  }), (b) => b);
  const open = await s.post('/api/v1/registers/BAD-CASH/sessions', { location_id: shop.id, opening_float: 10000 });
  assert.equal(open.status, 201, open.text);
  await probe('POST /registers/{id}/sessions/{s}/cash', `/api/v1/registers/BAD-CASH/sessions/${open.json.id}/cash`, async () => ({
    kind: 'paid_out', amount: 1, reason: 'change for the float',
  }), (b) => b);
  await probe('POST /registers/{id}/receipt-blocks', '/api/v1/registers/BAD-CASH/receipt-blocks', async () => ({ size: 5 }), (b) => b);
  // The base body closes the session; every mutation is still read (and refused) first.
  const closing = await s.post('/api/v1/registers/BAD-CLOSE/sessions', { location_id: shop.id, opening_float: 500 });
  assert.equal(closing.status, 201, closing.text);
  await probe('POST /registers/{id}/sessions/{s}/close', `/api/v1/registers/BAD-CLOSE/sessions/${closing.json.id}/close`, async () => ({
    counted: { cash: 500, card: 0, store_credit: 0 },
  }), (b) => b);
  assertBooksHold(s.db);
});

test('mutated purchase orders, their edits, receipts and closing are refused with problems, never 500', async () => {
  const supplier = await s.post('/api/v1/suppliers', { name: `Bad input supplier ${process.pid}` });
  assert.equal(supplier.status, 201, supplier.text);
  const ean = '87' + String(Date.now() % 1e10).padStart(10, '0');
  const digits = ean.split('').map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
  const item = await makeItem(s, { barcodes: [ean + ((10 - (sum % 10)) % 10)] });
  const orderBody = () => ({
    supplier_id: supplier.json.id, location_id: shop.id, expected_on: '2027-03-01', exact_cases: false, note: 'weekly',
    lines: [{ item_id: item.id, quantity: 1, unit_cost: 100 }],
  });
  await probe('POST /purchase-orders', '/api/v1/purchase-orders', async () => orderBody());
  const draft = await s.post('/api/v1/purchase-orders', orderBody());
  assert.equal(draft.status, 201, draft.text);
  const { supplier_id: _s, location_id: _l, ...patch } = orderBody();
  await probe('PATCH /purchase-orders/{id}', `/api/v1/purchase-orders/${draft.json.id}`, async () => patch, (b) => b, { method: 'PATCH' });
  // A big order, so every accepted receipt leaves something to book and none passes the tolerance.
  const big = await s.post('/api/v1/purchase-orders', { ...orderBody(), lines: [{ item_id: item.id, quantity: 900000, unit_cost: 1 }] });
  assert.equal(big.status, 201, big.text);
  assert.equal((await s.post(`/api/v1/purchase-orders/${big.json.id}/send`, {})).status, 200);
  const receipts = `/api/v1/purchase-orders/${big.json.id}/receipts`;
  await probe('POST /purchase-orders/{id}/receipts', receipts, async () => ({
    lines: [{ po_line_id: big.json.lines[0].id, received: 1, damaged: 0 }], override_token: 'bko_none',
  }));
  await probe('POST /purchase-orders/{id}/receipts by scans', receipts, async () => ({ scans: [item.barcodes[0].code, 'NOT-A-CODE'] }));
  await probe('PUT /settings/purchasing', '/api/v1/settings/purchasing', async () => ({ over_receive_tolerance_bp: 1000 }), (b) => b, { method: 'PUT' });
  // The base body closes the order; every mutation is still read (and refused) first.
  await probe('POST /purchase-orders/{id}/close', `/api/v1/purchase-orders/${big.json.id}/close`, async () => ({ reason: 'rest not available' }), (b) => b);
  assertBooksHold(s.db);
});

test('mutated replenishment orders and planning settings are refused with problems, never 500', async () => {
  const supplier = await s.post('/api/v1/suppliers', { name: `Bad input planning supplier ${process.pid}` });
  assert.equal(supplier.status, 201, supplier.text);
  const item = await makeItem(s, { category: 'Bad input', cost: 100 });
  await probe('POST /replenishment/orders', '/api/v1/replenishment/orders', async () => ({
    location_id: shop.id, supplier_id: supplier.json.id, lines: [{ item_id: item.id, quantity: 6 }],
  }));
  await probe('PUT /planning/service-levels', '/api/v1/planning/service-levels', async () => ({
    scope: 'category', key: 'Bad input', service_level: 0.97,
  }), (b) => b, { method: 'PUT' });
  await probe('PUT /planning/reorder-points', '/api/v1/planning/reorder-points', async () => ({
    item_id: item.id, location_id: shop.id, reorder_point: 4,
  }), (b) => b, { method: 'PUT' });
  const today = new Date().toISOString().slice(0, 10);
  await probe('POST /planning/prepare', '/api/v1/planning/prepare', async () => ({ as_of: today }), (b) => b);
  assertBooksHold(s.db);
});

test('document ids of the wrong shape are refused by name', async () => {
  const item = await makeItem(s);
  // (null is the same as no id: the server makes one.)
  for (const id of ['', 'x', 'not-a-uuid', '0'.repeat(36), 42, [], {}]) {
    const r = await s.post('/api/v1/stock/adjustments', { id, item_id: item.id, location_id: shop.id, quantity: 1, reason: 'found' });
    assert.ok(r.status >= 400 && r.status < 500, `id ${JSON.stringify(id)}: ${r.status} ${r.text}`);
    assert.equal(r.json.code && typeof r.json.code, 'string');
    if (r.status === 422) assert.equal(r.json.field, 'id', r.text);
  }
});

test('mutated store set-up bodies (registers, locations, tax categories, stock settings) are refused with problems, never 500', async () => {
  let n = 0;
  const named = (b) => (b.name === 'Probe till' ? { ...b, name: `Probe till ${++n}` } : b);
  await probe('POST /registers', '/api/v1/registers', async () => ({ name: 'Probe till', location_id: shop.id, printer_width: 58 }), named);
  const reg = await s.post('/api/v1/registers', { name: 'Patched till', location_id: shop.id });
  assert.equal(reg.status, 201, reg.text);
  await probe('PATCH /registers/{id}', `/api/v1/registers/${reg.json.id}`, async () => ({ name: 'Patched till', location_id: shop.id, printer_width: 80 }),
    (b) => b, { method: 'PATCH' });
  const site = await s.post('/api/v1/locations', { name: `Set-up probe ${process.pid}`, kind: 'store' });
  assert.equal(site.status, 201, site.text);
  await probe('PATCH /locations/{id}', `/api/v1/locations/${site.json.id}`, async () => ({
    name: `Set-up probe ${process.pid}`,
    receipt: { shop_name: 'Probe Shop', address: '1 Probe Street', tax_number: 'NL0001', footer: 'Returns within 30 days' },
    default_tax_category: 'standard',
  }), (b) => b, { method: 'PATCH' });
  await probe('PUT /tax-categories/{code}', '/api/v1/tax-categories/probe', async () => ({ name: 'Probe', rate: 500, default: false }),
    (b) => ({ ...b, default: false }), { method: 'PUT' });
  await probe('PUT /settings/stock', '/api/v1/settings/stock', async () => ({ adjustment_confirm_quantity: 1000, adjustment_confirm_value: 100000000 }),
    (b) => b, { method: 'PUT' });
  await probe('PUT /settings/rate-limits', '/api/v1/settings/rate-limits', async () => ({ default_per_minute: 100000, roles: { cashier: 100000 } }),
    (b) => b, { method: 'PUT' });
  // Back to the harness's limit (lib/server.mjs): this suite sends thousands of requests a minute.
  assert.equal((await s.put('/api/v1/settings/rate-limits', { default_per_minute: 1000000 })).status, 200);
  const reset = await s.put('/api/v1/settings/stock', { adjustment_confirm_quantity: null, adjustment_confirm_value: null });
  assert.equal(reset.status, 200, reset.text);
  // The shop default stays a category with a rate whatever was sent.
  const categories = await s.get('/api/v1/tax-categories');
  assert.ok(categories.json.tax_categories.some((c) => c.code === categories.json.default_tax_category));
  assertBooksHold(s.db);
});

test('mutated supplier bodies (suppliers, supplier items, payment changes, price lists) are refused with problems, never 500', async () => {
  const same = (b) => b;
  await probe('POST /suppliers', '/api/v1/suppliers', async () => ({
    name: 'Probe supplier', contact: { email: 'probe@example.com', phone: '+31 20 555 0100' }, lead_time_days: 2,
    lead_time_sd_days: 0.5, order_days: ['mon', 'thu'], min_order_value: 10000, free_freight_value: 20000, status: 'active',
    payment: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'DEUTDEFF', account_name: 'Probe BV', reason: 'new supplier' },
  }), same);
  const sup = await s.post('/api/v1/suppliers', { name: 'Patched probe supplier' });
  assert.equal(sup.status, 201, sup.text);
  // The version in the body goes stale after the first accepted PATCH (412): each mutation is
  // still read, and refused by field, before the version is compared.
  await probe('PATCH /suppliers/{id}', `/api/v1/suppliers/${sup.json.id}`, async () => ({
    name: 'Patched probe supplier', contact: { email: 'p@example.com' }, order_days: ['fri'], version: 1,
    payment: { iban: 'GB82 WEST 1234 5698 7654 32', bic: 'NWBKGB2L' },
  }), same, { method: 'PATCH' });
  const item = await makeItem(s);
  await probe('POST /suppliers/{id}/items', `/api/v1/suppliers/${sup.json.id}/items`, async () => ({
    item_id: item.id, supplier_sku: 'PROBE-1', cost: 250, case_pack: 6, case_gtin: '10012345000017', min_order_units: 12, preferred: true,
  }), same);
  const filed = await s.post('/api/v1/suppliers', { name: 'Rejected probe supplier', payment: { iban: 'NL91 ABNA 0417 1643 00' } });
  assert.equal(filed.status, 201, filed.text);
  const manager = await s.as('manager');  // not the admin key that filed it
  const rejected = await manager.post(`/api/v1/supplier-changes/${filed.json.change_id}/reject`, { note: 'x' });
  assert.equal(rejected.status, 200, rejected.text);
  await probe('POST /supplier-changes/{id}/reject', `/api/v1/supplier-changes/${filed.json.change_id}/reject`, async () => ({ note: 'probe' }),
    same, { baseWorks: false });
  // Price lists are CSV: broken files are a report, never a 500.
  const csvUrl = `/api/v1/suppliers/${sup.json.id}/price-list`;
  const broken = ['', '\uFEFF', 'sku', 'sku,cost\n"unterminated', 'sku,cost\nA,1,2', `sku,cost\n${item.sku},-1`, `sku,cost\n${item.sku},1e5`,
    `gtin,cost\n${'9'.repeat(200)},1`, 'cost\n1', `sku,cost,case_pack\n${item.sku},1,0`, `sku,cost,case_gtin\n${item.sku},1,x`,
    `sku,cost,preferred\n${item.sku},1,maybe`, 'a,'.repeat(300), '\u0000,\u0000', `sku,sku,cost\n${item.sku},${item.sku},1`];
  for (const body of broken) {
    const r = await s.post(csvUrl, body, { 'content-type': 'text/csv' });
    assert.ok(r.status >= 400 && r.status < 500, `price list ${JSON.stringify(body).slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(typeof r.json?.code, 'string', r.text);
  }
});

test('mutated cutover task bodies are refused with problems, never 500', async () => {
  await probe('PATCH /cutover/{key}', '/api/v1/cutover/registers', async () => ({ due_on: '2027-02-01', done: false, note: 'probe' }),
    (b) => b, { method: 'PATCH' });
});

test('broken opening-stock files are a report, never a 500, and write nothing', async () => {
  const item = await makeItem(s, { price: 300 });
  const weighed = await makeItem(s, { price: 300, sold_by_weight: true, unit: 'kg' });
  const broken = ['', '\uFEFF', 'sku', 'sku,quantity\n"unterminated', 'sku,quantity\nA,1,2', `sku,quantity\n${item.sku},-1`,
    `sku,quantity\n${item.sku},1e5`, `sku,quantity\n${item.sku},1.5`, `sku,quantity\n${item.sku},abc`, `barcode,quantity\n${'9'.repeat(200)},1`,
    'quantity\n1', 'sku\nA', `sku,location,quantity\n${item.sku},Nowhere,1`, `sku,quantity,colour\n${item.sku},1,red`,
    'a,'.repeat(300), '\u0000,\u0000', `sku,sku,quantity\n${item.sku},${item.sku},1`, `sku,quantity\n${item.sku},1\n${item.sku},2`,
    `sku,quantity\n${weighed.sku},99999999999999999999`];
  for (const body of broken) {
    const r = await s.post('/api/v1/stock/opening', body, { 'content-type': 'text/csv' });
    assert.ok(r.status >= 400 && r.status < 500, `opening ${JSON.stringify(body).slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(typeof r.json?.code, 'string', r.text);
  }
  const json = await s.post('/api/v1/stock/opening', { sku: item.sku, quantity: 1 });
  assert.equal(json.status, 415, json.text);
  assert.equal(await onHand(s, item, shop), 0, 'nothing was written');
});

test('broken supplier files are a report, never a 500, and write nothing', async () => {
  const name = `Broken import ${process.pid}`;
  const broken = ['', '\uFEFF', 'name', 'name\n"unterminated', `name\n${name},x`, `name,email\n${name},@`, `name,phone\n${name},call me`,
    `name,lead_time_days\n${name},-1`, `name,lead_time_days\n${name},1e3`, `name,lead_time_days\n${name},99999999999999999999`,
    `name,lead_time_sd_days\n${name},abc`, `name,order_days\n${name},mon mon`, `name,order_days\n${name},${'mon,'.repeat(9)}`,
    `name,min_order_value\n${name},1.234`, `name,min_order_value\n${name},-5`, `name,free_freight_value\n${name},99999999999999999999`,
    `name,status\n${name},sleeping`, `name,iban\n${name},DE00 0000`, `name,iban,bic\n${name},DE89370400440532013000,XX`,
    `name,bic\n${name},DEUTDEFF`, `name,account_name\n${name},\u0007`, `name\n${'x'.repeat(300)}`, `name\n${name} 4111 1111 1111 1111`,
    'name\n   ', `name,colour\n${name},red`, 'a,'.repeat(300), '\u0000,\u0000', `name,name\n${name},${name}`];
  for (const body of broken) {
    const r = await s.post('/api/v1/suppliers/import', body, { 'content-type': 'text/csv' });
    assert.ok(r.status >= 400 && r.status < 500, `supplier import ${JSON.stringify(body).slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(typeof r.json?.code, 'string', r.text);
  }
  const json = await s.post('/api/v1/suppliers/import', { name });
  assert.equal(json.status, 415, json.text);
  const dry = await s.post('/api/v1/suppliers/import?dry_run=maybe', `name\n${name}\n`, { 'content-type': 'text/csv' });
  assert.equal(dry.status, 422, dry.text);
  assert.equal(dry.json.field, 'dry_run');
  const found = await s.get(`/api/v1/suppliers?q=${encodeURIComponent(name)}`);
  assert.deepEqual(found.json.suppliers, [], 'nothing was written');
});

test('mutated customer bodies and broken customer files (issue 22) are refused with problems, never 500, and write nothing', async () => {
  const same = (b) => b;
  let n = 0;
  // A fresh phone and email per body: an accepted mutation must not make the next one a duplicate.
  const fresh = (b) => {
    n += 1;
    const out = { ...b };
    if (typeof out.phone === 'string' && out.phone.startsWith('+46')) out.phone = `+46 70 ${String(1000000 + n)}`;
    if (typeof out.email === 'string' && out.email.endsWith('@example.com')) out.email = `probe${n}@example.com`;
    return out;
  };
  await probe('POST /customers', '/api/v1/customers', async () => ({
    name: 'Probe Customer', phone: '+46 70 123 45 67', email: 'probe@example.com', note: 'likes tulips', marketing_consent: true,
  }), fresh);
  const c = await s.post('/api/v1/customers', { name: 'Patched probe customer' });
  assert.equal(c.status, 201, c.text);
  await probe('PATCH /customers/{id}', `/api/v1/customers/${c.json.id}`, async () => ({
    name: 'Patched probe customer', phone: '+46 70 999 00 00', email: 'patched@example.com', marketing_consent: false, version: 1,
  }), same, { method: 'PATCH' });
  await probe('PUT /settings/customers', '/api/v1/settings/customers', async () => ({ default_calling_code: '46' }), same, { method: 'PUT' });
  await probe('PUT /settings/sales', '/api/v1/settings/sales', async () => ({ negative_stock: 'allow', no_receipt_refund: 'store_credit' }),
    same, { method: 'PUT' });
  await probe('PUT /settings/offline-returns', '/api/v1/settings/offline-returns', async () => ({ offline_returns: 'allow', offline_return_limit: 2500 }),
    same, { method: 'PUT' });
  assert.equal((await s.put('/api/v1/settings/offline-returns', { offline_returns: 'refuse' })).status, 200);
  const name = `Broken customer import ${process.pid}`;
  const broken = ['', '\uFEFF', 'name', 'name\n"unterminated', `name\n${name},x`, `name,email\n${name},@`, `name,phone\n${name},call me`,
    `name,phone\n${name},+0 12345678`, `name,phone\n${name},+46 ${'1'.repeat(20)}`, `name,email\n${name},a@b`,
    `name,email\n${name},${'a'.repeat(300)}@example.com`, `name,marketing_consent\n${name},maybe`, `name,number\n${name},C-x`,
    `name,number\n${name},C-999999`, `name,note\n${name},card 4111 1111 1111 1111`, `name\n${'x'.repeat(300)}`,
    'name\n   ', `name,colour\n${name},red`, 'a,'.repeat(300), '\u0000,\u0000', `name,name\n${name},${name}`,
    `name,phone\n${name},+46701112233\n${name} 2,+46 70 111 22 33`];
  for (const body of broken) {
    const r = await s.post('/api/v1/customers/import', body, { 'content-type': 'text/csv' });
    assert.ok(r.status >= 400 && r.status < 500, `customer import ${JSON.stringify(body).slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(typeof r.json?.code, 'string', r.text);
  }
  const json = await s.post('/api/v1/customers/import', { name });
  assert.equal(json.status, 415, json.text);
  const dry = await s.post('/api/v1/customers/import?dry_run=maybe', `name\n${name}\n`, { 'content-type': 'text/csv' });
  assert.equal(dry.status, 422, dry.text);
  assert.equal(dry.json.field, 'dry_run');
  for (const q of ['phone=abc', 'email=nope', `q=${'x'.repeat(300)}`, 'cursor=zzz', 'limit=0'])
    assert.equal((await s.get(`/api/v1/customers?${q}`)).status, 422, q);
  const found = await s.get(`/api/v1/customers?q=${encodeURIComponent(name)}`);
  assert.deepEqual(found.json.customers, [], 'nothing was written');
});

test('mutated count bodies (settings, pins, counts, lines, approval) are refused with problems, never 500', async () => {
  const item = await makeItem(s, { cost: 100 });
  await adjust(s, item, shop, 50, 'opening');
  const same = (b) => b;
  const settings = (await s.get('/api/v1/counts/settings')).json;
  await probe('PUT /counts/settings', '/api/v1/counts/settings', async () => settings, same, { method: 'PUT' });
  assert.equal((await s.put('/api/v1/counts/settings', settings)).status, 200);
  await probe('POST /counts/classes/recompute', '/api/v1/counts/classes/recompute', async () => ({ location_id: shop.id }), same);
  await probe('POST /counts/classes/pins', '/api/v1/counts/classes/pins', async () => ({ location_id: shop.id, item_id: item.id, class: 'B' }), same);
  await probe('POST /counts', '/api/v1/counts', async () => ({ location_id: shop.id, item_ids: [item.id] }));
  await probe('POST /counts by plan', '/api/v1/counts', async () => ({ location_id: shop.id, plan: 'negative' }), (b) => ({ ...b, id: uuidv7() }), { baseWorks: false });
  const count = await s.post('/api/v1/counts', { location_id: shop.id, item_ids: [item.id] });
  assert.equal(count.status, 201, count.text);
  // The admin counts once; every mutation after that is refused (same_user) or read and refused first.
  await probe('POST /counts/{id}/lines', `/api/v1/counts/${count.json.id}/lines`, async () => ({
    item_id: item.id, counted: 49.5, counted_at: new Date().toISOString(), photo: 'data:image/png;base64,iVBORw0KGgo=',
  }));
  const approver = await s.as('manager');
  const approve = `/api/v1/counts/${count.json.id}/approve`;
  const r = await approver.post(approve, { reasons: [{ item_id: item.id, reason: 'damage' }] });
  assert.equal(r.status, 200, r.text);
  await probe('POST /counts/{id}/approve', approve, async () => ({ reasons: [{ item_id: item.id, reason: 'damage' }] }), same, { baseWorks: false });
  for (const q of ['location_id=x', 'location_id=', `location_id=${shop.id}&date=2027-02-30`, `location_id=${shop.id}&date=tomorrow`]) {
    const t = await s.get(`/api/v1/counts/today?${q}`);
    assert.equal(t.status, 422, `${q}: ${t.text}`);
  }
  for (const q of ['from=2027-13-01', 'from=2027-03-02&to=2027-03-01', 'location_id=nope']) {
    const t = await s.get(`/api/v1/counts/accuracy?${q}`);
    assert.equal(t.status, 422, `${q}: ${t.text}`);
  }
  assertBooksHold(s.db);
});

test('mutated review actions (issue 18) are refused with problems, never 500', async () => {
  const owner = await s.createUser({ username: `review-owner-${process.pid}`, role: 'manager', display_name: 'Review Owner' });
  const item = await makeItem(s);
  await probe('POST /reports/actions', '/api/v1/reports/actions', async () => ({
    note: 'Face up the cola shelf twice a day', owner_id: owner.id, due_on: '2026-12-24', week: '2026-12-01',
    kpi: 'stockout_rate', item_id: item.id, location_id: shop.id,
  }));
  const made = await s.post('/api/v1/reports/actions', { note: 'Probe action', owner_id: owner.id, due_on: '2026-12-24' });
  assert.equal(made.status, 201, made.text);
  // The version goes stale after the first accepted PATCH (412): each mutation is still read,
  // and refused by field, before the version is compared.
  await probe('PATCH /reports/actions/{id}', `/api/v1/reports/actions/${made.json.id}`, async () => ({
    version: 1, note: 'Probe action, again', owner_id: owner.id, due_on: '2026-12-31', status: 'done', outcome: 'shelf full',
  }), (b) => b, { method: 'PATCH' });
});

test('mutated mapping tables (issue 19) are refused with problems, never 500', async () => {
  await probe('PUT /mappings/{name}', '/api/v1/mappings/probe', async () => ({
    fields: { 'Variant SKU': 'sku' },
    values: { location: { 'Main Street': shop.id }, tax_category: { 'TRUE': 'standard' } },
    reviewed_on: '2026-12-01',
  }), (b) => b, { method: 'PUT' });
});

test('broken Shopify and Square files (issue 19) are refused with problems naming a row, never 500', async () => {
  const bodies = [
    '', '\u0000\u0001', 'Handle,Title\r\n"unclosed,x\r\n', 'Handle,Handle,Title\r\na,a,b\r\n',
    `Handle,Title,Variant SKU,Variant Price\r\n${'x'.repeat(70_000)},T,S,1\r\n`,
    'Handle,Title,Variant SKU,Variant Price,Variant Inventory Qty\r\na,T,S,-1,1e9\r\n',
    'Handle,Title,Variant SKU,Variant Price,Variant Barcode\r\na,T,@@@,1.00,12\r\n',
    'Item Name,Variation Name,SKU,Price\r\nCup,,,\r\nCup,,,x\r\n', '💥,💥\r\n💥,💥\r\n',
  ];
  for (const format of ['shopify', 'square'])
    for (const body of bodies) {
      const r = await s.request('POST', `/api/v1/items/import?format=${format}`, body, { 'content-type': 'text/csv' });
      const where = `${format} ${JSON.stringify(body.slice(0, 40))}`;
      assert.equal(r.status, 422, `${where}: ${r.status} ${r.text.slice(0, 300)}`);
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/, where);
      assert.equal(r.json.code, 'import_rejected', where);
      assert.ok(r.json.report.errors.length > 0 && r.json.report.errors.every((e) => Number.isInteger(e.row) && e.code), where);
    }
});

test('mutated webhook bodies (issue 19) are refused with problems, never 500', async () => {
  // A receiver nobody listens on, for an event this suite never makes: nothing is delivered.
  const table = await s.put('/api/v1/mappings/probe-hooks', { fields: { store: 'location_id' }, values: { location_id: { 'S-1': 'x' } } });
  assert.ok(table.status === 200 || table.status === 201, table.text);
  const endpointBody = { url: 'http://127.0.0.1:9/hook', event_types: ['count.approved'], description: 'probe', owner: 'probe@shop.test', mapping: 'probe-hooks' };
  await probe('POST /webhooks/endpoints', '/api/v1/webhooks/endpoints', async () => endpointBody, (b) => b);
  const made = await s.post('/api/v1/webhooks/endpoints', endpointBody);
  assert.ok(made.status === 201 || made.json?.code === 'too_many_endpoints', made.text);
  const id = made.status === 201 ? made.json.id : (await s.get('/api/v1/webhooks/endpoints?limit=1')).json.endpoints[0].id;
  const version = (await s.get(`/api/v1/webhooks/endpoints/${id}`)).json.version;
  await probe('PATCH /webhooks/endpoints/{id}', `/api/v1/webhooks/endpoints/${id}`, async () => ({
    version, url: 'http://127.0.0.1:9/other', event_types: ['count.*'], description: 'probe again', owner: 'ops', enabled: true,
    mapping: 'probe-hooks',
  }), (b) => b, { method: 'PATCH' });
  await probe('POST /webhooks/dead-letters/replay', '/api/v1/webhooks/dead-letters/replay', async () => ({
    endpoint_id: id, since: '2026-12-01T00:00:00Z',
  }), (b) => b);
  // No alert exists here: the bodies are still read, and refused by field, before the lookup.
  await probe('POST /alerts/{id}/resolve', '/api/v1/alerts/0190f3a4-1b2c-7d3e-8f40-123456789abc/resolve', async () => ({ note: 'root cause' }),
    (b) => b, { baseWorks: false });
  for (const url of ['ftp://x/y', 'http://user:pw@x/y', 'http:///nohost', 'not a url', 'http://x/#frag'])
    assert.equal((await s.post('/api/v1/webhooks/endpoints', { ...endpointBody, url })).json?.field, 'url', url);
  assert.equal((await s.post('/api/v1/webhooks/endpoints', { ...endpointBody, event_types: ['sale.complete'] })).json?.field, 'event_types[0]');
  // A mapping is named by a mapping's name, and it must exist (GET /api/v1/mappings/{name}).
  for (const mapping of ['Not A Name', 'no-such-mapping', '', 7, ['probe-hooks'], 'x'.repeat(41)]) {
    const r = await s.post('/api/v1/webhooks/endpoints', { ...endpointBody, mapping });
    assert.equal(r.status, 422, `${JSON.stringify(mapping)}: ${r.text}`);
    assert.equal(r.json.field, 'mapping', r.text);
  }
});

test('mutated store-node pushes and conflict notes (issue 21) are refused with problems, never 500; the books hold', async () => {
  const item = await makeItem(s, { price: 700 });
  // A store of its own: a store with a node keeps its stock on the node (head office refuses
  // to adjust it), and later tests adjust the shop's store.
  const place = await s.post('/api/v1/locations', { name: `Bad-input node store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const node = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(node.status, 201, node.text);
  const nodeClient = s.withKey(node.json.key);
  const document = () => {
    const id = uuidv7();
    return { id, type: 'sale.completed', entity_id: id, at: '2026-12-03T10:00:00Z',
      payload: { receipt_number: 'R-1', lines: [{ item_id: item.id, quantity: 1, unit_price: 700 }] },
      movements: [{ item_id: item.id, location_kind: 'store', quantity: -1, reason: 'sale', document_type: 'sale', document_id: id, document_line_id: null }] };
  };
  // Each mutation is a new document (a new id), so whatever is accepted is posted.
  const fresh = (b) => (Array.isArray(b.documents)
    ? { ...b, documents: b.documents.map((d) => (d && typeof d === 'object' && !Array.isArray(d) ? { ...d, id: uuidv7() } : d)) }
    : b);
  const pushes = await probe('POST /sync/documents', '/api/v1/sync/documents', async () => ({ documents: [document()], through: 7 }), fresh, { client: nodeClient });
  assert.ok(pushes.accepted > 0);
  // A push sent while the one before it is on the way names that one's end (`after`): every
  // mutation is refused with a problem or kept in order, never a 500.
  const placed = await nodeClient.post('/api/v1/sync/documents', { documents: [document()], through: 7 });
  assert.equal(placed.status, 200, placed.text);
  await probe('POST /sync/documents after a push on the way', '/api/v1/sync/documents',
    async () => ({ after: 7, documents: [document()], through: 7 }), fresh, { client: nodeClient });
  await probe('POST /sync/conflicts/{id}/resolve', `/api/v1/sync/conflicts/${uuidv7()}/resolve`, async () => ({ note: 'relabelled the shelf', settlement: 'written_off' }),
    (b) => b, { baseWorks: false });
  // A store node's receipt of a transfer from head office: every body error is 422 before the
  // transfer is looked up (this server holds none: a well-formed body is 404).
  await probe('POST /sync/inbound-transfers/{id}/receive', `/api/v1/sync/inbound-transfers/${uuidv7()}/receive`,
    async () => ({ location_id: uuidv7(), lines: [{ line_id: uuidv7(), received: 1, damaged: 0 }, { item_id: uuidv7(), received: 0 }] }),
    (b) => b, { baseWorks: false });
  // A store node's delivery of a purchase order head office sent for its store: every body
  // error is 422 before the order is looked up (this server holds none: a well-formed body is 404).
  await probe('POST /sync/inbound-orders/{id}/receive', `/api/v1/sync/inbound-orders/${uuidv7()}/receive`,
    async () => ({ location_id: uuidv7(), override_token: 'ovr-token', lines: [{ po_line_id: uuidv7(), received: 2, damaged: 1 }, { item_id: uuidv7(), received: 0 }] }),
    (b) => b, { baseWorks: false });
  // A store node's cancel of its own shipment: every body error is 422 before the shipment is
  // looked up (this server holds none: a well-formed body is 404).
  await probe('POST /sync/outbound-transfers/{id}/cancel', `/api/v1/sync/outbound-transfers/${uuidv7()}/cancel`,
    async () => ({ reason: 'the van never left' }), (b) => b, { baseWorks: false });
  await probe('POST /sync/conflicts/{id}/retry', `/api/v1/sync/conflicts/${uuidv7()}/retry`, async () => ({ note: 'made the item', to_location_id: uuidv7() }),
    (b) => b, { baseWorks: false });
  // Head office's word on a store credit note, asked by a node (GET /sync/store-credits/{code}):
  // a code that is not letters, digits and dashes is 422 naming `code`; an unknown one 404.
  for (const bad of ['%20', 'SC%3B1', 'x'.repeat(41), '%00', 'SC-%C3%A9', 'SC_1', '%27%20OR%201%3D1']) {
    const r = await nodeClient.get(`/api/v1/sync/store-credits/${bad}`);
    assert.equal(r.status, 422, `${bad}: ${r.text}`);
    assert.equal(r.json.code, 'invalid_field', r.text);
    assert.equal(r.json.field, 'code', r.text);
  }
  assert.equal((await nodeClient.get('/api/v1/sync/store-credits/sc-2222%203333-4444')).status, 404);
  // A node's change requests (edits of master data made at the store) and their decisions.
  const request = () => ({ id: uuidv7(), method: 'PATCH', path: `/api/v1/items/${item.id}`, query: [['dry_run', 'false']],
    route: '/api/v1/items/{id}', action: 'Change an item', content_type: 'application/json', if_match: `"v${item.version}"`,
    body: '{"name":"Probe"}', subject: { item: { id: item.id, sku: item.sku, name: item.name } }, requested_by: 'probe',
    requested_at: '2026-12-03T10:00:00Z' });
  const freshRequests = (b) => (Array.isArray(b.change_requests)
    ? { ...b, change_requests: b.change_requests.map((c) => (c && typeof c === 'object' && !Array.isArray(c) ? { ...c, id: uuidv7() } : c)) }
    : b);
  const requests = await probe('POST /sync/change-requests', '/api/v1/sync/change-requests',
    async () => ({ change_requests: [request()], pending: [uuidv7()] }), freshRequests, { client: nodeClient });
  assert.ok(requests.accepted > 0);
  const pending = (await s.get('/api/v1/sync/change-requests?status=pending&limit=1')).json.change_requests[0];
  await probe('POST /sync/change-requests/{id}/reject', `/api/v1/sync/change-requests/${pending.id}/reject`, async () => ({ note: 'not at this store' }),
    (b) => b, { baseWorks: false });
  await probe('POST /sync/change-requests/{id}/apply', `/api/v1/sync/change-requests/${pending.id}/apply`, async () => ({ x: 1 }),
    (b) => b, { baseWorks: false });
  assertBooksHold(s.db);
});

test('mutated online orders, picks, staging, pickup and order settings (issue 20) are refused with problems, never 500', async () => {
  const item = await makeItem(s, { price: 700 });
  await adjust(s, item, shop, 100000, 'opening');
  const orderBody = () => ({
    channel: 'web', external_id: `BAD-${uuidv7()}`, location_id: shop.id, promised_at: '2027-01-02T10:00:00Z',
    customer: { name: 'Probe Customer', phone: '+31600000000', email: 'probe@example.com' },
    lines: [{ item_id: item.id, quantity: 1, unit_price: 700 }, { sku: item.sku, quantity: 2, unit_price: 700 }],
    paid: true,
  });
  const fresh = (b) => ({ ...b, id: uuidv7(), ...(typeof b.external_id === 'string' && b.external_id.startsWith('BAD-') ? { external_id: `BAD-${uuidv7()}` } : {}) });
  await probe('POST /online-orders', '/api/v1/online-orders', async () => orderBody(), fresh);
  const big = await s.post('/api/v1/online-orders', { ...orderBody(), lines: [{ item_id: item.id, quantity: 10000, unit_price: 1 }] });
  assert.equal(big.status, 201, big.text);
  const base = `/api/v1/online-orders/${big.json.id}`;
  await probe('POST /online-orders/{id}/pick', `${base}/pick`, async () => ({ item_id: item.id, quantity: 1 }), (b) => b);
  await probe('POST /online-orders/{id}/short', `${base}/short`, async () => ({ line_id: big.json.lines[0].id }), (b) => b);
  await probe('POST /online-orders/{id}/stage', `${base}/stage`, async () => ({ spot: 'P-1' }), (b) => b);
  await probe('POST /online-orders/pickup', '/api/v1/online-orders/pickup', async () => ({ pickup_code: big.json.pickup_code, tenders: [{ type: 'cash', amount: 1 }] }), (b) => b);
  // A substitute offered for a short line: each offer withdraws the one before, so the base works again.
  const sub = await makeItem(s, { price: 650 });
  await adjust(s, sub, shop, 10, 'opening');
  const shortOrder = await s.post('/api/v1/online-orders', { ...orderBody(), lines: [{ item_id: item.id, quantity: 1, unit_price: 700 }] });
  assert.equal(shortOrder.status, 201, shortOrder.text);
  assert.equal((await s.post(`/api/v1/online-orders/${shortOrder.json.id}/short`, { line_id: shortOrder.json.lines[0].id })).status, 200);
  await probe('POST /online-orders/{id}/substitutions', `/api/v1/online-orders/${shortOrder.json.id}/substitutions`,
    async () => ({ line_id: shortOrder.json.lines[0].id, item_id: sub.id, quantity: 1, unit_price: 650 }), (b) => b);
  const other = await s.post('/api/v1/online-orders', orderBody());
  await probe('POST /online-orders/{id}/cancel', `/api/v1/online-orders/${other.json.id}/cancel`, async () => ({ reason: 'customer called' }), (b) => b);
  await probe('PATCH /settings/orders', '/api/v1/settings/orders', async () => ({ hold_expiry_hours: 48, safety_buffer: 0, low_stock_threshold: 2 }), (b) => b, { method: 'PATCH' });
  await probe('PUT /integrations/{channel}', '/api/v1/integrations/woocommerce', async () => ({ secret: 'probe-secret-0123456789', location_id: shop.id }), (b) => b, { method: 'PUT' });
  assertBooksHold(s.db);
});

test('mutated shelves and photos are refused with problems, never 500, and change nothing', async () => {
  const item = await makeItem(s);
  await probe('PUT /items/{id}/shelves/{location_id}', `/api/v1/items/${item.id}/shelves/${shop.id}`, async () => ({ shelf: 'Probe shelf' }), (b) => b, { method: 'PUT' });
  // A photo is a picture, not JSON: every kind of wrong body and type, each refused as a problem.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  assert.equal((await s.put(`/api/v1/items/${item.id}/photo`, png, { 'content-type': 'image/png' })).status, 200);
  const bodies = [
    [png.subarray(0, 7), 'image/png'], [Buffer.from('\xFF\xD8', 'latin1'), 'image/jpeg'], [Buffer.from('RIFF\0\0\0\0WEBQ', 'latin1'), 'image/webp'],
    [Buffer.from('RIFF'), 'image/webp'], [png, 'image/webp'], [png, 'image/svg+xml'], [png, ''], [png, 'application/json'],
    [Buffer.from('{"photo": "x"}'), 'application/json'], [Buffer.alloc(0), 'image/jpeg'], [Buffer.from('\xFF\xD8\xFF' + 'x'.repeat(300 * 1024), 'latin1'), 'image/jpeg'],
    [png, 'image/png'.repeat(40)], [png, 'IMAGE/PNG; q=1'],
  ];
  for (const [body, type] of bodies) {
    const r = await s.request('PUT', `/api/v1/items/${item.id}/photo`, body, type ? { 'content-type': type } : {});
    if (type.toLowerCase().startsWith('image/png') && r.status === 200) continue;  // a parameter after the type is allowed
    assert.ok(r.status >= 400 && r.status < 500, `${type}: ${r.status} ${r.text}`);
    assert.equal(r.headers.get('content-type'), 'application/problem+json', type);
    assert.ok(r.json.code && r.json.field, `${type}: ${r.text}`);
  }
  const kept = await checkedFetch(`${s.url}/api/v1/items/${item.id}/photo`, { headers: s.headers });
  assert.ok(Buffer.from(await kept.arrayBuffer()).equals(png), 'the photo is the last good one');
});

test('mutated price change requests with a promotion and its end (issue 17) are refused with problems, never 500', async () => {
  const item = await makeItem(s, { price: 500 });
  const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString();
  await probe('POST /price-changes', '/api/v1/price-changes', async () => ({
    item_id: item.id, price: 450, reason: 'probe promotion', promotion: true, effective_at: day(2), ends_at: day(9),
  }), (b) => b);
  // An end without the flag, or not after the start: the field is named.
  for (const body of [{ promotion: false }, { ends_at: day(2) }, { ends_at: day(1) }]) {
    const r = await s.post('/api/v1/price-changes', { item_id: item.id, price: 450, reason: 'probe', promotion: true, effective_at: day(2), ends_at: day(9), ...body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.field, 'ends_at');
  }
});

test('bad queries of the store-credit report and the notes list (issue 21) are 422 problems naming the field', async () => {
  const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const bin = (await s.get('/api/v1/locations')).json.locations.find((l) => l.parent_id === shop.id);
  const warehouse = await s.post('/api/v1/locations', { name: `Credit probe warehouse ${process.pid}`, kind: 'warehouse' });
  assert.equal(warehouse.status, 201, warehouse.text);
  const probes = [
    ['/api/v1/reports/store-credit', 'from=2026-02-30', 'from'],
    ['/api/v1/reports/store-credit', 'from=last-monday', 'from'],
    ['/api/v1/reports/store-credit', 'to=2026-13-01', 'to'],
    ['/api/v1/reports/store-credit', `to=${day(1)}`, 'to'],
    ['/api/v1/reports/store-credit', `from=${day(0)}&to=${day(-1)}`, 'from'],
    ['/api/v1/reports/store-credit', `from=${day(-366)}&to=${day(0)}`, 'from'],
    ['/api/v1/reports/store-credit', 'location_id=nope', 'location_id'],
    ['/api/v1/reports/store-credit', `location_id=${bin.id}`, 'location_id'],
    ['/api/v1/reports/store-credit', `location_id=${warehouse.json.id}`, 'location_id'],
    ['/api/v1/reports/store-credit', 'format=xml', 'format'],
    ['/api/v1/store-credits', 'open=yes', 'open'],
    ['/api/v1/store-credits', 'limit=0', 'limit'],
    ['/api/v1/store-credits', 'cursor=nope', 'cursor'],
  ];
  for (const [route, query, field] of probes) {
    const r = await s.get(`${route}?${query}`);
    assert.equal(r.status, 422, `${route}?${query}: ${r.text}`);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/, query);
    assert.equal(r.json.field, field, `${route}?${query}`);
  }
  // The longest period is 366 days, both ends counted.
  assert.equal((await s.get(`/api/v1/reports/store-credit?from=${day(-365)}&to=${day(0)}`)).status, 200);
});
