// Mapping tables on the Integrations page (docs/formats.md, docs/webhooks.md): another system's
// field names and codes, theirs -> ours, kept as versions. The list says which table is due for
// review; the editor writes a table as rows a person can read (a location is chosen by its name,
// never typed as an id) and saves it as the next version.
import { useState } from 'preact/hooks';
import { mappings, message, type Location, type Mapping, type MappingBody } from '../api';
import { Button, DataTable, Dialog, Field, Notice } from '../shared/components';
import { when } from '../shared/format';

type Pair = { theirs: string; ours: string };
type ValueMap = { name: string; rows: Pair[] };

/** Value maps whose "ours" side is a location id: chosen from the shop's locations. */
const locationMaps = new Set(['location', 'location_id']);
const today = () => new Date().toISOString().slice(0, 10);
const pairs = (o: Record<string, string>): Pair[] => Object.entries(o).map(([theirs, ours]) => ({ theirs, ours }));
const blank = (p: Pair) => !p.theirs.trim() && !p.ours.trim();

/** The table as rows, and back; a half-filled row is an error the person sees before saving. */
export function mappingBody(fields: Pair[], maps: ValueMap[], reviewed: string | null): MappingBody | string {
  const object = (rows: Pair[], where: string): Record<string, string> | string => {
    const out: Record<string, string> = {};
    for (const p of rows.filter((r) => !blank(r))) {
      if (!p.theirs.trim() || !p.ours.trim()) return `${where}: fill in both sides of "${p.theirs || p.ours}", or clear the row`;
      if (p.theirs in out) return `${where}: "${p.theirs}" is there twice`;
      out[p.theirs] = p.ours.trim();
    }
    return out;
  };
  const f = object(fields, 'Field names');
  if (typeof f === 'string') return f;
  const values: Record<string, Record<string, string>> = {};
  for (const m of maps) {
    const name = m.name.trim();
    if (!name && m.rows.every(blank)) continue;
    if (!name) return 'A value map needs the name of our field it is for';
    if (name in values) return `The value map for "${name}" is there twice`;
    const v = object(m.rows, `Values of ${name}`);
    if (typeof v === 'string') return v;
    values[name] = v;
  }
  return { fields: f, values, reviewed_on: reviewed };
}

function Rows({ rows, set, ours, what }: {
  rows: Pair[]; set: (rows: Pair[]) => void; what: string;
  ours?: { options: [string, string][] };
}) {
  const change = (i: number, p: Partial<Pair>) => set(rows.map((r, j) => (j === i ? { ...r, ...p } : r)));
  return (
    <div class="stack">
      {rows.map((r, i) => (
        <div class="row mapping-row">
          <input aria-label={`${what} ${i + 1}: theirs`} placeholder="theirs" value={r.theirs} onInput={(e) => change(i, { theirs: e.currentTarget.value })} />
          <span aria-hidden="true">→</span>
          {ours
            ? (
              <select aria-label={`${what} ${i + 1}: ours`} value={r.ours} onChange={(e) => change(i, { ours: e.currentTarget.value })}>
                <option value="">choose…</option>
                {ours.options.map(([v, label]) => <option value={v}>{label}</option>)}
                {r.ours && !ours.options.some(([v]) => v === r.ours) && <option value={r.ours}>a location that is gone</option>}
              </select>
            )
            : <input aria-label={`${what} ${i + 1}: ours`} placeholder="ours" value={r.ours} onInput={(e) => change(i, { ours: e.currentTarget.value })} />}
          <Button variant="quiet" aria-label={`Remove ${what.toLowerCase()} ${i + 1}`} onClick={() => set(rows.filter((_, j) => j !== i))}>Remove</Button>
        </div>
      ))}
      <Button onClick={() => set([...rows, { theirs: '', ours: '' }])}>Add {what.toLowerCase()}</Button>
    </div>
  );
}

function Editor({ mapping, locations, onDone, onClose }: {
  mapping: Mapping | null; locations: Location[]; onDone: () => void; onClose: () => void;
}) {
  const [name, setName] = useState(mapping?.name ?? '');
  const [fields, setFields] = useState<Pair[]>(mapping ? pairs(mapping.fields) : [{ theirs: '', ours: '' }]);
  const [maps, setMaps] = useState<ValueMap[]>(mapping ? Object.entries(mapping.values).map(([n, v]) => ({ name: n, rows: pairs(v) })) : []);
  const [reviewedNow, setReviewedNow] = useState(true);
  const [err, setErr] = useState('');
  const locationOptions: [string, string][] = locations.map((l) => [l.id, l.name]);
  const setMap = (i: number, m: Partial<ValueMap>) => setMaps(maps.map((x, j) => (j === i ? { ...x, ...m } : x)));
  return (
    <Dialog title={mapping ? `Mapping table ${mapping.name}` : 'New mapping table'} onClose={onClose} wide>
      <form class="stack" onSubmit={(e) => {
        e.preventDefault();
        setErr('');
        const body = mappingBody(fields, maps, reviewedNow ? today() : mapping?.reviewed_on ?? null);
        if (typeof body === 'string') { setErr(body); return; }
        mappings.put(name.trim(), body).then(onDone).catch((x) => setErr(message(x)));
      }}>
        {!mapping && <Field label="Name" hint="lowercase letters, digits, - or _ (e.g. acme-erp)" value={name} onInput={(e) => setName(e.currentTarget.value)} required />}
        {mapping && <p>Saving makes version {mapping.version + 1}; deliveries after it use the new version.</p>}
        <h3>Field names (theirs → ours)</h3>
        <Rows rows={fields} set={setFields} what="Field" />
        <h3>Value maps</h3>
        {maps.map((m, i) => (
          <fieldset class="stack">
            <legend>Values of {m.name || 'a field'}</legend>
            <Field label={`Our field (value map ${i + 1})`} value={m.name} onInput={(e) => setMap(i, { name: e.currentTarget.value })} placeholder="tax_category" />
            <Rows rows={m.rows} set={(rows) => setMap(i, { rows })} what={`Value of ${m.name || `map ${i + 1}`}`}
              ours={locationMaps.has(m.name.trim()) ? { options: locationOptions } : undefined} />
            <Button variant="quiet" onClick={() => setMaps(maps.filter((_, j) => j !== i))}>Remove this value map</Button>
          </fieldset>
        ))}
        <Button onClick={() => setMaps([...maps, { name: '', rows: [{ theirs: '', ours: '' }] }])}>Add a value map</Button>
        <label class="check"><input type="checkbox" checked={reviewedNow} onChange={(e) => setReviewedNow(e.currentTarget.checked)} /> Checked with the other system today (next review in 90 days)</label>
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary">Save</Button>
      </form>
    </Dialog>
  );
}

/** The shop's mapping tables; `manage` may edit them. */
export function MappingTables({ list, manage, locations, onChanged }: {
  list: { mappings: Mapping[]; review_due: number } | null; manage: boolean; locations: Location[]; onChanged: () => void;
}) {
  const [editing, setEditing] = useState<Mapping | 'new' | null>(null);
  const [err, setErr] = useState('');
  const rows = list?.mappings ?? [];
  const markReviewed = (m: Mapping) => {
    setErr('');
    mappings.put(m.name, { fields: m.fields, values: m.values, reviewed_on: today() }).then(onChanged).catch((x) => setErr(message(x)));
  };
  return (
    <>
      <h2>Mapping tables</h2>
      {list && list.review_due > 0 && <Notice kind="warn">{list.review_due === 1 ? 'One mapping table is' : `${list.review_due} mapping tables are`} due for review: check them with the other system.</Notice>}
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Mapping tables" rows={rows} columns={[
        ['name', (m) => m.name], ['version', (m) => String(m.version), true],
        ['rules', (m) => `${Object.keys(m.fields).length} field names, ${Object.keys(m.values).length} value maps`],
        ['reviewed', (m) => (m.review_due ? <strong>review due{m.reviewed_on ? ` (checked ${m.reviewed_on})` : ' (never checked)'}</strong> : `${m.reviewed_on}, next ${m.review_due_on}`)],
        ['changed', (m) => `${when(m.changed_at)} by ${m.changed_by}`],
      ]} actions={manage ? (m) => (
        <>
          <Button onClick={() => setEditing(m)}>Edit</Button>
          {m.review_due && <Button onClick={() => markReviewed(m)}>Mark reviewed</Button>}
        </>
      ) : undefined} />
      {manage && <Button onClick={() => setEditing('new')}>New mapping table</Button>}
      {editing && (
        <Editor mapping={editing === 'new' ? null : editing} locations={locations}
          onClose={() => setEditing(null)} onDone={() => { setEditing(null); onChanged(); }} />
      )}
    </>
  );
}
