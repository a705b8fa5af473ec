// Promotions the shop plans (issue 17): a price change flagged `promotion` with an end. The
// approver approves the whole promotion (never their own); the scheduler puts the old price
// back at the end; the promotion calendar lists it with its days, price and status; a day sold
// under a flagged promotion at the same price is a promotion day in the planning series.
// A promotion already running is planned as one: its remaining days at its price over the price
// it goes back to.
// Dated days need a clock: the test build's server reads "now" from BACKROOM_TEST_CLOCK_FILE
// (platform/types.cpp); the scheduler polls every second here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, startServer, tempDir } from './lib/server.mjs';
import { adjust, makeItem, store, saleBody, until, uuidv7 } from './lib/shop.mjs';

const clockFile = path.join(tempDir('backroom-clock-'), 'now');
const at = (time) => { writeFileSync(clockFile + '.new', `${time}\n`); renameSync(clockFile + '.new', clockFile); };

let s;
let shop;
let approver;
let buyer;
before(async () => {
  at('2026-03-02T08:00:00Z');
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile, BACKROOM_PRICE_CHANGE_POLL_SECONDS: '1' } });
  shop = await store(s);
  await s.createUser({ username: `promo-approver-${process.pid}`, role: 'manager', password: 'approver password' });
  approver = await s.signIn(`promo-approver-${process.pid}`, 'approver password');
  buyer = await s.as('buyer');
});
after(async () => { await s.stop(); });

async function request(body) {
  const r = await s.post('/api/v1/price-changes', { reason: 'spring promotion', ...body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function calendar(query) {
  const r = await buyer.get(`/api/v1/planning/promotions?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('a same-price promotion: never self-approved, in the calendar, and its sold day is a promotion day', async () => {
  const item = await makeItem(s, { price: 500 });
  await adjust(s, item, shop, 10, 'found');
  const c = await request({ item_id: item.id, price: 500, promotion: true, effective_at: '2026-03-02T00:00:00Z', ends_at: '2026-03-05T00:00:00Z' });
  assert.equal(c.promotion, true);
  assert.equal(c.ends_at, '2026-03-05T00:00:00.000000Z');
  assert.equal(c.status, 'pending');

  let r = await s.post(`/api/v1/price-changes/${c.id}/approve`, {});
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.code, 'self_approval');

  let rows = (await calendar('from=2026-03-01&to=2026-03-31')).promotions.filter((p) => p.item_id === item.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].status, 'pending');

  r = await approver.post(`/api/v1/price-changes/${c.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'applied', 'due already: applied at once');

  rows = (await calendar('from=2026-03-01&to=2026-03-31')).promotions.filter((p) => p.item_id === item.id);
  assert.deepEqual(rows.map(({ id, item_id, ...rest }) => rest), [{
    sku: item.sku, name: item.name, tier: null, from: '2026-03-02', to: '2026-03-04', price: 500, regular_price: 500,
    same_price: true, discount_percent: 0, status: 'applied', reason: 'spring promotion',
  }]);
  // Outside its days, the calendar leaves it out.
  assert.equal((await calendar('from=2026-03-05&to=2026-03-31')).promotions.some((p) => p.item_id === item.id), false);
  assert.equal((await calendar('from=2026-02-01&to=2026-03-01')).promotions.some((p) => p.item_id === item.id), false);

  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(r.status, 201, r.text);
  r = await buyer.get(`/api/v1/planning/series?location_id=${shop.id}&item_id=${item.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.history.at(-1), { date: '2026-03-02', units: 2, censored: false, promo: true },
    'sold at the regular price, but under a flagged promotion');
});

test('a price cut with an end: the scheduler puts the old price back at the end, and the calendar says ended', async () => {
  at('2026-03-02T08:00:00Z');
  const item = await makeItem(s, { price: 1000 });
  const c = await request({ item_id: item.id, price: 750, promotion: true, effective_at: '2026-03-03T00:00:00Z', ends_at: '2026-03-06T00:00:00Z' });
  let r = await approver.post(`/api/v1/price-changes/${c.id}/approve`, { note: 'ok' });
  assert.equal(r.json.status, 'approved', 'tomorrow: scheduled');
  let row = (await calendar('from=2026-03-01&to=2026-03-31')).promotions.find((p) => p.id === c.id);
  assert.equal(row.discount_percent, 25);
  assert.equal(row.status, 'approved');

  at('2026-03-03T00:00:05Z');
  await until('the promotion applied', async () => (await s.get(`/api/v1/items/${item.id}`)).json.price === 750);
  at('2026-03-06T00:00:05Z');
  await until('the price back', async () => (await s.get(`/api/v1/items/${item.id}`)).json.price === 1000);
  r = await s.get(`/api/v1/price-changes/${c.id}`);
  assert.equal(r.json.status, 'ended');
  assert.equal(r.json.old_price, 1000);
  assert.ok(r.json.ended_at >= '2026-03-06T00:00:00', r.json.ended_at);
  row = (await calendar('from=2026-03-01&to=2026-03-31')).promotions.find((p) => p.id === c.id);
  assert.equal(row.status, 'ended');
  assert.equal(row.regular_price, 1000);
  assert.equal(row.discount_percent, 25);
  // Both moves of the price are announced as price changes (labels and webhooks follow them).
  r = await s.get('/api/v1/events?after=0&limit=500');
  assert.equal(r.status, 200, r.text);
  const applied = r.json.events.filter((e) => e.type === 'price_change.applied' && e.entity_id === c.id);
  assert.equal(applied.length, 2, JSON.stringify(r.json.events.map((e) => e.type)));

  // A store node's sale during the promotion, pushed after it ended, charged head office's
  // price at that moment (7.50): no price difference; one after the end at 7.50 is one.
  const node = await s.post('/api/v1/sync/nodes', { location_id: shop.id });
  assert.equal(node.status, 201, node.text);
  const sale = (at, unitPrice) => {
    const id = uuidv7();
    return { id, type: 'sale.completed', entity_id: id, at,
      payload: { receipt_number: `R-${id.slice(-4)}`, lines: [{ item_id: item.id, quantity: 1, unit_price: unitPrice }] },
      movements: [{ item_id: item.id, location_kind: 'store', quantity: -1, reason: 'sale', document_type: 'sale', document_id: id }] };
  };
  const during = sale('2026-03-04T12:00:00Z', 750);
  const afterEnd = sale('2026-03-06T00:00:10Z', 750);
  r = await s.withKey(node.json.key).post('/api/v1/sync/documents', { documents: [during, afterEnd] });
  assert.equal(r.status, 200, r.text);
  const differences = (await s.get(`/api/v1/sync/conflicts?node_id=${node.json.id}`)).json.conflicts
    .filter((x) => x.kind === 'price_difference');
  assert.deepEqual(differences.map((x) => [x.document_id, x.detail.charged, x.detail.head_office_price]), [[afterEnd.id, 750, 1000]]);
  at('2026-03-02T08:00:00Z');
});

// The running promotion in the suggestions (docs/planning.md): 4 a day at 10.00, every 14th day
// at 5.00 selling 16 (ε = 2), imported. Ordering every day with a lead time of 3 covers 4 days
// from tomorrow (03-03..03-06): 16 expected without a promotion. Half price applied today, back
// on 03-05: 03-03 and 03-04 sell 16 each, so 16 + 16 + 4 + 4 = 40, priced against 10.00 (the
// price it goes back to), not against today's 5.00 (a share of 1: no price cut at all).
test('a flagged promotion already running is planned to its last day against the price it goes back to', async () => {
  at('2026-03-02T08:00:00Z');
  const sup = await s.post('/api/v1/suppliers', { name: `Promo supplier ${process.pid}`, lead_time_days: 3,
    order_days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
  assert.equal(sup.status, 201, sup.text);
  const item = await makeItem(s, { category: `Running-${process.pid}`, price: 1000 });
  let r = await s.post(`/api/v1/suppliers/${sup.json.id}/items`, { item_id: item.id, cost: 200, case_pack: 1, preferred: true });
  assert.ok(r.status === 201 || r.status === 200, r.text);
  const rows = ['date,location,item,units,promo,price'];
  for (let d = 56; d >= 1; d--) {
    const day = new Date(Date.UTC(2026, 2, 2 - d)).toISOString().slice(0, 10);
    const promo = d % 14 === 0;
    rows.push(`${day},${shop.name},${item.sku},${promo ? 16 : 4},${promo ? 1 : 0},${promo ? '5.00' : '10.00'}`);
  }
  const file = path.join(s.dir, 'running.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const imported = cli(['planning', 'import-history', '--db', s.db, '--history', file]);
  assert.equal(imported.status, 0, imported.stderr);

  const line = async () => {
    const out = await buyer.get(`/api/v1/replenishment/suggestions?location_id=${shop.id}&supplier_id=${sup.json.id}`);
    assert.equal(out.status, 200, out.text);
    return out.json.suggestions.find((l) => l.item_id === item.id).reason;
  };
  const plain = await line();
  assert.equal(plain.forecast_per_day, 4);
  assert.equal(plain.promotion_ahead, null);

  const c = await request({ item_id: item.id, price: 500, promotion: true, effective_at: '2026-03-02T00:00:00Z', ends_at: '2026-03-05T00:00:00Z' });
  r = await approver.post(`/api/v1/price-changes/${c.id}/approve`, {});
  assert.equal(r.json.status, 'applied', 'due already: running from today');
  assert.equal((await s.get(`/api/v1/items/${item.id}`)).json.price, 500);

  const why = await line();
  assert.deepEqual(why.promotion_ahead, { first_day: '2026-03-03', last_day: '2026-03-04', price_share: 0.5, multiplier: 4 },
    'its remaining days, at half the price it goes back to; 03-05 and 03-06 regular');
  assert.match(why.text, /the promotion running now \(50 % off\) sells about 4\.0 times as much/);
  assert.ok(why.order_up_to - plain.order_up_to >= 24, `S ${plain.order_up_to} -> ${why.order_up_to}: 24 more units expected`);
  // Four days of it would be 64 expected (48 more); two days and their wider error land under 40 more.
  assert.ok(why.order_up_to - plain.order_up_to < 40, `S ${plain.order_up_to} -> ${why.order_up_to}: only two days of it`);
});

// Two promotions of one price may not overlap (catalog/price_changes.hpp): the first one's end
// would put its old price back over the second. Back to back they may: the end goes first, so
// the second keeps the regular price as its old price and puts it back at its own end.
test('overlapping promotions of one price are refused; back to back, each end puts the regular price back', async () => {
  at('2026-03-02T08:00:00Z');
  const item = await makeItem(s, { price: 1000 });
  const a = await request({ item_id: item.id, price: 800, promotion: true, effective_at: '2026-03-03T00:00:00Z', ends_at: '2026-03-06T00:00:00Z' });
  let r = await approver.post(`/api/v1/price-changes/${a.id}/approve`, {});
  assert.equal(r.json.status, 'approved', r.text);
  for (const body of [
    { price: 700, promotion: true, effective_at: '2026-03-05T00:00:00Z', ends_at: '2026-03-08T00:00:00Z' },
    { price: 700, promotion: true, effective_at: '2026-03-01T00:00:00Z', ends_at: '2026-03-04T00:00:00Z' },
    { price: 700, promotion: true, effective_at: '2026-03-03T00:00:00Z' },
    { price: 900, effective_at: '2026-03-04T00:00:00Z' },
  ]) {
    r = await s.post('/api/v1/price-changes', { item_id: item.id, reason: 'overlap', ...body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.code, 'promotion_overlap', JSON.stringify(body));
    assert.equal(r.json.field, 'effective_at', JSON.stringify(body));
  }
  // A rejected promotion holds no days.
  const rejected = await request({ item_id: item.id, price: 600, promotion: true, effective_at: '2026-03-10T00:00:00Z', ends_at: '2026-03-12T00:00:00Z' });
  r = await approver.post(`/api/v1/price-changes/${rejected.id}/reject`, {});
  assert.equal(r.json.status, 'rejected', r.text);
  await request({ item_id: item.id, price: 650, promotion: true, effective_at: '2026-03-10T00:00:00Z', ends_at: '2026-03-12T00:00:00Z' });

  const b = await request({ item_id: item.id, price: 700, promotion: true, effective_at: '2026-03-06T00:00:00Z', ends_at: '2026-03-08T00:00:00Z' });
  r = await approver.post(`/api/v1/price-changes/${b.id}/approve`, {});
  assert.equal(r.json.status, 'approved', r.text);
  const days = (await calendar('from=2026-03-01&to=2026-03-09')).promotions.filter((p) => p.item_id === item.id)
    .map((p) => [p.from, p.to, p.price, p.regular_price]);
  assert.deepEqual(days, [['2026-03-03', '2026-03-05', 800, 1000], ['2026-03-06', '2026-03-07', 700, 1000]], 'no day twice');

  at('2026-03-03T00:00:05Z');
  await until('the first promotion applied', async () => (await s.get(`/api/v1/items/${item.id}`)).json.price === 800);
  // The scheduler away over the change of promotions: one step does both, the end first.
  at('2026-03-06T00:00:05Z');
  await until('the second promotion applied', async () => (await s.get(`/api/v1/items/${item.id}`)).json.price === 700);
  assert.equal((await s.get(`/api/v1/price-changes/${a.id}`)).json.status, 'ended');
  r = await s.get(`/api/v1/price-changes/${b.id}`);
  assert.equal(r.json.old_price, 1000, 'the regular price, put back by the first one before the second applied');
  at('2026-03-08T00:00:05Z');
  await until('the regular price back', async () => (await s.get(`/api/v1/items/${item.id}`)).json.price === 1000);
  assert.equal((await s.get(`/api/v1/price-changes/${b.id}`)).json.status, 'ended');
  at('2026-03-02T08:00:00Z');
});

// A price tier's promotion is in the calendar marked by its tier (against the tier's price),
// not as the shelf price, which stays.
test('a promotion of a price tier is in the calendar as the tier, not the shelf price', async () => {
  at('2026-03-02T08:00:00Z');
  const item = await makeItem(s, { price: 1000 });
  const setTier = await request({ item_id: item.id, tier: 'member', price: 900, reason: 'member price' });
  let r = await approver.post(`/api/v1/price-changes/${setTier.id}/approve`, {});
  assert.equal(r.json.status, 'applied', r.text);
  const c = await request({ item_id: item.id, tier: 'member', price: 720, promotion: true, effective_at: '2026-03-02T00:00:00Z', ends_at: '2026-03-04T00:00:00Z' });
  let rows = (await calendar('from=2026-03-01&to=2026-03-31')).promotions.filter((p) => p.item_id === item.id);
  assert.deepEqual(rows.map(({ tier, price, regular_price, discount_percent, status }) => ({ tier, price, regular_price, discount_percent, status })),
    [{ tier: 'member', price: 720, regular_price: 900, discount_percent: 20, status: 'pending' }]);
  r = await approver.post(`/api/v1/price-changes/${c.id}/approve`, {});
  assert.equal(r.json.status, 'applied', r.text);
  assert.equal((await s.get(`/api/v1/items/${item.id}`)).json.price, 1000, 'the shelf price stays');
  rows = (await calendar('from=2026-03-01&to=2026-03-31&status=applied')).promotions.filter((p) => p.item_id === item.id);
  assert.deepEqual(rows.map((p) => [p.tier, p.regular_price, p.from, p.to]), [['member', 900, '2026-03-02', '2026-03-03']]);
});

test('bad promotions are refused naming the field', async () => {
  const item = await makeItem(s, { price: 500 });
  const cases = [
    [{ price: 400, ends_at: '2026-03-09T00:00:00Z' }, 'ends_at'],
    [{ price: 400, promotion: true, effective_at: '2026-03-09T00:00:00Z', ends_at: '2026-03-09T00:00:00Z' }, 'ends_at'],
    [{ price: 400, promotion: true, effective_at: '2026-02-01T00:00:00Z', ends_at: '2026-03-01T00:00:00Z' }, 'ends_at'],
    [{ price: 400, promotion: true, ends_at: 'next week' }, 'ends_at'],
    [{ price: 400, promotion: 'yes' }, 'promotion'],
  ];
  for (const [body, field] of cases) {
    const r = await s.post('/api/v1/price-changes', { item_id: item.id, reason: 'bad', ...body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  for (const q of ['from=2026-13-01', 'from=2026-03-05&to=2026-03-01', 'cursor=x', `location_id=nope`, 'status=running', 'status=Ended']) {
    const r = await buyer.get(`/api/v1/planning/promotions?${q}`);
    assert.equal(r.status, 422, `${q}: ${r.text}`);
  }
});
