// The typed client: one function per route the UI uses. The literal templates here are what
// scripts/check-api.mjs compares with docs/openapi.yaml at build time.
import { del, get, getWithEtag, link, patch, post, postCsv, postFile, postForBlob, put, putFile } from './client';
import type * as R from './reports';
import type * as T from './types';

export * from './client';
export * from './permissions';
export type * from './types';
export type * from './reports';

// Reads a paged list to its end: `page(cursor)` fetches one page, `rows` takes its rows.
async function everyPage<P extends { next_cursor: string | null }, Row>(page: (cursor?: string) => Promise<P>, rows: (p: P) => Row[]): Promise<Row[]> {
  const out: Row[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...rows(p));
    cursor = p.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

export const sessions = {
  current: (o: { deadlineMs?: number } = {}) => get<T.Session>('/session', o),
  signIn: (body: { username: string; password: string } | { username: string; pin: string }) => post<T.Session>('/session', body),
  signOut: () => del<unknown>('/session'),
  override: (body: { username: string; password?: string; pin?: string; permission: string; reason: string }) =>
    post<{ override_token: string }>('/overrides', body),
};

export const catalog = {
  scan: (code: string, o: { deadlineMs?: number } = {}) => get<T.ScanResult>('/scan/{code}', { path: { code }, ...o }),
  search: (query: { q?: string; status?: string; limit?: number; parent_id?: string }, o: { deadlineMs?: number } = {}) => get<T.ItemList>('/items', { query, ...o }),
  item: (id: string) => get<T.Item>('/items/{id}', { path: { id } }),
  itemWithEtag: (id: string) => getWithEtag<T.Item>('/items/{id}', { path: { id } }),
  create: (body: T.ItemInput) => post<T.Item>('/items', body),
  update: (id: string, body: T.ItemPatch, version: number) =>
    patch<T.Item>('/items/{id}', body, { path: { id }, headers: { 'if-match': `"v${version}"` } }),
  addBarcode: (id: string, body: { code: string } | { internal: true }) => post<T.Item>('/items/{id}/barcodes', body, { path: { id } }),
  removeBarcode: (id: string, code: string) => del<unknown>('/items/{id}/barcodes/{code}', { path: { id, code } }),
  /** The photo's address for an <img> (the server answers 304 while it is unchanged). */
  photoUrl: (id: string) => link('/items/{id}/photo', { path: { id } }),
  setPhoto: (id: string, photo: Blob) => putFile<T.PhotoInfo>('/items/{id}/photo', photo, { path: { id } }),
  removePhoto: (id: string) => del<unknown>('/items/{id}/photo', { path: { id } }),
  shelves: (id: string) => get<{ item_id: string; shelves: T.ItemShelf[] }>('/items/{id}/shelves', { path: { id } }).then((r) => r.shelves),
  setShelf: (id: string, location_id: string, shelf: string | null) =>
    put<T.ItemShelf>('/items/{id}/shelves/{location_id}', { shelf }, { path: { id, location_id } }),
  priceChanges: (status: string) => get<{ price_changes: T.PriceChange[] }>('/price-changes', { query: { status } }),
  requestPrice: (body: { item_id: string; price: number; reason: string; promotion?: boolean; effective_at?: string; ends_at?: string }) =>
    post<T.PriceChange>('/price-changes', body),
  approvePrice: (id: string) => post<T.PriceChange>('/price-changes/{id}/approve', {}, { path: { id } }),
  rejectPrice: (id: string) => post<T.PriceChange>('/price-changes/{id}/reject', {}, { path: { id } }),
};

export const stock = {
  locations: () => get<{ locations: T.Location[] }>('/locations').then((r) => r.locations),
  ofItem: (item_id: string) => get<T.StockView>('/stock', { query: { item_id } }),
  /** Opening stock from a spreadsheet; dryRun checks only. A 422 carries the same report. */
  importOpening: (csv: string, dryRun: boolean) =>
    postCsv<T.OpeningReport>('/stock/opening', csv, { query: { dry_run: dryRun ? 'true' : 'false' } }),
  lowStock: (location_id: string | undefined, cursor?: string | null) =>
    get<{ items: T.LowStockRow[]; next_cursor: string | null }>('/availability/low-stock', { query: { location_id, cursor, limit: 100 } }),
  movements: (item_id: string, limit = 200) => get<{ movements: T.Movement[] }>('/stock/movements', { query: { item_id, limit } }).then((r) => r.movements),
  adjust: (body: T.AdjustmentInput) => post<T.Adjustment>('/stock/adjustments', body),
  ship: (body: T.TransferInput) => post<T.Transfer>('/transfers', body),
  transfer: (id: string) => get<T.Transfer>('/transfers/{id}', { path: { id } }),
  transfers: (query: T.TransferQuery) => get<{ transfers: T.Transfer[]; next_cursor: string | null }>('/transfers', { query: { ...query } }),
  receive: (id: string, body: T.ReceiveInput) => post<T.Transfer>('/transfers/{id}/receive', body, { path: { id } }),
  /** Cancels a transfer in transit: what is still in transit goes back to the source. `key` makes a retry answer the same. */
  cancelTransfer: (id: string, reason: string, key: string) =>
    post<T.Transfer>('/transfers/{id}/cancel', { reason }, { path: { id }, headers: { 'idempotency-key': key } }),
  /** On a store node: the transfers head office shipped to this store, and receiving one (once). */
  inbound: (query: { status?: 'in_transit' | 'received' | 'cancelled'; limit?: number; cursor?: string }) =>
    get<{ transfers: T.InboundTransfer[]; next_cursor: string | null }>('/sync/inbound-transfers', { query: { ...query } }),
  receiveInbound: (id: string, body: T.InboundReceiveInput) =>
    post<T.InboundTransfer>('/sync/inbound-transfers/{id}/receive', body, { path: { id } }),
  /** On a store node: the purchase orders head office sent for this store, and receiving a delivery of one. */
  inboundOrders: (query: { status?: 'open' | 'all'; limit?: number; cursor?: string }) =>
    get<{ purchase_orders: T.InboundOrder[]; next_cursor: string | null }>('/sync/inbound-orders', { query: { ...query } }),
  receiveInboundOrder: (id: string, body: T.InboundOrderReceiveInput) =>
    post<{ receipt: { id: string; number: number }; purchase_order: T.InboundOrder }>('/sync/inbound-orders/{id}/receive', body, { path: { id } }),
  /** On a store node: head office's locations it may ship to (empty elsewhere), and what it shipped there. */
  destinations: () => get<{ destinations: T.Destination[]; next_cursor: string | null }>('/sync/destinations', { query: { limit: 500 } }),
  outbound: (query: { limit?: number; cursor?: string }) =>
    get<{ transfers: T.OutboundTransfer[]; next_cursor: string | null }>('/sync/outbound-transfers', { query: { ...query } }),
  shipOutbound: (body: T.TransferInput) => post<T.OutboundTransfer>('/transfers', body),
  cancelOutbound: (id: string, reason: string, key: string) =>
    post<T.OutboundTransfer>('/sync/outbound-transfers/{id}/cancel', { reason }, { path: { id }, headers: { 'idempotency-key': key } }),
};

export const sales = {
  post: (body: T.SaleInput, o: { deadlineMs?: number } = {}) => post<T.Sale>('/sales', body, o),
  quote: (body: Omit<T.SaleInput, 'id'>, o: { deadlineMs?: number } = {}) => post<T.Quote>('/sales/quote', body, o),
  get: (id: string, o: { deadlineMs?: number } = {}) => get<T.Sale>('/sales/{id}', { path: { id }, ...o }),
  journal: (query: T.JournalQuery) => get<{ sales: T.JournalSale[]; next_cursor: string | null }>('/sales', { query: { ...query } }),
  byReceipt: (receipt_number: string) => get<T.SaleList>('/sales', { query: { receipt_number } }),
  void: (id: string, body: { reason: string; override_token?: string }) => post<T.Sale>('/sales/{id}/void', body, { path: { id } }),
  /** A sale caught by the cut whose first try reached the server: the number the register printed offline. */
  offlineReceipt: (id: string, receipt_number: string, o: { deadlineMs?: number } = {}) =>
    post<T.Sale>('/sales/{id}/offline-receipt', { receipt_number }, { path: { id }, ...o }),
  park: (body: T.ParkInput) => post<T.Parked>('/sales/parked', body),
  parked: (location_id: string) => get<{ parked: T.Parked[] }>('/sales/parked', { query: { location_id } }).then((r) => r.parked),
  resume: (id: string) => post<T.Parked>('/sales/parked/{id}/resume', {}, { path: { id } }),
  returnSale: (body: T.ReturnInput | T.NoReceiptReturnInput, o: { deadlineMs?: number } = {}) => post<T.ReturnDoc>('/returns', body, o),
  refundSlip: (id: string) => link('/returns/{id}/receipt', { path: { id } }),
  storeCredit: (code: string, o: { deadlineMs?: number } = {}) => get<T.StoreCredit>('/store-credits/{code}', { path: { code }, ...o }),
  exchange: (body: T.ExchangeInput, o: { deadlineMs?: number } = {}) => post<T.ExchangeDoc>('/exchanges', body, o),
  receiptLink: (id: string) => link('/sales/{id}/receipt', { path: { id } }),
};

export const registers = {
  reserveReceipts: (register: string, size: number) =>
    post<T.ReceiptBlock>('/registers/{id}/receipt-blocks', { size }, { path: { id: register }, background: true }),
  catalogChanges: (cursor: string, location: string) =>
    get<T.CatalogChanges>('/catalog/changes', { query: { cursor, location, limit: 500 }, background: true }),
  current: (register: string) => get<T.RegisterSession>('/registers/{id}/sessions/current', { path: { id: register } }),
  sessions: (register: string, cursor?: string) =>
    get<{ sessions: T.RegisterSession[]; next_cursor: string | null }>('/registers/{id}/sessions', { path: { id: register }, query: { limit: 20, cursor } }),
  open: (register: string, body: { id: string; location_id: string; opening_float: number }) =>
    post<T.RegisterSession>('/registers/{id}/sessions', body, { path: { id: register } }),
  session: (register: string, session: string) =>
    get<T.RegisterSession>('/registers/{id}/sessions/{session}', { path: { id: register, session } }),
  cash: (register: string, session: string, body: { kind: T.CashKind; amount: number; reason: string }) =>
    post<T.RegisterSession>('/registers/{id}/sessions/{session}/cash', body, { path: { id: register, session } }),
  close: (register: string, session: string, body: { counted: Partial<Record<T.TenderType, number>> }) =>
    post<T.RegisterSession>('/registers/{id}/sessions/{session}/close', body, { path: { id: register, session } }),
};

export const people = {
  users: () =>
    everyPage((cursor) => get<{ users: T.User[]; next_cursor: string | null }>('/users', { query: { limit: 500, cursor } }), (r) => r.users),
  createUser: (body: T.UserInput) => post<T.User>('/users', body),
  setDisabled: (id: string, disabled: boolean) => patch<T.User>('/users/{id}', { disabled }, { path: { id } }),
  keys: () =>
    everyPage((cursor) => get<{ api_keys: T.ApiKey[]; next_cursor: string | null }>('/api-keys', { query: { limit: 500, cursor } }), (r) => r.api_keys)
      // The list pages by id; the screen shows keys by name, oldest first.
      .then((keys) => keys.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))),
  createKey: (body: { name: string; role: string }) => post<T.ApiKey>('/api-keys', body),
  revokeKey: (id: string) => del<unknown>('/api-keys/{id}', { path: { id } }),
  audit: (query: { action?: string; actor?: string; limit?: number }) => get<{ entries: T.AuditEntry[] }>('/audit', { query }).then((r) => r.entries),
};

export const labels = {
  queue: () => get<T.LabelQueue>('/labels/queue'),
  printQueue: () => postForBlob('/labels/queue/print', { format: 'pdf' }),
  preview: (item_id: string, kind: string) => link('/labels/preview', { query: { item_id, kind, format: 'svg' } }),
};

export const settings = {
  sales: () => get<T.SalesSettings>('/settings/sales'),
  putSales: (body: Partial<T.SalesSettings>) => put<T.SalesSettings>('/settings/sales', body),
  offlineReturns: () => get<T.OfflineReturnsRule>('/settings/offline-returns'),
  putOfflineReturns: (body: { offline_returns: 'refuse' | 'allow'; offline_return_limit?: number }) => put<T.OfflineReturnsRule>('/settings/offline-returns', body),
  barcodes: () => get<T.BarcodeSettings>('/settings/barcodes'),
  putBarcodes: (body: T.BarcodeSettings) => put<T.BarcodeSettings>('/settings/barcodes', body),
  stock: () => get<T.StockSettings>('/settings/stock'),
  putStock: (body: T.StockSettings) => put<T.StockSettings>('/settings/stock', body),
};

export const orders = {
  queue: (location_id: string) => get<{ online_orders: T.OnlineOrder[] }>('/pick-queue', { query: { location_id } }).then((r) => r.online_orders),
  get: (id: string) => get<T.OnlineOrder>('/online-orders/{id}', { path: { id } }),
  pick: (id: string, body: { code: string } | { item_id: string; quantity: number }, key: string) =>
    post<T.OnlineOrder>('/online-orders/{id}/pick', body, { path: { id }, headers: { 'idempotency-key': key } }),
  short: (id: string, line_id: string, key: string) =>
    post<T.OnlineOrder>('/online-orders/{id}/short', { line_id }, { path: { id }, headers: { 'idempotency-key': key } }),
  stage: (id: string, spot: string, key: string) =>
    post<T.OnlineOrder>('/online-orders/{id}/stage', { spot }, { path: { id }, headers: { 'idempotency-key': key } }),
  stagingLabel: (id: string) => link('/online-orders/{id}/staging-label', { path: { id } }),
  substitutes: (id: string, line_id: string) =>
    get<{ items: T.SubstituteCandidate[] }>('/online-orders/{id}/lines/{line_id}/substitutes', { path: { id, line_id } }).then((r) => r.items),
  offerSubstitute: (id: string, body: { line_id: string; item_id: string }, key: string) =>
    post<T.Substitution>('/online-orders/{id}/substitutions', body, { path: { id }, headers: { 'idempotency-key': key } }),
  /** The customer's side: no sign-in, the token in the link is the proof. */
  offer: (token: string) => get<T.SubstitutionOffer>('/substitution-offers/{token}', { path: { token }, background: true }),
  offerPhotoUrl: (token: string) => link('/substitution-offers/{token}/photo', { path: { token } }),
  acceptOffer: (token: string) => post<T.SubstitutionOffer>('/substitution-offers/{token}/accept', {}, { path: { token }, background: true }),
  declineOffer: (token: string) => post<T.SubstitutionOffer>('/substitution-offers/{token}/decline', {}, { path: { token }, background: true }),
  pickup: (pickup_code: string, register_id: string, key: string, tenders?: T.TenderInput[]) =>
    post<T.OnlineOrder & { sale?: T.Sale }>('/online-orders/pickup', { pickup_code, register_id, ...(tenders ? { tenders } : {}) }, { headers: { 'idempotency-key': key } }),
};

export const training = {
  modules: () => get<{ modules: T.TrainingModule[] }>('/training/modules').then((r) => r.modules),
  /** Finish a module: the steps the screens reported and one answer per question; graded by the server. */
  attempt: (body: { module: string; steps_done: string[]; answers: number[] }) => post<T.TrainingAttempt>('/training/attempts', body),
  results: () => get<{ results: T.TrainingStanding[] }>('/training/results').then((r) => r.results),
};

export const system = {
  /** Version, schema, the last backup and whether it is late (polled by the back office). */
  status: () => get<T.SystemStatus>('/system/status', { background: true }),
  /** Every table as CSV in one ZIP (shop.export); the browser downloads it. */
  exportLink: () => link('/export'),
};

export const sync = {
  /** This server's link to head office (a store node), or node: false (polled in the background). */
  status: () => get<T.SyncStatus>('/sync/status', { background: true }),
  nodes: () => get<{ nodes: T.SyncNode[] }>('/sync/nodes').then((r) => r.nodes),
  /** A new store node for a store; its key is in this answer only. */
  addNode: (location_id: string) => post<T.SyncNode & { key: string }>('/sync/nodes', { location_id }),
  /** What head office found posting the nodes' documents; open ones, newest first. */
  conflicts: () => get<{ conflicts: T.SyncConflict[]; next_cursor: string | null }>('/sync/conflicts', { query: { limit: 100 } }),
  cashUps: () => get<{ cash_ups: T.SyncCashUp[]; next_cursor: string | null }>('/sync/cash-ups', { query: { limit: 50 } }),
  resolveConflict: (id: string, note: string, settlement?: 'written_off' | 'collected') =>
    post<T.SyncConflict>('/sync/conflicts/{id}/resolve', { note, ...(settlement ? { settlement } : {}) }, { path: { id } }),
  /** Post a rejected document again, or put a refused shipment in transit (to `to_location_id` when given). */
  retryConflict: (id: string, note: string, to_location_id?: string) =>
    post<T.SyncConflict>('/sync/conflicts/{id}/retry',
      { ...(note.trim() ? { note } : {}), ...(to_location_id ? { to_location_id } : {}) }, { path: { id } }),
  /** Change requests: at head office those the nodes sent, on a node those it sent; newest first. */
  changeRequests: (status: 'pending' | 'applied' | 'rejected' | 'all' = 'pending') =>
    get<{ change_requests: T.SyncChangeRequest[]; next_cursor: string | null }>('/sync/change-requests', { query: { status, limit: 100 } }),
  applyChangeRequest: (id: string) =>
    post<{ change_request: T.SyncChangeRequest }>('/sync/change-requests/{id}/apply', {}, { path: { id } }),
  rejectChangeRequest: (id: string, note: string) =>
    post<{ change_request: T.SyncChangeRequest }>('/sync/change-requests/{id}/reject', { note }, { path: { id } }),
};

/** True when a store node answered an edit of master data with 202: kept as a change request for head office. */
export function sentToHeadOffice(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && 'change_request' in answer;
}

export const setup = {
  location: (id: string) => get<T.Location>('/locations/{id}', { path: { id } }),
  patchLocation: (id: string, body: T.LocationPatch) => patch<T.Location>('/locations/{id}', body, { path: { id } }),
  registers: (location_id?: string) => get<{ registers: T.RegisterInfo[] }>('/registers', { query: { location_id } }).then((r) => r.registers),
  register: (id: string) => get<T.RegisterInfo>('/registers/{id}', { path: { id } }),
  createRegister: (body: { name: string; location_id: string; printer_width: 58 | 80 }) => post<T.RegisterInfo>('/registers', body),
  patchRegister: (id: string, body: { name?: string; printer_width?: 58 | 80 }) => patch<T.RegisterInfo>('/registers/{id}', body, { path: { id } }),
  taxCategories: () => get<T.TaxCategories>('/tax-categories'),
  putTaxCategory: (code: string, body: { name: string; rate: number; default?: boolean }) => put<T.TaxCategories>('/tax-categories/{code}', body, { path: { code } }),
  roles: () => get<{ roles: T.Role[] }>('/roles').then((r) => r.roles),
  setDiscountLimit: (name: string, bp: number | null) => patch<T.Role>('/roles/{name}', { limits: { discount_basis_points_max: bp } }, { path: { name } }),
};

export const purchasing = {
  suppliers: (query: { q?: string; limit?: number; cursor?: string }) =>
    get<{ suppliers: T.Supplier[]; next_cursor?: string | null }>('/suppliers', { query }),
  supplier: (id: string) => get<T.Supplier>('/suppliers/{id}', { path: { id } }),
  /** With bank details the answer is {status: 'pending', change_id, supplier}: they wait for approval. */
  createSupplier: (body: T.SupplierInput) => post<T.Supplier | T.PendingAnswer>('/suppliers', body),
  /** A change of bank details answers 202 pending; everything else applies at once. */
  updateSupplier: (id: string, body: T.SupplierPatch, version: number) =>
    patch<T.Supplier | T.PendingAnswer>('/suppliers/{id}', body, { path: { id }, headers: { 'if-match': `"v${version}"` } }),
  supplierItems: (id: string) => get<{ items: T.SupplierItem[] }>('/suppliers/{id}/items', { path: { id } }).then((r) => r.items),
  addSupplierItem: (id: string, body: T.SupplierItemInput) => post<T.SupplierItem>('/suppliers/{id}/items', body, { path: { id } }),
  importPriceList: (id: string, csv: string) => postCsv<T.PriceListReport>('/suppliers/{id}/price-list', csv, { path: { id } }),
  /** Suppliers from a spreadsheet; dryRun checks only. A 422 carries the same report. */
  importSuppliers: (csv: string, dryRun: boolean) =>
    postCsv<T.SupplierImportReport>('/suppliers/import', csv, { query: { dry_run: dryRun ? 'true' : 'false' } }),
  changes: (status: string) => get<{ changes: T.SupplierChange[] }>('/supplier-changes', { query: { status } }).then((r) => r.changes),
  approveChange: (id: string) => post<T.SupplierChange>('/supplier-changes/{id}/approve', {}, { path: { id } }),
  rejectChange: (id: string, note = '') => post<T.SupplierChange>('/supplier-changes/{id}/reject', note ? { note } : {}, { path: { id } }),

  orders: (query: T.PoQuery) => get<{ purchase_orders: T.PurchaseOrder[]; next_cursor?: string | null }>('/purchase-orders', { query: { ...query } }),
  order: (id: string) => get<T.PurchaseOrder>('/purchase-orders/{id}', { path: { id } }),
  createOrder: (body: T.PoInput) => post<T.PurchaseOrder>('/purchase-orders', body),
  editOrder: (id: string, body: { lines: { item_id: string; quantity: number }[] }) => patch<T.PurchaseOrder>('/purchase-orders/{id}', body, { path: { id } }),
  sendOrder: (id: string) => post<T.PurchaseOrder>('/purchase-orders/{id}/send', {}, { path: { id } }),
  cancelOrder: (id: string) => post<T.PurchaseOrder>('/purchase-orders/{id}/cancel', {}, { path: { id } }),
  closeOrder: (id: string, reason: string) => post<T.PurchaseOrder>('/purchase-orders/{id}/close', { reason }, { path: { id } }),
  document: (id: string, format: 'pdf' | 'csv') => link('/purchase-orders/{id}/document', { path: { id }, query: { format } }),
  /** One receipt; the key makes a retry of the same receipt book it once. */
  receive: (id: string, key: string, body: T.ReceiptInput) =>
    post<T.PoReceipt>('/purchase-orders/{id}/receipts', body, { path: { id }, headers: { 'idempotency-key': key } }),
};

export const customers = {
  list: (query: { q?: string; phone?: string; email?: string; limit?: number; cursor?: string }) =>
    get<{ customers: T.Customer[]; next_cursor: string | null }>('/customers', { query }),
  create: (body: T.CustomerInput) => post<T.Customer>('/customers', body),
  update: (id: string, version: number, body: T.CustomerInput) =>
    patch<T.Customer>('/customers/{id}', body, { path: { id }, headers: { 'if-match': `"v${version}"` } }),
  import: (csv: string, dryRun: boolean) =>
    postCsv<T.CustomerImportReport>('/customers/import', csv, { query: { dry_run: dryRun ? 'true' : 'false' } }),
};

export const planning = {
  suggestions: (query: { location_id: string; supplier_id?: string }) => get<T.SuggestionList>('/replenishment/suggestions', { query }),
  /** Accepted suggestions become a draft purchase order; the key makes a retry draft it once. */
  createOrder: (key: string, body: T.ReplenishmentOrderInput) =>
    post<T.PurchaseOrder>('/replenishment/orders', body, { headers: { 'idempotency-key': key } }),
  series: (query: { location_id: string; item_id: string }) => get<T.DemandSeries>('/planning/series', { query }),
  /** The promotion calendar: flagged promotions whose days meet from..to (YYYY-MM-DD), of one status when given. */
  promotions: (query: { from: string; to: string; status?: T.Promotion['status']; limit?: number }) =>
    get<{ promotions: T.Promotion[]; next_cursor: string | null }>('/planning/promotions', { query }),
};

export const counts = {
  today: (location_id: string) => get<T.CountToday>('/counts/today', { query: { location_id } }),
  list: (query: { location_id?: string; status?: string; limit?: number }) =>
    get<{ counts: T.CountSummary[] }>('/counts', { query }).then((r) => r.counts),
  start: (body: { location_id: string; plan?: 'today' | 'negative' | 'recent_variance'; item_ids?: string[] }) => post<T.CountDoc>('/counts', body),
  get: (id: string) => get<T.CountDoc>('/counts/{id}', { path: { id } }),
  /** One counted line; the key makes a retry from a flaky phone record it once. */
  line: (id: string, key: string, body: T.CountLineInput) =>
    post<T.CountEntryAnswer>('/counts/{id}/lines', body, { path: { id }, headers: { 'idempotency-key': key } }),
  approve: (id: string, reasons: { item_id: string; reason: T.VarianceReason }[]) =>
    post<T.CountDoc>('/counts/{id}/approve', { reasons }, { path: { id } }),
  photo: (id: string, photo_id: string) =>
    get<{ id: string; content_type: string; data_url: string }>('/counts/{id}/photos/{photo_id}', { path: { id, photo_id } }),
};

/** The KPI report and the weekly review (issue 18). */
export const reports = {
  kpis: (query: R.KpiQuery) => get<R.KpiReport>('/reports/kpis', { query: { ...query } }),
  kpisCsv: (query: R.KpiQuery) => link('/reports/kpis', { query: { ...query, format: 'csv' } }),
  weekly: (query: { to?: string; weeks?: number; location_id?: string }) => get<R.KpiWeekly>('/reports/kpis/weekly', { query }),
  owners: () => get<{ owners: R.Owner[] }>('/reports/owners').then((r) => r.owners),
  actions: (week?: string) => get<R.ActionList>('/reports/actions', { query: { week } }),
  addAction: (body: R.ActionInput) => post<R.ReviewAction>('/reports/actions', body),
  changeAction: (id: string, body: R.ActionPatch, version: number) =>
    patch<R.ReviewAction>('/reports/actions/{id}', body, { path: { id }, headers: { 'if-match': `"v${version}"` } }),
  addPhoto: (id: string, photo: Blob) => postFile<R.ReviewAction>('/reports/actions/{id}/photos', photo, { path: { id } }),
  photo: (id: string, photo_id: string) => link('/reports/actions/{id}/photos/{photo_id}', { path: { id, photo_id } }),
  storeCredit: (query: R.StoreCreditQuery) => get<R.StoreCreditReport>('/reports/store-credit', { query: { ...query } }),
  storeCreditCsv: (query: R.StoreCreditQuery) => link('/reports/store-credit', { query: { ...query, format: 'csv' } }),
  creditNotes: (query: { open?: 'true' | 'false'; limit?: number; cursor?: string }) =>
    get<R.CreditNotePage>('/store-credits', { query }),
  cutover: () => get<{ tasks: R.CutoverTask[] }>('/cutover').then((r) => r.tasks),
  changeCutover: (key: string, body: R.CutoverPatch) => patch<R.CutoverTask>('/cutover/{key}', body, { path: { key } }),
};

/** Outbound webhooks: endpoints, the delivery log, dead letters and alerts (issue 19). */
export const webhooks = {
  eventTypes: () => get<{ event_types: string[] }>('/webhooks/event-types').then((r) => r.event_types),
  endpoints: () => get<{ endpoints: T.WebhookEndpoint[] }>('/webhooks/endpoints', { query: { limit: 500 } }).then((r) => r.endpoints),
  create: (body: { url: string; event_types: string[]; description: string; owner: string; mapping?: string | null }) =>
    post<T.WebhookEndpoint & { secret: string }>('/webhooks/endpoints', body),
  setMapping: (e: T.WebhookEndpoint, mapping: string | null) =>
    patch<T.WebhookEndpoint>('/webhooks/endpoints/{id}', { mapping }, { path: { id: e.id }, headers: { 'if-match': `"v${e.version}"` } }),
  setEnabled: (e: T.WebhookEndpoint, enabled: boolean) =>
    patch<T.WebhookEndpoint>('/webhooks/endpoints/{id}', { enabled }, { path: { id: e.id }, headers: { 'if-match': `"v${e.version}"` } }),
  remove: (id: string) => del<unknown>('/webhooks/endpoints/{id}', { path: { id } }),
  rotate: (id: string) => post<T.WebhookEndpoint & { secret: string }>('/webhooks/endpoints/{id}/rotate', undefined, { path: { id } }),
  attempts: (id: string) => get<{ attempts: T.WebhookAttempt[] }>('/webhooks/endpoints/{id}/attempts', { path: { id }, query: { limit: 100 } }).then((r) => r.attempts),
  deadLetters: (endpoint_id?: string) => get<{ dead_letters: T.WebhookMessage[] }>('/webhooks/dead-letters', { query: { endpoint_id, limit: 100 } }).then((r) => r.dead_letters),
  replay: (id: string) => post<T.WebhookMessage>('/webhooks/dead-letters/{id}/replay', undefined, { path: { id } }),
  alerts: (status?: string) => get<{ alerts: T.Alert[] }>('/alerts', { query: { status, limit: 100 } }).then((r) => r.alerts),
  acknowledge: (id: string, note?: string) => post<T.Alert>('/alerts/{id}/acknowledge', note ? { note } : {}, { path: { id } }),
  resolve: (id: string, note: string) => post<T.Alert>('/alerts/{id}/resolve', { note }, { path: { id } }),
};

/** Versioned mapping tables: another system's field names and codes (docs/formats.md). */
export const mappings = {
  list: () => get<{ mappings: T.Mapping[]; review_due: number }>('/mappings'),
  put: (name: string, body: T.MappingBody) => put<T.Mapping>('/mappings/{name}', body, { path: { name } }),
};
