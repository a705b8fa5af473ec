// Registers: a register's sessions, newest first, each with its X report (open) or Z report
// (closed), shown and printable; and the shop's rule for returns at a register that cannot
// reach the server (registers.manage changes it). Nobody pastes an id.
import { useEffect, useState } from 'preact/hooks';
import { message, permission, registers, type RegisterSession, sentToHeadOffice, settings, setup } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Field, Notice, Select } from '../shared/components';
import { money, parseMoney, when } from '../shared/format';
import { personName, SessionReportView } from '../shared/SessionReport';
import { useLoad } from './useLoad';

export function Registers({ session }: { session: Session }) {
  const [regs, err] = useLoad(() => setup.registers(), []);
  return (
    <section>
      <h1>Registers</h1>
      {err && <Notice kind="error">{err}</Notice>}
      <OfflineReturnsRule mayChange={can(session, permission.registers_manage)} />
      {regs?.length === 0 && <p>No registers yet: add one under Store set-up.</p>}
      {regs?.map((r) => <RegisterSessions registerId={r.id} name={r.name} />)}
    </section>
  );
}

function RegisterSessions({ registerId, name }: { registerId: string; name: string }) {
  const [page, err] = useLoad(() => registers.sessions(registerId), [registerId]);
  const [open, setOpen] = useState<RegisterSession | null>(null);
  const list = page?.sessions ?? [];
  const report = open ? open.z_report ?? open.x_report : undefined;
  return (
    <div class="register-sessions">
      <h2>{name}</h2>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name={`Sessions of ${name}`} rows={list}
        columns={[['session', (s) => String(s.number), true], ['status', (s) => s.status], ['opened', (s) => `${when(s.opened_at)} · ${personName(s.opened_by)}`],
          ['closed', (s) => (s.closed_at ? `${when(s.closed_at)} · ${personName(s.closed_by)}` : '—')], ['float', (s) => money(s.opening_float), true]]}
        actions={(s) => <Button onClick={() => setOpen(open?.id === s.id ? null : s)} aria-label={`${s.status === 'open' ? 'X' : 'Z'} report of session ${s.number}`}>
          {s.status === 'open' ? 'X report' : 'Z report'}</Button>} />
      {open && report && (
        <div class="z-print">
          <SessionReportView report={report} session={open} />
          <Button onClick={() => print()}>Print</Button>
        </div>
      )}
    </div>
  );
}

/** Returns (and exchanges) while a register is offline: refused (the default) or allowed in cash up to a limit per return. */
function OfflineReturnsRule({ mayChange }: { mayChange: boolean }) {
  const [current, err, reload] = useLoad(() => settings.offlineReturns(), []);
  const [rule, setRule] = useState<'refuse' | 'allow'>('refuse');
  const [limit, setLimit] = useState('');
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    if (!current) return;
    setRule(current.offline_returns);
    setLimit(money(current.offline_return_limit));
  }, [current]);
  if (!current) return err ? <Notice kind="error">{err}</Notice> : null;
  const summary = current.offline_returns === 'allow'
    ? `Allowed in cash, up to ${money(current.offline_return_limit)} a return (or an exchange's difference), against this register's own receipts.`
    : 'Refused: returns and exchanges wait for the network.';
  const save = async () => {
    const amount = parseMoney(limit);
    if (rule === 'allow' && (amount === null || amount <= 0)) { setMsg({ kind: 'error', text: 'Give the most one return may refund offline, such as 25.00.' }); return; }
    try {
      const answer = await settings.putOfflineReturns({ offline_returns: rule, ...(rule === 'allow' ? { offline_return_limit: amount ?? 0 } : {}) });
      // On a store node the rule is head office's: the change waits for head office (docs/sync.md).
      setMsg({ kind: 'ok', text: sentToHeadOffice(answer) ? 'Sent to head office for approval: the rule here changes once head office applies it.' : 'Saved. Registers pick the rule up the next time they reach the server.' });
      reload();
    } catch (e) { setMsg({ kind: 'error', text: message(e) }); }
  };
  return (
    <div class="offline-returns">
      <h2>Returns while a register is offline</h2>
      <p>{summary}</p>
      {mayChange && (
        <form class="row" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <Select label="Rule" value={rule} onChange={(e) => setRule(e.currentTarget.value === 'allow' ? 'allow' : 'refuse')}
            options={[['refuse', 'Refuse: returns need the server'], ['allow', 'Allow in cash up to a limit']]} />
          {rule === 'allow' && <Field label="Most refunded by one return" inputMode="decimal" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />}
          <Button type="submit">Save rule</Button>
        </form>
      )}
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}
