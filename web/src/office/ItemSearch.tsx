// Find an item by name, SKU or barcode.
import { useState } from 'preact/hooks';
import { ApiError, catalog, type Item, message } from '../api';
import { Button, DataTable, Field, Notice } from '../shared/components';
import { money } from '../shared/format';
import { isSymbolCode } from '../shared/gs1';

export function ItemSearch({ onPick, label = 'Search items' }: { onPick: (item: Item) => void; label?: string }) {
  const [text, setText] = useState('');
  const [items, setItems] = useState<Item[] | null>(null);
  const [err, setErr] = useState('');
  const search = async (e?: Event) => {
    e?.preventDefault();
    try {
      const t = text.trim();
      if (/^\d{6,}$/.test(t) || isSymbolCode(t)) {
        try { const r = await catalog.scan(t); setItems([r.item]); return; } catch (x) { if (!(x instanceof ApiError)) throw x; }
      }
      setItems((await catalog.search({ q: t, limit: 25 })).items);
      setErr('');
    } catch (x) { setErr(message(x)); }
  };
  return (
    <div>
      <form class="row" onSubmit={search}>
        <Field label={label} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="name, SKU or barcode" />
        <Button type="submit">Search</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
      {items && <DataTable name="Items" rows={items}
        columns={[['sku', (r) => r.sku], ['name', (r) => r.name], ['category', (r) => r.category ?? '—'], ['kind', (r) => r.kind], ['status', (r) => r.status], ['price', (r) => money(r.price), true]]}
        actions={(r) => <Button onClick={() => onPick(r)} aria-label={`Open ${r.name}`}>Open</Button>} />}
    </div>
  );
}
