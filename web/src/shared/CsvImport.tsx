// A spreadsheet import a shop runs at cutover (opening stock, suppliers): choosing the file
// checks it at once (a dry run: what each row would do, what is wrong, per row and column);
// nothing is written until the person presses Import, and one bad row writes nothing.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, message } from '../api';
import { Button, type Column, DataTable, Notice } from './components';

export interface ImportProblem { line: number; column: string; code: string; reason: string }
export interface ImportReport { rows: number; applied: boolean; lines: unknown[]; errors: ImportProblem[] }

function isReport(v: unknown): v is ImportReport {
  return typeof v === 'object' && v !== null && Array.isArray((v as ImportReport).lines) && Array.isArray((v as ImportReport).errors);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function CsvImport<R extends ImportReport, L>({ name, id, label, hint, send, lines, columns, checked, action, done }: {
  /** The section's name; the tables are "<name> problems" and "<name> rows". */
  name: string; id: string; label: string; hint: ComponentChildren;
  send: (csv: string, dryRun: boolean) => Promise<R>;
  lines: (r: R) => L[]; columns: Column<L>[];
  /** What a clean check found, after the file's name ("3 rows checked — 2 to add"). */
  checked: (r: R) => string;
  /** The import button's words ("Import 2 items"); null when there is nothing to import. */
  action: (r: R) => string | null;
  /** What the import did. */
  done: (r: R) => string;
}) {
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (text: string, dryRun: boolean) => {
    setBusy(true);
    setErr('');
    try {
      setReport(await send(text, dryRun));
    } catch (x) {
      if (x instanceof ApiError && isReport(x.problem)) setReport(x.problem as unknown as R);
      else { setReport(null); setErr(message(x)); }
    } finally {
      setBusy(false);
    }
  };
  const pick = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setReport(null); // the last file's report is not this one's
    const text = await file.text();
    setCsv({ name: file.name, text });
    input.value = '';
    await run(text, true);
  };
  const clean = report && !report.applied && report.errors.length === 0;
  const verb = clean ? action(report) : null;
  const shown = report ? lines(report) : [];
  return (
    <section aria-label={name}>
      <h2>{name}</h2>
      <div class="field">
        <label for={id}>{label}</label>
        <input id={id} type="file" accept=".csv,text/csv" onChange={pick} disabled={busy} />
        <small class="hint">{hint} The file is checked first; nothing is written until you import it.</small>
      </div>
      {err && <Notice kind="error">{err}</Notice>}
      {report && report.errors.length > 0 && (
        <>
          <Notice kind="error">{csv?.name}: {plural(report.errors.length, 'row has a problem', 'rows have problems')}. Nothing was imported: fix the file and choose it again.</Notice>
          <DataTable name={`${name} problems`} rows={report.errors}
            columns={[['line', (r) => String(r.line), true], ['column', (r) => r.column || '—'], ['problem', (r) => r.reason]]} />
        </>
      )}
      {report && report.applied && <Notice kind="ok">{done(report)}</Notice>}
      {clean && (
        <>
          <Notice kind="info">{csv?.name}: {checked(report)}</Notice>
          {verb && <Button variant="primary" big disabled={busy || !csv} onClick={() => csv && run(csv.text, false)}>{verb}</Button>}
        </>
      )}
      {shown.length > 0 && <DataTable name={`${name} rows`} rows={shown.slice(0, 200)} columns={columns} />}
    </section>
  );
}
