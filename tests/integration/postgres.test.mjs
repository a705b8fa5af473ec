// PostgreSQL itself (issue 15): two server processes on one database keep the last-unit
// rule and gap-free receipt numbers (directly and through PgBouncer in transaction mode);
// kill -9 of one process loses or doubles no acknowledged sale; a database that cannot be
// used gives one line and a non-zero exit, never a hang; a connection lost mid-run answers
// 503 database_unavailable and recovers by itself; `backroom copy` moves a whole shop
// SQLite -> PostgreSQL -> SQLite, verified, and refuses a target that is not empty; a
// pipelined statement that fails fails its own command only; a scan's prefetched read shows
// nothing to a refused key and its failure fails the scan only (directly and through
// PgBouncer).
//
// Every test here needs the PostgreSQL test cluster whatever BACKROOM_TEST_BACKEND says
// (ctest gives both registrations of this suite the pg_cluster fixture when
// BACKROOM_PG_TESTS is ON). Only when no cluster is configured at all is the suite skipped.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  ADMIN_PASSWORD, BIN, cli, dbExec, freshPgDb, initializedDb, initializedPgDb, pgCluster, startServer, tempDir,
} from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, openRegister, saleBody, store } from './lib/shop.mjs';

const cluster = pgCluster();
const pg = {
  skip: cluster ? false
    : 'no PostgreSQL test cluster: set BACKROOM_TEST_PG_STATE (scripts/pg-cluster.sh start STATE) or BACKROOM_TEST_PG_URL, '
      + 'or configure with -DBACKROOM_PG_TESTS=ON',
};

const running = new Set();
// A server on `db`, a copy of the run's initialized template (initializedPgDb): these tests
// are about serving from PostgreSQL, not about `init`.
async function serve(db) {
  const s = await startServer({ db, init: false });
  running.add(s);
  return s;
}
after(async () => {
  for (const s of running) await s.stop();
});

function assertAuditHolds(db) {
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 0, `backroom audit verify failed:\n${r.stdout}${r.stderr}`);
}

// The receipt numbers of `sales` at `register`, as numbers, ascending.
function receiptNumbers(sales, register) {
  return sales.map((s) => {
    const m = s.receipt_number.match(new RegExp(`^${register}-(\\d+)$`));
    assert.ok(m, `receipt number ${s.receipt_number} of register ${register}`);
    return Number(m[1]);
  }).sort((x, y) => x - y);
}
const oneTo = (n) => Array.from({ length: n }, (_, i) => i + 1);

// The whole sales journal of one register, read through `s`.
async function journal(s, register) {
  const r = await s.get(`/api/v1/sales?register_id=${register}&limit=500`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_cursor, null, 'the journal fits one page');
  return r.json.sales;
}

// Two servers on `db`; 20 clients (10 through each) buy the last 5 units at one register.
async function lastUnitsFromTwoProcesses(db) {
  const a = await serve(db);
  const b = await serve(db);
  const servers = [a, b];
  const shop = await store(a);
  const scarce = await makeItem(a);
  const plenty = await makeItem(a);
  await adjust(a, scarce, shop, 5, 'opening');
  await adjust(a, plenty, shop, 1000, 'opening');
  // Set through one process, obeyed by both.
  const set = await a.put('/api/v1/settings/sales', { negative_stock: 'refuse' });
  assert.equal(set.status, 200, set.text);
  const register = 'MP-1';
  await openRegister(a, shop, register);
  const current = await b.get(`/api/v1/registers/${register}/sessions/current`);
  assert.equal(current.status, 200, `the other process sees the open session: ${current.text}`);

  const buys = await Promise.all(oneTo(20).map((n) =>
    servers[n % 2].post('/api/v1/sales', saleBody(shop, [[scarce, 1]], { register_id: register }))));
  const statuses = buys.map((r) => r.status).join(' ');
  const accepted = buys.filter((r) => r.status === 201);
  assert.equal(accepted.length, 5, `exactly the 5 units are sold (statuses: ${statuses})`);
  for (const r of buys.filter((x) => x.status !== 201)) {
    assert.ok(r.status === 409 || r.status === 422, `a refused sale is 409/422, not ${r.status}: ${r.text}`);
    assert.equal(r.json?.code, 'insufficient_stock', r.text);
  }
  for (const s of servers) assert.equal(await onHand(s, scarce, shop), 0);
  const moves = await b.get(`/api/v1/stock/movements?item_id=${scarce.id}`);
  assert.equal(moves.json.movements.filter((m) => m.reason === 'sale').length, 5, 'no movement lost or doubled');

  // More sales at the same register through both processes: the numbers continue where the
  // accepted ones left off; the refused ones used none.
  const more = await Promise.all(oneTo(20).map((n) =>
    servers[n % 2].post('/api/v1/sales', saleBody(shop, [[plenty, 1]], { register_id: register }))));
  for (const r of more) assert.equal(r.status, 201, r.text);
  const answered = [...accepted, ...more].map((r) => r.json);
  assert.deepEqual(receiptNumbers(answered, register), oneTo(25), 'receipt numbers without gaps or repeats');
  for (const s of servers) {
    const sales = await journal(s, register);
    assert.deepEqual(receiptNumbers(sales, register), oneTo(25));
    assert.deepEqual(sales.map((x) => x.id).sort(), answered.map((x) => x.id).sort());
  }
  assert.equal(await onHand(a, plenty, shop), 980);
  assertBooksHold(db);
  assertAuditHolds(db);
  for (const s of servers) { await s.stop(); running.delete(s); }
}

test('two server processes on one PostgreSQL database: 20 clients, the last 5 units, gap-free receipts', pg, async () => {
  await lastUnitsFromTwoProcesses(await initializedPgDb('multi'));
});

test('the same two processes through PgBouncer in transaction mode', pg, async () => {
  assert.ok(cluster.bouncerUrl, 'the test cluster runs a PgBouncer (BACKROOM_TEST_PGBOUNCER_URL; is pgbouncer installed?)');
  const db = await initializedPgDb('bouncer', { via: 'pgbouncer' });
  assert.ok(db.startsWith(`${cluster.bouncerUrl}/`));
  // Behind a transaction-mode pooler the servers and the CLI send unnamed statements
  // (docs/scaling.md): a statement prepared in one transaction may be gone in the next.
  process.env.BACKROOM_PG_STATEMENTS = 'unnamed';
  try {
    await lastUnitsFromTwoProcesses(db);
  } finally {
    delete process.env.BACKROOM_PG_STATEMENTS;
  }
});

test('a statement sent ahead that fails fails its own command only, not its neighbours in the batch', pg, async () => {
  // Inside the writer's transaction a command's INSERTs are pipelined: sent without waiting,
  // their errors read at the next wait (docs/scaling.md). The sale's event is the last row its
  // command writes before its RELEASE; a trigger refuses it for the marked sales only, so
  // each marked sale fails after all its other rows were sent, among unmarked sales that
  // arrive together and share its transaction.
  const db = await initializedPgDb('pipeline');
  const s = await serve(db);
  const shop = await store(s);
  const item = await makeItem(s);
  await adjust(s, item, shop, 1000, 'opening');
  const trigger = dbExec(db, `CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.payload LIKE '%"amount":4242%' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_marked BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_marked();`);
  assert.equal(trigger.status, 0, trigger.stderr);
  const marked = (n) => n % 5 === 0;
  const posts = await Promise.all(oneTo(30).map((n) => s.post('/api/v1/sales',
    saleBody(shop, [[item, 1]], marked(n) ? { tenders: [{ type: 'cash', amount: 4242 }] } : {}))));
  const sold = [];
  posts.forEach((r, i) => {
    if (marked(i + 1)) {
      assert.equal(r.status, 500, `a marked sale fails: ${r.text}`);
      assert.equal(r.json?.code, 'internal', r.text);
    } else {
      assert.equal(r.status, 201, `an unmarked sale is not failed by a marked neighbour: ${r.text}`);
      sold.push(r.json.id);
    }
  });
  const journal = await s.get('/api/v1/sales?limit=100');
  assert.equal(journal.status, 200, journal.text);
  assert.deepEqual(journal.json.sales.map((x) => x.id).sort(), sold.sort(), 'exactly the acknowledged sales were kept');
  assert.equal(await onHand(s, item, shop), 1000 - sold.length);
  assertBooksHold(db);
  assertAuditHolds(db);
});

test('kill -9 of one of two servers under sale load: every acknowledged sale once, none doubled by a retry', pg, async () => {
  const db = await initializedPgDb('kill9');
  const a = await serve(db);
  const b = await serve(db);
  const shop = await store(a);
  const items = [await makeItem(a), await makeItem(a), await makeItem(a)];
  for (const item of items) await adjust(a, item, shop, 100000, 'opening');
  const CLIENTS = 8;  // even ones through a (killed), odd ones through b
  // The registers keep their credentials whichever server answers (an Idempotency-Key is the caller's).
  const viaB = b.withKey(a.adminKey);
  for (let n = 0; n < CLIENTS; n++) await openRegister(a, shop, `K9-${n}`);

  const sent = new Map();   // Idempotency-Key -> {register, body}
  const acked = new Map();  // Idempotency-Key -> the 201 answer
  const unexpected = [];
  let ackedOnA = 0;
  let ackedOnBAfterKill = 0;
  let killed = false;
  let stop = false;
  let onEnoughOnA;
  const enoughOnA = new Promise((r) => { onEnoughOnA = r; });
  async function client(n) {
    const s = n % 2 === 0 ? a : viaB;
    for (let k = 0; !stop; k++) {
      const key = `k9-${n}-${k}`;
      const register = `K9-${n}`;
      const body = saleBody(shop, items.map((item, i) => [item, 1 + ((k + i) % 3)]), { register_id: register });
      delete body.id;
      sent.set(key, { register, body });
      let r;
      try {
        r = await s.post('/api/v1/sales', body, { 'idempotency-key': key });
      } catch {
        if (s === a && killed) return;  // the killed process: this sale's fate is unknown
        throw new Error(`server ${s === a ? 'a' : 'b'} failed to answer ${key}`);
      }
      if (r.status !== 201) { unexpected.push(`${key}: ${r.status} ${r.text}`); continue; }
      acked.set(key, r.json);
      if (s === a && ++ackedOnA === 40) onEnoughOnA();
      if (s === viaB && killed && ++ackedOnBAfterKill === 20) stop = true;
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await Promise.race([enoughOnA, Promise.all(clients)]);
  const exited = new Promise((r) => a.child.on('exit', r));
  killed = true;
  a.kill('SIGKILL');
  await exited;
  running.delete(a);
  rmSync(a.dir, { recursive: true, force: true });
  await Promise.all(clients);
  assert.deepEqual(unexpected, [], 'every sale under load was acknowledged until the kill');
  assert.ok(ackedOnA >= 40 && ackedOnBAfterKill >= 20, `${ackedOnA} sales acknowledged by a, ${ackedOnBAfterKill} by b after the kill`);

  for (const [key, sale] of acked) {
    const r = await b.get(`/api/v1/sales/${sale.id}`);
    assert.equal(r.status, 200, `acknowledged sale ${key} (${sale.id}) is missing`);
    assert.equal(r.json.receipt_number, sale.receipt_number);
    const m = await b.get(`/api/v1/stock/movements?document_id=${sale.id}`);
    assert.equal(m.json.movements.length, items.length, `sale ${key} moved stock once per line`);
  }
  assertBooksHold(db);
  // The registers of the killed process retry on the surviving one, same keys and bodies.
  for (const [key, { body }] of sent) {
    const r = await viaB.post('/api/v1/sales', body, { 'idempotency-key': key });
    if (acked.has(key)) {
      assert.equal(r.status, 201, `an acknowledged sale is never posted twice (${key}): ${r.text}`);
      assert.equal(r.headers.get('idempotent-replayed'), 'true', `the first answer, replayed (${key})`);
      assert.equal(r.json.id, acked.get(key).id);
    } else {
      assert.ok(r.status === 201 || r.status === 200, `${key}: ${r.status} ${r.text}`);
    }
  }
  for (let n = 0; n < CLIENTS; n++) {
    const register = `K9-${n}`;
    const keys = [...sent.values()].filter((x) => x.register === register).length;
    const sales = await journal(b, register);
    assert.equal(sales.length, keys, `register ${register}: one sale per key`);
    assert.deepEqual(receiptNumbers(sales, register), oneTo(keys), `register ${register}: receipts without gaps or repeats`);
  }
  for (const [i, item] of items.entries()) {
    let sold = 0;
    for (const { body } of sent.values()) sold += body.lines[i].quantity;
    assert.equal(await onHand(b, item, shop), 100000 - sold);
  }
  assertBooksHold(db);
  assertAuditHolds(db);
});

async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

test('an unreachable database, a wrong password, a newer schema: one line, non-zero exit, no hang', pg, async () => {
  const password = new URL(cluster.url).password;
  const wrong = new URL(cluster.url);
  wrong.password = 'not-the-password';
  const newer = await initializedPgDb('newer');
  let r = dbExec(newer, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from a newer backroom', 0)");
  assert.equal(r.status, 0, r.stderr);
  const cases = [
    ['an unreachable database (a closed port)', `postgresql://backroom_test:secret-pw@127.0.0.1:${await closedPort()}/shop`, /refused|connect/i],
    ['a wrong password', `${wrong.href.replace(/\/+$/, '')}/postgres`, /password/i],
    ['a database at a newer schema', newer, /999/],
  ];
  const dir = tempDir('backroom-badpg-');
  const sqliteShop = await initializedDb(dir, { backend: 'sqlite' });
  const commands = [
    (db) => ['check', '--db', db],
    (db) => ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false'],
    (db) => ['init', '--db', db, '--admin-password', ADMIN_PASSWORD],
    (db) => ['migrate', '--db', db],
    (db) => ['copy', '--from', db, '--to', freshPgDb('copy_target')],
    (db) => ['copy', '--from', sqliteShop, '--to', db],
  ];
  for (const [what, db, says] of cases) {
    for (const command of commands) {
      const args = command(db);
      const label = `backroom ${args.map((a) => (a === db ? `<${what}>` : a)).join(' ')}`;
      // A generous bound that only a hang reaches.
      const p = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30000, killSignal: 'SIGKILL' });
      assert.equal(p.error?.code, undefined, `${label} hung (killed after 30 s): ${p.stderr}`);
      assert.equal(p.signal, null, `${label} crashed (${p.signal}): ${p.stderr}`);
      assert.notEqual(p.status, 0, `${label} exited 0: ${p.stdout}${p.stderr}`);
      const lines = p.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `${label}: one line on stderr, not ${lines.length}:\n${p.stderr}`);
      // Copying into the newer database is refused first because it holds a shop.
      assert.match(lines[0], args[0] === 'copy' && args[4] === newer ? /empty/ : says, label);
      assert.ok(!lines[0].includes(password) && !lines[0].includes('secret-pw'), `${label} shows no password: ${lines[0]}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

// Ends every other client connection to `db` (the server's); returns how many it ended. Only
// client backends: an autovacuum worker on the database is listed too, and ending it needs a
// superuser (the test failed so once, "must be a superuser to terminate superuser process").
function terminateBackends(db) {
  const name = new URL(db).pathname.slice(1);
  const r = dbExec(db, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.trim() === 't').length;
}

test('a connection lost mid-run answers 503 database_unavailable (never 500) and recovers by itself', pg, async (t) => {
  const db = await initializedPgDb('lost');
  const s = await serve(db);
  const shop = await store(s);
  const item = await makeItem(s);
  await adjust(s, item, shop, 100000, 'opening');
  const register = 'LOST-1';
  await openRegister(s, shop, register);

  const sales = [];      // every sale body sent
  const responses = [];
  const batch = () => Promise.all([
    ...oneTo(4).map(async () => {
      const body = saleBody(shop, [[item, 1]], { register_id: register });
      sales.push(body);
      const r = await s.post('/api/v1/sales', body);
      responses.push({ what: 'POST /api/v1/sales', r });
    }),
    ...['/api/v1/items?limit=5', `/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`, `/api/v1/sales?register_id=${register}&limit=5`]
      .map(async (p) => responses.push({ what: `GET ${p}`, r: await s.get(p) })),
  ]);
  let terminated = 0;
  for (let round = 0; round < 3; round++) {
    await batch();
    const inFlight = batch();           // cut while requests are running ...
    terminated += terminateBackends(db);
    await inFlight;
    await batch();                      // ... and right after
  }
  assert.ok(terminated > 0, 'the server had connections to end');
  const failed = [];
  for (const { what, r } of responses) {
    if (r.status === 503) {
      assert.equal(r.json?.code, 'database_unavailable', `${what}: ${r.text}`);
      failed.push(what);
    } else {
      assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${r.text}`);
    }
  }
  // It comes back by itself: a later read and a later sale succeed (bounded retries).
  let recovered = false;
  for (let i = 0; i < 40 && !recovered; i++) {
    const read = await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`);
    const body = saleBody(shop, [[item, 1]], { register_id: register });
    const write = await s.post('/api/v1/sales', body);
    for (const [what, r] of [['read', read], ['sale', write]]) {
      assert.ok([200, 201, 503].includes(r.status), `${what} after the loss: ${r.status} ${r.text}`);
      if (r.status === 503) assert.equal(r.json?.code, 'database_unavailable', r.text);
    }
    if (write.status !== 503) sales.push(body);
    recovered = read.status === 200 && write.status === 201;
    if (!recovered) await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(recovered, `no request succeeded after the connections were ended (${failed.length} answered 503)`);
  t.diagnostic(`${terminated} connections ended, ${failed.length} of ${responses.length} requests answered 503`);
  // Registers retry what failed: each sale lands exactly once, numbered without gaps.
  for (const body of sales) {
    const r = await s.post('/api/v1/sales', body);
    assert.ok(r.status === 200 || r.status === 201, r.text);
  }
  const posted = await journal(s, register);
  assert.equal(posted.length, sales.length);
  assert.deepEqual(receiptNumbers(posted, register), oneTo(sales.length));
  assert.equal(await onHand(s, item, shop), 100000 - sales.length);
  assertBooksHold(db);
  assertAuditHolds(db);
});

// On PostgreSQL the scan's statement is prefetched before the guard reads the key (one round
// trip, docs/scaling.md); the item is read by the handler only once the guard let it through.
// Through PgBouncer in transaction mode (unnamed statements) nothing is prefetched: the same
// answers.
async function scanWithRefusals(db) {
  const s = await serve(db);
  const code = '4006381333931';
  const sku = `PREFETCH-${process.pid}`;
  const made = await s.post('/api/v1/items', {
    sku, name: 'Prefetched tea', price: 1234, tax_category: 'standard', barcodes: [{ code, pack_quantity: 1 }],
  });
  assert.equal(made.status, 201, made.text);
  const role = await s.post('/api/v1/roles', { name: 'no_items', permissions: ['audit.read'] });
  assert.equal(role.status, 201, role.text);
  const keyOf = async (name, r) => {
    const k = await s.post('/api/v1/api-keys', { name, role: r });
    assert.equal(k.status, 201, k.text);
    return k.json;
  };
  const cashier = await keyOf('prefetch-cashier', 'cashier');
  const revoked = await keyOf('prefetch-revoked', 'cashier');
  const noItems = await keyOf('prefetch-no-items', 'no_items');
  assert.equal((await s.del(`/api/v1/api-keys/${revoked.id}`)).status, 200);
  const unknownKey = `brk_${'0'.repeat(16)}_${'1'.repeat(64)}`;
  const scan = (key) => s.withKey(key).get(`/api/v1/scan/${code}`);
  const leaksNothing = (r) => {
    for (const secret of [sku, 'Prefetched tea', made.json.id]) assert.ok(!r.text.includes(secret), `${r.status}: ${r.text}`);
  };
  // Refusals and answers interleaved on the same connections, more than once each.
  for (let round = 0; round < 3; round++) {
    const ok = await scan(cashier.key);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.item.sku, sku);
    for (const [key, status, problem] of [[revoked.key, 401, 'unauthenticated'], [unknownKey, 401, 'unauthenticated'],
      [noItems.key, 403, 'forbidden']]) {
      const r = await scan(key);
      assert.equal(r.status, status, r.text);
      assert.equal(r.json.code, problem);
      leaksNothing(r);
    }
    const noKey = await s.withKey('malformed').get(`/api/v1/scan/${code}`);
    assert.equal(noKey.status, 401, noKey.text);
    leaksNothing(noKey);
  }
  // The scan's own statement fails (the server's role may no longer read barcodes): the scan
  // answers 500, while the key's check in the same round trip is unharmed: refusals stay
  // 401/403 and other routes still answer.
  const revoke = dbExec(db, 'REVOKE SELECT ON barcodes FROM CURRENT_USER');
  assert.equal(revoke.status, 0, revoke.stderr);
  try {
    for (let round = 0; round < 3; round++) {
      const failed = await scan(cashier.key);
      assert.equal(failed.status, 500, failed.text);
      assert.equal(failed.json.code, 'internal');
      const refused = await scan(revoked.key);
      assert.equal(refused.status, 401, refused.text);
      leaksNothing(refused);
      assert.equal((await scan(noItems.key)).status, 403);
      const who = await s.withKey(cashier.key).get('/api/v1/session');
      assert.equal(who.status, 200, who.text);
    }
  } finally {
    const grant = dbExec(db, 'GRANT SELECT ON barcodes TO CURRENT_USER');
    assert.equal(grant.status, 0, grant.stderr);
  }
  for (let round = 0; round < 3; round++) {
    const again = await scan(cashier.key);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.item.sku, sku);
  }
  await s.stop();
  running.delete(s);
}

test('a scan sends its read with the API key\'s check: 401 and 403 show nothing of the item; a failing scan read fails the scan only', pg, async () => {
  await scanWithRefusals(await initializedPgDb('prefetch'));
});

test('the same scans through PgBouncer in transaction mode', pg, async () => {
  assert.ok(cluster.bouncerUrl, 'the test cluster runs a PgBouncer (BACKROOM_TEST_PGBOUNCER_URL; is pgbouncer installed?)');
  const db = await initializedPgDb('prefetch_bouncer', { via: 'pgbouncer' });
  process.env.BACKROOM_PG_STATEMENTS = 'unnamed';
  try {
    await scanWithRefusals(db);
  } finally {
    delete process.env.BACKROOM_PG_STATEMENTS;
  }
});

// Rows per table of a shop database (SQLite file or PostgreSQL URI).
function tableCounts(db) {
  const isPg = db.startsWith('postgresql://');
  const list = dbExec(db, isPg
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1");
  assert.equal(list.status, 0, list.stderr);
  const tables = list.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const r = dbExec(db, tables.map((t) => `SELECT '${t}', count(*) FROM ${t}`).join(' UNION ALL '));
  assert.equal(r.status, 0, r.stderr);
  const counts = {};
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [table, n] = line.trim().split('|');
    counts[table] = Number(n);
  }
  assert.equal(Object.keys(counts).length, tables.length);
  return counts;
}

test('a demo shop copied SQLite -> PostgreSQL -> SQLite: verified, the same rows; a non-empty target is refused', pg, async () => {
  const dir = tempDir('backroom-copy-');
  try {
    const src = await initializedDb(dir, { demo: true, backend: 'sqlite', name: 'source' });
    const s = await startServer({ db: src, init: false });
    try {
      const shop = await store(s);
      const items = (await s.get('/api/v1/items?limit=4')).json.items;
      assert.equal(items.length, 4);
      for (const item of items) await adjust(s, item, shop, 50, 'found');
      await openRegister(s, shop, 'COPY-1');
      const sold = [];
      for (let n = 0; n < 6; n++) {
        const r = await s.post('/api/v1/sales', saleBody(shop, [[items[n % 4], 2], [items[(n + 1) % 4], 1]], { register_id: 'COPY-1' }));
        assert.equal(r.status, 201, r.text);
        sold.push(r.json);
      }
      for (const sale of sold.slice(0, 2)) {
        const r = await s.post('/api/v1/returns', { sale_id: sale.id, lines: [{ sale_line_id: sale.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }] });
        assert.equal(r.status, 201, r.text);
      }
      const wh = await s.post('/api/v1/locations', { name: 'Copy test warehouse', kind: 'warehouse' });
      assert.equal(wh.status, 201, wh.text);
      const t = await s.post('/api/v1/transfers', { from_location_id: shop.id, to_location_id: wh.json.id, lines: [{ item_id: items[0].id, quantity: 5 }] });
      assert.equal(t.status, 201, t.text);
      const rcv = await s.post(`/api/v1/transfers/${t.json.id}/receive`, { lines: [{ line_id: t.json.lines[0].id, received: 5 }], close: true });
      assert.equal(rcv.status, 200, rcv.text);
      const open = await s.post('/api/v1/transfers', { from_location_id: shop.id, to_location_id: wh.json.id, lines: [{ item_id: items[1].id, quantity: 3 }] });
      assert.equal(open.status, 201, open.text);  // left in transit
    } finally {
      await s.stop();
    }
    assertBooksHold(src);
    assertAuditHolds(src);
    const before = tableCounts(src);
    assert.ok(before.items >= 2000 && before.sales === 6, JSON.stringify(before));

    const onPg = freshPgDb('copy');
    const back = path.join(dir, 'back.db');
    for (const [from, to] of [[src, onPg], [onPg, back]]) {
      const r = cli(['copy', '--from', from, '--to', to]);
      assert.equal(r.status, 0, `backroom copy --from ${from} --to ${to}:\n${r.stdout}${r.stderr}`);
      assertBooksHold(to);
      assertAuditHolds(to);
      assert.deepEqual(tableCounts(to), before, `every table has the same rows after copying to ${to}`);
      if (to === onPg) {
        // The copy leaves nothing for autovacuum to owe: every page of the copied tables is
        // all-visible (VACUUM sets it; ANALYZE alone leaves relallvisible at 0).
        const vm = dbExec(onPg, "SELECT relname || ' ' || relpages || ' ' || relallvisible FROM pg_class WHERE relname IN ('items', 'stock_movements', 'sale_lines') ORDER BY relname");
        assert.equal(vm.status, 0, vm.stderr);
        const rows = vm.stdout.trim().split('\n').map((l) => l.split(' '));
        assert.equal(rows.length, 3, vm.stdout);
        for (const [name, pages, visible] of rows) {
          assert.ok(Number(pages) > 0 && visible === pages, `${name}: ${visible} of ${pages} pages all-visible after the copy`);
        }
        // ... by the copy's own VACUUM, not autovacuum passing by.
        const manual = dbExec(onPg, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'items'");
        assert.ok(Number(manual.stdout.trim()) >= 1, `items vacuumed by the copy: ${manual.stdout}${manual.stderr}`);
      }
    }
    // ... and the same values: every table of the SQLite shop that went there and back holds
    // what the source holds, row for row (in any order), column for column (not the migration
    // bookkeeping, which records when each database was migrated).
    for (const table of Object.keys(before).filter((t) => t !== 'schema_migrations')) {
      const rows = (db) => {
        const r = dbExec(db, `SELECT * FROM "${table}"`);
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.split('\n').sort();
      };
      assert.deepEqual(rows(back), rows(src), `${table}: the same rows after SQLite -> PostgreSQL -> SQLite`);
    }
    const sales = dbExec(back, 'SELECT receipt_number FROM sales ORDER BY receipt_number');
    assert.deepEqual(sales.stdout.trim().split('\n'), oneTo(6).map((n) => `COPY-1-${String(n).padStart(6, '0')}`));

    // Copying into a database that is not empty is refused, and the target stays as it was.
    const other = await initializedDb(dir, { backend: 'sqlite', name: 'other' });
    for (const [from, to] of [[src, onPg], [onPg, back], [onPg, other]]) {
      const was = tableCounts(to);
      const r = cli(['copy', '--from', from, '--to', to]);
      assert.notEqual(r.status, 0, `copy into non-empty ${to} was not refused:\n${r.stdout}${r.stderr}`);
      assert.equal(r.signal, null, 'no crash');
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line, not:\n${r.stderr}`);
      assert.deepEqual(tableCounts(to), was, `${to} is unchanged`);
    }
    assertBooksHold(onPg);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
