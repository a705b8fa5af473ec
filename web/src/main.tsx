import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, message, onConnectivity, setCsrf } from './api';
import { Button, Field, Notice } from './components';
import { Register } from './register';
import { BackOffice } from './office';
import './style.css';

export interface Session {
  user: { id: string; username: string; display_name: string; role: string };
  permissions: string[];
  csrf_token: string | null;
  expires_at: string | null;
}

export const can = (s: Session, p: string) => s.permissions.includes(p);

export function navigate(path: string) {
  if (location.pathname !== path) history.pushState(null, '', path);
  window.dispatchEvent(new Event('br:navigate'));
}

function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    window.addEventListener('popstate', on);
    window.addEventListener('br:navigate', on);
    return () => { window.removeEventListener('popstate', on); window.removeEventListener('br:navigate', on); };
  }, []);
  return path;
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [usePin, setUsePin] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const body = usePin ? { username, pin: secret } : { username, password: secret };
      onSignedIn(await api.post<Session>('/session', body));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong user name or ' + (usePin ? 'PIN.' : 'password.') : message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form onSubmit={submit} class="card">
        <h1>Backroom</h1>
        <p class="muted">Sign in to the register or the back office.</p>
        <Field label="Username" autocomplete="username" value={username} autofocus
          onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field label={usePin ? 'PIN' : 'Password'} type="password" inputMode={usePin ? 'numeric' : undefined}
          autocomplete={usePin ? 'off' : 'current-password'} value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        <label class="check"><input type="checkbox" checked={usePin} onChange={(e) => setUsePin(e.currentTarget.checked)} /> Use register PIN</label>
        {error && <Notice kind="error">{error}</Notice>}
        <Button type="submit" variant="primary" big disabled={busy}>Sign in</Button>
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [online, setOnline] = useState(true);
  const path = usePath();

  useEffect(() => onConnectivity(setOnline), []);
  useEffect(() => {
    api.get<Session>('/session')
      .then((s) => { setCsrf(s.csrf_token); setSession(s); })
      .catch(() => setSession(null));
  }, []);
  // While offline, probe the server so the banner clears by itself.
  useEffect(() => {
    if (online) return;
    const t = setInterval(() => { api.get('/session').catch(() => {}); }, 3000);
    return () => clearInterval(t);
  }, [online]);

  const signedIn = (s: Session) => {
    setCsrf(s.csrf_token);
    setSession(s);
    const sells = can(s, 'sales.create');
    navigate(sells && !path.startsWith('/office') ? '/register' : path.startsWith('/office') ? path : '/office');
  };
  const signOut = async () => {
    try { await api.del('/session'); } catch { /* the cookie expires anyway */ }
    setCsrf(null);
    setSession(null);
    navigate('/');
  };

  const banner = !online && (
    <div class="offline" role="alert">Cannot reach the server — your cart is kept; retrying…</div>
  );
  if (session === undefined) return <main class="loading" aria-busy="true">Loading…</main>;
  if (session === null) return <>{banner}<SignIn onSignedIn={signedIn} /></>;

  const office = path.startsWith('/office') || !can(session, 'sales.create');
  return (
    <>
      {banner}
      {office
        ? <BackOffice session={session} path={path} onSignOut={signOut} />
        : <Register session={session} onSignOut={signOut} onSwitchUser={(s) => signedIn(s)} />}
    </>
  );
}

render(<App />, document.getElementById('app')!);
