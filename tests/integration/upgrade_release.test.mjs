// An upgrade from a real past release (issue 22, "upgrades with a way back"): a shop that
// backroom at commit c9b85bd (schema version 23, main of 2026-12-04) wrote itself — its demo
// shop, then a day of trade through its API: 24 sales, a return to stock, a damaged return,
// a void, a purchase order received short, a count approved with reasons, a price change —
// dumped from SQLite and from PostgreSQL (tests/upgrade/make_fixture.sh says how). This
// backroom migrates it (after a backup), and the books must say what the release said:
// every sale and receipt number, the voided sale, each item's stock, the day's KPIs, the
// demand history behind the planning chart; the release's people sign in with their
// passwords; the register numbers its next receipt without a gap; `check` and `audit verify`
// hold; and the backup rolls the shop back to the release's schema. On SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { BACKEND, cli, dbExec, freshDb, startServer, tempDir } from './lib/server.mjs';
import { saleBody } from './lib/shop.mjs';

const RELEASE = 'c9b85bd';
const RELEASE_SCHEMA = 23;
const fixtures = path.resolve(import.meta.dirname, '../upgrade');
const expected = JSON.parse(readFileSync(path.join(fixtures, `release-${RELEASE}.json`), 'utf8'));

const version = (db) => Number(dbExec(db, 'SELECT MAX(version) FROM schema_migrations').stdout.trim());

// Loads the release's own dump into a new, empty database of this run's backend.
function loadRelease(dir) {
  const db = freshDb(dir, 'released');
  const sql = gunzipSync(readFileSync(path.join(fixtures, `release-${RELEASE}.${BACKEND === 'sqlite' ? 'sqlite' : 'pg'}.sql.gz`)));
  const r = BACKEND === 'sqlite'
    ? spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' })
    : spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db], { input: sql, encoding: 'utf8' });
  assert.equal(r.status, 0, `loading the release's dump: ${r.stderr}`);
  // The shop key the release made beside its file (nothing of this shop is sealed with it
  // yet, but an operator moves it with the books).
  const key = BACKEND === 'sqlite' ? `${db}.key` : path.join(dir, 'shop.key');
  copyFileSync(path.join(fixtures, `release-${RELEASE}.key`), key);
  chmodSync(key, 0o600);
  return { db, shopKey: key };
}

// What the upgraded shop says must equal what the release said, field by field (the newer
// release may add fields; it may not change one the older release gave).
function assertSays(actual, said, where) {
  for (const [field, value] of Object.entries(said)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) assertSays(actual?.[field], value, `${where}.${field}`);
    else assert.deepEqual(actual?.[field], value, `${where}.${field}`);
  }
}

test(`a shop written by release ${RELEASE} (schema ${RELEASE_SCHEMA}) upgrades with its books intact, and rolls back`, async () => {
  const dir = tempDir('backroom-release-');
  const { db, shopKey } = loadRelease(dir);
  assert.equal(version(db), RELEASE_SCHEMA);
  // The release's own demand rows of its busiest series, read from its own table (schema 23
  // kept a row per day; migration 29 repacks them by month).
  const rows = (sql) => dbExec(db, sql).stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
  const [[storeId, busiest]] = rows(`SELECT location_id, item_id FROM demand_history GROUP BY location_id, item_id ORDER BY COUNT(*) DESC, item_id LIMIT 1`);
  const demand = new Map(rows(`SELECT day, SUM(units) FROM demand_history WHERE location_id = '${storeId}' AND item_id = '${busiest}' GROUP BY day`)
    .map(([day, milli]) => [day, Number(milli) / 1000]));  // stored in thousandths of a unit

  const backupKey = path.join(dir, 'backup.key');
  assert.equal(cli(['keys', 'generate', '--to', backupKey]).status, 0);
  // The shop's clock is the evening of the day the release traded, so "today" (the KPI
  // report's and the planning chart's) is that day whenever this test runs.
  const clock = path.join(dir, 'clock');
  writeFileSync(clock, `${expected.made_on}T22:00:00Z\n`);
  const env = {
    BACKROOM_TEST_CLOCK_FILE: clock,
    BACKROOM_BACKUP_DIR: path.join(dir, 'backups'),
    BACKROOM_BACKUP_KEY_FILE: backupKey,
    ...(BACKEND === 'sqlite' ? {} : { BACKROOM_KEY_FILE: shopKey }),
  };

  const plan = cli(['migrate', '--db', db, '--dry-run'], { env });
  assert.equal(plan.status, 0, plan.stderr);
  const pending = [...plan.stdout.matchAll(/^would apply (\d+):/gm)].map((m) => Number(m[1]));
  const latest = Math.max(...pending);
  assert.deepEqual(pending, Array.from({ length: latest - RELEASE_SCHEMA }, (_, i) => RELEASE_SCHEMA + 1 + i),
    'every migration since the release, in order');
  assert.equal(version(db), RELEASE_SCHEMA, 'a dry run changes nothing');

  const up = cli(['migrate', '--db', db], { env });
  assert.equal(up.status, 0, up.stdout + up.stderr);
  assert.match(up.stdout, new RegExp(`schema version ${RELEASE_SCHEMA} -> ${latest}`));
  const backups = readdirSync(env.BACKROOM_BACKUP_DIR);
  assert.equal(backups.length, 1, backups.join());
  assert.match(backups[0], new RegExp(`-v${RELEASE_SCHEMA}-before-v${latest}-`));
  assert.equal(version(db), latest);

  const books = (when) => {
    const check = cli(['check', '--db', db], { env });
    assert.equal(check.status, 0, `${when}: ${check.stdout}${check.stderr}`);
    assert.match(check.stdout, /the books hold/);
    const audit = cli(['audit', 'verify', '--db', db], { env });
    assert.equal(audit.status, 0, `${when}: ${audit.stdout}${audit.stderr}`);
  };
  books('after the upgrade');

  const s = await startServer({ db, env });
  try {
    // Every sale of the release, with its receipt number and total; the voided one voided.
    const listed = [];
    for (let cursor = ''; ;) {
      const r = await s.get(`/api/v1/sales?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      listed.push(...r.json.sales);
      if (!r.json.next_cursor) break;
      cursor = r.json.next_cursor;
    }
    for (const sale of expected.sales) {
      const found = listed.find((x) => x.id === sale.id);
      assert.ok(found, `sale ${sale.receipt_number} is listed`);
      assert.equal(found.receipt_number, sale.receipt_number);
      assert.equal(found.total, sale.total, sale.receipt_number);
    }
    assert.equal(listed.length, expected.sales.length);
    assert.equal((await s.get(`/api/v1/sales/${expected.voided}`)).json.status, 'voided');

    // Each item's stock at the store, as the release counted it.
    const store = (await s.get('/api/v1/locations')).json.locations.find((l) => l.name === expected.location);
    assert.ok(store, expected.location);
    const idOf = Object.fromEntries(expected.kpis.rows.map((r) => [r.sku, r.item_id]));
    for (const [sku, onHand] of Object.entries(expected.on_hand)) {
      const r = await s.get(`/api/v1/stock?item_id=${idOf[sku]}&location_id=${store.id}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.on_hand, onHand, `${sku} on hand`);
    }

    // The day's KPIs per item and in total: sold, sales, shrink by reason, stock, GMROI's parts.
    const day = expected.made_on;
    const kpis = await s.get(`/api/v1/reports/kpis?from=${day}&to=${day}&location_id=${store.id}&group=item`);
    assert.equal(kpis.status, 200, kpis.text);
    const { count_accuracy: _ca, forecast_wape: _fw, ...total } = expected.kpis.total;
    assertSays(kpis.json.total, total, 'total');
    for (const row of expected.kpis.rows) {
      const { count_accuracy: _a, forecast_wape: _w, ...said } = row;
      assertSays(kpis.json.rows.find((r) => r.item_id === row.item_id), said, row.sku);
    }

    // The demand history behind the planning chart (demand rows were repacked by month in
    // migration 29): every day the release had, the same units.
    const chart = async (location, item) => {
      const r = await s.get(`/api/v1/planning/series?location_id=${location}&item_id=${item}`);
      assert.equal(r.status, 200, r.text);
      return new Map(r.json.history.map((h) => [h.date, h.units]));  // the chart's 84 days
    };
    const busy = await chart(storeId, busiest);
    const shown = [...demand].filter(([date]) => busy.has(date));
    assert.ok(shown.length >= 28, `the chart's days hold the release's history (${shown.length} days)`);
    for (const [date, units] of shown) assert.equal(busy.get(date), units, `demand on ${date}`);
    const traded = await chart(store.id, idOf[expected.series_item]);
    for (const { date, units } of expected.series) assert.equal(traded.get(date), units, `${expected.series_item} on ${date}`);

    // The release's people, with the passwords they had.
    const cashier = await s.signIn('cashier', 'cashier-demo');
    assert.equal(cashier.session.user.role, 'cashier');

    // The register carries on: its next receipt follows the release's last, without a gap.
    const last = expected.sales.at(-1).receipt_number;
    const next = `${last.slice(0, last.lastIndexOf('-') + 1)}${String(Number(last.slice(last.lastIndexOf('-') + 1)) + 1).padStart(6, '0')}`;
    const item = expected.kpis.rows[0].item_id;
    const body = saleBody(store, [[item, 1]], { register_id: expected.register });
    body.tenders = [{ type: 'cash', amount: (await s.post('/api/v1/sales/quote', body)).json.total }];
    const sold = await s.post('/api/v1/sales', body);
    assert.equal(sold.status, 201, sold.text);
    assert.equal(sold.json.receipt_number, next);
  } finally {
    await s.stop({ keep: true });
  }
  books('after a sale on the upgraded shop');

  // The release wrote the online order's customer contact into its audit entries and events
  // (this one writes the customer's number only). Link the order, then redact them: the
  // contact is gone, the chain still verifies, and a redacted entry changed later does not.
  const contact = (sql) => dbExec(db, sql).stdout.includes(expected.online_order.phone);
  const orderAudit = `SELECT before, after FROM audit_log WHERE entity = 'online_order' AND entity_id = '${expected.online_order.id}'`;
  const orderEvents = `SELECT payload FROM events WHERE entity_id = '${expected.online_order.id}'`;
  assert.ok(contact(orderAudit), "the release's audit entries hold the contact");
  assert.ok(contact(orderEvents), "the release's events hold the contact");
  // ... and kept its Idempotency-Key answer to the order's POST in the clear.
  const orderAnswers = "SELECT body FROM idempotent_requests WHERE substr(path, 1, 21) = '/api/v1/online-orders'";
  assert.ok(contact(orderAnswers), "the release's stored answer holds the contact");
  assert.equal(cli(['customers', 'link-orders', '--db', db], { env }).status, 0);
  const redact = cli(['audit', 'redact-contacts', '--db', db], { env });
  assert.equal(redact.status, 0, redact.stdout + redact.stderr);
  assert.match(redact.stdout, /redacted the customer contact from [1-9]\d* audit entries, [1-9]\d* events/);
  assert.match(redact.stdout, /sealed [1-9]\d* stored answers of online-order requests/);
  assert.ok(!contact(orderAnswers), 'no stored answer holds the phone');
  assert.match(dbExec(db, orderAnswers).stdout, /^sb1:/m, 'the answer is sealed under the shop key');
  assert.ok(!contact(orderAudit), 'no audit entry holds the phone');
  assert.ok(!contact(orderEvents), 'no event holds the phone');
  assert.ok(!dbExec(db, orderAudit).stdout.includes(expected.online_order.email));
  assert.match(dbExec(db, orderAudit).stdout, /"number":"C-\d+"/, 'the entries name the customer by number');
  books('after the redaction');
  const again = cli(['audit', 'redact-contacts', '--db', db], { env });
  assert.match(again.stdout, /from 0 audit entries, 0 events.*sealed 0 stored answers/, 'nothing left to redact');
  const seq = dbExec(db, `SELECT MIN(seq) FROM audit_log WHERE entity = 'online_order' AND entity_id = '${expected.online_order.id}'`).stdout.trim();
  assert.equal(dbExec(db, `UPDATE audit_log SET after = replace(after, '"paid":true', '"paid":false') WHERE seq = ${seq}`).status, 0);
  const tampered = cli(['audit', 'verify', '--db', db], { env });
  assert.notEqual(tampered.status, 0, 'a redacted entry changed afterwards breaks the chain');
  assert.match(tampered.stdout + tampered.stderr, new RegExp(`\\b${seq}\\b`));
  assert.equal(dbExec(db, `UPDATE audit_log SET after = replace(after, '"paid":false', '"paid":true') WHERE seq = ${seq}`).status, 0);

  // The way back: the pre-upgrade backup is the release's shop at the release's schema.
  const back = BACKEND === 'sqlite' ? db : freshDb(dir, 'rolled_back');
  const file = path.join(env.BACKROOM_BACKUP_DIR, backups[0]);
  const rollback = cli(['rollback', '--to-backup', file, '--db', back, '--key-file', backupKey], { env });
  assert.equal(rollback.status, 0, rollback.stdout + rollback.stderr);
  assert.equal(version(back), RELEASE_SCHEMA);
  assert.equal(Number(dbExec(back, 'SELECT COUNT(*) FROM sales').stdout.trim()), expected.sales.length);
});
