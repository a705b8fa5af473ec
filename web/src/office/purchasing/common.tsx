// What the purchasing screens share: names for suppliers, orders, lines and statuses (never an
// id), the case arithmetic, and an item picker that takes a scanner's digits + Enter.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, catalog, type Item, message, type PoLine, type PoStatus, purchasing, type PurchaseOrder, type Person } from '../../api';
import { Button, Notice } from '../../shared/components';
import { beep } from '../../shared/beep';
import { money, qty } from '../../shared/format';
import { useItemNames } from '../useLoad';
import './purchasing.css';
import { isSymbolCode } from '../../shared/gs1';

export const statusWords: Record<PoStatus, string> = {
  draft: 'draft', sent: 'sent', partially_received: 'partly received', received: 'received', closed: 'closed short', cancelled: 'cancelled',
};
export const statusText = (s: string) => statusWords[s as PoStatus] ?? s.replace(/_/g, ' ');
/** What a 403 over_receipt names, for the manager asked to approve it: each line over the order by its name. */
export function overReceiptText(x: ApiError, nameOf: (poLineId: string) => string | undefined): string {
  const over = Array.isArray(x.problem.lines) ? (x.problem.lines as { po_line_id: string; ordered: number; received: number }[]) : [];
  const named = over.map((o) => `${nameOf(o.po_line_id) ?? 'a line'}: ${qty(o.received)} received of ${qty(o.ordered)} ordered`);
  return `More than the order allows needs a manager's approval${named.length ? ` (${named.join('; ')})` : ''}.`;
}

/** Orders a clerk can still receive against. */
export const receivable = (s: string) => s === 'sent' || s === 'partially_received';

/** Names of suppliers by id, fetched once each (an order may carry its supplier's name already). */
export function useSupplierNames(ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = [...new Set(ids)].filter((id) => id && !(id in names));
    if (!missing.length) return;
    Promise.all(missing.map((id) => purchasing.supplier(id).then((s) => [id, s.name] as const).catch(() => [id, 'a supplier'] as const)))
      .then((pairs) => setNames((n) => ({ ...n, ...Object.fromEntries(pairs) })));
  }, [key]);
  return names;
}

const orderPages_max = 20;
/** One order by its number ("PO-000123"), looked for newest first. */
export async function orderByNumber(number: string): Promise<PurchaseOrder | null> {
  let cursor: string | undefined;
  for (let page = 0; page < orderPages_max; page++) {
    const r = await purchasing.orders({ limit: 100, ...(cursor ? { cursor } : {}) });
    const found = r.purchase_orders.find((po) => po.number === number);
    if (found) return found;
    if (!r.next_cursor) return null;
    cursor = r.next_cursor;
  }
  return null;
}

export function supplierOf(po: PurchaseOrder, names: Record<string, string>): string {
  return po.supplier?.name ?? po.supplier_name ?? names[po.supplier_id] ?? '…';
}

/** "Brightfield Pasta 250 g (PASTA-250)" for a line, from the line itself or the catalog. */
export function useLineNames(lines: PoLine[]): (l: PoLine) => string {
  const names = useItemNames(lines.filter((l) => !l.name).map((l) => l.item_id));
  return (l) => (l.name ? (l.sku ? `${l.name} (${l.sku})` : l.name) : names[l.item_id] ?? '…');
}

/** "2 cases of 6" (or "12 units" when the item comes loose). */
export function casesText(quantity: number, casePack: number | null | undefined): string {
  if (!casePack || casePack <= 1) return `${qty(quantity)} unit${quantity === 1 ? '' : 's'}`;
  const cases = quantity / casePack;
  const whole = Number.isInteger(cases);
  return `${whole ? qty(cases) : `${qty(Math.ceil(cases))} (rounded up from ${cases.toFixed(2)})`} case${cases === 1 ? '' : 's'} of ${qty(casePack)}`;
}

/** What is still expected on a line (nothing once closing cancelled it). */
export const open = (l: PoLine) => l.outstanding ?? Math.max(l.quantity - l.received - (l.cancelled ?? 0), 0);
export const orderUnits = (po: PurchaseOrder) => po.lines.reduce((s, l) => s + l.quantity, 0);
export const orderTotal = (po: PurchaseOrder) => money(po.total);

/** Whether a person named in an answer (a name, a username, or {id, name}) is the signed-in user. */
export function isMe(who: string | Person | null | undefined, me: { id: string; username: string; display_name: string }, byId?: string): boolean {
  if (byId && byId === me.id) return true;
  if (!who) return false;
  if (typeof who === 'string') return who === me.username || who === me.display_name || who === me.id;
  return who.id === me.id || who.username === me.username;
}
export const personName = (who: string | Person | null | undefined) => (!who ? '—' : typeof who === 'string' ? who : who.name);

/**
 * Adds items by scan or search: a scanner types digits + Enter (a case barcode brings its
 * pack quantity); words + Enter list matches to add with a tap.
 */
export function ItemPicker({ label, onPick }: { label: string; onPick: (item: Item, pack: number, code?: string) => void }) {
  const [results, setResults] = useState<Item[]>([]);
  const [msg, setMsg] = useState<{ kind: 'error' | 'info' | 'warn'; text: string } | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const onKey = async (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const input = e.currentTarget as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    try {
      if (/^\d{6,}$/.test(text) || isSymbolCode(text)) {
        input.value = '';
        try {
          const r = await catalog.scan(text);
          onPick(r.item, r.pack_quantity ?? 1, text);
          setResults([]);
          setMsg(null);
        } catch (x) {
          if (!(x instanceof ApiError)) throw x;
          beep();
          setMsg({ kind: 'error', text: `Unknown barcode ${text}: nothing was added.` });
        }
        return;
      }
      const found = (await catalog.search({ q: text, status: 'active', limit: 10 })).items.filter((i) => i.kind !== 'parent');
      setResults(found);
      setMsg(found.length ? null : { kind: 'warn', text: `Nothing matches “${text}”.` });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const pick = (item: Item) => {
    onPick(item, 1);
    setResults([]);
    if (ref.current) { ref.current.value = ''; ref.current.focus(); }
  };
  return (
    <div class="item-picker">
      <div class="field">
        <label for="po-item-picker">{label}</label>
        <input id="po-item-picker" ref={ref} autocomplete="off" spellcheck={false} enterKeyHint="enter"
          placeholder="Scan a barcode, or type a name or SKU, then Enter" onKeyDown={onKey} />
      </div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {results.length > 0 && (
        <ul class="plain picker-results" aria-label="Matching items">
          {results.map((i) => <li><Button onClick={() => pick(i)} aria-label={`Add ${i.name}`}>{i.name} <span class="muted">{i.sku}</span></Button></li>)}
        </ul>
      )}
    </div>
  );
}
