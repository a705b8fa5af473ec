// The sales journal: today's sales by receipt, register and cashier (names, no ids); open one,
// reprint its receipt, start a return from it at the register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, scan, itemByCode, signInAtRegister, screenshotPath } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('find a sale in the journal, reprint it and start its return', async () => {
  const { server } = env;
  const pasta = await itemByCode(server, PASTA);
  const page = await env.page({ width: 1280, height: 800 });
  await signInAtRegister(page, DEMO.manager);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receiptNumber = (await page.getByLabel('Receipt number').textContent()).trim();
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Sales journal' }).click();
  const table = page.getByRole('table', { name: 'Sales' });
  const row = table.getByRole('row', { name: new RegExp(receiptNumber) });
  await row.waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[0], receiptNumber);
  assert.equal(cells[2], 'Register 1');
  assert.equal(cells[3], 'Morgan Manager');
  assert.equal(cells[5], '14.57');

  await page.getByLabel('Receipt number').fill(receiptNumber);
  await page.getByRole('button', { name: 'Search sales' }).click();
  await table.getByRole('row').nth(1).waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'one sale has that receipt number');
  await page.getByRole('button', { name: `Open sale ${receiptNumber}` }).click();
  const sale = page.getByRole('region', { name: `Sale ${receiptNumber}` });
  await sale.getByRole('article', { name: 'Receipt' }).waitFor();
  await page.screenshot({ path: screenshotPath('backoffice-journal.png') });
  const href = await sale.getByRole('link', { name: 'Reprint receipt' }).getAttribute('href');
  const reprint = await server.get(href);
  assert.equal(reprint.status, 200);
  assert.ok(reprint.text.includes(receiptNumber));

  // An item that was not sold finds nothing.
  await page.getByText('Only sales of one item').click();
  await page.getByLabel('Item sold').fill('KIT-001');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('table', { name: 'Items' }).getByRole('button', { name: /^Open / }).first().click();
  await page.getByRole('button', { name: 'Search sales' }).click();
  await table.getByRole('cell', { name: 'Nothing here.' }).waitFor();
  await page.getByRole('button', { name: 'Any item' }).click();
  await page.getByRole('button', { name: 'Search sales' }).click();
  await page.getByRole('button', { name: `Open sale ${receiptNumber}` }).click();

  await sale.getByRole('button', { name: 'Start a return' }).click();
  await page.getByLabel(`Return quantity for ${pasta.name}`).waitFor();
  assert.equal(await page.getByLabel('Receipt number').inputValue(), receiptNumber);
  await page.context().close();
});
