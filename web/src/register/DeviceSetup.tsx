// "Which store and register is this device?" — asked the first time a browser opens the
// register (unless the shop has a single register), remembered on the device, changeable by
// a manager.
import { useEffect, useState } from 'preact/hooks';
import { type Location, message, type RegisterInfo, setup, stock } from '../api';
import { Button, Notice, Select } from '../shared/components';
import { navigate } from '../app/session';
import { isObject, isString } from '../shared/storage';

export interface Device { locationId: string; locationName: string; registerId: string; registerName: string }
export const isDevice = (v: unknown): v is Device =>
  isObject(v) && isString(v.locationId) && isString(v.locationName) && isString(v.registerId) && isString(v.registerName);
export const deviceOf = (r: RegisterInfo): Device => ({ locationId: r.location.id, locationName: r.location.name, registerId: r.id, registerName: r.name });

export function DeviceSetup({ current, onChosen, onCancel }: { current: Device | null; onChosen: (d: Device) => void; onCancel?: () => void }) {
  const [stores, setStores] = useState<Location[]>([]);
  const [locationId, setLocationId] = useState(current?.locationId ?? '');
  const [regs, setRegs] = useState<RegisterInfo[] | null>(null);
  const [registerId, setRegisterId] = useState(current?.registerId ?? '');
  const [err, setErr] = useState('');
  useEffect(() => {
    stock.locations().then((all) => {
      const s = all.filter((l) => l.sellable);
      setStores(s);
      if (!locationId && s[0]) setLocationId(s[0].id);
    }).catch((e) => setErr(message(e)));
  }, []);
  useEffect(() => {
    if (!locationId) return;
    setRegs(null);
    setup.registers(locationId).then((r) => {
      setRegs(r);
      setRegisterId((id) => (r.some((x) => x.id === id) ? id : r[0]?.id ?? ''));
    }).catch((e) => setErr(message(e)));
  }, [locationId]);
  const reg = regs?.find((r) => r.id === registerId);
  return (
    <main class="signin">
      <form class="card device-setup" aria-label="This register" onSubmit={(e) => { e.preventDefault(); if (reg) onChosen(deviceOf(reg)); }}>
        <h1>Which register is this?</h1>
        <p class="muted">Asked once: this device remembers it. A manager can change it later.</p>
        <Select label="Store" value={locationId} onChange={(e) => setLocationId(e.currentTarget.value)} options={stores.map((s) => [s.id, s.name])} />
        {regs && regs.length === 0 && <Notice kind="warn">This store has no register yet: a manager adds one under Back office → Store set-up.</Notice>}
        {regs && regs.length > 0 && <Select label="Register" value={registerId} onChange={(e) => setRegisterId(e.currentTarget.value)} options={regs.map((r) => [r.id, r.name])} />}
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary" big disabled={!reg}>Use this register</Button>
        {onCancel && current && <Button onClick={onCancel}>Keep {current.registerName}</Button>}
        <p><a href="/office" onClick={(e) => { e.preventDefault(); navigate('/office'); }}>Back office</a></p>
      </form>
    </main>
  );
}
