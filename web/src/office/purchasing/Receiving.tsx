// Receiving, built for a box on the floor: pick the order (or scan the number on the printed
// order), scan cases and items (a keyboard-wedge scanner types digits + Enter; a case barcode
// counts its case pack), see expected vs received per line in big type, mark damaged, and
// finish with a discrepancy summary. Works by touch (every target ≥ 44 px) and by keyboard.
// What was counted but not yet booked survives a reload on this device; the booking carries
// one Idempotency-Key per receipt, so a retry after a lost answer books it once.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, catalog, type Item, message, type PoLine, type PoReceipt, permission, purchasing, type PurchaseOrder, type ReceiptInput } from '../../api';
import { OverrideDialog, type OverrideAsk } from '../../register/dialogs';
import { can, navigate, type Session, usePath } from '../../app/session';
import { beep } from '../../shared/beep';
import { Button, Notice } from '../../shared/components';
import { qty, uuidv7 } from '../../shared/format';
import { isObject, load, save } from '../../shared/storage';
import { locationName, useLocations } from '../useLoad';
import { trainingEvent } from '../../help/coach';
import { CloseShort } from './PurchaseOrders';
import { InboundOrders } from './InboundOrders';
import { casesText, open, overReceiptText, receivable, statusText, supplierOf, useLineNames, useSupplierNames } from './common';
import { isSymbolCode } from '../../shared/gs1';

const base = '/office/receiving';

/** One order by the number a person types or scans from the printed order ("PO-0007", "po-7", "7"). */
export async function findOrder(text: string): Promise<PurchaseOrder | null> {
  const t = text.trim();
  if (!t) return null;
  const digits = (s: string) => Number((s.match(/\d+/g) ?? []).join('') || NaN);
  const same = (po: PurchaseOrder) => po.number.toLowerCase() === t.toLowerCase() || digits(po.number) === digits(t);
  const byNumber = await purchasing.orders({ number: t, limit: 5 }).catch(() => null);
  const hit = byNumber?.purchase_orders.find(same);
  if (hit) return hit;
  for (const status of ['sent', 'partially_received']) {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await purchasing.orders({ status, limit: 100, ...(cursor ? { cursor } : {}) });
      const found = r.purchase_orders.find(same);
      if (found) return found;
      if (!r.next_cursor) break;
      cursor = r.next_cursor;
    }
  }
  return null;
}

export function Receiving({ session }: { session: Session }) {
  const path = usePath();
  const wanted = path.startsWith(base + '/') ? decodeURIComponent(path.slice(base.length + 1)) : '';
  const [order, setOrder] = useState<PurchaseOrder | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (!wanted) { setOrder(null); return; }
    if (order && order.number === wanted) return;
    setErr('');
    findOrder(wanted).then((po) => {
      if (po) setOrder(po);
      else { setOrder(null); setErr(`No order ${wanted} is waiting to be received.`); navigate(base); }
    }).catch((x) => setErr(message(x)));
  }, [wanted]);
  return (
    <section class="receiving">
      <h1>Receiving</h1>
      {err && <Notice kind="error">{err}</Notice>}
      {order && wanted
        ? <ReceiveOrder key={order.id} session={session} order={order} onOrder={setOrder} />
        : <><InboundOrders /><PickOrder onPick={(po) => { setOrder(po); navigate(`${base}/${encodeURIComponent(po.number)}`); }} /></>}
    </section>
  );
}

/** The orders waiting for a delivery, and a field for the number on the printed order. */
function PickOrder({ onPick }: { onPick: (po: PurchaseOrder) => void }) {
  const locations = useLocations();
  const [orders, setOrders] = useState<PurchaseOrder[] | null>(null);
  const [msg, setMsg] = useState('');
  const names = useSupplierNames((orders ?? []).map((p) => p.supplier_id));
  useEffect(() => {
    Promise.all(['sent', 'partially_received'].map((status) => purchasing.orders({ status, limit: 100 }).then((r) => r.purchase_orders)))
      .then(([a, b]) => setOrders([...b, ...a]))
      .catch((x) => setMsg(message(x)));
  }, []);
  const onKey = async (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const input = e.currentTarget as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    try {
      const po = await findOrder(text);
      if (po && receivable(po.status)) { setMsg(''); onPick(po); return; }
      beep();
      setMsg(po ? `Order ${po.number} is ${statusText(po.status)}: there is nothing to receive on it.` : `No order ${text} is waiting to be received.`);
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <div>
      <div class="scan big-scan">
        <label for="receive-order">Scan or type the order number</label>
        <input id="receive-order" autocomplete="off" spellcheck={false} enterKeyHint="go" autofocus placeholder="The barcode on the printed order, or e.g. PO-0007" onKeyDown={onKey} />
      </div>
      {msg && <Notice kind="error">{msg}</Notice>}
      <h2>Waiting for delivery</h2>
      {orders && orders.length === 0 && <p class="muted">No order is waiting for a delivery.</p>}
      <ul class="plain order-picks" aria-label="Orders waiting for delivery">
        {(orders ?? []).map((po) => (
          <li><Button big onClick={() => onPick(po)} aria-label={`Receive order ${po.number}`}>
            <span><strong>{po.number}</strong> · {supplierOf(po, names)}</span>
            <span class="muted">{po.location?.name ?? locationName(locations, po.location_id)} · {po.lines.length} line{po.lines.length === 1 ? '' : 's'} · {statusText(po.status)}{po.expected_on ? ` · expected ${po.expected_on}` : ''}</span>
          </Button></li>
        ))}
      </ul>
    </div>
  );
}

interface Count { received: number; damaged: number }
interface Stray { code: string; name: string; count: number; known: boolean }
interface Pending { key: string; counts: Record<string, Count>; strays: Stray[] }
const isPending = (v: unknown): v is Pending => isObject(v) && typeof v.key === 'string' && isObject(v.counts) && Array.isArray(v.strays);
type Msg = { kind: 'ok' | 'error' | 'warn' | 'info'; text: string } | null;
/** What a scanned code is: the item and how many units one scan counts (a case its pack). */
const scanCache = new Map<string, { item: Item; pack: number } | null>();

function ReceiveOrder({ session, order, onOrder }: { session: Session; order: PurchaseOrder; onOrder: (po: PurchaseOrder) => void }) {
  const storeKey = `receiving.${order.id}`;
  const [pending, setPending] = useState<Pending>(() => load(storeKey, { key: uuidv7(), counts: {}, strays: [] }, isPending));
  const [msg, setMsg] = useState<Msg>(null);
  const [last, setLast] = useState<{ lineId: string; text: string } | null>(null);
  const [summary, setSummary] = useState<{ receipt: PoReceipt; strays: Stray[] } | null>(null);
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [override, setOverride] = useState<OverrideAsk | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const names = useSupplierNames([order.supplier_id]);
  const lineName = useLineNames(order.lines);
  const locations = useLocations();
  useEffect(() => { save(storeKey, Object.keys(pending.counts).length || pending.strays.length ? pending : null); }, [pending]);
  // The scan field keeps focus, as at the register, unless a dialog or another field has it.
  const refocus = () => { if (!document.querySelector('[role=dialog]') && !closing && !override) scanRef.current?.focus(); };
  useEffect(refocus);
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const t = e.target;
      if (t instanceof Element && !t.closest('input, select, textarea, a, [role=dialog]')) setTimeout(refocus, 0);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [closing, override]);

  const active = receivable(order.status);
  const now = (l: PoLine): Count => pending.counts[l.id] ?? { received: 0, damaged: 0 };
  const change = (l: PoLine, d: Partial<Count>) => setPending((p) => {
    const c = p.counts[l.id] ?? { received: 0, damaged: 0 };
    const received = Math.max(0, c.received + (d.received ?? 0));
    const damaged = Math.min(received, Math.max(0, c.damaged + (d.damaged ?? 0)));
    return { ...p, counts: { ...p.counts, [l.id]: { received, damaged } } };
  });
  const stray = (s: Omit<Stray, 'count'>) => setPending((p) => {
    const at = p.strays.findIndex((x) => x.code === s.code);
    const strays = at >= 0 ? p.strays.map((x, i) => (i === at ? { ...x, count: x.count + 1 } : x)) : [...p.strays, { ...s, count: 1 }];
    return { ...p, strays };
  });
  /** The line an item counts on: the first with something still open, else the first. */
  const lineOf = (itemId: string) => {
    const mine = order.lines.filter((l) => l.item_id === itemId);
    return mine.find((l) => open(l) - now(l).received > 0) ?? mine[0];
  };
  const count = (l: PoLine, units: number, how: string) => {
    change(l, { received: units });
    setLast({ lineId: l.id, text: `+${qty(units)} ${lineName(l)}${how}` });
    setMsg(null);
  };

  const onScanKey = async (e: KeyboardEvent) => {
    const input = e.currentTarget as HTMLInputElement;
    // At a desk, on an empty field: + and − change the last line counted, * marks one damaged.
    const lastLine = last ? order.lines.find((l) => l.id === last.lineId) : undefined;
    if (input.value === '' && lastLine && (e.key === '+' || e.key === '-' || e.key === '*')) {
      e.preventDefault();
      if (e.key === '+') count(lastLine, 1, '');
      else change(lastLine, e.key === '-' ? { received: -1 } : { damaged: 1 });
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const text = input.value.trim();
    input.value = '';
    if (!text || !active) return;
    if (/^\d{6,}$/.test(text) || isSymbolCode(text)) {
      let hit = scanCache.get(text);
      if (hit === undefined) {
        try {
          const r = await catalog.scan(text);
          hit = { item: r.item, pack: r.pack_quantity ?? 1 };
        } catch (x) {
          if (!(x instanceof ApiError)) { setMsg({ kind: 'error', text: message(x) }); return; }
          hit = null;
        }
        scanCache.set(text, hit);
      }
      if (!hit) { beep(); stray({ code: text, name: 'unknown barcode', known: false }); setMsg({ kind: 'error', text: `Unknown barcode ${text}: nothing was counted.` }); return; }
      const l = lineOf(hit.item.id);
      if (!l) {
        beep();
        stray({ code: text, name: `${hit.item.name} (${hit.item.sku})`, known: true });
        setMsg({ kind: 'error', text: `${hit.item.name} is not on order ${order.number}: not counted. Put it aside.` });
        return;
      }
      count(l, hit.pack, hit.pack > 1 ? ` (a case of ${qty(hit.pack)})` : '');
      return;
    }
    // Typed at a desk: a SKU or part of a name on this order counts one unit.
    const t = text.toLowerCase();
    const found = order.lines.filter((l) => (l.sku ?? '').toLowerCase() === t || lineName(l).toLowerCase().includes(t));
    if (found.length === 1) count(found[0], 1, '');
    else setMsg({ kind: 'warn', text: found.length ? `“${text}” matches ${found.length} lines: scan the item or tap + on its line.` : `Nothing on order ${order.number} matches “${text}”.` });
  };

  const restArrived = () => setPending((p) => {
    const counts = { ...p.counts };
    for (const l of order.lines) {
      const c = counts[l.id] ?? { received: 0, damaged: 0 };
      const left = open(l) - c.received;
      if (left > 0) counts[l.id] = { ...c, received: c.received + left };
    }
    return { ...p, counts };
  });
  const lines = order.lines.map((l) => ({ l, c: now(l) })).filter(({ c }) => c.received > 0);
  const finish = async () => {
    if (!lines.length) { setMsg({ kind: 'error', text: 'Nothing counted yet: scan what arrived, or tap + on a line.' }); return; }
    setBusy(true);
    let body: ReceiptInput = {
      lines: lines.map(({ l, c }) => ({ po_line_id: l.id, received: c.received, ...(c.damaged ? { damaged: c.damaged } : {}) })),
    };
    try {
      for (;;) {
        try {
          const receipt = await purchasing.receive(order.id, pending.key, body);
          setSummary({ receipt, strays: pending.strays });
          setPending({ key: uuidv7(), counts: {}, strays: [] });
          setLast(null);
          setMsg(null);
          onOrder(receipt.purchase_order);
          return;
        } catch (x) {
          // More than the tolerance over the order: a manager approves it here, once.
          if (x instanceof ApiError && x.status === 403 && x.field === 'override_token' && !body.override_token) {
            const token = await new Promise<string | null>((resolve) => setOverride({ permission: permission.purchasing_over_receive, detail: overText(x), resolve }));
            setOverride(null);
            if (!token) { setMsg({ kind: 'warn', text: 'Not approved: nothing was booked. Take off what is over the order, or ask a manager.' }); return; }
            body = { ...body, override_token: token };
            continue;
          }
          setMsg({ kind: 'error', text: message(x) });
          return;
        }
      }
    } finally { setBusy(false); }
  };
  /** "Brightfield Pasta 250 g: 18 received of 12 ordered" for each line past the tolerance. */
  const overText = (x: ApiError) => overReceiptText(x, (id) => { const l = order.lines.find((y) => y.id === id); return l && lineName(l); });
  const counted = lines.reduce((s, { c }) => s + c.received, 0);
  // What finishing now would leave short, before anything is booked (a training step watches it).
  const short = counted ? order.lines.reduce((s, l) => s + Math.max(open(l) - now(l).received, 0), 0) : 0;
  useEffect(() => { if (short > 0) trainingEvent('receive.short'); }, [short > 0]);

  return (
    <div class="receive">
      <div class="row spread">
        <h2>Order {order.number} · {supplierOf(order, names)} · {statusText(order.status)}</h2>
        <Button onClick={() => navigate(base)}>Pick another order</Button>
      </div>
      <p class="muted">Deliver to {order.location?.name ?? locationName(locations, order.location_id)}{order.expected_on ? ` · expected ${order.expected_on}` : ''}</p>
      {summary && <Summary order={order} summary={summary} lineName={lineName} onDismiss={() => setSummary(null)} />}
      {active && <div class="scan big-scan">
        <label for="receive-scan">Scan cases and items</label>
        <input id="receive-scan" ref={scanRef} autocomplete="off" spellcheck={false} enterKeyHint="enter" disabled={busy}
          placeholder="Scan a barcode, or type a SKU, then Enter" onKeyDown={onScanKey} aria-describedby="receive-keys" />
        <small class="hint" id="receive-keys">A case barcode counts the whole case. On an empty field: + one more, − one less, * one damaged (the last line counted).</small>
      </div>}
      {last && <p class="last-scan" role="status" aria-label="Last scan">{last.text}</p>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {pending.strays.length > 0 && (
        <div class="not-on-order" role="region" aria-label="Not on this order">
          <h3>Not on this order: not counted, put aside</h3>
          <ul>{pending.strays.map((s) => <li>{s.known ? s.name : `Unknown barcode ${s.code}`} · {s.count} scan{s.count === 1 ? '' : 's'}</li>)}</ul>
        </div>
      )}
      <div class="rlines" role="list" aria-label="Lines to receive">
        {order.lines.map((l) => {
          const c = now(l);
          const received = l.received + c.received;
          const damaged = l.damaged + c.damaged;
          const left = l.quantity - received;
          const state = left === 0 ? 'done' : left < 0 ? 'over' : received > 0 ? 'part' : 'none';
          const name = lineName(l);
          return (
            <div class={`rline rline-${state}${last?.lineId === l.id ? ' rline-last' : ''}`} role="listitem" aria-label={name}>
              <div class="rline-name"><strong>{name}</strong> <span class="muted">{l.supplier_sku ? `supplier SKU ${l.supplier_sku} · ` : ''}{casesText(l.quantity, l.case_pack)}</span></div>
              <dl class="rline-nums">
                <div><dt>Expected</dt><dd aria-label={`Expected of ${name}`}>{qty(l.quantity)}</dd></div>
                <div><dt>Received</dt><dd aria-label={`Received of ${name}`}>{qty(received)}</dd>{c.received > 0 && <small>{qty(c.received)} now</small>}</div>
                <div><dt>Damaged</dt><dd aria-label={`Damaged of ${name}`}>{qty(damaged)}</dd>{c.damaged > 0 && <small>{qty(c.damaged)} now</small>}</div>
                <div><dt>{left < 0 ? 'Over' : 'Still open'}</dt><dd aria-label={`Open of ${name}`}>{qty(Math.abs(left))}</dd></div>
              </dl>
              {active && <div class="rline-buttons">
                <Button onClick={() => change(l, { received: -1 })} disabled={c.received === 0} aria-label={`One less of ${name}`}>−1</Button>
                <Button onClick={() => count(l, 1, '')} aria-label={`One more of ${name}`}>+1</Button>
                {l.case_pack > 1 && <Button onClick={() => count(l, l.case_pack, ` (a case of ${qty(l.case_pack)})`)} aria-label={`One case more of ${name}`}>+1 case</Button>}
                <Button variant="danger" onClick={() => change(l, { damaged: 1 })} disabled={c.damaged >= c.received} aria-label={`Mark one damaged of ${name}`}>Damaged +1</Button>
                <Button onClick={() => change(l, { damaged: -1 })} disabled={c.damaged === 0} aria-label={`One less damaged of ${name}`}>Damaged −1</Button>
              </div>}
            </div>
          );
        })}
      </div>
      {active && short > 0 && (
        <p class="short-line" role="status" aria-label="Short so far">
          {`${qty(short)} short of the order so far. Nothing is booked until you press Finish receipt; then the order stays open for the ${qty(short)}, or a manager closes it short.`}
        </p>
      )}
      {active && <div class="row receive-actions">
        <Button variant="primary" big onClick={finish} disabled={busy}>Finish receipt{counted ? ` (${qty(counted)} units)` : ''}</Button>
        <Button onClick={restArrived}>Everything else arrived</Button>
        <Button onClick={() => { setPending({ key: uuidv7(), counts: {}, strays: [] }); setLast(null); setMsg(null); }} disabled={!lines.length && !pending.strays.length}>Clear counts</Button>
        {can(session, permission.purchasing_close) && <Button variant="danger" onClick={() => setClosing(true)} disabled={lines.length > 0}>Close short</Button>}
      </div>}
      {override && <OverrideDialog ask={override} onDone={(t) => override.resolve(t)} />}
      {closing && <CloseShort order={order} onClose={() => setClosing(false)}
        onClosed={(po) => { setClosing(false); onOrder(po); setMsg({ kind: 'ok', text: `Order ${po.number} closed short: nothing more is expected.` }); }} />}
    </div>
  );
}

/** After a receipt: what is short, over or damaged per line, and what was scanned but not ordered. */
function Summary({ order, summary, lineName, onDismiss }: {
  order: PurchaseOrder; summary: { receipt: PoReceipt; strays: Stray[] }; lineName: (l: PoLine) => string; onDismiss: () => void;
}) {
  const po = summary.receipt.purchase_order ?? order;
  const rows = po.lines.map((l) => ({ l, short: l.short ?? Math.max(l.quantity - l.received, 0), over: l.over ?? Math.max(l.received - l.quantity, 0) }));
  const short = rows.reduce((s, r) => s + r.short, 0);
  const damaged = po.lines.reduce((s, l) => s + l.damaged, 0);
  const over = rows.reduce((s, r) => s + r.over, 0);
  const strays = summary.strays.reduce((s, x) => s + x.count, 0);
  const clean = !short && !damaged && !over && !strays;
  const parts = [short ? `${qty(short)} short` : '', over ? `${qty(over)} over` : '', damaged ? `${qty(damaged)} damaged` : '',
    strays ? `${strays} scan${strays === 1 ? '' : 's'} not on the order` : ''].filter(Boolean);
  return (
    <div class={`card summary ${clean ? 'summary-ok' : 'summary-warn'}`} role="region" aria-label="Discrepancy summary">
      <h3>{clean ? `Order ${po.number} received in full.` : `Receipt booked · ${parts.join(', ')}`}</h3>
      <p>{po.status === 'partially_received' ? `The order stays open for what is still to come${short ? ` (${qty(short)} units)` : ''}.`
        : `Order ${po.number} is ${statusText(po.status)}.`}</p>
      {!clean && <div class="table-wrap"><table class="data" aria-label="Discrepancies">
        <thead><tr><th scope="col">Item</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Received</th>
          <th scope="col" class="num">Damaged</th><th scope="col" class="num">Short</th><th scope="col" class="num">Over</th></tr></thead>
        <tbody>{rows.filter((r) => r.short || r.over || r.l.damaged).map(({ l, short: s, over: o }) => (
          <tr><td>{lineName(l)}</td><td class="num">{qty(l.quantity)}</td><td class="num">{qty(l.received)}</td>
            <td class="num">{qty(l.damaged)}</td><td class="num">{qty(s)}</td><td class="num">{qty(o)}</td></tr>
        ))}</tbody>
      </table></div>}
      {summary.strays.length > 0 && <p>Not on the order, not counted: {summary.strays.map((s) => (s.known ? s.name : `unknown barcode ${s.code}`)).join(', ')}.</p>}
      <Button onClick={onDismiss}>OK</Button>
    </div>
  );
}
