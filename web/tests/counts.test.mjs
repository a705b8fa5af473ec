// Counting a shelf blind (issue 18): on a phone (390×844) a clerk counts two items — case
// barcodes count a case, a SKU typed in the scan field picks an item — never sees what the
// books say, and is told the count was perfect. On a tablet a clerk counts one short and a
// manager reviews the difference and approves it with a reason that lands on the movement.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, itemByCode, onHand, movementsOf, screenshotPath, fits, waitOrExplain } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** Sets an item's on-hand at the store to exactly `target` with an adjustment. */
async function setOnHand(server, item, store, target) {
  const now = await onHand(server, item.id, store.id);
  if (now === target) return;
  const r = await server.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: store.id, quantity: target - now, reason: 'correction' });
  assert.equal(r.status, 201, r.text);
}

async function openCounts(page) {
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Counts' }).click();
  await page.getByRole('heading', { name: 'Counts', exact: true }).waitFor();
}

async function typeInScan(page, code) {
  const box = page.getByLabel('Scan or type a barcode');
  await box.pressSequentially(code, { delay: 5 });
  await box.press('Enter');
}

test('a clerk counts a shelf blind on a phone: a case barcode counts its case, a perfect count is celebrated', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const caseCode = pasta.barcodes.find((b) => b.pack_quantity > 1);
  assert.ok(caseCode, 'the demo pasta has a case barcode');
  const pack = caseCode.pack_quantity;
  const other = (await server.get('/api/v1/items?limit=500')).json.items
    .find((i) => i.id !== pasta.id && i.kind === 'standard' && !i.sold_by_weight && i.barcodes.some((b) => b.kind !== 'embedded'));
  const books = pack * 3 + 1;  // three cases and one loose packet: a number the page must never show
  await setOnHand(server, pasta, store, books);
  await setOnHand(server, other, store, 5);
  const count = await server.post('/api/v1/counts', { location_id: store.id, item_ids: [pasta.id, other.id] });
  assert.equal(count.status, 201, count.text);

  const page = await env.page({ width: 390, height: 844 });
  await signIn(page, DEMO.clerk);
  await openCounts(page);
  await page.getByRole('list', { name: 'Open counts' }).getByRole('button', { name: 'Count' }).first().click();
  const card = page.getByLabel('Counting now');
  await card.getByText(pasta.name).waitFor();
  await fits(page, 'the count page on a phone');
  const shown = await page.evaluate(() => document.body.innerText);
  assert.ok(!shown.includes(String(books)), `the page shows the books' ${books}: ${shown}`);
  assert.ok(!/expected|on hand|in stock/i.test(shown), 'nothing about what the books expect');

  for (let i = 0; i < 3; i++) await typeInScan(page, caseCode.code);
  await typeInScan(page, PASTA);
  await page.getByText(`+1 ${pasta.name}`).waitFor();  // a scanner does not wait for the lookups
  assert.equal(await page.getByLabel('How many are there?').inputValue(), String(books), 'three cases and one packet');
  await page.getByRole('button', { name: 'Save and next' }).click();
  await page.getByText(`Saved: ${books} × ${pasta.name}`).waitFor();

  await card.getByText(other.name).waitFor();
  await typeInScan(page, other.sku);
  await page.getByText(`+1 ${other.name}`).waitFor();
  await page.getByLabel('How many are there?').fill('5');
  await page.keyboard.press('Enter');
  await page.getByText('Perfect count: everything matched. Well done!').waitFor();
  await page.getByText('2 of 2 counted').waitFor();
  await fits(page, 'a finished count on a phone');
  await page.screenshot({ path: screenshotPath('count-phone.png') });
  assert.equal(await onHand(server, pasta.id, store.id), books, 'counting alone moves nothing');
});

test('on a tablet a clerk counts one short and a manager approves the difference with a reason', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  await setOnHand(server, pasta, store, 20);
  const count = await server.post('/api/v1/counts', { location_id: store.id, item_ids: [pasta.id] });
  assert.equal(count.status, 201, count.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.clerk);
  await openCounts(page);
  await page.getByRole('list', { name: 'Open counts' }).getByRole('listitem').filter({ hasText: '0 of 1 counted' }).getByRole('button', { name: 'Count' }).click();
  await page.getByLabel('Counting now').getByText(pasta.name).waitFor();
  await typeInScan(page, PASTA);
  await page.getByText(`+1 ${pasta.name}`).waitFor();  // the scan is in before the clerk types over it
  await page.getByLabel('How many are there?').fill('19');
  await page.getByRole('button', { name: 'Save and next' }).click();
  await page.getByText('1 of 1 counted').waitFor();
  await page.getByText('All counted. A manager reviews the differences.').waitFor();
  await fits(page, 'a counted count on a tablet');

  const manager = await env.page({ width: 1024, height: 768 });
  await signIn(manager, DEMO.manager);
  // The manager lands at the register (signed in), then opens the review by its address.
  await manager.getByLabel('Scan or search').or(manager.getByRole('form', { name: 'Open the till' })).first().waitFor();
  await manager.goto(`${server.url}/office/counts/${count.json.id}/review`);
  const table = manager.getByRole('table', { name: 'Count review' });
  await waitOrExplain(manager, table.getByRole('row', { name: new RegExp(pasta.name) }).getByRole('cell', { name: '-1', exact: true }));
  await fits(manager, 'the review on a tablet');
  await manager.getByLabel(`Reason for ${pasta.name}`).selectOption('damage');
  await manager.getByRole('button', { name: 'Approve count' }).click();
  await manager.getByText('Approved: 1 difference booked with their reasons.').waitFor();
  const moved = await movementsOf(server, count.json.id);
  assert.deepEqual(moved.map((m) => [m.reason, m.quantity, m.document_type]), [['damage', -1, 'count']]);
  assert.equal(await onHand(server, pasta.id, store.id), 19);
});
