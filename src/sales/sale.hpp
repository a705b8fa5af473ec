// The documents of sales as plain values: what a request asks (SaleRequest, ReturnRequest,
// ExchangeRequest), what a draft prices (SaleDraft), and what the books keep (Sale, Return,
// Exchange, ParkedSale, Session). Commands decide from these typed fields, never from
// the JSON they answer (sales_json.hpp renders them; sales_store.cpp reads and writes them).
// The vocabularies (tender types, statuses, cash movement kinds, return reasons and
// conditions) are enums, each with one table of its words (platform/vocabulary.hpp).
#pragma once

#include <boost/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/item.hpp"
#include "platform/documents.hpp"
#include "platform/types.hpp"
#include "platform/vocabulary.hpp"
#include "sales/pricing.hpp"
#include "stock/stock.hpp"

namespace backroom::sales {

inline constexpr std::size_t sale_lines_max = 200;
inline constexpr std::size_t tenders_max = 10;
inline constexpr std::size_t register_id_length_max = 40;
inline constexpr std::size_t reason_length_max = 200;
inline constexpr std::size_t parked_note_length_max = 500;
inline constexpr std::size_t channel_length_max = 32;
inline constexpr std::size_t credit_code_length_max = 40;  // as typed: SC-XXXX-XXXX-XXXX with spaces

// ------------------------------------------------------------------------- vocabularies

// exchange_credit is internal: the part of an exchange's sale its return paid.
enum class TenderType { cash, card, store_credit, exchange_credit };
inline constexpr Vocabulary<TenderType, 4> tender_types{{{{TenderType::cash, "cash"},
                                                           {TenderType::card, "card"},
                                                           {TenderType::store_credit, "store_credit"},
                                                           {TenderType::exchange_credit, "exchange_credit"}}}};
// What a request may tender, and what a drawer is counted in at close.
inline constexpr std::array counted_tenders = {TenderType::cash, TenderType::card, TenderType::store_credit};

enum class SaleStatus { completed, voided };
inline constexpr Vocabulary<SaleStatus, 2> sale_statuses{
    {{{SaleStatus::completed, "completed"}, {SaleStatus::voided, "voided"}}}};

enum class SessionStatus { open, closed };
inline constexpr Vocabulary<SessionStatus, 2> session_statuses{
    {{{SessionStatus::open, "open"}, {SessionStatus::closed, "closed"}}}};

enum class CashMovementKind { paid_in, paid_out, safe_drop };
inline constexpr Vocabulary<CashMovementKind, 3> cash_movement_kinds{{{{CashMovementKind::paid_in, "paid_in"},
                                                                        {CashMovementKind::paid_out, "paid_out"},
                                                                        {CashMovementKind::safe_drop, "safe_drop"}}}};

enum class ParkedStatus { parked, resumed, deleted };
inline constexpr Vocabulary<ParkedStatus, 3> parked_statuses{{{{ParkedStatus::parked, "parked"},
                                                                {ParkedStatus::resumed, "resumed"},
                                                                {ParkedStatus::deleted, "deleted"}}}};

// Why a customer brought goods back; stored in return_lines.reason.
enum class ReturnReason {
  defective,
  wrong_item,
  wrong_size,
  changed_mind,
  not_as_described,
  damaged_in_transit,
  late_delivery,
  other
};
inline constexpr Vocabulary<ReturnReason, 8> return_reasons{{{{ReturnReason::defective, "defective"},
                                                               {ReturnReason::wrong_item, "wrong_item"},
                                                               {ReturnReason::wrong_size, "wrong_size"},
                                                               {ReturnReason::changed_mind, "changed_mind"},
                                                               {ReturnReason::not_as_described, "not_as_described"},
                                                               {ReturnReason::damaged_in_transit, "damaged_in_transit"},
                                                               {ReturnReason::late_delivery, "late_delivery"},
                                                               {ReturnReason::other, "other"}}}};

// The state returned goods come back in; stored in return_lines.condition. Where they go
// is stock's Disposition (stock/vocabulary.hpp).
enum class ReturnCondition { new_, opened, used, damaged, defective };
inline constexpr Vocabulary<ReturnCondition, 5> return_conditions{{{{ReturnCondition::new_, "new"},
                                                                    {ReturnCondition::opened, "opened"},
                                                                    {ReturnCondition::used, "used"},
                                                                    {ReturnCondition::damaged, "damaged"},
                                                                    {ReturnCondition::defective, "defective"}}}};

// The shop's pricing settings (pricing.hpp), as the settings table and JSON spell them.
inline constexpr Vocabulary<TaxMode, 2> tax_modes{{{{TaxMode::inclusive, "inclusive"}, {TaxMode::exclusive, "exclusive"}}}};
inline constexpr Vocabulary<TaxRounding, 2> tax_roundings{
    {{{TaxRounding::per_line, "line"}, {TaxRounding::per_receipt, "receipt"}}}};
inline constexpr Vocabulary<RoundingMode, 2> rounding_modes{
    {{{RoundingMode::half_even, "half_even"}, {RoundingMode::half_up, "half_up"}}}};
// What a return without a receipt refunds to (SaleSettings::no_receipt_refund_cash).
inline constexpr Vocabulary<bool, 2> no_receipt_refunds{{{{false, "store_credit"}, {true, "cash"}}}};
// Whether a register may take a return offline (SaleSettings::offline_returns).
inline constexpr Vocabulary<bool, 2> offline_return_rules{{{{false, "refuse"}, {true, "allow"}}}};

inline std::string_view word(TaxMode m) { return tax_modes.text(m); }
inline std::string_view word(TenderType t) { return tender_types.text(t); }
inline std::string_view word(SaleStatus s) { return sale_statuses.text(s); }
inline std::string_view word(SessionStatus s) { return session_statuses.text(s); }
inline std::string_view word(CashMovementKind k) { return cash_movement_kinds.text(k); }
inline std::string_view word(ParkedStatus s) { return parked_statuses.text(s); }
inline std::string_view word(ReturnReason r) { return return_reasons.text(r); }
inline std::string_view word(ReturnCondition c) { return return_conditions.text(c); }

// ----------------------------------------------------------------------------- settings

struct SaleSettings {
  PricingRules rules;
  std::map<std::string, std::int64_t> tax_rates;  // tax category -> basis points
  stock::NegativeStock negative_stock = stock::NegativeStock::allow;
  // What a return without a receipt refunds to unless refund_tenders say otherwise: a
  // store credit note (the default: no cash out of the drawer for goods nobody can prove
  // were bought here) or cash.
  bool no_receipt_refund_cash = false;
  // Whether a register in the browser may take a return while it cannot reach the server
  // (docs/offline-register.md): refused by default; a manager may allow it for refunds in
  // cash of at most `offline_return_limit` minor units a return. The register applies it; the
  // server checks the posted return against its sale as any other.
  bool offline_returns = false;
  std::int64_t offline_return_limit = 0;
};
// The rows of `settings` SaleSettings is kept in (sales_json.cpp spells each one).
inline constexpr std::array<std::string_view, 8> sale_setting_keys{
    "tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund", "offline_returns",
    "offline_return_limit", "tax_rates"};

// ----------------------------------------------------------------------------- requests

struct Tender {
  TenderType type = TenderType::cash;
  std::int64_t amount = 0;
  std::optional<std::string> reference;  // card slip, credit note code, exchange id
};

struct SaleLineRequest {
  std::optional<std::string> item_id;
  std::optional<std::string> code;
  std::optional<Quantity> quantity;
  std::optional<Discount> discount;
  // A price agreed before the sale (an online order's), instead of the item's; set by the
  // commands that make sales of other documents, never read from a register's request.
  std::optional<std::int64_t> unit_price;
  // An offline sale's line: the unit price the register charged from its catalog copy. Taken
  // when it was the item's own price at some moment since the register reserved the receipt
  // number (docs/offline-register.md, "Prices that changed while offline"); 422 otherwise.
  std::optional<std::int64_t> charged_price;
};

struct SaleRequest {
  documents::DocumentKey key;
  std::string location_id;
  std::optional<std::string> register_id;
  std::vector<SaleLineRequest> lines;
  std::optional<Discount> discount;  // on the receipt
  std::vector<Tender> tenders;
  std::optional<std::string> price_tier;
  bool training = false;
  std::optional<std::string> override_token;
  // A receipt number the register took from a block it reserved (an offline sale,
  // docs/offline-register.md); unset, the register's next number is taken as always.
  std::optional<std::string> receipt_number;
  // When an offline sale was completed at the register (only with receipt_number).
  std::optional<Timestamp> sold_at;
  // Where a sale without a register came from ("api", "online", "phone", ...); a sale at a
  // register is always channel "register".
  std::string channel = "api";
};

struct DraftLine {
  catalog::Item item;
  std::optional<std::string> code;
  Quantity quantity;
  std::int64_t unit_price = 0;
  std::optional<std::int64_t> fixed_amount;
  std::optional<Discount> discount;
  std::int64_t tax_rate_bp = 0;
};

// A discount given on the sale and the amount it was taken from.
struct DiscountGiven {
  std::int64_t amount = 0;
  std::int64_t base = 0;
};

// An offline sale's line charged at a price that is not the item's price now: the sale keeps
// what was charged, and the difference is reported (audit `sale.offline_price`, the answer).
struct PriceDifference {
  std::size_t line = 0;
  std::int64_t charged = 0;
  std::optional<std::int64_t> price_now;
};
// Head office's word on a credit note, as a store node hears it (GET /api/v1/sync/store-credits/{code}):
// its balance there and the documents that moved it there (entries and shortfalls).
struct HeadOfficeCredit {
  std::string code;
  std::int64_t balance = 0;
  std::vector<std::string> document_ids;
};
// How head office answered a store node about one note: it is not a node (nothing asked), head
// office holds the note, it holds none with that code, or it could not be asked in time
// (offline, slow, or any other answer).
enum class HeadOfficeReach { not_a_node, holds, unknown, unreachable };
struct HeadOfficeAnswer {
  HeadOfficeReach reach = HeadOfficeReach::not_a_node;
  std::optional<HeadOfficeCredit> credit;  // when it holds the note
};

struct SaleDraft {
  SaleRequest request;
  std::vector<PriceDifference> price_differences;
  SaleSettings settings;
  std::vector<DraftLine> lines;
  PricedReceipt priced;
  std::vector<DiscountGiven> discounts;  // every line discount and the receipt discount
  std::int64_t discount_bp_max = 0;      // the largest, as basis points of its base (rounded up; for people)
  // At a store node with its link up: head office's word on the notes the tenders name
  // (asked while drafting, on the request's thread; posting makes the node's note hold it).
  std::vector<HeadOfficeCredit> head_office_credits;
};

struct ReturnLineRequest {
  std::optional<std::string> sale_line_id;
  std::optional<std::string> item_id;  // a return without a receipt
  Quantity quantity;
  ReturnReason reason = ReturnReason::other;
  ReturnCondition condition = ReturnCondition::new_;
  stock::Disposition disposition = stock::Disposition::restock;
};
struct ReturnRequest {
  documents::DocumentKey key;
  std::optional<std::string> sale_id;
  std::optional<std::string> location_id;
  std::optional<std::string> register_id;
  std::vector<ReturnLineRequest> lines;
  std::vector<Tender> refund_tenders;  // empty: back to the original tenders (or cash)
  // `refund_to: "store_credit"`: the whole refund (what is left after an exchange's credit)
  // goes to one credit note, a new one or the existing note `refund_to_code`. Excludes
  // refund_tenders.
  bool refund_to_store_credit = false;
  std::optional<std::string> refund_to_code;  // normalised
  // At a store node that holds no note `refund_to_code`: head office's answer about it, asked
  // before the writer (ask_about_refund_note); with its note, the node makes its copy at head
  // office's balance (balance_at_node) and tops it up.
  HeadOfficeAnswer refund_note_at_head_office;
  std::optional<std::string> override_token;
  bool training = false;  // a practice return: recorded, but moves no stock, cash or credit
  std::string path;       // where the return sits in its body ("" or "return"), for field names
};

struct ExchangeRequest {
  documents::DocumentKey key;
  ReturnRequest return_request;
  SaleRequest sale_request;
};

// ---------------------------------------------------------------------------- documents

struct SaleLine {
  std::string id;
  std::int64_t line_no = 0;
  std::string item_id, sku, name;
  std::optional<std::string> code;
  Quantity quantity{0};
  std::int64_t unit_price = 0, gross = 0, line_discount = 0, receipt_discount = 0;
  std::optional<std::string> discount_reason;
  std::int64_t tax_rate_bp = 0, tax = 0, total = 0;
  Quantity returned{0};
};

struct SaleVoid {
  std::string id, reason;
  std::int64_t at = 0;
  std::string user;
  std::optional<std::string> approver;
};

struct Sale {
  std::string id, receipt_number, location_id, register_id;
  std::optional<std::string> session_id, exchange_id;
  std::string channel = "register";
  std::optional<std::string> user_id;
  SaleStatus status = SaleStatus::completed;
  bool training = false;
  std::optional<std::string> price_tier;
  std::int64_t subtotal = 0, discount_total = 0, tax_total = 0, total = 0, tendered = 0, change_due = 0;
  std::optional<std::string> receipt_discount;  // JSON text, as stored (sales_json: discount_text)
  TaxMode tax_mode = TaxMode::inclusive;
  std::int64_t created_at = 0;
  std::string user;
  std::optional<std::string> approver;
  std::vector<SaleLine> lines;
  std::vector<Tender> tenders;
  std::optional<SaleVoid> voided;  // the void beside a voided sale
  // The number a register printed for this sale offline after its first try had reached the
  // server unheard (migration 51, docs/offline-register.md "A sale caught by the cut").
  std::optional<std::string> offline_receipt_number;
};

struct ReturnLine {
  std::string id;
  std::int64_t line_no = 0;
  std::optional<std::string> sale_line_id;
  std::string item_id, sku, name;
  Quantity quantity{0};
  std::int64_t refund = 0, tax = 0, tax_rate_bp = 0;
  ReturnReason reason = ReturnReason::other;
  ReturnCondition condition = ReturnCondition::new_;
  stock::Disposition disposition = stock::Disposition::restock;
  std::string location_id;  // where the goods went back
};

struct Return {
  std::string id;
  std::optional<std::string> sale_id;
  std::string location_id;
  std::optional<std::string> register_id, session_id, exchange_id;
  std::int64_t refund_total = 0, tax_total = 0;
  std::int64_t created_at = 0;
  std::string user;
  std::optional<std::string> approver;
  bool training = false;
  std::vector<ReturnLine> lines;
  std::vector<Tender> tenders;
};

struct Exchange {
  std::string id;
  Return returned;
  Sale sale;
  std::int64_t created_at = 0;
  std::string user;
};
// What the return paid of the sale (its exchange_credit tenders).
std::int64_t exchange_credit(const Return& r);

struct ParkedSale {
  std::string id, location_id;
  std::optional<std::string> register_id;
  std::string note;
  std::string body;  // the sale request's JSON, as parked
  ParkedStatus status = ParkedStatus::parked;
  std::int64_t parked_at = 0;
  std::string parked_by;
};

// A person as documents show them: the user's id (when known) and name.
struct Person {
  std::optional<std::string> id;
  std::string name;
};

// Request words the documents accept.
bool valid_register_id(std::string_view id);
bool valid_channel(std::string_view channel);

// What was counted per tender at close, by the tender's word (counted_tenders only).
using Counted = std::map<std::string, std::int64_t>;

// A register session as stored; the Z report is kept as rendered when it closed.
struct Session {
  std::string id, register_id;
  std::int64_t number = 0;
  SessionStatus status = SessionStatus::open;
  std::int64_t opening_float = 0;
  std::int64_t opened_at = 0;
  std::string opened_by;
  std::optional<std::int64_t> closed_at;
  std::optional<std::string> closed_by;
  std::optional<std::string> z_report;  // JSON text
  std::optional<std::string> counted;   // JSON text
};

// What returns refunded to one tender type and reference of a sale.
struct Refunded {
  TenderType type = TenderType::cash;
  std::optional<std::string> reference;
  std::int64_t amount = 0;
};

// Completed sales of one channel over a time range.
struct ChannelTotal {
  std::string channel;
  std::int64_t sales_count = 0, total = 0;
};

// A drawer's line at a session's report: expected per tender, and at close what was
// counted and the difference (tendering.hpp count_drawer).
struct DrawerLine {
  TenderType type = TenderType::cash;
  std::int64_t expected = 0;
  std::optional<std::int64_t> counted, over_short;
};

// What a session's X or Z report sums (sales_store.cpp session_totals).
struct CashierTotal {
  std::optional<std::string> user_id;
  std::string user;
  std::int64_t sales_count = 0, sales_total = 0;
};
struct SessionTotals {
  std::int64_t sales_count = 0, gross = 0, discounts = 0, sales_total = 0, change = 0, voids = 0;
  std::map<TenderType, std::int64_t> taken;     // by completed sales, before change
  std::map<TenderType, std::int64_t> refunded;  // by returns
  std::int64_t returns_count = 0, returns_total = 0;
  std::map<CashMovementKind, std::int64_t> cash_moves;
  std::int64_t exchanges = 0;
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_rate;  // rate -> (taxable, tax)
  std::vector<CashierTotal> by_cashier;                                   // by user name
};
struct SessionReport {
  std::int64_t opening_float = 0;
  SessionTotals totals;
  std::vector<DrawerLine> drawer;
  std::vector<Person> cashiers;  // one per totals.by_cashier
  std::string register_id, register_name, location_id, location_name;
};

// What a command answers: the document as JSON, and whether this was a replay.
struct Posted {
  boost::json::object document;
  bool replayed = false;
  std::string id;  // the document's
};

}  // namespace backroom::sales
