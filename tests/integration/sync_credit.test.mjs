// Store credit across stores (issue 21, docs/sync.md "Store credit across stores"): head office
// is the book of record of its store nodes' credit notes. Store A refunds a return to store
// credit through a cut link: after the push head office holds the same code with the same
// balance (a sale paid from it and voided there too). Head office's own register spends part of
// it; store A, offline and stale, spends more than is left: after the push the sale stands, the
// note is at 0 (never below) and a store_credit_overdrawn conflict names the amount not covered.
// A repeat of the document changes nothing. An exchange's remainder refunded to store credit at
// store A is a note at head office too. Store B, online, spends a note store A issued (it asks
// head office first). Head office settles the shortfalls (written off, collected). Store B tops
// up a note store A issued (asking head office first); an unknown code, or head office out of
// reach, is refused with why. Head office's store-credit report (docs/reports.md "Store credit")
// counts every note's movement and lists the write-off with its receipt, store, who and note.
// `backroom check` and `audit verify` hold on every side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, makeItem, openRegister, saleBody, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
const until = (what, fn, ms = 20000) => waitUntil(what, fn, ms, 100);

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

async function addNode(name, upstream) {
  const place = await s.post('/api/v1/locations', { name: `${name} ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-credit-'));
  const node = await startServer({
    db: path.join(dir, 'store.db'),
    env: { BACKROOM_UPSTREAM: upstream, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  return { node, place: place.json, key: added.json.key, id: added.json.id };
}

const credit = async (server, code) => {
  const r = await server.get(`/api/v1/store-credits/${code}`);
  return r.status === 200 ? r.json : null;
};

test('head office keeps the nodes\' credit notes; an overdraw is a conflict; store B spends store A\'s note online', async () => {
  const proxy = await startFaultProxy(s.url);
  const item = await makeItem(s, { price: 1000 });
  const a = await addNode('Credit store A', proxy.url);
  const proxyB = await startFaultProxy(s.url);
  const b = await addNode('Credit store B', proxyB.url);
  const pushed = (n) => until('the queue pushed', async () => (await n.get('/api/v1/sync/status')).json?.queue_length === 0);
  try {
    for (const n of [a.node, b.node]) await until('the item at the node', async () => (await n.get(`/api/v1/items/${item.id}`)).status === 200);
    const localA = await store(a.node);
    const localB = await store(b.node);
    await adjust(a.node, item, localA, 20, 'opening');
    await adjust(b.node, item, localB, 20, 'opening');
    await pushed(a.node);
    const till = `CREDIT-${process.pid}`;
    await openRegister(a.node, localA, till, 5000);
    await openRegister(b.node, localB, till, 5000);

    // (1) Store A, offline: a sale, its return to store credit (a new note), a sale paid from
    // the note and its void.
    proxy.cut();
    await until('store A offline', async () => (await a.node.get('/api/v1/sync/status')).json?.online === false);
    const sold = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 2]], { register_id: till, tenders: [{ type: 'cash', amount: 2000 }] }));
    assert.equal(sold.status, 201, sold.text);
    const ret = await a.node.post('/api/v1/returns', {
      sale_id: sold.json.id, register_id: till, refund_to: 'store_credit',
      lines: [{ sale_line_id: sold.json.lines[0].id, quantity: 2, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
    });
    assert.equal(ret.status, 201, ret.text);
    const code = ret.json.tenders[0].reference;
    assert.match(code, /^SC-/);
    assert.equal((await credit(a.node, code)).balance, 2000);
    const paid = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 1]], { register_id: till, tenders: [{ type: 'store_credit', amount: 1000, reference: code }] }));
    assert.equal(paid.status, 201, paid.text);
    const voided = await a.node.post(`/api/v1/sales/${paid.json.id}/void`, { reason: 'rang up by mistake' });
    assert.equal(voided.status, 200, voided.text);
    assert.equal((await credit(a.node, code)).balance, 2000);
    assert.equal(await credit(s, code), null, 'head office has not heard of it yet');

    // The link returns, duplicating every request: head office holds the same code and balance.
    proxy.state.cut = false;
    proxy.state.duplicate = true;
    await pushed(a.node);
    const atHq = await credit(s, code);
    assert.ok(atHq, 'head office holds the note');
    assert.equal(atHq.code, code);
    assert.equal(atHq.balance, 2000);
    assert.deepEqual(atHq.entries.map((e) => [e.document_type, e.document_id, e.amount]),
      [['return', ret.json.id, 2000], ['sale', paid.json.id, -1000], ['void', voided.json.void.id, 1000]]);

    // Head office's own register spends 1200 of it.
    const hqStore = await store(s);
    await adjust(s, item, hqStore, 5, 'opening');
    const hqTill = `HQ-CREDIT-${process.pid}`;
    await openRegister(s, hqStore, hqTill, 5000);
    const hqSale = await s.post('/api/v1/sales', saleBody(hqStore, [[item, 2]], { register_id: hqTill,
      tenders: [{ type: 'store_credit', amount: 1200, reference: code }, { type: 'cash', amount: 800 }] }));
    assert.equal(hqSale.status, 201, hqSale.text);
    assert.equal((await credit(s, code)).balance, 800);

    // Store A, offline again and stale (it still holds 2000), takes 1500 from the note.
    proxy.state.duplicate = false;
    proxy.cut();
    await until('store A offline', async () => (await a.node.get('/api/v1/sync/status')).json?.online === false);
    const over = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 2]], { register_id: till,
      tenders: [{ type: 'store_credit', amount: 1500, reference: code }, { type: 'cash', amount: 500 }] }));
    assert.equal(over.status, 201, over.text);
    assert.equal((await credit(a.node, code)).balance, 500);
    proxy.state.cut = false;
    proxy.state.duplicate = true;
    await pushed(a.node);

    // The sale stands; the note is at 0, never below; the conflict names what was not covered.
    const hqOver = await s.get(`/api/v1/sales/${over.json.id}`);
    assert.equal(hqOver.status, 200, hqOver.text);
    assert.equal(hqOver.json.status, 'completed');
    const after = await credit(s, code);
    assert.equal(after.balance, 0);
    assert.deepEqual(after.shortfalls.map((f) => [f.sale_id, f.amount]), [[over.json.id, 700]]);
    const conflicts = async () => {
      const r = await s.get(`/api/v1/sync/conflicts?status=all&node_id=${a.id}`);
      assert.equal(r.status, 200, r.text);
      return r.json.conflicts.filter((c) => c.kind === 'store_credit_overdrawn');
    };
    const listed = await conflicts();
    assert.equal(listed.length, 1, JSON.stringify(listed));
    const [c] = listed;
    assert.equal(c.status, 'open');
    assert.match(c.rule, /never below zero/);
    assert.equal(c.location_id, a.place.id);
    assert.deepEqual(c.detail, { sale_id: over.json.id, receipt_number: over.json.receipt_number, code, tendered: 1500, covered: 800, uncovered: 700 });

    // The same sale pushed again as a new document (a node that lost its cursor): nothing changes.
    const repeat = await s.withKey(a.key).post('/api/v1/sync/documents', { documents: [
      { id: uuidv7(), type: 'sale.completed', entity_id: over.json.id, at: over.json.created_at, payload: over.json, movements: [] },
      { id: uuidv7(), type: 'return.completed', entity_id: ret.json.id, at: ret.json.created_at, payload: ret.json, movements: [] },
    ] });
    assert.equal(repeat.status, 200, repeat.text);
    assert.equal(repeat.json.new, 2, repeat.text);
    assert.deepEqual(await credit(s, code), after);
    assert.equal((await conflicts()).length, 1);

    // Head office settles the shortfall: a note alone does not, nor a word that is not one.
    const resolve = (id, body) => s.post(`/api/v1/sync/conflicts/${id}/resolve`, body);
    const noted = await resolve(c.id, { note: 'spoke to the store' });
    assert.equal(noted.status, 422, noted.text);
    assert.equal(noted.json.field, 'settlement');
    const badWord = await resolve(c.id, { note: 'gone', settlement: 'forgiven' });
    assert.equal(badWord.status, 422, badWord.text);
    assert.equal(badWord.json.field, 'settlement');
    assert.equal((await conflicts())[0].status, 'open', 'nothing written by a refused settlement');
    const writtenOff = await resolve(c.id, { note: 'customer not traceable: a loss', settlement: 'written_off' });
    assert.equal(writtenOff.status, 200, writtenOff.text);
    assert.equal(writtenOff.json.status, 'resolved');
    assert.equal(writtenOff.json.note, 'customer not traceable: a loss');
    const settledNote = await credit(s, code);
    assert.equal(settledNote.balance, 0, 'a settlement moves no note');
    assert.equal(settledNote.shortfalls.length, 1);
    const [f1] = settledNote.shortfalls;
    assert.deepEqual([f1.sale_id, f1.amount, f1.settled?.settlement, f1.settled?.note], [over.json.id, 700, 'written_off', 'customer not traceable: a loss']);
    assert.ok(f1.settled.by && f1.settled.at, JSON.stringify(f1));
    const twice = await resolve(c.id, { note: 'again', settlement: 'collected' });
    assert.equal(twice.status, 409, twice.text);
    assert.equal(twice.json.code, 'already_resolved');
    const audited = await s.get('/api/v1/audit?entity=sync_conflict&action=sync_conflict.resolve&limit=50');
    assert.equal(audited.status, 200, audited.text);
    assert.ok(audited.text.includes(c.id) && audited.text.includes('written_off'), audited.text);

    // Store A, offline and stale again (it still holds 500), takes 500: head office's note is at
    // 0, so all of it is short; the customer comes back and pays it: collected.
    proxy.state.duplicate = false;
    proxy.cut();
    await until('store A offline', async () => (await a.node.get('/api/v1/sync/status')).json?.online === false);
    const over2 = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 1]], { register_id: till,
      tenders: [{ type: 'store_credit', amount: 500, reference: code }, { type: 'cash', amount: 500 }] }));
    assert.equal(over2.status, 201, over2.text);
    proxy.state.cut = false;
    await pushed(a.node);
    const open2 = (await conflicts()).filter((x) => x.status === 'open');
    assert.equal(open2.length, 1, JSON.stringify(open2));
    assert.equal(open2[0].detail.uncovered, 500);
    const collected = await resolve(open2[0].id, { note: 'customer paid 5.00 cash at head office', settlement: 'collected' });
    assert.equal(collected.status, 200, collected.text);
    const both = (await credit(s, code)).shortfalls.map((f) => [f.sale_id, f.amount, f.settled?.settlement]);
    assert.deepEqual(both.sort(), [[over.json.id, 700, 'written_off'], [over2.json.id, 500, 'collected']].sort());

    // (2) Store B has never seen the note: online, it asks head office first. Store A issues a
    // fresh one (online), and store B spends part of it.
    const sold2 = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 1]], { register_id: till, tenders: [{ type: 'cash', amount: 1000 }] }));
    assert.equal(sold2.status, 201, sold2.text);
    const ret2 = await a.node.post('/api/v1/returns', {
      sale_id: sold2.json.id, register_id: till, refund_to: 'store_credit',
      lines: [{ sale_line_id: sold2.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
    });
    assert.equal(ret2.status, 201, ret2.text);
    const code2 = ret2.json.tenders[0].reference;
    // An exchange's remainder refunded to store credit (two back, one out): a note of 1000 too.
    const sold3 = await a.node.post('/api/v1/sales', saleBody(localA, [[item, 2]], { register_id: till, tenders: [{ type: 'cash', amount: 2000 }] }));
    assert.equal(sold3.status, 201, sold3.text);
    const swap = await a.node.post('/api/v1/exchanges', {
      id: uuidv7(),
      return: { sale_id: sold3.json.id, register_id: till, refund_to: 'store_credit',
        lines: [{ sale_line_id: sold3.json.lines[0].id, quantity: 2, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
      sale: { location_id: localA.id, register_id: till, lines: [{ item_id: item.id, quantity: 1 }], tenders: [] },
    });
    assert.equal(swap.status, 201, swap.text);
    const remainder = swap.json.return.tenders.find((t) => t.type === 'store_credit');
    assert.equal(remainder?.amount, 1000, swap.text);
    await pushed(a.node);
    assert.equal((await credit(s, remainder.reference)).balance, 1000);
    assert.equal((await s.get(`/api/v1/exchanges/${swap.json.id}`)).status, 200);
    assert.equal((await credit(s, code2)).balance, 1000);
    // The register looks the note up first: store B answers head office's balance (it holds no copy yet).
    const looked = await credit(b.node, code2);
    assert.equal(looked?.balance, 1000, JSON.stringify(looked));
    assert.equal(looked.head_office_balance, 1000);
    assert.equal(looked.id, undefined, 'not held at store B yet');
    // More than it holds is refused at store B as anywhere.
    const tooMuch = await b.node.post('/api/v1/sales', saleBody(localB, [[item, 2]], { register_id: till,
      tenders: [{ type: 'store_credit', amount: 1500, reference: code2 }, { type: 'cash', amount: 500 }] }));
    assert.equal(tooMuch.status, 409, tooMuch.text);
    assert.equal(tooMuch.json.code, 'insufficient_store_credit');
    const spent = await b.node.post('/api/v1/sales', saleBody(localB, [[item, 1]], { register_id: till,
      tenders: [{ type: 'store_credit', amount: 600, reference: code2.toLowerCase() }, { type: 'cash', amount: 400 }] }));
    assert.equal(spent.status, 201, spent.text);
    const held = await credit(b.node, code2);
    assert.equal(held.balance, 400);
    assert.ok(held.id, 'store B keeps its copy');
    assert.deepEqual(held.entries.map((e) => [e.document_type, e.amount]), [['head_office', 1000], ['sale', -600]]);
    await pushed(b.node);
    assert.equal((await credit(s, code2)).balance, 400);
    // A note head office does not hold either, at store B: refused as unknown.
    const unknown = await b.node.post('/api/v1/sales', saleBody(localB, [[item, 1]], { register_id: till,
      tenders: [{ type: 'store_credit', amount: 1000, reference: 'SC-2222-3333-4444' }] }));
    assert.equal(unknown.status, 422, unknown.text);
    assert.equal(unknown.json.field, 'tenders[0].reference');
    // Head office's answer to a node: the balance and the documents that moved it there.
    const asked = await s.withKey(b.key).get(`/api/v1/sync/store-credits/${code2}`);
    assert.equal(asked.status, 200, asked.text);
    assert.deepEqual(asked.json, { code: code2, balance: 400, document_ids: [ret2.json.id, spent.json.id] });
    assert.equal((await s.withKey(b.key).get('/api/v1/sync/store-credits/SC-2222-3333-4444')).status, 404);
    assert.equal((await s.withKey(b.key).get('/api/v1/sync/store-credits/SC%20%3B')).json?.code, 'invalid_field');

    // (3) Store B tops up a note store A issued (the exchange's remainder, which B has never
    // held): online, it asks head office, makes its copy at head office's balance and tops it up.
    const sold4 = await b.node.post('/api/v1/sales', saleBody(localB, [[item, 2]], { register_id: till, tenders: [{ type: 'cash', amount: 2000 }] }));
    assert.equal(sold4.status, 201, sold4.text);
    const returnAtB = (code) => b.node.post('/api/v1/returns', {
      sale_id: sold4.json.id, register_id: till, refund_to: 'store_credit', refund_to_code: code,
      lines: [{ sale_line_id: sold4.json.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
    });
    assert.equal((await credit(b.node, remainder.reference))?.id, undefined, 'store B holds no copy of it');
    const topped = await returnAtB(remainder.reference.toLowerCase());
    assert.equal(topped.status, 201, topped.text);
    assert.deepEqual(topped.json.tenders.map((t) => [t.type, t.amount, t.reference]), [['store_credit', 1000, remainder.reference]]);
    const heldB = await credit(b.node, remainder.reference);
    assert.equal(heldB.balance, 2000);
    assert.deepEqual(heldB.entries.map((e) => [e.document_type, e.document_id, e.amount]),
      [['head_office', topped.json.id, 1000], ['return', topped.json.id, 1000]]);
    // The push (every request duplicated) tops up head office's note once.
    proxyB.state.duplicate = true;
    await pushed(b.node);
    proxyB.state.duplicate = false;
    const hqTopped = await credit(s, remainder.reference);
    assert.equal(hqTopped.balance, heldB.balance);
    assert.deepEqual(hqTopped.entries.map((e) => [e.document_type, e.document_id, e.amount]),
      [['return', swap.json.return.id, 1000], ['return', topped.json.id, 1000]]);
    // Store B and head office agree: B's copy stands for what head office held (1000, the
    // exchange's return) and both hold B's return.
    assert.deepEqual((await credit(b.node, remainder.reference)).balance, hqTopped.balance);
    const mirrored = await b.node.get(`/api/v1/store-credits/${remainder.reference}`);
    assert.equal(mirrored.json.head_office_balance, 2000, mirrored.text);
    assert.equal(mirrored.json.balance, 2000, 'head office has heard of B\'s return: counted once');
    // A code head office does not know either is refused, and says so.
    const notKnown = await returnAtB('SC-2222-3333-4444');
    assert.equal(notKnown.status, 422, notKnown.text);
    assert.equal(notKnown.json.field, 'refund_to_code');
    assert.match(notKnown.json.detail, /here or at head office/);
    // With the link cut, a note store B does not hold (store A's first) is refused: head office
    // cannot be reached to look it up (a new note is offered).
    proxyB.cut();
    await until('store B offline', async () => (await b.node.get('/api/v1/sync/status')).json?.online === false);
    assert.equal((await credit(b.node, code)), null, 'store B holds no copy of it');
    const cutOff = await returnAtB(code);
    assert.equal(cutOff.status, 422, cutOff.text);
    assert.equal(cutOff.json.field, 'refund_to_code');
    assert.match(cutOff.json.detail, /head office cannot be reached/);
    assert.match(cutOff.json.detail, /new credit note/);
    // A new note is what the cashier can give then (the refused return took nothing).
    const fresh = await returnAtB(undefined);
    assert.equal(fresh.status, 201, fresh.text);
    assert.notEqual(fresh.json.tenders[0].reference, code);
    assert.equal((await credit(b.node, fresh.json.tenders[0].reference)).balance, 1000);

    // (4) Head office's store-credit report of today (from yesterday: a run across midnight).
    // By hand: issued ret 2000, ret2 1000, the exchange's 1000, B's top-up 1000; redeemed paid
    // 1000, hqSale 1200, over 800 (what the note held), spent 600 (over2 took nothing); given
    // back the void's 1000. 0 + 5000 - 3600 + 1000 = 2400 = code 0 + code2 400 + remainder 2000.
    const day = (ms) => new Date(ms).toISOString().slice(0, 10);
    const period = `from=${day(Date.now() - 86_400_000)}&to=${day(Date.now())}`;
    const report = async (query) => {
      const r = await s.get(`/api/v1/reports/store-credit?${period}${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const none = { count: 0, amount: 0 };
    const owed = (await Promise.all([code, code2, remainder.reference].map((c) => credit(s, c)))).reduce((t, n) => t + n.balance, 0);
    assert.equal(owed, 2400);
    for (const where of ['', `&location_id=${a.place.id}`]) {
      const r = await report(where);
      assert.deepEqual([r.opening_liability, r.issued, r.redeemed, r.given_back, r.adjusted, r.closing_liability, r.liability_now],
        [0, { count: 4, amount: 5000 }, { count: 4, amount: 3600 }, { count: 1, amount: 1000 }, none, 2400, owed], where);
      assert.deepEqual(r.shortfalls, { open: none, written_off: { count: 1, amount: 700 }, collected: { count: 1, amount: 500 } }, where);
      assert.deepEqual(r.written_off, [{ sale_id: over.json.id, receipt_number: hqOver.json.receipt_number,
        store: { id: a.place.id, name: a.place.name }, code, amount: 700, at: f1.settled.at, by: f1.settled.by,
        note: 'customer not traceable: a loss' }], where);
    }
    // Store B issued no note head office keeps as its own, and sold nothing short.
    const atB = await report(`&location_id=${b.place.id}`);
    assert.deepEqual([atB.opening_liability, atB.issued, atB.redeemed, atB.closing_liability, atB.liability_now, atB.written_off],
      [0, none, none, 0, 0, []]);
    assert.deepEqual(atB.shortfalls, { open: none, written_off: none, collected: none });
    const csv = await s.get(`/api/v1/reports/store-credit?${period}&format=csv`);
    assert.equal(csv.status, 200, csv.text);
    const lines = csv.text.trim().split(/\r?\n/);
    assert.ok(lines.includes('shortfalls,written_off,1,700,,,,,,'), csv.text);
    assert.ok(lines.includes(`written_off,,1,700,${hqOver.json.receipt_number},${a.place.name},${code},${f1.settled.at},${f1.settled.by},customer not traceable: a loss`), csv.text);

    assertBooksAndAuditHold(s.db, a.node.db, b.node.db);
  } finally {
    await a.node.stop();
    await b.node.stop();
    await proxy.stop();
    await proxyB.stop();
  }
});
