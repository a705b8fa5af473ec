// "Export everything" (issue 22, src/platform/shop_export.hpp): the whole shop as CSV files in
// one ZIP, over HTTP (shop.export: admin only, audited) and from the CLI, on either backend.
// The archive is read back with Debian's unzip: every table is there with its rows, sealed
// values (a customer's email, a supplier's IBAN) are in clear, credentials are not (no
// password or PIN hash, no API key or session secret), a text a spreadsheet would run as a
// formula is guarded, and README.txt says what was left out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, tempDir, checkedFetch } from './lib/server.mjs';
import { makeItem, store, uuidv7 } from './lib/shop.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const IBAN = 'DE89370400440532013000';
const unzip = (file, entry) => execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8' });
const entries = (file) => execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
const header = (csv) => csv.split('\r\n')[0].split(',');

test('the whole shop as CSV in one ZIP: every table, sealed values in clear, no credentials, formulas guarded', async () => {
  const shop = await store(s);
  const item = await makeItem(s, { name: '=HYPERLINK("http://x")', price: 1234 });
  const supplier = await s.post('/api/v1/suppliers', { name: `Export Co ${process.pid}`, payment: { iban: IBAN, bic: 'COBADEFFXXX', account_name: 'Export Co' } });
  assert.equal(supplier.status, 201, supplier.text);
  const order = await s.post('/api/v1/online-orders', {
    channel: 'web', external_id: `EXP-${uuidv7()}`, location_id: shop.id, promised_at: '2030-01-01T10:00:00Z',
    customer: { name: 'Edda Export', email: 'edda@example.com' }, lines: [{ item_id: item.id, quantity: 1, unit_price: 1234 }],
  });
  assert.equal(order.status, 201, order.text);
  // Sold by weight: the sale's event and audit JSON hold 1.5 as the number it is.
  const kg = await makeItem(s, { price: 250, unit: 'kg', sold_by_weight: true });
  const weighed = await s.post('/api/v1/sales', { id: uuidv7(), location_id: shop.id, lines: [{ item_id: kg.id, quantity: 1.5 }], tenders: [{ type: 'cash', amount: 1000 }] });
  assert.equal(weighed.status, 201, weighed.text);

  const cashier = await s.as('cashier');
  const refused = await cashier.get('/api/v1/export');
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.permission, 'shop.export');

  const res = await checkedFetch(`${s.url}/api/v1/export`, { headers: { ...s.headers } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition'), /attachment; filename="backroom-export-\d{4}-\d{2}-\d{2}\.zip"/);
  const file = path.join(tempDir('backroom-export-'), 'shop.zip');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  execFileSync('unzip', ['-tq', file]);  // the archive is whole

  const names = entries(file);
  for (const t of ['items', 'stock_movements', 'sales', 'suppliers', 'online_orders', 'audit_log', 'users', 'api_keys'])
    assert.ok(names.includes(`${t}.csv`), `${t}.csv in ${names.join(' ')}`);
  assert.ok(!names.includes('sessions.csv') && !names.includes('idempotent_requests.csv'), 'no sessions, no stored answers');

  const items = unzip(file, 'items.csv');
  assert.ok(items.includes(item.id) && items.includes(item.sku));
  assert.ok(items.includes(`"'=HYPERLINK(""http://x"")"`), 'a formula is guarded with a leading quote');
  assert.ok(unzip(file, 'online_orders.csv').includes('edda@example.com'), 'the customer\'s contact in clear');
  assert.ok(!unzip(file, 'online_orders.csv').includes('sb1:'), 'nothing left sealed');
  assert.ok(header(unzip(file, 'online_orders.csv')).includes('customer_id'), 'the order names its customer');
  assert.match(order.json.customer.number, /^C-\d{6}$/);
  assert.ok(unzip(file, 'online_orders.csv').includes(order.json.customer.id));
  assert.ok(unzip(file, 'customers.csv').includes('edda@example.com'), 'the customer made from the order, contact in clear');
  // The bank details wait for a second person's approval: wherever they are kept, in clear.
  const withIban = names.filter((n) => n.endsWith('.csv') && unzip(file, n).includes(IBAN));
  assert.ok(withIban.length > 0, 'the bank details in clear');
  for (const n of names.filter((x) => x.endsWith('.csv'))) assert.ok(!unzip(file, n).includes('sb1:'), `${n}: nothing left sealed`);
  const sold = unzip(file, 'events.csv').split('\r\n').find((l) => l.includes('sale.completed') && l.includes(weighed.json.id));
  assert.match(sold, /""quantity"":1\.5,/, 'the weighed quantity as a bare number');
  for (const n of names.filter((x) => x.endsWith('.csv'))) assert.ok(!/\\u001e|\x1e/.test(unzip(file, n)), `${n}: an internal decimal form in the export`);
  const users = unzip(file, 'users.csv');
  assert.ok(!header(users).includes('password_hash') && !header(users).includes('pin_hash'));
  assert.ok(users.includes('admin'));
  assert.ok(!header(unzip(file, 'api_keys.csv')).includes('secret_hash'));
  assert.ok(!header(unzip(file, 'webhook_endpoints.csv')).includes('secret'));
  const readme = unzip(file, 'README.txt');
  assert.match(readme, /schema version \d+/);
  assert.match(readme, /items\.csv: \d+ rows/);
  assert.match(readme, /users\.password_hash: /);

  // Who exported, and when: in the audit trail.
  let trail;
  for (let i = 0; i < 100; i++) {
    trail = (await s.get('/api/v1/audit?action=shop.export')).json.entries;
    if (trail.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(trail.length, 1);
  assert.ok(JSON.stringify(trail[0]).includes('admin'), JSON.stringify(trail[0]));
});

test('backroom export writes the same ZIP from the command line, never over a file', () => {
  const dir = tempDir('backroom-export-cli-');
  const file = path.join(dir, 'shop.zip');
  const made = cli(['export', '--db', s.db, '--to', file]);
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /exported \d+ rows in \d+ CSV files/);
  assert.ok(existsSync(file));
  assert.ok(entries(file).includes('items.csv'));
  const again = cli(['export', '--db', s.db, '--to', file]);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /exists/);
});
