// The register screen: which store and register this device is (asked once, remembered),
// then the till.
import { useEffect, useState } from 'preact/hooks';
import { message, permission, type Session, setup } from '../api';
import { can } from '../app/session';
import { Notice } from '../shared/components';
import { load, save } from '../shared/storage';
import { type Device, DeviceSetup, deviceOf, isDevice } from './DeviceSetup';
import { Register } from './Register';

export function RegisterScreen({ session, onSignOut, onSwitchUser }: { session: Session; onSignOut: () => void; onSwitchUser: (s: Session) => void }) {
  const [device, setDevice] = useState<Device | null | undefined>(() => load<Device | null>('device', null, isDevice) ?? undefined);
  const [changing, setChanging] = useState(false);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (device) return;
    // A shop with exactly one register has nothing to choose.
    setup.registers().then((all) => setDevice(all.length === 1 ? deviceOf(all[0]) : null)).catch((e) => setErr(message(e)));
  }, []);
  useEffect(() => { if (device) save('device', device); }, [device]);
  if (err) return <main class="loading"><Notice kind="error">{err}</Notice></main>;
  if (device === undefined) return <main class="loading" aria-busy="true">Loading…</main>;
  if (device === null || changing) {
    return <DeviceSetup current={device} onChosen={(d) => { setDevice(d); setChanging(false); }} onCancel={device ? () => setChanging(false) : undefined} />;
  }
  return <Register key={device.registerId} session={session} locationId={device.locationId} locationName={device.locationName}
    registerId={device.registerId} registerName={device.registerName}
    onChangeDevice={can(session, permission.locations_manage) ? () => setChanging(true) : undefined}
    onSignOut={onSignOut} onSwitchUser={onSwitchUser} />;
}
