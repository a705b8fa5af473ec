// Stock of one item: balances per location, adjustments, the movement history.
import { useState } from 'preact/hooks';
import { type Item, message, stock } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Field, Notice, Select } from '../shared/components';
import { qty, uuidv7, when, words } from '../shared/format';
import { ItemSearch } from './ItemSearch';
import { locationName, useLoad, useLocations } from './useLoad';

export function Stock({ session }: { session: Session }) {
  const [item, setItem] = useState<Item | null>(null);
  const locations = useLocations();
  const name = (id: string) => locationName(locations, id);
  const [view, err, reload] = useLoad(() => (item ? stock.ofItem(item.id) : Promise.resolve(null)), [item?.id]);
  const [moves, , reloadMoves] = useLoad(() => (item ? stock.movements(item.id).then((m) => m.reverse()) : Promise.resolve([])), [item?.id]);
  const [adj, setAdj] = useState({ location_id: '', quantity: '', reason: 'count', note: '' });
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const adjust = async (e: Event) => {
    e.preventDefault();
    if (!item) return;
    try {
      await stock.adjust({ id: uuidv7(), item_id: item.id, location_id: adj.location_id || locations[0]?.id, quantity: Number(adj.quantity), reason: adj.reason, note: adj.note });
      setMsg({ kind: 'ok', text: 'Adjusted.' });
      reload(); reloadMoves();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <section>
      <h1>Stock</h1>
      <ItemSearch onPick={setItem} label="Find an item" />
      {err && <Notice kind="error">{err}</Notice>}
      {item && view && (
        <>
          <h2>{item.name} <span class="muted">{item.sku}</span> — on hand {qty(view.on_hand)}</h2>
          <DataTable name="Stock by location" rows={view.locations ?? []}
            columns={[['location', (r) => name(r.location_id)], ['on hand', (r) => qty(r.on_hand), true], ['reserved', (r) => qty(r.reserved), true], ['available', (r) => qty(r.available), true]]} />
          {can(session, 'stock.adjust') && (
            <form class="row" onSubmit={adjust} aria-label="Adjust stock">
              <Select label="Location" value={adj.location_id} onChange={(e) => setAdj({ ...adj, location_id: e.currentTarget.value })} options={locations.map((l) => [l.id, name(l.id)])} />
              <Field label="Quantity change" value={adj.quantity} onInput={(e) => setAdj({ ...adj, quantity: e.currentTarget.value })} hint="−3 removes, 5 adds" />
              <Select label="Adjustment reason" value={adj.reason} onChange={(e) => setAdj({ ...adj, reason: e.currentTarget.value })} options={['count', 'correction', 'found', 'shrink', 'damage', 'theft', 'expired']} />
              <Field label="Note" value={adj.note} onInput={(e) => setAdj({ ...adj, note: e.currentTarget.value })} />
              <Button type="submit">Adjust</Button>
            </form>
          )}
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <h3>Movements (newest first)</h3>
          <DataTable name="Movements" rows={moves ?? []}
            columns={[['when', (r) => when(r.at)], ['location', (r) => name(r.location_id)], ['quantity', (r) => qty(r.quantity), true], ['reason', (r) => words(r.reason)],
              ['document', (r) => words(r.document_type)], ['user', (r) => r.user], ['device', (r) => r.device]]} />
        </>
      )}
    </section>
  );
}
