// The cart on screen; read-only while a sale is being sent.
import type { Quote } from '../api';
import { money, qty } from '../shared/format';
import { type Cart, lineQty } from './cart';
import type { Priced } from './pricing';

/**
 * Prices and totals are the server's quote of this very cart; until it answers they show “…”.
 * Offline there is no quote: the catalog copy's shelf price and `offline`, the cart priced as the
 * server will price it (cart.ts, offlinePrices).
 */
export function CartTable({ cart, quote, offline, onCount, onRemove, onDiscount, editable }: {
  cart: Cart; quote: Quote | null; offline: Priced | null; onCount: (k: string, d: number) => void; onRemove: (k: string) => void; onDiscount: (k: string) => void; editable: boolean;
}) {
  const shelf = (l: Cart['lines'][number]) => l.embeddedPrice ?? l.item.price;
  return (
    <div class="table-wrap cart-wrap">
      <table aria-label="Cart" class="data cart" aria-readonly={!editable}>
        <thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th><th scope="col" class="num">Total</th><th scope="col"><span class="sr-only">Change</span></th></tr></thead>
        <tbody>
          {cart.lines.length === 0 && <tr><td colSpan={5} class="empty">Scan an item to start a sale.</td></tr>}
          {cart.lines.map((l, i) => (
            <tr>
              <td>{l.item.name}<div class="muted small">{l.item.sku}{l.code ? ` · ${l.code}` : ''}{l.pack > 1 ? ` · case of ${l.pack}` : ''}{l.discountPercent ? ` · −${l.discountPercent} %` : ''}</div></td>
              <td class="num">{qty(lineQty(l))}{l.weight !== undefined ? ` ${l.item.unit}` : ''}</td>
              <td class="num">{quote?.lines[i] ? money(quote.lines[i].unit_price) : offline && shelf(l) !== undefined ? money(shelf(l) ?? 0) : '…'}</td>
              <td class="num">{quote?.lines[i] ? money(quote.lines[i].total) : offline && shelf(l) !== undefined ? money(offline.lines[i]?.total ?? 0) : '…'}{quote?.lines[i]?.discount ? <div class="muted small">−{money(quote.lines[i].discount)}</div> : null}</td>
              <td class="line-actions">
                {editable && l.weight === undefined && <>
                  <button type="button" class="icon" aria-label={`Fewer ${l.item.name}`} onClick={() => onCount(l.key, -1)}>−</button>
                  <button type="button" class="icon" aria-label={`More ${l.item.name}`} onClick={() => onCount(l.key, 1)}>+</button>
                </>}
                {editable && <button type="button" class="icon" aria-label={`Discount ${l.item.name}`} onClick={() => onDiscount(l.key)}>%</button>}
                {editable && <button type="button" class="icon" aria-label={`Remove ${l.item.name}`} onClick={() => onRemove(l.key)}>×</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
