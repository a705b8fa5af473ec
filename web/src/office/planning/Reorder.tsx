// Reorder: what to order from each supplier for one store, and why. Quantities are the
// planner's suggestions, editable (Enter and ↑↓ move between them, like a sheet); "Why?" opens
// the numbers behind a line and a chart of its sales; one click per supplier turns the lines
// into a draft purchase order, which the buyer checks and sends from Purchase orders.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { message, permission, planning, type PurchaseOrder, purchasing, type Suggestion, type SuggestionList, type Supplier, type SupplierItem } from '../../api';
import { can, navigate, type Session } from '../../app/session';
import { Button, Notice, Select } from '../../shared/components';
import { money, qty, uuidv7 } from '../../shared/format';
import { casesText } from '../purchasing/common';
import { useLoad, useLocations } from '../useLoad';
import { trainingEvent } from '../../help/coach';
import { WhyPanel } from './WhyPanel';
import './reorder.css';

/** One supplier's part of the page: its suggestions (and top-up) and the items it sells. */
interface Group { supplier: Supplier; list: SuggestionList | null; suggestions: Suggestion[]; terms: SupplierItem[]; error: string }

const suppliers_max = 200;

async function loadGroups(locationId: string, suppliers: Supplier[]): Promise<Group[]> {
  return Promise.all(suppliers.map(async (supplier) => {
    try {
      const [list, terms] = await Promise.all([
        planning.suggestions({ location_id: locationId, supplier_id: supplier.id }),
        purchasing.supplierItems(supplier.id),
      ]);
      return { supplier, list, suggestions: list.suggestions, terms, error: '' };
    } catch (x) {
      return { supplier, list: null, suggestions: [], terms: [], error: message(x) };
    }
  }));
}

export function Reorder({ session }: { session: Session }) {
  const locations = useLocations();
  const stores = locations.filter((l) => l.kind === 'store');
  const [locationId, setLocationId] = useState('');
  const store = locationId || stores.find((l) => l.sellable)?.id || stores[0]?.id || '';
  const storeName = stores.find((l) => l.id === store)?.name ?? '';
  const [suppliers, supplierErr] = useLoad(() => purchasing.suppliers({ limit: suppliers_max }).then((r) => r.suppliers), []);
  const [groups, groupsErr, reload] = useLoad(
    () => (store && suppliers ? loadGroups(store, suppliers) : Promise.resolve(null)), [store, suppliers]);
  const ready = groups?.filter((g) => g.suggestions.length > 0 || g.error) ?? [];
  const quiet = groups?.filter((g) => !g.suggestions.length && !g.error) ?? [];
  return (
    <section class="reorder">
      <div class="row spread">
        <h1>Reorder</h1>
        {stores.length > 1 && <Select label="Order for" value={store} onChange={(e) => setLocationId(e.currentTarget.value)}
          options={stores.map((l) => [l.id, l.name] as [string, string])} />}
      </div>
      <p class="muted">What each supplier should bring to {storeName || 'the store'} by its next delivery: from recent sales, what is on the
        shelf and on order, the supplier’s lead time and order days, rounded up to its cases. Change any number, then create the
        draft order; it is sent from Purchase orders.</p>
      {(supplierErr || groupsErr) && <Notice kind="error">{supplierErr || groupsErr}</Notice>}
      {suppliers && suppliers.length === 0 && <NoSuppliers session={session} />}
      {groups === null && suppliers && suppliers.length > 0 && <p class="loading muted">Working out what to order…</p>}
      {groups && suppliers && suppliers.length > 0 && ready.length === 0 && <NothingToOrder storeName={storeName} groups={groups} session={session} />}
      {ready.map((g) => <SupplierOrder key={`${store}/${g.supplier.id}`} session={session} group={g} locationId={store} onOrdered={reload} />)}
      {ready.length > 0 && quiet.length > 0 && <QuietSuppliers groups={quiet} />}
    </section>
  );
}

function SuppliersLink({ session, children }: { session: Session; children: string }) {
  if (!can(session, permission.purchasing_read)) return null;
  return <a class="button" href="/office/suppliers" onClick={(e) => { e.preventDefault(); navigate('/office/suppliers'); }}>{children}</a>;
}

function NoSuppliers({ session }: { session: Session }) {
  return (
    <div class="card empty-state" role="region" aria-label="No suppliers yet">
      <h2>No suppliers yet</h2>
      <p>Suggestions are made per supplier, for the items it sells. Add a supplier with its lead time and order days, then the
        items it sells with their case packs (scan a case or import its price list).</p>
      <SuppliersLink session={session}>Add a supplier</SuppliersLink>
    </div>
  );
}

/** Every supplier was asked and none has anything to order: say why that may be, and what to do. */
function NothingToOrder({ storeName, groups, session }: { storeName: string; groups: Group[]; session: Session }) {
  const withoutItems = groups.filter((g) => g.terms.length === 0).map((g) => g.supplier.name);
  const noItems = withoutItems.length === groups.length;
  return (
    <div class="card empty-state" role="region" aria-label="Nothing to order">
      <h2>{noItems ? 'No supplier has items in its list yet' : `Nothing to order for ${storeName} right now`}</h2>
      {noItems
        ? <p>Suggestions are made for the items a supplier sells. Add items to a supplier (scan a case, or import its price list).</p>
        : <>
          <p>What is on the shelf and on order covers the expected sales of every item until the next deliveries.</p>
          <p>A new shop has no sales history yet: the planner learns from sales at the registers, and suggestions grow with them.
            Past sales from another system load with <code>backroom planning import-history</code>.</p>
        </>}
      {!noItems && withoutItems.length > 0 && <p class="muted">No items in their list yet: {withoutItems.join(', ')}.</p>}
      <SuppliersLink session={session}>Go to Suppliers</SuppliersLink>
    </div>
  );
}

function QuietSuppliers({ groups }: { groups: Group[] }) {
  const without = groups.filter((g) => g.terms.length === 0).map((g) => g.supplier.name);
  const covered = groups.filter((g) => g.terms.length > 0).map((g) => g.supplier.name);
  return (
    <div class="quiet-suppliers muted" role="status">
      {covered.length > 0 && <p>Nothing to order now from {covered.join(', ')}: stock and open orders cover their items.</p>}
      {without.length > 0 && <p>No items in the list of {without.join(', ')} yet: add them under Suppliers to get suggestions.</p>}
    </div>
  );
}

/** Whether the planner added units to reach the supplier's minimum order or free freight. */
export const toppedUp = (s: Suggestion) => (s.reason.rounding?.topped_up ?? 0) > 0;

/** A person's typed units: a number ≥ 0 with at most 3 decimals, or null. */
function units(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,3})?$/.test(t)) return null;
  return Number(t);
}

/** Enter and ↓ go to the next line's quantity, ↑ to the one before; Enter on the last goes to the order button. */
function moveOnKey(e: KeyboardEvent, orderButton: string) {
  if (!['Enter', 'ArrowDown', 'ArrowUp'].includes(e.key)) return;
  const input = e.currentTarget as HTMLInputElement;
  const table = input.closest('table');
  if (!table) return;
  const all = [...table.querySelectorAll<HTMLInputElement>('input.qty-input')];
  const at = all.indexOf(input);
  const back = e.key === 'ArrowUp' || (e.key === 'Enter' && e.shiftKey);
  const next = all[at + (back ? -1 : 1)];
  e.preventDefault();
  if (next) { next.focus(); next.select(); return; }
  if (!back && e.key === 'Enter') document.getElementById(orderButton)?.focus();
}

function SupplierOrder({ session, group, locationId, onOrdered }: { session: Session; group: Group; locationId: string; onOrdered: () => void }) {
  const { supplier, suggestions, terms } = group;
  const term = (itemId: string) => terms.find((t) => t.item_id === itemId);
  const nameOf = (s: Suggestion) => s.name ?? term(s.item_id)?.name ?? 'an item';
  const skuOf = (s: Suggestion) => s.sku ?? term(s.item_id)?.sku ?? '';
  const packOf = (s: Suggestion) => s.reason.rounding?.case_pack ?? term(s.item_id)?.case_pack ?? null;
  const costOf = (s: Suggestion) => s.unit_cost ?? term(s.item_id)?.cost ?? 0;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [why, setWhy] = useState<string | null>(null);
  const [made, setMade] = useState<PurchaseOrder | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(uuidv7);
  useEffect(() => { setTyped({}); setMade(null); setErr(''); setKey(uuidv7()); }, [suggestions]);
  const textOf = (s: Suggestion) => typed[s.item_id] ?? qty(s.quantity);
  const amounts = suggestions.map((s) => ({ s, units: units(textOf(s)) }));
  const lines = amounts.filter((a) => (a.units ?? 0) > 0);
  const value = lines.reduce((sum, a) => sum + Math.round((a.units ?? 0) * costOf(a.s)), 0);
  const topUps = suggestions.filter(toppedUp);
  const mayOrder = can(session, permission.purchasing_order);
  const buttonId = `order-${supplier.id}`;
  const create = async () => {
    const bad = amounts.find((a) => a.units === null);
    if (bad) { setErr(`Type a number of units for ${nameOf(bad.s)} (0 leaves it out).`); return; }
    if (!lines.length) { setErr('Every quantity is 0: there is nothing to order.'); return; }
    setBusy(true);
    setErr('');
    try {
      setMade(await planning.createOrder(key, {
        location_id: locationId, supplier_id: supplier.id, lines: lines.map((a) => ({ item_id: a.s.item_id, quantity: a.units ?? 0 })),
      }));
    } catch (x) { setErr(message(x)); } finally { setBusy(false); }
  };
  const orderPath = made ? `/office/purchase-orders/${encodeURIComponent(made.number)}` : '';
  return (
    <div class="card supplier-order" role="region" aria-label={`Order from ${supplier.name}`}>
      <div class="row spread">
        <h2>{supplier.name}</h2>
        <span class="muted">{terms.length ? termsLine(supplier) : ''}</span>
      </div>
      {group.error && <Notice kind="error">{group.error}</Notice>}
      {topUps.length > 0 && <Notice kind="info">
        Topped up to reach {supplier.name}’s {topUpWhat(group.list, topUps)}: {topUps.map(nameOf).join(', ')} got more than
        they need now, the items with the least cover first.</Notice>}
      {group.list?.top_up && group.list.top_up.target !== 'none' && !group.list.top_up.reached && <Notice kind="warn">
        This order stays below {supplier.name}’s {topUpWhat(group.list, topUps)}: no line could take more.</Notice>}
      {suggestions.length > 0 && <div class="table-wrap">
        <table class="data reorder-lines" aria-label={`Suggestions from ${supplier.name}`}>
          <thead><tr>
            <th scope="col">Item</th><th scope="col" class="num">In stock</th><th scope="col" class="num">Suggested</th>
            <th scope="col" class="num">Order</th><th scope="col">Cases</th><th scope="col"><span class="sr-only">Why</span></th>
          </tr></thead>
          <tbody>
            {amounts.map(({ s, units: n }) => {
              const name = nameOf(s);
              const open = why === s.item_id;
              const panelId = `why-${supplier.id}-${s.item_id}`;
              const whyButton = `${panelId}-button`;
              const coming = s.reason.on_order + s.reason.in_transit;
              return <Fragment key={s.item_id}>
                <tr class={open ? 'is-open' : undefined}>
                  <th scope="row">{name} <span class="muted">{skuOf(s)}</span>{toppedUp(s) && <span class="topup"> · topped up</span>}</th>
                  <td class="num">{qty(s.reason.on_hand)}{coming > 0 && <div class="muted small">+{qty(coming)} coming</div>}</td>
                  <td class="num">{qty(s.quantity)}</td>
                  <td class="num">
                    <input class="qty-input" inputMode="decimal" enterKeyHint="next" autocomplete="off" aria-label={`Order units of ${name}`}
                      value={textOf(s)} disabled={!!made} onFocus={(e) => e.currentTarget.select()}
                      onInput={(e) => setTyped({ ...typed, [s.item_id]: e.currentTarget.value })}
                      onKeyDown={(e) => moveOnKey(e, buttonId)} />
                  </td>
                  <td>{n === null ? <span class="flag">not a number</span> : n === 0 ? <span class="muted">left out</span> : casesText(n, packOf(s))}</td>
                  <td class="actions">
                    <Button id={whyButton} aria-expanded={open} aria-controls={panelId} aria-label={`Why ${qty(s.quantity)} of ${name}?`}
                      onClick={() => { if (!open) trainingEvent('reorder.why'); setWhy(open ? null : s.item_id); }}>Why?</Button>
                  </td>
                </tr>
                {open && <tr class="why-row"><td colSpan={6} id={panelId}>
                  <WhyPanel suggestion={s} itemName={name} casePack={packOf(s)} locationId={locationId} onClose={() => { setWhy(null); requestAnimationFrame(() => document.getElementById(whyButton)?.focus()); }} />
                </td></tr>}
              </Fragment>;
            })}
          </tbody>
        </table>
      </div>}
      <p class="order-sum">{lines.length} line{lines.length === 1 ? '' : 's'} · about {money(value)} at the supplier’s cost
        {supplier.min_order_value ? ` · minimum order ${money(supplier.min_order_value)}` : ''}
        {supplier.free_freight_value ? ` · free freight from ${money(supplier.free_freight_value)}` : ''}</p>
      {err && <Notice kind="error">{err}</Notice>}
      {made
        ? <div class="notice notice-ok made" role="status">
          <p>Draft order {made.number} for {supplier.name}: {made.lines.length} line{made.lines.length === 1 ? '' : 's'}, {money(made.total)}.
            Check it and send it from Purchase orders.</p>
          {(made.warnings ?? []).length > 0 && <ul>{(made.warnings ?? []).map((w) => <li>{w.message}</li>)}</ul>}
          <div class="row">
            <a class="button" href={orderPath} onClick={(e) => { e.preventDefault(); navigate(orderPath); }}>Open {made.number}</a>
            <Button onClick={onOrdered}>Suggest again</Button>
          </div>
        </div>
        : mayOrder
          ? <Button id={buttonId} variant="primary" disabled={busy || !suggestions.length} onClick={create}>Create draft order</Button>
          : <p class="muted">A buyer turns these into an order.</p>}
    </div>
  );
}

function termsLine(s: Supplier): string {
  const parts = [];
  if (s.lead_time_days !== null) parts.push(`delivers in ${s.lead_time_days} day${s.lead_time_days === 1 ? '' : 's'}`);
  if (s.order_days.length) parts.push(`orders on ${s.order_days.join(', ')}`);
  return parts.join(' · ');
}

/** Which of the supplier's values the top-up aimed at, as the planner says it. */
function topUpWhat(list: SuggestionList | null, topUps: Suggestion[]): string {
  const t = list?.top_up;
  if (t?.target === 'free_freight_value') return `free-freight value of ${money(t.target_value)}`;
  if (t?.target === 'min_order_value') return `minimum order of ${money(t.target_value)}`;
  return topUps.some((s) => /free.freight/i.test(s.reason.text)) ? 'free-freight value' : 'minimum order';
}
