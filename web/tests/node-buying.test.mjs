// A purchase order head office sent for a store node's store, received on the node's back office
// (docs/sync.md, "Purchase orders for a store node's store"): head office's buyer orders 6 packs
// of pasta (a case of 6) for a store that runs a node, delivered straight to the store; on the
// node a manager opens Receiving, sees the order "From head office" (no costs), scans one pack,
// types 5, and receives the delivery: 1 is still to come, and head office's order shows 5 received once the
// node has pushed. At 768×1024, targets at least 44 px, no ids on screen. Then the clerk receives
// the rest with two extra (1024×768): past the tolerance, a manager approves it in the dialog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, DIST, PASTA, setup, signIn, itemByCode, noIds, fits } from './lib.mjs';
import { startServer } from '../../tests/integration/lib/server.mjs';
import { until } from '../../tests/integration/lib/shop.mjs';

let env;
let node;
before(async () => { env = await setup(); });
after(async () => { await node?.stop(); await env?.close(); });

test('a store node receives head office\'s purchase order by scanning and typing, part of it (768×1024)', async () => {
  const hq = env.server;
  const place = await hq.post('/api/v1/locations', { name: 'Quay Street', kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await hq.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const pasta = await itemByCode(hq, PASTA);
  const supplier = await hq.post('/api/v1/suppliers', { name: 'Harbour Pasta Co' });
  assert.equal(supplier.status, 201, supplier.text);
  const po = await hq.post('/api/v1/purchase-orders', { supplier_id: supplier.json.id, location_id: place.json.id,
    lines: [{ item_id: pasta.id, quantity: 6, unit_cost: 123 }] });
  assert.equal(po.status, 201, po.text);
  assert.equal((await hq.post(`/api/v1/purchase-orders/${po.json.id}/send`, {})).status, 200);
  node = await startServer({
    args: ['--static-dir', DIST],
    env: { BACKROOM_UPSTREAM: hq.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' },
  });
  await until('the order and head office\'s people at the node', async () =>
    (await node.get(`/api/v1/sync/inbound-orders/${po.json.id}`)).status === 200
    && (await node.get('/api/v1/users?limit=200')).json?.users?.some((u) => u.username === DEMO.manager.username), 30000, 200);

  const context = await env.browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  page.on('response', (r) => { if (r.status() >= 400 && r.url().includes('/api/')) console.error(`api ${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(node.url + '/');
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Receiving' }).click();
  const from = page.getByRole('region', { name: 'Orders from head office' });
  await from.getByRole('button', { name: `Receive order ${po.json.number}` }).click();
  const card = page.getByRole('region', { name: 'Order from head office' });
  await card.getByRole('heading', { name: `Order ${po.json.number} from Harbour Pasta Co · sent` }).waitFor();
  assert.equal(await card.getByText('1.23').count(), 0, 'no cost reaches the store');
  const box = card.getByLabel('Scan items to count them');
  await box.pressSequentially(PASTA, { delay: 5 });
  await box.press('Enter');
  await card.getByText(`${pasta.name}: 1 of 6 expected`).waitFor();
  assert.equal(await card.getByLabel(`Received of ${pasta.name}`).inputValue(), '1');
  await card.getByText('cases of 6').waitFor();
  await card.getByLabel(`Received of ${pasta.name}`).fill('5');
  await fits(page, 'an order from head office at a store node');
  await noIds(page, 'an order from head office at a store node');
  const button = card.getByRole('button', { name: 'Receive delivery' });
  const size = await button.boundingBox();
  assert.ok(size && size.height >= 44, `the button is ${size?.height} px high`);
  await button.click();
  await card.getByText('Received: 1 still to come, 0 damaged.', { exact: false }).waitFor();
  await card.getByRole('heading', { name: `Order ${po.json.number} from Harbour Pasta Co · partly received` }).waitFor();
  assert.equal(await card.getByLabel(`Received of ${pasta.name}`).inputValue(), '1', 'the next delivery starts from what is left');

  const kept = (await node.get(`/api/v1/sync/inbound-orders/${po.json.id}`)).json;
  assert.deepEqual(kept.lines.map((l) => [l.received, l.outstanding]), [[5, 1]]);
  const recorded = await until('head office records the delivery', async () => {
    const r = await hq.get(`/api/v1/purchase-orders/${po.json.id}`);
    return r.json.status === 'partially_received' && r.json;
  }, 30000, 200);
  assert.deepEqual(recorded.lines.map((l) => [l.received, l.outstanding]), [[5, 1]]);
  await context.close();

  // The rest comes with two packs extra: 8 of 6 is past head office's 10 % tolerance, so the
  // clerk who unpacks it (at 1024×768) asks a manager, who approves with a PIN in the dialog.
  const clerkContext = await env.browser.newContext({ viewport: { width: 1024, height: 768 } });
  const clerk = await clerkContext.newPage();
  await clerk.goto(node.url + '/');
  await signIn(clerk, DEMO.clerk);
  await clerk.getByRole('link', { name: 'Receiving' }).click();
  await clerk.getByRole('region', { name: 'Orders from head office' }).getByRole('button', { name: `Receive order ${po.json.number}` }).click();
  const rest = clerk.getByRole('region', { name: 'Order from head office' });
  await rest.getByLabel(`Received of ${pasta.name}`).fill('3');
  await rest.getByRole('button', { name: 'Receive delivery' }).click();
  const ask = clerk.getByRole('dialog', { name: 'Manager override' });
  await ask.getByText(`${pasta.name}: 8 received of 6 ordered`, { exact: false }).waitFor();
  await fits(clerk, 'the override at a store node');
  await noIds(clerk, 'the override at a store node');
  // Cancelled first: nothing is booked.
  await ask.getByRole('button', { name: 'Close' }).first().click();
  await rest.getByText('Not approved: nothing was booked.', { exact: false }).waitFor();
  assert.deepEqual((await node.get(`/api/v1/sync/inbound-orders/${po.json.id}`)).json.lines.map((l) => l.received), [5]);
  await rest.getByRole('button', { name: 'Receive delivery' }).click();
  await ask.getByLabel('Manager username').fill(DEMO.manager.username);
  await ask.getByLabel('Manager password or PIN').fill(DEMO.manager.pin);
  await ask.getByLabel('Override reason').fill('two packs extra in the case');
  await ask.getByRole('button', { name: 'Approve' }).click();
  await rest.getByText('Received in full.', { exact: false }).waitFor();
  assert.deepEqual((await node.get(`/api/v1/sync/inbound-orders/${po.json.id}`)).json.lines.map((l) => [l.received, l.outstanding]), [[8, 0]]);
  const approved = await until('head office records the rest', async () => {
    const r = await hq.get(`/api/v1/purchase-orders/${po.json.id}`);
    return r.json.status === 'received' && r.json;
  }, 30000, 200);
  assert.deepEqual(approved.lines.map((l) => l.received), [8]);
  await clerkContext.close();
});
