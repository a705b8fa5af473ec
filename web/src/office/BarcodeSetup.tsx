// Scale labels and the shop's own barcodes (Store set-up): the price- and weight-embedded
// layouts a scale or a deli counter prints ("22 IIIII WWWWW C") and the internal prefixes the
// shop numbers its own EAN-13s from (GET/PUT /api/v1/settings/barcodes). The layouts are edited
// here and saved together; a label can be tried against them before saving (read in the browser
// with the register's reader, web/src/register/embedded.ts, the server's rules).
import { useState } from 'preact/hooks';
import { ApiError, type BarcodeSettings, catalog, type EmbeddedLayout, message, sentToHeadOffice, settings } from '../api';
import { Button, DataTable, Field, Notice, Select } from '../shared/components';
import { money, qty } from '../shared/format';
import { readEmbedded } from '../shared/embedded';
import { useLoad } from './useLoad';

type Msg = { kind: 'ok' | 'error'; text: string } | null;

/** "22 IIIII WWWWW C": the digits of a label as a person reads them off the scale's manual. */
export function pattern(l: EmbeddedLayout): string {
  const value = (l.value === 'weight' ? 'W' : 'P').repeat(Math.max(0, l.value_digits));
  return [l.prefix, 'I'.repeat(Math.max(0, l.item_digits)), ...(l.verifier ? ['V'] : []), value, 'C'].join(' ');
}

/** The layout's digits added up, and what is wrong with it in words (empty when it is coherent). */
export function layoutProblem(l: EmbeddedLayout): string {
  if (!/^\d{1,3}$/.test(l.prefix)) return 'The prefix is 1 to 3 digits, e.g. 22.';
  if (!(l.item_digits >= 1 && l.item_digits <= 10)) return 'The item code has 1 to 10 digits.';
  if (!(l.value_digits >= 1 && l.value_digits <= 6)) return 'The value has 1 to 6 digits.';
  if (l.verifier && l.value_digits !== 4 && l.value_digits !== 5) return 'A verifier digit needs a value of 4 or 5 digits.';
  if (!(l.decimals >= 0 && l.decimals <= 6)) return 'Decimals are 0 to 6.';
  const total = l.prefix.length + l.item_digits + (l.verifier ? 1 : 0) + l.value_digits + 1;
  return total === 13 ? '' : `Prefix ${l.prefix.length} + item ${l.item_digits}${l.verifier ? ' + verifier 1' : ''} + value ${l.value_digits} + check digit 1 make ${total} digits; a label has 13.`;
}

const decimalsText = (l: EmbeddedLayout) => (l.value === 'weight'
  ? (l.decimals === 3 ? 'kg, 3 decimals (grams)' : `kg, ${l.decimals} decimals`)
  : `${l.decimals} decimals`);

export function BarcodeSetup() {
  const [loaded, err] = useLoad(() => settings.barcodes(), []);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!loaded) return <p aria-busy="true">Loading the barcode settings…</p>;
  return <BarcodeForm saved={loaded} />;
}

/** The form's text, as typed (a cleared field stays empty rather than turning into a number). */
interface Draft { prefix: string; value: 'price' | 'weight'; item: string; digits: string; decimals: string; verifier: boolean }
const blank: Draft = { prefix: '', value: 'weight', item: '5', digits: '5', decimals: '3', verifier: false };
const whole = (text: string) => (/^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : NaN);
const toLayout = (d: Draft): EmbeddedLayout => ({
  prefix: d.prefix, value: d.value, item_digits: whole(d.item), value_digits: whole(d.digits), decimals: whole(d.decimals), verifier: d.verifier,
});
const toDraft = (l: EmbeddedLayout): Draft => ({
  prefix: l.prefix, value: l.value, item: String(l.item_digits), digits: String(l.value_digits), decimals: String(l.decimals), verifier: l.verifier,
});

function BarcodeForm({ saved: first }: { saved: BarcodeSettings }) {
  const [saved, setSaved] = useState(first);
  const [layouts, setLayouts] = useState(first.embedded_layouts);
  const [prefixes, setPrefixes] = useState(first.internal_prefixes.join(', '));
  const [draft, setDraft] = useState<Draft>(blank);
  const [editing, setEditing] = useState<number | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const [formMsg, setFormMsg] = useState('');
  const internal = prefixes.split(/[\s,]+/).filter(Boolean);
  const changed = JSON.stringify(layouts) !== JSON.stringify(saved.embedded_layouts) || internal.join() !== saved.internal_prefixes.join();
  const layout = toLayout(draft);
  const problem = layoutProblem(layout);

  const put = (e: Event) => {
    e.preventDefault();
    if (problem) { setFormMsg(problem); return; }
    const clash = layouts.findIndex((l, i) => i !== editing && l.prefix === draft.prefix);
    if (clash >= 0) { setFormMsg(`Prefix ${draft.prefix} already has a layout.`); return; }
    setLayouts(editing === null ? [...layouts, layout] : layouts.map((l, i) => (i === editing ? layout : l)));
    setDraft(blank);
    setEditing(null);
    setFormMsg('');
    setMsg(null);
  };
  const save = async () => {
    try {
      const answer = await settings.putBarcodes({ internal_prefixes: internal, embedded_layouts: layouts });
      // On a store node the layouts are head office's: the change waits for head office (docs/sync.md).
      if (sentToHeadOffice(answer)) {
        setMsg({ kind: 'ok', text: 'Sent to head office for approval: labels are read the new way here once head office applies it.' });
        return;
      }
      setSaved(answer as BarcodeSettings);
      setMsg({ kind: 'ok', text: 'Barcode settings saved: registers read labels this way from now on.' });
    } catch (x) {
      const field = x instanceof ApiError ? x.problem.field : undefined;
      const at = typeof field === 'string' ? /^embedded_layouts\[(\d+)\]/.exec(field) : null;
      setMsg({ kind: 'error', text: at ? `Layout ${layouts[Number(at[1])]?.prefix ?? ''}: ${message(x)}` : message(x) });
    }
  };

  return (
    <div>
      <h2>Scale labels and own barcodes</h2>
      <p class="muted">A scale or a deli counter prints a label that carries the item and its weight or price. Each layout says
        which digits are which. Changing a layout changes how labels already printed are read.</p>
      <DataTable name="Scale label layouts" rows={layouts.map((l, i) => ({ l, i }))}
        columns={[['prefix', ({ l }) => l.prefix], ['carries', ({ l }) => (l.value === 'weight' ? 'weight' : 'price')],
          ['digits', ({ l }) => <code>{pattern(l)}</code>], ['value', ({ l }) => decimalsText(l)]]}
        actions={({ l, i }) => <>
          <Button onClick={() => { setDraft(toDraft(l)); setEditing(i); setFormMsg(''); }} aria-label={`Edit layout ${l.prefix}`}>Edit</Button>
          <Button variant="danger" onClick={() => { setLayouts(layouts.filter((_, j) => j !== i)); if (editing === i) { setEditing(null); setDraft(blank); } }}
            aria-label={`Remove layout ${l.prefix}`}>Remove</Button>
        </>} />
      <form class="row" onSubmit={put} aria-label={editing === null ? 'Add a layout' : `Edit layout ${layouts[editing]?.prefix ?? ''}`}>
        <Field label="Prefix" inputMode="numeric" value={draft.prefix} onInput={(e) => setDraft({ ...draft, prefix: e.currentTarget.value.trim() })} hint="e.g. 22" />
        <Select label="Carries" value={draft.value} options={[['weight', 'weight'], ['price', 'price']]}
          onChange={(e) => { const value = e.currentTarget.value === 'price' ? 'price' : 'weight'; setDraft({ ...draft, value, decimals: value === 'price' ? '2' : '3' }); }} />
        <Field label="Item digits" inputMode="numeric" value={draft.item} onInput={(e) => setDraft({ ...draft, item: e.currentTarget.value })} />
        <Field label="Value digits" inputMode="numeric" value={draft.digits} onInput={(e) => setDraft({ ...draft, digits: e.currentTarget.value })} />
        <Field label="Decimals" inputMode="numeric" value={draft.decimals} onInput={(e) => setDraft({ ...draft, decimals: e.currentTarget.value })}
          hint={draft.value === 'weight' ? '3 = grams' : '2 = cents'} />
        <label class="check"><input type="checkbox" checked={draft.verifier} onChange={(e) => setDraft({ ...draft, verifier: e.currentTarget.checked })} /> Verifier digit</label>
        <Button type="submit">{editing === null ? 'Add layout' : 'Update layout'}</Button>
        {editing !== null && <Button onClick={() => { setEditing(null); setDraft(blank); setFormMsg(''); }}>Cancel</Button>}
      </form>
      <p class="muted" aria-live="polite">{draft.prefix ? (problem || `${pattern(layout)}: 13 digits.`) : 'Type a prefix to add a layout.'}</p>
      {formMsg && <Notice kind="error">{formMsg}</Notice>}
      <Field label="Internal prefixes" value={prefixes} onInput={(e) => setPrefixes(e.currentTarget.value)}
        hint="The shop's own EAN-13s are numbered from these (comma-separated, 1 to 3 digits each, e.g. 20); none may start another prefix." />
      <TryLabel layouts={layouts} saved={!changed} />
      <div class="row">
        <Button variant="primary" onClick={() => void save()} disabled={!changed}>Save barcode settings</Button>
        {changed && <span class="muted">Unsaved changes</span>}
      </div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </div>
  );
}

/** Reads a label typed or scanned here against the layouts on screen; once saved, also finds its item. */
function TryLabel({ layouts, saved }: { layouts: EmbeddedLayout[]; saved: boolean }) {
  const [code, setCode] = useState('');
  const [item, setItem] = useState<{ code: string; text: string } | null>(null);
  const c = code.trim();
  const read = c ? readEmbedded(c, layouts) : null;
  const lookUp = async (e: Event) => {
    e.preventDefault();
    if (!saved || !read || 'error' in read) return;
    try {
      const r = await catalog.scan(c);
      setItem({ code: c, text: `${r.item.name} (${r.item.sku})` });
    } catch (x) {
      setItem({ code: c, text: x instanceof ApiError && x.code === 'unknown_barcode' ? 'No item has this prefix and item code.' : message(x) });
    }
  };
  let said = 'Scan or type a label to see how it is read.';
  if (c && !read) said = /^\d{13}$/.test(c) ? 'Not a scale label under these layouts (no prefix matches, or the check digit is wrong).' : 'A label has 13 digits.';
  else if (read && 'error' in read) said = `Refused: ${read.error}`;
  else if (read) said = `Item code ${read.itemKey} · ${read.grams !== undefined ? `${qty(read.grams / 1000)} kg` : money(read.price ?? 0)}`;
  return (
    <form class="row" onSubmit={lookUp} aria-label="Try a label">
      <Field label="Try a label" inputMode="numeric" value={code} onInput={(e) => { setCode(e.currentTarget.value); setItem(null); }}
        hint={saved ? 'Enter also finds the item' : 'Save first to find the item'} />
      <p aria-live="polite">{said}{item && item.code === c ? <><br /><strong>{item.text}</strong></> : null}</p>
    </form>
  );
}
