// Where to find an item (issue 20), in a real browser: a shift lead photographs an item on a
// tablet (the picture is a camera-sized PNG; the page shrinks it to a JPEG of at most 800 px
// before it is sent) and records its shelf in the store; the pick page then shows each line's
// photo and shelf, in walking order (shelf A2 before B10, lines without a shelf last), at
// both tablet sizes, with touch-sized targets and no ids on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { DEMO, PASTA, setup, signIn, itemByCode, fits, noIds, openItem, screenshotPath } from './lib.mjs';

let env;
let pasta;
let tin;
let candle;
before(async () => {
  env = await setup();
  pasta = await itemByCode(env.server, PASTA);
  for (const [sku, name] of [[`PLACE-TIN-${process.pid}`, 'Saffron tin'], [`PLACE-CANDLE-${process.pid}`, 'Beeswax candle']]) {
    const r = await env.server.post('/api/v1/items', { sku, name, price: 450, tax_category: 'standard' });
    assert.equal(r.status, 201, r.text);
    const a = await env.server.post('/api/v1/stock/adjustments', { item_id: r.json.id, location_id: env.store.id, quantity: 5, reason: 'found' });
    assert.equal(a.status, 201, a.text);
    if (sku.includes('TIN')) tin = r.json; else candle = r.json;
  }
});
after(async () => { await env?.close(); });

// A real PNG of `width` × `height` (RGB bands), written with zlib: what a camera hands over,
// only smaller.
function png(width, height) {
  const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2;  // 8 bits, RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      rows[o] = (x * 255) / width; rows[o + 1] = (y * 255) / height; rows[o + 2] = x % 40 < 20 ? 200 : 40;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('a shift lead photographs an item and records its shelf on a tablet (1024×768)', async () => {
  const page = await env.page({ width: 1024, height: 768 });
  await signIn(page, DEMO.lead);
  await openItem(page, tin.name);
  const photo = page.getByRole('region', { name: 'Photo' });
  await photo.getByText('No photo yet').waitFor();
  await page.getByLabel('Take or choose a photo').setInputFiles({ name: 'tin.png', mimeType: 'image/png', buffer: png(1600, 1200) });
  await photo.getByText('Photo saved.').waitFor();
  const shown = photo.getByRole('img', { name: `Photo of ${tin.name}` });
  await shown.waitFor();
  await page.waitForFunction((name) => { const i = document.querySelector(`img[alt="Photo of ${name}"]`); return i && i.complete && i.naturalWidth > 0; }, tin.name);
  // What the server keeps: a JPEG the page made, 800 × 600.
  const kept = await page.evaluate(async (id) => {
    const r = await fetch(`/api/v1/items/${id}/photo`, { credentials: 'same-origin' });
    const blob = await r.blob();
    const bitmap = await createImageBitmap(blob);
    return { status: r.status, type: r.headers.get('content-type'), bytes: blob.size, width: bitmap.width, height: bitmap.height };
  }, tin.id);
  assert.deepEqual({ ...kept, bytes: kept.bytes <= 256 * 1024 }, { status: 200, type: 'image/jpeg', bytes: true, width: 800, height: 600 });

  const shelves = page.getByRole('region', { name: 'Shelves' });
  const field = shelves.getByRole('textbox', { name: `Shelf in ${env.store.name}`, exact: true });
  await field.fill('A2');
  await field.press('Enter');
  await shelves.getByText(`${env.store.name}: on A2.`).waitFor();
  await fits(page, 'item photo and shelves');
  await noIds(page, 'item photo and shelves');
  await page.screenshot({ path: screenshotPath('backoffice-item-photo-shelf.png') });
  const stored = await env.server.get(`/api/v1/items/${tin.id}/shelves`);
  assert.equal(stored.json.shelves.find((s) => s.location_id === env.store.id).shelf, 'A2');
  await page.context().close();
});

test('the pick page shows each line with its photo and shelf, in walking order, at 768×1024 and 1024×768', async () => {
  const server = env.server;
  assert.equal((await server.put(`/api/v1/items/${candle.id}/shelves/${env.store.id}`, { shelf: 'B10' })).status, 200);
  assert.equal((await server.put(`/api/v1/items/${tin.id}/shelves/${env.store.id}`, { shelf: 'A2' })).status, 200);
  if ((await server.get(`/api/v1/items/${tin.id}/photo`)).status !== 200) {
    assert.equal((await server.put(`/api/v1/items/${tin.id}/photo`, new Uint8Array(png(40, 30)), { 'content-type': 'image/png' })).status, 200);
  }
  const r = await server.post('/api/v1/online-orders', {
    channel: 'web', external_id: `place-${process.pid}`, location_id: env.store.id, promised_at: '2030-01-01T10:00:00Z',
    customer: { name: 'Wanda Walker', email: 'walk@example.com' }, paid: true,
    lines: [pasta, candle, tin].map((i) => ({ item_id: i.id, quantity: 1, unit_price: i.price })),
  }, { 'idempotency-key': `place-${process.pid}` });
  assert.equal(r.status, 201, r.text);
  const order = r.json;

  for (const size of [{ width: 768, height: 1024 }, { width: 1024, height: 768 }]) {
    const page = await env.page(size);
    await signIn(page, DEMO.lead);
    await page.getByRole('link', { name: 'Back office' }).waitFor();
    await page.goto(server.url + '/office/pick');
    const row = page.getByRole('table', { name: 'Pick queue' }).getByRole('row').filter({ hasText: order.number });
    await row.getByRole('button', { name: `Pick ${order.number}` }).click();
    const lines = page.getByRole('list', { name: 'Lines' }).getByRole('listitem');
    await lines.first().waitFor();
    assert.deepEqual(await lines.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))), [tin.name, candle.name, pasta.name],
      'A2, then B10, then the line without a shelf');
    await lines.nth(0).getByText('Shelf A2').waitFor();
    await lines.nth(1).getByText('Shelf B10').waitFor();
    await page.waitForFunction((name) => { const i = document.querySelector(`img[alt="Photo of ${name}"]`); return i && i.complete && i.naturalWidth > 0; }, tin.name);
    assert.equal(await lines.nth(1).getByRole('img').count(), 0, 'no photo: an empty frame, not a broken picture');
    await fits(page, `picking with photos ${size.width}×${size.height}`);
    await noIds(page, `picking with photos ${size.width}×${size.height}`);
    if (size.width === 768) await page.screenshot({ path: screenshotPath('pick-photos-shelves.png') });
    await page.context().close();
  }
});

test("the customer's substitution link shows the offered item's photo, on a phone (390×844)", async () => {
  const server = env.server;
  const r = await server.post('/api/v1/online-orders', {
    channel: 'web', external_id: `place-offer-${process.pid}`, location_id: env.store.id, promised_at: '2030-01-02T10:00:00Z',
    customer: { name: 'Otto Offer', email: 'otto@example.com' }, paid: true,
    lines: [{ item_id: candle.id, quantity: 1, unit_price: candle.price }],
  }, { 'idempotency-key': `place-offer-${process.pid}` });
  assert.equal(r.status, 201, r.text);
  const line = r.json.lines[0];
  assert.equal((await server.post(`/api/v1/online-orders/${r.json.id}/short`, { line_id: line.id })).status, 200);
  const offer = await server.post(`/api/v1/online-orders/${r.json.id}/substitutions`, { line_id: line.id, item_id: tin.id, unit_price: 450 });
  assert.equal(offer.status, 201, offer.text);

  const page = await env.page({ width: 390, height: 844 });
  await page.goto(server.url + offer.json.link_path);
  await page.getByRole('main', { name: 'Substitute offer' }).getByText(`1 × ${tin.name}`).waitFor();
  await page.waitForFunction((name) => { const i = document.querySelector(`img[alt="Photo of ${name}"]`); return i && i.complete && i.naturalWidth > 0; }, tin.name);
  await fits(page, "the customer's offer");
  await noIds(page, "the customer's offer");
  await page.screenshot({ path: screenshotPath('substitution-offer-photo.png') });
  await page.context().close();
});
