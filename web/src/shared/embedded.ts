// Price- and weight-embedded EAN-13 labels (a scale's or a deli counter's sticker) read at a
// register that cannot ask the server. The same rules as the server's classifier
// (src/catalog/barcode.cpp: classify_code for 13 digits, classify_embedded, price_verifier_digit,
// embedded_value_in_units), so a label scanned offline sells the item, the weight or the price the
// server reads from it when the sale is posted. Pure: no I/O.

import type { EmbeddedLayout } from '../api';

export type { EmbeddedLayout };

export const isEmbeddedLayouts = (v: unknown): v is EmbeddedLayout[] =>
  Array.isArray(v) && v.every((l) => typeof l === 'object' && l !== null && typeof (l as EmbeddedLayout).prefix === 'string' &&
    typeof (l as EmbeddedLayout).item_digits === 'number' && typeof (l as EmbeddedLayout).value_digits === 'number' &&
    typeof (l as EmbeddedLayout).decimals === 'number' && ((l as EmbeddedLayout).value === 'price' || (l as EmbeddedLayout).value === 'weight'));

/** GS1 mod-10 check digit of `digits` (without the check digit): weights 3, 1, 3, … from the right. */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

// GS1 General Specifications, "check digit calculation for price/weight fields": each table maps a
// digit to the units digit of its weighted product (2-, 3, 5+, 5-), as barcode.cpp has them.
const W2M = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const W3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const W5P = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const W5M = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];
const W5M_INVERSE = [0, 9, 7, 5, 3, 1, 8, 6, 4, 2];

/** The verifier digit of a 4- or 5-digit price/weight field (e.g. "2875" → 9, "14685" → 6). */
export function priceVerifierDigit(value: string): number {
  const d = (i: number) => Number(value[i]);
  if (value.length === 4) return ((W2M[d(0)] + W2M[d(1)] + W3[d(2)] + W5M[d(3)]) * 3) % 10;
  if (value.length === 5) {
    const sum = W5P[d(0)] + W2M[d(1)] + W5M[d(2)] + W5P[d(3)] + W2M[d(4)];
    return W5M_INVERSE[(10 - (sum % 10)) % 10];
  }
  return 0;
}

function coherent(l: EmbeddedLayout): boolean {
  const verifier = l.verifier ? 1 : 0;
  return /^\d{1,3}$/.test(l.prefix) && l.item_digits >= 1 && l.item_digits <= 10 && l.value_digits >= 1 && l.value_digits <= 6 &&
    l.decimals >= 0 && l.decimals <= 6 &&
    (!l.verifier || l.value_digits === 4 || l.value_digits === 5) &&
    l.prefix.length + l.item_digits + verifier + l.value_digits + 1 === 13;
}

/** `value` written with `from` decimals, in `to` decimals: exact, or null when digits would be lost. */
export function rescale(value: number, from: number, to: number): number | null {
  if (from <= to) return value * 10 ** (to - from);
  const d = 10 ** (from - to);
  return value % d === 0 ? value / d : null;
}

/** What a label says: the item's digits (prefix and item code) and the value in the catalog's units. */
export interface EmbeddedLabel {
  /** prefix + item code: the start every registered barcode of that item under this layout has. */
  itemKey: string;
  /** price in minor units (2 decimals), or weight in grams. */
  price?: number;
  grams?: number;
}

/**
 * Reads `code` against the layouts: null when it is not an embedded label (not 13 digits, a wrong
 * check digit, no layout's prefix — then it is looked up as it stands), `{ error }` when a layout
 * claims it but its verifier digit is wrong or its value has more decimals than the unit holds.
 */
export function readEmbedded(code: string, layouts: EmbeddedLayout[]): EmbeddedLabel | { error: string } | null {
  if (!/^\d{13}$/.test(code) || gs1CheckDigit(code.slice(0, 12)) !== Number(code[12])) return null;
  // The longest prefix wins, as on the server.
  const layout = layouts.filter((l) => coherent(l) && code.startsWith(l.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (!layout) return null;
  let at = layout.prefix.length + layout.item_digits;
  const itemKey = code.slice(0, at);
  const noun = layout.value;
  if (layout.verifier) {
    const field = code.slice(at + 1, at + 1 + layout.value_digits);
    const expected = priceVerifierDigit(field);
    if (Number(code[at]) !== expected) return { error: `the ${noun} verifier digit of ${code} is ${code[at]} but the ${noun} ${field} needs ${expected}.` };
    at += 1;
  }
  const raw = Number(code.slice(at, at + layout.value_digits));
  // Price to minor units with 2 decimals, weight to grams (3 decimals of a kilo); exact or refused.
  const value = rescale(raw, layout.decimals, noun === 'price' ? 2 : 3);
  if (value === null) return { error: `the ${noun} in ${code} cannot be converted exactly with the layout of prefix ${layout.prefix}.` };
  return noun === 'price' ? { itemKey, price: value } : { itemKey, grams: value };
}

/**
 * The keys an embedded barcode of the catalog copy is found by, whatever layout reads it later:
 * every start of its code long enough to be a prefix and an item code (2 to 11 digits).
 */
export function embeddedIndexKeys(code: string): string[] {
  const keys: string[] = [];
  for (let n = 2; n <= 11 && n < code.length; n++) keys.push(`E:${code.slice(0, n)}`);
  return keys;
}
