// Defect 1: while a sale awaits its answer the cart is locked; the retry posts exactly the
// cart shown, under the same id, and the cart clears only when that sale is acknowledged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, screenshotPath, signInAtRegister } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const cartRows = async (page) => (await page.getByRole('table', { name: 'Cart' }).locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

test('a sale cut off by the network locks the cart and posts exactly what was shown', async () => {
  const { server } = env;
  const pasta = await itemByCode(server, PASTA);
  const other = (await server.get('/api/v1/items?q=KIT-001&limit=1')).json.items[0];
  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '2', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByLabel('Amount tendered').fill('40');
  await page.getByRole('button', { name: 'Cash' }).click();
  const shown = await cartRows(page);

  // The first attempt never reaches the server: the network is gone.
  const posted = [];
  let cut = false;
  await page.route('**/api/v1/sales', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posted.push(route.request().postDataJSON());
    if (!cut) {
      cut = true;
      await page.context().setOffline(true);
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const banner = page.getByRole('status', { name: 'Sale in progress' });
  await banner.filter({ hasText: 'Waiting for the network' }).waitFor();
  await page.screenshot({ path: screenshotPath('register-sale-locked.png') });

  // Every way to change the sale is closed while it is in flight.
  for (const name of ['Back to cart', 'Cash', 'Card', 'Complete sale', 'Switch user', 'Training mode']) {
    assert.equal(await page.getByRole('button', { name, exact: true }).isDisabled(), true, `${name} is disabled while the sale is sent`);
  }
  assert.equal(await page.getByLabel('Amount tendered').isDisabled(), true);
  await page.keyboard.press('F2');
  await page.keyboard.press('F7');
  assert.equal(await page.getByRole('dialog').count(), 0, 'F2 opens nothing while locked');
  assert.equal(await page.getByLabel('Receipt number').count(), 0, 'F7 does not leave the locked sale');
  // Try it the way a hurried cashier would: back to the cart, scan something else.
  await page.getByRole('button', { name: 'Back to cart' }).click({ force: true, timeout: 2000 }).catch(() => {});
  const box = page.getByLabel('Scan or search');
  if (await box.count() && await box.isEnabled()) await scan(page, other.barcodes[0]?.code ?? PASTA);
  assert.deepEqual(await cartRows(page), shown, 'the cart on screen is the cart being sent');

  await page.context().setOffline(false);
  await page.getByRole('article', { name: 'Receipt' }).waitFor({ timeout: 20000 });
  await banner.waitFor({ state: 'detached' });

  assert.ok(posted.length >= 2, 'retried after the network came back');
  assert.equal(new Set(posted.map((b) => b.id)).size, 1, 'every attempt carried the same sale id');
  for (const b of posted) assert.deepEqual(b, posted[0], 'every attempt posted the same body');
  assert.deepEqual(posted[0].lines, [{ code: PASTA, quantity: 2 }]);
  const sale = (await server.get(`/api/v1/sales/${posted[0].id}`)).json;
  assert.equal(sale.lines.length, 1);
  assert.equal(sale.lines[0].item_id, pasta.id);
  assert.equal(sale.lines[0].quantity, 2, 'the sale is the two packs shown, not an edited cart');
  assert.equal(sale.total, 2 * 1457);
  assert.match(await page.getByRole('article', { name: 'Receipt' }).textContent(), /29\.14/);
  await page.getByRole('button', { name: 'New sale' }).click();
  assert.deepEqual(await cartRows(page), ['Scan an item to start a sale.'], 'the cart clears once the sale is acknowledged');
  await page.context().close();
});

test('a locked sale survives a reload and is sent as it was', async () => {
  const { server } = env;
  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByLabel('Amount tendered').fill('15');
  await page.getByRole('button', { name: 'Cash' }).click();
  // The network goes while the sale is on its way (a register that already knows it is offline
  // completes a cash sale offline instead: web/tests/offline.test.mjs).
  await page.route('**/api/v1/sales', (route) =>
    route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue());
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('status', { name: 'Sale in progress' }).filter({ hasText: 'Waiting for the network' }).waitFor();
  const pending = JSON.parse(await page.evaluate(() => localStorage.getItem('br.pending')));
  assert.equal(pending.body.lines.length, 1);
  await page.unroute('**/api/v1/sales');
  await page.reload();
  await page.getByRole('article', { name: 'Receipt' }).waitFor({ timeout: 20000 });
  const sale = (await server.get(`/api/v1/sales/${pending.body.id}`)).json;
  assert.equal(sale.status, 'completed');
  assert.equal(sale.total, 1457);
  assert.equal(await page.evaluate(() => localStorage.getItem('br.pending')), null);
  await page.context().close();
});
