// Store set-up over real HTTP (issue 13): registers with names and receipt paper, a store's
// receipt header and footer and default tax category, tax categories, the confirmation an
// outsized stock adjustment needs, location scope on reservations and transfer receiving,
// and receipts that print what the store set up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createKey, checkedFetch } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let second;
before(async () => {
  s = await startServer();
  shop = await store(s);
  const r = await s.post('/api/v1/locations', { name: 'Second store', kind: 'store' });
  assert.equal(r.status, 201, r.text);
  second = r.json;
});
after(async () => { await s.stop(); });

test('registers: created with a name, a store and receipt paper; listed, read, renamed, moved', async () => {
  const created = await s.post('/api/v1/registers', { name: 'Front till', location_id: shop.id, printer_width: 58 });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.id, /^REG-\d+$/);
  assert.deepEqual({ ...created.json, created_at: undefined },
    { id: created.json.id, name: 'Front till', location: { id: shop.id, name: shop.name }, location_id: shop.id, printer_width: 58, created_at: undefined });
  assert.equal(created.headers.get('location'), `/api/v1/registers/${created.json.id}`);
  const own = await s.post('/api/v1/registers', { id: 'TILL-2', name: 'Back till', location_id: shop.id });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.printer_width, 80);

  const list = await s.get(`/api/v1/registers?location_id=${shop.id}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.registers.map((r) => r.name).sort(), ['Back till', 'Front till']);
  assert.equal((await s.get(`/api/v1/registers?location_id=${second.id}`)).json.registers.length, 0);

  const read = await s.get(`/api/v1/registers/${created.json.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.json.name, 'Front till');
  assert.equal((await s.get('/api/v1/registers/NOPE-1')).status, 404);

  const renamed = await s.patch(`/api/v1/registers/${created.json.id}`, { name: 'Till 1', printer_width: 80 });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, 'Till 1');
  assert.equal(renamed.json.printer_width, 80);
  const moved = await s.patch('/api/v1/registers/TILL-2', { location_id: second.id });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual(moved.json.location, { id: second.id, name: second.name });

  const duplicate = await s.post('/api/v1/registers', { name: 'Till 1', location_id: shop.id });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.json.code, 'duplicate_register');
  const sameId = await s.post('/api/v1/registers', { id: 'TILL-2', name: 'Another', location_id: shop.id });
  assert.equal(sameId.status, 409);
  const bin = (await s.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'damaged');
  const notAStore = await s.post('/api/v1/registers', { name: 'Bin till', location_id: bin.id });
  assert.equal(notAStore.status, 422);
  assert.equal(notAStore.json.field, 'location_id');
  const width = await s.post('/api/v1/registers', { name: 'Odd', location_id: shop.id, printer_width: 60 });
  assert.equal(width.status, 422);
  assert.equal(width.json.field, 'printer_width');

  // Who may: a cashier reads registers, a manager sets them up, a cashier may not.
  const cashier = await s.as('cashier');
  assert.equal((await cashier.get('/api/v1/registers')).status, 200);
  assert.equal((await cashier.post('/api/v1/registers', { name: 'Mine', location_id: shop.id })).status, 403);
  const manager = await s.as('manager');
  assert.equal((await manager.post('/api/v1/registers', { name: 'Manager till', location_id: shop.id })).status, 201);

  // Audited.
  const audit = await s.get(`/api/v1/audit?entity=register&entity_id=${created.json.id}`);
  if (audit.status === 200) assert.ok(JSON.stringify(audit.json).includes('register.update'));
});

test('a register with an open session cannot be moved to another store', async () => {
  const reg = (await s.post('/api/v1/registers', { name: 'Busy till', location_id: shop.id })).json;
  const opened = await s.post(`/api/v1/registers/${reg.id}/sessions`, { location_id: shop.id, opening_float: 10000 });
  assert.equal(opened.status, 201, opened.text);
  const moved = await s.patch(`/api/v1/registers/${reg.id}`, { location_id: second.id });
  assert.equal(moved.status, 409);
  assert.equal(moved.json.code, 'register_session_open');
});

test('locations: read one, set its receipt header, footer and default tax category', async () => {
  const read = await s.get(`/api/v1/locations/${shop.id}`);
  assert.equal(read.status, 200);
  assert.deepEqual(read.json.receipt, { shop_name: '', address: '', tax_number: '', footer: '' });
  assert.equal(read.json.default_tax_category, null);
  const patched = await s.patch(`/api/v1/locations/${shop.id}`, {
    receipt: { shop_name: 'Corner Shop', address: '1 High Street, Leeds', tax_number: 'GB123456789', footer: 'Returns within 30 days with this receipt' },
    default_tax_category: 'reduced',
  });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.receipt.shop_name, 'Corner Shop');
  assert.equal(patched.json.default_tax_category, 'reduced');
  assert.equal((await s.get(`/api/v1/locations/${shop.id}`)).json.receipt.tax_number, 'GB123456789');
  const partial = await s.patch(`/api/v1/locations/${shop.id}`, { receipt: { footer: 'Thank you' }, default_tax_category: null });
  assert.equal(partial.json.receipt.shop_name, 'Corner Shop');
  assert.equal(partial.json.receipt.footer, 'Thank you');
  assert.equal(partial.json.default_tax_category, null);
  const unknown = await s.patch(`/api/v1/locations/${shop.id}`, { default_tax_category: 'luxury' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.field, 'default_tax_category');
  const taken = await s.patch(`/api/v1/locations/${second.id}`, { name: shop.name });
  assert.equal(taken.status, 409);
  assert.equal((await s.get(`/api/v1/locations/${uuidv7()}`)).status, 404);
  const cashier = await s.as('cashier');
  assert.equal((await cashier.patch(`/api/v1/locations/${shop.id}`, { name: 'Mine' })).status, 403);
});

test('tax categories: listed with names, rates and the default; an admin changes one', async () => {
  const list = await s.get('/api/v1/tax-categories');
  assert.equal(list.status, 200);
  const standard = list.json.tax_categories.find((c) => c.code === 'standard');
  assert.deepEqual(standard, { code: 'standard', name: 'Standard', rate: 2100, default: true });
  assert.equal(list.json.default_tax_category, 'standard');
  const put = await s.put('/api/v1/tax-categories/books', { name: 'Books', rate: 600 });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.json.tax_categories.find((c) => c.code === 'books'), { code: 'books', name: 'Books', rate: 600, default: false });
  // The sales settings see the same rate.
  assert.equal((await s.get('/api/v1/settings/sales')).json.tax_rates.books, 600);
  const bad = await s.put('/api/v1/tax-categories/books', { name: 'Books', rate: 10001 });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'rate');
  const badCode = await s.put('/api/v1/tax-categories/Bad%20Code', { name: 'x', rate: 1 });
  assert.equal(badCode.status, 422);
  const manager = await s.as('manager');
  assert.equal((await manager.get('/api/v1/tax-categories')).status, 200);
  assert.equal((await manager.put('/api/v1/tax-categories/books', { name: 'Books', rate: 0 })).status, 403);
});

test('defect 5: an item with no tax category sells at the default category, and its JSON says so', async () => {
  for (const none of ['', null]) {
    const item = await makeItem(s, { price: 1210, tax_category: none });
    assert.equal(item.tax_category, null);
    assert.equal(item.effective_tax_category, 'standard');
    assert.equal(item.tax_category_source, 'shop_default');
    const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
    assert.equal(sale.status, 201, sale.text);
    assert.equal(sale.json.lines[0].tax_rate_bp, 2100);
    assert.equal(sale.json.tax_total, 210);
  }
  const own = await makeItem(s, { price: 1090, tax_category: 'reduced' });
  assert.equal(own.tax_category, 'reduced');
  assert.equal(own.tax_category_source, 'item');
  // Cleared later: back to the default.
  const cleared = await s.patch(`/api/v1/items/${own.id}`, { tax_category: null }, { 'if-match': `"${own.version}"` });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.tax_category, null);
  assert.equal(cleared.json.effective_tax_category, 'standard');
  // A category the shop has no rate for is refused when the item is saved, not at the till.
  const unknown = await s.post('/api/v1/items', { sku: `NOTAX-${process.pid}`, name: 'Unknown tax', price: 100, tax_category: 'luxury' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.field, 'tax_category');
  // The shop's default moves: items without a category follow it.
  assert.equal((await s.put('/api/v1/tax-categories/reduced', { name: 'Reduced', rate: 900, default: true })).status, 200);
  const follows = await makeItem(s, { price: 1090, tax_category: null });
  assert.equal(follows.effective_tax_category, 'reduced');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[follows, 1]]));
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.json.lines[0].tax_rate_bp, 900);
  assert.equal((await s.put('/api/v1/tax-categories/standard', { name: 'Standard', rate: 2100, default: true })).status, 200);
  assertBooksHold(s.db);
});

test("defect 5: a store's own default tax category applies at its till, other stores keep the shop's", async () => {
  const item = await makeItem(s, { price: 1090, tax_category: null });
  await adjust(s, item, second, 5, 'opening');
  const set = await s.patch(`/api/v1/locations/${second.id}`, { default_tax_category: 'reduced' });
  assert.equal(set.status, 200, set.text);
  const there = await s.post('/api/v1/sales', saleBody(second, [[item, 1]]));
  assert.equal(there.status, 201, there.text);
  const reduced = (await s.get('/api/v1/tax-categories')).json.tax_categories.find((c) => c.code === 'reduced');
  assert.equal(there.json.lines[0].tax_rate_bp, reduced.rate);
  const quote = await s.post('/api/v1/sales/quote', saleBody(second, [[item, 1]]));
  assert.equal(quote.status, 200, quote.text);
  assert.equal(quote.json.lines[0].tax_rate_bp, reduced.rate, 'the quote prices like the sale');
  const here = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(here.status, 201, here.text);
  assert.equal(here.json.lines[0].tax_rate_bp, 2100);
  assert.equal((await s.patch(`/api/v1/locations/${second.id}`, { default_tax_category: null })).status, 200);
  assertBooksHold(s.db);
});

test('defect 12: reservations and transfer receiving refuse a key scoped to another store', async () => {
  const item = await makeItem(s);
  await adjust(s, item, shop, 20);
  await adjust(s, item, second, 20);
  const scoped = s.withKey(createKey(s.db, `scoped-${process.pid}`, 'manager', ['--location', second.id]));
  const foreign = await scoped.post('/api/v1/stock/reservations', { item_id: item.id, location_id: shop.id, quantity: 1, reference: 'x' });
  assert.equal(foreign.status, 403, foreign.text);
  assert.equal(foreign.json.code, 'forbidden');
  const home = await scoped.post('/api/v1/stock/reservations', { item_id: item.id, location_id: second.id, quantity: 1, reference: 'y' });
  assert.equal(home.status, 201, home.text);
  const held = await s.post('/api/v1/stock/reservations', { item_id: item.id, location_id: shop.id, quantity: 1, reference: 'z' });
  assert.equal(held.status, 201);
  const release = await scoped.del(`/api/v1/stock/reservations/${held.json.id}`);
  assert.equal(release.status, 403);
  assert.equal((await scoped.del(`/api/v1/stock/reservations/${home.json.id}`)).status, 200);

  // A transfer into the first store may not be received by the second store's key.
  const t = await s.post('/api/v1/transfers', { from_location_id: second.id, to_location_id: shop.id, lines: [{ item_id: item.id, quantity: 2 }] });
  assert.equal(t.status, 201, t.text);
  const receive = await scoped.post(`/api/v1/transfers/${t.json.id}/receive`, { lines: [{ line_id: t.json.lines[0].id, received: 2 }] });
  assert.equal(receive.status, 403, receive.text);
  assert.equal((await s.get(`/api/v1/transfers/${t.json.id}`)).json.status, 'in_transit');
  // The other way round it may, and `received` is the field a line carries.
  const back = await s.post('/api/v1/transfers', { from_location_id: shop.id, to_location_id: second.id, lines: [{ item_id: item.id, quantity: 2 }] });
  const ok = await scoped.post(`/api/v1/transfers/${back.json.id}/receive`, { lines: [{ line_id: back.json.lines[0].id, received: 2 }] });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.lines[0].received, 2);
  const wrongField = await s.post(`/api/v1/transfers/${t.json.id}/receive`, { lines: [{ line_id: t.json.lines[0].id, quantity: 2 }] });
  assert.equal(wrongField.status, 422);
  assertBooksHold(s.db);
});

test('defect 10: an adjustment below zero or past the limits needs confirm and a reason code, and is flagged', async () => {
  const item = await makeItem(s, { cost: 500 });
  await adjust(s, item, shop, 3);
  const below = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: -5, reason: 'shrink' });
  assert.equal(below.status, 409, below.text);
  assert.equal(below.json.code, 'adjustment_needs_confirmation');
  assert.deepEqual(below.json.reasons, ['below_zero']);
  const noCode = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: -5, reason: 'shrink', confirm: true });
  assert.equal(noCode.status, 409);
  assert.equal(noCode.json.field, 'reason_code');
  const badCode = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: -5, reason: 'shrink', confirm: true, reason_code: 'oops' });
  assert.equal(badCode.status, 422);
  const confirmed = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: -5, reason: 'shrink', confirm: true, reason_code: 'theft' });
  assert.equal(confirmed.status, 201, confirmed.text);
  assert.equal(confirmed.json.flagged, true);
  assert.deepEqual(confirmed.json.flag_reasons, ['below_zero']);
  assert.equal(confirmed.json.reason_code, 'theft');

  // Limits: quantity and value (cost 5.00 a unit).
  assert.deepEqual((await s.get('/api/v1/settings/stock')).json, { adjustment_confirm_quantity: null, adjustment_confirm_value: null });
  const set = await s.put('/api/v1/settings/stock', { adjustment_confirm_quantity: 10, adjustment_confirm_value: 2500 });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json, { adjustment_confirm_quantity: 10, adjustment_confirm_value: 2500 });
  const atLimit = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: 5, reason: 'found' });
  assert.equal(atLimit.status, 201, atLimit.text);  // 5 x 5.00 = 25.00: at the value limit, not over it
  assert.equal(atLimit.json.flagged, false);
  const overValue = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: shop.id, quantity: 5.001, reason: 'found' });
  assert.equal(overValue.status, 409);
  assert.deepEqual(overValue.json.reasons, ['over_value']);
  const cheap = await makeItem(s, { cost: 1 });
  const overQuantity = await s.post('/api/v1/stock/adjustments', { item_id: cheap.id, location_id: shop.id, quantity: 11, reason: 'found' });
  assert.equal(overQuantity.status, 409);
  assert.deepEqual(overQuantity.json.reasons, ['over_quantity']);
  const ok = await s.post('/api/v1/stock/adjustments', { item_id: cheap.id, location_id: shop.id, quantity: 11, reason: 'found', confirm: true, reason_code: 'count' });
  assert.equal(ok.status, 201);

  // The movement list shows the flags.
  const moves = await s.get(`/api/v1/stock/movements?item_id=${item.id}`);
  const flagged = moves.json.movements.filter((m) => m.flagged);
  assert.equal(flagged.length, 1);
  assert.deepEqual(flagged[0].flag_reasons, ['below_zero']);
  assert.equal(flagged[0].reason_code, 'theft');
  assert.equal(moves.json.movements.filter((m) => !m.flagged).every((m) => m.flag_reasons.length === 0), true);

  const badLimit = await s.put('/api/v1/settings/stock', { adjustment_confirm_quantity: -1 });
  assert.equal(badLimit.status, 422);
  const manager = await s.as('manager');
  assert.equal((await manager.put('/api/v1/settings/stock', { adjustment_confirm_quantity: null })).status, 403);
  assert.equal((await s.put('/api/v1/settings/stock', { adjustment_confirm_quantity: null, adjustment_confirm_value: null })).status, 200);
  assertBooksHold(s.db);
});

test('a channel sale (no register) numbers its receipt without listing a register a person would pick', async () => {
  const item = await makeItem(s, { price: 500 });
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { tenders: [{ type: 'cash', amount: 500 }] }));
  assert.equal(sale.status, 201, sale.text);
  const listed = (await s.get('/api/v1/registers')).json.registers;
  assert.equal(listed.some((r) => r.id.startsWith('API-')), false, listed.map((r) => r.id).join(', '));
  assert.equal((await s.get(`/api/v1/registers?location_id=${shop.id}`)).json.registers.some((r) => r.id.startsWith('API-')), false);
  const taken = await s.post('/api/v1/registers', { id: 'API-mine', name: 'Hidden till', location_id: shop.id });
  assert.equal(taken.status, 422);
  assert.equal(taken.json.field, 'id');
});

test('receipts print the store header and footer, tax by rate, tenders, change, cashier, register and a barcode', async () => {
  await s.patch(`/api/v1/locations/${shop.id}`, {
    receipt: { shop_name: 'Corner Shop', address: '1 High Street, Leeds', tax_number: 'GB123456789', footer: 'Returns within 30 days with this receipt' },
  });
  const reg = (await s.post('/api/v1/registers', { name: 'Receipt till', location_id: shop.id, printer_width: 58 })).json;
  await s.createUser({ username: `cashier${process.pid}`, role: 'cashier', display_name: 'Casey Cashier', password: 'cashier password 1' });
  const casey = await s.signIn(`cashier${process.pid}`, 'cashier password 1');
  const a = await makeItem(s, { price: 1210, tax_category: 'standard' });
  const b = await makeItem(s, { price: 1090, tax_category: 'reduced' });
  const open = await casey.post(`/api/v1/registers/${reg.id}/sessions`, { location_id: shop.id, opening_float: 0 });
  assert.equal(open.status, 201, open.text);
  const sale = await casey.post('/api/v1/sales', saleBody(shop, [[a, 1], [b, 2]], { register_id: reg.id, tenders: [{ type: 'card', amount: 2000, reference: 'auth-1' }, { type: 'cash', amount: 2000 }] }));
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.json.total, 3390);
  assert.equal(sale.json.change_due, 610);

  const html = await s.get(`/api/v1/sales/${sale.json.id}/receipt`);
  assert.equal(html.status, 200);
  for (const text of ['Corner Shop', '1 High Street, Leeds', 'VAT no. GB123456789', 'Returns within 30 days with this receipt',
    'Register: Receipt till', 'Cashier: Casey Cashier', 'incl. tax 9% of 20.00', 'incl. tax 21% of 10.00', 'Change', '6.10', 'Card', 'Cash'])
    assert.ok(html.text.includes(text), `HTML receipt lacks '${text}'`);
  assert.match(html.text, /<svg class="receipt-barcode"[^>]*aria-label="[^"]+"/);
  assert.ok(html.text.includes(`aria-label="${sale.json.receipt_number}"`));
  assert.ok(html.text.includes('58mm'), 'the register prints on 58 mm paper');

  const escpos = await s.get(`/api/v1/sales/${sale.json.id}/receipt?format=escpos`);
  assert.equal(escpos.status, 200);
  const bytes = Buffer.from(await (await checkedFetch(`${s.url}/api/v1/sales/${sale.json.id}/receipt?format=escpos`, { headers: s.headers })).arrayBuffer());
  const text = bytes.toString('latin1');
  for (const want of ['Corner Shop', 'VAT no. GB123456789', 'Register: Receipt till', 'Cashier: Casey Cashier', 'incl. tax 9% of 20.00', 'Change'])
    assert.ok(text.includes(want), `ESC/POS receipt lacks '${want}'`);
  // 58 mm paper: 32 characters a line, the footer wrapped rather than cut.
  assert.ok(text.includes('Returns within 30 days with this\nreceipt\n'), 'footer wrapped at a word onto a second line');
  const barcode = Buffer.from([0x1d, 0x6b, 73]);
  const at = bytes.indexOf(barcode);
  assert.ok(at > 0, 'GS k 73 Code 128');
  assert.equal(bytes.subarray(at + 4, at + 4 + 2 + sale.json.receipt_number.length).toString('latin1'), `{B${sale.json.receipt_number}`);

  // The refund slip: the same header and footer, tax by rate of what went back.
  const ret = await casey.post('/api/v1/returns', {
    id: uuidv7(), sale_id: sale.json.id, register_id: reg.id,
    lines: [{ sale_line_id: sale.json.lines[1].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
  });
  assert.equal(ret.status, 201, ret.text);
  const slip = await s.get(`/api/v1/returns/${ret.json.id}/receipt`);
  assert.equal(slip.status, 200);
  for (const want of ['REFUND', 'Corner Shop', 'VAT no. GB123456789', 'Cashier: Casey Cashier', 'Register: Receipt till', 'incl. tax 9% of 10.00', `Refund of receipt ${sale.json.receipt_number}`])
    assert.ok(slip.text.includes(want), `refund slip lacks '${want}'`);
});

test('defect 13: the docs, the CLI and the roles describe only what exists', async () => {
  const { readFileSync, existsSync } = await import('node:fs');
  const path = await import('node:path');
  const root = path.resolve(import.meta.dirname, '../..');
  const openapi = readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8');
  for (const [, doc] of openapi.matchAll(/\b(docs\/[\w.-]+\.md)\b/g))
    assert.ok(existsSync(path.join(root, doc)), `docs/openapi.yaml links ${doc}, which does not exist`);
  // Purchasing exists since issue 16 (suppliers first): every purchasing path the document
  // names is served, and the roles may speak of suppliers and orders. The CLI has no
  // purchasing command, so its help names none.
  const { cli } = await import('./lib/server.mjs');
  const table = cli(['routes', '--json']);
  assert.equal(table.status, 0, table.stderr);
  const served = new Set(JSON.parse(table.stdout).routes.map((r) => r.pattern));
  const purchasing = [...openapi.matchAll(/^ {2}(\/api\/v1\/(?:suppliers|supplier-changes|purchase-orders|receipts)\S*):\s*$/gm)].map((m) => m[1]);
  assert.ok(purchasing.length > 0);
  for (const p of purchasing) assert.ok(served.has(p), `docs/openapi.yaml documents ${p}, which is not served`);
  assert.doesNotMatch(cli(['--help']).stdout, /purchas/i);
});
