// The sales half of `backroom check`: every sale, void and return has its movements,
// no sale line came back beyond what was sold, and the money adds up.
#include <fmt/format.h>

#include "catalog/vocabulary.hpp"
#include "sales/sales.hpp"
#include "sales/sold_days.hpp"

namespace backroom::sales {

std::vector<std::string> check_books(db::Db& db) {
  auto problems = stock::check_ledger(db);
  auto report = [&problems](std::string line) {
    if (problems.size() < 1000) problems.push_back(std::move(line));
  };
  for (auto& line : check_sold_days(db)) report(std::move(line));  // the KPI summary's sales half
  {
    auto q = db.query(
        "SELECT DISTINCT document_type, document_id FROM stock_movements m WHERE "
        "(document_type = 'sale' AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = m.document_id AND s.training = 0)) OR "
        "(document_type = 'void' AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.id = m.document_id)) OR "
        "(document_type = 'return' AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.id = m.document_id)) LIMIT 1000");
    while (q.step()) report(fmt::format("movement: document {} {} does not exist (or is a training sale)", q.text(0), q.text(1)));
  }
  {
    // Each line of a real sale took stock; a plain item line took exactly its quantity. A store
    // node's sale (docs/sync.md) took it by the node's movements, posted as node_document
    // with the node's reason and the sale line's id.
    auto q = db.query(
        "SELECT l.id, l.sale_id, l.quantity, i.kind, COALESCE(mv.total, 0), COALESCE(mv.n, 0) FROM sale_lines l "
        "JOIN sales s ON s.id = l.sale_id JOIN items i ON i.id = l.item_id "
        "LEFT JOIN (SELECT document_line_id, SUM(quantity) AS total, COUNT(*) AS n FROM stock_movements "
        "WHERE document_type = 'sale' OR (document_type = 'node_document' AND reason = 'sale') GROUP BY "
        "document_line_id) mv ON mv.document_line_id = l.id WHERE s.training = 0");
    while (q.step()) {
      bool kit = catalog::item_kinds.stored(q.text(3)) == catalog::ItemKind::kit;
      if (q.int64(5) == 0 || (!kit && q.int64(4) != -q.int64(2)))
        report(fmt::format("sale {} line {}: sold {} but its movements sum to {}", q.text(1), q.text(0),
                           format_quantity(Quantity{q.int64(2)}), format_quantity(Quantity{-q.int64(4)})));
    }
  }
  {
    auto q = db.query(
        "SELECT s.id FROM sales s WHERE s.training = 1 AND EXISTS (SELECT 1 FROM stock_movements m WHERE m.document_id = s.id)");
    while (q.step()) report(fmt::format("sale {}: a training sale moved stock", q.text(0)));
    auto r = db.query(
        "SELECT r.id FROM returns r WHERE r.training = 1 AND (EXISTS (SELECT 1 FROM stock_movements m WHERE "
        "m.document_id = r.id) OR EXISTS (SELECT 1 FROM store_credit_entries e WHERE e.document_id = r.id))");
    while (r.step()) report(fmt::format("return {}: a training return moved stock or store credit", r.text(0)));
  }
  {
    // A void negates its sale exactly, item by item and location by location.
    auto q = db.query(
        "SELECT v.sale_id, m.item_id, m.location_id, SUM(m.quantity) FROM sale_voids v JOIN stock_movements m "
        "ON m.document_id IN (v.sale_id, v.id) GROUP BY v.sale_id, m.item_id, m.location_id HAVING SUM(m.quantity) <> 0");
    while (q.step())
      report(fmt::format("void of sale {}: item {} at {} is off by {}", q.text(0), q.text(1), q.text(2),
                         format_quantity(Quantity{q.int64(3)})));
    auto s = db.query(
        "SELECT s.id, s.status, (SELECT COUNT(*) FROM sale_voids v WHERE v.sale_id = s.id) FROM sales s "
        "WHERE (s.status = 'voided') <> ((SELECT COUNT(*) FROM sale_voids v WHERE v.sale_id = s.id) = 1)");
    while (s.step()) report(fmt::format("sale {}: status {} but {} void records", s.text(0), s.text(1), s.int64(2)));
  }
  {
    auto q = db.query(
        "SELECT l.id, l.quantity, l.returned_quantity, COALESCE(SUM(r.quantity), 0), l.total, COALESCE(SUM(r.refund), 0) "
        "FROM sale_lines l LEFT JOIN return_lines r ON r.sale_line_id = l.id AND (SELECT training FROM returns WHERE id = "
        "r.return_id) <= (SELECT training FROM sales WHERE id = l.sale_id) GROUP BY l.id "
        "HAVING l.returned_quantity <> COALESCE(SUM(r.quantity), 0) OR COALESCE(SUM(r.quantity), 0) > l.quantity "
        "OR COALESCE(SUM(r.refund), 0) > l.total");
    while (q.step())
      report(fmt::format("sale line {}: sold {}, marked returned {}, return lines {}, refunded {} of {}", q.text(0),
                         format_quantity(Quantity{q.int64(1)}), format_quantity(Quantity{q.int64(2)}),
                         format_quantity(Quantity{q.int64(3)}), q.int64(5), q.int64(4)));
  }
  {
    auto q = db.query(
        "SELECT return_id, line_id FROM (SELECT r.id AS return_id, l.id AS line_id, COALESCE((SELECT SUM(m.quantity) "
        "FROM stock_movements m WHERE (m.document_id = r.id OR m.document_type = 'node_document') AND m.document_line_id = l.id), 0) AS back "
        "FROM return_lines l JOIN returns r ON r.id = l.return_id WHERE r.training = 0 "
        "AND (l.sale_line_id IS NULL OR EXISTS (SELECT 1 FROM stock_movements s WHERE s.document_line_id = l.sale_line_id))) "
        "AS x WHERE back <= 0");
    while (q.step()) report(fmt::format("return {} line {}: no stock came back", q.text(0), q.text(1)));
  }
  {
    auto q = db.query(
        "SELECT s.id, s.total, s.tax_total, s.tendered, s.change_due, "
        "(SELECT COALESCE(SUM(total), 0) FROM sale_lines l WHERE l.sale_id = s.id), "
        "(SELECT COALESCE(SUM(tax), 0) FROM sale_lines l WHERE l.sale_id = s.id), "
        "(SELECT COALESCE(SUM(amount), 0) FROM sale_tenders t WHERE t.sale_id = s.id) FROM sales s");
    while (q.step()) {
      if (q.int64(1) != q.int64(5) || q.int64(2) != q.int64(6) || q.int64(3) != q.int64(7) ||
          q.int64(3) - q.int64(4) != q.int64(1))
        report(fmt::format("sale {}: total {} (lines {}), tax {} (lines {}), tendered {} (tenders {}), change {}", q.text(0),
                           q.int64(1), q.int64(5), q.int64(2), q.int64(6), q.int64(3), q.int64(7), q.int64(4)));
    }
    auto r = db.query(
        "SELECT r.id, r.refund_total, (SELECT COALESCE(SUM(refund), 0) FROM return_lines l WHERE l.return_id = r.id), "
        "(SELECT COALESCE(SUM(amount), 0) FROM return_tenders t WHERE t.return_id = r.id) FROM returns r");
    while (r.step())
      if (r.int64(1) != r.int64(2) || r.int64(1) != r.int64(3))
        report(fmt::format("return {}: refund {} but lines {} and tenders {}", r.text(0), r.int64(1), r.int64(2), r.int64(3)));
  }
  for (auto& line : check_store_credits(db)) report(std::move(line));
  return problems;
}

}  // namespace backroom::sales
