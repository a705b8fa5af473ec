// The weekly review: the five numbers of the seven days ending on a day (today by default),
// each with how it was worked out and a 12-week sparkline; the worst items per number, by
// name; and the action list — what the shop decided to do, by whom, by when, with photos of
// the problem shelf, coming back week after week until it is closed with its outcome.
import { useEffect, useState } from 'preact/hooks';
import {
  type ActionList, type KpiName, type KpiReport, type KpiTotals, type KpiWeekly, message, type Owner, permission,
  reports, type ReviewAction,
} from '../../api';
import { can, type Session } from '../../app/session';
import { Button, Field, Notice, Select } from '../../shared/components';
import { money, qty, uuidv7 } from '../../shared/format';
import { useLocations } from '../useLoad';
import { Sparkline } from './Sparkline';
import './review.css';

const pct = (v: number | null, digits = 1) => (v === null ? '—' : `${(v * 100).toFixed(digits)} %`);
const dayMs = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);

interface KpiShow { name: KpiName; title: string; value: (v: number | null) => string; working: (t: KpiTotals) => string }
const KPIS: KpiShow[] = [
  { name: 'stockout_rate', title: 'Stockout rate', value: (v) => pct(v),
    working: (t) => `${t.stockout_rate.out_of_stock_item_days} of ${t.stockout_rate.item_days} item-days out of stock` },
  { name: 'sell_through', title: 'Sell-through', value: (v) => pct(v),
    working: (t) => `${qty(t.sell_through.units_sold)} sold of ${qty(t.sell_through.units_sold + t.sell_through.end_on_hand)}` },
  { name: 'days_of_supply', title: 'Days of supply', value: (v) => (v === null ? '—' : `${v.toFixed(1)} days`),
    working: (t) => `${qty(t.days_of_supply.on_hand)} on hand, ${qty(t.days_of_supply.units_sold_last_28_days)} sold in 28 days` },
  { name: 'shrink', title: 'Shrink', value: (v) => pct(v, 2),
    working: (t) => `${money(t.shrink.shrink_cost)} lost of ${money(t.shrink.net_sales)} sales` },
  { name: 'gmroi', title: 'GMROI', value: (v) => (v === null ? '—' : v.toFixed(2)),
    working: (t) => `${money(t.gmroi.gross_margin)} margin on ${money(Math.round(t.gmroi.denominator))} stock at cost` },
];
/** Worth listing among the worst: a known value, and for stockouts and shrink, above zero. */
const isBad = (k: KpiName, v: number | null) => v !== null && !((k === 'stockout_rate' || k === 'shrink') && v === 0);
const kpiTitle = (k: KpiName | null) => KPIS.find((x) => x.name === k)?.title ?? '';

export function Review({ session }: { session: Session }) {
  const sites = useLocations().filter((l) => ['store', 'backroom', 'warehouse'].includes(l.kind));
  const [site, setSite] = useState('');
  const [to, setTo] = useState(today());
  const [report, setReport] = useState<KpiReport | null>(null);
  const [weekly, setWeekly] = useState<KpiWeekly | null>(null);
  const [worst, setWorst] = useState<Partial<Record<KpiName, KpiTotals[]>>>({});
  const [actions, setActions] = useState<ActionList | null>(null);
  const [msg, setMsg] = useState('');
  const mayAct = can(session, permission.reports_actions);
  const where = site || undefined;

  const loadActions = () => reports.actions(to).then(setActions).catch((x) => setMsg(message(x)));
  useEffect(() => {
    setMsg('');
    const from = addDays(to, -6);
    reports.kpis({ from, to, location_id: where }).then(setReport).catch((x) => setMsg(message(x)));
    reports.weekly({ to, weeks: 12, location_id: where }).then(setWeekly).catch((x) => setMsg(message(x)));
    Promise.all(KPIS.map((k) => reports.kpis({ from, to, location_id: where, group: 'item', order: k.name, limit: 3 })
      .then((r) => [k.name, r.rows] as const)))
      .then((pairs) => setWorst(Object.fromEntries(pairs)))
      .catch((x) => setMsg(message(x)));
    void loadActions();
  }, [site, to]);

  return (
    <section class="review">
      <h1>Weekly review</h1>
      <div class="row">
        <Select label="Location" value={site} onChange={(e) => setSite(e.currentTarget.value)}
          options={[['', 'All locations'], ...sites.map((l) => [l.id, l.name] as [string, string])]} />
        <Field label="Week ending" type="date" value={to} max={today()} onInput={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
      </div>
      {msg && <Notice kind="error">{msg}</Notice>}
      <h2>The five numbers, {addDays(to, -6)} to {to}</h2>
      <div class="kpi-cards">
        {KPIS.map((k) => {
          const t = report?.total;
          const series = (weekly?.weeks ?? []).map((w) => w[k.name].value);
          return (
            <article class="kpi-card" aria-label={k.title}>
              <h3>{k.title}</h3>
              <p class="kpi-value">{t ? k.value(t[k.name].value) : '…'}</p>
              <p class="kpi-working">{t ? k.working(t) : ''}</p>
              <Sparkline values={series} label={`${k.title}, last 12 weeks: ${series.map((v) => k.value(v)).join(', ')}`} />
            </article>
          );
        })}
      </div>
      {report && Object.keys(report.total.shrink.by_reason).length > 0 && (
        <p>Shrink by reason: {Object.entries(report.total.shrink.by_reason).map(([r, v]) => `${r.replace(/_/g, ' ')} ${money(v)}`).join(' · ')}</p>
      )}
      {report && (report.total.count_accuracy || report.total.forecast_wape) && (
        <p>
          {report.total.count_accuracy &&
            `Count accuracy ${pct(report.total.count_accuracy.value)} (${report.total.count_accuracy.numerator} of ${report.total.count_accuracy.denominator} lines within tolerance)`}
          {report.total.count_accuracy && report.total.forecast_wape && ' · '}
          {report.total.forecast_wape && `Forecast error (WAPE) ${pct(report.total.forecast_wape.value)}`}
        </p>
      )}
      <h2>Worst items</h2>
      <div class="worst">
        {KPIS.map((k) => (
          <div>
            <h3>{k.title}</h3>
            <ol aria-label={`Worst items by ${k.title.toLowerCase()}`}>
              {(worst[k.name] ?? []).filter((r) => isBad(k.name, r[k.name].value)).map((r) => <li>{r.name} ({r.sku}): {k.value(r[k.name].value)}</li>)}
            </ol>
            {!(worst[k.name] ?? []).some((r) => isBad(k.name, r[k.name].value)) && <p class="hint">Nothing to show.</p>}
          </div>
        ))}
      </div>
      <h2>Actions</h2>
      {mayAct && <AddAction week={to} site={where} onAdded={loadActions} />}
      <ActionsList list={actions} mayAct={mayAct} onChanged={loadActions} />
    </section>
  );
}

function AddAction({ week, site, onAdded }: { week: string; site?: string; onAdded: () => void }) {
  const [owners, setOwners] = useState<Owner[]>([]);
  const [note, setNote] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState(addDays(today(), 7));
  const [kpi, setKpi] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => { reports.owners().then(setOwners).catch((x) => setMsg({ kind: 'error', text: message(x) })); }, []);
  const add = async () => {
    if (!note.trim()) { setMsg({ kind: 'error', text: 'Write what is to be done.' }); return; }
    const ownerId = owner || owners[0]?.id;
    if (!ownerId) { setMsg({ kind: 'error', text: 'Pick who owns it.' }); return; }
    try {
      const made = await reports.addAction({ id: uuidv7(), note: note.trim(), owner_id: ownerId, due_on: due, week,
        ...(kpi ? { kpi: kpi as KpiName } : {}), ...(site ? { location_id: site } : {}) });
      if (photo) await reports.addPhoto(made.id, photo);
      setNote('');
      setPhoto(null);
      setMsg({ kind: 'ok', text: `Action added for ${made.owner.name}, due ${made.due_on}.` });
      onAdded();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <form class="add-action" onSubmit={(e) => { e.preventDefault(); void add(); }}>
      <h3>Add an action</h3>
      <div class="field">
        <label for="action-note">What is to be done</label>
        <textarea id="action-note" value={note} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      <div class="row">
        <Select label="Owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)} options={owners.map((o) => [o.id, o.name] as [string, string])} />
        <Field label="Due" type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        <Select label="About" value={kpi} onChange={(e) => setKpi(e.currentTarget.value)} options={[['', '—'], ...KPIS.map((k) => [k.name, k.title] as [string, string])]} />
      </div>
      <div class="row">
        <label class="file-pick">{photo ? `Photo: ${photo.name}` : 'Add a photo of the shelf'}
          <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <Button variant="primary" type="submit">Add action</Button>
      </div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </form>
  );
}

function ActionsList({ list, mayAct, onChanged }: { list: ActionList | null; mayAct: boolean; onChanged: () => void }) {
  if (!list) return <p>Loading actions…</p>;
  if (!list.actions.length) return <p>No actions this week.</p>;
  return (
    <ul class="actions-list" aria-label="Actions">
      {list.actions.map((a) => <ActionCard key={a.id} action={a} mayAct={mayAct} onChanged={onChanged} />)}
    </ul>
  );
}

function ActionCard({ action: a, mayAct, onChanged }: { action: ReviewAction; mayAct: boolean; onChanged: () => void }) {
  const [outcome, setOutcome] = useState(a.outcome);
  const [msg, setMsg] = useState('');
  const close = async (status: 'done' | 'dropped') => {
    if (!outcome.trim()) { setMsg('Write the outcome first.'); return; }
    try { await reports.changeAction(a.id, { status, outcome: outcome.trim() }, a.version); onChanged(); } catch (x) { setMsg(message(x)); }
  };
  const addPhoto = async (file: File | undefined) => {
    if (!file) return;
    try { await reports.addPhoto(a.id, file); onChanged(); } catch (x) { setMsg(message(x)); }
  };
  const outcomeId = `outcome-${a.id}`;
  return (
    <li class="action">
      <p><span class={`badge ${a.status}`}>{a.status}</span>{a.carried && <span class="badge">from the week of {a.week}</span>}<strong>{a.note}</strong></p>
      <p class="meta">{a.owner.name} · due {a.due_on}{a.kpi ? ` · ${kpiTitle(a.kpi)}` : ''}{a.location ? ` · ${a.location.name}` : ''}{a.item ? ` · ${a.item.name}` : ''}</p>
      {a.photos.map((p, i) => <img src={reports.photo(a.id, p.id)} alt={`Photo ${i + 1} for: ${a.note}`} />)}
      {a.status !== 'open' && <p>Outcome: {a.outcome}</p>}
      {a.status === 'open' && mayAct && (
        <div>
          <div class="field">
            <label for={outcomeId}>Outcome</label>
            <textarea id={outcomeId} value={outcome} maxLength={2000} onInput={(e) => setOutcome(e.currentTarget.value)} />
          </div>
          <div class="row">
            <Button variant="primary" onClick={() => close('done')}>Done</Button>
            <Button onClick={() => close('dropped')}>Dropped</Button>
            <label class="file-pick">Add a photo
              <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" onChange={(e) => addPhoto(e.currentTarget.files?.[0])} />
            </label>
          </div>
        </div>
      )}
      {msg && <Notice kind="error">{msg}</Notice>}
    </li>
  );
}
