// A refund to store credit (issue 13): `refund_to: "store_credit"` sends the whole refund,
// whatever proration computes, to one credit note (a new one, or the note named by
// `refund_to_code`); the refund slip prints its whole code; the code pays a later sale and
// the note shows its balance and history. A retry issues no second note; training issues
// none; bad combinations are refused before anything is written. The store-credit report
// (docs/reports.md "Store credit") on notes built day by day, every figure worked by hand, and
// the notes' list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from './lib/server.mjs';
import { adjust, assertBooksHold, makeItem, openRegister, saleBody, store, uuidv7 } from './lib/shop.mjs';

let s;
let shop;
before(async () => {
  s = await startServer();
  shop = await store(s);
});
after(async () => { await s.stop(); });

const line = (sale, quantity = 1, i = 0) => ({ sale_line_id: sale.lines[i].id, quantity, reason: 'changed_mind', condition: 'new', disposition: 'restock' });

// A sale whose refund is not a round number: 3 at 9.99 with 7 % off the receipt, paid
// partly by card, so the original tenders would be card first.
async function awkwardSale(item, register) {
  const r = await s.post('/api/v1/sales', saleBody(shop, [[item, 3]], {
    register_id: register, discount: { percent: 7 },
    tenders: [{ type: 'card', amount: 1000, reference: 'AUTH-9' }, { type: 'cash', amount: 5000 }],
  }));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('a return to store credit issues one note for the whole refund; the slip prints it; a sale spends it', async () => {
  const item = await makeItem(s, { price: 999 });
  await adjust(s, item, shop, 20, 'opening');
  await openRegister(s, shop, 'SC-1');
  const sale = await awkwardSale(item, 'SC-1');

  const body = { id: uuidv7(), sale_id: sale.id, register_id: 'SC-1', refund_to: 'store_credit', lines: [line(sale, 2)] };
  const ret = await s.post('/api/v1/returns', body);
  assert.equal(ret.status, 201, ret.text);
  assert.ok(ret.json.refund_total > 0 && ret.json.refund_total % 100 !== 0, `a prorated refund: ${ret.json.refund_total}`);
  assert.equal(ret.json.tenders.length, 1, 'one tender, not the card and cash of the sale');
  const [tender] = ret.json.tenders;
  assert.equal(tender.type, 'store_credit');
  assert.equal(tender.amount, ret.json.refund_total);
  assert.match(tender.reference, /^SC-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const code = tender.reference;

  const slip = await s.get(`/api/v1/returns/${ret.json.id}/receipt?format=html`);
  assert.equal(slip.status, 200, slip.text);
  assert.ok(slip.text.includes(code), 'the refund slip prints the whole code');

  // The same document again (a register retrying after a dropped answer): no second note.
  const retry = await s.post('/api/v1/returns', body);
  assert.ok(retry.status < 300, retry.text);
  assert.equal(retry.json.id, ret.json.id);
  assert.deepEqual(retry.json.tenders, ret.json.tenders);

  let credit = await s.get(`/api/v1/store-credits/${code.toLowerCase()}`);
  assert.equal(credit.status, 200, credit.text);
  assert.equal(credit.json.balance, ret.json.refund_total);
  assert.deepEqual(credit.json.entries.map((e) => [e.amount, e.document_type, e.document_id]), [[ret.json.refund_total, 'return', ret.json.id]]);

  // Redeem part of it as a sale tender, by the code as typed at the till.
  const spend = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], {
    register_id: 'SC-1', tenders: [{ type: 'store_credit', amount: 999, reference: code.toLowerCase() }],
  }));
  assert.equal(spend.status, 201, spend.text);
  credit = await s.get(`/api/v1/store-credits/${code}`);
  assert.equal(credit.json.balance, ret.json.refund_total - 999);
  assert.deepEqual(credit.json.entries.map((e) => [e.amount, e.document_type, e.receipt_number]),
    [[ret.json.refund_total, 'return', sale.receipt_number], [-999, 'sale', spend.json.receipt_number]]);

  // refund_to_code tops up that note instead of issuing another.
  const more = await s.post('/api/v1/returns', { sale_id: sale.id, register_id: 'SC-1', refund_to: 'store_credit', refund_to_code: ` ${code.toLowerCase()} `, lines: [line(sale, 1)] });
  assert.equal(more.status, 201, more.text);
  assert.deepEqual(more.json.tenders, [{ type: 'store_credit', amount: more.json.refund_total, reference: code }]);
  credit = await s.get(`/api/v1/store-credits/${code}`);
  assert.equal(credit.json.balance, ret.json.refund_total - 999 + more.json.refund_total);
  assert.equal(credit.json.entries.length, 3);
  // The two returns refunded exactly what the line was paid.
  assert.equal(ret.json.refund_total + more.json.refund_total, sale.lines[0].total);
  assertBooksHold(s.db);
});

test('an exchange sends what its new sale does not take to store credit', async () => {
  const dear = await makeItem(s, { price: 4000 });
  const cheap = await makeItem(s, { price: 1500 });
  await adjust(s, dear, shop, 5, 'opening');
  await adjust(s, cheap, shop, 5, 'opening');
  await openRegister(s, shop, 'SC-2');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[dear, 1]], { register_id: 'SC-2', tenders: [{ type: 'cash', amount: 4000 }] }));
  assert.equal(sale.status, 201, sale.text);
  const ex = await s.post('/api/v1/exchanges', {
    return: { sale_id: sale.json.id, register_id: 'SC-2', refund_to: 'store_credit', lines: [line(sale.json)] },
    sale: { location_id: shop.id, register_id: 'SC-2', lines: [{ item_id: cheap.id, quantity: 1 }], tenders: [] },
  });
  assert.equal(ex.status, 201, ex.text);
  assert.equal(ex.json.credit, 1500);
  const toCredit = ex.json.return.tenders.filter((t) => t.type === 'store_credit');
  assert.equal(toCredit.length, 1, ex.text);
  assert.equal(toCredit[0].amount, 2500);
  const credit = await s.get(`/api/v1/store-credits/${toCredit[0].reference}`);
  assert.equal(credit.json.balance, 2500);
  assertBooksHold(s.db);
});

test('a training return to store credit issues no note', async () => {
  const item = await makeItem(s, { price: 1200 });
  await adjust(s, item, shop, 5, 'opening');
  await openRegister(s, shop, 'SC-3');
  const sale = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'SC-3' }));
  const existing = await s.post('/api/v1/returns', { sale_id: sale.json.id, refund_to: 'store_credit', lines: [line(sale.json)] });
  assert.equal(existing.status, 201, existing.text);
  const code = existing.json.tenders[0].reference;
  const sale2 = await s.post('/api/v1/sales', saleBody(shop, [[item, 1]], { register_id: 'SC-3' }));
  for (const extra of [{}, { refund_to_code: code }]) {
    const r = await s.post('/api/v1/returns', { sale_id: sale2.json.id, register_id: 'SC-3', training: true, refund_to: 'store_credit', lines: [line(sale2.json)], ...extra });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.tenders, [{ type: 'store_credit', amount: 1200, reference: null }], 'no note named, none issued');
  }
  const credit = await s.get(`/api/v1/store-credits/${code}`);
  assert.equal(credit.json.balance, 1200, 'the named note was not topped up');
  assert.equal(credit.json.entries.length, 1);
  assertBooksHold(s.db);
});

test('refund_to is refused by name when unknown, combined with refund_tenders, or naming no note; nothing is written', async () => {
  const item = await makeItem(s, { price: 700 });
  await adjust(s, item, shop, 5, 'opening');
  const sale = (await s.post('/api/v1/sales', saleBody(shop, [[item, 1]]))).json;
  const cases = [
    [{ refund_to: 'gift_card' }, 'refund_to'],
    [{ refund_to: 'original' }, 'refund_to'],
    [{ refund_to: 5 }, 'refund_to'],
    [{ refund_to: 'store_credit', refund_tenders: [{ type: 'cash', amount: 700 }] }, 'refund_to'],
    [{ refund_to: 'store_credit', refund_tenders: [] }, 'refund_to'],
    [{ refund_to_code: 'SC-AAAA-BBBB-CCCC' }, 'refund_to_code'],
    [{ refund_to: 'store_credit', refund_to_code: 'SC-AAAA-BBBB-CCCC' }, 'refund_to_code'],
    [{ refund_to: 'store_credit', refund_to_code: '  ' }, 'refund_to_code'],
  ];
  for (const [extra, field] of cases) {
    const r = await s.post('/api/v1/returns', { sale_id: sale.id, lines: [line(sale)], ...extra });
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    assert.equal(r.json.field, field, r.text);
    const ex = await s.post('/api/v1/exchanges', {
      return: { sale_id: sale.id, lines: [line(sale)], ...extra },
      sale: { location_id: shop.id, lines: [{ item_id: item.id, quantity: 1 }], tenders: [] },
    });
    assert.equal(ex.status, 422, `exchange ${JSON.stringify(extra)}: ${ex.text}`);
    assert.equal(ex.json.field, `return.${field}`, ex.text);
  }
  const after = (await s.get(`/api/v1/sales/${sale.id}`)).json;
  assert.equal(after.lines[0].returned_quantity, 0, 'nothing was returned');
  assertBooksHold(s.db);
});

// Dated history needs the test build's clock (platform/types.cpp): a server of its own.
// Store X (the shop) and store Y, an item at 10.00. By hand:
//   10-05 X: sale S1 of 2 (cash), returned to store credit: note N1 issued 2000.
//   10-06 X: S2 pays 700 from N1 (1300), S2 voided: 700 given back (2000); S3 pays 500 (1500).
//   10-06 Y: sale S4 of 1 (cash), returned to store credit: note N2 issued 1000.
//   10-07 X: S5 pays 400 from N2, issued at Y (600). Today is 10-07.
// End of 10-05: 2000; of 10-06: 1500 + 1000 = 2500; now: 1500 + 600 = 2100.
test('the store-credit report: opening, issued, redeemed, given back and closing, worked by hand', async () => {
  const clockFile = path.join(tempDir('backroom-clock-'), 'now');
  const at = (time) => { writeFileSync(`${clockFile}.new`, `${time}\n`); renameSync(`${clockFile}.new`, clockFile); };
  at('2026-10-05T09:00:00Z');
  const c = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile } });
  try {
    const x = await store(c);
    const made = await c.post('/api/v1/locations', { name: 'Credit report Y', kind: 'store' });
    assert.equal(made.status, 201, made.text);
    const y = made.json;
    const item = await makeItem(c, { price: 1000 });
    await adjust(c, item, x, 20, 'opening');
    await adjust(c, item, y, 20, 'opening');
    await openRegister(c, x, 'SCR-X');
    await openRegister(c, y, 'SCR-Y');
    const sell = async (where, register, quantity, tenders) => {
      const r = await c.post('/api/v1/sales', saleBody(where, [[item, quantity]], { register_id: register, tenders }));
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const toCredit = async (sale, register) => {
      const r = await c.post('/api/v1/returns', { sale_id: sale.id, register_id: register, refund_to: 'store_credit', lines: [line(sale, sale.lines[0].quantity)] });
      assert.equal(r.status, 201, r.text);
      return r.json.tenders[0].reference;
    };
    const fromNote = (code, amount) => [{ type: 'store_credit', amount, reference: code }, { type: 'cash', amount: 1000 - amount }];

    const n1 = await toCredit(await sell(x, 'SCR-X', 2, [{ type: 'cash', amount: 2000 }]), 'SCR-X');
    at('2026-10-06T10:00:00Z');
    const s2 = await sell(x, 'SCR-X', 1, fromNote(n1, 700));
    const voided = await c.post(`/api/v1/sales/${s2.id}/void`, { reason: 'rang up twice' });
    assert.equal(voided.status, 200, voided.text);
    at('2026-10-06T11:00:00Z');
    await sell(x, 'SCR-X', 1, fromNote(n1, 500));
    at('2026-10-06T12:00:00Z');
    const n2 = await toCredit(await sell(y, 'SCR-Y', 1, [{ type: 'cash', amount: 1000 }]), 'SCR-Y');
    at('2026-10-07T09:00:00Z');
    await sell(x, 'SCR-X', 1, fromNote(n2, 400));
    at('2026-10-07T12:00:00Z');
    assert.equal((await c.get(`/api/v1/store-credits/${n1}`)).json.balance, 1500);
    assert.equal((await c.get(`/api/v1/store-credits/${n2}`)).json.balance, 600);

    const report = async (query) => {
      const r = await c.get(`/api/v1/reports/store-credit?${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const figures = (r) => [r.opening_liability, r.issued.count, r.issued.amount, r.redeemed.count, r.redeemed.amount,
      r.given_back.count, r.given_back.amount, r.adjusted.amount, r.closing_liability, r.liability_now];
    const none = { count: 0, amount: 0 };
    const cases = [
      // [query, opening, issued (count, amount), redeemed, given back, adjusted, closing, now]
      ['from=2026-10-06&to=2026-10-06', [2000, 1, 1000, 2, 1200, 1, 700, 0, 2500, 2100]],
      ['from=2026-10-05&to=2026-10-07', [0, 2, 3000, 3, 1600, 1, 700, 0, 2100, 2100]],
      ['from=2026-10-05&to=2026-10-05', [0, 1, 2000, 0, 0, 0, 0, 0, 2000, 2100]],
      ['from=2026-10-07&to=2026-10-07', [2500, 0, 0, 1, 400, 0, 0, 0, 2100, 2100]],
      // The notes issued at X (N1) and at Y (N2: spent at X, still Y's liability).
      [`from=2026-10-06&to=2026-10-07&location_id=${x.id}`, [2000, 0, 0, 2, 1200, 1, 700, 0, 1500, 1500]],
      [`from=2026-10-06&to=2026-10-07&location_id=${y.id}`, [0, 1, 1000, 1, 400, 0, 0, 0, 600, 600]],
      // Before any note: nothing.
      ['from=2026-10-01&to=2026-10-04', [0, 0, 0, 0, 0, 0, 0, 0, 0, 2100]],
    ];
    for (const [query, want] of cases) {
      const r = await report(query);
      assert.deepEqual(figures(r), want, query);
      assert.equal(r.opening_liability + r.issued.amount - r.redeemed.amount + r.given_back.amount + r.adjusted.amount,
        r.closing_liability, `the equation, ${query}`);
      assert.deepEqual(r.shortfalls, { open: none, written_off: none, collected: none }, 'no store node, no shortfall');
      assert.deepEqual(r.written_off, []);
    }
    const week = await report(`from=2026-10-06&to=2026-10-07&location_id=${y.id}`);
    assert.deepEqual([week.from, week.to, week.days, week.location], ['2026-10-06', '2026-10-07', 2, { id: y.id, name: 'Credit report Y' }]);
    // The default period: the 30 days ending today.
    const usual = await report('');
    assert.deepEqual([usual.from, usual.to, usual.closing_liability], ['2026-09-08', '2026-10-07', 2100]);

    const csv = await c.get('/api/v1/reports/store-credit?from=2026-10-06&to=2026-10-06&format=csv');
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /store-credit-2026-10-06-2026-10-06\.csv/);
    const rows = csv.text.trim().split(/\r?\n/);
    assert.equal(rows[0], 'section,figure,count,amount,receipt_number,store,code,at,by,note');
    assert.deepEqual(rows.slice(1, 8), ['liability,opening_liability,,2000,,,,,,', 'liability,issued,1,1000,,,,,,',
      'liability,redeemed,2,1200,,,,,,', 'liability,given_back,1,700,,,,,,', 'liability,adjusted,0,0,,,,,,',
      'liability,closing_liability,,2500,,,,,,', 'liability,liability_now,,2100,,,,,,']);
    assert.equal(rows.length, 11, csv.text);

    // The notes' list: newest first, the open ones, each with its store and last spend.
    const list = await c.get('/api/v1/store-credits?open=true');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.store_credits.map((n) => [n.code, n.balance, n.issued_at, n.last_used_at, n.store?.name]), [
      [n2, 600, '2026-10-06T12:00:00.000000Z', '2026-10-07T09:00:00.000000Z', 'Credit report Y'],
      [n1, 1500, '2026-10-05T09:00:00.000000Z', '2026-10-06T11:00:00.000000Z', x.name],
    ]);
    assert.equal(list.json.next_cursor, null);
    const first = await c.get('/api/v1/store-credits?limit=1');
    assert.deepEqual(first.json.store_credits.map((n) => n.code), [n2]);
    const second = await c.get(`/api/v1/store-credits?limit=1&cursor=${first.json.next_cursor}`);
    assert.deepEqual([second.json.store_credits.map((n) => n.code), second.json.next_cursor], [[n1], null]);
    // A spent note leaves the open list, and stays in the whole one.
    at('2026-10-07T13:00:00Z');
    await sell(x, 'SCR-X', 1, [{ type: 'store_credit', amount: 600, reference: n2 }, { type: 'cash', amount: 400 }]);
    assert.deepEqual((await c.get('/api/v1/store-credits?open=true')).json.store_credits.map((n) => n.code), [n1]);
    assert.deepEqual((await c.get('/api/v1/store-credits')).json.store_credits.map((n) => [n.code, n.balance]), [[n2, 0], [n1, 1500]]);
    // A cashier reads a note by its code, not the list nor the report (store_credits.read).
    const cashier = await c.as('cashier');
    assert.equal((await cashier.get(`/api/v1/store-credits/${n1}`)).status, 200);
    assert.equal((await cashier.get('/api/v1/store-credits')).status, 403);
    assert.equal((await cashier.get('/api/v1/reports/store-credit')).status, 403);
    assertBooksHold(c.db);
  } finally {
    await c.stop();
  }
});
