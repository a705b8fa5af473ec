// The back office in a real browser: locked fields per role, and the screens load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, itemByCode, openItem, screenshotPath } from './lib.mjs';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

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

test('defect 5: the item page says when an item has no tax category and sells at the store default', async () => {
  const { server, store } = env;
  const cats = (await server.get('/api/v1/tax-categories')).json;
  const shopDefault = cats.tax_categories.find((c) => c.code === cats.default_tax_category);
  const other = cats.tax_categories.find((c) => c.code !== cats.default_tax_category);
  const pct = (bp) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`;
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  const made = await manager.post('/api/v1/items', { sku: 'NOTAX-1', name: 'Loose Candles', price: 350, unit: 'each', tax_category: null });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.tax_category, null);
  assert.equal(made.json.tax_category_source, 'shop_default');

  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.manager);
  await openItem(page, 'Loose Candles');
  const notice = page.getByRole('status').filter({ hasText: 'No tax category of its own' });
  await notice.getByText(`store’s default tax category, ${shopDefault.name} (${pct(shopDefault.rate)})`, { exact: false }).waitFor();
  assert.equal(await page.getByLabel('Tax category').inputValue(), 'None: the store’s default', 'locked for a manager, and says so in words');

  // A store with its own default is named in the notice.
  const patched = await manager.patch(`/api/v1/locations/${store.id}`, { default_tax_category: other.code });
  assert.equal(patched.status, 200, patched.text);
  await page.getByRole('button', { name: 'Back to search' }).click();
  await page.getByLabel('Search items').fill('Loose Candles');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: 'Open Loose Candles' }).click();
  await notice.getByText(`${store.name}: ${other.name} (${pct(other.rate)})`, { exact: false }).waitFor();
  await page.screenshot({ path: screenshotPath('backoffice-item-no-tax-category.png') });

  await page.context().close();

  // An admin gives it a category of its own: the notice goes; "None" brings it back.
  const adminPage = await env.page({ width: 1280, height: 800 });
  await signIn(adminPage, { username: 'admin', password: ADMIN_PASSWORD });
  await openItem(adminPage, 'Loose Candles');
  const adminNotice = adminPage.getByRole('status').filter({ hasText: 'No tax category of its own' });
  await adminNotice.waitFor();
  assert.equal(await adminPage.getByLabel('Tax category').inputValue(), '', 'the select shows "None"');
  await adminPage.getByLabel('Tax category').selectOption(shopDefault.code);
  await adminPage.getByRole('button', { name: 'Save item' }).click();
  await adminPage.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await adminNotice.waitFor({ state: 'detached' });
  assert.equal((await server.get(`/api/v1/items/${made.json.id}`)).json.tax_category_source, 'item');
  await adminPage.getByLabel('Tax category').selectOption('');
  await adminPage.getByRole('button', { name: 'Save item' }).click();
  await adminNotice.waitFor();
  assert.equal((await server.get(`/api/v1/items/${made.json.id}`)).json.tax_category_source, 'shop_default');
  await manager.patch(`/api/v1/locations/${store.id}`, { default_tax_category: null });
  await adminPage.context().close();
});
