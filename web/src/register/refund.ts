// What a return refunds, worked out at a register that cannot ask the server: the same
// proration as the server's (src/sales/pricing.cpp, prorate_refund and mul_div_round), so the
// cash counted out offline is the refund the server records when the return is posted.
import type { Sale } from '../api';

export type Rounding = 'half_even' | 'half_up';

/** a·b / c rounded by `mode` (a, b ≥ 0, c > 0), exact in integers. */
export function mulDivRound(a: number, b: number, c: number, mode: Rounding): number {
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  let q = n / d;
  const twice = (n % d) * 2n;
  if (twice > d || (twice === d && (mode === 'half_up' || q % 2n === 1n))) q += 1n;
  return Number(q);
}

const milli = (units: number) => Math.round(units * 1000);

/** The refund of `returning` units of a line of which `returned` were already returned. */
export function prorateRefund(lineTotal: number, sold: number, returned: number, returning: number, mode: Rounding): number {
  const share = (upto: number) => (upto === milli(sold) ? lineTotal : mulDivRound(lineTotal, upto, milli(sold), mode));
  return share(milli(returned) + milli(returning)) - share(milli(returned));
}

/** The refund of a return's lines against the sale (line id → units coming back). */
export function refundOf(sale: Sale, quantities: { sale_line_id: string; quantity: number }[], mode: Rounding): number {
  return quantities.reduce((sum, q) => {
    const line = sale.lines.find((l) => l.id === q.sale_line_id);
    return line && q.quantity > 0 && Number.isFinite(q.quantity) ? sum + prorateRefund(line.total, line.quantity, line.returned_quantity, q.quantity, mode) : sum;
  }, 0);
}
