// What this device remembers between reloads (localStorage, keys prefixed "br."). A value that
// does not parse or fails its check reads as the default.

export function load<T>(key: string, fallback: T, valid: (v: unknown) => v is T = (_v): _v is T => true): T {
  try {
    const raw = localStorage.getItem('br.' + key);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function save(key: string, value: unknown): void {
  if (value === null || value === undefined) localStorage.removeItem('br.' + key);
  else localStorage.setItem('br.' + key, JSON.stringify(value));
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
