// A transfer from head office received on a store node's back office (docs/sync.md, "Transfers
// to a store node"): head office ships 3 packs of pasta from its store to a store that runs a
// node; on the node a manager opens Transfers, sees the transfer "From head office", scans one
// pack, types 1 more, and receives it: 1 short is shown and recorded, and head office closes
// its transfer with the short line once the node has pushed. At 1024×768, no ids on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, DIST, PASTA, setup, signIn, itemByCode, noIds, fits } from './lib.mjs';
import { startServer } from '../../tests/integration/lib/server.mjs';
import { uuidv7, until } from '../../tests/integration/lib/shop.mjs';

let env;
let node;
before(async () => { env = await setup(); });
after(async () => { await node?.stop(); await env?.close(); });

test('a store node receives a transfer from head office by scanning and typing, one short (1024×768)', async () => {
  const hq = env.server;
  const place = await hq.post('/api/v1/locations', { name: 'Harbour Street', kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await hq.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const pasta = await itemByCode(hq, PASTA);
  const shipped = await hq.post('/api/v1/transfers', { id: uuidv7(), from_location_id: env.store.id, to_location_id: place.json.id,
    lines: [{ item_id: pasta.id, quantity: 3 }] });
  assert.equal(shipped.status, 201, shipped.text);
  node = await startServer({
    args: ['--static-dir', DIST],
    env: { BACKROOM_UPSTREAM: hq.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' },
  });
  await until('the transfer and head office\'s people at the node', async () =>
    (await node.get(`/api/v1/sync/inbound-transfers/${shipped.json.id}`)).status === 200
    && (await node.get('/api/v1/users?limit=200')).json?.users?.some((u) => u.username === DEMO.manager.username), 30000, 200);

  const context = await env.browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  page.on('response', (r) => { if (r.status() >= 400 && r.url().includes('/api/')) console.error(`api ${r.status()} ${new URL(r.url()).pathname}`); });
  await page.goto(node.url + '/');
  await signIn(page, DEMO.manager);
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Transfers' }).click();
  const from = page.getByRole('region', { name: 'Transfers from head office' });
  await from.getByRole('button', { name: `Receive transfer ${shipped.json.number}` }).click();
  const card = page.getByRole('region', { name: 'Transfer from head office' });
  await card.getByRole('heading', { name: `Transfer ${shipped.json.number} from ${env.store.name} · in transit` }).waitFor();
  // One scan counts from zero; then a person types the second pack.
  const box = card.getByLabel('Scan items to count them');
  await box.pressSequentially(PASTA, { delay: 5 });
  await box.press('Enter');
  await card.getByText(`${pasta.name}: 1 of 3`).waitFor();
  assert.equal(await card.getByLabel(`Received of ${pasta.name}`).inputValue(), '1');
  await card.getByLabel(`Received of ${pasta.name}`).fill('2');
  await fits(page, 'a transfer from head office at a store node');
  await noIds(page, 'a transfer from head office at a store node');
  await card.getByRole('button', { name: 'Receive', exact: true }).click();
  await card.getByText('Received with a discrepancy: 1 short, 0 damaged.', { exact: false }).waitFor();
  await card.getByRole('heading', { name: `Transfer ${shipped.json.number} from ${env.store.name} · received` }).waitFor();

  const kept = (await node.get(`/api/v1/sync/inbound-transfers/${shipped.json.id}`)).json;
  assert.deepEqual(kept.lines.map((l) => [l.received, l.short]), [[2, 1]]);
  const closed = await until('head office closes the transfer', async () => {
    const r = await hq.get(`/api/v1/transfers/${shipped.json.id}`);
    return r.json.status === 'received' && r.json;
  }, 30000, 200);
  assert.deepEqual(closed.lines.map((l) => [l.received, l.short]), [[2, 1]]);
  await context.close();
});
