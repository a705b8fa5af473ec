// Files shop owners already have (issue 19): versioned mapping tables, and Shopify's product
// CSV and Square's item library moved in and out (docs/formats.md). Dated behaviour (the
// review reminder) runs on the test clock (BACKROOM_TEST_CLOCK_FILE), never on wall time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, tempDir } from './lib/server.mjs';

const clockDir = tempDir('backroom-clock-');
const clockFile = path.join(clockDir, 'now');
const at = (time) => writeFileSync(clockFile, `${time}\n`);

let s;
before(async () => {
  at('2026-03-01T09:00:00Z');
  s = await startServer({ env: { BACKROOM_TEST_CLOCK_FILE: clockFile } });
});
after(async () => { await s.stop(); });

test('mappings: every PUT is a new version with who and when; old versions stay readable', async () => {
  assert.equal((await s.get('/api/v1/mappings/acme')).status, 404);
  const first = await s.put('/api/v1/mappings/acme', {
    fields: { 'Item No': 'sku' }, values: { tax_category: { 'VAT 20': 'standard' } }, reviewed_on: '2026-03-01',
  });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.version, 1);
  assert.deepEqual(first.json.fields, { 'Item No': 'sku' });
  assert.deepEqual(first.json.values, { tax_category: { 'VAT 20': 'standard' } });
  assert.match(first.json.changed_by, /^apikey:/);
  assert.equal(first.json.changed_at, '2026-03-01T09:00:00.000000Z');

  at('2026-03-02T10:00:00Z');
  const second = await s.put('/api/v1/mappings/acme', {
    fields: { 'Item No': 'sku', Label: 'name' }, values: {}, reviewed_on: '2026-03-02',
  });
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.version, 2);

  const latest = await s.get('/api/v1/mappings/acme');
  assert.equal(latest.json.version, 2);
  assert.deepEqual(latest.json.fields, { 'Item No': 'sku', Label: 'name' });
  const old = await s.get('/api/v1/mappings/acme?version=1');
  assert.equal(old.status, 200);
  assert.deepEqual(old.json.values, { tax_category: { 'VAT 20': 'standard' } });
  assert.equal((await s.get('/api/v1/mappings/acme?version=9')).status, 404);

  const versions = await s.get('/api/v1/mappings/acme/versions');
  assert.equal(versions.status, 200);
  assert.deepEqual(versions.json.versions.map((v) => [v.version, v.changed_at]),
    [[2, '2026-03-02T10:00:00.000000Z'], [1, '2026-03-01T09:00:00.000000Z']]);
  const paged = await s.get('/api/v1/mappings/acme/versions?limit=1');
  assert.deepEqual(paged.json.versions.map((v) => v.version), [2]);
  const next = await s.get(`/api/v1/mappings/acme/versions?limit=1&before=${paged.json.next_cursor}`);
  assert.deepEqual(next.json.versions.map((v) => v.version), [1]);
  assert.equal(next.json.next_cursor, null);

  const audit = await s.get('/api/v1/audit?entity=mapping');
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.json.entries.filter((e) => e.action === 'mapping.update' && e.entity_id === 'acme');
  assert.equal(entries.length, 2, audit.text);
});

test('mappings: a review is due 90 days after reviewed_on, in the answer and in the list', async () => {
  at('2026-04-01T08:00:00Z');
  const put = await s.put('/api/v1/mappings/ledger', { fields: {}, values: {}, reviewed_on: '2026-04-01' });
  assert.equal(put.status, 201, put.text);
  assert.equal(put.json.review_due_on, '2026-06-30');
  assert.equal(put.json.review_due, false);
  const never = await s.put('/api/v1/mappings/unreviewed', { fields: {}, values: {} });
  assert.equal(never.json.reviewed_on, null);
  assert.equal(never.json.review_due, true, 'a mapping nobody has reviewed asks for review');

  at('2026-06-29T23:59:59Z');
  assert.equal((await s.get('/api/v1/mappings/ledger')).json.review_due, false);
  at('2026-06-30T00:00:00Z');
  assert.equal((await s.get('/api/v1/mappings/ledger')).json.review_due, true);
  const list = await s.get('/api/v1/mappings');
  assert.equal(list.status, 200);
  const byName = Object.fromEntries(list.json.mappings.map((m) => [m.name, m]));
  assert.equal(byName.ledger.review_due, true);
  assert.equal(byName.ledger.version, 1);
  assert.equal(byName.acme.version, 2, 'the list shows the newest version of each');
  assert.equal(list.json.review_due, list.json.mappings.filter((m) => m.review_due).length);

  const reviewed = await s.put('/api/v1/mappings/ledger', { fields: {}, values: {}, reviewed_on: '2026-06-30' });
  assert.equal(reviewed.json.review_due, false);
  assert.equal(reviewed.json.version, 2);
});

test('mappings: read needs integrations.read, a change integrations.manage; bad bodies name the field', async () => {
  const cashier = await s.as('cashier');
  assert.equal((await cashier.get('/api/v1/mappings')).status, 403);
  assert.equal((await cashier.put('/api/v1/mappings/x', { fields: {}, values: {} })).status, 403);
  const bad = [
    [{ fields: { a: 1 } }, 'fields.a'],
    [{ values: { location: 'x' } }, 'values.location'],
    [{ values: { 'Bad Name': {} } }, 'values'],
    [{ reviewed_on: '2026-02-30' }, 'reviewed_on'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [body, field] of bad) {
    const r = await s.put('/api/v1/mappings/acme', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  const badName = await s.put('/api/v1/mappings/Not%20OK', { fields: {} });
  assert.equal(badName.status, 422);
  assert.equal(badName.json.field, 'name');
  assert.equal((await s.get('/api/v1/mappings/acme')).json.version, 2, 'a refused PUT stores nothing');
});
