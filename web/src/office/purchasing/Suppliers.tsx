// Suppliers: find, create and edit; what we buy from each (supplier items, added by scan or
// search, or a whole price list from CSV with a report of every bad row); bank details shown
// masked, and a change to them waits for a second person's approval (separation of duties).
import { useEffect, useState } from 'preact/hooks';
import {
  ApiError, type Item, message, type PaymentDetails, type PriceListError, permission, purchasing, type Supplier,
  type SupplierChange, type SupplierImportReport, type SupplierInput, type Weekday,
} from '../../api';
import { can, type Session } from '../../app/session';
import { Button, DataTable, Dialog, Field, Notice, yesNo } from '../../shared/components';
import { CsvImport } from '../../shared/CsvImport';
import { money, parseMoney, qty, when } from '../../shared/format';
import { useItemNames, useLoad } from '../useLoad';
import { isMe, ItemPicker, personName, useSupplierNames } from './common';

const weekdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
type Msg = { kind: 'ok' | 'error' | 'warn' | 'info'; text: string } | null;

interface Form { name: string; email: string; phone: string; lead: string; leadSd: string; days: Weekday[]; minOrder: string; freeFreight: string }
const emptyForm: Form = { name: '', email: '', phone: '', lead: '', leadSd: '', days: [], minOrder: '', freeFreight: '' };
const formOf = (s: Supplier): Form => ({
  name: s.name, email: s.contact?.email ?? '', phone: s.contact?.phone ?? '',
  lead: s.lead_time_days === null || s.lead_time_days === undefined ? '' : String(s.lead_time_days),
  leadSd: s.lead_time_sd_days === null || s.lead_time_sd_days === undefined ? '' : String(s.lead_time_sd_days),
  days: s.order_days ?? [], minOrder: s.min_order_value === null || s.min_order_value === undefined ? '' : money(s.min_order_value),
  freeFreight: s.free_freight_value === null || s.free_freight_value === undefined ? '' : money(s.free_freight_value),
});
/** The form as the API's body, or the first thing a person must fix. */
function bodyOf(f: Form): SupplierInput | string {
  if (!f.name.trim()) return 'Type the supplier’s name.';
  const num = (t: string) => (t.trim() === '' ? null : Number(t.replace(',', '.')));
  const lead = num(f.lead);
  const leadSd = num(f.leadSd);
  if (lead !== null && !(lead >= 0)) return 'Lead time is a number of days.';
  if (leadSd !== null && !(leadSd >= 0)) return 'Lead time spread is a number of days.';
  const minOrder = f.minOrder.trim() ? parseMoney(f.minOrder) : null;
  const freeFreight = f.freeFreight.trim() ? parseMoney(f.freeFreight) : null;
  if (f.minOrder.trim() && minOrder === null) return 'Minimum order value is an amount like 250.00.';
  if (f.freeFreight.trim() && freeFreight === null) return 'Free freight value is an amount like 500.00.';
  return {
    name: f.name.trim(), contact: { email: f.email.trim(), phone: f.phone.trim() }, lead_time_days: lead, lead_time_sd_days: leadSd,
    order_days: f.days, min_order_value: minOrder, free_freight_value: freeFreight,
  };
}

const paymentText = (p: PaymentDetails | null | undefined) =>
  !p || (!p.iban && !p.account_name) ? 'none on file' : [p.account_name, p.iban, p.bic].filter(Boolean).join(' · ');

export function Suppliers({ session }: { session: Session }) {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [list, err, reload] = useLoad(() => purchasing.suppliers({ q: search, limit: 50 }), [search]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  /** Bumped when this screen filed a bank-details change, so the approval list reloads. */
  const [filed, setFiled] = useState(0);
  const mayManage = can(session, permission.suppliers_manage);
  return (
    <section>
      <div class="row spread"><h1>Suppliers</h1>{mayManage && <Button onClick={() => setCreating(true)}>New supplier</Button>}</div>
      {(mayManage || can(session, permission.suppliers_payment_approve)) && <PaymentChanges session={session} filed={filed} />}
      {openId ? <SupplierCard key={openId} session={session} id={openId} onFiled={() => setFiled((n) => n + 1)} onBack={() => { setOpenId(null); reload(); }} /> : <>
        <form class="row" onSubmit={(e) => { e.preventDefault(); setSearch(q.trim()); }}>
          <Field label="Find a supplier" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="name" />
          <Button type="submit">Search</Button>
        </form>
        {err && <Notice kind="error">{err}</Notice>}
        <DataTable name="Suppliers" rows={list?.suppliers ?? []}
          columns={[['name', (s) => s.name], ['contact', (s) => [s.contact?.email, s.contact?.phone].filter(Boolean).join(' · ') || '—'],
            ['lead time', (s) => (s.lead_time_days === null || s.lead_time_days === undefined ? '—' : `${qty(s.lead_time_days)} days`)],
            ['order days', (s) => (s.order_days?.length ? s.order_days.join(', ') : 'any day')],
            ['min. order', (s) => money(s.min_order_value), true], ['free freight from', (s) => money(s.free_freight_value), true]]}
          actions={(s) => <Button onClick={() => setOpenId(s.id)} aria-label={`Open ${s.name}`}>Open</Button>} />
        {mayManage && <SupplierImport onImported={() => { setFiled((n) => n + 1); reload(); }} />}
      </>}
      {creating && <CreateSupplier onClose={() => setCreating(false)} onCreated={(s) => { setCreating(false); setOpenId(s.id); setFiled((n) => n + 1); reload(); }} />}
    </section>
  );
}

const suppliersOf = (n: number) => `${n} supplier${n === 1 ? '' : 's'}`;

/** The shop's supplier list from its spreadsheet, checked first; bank details in it wait for approval. */
function SupplierImport({ onImported }: { onImported: () => void }) {
  const existing = (r: SupplierImportReport) => (r.existing ? `, ${r.existing} already here (left as they are)` : '');
  const bank = (r: SupplierImportReport) => (r.bank_details_pending ? ` Bank details of ${suppliersOf(r.bank_details_pending)} wait for a second person’s approval.` : '');
  return (
    <CsvImport<SupplierImportReport, SupplierImportReport['lines'][number]> name="Import suppliers" id="supplier-file" label="Suppliers from a spreadsheet (CSV)"
      hint="Columns: name, and any of email, phone, lead_time_days, order_days (mon thu), min_order_value, free_freight_value, iban, bic, account_name."
      send={async (csv, dryRun) => { const r = await purchasing.importSuppliers(csv, dryRun); if (r.applied) onImported(); return r; }}
      lines={(r) => r.lines}
      columns={[['line', (r) => String(r.line), true], ['supplier', (r) => r.name], ['status', (r) => (r.action === 'create' ? 'new' : 'already here')],
        ['bank details', (r) => (r.bank_details_pending ? 'wait for approval' : '—')]]}
      checked={(r) => `${r.rows} row${r.rows === 1 ? '' : 's'} checked — ${suppliersOf(r.creating)} to create${existing(r)}.${bank(r)}`}
      action={(r) => (r.creating ? `Import ${suppliersOf(r.creating)}` : null)}
      done={(r) => `Imported: ${suppliersOf(r.creating)} created${existing(r)}.${bank(r)}`} />
  );
}

function SupplierFields({ form, set }: { form: Form; set: (f: Form) => void }) {
  const toggle = (d: Weekday) => set({ ...form, days: form.days.includes(d) ? form.days.filter((x) => x !== d) : weekdays.filter((x) => x === d || form.days.includes(x)) });
  return (
    <div class="grid2">
      <Field label="Name" value={form.name} onInput={(e) => set({ ...form, name: e.currentTarget.value })} />
      <Field label="Email" type="email" value={form.email} onInput={(e) => set({ ...form, email: e.currentTarget.value })} />
      <Field label="Phone" type="tel" value={form.phone} onInput={(e) => set({ ...form, phone: e.currentTarget.value })} />
      <Field label="Lead time (days)" inputMode="decimal" value={form.lead} onInput={(e) => set({ ...form, lead: e.currentTarget.value })} />
      <Field label="Lead time spread (days)" inputMode="decimal" value={form.leadSd} hint="How many days early or late deliveries usually are"
        onInput={(e) => set({ ...form, leadSd: e.currentTarget.value })} />
      <Field label="Minimum order value" inputMode="decimal" value={form.minOrder} onInput={(e) => set({ ...form, minOrder: e.currentTarget.value })} />
      <Field label="Free freight from" inputMode="decimal" value={form.freeFreight} onInput={(e) => set({ ...form, freeFreight: e.currentTarget.value })} />
      <fieldset class="span2 days">
        <legend>Order days</legend>
        {weekdays.map((d) => <label class="check"><input type="checkbox" checked={form.days.includes(d)} onChange={() => toggle(d)} /> {d}</label>)}
      </fieldset>
    </div>
  );
}

function CreateSupplier({ onClose, onCreated }: { onClose: () => void; onCreated: (s: Supplier) => void }) {
  const [form, setForm] = useState<Form>(emptyForm);
  const [pay, setPay] = useState({ iban: '', bic: '', account_name: '' });
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(form);
    if (typeof body === 'string') { setMsg(body); return; }
    const payment = pay.iban.trim() || pay.account_name.trim()
      ? { iban: pay.iban.replace(/\s+/g, ''), bic: pay.bic.trim(), account_name: pay.account_name.trim() } : undefined;
    try {
      const r = await purchasing.createSupplier({ ...body, ...(payment ? { payment } : {}) });
      const created = 'change_id' in r ? r.supplier : r;
      if (created) onCreated(created);
      else setMsg('Created; find it in the list.');
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <Dialog title="New supplier" onClose={onClose} wide>
      <form onSubmit={submit}>
        <SupplierFields form={form} set={setForm} />
        <h3>Bank details</h3>
        <div class="grid2">
          <Field label="Account name" value={pay.account_name} onInput={(e) => setPay({ ...pay, account_name: e.currentTarget.value })} />
          <Field label="IBAN" value={pay.iban} autocomplete="off" onInput={(e) => setPay({ ...pay, iban: e.currentTarget.value })} />
          <Field label="BIC" value={pay.bic} autocomplete="off" onInput={(e) => setPay({ ...pay, bic: e.currentTarget.value })} />
        </div>
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Create supplier</Button>
      </form>
    </Dialog>
  );
}

function SupplierCard({ session, id, onBack, onFiled }: { session: Session; id: string; onBack: () => void; onFiled: () => void }) {
  const [supplier, err, reload] = useLoad(() => purchasing.supplier(id), [id]);
  const [form, setForm] = useState<Form | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const [changingBank, setChangingBank] = useState(false);
  const mayManage = can(session, permission.suppliers_manage);
  useEffect(() => { if (supplier) setForm(formOf(supplier)); }, [supplier]);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!supplier || !form) return <p aria-busy="true">Loading…</p>;
  const save = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(form);
    if (typeof body === 'string') { setMsg({ kind: 'error', text: body }); return; }
    try { await purchasing.updateSupplier(id, body, supplier.version); setMsg({ kind: 'ok', text: 'Saved.' }); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div class="card" role="region" aria-label="Supplier">
      <div class="row spread"><h2>{supplier.name}</h2><Button onClick={onBack}>Back to the list</Button></div>
      <form onSubmit={save}>
        <fieldset disabled={!mayManage} class="plain-fieldset"><SupplierFields form={form} set={setForm} /></fieldset>
        {mayManage && <Button type="submit" variant="primary">Save supplier</Button>}
      </form>
      <h3>Bank details</h3>
      <p aria-label="Bank details">{paymentText(supplier.payment)}
        {supplier.payment?.masked && <span class="muted small"> (masked: your role does not see bank details)</span>}</p>
      {supplier.pending_payment_change && <Notice kind="warn">A change of bank details filed by {supplier.pending_payment_change.requested_by} on {when(supplier.pending_payment_change.requested_at)} waits for approval; until then the details above apply.</Notice>}
      {mayManage && <Button onClick={() => setChangingBank(true)}>Change bank details</Button>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {changingBank && <BankChange supplier={supplier} onClose={() => setChangingBank(false)}
        onFiled={() => { setChangingBank(false); onFiled(); reload(); setMsg({ kind: 'info', text: 'Bank details change filed: it applies once another person with approval rights approves it.' }); }} />}
      <SupplierItems session={session} supplier={supplier} />
    </div>
  );
}

function BankChange({ supplier, onClose, onFiled }: { supplier: Supplier; onClose: () => void; onFiled: () => void }) {
  const [pay, setPay] = useState({ iban: '', bic: '', account_name: supplier.payment?.account_name ?? '' });
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!pay.iban.trim() || !pay.account_name.trim()) { setMsg('Type the account name and the IBAN.'); return; }
    try {
      await purchasing.updateSupplier(supplier.id, { payment: { iban: pay.iban.replace(/\s+/g, ''), bic: pay.bic.trim(), account_name: pay.account_name.trim() } }, supplier.version);
      onFiled();
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <Dialog title={`New bank details for ${supplier.name}`} onClose={onClose}>
      <form onSubmit={submit}>
        <p class="muted small">The change waits until a second person approves it; until then payments go to the details on file.</p>
        <Field label="Account name" value={pay.account_name} onInput={(e) => setPay({ ...pay, account_name: e.currentTarget.value })} />
        <Field label="IBAN" value={pay.iban} autocomplete="off" onInput={(e) => setPay({ ...pay, iban: e.currentTarget.value })} />
        <Field label="BIC" value={pay.bic} autocomplete="off" onInput={(e) => setPay({ ...pay, bic: e.currentTarget.value })} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>File for approval</Button>
      </form>
    </Dialog>
  );
}

function SupplierItems({ session, supplier }: { session: Session; supplier: Supplier }) {
  const [items, err, reload] = useLoad(() => purchasing.supplierItems(supplier.id), [supplier.id]);
  const names = useItemNames((items ?? []).filter((i) => !i.name).map((i) => i.item_id));
  const [adding, setAdding] = useState<{ item: Item; code?: string; pack: number } | null>(null);
  const [report, setReport] = useState<{ kind: 'ok' | 'error'; text: string; errors: PriceListError[] } | null>(null);
  const mayManage = can(session, permission.suppliers_manage);
  const nameOf = (i: { item_id: string; name?: string | null; sku?: string | null }) => (i.name ? `${i.name}${i.sku ? ` (${i.sku})` : ''}` : names[i.item_id] ?? '…');
  const upload = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const r = await purchasing.importPriceList(supplier.id, await file.text());
      setReport({ kind: 'ok', text: `Price list imported: ${r.rows} row${r.rows === 1 ? '' : 's'} (${r.created} new, ${r.updated} changed${r.unchanged ? `, ${r.unchanged} unchanged` : ''}).`, errors: [] });
      reload();
    } catch (x) {
      const errors = x instanceof ApiError && Array.isArray(x.problem.errors) ? (x.problem.errors as PriceListError[]) : [];
      setReport({ kind: 'error', text: errors.length ? `Nothing was imported: ${errors.length} row${errors.length === 1 ? ' has a problem' : 's have problems'}.` : message(x), errors });
    } finally { input.value = ''; }
  };
  return (
    <>
      <h3>What we buy from {supplier.name}</h3>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Supplier items" rows={items ?? []}
        columns={[['item', nameOf], ['supplier SKU', (i) => i.supplier_sku ?? '—'], ['cost', (i) => money(i.cost), true], ['case pack', (i) => qty(i.case_pack), true],
          ['case barcode', (i) => i.case_gtin ?? '—'], ['min. order', (i) => qty(i.min_order_units), true], ['preferred', (i) => yesNo(i.preferred)]]} />
      {mayManage && <>
        <ItemPicker label="Add an item this supplier sells" onPick={(item, pack, code) => setAdding({ item, pack, code })} />
        <div class="field">
          <label for="price-list-file">Import a price list (CSV)</label>
          <input id="price-list-file" type="file" accept=".csv,text/csv" onChange={upload} />
          <small class="hint">Columns: supplier_sku, gtin or sku, cost, case_pack, case_gtin (min_order_units and preferred optional). All or nothing: one bad row imports nothing.</small>
        </div>
      </>}
      {report && <Notice kind={report.kind}>{report.text}</Notice>}
      {report && report.errors.length > 0 && <DataTable name="Price list problems" rows={report.errors}
        columns={[['line', (r) => String(r.line), true], ['column', (r) => r.column || '—'], ['problem', (r) => r.reason ?? r.code ?? '—']]} />}
      {adding && <AddSupplierItem supplier={supplier} item={adding.item} pack={adding.pack} code={adding.code}
        onClose={() => setAdding(null)} onAdded={() => { setAdding(null); reload(); }} />}
    </>
  );
}

function AddSupplierItem({ supplier, item, pack, code, onClose, onAdded }: {
  supplier: Supplier; item: Item; pack: number; code?: string; onClose: () => void; onAdded: () => void;
}) {
  const caseCode = code && pack > 1 ? code : '';
  const [f, setF] = useState({ supplier_sku: '', cost: item.cost ? money(item.cost) : '', case_pack: String(pack > 1 ? pack : 1), case_gtin: caseCode, min_order_units: '', preferred: true });
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const cost = parseMoney(f.cost);
    const casePack = Number(f.case_pack);
    if (cost === null) { setMsg('Cost is an amount like 1.25.'); return; }
    if (!(casePack >= 1) || !Number.isInteger(casePack)) { setMsg('Case pack is a whole number of units, 1 or more.'); return; }
    const min = f.min_order_units.trim() ? Number(f.min_order_units) : undefined;
    try {
      await purchasing.addSupplierItem(supplier.id, {
        item_id: item.id, supplier_sku: f.supplier_sku.trim(), cost, case_pack: casePack, preferred: f.preferred,
        ...(f.case_gtin.trim() ? { case_gtin: f.case_gtin.trim() } : {}), ...(min !== undefined ? { min_order_units: min } : {}),
      });
      onAdded();
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <Dialog title={`${item.name} from ${supplier.name}`} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Supplier SKU" value={f.supplier_sku} onInput={(e) => setF({ ...f, supplier_sku: e.currentTarget.value })} />
        <Field label="Cost per unit" inputMode="decimal" value={f.cost} onInput={(e) => setF({ ...f, cost: e.currentTarget.value })} />
        <Field label="Case pack" inputMode="numeric" value={f.case_pack} onInput={(e) => setF({ ...f, case_pack: e.currentTarget.value })} />
        <Field label="Case barcode (GTIN-14)" inputMode="numeric" value={f.case_gtin} onInput={(e) => setF({ ...f, case_gtin: e.currentTarget.value })} />
        <Field label="Minimum order (units)" inputMode="numeric" value={f.min_order_units} onInput={(e) => setF({ ...f, min_order_units: e.currentTarget.value })} />
        <label class="check"><input type="checkbox" checked={f.preferred} onChange={(e) => setF({ ...f, preferred: e.currentTarget.checked })} /> Preferred supplier of this item</label>
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Add item</Button>
      </form>
    </Dialog>
  );
}

/** Bank-detail changes waiting for a second person; who filed one sees why they cannot approve it. */
function PaymentChanges({ session, filed }: { session: Session; filed: number }) {
  const [changes, err, reload] = useLoad(() => purchasing.changes('pending'), [filed]);
  const supplierNames = useSupplierNames((changes ?? []).map((c) => c.supplier_id));
  const [msg, setMsg] = useState<Msg>(null);
  const mayApprove = can(session, permission.suppliers_payment_approve);
  if (!changes?.length && !err && !msg) return null;
  const supplierOf = (c: SupplierChange) => supplierNames[c.supplier_id] ?? '…';
  const mine = (c: SupplierChange) => isMe(c.requested_by, session.user);
  const act = async (c: SupplierChange, what: 'approve' | 'reject') => {
    try {
      await (what === 'approve' ? purchasing.approveChange(c.id) : purchasing.rejectChange(c.id));
      setMsg({ kind: 'ok', text: `Bank details of ${supplierOf(c)} ${what === 'approve' ? 'approved: they apply now' : 'rejected: the details on file stay'}.` });
      reload();
    } catch (x) {
      setMsg({ kind: 'error', text: x instanceof ApiError && x.code === 'same_user'
        ? 'You filed this change yourself: another person with approval rights must approve it.' : message(x) });
    }
  };
  return (
    <div class="card pending-changes" role="region" aria-label="Bank details waiting for approval">
      <h2>Bank details waiting for approval</h2>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Pending bank detail changes" rows={changes ?? []}
        columns={[['supplier', supplierOf], ['new details', (c) => paymentText(c.payment)], ['filed by', (c) => personName(c.requested_by)], ['filed', (c) => when(c.requested_at)],
          ['', (c) => (mine(c) ? <span class="muted">You filed this change: another person must approve it.</span>
            : !mayApprove ? <span class="muted">Waiting for a manager.</span> : '')]]}
        actions={mayApprove ? (c) => <>
          <Button disabled={mine(c)} onClick={() => act(c, 'approve')} aria-label={`Approve bank details of ${supplierOf(c)}`}>Approve</Button>
          <Button disabled={mine(c)} onClick={() => act(c, 'reject')} aria-label={`Reject bank details of ${supplierOf(c)}`}>Reject</Button></> : undefined} />
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
