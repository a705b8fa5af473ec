// Click-and-collect in the store (issue 20): an order walked from the pick queue to pickup at
// tablet size — the queue by promised time (order number and first name, never an id), a
// wrong item scanned and refused with the reason, the right one scanned and tapped, a line
// short, a staging spot, then the pickup code at the register becomes the sale; the API
// confirms collected, stock out once, the short line owed back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, scan, itemByCode, onHand, signInAtRegister, fits, noIds } from './lib.mjs';

let env;
let pasta;
let tin;
before(async () => {
  env = await setup();
  pasta = await itemByCode(env.server, PASTA);
  const r = await env.server.post('/api/v1/items', { sku: `PICK-${process.pid}`, name: 'Quince paste tin', price: 650, tax_category: 'standard' });
  assert.equal(r.status, 201, r.text);
  tin = r.json;
  const a = await env.server.post('/api/v1/stock/adjustments', { item_id: tin.id, location_id: env.store.id, quantity: 1, reason: 'found' });
  assert.equal(a.status, 201, a.text);
});
after(async () => { await env?.close(); });

async function placeOrder(name, promised) {
  const r = await env.server.post('/api/v1/online-orders', {
    channel: 'web', external_id: `pick-${process.pid}-${name}`, location_id: env.store.id, promised_at: promised,
    customer: { name, email: 'pick@example.com' }, paid: true,
    lines: [{ item_id: pasta.id, quantity: 2, unit_price: pasta.price }, { item_id: tin.id, quantity: 1, unit_price: tin.price }],
  }, { 'idempotency-key': `pick-${process.pid}-${name}` });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('an order from the pick queue to pickup at the register, on a tablet (768×1024)', async () => {
  const order = await placeOrder('Anna Berg', '2030-01-01T10:00:00Z');
  const before = await onHand(env.server, pasta.id, env.store.id);
  const other = (await env.server.get('/api/v1/items?q=KIT-001&limit=1')).json.items[0];
  const wrong = (await env.server.get('/api/v1/items?status=active&limit=50')).json.items
    .find((i) => i.id !== pasta.id && i.kind !== 'parent' && i.barcodes?.length && i.id !== other?.id);
  assert.ok(wrong, 'a demo item with a barcode that is not on the order');

  const page = await env.page({ width: 768, height: 1024 });
  await signInAtRegister(page, DEMO.cashier);
  await page.goto(env.server.url + '/office/pick');
  const queue = page.getByRole('table', { name: 'Pick queue' });
  const row = queue.getByRole('row').filter({ hasText: order.number });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`Anna Berg · ${order.customer.number}`), 'the customer\'s name and number');
  await fits(page, 'pick queue');
  await noIds(page, 'pick queue');
  // The scan field has the cursor the moment the order is open, before any timer or frame:
  // a scanner's first digits must not land elsewhere.
  const focused = await row.getByRole('button', { name: `Pick ${order.number}` }).evaluate(async (button) => {
    button.click();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    return document.querySelector(`label[for="${document.activeElement?.id}"]`)?.textContent ?? null;
  });
  assert.equal(focused, 'Scan an item', 'the scan field has the focus at once');

  const picking = page.getByRole('region', { name: `Picking ${order.number}` });
  await picking.waitFor();
  assert.match(order.customer.number, /^C-\d{6}$/);
  assert.equal(await picking.getByRole('link', { name: `Customer ${order.customer.number}` }).count(), 1, 'a link to the customer');
  const box = page.getByLabel('Scan an item');
  // A wrong item is refused with the server's reason, in red, and nothing is picked.
  await box.pressSequentially(wrong.barcodes[0].code, { delay: 5 });
  await box.press('Enter');
  await page.locator('.notice').filter({ hasText: 'is not on order' }).waitFor();
  // The right item: once by scan, once by tap.
  await box.pressSequentially(PASTA, { delay: 5 });
  await box.press('Enter');
  await picking.getByLabel(`${pasta.name}: 1 of 2`).waitFor();
  await picking.getByRole('button', { name: `One more ${pasta.name}` }).click();
  await picking.getByLabel(`${pasta.name}: 2 of 2`).waitFor();
  // The tin is not on the shelf: short.
  await picking.getByRole('button', { name: `${tin.name} is short` }).click();
  await page.getByText('2 picked, 0 to go').waitFor();
  await fits(page, 'picking an order');
  await noIds(page, 'picking an order');
  await page.getByLabel('Staging spot (shelf or bin)').fill('Shelf B2');
  await page.getByRole('button', { name: 'Ready for pickup' }).click();
  await page.getByText(`${order.number} is ready for pickup at Shelf B2.`).waitFor();
  // The bag label: the link answers the PDF (its barcode is checked in integration.orders).
  const labelHref = await page.getByRole('link', { name: 'Print the bag label' }).getAttribute('href');
  const label = await page.evaluate(async (href) => {
    const r = await fetch(href, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
  }, labelHref);
  assert.deepEqual(label, { status: 200, type: 'application/pdf', head: '%PDF-' });
  await fits(page, 'order ready, with its label link');
  assert.equal(await queue.getByRole('row').filter({ hasText: order.number }).count(), 0, 'a ready order leaves the queue');

  // At the register: the pickup code becomes the sale.
  await page.goto(env.server.url + '/register');
  await page.getByRole('button', { name: 'Pickup' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pickup' });
  await dialog.getByLabel('Pickup code').fill(order.pickup_code.toLowerCase());
  await dialog.getByRole('button', { name: 'Hand over' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  await fits(page, 'pickup receipt');

  const done = (await env.server.get(`/api/v1/online-orders/${order.id}`)).json;
  assert.equal(done.status, 'collected');
  assert.equal(done.refund_due, tin.price, 'the short tin is owed back');
  assert.equal(await onHand(env.server, pasta.id, env.store.id), before - 2, 'the two packs left the shelf once');
  const sale = (await env.server.get(`/api/v1/sales/${done.sale_id}`)).json;
  assert.deepEqual(sale.lines.map((l) => [l.item_id, l.quantity]), [[pasta.id, 2]]);
  await page.context().close();
});

test('the pick screens fit a tablet in landscape (1024×768)', async () => {
  const order = await placeOrder('Bo Lind', '2030-01-02T10:00:00Z');
  const page = await env.page({ width: 1024, height: 768 });
  await signInAtRegister(page, DEMO.cashier);
  await page.goto(env.server.url + '/office/pick');
  const row = page.getByRole('table', { name: 'Pick queue' }).getByRole('row').filter({ hasText: order.number });
  await row.waitFor();
  await fits(page, 'pick queue, landscape');
  await row.getByRole('button', { name: `Pick ${order.number}` }).click();
  await page.getByLabel('Scan an item').waitFor();
  await fits(page, 'picking, landscape');
  await noIds(page, 'picking, landscape');
  await page.context().close();
});

// An order of one pasta, not paid online, picked and staged through the API.
async function stagedUnpaid(tag, name, promised) {
  const r = await env.server.post('/api/v1/online-orders', {
    channel: 'web', external_id: `pick-${process.pid}-${tag}`, location_id: env.store.id, promised_at: promised,
    customer: { name, phone: '+46 70 000 00 00' }, paid: false, lines: [{ item_id: pasta.id, quantity: 1, unit_price: pasta.price }],
  }, { 'idempotency-key': `pick-${process.pid}-${tag}` });
  assert.equal(r.status, 201, r.text);
  for (const [path, body] of [['pick', { item_id: pasta.id, quantity: 1 }], ['stage', { spot: 'Counter' }]]) {
    const x = await env.server.post(`/api/v1/online-orders/${r.json.id}/${path}`, body);
    assert.equal(x.status, 200, x.text);
  }
  return r.json;
}

// At the register: the pickup code of an order not paid online; the dialog asks for the money.
async function pickupToPay(page, order) {
  await signInAtRegister(page, DEMO.cashier);
  await page.getByRole('button', { name: 'Pickup' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pickup' });
  await dialog.getByLabel('Pickup code').fill(order.pickup_code);
  await dialog.getByRole('button', { name: 'Hand over' }).click();
  await dialog.getByText(/Not paid online: .* to pay now\./).waitFor();
  return dialog;
}

test('an order not paid online is paid in cash at pickup', async () => {
  const order = await stagedUnpaid('unpaid', 'Cai Moss', '2030-01-03T10:00:00Z');
  const page = await env.page({ width: 768, height: 1024 });
  const dialog = await pickupToPay(page, order);
  await fits(page, 'unpaid pickup');
  await dialog.getByLabel('Cash tendered').fill('5');
  await dialog.getByRole('button', { name: 'Take cash and hand over' }).click();
  await dialog.getByText(/Take at least/).waitFor();
  await dialog.getByLabel('Cash tendered').fill('20');
  await dialog.getByRole('button', { name: 'Take cash and hand over' }).click();
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  const done = (await env.server.get(`/api/v1/online-orders/${order.id}`)).json;
  assert.equal(done.status, 'collected');
  const sale = (await env.server.get(`/api/v1/sales/${done.sale_id}`)).json;
  assert.deepEqual(sale.tenders.map((t) => [t.type, t.amount]), [['cash', 2000]]);
  assert.equal(sale.change_due, 2000 - pasta.price);
  await page.context().close();
});

test('an order not paid online is paid by card at pickup (the terminal reference, by Enter)', async () => {
  const order = await stagedUnpaid('card', 'Dag Ek', '2030-01-04T10:00:00Z');
  const page = await env.page({ width: 1024, height: 768 });
  const dialog = await pickupToPay(page, order);
  await dialog.getByRole('button', { name: 'Card paid: hand over' }).click();
  await dialog.getByText('Card needs the terminal reference.').waitFor();
  await fits(page, 'card at pickup');
  await dialog.getByLabel('Or card: terminal reference').fill('TRM-4711');
  await dialog.getByLabel('Or card: terminal reference').press('Enter');
  await page.getByRole('article', { name: 'Receipt' }).waitFor();
  const done = (await env.server.get(`/api/v1/online-orders/${order.id}`)).json;
  assert.equal(done.status, 'collected');
  const sale = (await env.server.get(`/api/v1/sales/${done.sale_id}`)).json;
  assert.deepEqual(sale.tenders.map((t) => [t.type, t.amount, t.reference]), [['card', pasta.price, 'TRM-4711']]);
  await page.context().close();
});

test('the order being picked links to its customer: the customers page opens on that number, no ids (1024×768)', async () => {
  const order = await placeOrder('Eva Linked', '2030-01-05T10:00:00Z');
  const page = await env.page({ width: 1024, height: 768 });
  await signInAtRegister(page, DEMO.cashier);
  await page.goto(env.server.url + '/office/pick');
  await page.getByRole('button', { name: `Pick ${order.number}` }).click();
  const picking = page.getByRole('region', { name: `Picking ${order.number}` });
  await picking.getByText(`for Eva Linked · ${order.customer.number}`).waitFor();
  await fits(page, 'the order with its customer link');
  await picking.getByRole('link', { name: `Customer ${order.customer.number}` }).click();
  const row = page.getByRole('table', { name: 'Customers' }).getByRole('row').filter({ hasText: order.customer.number });
  await row.waitFor();
  assert.equal(await page.getByRole('table', { name: 'Customers' }).getByRole('row').count(), 2, 'the header and that one customer');
  await noIds(page, 'the linked customer');
  await page.context().close();
});
