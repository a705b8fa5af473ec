// Planning over real HTTP (issue 17): demand history from real sales (a training sale does
// not count, a discounted sale marks a promotion day at the price paid after a line discount,
// selling out marks the day censored),
// the history a shop brings from another system (`backroom planning import-history`: a good
// file loads, a bad row is reported by line and nothing loads), suggestions checked against
// numbers worked by hand, suggestions turned into a draft purchase order, service levels,
// reorder points, and forecast accuracy from kept forecasts. Daily demand is stored packed by
// month (migration 29): a day's imported and ledger figures come back summed, and days
// written before the migration come out of it by day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, dbExec, freshDb, startServer, tempDir } from './lib/server.mjs';
import { adjust, makeItem, store, uuidv7, saleBody } from './lib/shop.mjs';

let s;
let shop;
let buyer;
before(async () => {
  s = await startServer();
  shop = await store(s);
  buyer = await s.as('buyer');
});
after(async () => { await s.stop(); });

const DAY_MS = 86_400_000;
const dayText = (offset) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

let supplierCount = 0;
async function makeSupplier(extra = {}) {
  const r = await s.post('/api/v1/suppliers', {
    name: `Planning supplier ${process.pid}-${++supplierCount}`, lead_time_days: 3,
    order_days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function supplies(sup, item, extra = {}) {
  const r = await s.post(`/api/v1/suppliers/${sup.id}/items`, { item_id: item.id, cost: 200, case_pack: 6, preferred: true, ...extra });
  assert.ok(r.status === 201 || r.status === 200, r.text);
}

// `days` days of `units` a day, ending yesterday, in the history CSV.
function historyFile(rows, name = 'history.csv') {
  const file = path.join(s.dir, name);
  writeFileSync(file, ['date,location,item,units', ...rows].join('\n') + '\n');
  return file;
}
function steadyRows(sku, units, days) {
  const rows = [];
  for (let d = days; d >= 1; d--) rows.push(`${dayText(-d)},${shop.name},${sku},${units}`);
  return rows;
}
function importHistory(file) {
  return cli(['planning', 'import-history', '--db', s.db, '--history', file]);
}

async function series(item) {
  const r = await buyer.get(`/api/v1/planning/series?location_id=${shop.id}&item_id=${item.id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function suggestions(sup) {
  const r = await buyer.get(`/api/v1/replenishment/suggestions?location_id=${shop.id}&supplier_id=${sup.id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('history from real sales: sales less returns per day, training left out, a discount is a promotion, selling out censors the day', async () => {
  const item = await makeItem(s, { price: 500 });
  await adjust(s, item, shop, 3, 'found');
  let r = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { training: true }));
  assert.equal(r.status, 201, r.text);
  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 1, { discount: { percent: 20, reason: 'promo' } }]]));
  assert.equal(r.status, 201, r.text);
  let today = (await series(item)).history.at(-1);
  assert.equal(today.date, dayText(0));
  assert.deepEqual(today, { date: dayText(0), units: 1, censored: false, promo: true });

  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(r.status, 201, r.text);
  const view = await series(item);
  assert.equal(view.history.length, 84);
  assert.equal(view.forecast.length, 28);
  assert.equal(view.forecast[0].date, dayText(1));
  today = view.history.at(-1);
  assert.deepEqual(today, { date: dayText(0), units: 3, censored: true, promo: true }, 'on hand 0 at the end of the day');
  // The days before the ledger followed this shop have no data (not zero).
  assert.equal(view.history[0].units, null);
});

// A line discount's depth is the day's price: 2 sold at 30 % off (3.50 of 5.00) and 1 at full
// price is a promotion day at 700 thousandths of the regular price (the mean of the cut units),
// which the forecast reads as a price cut like a lower shelf price.
test('a line discount is a promotion day at the price paid after it', async () => {
  const item = await makeItem(s, { price: 500 });
  await adjust(s, item, shop, 10, 'found');
  let r = await s.post('/api/v1/sales', saleBody(shop, [[item, 2, { discount: { percent: 30, reason: 'promo' } }]]));
  assert.equal(r.status, 201, r.text);
  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(r.status, 201, r.text);
  const today = (await series(item)).history.at(-1);
  assert.deepEqual(today, { date: dayText(0), units: 3, censored: false, promo: true });
  const stored = dbExec(s.db, `SELECT days FROM demand_months WHERE item_id = '${item.id}' AND source = 'ledger'`);
  assert.equal(stored.status, 0, stored.stderr);
  assert.equal(stored.stdout.trim(), `${Number(dayText(0).slice(8))}:3000:p700`);
});

test('import-history: a good file loads as daily demand; a bad row is reported by line and nothing loads', async () => {
  const item = await makeItem(s, { category: 'Import' });
  const bad = historyFile([...steadyRows(item.sku, 2, 3), `${dayText(-1)},${shop.name},NO-SUCH-SKU,4`], 'bad.csv');
  let r = importHistory(bad);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /bad\.csv:5: item: no item has SKU 'NO-SUCH-SKU'; nothing loaded/);
  assert.ok((await series(item)).history.every((d) => d.units === null), 'nothing loaded');

  r = importHistory(historyFile([`${dayText(-2)},Nowhere,${item.sku},1`], 'nowhere.csv'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nowhere\.csv:2: location: 'Nowhere' is not the name of a store/);

  r = importHistory(historyFile([`${dayText(-2)},${shop.name},${item.sku},-1`], 'negative.csv'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /negative\.csv:2: units/);

  r = importHistory(historyFile(steadyRows(item.sku, 2.5, 3), 'good.csv'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /loaded 3 rows: 1 series, 3 days/);
  const days = (await series(item)).history;
  // Today the ledger follows: nothing sold yet is 0, not missing.
  assert.deepEqual(days.slice(-4).map((d) => d.units), [2.5, 2.5, 2.5, 0]);
});

test('a day imported and sold is summed; importing it again replaces the imported figure only', async () => {
  const item = await makeItem(s, { price: 500 });
  await adjust(s, item, shop, 10, 'found');
  const rows = (today) => [`${dayText(-40)},${shop.name},${item.sku},2`, `${dayText(-1)},${shop.name},${item.sku},1.5`,
    `${dayText(0)},${shop.name},${item.sku},${today}`];
  let r = importHistory(historyFile(rows(1), 'packed.csv'));
  assert.equal(r.status, 0, r.stderr);
  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 2]]));
  assert.equal(r.status, 201, r.text);
  const units = async () => {
    const days = (await series(item)).history;
    return Object.fromEntries([-40, -1, 0].map((d) => [d, days.find((x) => x.date === dayText(d)).units]));
  };
  assert.deepEqual(await units(), { '-40': 2, '-1': 1.5, 0: 3 }, 'a month apart, and today 1 imported + 2 sold');
  r = importHistory(historyFile([`${dayText(0)},${shop.name},${item.sku},4`], 'again.csv'));
  assert.equal(r.status, 0, r.stderr);
  r = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(await units(), { '-40': 2, '-1': 1.5, 0: 7 }, 'today 4 imported + 3 sold; the other days as they were');
});

test('demand days written before migration 29 come out of it by day', async () => {
  const dir = tempDir('backroom-demand-months-');
  const db = freshDb(dir, 'before29');
  let r = cli(['migrate', '--db', db, '--to-version', '28']);
  assert.equal(r.status, 0, r.stderr);
  const day = (offset) => `'${dayText(offset)}'`;
  const [location, item] = [uuidv7(), uuidv7()];
  for (const sql of [
    `INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('${location}', 'Old shop', 'store', 1, 0)`,
    `INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES ('${item}', 'OLD-1', 'Old item', 'old item', 100, 0, 0)`,
    'INSERT INTO demand_history (location_id, item_id, day, source, units, censored, promo) VALUES ' +
      `('${location}', '${item}', ${day(-40)}, 'import', 1000, 1, 0), ('${location}', '${item}', ${day(-3)}, 'import', 2000, 0, 0), ` +
      `('${location}', '${item}', ${day(-3)}, 'ledger', 500, 0, 1), ('${location}', '${item}', ${day(-2)}, 'ledger', 3000, 1, 0)`,
    // The ledger was refreshed up to today and followed from 5 days ago.
    `INSERT INTO settings (key, value) VALUES ('planning.ledger_day', ${day(0)}), ('planning.ledger_seq', '1'), ('planning.ledger_start', ${day(-5)})`,
  ]) {
    r = dbExec(db, sql);
    assert.equal(r.status, 0, r.stderr);
  }
  const old = await startServer({ db });
  try {
    // Packed: one row per month and source, `day:units[:flags]` entries (in no promised order).
    const months = {};
    for (const line of dbExec(db, `SELECT month, source, days FROM demand_months WHERE item_id = '${item}'`).stdout.trim().split('\n')) {
      const [month, source, days] = line.split('|');
      months[`${month} ${source}`] = days.split(';').sort().join(';');
    }
    const expected = {};
    for (const [offset, source, entry] of [[-40, 'import', '1000:c'], [-3, 'import', '2000'], [-3, 'ledger', '500:p'], [-2, 'ledger', '3000:c']]) {
      const d = dayText(offset);
      const key = `${Number(d.slice(0, 4)) * 100 + Number(d.slice(5, 7))} ${source}`;
      expected[key] = [...(expected[key] ? expected[key].split(';') : []), `${Number(d.slice(8, 10))}:${entry}`].sort().join(';');
    }
    assert.deepEqual(months, expected);
    const buyerOld = await old.as('buyer');
    r = await buyerOld.get(`/api/v1/planning/series?location_id=${location}&item_id=${item}`);
    assert.equal(r.status, 200, r.text);
    const byDay = Object.fromEntries(r.json.history.map((d) => [d.date, d]));
    assert.deepEqual(byDay[dayText(-40)], { date: dayText(-40), units: 1, censored: true, promo: false });
    assert.deepEqual(byDay[dayText(-3)], { date: dayText(-3), units: 2.5, censored: false, promo: true });
    assert.deepEqual(byDay[dayText(-2)], { date: dayText(-2), units: 3, censored: true, promo: false });
    assert.deepEqual([-6, -5, -4, -1, 0].map((d) => byDay[dayText(d)].units), [null, 0, 0, 0, 0]);
  } finally {
    await old.stop();
  }
});

test('suggestions: 4 a day, lead time 3, ordering every day, 5 on hand, cases of 6 -> S = 22, order 18 = 3 cases; on order counts', async () => {
  const sup = await makeSupplier();
  const item = await makeItem(s, { category: 'Tea', price: 400 });
  await supplies(sup, item);
  let r = importHistory(historyFile(steadyRows(item.sku, 4, 56), 'steady.csv'));
  assert.equal(r.status, 0, r.stderr);
  await adjust(s, item, shop, 5, 'found');

  // By hand: d = 4 a day with no error, L = 3 days (sd 0), R = 1 day (the next order day is
  // tomorrow): 16 expected over L + R. A whole-unit item expecting fewer than 20 takes its S
  // from the demand's distribution (docs/planning.md): no error below the mean's own spread,
  // so Poisson(16), and "95 % served" as a fill rate allows d x R x 5 % = 0.2 units short a
  // cycle. The smallest S with E[(D - S)+] <= 0.2 is 22 (E = 0.146; at 21 it is 0.23).
  // Position 5; 22 - 5 = 17, rounded up to 3 cases of 6 = 18; safety stock 22 - 16 = 6.
  let out = await suggestions(sup);
  assert.equal(out.location_id, shop.id);
  assert.equal(out.supplier_id, sup.id);
  assert.equal(out.suggestions.length, 1, JSON.stringify(out));
  let line = out.suggestions[0];
  assert.equal(line.item_id, item.id);
  assert.equal(line.sku, item.sku);
  assert.equal(line.quantity, 18);
  assert.equal(line.cases, 3);
  const why = line.reason;
  assert.equal(why.forecast_per_day, 4);
  assert.equal(why.lead_time_days, 3);
  assert.equal(why.review_days, 1);
  assert.equal(why.service_level, 0.95);
  assert.equal(why.safety_stock, 6);
  assert.equal(why.order_up_to, 22);
  assert.equal(why.on_hand, 5);
  assert.equal(why.on_order, 0);
  assert.equal(why.in_transit, 0);
  assert.equal(why.reserved, 0);
  assert.equal(why.rounding.shortfall, 17);
  assert.equal(why.rounding.case_pack, 6);
  assert.match(why.text, /^Sells about 4.0 a day/);
  assert.match(why.text, /17 rounded up to 3 cases of 6 = 18/);

  // Into a draft purchase order, as the buyer accepts it.
  r = await buyer.post('/api/v1/replenishment/orders', {
    location_id: shop.id, supplier_id: sup.id, lines: out.suggestions.map((l) => ({ item_id: l.item_id, quantity: l.quantity })),
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.lines.length, 1);
  assert.equal(r.json.lines[0].quantity, 18);
  assert.equal(r.headers.get('location'), `/api/v1/purchase-orders/${r.json.id}`);
  // A draft is not yet on order; once sent it is: position 5 + 18 = 23 >= 22, nothing to order.
  out = await suggestions(sup);
  assert.equal(out.suggestions.length, 1);
  r = await buyer.post(`/api/v1/purchase-orders/${r.json.id}/send`, {});
  assert.equal(r.status, 200, r.text);
  out = await suggestions(sup);
  assert.deepEqual(out.suggestions, []);

  // A reorder point above the position brings it back? No: the position is above S; a
  // reorder point only holds an order back. The service level is kept per category.
  r = await buyer.put('/api/v1/planning/service-levels', { scope: 'category', key: 'Tea', service_level: 0.99 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.service_levels.find((l) => l.key === 'Tea'), { scope: 'category', key: 'Tea', service_level: 0.99 });
});

// The own-price effect in the live suggestions (docs/planning.md): imported days keep the
// promotion's price as a share of the regular price; an approved price cut not applied yet is
// a promotion ahead. 4 a day at 10.00, four days at 5.00 that sold 16 (ε = ln 4 / ln 2 = 2).
// Ordering every day with a lead time of 3 covers 4 days from tomorrow: without a plan
// 4 × 4 = 16 expected; with half price tomorrow and the day after, 16 + 16 + 4 + 4 = 40.
test('a planned price cut is a promotion ahead, forecast by its depth with the elasticity learnt from past promotions', async () => {
  const sup = await makeSupplier();
  const item = await makeItem(s, { category: `Sale-${process.pid}`, price: 1000 });
  await supplies(sup, item, { case_pack: 1 });
  const rows = ['date,location,item,units,promo,price'];
  for (let d = 56; d >= 1; d--) {
    const promo = d % 14 === 0;
    rows.push(`${dayText(-d)},${shop.name},${item.sku},${promo ? 16 : 4},${promo ? 1 : 0},${promo ? '5.00' : '10.00'}`);
  }
  const file = path.join(s.dir, 'priced.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const r = importHistory(file);
  assert.equal(r.status, 0, r.stderr);

  const line = async () => (await suggestions(sup)).suggestions.find((l) => l.item_id === item.id);
  const plain = (await line()).reason;
  assert.equal(plain.forecast_per_day, 4);
  assert.ok(Math.abs(plain.price_elasticity - 2) < 1e-6, `elasticity ${plain.price_elasticity}`);
  assert.equal(plain.promotion_ahead, null);

  // Half price from tomorrow, back to 10.00 in three days: requested, then approved by another manager.
  await s.createUser({ username: `pricer-${process.pid}`, role: 'manager', password: 'pricer password' });
  const approver = await s.signIn(`pricer-${process.pid}`, 'pricer password');
  for (const [price, day] of [[500, 1], [1000, 3]]) {
    const req = await s.post('/api/v1/price-changes', { item_id: item.id, price, effective_at: `${dayText(day)}T00:00:00Z`, reason: 'weekend sale' });
    assert.equal(req.status, 201, req.text);
    const ok = await approver.post(`/api/v1/price-changes/${req.json.id}/approve`, {});
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.status, 'approved', 'scheduled, not applied yet');
  }
  const why = (await line()).reason;
  assert.deepEqual(why.promotion_ahead, { first_day: dayText(1), last_day: dayText(2), price_share: 0.5, multiplier: 4 });
  assert.match(why.text, /the promotion ahead \(50 % off\) sells about 4\.0 times as much/);
  assert.ok(why.order_up_to - plain.order_up_to >= 24, `S ${plain.order_up_to} -> ${why.order_up_to}: 24 more units expected`);
});

test('a reorder point holds an order back until the position falls below it', async () => {
  const sup = await makeSupplier();
  const item = await makeItem(s, { category: 'Coffee' });
  await supplies(sup, item, { case_pack: 1 });
  let r = importHistory(historyFile(steadyRows(item.sku, 2, 28), 'coffee.csv'));
  assert.equal(r.status, 0, r.stderr);
  await adjust(s, item, shop, 6, 'found');
  // 2 a day over L + R = 4 days: Poisson(8), 2 x 1 x 5 % = 0.1 short allowed a cycle: S = 13
  // (E[(D - 13)+] = 0.066; at 12 it is 0.13). Position 6: order 7.
  let out = await suggestions(sup);
  assert.equal(out.suggestions[0].quantity, 7);
  r = await buyer.put('/api/v1/planning/reorder-points', { item_id: item.id, location_id: shop.id, reorder_point: 5 });
  assert.equal(r.status, 200, r.text);
  out = await suggestions(sup);
  assert.deepEqual(out.suggestions, [], 'position 6 is not below the reorder point 5');
  r = await buyer.put('/api/v1/planning/reorder-points', { item_id: item.id, location_id: shop.id, reorder_point: null });
  assert.equal(r.status, 200, r.text);
  out = await suggestions(sup);
  assert.equal(out.suggestions[0].quantity, 7);
  assert.equal(out.suggestions[0].reason.reorder_point, null);
});

test('a discontinued item is never suggested', async () => {
  const sup = await makeSupplier();
  const item = await makeItem(s, { category: 'Old' });
  await supplies(sup, item, { case_pack: 1 });
  const r = importHistory(historyFile(steadyRows(item.sku, 3, 28), 'old.csv'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await suggestions(sup)).suggestions.length, 1);
  const patch = await s.patch(`/api/v1/items/${item.id}`, { status: 'discontinued' }, { 'if-match': `"${item.version}"` });
  assert.equal(patch.status, 200, patch.text);
  assert.deepEqual((await suggestions(sup)).suggestions, []);
});

test('accuracy: a forecast kept for a past week against what sold, by category', async () => {
  const sup = await makeSupplier();
  const item = await makeItem(s, { category: 'Accuracy' });
  await supplies(sup, item, { case_pack: 1 });
  const r0 = importHistory(historyFile(steadyRows(item.sku, 4, 42), 'accuracy.csv'));
  assert.equal(r0.status, 0, r0.stderr);
  // The forecast made from the days before 14 days ago, for the week from then: 4 x 7 = 28, and 28 sold.
  let r = await buyer.post('/api/v1/planning/prepare', { as_of: dayText(-14) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.as_of, dayText(-14));
  assert.ok(r.json.suppliers >= 1);
  r = await buyer.get('/api/v1/planning/accuracy?weeks=4');
  assert.equal(r.status, 200, r.text);
  const week = r.json.weeks.find((w) => w.category === 'Accuracy');
  assert.ok(week, JSON.stringify(r.json));
  assert.equal(week.week_start, dayText(-14));
  assert.equal(week.forecast, 28);
  assert.equal(week.actual, 28);
  assert.equal(week.wape, 0);
  assert.equal(week.bias, 0);
  assert.equal(week.mase, 0);
  // Preparing today keeps the suggestions and a forecast for this week (not yet measurable).
  r = await buyer.post('/api/v1/planning/prepare', {});
  assert.equal(r.status, 200, r.text);
  const out = await suggestions(sup);
  assert.ok(out.prepared_at, 'prepared_at is set once the preparation ran');
});

// Kept fits (docs/planning-api.md): once the preparation ran, a suggestion takes each item's
// forecast from the fit it kept — the same answer as fitting now when nothing changed — while
// stock and orders stay live; a fit 7 days old, or one from before an import, is fitted again.
test('kept fits: the same suggestion as fitting now; the stock is still live; stale or imported-over fits are fitted again', async () => {
  const sup = await makeSupplier({ order_days: ['mon', 'thu'], min_order_value: 10000 });
  const tea = await makeItem(s, { category: 'Kept fits', price: 300 });
  const cake = await makeItem(s, { category: 'Kept fits', price: 500 });
  await supplies(sup, tea, { case_pack: 1 });
  await supplies(sup, cake, { case_pack: 4 });
  const rows = [];
  for (let d = 120; d >= 1; d--) {
    rows.push(`${dayText(-d)},${shop.name},${tea.sku},${[3, 5, 2, 6, 4, 9, 1][d % 7]}`);
    if (d % 3 === 0) rows.push(`${dayText(-d)},${shop.name},${cake.sku},${d % 2 ? 1 : 2}`);
  }
  let r = importHistory(historyFile(rows, 'kept.csv'));
  assert.equal(r.status, 0, r.stderr);
  const live = await suggestions(sup);
  assert.deepEqual(live.fits, { kept: 0, fitted: 2 });
  assert.equal(live.suggestions.length, 2, JSON.stringify(live));
  for (const l of live.suggestions) assert.equal(l.reason.fitted_at, dayText(0));

  r = await buyer.post('/api/v1/planning/prepare', {});
  assert.equal(r.status, 200, r.text);
  let kept = await suggestions(sup);
  assert.deepEqual(kept.fits, { kept: 2, fitted: 0 });
  assert.deepEqual(kept.suggestions, live.suggestions, 'every number and reason as when fitted now');
  assert.deepEqual(kept.top_up, live.top_up);

  // Stock received after the fit: the kept fit's suggestion counts it.
  const teaBefore = kept.suggestions.find((l) => l.item_id === tea.id);
  await adjust(s, tea, shop, 2, 'found');
  kept = await suggestions(sup);
  assert.deepEqual(kept.fits, { kept: 2, fitted: 0 });
  const teaAfter = kept.suggestions.find((l) => l.item_id === tea.id);
  assert.equal(teaAfter.reason.on_hand, teaBefore.reason.on_hand + 2);
  assert.equal(teaAfter.reason.forecast_per_day, teaBefore.reason.forecast_per_day);
  assert.equal(teaAfter.reason.rounding.shortfall, teaBefore.reason.rounding.shortfall - 2);

  // A preparation of an earlier day afterwards keeps today's fit.
  r = await buyer.post('/api/v1/planning/prepare', { as_of: dayText(-3) });
  assert.equal(r.status, 200, r.text);
  kept = await suggestions(sup);
  assert.deepEqual(kept.fits, { kept: 2, fitted: 0 });
  for (const l of kept.suggestions) assert.equal(l.reason.fitted_at, dayText(0));

  // Importing history forgets the store's fits: fitted now.
  r = importHistory(historyFile([`${dayText(-2)},${shop.name},${cake.sku},7`], 'kept-more.csv'));
  assert.equal(r.status, 0, r.stderr);
  const refitted = await suggestions(sup);
  assert.deepEqual(refitted.fits, { kept: 0, fitted: 2 });
  for (const l of refitted.suggestions) assert.equal(l.reason.fitted_at, dayText(0));

  // A fit of 6 days ago is used (and says so); one of 7 days ago is stale.
  r = await buyer.post('/api/v1/planning/prepare', { as_of: dayText(-6) });
  assert.equal(r.status, 200, r.text);
  kept = await suggestions(sup);
  assert.deepEqual(kept.fits, { kept: 2, fitted: 0 });
  for (const l of kept.suggestions) assert.equal(l.reason.fitted_at, dayText(-6));
  r = importHistory(historyFile([`${dayText(-2)},${shop.name},${cake.sku},7`], 'kept-again.csv'));
  assert.equal(r.status, 0, r.stderr);
  r = await buyer.post('/api/v1/planning/prepare', { as_of: dayText(-7) });
  assert.equal(r.status, 200, r.text);
  const stale = await suggestions(sup);
  assert.deepEqual(stale.fits, { kept: 0, fitted: 2 });
  assert.deepEqual(stale.suggestions, refitted.suggestions, 'the same history as when fitted after the import');
  for (const l of stale.suggestions) assert.equal(l.reason.fitted_at, dayText(0));
});

test('bad requests name their field', async () => {
  const item = await makeItem(s);
  const sup = await makeSupplier();
  const cases = [
    ['/api/v1/replenishment/suggestions', 422, 'location_id'],
    [`/api/v1/replenishment/suggestions?location_id=nope&supplier_id=${sup.id}`, 422, 'location_id'],
    [`/api/v1/replenishment/suggestions?location_id=${shop.id}`, 422, 'supplier_id'],
    [`/api/v1/replenishment/suggestions?location_id=${shop.id}&supplier_id=${uuidv7()}`, 404, undefined],
    [`/api/v1/planning/series?location_id=${shop.id}&item_id=${uuidv7()}`, 404, undefined],
    ['/api/v1/planning/accuracy?weeks=0', 422, 'weeks'],
  ];
  for (const [url, status, field] of cases) {
    const r = await buyer.get(url);
    assert.equal(r.status, status, `${url}: ${r.text}`);
    assert.equal(r.json.field, field, url);
  }
  let r = await buyer.post('/api/v1/replenishment/orders', { location_id: shop.id, supplier_id: sup.id, lines: [{ item_id: item.id, quantity: 0 }] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'lines[0].quantity');
  r = await buyer.put('/api/v1/planning/service-levels', { scope: 'item', key: item.id, service_level: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'service_level');
  r = await buyer.post('/api/v1/planning/prepare', { as_of: dayText(1) });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'as_of');
});
