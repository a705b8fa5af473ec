// Orders from Shopify and WooCommerce webhooks (issue 20, docs/orders.md): the shop sets each
// channel's secret (stored sealed) and store; a delivery signed with base64 HMAC-SHA256 of its
// raw body (computed here with node's crypto, independently of the server's libsodium)
// becomes an online order through the channel's mapping table; a forged signature is 401 and
// logged in the delivery log; a replayed delivery answers the same order and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { dbExec, startServer, checkedFetch } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, store } from './lib/shop.mjs';

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s?.stop(); });

const sign = (secret, body) => createHmac('sha256', secret).update(body, 'utf8').digest('base64');

async function deliver(channel, header, secret, payload) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await checkedFetch(`${s.url}/api/v1/integrations/${channel}/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json', [header]: sign(secret, body) }, body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

async function reserved(item) {
  return (await s.get(`/api/v1/stock?item_id=${item.id}&location_id=${shop.id}`)).json.reserved;
}

test('Shopify: a signed order is placed and held, a forged one is 401 and logged, a replay changes nothing', async () => {
  const secret = 'shpss_0123456789abcdef0123';
  const unset = await deliver('shopify', 'x-shopify-hmac-sha256', secret, { id: 1 });
  assert.equal(unset.status, 401, 'no secret set yet');
  const put = await s.put('/api/v1/integrations/shopify', { secret, location_id: shop.id });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.configured, true);
  assert.equal(put.json.secret, undefined, 'the secret is never answered');
  const stored = dbExec(s.db, "SELECT secret FROM order_channels WHERE channel = 'shopify'");
  assert.equal(stored.status, 0, stored.stderr);
  assert.match(stored.stdout.trim(), /^sb1:/, 'stored sealed');
  assert.ok(!stored.stdout.includes(secret));
  assert.equal((await s.put('/api/v1/integrations/shopify', { secret: 'short', location_id: shop.id })).status, 422);
  assert.equal((await s.put('/api/v1/integrations/etsy', { secret, location_id: shop.id })).status, 404);

  const item = await makeItem(s);
  await adjust(s, item, shop, 5, 'opening');
  const payload = {
    id: 820982911946154500, name: '#1001', email: 'jon@example.com', financial_status: 'paid',
    customer: { first_name: 'Jon', last_name: 'Snow', phone: '+15555550100' },
    note_attributes: [{ name: 'pickup_at', value: '2027-01-05T15:00:00Z' }],
    line_items: [{ sku: item.sku, quantity: 2, price: '12.50' }],
  };
  const body = JSON.stringify(payload);
  const forged = await checkedFetch(`${s.url}/api/v1/integrations/shopify/orders`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': sign('not-the-secret-at-all', body) }, body,
  });
  assert.equal(forged.status, 401);
  assert.equal((await forged.json()).code, 'bad_signature');
  const unsigned = await checkedFetch(`${s.url}/api/v1/integrations/shopify/orders`, { method: 'POST', body });
  assert.equal(unsigned.status, 401);
  assert.equal(await reserved(item), 0, 'a forged delivery changes nothing');

  const placed = await deliver('shopify', 'x-shopify-hmac-sha256', secret, body);
  assert.equal(placed.status, 201, placed.text);
  assert.equal(placed.json.channel, 'shopify');
  assert.equal(placed.json.external_id, '820982911946154500');
  assert.equal(placed.json.paid, true);
  assert.equal(Date.parse(placed.json.promised_at), Date.parse('2027-01-05T15:00:00Z'));
  const { id: customerId, number: customerNumber, ...contact } = placed.json.customer;
  assert.deepEqual(contact, { name: 'Jon Snow', phone: '+15555550100', email: 'jon@example.com' }, 'the answer shows the contact');
  assert.match(customerNumber, /^C-\d{6}$/, 'linked to the customer master');
  assert.equal((await s.get(`/api/v1/customers/${customerId}`)).json.email, 'jon@example.com');
  assert.deepEqual([placed.json.lines[0].item_id, placed.json.lines[0].quantity, placed.json.lines[0].unit_price, placed.json.lines[0].held], [item.id, 2, 1250, 2]);
  assert.equal(await reserved(item), 2);

  const replay = await deliver('shopify', 'x-shopify-hmac-sha256', secret, body);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.id, placed.json.id);
  assert.equal(await reserved(item), 2, 'a replayed delivery changes nothing');

  const log = await s.get('/api/v1/integrations/shopify');
  assert.equal(log.status, 200, log.text);
  const outcomes = log.json.deliveries.map((d) => [d.outcome, d.http_status]);
  assert.deepEqual(outcomes.slice(0, 4), [['replayed', 200], ['created', 201], ['refused', 401], ['refused', 401]]);
  assert.equal(log.json.deliveries[0].order_id, placed.json.id);
  assertBooksHold(s.db);
});

test('WooCommerce: its signature header, its payload, SKUs through the mapping table', async () => {
  const secret = 'woo-secret-0123456789';
  assert.equal((await s.put('/api/v1/integrations/woocommerce', { secret, location_id: shop.id })).status, 200);
  const item = await makeItem(s);
  await adjust(s, item, shop, 3, 'opening');
  const mapping = await s.put('/api/v1/mappings/woocommerce', { fields: {}, values: { sku: { 'WOO-TEA-1': item.sku } } });
  assert.ok(mapping.status === 200 || mapping.status === 201, mapping.text);
  const payload = {
    id: 727, status: 'processing', date_paid: '2027-01-04T10:00:00',
    billing: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com', phone: '' },
    line_items: [{ sku: 'WOO-TEA-1', quantity: 1, price: 4.95 }],
  };
  const forged = await deliver('woocommerce', 'x-wc-webhook-signature', 'another-secret-entirely', payload);
  assert.equal(forged.status, 401);
  const placed = await deliver('woocommerce', 'x-wc-webhook-signature', secret, payload);
  assert.equal(placed.status, 201, placed.text);
  assert.deepEqual([placed.json.lines[0].item_id, placed.json.lines[0].unit_price, placed.json.lines[0].held], [item.id, 495, 1]);
  assert.equal(placed.json.paid, true);
  // A Shopify signature header on the WooCommerce route does not pass.
  const wrongHeader = await deliver('woocommerce', 'x-shopify-hmac-sha256', secret, { ...payload, id: 728 });
  assert.equal(wrongHeader.status, 401);
  const unknown = await deliver('woocommerce', 'x-wc-webhook-signature', secret, { ...payload, id: 729, line_items: [{ sku: 'NOPE', quantity: 1, price: '1.00' }] });
  assert.equal(unknown.status, 422, unknown.text);
  assertBooksHold(s.db);
});
