// A refund to store credit (issue 13): `refund_to: "store_credit"` sends the whole refund,
// whatever proration computes, to one credit note (a new one, or the note named by
// `refund_to_code`); the refund slip prints its whole code; the code pays a later sale and
// the note shows its balance and history. A retry issues no second note; training issues
// none; bad combinations are refused before anything is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
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
