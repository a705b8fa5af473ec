// Store nodes and head office (issue 21, docs/sync.md), for a manager: on a store node, this
// server's link to head office in words ("Head office unreachable since 10:42 — 312 sales
// waiting to send"); at head office, every store node with its last sync, what it said was
// waiting and what has arrived, and "Add a store node" (its key shown once); then what head
// office found posting the nodes' documents (conflicts), each with its rule and a Resolve
// button that asks what was done; and the change requests: at head office the stores' edits of
// master data waiting for a person (Apply / Reject), on a store node what this store asked and
// what head office decided; and the stores' cash-ups (each till a store closed, with what its
// drawer should have held, what was counted and the difference).
import { useState } from 'preact/hooks';
import { ApiError, message, permission, sync, type SyncCashUp, type SyncChangeRequest, type SyncConflict, type SyncNode } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../shared/components';
import { money, when } from '../shared/format';
import { linkText } from '../shared/link';
import { useLoad, useLocations } from './useLoad';

export function Sync({ session }: { session: Session }) {
  const [status, statusErr] = useLoad(() => sync.status(), []);
  const manages = can(session, permission.sync_manage);
  return (
    <section class="sync" aria-label="Store sync">
      <h1>Store sync</h1>
      {statusErr && <Notice kind="error">{statusErr}</Notice>}
      {status && (linkText(status)
        ? <Notice kind={linkText(status)!.kind}>{linkText(status)!.text}{!status.online && status.last_error ? ` (${status.last_error})` : ''}</Notice>
        : <p>This server is not a store node: it pulls from no head office.{manages ? ' If it is head office, its store nodes are below.' : ''}</p>)}
      {manages && <Nodes />}
      {manages && status && <ChangeRequests node={status.node} />}
      {manages && <Conflicts />}
      {manages && <CashUps />}
    </section>
  );
}

function Nodes() {
  const [nodes, err, reload] = useLoad(() => sync.nodes(), []);
  const stores = useLocations().filter((l) => l.sellable);
  const [store, setStore] = useState('');
  const [issued, setIssued] = useState<{ store: string; key: string } | null>(null);
  const [msg, setMsg] = useState('');
  const add = async () => {
    const location = store || stores[0]?.id;
    if (!location) return;
    try {
      const n = await sync.addNode(location);
      setIssued({ store: n.location_name, key: n.key });
      setMsg('');
      reload();
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <>
      <h2>Store nodes</h2>
      {err && <Notice kind="error">{err}</Notice>}
      {nodes && nodes.length === 0 && <p class="muted">No store has its own server yet.</p>}
      {nodes && nodes.length > 0 && (
        <DataTable name="Store nodes" rows={nodes} columns={[
          ['store', (n: SyncNode) => n.location_name],
          ['last sync', (n: SyncNode) => (n.last_sync_at ? when(n.last_sync_at) : 'never')],
          ['waiting there', (n: SyncNode) => String(n.queue_length), true],
          ['documents received', (n: SyncNode) => String(n.documents_received), true],
        ]} />
      )}
      {stores.length > 0 && (
        <div class="row">
          {stores.length > 1 && <Select label="Store" value={store || stores[0].id} onChange={(e) => setStore(e.currentTarget.value)}
            options={stores.map((l): [string, string] => [l.id, l.name])} />}
          <Button onClick={add}>Add a store node{stores.length === 1 ? ` for ${stores[0].name}` : ''}</Button>
        </div>
      )}
      {msg && <Notice kind="error">{msg}</Notice>}
      {issued && (
        <Dialog title={`Store node for ${issued.store}`} onClose={() => setIssued(null)}>
          <p>Start the store's server with this key (<code>--node-key</code> or <code>BACKROOM_NODE_KEY</code>). It is shown only now; if it is lost, revoke it under API keys and add the node again.</p>
          <p><code class="secret" aria-label="Node key">{issued.key}</code></p>
          <Button variant="primary" onClick={() => setIssued(null)}>I have kept it</Button>
        </Dialog>
      )}
    </>
  );
}

const kindText: Record<SyncConflict['kind'], string> = {
  price_difference: 'Sold at another price',
  negative_stock: 'Stock below zero',
  held_unit_sold: 'Held unit sold in the store',
  rejected: 'Not booked',
  po_not_receivable: 'Delivery not on its order',
  destination_refused: 'Shipment not taken',
  cancelled_transfer_received: 'Cancelled shipment arrived',
  not_in_journal: 'Money not in the sales journal',
  store_credit_overdrawn: 'Store credit overdrawn',
  shipment_cancel_after_receipt: 'Shipment cancelled after it arrived',
  cancelled_shipment_received: 'Received after the sender cancelled',
  shipment_cancel_not_applied: 'Shipment cancel not applied',
};

// Why head office could not apply a store's cancel of its shipment (shipment_cancel_not_applied).
const notAppliedWords: Record<string, string> = {
  not_found: 'head office holds no such shipment and no open refusal of it (a refusal resolved by hand?)',
  other_store: 'head office\'s transfer was shipped from another store',
  already_cancelled: 'head office\'s transfer was cancelled already',
  unreadable: 'head office could not read the cancel',
};

type Row = Record<string, unknown>;
const rowsOf = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
// An item as a manager knows it: its name and SKU, never its id.
const itemText = (l: Row) => `${String(l.name ?? 'an item')}${l.sku ? ` (${String(l.sku)})` : ''}`;

const documentWords: Record<string, string> = {
  'sale.completed': 'A sale', 'return.completed': 'A return', 'sale.voided': 'A void', 'exchange.completed': 'An exchange',
};

// What happened, in one line a manager reads (the numbers from the conflict's detail).
function what(c: SyncConflict): string {
  const d = c.detail as Record<string, unknown>;
  const item = c.item ? `${c.item.name ?? 'An item'}${c.item.sku ? ` (${c.item.sku})` : ''}` : 'A document';
  switch (c.kind) {
    case 'price_difference':
      return `${item}: charged ${money(Number(d.charged))}, head office price ${money(Number(d.head_office_price))}`;
    case 'negative_stock':
      return `${item}: ${String(d.on_hand)} on hand at head office`;
    case 'held_unit_sold':
      return `${item}: sold at the store while held for online orders; the holds gave up ${String(d.given_up)}`;
    case 'rejected':
      return String(d.message ?? 'head office could not book it');
    case 'po_not_receivable':
      return `A delivery the store received could not be recorded on its purchase order (${String(d.status ?? d.reason ?? 'not open')}); the stock stays booked at the store`;
    case 'destination_refused':
      return `Transfer ${String(d.number ?? '')} to ${String(d.to_name ?? 'a location')} left the store, but head office cannot put it in transit there`;
    case 'cancelled_transfer_received':
      return `Transfer ${String(d.number ?? '')} was received at the store after head office cancelled it (${String(d.cancel_reason ?? 'no reason given')}): the cancel is undone for what arrived`;
    case 'not_in_journal':
      return `${documentWords[String(d.type)] ?? 'A document'} from the store is booked in stock but not in head office's sales journal: ${String(d.reason ?? '')}`;
    case 'shipment_cancel_after_receipt': {
      const arrived = Array.isArray(d.arrived) ? (d.arrived as Array<Record<string, unknown>>) : [];
      const units = arrived.reduce((n, l) => n + Number(l.received ?? 0) + Number(l.damaged ?? 0), 0);
      return `The store cancelled its shipment ${String(d.node_number ?? '')} (head office's ${String(d.number ?? '')}: ${String(d.cancel_reason ?? 'no reason given')}) after the destination had received it: ${units} arrived there and are booked back at the store too. Count both places`;
    }
    case 'cancelled_shipment_received': {
      const lines = rowsOf(d.lines).map((l) =>
        `${itemText(l)}: ${String(l.received)} received, ${String(l.damaged)} damaged, ${String(l.short)} short of ${String(l.shipped)}`);
      return `Transfer ${String(d.number ?? '')} from ${String(d.from_name ?? 'another store')} to ${String(d.to_name ?? c.location_name ?? 'this store')} was cancelled by the sending store (${String(d.cancel_reason ?? 'no reason given')}), but the receiving store had counted it in first — ${lines.join('; ')}. Count both stores`;
    }
    case 'shipment_cancel_not_applied': {
      const lines = rowsOf(d.lines).map((l) => `${String(l.quantity)} × ${itemText(l)}`);
      return `The store cancelled its shipment ${String(d.node_number ?? '')}${d.number ? ` (head office's ${String(d.number)})` : ''} (${String(d.cancel_reason ?? 'no reason given')}) and booked ${lines.length ? lines.join(', ') : 'its goods'} back in, but ${notAppliedWords[String(d.reason)] ?? String(d.reason ?? '')}`;
    }
    case 'store_credit_overdrawn':
      return `Sale ${String(d.receipt_number ?? '')} took ${money(Number(d.tendered))} from store credit ${String(d.code ?? '')}; head office's balance covered ${money(Number(d.covered))}, ${money(Number(d.uncovered))} not covered`;
  }
}

// Conflicts a person may post again once the cause is fixed.
const retryable = (c: SyncConflict) => c.kind === 'rejected' || c.kind === 'destination_refused';

function Conflicts() {
  const [page, err, reload] = useLoad(() => sync.conflicts(), []);
  const [open, setOpen] = useState<SyncConflict | null>(null);
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState('');
  // A refused shipment: where head office puts it in transit ('' = where the store sent it).
  const [to, setTo] = useState('');
  // A store-credit shortfall is settled: written off (a loss) or collected from the customer.
  const [settle, setSettle] = useState<'' | 'written_off' | 'collected'>('');
  const needsSettlement = open?.kind === 'store_credit_overdrawn';
  const sites = useLocations().filter((l) => l.kind === 'store' || l.kind === 'backroom' || l.kind === 'warehouse');
  const act = async (how: 'resolve' | 'retry') => {
    if (!open) return;
    try {
      if (how === 'resolve') await sync.resolveConflict(open.id, note, needsSettlement && settle ? settle : undefined);
      else await sync.retryConflict(open.id, note, open.kind === 'destination_refused' && to ? to : undefined);
      setOpen(null);
      setNote('');
      setMsg('');
      setTo('');
      setSettle('');
      reload();
    } catch (x) {
      // The API names the missing item by its id; a person needs what to do instead.
      setMsg(x instanceof ApiError && x.code === 'still_rejected'
        ? 'Head office still does not know an item on this document. Create it here first (or apply the store\'s change request), then post it again.'
        : message(x));
    }
  };
  const resolve = () => act('resolve');
  const rows = page?.conflicts ?? [];
  return (
    <>
      <h2>Conflicts from the stores</h2>
      {err && <Notice kind="error">{err}</Notice>}
      {page && rows.length === 0 && <p class="muted">Nothing to look at: every store document was booked as sent.</p>}
      {rows.length > 0 && (
        <DataTable name="Conflicts" rows={rows} columns={[
          ['store', (c: SyncConflict) => c.location_name ?? ''],
          ['when', (c: SyncConflict) => when(c.created_at)],
          ['what', (c: SyncConflict) => kindText[c.kind]],
          ['details', (c: SyncConflict) => what(c)],
        ]} actions={(c: SyncConflict) => <Button onClick={() => { setOpen(c); setNote(''); setMsg(''); setTo(''); setSettle(''); }}>Resolve</Button>} />
      )}
      {open && (
        <Dialog title={kindText[open.kind]} onClose={() => setOpen(null)}>
          <p>{what(open)}</p>
          <p class="muted">{open.rule}</p>
          <Field label="What was done" value={note} maxLength={500} autoFocus
            onInput={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && note.trim() && (!needsSettlement || settle)) void resolve(); }} />
          {needsSettlement && (
            <Select label="The amount not covered" value={settle}
              onChange={(e) => setSettle(e.currentTarget.value as '' | 'written_off' | 'collected')}
              options={[['', 'Choose how it was settled'], ['written_off', 'Written off (a loss)'], ['collected', 'The customer paid it']]} />
          )}
          {open.kind === 'destination_refused' && (
            <Select label="Put in transit to" value={to} onChange={(e) => setTo(e.currentTarget.value)}
              options={[['', `${String((open.detail as Record<string, unknown>).to_name ?? 'Where the store sent it')} (as sent)`],
                ...sites.map((l): [string, string] => [l.id, l.name])]} />
          )}
          {msg && <Notice kind="error">{msg}</Notice>}
          <div class="row">
            {retryable(open) && <Button variant="primary" onClick={() => act('retry')}>Post again</Button>}
            <Button variant={retryable(open) ? undefined : 'primary'} disabled={!note.trim() || (needsSettlement && !settle)} onClick={resolve}>Resolve</Button>
            <Button onClick={() => setOpen(null)}>Cancel</Button>
          </div>
        </Dialog>
      )}
    </>
  );
}

const statusText: Record<SyncChangeRequest['status'], string> = {
  pending: 'Waiting for head office',
  applied: 'Applied by head office',
  rejected: 'Rejected by head office',
};

// What was asked, in words: the route's action and the fields sent (never an id).
function asked(c: SyncChangeRequest): string {
  const subject = c.item ? `${c.item.name} (${c.item.sku})` : c.tax_category ? `Tax category ${c.tax_category}` : '';
  const body = c.body && typeof c.body === 'object' && !Array.isArray(c.body) ? (c.body as Record<string, unknown>) : null;
  const fields = body
    ? Object.entries(body).filter(([k]) => !/(^|_)id$/.test(k) && k !== 'version')
      .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${k === 'price' || k === 'cost' ? money(Number(v)) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ')
    : '';
  return [subject, c.action.replace(/\s*\(.*\)$/, ''), fields].filter(Boolean).join(' — ');
}

function ChangeRequests({ node }: { node: boolean }) {
  const [page, err, reload] = useLoad(() => sync.changeRequests(node ? 'all' : 'pending'), [node]);
  const [rejecting, setRejecting] = useState<SyncChangeRequest | null>(null);
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const apply = async (c: SyncChangeRequest) => {
    try {
      await sync.applyChangeRequest(c.id);
      setMsg({ kind: 'ok', text: `Applied: ${asked(c)}` });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const reject = async () => {
    if (!rejecting) return;
    try {
      await sync.rejectChangeRequest(rejecting.id, note);
      setRejecting(null);
      setNote('');
      setMsg(null);
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const rows = page?.change_requests ?? [];
  return (
    <>
      <h2>{node ? 'Changes this store asked for' : 'Change requests from the stores'}</h2>
      {err && <Notice kind="error">{err}</Notice>}
      {msg && !rejecting && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {page && rows.length === 0 && <p class="muted">{node ? 'This store has asked head office for no changes.' : 'No store is waiting for a change to its items or prices.'}</p>}
      {rows.length > 0 && (node
        ? <DataTable name="Change requests" rows={rows} columns={[
          ['asked', (c: SyncChangeRequest) => when(c.requested_at)],
          ['by', (c: SyncChangeRequest) => c.requested_by],
          ['change', (c: SyncChangeRequest) => asked(c)],
          ['status', (c: SyncChangeRequest) => (c.status === 'pending' && !c.sent ? 'Not sent yet' : statusText[c.status])],
          ['head office', (c: SyncChangeRequest) => [c.decided_by, c.note].filter(Boolean).join(': ')],
        ]} />
        : <DataTable name="Change requests" rows={rows} columns={[
          ['store', (c: SyncChangeRequest) => c.location_name ?? ''],
          ['asked', (c: SyncChangeRequest) => when(c.requested_at)],
          ['by', (c: SyncChangeRequest) => c.requested_by],
          ['change', (c: SyncChangeRequest) => asked(c)],
        ]} actions={(c: SyncChangeRequest) => (
          <div class="row">
            <Button variant="primary" onClick={() => apply(c)}>Apply</Button>
            <Button onClick={() => { setRejecting(c); setNote(''); setMsg(null); }}>Reject</Button>
          </div>
        )} />)}
      {rejecting && (
        <Dialog title="Reject the change" onClose={() => setRejecting(null)}>
          <p>{asked(rejecting)}</p>
          <p class="muted">Asked by {rejecting.requested_by} at {rejecting.location_name ?? 'a store'}. The store reads your note.</p>
          <Field label="Why not" value={note} maxLength={500} autoFocus
            onInput={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && note.trim()) void reject(); }} />
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <div class="row">
            <Button variant="primary" disabled={!note.trim()} onClick={reject}>Reject</Button>
            <Button onClick={() => setRejecting(null)}>Cancel</Button>
          </div>
        </Dialog>
      )}
    </>
  );
}

// Over or short in words a manager reads at a glance: "1.00 short", "0.50 over", "exact".
function overShort(amount: number | null): string {
  if (amount === null) return 'not counted';
  if (amount === 0) return 'exact';
  return `${money(Math.abs(amount))} ${amount < 0 ? 'short' : 'over'}`;
}

function CashUps() {
  const [page, err] = useLoad(() => sync.cashUps(), []);
  const rows = page?.cash_ups ?? [];
  return (
    <>
      <h2>Cash-ups from the stores</h2>
      {err && <Notice kind="error">{err}</Notice>}
      {page && rows.length === 0 && <p class="muted">No store node has closed a till yet.</p>}
      {rows.length > 0 && (
        <DataTable name="Cash-ups" rows={rows} columns={[
          ['store', (c: SyncCashUp) => c.location_name ?? ''],
          ['till', (c: SyncCashUp) => c.register ?? ''],
          ['closed', (c: SyncCashUp) => (c.closed_at ? when(c.closed_at) : '')],
          ['by', (c: SyncCashUp) => c.closed_by ?? ''],
          ['net sales', (c: SyncCashUp) => (c.net_sales === null ? '' : money(c.net_sales)), true],
          ['cash', (c: SyncCashUp) => <span class={c.cash_over_short !== null && c.cash_over_short < 0 ? 'cash-short' : undefined}>{overShort(c.cash_over_short)}</span>, true],
        ]} />
      )}
    </>
  );
}
