// A receipt priced at a register that cannot ask the server for a quote: the same arithmetic as
// the server's (src/sales/pricing.cpp, price_receipt) for what an offline cart holds — lines
// with a gross amount, a percent line discount given while online, and a tax rate; no receipt
// discount (the register gives none). Tax is contained in the shelf price (inclusive) or added
// to it (exclusive), rounded per line or once per rate on the receipt and split back over that
// rate's lines. Pure: integers in minor units, no I/O. Vectors: web/tests/register-codes.test.mjs,
// taken from the server's own table (tests/unit/pricing_test.cpp).
import { mulDivRound, type Rounding } from './refund';

export interface TaxRules {
  mode: 'inclusive' | 'exclusive';
  rounding: 'line' | 'receipt';
  rates: Record<string, number>;  // tax category → basis points
}

export interface OfflineLine {
  gross: number;             // quantity × unit price rounded, or a price label's amount
  discountBp?: number;       // a percent line discount, in basis points of the gross
  rateBp: number;
}
export interface PricedLine { net: number; tax: number; total: number }
export interface Priced { lines: PricedLine[]; tax: number; total: number }

/** The tax in (inclusive) or on (exclusive) `net` at `rateBp` (pricing.cpp, tax_of). */
export function taxOf(net: number, rateBp: number, mode: TaxRules['mode'], rounding: Rounding): number {
  return mode === 'exclusive' ? mulDivRound(net, rateBp, 10_000, rounding) : mulDivRound(net, rateBp, 10_000 + rateBp, rounding);
}

/**
 * Splits `amount` (≥ 0) over `weights` (≥ 0) in proportion by largest remainder, ties to the
 * earlier index; equal shares when every weight is 0 (pricing.cpp, allocate). The parts sum to
 * `amount`.
 */
export function allocate(amount: number, weights: number[]): number[] {
  const parts = weights.map(() => 0);
  if (amount === 0 || weights.length === 0) return parts;
  const equal = weights.every((w) => w === 0);
  const sum = BigInt(equal ? weights.length : weights.reduce((s, w) => s + w, 0));
  const whole = BigInt(amount);
  let given = 0n;
  const remainders = weights.map((w, i) => {
    const n = whole * BigInt(equal ? 1 : w);
    parts[i] = Number(n / sum);
    given += n / sum;
    return { r: n % sum, i };
  });
  // A stable sort by remainder, largest first: equal remainders keep their order.
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let k = 0; given < whole; k++, given++) parts[remainders[k % remainders.length].i]++;
  return parts;
}

export function priceOffline(lines: OfflineLine[], tax: TaxRules, rounding: Rounding): Priced {
  const nets = lines.map((l) => l.gross - (l.discountBp ? Math.min(l.gross, mulDivRound(l.gross, l.discountBp, 10_000, rounding)) : 0));
  const taxes = nets.map(() => 0);
  if (tax.rounding === 'line') {
    lines.forEach((l, i) => { taxes[i] = taxOf(nets[i], l.rateBp, tax.mode, rounding); });
  } else {
    for (const rate of new Set(lines.map((l) => l.rateBp))) {
      const index = lines.flatMap((l, i) => (l.rateBp === rate ? [i] : []));
      const rateNet = index.reduce((s, i) => s + nets[i], 0);
      const parts = allocate(taxOf(rateNet, rate, tax.mode, rounding), index.map((i) => nets[i]));
      index.forEach((i, k) => { taxes[i] = parts[k]; });
    }
  }
  const priced = nets.map((net, i) => ({ net, tax: taxes[i], total: tax.mode === 'exclusive' ? net + taxes[i] : net }));
  return { lines: priced, tax: taxes.reduce((s, t) => s + t, 0), total: priced.reduce((s, p) => s + p.total, 0) };
}
