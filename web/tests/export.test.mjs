// Export everything (issue 22) from the back office: the admin downloads the whole shop as one
// ZIP of CSV files at tablet size (768×1024 and 1024×768); a manager has no such screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`the admin downloads everything as one ZIP (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, { username: 'admin', password: ADMIN_PASSWORD });
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office');
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Export everything' }).click();
    await page.getByRole('heading', { name: 'Export everything' }).waitFor();
    await fits(page, `export at ${viewport.width}×${viewport.height}`);
    await noIds(page, 'export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the export (ZIP)' }).click()]);
    assert.match(download.suggestedFilename(), /^backroom-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'backroom-export-ui-')), 'shop.zip');
    await download.saveAs(file);
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n');
    assert.ok(names.includes('items.csv') && names.includes('README.txt'), names.join(' '));
    const items = execFileSync('unzip', ['-p', file, 'items.csv'], { encoding: 'utf8' });
    assert.ok(items.split('\r\n').length > 10, 'the demo shop\'s items are in it');
    await page.context().close();
  });
}

test('a manager has no export screen', async () => {
  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.waitForURL(/\/(register|office)/);
  await page.goto(env.server.url + '/office');
  await page.getByRole('navigation', { name: 'Back office' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Export everything' }).count(), 0);
  await page.context().close();
});
