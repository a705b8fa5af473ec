// The Integrations page (issue 19) on a tablet, portrait and landscape: an admin adds a webhook
// endpoint by touch and keyboard and sees its secret once; a receiver that fails shows up as an
// alert naming the problem and the owner, which is acknowledged and then resolved with its root
// cause; a refused message lands in the dead letters and is sent again. No id is ever shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { ADMIN_PASSWORD } from '../../tests/integration/lib/server.mjs';
import { setup, fits, noIds, screenshotPath, waitOrExplain } from './lib.mjs';

let env;
let receiver;
let url;
const behaviours = new Map();  // per path, what the receiver answers next: a status per request, 204 when none
before(async () => {
  env = await setup();
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(behaviours.get(req.url)?.shift() ?? 204); res.end('from the test receiver'); });
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
