// The PostgreSQL test harness itself (scripts/pg-cluster.sh and the freshDb/dbExec helpers
// of tests/integration/lib/server.mjs), without the backroom binary: the cluster runs as a
// non-root user with durable defaults, the test role logs in only with its password (also
// through PgBouncer), fresh databases are separate, and stop leaves no process or folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/pg-cluster.sh');
const work = mkdtempSync(path.join(tmpdir(), 'backroom-pg-harness-'));
const stateFile = path.join(work, 'cluster.env');

const run = (cmd, args, env = {}) => spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
const cluster = (...args) => run(SCRIPT, [args[0], stateFile, ...args.slice(1)]);
const psql = (uri, sql) => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-c', sql]);

function readState() {
  return Object.fromEntries(readFileSync(stateFile, 'utf8').trim().split('\n').map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1)];
  }));
}
const alive = (pid) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
const uidOf = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)[1]);
const childrenOf = (pid) => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
  try { return readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid); } catch { return false; }
}).map(Number);
const withPassword = (uri, password) => uri.replace(/:\/\/([^:]+):[^@]*@/, `://$1:${password}@`);

let url;
let state;
before(() => {
  const r = cluster('start');
  assert.equal(r.status, 0, r.stderr);
  url = r.stdout.trim();
  state = readState();
});
after(() => {
  cluster('stop');
  rmSync(work, { recursive: true, force: true });
});

test('start prints the base URI of a server on 127.0.0.1 with a password', () => {
  assert.match(url, /^postgresql:\/\/backroom_test:[0-9a-f]{32}@127\.0\.0\.1:\d+$/);
  assert.equal(state.BACKROOM_TEST_PG_URL, url);
  assert.equal(cluster('url').stdout.trim(), url);
  assert.ok(existsSync(path.join(state.BACKROOM_PG_SOCKET_DIR, `.s.PGSQL.${state.BACKROOM_PG_PORT}`)), 'the private socket');
  assert.ok(state.BACKROOM_PG_SOCKET_DIR.startsWith(state.BACKROOM_PG_DIR + '/'), 'the socket lives in the cluster folder');
});

test('the server runs as a non-root user, with the durability settings at their defaults', () => {
  const pid = Number(readFileSync(path.join(state.BACKROOM_PG_DIR, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  assert.ok(alive(pid));
  assert.notEqual(uidOf(pid), 0, 'postgres runs as root');
  if (process.getuid() === 0) assert.equal(state.BACKROOM_PG_OS_USER, 'backroom-pg');
  else assert.equal(uidOf(pid), process.getuid());
  const r = psql(`${url}/postgres`, "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('wal_sync_method') = (SELECT boot_val FROM pg_settings WHERE name = 'wal_sync_method'), current_setting('server_version_num')::int / 10000");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'on|on|on|t|15');
});

test('the password is checked: a wrong one is refused, also through PgBouncer', () => {
  const ok = psql(`${url}/postgres`, 'SELECT current_user');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'backroom_test');
  const wrong = psql(`${withPassword(url, 'not-the-password')}/postgres`, 'SELECT 1');
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /password authentication failed for user "backroom_test"/);
  const none = run('psql', ['-X', '-w', '-d', `postgresql://backroom_test@127.0.0.1:${state.BACKROOM_PG_PORT}/postgres`, '-c', 'SELECT 1'], { PGPASSWORD: '' });
  assert.notEqual(none.status, 0, 'no password, no login');

  const bouncer = state.BACKROOM_TEST_PGBOUNCER_URL;
  assert.match(bouncer, /^postgresql:\/\/backroom_test:[0-9a-f]{32}@127\.0\.0\.1:\d+$/);
  assert.notEqual(bouncer, url);
  const viaBouncer = psql(`${bouncer}/postgres`, "SELECT current_setting('port')");
  assert.equal(viaBouncer.status, 0, viaBouncer.stderr);
  assert.equal(viaBouncer.stdout.trim(), state.BACKROOM_PG_PORT, 'PgBouncer forwards to the cluster');
  const wrongViaBouncer = psql(`${withPassword(bouncer, 'not-the-password')}/postgres`, 'SELECT 1');
  assert.notEqual(wrongViaBouncer.status, 0);
  assert.match(wrongViaBouncer.stderr, /SASL authentication failed|password authentication failed/);
});

test('freshDb gives each caller its own empty database; dbExec reads and writes it', async () => {
  process.env.BACKROOM_TEST_BACKEND = 'postgres';
  process.env.BACKROOM_TEST_PG_STATE = stateFile;
  delete process.env.BACKROOM_TEST_PG_URL;
  const lib = await import('../integration/lib/server.mjs');
  assert.equal(lib.BACKEND, 'postgres');
  assert.equal(lib.sqliteOnly('x').skip, 'SQLite only: x');
  const a = lib.freshDb(work);
  const b = lib.freshDb(work, 'Other-Name');
  assert.notEqual(a, b);
  for (const db of [a, b]) assert.ok(db.startsWith(`${url}/`), db);
  assert.equal(lib.dbExec(a, 'CREATE TABLE t (x integer); INSERT INTO t VALUES (41), (1)').status, 0);
  assert.equal(lib.dbExec(a, 'SELECT sum(x) FROM t').stdout.trim(), '42');
  const inB = lib.dbExec(b, 'SELECT count(*) FROM t');
  assert.notEqual(inB.status, 0, 'the second database does not see the first one\'s table');
  assert.match(inB.stderr, /relation "t" does not exist/);
  assert.equal(lib.dbExec(b, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").stdout.trim(), '0');
  const fromScript = cluster('createdb');
  assert.equal(fromScript.status, 0, fromScript.stderr);
  assert.equal(psql(fromScript.stdout.trim(), 'SELECT 1').stdout.trim(), '1');
});

test('stop ends every process and removes the folder; a second stop is a no-op', () => {
  const dir = state.BACKROOM_PG_DIR;
  const pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const bouncerPid = Number(readFileSync(path.join(dir, 'pgbouncer.pid'), 'utf8').trim());
  const backends = childrenOf(pid);
  assert.ok(backends.length >= 3, `postgres has its helper processes (${backends})`);
  assert.ok(alive(bouncerPid));
  const r = cluster('stop');
  assert.equal(r.status, 0, r.stderr);
  for (const p of [pid, bouncerPid, ...backends]) assert.ok(!alive(p), `process ${p} is still running after stop`);
  assert.ok(!existsSync(dir), 'the cluster folder is gone');
  assert.ok(!existsSync(stateFile), 'the state file is gone');
  assert.equal(cluster('stop').status, 0, 'stop again');
  assert.notEqual(cluster('url').status, 0, 'no URL without a cluster');
  const gone = psql(`${url}/postgres`, 'SELECT 1');
  assert.notEqual(gone.status, 0, 'nothing answers on the old port');
});
