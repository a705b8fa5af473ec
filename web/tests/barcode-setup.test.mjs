// Scale labels set up in the back office (Store set-up → "Scale labels and own barcodes"): an
// admin sees the demo's three layouts as digit patterns, tries a real label (read in the page,
// then its item found by the server once saved), adds a layout for a new scale (a layout that
// does not make 13 digits is refused before it is sent), saves, and is told in words when the
// server refuses a prefix that overlaps the others — nothing saved then. At both tablet sizes,
// by keyboard at 1024x768 and by taps at 768x1024, touch targets ≥ 44 px, no id on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, signIn, screenshotPath, fits, noIds, waitOrExplain } from './lib.mjs';
import { ADMIN_PASSWORD, withCheck } from '../../tests/integration/lib/server.mjs';

let env;
let demo;
before(async () => {
  env = await setup();
  demo = (await env.server.get('/api/v1/settings/barcodes')).json;
});
after(async () => { await env?.close(); });

for (const viewport of [{ width: 1024, height: 768 }, { width: 768, height: 1024 }]) {
  test(`scale label layouts at ${viewport.width}x${viewport.height}: see, try, add, refuse an overlap`, async () => {
    const { server } = env;
    // Each viewport starts from the demo's settings, whatever the other one left.
    assert.equal((await server.put('/api/v1/settings/barcodes', demo)).status, 200);
    const before = demo;
    assert.deepEqual(before.embedded_layouts.map((l) => l.prefix), ['21', '22', '23'], 'the demo\'s layouts');
    const apples = (await server.get('/api/v1/items?q=PRD-0001&limit=5')).json.items.find((i) => i.sku === 'PRD-0001');
    const registered = apples.barcodes.find((b) => b.kind === 'embedded').code;
    const label = withCheck(`${registered.slice(0, 7)}00512`);  // 0.512 kg of item 00001
    const touch = viewport.width < 1000;
    const press = (locator) => (touch ? locator.tap() : locator.click());

    const context = await env.browser.newContext({ viewport, hasTouch: touch });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await signIn(page, { username: 'admin', password: ADMIN_PASSWORD });
    await page.getByRole('link', { name: 'Back office' }).click();
    await page.getByRole('link', { name: 'Store set-up' }).click();
    const table = page.getByRole('table', { name: 'Scale label layouts' });
    await waitOrExplain(page, table.getByRole('row', { name: /22\s+weight\s+22 IIIII WWWWW C\s+kg, 3 decimals/ }));
    await table.getByRole('row', { name: /23\s+price\s+23 IIIII V PPPP C/ }).waitFor();

    // A label read in the page; Enter finds its item (the settings are saved).
    const tryIt = page.getByRole('form', { name: 'Try a label' });
    await tryIt.getByLabel('Try a label').fill(label);
    await tryIt.getByText('Item code 2200001 · 0.512 kg').waitFor();
    await tryIt.getByLabel('Try a label').press('Enter');
    await tryIt.getByText(`${apples.name} (PRD-0001)`).waitFor();

    // A layout for a new scale: 24, price, 5 + 5 digits. Six item digits make 14: refused here.
    const add = page.getByRole('form', { name: 'Add a layout' });
    await add.getByLabel('Prefix').fill('24');
    await add.getByLabel('Carries').selectOption('price');
    await add.getByLabel('Item digits').fill('6');
    await page.getByText('Prefix 2 + item 6 + value 5 + check digit 1 make 14 digits; a label has 13.').first().waitFor();
    if (touch) await press(add.getByRole('button', { name: 'Add layout' }));
    else await add.getByLabel('Item digits').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'make 14 digits' }).waitFor();
    await add.getByLabel('Item digits').fill('5');
    await page.getByText('24 IIIII PPPPP C: 13 digits.').waitFor();
    if (touch) await press(add.getByRole('button', { name: 'Add layout' }));
    else await add.getByLabel('Item digits').press('Enter');
    await table.getByRole('row', { name: /24\s+price\s+24 IIIII PPPPP C\s+2 decimals/ }).waitFor();
    await page.getByText('Unsaved changes').waitFor();
    await fits(page, `Store set-up, barcodes at ${viewport.width}`);
    await noIds(page, 'Store set-up, barcodes');
    await page.screenshot({ path: screenshotPath(`backoffice-barcodes-${viewport.width}.png`), fullPage: true });
    await press(page.getByRole('button', { name: 'Save barcode settings' }));
    await page.getByRole('status').filter({ hasText: 'Barcode settings saved' }).waitFor();
    const saved = (await server.get('/api/v1/settings/barcodes')).json;
    assert.deepEqual(saved.embedded_layouts.find((l) => l.prefix === '24'),
      { prefix: '24', item_digits: 5, value: 'price', value_digits: 5, decimals: 2, verifier: false });

    // Prefix 2 would start every other prefix: the server refuses it, in words; nothing saved.
    await add.getByLabel('Prefix').fill('2');
    await add.getByLabel('Item digits').fill('6');
    await press(add.getByRole('button', { name: 'Add layout' }));
    await table.getByRole('row', { name: /^2\s+weight\s+2 IIIIII WWWWW C/ }).waitFor();
    await press(page.getByRole('button', { name: 'Save barcode settings' }));
    await page.getByRole('alert').filter({ hasText: /prefix/i }).waitFor();
    assert.deepEqual((await server.get('/api/v1/settings/barcodes')).json, saved, 'nothing saved');

    // Put the shop back: without 2 and 24.
    await press(page.getByRole('button', { name: 'Remove layout 2', exact: true }));
    await press(page.getByRole('button', { name: 'Remove layout 24' }));
    await press(page.getByRole('button', { name: 'Save barcode settings' }));
    await page.getByRole('status').filter({ hasText: 'Barcode settings saved' }).waitFor();
    assert.deepEqual((await server.get('/api/v1/settings/barcodes')).json.embedded_layouts, before.embedded_layouts);
    const audit = (await server.get('/api/v1/audit?action=settings.barcodes&limit=10')).json;
    assert.ok(JSON.stringify(audit).includes('"24"'), 'the change is audited');
    await context.close();
  });
}
