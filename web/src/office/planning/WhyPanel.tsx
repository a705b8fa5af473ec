// The numbers behind one suggestion, as the planner worked them out: its sentence, the figures
// (forecast, lead time, safety stock, order-up-to level, what is on hand and coming) and a
// chart of the item's sales at this store.
import { planning, type Quantity, type Suggestion } from '../../api';
import { Button, Notice } from '../../shared/components';
import { qty } from '../../shared/format';
import { useLoad } from '../useLoad';
import { SalesChart } from './SalesChart';

const days = (n: number) => `${qty(Math.round(n * 10) / 10)} day${n === 1 ? '' : 's'}`;
/** Safety stock and the order-up-to level are statistics: one decimal reads better than three. */
const tenth = (n: number) => qty(Math.round(n * 10) / 10);

export function WhyPanel({ suggestion: s, itemName, casePack, locationId, onClose }: {
  suggestion: Suggestion; itemName: string; casePack: Quantity | null; locationId: string; onClose: () => void;
}) {
  const [series, err] = useLoad(() => planning.series({ location_id: locationId, item_id: s.item_id }), [locationId, s.item_id]);
  const r = s.reason;
  const figures: [string, string][] = [
    ['Forecast a day', r.forecast_per_day.toFixed(1)],
    ['Lead time', days(r.lead_time_days)],
    ['Until the next order', days(r.review_days)],
    ['Customers served', `${Math.round(r.service_level * 1000) / 10} %`],
    ['Safety stock', tenth(r.safety_stock)],
    ['Order up to', tenth(r.order_up_to)],
    ['On hand', qty(r.on_hand)],
    ['On order', qty(r.on_order)],
    ...(r.in_transit ? [['In transit', qty(r.in_transit)] as [string, string]] : []),
    ...(r.reserved ? [['Reserved', qty(r.reserved)] as [string, string]] : []),
    ...(r.reorder_point !== null && r.reorder_point !== undefined ? [['Reorder point', qty(r.reorder_point)] as [string, string]] : []),
    ...(r.rounding?.topped_up ? [['Topped up by', qty(r.rounding.topped_up)] as [string, string]] : []),
    ['Suggested', casePack && casePack > 1 ? `${qty(s.quantity)} (${qty(s.cases)} case${s.cases === 1 ? '' : 's'} of ${qty(casePack)})` : qty(s.quantity)],
  ];
  const empty = series !== null && series.history.every((d) => !d.units);
  return (
    <div class="why" role="region" aria-label={`Why ${qty(s.quantity)} of ${itemName}`}>
      <div class="row spread">
        <h3>Why {qty(s.quantity)} of {itemName}</h3>
        <Button variant="quiet" onClick={onClose} aria-label={`Close why ${qty(s.quantity)} of ${itemName}`}>Close</Button>
      </div>
      <p class="reason-text">{r.text}</p>
      <dl class="why-figures">
        {figures.map(([k, v]) => <div><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
      {err && <Notice kind="error">{err}</Notice>}
      {series === null && !err && <p class="muted">Drawing the sales…</p>}
      {empty && <p class="muted">No sales of {itemName} here in the last 12 weeks yet: the suggestion leans on the supplier’s terms and
        the item’s category until sales come in.</p>}
      {series && !empty && <SalesChart series={series} itemName={itemName} />}
    </div>
  );
}
