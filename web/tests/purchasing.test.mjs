// Issue 16 in the browser: suppliers (create, items by scan, a price list with a bad row,
// bank details that wait for a second person), and a purchase order from draft to closed:
// create → send → receive partly by scans → receive the rest → close short, at a desk
// (1280×800) and on tablets (768×1024, 1024×768) with every touch target measured. Each step is
// checked through the API and the stock ledger; no screen shows an id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, PASTA, setup, signIn, onHand, itemByCode, screenshotPath, noIds, fits } from './lib.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

// GS1: the check digit of a code's body, weights 3,1,3,… from the right.
function check(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}
const ean13 = (d12) => d12 + check(d12);
const caseOf = (indicator, unit13) => indicator + unit13.slice(0, 12) + check(indicator + unit13.slice(0, 12));
// The demo shop's grocery: pasta in cases of 6, rice in cases of 12; tea is on no order here.
const PASTA_CASE = caseOf('1', PASTA); // 18712300100005
const RICE = ean13('871230010001');
const RICE_CASE = caseOf('1', RICE);
const TEA = ean13('871230010003');
const IBAN_1 = 'NL91ABNA0417164300';
const IBAN_2 = 'GB82WEST12345698765432'; // not DE…: a German IBAN reads like a slice of hex to the id check

/** A keyboard-wedge scanner: the code typed at 5 ms per key, then Enter, into the named field. */
async function wedge(page, label, code) {
  const box = page.getByLabel(label, { exact: true });
  await box.pressSequentially(code, { delay: 5 });
  await box.press('Enter');
}

async function screen(page, name) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** A supplier with pasta (cases of 6) and rice (cases of 12), made through the API. */
async function supplierViaApi(server, name) {
  const buyer = await server.signIn(DEMO.buyer.username, DEMO.buyer.password);
  const s = await buyer.post('/api/v1/suppliers', {
    name, contact: { email: 'orders@example.com', phone: '+31 20 555 0100' }, lead_time_days: 2, order_days: [],
    min_order_value: 50000, free_freight_value: null,
  });
  assert.equal(s.status, 201, s.text);
  const pasta = await itemByCode(server, PASTA);
  const rice = await itemByCode(server, RICE);
  for (const [item, sku, cost, pack, gtin] of [[pasta, 'BF-PASTA', 95, 6, PASTA_CASE], [rice, 'BF-RICE', 110, 12, RICE_CASE]]) {
    const r = await buyer.post(`/api/v1/suppliers/${s.json.id}/items`, { item_id: item.id, supplier_sku: sku, cost, case_pack: pack, case_gtin: gtin, preferred: true });
    assert.ok(r.status === 201 || r.status === 200, r.text);
  }
  return { supplier: s.json, pasta, rice, buyer };
}

const lineNumber = (page, what, name) => page.getByLabel(`${what} of ${name}`, { exact: true }).innerText();

test('a buyer creates a supplier, adds items by scan and by price list; bank details wait for a second person', async () => {
  const { server } = env;
  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.buyer);
  await screen(page, 'Suppliers');
  await page.getByRole('button', { name: 'New supplier' }).click();
  const dialog = page.getByRole('dialog', { name: 'New supplier' });
  await dialog.getByLabel('Name', { exact: true }).fill('Harbour Wholesale');
  await dialog.getByLabel('Email').fill('orders@harbour.example');
  await dialog.getByLabel('Phone').fill('+31 10 555 0199');
  await dialog.getByLabel('Lead time (days)').fill('3');
  await dialog.getByLabel('Minimum order value').fill('150');
  await dialog.getByLabel('mon').check();
  await dialog.getByLabel('thu').check();
  await dialog.getByLabel('Account name').fill('Harbour Wholesale BV');
  await dialog.getByLabel('IBAN').fill(IBAN_1);
  await dialog.getByLabel('BIC').fill('ABNANL2A');
  await dialog.getByRole('button', { name: 'Create supplier' }).click();
  const card = page.getByRole('region', { name: 'Supplier' });
  await card.getByRole('heading', { name: 'Harbour Wholesale', exact: true }).waitFor();
  const listed = (await server.get('/api/v1/suppliers?q=Harbour')).json.suppliers;
  assert.equal(listed.length, 1);
  assert.deepEqual([listed[0].lead_time_days, listed[0].min_order_value, listed[0].order_days], [3, 15000, ['mon', 'thu']]);
  // The buyer never sees the full account number.
  assert.ok(!(await page.locator('body').innerText()).includes('0417164300'), 'bank details are masked for the buyer');

  // An item by scanning its case: the case pack and case barcode come with the scan.
  await wedge(page, 'Add an item this supplier sells', PASTA_CASE);
  const add = page.getByRole('dialog', { name: 'Brightfield Pasta 250 g from Harbour Wholesale' });
  assert.equal(await add.getByLabel('Case pack').inputValue(), '6');
  assert.equal(await add.getByLabel('Case barcode (GTIN-14)').inputValue(), PASTA_CASE);
  await add.getByLabel('Supplier SKU').fill('HW-PASTA');
  await add.getByLabel('Cost per unit').fill('0.95');
  await add.getByRole('button', { name: 'Add item' }).click();
  const items = page.getByRole('table', { name: 'Supplier items' });
  await items.getByRole('row', { name: /Brightfield Pasta 250 g \(GRC-00001\).*HW-PASTA/ }).waitFor();

  // A price list with two bad rows imports nothing and names each row; the good one imports.
  const header = 'supplier_sku,gtin,sku,cost,case_pack,case_gtin\n';
  const good = `HW-RICE,${RICE},,1.10,12,${RICE_CASE}\n`;
  const file = page.getByLabel('Import a price list (CSV)');
  await file.setInputFiles({ name: 'harbour.csv', mimeType: 'text/csv', buffer: Buffer.from(header + good + 'HW-X,,NO-SUCH-SKU,1.00,6,\n' + `HW-TEA,${TEA},,abc,6,\n`) });
  await page.getByRole('alert').filter({ hasText: 'Nothing was imported: 2 rows have problems.' }).waitFor();
  const problems = page.getByRole('table', { name: 'Price list problems' });
  assert.equal(await problems.getByRole('row').count(), 3, 'a header and one row per bad line');
  assert.deepEqual(await problems.getByRole('row').nth(1).getByRole('cell').first().innerText(), '3');
  assert.match(await problems.getByRole('row').nth(2).innerText(), /4\s+cost/);
  assert.equal(await items.getByRole('row', { name: /Brightfield Rice/ }).count(), 0, 'all or nothing');
  await file.setInputFiles({ name: 'harbour.csv', mimeType: 'text/csv', buffer: Buffer.from(header + good) });
  await page.getByRole('status').filter({ hasText: 'Price list imported: 1 row (1 new, 0 changed).' }).waitFor();
  await items.getByRole('row', { name: /Brightfield Rice 250 g.*HW-RICE/ }).waitFor();
  await noIds(page, 'a supplier with items');

  // The bank details given at creation wait; the buyer cannot approve them.
  const pendingBuyer = page.getByRole('region', { name: 'Bank details waiting for approval' });
  await pendingBuyer.getByRole('row', { name: /Harbour Wholesale/ }).getByText('You filed this change: another person must approve it.').waitFor();
  assert.equal(await pendingBuyer.getByRole('button', { name: /Approve/ }).count(), 0);
  await page.screenshot({ path: screenshotPath('purchasing-supplier.png') });
  await page.context().close();

  // A manager approves them; then files a change of their own, which they cannot approve.
  const mgr = await env.page({ width: 1280, height: 800 });
  await signIn(mgr, DEMO.manager);
  await screen(mgr, 'Suppliers');
  const pending = mgr.getByRole('region', { name: 'Bank details waiting for approval' });
  await pending.getByRole('button', { name: 'Approve bank details of Harbour Wholesale' }).click();
  await pending.getByRole('status').filter({ hasText: 'Bank details of Harbour Wholesale approved: they apply now.' }).waitFor();
  await mgr.getByLabel('Find a supplier').fill('Harbour');
  await mgr.getByRole('button', { name: 'Search', exact: true }).click();
  await mgr.getByRole('button', { name: 'Open Harbour Wholesale' }).click();
  await mgr.getByLabel('Bank details', { exact: true }).filter({ hasText: IBAN_1 }).waitFor();
  await mgr.getByRole('button', { name: 'Change bank details' }).click();
  const change = mgr.getByRole('dialog', { name: 'New bank details for Harbour Wholesale' });
  await change.getByLabel('IBAN').fill(IBAN_2);
  await change.getByRole('button', { name: 'File for approval' }).click();
  await mgr.getByRole('status').filter({ hasText: 'Bank details change filed' }).waitFor();
  const mine = pending.getByRole('row', { name: /Harbour Wholesale/ });
  await mine.getByText('You filed this change: another person must approve it.').waitFor();
  assert.ok(await mine.getByRole('button', { name: 'Approve bank details of Harbour Wholesale' }).isDisabled(), 'the one who filed it cannot approve it');
  await mgr.getByLabel('Bank details', { exact: true }).filter({ hasText: IBAN_1 }).waitFor(); // the old details still apply
  await noIds(mgr, 'the approval screen');
  await mgr.evaluate(() => scrollTo(0, 0));
  await mgr.screenshot({ path: screenshotPath('purchasing-supplier-approval.png') });
  // The server agrees: the same person approving is refused.
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  const changeId = (await server.get('/api/v1/supplier-changes?status=pending')).json.changes.find((c) => c.requested_by === DEMO.manager.username).id;
  const refused = await manager.post(`/api/v1/supplier-changes/${changeId}/approve`, {});
  assert.equal(refused.status, 403);
  assert.equal(refused.json.code, 'same_user');
  await mgr.context().close();
});

test('a purchase order: create → send → receive partly by scans → receive the rest → close short', async () => {
  const { server, store } = env;
  const { pasta, rice } = await supplierViaApi(server, 'Brightfield Foods');
  const pastaStart = await onHand(server, pasta.id, store.id);
  const riceStart = await onHand(server, rice.id, store.id);
  const pastaName = 'Brightfield Pasta 250 g (GRC-00001)';
  const riceName = 'Brightfield Rice 250 g (GRC-00002)';

  // 1. The buyer drafts it: pasta by scan (10 asked, rounded up to 2 cases), rice by search.
  const page = await env.page({ width: 1280, height: 800 });
  await signIn(page, DEMO.buyer);
  await screen(page, 'Purchase orders');
  await page.getByRole('button', { name: 'New order' }).click();
  const draft = page.getByRole('region', { name: 'New purchase order' });
  await draft.getByLabel('Supplier', { exact: true }).selectOption({ label: 'Brightfield Foods' });
  await draft.getByRole('table', { name: 'Order lines' }).waitFor();
  await page.waitForLoadState('networkidle');
  await wedge(page, 'Add an item', PASTA);
  const units = draft.getByLabel('Units of Brightfield Pasta 250 g');
  await units.waitFor();
  assert.equal(await units.inputValue(), '6', 'a scan adds a case of what the supplier packs');
  await units.fill('10');
  await draft.getByRole('row', { name: /Brightfield Pasta/ }).getByText('2 (rounded up from 1.67) cases of 6').waitFor();
  await wedge(page, 'Add an item', 'Brightfield Rice 250 g');
  await draft.getByRole('button', { name: 'Add Brightfield Rice 250 g' }).click();
  assert.equal(await draft.getByLabel('Units of Brightfield Rice 250 g').inputValue(), '12');
  await noIds(page, 'a new order');
  await draft.getByRole('button', { name: 'Save draft' }).click();
  const card = page.getByRole('region', { name: 'Purchase order' });
  const heading = card.getByRole('heading', { name: /^Order PO-\d+ · Brightfield Foods · draft$/ });
  await heading.waitFor();
  const number = (await heading.innerText()).match(/PO-\d+/)[0];
  const warnings = card.getByRole('status', { name: 'Warnings' });
  await warnings.waitFor();
  assert.equal(await warnings.getByRole('listitem').count(), 2, 'rounded to cases, and below the minimum order value');
  const pastaRow = card.getByRole('table', { name: 'Purchase order lines' }).getByRole('row', { name: new RegExp(pastaName.replace(/[()]/g, '\\$&')) });
  assert.match(await pastaRow.innerText(), /BF-PASTA\s+12\s+2 cases of 6\s+0\.95/);
  await noIds(page, 'a draft order');

  // 2. Sent; the document as the supplier gets it.
  await card.getByRole('button', { name: 'Send order' }).click();
  await card.getByRole('heading', { name: `Order ${number} · Brightfield Foods · sent` }).waitFor();
  const pdf = await page.request.get(server.url + await card.getByRole('link', { name: 'Download PDF' }).getAttribute('href'));
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  const csv = await page.request.get(server.url + await card.getByRole('link', { name: 'Download CSV' }).getAttribute('href'));
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /BF-PASTA/);
  await page.getByLabel('Show').selectOption('sent');
  await page.getByRole('table', { name: 'Purchase orders' }).getByRole('row', { name: new RegExp(number) }).getByRole('cell', { name: 'sent', exact: true }).waitFor();
  await page.context().close();
  const order = (await server.get('/api/v1/purchase-orders?status=sent')).json.purchase_orders.find((p) => p.number === number);
  assert.deepEqual(order.lines.map((l) => [l.quantity, l.cases]), [[12, 2], [12, 1]]);

  // 3. The clerk scans the number on the printed order, then a case of pasta, one pasta, a tea
  //    that is not on the order, and a case of rice; finishes with a discrepancy summary.
  const clerk = await env.page({ width: 1280, height: 800 });
  await signIn(clerk, DEMO.clerk);
  await screen(clerk, 'Receiving');
  await clerk.getByRole('list', { name: 'Orders waiting for delivery' }).getByRole('button', { name: `Receive order ${number}` }).waitFor();
  await wedge(clerk, 'Scan or type the order number', number);
  await clerk.getByRole('heading', { name: `Order ${number} · Brightfield Foods · sent` }).waitFor();
  await clerk.getByLabel('Scan cases and items').waitFor();
  assert.ok(await clerk.getByLabel('Scan cases and items').evaluate((e) => e === document.activeElement), 'the scan field has the focus');
  await wedge(clerk, 'Scan cases and items', PASTA_CASE);
  await clerk.getByRole('status', { name: 'Last scan' }).filter({ hasText: `+6 ${pastaName} (a case of 6)` }).waitFor();
  await wedge(clerk, 'Scan cases and items', PASTA);
  await clerk.getByRole('status', { name: 'Last scan' }).filter({ hasText: `+1 ${pastaName}` }).waitFor();
  // At a desk the keyboard alone corrects the last line: + one more, − one less.
  await clerk.getByLabel('Scan cases and items').press('+');
  await clerk.getByLabel(`Received of ${pastaName}`, { exact: true }).filter({ hasText: /^8$/ }).waitFor();
  await clerk.getByLabel('Scan cases and items').press('-');
  await clerk.getByLabel(`Received of ${pastaName}`, { exact: true }).filter({ hasText: /^7$/ }).waitFor();
  await wedge(clerk, 'Scan cases and items', TEA);
  const stray = clerk.getByRole('region', { name: 'Not on this order' });
  await stray.getByText('Brightfield Tea 250 g (GRC-00004) · 1 scan').waitFor();
  // The rice case by its GS1-128 label as the scanner sends it: "]C1", the case GTIN (AI 01),
  // its expiry (AI 17) and batch (AI 10).
  await wedge(clerk, 'Scan cases and items', `]C101${RICE_CASE}1727123110L42`);
  await clerk.getByRole('status', { name: 'Last scan' }).filter({ hasText: `+12 ${riceName} (a case of 12)` }).waitFor();
  assert.deepEqual([await lineNumber(clerk, 'Expected', pastaName), await lineNumber(clerk, 'Received', pastaName), await lineNumber(clerk, 'Open', pastaName)], ['12', '7', '5']);
  assert.deepEqual([await lineNumber(clerk, 'Received', riceName), await lineNumber(clerk, 'Open', riceName)], ['12', '0']);
  assert.equal(await clerk.getByRole('button', { name: 'Close short' }).count(), 0, 'a clerk does not close orders');
  await noIds(clerk, 'receiving');
  await clerk.getByRole('button', { name: 'Finish receipt (19 units)' }).click();
  const summary = clerk.getByRole('region', { name: 'Discrepancy summary' });
  await summary.getByRole('heading', { name: 'Receipt booked · 5 short, 1 scan not on the order' }).waitFor();
  await summary.getByText('The order stays open for what is still to come (5 units).').waitFor();
  await summary.getByRole('table', { name: 'Discrepancies' }).getByRole('row', { name: /Brightfield Pasta/ }).waitFor();
  await noIds(clerk, 'the discrepancy summary');
  assert.equal(await onHand(server, pasta.id, store.id), pastaStart + 7);
  assert.equal(await onHand(server, rice.id, store.id), riceStart + 12);
  let po = (await server.get(`/api/v1/purchase-orders/${order.id}`)).json;
  assert.equal(po.status, 'partially_received');
  await clerk.context().close();

  // 4. The rest, on another device (nothing remembered there): four more by touch, one of them
  //    damaged; the last one never comes.
  const floor = await env.page({ width: 1280, height: 800 });
  await signIn(floor, DEMO.clerk);
  await screen(floor, 'Receiving');
  await floor.getByRole('button', { name: `Receive order ${number}` }).click();
  await floor.getByRole('heading', { name: `Order ${number} · Brightfield Foods · partly received` }).waitFor();
  for (let i = 0; i < 4; i++) await floor.getByRole('button', { name: `One more of ${pastaName}` }).click();
  await floor.getByRole('button', { name: `Mark one damaged of ${pastaName}` }).click();
  assert.deepEqual([await lineNumber(floor, 'Received', pastaName), await lineNumber(floor, 'Damaged', pastaName), await lineNumber(floor, 'Open', pastaName)], ['11', '1', '1']);
  await floor.screenshot({ path: screenshotPath('purchasing-receiving-desktop.png') });
  await floor.getByRole('button', { name: 'Finish receipt (4 units)' }).click();
  await floor.getByRole('region', { name: 'Discrepancy summary' }).getByRole('heading', { name: 'Receipt booked · 1 short, 1 damaged' }).waitFor();
  assert.equal(await onHand(server, pasta.id, store.id), pastaStart + 10, 'the damaged one is not on the shelf');
  await floor.context().close();

  // 5. A manager closes it short with a reason.
  const mgr = await env.page({ width: 1280, height: 800 });
  await signIn(mgr, DEMO.manager);
  await screen(mgr, 'Purchase orders');
  await mgr.getByLabel('Show').selectOption('partially_received');
  await mgr.getByRole('button', { name: `Open order ${number}` }).click();
  const mcard = mgr.getByRole('region', { name: 'Purchase order' });
  await mcard.getByRole('button', { name: 'Close short' }).click();
  const close = mgr.getByRole('dialog', { name: `Close order ${number} short` });
  await close.getByText('1 unit still open will be cancelled.').waitFor();
  await close.getByRole('button', { name: 'Close short' }).click();
  await close.getByRole('alert').filter({ hasText: 'Say why the rest will not come.' }).waitFor();
  await close.getByLabel('Reason').fill('supplier out of stock');
  await close.getByRole('button', { name: 'Close short' }).click();
  await mcard.getByRole('heading', { name: `Order ${number} · Brightfield Foods · closed short` }).waitFor();
  await noIds(mgr, 'a closed order');
  po = (await server.get(`/api/v1/purchase-orders/${order.id}`)).json;
  assert.equal(po.status, 'closed');
  assert.equal(po.close_reason, 'supplier out of stock');
  assert.deepEqual(po.lines.map((l) => [l.received, l.damaged]), [[11, 1], [12, 0]]);
  await mgr.context().close();
});

for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`receiving on a tablet in ${label}: scans, a stray, over the order with a manager's PIN`, async () => {
    const { server, store } = env;
    const { supplier, pasta, rice, buyer } = await supplierViaApi(server, `Tablet Foods ${label}`);
    const made = await buyer.post('/api/v1/purchase-orders', { supplier_id: supplier.id, location_id: store.id, lines: [{ item_id: pasta.id, quantity: 12 }, { item_id: rice.id, quantity: 24 }] });
    assert.equal(made.status, 201, made.text);
    assert.equal((await buyer.post(`/api/v1/purchase-orders/${made.json.id}/send`, {})).status, 200);
    const number = made.json.number;
    const pastaName = 'Brightfield Pasta 250 g (GRC-00001)';
    const pastaStart = await onHand(server, pasta.id, store.id);

    const page = await env.page(viewport);
    await signIn(page, DEMO.lead);
    await screen(page, 'Suppliers');
    await page.getByRole('table', { name: 'Suppliers' }).getByRole('row', { name: new RegExp(`Tablet Foods ${label}`) }).waitFor();
    await fits(page, 'suppliers');
    await page.getByRole('button', { name: `Open Tablet Foods ${label}` }).click();
    await page.getByRole('table', { name: 'Supplier items' }).getByRole('row', { name: /BF-RICE/ }).waitFor();
    await fits(page, 'a supplier');
    await screen(page, 'Purchase orders');
    await page.getByRole('button', { name: `Open order ${number}` }).click();
    await page.getByRole('region', { name: 'Purchase order' }).getByRole('heading', { name: new RegExp(`Order ${number}`) }).waitFor();
    await fits(page, 'a purchase order');
    await page.getByRole('region', { name: 'Purchase order' }).getByRole('button', { name: 'Receive', exact: true }).click();
    await page.getByRole('heading', { name: `Order ${number} · Tablet Foods ${label} · sent` }).waitFor();
    await fits(page, 'receiving, nothing counted');

    // Three cases of pasta for twelve ordered, a case of rice, a tea that is not on the order.
    for (let i = 0; i < 3; i++) await wedge(page, 'Scan cases and items', PASTA_CASE);
    await wedge(page, 'Scan cases and items', RICE_CASE);
    await wedge(page, 'Scan cases and items', TEA);
    await page.getByRole('region', { name: 'Not on this order' }).getByText(/Brightfield Tea/).waitFor();
    assert.equal(await lineNumber(page, 'Received', pastaName), '18');
    await page.getByRole('listitem', { name: pastaName }).getByText('Over').waitFor();
    await fits(page, 'receiving with scans');
    await page.screenshot({ path: screenshotPath(`purchasing-receiving-tablet-${label}.png`) });

    // Six over twelve is past the 10 % tolerance: the shift lead asks a manager, who types a PIN.
    await page.getByRole('button', { name: 'Finish receipt (30 units)' }).click();
    const ask = page.getByRole('dialog', { name: 'Manager override' });
    await ask.waitFor();
    await fits(page, 'the override');
    await ask.getByLabel('Manager username').fill(DEMO.manager.username);
    await ask.getByLabel('Manager password or PIN').fill(DEMO.manager.pin);
    await ask.getByLabel('Override reason').fill('supplier sent a case extra');
    await ask.getByRole('button', { name: 'Approve' }).click();
    const summary = page.getByRole('region', { name: 'Discrepancy summary' });
    await summary.getByRole('heading', { name: 'Receipt booked · 12 short, 6 over, 1 scan not on the order' }).waitFor();
    await fits(page, 'the discrepancy summary');
    assert.equal(await onHand(server, pasta.id, store.id), pastaStart + 18);
    const po = (await server.get(`/api/v1/purchase-orders/${made.json.id}`)).json;
    assert.equal(po.status, 'partially_received');
    assert.deepEqual(po.lines.map((l) => l.received), [18, 12]);
    await summary.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: 'Pick another order' }).click();
    await page.getByLabel('Scan or type the order number').waitFor();
    await fits(page, 'picking an order');
    await page.context().close();
  });
}
