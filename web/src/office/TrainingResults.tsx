// Who has taken which training module and who is certified (issue 22; training.read, managers).
import { training, type TrainingStanding } from '../api';
import { DataTable, Notice } from '../shared/components';
import { when, words } from '../shared/format';
import { useLoad } from './useLoad';

export function TrainingResults() {
  const [results, err] = useLoad(() => training.results(), []);
  const rows: TrainingStanding[] = results ?? [];
  const certified = rows.filter((r) => r.passed).length;
  return (
    <section>
      <h1>Training results</h1>
      <p class="muted">Each person's best result per module. Certified: passed once (every step done on the real screens, the quiz at its pass mark).</p>
      {err && <Notice kind="error">{err}</Notice>}
      {results && <p>{certified} of {rows.length} module{rows.length === 1 ? '' : 's'} taken are certified.</p>}
      <DataTable name="Training results" rows={rows}
        columns={[['person', (r) => r.user.display_name], ['role', (r) => words(r.user.role)], ['module', (r) => r.title],
          ['best', (r) => `${r.best_score} of ${r.total}`, true], ['attempts', (r) => String(r.attempts), true],
          ['certified', (r) => (r.passed ? `yes, ${when(r.passed_at)}` : 'not yet')], ['last tried', (r) => when(r.last_at)]]} />
    </section>
  );
}
