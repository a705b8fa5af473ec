// The audit log: who did what, when.
import { useState } from 'preact/hooks';
import { people } from '../api';
import { DataTable, Field, Button, Notice } from '../shared/components';
import { when } from '../shared/format';
import { useLoad } from './useLoad';

// Ids and hashes mean nothing to a person: they stay out of the details.
const idText = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\\d)[0-9a-f]{8,}\\b';
const isId = new RegExp(`^(${idText})$`, 'i');
const ids = new RegExp(idText, 'gi');

/** The entry's details for a person: "key: value", without ids. */
function details(after: unknown): string {
  if (after === null || typeof after !== 'object') return '';
  return Object.entries(after as Record<string, unknown>)
    .filter(([k, v]) => !/(^|_)(ids?|hash)$/.test(k) && !(typeof v === 'string' && isId.test(v)))
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ').replace(ids, '…').slice(0, 160);
}

export function Audit() {
  const [filter, setFilter] = useState({ action: '', actor: '' });
  const [applied, setApplied] = useState(filter);
  const [entries, err] = useLoad(() => people.audit({ ...applied, limit: 100 }), [applied.action, applied.actor]);
  return (
    <section>
      <h1>Audit log</h1>
      <form class="row" onSubmit={(e) => { e.preventDefault(); setApplied(filter); }}>
        <Field label="Action" value={filter.action} onInput={(e) => setFilter({ ...filter, action: e.currentTarget.value })} placeholder="sale.void" />
        <Field label="Actor" value={filter.actor} onInput={(e) => setFilter({ ...filter, actor: e.currentTarget.value })} />
        <Button type="submit">Filter</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Audit entries" rows={entries ?? []}
        columns={[['#', (r) => String(r.seq), true], ['when', (r) => when(r.at)], ['actor', (r) => r.actor], ['action', (r) => r.action], ['entity', (r) => r.entity],
          ['details', (r) => <span class="small">{details(r.after)}</span>]]} />
    </section>
  );
}
