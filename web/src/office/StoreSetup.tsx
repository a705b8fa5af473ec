// Store set-up: each store's receipt header and footer and default tax category, its
// registers, the shop's tax categories and rates, the discount limit of each role, and the
// scale-label layouts (BarcodeSetup.tsx).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Location, message, permission, type Role, sentToHeadOffice, settings, setup, type TaxCategories } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, qty, words } from '../shared/format';
import { BarcodeSetup } from './BarcodeSetup';
import { useLoad, useLocations } from './useLoad';

type Msg = { kind: 'ok' | 'error'; text: string } | null;
const percent = (bp: number | null | undefined) => (bp === null || bp === undefined ? 'no limit' : `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`);
/** "21" / "5.5" / "7,25" → basis points, or null. */
function parsePercent(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) return null;
  const bp = Math.round(Number(t) * 100);
  return bp <= 10000 ? bp : null;
}

export function StoreSetup({ session }: { session: Session }) {
  const stores = useLocations().filter((l) => l.sellable);
  const [storeId, setStoreId] = useState('');
  useEffect(() => { if (!storeId && stores[0]) setStoreId(stores[0].id); }, [stores.length]);
  return (
    <section>
      <h1>Store set-up</h1>
      {stores.length > 1 && <Select label="Store" value={storeId} onChange={(e) => setStoreId(e.currentTarget.value)} options={stores.map((s) => [s.id, s.name])} />}
      {storeId && <StoreDetails key={storeId} id={storeId} />}
      {storeId && <StoreRegisters key={`r${storeId}`} locationId={storeId} />}
      <TaxCategoriesPanel mayEdit={can(session, permission.settings_write)} />
      {can(session, permission.settings_write) && <AdjustmentLimits />}
      {can(session, permission.settings_write) && <BarcodeSetup />}
      {can(session, permission.users_manage) && <DiscountLimits mayEdit={can(session, permission.roles_manage)} />}
    </section>
  );
}

function StoreDetails({ id }: { id: string }) {
  const [loc, err] = useLoad(() => setup.location(id), [id]);
  const [cats] = useLoad(() => setup.taxCategories(), []);
  if (err) return <Notice kind="error">{err}</Notice>;
  // The form starts from the loaded store, so nothing typed is overwritten by a late load.
  if (!loc || !cats) return <p aria-busy="true">Loading the store…</p>;
  return <StoreForm loc={loc} cats={cats} />;
}

function StoreForm({ loc, cats }: { loc: Location; cats: TaxCategories }) {
  const [f, setF] = useState({
    name: loc.name, shop_name: loc.receipt?.shop_name ?? '', address: loc.receipt?.address ?? '', tax_number: loc.receipt?.tax_number ?? '',
    footer: loc.receipt?.footer ?? '', default_tax_category: loc.default_tax_category ?? '',
  });
  const [msg, setMsg] = useState<Msg>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await setup.patchLocation(loc.id, {
        name: f.name, receipt: { shop_name: f.shop_name, address: f.address, tax_number: f.tax_number, footer: f.footer },
        default_tax_category: f.default_tax_category || null,
      });
      setMsg({ kind: 'ok', text: 'Store saved: receipts print it from now on.' });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const fld = (k: keyof typeof f, label: string, hint?: string) => <Field label={label} value={f[k]} hint={hint} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} />;
  const shopDefault = cats.tax_categories.find((c) => c.code === cats.default_tax_category);
  return (
    <form class="grid2" onSubmit={save} aria-label="Store details">
      <h2 class="span2">{f.name || loc.name}</h2>
      {fld('name', 'Store name')}{fld('shop_name', 'Name on receipts')}
      {fld('address', 'Address on receipts')}{fld('tax_number', 'Tax / VAT number', 'Printed as “VAT no. …”')}
      {fld('footer', 'Receipt footer', 'Return policy, thanks')}
      <Select label="Default tax category" value={f.default_tax_category} onChange={(e) => setF({ ...f, default_tax_category: e.currentTarget.value })}
        options={[['', `Shop default${shopDefault ? ` (${shopDefault.name}, ${percent(shopDefault.rate)})` : ''}`], ...cats.tax_categories.map((c) => [c.code, `${c.name} (${percent(c.rate)})`] as [string, string])]} />
      <div><Button type="submit" variant="primary">Save store</Button></div>
      {msg && <div class="span2"><Notice kind={msg.kind}>{msg.text}</Notice></div>}
    </form>
  );
}

function StoreRegisters({ locationId }: { locationId: string }) {
  const [regs, err, reload] = useLoad(() => setup.registers(locationId), [locationId]);
  const [f, setF] = useState({ name: '', width: '80' });
  const [msg, setMsg] = useState<Msg>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    if (!f.name.trim()) { setMsg({ kind: 'error', text: 'Give the register a name, like “Till 2”.' }); return; }
    try {
      const r = await setup.createRegister({ name: f.name.trim(), location_id: locationId, printer_width: f.width === '58' ? 58 : 80 });
      setMsg({ kind: 'ok', text: `Register ${r.name} set up.` });
      setF({ ...f, name: '' });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div>
      <h2>Registers</h2>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Registers of the store" rows={regs ?? []}
        columns={[['name', (r) => r.name], ['receipt prefix', (r) => r.id], ['paper', (r) => `${r.printer_width} mm`]]} />
      <form class="row" onSubmit={add} aria-label="Add a register">
        <Field label="New register name" value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
        <Select label="Receipt paper" value={f.width} onChange={(e) => setF({ ...f, width: e.currentTarget.value })} options={[['80', '80 mm'], ['58', '58 mm']]} />
        <Button type="submit">Add register</Button>
      </form>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}

function TaxCategoriesPanel({ mayEdit }: { mayEdit: boolean }) {
  const [cats, err, reload] = useLoad(() => setup.taxCategories(), []);
  const [f, setF] = useState({ code: '', name: '', rate: '', isDefault: false });
  const [msg, setMsg] = useState<Msg>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const rate = parsePercent(f.rate);
    if (!/^[a-z0-9_-]{1,40}$/.test(f.code)) { setMsg({ kind: 'error', text: 'The code is lower-case letters, digits, - or _, like “reduced”.' }); return; }
    if (rate === null) { setMsg({ kind: 'error', text: 'Type the rate in percent, like 21 or 5.5.' }); return; }
    try {
      const answer = await setup.putTaxCategory(f.code, { name: f.name || f.code, rate, default: f.isDefault || undefined });
      setMsg({ kind: 'ok', text: sentToHeadOffice(answer) ? `Tax category ${f.name || f.code} sent to head office for approval.` : `Tax category ${f.name || f.code} saved.` });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div>
      <h2>Tax categories</h2>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Tax categories" rows={cats?.tax_categories ?? []}
        columns={[['code', (c) => c.code], ['name', (c) => c.name], ['rate', (c) => percent(c.rate), true], ['shop default', (c) => (c.default ? 'yes' : '')]]}
        actions={mayEdit ? (c) => <Button onClick={() => setF({ code: c.code, name: c.name, rate: String(c.rate / 100), isDefault: c.default })} aria-label={`Change ${c.name}`}>Change</Button> : undefined} />
      {mayEdit && (
        <form class="row" onSubmit={save} aria-label="Tax category">
          <Field label="Tax code" value={f.code} onInput={(e) => setF({ ...f, code: e.currentTarget.value })} />
          <Field label="Tax name" value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
          <Field label="Rate (%)" inputMode="decimal" value={f.rate} onInput={(e) => setF({ ...f, rate: e.currentTarget.value })} />
          <label class="check"><input type="checkbox" checked={f.isDefault} onChange={(e) => setF({ ...f, isDefault: e.currentTarget.checked })} /> Shop default</label>
          <Button type="submit">Save tax category</Button>
        </form>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}

function DiscountLimits({ mayEdit }: { mayEdit: boolean }) {
  const [roles, err, reload] = useLoad(() => setup.roles(), []);
  const [edit, setEdit] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<Msg>(null);
  const save = async (name: string) => {
    const text = (edit[name] ?? '').trim();
    const bp = text === '' ? null : parsePercent(text);
    if (text !== '' && bp === null) { setMsg({ kind: 'error', text: 'Type the limit in percent, like 10, or leave it empty for no limit.' }); return; }
    try { await setup.setDiscountLimit(name, bp); setMsg({ kind: 'ok', text: `${words(name)}: discount limit ${percent(bp)}.` }); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div>
      <h2>Discount limits</h2>
      <p class="muted">Above its limit a role needs a manager's approval for a discount.</p>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Discount limits" rows={roles ?? []}
        columns={[['role', (r) => words(r.name)], ['limit', (r) => percent(r.limits?.discount_basis_points_max)],
          ...(mayEdit ? [['new limit (%)', (r) => <input class="qty-input" inputMode="decimal" aria-label={`Discount limit of ${words(r.name)}`} value={edit[r.name] ?? ''}
            onInput={(e) => setEdit({ ...edit, [r.name]: e.currentTarget.value })} />] as [string, (r: Role) => ComponentChildren]] : [])]}
        actions={mayEdit ? (r) => <Button onClick={() => save(r.name)} aria-label={`Save discount limit of ${words(r.name)}`}>Save</Button> : undefined} />
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}

/** Above these a stock adjustment asks for confirmation and a reason code (below zero always does). */
function AdjustmentLimits() {
  const [limits, err] = useLoad(() => settings.stock(), []);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!limits) return <p aria-busy="true">Loading…</p>;
  return <AdjustmentLimitsForm quantity={limits.adjustment_confirm_quantity} value={limits.adjustment_confirm_value} />;
}

function AdjustmentLimitsForm({ quantity, value }: { quantity: number | null; value: number | null }) {
  const [f, setF] = useState({ quantity: quantity === null ? '' : qty(quantity), value: value === null ? '' : money(value) });
  const [msg, setMsg] = useState<Msg>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const q = f.quantity.trim() === '' ? null : Number(f.quantity.trim().replace(',', '.'));
    const v = f.value.trim() === '' ? null : parseMoney(f.value);
    if (q !== null && (!Number.isFinite(q) || q < 0)) { setMsg({ kind: 'error', text: 'Type a number of units, or leave it empty for no limit.' }); return; }
    if (f.value.trim() !== '' && v === null) { setMsg({ kind: 'error', text: 'Type an amount like 250.00, or leave it empty for no limit.' }); return; }
    try {
      const answer = await settings.putStock({ adjustment_confirm_quantity: q, adjustment_confirm_value: v });
      // On a store node the limits are head office's: the change waits for head office (docs/sync.md).
      setMsg({ kind: 'ok', text: sentToHeadOffice(answer) ? 'Sent to head office for approval: the limits here change once head office applies it.' : 'Adjustment limits saved.' });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div>
      <h2>Stock adjustments</h2>
      <p class="muted">An adjustment past these limits, or one that takes on-hand below zero, asks for confirmation with a reason code and is flagged.</p>
      <form class="row" onSubmit={save} aria-label="Adjustment limits">
        <Field label="Confirm above (units)" inputMode="decimal" value={f.quantity} hint="empty = no limit" onInput={(e) => setF({ ...f, quantity: e.currentTarget.value })} />
        <Field label="Confirm above (value)" inputMode="decimal" value={f.value} hint="at cost; empty = no limit" onInput={(e) => setF({ ...f, value: e.currentTarget.value })} />
        <Button type="submit">Save limits</Button>
      </form>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
