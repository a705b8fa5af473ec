// Picking click-and-collect orders on a tablet (issue 20, docs/orders.md): the queue by
// promised time, then one order at a time — scan each item (a wrong item is refused with the
// server's reason), or tap + for one more; "Short" when the shelf is empty; then a staging
// spot and the order is ready for pickup. Pickup itself is at the register (Pickup button).
// A short line may be offered a substitute (same category, in stock here): the customer is
// sent a link and answers it; an accepted substitute becomes a line to pick. The customer is
// shown by name and number (C-000123), with a link to the customer for who may read customers.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, message, type OnlineOrder, type OnlineOrderLine, orders, permission, type SubstituteCandidate, type Substitution } from '../../api';
import { can, navigate, type Session } from '../../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../../shared/components';
import { money, qty, uuidv7, when } from '../../shared/format';
import { beep } from '../../shared/beep';
import { useLocations } from '../useLoad';
import './pick.css';

const firstName = (o: OnlineOrder) => (o.customer.name ?? '').trim().split(/\s+/)[0] || 'customer';
/** "Anna Berg · C-000123": the name the order was placed with and the customer's number. */
const customerOf = (o: OnlineOrder) => [(o.customer.name ?? '').trim() || 'customer', o.customer.number].filter(Boolean).join(' · ');

/** A link to the order's customer on the customers page (found there by number). */
function CustomerLink({ order, session }: { order: OnlineOrder; session: Session }) {
  const number = order.customer.number;
  if (!number || !can(session, permission.customers_read)) return null;
  const href = `/office/customers?q=${encodeURIComponent(number)}`;
  return <a class="button" href={href} onClick={(e) => { e.preventDefault(); navigate(href); }}>Customer {number}</a>;
}

export function Pick({ session }: { session: Session }) {
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
    return <PickOrder order={open} session={session} onBack={(text) => { setOpen(null); setDone(text ? { text, orderId: open.id } : null); load(); }} />;
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
            ['for', (o) => customerOf(o)],
            ['due', (o) => when(o.promised_at)],
            ['items', (o) => String(o.lines.reduce((n, l) => n + l.quantity, 0)), true],
            ['', (o) => (o.paid ? 'paid' : 'pay at pickup') + (o.status === 'picking' ? ' · started' : '')],
          ]}
          actions={(o) => <Button variant="primary" onClick={() => setOpen(o)} aria-label={`Pick ${o.number}`}>Pick</Button>} />
      )}
    </section>
  );
}

function PickOrder({ order: first, session, onBack }: { order: OnlineOrder; session: Session; onBack: (done?: string) => void }) {
  const [order, setOrder] = useState(first);
  const [refusal, setRefusal] = useState('');
  const [spot, setSpot] = useState('');
  const [busy, setBusy] = useState(false);
  const [offering, setOffering] = useState<OnlineOrderLine | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const subs = order.substitutions ?? [];
  const subFor = (lineId: string) => [...subs].reverse().find((x) => x.line_id === lineId && x.status !== 'withdrawn');
  const nameOf = (lineId: string | null | undefined) => order.lines.find((x) => x.id === lineId)?.name ?? 'a short item';
  const waiting = subs.some((x) => x.status === 'offered');
  useEffect(() => { orders.get(first.id).then(setOrder).catch(() => undefined); }, []);
  // The scan field takes the cursor as the page is committed, before a scanner's first key
  // (an effect after the paint let the first digits of a quick scan fall elsewhere).
  useLayoutEffect(() => { scanRef.current?.focus(); }, []);
  // Walk order: by shelf (A2 before A10), lines without one last, then by name.
  const walk = [...order.lines].sort((a, b) => (a.shelf === null ? 1 : 0) - (b.shelf === null ? 1 : 0)
    || (a.shelf ?? '').localeCompare(b.shelf ?? '', undefined, { numeric: true }) || a.name.localeCompare(b.name));
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
        <h1>{order.number} <span class="muted">for {customerOf(order)} · due {when(order.promised_at)}</span></h1>
        <CustomerLink order={order} session={session} />
      </div>
      <form onSubmit={onScan} class="pick-scan">
        <Field label="Scan an item" inputRef={scanRef} autocomplete="off" inputMode="numeric" disabled={busy} />
        <Button type="submit" disabled={busy}>Pick</Button>
      </form>
      {refusal && <Notice kind="error">{refusal}</Notice>}
      <p class="pick-progress" aria-live="polite"><strong>{picked}</strong> picked, <strong>{outstanding}</strong> to go</p>
      <ul class="pick-lines" aria-label="Lines">
        {walk.map((l) => (
          <li key={l.id} class={l.outstanding === 0 ? 'is-done' : ''} aria-label={l.name}>
            <ItemPicture url={l.photo_url} name={l.name} />
            <div class="pick-what">
              {l.shelf && <div class="pick-shelf">Shelf {l.shelf}</div>}
              <strong>{l.name}</strong> <span class="muted">{l.sku}</span>
              {l.substitute_for && <span class="badge">instead of {nameOf(l.substitute_for)}</span>}
              <div class="muted">{!l.shelf && (l.where ? `Where: ${l.where} · ` : 'No shelf recorded · ')}{money(l.unit_price)}</div>
              {!l.substitute_for && <SubstitutionState sub={subFor(l.id)} who={firstName(order)} />}
            </div>
            <div class="pick-count" aria-label={`${l.name}: ${qty(l.picked)} of ${qty(l.quantity)}`}>
              {qty(l.picked)} / {qty(l.quantity)}{l.short > 0 ? <span class="short"> ({qty(l.short)} short)</span> : null}
            </div>
            <div class="pick-actions">
              <Button disabled={busy || l.outstanding <= 0} aria-label={`One more ${l.name}`}
                onClick={() => act(() => orders.pick(order.id, { item_id: l.item_id, quantity: 1 }, uuidv7()))}>+1</Button>
              <Button variant="danger" disabled={busy || l.outstanding <= 0} aria-label={`${l.name} is short`}
                onClick={() => act(() => orders.short(order.id, l.id, uuidv7()))}>Short</Button>
              {l.short > 0 && !l.substitute_for && subFor(l.id)?.status !== 'accepted' && (
                <Button disabled={busy} aria-label={`Offer a substitute for ${l.name}`} onClick={() => setOffering(l)}>Offer a substitute</Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {offering && (
        <OfferDialog order={order} line={offering} onClose={() => setOffering(null)}
          onOffered={(o) => { setOffering(null); setOrder(o); }} />
      )}
      {outstanding === 0 && (
        <form class="pick-stage" onSubmit={stage} aria-label="Stage the order">
          {waiting && <Notice kind="warn">An offered substitute is still waiting for {firstName(order)}'s answer. Making the order ready withdraws it.</Notice>}
          <Field label="Staging spot (shelf or bin)" value={spot} onInput={(e) => setSpot(e.currentTarget.value)} autocomplete="off" />
          <Button type="submit" variant="primary" big disabled={busy || picked === 0}>Ready for pickup</Button>
        </form>
      )}
    </section>
  );
}

/** The item's photo, or an empty frame of the same size so the lines stay aligned. */
function ItemPicture({ url, name }: { url: string | null; name: string }) {
  const [failed, setFailed] = useState(false);
  if (!url || failed) return <div class="pick-photo none" aria-hidden="true" />;
  return <img class="pick-photo" src={url} alt={`Photo of ${name}`} loading="lazy" onError={() => setFailed(true)} />;
}

const statusWords: Record<Substitution['status'], string> = {
  offered: 'waiting for', accepted: 'accepted by', declined: 'declined by', withdrawn: 'withdrawn',
};

/** Under a short line: what was offered and what the customer said. */
function SubstitutionState({ sub, who }: { sub: Substitution | undefined; who: string }) {
  if (!sub) return null;
  const difference = sub.price_difference === 0 ? 'same price'
    : sub.price_difference > 0 ? `${money(sub.price_difference)} more` : `${money(-sub.price_difference)} less`;
  return (
    <div class={`pick-sub pick-sub-${sub.status}`} role="status">
      Substitute {qty(sub.quantity)} × {sub.name} ({difference}): {statusWords[sub.status]} {who}
      {sub.status === 'declined' ? ' — the line is refunded at pickup' : ''}
    </div>
  );
}

/** The choice of a substitute: items of the same category in stock here, the closest price first. */
function OfferDialog({ order, line, onClose, onOffered }: {
  order: OnlineOrder; line: OnlineOrderLine; onClose: () => void; onOffered: (o: OnlineOrder) => void;
}) {
  const [items, setItems] = useState<SubstituteCandidate[] | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => { orders.substitutes(order.id, line.id).then(setItems).catch((e) => setErr(message(e))); }, []);
  const offer = async (c: SubstituteCandidate) => {
    setBusy(true);
    try {
      await orders.offerSubstitute(order.id, { line_id: line.id, item_id: c.item_id }, uuidv7());
      onOffered(await orders.get(order.id));
    } catch (e) {
      setErr(e instanceof ApiError ? e.problem.detail : message(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Instead of ${line.name}`} onClose={onClose}>
      <p class="muted">{qty(line.short)} short at {money(line.unit_price)} each. {firstName(order)} is sent the choice and answers by a link.</p>
      {err && <Notice kind="error">{err}</Notice>}
      {items === null && !err && <p role="status" class="muted">Looking for items of the same kind in stock…</p>}
      {items?.length === 0 && <Notice kind="info">Nothing of the same category is in stock here. The line is refunded at pickup.</Notice>}
      <ul class="pick-offers" aria-label="Substitutes">
        {items?.map((c) => (
          <li key={c.item_id}>
            <Button big disabled={busy} onClick={() => offer(c)} aria-label={`Offer ${c.name}`}>
              <ItemPicture url={c.photo_url} name={c.name} />
              <span><strong>{c.name}</strong> <span class="muted">{c.sku}</span> · {money(c.price)} · {qty(c.available)} here{c.shelf ? ` · shelf ${c.shelf}` : ''}</span>
            </Button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
