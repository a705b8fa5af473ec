// A training module done in Chromium (issue 22, "Done when": a training module completed): the
// cashier starts "Till basics" from Help → Training at tablet size; the register opens in
// training mode with the coach; each step is ticked only when the real screen did it (a cash
// sale with change, a card sale, park, resume, the help sheet); the quiz is handed in and the
// server grades it; nothing touched stock. A manager then sees the certification in the back
// office at the other tablet size; a cashier has no such screen. A back-room clerk finds their
// own module first and completes it in the back office, each screen ticked as it opens.
// The two scenarios practised on the screens: the cashier loses the server (the page is cut
// off, as in browser.offline) and finishes a practice sale offline, which waits, is sent as a
// training sale when the link returns and never moves stock; the clerk counts a delivery 2
// short and reads the shortage line, and nothing is booked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, onHand, fits, noIds, movementsOf, until, inCopy, waitOrExplain } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

// The module's right answers, as src/training/modules.cpp has them (the server never sends them).
const RIGHT = [1, 0, 1, 1];

async function step(coach, text) {
  await coach.getByRole('listitem', { name: new RegExp(`^Done: ${text}`) }).waitFor();
}

async function sell(page, tender) {
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('cell', { name: '1', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  if (tender === 'cash') {
    await page.getByLabel('Amount tendered').fill('20');
    await page.getByRole('button', { name: 'Cash' }).click();
  } else {
    await page.getByLabel('Card or credit reference').fill('T-TRAIN');
    await page.getByRole('button', { name: 'Card' }).click();
  }
  await page.getByRole('list', { name: 'Tenders' }).waitFor();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  await page.getByRole('button', { name: 'New sale' }).click();
}

test('a cashier completes "Till basics" in training mode at 768×1024', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const start = await onHand(server, pasta.id, store.id);
  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.cashier);
  await page.waitForURL(/\/register/);
  await page.goto(env.server.url + '/help/training');
  const list = page.getByRole('region', { name: 'Training modules' });
  await list.getByRole('heading', { name: /Till basics/ }).waitFor();
  await fits(page, 'training modules');
  await noIds(page, 'training modules');
  await list.getByRole('button', { name: 'Start Till basics' }).click();

  await page.getByRole('status').filter({ hasText: 'TRAINING MODE' }).waitFor();
  const coach = page.getByRole('complementary', { name: 'Training coach' });
  await coach.getByText('Training: Till basics').waitFor();
  const quiz = coach.getByRole('button', { name: 'Take the quiz' });
  assert.equal(await coach.getByRole('button', { name: '6 steps to go' }).isDisabled(), true, 'no quiz before the steps');

  await sell(page, 'cash');
  await step(coach, 'Sell something for cash');
  await sell(page, 'card');
  await step(coach, 'Sell something by card');
  await scan(page, PASTA);
  await page.getByRole('button', { name: 'Park sale' }).click();
  await step(coach, 'Start a sale and park it');
  await page.getByRole('button', { name: 'Parked sales' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).first().click();
  await step(coach, 'Bring the parked sale back');
  await page.keyboard.press('F1');
  await page.getByRole('dialog', { name: 'Help' }).waitFor();
  await page.keyboard.press('Escape');
  await step(coach, 'Open the help sheet');
  await fits(page, 'training coach at the register');

  // Offline mode: the server is cut from the page; the practice sale completes as an offline
  // sale does, waits, and is sent as a training sale when the link returns.
  const salesNow = async () => (await server.get(`/api/v1/sales?location_id=${store.id}&limit=200`)).json.sales;
  const before = new Set((await salesNow()).map((x) => x.id));
  await until(page, inCopy, ['codes', PASTA], 'the pasta in the catalog copy');
  await page.context().setOffline(true);
  await scan(page, PASTA);
  await page.getByRole('table', { name: 'Cart' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
  await page.getByRole('button', { name: 'Pay' }).click();
  // The resumed sale is still in the cart: two pasta now, and 40 in cash covers them.
  await page.getByLabel('Amount tendered').fill('40');
  await page.keyboard.press('Enter');
  await page.getByRole('list', { name: 'Tenders' }).getByText('cash 40.00').waitFor();
  await page.getByRole('button', { name: 'Complete sale' }).focus();
  await page.keyboard.press('Enter');
  await waitOrExplain(page, page.getByText(/^Practice sale completed offline: .+, change due .+\. It waits to be sent as a training sale/));
  const banner = page.getByRole('status', { name: 'Offline' });
  await banner.filter({ hasText: /^Offline since \d\d:\d\d — 1 practice sale waiting to send$/ }).waitFor();
  await step(coach, 'When the banner says Offline');
  await fits(page, 'a practice sale offline');
  assert.equal(await page.evaluate(() => localStorage.getItem('br.practiceQueue') !== null), true, 'the practice sale waits on the device');
  await page.context().setOffline(false);
  await banner.waitFor({ state: 'detached', timeout: 20000 });
  const arrived = (await salesNow()).filter((x) => !before.has(x.id));
  assert.equal(arrived.length, 1, 'the practice sale was sent once');
  assert.equal(arrived[0].training, true, 'as a training sale');
  assert.match(arrived[0].receipt_number, /-T\d{6}$/, 'with a training receipt number, no reserved one');
  assert.equal((await movementsOf(server, arrived[0].id)).length, 0, 'it moved no stock');

  await quiz.click();
  const dialog = page.getByRole('dialog', { name: 'Quiz: Till basics' });
  const groups = dialog.getByRole('group');
  assert.equal(await groups.count(), RIGHT.length);
  for (let i = 0; i < RIGHT.length; i++) await groups.nth(i).getByRole('radio').nth(RIGHT[i]).check();
  await fits(page, 'training quiz');
  await dialog.getByRole('button', { name: 'Hand in' }).click();
  const passed = page.getByRole('dialog', { name: 'Passed' });
  await passed.getByText('4 of 4 right: you are certified for Till basics.').waitFor();
  await passed.getByRole('button', { name: 'Done' }).click();
  await coach.waitFor({ state: 'detached' });
  assert.equal(await onHand(server, pasta.id, store.id), start, 'training touched no stock');
  await page.context().close();
});

test('a manager sees the certification at 1024×768; a cashier has no results screen', async () => {
  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.manager);
  await page.waitForURL(/\/(register|office)/);
  await page.goto(env.server.url + '/office/training');
  const table = page.getByRole('table', { name: 'Training results' });
  const row = table.getByRole('row').filter({ hasText: 'Till basics' });
  await row.waitFor();
  assert.match(await row.innerText(), /4 of 4/);
  assert.match(await row.innerText(), /yes/);
  await fits(page, 'training results');
  await noIds(page, 'training results');
  await page.context().close();

  const cashier = await env.page({ width: 768, height: 1024 });
  await signIn(cashier, DEMO.cashier);
  await cashier.waitForURL(/\/register/);
  await cashier.goto(env.server.url + '/office');
  await cashier.getByRole('navigation', { name: 'Back office' }).waitFor();
  assert.equal(await cashier.getByRole('link', { name: 'Training results' }).count(), 0);
  await cashier.context().close();
});

test('a clerk completes "The back room\'s day" in the back office at 768×1024, their own module listed first', async () => {
  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.clerk);
  await page.waitForURL(/\/(register|office)/);
  await page.goto(env.server.url + '/help/training');
  const list = page.getByRole('region', { name: 'Training modules' });
  await list.getByRole('heading', { name: /The back room's day/ }).waitFor();
  assert.match(await list.getByRole('heading', { level: 3 }).first().innerText(), /The back room's day/, 'their own module first');
  await list.getByRole('button', { name: "Start The back room's day" }).click();
  const coach = page.getByRole('complementary', { name: 'Training coach' });
  await coach.getByText("Training: The back room's day").waitFor();
  const nav = page.getByRole('navigation', { name: 'Back office' });
  for (const [link, done] of [['Receiving', 'Open Receiving'], ['Counts', 'Open Counts'], ['Pick online orders', 'Open Pick online orders'], ['Labels', 'Open Labels']]) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await step(coach, done);
  }
  await fits(page, 'training coach in the back office');

  // A short delivery: 6 ordered, 4 counted; the screen says 2 short before anything is booked.
  const { server, store } = env;
  const buyer = await server.signIn(DEMO.buyer.username, DEMO.buyer.password);
  const supplier = (await buyer.get('/api/v1/suppliers?limit=1')).json.suppliers[0];
  const pasta = await itemByCode(server, PASTA);
  const made = await buyer.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: store.id, lines: [{ item_id: pasta.id, quantity: 6 }] });
  assert.equal(made.status, 201, made.text);
  assert.equal((await buyer.post(`/api/v1/purchase-orders/${made.json.id}/send`, {})).status, 200);
  const start = await onHand(server, pasta.id, store.id);
  await nav.getByRole('link', { name: 'Receiving', exact: true }).click();
  await page.getByRole('button', { name: `Receive order ${made.json.number}` }).click();
  const line = page.getByRole('listitem', { name: /Brightfield Pasta/ });
  for (let i = 0; i < 4; i++) {
    // By keyboard: Tab to "+1" and press Enter, as at a desk.
    await line.getByRole('button', { name: /^One more of/ }).focus();
    await page.keyboard.press('Enter');
  }
  const shortLine = page.getByRole('status', { name: 'Short so far' });
  await shortLine.filter({ hasText: /^2 short of the order so far\. Nothing is booked until you press Finish receipt/ }).waitFor();
  await step(coach, 'Count a delivery that is 2 short');
  await fits(page, 'a short delivery in training');
  const po = (await server.get(`/api/v1/purchase-orders/${made.json.id}`)).json;
  assert.deepEqual([po.status, po.lines[0].received], ['sent', 0], 'nothing was booked');
  assert.equal(await onHand(server, pasta.id, store.id), start, 'no stock moved');

  await coach.getByRole('button', { name: 'Take the quiz' }).click();
  const dialog = page.getByRole('dialog', { name: "Quiz: The back room's day" });
  const groups = dialog.getByRole('group');
  const right = [1, 1, 1, 2, 1];  // src/training/modules.cpp
  assert.equal(await groups.count(), right.length);
  for (let i = 0; i < right.length; i++) await groups.nth(i).getByRole('radio').nth(right[i]).check();
  await dialog.getByRole('button', { name: 'Hand in' }).click();
  const passed = page.getByRole('dialog', { name: 'Passed' });
  await passed.getByText("5 of 5 right: you are certified for The back room's day.").waitFor();
  await noIds(page, 'clerk training passed');
  await page.context().close();
});
