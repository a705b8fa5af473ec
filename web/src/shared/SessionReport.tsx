// An X report (session open) or Z report (closed), as the server answers it.
import type { Person, RegisterSession, SessionReport } from '../api';
import { money, when, words } from './format';

export const personName = (p: Person | null | undefined) => p?.name ?? '—';
const rate = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)} %`;

export function SessionReportView({ report: r, session }: { report: SessionReport; session: RegisterSession }) {
  const name = session.status === 'closed' ? 'Z report' : 'X report';
  const rows: [string, string][] = [
    ['Opening float', money(r.opening_float)], ['Cash sales', money(r.cash_sales)], ['Cash refunds', money(r.cash_refunds)],
    ['Paid in', money(r.paid_in)], ['Paid out', money(r.paid_out)], ['Safe drops', money(r.safe_drops)],
    ['Sales', String(r.sales_count)], ['Returns', `${r.returns_count} · ${money(r.returns_total)}`], ['Voids', String(r.voids_count)],
    ['Exchanges', String(r.exchanges_count)], ['Gross sales', money(r.gross_sales)], ['Discounts', money(r.discounts)], ['Net sales', money(r.net_sales)],
  ];
  return (
    <div class="session-report" role="region" aria-label={name}>
      <h3>{name} · {r.register.name} · {r.location.name} · session {session.number}</h3>
      <p class="muted small">Opened {when(session.opened_at)} by {personName(session.opened_by)}{session.closed_at ? ` · closed ${when(session.closed_at)} by ${personName(session.closed_by)}` : ''}</p>
      <table class="data z" aria-label={`${name} totals`}>
        <tbody>{rows.map(([k, v]) => <tr><th scope="row">{k}</th><td class="num">{v}</td></tr>)}</tbody>
      </table>
      <table class="data" aria-label={`${name} tenders`}>
        <thead><tr><th scope="col">Tender</th><th scope="col" class="num">Expected</th><th scope="col" class="num">Counted</th><th scope="col" class="num">Over / short</th></tr></thead>
        <tbody>{r.tenders.map((t) => <tr><td>{words(t.type)}</td><td class="num">{money(t.expected)}</td><td class="num">{money(t.counted)}</td><td class="num">{money(t.over_short)}</td></tr>)}</tbody>
      </table>
      {r.taxes.length > 0 && <table class="data" aria-label={`${name} tax by rate`}>
        <thead><tr><th scope="col">Tax rate</th><th scope="col" class="num">Taxable</th><th scope="col" class="num">Tax</th></tr></thead>
        <tbody>{r.taxes.map((t) => <tr><td>{rate(t.rate)}</td><td class="num">{money(t.taxable)}</td><td class="num">{money(t.tax)}</td></tr>)}</tbody>
      </table>}
      {r.by_cashier.length > 0 && <table class="data" aria-label={`${name} by cashier`}>
        <thead><tr><th scope="col">Cashier</th><th scope="col" class="num">Sales</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>{r.by_cashier.map((c) => <tr><td>{c.name}</td><td class="num">{c.sales_count}</td><td class="num">{money(c.sales_total)}</td></tr>)}</tbody>
      </table>}
    </div>
  );
}
