// Suppliers from the shop's spreadsheet (issue 22 rollout) on the Suppliers page, at tablet
// size, as the buyer: the file is checked first (a bad row is shown by line and column and
// nothing is written), then a clean file shows what each row would become and is imported with
// one tap; bank details in it wait for a second person; the API confirms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const IBAN_DE = 'DE89370400440532013000';  // published example IBAN (ECBS registry)

async function suppliersNamed(name) {
  const r = await env.server.get(`/api/v1/suppliers?q=${encodeURIComponent(name)}`);
  return r.json.suppliers.filter((s) => s.name === name);
}

for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
  test(`check, then import suppliers (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, DEMO.buyer);
    await page.waitForURL(/\/office/);
    await page.goto(env.server.url + '/office/suppliers');
    const section = page.getByRole('region', { name: 'Import suppliers' });
    const input = section.getByLabel('Suppliers from a spreadsheet (CSV)');
    const name = `Tulip Growers ${viewport.width}`;

    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`name,email\n${name},orders@tulips.example\nBroken Co,not-an-address\n`) });
    const problems = section.getByRole('table', { name: 'Import suppliers problems' });
    await problems.getByRole('row').filter({ hasText: 'is not an e-mail address' }).waitFor();
    const text = await problems.innerText();
    assert.match(text, /\b3\b/, 'the problem names its line');
    assert.match(text, /email/, 'and its column');
    await fits(page, 'supplier import problems');
    assert.deepEqual(await suppliersNamed(name), [], 'checking writes nothing');

    await input.setInputFiles({ name: 'suppliers.csv', mimeType: 'text/csv',
      buffer: Buffer.from(`Name,Email,Order Days,IBAN,Account Name\n${name},orders@tulips.example,mon thu,${IBAN_DE},Tulip Growers BV\n`) });
    const rows = section.getByRole('table', { name: 'Import suppliers rows' });
    // The new file's report: its row says where the bank details go.
    await rows.getByRole('row').filter({ hasText: name }).filter({ hasText: 'wait for approval' }).waitFor();
    assert.deepEqual(await suppliersNamed(name), [], 'checking writes nothing');
    await fits(page, 'supplier import checked');
    await noIds(page, 'supplier import');
    await section.getByRole('button', { name: 'Import 1 supplier' }).click();
    await section.getByText(/Imported: 1 supplier created\. Bank details of 1 supplier wait for a second person/).waitFor();
    const [created] = await suppliersNamed(name);
    assert.ok(created, 'the supplier exists');
    assert.deepEqual(created.order_days, ['mon', 'thu']);
    assert.equal(created.payment, null, 'its bank details are not in force');
    // The list shows it without a reload.
    await page.getByRole('table', { name: 'Suppliers', exact: true }).getByRole('row').filter({ hasText: name }).waitFor();
    await page.context().close();
  });
}
