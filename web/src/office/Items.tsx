// Items: search, edit (locked fields per role), barcodes, kits, variants, stock, price requests.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, catalog, type Item, type ItemInput, type ItemPatch, type Location, message, permission, sentToHeadOffice, setup, stock, type TaxCategories } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, qty } from '../shared/format';
import { ItemPhoto, ItemShelves } from './ItemPlace';
import { ItemSearch } from './ItemSearch';
import { locationName, useItemNames, useLoad, useLocations } from './useLoad';

const lockedFields = ['price', 'cost', 'tax_category'];
type Form = Record<'name' | 'description' | 'category' | 'brand' | 'status' | 'price' | 'cost' | 'tax_category', string>;
const textFields = ['name', 'description', 'category', 'brand', 'status'] as const;

const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`;
/** "Standard (21 %)" for a category code. */
function categoryText(cats: TaxCategories | null, code: string): string {
  const c = cats?.tax_categories.find((x) => x.code === code);
  return c ? `${c.name} (${percent(c.rate)})` : code;
}
function taxOptions(cats: TaxCategories | null, current: string): [string, string][] {
  const list: [string, string][] = (cats?.tax_categories ?? []).map((c) => [c.code, categoryText(cats, c.code)]);
  if (current && !list.some(([code]) => code === current)) list.push([current, current]);
  return [['', 'None: the store’s default'], ...list];
}
/** Defect 5: an item without a category sells at the selling store's default, else the shop's. */
export function inheritedTaxText(cats: TaxCategories | null, stores: Location[]): string {
  const shop = cats?.default_tax_category ?? '';
  const own = stores.filter((l) => l.sellable && l.default_tax_category && l.default_tax_category !== shop)
    .map((l) => `${l.name}: ${categoryText(cats, l.default_tax_category ?? '')}`);
  return `No tax category of its own: it sells at the store’s default tax category, ${categoryText(cats, shop)}` +
    (own.length ? ` (${own.join('; ')})` : '') + '.';
}

export function Items({ session }: { session: Session }) {
  const [item, setItem] = useState<{ id: string } | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div class="row spread"><h1>Items</h1>{can(session, permission.items_create) && <Button onClick={() => setCreating(true)}>New item</Button>}</div>
      {item ? <ItemEditor session={session} id={item.id} onBack={() => setItem(null)} onOpen={setItem} /> : <ItemSearch onPick={setItem} />}
      {creating && <CreateItem onClose={() => setCreating(false)} onCreated={(i) => { setCreating(false); setItem(i); }} />}
    </section>
  );
}

function ItemEditor({ session, id, onBack, onOpen }: { session: Session; id: string; onBack: () => void; onOpen: (i: { id: string }) => void }) {
  const [item, err, reload] = useLoad(() => catalog.item(id), [id]);
  const [form, setForm] = useState<Form | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [variants] = useLoad(() => (item?.kind === 'parent' ? catalog.search({ parent_id: id, limit: 50 }).then((r) => r.items) : Promise.resolve([])), [item?.kind, id]);
  const [stockView] = useLoad(() => stock.ofItem(id).catch(() => null), [id]);
  const locations = useLocations();
  const [cats] = useLoad(() => setup.taxCategories(), []);
  const componentNames = useItemNames(item?.kit?.components.map((c) => c.item_id) ?? []);
  const [newCode, setNewCode] = useState('');
  const [priceReq, setPriceReq] = useState({ price: '', reason: '', promotion: false, startsOn: '', endsOn: '' });
  useEffect(() => {
    if (item) setForm({
      name: item.name, description: item.description ?? '', category: item.category ?? '', brand: item.brand ?? '', status: item.status,
      price: item.price === null ? '' : money(item.price), cost: item.cost === null || item.cost === undefined ? '' : money(item.cost), tax_category: item.tax_category ?? '',
    });
  }, [item]);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!item || !form) return <p aria-busy="true">Loading…</p>;
  const mayEdit = can(session, permission.items_update);
  const mayLocked = can(session, permission.items_locked_fields);
  const readOnly = (f: string) => !mayEdit || (lockedFields.includes(f) && !mayLocked);
  const save = async (e: Event) => {
    e.preventDefault();
    const change: ItemPatch = {};
    for (const f of textFields) if (form[f] !== (item[f] ?? '')) change[f] = form[f];
    const moneyText = (v: number | null | undefined) => (v === null || v === undefined ? '' : money(v));
    for (const f of ['price', 'cost'] as const) if (!readOnly(f) && form[f] !== moneyText(item[f])) change[f] = form[f] === '' ? null : parseMoney(form[f]);
    if (!readOnly('tax_category') && form.tax_category !== (item.tax_category ?? '')) change.tax_category = form.tax_category;
    if (!Object.keys(change).length) { setMsg({ kind: 'ok', text: 'Nothing changed.' }); return; }
    try {
      const answer = await catalog.update(id, change, item.version);
      setMsg({ kind: 'ok', text: sentToHeadOffice(answer) ? 'Sent to head office for approval: nothing changes here until head office applies it.' : 'Saved.' });
      reload();
    } catch (x) {
      setMsg({ kind: 'error', text: x instanceof ApiError && x.code === 'precondition_failed' ? 'Someone else changed this item: reload it.' : message(x) });
    }
  };
  const addCode = async () => {
    try {
      const answer = await catalog.addBarcode(id, newCode.trim() ? { code: newCode.trim() } : { internal: true });
      if (sentToHeadOffice(answer)) setMsg({ kind: 'ok', text: 'Sent to head office for approval.' });
      setNewCode('');
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const removeCode = async (code: string) => {
    try {
      const answer = await catalog.removeBarcode(id, code);
      if (sentToHeadOffice(answer)) setMsg({ kind: 'ok', text: 'Sent to head office for approval.' });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const requestPrice = async (e: Event) => {
    e.preventDefault();
    const p = parseMoney(priceReq.price);
    if (p === null) { setMsg({ kind: 'error', text: 'Type the new price like 2.49.' }); return; }
    try {
      const body: Parameters<typeof catalog.requestPrice>[0] = { item_id: id, price: p, reason: priceReq.reason };
      // "Starts on" is the first day (from its midnight, UTC); empty = as soon as it is approved.
      if (priceReq.startsOn) body.effective_at = `${priceReq.startsOn}T00:00:00Z`;
      if (priceReq.promotion) {
        body.promotion = true;
        // "Ends on" is the promotion's last day: the price goes back at the start of the next.
        if (priceReq.endsOn) body.ends_at = new Date(Date.parse(`${priceReq.endsOn}T00:00:00Z`) + 86_400_000).toISOString();
      }
      const answer = await catalog.requestPrice(body);
      setMsg({ kind: 'ok', text: sentToHeadOffice(answer) ? 'Sent to head office for approval.' : 'Price change requested: someone else approves it.' });
      setPriceReq({ price: '', reason: '', promotion: false, startsOn: '', endsOn: '' });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const inherits = item.tax_category_source === 'shop_default';
  const taxLocked = readOnly('tax_category');
  const field = (f: keyof Form, label: string, hint?: string) => (
    <Field label={label} value={form[f]} readOnly={readOnly(f)} aria-readonly={readOnly(f)}
      hint={readOnly(f) && mayEdit && lockedFields.includes(f) ? 'Locked for your role' + (f === 'price' ? ': request a price change below' : '') : hint}
      onInput={(e) => setForm({ ...form, [f]: e.currentTarget.value })} />
  );
  return (
    <div class="editor">
      <div class="row"><Button onClick={onBack}>Back to search</Button><h2>{item.name} <span class="muted">{item.sku} · {item.kind} · v{item.version}</span></h2></div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {inherits && <Notice kind="info">{inheritedTaxText(cats, locations)}</Notice>}
      <form onSubmit={save} class="grid2" aria-label="Item details">
        {field('name', 'Name')}{field('category', 'Category')}{field('brand', 'Brand')}{field('status', 'Status')}
        {field('price', 'Price')}{field('cost', 'Cost')}{taxLocked
          ? <Field label="Tax category" readOnly aria-readonly value={form.tax_category ? categoryText(cats, form.tax_category) : 'None: the store’s default'}
            hint={mayEdit ? 'Locked for your role' : undefined} />
          : <Select label="Tax category" value={form.tax_category} options={taxOptions(cats, form.tax_category)}
            onChange={(e) => setForm({ ...form, tax_category: e.currentTarget.value })} />}{field('description', 'Description')}
        {mayEdit && <div><Button type="submit" variant="primary">Save item</Button></div>}
      </form>
      <div class="grid2 item-place">
        <ItemPhoto id={id} name={item.name} mayEdit={mayEdit} />
        {item.kind !== 'parent' && <ItemShelves id={id} mayEdit={mayEdit} />}
      </div>
      <h3>Barcodes</h3>
      <DataTable name="Barcodes" rows={item.barcodes} columns={[['code', (b) => b.code], ['pack quantity', (b) => qty(b.pack_quantity), true], ['kind', (b) => b.kind ?? '—']]}
        actions={can(session, permission.items_barcodes) ? (b) => <Button onClick={() => removeCode(b.code)} aria-label={`Remove barcode ${b.code}`}>Remove</Button> : undefined} />
      {can(session, permission.items_barcodes) && <div class="row"><Field label="New barcode" value={newCode} onInput={(e) => setNewCode(e.currentTarget.value)} hint="Empty issues an internal code" /><Button onClick={addCode}>Add barcode</Button></div>}
      {item.kit && (<><h3>Kit ({item.kit.consumes})</h3>
        <DataTable name="Kit components" rows={item.kit.components}
          columns={[['item', (c) => componentNames[c.item_id] ?? '…'], ['quantity', (c) => qty(c.quantity), true]]}
          actions={(c) => <Button onClick={() => onOpen({ id: c.item_id })} aria-label={`Open ${componentNames[c.item_id] ?? 'component'}`}>Open</Button>} /></>)}
      {item.parent_id && <p>Variant of <Button variant="quiet" onClick={() => item.parent_id && onOpen({ id: item.parent_id })}>its parent</Button> · options {Object.entries(item.options ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ')}</p>}
      {variants && variants.length > 0 && (<><h3>Variants</h3><DataTable name="Variants" rows={variants}
        columns={[['sku', (r) => r.sku], ['name', (r) => r.name], ['options', (r) => Object.values(r.options ?? {}).map(String).join(' / ')], ['price', (r) => money(r.price), true]]}
        actions={(r) => <Button onClick={() => onOpen(r)} aria-label={`Open ${r.name}`}>Open</Button>} /></>)}
      {stockView?.locations && (<><h3>Stock</h3><DataTable name="Stock by location" rows={stockView.locations}
        columns={[['location', (r) => locationName(locations, r.location_id)], ['on hand', (r) => qty(r.on_hand), true], ['reserved', (r) => qty(r.reserved), true], ['available', (r) => qty(r.available), true]]} /></>)}
      {can(session, permission.prices_request) && (
        <form class="row" onSubmit={requestPrice} aria-label="Request a price change">
          <Field label="New price" value={priceReq.price} onInput={(e) => setPriceReq({ ...priceReq, price: e.currentTarget.value })} />
          <Field label="Price change reason" value={priceReq.reason} onInput={(e) => setPriceReq({ ...priceReq, reason: e.currentTarget.value })} />
          <Field label="Starts on" type="date" value={priceReq.startsOn} hint="Empty: as soon as it is approved"
            onInput={(e) => setPriceReq({ ...priceReq, startsOn: e.currentTarget.value })} />
          <label class="check"><input type="checkbox" checked={priceReq.promotion} onChange={(e) => setPriceReq({ ...priceReq, promotion: e.currentTarget.checked })} /> Promotion</label>
          {priceReq.promotion && <Field label="Ends on" type="date" value={priceReq.endsOn} hint="Its last day: the price goes back the next morning"
            onInput={(e) => setPriceReq({ ...priceReq, endsOn: e.currentTarget.value })} />}
          <Button type="submit">Request price change</Button>
        </form>
      )}
    </div>
  );
}

function CreateItem({ onClose, onCreated }: { onClose: () => void; onCreated: (i: Item) => void }) {
  const [f, setF] = useState({ sku: '', name: '', price: '', tax_category: '', unit: 'each', category: '', barcode: '' });
  const [msg, setMsg] = useState('');
  const [sent, setSent] = useState('');
  const [cats] = useLoad(() => setup.taxCategories(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body: ItemInput = { sku: f.sku, name: f.name, price: f.price ? parseMoney(f.price) : null, tax_category: f.tax_category, unit: f.unit, category: f.category };
      if (f.barcode) body.barcodes = [{ code: f.barcode }];
      const answer = await catalog.create(body);
      // A store node keeps no new item: it asks head office, whose feed brings the item back.
      if (sentToHeadOffice(answer)) { setMsg(''); setSent('Sent to head office for approval: the item appears here once head office applies it.'); return; }
      onCreated(answer);
    } catch (x) { setMsg(message(x)); }
  };
  const fld = (k: keyof typeof f, label: string) => <Field label={label} value={f[k]} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} />;
  return (
    <Dialog title="New item" onClose={onClose}>
      <form onSubmit={submit}>
        {fld('sku', 'SKU')}{fld('name', 'Name')}{fld('price', 'Price')}{fld('category', 'Category')}<Select label="Tax category" value={f.tax_category} options={taxOptions(cats, f.tax_category)} onChange={(e) => setF({ ...f, tax_category: e.currentTarget.value })} />{fld('unit', 'Unit')}{fld('barcode', 'Barcode')}
        {msg && <Notice kind="error">{msg}</Notice>}
        {sent && <Notice kind="ok">{sent}</Notice>}
        <Button type="submit" variant="primary">Create item</Button>
      </form>
    </Dialog>
  );
}
