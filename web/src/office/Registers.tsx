// Register sessions with their X (open) or Z (closed) report.
import { message, registers } from '../api';
import { Notice } from '../shared/components';
import { money, when } from '../shared/format';
import { isString, load } from '../shared/storage';
import { ZReport } from '../shared/ZReport';
import { useLoad } from './useLoad';

export function Registers() {
  const registerId = load('register', 'REG-1', isString);
  const sessionId = load(`session.${registerId}`, '', isString);
  const [s, err] = useLoad(() => (sessionId ? registers.session(registerId, sessionId) : Promise.resolve(null)), [sessionId]);
  const report = s?.z_report ?? s?.x_report;
  return (
    <section>
      <h1>Registers</h1>
      <h2>Register {registerId}</h2>
      {err && <Notice kind="error">{message(err)}</Notice>}
      {!sessionId && <p>No session is open on this register.</p>}
      {s && (<><p>Session {s.status} · float {money(s.opening_float)}{s.opened_at ? ` · opened ${when(s.opened_at)}` : ''}{s.opened_by ? ` by ${s.opened_by}` : ''}</p>
        {report && <ZReport z={report} closed={s.status === 'closed'} />}</>)}
    </section>
  );
}
