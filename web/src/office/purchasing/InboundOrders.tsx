// On a store node: the purchase orders head office sent for this store (docs/sync.md,
// "Purchase orders for a store node's store"; central buying, the supplier delivers here).
// Staff count a delivery — by scanning (each scan adds one, a case its pack) or by typing —
// and receive it; what is still outstanding may come in a later delivery. No costs are shown
// (the node has none). More than head office's over-receipt tolerance needs a manager's
// approval, asked for here as at head office. Shown above the store's own orders only when
// there are any.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, catalog, type InboundOrder, type InboundOrderReceiveInput, message, permission, stock } from '../../api';
import { OverrideDialog, type OverrideAsk } from '../../register/dialogs';
import { Button, Notice } from '../../shared/components';
import { qty, when } from '../../shared/format';
import { overReceiptText } from './common';

const statusWords: Record<InboundOrder['status'], string> = {
  sent: 'sent', partially_received: 'partly received', received: 'received', closed: 'closed short', cancelled: 'cancelled',
};

export function InboundOrders() {
  const [list, setList] = useState<InboundOrder[]>([]);
  const [open, setOpen] = useState<InboundOrder | null>(null);
  const [msg, setMsg] = useState('');
  const load = async () => {
    try { setList((await stock.inboundOrders({ status: 'open', limit: 100 })).purchase_orders); } catch (x) { setMsg(message(x)); }
  };
  useEffect(() => { void load(); }, []);
  if (!list.length && !open && !msg) return null;
  return (
    <section aria-label="Orders from head office">
      <h2>From head office</h2>
      {msg && <Notice kind="error">{msg}</Notice>}
      <ul class="plain">
        {list.map((o) => (
          <li class="row"><Button onClick={() => setOpen(o)} aria-label={`Receive order ${o.number}`}>Receive</Button>
            <span><strong>{o.number}</strong> from {o.supplier.name} · {statusWords[o.status]}
              {o.expected_on ? ` · expected ${o.expected_on}` : ''} · sent {when(o.sent_at)}</span></li>
        ))}
      </ul>
      {open && <InboundOrderCard key={open.id} order={open} onDone={() => void load()} />}
    </section>
  );
}

/** What is still expected, as the counts start (a later delivery starts from what is left). */
const expected = (o: InboundOrder) => Object.fromEntries(o.lines.map((l) => [l.id, { received: qty(l.outstanding), damaged: '0' }]));

function InboundOrderCard({ order: first, onDone }: { order: InboundOrder; onDone: () => void }) {
  const [o, setOrder] = useState(first);
  const [counts, setCounts] = useState<Record<string, { received: string; damaged: string }>>(() => expected(first));
  const [scan, setScan] = useState('');
  const [scanning, setScanning] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok' | 'warn'; text: string } | null>(null);
  const [override, setOverride] = useState<OverrideAsk | null>(null);
  const receivable = o.status === 'sent' || o.status === 'partially_received';
  const number = (s: string) => Number(s.replace(',', '.') || '0');
  /** A scan counts from zero: the first scan clears the typed quantities. */
  const onScan = async (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !scan.trim()) return;
    e.preventDefault();
    try {
      const hit = await catalog.scan(scan.trim());
      const line = o.lines.find((l) => l.item_id === hit.item.id && l.outstanding > 0) ?? o.lines.find((l) => l.item_id === hit.item.id);
      if (!line) { setMsg({ kind: 'error', text: `${hit.item.name} is not on this order.` }); setScan(''); return; }
      const base = scanning ? counts : Object.fromEntries(o.lines.map((l) => [l.id, { received: '0', damaged: '0' }]));
      const now = number(base[line.id].received) + Number(hit.pack_quantity || 1);
      setCounts({ ...base, [line.id]: { ...base[line.id], received: String(now) } });
      setScanning(true);
      setMsg({ kind: 'ok', text: `${line.name}: ${now} of ${qty(line.outstanding)} expected` });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
    setScan('');
  };
  const receive = async () => {
    const lines = [];
    for (const l of o.lines) {
      const got = number(counts[l.id].received);
      const broken = number(counts[l.id].damaged);
      if (!Number.isFinite(got) || !Number.isFinite(broken) || got < 0 || broken < 0 || broken > got) {
        setMsg({ kind: 'error', text: `${l.name}: received must be 0 or more, damaged no more than received.` });
        return;
      }
      if (got > 0) lines.push({ po_line_id: l.id, received: got, ...(broken ? { damaged: broken } : {}) });
    }
    if (!lines.length) { setMsg({ kind: 'error', text: 'Count at least one unit received.' }); return; }
    let body: InboundOrderReceiveInput = { lines };
    try {
      let done: InboundOrder;
      for (;;) {
        try {
          done = (await stock.receiveInboundOrder(o.id, body)).purchase_order;
          break;
        } catch (x) {
          // More than the tolerance over the order: a manager approves it here, once.
          if (!(x instanceof ApiError && x.status === 403 && x.field === 'override_token' && !body.override_token)) throw x;
          const detail = overReceiptText(x, (id) => o.lines.find((l) => l.id === id)?.name);
          const token = await new Promise<string | null>((resolve) => setOverride({ permission: permission.purchasing_over_receive, detail, resolve }));
          setOverride(null);
          if (!token) { setMsg({ kind: 'warn', text: 'Not approved: nothing was booked. Take off what is over the order, or ask a manager.' }); return; }
          body = { ...body, override_token: token };
        }
      }
      const short = done.lines.reduce((s, l) => s + l.outstanding, 0);
      const damaged = lines.reduce((s, l) => s + (l.damaged ?? 0), 0);
      setMsg(short || damaged
        ? { kind: 'warn', text: `Received: ${qty(short)} still to come, ${qty(damaged)} damaged. Head office is told at the next sync.` }
        : { kind: 'ok', text: 'Received in full. Head office is told at the next sync.' });
      setOrder(done);
      setCounts(expected(done));
      setScanning(false);
      onDone();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div class="card transfer" aria-label="Order from head office" role="region">
      <h3>Order {o.number} from {o.supplier.name} · {statusWords[o.status]}</h3>
      {o.note && <p class="muted">{o.note}</p>}
      {receivable && <div class="scan">
        <label for="inbound-order-scan">Scan items to count them</label>
        <input id="inbound-order-scan" autocomplete="off" spellcheck={false} enterKeyHint="go" value={scan}
          onInput={(e) => setScan(e.currentTarget.value)} onKeyDown={onScan} />
      </div>}
      <div class="table-wrap">
        <table class="data" aria-label="Order lines">
          <thead><tr><th scope="col">Item</th><th scope="col" class="num">Ordered</th><th scope="col" class="num">Received so far</th>
            {receivable && <><th scope="col" class="num">Now received</th><th scope="col" class="num">Of them damaged</th></>}</tr></thead>
          <tbody>{o.lines.map((l) => (
            <tr>
              <td>{l.name || l.sku}{l.case_pack > 1 ? <span class="small muted"> · cases of {qty(l.case_pack)}</span> : null}</td>
              <td class="num">{qty(l.quantity)}</td>
              <td class="num">{qty(l.received)}{l.damaged ? ` (${qty(l.damaged)} damaged)` : ''}</td>
              {receivable && <>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Received of ${l.name}`} value={counts[l.id].received}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], received: e.currentTarget.value } })} /></td>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Damaged of ${l.name}`} value={counts[l.id].damaged}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], damaged: e.currentTarget.value } })} /></td>
              </>}
            </tr>
          ))}</tbody>
        </table>
      </div>
      {receivable && <p class="small muted">What has not arrived stays on the order for a later delivery.</p>}
      {receivable && <Button variant="primary" onClick={receive}>Receive delivery</Button>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {override && <OverrideDialog ask={override} onDone={(t) => override.resolve(t)} />}
    </div>
  );
}
