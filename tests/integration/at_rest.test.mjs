// Encryption at rest (issue 22): supplier bank details (the suppliers row and every pending
// or decided change) and online orders' customer contact data are sealed under the shop key
// (platform/secret_box: "sb1:" + XSalsa20-Poly1305); the raw columns hold no plaintext, the
// API still reads them, and a row written before sealing still reads. Webhook and channel
// secrets were sealed before (integration.webhooks, integration.order_channels).
// Runs on SQLite and on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, dbExec, cli, BACKEND } from './lib/server.mjs';
import { adjust, makeItem, store, uuidv7 } from './lib/shop.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s.stop(); });

// The shop key file (platform/secret_box.hpp key_path): beside an SQLite file, under
// $HOME/.config/backroom/keys for PostgreSQL.
function readKeyPath() {
  if (process.env.BACKROOM_KEY_FILE) return process.env.BACKROOM_KEY_FILE;
  if (BACKEND === 'sqlite') return `${s.db}.key`;
  const u = new URL(s.db);
  const clean = (t) => t.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(os.homedir(), '.config/backroom/keys', `${clean(u.hostname || 'local')}_${u.port || '5432'}_${clean(u.pathname.slice(1) || 'postgres')}.key`);
}

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
  const { name, phone, email } = placed.json.customer;
  assert.deepEqual({ name, phone, email }, { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' });
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

test('backroom keys rotate: every sealed value re-encrypted under a new key, the old key retired, the data still reads', async () => {
  const buyer = await s.as('buyer');
  const created = await buyer.post('/api/v1/suppliers', {
    name: `Rotated Bank ${uuidv7()}`, payment: { iban: 'GB82 WEST 1234 5698 7654 32', bic: 'NWBKGB2L', account_name: 'Rotated Ltd' },
  });
  assert.equal(created.status, 201, created.text);
  const changeId = created.json.change_id;
  // The tampered value the test before left would (rightly) stop the rotation.
  raw("UPDATE online_orders SET customer_phone = '' WHERE customer_phone = 'sb1:AAAA'");
  const before = raw(`SELECT payment_iban FROM supplier_changes WHERE id = '${changeId}'`)[0];
  const keyFile = readKeyPath();
  const oldKey = readFileSync(keyFile, 'utf8');
  await s.stop({ keep: true });
  const rotated = cli(['keys', 'rotate', '--db', s.db]);
  assert.equal(rotated.status, 0, rotated.stdout + rotated.stderr);
  assert.match(rotated.stdout, /re-encrypted \d+ sealed values under a new shop key .*; the old key is kept as .*\.retired-/);
  const after = raw(`SELECT payment_iban FROM supplier_changes WHERE id = '${changeId}'`)[0];
  assert.match(after, /^sb1:/);
  assert.notEqual(after, before, 'sealed again');
  assert.notEqual(readFileSync(keyFile, 'utf8'), oldKey, 'a new key');
  const retired = readdirSync(path.dirname(keyFile)).filter((f) => f.startsWith(`${path.basename(keyFile)}.retired-`));
  assert.equal(retired.length, 1);
  assert.equal(readFileSync(path.join(path.dirname(keyFile), retired[0]), 'utf8'), oldKey);
  assert.ok(!existsSync(`${keyFile}.next`));
  // A tampered value makes the whole rotation refuse, with nothing changed.
  const bic = raw(`SELECT payment_bic FROM supplier_changes WHERE id = '${changeId}'`)[0];
  raw(`UPDATE supplier_changes SET payment_bic = 'sb1:AAAA' WHERE id = '${changeId}'`);
  const refused = cli(['keys', 'rotate', '--db', s.db]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /nothing changed, the old key stays/);
  assert.equal(raw(`SELECT payment_iban FROM supplier_changes WHERE id = '${changeId}'`)[0], after);
  assert.ok(!existsSync(`${keyFile}.next`));
  raw(`UPDATE supplier_changes SET payment_bic = '${bic}' WHERE id = '${changeId}'`);
  // The server reads the re-encrypted values with the new key.
  s = await startServer({ db: s.db });
  const manager = await s.as('manager');
  const listed = await manager.get(`/api/v1/supplier-changes/${changeId}`);
  assert.equal(listed.status, 200, listed.text);
  assert.equal(listed.json.payment.iban, 'GB82WEST12345698765432');
});
