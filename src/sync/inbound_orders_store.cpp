// SQL of the purchase orders a store node receives for head office (sync/inbound_orders.hpp,
// migration 41).
#include <fmt/format.h>

#include "sync/inbound_orders.hpp"

namespace backroom::sync::store {

namespace {
std::vector<InboundOrderLine> order_lines(db::Db& db, const std::string& order_id) {
  std::vector<InboundOrderLine> out;
  auto q = db.query(
      "SELECT id, line_no, item_id, sku, name, quantity, case_pack, cancelled, received, damaged "
      "FROM sync_inbound_order_lines WHERE order_id = ? ORDER BY line_no");
  q.bind(1, order_id);
  while (q.step())
    out.push_back(InboundOrderLine{q.text(0), q.int64(1), q.text(2), q.text(3), q.text(4), Quantity{q.int64(5)},
                                   Quantity{q.int64(6)}, Quantity{q.int64(7)}, Quantity{q.int64(8)},
                                   Quantity{q.int64(9)}});
  return out;
}

constexpr const char* columns =
    "SELECT id, number, supplier_name, expected_on, note, sent_at, hq_status, status, arrived_at, updated_at "
    "FROM sync_inbound_orders ";

InboundOrder row(db::Query& q) {
  InboundOrder o;
  o.id = q.text(0);
  o.number = q.text(1);
  o.supplier_name = q.text(2);
  o.expected_on = q.opt_text(3);
  o.note = q.text(4);
  o.sent_at = q.int64(5);
  o.hq_status = q.text(6);
  o.status = q.text(7);
  o.arrived_at = q.int64(8);
  o.updated_at = q.int64(9);
  return o;
}
}  // namespace

void upsert_inbound_order(db::Db& db, const InboundOrder& o) {
  // The order as the feed brought it last; arrived_at stays the first time it came.
  db.query(
        "INSERT INTO sync_inbound_orders (id, number, supplier_name, expected_on, note, sent_at, hq_status, status, "
        "arrived_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
        "number = excluded.number, supplier_name = excluded.supplier_name, expected_on = excluded.expected_on, "
        "note = excluded.note, sent_at = excluded.sent_at, hq_status = excluded.hq_status, status = excluded.status, "
        "updated_at = excluded.updated_at")
      .bind(1, o.id)
      .bind(2, o.number)
      .bind(3, o.supplier_name)
      .bind(4, o.expected_on)
      .bind(5, o.note)
      .bind(6, o.sent_at)
      .bind(7, o.hq_status)
      .bind(8, o.status)
      .bind(9, o.arrived_at)
      .bind(10, o.updated_at)
      .run();
  for (const auto& l : o.lines)
    db.query(
          "INSERT INTO sync_inbound_order_lines (id, order_id, line_no, item_id, sku, name, quantity, case_pack, "
          "cancelled, received, damaged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
          "line_no = excluded.line_no, item_id = excluded.item_id, sku = excluded.sku, name = excluded.name, "
          "quantity = excluded.quantity, case_pack = excluded.case_pack, cancelled = excluded.cancelled, "
          "received = excluded.received, damaged = excluded.damaged")
        .bind(1, l.id)
        .bind(2, o.id)
        .bind(3, l.line_no)
        .bind(4, l.item_id)
        .bind(5, l.sku)
        .bind(6, l.name)
        .bind(7, l.quantity.milli)
        .bind(8, l.case_pack.milli)
        .bind(9, l.cancelled.milli)
        .bind(10, l.received.milli)
        .bind(11, l.damaged.milli)
        .run();
}

std::optional<InboundOrder> load_inbound_order(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto o = row(q);
  o.lines = order_lines(db, o.id);
  return o;
}

std::vector<InboundOrder> list_inbound_orders(db::Db& db, const std::string& status, bool open,
                                              const std::optional<std::string>& before, int limit) {
  auto q = db.query(std::string(columns) +
                    "WHERE (?1 = '' OR status = ?1) AND (?2 = 0 OR status IN ('sent', 'partially_received')) "
                    "AND (?3 = '' OR id < ?3) ORDER BY id DESC LIMIT ?4");
  q.bind(1, status)
      .bind(2, static_cast<std::int64_t>(open ? 1 : 0))
      .bind(3, before.value_or(std::string()))
      .bind(4, static_cast<std::int64_t>(limit));
  std::vector<InboundOrder> out;
  while (q.step()) out.push_back(row(q));
  for (auto& o : out) o.lines = order_lines(db, o.id);
  return out;
}

std::vector<InboundOrderDelivery> inbound_order_receipts(db::Db& db, const std::string& order_id) {
  std::vector<InboundOrderDelivery> out;
  auto q = db.query(
      "SELECT id, number, location_id, at, user FROM sync_inbound_order_receipts WHERE order_id = ? ORDER BY number");
  q.bind(1, order_id);
  while (q.step()) out.push_back(InboundOrderDelivery{q.text(0), q.int64(1), q.text(2), q.int64(3), q.text(4), {}});
  for (auto& d : out) {
    auto l = db.query(
        "SELECT r.line_id, r.received, r.damaged FROM sync_inbound_order_receipt_lines r "
        "JOIN sync_inbound_order_lines l ON l.id = r.line_id WHERE r.receipt_id = ? ORDER BY l.line_no");
    l.bind(1, d.id);
    while (l.step()) d.lines.push_back({l.text(0), {Quantity{l.int64(1)}, Quantity{l.int64(2)}}});
  }
  return out;
}

void insert_inbound_order_receipt(db::Db& db, const std::string& order_id, const InboundOrderDelivery& d) {
  db.query("INSERT INTO sync_inbound_order_receipts (id, order_id, number, location_id, at, user) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, d.id)
      .bind(2, order_id)
      .bind(3, d.number)
      .bind(4, d.location_id)
      .bind(5, d.at)
      .bind(6, d.user)
      .run();
  for (const auto& [line_id, q] : d.lines)
    db.query("INSERT INTO sync_inbound_order_receipt_lines (receipt_id, line_id, received, damaged) VALUES (?, ?, ?, ?)")
        .bind(1, d.id)
        .bind(2, line_id)
        .bind(3, q.first.milli)
        .bind(4, q.second.milli)
        .run();
}

std::vector<std::string> check_inbound_orders(db::Db& db) {
  std::vector<std::string> problems;
  {
    auto q = db.query(
        "SELECT DISTINCT m.document_id FROM stock_movements m WHERE m.document_type = 'inbound_po_receipt' AND NOT EXISTS "
        "(SELECT 1 FROM sync_inbound_order_receipts r WHERE r.id = m.document_id) LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("movement: purchase order receipt {} is not a delivery received at this node", q.text(0)));
  }
  {
    // Each delivery's line: its movements (good at the store, damaged in the bin) add to what it received.
    auto q = db.query(
        "SELECT r.receipt_id, r.line_id, r.received, COALESCE((SELECT SUM(m.quantity) FROM stock_movements m "
        "WHERE m.document_type = 'inbound_po_receipt' AND m.document_id = r.receipt_id AND m.document_line_id = r.line_id), 0) "
        "FROM sync_inbound_order_receipt_lines r");
    while (q.step())
      if (q.int64(2) != q.int64(3))
        problems.push_back(fmt::format("purchase order receipt {} line {}: {} received, but its movements add to {}",
                                       q.text(0), q.text(1), format_quantity(Quantity{q.int64(2)}),
                                       format_quantity(Quantity{q.int64(3)})));
  }
  {
    auto q = db.query(
        "SELECT l.id, l.received, l.damaged, COALESCE(SUM(r.received), 0), COALESCE(SUM(r.damaged), 0) "
        "FROM sync_inbound_order_lines l LEFT JOIN sync_inbound_order_receipt_lines r ON r.line_id = l.id "
        "GROUP BY l.id, l.received, l.damaged");
    while (q.step())
      if (q.int64(1) < q.int64(3) || q.int64(2) < q.int64(4) || q.int64(2) > q.int64(1))
        problems.push_back(fmt::format("inbound purchase order line {}: received {} damaged {}, its deliveries {} and {}",
                                       q.text(0), format_quantity(Quantity{q.int64(1)}),
                                       format_quantity(Quantity{q.int64(2)}), format_quantity(Quantity{q.int64(3)}),
                                       format_quantity(Quantity{q.int64(4)})));
  }
  return problems;
}

std::vector<std::string> check_node_order_receipts(db::Db& db) {
  std::vector<std::string> problems;
  auto q = db.query(
      "SELECT r.receipt_id, r.line_id, r.received, COALESCE((SELECT SUM(m.quantity) FROM stock_movements m "
      "WHERE m.document_type = 'node_document' AND m.document_id = r.receipt_id AND m.document_line_id = r.line_id), 0) "
      "FROM po_receipt_lines r JOIN sync_documents d ON d.id = r.receipt_id");
  while (q.step())
    if (q.int64(2) != q.int64(3))
      problems.push_back(fmt::format("purchase order receipt {} line {}: {} received, but the node's document booked {}",
                                     q.text(0), q.text(1), format_quantity(Quantity{q.int64(2)}),
                                     format_quantity(Quantity{q.int64(3)})));
  return problems;
}

}  // namespace backroom::sync::store
