// The shelf-label queue: preview one, print them all as a PDF.
import { useState } from 'preact/hooks';
import { type LabelEntry, labels, message, permission } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Notice } from '../shared/components';
import { money, when } from '../shared/format';
import { useLoad } from './useLoad';

export function Labels({ session }: { session: Session }) {
  const [data, err, reload] = useLoad(() => labels.queue());
  const [preview, setPreview] = useState<LabelEntry | null>(null);
  const [msg, setMsg] = useState('');
  const printQueue = async () => {
    try {
      const url = URL.createObjectURL(await labels.printQueue());
      open(url, '_blank');
      reload();
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <section>
      <h1>Label queue {data && <span class="muted">({data.pending} pending)</span>}</h1>
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      {can(session, permission.labels_print) && <Button onClick={printQueue}>Print queue (PDF)</Button>}
      <DataTable name="Label queue" rows={data?.entries ?? []}
        columns={[['sku', (r) => r.sku], ['name', (r) => r.name], ['price', (r) => money(r.price), true], ['kind', (r) => r.kind], ['reason', (r) => r.reason], ['copies', (r) => String(r.copies), true], ['queued', (r) => when(r.queued_at)]]}
        actions={(r) => <Button onClick={() => setPreview(r)} aria-label={`Preview label ${r.sku}`}>Preview</Button>} />
      {preview && (
        <Dialog title={`Label ${preview.sku}`} onClose={() => setPreview(null)}>
          <img class="label-preview" alt={`Label for ${preview.name}`} src={labels.preview(preview.item_id, preview.kind)} />
        </Dialog>
      )}
    </section>
  );
}
