// The ledger half of `backroom check`, as SQL over the whole file (run on a reader or the
// CLI's connection; nothing is written).
#include <fmt/format.h>

#include "stock/holds.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

std::vector<std::string> check_ledger(db::Db& db) {
  std::vector<std::string> problems;
  auto report = [&problems](std::string line) {
    if (problems.size() < 1000) problems.push_back(std::move(line));
  };
  {
    auto q = db.query(
        "WITH m AS (SELECT item_id, location_id, SUM(quantity) AS total FROM stock_movements GROUP BY item_id, location_id) "
        "SELECT b.item_id, b.location_id, b.on_hand, COALESCE(m.total, 0) FROM stock_balances b "
        "LEFT JOIN m ON m.item_id = b.item_id AND m.location_id = b.location_id WHERE b.on_hand <> COALESCE(m.total, 0) "
        "UNION ALL SELECT m.item_id, m.location_id, 0, m.total FROM m LEFT JOIN stock_balances b "
        "ON m.item_id = b.item_id AND m.location_id = b.location_id WHERE b.item_id IS NULL");
    while (q.step())
      report(fmt::format("balance: item {} at {} has on_hand {} but its movements sum to {}", q.text(0), q.text(1),
                         format_quantity(Quantity{q.int64(2)}), format_quantity(Quantity{q.int64(3)})));
  }
  {
    // Every movement is posted to its item's account at its location.
    auto q = db.query(
        "SELECT m.seq, m.item_id, m.location_id FROM stock_movements m LEFT JOIN stock_balances b ON b.account = m.account "
        "WHERE b.item_id IS NOT m.item_id OR b.location_id IS NOT m.location_id");
    while (q.step())
      report(fmt::format("account: movement {} of item {} at {} is not posted to that item's account there", q.int64(0),
                         q.text(1), q.text(2)));
  }
  {
    // The units sold kept per account and month (stock/consumption.hpp) against the ledger.
    auto q = db.query(
        "WITH m AS (SELECT account, -SUM(quantity) AS units FROM stock_movements WHERE reason IN ('sale', 'void', 'return') "
        "GROUP BY account), s AS (SELECT account, SUM(units) AS units FROM stock_sold_months GROUP BY account) "
        "SELECT m.account, m.units, COALESCE(s.units, 0) FROM m LEFT JOIN s ON s.account = m.account "
        "WHERE m.units <> COALESCE(s.units, 0) UNION ALL SELECT s.account, 0, s.units FROM s LEFT JOIN m "
        "ON m.account = s.account WHERE m.account IS NULL AND s.units <> 0");
    while (q.step())
      report(fmt::format("sold months: account {} sold {} by its movements but {} by its months", q.int64(0),
                         format_quantity(Quantity{q.int64(1)}), format_quantity(Quantity{q.int64(2)})));
  }
  {
    auto q = db.query("SELECT item_id, location_id FROM stock_balances WHERE account IS NULL");
    while (q.step()) report(fmt::format("account: the balance of item {} at {} has no account number", q.text(0), q.text(1)));
  }
  {
    auto q = db.query(
        "WITH r AS (SELECT item_id, location_id, SUM(quantity) AS total FROM stock_reservations WHERE status = 'active' "
        "GROUP BY item_id, location_id UNION ALL SELECT item_id, location_id, SUM(held) FROM stock_holds "
        "GROUP BY item_id, location_id), t AS (SELECT item_id, location_id, SUM(total) AS total FROM r "
        "GROUP BY item_id, location_id) SELECT b.item_id, b.location_id, b.reserved, COALESCE(t.total, 0) "
        "FROM stock_balances b LEFT JOIN t ON t.item_id = b.item_id AND t.location_id = b.location_id "
        "WHERE b.reserved <> COALESCE(t.total, 0) UNION ALL SELECT t.item_id, t.location_id, 0, t.total FROM t "
        "LEFT JOIN stock_balances b ON b.item_id = t.item_id AND b.location_id = t.location_id "
        "WHERE b.item_id IS NULL AND t.total <> 0");
    while (q.step())
      report(fmt::format("reserved: item {} at {} has reserved {} but its active reservations and holds sum to {}",
                         q.text(0), q.text(1), format_quantity(Quantity{q.int64(2)}),
                         format_quantity(Quantity{q.int64(3)})));
  }
  for (auto& line : check_holds(db)) report(std::move(line));
  for (auto& line : check_stock_days(db)) report(std::move(line));  // the KPI summary (kpi_days.hpp)
  {
    auto q = db.query(
        "SELECT DISTINCT document_type, document_id FROM stock_movements m WHERE "
        "(document_type = 'adjustment' AND NOT EXISTS (SELECT 1 FROM stock_adjustments a WHERE a.id = m.document_id)) OR "
        "(document_type = 'transfer' AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id = m.document_id)) OR "
        "document_type NOT IN ('adjustment', 'transfer', 'sale', 'void', 'return', 'po_receipt', 'count', "
        "'node_document', 'inbound_transfer', 'inbound_po_receipt', 'outbound_transfer', 'outbound_transfer_cancel') LIMIT 1000");
    while (q.step()) report(fmt::format("movement: document {} {} does not exist", q.text(0), q.text(1)));
  }
  {
    auto q = db.query(
        "SELECT id, quantity, moved FROM (SELECT a.id, a.quantity, COALESCE((SELECT SUM(quantity) FROM stock_movements m "
        "WHERE m.document_id = a.id AND m.item_id = a.item_id AND m.location_id = a.location_id), 0) AS moved "
        "FROM stock_adjustments a) AS x WHERE moved <> quantity");
    while (q.step())
      report(fmt::format("adjustment {}: quantity {} but its movements sum to {}", q.text(0),
                         format_quantity(Quantity{q.int64(1)}), format_quantity(Quantity{q.int64(2)})));
  }
  {
    // Per transfer line: the source lost what was shipped and got back what a cancel returned;
    // in transit holds what has not arrived, was not booked short and was not returned; the
    // destination (and its damaged bin) got what arrived; the receipts add up to the line's
    // totals, which never exceed what was shipped; a received or cancelled transfer has
    // nothing outstanding.
    auto q = db.query(
        "SELECT l.id, t.status, l.shipped, l.received, l.damaged, l.short, "
        "COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.document_line_id = l.id AND m.location_id = t.from_location_id), 0), "
        "COALESCE((SELECT SUM(m.quantity) FROM stock_movements m JOIN locations x ON x.id = m.location_id "
        "WHERE m.document_line_id = l.id AND x.kind = 'transit'), 0), "
        "COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.document_line_id = l.id AND m.location_id <> t.from_location_id "
        "AND m.location_id NOT IN (SELECT id FROM locations WHERE kind = 'transit')), 0), "
        "(SELECT COALESCE(SUM(r.received), 0) FROM transfer_receipt_lines r WHERE r.line_id = l.id), "
        "(SELECT COALESCE(SUM(r.damaged), 0) FROM transfer_receipt_lines r WHERE r.line_id = l.id), "
        "(SELECT COALESCE(SUM(r.short), 0) FROM transfer_receipt_lines r WHERE r.line_id = l.id), l.returned "
        "FROM transfer_lines l JOIN transfers t ON t.id = l.transfer_id");
    while (q.step()) {
      bool closed = q.text(1) != "in_transit";  // received or cancelled
      std::int64_t shipped = q.int64(2), got = q.int64(3), damaged = q.int64(4), lost = q.int64(5);
      std::int64_t out = q.int64(6), transit = q.int64(7), in = q.int64(8), returned = q.int64(12);
      std::int64_t arrived = got + damaged, outstanding = shipped - arrived - lost - returned;
      if (out != returned - shipped || transit != outstanding || in != arrived)
        report(fmt::format("transfer line {}: shipped {}, moved out {} (returned {}), in transit {} (outstanding {}), "
                           "arrived {} of {}",
                           q.text(0), format_quantity(Quantity{shipped}), format_quantity(Quantity{-out}),
                           format_quantity(Quantity{returned}), format_quantity(Quantity{transit}),
                           format_quantity(Quantity{outstanding}), format_quantity(Quantity{in}),
                           format_quantity(Quantity{arrived})));
      if (returned > 0 && q.text(1) != "cancelled")
        report(fmt::format("transfer line {}: {} returned to the source but the transfer is {}", q.text(0),
                           format_quantity(Quantity{returned}), q.text(1)));
      if (outstanding < 0 || (closed && outstanding != 0))
        report(fmt::format("transfer line {}: status {} with {} outstanding of {} shipped", q.text(0), q.text(1),
                           format_quantity(Quantity{outstanding}), format_quantity(Quantity{shipped})));
      if (q.int64(9) != got || q.int64(10) != damaged || q.int64(11) != lost)
        report(fmt::format("transfer line {}: receipts book {}/{}/{} received/damaged/short, the line says {}/{}/{}",
                           q.text(0), format_quantity(Quantity{q.int64(9)}), format_quantity(Quantity{q.int64(10)}),
                           format_quantity(Quantity{q.int64(11)}), format_quantity(Quantity{got}),
                           format_quantity(Quantity{damaged}), format_quantity(Quantity{lost})));
    }
  }
  {
    auto q = db.query(
        "SELECT t.id FROM transfers t WHERE t.status = 'in_transit' AND NOT EXISTS (SELECT 1 FROM transfer_lines l "
        "WHERE l.transfer_id = t.id AND l.shipped > l.received + l.damaged + l.short + l.returned)");
    while (q.step()) report(fmt::format("transfer {}: in transit with nothing outstanding", q.text(0)));
  }
  {
    auto q = db.query("SELECT COALESCE(MIN(number), 1), COALESCE(MAX(number), 0), COUNT(*), COUNT(DISTINCT number) FROM transfers");
    q.step();
    std::int64_t low = q.int64(0), high = q.int64(1), count = q.int64(2), distinct = q.int64(3);
    if (low != 1 || high != count || distinct != count)
      report(fmt::format("transfer numbers: {} transfers numbered {} to {} ({} distinct); they run from 1 without gaps",
                         count, low, high, distinct));
  }
  return problems;
}

}  // namespace backroom::stock
