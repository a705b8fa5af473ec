// The sales journal: search sales by date, receipt number and item; open one to see its
// receipt, reprint it, or start a return or an exchange from it at the register.
import { useState } from 'preact/hooks';
import { type Item, type JournalSale, message, type Sale, sales } from '../api';
import { navigate } from '../app/session';
import { Button, DataTable, Field, Notice } from '../shared/components';
import { money, when, words } from '../shared/format';
import { save } from '../shared/storage';
import { Receipt } from '../register/Receipt';
import { ItemSearch } from './ItemSearch';
import { useLoad } from './useLoad';

const localDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** A local calendar day's start as RFC 3339 UTC. */
const dayStart = (day: string, plusDays = 0) => { const d = new Date(`${day}T00:00:00`); d.setDate(d.getDate() + plusDays); return d.toISOString(); };

export function Journal() {
  const today = localDay(new Date());
  const [f, setF] = useState({ from: today, to: today, receipt: '' });
  const [item, setItem] = useState<Item | null>(null);
  const [applied, setApplied] = useState({ ...f, item_id: '' });
  const [page, err] = useLoad(() => sales.journal({
    from: applied.from ? dayStart(applied.from) : undefined, to: applied.to ? dayStart(applied.to, 1) : undefined,
    receipt: applied.receipt.trim() || undefined, item_id: applied.item_id || undefined, limit: 100,
  }), [JSON.stringify(applied)]);
  const [open, setOpen] = useState<Sale | null>(null);
  const [msg, setMsg] = useState('');
  const show = async (s: JournalSale) => { try { setOpen(await sales.get(s.id)); setMsg(''); } catch (x) { setMsg(message(x)); } };
  const startAtRegister = (what: 'return' | 'exchange', receipt: string) => { save('startReturn', { what, receipt }); navigate('/register'); };
  return (
    <section>
      <h1>Sales journal</h1>
      <form class="row" aria-label="Search sales" onSubmit={(e) => { e.preventDefault(); setApplied({ ...f, item_id: item?.id ?? '' }); setOpen(null); }}>
        <Field label="From" type="date" value={f.from} onInput={(e) => setF({ ...f, from: e.currentTarget.value })} />
        <Field label="To" type="date" value={f.to} onInput={(e) => setF({ ...f, to: e.currentTarget.value })} />
        <Field label="Receipt number" value={f.receipt} onInput={(e) => setF({ ...f, receipt: e.currentTarget.value })} />
        <Button type="submit">Search sales</Button>
      </form>
      <div class="row">
        <span>{item ? <>Only sales of <strong>{item.name}</strong> <Button variant="quiet" onClick={() => setItem(null)}>Any item</Button></> : 'Any item'}</span>
      </div>
      <details><summary>Only sales of one item</summary><ItemSearch label="Item sold" onPick={setItem} /></details>
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      <DataTable name="Sales" rows={page?.sales ?? []}
        columns={[['receipt', (s) => s.number], ['when', (s) => when(s.at)], ['register', (s) => s.register?.name ?? `${words(s.channel)} sale`],
          ['cashier', (s) => s.cashier?.name ?? '—'], ['lines', (s) => String(s.lines_count), true], ['total', (s) => money(s.total), true],
          ['status', (s) => `${s.status}${s.training ? ' · training' : ''}`]]}
        actions={(s) => <Button onClick={() => show(s)} aria-label={`Open sale ${s.number}`}>Open</Button>} />
      {open && (
        <div class="card journal-sale" role="region" aria-label={`Sale ${open.receipt_number}`}>
          <Receipt sale={open} />
          <div class="row">
            <a class="button" href={sales.receiptLink(open.id)} target="_blank" rel="noopener">Reprint receipt</a>
            <Button onClick={() => startAtRegister('return', open.receipt_number)}>Start a return</Button>
            <Button onClick={() => startAtRegister('exchange', open.receipt_number)}>Start an exchange</Button>
          </div>
        </div>
      )}
    </section>
  );
}
