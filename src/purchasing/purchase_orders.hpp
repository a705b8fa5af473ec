// Purchase orders and receiving, the commands and reads (purchase_order_store.cpp): an
// order is drafted, edited while a draft, sent, received in one or more receipts (by lines
// or by scanning cases and items), and ends received, closed short or cancelled. A receipt
// books stock (movement `receipt` into the order's location, `receipt_damaged` into its
// damaged bin) through stock's functions, moves the item's moving-average cost through
// catalog's (cost.hpp; each change kept in item_cost_history), and writes its audit entry
// and its events (receipt.posted; purchase_order.received when the last unit arrives) in the
// same transaction. Commands run on the writer's connection inside its transaction.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/documents.hpp"
#include "purchasing/purchase_order.hpp"

namespace backroom::purchasing {

using documents::DocumentKey;

struct Posted {
  boost::json::object document;
  bool replayed = false;
};

struct OrderLineInput {
  std::string item_id;
  Quantity quantity;
  std::optional<std::int64_t> unit_cost;  // default: the supplier item's cost, else the item's
};
struct OrderInput {
  DocumentKey key;
  std::string supplier_id;
  std::string location_id;
  std::optional<std::string> expected_on;  // YYYY-MM-DD
  bool exact_cases = false;
  std::string note;
  std::vector<OrderLineInput> lines;
};
// Only what is set changes; lines replace the order's lines.
struct OrderPatch {
  std::optional<std::vector<OrderLineInput>> lines;
  bool set_expected_on = false;
  std::optional<std::string> expected_on;
  std::optional<bool> exact_cases;
  std::optional<std::string> note;
};

// "PO-000123".
std::string order_number_text(std::int64_t number);

Posted create_order(db::Db& db, const Actor& actor, const OrderInput& in);
boost::json::object update_order(db::Db& db, const Actor& actor, const std::string& id, const OrderPatch& patch);
boost::json::object send_order(db::Db& db, const Actor& actor, const std::string& id);
// Closes a sent or partly received order short: what is still outstanding is cancelled.
boost::json::object close_order(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason);
boost::json::object cancel_order(db::Db& db, const Actor& actor, const std::string& id);

struct ReceiveInput {
  DocumentKey key;
  std::vector<ReceiptLineInput> lines;
  std::vector<std::string> scans;  // barcodes, resolved through the catalog
  std::optional<std::string> override_token;  // a manager's, for over-receipt
};
// A receipt: 201 document {id, number, purchase_order, lines, not_on_order}; a retry under
// the same key answers the first result (replayed).
Posted receive_order(db::Db& db, const Actor& actor, const std::string& id, const ReceiveInput& in);

// Over-receipt beyond the tolerance (plan.over_tolerance not empty): nullopt when the actor
// may (purchasing.over_receive), the approver when a manager's override token allows it,
// else 403 over_receipt naming the lines.
std::optional<Actor> approve_over_receipt(db::Db& db, const Actor& actor, const std::vector<OrderLine>& lines,
                                          const ReceiptPlan& plan, std::int64_t tolerance_bp,
                                          const std::optional<std::string>& token);

// The over-receipt tolerance in force (basis points of a line; settings).
std::int64_t over_receive_tolerance_bp(db::Db& db);
void set_over_receive_tolerance_bp(db::Db& db, const Actor& actor, std::int64_t bp);

std::optional<boost::json::object> load_order(db::Db& db, const std::string& id);
// The order's status, or nullopt when there is no such order.
std::optional<OrderStatus> order_status(db::Db& db, const std::string& id);

struct OrderFilter {
  std::string status;       // "" = any
  std::string supplier_id;  // "" = any
  std::string location_id;  // "" = any
  std::int64_t before_number = 0;  // cursor: numbers below it; 0 = from the newest
  int limit = 50;
};
struct ListedOrder {
  std::int64_t number = 0;
  boost::json::object document;
};
// Up to limit + 1 orders, newest first (the caller pages).
std::vector<ListedOrder> list_orders(db::Db& db, const OrderFilter& f);

// What planning reads of orders: per item, what sent or partly received orders for the
// location still bring (ordered less received less cancelled).
std::vector<std::pair<std::string, Quantity>> on_order_at(db::Db& db, const std::string& location_id);

// Per item x location, the earliest expected_on (YYYY-MM-DD) of a sent or partly received
// order that still brings some of it (the availability feed's backorder date).
std::map<std::pair<std::string, std::string>, std::string> expected_dates(db::Db& db);

// The order as the supplier gets it.
std::string order_document_csv(db::Db& db, const std::string& id);
std::string order_document_pdf(db::Db& db, const std::string& id);

// Central buying for store nodes (docs/sync.md, "Purchase orders for a store node's store").
// Once sent, an order for a store that runs a node notes a change of entity `purchase_order`
// in the catalog change feed (catalog/changes.hpp) in the transaction of each write (send,
// close, cancel, a receipt the node pushed), so the node learns of it and of what changes.
inline constexpr std::string_view order_change = "purchase_order";
// The order as the node gets it (least privilege: what to count, no costs, no supplier
// details but its name): {id, number, status, supplier: {name}, location_id, expected_on,
// note, sent_at, lines: [{id, line_no, item_id, sku, name, quantity, case_pack, cases,
// received, damaged, cancelled, outstanding}]}. nullopt for no such order or a draft.
std::optional<boost::json::object> order_for_node(db::Db& db, const std::string& id);
// Notes every sent or partly received order for `location_id` in the feed (a store that gets
// its node: those orders are its node's to receive from then on).
void note_open_orders_to(db::Db& db, const std::string& location_id);
// At head office, a receipt the store node at `node_location_id` pushed for order `order_id`
// (its movements already booked at the store as the node's document): records it on the
// order exactly as receive_order does, but books no stock: receipt `receipt_id` with its
// lines, each line's received and damaged, short and over, the moving-average cost (as if
// before the node's units were booked: `posted_ahead` holds, per item, the units head office's
// ledger holds already that this receipt and what came after it booked), the order's status, audit purchase_order.receive,
// events receipt.posted (and purchase_order.received). Over the tolerance is accepted (the
// node's manager approved it: `approved_by`, their username, kept as the receipt's approver);
// the receipt's `by` is `by` when given (the node's store for people: "<store> (store node)";
// the audit entry still names `actor`, the node's key). Returns nullopt when recorded, else why nothing was written:
// not_found, other_store, po_<status> (cancelled, closed, received, draft: not receivable),
// unknown_line, nothing_received.
std::optional<std::string> receive_from_node(db::Db& db, const Actor& actor, const std::string& order_id,
                                             const std::string& node_location_id, const std::string& receipt_id,
                                             const std::vector<ReceiptLineInput>& lines, std::int64_t at,
                                             std::map<std::string, Quantity> posted_ahead,
                                             const std::optional<std::string>& approved_by = std::nullopt,
                                             const std::optional<std::string>& by = std::nullopt);

// The item's cost history, newest first, after the entry id `before_id` ("" = newest).
// Up to limit + 1 entries.
std::vector<boost::json::object> cost_history(db::Db& db, const std::string& item_id, const std::string& before_id,
                                              int limit);

}  // namespace backroom::purchasing
