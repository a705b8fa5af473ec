// The back office: items, price changes, stock, transfers, registers, users, API keys,
// audit and labels. Every screen is a thin view over the same /api/v1 routes.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, csrfToken, message, money, parseMoney, q, qty, uuidv7, when } from './api';
import { Button, DataTable, Dialog, Field, Notice, Select } from './components';
import { can, navigate, type Session } from './main';
import { ZReport } from './register';

type Section = { path: string; title: string; permission: string };
const sections: Section[] = [
  { path: '/office/items', title: 'Items', permission: 'items.read' },
  { path: '/office/prices', title: 'Price changes', permission: 'prices.request' },
  { path: '/office/stock', title: 'Stock', permission: 'stock.read' },
  { path: '/office/transfers', title: 'Transfers', permission: 'stock.transfer' },
  { path: '/office/registers', title: 'Registers', permission: 'registers.read' },
  { path: '/office/labels', title: 'Labels', permission: 'labels.read' },
  { path: '/office/users', title: 'Users', permission: 'users.manage' },
  { path: '/office/keys', title: 'API keys', permission: 'apikeys.manage' },
  { path: '/office/audit', title: 'Audit log', permission: 'audit.read' },
];

export function BackOffice({ session, path, onSignOut }: { session: Session; path: string; onSignOut: () => void }) {
  const mine = sections.filter((s) => can(session, s.permission));
  const current = mine.find((s) => path.startsWith(s.path)) ?? mine[0];
  useEffect(() => { document.title = `${current?.title ?? 'Back office'} · Backroom`; }, [current]);
  return (
    <div class="office">
      <header class="topbar">
        <strong class="brand">Backroom</strong>
        <nav aria-label="Areas">
          {can(session, 'sales.create') && <a href="/register" onClick={(e) => { e.preventDefault(); navigate('/register'); }}>Register</a>}
          <a href="/office" aria-current="page" onClick={(e) => { e.preventDefault(); navigate('/office'); }}>Back office</a>
        </nav>
        <span class="who">{session.user.display_name} · {session.user.role.replace('_', ' ')}</span>
        <span class="spacer" />
        <Button variant="quiet" onClick={onSignOut}>Sign out</Button>
      </header>
      <div class="office-body">
        <nav class="sidenav" aria-label="Back office">
          {mine.map((s) => (
            <a href={s.path} aria-current={s === current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(s.path); }}>{s.title}</a>
          ))}
        </nav>
        <main class="office-main">
          {!current ? <p>Your role has no back office screens.</p> :
            current.title === 'Items' ? <Items session={session} /> :
            current.title === 'Price changes' ? <PriceChanges session={session} /> :
            current.title === 'Stock' ? <Stock session={session} /> :
            current.title === 'Transfers' ? <Transfers /> :
            current.title === 'Registers' ? <Registers /> :
            current.title === 'Labels' ? <Labels session={session} /> :
            current.title === 'Users' ? <Users /> :
            current.title === 'API keys' ? <Keys /> :
            <Audit />}
        </main>
      </div>
    </div>
  );
}

function useLoad<T>(fn: () => Promise<T>, deps: unknown[] = []): [T | null, string, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [err, setErr] = useState('');
  const [n, setN] = useState(0);
  useEffect(() => { setErr(''); fn().then(setData).catch((e) => setErr(message(e))); }, [...deps, n]);
  return [data, err, () => setN((x) => x + 1)];
}

// ---------- items ----------

function ItemSearch({ onPick, label = 'Search items' }: { onPick: (item: any) => void; label?: string }) {
  const [text, setText] = useState('');
  const [items, setItems] = useState<any[] | null>(null);
  const [err, setErr] = useState('');
  const search = async (e?: Event) => {
    e?.preventDefault();
    try {
      const t = text.trim();
      if (/^\d{6,}$/.test(t)) {
        try { const r = await api.get(`/scan/${t}`); setItems([r.item]); return; } catch (x) { if (!(x instanceof ApiError)) throw x; }
      }
      setItems((await api.get(`/items${q({ q: t, limit: 25 })}`)).items);
      setErr('');
    } catch (x) { setErr(message(x)); }
  };
  return (
    <div>
      <form class="row" onSubmit={search}>
        <Field label={label} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="name, SKU or barcode" />
        <Button type="submit">Search</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
      {items && <DataTable name="Items" rows={items}
        columns={['sku', 'name', 'category', 'kind', 'status', ['price', 'price', (r) => money(r.price)]]}
        actions={(r) => <Button onClick={() => onPick(r)} aria-label={`Open ${r.name}`}>Open</Button>} />}
    </div>
  );
}

const lockedFields = ['price', 'cost', 'tax_category'];

function Items({ session }: { session: Session }) {
  const [item, setItem] = useState<any>(null);
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div class="row spread"><h1>Items</h1>{can(session, 'items.create') && <Button onClick={() => setCreating(true)}>New item</Button>}</div>
      {item ? <ItemEditor session={session} id={item.id} onBack={() => setItem(null)} onOpen={setItem} /> : <ItemSearch onPick={setItem} />}
      {creating && <CreateItem onClose={() => setCreating(false)} onCreated={(i) => { setCreating(false); setItem(i); }} />}
    </section>
  );
}

function ItemEditor({ session, id, onBack, onOpen }: { session: Session; id: string; onBack: () => void; onOpen: (i: any) => void }) {
  const [item, err, reload] = useLoad(() => api.get(`/items/${id}`), [id]);
  const [form, setForm] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [variants] = useLoad(() => (item?.kind === 'parent' ? api.get(`/items${q({ parent_id: id, limit: 50 })}`).then((r) => r.items) : Promise.resolve([])), [item?.kind, id]);
  const [stock] = useLoad(() => api.get(`/stock${q({ item_id: id })}`).catch(() => null), [id]);
  const [newCode, setNewCode] = useState('');
  const [priceReq, setPriceReq] = useState({ price: '', reason: '' });
  useEffect(() => {
    if (item) setForm({
      name: item.name, description: item.description ?? '', category: item.category ?? '', brand: item.brand ?? '', status: item.status,
      price: item.price === null ? '' : money(item.price), cost: item.cost === null ? '' : money(item.cost), tax_category: item.tax_category ?? '',
    });
  }, [item]);
  if (err) return <Notice kind="error">{err}</Notice>;
  if (!item) return <p aria-busy="true">Loading…</p>;
  const mayEdit = can(session, 'items.update');
  const mayLocked = can(session, 'items.locked_fields');
  const readOnly = (f: string) => !mayEdit || (lockedFields.includes(f) && !mayLocked);
  const save = async (e: Event) => {
    e.preventDefault();
    const patch: any = {};
    for (const f of ['name', 'description', 'category', 'brand', 'status']) if (form[f] !== (item[f] ?? '')) patch[f] = form[f];
    for (const f of ['price', 'cost']) if (!readOnly(f) && form[f] !== (item[f] === null ? '' : money(item[f]))) patch[f] = form[f] === '' ? null : parseMoney(form[f]);
    if (!readOnly('tax_category') && form.tax_category !== (item.tax_category ?? '')) patch.tax_category = form.tax_category;
    if (!Object.keys(patch).length) { setMsg({ kind: 'ok', text: 'Nothing changed.' }); return; }
    try {
      await api.patch(`/items/${id}`, patch, { 'if-match': `"v${item.version}"` });
      setMsg({ kind: 'ok', text: 'Saved.' });
      reload();
    } catch (x) {
      setMsg({ kind: 'error', text: x instanceof ApiError && x.code === 'precondition_failed' ? 'Someone else changed this item: reload it.' : message(x) });
    }
  };
  const addCode = async () => {
    try { await api.post(`/items/${id}/barcodes`, newCode.trim() ? { code: newCode.trim() } : { internal: true }); setNewCode(''); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const removeCode = async (code: string) => {
    try { await api.del(`/items/${id}/barcodes/${code}`); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const requestPrice = async (e: Event) => {
    e.preventDefault();
    const p = parseMoney(priceReq.price);
    if (p === null) { setMsg({ kind: 'error', text: 'Type the new price like 2.49.' }); return; }
    try { await api.post('/price-changes', { item_id: id, price: p, reason: priceReq.reason }); setMsg({ kind: 'ok', text: 'Price change requested: someone else approves it.' }); setPriceReq({ price: '', reason: '' }); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const field = (f: string, label: string) => (
    <Field label={label} value={form[f] ?? ''} readOnly={readOnly(f)} aria-readonly={readOnly(f)}
      hint={readOnly(f) && mayEdit && lockedFields.includes(f) ? 'Locked for your role' + (f === 'price' ? ': request a price change below' : '') : undefined}
      onInput={(e) => setForm({ ...form, [f]: e.currentTarget.value })} />
  );
  return (
    <div class="editor">
      <div class="row"><Button onClick={onBack}>Back to search</Button><h2>{item.name} <span class="muted">{item.sku} · {item.kind} · v{item.version}</span></h2></div>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      <form onSubmit={save} class="grid2" aria-label="Item details">
        {field('name', 'Name')}{field('category', 'Category')}{field('brand', 'Brand')}{field('status', 'Status')}
        {field('price', 'Price')}{field('cost', 'Cost')}{field('tax_category', 'Tax category')}{field('description', 'Description')}
        {mayEdit && <div><Button type="submit" variant="primary">Save item</Button></div>}
      </form>
      <h3>Barcodes</h3>
      <DataTable name="Barcodes" rows={item.barcodes} columns={['code', 'pack_quantity', 'kind']}
        actions={can(session, 'items.barcodes') ? (b) => <Button onClick={() => removeCode(b.code)} aria-label={`Remove barcode ${b.code}`}>Remove</Button> : undefined} />
      {can(session, 'items.barcodes') && <div class="row"><Field label="New barcode" value={newCode} onInput={(e) => setNewCode(e.currentTarget.value)} hint="Empty issues an internal code" /><Button onClick={addCode}>Add barcode</Button></div>}
      {item.kit && (<><h3>Kit ({item.kit.consumes})</h3><DataTable name="Kit components" rows={item.kit.components} columns={['item_id', 'quantity']} /></>)}
      {item.parent_id && <p>Variant of <Button variant="quiet" onClick={() => onOpen({ id: item.parent_id })}>its parent</Button> · options {JSON.stringify(item.options)}</p>}
      {variants && variants.length > 0 && (<><h3>Variants</h3><DataTable name="Variants" rows={variants} columns={['sku', 'name', ['options', 'options', (r) => Object.values(r.options ?? {}).join(' / ')], ['price', 'price', (r) => money(r.price)]]}
        actions={(r) => <Button onClick={() => onOpen(r)} aria-label={`Open ${r.name}`}>Open</Button>} /></>)}
      {stock && (<><h3>Stock</h3><DataTable name="Stock by location" rows={stock.locations} columns={[['location_id', 'location', (r) => r.location_id.slice(-12)], 'on_hand', 'reserved', 'available']} /></>)}
      {can(session, 'prices.request') && (
        <form class="row" onSubmit={requestPrice} aria-label="Request a price change">
          <Field label="New price" value={priceReq.price} onInput={(e) => setPriceReq({ ...priceReq, price: e.currentTarget.value })} />
          <Field label="Price change reason" value={priceReq.reason} onInput={(e) => setPriceReq({ ...priceReq, reason: e.currentTarget.value })} />
          <Button type="submit">Request price change</Button>
        </form>
      )}
    </div>
  );
}

function CreateItem({ onClose, onCreated }: { onClose: () => void; onCreated: (i: any) => void }) {
  const [f, setF] = useState({ sku: '', name: '', price: '', tax_category: 'standard', unit: 'each', category: '', barcode: '' });
  const [msg, setMsg] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body: any = { sku: f.sku, name: f.name, price: f.price ? parseMoney(f.price) : null, tax_category: f.tax_category, unit: f.unit, category: f.category };
      if (f.barcode) body.barcodes = [{ code: f.barcode }];
      onCreated(await api.post('/items', body));
    } catch (x) { setMsg(message(x)); }
  };
  const fld = (k: keyof typeof f, label: string) => <Field label={label} value={f[k]} onInput={(e) => setF({ ...f, [k]: e.currentTarget.value })} />;
  return (
    <Dialog title="New item" onClose={onClose}>
      <form onSubmit={submit}>
        {fld('sku', 'SKU')}{fld('name', 'Name')}{fld('price', 'Price')}{fld('category', 'Category')}{fld('tax_category', 'Tax category')}{fld('unit', 'Unit')}{fld('barcode', 'Barcode')}
        {msg && <Notice kind="error">{msg}</Notice>}
        <Button type="submit" variant="primary">Create item</Button>
      </form>
    </Dialog>
  );
}

// ---------- price changes ----------

function PriceChanges({ session }: { session: Session }) {
  const [status, setStatus] = useState('pending');
  const [data, err, reload] = useLoad(() => api.get(`/price-changes${q({ status })}`), [status]);
  const [msg, setMsg] = useState('');
  const act = async (id: string, what: 'approve' | 'reject') => {
    try { await api.post(`/price-changes/${id}/${what}`, {}); setMsg(''); reload(); } catch (x) { setMsg(message(x)); }
  };
  const rows = data ? (data.price_changes ?? data.changes ?? data.requests ?? []) : [];
  return (
    <section>
      <h1>Price changes</h1>
      <Select label="Status" value={status} onChange={(e) => setStatus(e.currentTarget.value)} options={['pending', 'approved', 'applied', 'rejected']} />
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      <DataTable name="Price change requests" rows={rows}
        columns={[['item', 'item', (r) => r.item_name ?? r.sku ?? r.item_id], ['old_price', 'old', (r) => money(r.old_price)], ['price', 'new', (r) => money(r.price ?? r.new_price)], 'tier', 'reason', 'requested_by', 'status', ['effective_at', 'effective', (r) => when(r.effective_at)]]}
        actions={can(session, 'prices.approve') && status === 'pending' ? (r) => <>
          <Button onClick={() => act(r.id, 'approve')} aria-label={`Approve price change ${r.id}`}>Approve</Button>
          <Button onClick={() => act(r.id, 'reject')} aria-label={`Reject price change ${r.id}`}>Reject</Button></> : undefined} />
    </section>
  );
}

// ---------- stock ----------

function useLocations() {
  const [data] = useLoad(() => api.get('/locations').then((r) => r.locations as any[]));
  return data ?? [];
}

function Stock({ session }: { session: Session }) {
  const [item, setItem] = useState<any>(null);
  const locations = useLocations();
  const name = (id: string) => locations.find((l) => l.id === id)?.name ?? id.slice(-8);
  const [stock, err, reload] = useLoad(() => (item ? api.get(`/stock${q({ item_id: item.id })}`) : Promise.resolve(null)), [item?.id]);
  const [moves, , reloadMoves] = useLoad(() => (item ? api.get(`/stock/movements${q({ item_id: item.id, limit: 200 })}`).then((r) => r.movements.reverse()) : Promise.resolve([])), [item?.id]);
  const [adj, setAdj] = useState({ location_id: '', quantity: '', reason: 'count', note: '' });
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const adjust = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post('/stock/adjustments', { id: uuidv7(), item_id: item.id, location_id: adj.location_id || locations[0]?.id, quantity: Number(adj.quantity), reason: adj.reason, note: adj.note });
      setMsg({ kind: 'ok', text: 'Adjusted.' });
      reload(); reloadMoves();
    } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  return (
    <section>
      <h1>Stock</h1>
      <ItemSearch onPick={setItem} label="Find an item" />
      {err && <Notice kind="error">{err}</Notice>}
      {item && stock && (
        <>
          <h2>{item.name} <span class="muted">{item.sku}</span> — on hand {qty(stock.on_hand)}</h2>
          <DataTable name="Stock by location" rows={stock.locations} columns={[['location_id', 'location', (r) => name(r.location_id)], 'on_hand', 'reserved', 'available']} />
          {can(session, 'stock.adjust') && (
            <form class="row" onSubmit={adjust} aria-label="Adjust stock">
              <Select label="Location" value={adj.location_id} onChange={(e) => setAdj({ ...adj, location_id: e.currentTarget.value })} options={locations.map((l) => [l.id, l.name])} />
              <Field label="Quantity change" value={adj.quantity} onInput={(e) => setAdj({ ...adj, quantity: e.currentTarget.value })} hint="−3 removes, 5 adds" />
              <Select label="Adjustment reason" value={adj.reason} onChange={(e) => setAdj({ ...adj, reason: e.currentTarget.value })} options={['count', 'correction', 'found', 'shrink', 'damage', 'theft', 'expired']} />
              <Field label="Note" value={adj.note} onInput={(e) => setAdj({ ...adj, note: e.currentTarget.value })} />
              <Button type="submit">Adjust</Button>
            </form>
          )}
          {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
          <h3>Movements (newest first)</h3>
          <DataTable name="Movements" rows={moves ?? []} columns={[['at', 'when', (r) => when(r.at)], ['location_id', 'location', (r) => name(r.location_id)], 'quantity', 'reason', 'document_type', 'user', 'device']} />
        </>
      )}
    </section>
  );
}

function Transfers() {
  const locations = useLocations();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [lines, setLines] = useState<{ item: any; quantity: string }[]>([]);
  const [sent, setSent] = useState<any>(null);
  const [lookup, setLookup] = useState('');
  const [msg, setMsg] = useState('');
  const ship = async () => {
    try {
      setSent(await api.post('/transfers', { id: uuidv7(), from_location_id: from || locations[0]?.id, to_location_id: to, lines: lines.map((l) => ({ item_id: l.item.id, quantity: Number(l.quantity) })) }));
      setLines([]); setMsg('');
    } catch (x) { setMsg(message(x)); }
  };
  const receive = async () => {
    try {
      const t = sent.lines ? sent : await api.get(`/transfers/${sent.id}`);
      setSent(await api.post(`/transfers/${t.id}/receive`, { lines: t.lines.map((l: any) => ({ line_id: l.id, received: l.quantity })) }));
    } catch (x) { setMsg(message(x)); }
  };
  const open = async (e: Event) => { e.preventDefault(); try { setSent(await api.get(`/transfers/${lookup.trim()}`)); } catch (x) { setMsg(message(x)); } };
  const opts = locations.filter((l) => l.kind !== 'transit').map((l) => [l.id, l.name] as [string, string]);
  return (
    <section>
      <h1>Transfers</h1>
      <div class="row">
        <Select label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} options={opts} />
        <Select label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} options={[['', '—'], ...opts]} />
      </div>
      <ItemSearch label="Add an item" onPick={(item) => setLines([...lines, { item, quantity: '1' }])} />
      <ul class="plain">{lines.map((l, i) => <li class="row">{l.item.name}
        <input class="qty-input" aria-label={`Quantity of ${l.item.name}`} value={l.quantity} onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, quantity: e.currentTarget.value } : x)))} /></li>)}</ul>
      <Button variant="primary" disabled={!lines.length || !to} onClick={ship}>Ship transfer</Button>
      <form class="row" onSubmit={open}><Field label="Transfer id" value={lookup} onInput={(e) => setLookup(e.currentTarget.value)} /><Button type="submit">Open transfer</Button></form>
      {msg && <Notice kind="error">{msg}</Notice>}
      {sent && (<div class="card"><p>Transfer {sent.id} · {sent.status}</p>
        {sent.status !== 'received' && <Button onClick={receive}>Receive all</Button>}</div>)}
    </section>
  );
}

function Registers() {
  const [reg, setReg] = useState(localStorage.getItem('br.register')?.replace(/"/g, '') || 'REG-1');
  const [sid, setSid] = useState(JSON.parse(localStorage.getItem(`br.session.${reg}`) ?? 'null') ?? '');
  const [s, setS] = useState<any>(null);
  const [msg, setMsg] = useState('');
  const load = async (e?: Event) => { e?.preventDefault(); try { setS(await api.get(`/registers/${reg}/sessions/${sid.trim()}`)); setMsg(''); } catch (x) { setMsg(message(x)); } };
  useEffect(() => { if (sid) load(); }, []);
  return (
    <section>
      <h1>Register sessions</h1>
      <form class="row" onSubmit={load}>
        <Field label="Register" value={reg} onInput={(e) => setReg(e.currentTarget.value)} />
        <Field label="Session id" value={sid} onInput={(e) => setSid(e.currentTarget.value)} hint="The register remembers its open session" />
        <Button type="submit">Show report</Button>
      </form>
      {msg && <Notice kind="error">{msg}</Notice>}
      {s && (<><p>{s.register_id} · {s.status} · opened {when(s.opened_at)} by {s.opened_by}</p>
        <ZReport z={s.z_report ?? s.x_report} /></>)}
    </section>
  );
}

function Labels({ session }: { session: Session }) {
  const [data, err, reload] = useLoad(() => api.get('/labels/queue'));
  const [preview, setPreview] = useState<any>(null);
  const [msg, setMsg] = useState('');
  const print = async () => {
    try {
      const res = await fetch('/api/v1/labels/queue/print', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() }, body: JSON.stringify({ format: 'pdf' }) });
      if (!res.ok) throw new Error((await res.json()).detail);
      const url = URL.createObjectURL(await res.blob());
      window.open(url, '_blank');
      reload();
    } catch (x) { setMsg(message(x)); }
  };
  return (
    <section>
      <h1>Label queue {data && <span class="muted">({data.pending} pending)</span>}</h1>
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      {can(session, 'labels.print') && <Button onClick={print}>Print queue (PDF)</Button>}
      <DataTable name="Label queue" rows={data?.entries ?? []} columns={['sku', 'name', ['price', 'price', (r) => money(r.price)], 'kind', 'reason', 'copies', ['queued_at', 'queued', (r) => when(r.queued_at)]]}
        actions={(r) => <Button onClick={() => setPreview(r)} aria-label={`Preview label ${r.sku}`}>Preview</Button>} />
      {preview && (
        <Dialog title={`Label ${preview.sku}`} onClose={() => setPreview(null)}>
          <img class="label-preview" alt={`Label for ${preview.name}`} src={`/api/v1/labels/preview${q({ item_id: preview.item_id, kind: preview.kind, format: 'svg' })}`} />
        </Dialog>
      )}
    </section>
  );
}

function Users() {
  const [data, err, reload] = useLoad(() => api.get('/users'));
  const [f, setF] = useState({ username: '', display_name: '', role: 'cashier', password: '', pin: '' });
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    try { await api.post('/users', { ...f, pin: f.pin || undefined }); setMsg({ kind: 'ok', text: `User ${f.username} created.` }); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); }
  };
  const toggle = async (u: any) => { try { await api.patch(`/users/${u.id}`, { disabled: !u.disabled }); reload(); } catch (x) { setMsg({ kind: 'error', text: message(x) }); } };
  return (
    <section>
      <h1>Users</h1>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Users" rows={data?.users ?? []} columns={['username', 'display_name', 'role', 'disabled', 'has_pin']}
        actions={(u) => <Button onClick={() => toggle(u)} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.username}`}>{u.disabled ? 'Enable' : 'Disable'}</Button>} />
      <h2>New user</h2>
      <form class="row wrap" onSubmit={create}>
        <Field label="New username" value={f.username} onInput={(e) => setF({ ...f, username: e.currentTarget.value })} />
        <Field label="Display name" value={f.display_name} onInput={(e) => setF({ ...f, display_name: e.currentTarget.value })} />
        <Select label="Role" value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })} options={['cashier', 'shift_lead', 'manager', 'buyer', 'admin']} />
        <Field label="Initial password" type="password" value={f.password} onInput={(e) => setF({ ...f, password: e.currentTarget.value })} />
        <Field label="Register PIN" inputMode="numeric" value={f.pin} onInput={(e) => setF({ ...f, pin: e.currentTarget.value })} />
        <Button type="submit">Create user</Button>
      </form>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
    </section>
  );
}

function Keys() {
  const [data, err, reload] = useLoad(() => api.get('/api-keys'));
  const [f, setF] = useState({ name: '', role: 'cashier' });
  const [secret, setSecret] = useState('');
  const [msg, setMsg] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    try { const r = await api.post('/api-keys', f); setSecret(r.key ?? r.secret ?? r.token ?? JSON.stringify(r)); reload(); } catch (x) { setMsg(message(x)); }
  };
  const revoke = async (k: any) => { try { await api.del(`/api-keys/${k.id}`); reload(); } catch (x) { setMsg(message(x)); } };
  const rows = data?.api_keys ?? data?.keys ?? [];
  return (
    <section>
      <h1>API keys</h1>
      {(err || msg) && <Notice kind="error">{err || msg}</Notice>}
      <DataTable name="API keys" rows={rows} actions={(k) => !k.revoked_at && <Button variant="danger" onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>Revoke</Button>} />
      <form class="row" onSubmit={create}>
        <Field label="Key name" value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />
        <Select label="Key role" value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value })} options={['cashier', 'shift_lead', 'manager', 'buyer', 'admin']} />
        <Button type="submit">Create key</Button>
      </form>
      {secret && <Notice kind="ok">New key (shown once): <code>{secret}</code></Notice>}
    </section>
  );
}

function Audit() {
  const [filter, setFilter] = useState({ action: '', actor: '' });
  const [applied, setApplied] = useState(filter);
  const [data, err] = useLoad(() => api.get(`/audit${q({ ...applied, limit: 100 })}`), [applied.action, applied.actor]);
  return (
    <section>
      <h1>Audit log</h1>
      <form class="row" onSubmit={(e) => { e.preventDefault(); setApplied(filter); }}>
        <Field label="Action" value={filter.action} onInput={(e) => setFilter({ ...filter, action: e.currentTarget.value })} placeholder="sale.void" />
        <Field label="Actor" value={filter.actor} onInput={(e) => setFilter({ ...filter, actor: e.currentTarget.value })} />
        <Button type="submit">Filter</Button>
      </form>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Audit entries" rows={data?.entries ?? []} columns={['seq', ['at', 'when', (r) => when(r.at)], 'actor', 'action', 'entity', ['entity_id', 'id', (r) => String(r.entity_id ?? '').slice(-12)],
        ['after', 'details', (r) => <span class="small">{r.after ? JSON.stringify(r.after).slice(0, 140) : ''}</span>]]} />
    </section>
  );
}
