// The promotion calendar (issue 17): the promotions the shop has flagged on price changes,
// planned and past, with their days, price and where each stands. Planning reads the same
// promotions: their days are promotion days in the history and ahead in the forecast.
import { useState } from 'preact/hooks';
import { planning, type Promotion } from '../../api';
import { Field, Notice, DataTable, Select } from '../../shared/components';
import { money } from '../../shared/format';
import { useLoad } from '../useLoad';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const STATUS: Record<Promotion['status'], string> = {
  pending: 'Waiting for approval', approved: 'Approved, starts on its day', applied: 'Running', ended: 'Ended',
};

function priceText(p: Promotion): string {
  // A price tier's promotion is marked as one: it is not the shelf price (planning leaves it out).
  const tier = p.tier ? `Price tier “${p.tier}”: ` : '';
  if (p.same_price) return `${tier}Same price`;
  const off = p.discount_percent !== null && p.discount_percent > 0 ? ` (${p.discount_percent} % off)` : '';
  return `${tier}${money(p.price)}${off}`;
}

export function Promotions() {
  const [from, setFrom] = useState(isoDay(Date.now() - 28 * DAY_MS));
  const [to, setTo] = useState(isoDay(Date.now() + 90 * DAY_MS));
  const [status, setStatus] = useState<Promotion['status'] | ''>('');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const [data, err] = useLoad(() => (valid ? planning.promotions({ from, to, limit: 500, ...(status ? { status } : {}) }) : Promise.resolve(null)),
    [from, to, status, valid]);
  const rows = data?.promotions ?? [];
  return (
    <section>
      <h1>Promotions</h1>
      <p class="muted">Promotions are price changes marked “Promotion” (request one on an item). Planning counts their days as promotion days.</p>
      <div class="row">
        <Field label="From" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <Field label="To" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        <Select label="Show" value={status} options={[['', 'All promotions'], ...Object.entries(STATUS)] as [string, string][]}
          onChange={(e) => setStatus(e.currentTarget.value as Promotion['status'] | '')} />
      </div>
      {!valid && <Notice kind="error">Pick a “From” day on or before the “To” day.</Notice>}
      {err && <Notice kind="error">{err}</Notice>}
      {valid && data && rows.length === 0 && <Notice kind="info">{status ? `No promotions “${STATUS[status]}” in these days.` : 'No promotions in these days.'}</Notice>}
      {rows.length > 0 && <DataTable name="Promotion calendar" rows={rows}
        columns={[['item', (r) => `${r.name} (${r.sku})`], ['from', (r) => r.from], ['to', (r) => r.to ?? 'until the next price change'],
          ['price', (r) => priceText(r), true], ['regular', (r) => (r.regular_price === null ? '—' : money(r.regular_price)), true], ['status', (r) => STATUS[r.status]],
          ['reason', (r) => r.reason]]} />}
      {data?.next_cursor && <Notice kind="info">Showing the first 500: narrow the days to see the rest.</Notice>}
    </section>
  );
}
