// Price change requests: someone other than the requester approves or rejects them.
import { useState } from 'preact/hooks';
import { catalog, message, permission } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Notice, Select } from '../shared/components';
import { money, when } from '../shared/format';
import { useItemNames, useLoad } from './useLoad';

export function PriceChanges({ session }: { session: Session }) {
  const [status, setStatus] = useState('pending');
  const [data, err, reload] = useLoad(() => catalog.priceChanges(status), [status]);
  const [msg, setMsg] = useState('');
  const rows = data?.price_changes ?? [];
  const names = useItemNames(rows.map((r) => r.item_id));
  const act = async (id: string, what: 'approve' | 'reject') => {
    try { await (what === 'approve' ? catalog.approvePrice(id) : catalog.rejectPrice(id)); setMsg(''); reload(); } catch (x) { setMsg(message(x)); }
  };
  const itemOf = (itemId: string) => names[itemId] ?? '…';
  return (
    <section>
      <h1>Price changes</h1>
      <Select label="Status" value={status} onChange={(e) => setStatus(e.currentTarget.value)} options={['pending', 'approved', 'applied', 'rejected']} />
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      <DataTable name="Price change requests" rows={rows}
        columns={[['item', (r) => itemOf(r.item_id)], ['old', (r) => money(r.old_price), true], ['new', (r) => money(r.price), true], ['tier', (r) => r.tier ?? 'retail'],
          ['reason', (r) => r.reason], ['requested by', (r) => r.requested_by], ['status', (r) => r.status], ['effective', (r) => when(r.effective_at)]]}
        actions={can(session, permission.prices_approve) && status === 'pending' ? (r) => <>
          <Button onClick={() => act(r.id, 'approve')} aria-label={`Approve price change of ${itemOf(r.item_id)} to ${money(r.price)}`}>Approve</Button>
          <Button onClick={() => act(r.id, 'reject')} aria-label={`Reject price change of ${itemOf(r.item_id)} to ${money(r.price)}`}>Reject</Button></> : undefined} />
    </section>
  );
}
