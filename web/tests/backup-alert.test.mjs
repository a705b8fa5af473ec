// Late or failing scheduled backups are said in the back office (issue 22): a manager sees a
// banner with when the last backup finished and why the next failed; a buyer (no audit
// rights) does not. The backups really run (`serve --backup-dir --backup-every 4s`) and really
// fail (the directory is replaced by a file while the server runs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'backroom-backup-alert-'));
const backups = path.join(dir, 'backups');
let env;
before(async () => { env = await setup({ args: ['--backup-dir', backups, '--backup-every', '4s'] }); });
after(async () => { await env?.close(); rmSync(dir, { recursive: true, force: true }); });

async function status() {
  return (await env.server.get('/api/v1/system/status')).json;
}
async function until(what, f) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
async function office(who, viewport) {
  const page = await env.page(viewport);
  await signIn(page, who);
  await page.waitForURL(/\/(register|office)/);
  await page.goto(env.server.url + '/office');
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link').first().waitFor();
  return page;
}

test('while backups succeed there is no alert', async () => {
  await until('a first scheduled backup', async () => (await status()).last_backup_at);
  const page = await office(DEMO.manager);
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.backup-alert').count(), 0, 'no alert while backups succeed');
  await page.context().close();
});

test('a failing backup shows the manager why, a buyer sees nothing', async () => {
  const good = (await status()).last_backup_at;
  renameSync(backups, `${backups}.moved`); // one step: a backup may be writing into it right now
  writeFileSync(backups, 'not a directory');
  const s = await until('backups late', async () => { const x = await status(); return x.backup_late && x.last_backup_error ? x : null; });
  assert.equal(s.last_backup_at, good, 'the last success is still the one before the failure');
  for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
    const page = await office(DEMO.manager, viewport);
    const alert = page.getByRole('alert').filter({ hasText: 'Backups are late.' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /The last backup finished /);
    assert.match(text, /Why: /, 'the reason is shown');
    await fits(page, `backup alert at ${viewport.width}×${viewport.height}`);
    await noIds(page, 'backup alert');
    await page.context().close();
  }
  const buyer = await office(DEMO.buyer);
  await buyer.waitForTimeout(500);
  assert.equal(await buyer.locator('.backup-alert').count(), 0, 'a buyer is not shown the operator\'s alert');
  await buyer.context().close();
});
