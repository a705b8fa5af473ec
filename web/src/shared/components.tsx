// A small component set: buttons with shortcut hints, labelled fields, dialogs, tables.
import type { ComponentChildren, JSX, Ref } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

type ButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  kbd?: string;
  variant?: 'primary' | 'danger' | 'quiet' | 'plain';
  big?: boolean;
};

/** The shortcut hint is aria-hidden so the accessible name stays exactly the label. */
export function Button({ kbd, variant = 'plain', big, children, class: cls, type, ...rest }: ButtonProps) {
  return (
    <button type={type ?? 'button'} class={`btn btn-${variant}${big ? ' btn-big' : ''}${cls ? ' ' + cls : ''}`} {...rest}>
      <span>{children}</span>
      {kbd && <kbd aria-hidden="true">{kbd}</kbd>}
    </button>
  );
}

type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; inputRef?: Ref<HTMLInputElement> };
let fieldSeq = 0;
export function Field({ label, hint, inputRef, id, ...rest }: FieldProps) {
  const own = useRef(`f${++fieldSeq}`);
  const fid = typeof id === 'string' ? id : own.current;
  return (
    <div class="field">
      <label for={fid}>{label}</label>
      <input id={fid} ref={inputRef} {...rest} />
      {hint && <small class="hint">{hint}</small>}
    </div>
  );
}

type SelectProps = JSX.SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: (string | [string, string])[]; hint?: string };
export function Select({ label, options, hint, ...rest }: SelectProps) {
  const own = useRef(`s${++fieldSeq}`);
  return (
    <div class="field">
      <label for={own.current}>{label}</label>
      <select id={own.current} {...rest}>
        {options.map((o) => (Array.isArray(o) ? <option value={o[0]}>{o[1]}</option> : <option value={o}>{o}</option>))}
      </select>
      {hint && <small class="hint">{hint}</small>}
    </div>
  );
}

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useRef(`d${++fieldSeq}`);
  // A layout effect, not an effect: Escape pressed the moment the dialog appears (a cashier's
  // reflex) must already find its listener.
  useLayoutEffect(() => {
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[autofocus]')
      ?? el?.querySelector<HTMLElement>('input:not([readonly]), select, textarea, button:not(.dialog-close)');
    first?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); onClose(); } };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="backdrop">
      <div class={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId.current} ref={ref}>
        <header>
          <h2 id={titleId.current}>{title}</h2>
          <button type="button" class="dialog-close" aria-label="Close" onClick={onClose}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'error' | 'ok' | 'info' | 'warn'; children: ComponentChildren }) {
  return <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

/** One column: its heading and how a row shows in it. */
export type Column<R> = [heading: string, cell: (row: R) => ComponentChildren, numeric?: boolean];

/** A table of rows with named columns and an optional actions column. */
export function DataTable<R>({ name, rows, columns, actions }: {
  name: string;
  rows: R[];
  columns: Column<R>[];
  actions?: (row: R) => ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table aria-label={name} class="data">
        <thead><tr>{columns.map(([h, , n]) => <th scope="col" class={n ? 'num' : undefined}>{h}</th>)}{actions && <th scope="col"><span class="sr-only">Actions</span></th>}</tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={columns.length + (actions ? 1 : 0)} class="empty">Nothing here.</td></tr>}
          {rows.map((r) => (
            <tr>
              {columns.map(([, f, n]) => <td class={n ? 'num' : undefined}>{f(r)}</td>)}
              {actions && <td class="actions">{actions(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const yesNo = (v: boolean | null | undefined) => (v ? 'yes' : 'no');
