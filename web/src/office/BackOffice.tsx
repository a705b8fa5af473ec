// The back office: a side menu of screens, each shown only to roles that may use it.
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { permission, type Permission, system, type SystemStatus } from '../api';
import { can, navigate, type Session } from '../app/session';
import { Button } from '../shared/components';
import { when, words } from '../shared/format';
import { Audit } from './Audit';
import { Counts } from './counts/Counts';
import { Cutover } from './Cutover';
import { Customers } from './Customers';
import { Export } from './Export';
import { Integrations } from './Integrations';
import { Items } from './Items';
import { Journal } from './Journal';
import { Labels } from './Labels';
import { Pick } from './orders/Pick';
import { Keys, Users } from './People';
import { Promotions } from './planning/Promotions';
import { Reorder } from './planning/Reorder';
import { PriceChanges } from './PriceChanges';
import { PurchaseOrders } from './purchasing/PurchaseOrders';
import { Receiving } from './purchasing/Receiving';
import { Suppliers } from './purchasing/Suppliers';
import { Registers } from './Registers';
import { Review } from './reports/Review';
import { Stock } from './Stock';
import { StoreCredit } from './reports/StoreCredit';
import { StoreSetup } from './StoreSetup';
import { Sync } from './Sync';
import { Transfers } from './Transfers';
import { TrainingResults } from './TrainingResults';
import { trainingEvent } from '../help/coach';
import { TrainingCoach } from '../help/Training';

interface Section { path: string; title: string; permission: Permission; screen: (s: Session) => JSX.Element }
const sections: Section[] = [
  { path: '/office/items', title: 'Items', permission: permission.items_read, screen: (s) => <Items session={s} /> },
  { path: '/office/prices', title: 'Price changes', permission: permission.prices_request, screen: (s) => <PriceChanges session={s} /> },
  { path: '/office/stock', title: 'Stock', permission: permission.stock_read, screen: (s) => <Stock session={s} /> },
  { path: '/office/transfers', title: 'Transfers', permission: permission.stock_transfer, screen: () => <Transfers /> },
  { path: '/office/customers', title: 'Customers', permission: permission.customers_read, screen: (s) => <Customers session={s} /> },
  { path: '/office/suppliers', title: 'Suppliers', permission: permission.purchasing_read, screen: (s) => <Suppliers session={s} /> },
  { path: '/office/reorder', title: 'Reorder', permission: permission.planning_read, screen: (s) => <Reorder session={s} /> },
  { path: '/office/promotions', title: 'Promotions', permission: permission.planning_read, screen: () => <Promotions /> },
  { path: '/office/purchase-orders', title: 'Purchase orders', permission: permission.purchasing_read, screen: (s) => <PurchaseOrders session={s} /> },
  { path: '/office/receiving', title: 'Receiving', permission: permission.purchasing_receive, screen: (s) => <Receiving session={s} /> },
  { path: '/office/pick', title: 'Pick online orders', permission: permission.orders_pick, screen: (s) => <Pick session={s} /> },
  { path: '/office/counts', title: 'Counts', permission: permission.counts_count, screen: (s) => <Counts session={s} /> },
  { path: '/office/journal', title: 'Sales journal', permission: permission.sales_read, screen: () => <Journal /> },
  { path: '/office/review', title: 'Weekly review', permission: permission.reports_read, screen: (s) => <Review session={s} /> },
  { path: '/office/store-credit', title: 'Store credit', permission: permission.store_credits_read, screen: () => <StoreCredit /> },
  { path: '/office/registers', title: 'Registers', permission: permission.registers_read, screen: (s) => <Registers session={s} /> },
  { path: '/office/sync', title: 'Store sync', permission: permission.registers_read, screen: (s) => <Sync session={s} /> },
  { path: '/office/setup', title: 'Store set-up', permission: permission.locations_manage, screen: (s) => <StoreSetup session={s} /> },
  { path: '/office/labels', title: 'Labels', permission: permission.labels_read, screen: (s) => <Labels session={s} /> },
  { path: '/office/integrations', title: 'Integrations', permission: permission.integrations_read, screen: (s) => <Integrations session={s} /> },
  { path: '/office/users', title: 'Users', permission: permission.users_manage, screen: () => <Users /> },
  { path: '/office/keys', title: 'API keys', permission: permission.apikeys_manage, screen: () => <Keys /> },
  { path: '/office/audit', title: 'Audit log', permission: permission.audit_read, screen: () => <Audit /> },
  { path: '/office/cutover', title: 'Cutover checklist', permission: permission.reports_read, screen: (s) => <Cutover session={s} /> },
  { path: '/office/export', title: 'Export everything', permission: permission.shop_export, screen: () => <Export /> },
  { path: '/office/training', title: 'Training results', permission: permission.training_read, screen: () => <TrainingResults /> },
];

export function BackOffice({ session, path, onSignOut }: { session: Session; path: string; onSignOut: () => void }) {
  const mine = sections.filter((s) => can(session, s.permission));
  const current = mine.find((s) => path.startsWith(s.path)) ?? mine[0];
  useEffect(() => { document.title = `${current?.title ?? 'Back office'} · Backroom`; }, [current]);
  // An office training module ticks "open this screen" steps from here.
  useEffect(() => { if (current) trainingEvent(`screen.${current.path}`); }, [current]);
  return (
    <div class="office">
      <header class="topbar">
        <strong class="brand">Backroom</strong>
        <nav aria-label="Areas">
          {can(session, permission.sales_create) && <a href="/register" onClick={(e) => { e.preventDefault(); navigate('/register'); }}>Register</a>}
          <a href="/office" aria-current="page" onClick={(e) => { e.preventDefault(); navigate('/office'); }}>Back office</a>
          <a href="/help" onClick={(e) => { e.preventDefault(); navigate('/help'); }}>Help</a>
        </nav>
        <span class="who">{session.user.display_name} · {words(session.user.role)}</span>
        <span class="spacer" />
        <Button variant="quiet" onClick={onSignOut}>Sign out</Button>
      </header>
      {can(session, permission.audit_read) && <BackupAlert />}
      <div class="office-body">
        <nav class="sidenav" aria-label="Back office">
          {mine.map((s) => (
            <a href={s.path} aria-current={s === current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(s.path); }}>{s.title}</a>
          ))}
        </nav>
        <main class="office-main">
          <TrainingCoach where="office" />
          {current ? current.screen(session) : <p>Your role has no back office screens.</p>}
        </main>
      </div>
    </div>
  );
}

/** Late or failing scheduled backups, said where a manager looks every day (issue 22). */
function BackupAlert() {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  useEffect(() => {
    const load = () => { system.status().then(setStatus).catch(() => undefined); };
    load();
    const t = setInterval(load, 60_000);
    return () => clearInterval(t);
  }, []);
  if (!status || !(status.backup_late || status.last_backup_error)) return null;
  const last = status.last_backup_at ? `The last backup finished ${when(status.last_backup_at)}.` : 'No backup has succeeded yet.';
  return (
    <div class="backup-alert" role="alert">
      <strong>{status.backup_late ? 'Backups are late.' : 'The last backup failed.'}</strong> {last}
      {status.last_backup_error && <> Why: {status.last_backup_error}</>} Tell whoever runs the server (docs/operations.md, “Scheduled backups”).
    </div>
  );
}
