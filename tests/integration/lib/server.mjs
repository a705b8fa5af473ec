// Starts the real backroom binary on a free loopback port with a fresh database, and
// gives tests a small client. No mocks: the same binary `./run demo` serves.
//
// The database is a SQLite file by default. With BACKROOM_TEST_BACKEND=postgres it is a new,
// empty database on the PostgreSQL cluster scripts/pg-cluster.sh started: its base URI comes
// from BACKROOM_TEST_PG_URL, or from the state file named by BACKROOM_TEST_PG_STATE (what
// ctest's pg fixture sets). Tests name databases only through freshDb() and touch them
// behind the server's back only through dbExec(), so each suite runs on both backends.
// A suite about PostgreSQL itself (postgres.test.mjs) asks for freshPgDb() whatever the
// backend, and skips only when pgCluster() finds no cluster configured at all.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { recordAnswer } from './contract.mjs';

export const BIN = process.env.BACKROOM_BIN ?? path.resolve(import.meta.dirname, '../../../build-test/backroom');

// fetch() for a test that needs the Response itself (bytes, a stream, its headers only): the
// answer is checked against docs/openapi.yaml like the client's (lib/contract.mjs), reading a
// JSON body from a clone so the caller's body stays unread.
export async function checkedFetch(url, init = {}) {
  const res = await fetch(url, init);
  let text;
  let json;
  if (/json/.test(res.headers.get('content-type') ?? '')) {
    text = await res.clone().text();
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  }
  recordAnswer((init.method ?? 'GET').toUpperCase(), String(url), res, json, text);
  return res;
}

export function tempDir(prefix = 'backroom-it-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

// Runs a CLI subcommand synchronously; returns {status, stdout, stderr}.
export function cli(args, options = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// 'sqlite' or 'postgres': the backend this run's fresh databases live on.
export const BACKEND = process.env.BACKROOM_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

// Test options for a test that is about SQLite itself: it runs on the SQLite run only, and
// the PostgreSQL run reports it as skipped with the reason.
export function sqliteOnly(reason) {
  return { skip: BACKEND === 'sqlite' ? false : `SQLite only: ${reason}` };
}

const isPgUri = (db) => /^postgres(ql)?:\/\//.test(db);

// The test cluster's settings (BACKROOM_TEST_PG_URL and friends): from the environment, or
// from the state file named by BACKROOM_TEST_PG_STATE. null when neither is set.
let pgSettings;
export function pgCluster() {
  if (pgSettings !== undefined) return pgSettings;
  const stateFile = process.env.BACKROOM_TEST_PG_STATE;
  let state = {};
  if (stateFile) {
    let text;
    try { text = readFileSync(stateFile, 'utf8'); } catch (e) {
      throw new Error(`BACKROOM_TEST_PG_STATE=${stateFile} cannot be read (is the pg cluster fixture running?): ${e.message}`);
    }
    for (const m of text.matchAll(/^(BACKROOM_\w+)=(\S*)$/gm)) state[m[1]] = m[2];
  }
  const url = process.env.BACKROOM_TEST_PG_URL || state.BACKROOM_TEST_PG_URL;
  if (!url) {
    if (stateFile) throw new Error(`${stateFile} names no BACKROOM_TEST_PG_URL`);
    pgSettings = null;
    return pgSettings;
  }
  const bouncer = process.env.BACKROOM_TEST_PGBOUNCER_URL ?? state.BACKROOM_TEST_PGBOUNCER_URL ?? '';
  pgSettings = { url: url.replace(/\/+$/, ''), bouncerUrl: bouncer.replace(/\/+$/, '') || null };
  return pgSettings;
}

// The cluster's base URI (postgresql://role:password@127.0.0.1:port), without a database.
export function pgBaseUrl() {
  const c = pgCluster();
  if (!c) throw new Error('BACKROOM_TEST_BACKEND=postgres needs BACKROOM_TEST_PG_URL or BACKROOM_TEST_PG_STATE (scripts/pg-cluster.sh start)');
  return c.url;
}

let dbCounter = 0;
// A new, empty database on the PostgreSQL test cluster, whatever this run's backend;
// returns its URI. `via: 'pgbouncer'` answers the URI through the cluster's PgBouncer.
export function freshPgDb(name = 'shop', { via = 'direct' } = {}) {
  const stem = name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 20);
  const dbname = `${stem}_${process.pid}_${++dbCounter}_${randomBytes(4).toString('hex')}`;
  const base = pgBaseUrl();
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/postgres`, '-c', `CREATE DATABASE ${dbname}`],
    { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CREATE DATABASE ${dbname} failed: ${r.error ?? ''}${r.stderr}`);
  if (via === 'direct') return `${base}/${dbname}`;
  if (via !== 'pgbouncer') throw new Error(`freshPgDb: via ${via}`);
  const bouncer = pgCluster().bouncerUrl;
  if (!bouncer) throw new Error('the test cluster has no PgBouncer (BACKROOM_TEST_PGBOUNCER_URL is empty: is pgbouncer installed?)');
  return `${bouncer}/${dbname}`;
}

// A fresh, empty database for this run's backend: a file path in `dir` (SQLite), or the URI
// of a new database on the test cluster (PostgreSQL). `name` only makes it easy to recognise.
export function freshDb(dir, name = 'shop') {
  if (BACKEND === 'sqlite') return path.join(dir, `${name}.db`);
  return freshPgDb(name);
}

// Runs one SQL statement on `db` behind the server's back (sqlite3 or psql); the result has
// the shape of spawnSync's: {status, stdout, stderr}, stdout holding bare values.
export function dbExec(db, sql) {
  const r = isPgUri(db)
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { encoding: 'utf8', maxBuffer: 256 << 20 })
    : spawnSync('sqlite3', [db, sql], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.error ? String(r.error) : (r.stderr ?? '') };
}

export const ADMIN_PASSWORD = 'admin-test-password';
// The roles a person signs in with (the demo makes one user each); `webshop` is an API key's role.
export const ROLES = ['cashier', 'shift_lead', 'manager', 'buyer', 'clerk', 'admin'];

// A client with the same get/post/... API as the server object, sending `auth()` headers.
function makeClient(url, auth) {
  const client = {
    async request(method, p, body, headers = {}) {
      const init = { method, headers: { ...auth(method), ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
        init.headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + p, init);
      const text = await res.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      recordAnswer(method, p, res, json, text);
      return { status: res.status, headers: res.headers, json, text };
    },
    get(p, headers) { return client.request('GET', p, undefined, headers); },
    post(p, body, headers) { return client.request('POST', p, body, headers); },
    patch(p, body, headers) { return client.request('PATCH', p, body, headers); },
    put(p, body, headers) { return client.request('PUT', p, body, headers); },
    del(p, headers) { return client.request('DELETE', p, undefined, headers); },
  };
  return client;
}

// Creates an API key with the CLI; returns the key text.
export function createKey(db, name, role, extra = []) {
  const r = cli(['apikey', 'create', '--db', db, '--name', name, '--role', role, ...extra]);
  if (r.status !== 0) throw new Error(`apikey create failed: ${r.stderr}`);
  return r.stdout.trim();
}

// `init` (and `demo`) on a new database, as every server of a suite starts.
function provision(db, demo, env) {
  const r = cli(['init', '--db', db, '--admin-password', ADMIN_PASSWORD], { env });
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
  if (demo) {
    const d = cli(['demo', '--db', db], { env });
    if (d.status !== 0) throw new Error(`demo failed: ${d.stderr}`);
  }
}

// The key file the binary keeps beside a database (src/platform/secret_box.cpp, key_path):
// `<file>.key` for SQLite; for PostgreSQL one per host, port and database under ~/.config.
function keyPathOf(db) {
  if (!isPgUri(db)) return `${db}.key`;
  const m = db.match(/^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^:/?]*)(?::(\d+))?(?:\/([^?]*))?/);
  const clean = (s) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(process.env.HOME || homedir(), '.config/backroom/keys', `${clean(m[1] || 'local')}_${m[2] || '5432'}_${clean(m[3] || 'postgres')}.key`);
}

// The admin key each database this process knows of holds (db -> key text): a template's
// key, copied with it, or the one startServer made with the CLI. A server started again on the
// database, or on a copy of a template, uses it instead of paying `apikey create` (a process
// start, about 0.5 s under the sanitizers) each time; startServer checks the key still works.
const adminKeys = new Map();

// `init` (and `demo`) on a template, then the admin key its copies share: the template's ready
// file keeps the key text.
function provisionTemplate(made, demo, env) {
  provision(made, demo, env);
  return { adminKey: createKey(made, 'test-admin', 'admin') };
}

// Templates: databases made once a run that suites copy (fromTemplate, freshStoreDb).
const templateRoot = path.join(tmpdir(), 'backroom-test-templates');
// The template `name` (made once per run by `make(made)` on `made`, the SQLite file or the
// PostgreSQL database `backend` names): returns its db. Suites running at the same time wait
// for the one making it.
async function ensureTemplate(name, backend, make) {
  mkdirSync(templateRoot, { recursive: true });
  const ready = path.join(templateRoot, `${name}.ready`);
  const lock = path.join(templateRoot, `${name}.lock`);
  while (!existsSync(ready)) {
    try {
      mkdirSync(lock);
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // Another suite is making it. A lock older than five minutes was left by a killed run.
      try { if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone meanwhile */ }
      await sleep(100);
      continue;
    }
    try {
      if (existsSync(ready)) break;
      let made;
      if (backend === 'sqlite') {
        made = path.join(templateRoot, `${name}.db`);
        for (const f of [made, `${made}-wal`, `${made}-shm`, keyPathOf(made)]) rmSync(f, { force: true });
      } else {
        const base = pgBaseUrl();
        const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/postgres`,
          '-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${r.error ?? ''}${r.stderr}`);
        made = `${base}/${name}`;
        rmSync(keyPathOf(made), { force: true });
      }
      const more = make(made);
      writeFileSync(`${ready}.tmp`, JSON.stringify({ ...more, db: made }));
      renameSync(`${ready}.tmp`, ready);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(ready, 'utf8'));
}

// A copy of the SQLite template file at `db`, with its WAL and its key file.
function copySqliteTemplate(template, db) {
  copyFileSync(template, db);
  if (existsSync(`${template}-wal`)) copyFileSync(`${template}-wal`, `${db}-wal`);
  copyKeyFile(template, db);
}
function copyKeyFile(template, db) {
  if (existsSync(keyPathOf(template))) {
    mkdirSync(path.dirname(keyPathOf(db)), { recursive: true });
    copyFileSync(keyPathOf(template), keyPathOf(db));
    chmodSync(keyPathOf(db), 0o600);
  }
}

// The template's layout version (2: its ready file names the admin key) comes first, so a
// template an older lib left in the scratch directory the same day is not taken for one.
const templateStamp = () => {
  const bin = statSync(BIN);
  return [2, BIN, bin.size, bin.mtimeMs, new Date().toISOString().slice(0, 10)];
};

// A new database is the same after `init` (and `demo`) every time within a run, so the first
// server that needs one makes a template in the run's scratch directory and the others copy
// it: the SQLite file, or CREATE DATABASE … TEMPLATE on PostgreSQL, with its key file. A
// template is per binary, backend, day (the demo's history is dated from today) and
// environment; suites that bring their own database (upgrades, restores) still run init
// themselves. BACKROOM_TEST_NO_TEMPLATE=1 runs init and demo for every server.
// `backend` and `name` are for initializedPgDb: a PostgreSQL copy whatever this run's backend.
async function fromTemplate(dir, demo, env, { backend = BACKEND, name = 'shop', via = 'direct' } = {}) {
  const settings = Object.entries(env).filter(([k]) => k !== 'BACKROOM_RATE_LIMIT_PER_MINUTE').sort();
  const key = createHash('sha256').update(JSON.stringify([
    backend, backend === 'postgres' ? pgBaseUrl() : '', ...templateStamp(), settings,
  ])).digest('hex').slice(0, 16);
  const template = await ensureTemplate(`tmpl_${demo ? 'demo' : 'init'}_${key}`, backend, (made) => provisionTemplate(made, demo, env));
  let db;
  if (backend === 'sqlite') {
    db = path.join(dir, `${name}.db`);
    copySqliteTemplate(template.db, db);
  } else {
    const stem = name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 20);
    const dbname = `${stem}_${process.pid}_${++dbCounter}_${randomBytes(4).toString('hex')}`;
    const base = pgBaseUrl();
    const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', `${base}/postgres`,
      '-c', `CREATE DATABASE ${dbname} TEMPLATE ${path.basename(template.db)}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`CREATE DATABASE ${dbname} TEMPLATE failed: ${r.error ?? ''}${r.stderr}`);
    if (via === 'direct') db = `${base}/${dbname}`;
    else {
      const bouncer = pgCluster().bouncerUrl;
      if (via !== 'pgbouncer' || !bouncer) throw new Error(`fromTemplate: via ${via} (PgBouncer ${bouncer ?? 'not running'})`);
      db = `${bouncer}/${dbname}`;
    }
    copyKeyFile(template.db, db);
  }
  if (template.adminKey) adminKeys.set(db, template.adminKey);
  return db;
}

// A new database for this run's backend as `init` leaves it (and `demo` after it, with
// `demo: true`), in `dir`: a copy of the template startServer serves when given no db.
// `backend: 'sqlite'` makes it a SQLite file whatever the run's backend (a suite about copying
// between the two); `name` names the file (`<name>.db`) or the PostgreSQL database.
export async function initializedDb(dir, { demo = false, backend = BACKEND, name = 'shop' } = {}) {
  if (!process.env.BACKROOM_TEST_NO_TEMPLATE && !process.env.BACKROOM_KEY_FILE) return fromTemplate(dir, demo, {}, { backend, name });
  const db = backend === 'sqlite' ? path.join(dir, `${name}.db`) : freshPgDb(name);
  provision(db, demo, {});
  return db;
}

// A new database on the PostgreSQL test cluster, whatever this run's backend, as `init` (and
// `demo`) leaves it: a copy (CREATE DATABASE … TEMPLATE) of a template made once a run, for a
// suite about PostgreSQL that needs a shop but does not test `init`. `via: 'pgbouncer'`
// answers the URI through the cluster's PgBouncer. BACKROOM_TEST_NO_TEMPLATE=1 runs init.
export async function initializedPgDb(name = 'shop', { demo = false, via = 'direct' } = {}) {
  if (process.env.BACKROOM_TEST_NO_TEMPLATE || process.env.BACKROOM_KEY_FILE) {
    const db = freshPgDb(name, { via });
    provision(db, demo, {});
    return db;
  }
  return fromTemplate(undefined, demo, {}, { backend: 'postgres', name, via });
}

// A store's own SQLite file at `file` (whatever this run's backend: a store node keeps one),
// as `backroom init` makes it. The n-th call of a suite copies the run's n-th store template,
// each made by its own `init`: the stores of one suite never share an id, a key or a person,
// and a suite does not pay `init` (seconds under the sanitizers) for each store it starts.
// BACKROOM_TEST_NO_TEMPLATE=1 (or a BACKROOM_KEY_FILE) runs init on `file` instead.
let storeCounter = 0;
export async function freshStoreDb(file) {
  if (process.env.BACKROOM_TEST_NO_TEMPLATE || process.env.BACKROOM_KEY_FILE) {
    provision(file, false, {});
    return file;
  }
  const key = createHash('sha256').update(JSON.stringify(templateStamp())).digest('hex').slice(0, 16);
  const template = await ensureTemplate(`tmpl_store${++storeCounter}_${key}`, 'sqlite', (made) => provisionTemplate(made, false, {}));
  copySqliteTemplate(template.db, file);
  if (template.adminKey) adminKeys.set(file, template.adminKey);
  return file;
}

// The admin key for the server at `url` on `db`: the one this process knows `db` holds when it
// still signs in there (GET /api/v1/session), else a new one the CLI makes under `name`.
async function adminKeyOf(db, url, name) {
  const known = adminKeys.get(db);
  if (known) {
    const r = await fetch(`${url}/api/v1/session`, { headers: { authorization: `Bearer ${known}` } });
    await r.arrayBuffer();
    if (r.status === 200) return known;
  }
  const key = createKey(db, name, 'admin');
  adminKeys.set(db, key);
  return key;
}

// Options: `auth: false` serves without provisioning (no admin key in server.headers);
// `init: false` serves the given `db` as it is, without running `init` on it first (a file
// freshStoreDb made, or a server started again on its database).
export async function startServer({ db, demo = false, args = [], env = {}, auth = true, init = true } = {}) {
  const dir = tempDir();
  if (db !== undefined) { if (init) provision(db, demo, env); }
  else if (process.env.BACKROOM_TEST_NO_TEMPLATE || env.BACKROOM_KEY_FILE || process.env.BACKROOM_KEY_FILE) provision(db = freshDb(dir), demo, env);
  else db = await fromTemplate(dir, demo, env);
  const started = process.hrtime.bigint();
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', 'false', ...args], {
    // A suite sends thousands of requests a minute from one key: above the product's default
    // rate limit. The limit's own suite and the browser tests run at the product default.
    env: { ...process.env, BACKROOM_RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
    // Set BACKROOM_TEST_SERVER_LOG=file to keep every server's log while chasing a failure.
    if (process.env.BACKROOM_TEST_SERVER_LOG) appendFileSync(process.env.BACKROOM_TEST_SERVER_LOG, d);
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  // A server that dies while its test runs says why in the test's output (a sanitizer
  // report, an assertion), instead of leaving only "fetch failed" behind. Tests that kill
  // their server on purpose do it through stop() or kill().
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping && (signal || code)) console.error(`backroom serve exited (${signal ?? code}) during the test; its log ends:\n${stderr.slice(-6000)}`);
  });
  const first = await checkedFetch(`${url}/healthz`);
  const firstAnswerMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (first.status !== 200) throw new Error('healthz failed');
  const adminKey = auth ? await adminKeyOf(db, url, `test-admin-${path.basename(dir)}`) : undefined;
  const roleClients = new Map();
  const server = {
    url, db, dir, child, firstAnswerMs, adminKey,
    get stderr() { return stderr; },
    headers: adminKey ? { authorization: `Bearer ${adminKey}` } : {},
    // A client acting with an API key of `role` (one key per role, made on first use).
    // The admin key makes it through the API (POST /api/v1/api-keys: the same create_key as
    // the CLI's, without a process start); the CLI makes it where the API cannot (no admin key).
    async as(role) {
      if (!roleClients.has(role)) {
        const name = `test-as-${role}-${path.basename(dir)}`;
        let key;
        if (adminKey) {
          const r = await server.withKey(adminKey).post('/api/v1/api-keys', { name, role });
          if (r.status === 201) key = r.json.key;
        }
        key ??= createKey(db, name, role);
        roleClients.set(role, server.withKey(key));
      }
      return roleClients.get(role);
    },
    withKey(key) {
      const c = makeClient(url, () => ({ authorization: `Bearer ${key}` }));
      c.key = key;
      return c;
    },
    // A client with no credentials at all.
    anonymous() { return makeClient(url, () => ({})); },
    // Creates a user through the API as admin; returns the user JSON.
    async createUser({ username, role, password = `${username}-password`, pin, display_name } = {}) {
      const r = await server.post('/api/v1/users', { username, role, password, pin, display_name });
      if (r.status !== 201) throw new Error(`create user ${username}: ${r.status} ${r.text}`);
      return r.json;
    },
    // Signs in and returns a client that sends the session cookie and, on writes, the CSRF
    // token (client.session holds the sign-in response). Throws unless 200.
    async signIn(username, password, { pin } = {}) {
      const body = pin !== undefined ? { username, pin } : { username, password };
      const res = await checkedFetch(`${url}/api/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      const json = await res.json();
      if (res.status !== 200) throw new Error(`sign in ${username}: ${res.status} ${JSON.stringify(json)}`);
      const cookie = res.headers.get('set-cookie').split(';')[0];
      const c = makeClient(url, (method) => (method === 'GET' || method === 'HEAD'
        ? { cookie } : { cookie, 'x-csrf-token': json.csrf_token }));
      c.session = json;
      c.cookie = cookie;
      c.setCookie = res.headers.get('set-cookie');
      return c;
    },
    // The admin client: whatever server.headers holds at the time of each request.
    ...makeClient(url, () => server.headers),
    // Kills the process on purpose (a crash test): its exit is then expected, not reported.
    kill(signal) {
      stopping = true;
      child.kill(signal);
    },
    async stop({ keep = false } = {}) {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

// GS1 mod-10 check digit, written independently of the C++ for cross-checking.
export function gs1Check(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}
export const withCheck = (digits) => digits + gs1Check(digits);
