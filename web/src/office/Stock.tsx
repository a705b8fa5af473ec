// Stock of one item: balances per location, adjustments, the movement history. An unusual
// adjustment (below zero, or past the shop's limits) is confirmed with a reason code and
// stays flagged in the movement list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type AdjustmentFlag, type AdjustmentInput, ApiError, catalog, type Item, type LowStockRow, message, type Movement, type OpeningReport, permission, stock } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../shared/components';
import { CsvImport } from '../shared/CsvImport';
import { qty, uuidv7, when, words } from '../shared/format';
import { ItemSearch } from './ItemSearch';
import { locationName, useLoad, useLocations } from './useLoad';

const adjustmentReasons = ['count', 'correction', 'found', 'shrink', 'damage', 'theft', 'expired'];
const flagWords: Record<AdjustmentFlag, string> = {
  below_zero: 'it takes on-hand below zero',
  over_quantity: 'it moves more units than the shop’s limit',
  over_value: 'it is worth more than the shop’s limit',
};
const isFlag = (v: unknown): v is AdjustmentFlag => typeof v === 'string' && v in flagWords;

function FlagCell({ m }: { m: Movement }) {
  if (!m.flagged) return null;
  const why = (m.flag_reasons ?? []).map((f) => words(f)).join(', ');
  return <span class="flag" title={`Confirmed: ${why}`}>⚑ {why}{m.reason_code ? ` · ${words(m.reason_code)}` : ''}</span>;
}

export function Stock({ session }: { session: Session }) {
  const [item, setItem] = useState<Item | null>(null);
  const locations = useLocations();
  const name = (id: string) => locationName(locations, id);
  const [view, err, reload] = useLoad(() => (item ? stock.ofItem(item.id) : Promise.resolve(null)), [item?.id]);
  const [moves, , reloadMoves] = useLoad(() => (item ? stock.movements(item.id).then((m) => m.reverse()) : Promise.resolve([])), [item?.id]);
  const [adj, setAdj] = useState({ location_id: '', quantity: '', reason: 'count', note: '' });
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  /** An adjustment the server wants confirmed, and why. */
  const [confirming, setConfirming] = useState<{ body: AdjustmentInput; reasons: AdjustmentFlag[] } | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const send = async (body: AdjustmentInput) => {
    try {
      const done = await stock.adjust(body);
      setConfirming(null);
      setMsg({ kind: 'ok', text: done.flagged ? 'Adjusted and flagged for review.' : 'Adjusted.' });
      setAdj((a) => ({ ...a, quantity: '', note: '' }));
      reload(); reloadMoves();
    } catch (x) {
      if (x instanceof ApiError && x.code === 'adjustment_needs_confirmation') {
        const reasons = Array.isArray(x.problem.reasons) ? x.problem.reasons.filter(isFlag) : [];
        setReasonCode(body.reason);
        setConfirming({ body, reasons });
        return;
      }
      setConfirming(null);
      setMsg({ kind: 'error', text: message(x) });
    }
  };
  const adjust = (e: Event) => {
    e.preventDefault();
    if (!item) return;
    const quantity = Number(adj.quantity.trim().replace(',', '.').replace('−', '-'));
    if (!adj.quantity.trim() || !Number.isFinite(quantity) || quantity === 0) { setMsg({ kind: 'error', text: 'Type the change in units, like −3 or 5.' }); return; }
    setMsg(null);
    void send({ id: uuidv7(), item_id: item.id, location_id: adj.location_id || locations[0]?.id, quantity, reason: adj.reason, note: adj.note });
  };
  return (
    <section>
      <h1>Stock</h1>
      <ItemSearch onPick={setItem} label="Find an item" />
      {err && <Notice kind="error">{err}</Notice>}
      {!item && <LowStock onPick={(id) => { catalog.item(id).then(setItem).catch(() => undefined); }} />}
      {!item && can(session, permission.stock_adjust) && <OpeningImport />}
      {item && view && (
        <>
          <h2>{item.name} <span class="muted">{item.sku}</span> — on hand {qty(view.on_hand)}</h2>
          <DataTable name="Stock by location" rows={view.locations ?? []}
            columns={[['location', (r) => name(r.location_id)], ['on hand', (r) => qty(r.on_hand), true], ['reserved', (r) => qty(r.reserved), true], ['available', (r) => qty(r.available), true]]} />
          {can(session, permission.stock_adjust) && (
            <form class="row" onSubmit={adjust} aria-label="Adjust stock">
              <Select label="Location" value={adj.location_id} onChange={(e) => setAdj({ ...adj, location_id: e.currentTarget.value })} options={locations.map((l) => [l.id, name(l.id)])} />
              <Field label="Quantity change" value={adj.quantity} onInput={(e) => setAdj({ ...adj, quantity: e.currentTarget.value })} hint="−3 removes, 5 adds" />
              <Select label="Adjustment reason" value={adj.reason} onChange={(e) => setAdj({ ...adj, reason: e.currentTarget.value })} options={adjustmentReasons} />
              <Field label="Note" value={adj.note} onInput={(e) => setAdj({ ...adj, note: e.currentTarget.value })} />
              <Button type="submit">Adjust</Button>
            </form>
          )}
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          {confirming && (
            <Dialog title="Confirm this adjustment" onClose={() => setConfirming(null)}>
              <form onSubmit={(e) => { e.preventDefault(); void send({ ...confirming.body, confirm: true, reason_code: reasonCode }); }} aria-label="Confirm adjustment">
                <p>{qty(confirming.body.quantity)} of {item.name} at {name(confirming.body.location_id)} needs a second look:</p>
                <ul>{confirming.reasons.map((r) => <li>{flagWords[r]}</li>)}</ul>
                <p class="muted">It will be flagged in the movement list with the reason you give.</p>
                <Select label="Reason code" value={reasonCode} onChange={(e) => setReasonCode(e.currentTarget.value)} options={adjustmentReasons.map((r) => [r, words(r)])} />
                <div class="row">
                  <Button type="submit" variant="primary">Confirm adjustment</Button>
                  <Button onClick={() => setConfirming(null)}>Cancel</Button>
                </div>
              </form>
            </Dialog>
          )}
          <h3>Movements (newest first)</h3>
          <DataTable name="Movements" rows={moves ?? []}
            columns={[['when', (r) => when(r.at)], ['location', (r) => name(r.location_id)], ['quantity', (r) => qty(r.quantity), true], ['reason', (r) => words(r.reason)],
              ['document', (r) => words(r.document_type)], ['user', (r) => r.user], ['device', (r) => r.device], ['flag', (r) => <FlagCell m={r} />]]} />
        </>
      )}
    </section>
  );
}

const statusWords: Record<LowStockRow['status'], string> = {
  in_stock: 'in stock', low_stock: 'Low stock', out_of_stock: 'Out of stock', backorder: 'Out — on order',
};

/** What is running out, per store: the availability feed's low-stock list (issue 20). */
function LowStock({ onPick }: { onPick: (itemId: string) => void }) {
  const locations = useLocations().filter((l) => l.sellable);
  const [where, setWhere] = useState('');
  const [rows, setRows] = useState<LowStockRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  // One page at a time: a second tap on More while a page is on its way would fetch it twice.
  const inFlight = useRef(false);
  const load = (cursor: string | null) => {
    if (cursor && inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    stock.lowStock(where || undefined, cursor)
      .then((page) => { setRows((r) => (cursor ? [...(r ?? []), ...page.items] : page.items)); setNext(page.next_cursor); setErr(''); })
      .catch((e) => setErr(message(e)))
      .finally(() => { inFlight.current = false; setBusy(false); });
  };
  useEffect(() => load(null), [where]);
  return (
    <section aria-label="Low stock">
      <h2>Low stock</h2>
      <p class="muted">Items at or below the low-stock threshold, out of stock first. Pick one to see its stock and adjust it.</p>
      {locations.length > 1 && (
        <Select label="Store" value={where} onChange={(e) => setWhere(e.currentTarget.value)}
          options={[['', 'Every store'], ...locations.map((l): [string, string] => [l.id, l.name])]} />
      )}
      {err && <Notice kind="error">{err}</Notice>}
      {rows === null && !err && <p role="status" class="muted">Loading…</p>}
      {rows !== null && <DataTable name="Low stock" rows={rows}
        columns={[
          ['item', (r) => <>{r.name} <span class="muted">{r.sku}</span></>],
          ...(locations.length > 1 ? [['store', (r: LowStockRow) => locationName(locations, r.location_id)] as [string, (r: LowStockRow) => string]] : []),
          ['available', (r) => qty(r.available), true],
          ['status', (r) => <span class={`badge badge-${r.status}`}>{statusWords[r.status]}{r.backorder_date ? ` (due ${r.backorder_date})` : ''}</span>],
        ]}
        actions={(r) => <Button onClick={() => onPick(r.item_id)} aria-label={`Open ${r.name}`}>Open</Button>} />}
      {next && <Button onClick={() => load(next)} disabled={busy}>{busy ? 'Loading…' : 'More'}</Button>}
    </section>
  );
}

const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
const rowsOf = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

/** Opening stock from the shop's spreadsheet: checked first (what each row adds, what is wrong), then imported. */
function OpeningImport() {
  const already = (r: OpeningReport) => (r.unchanged ? `, ${r.unchanged} already right` : '');
  return (
    <CsvImport<OpeningReport, OpeningReport['lines'][number]> name="Opening stock" id="opening-file" label="Import the counted stock (CSV)"
      hint="Columns: sku (or barcode), location (when you have more than one store), quantity."
      send={stock.importOpening} lines={(r) => r.lines}
      columns={[['line', (r) => String(r.line), true], ['item', (r) => <>{r.name} <span class="muted">{r.sku}</span></>], ['store', (r) => r.location],
        ['on hand', (r) => qty(r.on_hand), true], ['counted', (r) => qty(r.quantity), true], ['adds', (r) => qty(r.adds), true]]}
      checked={(r) => `${rowsOf(r.rows)} checked — ${r.adding} to add (${qty(r.units)} units)${already(r)}.`}
      action={(r) => `Import ${items(r.adding)}`}
      done={(r) => `Imported: ${items(r.adding)} brought up to their counted stock (${qty(r.units)} units)${already(r)}.`} />
  );
}
