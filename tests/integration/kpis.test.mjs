// The KPI report (issue 18) on a shop built week by week through the API, every figure
// checked against numbers worked out by hand below. Dated history needs a clock: the test
// build's server reads "now" from the file BACKROOM_TEST_CLOCK_FILE names (platform/types.cpp;
// a build without tests never does), and the test writes the time before each step.
//
// The shop (tax: standard 21 % inclusive, so a price of 121 is 100 without tax):
//   Cola  (Drinks) cost 50,  price 121 -> 100 net a unit
//   Water (Drinks) cost 80,  price 242 -> 200 net
//   Chips (Snacks) cost 150, price 363 -> 300 net
// Week 1 (2026-09-07 Mon .. 09-13 Sun), at the store:
//   09-07 opening: Cola +20, Water +10, Chips +10; the warehouse: Cola +5
//   09-09 sale: Cola 5, Chips 2
//   09-11 sale: Water 10 (Water is out of stock from here)
// Week 2 (09-14 .. 09-20), the period reported; "today" is 09-20 18:00 UTC:
//   09-14 sale: Cola 5, Chips 3
//   09-16 found: Water +6; damage: Chips -1
//   09-17 sale: Water 2; a sale of Chips 1, voided the same day (not a sale, moves nothing)
//   09-18 return of 1 Cola from the 09-14 sale, back on the shelf (refund 121, tax 21)
//   09-19 theft: Cola -1
//   09-20 10:00 sale: Cola 2
// End-of-day on hand at the store in week 2 (days 14 15 16 17 18 19 20):
//   Cola  10 10 10 10 11 10 8   -> 69 unit-days, ends at 8
//   Water  0  0  6  4  4  4 4   -> 22 unit-days, ends at 4, out of stock on 14 and 15
//   Chips  5  5  4  4  4  4 4   -> 30 unit-days, ends at 4
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from './lib/server.mjs';
import { adjust, openRegister, saleBody, store } from './lib/shop.mjs';

const clockDir = tempDir('backroom-clock-');
const clockFile = path.join(clockDir, 'now');
const at = (time) => writeFileSync(clockFile, `${time}\n`);

let s;
let shop;
let warehouse;
const items = {};
let colaSale;

const near = (got, want, what) => assert.ok(Math.abs(got - want) < 1e-9, `${what}: ${got} is not ${want}`);

async function sell(lines, time) {
  at(time);
  const r = await s.post('/api/v1/sales', saleBody(shop, lines.map(([k, q]) => [items[k], q]), { register_id: 'R-KPI' }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  at('2026-09-01T08:00:00Z');
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile } });
  shop = await store(s);
  const w = await s.post('/api/v1/locations', { name: 'KPI warehouse', kind: 'warehouse' });
  assert.equal(w.status, 201, w.text);
  warehouse = w.json;
  for (const [key, name, category, cost, price] of [
    ['cola', 'Cola 33cl', 'Drinks', 50, 121], ['water', 'Water 1l', 'Drinks', 80, 242], ['chips', 'Chips salted', 'Snacks', 150, 363],
  ]) {
    const r = await s.post('/api/v1/items', { sku: `KPI-${key.toUpperCase()}`, name, category, cost, price, tax_category: 'standard' });
    assert.equal(r.status, 201, r.text);
    items[key] = r.json;
  }
  await openRegister(s, shop, 'R-KPI');

  at('2026-09-07T09:00:00Z');
  await adjust(s, items.cola, shop, 20, 'opening');
  await adjust(s, items.water, shop, 10, 'opening');
  await adjust(s, items.chips, shop, 10, 'opening');
  await adjust(s, items.cola, warehouse, 5, 'opening');
  await sell([['cola', 5], ['chips', 2]], '2026-09-09T12:00:00Z');
  await sell([['water', 10]], '2026-09-11T12:00:00Z');

  colaSale = await sell([['cola', 5], ['chips', 3]], '2026-09-14T12:00:00Z');
  at('2026-09-16T09:00:00Z');
  await adjust(s, items.water, shop, 6, 'found');
  await adjust(s, items.chips, shop, -1, 'damage');
  await sell([['water', 2]], '2026-09-17T12:00:00Z');
  const voided = await sell([['chips', 1]], '2026-09-17T13:00:00Z');
  const v = await s.post(`/api/v1/sales/${voided.id}/void`, { reason: 'rang up twice' });
  assert.equal(v.status, 200, v.text);
  at('2026-09-18T12:00:00Z');
  const line = colaSale.lines.find((l) => l.item_id === items.cola.id);
  const ret = await s.post('/api/v1/returns', {
    sale_id: colaSale.id, register_id: 'R-KPI',
    lines: [{ sale_line_id: line.id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
  });
  assert.equal(ret.status, 201, ret.text);
  assert.equal(ret.json.lines[0].refund, 121, 'the refund is one unit at 121 (21 of it tax)');
  at('2026-09-19T12:00:00Z');
  await adjust(s, items.cola, shop, -1, 'theft');
  await sell([['cola', 2]], '2026-09-20T10:00:00Z');
  at('2026-09-20T18:00:00Z');
});
after(async () => { await s?.stop(); });

const week2 = (extra = '') => `/api/v1/reports/kpis?from=2026-09-14&to=2026-09-20${extra}`;

test('the store over week 2, every KPI by hand', async () => {
  const r = await s.get(week2(`&location_id=${shop.id}`));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.days, 7);
  const t = r.json.total;
  // Stockout: 3 items x 7 days = 21 item-days; Water was out at the end of 14 and 15.
  assert.deepEqual([t.stockout_rate.out_of_stock_item_days, t.stockout_rate.item_days], [2, 21]);
  near(t.stockout_rate.value, 2 / 21, 'stockout rate');
  // Sell-through: sold Cola 5 - 1 + 2 = 6, Water 2, Chips 3 (the voided Chips is no sale) = 11;
  // on hand at the end 8 + 4 + 4 = 16: 11 / 27.
  assert.deepEqual([t.sell_through.units_sold, t.sell_through.end_on_hand], [11, 16]);
  assert.deepEqual([t.sell_through.numerator, t.sell_through.denominator], [11, 27]);
  near(t.sell_through.value, 11 / 27, 'sell-through');
  // Days of supply: the 28 days ending 09-20 hold all the history: Cola 5 + 6, Water 10 + 2,
  // Chips 2 + 3 = 28 sold, 1 a day; 16 on hand = 16 days.
  assert.equal(t.days_of_supply.units_sold_last_28_days, 28);
  assert.deepEqual([t.days_of_supply.numerator, t.days_of_supply.denominator], [16, 1]);
  near(t.days_of_supply.value, 16, 'days of supply');
  // Net sales without tax: Cola 5 x 100 - 100 (the return) + 2 x 100 = 600, Water 2 x 200 = 400,
  // Chips 3 x 300 = 900: 1900. Shrink at cost: Chips damaged 1 x 150, Cola stolen 1 x 50 = 200.
  assert.equal(t.shrink.net_sales, 1900);
  assert.equal(t.shrink.shrink_cost, 200);
  assert.deepEqual(t.shrink.by_reason, { damage: 150, theft: 50 });
  near(t.shrink.value, 200 / 1900, 'shrink');
  // GMROI: cost of goods sold 6 x 50 + 2 x 80 + 3 x 150 = 910, margin 1900 - 910 = 990;
  // inventory at cost 69 x 50 + 22 x 80 + 30 x 150 = 3450 + 1760 + 4500 = 9710 cost-days over
  // 7 days: 990 / (9710 / 7).
  assert.deepEqual([t.gmroi.cost_of_goods_sold, t.gmroi.gross_margin, t.gmroi.inventory_cost_days, t.gmroi.days], [910, 990, 9710, 7]);
  near(t.gmroi.denominator, 9710 / 7, 'average inventory at cost');
  near(t.gmroi.value, 990 * 7 / 9710, 'GMROI');
  // Not built yet: empty slots with a note, never a made-up number.
  assert.equal(t.count_accuracy, null);
  assert.equal(t.forecast_wape, null);
  assert.match(r.json.notes.count_accuracy, /counts/);
  assert.match(r.json.notes.forecast_wape, /planning/);
});

test('by category and by item, worst first', async () => {
  const r = await s.get(week2(`&location_id=${shop.id}&group=category`));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.rows.map((row) => row.label), ['Drinks', 'Snacks']);
  const [drinks, snacks] = r.json.rows;
  // Drinks = Cola + Water: 2 of 14 item-days out; sold 8, on hand 12; 23 sold in 28 days;
  // sales 1000, cost of goods 460, inventory 3450 + 1760 = 5210; shrink 50 (theft).
  near(drinks.stockout_rate.value, 2 / 14, 'drinks stockout');
  near(drinks.sell_through.value, 8 / 20, 'drinks sell-through');
  near(drinks.days_of_supply.value, 12 * 28 / 23, 'drinks days of supply');
  near(drinks.shrink.value, 50 / 1000, 'drinks shrink');
  near(drinks.gmroi.value, 540 * 7 / 5210, 'drinks GMROI');
  // Snacks = Chips: never out; sold 3, on hand 4; 5 sold in 28 days; 900 - 450 = 450 over 4500/7.
  near(snacks.stockout_rate.value, 0, 'snacks stockout');
  near(snacks.sell_through.value, 3 / 7, 'snacks sell-through');
  near(snacks.days_of_supply.value, 4 * 28 / 5, 'snacks days of supply');
  near(snacks.shrink.value, 150 / 900, 'snacks shrink');
  near(snacks.gmroi.value, 0.7, 'snacks GMROI');

  const worst = await s.get(week2(`&location_id=${shop.id}&group=item&order=stockout_rate&limit=1`));
  assert.equal(worst.status, 200, worst.text);
  assert.deepEqual(worst.json.rows.map((row) => [row.sku, row.name]), [['KPI-WATER', 'Water 1l']]);
  near(worst.json.rows[0].stockout_rate.value, 2 / 7, 'water stockout');
  const sell = await s.get(week2(`&location_id=${shop.id}&group=item&order=sell_through`));
  // Cola 6 / 14, Chips 3 / 7 (equal), Water 2 / 6: Water sells through worst.
  assert.equal(sell.json.rows[0].sku, 'KPI-WATER');
});

test('by location: the warehouse holds 5 Cola and sells none', async () => {
  const r = await s.get(week2('&group=location'));
  assert.equal(r.status, 200, r.text);
  const row = r.json.rows.find((x) => x.location_id === warehouse.id);
  assert.equal(row.name, 'KPI warehouse');
  assert.deepEqual([row.stockout_rate.item_days, row.stockout_rate.out_of_stock_item_days], [7, 0]);
  assert.equal(row.sell_through.value, 0);
  assert.equal(row.days_of_supply.value, null, 'no sales in 28 days: no days of supply');
  assert.deepEqual([row.gmroi.numerator, row.gmroi.denominator, row.gmroi.value], [0, 250, 0]);
  // Everything together: the store's figures plus the warehouse's 7 item-days and 5 on hand.
  assert.deepEqual([r.json.total.stockout_rate.item_days, r.json.total.sell_through.end_on_hand], [28, 21]);
});

test('weekly series: week 1 worked by hand, older weeks empty', async () => {
  const r = await s.get(`/api/v1/reports/kpis/weekly?to=2026-09-20&location_id=${shop.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.weeks.length, 12);
  const [w1, w2] = r.json.weeks.slice(-2);
  assert.deepEqual([w1.from, w1.to, w2.from, w2.to], ['2026-09-07', '2026-09-13', '2026-09-14', '2026-09-20']);
  // Week 1 from 09-07 (the items' first movements): Water out at the end of 11, 12, 13.
  near(w1.stockout_rate.value, 3 / 21, 'week 1 stockout');
  // Sold Cola 5, Water 10, Chips 2 = 17; on hand 15 + 0 + 8 = 23.
  near(w1.sell_through.value, 17 / 40, 'week 1 sell-through');
  near(w1.days_of_supply.value, 23 * 28 / 17, 'week 1 days of supply');
  // Sales 500 + 2000 + 600 = 3100, cost 250 + 800 + 300 = 1350; inventory Cola 20 20 15 15 15 15 15
  // = 115 x 50, Water 10 x 4 = 40 x 80, Chips 10 10 8 8 8 8 8 = 60 x 150: 5750 + 3200 + 9000.
  near(w1.shrink.value, 0, 'week 1 shrink');
  assert.equal(w1.gmroi.inventory_cost_days, 17950);
  near(w1.gmroi.value, 1750 * 7 / 17950, 'week 1 GMROI');
  near(w2.gmroi.value, 990 * 7 / 9710, 'week 2 GMROI, as the report');
  const older = r.json.weeks[0];
  assert.deepEqual([older.stockout_rate.item_days, older.stockout_rate.value], [0, null]);
});

test('CSV: one line per group and the total', async () => {
  const r = await s.get(week2(`&location_id=${shop.id}&format=csv`));
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const lines = r.text.trim().split('\r\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^group,key,label,stockout_rate,out_of_stock_item_days,item_days,sell_through/);
  assert.match(lines[1], /^category,Drinks,Drinks,0\.142857,2,14,0\.400000,8,12,/);
  assert.match(lines[3], /^category,,total,0\.095238,2,21,0\.407407,11,16,16\.000000,28,0\.105263,200,1900,/);
});

test('bad queries are 422 naming the field', async () => {
  const bin = (await s.get('/api/v1/locations')).json.locations.find((l) => l.parent_id === shop.id);
  for (const [query, field] of [
    ['from=2026-09-20&to=2026-09-14', 'from'], ['to=2026-09-21', 'to'], ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'], ['group=brand', 'group'], ['order=profit', 'order'], ['limit=0', 'limit'],
    ['format=xml', 'format'], ['location_id=nope', 'location_id'], [`location_id=${bin.id}`, 'location_id'],
    ['from=2025-01-01&to=2026-09-20', 'from'],
  ]) {
    const r = await s.get(`/api/v1/reports/kpis?${query}`);
    assert.equal(r.status, 422, `${query}: ${r.text}`);
    assert.equal(r.json.field, field, query);
  }
  const weeks = await s.get('/api/v1/reports/kpis/weekly?weeks=53');
  assert.equal(weeks.status, 422);
  assert.equal(weeks.json.field, 'weeks');
});
