// The Saturday script (issue 13, "Done when"), once per screen size: open the till with a
// counted float; a cash sale, a card sale and a split card + cash sale; a return to store
// credit; the credit note redeemed; an exchange; a paid-out; close counting every tender and
// read the Z report. The expected figures are worked out here from what happened at the
// till, not read back from the server, and the Z report must show exactly them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, clickOrExplain, waitOrExplain, scan, itemByCode, screenshotPath } from './lib.mjs';

let env;
let pasta;
let dearer;
before(async () => {
  env = await setup();
  const { server } = env;
  pasta = await itemByCode(server, PASTA);
  const items = (await server.get('/api/v1/items?status=active&limit=200')).json.items;
  const found = items.find((i) => i.kind === 'standard' && i.price > pasta.price && !i.sold_by_weight
    && i.barcodes.some((b) => /^\d{13}$/.test(b.code) && b.pack_quantity === 1));
  assert.ok(found, 'the demo shop has an item dearer than the pasta, with a barcode');
  dearer = { ...found, code: found.barcodes.find((b) => /^\d{13}$/.test(b.code) && b.pack_quantity === 1).code };
});
after(async () => { await env?.close(); });

/** The demo opens Register 1's till: each run of the script starts with it closed. */
async function closeTillBehind(server) {
  const current = await server.get('/api/v1/registers/REG-1/sessions/current');
  if (current.status !== 200) return;
  const lead = await server.signIn(DEMO.lead.username, DEMO.lead.password);
  const r = await lead.post(`/api/v1/registers/REG-1/sessions/${current.json.id}/close`, { counted: { cash: current.json.x_report?.tenders.find((t) => t.type === 'cash')?.expected ?? 0 } });
  assert.equal(r.status, 200, r.text);
}

const denominations = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
const money = (minor) => (minor < 0 ? '−' : '') + (Math.abs(minor) / 100).toFixed(2);

/** Counts a drawer holding `minor` with the denomination helper (largest notes first). */
async function countDrawer(scope, minor) {
  let left = minor;
  for (const d of denominations) {
    const n = Math.floor(left / d);
    if (!n) continue;
    left -= n * d;
    await scope.getByLabel(`Count of ${money(d)}`, { exact: true }).fill(String(n));
  }
}

async function receiptNumber(page) {
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  return (await page.getByLabel('Receipt number').textContent()).trim();
}

async function cartOf(page, code, count) {
  for (let i = 0; i < count; i++) await scan(page, code);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: String(count), exact: true }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click(); // the touch path; F4 is the keyboard's
}

const sizes = [
  ['desktop', { width: 1280, height: 800 }],
  ['tablet portrait', { width: 768, height: 1024 }],
  ['tablet landscape', { width: 1024, height: 768 }],
];

for (const [label, viewport] of sizes) {
  test(`the Saturday script at ${label} (${viewport.width}×${viewport.height})`, async () => {
    const { server } = env;
    await closeTillBehind(server);
    const page = await env.page(viewport);
    const slug = label.replace(' ', '-');
    // What the drawer and the terminal should hold, from what happens below.
    const float = 15000;
    const expected = { cash: float, card: 0, store_credit: 0 };
    let sales = 0;

    // Open the till with a counted float.
    await signIn(page, DEMO.cashier);
    const open = page.getByRole('form', { name: 'Open the till' });
    await open.getByRole('button', { name: 'Count notes and coins' }).click();
    await countDrawer(open, float);
    await open.getByText(`Opening float: ${money(float)}`).waitFor();
    await open.getByRole('button', { name: 'Open till' }).click();
    await page.getByRole('status').filter({ hasText: `Till open with a float of ${money(float)}` }).waitFor();

    // 1. Cash: 20.00 for one pasta, change given.
    await cartOf(page, PASTA, 1);
    await page.getByLabel('Amount tendered').fill('20');
    await page.getByRole('button', { name: 'Cash' }).click();
    await clickOrExplain(page, page.getByRole('button', { name: 'Complete sale' }));
    const cashReceipt = await receiptNumber(page);
    expected.cash += pasta.price; sales++;
    await page.getByRole('button', { name: 'New sale' }).click();

    // 2. Card.
    await cartOf(page, PASTA, 1);
    await page.getByLabel('Card or credit reference').fill('T-1001');
    await page.getByRole('button', { name: 'Card' }).click();
    await clickOrExplain(page, page.getByRole('button', { name: 'Complete sale' }));
    const cardReceipt = await receiptNumber(page);
    expected.card += pasta.price; sales++;
    await page.getByRole('button', { name: 'New sale' }).click();

    // 3. Split: 10.00 on card, the rest in cash (50.00 handed over, change given).
    await cartOf(page, PASTA, 2);
    await page.getByLabel('Amount tendered').fill('10');
    await page.getByLabel('Card or credit reference').fill('T-1002');
    await page.getByRole('button', { name: 'Card' }).click();
    await page.getByLabel('Amount tendered').fill('50');
    await page.getByRole('button', { name: 'Cash' }).click();
    const tenders = await page.getByRole('list', { name: 'Tenders' }).textContent();
    assert.match(tenders, /card 10\.00 \(T-1002\).*cash 50\.00/);
    await clickOrExplain(page, page.getByRole('button', { name: 'Complete sale' }));
    await receiptNumber(page);
    expected.card += 1000; expected.cash += 2 * pasta.price - 1000; sales++;
    await page.getByRole('button', { name: 'New sale' }).click();

    // 4. The cash sale's pasta comes back, refunded to a store credit note.
    await page.getByRole('button', { name: 'Return' }).click();
    await page.getByLabel('Receipt number').fill(cashReceipt);
    await page.getByRole('button', { name: 'Find receipt' }).click();
    await page.getByLabel(`Return quantity for ${pasta.name}`).fill('1');
    await page.getByLabel('Refund to').selectOption('store_credit');
    await page.getByRole('button', { name: 'Complete return' }).click();
    const credit = (await page.locator('.credit-code').textContent()).trim();
    assert.match(credit, /^SC-/);
    await page.getByRole('button', { name: 'Back to the register' }).click();

    // 5. The note pays the next sale in full (typed, Enter adds it as store credit).
    await cartOf(page, PASTA, 1);
    await page.getByLabel('Card or credit reference').fill(credit);
    await page.getByLabel('Card or credit reference').press('Enter');
    await waitOrExplain(page, page.getByRole('status').filter({ hasText: `Store credit ${credit}: 0.00 left after this sale.` }));
    await clickOrExplain(page, page.getByRole('button', { name: 'Complete sale' }));
    await receiptNumber(page);
    expected.store_credit += pasta.price; sales++;
    await page.getByRole('button', { name: 'New sale' }).click();

    // 6. Exchange: the card sale's pasta for a dearer item; the customer pays the balance in cash.
    await page.getByRole('button', { name: 'Exchange' }).click();
    await page.getByLabel('Receipt number').fill(cardReceipt);
    await page.getByRole('button', { name: 'Find receipt' }).click();
    await page.getByLabel(`Return quantity for ${pasta.name}`).fill('1');
    await page.getByLabel('New item barcode').fill(dearer.code);
    await page.getByRole('button', { name: 'Add new item' }).click();
    await page.getByRole('list', { name: 'New items' }).getByText(dearer.name).waitFor();
    await page.getByRole('button', { name: 'Complete exchange' }).click();
    const balance = dearer.price - pasta.price;
    await page.getByRole('group', { name: 'Balance' }).getByText(`Customer pays ${money(balance)}`).waitFor();
    await page.getByRole('button', { name: 'Complete exchange' }).click();
    await page.getByRole('heading', { name: 'Exchange complete' }).waitFor();
    expected.cash += balance; sales++; // the exchange's new side is a sale of its own
    await page.getByRole('button', { name: 'New sale' }).click();

    // 7. Paid out of the drawer.
    await page.getByRole('button', { name: 'Paid in / out' }).click();
    const cashDialog = page.getByRole('dialog', { name: 'Cash in or out' });
    await cashDialog.getByLabel('Kind').selectOption('paid_out');
    await cashDialog.getByLabel('Amount').fill('7.50');
    await cashDialog.getByLabel('Reason').fill('milk for the staff room');
    await cashDialog.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('status').filter({ hasText: 'Paid out of 7.50 recorded.' }).waitFor();
    expected.cash -= 750;

    // 8. Close: the drawer is 0.20 short; card and store credit are counted exactly.
    await page.getByRole('button', { name: 'Close till' }).click();
    const close = page.getByRole('dialog', { name: 'Close the till' });
    await close.getByRole('region', { name: 'X report' }).waitFor();
    const counted = { cash: expected.cash - 20, card: expected.card, store_credit: expected.store_credit };
    await countDrawer(close, counted.cash);
    await close.getByText(`Cash counted: ${money(counted.cash)}`).waitFor();
    await close.getByLabel('card counted').fill(money(counted.card));
    await close.getByLabel('store credit counted').fill(money(counted.store_credit));
    await close.getByRole('button', { name: 'Close till' }).click();

    const z = page.getByRole('dialog', { name: 'Z report' }).getByRole('region', { name: 'Z report' });
    await z.waitFor();
    const rows = await z.getByRole('table', { name: 'Z report tenders' }).getByRole('row').allInnerTexts();
    const cells = rows.slice(1).map((r) => r.split('\t').map((c) => c.trim()));
    assert.deepEqual(cells, [
      ['cash', money(expected.cash), money(counted.cash), money(-20)],
      ['card', money(expected.card), money(counted.card), '0.00'],
      ['store credit', money(expected.store_credit), money(counted.store_credit), '0.00'],
    ], 'expected vs counted per tender');
    const totals = await z.getByRole('table', { name: 'Z report totals' }).innerText();
    assert.match(totals, new RegExp(`Opening float\\s+${money(float)}`));
    assert.match(totals, new RegExp(`Paid out\\s+7\\.50`));
    assert.match(totals, new RegExp(`Sales\\s+${sales}\\b`));
    assert.match(totals, /Returns\s+2 · /, 'the return to store credit and the exchange\'s return');
    assert.match(totals, /Exchanges\s+1\b/);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(scroll <= 0, `the Z report scrolls sideways by ${scroll} px`);
    // The README shows the whole report: a taller window for the desktop picture only.
    if (label === 'desktop') await page.setViewportSize({ width: 1280, height: 1240 });
    await page.screenshot({ path: screenshotPath(`register-z-report-${slug}.png`) });
    await page.getByRole('button', { name: 'Print Z report' }).waitFor();
    await page.context().close();
  });
}
