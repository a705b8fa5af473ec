// Loads something for a screen; reload() fetches it again.
import { useEffect, useState } from 'preact/hooks';
import { catalog, type Location, message, stock } from '../api';

export function useLoad<T>(fn: () => Promise<T>, deps: unknown[] = []): [T | null, string, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [err, setErr] = useState('');
  const [n, setN] = useState(0);
  useEffect(() => { setErr(''); fn().then(setData).catch((e) => setErr(message(e))); }, [...deps, n]);
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
