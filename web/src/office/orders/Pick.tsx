// Picking click-and-collect orders on a tablet (issue 20, docs/orders.md): the queue by
// promised time, then one order at a time — scan each item (a wrong item is refused with the
// server's reason), or tap + for one more; "Short" when the shelf is empty; then a staging
// spot and the order is ready for pickup. Pickup itself is at the register (Pickup button).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, message, type OnlineOrder, orders } from '../../api';
import { Button, DataTable, Field, Notice, Select } from '../../shared/components';
import { money, qty, uuidv7, when } from '../../shared/format';
import { beep } from '../../shared/beep';
import { useLocations } from '../useLoad';
import './pick.css';

const firstName = (o: OnlineOrder) => (o.customer.name ?? '').trim().split(/\s+/)[0] || 'customer';

export function Pick() {
  const stores = useLocations().filter((l) => l.sellable);
  const [store, setStore] = useState('');
  const where = store || stores[0]?.id || '';
  const [queue, setQueue] = useState<OnlineOrder[] | null>(null);
  const [open, setOpen] = useState<OnlineOrder | null>(null);
  const [done, setDone] = useState<{ text: string; orderId: string } | null>(null);
  const [err, setErr] = useState('');
  const load = () => { if (where) orders.queue(where).then((q) => { setQueue(q); setErr(''); }).catch((e) => setErr(message(e))); };
  useEffect(load, [where]);

  if (open) {
    return <PickOrder order={open} onBack={(text) => { setOpen(null); setDone(text ? { text, orderId: open.id } : null); load(); }} />;
  }
  return (
    <section class="pick" aria-label="Pick online orders">
      <h1>Pick online orders</h1>
      {stores.length > 1 && (
        <Select label="Store" value={where} onChange={(e) => setStore(e.currentTarget.value)}
          options={stores.map((l): [string, string] => [l.id, l.name])} />
      )}
      {done && (
        <Notice kind="ok">
          {done.text}{' '}
          <a class="button" href={orders.stagingLabel(done.orderId)} target="_blank" rel="noopener">Print the bag label</a>
        </Notice>
      )}
      {err && <Notice kind="error">{err}</Notice>}
      {queue && (
        <DataTable name="Pick queue" rows={queue}
          columns={[
            ['order', (o) => <strong>{o.number}</strong>],
            ['for', (o) => firstName(o)],
            ['due', (o) => when(o.promised_at)],
            ['items', (o) => String(o.lines.reduce((n, l) => n + l.quantity, 0)), true],
            ['', (o) => (o.paid ? 'paid' : 'pay at pickup') + (o.status === 'picking' ? ' · started' : '')],
          ]}
          actions={(o) => <Button variant="primary" onClick={() => setOpen(o)} aria-label={`Pick ${o.number}`}>Pick</Button>} />
      )}
    </section>
  );
}

function PickOrder({ order: first, onBack }: { order: OnlineOrder; onBack: (done?: string) => void }) {
  const [order, setOrder] = useState(first);
  const [refusal, setRefusal] = useState('');
  const [spot, setSpot] = useState('');
  const [busy, setBusy] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);
  useEffect(() => { orders.get(first.id).then(setOrder).catch(() => undefined); scanRef.current?.focus(); }, []);
  const outstanding = order.lines.reduce((n, l) => n + l.outstanding, 0);
  const picked = order.lines.reduce((n, l) => n + l.picked, 0);

  const act = async (f: () => Promise<OnlineOrder>) => {
    setBusy(true);
    try {
      setOrder(await f());
      setRefusal('');
    } catch (e) {
      beep();
      setRefusal(e instanceof ApiError ? e.problem.detail : message(e));
    } finally {
      setBusy(false);
      scanRef.current?.focus();
    }
  };
  const onScan = (e: Event) => {
    e.preventDefault();
    const input = scanRef.current;
    const code = input?.value.trim() ?? '';
    if (!input || !code) return;
    input.value = '';
    void act(() => orders.pick(order.id, { code }, uuidv7()));
  };
  const stage = async (e: Event) => {
    e.preventDefault();
    if (!spot.trim()) { setRefusal('Say where the bag waits: a shelf or bin.'); return; }
    setBusy(true);
    try {
      const o = await orders.stage(order.id, spot.trim(), uuidv7());
      onBack(`${o.number} is ready for pickup at ${o.staging_spot}. ${firstName(o)} has been sent the pickup code.`);
    } catch (err) {
      setRefusal(err instanceof ApiError ? err.problem.detail : message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="pick" aria-label={`Picking ${order.number}`}>
      <div class="pick-head">
        <Button onClick={() => onBack()}>Back to the queue</Button>
        <h1>{order.number} <span class="muted">for {firstName(order)} · due {when(order.promised_at)}</span></h1>
      </div>
      <form onSubmit={onScan} class="pick-scan">
        <Field label="Scan an item" inputRef={scanRef} autocomplete="off" inputMode="numeric" disabled={busy} />
        <Button type="submit" disabled={busy}>Pick</Button>
      </form>
      {refusal && <Notice kind="error">{refusal}</Notice>}
      <p class="pick-progress" aria-live="polite"><strong>{picked}</strong> picked, <strong>{outstanding}</strong> to go</p>
      <ul class="pick-lines" aria-label="Lines">
        {order.lines.map((l) => (
          <li key={l.id} class={l.outstanding === 0 ? 'is-done' : ''} aria-label={l.name}>
            <div class="pick-what">
              <strong>{l.name}</strong> <span class="muted">{l.sku}</span>
              <div class="muted">{l.where ? `Where: ${l.where}` : 'No shelf recorded'} · {money(l.unit_price)}</div>
            </div>
            <div class="pick-count" aria-label={`${l.name}: ${qty(l.picked)} of ${qty(l.quantity)}`}>
              {qty(l.picked)} / {qty(l.quantity)}{l.short > 0 ? <span class="short"> ({qty(l.short)} short)</span> : null}
            </div>
            <div class="pick-actions">
              <Button disabled={busy || l.outstanding <= 0} aria-label={`One more ${l.name}`}
                onClick={() => act(() => orders.pick(order.id, { item_id: l.item_id, quantity: 1 }, uuidv7()))}>+1</Button>
              <Button variant="danger" disabled={busy || l.outstanding <= 0} aria-label={`${l.name} is short`}
                onClick={() => act(() => orders.short(order.id, l.id, uuidv7()))}>Short</Button>
            </div>
          </li>
        ))}
      </ul>
      {outstanding === 0 && (
        <form class="pick-stage" onSubmit={stage} aria-label="Stage the order">
          <Field label="Staging spot (shelf or bin)" value={spot} onInput={(e) => setSpot(e.currentTarget.value)} autocomplete="off" />
          <Button type="submit" variant="primary" big disabled={busy || picked === 0}>Ready for pickup</Button>
        </form>
      )}
    </section>
  );
}
