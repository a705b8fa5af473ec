// Opening stock from the shop's spreadsheet (issue 22 rollout) on the Stock page, at tablet
// size: the file is checked first (a bad row is shown by line and nothing is written), then
// a clean file shows what each row adds and is imported with one tap; the API confirms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, fits, noIds, onHand } from './lib.mjs';

let env;
let jam;
before(async () => {
  env = await setup();
  const r = await env.server.post('/api/v1/items', { sku: `OPEN-${process.pid}`, name: 'Opening jam jar', price: 350, tax_category: 'standard' });
  assert.equal(r.status, 201, r.text);
  jam = r.json;
});
after(async () => { await env?.close(); });

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`check, then import opening stock (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office/stock');
    const section = page.getByRole('region', { name: 'Opening stock' });
    const input = section.getByLabel('Import the counted stock (CSV)');
    const store = env.store.name;
    const wanted = viewport.width === 768 ? 6 : 9;

    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`sku,location,quantity\n${jam.sku},${store},${wanted}\nNO-SUCH,${store},1\n`) });
    const problems = section.getByRole('table', { name: 'Opening stock problems' });
    await problems.getByRole('row').filter({ hasText: "no item has SKU 'NO-SUCH'" }).waitFor();
    assert.match(await problems.innerText(), /\b3\b/, 'the problem names its line');
    await fits(page, 'opening stock problems');
    const before = await onHand(env.server, jam.id, env.store.id);

    await input.setInputFiles({ name: 'count.csv', mimeType: 'text/csv', buffer: Buffer.from(`SKU,Location,Quantity\n${jam.sku},${store},${wanted}\n`) });
    const rows = section.getByRole('table', { name: 'Opening stock rows' });
    await rows.getByRole('row').filter({ hasText: jam.name }).waitFor();
    assert.equal(await onHand(env.server, jam.id, env.store.id), before, 'checking writes nothing');
    await fits(page, 'opening stock checked');
    await noIds(page, 'opening stock');
    await section.getByRole('button', { name: 'Import 1 item' }).click();
    await section.getByText(/Imported: 1 item brought up to their counted stock/).waitFor();
    assert.equal(await onHand(env.server, jam.id, env.store.id), wanted);
    await page.context().close();
  });
}
