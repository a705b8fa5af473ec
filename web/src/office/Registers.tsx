// Registers: a register's sessions, newest first, each with its X report (open) or Z report
// (closed), shown and printable. Nobody pastes an id.
import { useState } from 'preact/hooks';
import { registers, type RegisterSession, setup } from '../api';
import { Button, DataTable, Notice } from '../shared/components';
import { money, when } from '../shared/format';
import { personName, SessionReportView } from '../shared/SessionReport';
import { useLoad } from './useLoad';

export function Registers() {
  const [regs, err] = useLoad(() => setup.registers(), []);
  return (
    <section>
      <h1>Registers</h1>
      {err && <Notice kind="error">{err}</Notice>}
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
