// Cheat sheets (issue 22, "training that sticks"): F1 at the register shows the person's own
// sheet, listing exactly the keys the register's buttons carry; each role's sheet prints on
// one A4 page with its keys; the back-office screens a sheet names are the ones that role sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO, setup, signIn, signInAtRegister, noIds, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The register's buttons that carry a key: { F4: 'Pay', ... } as shown on screen. */
async function keyedButtons(page) {
  return page.evaluate(() => {
    const out = {};
    for (const b of document.querySelectorAll('button')) {
      const k = b.querySelector('kbd');
      if (!k || !/^F\d+$/.test(k.textContent.trim())) continue;
      out[k.textContent.trim()] = b.textContent.replace(k.textContent, '').trim();
    }
    return out;
  });
}

/** The sheet's key rows: { F4: 'Pay — Take payment…', ... }. */
async function sheetKeys(sheet) {
  return sheet.locator('table.cheat-keys tr').evaluateAll((rows) => Object.fromEntries(
    rows.map((r) => [r.querySelector('th').textContent.trim(), r.querySelector('td').textContent.trim()])));
}

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`F1 at the register shows the cashier's sheet with the register's own keys (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signInAtRegister(page, DEMO.cashier);
    const buttons = await keyedButtons(page);
    assert.ok(Object.keys(buttons).length >= 5, `the register shows its keys: ${JSON.stringify(buttons)}`);
    await page.keyboard.press('F1');
    const dialog = page.getByRole('dialog', { name: 'Help' });
    const sheet = dialog.getByRole('article', { name: 'Cheat sheet: Cashier' });
    await sheet.waitFor();
    const rows = await sheetKeys(sheet);
    // Every key a button on the register shows is on the sheet, under the button's own words.
    for (const [key, label] of Object.entries(buttons)) {
      assert.ok(rows[key], `the sheet lists ${key} (${label})`);
      assert.ok(rows[key].startsWith(label), `${key}: the sheet says “${rows[key]}”, the button “${label}”`);
    }
    // ... and it promises no F-key the register does not bind: each one does something.
    for (const key of Object.keys(rows).filter((k) => /^F\d+$/.test(k))) {
      assert.ok(key === 'F1' || buttons[key], `the sheet lists ${key}, which no register button shows`);
    }
    assert.match(rows.F8, /Ask a shift lead/, 'a cashier is told a void needs a lead');
    await noIds(page, 'the help dialog');
    await fits(page, `the help dialog at ${viewport.width}×${viewport.height}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByLabel('Scan or search').waitFor();
    await page.context().close();
  });
}

test('every role\'s sheet prints on one A4 page with its keys and its screens', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'backroom-help-'));
  try {
    const page = await env.page({ width: 768, height: 1024 });
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office');
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Help' }).click();
    await page.getByRole('article', { name: 'Cheat sheet: Manager' }).waitFor();
    for (const [role, title, keys] of [['cashier', 'Cashier', true], ['shift_lead', 'Shift lead', true], ['buyer', 'Buyer', false], ['clerk', 'Back-room clerk', false], ['manager', 'Manager', true]]) {
      await page.getByRole('navigation', { name: 'Cheat sheets' }).getByRole('link', { name: title, exact: true }).click();
      await page.getByRole('article', { name: `Cheat sheet: ${title}` }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/help/${role}`);
      await fits(page, `/help/${role}`);
      await noIds(page, `/help/${role}`);
      const file = path.join(dir, `${role}.pdf`);
      writeFileSync(file, await page.pdf({ format: 'A4', printBackground: false }));
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);
      assert.equal(pages, 1, `${title}: the sheet prints on one page, not ${pages}`);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, new RegExp(title), `${title}: the printed sheet names the role`);
      assert.doesNotMatch(text, /Back\s+Cashier|Print\s*$/m, `${title}: the buttons are not printed`);
      if (keys) assert.match(text, /F4\s+Pay/, `${title}: the printed sheet lists F4 Pay`);
      else assert.doesNotMatch(text, /F4\s+Pay/, `${title}: no register keys on a back-office sheet`);
    }
    await page.context().close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the screens a sheet names are the ones that role sees in the back office', async () => {
  for (const [who, title] of [[DEMO.lead, 'Shift lead'], [DEMO.buyer, 'Buyer'], [DEMO.clerk, 'Back-room clerk'], [DEMO.manager, 'Manager']]) {
    const page = await env.page();
    await signIn(page, who);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office');
    const nav = page.getByRole('navigation', { name: 'Back office' });
    await nav.getByRole('link').first().waitFor();
    const seen = new Set((await nav.getByRole('link').allInnerTexts()).map((t) => t.trim()));
    await page.goto(env.server.url + '/help');
    await page.getByRole('navigation', { name: 'Cheat sheets' }).getByRole('link', { name: title, exact: true }).click();
    const screens = (await page.getByRole('region', { name: 'Back-office screens' }).locator('p').innerText()).split(' · ').map((s) => s.trim());
    assert.ok(screens.length >= 3, `${title}: names its screens`);
    for (const s of screens) assert.ok(seen.has(s), `${title}'s sheet names “${s}”, which ${who.username} does not see (sees: ${[...seen].join(', ')})`);
    await page.context().close();
  }
});
