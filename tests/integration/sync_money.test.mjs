// A store node's sales money in head office's journal (issue 21, docs/sync.md "The money at
// head office"): a node sells through a cut link (cash, card, a line discount and a receipt
// discount), returns an item, voids a sale; when the link returns, duplicating every request,
// head office's sales journal holds each sale once with what the store charged, its receipt
// number (findable by the store's own number) and register (a node register row of its own),
// at the store's location and time; the return and the void are there; the sales summary
// counts them; nothing moved stock twice; `backroom check` and `audit verify` are clean on
// both sides. A repeat of a whole push adds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { freshStoreDb, startServer } from './lib/server.mjs';
import { startFaultProxy } from './lib/fault_proxy.mjs';
import { adjust, assertBooksAndAuditHold, makeItem, onHand, openRegister, saleBody, store, until as waitUntil, uuidv7 } from './lib/shop.mjs';
const until = (what, fn, ms = 20000) => waitUntil(what, fn, ms, 100);

let s;
before(async () => { s = await startServer(); });
after(async () => { await s?.stop(); });

const journal = async (query) => {
  const r = await s.get(`/api/v1/sales?limit=200&${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.sales;
};

test('a node\'s sales, return and void reach head office\'s sales journal once, with what the store charged', async () => {
  const proxy = await startFaultProxy(s.url);
  const place = await s.post('/api/v1/locations', { name: `Money store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const hqStore = place.json;
  const added = await s.post('/api/v1/sync/nodes', { location_id: hqStore.id });
  assert.equal(added.status, 201, added.text);
  const nodeShort = added.json.id.slice(-12);
  const a = await makeItem(s, { price: 1000 });
  // Sold by weight: a line of 1.5 kg must reach head office as 1.5, not as a double's 1.5E0.
  const b = await makeItem(s, { price: 250, unit: 'kg', sold_by_weight: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-money-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  const pushed = () => until('the queue pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0);
  try {
    for (const item of [a, b]) await until('the items at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    await adjust(node, a, local, 20, 'opening');
    await adjust(node, b, local, 20, 'opening');
    await pushed();
    const before = await s.get(`/api/v1/sales/summary?location_id=${hqStore.id}`);
    assert.equal(before.status, 200, before.text);
    assert.deepEqual(before.json.by_channel, [], before.text);

    proxy.cut();
    await until('the node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    const till = `MONEY-${process.pid}`;
    await openRegister(node, local, till, 5000);
    const sell = async (lines, extra) => {
      const r = await node.post('/api/v1/sales', saleBody(local, lines, { register_id: till, ...extra }));
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    // Cash with change; card with a line discount and a receipt discount; one to return; one to void.
    // The card sale's free texts hold what COPY's text format must escape (head office on
    // PostgreSQL writes the journal with COPY): tabs, newlines, backslashes, a literal \N and \.
    const cash = await sell([[a, 1], [b, 1.5]], { tenders: [{ type: 'cash', amount: 2000 }] });
    const bruised = 'bruised\tbox\n\\N', loyal = 'loyal\\.\ncustomer\\', slip = 'slip\t77\\\n\\.';
    const quote = await node.post('/api/v1/sales/quote', saleBody(local, [[a, 2, { discount: { percent: 10, reason: bruised } }]], { register_id: till, discount: { amount: 100, reason: loyal } }));
    assert.equal(quote.status, 200, quote.text);
    const card = await sell([[a, 2, { discount: { percent: 10, reason: bruised } }]],
      { discount: { amount: 100, reason: loyal }, tenders: [{ type: 'card', amount: quote.json.total, reference: slip }] });
    assert.equal(card.tenders[0].reference, slip);
    assert.equal(card.lines[0].discount_reason, bruised);
    assert.ok(card.discount_total > 0, JSON.stringify(card));
    const returned = await sell([[b, 3]], { tenders: [{ type: 'cash', amount: 750 }] });
    const ret = await node.post('/api/v1/returns', {
      sale_id: returned.id, register_id: till,
      lines: [{ sale_line_id: returned.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
    });
    assert.equal(ret.status, 201, ret.text);
    const voided = await sell([[a, 1]], { tenders: [{ type: 'cash', amount: 1000 }] });
    const v = await node.post(`/api/v1/sales/${voided.id}/void`, { reason: 'rang up twice' });
    assert.equal(v.status, 200, v.text);
    assert.equal((await node.get('/api/v1/sync/status')).json.queue_length, 6);

    // The link returns, duplicating every request.
    proxy.state.cut = false;
    proxy.state.duplicate = true;
    await pushed();

    const sales = await journal(`location_id=${hqStore.id}`);
    assert.deepEqual(sales.map((x) => x.id).sort(), [cash.id, card.id, returned.id, voided.id].sort(), JSON.stringify(sales));
    for (const sold of [cash, card, returned]) {
      const here = await s.get(`/api/v1/sales/${sold.id}`);
      assert.equal(here.status, 200, here.text);
      const h = here.json;
      // What the store charged, as the store numbered it, at the store's time and location.
      for (const k of ['subtotal', 'discount_total', 'tax_total', 'total', 'tendered', 'change_due', 'created_at', 'user', 'channel'])
        assert.deepEqual(h[k], sold[k], `${k} of ${sold.receipt_number}`);
      assert.deepEqual(h.tenders, sold.tenders);
      assert.deepEqual(h.discount, sold.discount);
      assert.deepEqual(h.lines.map((l) => [l.id, l.item_id, l.sku, l.name, l.quantity, l.unit_price, l.line_discount, l.receipt_discount, l.discount_reason, l.tax, l.total]),
        sold.lines.map((l) => [l.id, l.item_id, l.sku, l.name, l.quantity, l.unit_price, l.line_discount, l.receipt_discount, l.discount_reason, l.tax, l.total]));
      assert.equal(h.receipt_number, `${sold.receipt_number}@${nodeShort}`);
      assert.equal(h.register_id, `node:${nodeShort}:${till}`);
      assert.equal(h.location_id, hqStore.id);
      assert.equal(h.status, 'completed');
    }
    assert.equal((await s.get(`/api/v1/sales/${card.id}`)).json.tenders[0].type, 'card');
    assert.equal((await s.get(`/api/v1/sales/${cash.id}`)).json.change_due, 2000 - cash.total);
    const hv = (await s.get(`/api/v1/sales/${voided.id}`)).json;
    assert.equal(hv.status, 'voided');
    assert.equal(hv.void.reason, 'rang up twice');
    assert.equal(hv.void.id, v.json.void.id);
    const hr = await s.get(`/api/v1/returns/${ret.json.id}`);
    assert.equal(hr.status, 200, hr.text);
    assert.equal(hr.json.refund_total, ret.json.refund_total);
    assert.equal(hr.json.sale_id, returned.id);
    assert.deepEqual(hr.json.tenders, ret.json.tenders);
    assert.equal((await s.get(`/api/v1/sales/${returned.id}`)).json.lines[0].returned_quantity, 1);

    // The store's receipt number alone finds the sale; the journal names the store.
    const found = await journal(`receipt=${encodeURIComponent(card.receipt_number)}`);
    assert.deepEqual(found.map((x) => x.id), [card.id]);
    assert.equal(found[0].location.name, hqStore.name);
    assert.equal(found[0].register.name, `${till} (store node)`);

    // The summary counts the completed ones (not the void), each once.
    const summary = await s.get(`/api/v1/sales/summary?location_id=${hqStore.id}`);
    const register = summary.json.by_channel.find((c) => c.channel === 'register');
    assert.equal(register.sales_count, 3, summary.text);
    assert.equal(register.total, cash.total + card.total + returned.total, summary.text);

    // The KPI report's net sales (without tax) at the store: the three sales less the return.
    const day = (ms) => new Date(ms).toISOString().slice(0, 10);
    const kpis = await s.get(`/api/v1/reports/kpis?from=${day(Date.now() - 86400_000)}&to=${day(Date.now())}&location_id=${hqStore.id}`);
    assert.equal(kpis.status, 200, kpis.text);
    const net = [cash, card, returned].flatMap((x) => x.lines).reduce((n, l) => n + l.total - l.tax, 0)
      - ret.json.lines.reduce((n, l) => n + l.refund - l.tax, 0);
    assert.ok(net > 0);
    assert.equal(kpis.json.total.shrink.net_sales, net, kpis.text);

    // Stock was posted once, by the node's movements only: no second movement from the journal.
    assert.equal(await onHand(s, a, hqStore), 20 - 1 - 2);
    assert.equal(await onHand(s, b, hqStore), 20 - 1.5 - 3 + 1);
    assert.equal(await onHand(node, a, local), await onHand(s, a, hqStore));
    assert.equal(await onHand(node, b, local), await onHand(s, b, hqStore));

    // The same push again (every document once more): nothing changes.
    const docs = (await s.get(`/api/v1/sync/nodes`)).json.nodes.find((n) => n.id === added.json.id).documents_received;
    assert.equal(docs, 8);
    // A document head office has not seen, naming a sale its journal holds (as a node that
    // lost its cursor might send): kept, but the journal is written once by the sale's id.
    const repeat = await s.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [
      { id: uuidv7(), type: 'sale.completed', entity_id: card.id, at: card.created_at, payload: { ...card, total: 1 }, movements: [] },
      { id: uuidv7(), type: 'sale.voided', entity_id: voided.id, at: card.created_at, payload: { ...v.json, void: { ...v.json.void, id: uuidv7() } }, movements: [] },
    ] });
    assert.equal(repeat.status, 200, repeat.text);
    assert.equal(repeat.json.new, 2, repeat.text);
    const again = await journal(`location_id=${hqStore.id}`);
    assert.deepEqual(again, sales);
    assert.equal((await s.get(`/api/v1/sales/${voided.id}`)).json.void.id, v.json.void.id);
    // A sale whose money does not add up is not written (the push goes on; the audit says why).
    const odd = uuidv7();
    const skipped = await s.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [
      { id: uuidv7(), type: 'sale.completed', entity_id: odd, at: card.created_at,
        payload: { ...card, id: odd, receipt_number: 'ODD-1', total: card.total + 1, lines: card.lines.map((l) => ({ ...l, id: uuidv7() })) }, movements: [] },
    ] });
    assert.equal(skipped.status, 200, skipped.text);
    assert.equal((await s.get(`/api/v1/sales/${odd}`)).status, 404);

    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});

// An exchange at a store node (wrong size: one item back, a dearer one out, the difference in
// cash) reaches head office as an exchange: its return and its new sale in the journal, tied by
// the exchange row, at the store's time; a repeat of the document writes nothing more.
test('a node\'s exchange reaches head office\'s journal as one exchange: its return and its new sale', async () => {
  const place = await s.post('/api/v1/locations', { name: `Exchange store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const added = await s.post('/api/v1/sync/nodes', { location_id: place.json.id });
  assert.equal(added.status, 201, added.text);
  const small = await makeItem(s, { price: 2000 });
  const large = await makeItem(s, { price: 2500 });
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-exchange-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: s.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  try {
    for (const item of [small, large]) await until('the items at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    await adjust(node, small, local, 5, 'opening');
    await adjust(node, large, local, 5, 'opening');
    const till = `SWAP-${process.pid}`;
    await openRegister(node, local, till, 5000);
    const sold = await node.post('/api/v1/sales', saleBody(local, [[small, 1]], { register_id: till, tenders: [{ type: 'cash', amount: 2000 }] }));
    assert.equal(sold.status, 201, sold.text);
    const swap = await node.post('/api/v1/exchanges', {
      id: uuidv7(),
      return: { sale_id: sold.json.id, register_id: till, lines: [{ sale_line_id: sold.json.lines[0].id, quantity: 1, reason: 'wrong_size', condition: 'new', disposition: 'restock' }] },
      sale: { location_id: local.id, register_id: till, lines: [{ item_id: large.id, quantity: 1 }], tenders: [{ type: 'cash', amount: 500 }] },
    });
    assert.equal(swap.status, 201, swap.text);
    const ex = swap.json;
    const at = await until('the exchange at head office', async () => {
      const r = await s.get(`/api/v1/exchanges/${ex.id}`);
      return r.status === 200 && r.json;
    });
    assert.equal(at.return.id, ex.return.id);
    assert.equal(at.sale.id, ex.sale.id);
    assert.equal(at.created_at, ex.created_at, 'at the store\'s time');
    assert.equal(at.user, ex.user);
    for (const k of ['credit', 'refund_due', 'balance_due']) assert.equal(at[k], ex[k], k);
    assert.equal(at.sale.exchange_id, ex.id);
    assert.equal(at.return.exchange_id, ex.id);
    assert.equal(at.sale.location_id, place.json.id);
    assert.equal(at.sale.total, ex.sale.total);
    // Pushed again as a new document (a node that lost its cursor): nothing more is written.
    const repeat = await s.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [
      { id: uuidv7(), type: 'exchange.completed', entity_id: ex.id, at: ex.created_at, payload: { ...ex, user: 'someone else' }, movements: [] },
    ] });
    assert.equal(repeat.status, 200, repeat.text);
    assert.equal((await s.get(`/api/v1/exchanges/${ex.id}`)).json.user, ex.user);
    // One whose return and sale are not this exchange's is not written (the audit says why).
    const forged = uuidv7();
    const bad = await s.withKey(added.json.key).post('/api/v1/sync/documents', { documents: [
      { id: uuidv7(), type: 'exchange.completed', entity_id: forged, at: ex.created_at, payload: { ...ex, id: forged }, movements: [] },
    ] });
    assert.equal(bad.status, 200, bad.text);
    assert.equal((await s.get(`/api/v1/exchanges/${forged}`)).status, 404);
    assert.equal(await onHand(s, large, place.json), 4);
    assert.equal(await onHand(s, small, place.json), 5);
    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
  }
});

// Head office writes a push's sales into its journal together (sales::store::insert_sales,
// 100 rows a statement): a push of more sales than one statement holds, with a void and a
// return of sales of the same push among them, is in head office's journal as the node holds
// it (each sale's GET the same on both sides). A push mixing whole sales with ones the journal
// refuses (a line id it holds, an item it does not know) or that are not whole keeps the whole
// ones and skips the others, each with its reason in the push's audit entry.
test('a push of many sales is in head office\'s journal as the node holds it; refused ones are skipped, the others kept', async () => {
  const proxy = await startFaultProxy(s.url);
  const place = await s.post('/api/v1/locations', { name: `Batch store ${process.pid}`, kind: 'store' });
  assert.equal(place.status, 201, place.text);
  const hqStore = place.json;
  const added = await s.post('/api/v1/sync/nodes', { location_id: hqStore.id });
  assert.equal(added.status, 201, added.text);
  const nodeShort = added.json.id.slice(-12);
  const a = await makeItem(s, { price: 300 });
  const b = await makeItem(s, { price: 125 });
  const dir = mkdtempSync(path.join(tmpdir(), 'backroom-batch-'));
  const node = await startServer({
    init: false,
    db: await freshStoreDb(path.join(dir, 'store.db')),
    env: { BACKROOM_UPSTREAM: proxy.url, BACKROOM_NODE_KEY: added.json.key, BACKROOM_SYNC_PULL_SECONDS: '1', BACKROOM_SYNC_BACKOFF_MAX_SECONDS: '1' },
  });
  const pushed = () => until('the queue pushed', async () => (await node.get('/api/v1/sync/status')).json?.queue_length === 0, 60000);
  try {
    for (const item of [a, b]) await until('the items at the node', async () => (await node.get(`/api/v1/items/${item.id}`)).status === 200);
    const local = await store(node);
    await adjust(node, a, local, 1000, 'opening');
    await adjust(node, b, local, 1000, 'opening');
    await pushed();
    proxy.cut();
    await until('the node offline', async () => (await node.get('/api/v1/sync/status')).json?.online === false);
    const till = `BATCH-${process.pid}`;
    await openRegister(node, local, till, 5000);
    const sold = [];
    let voided, ret;
    for (let i = 0; i < 130; ++i) {
      const lines = i % 3 ? [[a, 1 + (i % 4)], [b, 2]] : [[b, 1]];
      const r = await node.post('/api/v1/sales', saleBody(local, lines, { register_id: till, tenders: [{ type: 'cash', amount: 5000 }] }));
      assert.equal(r.status, 201, r.text);
      sold.push(r.json);
      if (i === 40) {
        const v = await node.post(`/api/v1/sales/${sold[35].id}/void`, { reason: 'rang up twice' });
        assert.equal(v.status, 200, v.text);
        voided = sold[35];
      }
      if (i === 80) {
        const back = sold[70];
        const r2 = await node.post('/api/v1/returns', {
          sale_id: back.id, register_id: till,
          lines: [{ sale_line_id: back.lines[0].id, quantity: 1, reason: 'changed_mind', condition: 'new', disposition: 'restock' }],
        });
        assert.equal(r2.status, 201, r2.text);
        ret = r2.json;
      }
    }
    proxy.state.cut = false;
    await pushed();

    const fields = (x) => ({
      ...Object.fromEntries(['subtotal', 'discount_total', 'tax_total', 'total', 'tendered', 'change_due', 'created_at', 'user', 'channel', 'status', 'tenders', 'discount'].map((k) => [k, x[k]])),
      void: x.void ? [x.void.id, x.void.reason, x.void.at, x.void.user] : null,
      lines: x.lines.map((l) => [l.id, l.line_no, l.item_id, l.sku, l.name, l.quantity, l.unit_price, l.gross, l.line_discount, l.receipt_discount, l.tax_rate_bp, l.tax, l.total, l.returned_quantity]),
    });
    for (const x of sold) {
      const here = await s.get(`/api/v1/sales/${x.id}`);
      assert.equal(here.status, 200, here.text);
      const there = await node.get(`/api/v1/sales/${x.id}`);
      assert.equal(there.status, 200, there.text);
      assert.deepEqual(fields(here.json), fields(there.json), x.receipt_number);
      assert.equal(here.json.receipt_number, `${x.receipt_number}@${nodeShort}`);
      assert.equal(here.json.register_id, `node:${nodeShort}:${till}`);
      assert.equal(here.json.location_id, hqStore.id);
    }
    assert.equal((await s.get(`/api/v1/sales/${voided.id}`)).json.status, 'voided');
    assert.equal((await s.get(`/api/v1/sales/${sold[70].id}`)).json.lines[0].returned_quantity, 1);
    const hr = await s.get(`/api/v1/returns/${ret.id}`);
    assert.equal(hr.status, 200, hr.text);
    assert.equal(hr.json.sale_id, sold[70].id);
    const summary = await s.get(`/api/v1/sales/summary?location_id=${hqStore.id}`);
    const register = summary.json.by_channel.find((c) => c.channel === 'register');
    assert.equal(register.sales_count, 129, summary.text);
    assert.equal(register.total, sold.filter((x) => x !== voided).reduce((n, x) => n + x.total, 0), summary.text);

    // One push: whole sales around a sale with a line id the journal holds, one with an item
    // head office does not know, one whose money does not add up.
    const model = sold[1];
    const like = (receipt, change = {}) => {
      const id = uuidv7();
      const payload = { ...model, id, receipt_number: receipt, lines: model.lines.map((l) => ({ ...l, id: uuidv7() })), ...change };
      // A whole sale's stock leaves the store as the node's would; the others move none.
      const movements = Object.keys(change).length ? [] : payload.lines.map((l) => ({ item_id: l.item_id, location_kind: 'store',
        quantity: -l.quantity, reason: 'sale', document_type: 'sale', document_id: id, document_line_id: l.id }));
      return { id: uuidv7(), type: 'sale.completed', entity_id: id, at: model.created_at, movements, payload };
    };
    const first = like(`MIX-1-${process.pid}`);
    const heldLine = like(`MIX-2-${process.pid}`, { lines: model.lines });
    const unknown = like(`MIX-3-${process.pid}`, { lines: model.lines.map((l, i) => ({ ...l, id: uuidv7(), item_id: i ? l.item_id : uuidv7() })) });
    const uneven = like(`MIX-4-${process.pid}`, { total: model.total + 1 });
    const last = like(`MIX-5-${process.pid}`);
    const mixed = [first, heldLine, unknown, uneven, last];
    const push = await s.withKey(added.json.key).post('/api/v1/sync/documents', { documents: mixed });
    assert.equal(push.status, 200, push.text);
    assert.equal(push.json.new, 5, push.text);
    for (const d of [first, last]) {
      const here = await s.get(`/api/v1/sales/${d.entity_id}`);
      assert.equal(here.status, 200, here.text);
      assert.deepEqual(fields(here.json).lines, fields({ ...d.payload, lines: d.payload.lines.map((l) => ({ ...l, returned_quantity: 0 })) }).lines);
      assert.equal(here.json.total, model.total);
    }
    for (const d of [heldLine, unknown, uneven]) assert.equal((await s.get(`/api/v1/sales/${d.entity_id}`)).status, 404);
    const audit = await s.get(`/api/v1/audit?action=sync_documents.post&entity_id=${added.json.id}&limit=50`);
    assert.equal(audit.status, 200, audit.text);
    const entry = audit.json.entries.find((e) => e.after?.documents?.some((d) => d.id === first.id));
    assert.ok(entry, audit.text);
    const said = Object.fromEntries(entry.after.documents.map((d) => [d.id, d.journal ?? `skipped: ${d.journal_skipped}`]));
    assert.deepEqual(mixed.map((d) => said[d.id]), ['sale', 'skipped: head office\'s journal refused it', 'skipped: head office\'s journal refused it',
      'skipped: its lines, tenders and totals do not add up', 'sale']);
    // Each one the journal could not take is listed for a person, with the journal's reason.
    const listed = (await s.get(`/api/v1/sync/conflicts?node_id=${added.json.id}&status=all&limit=200`)).json.conflicts
      .filter((c) => c.kind === 'not_in_journal');
    assert.deepEqual(listed.map((c) => [c.document_id, c.detail.type, c.detail.entity_id, c.detail.reason]).sort(),
      [heldLine, unknown, uneven].map((d) => [d.id, 'sale.completed', d.entity_id, said[d.id].replace('skipped: ', '')]).sort());
    assert.ok(listed.every((c) => c.status === 'open' && /sales journal could not take its money/.test(c.rule)));
    for (const c of listed) assert.ok(entry.after.documents.find((d) => d.id === c.document_id).conflicts.includes(c.id));

    assertBooksAndAuditHold(s.db, node.db);
  } finally {
    await node.stop();
    await proxy.stop();
  }
});
