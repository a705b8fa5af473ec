// The back office in a real browser: locked fields per role, and the screens load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, itemByCode, screenshotPath } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function openItem(page, name) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByLabel('Search items').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('form', { name: 'Item details' }).waitFor();
}

test("a cashier cannot edit an item's price", async () => {
  const { server } = env;
  const item = await itemByCode(server, PASTA);
  const page = await env.page();
  await signIn(page, DEMO.cashier);
  await openItem(page, item.name);
  const price = page.getByLabel('Price', { exact: true });
  assert.equal(await price.inputValue(), '14.57');
  assert.equal(await price.isEditable(), false, 'price is read-only for a cashier');
  assert.equal(await page.getByLabel('Cost', { exact: true }).isEditable(), false);
  assert.equal(await page.getByLabel('Name', { exact: true }).isEditable(), true, 'descriptive fields stay editable');
  await page.screenshot({ path: screenshotPath('backoffice-item-cashier.png') });

  // The API refuses it too, naming the field.
  const cashier = await server.signIn(DEMO.cashier.username, DEMO.cashier.password);
  const r = await cashier.patch(`/api/v1/items/${item.id}`, { price: 1 }, { 'if-match': `"v${item.version}"` });
  assert.equal(r.status, 403);
  assert.equal(r.json.field, 'price');
  assert.equal((await itemByCode(server, PASTA)).price, 1457);
  await page.context().close();
});

test('a manager sees the back office screens', async () => {
  const { server } = env;
  const item = await itemByCode(server, PASTA);
  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await openItem(page, item.name);
  await page.screenshot({ path: screenshotPath('backoffice-item.png') });
  await page.getByRole('link', { name: 'Stock' }).click();
  await page.getByLabel('Find an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${item.name}` }).click();
  await page.getByRole('table', { name: 'Movements' }).waitFor();
  await page.screenshot({ path: screenshotPath('backoffice-stock.png') });
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('table', { name: 'Audit entries' }).getByRole('row').nth(1).waitFor();
  await page.context().close();
});
