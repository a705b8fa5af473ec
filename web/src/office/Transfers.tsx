// Transfers between locations: ship, then receive at the destination in one or several
// receipts (received and damaged per line), and close what never arrives as short; or cancel a
// shipment still in transit (keyed by mistake, never left), with a reason: what is still in
// transit goes back to the source. The list is the server's, newest first, each transfer by
// its number and route, never by id.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Destination, type Item, message, type OutboundTransfer, type ReceiveInput, stock, type Transfer, type TransferQuery } from '../api';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../shared/components';
import { qty, uuidv7, when } from '../shared/format';
import { InboundTransfers } from './InboundTransfers';
import { ItemSearch } from './ItemSearch';
import { useLocations } from './useLoad';

const pageSize = 25;
type Show = '' | 'in_transit' | 'received' | 'cancelled';

function statusText(t: Transfer): string {
  if (t.status === 'cancelled') return t.cancel_reason ? `Cancelled: ${t.cancel_reason}` : 'Cancelled';
  if (t.status === 'received') return 'received';
  return t.lines.some((l) => l.received + l.damaged > 0) ? 'partly received' : 'in transit';
}

export function Transfers() {
  const locations = useLocations();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lines, setLines] = useState<{ item: Item; quantity: string }[]>([]);
  const [show, setShow] = useState<Show>('');
  const [list, setList] = useState<Transfer[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<Transfer | null>(null);
  const [msg, setMsg] = useState('');
  const [sent, setSent] = useState('');
  // On a store node: head office's locations it may ship to, and what it shipped there.
  const [destinations, setDestinations] = useState<Destination[]>([]);
  const [outbound, setOutbound] = useState<OutboundTransfer[]>([]);
  const [cancelOut, setCancelOut] = useState<OutboundTransfer | null>(null);
  useEffect(() => {
    stock.destinations().then((r) => setDestinations(r.destinations), () => setDestinations([]));
    stock.outbound({ limit: pageSize }).then((r) => setOutbound(r.transfers), () => setOutbound([]));
  }, []);
  const fetchPage = async (cursor?: string) => {
    const q: TransferQuery = { limit: pageSize, ...(show ? { status: show } : {}), ...(cursor ? { cursor } : {}) };
    try {
      const page = await stock.transfers(q);
      setList((old) => (cursor ? [...old, ...page.transfers] : page.transfers));
      setNext(page.next_cursor);
    } catch (x) { setMsg(message(x)); }
  };
  useEffect(() => { void fetchPage(); }, [show]);
  /** A transfer changed here: the card and its row show the server's answer. */
  const changed = (t: Transfer) => {
    setOpen(t);
    setList((old) => (old.some((x) => x.id === t.id) ? old.map((x) => (x.id === t.id ? t : x)) : [t, ...old]));
  };
  const opts = locations.filter((l) => l.kind !== 'transit' && !l.parent_id).map((l) => [l.id, l.name] as [string, string]);
  const away = [...destinations].sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => [d.id, `${d.name} (head office)`] as [string, string]);
  const ship = async () => {
    const source = from || opts[0]?.[0];
    const bad = lines.find((l) => !(Number(l.quantity) > 0));
    if (bad) { setMsg(`Type a quantity above 0 for ${bad.item.name}.`); return; }
    const body = { id: uuidv7(), from_location_id: source, to_location_id: to, lines: lines.map((l) => ({ item_id: l.item.id, quantity: Number(l.quantity) })) };
    try {
      setSent('');
      if (destinations.some((d) => d.id === to)) {
        // To head office's side: the store's part ends here; head office receives it.
        const t = await stock.shipOutbound(body);
        setOutbound((old) => [t, ...old.filter((x) => x.id !== t.id)]);
        setSent(`Shipped ${t.number} to ${t.to.name}: sent to head office, which receives it there.`);
      } else {
        changed(await stock.ship(body));
      }
      setLines([]);
      setMsg('');
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <section>
      <h1>Transfers</h1>
      <InboundTransfers />
      <h2>Ship a transfer</h2>
      <div class="row">
        <Select label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} options={opts} />
        <Select label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} options={[['', '—'], ...opts, ...away]} />
      </div>
      <ItemSearch label="Add an item" onPick={(item) => setLines([...lines, { item, quantity: '1' }])} />
      <ul class="plain">{lines.map((l, i) => <li class="row">{l.item.name}
        <input class="qty-input" aria-label={`Quantity of ${l.item.name}`} inputMode="decimal" value={l.quantity}
          onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.currentTarget.value } : x)))} /></li>)}</ul>
      <Button variant="primary" disabled={!lines.length || !to} onClick={ship}>Ship transfer</Button>
      {msg && <Notice kind="error">{msg}</Notice>}
      {sent && <Notice kind="ok">{sent}</Notice>}
      {outbound.length > 0 && <>
        <h2>Sent to head office</h2>
        <DataTable name="Sent to head office" rows={outbound}
          columns={[['number', (t) => t.number], ['shipped', (t) => when(t.shipped_at)], ['from', (t) => t.from.name], ['to', (t) => t.to.name],
            ['lines', (t) => String(t.lines.length), true], ['units', (t) => qty(t.lines.reduce((s, l) => s + l.shipped, 0)), true],
            ['status', outboundStatus]]}
          actions={(t) => (t.status === 'shipped' || t.status === 'refused') && !t.lines.some((l) => l.received + l.damaged + l.short > 0)
            ? <Button variant="danger" onClick={() => setCancelOut(t)} aria-label={`Cancel shipment ${t.number} to ${t.to.name}`}>Cancel</Button>
            : null} />
      </>}
      {cancelOut && <CancelOutbound shipment={cancelOut} onClose={() => setCancelOut(null)}
        onCancelled={(done) => {
          setCancelOut(null);
          setOutbound((old) => old.map((x) => (x.id === done.id ? done : x)));
          setSent(`Shipment ${done.number} cancelled: ${qty(done.lines.reduce((n, l) => n + l.shipped, 0))} booked back in at ${done.from.name}; head office hears of it.`);
        }} />}
      {open && <TransferCard key={open.id} transfer={open} onChanged={changed} />}
      <div class="row spread">
        <h2>Transfers</h2>
        <Select label="Show" value={show} onChange={(e) => setShow(e.currentTarget.value as Show)}
          options={[['', 'All'], ['in_transit', 'In transit'], ['received', 'Received'], ['cancelled', 'Cancelled']]} />
      </div>
      <DataTable name="Transfers" rows={list}
        columns={[['number', (t) => t.number], ['shipped', (t) => when(t.shipped_at)], ['from', (t) => t.from.name], ['to', (t) => t.to.name],
          ['lines', (t) => String(t.lines.length), true], ['units', (t) => qty(t.lines.reduce((s, l) => s + l.shipped, 0)), true], ['status', statusText]]}
        actions={(t) => <Button onClick={() => setOpen(t)} aria-label={`Open transfer ${t.number}`}>Open</Button>} />
      {next && <Button onClick={() => fetchPage(next)}>Show older transfers</Button>}
    </section>
  );
}

function TransferCard({ transfer: t, onChanged }: { transfer: Transfer; onChanged: (t: Transfer) => void }) {
  const fresh = () => Object.fromEntries(t.lines.map((l) => [l.id, { received: qty(l.outstanding), damaged: '0' }]));
  const [counts, setCounts] = useState<Record<string, { received: string; damaged: string }>>(fresh);
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok' | 'warn'; text: string } | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(() => { setCounts(fresh()); }, [t.receipts?.length ?? 0]);
  const name = (l: Transfer['lines'][number]) => l.name ?? l.sku ?? 'an item';
  const send = async (body: ReceiveInput) => {
    try {
      const done = await stock.receive(t.id, body);
      onChanged(done);
      const left = done.lines.reduce((s, l) => s + l.outstanding, 0);
      const short = done.lines.reduce((s, l) => s + l.short, 0);
      const damaged = done.lines.reduce((s, l) => s + l.damaged, 0);
      const n = done.receipts?.length ?? 1;
      setMsg(done.status === 'in_transit'
        ? { kind: 'ok', text: `Receipt ${n} booked: ${qty(left)} still to come.` }
        : short || damaged
          ? { kind: 'warn', text: `Received with a discrepancy: ${qty(short)} short, ${qty(damaged)} damaged.` }
          : { kind: 'ok', text: 'Received in full.' });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  type Lines = NonNullable<ReceiveInput['lines']>;
  const counted = (): Lines | null => {
    const out: Lines = [];
    for (const l of t.lines) {
      const c = counts[l.id];
      if (!c || l.outstanding === 0) continue;
      const received = Number(c.received.replace(',', '.') || '0');
      const damaged = Number(c.damaged.replace(',', '.') || '0');
      if (!Number.isFinite(received) || !Number.isFinite(damaged) || received < 0 || damaged < 0 || received + damaged > l.outstanding) {
        setMsg({ kind: 'error', text: `${name(l)}: received and damaged now must be between 0 and the ${qty(l.outstanding)} still to come.` });
        return null;
      }
      if (received + damaged > 0) out.push({ line_id: l.id, received, ...(damaged ? { damaged } : {}) });
    }
    return out;
  };
  const receiveCounted = (close: boolean) => {
    const lines = counted();
    if (lines === null) return;
    if (!lines.length && !close) { setMsg({ kind: 'error', text: 'Type what arrived, or close the transfer short.' }); return; }
    void send({ id: uuidv7(), lines, ...(close ? { close: true } : {}) });
  };
  const inTransit = t.status === 'in_transit';
  const cancelled = t.status === 'cancelled';
  const returned = t.lines.reduce((s, l) => s + (l.returned ?? 0), 0);
  return (
    <div class="card transfer" aria-label="Transfer" role="region">
      <h3>Transfer {t.number}: {t.from.name} → {t.to.name} · {statusText(t)}</h3>
      <div class="table-wrap">
        <table class="data" aria-label="Transfer lines">
          <thead><tr><th scope="col">Item</th><th scope="col" class="num">Shipped</th><th scope="col" class="num">Received</th>
            <th scope="col" class="num">Damaged</th><th scope="col" class="num">{inTransit ? 'To come' : cancelled ? 'Returned' : 'Short'}</th>
            {inTransit && <><th scope="col" class="num">Received now</th><th scope="col" class="num">Damaged now</th></>}</tr></thead>
          <tbody>{t.lines.map((l) => (
            <tr>
              <td>{name(l)}</td>
              <td class="num">{qty(l.shipped)}</td><td class="num">{qty(l.received)}</td><td class="num">{qty(l.damaged)}</td>
              <td class="num">{qty(inTransit ? l.outstanding : cancelled ? l.returned ?? 0 : l.short)}</td>
              {inTransit && (<>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Received now of ${name(l)}`} value={counts[l.id]?.received}
                  disabled={l.outstanding === 0} onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], received: e.currentTarget.value } })} /></td>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Damaged now of ${name(l)}`} value={counts[l.id]?.damaged}
                  disabled={l.outstanding === 0} onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], damaged: e.currentTarget.value } })} /></td>
              </>)}
            </tr>
          ))}</tbody>
        </table>
      </div>
      {(t.receipts?.length ?? 0) > 0 && (
        <ul class="plain small muted" aria-label="Receipts">
          {t.receipts?.map((r) => <li>Receipt {r.number} · {when(r.at)} · {r.by}{r.closed ? ' · closed the transfer' : ''}</li>)}
        </ul>
      )}
      {cancelled && (
        <p class="small" aria-label="Cancellation">
          Cancelled{t.cancelled_at ? ` ${when(t.cancelled_at)}` : ''}{t.cancelled_by ? ` by ${t.cancelled_by}` : ''}
          {t.cancel_reason ? `: ${t.cancel_reason}` : ''}. {qty(returned)} went back to {t.from.name}.
        </p>
      )}
      {inTransit && <div class="row">
        <Button variant="primary" onClick={() => receiveCounted(false)}>Receive as counted</Button>
        <Button onClick={() => send({ id: uuidv7() })}>Receive all</Button>
        <Button variant="danger" onClick={() => receiveCounted(true)}>Receive and close short</Button>
        <Button variant="danger" onClick={() => setCancelling(true)}>Cancel shipment</Button>
      </div>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {cancelling && <CancelShipment transfer={t} onClose={() => setCancelling(false)}
        onCancelled={(done) => {
          setCancelling(false);
          onChanged(done);
          const back = done.lines.reduce((s, l) => s + (l.returned ?? 0), 0);
          setMsg({ kind: 'ok', text: `Transfer ${done.number} cancelled: ${qty(back)} went back to ${done.from.name}.` });
        }} />}
    </div>
  );
}

/** Confirms cancelling a shipment still in transit, with a reason; what is in transit goes back to the source. */
function CancelShipment({ transfer: t, onClose, onCancelled }: { transfer: Transfer; onClose: () => void; onCancelled: (t: Transfer) => void }) {
  const left = t.lines.reduce((s, l) => s + l.outstanding, 0);
  return (
    <CancelWithReason title={`Cancel shipment ${t.number}?`} placeholder="e.g. keyed the wrong store; the van never left"
      send={(reason, key) => stock.cancelTransfer(t.id, reason, key)} onDone={onCancelled} onClose={onClose}>
      <p>{qty(left)} still in transit go{left === 1 ? 'es' : ''} back to {t.from.name}. What was received already stays received.</p>
    </CancelWithReason>
  );
}

/** On a store node: cancels a shipment head office has not said arrived; the goods are booked back in where they left. */
function CancelOutbound({ shipment: t, onClose, onCancelled }: { shipment: OutboundTransfer; onClose: () => void; onCancelled: (t: OutboundTransfer) => void }) {
  const units = t.lines.reduce((s, l) => s + l.shipped, 0);
  return (
    <CancelWithReason title={`Cancel shipment ${t.number} to ${t.to.name}?`} placeholder="e.g. the van never left; kept for the weekend"
      send={(reason, key) => stock.cancelOutbound(t.id, reason, key)} onDone={onCancelled} onClose={onClose}>
      <p>{qty(units)} go{units === 1 ? 'es' : ''} back on the shelf at {t.from.name}. Head office hears of it; if the goods
        reached {t.to.name} before it does, both places keep them until someone counts.</p>
    </CancelWithReason>
  );
}

/** The confirm both cancels share: what happens (children), a reason, one idempotency key for the dialog. */
function CancelWithReason<T>({ title, placeholder, send, onDone, onClose, children }: {
  title: string; placeholder: string; send: (reason: string, key: string) => Promise<T>; onDone: (t: T) => void;
  onClose: () => void; children: ComponentChildren;
}) {
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  // One key for this confirm: pressing again after a lost answer cancels once and answers the same.
  const [key] = useState(() => `cancel-${uuidv7()}`);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) { setMsg('Say why the shipment is cancelled.'); return; }
    setBusy(true);
    try { onDone(await send(reason.trim(), key)); } catch (x) { setMsg(message(x)); } finally { setBusy(false); }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit}>
        {children}
        <Field label="Reason" value={reason} maxLength={500} autofocus onInput={(e) => setReason(e.currentTarget.value)}
          placeholder={placeholder} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <div class="row">
          <Button type="submit" variant="danger" big disabled={busy}>Cancel shipment</Button>
          <Button onClick={onClose}>Keep it</Button>
        </div>
      </form>
    </Dialog>
  );
}

// What became of a shipment to head office's side, in words (head office's word, through its feed).
function outboundStatus(t: OutboundTransfer): string {
  if (t.status === 'cancelled') return `Cancelled here${t.cancel_reason ? `: ${t.cancel_reason}` : ''} (booked back in)`;
  if (t.status === 'refused') return 'Not taken by head office: a person there deals with it (the goods stay booked out of this store)';
  if (t.status !== 'received') return 'On its way';
  const late = t.cancelled_at ? ' — cancelled here after it arrived: head office lists it to count' : '';
  const sum = (k: 'received' | 'damaged' | 'short') => t.lines.reduce((s, l) => s + l[k], 0);
  const at = t.received_at ? ` ${when(t.received_at)}` : '';
  const short = sum('short');
  const damaged = sum('damaged');
  return (short || damaged
    ? `Received${at}: ${qty(sum('received'))} arrived, ${qty(short)} short, ${qty(damaged)} damaged`
    : `Received in full${at}`) + late;
}
