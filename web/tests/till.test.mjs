// Defects 2 and 3 in the browser: the till opens with a counted float before the first sale,
// a sale against a closed till keeps the cart and says so, paid out shows on the report, and
// closing counts every tender and shows the Z report (also on the back office Registers page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, screenshotPath } from './lib.mjs';

let env;
before(async () => {
  env = await setup();
  // The demo opens Register 1's till; this day starts with it closed.
  const current = await env.server.get('/api/v1/registers/REG-1/sessions/current');
  if (current.status === 200) {
    const lead = await env.server.signIn(DEMO.lead.username, DEMO.lead.password);
    const r = await lead.post(`/api/v1/registers/REG-1/sessions/${current.json.id}/close`, { counted: { cash: current.json.opening_float } });
    if (r.status !== 200) throw new Error(`close the demo till: ${r.status} ${r.text}`);
  }
});
after(async () => { await env?.close(); });

async function count(scope, pairs) {
  for (const [label, n] of pairs) await scope.getByLabel(`Count of ${label}`, { exact: true }).fill(String(n));
}

async function sell(page, pay) {
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await pay();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  await page.getByRole('button', { name: 'New sale' }).click();
}

test('a day at the till: open with a counted float, sell, pay out, close with the Z report', async () => {
  const page = await env.page();
  await signIn(page, DEMO.cashier);
  const open = page.getByRole('form', { name: 'Open the till' });
  await open.waitFor();
  assert.equal(await page.getByLabel('Scan or search').count(), 0, 'no selling before the till is open');
  await open.getByRole('button', { name: 'Count notes and coins' }).click();
  await count(open, [['50.00', 1], ['20.00', 2], ['5.00', 2]]);
  await open.getByText('Opening float: 100.00').waitFor();
  await page.screenshot({ path: screenshotPath('register-open-till.png') });
  await open.getByRole('button', { name: 'Open till' }).click();
  await page.getByRole('status').filter({ hasText: 'Till open with a float of 100.00' }).waitFor();

  await sell(page, async () => {
    await page.getByLabel('Amount tendered').fill('20');
    await page.getByRole('button', { name: 'Cash' }).click();
  });
  await sell(page, async () => {
    await page.getByLabel('Card or credit reference').fill('T-4411');
    await page.getByRole('button', { name: 'Card' }).click();
  });
  await page.getByRole('button', { name: 'Paid in / out' }).click();
  const cash = page.getByRole('dialog', { name: 'Cash in or out' });
  await cash.getByLabel('Kind').selectOption('paid_out');
  await cash.getByLabel('Amount').fill('5');
  await cash.getByLabel('Reason').fill('window cleaner');
  await cash.getByRole('button', { name: 'Record' }).click();
  await page.getByRole('status').filter({ hasText: 'Paid out of 5.00 recorded.' }).waitFor();

  await page.getByRole('button', { name: 'Close till' }).click();
  const close = page.getByRole('dialog', { name: 'Close the till' });
  const x = close.getByRole('region', { name: 'X report' });
  await x.waitFor();
  const expected = async (region, type) => (await region.getByRole('table', { name: /tenders/ }).getByRole('row', { name: new RegExp(`^${type}`) }).getByRole('cell').allInnerTexts());
  assert.deepEqual((await expected(x, 'cash')).slice(0, 2), ['cash', '109.57'], 'float + cash sale − paid out');
  assert.deepEqual((await expected(x, 'card')).slice(0, 2), ['card', '14.57']);
  // 109.57 in the drawer, one cent short: 109.56.
  await count(close, [['100.00', 1], ['5.00', 1], ['2.00', 2], ['0.50', 1], ['0.05', 1], ['0.01', 1]]);
  await close.getByText('Cash counted: 109.56').waitFor();
  await close.getByLabel('card counted').fill('14.57');
  await close.getByRole('button', { name: 'Close till' }).click();
  const z = page.getByRole('dialog', { name: 'Z report' }).getByRole('region', { name: 'Z report' });
  await z.waitFor();
  assert.deepEqual(await expected(z, 'cash'), ['cash', '109.57', '109.56', '−0.01']);
  assert.deepEqual(await expected(z, 'card'), ['card', '14.57', '14.57', '0.00']);
  const totals = await z.getByRole('table', { name: 'Z report totals' }).innerText();
  assert.match(totals, /Paid out\s+5\.00/);
  assert.match(totals, /Sales\s+2/);
  assert.match(await z.getByRole('table', { name: /by cashier/ }).innerText(), /Casey Cashier\s+2\s+29\.14/);
  await page.getByRole('button', { name: 'Print Z report' }).waitFor();
  await page.screenshot({ path: screenshotPath('register-z-report.png') });
  await page.keyboard.press('Escape');
  await page.getByRole('form', { name: 'Open the till' }).waitFor();

  // The back office lists the session with its Z report; nobody types an id.
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Registers' }).click();
  const sessions = page.getByRole('table', { name: /^Sessions of / });
  await sessions.getByRole('row', { name: /^2 closed/ }).waitFor();
  await page.getByRole('button', { name: /^Z report of session/ }).first().click(); // newest first
  const zOffice = page.getByRole('region', { name: 'Z report' });
  assert.deepEqual(await expected(zOffice, 'cash'), ['cash', '109.57', '109.56', '−0.01']);
  await page.context().close();
});

test('a sale at a till closed behind the register keeps the cart and asks to open it', async () => {
  const { server, store } = env;
  const salesBefore = (await server.get(`/api/v1/sales?location_id=${store.id}`)).json.sales.length;
  const page = await env.page();
  await signIn(page, DEMO.cashier);
  const open = page.getByRole('form', { name: 'Open the till' });
  await open.getByLabel('Opening float').fill('50');
  await open.getByRole('button', { name: 'Open till' }).click();
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  // Someone closes the till from another device.
  const current = (await server.get('/api/v1/registers/REG-1/sessions/current')).json;
  const lead = await server.signIn(DEMO.lead.username, DEMO.lead.password);
  assert.equal((await lead.post(`/api/v1/registers/REG-1/sessions/${current.id}/close`, { counted: { cash: 5000 } })).status, 200);
  await page.keyboard.press('F4');
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('status').filter({ hasText: 'The till is closed' }).waitFor();
  await open.getByLabel('Opening float').fill('50');
  await open.getByRole('button', { name: 'Open till' }).click();
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  const sales = (await server.get(`/api/v1/sales?location_id=${store.id}`)).json.sales;
  assert.equal(sales.length, salesBefore + 1, 'one sale, made once the till was open again');
  await page.context().close();
});
