// The register: one always-focused scan field, the cart, pay, receipt, returns, voids,
// parked sales, register sessions and training mode.
//
// A sale being sent locks the cart: from "Complete sale" until the server acknowledges it the
// cart and tenders are read-only, the body posted is the one made at that moment (kept on the
// device, so a reload resumes it), every retry posts exactly that body under the same id, and
// the cart clears only when that sale is acknowledged.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, catalog, type Item, message, OfflineError, onConnectivity, permission, type Permission, registers, type RegisterSession, type Quote, type Sale, type SaleInput, sales, type Session, settings, setup, type TenderInput } from '../api';
import { can, navigate } from '../app/session';
import { beep } from '../shared/beep';
import { Button, Dialog, Notice } from '../shared/components';
import { clockTime, money, uuidv7, words } from '../shared/format';
import { linkText, useLinkStatus } from '../shared/link';
import { isBoolean, isObject, isString, load, save } from '../shared/storage';
import { addLine, type Cart, type CartLine, changeCount, emptyCart, isCart, offlinePrices, offlineSaleBody, saleBody } from './cart';
import { CartTable } from './CartTable';
import { type EmbeddedLayout, isEmbeddedLayouts } from '../shared/embedded';
import { isScannedCode } from '../shared/gs1';
import { DiscountDialog, type LastSale, NewSaleDialog, type OverrideAsk, OverrideDialog, ParkedDialog, SwitchDialog, VoidDialog } from './dialogs';
import { CashDialog, CloseTill, OpenTill } from './till';
import { CheatSheet, DownloadPdf } from '../help/CheatSheet';
import { trainingEvent } from '../help/coach';
import { keyFor, labelFor, type RegisterAction, registerKeys } from '../help/keys';
import { TrainingCoach } from '../help/Training';
import { sheetFor } from '../help/sheets';
import { type Msg, PayPanel } from './PayPanel';
import { PickupDialog } from './PickupDialog';
import { Receipt } from './Receipt';
import { ReturnPanel } from './ReturnPanel';
import { ExchangePanel } from './ExchangePanel';
import { enqueue, enqueuePractice, ensureBlock, flush, practiceQueued, queued, remember, scanOffline, searchOffline, syncCatalog, takeNumber } from './offline';
import { OfflineExchange } from './OfflineExchange';
import { isOfflineRules, OfflineReturn, type OfflineRules } from './OfflineReturn';
import { RefusedQueue } from './RefusedQueue';

type Mode = 'sale' | 'pay' | 'receipt' | 'return' | 'exchange';
type DialogName = 'void' | 'parked' | 'cash' | 'close' | 'discount' | 'switch' | 'new-sale' | 'help' | 'pickup' | 'refused';

/** The locked sale: the exact body posted, and the cart and tenders it was made from. */
interface Pending { body: SaleInput; cart: Cart; tenders: TenderInput[] }
const isPending = (v: unknown): v is Pending => isObject(v) && isObject(v.body) && isCart(v.cart) && Array.isArray(v.tenders);
const isLastSale = (v: unknown): v is LastSale => isObject(v) && isString(v.id) && isString(v.receipt_number);
const retryMs = 2500;
/**
 * How long the register waits for the server before it counts it unreachable (docs/offline-
 * register.md, "A network that does not answer"): a dead uplink behind a live router refuses
 * nothing, it just never answers. A scan then comes from the catalog copy, the total from the
 * shelf prices, and a sale already sent is sent again with the same body (its id makes that safe).
 */
const deadlineMs = { scan: 1500, search: 3000, quote: 3000, sale: 10_000 } as const;
const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
/** "2 sales", "1 return", "2 sales and 1 return", "1 sale, 1 return and 1 exchange" (what waits in the queue). */
const waitingText = (w: { sales: number; returns: number; exchanges: number; practice: number }) => {
  const parts = [w.sales || (!w.returns && !w.exchanges && !w.practice) ? counted(w.sales, 'sale') : '', w.returns ? counted(w.returns, 'return') : '',
    w.exchanges ? counted(w.exchanges, 'exchange') : '', w.practice ? counted(w.practice, 'practice sale') : ''].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
};
interface StartReturn { what: 'return' | 'exchange'; receipt: string }
const isStartReturn = (v: unknown): v is StartReturn => isObject(v) && (v.what === 'return' || v.what === 'exchange') && isString(v.receipt);

const permissionFor = (code: string) => (code === 'discount_over_limit' ? permission.sales_discount_override : code === 'void' ? permission.sales_void : permission.returns_no_receipt);

export function Register({ session, locationId, locationName, registerId, registerName, onChangeDevice, onSignOut, onSwitchUser }: {
  session: Session; locationId: string; locationName: string; registerId: string; registerName: string;
  /** Only for a manager: choose which register this device is. */
  onChangeDevice?: () => void;
  onSignOut: () => void; onSwitchUser: (s: Session) => void;
}) {
  /** The till's open session; null when closed, undefined until known. */
  const [till, setTill] = useState<RegisterSession | null | undefined>(undefined);
  const [training, setTraining] = useState<boolean>(() => load('training', false, isBoolean));
  const [cart, setCart] = useState<Cart>(() => load('cart', emptyCart(), isCart));
  const [pending, setPending] = useState<Pending | null>(() => load<Pending | null>('pending', null, isPending));
  const [offline, setOffline] = useState(false);
  // The server cannot be reached (any request failed to reach it) since when; kept over a reload.
  const [downSince, setDownSince] = useState<number | null>(() => load<number | null>('downSince', null, (v): v is number | null => v === null || typeof v === 'number'));
  const [waiting, setWaiting] = useState({ sales: 0, returns: 0, exchanges: 0, refused: 0, practice: 0 });
  // A return or exchange started from the sales journal opens with its receipt.
  const [handover] = useState(() => { const h = load<StartReturn | null>('startReturn', null, isStartReturn); save('startReturn', null); return h; });
  const [mode, setMode] = useState<Mode>(() => (pending ? 'pay' : handover?.what ?? 'sale'));
  const [tenders, setTenders] = useState<TenderInput[]>(() => pending?.tenders ?? []);
  const [msg, setMsg] = useState<Msg>(null);
  const [results, setResults] = useState<Item[]>([]);
  const [highlight, setHighlight] = useState(-1);
  const [receipt, setReceipt] = useState<Sale | null>(null);
  const [lastSale, setLastSale] = useState<LastSale | null>(() => load<LastSale | null>('lastSale', null, isLastSale));
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [discountKey, setDiscountKey] = useState<string | null>(null);
  const [override, setOverride] = useState<OverrideAsk | null>(null);
  const [payFocus, setPayFocus] = useState(0);
  const scanRef = useRef<HTMLInputElement>(null);
  const scanStart = useRef<number | null>(null);
  const sending = useRef(false);
  // Each run of the locked sale's send loop has a number; completing it offline starts a new
  // number, and the old run stops at its next turn without touching the screen.
  const sendRun = useRef(0);

  const locked = pending !== null;
  // A training module in progress ticks its steps from what happens here, in training mode only.
  const practice = (event: string) => { if (training) trainingEvent(event); };
  const shownCart = pending ? pending.cart : cart;
  const shownTenders = pending ? pending.tenders : tenders;

  useEffect(() => save('cart', cart), [cart]);
  useEffect(() => save('pending', pending), [pending]);
  useEffect(() => save('training', training), [training]);
  useEffect(() => { if (dialog === 'help') practice('help.opened'); }, [dialog]);
  useEffect(() => save('lastSale', lastSale), [lastSale]);
  useEffect(() => save('downSince', downSince), [downSince]);
  useEffect(() => onConnectivity((up) => setDownSince((d) => (up ? null : d ?? Date.now()))), []);
  // Online: keep receipt numbers reserved and the catalog copy fresh; post what waits.
  const countWaiting = () => queued().then((q) => {
    const sending = q.filter((x) => !x.error);
    const of = (kind: string) => sending.filter((x) => (x.kind ?? 'sale') === kind).length;
    const now = { sales: of('sale'), returns: of('return'), exchanges: of('exchange'), refused: q.length - sending.length, practice: practiceQueued().length };
    // Counted every 2 s: the register renders again only when a count changed (a render puts
    // each field back to its state, which a scanner's last keys may not have reached yet).
    setWaiting((w) => ((Object.keys(now) as (keyof typeof now)[]).every((k) => w[k] === now[k]) ? w : now));
  }).catch(() => undefined);
  // The shop's rule for returns offline, as last read from the server (kept over a reload).
  const [offlineRules, setOfflineRules] = useState<OfflineRules>(() => load<OfflineRules>('offlineRules', { returns: 'refuse', limit: 0, rounding: 'half_even' }, isOfflineRules));
  // The shop's scale-label layouts, as last read from the server, so a label scans offline too.
  const layouts = useRef<EmbeddedLayout[]>(load<EmbeddedLayout[]>('barcodeLayouts', [], isEmbeddedLayouts));
  useEffect(() => {
    if (downSince !== null) return;
    // The catalog copy is read only, so training mode keeps it fresh too (a practice sale offline scans from it).
    void syncCatalog(locationId).catch(() => undefined);
    void settings.barcodes().then((b) => { layouts.current = b.embedded_layouts; save('barcodeLayouts', b.embedded_layouts); }).catch(() => undefined);
    // Deltas: the feed after the copy's cursor, once a minute while online.
    const t = setInterval(() => { void syncCatalog(locationId).catch(() => undefined); }, 60_000);
    if (training) return () => clearInterval(t);
    // The store's own default tax category, else the shop's: what an item that inherits it is taxed at here.
    const storeCategory = Promise.all([setup.location(locationId), setup.taxCategories()]).then(([l, c]) => l.default_tax_category ?? c.default_tax_category).catch(() => null);
    void Promise.all([settings.offlineReturns(), settings.sales(), storeCategory]).then(([o, s, category]) => {
      const rules: OfflineRules = {
        returns: o.offline_returns, limit: o.offline_return_limit, rounding: s.rounding,
        ...(category !== null ? { tax: { mode: s.tax_mode, rounding: s.tax_rounding, rates: s.tax_rates, storeCategory: category } } : {}),
      };
      save('offlineRules', rules);
      setOfflineRules(rules);
    }).catch(() => undefined);
    void ensureBlock(registerId).catch(() => undefined);
    return () => clearInterval(t);
  }, [downSince === null, registerId]);
  useEffect(() => {
    const tick = () => { void flush().catch(() => undefined).then(countWaiting); };
    tick();
    const t = setInterval(tick, 2000);
    return () => clearInterval(t);
  }, []);
  // A sale locked before a reload is sent again, exactly as it was.
  useEffect(() => { if (pending) void send(pending); }, []);
  const loadTill = () => registers.current(registerId).then((t) => { setTill(t); save(`till:${registerId}`, t); }).catch((e) => {
    if (e instanceof ApiError && e.status === 404) setTill(null);
    else if (e instanceof OfflineError) setTill(load<RegisterSession | null>(`till:${registerId}`, null, (v): v is RegisterSession | null => v === null || isObject(v)));
    else setMsg({ kind: 'error', text: message(e) });
  });
  useEffect(() => { void loadTill(); }, [registerId]);
  const tillClosed = till === null && !training;
  const tillUnknown = till === undefined && !training;

  // The scan field keeps focus: after every render in sale mode with no dialog open.
  const refocus = () => {
    if (mode === 'sale' && !dialog && !override && !locked && !document.querySelector('[role=dialog]')) scanRef.current?.focus();
  };
  useEffect(refocus);
  // A new sign-in (after an expired one) starts with an empty scan field: what was typed into it
  // while the sign-in had lapsed can only be a code cut short, or run into the next one.
  useEffect(() => {
    if (scanRef.current) { scanRef.current.value = ''; scanRef.current.dataset.query = ''; }
  }, [session]);
  useEffect(() => {
    const onUp = (e: Event) => {
      const t = e.target;
      if (t instanceof Element && !t.closest('input, select, textarea, [role=dialog]')) setTimeout(refocus, 0);
    };
    document.addEventListener('pointerup', onUp);
    return () => document.removeEventListener('pointerup', onUp);
  });
  // Enter-to-line timing (reported by the tests, not asserted): from the Enter keydown to the
  // row painted, as a performance measure named br:scan-to-line.
  useLayoutEffect(() => {
    if (scanStart.current !== null) {
      const t0 = scanStart.current;
      scanStart.current = null;
      requestAnimationFrame(() => { performance.measure('br:scan-to-line', { start: t0, end: performance.now() }); });
    }
  }, [cart]);

  // Every number on screen is the server's quote of the cart shown (no pricing here).
  const quoteBody = shownCart.lines.length ? saleBody(shownCart, { locationId, registerId, training }, [], shownCart.id ?? 'quote') : null;
  const quoteKey = quoteBody ? JSON.stringify([quoteBody.lines, training, locationId]) : '';
  const [quoted, setQuoted] = useState<{ key: string; quote: Quote } | null>(null);
  /** When the cart shown last changed (for the br:cart-to-quote measure). */
  const cartChanged = useRef<number | null>(null);
  useLayoutEffect(() => { cartChanged.current = quoteKey ? performance.now() : null; }, [quoteKey]);
  // A quote that could not reach the server is asked again, so a blip never leaves the total at "…".
  // Known to be offline, none is asked (the copy's shelf prices stand in, below): a network that
  // does not answer would only hold one of the browser's few connections for each.
  const [quoteTry, setQuoteTry] = useState(0);
  useEffect(() => {
    if (!quoteBody || downSince !== null) return;
    let current = true;
    let again: ReturnType<typeof setTimeout> | undefined;
    const { id: _id, ...body } = quoteBody; // a quote is no document: no id
    const sent = performance.now();
    sales.quote(body, { deadlineMs: deadlineMs.quote }).then((q) => {
      performance.measure('br:quote-round-trip', { start: sent, end: performance.now() });
      if (current) setQuoted({ key: quoteKey, quote: q });
    }).catch((e) => {
      if (!current) return;
      if (e instanceof OfflineError) again = setTimeout(() => setQuoteTry((n) => n + 1), retryMs);
      else setMsg({ kind: 'error', text: message(e) });
    });
    return () => { current = false; clearTimeout(again); };
  }, [quoteKey, quoteTry, downSince === null]);
  const quote = quoted && quoted.key === quoteKey ? quoted.quote : null;
  // Cart change to its quoted total painted (reported by scripts/measure-register.mjs, never asserted).
  useLayoutEffect(() => {
    const t0 = cartChanged.current;
    if (!quote || t0 === null) return;
    cartChanged.current = null;
    requestAnimationFrame(() => { performance.measure('br:cart-to-quote', { start: t0, end: performance.now() }); });
  }, [quote]);
  // Offline there is no quote: the shelf prices of the copy (the server prices the sale when it
  // is posted; docs/offline-register.md).
  const down = downSince !== null;
  const offlinePriced = down ? offlinePrices(shownCart.lines, offlineRules) : null;
  const localTotal = offlinePriced?.total ?? 0;
  const due = quoteBody ? quote?.total ?? (down ? localTotal : null) : 0;

  const askOverride = (wanted: Permission, detail: string) =>
    new Promise<string | null>((resolve) => setOverride({ permission: wanted, detail, resolve }));

  const add = (line: Omit<CartLine, 'key'>) => { if (!locked) setCart((c) => addLine(c, line, uuidv7)); };

  async function onScanKey(e: KeyboardEvent) {
    const input = e.currentTarget as HTMLInputElement;
    if (locked) { e.preventDefault(); return; }
    if (e.key === 'ArrowDown' && results.length) { e.preventDefault(); setHighlight((h) => Math.min(h + 1, results.length - 1)); return; }
    if (e.key === 'ArrowUp' && results.length) { e.preventDefault(); setHighlight((h) => Math.max(h - 1, 0)); return; }
    if (e.key === 'Escape') { setResults([]); input.value = ''; return; }
    if (input.value === '' && cart.lines.length) {
      const last = cart.lines[cart.lines.length - 1];
      if (e.key === '+') { e.preventDefault(); setCart((c) => changeCount(c, last.key, 1)); return; }
      if (e.key === '-') { e.preventDefault(); setCart((c) => changeCount(c, last.key, -1)); return; }
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { if (results.length && highlight >= 0) pickResult(results[highlight]); return; }
    if (results.length && highlight >= 0 && text === (input.dataset.query ?? '')) { input.value = ''; pickResult(results[highlight]); return; }
    // A scanner's code (digits, or a GS1-128 / DataBar element string) is scanned, anything else searched.
    if (isScannedCode(text)) {
      scanStart.current = performance.now();
      input.value = '';
      try {
        // Known to be offline: the copy at once, no request that would only fail (the app's
        // probe brings the register back online when the server answers again).
        if (downSince !== null) throw new OfflineError();
        const r = await catalog.scan(text, { deadlineMs: deadlineMs.scan });
        setResults([]);
        setMsg(null);
        add({ item: r.item, code: text, count: 1, pack: r.pack_quantity ?? 1, weight: r.embedded_weight, embeddedPrice: r.embedded_price });
      } catch (err) {
        if (err instanceof OfflineError) {
          const found = await scanOffline(text, layouts.current).catch(() => null);
          if (found && 'error' in found) {
            scanStart.current = null;
            beep();
            setMsg({ kind: 'error', text: `Wrong barcode ${text}: ${found.error} Nothing was added.` });
            return;
          }
          if (found) {
            setResults([]);
            setMsg(null);
            add({ item: found.item, code: text, count: 1, pack: found.pack, weight: found.weight, embeddedPrice: found.embeddedPrice });
            return;
          }
          scanStart.current = null;
          beep();
          setMsg({ kind: 'error', text: `Barcode ${text} is not in this register's copy of the catalog and the server cannot be reached — nothing was added.` });
          return;
        }
        scanStart.current = null;
        if (err instanceof ApiError && (err.code === 'unknown_barcode' || err.code === 'barcode_check_digit' || err.status === 404 || err.status === 422)) {
          beep();
          setMsg({ kind: 'error', text: err.code === 'unknown_barcode' ? `Unknown barcode ${text} — nothing was added.` : `Wrong barcode ${text}: ${err.problem.detail} Nothing was added.` });
        } else setMsg({ kind: 'error', text: message(err) });
      }
      return;
    }
    try {
      // Offline (known, or found out now) the copy is searched: an item without a barcode (loose
      // flowers, a bag of coffee beans) can still be sold.
      const fromCopy = () => searchOffline(text).then((items) => ({ items, copy: true }));
      const r = downSince !== null ? await fromCopy()
        : await catalog.search({ q: text, status: 'active', limit: 8 }, { deadlineMs: deadlineMs.search })
          .then((a) => ({ items: a.items, copy: false }), (e) => { if (e instanceof OfflineError) return fromCopy(); throw e; });
      const found = r.items.filter((i) => i.kind !== 'parent');
      setResults(found);
      setHighlight(found.length ? 0 : -1);
      input.dataset.query = text;
      const where = r.copy ? ' in this register’s copy of the catalog (offline)' : '';
      setMsg(found.length ? { kind: 'info', text: `${found.length} match${found.length > 1 ? 'es' : ''} for “${text}”${where}: ↑↓ to choose, Enter to add.` }
        : { kind: 'warn', text: `Nothing matches “${text}”${where}.` });
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  }

  function pickResult(item: Item) {
    scanStart.current = performance.now();
    add({ item, count: 1, pack: 1 });
    setResults([]);
    setHighlight(-1);
    setMsg(null);
    if (scanRef.current) { scanRef.current.value = ''; scanRef.current.dataset.query = ''; }
  }

  function clearSale() {
    setCart(emptyCart());
    setTenders([]);
    setReceipt(null);
    setResults([]);
    setMsg(null);
    setMode('sale');
  }

  /** F2 / "New sale": a cart with lines is parked or discarded only when the cashier says so. */
  function newSale() {
    if (locked) return;
    if (cart.lines.length && mode !== 'receipt') { setDialog('new-sale'); return; }
    clearSale();
  }

  /**
   * The server cannot be reached: a sale paid in cash or by card completes here with a reserved
   * receipt number and waits in the queue. A card is the terminal's to approve (the cashier types
   * its reference, as online); a store credit note's balance only the server knows.
   */
  async function completeOffline() {
    if (tenders.some((t) => t.type === 'store_credit')) { setMsg({ kind: 'error', text: 'Offline a store credit note cannot be checked: take cash or card for it, or wait for the network.' }); return; }
    const paid = tenders.reduce((s, t) => s + t.amount, 0);
    if (paid < localTotal) { setMsg({ kind: 'error', text: `The total is ${money(localTotal)}: ${money(localTotal - paid)} still to pay.` }); return; }
    if (training) {
      // Practice (docs/training.md): no reserved receipt number is used and the real queue is
      // never touched; it is posted as a training sale when the server is back.
      const id = cart.id ?? uuidv7();
      enqueuePractice({ body: saleBody({ ...cart, id }, { locationId, registerId, training: true }, tenders, id), total: localTotal, at: Date.now() });
      void countWaiting();
      setLastSale(null);
      clearSale();
      setMsg({ kind: 'ok', text: `Practice sale completed offline: ${money(localTotal)}, change due ${money(paid - localTotal)}. It waits to be sent as a training sale: it never moves stock.` });
      trainingEvent('sale.offline');
      return;
    }
    const number = takeNumber(registerId);
    if (!number) { setMsg({ kind: 'error', text: 'No receipt numbers are reserved for this register, so it cannot sell offline: wait for the network.' }); return; }
    const id = cart.id ?? uuidv7();
    const at = Date.now();
    const body = offlineSaleBody(saleBody({ ...cart, id }, { locationId, registerId, training }, tenders, id), cart, number, at);
    await enqueue({ body, receipt_number: number, total: localTotal, at });
    void countWaiting();
    setLastSale(null);
    clearSale();
    setMsg({ kind: 'ok', text: `Sale ${number} completed offline: ${money(localTotal)}, change due ${money(paid - localTotal)}. It is sent when the server is back.` });
  }

  function lockAndSend() {
    if (locked || sending.current) return;
    if (downSince !== null) { void completeOffline(); return; }
    const id = cart.id ?? uuidv7();
    const locking: Cart = { ...cart, id };
    const p: Pending = { body: saleBody(locking, { locationId, registerId, training }, tenders, id), cart: locking, tenders };
    setCart(locking);
    setPending(p);
    setMsg(null);
    void send(p);
  }

  /** Posts the locked body until the server answers; only an acknowledgement clears the cart. */
  async function send(first: Pending) {
    if (sending.current) return;
    sending.current = true;
    const run = ++sendRun.current;
    const stopped = () => sendRun.current !== run;
    let p = first;
    try {
      for (;;) {
        try {
          const sale = await sales.post(p.body, { deadlineMs: deadlineMs.sale });
          // Completed offline meanwhile: the queue finds this answer's sale on the books.
          if (stopped()) return;
          if (p.body.training) {
            if (p.body.tenders.some((t) => t.type === 'cash') && sale.change_due > 0) trainingEvent('sale.cash_change');
            if (p.body.tenders.some((t) => t.type === 'card')) trainingEvent('sale.card');
          }
          setOffline(false);
          setPending(null);
          void remember(sale).catch(() => undefined);
          setReceipt(sale);
          setLastSale({ id: sale.id, receipt_number: sale.receipt_number, total: sale.total });
          setCart(emptyCart());
          setTenders([]);
          setMode('receipt');
          return;
        } catch (err) {
          if (stopped()) return;
          if (err instanceof OfflineError) {
            setOffline(true);
            await new Promise((r) => setTimeout(r, retryMs));
            if (stopped()) return;
            continue;
          }
          setOffline(false);
          if (err instanceof ApiError && err.status === 403 && err.field === 'override_token') {
            const token = await askOverride(permissionFor(err.code), err.problem.detail);
            if (token) {
              p = { ...p, body: { ...p.body, override_token: token } };
              setPending(p);
              continue;
            }
            setMsg({ kind: 'warn', text: 'Not approved: the sale is not completed.' });
          } else if (err instanceof ApiError && err.code === 'register_session_closed') {
            setTill(null);
            setMode('sale');
            setMsg({ kind: 'warn', text: 'The till is closed: count the float and open it, then take the payment again. The cart is kept.' });
          } else if (err instanceof ApiError && err.code === 'insufficient_tender' && typeof err.problem.total === 'number') {
            const paid = p.tenders.reduce((s, t) => s + t.amount, 0);
            setMsg({ kind: 'error', text: `The total is ${money(err.problem.total)}: ${money(err.problem.total - paid)} still to pay.` });
          } else setMsg({ kind: 'error', text: message(err) });
          // Refused, so nothing was sold: the cart is the cashier's again.
          setPending(null);
          return;
        }
      }
    } finally {
      if (!stopped()) sending.current = false;
    }
  }

  /**
   * The locked sale waits for a network that is down: the cashier completes it offline as it
   * stands — same id, same lines and tenders, the next reserved receipt number. Its first try may
   * have reached the server, so the queue asks for it by id before sending it: it is on the books
   * once either way (docs/offline-register.md, "A sale caught by the cut").
   */
  async function completeLockedOffline() {
    const p = pending;
    if (!p || !offline || p.body.training) return;
    if (p.tenders.some((t) => t.type === 'store_credit')) { setMsg({ kind: 'error', text: 'Offline a store credit note cannot be checked: wait for the network to send this sale.' }); return; }
    const total = offlinePrices(p.cart.lines, offlineRules).total;
    const paid = p.tenders.reduce((s, t) => s + t.amount, 0);
    if (paid < total) { setMsg({ kind: 'error', text: `Offline the total is ${money(total)}, ${money(total - paid)} more than was taken: wait for the network to send this sale.` }); return; }
    const number = takeNumber(registerId);
    if (!number) { setMsg({ kind: 'error', text: 'No receipt numbers are reserved for this register, so it cannot sell offline: wait for the network.' }); return; }
    const at = Date.now();
    try {
      await enqueue({ body: offlineSaleBody(p.body, p.cart, number, at), receipt_number: number, total, at, maybePosted: true });
    } catch (e) {
      setMsg({ kind: 'error', text: `The sale could not be kept on this register (${message(e)}): it stays locked and is sent when the network is back.` });
      return;
    }
    sendRun.current++;
    sending.current = false;
    setPending(null);
    setOffline(false);
    void countWaiting();
    setLastSale(null);
    clearSale();
    setMsg({ kind: 'ok', text: `Sale ${number} completed offline: ${money(total)}, change due ${money(paid - total)}. It is sent when the server is back.` });
  }

  /** Parks the cart on the server; false when that failed (the cart is then kept). */
  async function parkCart(): Promise<boolean> {
    if (!cart.lines.length) return true;
    try {
      await sales.park({
        id: uuidv7(), location_id: locationId, register_id: registerId, training,
        lines: saleBody(cart, { locationId, registerId, training }, [], cart.id ?? uuidv7()).lines,
        note: cart.lines.map((l) => l.item.name).join(', ').slice(0, 200),
      });
      return true;
    } catch (err) {
      setMsg({ kind: 'error', text: `The cart could not be parked, so it is kept: ${message(err)}` });
      return false;
    }
  }

  async function park() {
    if (locked) return;
    if (!cart.lines.length) { setMsg({ kind: 'warn', text: 'The cart is empty: nothing to park.' }); return; }
    const n = cart.lines.length;
    if (await parkCart()) {
      practice('sale.parked');
      clearSale();
      setMsg({ kind: 'ok', text: `Sale parked (${n} ${n === 1 ? 'line' : 'lines'}). Resume it from “Parked sales”.` });
    }
  }

  async function resume(parkedId: string) {
    if (locked) return;
    const hadLines = cart.lines.length > 0;
    if (hadLines && !(await parkCart())) return;
    try {
      const doc = await sales.resume(parkedId);
      const lines: CartLine[] = [];
      for (const l of doc.sale.lines) {
        if (l.code) {
          const r = await catalog.scan(l.code);
          lines.push({ key: uuidv7(), item: r.item, code: l.code, count: l.quantity ?? 1, pack: r.pack_quantity ?? 1, weight: r.embedded_weight, embeddedPrice: r.embedded_price, discountPercent: l.discount?.percent });
        } else if (l.item_id) {
          const item = await catalog.item(l.item_id);
          lines.push({ key: uuidv7(), item, count: l.quantity ?? 1, pack: 1, discountPercent: l.discount?.percent });
        }
      }
      setCart({ id: uuidv7(), lines });
      setTenders([]);
      setReceipt(null);
      setDialog(null);
      setMode('sale');
      setMsg({ kind: 'ok', text: hadLines ? 'Parked sale resumed; the cart you had is parked.' : 'Parked sale resumed.' });
      practice('sale.resumed');
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  }

  function switchUser(s: Session, parked: boolean) {
    clearSale();
    setDialog(null);
    onSwitchUser(s);
    if (parked) setMsg({ kind: 'ok', text: 'The previous cart was parked: resume it from “Parked sales”.' });
  }

  const enterPay = () => {
    if (tillClosed || tillUnknown) return;
    if (mode === 'sale' && cart.lines.length) setMode('pay');
    setPayFocus((n) => n + 1);
  };

  // Keyboard shortcuts (shown on the buttons). While a sale is locked none of them applies.
  // The handler is this render's (a ref, not an effect re-registered after paint), so a key
  // pressed right after a scan sees the line the scan added.
  const onShortcut = useRef<(e: KeyboardEvent) => void>(() => {});
  onShortcut.current = (e: KeyboardEvent) => {
    if (dialog || override) return;
    const act: Record<RegisterAction, () => void> = {
      help: () => setDialog('help'),
      newSale,
      pay: enterPay,
      park: () => { if (mode === 'sale') void park(); },
      return: () => setMode('return'),
      void: () => setDialog('void'),
      parked: () => setDialog('parked'),
      training: () => setTraining((t) => !t),
    };
    const k = registerKeys.find((r) => r.key === e.key);
    if (!k) return;
    e.preventDefault();
    if (!locked || k.action === 'help') act[k.action]();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onShortcut.current(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class={`register${training ? ' is-training' : ''}`}>
      <header class="topbar">
        <strong class="brand">Backroom</strong>
        <nav aria-label="Areas">
          <a href="/register" aria-current="page" onClick={(e) => { e.preventDefault(); navigate('/register'); }}>Register</a>
          <a href="/office" onClick={(e) => { e.preventDefault(); navigate('/office'); }}>Back office</a>
        </nav>
        <span class="who">{session.user.display_name} · {words(session.user.role)} · {locationName} · {registerName}</span>
        <span class="spacer" />
        <Button variant="quiet" aria-pressed={training} disabled={locked} onClick={() => setTraining((t) => !t)} kbd={keyFor('training')}>{labelFor('training')}</Button>
        {onChangeDevice && <Button variant="quiet" disabled={locked} onClick={onChangeDevice}>Change register</Button>}
        <Button variant="quiet" onClick={() => setDialog('help')} kbd={keyFor('help')}>{labelFor('help')}</Button>
        <Button variant="quiet" disabled={locked} onClick={() => setDialog('switch')}>Switch user</Button>
        <Button variant="quiet" disabled={locked} onClick={onSignOut}>Sign out</Button>
      </header>
      {(downSince !== null || waiting.sales + waiting.returns + waiting.exchanges + waiting.practice > 0) && (
        <div class="offline-banner" role="status" aria-label="Offline">
          {downSince !== null ? `Offline since ${clockTime(downSince)}` : 'Back online'}
          {` — ${waitingText(waiting)} waiting to send`}
        </div>
      )}
      {waiting.refused > 0 && (
        <div class="offline-banner refused-banner" role="status" aria-label="Refused by the server">
          {`${waiting.refused} ${waiting.refused === 1 ? 'sale, return or exchange' : 'sales, returns or exchanges'} made offline refused by the server`}
          <Button variant="quiet" onClick={() => setDialog('refused')}>See why</Button>
        </div>
      )}
      <HeadOfficeBanner />
      {training && <div class="training-banner" role="status">TRAINING MODE — practice only: sales here never touch stock or reports</div>}
      <TrainingCoach where="register" />
      {locked && (
        <div class={`sending-banner${offline ? ' is-waiting' : ''}`} role="status" aria-label="Sale in progress">
          {offline
            ? 'Waiting for the network — the sale is locked and will be sent exactly as shown.'
            : 'Sending sale… the cart is locked until the server answers.'}
        </div>
      )}

      <div class="register-body">
        <section class="left" aria-label="Sale">
          {mode === 'return' && downSince !== null && offlineRules.returns === 'allow' && !training ? (
            <OfflineReturn registerId={registerId} rules={offlineRules} onQueued={() => void countWaiting()} onDone={() => setMode('sale')} />
          ) : mode === 'exchange' && downSince !== null && offlineRules.returns === 'allow' && !training ? (
            <OfflineExchange registerId={registerId} locationId={locationId} rules={offlineRules} onQueued={() => void countWaiting()} onDone={() => setMode('sale')} />
          ) : (mode === 'return' || mode === 'exchange') && downSince !== null ? (
            <Notice kind="warn">Returns and exchanges need the server (shop rule): take the receipt and do it when the network is back.</Notice>
          ) : mode === 'return' ? (
            <ReturnPanel locationId={locationId} registerId={registerId} training={training} onReturned={(r) => {
              practice('return.completed');
              if (r.sale_id === null) practice('return.no_receipt');
              if (r.lines.some((l) => l.disposition === 'damaged')) practice('return.damaged');
              if (r.tenders.some((t) => t.type === 'store_credit')) practice('return.store_credit');
            }} receipt={handover?.what === 'return' ? handover.receipt : undefined} onDone={() => setMode('sale')} askOverride={askOverride} />
          ) : mode === 'exchange' ? (
            <ExchangePanel till={{ locationId, registerId, training }} onExchanged={() => practice('exchange.completed')} receipt={handover?.what === 'exchange' ? handover.receipt : undefined} onDone={() => setMode('sale')} />
          ) : mode === 'receipt' && receipt ? (
            <Receipt sale={receipt} />
          ) : tillUnknown ? (
            <p aria-busy="true">Checking the till…</p>
          ) : tillClosed ? (
            <>
              {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
              <OpenTill registerId={registerId} locationId={locationId} onOpened={(s) => { setTill(s); setMsg({ kind: 'ok', text: `Till open with a float of ${money(s.opening_float)}.` }); }} />
            </>
          ) : (
            <>
              <div class="scan">
                <label for="scan">Scan or search</label>
                <input id="scan" ref={scanRef} autocomplete="off" spellcheck={false} enterKeyHint="enter"
                  placeholder="Scan a barcode or type a name, then Enter" onKeyDown={onScanKey} disabled={mode !== 'sale' || locked} />
              </div>
              {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
              {results.length > 0 && (
                <ul class="results" aria-label="Search results">
                  {results.map((r, i) => (
                    <li><button type="button" class={i === highlight ? 'hl' : ''} aria-current={i === highlight} onClick={() => pickResult(r)}>
                      <span>{r.name}</span><span class="muted">{r.sku}</span><span>{money(r.price)}</span>
                    </button></li>
                  ))}
                </ul>
              )}
              {quote?.needs_override && <Notice kind="warn">A discount is above your limit: a manager approves it when you complete the sale.</Notice>}
              <CartTable cart={shownCart} quote={quote} offline={offlinePriced} editable={mode === 'sale' && !locked}
                onCount={(k, d) => { if (!locked) setCart((c) => changeCount(c, k, d)); }}
                onRemove={(k) => { if (!locked) setCart((c) => ({ ...c, lines: c.lines.filter((l) => l.key !== k) })); }}
                onDiscount={(k) => {
                  // A discount may need a manager's approval, which only the server checks.
                  if (down) { setMsg({ kind: 'error', text: 'Discounts need the server (a manager approves one above your limit there): sell at the shelf price, or wait for the network.' }); return; }
                  setDiscountKey(k); setDialog('discount');
                }} />
            </>
          )}
        </section>

        <aside class="right" aria-label="Actions">
          <div class="total" aria-live="polite">
            <span>Total</span><strong>{mode === 'receipt' && receipt ? money(receipt.total) : due === null ? '…' : money(due)}</strong>
          </div>
          {mode === 'sale' && (
            <>
              <Button variant="primary" big kbd={keyFor('pay')} disabled={!cart.lines.length || tillClosed || tillUnknown} onClick={enterPay}>{labelFor('pay')}</Button>
              <Button big kbd={keyFor('park')} onClick={park} disabled={!cart.lines.length}>{labelFor('park')}</Button>
              <Button big kbd={keyFor('parked')} onClick={() => setDialog('parked')}>{labelFor('parked')}</Button>
              <Button big kbd={keyFor('return')} onClick={() => setMode('return')}>{labelFor('return')}</Button>
              <Button big onClick={() => setMode('exchange')}>Exchange</Button>
              {can(session, permission.orders_pick) && <Button big disabled={cart.lines.length > 0 || tillClosed || tillUnknown} onClick={() => setDialog('pickup')}>Pickup</Button>}
              <Button big kbd={keyFor('void')} variant="danger" onClick={() => setDialog('void')} disabled={!lastSale && !down}>{labelFor('void')}</Button>
              <Button big kbd={keyFor('newSale')} onClick={newSale}>{labelFor('newSale')}</Button>
            </>
          )}
          {mode === 'pay' && (
            <PayPanel due={due} tenders={shownTenders} setTenders={setTenders} busy={locked} locked={locked} msg={msg} focusTick={payFocus}
              onComplete={lockAndSend} onCompleteOffline={offline && pending && !pending.body.training ? () => void completeLockedOffline() : undefined} onBack={() => { if (!locked) { setTenders([]); setMode('sale'); setMsg(null); } }} />
          )}
          {mode === 'receipt' && receipt && (
            <>
              <div class="change" role="status">
                <span>Change due</span><strong>{money(receipt.change_due)}</strong>
              </div>
              <Button big onClick={() => print()}>Print receipt</Button>
              <Button variant="primary" big kbd={keyFor('newSale')} onClick={newSale}>{labelFor('newSale')}</Button>
              <Button big kbd={keyFor('void')} variant="danger" onClick={() => setDialog('void')}>{labelFor('void')}</Button>
            </>
          )}
          {(mode === 'return' || mode === 'exchange') && <Button big kbd={keyFor('newSale')} onClick={newSale}>{labelFor('newSale')}</Button>}
          <div class="session-box">
            {till ? (
              <>
                <span class="muted">Till open · session {till.number}</span>
                <Button disabled={locked} onClick={() => setDialog('cash')}>Paid in / out</Button>
                <Button disabled={locked} onClick={() => setDialog('close')}>Close till</Button>
              </>
            ) : till === null ? <span class="muted">Till closed</span> : <span class="muted">…</span>}
          </div>
          <p class="keys muted" aria-hidden="true">Enter adds · ↑↓ choose · + / − last line · Esc clears</p>
        </aside>
      </div>

      {dialog === 'refused' && <RefusedQueue onClose={() => setDialog(null)} onChanged={() => void countWaiting()} />}
      {dialog === 'void' && <VoidDialog lastSale={lastSale} offline={down} onClose={() => setDialog(null)} askOverride={askOverride}
        onVoided={(s) => {
          practice('sale.voided');
          setDialog(null);
          setLastSale(null);
          if (mode === 'receipt') clearSale();
          setMsg({ kind: 'ok', text: `Sale ${s.receipt_number} voided${s.void?.approver ? ` (approved by ${s.void.approver})` : ''}.` });
        }} />}
      {dialog === 'help' && (
        <Dialog title="Help" wide onClose={() => setDialog(null)}>
          <CheatSheet sheet={sheetFor(session.user.role)} />
          <Button onClick={() => open(`/help/${sheetFor(session.user.role).role}`, '_blank', 'noopener')}>Open to print</Button>
          {' '}<DownloadPdf sheet={sheetFor(session.user.role)} />
        </Dialog>
      )}
      {dialog === 'pickup' && <PickupDialog registerId={registerId} onClose={() => setDialog(null)} onCollected={(sale) => {
        setDialog(null);
        setReceipt(sale);
        setLastSale({ id: sale.id, receipt_number: sale.receipt_number, total: sale.total });
        setMode('receipt');
      }} />}
      {dialog === 'parked' && <ParkedDialog locationId={locationId} onClose={() => setDialog(null)} onResume={resume} />}
      {dialog === 'cash' && till && <CashDialog registerId={registerId} sessionId={till.id} onClose={() => setDialog(null)}
        onDone={(text) => { setDialog(null); setMsg({ kind: 'ok', text }); }} />}
      {dialog === 'close' && till && <CloseTill registerId={registerId} sessionId={till.id}
        onClose={() => { setDialog(null); void loadTill(); }} onClosed={() => undefined} />}
      {dialog === 'discount' && <DiscountDialog onClose={() => setDialog(null)} onSet={(p) => {
        setCart((c) => ({ ...c, lines: c.lines.map((l) => (l.key === discountKey ? { ...l, discountPercent: p || undefined } : l)) }));
        setDialog(null);
      }} />}
      {dialog === 'switch' && <SwitchDialog cartLines={mode === 'receipt' ? 0 : cart.lines.length} parkCart={parkCart} onClose={() => setDialog(null)} onSwitched={switchUser} />}
      {dialog === 'new-sale' && <NewSaleDialog cartLines={cart.lines.length} onClose={() => setDialog(null)}
        onDiscard={() => { setDialog(null); clearSale(); setMsg({ kind: 'info', text: 'The cart was discarded.' }); }}
        onPark={async () => { setDialog(null); await park(); }} />}
      {override && <OverrideDialog ask={override} onDone={(t) => { override.resolve(t); setOverride(null); }} />}
    </div>
  );
}

/** On a store node whose head office cannot be reached: selling goes on, and it says so. */
function HeadOfficeBanner() {
  const status = useLinkStatus();
  const link = status ? linkText(status) : null;
  if (!link || link.kind !== 'warn') return null;
  return <div class="offline-banner" role="status" aria-label="Head office link">{link.text}</div>;
}
