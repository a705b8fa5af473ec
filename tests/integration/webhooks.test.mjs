// Outbound webhooks (issue 19): every delivery is verified by the npm `standardwebhooks`
// package — an independent implementation of the Standard Webhooks signature — in a receiver
// this suite starts; a delivery it rejects fails the test. Faults are injected by the
// receiver (500, hanging past the timeout, closing the connection, 410, 400, 429 with
// Retry-After) and the backoff is checked on the test clock (BACKROOM_TEST_CLOCK_FILE),
// which the suite moves: nothing here waits for a retry on the wall clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import Ajv from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, tempDir } from './lib/server.mjs';
import { makeItem, store, adjust, saleBody, until as waitUntil } from './lib/shop.mjs';
// This suite's patience: 15 s, polling every 20 ms.
const until = (what, fn, ms = 15000) => waitUntil(what, fn, ms, 20);

let s;
let clockFile;
let clockMs = Date.parse('2026-12-03T08:00:00Z');
// Written whole, then renamed into place: the server reads the clock many times a second and
// must never see a half-written file.
const setClock = (ms) => { clockMs = ms; writeFileSync(clockFile + '.new', new Date(ms).toISOString() + '\n'); renameSync(clockFile + '.new', clockFile); };
const advance = (seconds) => setClock(clockMs + seconds * 1000);

// docs/events.md: the data of these types is the named schema of docs/openapi.yaml.
const openapi = parseYaml(readFileSync(path.resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi', components: openapi.components });
const DATA_SCHEMA = { 'item.created': 'Item', 'stock.changed': 'Balance', 'sale.completed': 'Sale' };
function checkData(m) {
  const name = DATA_SCHEMA[m.body.type];
  if (!name) return;
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  assert.ok(validate(m.body.data), `${m.body.type} data is not a ${name}: ${JSON.stringify(validate.errors)}`);
}

// --- the receiver -------------------------------------------------------------------------
// Per path: a queue of behaviours (204 once the queue is empty) and what arrived, with the
// verifier's verdict for the secrets the test says are current for that path.
const receiver = { server: null, url: '', paths: new Map() };
function route(p) {
  if (!receiver.paths.has(p)) receiver.paths.set(p, { behaviours: [], received: [], secrets: [], rejected: [] });
  return receiver.paths.get(p);
}
// standardwebhooks checks webhook-timestamp against Date.now() (5 minutes' tolerance); the
// server's "now" is the test clock, so the check runs at that clock. The signature check is
// the library's own, unchanged.
function verifyAt(ms, secret, body, headers) {
  const realNow = Date.now;
  Date.now = () => ms;
  try { return new Webhook(secret).verify(body, headers); } finally { Date.now = realNow; }
}
async function startReceiver() {
  receiver.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    // No keep-alive: a fault meant for one request must not meet curl's retry of a reused
    // connection (which resends on a fresh one when a reused connection dies unanswered).
    res.shouldKeepAlive = false;
    req.on('end', () => {
      const r = route(req.url);
      const behaviour = r.behaviours.length ? r.behaviours.shift() : 'ok';
      if (behaviour === 'close') { req.socket.destroy(); return; }
      if (behaviour === 'hang') { setTimeout(() => { if (!res.writableEnded) res.end(); }, 8000); return; }
      const headers = { 'webhook-id': req.headers['webhook-id'], 'webhook-timestamp': req.headers['webhook-timestamp'], 'webhook-signature': req.headers['webhook-signature'] };
      let verified = 0;
      for (const secret of r.secrets) {
        try { verifyAt(clockMs, secret, body, headers); verified++; } catch { /* counted below */ }
      }
      const entry = { mapping: req.headers['backroom-mapping'] ?? null, id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), signature: headers['webhook-signature'], raw: body, body: JSON.parse(body), behaviour, verified };
      if (r.secrets.length && verified !== r.secrets.length) r.rejected.push(entry);
      r.received.push(entry);
      if (typeof behaviour === 'object') {
        res.writeHead(behaviour.status, behaviour.headers ?? {});
        res.end(behaviour.body ?? 'refused');
      } else if (typeof behaviour === 'number') {
        res.writeHead(behaviour);
        res.end(`status ${behaviour} from the test receiver`);
      } else {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise((r) => receiver.server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${receiver.server.address().port}`;
}

before(async () => {
  clockFile = path.join(tempDir('backroom-webhooks-'), 'now.txt');
  setClock(clockMs);
  await startReceiver();
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile, BACKROOM_WEBHOOK_POLL_MS: '25', BACKROOM_WEBHOOK_TIMEOUT_MS: '1500' } });
});
after(async () => {
  await s?.stop();
  receiver.server?.closeAllConnections();
  receiver.server?.close();
});

let endpointCounter = 0;
async function endpoint(eventTypes, { owner = 'integrations@shop.test', mapping } = {}) {
  const p = `/hook-${++endpointCounter}`;
  const r = await s.post('/api/v1/webhooks/endpoints', { url: receiver.url + p, event_types: eventTypes, description: `test ${p}`, owner, ...(mapping ? { mapping } : {}) });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.secret, /^whsec_[A-Za-z0-9+/=]+$/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  route(p).secrets = [r.json.secret];
  return { ...r.json, path: p, r: route(p) };
}
const attempts = async (e) => (await s.get(`/api/v1/webhooks/endpoints/${e.id}/attempts?limit=500`)).json.attempts;
const message = async (id) => (await s.get(`/api/v1/webhooks/messages/${id}`)).json;
const ofItem = (e, type, itemId) => e.r.received.filter((m) => m.body.type === type && (m.body.data.id === itemId || m.body.data.item_id === itemId));

test('deliveries are signed as Standard Webhooks specifies: the independent verifier accepts every one', async () => {
  const e = await endpoint(['item.created', 'sale.completed', 'stock.changed']);
  const shop = await store(s);
  const item = await makeItem(s);
  // Sold by weight: 1.5 kg must leave as the JSON number 1.5 (the server keeps decimals
  // exact inside; no internal form may reach a receiver).
  const kg = await makeItem(s, { price: 250, unit: 'kg', sold_by_weight: true });
  await adjust(s, item, shop, 5);
  await adjust(s, kg, shop, 10);
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 2], [kg, 1.5]]));
  assert.equal(sale.status, 201, sale.text);
  await until('three kinds of message', () => ofItem(e, 'item.created', item.id).length && e.r.received.some((m) => m.body.type === 'sale.completed' && m.body.data.id === sale.json.id) && ofItem(e, 'stock.changed', item.id).some((m) => m.body.data.on_hand === 3) && ofItem(e, 'stock.changed', kg.id).some((m) => m.body.data.on_hand === 8.5));
  const sold = e.r.received.find((m) => m.body.type === 'sale.completed' && m.body.data.id === sale.json.id);
  assert.deepEqual(sold.body.data.lines.map((l) => l.quantity), [2, 1.5]);
  for (const m of e.r.received) assert.ok(!m.raw.includes('\\u001e'), `an internal decimal reached the receiver: ${m.raw}`);
  assert.deepEqual(e.r.rejected, [], 'the verifier rejected a delivery');
  for (const m of e.r.received) {
    checkData(m);
    assert.match(m.id, /^msg_[0-9a-f]{32}$/);
    assert.equal(m.timestamp, Math.floor(clockMs / 1000));
    assert.match(m.signature, /^v1,[A-Za-z0-9+/=]+$/);
    assert.ok(m.body.timestamp && m.body.data, 'the {type, timestamp, data} envelope');
  }
  // A forged body does not verify under the same headers (the verifier is really checking).
  const one = e.r.received[0];
  assert.throws(() => verifyAt(clockMs, route(e.path).secrets[0], JSON.stringify({ ...one.body, type: 'forged' }),
    { 'webhook-id': one.id, 'webhook-timestamp': String(one.timestamp), 'webhook-signature': one.signature }));
  // The delivery log: every attempt with its status and latency, no secret anywhere. The
  // sender records a batch's attempts after the receiver has answered all of them, so the
  // log is read once it has caught up with what the receiver holds.
  const log = await until('every delivery in the log', async () => {
    const got = await attempts(e);
    return got.length >= e.r.received.length && got;
  });
  assert.ok(log.length >= 5);
  for (const a of log) {
    assert.equal(a.outcome, 'delivered');
    assert.equal(a.status, 204);
    assert.equal(a.error_tag, null);
    assert.ok(a.latency_ms >= 0);
    assert.match(a.webhook_id, /^msg_/);
  }
  const read = await s.get(`/api/v1/webhooks/endpoints/${e.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.json.secret, undefined, 'the secret is shown once only');
  assert.ok(!JSON.stringify(read.json).includes('whsec_'));
});

test('stock.changed is coalesced per item x location while it waits; messages stay in order behind a failing one', async () => {
  const e = await endpoint(['item.created', 'stock.changed']);
  e.r.behaviours.push(500);  // the first message fails: the endpoint's queue waits behind it
  const shop = await store(s);
  const item = await makeItem(s);
  const head = await until('the first attempt', async () => (await attempts(e)).find((a) => a.outcome === 'retry'));
  assert.equal(head.status, 500);
  assert.equal(head.error_tag, 'http_5xx');
  assert.match(head.response_excerpt, /status 500 from the test receiver/);
  for (let i = 0; i < 10; i++) await adjust(s, item, shop, 1);
  // Ten adjustments while the head waits: the endpoint is behind, and nothing overtakes the head.
  const ep = (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json;
  assert.equal(ep.pending, 1, 'the failed head waits in its row');
  assert.ok(ep.behind >= 10, `behind: ${ep.behind}`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(ofItem(e, 'stock.changed', item.id).length, 0, 'nothing overtakes the failed head');
  const m = await message(head.webhook_id);
  advance((Date.parse(m.next_attempt_at) - clockMs) / 1000);
  await until('both delivered', () => ofItem(e, 'stock.changed', item.id).length === 1 && ofItem(e, 'item.created', item.id).length === 2);
  await new Promise((r) => setTimeout(r, 300));
  const stock = ofItem(e, 'stock.changed', item.id);
  assert.equal(stock.length, 1, 'ten changes, one message');
  assert.equal(stock[0].body.data.on_hand, 10);
  const types = e.r.received.map((x) => x.body.type);
  assert.deepEqual(types, ['item.created', 'item.created', 'stock.changed'], 'the retried head first, then the rest');
  assert.equal(e.r.received[0].id, e.r.received[1].id, 'a retry carries the same webhook-id');
  assert.deepEqual(e.r.rejected, []);
});

test('retries follow the schedule with full jitter, then the dead-letter queue and an alert; replay delivers', async () => {
  const e = await endpoint(['item.created']);
  const steps = [5, 300, 1800, 7200, 18000, 36000, 36000];
  for (let i = 0; i < 8; i++) e.r.behaviours.push(503);
  const item = await makeItem(s);
  let id;
  for (let tries = 1; tries <= 8; tries++) {
    const log = await until(`attempt ${tries}`, async () => { const l = await attempts(e); return l.length >= tries && l; });
    const last = log[0];
    assert.equal(last.attempt, tries);
    id = last.webhook_id;
    const m = await message(id);
    if (tries <= 7) {
      assert.equal(last.outcome, 'retry');
      const wait = (Date.parse(m.next_attempt_at) - Date.parse(last.at)) / 1000;
      assert.ok(wait >= 1 && wait <= steps[tries - 1], `try ${tries}: waits ${wait}s, within (0, ${steps[tries - 1]}]`);
      advance(wait);
    } else {
      assert.equal(last.outcome, 'dead');
      assert.equal(m.status, 'dead');
    }
  }
  const dead = (await s.get(`/api/v1/webhooks/dead-letters?endpoint_id=${e.id}`)).json.dead_letters;
  assert.equal(dead.length, 1);
  assert.equal(dead[0].id, id);
  assert.equal(dead[0].tries, 8);
  assert.equal(dead[0].last_error_tag, 'http_5xx');
  assert.equal(dead[0].payload.data.id, item.id);
  // The jittered waits add up to 24 h or more now and then (the longest schedule is 27.6 h):
  // then the last failure also disables the endpoint, by the one-day rule.
  const log = await attempts(e);
  const span = Date.parse(log[0].at) - Date.parse(log[log.length - 1].at);
  const failedADay = span >= 24 * 3600 * 1000;
  const open = (await s.get('/api/v1/alerts?status=open')).json.alerts.filter((a) => a.endpoint_id === e.id);
  assert.equal(open.some((a) => a.error_tag === 'endpoint_disabled'), failedADay, `failing for ${span / 1000} s: ${JSON.stringify(open)}`);
  const alerts = open.filter((a) => a.error_tag !== 'endpoint_disabled');
  assert.equal(alerts.length, 1, JSON.stringify(open));
  assert.equal(alerts[0].error_tag, 'http_5xx');
  assert.equal(alerts[0].count, 8);
  assert.equal(alerts[0].owner, 'integrations@shop.test');
  if (failedADay) {
    const ep = (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json;
    assert.equal(ep.status, 'disabled');
    const enabled = await s.patch(`/api/v1/webhooks/endpoints/${e.id}`, { enabled: true }, { 'if-match': `"v${ep.version}"` });
    assert.equal(enabled.status, 200, enabled.text);
  }
  // Replay: back in the queue, delivered now that the receiver answers.
  const replay = await s.post(`/api/v1/webhooks/dead-letters/${id}/replay`);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.status, 'pending');
  await until('the replayed delivery', () => e.r.received.some((m) => m.id === id && m.behaviour === 'ok'));
  await until('the delivery recorded', async () => (await message(id)).status === 'delivered');
  const again = await s.post(`/api/v1/webhooks/dead-letters/${id}/replay`);
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'not_dead_letter');
  // Acknowledge, then resolve with the root cause.
  const ack = await s.post(`/api/v1/alerts/${alerts[0].id}/acknowledge`, { note: 'looking at it' });
  assert.equal(ack.status, 200, ack.text);
  assert.equal(ack.json.status, 'acknowledged');
  const noCause = await s.post(`/api/v1/alerts/${alerts[0].id}/resolve`, { note: '  ' });
  assert.equal(noCause.status, 422);
  assert.equal(noCause.json.field, 'note');
  const resolved = await s.post(`/api/v1/alerts/${alerts[0].id}/resolve`, { note: 'the receiver was redeployed without its database' });
  assert.equal(resolved.status, 200, resolved.text);
  assert.equal(resolved.json.status, 'resolved');
  assert.equal(resolved.json.note, 'the receiver was redeployed without its database');
  assert.deepEqual(e.r.rejected, []);
});

test('fault injection: a hang past the timeout, a closed connection, 429 with Retry-After, 400 and 410', async () => {
  const e = await endpoint(['item.created']);
  e.r.behaviours.push('hang', 'close', { status: 429, headers: { 'retry-after': '3600' } }, 400);
  const first = await makeItem(s);
  const second = await makeItem(s);
  const log1 = await until('the timeout', async () => { const l = await attempts(e); return l.length >= 1 && l; });
  assert.equal(log1[0].error_tag, 'timeout');
  assert.equal(log1[0].status, null);
  assert.equal(log1[0].outcome, 'retry');
  advance((Date.parse((await message(log1[0].webhook_id)).next_attempt_at) - clockMs) / 1000);
  const log2 = await until('the closed connection', async () => { const l = await attempts(e); return l.length >= 2 && l; });
  assert.equal(log2[0].error_tag, 'connection');
  advance((Date.parse((await message(log2[0].webhook_id)).next_attempt_at) - clockMs) / 1000);
  const log3 = await until('the 429', async () => { const l = await attempts(e); return l.length >= 3 && l; });
  assert.equal(log3[0].status, 429);
  const m3 = await message(log3[0].webhook_id);
  assert.ok(Date.parse(m3.next_attempt_at) - Date.parse(log3[0].at) >= 3600 * 1000, 'Retry-After: 3600 honoured');
  advance(3600);
  const fourth = await until('the 400', async () => (await attempts(e)).find((a) => a.attempt === 4 && a.webhook_id === log3[0].webhook_id));
  assert.equal(fourth.status, 400);
  assert.equal(fourth.outcome, 'dead', '400 goes straight to the dead-letter queue');
  // The next message goes on (the endpoint is not stuck behind a dead letter).
  await until('the second item delivered', () => ofItem(e, 'item.created', second.id).length === 1);
  assert.equal(ofItem(e, 'item.created', first.id).filter((m) => m.behaviour === 'ok').length, 0);
  const tags = new Set((await s.get('/api/v1/alerts')).json.alerts.filter((a) => a.endpoint_id === e.id).map((a) => a.error_tag));
  assert.deepEqual([...tags].sort(), ['connection', 'http_4xx', 'timeout']);

  // 410 Gone: dead at once, and the endpoint is disabled with an alert.
  const gone = await endpoint(['item.created'], { owner: 'ops@shop.test' });
  gone.r.behaviours.push(410);
  await makeItem(s);
  const ep = await until('the endpoint disabled', async () => { const x = (await s.get(`/api/v1/webhooks/endpoints/${gone.id}`)).json; return x.status === 'disabled' && x; });
  assert.match(ep.disabled_reason, /410/);
  const goneAlerts = (await s.get('/api/v1/alerts')).json.alerts.filter((a) => a.endpoint_id === gone.id).map((a) => a.error_tag).sort();
  assert.deepEqual(goneAlerts, ['endpoint_disabled', 'http_4xx']);
  assert.deepEqual(e.r.rejected, []);
});

test('an endpoint failing for a day is disabled, with an alert; enabling it again delivers what waited', async () => {
  const e = await endpoint(['item.created']);
  e.r.behaviours.push(500, 500);
  const item = await makeItem(s);
  await until('the first failure', async () => (await attempts(e)).length >= 1);
  advance(25 * 3600);
  const ep = await until('the endpoint disabled', async () => { const x = (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json; return x.status === 'disabled' && x; });
  assert.match(ep.disabled_reason, /every delivery failed since/);
  assert.ok((await s.get('/api/v1/alerts?status=open')).json.alerts.some((a) => a.endpoint_id === e.id && a.error_tag === 'endpoint_disabled'));
  const enabled = await s.patch(`/api/v1/webhooks/endpoints/${e.id}`, { enabled: true }, { 'if-match': `"v${ep.version}"` });
  assert.equal(enabled.status, 200, enabled.text);
  assert.equal(enabled.json.status, 'active');
  assert.equal(enabled.json.failing_since, null);
  await until('delivered after enabling', () => ofItem(e, 'item.created', item.id).some((m) => m.behaviour === 'ok'));
  assert.deepEqual(e.r.rejected, []);
});

test('rotation: a new secret at once, the old one keeps signing for 24 hours', async () => {
  const e = await endpoint(['item.created']);
  const old = route(e.path).secrets[0];
  const rotated = await s.post(`/api/v1/webhooks/endpoints/${e.id}/rotate`);
  assert.equal(rotated.status, 200, rotated.text);
  assert.notEqual(rotated.json.secret, old);
  assert.ok(rotated.json.previous_secret_valid_until);
  route(e.path).secrets = [old, rotated.json.secret];  // both must verify
  const a = await makeItem(s);
  await until('delivery under both secrets', () => ofItem(e, 'item.created', a.id).length === 1);
  assert.equal(ofItem(e, 'item.created', a.id)[0].signature.split(' ').length, 2);
  assert.deepEqual(e.r.rejected, [], 'old and new secret both verify during the overlap');
  advance(24 * 3600 + 60);
  route(e.path).secrets = [rotated.json.secret];
  const b = await makeItem(s);
  await until('delivery after the overlap', () => ofItem(e, 'item.created', b.id).length === 1);
  const sig = ofItem(e, 'item.created', b.id)[0].signature;
  assert.equal(sig.split(' ').length, 1, 'only the new secret signs after 24 h');
  const after = ofItem(e, 'item.created', b.id)[0];
  const headers = { 'webhook-id': after.id, 'webhook-timestamp': String(after.timestamp), 'webhook-signature': sig };
  verifyAt(clockMs, rotated.json.secret, after.raw, headers);  // the same headers verify under the new secret
  assert.throws(() => verifyAt(clockMs, old, after.raw, headers), 'the old secret no longer verifies');
  assert.deepEqual(e.r.rejected, []);
});

test('bulk replay of an endpoint since a time, and the endpoint list', async () => {
  const e = await endpoint(['item.created']);
  e.r.behaviours.push(404, 404);
  const since = new Date(clockMs).toISOString();
  await makeItem(s);
  await makeItem(s);
  await until('two dead letters', async () => (await s.get(`/api/v1/webhooks/dead-letters?endpoint_id=${e.id}`)).json.dead_letters.length === 2);
  const r = await s.post('/api/v1/webhooks/dead-letters/replay', { endpoint_id: e.id, since });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.replayed, 2);
  await until('both delivered', async () => (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json.pending === 0 && e.r.received.filter((m) => m.behaviour === 'ok').length === 2);
  assert.equal((await s.get(`/api/v1/webhooks/dead-letters?endpoint_id=${e.id}`)).json.dead_letters.length, 0);
  const list = await s.get('/api/v1/webhooks/endpoints?limit=2');
  assert.equal(list.status, 200);
  assert.equal(list.json.endpoints.length, 2);
  const next = await s.get(`/api/v1/webhooks/endpoints?limit=2&cursor=${list.json.next_cursor}`);
  assert.ok(!next.json.endpoints.some((x) => list.json.endpoints.some((y) => y.id === x.id)), 'pages do not overlap');
  const types = await s.get('/api/v1/webhooks/event-types');
  assert.ok(types.json.event_types.includes('stock.changed'));
  const del = await s.del(`/api/v1/webhooks/endpoints/${e.id}`);
  assert.equal(del.status, 204);
  assert.equal((await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).status, 404);
});

test('a mapped endpoint receives its own field names and codes, signed over the mapped body; a new version applies to later deliveries', async () => {
  const shop = await store(s);
  // The receiver's table, theirs -> ours, as an integrator writes it (docs/formats.md).
  const table = (storeCode) => ({
    fields: { store: 'location_id', rows: 'lines', article: 'sku', qty: 'quantity', vat: 'tax_category' },
    values: { location_id: { [storeCode]: shop.id }, tax_category: { A: 'standard' } },
    reviewed_on: '2026-12-01',
  });
  const v1 = await s.put('/api/v1/mappings/erp-hooks', table('S-01'));
  assert.ok([200, 201].includes(v1.status), v1.text);
  const e = await endpoint(['item.created', 'sale.completed'], { mapping: 'erp-hooks' });
  assert.equal(e.mapping, 'erp-hooks');
  const plain = await endpoint(['sale.completed']);
  const item = await makeItem(s);
  await adjust(s, item, shop, 5);
  const sale1 = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(sale1.status, 201, sale1.text);
  const saleOf = (ep, id) => ep.r.received.find((m) => m.body.type === 'sale.completed' && m.body.data.id === id);
  const first = await until('the mapped sale', () => saleOf(e, sale1.json.id));
  assert.equal(first.body.data.store, 'S-01', 'location id -> the receiver store code');
  assert.equal(first.body.data.location_id, undefined, 'renamed, not copied');
  assert.equal(first.body.data.rows.length, 1);
  assert.equal(first.body.data.rows[0].article, item.sku, 'fields renamed inside the array of lines');
  assert.equal(first.body.data.rows[0].item_id, item.id, 'fields the table does not name pass through');
  assert.equal(first.body.data.total, sale1.json.total);
  assert.equal(first.body.type, 'sale.completed', 'the envelope is not rewritten');
  assert.equal(first.mapping, 'erp-hooks; version=1');
  const created = await until('the mapped item', () => e.r.received.find((m) => m.body.type === 'item.created' && m.body.data.id === item.id));
  assert.equal(created.body.data.vat, 'A', 'tax category -> the receiver code');
  // The unmapped endpoint gets our own words, unchanged.
  const theirs = await until('the plain sale', () => saleOf(plain, sale1.json.id));
  assert.equal(theirs.body.data.location_id, shop.id);
  assert.equal(theirs.mapping, null);
  checkData(theirs);

  // A new version: later deliveries use it, and each attempt names the version it used.
  const v2 = await s.put('/api/v1/mappings/erp-hooks', table('S-99'));
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.version, 2);
  const sale2 = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(sale2.status, 201, sale2.text);
  const second = await until('the second mapped sale', () => saleOf(e, sale2.json.id));
  assert.equal(second.body.data.store, 'S-99');
  assert.equal(second.mapping, 'erp-hooks; version=2');
  // An attempt is recorded once its batch is sent: wait for it, not only for the receiver.
  const attemptOf = (ep, m) => until(`the attempt of ${m.id}`, async () => (await attempts(ep)).find((a) => a.webhook_id === m.id));
  assert.deepEqual((await attemptOf(e, first)).mapping, { name: 'erp-hooks', version: 1, unmapped: 0 });
  assert.deepEqual((await attemptOf(e, second)).mapping, { name: 'erp-hooks', version: 2, unmapped: 0 });
  assert.equal((await attemptOf(plain, theirs)).mapping, null);
  assert.deepEqual(e.r.rejected, [], 'the verifier checks the signature over the mapped body');
  assert.deepEqual(plain.r.rejected, []);

  // A value the table does not name goes out as it is, and the attempt counts it.
  const v3 = await s.put('/api/v1/mappings/erp-hooks', { ...table('S-01'), values: { location_id: { 'S-01': 'another-location' } } });
  assert.equal(v3.status, 200, v3.text);
  const sale3 = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  const third = await until('the third mapped sale', () => saleOf(e, sale3.json.id));
  assert.equal(third.body.data.store, shop.id);
  assert.deepEqual((await attemptOf(e, third)).mapping, { name: 'erp-hooks', version: 3, unmapped: 1 });

  // The mapping must exist; PATCH names another or clears it (null).
  const missing = await s.post('/api/v1/webhooks/endpoints', { url: `${receiver.url}/none`, event_types: ['item.created'], owner: 'me', mapping: 'no-such-mapping' });
  assert.equal(missing.status, 422, missing.text);
  assert.equal(missing.json.field, 'mapping');
  const ep = (await s.get(`/api/v1/webhooks/endpoints/${e.id}`)).json;
  assert.equal(ep.mapping, 'erp-hooks');
  const bad = await s.patch(`/api/v1/webhooks/endpoints/${e.id}`, { mapping: 'no-such-mapping' }, { 'if-match': `"v${ep.version}"` });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.field, 'mapping');
  const cleared = await s.patch(`/api/v1/webhooks/endpoints/${e.id}`, { mapping: null }, { 'if-match': `"v${ep.version}"` });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.mapping, null);
  const sale4 = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  const fourth = await until('the sale after clearing', () => saleOf(e, sale4.json.id));
  assert.equal(fourth.body.data.location_id, shop.id);
  assert.equal(fourth.mapping, null);
  checkData(fourth);
});

test('who may: a cashier neither reads nor manages webhooks', async () => {
  const cashier = await s.as('cashier');
  assert.equal((await cashier.get('/api/v1/webhooks/endpoints')).status, 403);
  const body = { url: `${receiver.url}/x`, event_types: ['item.created'], owner: 'me' };
  assert.equal((await cashier.post('/api/v1/webhooks/endpoints', body)).status, 403);
});
