// Store nodes in the browser (issue 21, docs/sync.md): at head office a manager adds a store
// node on the Store sync page and is shown its key once, then sees the node listed; on a store
// node whose head office cannot be reached (its upstream is a closed port), the register and
// the Store sync page both say "Head office unreachable since … — 1 sale waiting to send",
// while the register keeps selling. At 1024×768 and 768×1024, no ids on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, DIST, PASTA, setup, signIn, signInAtRegister, itemByCode, fits, noIds, screenshotPath } from './lib.mjs';
import { startServer } from '../../tests/integration/lib/server.mjs';

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
  assert.match(await banner.innerText(), /^Head office unreachable since \d\d:\d\d — 1 sale waiting to send\. Selling goes on/);
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
  await region.getByText(/Head office unreachable since \d\d:\d\d — 1 sale waiting to send/).waitFor();
  await fits(page, 'store sync on a node');
  await noIds(page, 'store sync on a node');
  await page.context().close();
});
