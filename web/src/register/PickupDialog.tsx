// Click-and-collect at the till (issue 20): the customer says or shows the pickup code, the
// cashier scans or types it, and the ready order becomes this register's sale. Paid online:
// settled by its online payment. Not paid yet: the dialog says the total and takes cash or a
// card (the terminal's reference); paid, but with a dearer substitute the customer accepted:
// the difference, the same way.
import { useState } from 'preact/hooks';
import { ApiError, message, orders, type Sale, sales } from '../api';
import { Button, Dialog, Field, Notice } from '../shared/components';
import { money, parseMoney, uuidv7 } from '../shared/format';

export function PickupDialog({ registerId, onClose, onCollected }: { registerId: string; onClose: () => void; onCollected: (sale: Sale) => void }) {
  const [code, setCode] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  /** An unpaid order's total, once the server has said it: then cash is taken. */
  const [due, setDue] = useState<number | null>(null);
  const [forSubstitute, setForSubstitute] = useState(false);
  const [cash, setCash] = useState('');
  const [cardRef, setCardRef] = useState('');
  // One key per body: a retry after a lost answer collects once; taking cash is another body.
  const [key, setKey] = useState(uuidv7);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!code.trim()) { setErr('Scan or type the pickup code.'); return; }
    let tenders;
    // The card button, or Enter with a terminal reference typed and no cash: the card.
    const submitter = (e as SubmitEvent).submitter as HTMLElement | null;
    const byCard = due !== null && (submitter?.dataset.pay === 'card' || (cardRef.trim() !== '' && cash.trim() === ''));
    if (due !== null && byCard) {
      if (!cardRef.trim()) { setErr('Card needs the terminal reference.'); return; }
      tenders = [{ type: 'card' as const, amount: due, reference: cardRef.trim() }];
    } else if (due !== null) {
      const amount = parseMoney(cash);
      if (amount === null || amount < due) { setErr(`Take at least ${money(due)} in cash.`); return; }
      tenders = [{ type: 'cash' as const, amount }];
    }
    setBusy(true);
    try {
      const o = await orders.pickup(code.trim(), registerId, key, tenders);
      const sale = o.sale ?? (o.sale_id ? await sales.get(o.sale_id) : null);
      if (!sale) { setErr(`${o.number} is ${o.status}: there is nothing to hand over.`); return; }
      onCollected(sale);
    } catch (x) {
      if (x instanceof ApiError && x.code === 'payment_due' && typeof x.problem.due === 'number' && due === null) {
        setDue(x.problem.due);
        setForSubstitute(true);
        setKey(uuidv7());
        setErr('');
        return;
      }
      if (x instanceof ApiError && x.code === 'insufficient_tender' && typeof x.problem.total === 'number' && due === null) {
        setDue(x.problem.total);
        setKey(uuidv7());
        setErr('');
        return;
      }
      setErr(x instanceof ApiError ? x.problem.detail : message(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Pickup" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Pickup code" value={code} autocomplete="off" autocapitalize="characters" disabled={due !== null}
          onInput={(e) => setCode(e.currentTarget.value)} />
        {due !== null && (
          <>
            <Notice kind="warn">{forSubstitute ? `Paid online; the substitute the customer accepted costs ${money(due)} more: to pay now.` : `Not paid online: ${money(due)} to pay now.`}</Notice>
            <Field label="Cash tendered" inputMode="decimal" value={cash} autofocus onInput={(e) => setCash(e.currentTarget.value)} />
            <Field label="Or card: terminal reference" value={cardRef} autocomplete="off" onInput={(e) => setCardRef(e.currentTarget.value)} />
          </>
        )}
        {err && <Notice kind="error">{err}</Notice>}
        <div class="pickup-actions">
          <Button type="submit" variant="primary" big disabled={busy} data-pay="cash">{due !== null ? 'Take cash and hand over' : 'Hand over'}</Button>
          {due !== null && <Button type="submit" big disabled={busy} data-pay="card">Card paid: hand over</Button>}
        </div>
      </form>
    </Dialog>
  );
}
