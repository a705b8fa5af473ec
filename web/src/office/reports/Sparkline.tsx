// A sparkline drawn by the page: one SVG polyline over the weeks, a dot on the last week, gaps
// where a week has no value. No chart library: twelve points need none.
export function Sparkline({ values, label, width = 132, height = 36 }: { values: (number | null)[]; label: string; width?: number; height?: number }) {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const pad = 4;
  const lo = known.length ? Math.min(...known) : 0;
  const hi = known.length ? Math.max(...known) : 1;
  const span = hi - lo || 1;
  const x = (i: number) => pad + (values.length > 1 ? (i * (width - 2 * pad)) / (values.length - 1) : (width - 2 * pad) / 2);
  const y = (v: number) => height - pad - ((v - lo) * (height - 2 * pad)) / span;
  // Runs of consecutive known values, each drawn as its own line.
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) { if (run.length) runs.push(run.join(' ')); run = []; return; }
    run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  return (
    <svg class="sparkline" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title>{label}</title>
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} class="sparkline-base" />
      {runs.map((points) => (points.includes(' ')
        ? <polyline points={points} class="sparkline-line" />
        : <circle cx={points.split(',')[0]} cy={points.split(',')[1]} r="1.8" class="sparkline-line" />))}
      {last !== null && last !== undefined && Number.isFinite(last) && <circle cx={x(lastIndex)} cy={y(last)} r="3" class="sparkline-dot" />}
    </svg>
  );
}
