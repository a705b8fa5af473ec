// Integrations: where the shop sees whether its web shop and accounting hooks are getting
// their events — alerts first (what is failing, whose it is), then the endpoints with their
// queues and delivery log, the mapping tables that put deliveries in a receiver's own words,
// then the dead-letter queue with replay. Secrets are shown once.
import { useEffect, useState } from 'preact/hooks';
import { mappings, message, permission, stock, webhooks, type Alert, type WebhookEndpoint } from '../api';
import { can, type Session } from '../app/session';
import { Button, DataTable, Dialog, Field, Notice, Select } from '../shared/components';
import { when, words } from '../shared/format';
import { MappingTables } from './Mappings';
import { useLoad } from './useLoad';

const tagText: Record<string, string> = {
  timeout: 'no answer in time', connection: 'connection failed', dns: 'host name not found', tls: 'TLS (certificate) failed',
  http_3xx: 'redirected (not followed)', http_4xx: 'refused (4xx)', http_5xx: 'receiver error (5xx)',
  invalid_payload: 'could not be signed', endpoint_disabled: 'endpoint disabled',
};
const tag = (t: string | null) => (t ? tagText[t] ?? words(t) : '');
const ownWords = "none: Backroom's own words";
const mappingOptions = (names: string[]): [string, string][] => [['', ownWords], ...names.map((n): [string, string] => [n, n])];

function AddEndpoint({ types, mappingNames, onDone }: { types: string[]; mappingNames: string[]; onDone: (secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [owner, setOwner] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>(['sale.completed', 'stock.changed']);
  const [mapping, setMapping] = useState('');
  const [err, setErr] = useState('');
  const toggle = (t: string) => setChosen((c) => (c.includes(t) ? c.filter((x) => x !== t) : [...c, t]));
  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault();
      setErr('');
      webhooks.create({ url, owner, description, event_types: chosen, mapping: mapping || null }).then((r) => onDone(r.secret)).catch((x) => setErr(message(x)));
    }}>
      <Field label="Receiver URL" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://shop.example/hooks/backroom" required />
      <Field label="Owner (alerted on failures)" value={owner} onInput={(e) => setOwner(e.currentTarget.value)} placeholder="web-team@shop.example" required />
      <Field label="Description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <Select label="Mapping table (the receiver's field names and codes)" options={mappingOptions(mappingNames)} value={mapping} onChange={(e) => setMapping(e.currentTarget.value)} />
      <fieldset class="checks">
        <legend>Events</legend>
        {types.map((t) => (
          <label class="check"><input type="checkbox" checked={chosen.includes(t)} onChange={() => toggle(t)} /> {t}</label>
        ))}
      </fieldset>
      {err && <Notice kind="error">{err}</Notice>}
      <Button type="submit" variant="primary" disabled={!chosen.length}>Add endpoint</Button>
    </form>
  );
}

function DeliveryLog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const [rows, err] = useLoad(() => webhooks.attempts(endpoint.id), [endpoint.id]);
  return (
    <Dialog title={`Deliveries to ${endpoint.url}`} onClose={onClose} wide>
      {err && <Notice kind="error">{err}</Notice>}
      <DataTable name="Delivery attempts" rows={rows ?? []} columns={[
        ['when', (a) => when(a.at)], ['event', (a) => a.event_type], ['try', (a) => String(a.attempt), true],
        ['answer', (a) => (a.status ? String(a.status) : tag(a.error_tag))], ['ms', (a) => String(a.latency_ms), true],
        ['outcome', (a) => words(a.outcome)],
        ['mapping', (a) => (a.mapping ? `${a.mapping.name} v${a.mapping.version}${a.mapping.unmapped ? `, ${a.mapping.unmapped} values not in it` : ''}` : '—')],
        ['reply', (a) => <span class="small">{a.response_excerpt.slice(0, 80)}</span>],
      ]} />
    </Dialog>
  );
}

function ChooseMapping({ endpoint, mappingNames, onDone, onClose }: {
  endpoint: WebhookEndpoint; mappingNames: string[]; onDone: () => void; onClose: () => void;
}) {
  const [mapping, setMapping] = useState(endpoint.mapping ?? '');
  const [err, setErr] = useState('');
  return (
    <Dialog title={`Mapping for ${endpoint.url}`} onClose={onClose}>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); webhooks.setMapping(endpoint, mapping || null).then(onDone).catch((x) => setErr(message(x))); }}>
        <Select label="Mapping table" options={mappingOptions(mappingNames)} value={mapping} onChange={(e) => setMapping(e.currentTarget.value)} />
        <p class="small">Deliveries after this one are written with the table's newest version; the delivery log shows which version each one used.</p>
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary">Save</Button>
      </form>
    </Dialog>
  );
}

function Resolve({ alert, onDone, onClose }: { alert: Alert; onDone: () => void; onClose: () => void }) {
  const [note, setNote] = useState('');
  const [err, setErr] = useState('');
  return (
    <Dialog title="Resolve the alert" onClose={onClose}>
      <p>{alert.endpoint_url}: {tag(alert.error_tag)}, {alert.count} times.</p>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); webhooks.resolve(alert.id, note).then(onDone).catch((x) => setErr(message(x))); }}>
        <Field label="Root cause" value={note} onInput={(e) => setNote(e.currentTarget.value)} required />
        {err && <Notice kind="error">{err}</Notice>}
        <Button type="submit" variant="primary">Resolve</Button>
      </form>
    </Dialog>
  );
}

export function Integrations({ session }: { session: Session }) {
  const manage = can(session, permission.integrations_manage);
  const [endpoints, endpointsErr, reloadEndpoints] = useLoad(() => webhooks.endpoints());
  const [alerts, alertsErr, reloadAlerts] = useLoad(() => Promise.all([webhooks.alerts('open'), webhooks.alerts('acknowledged')]).then(([a, b]) => [...a, ...b]));
  const [dead, deadErr, reloadDead] = useLoad(() => webhooks.deadLetters());
  const [types] = useLoad(() => webhooks.eventTypes());
  const [tables, tablesErr, reloadTables] = useLoad(() => mappings.list());
  const [locations] = useLoad(() => stock.locations());
  const mappingNames = (tables?.mappings ?? []).map((m) => m.name);
  const [choosing, setChoosing] = useState<WebhookEndpoint | null>(null);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState('');
  const [log, setLog] = useState<WebhookEndpoint | null>(null);
  const [resolving, setResolving] = useState<Alert | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [err, setErr] = useState('');
  const reload = () => { reloadEndpoints(); reloadAlerts(); reloadDead(); reloadTables(); };
  useEffect(() => {  // a failing receiver shows up without anyone pressing a key
    const timer = setInterval(reload, 10_000);
    return () => clearInterval(timer);
  }, []);
  const act = (p: Promise<unknown>) => { setErr(''); p.then(reload).catch((x) => setErr(message(x))); };
  const urlOf = (id: string) => endpoints?.find((e) => e.id === id)?.url ?? 'a deleted endpoint';
  return (
    <section>
      <div class="row spread"><h1>Integrations</h1><Button onClick={reload}>Refresh</Button></div>
      {[endpointsErr, alertsErr, deadErr, tablesErr, err].filter(Boolean).map((e) => <Notice kind="error">{e}</Notice>)}
      {secret && (
        <Dialog title="The signing secret" onClose={() => setSecret('')}>
          <p>Copy it into the receiver now: it is not shown again.</p>
          <p><code class="secret">{secret}</code></p>
          <Button variant="primary" onClick={() => setSecret('')}>Done</Button>
        </Dialog>
      )}

      <h2>Alerts</h2>
      <DataTable name="Alerts" rows={alerts ?? []} columns={[
        ['receiver', (a) => <span class="url">{a.endpoint_url}</span>], ['problem', (a) => tag(a.error_tag)], ['times', (a) => String(a.count), true],
        ['since', (a) => when(a.first_at)], ['last', (a) => when(a.last_at)], ['owner', (a) => a.owner],
        ['status', (a) => (a.status === 'acknowledged' ? `acknowledged by ${a.acknowledged_by}` : 'open')],
      ]} actions={manage ? (a) => (
        <>
          {a.status === 'open' && <Button onClick={() => act(webhooks.acknowledge(a.id))}>Acknowledge</Button>}
          <Button onClick={() => setResolving(a)}>Resolve</Button>
        </>
      ) : undefined} />
      {resolving && <Resolve alert={resolving} onClose={() => setResolving(null)} onDone={() => { setResolving(null); reload(); }} />}

      <h2>Endpoints</h2>
      <DataTable name="Webhook endpoints" rows={endpoints ?? []} columns={[
        ['receiver', (e) => <><span class="url">{e.url}</span>{e.description && <div class="small">{e.description}</div>}</>],
        ['events', (e) => <span class="small">{e.event_types.join(', ')}</span>], ['owner', (e) => e.owner],
        ['mapping', (e) => e.mapping ?? 'own words'],
        ['status', (e) => (e.status === 'active' ? (e.failing_since ? `failing since ${when(e.failing_since)}` : 'active') : `disabled: ${e.disabled_reason ?? ''}`)],
        ['waiting', (e) => String(e.pending + e.behind), true], ['dead letters', (e) => String(e.dead_letters), true],
        ['last delivered', (e) => when(e.last_delivered_at)],
      ]} actions={(e) => (
        <div class="row">
          <Button onClick={() => setLog(e)}>Deliveries</Button>
          {manage && <Button onClick={() => act(webhooks.setEnabled(e, e.status !== 'active'))}>{e.status === 'active' ? 'Disable' : 'Enable'}</Button>}
          {manage && <Button onClick={() => setChoosing(e)}>Mapping</Button>}
          {manage && <Button onClick={() => { setErr(''); webhooks.rotate(e.id).then((r) => { setSecret(r.secret); reload(); }).catch((x) => setErr(message(x))); }}>New secret</Button>}
          {manage && <Button variant="quiet" onClick={() => setDeleting(e)}>Delete</Button>}
        </div>
      )} />
      {log && <DeliveryLog endpoint={log} onClose={() => setLog(null)} />}
      {choosing && <ChooseMapping endpoint={choosing} mappingNames={mappingNames} onClose={() => setChoosing(null)} onDone={() => { setChoosing(null); reload(); }} />}
      {deleting && (
        <Dialog title="Delete the endpoint?" onClose={() => setDeleting(null)}>
          <p>{deleting.url} stops receiving events; its queue, delivery log and alerts go with it.</p>
          <div class="row">
            <Button variant="primary" onClick={() => { const id = deleting.id; setDeleting(null); act(webhooks.remove(id)); }}>Delete</Button>
            <Button onClick={() => setDeleting(null)}>Keep it</Button>
          </div>
        </Dialog>
      )}
      {manage && (adding
        ? <AddEndpoint types={types ?? []} mappingNames={mappingNames} onDone={(s) => { setAdding(false); setSecret(s); reload(); }} />
        : <Button onClick={() => setAdding(true)}>Add an endpoint</Button>)}

      <MappingTables list={tables} manage={manage} locations={locations ?? []} onChanged={reload} />

      <h2>Dead letters</h2>
      <DataTable name="Dead letters" rows={dead ?? []} columns={[
        ['event', (m) => m.event_type], ['receiver', (m) => <span class="url">{urlOf(m.endpoint_id)}</span>], ['tries', (m) => String(m.tries), true],
        ['last problem', (m) => tag(m.last_error_tag)], ['gave up', (m) => when(m.dead_at)],
      ]} actions={manage ? (m) => <Button onClick={() => act(webhooks.replay(m.id))}>Send again</Button> : undefined} />
    </section>
  );
}
