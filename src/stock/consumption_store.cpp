#include "stock/consumption.hpp"

#include <algorithm>
#include <chrono>

namespace backroom::stock {

namespace {

namespace chr = std::chrono;

chr::year_month month_parts(int month) {
  return chr::year{month / 100} / chr::month{static_cast<unsigned>(month % 100)};
}

int month_number(chr::year_month ym) {
  return static_cast<int>(ym.year()) * 100 + static_cast<int>(static_cast<unsigned>(ym.month()));
}

}  // namespace

int sold_month(Timestamp at) {
  chr::sys_days day = chr::floor<chr::days>(chr::sys_time<chr::microseconds>(chr::microseconds{at.micros}));
  chr::year_month_day ymd{day};
  return month_number(ymd.year() / ymd.month());
}

int add_months(int month, int months) { return month_number(month_parts(month) + chr::months{months}); }

Timestamp start_of_month(int month) {
  chr::sys_days first{month_parts(month) / chr::day{1}};
  return Timestamp{chr::duration_cast<chr::microseconds>(first.time_since_epoch()).count()};
}

std::vector<std::pair<std::string, Quantity>> units_sold_by_item(db::Db& db, const std::string& location_id,
                                                                 int first_month) {
  // The balances of the location in item order, each with its account's months: one walk of
  // the location's accounts and, per account, a short range of the month table's key.
  // Each of the location's accounts sums its own months (a short range of the month table's
  // key); walked in account order, those ranges are neighbours. Summing in the statement
  // hands over 100,000 rows, not the 1.2 million months of a 100,000-item store.
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT b.item_id, (SELECT SUM(s.units) FROM stock_sold_months s WHERE s.account = b.account AND s.month >= ?) "
      "FROM stock_balances b WHERE b.location_id = ?");
  q.bind(1, first_month).bind(2, location_id);
  while (q.step())
    if (!q.is_null(1) && q.int64(1) != 0) out.emplace_back(q.text(0), Quantity{q.int64(1)});
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
