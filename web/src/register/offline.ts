// The register's offline half (issue 21, docs/offline-register.md): the store's catalog in
// IndexedDB (a full load from the change feed, then deltas after its cursor), scanning from
// it when the server cannot be reached, a block of receipt numbers reserved in advance, and
// the queue of sales (and, where the shop allows it, returns) completed offline, posted in
// order when the server is back (each under its own UUIDv7 id, so a retry never sells or
// refunds twice), and a copy of this register's recent sales so a return can find its receipt.
import { ApiError, csrfToken, type Item, OfflineError, registers, type ReturnInput, type Sale, type SaleInput, sales, sessions, setCsrf } from '../api';
import { money } from '../shared/format';
import { isObject, load, save } from '../shared/storage';

const DB_NAME = 'backroom-register';
let opened: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 3);
    // Each store is made when missing, whatever the version before (version 2 added `recent`;
    // a database opened elsewhere without a version exists at version 1 with no stores at all).
    r.onupgradeneeded = () => {
      const db = r.result;
      const missing = (name: string) => !db.objectStoreNames.contains(name);
      if (missing('items')) db.createObjectStore('items', { keyPath: 'id' });
      if (missing('codes')) db.createObjectStore('codes');                          // barcode → { id, pack }
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

interface CodeRow { id: string; pack: number }

/** Writes a page of items (and their barcodes) in one transaction. */
export async function putItems(items: Item[]): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(['items', 'codes'], 'readwrite');
  const itemStore = tx.objectStore('items');
  const codes = tx.objectStore('codes');
  for (const item of items) {
    itemStore.put(item);
    for (const b of item.barcodes ?? []) codes.put({ id: item.id, pack: b.pack_quantity || 1 } satisfies CodeRow, b.code);
  }
  await done(tx);
}

/** Brings the copy up to date from the change feed after its cursor; answers the number of changes read. */
export async function syncCatalog(locationId: string): Promise<number> {
  const db = await openDb();
  let cursor = (await value<string | undefined>(db.transaction('meta').objectStore('meta').get('cursor'))) ?? '0';
  let n = 0;
  for (;;) {
    const page = await registers.catalogChanges(cursor, locationId);
    const items = page.changes.filter((c) => c.entity === 'item' && isObject(c.data)).map((c) => c.data as Item);
    await putItems(items);
    n += page.changes.length;
    cursor = page.next_cursor;
    const tx = db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put(cursor, 'cursor');
    await done(tx);
    if (!page.more || !page.changes.length) return n;
  }
}

/** A scan answered from the copy: the item and its pack size, or null when the code is unknown. */
export async function scanOffline(code: string): Promise<{ item: Item; pack: number } | null> {
  const db = await openDb();
  const tx = db.transaction(['codes', 'items']);
  const row = await value<CodeRow | undefined>(tx.objectStore('codes').get(code));
  if (!row) return null;
  const item = await value<Item | undefined>(tx.objectStore('items').get(row.id));
  return item && item.status !== 'archived' ? { item, pack: row.pack } : null;
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

export interface QueuedSale { kind?: 'sale'; seq?: number; body: SaleInput; receipt_number: string; total: number; at: number; error?: string }
/** A return taken offline: `receipt_number` is the returned sale's, `total` the cash refunded. */
export interface QueuedReturn { kind: 'return'; seq?: number; body: ReturnInput; receipt_number: string; total: number; at: number; error?: string }
export type Queued = QueuedSale | QueuedReturn;

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

/** Clears the reason a queued sale or return was refused, so the next flush sends it again. */
export async function sendAgain(seq: number): Promise<void> {
  const found = (await queued()).find((q) => q.seq === seq);
  if (found) await update({ ...found, error: undefined }, false);
}

/** Why the server refused a queued sale or return, in words a cashier reads ("code: words"). */
function refusal(q: Queued, e: unknown): string {
  if (!(e instanceof ApiError)) return String(e);
  const total = e.problem.total;
  if (q.kind !== 'return' && e.code === 'insufficient_tender' && typeof total === 'number') {
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
      await sales.post({ ...body, training: true });
    } catch (e) {
      if (e instanceof OfflineError) return;
    }
    save('practiceQueue', practiceQueued().filter((x) => x.body.id !== p.body.id));
  }
}

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
      try { setCsrf((await sessions.current()).csrf_token); } catch { return; }
    }
    for (const sale of await queued()) {
      if (sale.error) continue;
      try {
        if (sale.kind === 'return') {
          await sales.returnSale(sale.body);
          await update(sale, true);
          void sales.get(sale.body.sale_id).then(remember).catch(() => undefined);
        } else {
          const posted = await sales.post(sale.body);
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

/** The copy of this register's sale with that receipt number, or null. */
export async function recentByReceipt(receiptNumber: string): Promise<Sale | null> {
  const db = await openDb();
  const found = await value<Sale | undefined>(db.transaction('recent').objectStore('recent').index('receipt').get(receiptNumber));
  return found ?? null;
}
