// An exchange while the register cannot reach the server, where the shop allows returns offline
// (docs/offline-register.md): the lines coming back are found in this register's copy of its own
// recent sales (the rules of a return offline), the new lines are scanned from the catalog copy
// at its shelf prices, the refund pays the new items first; the customer pays the balance (cash
// or card) or the difference is counted out in cash, up to the shop's offline return limit. The
// new sale takes the next reserved receipt number; the exchange waits in the queue with the
// sales and returns and is posted under its own id when the server is back.
import { useState } from 'preact/hooks';
import type { ExchangeInput, Item, Sale } from '../api';
import { beep } from '../shared/beep';
import { Button, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, qty, uuidv7 } from '../shared/format';
import { load } from '../shared/storage';
import { type EmbeddedLayout, isEmbeddedLayouts } from '../shared/embedded';
import { enqueue, scanOffline, takeNumber } from './offline';
import { lookUpOffline, offlineRefusal, type OfflineRules, rememberReturned } from './OfflineReturn';
import type { Msg } from './PayPanel';
import { offlinePrices } from './cart';
import { refundOf } from './refund';
import { ChooseReturn, emptyChoice, FindReceipt, GoingOut, returnLines } from './returnParts';

interface NewLine { code: string; item: Item; pack: number; count: number }
interface Done { receipt: string; back: number; out: number; paid: string; change: number; refunded: number }

export function OfflineExchange({ registerId, locationId, rules, onQueued, onDone }: {
  registerId: string; locationId: string; rules: OfflineRules; onQueued: () => void; onDone: () => void;
}) {
  const [sale, setSale] = useState<Sale | null>(null);
  const [choice, setChoice] = useState(emptyChoice);
  const [lines, setLines] = useState<NewLine[]>([]);
  const [code, setCode] = useState('');
  const [pay, setPay] = useState({ amount: '', type: 'cash' as 'cash' | 'card', reference: '' });
  const [msg, setMsg] = useState<Msg>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [id] = useState(uuidv7());
  const back = sale ? returnLines(sale, choice) : [];
  const refund = sale ? refundOf(sale, back, rules.rounding) : 0;
  // The copy's shelf prices, priced as a sale offline is (there is no quote offline): with tax
  // added where the shop's prices exclude it.
  const priced = offlinePrices(lines, rules);
  const total = priced.total;
  const due = Math.max(0, total - refund);
  const cashOut = Math.max(0, refund - total);
  const why = sale ? offlineRefusal(sale, back, cashOut, rules) : null;

  const addNew = async (e: Event) => {
    e.preventDefault();
    const c = code.trim();
    if (!c) return;
    const found = await scanOffline(c, load<EmbeddedLayout[]>('barcodeLayouts', [], isEmbeddedLayouts)).catch(() => null);
    if (found && ('error' in found || found.weight !== undefined || found.embeddedPrice !== undefined)) {
      // A scale label's weight or price is not carried by an exchange's new lines offline.
      beep();
      setMsg({ kind: 'error', text: 'error' in found ? `Wrong barcode ${c}: ${found.error} Nothing was added.`
        : `${found.item.name} has a scale label: offline an exchange takes items sold by the piece only — sell it on its own, or wait for the network. Nothing was added.` });
      return;
    }
    if (!found || typeof found.item.price !== 'number') {
      beep();
      setMsg({ kind: 'error', text: `Barcode ${c} is not in this register's copy of the catalog (or has no shelf price) and the server cannot be reached — nothing was added.` });
      return;
    }
    setLines((ls) => {
      const i = ls.findIndex((l) => l.code === c);
      return i >= 0 ? ls.map((l, j) => (j === i ? { ...l, count: l.count + 1 } : l)) : [...ls, { code: c, item: found.item, pack: found.pack, count: 1 }];
    });
    setCode('');
    setMsg(null);
  };

  const complete = async () => {
    if (!sale || !back.length || !lines.length || why) return;
    const tenders: { type: 'cash' | 'card'; amount: number; reference?: string }[] = [];
    if (due > 0) {
      const a = pay.amount.trim() ? parseMoney(pay.amount) : due;
      if (a === null || a < due) { setMsg({ kind: 'error', text: `The customer pays ${money(due)}: type at least that much.` }); return; }
      if (pay.type === 'card' && a !== due) { setMsg({ kind: 'error', text: `A card pays exactly the ${money(due)} due.` }); return; }
      if (pay.type === 'card' && !pay.reference.trim()) { setMsg({ kind: 'error', text: 'A card payment needs the terminal\'s reference.' }); return; }
      tenders.push({ type: pay.type, amount: a, ...(pay.type === 'card' ? { reference: pay.reference.trim() } : {}) });
    }
    const number = takeNumber(registerId);
    if (!number) { setMsg({ kind: 'error', text: 'No receipt numbers are reserved for this register, so it cannot exchange offline: wait for the network.' }); return; }
    const at = Date.now();
    const body: ExchangeInput = {
      id,
      return: { sale_id: sale.id, register_id: registerId, lines: back },
      sale: {
        location_id: locationId, register_id: registerId, training: false, receipt_number: number, sold_at: new Date(at).toISOString(),
        lines: lines.map((l) => ({ code: l.code, quantity: l.count, charged_price: l.item.price ?? 0 })), tenders,
      },
    };
    await enqueue({ kind: 'exchange', body, receipt_number: number, total, refund: cashOut, returned: sale.receipt_number, at });
    await rememberReturned(sale, back);
    onQueued();
    const paid = tenders.length ? `${tenders[0].type} ${money(tenders[0].amount)}` : '';
    setDone({ receipt: number, back: refund, out: total, paid, change: tenders.length ? tenders[0].amount - due : 0, refunded: cashOut });
  };

  if (done) return (
    <div class="exchange-done">
      <h2>Exchange taken offline</h2>
      <Notice kind="ok">
        Back {money(done.back)} · new items {money(done.out)} ·{' '}
        {done.refunded > 0 ? `refund ${money(done.refunded)} in cash` : done.paid ? `customer paid ${done.paid}` : 'nothing to pay'}
        {done.change > 0 ? ` · change ${money(done.change)}` : ''}. It is sent when the server is back.
      </Notice>
      <p>New receipt {done.receipt}</p>
      <Button variant="primary" big onClick={onDone}>Back to the register</Button>
    </div>
  );
  return (
    <div class="exchange">
      <h2>Exchange (offline)</h2>
      <Notice kind="info">Offline: this register's own receipts only; new items at the shelf prices of its copy; a difference refunded in cash up to {money(rules.limit)}.</Notice>
      <FindReceipt lookUp={lookUpOffline} onFound={(s) => { setSale(s); setChoice(emptyChoice()); }} />
      {sale && (
        <>
          <h3>Coming back</h3>
          <ChooseReturn sale={sale} choice={choice} onChange={setChoice} />
          <GoingOut code={code} onCode={setCode} onAdd={(e) => void addNew(e)} onRemove={(i) => setLines(lines.filter((_, j) => j !== i))}
            lines={lines.map((l, i) => ({ item: l.item, shown: `${qty(l.count * l.pack)} × ${l.item.name} · ${money(priced.lines[i]?.total ?? 0)}` }))} />
          {back.length > 0 && lines.length > 0 && (why ? <Notice kind="warn">{why}</Notice> : (
            <>
              <p class="sums">Back {money(refund)} · new items {money(total)} · {due > 0 ? <>customer pays <strong>{money(due)}</strong></> : cashOut > 0 ? <>refund in cash <strong>{money(cashOut)}</strong></> : 'nothing to pay'}</p>
              {due > 0 && (
                <div class="pay row" role="group" aria-label="Balance">
                  <Select label="Paid with" value={pay.type} onChange={(e) => setPay({ ...pay, type: e.currentTarget.value as 'cash' | 'card' })}
                    options={[['cash', 'cash'], ['card', 'card']]} />
                  <Field label="Amount paid" inputMode="decimal" placeholder={money(due)} value={pay.amount} onInput={(e) => setPay({ ...pay, amount: e.currentTarget.value })} />
                  {pay.type === 'card' && <Field label="Payment reference" value={pay.reference} onInput={(e) => setPay({ ...pay, reference: e.currentTarget.value })} />}
                </div>
              )}
            </>
          ))}
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <Button variant="primary" big disabled={!back.length || !lines.length || why !== null} onClick={() => void complete()}>Complete exchange</Button>
        </>
      )}
      {!sale && msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
