// Customers from the shop's spreadsheet (issue 22 rollout) on the Customers page, at tablet
// size, as the manager: the file is checked first (a bad row is shown by line and column and
// nothing is written), a clean file shows what each row would become (numbers, never ids) and
// is imported with one tap; the list then finds the customer by the phone as typed; the
// cashier finds the same customer with the contact masked. The API confirms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, fits, noIds } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function customersNamed(name) {
  const r = await env.server.get(`/api/v1/customers?q=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.customers.filter((c) => c.name === name);
}

for (const [i, viewport] of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }].entries()) {
  test(`check, then import customers (${viewport.width}×${viewport.height})`, async () => {
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(office|register)/);
    await page.goto(env.server.url + '/office/customers');
    const section = page.getByRole('region', { name: 'Import customers' });
    const input = section.getByLabel('Customers from a spreadsheet (CSV)');
    const name = `Tulip Lover ${viewport.width}`;
    const phone = `+44 7700 900${String(100 + i)}`;

    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`name,phone,email\n${name},${phone},\nBroken,,not-an-address\n`) });
    const problems = section.getByRole('table', { name: 'Import customers problems' });
    await problems.getByRole('row').filter({ hasText: 'has no @' }).waitFor();
    const text = await problems.innerText();
    assert.match(text, /\b3\b/, 'the problem names its line');
    assert.match(text, /email/, 'and its column');
    await fits(page, 'customer import problems');
    assert.deepEqual(await customersNamed(name), [], 'checking writes nothing');

    await input.setInputFiles({ name: 'customers.csv', mimeType: 'text/csv',
      buffer: Buffer.from(`Name,Phone,Email,Marketing Consent\n${name},${phone},tulip.${viewport.width}@example.com,yes\n`) });
    const rows = section.getByRole('table', { name: 'Import customers rows' });
    await rows.getByRole('row').filter({ hasText: name }).filter({ hasText: 'new' }).waitFor();
    assert.match(await rows.innerText(), /C-\d{6}/, 'the row shows the number it will get');
    assert.deepEqual(await customersNamed(name), [], 'checking writes nothing');
    await fits(page, 'customer import checked');
    await noIds(page, 'customer import');
    await section.getByRole('button', { name: 'Import 1 customer' }).click();
    await section.getByText('Imported: 1 customer created, 0 updated.').waitFor();
    const [created] = await customersNamed(name);
    assert.ok(created, 'the customer exists');
    assert.equal(created.phone, phone.replace(/ /g, ''));
    assert.equal(created.marketing_consent, true);

    // Found by the phone as a customer says it, in the list, without an id on the page.
    await page.getByLabel('Find a customer').fill(phone);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const list = page.getByRole('table', { name: 'Customers', exact: true });
    await list.getByRole('row').filter({ hasText: name }).filter({ hasText: phone.replace(/ /g, '') }).waitFor();
    await fits(page, 'customer list');
    await noIds(page, 'customer list');
    await page.context().close();

    // The cashier looks the same customer up: the contact is masked, no edit.
    const till = await env.page(viewport);
    await signIn(till, DEMO.cashier);
    await till.waitForURL(/\/(office|register)/);
    await till.goto(env.server.url + '/office/customers');
    await till.getByLabel('Find a customer').fill(name);
    await till.getByRole('button', { name: 'Search', exact: true }).click();
    const row = till.getByRole('table', { name: 'Customers', exact: true }).getByRole('row').filter({ hasText: name });
    await row.filter({ hasText: '+44 ••• 0' }).waitFor();
    assert.doesNotMatch(await row.innerText(), /tulip\./, 'the e-mail is masked for the till');
    assert.equal(await till.getByRole('button', { name: `Edit ${name}` }).count(), 0, 'the till does not edit customers');
    await fits(till, 'customer list at the till');
    await till.context().close();
  });
}
