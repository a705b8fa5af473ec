// GS1 element strings (GS1-128, GS1 DataBar, DataMatrix, QR) read at a register that cannot ask
// the server: "(01)09501101530003(3103)001250" as printed, or the raw form a scanner sends, AIs
// back to back with GS (0x1D) after a variable-length field, led by an AIM identifier ("]C1",
// "]e0", "]d2", "]Q3"). The same rules as the server's parser (src/catalog/barcode.cpp:
// ai_rules, split_raw, split_bracketed, apply_field), so what is sold offline is what the server
// reads from the code when the sale is posted. Pure: no I/O.

import { gs1CheckDigit, rescale } from './embedded';

const GS = '\x1d';
/** First two digits of an AI → its digits, the fixed data length (0 = variable) and the longest data. */
const RULES: Record<string, [aiDigits: number, fixed: number, max: number]> = {
  '00': [2, 18, 18], '01': [2, 14, 14], '02': [2, 14, 14], '03': [2, 14, 14], '10': [2, 0, 20],
  '11': [2, 6, 6], '12': [2, 6, 6], '13': [2, 6, 6], '15': [2, 6, 6], '16': [2, 6, 6], '17': [2, 6, 6],
  '20': [2, 2, 2], '21': [2, 0, 20], '22': [2, 0, 20], '23': [3, 0, 90], '24': [3, 0, 90], '25': [3, 0, 90],
  '30': [2, 0, 8], '31': [4, 6, 6], '32': [4, 6, 6], '33': [4, 6, 6], '34': [4, 6, 6], '35': [4, 6, 6], '36': [4, 6, 6],
  '37': [2, 0, 8], '39': [4, 0, 90], '40': [3, 0, 90], '41': [3, 13, 13], '42': [3, 0, 90], '43': [4, 0, 90],
  '70': [4, 0, 90], '71': [3, 0, 90], '72': [4, 0, 90], '80': [4, 0, 90], '81': [4, 0, 90], '82': [4, 0, 90],
  '90': [2, 0, 90], '91': [2, 0, 90], '92': [2, 0, 90], '93': [2, 0, 90], '94': [2, 0, 90], '95': [2, 0, 90],
  '96': [2, 0, 90], '97': [2, 0, 90], '98': [2, 0, 90], '99': [2, 0, 90],
};
const GS1_AIM = ['C1', 'e0', 'd2', 'Q3'];

/** A scanner's code that is not plain digits: an AIM identifier, a bracketed AI, or GS inside. */
export function isSymbolCode(text: string): boolean {
  return /^\][A-Za-z]\d/.test(text) || /^\(\d{2,4}\)/.test(text) || text.includes(GS);
}

/** What a register scans rather than searches: 4 digits or more, or a scanner's code as above. */
export function isScannedCode(text: string): boolean {
  return /^\d{4,}$/.test(text) || isSymbolCode(text);
}

/** What an element string says that the register sells by: the GTIN and a weight or a price. */
export interface ElementLabel { gtin: string; grams?: number; price?: number }

const digits = (s: string) => /^\d+$/.test(s);
function validDate(v: string): boolean {
  const [y, m, d] = [2000 + Number(v.slice(0, 2)), Number(v.slice(2, 4)), Number(v.slice(4, 6))];
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return m >= 1 && m <= 12 && d <= days[m - 1];
}

type Field = { ai: string; value: string };
function readAi(text: string): { ai: string; rule: [number, number, number] } | string {
  const rule = RULES[text.slice(0, 2)];
  if (!rule || !digits(text.slice(0, 2))) return `unknown application identifier starting "${text.slice(0, 2)}"`;
  if (text.length < rule[0] || !digits(text.slice(0, rule[0]))) return `an application identifier needs ${rule[0]} digits`;
  return { ai: text.slice(0, rule[0]), rule };
}
function shapeError(rule: [number, number, number], f: Field): string | null {
  if (!f.value) return `AI (${f.ai}) has no data`;
  if (rule[1] && f.value.length !== rule[1]) return `AI (${f.ai}) needs exactly ${rule[1]} characters`;
  if (f.value.length > rule[2]) return `AI (${f.ai}) allows at most ${rule[2]} characters`;
  if (rule[1] && !digits(f.value)) return `AI (${f.ai}) must be all digits`;
  if (![...f.value].every((c) => c > ' ' && c < '\x7f')) return `AI (${f.ai}) contains an invalid character`;
  return null;
}

function split(data: string): Field[] | string {
  const fields: Field[] = [];
  let pos = 0;
  if (data.startsWith('(')) {
    while (pos < data.length) {
      const close = data.indexOf(')', pos + 1);
      if (data[pos] !== '(' || close < 0) return `expected "(AI)" at position ${pos}`;
      const read = readAi(data.slice(pos + 1, close));
      if (typeof read === 'string') return read;
      if (close - pos - 1 !== read.rule[0]) return `application identifier (${data.slice(pos + 1, close)}) should have ${read.rule[0]} digits`;
      const end = data.indexOf('(', close + 1) < 0 ? data.length : data.indexOf('(', close + 1);
      const f = { ai: read.ai, value: data.slice(close + 1, end) };
      const bad = shapeError(read.rule, f);
      if (bad) return bad;
      fields.push(f);
      pos = end;
    }
    return fields;
  }
  while (pos < data.length) {
    const read = readAi(data.slice(pos));
    if (typeof read === 'string') return read;
    pos += read.rule[0];
    let value: string;
    if (read.rule[1]) {
      if (data.length - pos < read.rule[1]) return `AI (${read.ai}) needs ${read.rule[1]} characters`;
      value = data.slice(pos, pos + read.rule[1]);
      pos += read.rule[1];
    } else {
      const end = data.indexOf(GS, pos) < 0 ? data.length : data.indexOf(GS, pos);
      value = data.slice(pos, end);
      pos = end;
    }
    const f = { ai: read.ai, value };
    const bad = shapeError(read.rule, f);
    if (bad) return bad;
    if (data[pos] === GS) pos += 1;
    fields.push(f);
  }
  return fields;
}

/**
 * Reads an element string: null when `code` is not one (the server's rule: bracketed, a GS1 AIM
 * identifier, or GS inside), `{ error }` when it is but does not read (then the server refuses it
 * too), else its GTIN (AI 01, 14 digits) with the net weight in grams (AI 310n) and the price in
 * cents (AI 392n). One without a GTIN reads as `{ error }`: offline there is nothing to find.
 */
export function readElementString(code: string): ElementLabel | { error: string } | null {
  const read = readFields(code);
  return read && 'error' in read && !read.error.endsWith('.') ? { error: `${read.error}.` } : read;
}

function readFields(code: string): ElementLabel | { error: string } | null {
  let data = code.trim();
  const aim = /^\][A-Za-z]\d/.exec(data)?.[0];
  if (!aim && !data.startsWith('(') && !data.includes(GS)) return null;
  if (aim) {
    if (!GS1_AIM.includes(aim.slice(1))) return null;
    data = data.slice(3);
  }
  if (data.startsWith(GS)) data = data.slice(1);
  if (!data) return { error: 'the element string is empty' };
  const fields = split(data);
  if (typeof fields === 'string') return { error: fields };
  const out: ElementLabel = { gtin: '' };
  const seen = new Map<string, string>();
  for (const f of fields) {
    if (seen.has(f.ai)) {
      if (seen.get(f.ai) !== f.value) return { error: `AI (${f.ai}) appears twice with different data` };
      continue;
    }
    seen.set(f.ai, f.value);
    if ((['00', '01', '02', '03'].includes(f.ai) || f.ai.startsWith('41')) && gs1CheckDigit(f.value.slice(0, -1)) !== Number(f.value.at(-1))) return { error: `AI (${f.ai}): wrong check digit` };
    if (f.ai === '01') out.gtin = f.value;
    else if (f.ai === '17' && !validDate(f.value)) return { error: `date ${f.value} in AI (17) is not a date` };
    else if (f.ai.startsWith('310')) {
      const n = Number(f.ai[3]);
      const grams = n <= 5 ? rescale(Number(f.value), n, 3) : null;
      if (grams === null) return { error: `net weight ${f.value} in AI (${f.ai}) is not a whole number of grams` };
      out.grams = grams;
    } else if (f.ai.startsWith('392')) {
      if (!digits(f.value) || f.value.length > 15) return { error: `AI (${f.ai}) must be 1 to 15 digits` };
      const cents = rescale(Number(f.value), Number(f.ai[3]), 2);
      if (cents === null) return { error: `price ${f.value} in AI (${f.ai}) is not a whole number of cents` };
      out.price = cents;
    }
  }
  return out.gtin ? out : { error: 'the element string has no GTIN (AI 01)' };
}

/** The forms a GTIN-14 may be registered under in the catalog copy: 14, 13, 12 and 8 digits. */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  for (const n of [13, 12, 8]) if (/^0+$/.test(gtin14.slice(0, 14 - n))) forms.push(gtin14.slice(14 - n));
  return forms;
}
