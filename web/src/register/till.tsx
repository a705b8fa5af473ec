// The till: open a session with a counted float before the first sale, cash in and out
// during the day, close by counting every tender (cash with a denomination helper), then the
// Z report, shown and printable.
import { useEffect, useState } from 'preact/hooks';
import { type CashKind, message, registers, type RegisterSession, type TenderType } from '../api';
import { Button, Dialog, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, uuidv7, words } from '../shared/format';
import { SessionReportView } from '../shared/SessionReport';

/** Notes and coins in minor units, largest first. */
const denominations = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

/** Counts notes and coins; the total is what the drawer holds. */
export function DenominationCount({ label, onTotal }: { label: string; onTotal: (minor: number) => void }) {
  const [counts, setCounts] = useState<Record<number, string>>({});
  const total = denominations.reduce((s, d) => s + d * (Number(counts[d]) || 0), 0);
  useEffect(() => onTotal(total), [total]);
  return (
    <fieldset class="denominations">
      <legend>{label}: <strong>{money(total)}</strong></legend>
      <div class="denomination-grid">
        {denominations.map((d) => (
          <label class="denomination">
            <span>{money(d)} ×</span>
            <input inputMode="numeric" aria-label={`Count of ${money(d)}`} value={counts[d] ?? ''}
              onInput={(e) => setCounts({ ...counts, [d]: e.currentTarget.value.replace(/\D/g, '') })} />
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function OpenTill({ registerId, locationId, onOpened }: { registerId: string; locationId: string; onOpened: (s: RegisterSession) => void }) {
  const [typed, setTyped] = useState('');
  const [counted, setCounted] = useState(0);
  const [helper, setHelper] = useState(false);
  const [msg, setMsg] = useState('');
  const [id] = useState(uuidv7());
  const submit = async (e: Event) => {
    e.preventDefault();
    const amount = helper ? counted : parseMoney(typed);
    if (amount === null) { setMsg('Type the float like 100 or 150.00, or count it note by note.'); return; }
    try { onOpened(await registers.open(registerId, { id, location_id: locationId, opening_float: amount })); } catch (err) { setMsg(message(err)); }
  };
  return (
    <form class="open-till" onSubmit={submit} aria-label="Open the till">
      <h2>Open the till</h2>
      <p>Count the cash in the drawer before the first sale.</p>
      {helper ? <DenominationCount label="Opening float" onTotal={setCounted} />
        : <Field label="Opening float" inputMode="decimal" value={typed} placeholder="100.00" onInput={(e) => setTyped(e.currentTarget.value)} />}
      <Button variant="quiet" onClick={() => setHelper(!helper)}>{helper ? 'Type the total instead' : 'Count notes and coins'}</Button>
      {msg && <Notice kind="error">{msg}</Notice>}
      <Button type="submit" variant="primary" big>Open till</Button>
    </form>
  );
}

export function CashDialog({ registerId, sessionId, onClose, onDone }: { registerId: string; sessionId: string; onClose: () => void; onDone: (text: string) => void }) {
  const [kind, setKind] = useState<CashKind>('paid_out');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const a = parseMoney(amount);
    if (a === null || a <= 0) { setMsg('Type an amount like 20 or 12.50.'); return; }
    if (!reason.trim()) { setMsg('Give a reason: it shows on the Z report.'); return; }
    try {
      await registers.cash(registerId, sessionId, { kind, amount: a, reason: reason.trim() });
      onDone(`${words(kind).replace(/^./, (c) => c.toUpperCase())} of ${money(a)} recorded.`);
    } catch (err) { setMsg(message(err)); }
  };
  return (
    <Dialog title="Cash in or out" onClose={onClose}>
      <form onSubmit={submit}>
        <Select label="Kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as CashKind)}
          options={[['paid_in', 'Paid in (cash into the drawer)'], ['paid_out', 'Paid out (cash for an expense)'], ['safe_drop', 'Safe drop (cash to the safe)']]} />
        <Field label="Amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        <Field label="Reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary" big>Record</Button>
      </form>
    </Dialog>
  );
}

const countable: TenderType[] = ['cash', 'card', 'store_credit'];

export function CloseTill({ registerId, sessionId, onClose, onClosed }: { registerId: string; sessionId: string; onClose: () => void; onClosed: () => void }) {
  const [open, setOpen] = useState<RegisterSession | null>(null);
  const [cash, setCash] = useState(0);
  const [others, setOthers] = useState<Record<string, string>>({});
  const [closed, setClosed] = useState<RegisterSession | null>(null);
  const [msg, setMsg] = useState('');
  useEffect(() => { registers.session(registerId, sessionId).then(setOpen).catch((e) => setMsg(message(e))); }, []);
  const used = new Set<TenderType>(['cash', ...(open?.x_report?.tenders.map((t) => t.type) ?? [])]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const counted: Partial<Record<TenderType, number>> = { cash };
    for (const t of countable.filter((t) => t !== 'cash' && used.has(t))) {
      const v = (others[t] ?? '').trim() ? parseMoney(others[t]) : 0;
      if (v === null) { setMsg(`Type the ${words(t)} total like 120.50.`); return; }
      counted[t] = v;
    }
    try {
      setClosed(await registers.close(registerId, sessionId, { counted }));
      onClosed();
    } catch (err) { setMsg(message(err)); }
  };
  return (
    <Dialog title={closed ? 'Z report' : 'Close the till'} onClose={onClose} wide>
      {closed?.z_report ? (
        <div class="z-print">
          <SessionReportView report={closed.z_report} session={closed} />
          <Button variant="primary" big onClick={() => print()}>Print Z report</Button>
        </div>
      ) : (
        <form onSubmit={submit} aria-label="Count the drawer">
          {open?.x_report && <SessionReportView report={open.x_report} session={open} />}
          <DenominationCount label="Cash counted" onTotal={setCash} />
          {countable.filter((t) => t !== 'cash' && used.has(t)).map((t) => (
            <Field label={`${words(t)} counted`} inputMode="decimal" value={others[t] ?? ''} hint="The total of the terminal report or the slips"
              onInput={(e) => setOthers({ ...others, [t]: e.currentTarget.value })} />
          ))}
          {msg && <Notice kind="error">{msg}</Notice>}
          <Button type="submit" variant="primary" big>Close till</Button>
        </form>
      )}
    </Dialog>
  );
}
