// A short line offered a substitute (issue 20): on the tablet (768×1024 and 1024×768) the
// picker taps "Offer a substitute", chooses from items of the same category in stock, and
// the line says it waits for the customer; the customer opens the link from the message on a
// phone (390×844), with no sign-in, reads what is short, what is offered and what it does to
// the money, and accepts (or declines); back on the tablet the substitute is a line to pick,
// "instead of" the short one. Never an id on screen, targets ≥ 44 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setup, signIn, signInAtRegister, fits, noIds } from './lib.mjs';

let env;
const category = `Jams ${process.pid}`;
const items = {};
before(async () => {
  env = await setup();
  for (const [key, name, price, stock] of [['fig', 'Fig jam 340 g', 450, 0], ['apricot', 'Apricot jam 340 g', 520, 6],
    ['quince', 'Quince jam 340 g', 390, 4]]) {
    const r = await env.server.post('/api/v1/items', { sku: `SUB-${key}-${process.pid}`, name, price, category, tax_category: 'standard' });
    assert.equal(r.status, 201, r.text);
    items[key] = r.json;
    if (stock) {
      const a = await env.server.post('/api/v1/stock/adjustments', { item_id: r.json.id, location_id: env.store.id, quantity: stock, reason: 'found' });
      assert.equal(a.status, 201, a.text);
    }
  }
});
after(async () => { await env?.close(); });

async function shortOrder(name) {
  const r = await env.server.post('/api/v1/online-orders', {
    channel: 'web', external_id: `sub-${process.pid}-${name}`, location_id: env.store.id, promised_at: '2030-01-01T10:00:00Z',
    customer: { name, email: 'jam@example.com' }, paid: true,
    lines: [{ item_id: items.fig.id, quantity: 1, unit_price: 450 }],
  }, { 'idempotency-key': `sub-${process.pid}-${name}` });
  assert.equal(r.status, 201, r.text);
  const s = await env.server.post(`/api/v1/online-orders/${r.json.id}/short`, { line_id: r.json.lines[0].id });
  assert.equal(s.status, 200, s.text);
  return r.json;
}

async function linkOf(order) {
  const r = await env.server.get('/api/v1/events?limit=500&type=order.substitution_offered');
  assert.equal(r.status, 200, r.text);
  const mine = r.json.events.filter((e) => e.entity_id === order.id);
  return mine[mine.length - 1].data.message.link_path;
}

for (const [viewport, answer] of [[{ width: 768, height: 1024 }, 'accept'], [{ width: 1024, height: 768 }, 'decline']]) {
  test(`offer a substitute on the tablet, the customer ${answer}s on a phone (${viewport.width}×${viewport.height})`, async () => {
    const order = await shortOrder(`Jo ${answer} ${viewport.width}`);
    const page = await env.page(viewport);
    await signIn(page, DEMO.manager);
    await page.waitForURL(/\/(register|office)/);
    await page.goto(env.server.url + '/office/pick');
    const row = page.getByRole('table', { name: 'Pick queue' }).getByRole('row').filter({ hasText: order.number });
    await row.getByRole('button', { name: `Pick ${order.number}` }).click();
    const picking = page.getByRole('region', { name: `Picking ${order.number}` });
    await picking.getByRole('button', { name: `Offer a substitute for ${items.fig.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Instead of ${items.fig.name}` });
    const choices = dialog.getByRole('list', { name: 'Substitutes' }).getByRole('button');
    await choices.first().waitFor();
    assert.deepEqual((await choices.allInnerTexts()).map((t) => t.split('\n')[0].split(' · ')[0].replace(/ SUB-.*/, '')),
      ['Quince jam 340 g', 'Apricot jam 340 g'], 'same category, in stock, the closest price first');
    await fits(page, 'offer a substitute');
    await noIds(page, 'offer a substitute');
    await dialog.getByRole('button', { name: `Offer ${items.apricot.name}` }).click();
    await picking.getByRole('status').filter({ hasText: `${items.apricot.name} (0.70 more): waiting for Jo` }).waitFor();

    // The customer, on a phone, with no session.
    const link = await linkOf(order);
    const phone = await env.page({ width: 390, height: 844 });
    await phone.goto(env.server.url + link);
    await phone.getByRole('heading', { name: `Your order ${order.number}` }).waitFor();
    const text = await phone.locator('main').innerText();
    assert.match(text, /out of 1 × Fig jam 340 g/);
    assert.match(text, /1 × Apricot jam 340 g/);
    assert.match(text, /You pay 0\.70 more when you collect/);
    await fits(phone, 'the customer\'s offer page');
    await noIds(phone, 'the customer\'s offer page');
    if (answer === 'accept') {
      await phone.getByRole('button', { name: `Yes, accept ${items.apricot.name}` }).click();
      await phone.getByText('Thank you: we will pack it for you.').waitFor();
    } else {
      await phone.getByRole('button', { name: 'No thanks' }).click();
      await phone.getByText('Understood: we leave it out').waitFor();
    }
    await phone.context().close();

    // Back on the tablet: the answer shows; an accepted substitute is a line to pick.
    await picking.getByRole('button', { name: 'Back to the queue' }).click();
    await page.getByRole('table', { name: 'Pick queue' }).getByRole('row').filter({ hasText: order.number })
      .getByRole('button', { name: `Pick ${order.number}` }).click();
    if (answer === 'accept') {
      const added = picking.getByRole('listitem', { name: items.apricot.name });
      await added.getByText(`instead of ${items.fig.name}`).waitFor();
      await picking.getByRole('status').filter({ hasText: 'accepted by Jo' }).waitFor();
      await added.getByRole('button', { name: `One more ${items.apricot.name}` }).click();
      await picking.getByLabel(`${items.apricot.name}: 1 of 1`).waitFor();
    } else {
      await picking.getByRole('status').filter({ hasText: 'declined by Jo — the line is refunded at pickup' }).waitFor();
    }
    await fits(page, `after the customer's ${answer}`);
    await noIds(page, `after the customer's ${answer}`);
    const o = (await env.server.get(`/api/v1/online-orders/${order.id}`)).json;
    assert.equal(o.substitutions[0].status, answer === 'accept' ? 'accepted' : 'declined');
    assert.equal(o.lines.length, answer === 'accept' ? 2 : 1);
    await page.context().close();
    if (answer !== 'accept') return;

    // Staged, then at the till: paid online, the dearer jam's 0.70 is taken in cash.
    assert.equal((await env.server.post(`/api/v1/online-orders/${order.id}/stage`, { spot: 'Jam shelf' })).status, 200);
    const till = await env.page(viewport);
    await signInAtRegister(till, DEMO.cashier);
    await till.getByRole('button', { name: 'Pickup' }).click();
    const pickup = till.getByRole('dialog', { name: 'Pickup' });
    await pickup.getByLabel('Pickup code').fill(order.pickup_code);
    await pickup.getByRole('button', { name: 'Hand over' }).click();
    await pickup.getByText('Paid online; the substitute the customer accepted costs 0.70 more: to pay now.').waitFor();
    await fits(till, 'pickup with a substitute to pay');
    await pickup.getByLabel('Cash tendered').fill('1');
    await pickup.getByRole('button', { name: 'Take cash and hand over' }).click();
    await till.getByRole('article', { name: 'Receipt' }).waitFor();
    const done = (await env.server.get(`/api/v1/online-orders/${order.id}`)).json;
    assert.equal(done.status, 'collected');
    assert.equal(done.refund_due, 0, 'the fig jam was replaced, not refunded');
    const sale = (await env.server.get(`/api/v1/sales/${done.sale_id}`)).json;
    assert.deepEqual(sale.tenders.map((t) => [t.type, t.amount]), [['card', 450], ['cash', 100]]);
    assert.equal(sale.change_due, 30);
    await till.context().close();
  });
}
