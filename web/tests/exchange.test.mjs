// The exchange screen: one pasta back from a receipt, a dearer item out; the server prices
// both sides and the customer pays exactly the balance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, onHand, screenshotPath, signInAtRegister } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('an exchange takes the balance when the new item costs more', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const items = (await server.get('/api/v1/items?status=active&limit=200')).json.items;
  const dearer = items.find((i) => i.kind === 'standard' && i.price > pasta.price && i.barcodes.some((b) => /^\d{13}$/.test(b.code) && b.pack_quantity === 1) && !i.sold_by_weight);
  assert.ok(dearer, 'the demo shop has a dearer item with a barcode');
  const code = dearer.barcodes.find((b) => /^\d{13}$/.test(b.code) && b.pack_quantity === 1).code;
  const pastaStart = await onHand(server, pasta.id, store.id);

  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '2', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await page.getByLabel('Amount tendered').fill('30');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receiptNumber = await page.getByLabel('Receipt number').textContent();
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.getByRole('button', { name: 'Exchange' }).click();
  await page.getByLabel('Receipt number').fill(receiptNumber);
  await page.getByRole('button', { name: 'Find receipt' }).click();
  await page.getByLabel(`Return quantity for ${pasta.name}`).fill('1');
  await page.getByLabel('New item barcode').fill(code);
  await page.getByRole('button', { name: 'Add new item' }).click();
  await page.getByRole('list', { name: 'New items' }).getByText(dearer.name).waitFor();
  await page.getByRole('button', { name: 'Complete exchange' }).click();
  const balance = page.getByRole('group', { name: 'Balance' });
  await balance.waitFor();
  const due = dearer.price - pasta.price;
  assert.match(await balance.textContent(), new RegExp(`Customer pays ${(due / 100).toFixed(2).replace('.', '\\.')}`));
  await page.screenshot({ path: screenshotPath('register-exchange.png') });
  await page.getByRole('button', { name: 'Complete exchange' }).click();
  await page.getByRole('heading', { name: 'Exchange complete' }).waitFor();
  const done = page.getByRole('status').filter({ hasText: /^Back / });
  await done.waitFor();
  assert.match(await done.textContent(), new RegExp(`customer paid cash ${(due / 100).toFixed(2).replace('.', '\\.')}`));

  const sale = (await server.get(`/api/v1/sales?receipt_number=${receiptNumber}`)).json.sales[0];
  const full = (await server.get(`/api/v1/sales/${sale.id}`)).json;
  assert.equal(full.lines[0].returned_quantity, 1, 'one pasta came back');
  assert.equal(await onHand(server, pasta.id, store.id), pastaStart - 1, 'two sold, one restocked');
  await page.context().close();
});
