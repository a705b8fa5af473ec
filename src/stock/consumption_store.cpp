#include "stock/consumption.hpp"

#include <algorithm>
#include <unordered_map>

namespace backroom::stock {

std::vector<std::pair<std::string, Quantity>> units_sold_by_item(db::Db& db, const std::string& location_id,
                                                                 Timestamp from, Timestamp to) {
  // Summed here, not by GROUP BY: SQLite sorts a year of movements (millions of rows) in a
  // temporary b-tree for the GROUP BY, which took twice as long as reading them
  // (bench/counts_bench.cpp, docs/performance.md).
  std::unordered_map<std::string, std::int64_t> sold;
  auto q = db.query(
      "SELECT item_id, quantity FROM stock_movements WHERE location_id = ? AND at >= ? AND at < ? "
      "AND reason IN ('sale', 'void', 'return')");
  q.bind(1, location_id).bind(2, from.micros).bind(3, to.micros);
  while (q.step()) sold[q.text(0)] -= q.int64(1);
  std::vector<std::pair<std::string, Quantity>> out;
  out.reserve(sold.size());
  for (auto& [item, milli] : sold) out.emplace_back(item, Quantity{milli});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
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
