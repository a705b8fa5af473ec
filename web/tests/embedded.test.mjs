// The register's scale-label reader (web/src/register/embedded.ts), a table of published vectors
// and the server's rules (src/catalog/barcode.cpp, tests/unit/barcode_test.cpp). Pure logic: the
// TypeScript is compiled here with esbuild (Vite's own) and imported; no browser, no server.
// Sources: [GS1] GS1 General Specifications, "Check digit calculation for price/weight fields";
// [UPCT] the worked examples of the GS1 US / UPC price verifier tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

const source = readFileSync(path.resolve(import.meta.dirname, '../src/register/embedded.ts'), 'utf8');
const { code } = transformSync(source, { loader: 'ts', format: 'esm' });
const { gs1CheckDigit, priceVerifierDigit, readEmbedded, embeddedIndexKeys } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);

// The demo shop's layouts (src/catalog/demo.cpp): 21 price, 22 weight in grams, 23 price with a verifier.
const LAYOUTS = [
  { prefix: '21', item_digits: 5, value: 'price', value_digits: 5, decimals: 2, verifier: false },
  { prefix: '22', item_digits: 5, value: 'weight', value_digits: 5, decimals: 3, verifier: false },
  { prefix: '23', item_digits: 5, value: 'price', value_digits: 4, decimals: 2, verifier: true },
];
const withCheck = (twelve) => twelve + gs1CheckDigit(twelve);

test('GS1 check digits of published codes', () => {
  for (const [code, check] of [['400638133393', 1], ['978030640615', 7], ['012345678905'.slice(0, 11), 5], ['210010001234', 2]]) {
    assert.equal(gs1CheckDigit(code), check, code);
  }
});

test('price verifier digits: the published vectors', () => {
  const cases = [
    ['2875', 9],   // [GS1] four-digit example, [UPCT]
    ['0300', 8],   // [UPCT] 203374803004
    ['1365', 7],   // [UPCT] 220812713657
    ['0512', 3],   // [UPCT]
    ['14685', 6],  // [GS1] five-digit example, [UPCT]
    ['10485', 3],  // [UPCT] 2003493104857
  ];
  for (const [digits, check] of cases) assert.equal(priceVerifierDigit(digits), check, digits);
});

// The weighting factors as GS1 defines them: multiply, then add (+) or subtract (-) the tens
// digit of the product, keep the units digit.
const weighted = (digit, weight, sign) => { const p = digit * weight; return (p + sign * Math.floor(p / 10)) % 10; };

test('price verifier digits: every 4- and 5-digit value against the arithmetic definition', () => {
  for (let v = 0; v < 10_000; v++) {
    const s = String(v).padStart(4, '0');
    const d = [...s].map(Number);
    const sum = weighted(d[0], 2, -1) + weighted(d[1], 2, -1) + weighted(d[2], 3, 0) + weighted(d[3], 5, -1);
    assert.equal(priceVerifierDigit(s), (sum * 3) % 10, s);
  }
  for (let v = 0; v < 100_000; v++) {
    const s = String(v).padStart(5, '0');
    const d = [...s].map(Number);
    const sum = weighted(d[0], 5, 1) + weighted(d[1], 2, -1) + weighted(d[2], 5, -1) + weighted(d[3], 5, 1) + weighted(d[4], 2, -1);
    if ((sum + weighted(priceVerifierDigit(s), 5, -1)) % 10 !== 0) assert.fail(`verifier of ${s}`);
  }
});

test('labels read as the server reads them', () => {
  // A weight label: 0.512 kg of item 00001.
  assert.deepEqual(readEmbedded(withCheck('220000100512'), LAYOUTS), { itemKey: '2200001', grams: 512 });
  // A price label: 12.34 of item 00100.
  assert.deepEqual(readEmbedded(withCheck('210010001234'), LAYOUTS), { itemKey: '2100100', price: 1234 });
  // A price label with its verifier: 28.75 (verifier 9) of item 00101.
  assert.deepEqual(readEmbedded(withCheck('230010192875'), LAYOUTS), { itemKey: '2300101', price: 2875 });
  // The same with a wrong verifier digit: refused, in the server's words.
  assert.deepEqual(readEmbedded(withCheck('230010132875'), LAYOUTS),
    { error: `the price verifier digit of ${withCheck('230010132875')} is 3 but the price 2875 needs 9.` });
});

test('codes that are not labels are looked up as they stand', () => {
  assert.equal(readEmbedded('4006381333931', LAYOUTS), null, 'a GTIN outside the layouts');
  assert.equal(readEmbedded('2200001005124', LAYOUTS), null, 'a wrong check digit');
  assert.equal(readEmbedded('22000010051', LAYOUTS), null, 'not 13 digits');
  assert.equal(readEmbedded(withCheck('220000100512'), []), null, 'no layouts');
  // An incoherent layout (14 digits) claims nothing, as find_layout skips it on the server.
  assert.equal(readEmbedded(withCheck('240000100512'), [{ prefix: '24', item_digits: 6, value: 'price', value_digits: 5, decimals: 2, verifier: false }]), null);
});

test('the longest prefix wins, and values convert exactly or are refused', () => {
  const layouts = [
    { prefix: '2', item_digits: 6, value: 'price', value_digits: 5, decimals: 2, verifier: false },
    { prefix: '29', item_digits: 5, value: 'weight', value_digits: 5, decimals: 2, verifier: false },
  ];
  // 29: weight with 2 decimals of a kilo → grams ×10.
  assert.deepEqual(readEmbedded(withCheck('290000500051'), layouts), { itemKey: '2900005', grams: 510 });
  assert.deepEqual(readEmbedded(withCheck('280000500051'), layouts), { itemKey: '2800005', price: 51 }, 'the one-digit prefix 2');
  // A price with 3 decimals: 12.340 is 1234 cents; 12.345 is not a whole cent.
  const three = [{ prefix: '21', item_digits: 4, value: 'price', value_digits: 6, decimals: 3, verifier: false }];
  assert.deepEqual(readEmbedded(withCheck('210001012340'), three), { itemKey: '210001', price: 1234 });
  assert.match(readEmbedded(withCheck('210001012345'), three).error, /cannot be converted exactly/);
});

test('an embedded barcode is indexed by every start that can be a prefix and an item code', () => {
  const keys = embeddedIndexKeys('2200001000003');
  assert.equal(keys.length, 10);
  assert.equal(keys[0], 'E:22');
  assert.ok(keys.includes('E:2200001'));
  assert.equal(keys.at(-1), 'E:22000010000');
});
