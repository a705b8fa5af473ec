// Training modules over real HTTP (issue 22, "training that sticks"; src/training/), on either
// backend: the modules come without their answers; the server grades an attempt (every step
// seen and the pass mark reached), keeps it and audits it; a person's best result shows on
// their modules; a manager sees everyone's standing, a cashier may not; an API key cannot take
// training; bad bodies are refused naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';

let s;
let cashier;
let manager;
before(async () => {
  s = await startServer();
  await s.createUser({ username: 'tr-cashier', role: 'cashier', password: 'tr-cashier-password', display_name: 'Tess Trainee' });
  await s.createUser({ username: 'tr-manager', role: 'manager', password: 'tr-manager-password' });
  cashier = await s.signIn('tr-cashier', 'tr-cashier-password');
  manager = await s.signIn('tr-manager', 'tr-manager-password');
});
after(async () => { await s?.stop(); });

const attempt = (client, body) => client.post('/api/v1/training/attempts', body);

test('modules come without answers; an attempt is graded on the server, kept, audited and shown as mine', async () => {
  const r = await cashier.get('/api/v1/training/modules');
  assert.equal(r.status, 200, r.text);
  const basics = r.json.modules.find((m) => m.id === 'cashier-basics');
  assert.ok(basics, 'the cashier module is there');
  assert.deepEqual(new Set(r.json.modules.map((m) => m.role)), new Set(['cashier', 'shift_lead', 'buyer', 'clerk', 'manager']));
  assert.ok(!/"answer"/.test(r.text), 'no answer leaves the server');
  assert.equal(basics.mine, null, 'not taken yet');
  const steps = basics.steps.map((x) => x.id);

  // A perfect quiz with a step missing does not pass, and says which step.
  const wrongAnswers = basics.quiz.map(() => 0);
  const missing = await attempt(cashier, { module: 'cashier-basics', steps_done: steps.slice(1), answers: wrongAnswers });
  assert.equal(missing.status, 201, missing.text);
  assert.equal(missing.json.passed, false);
  assert.deepEqual(missing.json.missing_steps, [steps[0]]);

  // Find the right answers the honest way: one question at a time, the score says.
  const right = [];
  for (let q = 0; q < basics.quiz.length; q++) {
    for (let option = 0; option < basics.quiz[q].options.length; option++) {
      const probe = basics.quiz.map((_, i) => (i === q ? option : (right[i] ?? 0)));
      const base = basics.quiz.map((_, i) => (i === q ? (option === 0 ? 1 : 0) : (right[i] ?? 0)));
      const [a, b] = [await attempt(manager, { module: 'cashier-basics', answers: probe }), await attempt(manager, { module: 'cashier-basics', answers: base })];
      assert.equal(a.status, 201, a.text);
      if (a.json.score > b.json.score) { right[q] = option; break; }
    }
    assert.notEqual(right[q], undefined, `question ${q} has a right option`);
  }
  const passed = await attempt(cashier, { module: 'cashier-basics', steps_done: steps, answers: right });
  assert.equal(passed.status, 201, passed.text);
  assert.deepEqual([passed.json.score, passed.json.total, passed.json.passed, passed.json.missing_steps], [right.length, right.length, true, []]);

  const again = await cashier.get('/api/v1/training/modules');
  const mine = again.json.modules.find((m) => m.id === 'cashier-basics').mine;
  assert.deepEqual([mine.best_score, mine.total, mine.attempts, mine.passed], [right.length, right.length, 2, true]);
  assert.equal(mine.user.display_name, 'Tess Trainee');

  const audit = await s.get(`/api/v1/audit?action=training.attempt&actor=tr-cashier`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.json.entries.length, 2, 'both attempts are audited');
  assert.ok(audit.json.entries.some((e) => e.entity_id === passed.json.id && e.after.passed === true));
});

// The scenarios practised on the screens (docs/training.md): offline mode in the cashier's
// module, the short delivery in the clerk's, Why? in the buyer's, a count's reason in the manager's. Each is a step the API sends with the event its
// screen reports, and an attempt without it fails whatever the quiz says.
test('offline mode and the short delivery are steps the server waits for', async () => {
  const r = await cashier.get('/api/v1/training/modules');
  const stepOf = (module, id) => r.json.modules.find((m) => m.id === module).steps.find((x) => x.id === id);
  assert.equal(stepOf('cashier-basics', 'offline')?.event, 'sale.offline');
  assert.equal(stepOf('clerk-backroom', 'short')?.event, 'receive.short');
  assert.equal(r.json.modules.find((m) => m.id === 'buyer-receiving').steps.some((x) => x.event === 'receive.short'), false, 'the buyer does not receive');
  // The buyer reads why a reorder is suggested; the manager chooses a count difference's reason.
  assert.equal(stepOf('buyer-receiving', 'why')?.event, 'reorder.why');
  assert.equal(stepOf('manager-oversight', 'reason')?.event, 'count.reason');
  for (const [module, id] of [['buyer-receiving', 'why'], ['manager-oversight', 'reason']]) {
    const m = r.json.modules.find((x) => x.id === module);
    const without = await attempt(manager, { module, steps_done: m.steps.map((x) => x.id).filter((x) => x !== id), answers: m.quiz.map(() => 0) });
    assert.equal(without.status, 201, without.text);
    assert.deepEqual([without.json.passed, without.json.missing_steps], [false, [id]], module);
  }
  const clerk = r.json.modules.find((m) => m.id === 'clerk-backroom');
  const others = clerk.steps.map((x) => x.id).filter((id) => id !== 'short');
  const graded = await attempt(manager, { module: 'clerk-backroom', steps_done: others, answers: clerk.quiz.map(() => 0) });
  assert.equal(graded.status, 201, graded.text);
  assert.deepEqual([graded.json.passed, graded.json.missing_steps], [false, ['short']]);
});

test('a manager sees who is certified; a cashier may not; an API key cannot take training', async () => {
  const r = await manager.get('/api/v1/training/results');
  assert.equal(r.status, 200, r.text);
  const tess = r.json.results.find((x) => x.user.username === 'tr-cashier' && x.module === 'cashier-basics');
  assert.ok(tess, 'the cashier is listed');
  assert.equal(tess.passed, true);
  assert.equal(tess.title, 'Till basics');
  assert.ok(tess.passed_at);
  const refused = await cashier.get('/api/v1/training/results');
  assert.equal(refused.status, 403, refused.text);
  assert.equal(refused.json.permission, 'training.read');
  const key = await s.post('/api/v1/training/attempts', { module: 'cashier-basics', answers: [0, 0, 0, 0] });
  assert.equal(key.status, 409, key.text);
  assert.equal(key.json.code, 'person_required');
});

test('bad attempt bodies are refused naming the field, and nothing is kept', async () => {
  const before = (await manager.get('/api/v1/training/results')).json.results.length;
  const cases = [
    [{}, 'module'],
    [{ module: 'no-such', answers: [] }, 'module'],
    [{ module: 'cashier-basics' }, 'answers'],
    [{ module: 'cashier-basics', answers: [0, 0] }, 'answers'],
    [{ module: 'cashier-basics', answers: [0, 0, 0, 9] }, 'answers[3]'],
    [{ module: 'cashier-basics', answers: [0, 0, -1, 0] }, 'answers[2]'],
    [{ module: 'cashier-basics', answers: [0, '1', 0, 0] }, 'answers[1]'],
    [{ module: 'cashier-basics', answers: [0.5, 0, 0, 0] }, 'answers[0]'],
    [{ module: 'cashier-basics', answers: [0, 0, 0, 0], steps_done: 'card' }, 'steps_done'],
    [{ module: 'cashier-basics', answers: [0, 0, 0, 0], steps_done: [1] }, 'steps_done[0]'],
    [{ module: 'cashier-basics', answers: [0, 0, 0, 0], steps_done: Array(40).fill('card') }, 'steps_done'],
    [{ module: 'cashier-basics', answers: [0, 0, 0, 0], score: 4 }, 'score'],
  ];
  for (const [body, field] of cases) {
    const r = await attempt(manager, body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 60)}: ${r.text}`);
    assert.equal(r.json.field, field, r.text);
  }
  const after = (await manager.get('/api/v1/training/results')).json.results.length;
  assert.equal(after, before, 'nothing was kept');
});
