#include "stock/consumption.hpp"

namespace backroom::stock {

std::vector<std::pair<std::string, Quantity>> units_sold_by_item(db::Db& db, const std::string& location_id,
                                                                 Timestamp from, Timestamp to) {
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT item_id, -SUM(quantity) FROM stock_movements WHERE location_id = ? AND at >= ? AND at < ? "
      "AND reason IN ('sale', 'void', 'return') GROUP BY item_id ORDER BY item_id");
  q.bind(1, location_id).bind(2, from.micros).bind(3, to.micros);
  while (q.step()) out.emplace_back(q.text(0), Quantity{q.int64(1)});
  return out;
}

std::vector<std::string> negative_items(db::Db& db, const std::string& location_id) {
  std::vector<std::string> out;
  auto q = db.query("SELECT item_id FROM stock_balances WHERE location_id = ? AND on_hand < 0 ORDER BY item_id");
  q.bind(1, location_id);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

}  // namespace backroom::stock
