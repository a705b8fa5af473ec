// An X report (session still open) or Z report (closed) as a two-column table.
import type { ZReport as Report } from '../api';
import { money, words } from './format';

export function ZReport({ z, closed }: { z: Report; closed: boolean }) {
  const rows: [string, string][] = [
    ['Opening float', money(z.opening_float)], ['Sales', `${z.sales_count} · ${money(z.sales_total)}`], ['Tax', money(z.tax_total)],
    ['Discounts', money(z.discount_total)], ['Voids', `${z.voids_count} · ${money(z.voided_total)}`], ['Returns', `${z.returns_count} · ${money(z.refunds_total)}`],
    ...Object.entries(z.tenders ?? {}).map(([k, v]): [string, string] => [`Taken ${words(k)}`, money(v)]),
    ['Cash in / out', `${money(z.cash_in)} / ${money(z.cash_out)}`], ['Expected cash', money(z.expected_cash)],
    ...(z.counted_cash !== undefined ? [['Counted cash', money(z.counted_cash)] as [string, string]] : []),
    ...(z.over_short !== undefined ? [['Over / short', money(z.over_short)] as [string, string]] : []),
  ];
  return (
    <table class="data z" aria-label={closed ? 'Z report' : 'X report'}>
      <tbody>{rows.map(([k, v]) => <tr><th scope="row">{k}</th><td class="num">{v}</td></tr>)}</tbody>
    </table>
  );
}
