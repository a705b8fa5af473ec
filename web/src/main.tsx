import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, message, OfflineError, onConnectivity, onSignInExpired, permission, type Session, sessions, setCsrf } from './api';
import { can, navigate, usePath } from './app/session';
import { BackOffice } from './office/BackOffice';
import { HelpPage } from './help/CheatSheet';
import { SubstitutionPage } from './public/SubstitutionPage';
import { RegisterScreen } from './register';
import { Button, Dialog, Field, Notice } from './shared/components';
import { isObject, load, save } from './shared/storage';
import './shared/style.css';

function SignInForm({ onSignedIn, username: fixedUser }: { onSignedIn: (s: Session) => void; username?: string }) {
  const [username, setUsername] = useState(fixedUser ?? '');
  const [secret, setSecret] = useState('');
  const [usePin, setUsePin] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onSignedIn(await sessions.signIn(usePin ? { username, pin: secret } : { username, password: secret }));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong user name or ' + (usePin ? 'PIN.' : 'password.') : message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      {/* Signing in again is the same person (the cart is theirs): the name is fixed and the
          cursor waits in the password, so a scan that lands as the dialog opens cannot rename them. */}
      <Field label="Username" autocomplete="username" value={username} autofocus={!fixedUser} readOnly={!!fixedUser}
        onInput={(e) => setUsername(e.currentTarget.value)} />
      <Field label={usePin ? 'PIN' : 'Password'} type="password" inputMode={usePin ? 'numeric' : undefined} autofocus={!!fixedUser}
        autocomplete={usePin ? 'off' : 'current-password'} value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
      <label class="check"><input type="checkbox" checked={usePin} onChange={(e) => setUsePin(e.currentTarget.checked)} /> Use register PIN</label>
      {error && <Notice kind="error">{error}</Notice>}
      <Button type="submit" variant="primary" big disabled={busy}>Sign in</Button>
    </form>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  return (
    <main class="signin">
      <div class="card">
        <h1>Backroom</h1>
        <p class="muted">Sign in to the register or the back office.</p>
        <SignInForm onSignedIn={onSignedIn} />
      </div>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [online, setOnline] = useState(true);
  const [expired, setExpired] = useState(false);
  const path = usePath();

  useEffect(() => onConnectivity(setOnline), []);
  useEffect(() => onSignInExpired(() => setExpired(true)), []);
  useEffect(() => {
    sessions.current()
      .then((s) => { setCsrf(s.csrf_token); setSession(s); })
      // Offline (a reload without network): the register carries on as the user last signed in
      // here (kept without its CSRF token); the server checks the cookie when it is back.
      .catch((e) => setSession(e instanceof OfflineError ? load<Session | null>('lastSession', null, (v): v is Session | null => v === null || isObject(v)) : null));
  }, []);
  // While offline, probe the server so the banner clears by itself.
  useEffect(() => {
    if (online) return;
    const probe = () => { sessions.current({ deadlineMs: 3000 }).catch(() => {}); };
    const t = setInterval(probe, 3000);
    // The browser has a network again: ask at once rather than at the next tick.
    addEventListener('online', probe);
    return () => { clearInterval(t); removeEventListener('online', probe); };
  }, [online]);

  useEffect(() => { if (session !== undefined) save('lastSession', session ? { ...session, csrf_token: '' } : null); }, [session]);

  const signedIn = (s: Session) => {
    setCsrf(s.csrf_token);
    setSession(s);
    setExpired(false);
    const sells = can(s, permission.sales_create);
    navigate(sells && !path.startsWith('/office') ? '/register' : path.startsWith('/office') ? path : '/office');
  };
  // Signing in again after an expiry keeps the screen (and the cart) exactly as it was.
  const signedInAgain = (s: Session) => {
    setCsrf(s.csrf_token);
    setSession(s);
    setExpired(false);
  };
  const signOut = async () => {
    try { await sessions.signOut(); } catch { /* the cookie expires anyway */ }
    setCsrf(null);
    setSession(null);
    setExpired(false);
    navigate('/');
  };

  const banner = !online && (
    <div class="offline" role="alert">Cannot reach the server — your cart is kept; retrying…</div>
  );
  if (session === undefined) return <main class="loading" aria-busy="true">Loading…</main>;
  if (session === null) return <>{banner}<SignIn onSignedIn={signedIn} /></>;

  if (path === '/help' || path.startsWith('/help/')) {
    const back = () => navigate(can(session, permission.sales_create) ? '/register' : '/office');
    return <>{banner}<HelpPage role={session.user.role} path={path} onBack={back} /></>;
  }
  const office = path.startsWith('/office') || !can(session, permission.sales_create);
  return (
    <>
      {banner}
      {office
        ? <BackOffice session={session} path={path} onSignOut={signOut} />
        : <RegisterScreen session={session} onSignOut={signOut} onSwitchUser={signedIn} />}
      {expired && (
        <Dialog title="Your sign-in has expired" onClose={() => {}}>
          <Notice kind="warn">You were signed out after a while without use. Sign in again to carry on: the cart and this screen are kept.</Notice>
          <SignInForm onSignedIn={signedInAgain} username={session.user.username} />
        </Dialog>
      )}
    </>
  );
}

// The installable app: the service worker (web/public/sw.js) serves the app shell offline.
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);

// A customer's substitution link needs no sign-in: it is its own page.
const offerToken = /^\/substitute\/([0-9a-f]{48})$/.exec(location.pathname)?.[1];
const root = document.getElementById('app');
if (root) render(offerToken ? <SubstitutionPage token={offerToken} /> : <App />, root);
