// A return while the register cannot reach the server, where the shop allows it (Back office →
// Registers): against one of this register's own receipts from the copy it keeps, refunded in
// cash up to the shop's limit, queued and posted under its own id when the server is back
// (docs/offline-register.md). Everything else about returns needs the server.
import { useState } from 'preact/hooks';
import type { ReturnLineInput, Sale } from '../api';
import { Button, Notice } from '../shared/components';
import { money, uuidv7 } from '../shared/format';
import { isObject } from '../shared/storage';
import { enqueue, queued, recentByReceipt, remember } from './offline';
import type { OfflinePricing } from './cart';
import { refundOf, type Rounding } from './refund';
import { ChooseReturn, emptyChoice, FindReceipt, type LookUpReceipt, returnLines } from './returnParts';

/** The shop's rules a register follows offline, as last read from the server; pricing (cart.ts) included. */
export interface OfflineRules extends OfflinePricing { returns: 'refuse' | 'allow'; limit: number; rounding: Rounding }
const isTaxRules = (v: unknown): v is OfflinePricing['tax'] => isObject(v) && (v.mode === 'inclusive' || v.mode === 'exclusive') &&
  (v.rounding === 'line' || v.rounding === 'receipt') && typeof v.storeCategory === 'string' &&
  isObject(v.rates) && Object.values(v.rates).every((r) => Number.isInteger(r));
export const isOfflineRules = (v: unknown): v is OfflineRules => isObject(v) && (v.returns === 'refuse' || v.returns === 'allow') &&
  typeof v.limit === 'number' && (v.rounding === 'half_even' || v.rounding === 'half_up') && (v.tax === undefined || isTaxRules(v.tax));

/** Offline a receipt is looked up in this register's copy of its own recent sales only. */
export const lookUpOffline: LookUpReceipt = async (wanted) => {
  const found = await recentByReceipt(wanted).catch(() => null);
  if (found) return found;
  const waiting = (await queued().catch(() => [])).some((q) => q.kind !== 'return' && q.receipt_number === wanted);
  return waiting
    ? `Sale ${wanted} was made offline and has not reached the server yet: return it when the network is back.`
    : `Receipt ${wanted} is not in this register's copy. Offline, only this register's own receipts of the last 30 days can be found: take the receipt and do the return when the network is back.`;
};

/**
 * Why units of `sale` cannot come back offline with `cashOut` counted out of the drawer, or null:
 * a voided sale, more units than the copy says are left, cash handed out for a sale not paid in
 * cash or over the shop's limit (a return's whole refund; an exchange's difference).
 */
export function offlineRefusal(sale: Sale, lines: ReturnLineInput[], cashOut: number, rules: OfflineRules): string | null {
  if (sale.status === 'voided') return 'This sale was voided: there is nothing to refund.';
  if (cashOut > 0 && sale.tenders.some((t) => t.type !== 'cash')) return 'This sale was not paid in cash: its refund needs the server.';
  for (const l of lines) {
    const line = sale.lines.find((x) => x.id === l.sale_line_id);
    if (!line || !(l.quantity > 0) || l.quantity > line.quantity - line.returned_quantity) return `At most ${line ? line.quantity - line.returned_quantity : 0} of ${line?.name ?? 'that line'} can come back.`;
  }
  if (cashOut > rules.limit) return `The refund of ${money(cashOut)} is over the ${money(rules.limit)} a return may refund offline: wait for the network.`;
  return null;
}

/** The copy counts what came back, so the same units cannot be returned offline twice. */
export const rememberReturned = (sale: Sale, lines: ReturnLineInput[]) => remember({ ...sale, lines: sale.lines.map((l) => {
  const back = lines.find((x) => x.sale_line_id === l.id);
  return back ? { ...l, returned_quantity: l.returned_quantity + back.quantity } : l;
}) });

export function OfflineReturn({ registerId, rules, onQueued, onDone }: {
  registerId: string; rules: OfflineRules; onQueued: () => void; onDone: () => void;
}) {
  const [sale, setSale] = useState<Sale | null>(null);
  const [choice, setChoice] = useState(emptyChoice);
  const [done, setDone] = useState<{ refund: number; receipt: string } | null>(null);
  const [returnId] = useState(uuidv7());
  const lines = sale ? returnLines(sale, choice) : [];
  const refund = sale ? refundOf(sale, lines, rules.rounding) : 0;

  const why = sale ? offlineRefusal(sale, lines, refund, rules) : null;

  const complete = async () => {
    if (!sale || !lines.length || why) return;
    await enqueue({ kind: 'return', body: { id: returnId, sale_id: sale.id, register_id: registerId, lines }, receipt_number: sale.receipt_number, total: refund, at: Date.now() });
    await rememberReturned(sale, lines);
    onQueued();
    setDone({ refund, receipt: sale.receipt_number });
  };

  if (done) return (
    <div class="return-done">
      <h2>Return taken offline</h2>
      <Notice kind="ok">Refund {money(done.refund)} in cash for receipt {done.receipt}. The return is sent when the server is back.</Notice>
      <Button variant="primary" big onClick={onDone}>Back to the register</Button>
    </div>
  );
  return (
    <div class="return">
      <h2>Return (offline)</h2>
      <Notice kind="info">Offline: this register's own receipts only, refunded in cash up to {money(rules.limit)} a return.</Notice>
      <FindReceipt lookUp={lookUpOffline} onFound={(s) => { setSale(s); setChoice(emptyChoice()); }} />
      {sale && (
        <>
          <ChooseReturn sale={sale} choice={choice} onChange={setChoice} />
          {lines.length > 0 && (why ? <Notice kind="warn">{why}</Notice> : <p>Refund in cash: <strong>{money(refund)}</strong></p>)}
          <Button variant="primary" big disabled={!lines.length || why !== null} onClick={() => void complete()}>Complete return</Button>
        </>
      )}
    </div>
  );
}
