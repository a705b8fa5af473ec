// Taking payment: tenders are added one by one; "Complete sale" posts the locked cart.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, message, sales, type TenderInput } from '../api';
import { Button, Field, Notice } from '../shared/components';
import { money, parseMoney, words } from '../shared/format';

export type Msg = { kind: 'error' | 'ok' | 'info' | 'warn'; text: string } | null;

export function PayPanel({ due: quoted, tenders, setTenders, busy, locked, msg, focusTick, onComplete, onCompleteOffline, onBack }: {
  /** The quoted total; null while the server works it out. */
  due: number | null; tenders: TenderInput[]; setTenders: (t: TenderInput[]) => void; busy: boolean; locked: boolean; msg: Msg;
  /** Changes each time F4 asks for the tendered amount. */
  focusTick: number;
  onComplete: () => void; onBack: () => void;
  /** Set while the locked sale waits for a network that is down: completes it offline instead. */
  onCompleteOffline?: () => void;
}) {
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [err, setErr] = useState('');
  const [creditNote, setCreditNote] = useState('');
  const amountRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);
  // Focused as the panel is committed, not after the next paint: on a busy tablet a paint can
  // come after the cashier (or a scanner) has started typing in the reference field, and a
  // late focus would send the rest of the keys to the amount.
  useLayoutEffect(() => { amountRef.current?.focus(); }, [focusTick]);
  const due = quoted ?? 0;
  const paid = tenders.reduce((s, t) => s + t.amount, 0);
  const remaining = Math.max(due - paid, 0);
  // A tender entered before the total has come back (a note scanned the moment Pay opens) is
  // added when it arrives, not silently dropped.
  const [waitingFor, setWaitingFor] = useState<TenderInput['type'] | null>(null);
  useEffect(() => {
    if (quoted === null || waitingFor === null) return;
    const type = waitingFor;
    setWaitingFor(null);
    void add(type);
  }, [quoted, waitingFor]);
  const add = async (type: TenderInput['type']) => {
    if (locked) return;
    if (quoted === null) { setWaitingFor(type); return; }
    // What the fields hold now, not as last rendered: a scanner types a credit note's code and
    // its Enter faster than a render, and a busy tablet may not have rendered the last keys.
    const refText = (referenceRef.current?.value ?? reference).trim();
    const amountText = (amountRef.current?.value ?? amount).trim();
    if (type !== 'cash' && !refText) { setErr(type === 'card' ? 'Card needs the terminal reference.' : 'Store credit needs the credit note code: scan or type it.'); return; }
    let a = amountText ? parseMoney(amountText) : remaining;
    if (type === 'store_credit') {
      // The note's balance decides how much it can pay.
      try {
        // A network that does not answer is "Cannot reach the server" after 3 s, not a wait.
        const credit = await sales.storeCredit(refText, { deadlineMs: 3000 });
        const spent = tenders.filter((t) => t.type === 'store_credit' && t.reference?.replace(/\s/g, '').toUpperCase() === credit.code).reduce((s, t) => s + t.amount, 0);
        const left = credit.balance - spent;
        if (left <= 0) { setErr(`Store credit ${credit.code} has nothing left.`); return; }
        if (!amountText) a = Math.min(remaining, left);
        if (a !== null && a > left) { setErr(`Store credit ${credit.code} holds only ${money(left)}.`); return; }
        setCreditNote(`Store credit ${credit.code}: ${money(left - (a ?? 0))} left after this sale.`);
      } catch (e) {
        setErr(e instanceof ApiError && e.status === 404 ? `No store credit has the code ${refText}.` : message(e));
        return;
      }
    }
    if (a === null || a <= 0) { setErr('Type an amount like 20 or 12.50.'); return; }
    if (type !== 'cash' && a > remaining) { setErr('Only cash can be more than what is due (change is given in cash).'); return; }
    setErr('');
    setTenders([...tenders, { type, amount: a, ...(type !== 'cash' ? { reference: refText } : {}) }]);
    setAmount('');
    setReference('');
  };
  return (
    <div class="pay" aria-label="Payment" role="group">
      <dl class="sums">
        <dt>Due</dt><dd>{quoted === null ? '…' : money(due)}</dd>
        <dt>Paid</dt><dd>{money(paid)}</dd>
        <dt>{paid > due ? 'Change' : 'Remaining'}</dt><dd>{money(paid > due ? paid - due : remaining)}</dd>
      </dl>
      <Field label="Amount tendered" inputMode="decimal" placeholder={money(remaining)} value={amount} inputRef={amountRef} disabled={locked}
        onInput={(e) => setAmount(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void add('cash'); } }} />
      <Field label="Card or credit reference" value={reference} inputRef={referenceRef} disabled={locked} hint="Card: the terminal reference. Store credit: scan or type the code."
        onInput={(e) => setReference(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void add(/^SC/i.test(e.currentTarget.value.trim()) ? 'store_credit' : 'card'); } }} />
      <div class="tender-buttons">
        <Button big onClick={() => add('cash')} kbd="Enter" disabled={locked}>Cash</Button>
        <Button big onClick={() => add('card')} disabled={locked}>Card</Button>
        <Button big onClick={() => add('store_credit')} disabled={locked}>Store credit</Button>
      </div>
      {tenders.length > 0 && (
        <ul class="tenders" aria-label="Tenders">
          {tenders.map((t, i) => <li>{words(t.type)} {money(t.amount)}{t.reference ? ` (${t.reference})` : ''}
            {!locked && <button type="button" class="icon" aria-label={`Remove tender ${i + 1}`} onClick={() => setTenders(tenders.filter((_, j) => j !== i))}>×</button>}</li>)}
        </ul>
      )}
      {creditNote && <Notice kind="info">{creditNote}</Notice>}
      {err && <Notice kind="error">{err}</Notice>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <Button variant="primary" big disabled={busy || locked || quoted === null || paid < due} onClick={onComplete}>Complete sale</Button>
      {onCompleteOffline && (
        <>
          <Notice kind="warn">The network is down. The customer need not wait: complete the sale offline with this register's next reserved receipt number. It is on the books once either way.</Notice>
          <Button big onClick={onCompleteOffline}>Complete offline</Button>
        </>
      )}
      <Button onClick={onBack} disabled={locked}>Back to cart</Button>
    </div>
  );
}
