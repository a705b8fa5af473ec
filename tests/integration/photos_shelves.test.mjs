// Item photos and shelves (issue 20, src/catalog/photo.hpp, src/stock/shelves.hpp) over real
// HTTP, on either backend: a photo is stored as sent and read back byte for byte with an ETag
// (304 when unchanged); a type other than JPEG/PNG/WebP, bytes that are not what they claim,
// an oversized picture, an unknown item and a role without items.update are refused with a
// problem naming the part; each item has a shelf per location, trimmed and checked; an online
// order's lines and a short line's substitutes carry the shelf at the order's store and the
// photo's URL, so the pick page can show both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkedFetch, startServer } from './lib/server.mjs';
import { adjust, makeItem, store, uuidv7 } from './lib/shop.mjs';

// Real pictures: a 1×1 PNG and a 1×1 lossless WebP (both decode in a browser).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s?.stop(); });

// The photo's bytes as the browser gets them (the test client reads answers as text).
async function rawGet(path, headers = {}) {
  const res = await checkedFetch(s.url + path, { headers: { ...s.headers, ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function auditOf(action, entity) {
  const r = await s.get(`/api/v1/audit?limit=500&action=${action}&entity_id=${entity}`);
  assert.equal(r.status, 200, r.text);
  return r.json.entries;  // newest first
}

test('a photo is kept as sent, read back with its ETag, replaced, removed; bad pictures are refused', async () => {
  const item = await makeItem(s);
  const cashier = await s.as('cashier');  // items.update: a cashier may photograph an item
  const put = await cashier.put(`/api/v1/items/${item.id}/photo`, new Uint8Array(PNG), { 'content-type': 'image/png' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.content_type, 'image/png');
  assert.equal(put.json.bytes, PNG.length);
  assert.match(put.json.etag, /^"p-[0-9a-f]{32}"$/);
  assert.equal(put.json.url, `/api/v1/items/${item.id}/photo`);

  const got = await rawGet(`/api/v1/items/${item.id}/photo`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('etag'), put.json.etag);
  assert.ok(got.bytes.equals(PNG), 'the same bytes back');
  const again = await rawGet(`/api/v1/items/${item.id}/photo`, { 'if-none-match': put.json.etag });
  assert.equal(again.status, 304);
  assert.equal(again.bytes.length, 0);

  // Replaced by a WebP: a new ETag, the old one no longer matches.
  const webp = await cashier.put(`/api/v1/items/${item.id}/photo`, new Uint8Array(WEBP), { 'content-type': 'image/webp; q=1' });
  assert.equal(webp.status, 200, webp.text);
  assert.notEqual(webp.json.etag, put.json.etag);
  const replaced = await rawGet(`/api/v1/items/${item.id}/photo`, { 'if-none-match': put.json.etag });
  assert.equal(replaced.status, 200);
  assert.equal(replaced.headers.get('content-type'), 'image/webp');
  assert.ok(replaced.bytes.equals(WEBP));

  const refused = async (client, body, type, status, code, field, itemId = item.id) => {
    const r = await client.put(`/api/v1/items/${itemId}/photo`, body, { 'content-type': type });
    assert.equal(r.status, status, r.text);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.equal(r.json.code, code);
    if (field) assert.equal(r.json.field, field);
  };
  await refused(cashier, 'not a picture', 'text/plain', 415, 'unsupported_photo_type', 'content-type');
  await refused(cashier, new Uint8Array(PNG), 'image/gif', 415, 'unsupported_photo_type', 'content-type');
  await refused(cashier, new Uint8Array(PNG), 'image/jpeg', 422, 'photo_mismatch', 'body');
  await refused(cashier, new Uint8Array(0), 'image/png', 422, 'photo_mismatch', 'body');
  const big = Buffer.alloc(256 * 1024 + 1);
  PNG.copy(big);
  await refused(cashier, new Uint8Array(big), 'image/png', 413, 'photo_too_large', 'body');
  await refused(cashier, new Uint8Array(PNG), 'image/png', 404, 'not_found', undefined, uuidv7());
  await refused(await s.as('webshop'), new Uint8Array(PNG), 'image/png', 403, 'forbidden');
  const still = await rawGet(`/api/v1/items/${item.id}/photo`);
  assert.ok(still.bytes.equals(WEBP), 'a refused picture changes nothing');

  const audit = await auditOf('item.photo', item.id);
  assert.equal(audit.length, 2, JSON.stringify(audit));
  for (const e of audit) assert.ok(!JSON.stringify(e).includes(WEBP.toString('base64').slice(0, 16)), 'no bytes in the audit');

  assert.equal((await cashier.del(`/api/v1/items/${item.id}/photo`)).status, 200);
  const gone = await s.get(`/api/v1/items/${item.id}/photo`);
  assert.equal(gone.status, 404);
  assert.equal(gone.json.code, 'no_photo');
  assert.equal((await cashier.del(`/api/v1/items/${item.id}/photo`)).json.code, 'no_photo');
  assert.equal((await auditOf('item.photo', item.id)).length, 3);
});

test('an item has a shelf per location: trimmed, checked, cleared, audited', async () => {
  const item = await makeItem(s);
  const lead = await s.as('shift_lead');
  const listed = await lead.get(`/api/v1/items/${item.id}/shelves`);
  assert.equal(listed.status, 200, listed.text);
  assert.ok(listed.json.shelves.some((x) => x.location_id === shop.id), 'every site');
  assert.ok(listed.json.shelves.every((x) => x.shelf === null && x.location_name));

  const set = await lead.put(`/api/v1/items/${item.id}/shelves/${shop.id}`, { shelf: '  A3-2 top ' });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json, { location_id: shop.id, location_name: shop.name, shelf: 'A3-2 top' });
  const after = (await lead.get(`/api/v1/items/${item.id}/shelves`)).json.shelves;
  assert.equal(after.find((x) => x.location_id === shop.id).shelf, 'A3-2 top');
  assert.equal(after.filter((x) => x.shelf !== null).length, 1, 'the other locations keep none');

  const bad = async (body, code, field) => {
    const r = await lead.put(`/api/v1/items/${item.id}/shelves/${shop.id}`, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.code, code);
    assert.equal(r.json.field, field);
  };
  await bad({ shelf: 'x'.repeat(41) }, 'invalid_field', 'shelf');
  await bad({ shelf: 'A3\u0007' }, 'invalid_field', 'shelf');
  await bad({ shelf: 12 }, 'invalid_field', 'shelf');
  await bad({}, 'missing_field', 'shelf');
  await bad({ shelf: 'A1', bin: 'B2' }, 'unknown_field', 'bin');
  assert.equal((await lead.put(`/api/v1/items/${item.id}/shelves/${shop.id}`, { shelf: 'Kühlraum oben ' + 'ü'.repeat(26) })).status, 200,
    '40 characters of which some take two bytes');
  assert.equal((await lead.put(`/api/v1/items/${uuidv7()}/shelves/${shop.id}`, { shelf: 'A1' })).status, 404);
  const noPlace = await lead.put(`/api/v1/items/${item.id}/shelves/${uuidv7()}`, { shelf: 'A1' });
  assert.equal(noPlace.status, 422, noPlace.text);
  assert.equal(noPlace.json.field, 'location_id');
  const bins = (await s.get('/api/v1/locations')).json.locations.filter((l) => l.kind === 'damaged');
  assert.ok(bins.length > 0, 'the default shop has a damaged bin');
  const inBin = await lead.put(`/api/v1/items/${item.id}/shelves/${bins[0].id}`, { shelf: 'A1' });
  assert.equal(inBin.status, 422, inBin.text);
  assert.equal(inBin.json.field, 'location_id');
  assert.ok(!listed.json.shelves.some((x) => x.location_id === bins[0].id), 'bins are not listed');
  assert.equal((await (await s.as('webshop')).put(`/api/v1/items/${item.id}/shelves/${shop.id}`, { shelf: 'A1' })).status, 403);

  const cleared = await lead.put(`/api/v1/items/${item.id}/shelves/${shop.id}`, { shelf: null });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.json.shelf, null);
  const audit = await auditOf('item.shelf', item.id);
  assert.equal(audit.length, 3, 'set, changed, cleared');
  assert.equal(audit[0].before.shelf, 'Kühlraum oben ' + 'ü'.repeat(26));
  assert.equal(audit[0].after.shelf, null);
  assert.equal(audit.at(-1).after.shelf, 'A3-2 top');
});

test("an online order's lines and a short line's substitutes carry the shelf at its store and the photo's URL", async () => {
  const category = `Tulips ${process.pid}`;
  const tulip = await makeItem(s, { category, price: 500 });
  const rose = await makeItem(s, { category, price: 520 });
  const vase = await makeItem(s, { price: 2500 });
  for (const it of [tulip, rose, vase]) await adjust(s, it, shop, 5);
  await s.put(`/api/v1/items/${tulip.id}/shelves/${shop.id}`, { shelf: 'Bucket 3' });
  await s.put(`/api/v1/items/${rose.id}/shelves/${shop.id}`, { shelf: 'Bucket 1' });
  const photo = await s.put(`/api/v1/items/${tulip.id}/photo`, new Uint8Array(PNG), { 'content-type': 'image/png' });
  const rosePhoto = await s.put(`/api/v1/items/${rose.id}/photo`, new Uint8Array(WEBP), { 'content-type': 'image/webp' });

  const webshop = await s.as('webshop');
  const placed = await webshop.post('/api/v1/online-orders', {
    channel: 'web', external_id: `W-${uuidv7()}`, location_id: shop.id,
    promised_at: new Date(Date.now() + 4 * 3600_000).toISOString(),
    customer: { name: 'Ada Shopper', phone: '+3161234567', email: 'ada@example.com' },
    lines: [{ item_id: tulip.id, quantity: 2, unit_price: 500 }, { item_id: vase.id, quantity: 1, unit_price: 2500 }],
    paid: true,
  }, { 'idempotency-key': uuidv7() });
  assert.equal(placed.status, 201, placed.text);
  const [tulipLine, vaseLine] = placed.json.lines;
  assert.equal(tulipLine.shelf, 'Bucket 3');
  assert.equal(tulipLine.photo_url, `/api/v1/items/${tulip.id}/photo?v=${photo.json.etag.replaceAll('"', '')}`);
  assert.equal(vaseLine.shelf, null);
  assert.equal(vaseLine.photo_url, null);
  const shown = await rawGet(tulipLine.photo_url);
  assert.equal(shown.status, 200);
  assert.ok(shown.bytes.equals(PNG));

  const queue = await s.get(`/api/v1/pick-queue?location_id=${shop.id}`);
  assert.equal(queue.status, 200, queue.text);
  assert.equal(queue.json.online_orders.find((o) => o.id === placed.json.id).lines[0].shelf, 'Bucket 3');

  const subs = await s.get(`/api/v1/online-orders/${placed.json.id}/lines/${tulipLine.id}/substitutes`);
  assert.equal(subs.status, 200, subs.text);
  const offered = subs.json.items.find((c) => c.item_id === rose.id);
  assert.ok(offered, JSON.stringify(subs.json));
  assert.equal(offered.shelf, 'Bucket 1');
  assert.equal(offered.photo_url, `/api/v1/items/${rose.id}/photo?v=${rosePhoto.json.etag.replaceAll('"', '')}`);

  // The customer's link shows the offered item's photo, without credentials (the token is the proof).
  assert.equal((await s.post(`/api/v1/online-orders/${placed.json.id}/short`, { line_id: tulipLine.id })).status, 200);
  const offer = await s.post(`/api/v1/online-orders/${placed.json.id}/substitutions`, { line_id: tulipLine.id, item_id: rose.id });
  assert.equal(offer.status, 201, offer.text);
  const token = offer.json.link_path.split('/').pop();
  const customer = s.anonymous();
  const page = await customer.get(`/api/v1/substitution-offers/${token}`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.offered.has_photo, true);
  const picture = await checkedFetch(`${s.url}/api/v1/substitution-offers/${token}/photo`);
  assert.equal(picture.status, 200);
  assert.equal(picture.headers.get('content-type'), 'image/webp');
  assert.ok(Buffer.from(await picture.arrayBuffer()).equals(WEBP));
  const unchanged = await checkedFetch(`${s.url}/api/v1/substitution-offers/${token}/photo`, { headers: { 'if-none-match': rosePhoto.json.etag } });
  assert.equal(unchanged.status, 304);
  const unknown = await customer.get(`/api/v1/substitution-offers/${'0'.repeat(48)}/photo`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.code, 'no_photo');
  assert.equal((await customer.get(`/api/v1/items/${rose.id}/photo`)).status, 401, 'the item route itself still needs a sign-in');
});
