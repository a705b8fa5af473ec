// Click-and-collect at the till (issue 20): the customer says or shows the pickup code, the
// cashier scans or types it, and the ready order becomes this register's sale (paid online:
// settled by its online payment). An unpaid order's payment at pickup is not on this screen.
import { useState } from 'preact/hooks';
import { ApiError, message, orders, type Sale, sales } from '../api';
import { Button, Dialog, Field, Notice } from '../shared/components';
import { uuidv7 } from '../shared/format';

export function PickupDialog({ registerId, onClose, onCollected }: { registerId: string; onClose: () => void; onCollected: (sale: Sale) => void }) {
  const [code, setCode] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const [key] = useState(uuidv7); // one key per handover: a retry after a lost answer collects once
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!code.trim()) { setErr('Scan or type the pickup code.'); return; }
    setBusy(true);
    try {
      const o = await orders.pickup(code.trim(), registerId, key);
      const sale = o.sale ?? (o.sale_id ? await sales.get(o.sale_id) : null);
      if (!sale) { setErr(`${o.number} is ${o.status}: there is nothing to hand over.`); return; }
      onCollected(sale);
    } catch (x) {
      setErr(x instanceof ApiError ? x.problem.detail : message(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Pickup" onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Pickup code" value={code} autocomplete="off" autocapitalize="characters" onInput={(e) => setCode(e.currentTarget.value)} />
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary" big disabled={busy}>Hand over</Button>
      </form>
    </Dialog>
  );
}
