// Cycle counts, built for a phone in one hand: today's list for a location, then one item at
// a time — what to count and where (never how many the books say), scan or type its barcode
// (a case barcode counts its case), the quantity, an optional photo, next. A perfect count
// says so. Someone with counts.approve reviews variances, flags and recounts and approves
// with a reason per variance. Every target is ≥ 44 px; a keyboard-wedge scanner works.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, catalog, type CountDoc, type CountLine, counts, type Location, message, OfflineError, permission, type VarianceReason } from '../../api';
import { can, navigate, type Session, usePath } from '../../app/session';
import { beep } from '../../shared/beep';
import { Button, DataTable, Notice } from '../../shared/components';
import { money, qty, uuidv7, when, words } from '../../shared/format';
import { useLoad, useLocations } from '../useLoad';
import { downscale } from '../../shared/photo';
import { trainingEvent } from '../../help/coach';
import './counts.css';

const base = '/office/counts';
const sites = (ls: Location[]) => ls.filter((l) => ['store', 'backroom', 'warehouse'].includes(l.kind));
const statusWords: Record<string, string> = { to_count: 'to count', counted: 'counted', recount: 'needs a recount', recounted: 'recounted' };
const reasons: VarianceReason[] = ['theft', 'damage', 'admin_error', 'supplier_short', 'unknown'];
const photoSideMax = 800;  // px: a photo is downscaled on the phone before it is sent

export function Counts({ session }: { session: Session }) {
  const path = usePath();
  const rest = path.startsWith(base + '/') ? path.slice(base.length + 1).split('/') : [];
  const [id, mode] = [rest[0] ?? '', rest[1] ?? ''];
  return (
    <section class="counts">
      {id
        ? (mode === 'review' && can(session, permission.counts_approve)
          ? <Review key={id} id={id} />
          : <CountItems key={id} id={id} session={session} />)
        : <Start session={session} />}
    </section>
  );
}

/** Pick a location, see today's list, start it or carry on with an open count. */
function Start({ session }: { session: Session }) {
  const locations = sites(useLocations());
  const [locationId, setLocationId] = useState('');
  const here = locationId || locations[0]?.id || '';
  const [today, err] = useLoad(() => (here ? counts.today(here) : Promise.resolve(null)), [here]);
  const [open, openErr, reload] = useLoad(() => (here ? counts.list({ location_id: here, status: 'open' }) : Promise.resolve([])), [here]);
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    try {
      const c = await counts.start({ location_id: here, plan: 'today' });
      navigate(`${base}/${c.id}`);
    } catch (x) { setMsg(message(x)); reload(); } finally { setBusy(false); }
  };
  const approver = can(session, permission.counts_approve);
  return (
    <div>
      <h1>Counts</h1>
      {locations.length > 1 && (
        <div class="field">
          <label for="count-location">Location</label>
          <select id="count-location" value={here} onChange={(e) => setLocationId((e.currentTarget as HTMLSelectElement).value)}>
            {locations.map((l) => <option value={l.id}>{l.name}</option>)}
          </select>
        </div>
      )}
      {(err || openErr || msg) && <Notice kind="error">{err || openErr || msg}</Notice>}
      <h2>Today</h2>
      {today && !today.working_day && <p class="muted">Today is not a counting day here.</p>}
      {today && today.working_day && today.items.length === 0 && <p class="muted">Nothing is due today.</p>}
      {today && today.items.length > 0 && (
        <div class="card today-card">
          <p><strong>{today.items.length}</strong> item{today.items.length === 1 ? '' : 's'} to count today, a few minutes' work.</p>
          <ul class="plain today-list" aria-label="Due today">
            {today.items.slice(0, 8).map((i) => <li>{i.name} <span class="muted">· {i.category || 'no category'}</span></li>)}
            {today.items.length > 8 && <li class="muted">and {today.items.length - 8} more</li>}
          </ul>
          <Button big variant="primary" disabled={busy} onClick={start}>Start today's count</Button>
        </div>
      )}
      <h2>Open counts</h2>
      {open && open.length === 0 && <p class="muted">No count is open here.</p>}
      <ul class="plain open-counts" aria-label="Open counts">
        {(open ?? []).map((c) => (
          <li class="open-count">
            <span><strong>{c.plan_date ? `Plan of ${c.plan_date}` : words(c.kind) + ' count'}</strong> · {c.lines_counted} of {c.lines_total} counted · started {when(c.created_at)} by {c.created_by}</span>
            <span class="open-count-buttons">
              <Button onClick={() => navigate(`${base}/${c.id}`)}>Count</Button>
              {approver && c.lines_counted > 0 && <Button variant="primary" onClick={() => navigate(`${base}/${c.id}/review`)}>Review</Button>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A photo from the camera, downscaled to a JPEG data: URL the server keeps. */
const shrink = async (file: File) => (await downscale(file, photoSideMax)).toDataURL('image/jpeg', 0.7);

type Msg = { kind: 'ok' | 'error' | 'warn' | 'info'; text: string } | null;

/** Counting: one line at a time, blind. */
function CountItems({ id, session }: { id: string; session: Session }) {
  const [doc, setDoc] = useState<CountDoc | null>(null);
  const [lineId, setLineId] = useState('');
  const [amount, setAmount] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const latest = useRef({ lineId, amount });  // see take() below
  const scans = useRef<Promise<void>>(Promise.resolve());
  const load = () => counts.get(id).then((d) => { setDoc(d); return d; }).catch((x) => { setMsg({ kind: 'error', text: message(x) }); return null; });
  useEffect(() => { load().then((d) => { if (d) setLineId(nextLine(d)?.id ?? ''); }); }, [id]);
  if (!doc) return <div><h1>Count</h1>{msg && <Notice kind={msg.kind}>{msg.text}</Notice>}</div>;

  const line = doc.lines.find((l) => l.id === lineId) ?? null;
  const mine = (l: CountLine) => l.counted_by_me !== null;
  /** What this person still has to do: lines nobody counted, then recounts someone else asked for. */
  function nextLine(d: CountDoc, after?: string): CountLine | undefined {
    const todo = d.lines.filter((l) => l.counted_by_me === null && (l.status === 'to_count' || l.status === 'recount'));
    return todo.find((l) => l.id !== after) ?? undefined;
  }
  const pick = (l: CountLine) => { setLineId(l.id); setAmount(''); setPhoto(null); setMsg(null); setTimeout(() => amountRef.current?.focus(), 0); };

  // A scanner sends codes faster than a lookup answers: scans are handled one after another,
  // each adding to what the previous one left (held in `latest` at once, not at the next
  // render), so no scan is lost or counted twice.
  latest.current = { lineId, amount };
  const take = async (code: string) => {
    const bySku = doc.lines.find((l) => l.sku.toLowerCase() === code.toLowerCase());
    let hit: { l: CountLine; pack: number } | null = bySku ? { l: bySku, pack: 1 } : null;
    if (!hit) {
      try {
        const r = await catalog.scan(code);
        const l = doc.lines.find((x) => x.item_id === r.item.id);
        if (!l) { beep(); setMsg({ kind: 'error', text: `${r.item.name} is not on this count: leave it for now.` }); return; }
        hit = { l, pack: r.pack_quantity ?? 1 };
      } catch (x) {
        beep();
        setMsg({ kind: 'error', text: x instanceof ApiError ? `Unknown barcode ${code}.` : message(x) });
        return;
      }
    }
    // The same item scanned again adds to the quantity: one unit, or a whole case.
    const was = latest.current;
    const next = { lineId: hit.l.id, amount: String((hit.l.id === was.lineId ? Number(was.amount || '0') : 0) + hit.pack) };
    latest.current = next;
    if (hit.l.id !== was.lineId) { setLineId(hit.l.id); setPhoto(null); }
    setAmount(next.amount);
    setMsg({ kind: 'info', text: hit.pack > 1 ? `A case of ${qty(hit.pack)}: ${hit.l.name}` : `+1 ${hit.l.name}` });
  };
  const onScan = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const input = e.currentTarget as HTMLInputElement;
    const code = input.value.trim();
    input.value = '';
    if (!code) return;
    scans.current = scans.current.then(() => take(code));
  };

  const save = async () => {
    if (!line) return;
    const t = amount.trim().replace(',', '.');
    if (!/^\d+(\.\d{1,3})?$/.test(t)) { setMsg({ kind: 'error', text: 'Type how many you counted (0 when there are none).' }); amountRef.current?.focus(); return; }
    setBusy(true);
    const key = uuidv7();
    const body = { item_id: line.item_id, counted: Number(t), counted_at: new Date().toISOString(), ...(photo ? { photo } : {}) };
    try {
      // A lost answer on a flaky connection: send the same line again under the same key.
      for (let attempt = 0; ; attempt++) {
        try { await counts.line(doc.id, key, body); break; } catch (x) { if (!(x instanceof OfflineError) || attempt >= 2) throw x; }
      }
      const d = await load();
      setAmount('');
      setPhoto(null);
      const next = d ? nextLine(d, line.id) : undefined;
      setLineId(next?.id ?? '');
      setMsg({ kind: 'ok', text: `Saved: ${qty(Number(t))} × ${line.name}` });
      setTimeout(() => scanRef.current?.focus(), 0);
    } catch (x) {
      setMsg({ kind: 'error', text: message(x) });
    } finally { setBusy(false); }
  };

  const done = doc.lines.filter((l) => l.status !== 'to_count').length;
  const allMine = doc.lines.every((l) => mine(l) || l.status === 'counted' || l.status === 'recounted');
  return (
    <div>
      <h1>Count at {doc.location_name}</h1>
      <p class="count-progress" aria-live="polite"><strong>{done}</strong> of {doc.lines_total} counted{doc.status === 'approved' ? ' · approved' : ''}</p>
      {doc.perfect === true && <p class="celebrate" role="status">Perfect count: everything matched. Well done!</p>}
      {doc.perfect === false && allMine && <p class="muted" role="status">All counted. A manager reviews the differences.</p>}
      {doc.status === 'open' && (
        <div class="scan big-scan">
          <label for="count-scan">Scan or type a barcode</label>
          <input id="count-scan" ref={scanRef} autocomplete="off" spellcheck={false} enterKeyHint="go" inputMode="text" autofocus placeholder="Barcode or SKU" onKeyDown={onScan} />
        </div>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {line && doc.status === 'open' && (
        <div class="card count-now" aria-label="Counting now">
          <p class="count-name">{line.name}</p>
          <p class="muted">SKU {line.sku} · where: {doc.location_name}{line.category ? `, ${line.category}` : ''}</p>
          {line.status === 'recount' && <p class="recount-note">Someone else counted this: count it again, carefully.</p>}
          <div class="field">
            <label for="count-amount">How many are there?</label>
            <input id="count-amount" ref={amountRef} inputMode="decimal" autocomplete="off" value={amount}
              onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); save(); } }} />
          </div>
          <div class="field">
            <label for="count-photo">Photo of damage or a mismatch (optional)</label>
            <input id="count-photo" type="file" accept="image/*" capture="environment"
              onChange={async (e) => {
                const f = (e.currentTarget as HTMLInputElement).files?.[0];
                if (!f) return;
                try { setPhoto(await shrink(f)); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
              }} />
            {photo && <img class="photo-preview" src={photo} alt="The photo to send with this line" />}
          </div>
          <Button big variant="primary" disabled={busy} onClick={save}>Save and next</Button>
        </div>
      )}
      <h2>On this count</h2>
      <ul class="plain count-lines" aria-label="Lines">
        {doc.lines.map((l) => (
          <li class={`count-line count-${l.status}${l.id === lineId ? ' count-line-now' : ''}`}>
            <Button disabled={doc.status !== 'open' || mine(l)} onClick={() => pick(l)} aria-label={`Count ${l.name}`}>
              <span class="count-line-name">{l.name}</span>
              <span class="muted">{statusWords[l.status]}{mine(l) ? ` · you counted ${qty(l.counted_by_me)}` : ''}</span>
            </Button>
          </li>
        ))}
      </ul>
      <div class="actions-row">
        <Button onClick={() => navigate(base)}>All counts</Button>
        {can(session, permission.counts_approve) && doc.status === 'open' && <Button onClick={() => navigate(`${base}/${doc.id}/review`)}>Review</Button>}
      </div>
    </div>
  );
}

/** The approver's view: every entry, the books as of each count, variances, flags, reasons. */
function Review({ id }: { id: string }) {
  const [doc, err, reload] = useLoad(() => counts.get(id), [id]);
  const [chosen, setChosen] = useState<Record<string, VarianceReason>>({});
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  if (!doc) return <div><h1>Review count</h1>{err && <Notice kind="error">{err}</Notice>}</div>;
  const varied = doc.lines.filter((l) => (l.variance ?? 0) !== 0);
  const approve = async () => {
    setBusy(true);
    try {
      await counts.approve(doc.id, varied.filter((l) => chosen[l.item_id]).map((l) => ({ item_id: l.item_id, reason: chosen[l.item_id] })));
      setMsg({ kind: 'ok', text: varied.length ? `Approved: ${varied.length} difference${varied.length === 1 ? '' : 's'} booked with their reasons.` : 'Approved: nothing to book.' });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); } finally { setBusy(false); }
  };
  const showPhoto = async (photoId: string) => {
    try { setPhoto((await counts.photo(doc.id, photoId)).data_url); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div>
      <h1>Review count at {doc.location_name}</h1>
      <p>{doc.lines_counted} of {doc.lines_total} counted · {doc.status === 'approved' ? `approved by ${doc.approved_by}` : 'open'}</p>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <DataTable name="Count review" rows={doc.lines} columns={[
        ['Item', (l) => <span>{l.name}<br /><span class="muted">{l.sku} · class {l.class}</span></span>],
        ['Counted', (l) => qty(l.counted ?? null), true],
        ['Books then', (l) => qty(l.expected ?? null), true],
        ['Difference', (l) => (l.variance === null || l.variance === undefined ? '—' : (l.variance > 0 ? '+' : '') + qty(l.variance)), true],
        ['At cost', (l) => money(l.variance_value ?? null), true],
        ['Check', (l) => (l.needs_recount ? <strong class="flag">needs a recount</strong> : l.flagged ? <strong class="flag">over tolerance</strong> : (l.entries?.length ?? 0) > 1 ? 'recounted' : '')],
        ['Counted by', (l) => (l.entries ?? []).map((e) => (
          <span class="entry">{e.counter}: {qty(e.counted)}{e.recount ? ' (recount)' : ''}{e.photo_id && <> <Button variant="quiet" onClick={() => showPhoto(e.photo_id!)}>Photo</Button></>}<br /></span>
        ))],
        ['Reason', (l) => ((l.variance ?? 0) === 0 ? '' : doc.status === 'approved' ? words(l.reason ?? '') : (
          <select aria-label={`Reason for ${l.name}`} value={chosen[l.item_id] ?? ''} onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value as VarianceReason;
            setChosen((c) => ({ ...c, [l.item_id]: v }));
            if (v) trainingEvent('count.reason');
          }}>
            <option value="">choose…</option>
            {reasons.map((r) => <option value={r}>{words(r)}</option>)}
          </select>
        ))],
      ]} />
      {photo && <img class="photo-preview" src={photo} alt="Photo taken while counting" />}
      <div class="actions-row">
        {doc.status === 'open' && <Button big variant="primary" disabled={busy} onClick={approve}>Approve count</Button>}
        <Button onClick={() => navigate(base)}>All counts</Button>
      </div>
    </div>
  );
}
