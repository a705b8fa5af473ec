// A lost connection never charges twice: the register retries the same sale id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, onHand, itemByCode, movementsOf, screenshotPath, signInAtRegister } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a sale whose answer is lost is retried with the same id and posted once', async () => {
  const { server, store } = env;
  const item = await itemByCode(server, PASTA);
  const start = await onHand(server, item.id, store.id);
  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();

  // The first POST reaches the server, but its answer never reaches the browser; then the
  // network is down for a while.
  const ids = [];
  let lost = false;
  await page.route('**/api/v1/sales', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    ids.push(JSON.parse(route.request().postData()).id);
    if (!lost) {
      lost = true;
      await route.fetch();
      await page.context().setOffline(true);
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'Cannot reach the server — your cart is kept; retrying…' });
  await banner.waitFor();
  await page.screenshot({ path: screenshotPath('register-offline.png') });
  assert.equal(await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).count(), 1, 'the cart is kept');
  await page.context().setOffline(false);
  await page.getByRole('article', { name: 'Receipt' }).waitFor({ timeout: 15000 });
  await banner.waitFor({ state: 'detached', timeout: 10000 });

  assert.ok(ids.length >= 2, 'retried');
  assert.equal(new Set(ids).size, 1, 'every attempt carried the same sale id');
  const sale = (await server.get(`/api/v1/sales/${ids[0]}`)).json;
  assert.equal(sale.status, 'completed');
  assert.equal((await movementsOf(server, sale.id)).length, 1, 'stock moved once');
  assert.equal(await onHand(server, item.id, store.id), start - 1);
  const all = (await server.get(`/api/v1/sales?location_id=${store.id}`)).json.sales;
  assert.equal(all.length, 1, 'one sale, not two');
  await page.context().close();
});
