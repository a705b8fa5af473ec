// Users and API keys.
import { useState } from 'preact/hooks';
import { message, people, type User } from '../api';
import { Button, DataTable, Field, Notice, Select, yesNo } from '../shared/components';
import { when, words } from '../shared/format';
import { useLoad } from './useLoad';

const roles = ['cashier', 'shift_lead', 'manager', 'buyer', 'clerk', 'admin'];

export function Users() {
  const [users, err, reload] = useLoad(() => people.users());
  const [f, setF] = useState({ username: '', display_name: '', role: 'cashier', password: '', pin: '' });
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    try { await people.createUser({ ...f, pin: f.pin || undefined }); setMsg({ kind: 'ok', text: `User ${f.username} created.` }); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const toggle = async (u: User) => { try { await people.setDisabled(u.id, !u.disabled); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); } };
  return (
    <section>
      <h1>Users</h1>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Users" rows={users ?? []}
        columns={[['username', (u) => u.username], ['name', (u) => u.display_name], ['role', (u) => words(u.role)], ['disabled', (u) => yesNo(u.disabled)], ['has PIN', (u) => yesNo(u.has_pin)]]}
        actions={(u) => <Button onClick={() => toggle(u)} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}>{u.disabled ? 'Enable' : 'Disable'}</Button>} />
      <h2>New user</h2>
      <form class="row wrap" onSubmit={create}>
        <Field label="New username" value={f.username} onInput={(e) => setF({ ...f, username: e.currentTarget.value })} />
        <Field label="Display name" value={f.display_name} onInput={(e) => setF({ ...f, display_name: e.currentTarget.value })} />
        <Select label="Role" value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })} options={roles} />
        <Field label="Initial password" type="password" value={f.password} onInput={(e) => setF({ ...f, password: e.currentTarget.value })} />
        <Field label="Register PIN" inputMode="numeric" value={f.pin} onInput={(e) => setF({ ...f, pin: e.currentTarget.value })} />
        <Button type="submit">Create user</Button>
      </form>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </section>
  );
}

export function Keys() {
  const [keys, err, reload] = useLoad(() => people.keys());
  const [f, setF] = useState({ name: '', role: 'cashier' });
  const [secret, setSecret] = useState('');
  const [msg, setMsg] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    try { const r = await people.createKey(f); setSecret(r.key ?? ''); reload(); } catch (x) { setMsg(message(x)); }
  };
  const revoke = async (id: string) => { try { await people.revokeKey(id); reload(); } catch (x) { setMsg(message(x)); } };
  return (
    <section>
      <h1>API keys</h1>
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      <DataTable name="API keys" rows={keys ?? []}
        columns={[['name', (k) => k.name], ['role', (k) => words(k.role)], ['status', (k) => k.status], ['created', (k) => `${when(k.created_at)} by ${k.created_by}`], ['last used', (k) => when(k.last_used_at)], ['expires', (k) => when(k.expires_at)]]}
        actions={(k) => !k.revoked_at && <Button variant="danger" onClick={() => revoke(k.id)} aria-label={`Revoke ${k.name}`}>Revoke</Button>} />
      <form class="row" onSubmit={create}>
        <Field label="Key name" value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
        <Select label="Key role" value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })} options={roles} />
        <Button type="submit">Create key</Button>
      </form>
      {secret && <Notice kind="ok">New key (shown once): <code>{secret}</code></Notice>}
    </section>
  );
}
