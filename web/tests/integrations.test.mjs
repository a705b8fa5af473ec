// The Integrations page (issue 19) on a tablet, portrait and landscape: an admin adds a webhook
// endpoint by touch and keyboard and sees its secret once; a receiver that fails shows up as an
// alert naming the problem and the owner, which is acknowledged and then resolved with its root
// cause; a refused message lands in the dead letters and is sent again. A mapping table is
// written by touch (a location chosen by name), an endpoint set to it, and the next delivery
// arrives in the receiver's words; a table due for review is marked reviewed. No id is ever shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';
import { setup, fits, noIds, screenshotPath, waitOrExplain } from './lib.mjs';

let env;
let receiver;
let url;
const behaviours = new Map();  // per path, what the receiver answers next: a status per request, 204 when none
const received = new Map();  // per path, the bodies received
before(async () => {
  env = await setup();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (!received.has(req.url)) received.set(req.url, []);
      received.get(req.url).push({ body: JSON.parse(body), mapping: req.headers['backroom-mapping'] });
      res.writeHead(behaviours.get(req.url)?.shift() ?? 204);
      res.end('from the test receiver');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${receiver.address().port}`;
});
after(async () => { await env?.close(); receiver?.closeAllConnections(); receiver?.close(); });

async function openIntegrations(page) {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Integrations', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
}

for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`integrations on a tablet in ${label}: add an endpoint, an alert acknowledged and resolved, a dead letter sent again`, async () => {
    const { server } = env;
    const page = await env.page(viewport);
    await openIntegrations(page);
    await page.getByRole('button', { name: 'Add an endpoint' }).click();
    const hook = `${url}/${label}`;
    await page.getByLabel('Receiver URL').fill(hook);
    await page.getByLabel('Owner (alerted on failures)').fill(`web-team-${label}@shop.test`);
    await page.getByLabel('Description').fill(`web shop sync (${label})`);
    await page.getByLabel('item.created').check();
    await fits(page, `integrations form (${label})`);
    await page.getByRole('button', { name: 'Add endpoint' }).focus();
    await page.keyboard.press('Enter');  // the keyboard submits
    const secretDialog = page.getByRole('dialog', { name: 'The signing secret' });
    await waitOrExplain(page, secretDialog);
    assert.match(await secretDialog.innerText(), /whsec_/);
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: hook });
    await row.waitFor();
    assert.ok(!(await page.locator('body').innerText()).includes('whsec_'), 'the secret is shown once');

    // The receiver fails once (500), then refuses the next message for good (400).
    behaviours.set(`/${label}`, [500, 400]);
    const r = await server.post('/api/v1/items', { sku: `HOOK-${label}`, name: `Hook test ${label}`, price: 100, tax_category: 'standard' });
    assert.equal(r.status, 201, r.text);
    const alerts = page.getByRole('table', { name: 'Alerts' });
    const alert = alerts.getByRole('row').filter({ hasText: 'receiver error (5xx)' }).filter({ hasText: hook });
    for (let i = 0; i < 100 && !(await alert.count()); i++) {  // Refresh (the page also refreshes itself every 10 s)
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(100);
    }
    await waitOrExplain(page, alert);
    assert.match(await alert.innerText(), new RegExp(`web-team-${label}@shop.test`));
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alerts.getByRole('row').filter({ hasText: hook }).filter({ hasText: 'acknowledged by admin' }).waitFor();
    await alerts.getByRole('row').filter({ hasText: hook }).filter({ hasText: 'receiver error (5xx)' }).getByRole('button', { name: 'Resolve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve the alert' });
    await dialog.getByLabel('Root cause').fill('the web shop was being redeployed');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The 400: a dead letter, sent again once the receiver answers.
    const dead = page.getByRole('table', { name: 'Dead letters' }).getByRole('row').filter({ hasText: hook });
    for (let i = 0; i < 100 && !(await dead.count()); i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(100);
    }
    await waitOrExplain(page, dead);
    assert.match(await dead.innerText(), /refused \(4xx\)/);
    await fits(page, `integrations with an alert and a dead letter (${label})`);
    await noIds(page, `integrations (${label})`);
    await page.screenshot({ path: screenshotPath(`integrations-tablet-${label}.png`), fullPage: true });
    await dead.getByRole('button', { name: 'Send again' }).click();
    await dead.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('dialog', { name: `Deliveries to ${hook}` });
    await log.getByRole('table', { name: 'Delivery attempts' }).getByRole('row').filter({ hasText: '500' }).first().waitFor();
    await noIds(page, `delivery log (${label})`);

    const resolved = (await server.get('/api/v1/alerts?status=resolved')).json.alerts.find((a) => a.endpoint_url === hook);
    assert.equal(resolved.note, 'the web shop was being redeployed');
    await page.context().close();
  });
}

for (const [label, viewport] of [['portrait', { width: 768, height: 1024 }], ['landscape', { width: 1024, height: 768 }]]) {
  test(`mapping tables on a tablet in ${label}: written by touch, set on an endpoint, deliveries in the receiver's words; a review marked`, async () => {
    const { server, store } = env;
    const hook = `/mapped-${label}`;
    const made = await server.post('/api/v1/webhooks/endpoints', { url: url + hook, event_types: ['stock.changed'], owner: 'erp@shop.test', description: `ERP (${label})` });
    assert.equal(made.status, 201, made.text);
    const old = await server.put(`/api/v1/mappings/old-${label}`, { fields: { sku_code: 'sku' }, values: {} });
    assert.equal(old.status, 201, old.text);

    const page = await env.page(viewport);
    await openIntegrations(page);
    const tables = page.getByRole('table', { name: 'Mapping tables' });
    const oldRow = tables.getByRole('row').filter({ hasText: `old-${label}` });
    await oldRow.filter({ hasText: 'review due (never checked)' }).waitFor();
    await page.getByText(/due for review/).first().waitFor();
    await oldRow.getByRole('button', { name: 'Mark reviewed' }).click();
    await oldRow.filter({ hasText: 'next ' }).waitFor();
    assert.equal((await server.get(`/api/v1/mappings/old-${label}`)).json.version, 2, 'marking reviewed is a new version');

    await page.getByRole('button', { name: 'New mapping table' }).click();
    const editor = page.getByRole('dialog', { name: 'New mapping table' });
    await editor.getByLabel('Name').fill(`erp-${label}`);
    await editor.getByLabel('Field 1: theirs').fill('store');
    await editor.getByLabel('Field 1: ours').fill('location_id');
    await editor.getByRole('button', { name: 'Add a value map' }).click();
    await editor.getByLabel('Our field (value map 1)').fill('location_id');
    await editor.getByLabel('Value of location_id 1: theirs').fill('S-01');
    await editor.getByLabel('Value of location_id 1: ours').selectOption({ label: store.name });
    await fits(page, `mapping table editor (${label})`);
    await noIds(page, `mapping table editor (${label})`);
    if (label === 'portrait') await editor.screenshot({ path: screenshotPath('integrations-mapping-tablet.png') });
    // A half-filled row is refused before anything is sent.
    await editor.getByRole('button', { name: 'Add field' }).click();
    await editor.getByLabel('Field 2: theirs').fill('article');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByText(/fill in both sides of "article"/).waitFor();
    await editor.getByRole('button', { name: 'Remove field 2' }).click();
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'detached' });
    await tables.getByRole('row').filter({ hasText: `erp-${label}` }).filter({ hasText: '1 field names, 1 value maps' }).waitFor();
    const stored = (await server.get(`/api/v1/mappings/erp-${label}`)).json;
    assert.deepEqual(stored.fields, { store: 'location_id' });
    assert.deepEqual(stored.values, { location_id: { 'S-01': store.id } });
    assert.equal(stored.review_due, false, 'saved as checked today');

    const row = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: url + hook });
    await row.getByRole('button', { name: 'Mapping' }).click();
    const choose = page.getByRole('dialog', { name: `Mapping for ${url + hook}` });
    await choose.getByLabel('Mapping table').selectOption(`erp-${label}`);
    await choose.getByRole('button', { name: 'Save' }).click();
    await choose.waitFor({ state: 'detached' });
    await row.filter({ hasText: `erp-${label}` }).waitFor();

    const item = await server.post('/api/v1/items', { sku: `MAP-${label}`, name: `Mapped ${label}`, price: 100, tax_category: 'standard' });
    assert.equal(item.status, 201, item.text);
    const adj = await server.post('/api/v1/stock/adjustments', { item_id: item.json.id, location_id: store.id, quantity: 4, reason: 'found' });
    assert.equal(adj.status, 201, adj.text);
    let got;
    for (let i = 0; i < 100 && !(got = (received.get(hook) ?? []).find((m) => m.body.data.item_id === item.json.id)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(got, 'the stock change is delivered');
    assert.equal(got.body.data.store, 'S-01', JSON.stringify(got.body.data));
    assert.equal(got.body.data.location_id, undefined);
    assert.equal(got.mapping, `erp-${label}; version=1`);
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('dialog', { name: `Deliveries to ${url + hook}` });
    await log.getByRole('table', { name: 'Delivery attempts' }).getByRole('row').filter({ hasText: `erp-${label} v1` }).first().waitFor();
    await noIds(page, `mapped delivery log (${label})`);
    await page.context().close();
  });
}
