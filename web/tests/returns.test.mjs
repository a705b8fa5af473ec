// A return against a receipt, restocked, in a real browser; checked through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, onHand, itemByCode, movementsOf, lastSale, screenshotPath, signInAtRegister } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a return with restock refunds and puts the item back on the shelf once', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const start = await onHand(server, item.id, store.id);
  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '2', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByLabel('Amount tendered').fill('30');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receiptNumber = await page.getByLabel('Receipt number').textContent();
  assert.equal(await onHand(server, item.id, store.id), start - 2);
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.getByRole('button', { name: 'Return' }).click();
  await page.getByLabel('Receipt number').fill(receiptNumber);
  await page.getByRole('button', { name: 'Find receipt' }).click();
  await page.getByLabel('Return quantity for Brightfield Pasta 250 g').fill('1');
  await page.getByLabel('Reason').selectOption('changed_mind');
  await page.getByLabel('Condition').selectOption('new');
  await page.getByLabel('Disposition').selectOption('restock');
  await page.screenshot({ path: screenshotPath('register-return.png') });
  await page.getByRole('button', { name: 'Complete return' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Refunded' });
  await done.waitFor();
  assert.match(await done.textContent(), /14\.57/);
  await page.getByText('1 × Brightfield Pasta 250 g').waitFor();
  const slipHref = await page.getByRole('link', { name: 'Print refund slip' }).getAttribute('href');
  assert.match(slipHref, /^\/api\/v1\/returns\/[0-9a-f-]{36}\/receipt$/);
  const slip = await server.get(slipHref);
  assert.equal(slip.status, 200);
  assert.match(slip.text, /REFUND/);
  assert.ok(slip.text.includes(`Refund of receipt ${receiptNumber}`));

  const sale = await lastSale(server, store.id);
  assert.equal(sale.receipt_number, receiptNumber);
  const full = (await server.get(`/api/v1/sales/${sale.id}`)).json;
  assert.equal(full.lines[0].returned_quantity, 1);
  assert.equal(await onHand(server, item.id, store.id), start - 1, 'one of two back on the shelf');
  const audit = (await server.get('/api/v1/audit?action=return.create')).json.entries;
  assert.equal(audit.length, 1, 'one return document');
  const moves = await movementsOf(server, audit[0].entity_id);
  assert.equal(moves.length, 1, 'the return moved stock once');
  assert.equal(moves[0].quantity, 1);
  assert.equal(moves[0].location_id, store.id, 'restock goes to the selling floor');
  await page.context().close();
});
