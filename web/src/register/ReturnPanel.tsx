// A return against a receipt: find the sale by its number, choose quantities, refund.
import { useState } from 'preact/hooks';
import { ApiError, message, OfflineError, permission, type NoReceiptReturnInput, type Permission, type ReturnDoc, type ReturnInput, type Sale, sales } from '../api';
import { Button, Notice, Select } from '../shared/components';
import { money, qty, uuidv7, words } from '../shared/format';
import type { Msg } from './PayPanel';
import { remember } from './offline';
import { NoReceiptReturn } from './NoReceiptReturn';
import { ChooseReturn, emptyChoice, FindReceipt, returnLines } from './returnParts';

export type AskOverride = (wanted: Permission, detail: string) => Promise<string | null>;

/**
 * Posts a return until the server answers: retried under its id while the server cannot be
 * reached (`waiting` says so), and a 403 asking for approval (a return without a receipt, a
 * refund over the limit) asks for a lead's on this screen. Null when nobody approved; other
 * refusals are thrown.
 */
export async function postReturn<B extends ReturnInput | NoReceiptReturnInput>(body: B, askOverride: AskOverride, waiting: () => void): Promise<ReturnDoc | null> {
  for (;;) {
    try {
      return await sales.returnSale(body);
    } catch (err) {
      if (err instanceof OfflineError) { waiting(); await new Promise((r) => setTimeout(r, 2500)); continue; }
      if (!(err instanceof ApiError && err.status === 403 && err.field === 'override_token')) throw err;
      const token = await askOverride(permission.returns_no_receipt, err.problem.detail);
      if (!token) return null;
      body = { ...body, override_token: token };
    }
  }
}

export function ReturnPanel({ locationId, registerId, training, receipt, onDone, onReturned, askOverride }: {
  locationId: string; registerId: string;
  /** Training mode: the return is practice, like the sales made there. */
  training: boolean;
  receipt?: string; onDone: () => void; askOverride: AskOverride;
  /** Told once, when the server has the return. */
  onReturned?: (r: ReturnDoc) => void;
}) {
  const [sale, setSale] = useState<Sale | null>(null);
  const [choice, setChoice] = useState(emptyChoice);
  const [msg, setMsg] = useState<Msg>(null);
  const [done, setDone] = useState<ReturnDoc | null>(null);
  const [refundTo, setRefundTo] = useState<'original' | 'store_credit'>('original');
  const [noReceipt, setNoReceipt] = useState(false);
  const [returnId] = useState(uuidv7());
  const lines = sale ? returnLines(sale, choice) : [];
  const complete = async () => {
    if (!sale) return;
    const body: ReturnInput = { id: returnId, sale_id: sale.id, register_id: registerId, lines, ...(training ? { training: true } : {}), ...(refundTo === 'store_credit' ? { refund_to: 'store_credit' as const } : {}) };
    try {
      const r = await postReturn(body, askOverride, () => setMsg({ kind: 'warn', text: 'Cannot reach the server — retrying…' }));
      if (!r) return;
      // The register's copy of the sale counts what came back (returns offline read it).
      void sales.get(sale.id).then(remember).catch(() => undefined);
      setDone(r);
      onReturned?.(r);
    } catch (err) {
      setMsg({ kind: 'error', text: message(err) });
    }
  };
  if (done) return (
    <div class="return-done">
      <h2>Return complete</h2>
      <Notice kind="ok">Refunded {money(done.refund_total)} ({done.tenders.map((t) => `${words(t.type)} ${money(t.amount)}`).join(', ')})</Notice>
      {done.tenders.filter((t) => t.type === 'store_credit' && t.reference).map((t) => (
        <Notice kind="info">Store credit note <strong class="credit-code">{t.reference}</strong> holds {money(t.amount)}. Print the slip for the customer: the code is the credit.</Notice>
      ))}
      <ul class="plain">{done.lines.map((l) => <li>{qty(l.quantity)} × {l.name ?? 'item'} — refund {money(l.refund)} · {l.disposition}</li>)}</ul>
      <p><a class="button" href={sales.refundSlip(done.id)} target="_blank" rel="noopener">Print refund slip</a></p>
      <Button variant="primary" big onClick={onDone}>Back to the register</Button>
    </div>
  );
  return (
    <div class="return">
      <h2>Return</h2>
      {noReceipt ? (
        <>
          <NoReceiptReturn locationId={locationId} registerId={registerId} training={training} askOverride={askOverride}
            onReturned={(r) => { setDone(r); onReturned?.(r); }} />
          <Button onClick={() => setNoReceipt(false)}>The customer has a receipt</Button>
        </>
      ) : (
        <>
          <FindReceipt initial={receipt} onFound={(s) => { setSale(s); setChoice(emptyChoice()); setMsg(null); }} />
          {!sale && <Button onClick={() => setNoReceipt(true)}>No receipt</Button>}
        </>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {sale && !noReceipt && (
        <>
          <ChooseReturn sale={sale} choice={choice} onChange={setChoice} />
          <Select label="Refund to" value={refundTo} onChange={(e) => setRefundTo(e.currentTarget.value === 'store_credit' ? 'store_credit' : 'original')}
            options={[['original', 'the original payment'], ['store_credit', 'a store credit note']]} />
          <Button variant="primary" big disabled={!lines.length} onClick={complete}>Complete return</Button>
        </>
      )}
    </div>
  );
}
