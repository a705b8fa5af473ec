// The register screen: finds the store this device sells from, then shows the till.
import { useEffect, useState } from 'preact/hooks';
import { type Location, message, type Session, stock } from '../api';
import { Notice } from '../shared/components';
import { isString, load, save } from '../shared/storage';
import { Register } from './Register';

export function RegisterScreen({ session, onSignOut, onSwitchUser }: { session: Session; onSignOut: () => void; onSwitchUser: (s: Session) => void }) {
  const [store, setStore] = useState<Location | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    stock.locations().then((all) => {
      const sellable = all.filter((l) => l.sellable);
      const remembered = load('location', '', isString);
      const pick = sellable.find((l) => l.id === remembered) ?? sellable[0];
      if (!pick) { setErr('No store sells here yet: a manager sets one up in the back office.'); return; }
      save('location', pick.id);
      setStore(pick);
    }).catch((e) => setErr(message(e)));
  }, []);
  if (err) return <main class="loading"><Notice kind="error">{err}</Notice></main>;
  if (!store) return <main class="loading" aria-busy="true">Loading…</main>;
  return <Register session={session} locationId={store.id} locationName={store.name} onSignOut={onSignOut} onSwitchUser={onSwitchUser} />;
}
