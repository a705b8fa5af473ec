// Labels that scan: every barcode the binary draws (PDF pages rasterised at 300 dpi, SVG
// previews rendered to PNG) decodes with zbarimg to exactly the item's code, for each
// symbology and template; damaged labels are decoded and their rates reported; the label
// queue fills itself from new items, price changes and received transfers; ZPL and the
// receipt routes answer as documented; bad input is a 4xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync, readFileSync, readdirSync, mkdirSync, appendFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BACKEND, startServer, cli, tempDir, checkedFetch } from './lib/server.mjs';

const run = promisify(execFile);
let s;
let work;
const items = {};

before(async () => {
  s = await startServer({ demo: true });
  work = tempDir('backroom-labels-');
  const make = async (key, body) => {
    const r = await s.post('/api/v1/items', body);
    assert.equal(r.status, 201, r.text);
    items[key] = r.json;
  };
  await make('ean13', { sku: 'LBL-E13', name: 'Label Test Cocoa 250 g', price: 349,
    barcodes: ['4006381333931', { code: '14006381333938', pack_quantity: 12 }] });
  await make('upca', { sku: 'LBL-UPC', name: 'Label Test Soda 355 ml', price: 129, barcodes: ['036000291452'] });
  await make('ean8', { sku: 'LBL-E8', name: 'Label Test Gum', price: 99, barcodes: ['96385074'] });
  await make('code128', { sku: 'LBL-TXT', name: 'Label Test Nails 1 kg', price: 450, barcodes: ['LBL-TEXT-0077'] });
});
after(async () => {
  await s?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- helpers ----------------------------------------------------------------------------

// Binary responses (PDF, PNG) with the same credentials the helpers send.
async function bytes(method, p, body) {
  const init = { method, headers: { ...s.headers } };
  if (body !== undefined) { init.body = JSON.stringify(body); init.headers['content-type'] = 'application/json'; }
  const res = await checkedFetch(s.url + p, init);
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

// A small pool: zbarimg and ImageMagick calls run `width` at a time.
async function pool(tasks, width = Math.max(2, availableParallelism())) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) { const i = next++; results[i] = await tasks[i](); }
  }));
  return results;
}

// Decoded symbols of an image (stdout only; exit 4 = nothing found).
async function zbar(png) {
  try {
    const { stdout } = await run('zbarimg', ['--raw', '-q', '-Supca.enable', png], { maxBuffer: 1 << 20 });
    return stdout.split('\n').filter(Boolean);
  } catch (e) {
    if (e.code === 4) return [];
    throw e;
  }
}

// UPC-A may come back as EAN-13 with a leading 0, EAN-8/UPC-A/EAN-13 are GTINs: compare as GTIN-14.
const norm = (code) => (/^\d{8}$|^\d{12,14}$/.test(code) ? code.padStart(14, '0') : code);
const sorted = (list) => list.map(norm).sort();

let fileNo = 0;
async function rasterisePdf(buf) {
  const n = ++fileNo;
  const base = path.join(work, `pdf-${n}`);
  writeFileSync(`${base}.pdf`, buf);
  await run('pdftoppm', ['-r', '300', '-png', `${base}.pdf`, base]);
  return readdirSync(work).filter((f) => f.startsWith(`pdf-${n}-`) && f.endsWith('.png')).sort()
    .map((f) => path.join(work, f));
}
async function decodePdf(buf) {
  const pages = await rasterisePdf(buf);
  return (await pool(pages.map((p) => () => zbar(p)))).flat();
}
async function decodeSvg(svg) {
  const n = ++fileNo;
  const base = path.join(work, `svg-${n}`);
  writeFileSync(`${base}.svg`, svg);
  await run('rsvg-convert', ['--dpi-x', '300', '--dpi-y', '300', '-b', 'white', '-o', `${base}.png`, `${base}.svg`]);
  return zbar(`${base}.png`);
}

const code = (key) => items[key].barcodes[0].code;
const caseCode = () => `01${items.ean13.barcodes.find((b) => b.pack_quantity === 12).code}`;

// ---- every symbology on every template ----------------------------------------------------

const TEMPLATES = ['a4-3x8', 'a4-3x10', 'a4-2x4', 'letter-3x10', 'letter-2x5', 'roll-58x40', 'roll-50x30',
  'roll-100x50', 'grid:2x7:99x38:page=a4:margin=6,15.5'];

test('PDF labels of every symbology decode to exactly the item codes, on every template', async () => {
  const jobs = [];
  for (const template of TEMPLATES) {
    const linear = {
      template, format: 'pdf',
      items: [
        { item_id: items.ean13.id, kind: 'shelf' },
        { item_id: items.upca.id, kind: 'shelf' },
        { sku: 'LBL-E8', kind: 'sticker' },
        { item_id: items.code128.id, kind: 'shelf' },
        { item_id: items.ean13.id, kind: 'case' },
      ],
    };
    const expected = [code('ean13'), code('upca'), code('ean8'), code('code128'), caseCode()];
    const qr = { template, format: 'pdf', symbology: 'qr', kind: 'shelf', items: [{ item_id: items.ean13.id }, { item_id: items.code128.id }] };
    jobs.push([template, linear, expected], [`${template} qr`, qr, [code('ean13'), code('code128')]]);
  }
  const results = await Promise.all(jobs.map(async ([name, body, expected]) => {
    const r = await bytes('POST', '/api/v1/labels/print', body);
    assert.equal(r.status, 200, `${name}: ${r.text.slice(0, 300)}`);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
    return [name, await decodePdf(r.buf), expected];
  }));
  for (const [name, decoded, expected] of results) assert.deepEqual(sorted(decoded), sorted(expected), name);
});

test('SVG previews of every symbology and kind decode to the item code', async () => {
  const cases = [
    [items.ean13.id, 'shelf', '', code('ean13')],
    [items.ean13.id, 'sticker', '&template=letter-3x10', code('ean13')],
    [items.upca.id, 'shelf', '', code('upca')],
    [items.upca.id, 'sticker', '&template=roll-50x30', code('upca')],
    [items.ean8.id, 'sticker', '', code('ean8')],
    [items.code128.id, 'shelf', '&template=letter-2x5', code('code128')],
    [items.ean13.id, 'case', '', caseCode()],
    [items.ean13.id, 'case', '&template=roll-100x50', caseCode()],
    [items.ean13.id, 'shelf', '&symbology=qr', code('ean13')],
    [items.code128.id, 'sticker', '&symbology=qr&template=a4-3x10', code('code128')],
  ];
  const decoded = await pool(cases.map(([id, kind, extra]) => async () => {
    const r = await s.get(`/api/v1/labels/preview?item_id=${id}&kind=${kind}&format=svg${extra}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
    assert.match(r.text, /<svg[^>]*width="\d+(\.\d+)?mm"/);
    return decodeSvg(r.text);
  }));
  cases.forEach(([, kind, extra, expected], i) => assert.deepEqual(sorted(decoded[i]), sorted([expected]), `${kind}${extra}`));
});

test('a scale label carries the weighed price and scans back to the item with its weight', async () => {
  const found = await s.get('/api/v1/items?q=PRD-0001');
  const apples = found.json.items.find((it) => it.sku === 'PRD-0001');
  assert.ok(apples?.sold_by_weight);
  const r = await bytes('POST', '/api/v1/labels/print', {
    template: 'roll-58x40', format: 'pdf', items: [{ item_id: apples.id, kind: 'scale', weight: 0.512 }] });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const decoded = await decodePdf(r.buf);
  assert.equal(decoded.length, 1);
  const scan = await s.get(`/api/v1/scan/${decoded[0]}`);
  assert.equal(scan.status, 200, scan.text);
  assert.equal(scan.json.item.id, apples.id);
  const embedded = JSON.stringify(scan.json);
  assert.ok(/"embedded_(weight|price)":/.test(embedded), embedded);
  const missing = await s.post('/api/v1/labels/print', { template: 'roll-58x40', items: [{ item_id: apples.id, kind: 'scale' }] });
  assert.equal(missing.status, 422);
  assert.equal(missing.json.code, 'missing_field');
});

test('the CLI writes PDF, SVG and ZPL that scan and parse', async () => {
  const pdf = path.join(work, 'cli.pdf');
  let r = cli(['labels', 'print', '--db', s.db, '--sku', 'LBL-E13', '--sku', 'LBL-UPC', '--sku', 'LBL-TXT',
    '--template', 'letter-3x10', '--format', 'pdf', '-o', pdf]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(sorted(await decodePdf(readFileSync(pdf))), sorted([code('ean13'), code('upca'), code('code128')]));
  const svg = path.join(work, 'cli.svg');
  r = cli(['labels', 'print', '--db', s.db, '--sku', 'LBL-E8', '--format', 'svg', '--template', 'roll-50x30', '-o', svg]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(sorted(await decodeSvg(readFileSync(svg, 'utf8'))), sorted([code('ean8')]));
  for (const dpi of ['203', '300']) {
    const zpl = path.join(work, `cli-${dpi}.zpl`);
    r = cli(['labels', 'print', '--db', s.db, '--sku', 'LBL-E13', '--sku', 'LBL-UPC', '--sku', 'LBL-E8', '--sku', 'LBL-TXT',
      '--format', 'zpl', '--dpi', dpi, '--template', 'roll-58x40', '-o', zpl]);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(zpl, 'utf8');
    const blocks = [...text.matchAll(/\^XA([\s\S]*?)\^XZ/g)].map((m) => m[1]);
    assert.equal(blocks.length, 4);
    assert.equal((text.match(/\^XA/g) ?? []).length, 4);
    const fields = blocks.map((b) => [...b.matchAll(/\^(BE|BU|B8|BC)[^^]*\^FH\\\^FD([^^]*)\^FS/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(fields, [[['BE', code('ean13').slice(0, 12)]], [['BU', code('upca').slice(0, 11)]],
      [['B8', code('ean8').slice(0, 7)]], [['BC', code('code128')]]]);
    assert.match(blocks[0], dpi === '203' ? /\^PW464\n/ : /\^PW685\n/);  // 58 mm
  }
  r = cli(['labels', 'print', '--db', s.db, '--sku', 'NO-SUCH-SKU', '-o', path.join(work, 'x.pdf')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown_item/);
  r = cli(['labels', 'print', '--db', s.db, '--sku', 'LBL-E13', '--template', 'nope', '-o', path.join(work, 'x.pdf')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown_template/);
});

test('ZPL over HTTP at 203 and 300 dpi: one ^XA…^XZ per label, fields carry the item data', async () => {
  for (const dpi of [203, 300]) {
    const r = await s.post('/api/v1/labels/print', { format: 'zpl', dpi, template: 'roll-100x50',
      items: [{ item_id: items.ean13.id, kind: 'case', copies: 2 }, { item_id: items.upca.id, kind: 'shelf' }] });
    assert.equal(r.status, 200, r.text);
    const blocks = [...r.text.matchAll(/\^XA([\s\S]*?)\^XZ/g)].map((m) => m[1]);
    assert.equal(blocks.length, 3);
    assert.match(blocks[0], /\^BCN,\d+,Y,N,N,D\^FH\\\^FD\(01\)14006381333938\^FS/);
    assert.match(blocks[2], new RegExp(`\\^BUN,\\d+,Y,N,Y\\^FH\\\\\\^FD${code('upca').slice(0, 11)}\\^FS`));
  }
});

// ---- the queue -----------------------------------------------------------------------------

test('the queue fills itself from new items, price changes and received transfers, and prints', async () => {
  const first = await s.get('/api/v1/labels/queue?store=Store&limit=5');
  assert.equal(first.status, 200, first.text);
  assert.ok(first.json.pending >= 2000, `demo items are queued: ${first.json.pending}`);
  assert.equal(first.json.entries[0].reason, 'new_item');

  const two = await s.post('/api/v1/locations', { name: 'Shop Two', kind: 'store' });
  assert.equal(two.status, 201, two.text);
  const store2 = two.json.id;
  const created = await s.post('/api/v1/items', { sku: 'LBL-Q1', name: 'Queue Test Tea 100 g', price: 275, barcodes: ['5012345678900'] });
  assert.equal(created.status, 201, created.text);
  const item = created.json;
  let q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.equal(q.status, 200, q.text);
  assert.deepEqual(q.json.entries.map((e) => [e.sku, e.reason, e.kind]), [['LBL-Q1', 'new_item', 'shelf']]);

  let printed = await bytes('POST', '/api/v1/labels/queue/print', { store: 'Shop Two', format: 'pdf' });
  assert.equal(printed.status, 200, printed.text.slice(0, 300));
  assert.equal(printed.headers.get('x-entries-marked'), '1');
  assert.deepEqual(sorted(await decodePdf(printed.buf)), sorted(['5012345678900']));
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.equal(q.json.pending, 0);
  const empty = await s.post('/api/v1/labels/queue/print', { store: store2 });
  assert.equal(empty.status, 409);
  assert.equal(empty.json.code, 'queue_empty');

  // A price change requested by one person and approved by another takes effect: a label.
  const request = await s.post('/api/v1/price-changes', { item_id: item.id, price: 299, reason: 'supplier increase' });
  assert.equal(request.status, 201, request.text);
  const manager = await s.as('manager');
  const approve = await manager.post(`/api/v1/price-changes/${request.json.id}/approve`, {});
  assert.ok(approve.status === 200 || approve.status === 201, approve.text);
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.deepEqual(q.json.entries.map((e) => [e.sku, e.reason, e.price]), [['LBL-Q1', 'price_change', 299]]);
  printed = await bytes('POST', '/api/v1/labels/queue/print', { store: store2, format: 'zpl' });
  assert.equal(printed.status, 200, printed.text);
  assert.equal((printed.text.match(/\^XA/g) ?? []).length, 1);
  assert.match(printed.text, /\^FD501234567890\^FS/);
  assert.match(printed.text, /2\.99/);

  // Stock received by transfer into Shop Two: a label there, not in the sending store again.
  const stores = await s.get('/api/v1/locations');
  const store1 = stores.json.locations.find((l) => l.name === 'Store').id;
  const adj = await s.post('/api/v1/stock/adjustments', { item_id: item.id, location_id: store1, quantity: 10, reason: 'found' });
  assert.equal(adj.status, 201, adj.text);
  const ship = await s.post('/api/v1/transfers', { from_location_id: store1, to_location_id: store2, lines: [{ item_id: item.id, quantity: 4 }] });
  assert.equal(ship.status, 201, ship.text);
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.equal(q.json.pending, 0, 'shipping alone queues nothing');
  const receive = await s.post(`/api/v1/transfers/${ship.json.id}/receive`, {});
  assert.ok(receive.status === 200 || receive.status === 201, receive.text);
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.deepEqual(q.json.entries.map((e) => [e.sku, e.reason]), [['LBL-Q1', 'transfer_received']]);

  // The CLI prints the queue to ZPL and marks it printed.
  const out = path.join(work, 'queue.zpl');
  const r = cli(['labels', 'print', '--db', s.db, '--queue', 'Shop Two', '--format', 'zpl', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((readFileSync(out, 'utf8').match(/\^XA/g) ?? []).length, 1);
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.equal(q.json.pending, 0);

  // Manual queueing, and one pending label per item however many reasons.
  for (let i = 0; i < 2; i++) {
    const m = await s.post('/api/v1/labels/queue', { store: store2, sku: 'LBL-Q1', reason: 'shelf reset' });
    assert.equal(m.status, 202, m.text);
  }
  q = await s.get(`/api/v1/labels/queue?store=${store2}`);
  assert.equal(q.json.pending, 1);
});

// ---- receipts ------------------------------------------------------------------------------

test('a sale reprints as ESC/POS and as HTML at 80 and 58 mm', async () => {
  const stores = await s.get('/api/v1/locations');
  const store1 = stores.json.locations.find((l) => l.name === 'Store').id;
  const sale = await s.post('/api/v1/sales', { location_id: store1,
    lines: [{ item_id: items.ean13.id, quantity: 2 }, { item_id: items.upca.id, quantity: 1 }],
    tenders: [{ type: 'cash', amount: 2000 }] });
  assert.equal(sale.status, 201, sale.text);
  const esc = await bytes('GET', `/api/v1/sales/${sale.json.id}/receipt?format=escpos&width=58`);
  assert.equal(esc.status, 200, esc.text);
  assert.deepEqual([...esc.buf.subarray(0, 2)], [0x1b, 0x40]);
  assert.deepEqual([...esc.buf.subarray(esc.buf.length - 4)], [0x1d, 0x56, 0x42, 0x00]);
  const barcode = Buffer.from(`{B${sale.json.receipt_number}`);
  const at = esc.buf.indexOf(barcode);
  assert.ok(at > 4, 'the receipt number is a Code 128 barcode');
  assert.deepEqual([...esc.buf.subarray(at - 4, at)], [0x1d, 0x6b, 0x49, barcode.length]);
  const html = await s.get(`/api/v1/sales/${sale.json.id}/receipt?format=html&width=80`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /text\/html/);
  assert.ok(html.text.includes(sale.json.receipt_number));
  assert.ok(html.text.includes('Label Test Cocoa 250 g'));
  const bad = await s.get(`/api/v1/sales/${sale.json.id}/receipt?format=pdf`);
  assert.equal(bad.status, 422);
  const missing = await s.get('/api/v1/sales/01936f5e-8a00-7abc-8def-0123456789ab/receipt');
  assert.equal(missing.status, 404);
});

// ---- bad input -----------------------------------------------------------------------------

test('bad input is a 4xx problem with a stable code, never a crash', async () => {
  const cases = [
    [{ template: 'a5-9x9', items: [{ item_id: items.ean13.id }] }, 422, 'unknown_template'],
    [{ template: 'grid:9x9:60x60', items: [{ item_id: items.ean13.id }] }, 422, 'invalid_template'],
    [{ format: 'docx', items: [{ item_id: items.ean13.id }] }, 422, 'invalid_format'],
    [{ items: [{ sku: 'NO-SUCH-SKU' }] }, 404, 'unknown_item'],
    [{ items: [] }, 422, 'missing_field'],
    [{ items: [{ item_id: items.ean13.id, kind: 'poster' }] }, 422, 'invalid_kind'],
    [{ items: [{ item_id: items.ean8.id, kind: 'case' }] }, 422, 'no_case_barcode'],
    [{ symbology: 'ean8', items: [{ item_id: items.ean13.id }] }, 422, 'invalid_symbology'],
    [{ template: 'grid:1x1:20x12:page=30x20', items: [{ item_id: items.ean13.id }] }, 422, 'label_too_small'],
    [{ format: 'svg', items: Array(30).fill({ item_id: items.ean13.id }) }, 422, 'single_page_format'],
    [{ format: 'zpl', dpi: 600, items: [{ item_id: items.ean13.id }] }, 422, 'invalid_field'],
    [{ offset_x_mm: 50, items: [{ item_id: items.ean13.id }] }, 422, 'invalid_field'],
  ];
  for (const [body, status, problem] of cases) {
    const r = await s.post('/api/v1/labels/print', body);
    assert.equal(r.status, status, JSON.stringify(body).slice(0, 100) + r.text);
    assert.equal(r.json.code, problem, JSON.stringify(body).slice(0, 100));
    assert.match(r.headers.get('content-type'), /problem\+json/);
  }
  assert.equal((await s.get('/api/v1/labels/preview')).json.code, 'missing_field');
  assert.equal((await s.get('/api/v1/labels/queue?store=Nowhere')).json.code, 'unknown_store');
  assert.equal((await s.get(`/api/v1/labels/preview?item_id=${items.ean13.id}&format=bmp`)).status, 422);
  const cashier = await s.as('cashier');
  assert.equal((await cashier.get(`/api/v1/labels/preview?item_id=${items.ean13.id}`)).status, 200);
  assert.equal((await cashier.post('/api/v1/labels/print', { items: [{ item_id: items.ean13.id }] })).status, 403);
  const health = await s.get('/healthz');
  assert.equal(health.status, 200);
});

test('calibration: saved offsets move the printed labels; the calibration sheet is a PDF', async () => {
  const zplAt = async () => (await s.post('/api/v1/labels/print', { format: 'zpl', template: 'roll-58x40',
    items: [{ item_id: items.ean13.id }] })).text.match(/\^FO(\d+),(\d+)\^BY/).slice(1).map(Number);
  const [x0, y0] = await zplAt();
  const put = await s.put('/api/v1/labels/calibration', { offset_x_mm: 1.5, offset_y_mm: -0.5 });
  assert.equal(put.status, 200, put.text);
  const [x1, y1] = await zplAt();
  assert.equal(x1 - x0, 12);  // 1.5 mm at 203 dpi
  assert.equal(y1 - y0, -4);
  await s.put('/api/v1/labels/calibration', { offset_x_mm: 0, offset_y_mm: 0 });
  const sheet = await bytes('GET', '/api/v1/labels/calibration?template=a4-3x8');
  assert.equal(sheet.status, 200);
  assert.equal(sheet.buf.subarray(0, 5).toString(), '%PDF-');
  assert.equal((await s.put('/api/v1/labels/calibration', { offset_x_mm: 25 })).status, 422);
});

// ---- damaged labels --------------------------------------------------------------------------

const DAMAGE = {
  clean: [],
  blur: ['-blur', '0x2'],
  // Seeded so that a run is reproducible; change the seed to sample other noise.
  noise: ['-seed', process.env.BACKROOM_NOISE_SEED ?? '20261128', '-attenuate', '1.5', '+noise', 'Gaussian'],
  'rotate 3°': ['-background', 'white', '-rotate', '3'],
  crease: ['-stroke', 'gray25', '-strokewidth', '5', '-draw', 'line 0,%Y1 %W,%Y2'],
  'contrast 60%': ['+level', '20%,80%'],
};

// Each label is rasterised alone from the printed PDF page (pdftoppm -r 300 with a crop
// box), then damaged with ImageMagick and decoded.
async function sheetLabels(name, template, requests, expected) {
  const t = (await s.get('/api/v1/labels/templates')).json.templates.find((x) => x.name === template);
  const r = await bytes('POST', '/api/v1/labels/print', { template, format: 'pdf', items: requests });
  assert.equal(r.status, 200, r.text.slice(0, 200));
  const dir = path.join(work, `damage-${name}`);
  mkdirSync(dir, { recursive: true });
  const pdf = path.join(dir, 'sheet.pdf');
  writeFileSync(pdf, r.buf);
  const px = (mm) => Math.round((mm * 300) / 25.4);
  const w = px(t.label_width_mm), h = px(t.label_height_mm);
  const perPage = t.columns * t.rows;
  const tasks = expected.map((want, i) => async () => {
    const page = Math.floor(i / perPage) + 1;
    const col = (i % perPage) % t.columns, row = Math.floor((i % perPage) / t.columns);
    const base = path.join(dir, `label-${i}`);
    await run('pdftoppm', ['-r', '300', '-png', '-singlefile', '-f', String(page), '-l', String(page),
      '-x', String(px(t.margin_left_mm + col * t.pitch_x_mm)), '-y', String(px(t.margin_top_mm + row * t.pitch_y_mm)),
      '-W', String(w), '-H', String(h), pdf, base]);
    // One ImageMagick run writes every damaged variant of the label.
    const files = Object.keys(DAMAGE).map((kind) => `${base}-${kind.replace(/\W+/g, '_')}.png`);
    const convertArgs = [`${base}.png`, '-colorspace', 'Gray'];
    Object.values(DAMAGE).forEach((args, k) => {
      const filled = args.map((a) => a.replace('%Y1', String(Math.round(h * 0.3))).replace('%Y2', String(Math.round(h * 0.75)))
        .replace('%W', String(w)));
      convertArgs.push('(', '+clone', ...filled, '-write', files[k], '+delete', ')');
    });
    await run('convert', [...convertArgs, 'null:']);
    const out = [];
    for (const [k, kind] of Object.keys(DAMAGE).entries()) {
      const got = await zbar(files[k]);
      out.push({ kind, ok: got.length === 1 && norm(got[0]) === norm(expected[i]) });
    }
    return out;
  });
  const results = (await pool(tasks)).flat();
  const rates = {};
  for (const kind of Object.keys(DAMAGE)) {
    const of = results.filter((x) => x.kind === kind);
    rates[kind] = { ok: of.filter((x) => x.ok).length, n: of.length };
  }
  return rates;
}

// The damage sweep rasterises and decodes every label under each damage kind: about a minute
// of CPU (60 of the suite's 95 s in the last full run) that measures the renderer and zbar, not
// the database (its items are read once). It runs once, on SQLite; on PostgreSQL every
// symbology is still printed through the API and decoded (the tests above).
test('damaged labels: decode rate per damage kind; EAN-13 shelf labels at the default size ≥ 95%', {
  skip: BACKEND === 'postgres' && 'renderer and decoder only: measured on the SQLite run',
}, async () => {
  const grocery = (await s.get('/api/v1/items?q=GRC-&limit=24')).json.items.filter((it) => it.sku.startsWith('GRC-')).slice(0, 24);
  const apparel = (await s.get('/api/v1/items?q=APL-&kind=variant&limit=12')).json.items.slice(0, 12);
  assert.equal(grocery.length, 24);
  const unitCode = (it) => it.barcodes.find((b) => b.pack_quantity === 1).code;
  const caseOf = (it) => `01${it.barcodes.find((b) => b.pack_quantity > 1).code}`;
  const suites = {
    'EAN-13 shelf, a4-3x8 (default)': ['a4-3x8', grocery.map((it) => ({ item_id: it.id })), grocery.map(unitCode)],
    'UPC-A sticker, a4-3x10': ['a4-3x10', apparel.map((it) => ({ item_id: it.id, kind: 'sticker' })), apparel.map(unitCode)],
    'GS1-128 case, a4-2x4': ['a4-2x4', grocery.slice(0, 8).map((it) => ({ item_id: it.id, kind: 'case' })), grocery.slice(0, 8).map(caseOf)],
  };
  const report = {};
  for (const [name, [template, requests, expected]] of Object.entries(suites))
    report[name] = await sheetLabels(name.replace(/\W+/g, '_'), template, requests, expected);
  const kinds = Object.keys(DAMAGE);
  const lines = [`| labels | ${kinds.join(' | ')} |`, `| --- | ${kinds.map(() => '---').join(' | ')} |`];
  for (const [name, rates] of Object.entries(report))
    lines.push(`| ${name} | ${kinds.map((k) => `${((100 * rates[k].ok) / rates[k].n).toFixed(0)}% (${rates[k].ok}/${rates[k].n})`).join(' | ')} |`);
  const table = lines.join('\n');
  console.log(`Label decode rates (zbarimg, 300 dpi):\n${table}`);
  if (process.env.BACKROOM_LABEL_REPORT) appendFileSync(process.env.BACKROOM_LABEL_REPORT, `${table}\n`);
  // The issue's bar: EAN-13 shelf labels at the default size decode at >= 95% over the
  // damage kinds together (each kind is reported above; heavy noise alone has measured 92-100%).
  const ean = Object.values(report['EAN-13 shelf, a4-3x8 (default)']);
  const ok = ean.reduce((a, r) => a + r.ok, 0), n = ean.reduce((a, r) => a + r.n, 0);
  assert.ok(ok / n >= 0.95, `EAN-13 shelf labels over all damage kinds: ${ok}/${n}`);
  assert.ok(report['EAN-13 shelf, a4-3x8 (default)'].clean.ok === n / ean.length, 'every clean EAN-13 label decodes');
});
