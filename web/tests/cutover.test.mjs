// The cutover checklist (issue 22) at tablet size: five tasks, each with what the shop's data
// says of it; a manager gives one an owner and a date and ticks it done; it stays so after a
// reload. Never an id on screen; targets ≥ 44 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

for (const [viewport, key] of [[{ width: 768, height: 1024 }, 'Shelf labels printed'], [{ width: 1024, height: 768 }, 'First count done']]) {
  test(`a manager works the cutover checklist (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office');
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Cutover checklist' }).click();
    const list = page.getByRole('region', { name: 'Cutover checklist' });
    const tasks = list.getByRole('listitem');
    await tasks.first().waitFor();
    assert.deepEqual((await list.getByRole('heading', { level: 2 }).allInnerTexts()),
      ['Item master clean', 'Shelf labels printed', 'Registers tested', 'First count done', 'Backup working']);
    const itemMaster = await list.getByRole('listitem', { name: 'Item master clean' }).getByRole('status').innerText();
    assert.match(itemMaster, /\d+ items; \d+ without a price, \d+ without a barcode/, 'the evidence comes from the demo shop\'s items');
    await fits(page, `cutover at ${viewport.width}×${viewport.height}`);
    await noIds(page, 'cutover');

    const one = list.getByRole('listitem', { name: key });
    const owner = one.getByLabel('Owner');
    const options = await owner.locator('option').allInnerTexts();
    // Each change is saved as it is made: wait for each answer.
    const saved = () => page.waitForResponse((r) => r.url().includes('/api/v1/cutover/') && r.request().method() === 'PATCH' && r.status() === 200);
    await Promise.all([saved(), owner.selectOption({ label: options[1] })]);
    await Promise.all([saved(), one.getByLabel('Due').fill('2027-01-15')]);
    await Promise.all([saved(), one.getByLabel('Done').check()]);
    await one.getByText(/^Done .* by /).waitFor();
    await page.reload();
    const again = page.getByRole('region', { name: 'Cutover checklist' }).getByRole('listitem', { name: key });
    await again.getByText(/^Done .* by /).waitFor();
    assert.equal(await again.getByLabel('Owner').inputValue() !== '', true, 'the owner stays');
    assert.equal(await again.getByLabel('Due').inputValue(), '2027-01-15');
    assert.equal(await again.getByLabel('Done').isChecked(), true);
    await page.context().close();
  });
}
