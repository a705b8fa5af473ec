// The cart as the register holds it: lines made by scans or searches, and the sale body made
// from it. Pure: no I/O.
import type { Item, SaleInput, SaleLineInput, TenderInput } from '../api';
import { isObject } from '../shared/storage';
import { mulDivRound, type Rounding } from './refund';

export interface CartLine {
  key: string;
  item: Item;
  code?: string;
  count: number;        // scans (or typed quantity); a case code sells count × pack
  pack: number;
  weight?: number;      // embedded weight: the quantity itself
  embeddedPrice?: number;
  discountPercent?: number;
}
/** id: the sale id, born with the cart's first line and kept for every retry. */
export interface Cart { id: string | null; lines: CartLine[] }
export const emptyCart = (): Cart => ({ id: null, lines: [] });
export const isCart = (v: unknown): v is Cart => isObject(v) && Array.isArray(v.lines);

export const lineQty = (l: CartLine) => l.weight ?? l.count * l.pack;

/**
 * A line's total at the shelf price of the catalog copy, for a register that cannot ask for a
 * quote, as the server prices it (src/sales/sale_command.cpp, pricing.cpp): a price label's price
 * for each label scanned, else thousandths of a unit (a scale label's weight, or count × pack)
 * × price / 1000, rounded by the shop's rule, less the line's percent discount.
 */
export function offlineLineTotal(l: CartLine, rounding: Rounding): number {
  const gross = l.embeddedPrice !== undefined ? l.embeddedPrice * l.count
    : mulDivRound(l.item.price ?? 0, Math.round(lineQty(l) * 1000), 1000, rounding);
  // A percent line discount is basis points of the gross, rounded (pricing.cpp, discount_amount).
  const off = l.discountPercent ? Math.min(gross, mulDivRound(gross, Math.round(l.discountPercent * 100), 10_000, rounding)) : 0;
  return gross - off;
}

export function saleLines(c: Cart): SaleLineInput[] {
  return c.lines.map((l) => ({
    ...(l.code ? { code: l.code } : { item_id: l.item.id }),
    quantity: l.count,
    ...(l.discountPercent ? { discount: { percent: l.discountPercent } } : {}),
  }));
}

export interface Till { locationId: string; registerId: string; training: boolean }

/**
 * A sale completed offline (docs/offline-register.md): the number from the register's block,
 * when it was sold, and each line's shelf price as the catalog copy had it — the server keeps
 * what was charged when that was the item's price at some moment since the block was reserved,
 * and reports the difference from today's price.
 */
export function offlineSaleBody(body: SaleInput, c: Cart, receiptNumber: string, at: number): SaleInput {
  return {
    ...body,
    receipt_number: receiptNumber,
    sold_at: new Date(at).toISOString(),
    lines: body.lines.map((l, i) => {
      const line = c.lines[i];
      return line && line.embeddedPrice === undefined && typeof line.item.price === 'number' ? { ...l, charged_price: line.item.price } : l;
    }),
  };
}

export function saleBody(c: Cart, till: Till, tenders: TenderInput[], id: string): SaleInput {
  return {
    id,
    location_id: till.locationId,
    register_id: till.registerId,
    training: till.training,
    lines: saleLines(c),
    tenders: tenders.map((t) => ({ type: t.type, amount: t.amount, ...(t.reference ? { reference: t.reference } : {}) })),
  };
}

/** Adds a scan or a pick; repeated plain scans of one code add to its line. */
export function addLine(c: Cart, line: Omit<CartLine, 'key'>, newId: () => string): Cart {
  const merge = line.weight === undefined && line.embeddedPrice === undefined;
  const i = merge ? c.lines.findIndex((l) => l.item.id === line.item.id && l.code === line.code && l.weight === undefined && l.embeddedPrice === undefined) : -1;
  const lines = [...c.lines];
  if (i >= 0) lines[i] = { ...lines[i], count: lines[i].count + line.count };
  else lines.push({ ...line, key: newId() });
  return { id: c.id ?? newId(), lines };
}

export function changeCount(c: Cart, key: string, delta: number): Cart {
  return { ...c, lines: c.lines.flatMap((l) => (l.key !== key ? [l] : l.count + delta <= 0 ? [] : [{ ...l, count: l.count + delta }])) };
}
