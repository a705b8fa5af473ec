// Loads something for a screen; reload() fetches it again.
import { useEffect, useState } from 'preact/hooks';
import { catalog, type Location, message, stock } from '../api';

export function useLoad<T>(fn: () => Promise<T>, deps: unknown[] = []): [T | null, string, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [err, setErr] = useState('');
  const [n, setN] = useState(0);
  // Only the latest load's answer is kept: a filter changed twice quickly (a select stepped by
  // keyboard) sends two loads, and the first may answer last under load (browser.promotions).
  useEffect(() => {
    let latest = true;
    setErr('');
    fn().then((d) => { if (latest) setData(d); }).catch((e) => { if (latest) setErr(message(e)); });
    return () => { latest = false; };
  }, [...deps, n]);
  return [data, err, () => setN((x) => x + 1)];
}

export function useLocations(): Location[] {
  const [data] = useLoad(() => stock.locations());
  return data ?? [];
}

/** A location's name for a person (never its id); a bin's name already names its site. */
export function locationName(locations: Location[], id: string): string {
  return locations.find((x) => x.id === id)?.name ?? 'another location';
}

/** Names of the items with these ids, fetched once each. */
export function useItemNames(ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = [...new Set(ids)].filter((id) => !(id in names));
    if (!missing.length) return;
    Promise.all(missing.map((id) => catalog.item(id).then((i) => [id, `${i.name} (${i.sku})`] as const).catch(() => [id, 'unknown item'] as const)))
      .then((pairs) => setNames((n) => ({ ...n, ...Object.fromEntries(pairs) })));
  }, [key]);
  return names;
}
