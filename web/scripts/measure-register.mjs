#!/usr/bin/env node
// Measures the register as a cashier feels it, in headless Chromium at desktop size
// (1280×800) against the real server on a fresh demo shop. Prints medians and p95; asserts
// nothing (numbers go to docs/performance.md by hand).
//   BACKROOM_BIN=build/backroom node web/scripts/measure-register.mjs [samples]
// - scan-to-line: Enter of a wedge scan to the cart row painted (measure br:scan-to-line)
// - cart-to-quote: the cart shown changing to its quoted total painted (br:cart-to-quote)
// - quote round trip in the page: POST /sales/quote sent to answered (br:quote-round-trip)
// - bare quote round trip: the same body posted from node, one at a time
import { DEMO, setup, scan, signInAtRegister } from '../tests/lib.mjs';

const samples = Number(process.argv[2] ?? 60);
const env = await setup();
const { server, store } = env;
try {
  const items = (await server.get('/api/v1/items?status=active&limit=200')).json.items;
  const codes = items.filter((i) => i.kind === 'standard' && !i.sold_by_weight && i.price)
    .map((i) => i.barcodes.find((b) => /^\d{13}$/.test(b.code) && b.pack_quantity === 1)?.code).filter(Boolean).slice(0, 5);
  if (codes.length < 5) throw new Error('the demo shop should have 5 items with a unit EAN-13');

  const page = await env.page({ width: 1280, height: 800 });
  await signInAtRegister(page, DEMO.cashier);
  const count = (name) => page.evaluate((n) => performance.getEntriesByName(n).length, name);
  for (let i = 0; i < samples; i++) {
    // Five items cycled: the cart stays a basket of five lines whose counts go up.
    const before = { line: await count('br:scan-to-line'), quote: await count('br:cart-to-quote') };
    await scan(page, codes[i % codes.length]);
    await page.waitForFunction(([l, q]) => performance.getEntriesByName('br:scan-to-line').length > l
      && performance.getEntriesByName('br:cart-to-quote').length > q, [before.line, before.quote]);
  }
  const durations = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
  const inPage = {
    'scan-to-line (Enter → row painted)': await durations('br:scan-to-line'),
    'cart-to-quote (cart change → quoted total painted)': await durations('br:cart-to-quote'),
    'quote round trip seen by the page': await durations('br:quote-round-trip'),
  };

  const cashier = await server.signIn(DEMO.cashier.username, DEMO.cashier.password);
  const lines = codes.slice(0, 3).map((code, i) => ({ code, quantity: i + 1 }));
  const bare = [];
  for (let i = 0; i < Math.max(samples, 100); i++) {
    const t0 = performance.now();
    const r = await cashier.post('/api/v1/sales/quote', { location_id: store.id, register_id: 'REG-1', lines });
    bare.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`quote: ${r.status} ${r.text}`);
  }
  inPage['bare POST /sales/quote from node (3 lines)'] = bare;

  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  console.log(`binary: ${process.env.BACKROOM_BIN ?? 'build-test/backroom'}; Chromium 1280×800; ${samples} scans`);
  console.log('| what | samples | median ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |');
  for (const [what, xs] of Object.entries(inPage)) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`| ${what} | ${s.length} | ${pct(s, 50).toFixed(1)} | ${pct(s, 95).toFixed(1)} | ${s.at(-1).toFixed(1)} |`);
  }
} finally {
  await env.close();
}
