// The customer master (issue 22, src/customers/), on SQLite and on PostgreSQL: the import's
// dry run reports per row (create / update / error naming the column) and writes nothing;
// one bad row writes nothing; a clean file creates each customer once, and again updates
// instead of duplicating; phone and email are sealed at rest (neither the raw SQLite file
// nor the PostgreSQL table holds them in the clear) and found by exact value through the
// blind index, also after `backroom keys rotate`; a cashier finds a customer but sees the
// contact masked, the manager sees it in clear; the audit trail holds it masked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, dbExec, cli, checkedFetch, BACKEND } from './lib/server.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const tag = String(process.pid).slice(-4);
const post = (client, csv, dry) => client.post(`/api/v1/customers/import${dry ? '?dry_run=true' : ''}`, csv, { 'content-type': 'text/csv' });
// Phone numbers in the ranges Ofcom and PTS set aside for drama (never a real subscriber).
const PHONE_A = `+44 7700 900${tag.slice(0, 3)}`;
const PHONE_A_E164 = `+447700900${tag.slice(0, 3)}`;
const EMAIL_A = `Anna.Berg.${tag}@Example.com`;
const EMAIL_A_NORMAL = `anna.berg.${tag}@example.com`;

const raw = (sql) => {
  const r = dbExec(s.db, sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
async function byName(client, name) {
  const r = await client.get(`/api/v1/customers?q=${encodeURIComponent(name)}&limit=50`);
  assert.equal(r.status, 200, r.text);
  return r.json.customers;
}

test('the import: a dry run reports per row and writes nothing; one bad row writes nothing; a clean file creates once', async () => {
  const put = await s.put('/api/v1/settings/customers', { default_calling_code: '+46' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.default_calling_code, '46');
  const file = 'Name,Phone,Email,Note,Marketing Consent\n'
    + `Anna Berg ${tag},${PHONE_A},${EMAIL_A},likes tulips,yes\n`
    + `Bo Lind ${tag},070-${tag}-${tag.slice(0, 3)},,,no\n`
    + `Cai Moe ${tag},,cai.${tag}@example.org,,\n`;
  const bad = `Dora ${tag},,not-an-address,,\nEsko ${tag},+46 70 CALL ME,,,\nFia ${tag},,,,maybe\nGus ${tag},${PHONE_A},,,\n`;

  const dry = await post(s, file + bad, true);
  assert.equal(dry.status, 422, dry.text);
  assert.equal(dry.json.code, 'customers_invalid');
  assert.deepEqual(dry.json.errors.map((e) => [e.line, e.column, e.code]),
    [[5, 'email', 'invalid_email'], [6, 'phone', 'invalid_phone'], [7, 'marketing_consent', 'invalid_field'], [8, 'phone', 'duplicate_row']]);
  assert.deepEqual(dry.json.lines.map((l) => [l.line, l.name, l.action]),
    [[2, `Anna Berg ${tag}`, 'create'], [3, `Bo Lind ${tag}`, 'create'], [4, `Cai Moe ${tag}`, 'create']]);
  assert.equal(dry.json.applied, false);
  assert.ok(!JSON.stringify(dry.json).includes(EMAIL_A_NORMAL), 'the report names no contact data');
  assert.deepEqual(await byName(s, `Anna Berg ${tag}`), [], 'a dry run writes nothing');

  const refused = await post(s, `${file}Dora ${tag},,not-an-address,,\n`);
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.json.applied, false);
  assert.deepEqual(await byName(s, `Anna Berg ${tag}`), [], 'one bad row: nothing written');
  assert.deepEqual(await byName(s, `Bo Lind ${tag}`), []);

  const preview = await post(s, file, true);
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual([preview.json.rows, preview.json.creating, preview.json.updating, preview.json.applied], [3, 3, 0, false]);
  assert.deepEqual(await byName(s, `Anna Berg ${tag}`), [], 'a clean dry run writes nothing either');

  const done = await post(s, file);
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.json.creating, done.json.applied], [3, true]);
  assert.deepEqual(done.json.lines.map((l) => l.number), preview.json.lines.map((l) => l.number), 'the dry run showed the numbers the import gave');
  const [anna] = await byName(s, `Anna Berg ${tag}`);
  assert.match(anna.number, /^C-\d{6}$/);
  assert.equal(anna.phone, PHONE_A_E164, 'E.164');
  assert.equal(anna.email, EMAIL_A_NORMAL);
  assert.equal(anna.marketing_consent, true);
  assert.ok(anna.marketing_consent_at, 'the consent is dated');
  const [bo] = await byName(s, `Bo Lind ${tag}`);
  assert.equal(bo.phone, `+4670${tag}${tag.slice(0, 3)}`, 'a national number takes the shop\'s calling code, its trunk 0 dropped');

  // Again, with a changed note, the email in another case and Anna's number: updates, no duplicates.
  const again = await post(s, file.replace('likes tulips', 'likes roses').replace(EMAIL_A, EMAIL_A.toUpperCase()));
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.creating, again.json.updating, again.json.unchanged], [0, 1, 2]);
  assert.equal((await byName(s, `Anna Berg ${tag}`)).length, 1, 'one customer, not two');
  const byNumber = await post(s, `number,name,note\n${anna.number},Anna Berg-Lind ${tag},\n`);
  assert.equal(byNumber.status, 200, byNumber.text);
  assert.deepEqual(byNumber.json.lines.map((l) => [l.number, l.action]), [[anna.number, 'update']]);
  const renamed = await s.get(`/api/v1/customers/${anna.id}`);
  assert.equal(renamed.json.name, `Anna Berg-Lind ${tag}`);
  assert.equal(renamed.json.note, 'likes roses', 'an empty cell leaves what the customer has');

  const audit = await s.get(`/api/v1/audit?entity_id=${anna.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.deepEqual(audit.json.entries.map((e) => e.action).sort(), ['customer.create', 'customer.update', 'customer.update']);
  assert.ok(!audit.text.includes(EMAIL_A_NORMAL) && !audit.text.includes(PHONE_A_E164), 'the audit trail holds contact data masked');
});

test('the command line import: the same report, all or nothing', async () => {
  const file = path.join(s.dir, 'customers.csv');
  writeFileSync(file, `name,phone\nCli One ${tag},+358 40 ${tag}${tag.slice(0, 3)}\nCli Two ${tag},+358 40 ${tag}${tag.slice(0, 3)}\n`);
  const dup = cli(['customers', 'import', '--db', s.db, '--file', file, '--dry-run']);
  assert.equal(dup.status, 1, dup.stdout + dup.stderr);
  assert.match(dup.stderr, /:3 column phone: the same phone is on line 2 already \[duplicate_row\]/);
  assert.match(dup.stdout, /2 rows: 1 to create, 0 to update, 0 unchanged, 1 errors — dry run, nothing written/);
  writeFileSync(file, `name,email\nCli One ${tag},cli.one.${tag}@example.com\n`);
  const dry = cli(['customers', 'import', '--db', s.db, '--file', file, '--dry-run']);
  assert.equal(dry.status, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /2: create C-\d{6} Cli One/);
  assert.deepEqual(await byName(s, `Cli One ${tag}`), [], 'a dry run from the shell writes nothing');
  const real = cli(['customers', 'import', '--db', s.db, '--file', file]);
  assert.equal(real.status, 0, real.stdout + real.stderr);
  assert.match(real.stdout, /1 rows: 1 to create, 0 to update, 0 unchanged, 0 errors — imported/);
  assert.equal((await byName(s, `Cli One ${tag}`)).length, 1);
});

test('least privilege: the till finds a customer with the contact masked; the manager sees it and edits; a cashier may not import', async () => {
  const manager = await s.as('manager');
  const cashier = await s.as('cashier');
  const created = await manager.post('/api/v1/customers', { name: `Till Person ${tag}`, phone: '+46 70 000 11 22', email: `till.${tag}@example.se` });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.contact_shown, true);
  assert.equal(created.json.phone, '+46700001122');

  const found = await cashier.get(`/api/v1/customers?phone=${encodeURIComponent('070-000 11 22')}`);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.json.customers.map((c) => c.id), [created.json.id], 'exact look-up by the phone as the customer says it');
  const seen = found.json.customers[0];
  assert.equal(seen.contact_shown, false);
  assert.equal(seen.phone, '+46 ••• 22');
  assert.equal(seen.email, `t•••@example.se`);
  const byEmail = await cashier.get(`/api/v1/customers?email=${encodeURIComponent(`TILL.${tag}@example.se`)}`);
  assert.deepEqual(byEmail.json.customers.map((c) => c.id), [created.json.id]);
  assert.deepEqual((await cashier.get('/api/v1/customers?phone=%2B46700001123')).json.customers, [], 'exact, not similar');

  for (const [method, p, body] of [['POST', '/api/v1/customers', { name: 'x' }], ['PATCH', `/api/v1/customers/${created.json.id}`, { note: 'x', version: 1 }]]) {
    const r = await cashier.request(method, p, body);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.permission, 'customers.manage');
  }
  const imp = await post(cashier, `name\nNope ${tag}\n`, true);
  assert.equal(imp.status, 403, imp.text);

  const taken = await manager.post('/api/v1/customers', { name: 'Other', phone: '+46700001122' });
  assert.equal(taken.status, 409, taken.text);
  assert.deepEqual([taken.json.code, taken.json.field], ['customer_phone_taken', 'phone']);
  const stale = await manager.patch(`/api/v1/customers/${created.json.id}`, { note: 'x', version: 7 });
  assert.equal(stale.status, 412, stale.text);
  const removed = await manager.patch(`/api/v1/customers/${created.json.id}`, { email: '', version: 1 });
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.json.email, null);
  assert.equal(removed.json.version, 2);
});

test('encrypted at rest: the raw database holds no phone or email in the clear; keys rotate keeps them readable and findable', async () => {
  const phone = `+46701${tag}99`;
  const email = `sealed.${tag}@example.net`;
  // With an Idempotency-Key: the stored answer (it holds the contact data) is sealed too.
  const made = await s.post('/api/v1/customers', { name: `Sealed ${tag}`, phone, email }, { 'idempotency-key': `sealed-${tag}` });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  const stored = raw(`SELECT phone || '|' || email || '|' || phone_index || '|' || email_index FROM customers WHERE id = '${id}'`).trim();
  const [p, e, pi, ei] = stored.split('|');
  assert.match(p, /^sb1:/);
  assert.match(e, /^sb1:/);
  assert.match(pi, /^[0-9a-f]{32}$/);
  assert.match(ei, /^[0-9a-f]{32}$/);
  const everything = raw('SELECT * FROM customers') + raw('SELECT body FROM idempotent_requests');
  assert.ok(raw("SELECT count(*) FROM idempotent_requests WHERE sealed = 1").trim() !== '0', 'the answer was stored, sealed');
  for (const plain of [phone, phone.slice(1), email, email.split('@')[0]])
    assert.ok(!everything.includes(plain), `the table holds ${plain} in the clear`);
  if (BACKEND === 'sqlite') {
    raw('PRAGMA wal_checkpoint(TRUNCATE)');
    for (const f of [s.db, `${s.db}-wal`].filter(existsSync)) {
      const bytes = readFileSync(f);
      for (const plain of [phone.slice(1), email]) assert.equal(bytes.indexOf(plain), -1, `${path.basename(f)} holds ${plain}`);
    }
  }

  await s.stop({ keep: true });
  const rotated = cli(['keys', 'rotate', '--db', s.db]);
  assert.equal(rotated.status, 0, rotated.stdout + rotated.stderr);
  const after = raw(`SELECT phone || '|' || phone_index FROM customers WHERE id = '${id}'`).trim().split('|');
  assert.notEqual(after[0], p, 'sealed again under the new key');
  assert.notEqual(after[1], pi, 'the blind index follows the new key');
  s = await startServer({ db: s.db });
  const manager = await s.as('manager');
  const read = await manager.get(`/api/v1/customers/${id}`);
  assert.equal(read.status, 200, read.text);
  assert.deepEqual([read.json.phone, read.json.email], [phone, email]);
  const found = await manager.get(`/api/v1/customers?phone=${encodeURIComponent(phone)}`);
  assert.deepEqual(found.json.customers.map((c) => c.id), [id], 'found by phone under the new key');
  const foundByEmail = await manager.get(`/api/v1/customers?email=${encodeURIComponent(email)}`);
  assert.deepEqual(foundByEmail.json.customers.map((c) => c.id), [id], 'found by email under the new key');
});

test('export everything: customers.csv holds the contact data in clear, without the blind indexes', async () => {
  const email = `exported.${tag}@example.com`;
  const made = await s.post('/api/v1/customers', { name: `Exported ${tag}`, email });
  assert.equal(made.status, 201, made.text);
  const res = await checkedFetch(`${s.url}/api/v1/export`, { headers: { ...s.headers } });
  assert.equal(res.status, 200);
  const file = path.join(s.dir, 'export.zip');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const csv = execFileSync('unzip', ['-p', file, 'customers.csv'], { encoding: 'utf8' });
  const header = csv.split('\r\n')[0].split(',');
  assert.ok(header.includes('email') && header.includes('number'), header.join(','));
  assert.ok(!header.includes('phone_index') && !header.includes('email_index'), 'no keyed hashes');
  assert.ok(csv.includes(email), 'the e-mail in clear for the shop\'s owner');
  assert.ok(!csv.includes('sb1:'), 'nothing left sealed');
});
