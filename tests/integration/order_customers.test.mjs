// An online order's customer (issue 22, docs/orders.md "The order's customer"), on SQLite and
// on PostgreSQL: an order placed by the API or by a signed Shopify webhook is linked to the
// customer master by its phone, else its e-mail (exact match of the normal forms through the
// blind indexes), or makes a new customer without marketing consent; the same e-mail twice is
// one customer, who keeps its name; a phone of one customer and an e-mail of another links the
// phone's; an order with no usable contact names no customer. The audit trail and the events
// carry the customer's number and id, never the name, phone or e-mail (the raw rows are
// searched); the stored Idempotency-Key answer is sealed and a retry answers the same; the
// order's own answers still show the contact as placed; `backroom customers link-orders` links
// orders placed before migration 35; `check` and `audit verify` hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, dbExec, cli, checkedFetch } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
let item;
let webshop;
before(async () => {
  s = await startServer();
  shop = await store(s);
  item = await makeItem(s);
  await adjust(s, item, shop, 50, 'opening');
  webshop = await s.as('webshop');
  const code = await s.put('/api/v1/settings/customers', { default_calling_code: '46' });
  assert.equal(code.status, 200, code.text);
});
after(async () => { await s?.stop(); });

const tag = String(process.pid).slice(-4);
const raw = (sql) => {
  const r = dbExec(s.db, sql);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

// Mia: a national number (the shop's calling code +46 makes it E.164) and an e-mail in capitals.
const MIA = { name: `Mia Sandberg ${tag}`, phone: `070-555 ${tag}`, email: `Mia.Sandberg.${tag}@Example.com` };
const MIA_E164 = `+4670555${tag}`;
const MIA_EMAIL = MIA.email.toLowerCase();

function orderBody(customer, extra = {}) {
  return {
    channel: 'web', external_id: `CL-${uuidv7()}`, location_id: shop.id, promised_at: '2031-03-01T10:00:00Z',
    customer, lines: [{ item_id: item.id, quantity: 1, unit_price: 1500 }], paid: true, ...extra,
  };
}
async function place(customer, headers = { 'idempotency-key': uuidv7() }) {
  const r = await webshop.post('/api/v1/online-orders', orderBody(customer), headers);
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const customer = async (id) => {
  const r = await s.get(`/api/v1/customers/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

const placed = [];

test('the same e-mail twice is one customer, who keeps its name; the retried POST answers the same, stored sealed', async () => {
  const key = `order-customer-${tag}`;
  const first = await place(MIA, { 'idempotency-key': key });
  placed.push(first);
  assert.match(first.customer.number, /^C-\d{6}$/);
  assert.deepEqual([first.customer.name, first.customer.phone, first.customer.email], [MIA.name, MIA.phone, MIA.email],
    'the order\'s answer shows the contact as it was placed');
  const made = await customer(first.customer.id);
  assert.deepEqual([made.number, made.name, made.phone, made.email, made.marketing_consent],
    [first.customer.number, MIA.name, MIA_E164, MIA_EMAIL, false], 'a new customer, contact normalised, no consent assumed');

  const retry = await webshop.post('/api/v1/online-orders', orderBody(MIA), { 'idempotency-key': key });
  assert.equal(retry.status, 422, 'another body under the same key is refused');
  assert.equal(retry.json.code, 'idempotency_key_reused');
  const stored = raw("SELECT sealed || '|' || body FROM idempotent_requests WHERE path = '/api/v1/online-orders'").trim().split('\n');
  assert.ok(stored.length >= 1, 'the answer was stored');
  for (const row of stored) assert.match(row, /^1\|sb1:/, 'stored sealed');

  const again = await place({ name: `M. Sandberg ${tag}`, email: MIA.email.toUpperCase() });
  placed.push(again);
  assert.equal(again.customer.id, first.customer.id, 'the same e-mail in another case: the same customer');
  assert.equal(again.customer.name, `M. Sandberg ${tag}`, 'the order keeps the name it was placed with');
  assert.equal((await customer(first.customer.id)).name, MIA.name, 'the customer keeps its name');
  const byNumber = await s.get(`/api/v1/customers?q=${first.customer.number.toLowerCase()}`);
  assert.deepEqual(byNumber.json.customers.map((c) => c.id), [first.customer.id], 'found by its number (the back office\'s link)');
  const byName = await s.get(`/api/v1/customers?q=${encodeURIComponent(`M. Sandberg ${tag}`)}`);
  assert.deepEqual(byName.json.customers, [], 'no second customer');
});

test('a retry with the same Idempotency-Key answers the first order again', async () => {
  const key = `retry-${uuidv7()}`;
  const body = orderBody(MIA);
  const first = await webshop.post('/api/v1/online-orders', body, { 'idempotency-key': key });
  assert.equal(first.status, 201, first.text);
  placed.push(first.json);
  const second = await webshop.post('/api/v1/online-orders', body, { 'idempotency-key': key });
  assert.equal(second.status, 201, second.text);
  assert.equal(second.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(second.json, first.json, 'the same answer, contact and all');
  const row = raw(`SELECT sealed || '|' || substr(body, 1, 4) FROM idempotent_requests WHERE idempotency_key = '${key}'`).trim();
  assert.equal(row, '1|sb1:');
});

test('a phone of one customer and an e-mail of another: the phone\'s customer; what a customer lacks is filled', async () => {
  const byPhone = await s.post('/api/v1/customers', { name: `Phone Only ${tag}`, phone: `+46 73 111 ${tag}` });
  const byEmail = await s.post('/api/v1/customers', { name: `Mail Only ${tag}`, email: `mail.only.${tag}@example.org` });
  assert.equal(byPhone.status, 201, byPhone.text);
  assert.equal(byEmail.status, 201, byEmail.text);
  const both = await place({ name: `Someone ${tag}`, phone: `073-111 ${tag}`, email: `mail.only.${tag}@example.org` });
  placed.push(both);
  assert.equal(both.customer.id, byPhone.json.id, 'phone first');
  assert.equal((await customer(byPhone.json.id)).email, null, 'another customer\'s e-mail is not taken over');

  const filled = await place({ name: `Mail Person ${tag}`, phone: `+46 73 222 ${tag}`, email: `mail.only.${tag}@example.org` });
  placed.push(filled);
  assert.equal(filled.customer.id, byEmail.json.id, 'an unknown phone, a known e-mail');
  const after = await customer(byEmail.json.id);
  assert.deepEqual([after.name, after.phone, after.version], [`Mail Only ${tag}`, `+4673222${tag}`, 2],
    'the phone it lacked is filled from the order, its name kept');
});

test('an order with no usable phone or e-mail names no customer', async () => {
  const none = await place({ name: `No Contact ${tag}`, phone: 'ring the shop' });
  placed.push(none);
  assert.deepEqual([none.customer.id, none.customer.number, none.customer.phone], [null, null, 'ring the shop']);
  const read = await s.get(`/api/v1/online-orders/${none.id}`);
  assert.deepEqual(read.json.customer, { id: null, number: null, name: `No Contact ${tag}`, phone: 'ring the shop', email: '' });
});

test('a signed Shopify order links to the customer of its e-mail', async () => {
  const secret = `shpss_customer_link_${tag}`;
  assert.equal((await s.put('/api/v1/integrations/shopify', { secret, location_id: shop.id })).status, 200);
  const body = JSON.stringify({
    id: Number(`77${tag}01`), name: '#2001', email: MIA.email, financial_status: 'paid',
    customer: { first_name: 'Mia', last_name: `S ${tag}`, phone: null },
    line_items: [{ sku: item.sku, quantity: 1, price: '15.00' }],
  });
  const res = await checkedFetch(`${s.url}/api/v1/integrations/shopify/orders`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64') },
  });
  const order = await res.json();
  assert.equal(res.status, 201, JSON.stringify(order));
  placed.push(order);
  assert.equal(order.customer.id, placed[0].customer.id, 'the same customer as the web order of that e-mail');
  assert.equal(order.customer.name, `Mia S ${tag}`);
});

test('orders placed before migration 35 are linked by `backroom customers link-orders`', async () => {
  const [mia] = placed;
  const none = placed.find((p) => p.customer.id === null);
  // As an order placed before the migration: no customer.
  raw(`UPDATE online_orders SET customer_id = NULL WHERE id = '${mia.id}'`);
  assert.equal((await s.get(`/api/v1/online-orders/${mia.id}`)).json.customer.id, null);
  const linked = cli(['customers', 'link-orders', '--db', s.db]);
  assert.equal(linked.status, 0, linked.stdout + linked.stderr);
  assert.match(linked.stdout, /linked 1 online orders to their customers; 1 without a usable phone or e-mail name none/);
  const read = (await s.get(`/api/v1/online-orders/${mia.id}`)).json;
  assert.deepEqual([read.customer.id, read.customer.number], [mia.customer.id, mia.customer.number], 'the customer of its phone');
  assert.equal((await s.get(`/api/v1/online-orders/${none.id}`)).json.customer.id, null);
  const audit = await s.get(`/api/v1/audit?entity_id=${mia.id}`);
  assert.ok(audit.json.entries.some((e) => e.action === 'order.link_customer'), 'the link is audited');
});

test('the audit trail and the events carry the customer\'s number, never the contact; check and audit verify hold', async () => {
  // Stage one order so order.ready (with its message) is written too.
  const o = placed[0];
  const picked = await s.post(`/api/v1/online-orders/${o.id}/pick`, { item_id: item.id });
  assert.equal(picked.status, 200, picked.text);
  assert.equal(picked.json.customer.email, MIA.email, 'an order\'s answers show the contact');
  const staged = await s.post(`/api/v1/online-orders/${o.id}/stage`, { spot: 'A-1' });
  assert.equal(staged.status, 200, staged.text);

  const ids = placed.map((p) => `'${p.id}'`).join(',');
  const audit = raw(`SELECT COALESCE(before, '') || COALESCE(after, '') FROM audit_log WHERE entity_id IN (${ids})`);
  const events = raw(`SELECT payload FROM events WHERE entity_id IN (${ids})`);
  assert.ok(audit.includes(o.customer.number) && audit.includes(o.customer.id), 'the audit entries name the customer by number and id');
  assert.ok(events.includes(`"to":{"id":"${o.customer.id}","number":"${o.customer.number}"}`), 'order.ready names whom to tell');
  const everyAudit = raw("SELECT COALESCE(before, '') || COALESCE(after, '') FROM audit_log");
  const everyEvent = raw('SELECT payload FROM events');
  const contacts = [MIA.phone, MIA_E164, MIA_E164.slice(1), MIA.email, MIA_EMAIL, `mail.only.${tag}`, `+4673222${tag}`, `073-111 ${tag}`, 'ring the shop'];
  for (const plain of contacts) {
    assert.ok(!everyAudit.includes(plain), `the audit trail holds ${plain}`);
    assert.ok(!everyEvent.includes(plain), `the events hold ${plain}`);
  }
  for (const p of placed) {
    assert.ok(!audit.includes(p.customer.name), `the order's audit entries hold the name ${p.customer.name}`);
    assert.ok(!events.includes(p.customer.name), `the order's events hold the name ${p.customer.name}`);
  }
  const answers = raw("SELECT body FROM idempotent_requests WHERE path LIKE '/api/v1/online-orders%'");
  for (const plain of [MIA.email, MIA.name, MIA.phone]) assert.ok(!answers.includes(plain), `a stored answer holds ${plain}`);

  assertBooksHold(s.db);
  const verified = cli(['audit', 'verify', '--db', s.db]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
});
