// The cutover checklist (issue 22): what must be true before the shop sells on Backroom alone.
// Each task shows what the shop's own data says (a tick or a warning, and why), its owner and
// date, and Done — big targets for a tablet; changes save as they are made.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type CutoverPatch, type CutoverTask, message, permission, reports } from '../api';
import { can, type Session } from '../app/session';
import { Field, Notice, Select } from '../shared/components';
import { when } from '../shared/format';
import './cutover.css';

export function Cutover({ session }: { session: Session }) {
  const [tasks, setTasks] = useState<CutoverTask[] | null>(null);
  const [owners, setOwners] = useState<{ id: string; name: string }[]>([]);
  const [err, setErr] = useState('');
  const mayChange = can(session, permission.reports_actions);
  useEffect(() => {
    reports.cutover().then(setTasks).catch((e) => setErr(message(e)));
    if (mayChange) reports.owners().then(setOwners).catch(() => undefined);
  }, []);
  // One change at a time, in the order made: a later answer never shows an older state.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const change = (key: string, body: CutoverPatch) => {
    queue.current = queue.current.then(async () => {
      try {
        const t = await reports.changeCutover(key, body);
        setTasks((all) => all?.map((x) => (x.key === key ? t : x)) ?? null);
        setErr('');
      } catch (e) {
        setErr(message(e));
      }
    });
  };
  const done = tasks?.filter((t) => t.done).length ?? 0;
  return (
    <section class="cutover" aria-label="Cutover checklist">
      <h1>Cutover checklist</h1>
      <p class="muted">Before the shop sells on Backroom alone. Next to each task: what your data says now.</p>
      {err && <Notice kind="error">{err}</Notice>}
      {tasks && <p aria-live="polite"><strong>{done}</strong> of {tasks.length} done</p>}
      <ol class="cutover-tasks">
        {tasks?.map((t) => (
          <li key={t.key} aria-label={t.title} class={t.done ? 'is-done' : ''}>
            <h2>{t.title}</h2>
            <p class={`evidence ${t.evidence.ok ? 'ok' : 'warn'}`} role="status">
              <span aria-hidden="true">{t.evidence.ok ? '✔' : '!'}</span> {t.evidence.text}
            </p>
            {mayChange ? (
              <div class="cutover-fields">
                <Select label="Owner" value={t.owner_id ?? ''} onChange={(e) => change(t.key, { owner_id: e.currentTarget.value || null })}
                  options={[['', 'Nobody yet'], ...owners.map((o): [string, string] => [o.id, o.name])]} />
                <Field label="Due" type="date" value={t.due_on ?? ''} onChange={(e) => change(t.key, { due_on: e.currentTarget.value || null })} />
                <label class="check"><input type="checkbox" checked={t.done} onChange={(e) => change(t.key, { done: e.currentTarget.checked })} /> Done</label>
              </div>
            ) : (
              <p class="muted">{t.owner ?? 'Nobody yet'}{t.due_on ? ` · due ${t.due_on}` : ''}{t.done ? ' · done' : ''}</p>
            )}
            {t.done && t.done_at && <p class="muted">Done {when(t.done_at)} by {t.done_by}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
