// Defect 10: a stock adjustment that takes on-hand below zero, or moves more than the shop's
// limits, asks the person to confirm with a reason code; nothing moves until they do, and the
// movement stays flagged in the movement list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, itemByCode, onHand, screenshotPath } from './lib.mjs';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function openStock(page, item) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Stock' }).click();
  await page.getByLabel('Find an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${item.name}` }).click();
  await page.getByRole('table', { name: 'Movements' }).waitFor();
}

async function adjust(page, quantity, reason) {
  const form = page.getByRole('form', { name: 'Adjust stock' });
  await form.getByLabel('Location').selectOption({ label: env.store.name });
  await form.getByLabel('Quantity change').fill(quantity);
  await form.getByLabel('Adjustment reason').selectOption(reason);
  await form.getByRole('button', { name: 'Adjust' }).click();
}

test('taking on-hand below zero asks for a reason code and flags the movement', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const before = await onHand(server, item.id, store.id);
  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await openStock(page, item);

  await adjust(page, String(-(before + 5)), 'shrink');
  const dialog = page.getByRole('dialog', { name: 'Confirm this adjustment' });
  await dialog.waitFor();
  await dialog.getByText('it takes on-hand below zero').waitFor();
  assert.equal(await onHand(server, item.id, store.id), before, 'nothing moves before the person confirms');
  await page.screenshot({ path: screenshotPath('backoffice-adjustment-confirm.png') });

  await dialog.getByLabel('Reason code').selectOption('theft');
  await dialog.getByRole('button', { name: 'Confirm adjustment' }).click();
  await page.getByRole('status').filter({ hasText: 'Adjusted and flagged for review' }).waitFor();
  assert.equal(await onHand(server, item.id, store.id), -5);

  const first = page.getByRole('table', { name: 'Movements' }).getByRole('row').nth(1);
  await first.getByText('⚑ below zero · theft').waitFor();
  const moves = (await server.get(`/api/v1/stock/movements?item_id=${item.id}`)).json.movements;
  const flagged = moves.filter((m) => m.flagged);
  assert.equal(flagged.length, 1);
  assert.deepEqual(flagged[0].flag_reasons, ['below_zero']);
  assert.equal(flagged[0].reason_code, 'theft');

  // An ordinary adjustment asks nothing and is not flagged.
  await adjust(page, '10', 'found');
  await page.getByRole('status').filter({ hasText: /^Adjusted\.$/ }).waitFor();
  assert.equal(await onHand(server, item.id, store.id), 5);
  assert.equal(await page.getByRole('table', { name: 'Movements' }).getByText('⚑').count(), 1, 'only the confirmed one is flagged');
  await page.context().close();
});

test('past the limits set in Store set-up, an adjustment asks first; cancelling moves nothing', async () => {
  const { server, store } = env;
  const admin = await env.page({ width: 1280, height: 800 });
  await signIn(admin, { username: 'admin', password: ADMIN_PASSWORD });
  await admin.getByRole('link', { name: 'Back office' }).click();
  await admin.getByRole('link', { name: 'Store set-up' }).click();
  const limits = admin.getByRole('form', { name: 'Adjustment limits' });
  await limits.getByLabel('Confirm above (units)').fill('20');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await admin.getByRole('status').filter({ hasText: 'Adjustment limits saved' }).waitFor();
  assert.deepEqual((await server.get('/api/v1/settings/stock')).json, { adjustment_confirm_quantity: 20, adjustment_confirm_value: null });
  await admin.context().close();

  const item = await itemByCode(server, PASTA);
  const before = await onHand(server, item.id, store.id);
  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await openStock(page, item);
  await adjust(page, '25', 'found');
  const dialog = page.getByRole('dialog', { name: 'Confirm this adjustment' });
  await dialog.getByText('it moves more units than the shop’s limit').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await onHand(server, item.id, store.id), before, 'cancelled: nothing moved');

  await adjust(page, '20', 'found'); // at the limit, not over it
  await page.getByRole('status').filter({ hasText: /^Adjusted\.$/ }).waitFor();
  assert.equal(await onHand(server, item.id, store.id), before + 20);
  await page.context().close();
});
