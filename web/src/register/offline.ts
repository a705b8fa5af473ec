// The register's offline half (issue 21, docs/offline-register.md): the store's catalog in
// IndexedDB (a full load from the change feed, then deltas after its cursor), scanning from
// it when the server cannot be reached, a block of receipt numbers reserved in advance, and
// the queue of sales (and, where the shop allows it, returns and exchanges) completed offline, posted in
// order when the server is back (each under its own UUIDv7 id, so a retry never sells or
// refunds twice), and a copy of this register's recent sales so a return can find its receipt.
import { ApiError, csrfToken, type ExchangeInput, type Item, OfflineError, registers, type ReturnInput, type Sale, type SaleInput, sales, sessions, setCsrf } from '../api';
import { money } from '../shared/format';
import { isObject, load, save } from '../shared/storage';
import { type EmbeddedLayout, embeddedIndexKeys, readEmbedded } from '../shared/embedded';
import { gtinForms, readElementString } from '../shared/gs1';

const DB_NAME = 'backroom-register';
let opened: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 6);
    // Each store is made when missing, whatever the version before (version 2 added `recent`;
    // a database opened elsewhere without a version exists at version 1 with no stores at all).
    r.onupgradeneeded = (e) => {
      const db = r.result;
      const missing = (name: string) => !db.objectStoreNames.contains(name);
      // Version 4 keeps the catalog in chunks of items (below) instead of a record per item and
      // per barcode: the old stores go, and the copy is read again from the start of the feed.
      if (e.oldVersion < 4) {
        for (const old of ['items', 'codes']) if (db.objectStoreNames.contains(old)) db.deleteObjectStore(old);
      }
      // Version 5 indexes embedded (scale) barcodes by the starts of their codes as well: the
      // copy is read again from the start of the feed to index them.
      // Version 6 indexes the words of item names and SKUs (a search by name offline): the copy
      // is read again from the start of the feed to index them.
      if (e.oldVersion < 6 && !missing('meta')) r.transaction?.objectStore('meta').delete('cursor');
      if (missing('chunks')) {
        const chunks = db.createObjectStore('chunks', { keyPath: 'chunk' });
        chunks.createIndex('codes', 'codes', { multiEntry: true });
        chunks.createIndex('ids', 'ids', { multiEntry: true });
      }
      const chunks = r.transaction?.objectStore('chunks');
      if (chunks && !chunks.indexNames.contains('words')) chunks.createIndex('words', 'words', { multiEntry: true });
      if (missing('queue')) db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      if (missing('meta')) db.createObjectStore('meta');
      // The sales this register completed, as the server answered them (returns offline), by
      // receipt number and by time (version 3 added the time, so old ones are dropped by range).
      const recent = missing('recent') ? db.createObjectStore('recent', { keyPath: 'id' }) : r.transaction?.objectStore('recent');
      if (recent && !recent.indexNames.contains('receipt')) recent.createIndex('receipt', 'receipt_number');
      if (recent && !recent.indexNames.contains('created')) recent.createIndex('created', 'created_at');
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB cannot be opened'));
  });
  return opened;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}
function value<T>(r: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result as T);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB read failed'));
  });
}

// ------------------------------------------------------------------------------ catalog

/**
 * The copy keeps items in chunks of up to CHUNK_ITEMS, each record indexed by every barcode and
 * every item id it holds (multi-entry indexes). A record per item and one per barcode made a
 * first load of 100,000 items 200,000 puts, 14-22 s in Chromium; chunks make it ~1,600 puts of
 * a few seconds, and a scan reads one chunk (docs/performance.md, "Offline register").
 * 64 items keep a chunk well under the 64 KiB above which Chromium wraps a value in a Blob
 * stored beside its database (Blink's IDBValueWrapper::kWrapThreshold): an item of the feed is
 * ~0.5 KB serialized, so chunks of 200 (~100 KB) were each written and read as a Blob, and the
 * copy's writes took about 1.5 times as long. Chunks written with another size stay valid.
 */
const CHUNK_ITEMS = 64;
interface Chunk { chunk: number; items: Item[]; codes: string[]; ids: string[]; words?: string[] }

/**
 * The words of a name the copy's `words` index keeps: two letters or more, not only digits. A
 * search is looked up by its longest such word; sizes and numbers ("250", "g") only narrow it
 * (they would double the index's entries, and so the copy's writes, for little: a cashier
 * looking for a loose item types a word of its name).
 */
const indexed = (w: string) => w.length >= 2 && !/^\d+$/.test(w);

/** The words a name or SKU is found by offline: lower case, accents dropped ("Crème brûlée" → crème → creme). */
export function searchWords(text: string): string[] {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function chunkOf(chunk: number, items: Item[]): Chunk {
  return {
    chunk,
    items,
    ids: items.map((i) => i.id),
    words: [...new Set(items.flatMap((i) => [...searchWords(i.name), ...searchWords(i.sku ?? '')].filter(indexed)))],
    // An embedded (scale) barcode is also found by the starts of its code, so a label with any
    // weight or price finds it (scanOffline).
    codes: [...new Set(items.flatMap((i) => (i.barcodes ?? []).flatMap((b) => (b.kind === 'embedded' ? [b.code, ...embeddedIndexKeys(b.code)] : [b.code]))))],
  };
}

/**
 * Writes a page of the feed's items and the cursor after it in one transaction: an item the
 * copy has is replaced in its chunk (its barcodes with it: a removed one no longer finds it);
 * new ones fill the last chunk, then new ones. `known` is asked whether an item may be in the
 * copy already (false only while the copy is loaded from empty, to spare the look-ups).
 */
async function putPage(items: Item[], cursor: string, known: (id: string) => boolean): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(['chunks', 'meta'], 'readwrite');
  const chunks = tx.objectStore('chunks');
  const meta = tx.objectStore('meta');
  const changed = new Map<number, Chunk>();
  const chunkAt = async (n: number) => changed.get(n) ?? (await value<Chunk | undefined>(chunks.get(n)));
  const added: Item[] = [];
  for (const item of items) {
    const at = known(item.id) ? await value<IDBValidKey | undefined>(chunks.index('ids').getKey(item.id)) : undefined;
    const c = typeof at === 'number' ? await chunkAt(at) : undefined;
    if (c) changed.set(c.chunk, chunkOf(c.chunk, c.items.map((x) => (x.id === item.id ? item : x))));
    else added.push(item);
  }
  if (added.length) {
    const last = (await value<number | undefined>(meta.get('lastChunk'))) ?? -1;
    const open = last >= 0 ? await chunkAt(last) : undefined;
    let n = open ? last : last + 1;
    let fill = open ? [...open.items] : [];
    for (const item of added) {
      if (fill.length >= CHUNK_ITEMS) { changed.set(n, chunkOf(n, fill)); n += 1; fill = []; }
      fill.push(item);
    }
    changed.set(n, chunkOf(n, fill));
    meta.put(n, 'lastChunk');
  }
  for (const c of changed.values()) chunks.put(c);
  meta.put(cursor, 'cursor');
  await done(tx);
}

let syncing: Promise<number> | null = null;

/** Brings the copy up to date from the change feed after its cursor; answers the number of changes read. */
export function syncCatalog(locationId: string): Promise<number> {
  // One at a time: the page writes read the copy's last chunk and must not interleave.
  syncing ??= readFeed(locationId).finally(() => { syncing = null; });
  return syncing;
}

async function readFeed(locationId: string): Promise<number> {
  const db = await openDb();
  let cursor = (await value<string | undefined>(db.transaction('meta').objectStore('meta').get('cursor'))) ?? '0';
  // From the start of the feed the copy is loaded from empty: each item comes once, unless it
  // changed while the pages were read (then it comes again and is looked up).
  const fromEmpty = cursor === '0';
  const started = performance.now();
  if (fromEmpty) {
    const tx = db.transaction(['chunks', 'meta'], 'readwrite');
    tx.objectStore('chunks').clear();
    tx.objectStore('meta').delete('lastChunk');
    await done(tx);
  }
  const seen = new Set<string>();
  const known = (id: string) => !fromEmpty || seen.has(id);
  let n = 0;
  let next = registers.catalogChanges(cursor, locationId);
  for (;;) {
    const page = await next;
    // A page may be short, even empty, after a long run of changes that are not the
    // register's (a store node's transfers and orders): the cursor moved on, read on.
    const moved = page.next_cursor !== cursor;
    const more = page.more && moved;
    // The next page is asked for while this one is written: the server reads it while the
    // browser writes IndexedDB. The pages are still written one after another, in order.
    if (more) {
      next = registers.catalogChanges(page.next_cursor, locationId);
      next.catch(() => undefined); // a write that fails first leaves this answer unread
    }
    const items = page.changes.filter((c) => c.entity === 'item' && isObject(c.data)).map((c) => c.data as Item);
    await putPage(items, page.next_cursor, known);
    for (const item of items) seen.add(item.id);
    n += page.changes.length;
    cursor = page.next_cursor;
    if (!more) {
      // A load from empty, timed for the benchmark (bench/offline_feed_bench.mjs), not asserted.
      if (fromEmpty) performance.measure('br:catalog-copy', { start: started, end: performance.now(), detail: { changes: n } });
      // One look-up in the barcode index now, as a scan makes it: the first scan after a cut
      // paid Chromium's first read of the index after the writes (7-24 ms at 20,000 items under
      // load, 3-15 ms after this read; docs/performance.md, "Offline register").
      void value(db.transaction('chunks').objectStore('chunks').index('codes').getAll('0')).catch(() => undefined);
      return n;
    }
  }
}

/**
 * The items of the copy whose name or SKU has a word starting with each word of `text` (the
 * server's search is by name and SKU too), active and sellable, at most `limit`: the register's
 * search while offline. The copy's index holds each chunk under every word of its items, so the
 * longest word of the query picks the chunks and the rest is checked item by item.
 */
export async function searchOffline(text: string, limit = 8): Promise<Item[]> {
  const wanted = searchWords(text);
  const keys = wanted.filter(indexed);
  if (!keys.length) return [];
  const key = keys.reduce((a, b) => (b.length > a.length ? b : a));
  const db = await openDb();
  const chunks = await value<Chunk[]>(db.transaction('chunks').objectStore('chunks').index('words').getAll(IDBKeyRange.bound(key, key + '\uffff')));
  const found = new Map<string, Item>();
  for (const c of chunks) {
    for (const item of c.items) {
      if (found.size >= limit) break;
      if ((item.status !== undefined && item.status !== 'active') || item.kind === 'parent' || found.has(item.id)) continue;
      const words = [...searchWords(item.name), ...searchWords(item.sku ?? '')];
      if (wanted.every((w) => words.some((x) => x.startsWith(w)))) found.set(item.id, item);
    }
  }
  return [...found.values()];
}

/**
 * A scan answered from the copy: the item and its pack size, and for a scale label the weight
 * (kg) or the price (minor units) it carries.
 */
export interface OfflineScan { item: Item; pack: number; weight?: number; embeddedPrice?: number }

/**
 * Answers a scan from the copy, or null when the code is unknown. A GS1 element string is read
 * first (gs1.ts: the item by its AI 01 GTIN, the weight of AI 310n, the price of AI 392n); a
 * 13-digit code one of the shop's embedded layouts claims (`layouts`, as last read from GET /settings/barcodes) is read as
 * a scale label first, as the server does: the item whose embedded barcode has the label's prefix
 * and item code, with the label's weight or price; `{ error }` when its verifier digit is wrong.
 */
export async function scanOffline(scanned: string, layouts: EmbeddedLayout[] = []): Promise<OfflineScan | { error: string } | null> {
  const db = await openDb();
  const chunksWith = (key: string) => value<Chunk[]>(db.transaction('chunks').objectStore('chunks').index('codes').getAll(key));
  // A GS1 element string (GS1-128, DataBar): the item by its GTIN, with the weight or price it carries.
  const element = readElementString(scanned);
  if (element && 'error' in element) return element;
  if (element) {
    for (const form of gtinForms(element.gtin)) {
      const found = await exactly(form);
      if (found) return { ...found, ...(element.grams !== undefined ? { weight: element.grams / 1000 } : {}), ...(element.price !== undefined ? { embeddedPrice: element.price } : {}) };
    }
    return null;
  }
  // Another symbology's AIM identifier ("]E0" before an EAN-13) is not part of the code.
  const code = /^\][A-Za-z]\d/.test(scanned) ? scanned.slice(3) : scanned;
  const label = readEmbedded(code, layouts);
  if (label && 'error' in label) return label;
  if (label) {
    for (const c of await chunksWith(`E:${label.itemKey}`)) {
      for (const item of c.items) {
        const own = item.barcodes?.some((b) => b.kind === 'embedded' && b.code.startsWith(label.itemKey));
        if (!own || item.status === 'archived') continue;
        return { item, pack: 1, ...(label.grams !== undefined ? { weight: label.grams / 1000 } : { embeddedPrice: label.price }) };
      }
    }
    return null;
  }
  return exactly(code);

  async function exactly(key: string): Promise<OfflineScan | null> {
    for (const c of await chunksWith(key)) {
      for (const item of c.items) {
        const barcode = item.barcodes?.find((b) => b.code === key);
        if (barcode && item.status !== 'archived') return { item, pack: barcode.pack_quantity || 1 };
      }
    }
    return null;
  }
}

// ------------------------------------------------------------------ receipt-number blocks

interface Block { registerId: string; next: number; to: number }
const isBlocks = (v: unknown): v is Block[] => Array.isArray(v);
const blocksKey = (registerId: string) => `receiptBlocks:${registerId}`;
const numbersLeft = (bs: Block[]) => bs.reduce((s, b) => s + Math.max(0, b.to - b.next + 1), 0);

/** Online: keeps at least `low` numbers reserved for this register (a new block of 50 when fewer). */
export async function ensureBlock(registerId: string, low = 10): Promise<void> {
  const blocks = load<Block[]>(blocksKey(registerId), [], isBlocks);
  if (numbersLeft(blocks) >= low) return;
  const b = await registers.reserveReceipts(registerId, 50);
  save(blocksKey(registerId), [...blocks.filter((x) => x.next <= x.to), { registerId, next: b.from, to: b.to }]);
}

/** Takes the next reserved number ("R1-000042"), or null when none is left. */
export function takeNumber(registerId: string): string | null {
  const blocks = load<Block[]>(blocksKey(registerId), [], isBlocks).filter((b) => b.next <= b.to);
  if (!blocks.length) return null;
  const n = blocks[0].next++;
  save(blocksKey(registerId), blocks);
  return `${registerId}-${String(n).padStart(6, '0')}`;
}

// -------------------------------------------------------------------------- the queue

/**
 * A sale completed offline. `maybePosted`: it had been sent while online and the network dropped
 * before the answer came, so that first try may have reached the server; the queue asks for it
 * by id before sending it (docs/offline-register.md, "A sale caught by the cut").
 */
export interface QueuedSale { kind?: 'sale'; seq?: number; body: SaleInput; receipt_number: string; total: number; at: number; error?: string; maybePosted?: boolean }
/** A return taken offline: `receipt_number` is the returned sale's, `total` the cash refunded. */
export interface QueuedReturn { kind: 'return'; seq?: number; body: ReturnInput; receipt_number: string; total: number; at: number; error?: string }
/**
 * An exchange taken offline: `receipt_number` is its new sale's (from the reserved block),
 * `returned` the receipt the units came back from, `total` the new items, `refund` the cash
 * counted out (0 when the customer paid the balance).
 */
export interface QueuedExchange { kind: 'exchange'; seq?: number; body: ExchangeInput; receipt_number: string; returned: string; total: number; refund: number; at: number; error?: string }
export type Queued = QueuedSale | QueuedReturn | QueuedExchange;

export async function enqueue(sale: Queued): Promise<void> {
  const db = await openDb();
  const tx = db.transaction('queue', 'readwrite');
  tx.objectStore('queue').add(sale);
  await done(tx);
}

export async function queued(): Promise<Queued[]> {
  const db = await openDb();
  return value<Queued[]>(db.transaction('queue').objectStore('queue').getAll());
}

async function update(sale: Queued, remove: boolean): Promise<void> {
  const db = await openDb();
  const tx = db.transaction('queue', 'readwrite');
  if (remove) tx.objectStore('queue').delete(sale.seq ?? -1);
  else tx.objectStore('queue').put(sale);
  await done(tx);
}

/**
 * The sale with this id if the server has it (the first try of a sale caught by the cut got
 * through: it is on the books under the number the server gave it, and the number this register
 * took offline stays unused, listed as such by the block), else null.
 */
async function postedBefore(id: string): Promise<Sale | null> {
  try {
    return await sales.get(id, { deadlineMs: sendDeadlineMs });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Clears the reason a queued sale or return was refused, so the next flush sends it again. */
export async function sendAgain(seq: number): Promise<void> {
  const found = (await queued()).find((q) => q.seq === seq);
  if (found) await update({ ...found, error: undefined }, false);
}

/** Why the server refused a queued sale or return, in words a cashier reads ("code: words"). */
function refusal(q: Queued, e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  const total = e.problem.total;
  if (q.kind !== 'return' && q.kind !== 'exchange' && e.code === 'insufficient_tender' && typeof total === 'number') {
    const paid = q.body.tenders.reduce((s, t) => s + t.amount, 0);
    return `${e.code}: the total is ${money(total)} now, ${money(total - paid)} more than the ${money(paid)} taken (a price changed while the register was offline)`;
  }
  return `${e.code}: ${e.problem.detail}`;
}

// ------------------------------------------------------------ practice sales (training)

/**
 * A sale completed offline in training mode (docs/training.md). It never enters the real queue
 * and takes no reserved receipt number: it waits on this device and, when the server is back,
 * is posted as a training sale (`training: true`, no receipt number), which the server keeps
 * apart — a training receipt number, no stock, no report. Refused, it is dropped: it is practice.
 */
export interface PracticeSale { body: SaleInput; total: number; at: number }
const isPractice = (v: unknown): v is PracticeSale[] => Array.isArray(v);
export const practiceQueued = (): PracticeSale[] => load<PracticeSale[]>('practiceQueue', [], isPractice);
export function enqueuePractice(sale: PracticeSale): void {
  save('practiceQueue', [...practiceQueued(), { ...sale, body: { ...sale.body, training: true } }]);
}

async function flushPractice(): Promise<void> {
  for (const p of practiceQueued()) {
    const { receipt_number: _never, ...body } = p.body;
    try {
      await sales.post({ ...body, training: true }, { deadlineMs: sendDeadlineMs });
    } catch (e) {
      if (e instanceof OfflineError) return;
    }
    save('practiceQueue', practiceQueued().filter((x) => x.body.id !== p.body.id));
  }
}

/**
 * How long a queued document waits for its answer: past it the send counts as unreachable and is
 * tried again at the next tick with the same id (a network that never answers would otherwise
 * hold the queue, and every later sale behind it, until the browser gave up on the connection).
 */
const sendDeadlineMs = 10_000;

let flushing = false;
/**
 * Posts the waiting sales oldest first, each once acknowledged; stops at the first that cannot
 * reach the server. A sale the server refuses stays in the queue with the reason (it is never
 * dropped) and blocks none behind it.
 */
export async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    // After a reload offline the page has no CSRF token yet: the session gives it back.
    if (!csrfToken()) {
      try { setCsrf((await sessions.current({ deadlineMs: sendDeadlineMs })).csrf_token); } catch { return; }
    }
    for (const sale of await queued()) {
      if (sale.error) continue;
      try {
        if (sale.kind === 'return') {
          await sales.returnSale(sale.body, { deadlineMs: sendDeadlineMs });
          await update(sale, true);
          void sales.get(sale.body.sale_id).then(remember).catch(() => undefined);
        } else if (sale.kind === 'exchange') {
          const posted = await sales.exchange(sale.body, { deadlineMs: sendDeadlineMs });
          await update(sale, true);
          void remember(posted.sale).catch(() => undefined);
          void sales.get(sale.body.return.sale_id).then(remember).catch(() => undefined);
        } else {
          const before = sale.maybePosted ? await postedBefore(sale.body.id) : null;
          // Its first try got through: the customer's receipt shows the number taken offline, so
          // the sale is told it (the block counts it used, the journal finds the sale by it).
          const posted = before
            ? before.receipt_number === sale.receipt_number
              ? before
              : await sales.offlineReceipt(before.id, sale.receipt_number, { deadlineMs: sendDeadlineMs })
            : await sales.post(sale.body, { deadlineMs: sendDeadlineMs });
          await update(sale, true);
          void remember(posted).catch(() => undefined);
        }
      } catch (e) {
        if (e instanceof OfflineError) return;
        await update({ ...sale, error: refusal(sale, e) }, false);
      }
    }
    await flushPractice();
  } finally {
    flushing = false;
  }
}

// ------------------------------------------------------------- this register's recent sales

/** How long a sale stays in the copy a return can be found in offline. */
const RECENT_DAYS = 30;

/** Keeps a sale the server answered (never a training one); drops those older than RECENT_DAYS. */
export async function remember(sale: Sale): Promise<void> {
  if (sale.training) return;
  const db = await openDb();
  const tx = db.transaction('recent', 'readwrite');
  const store = tx.objectStore('recent');
  store.put(sale);
  // Only the sales past the cutoff are visited: created_at is RFC 3339 UTC, so its text sorts
  // by time; the cutoff to the second ("…T10:42:07") is below every sale made in that second.
  const cutoff = new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString().slice(0, 19);
  store.index('created').openCursor(IDBKeyRange.upperBound(cutoff, true)).onsuccess = (e) => {
    const c = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
    if (!c) return;
    c.delete();
    c.continue();
  };
  await done(tx);
}

/**
 * The copy of this register's sale with that receipt number, or null. A sale caught by the cut is
 * found by the number printed for it offline too (a walk over the copy: a register's 30 days).
 */
export async function recentByReceipt(receiptNumber: string): Promise<Sale | null> {
  const db = await openDb();
  const found = await value<Sale | undefined>(db.transaction('recent').objectStore('recent').index('receipt').get(receiptNumber));
  if (found) return found;
  const all = await value<Sale[]>(db.transaction('recent').objectStore('recent').getAll());
  return all.find((s) => s.offline_receipt_number === receiptNumber) ?? null;
}
