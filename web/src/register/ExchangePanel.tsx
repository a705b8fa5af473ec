// An exchange: lines coming back from a receipt and new lines going out, as one document.
// The server prices both sides: the refund pays the new items first; if the new items cost
// more, it answers with the balance (insufficient_tender) and the customer pays that; if they
// cost less, the rest is refunded to the original tenders.
import { useState } from 'preact/hooks';
import { ApiError, catalog, type ExchangeDoc, type ExchangeInput, type Item, message, OfflineError, type Sale, sales, type TenderInput } from '../api';
import { beep } from '../shared/beep';
import { Button, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, qty, uuidv7, words } from '../shared/format';
import type { Till } from './cart';
import type { Msg } from './PayPanel';
import { ChooseReturn, emptyChoice, FindReceipt, GoingOut, returnLines } from './returnParts';

interface NewLine { code: string; item: Item; count: number }

export function ExchangePanel({ till, receipt, onDone, onExchanged }: {
  till: Till; receipt?: string; onDone: () => void;
  /** Told once, when the server has the exchange. */
  onExchanged?: () => void;
}) {
  const [sale, setSale] = useState<Sale | null>(null);
  const [choice, setChoice] = useState(emptyChoice);
  const [lines, setLines] = useState<NewLine[]>([]);
  const [code, setCode] = useState('');
  const [due, setDue] = useState<number | null>(null);
  const [pay, setPay] = useState({ amount: '', type: 'cash' as TenderInput['type'], reference: '' });
  const [msg, setMsg] = useState<Msg>(null);
  const [done, setDone] = useState<ExchangeDoc | null>(null);
  const [busy, setBusy] = useState(false);
  const [id, setId] = useState(uuidv7());
  const back = sale ? returnLines(sale, choice) : [];

  const addNew = async (e: Event) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    try {
      const r = await catalog.scan(c);
      setLines((ls) => {
        const i = ls.findIndex((l) => l.code === c);
        return i >= 0 ? ls.map((l, j) => (j === i ? { ...l, count: l.count + 1 } : l)) : [...ls, { code: c, item: r.item, count: 1 }];
      });
      setCode('');
      setDue(null);
      setMsg(null);
    } catch (err) {
      beep();
      setMsg({ kind: 'error', text: err instanceof ApiError && err.code === 'unknown_barcode' ? `Unknown barcode ${c} — nothing was added.` : message(err) });
    }
  };

  const complete = async () => {
    if (!sale || busy) return;
    const tenders: TenderInput[] = [];
    if (due !== null && due > 0) {
      const a = pay.amount.trim() ? parseMoney(pay.amount) : due;
      if (a === null || a < due) { setMsg({ kind: 'error', text: `The customer pays ${money(due)}: type at least that much.` }); return; }
      if (pay.type !== 'cash' && !pay.reference.trim()) { setMsg({ kind: 'error', text: 'A card or store credit payment needs its reference.' }); return; }
      tenders.push({ type: pay.type, amount: a, ...(pay.type !== 'cash' ? { reference: pay.reference.trim() } : {}) });
    }
    const body: ExchangeInput = {
      id,
      return: { sale_id: sale.id, register_id: till.registerId, lines: back },
      sale: { location_id: till.locationId, register_id: till.registerId, training: till.training, lines: lines.map((l) => ({ code: l.code, quantity: l.count })), tenders },
    };
    setBusy(true);
    try {
      for (;;) {
        try {
          setDone(await sales.exchange(body));
          onExchanged?.();
          return;
        } catch (err) {
          if (err instanceof OfflineError) { setMsg({ kind: 'warn', text: 'Cannot reach the server — retrying…' }); await new Promise((r) => setTimeout(r, 2500)); continue; }
          if (err instanceof ApiError && err.code === 'insufficient_tender' && typeof err.problem.total === 'number' && typeof err.problem.tendered === 'number') {
            // Nothing was written: the next attempt is a new document with the payment.
            setDue(err.problem.total - err.problem.tendered + tenders.reduce((s, t) => s + t.amount, 0));
            setId(uuidv7());
            setMsg({ kind: 'info', text: 'The new items cost more than what comes back: take the balance.' });
            return;
          }
          setMsg({ kind: 'error', text: message(err) });
          return;
        }
      }
    } finally { setBusy(false); }
  };

  if (done) {
    const paid = done.sale.tenders.filter((t) => t.type !== 'exchange_credit');
    return (
      <div class="exchange-done">
        <h2>Exchange complete</h2>
        <Notice kind="ok">
          Back {money(done.return.refund_total)} · new items {money(done.sale.total)} ·{' '}
          {done.refund_due > 0 ? `refunded ${money(done.refund_due)}` : paid.length ? `customer paid ${paid.map((t) => `${words(t.type)} ${money(t.amount)}`).join(', ')}` : 'nothing to pay'}
          {done.sale.change_due > 0 ? ` · change ${money(done.sale.change_due)}` : ''}
        </Notice>
        <p>New receipt {done.sale.receipt_number}</p>
        <Button variant="primary" big onClick={onDone}>Back to the register</Button>
      </div>
    );
  }
  return (
    <div class="exchange">
      <h2>Exchange</h2>
      <FindReceipt initial={receipt} onFound={(s) => { setSale(s); setChoice(emptyChoice()); setDue(null); }} />
      {sale && (
        <>
          <h3>Coming back</h3>
          <ChooseReturn sale={sale} choice={choice} onChange={(c) => { setChoice(c); setDue(null); }} />
          <GoingOut code={code} onCode={setCode} onAdd={addNew} lines={lines.map((l) => ({ item: l.item, shown: `${qty(l.count)} × ${l.item.name}` }))}
            onRemove={(i) => { setLines(lines.filter((_, j) => j !== i)); setDue(null); }} />
          {due !== null && due > 0 && (
            <div class="pay" role="group" aria-label="Balance">
              <p class="sums">Customer pays <strong>{money(due)}</strong></p>
              <div class="row">
                <Select label="Paid with" value={pay.type} onChange={(e) => setPay({ ...pay, type: e.currentTarget.value as TenderInput['type'] })}
                  options={[['cash', 'cash'], ['card', 'card'], ['store_credit', 'store credit']]} />
                <Field label="Amount paid" inputMode="decimal" placeholder={money(due)} value={pay.amount} onInput={(e) => setPay({ ...pay, amount: e.currentTarget.value })} />
                {pay.type !== 'cash' && <Field label="Payment reference" value={pay.reference} onInput={(e) => setPay({ ...pay, reference: e.currentTarget.value })} />}
              </div>
            </div>
          )}
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <Button variant="primary" big disabled={busy || !back.length || !lines.length} onClick={complete}>Complete exchange</Button>
        </>
      )}
      {!sale && msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
