// Customers: find one by the beginning of the name, or by the exact phone or e-mail the
// customer gives; create and edit them (customers.manage); import the shop's spreadsheet with
// its dry-run report shown before anything is written. Phone and e-mail are masked for a
// person without customers.contact_read. People see numbers (C-000123), never ids; a number
// typed or linked (?q=C-000123, from an online order) finds that customer.
import { useState } from 'preact/hooks';
import { type Customer, customers, type CustomerImportReport, type CustomerInput, message, permission } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Field, Notice, yesNo } from '../shared/components';
import { CsvImport } from '../shared/CsvImport';
import { when } from '../shared/format';
import { useLoad } from './useLoad';

/** What the search box holds, as the list's query: an e-mail, a phone number or a name's beginning. */
export function searchQuery(text: string): { q?: string; phone?: string; email?: string } {
  const t = text.trim();
  if (!t) return {};
  if (t.includes('@')) return { email: t };
  if (/^[+0-9][0-9 ()./-]{5,}$/.test(t)) return { phone: t };
  return { q: t };
}

const customersOf = (n: number) => `${n} customer${n === 1 ? '' : 's'}`;

export function Customers({ session }: { session: Session }) {
  // An online order links here with ?q=C-000123 (its customer's number).
  const linked = new URLSearchParams(location.search).get('q') ?? '';
  const [text, setText] = useState(linked);
  const [search, setSearch] = useState(linked);
  const [list, err, reload] = useLoad(() => customers.list({ ...searchQuery(search), limit: 50 }), [search]);
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const mayManage = can(session, permission.customers_manage);
  return (
    <section>
      <div class="row spread"><h1>Customers</h1>{mayManage && <Button onClick={() => setEditing('new')}>New customer</Button>}</div>
      <form class="row" onSubmit={(e) => { e.preventDefault(); setSearch(text); }}>
        <Field label="Find a customer" value={text} onInput={(e) => setText(e.currentTarget.value)}
          placeholder="name, phone or e-mail" hint="A name’s beginning; a phone number or e-mail address exactly" />
        <Button type="submit">Search</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Customers" rows={list?.customers ?? []}
        columns={[['number', (c) => c.number], ['name', (c) => c.name], ['phone', (c) => c.phone ?? '—'], ['e-mail', (c) => c.email ?? '—'],
          ['marketing', (c) => yesNo(c.marketing_consent)]]}
        actions={mayManage ? (c) => <Button onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>Edit</Button> : undefined} />
      {list?.next_cursor && <Notice kind="info">More customers match: search more precisely.</Notice>}
      {mayManage && <CustomerImport onImported={reload} />}
      {editing && <EditCustomer customer={editing === 'new' ? null : editing} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); reload(); }} />}
    </section>
  );
}

function EditCustomer({ customer, onClose, onSaved }: { customer: Customer | null; onClose: () => void; onSaved: () => void }) {
  const masked = customer !== null && !customer.contact_shown;
  const [name, setName] = useState(customer?.name ?? '');
  const [phone, setPhone] = useState(masked ? '' : customer?.phone ?? '');
  const [email, setEmail] = useState(masked ? '' : customer?.email ?? '');
  const [note, setNote] = useState(customer?.note ?? '');
  const [consent, setConsent] = useState(customer?.marketing_consent ?? false);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (!name.trim()) { setErr('Type the customer’s name.'); return; }
    const body: CustomerInput = { name: name.trim(), note, marketing_consent: consent };
    // Masked contact data is not sent back: an empty field there means "leave as it is".
    if (!masked || phone.trim()) body.phone = phone.trim();
    if (!masked || email.trim()) body.email = email.trim();
    setBusy(true);
    setErr('');
    try {
      if (customer) await customers.update(customer.id, customer.version, body);
      else await customers.create(body);
      onSaved();
    } catch (x) {
      setErr(message(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={customer ? `Customer ${customer.number}` : 'New customer'} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <div class="grid2">
          <Field label="Name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <Field label="Phone" type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)}
            hint={masked ? `On file: ${customer?.phone ?? 'none'} (type a new one to replace it)` : 'With +country code, or a national number'} />
          <Field label="E-mail" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)}
            hint={masked ? `On file: ${customer?.email ?? 'none'}` : undefined} />
          <Field label="Note" value={note} onInput={(e) => setNote(e.currentTarget.value)} hint="Never card numbers" />
          <label class="check"><input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} /> Agrees to marketing</label>
          {customer?.marketing_consent_at && <small class="hint">Consent last changed {when(customer.marketing_consent_at)}</small>}
        </div>
        {err && <Notice kind="error">{err}</Notice>}
        <div class="row">
          <Button type="submit" variant="primary" disabled={busy}>Save</Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

function CustomerImport({ onImported }: { onImported: () => void }) {
  const rest = (r: CustomerImportReport) => [r.updating ? `${customersOf(r.updating)} to update` : '', r.unchanged ? `${r.unchanged} unchanged` : '']
    .filter(Boolean).map((t) => `, ${t}`).join('');
  const actionWords = { create: 'new', update: 'update', unchanged: 'unchanged' } as const;
  return (
    <CsvImport<CustomerImportReport, CustomerImportReport['lines'][number]> name="Import customers" id="customer-file"
      label="Customers from a spreadsheet (CSV)"
      hint="Columns: name, and any of number (C-000123), phone, email, note, marketing_consent (yes/no). A row with a known number, phone or e-mail updates that customer."
      send={async (csv, dryRun) => { const r = await customers.import(csv, dryRun); if (r.applied) onImported(); return r; }}
      lines={(r) => r.lines}
      columns={[['line', (r) => String(r.line), true], ['number', (r) => r.number], ['customer', (r) => r.name], ['status', (r) => actionWords[r.action]]]}
      checked={(r) => `${r.rows} row${r.rows === 1 ? '' : 's'} checked — ${customersOf(r.creating)} to create${rest(r)}.`}
      action={(r) => (r.creating || r.updating ? `Import ${customersOf(r.creating + r.updating)}` : null)}
      done={(r) => `Imported: ${customersOf(r.creating)} created, ${r.updating} updated.`} />
  );
}
