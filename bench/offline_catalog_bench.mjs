// IndexedDB catalog copy of the offline register (issue 21, docs/offline-register.md) in
// headless Chromium: load N items (pages of 1,000, each page one transaction, the shape
// web/src/register/offline.ts writes: `items` by id, `codes` barcode → {id, pack}), then
// time scans (code → item, one read transaction) and print p50/p99. Prints numbers only.
//   node bench/offline_catalog_bench.mjs [items=100000] [scans=2000] [durability=default|relaxed|strict] [page=1000]
// `durability` is the write transactions' hint (IDBTransaction durability): relaxed lets the
// browser acknowledge a page before it is flushed to disk.
import http from 'node:http';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const N = Number(process.argv[2] ?? 100000);
const SCANS = Number(process.argv[3] ?? 2000);
const DURABILITY = process.argv[4] ?? 'default';
const PAGE = Number(process.argv[5] ?? 1000);  // items a write transaction (the register's: a feed page)
const server = http.createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>bench</title>'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const out = await page.evaluate(async ({ N, SCANS, DURABILITY, PAGE }) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('backroom-register-bench', 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore('items', { keyPath: 'id' });
        r.result.createObjectStore('codes');
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
    for (let start = 0; start < N; start += PAGE) {
      const tx = db.transaction(['items', 'codes'], 'readwrite', { durability: DURABILITY });
      const items = tx.objectStore('items');
      const codes = tx.objectStore('codes');
      for (let i = start; i < Math.min(N, start + PAGE); i++) {
        const it = item(i);
        items.put(it);
        codes.put({ id: it.id, pack: 1 }, code(i));
      }
      await done(tx);
    }
    const loadMs = performance.now() - t0;
    const times = [];
    for (let k = 0; k < SCANS; k++) {
      const i = Math.floor(Math.random() * N);
      const s = performance.now();
      const tx = db.transaction(['codes', 'items']);
      const row = await value(tx.objectStore('codes').get(code(i)));
      const it = await value(tx.objectStore('items').get(row.id));
      if (!it) throw new Error('missing');
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    return { loadMs, p50: times[Math.floor(SCANS * 0.5)], p99: times[Math.floor(SCANS * 0.99)], max: times[SCANS - 1] };
  }, { N, SCANS, DURABILITY, PAGE });
  console.log(`items ${N} (durability ${DURABILITY}, ${PAGE} a transaction): IndexedDB load ${(out.loadMs / 1000).toFixed(2)} s; scan (code -> item) over ${SCANS}: p50 ${out.p50.toFixed(2)} ms, p99 ${out.p99.toFixed(2)} ms, max ${out.max.toFixed(2)} ms`);
} finally {
  await browser.close();
  server.close();
}
