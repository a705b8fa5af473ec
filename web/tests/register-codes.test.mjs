// The register's offline code readers — scale labels (web/src/shared/embedded.ts) and GS1
// element strings (gs1.ts) — against published vectors and the server's rules
// (src/catalog/barcode.cpp, the same cases as tests/unit/barcode_test.cpp); and its offline
// pricing (web/src/register/pricing.ts) against the server's receipt table
// (tests/unit/pricing_test.cpp). Pure logic: the
// TypeScript is compiled here with esbuild (Vite's own) and imported; no browser, no server.
// Sources: [GS1] GS1 General Specifications, "Check digit calculation for price/weight fields";
// [UPCT] the worked examples of the GS1 US / UPC price verifier tables; [BCP] the test vector of
// the barcode-parser project's GS1-128 example; [FEAT] GS1 Belgium & Luxembourg's examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildSync } from 'esbuild';

/** Imports a pure TypeScript module of web/src, bundled with what it imports (type-only imports vanish). */
async function importTs(file) {
  const out = buildSync({ entryPoints: [path.resolve(import.meta.dirname, '../src', file)], bundle: true, format: 'esm', write: false });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
const { gs1CheckDigit, priceVerifierDigit, readEmbedded, embeddedIndexKeys } = await importTs('shared/embedded.ts');
const { isScannedCode, readElementString, gtinForms } = await importTs('shared/gs1.ts');
const { allocate, priceOffline } = await importTs('register/pricing.ts');
const { mulDivRound } = await importTs('register/refund.ts');

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

// ------------------------------------------------------------------------- element strings
const GS = '\x1d';

test('element strings in every form a scanner sends', () => {
  for (const text of [
    '(01)09501101530003(17)260101(10)AB12',
    '01095011015300031726010110AB12',
    ']C101095011015300031726010110AB12',
    ']e001095011015300031726010110AB12',
    ']d201095011015300031726010110AB12',
    `${GS}01095011015300031726010110AB12`,
    `0109501101530003${GS}17260101${GS}10AB12`,
    `10AB12${GS}010950110153000317260101`,
  ]) {
    // The raw form without an AIM identifier, a bracket or GS: the server's scan reads it as a
    // text code (classify_code), not an element string, and so does the register.
    const expected = /^[\](\x1d]/.test(text) || text.includes(GS) ? { gtin: '09501101530003' } : null;
    assert.deepEqual(readElementString(text), expected, JSON.stringify(text));
  }
});

test('element strings: weights and prices in the catalog\'s units', () => {
  const cases = [
    [`]C101040123456789011715012910ABC123${GS}39329714711${GS}310300052539224711${GS}42127649716`, { gtin: '04012345678901', grams: 525, price: 4711 }],  // [BCP]
    [`]C131030001890105412345000013${GS}10XYZ`, { gtin: '05412345000013', grams: 189 }],  // [FEAT]
    ['(01)09501101530003(3103)001250(3922)01999', { gtin: '09501101530003', grams: 1250, price: 1999 }],
    ['(01)09501101530003(3102)000525', { gtin: '09501101530003', grams: 5250 }],
    ['(01)09501101530003(3100)000002', { gtin: '09501101530003', grams: 2000 }],
    ['(01)09501101530003(3105)012300', { gtin: '09501101530003', grams: 123 }],
    ['(01)09501101530003(3920)19', { gtin: '09501101530003', price: 1900 }],
    ['(01)09501101530003(3921)123', { gtin: '09501101530003', price: 1230 }],
    ['(01)09501101530003(3923)19990', { gtin: '09501101530003', price: 1999 }],
    ['(01)09501101530003(17)240229', { gtin: '09501101530003' }],
    ['(01)09501101530003(10)A(01)09501101530003(10)A', { gtin: '09501101530003' }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(readElementString(text), expected, JSON.stringify(text));
});

test('element strings that do not read say why, as the server does', () => {
  const cases = [
    [']C1', 'empty'],
    ['(01)09501101530004', 'check digit'],
    ['(01)0950110153000', 'needs exactly 14 characters'],
    [`${GS}0109501101530`, 'needs 14 characters'],
    ['(01)0950110153000X', 'must be all digits'],
    ['(18)123456', 'unknown application identifier starting "18"'],
    ['(1)2', 'unknown application identifier'],
    ['(010)09501101530003', 'should have 2 digits'],
    ['(31)001250', 'needs 4 digits'],
    ['(01)09501101530003(17)261301', 'not a date'],
    ['(01)09501101530003(17)250229', 'not a date'],
    ['(01)09501101530003(3106)001250', 'not a whole number of grams'],
    ['(01)09501101530003(3105)001234', 'not a whole number of grams'],
    ['(01)09501101530003(3925)12345', 'not a whole number of cents'],
    ['(01)09501101530003(3922)1234567890123456', '1 to 15 digits'],
    ['(01)09501101530003(3922)12A4', '1 to 15 digits'],
    ['(10)', 'has no data'],
    ['(10)ABCDEFGHIJKLMNOPQRSTU', 'at most 20 characters'],
    ['(10)AB CD', 'invalid character'],
    ['(01)09501101530003(01)09501101530010', 'appears twice with different data'],
    ['(01', 'expected "(AI)"'],
    ['(10)LOT7', 'no GTIN'],
  ];
  for (const [text, part] of cases) {
    const r = readElementString(text);
    assert.ok(r && 'error' in r && r.error.includes(part) && r.error.endsWith('.'), `${JSON.stringify(text)} -> ${JSON.stringify(r)} lacks "${part}"`);
  }
  assert.equal(readElementString(']E04006381333931'), null, 'an EAN-13 with its AIM identifier is not an element string');
  assert.equal(readElementString('4006381333931'), null);
});

test('what the register scans rather than searches', () => {
  for (const t of ['8712300100008', '1234', ']C10109501101530003', ']E04006381333931', '(01)09501101530003', `0109501101530003${GS}10A`]) assert.ok(isScannedCode(t), t);
  for (const t of ['pasta', '123', 'Apples (NL)', '(pasta)', 'GRC-00001']) assert.ok(!isScannedCode(t), t);
});

test('a GTIN-14 is looked up in the forms the catalog keeps', () => {
  assert.deepEqual(gtinForms('09501101530003'), ['09501101530003', '9501101530003']);
  assert.deepEqual(gtinForms('00012345678905'), ['00012345678905', '0012345678905', '012345678905']);
  assert.deepEqual(gtinForms('00000096385074'), ['00000096385074', '0000096385074', '000096385074', '96385074']);
  assert.deepEqual(gtinForms('18712300100005'), ['18712300100005']);
});

// The rows of tests/unit/pricing_test.cpp's receipt table that an offline cart can hold (no
// receipt discount, no amount discount), with the server's expected figures. A line is
// [quantity in thousandths, unit price, rate in bp, percent discount in bp?, price-label amount?].
test('offline pricing: the server\'s receipt table', () => {
  const inc = ['inclusive', 'line'], exc = ['exclusive', 'line'], excReceipt = ['exclusive', 'receipt'];
  const cases = [
    ['uk_17_5_exclusive', [[1000, 20000, 1750]], exc, 'half_even', 3500, 23500, [23500], [3500]],
    ['uk_17_5_inclusive', [[1000, 23500, 1750]], inc, 'half_even', 3500, 23500, [23500], [3500]],
    ['uk_20_exclusive', [[1000, 20000, 2000]], exc, 'half_even', 4000, 24000, [24000], [4000]],
    ['uk_20_inclusive', [[1000, 24000, 2000]], inc, 'half_even', 4000, 24000, [24000], [4000]],
    ['uk_5_inclusive', [[1000, 21000, 500]], inc, 'half_even', 1000, 21000, [21000], [1000]],
    ['uk_17_5_74_59', [[1000, 7459, 1750]], exc, 'half_even', 1305, 8764, [8764], [1305]],
    ['uk_17_5_87_64_back', [[1000, 8764, 1750]], inc, 'half_even', 1305, 8764, [8764], [1305]],
    ['nl_21_and_9', [[1000, 1210, 2100], [1000, 1090, 900]], inc, 'half_even', 300, 2300, [1210, 1090], [210, 90]],
    ['weighed_apples', [[1234, 430, 900]], inc, 'half_even', 44, 531, [531], [44]],
    ['line_percent', [[2000, 1457, 900, 1000]], inc, 'half_even', 217, 2623, [2623], [217]],
    ['tie_half_even', [[500, 5, 0]], inc, 'half_even', 0, 2, [2], [0]],
    ['tie_half_up', [[500, 5, 0]], inc, 'half_up', 0, 3, [3], [0]],
    ['exclusive_per_line_three', [[1000, 10, 2100], [1000, 10, 2100], [1000, 10, 2100]], exc, 'half_even', 6, 36, [12, 12, 12], [2, 2, 2]],
    ['exclusive_per_line_rounds_each', [[1000, 125, 1000], [1000, 125, 1000], [1000, 125, 1000], [1000, 125, 1000]], exc, 'half_even', 48, 548, [137, 137, 137, 137], [12, 12, 12, 12]],
    ['exclusive_per_line_half_up', [[1000, 125, 1000], [1000, 125, 1000]], exc, 'half_up', 26, 276, [138, 138], [13, 13]],
    ['exclusive_per_receipt_rounds_once', [[1000, 125, 1000], [1000, 125, 1000], [1000, 125, 1000], [1000, 125, 1000]], excReceipt, 'half_even', 50, 550, [138, 138, 137, 137], [13, 13, 12, 12]],
    ['embedded_price', [[1000, 0, 900, undefined, 678]], inc, 'half_even', 56, 678, [678], [56]],
    ['mixed_rates_per_receipt', [[1000, 100, 2100], [1000, 500, 900], [1000, 200, 2100]], excReceipt, 'half_even', 108, 908, [121, 545, 242], [21, 45, 42]],
  ];
  for (const [name, lines, [mode, rounding], round, tax, total, lineTotals, lineTaxes] of cases) {
    const priced = priceOffline(lines.map(([q, price, rateBp, discountBp, fixed]) => ({
      gross: fixed ?? mulDivRound(q, price, 1000, round), discountBp, rateBp,
    })), { mode, rounding, rates: {} }, round);
    assert.equal(priced.tax, tax, `${name}: tax`);
    assert.equal(priced.total, total, `${name}: total`);
    assert.deepEqual(priced.lines.map((l) => l.total), lineTotals, `${name}: line totals`);
    assert.deepEqual(priced.lines.map((l) => l.tax), lineTaxes, `${name}: line taxes`);
  }
});

test('offline pricing: largest-remainder split as the server\'s allocate', () => {
  // tests/unit/pricing_test.cpp, Allocate.SumsExactlyAndFollowsWeights (the non-negative rows):
  // ties to the earlier index; every weight 0 gives equal shares; the parts sum to the amount.
  assert.deepEqual(allocate(100, [1, 1, 1]), [34, 33, 33]);
  assert.deepEqual(allocate(5, [0, 10, 0]), [0, 5, 0]);
  assert.deepEqual(allocate(0, [3, 4]), [0, 0]);
  assert.deepEqual(allocate(7, [0, 0]), [4, 3]);
  assert.deepEqual(allocate(0, []), []);
  assert.equal(allocate(1_000_003, [17, 3, 999, 1, 0, 45]).reduce((a, b) => a + b, 0), 1_000_003);
  assert.deepEqual(allocate(150, [333, 333, 333, 1]), [50, 50, 50, 0]);
  for (let seed = 1; seed < 200; seed++) {
    const weights = Array.from({ length: 1 + (seed % 7) }, (_, i) => (seed * 7919 + i * 104729) % 1000);
    const amount = (seed * 31337) % 10000;
    const parts = allocate(amount, weights);
    assert.equal(parts.reduce((a, b) => a + b, 0), amount, `seed ${seed}`);
    assert.ok(parts.every((p) => p >= 0));
  }
});
