// Who may do what, over real HTTP: the permission matrix generated from the route table
// (every route x every role), sign-in and its slow-down, CSRF, API key rotation and
// revocation, separation of duties on prices, locked fields, manager overrides, the audit
// trail and its tamper detection, and the card-number guard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, cli, createKey, ROLES, ADMIN_PASSWORD, tempDir, freshDb, dbExec, checkedFetch } from './lib/server.mjs';

let s;
before(async () => { s = await startServer({ env: { BACKROOM_PRICE_CHANGE_POLL_SECONDS: '1' } }); });
after(async () => { await s.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PAN = '4111 1111 1111 1111';
let counter = 0;
const unique = (p) => `${p}${++counter}${Date.now() % 100000}`;

async function newItem(extra = {}) {
  const sku = unique('AUTH-');
  const r = await s.post('/api/v1/items', { sku, name: `Auth item ${sku}`, price: 500, cost: 200, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('permission matrix: every route x every role, generated from the route table', async () => {
  const table = cli(['routes', '--json']);
  assert.equal(table.status, 0, table.stderr);
  const { routes, roles, superuser_roles: superusers, permissions } = JSON.parse(table.stdout);
  assert.ok(routes.length > 20, 'the route table is complete');
  const known = new Set([...permissions, 'public', 'authenticated']);
  for (const r of routes) assert.ok(known.has(r.permission), `${r.method} ${r.pattern} declares unknown permission '${r.permission}'`);
  const publicRoutes = routes.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.pattern}`).sort();
  // A web shop's order webhook carries no key: the channel's HMAC signature authenticates it
  // (integration.order_channels: a forged or missing signature is 401).
  // GET /metrics checks its own token (--metrics-token; integration.ops: 401 without it, 404 unset).
  // A customer's substitution link carries a 192-bit token of its own offer (integration.orders).
  assert.deepEqual(publicRoutes, ['GET /api/v1/substitution-offers/{token}', 'GET /api/v1/substitution-offers/{token}/photo', 'GET /healthz', 'GET /metrics',
    'POST /api/v1/integrations/{channel}/orders', 'POST /api/v1/session', 'POST /api/v1/substitution-offers/{token}/accept',
    'POST /api/v1/substitution-offers/{token}/decline'],
    'only health, metrics (own token), sign-in, signed channel webhooks and substitution links are public');

  // A custom role built from named permissions takes part too.
  const custom = await s.post('/api/v1/roles', { name: 'auditor', description: 'Reads the audit trail', permissions: ['audit.read', 'items.read'] });
  assert.equal(custom.status, 201, custom.text);
  const allRoles = { ...roles, auditor: ['audit.read', 'items.read'] };

  const placeholder = '01936f5e-8a00-7abc-8def-000000000000';
  const fill = (pattern) => pattern.replace(/\{code\}/g, '4006381333931').replace(/\{[^}]+\}/g, placeholder);
  const anonymous = s.anonymous();
  const clients = {};
  for (const role of Object.keys(allRoles)) clients[role] = await s.as(role);

  const failures = [];
  for (const route of routes) {
    const p = fill(route.pattern);
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
    if (route.permission !== 'public') {
      const r = await anonymous.request(route.method, p, body);
      if (r.status !== 401) failures.push(`${route.method} ${route.pattern} without credentials: ${r.status}`);
      else if (!r.headers.get('www-authenticate')?.startsWith('Bearer')) failures.push(`${route.method} ${route.pattern}: no WWW-Authenticate`);
    }
    for (const [role, granted] of Object.entries(allRoles)) {
      const allowed = route.permission === 'public' || route.permission === 'authenticated' ||
        superusers.includes(role) || granted.includes(route.permission);
      const r = await clients[role].request(route.method, p, body);
      if (allowed && (r.status === 401 || r.status === 403))
        failures.push(`${role} ${route.method} ${route.pattern}: expected allowed, got ${r.status} ${r.text}`);
      if (!allowed) {
        if (r.status !== 403) failures.push(`${role} ${route.method} ${route.pattern}: expected 403, got ${r.status}`);
        else if (r.json?.code !== 'forbidden' || r.json?.permission !== route.permission || !r.json.detail.includes(route.permission))
          failures.push(`${role} ${route.method} ${route.pattern}: 403 does not name '${route.permission}': ${r.text}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('planning: the buyer and the manager plan and order; cashier and clerk may not', async () => {
  const rows = [
    // [role, method, path, body, permission or null when allowed]
    ['cashier', 'GET', '/api/v1/replenishment/suggestions', undefined, 'planning.read'],
    ['clerk', 'GET', '/api/v1/planning/series', undefined, 'planning.read'],
    ['clerk', 'PUT', '/api/v1/planning/service-levels', {}, 'planning.manage'],
    ['shift_lead', 'POST', '/api/v1/planning/prepare', {}, 'planning.manage'],
    ['cashier', 'POST', '/api/v1/replenishment/orders', {}, 'purchasing.order'],
    ['buyer', 'GET', '/api/v1/planning/accuracy', undefined, null],
    ['buyer', 'PUT', '/api/v1/planning/reorder-points', {}, null],
    ['manager', 'GET', '/api/v1/planning/settings', undefined, null],
    ['buyer', 'POST', '/api/v1/replenishment/orders', {}, null],
  ];
  for (const [role, method, p, body, permission] of rows) {
    const r = await (await s.as(role)).request(method, p, body);
    if (permission) {
      assert.equal(r.status, 403, `${role} ${method} ${p}: ${r.text}`);
      assert.equal(r.json.permission, permission);
    } else {
      assert.ok(r.status !== 401 && r.status !== 403, `${role} ${method} ${p}: ${r.status} ${r.text}`);
    }
  }
});

test('unauthenticated and bad keys are 401 with WWW-Authenticate', async () => {
  const none = await s.anonymous().get('/api/v1/items');
  assert.equal(none.status, 401);
  assert.equal(none.json.code, 'unauthenticated');
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  for (const bad of ['nonsense', 'brk_0000000000000000_' + '0'.repeat(64), s.adminKey.slice(0, -1) + (s.adminKey.endsWith('0') ? '1' : '0')]) {
    const r = await s.anonymous().get('/api/v1/items', { authorization: `Bearer ${bad}` });
    assert.equal(r.status, 401, bad);
    assert.match(r.headers.get('www-authenticate'), /invalid_token/);
  }
  assert.equal((await s.anonymous().get('/healthz')).status, 200);
});

test('sign in with password or PIN: cookie flags, session body, sign out', async () => {
  const name = unique('cash');
  const user = await s.createUser({ username: name, role: 'cashier', password: 'correct horse', pin: '4321', display_name: 'Cash Ier' });
  const c = await s.signIn(name, 'correct horse');
  assert.match(c.setCookie, /^backroom_session=bks_[0-9a-f]{16}_[0-9a-f]{64}; /);
  for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(c.setCookie.includes(flag), flag);
  assert.ok(!c.setCookie.includes('Secure'), 'no Secure flag over plain http');
  assert.deepEqual(c.session.user, { id: user.id, username: name, display_name: 'Cash Ier', role: 'cashier' });
  assert.ok(c.session.permissions.includes('sales.create'));
  assert.ok(!c.session.permissions.includes('items.locked_fields'));
  assert.ok(c.session.csrf_token.length >= 32);
  assert.ok(Date.parse(c.session.expires_at) > Date.now() + 6 * 86400e3);
  const me = await c.get('/api/v1/session');
  assert.equal(me.status, 200);
  assert.deepEqual(me.json, c.session);
  assert.equal((await c.get('/api/v1/items?limit=1')).status, 200);

  const byPin = await s.signIn(name, undefined, { pin: '4321' });
  assert.equal(byPin.session.user.id, user.id);

  const out = await c.del('/api/v1/session');
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await c.get('/api/v1/session')).status, 401);
  assert.equal((await byPin.get('/api/v1/session')).status, 200, 'other sessions stay');

  const secure = await checkedFetch(`${s.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
    body: JSON.stringify({ username: name, password: 'correct horse' }),
  });
  assert.equal(secure.status, 200);
  assert.match(secure.headers.get('set-cookie'), /; Secure/);
});

test('wrong credentials: one message for unknown user and bad password; slow-down with Retry-After', async () => {
  const name = unique('slow');
  await s.createUser({ username: name, role: 'cashier', password: 'right password' });
  const attempt = (username, password) => s.anonymous().post('/api/v1/session', { username, password });
  const unknown = await attempt(unique('nobody'), 'whatever123');
  const wrong = await attempt(name, 'wrong password');
  assert.equal(unknown.status, 401);
  assert.equal(wrong.status, 401);
  assert.equal(unknown.json.code, 'invalid_credentials');
  assert.equal(wrong.json.code, 'invalid_credentials');
  assert.equal(unknown.json.detail, wrong.json.detail);
  assert.equal((await attempt(name, 'wrong again')).status, 401);
  assert.equal((await attempt(name, 'and again!')).status, 401);
  // Three failures: the next attempt must wait, even with the right password.
  const throttled = await attempt(name, 'right password');
  assert.equal(throttled.status, 429, throttled.text);
  assert.equal(throttled.json.code, 'too_many_attempts');
  assert.ok(Number(throttled.headers.get('retry-after')) >= 1);
  await sleep(Number(throttled.headers.get('retry-after')) * 1000 + 100);
  const ok = await attempt(name, 'right password');
  assert.equal(ok.status, 200, ok.text);

  const audit = await s.get(`/api/v1/audit?action=session.sign_in_failed&actor=${name}`);
  assert.equal(audit.status, 200);
  assert.equal(audit.json.entries.length, 3);
  const signIns = await s.get(`/api/v1/audit?action=session.sign_in&actor=${name}`);
  assert.equal(signIns.json.entries.length, 1);
});

test('cookie writes need the CSRF token; bearer keys do not', async () => {
  const name = unique('csrf');
  await s.createUser({ username: name, role: 'manager', password: 'manager pass' });
  const c = await s.signIn(name, 'manager pass');
  const body = { sku: unique('CSRF-'), name: 'Csrf item', price: 100 };
  const missing = await c.post('/api/v1/items', body, { 'x-csrf-token': '' });
  assert.equal(missing.status, 403);
  assert.equal(missing.json.code, 'csrf_token_invalid');
  const wrongToken = await c.post('/api/v1/items', body, { 'x-csrf-token': 'f'.repeat(64) });
  assert.equal(wrongToken.json.code, 'csrf_token_invalid');
  const ok = await c.post('/api/v1/items', body);
  assert.equal(ok.status, 201, ok.text);
  const viaKey = await (await s.as('manager')).post('/api/v1/items', { ...body, sku: unique('CSRF-') });
  assert.equal(viaKey.status, 201);
});

test('API keys: shown once, rotation overlaps for the grace period, revocation is immediate', async () => {
  const created = await s.post('/api/v1/api-keys', { name: unique('shop-sync'), role: 'buyer', location_ids: ['store-1'] });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.key, /^brk_[0-9a-f]{16}_[0-9a-f]{64}$/);
  assert.deepEqual(created.json.location_ids, ['store-1']);
  const list = await s.get('/api/v1/api-keys');
  const listed = list.json.api_keys.find((k) => k.id === created.json.id);
  assert.equal(listed.key, undefined, 'the key is never shown again');
  assert.ok(!list.text.includes(created.json.key.slice(22)));

  const old = s.withKey(created.json.key);
  assert.equal((await old.get('/api/v1/items?limit=1')).status, 200);
  await sleep(50);
  const rotated = await s.post(`/api/v1/api-keys/${created.json.id}/rotate`, { grace_seconds: 2 });
  assert.equal(rotated.status, 201, rotated.text);
  assert.notEqual(rotated.json.key, created.json.key);
  assert.equal(rotated.json.previous.replaced_by, rotated.json.id);
  const fresh = s.withKey(rotated.json.key);
  assert.equal((await old.get('/api/v1/items?limit=1')).status, 200, 'old key works during the grace period');
  assert.equal((await fresh.get('/api/v1/items?limit=1')).status, 200);
  await sleep(2300);
  const expired = await old.get('/api/v1/items?limit=1');
  assert.equal(expired.status, 401, 'old key stops after the grace period');
  assert.equal((await fresh.get('/api/v1/items?limit=1')).status, 200);
  const keys = (await s.get('/api/v1/api-keys')).json.api_keys;
  assert.equal(keys.find((k) => k.id === created.json.id).status, 'expired');
  assert.ok(keys.find((k) => k.id === created.json.id).last_used_at, 'last_used_at is recorded');

  const revoked = await s.del(`/api/v1/api-keys/${rotated.json.id}`);
  assert.equal(revoked.status, 200);
  assert.equal(revoked.json.status, 'revoked');
  assert.equal((await fresh.get('/api/v1/items?limit=1')).status, 401, 'revocation is immediate');
});

test('API keys from the CLI: create, list, rotate and revoke by name', async () => {
  const name = unique('cli-key');
  const key = createKey(s.db, name, 'cashier');
  const c = s.withKey(key);
  assert.equal((await c.get('/api/v1/items?limit=1')).status, 200);
  const listed = cli(['apikey', 'list', '--db', s.db]);
  assert.equal(listed.status, 0);
  assert.match(listed.stdout, new RegExp(`${name}\\s+cashier\\s+active`));
  assert.ok(!listed.stdout.includes(key.slice(22)));
  const rotated = cli(['apikey', 'rotate', '--db', s.db, '--name', name, '--grace-seconds', '0']);
  assert.equal(rotated.status, 0, rotated.stderr);
  const newKey = rotated.stdout.trim();
  assert.equal((await c.get('/api/v1/items?limit=1')).status, 401, 'grace 0: old key stops at once');
  assert.equal((await s.withKey(newKey).get('/api/v1/items?limit=1')).status, 200);
  const revoke = cli(['apikey', 'revoke', '--db', s.db, '--name', name]);
  assert.equal(revoke.status, 0, revoke.stderr);
  assert.equal((await s.withKey(newKey).get('/api/v1/items?limit=1')).status, 401);
  assert.notEqual(cli(['apikey', 'revoke', '--db', s.db, '--name', name]).status, 0, 'nothing left to revoke');
  const noRole = cli(['apikey', 'create', '--db', s.db, '--name', unique('x'), '--role', 'wizard']);
  assert.notEqual(noRole.status, 0);
});

test('users from the CLI: add, list, disable ends sessions', async () => {
  const name = unique('clerk');
  const add = cli(['user', 'add', '--db', s.db, '--username', name, '--role', 'cashier', '--password', 'clerk password']);
  assert.equal(add.status, 0, add.stderr);
  const c = await s.signIn(name, 'clerk password');
  assert.match(cli(['user', 'list', '--db', s.db]).stdout, new RegExp(`${name}\\s+cashier\\s+active`));
  assert.equal(cli(['user', 'disable', '--db', s.db, '--username', name]).status, 0);
  assert.equal((await c.get('/api/v1/session')).status, 401);
  const again = await s.anonymous().post('/api/v1/session', { username: name, password: 'clerk password' });
  assert.equal(again.status, 401);
  const generated = cli(['user', 'add', '--db', s.db, '--username', unique('gen'), '--role', 'buyer']);
  assert.match(generated.stdout, /password: \S{20,}/);
});

test('users API: role changes, password reset, no escalation, last admin stays', async () => {
  const name = unique('staff');
  const u = await s.createUser({ username: name, role: 'cashier', password: 'first password' });
  const dup = await s.post('/api/v1/users', { username: name, role: 'cashier', password: 'whatever1' });
  assert.equal(dup.status, 409);
  const c = await s.signIn(name, 'first password');
  const reset = await s.patch(`/api/v1/users/${u.id}`, { password: 'second password', role: 'shift_lead' });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.json.role, 'shift_lead');
  assert.equal((await c.get('/api/v1/session')).status, 401, 'a password reset ends sessions');
  await s.signIn(name, 'second password');
  // A custom role that manages users cannot mint admins.
  const hr = await s.post('/api/v1/roles', { name: 'hr', permissions: ['users.manage', 'items.read'] });
  assert.equal(hr.status, 201);
  const hrClient = await s.as('hr');
  const escalate = await hrClient.post('/api/v1/users', { username: unique('evil'), role: 'admin', password: 'evil password' });
  assert.equal(escalate.status, 403);
  const admins = (await s.get('/api/v1/users')).json.users.filter((x) => x.role === 'admin');
  assert.equal(admins.length, 1);
  const last = await s.patch(`/api/v1/users/${admins[0].id}`, { disabled: true });
  assert.equal(last.status, 409);
  assert.equal(last.json.code, 'last_admin');
  const badPermission = await s.post('/api/v1/roles', { name: 'oops', permissions: ['items.fly'] });
  assert.equal(badPermission.status, 422);
  assert.equal(badPermission.json.code, 'unknown_permission');
});

test('locked fields: a cashier may fix a description but not price, cost, tax category or barcodes', async () => {
  const it = await newItem();
  const cashier = await s.as('cashier');
  for (const [field, value] of [['price', 1], ['cost', 1], ['tax_category', 'reduced'], ['prices', { member: 450 }], ['barcodes', ['4006381333931']]]) {
    const r = await cashier.patch(`/api/v1/items/${it.id}`, { [field]: value }, { 'if-match': '"v1"' });
    assert.equal(r.status, 403, `${field}: ${r.text}`);
    assert.equal(r.json.code, 'forbidden');
    assert.equal(r.json.field, field);
    assert.equal(r.json.permission, 'items.locked_fields');
    assert.match(r.json.detail, new RegExp(`'${field}'`));
  }
  const same = await cashier.patch(`/api/v1/items/${it.id}`, { price: 500, description: 'Fixed typo' }, { 'if-match': '"v1"' });
  assert.equal(same.status, 200, 'sending the unchanged price is fine');
  assert.equal(same.json.description, 'Fixed typo');
  const barcode = await cashier.post(`/api/v1/items/${it.id}/barcodes`, { internal: true });
  assert.equal(barcode.status, 403);
  assert.equal(barcode.json.permission, 'items.barcodes');
  const admin = await s.patch(`/api/v1/items/${it.id}`, { price: 650 }, { 'if-match': '"v2"' });
  assert.equal(admin.status, 200, 'admin holds items.locked_fields');
});

test('price changes: separation of duties, approval applies with version bump, audit and events', async () => {
  const it = await newItem();
  const lead = await s.as('shift_lead');
  const m1 = unique('mgr');
  const m2 = unique('mgr');
  await s.createUser({ username: m1, role: 'manager', password: 'manager one' });
  await s.createUser({ username: m2, role: 'manager', password: 'manager two' });
  const one = await s.signIn(m1, 'manager one');
  const two = await s.signIn(m2, 'manager two');

  const req = await one.post('/api/v1/price-changes', { item_id: it.id, price: 549, reason: 'Supplier increase' });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.json.status, 'pending');
  assert.equal(req.json.requested_by, m1);
  assert.equal((await s.get(`/api/v1/items/${it.id}`)).json.price, 500, 'nothing changes before approval');

  const self = await one.post(`/api/v1/price-changes/${req.json.id}/approve`, {});
  assert.equal(self.status, 403);
  assert.equal(self.json.code, 'self_approval');
  const byLead = await lead.post(`/api/v1/price-changes/${req.json.id}/approve`, {});
  assert.equal(byLead.status, 403);
  assert.equal(byLead.json.permission, 'prices.approve');

  const before = (await s.get('/api/v1/events?limit=500&type=item.updated')).json.events.length;
  const ok = await two.post(`/api/v1/price-changes/${req.json.id}/approve`, { note: 'ok' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'applied');
  assert.equal(ok.json.old_price, 500);
  assert.equal(ok.json.decided_by, m2);
  const item = (await s.get(`/api/v1/items/${it.id}`)).json;
  assert.equal(item.price, 549);
  assert.equal(item.version, 2);
  const events = (await s.get('/api/v1/events?limit=500&type=item.updated')).json.events;
  assert.equal(events.length, before + 1);
  assert.equal((await s.get(`/api/v1/events?limit=500&type=price_change.approved`)).json.events.filter((e) => e.entity_id === req.json.id).length, 1);
  const trail = (await s.get(`/api/v1/audit?entity=item&entity_id=${it.id}`)).json.entries;
  assert.equal(trail[0].action, 'item.update');
  assert.equal(trail[0].before.price, 500);
  assert.equal(trail[0].after.price, 549);
  assert.equal(trail[0].actor, m2);
  const approve = (await s.get(`/api/v1/audit?entity=price_change&entity_id=${req.json.id}&action=price_change.approve`)).json.entries;
  assert.equal(approve.length, 1);

  const again = await two.post(`/api/v1/price-changes/${req.json.id}/approve`, {});
  assert.equal(again.status, 409);
  const listed = await one.get('/api/v1/price-changes?status=applied');
  assert.ok(listed.json.price_changes.some((c) => c.id === req.json.id));

  const rejected = await lead.post('/api/v1/price-changes', { item_id: it.id, price: 1, reason: 'typo' });
  const rej = await two.post(`/api/v1/price-changes/${rejected.json.id}/reject`, { note: 'no' });
  assert.equal(rej.json.status, 'rejected');
  assert.equal((await s.get(`/api/v1/items/${it.id}`)).json.price, 549);
});

test('a future price change applies when it is due (scheduler)', async () => {
  const it = await newItem();
  const lead = await s.as('shift_lead');
  const soon = new Date(Date.now() + 1500).toISOString();
  const req = await lead.post('/api/v1/price-changes', { item_id: it.id, tier: 'member', price: 420, effective_at: soon, reason: 'Member week' });
  assert.equal(req.status, 201, req.text);
  const ok = await (await s.as('manager')).post(`/api/v1/price-changes/${req.json.id}/approve`);
  assert.equal(ok.json.status, 'approved');
  assert.deepEqual((await s.get(`/api/v1/items/${it.id}`)).json.prices, {});
  let item;
  for (let i = 0; i < 50; i++) {
    await sleep(200);
    item = (await s.get(`/api/v1/items/${it.id}`)).json;
    if (item.prices.member) break;
  }
  assert.equal(item.prices.member, 420);
  const change = await s.get(`/api/v1/price-changes/${req.json.id}`);
  assert.equal(change.json.status, 'applied');
});

test('manager override at the register: single use, never by the requester, only by holders of the permission', async () => {
  const cashierName = unique('till');
  const leadName = unique('lead');
  const buyerName = unique('buy');
  await s.createUser({ username: cashierName, role: 'cashier', password: 'till password', pin: '1234' });
  await s.createUser({ username: leadName, role: 'shift_lead', password: 'lead password', pin: '9876' });
  await s.createUser({ username: buyerName, role: 'buyer', password: 'buyer password' });
  const till = await s.signIn(cashierName, 'till password');

  const ok = await till.post('/api/v1/overrides', { username: leadName, pin: '9876', permission: 'sales.void', reason: 'customer changed mind' });
  assert.equal(ok.status, 201, ok.text);
  assert.match(ok.json.override_token, /^bko_/);
  assert.equal(ok.json.approver.username, leadName);
  assert.equal(ok.json.permission, 'sales.void');
  assert.ok(Date.parse(ok.json.expires_at) <= Date.now() + 121e3);

  const self = await till.post('/api/v1/overrides', { username: cashierName, password: 'till password', permission: 'sales.void' });
  assert.equal(self.status, 403);
  assert.equal(self.json.code, 'self_approval');
  const noPermission = await till.post('/api/v1/overrides', { username: buyerName, password: 'buyer password', permission: 'sales.void' });
  assert.equal(noPermission.status, 403);
  assert.equal(noPermission.json.permission, 'sales.void');
  const wrong = await till.post('/api/v1/overrides', { username: leadName, pin: '0000', permission: 'sales.void' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.code, 'invalid_credentials');

  const grants = (await s.get(`/api/v1/audit?action=override.grant&actor=${cashierName}`)).json.entries;
  assert.equal(grants.length, 1);
  assert.equal(grants[0].after.approver, leadName);
  assert.equal(grants[0].after.requester, cashierName);
});

test('audit trail: filters and paging, managers only', async () => {
  const manager = await s.as('manager');
  const page = await manager.get('/api/v1/audit?limit=2');
  assert.equal(page.status, 200);
  assert.equal(page.json.entries.length, 2);
  assert.ok(page.json.next_cursor);
  const next = await manager.get(`/api/v1/audit?limit=2&cursor=${page.json.next_cursor}`);
  assert.ok(next.json.entries[0].seq < page.json.entries[1].seq + 1);
  assert.ok(next.json.entries.every((e) => e.seq < Number(page.json.next_cursor)));
  const keys = await manager.get('/api/v1/audit?entity=api_key&action=apikey.create');
  assert.ok(keys.json.entries.length >= 1);
  assert.ok(!keys.text.includes('secret_hash'));
  const future = await manager.get(`/api/v1/audit?from=${new Date(Date.now() + 3600e3).toISOString()}`);
  assert.equal(future.json.entries.length, 0);
  const bad = await manager.get('/api/v1/audit?from=yesterday');
  assert.equal(bad.status, 422);
  assert.equal((await (await s.as('cashier')).get('/api/v1/audit')).status, 403);
});

test('card numbers are refused in every free-text field', async () => {
  const it = await newItem();
  const lead = await s.as('shift_lead');
  const cases = [
    await lead.post('/api/v1/price-changes', { item_id: it.id, price: 1, reason: `card ${PAN}` }),
    await s.post('/api/v1/users', { username: unique('pan'), role: 'cashier', password: 'pan password', display_name: PAN }),
    await s.post('/api/v1/api-keys', { name: `key ${PAN}`, role: 'cashier' }),
    await s.post('/api/v1/roles', { name: unique('r'), description: PAN, permissions: ['items.read'] }),
    await (await s.as('cashier')).post('/api/v1/overrides', { username: 'admin', password: ADMIN_PASSWORD, permission: 'sales.void', reason: PAN }),
  ];
  for (const r of cases) {
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.code, 'card_number_not_allowed');
  }
});

test('audit verify names the first tampered entry', async () => {
  const dir = tempDir();
  const db = freshDb(dir, 'tamper');
  assert.equal(cli(['init', '--db', db, '--admin-password', ADMIN_PASSWORD]).status, 0);
  createKey(db, 'one', 'cashier');
  createKey(db, 'two', 'buyer');
  const intact = cli(['audit', 'verify', '--db', db]);
  assert.equal(intact.status, 0, intact.stdout + intact.stderr);
  const seq = dbExec(db, "SELECT seq FROM audit_log WHERE action = 'apikey.create' ORDER BY seq LIMIT 1").stdout.trim();
  // Change one stored byte: the role recorded for key "one".
  const edit = dbExec(db, `UPDATE audit_log SET after = replace(after, '"role":"cashier"', '"role":"cashieR"') WHERE seq = ${seq}`);
  assert.equal(edit.status, 0, edit.stderr);
  const broken = cli(['audit', 'verify', '--db', db]);
  assert.notEqual(broken.status, 0);
  assert.match(broken.stdout, new RegExp(`BROKEN at entry ${seq}\\b`));
  assert.match(broken.stdout, /apikey\.create api_key/);
});

test('init and demo provision the admin and one user per role', () => {
  const dir = tempDir();
  const db = freshDb(dir, 'fresh');
  const init = cli(['init', '--db', db], { env: { BACKROOM_ADMIN_PASSWORD: '' } });
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /first admin: user name 'admin', password '\S{20,}'/);
  assert.doesNotMatch(cli(['init', '--db', db]).stdout, /first admin/, 'shown only once');
  const demoDb = freshDb(dir, 'demo');
  const file = path.join(dir, 'credentials.txt');
  const demo = cli(['demo', '--db', demoDb], { env: { BACKROOM_CREDENTIALS_FILE: file, BACKROOM_ADMIN_PASSWORD: '' } });
  assert.equal(demo.status, 0, demo.stderr);
  for (const role of ROLES) assert.match(demo.stdout, new RegExp(role));
  const text = spawnSync('cat', [file], { encoding: 'utf8' }).stdout;
  assert.equal(text, demo.stdout.slice(demo.stdout.indexOf('Demo sign-in')).split('\n').slice(0, 1 + ROLES.length).join('\n') + '\n');
  assert.match(cli(['user', 'list', '--db', demoDb]).stdout, /cashier\s+cashier\s+active\s+yes/);
});
