// Store nodes in the browser (issue 21, docs/sync.md): at head office a manager adds a store
// node on the Store sync page and is shown its key once, then sees the node listed; on a store
// node whose head office cannot be reached (its upstream is a closed port), the register and
// the Store sync page both say "Head office unreachable since … — 1 sale and … other documents
// waiting to send",
// while the register keeps selling; at head office a conflict found while posting a node's
// sale (sold at another price) is listed with its rule and resolved with a note (Enter in the note field).
// Change requests: on the node an item edit says "Sent to head office for approval" (nothing
// changes there); at head office a manager taps Apply on the store's request and the item changes.
// A store's cancel of a shipment head office does not hold is listed as "Shipment cancel not
// applied", in words (its number, reason and items by name and SKU), and resolved with a note.
// A store's sale that spent more store credit than head office held (store_credit_overdrawn) is
// settled on the Sync page as "Written off (a loss)" and shows on the Store credit page's
// write-offs. At 1024×768 and 768×1024, no ids on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, DIST, PASTA, setup, signIn, signInAtRegister, itemByCode, fits, noIds, openItem, screenshotPath } from './lib.mjs';
import { startServer } from '../../tests/integration/lib/server.mjs';
import { uuidv7 } from '../../tests/integration/lib/shop.mjs';

let env;
let node;
before(async () => { env = await setup(); });
after(async () => { await node?.stop(); await env?.close(); });

test('head office: a manager adds a store node, sees its key once and then the node (1024×768)', async () => {
  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const region = page.getByRole('region', { name: 'Store sync' });
  await region.getByText('This server is not a store node').waitFor();
  await region.getByText('No store has its own server yet.').waitFor();
  await region.getByRole('button', { name: `Add a store node for ${env.store.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Store node for ${env.store.name}` });
  const key = await dialog.getByLabel('Node key').innerText();
  assert.match(key, /^brk_/);
  await dialog.getByRole('button', { name: 'I have kept it' }).click();
  const row = page.getByRole('table', { name: 'Store nodes' }).getByRole('row').nth(1);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`^${env.store.name}\\s+never\\s+0\\s+0$`));
  await fits(page, 'store sync at head office');
  await noIds(page, 'store sync at head office');
  // The key works as the node's key: the feed answers it.
  const feed = await env.server.withKey(key).get('/api/v1/sync/changes?limit=1');
  assert.equal(feed.status, 200, feed.text);
  await page.context().close();
});

test('a store node that cannot reach head office says so at the register and keeps selling (768×1024)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  node = await startServer({
    demo: true, args: ['--static-dir', DIST],
    env: { BACKROOM_UPSTREAM: 'http://127.0.0.1:9', BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1', BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' },
  });
  const pasta = await itemByCode(node, PASTA);
  const store = (await node.get('/api/v1/locations')).json.locations.find((l) => l.sellable);
  const sold = await node.post('/api/v1/sales', { location_id: store.id, lines: [{ item_id: pasta.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 10000 }] });
  assert.equal(sold.status, 201, sold.text);

  const page = await env.page({ width: 768, height: 1024 });
  await page.goto(node.url + '/');
  await signInAtRegister(page, DEMO.cashier);
  const banner = page.getByRole('status', { name: 'Head office link' });
  await banner.waitFor();
  // The demo shop's opening stock (adjustments) waits too: the banner counts the sales apart.
  assert.match(await banner.innerText(), /^Head office unreachable since \d\d:\d\d — 1 sale and [\d,]+ other documents waiting to send\. Selling goes on/);
  await fits(page, 'register on a store node without head office');
  await noIds(page, 'register on a store node without head office');
  await page.screenshot({ path: screenshotPath('register-head-office-unreachable.png') });
  // Selling goes on: a scan still makes a line.
  const box = page.getByLabel('Scan or search');
  await box.pressSequentially(PASTA, { delay: 5 });
  await box.press('Enter');
  await page.getByRole('table', { name: 'Cart' }).getByText(pasta.name).waitFor();

  await page.goto(node.url + '/office/sync');
  const region = page.getByRole('region', { name: 'Store sync' });
  await region.getByText(/Head office unreachable since \d\d:\d\d — 1 sale and [\d,]+ other documents waiting to send/).waitFor();
  await fits(page, 'store sync on a node');
  await noIds(page, 'store sync on a node');
  await page.context().close();
});

test('head office: a sale a store made at an old price is listed as a conflict and resolved with a note (768×1024)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  const pasta = await itemByCode(env.server, PASTA);
  const id = uuidv7();
  const pushed = await env.server.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [{
    id, type: 'sale.completed', entity_id: id, at: new Date().toISOString(),
    payload: { receipt_number: 'STORE-1-000001', lines: [{ item_id: pasta.id, quantity: 1, unit_price: pasta.price - 10 }] },
    movements: [{ item_id: pasta.id, location_kind: 'store', quantity: -1, reason: 'sale', document_type: 'sale', document_id: id }],
  }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const table = page.getByRole('table', { name: 'Conflicts' });
  const row = table.getByRole('row').filter({ hasText: 'Sold at another price' });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${pasta.name}.*charged`));
  await fits(page, 'conflicts at head office');
  await noIds(page, 'conflicts at head office');
  await page.screenshot({ path: screenshotPath('store-sync-conflicts.png') });
  await row.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sold at another price' });
  await dialog.getByText('The sale keeps what the store charged').waitFor();
  const note = dialog.getByLabel('What was done');
  await note.fill('Shelf label was old; relabelled');
  await note.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  const left = await env.server.get('/api/v1/sync/conflicts?status=resolved');
  const done = left.json.conflicts.find((c) => c.document_id === id);
  assert.equal(done?.note, 'Shelf label was old; relabelled', left.text);
  await page.context().close();
});

test('head office: a store document naming an unknown item is posted again once the item exists (1024×768)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  const id = uuidv7();
  const itemId = uuidv7();
  const pushed = await env.server.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [{
    id, type: 'stock.adjusted', entity_id: id, at: new Date().toISOString(), payload: {},
    movements: [{ item_id: itemId, location_kind: 'store', quantity: 3, reason: 'opening', document_type: 'adjustment', document_id: id }],
  }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Conflicts' }).getByRole('row').filter({ hasText: 'Not booked' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Not booked' });
  const again = dialog.getByRole('button', { name: 'Post again' });
  // Head office does not know the item yet: the dialog says what to do, in words.
  await again.click();
  await dialog.getByText('Head office still does not know an item on this document').waitFor();
  await fits(page, 'a rejected document that cannot post yet');
  await noIds(page, 'a rejected document that cannot post yet');
  const made = await env.server.post('/api/v1/items', { id: itemId, sku: `RETRY-${process.pid}`, name: 'Shelf from the old till', price: 500, tax_category: 'standard' });
  assert.equal(made.status, 201, made.text);
  await again.click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  const done = (await env.server.get('/api/v1/sync/conflicts?status=resolved')).json.conflicts.find((c) => c.document_id === id);
  assert.equal(done?.note, 'Posted by retry.');
  const stock = await env.server.get(`/api/v1/stock?item_id=${itemId}&location_id=${env.store.id}`);
  assert.equal(stock.json.on_hand, 3, stock.text);
  await page.context().close();
});

test('head office: a till a store closed is listed with its cash over or short (768×1024)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  const id = uuidv7();
  const pushed = await env.server.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [{
    id, type: 'register.closed', entity_id: uuidv7(), at: new Date().toISOString(),
    payload: { number: 12, register: { id: 'TILL-2', name: 'Till 2' }, opening_float: 10000, closed_at: new Date().toISOString(),
      closed_by: { id: null, name: 'Sam Cashier' },
      z_report: { net_sales: 48250, sales_count: 31, returns_count: 1, voids_count: 0,
        tenders: [{ type: 'cash', expected: 38250, counted: 38150, over_short: -100 }, { type: 'card', expected: 20000, counted: 20000, over_short: 0 }] } },
  }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Cash-ups' }).getByRole('row').filter({ hasText: 'Till 2' });
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /Sam Cashier/);
  assert.match(text, /482\.50/);
  assert.match(text, /1\.00 short/);
  await row.scrollIntoViewIfNeeded();
  await fits(page, 'cash-ups at head office');
  await noIds(page, 'cash-ups at head office');
  await page.screenshot({ path: screenshotPath('store-sync-cash-ups.png') });
  await page.context().close();
});

test('change requests: a node\'s item edit goes to head office, where a manager applies it (768×1024, 1024×768)', async () => {
  assert.ok(node, 'the store node of the test before');
  const pasta = await itemByCode(node, PASTA);
  // On the node: the edit is sent for approval, nothing changes there.
  let page = await env.page({ width: 768, height: 1024 });
  await page.goto(node.url + '/');
  await signIn(page, DEMO.manager);
  await openItem(page, pasta.name);
  await page.getByLabel('Description').fill('Asked for at the store');
  await page.getByRole('button', { name: 'Save item' }).click();
  await page.getByRole('status').filter({ hasText: 'Sent to head office for approval' }).waitFor();
  assert.equal((await node.get(`/api/v1/items/${pasta.id}`)).json.description ?? '', pasta.description ?? '');
  const mine = await node.get('/api/v1/sync/change-requests');
  assert.equal(mine.json.change_requests[0].status, 'pending', mine.text);
  await page.goto(node.url + '/office/sync');
  const asked = page.getByRole('table', { name: 'Change requests' }).getByRole('row').filter({ hasText: 'Not sent yet' });
  await asked.waitFor();
  assert.match(await asked.innerText(), new RegExp(pasta.name));
  await fits(page, 'change requests on a node');
  await noIds(page, 'change requests on a node');
  await page.context().close();

  // At head office: a store's request (as a node's push brings it), applied with one tap.
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  const hqPasta = await itemByCode(env.server, PASTA);
  const id = uuidv7();
  const sent = await env.server.withKey(added.json.key).post('/api/v1/sync/change-requests', { change_requests: [{
    id, method: 'PATCH', path: `/api/v1/items/${hqPasta.id}`, route: '/api/v1/items/{id}', action: 'Change an item (If-Match required)',
    content_type: 'application/json', if_match: `"v${hqPasta.version}"`, body: JSON.stringify({ description: 'Fresh from the store' }),
    subject: { item: { id: hqPasta.id, sku: hqPasta.sku, name: hqPasta.name } }, requested_by: 'cashier', requested_at: new Date().toISOString(),
  }] });
  assert.equal(sent.status, 200, sent.text);
  page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Change requests' }).getByRole('row').filter({ hasText: 'Fresh from the store' });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${env.store.name}[\\s\\S]*cashier[\\s\\S]*${hqPasta.name}`));
  await fits(page, 'change requests at head office');
  await noIds(page, 'change requests at head office');
  await page.screenshot({ path: screenshotPath('store-sync-change-requests.png') });
  await row.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('status').filter({ hasText: 'Applied' }).waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal((await env.server.get(`/api/v1/items/${hqPasta.id}`)).json.description, 'Fresh from the store');
  const decided = (await env.server.get('/api/v1/sync/change-requests?status=applied')).json.change_requests.find((c) => c.id === id);
  assert.equal(decided.requested_by, 'cashier');
  assert.ok(decided.decided_by);
  await page.context().close();
});

test('head office: a store\'s cancel of a shipment head office does not hold is listed in words (1024×768)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  const pasta = await itemByCode(env.server, PASTA);
  const id = uuidv7();
  const line = uuidv7();
  // The store cancelled its S-000007 after a person at head office had settled its refusal by hand.
  const pushed = await env.server.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [{
    id, type: 'outbound_transfer.cancelled', entity_id: id, at: new Date().toISOString(),
    payload: { id, transfer_id: uuidv7(), number: 'S-000007', reason: 'kept for the weekend', cancelled_at: new Date().toISOString(),
      cancelled_by: 'manager', lines: [{ id: line, item_id: pasta.id, quantity: 2 }] },
    movements: [{ item_id: pasta.id, location_kind: 'store', quantity: 2, reason: 'transfer_cancelled',
      document_type: 'outbound_transfer_cancel', document_id: id, document_line_id: line }],
  }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Conflicts' }).getByRole('row').filter({ hasText: 'Shipment cancel not applied' });
  await row.waitFor();
  assert.match(await row.innerText(),
    new RegExp(`S-000007 \\(kept for the weekend\\) and booked 2 × ${pasta.name} \\(${pasta.sku}\\) back in, but head office holds no such shipment`));
  await fits(page, 'a cancel not applied at head office');
  await noIds(page, 'a cancel not applied at head office');
  await row.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Shipment cancel not applied' });
  await dialog.getByText('head office found nothing to cancel').waitFor();
  const note = dialog.getByLabel('What was done');
  await note.fill('Counted at both stores; quay adjusted');
  await note.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  const done = (await env.server.get('/api/v1/sync/conflicts?status=resolved')).json.conflicts.find((c) => c.document_id === id);
  assert.equal(done?.note, 'Counted at both stores; quay adjusted');
  await page.context().close();
});

test('head office: a store-credit shortfall is written off on the Sync page and listed on the Store credit page (768×1024)', async () => {
  const added = await env.server.post('/api/v1/sync/nodes', { location_id: env.store.id });
  assert.equal(added.status, 201, added.text);
  // A store's sale paid with a note head office does not hold (as a node's push brings it),
  // shaped as a sale head office's own register makes: all of it is short.
  const pasta = await itemByCode(env.server, PASTA);
  const model = await env.server.post('/api/v1/sales', { location_id: env.store.id, lines: [{ item_id: pasta.id, quantity: 1 }], tenders: [{ type: 'cash', amount: pasta.price }] });
  assert.equal(model.status, 201, model.text);
  const id = uuidv7();
  const receipt = `TILL-SC-${process.pid}`;
  const payload = { ...model.json, id, register_id: 'TILL-SC', receipt_number: receipt, lines: model.json.lines.map((l) => ({ ...l, id: uuidv7() })),
    tenders: [{ type: 'store_credit', amount: model.json.total, reference: 'SC-2222-3333-4444' }], tendered: model.json.total, change_due: 0 };
  const pushed = await env.server.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [
    { id: uuidv7(), type: 'sale.completed', entity_id: id, at: new Date().toISOString(), payload, movements: [] }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Conflicts' }).getByRole('row').filter({ hasText: 'Store credit overdrawn' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Store credit overdrawn' });
  await dialog.getByLabel('What was done').fill('Customer gone: a loss');
  const resolve = dialog.getByRole('button', { name: 'Resolve' });
  assert.ok(await resolve.isDisabled(), 'no settlement chosen yet');
  await dialog.getByLabel('The amount not covered').selectOption({ label: 'Written off (a loss)' });
  await resolve.click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });

  await page.getByRole('link', { name: 'Store credit' }).click();
  const writtenOff = page.getByRole('table', { name: 'Written off' }).getByRole('row').filter({ hasText: receipt });
  await writtenOff.waitFor();
  const text = await writtenOff.innerText();
  assert.match(text, new RegExp(`${env.store.name}[\\s\\S]*SC-2222-3333-4444[\\s\\S]*${(model.json.total / 100).toFixed(2).replace('.', '\\.')}[\\s\\S]*manager[\\s\\S]*Customer gone: a loss`));
  const shortfalls = page.getByRole('table', { name: 'Shortfalls' }).getByRole('row').filter({ hasText: 'Written off' });
  assert.match(await shortfalls.innerText(), /\b1\b/);
  await fits(page, 'store credit write-offs');
  await noIds(page, 'store credit write-offs');
  const report = (await env.server.get('/api/v1/reports/store-credit')).json;
  assert.equal(report.written_off.find((w) => w.sale_id === id)?.amount, model.json.total, JSON.stringify(report.written_off));
  await page.context().close();
});
