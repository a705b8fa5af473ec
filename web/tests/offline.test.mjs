// A lost connection never charges twice: the register retries the same sale id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, onHand, itemByCode, movementsOf, screenshotPath, signInAtRegister, waitOrExplain } from './lib.mjs';

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

// Issue 21: the register keeps selling with the network cut. The catalog copy in IndexedDB
// answers the scan, a cash sale completes with a receipt number of the block the register
// reserved, the queue survives a reload (the service worker serves the app shell), and on
// reconnecting both sales arrive once each with their receipt numbers.
for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`offline at ${viewport.width}x${viewport.height}: scan, sell for cash, reload, sell again, reconnect`, async () => {
    const { server, store } = env;
    const page = await env.page(viewport);
    const context = page.context();
    await signInAtRegister(page, DEMO.cashier);
    // Ready for the cut: the shell cached by the service worker, numbers reserved, the pasta in the copy.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.includes('receiptBlocks')), null, { timeout: 20000 });
    await page.waitForFunction((code) => new Promise((resolve) => {
      const r = indexedDB.open('backroom-register');
      r.onsuccess = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains('codes')) { db.close(); resolve(false); return; }
        const g = db.transaction('codes').objectStore('codes').get(code);
        g.onsuccess = () => { db.close(); resolve(g.result !== undefined); };
        g.onerror = () => { db.close(); resolve(false); };
      };
      r.onerror = () => resolve(false);
    }), PASTA, { timeout: 20000, polling: 250 });
    const before = new Set((await server.get(`/api/v1/sales?location_id=${store.id}&limit=200`)).json.sales.map((s) => s.id));

    await context.setOffline(true);
    const sellOffline = async () => {
      await scan(page, PASTA);
      await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.getByLabel('Amount tendered').fill('20');
      await page.getByRole('button', { name: 'Cash' }).click();
      await page.getByRole('button', { name: 'Complete sale' }).click();
      const done = page.getByText(/^Sale .+-\d{6} completed offline/);
      await waitOrExplain(page, done);
      return (await done.innerText()).match(/^Sale (\S+-\d{6}) /)[1];
    };
    const first = await sellOffline();
    const banner = page.getByRole('status', { name: 'Offline' });
    await banner.filter({ hasText: /^Offline since \d\d:\d\d — 1 sale waiting to send$/ }).waitFor();
    await page.screenshot({ path: screenshotPath(`register-offline-queue-${viewport.width}.png`) });

    await page.reload();
    await waitOrExplain(page, banner.filter({ hasText: /— 1 sale waiting to send$/ }), { timeout: 15000 });
    const second = await sellOffline();
    assert.notEqual(first, second);
    await banner.filter({ hasText: /— 2 sales waiting to send$/ }).waitFor();
    // Returns need the server (the shop's default rule).
    await page.getByRole('button', { name: 'Return' }).click();
    await page.getByText('Returns and exchanges need the server').waitFor();
    await page.getByRole('button', { name: 'New sale' }).click();

    await context.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 20000 });
    const all = (await server.get(`/api/v1/sales?location_id=${store.id}&limit=200`)).json.sales.filter((s) => !before.has(s.id));
    assert.deepEqual(all.map((s) => s.receipt_number).sort(), [first, second].sort(), 'both sales arrived once with their numbers');
    for (const s of all) {
      assert.equal(s.status, 'completed');
      assert.equal((await movementsOf(server, s.id)).length, 1, 'stock moved once');
    }
    await context.close();
  });
}
