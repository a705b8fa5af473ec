// The cart as the register holds it: lines made by scans or searches, and the sale body made
// from it. Pure: no I/O.
import type { Item, SaleInput, SaleLineInput, TenderInput } from '../api';
import { isObject } from '../shared/storage';
import { type Priced, priceOffline, type TaxRules } from './pricing';
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

export const lineQty = (l: Omit<CartLine, 'key'>) => l.weight ?? l.count * l.pack;

/** What an offline register knows of the shop's pricing, as last read from the server. */
export interface OfflinePricing {
  rounding: Rounding;
  // Absent when the register has not read them yet: prices are then taken as tax-inclusive.
  tax?: TaxRules & { storeCategory: string };
}

/**
 * The tax category a sale at this store gives the item (src/sales/sale_command.cpp): its own, or
 * when it inherits the shop's default, the store's default category.
 */
export const taxCategoryOf = (item: Item, storeCategory: string) =>
  item.tax_category_source === 'shop_default' ? storeCategory : item.tax_category ?? item.effective_tax_category ?? storeCategory;

/**
 * The cart priced at the catalog copy's shelf prices, for a register that cannot ask for a quote,
 * as the server prices it (sale_command.cpp, pricing.cpp): a price label's price for each label
 * scanned, else thousandths of a unit (a scale label's weight, or count × pack) × price / 1000,
 * rounded by the shop's rule, less the line's percent discount; tax contained or added as the
 * shop's settings say (pricing.ts).
 */
export function offlinePrices(lines: Omit<CartLine, 'key'>[], p: OfflinePricing): Priced {
  const tax = p.tax ?? { mode: 'inclusive' as const, rounding: 'line' as const, rates: {}, storeCategory: '' };
  return priceOffline(lines.map((l) => ({
    gross: l.embeddedPrice !== undefined ? l.embeddedPrice * l.count
      : mulDivRound(l.item.price ?? 0, Math.round(lineQty(l) * 1000), 1000, p.rounding),
    discountBp: l.discountPercent ? Math.round(l.discountPercent * 100) : undefined,
    rateBp: tax.rates[taxCategoryOf(l.item, tax.storeCategory)] ?? 0,
  })), tax, p.rounding);
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
