// A return without a receipt (docs/ledger.md): the item is scanned, refunded at its current
// price into this register's store, to a store credit note unless the shop refunds such
// returns in cash. It needs returns.no_receipt: a cashier's return asks a shift lead to
// approve on this screen (the override dialog), within the approver's limit.
import { useState } from 'preact/hooks';
import { ApiError, catalog, message, type Item, type NoReceiptReturnInput, type ReturnDoc } from '../api';
import { Button, Field, Notice } from '../shared/components';
import { money, uuidv7 } from '../shared/format';
import type { Msg } from './PayPanel';
import { type AskOverride, postReturn } from './ReturnPanel';
import { type ReturnChoice, ReturnManner, emptyChoice } from './returnParts';

export function NoReceiptReturn({ locationId, registerId, training, askOverride, onReturned }: {
  locationId: string; registerId: string; training: boolean; askOverride: AskOverride;
  onReturned: (r: ReturnDoc) => void;
}) {
  const [code, setCode] = useState('');
  const [item, setItem] = useState<Item | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [choice, setChoice] = useState<ReturnChoice>(emptyChoice);
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const [returnId] = useState(uuidv7());

  const find = async (e: Event) => {
    e.preventDefault();
    const text = code.trim();
    if (!text) return;
    setMsg(null);
    try {
      setItem((await catalog.scan(text)).item);
    } catch (err) {
      setItem(null);
      setMsg({ kind: 'error', text: err instanceof ApiError && err.status === 404 ? `No item has the code ${text}.` : message(err) });
    }
  };
  const units = /^\d+([.,]\d{1,3})?$/.test(quantity.trim()) ? Number(quantity.trim().replace(',', '.')) : null;
  const complete = async () => {
    if (!item || units === null || units <= 0) { setMsg({ kind: 'error', text: 'Type how many come back, like 1 or 2.' }); return; }
    setBusy(true);
    const body: NoReceiptReturnInput = {
      id: returnId, location_id: locationId, register_id: registerId, ...(training ? { training: true } : {}),
      lines: [{ item_id: item.id, quantity: units, reason: choice.reason, condition: choice.condition, disposition: choice.disposition }],
    };
    try {
      const r = await postReturn(body, askOverride, () => setMsg({ kind: 'warn', text: 'Cannot reach the server — retrying…' }));
      if (r) onReturned(r);
      else setMsg({ kind: 'warn', text: 'Not approved: nothing was returned.' });
    } catch (err) {
      setMsg({ kind: 'error', text: message(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="no-receipt" role="group" aria-label="Return without a receipt">
      <p>Scan the item the customer brings back. It is refunded at today’s price; a shift lead approves.</p>
      <form class="row" onSubmit={find}>
        <Field label="Item barcode or SKU" value={code} autocomplete="off" autofocus onInput={(e) => setCode(e.currentTarget.value)} />
        <Button type="submit">Find item</Button>
      </form>
      {item && (
        <>
          <p class="no-receipt-item"><strong>{item.name}</strong> · today’s price {item.price === null ? 'none' : money(item.price)}</p>
          <Field label="Quantity returned" inputMode="decimal" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
          <ReturnManner choice={choice} onChange={setChoice} />
          <Button variant="primary" big disabled={busy} onClick={complete}>Complete return without receipt</Button>
        </>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
