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
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../../tests/integration/lib/server.mjs';
import { DEMO, PASTA, setup, signIn, scan, itemByCode, onHand, fits, noIds, movementsOf, until, inCopy, waitOrExplain, screenshotPath } from './lib.mjs';

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
  await page.screenshot({ path: screenshotPath('training-modules.png') });
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
  await page.screenshot({ path: screenshotPath('training-coach-register.png') });

  // Offline mode: the server is cut from the page; the practice sale completes as an offline
  // sale does, waits, and is sent as a training sale when the link returns.
  const salesNow = async () => (await server.get(`/api/v1/sales?location_id=${store.id}&limit=200`)).json.sales;
  const before = new Set((await salesNow()).map((x) => x.id));
  await until(page, inCopy, ['chunks', PASTA, 'codes'], 'the pasta in the catalog copy');
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
  await page.screenshot({ path: screenshotPath('training-quiz.png') });
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
  await page.screenshot({ path: screenshotPath('training-results.png') });
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
  // By keyboard and scanner, as at a desk: the scan field keeps the focus (the screen takes it
  // back after every render, so a button focused by the test could lose a key press to it); one
  // scan of the pasta counts one, then "+" on the empty field one more of the last line, each
  // waited for on the line's Received figure.
  const received = line.getByLabel(/^Received of/);
  const scanField = page.getByLabel('Scan cases and items');
  await scanField.fill(PASTA);
  await scanField.press('Enter');
  await received.filter({ hasText: /^1$/ }).waitFor();
  for (let i = 2; i <= 4; i++) {
    await scanField.press('+');
    await received.filter({ hasText: new RegExp(`^${i}$`) }).waitFor();
  }
  const shortLine = page.getByRole('status', { name: 'Short so far' });
  await shortLine.filter({ hasText: /^2 short of the order so far\. Nothing is booked until you press Finish receipt/ }).waitFor();
  await step(coach, 'Count a delivery that is 2 short');
  await fits(page, 'a short delivery in training');
  await page.screenshot({ path: screenshotPath('training-short-delivery.png') });
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

/** Passes a module's quiz with the right answers (src/training/modules.cpp) and checks the grade. */
async function handIn(page, coach, title, right) {
  await coach.getByRole('button', { name: 'Take the quiz' }).click();
  const dialog = page.getByRole('dialog', { name: `Quiz: ${title}` });
  const groups = dialog.getByRole('group');
  assert.equal(await groups.count(), right.length);
  for (let i = 0; i < right.length; i++) await groups.nth(i).getByRole('radio').nth(right[i]).check();
  await dialog.getByRole('button', { name: 'Hand in' }).click();
  const passed = page.getByRole('dialog', { name: 'Passed' });
  await passed.getByText(`${right.length} of ${right.length} right: you are certified for ${title}.`).waitFor();
  await passed.getByRole('button', { name: 'Done' }).click();
}

async function startModule(page, title) {
  await page.goto(env.server.url + '/help/training');
  const list = page.getByRole('region', { name: 'Training modules' });
  await list.getByRole('button', { name: `Start ${title}` }).click();
  const coach = page.getByRole('complementary', { name: 'Training coach' });
  await coach.getByText(`Training: ${title}`).waitFor();
  return coach;
}

test('a buyer practises reading why a reorder is suggested, at 1024×768', async () => {
  const { server, store } = env;
  // Four weeks of pasta sales brought from an old system (as reorder.test does), and a low shelf.
  const rows = ['date,location,item,units'];
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  for (let back = 28; back >= 1; back--) rows.push(`${new Date(today - back * 86400000).toISOString().slice(0, 10)},${store.name},GRC-00001,12`);
  const file = path.join(server.dir, 'training-history.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const imported = cli(['planning', 'import-history', '--db', server.db, '--history', file]);
  assert.equal(imported.status, 0, `import-history: ${imported.stdout}${imported.stderr}`);
  const pasta = await itemByCode(server, PASTA);
  const have = await onHand(server, pasta.id, store.id);
  const low = await server.post('/api/v1/stock/adjustments', { item_id: pasta.id, location_id: store.id, quantity: 3 - have, reason: 'count', confirm: true, reason_code: 'count' });
  assert.equal(low.status, 201, low.text);
  const orders = async () => (await server.get('/api/v1/purchase-orders?limit=200')).json.purchase_orders.length;
  const ordersBefore = await orders();

  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.buyer);
  await page.waitForURL(/\/(register|office)/);
  const coach = await startModule(page, 'Reorders and a short delivery');
  const nav = page.getByRole('navigation', { name: 'Back office' });
  await nav.getByRole('link', { name: 'Reorder', exact: true }).click();
  await step(coach, 'Open Reorder');
  const why = page.getByRole('button', { name: /^Why \d+ of Brightfield Pasta 250 g\?$/ });
  assert.equal(await coach.getByRole('listitem', { name: /^Done: Press Why\?/ }).count(), 0, 'not ticked before Why? is pressed');
  await why.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: /^Why \d+ of Brightfield Pasta 250 g$/ }).waitFor();
  await step(coach, 'Press Why\\? on a suggestion');
  await fits(page, 'the buyer practising Why?');
  await page.screenshot({ path: screenshotPath('training-buyer-why.png') });
  for (const [link, done] of [['Purchase orders', 'Open Purchase orders'], ['Suppliers', 'Open Suppliers']]) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await step(coach, done);
  }
  await handIn(page, coach, 'Reorders and a short delivery', [1, 1, 0]);
  assert.equal(await orders(), ordersBefore, 'practice made no purchase order');
  await noIds(page, 'buyer training passed');
  await page.context().close();
});

test('a manager practises choosing the reason for a count difference without approving it, at 768×1024', async () => {
  const { server, store } = env;
  const pasta = await itemByCode(server, PASTA);
  const have = await onHand(server, pasta.id, store.id);
  const count = await server.post('/api/v1/counts', { location_id: store.id, item_ids: [pasta.id] });
  assert.equal(count.status, 201, count.text);
  const clerk = await server.signIn(DEMO.clerk.username, DEMO.clerk.password);
  const line = await clerk.post(`/api/v1/counts/${count.json.id}/lines`, { item_id: pasta.id, counted: have + 2 }, { 'idempotency-key': `train-count-${count.json.id}` });
  assert.ok([200, 201].includes(line.status), line.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.waitForURL(/\/(register|office)/);
  const coach = await startModule(page, 'Counts, the week and the trail');
  const nav = page.getByRole('navigation', { name: 'Back office' });
  await nav.getByRole('link', { name: 'Counts', exact: true }).click();
  await step(coach, 'Open Counts');
  await page.goto(`${server.url}/office/counts/${count.json.id}/review`);
  const table = page.getByRole('table', { name: 'Count review' });
  await waitOrExplain(page, table.getByRole('row', { name: /Brightfield Pasta/ }).getByRole('cell', { name: '+2', exact: true }));
  await page.getByLabel('Reason for Brightfield Pasta 250 g').selectOption('admin_error');
  await step(coach, 'Review a count with a difference');
  await fits(page, 'the manager practising a count review');
  await page.screenshot({ path: screenshotPath('training-manager-count.png') });
  for (const [link, done] of [['Weekly review', 'Open the Weekly review'], ['Audit log', 'Open the Audit log']]) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await step(coach, done);
  }
  await handIn(page, coach, 'Counts, the week and the trail', [1, 1, 0]);
  const after = (await server.get(`/api/v1/counts/${count.json.id}`)).json;
  assert.equal(after.status, 'open', 'the count was not approved in practice');
  assert.equal(await onHand(server, pasta.id, store.id), have, 'no stock moved');
  await noIds(page, 'manager training passed');
  await page.context().close();
});
