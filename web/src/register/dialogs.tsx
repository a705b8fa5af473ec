// The register's dialogs: void, manager override, parked sales, discount, switch user, and "what about this cart?" before a new sale.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, message, type Parked, permission, type Permission, type Sale, sales, type Session, sessions } from '../api';
import { Button, Dialog, Field, Notice } from '../shared/components';
import { money, when } from '../shared/format';
import type { AskOverride } from './ReturnPanel';

export interface LastSale { id: string; receipt_number: string; total: number }
export interface OverrideAsk { permission: Permission; detail: string; resolve: (token: string | null) => void }

export function VoidDialog({ lastSale, offline, onClose, onVoided, askOverride }: {
  lastSale: LastSale | null; offline: boolean; onClose: () => void; onVoided: (s: Sale) => void; askOverride: AskOverride;
}) {
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!lastSale) return;
    if (!reason.trim()) { setMsg('Give a reason.'); return; }
    setBusy(true);
    let body: { reason: string; override_token?: string } = { reason: reason.trim() };
    try {
      for (;;) {
        try {
          onVoided(await sales.void(lastSale.id, body));
          return;
        } catch (err) {
          if (err instanceof ApiError && err.status === 403 && err.field === 'override_token' && !body.override_token) {
            const t = await askOverride(permission.sales_void, err.problem.detail);
            if (!t) { setMsg('Not approved: the sale stands.'); return; }
            body = { ...body, override_token: t };
            continue;
          }
          setMsg(message(err));
          return;
        }
      }
    } finally { setBusy(false); }
  };
  return (
    <Dialog title="Void last sale" onClose={onClose}>
      {offline ? (
        // The shop's rule offline (docs/offline-register.md): a void needs a lead's approval,
        // which only the server can check, so the register does not void without it.
        <Notice kind="warn">
          Voids need the server (shop rule: a lead approves each one there). The sale stands: void it
          when the network is back{lastSale ? ` (sale ${lastSale.receipt_number})` : ''}, or take the goods back as a return then.
        </Notice>
      ) : !lastSale ? <p>There is no sale to void on this register.</p> : (
        <form onSubmit={submit}>
          <p>Sale <strong>{lastSale.receipt_number}</strong>, total {money(lastSale.total)}. Its stock goes back and it leaves the day's totals.</p>
          <Field label="Reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="e.g. rang up the wrong customer" />
          {msg && <Notice kind="error">{msg}</Notice>}
          <Button type="submit" variant="danger" big disabled={busy}>Void sale</Button>
        </form>
      )}
    </Dialog>
  );
}

export function OverrideDialog({ ask, onDone }: { ask: OverrideAsk; onDone: (token: string | null) => void }) {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const cred = /^\d{4,8}$/.test(secret) ? { pin: secret } : { password: secret };
    try {
      const r = await sessions.override({ username, ...cred, permission: ask.permission, reason });
      onDone(r.override_token);
    } catch (err) {
      setMsg(err instanceof ApiError && err.status === 401 ? 'Wrong user name, password or PIN.' : message(err));
    }
  };
  return (
    <Dialog title="Manager override" onClose={() => onDone(null)}>
      <form onSubmit={submit}>
        <Notice kind="warn">{ask.detail}</Notice>
        <p class="muted">A manager or shift lead approves this once, here and now. Both names are recorded.</p>
        <Field label="Manager username" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label="Manager password or PIN" type="password" autocomplete="off" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        <Field label="Override reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Approve</Button>
      </form>
    </Dialog>
  );
}

export function ParkedDialog({ locationId, onClose, onResume }: { locationId: string; onClose: () => void; onResume: (id: string) => void }) {
  const [list, setList] = useState<Parked[] | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => { sales.parked(locationId).then(setList).catch((e) => setMsg(message(e))); }, []);
  return (
    <Dialog title="Parked sales" onClose={onClose}>
      {msg && <Notice kind="error">{msg}</Notice>}
      {list && list.length === 0 && <p>No parked sales.</p>}
      <ul class="plain">
        {list?.map((p) => (
          <li class="row">
            <span>{when(p.parked_at)} · {p.parked_by} · {p.sale.lines.length} lines{p.note ? ` · ${p.note}` : ''}</span>
            <Button onClick={() => onResume(p.id)}>Resume</Button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function DiscountDialog({ onClose, onSet }: { onClose: () => void; onSet: (percent: number) => void }) {
  const [p, setP] = useState('');
  const [msg, setMsg] = useState('');
  return (
    <Dialog title="Line discount" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); const n = Number(p.replace(',', '.')); if (!(n >= 0 && n <= 100)) { setMsg('0 to 100'); return; } onSet(n); }}>
        <Field label="Discount percent" inputMode="decimal" value={p} onInput={(e) => setP(e.currentTarget.value)}
          hint="Above your role's limit a manager approves it when you complete the sale." />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Apply discount</Button>
      </form>
    </Dialog>
  );
}

/** Signs another person in with their PIN. A cart with lines is parked first, as the person
 *  who rang it up (once, even if the PIN is typed wrong and tried again). */
export function SwitchDialog({ cartLines, parkCart, onClose, onSwitched }: {
  cartLines: number; parkCart: () => Promise<boolean>; onClose: () => void; onSwitched: (s: Session, parked: boolean) => void;
}) {
  const [username, setUsername] = useState('');
  const [pin, setPin] = useState('');
  const [msg, setMsg] = useState('');
  const [parked, setParked] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    let nowParked = parked;
    if (cartLines > 0 && !parked) {
      if (!(await parkCart())) { setMsg('The cart could not be parked, so nobody was switched.'); return; }
      setParked(true);
      nowParked = true;
    }
    try { onSwitched(await sessions.signIn({ username, pin }), nowParked); } catch (err) { setMsg(err instanceof ApiError && err.status === 401 ? 'Wrong user name or PIN.' : message(err)); }
  };
  return (
    <Dialog title="Switch user" onClose={onClose}>
      <form onSubmit={submit}>
        {cartLines > 0 && !parked && <Notice kind="info">The cart ({cartLines} {cartLines === 1 ? 'line' : 'lines'}) is parked before the switch: resume it from “Parked sales”.</Notice>}
        {parked && <Notice kind="info">The cart is parked: resume it from “Parked sales”.</Notice>}
        <Field label="Cashier username" autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label="PIN" type="password" inputMode="numeric" autocomplete="off" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Switch</Button>
      </form>
    </Dialog>
  );
}

/** F2 / "New sale" with lines in the cart: never drop them without asking. */
export function NewSaleDialog({ cartLines, onPark, onDiscard, onClose }: { cartLines: number; onPark: () => void; onDiscard: () => void; onClose: () => void }) {
  return (
    <Dialog title="Start a new sale?" onClose={onClose}>
      <p>The cart still has {cartLines} {cartLines === 1 ? 'line' : 'lines'}.</p>
      <Button variant="primary" big onClick={onPark}>Park this cart</Button>
      <Button variant="danger" big onClick={onDiscard}>Discard this cart</Button>
      <Button big onClick={onClose}>Keep selling this cart</Button>
    </Dialog>
  );
}
