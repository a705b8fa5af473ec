// The parts a return and an exchange share: find the sale by its receipt number, and choose
// what comes back and why.
import { useEffect, useState } from 'preact/hooks';
import { type Item, message, type ReturnLineInput, type Sale, sales } from '../api';
import { beep } from '../shared/beep';
import { Button, Field, Notice, Select } from '../shared/components';
import { money, qty, when, words } from '../shared/format';

const reasons = ['changed_mind', 'defective', 'wrong_item', 'wrong_size', 'not_as_described', 'damaged_in_transit', 'late_delivery', 'other'];

/** The sale with a receipt number, or what to tell the cashier when there is none. */
export type LookUpReceipt = (number: string) => Promise<Sale | string>;

const fromServer: LookUpReceipt = async (number) => {
  const r = await sales.byReceipt(number);
  return r.sales.length ? sales.get(r.sales[0].id) : `No sale has the receipt number ${number}.`;
};

export function FindReceipt({ onFound, initial = '', lookUp = fromServer }: { onFound: (s: Sale) => void; initial?: string; lookUp?: LookUpReceipt }) {
  const [number, setNumber] = useState(initial);
  const [err, setErr] = useState('');
  const find = async () => {
    setErr('');
    try {
      const found = await lookUp(number.trim());
      if (typeof found === 'string') { beep(); setErr(found); return; }
      onFound(found);
    } catch (e) { setErr(message(e)); }
  };
  useEffect(() => { if (initial) void find(); }, []);
  return (
    <>
      <form onSubmit={(e) => { e.preventDefault(); void find(); }} class="row">
        <Field label="Receipt number" value={number} autofocus onInput={(e) => setNumber(e.currentTarget.value)} hint="Type it or scan the receipt barcode" />
        <Button type="submit">Find receipt</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
    </>
  );
}

export interface ReturnChoice { quantities: Record<string, string>; reason: string; condition: string; disposition: string }
export const emptyChoice = (): ReturnChoice => ({ quantities: {}, reason: 'changed_mind', condition: 'new', disposition: 'restock' });

export function returnLines(sale: Sale, c: ReturnChoice): ReturnLineInput[] {
  return sale.lines.filter((l) => Number(c.quantities[l.id] || 0) > 0)
    .map((l) => ({ sale_line_id: l.id, quantity: Number(c.quantities[l.id]), reason: c.reason, condition: c.condition, disposition: c.disposition }));
}

export function ChooseReturn({ sale, choice: c, onChange }: { sale: Sale; choice: ReturnChoice; onChange: (c: ReturnChoice) => void }) {
  return (
    <>
      <p>Sale {sale.receipt_number} · {when(sale.created_at)} · total {money(sale.total)}{sale.status === 'voided' ? ' · VOIDED' : ''}</p>
      <div class="table-wrap">
        <table aria-label="Sale lines" class="data">
          <thead><tr><th scope="col">Item</th><th scope="col" class="num">Sold</th><th scope="col" class="num">Returned</th><th scope="col" class="num">Paid</th><th scope="col">Return</th></tr></thead>
          <tbody>
            {sale.lines.map((l) => (
              <tr>
                <td>{l.name}</td><td class="num">{qty(l.quantity)}</td><td class="num">{qty(l.returned_quantity)}</td><td class="num">{money(l.total)}</td>
                <td><input class="qty-input" aria-label={`Return quantity for ${l.name}`} inputMode="decimal" value={c.quantities[l.id] ?? ''}
                  onInput={(e) => onChange({ ...c, quantities: { ...c.quantities, [l.id]: e.currentTarget.value } })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ReturnManner choice={c} onChange={onChange} />
    </>
  );
}

/** Why it comes back, in what state, and where it goes: asked of every return. */
export function ReturnManner({ choice: c, onChange }: { choice: ReturnChoice; onChange: (c: ReturnChoice) => void }) {
  return (
    <div class="row">
      <Select label="Reason" value={c.reason} onChange={(e) => onChange({ ...c, reason: e.currentTarget.value })} options={reasons.map((r) => [r, words(r)])} />
      <Select label="Condition" value={c.condition} onChange={(e) => onChange({ ...c, condition: e.currentTarget.value })} options={['new', 'opened', 'used', 'damaged', 'defective']} />
      <Select label="Disposition" value={c.disposition} onChange={(e) => onChange({ ...c, disposition: e.currentTarget.value })}
        options={[['restock', 'restock (back on the shelf)'], ['review', 'review'], ['damaged', 'damaged'], ['refurbish', 'refurbish'], ['markdown', 'markdown']]} />
    </div>
  );
}

/** An exchange's new items: a barcode to add, and each line as `shown` with its × to remove it. */
export function GoingOut({ code, onCode, onAdd, lines, onRemove }: {
  code: string; onCode: (code: string) => void; onAdd: (e: Event) => void;
  lines: { item: Item; shown: string }[]; onRemove: (index: number) => void;
}) {
  return (
    <>
      <h3>Going out</h3>
      <form class="row" onSubmit={onAdd}>
        <Field label="New item barcode" value={code} onInput={(e) => onCode(e.currentTarget.value)} />
        <Button type="submit">Add new item</Button>
      </form>
      <ul class="plain" aria-label="New items">
        {lines.map((l, i) => (
          <li class="row">
            <span>{l.shown}</span>
            <button type="button" class="icon" aria-label={`Remove ${l.item.name}`} onClick={() => onRemove(i)}>×</button>
          </li>
        ))}
      </ul>
    </>
  );
}
