// On a store node: the transfers head office shipped to this store (docs/sync.md, "Transfers
// to a store node"). Staff count what arrived — by scanning (each scan adds one, a case its
// pack) or by typing — and receive it once: whatever a line does not account for is short.
// Shown above the store's own transfers only when there are any (a head office has none).
import { useEffect, useState } from 'preact/hooks';
import { catalog, type InboundTransfer, message, stock } from '../api';
import { Button, Notice } from '../shared/components';
import { qty, when } from '../shared/format';

export function InboundTransfers() {
  const [list, setList] = useState<InboundTransfer[]>([]);
  const [open, setOpen] = useState<InboundTransfer | null>(null);
  const [msg, setMsg] = useState('');
  const load = async () => {
    try { setList((await stock.inbound({ status: 'in_transit', limit: 100 })).transfers); } catch (x) { setMsg(message(x)); }
  };
  useEffect(() => { void load(); }, []);
  if (!list.length && !open && !msg) return null;
  return (
    <section aria-label="Transfers from head office">
      <h2>From head office</h2>
      {msg && <Notice kind="error">{msg}</Notice>}
      <ul class="plain">
        {list.map((t) => (
          <li class="row"><Button onClick={() => setOpen(t)} aria-label={`Receive transfer ${t.number}`}>Receive</Button>
            <span><strong>{t.number}</strong> from {t.from.name} · shipped {when(t.shipped_at)} · {t.lines.length} line{t.lines.length === 1 ? '' : 's'}</span></li>
        ))}
      </ul>
      {open && <InboundCard key={open.id} transfer={open} onDone={(t) => { setOpen(t); void load(); }} />}
    </section>
  );
}

function InboundCard({ transfer: t, onDone }: { transfer: InboundTransfer; onDone: (t: InboundTransfer) => void }) {
  const [counts, setCounts] = useState<Record<string, { received: string; damaged: string }>>(
    () => Object.fromEntries(t.lines.map((l) => [l.id, { received: qty(l.shipped), damaged: '0' }])));
  const [scan, setScan] = useState('');
  const [msg, setMsg] = useState<{ kind: 'error' | 'ok' | 'warn'; text: string } | null>(null);
  const received = t.status === 'received';
  const number = (s: string) => Number(s.replace(',', '.') || '0');
  /** A scan counts from zero: the first scan clears the typed quantities. */
  const [scanning, setScanning] = useState(false);
  const onScan = async (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !scan.trim()) return;
    e.preventDefault();
    try {
      const hit = await catalog.scan(scan.trim());
      const line = t.lines.find((l) => l.item_id === hit.item.id);
      if (!line) { setMsg({ kind: 'error', text: `${hit.item.name} is not on this transfer.` }); return; }
      const base = scanning ? counts : Object.fromEntries(t.lines.map((l) => [l.id, { received: '0', damaged: '0' }]));
      const now = number(base[line.id].received) + Number(hit.pack_quantity || 1);
      setCounts({ ...base, [line.id]: { ...base[line.id], received: String(now) } });
      setScanning(true);
      setMsg({ kind: 'ok', text: `${line.name}: ${now} of ${qty(line.shipped)}` });
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
    setScan('');
  };
  const receive = async () => {
    const lines = [];
    for (const l of t.lines) {
      const got = number(counts[l.id].received);
      const broken = number(counts[l.id].damaged);
      if (!Number.isFinite(got) || !Number.isFinite(broken) || got < 0 || broken < 0 || got + broken > l.shipped) {
        setMsg({ kind: 'error', text: `${l.name}: received and damaged must be between 0 and the ${qty(l.shipped)} shipped.` });
        return;
      }
      lines.push({ line_id: l.id, received: got, ...(broken ? { damaged: broken } : {}) });
    }
    try {
      const done = await stock.receiveInbound(t.id, { lines });
      const short = done.lines.reduce((s, l) => s + l.short, 0);
      const damaged = done.lines.reduce((s, l) => s + l.damaged, 0);
      setMsg(short || damaged
        ? { kind: 'warn', text: `Received with a discrepancy: ${qty(short)} short, ${qty(damaged)} damaged. Head office is told at the next sync.` }
        : { kind: 'ok', text: 'Received in full. Head office is told at the next sync.' });
      onDone(done);
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <div class="card transfer" aria-label="Transfer from head office" role="region">
      <h3>Transfer {t.number} from {t.from.name} · {received ? 'received' : 'in transit'}</h3>
      {t.note && <p class="muted">{t.note}</p>}
      {!received && <div class="scan">
        <label for="inbound-scan">Scan items to count them</label>
        <input id="inbound-scan" autocomplete="off" spellcheck={false} enterKeyHint="go" value={scan}
          onInput={(e) => setScan(e.currentTarget.value)} onKeyDown={onScan} />
      </div>}
      <div class="table-wrap">
        <table class="data" aria-label="Transfer lines">
          <thead><tr><th scope="col">Item</th><th scope="col" class="num">Shipped</th>
            <th scope="col" class="num">Received</th><th scope="col" class="num">Damaged</th>{received && <th scope="col" class="num">Short</th>}</tr></thead>
          <tbody>{t.lines.map((l) => (
            <tr>
              <td>{l.name || l.sku}</td>
              <td class="num">{qty(l.shipped)}</td>
              {received ? (<><td class="num">{qty(l.received)}</td><td class="num">{qty(l.damaged)}</td><td class="num">{qty(l.short)}</td></>) : (<>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Received of ${l.name}`} value={counts[l.id].received}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], received: e.currentTarget.value } })} /></td>
                <td class="num"><input class="qty-input" inputMode="decimal" aria-label={`Damaged of ${l.name}`} value={counts[l.id].damaged}
                  onInput={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], damaged: e.currentTarget.value } })} /></td>
              </>)}
            </tr>
          ))}</tbody>
        </table>
      </div>
      {!received && <p class="small muted">What is not counted as received or damaged is booked short.</p>}
      {!received && <Button variant="primary" onClick={receive}>Receive</Button>}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
