// The register: one always-focused scan field, the cart, pay, receipt, returns, voids,
// parked sales, register sessions and training mode.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, message, money, OfflineError, parseMoney, q, qty, uuidv7, when } from './api';
import { beep } from './beep';
import { code128Bars } from './code128';
import { Button, Dialog, Field, Notice, Select } from './components';
import { can, navigate, type Session } from './main';

interface ItemLite { id: string; sku: string; name: string; price: number | null; unit: string; prices?: Record<string, number> }
interface CartLine {
  key: string;
  item: ItemLite;
  code?: string;
  count: number;        // scans (or typed quantity); a case code sells count × pack
  pack: number;
  weight?: number;      // embedded weight: the quantity itself
  embeddedPrice?: number;
  discountPercent?: number;
}
interface Cart { id: string | null; lines: CartLine[] }
interface Tender { type: 'cash' | 'card' | 'store_credit'; amount: number; reference?: string }
type Mode = 'sale' | 'pay' | 'receipt' | 'return';
type Msg = { kind: 'error' | 'ok' | 'info' | 'warn'; text: string } | null;
interface OverrideAsk { permission: string; detail: string; resolve: (token: string | null) => void }

const store = {
  get<T>(k: string, d: T): T { try { const v = localStorage.getItem('br.' + k); return v === null ? d : JSON.parse(v); } catch { return d; } },
  set(k: string, v: unknown) { if (v === null || v === undefined) localStorage.removeItem('br.' + k); else localStorage.setItem('br.' + k, JSON.stringify(v)); },
};

const lineQty = (l: CartLine) => l.weight ?? l.count * l.pack;
function lineTotal(l: CartLine): number {
  const gross = l.embeddedPrice !== undefined ? l.embeddedPrice * l.count : Math.round((l.item.price ?? 0) * lineQty(l));
  return gross - Math.round((gross * (l.discountPercent ?? 0)) / 100);
}
const permissionFor = (code: string) => (code === 'discount_over_limit' ? 'sales.discount_override' : code === 'void' ? 'sales.void' : 'returns.no_receipt');

export function Register({ session, onSignOut, onSwitchUser }: { session: Session; onSignOut: () => void; onSwitchUser: (s: Session) => void }) {
  const [locations, setLocations] = useState<any[]>([]);
  const [locationId, setLocationId] = useState<string>(store.get('location', ''));
  const [registerId] = useState<string>(store.get('register', 'REG-1'));
  const [sessionId, setSessionId] = useState<string | null>(store.get(`session.${store.get('register', 'REG-1')}`, null));
  const [training, setTraining] = useState<boolean>(store.get('training', false));
  const [cart, setCart] = useState<Cart>(store.get('cart', { id: null, lines: [] }));
  const [mode, setMode] = useState<Mode>('sale');
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [msg, setMsg] = useState<Msg>(null);
  const [results, setResults] = useState<ItemLite[]>([]);
  const [highlight, setHighlight] = useState(-1);
  const [receipt, setReceipt] = useState<any>(null);
  const [lastSale, setLastSale] = useState<{ id: string; receipt_number: string; total: number } | null>(store.get('lastSale', null));
  const [dialog, setDialog] = useState<null | 'void' | 'parked' | 'open' | 'close' | 'discount' | 'switch'>(null);
  const [override, setOverride] = useState<OverrideAsk | null>(null);
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);
  const scanStart = useRef<number | null>(null);

  useEffect(() => store.set('cart', cart), [cart]);
  useEffect(() => store.set('training', training), [training]);
  useEffect(() => store.set('lastSale', lastSale), [lastSale]);
  useEffect(() => store.set(`session.${registerId}`, sessionId), [sessionId]);
  useEffect(() => {
    api.get('/locations').then((r) => {
      const sellable = r.locations.filter((l: any) => l.sellable);
      setLocations(sellable);
      if (!sellable.some((l: any) => l.id === locationId) && sellable[0]) { setLocationId(sellable[0].id); store.set('location', sellable[0].id); }
    }).catch((e) => setMsg({ kind: 'error', text: message(e) }));
  }, []);

  // The scan field keeps focus: after every render in sale mode with no dialog open.
  const refocus = () => { if (mode === 'sale' && !dialog && !override) scanRef.current?.focus(); };
  useEffect(refocus);
  useEffect(() => {
    const onUp = (e: Event) => {
      const t = e.target as HTMLElement;
      if (!t.closest('input, select, textarea, [role=dialog]')) setTimeout(refocus, 0);
    };
    document.addEventListener('pointerup', onUp);
    return () => document.removeEventListener('pointerup', onUp);
  });
  // Enter-to-line timing (reported, not asserted): from the Enter keydown to the row painted.
  useLayoutEffect(() => {
    if (scanStart.current !== null) {
      const t0 = scanStart.current;
      scanStart.current = null;
      requestAnimationFrame(() => { (window as any).__brScanMs = performance.now() - t0; });
    }
  }, [cart]);

  const estimate = cart.lines.reduce((s, l) => s + lineTotal(l), 0);
  const paid = tenders.reduce((s, t) => s + t.amount, 0);

  const askOverride = (permission: string, detail: string) =>
    new Promise<string | null>((resolve) => setOverride({ permission, detail, resolve }));

  function addLine(line: Omit<CartLine, 'key'>) {
    setCart((c) => {
      const merge = line.weight === undefined && line.embeddedPrice === undefined;
      const i = merge ? c.lines.findIndex((l) => l.item.id === line.item.id && l.code === line.code && l.weight === undefined && l.embeddedPrice === undefined) : -1;
      const lines = [...c.lines];
      if (i >= 0) lines[i] = { ...lines[i], count: lines[i].count + line.count };
      else lines.push({ ...line, key: uuidv7() });
      return { id: c.id ?? uuidv7(), lines }; // the sale id is born with the cart and kept for retries
    });
  }

  async function onScanKey(e: KeyboardEvent) {
    const input = e.currentTarget as HTMLInputElement;
    if (e.key === 'ArrowDown' && results.length) { e.preventDefault(); setHighlight((h) => Math.min(h + 1, results.length - 1)); return; }
    if (e.key === 'ArrowUp' && results.length) { e.preventDefault(); setHighlight((h) => Math.max(h - 1, 0)); return; }
    if (e.key === 'Escape') { setResults([]); input.value = ''; return; }
    if (input.value === '' && cart.lines.length) {
      const last = cart.lines[cart.lines.length - 1];
      if (e.key === '+') { e.preventDefault(); changeCount(last.key, 1); return; }
      if (e.key === '-') { e.preventDefault(); changeCount(last.key, -1); return; }
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { if (results.length && highlight >= 0) pickResult(results[highlight]); return; }
    if (results.length && highlight >= 0 && text === (input.dataset.query ?? '')) { input.value = ''; pickResult(results[highlight]); return; }
    if (/^\d{4,}$/.test(text)) {
      scanStart.current = performance.now();
      input.value = '';
      try {
        const r = await api.get(`/scan/${encodeURIComponent(text)}`);
        setResults([]);
        setMsg(null);
        addLine({
          item: r.item, code: text, count: 1, pack: r.pack_quantity ?? 1,
          weight: r.embedded_weight, embeddedPrice: r.embedded_price,
        });
      } catch (err) {
        scanStart.current = null;
        if (err instanceof ApiError && (err.code === 'unknown_barcode' || err.code === 'barcode_check_digit' || err.status === 404 || err.status === 422)) {
          beep();
          setMsg({ kind: 'error', text: err.code === 'unknown_barcode' ? `Unknown barcode ${text} — nothing was added.` : `Wrong barcode ${text}: ${err.problem.detail} Nothing was added.` });
        } else setMsg({ kind: 'error', text: message(err) });
      }
      return;
    }
    try {
      const r = await api.get(`/items${q({ q: text, status: 'active', limit: 8 })}`);
      const found = r.items.filter((i: any) => i.kind !== 'parent');
      setResults(found);
      setHighlight(found.length ? 0 : -1);
      input.dataset.query = text;
      setMsg(found.length ? { kind: 'info', text: `${found.length} match${found.length > 1 ? 'es' : ''} for “${text}”: ↑↓ to choose, Enter to add.` }
        : { kind: 'warn', text: `Nothing matches “${text}”.` });
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  }

  function pickResult(item: ItemLite) {
    scanStart.current = performance.now();
    addLine({ item, count: 1, pack: 1 });
    setResults([]);
    setHighlight(-1);
    setMsg(null);
    if (scanRef.current) { scanRef.current.value = ''; scanRef.current.dataset.query = ''; }
  }

  function changeCount(key: string, delta: number) {
    setCart((c) => ({ ...c, lines: c.lines.flatMap((l) => (l.key !== key ? [l] : l.count + delta <= 0 ? [] : [{ ...l, count: l.count + delta }])) }));
  }
  const removeLine = (key: string) => setCart((c) => ({ ...c, lines: c.lines.filter((l) => l.key !== key) }));

  function newSale() {
    setCart({ id: null, lines: [] });
    setTenders([]);
    setReceipt(null);
    setResults([]);
    setMsg(null);
    setMode('sale');
  }

  const saleBody = (overrideToken?: string) => ({
    id: cart.id ?? uuidv7(),
    location_id: locationId,
    register_id: registerId,
    training,
    lines: cart.lines.map((l) => ({
      ...(l.code ? { code: l.code } : { item_id: l.item.id }),
      quantity: l.count,
      ...(l.discountPercent ? { discount: { percent: l.discountPercent } } : {}),
    })),
    tenders: tenders.map((t) => ({ type: t.type, amount: t.amount, ...(t.reference ? { reference: t.reference } : {}) })),
    ...(overrideToken ? { override_token: overrideToken } : {}),
  });

  async function completeSale() {
    if (busy) return;
    let body = saleBody();
    if (!cart.id) setCart((c) => ({ ...c, id: body.id }));
    setBusy(true);
    setMsg(null);
    try {
      for (;;) {
        try {
          const sale = await api.post('/sales', body);
          setRetrying(false);
          setReceipt(sale);
          setLastSale({ id: sale.id, receipt_number: sale.receipt_number, total: sale.total });
          setCart({ id: null, lines: [] });
          setTenders([]);
          setMode('receipt');
          return;
        } catch (err) {
          if (err instanceof OfflineError) {
            // Same body, same id: the server answers the first sale again if it had landed.
            setRetrying(true);
            await new Promise((r) => setTimeout(r, 2500));
            continue;
          }
          if (err instanceof ApiError && err.status === 403 && err.field === 'override_token') {
            const token = await askOverride(permissionFor(err.code), err.problem.detail);
            if (!token) { setMsg({ kind: 'warn', text: 'Not approved: the sale is not completed.' }); return; }
            body = { ...body, override_token: token };
            continue;
          }
          if (err instanceof ApiError && err.code === 'insufficient_tender' && typeof err.problem.total === 'number')
            setMsg({ kind: 'error', text: `The total is ${money(err.problem.total as number)}: ${money((err.problem.total as number) - paid)} still to pay.` });
          else setMsg({ kind: 'error', text: message(err) });
          return;
        }
      }
    } finally {
      setRetrying(false);
      setBusy(false);
    }
  }

  async function park() {
    if (!cart.lines.length) { setMsg({ kind: 'warn', text: 'The cart is empty: nothing to park.' }); return; }
    try {
      const body = saleBody();
      delete (body as any).tenders;
      delete (body as any).id;
      const p = await api.post('/sales/parked', { ...body, id: uuidv7(), note: cart.lines.map((l) => l.item.name).join(', ').slice(0, 200) });
      newSale();
      setMsg({ kind: 'ok', text: `Sale parked (${p.sale?.lines?.length ?? ''} lines). Resume it from “Parked sales”.` });
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  }

  async function resume(parkedId: string) {
    try {
      const doc = await api.post(`/sales/parked/${parkedId}/resume`);
      const lines: CartLine[] = [];
      for (const l of doc.sale.lines) {
        if (l.code) {
          const r = await api.get(`/scan/${encodeURIComponent(l.code)}`);
          lines.push({ key: uuidv7(), item: r.item, code: l.code, count: l.quantity ?? 1, pack: r.pack_quantity ?? 1, weight: r.embedded_weight, embeddedPrice: r.embedded_price, discountPercent: l.discount?.percent });
        } else {
          const item = await api.get(`/items/${l.item_id}`);
          lines.push({ key: uuidv7(), item, count: l.quantity ?? 1, pack: 1, discountPercent: l.discount?.percent });
        }
      }
      setCart({ id: uuidv7(), lines });
      setDialog(null);
      setMode('sale');
      setMsg({ kind: 'ok', text: 'Parked sale resumed.' });
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  }

  // Keyboard shortcuts (shown on the buttons).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog || override) return;
      const k = e.key;
      const act: Record<string, () => void> = {
        F2: newSale,
        F4: () => cart.lines.length && mode === 'sale' && setMode('pay'),
        F6: () => mode === 'sale' && park(),
        F7: () => { setMode('return'); },
        F8: () => setDialog('void'),
        F9: () => setDialog('parked'),
        F10: () => setTraining((t) => !t),
      };
      if (act[k]) { e.preventDefault(); act[k](); }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const loc = locations.find((l) => l.id === locationId);
  return (
    <div class={`register${training ? ' is-training' : ''}`}>
      <header class="topbar">
        <strong class="brand">Backroom</strong>
        <nav aria-label="Areas">
          <a href="/register" aria-current="page" onClick={(e) => { e.preventDefault(); navigate('/register'); }}>Register</a>
          <a href="/office" onClick={(e) => { e.preventDefault(); navigate('/office'); }}>Back office</a>
        </nav>
        <span class="who">{session.user.display_name} · {session.user.role.replace('_', ' ')} · {loc?.name ?? '…'} · {registerId}</span>
        <span class="spacer" />
        <Button variant="quiet" aria-pressed={training} onClick={() => setTraining((t) => !t)} kbd="F10">Training mode</Button>
        <Button variant="quiet" onClick={() => setDialog('switch')}>Switch user</Button>
        <Button variant="quiet" onClick={onSignOut}>Sign out</Button>
      </header>
      {training && <div class="training-banner" role="status">TRAINING MODE — practice only: sales here never touch stock or reports</div>}

      <div class="register-body">
        <section class="left" aria-label="Sale">
          {mode === 'return' ? (
            <ReturnPanel registerId={registerId} locationId={locationId} training={training} onDone={() => setMode('sale')} askOverride={askOverride} />
          ) : mode === 'receipt' && receipt ? (
            <Receipt sale={receipt} />
          ) : (
            <>
              <div class="scan">
                <label for="scan">Scan or search</label>
                <input id="scan" ref={scanRef} autocomplete="off" spellcheck={false} enterKeyHint="enter"
                  placeholder="Scan a barcode or type a name, then Enter" onKeyDown={onScanKey} disabled={mode !== 'sale'} />
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
              <CartTable cart={cart} onCount={changeCount} onRemove={removeLine} editable={mode === 'sale'}
                onDiscount={(key) => { (window as any).__brDiscountKey = key; setDialog('discount'); }} />
            </>
          )}
        </section>

        <aside class="right" aria-label="Actions">
          <div class="total" aria-live="polite">
            <span>Total</span><strong>{money(mode === 'receipt' && receipt ? receipt.total : estimate)}</strong>
          </div>
          {mode === 'sale' && (
            <>
              <Button variant="primary" big kbd="F4" disabled={!cart.lines.length} onClick={() => setMode('pay')}>Pay</Button>
              <Button big kbd="F6" onClick={park} disabled={!cart.lines.length}>Park sale</Button>
              <Button big kbd="F9" onClick={() => setDialog('parked')}>Parked sales</Button>
              <Button big kbd="F7" onClick={() => setMode('return')}>Return</Button>
              <Button big kbd="F8" variant="danger" onClick={() => setDialog('void')} disabled={!lastSale}>Void last sale</Button>
              <Button big kbd="F2" onClick={newSale}>New sale</Button>
            </>
          )}
          {mode === 'pay' && (
            <PayPanel due={estimate} tenders={tenders} setTenders={setTenders} busy={busy} msg={msg}
              onComplete={completeSale} onBack={() => { setTenders([]); setMode('sale'); setMsg(null); }} />
          )}
          {mode === 'receipt' && receipt && (
            <>
              <div class="change" role="status">
                <span>Change due</span><strong>{money(receipt.change_due)}</strong>
              </div>
              <Button big onClick={() => window.print()}>Print receipt</Button>
              <Button variant="primary" big kbd="F2" onClick={newSale}>New sale</Button>
              <Button big kbd="F8" variant="danger" onClick={() => setDialog('void')}>Void last sale</Button>
            </>
          )}
          {mode === 'return' && <Button big kbd="F2" onClick={newSale}>New sale</Button>}
          <div class="session-box">
            {sessionId ? (
              <>
                <span class="muted">Register session open</span>
                <Button onClick={() => setDialog('close')}>Close register</Button>
              </>
            ) : (
              <>
                <span class="muted">No register session</span>
                <Button onClick={() => setDialog('open')}>Open register</Button>
              </>
            )}
          </div>
          <p class="keys muted" aria-hidden="true">Enter adds · ↑↓ choose · + / − last line · Esc clears</p>
        </aside>
      </div>

      {dialog === 'void' && <VoidDialog lastSale={lastSale} onClose={() => setDialog(null)} askOverride={askOverride}
        onVoided={(s) => { setDialog(null); setMsg({ kind: 'ok', text: `Sale ${s.receipt_number} voided${s.void?.approver ? ` (approved by ${s.void.approver})` : ''}.` }); setLastSale(null); newSaleKeepMsg(); }} />}
      {dialog === 'parked' && <ParkedDialog locationId={locationId} onClose={() => setDialog(null)} onResume={resume} />}
      {dialog === 'open' && <OpenDialog registerId={registerId} locationId={locationId} onClose={() => setDialog(null)}
        onOpened={(id) => { setSessionId(id); setDialog(null); setMsg({ kind: 'ok', text: 'Register open.' }); }} />}
      {dialog === 'close' && sessionId && <CloseDialog registerId={registerId} sessionId={sessionId}
        onClose={() => setDialog(null)} onClosed={() => setSessionId(null)} />}
      {dialog === 'discount' && <DiscountDialog onClose={() => setDialog(null)} onSet={(p) => {
        const key = (window as any).__brDiscountKey;
        setCart((c) => ({ ...c, lines: c.lines.map((l) => (l.key === key ? { ...l, discountPercent: p || undefined } : l)) }));
        setDialog(null);
      }} />}
      {dialog === 'switch' && <SwitchDialog onClose={() => setDialog(null)} onSwitched={(s) => { setDialog(null); onSwitchUser(s); }} />}
      {override && <OverrideDialog ask={override} onDone={(t) => { override.resolve(t); setOverride(null); }} />}
    </div>
  );

  function newSaleKeepMsg() {
    setCart((c) => (mode === 'receipt' ? { id: null, lines: [] } : c));
    setReceipt(null);
    if (mode === 'receipt') setMode('sale');
  }
}

function CartTable({ cart, onCount, onRemove, onDiscount, editable }: {
  cart: Cart; onCount: (k: string, d: number) => void; onRemove: (k: string) => void; onDiscount: (k: string) => void; editable: boolean;
}) {
  return (
    <div class="table-wrap cart-wrap">
      <table aria-label="Cart" class="data cart">
        <thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th><th scope="col" class="num">Total</th><th scope="col"><span class="sr-only">Change</span></th></tr></thead>
        <tbody>
          {cart.lines.length === 0 && <tr><td colSpan={5} class="empty">Scan an item to start a sale.</td></tr>}
          {cart.lines.map((l) => (
            <tr>
              <td>{l.item.name}<div class="muted small">{l.item.sku}{l.code ? ` · ${l.code}` : ''}{l.pack > 1 ? ` · case of ${l.pack}` : ''}{l.discountPercent ? ` · −${l.discountPercent} %` : ''}</div></td>
              <td class="num">{qty(lineQty(l))}{l.weight !== undefined ? ` ${l.item.unit}` : ''}</td>
              <td class="num">{l.embeddedPrice !== undefined ? money(l.embeddedPrice) : money(l.item.price)}</td>
              <td class="num">{money(lineTotal(l))}</td>
              <td class="line-actions">
                {editable && l.weight === undefined && <>
                  <button type="button" class="icon" aria-label={`Fewer ${l.item.name}`} onClick={() => onCount(l.key, -1)}>−</button>
                  <button type="button" class="icon" aria-label={`More ${l.item.name}`} onClick={() => onCount(l.key, 1)}>+</button>
                </>}
                {editable && <button type="button" class="icon" aria-label={`Discount ${l.item.name}`} onClick={() => onDiscount(l.key)}>%</button>}
                {editable && <button type="button" class="icon" aria-label={`Remove ${l.item.name}`} onClick={() => onRemove(l.key)}>×</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PayPanel({ due, tenders, setTenders, busy, msg, onComplete, onBack }: {
  due: number; tenders: Tender[]; setTenders: (t: Tender[]) => void; busy: boolean; msg: Msg; onComplete: () => void; onBack: () => void;
}) {
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [err, setErr] = useState('');
  const paid = tenders.reduce((s, t) => s + t.amount, 0);
  const remaining = Math.max(due - paid, 0);
  const add = (type: Tender['type']) => {
    const a = amount.trim() ? parseMoney(amount) : remaining;
    if (a === null || a <= 0) { setErr('Type an amount like 20 or 12.50.'); return; }
    if (type !== 'cash' && !reference.trim()) { setErr(type === 'card' ? 'Card needs the terminal reference.' : 'Store credit needs the credit note number.'); return; }
    if (type !== 'cash' && a > remaining) { setErr('Only cash can be more than what is due (change is given in cash).'); return; }
    setErr('');
    setTenders([...tenders, { type, amount: a, ...(type !== 'cash' ? { reference: reference.trim() } : {}) }]);
    setAmount('');
    setReference('');
  };
  return (
    <div class="pay" aria-label="Payment" role="group">
      <dl class="sums">
        <dt>Due</dt><dd>{money(due)}</dd>
        <dt>Paid</dt><dd>{money(paid)}</dd>
        <dt>{paid > due ? 'Change' : 'Remaining'}</dt><dd>{money(paid > due ? paid - due : remaining)}</dd>
      </dl>
      <Field label="Amount tendered" inputMode="decimal" placeholder={money(remaining)} value={amount} autofocus
        onInput={(e) => setAmount(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add('cash'); } }} />
      <Field label="Card or credit reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
      <div class="tender-buttons">
        <Button big onClick={() => add('cash')} kbd="Enter">Cash</Button>
        <Button big onClick={() => add('card')}>Card</Button>
        <Button big onClick={() => add('store_credit')}>Store credit</Button>
      </div>
      {tenders.length > 0 && (
        <ul class="tenders" aria-label="Tenders">
          {tenders.map((t, i) => <li>{t.type.replace('_', ' ')} {money(t.amount)}{t.reference ? ` (${t.reference})` : ''}
            <button type="button" class="icon" aria-label={`Remove tender ${i + 1}`} onClick={() => setTenders(tenders.filter((_, j) => j !== i))}>×</button></li>)}
        </ul>
      )}
      {err && <Notice kind="error">{err}</Notice>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Button variant="primary" big disabled={busy || paid < due} onClick={onComplete}>{busy ? 'Completing…' : 'Complete sale'}</Button>
      <Button onClick={onBack}>Back to cart</Button>
    </div>
  );
}

export function Receipt({ sale }: { sale: any }) {
  const bars = code128Bars(sale.receipt_number);
  const width = bars[bars.length - 1].x;
  return (
    <article class="receipt" aria-label="Receipt">
      {sale.training && <p class="receipt-training">TRAINING — NOT A SALE</p>}
      <h2>Backroom</h2>
      <p class="muted small">{when(sale.created_at)} · {sale.user}</p>
      <table class="receipt-lines">
        <tbody>
          {sale.lines.map((l: any) => (
            <tr><td>{l.name}{l.quantity !== 1 ? ` × ${qty(l.quantity)}` : ''}{l.line_discount ? ` (−${money(l.line_discount)})` : ''}</td><td class="num">{money(l.total)}</td></tr>
          ))}
          <tr class="receipt-total"><td>TOTAL</td><td class="num">{money(sale.total)}</td></tr>
          <tr><td>incl. tax</td><td class="num">{money(sale.tax_total)}</td></tr>
          {sale.tenders.map((t: any) => <tr><td>{t.type.replace('_', ' ')}</td><td class="num">{money(t.amount)}</td></tr>)}
          <tr><td>Change</td><td class="num">{money(sale.change_due)}</td></tr>
        </tbody>
      </table>
      <svg class="barcode" viewBox={`0 0 ${width} 40`} role="img" aria-label={`Barcode ${sale.receipt_number}`}>
        {bars.filter((b) => b.w > 0).map((b) => <rect x={b.x} y={0} width={b.w} height={40} />)}
      </svg>
      <p class="receipt-number" aria-label="Receipt number">{sale.receipt_number}</p>
      {sale.status === 'voided' && <p class="receipt-training">VOIDED</p>}
    </article>
  );
}

function ReturnPanel({ registerId, locationId, training, onDone, askOverride }: {
  registerId: string; locationId: string; training: boolean; onDone: () => void; askOverride: (p: string, d: string) => Promise<string | null>;
}) {
  const [number, setNumber] = useState('');
  const [sale, setSale] = useState<any>(null);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('changed_mind');
  const [condition, setCondition] = useState('new');
  const [disposition, setDisposition] = useState('restock');
  const [msg, setMsg] = useState<Msg>(null);
  const [done, setDone] = useState<any>(null);
  const [returnId] = useState(uuidv7());
  const find = async () => {
    setMsg(null);
    try {
      const r = await api.get(`/sales${q({ receipt_number: number.trim() })}`);
      if (!r.sales.length) { beep(); setMsg({ kind: 'error', text: `No sale has the receipt number ${number.trim()}.` }); return; }
      const s = r.sales[0].lines ? r.sales[0] : await api.get(`/sales/${r.sales[0].id}`);
      setSale(s);
      setQuantities({});
    } catch (err) { setMsg({ kind: 'error', text: message(err) }); }
  };
  const lines = sale ? sale.lines.filter((l: any) => Number(quantities[l.id] || 0) > 0) : [];
  const complete = async () => {
    let body: any = {
      id: returnId, sale_id: sale.id, register_id: registerId,
      lines: lines.map((l: any) => ({ sale_line_id: l.id, quantity: Number(quantities[l.id]), reason, condition, disposition })),
    };
    for (;;) {
      try {
        setDone(await api.post('/returns', body));
        return;
      } catch (err) {
        if (err instanceof OfflineError) { setMsg({ kind: 'warn', text: 'Cannot reach the server — retrying…' }); await new Promise((r) => setTimeout(r, 2500)); continue; }
        if (err instanceof ApiError && err.status === 403 && err.field === 'override_token') {
          const t = await askOverride('returns.no_receipt', err.problem.detail);
          if (!t) return;
          body = { ...body, override_token: t };
          continue;
        }
        setMsg({ kind: 'error', text: message(err) });
        return;
      }
    }
  };
  void locationId; void training;
  if (done) return (
    <div class="return-done">
      <h2>Return complete</h2>
      <Notice kind="ok">Refunded {money(done.refund_total)} ({done.tenders?.map((t: any) => `${t.type.replace('_', ' ')} ${money(t.amount)}`).join(', ')})</Notice>
      {done.tenders?.filter((t: any) => t.type === 'store_credit' && t.reference).map((t: any) => (
        <Notice kind="info">Store credit note <strong class="credit-code">{t.reference}</strong> holds {money(t.amount)}. Print the slip for the customer: the code is the credit.</Notice>
      ))}
      <DataTable2 rows={done.lines} />
      <p><a class="button" href={`/api/v1/returns/${done.id}/receipt`} target="_blank" rel="noopener">Print refund slip</a></p>
      <Button variant="primary" big onClick={onDone}>Back to the register</Button>
    </div>
  );
  return (
    <div class="return">
      <h2>Return</h2>
      <form onSubmit={(e) => { e.preventDefault(); find(); }} class="row">
        <Field label="Receipt number" value={number} autofocus onInput={(e) => setNumber(e.currentTarget.value)} hint="Type it or scan the receipt barcode" />
        <Button type="submit">Find receipt</Button>
      </form>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {sale && (
        <>
          <p>Sale {sale.receipt_number} · {when(sale.created_at)} · total {money(sale.total)}{sale.status === 'voided' ? ' · VOIDED' : ''}</p>
          <div class="table-wrap">
            <table aria-label="Sale lines" class="data">
              <thead><tr><th scope="col">Item</th><th scope="col" class="num">Sold</th><th scope="col" class="num">Returned</th><th scope="col" class="num">Paid</th><th scope="col">Return</th></tr></thead>
              <tbody>
                {sale.lines.map((l: any) => (
                  <tr>
                    <td>{l.name}</td><td class="num">{qty(l.quantity)}</td><td class="num">{qty(l.returned_quantity)}</td><td class="num">{money(l.total)}</td>
                    <td><input class="qty-input" aria-label={`Return quantity for ${l.name}`} inputMode="decimal" value={quantities[l.id] ?? ''}
                      onInput={(e) => setQuantities({ ...quantities, [l.id]: e.currentTarget.value })} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="row">
            <Select label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}
              options={['changed_mind', 'defective', 'wrong_item', 'wrong_size', 'not_as_described', 'damaged_in_transit', 'late_delivery', 'other'].map((r) => [r, r.replace(/_/g, ' ')])} />
            <Select label="Condition" value={condition} onChange={(e) => setCondition(e.currentTarget.value)} options={['new', 'opened', 'used', 'damaged', 'defective']} />
            <Select label="Disposition" value={disposition} onChange={(e) => setDisposition(e.currentTarget.value)}
              options={[['restock', 'restock (back on the shelf)'], ['review', 'review'], ['damaged', 'damaged'], ['refurbish', 'refurbish'], ['markdown', 'markdown']]} />
          </div>
          <Button variant="primary" big disabled={!lines.length} onClick={complete}>Complete return</Button>
        </>
      )}
    </div>
  );
}

function DataTable2({ rows }: { rows: any[] }) {
  return (
    <ul class="plain">{rows.map((l) => <li>{qty(l.quantity)} × {l.name ?? `item ${l.item_id.slice(-6)}`} — refund {money(l.refund)} · {l.disposition}</li>)}</ul>
  );
}

function VoidDialog({ lastSale, onClose, onVoided, askOverride }: {
  lastSale: { id: string; receipt_number: string; total: number } | null; onClose: () => void; onVoided: (s: any) => void;
  askOverride: (p: string, d: string) => Promise<string | null>;
}) {
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!lastSale) return;
    if (!reason.trim()) { setMsg('Give a reason.'); return; }
    setBusy(true);
    let body: any = { reason: reason.trim() };
    try {
      for (;;) {
        try {
          onVoided(await api.post(`/sales/${lastSale.id}/void`, body));
          return;
        } catch (err) {
          if (err instanceof ApiError && err.status === 403 && err.field === 'override_token' && !body.override_token) {
            const t = await askOverride('sales.void', err.problem.detail);
            if (!t) { setMsg('Not approved: the sale stands.'); return; }
            body = { ...body, override_token: t };
            continue;
          }
          setMsg(message(err));
          return;
        }
      }
    } finally { setBusy(false); }
  };
  return (
    <Dialog title="Void last sale" onClose={onClose}>
      {!lastSale ? <p>There is no sale to void on this register.</p> : (
        <form onSubmit={submit}>
          <p>Sale <strong>{lastSale.receipt_number}</strong>, total {money(lastSale.total)}. Its stock goes back and it leaves the day's totals.</p>
          <Field label="Reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="e.g. rang up the wrong customer" />
          {msg && <Notice kind="error">{msg}</Notice>}
          <Button type="submit" variant="danger" big disabled={busy}>Void sale</Button>
        </form>
      )}
    </Dialog>
  );
}

function OverrideDialog({ ask, onDone }: { ask: OverrideAsk; onDone: (token: string | null) => void }) {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const cred = /^\d{4,8}$/.test(secret) ? { pin: secret } : { password: secret };
    try {
      const r = await api.post('/overrides', { username, ...cred, permission: ask.permission, reason });
      onDone(r.override_token);
    } catch (err) {
      setMsg(err instanceof ApiError && err.status === 401 ? 'Wrong user name, password or PIN.' : message(err));
    }
  };
  return (
    <Dialog title="Manager override" onClose={() => onDone(null)}>
      <form onSubmit={submit}>
        <Notice kind="warn">{ask.detail}</Notice>
        <p class="muted">A manager or shift lead approves this once, here and now. Both names are recorded.</p>
        <Field label="Manager username" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label="Manager password or PIN" type="password" autocomplete="off" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        <Field label="Override reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Approve</Button>
      </form>
    </Dialog>
  );
}

function ParkedDialog({ locationId, onClose, onResume }: { locationId: string; onClose: () => void; onResume: (id: string) => void }) {
  const [list, setList] = useState<any[] | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => { api.get(`/sales/parked${q({ location_id: locationId })}`).then((r) => setList(r.parked)).catch((e) => setMsg(message(e))); }, []);
  return (
    <Dialog title="Parked sales" onClose={onClose}>
      {msg && <Notice kind="error">{msg}</Notice>}
      {list && list.length === 0 && <p>No parked sales.</p>}
      <ul class="plain">
        {list?.map((p) => (
          <li class="row">
            <span>{when(p.parked_at)} · {p.parked_by} · {p.sale?.lines?.length} lines{p.note ? ` · ${p.note}` : ''}</span>
            <Button onClick={() => onResume(p.id)}>Resume</Button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

function OpenDialog({ registerId, locationId, onClose, onOpened }: { registerId: string; locationId: string; onClose: () => void; onOpened: (id: string) => void }) {
  const [float, setFloat] = useState('100.00');
  const [msg, setMsg] = useState('');
  const [id] = useState(uuidv7());
  const submit = async (e: Event) => {
    e.preventDefault();
    const a = parseMoney(float);
    if (a === null) { setMsg('Type the float like 100 or 150.00.'); return; }
    try {
      const s = await api.post(`/registers/${registerId}/sessions`, { id, location_id: locationId, opening_float: a });
      onOpened(s.id);
    } catch (err) {
      setMsg(message(err));
    }
  };
  return (
    <Dialog title={`Open register ${registerId}`} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Opening float" inputMode="decimal" value={float} onInput={(e) => setFloat(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Open register</Button>
      </form>
    </Dialog>
  );
}

export function ZReport({ z }: { z: any }) {
  const rows: [string, string][] = [
    ['Opening float', money(z.opening_float)], ['Sales', `${z.sales_count} · ${money(z.sales_total)}`], ['Tax', money(z.tax_total)],
    ['Discounts', money(z.discount_total)], ['Voids', `${z.voids_count} · ${money(z.voided_total)}`], ['Returns', `${z.returns_count} · ${money(z.refunds_total)}`],
    ...Object.entries(z.tenders ?? {}).map(([k, v]) => [`Taken ${k.replace('_', ' ')}`, money(v as number)] as [string, string]),
    ['Cash in / out', `${money(z.cash_in)} / ${money(z.cash_out)}`], ['Expected cash', money(z.expected_cash)],
    ...(z.counted_cash !== undefined ? [['Counted cash', money(z.counted_cash)] as [string, string]] : []),
    ...(z.over_short !== undefined ? [["Over / short", money(z.over_short)] as [string, string]] : []),
  ];
  return (
    <table class="data z" aria-label={z.closed_at ? 'Z report' : 'X report'}>
      <tbody>{rows.map(([k, v]) => <tr><th scope="row">{k}</th><td class="num">{v}</td></tr>)}</tbody>
    </table>
  );
}

function CloseDialog({ registerId, sessionId, onClose, onClosed }: { registerId: string; sessionId: string; onClose: () => void; onClosed: () => void }) {
  const [counted, setCounted] = useState('');
  const [x, setX] = useState<any>(null);
  const [z, setZ] = useState<any>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => { api.get(`/registers/${registerId}/sessions/${sessionId}`).then((s) => setX(s.x_report)).catch((e) => setMsg(message(e))); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const a = parseMoney(counted);
    if (a === null) { setMsg('Count the drawer and type the cash, like 312.40.'); return; }
    try {
      setZ(await api.post(`/registers/${registerId}/sessions/${sessionId}/close`, { counted_cash: a }));
      onClosed();
    } catch (err) { setMsg(message(err)); }
  };
  return (
    <Dialog title={z ? 'Z report' : `Close register ${registerId}`} onClose={onClose} wide>
      {z ? (<><ZReport z={z} /><Button onClick={() => window.print()}>Print</Button></>) : (
        <form onSubmit={submit}>
          {x && <ZReport z={x} />}
          <Field label="Counted cash" inputMode="decimal" value={counted} onInput={(e) => setCounted(e.currentTarget.value)} />
          {msg && <Notice kind="error">{msg}</Notice>}
          <Button type="submit" variant="primary" big>Close register</Button>
        </form>
      )}
    </Dialog>
  );
}

function DiscountDialog({ onClose, onSet }: { onClose: () => void; onSet: (percent: number) => void }) {
  const [p, setP] = useState('');
  const [msg, setMsg] = useState('');
  return (
    <Dialog title="Line discount" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); const n = Number(p.replace(',', '.')); if (!(n >= 0 && n <= 100)) { setMsg('0 to 100'); return; } onSet(n); }}>
        <Field label="Discount percent" inputMode="decimal" value={p} onInput={(e) => setP(e.currentTarget.value)}
          hint="Above your role's limit a manager approves it when you complete the sale." />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Apply discount</Button>
      </form>
    </Dialog>
  );
}

function SwitchDialog({ onClose, onSwitched }: { onClose: () => void; onSwitched: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try { onSwitched(await api.post('/session', { username, pin })); } catch (err) { setMsg(err instanceof ApiError && err.status === 401 ? 'Wrong user name or PIN.' : message(err)); }
  };
  return (
    <Dialog title="Switch user" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Cashier username" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label="PIN" type="password" inputMode="numeric" autocomplete="off" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Switch</Button>
      </form>
    </Dialog>
  );
}

export const registerCan = can;
