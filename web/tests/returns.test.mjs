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

// A return without a receipt at the register (docs/ledger.md): the cashier scans the item, a
// shift lead approves on the same screen, the refund is today's price to a store credit note
// (the shop's default), and the unit is back on the shelf.
for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`a return without a receipt at ${viewport.width}x${viewport.height}: scanned, approved by a lead, refunded to store credit`, async () => {
    const { server, store } = env;
    const item = await itemByCode(server, PASTA);
    const start = await onHand(server, item.id, store.id);
    const page = await env.page(viewport);
    await signInAtRegister(page, DEMO.cashier);
    await page.keyboard.press('F7');
    await page.getByRole('button', { name: 'No receipt' }).click();
    const panel = page.getByRole('group', { name: 'Return without a receipt' });
    await panel.getByLabel('Item barcode or SKU').fill('0000000000000');
    await panel.getByRole('button', { name: 'Find item' }).click();
    await panel.getByText('No item has the code 0000000000000.').waitFor();
    await panel.getByLabel('Item barcode or SKU').fill(PASTA);
    await panel.getByLabel('Item barcode or SKU').press('Enter');
    await panel.getByText(`${item.name} · today’s price`).waitFor();
    await panel.getByLabel('Reason').selectOption('changed_mind');
    for (const name of ['Find item', 'Complete return without receipt']) {
      const box = await panel.getByRole('button', { name }).boundingBox();
      assert.ok(box.height >= 44, `${name}: ${box.height} px tall`);
    }
    if (viewport.width === 768) await page.screenshot({ path: screenshotPath('register-return-no-receipt.png') });
    await panel.getByRole('button', { name: 'Complete return without receipt' }).click();
    const override = page.getByRole('dialog', { name: 'Manager override' });
    await override.waitFor();
    await override.getByLabel('Manager username').fill(DEMO.lead.username);
    await override.getByLabel('Manager password or PIN').fill(DEMO.lead.pin);
    await override.getByRole('button', { name: 'Approve' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Refunded' });
    await done.waitFor();
    const code = await page.locator('.credit-code').textContent();

    const audit = (await server.get('/api/v1/audit?action=return.create&limit=200')).json.entries;
    const returns = await Promise.all(audit.map(async (e) => (await server.get(`/api/v1/returns/${e.entity_id}`)).json));
    const ret = returns.find((r) => r.tenders.some((t) => t.reference === code));
    assert.ok(ret, `the return that made ${code}`);
    assert.equal(ret.sale_id, null);
    assert.equal(ret.user, DEMO.cashier.username);
    assert.equal(ret.approver, DEMO.lead.username, 'the lead approved it');
    assert.equal(ret.refund_total, item.price, "today's price");
    assert.deepEqual(ret.tenders.map((t) => [t.type, t.amount, t.reference]), [['store_credit', item.price, code]]);
    assert.equal((await server.get(`/api/v1/store-credits/${code}`)).json.balance, item.price);
    assert.equal(await onHand(server, item.id, store.id), start + 1, 'restocked once');
    const slip = await server.get(`/api/v1/returns/${ret.id}/receipt`);
    assert.equal(slip.status, 200, slip.text);
    assert.match(slip.text, /REFUND/);
    assert.ok(!/null|undefined/.test(slip.text), 'the slip of a return without a receipt names no missing receipt');
    await page.context().close();
  });
}
