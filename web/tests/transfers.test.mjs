// Defect 7: a whole transfer in the browser — ship, "Receive all", and a receipt with a
// discrepancy (short and damaged) — checked through the API and the stock ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, onHand, itemByCode, screenshotPath, secondSite } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function shipPasta(page, item, dest, quantity) {
  await page.getByLabel('To', { exact: true }).selectOption(dest.id);
  await page.getByLabel('Add an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${item.name}` }).click();
  await page.getByLabel(`Quantity of ${item.name}`).fill(String(quantity));
  await page.getByRole('button', { name: 'Ship transfer' }).click();
  const card = page.getByRole('region', { name: 'Transfer' });
  await card.getByRole('heading', { name: /in transit/ }).waitFor();
  return card;
}

test('ship, receive all, and receive with a discrepancy', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const dest = await secondSite(server, store.id);
  const storeStart = await onHand(server, item.id, store.id);
  const destStart = await onHand(server, item.id, dest.id);

  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Transfers' }).click();
  await page.getByLabel('From', { exact: true }).selectOption(store.id);

  // 1. Two packs, received as shipped with "Receive all".
  let card = await shipPasta(page, item, dest, 2);
  assert.equal(await onHand(server, item.id, store.id), storeStart - 2, 'shipping takes the stock out of the store');
  await card.getByRole('button', { name: 'Receive all' }).click();
  await card.getByRole('status').filter({ hasText: 'Received in full.' }).waitFor();
  await card.getByRole('heading', { name: /received/ }).waitFor();
  assert.equal(await onHand(server, item.id, dest.id), destStart + 2);

  // 2. Five packs: three arrive, one damaged, one missing.
  card = await shipPasta(page, item, dest, 5);
  await card.getByLabel(`Received of ${item.name}`).fill('3');
  await card.getByLabel(`Damaged of ${item.name}`).fill('1');
  await card.getByRole('button', { name: 'Receive as counted' }).click();
  await card.getByRole('status').filter({ hasText: 'Received with a discrepancy: 1 short, 1 damaged.' }).waitFor();
  const row = card.getByRole('table', { name: 'Transfer lines' }).getByRole('row', { name: new RegExp(item.name) });
  assert.deepEqual((await row.getByRole('cell').allInnerTexts()).slice(1), ['5', '3', '1', '1']);
  await page.screenshot({ path: screenshotPath('backoffice-transfer.png') });

  assert.equal(await onHand(server, item.id, store.id), storeStart - 7);
  assert.equal(await onHand(server, item.id, dest.id), destStart + 2 + 3, 'only what arrived sound is on hand at the destination');
  const transfers = page.getByRole('table', { name: 'Transfers' });
  assert.equal(await transfers.getByRole('row').count(), 3, 'both transfers listed (with the header row)');
  await page.context().close();
});
