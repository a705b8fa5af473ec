// Five-minute training modules (issue 22, "training that sticks"; docs/training.md): the list
// a person starts one from, the coach that ticks each step as the real screens report it, and
// the quiz the server grades. Register modules run in training mode, where nothing touches
// stock or the books; office modules only open screens.
import { useEffect, useState } from 'preact/hooks';
import { message, type TrainingAttempt, type TrainingModule, training } from '../api';
import { navigate } from '../app/session';
import { Button, Dialog, Notice } from '../shared/components';
import { when, words } from '../shared/format';
import { save } from '../shared/storage';
import { currentRun, endRun, onRun, startRun, type TrainingRun } from './coach';

const standing = (m: TrainingModule) =>
  !m.mine ? 'Not taken yet'
    : m.mine.passed ? `Certified ${when(m.mine.passed_at ?? m.mine.last_at)} · best ${m.mine.best_score} of ${m.mine.total}`
      : `Not passed yet · best ${m.mine.best_score} of ${m.mine.total} in ${m.mine.attempts} attempt${m.mine.attempts === 1 ? '' : 's'}`;

/** Starts `m`: a register module turns training mode on and opens the register. */
function start(m: TrainingModule) {
  startRun(m.id, m.steps);
  if (m.where === 'register') {
    save('training', true);
    navigate('/register');
  } else {
    navigate('/office');
  }
}

export function TrainingModules({ role }: { role: string }) {
  const [modules, setModules] = useState<TrainingModule[] | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => { training.modules().then(setModules).catch((e) => setErr(message(e))); }, []);
  // The person's own role first; the others stay open to anyone who wants to learn them.
  const sorted = modules ? [...modules].sort((a, b) => Number(b.role === role) - Number(a.role === role)) : [];
  return (
    <section class="training-list" aria-label="Training modules">
      <h2>Training modules</h2>
      <p class="muted">Five minutes each: a situation done on the real screens (at the register in training mode, where nothing counts), then a short quiz.</p>
      {err && <Notice kind="error">{err}</Notice>}
      {!modules && !err && <p aria-busy="true">Loading…</p>}
      <ul class="plain">
        {sorted.map((m) => (
          <li class="training-module" key={m.id}>
            <h3>{m.title} <span class="muted">· for the {words(m.role)}</span></h3>
            <p>{m.scenario}</p>
            <p class="muted">{m.steps.length} steps {m.where === 'register' ? 'at the register' : 'in the back office'}, {m.quiz.length} questions. {standing(m)}.</p>
            <Button variant={m.role === role ? 'primary' : 'plain'} big onClick={() => start(m)} aria-label={`Start ${m.title}`}>Start</Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The module in progress, beside the real screens of `where`; nothing when none runs here. */
export function TrainingCoach({ where }: { where: 'register' | 'office' }) {
  const [run, setRun] = useState<TrainingRun | null>(currentRun);
  const [module, setModule] = useState<TrainingModule | null>(null);
  const [quiz, setQuiz] = useState(false);
  useEffect(() => onRun(setRun), []);
  useEffect(() => {
    if (!run) { setModule(null); return; }
    if (module?.id === run.module) return;
    training.modules().then((all) => setModule(all.find((m) => m.id === run.module) ?? null)).catch(() => setModule(null));
  }, [run?.module]);
  if (!run || !module || module.where !== where) return null;
  const done = (id: string) => run.steps_done.includes(id);
  const all = module.steps.every((s) => done(s.id));
  return (
    <aside class="coach no-print" aria-label="Training coach">
      <strong>Training: {module.title}</strong>
      <ol class="coach-steps">
        {module.steps.map((s) => <li class={done(s.id) ? 'done' : ''} aria-label={`${done(s.id) ? 'Done' : 'To do'}: ${s.text}`}>{done(s.id) ? '✓ ' : ''}{s.text}</li>)}
      </ol>
      <div class="row">
        <Button variant="primary" disabled={!all} onClick={() => setQuiz(true)}>{all ? 'Take the quiz' : `${module.steps.filter((s) => !done(s.id)).length} steps to go`}</Button>
        <Button onClick={endRun}>Stop training</Button>
      </div>
      {quiz && <Quiz module={module} run={run} onClose={() => setQuiz(false)} />}
    </aside>
  );
}

function Quiz({ module, run, onClose }: { module: TrainingModule; run: TrainingRun; onClose: () => void }) {
  const [answers, setAnswers] = useState<(number | null)[]>(() => module.quiz.map(() => null));
  const [result, setResult] = useState<TrainingAttempt | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (answers.some((a) => a === null)) { setErr('Answer every question.'); return; }
    setBusy(true);
    setErr('');
    try {
      setResult(await training.attempt({ module: module.id, steps_done: run.steps_done, answers: answers as number[] }));
    } catch (x) { setErr(message(x)); } finally { setBusy(false); }
  };
  const needed = Math.ceil((module.pass_percent * module.quiz.length) / 100);
  if (result) return (
    <Dialog title={result.passed ? 'Passed' : 'Not passed yet'} onClose={() => { endRun(); onClose(); }}>
      <Notice kind={result.passed ? 'ok' : 'warn'}>
        {result.score} of {result.total} right{result.passed ? `: you are certified for ${result.title}.` : ` (${needed} needed). Go through the steps again and retake the quiz.`}
      </Notice>
      <div class="row">
        {!result.passed && <Button variant="primary" onClick={() => { startRun(module.id, module.steps); onClose(); }}>Try again</Button>}
        <Button onClick={() => { endRun(); onClose(); }}>Done</Button>
      </div>
    </Dialog>
  );
  return (
    <Dialog title={`Quiz: ${module.title}`} onClose={onClose} wide>
      <form onSubmit={submit} class="quiz">
        {module.quiz.map((q, i) => (
          <fieldset>
            <legend>{i + 1}. {q.text}</legend>
            {q.options.map((o, j) => (
              <label class="choice"><input type="radio" name={`q${i}`} checked={answers[i] === j}
                onChange={() => setAnswers(answers.map((a, k) => (k === i ? j : a)))} /> {o}</label>
            ))}
          </fieldset>
        ))}
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary" big disabled={busy}>Hand in</Button>
      </form>
    </Dialog>
  );
}
