// Suppliers from a spreadsheet (issue 22 rollout, src/purchasing/supplier_import.hpp), on
// either backend: a dry run reports per row what would be created and what is wrong, naming the
// file's column, and writes nothing; one bad row makes the real import write nothing; a clean
// file creates each supplier once (audited), with bank details filed for another person's
// approval and never in force; importing it again creates nothing; a buyer may import, a clerk
// may not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';

let s;
let buyer;
let manager;
before(async () => {
  s = await startServer();
  await s.createUser({ username: 'imp-buyer', role: 'buyer', password: 'imp-buyer-password' });
  await s.createUser({ username: 'imp-manager', role: 'manager', password: 'imp-manager-password' });
  await s.createUser({ username: 'imp-clerk', role: 'clerk', password: 'imp-clerk-password' });
  buyer = await s.signIn('imp-buyer', 'imp-buyer-password');
  manager = await s.signIn('imp-manager', 'imp-manager-password');
});
after(async () => { await s?.stop(); });

const post = (client, csv, dry) => client.post(`/api/v1/suppliers/import${dry ? '?dry_run=true' : ''}`, csv, { 'content-type': 'text/csv' });
const tag = process.pid;
const IBAN_DE = 'DE89 3704 0044 0532 0130 00';  // published example IBAN (ECBS registry)

async function named(name) {
  const r = await s.get(`/api/v1/suppliers?q=${encodeURIComponent(name)}&limit=50`);
  assert.equal(r.status, 200, r.text);
  return r.json.suppliers.filter((x) => x.name.toLowerCase() === name.toLowerCase());
}

test('a dry run reports per row and names the column; one bad row writes nothing; a clean file creates once', async () => {
  const file = 'Name,Email,Phone,Lead Time Days,Order Days,Min Order Value,IBAN,BIC,Account Name\n'
    + `Greenhouse ${tag},orders@greenhouse.example,+31 20 555 0101,4,"mon, thu",150.00,${IBAN_DE},DEUTDEFF,Greenhouse BV\n`
    + `Ribbon Works ${tag},,,2,fri,,,,\n`;

  const dry = await post(buyer, `${file}Bad Mail ${tag},not-an-address,,,,,,,\nLate ${tag},,,soon,,,,,\nDays ${tag},,,,someday,,,,\n`, true);
  assert.equal(dry.status, 422, dry.text);
  assert.equal(dry.json.code, 'suppliers_invalid');
  assert.deepEqual(dry.json.errors.map((e) => [e.line, e.column, e.code]),
    [[4, 'email', 'invalid_email'], [5, 'lead_time_days', 'invalid_field'], [6, 'order_days', 'invalid_field']]);
  assert.deepEqual(dry.json.lines.map((l) => [l.line, l.name, l.action, l.bank_details_pending]),
    [[2, `Greenhouse ${tag}`, 'create', true], [3, `Ribbon Works ${tag}`, 'create', false]]);
  assert.equal(dry.json.applied, false);
  assert.deepEqual(await named(`Greenhouse ${tag}`), [], 'a dry run writes nothing');

  const bad = await post(buyer, `${file}Bad Mail ${tag},not-an-address,,,,,,,\n`);
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(await named(`Greenhouse ${tag}`), [], 'one bad row: nothing written');

  const preview = await post(buyer, file, true);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual([preview.json.rows, preview.json.creating, preview.json.existing, preview.json.bank_details_pending, preview.json.applied], [2, 2, 0, 1, false]);

  const done = await post(buyer, file);
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.json.creating, done.json.applied], [2, true]);
  const [green] = await named(`Greenhouse ${tag}`);
  assert.ok(green, 'the supplier exists');
  assert.equal(green.contact.email, 'orders@greenhouse.example');
  assert.equal(green.lead_time_days, 4);
  assert.deepEqual(green.order_days, ['mon', 'thu']);
  assert.equal(green.min_order_value, 15000);
  assert.equal(green.payment, null, 'imported bank details are not in force');
  assert.ok(green.pending_payment_change, 'they wait for approval');
  const changes = await manager.get(`/api/v1/supplier-changes?status=pending&supplier_id=${green.id}`);
  assert.equal(changes.status, 200, changes.text);
  assert.equal(changes.json.changes.length, 1);
  assert.equal(changes.json.changes[0].requested_by, 'imp-buyer');
  const approved = await manager.post(`/api/v1/supplier-changes/${changes.json.changes[0].id}/approve`);
  assert.equal(approved.status, 200, approved.text);

  const audit = await s.get(`/api/v1/audit?entity_id=${green.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.entries.some((e) => e.action === 'supplier.create' && e.actor === 'imp-buyer'), 'the creation is audited to the importer');

  // The same file again, with the names in another case: nothing new.
  const again = await post(buyer, file.replace(`Greenhouse ${tag}`, `GREENHOUSE ${tag}`));
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.creating, again.json.existing], [0, 2]);
  assert.equal((await named(`Greenhouse ${tag}`)).length, 1, 'one supplier, not two');
});

test('a name twice in the file, a file without a name column, and a clerk are refused', async () => {
  const twice = await post(buyer, `name\nTwice ${tag}\ntwice  ${tag}\n`, true);
  assert.equal(twice.status, 422, twice.text);
  assert.deepEqual(twice.json.errors.map((e) => [e.line, e.column, e.code]), [[3, 'name', 'duplicate_row']]);
  const nameless = await post(buyer, 'email\nx@example.com\n', true);
  assert.equal(nameless.status, 422, nameless.text);
  assert.equal(nameless.json.errors[0].code, 'missing_column');
  const clerk = await s.signIn('imp-clerk', 'imp-clerk-password');
  const r = await post(clerk, `name\nClerk Co ${tag}\n`);
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.permission, 'suppliers.manage');
});
