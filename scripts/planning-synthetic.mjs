#!/usr/bin/env node
// A synthetic weekly sales history of known demand, for `backroom planning backtest`
// (docs/planning.md "What it reaches on synthetic shops"). Seeded: the same file every run.
//   node scripts/planning-synthetic.mjs --kind regular|intermittent|promo|priced|mixed
//        [--series 300] [--weeks 120] [--seed 1] > history.csv
// regular: Poisson, 5-40 a week; intermittent: 0.3-1.5 a week; promo: 5-30 a week with 15 %
// of weeks on promotion at 2-4×, flagged in the promo column (planned ahead); priced: 5-30 a
// week with 15 % of weeks at 10-50 % off, selling (price / regular)^-ε times as much (ε 1.5-3.5
// per item), the price in a price column (--no-price leaves it out: the flag alone); mixed: a
// third of regular, intermittent and promo. The category column is the kind.
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    kind: { type: 'string', default: 'regular' },
    series: { type: 'string', default: '300' },
    weeks: { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    'no-price': { type: 'boolean', default: false },
  },
});
const kinds = ['regular', 'intermittent', 'promo'];
if (![...kinds, 'priced', 'mixed'].includes(values.kind)) {
  console.error(`--kind must be one of ${[...kinds, 'priced', 'mixed'].join(', ')}`);
  process.exit(2);
}

let state = Number(values.seed) | 0;
function random() {  // mulberry32
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function poisson(mean) {
  if (mean > 30) {  // normal approximation keeps Knuth's loop short
    const u = 1 - random(), v = random();
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  const limit = Math.exp(-mean);
  let k = 0, p = random();
  while (p > limit) { k += 1; p *= random(); }
  return k;
}

const priced = values.kind === 'priced';
const withPrice = priced && !values['no-price'];
const out = [`date,location,item,units,promo,category${withPrice ? ',price' : ''}`];
const start = Date.UTC(2024, 0, 1);
const series = Number(values.series), weeks = Number(values.weeks);
for (let s = 0; priced && s < series; s++) {
  const mean = 5 + 25 * random(), elasticity = 1.5 + 2 * random(), regular = 4 + 20 * random();
  for (let w = 0; w < weeks; w++) {
    const promo = random() < 0.15;
    const q = promo ? 1 - 0.1 * (1 + Math.floor(random() * 5)) : 1;
    const date = new Date(start + w * 7 * 86400000).toISOString().slice(0, 10);
    const price = withPrice ? `,${(regular * q).toFixed(2)}` : '';
    out.push(`${date},SHOP1,ITEM-${s},${poisson(mean * q ** -elasticity)},${promo ? 1 : 0},priced${price}`);
  }
}
for (let s = 0; !priced && s < series; s++) {
  const kind = values.kind === 'mixed' ? kinds[s % 3] : values.kind;
  const mean = kind === 'intermittent' ? 0.3 + 1.2 * random() : kind === 'promo' ? 5 + 25 * random() : 5 + 35 * random();
  const uplift = 2 + 2 * random();
  for (let w = 0; w < weeks; w++) {
    const promo = kind === 'promo' && random() < 0.15;
    const date = new Date(start + w * 7 * 86400000).toISOString().slice(0, 10);
    out.push(`${date},SHOP1,ITEM-${s},${poisson(mean * (promo ? uplift : 1))},${promo ? 1 : 0},${kind}`);
  }
}
process.stdout.write(out.join('\n') + '\n');
