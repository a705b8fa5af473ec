// Shared setup for the browser tests: the real server on a fresh demo database serving
// web/dist, and Debian's Chromium driven by playwright-core (no browser downloads).
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../tests/integration/lib/server.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = process.env.BACKROOM_WEB_DIST ?? path.join(ROOT, 'web/dist');
// Screenshots refresh docs/screenshots only when asked (BACKROOM_SCREENSHOTS=1), so a test
// run leaves the working tree as it found it; otherwise they go to a temporary folder.
export const SCREENSHOTS = process.env.BACKROOM_SCREENSHOTS === '1'
  ? path.join(ROOT, 'docs/screenshots')
  : path.join(os.tmpdir(), 'backroom-screenshots');
export const PASTA = '8712300100008'; // Brightfield Pasta 250 g, 14.57 in the demo shop

export const DEMO = {
  cashier: { username: 'cashier', password: 'cashier-demo', pin: '1111' },
  lead: { username: 'lead', password: 'lead-demo', pin: '2222' },
  manager: { username: 'manager', password: 'manager-demo', pin: '3333' },
  buyer: { username: 'buyer', password: 'buyer-demo' },
  clerk: { username: 'clerk', password: 'clerk-demo' },
};

export async function setup({ args = [] } = {}) {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`no UI build in ${DIST}: run scripts/build-web.sh`);
  // The register's own traffic at the product's default rate limit: it must never trip it.
  const server = await startServer({ demo: true, args: ['--static-dir', DIST, ...args], env: { BACKROOM_RATE_LIMIT_PER_MINUTE: '1200' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const { json } = await server.get('/api/v1/locations');
  const store = json.locations.find((l) => l.sellable);
  return {
    server, browser, store,
    async page(viewport = { width: 1024, height: 768 }) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('page error:', e.message));
      // Shown only when a test fails (ctest --output-on-failure): what the API refused.
      page.on('response', (r) => {
        if (r.status() >= 400 && r.url().includes('/api/')) console.error(`api ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
      });
      // Also shown only on failure: requests that never reached the server, and slow answers.
      page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && console.error(`request failed ${r.method()} ${new URL(r.url()).pathname}: ${r.failure()?.errorText}`));
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error(`console ${m.type()}: ${m.text()}`); });
      if (process.env.BACKROOM_TRACE_API) {
        page.on('request', (r) => { if (r.url().includes('/api/')) console.error(`${new Date().toISOString()} -> ${r.method()} ${new URL(r.url()).pathname}`); });
        page.on('response', (r) => { if (r.url().includes('/api/')) console.error(`${new Date().toISOString()} <- ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
      }
      page.on('requestfinished', (r) => {
        const ms = r.timing().responseEnd; // milliseconds after the request started
        if (ms > 2000) console.error(`slow ${Math.round(ms)} ms ${r.method()} ${new URL(r.url()).pathname}`);
      });
      await page.goto(server.url + '/');
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

/** Runs `act`; when it fails (a timeout), the error names the page's address and text. */
async function explaining(page, act) {
  try {
    return await act();
  } catch (e) {
    const text = await page.locator('body').innerText({ timeout: 5000 }).catch(() => '(no text: the page did not answer)');
    // What the fields hold (innerText leaves them out), and which one has the focus.
    const fields = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')].map((el) => {
      const label = (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) || el.getAttribute('aria-label') || el.name || el.id;
      return `${label} = ${JSON.stringify(el.value)}${el === document.activeElement ? ' (focused)' : ''}`;
    }).join('\n')).catch(() => '');
    // A new error: the reporter prints the stack, which holds the message as first thrown.
    throw new Error(`${e.message}\n  at ${page.url()} the page read:\n${text.slice(0, 1500)}\n  fields:\n${fields}`, { cause: e });
  }
}
export const waitOrExplain = (page, locator, options) => explaining(page, () => locator.waitFor(options));
export const clickOrExplain = (page, locator, options) => explaining(page, () => locator.click(options));

export async function signIn(page, who) {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** From any signed-in page: the back office's Items, search by name, open the item's editor. */
export async function openItem(page, name) {
  await page.getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('link', { name: 'Items' }).click();
  await page.getByLabel('Search items').fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('form', { name: 'Item details' }).waitFor();
}

/** A keyboard-wedge scanner: the code typed at 5 ms per key, then Enter. */
export async function scan(page, code) {
  const box = page.getByLabel('Scan or search');
  await box.pressSequentially(code, { delay: 5 });
  await box.press('Enter');
}

export async function onHand(server, itemId, locationId) {
  const r = await server.get(`/api/v1/stock?item_id=${itemId}&location_id=${locationId}`);
  if (r.status !== 200) throw new Error(`stock: ${r.status} ${r.text}`);
  return r.json.on_hand;
}

export async function itemByCode(server, code) {
  return (await server.get(`/api/v1/scan/${code}`)).json.item;
}

export async function movementsOf(server, documentId) {
  return (await server.get(`/api/v1/stock/movements?document_id=${documentId}`)).json.movements;
}

export async function lastSale(server, locationId) {
  const r = await server.get(`/api/v1/sales?location_id=${locationId}&limit=200`);
  const sales = r.json.sales;
  sales.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  return sales[0];
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/** A second site to transfer to: the demo shop has one store, so a manager adds a warehouse. */
export async function secondSite(server, storeId) {
  const all = (await server.get('/api/v1/locations')).json.locations;
  const found = all.find((l) => l.id !== storeId && !l.parent_id && l.kind !== 'transit');
  if (found) return found;
  const manager = await server.signIn(DEMO.manager.username, DEMO.manager.password);
  const r = await manager.post('/api/v1/locations', { name: 'Warehouse', kind: 'warehouse' });
  if (r.status !== 201) throw new Error(`create warehouse: ${r.status} ${r.text}`);
  return r.json;
}

/** Signs in at the register and, when the till is closed, opens it with a typed float. */
export async function signInAtRegister(page, who, float = '100') {
  await signIn(page, who);
  const scanBox = page.getByLabel('Scan or search');
  const open = page.getByRole('form', { name: 'Open the till' });
  await scanBox.or(open).first().waitFor();
  if (await open.isVisible()) {
    await open.getByLabel('Opening float').fill(float);
    await open.getByRole('button', { name: 'Open till' }).click();
    await scanBox.waitFor();
  }
  // Until the register knows its till is open, Pay (F4) does nothing: wait for it.
  await page.getByText(/^Till open · session \d+$/).waitFor();
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
// A slice of an id: 8 or more hex characters with at least one letter and one digit.
const SLICE = /\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/i;

/** Fails when the page's visible text or a field's value shows an id (defect 9). */
export async function noIds(page, where) {
  const text = await page.evaluate(() => document.body.innerText + '\n' +
    [...document.querySelectorAll('input, textarea')].map((e) => e.value).join('\n'));
  const m = text.match(UUID) ?? text.match(SLICE);
  if (m) throw new Error(`${where} shows an id: ${m[0]}`);
}

export const touchMin = 44;
/** Fails when the page scrolls sideways or a button, link or field is under 44 px either way. */
export async function fits(page, where) {
  const r = await page.evaluate((min) => {
    const small = [];
    for (const el of document.querySelectorAll('button, a[href], input, select, textarea')) {
      const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') ?? el) : el;
      const b = target.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      if (getComputedStyle(target).visibility === 'hidden') continue;
      if (b.width < min - 0.5 || b.height < min - 0.5) {
        small.push(`${el.tagName.toLowerCase()} “${(el.getAttribute('aria-label') ?? el.textContent ?? el.getAttribute('name') ?? '').trim().slice(0, 30)}” ${Math.round(b.width)}×${Math.round(b.height)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, small };
  }, touchMin);
  if (r.scrollWidth > r.innerWidth) {
    // The last elements past the right edge (some may sit inside a box that scrolls), and with
    // BACKROOM_FIT_SHOT=FILE.png a full-page screenshot: what a failure needs to be mended.
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent ?? '').slice(0, 30)}” ${Math.round(e.getBoundingClientRect().right)}`).join(', '));
    if (process.env.BACKROOM_FIT_SHOT) await page.screenshot({ path: process.env.BACKROOM_FIT_SHOT, fullPage: true });
    throw new Error(`${where}: the page scrolls sideways (${r.scrollWidth} > ${r.innerWidth}): ${wide}`);
  }
  if (r.small.length) throw new Error(`${where}: touch targets under ${touchMin} px: ${r.small.join(', ')}`);
}

/**
 * Polls `fn` in the page until it answers true. page.waitForFunction does not wait for a
 * promise: a function that returns one passes at once, whatever the promise later says.
 */
export async function until(page, fn, arg, what) {
  const deadline = Date.now() + 20000;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error(`waited 20 s for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Whether the register's IndexedDB store `store` holds `key` (through `index` when given). */
export const inCopy = ([store, key, index]) => new Promise((resolve) => {
  const r = indexedDB.open('backroom-register');
  r.onsuccess = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains(store)) { db.close(); resolve(false); return; }
    const s = db.transaction(store).objectStore(store);
    const g = (index ? s.index(index) : s).get(key);
    g.onsuccess = () => { db.close(); resolve(g.result !== undefined); };
    g.onerror = () => { db.close(); resolve(false); };
  };
  r.onerror = () => resolve(false);
});
