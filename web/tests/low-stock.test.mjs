// Low-stock items are flagged in the back office (issue 20): the Stock page lists what is at or
// below the low-stock threshold from the availability feed, out of stock first, with a badge,
// and opens the item from the list. At 768×1024 and 1024×768, by touch and keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';

let env;
let item;
before(async () => {
  env = await setup();
  const manager = await env.server.signIn(DEMO.manager.username, DEMO.manager.password);
  const admin = env.server;
  assert.equal((await admin.patch('/api/v1/settings/orders', { low_stock_threshold: 2 })).status, 200);
  const r = await admin.post('/api/v1/items', { sku: `LOW-${process.pid}`, name: 'Zz Last Tin of Saffron', price: 990, tax_category: 'standard' });
  assert.equal(r.status, 201, r.text);
  item = r.json;
  const a = await manager.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: env.store.id, quantity: 1, reason: 'found' });
  assert.equal(a.status, 201, a.text);
});
after(async () => { await env?.close(); });

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`the Stock page lists low stock with a badge and opens the item (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office/stock');
    const table = page.getByRole('table', { name: 'Low stock' });
    const row = table.getByRole('row').filter({ hasText: item.name });
    // The list pages: wait for the row or for More (it reads "Loading…" while a page is on its way).
    const more = page.getByRole('button', { name: 'More' });
    for (let i = 0; i < 50; i++) {
      await row.or(more).first().waitFor();
      if (await row.count()) break;
      await Promise.all([page.waitForResponse((r) => r.url().includes('/availability/low-stock')), more.click()]);
    }
    assert.match(await row.innerText(), /Low stock/, 'the row carries the low-stock badge');
    assert.match(await row.innerText(), new RegExp(item.sku));
    // Out of stock comes before low stock: no low-stock badge above an out-of-stock one.
    const badges = await table.locator('.badge').allInnerTexts();
    const firstLow = badges.findIndex((b) => b.startsWith('Low stock'));
    assert.ok(firstLow === -1 || !badges.slice(firstLow).some((b) => b.startsWith('Out of stock')), `order: ${badges.slice(0, 20).join(', ')}`);
    await fits(page, `low stock at ${viewport.width}×${viewport.height}`);
    await noIds(page, 'low stock');
    await row.getByRole('button', { name: `Open ${item.name}` }).click();
    await page.getByRole('heading', { name: new RegExp(item.name) }).waitFor();
    await page.context().close();
  });
}
