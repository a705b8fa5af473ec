// Store credit as a tender: the code is scanned or typed, its balance caps what it pays, and
// the note's balance goes down by exactly that. The back office's Store credit page says what
// the shop owes on its notes and lists them (768×1024 and 1024×768, no ids).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, signInAtRegister, fits, noIds } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

async function creditNote(server, store, pasta) {
  // A sale of one pasta, returned to a new store credit note (through the API).
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  const sale = await manager.post('/api/v1/sales', { location_id: store.id, lines: [{ item_id: pasta.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 2000 }] });
  assert.equal(sale.status, 201, sale.text);
  const ret = await manager.post('/api/v1/returns', {
    sale_id: sale.json.id, refund_tenders: [{ type: 'store_credit', amount: sale.json.lines[0].total }],
    lines: [{ sale_line_id: sale.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
  });
  assert.equal(ret.status, 201, ret.text);
  return ret.json.tenders.find((t) => t.type === 'store_credit').reference;
}

test('a store credit note pays part of a sale, up to its balance', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const code = await creditNote(server, store, pasta);
  assert.equal((await server.get(`/api/v1/store-credits/${code}`)).json.balance, pasta.price);

  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '2', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await page.getByLabel('Card or credit reference').fill('nope-123');
  await page.getByRole('button', { name: 'Store credit' }).click();
  await page.getByRole('alert').filter({ hasText: 'No store credit has the code' }).waitFor();
  await page.getByLabel('Card or credit reference').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Store credit' }).click();
  await page.getByRole('status').filter({ hasText: `Store credit ${code}: 0.00 left after this sale.` }).waitFor();
  const tenders = page.getByRole('list', { name: 'Tenders' });
  assert.match(await tenders.textContent(), new RegExp(`store credit ${(pasta.price / 100).toFixed(2).replace('.', '\\.')}`));
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  assert.equal((await server.get(`/api/v1/store-credits/${code}`)).json.balance, 0, 'the note is spent');

  // A spent note pays nothing more.
  await page.getByRole('button', { name: 'New sale' }).click();
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  // The Pay button (it waits until it is enabled): under load F4 right after "New sale" was
  // once lost in a full run (1 of 4 runs); F4 itself is covered by the register tests.
  await page.getByRole('button', { name: /^Pay/ }).click();
  await page.getByLabel('Card or credit reference').fill(code);
  await page.getByRole('button', { name: 'Store credit' }).click();
  await page.getByRole('alert').filter({ hasText: 'has nothing left' }).waitFor();
  await page.context().close();
});

test('a return to store credit prints a code that pays the next sale', async () => {
  const { server } = env;
  const pasta = await itemByCode(server, PASTA);
  const page = await env.page();
  await signInAtRegister(page, DEMO.cashier);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.keyboard.press('F4');
  await page.getByLabel('Amount tendered').fill('20');
  await page.getByRole('button', { name: 'Cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  const receiptNumber = (await page.getByLabel('Receipt number').textContent()).trim();
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Return' }).click();
  await page.getByLabel('Receipt number').fill(receiptNumber);
  await page.getByRole('button', { name: 'Find receipt' }).click();
  await page.getByLabel(`Return quantity for ${pasta.name}`).fill('1');
  await page.getByLabel('Refund to').selectOption('store_credit');
  await page.getByRole('button', { name: 'Complete return' }).click();
  const code = (await page.locator('.credit-code').textContent()).trim();
  assert.match(code, /^SC-/);
  assert.equal((await server.get(`/api/v1/store-credits/${code}`)).json.balance, pasta.price);
  await page.getByRole('button', { name: 'Back to the register' }).click();
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  // The Pay button (it waits until it is enabled): under load F4 right after "New sale" was
  // once lost in a full run (1 of 4 runs); F4 itself is covered by the register tests.
  await page.getByRole('button', { name: /^Pay/ }).click();
  await page.waitForFunction(() => !document.querySelector('.pay .sums')?.textContent.includes('…')); // the total is quoted
  // A scanner types the note's code and its Enter faster than a busy screen renders: the
  // register takes what the field holds when Enter comes. Emulated: the code is put in the
  // field without the input event a render would follow, and Enter comes in the same task (a
  // render in between would put the field back to its state, which a real scanner's input
  // events keep up to date).
  await page.getByLabel('Card or credit reference').evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
  }, code);
  await page.getByRole('status').filter({ hasText: `Store credit ${code}: 0.00 left after this sale.` }).waitFor();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  assert.equal((await server.get(`/api/v1/store-credits/${code}`)).json.balance, 0, 'the note paid the whole sale');
  await page.context().close();
});

test('the Store credit page says what the shop owes now and lists the open notes (768×1024, 1024×768)', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const code = await creditNote(server, store, pasta);
  const owed = (await server.get('/api/v1/reports/store-credit')).json.liability_now;
  assert.ok(owed >= pasta.price, `the new note is owed: ${owed}`);
  const shown = (minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
  for (const viewport of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.getByRole('link', { name: 'Back office' }).click();
    await page.getByRole('link', { name: 'Store credit' }).click();
    const now = page.getByRole('article', { name: 'Owed now' });
    await now.getByText(shown(owed), { exact: true }).waitFor();
    const period = page.getByRole('table', { name: 'Store credit in the period' });
    await period.getByRole('row', { name: /Owed at the end of/ }).getByText(shown(owed), { exact: true }).waitFor();
    const note = page.getByRole('table', { name: 'Credit notes' }).getByRole('row').filter({ hasText: code });
    await note.waitFor();
    assert.match(await note.innerText(), new RegExp(`${shown(pasta.price).replace('.', '\\.')}[\\s\\S]*${store.name}`));
    // Keyboard: a store picked and the period shown again with Enter.
    await page.getByLabel('Store', { exact: true }).selectOption({ label: store.name });
    await page.getByLabel('From').press('Enter');
    await page.getByRole('heading', { level: 2, name: new RegExp(`to .*, notes issued at ${store.name}$`) }).waitFor();
    await fits(page, `store credit ${viewport.width}×${viewport.height}`);
    await noIds(page, `store credit ${viewport.width}×${viewport.height}`);
    await page.context().close();
  }
});
