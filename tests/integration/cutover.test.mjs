// The cutover checklist (issue 22 rollout, src/reports/cutover.hpp) on either backend: five
// fixed tasks, each with what the shop's own data says (evidence) next to its owner, date and
// done; a manager sets them (audited), a cashier cannot; the evidence follows the books.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { makeItem } from './lib/shop.mjs';

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const task = async (key, client = s) => (await client.get('/api/v1/cutover')).json.tasks.find((t) => t.key === key);

test('five tasks with their evidence; a manager sets owner, date and done; a cashier may only read', async () => {
  const r = await s.get('/api/v1/cutover');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.tasks.map((t) => t.key), ['item_master', 'labels', 'registers', 'first_count', 'backup']);
  for (const t of r.json.tasks) {
    assert.equal(typeof t.evidence.ok, 'boolean');
    assert.ok(t.evidence.text.length > 5, t.key);
    assert.equal(t.done, false);
  }
  // The evidence follows the data: an item without a barcode shows.
  const before = (await task('item_master')).evidence.text;
  await makeItem(s, { name: 'Cutover item without barcode' });
  const after = (await task('item_master')).evidence.text;
  assert.notEqual(after, before);
  assert.match(after, /\d+ without a barcode/);
  assert.equal((await task('backup')).evidence.ok, false, 'no backup yet');

  const manager = await s.as('manager');
  const owners = (await manager.get('/api/v1/reports/owners')).json.owners;
  const owner = owners[0];
  const set = await manager.patch('/api/v1/cutover/first_count', { owner_id: owner.id, due_on: '2027-01-15', note: 'Sunday after close' });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual([set.json.owner_id, set.json.due_on, set.json.note, set.json.done], [owner.id, '2027-01-15', 'Sunday after close', false]);
  assert.ok(set.json.owner);
  const done = await manager.patch('/api/v1/cutover/first_count', { done: true });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.done, true);
  assert.ok(done.json.done_at && done.json.done_by);
  const undone = await manager.patch('/api/v1/cutover/first_count', { done: false, owner_id: null, due_on: null });
  assert.deepEqual([undone.json.done, undone.json.owner_id, undone.json.due_on], [false, null, null]);
  const trail = (await s.get('/api/v1/audit?action=cutover.update')).json.entries;
  assert.equal(trail.length, 3);

  const unknown = await manager.patch('/api/v1/cutover/no_such_task', { done: true });
  assert.equal(unknown.status, 404, unknown.text);
  const badOwner = await manager.patch('/api/v1/cutover/labels', { owner_id: '01936f5e-8a00-7abc-8def-000000000000' });
  assert.equal(badOwner.status, 422, badOwner.text);
  assert.equal(badOwner.json.field, 'owner_id');
  const badDay = await manager.patch('/api/v1/cutover/labels', { due_on: '15/01/2027' });
  assert.equal(badDay.json.field, 'due_on');

  const cashier = await s.as('cashier');
  assert.equal((await cashier.get('/api/v1/cutover')).status, 403, 'the checklist is for who runs the shop');
  assert.equal((await cashier.patch('/api/v1/cutover/labels', { done: true })).status, 403);
});
