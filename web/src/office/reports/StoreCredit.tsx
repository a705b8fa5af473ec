// Store credit (docs/reports.md "Store credit"): what the shop owes on its credit notes now,
// what a period moved (opening + issued − redeemed + given back = closing, written out), the
// store nodes' shortfalls and the period's write-offs, and the notes themselves, open ones first.
import { useEffect, useState } from 'preact/hooks';
import { type CreditNote, message, reports, type StoreCreditQuery, type StoreCreditReport, type Tally } from '../../api';
import { Button, DataTable, Field, Notice, Select } from '../../shared/components';
import { money, when } from '../../shared/format';
import { useLocations } from '../useLoad';
import './review.css';

const today = () => new Date().toISOString().slice(0, 10);
const monthStart = () => `${today().slice(0, 8)}01`;
/** A store node's sale is numbered `<the store's number>@<node>` at head office (docs/sync.md): the store's part. */
const printed = (receipt: string) => receipt.split('@')[0];
const entries = (t: Tally, what: string) => `${t.count} ${what}${t.count === 1 ? '' : 's'}`;

export function StoreCredit() {
  const stores = useLocations().filter((l) => l.kind === 'store');
  const [form, setForm] = useState<Required<StoreCreditQuery>>({ from: monthStart(), to: today(), location_id: '' });
  const [query, setQuery] = useState<StoreCreditQuery>({ from: form.from, to: form.to });
  const [report, setReport] = useState<StoreCreditReport | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => {
    setMsg('');
    reports.storeCredit(query).then(setReport).catch((x) => { setReport(null); setMsg(message(x)); });
  }, [JSON.stringify(query)]);
  const apply = () => setQuery({ from: form.from, to: form.to, ...(form.location_id ? { location_id: form.location_id } : {}) });
  const r = report;
  return (
    <section class="store-credit" aria-label="Store credit">
      <h1>Store credit</h1>
      <div class="kpi-cards">
        <article class="kpi-card" aria-label="Owed now">
          <h3>Owed now{r?.location ? ` (notes issued at ${r.location.name})` : ''}</h3>
          <p class="kpi-value">{r ? money(r.liability_now) : '…'}</p>
          <p class="kpi-working">What the credit notes hold: a liability until customers spend it.</p>
        </article>
      </div>
      <form class="row" aria-label="Period" onSubmit={(e) => { e.preventDefault(); apply(); }}>
        <Select label="Store" value={form.location_id} onChange={(e) => setForm({ ...form, location_id: e.currentTarget.value })}
          options={[['', 'All stores'], ...stores.map((l) => [l.id, l.name] as [string, string])]} />
        <Field label="From" type="date" value={form.from} max={today()} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        <Field label="To" type="date" value={form.to} max={today()} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        <Button type="submit" variant="primary">Show period</Button>
      </form>
      {msg && <Notice kind="error">{msg}</Notice>}
      {r && (
        <>
          <h2>{r.from} to {r.to}{r.location ? `, notes issued at ${r.location.name}` : ''}</h2>
          <div class="table-wrap">
            <table class="data" aria-label="Store credit in the period">
              <thead><tr><th scope="col">Figure</th><th scope="col">Entries</th><th scope="col" class="num">Amount</th></tr></thead>
              <tbody>
                <tr><td>Owed at the start of {r.from}</td><td /><td class="num">{money(r.opening_liability)}</td></tr>
                <tr><td>+ Issued (returns and exchanges)</td><td>{entries(r.issued, 'refund')}</td><td class="num">{money(r.issued.amount)}</td></tr>
                <tr><td>− Redeemed (sales)</td><td>{entries(r.redeemed, 'sale')}</td><td class="num">{money(r.redeemed.amount)}</td></tr>
                <tr><td>+ Given back (voided sales)</td><td>{entries(r.given_back, 'void')}</td><td class="num">{money(r.given_back.amount)}</td></tr>
                {r.adjusted.count > 0 && (
                  <tr><td>± Set to head office's balance</td><td>{entries(r.adjusted, 'entry')}</td><td class="num">{money(r.adjusted.amount)}</td></tr>
                )}
                <tr><th scope="row">= Owed at the end of {r.to}</th><td /><td class="num"><strong>{money(r.closing_liability)}</strong></td></tr>
              </tbody>
            </table>
          </div>
          <p>
            <a class="button" href={reports.storeCreditCsv(query)} download>Download the period as CSV</a>
          </p>
          <h2>Shortfalls from store nodes</h2>
          <p class="hint">A store's sale that spent more of a note than head office held: settled on the Store sync page.</p>
          <DataTable name="Shortfalls" rows={[
            ['Open at the end of the period', r.shortfalls.open] as const,
            ['Written off (a loss) in the period', r.shortfalls.written_off] as const,
            ['Collected from the customer in the period', r.shortfalls.collected] as const,
          ]} columns={[['', ([label]) => label], ['count', ([, t]) => String(t.count), true], ['amount', ([, t]) => money(t.amount), true]]} />
          <h2>Written off in the period</h2>
          <DataTable name="Written off" rows={r.written_off}
            columns={[['receipt', (w) => printed(w.receipt_number)], ['store', (w) => w.store?.name ?? '—'], ['note code', (w) => w.code],
              ['amount', (w) => money(w.amount), true], ['by', (w) => w.by], ['when', (w) => when(w.at)], ['why', (w) => w.note]]} />
        </>
      )}
      <Notes />
    </section>
  );
}

/** The notes, newest first: open ones by default, more by page. */
function Notes() {
  const [which, setWhich] = useState<'true' | 'false'>('true');
  const [notes, setNotes] = useState<CreditNote[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [msg, setMsg] = useState('');
  const load = async (cursor?: string) => {
    try {
      const page = await reports.creditNotes({ open: which, limit: 50, cursor });
      setNotes((before) => (cursor ? [...before, ...page.store_credits] : page.store_credits));
      setNext(page.next_cursor);
      setMsg('');
    } catch (x) { setMsg(message(x)); }
  };
  useEffect(() => { void load(); }, [which]);
  return (
    <>
      <h2>Credit notes</h2>
      <div class="row">
        <Select label="Show" value={which} onChange={(e) => setWhich(e.currentTarget.value as 'true' | 'false')}
          options={[['true', 'Notes with a balance'], ['false', 'Every note']]} />
      </div>
      {msg && <Notice kind="error">{msg}</Notice>}
      <DataTable name="Credit notes" rows={notes}
        columns={[['code', (n) => n.code], ['balance', (n) => money(n.balance), true], ['issued', (n) => when(n.issued_at)],
          ['last spent', (n) => when(n.last_used_at)], ['store', (n) => n.store?.name ?? '—']]} />
      {next && <Button onClick={() => load(next)}>More notes</Button>}
    </>
  );
}
