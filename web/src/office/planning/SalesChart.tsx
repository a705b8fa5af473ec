// "Why this number", drawn: an item's daily sales at a location over the last 12 weeks, the
// days that ended out of stock (their sales are a floor, not demand) and the promotion days
// marked in their own lanes under the bars, and the forecast ahead as a dashed step line.
import type { DemandSeries } from '../../api';
import { qty } from '../../shared/format';

/** Twelve weeks of history is what the page shows, whatever the series holds. */
export const history_days_shown = 84;

const width = 640;
const plotTop = 12;
const plotBottom = 150;
const laneStockout = 162;
const lanePromo = 176;
const axisLeft = 46;
const axisRight = width - 8;
const height = 208;

export interface ChartFigures { sold: number; censored: number; promo: number; noData: number; forecastPerDay: number | null; forecastDays: number }

/** What the chart shows, in words: its label for a screen reader and the legend's counts. */
export function chartFigures(series: DemandSeries): ChartFigures {
  const days = series.history.slice(-history_days_shown);
  const ahead = series.forecast;
  return {
    sold: days.reduce((s, d) => s + (d.units ?? 0), 0),
    censored: days.filter((d) => d.censored).length,
    promo: days.filter((d) => d.promo).length,
    noData: days.filter((d) => d.units === null).length,
    forecastPerDay: ahead.length ? ahead.reduce((s, d) => s + d.units, 0) / ahead.length : null,
    forecastDays: ahead.length,
  };
}

const shortDate = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
};

/** A round top for the y axis: 1, 2, 5, 10, 20, 50 … at or above the largest value. */
function niceTop(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function SalesChart({ series, itemName }: { series: DemandSeries; itemName: string }) {
  const days = series.history.slice(-history_days_shown);
  const ahead = series.forecast;
  const n = Math.max(days.length + ahead.length, 1);
  const slot = (axisRight - axisLeft) / n;
  const top = niceTop(Math.max(...days.map((d) => d.units ?? 0), ...ahead.map((d) => d.units), 0));
  const y = (v: number) => plotBottom - (v / top) * (plotBottom - plotTop);
  const x = (i: number) => axisLeft + i * slot;
  const f = chartFigures(series);
  const todayX = x(days.length);
  // Forecast as a step line: one flat segment per day ahead.
  const step = ahead.map((d, i) => `${i === 0 ? 'M' : 'L'}${x(days.length + i).toFixed(1)},${y(d.units).toFixed(1)} H${x(days.length + i + 1).toFixed(1)}`).join(' ');
  // A date under the axis every 14 days, counted back from today.
  const ticks = days.map((d, i) => ({ d, i })).filter(({ i }) => (days.length - i) % 14 === 0);
  const label = `Daily sales of ${itemName} over the last ${Math.round(days.length / 7)} weeks: ${qty(f.sold)} units sold, ` +
    `${f.censored} day${f.censored === 1 ? '' : 's'} out of stock, ${f.promo} promotion day${f.promo === 1 ? '' : 's'}` +
    (f.forecastPerDay === null ? '.' : `; forecast about ${f.forecastPerDay.toFixed(1)} a day for the next ${f.forecastDays} days.`);
  return (
    <figure class="sales-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        {[0, top / 2, top].map((v) => (
          <g>
            <line x1={axisLeft} x2={axisRight} y1={y(v)} y2={y(v)} class={v === 0 ? 'axis' : 'grid'} />
            <text x={axisLeft - 4} y={y(v) + 4} text-anchor="end" class="tick">{qty(v)}</text>
          </g>
        ))}
        {days.map((d, i) => d.units !== null && d.units > 0 && (
          <rect x={x(i) + slot * 0.1} y={y(d.units)} width={slot * 0.8} height={plotBottom - y(d.units)}
            class={d.censored ? 'bar bar-censored' : d.promo ? 'bar bar-promo' : 'bar'} />
        ))}
        {days.map((d, i) => d.units === null && <rect x={x(i)} y={plotBottom - 3} width={Math.max(slot, 1.5)} height={3} class="mark-none" />)}
        {days.map((d, i) => d.censored && <rect x={x(i)} y={laneStockout - 5} width={Math.max(slot, 1.5)} height={8} class="mark-censored" />)}
        {days.map((d, i) => d.promo && <rect x={x(i)} y={lanePromo - 5} width={Math.max(slot, 1.5)} height={8} class="mark-promo" />)}
        <text x={axisLeft - 4} y={laneStockout + 3} text-anchor="end" class="lane">out</text>
        <text x={axisLeft - 4} y={lanePromo + 3} text-anchor="end" class="lane">promo</text>
        {ahead.length > 0 && <>
          <rect x={todayX} y={plotTop} width={axisRight - todayX} height={plotBottom - plotTop} class="ahead" />
          <path d={step} class="forecast" />
        </>}
        <line x1={todayX} x2={todayX} y1={plotTop - 4} y2={lanePromo + 6} class="today" />
        {ticks.map(({ d, i }) => <text x={x(i)} y={height - 8} text-anchor="middle" class="tick">{shortDate(d.date)}</text>)}
        <text x={todayX} y={height - 8} text-anchor={ahead.length ? 'start' : 'end'} class="tick today-label">today</text>
      </svg>
      <figcaption>
        <ul class="legend plain">
          <li><span class="swatch swatch-bar" aria-hidden="true" />units sold a day ({qty(f.sold)} in {Math.round(days.length / 7)} weeks)</li>
          <li><span class="swatch swatch-censored" aria-hidden="true" />{f.censored} day{f.censored === 1 ? '' : 's'} ended out of stock: sales those days are a floor, not demand</li>
          <li><span class="swatch swatch-promo" aria-hidden="true" />{f.promo} promotion day{f.promo === 1 ? '' : 's'}</li>
          {f.noData > 0 && <li><span class="swatch swatch-none" aria-hidden="true" />{f.noData} day{f.noData === 1 ? '' : 's'} without data (no gap is read as no sales)</li>}
          {f.forecastPerDay !== null && <li><span class="swatch swatch-forecast" aria-hidden="true" />forecast: about {f.forecastPerDay.toFixed(1)} a day for the next {f.forecastDays} days</li>}
        </ul>
      </figcaption>
    </figure>
  );
}
