// Purchase orders: the list by status; a draft (supplier, store, lines by scan or search,
// quantities shown in the supplier's cases) with the server's warnings; send, download the
// order as the supplier gets it (PDF, CSV), cancel, and close a short order with a reason.
import { useEffect, useState } from 'preact/hooks';
import { type Item, message, permission, type PoLine, purchasing, type PurchaseOrder, type SupplierItem } from '../../api';
import { can, navigate, type Session, usePath } from '../../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../../shared/components';
import { money, qty, uuidv7, when } from '../../shared/format';
import { locationName, useLoad, useLocations } from '../useLoad';
import { casesText, ItemPicker, open, orderByNumber, orderUnits, receivable, statusText, supplierOf, useLineNames, useSupplierNames } from './common';

const pageSize = 25;
const base = '/office/purchase-orders';
type Msg = { kind: 'ok' | 'error' | 'warn' | 'info'; text: string } | null;
const statuses: [string, string][] = [['', 'All'], ['draft', 'Drafts'], ['sent', 'Sent'], ['partially_received', 'Partly received'],
  ['received', 'Received'], ['closed', 'Closed short'], ['cancelled', 'Cancelled']];

export function PurchaseOrders({ session }: { session: Session }) {
  const locations = useLocations();
  const [show, setShow] = useState('');
  const [list, setList] = useState<PurchaseOrder[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [err, setErr] = useState('');
  const [current, setCurrent] = useState<PurchaseOrder | null>(null);
  const [drafting, setDrafting] = useState(false);
  const names = useSupplierNames(list.map((p) => p.supplier_id));
  // /office/purchase-orders/PO-000123 opens that order (Reorder links to the drafts it makes).
  const path = usePath();
  const wanted = path.startsWith(base + '/') ? decodeURIComponent(path.slice(base.length + 1)) : '';
  useEffect(() => {
    if (!wanted || current?.number === wanted) return;
    orderByNumber(wanted).then((po) => {
      if (po) { setDrafting(false); setCurrent(po); } else setErr(`There is no order ${wanted}.`);
    }).catch((x) => setErr(message(x)));
  }, [wanted]);
  const fetchPage = async (cursor?: string) => {
    try {
      const page = await purchasing.orders({ limit: pageSize, ...(show ? { status: show } : {}), ...(cursor ? { cursor } : {}) });
      setList((old) => (cursor ? [...old, ...page.purchase_orders] : page.purchase_orders));
      setNext(page.next_cursor ?? null);
      setErr('');
    } catch (x) { setErr(message(x)); }
  };
  useEffect(() => { void fetchPage(); }, [show]);
  const changed = (po: PurchaseOrder) => {
    setCurrent(po);
    setDrafting(false);
    setList((old) => (old.some((x) => x.id === po.id) ? old.map((x) => (x.id === po.id ? po : x)) : [po, ...old]));
  };
  return (
    <section>
      <div class="row spread">
        <h1>Purchase orders</h1>
        {can(session, permission.purchasing_order) && !drafting && <Button variant="primary" onClick={() => { setCurrent(null); setDrafting(true); }}>New order</Button>}
      </div>
      {drafting && <DraftEditor onCancel={() => setDrafting(false)} onSaved={changed} />}
      {current && <OrderCard key={current.id} session={session} order={current} onChanged={changed} onClose={() => { setCurrent(null); if (wanted) navigate(base); }} />}
      <div class="row spread">
        <h2>Orders</h2>
        <Select label="Show" value={show} onChange={(e) => setShow(e.currentTarget.value)} options={statuses} />
      </div>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Purchase orders" rows={list}
        columns={[['number', (p) => p.number], ['supplier', (p) => supplierOf(p, names)], ['store', (p) => p.location?.name ?? locationName(locations, p.location_id)],
          ['expected', (p) => p.expected_on ?? '—'], ['lines', (p) => String(p.lines.length), true], ['units', (p) => qty(orderUnits(p)), true],
          ['total', (p) => money(p.total), true], ['status', (p) => statusText(p.status)]]}
        actions={(p) => <Button onClick={() => { setDrafting(false); setCurrent(p); }} aria-label={`Open order ${p.number}`}>Open</Button>} />
      {next && <Button onClick={() => fetchPage(next)}>Show older orders</Button>}
    </section>
  );
}

interface DraftLine { item: Item; quantity: string }

/** A new draft: supplier and store, then lines by scan or search. */
function DraftEditor({ onCancel, onSaved }: { onCancel: () => void; onSaved: (po: PurchaseOrder) => void }) {
  const locations = useLocations();
  const [suppliers] = useLoad(() => purchasing.suppliers({ limit: 200 }).then((r) => r.suppliers), []);
  const [supplierId, setSupplierId] = useState('');
  const [locationId, setLocationId] = useState('');
  const [expected, setExpected] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [msg, setMsg] = useState('');
  const [key] = useState(uuidv7);
  const stores = locations.filter((l) => l.kind !== 'transit' && !l.parent_id);
  const supplier = supplierId || suppliers?.[0]?.id || '';
  const store = locationId || stores.find((l) => l.sellable)?.id || stores[0]?.id || '';
  const [catalogue] = useLoad(() => (supplier ? purchasing.supplierItems(supplier) : Promise.resolve([] as SupplierItem[])), [supplier]);
  const terms = (itemId: string) => catalogue?.find((s) => s.item_id === itemId);
  const add = (item: Item, pack: number) => {
    const t = terms(item.id);
    const step = pack > 1 ? pack : t && t.case_pack > 1 ? t.case_pack : 1;
    const at = lines.findIndex((l) => l.item.id === item.id);
    if (at >= 0) setLines(lines.map((l, i) => (i === at ? { ...l, quantity: String((Number(l.quantity) || 0) + step) } : l)));
    else setLines([...lines, { item, quantity: String(step) }]);
  };
  const save = async () => {
    const bad = lines.find((l) => !(Number(l.quantity) > 0));
    if (bad) { setMsg(`Type a quantity above 0 for ${bad.item.name}.`); return; }
    try {
      onSaved(await purchasing.createOrder({
        id: key, supplier_id: supplier, location_id: store, ...(expected ? { expected_on: expected } : {}),
        lines: lines.map((l) => ({ item_id: l.item.id, quantity: Number(l.quantity) })),
      }));
    } catch (x) { setMsg(message(x)); }
  };
  const noSuppliers = suppliers !== null && suppliers.length === 0;
  return (
    <div class="card" role="region" aria-label="New purchase order">
      <h2>New purchase order</h2>
      {noSuppliers && <Notice kind="warn">There are no suppliers yet: add one under Suppliers first.</Notice>}
      <div class="row">
        <Select label="Supplier" value={supplier} onChange={(e) => setSupplierId(e.currentTarget.value)} options={(suppliers ?? []).map((s) => [s.id, s.name] as [string, string])} />
        <Select label="Deliver to" value={store} onChange={(e) => setLocationId(e.currentTarget.value)} options={stores.map((l) => [l.id, l.name] as [string, string])} />
        <Field label="Expected on" type="date" value={expected} onInput={(e) => setExpected(e.currentTarget.value)} />
      </div>
      <ItemPicker label="Add an item" onPick={(item, pack) => add(item, pack)} />
      <div class="table-wrap">
        <table class="data" aria-label="Order lines">
          <thead><tr><th scope="col">Item</th><th scope="col">Supplier SKU</th><th scope="col" class="num">Units</th><th scope="col">Cases</th>
            <th scope="col" class="num">Unit cost</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {lines.length === 0 && <tr><td colSpan={6} class="empty">Scan or search items to add lines.</td></tr>}
            {lines.map((l, i) => {
              const t = terms(l.item.id);
              return (
                <tr>
                  <td>{l.item.name} <span class="muted">{l.item.sku}</span></td>
                  <td>{t?.supplier_sku ?? <span class="muted">not in this supplier’s list</span>}</td>
                  <td class="num"><input class="qty-input" inputMode="numeric" aria-label={`Units of ${l.item.name}`} value={l.quantity}
                    onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.currentTarget.value } : x)))} /></td>
                  <td>{Number(l.quantity) > 0 ? casesText(Number(l.quantity), t?.case_pack) : '—'}</td>
                  <td class="num">{money(t?.cost ?? l.item.cost ?? null)}</td>
                  <td class="actions"><Button variant="danger" onClick={() => setLines(lines.filter((_, j) => j !== i))} aria-label={`Remove ${l.item.name}`}>Remove</Button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="muted small">A quantity that is not whole cases is rounded up to cases; the order says so.</p>
      {msg && <Notice kind="error">{msg}</Notice>}
      <div class="row">
        <Button variant="primary" disabled={!lines.length || !supplier || !store} onClick={save}>Save draft</Button>
        <Button onClick={onCancel}>Discard</Button>
      </div>
    </div>
  );
}

function OrderCard({ session, order: po, onChanged, onClose }: { session: Session; order: PurchaseOrder; onChanged: (po: PurchaseOrder) => void; onClose: () => void }) {
  const locations = useLocations();
  const names = useSupplierNames([po.supplier_id]);
  const lineName = useLineNames(po.lines);
  const [msg, setMsg] = useState<Msg>(null);
  const [editing, setEditing] = useState<Record<string, string> | null>(null);
  const [closing, setClosing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const mayOrder = can(session, permission.purchasing_order);
  const act = async (what: () => Promise<PurchaseOrder>, done: string) => {
    try { const next = await what(); onChanged(next); setMsg({ kind: 'ok', text: done }); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const saveLines = () => {
    if (!editing) return;
    const lines = po.lines.map((l) => ({ item_id: l.item_id, quantity: Number(editing[l.id] ?? l.quantity) })).filter((l) => l.quantity > 0);
    if (lines.some((l) => !Number.isFinite(l.quantity))) { setMsg({ kind: 'error', text: 'Quantities are numbers of units.' }); return; }
    void act(() => purchasing.editOrder(po.id, { lines }), 'Draft saved.').then(() => setEditing(null));
  };
  const draft = po.status === 'draft';
  const warnings = po.warnings ?? [];
  return (
    <div class="card order" role="region" aria-label="Purchase order">
      <div class="row spread">
        <h2>Order {po.number} · {supplierOf(po, names)} · {statusText(po.status)}</h2>
        <Button onClick={onClose}>Close</Button>
      </div>
      <p class="muted">Deliver to {po.location?.name ?? locationName(locations, po.location_id)}{po.expected_on ? ` · expected on ${po.expected_on}` : ''}
        {po.sent_at ? ` · sent ${when(po.sent_at)}` : ''}{po.close_reason ? ` · closed: ${po.close_reason}` : ''}</p>
      {warnings.length > 0 && <div class="notice notice-warn" role="status" aria-label="Warnings">
        <strong>Warnings</strong><ul>{warnings.map((w) => <li>{w.message}</li>)}</ul></div>}
      <div class="table-wrap">
        <table class="data" aria-label="Purchase order lines">
          <thead><tr><th scope="col">Item</th><th scope="col">Supplier SKU</th><th scope="col" class="num">Ordered</th><th scope="col">Cases</th>
            <th scope="col" class="num">Unit cost</th><th scope="col" class="num">Received</th><th scope="col" class="num">Damaged</th><th scope="col" class="num">Open</th></tr></thead>
          <tbody>{po.lines.map((l: PoLine) => (
            <tr>
              <td>{lineName(l)}</td>
              <td>{l.supplier_sku ?? '—'}</td>
              <td class="num">{editing
                ? <input class="qty-input" inputMode="numeric" aria-label={`Units of ${lineName(l)}`} value={editing[l.id] ?? String(l.quantity)}
                  onInput={(e) => setEditing({ ...editing, [l.id]: e.currentTarget.value })} />
                : qty(l.quantity)}</td>
              <td>{casesText(l.quantity, l.case_pack)}</td>
              <td class="num">{money(l.unit_cost)}</td>
              <td class="num">{qty(l.received)}</td><td class="num">{qty(l.damaged)}</td>
              <td class="num">{po.status === 'closed' || po.status === 'cancelled' ? '—' : qty(open(l))}</td>
            </tr>
          ))}</tbody>
          <tfoot><tr><th scope="row" colSpan={4}>Total</th><td class="num"><strong>{money(po.total)}</strong></td><td colSpan={3} /></tr></tfoot>
        </table>
      </div>
      <div class="row actions-row">
        {draft && mayOrder && !editing && <Button onClick={() => setEditing({})}>Edit lines</Button>}
        {draft && mayOrder && editing && <><Button variant="primary" onClick={saveLines}>Save lines</Button><Button onClick={() => setEditing(null)}>Keep as it was</Button></>}
        {draft && mayOrder && !editing && <Button variant="primary" onClick={() => act(() => purchasing.sendOrder(po.id), `Order ${po.number} sent.`)}>Send order</Button>}
        {receivable(po.status) && can(session, permission.purchasing_receive) &&
          <Button variant="primary" onClick={() => navigate(`/office/receiving/${encodeURIComponent(po.number)}`)}>Receive</Button>}
        <a class="button" href={purchasing.document(po.id, 'pdf')} target="_blank" rel="noopener" download={`${po.number}.pdf`}>Download PDF</a>
        <a class="button" href={purchasing.document(po.id, 'csv')} download={`${po.number}.csv`}>Download CSV</a>
        {(po.status === 'draft' || po.status === 'sent') && mayOrder &&
          <Button variant="danger" onClick={() => setCancelling(true)}>Cancel order</Button>}
        {receivable(po.status) && can(session, permission.purchasing_close) && <Button variant="danger" onClick={() => setClosing(true)}>Close short</Button>}
      </div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {cancelling && <Dialog title={`Cancel order ${po.number}?`} onClose={() => setCancelling(false)}>
        <p>{po.status === 'sent' ? 'The supplier has this order already: tell them it is cancelled.' : 'The draft is kept, marked cancelled.'}</p>
        <div class="row">
          <Button variant="danger" onClick={() => { setCancelling(false); void act(() => purchasing.cancelOrder(po.id), `Order ${po.number} cancelled.`); }}>Cancel the order</Button>
          <Button onClick={() => setCancelling(false)}>Keep it</Button>
        </div>
      </Dialog>}
      {closing && <CloseShort order={po} onClose={() => setClosing(false)} onClosed={(next) => { setClosing(false); onChanged(next); setMsg({ kind: 'ok', text: `Order ${po.number} closed short.` }); }} />}
    </div>
  );
}

/** Closes an order that will never arrive in full: what is still open is cancelled, with a reason. */
export function CloseShort({ order, onClose, onClosed }: { order: PurchaseOrder; onClose: () => void; onClosed: (po: PurchaseOrder) => void }) {
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const openUnits = order.lines.reduce((s, l) => s + open(l), 0);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) { setMsg('Say why the rest will not come.'); return; }
    try { onClosed(await purchasing.closeOrder(order.id, reason.trim())); } catch (x) { setMsg(message(x)); }
  };
  return (
    <Dialog title={`Close order ${order.number} short`} onClose={onClose}>
      <form onSubmit={submit}>
        <p>{qty(openUnits)} unit{openUnits === 1 ? '' : 's'} still open will be cancelled.</p>
        <Field label="Reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="e.g. out of stock at the supplier" />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="danger" big>Close short</Button>
      </form>
    </Dialog>
  );
}
