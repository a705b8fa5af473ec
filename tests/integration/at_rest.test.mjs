// Encryption at rest (issue 22): supplier bank details (the suppliers row and every pending
// or decided change) and online orders' customer contact data are sealed under the shop key
// (platform/secret_box: "sb1:" + XSalsa20-Poly1305); the raw columns hold no plaintext, the
// API still reads them, and a row written before sealing still reads. Webhook and channel
// secrets were sealed before (integration.webhooks, integration.order_channels).
// Runs on SQLite and on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, dbExec } from './lib/server.mjs';
import { adjust, makeItem, store, uuidv7 } from './lib/shop.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

const raw = (sql) => {
  const r = dbExec(s.db, sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
};

test('supplier bank details: the raw columns are sealed, the API reads them in full', async () => {
  const buyer = await s.as('buyer');
  const manager = await s.as('manager');
  const created = await buyer.post('/api/v1/suppliers', {
    name: `Sealed Bank ${uuidv7()}`, payment: { iban: 'DE89 3704 0044 0532 0130 00', bic: 'DEUTDEFF', account_name: 'Sealed Bank BV' },
  });
  assert.equal(created.status, 201, created.text);
  const approved = await manager.post(`/api/v1/supplier-changes/${created.json.change_id}/approve`);
  assert.equal(approved.status, 200, approved.text);
  const id = created.json.supplier.id;
  const read = await manager.get(`/api/v1/suppliers/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.payment.iban, 'DE89370400440532013000');
  assert.equal(read.json.payment.account_name, 'Sealed Bank BV');

  const rows = [
    ...raw(`SELECT payment_iban || '|' || payment_bic || '|' || payment_account_name FROM suppliers WHERE id = '${id}'`),
    ...raw(`SELECT payment_iban || '|' || payment_bic || '|' || payment_account_name FROM supplier_changes WHERE supplier_id = '${id}'`),
  ];
  assert.equal(rows.length, 2);
  for (const row of rows) {
    for (const value of row.split('|')) assert.match(value, /^sb1:[A-Za-z0-9+/=]+$/, row);
    for (const plain of ['DE89', '370400440532013000', 'DEUTDEFF', 'Sealed Bank']) assert.ok(!row.includes(plain), `${plain} in ${row}`);
  }
  // Two seals of the same value differ (a fresh nonce each).
  const [supplierIban, changeIban] = rows.map((r) => r.split('|')[0]);
  assert.notEqual(supplierIban, changeIban);
});

test('online order customer contact data: sealed at rest, read back through the API; old plaintext rows still read', async () => {
  const shop = await store(s);
  const item = await makeItem(s);
  await adjust(s, item, shop, 10, 'opening');
  const webshop = await s.as('webshop');
  const placed = await webshop.post('/api/v1/online-orders', {
    channel: 'web', external_id: `W-${uuidv7()}`, location_id: shop.id,
    promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
    customer: { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' },
    lines: [{ item_id: item.id, quantity: 1, unit_price: 1000 }],
  }, { 'idempotency-key': uuidv7() });
  assert.equal(placed.status, 201, placed.text);
  const id = placed.json.id;
  assert.deepEqual(placed.json.customer, { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' });
  const [row] = raw(`SELECT customer_name || '|' || customer_phone || '|' || customer_email FROM online_orders WHERE id = '${id}'`);
  for (const value of row.split('|')) assert.match(value, /^sb1:/, row);
  for (const plain of ['Ada', 'Shopper', '3161234567', 'example.com']) assert.ok(!row.includes(plain), `${plain} in ${row}`);
  const read = await s.get(`/api/v1/online-orders/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.customer.email, 'ada@example.com');

  // A row from before the columns were sealed reads as it is.
  raw(`UPDATE online_orders SET customer_name = 'Old Plain Row' WHERE id = '${id}'`);
  const old = await s.get(`/api/v1/online-orders/${id}`);
  assert.equal(old.json.customer.name, 'Old Plain Row');
  // A sealed value that was tampered with is an error, never a wrong answer.
  raw(`UPDATE online_orders SET customer_phone = 'sb1:AAAA' WHERE id = '${id}'`);
  const tampered = await s.get(`/api/v1/online-orders/${id}`);
  assert.equal(tampered.status, 500, tampered.text);
});
