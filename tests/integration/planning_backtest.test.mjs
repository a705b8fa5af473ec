// `backroom planning backtest` run as a shop would: the real binary on a generated weekly
// history (seeded), its JSON keys, the periods CSV, the HTML report, and a bad row refused
// with its line number. The file needs no database, so both backends run the same thing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from './lib/server.mjs';

function rng(seed) {  // mulberry32: the same history every run
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(random, mean) {  // Knuth
  const limit = Math.exp(-mean);
  let k = 0, p = random();
  while (p > limit) { k += 1; p *= random(); }
  return k;
}

const weeks = 80, items = 6;
function history() {
  const random = rng(17);
  const rows = ['date,location,item,units,promo,category'];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < items; i++) {
    const mean = 3 + 20 * random();
    for (let w = 0; w < weeks; w++) {
      if (i === 0 && w === 70) continue;  // a missing week: skipped, not zero
      const promo = random() < 0.15;
      const date = new Date(start + w * 7 * 86400000).toISOString().slice(0, 10);
      rows.push(`${date},SHOP1,SKU-${i},${poisson(random, mean * (promo ? 3 : 1))},${promo ? 1 : 0},${i < 3 ? 'dairy' : 'bakery'}`);
    }
  }
  return rows.join('\n') + '\n';
}

test('the backtest prints the issue\'s figures and writes the periods CSV and the report', () => {
  const dir = tempDir();
  const file = path.join(dir, 'history.csv');
  writeFileSync(file, history());
  const periods = path.join(dir, 'periods.csv');
  const report = path.join(dir, 'report.html');
  const r = cli(['planning', 'backtest', '--history', file, '--evaluate-last', '26', '--json',
    '--periods-csv', periods, '--report', report]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const key of ['series', 'periods', 'fill_rate', 'weeks_of_supply', 'orders_per_series', 'wape', 'bias', 'by_category']) {
    assert.ok(key in out, key);
  }
  assert.equal(out.series, items);
  assert.equal(out.periods, items * 26 - 1);
  assert.ok(out.fill_rate > 0.5 && out.fill_rate <= 1, String(out.fill_rate));
  assert.ok(out.weeks_of_supply > 0);
  assert.deepEqual(Object.keys(out.by_category).sort(), ['bakery', 'dairy']);
  assert.equal(out.by_category.dairy.series, 3);

  const lines = readFileSync(periods, 'utf8').trim().split('\r\n');
  assert.equal(lines[0], 'location,item,date,forecast,demand,served,on_hand_start,on_hand_end,order_quantity,receipt_quantity');
  assert.equal(lines.length - 1, out.periods);
  for (const line of lines.slice(1)) {
    const [, , , , demand, served, start, end] = line.split(',').map(Number);
    assert.ok(served <= demand && served <= start && Math.abs(start - served - end) < 1e-6, line);
  }
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<svg[^>]*role="img"/);
  assert.match(html, /Lowest fill/);
  assert.match(html, /SKU-/);

  const text = cli(['planning', 'backtest', '--history', file, '--evaluate-last', '26']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /fill rate \d+\.\d% \(asked 95%\), weeks of supply/);
});

test('a bad row is reported with its line number and nothing is used', () => {
  const dir = tempDir();
  const file = path.join(dir, 'history.csv');
  const rows = history().split('\n');
  rows[41] = rows[41].replace(/,SKU-(\d),\d+,/, ',SKU-$1,many,');
  writeFileSync(file, rows.join('\n'));
  const periods = path.join(dir, 'periods.csv');
  const r = cli(['planning', 'backtest', '--history', file, '--json', '--periods-csv', periods]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /history\.csv:42: units: 'many' is not a number/);
  assert.match(r.stderr, /nothing was used/);
  assert.throws(() => readFileSync(periods));
});

test('a series\' own terms from the file, and deliveries that vary', () => {
  const dir = tempDir();
  const file = path.join(dir, 'history.csv');
  // SKU-0 comes in cases of 12 from a supplier two weeks away; the others take the run's options.
  const rows = history().trim().split('\n');
  rows[0] += ',case_pack,lead_time_days';
  for (let i = 1; i < rows.length; i++) rows[i] += rows[i].includes(',SKU-0,') ? ',12,14' : ',,';
  writeFileSync(file, rows.join('\n') + '\n');
  const periods = path.join(dir, 'periods.csv');
  const r = cli(['planning', 'backtest', '--history', file, '--evaluate-last', '26', '--json', '--periods-csv', periods,
    '--lead-time-sd-days', '3', '--seed', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).lead_time_sd_days, 3);
  const ordered = (sku) => readFileSync(periods, 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','))
    .filter((f) => f[1] === sku && Number(f[8]) > 0).map((f) => Number(f[8]));
  assert.ok(ordered('SKU-0').length > 5);
  for (const q of ordered('SKU-0')) assert.equal(q % 12, 0, `SKU-0 orders whole cases: ${q}`);
  assert.ok(ordered('SKU-3').some((q) => q % 12 !== 0), 'the others order single units');
  // The same seed replays the same; the figures are those of the file's terms.
  const again = cli(['planning', 'backtest', '--history', file, '--evaluate-last', '26', '--json',
    '--lead-time-sd-days', '3', '--seed', '5']);
  assert.equal(again.stdout, r.stdout);
  // A value that changes within a series stops the run like any bad row.
  rows[5] = rows[5].replace(/,12,14$/, ',24,14');
  writeFileSync(file, rows.join('\n') + '\n');
  const bad = cli(['planning', 'backtest', '--history', file, '--json']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /history\.csv:6: case_pack: '24' differs from this item's earlier case_pack '12'/);
});

test('options are checked before anything runs', () => {
  const r = cli(['planning', 'backtest', '--history', '/nonexistent.csv', '--service-level', '1.5']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /service-level/);
  const missing = cli(['planning', 'backtest', '--history', '/nonexistent.csv']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\.csv/);
});
