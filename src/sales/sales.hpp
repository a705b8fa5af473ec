// Sales at the register: the sale document (lines by item or scanned code, discounts,
// tax, tenders, sequential receipt numbers per register), voids, returns against a
// receipt or without one, exchanges (a return and a sale in one document), parked sales
// and register sessions with their Z report. This header is the room's door: its
// commands and reads. The documents are in sale.hpp; the rules in pricing.hpp,
// tendering.hpp and approval.hpp; JSON in sales_json.hpp; SQL in sales_store.hpp; one
// *_command(s).cpp per command.
//
// A sale is drafted on the request's thread (draft_sale: items resolved and priced on a
// reader, pure pricing) and posted on the writer (post_sale: identity, authorization,
// rows, stock movements, audit entry, event — one transaction). Posting the same
// document id or Idempotency-Key twice returns the first result and moves nothing twice.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/documents.hpp"
#include "platform/outbox.hpp"
#include "sales/sale.hpp"

namespace backroom::sales {

SaleSettings load_settings(db::Db& db);
void save_settings(db::Db& db, const Actor& actor, const SaleSettings& s);

// Reads a sale body (POST /api/v1/sales, a parked sale, an exchange's "sale"). Pure.
// `tenders_required`: a parked sale has none yet.
SaleRequest parse_sale_request(const boost::json::object& body, const std::string& path, bool tenders_required);

// Resolves items and codes (catalog::scan: pack quantities, embedded prices and weights)
// on `reader` and prices the receipt. Throws 422 naming the line at fault.
SaleDraft draft_sale(db::Db& reader, SaleRequest request);

// What posting the drafted sale would answer, without writing: lines, discounts, tax by
// rate, totals, tenders and change (when tenders are given), and `needs_override` when
// the actor's discount limit is exceeded. Reads role limits on `reader`. Throws what
// posting would for tenders (422 insufficient_tender, change_exceeds_cash).
boost::json::object quote_sale(db::Db& reader, const Actor& actor, const SaleDraft& draft);

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

// A sale caught by the cut (docs/offline-register.md): its first try reached the server and was
// numbered there, but the register never heard the answer, completed it offline and printed
// `receipt_number`, a number of one of the register's blocks. Records that number as the sale's
// offline receipt number: the block counts it used by the sale, the journal finds the sale by
// it, and the sale shows it. Audited. Answers the sale (a replay when it was already recorded).
// 404 unknown sale; 422 on receipt_number for a training sale, a malformed number or one in no
// block of the sale's register; 409 receipt_number_used when another sale has it;
// 409 offline_receipt_recorded when the sale already carries another number of a block.
Posted record_offline_receipt(db::Db& db, const Actor& actor, const std::string& sale_id,
                              const std::string& receipt_number);

ReturnRequest parse_return_request(const boost::json::object& body, const std::string& path);

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

Posted post_exchange(db::Db& db, const Actor& actor, const ExchangeRequest& request, const SaleDraft& draft);
std::optional<boost::json::object> load_exchange(db::Db& db, const std::string& id);

// Parked sales.
Posted park_sale(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const SaleRequest& request,
                 const boost::json::object& body, const std::string& note);
std::vector<boost::json::object> list_parked(db::Db& db, const std::string& location_id, const std::string& register_id);
std::optional<boost::json::object> load_parked(db::Db& db, const std::string& id);
// status: "resumed" hands the body back for posting; "deleted" drops it. 409 when no longer parked.
Posted close_parked(db::Db& db, const Actor& actor, const std::string& id, ParkedStatus status);

// Register sessions. A sale or return at a register needs its open session (409
// register_session_closed otherwise).
inline constexpr std::size_t sessions_page_max = 100;
Posted open_session(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const std::string& register_id,
                    const std::string& location_id, std::int64_t opening_float);
Posted session_cash(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                    CashMovementKind kind, std::int64_t amount, const std::string& reason);
// Closes with what was counted per tender (a missing tender counted 0) and answers the
// session with its Z report (a retry answers the same report).
Posted close_session(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                     const Counted& counted);
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
// `backroom check`'s part: balance = sum of entries and never below zero; every store-credit
// tender of a sale spent exactly that much, less what head office could not cover of a store
// node's sale (store_credit_shortfalls).
std::vector<std::string> check_store_credits(db::Db& db);

// Store credit across stores (docs/sync.md): head office is the book of record of its store
// nodes' credit notes; a node keeps head office's balance of a note it asks about.
// At head office, a node's return refunded to store credit: adds `amount` to the note with
// this very `code` (the code the node printed), made with that code when head office has none.
void give_store_credit_as(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                          const std::string& document_type, const std::string& document_id);
// At head office, a node's sale tendered `amount` from the note `code`: spends what the
// balance holds, up to `amount` (never below zero), and records what it could not cover
// (a note spent elsewhere meanwhile, or unknown here) as the sale's shortfall. Answers the
// shortfall (0 when covered).
std::int64_t spend_store_credit_up_to(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                                      const std::string& sale_id);
// At head office, a shortfall settled (its store_credit_overdrawn conflict resolved): written
// off as a loss, or collected from the customer (no card data: `note` says how). Answers the
// shortfall's amount; 409 already_settled when it was, 404 when the sale has no such shortfall.
inline constexpr std::array shortfall_settlements = {std::string_view("written_off"), std::string_view("collected")};
std::int64_t settle_store_credit_shortfall(db::Db& db, const Actor& actor, const std::string& sale_id,
                                           const std::string& code, std::string_view settlement, const std::string& note);
// At a store node: the note `code` holds `balance` (what head office's balance comes to at the
// node), made with that code when the node has none; the difference is an entry of its own
// ('head_office', document id `reference`). Nothing is written when it holds that already.
void mirror_store_credit(db::Db& db, const Actor& actor, const std::string& code, std::int64_t balance,
                         const std::string& reference);

// Head office's word on a credit note: HeadOfficeCredit (sale.hpp).
// A note's ledger entry at the node, for the rule below.
struct CreditEntry {
  std::string document_type;  // sale, void, return, head_office
  std::string document_id;
  std::int64_t amount = 0;
};
// The rule (pure; docs/sync.md "Store credit across stores"): the node's note holds head
// office's balance plus what the node's own documents head office has not heard of yet moved
// (its entries of a sale, void or return whose document is not among head office's), never
// below zero. The node's earlier 'head_office' entries are the mirror itself: not counted.
std::int64_t balance_at_node(const HeadOfficeCredit& head_office, const std::vector<CreditEntry>& node_entries);
// The entries of the node's note `code` (none when it has none).
std::vector<CreditEntry> store_credit_entries(db::Db& db, const std::string& code);
// At a store node, while the link is up, asks head office about a note (sync's puller installs
// it at start); answers whether head office holds the note (with its word), holds none, or could
// not be asked in time. On the request's thread, never the writer's.
using CreditLookup = std::function<HeadOfficeAnswer(const std::string& code)>;
void set_credit_lookup(CreditLookup lookup);
// Head office's word on each of `codes` that it holds (none on head office itself, or offline).
std::vector<HeadOfficeCredit> ask_head_office(const std::vector<std::string>& codes);
// Head office's answer about one note (not_a_node on head office itself or a lone shop).
HeadOfficeAnswer ask_head_office_about(const std::string& code);
// A return refunded to a note `refund_to_code` that this server does not hold (on `reader`):
// asks head office about it (sets refund_note_at_head_office). Before the writer.
void ask_about_refund_note(db::Db& reader, ReturnRequest& request);

// The books: what `backroom check` proves about sales, returns, voids and the ledger.
// Returns one line per problem found; empty when the books hold.
std::vector<std::string> check_books(db::Db& db);

// What was sold per item, location and UTC day in [from, to), for the KPI report
// (src/reports/), on a reader: completed sales that are not training (voided sales are not
// sales) less returns on the day of the return; units in milli-units, net value without tax
// (line total - line tax; refund - refund tax) in minor units. Ordered by item, location, day.
struct DailySales {
  std::string item_id;
  std::string location_id;
  std::int64_t day = 0;
  Quantity units;             // sold - returned
  std::int64_t net_value = 0; // sold - refunded, without tax
};
std::vector<DailySales> daily_item_sales(db::Db& db, Timestamp from, Timestamp to);

}  // namespace backroom::sales
