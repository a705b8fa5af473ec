// Money, quantities, times and document ids as a person reads and types them.

/** Money is integer minor units (cents) on the wire. */
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

export function qty(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '');
}

export function when(t: string | null | undefined): string {
  if (!t) return '—';
  const d = new Date(t);
  return isNaN(d.getTime()) ? t : d.toLocaleString();
}

// One formatter made when the app loads: the first toLocaleTimeString with options loads the
// locale's data (about 20 ms in Chromium here), which the register's first offline scan paid
// when its banner first said "Offline since ..." (docs/performance.md, "Offline register").
const hourMinute = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hour12: false });

/** The time of day as 24-hour "HH:MM" in the browser's locale. */
export const clockTime = (t: number | string | Date) => hourMinute.format(new Date(t));

export const words = (code: string) => code.replace(/_/g, ' ');

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
