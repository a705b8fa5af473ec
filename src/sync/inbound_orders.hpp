// Purchase orders head office sends for a store node's store (docs/sync.md, "Purchase orders
// for a store node's store": central buying, the supplier delivers straight to the store).
// Head office notes a change of entity `purchase_order` in its change feed when it sends such
// an order and on every later write of it (closed, cancelled, a receipt recorded); the node's
// pull keeps it (migration 41, `sync_inbound_orders` and its lines: head office's ids, number,
// supplier's name, expected date, items, quantities ordered, case packs; never costs). The
// node's staff receive it in one or more deliveries, as head office's own receiving does
// (received counts damaged units too; short and over allowed; over the tolerance needs a
// manager). Each delivery books the store's stock in the node's ledger (document type
// `inbound_po_receipt`, document id the delivery's, line ids head office's; reasons `receipt`
// and `receipt_damaged`) and writes the event `purchase_receipt.received`, which the node
// pushes like its other documents. Head office posts its movements at the node's store and
// records the receipt on its order (purchasing::receive_from_node), or lists a conflict
// `po_not_receivable` when the order was cancelled or closed meanwhile.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"
#include "purchasing/purchase_order.hpp"

namespace backroom::sync {

inline constexpr const char* inbound_po_document_type = "inbound_po_receipt";
inline constexpr const char* po_received_event = "purchase_receipt.received";

struct InboundOrderLine {
  std::string id;  // head office's order line id
  std::int64_t line_no = 0;
  std::string item_id;
  std::string sku, name;
  Quantity quantity, case_pack, cancelled;  // ordered (whole cases), the case, given up by head office
  Quantity received, damaged;               // at the store (damaged is part of received)
};
struct InboundOrder {
  std::string id;      // head office's order id
  std::string number;  // PO-000123
  std::string supplier_name;
  std::optional<std::string> expected_on;
  std::string note;
  std::int64_t sent_at = 0;
  std::string hq_status;  // head office's status as the feed last said
  std::string status;     // the node's view (node_status)
  std::int64_t arrived_at = 0, updated_at = 0;
  std::vector<InboundOrderLine> lines;
};

// As head office's order lines (purchasing::OrderLine), for its pure rules.
std::vector<purchasing::OrderLine> order_lines_of(const InboundOrder& o);
// The node's view of an order (pure): head office's cancelled or closed; else received when no
// line is outstanding, partially_received when something arrived, else sent.
std::string node_status(const InboundOrder& o);

// What a person at the node says arrived on a line, by line id or item id (received counts
// damaged units too, as at head office).
struct InboundOrderReceiptLine {
  std::string key;
  bool by_item = false;
  Quantity received, damaged;
};
struct InboundOrderReceipt {
  std::vector<InboundOrderReceiptLine> lines;
  std::optional<std::string> location_id;     // the node's store; default its only store
  std::optional<std::string> override_token;  // a manager's, for an over-receipt
};
// The request's lines as head office's receipt lines (pure): an item id lands on the order's
// line of that item still outstanding, else its first (purchasing::line_for_item). 422 naming
// `lines[i].item_id` for an item not on the order.
std::vector<purchasing::ReceiptLineInput> receipt_lines_of(const InboundOrder& o, const InboundOrderReceipt& in);

struct InboundOrderDelivery {
  std::string id;
  std::int64_t number = 0;
  std::string location_id;
  std::int64_t at = 0;
  std::string user;
  std::vector<std::pair<std::string, std::pair<Quantity, Quantity>>> lines;  // line id -> received, damaged
};

// The JSON of GET /api/v1/sync/inbound-orders/{id} (and the list's rows, `receipts` only with
// the order itself).
boost::json::object inbound_order_to_json(const InboundOrder& o, const std::vector<InboundOrderDelivery>* receipts);

// On the node, in the pull's transaction: keeps an order the feed carries (`data` as
// purchasing::order_for_node). A new one is kept with head office's figures; one the node
// holds takes head office's status, expected date, note and each line's cancelled quantity,
// and keeps its own received and damaged (the node is the only one that receives it). Throws
// 422 on data it cannot read.
void apply_inbound_order(db::Db& db, const boost::json::value& data);

// One delivery of an order at the node. 404 when unknown; 409 po_not_sent / po_closed as at
// head office when it is not open; 422 as purchasing::plan_receipt (nothing_received when no
// unit); 403 over_receipt beyond the tolerance without a manager. Books the stock, audits
// (inbound_order.receive), writes the event purchase_receipt.received {id, number,
// purchase_order_id, purchase_order_number, location_id, received_at, received_by, approved_by,
// lines [{po_line_id, item_id, received, damaged}]}. Returns the delivery.
InboundOrderDelivery receive_inbound_order(db::Db& db, const Actor& actor, const std::string& id,
                                           const InboundOrderReceipt& in);

// At head office, for a pushed purchase_receipt.received document: the order and the lines it
// names, or nullopt when it cannot be read.
struct PushedOrderReceipt {
  std::string order_id;
  std::vector<purchasing::ReceiptLineInput> lines;
  std::optional<std::string> approved_by;  // the node's manager who approved an over-receipt
};
std::optional<PushedOrderReceipt> pushed_order_receipt_of(const std::string& payload);

namespace store {
void upsert_inbound_order(db::Db& db, const InboundOrder& o);
std::optional<InboundOrder> load_inbound_order(db::Db& db, const std::string& id);
// Newest first (by id), after `before` when set; `open`: sent or partially received only.
std::vector<InboundOrder> list_inbound_orders(db::Db& db, const std::string& status, bool open,
                                              const std::optional<std::string>& before, int limit);
std::vector<InboundOrderDelivery> inbound_order_receipts(db::Db& db, const std::string& order_id);
void insert_inbound_order_receipt(db::Db& db, const std::string& order_id, const InboundOrderDelivery& d);
// `backroom check`'s part on a node: every inbound_po_receipt movement belongs to a delivery,
// each delivery's movements add up to its lines, and each line's received and damaged are the
// sum of its deliveries' on top of what head office had received when the node learnt of it
// (not kept: checked as received >= the deliveries' sum).
std::vector<std::string> check_inbound_orders(db::Db& db);
// At head office: each purchase-order receipt recorded from a node's pushed document (its id
// is the document's) received on each line what that document's movements booked for it.
std::vector<std::string> check_node_order_receipts(db::Db& db);
}  // namespace store

}  // namespace backroom::sync
