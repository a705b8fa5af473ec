// A store node ships goods back to head office's warehouse from its back office (docs/sync.md,
// "A store node ships"): the Transfers screen offers head office's sites by name, "(head
// office)", never its own store; a manager ships 2 packs of pasta there; the screen says it was
// sent and lists it under "Sent to head office"; head office then holds it in transit to the
// warehouse; when the warehouse receives it one short, the node's list says so (1024×768); a
// second shipment is cancelled from the list with a reason (44 px target) and head office
// cancels it. At
// head office, Store sync posts a refused shipment again to where the goods went. No ids on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, DIST, PASTA, setup, signIn, itemByCode, noIds, fits } from './lib.mjs';
import { startServer } from '../../tests/integration/lib/server.mjs';
import { until, uuidv7 } from '../../tests/integration/lib/shop.mjs';

let env;
let node;
before(async () => { env = await setup(); });
after(async () => { await node?.stop(); await env?.close(); });

test('a store node ships to head office\'s warehouse from its Transfers screen and hears it received (768×1024, 1024×768)', async () => {
  const hq = env.server;
  const place = await hq.post('/api/v1/locations', { name: 'Quay Street', kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const warehouse = await hq.post('/api/v1/locations', { name: 'Returns Warehouse', kind: 'warehouse' });
  assert.equal(warehouse.status, 201, warehouse.text);
  const added = await hq.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const pasta = await itemByCode(hq, PASTA);
  node = await startServer({
    args: ['--static-dir', DIST],
    env: { BACKROOM_UPSTREAM: hq.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' },
  });
  await until('the warehouse, the pasta and head office\'s people at the node', async () =>
    (await node.get('/api/v1/sync/destinations?limit=500')).json?.destinations?.some((d) => d.id === warehouse.json.id)
    && (await node.get(`/api/v1/items/${pasta.id}`)).status === 200
    && (await node.get('/api/v1/users?limit=200')).json?.users?.some((u) => u.username === DEMO.manager.username), 30000, 200);
  const local = (await node.get('/api/v1/locations')).json.locations.find((l) => l.kind === 'store');
  const opening = await node.post('/api/v1/stock/adjustments', { item_id: pasta.id, location_id: local.id, quantity: 5, reason: 'opening' });
  assert.equal(opening.status, 201, opening.text);

  const context = await env.browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  page.on('response', (r) => { if (r.status() >= 400 && r.url().includes('/api/')) console.error(`api ${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(node.url + '/');
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Transfers' }).click();
  const to = page.getByLabel('To', { exact: true });
  await to.locator('option', { hasText: 'Returns Warehouse (head office)' }).waitFor({ state: 'attached' });
  const offered = await to.locator('option').allInnerTexts();
  assert.ok(!offered.some((o) => o.startsWith('Quay Street')), `the node's own store is not offered: ${offered}`);
  await to.selectOption({ label: 'Returns Warehouse (head office)' });
  await page.getByLabel('Add an item').fill(PASTA);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${pasta.name}` }).click();
  await page.getByLabel(`Quantity of ${pasta.name}`).fill('2');
  await fits(page, 'shipping to head office from a store node');
  await noIds(page, 'shipping to head office from a store node');
  await page.getByRole('button', { name: 'Ship transfer' }).click();
  await page.getByText('Shipped S-000001 to Returns Warehouse: sent to head office, which receives it there.').waitFor();
  const sent = page.getByRole('table', { name: 'Sent to head office' });
  await sent.getByRole('row', { name: /S-000001/ }).getByRole('cell', { name: 'Returns Warehouse', exact: true }).waitFor();
  await noIds(page, 'a shipment sent to head office');

  const shipped = (await node.get('/api/v1/sync/outbound-transfers')).json.transfers[0];
  assert.deepEqual(shipped.lines.map((l) => [l.item_id, l.shipped]), [[pasta.id, 2]]);
  const atHq = await until('head office holds it in transit', async () => {
    const r = await hq.get(`/api/v1/transfers/${shipped.id}`);
    return r.status === 200 && r.json;
  }, 30000, 200);
  assert.equal(atHq.status, 'in_transit');
  assert.equal(atHq.to.name, 'Returns Warehouse');

  // The warehouse receives 1 of the 2: the node hears it and its list says so in words.
  const got = await hq.post(`/api/v1/transfers/${shipped.id}/receive`, { id: uuidv7(), close: true, lines: [{ item_id: pasta.id, received: 1 }] });
  assert.equal(got.status, 200, got.text);
  await until('the node hears its shipment received', async () =>
    (await node.get(`/api/v1/sync/outbound-transfers/${shipped.id}`)).json?.status === 'received', 30000, 200);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.reload();
  await sent.getByRole('row', { name: /S-000001/ }).getByRole('cell', { name: /^Received .*: 1 arrived, 1 short, 0 damaged$/ }).waitFor();
  await fits(page, 'a shipment head office received, at 1024×768');
  await noIds(page, 'a shipment head office received');
  // A received shipment is not cancelled here; a second one, still on its way, is: the manager
  // cancels it with a reason, the goods are back on the node's shelf and head office cancels it.
  assert.equal(await sent.getByRole('row', { name: /S-000001/ }).getByRole('button', { name: /^Cancel shipment/ }).count(), 0);
  const second = await node.post('/api/v1/transfers', { id: uuidv7(), from_location_id: local.id, to_location_id: warehouse.json.id,
    lines: [{ item_id: pasta.id, quantity: 1 }] });
  assert.equal(second.status, 201, second.text);
  await page.reload();
  const cancel = sent.getByRole('button', { name: 'Cancel shipment S-000002 to Returns Warehouse' });
  const box = await cancel.boundingBox();
  assert.ok(box && box.height >= 44 && box.width >= 44, `the Cancel target is at least 44 px: ${JSON.stringify(box)}`);
  await cancel.click();
  const confirm = page.getByRole('dialog', { name: 'Cancel shipment S-000002 to Returns Warehouse?' });
  await confirm.getByLabel('Reason').fill('The van never left');
  await fits(page, 'cancelling a shipment to head office');
  await noIds(page, 'cancelling a shipment to head office');
  await confirm.getByRole('button', { name: 'Cancel shipment' }).click();
  await page.getByText(/^Shipment S-000002 cancelled: 1 booked back in at .+; head office hears of it\.$/).waitFor();
  await sent.getByRole('row', { name: /S-000002/ }).getByRole('cell', { name: 'Cancelled here: The van never left (booked back in)' }).waitFor();
  assert.equal((await node.get(`/api/v1/stock?item_id=${pasta.id}&location_id=${local.id}`)).json.on_hand, 3);
  await until('head office cancels it', async () =>
    (await hq.get(`/api/v1/transfers/${second.json.id}`)).json?.status === 'cancelled', 30000, 200);
  await context.close();
});

test('head office posts a refused shipment again from Store sync, to where the goods went (768×1024)', async () => {
  const hq = env.server;
  const pier = await hq.post('/api/v1/locations', { name: 'Pier Street', kind: 'store' });
  assert.equal(pier.status, 201, pier.text);
  const added = await hq.post('/api/v1/sync/nodes', { location_id: pier.json.id });
  assert.equal(added.status, 201, added.text);
  const warehouse = (await hq.get('/api/v1/locations')).json.locations.find((l) => l.name === 'Returns Warehouse');
  const pasta = await itemByCode(hq, PASTA);
  // A shipment to the store itself (as a node's push carries it): head office refuses it.
  const id = uuidv7();
  const line = uuidv7();
  const pushed = await hq.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [{
    id, type: 'outbound_transfer.shipped', entity_id: id, at: new Date().toISOString(),
    payload: { id, number: 'S-000001', to_location_id: pier.json.id, to_name: 'Pier Street', note: '', shipped_at: new Date().toISOString(),
      shipped_by: DEMO.manager.username, lines: [{ id: line, item_id: pasta.id, quantity: 1 }] },
    movements: [{ item_id: pasta.id, location_kind: 'store', quantity: -1, reason: 'transfer_out', document_type: 'outbound_transfer', document_id: id, document_line_id: line }],
  }] });
  assert.equal(pushed.status, 200, pushed.text);

  const page = await env.page({ width: 768, height: 1024 });
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Store sync' }).click();
  const row = page.getByRole('table', { name: 'Conflicts' }).getByRole('row').filter({ hasText: 'Shipment not taken' });
  await row.getByRole('button', { name: 'Resolve' }).click();
  const dialog = page.getByRole('dialog', { name: 'Shipment not taken' });
  // As sent, head office still refuses it: its reason in words, nothing in transit.
  await dialog.getByRole('button', { name: 'Post again' }).click();
  await dialog.getByText('head office still cannot put this shipment in transit: the destination is the shipping store itself').waitFor();
  assert.equal((await hq.get(`/api/v1/transfers/${id}`)).status, 404);
  await dialog.getByLabel('Put in transit to').selectOption({ label: 'Returns Warehouse' });
  await fits(page, 'posting a refused shipment again');
  await noIds(page, 'posting a refused shipment again');
  await dialog.getByRole('button', { name: 'Post again' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  const moved = (await hq.get(`/api/v1/transfers/${id}`)).json;
  assert.equal(moved.status, 'in_transit');
  assert.equal(moved.to_location_id, warehouse.id);
  await page.context().close();
});
