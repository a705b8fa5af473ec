// The printed receipt, with the receipt number as a Code 128 barcode.
import type { Sale } from '../api';
import { code128Bars } from '../shared/code128';
import { money, qty, when, words } from '../shared/format';

export function Receipt({ sale }: { sale: Sale }) {
  const bars = code128Bars(sale.receipt_number);
  const width = bars[bars.length - 1].x;
  return (
    <article class="receipt" aria-label="Receipt">
      {sale.training && <p class="receipt-training">TRAINING — NOT A SALE</p>}
      <h2>Backroom</h2>
      <p class="muted small">{when(sale.created_at)} · {sale.user}</p>
      <table class="receipt-lines">
        <tbody>
          {sale.lines.map((l) => (
            <tr><td>{l.name}{l.quantity !== 1 ? ` × ${qty(l.quantity)}` : ''}{l.line_discount ? ` (−${money(l.line_discount)})` : ''}</td><td class="num">{money(l.total)}</td></tr>
          ))}
          <tr class="receipt-total"><td>TOTAL</td><td class="num">{money(sale.total)}</td></tr>
          <tr><td>incl. tax</td><td class="num">{money(sale.tax_total)}</td></tr>
          {sale.tenders.map((t) => <tr><td>{words(t.type)}</td><td class="num">{money(t.amount)}</td></tr>)}
          <tr><td>Change</td><td class="num">{money(sale.change_due)}</td></tr>
        </tbody>
      </table>
      <svg class="barcode" viewBox={`0 0 ${width} 40`} role="img" aria-label={`Barcode ${sale.receipt_number}`}>
        {bars.filter((b) => b.w > 0).map((b) => <rect x={b.x} y={0} width={b.w} height={40} />)}
      </svg>
      <p class="receipt-number" aria-label="Receipt number">{sale.receipt_number}</p>
      {sale.offline_receipt_number && <p class="receipt-offline-number">Printed offline as {sale.offline_receipt_number}</p>}
      {sale.status === 'voided' && <p class="receipt-training">VOIDED</p>}
    </article>
  );
}
