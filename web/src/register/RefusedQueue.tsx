// What the server refused of the sales and returns this register completed offline: they stay
// in the queue (never dropped: the money changed hands), listed here with the server's reason,
// and each can be sent again once the cause is dealt with (docs/offline-register.md).
import { useEffect, useState } from 'preact/hooks';
import { Button, Dialog, Notice } from '../shared/components';
import { money } from '../shared/format';
import { flush, type Queued, queued, sendAgain } from './offline';

/** The server's reason without its code word ("insufficient_tender: the total is …" → "the total is …"). */
const reasonOf = (error: string) => error.replace(/^[a-z_]+: /, '');

const titleOf = (q: Queued) => (q.kind === 'return' ? `Return against ${q.receipt_number}`
  : q.kind === 'exchange' ? `Exchange ${q.receipt_number} (for receipt ${q.returned})` : `Sale ${q.receipt_number}`);
const amountOf = (q: Queued) => (q.kind === 'return' ? `${money(q.total)} refunded in cash`
  : q.kind === 'exchange' ? `new items ${money(q.total)}${q.refund > 0 ? `, ${money(q.refund)} refunded in cash` : ''}` : money(q.total));

export function RefusedQueue({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const [items, setItems] = useState<Queued[] | null>(null);
  const [msg, setMsg] = useState('');
  const reload = () => queued().then((q) => setItems(q.filter((x) => x.error))).catch(() => setItems([]));
  useEffect(() => { void reload(); }, []);
  const again = async (q: Queued) => {
    if (q.seq === undefined) return;
    await sendAgain(q.seq);
    await flush().catch(() => undefined);
    const left = (await queued()).find((x) => x.seq === q.seq);
    setMsg(!left ? `${titleOf(q)} reached the server.`
      : left.error ? `Refused again: ${reasonOf(left.error)}` : 'The server cannot be reached: it is sent when the network is back.');
    onChanged();
    await reload();
  };
  return (
    <Dialog title="Refused by the server" onClose={onClose}>
      <p>These were completed on this register while it was offline, and the server did not accept them. They stay here until they are accepted: ask a lead to deal with the reason, then send again.</p>
      {msg && <Notice kind="info">{msg}</Notice>}
      {items?.length === 0 && <p>Nothing is refused.</p>}
      <ul class="plain refused-list">
        {items?.map((q) => (
          <li>
            <strong>{titleOf(q)}</strong>
            {` · ${amountOf(q)} · ${new Date(q.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short', hour12: false })}`}
            <Notice kind="warn">{reasonOf(q.error ?? '')}</Notice>
            <Button onClick={() => void again(q)} aria-label={`Send ${titleOf(q).replace(/^[A-Z]/, (c) => c.toLowerCase())} again`}>Send again</Button>
          </li>
        ))}
      </ul>
      <Button variant="primary" onClick={onClose}>Close</Button>
    </Dialog>
  );
}
