// Defect 4: the register and the back office (receiving, counts) at tablet sizes, portrait
// 768×1024 and landscape 1024×768: nothing scrolls sideways and every button, link and field
// is at least 44 px each way.
import { test, before, after } from 'node:test';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, screenshotPath, secondSite, signInAtRegister, touchTargetsFit as fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`register and back office fit a tablet in ${label}`, async () => {
    const { server, store } = env;
    const pasta = await itemByCode(server, PASTA);
    const dest = await secondSite(server, store.id);
    const page = await env.page(viewport);
    await fits(page, 'sign-in');
    await signInAtRegister(page, DEMO.manager);
    await fits(page, 'empty register');
    await scan(page, PASTA);
    await scan(page, PASTA);
    await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '2', exact: true }).waitFor();
    await fits(page, 'register with a cart');
    await page.screenshot({ path: screenshotPath(`register-tablet-${label}.png`) });
    await page.keyboard.press('F4');
    await page.getByLabel('Amount tendered').fill('30');
    await fits(page, 'payment');
    await page.getByRole('button', { name: 'Cash' }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('article', { name: 'Receipt' }).waitFor();
    await fits(page, 'receipt');
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.getByRole('button', { name: 'Return' }).click();
    await page.getByLabel('Receipt number').waitFor();
    await fits(page, 'return');
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.getByRole('button', { name: 'Switch user' }).click();
    await fits(page, 'switch user dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Back office' }).click();
    const nav = page.getByRole('navigation', { name: 'Back office' });
    for (const name of await nav.getByRole('link').allInnerTexts()) {
      await nav.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await fits(page, `the ${name} screen`);
    }
    await nav.getByRole('link', { name: 'Stock' }).click();
    await page.getByLabel('Find an item').fill(PASTA);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Open ${pasta.name}` }).click();
    await page.getByRole('table', { name: 'Movements' }).getByRole('row').nth(1).waitFor();
    await fits(page, 'stock of an item');
    await nav.getByRole('link', { name: 'Transfers' }).click();
    await page.getByLabel('From', { exact: true }).selectOption(store.id);
    await page.getByLabel('To', { exact: true }).selectOption(dest.id);
    await page.getByLabel('Add an item').fill(PASTA);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: `Open ${pasta.name}` }).click();
    await page.getByRole('button', { name: 'Ship transfer' }).click();
    await page.getByRole('table', { name: 'Transfer lines' }).getByText(pasta.name).waitFor();
    await fits(page, 'receiving a transfer');
    await page.screenshot({ path: screenshotPath(`backoffice-receiving-${label}.png`) });
    await page.context().close();
  });
}
