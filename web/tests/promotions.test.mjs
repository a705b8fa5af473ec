// Issue 17 in the browser: a promotion the shop plans. The buyer requests one on an item's
// editor (Promotion ticked, its last day in "Ends on"), someone else approves it (the API, as
// the manager would on Price changes), and the Promotions page lists it with its days, price
// and status. On tablets (768×1024 and 1024×768) with every target measured, by keyboard for
// the dates, and no screen shows an id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, openItem, itemByCode, noIds, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const PASTA = 'Brightfield Pasta 250 g';
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;
const until = async (what, ok, ms = 20_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await ok()) return;
  throw new Error(`timed out waiting for ${what}`);
};

test('a promotion requested on an item, approved by someone else, is on the Promotions page (768×1024, 1024×768)', async () => {
  const { server } = env;
  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.buyer);
  await openItem(page, PASTA);
  const form = page.getByRole('form', { name: 'Request a price change' });
  await form.getByLabel('New price').fill('1.19');
  await form.getByLabel('Price change reason').fill('Pasta week');
  assert.equal(await form.getByLabel('Ends on').count(), 0, 'no end without a promotion');
  await form.getByLabel('Promotion').check();
  const last = isoDay(Date.now() + 6 * DAY_MS);
  await form.getByLabel('Ends on').fill(last);
  await fits(page, 'item editor with a promotion');
  await form.getByRole('button', { name: 'Request price change' }).click();
  await page.getByText('Price change requested: someone else approves it.').waitFor();

  const pasta = await itemByCode(server, '8712300100008');
  const list = await server.get(`/api/v1/price-changes?status=pending&item_id=${pasta.id}`);
  const change = list.json.price_changes[0];
  assert.equal(change.promotion, true);
  assert.equal(change.ends_at.slice(0, 10), isoDay(Date.now() + 7 * DAY_MS), 'the price goes back the morning after its last day');
  const approved = await server.post(`/api/v1/price-changes/${change.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);

  for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
    await page.setViewportSize(viewport);
    await page.getByRole('link', { name: 'Back office' }).click();
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Promotions', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Promotions' }).waitFor();
    const table = page.getByRole('table', { name: 'Promotion calendar' });
    const row = table.getByRole('row').filter({ hasText: PASTA });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, new RegExp(`${isoDay(Date.now())}[\\s\\S]*${last}`), text);
    assert.match(text, /1\.19 \(\d+(\.\d)? % off\)/, text);
    assert.match(text, /Running/, text);
    await noIds(page, `Promotions ${viewport.width}×${viewport.height}`);
    await fits(page, `Promotions ${viewport.width}×${viewport.height}`);
  }
  // By keyboard: a "From" after "To" is said, and typing it back lists the promotion again.
  const from = page.getByLabel('From');
  await from.focus();
  await from.fill(isoDay(Date.now() + 400 * DAY_MS));
  await page.getByText('Pick a “From” day on or before the “To” day.').waitFor();
  await from.fill(isoDay(Date.now() - DAY_MS));
  await page.getByRole('table', { name: 'Promotion calendar' }).getByRole('row').filter({ hasText: PASTA }).waitFor();
});

// A promotion planned ahead with "Starts on", and the page's "Show" filter by where each stands
// (GET /api/v1/planning/promotions?status=): by keyboard on the select, on both tablet sizes.
test('a promotion starting on a later day, and the Promotions page shown by status (1024×768, 768×1024)', async () => {
  const { server } = env;
  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.buyer);
  await openItem(page, PASTA);
  const form = page.getByRole('form', { name: 'Request a price change' });
  const first = isoDay(Date.now() + 10 * DAY_MS);
  const last = isoDay(Date.now() + 12 * DAY_MS);
  await form.getByLabel('New price').fill('1.09');
  await form.getByLabel('Price change reason').fill('Pasta fortnight');
  await form.getByLabel('Starts on').fill(first);
  await form.getByLabel('Promotion').check();
  await form.getByLabel('Ends on').fill(last);
  await fits(page, 'item editor with a start day');
  await form.getByRole('button', { name: 'Request price change' }).click();
  await page.getByText('Price change requested: someone else approves it.').waitFor();
  const pasta = await itemByCode(server, '8712300100008');
  const change = (await server.get(`/api/v1/price-changes?status=pending&item_id=${pasta.id}`)).json.price_changes[0];
  assert.equal(change.effective_at.slice(0, 19), `${first}T00:00:00`, 'from the midnight of its first day');
  assert.equal(change.ends_at.slice(0, 10), isoDay(Date.now() + 13 * DAY_MS));
  const approved = await server.post(`/api/v1/price-changes/${change.id}/approve`, {});
  assert.equal(approved.json.status, 'approved', approved.text);

  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Promotions', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Promotions' }).waitFor();
  const table = page.getByRole('table', { name: 'Promotion calendar' });
  await table.getByRole('row').filter({ hasText: first }).waitFor();
  // By keyboard: down twice from "All promotions" is "Approved, starts on its day". The step
  // through "Waiting for approval" loads that list too; held back here so it answers last (as a
  // loaded machine once made it), it must not replace the list asked for after it.
  const pendingList = /\/api\/v1\/planning\/promotions\?.*status=pending/;
  await page.route(pendingList, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  const stale = page.waitForResponse((r) => pendingList.test(r.url()));
  const show = page.getByLabel('Show');
  await show.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await show.inputValue(), 'approved');
  await stale;
  await page.unroute(pendingList);
  await new Promise((r) => setTimeout(r, 200));  // the stale answer, had it been kept, is painted
  await until('only the approved one', async () => (await table.getByRole('row').filter({ hasText: PASTA }).count()) === 1);
  const text = await table.getByRole('row').filter({ hasText: PASTA }).innerText();
  assert.match(text, new RegExp(`${first}[\\s\\S]*${last}[\\s\\S]*Approved`), text);
  for (const viewport of [{ width: 1024, height: 768 }, { width: 768, height: 1024 }]) {
    await page.setViewportSize(viewport);
    await noIds(page, `Promotions, approved, ${viewport.width}×${viewport.height}`);
    await fits(page, `Promotions, approved, ${viewport.width}×${viewport.height}`);
  }
  // "Running" lists the one from the first test; "Ended" none here yet, and says so.
  await show.selectOption({ label: 'Running' });
  await until('the approved one gone', async () => !(await table.innerText().catch(() => '')).includes(first));
  await table.getByRole('row').filter({ hasText: 'Running' }).first().waitFor();
  await show.selectOption({ label: 'Ended' });
  await page.getByText('No promotions “Ended” in these days.').waitFor();
  assert.equal(await table.count(), 0);

  // A promotion of a price tier is marked as the tier, never read as the shelf price.
  const buyer = await server.as('buyer');
  const tier = await buyer.post('/api/v1/price-changes', { item_id: pasta.id, tier: 'member', price: 99, reason: 'Members pasta',
    promotion: true, ends_at: new Date(Date.now() + 3 * DAY_MS).toISOString() });
  assert.equal(tier.status, 201, tier.text);
  assert.equal((await server.post(`/api/v1/price-changes/${tier.json.id}/approve`, {})).json.status, 'applied');
  await show.selectOption({ label: 'All promotions' });
  const tierRow = table.getByRole('row').filter({ hasText: 'Members pasta' });
  await tierRow.waitFor();
  assert.match(await tierRow.innerText(), /Price tier “member”: 0\.99/);
  await noIds(page, 'Promotions with a tier');
  await fits(page, 'Promotions with a tier');
});
