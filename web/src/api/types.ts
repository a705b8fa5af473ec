// The JSON shapes the UI reads and writes, as docs/openapi.yaml describes them. Money is
// integer minor units, quantities are JSON numbers (at most 3 decimals), ids are strings.

export type Money = number;
export type Quantity = number;

export interface SessionUser { id: string; username: string; display_name: string; role: string }
export interface Session {
  user: SessionUser;
  permissions: string[];
  csrf_token: string | null;
  expires_at: string | null;
}

export interface Barcode { code: string; pack_quantity: Quantity; kind?: string }
export interface KitComponent { item_id: string; quantity: Quantity }
export interface Item {
  id: string;
  sku: string;
  name: string;
  description?: string;
  category?: string;
  brand?: string;
  kind: 'standard' | 'parent' | 'variant' | 'kit';
  status: string;
  unit: string;
  price: Money | null;
  cost?: Money | null;
  tax_category?: string | null;
  effective_tax_category?: string;
  tax_category_source?: string;
  parent_id?: string | null;
  options?: Record<string, unknown>;
  kit?: { consumes: string; components: KitComponent[] };
  barcodes: Barcode[];
  version: number;
}
export interface ItemList { items: Item[]; next_cursor?: string | null }
export interface ItemInput {
  sku: string; name: string; price: Money | null; tax_category?: string; unit: string; category?: string;
  barcodes?: { code: string }[];
}
export type ItemPatch = Partial<Record<'name' | 'description' | 'category' | 'brand' | 'status' | 'tax_category', string>> &
  Partial<Record<'price' | 'cost', Money | null>>;
export interface ScanResult {
  item: Item;
  code: string;
  pack_quantity: Quantity;
  embedded_price?: Money;
  embedded_weight?: Quantity;
}

export interface ReceiptText { shop_name: string | null; address: string | null; tax_number: string | null; footer: string | null }
export interface Location {
  id: string; name: string; kind: string; sellable: boolean; parent_id: string | null;
  receipt?: ReceiptText; default_tax_category?: string | null;
}
export interface LocationPatch { name?: string; receipt?: Partial<ReceiptText>; default_tax_category?: string | null }
export interface RegisterInfo { id: string; name: string; location: Named; location_id: string; printer_width: 58 | 80 }
export interface TaxCategory { code: string; name: string; rate: number; default: boolean }
export interface TaxCategories { tax_categories: TaxCategory[]; default_tax_category: string }
export interface Role { name: string; description?: string; builtin?: boolean; limits?: { discount_basis_points_max: number | null; return_without_receipt_max?: Money | null } }
export interface Balance { item_id: string; location_id: string; on_hand: Quantity; reserved: Quantity; available: Quantity }
export interface StockView { on_hand: Quantity; reserved?: Quantity; available?: Quantity; locations?: Balance[] }
export interface Movement {
  seq: number; item_id: string; location_id: string; quantity: Quantity; reason: string;
  document_type: string; document_id: string; at: string; user: string; device: string;
  flagged?: boolean; flag_reasons?: AdjustmentFlag[]; reason_code?: string | null;
}
export type AdjustmentFlag = 'below_zero' | 'over_quantity' | 'over_value';
export interface AdjustmentInput {
  id: string; item_id: string; location_id: string; quantity: Quantity; reason: string; note: string;
  confirm?: boolean; reason_code?: string;
}
export interface Adjustment { id: string; flagged: boolean; flag_reasons: AdjustmentFlag[]; reason_code: string | null }
/** GET /settings/barcodes: internal prefixes and the price/weight-embedded layouts (scale labels). */
export interface BarcodeSettings { internal_prefixes: string[]; embedded_layouts: EmbeddedLayout[] }
export interface EmbeddedLayout { prefix: string; item_digits: number; value: 'price' | 'weight'; value_digits: number; decimals: number; verifier: boolean }
export interface StockSettings { adjustment_confirm_quantity: Quantity | null; adjustment_confirm_value: Money | null }

export interface TransferLine {
  id: string; item_id: string; sku?: string | null; name?: string | null;
  shipped: Quantity; received: Quantity; damaged: Quantity; short: Quantity; outstanding: Quantity;
  /** Went back to the source when the transfer was cancelled. */
  returned?: Quantity;
}
export interface TransferReceipt { id: string; number: number; closed: boolean; at: string; by: string }
export interface Transfer {
  id: string; number: string; from_location_id: string; to_location_id: string; from: Named; to: Named;
  status: 'in_transit' | 'received' | 'cancelled'; shipped_at: string; lines: TransferLine[]; receipts?: TransferReceipt[];
  cancelled_at?: string | null; cancelled_by?: string | null; cancel_reason?: string | null;
}
export interface TransferQuery { status?: 'in_transit' | 'received' | 'cancelled'; location_id?: string; limit?: number; cursor?: string }
export interface TransferInput { id: string; from_location_id: string; to_location_id: string; lines: { item_id: string; quantity: Quantity }[] }
/** On a store node: a transfer head office shipped to this store (docs/sync.md, "Transfers to a store node"). */
export interface InboundTransferLine { id: string; item_id: string; sku: string; name: string; shipped: Quantity; received: Quantity; damaged: Quantity; short: Quantity }
export interface InboundTransfer {
  id: string; number: string; from: { name: string }; note: string; status: 'in_transit' | 'received' | 'cancelled'; shipped_at: string; arrived_at: string;
  location_id: string | null; received_at: string | null; received_by: string | null; cancelled_at: string | null; cancel_reason: string | null;
  lines: InboundTransferLine[];
}
/** On a store node: a purchase order head office sent for this store (docs/sync.md, "Purchase orders for a store node's store"); no costs. */
export interface InboundOrderLine {
  id: string; line_no: number; item_id: string; sku: string; name: string; quantity: Quantity; case_pack: Quantity; cases: number;
  received: Quantity; damaged: Quantity; short: Quantity; over: Quantity; cancelled: Quantity; outstanding: Quantity;
}
export interface InboundOrder {
  id: string; number: string; status: 'sent' | 'partially_received' | 'received' | 'closed' | 'cancelled'; supplier: { name: string };
  expected_on: string | null; note: string; sent_at: string; arrived_at: string; lines: InboundOrderLine[];
}
export interface InboundOrderReceiveInput { lines: { po_line_id: string; received: Quantity; damaged?: Quantity }[]; location_id?: string; override_token?: string }
/** On a store node: one of head office's locations it may ship to, and a transfer it shipped there (docs/sync.md, "A store node ships"). */
export interface Destination { id: string; name: string; kind: 'store' | 'backroom' | 'warehouse' }
export interface OutboundTransfer {
  id: string; number: string; status: 'shipped' | 'received' | 'refused' | 'cancelled'; from: { id: string; name: string }; to: { id: string; name: string };
  note: string; shipped_at: string; shipped_by: string; received_at: string | null;
  cancelled_at?: string | null; cancelled_by?: string | null; cancel_reason?: string | null;
  lines: { id: string; item_id: string; sku: string; name: string; shipped: Quantity; received: Quantity; damaged: Quantity; short: Quantity }[];
}
export interface InboundReceiveInput { lines?: { line_id: string; received: Quantity; damaged?: Quantity }[]; location_id?: string }
export interface ReceiveInput { id: string; lines?: { line_id: string; received: Quantity; damaged?: Quantity }[]; close?: boolean }

export type TenderType = 'cash' | 'card' | 'store_credit';
export interface TenderInput { type: TenderType; amount: Money; reference?: string }
export interface Tender { type: TenderType | 'exchange_credit'; amount: Money; reference?: string | null }
export interface SaleLineInput {
  item_id?: string; code?: string; quantity: Quantity; discount?: { percent: number };
  /** An offline sale's line: the unit price the register charged from its catalog copy. */
  charged_price?: Money;
}
export interface SaleInput {
  id: string;
  location_id: string;
  register_id: string;
  training: boolean;
  lines: SaleLineInput[];
  tenders: TenderInput[];
  override_token?: string;
  /** An offline sale: a number of a block its register reserved. */
  receipt_number?: string;
  /** An offline sale: when it was completed at the register. */
  sold_at?: string;
}
export interface SaleLine {
  id: string; item_id: string; sku: string; name: string; code: string | null; quantity: Quantity;
  unit_price: Money; line_discount: Money; tax: Money; total: Money; returned_quantity: Quantity;
}
export interface Sale {
  id: string;
  receipt_number: string;
  /** Only on a sale caught by the cut whose first try reached the server: the number its register printed offline. */
  offline_receipt_number?: string;
  location_id: string;
  register_id: string;
  status: 'completed' | 'voided';
  training: boolean;
  created_at: string;
  user: string;
  subtotal: Money;
  discount_total: Money;
  tax_total: Money;
  total: Money;
  change_due: Money;
  lines: SaleLine[];
  tenders: Tender[];
  void?: { id: string; reason: string; user: string; approver: string | null } | null;
}
export interface SaleList { sales: Sale[]; next_cursor?: string | null }
export interface ParkInput { id: string; location_id: string; register_id: string; training: boolean; lines: SaleLineInput[]; note: string }
export interface Parked {
  id: string; parked_at: string; parked_by: string; note: string;
  sale: { lines: SaleLineInput[] };
}

export type ReturnReason = 'changed_mind' | 'defective' | 'wrong_item' | 'wrong_size' | 'not_as_described' | 'damaged_in_transit' | 'late_delivery' | 'other';
export interface ReturnLineInput { sale_line_id: string; quantity: Quantity; reason: string; condition: string; disposition: string }
/** A return without a receipt: items at their current price, into the register's store (returns.no_receipt, or a lead's override). */
export interface NoReceiptReturnInput {
  id: string; location_id: string; register_id: string; override_token?: string; training?: boolean;
  lines: { item_id: string; quantity: Quantity; reason: string; condition: string; disposition: string }[];
}
/** GET/PUT /settings/sales (docs/openapi.yaml SalesSettings). */
export interface SalesSettings {
  tax_mode: 'inclusive' | 'exclusive';
  tax_rounding: 'line' | 'receipt';
  rounding: 'half_even' | 'half_up';
  negative_stock: 'allow' | 'refuse';
  no_receipt_refund: 'store_credit' | 'cash';
  tax_rates: Record<string, number>;
}
/** GET/PUT /settings/offline-returns: whether a register that cannot reach the server may take a return (docs/offline-register.md). */
export interface OfflineReturnsRule { offline_returns: 'refuse' | 'allow'; offline_return_limit: Money }
export interface ReturnInput {
  id: string; sale_id: string; register_id: string; lines: ReturnLineInput[]; override_token?: string;
  /** The whole refund to one new store credit note (the server prorates it). */
  refund_to?: 'store_credit';
  /** Practice: a training return moves no stock and no money (only a training sale's may be returned outside training). */
  training?: boolean;
}
export interface ExchangeInput {
  id: string;
  return: Omit<ReturnInput, 'id'>;
  sale: Omit<SaleInput, 'id'>;
}
export interface ExchangeDoc { id: string; return: ReturnDoc; sale: Sale; credit: Money; refund_due: Money; balance_due: Money }
export interface ReturnLine { item_id: string; name?: string; quantity: Quantity; refund: Money; disposition: string }
export interface ReturnDoc { id: string; sale_id: string | null; refund_total: Money; lines: ReturnLine[]; tenders: Tender[] }

export interface Named { id: string; name: string }
export interface TenderCount { type: TenderType; expected: Money; counted: Money | null; over_short: Money | null }
export interface TaxByRate { rate: number; taxable: Money; tax: Money }
/** The X report of an open session or the Z report of a closed one. */
export interface SessionReport {
  opening_float: Money; cash_sales: Money; cash_refunds: Money; paid_in: Money; paid_out: Money; safe_drops: Money;
  tenders: TenderCount[]; sales_count: number; returns_count: number; voids_count: number; exchanges_count: number;
  gross_sales: Money; discounts: Money; returns_total: Money; net_sales: Money; taxes: TaxByRate[];
  by_cashier: { user_id: string | null; name: string; sales_count: number; sales_total: Money }[];
  register: Named; location: Named;
}
export interface Person { id: string; name: string; username?: string }
export interface RegisterSession {
  id: string; number: number; register_id: string; register?: Named; status: 'open' | 'closed'; opening_float: Money;
  opened_at: string; opened_by: Person | null; closed_at: string | null; closed_by: Person | null;
  x_report?: SessionReport; z_report?: SessionReport;
}
export type CashKind = 'paid_in' | 'paid_out' | 'safe_drop';

export interface User { id: string; username: string; display_name: string; role: string; disabled: boolean; has_pin: boolean }
export interface UserInput { username: string; display_name: string; role: string; password: string; pin?: string }
export interface ApiKey { id: string; name: string; role: string; status: string; created_at: string; created_by: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null; key?: string }
export interface PriceChange {
  id: string; item_id: string; tier: string | null; price: Money; old_price: Money | null; effective_at: string;
  reason: string; status: string; requested_by: string; promotion?: boolean; ends_at?: string | null;
}
/** A row of the promotion calendar: `to` is its last day (null: until the next price change). */
export interface Promotion {
  id: string; item_id: string; sku: string; name: string; tier: string | null; from: string; to: string | null; price: Money;
  regular_price: Money | null; same_price: boolean; discount_percent: number | null;
  status: 'pending' | 'approved' | 'applied' | 'ended'; reason: string;
}
export interface AuditEntry { seq: number; at: string; actor: string; action: string; entity: string; entity_id: string | null; after: unknown }
export interface LabelEntry { item_id: string; sku: string; name: string; price: Money | null; kind: string; reason: string; copies: number; queued_at: string }
export interface LabelQueue { pending: number; entries: LabelEntry[] }
export interface StoreCredit {
  code: string; balance: Money; created_at?: string;
  entries: { at: string; amount: Money; document_type: string; document_id: string; receipt_number?: string; user?: string }[];
}
/** A sale priced by the server exactly as posting it would, nothing written. */
export interface Quote {
  subtotal: Money; discount_total: Money; tax_total: Money; total: Money;
  lines: { item_id: string; sku: string; name: string; quantity: Quantity; unit_price: Money; discount: Money; tax: Money; total: Money }[];
  taxes: TaxByRate[];
  needs_override: { reason: string; limit: number } | null;
}
/** A row of the sales journal: the sale with its register, cashier and store by name. */
export interface JournalSale {
  id: string; number: string; at: string; total: Money; status: string; channel: string; training?: boolean;
  register: Named | null; cashier: Person | null; location: Named | null; lines_count: number;
}
export interface JournalQuery { from?: string; to?: string; register_id?: string; receipt?: string; item_id?: string; limit?: number; cursor?: string }

// --- purchasing (issue 16): suppliers, purchase orders, receipts ---
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** Bank details: masked ("•••• 4300") unless the role may read them. */
export interface PaymentDetails { iban: string | null; bic: string | null; account_name: string | null; masked?: boolean }
export interface Supplier {
  id: string; name: string; contact: { email: string | null; phone: string | null };
  lead_time_days: number | null; lead_time_sd_days: number | null; order_days: Weekday[];
  min_order_value: Money | null; free_freight_value: Money | null;
  payment: PaymentDetails | null; status?: string; version: number;
  pending_payment_change?: { id: string; requested_by: string; requested_at: string } | null;
}
export interface SupplierInput {
  name: string; contact: { email: string; phone: string }; lead_time_days: number | null; lead_time_sd_days: number | null;
  order_days: Weekday[]; min_order_value: Money | null; free_freight_value: Money | null; payment?: PaymentDetails;
}
export type SupplierPatch = Partial<SupplierInput>;
/** A PATCH that changed bank details: they wait for a second person's approval. */
export interface PendingAnswer { status: 'pending'; change_id: string; supplier?: Supplier }
export interface SupplierItem {
  supplier_id?: string; item_id: string; sku?: string | null; name?: string | null; supplier_sku: string | null; cost: Money;
  case_pack: Quantity; case_gtin: string | null; min_order_units: Quantity | null; preferred: boolean;
}
export interface SupplierItemInput {
  item_id: string; supplier_sku: string; cost: Money; case_pack: Quantity; case_gtin?: string; min_order_units?: Quantity; preferred: boolean;
}
export interface SupplierChange {
  id: string; supplier_id: string; kind?: string; status: string; reason?: string;
  payment?: PaymentDetails | null; requested_by: string; requested_at: string;
  decided_by?: string | null; decided_at?: string | null; decision_note?: string;
}
/** One bad row of a price list: its line in the file, the column, why. */
export interface PriceListError { line: number; column?: string | null; code?: string; reason?: string }
export interface PriceListReport { rows: number; created: number; updated: number; unchanged?: number; applied?: boolean; errors: PriceListError[] }

/** A customer (phone and email masked unless contact_shown: customers.contact_read). */
export interface Customer {
  id: string; number: string; name: string; phone: string | null; email: string | null; contact_shown: boolean;
  note: string; marketing_consent: boolean; marketing_consent_at: string | null; version: number; created_at: string; updated_at: string;
}
export interface CustomerInput { name?: string; phone?: string | null; email?: string | null; note?: string; marketing_consent?: boolean }
export interface CustomerImportReport {
  rows: number; creating: number; updating: number; unchanged: number; applied: boolean;
  lines: { line: number; number: string; name: string; action: 'create' | 'update' | 'unchanged' }[];
  errors: { line: number; column: string; code: string; reason: string }[];
}

export interface SupplierImportReport {
  rows: number; creating: number; existing: number; bank_details_pending: number; applied: boolean;
  lines: { line: number; name: string; action: 'create' | 'exists'; bank_details_pending: boolean }[];
  errors: { line: number; column: string; code: string; reason: string }[];
}

export type PoStatus = 'draft' | 'sent' | 'partially_received' | 'received' | 'closed' | 'cancelled';
export interface PoWarning { code: string; message: string }
export interface PoLine {
  id: string; item_id: string; sku?: string | null; name?: string | null; supplier_sku?: string | null;
  requested?: Quantity; quantity: Quantity; unit_cost: Money; case_pack: Quantity; cases: Quantity; total?: Money;
  received: Quantity; damaged: Quantity; short?: Quantity; over?: Quantity; cancelled?: Quantity; outstanding?: Quantity;
}
export interface PurchaseOrder {
  id: string; number: string; status: PoStatus; supplier_id: string; supplier?: Named | null; supplier_name?: string | null;
  location_id: string; location?: Named | null; expected_on: string | null; lines: PoLine[]; total: Money;
  warnings?: PoWarning[]; note?: string; created_at?: string; created_by?: string; sent_at?: string | null; close_reason?: string | null;
}
export interface PoInput {
  id?: string; supplier_id: string; location_id: string; expected_on?: string; lines: { item_id: string; quantity: Quantity }[]; exact_cases?: boolean;
}
export interface PoQuery { status?: string; supplier_id?: string; number?: string; q?: string; limit?: number; cursor?: string }
export interface ReceiptInput { override_token?: string; lines?: { po_line_id: string; received: Quantity; damaged?: Quantity }[]; scans?: string[] }
export interface ReceiptLine { po_line_id: string; item_id: string; received: Quantity; damaged: Quantity; short: Quantity; over: Quantity }
export interface PoReceipt {
  id: string; number: number; purchase_order: PurchaseOrder; lines: ReceiptLine[]; by?: string; approved_by?: string | null;
  not_on_order?: { scan: number; code: string; reason: string; item_id: string | null }[];
}

// Planning (issue 17): what to order, and why.
/** How the shortfall became the quantity: whole cases, the MOQ, and units added by the supplier top-up. */
export interface SuggestionRounding { shortfall: Quantity; case_pack: Quantity; moq: Quantity; rounded_to_moq: boolean; topped_up: Quantity }
/** The numbers behind one suggestion; quantities in units, service level as a fraction (0.95). */
export interface SuggestionReason {
  forecast_per_day: number; method?: 'none' | 'ses' | 'sba'; lead_time_days: number; lead_time_sd_days?: number; review_days: number;
  service_level: number; safety_stock: Quantity; order_up_to: Quantity; on_hand: Quantity; on_order: Quantity; in_transit: Quantity;
  reserved: Quantity; backorders?: Quantity; position?: Quantity; reorder_point?: Quantity | null; rounding: SuggestionRounding | null; text: string;
}
export interface Suggestion {
  item_id: string; quantity: Quantity; cases: number; reason: SuggestionReason;
  name?: string; sku?: string; category?: string; unit_cost?: Money;
}
export type TopUpTarget = 'none' | 'min_order_value' | 'free_freight_value';
export interface SuggestionList {
  location_id: string; supplier_id: string; date: string; prepared_at: string | null;
  top_up?: { target: TopUpTarget; target_value: Money; value_before: Money; value_after: Money; reached: boolean };
  suggestions: Suggestion[];
}
export interface ReplenishmentOrderInput { location_id: string; supplier_id: string; lines: { item_id: string; quantity: Quantity }[] }
/** One day of an item's sales at a store: units null = no data; censored = it ended out of stock (sales were a floor, not demand). */
export interface SeriesDay { date: string; units: Quantity | null; censored: boolean; promo: boolean }
export interface ForecastDay { date: string; units: number }
export interface DemandSeries {
  location_id: string; item_id: string; today: string; method: 'none' | 'ses' | 'sba'; forecast_per_day: number;
  history: SeriesDay[]; forecast: ForecastDay[];
}
// Cycle counts (issue 18). Counters see lines without the ledger's figures (blind); the
// fields marked "approver" come only to holders of counts.approve.
export type CountClass = 'A' | 'B' | 'C';
export type VarianceReason = 'theft' | 'damage' | 'admin_error' | 'supplier_short' | 'unknown';
export type CountLineStatus = 'to_count' | 'counted' | 'recount' | 'recounted';
export interface CountEntry { id: string; counted: Quantity; counted_at: string; counter: string; recount: boolean; photo_id: string | null }
export interface CountLine {
  id: string; item_id: string; sku: string; name: string; category: string; status: CountLineStatus; counted_by_me: Quantity | null;
  class?: CountClass; entries?: CountEntry[]; counted?: Quantity | null; counted_at?: string | null; expected?: Quantity | null;
  variance?: Quantity | null; variance_value?: Money | null; flagged?: boolean; needs_recount?: boolean; reason?: VarianceReason | null;
}
export interface CountDoc {
  id: string; location_id: string; location_name: string; kind: string; plan_date: string | null; status: 'open' | 'approved';
  created_at: string; created_by: string; approved_at: string | null; approved_by: string | null;
  lines_total: number; lines_counted: number; perfect: boolean | null; lines: CountLine[];
}
export interface CountSummary {
  id: string; location_id: string; kind: string; plan_date: string | null; status: 'open' | 'approved';
  created_at: string; created_by: string; lines_total: number; lines_counted: number;
}
export interface CountToday { location_id: string; date: string; working_day: boolean; items: { item_id: string; sku: string; name: string; category: string; class: CountClass }[] }
export interface CountLineInput { item_id: string; counted: Quantity; counted_at?: string; photo?: string }
export interface CountEntryAnswer { id: string; line_id: string; item_id: string; counted: Quantity; counted_at: string; recount: boolean; photo: boolean }

export interface WebhookEndpoint {
  id: string; url: string; description: string; owner: string; event_types: string[]; mapping: string | null;
  status: 'active' | 'disabled'; disabled_reason: string | null; failing_since: string | null;
  previous_secret_valid_until: string | null; pending: number; behind: number; dead_letters: number; last_delivered_at: string | null;
  created_at: string; updated_at: string; version: number;
}
export interface WebhookAttempt {
  webhook_id: string; event_type: string; attempt: number; at: string; status: number | null; latency_ms: number;
  error_tag: string | null; outcome: 'delivered' | 'retry' | 'dead'; response_excerpt: string;
  mapping: { name: string; version: number; unmapped: number } | null;
}
/** A versioned mapping table, theirs -> ours (docs/formats.md, docs/webhooks.md). */
export interface Mapping {
  name: string; version: number; fields: Record<string, string>; values: Record<string, Record<string, string>>;
  reviewed_on: string | null; review_due_on: string | null; review_due: boolean; changed_by: string; changed_at: string;
}
export interface MappingBody { fields: Record<string, string>; values: Record<string, Record<string, string>>; reviewed_on?: string | null }
export interface WebhookMessage {
  id: string; endpoint_id: string; event_type: string; status: 'pending' | 'delivered' | 'dead'; tries: number;
  next_attempt_at: string | null; last_error_tag: string | null; created_at: string; dead_at: string | null; payload: unknown;
}
export interface Alert {
  id: string; endpoint_id: string; endpoint_url: string; owner: string; error_tag: string; count: number;
  first_at: string; last_at: string; last_detail: string; status: 'open' | 'acknowledged' | 'resolved';
  acknowledged_by: string | null; acknowledged_at: string | null; resolved_by: string | null; resolved_at: string | null; note: string | null;
}

/** A block of receipt numbers a register reserved for selling offline (docs/offline-register.md). */
export interface ReceiptBlock { id: string; register_id: string; from: number; to: number; first_receipt_number: string; last_receipt_number: string }
export interface CatalogChange { seq: string; entity: 'item' | 'price_change' | 'tax'; key: string; data: unknown }
export interface CatalogChanges { changes: CatalogChange[]; next_cursor: string; more: boolean }

export interface SystemStatus {
  version: string; schema_version: number; backup_every_seconds: number | null;
  last_backup_at: string | null; last_backup_error: string | null; backup_late: boolean;
}

/** A row of GET /availability/low-stock: the availability of an item at a store, with its sku and name. */
export interface LowStockRow {
  item_id: string; location_id: string; sku: string; name: string; on_hand: number; held: number; available: number;
  status: 'in_stock' | 'low_stock' | 'out_of_stock' | 'backorder'; low_stock: boolean; low_stock_threshold: number; backorder_date: string | null;
}

export interface OnlineOrderLine {
  id: string; item_id: string; sku: string; name: string; where: string; quantity: number; unit_price: number;
  /** Where it sits at the order's store; the photo's address (both null when not set). */
  shelf: string | null; photo_url: string | null;
  held: number; hold_status: string | null; picked: number; short: number; outstanding: number;
  substitute_for?: string | null; credit?: number;
}
export interface Substitution {
  id: string; line_id: string; item_id: string; sku: string; name: string; quantity: number; unit_price: number;
  credit: number; price_difference: number; status: 'offered' | 'accepted' | 'declined' | 'withdrawn';
  offered_at: string; offered_by: string; decided_at: string | null; new_line_id: string | null; link_path?: string;
}
export interface SubstituteCandidate {
  item_id: string; sku: string; name: string; price: number | null; available: number; shelf: string | null; photo_url: string | null;
}
/** Where an item sits in a location (not a stock location: a name to look for). */
export interface ItemShelf { location_id: string; location_name: string; shelf: string | null }
export interface PhotoInfo { item_id: string; content_type: string; bytes: number; etag: string; url: string }
/** What a customer's substitution link shows: no ids, no contact details. */
export interface SubstitutionOffer {
  number: string; store: string; customer_first_name?: string;
  short: { name: string; quantity: string; unit_price: number };
  offered: { name: string; quantity: number; unit_price: number; has_photo?: boolean };
  credit: number; price_difference: number; currency_decimals: number; paid: boolean;
  status: 'offered' | 'accepted' | 'declined' | 'withdrawn';
}
export interface OnlineOrder {
  id: string; number: string; status: 'open' | 'picking' | 'ready' | 'collected' | 'cancelled' | 'expired';
  channel: string; location_id: string; promised_at: string; expires_at: string;
  /** The customer master's id and number (null: the order gave no usable phone or e-mail) and the contact as placed. */
  customer: { id: string | null; number: string | null; name?: string; phone?: string; email?: string }; pickup_code: string; paid: boolean; paid_at: string | null;
  total: number; short: boolean; staging_spot: string | null; sale_id: string | null; refund_due: number; lines: OnlineOrderLine[];
  due_at_pickup?: number; substitutions?: Substitution[];
}

/** The opening-stock import's answer (also inside its 422 problem). */
export interface OpeningReport {
  rows: number; adding: number; unchanged: number; units: number; applied: boolean;
  lines: { line: number; sku: string; name: string; location: string; on_hand: number; quantity: number; adds: number }[];
  errors: { line: number; column: string; code: string; reason: string }[];
}

export interface TrainingStanding {
  user: { username: string; display_name: string; role: string };
  module: string; title: string; best_score: number; total: number; attempts: number; passed: boolean; passed_at: string | null; last_at: string;
}
export interface TrainingModule {
  id: string; role: string; title: string; scenario: string; where: 'register' | 'office'; pass_percent: number;
  steps: { id: string; text: string; event: string }[];
  quiz: { text: string; options: string[] }[];
  mine: TrainingStanding | null;
}
export interface TrainingAttempt { id: string; module: string; title: string; score: number; total: number; passed: boolean; missing_steps: string[]; at: string }

/** GET /sync/status: this server's link to head office (docs/sync.md). */
export interface SyncStatus {
  node: boolean; online: boolean; offline_since: string | null; last_sync_at: string | null;
  cursor: string; last_error: string | null; queue_length: number | null;
  /** Of queue_length, the sales (the rest: voids, returns, exchanges, stock changes). */
  sales_waiting?: number;
}
/** A store node as head office lists it. */
export type SyncConflictKind = 'price_difference' | 'negative_stock' | 'held_unit_sold' | 'rejected' | 'po_not_receivable' | 'destination_refused'
  | 'cancelled_transfer_received' | 'not_in_journal' | 'store_credit_overdrawn' | 'shipment_cancel_after_receipt'
  | 'cancelled_shipment_received' | 'shipment_cancel_not_applied';
export interface SyncConflict {
  id: string; kind: SyncConflictKind; rule: string; node_id: string; location_id: string; location_name: string | null;
  document_id: string; document_at: string | null; hlc: string; item: { id: string; sku: string | null; name: string | null } | null;
  detail: Record<string, unknown>; created_at: string; status: 'open' | 'resolved';
  resolved_at: string | null; resolved_by: string | null; note: string | null;
}
export interface SyncCashUp {
  document_id: string; node_id: string; location_id: string; location_name: string | null; register: string | null;
  session_number: number | null; opened_at: string | null; closed_at: string | null; closed_by: string | null;
  opening_float: number | null; tenders: { type: string | null; expected: number | null; counted: number | null; over_short: number | null }[];
  cash_over_short: number | null; over_short: number; net_sales: number | null; sales_count: number | null;
  returns_count: number | null; voids_count: number | null;
}
export interface SyncChangeRequest {
  id: string; status: 'pending' | 'applied' | 'rejected'; node_id: string | null; location_id: string | null; location_name: string | null;
  method: string; path: string; route: string; action: string; body: unknown;
  item: { id: string; sku: string; name: string } | null; tax_category: string | null;
  requested_by: string; requested_at: string; sent: boolean;
  decided_at: string | null; decided_by: string | null; note: string | null; result_status: number | null;
}
export interface SyncNode {
  id: string; location_id: string; location_name: string; key_id: string; created_at: string; created_by: string;
  last_sync_at: string | null; queue_length: number; documents_received: number;
}
