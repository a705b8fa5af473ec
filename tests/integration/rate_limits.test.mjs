// Rate limits (issue 19): a token bucket per API key or session, sized per role by the
// shop; RateLimit-* headers on every authenticated answer; 429 rate_limited with
// Retry-After when the bucket is empty, and back once it refills. Time is the test clock
// (BACKROOM_TEST_CLOCK_FILE), moved by the test: nothing here waits on the wall clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, createKey, tempDir } from './lib/server.mjs';

let s;
let clock;
// Written whole, then renamed into place: the server never reads a half-written clock.
const setClock = (iso) => { writeFileSync(clock + '.new', iso + '\n'); renameSync(clock + '.new', clock); };
before(async () => {
  clock = path.join(tempDir('backroom-rate-'), 'now.txt');
  setClock('2026-12-02T10:00:00Z');
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clock, BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' } });
});
after(async () => { await s.stop(); });

test('a role limited to 3 a minute: three answers counting down, then 429 with Retry-After, then back after 20 s', async () => {
  const set = await s.put('/api/v1/settings/rate-limits', { default_per_minute: 1200, roles: { webshop: 3 } });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json, { default_per_minute: 1200, roles: { webshop: 3 } });
  assert.deepEqual((await s.get('/api/v1/settings/rate-limits')).json, set.json);

  const shop = s.withKey(createKey(s.db, 'web-shop', 'webshop'));
  for (const left of [2, 1, 0]) {
    const r = await shop.get('/api/v1/items?limit=1');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('ratelimit-limit'), '3');
    assert.equal(r.headers.get('ratelimit-remaining'), String(left));
    assert.ok(Number(r.headers.get('ratelimit-reset')) > 0);
  }
  const refused = await shop.get('/api/v1/items?limit=1');
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.json.code, 'rate_limited');
  assert.equal(refused.headers.get('retry-after'), '20', 'one request back every 60/3 s');
  assert.equal(refused.headers.get('ratelimit-remaining'), '0');
  // Writes count too, and are refused before anything is written.
  const write = await shop.post('/api/v1/online-orders-that-do-not-matter', {});
  assert.ok([404, 429].includes(write.status));

  setClock('2026-12-02T10:00:19Z');
  assert.equal((await shop.get('/api/v1/items?limit=1')).status, 429, 'not yet');
  setClock('2026-12-02T10:00:20Z');
  const back = await shop.get('/api/v1/items?limit=1');
  assert.equal(back.status, 200, back.text);
  assert.equal(back.headers.get('ratelimit-remaining'), '0');

  const cashier = s.withKey(createKey(s.db, 'till-key', 'cashier'));
  const other = await cashier.get('/api/v1/items?limit=1');
  assert.equal(other.status, 200);
  assert.equal(other.headers.get('ratelimit-limit'), '1200', 'other roles keep the default');
  const health = await s.anonymous().get('/healthz');
  assert.equal(health.headers.get('ratelimit-limit'), null, 'public answers carry no limit');
});

test('rate limits refuse what is wrong with the field named, and only settings.write may set them', async () => {
  for (const [body, field] of [[{ default_per_minute: 0 }, 'default_per_minute'], [{ roles: { nobody: 5 } }, 'roles.nobody'],
    [{ roles: { webshop: 2.5 } }, 'roles.webshop'], [{ burst: 1 }, 'burst']]) {
    const r = await s.put('/api/v1/settings/rate-limits', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.field, field);
  }
  const cashier = s.withKey(createKey(s.db, 'till-key-2', 'cashier'));
  assert.equal((await cashier.put('/api/v1/settings/rate-limits', { default_per_minute: 5 })).status, 403);
});
