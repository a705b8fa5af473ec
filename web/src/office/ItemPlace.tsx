// What a picker needs to find an item (issue 20): its photo, taken with the tablet's camera or
// chosen from a file and shrunk in the browser before it is sent, and the shelf it sits on in
// each location. Shown in the item editor; the pick page shows both on every line.
import { useState } from 'preact/hooks';
import { catalog, type ItemShelf, message } from '../api';
import { Button, Field, Notice } from '../shared/components';
import { photoJpeg } from '../shared/photo';
import { useLoad } from './useLoad';

const photoSide = 800;             // px
const photoBytesMax = 256 * 1024;  // the server's limit

export function ItemPhoto({ id, name, mayEdit }: { id: string; name: string; mayEdit: boolean }) {
  const [version, setVersion] = useState(0);  // a new photo is a new address for the <img>
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const url = catalog.photoUrl(id) + (version ? `?v=${version}` : '');
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      await catalog.setPhoto(id, await photoJpeg(file, photoSide, photoBytesMax));
      setMissing(false);
      setVersion(Date.now());
      setMsg({ kind: 'ok', text: 'Photo saved.' });
    } catch (x) {
      setMsg({ kind: 'error', text: message(x) });
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    try { await catalog.removePhoto(id); setMissing(true); setMsg({ kind: 'ok', text: 'Photo removed.' }); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <section class="item-photo" aria-label="Photo">
      <h3>Photo</h3>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {missing
        ? <p class="muted">No photo yet: pickers see only the name.</p>
        : <img key={url} src={url} alt={`Photo of ${name}`} onError={() => setMissing(true)} />}
      {mayEdit && (
        <div class="row">
          <label class={`file-pick${busy ? ' busy' : ''}`}>{missing ? 'Take or choose a photo' : 'Replace the photo'}
            <input type="file" accept="image/*" capture="environment" disabled={busy} aria-label={missing ? 'Take or choose a photo' : 'Replace the photo'}
              onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; void pick(f); }} />
          </label>
          {!missing && <Button onClick={remove}>Remove photo</Button>}
        </div>
      )}
    </section>
  );
}

export function ItemShelves({ id, mayEdit }: { id: string; mayEdit: boolean }) {
  const [shelves, err, reload] = useLoad(() => catalog.shelves(id), [id]);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!shelves) return null;
  const value = (s: ItemShelf) => draft[s.location_id] ?? s.shelf ?? '';
  const save = async (s: ItemShelf) => {
    try {
      const saved = await catalog.setShelf(id, s.location_id, value(s).trim() || null);
      setDraft((d) => { const { [s.location_id]: _, ...rest } = d; return rest; });
      setMsg({ kind: 'ok', text: saved.shelf ? `${s.location_name}: on ${saved.shelf}.` : `${s.location_name}: no shelf.` });
      reload();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <section class="item-shelves" aria-label="Shelves">
      <h3>Where it sits</h3>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {shelves.map((s) => (
        <form key={s.location_id} class="row" onSubmit={(e) => { e.preventDefault(); void save(s); }}>
          <Field label={`Shelf in ${s.location_name}`} value={value(s)} readOnly={!mayEdit} maxLength={40} placeholder="e.g. A3-2"
            onInput={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, [s.location_id]: v })); }} />
          {mayEdit && <Button type="submit" disabled={value(s) === (s.shelf ?? '')} aria-label={`Save the shelf in ${s.location_name}`}>Save</Button>}
        </form>
      ))}
    </section>
  );
}
