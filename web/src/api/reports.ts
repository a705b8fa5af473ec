// The KPI report and the weekly review's actions as the server sends them (docs/openapi.yaml,
// KpiTotals and ReviewAction; docs/reports.md defines each figure).
export type KpiName = 'stockout_rate' | 'sell_through' | 'days_of_supply' | 'shrink' | 'gmroi';
export interface KpiRatio { value: number | null; numerator: number; denominator: number }
export interface KpiTotals {
  key?: string;
  label?: string;
  sku?: string;
  name?: string;
  items: number;
  items_without_cost: number;
  stockout_rate: KpiRatio & { out_of_stock_item_days: number; item_days: number };
  sell_through: KpiRatio & { units_sold: number; end_on_hand: number };
  days_of_supply: KpiRatio & { on_hand: number; units_sold_last_28_days: number; window_days: number };
  shrink: KpiRatio & { shrink_cost: number; net_sales: number; by_reason: Record<string, number> };
  gmroi: KpiRatio & { net_sales: number; cost_of_goods_sold: number; gross_margin: number; inventory_cost_days: number; days: number };
  count_accuracy: KpiRatio | null;   // in the total only (counts are planned by class)
  forecast_wape: (KpiRatio & { forecast: number }) | null;
}
export interface KpiQuery { from?: string; to?: string; location_id?: string; group?: 'category' | 'item' | 'location'; order?: KpiName; limit?: number }
export interface KpiReport { from: string; to: string; days: number; total: KpiTotals; rows: KpiTotals[]; notes: Record<string, string> }
export interface KpiWeek extends KpiTotals { from: string; to: string }
export interface KpiWeekly { weeks: KpiWeek[] }
export interface Owner { id: string; name: string }
export type ActionStatus = 'open' | 'done' | 'dropped';
export interface ReviewAction {
  id: string;
  week: string;
  carried: boolean;
  kpi: KpiName | null;
  item: { id: string; sku: string; name: string } | null;
  location: { id: string; name: string } | null;
  note: string;
  owner: Owner;
  due_on: string;
  status: ActionStatus;
  outcome: string;
  photos: { id: string; content_type: string; bytes: number; url: string }[];
  version: number;
}
export interface ActionList { week: string; week_to: string; actions: ReviewAction[] }
export interface ActionInput { id?: string; note: string; owner_id: string; due_on: string; week?: string; kpi?: KpiName; item_id?: string; location_id?: string }
export interface ActionPatch { note?: string; owner_id?: string; due_on?: string; status?: ActionStatus; outcome?: string }

/** A task of the cutover checklist: owner, date, done, and what the shop's data says of it. */
export interface CutoverTask {
  key: 'item_master' | 'labels' | 'registers' | 'first_count' | 'backup'; title: string;
  owner_id: string | null; owner: string | null; due_on: string | null; done: boolean; done_at: string | null; done_by: string | null;
  note: string; evidence: { ok: boolean; text: string };
}
export interface CutoverPatch { owner_id?: string | null; due_on?: string | null; done?: boolean; note?: string }

/** The store-credit report (docs/reports.md "Store credit"; docs/openapi.yaml): money in minor units. */
export interface Tally { count: number; amount: number }
export interface StoreCreditWriteOff {
  sale_id: string; receipt_number: string; store: { id: string; name: string } | null; code: string;
  amount: number; at: string; by: string; note: string;
}
export interface StoreCreditReport {
  from: string; to: string; days: number; location: { id: string; name: string } | null;
  opening_liability: number; issued: Tally; redeemed: Tally; given_back: Tally; adjusted: Tally;
  closing_liability: number; liability_now: number;
  shortfalls: { open: Tally; written_off: Tally; collected: Tally };
  written_off: StoreCreditWriteOff[];
}
export interface StoreCreditQuery { from?: string; to?: string; location_id?: string }
export interface CreditNote {
  id: string; code: string; balance: number; issued_at: string; last_used_at: string | null;
  store: { id: string; name: string } | null;
}
export interface CreditNotePage { store_credits: CreditNote[]; next_cursor: string | null }
