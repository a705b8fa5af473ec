// The only way the page talks to the server: /api/v1 with the session cookie and, on
// writes, the X-CSRF-Token header. Errors are RFC 9457 problems. Every route is named by its
// OpenAPI path template ('/sales/{id}'); scripts/check-api.mjs proves each template and method
// the client uses exists in docs/openapi.yaml, so the client cannot call a route the server
// does not document.

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

type Listener<T> = (v: T) => void;
function channel<T>() {
  const listeners = new Set<Listener<T>>();
  return {
    on(l: Listener<T>) { listeners.add(l); return () => { listeners.delete(l); }; },
    emit(v: T) { for (const l of listeners) l(v); },
  };
}
const connectivity = channel<boolean>();
// Requests are numbered as they leave. An answer to a request sent before the last one that
// could not reach the server is old news: it does not announce the server back (a reply in
// flight when the network dropped would otherwise flip the register online and back).
let sentCount = 0;
let lastUnreachable = 0;
const unreachable = (mine: number) => { lastUnreachable = Math.max(lastUnreachable, mine); connectivity.emit(false); };
// The browser knows some cuts before any request fails (Wi-Fi lost, a cable out): those count at
// once, so the first scan after them reads the copy instead of waiting for a request to fail.
// Its "online" is no proof the server answers, so only a request's answer announces it back.
// (Not in Node, where scripts/cheatsheet-pdf.mjs loads the key definitions that import this.)
if (typeof addEventListener === 'function') addEventListener('offline', () => unreachable(++sentCount));
const expiry = channel<Problem>();
/** Called with false when a request cannot reach the server, true when one does. */
export const onConnectivity = connectivity.on;
/** Called when a signed-in request is refused because the sign-in has expired (401). */
export const onSignInExpired = expiry.on;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type PathParams = Record<string, string>;
export type Query = Record<string, string | number | boolean | undefined | null>;

export function q(params: Query): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? '?' + t : '';
}

/** '/sales/{id}' + {id} → '/sales/0192…' (each value URI-encoded). */
export function fill(template: string, params: PathParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`missing path parameter ${k} for ${template}`);
    return encodeURIComponent(v);
  });
}

export interface Answer<T> { body: T; etag: string | null }

/** A body sent as it is (a CSV file, a photo) instead of as JSON. */
class RawBody { constructor(public text: string | Blob, public type: string) {} }

/**
 * A request that is not answered within its deadline counts as one that could not reach the
 * server (OfflineError): a network that drops without refusing (a dead uplink behind a live
 * router) would otherwise leave a scan or a sale waiting for minutes. Only the register's calls
 * carry one; a back-office report may take as long as it takes.
 */
function deadlineSignal(ms: number | undefined): AbortSignal | undefined {
  return ms === undefined ? undefined : AbortSignal.timeout(ms);
}
/**
 * Background work (the catalog copy's pages, status polls) never waits longer than this: the
 * browser opens at most six connections to the server, and requests that hang on a dead network
 * would hold them and queue the cashier's own requests behind them.
 */
const backgroundDeadlineMs = 15_000;

async function send<T>(method: Method, path: string, body: unknown, headers: Record<string, string>, o: Pick<CallOptions, 'background' | 'deadlineMs'> = {}): Promise<Answer<T>> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (method !== 'GET' && csrf) h['x-csrf-token'] = csrf;
  const init: RequestInit = { method, headers: h, credentials: 'same-origin', signal: deadlineSignal(o.deadlineMs ?? (o.background ? backgroundDeadlineMs : undefined)) };
  if (body instanceof RawBody) {
    init.body = body.text;
    h['content-type'] = body.type;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  const mine = ++sentCount;
  let res: Response;
  let text: string;
  try {
    res = await fetch('/api/v1' + path, init);
    // The deadline covers the body too: headers that arrive and a body that stalls are no answer.
    text = await res.text();
  } catch {
    unreachable(mine);
    throw new OfflineError();
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    unreachable(mine);
    throw new OfflineError();
  }
  if (mine > lastUnreachable) connectivity.emit(true);
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const j = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : null;
    const p: Problem = j
      ? { ...j, status: res.status, code: typeof j.code === 'string' ? j.code : 'error', detail: typeof j.detail === 'string' ? j.detail : res.statusText }
      : { status: res.status, code: 'error', detail: text || res.statusText };
    // Work the person did not ask for (keeping the offline catalog fresh) does not open the
    // sign-in dialog under their hands: their own next request does.
    if (res.status === 401 && path !== '/session' && !o.background) expiry.emit(p);
    throw new ApiError(p);
  }
  return { body: json as T, etag: res.headers.get('etag') };
}

export interface CallOptions {
  path?: PathParams; query?: Query; headers?: Record<string, string>;
  /** A request made in the background: a 401 is thrown to the caller but does not announce an expired sign-in. */
  background?: boolean;
  /** Milliseconds to wait for the whole answer; past it the request throws OfflineError (deadlineSignal). */
  deadlineMs?: number;
}

// One function per HTTP method; the first argument is always the literal OpenAPI template.
export const get = <T>(template: string, o: CallOptions = {}) =>
  send<T>('GET', fill(template, o.path) + q(o.query ?? {}), undefined, o.headers ?? {}, o).then((a) => a.body);
export const getWithEtag = <T>(template: string, o: CallOptions = {}) =>
  send<T>('GET', fill(template, o.path) + q(o.query ?? {}), undefined, o.headers ?? {}, o);
export const post = <T>(template: string, body: unknown, o: CallOptions = {}) =>
  send<T>('POST', fill(template, o.path) + q(o.query ?? {}), body, o.headers ?? {}, o).then((a) => a.body);
export const put = <T>(template: string, body: unknown, o: CallOptions = {}) =>
  send<T>('PUT', fill(template, o.path), body, o.headers ?? {}, o).then((a) => a.body);
export const patch = <T>(template: string, body: unknown, o: CallOptions = {}) =>
  send<T>('PATCH', fill(template, o.path), body, o.headers ?? {}, o).then((a) => a.body);
export const del = <T>(template: string, o: CallOptions = {}) =>
  send<T>('DELETE', fill(template, o.path), undefined, o.headers ?? {}, o).then((a) => a.body);
/** A CSV file posted as text/csv (price lists); the answer is JSON. */
export const postCsv = <T>(template: string, csv: string, o: CallOptions = {}) =>
  send<T>('POST', fill(template, o.path) + q(o.query ?? {}), new RawBody(csv, 'text/csv'), o.headers ?? {}, o).then((a) => a.body);
/** A file posted as itself (a photo: image/jpeg...); the answer is JSON. */
export const postFile = <T>(template: string, file: Blob, o: CallOptions = {}) =>
  send<T>('POST', fill(template, o.path) + q(o.query ?? {}), new RawBody(file, file.type || 'application/octet-stream'), o.headers ?? {}, o).then((a) => a.body);
/** A file put as itself (an item's photo: image/jpeg...); the answer is JSON. */
export const putFile = <T>(template: string, file: Blob, o: CallOptions = {}) =>
  send<T>('PUT', fill(template, o.path), new RawBody(file, file.type || 'application/octet-stream'), o.headers ?? {}, o).then((a) => a.body);
/** A link the browser opens itself (printable receipts, label previews): GET only. */
export const link = (template: string, o: CallOptions = {}) => '/api/v1' + fill(template, o.path) + q(o.query ?? {});

/** A binary answer (PDF labels) as a Blob. */
export async function postForBlob(template: string, body: unknown, o: CallOptions = {}): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch('/api/v1' + fill(template, o.path), {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() }, body: JSON.stringify(body),
    });
  } catch {
    connectivity.emit(false);
    throw new OfflineError();
  }
  if (!res.ok) {
    const o2 = await res.json().catch(() => null) as Record<string, unknown> | null;
    throw new ApiError({ status: res.status, code: typeof o2?.code === 'string' ? o2.code : 'error', detail: typeof o2?.detail === 'string' ? o2.detail : res.statusText });
  }
  return res.blob();
}

export function message(e: unknown): string {
  if (e instanceof ApiError) return e.problem.detail || e.problem.code;
  if (e instanceof OfflineError) return 'Cannot reach the server.';
  return e instanceof Error ? e.message : String(e);
}
