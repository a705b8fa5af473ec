// Store set-up and "which register is this device": a manager sets up a second register, the
// first browser to open the register is asked which one it is and remembers it; only a
// manager changes it. An admin sets the receipt header/footer, a tax category and a role's
// discount limit on the Store set-up page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, screenshotPath } from './lib.mjs';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('a new device asks which register it is, remembers it, and only a manager changes it', async () => {
  const { server, store } = env;
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  const created = await manager.post('/api/v1/registers', { name: 'Till 2', location_id: store.id, printer_width: 58 });
  assert.equal(created.status, 201, created.text);

  const page = await env.page();
  await signIn(page, DEMO.cashier);
  const form = page.getByRole('form', { name: 'This register' });
  await form.waitFor();
  await page.screenshot({ path: screenshotPath('register-which-register.png') });
  await form.getByLabel('Register').selectOption({ label: 'Till 2' });
  await form.getByRole('button', { name: 'Use this register' }).click();
  await page.getByText(/· Till 2$/).waitFor();
  await page.getByRole('form', { name: 'Open the till' }).waitFor(); // Till 2 has its own till
  assert.equal(await page.getByRole('button', { name: 'Change register' }).count(), 0, 'a cashier cannot change it');
  await page.reload();
  await page.getByText(/· Till 2$/).waitFor();
  assert.equal(await page.getByRole('form', { name: 'This register' }).count(), 0, 'remembered on this device');
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, DEMO.manager);
  await page.getByRole('button', { name: 'Change register' }).click();
  await form.getByLabel('Register').selectOption({ label: 'Register 1' });
  await form.getByRole('button', { name: 'Use this register' }).click();
  await page.getByText(/· Register 1$/).waitFor();
  await page.context().close();
});

test('an admin sets up the store: receipt text, a register, a tax category, a discount limit', async () => {
  const { server, store } = env;
  const page = await env.page({ width: 1280, height: 900 });
  await signIn(page, { username: 'admin', password: ADMIN_PASSWORD });
  // Two registers now: the device asks which it is; the back office is one link away.
  await page.getByRole('form', { name: 'This register' }).waitFor();
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store set-up' }).click();
  const details = page.getByRole('form', { name: 'Store details' });
  await details.getByLabel('Name on receipts').fill('Corner Grocer');
  await details.getByLabel('Address on receipts').fill('1 High Street');
  await details.getByLabel('Tax / VAT number').fill('NL123456789B01');
  await details.getByLabel('Receipt footer').fill('Returns within 30 days with this receipt');
  await details.getByRole('button', { name: 'Save store' }).click();
  await page.getByRole('status').filter({ hasText: 'Store saved' }).waitFor();
  const loc = (await server.get(`/api/v1/locations/${store.id}`)).json;
  assert.equal(loc.receipt.shop_name, 'Corner Grocer');
  assert.equal(loc.receipt.footer, 'Returns within 30 days with this receipt');

  const add = page.getByRole('form', { name: 'Add a register' });
  await add.getByLabel('New register name').fill('Till 3');
  await add.getByRole('button', { name: 'Add register' }).click();
  await page.getByRole('table', { name: 'Registers of the store' }).getByRole('cell', { name: 'Till 3' }).waitFor();

  const tax = page.getByRole('form', { name: 'Tax category' });
  await tax.getByLabel('Tax code').fill('reduced-test');
  await tax.getByLabel('Tax name').fill('Reduced (test)');
  await tax.getByLabel('Rate (%)').fill('9');
  await tax.getByRole('button', { name: 'Save tax category' }).click();
  await page.getByRole('table', { name: 'Tax categories' }).getByRole('row', { name: /Reduced \(test\)\s+9 %/ }).waitFor();

  await page.getByRole('textbox', { name: 'Discount limit of cashier' }).fill('12.5');
  await page.getByRole('button', { name: 'Save discount limit of cashier' }).click();
  await page.getByRole('status').filter({ hasText: 'cashier: discount limit 12.50 %' }).waitFor();
  const roles = (await server.get('/api/v1/roles')).json.roles;
  assert.equal(roles.find((r) => r.name === 'cashier').limits.discount_basis_points_max, 1250);
  await page.screenshot({ path: screenshotPath('backoffice-store-setup.png') });
  await page.context().close();
});
