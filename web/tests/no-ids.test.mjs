// Defect 9: no screen shows a person a UUID (or a slice of one). Walks the register and every
// back office screen with data on it and reads the visible text and the input values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, secondSite, signInAtRegister } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
// A slice of an id: 8 or more hex characters with at least one letter and one digit.
const SLICE = /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/i;

async function noIds(page, where) {
  const text = await page.evaluate(() => document.body.innerText + '\n' +
    [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\n'));
  const m = text.match(UUID) ?? text.match(SLICE);
  assert.equal(m, null, `${where} shows an id: ${m?.[0]}`);
}

test('no screen shows an id', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const dest = await secondSite(server, store.id);
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  // Data for the screens: a price change request.
  const pc = await manager.post('/api/v1/price-changes', { item_id: pasta.id, price: 1499, reason: 'supplier price' });
  assert.equal(pc.status, 201, pc.text);

  const page = await env.page({ width: 1280, height: 800 });
  await signInAtRegister(page, DEMO.manager);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
  await noIds(page, 'the cart');
  await page.getByRole('button', { name: 'Park sale' }).click();
  await page.getByRole('button', { name: 'Parked sales' }).click();
  await page.getByRole('dialog', { name: 'Parked sales' }).getByRole('button', { name: 'Resume' }).waitFor();
  await noIds(page, 'parked sales');
  await page.getByRole('dialog', { name: 'Parked sales' }).getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('button', { name: 'Pay' }).click();
  await noIds(page, 'the payment panel');
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  await noIds(page, 'the receipt');
  const receiptNumber = await page.getByLabel('Receipt number').textContent();
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Return' }).click();
  await page.getByLabel('Receipt number').fill(receiptNumber);
  await page.getByRole('button', { name: 'Find receipt' }).click();
  await page.getByRole('table', { name: 'Sale lines' }).waitFor();
  await noIds(page, 'the return');
  await page.getByLabel('Return quantity for Brightfield Pasta 250 g').fill('1');
  await page.getByRole('button', { name: 'Complete return' }).click();
  await page.getByRole('status').filter({ hasText: 'Refunded' }).waitFor();
  await noIds(page, 'the finished return');
  await page.getByRole('button', { name: 'Back to the register' }).click();
  await page.getByRole('button', { name: 'Close till' }).click();
  await page.getByRole('region', { name: 'X report' }).waitFor();
  await noIds(page, 'closing the register');
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Back office' }).click();
  const nav = page.getByRole('navigation', { name: 'Back office' });
  const screens = await nav.getByRole('link').allInnerTexts();
  assert.ok(screens.length >= 7, `a manager sees the screens (${screens.join(', ')})`);
  for (const name of screens) {
    await nav.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await noIds(page, `the ${name} screen`);
  }

  // The screens that show one thing at a time.
  await nav.getByRole('link', { name: 'Items' }).click();
  await page.getByLabel('Search items').fill('KIT-001');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('table', { name: 'Items' }).getByRole('button', { name: /^Open / }).first().click();
  const kit = page.getByRole('table', { name: 'Kit components' });
  await kit.waitFor();
  await page.waitForFunction(() => !document.querySelector('table[aria-label="Kit components"]')?.textContent?.includes('…'));
  await page.waitForLoadState('networkidle');
  await noIds(page, 'a kit');
  await nav.getByRole('link', { name: 'Stock' }).click();
  await page.getByLabel('Find an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${pasta.name}` }).click();
  await page.getByRole('table', { name: 'Movements' }).getByRole('row').nth(1).waitFor();
  await noIds(page, 'stock of an item');
  await nav.getByRole('link', { name: 'Price changes' }).click();
  await page.getByRole('table', { name: 'Price change requests' }).getByText(pasta.name).waitFor();
  await noIds(page, 'price changes');
  await nav.getByRole('link', { name: 'Transfers' }).click();
  await page.getByLabel('From', { exact: true }).selectOption(store.id);
  await page.getByLabel('To', { exact: true }).selectOption(dest.id);
  await page.getByLabel('Add an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${pasta.name}` }).click();
  await page.getByRole('button', { name: 'Ship transfer' }).click();
  await page.getByRole('table', { name: 'Transfer lines' }).getByText(pasta.name).waitFor();
  await noIds(page, 'a transfer');
  await page.context().close();
});
