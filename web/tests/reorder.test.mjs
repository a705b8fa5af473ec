// Issue 17 in the browser: the Reorder page. A shop moving from another system loads twelve
// weeks of its past sales (`backroom planning import-history`, as a person would), the demo's
// Brightfield Wholesale then has suggestions for the store; the buyer reads why a number is
// what it is (the sentence, the figures, a chart with out-of-stock and promotion days marked
// and the forecast ahead), changes a quantity and makes the draft order in one click; the API
// proves the purchase order has exactly those lines. At a desk (1280×800) and on tablets
// (768×1024, 1024×768) with every target measured, by keyboard alone, and with the empty
// states of a new shop. No screen shows an id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, dbExec, startServer, ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';
import { DEMO, DIST, setup, signIn, itemByCode, onHand, screenshotPath, noIds, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const SUPPLIER = 'Brightfield Wholesale'; // the demo's grocery supplier: pasta in cases of 6, rice in 12
const PASTA_SKU = 'GRC-00001';
const RICE_SKU = 'GRC-00002';
const PASTA_NAME = 'Brightfield Pasta 250 g';
const RICE_NAME = 'Brightfield Rice 250 g';
const weeks = 12;

async function reorderScreen(page) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Reorder', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Reorder' }).waitFor();
}

const isoDay = (d) => d.toISOString().slice(0, 10);

/**
 * Twelve weeks of daily sales up to yesterday, the way a shop's old system exports them:
 * pasta sells about 4 a weekday and 8 a Saturday, twice that in its promotion week five weeks
 * ago; rice sells a unit or two most days. Returns the file and the promotion days.
 */
function historyCsv(dir, storeName) {
  const rows = ['date,location,item,units,price,promo'];
  const promoDays = [];
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  for (let back = weeks * 7; back >= 1; back--) {
    const d = new Date(today.getTime() - back * 86400000);
    const day = isoDay(d);
    const weekend = d.getUTCDay() === 6 || d.getUTCDay() === 0;
    const promo = back > 28 && back <= 35;
    if (promo) promoDays.push(day);
    const pasta = (weekend ? 8 : 4) * (promo ? 2 : 1) + (back % 3 === 0 ? 1 : 0);
    rows.push(`${day},${storeName},${PASTA_SKU},${pasta},${promo ? '1.19' : '1.49'},${promo ? 1 : 0}`);
    rows.push(`${day},${storeName},${RICE_SKU},${back % 4 === 0 ? 0 : 1 + (back % 2)},1.79,0`);
  }
  const file = path.join(dir, 'history.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return { file, promoDays };
}

let seeded;
/** Loads the history once (the CLI, as a shop moving from another system does). */
async function seedHistory() {
  if (seeded) return seeded;
  const { server, store } = env;
  const { file, promoDays } = historyCsv(server.dir, store.name);
  const r = cli(['planning', 'import-history', '--db', server.db, '--history', file]);
  assert.equal(r.status, 0, `import-history: ${r.stdout}${r.stderr}`);
  const pasta = await itemByCode(server, '8712300100008');
  const rice = await itemByCode(server, '8712300100015');
  // The shelf count: 6 pasta and 2 rice left, well under what twelve weeks of sales ask for.
  for (const [item, left] of [[pasta, 6], [rice, 2]]) {
    const have = await onHand(server, item.id, store.id);
    const r = await server.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: store.id, quantity: left - have, reason: 'count', confirm: true, reason_code: 'count' });
    assert.equal(r.status, 201, r.text);
  }
  // The ledger marks a day censored when it ends out of stock; a test cannot wait for
  // midnight, so three of pasta's imported days are marked as a stockout had marked them: a
  // `c` on the day's entry in its month's packed row (`day:units[:flags]`, migration 29).
  const out = [14, 15, 16].map((back) => isoDay(new Date(Date.now() - back * 86400000)));
  for (const day of out) {
    const where = `item_id = '${pasta.id}' AND source = 'import' AND month = ${Number(day.slice(0, 4)) * 100 + Number(day.slice(5, 7))}`;
    const days = dbExec(server.db, `SELECT days FROM demand_months WHERE ${where}`).stdout.trim();
    assert.ok(days, `pasta's imported month of ${day}`);
    const censored = days.split(';').map((entry) => {
      const [d, units, flags = ''] = entry.split(':');
      return Number(d) === Number(day.slice(8, 10)) ? `${d}:${units}:c${flags.replace('c', '')}` : entry;
    });
    const marked = dbExec(server.db, `UPDATE demand_months SET days = '${censored.join(';')}' WHERE ${where}`);
    assert.equal(marked.status, 0, marked.stderr);
  }
  seeded = { pasta, rice, promoDays, censoredDays: out };
  return seeded;
}

async function supplierId(server, name) {
  const found = (await server.get(`/api/v1/suppliers?q=${encodeURIComponent(name)}`)).json.suppliers.find((s) => s.name === name);
  assert.ok(found, `supplier ${name}`);
  return found.id;
}

async function suggestionsFor(server, locationId, supplier) {
  const r = await server.get(`/api/v1/replenishment/suggestions?location_id=${locationId}&supplier_id=${supplier}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('a buyer reads why, changes a quantity and makes the draft order; the purchase order has those lines', async () => {
  const { server, store } = env;
  const { pasta, rice, promoDays, censoredDays } = await seedHistory();
  const brightfield = await supplierId(server, SUPPLIER);
  // Free freight just above what the suggestions are worth: the planner tops up to reach it.
  const buyer = await server.signIn(DEMO.buyer.username, DEMO.buyer.password);
  const before = await suggestionsFor(server, store.id, brightfield);
  const supplier = (await server.get(`/api/v1/suppliers/${brightfield}`)).json;
  const freight = before.top_up.value_before + 5000;
  const patched = await buyer.patch(`/api/v1/suppliers/${brightfield}`, { free_freight_value: freight }, { 'if-match': `"v${supplier.version}"` });
  assert.equal(patched.status, 200, patched.text);
  const answer = await suggestionsFor(server, store.id, brightfield);
  assert.equal(answer.top_up.target, 'free_freight_value');
  const wanted = answer.suggestions;
  const pastaWanted = wanted.find((s) => s.item_id === pasta.id);
  const riceWanted = wanted.find((s) => s.item_id === rice.id);
  assert.ok(pastaWanted && pastaWanted.quantity > 0, 'twelve weeks of pasta sales suggest an order');
  assert.ok(riceWanted, 'rice is suggested too');

  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.buyer);
  await reorderScreen(page);
  const group = page.getByRole('region', { name: `Order from ${SUPPLIER}` });
  const lines = group.getByRole('table', { name: `Suggestions from ${SUPPLIER}` });
  // A line's row is the one with its quantity field (an open "why" adds a row that names it too).
  const rowOf = (name) => lines.getByRole('row').filter({ has: page.getByLabel(`Order units of ${name}`, { exact: true }) });
  const pastaRow = rowOf(PASTA_NAME);
  await pastaRow.waitFor();
  const pastaUnits = group.getByLabel(`Order units of ${PASTA_NAME}`, { exact: true });
  assert.equal(await pastaUnits.inputValue(), String(pastaWanted.quantity), 'the suggested quantity, as the API has it');
  assert.match(await pastaRow.innerText(), new RegExp(`${pastaWanted.cases} cases? of 6`), 'shown in the supplier’s cases');
  const topped = wanted.filter((s) => s.reason.rounding.topped_up > 0);
  assert.ok(topped.length > 0, 'some lines were topped up');
  const note = group.getByRole('status').filter({ hasText: `Topped up to reach ${SUPPLIER}’s free-freight value of ${(freight / 100).toFixed(2)}` });
  await note.waitFor();
  for (const t of topped) assert.ok((await note.innerText()).includes(t.name), `the note names ${t.name}`);
  await rowOf(topped[0].name).getByText('topped up').waitFor();

  // Why: the planner's sentence, its figures, and the chart of the last twelve weeks.
  await pastaRow.getByRole('button', { name: `Why ${pastaWanted.quantity} of ${PASTA_NAME}?` }).click();
  const why = group.getByRole('region', { name: `Why ${pastaWanted.quantity} of ${PASTA_NAME}` });
  await why.getByText(pastaWanted.reason.text, { exact: true }).waitFor();
  const figure = (name) => why.locator('.why-figures div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd').innerText();
  const tenth = (n) => String(Math.round(n * 10) / 10);
  assert.equal(await figure('Order up to'), tenth(pastaWanted.reason.order_up_to));
  assert.equal(await figure('Safety stock'), tenth(pastaWanted.reason.safety_stock));
  assert.equal(await figure('Forecast a day'), pastaWanted.reason.forecast_per_day.toFixed(1));
  assert.equal(await figure('On hand'), String(pastaWanted.reason.on_hand));
  assert.equal(await figure('On order'), String(pastaWanted.reason.on_order));
  const chart = why.getByRole('img', { name: new RegExp(`^Daily sales of ${PASTA_NAME} over the last 12 weeks`) });
  await chart.waitFor();
  const series = (await server.get(`/api/v1/planning/series?location_id=${store.id}&item_id=${pasta.id}`)).json;
  const shown = series.history.slice(-weeks * 7);
  assert.deepEqual(shown.filter((d) => d.censored).map((d) => d.date), censoredDays.slice().sort(), 'the series knows the stockout days');
  assert.deepEqual(shown.filter((d) => d.promo).map((d) => d.date), promoDays, 'and the promotion days');
  assert.equal(await chart.locator('rect.mark-censored').count(), censoredDays.length, 'each out-of-stock day is marked');
  assert.equal(await chart.locator('rect.mark-promo').count(), promoDays.length, 'each promotion day is marked');
  assert.equal(await chart.locator('rect.bar').count(), shown.filter((d) => d.units !== null && d.units > 0).length, 'a bar for each day that sold');
  assert.ok(series.forecast.length > 0, 'the series has a forecast ahead');
  assert.match(await chart.locator('path.forecast').getAttribute('d'), /^M[\d.]+,[\d.]+ H/, 'the forecast is drawn ahead of today');
  await why.getByText(`${censoredDays.length} days ended out of stock`, { exact: false }).waitFor();
  await noIds(page, 'why this number');
  await why.getByRole('heading').evaluate((e) => e.scrollIntoView());
  await page.screenshot({ path: screenshotPath('reorder-why-desktop.png') });

  // The buyer orders 2 cases of pasta more than suggested, and no rice.
  const ordered = pastaWanted.quantity + 12;
  await pastaUnits.fill(String(ordered));
  await pastaRow.getByText(`${ordered / 6} cases of 6`).waitFor();
  await group.getByLabel(`Order units of ${RICE_NAME}`, { exact: true }).fill('0');
  await rowOf(RICE_NAME).getByText('left out').waitFor();
  await group.getByRole('button', { name: 'Create draft order' }).click();
  const made = group.getByRole('status').filter({ hasText: /Draft order PO-\d+ for Brightfield Wholesale/ });
  await made.waitFor();
  const number = (await made.innerText()).match(/PO-\d+/)[0];
  await noIds(page, 'the draft order made');

  // The API: a draft from Brightfield for the store with exactly the lines on the screen.
  const expected = new Map(wanted.filter((s) => s.item_id !== rice.id && s.quantity > 0).map((s) => [s.item_id, s.item_id === pasta.id ? ordered : s.quantity]));
  const po = (await server.get('/api/v1/purchase-orders?status=draft&limit=100')).json.purchase_orders.find((p) => p.number === number);
  assert.ok(po, `draft ${number} exists`);
  assert.equal(po.supplier_id, brightfield);
  assert.equal(po.location_id, store.id);
  assert.deepEqual(new Map(po.lines.map((l) => [l.item_id, l.quantity])), expected);

  // The link opens it on the purchase orders page.
  await made.getByRole('link', { name: `Open ${number}` }).click();
  await page.getByRole('heading', { level: 1, name: 'Purchase orders' }).waitFor();
  await page.getByRole('region', { name: 'Purchase order' }).getByRole('heading', { name: `Order ${number} · ${SUPPLIER} · draft` }).waitFor();
  await noIds(page, 'the draft on the purchase orders page');
  await page.context().close();
});

test('by keyboard alone: Tab to Why and Enter opens it; Enter and arrows move between quantities; Enter on the last reaches the order button', async () => {
  const { server, store } = env;
  const { pasta } = await seedHistory();
  const brightfield = await supplierId(server, SUPPLIER);
  const wanted = (await suggestionsFor(server, store.id, brightfield)).suggestions;
  assert.ok(wanted.length >= 2, 'two or more lines to move between');
  const before = (await server.get('/api/v1/purchase-orders?status=draft&limit=100')).json.purchase_orders.map((p) => p.number);

  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.buyer);
  await reorderScreen(page);
  const group = page.getByRole('region', { name: `Order from ${SUPPLIER}` });
  const inputs = group.locator('input.qty-input');
  await inputs.first().waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());
  const labels = await inputs.evaluateAll((all) => all.map((e) => e.getAttribute('aria-label')));

  // Why is a button: Tab from a quantity reaches it, Enter opens the panel, Enter on Close shuts it.
  await inputs.first().focus();
  await page.keyboard.press('Tab');
  assert.match(await focused(), /^Why \d+(\.\d+)? of .+\?$/);
  await page.keyboard.press('Enter');
  const why = group.getByRole('region', { name: /^Why / });
  await why.getByRole('img').waitFor();
  await page.keyboard.press('Tab');
  assert.match(await focused(), /^Close why /, 'the panel comes next in the tab order');
  await page.keyboard.press('Enter');
  await why.waitFor({ state: 'detached' });
  await page.waitForFunction(() => /^Why /.test(document.activeElement?.getAttribute('aria-label') ?? ''));

  // Arrows go up and down the column; Enter goes on; typing replaces (a field selects itself).
  await inputs.first().focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), labels[1]);
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), labels[0]);
  const pastaAt = labels.indexOf(`Order units of ${PASTA_NAME}`);
  assert.ok(pastaAt >= 0, 'pasta is one of the lines');
  for (let i = 0; i < pastaAt; i++) await page.keyboard.press('Enter');
  assert.equal(await focused(), labels[pastaAt]);
  await page.keyboard.type('30');
  for (let i = pastaAt; i < labels.length; i++) await page.keyboard.press('Enter');
  assert.equal(await focused(), 'Create draft order', 'Enter on the last line reaches the order button');
  await page.keyboard.press('Enter');
  const made = group.getByRole('status').filter({ hasText: /Draft order PO-\d+/ });
  await made.waitFor();
  const number = (await made.innerText()).match(/PO-\d+/)[0];
  assert.ok(!before.includes(number), 'a new draft');
  const po = (await server.get('/api/v1/purchase-orders?status=draft&limit=100')).json.purchase_orders.find((p) => p.number === number);
  assert.equal(po.lines.find((l) => l.item_id === pasta.id).quantity, 30, 'what was typed: 5 cases of 6');
  await page.context().close();
});

for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`reorder on a tablet in ${label}: targets of 44 px, no sideways scroll, why opens, no ids`, async () => {
    await seedHistory();
    const page = await env.page(viewport);
    await signIn(page, DEMO.buyer);
    await reorderScreen(page);
    const group = page.getByRole('region', { name: `Order from ${SUPPLIER}` });
    await group.getByLabel(`Order units of ${PASTA_NAME}`, { exact: true }).waitFor();
    await fits(page, 'suggestions');
    await group.getByRole('button', { name: new RegExp(`^Why \\d+ of ${PASTA_NAME}\\?$`) }).click();
    await group.getByRole('region', { name: new RegExp(`^Why \\d+ of ${PASTA_NAME}$`) }).getByRole('img').waitFor();
    await fits(page, 'why this number');
    await noIds(page, `reorder in ${label}`);
    await page.screenshot({ path: screenshotPath(`reorder-tablet-${label}.png`), fullPage: false });
    await page.context().close();
  });
}

test('a new shop: no suppliers says to add one; a supplier without sales history says what to do', async () => {
  const server = await startServer({ args: ['--static-dir', DIST] });
  const page = await env.browser.newPage({ viewport: { width: 1024, height: 768 } });
  try {
    await page.goto(server.url + '/');
    await signIn(page, { username: 'admin', password: ADMIN_PASSWORD });
    await reorderScreen(page);
    const none = page.getByRole('region', { name: 'No suppliers yet' });
    await none.getByText('Suggestions are made per supplier', { exact: false }).waitFor();
    await none.getByRole('link', { name: 'Add a supplier' }).waitFor();
    await fits(page, 'no suppliers');

    // A supplier with an item and no sales yet: nothing to order, and how history comes.
    const item = await server.post('/api/v1/items', { sku: 'NEW-1', name: 'Oat Biscuits', price: 299, cost: 120, unit: 'each' });
    assert.equal(item.status, 201, item.text);
    const s = await server.post('/api/v1/suppliers', { name: 'Hillside Bakery', contact: { email: 'b@example.com', phone: '+31 20 555 0101' }, lead_time_days: 3, order_days: [] });
    assert.equal(s.status, 201, s.text);
    const si = await server.post(`/api/v1/suppliers/${s.json.id}/items`, { item_id: item.json.id, supplier_sku: 'HB-1', cost: 120, case_pack: 12, preferred: true });
    assert.equal(si.status, 201, si.text);
    await page.reload();
    const nothing = page.getByRole('region', { name: 'Nothing to order' });
    await nothing.getByText('A new shop has no sales history yet', { exact: false }).waitFor();
    await nothing.getByText('backroom planning import-history').waitFor();
    await nothing.getByRole('link', { name: 'Go to Suppliers' }).waitFor();
    await fits(page, 'nothing to order');
    await noIds(page, 'the empty states');
  } finally {
    await page.close();
    await server.stop();
  }
});
