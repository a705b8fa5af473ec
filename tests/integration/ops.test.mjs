// Seeing it run (issue 22): GET /metrics in Prometheus text, checked by Debian's
// `promtool check metrics`, guarded by --metrics-token (404 when unset, 401 without the
// token); `backroom doctor` with OK/WARN/FAIL lines and a non-zero exit on FAIL.
// Structured logs: --log-format json writes one JSON object a line with the request id
// (X-Request-Id is echoed, or made), --log-file rotates by size. Runs on SQLite and on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, cli, dbExec, BACKEND, BIN, tempDir, initializedDb, freshStoreDb, checkedFetch } from './lib/server.mjs';
import { adjust, makeItem, saleBody, store } from './lib/shop.mjs';

const TOKEN = 'metrics-token-0123456789abcdef';
let s;
before(async () => { s = await startServer({ args: ['--metrics-token', TOKEN] }); });
after(async () => { await s.stop(); });

const scrape = (headers = { authorization: `Bearer ${TOKEN}` }) => s.anonymous().get('/metrics', headers);

// "name{labels} value" -> value, for one exact sample line's name and labels.
function sample(text, name, labels = '') {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('/metrics needs the Bearer token: 401 without it or with another, 404 when no token is set', async () => {
  const none = await scrape({});
  assert.equal(none.status, 401, none.text);
  assert.equal(none.json.code, 'unauthenticated');
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  assert.equal((await scrape({ authorization: `Bearer ${TOKEN}x` })).status, 401);
  assert.equal((await scrape({ authorization: `Bearer ${s.adminKey}` })).status, 401, 'an API key is not the metrics token');
  const off = await startServer();
  try {
    const r = await off.get('/metrics');
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.code, 'not_found');
  } finally {
    await off.stop();
  }
  const short = cli(['serve', '--db', s.db, '--listen', '127.0.0.1:0', '--metrics-token', 'short']);
  assert.equal(short.status, 2);
  assert.match(short.stderr, /at least 16 characters/);
});

test('/metrics counts requests by route pattern and status, the writer, scans and sales, and passes promtool', async () => {
  const shop = await store(s);
  const item = await makeItem(s);
  await adjust(s, item, shop, 100, 'opening');
  for (let i = 0; i < 3; i++) assert.equal((await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]))).status, 201);
  for (let i = 0; i < 4; i++) await s.get(`/api/v1/scan/${encodeURIComponent(item.sku)}`);
  await s.get('/api/v1/items/01936f5e-8a00-7abc-8def-000000000000');  // a 404 on a matched route

  const r = await scrape();
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = r.text;
  assert.equal(sample(text, 'backroom_http_requests_total', '{method="POST",route="/api/v1/sales",status="201"}'), 3);
  assert.equal(sample(text, 'backroom_http_requests_total', '{method="GET",route="/api/v1/scan/{code}",status="200"}'), 4);
  assert.equal(sample(text, 'backroom_http_requests_total', '{method="GET",route="/api/v1/items/{id}",status="404"}'), 1);
  assert.ok(!text.includes(item.sku), 'labels hold the route pattern, never the raw path');
  assert.equal(sample(text, 'backroom_http_request_duration_seconds_count', '{method="POST",route="/api/v1/sales"}'), 3);
  assert.equal(sample(text, 'backroom_http_request_duration_seconds_bucket', '{method="POST",route="/api/v1/sales",le="+Inf"}'), 3);
  assert.equal(sample(text, 'backroom_scans_total'), 4);
  assert.equal(sample(text, 'backroom_sales', '{status="completed"}'), 3);
  // Item, adjustment, three sales (plus the admin key's first use, if any): at least five commands.
  assert.ok(sample(text, 'backroom_writer_batch_commands_sum') >= 5, text);
  assert.ok(sample(text, 'backroom_writer_commit_seconds_count') >= 1);
  if (BACKEND === 'sqlite') assert.ok(sample(text, 'backroom_writer_fsync_seconds_count') >= 1, 'the WAL is synced');
  assert.equal(sample(text, 'backroom_webhook_messages', '{status="pending"}'), 0);
  assert.equal(sample(text, 'backroom_outbox_backlog_events'), 0);
  assert.equal(sample(text, 'backroom_backup_last_success_timestamp_seconds'), 0, 'no backup yet');
  const started = sample(text, 'process_start_time_seconds');
  assert.ok(started > Date.now() / 1000 - 600 && started <= Date.now() / 1000 + 1, `start time ${started}`);

  // A backup recorded in the settings shows as its age.
  const at = (Date.now() - 3_600_000) * 1000;
  const put = BACKEND === 'sqlite'
    ? `INSERT OR REPLACE INTO settings (key, value) VALUES ('backup.last_at', '${at}')`
    : `INSERT INTO settings (key, value) VALUES ('backup.last_at', '${at}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`;
  assert.equal(dbExec(s.db, put).status, 0);
  const again = (await scrape()).text;
  const age = sample(again, 'backroom_backup_age_seconds');
  assert.ok(age >= 3590 && age < 3700, `backup age ${age}`);
  assert.equal(sample(again, 'backroom_http_requests_total', '{method="GET",route="/metrics",status="200"}'), 1);

  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: again, encoding: 'utf8' });
  assert.equal(promtool.error, undefined, 'promtool is installed (package prometheus, scripts/install-deps.sh)');
  assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
  // promtool must be able to fail: a broken exposition is refused.
  const broken = spawnSync('promtool', ['check', 'metrics'], { input: `${again}backroom_sales{status="x" 1\n`, encoding: 'utf8' });
  assert.notEqual(broken.status, 0);
});

test('/metrics: each store node\'s queue and last pull at head office; a node\'s own queue and link', async () => {
  const place = await s.post('/api/v1/locations', { name: `Metrics "corner" store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const labels = `{node_id="${added.json.id}",store="Metrics \\"corner\\" store ${process.pid}"}`;
  let text = (await scrape()).text;
  assert.equal(sample(text, 'backroom_sync_node_queue_documents', labels), 0);
  assert.equal(sample(text, 'backroom_sync_node_last_sync_timestamp_seconds', labels), 0, 'never pulled');
  assert.equal((await s.withKey(added.json.key).get('/api/v1/sync/changes?limit=1&queue_length=7')).status, 200);
  text = (await scrape()).text;
  assert.equal(sample(text, 'backroom_sync_node_queue_documents', labels), 7);
  const pulled = sample(text, 'backroom_sync_node_last_sync_timestamp_seconds', labels);
  assert.ok(Math.abs(pulled - Date.now() / 1000) < 600, `last pull ${pulled}`);
  assert.ok(!text.includes('backroom_sync_queue_documents '), 'head office is not a node');
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);

  // A node that cannot reach head office: its queue grows, its link is down.
  const node = await startServer({ init: false, db: await freshStoreDb(path.join(tempDir('backroom-metrics-node-'), 'store.db')), args: ['--metrics-token', TOKEN],
    env: { BACKROOM_UPSTREAM: 'http://127.0.0.1:9', BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1' } });
  try {
    const local = await store(node);
    // Master data is head office's at a node (never reached here): an item from the store's file.
    const item = { id: '01936f5e-8a00-7abc-8def-00000000beef', sku: `METRICS-${process.pid}` };
    const inserted = dbExec(node.db, `PRAGMA busy_timeout = 5000; INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES ('${item.id}', '${item.sku}', 'Local', 'local', 200, 0, 0)`);
    assert.equal(inserted.status, 0, inserted.stderr);
    await adjust(node, item, local, 5, 'opening');
    const nodeScrape = async () => (await node.anonymous().get('/metrics', { authorization: `Bearer ${TOKEN}` })).text;
    let seen = '';
    for (let i = 0; i < 100 && !/backroom_sync_online 0\n/.test(seen); i++) {
      seen = await nodeScrape();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(sample(seen, 'backroom_sync_online'), 0, seen);
    assert.ok(sample(seen, 'backroom_sync_queue_documents') >= 1, 'the opening count waits');
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: seen, encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  } finally {
    await node.stop();
  }
});

test('backroom doctor: OK/WARN/FAIL per check, non-zero exit on FAIL', async () => {
  const ok = cli(['doctor', '--db', s.db]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const lines = ok.stdout.trim().split('\n');
  for (const check of ['database', 'disk', 'schema', 'backup', 'queues', 'clock'])
    assert.ok(lines.some((l) => new RegExp(`^(OK  |WARN|FAIL) ${check}\\b`).test(l)), `a ${check} line: ${ok.stdout}`);
  assert.match(ok.stdout, /^OK {3}schema +version \d+, as this binary expects$/m);
  assert.match(ok.stdout, /^OK {3}backup +last success (59|60) min ago/m, 'the backup set by the test before');
  assert.match(ok.stdout, /^OK {3}queues +outbox backlog 0 event/m);
  // The store node of the test before pulled a moment ago, reporting 7 documents waiting.
  assert.match(ok.stdout, /^OK {3}sync +store node of Metrics "corner" store \d+: last pull \d+ s(ec)? ago, 7 document\(s\) waiting/m);
  if (BACKEND === 'postgres') assert.match(ok.stdout, /^OK {3}clock +database server clock (ahead of|behind) this machine's by \d+ ms/m);
  else assert.match(ok.stdout, /^OK {3}clock +SQLite/m);
  assert.match(ok.stdout, /^0 failed, \d+ warning\(s\)$/m);

  // Free disk below the threshold: WARN, still exit 0.
  const warn = cli(['doctor', '--db', s.db, '--disk-warn-percent', '100.1']);
  assert.equal(warn.status, 0);
  assert.match(warn.stdout, /^WARN disk /m);
  const full = cli(['doctor', '--db', s.db, '--disk-fail-percent', '100.1']);
  assert.equal(full.status, 1, full.stdout);
  assert.match(full.stdout, /^FAIL disk /m);

  // An old backup: WARN; a database newer than the binary: FAIL, exit 1.
  const old = cli(['doctor', '--db', s.db, '--backup-warn-hours', '0']);
  assert.match(old.stdout, /^WARN backup +last success/m);
  assert.equal(dbExec(s.db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', 0)").status, 0);
  const newer = cli(['doctor', '--db', s.db]);
  assert.equal(newer.status, 1, newer.stdout);
  assert.match(newer.stdout, /^FAIL schema +database at version 9999, newer than this binary/m);
  assert.equal(dbExec(s.db, 'DELETE FROM schema_migrations WHERE version = 9999').status, 0);
});

// Starts `backroom serve` with the access log on (startServer turns it off) and `args`.
async function serveWithLog(args) {
  const dir = tempDir('backroom-log-');
  const db = await initializedDb(dir);
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
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
  const stop = () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
  return { url, dir, stop, get stderr() { return stderr; } };
}

test('--log-format json: one JSON object a line with the request id; X-Request-Id echoed or made; --log-file rotates', async () => {
  const dir = tempDir('backroom-logfile-');
  const file = path.join(dir, 'backroom.log');
  const srv = await serveWithLog(['--log-format', 'json', '--log-file', file, '--log-max-bytes', '4096', '--log-max-files', '2']);
  try {
    const mine = await checkedFetch(`${srv.url}/healthz`, { headers: { 'x-request-id': 'till-3-req-42' } });
    assert.equal(mine.headers.get('x-request-id'), 'till-3-req-42', 'a sane X-Request-Id is echoed');
    const made = await checkedFetch(`${srv.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const madeId = made.headers.get('x-request-id');
    assert.match(madeId, /^[0-9a-f]{6}-[0-9a-f]+$/, 'an unusable one is replaced by the server\'s own');
    const notFound = await checkedFetch(`${srv.url}/api/v1/nothing-here`, { headers: { 'x-request-id': 'probe-404' } });
    assert.equal(notFound.status, 404);
    for (let i = 0; i < 60; i++) await checkedFetch(`${srv.url}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 1500));  // the file sink flushes every second
  } finally {
    await srv.stop();
  }
  assert.equal(srv.stderr, '', 'nothing on standard error with --log-file');
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['backroom.1.log', 'backroom.2.log', 'backroom.log'], 'rotated, two old files kept');
  const lines = files.flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean));
  for (const f of files) assert.ok(readFileSync(path.join(dir, f)).length <= 4096 + 1024, `${f} is bounded`);
  const entries = lines.map((l) => JSON.parse(l));
  for (const e of entries) {
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(['info', 'warning', 'error', 'critical', 'debug'].includes(e.level), e.level);
    assert.equal(typeof e.msg, 'string');
  }
  const requests = entries.filter((e) => e.msg === 'request');
  assert.ok(requests.length >= 20, `requests logged: ${requests.length}`);
  const last = requests.at(-1);
  assert.equal(last.route, '/healthz');
  assert.equal(last.status, 200);
  assert.equal(typeof last.micros, 'number');
  // The first requests were rotated away (only two old files are kept); the last ones are there.
  assert.ok(!entries.some((e) => e.request_id === 'till-3-req-42'), 'the oldest lines were rotated away');
});

test('--log-format json on standard error: the request id is a member of each access line', async () => {
  const srv = await serveWithLog(['--log-format', 'json']);
  try {
    await checkedFetch(`${srv.url}/healthz`, { headers: { 'x-request-id': 'till-7-req-1' } });
    const r = await checkedFetch(`${srv.url}/api/v1/items`, { headers: { 'x-request-id': 'till-7-req-2' } });
    assert.equal(r.status, 401);
  } finally {
    await srv.stop();
  }
  const entries = srv.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const one = entries.find((e) => e.request_id === 'till-7-req-1');
  assert.ok(one, srv.stderr);
  assert.deepEqual([one.method, one.target, one.route, one.status], ['GET', '/healthz', '/healthz', 200]);
  const two = entries.find((e) => e.request_id === 'till-7-req-2');
  assert.deepEqual([two.route, two.status], ['/api/v1/items', 401]);
  const text = await serveWithLog([]);
  try {
    await checkedFetch(`${text.url}/healthz`, { headers: { 'x-request-id': 'till-7-req-3' } });
  } finally {
    await text.stop();
  }
  assert.match(text.stderr, /till-7-req-3 127\.0\.0\.1 GET \/healthz 200 \d+B \d+us/, 'text stays as it was');
});
