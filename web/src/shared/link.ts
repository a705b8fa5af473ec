// A store node's link to head office in one sentence (docs/sync.md), for the register's banner
// and the back office's Store sync page.
import { useEffect, useState } from 'preact/hooks';
import { sync, type SyncStatus } from '../api';
import { clockTime as clock, when } from './format';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
// "3 sales", "3 sales and 2 other documents", "2 documents" (returns, stock changes ...).
function waitingText(s: SyncStatus): string {
  const all = s.queue_length ?? 0;
  const sales = Math.min(s.sales_waiting ?? all, all);
  const other = all - sales;
  if (other === 0) return count(sales, 'sale', 'sales');
  if (sales === 0) return count(other, 'document', 'documents');
  return `${count(sales, 'sale', 'sales')} and ${count(other, 'other document', 'other documents')}`;
}

/** null when this server is not a store node. */
export function linkText(s: SyncStatus): { kind: 'ok' | 'warn'; text: string } | null {
  if (!s.node) return null;
  const waiting = s.queue_length ?? 0;
  if (!s.online) {
    return { kind: 'warn', text: `Head office unreachable${s.offline_since ? ` since ${clock(s.offline_since)}` : ''} — ${waitingText(s)} waiting to send. Selling goes on; they are sent when the link is back.` };
  }
  return { kind: 'ok', text: `Linked to head office${s.last_sync_at ? `, last synced ${when(s.last_sync_at)}` : ''} — ${waiting ? `${waitingText(s)} waiting to send` : 'nothing waiting'}.` };
}

/** The link's status, asked now and every `everyMs` (null until the first answer, or when it fails).
 *  A server that answers it is not a store node is not asked again: that takes a restart with
 *  --upstream, and the page asks again when it is next opened. */
export function useLinkStatus(everyMs = 30_000): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let stop = false;
    const ask = () => sync.status().then((s) => {
      if (stop) return;
      setStatus(s);
      if (!s.node) clearInterval(timer);
    }).catch(() => undefined);
    const timer = setInterval(ask, everyMs);
    void ask();
    return () => { stop = true; clearInterval(timer); };
  }, [everyMs]);
  return status;
}
