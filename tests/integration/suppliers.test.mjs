// Suppliers over real HTTP (issue 16): suppliers and their search, bank details that only
// apply when a second person approves them (the same person is refused, both steps are in
// the audit trail), masking per role, supplier items whose case GTIN scans to the case,
// one preferred supplier per item, and the price-list CSV that imports all rows or none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, withCheck } from './lib/server.mjs';
import { makeItem } from './lib/shop.mjs';

let s;
let buyer;
let managerA;
let managerB;
let clerk;
let lead;
before(async () => {
  s = await startServer();
  const users = [['sup-buyer', 'buyer'], ['sup-manager-a', 'manager'], ['sup-manager-b', 'manager'], ['sup-clerk', 'clerk'], ['sup-lead', 'shift_lead']];
  for (const [username, role] of users) await s.createUser({ username, role, password: `${username}-password` });
  buyer = await s.signIn('sup-buyer', 'sup-buyer-password');
  managerA = await s.signIn('sup-manager-a', 'sup-manager-a-password');
  managerB = await s.signIn('sup-manager-b', 'sup-manager-b-password');
  clerk = await s.signIn('sup-clerk', 'sup-clerk-password');
  lead = await s.signIn('sup-lead', 'sup-lead-password');
});
after(async () => { await s.stop(); });

const DOTS = '\u2022\u2022\u2022\u2022';
const IBAN_DE = 'DE89 3704 0044 0532 0130 00';  // published example IBANs (ECBS registry)
const IBAN_GB = 'GB82 WEST 1234 5698 7654 32';
let n = 0;
const unique = (stem) => `${stem} ${process.pid}-${++n}`;
// A GTIN-14 of a case (indicator digit 1) nobody has used in this run.
const caseGtin = () => withCheck(`1${String(process.pid % 100000).padStart(5, '0')}${String(++n).padStart(7, '0')}`);

async function newSupplier(client = buyer, extra = {}) {
  const r = await client.post('/api/v1/suppliers', { name: unique('Supplier'), ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.supplier ?? r.json;
}

test('a supplier is created, read, searched and paged', async () => {
  const name = unique('Acme Wholesale');
  const r = await buyer.post('/api/v1/suppliers', {
    name, contact: { email: 'orders@acme.example', phone: '+31 20 123 4567' }, lead_time_days: 3, lead_time_sd_days: 1.5,
    order_days: ['thu', 'mon'], min_order_value: 25000, free_freight_value: 50000,
  });
  assert.equal(r.status, 201, r.text);
  const sup = r.json;
  assert.match(sup.id, /^[0-9a-f-]{36}$/);
  assert.equal(r.headers.get('location'), `/api/v1/suppliers/${sup.id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.deepEqual(sup.contact, { email: 'orders@acme.example', phone: '+31 20 123 4567' });
  assert.equal(sup.lead_time_days, 3);
  assert.equal(sup.lead_time_sd_days, 1.5);
  assert.deepEqual(sup.order_days, ['mon', 'thu'], 'order days come back in week order');
  assert.equal(sup.min_order_value, 25000);
  assert.equal(sup.free_freight_value, 50000);
  assert.equal(sup.payment, null);
  assert.equal(sup.pending_payment_change, null);
  assert.equal(sup.status, 'active');

  const read = await clerk.get(`/api/v1/suppliers/${sup.id}`);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json, sup);
  assert.equal((await clerk.get(`/api/v1/suppliers/${'0193'.padEnd(8, '0')}-0000-7000-8000-000000000000`)).status, 404);

  const found = await clerk.get(`/api/v1/suppliers?q=${encodeURIComponent('acme WHOLESALE')}`);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.json.suppliers.map((x) => x.id), [sup.id]);

  for (let i = 0; i < 3; i++) await newSupplier();
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const p = await lead.get(`/api/v1/suppliers?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(p.status, 200, p.text);
    assert.ok(p.json.suppliers.length <= 2);
    seen.push(...p.json.suppliers.map((x) => x.id));
    if (!p.json.next_cursor) break;
    cursor = p.json.next_cursor;
  }
  assert.ok(seen.length >= 4);
  assert.equal(new Set(seen).size, seen.length, 'no supplier twice across pages');
  const created = await s.get('/api/v1/events?type=supplier.created&limit=500');
  assert.equal(created.status, 200, created.text);
  assert.ok(created.json.events.some((e) => e.entity_id === sup.id), 'supplier.created is on the outbox');
  const bad = await lead.get('/api/v1/suppliers?cursor=nonsense');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'cursor');
});

test('PATCH changes plain fields with If-Match; a stale version is 412', async () => {
  const sup = await newSupplier();
  const r = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { lead_time_days: 5, order_days: ['fri'], free_freight_value: null },
    { 'if-match': '"v1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lead_time_days, 5);
  assert.deepEqual(r.json.order_days, ['fri']);
  assert.equal(r.json.free_freight_value, null);
  assert.equal(r.json.version, 2);
  const stale = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { lead_time_days: 6 }, { 'if-match': '"v1"' });
  assert.equal(stale.status, 412, stale.text);
  const none = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { lead_time_days: 6 });
  assert.equal(none.status, 428, none.text);
  const bad = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { order_days: ['mon', 'someday'] }, { 'if-match': '"v2"' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'order_days[1]');
});

test('bank details wait for a second person: same_user is refused, another manager applies them, both are audited', async () => {
  // The first bank details of a new supplier wait for approval too.
  const created = await buyer.post('/api/v1/suppliers', { name: unique('Bank Co'), payment: { iban: IBAN_DE, bic: 'deutdeff', account_name: 'Bank Co BV' } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.status, 'pending');
  const sup = created.json.supplier;
  assert.equal(sup.payment, null, 'nothing is in force before approval');
  assert.equal(sup.pending_payment_change.id, created.json.change_id);
  const first = await managerB.post(`/api/v1/supplier-changes/${created.json.change_id}/approve`);
  assert.equal(first.status, 200, first.text);

  // A manager files a change of bank details: 202 pending, nothing applied.
  const filed = await managerA.patch(`/api/v1/suppliers/${sup.id}`, { payment: { iban: IBAN_GB, bic: 'NWBKGB2L', account_name: 'Bank Co Ltd', reason: 'moved bank' } },
    { 'if-match': '"v2"' });
  assert.equal(filed.status, 202, filed.text);
  assert.equal(filed.json.status, 'pending');
  const changeId = filed.json.change_id;
  const pending = await managerA.get('/api/v1/supplier-changes?status=pending');
  assert.equal(pending.status, 200, pending.text);
  const listed = pending.json.changes.find((c) => c.id === changeId);
  assert.ok(listed, 'the change is listed as pending');
  assert.equal(listed.payment.iban, 'GB82WEST12345698765432', 'a manager reads the proposed IBAN in full');
  assert.equal(listed.requested_by, 'sup-manager-a');
  let now = await managerA.get(`/api/v1/suppliers/${sup.id}`);
  assert.equal(now.json.payment.iban, 'DE89370400440532013000', 'the old details stay in force');

  // The same person may not approve (or reject) their own change.
  const own = await managerA.post(`/api/v1/supplier-changes/${changeId}/approve`);
  assert.equal(own.status, 403, own.text);
  assert.equal(own.json.code, 'same_user');
  assert.equal((await managerA.post(`/api/v1/supplier-changes/${changeId}/reject`, {})).json.code, 'same_user');
  // A buyer may file but never approve.
  const byBuyer = await buyer.post(`/api/v1/supplier-changes/${changeId}/approve`);
  assert.equal(byBuyer.status, 403);
  assert.equal(byBuyer.json.permission, 'suppliers.payment_approve');

  const approved = await managerB.post(`/api/v1/supplier-changes/${changeId}/approve`);
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.status, 'approved');
  assert.equal(approved.json.decided_by, 'sup-manager-b');
  now = await managerA.get(`/api/v1/suppliers/${sup.id}`);
  assert.deepEqual(now.json.payment, { iban: 'GB82WEST12345698765432', bic: 'NWBKGB2L', account_name: 'Bank Co Ltd', masked: false });
  assert.equal(now.json.pending_payment_change, null);
  const again = await managerB.post(`/api/v1/supplier-changes/${changeId}/approve`);
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'change_not_pending');

  const audit = await s.get(`/api/v1/audit?entity_id=${sup.id}&limit=50`);
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.json.entries.map((e) => `${e.action} ${e.actor}`);
  assert.ok(actions.includes('supplier.payment_change.request sup-manager-a'), actions.join('\n'));
  assert.ok(actions.includes('supplier.payment_change.approve sup-manager-b'), actions.join('\n'));
  assert.ok(!audit.text.includes('GB82WEST12345698765432'), 'the audit trail keeps bank details masked');
});

test('a rejected change never applies; a newer change supersedes a pending one', async () => {
  const sup = await newSupplier();
  const one = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { payment: { iban: IBAN_DE } }, { 'if-match': '"v1"' });
  assert.equal(one.status, 202, one.text);
  const two = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { payment: { iban: IBAN_GB } }, { 'if-match': '"v1"' });
  assert.equal(two.status, 202, two.text);
  assert.equal((await managerA.get(`/api/v1/supplier-changes/${one.json.change_id}`)).json.status, 'superseded');
  const rejected = await managerA.post(`/api/v1/supplier-changes/${two.json.change_id}/reject`, { note: 'called the supplier: not theirs' });
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.json.status, 'rejected');
  assert.equal(rejected.json.decision_note, 'called the supplier: not theirs');
  const read = await managerA.get(`/api/v1/suppliers/${sup.id}`);
  assert.equal(read.json.payment, null);
  assert.equal((await managerA.post(`/api/v1/supplier-changes/${one.json.change_id}/approve`)).status, 409, 'a superseded change cannot be approved');
  const audit = await s.get(`/api/v1/audit?entity_id=${sup.id}&action=supplier.payment_change.reject`);
  assert.equal(audit.json.entries.length, 1);
});

test('bank details are masked for roles without suppliers.payment_read', async () => {
  const created = await buyer.post('/api/v1/suppliers', { name: unique('Masked'), payment: { iban: IBAN_DE, bic: 'DEUTDEFF' } });
  const sup = created.json.supplier;
  assert.equal((await managerA.post(`/api/v1/supplier-changes/${created.json.change_id}/approve`)).status, 200);
  const expect = { buyer, clerk, shift_lead: lead, manager: managerB };
  for (const [role, client] of Object.entries(expect)) {
    const one = await client.get(`/api/v1/suppliers/${sup.id}`);
    assert.equal(one.status, 200, `${role}: ${one.text}`);
    const list = await client.get(`/api/v1/suppliers?q=${encodeURIComponent(sup.name)}`);
    const changes = await client.get(`/api/v1/supplier-changes?supplier_id=${sup.id}`);
    assert.equal(changes.status, 200, `${role}: ${changes.text}`);
    const shown = [one.json.payment, list.json.suppliers[0].payment, changes.json.changes[0].payment];
    for (const p of shown) {
      if (role === 'manager') {
        assert.equal(p.iban, 'DE89370400440532013000', role);
        assert.equal(p.masked, false);
      } else {
        assert.equal(p.iban, `${DOTS} 3000`, role);
        assert.equal(p.masked, true);
      }
    }
    if (role !== 'manager') assert.ok(!one.text.includes('0532013000') && !changes.text.includes('0532013000'), role);
  }
  // The event feed never carries bank details in full.
  const events = await s.get('/api/v1/events?limit=500');
  assert.equal(events.status, 200, events.text);
  assert.ok(!events.text.includes('DE89370400440532013000'));
});

test('bad bank details are refused by field: IBAN mod-97, country length, BIC format', async () => {
  const cases = [
    [{ iban: 'GB82 TEST 1234 5698 7654 32' }, 'invalid_iban', 'payment.iban'],
    [{ iban: 'DE89 3704 0044 0532 0130 0' }, 'invalid_iban', 'payment.iban'],
    [{ iban: 'not an iban!' }, 'invalid_iban', 'payment.iban'],
    [{ iban: IBAN_DE, bic: 'DEUT1EFF' }, 'invalid_bic', 'payment.bic'],
    [{ bic: 'DEUTDEFF' }, 'missing_field', 'payment.iban'],
  ];
  for (const [payment, code, field] of cases) {
    const r = await buyer.post('/api/v1/suppliers', { name: unique('Bad bank'), payment });
    assert.equal(r.status, 422, `${JSON.stringify(payment)}: ${r.text}`);
    assert.equal(r.json.code, code, r.text);
    assert.equal(r.json.field, field, r.text);
  }
  const sup = await newSupplier();
  const r = await buyer.patch(`/api/v1/suppliers/${sup.id}`, { payment: { iban: 'GB82 WEST 1234 5698 7654 33' } }, { 'if-match': '"v1"' });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'payment.iban');
});

test('supplier items: the case GTIN registers as a case barcode and scans to the case', async () => {
  const sup = await newSupplier();
  const item = await makeItem(s);
  const gtin = caseGtin();
  const r = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, {
    item_id: item.id, supplier_sku: 'ACME-001', cost: 412, case_pack: 12, case_gtin: gtin, min_order_units: 24,
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual({ ...r.json, updated_at: undefined }, {
    supplier_id: sup.id, item_id: item.id, supplier_sku: 'ACME-001', cost: 412, case_pack: 12, case_gtin: gtin,
    min_order_units: 24, preferred: true, updated_at: undefined,
  });
  const scan = await clerk.get(`/api/v1/scan/${gtin}`);
  assert.equal(scan.status, 200, scan.text);
  assert.equal(scan.json.item.id, item.id);
  assert.equal(scan.json.pack_quantity, 12, 'the case scans as 12 units');
  // Changing the cost keeps the barcode; the same body again changes nothing.
  const cost = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: item.id, cost: 399 });
  assert.equal(cost.status, 200, cost.text);
  assert.equal(cost.json.cost, 399);
  assert.equal(cost.json.case_gtin, gtin);
  const list = await clerk.get(`/api/v1/suppliers/${sup.id}/items`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((i) => [i.item_id, i.cost]), [[item.id, 399]]);

  // Bad case GTINs are refused by field; another item's barcode is a conflict.
  const wrongDigit = gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10);
  const other = await makeItem(s, { barcodes: [{ code: '4006381333931' }] });
  const bad = [
    [{ case_gtin: wrongDigit }, 422, 'barcode_check_digit'],
    [{ case_gtin: '12345' }, 422, 'invalid_gtin'],
    [{ case_gtin: 'ABCDEFGHIJKLMN' }, 422, 'invalid_gtin'],
    [{ case_gtin: '4006381333931' }, 409, 'case_gtin_taken'],
    [{ case_gtin: gtin, case_pack: 6 }, 409, 'case_gtin_pack_mismatch'],
  ];
  for (const [extra, status, code] of bad) {
    const b = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: item.id, cost: 399, ...extra });
    assert.equal(b.status, status, `${JSON.stringify(extra)}: ${b.text}`);
    assert.equal(b.json.code, code, b.text);
    assert.equal(b.json.field, 'case_gtin', b.text);
  }
  const taken = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: item.id, cost: 1, case_gtin: '4006381333931' });
  assert.equal(taken.json.item_id, other.id, 'the conflict names the item that has the barcode');
  const unknown = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: '01936f5e-8a00-7abc-8def-000000000000', cost: 1 });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.field, 'item_id');
  const noCost = await buyer.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: other.id });
  assert.equal(noCost.status, 422);
  assert.equal(noCost.json.field, 'cost');
});

test('one preferred supplier per item: preferring another unsets the first', async () => {
  const item = await makeItem(s);
  const a = await newSupplier();
  const b = await newSupplier();
  const first = await buyer.post(`/api/v1/suppliers/${a.id}/items`, { item_id: item.id, cost: 100 });
  assert.equal(first.json.preferred, true, "an item's first supplier is preferred");
  const second = await buyer.post(`/api/v1/suppliers/${b.id}/items`, { item_id: item.id, cost: 90 });
  assert.equal(second.json.preferred, false);
  const switched = await buyer.post(`/api/v1/suppliers/${b.id}/items`, { item_id: item.id, preferred: true });
  assert.equal(switched.status, 200, switched.text);
  assert.equal(switched.json.preferred, true);
  const who = await clerk.get(`/api/v1/items/${item.id}/suppliers`);
  assert.equal(who.status, 200, who.text);
  assert.deepEqual(who.json.suppliers.map((x) => [x.supplier_id, x.preferred]), [[b.id, true], [a.id, false]]);
  assert.equal((await clerk.get('/api/v1/items/01936f5e-8a00-7abc-8def-000000000000/suppliers')).status, 404);
  const dup = await buyer.post(`/api/v1/suppliers/${a.id}/items`, { item_id: (await makeItem(s)).id, cost: 5, supplier_sku: 'DUP-1' });
  assert.equal(dup.status, 201, dup.text);
  const clash = await buyer.post(`/api/v1/suppliers/${a.id}/items`, { item_id: item.id, supplier_sku: 'DUP-1' });
  assert.equal(clash.status, 409);
  assert.equal(clash.json.code, 'duplicate_supplier_sku');
});

test('price list CSV: all or nothing, with a report of every bad row', async () => {
  const sup = await newSupplier();
  const a = await makeItem(s);
  const b = await makeItem(s, { barcodes: [{ code: withCheck(`87123${String(process.pid % 10000000).padStart(7, '0')}`) }] });
  const c = await makeItem(s);
  const gtinB = b.barcodes[0].code;
  const caseC = caseGtin();
  const csv = (rows) => ['supplier_sku,gtin,sku,cost,case_pack,case_gtin', ...rows].join('\r\n') + '\r\n';
  const post = (body, query = '') => buyer.post(`/api/v1/suppliers/${sup.id}/price-list${query}`, body, { 'content-type': 'text/csv' });

  const bad = await post(csv([
    `PL-A,,${a.sku},1.25,6,`,
    `PL-B,${gtinB},,abc,,`,                      // bad cost
    `PL-X,,NO-SUCH-SKU,1.00,,`,                   // unknown item
    `PL-C,,${c.sku},2.00,12,${caseC.slice(0, 13)}9`,  // wrong case GTIN check digit (unless 9 is right)
    `PL-D,,${a.sku},1.30,,`,                      // the same item twice
  ]));
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(bad.json.code, 'price_list_invalid');
  assert.equal(bad.json.applied, false);
  const byLine = Object.fromEntries(bad.json.errors.map((e) => [e.line, e]));
  assert.equal(byLine[3]?.column, 'cost', bad.text);
  assert.equal(byLine[4]?.code, 'unknown_item', bad.text);
  if (caseC[13] !== '9') assert.equal(byLine[5]?.column, 'case_gtin', bad.text);
  assert.equal(byLine[6]?.code, 'duplicate_row', bad.text);
  assert.equal(byLine[2], undefined, 'the good row is not an error');
  const none = await clerk.get(`/api/v1/suppliers/${sup.id}/items`);
  assert.deepEqual(none.json.items, [], 'nothing was written');

  const rows = [`PL-A,,${a.sku},1.25,6,`, `PL-B,${gtinB},,0.99,,`, `PL-C,,${c.sku},2.00,12,${caseC}`];
  const dry = await post(csv(rows), '?dry_run=true');
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual({ ...dry.json, errors: undefined }, { rows: 3, created: 3, updated: 0, unchanged: 0, applied: false, errors: undefined });
  assert.deepEqual((await clerk.get(`/api/v1/suppliers/${sup.id}/items`)).json.items, [], 'a dry run writes nothing');

  const ok = await post(csv(rows));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.applied, true);
  assert.equal(ok.json.created, 3);
  const items = (await clerk.get(`/api/v1/suppliers/${sup.id}/items`)).json.items;
  const byItem = Object.fromEntries(items.map((i) => [i.item_id, i]));
  assert.equal(byItem[a.id].cost, 125);
  assert.equal(byItem[a.id].case_pack, 6);
  assert.equal(byItem[b.id].cost, 99);
  assert.equal(byItem[c.id].case_gtin, caseC);
  assert.equal((await clerk.get(`/api/v1/scan/${caseC}`)).json.pack_quantity, 12);

  // Again with one change: rows keyed by the supplier's SKU alone work once it is known.
  const again = await buyer.post(`/api/v1/suppliers/${sup.id}/price-list`,
    ['supplier_sku,cost', 'PL-A,1.25', 'PL-B,1.09', 'PL-C,2.00'].join('\n'), { 'content-type': 'text/csv' });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.created, again.json.updated, again.json.unchanged], [0, 1, 2]);

  const header = await post('supplier_sku,colour\nX,red\n');
  assert.equal(header.status, 422);
  assert.ok(header.json.errors.some((e) => e.code === 'unknown_column'), header.text);
  const json = await buyer.post(`/api/v1/suppliers/${sup.id}/price-list`, { rows: [] });
  assert.equal(json.status, 415);
  const empty = await post('');
  assert.equal(empty.status, 422);
  assert.equal(empty.json.errors[0].code, 'empty_file');
});

test('the demo shop has suppliers: one with approved bank details, one waiting for a manager', async () => {
  const demo = await startServer({ demo: true });
  try {
    const list = await demo.get('/api/v1/suppliers');
    assert.equal(list.status, 200, list.text);
    const byName = Object.fromEntries(list.json.suppliers.map((x) => [x.name, x]));
    const bright = byName['Brightfield Wholesale'];
    const meeple = byName['Meeple Works Distribution'];
    assert.equal(bright.payment.iban, 'NL91ABNA0417164300');
    assert.equal(bright.pending_payment_change, null);
    assert.equal(meeple.payment, null);
    const pending = await demo.get('/api/v1/supplier-changes?status=pending');
    assert.deepEqual(pending.json.changes.map((c) => c.supplier_id), [meeple.id]);
    const items = await demo.get(`/api/v1/suppliers/${bright.id}/items?limit=500`);
    assert.equal(items.json.items.length, 40);
    const one = items.json.items[0];
    assert.ok(one.case_gtin, 'demo supplier items carry the case GTIN');
    const scan = await demo.get(`/api/v1/scan/${one.case_gtin}`);
    assert.equal(scan.json.item.id, one.item_id);
    assert.equal(scan.json.pack_quantity, one.case_pack);
  } finally {
    await demo.stop();
  }
});
