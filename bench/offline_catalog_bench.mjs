// IndexedDB catalog copy of the offline register (issue 21, docs/offline-register.md) in
// headless Chromium: load N items (pages of 500, the feed's, each page one transaction, the
// shape web/src/register/offline.ts writes: `chunks` of 200 items with multi-entry indexes over
// their barcodes and item ids), then time scans (code → chunk → item, one read transaction) and
// print p50/p99. `layout=items` writes the layout before it (a record per item in `items`, one per
// barcode in `codes`) for comparison. Prints numbers only.
//   node bench/offline_catalog_bench.mjs [items=100000] [scans=2000] [durability=default|relaxed|strict] [page=500] [layout=chunks|items]
// `durability` is the write transactions' hint (IDBTransaction durability): relaxed lets the
// browser acknowledge a page before it is flushed to disk.
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const N = Number(process.argv[2] ?? 100000);
const SCANS = Number(process.argv[3] ?? 2000);
const DURABILITY = process.argv[4] ?? 'default';
const PAGE = Number(process.argv[5] ?? 500);  // items a write transaction (the register's: a feed page)
const LAYOUT = process.argv[6] ?? 'chunks';
const CHUNK = 200;  // items a chunk (offline.ts CHUNK_ITEMS)
const server = http.createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>bench</title>'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const out = await page.evaluate(async ({ N, SCANS, DURABILITY, PAGE, LAYOUT, CHUNK }) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('backroom-register-bench', 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore('items', { keyPath: 'id' });
        r.result.createObjectStore('codes');
        const chunks = r.result.createObjectStore('chunks', { keyPath: 'chunk' });
        chunks.createIndex('codes', 'codes', { multiEntry: true });
        chunks.createIndex('ids', 'ids', { multiEntry: true });
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    const value = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const code = (i) => String(8700000000000 + i);
    const item = (i) => ({
      id: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`, sku: `SKU-${i}`, name: `Item number ${i} of the bench catalog`,
      status: 'active', kind: 'standard', price: 100 + (i % 5000), tax_category: 'standard', unit: 'each',
      barcodes: [{ code: code(i), pack_quantity: 1 }], version: 1,
    });
    const t0 = performance.now();
    const chunkOf = (chunk, items) => ({ chunk, items, ids: items.map((x) => x.id), codes: [...new Set(items.flatMap((x) => x.barcodes.map((b) => b.code)))] });
    let fill = [];
    let chunkNo = 0;
    for (let start = 0; start < N; start += PAGE) {
      if (LAYOUT === 'items') {
        const tx = db.transaction(['items', 'codes'], 'readwrite', { durability: DURABILITY });
        const items = tx.objectStore('items');
        const codes = tx.objectStore('codes');
        for (let i = start; i < Math.min(N, start + PAGE); i++) {
          const it = item(i);
          items.put(it);
          codes.put({ id: it.id, pack: 1 }, code(i));
        }
        await done(tx);
        continue;
      }
      // As offline.ts's putPage from an empty copy: the page's items fill the last chunk, then new ones.
      const tx = db.transaction(['chunks'], 'readwrite', { durability: DURABILITY });
      const chunks = tx.objectStore('chunks');
      for (let i = start; i < Math.min(N, start + PAGE); i++) {
        if (fill.length >= CHUNK) { chunks.put(chunkOf(chunkNo, fill)); chunkNo += 1; fill = []; }
        fill.push(item(i));
      }
      chunks.put(chunkOf(chunkNo, fill));
      await done(tx);
    }
    const loadMs = performance.now() - t0;
    const times = [];
    for (let k = 0; k < SCANS; k++) {
      const i = Math.floor(Math.random() * N);
      const s = performance.now();
      let it;
      if (LAYOUT === 'items') {
        const tx = db.transaction(['codes', 'items']);
        const row = await value(tx.objectStore('codes').get(code(i)));
        it = await value(tx.objectStore('items').get(row.id));
      } else {
        const found = await value(db.transaction('chunks').objectStore('chunks').index('codes').getAll(code(i)));
        it = found.flatMap((c) => c.items).find((x) => x.barcodes.some((b) => b.code === code(i)));
      }
      if (!it) throw new Error('missing');
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    return { loadMs, p50: times[Math.floor(SCANS * 0.5)], p99: times[Math.floor(SCANS * 0.99)], max: times[SCANS - 1] };
  }, { N, SCANS, DURABILITY, PAGE, LAYOUT, CHUNK });
  console.log(`items ${N} (layout ${LAYOUT}, durability ${DURABILITY}, ${PAGE} a transaction): IndexedDB load ${(out.loadMs / 1000).toFixed(2)} s; scan (code -> item) over ${SCANS}: p50 ${out.p50.toFixed(2)} ms, p99 ${out.p99.toFixed(2)} ms, max ${out.max.toFixed(2)} ms`);
} finally {
  await browser.close();
  server.close();
}
