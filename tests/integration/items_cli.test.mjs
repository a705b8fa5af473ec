// The item master from the command line: CSV import (all or nothing, line/column errors,
// dry run), export round trip, the demo shop's barcodes, and a database newer than the binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir, withCheck, initializedDb, dbExec } from './lib/server.mjs';

const header = 'sku,name,kind,parent_sku,options,category,unit,sold_by_weight,price,cost,prices,case_pack,barcodes,kit_consumes,kit_components';

// A new shop as `init` leaves it (`demo: true`: and `demo` after it), copied from the run's
// template: `init` itself runs once a run, not once a case (seconds each under the sanitizers).
async function shop({ demo = false } = {}) {
  const dir = tempDir();
  return { dir, db: await initializedDb(dir, { demo }) };
}

function exportRows(db) {
  const r = cli(['items', 'export', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\r\n');
}

test('a good file imports every row, a second import changes nothing', async () => {
  const { dir, db } = await shop();
  const file = path.join(dir, 'items.csv');
  writeFileSync(file, [
    header,
    `MUG-1,"Mug, blue",standard,,,Kitchen,each,no,12.50,4.1,member=11.00,6,"${withCheck('871230077001')}; ${withCheck('1' + withCheck('871230077001').slice(0, 12))}*6",,`,
    'TEE,Tee,parent,,size=S|M,Apparel,each,,,,,1,,,',
    `TEE-S,Tee S,variant,TEE,size=S,Apparel,each,,9.99,,,1,${withCheck('07777711111')},,`,
    'APL,Apples,standard,,,Produce,kg,yes,3.49,,,1,,,',
    'BOX,Gift box,kit,,,Gifts,each,,25,,,1,,components,MUG-1*2; TEE-S',
  ].join('\n'));
  let r = cli(['items', 'import', '--db', db, file]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /5 rows: 5 to create, 0 to update, 0 unchanged, 0 errors — imported/);
  const scan = JSON.parse(cli(['scan', '--db', db, withCheck('1' + withCheck('871230077001').slice(0, 12))]).stdout);
  assert.equal(scan.item.sku, 'MUG-1');
  assert.equal(scan.pack_quantity, 6);
  assert.equal(scan.item.price, 1250);
  assert.equal(scan.item.cost, 410);
  assert.deepEqual(scan.item.prices, { member: 1100 });
  r = cli(['items', 'import', '--db', db, file]);
  assert.match(r.stdout, /5 rows: 0 to create, 0 to update, 5 unchanged/);
});

test('export then import into a fresh shop reproduces the catalog', async () => {
  const a = await shop({ demo: true });
  const exported = path.join(a.dir, 'export.csv');
  assert.equal(cli(['items', 'export', '--db', a.db, '-o', exported]).status, 0);
  const b = await shop();
  const r = cli(['items', 'import', '--db', b.db, exported]);
  assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  // Same rows apart from the ids of new items (last column) and parent/kit references, which go by sku.
  const strip = (rows) => rows.map((row) => row.replace(/,[0-9a-f-]{36}$/, '')).sort();
  const rowsA = strip(exportRows(a.db));
  const rowsB = strip(exportRows(b.db));
  assert.ok(rowsA.length > 2000);
  assert.deepEqual(rowsB, rowsA);
});

test('bad rows are reported with line, column and reason; nothing is written', async () => {
  const { dir, db } = await shop();
  const file = path.join(dir, 'bad.csv');
  writeFileSync(file, [
    header,
    'OK-1,Fine,standard,,,,each,,1.00,,,1,,,',
    'OK-2,Bad price,standard,,,,each,,1.999,,,1,,,',
    `OK-3,Bad code,standard,,,,each,,1.00,,,1,4006381333932,,`,
    'OK-4,"Multi\nline name",standard,,,,each,,1.00,,,1,,,',
    `OK-5,Dup code,standard,,,,each,,1.00,,,1,4006381333931,,`,
    `OK-6,Dup code again,standard,,,,each,,1.00,,,1,04006381333931,,`,
    'OK-1,Twice,standard,,,,each,,1.00,,,1,,,',
    'OK-7,Orphan,variant,NOPE,size=S,,each,,1.00,,,1,,,',
    'OK-8,Card 4111111111111111,standard,,,,each,,1.00,,,1,,,',
  ].join('\n'));
  let r = cli(['items', 'import', '--db', db, file]);
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  const expect = [
    [/:3 column price: .*1\.999/, 'invalid_field'],
    [/:4 column barcodes: .*check digit/, 'barcode_check_digit'],
    [/:8 column barcodes: .*already belongs to item OK-5/, 'duplicate_barcode'],
    [/:9 column sku: sku OK-1 appears twice/, 'duplicate_sku'],
    [/:10 column parent_sku: parent NOPE/, 'invalid_field'],
    [/:11 column name: .*card/, 'card_number_not_allowed'],
  ];
  assert.equal(lines.length, expect.length, r.stderr);
  expect.forEach(([pattern, code], i) => {
    assert.match(lines[i], pattern);
    assert.ok(lines[i].endsWith(`[${code}]`), lines[i]);
  });
  assert.match(r.stdout, /nothing written \(an import is all or nothing\)/);
  assert.equal(exportRows(db).length, 1, 'only the header: nothing was imported');
  r = cli(['items', 'import', '--db', db, '--dry-run', file]);
  assert.match(r.stdout, /dry run, nothing written/);
});

test('a dry run of a good file reports and writes nothing', async () => {
  const { dir, db } = await shop();
  const file = path.join(dir, 'ok.csv');
  writeFileSync(file, `${header}\nA-1,Thing,standard,,,,each,,1.00,,,1,,,\n`);
  const r = cli(['items', 'import', '--db', db, '--dry-run', file]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /1 to create.*dry run, nothing written/);
  assert.equal(exportRows(db).length, 1);
});

test('structural CSV problems: unknown column, missing sku column, broken quoting', async () => {
  const { dir, db } = await shop();
  const cases = [
    ['sku,name,colour\nA,B,red\n', /column colour: column 'colour' is not one of/],
    ['name,price\nB,1\n', /column sku: the header has no 'sku' column/],
    ['sku,name,price\nA,"B,1\n', /:2: .*\[malformed_csv\]/],
    ['sku,name,price\nA,B\n', /:2: row has 2 fields, the header has 3/],
  ];
  for (const [text, pattern] of cases) {
    const file = path.join(dir, 'x.csv');
    writeFileSync(file, text);
    const r = cli(['items', 'import', '--db', db, file]);
    assert.equal(r.status, 1, text);
    assert.match(r.stderr, pattern, text);
  }
});

test('the demo shop: about 2,000 items, every barcode valid, unique and scanning to its item', async () => {
  const { db } = await shop();
  const r = cli(['demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const rows = exportRows(db).slice(1);
  assert.ok(rows.length >= 2000, `${rows.length} items`);
  const codes = new Map();
  const sample = [];
  for (const row of rows) {
    const fields = row.split(',');
    const barcodes = fields[16];
    if (!barcodes) continue;
    for (const part of barcodes.split('; ')) {
      const code = part.split('*')[0];
      assert.match(code, /^\d{8,14}$/, code);
      assert.equal(withCheck(code.slice(0, -1)), code, `check digit of ${code}`);
      assert.ok(!codes.has(code), `duplicate ${code}`);
      codes.set(code, fields[0]);
      if (codes.size % 97 === 0) sample.push(code);
    }
  }
  const kinds = new Set(rows.map((row) => row.split(',')[2]));
  assert.deepEqual([...kinds].sort(), ['kit', 'parent', 'standard', 'variant']);
  assert.ok(rows.some((row) => row.includes(',kg,true,')), 'weighed goods');
  for (const code of sample) {
    const s = JSON.parse(cli(['scan', '--db', db, code]).stdout);
    assert.equal(s.item.sku, codes.get(code), code);
  }
});

test('a database written by a newer backroom is refused with a clear message', async () => {
  const { db } = await shop();
  const sql = dbExec(db, "INSERT INTO schema_migrations VALUES (999, 'from the future', 0)");
  assert.equal(sql.status, 0, String(sql.stderr));
  const r = cli(['scan', '--db', db, '4006381333931']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /schema version 999.*knows only up to \d+.*newer backroom/);
});
