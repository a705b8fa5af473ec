// Sales at the register: the sale document (lines by item or scanned code, discounts,
// tax, tenders, sequential receipt numbers per register), voids, returns against a
// receipt or without one, exchanges (a return and a sale in one document), parked sales
// and register sessions with their Z report.
//
// A sale is drafted on the request's thread (draft_sale: items resolved and priced on a
// reader, pure pricing) and posted on the writer (post_sale: identity, authorization,
// rows, stock movements, audit entry, event — one transaction). Posting the same
// document id or Idempotency-Key twice returns the first result and moves nothing twice.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/item.hpp"
#include "platform/db.hpp"
#include "platform/documents.hpp"
#include "platform/outbox.hpp"
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

struct SaleSettings {
  PricingRules rules;
  std::map<std::string, std::int64_t> tax_rates;  // tax category -> basis points
  stock::NegativeStock negative_stock = stock::NegativeStock::allow;
  // What a return without a receipt refunds to unless refund_tenders say otherwise: a
  // store credit note (the default: no cash out of the drawer for goods nobody can prove
  // were bought here) or cash.
  bool no_receipt_refund_cash = false;
};
SaleSettings load_settings(db::Db& db);
boost::json::object settings_to_json(const SaleSettings& s);
// Validates a PUT body over the current settings (422 naming the field).
SaleSettings settings_from_json(const boost::json::object& body, SaleSettings current);
void save_settings(db::Db& db, const Actor& actor, const SaleSettings& s);

struct TenderInput {
  std::string type;  // cash, card, store_credit (exchange_credit is internal)
  std::int64_t amount = 0;
  std::optional<std::string> reference;
};

struct SaleLineRequest {
  std::optional<std::string> item_id;
  std::optional<std::string> code;
  std::optional<Quantity> quantity;
  std::optional<Discount> discount;
};

struct SaleRequest {
  documents::DocumentKey key;
  std::string location_id;
  std::optional<std::string> register_id;
  std::vector<SaleLineRequest> lines;
  std::optional<Discount> discount;  // on the receipt
  std::vector<TenderInput> tenders;
  std::optional<std::string> price_tier;
  bool training = false;
  std::optional<std::string> override_token;
  // Where a sale without a register came from ("api", "online", "phone", ...); a sale at a
  // register is always channel "register".
  std::string channel = "api";
};
// Reads a sale body (POST /api/v1/sales, a parked sale, an exchange's "sale"). Pure.
// `tenders_required`: a parked sale has none yet.
SaleRequest parse_sale_request(const boost::json::object& body, const std::string& path, bool tenders_required);
bool valid_register_id(std::string_view id);
bool valid_channel(std::string_view channel);

// Tenders against a total: what was tendered and the change (given only from cash).
// Throws 422 insufficient_tender or change_exceeds_cash. Pure.
struct Settlement {
  std::vector<TenderInput> tenders;
  std::int64_t tendered = 0;
  std::int64_t change = 0;
};
Settlement settle_tenders(std::int64_t total, std::vector<TenderInput> tenders);

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

struct SaleDraft {
  SaleRequest request;
  SaleSettings settings;
  std::vector<DraftLine> lines;
  PricedReceipt priced;
  std::vector<DiscountGiven> discounts;  // every line discount and the receipt discount
  std::int64_t discount_bp_max = 0;      // the largest, as basis points of its base (rounded up; for people)
};
// Resolves items and codes (catalog::scan: pack quantities, embedded prices and weights)
// on `reader` and prices the receipt. Throws 422 naming the line at fault.
SaleDraft draft_sale(db::Db& reader, SaleRequest request);
// True when every discount of the draft is within a limit of `limit_bp` basis points,
// compared exactly with the pricing rounding (pricing.hpp discount_within_limit).
bool discounts_within(const SaleDraft& draft, std::int64_t limit_bp);

// What posting the drafted sale would answer, without writing: lines, discounts, tax by
// rate, totals, tenders and change (when tenders are given), and `needs_override` when
// the actor's discount limit is exceeded. Reads role limits on `reader`. Throws what
// posting would for tenders (422 insufficient_tender, change_exceeds_cash).
boost::json::object quote_sale(db::Db& reader, const Actor& actor, const SaleDraft& draft);

struct Posted {
  boost::json::object document;
  bool replayed = false;
};

// Posts a drafted sale. `exchange_credit` pays part of it from a return in the same
// exchange. Throws 409 insufficient_stock (refuse policy), 403 discount_over_limit, 422
// insufficient_tender.
Posted post_sale(db::Db& db, const Actor& actor, const SaleDraft& draft, std::int64_t exchange_credit = 0,
                 const std::optional<std::string>& exchange_id = std::nullopt);
std::optional<boost::json::object> load_sale(db::Db& db, const std::string& id);
// The sales journal: filters are optional; newest first; rows are sale documents with the
// register, cashier and location by name. Answers up to `limit` + 1 rows (one more says
// there is a next page).
struct SalesFilter {
  std::optional<Timestamp> from, to;  // created_at in [from, to)
  std::string register_id, cashier_id, receipt, item_id, location_id, channel;
  std::string before_id;  // cursor: rows with a smaller id
  int limit = 50;
};
std::vector<boost::json::object> find_sales(db::Db& db, const SalesFilter& filter);
// Completed sales (training excluded) per channel in [from, to), optionally one location.
boost::json::object sales_summary(db::Db& db, const std::optional<Timestamp>& from, const std::optional<Timestamp>& to,
                                  const std::string& location_id);

// Voids a completed sale: reverses its movements, records the void beside the sale.
// Needs sales.void or an override token for it; 409 sale_has_returns.
Posted void_sale(db::Db& db, const Actor& actor, const std::string& sale_id, const std::string& reason,
                 const std::optional<std::string>& override_token);

struct ReturnLineRequest {
  std::optional<std::string> sale_line_id;
  std::optional<std::string> item_id;  // a return without a receipt
  Quantity quantity;
  std::string reason;
  std::string condition;
  std::string disposition;  // restock, review, damaged, refurbish, markdown
};
struct ReturnRequest {
  documents::DocumentKey key;
  std::optional<std::string> sale_id;
  std::optional<std::string> location_id;
  std::optional<std::string> register_id;
  std::vector<ReturnLineRequest> lines;
  std::vector<TenderInput> refund_tenders;  // empty: back to the original tenders (or cash)
  // `refund_to: "store_credit"`: the whole refund (what is left after an exchange's credit)
  // goes to one credit note, a new one or the existing note `refund_to_code`. Excludes
  // refund_tenders.
  bool refund_to_store_credit = false;
  std::optional<std::string> refund_to_code;  // normalised
  std::optional<std::string> override_token;
  bool training = false;  // a practice return: recorded, but moves no stock, cash or credit
  std::string path;       // where the return sits in its body ("" or "return"), for field names
};
ReturnRequest parse_return_request(const boost::json::object& body, const std::string& path);
bool is_return_reason(std::string_view r);
bool is_condition(std::string_view c);
bool is_disposition(std::string_view d);

// Posts a return. `exchange_credit_max` keeps up to that much of the refund as credit for
// the exchange's new sale (returned in `credit`); the rest goes back as tendered.
struct ReturnPosted {
  Posted posted;
  std::int64_t refund_total = 0;
  std::int64_t credit = 0;
};
ReturnPosted post_return(db::Db& db, const Actor& actor, const ReturnRequest& request,
                         std::int64_t exchange_credit_max = 0,
                         const std::optional<std::string>& exchange_id = std::nullopt);
std::optional<boost::json::object> load_return(db::Db& db, const std::string& id);

struct ExchangeRequest {
  documents::DocumentKey key;
  ReturnRequest return_request;
  SaleRequest sale_request;
};
Posted post_exchange(db::Db& db, const Actor& actor, const ExchangeRequest& request, const SaleDraft& draft);
std::optional<boost::json::object> load_exchange(db::Db& db, const std::string& id);

// Parked sales.
Posted park_sale(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const SaleRequest& request,
                 const boost::json::object& body, const std::string& note);
std::vector<boost::json::object> list_parked(db::Db& db, const std::string& location_id, const std::string& register_id);
std::optional<boost::json::object> load_parked(db::Db& db, const std::string& id);
// status: "resumed" hands the body back for posting; "deleted" drops it. 409 when no longer parked.
Posted close_parked(db::Db& db, const Actor& actor, const std::string& id, const std::string& status);

// Register sessions. A sale or return at a register needs its open session (409
// register_session_closed otherwise).
inline constexpr std::size_t sessions_page_max = 100;
// Tender types a drawer is counted in at close.
bool is_counted_tender(std::string_view type);
bool is_cash_movement_kind(std::string_view kind);  // paid_in, paid_out, safe_drop
Posted open_session(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const std::string& register_id,
                    const std::string& location_id, std::int64_t opening_float);
Posted session_cash(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                    const std::string& kind, std::int64_t amount, const std::string& reason);
// Closes with what was counted per tender (a missing tender counted 0) and answers the
// session with its Z report (a retry answers the same report).
Posted close_session(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                     const std::map<std::string, std::int64_t>& counted);
// The session with its running (X) report, or its Z report once closed.
std::optional<boost::json::object> load_session(db::Db& db, const std::string& register_id, const std::string& session_id);
std::optional<boost::json::object> current_session(db::Db& db, const std::string& register_id);
// Newest first; up to `limit` + 1 (one more says there is a next page); `before_id` is the cursor.
std::vector<boost::json::object> list_sessions(db::Db& db, const std::string& register_id, const std::string& before_id,
                                               int limit);
// `backroom demo`: a register at each selling store with an open session, so the demo sells.
void seed_demo_registers(db::Db& db, const Actor& actor);

// Store credit (store_credit_store.cpp). Codes look like SC-ABCD-EFGH-JKMN; lookups ignore
// case and spaces. Spending more than the balance is 409 insufficient_store_credit.
std::string normalize_credit_code(std::string_view code);
void spend_store_credit(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                        const std::string& field, const std::string& sale_id);
// Adds `amount` to the credit with `code`, or issues a new credit when there is no code
// (or no credit has it); answers the code.
std::string give_store_credit(db::Db& db, const Actor& actor, const std::optional<std::string>& code,
                              std::int64_t amount, const std::string& document_type, const std::string& document_id);
// A void gives back whatever the sale spent from store credits.
void return_spent_store_credit(db::Db& db, const Actor& actor, const std::string& sale_id, const std::string& void_id);
std::optional<boost::json::object> load_store_credit(db::Db& db, const std::string& code);
bool store_credit_exists(db::Db& db, const std::string& code);
std::vector<std::string> check_store_credits(db::Db& db);

// The books: what `backroom check` proves about sales, returns, voids and the ledger.
// Returns one line per problem found; empty when the books hold.
std::vector<std::string> check_books(db::Db& db);

}  // namespace backroom::sales
