// The stock half of the KPI report's packed days (kpi_days.hpp): its writes, reads and check.
#include <fmt/format.h>

#include <map>
#include <stdexcept>
#include <utility>

#include "platform/assert.hpp"
#include "stock/kpi_days.hpp"

namespace backroom::stock {

void add_stock_days(db::Db& db, std::int64_t account, const std::vector<StockDay>& deltas) {
  db::assert_in_transaction(db);
  std::map<int, std::vector<const StockDay*>> by_month;
  for (const auto& d : deltas) by_month[month_of_day(d.day)].push_back(&d);
  for (const auto& [month, month_deltas] : by_month) {
    std::vector<StockDay> days;
    {
      auto q = db.query("SELECT days FROM stock_day_months WHERE account = ? AND month = ?");
      q.bind(1, account).bind(2, month);
      if (q.step()) days = unpack_stock_days(q.text_view(0));
    }
    for (const auto* d : month_deltas) merge_stock_day(days, *d);
    db.query(
          "INSERT INTO stock_day_months (account, month, days) VALUES (?, ?, ?) "
          "ON CONFLICT (account, month) DO UPDATE SET days = excluded.days")
        .bind(1, account)
        .bind(2, month)
        .bind(3, pack_stock_days(days))
        .run();
  }
}

std::vector<AccountBalance> account_balances(db::Db& db, int month) {
  std::vector<AccountBalance> out;
  auto q = db.query(
      "SELECT b.account, b.item_id, b.location_id, b.on_hand, "
      "EXISTS (SELECT 1 FROM stock_day_months k WHERE k.account = b.account AND k.month < ?) "
      "FROM stock_balances b ORDER BY b.account");
  q.bind(1, month);
  while (q.step()) out.push_back(AccountBalance{q.int64(0), q.text(1), q.text(2), q.int64(3), q.int64(4) != 0});
  return out;
}

void each_stock_month(db::Db& db, int from_month,
                      const std::function<void(std::int64_t account, int month, std::string_view days)>& f) {
  auto q = db.query("SELECT account, month, days FROM stock_day_months WHERE month >= ? ORDER BY account, month");
  q.bind(1, from_month);
  while (q.step()) f(q.int64(0), static_cast<int>(q.int64(1)), q.text_view(2));
}

std::vector<std::string> check_stock_days(db::Db& db) {
  std::vector<std::string> problems;
  auto report = [&problems](std::string line) {
    if (problems.size() < 1000) problems.push_back(std::move(line));
  };
  // What the ledger says, per account and month (the whole ledger: check reads it all anyway).
  std::map<std::pair<std::int64_t, int>, std::vector<StockDay>> ledger;
  {
    auto q = db.query(
        "SELECT account, at / 86400000000, SUM(quantity) FROM stock_movements GROUP BY account, at / 86400000000 "
        "ORDER BY 1, 2");
    while (q.step()) {
      auto day = q.int64(1);
      ledger[{q.int64(0), month_of_day(day)}].push_back(StockDay{day, q.int64(2), {}});
    }
  }
  {
    auto q = db.query(
        "SELECT account, at / 86400000000, reason, -SUM(quantity) FROM stock_movements "
        "WHERE document_type IN ('adjustment', 'count') AND quantity < 0 GROUP BY account, at / 86400000000, reason");
    while (q.step()) {
      auto day = q.int64(1);
      merge_stock_day(ledger[{q.int64(0), month_of_day(day)}], StockDay{day, 0, {{q.text(2), q.int64(3)}}});
    }
  }
  auto q = db.query("SELECT account, month, days FROM stock_day_months ORDER BY account, month");
  while (q.step()) {
    std::pair<std::int64_t, int> key{q.int64(0), static_cast<int>(q.int64(1))};
    std::vector<StockDay> kept;
    try {
      kept = unpack_stock_days(q.text_view(2));
    } catch (const std::invalid_argument& e) {
      report(fmt::format("kpi days: account {} month {} is not readable ({})", key.first, key.second, e.what()));
      ledger.erase(key);
      continue;
    }
    auto it = ledger.find(key);
    std::string expected = it == ledger.end() ? std::string("(no movements)") : pack_stock_days(it->second);
    if (it == ledger.end() || it->second != kept)
      report(fmt::format("kpi days: account {} month {} keeps '{}' but its movements make '{}'", key.first, key.second,
                         pack_stock_days(kept), expected));
    if (it != ledger.end()) ledger.erase(it);
  }
  for (const auto& [key, days] : ledger)
    report(fmt::format("kpi days: account {} month {} has movements ('{}') but no kept month", key.first, key.second,
                       pack_stock_days(days)));
  return problems;
}

}  // namespace backroom::stock
