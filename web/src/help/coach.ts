// The training coach's wiring (issue 22; docs/training.md): the screens report what a person
// just did ("sale.card", "screen./office/reorder"), and a module in progress ticks the step
// that names that event. The run in progress is kept on this device, so a reload or a sign-in
// again carries on where the trainee was.
import { isObject, load, save } from '../shared/storage';

export interface TrainingRun { module: string; steps_done: string[]; events: Record<string, string> }

const isRun = (v: unknown): v is TrainingRun =>
  isObject(v) && typeof v.module === 'string' && Array.isArray(v.steps_done) && isObject(v.events);

const listeners = new Set<(run: TrainingRun | null) => void>();

export function currentRun(): TrainingRun | null {
  return load<TrainingRun | null>('trainingRun', null, (v): v is TrainingRun | null => v === null || isRun(v));
}

function set(run: TrainingRun | null) {
  save('trainingRun', run);
  for (const l of listeners) l(run);
}

/** Starts a module: `events` maps each event its steps wait for to the step's id. */
export function startRun(module: string, steps: { id: string; event: string }[]) {
  set({ module, steps_done: [], events: Object.fromEntries(steps.map((s) => [s.event, s.id])) });
}

export function endRun() { set(null); }

/** Called by the screens when a person does something a module may wait for. */
export function trainingEvent(event: string) {
  const run = currentRun();
  const step = run?.events[event];
  if (!run || !step || run.steps_done.includes(step)) return;
  set({ ...run, steps_done: [...run.steps_done, step] });
}

export function onRun(listener: (run: TrainingRun | null) => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
