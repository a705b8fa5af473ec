// Transfers between locations: ship, then receive at the destination line by line (received
// and damaged per line; what is neither is short). Transfers are shown by route and lines,
// never by id; this device remembers the ones it shipped or opened.
import { useEffect, useState } from 'preact/hooks';
import { type Item, message, type ReceiveInput, stock, type Transfer } from '../api';
import { Button, DataTable, Notice, Select } from '../shared/components';
import { qty, uuidv7 } from '../shared/format';
import { isString, load, save } from '../shared/storage';
import { ItemSearch } from './ItemSearch';
import { locationName, useItemNames, useLocations } from './useLoad';

const rememberedMax = 30;
const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

export function Transfers() {
  const locations = useLocations();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lines, setLines] = useState<{ item: Item; quantity: string }[]>([]);
  const [ids, setIds] = useState<string[]>(() => load('transfers', [], isIdList));
  const [list, setList] = useState<Transfer[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => { save('transfers', ids); }, [ids]);
  useEffect(() => {
    Promise.all(ids.map((id) => stock.transfer(id).catch(() => null)))
      .then((ts) => setList(ts.filter((t): t is Transfer => t !== null)));
  }, [ids.join(',')]);
  const place = (id: string) => locationName(locations, id);
  const remember = (t: Transfer) => {
    setIds((old) => [t.id, ...old.filter((x) => x !== t.id)].slice(0, rememberedMax));
    setList((old) => [t, ...old.filter((x) => x.id !== t.id)]);
  };
  const ship = async () => {
    const source = from || opts[0]?.[0];
    const bad = lines.find((l) => !(Number(l.quantity) > 0));
    if (bad) { setMsg(`Type a quantity above 0 for ${bad.item.name}.`); return; }
    try {
      const t = await stock.ship({ id: uuidv7(), from_location_id: source, to_location_id: to, lines: lines.map((l) => ({ item_id: l.item.id, quantity: Number(l.quantity) })) });
      remember(t);
      setOpenId(t.id);
      setLines([]);
      setMsg('');
    } catch (x) { setMsg(message(x)); }
  };
  const opts = locations.filter((l) => l.kind !== 'transit' && !l.parent_id).map((l) => [l.id, l.name] as [string, string]);
  const open = list.find((t) => t.id === openId) ?? null;
  return (
    <section>
      <h1>Transfers</h1>
      <h2>Ship a transfer</h2>
      <div class="row">
        <Select label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} options={opts} />
        <Select label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} options={[['', '—'], ...opts]} />
      </div>
      <ItemSearch label="Add an item" onPick={(item) => setLines([...lines, { item, quantity: '1' }])} />
      <ul class="plain">{lines.map((l, i) => <li class="row">{l.item.name}
        <input class="qty-input" aria-label={`Quantity of ${l.item.name}`} inputMode="decimal" value={l.quantity}
          onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.currentTarget.value } : x)))} /></li>)}</ul>
      <Button variant="primary" disabled={!lines.length || !to} onClick={ship}>Ship transfer</Button>
      {msg && <Notice kind="error">{msg}</Notice>}
      <h2>Transfers</h2>
      <DataTable name="Transfers" rows={list}
        columns={[['from', (t) => place(t.from_location_id)], ['to', (t) => place(t.to_location_id)], ['lines', (t) => String(t.lines.length), true],
          ['units', (t) => qty(t.lines.reduce((s, l) => s + l.shipped, 0)), true], ['status', (t) => (t.status === 'in_transit' ? 'in transit' : 'received')]]}
        actions={(t) => <Button onClick={() => setOpenId(t.id)} aria-label={`Open transfer from ${place(t.from_location_id)} to ${place(t.to_location_id)}`}>Open</Button>} />
      {open && <TransferCard key={open.id} transfer={open} place={place} onChanged={remember} />}
    </section>
  );
}

function TransferCard({ transfer: t, place, onChanged }: { transfer: Transfer; place: (id: string) => string; onChanged: (t: Transfer) => void }) {
  const names = useItemNames(t.lines.map((l) => l.item_id));
  const [counts, setCounts] = useState<Record<string, { received: string; damaged: string }>>(
    () => Object.fromEntries(t.lines.map((l) => [l.id, { received: String(l.shipped), damaged: '0' }])));
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok' | 'warn'; text: string } | null>(null);
  const name = (itemId: string) => names[itemId] ?? '…';
  const send = async (body: ReceiveInput) => {
    try {
      const done = await stock.receive(t.id, body);
      onChanged(done);
      const short = done.lines.reduce((s, l) => s + (l.short ?? 0), 0);
      const damaged = done.lines.reduce((s, l) => s + (l.damaged ?? 0), 0);
      setMsg(short || damaged
        ? { kind: 'warn', text: `Received with a discrepancy: ${qty(short)} short, ${qty(damaged)} damaged.` }
        : { kind: 'ok', text: 'Received in full.' });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const receiveAll = () => send({ lines: t.lines.map((l) => ({ line_id: l.id, received: l.shipped })) });
  const receiveCounted = () => {
    const lines: ReceiveInput['lines'] = [];
    for (const l of t.lines) {
      const c = counts[l.id];
      const received = Number(c.received.replace(',', '.'));
      const damaged = Number((c.damaged || '0').replace(',', '.'));
      if (!Number.isFinite(received) || !Number.isFinite(damaged) || received < 0 || damaged < 0 || received + damaged > l.shipped) {
        setMsg({ kind: 'error', text: `${name(l.item_id)}: received and damaged together must be between 0 and the ${qty(l.shipped)} shipped.` });
        return;
      }
      lines.push({ line_id: l.id, received, damaged });
    }
    void send({ lines });
  };
  const inTransit = t.status === 'in_transit';
  return (
    <div class="card transfer" aria-label="Transfer" role="region">
      <h3>{place(t.from_location_id)} → {place(t.to_location_id)} · {inTransit ? 'in transit' : 'received'}</h3>
      <div class="table-wrap">
        <table class="data" aria-label="Transfer lines">
          <thead><tr><th scope="col">Item</th><th scope="col" class="num">Shipped</th><th scope="col" class="num">Received</th><th scope="col" class="num">Damaged</th>{!inTransit && <th scope="col" class="num">Short</th>}</tr></thead>
          <tbody>{t.lines.map((l) => (
            <tr>
              <td>{name(l.item_id)}</td>
              <td class="num">{qty(l.shipped)}</td>
              {inTransit ? (<>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Received of ${name(l.item_id)}`} value={counts[l.id]?.received}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], received: e.currentTarget.value } })} /></td>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Damaged of ${name(l.item_id)}`} value={counts[l.id]?.damaged}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], damaged: e.currentTarget.value } })} /></td>
              </>) : (<>
                <td class="num">{qty(l.received)}</td><td class="num">{qty(l.damaged)}</td><td class="num">{qty(l.short)}</td>
              </>)}
            </tr>
          ))}</tbody>
        </table>
      </div>
      {inTransit && <div class="row">
        <Button variant="primary" onClick={receiveCounted}>Receive as counted</Button>
        <Button onClick={receiveAll}>Receive all</Button>
      </div>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
