// The only way the page talks to the server: /api/v1 with the session cookie and, on
// writes, the X-CSRF-Token header. Errors are RFC 9457 problems.

export interface Problem {
  status: number;
  code: string;
  detail: string;
  field?: string;
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(public problem: Problem) {
    super(problem.detail || problem.code);
  }
  get status() { return this.problem.status; }
  get code() { return this.problem.code; }
  get field() { return this.problem.field; }
}

/** Thrown when the server cannot be reached at all (network down, server stopped, 502-504). */
export class OfflineError extends Error {
  constructor() { super('Cannot reach the server'); }
}

let csrf: string | null = null;
export function setCsrf(token: string | null) { csrf = token; }
export const csrfToken = () => csrf ?? '';

export type Listener = (online: boolean) => void;
const listeners = new Set<Listener>();
export function onConnectivity(l: Listener) { listeners.add(l); return () => listeners.delete(l); }
function report(online: boolean) { for (const l of listeners) l(online); }

export async function request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) (init.headers as Record<string, string>)['x-csrf-token'] = csrf;
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch {
    report(false);
    throw new OfflineError();
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    report(false);
    throw new OfflineError();
  }
  report(true);
  const text = await res.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const p: Problem = json && typeof json === 'object'
      ? { status: res.status, code: json.code ?? 'error', detail: json.detail ?? res.statusText, ...json }
      : { status: res.status, code: 'error', detail: text || res.statusText };
    throw new ApiError(p);
  }
  (json ?? {}).__etag = res.headers.get('etag') ?? undefined;
  return json as T;
}

export const api = {
  get: <T = any>(p: string) => request<T>('GET', p),
  post: <T = any>(p: string, b?: unknown, h?: Record<string, string>) => request<T>('POST', p, b ?? {}, h),
  put: <T = any>(p: string, b?: unknown) => request<T>('PUT', p, b),
  patch: <T = any>(p: string, b: unknown, h?: Record<string, string>) => request<T>('PATCH', p, b, h),
  del: <T = any>(p: string) => request<T>('DELETE', p),
};

export function q(params: Record<string, string | number | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? '?' + t : '';
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.problem.detail || e.problem.code;
  if (e instanceof OfflineError) return 'Cannot reach the server.';
  return e instanceof Error ? e.message : String(e);
}

/** UUIDv7: 48-bit milliseconds, version 7, variant 10, random rest. */
export function uuidv7(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Money is integer minor units (cents) on the wire.
export function money(minor: number | null | undefined): string {
  if (minor === null || minor === undefined) return '—';
  const neg = minor < 0;
  const a = Math.abs(minor);
  return (neg ? '−' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
}

/** "12.3" / "12,30" / "5" → minor units, or null. */
export function parseMoney(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{0,2})?$/.test(t)) return null;
  const [w, f = ''] = t.split('.');
  return Number(w) * 100 + Number((f + '00').slice(0, 2));
}

export function qty(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '');
}

export function when(t: string | null | undefined): string {
  if (!t) return '—';
  const d = new Date(t);
  return isNaN(d.getTime()) ? t : d.toLocaleString();
}
