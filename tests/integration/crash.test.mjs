// Crash test: kill -9 the server while clients post sales. After a restart every sale the
// server acknowledged is there exactly once (its movements once), retrying the
// unacknowledged ones converges, and `backroom check` holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, onHand, openRegister, store, uuidv7 } from './lib/shop.mjs';

const CLIENTS = 8;
const RUN_MS = Number(process.env.CRASH_RUN_MS ?? 1500);

test('acknowledged sales survive kill -9 exactly once', async () => {
  const s = await startServer();
  const shop = await store(s);
  const items = [await makeItem(s), await makeItem(s), await makeItem(s), await makeItem(s)];
  for (const item of items) await adjust(s, item, shop, 100000, 'opening');
  for (let n = 0; n < CLIENTS; n++) await openRegister(s, shop, `K${n}`);
  const bodies = new Map();   // id -> body
  const acked = new Set();
  let stop = false;
  async function client(n) {
    let k = 0;
    while (!stop) {
      const body = {
        id: uuidv7(), location_id: shop.id, register_id: `K${n}`,
        lines: items.map((item, i) => ({ item_id: item.id, quantity: 1 + ((k + i) % 3) })),
        tenders: [{ type: 'cash', amount: 100000 }],
      };
      k++;
      bodies.set(body.id, body);
      try {
        const r = await s.post('/api/v1/sales', body);
        if (r.status === 201 || r.status === 200) acked.add(body.id);
      } catch {
        return;  // the server is gone
      }
    }
  }
  const running = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, RUN_MS));
  const exited = new Promise((r) => s.child.on('exit', r));
  s.kill('SIGKILL');
  await exited;
  stop = true;
  await Promise.all(running);
  assert.ok(acked.size > 10, `only ${acked.size} sales were acknowledged before the crash`);

  const t = await startServer({ db: s.db });
  try {
    for (const id of acked) {
      const r = await t.get(`/api/v1/sales/${id}`);
      assert.equal(r.status, 200, `acknowledged sale ${id} is missing after the crash`);
      const m = await t.get(`/api/v1/stock/movements?document_id=${id}`);
      assert.equal(m.json.movements.length, items.length, `sale ${id} moved stock once per line`);
    }
    assertBooksHold(t.db);
    // Registers retry what they never heard back about: each lands exactly once.
    for (const [id, body] of bodies) {
      const r = await t.post('/api/v1/sales', body);
      assert.ok(r.status === 201 || r.status === 200, r.text);
      if (acked.has(id)) assert.equal(r.status, 200, 'an acknowledged sale is never posted twice');
    }
    for (const [i, item] of items.entries()) {
      let sold = 0;
      for (const body of bodies.values()) sold += body.lines[i].quantity;
      assert.equal(await onHand(t, item, shop), 100000 - sold);
    }
    assertBooksHold(t.db);
  } finally {
    await t.stop();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
