// The stock half of the KPI report's packed days (kpi_days.hpp): its writes, reads and check.
#include <boost/json.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "platform/assert.hpp"
#include "platform/db_rows.hpp"
#include "stock/kpi_days.hpp"

namespace backroom::stock {

namespace {
// A JSON array of numbers, for `IN (SELECT ... FROM json_each(?))`.
template <typename Numbers>
std::string json_number_list(const Numbers& values) {
  return fmt::format("[{}]", fmt::join(values, ","));
}
}  // namespace

void add_stock_days(db::Db& db, const std::map<std::int64_t, std::vector<StockDay>>& deltas) {
  db::assert_in_transaction(db);
  using Key = std::pair<std::int64_t, int>;  // account, month
  std::map<Key, std::vector<StockDay>> rows;  // each touched month: its deltas now, its days below
  std::set<std::int64_t> accounts;
  std::set<int> months;
  for (const auto& [account, days] : deltas)
    for (const auto& d : days) {
      int month = month_of_day(d.day);
      rows[{account, month}];
      accounts.insert(account);
      months.insert(month);
    }
  if (rows.empty()) return;
  std::set<Key> kept;  // the months that have a row already
  // Each touched account's item, location and totals row (migration 57; "" for none yet).
  struct TotalsRow {
    std::string item_id, location_id, months;
    int latest_month = 0;  // its latest month row (migration 58; 0: none yet) and that row's days
    std::string latest_days;
  };
  std::map<std::int64_t, TotalsRow> packed_totals;
  // Every kept month of the touched accounts in the touched months, and their balances'
  // totals rows, in one read (a superset of the rows: accounts x months), so a sale or a push
  // of many documents pays one round trip here on PostgreSQL, not one per account.
  {
    auto q = db.query(
        "SELECT account, month, days, NULL, NULL, NULL, NULL FROM stock_day_months "
        "WHERE account IN (SELECT CAST(value AS BIGINT) FROM json_each(?)) "
        "AND month IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) "
        "UNION ALL SELECT b.account, NULL, t.months, b.item_id, b.location_id, t.latest_month, t.latest_days "
        "FROM stock_balances b "
        "LEFT JOIN stock_month_totals t ON t.item_id = b.item_id AND t.location_id = b.location_id "
        "WHERE b.account IN (SELECT CAST(value AS BIGINT) FROM json_each(?))");
    const auto account_list = json_number_list(accounts);
    q.bind(1, account_list).bind(2, json_number_list(months)).bind(3, account_list);
    while (q.step()) {
      if (q.is_null(1)) {
        packed_totals[q.int64(0)] = TotalsRow{q.text(3), q.text(4), q.is_null(2) ? std::string() : q.text(2),
                                              q.is_null(5) ? 0 : static_cast<int>(q.int64(5)),
                                              q.is_null(6) ? std::string() : q.text(6)};
        continue;
      }
      auto row = rows.find(Key{q.int64(0), static_cast<int>(q.int64(1))});
      if (row == rows.end()) continue;
      row->second = unpack_stock_days(q.text_view(2));
      kept.insert(row->first);
    }
  }
  // A month new to its account may be its first (a balance notes its first month: the KPI
  // report reads it instead of seeking): lowered where it is earlier, rare (once a month).
  std::map<std::int64_t, int> new_first;
  for (const auto& [key, days] : rows)
    if (!kept.count(key)) {
      auto [it, added] = new_first.emplace(key.first, key.second);
      if (!added) it->second = std::min(it->second, key.second);
    }
  for (const auto& [account, month] : new_first)
    db.query("UPDATE stock_balances SET first_month = ? WHERE account = ? AND (first_month IS NULL OR first_month > ?)")
        .bind(1, month)
        .bind(2, account)
        .bind(3, month)
        .run();
  for (const auto& [account, days] : deltas)
    for (const auto& d : days) merge_stock_day(rows.at(Key{account, month_of_day(d.day)}), d);
  // The months written back, and each touched account's totals row with their entries
  // replaced and its latest month's days (the rows come by account, then month: an account's
  // last written month is its latest one unless a later one is kept already).
  db::Rows months_rows(7);
  std::map<std::int64_t, std::map<int, std::string>> changed;
  for (const auto& [key, days] : rows) {
    const auto totals = stock_month_totals(days);
    std::string packed = pack_stock_days(days);
    auto row = packed_totals.find(key.first);
    BR_ASSERT(row != packed_totals.end(), "a stock account posted to has its balance");
    if (key.second >= row->second.latest_month) {
      row->second.latest_month = key.second;
      row->second.latest_days = packed;
    }
    months_rows.add(key.first).add(key.second).add(std::move(packed)).add(totals.change_milli).add(totals.low_milli);
    months_rows.add(totals.day_weighted).add(pack_losses(totals.lost_milli));
    changed[key.first][key.second] = stock_month_entry(key.second, totals);
  }
  static constexpr std::string_view month_columns[] = {"account", "month", "days", "net_change", "low_change",
                                                       "day_weighted", "losses"};
  db::upsert_rows(db, "stock_day_months", month_columns, 2, months_rows);
  db::Rows totals_rows(6);
  for (const auto& [account, entries] : changed) {
    const auto& row = packed_totals.at(account);
    totals_rows.add(row.item_id).add(row.location_id).add(account);
    totals_rows.add(replace_month_entries(row.months, entries)).add(row.latest_month).add(row.latest_days);
  }
  static constexpr std::string_view totals_columns[] = {"item_id", "location_id", "account", "months", "latest_month",
                                                        "latest_days"};
  db::upsert_rows(db, "stock_month_totals", totals_columns, 2, totals_rows);
}

namespace {
// Each totals row's latest month and its days from the month rows (migration 58's rule; each
// account's latest month found in one pass, grouped: on SQLite the rows are keyed by month
// first, migration 59, where a MAX per account would read the whole table each time).
constexpr const char* latest_month_days_made =
    "UPDATE stock_month_totals SET latest_month = l.month FROM "
    "(SELECT account, MAX(month) AS month FROM stock_day_months GROUP BY account) AS l "
    "WHERE l.account = stock_month_totals.account;"
    "UPDATE stock_month_totals SET latest_days = m.days FROM stock_day_months m "
    "WHERE m.account = stock_month_totals.account AND m.month = stock_month_totals.latest_month;";

// Each account's totals row as its month rows make it (migration 57's rule: all four totals, or
// '?'); a month whose losses do not read is left out (check_stock_days reports it by itself).
std::map<std::int64_t, std::string> month_totals_made(db::Db& db) {
  std::map<std::int64_t, std::map<int, std::string>> entries;
  auto q = db.query("SELECT account, month, net_change, low_change, day_weighted, losses FROM stock_day_months");
  while (q.step()) {
    const int month = static_cast<int>(q.int64(1));
    std::optional<StockMonthTotals> t;
    if (!q.is_null(2) && !q.is_null(3) && !q.is_null(4) && !q.is_null(5)) {
      try {
        t = StockMonthTotals{q.int64(2), q.int64(3), q.int64(4), unpack_losses(q.text_view(5))};
      } catch (const std::invalid_argument&) {
        continue;
      }
    }
    entries[q.int64(0)][month] = stock_month_entry(month, t);
  }
  std::map<std::int64_t, std::string> made;
  for (const auto& [account, months] : entries) made[account] = replace_month_entries("", months);
  return made;
}
}  // namespace

void rebuild_stock_month_totals(db::Db& db) {
  db::assert_in_transaction(db);
  db.exec("DELETE FROM stock_month_totals");
  for (const auto& [account, months] : month_totals_made(db))
    db.query("INSERT INTO stock_month_totals (item_id, location_id, account, months) "
             "SELECT item_id, location_id, account, ? FROM stock_balances WHERE account = ?")
        .bind(1, months)
        .bind(2, account)
        .run();
  db.exec(latest_month_days_made);
}

std::vector<AccountBalance> account_balances(db::Db& db, int month) {
  std::vector<AccountBalance> out;
  auto q = db.query(
      "SELECT b.account, b.item_id, b.location_id, b.on_hand, CASE WHEN f.month < ? THEN 1 ELSE 0 END "
      "FROM stock_balances b "
      "LEFT JOIN (SELECT account, MIN(month) AS month FROM stock_day_months GROUP BY account) f ON f.account = b.account "
      "ORDER BY b.account");
  q.bind(1, month);
  while (q.step()) out.push_back(AccountBalance{q.int64(0), q.text(1), q.text(2), q.int64(3), q.int64(4) != 0});
  return out;
}

void each_stock_month(db::Db& db, int from_month,
                      const std::function<void(std::int64_t account, int month, std::string_view days)>& f) {
  auto q = db.stream("SELECT account, month, days FROM stock_day_months WHERE month >= ? ORDER BY account, month");
  q.bind(1, from_month);
  while (q.step()) f(q.int64(0), static_cast<int>(q.int64(1)), q.text_view(2));
}

std::string ItemRange::condition(std::string_view column) const {
  std::string out = fmt::format("{} >= ?", column);
  if (!to.empty()) out += fmt::format(" AND {} < ?", column);
  if (!only.empty()) out += fmt::format(" AND {} IN (SELECT value FROM json_each(?))", column);
  return out;
}

int ItemRange::bind(db::Query& q, int at) const {
  q.bind(at++, from);
  if (!to.empty()) q.bind(at++, to);
  if (!only.empty()) q.bind(at++, only);
  return at;
}

namespace {
// SELECT `columns` WHERE `condition` (if any) and the item column in the range, in `order`;
// the statement differs with and without an upper bound and a list.
std::string in_range(std::string_view select, std::string_view condition, const ItemRange& items,
                     std::string_view order) {
  return fmt::format("{} WHERE {}{} ORDER BY {}", select, condition.empty() ? "" : fmt::format("{} AND ", condition),
                     items.condition("b.item_id"), order);
}
}  // namespace

ItemBalances::ItemBalances(db::Db& db, int month, const ItemRange& items)
    : ItemCursor(db.stream(in_range("SELECT b.item_id, b.location_id, b.on_hand, "
                           "CASE WHEN b.first_month < ? THEN 1 ELSE 0 END, b.account FROM stock_balances b",
                           "", items, "b.item_id, b.location_id"))) {
  q_.bind(1, month);
  items.bind(q_, 2);
  next();
}

ItemStockTotals::ItemStockTotals(db::Db& db, const ItemRange& items)
    : ItemCursor(db.stream(in_range("SELECT b.item_id, b.location_id, b.months, b.latest_month, b.latest_days "
                                   "FROM stock_month_totals b", "", items,
                                   "b.item_id, b.location_id"))) {
  items.bind(q_, 1);
  next();
}

namespace {
// The balances drive the join (CROSS JOIN keeps SQLite from turning it round), so the rows
// come in the balances' key order, item first, with no sort: one pass over the balances and,
// per account, a probe into the months. On SQLite the months are keyed (month, account)
// (migration 59): each month of the run is named, a probe of (month, account) into that
// month's rows alone, and no month later than the latest row is (a run to the end names
// 999912). PostgreSQL keys them (account, month) and reads each account's range.
db::Query stock_months_query(db::Db& db, int slot, int from_month, int to_month, const ItemRange& items) {
  const std::string select = fmt::format("SELECT b.account, m{0}.days, m{0}.month FROM stock_balances b CROSS JOIN "
                                         "stock_day_months m{0}", slot);
  const std::string order = "b.item_id, b.location_id";
  std::vector<int> months;
  std::string condition;
  if (db.dialect() == db::Dialect::sqlite) {
    int latest = 0;
    {
      auto q = db.query("SELECT MAX(month) FROM stock_day_months");
      if (q.step() && !q.is_null(0)) latest = static_cast<int>(q.int64(0));
    }
    for (int m = from_month; m <= std::min(to_month, latest); m = next_month(m)) months.push_back(m);
    condition = fmt::format("m{0}.month IN ({1}) AND m{0}.account = b.account", slot,
                            db::repeated_rows(months.size(), "?"));
  } else {
    months = {from_month, to_month};
    condition = fmt::format("m{0}.account = b.account AND m{0}.month BETWEEN ? AND ?", slot);
  }
  auto q = db.stream(in_range(select, condition, items, order));
  int at = 1;
  for (int m : months) q.bind(at++, m);
  items.bind(q, at);
  return q;
}
}  // namespace

ItemStockMonths::ItemStockMonths(db::Db& db, int slot, int from_month, int to_month, const ItemRange& items)
    : q_(stock_months_query(db, slot, from_month, to_month, items)) {
  next();
}

std::optional<std::string> stock_month_days(db::Db& db, std::int64_t account, int month) {
  auto q = db.query("SELECT days FROM stock_day_months WHERE account = ? AND month = ?");
  q.bind(1, account).bind(2, month);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::map<std::pair<std::int64_t, int>, std::string> stock_months_days(db::Db& db,
                                                                      const std::set<std::pair<std::int64_t, int>>& keys) {
  std::map<int, boost::json::array> by_month;
  for (const auto& [account, month] : keys) by_month[month].push_back(account);
  std::map<std::pair<std::int64_t, int>, std::string> out;
  for (const auto& [month, accounts] : by_month) {
    auto q = db.query(
        "SELECT account, days FROM stock_day_months WHERE month = ? AND account IN "
        "(SELECT CAST(value AS INTEGER) FROM json_each(?))");
    q.bind(1, month).bind(2, boost::json::serialize(accounts));
    while (q.step()) out.emplace(std::pair{q.int64(0), month}, q.text(1));
  }
  return out;
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
  auto q = db.query(
      "SELECT account, month, days, net_change, low_change, day_weighted, losses FROM stock_day_months "
      "ORDER BY month, account");
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
    // Its totals (migration 52), when known, are its days'.
    if (!(q.is_null(3) && q.is_null(4) && q.is_null(5) && q.is_null(6))) {
      auto made = stock_month_totals(kept);
      std::optional<StockMonthTotals> totals;
      try {
        if (!q.is_null(3) && !q.is_null(4) && !q.is_null(5) && !q.is_null(6))
          totals = StockMonthTotals{q.int64(3), q.int64(4), q.int64(5), unpack_losses(q.text_view(6))};
      } catch (const std::invalid_argument&) {
      }
      auto text = [](const StockMonthTotals& t) {
        return fmt::format("change {} low {} weighted {} losses '{}'", t.change_milli, t.low_milli, t.day_weighted,
                           pack_losses(t.lost_milli));
      };
      if (!totals || *totals != made)
        report(fmt::format("kpi days: account {} month {} keeps totals {} but its days make {}", key.first, key.second,
                           totals ? text(*totals) : std::string("(not readable)"), text(made)));
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
  // Each balance's first month (migration 53) is its account's earliest kept month.
  // (Each account's first and latest month found in one grouped pass: migration 59.)
  auto firsts = db.query(
      "SELECT b.account, b.first_month, f.month FROM stock_balances b "
      "LEFT JOIN (SELECT account, MIN(month) AS month FROM stock_day_months GROUP BY account) f ON f.account = b.account "
      "WHERE b.first_month IS NOT f.month ORDER BY b.account");
  while (firsts.step())
    report(fmt::format("kpi days: the balance of account {} notes {} as its first month, but its first kept month is {}",
                       firsts.int64(0), firsts.is_null(1) ? std::string("none") : std::to_string(firsts.int64(1)),
                       firsts.is_null(2) ? std::string("none") : std::to_string(firsts.int64(2))));
  // Each account's totals row (migration 57) is one entry per month row, that row's totals.
  auto made = month_totals_made(db);
  auto totals = db.query(
      "SELECT t.account, t.months, b.account, t.item_id, t.location_id FROM stock_month_totals t "
      "LEFT JOIN stock_balances b ON b.item_id = t.item_id AND b.location_id = t.location_id ORDER BY t.account");
  while (totals.step()) {
    const auto account = totals.int64(0);
    if (totals.is_null(2) || totals.int64(2) != account)
      report(fmt::format("kpi days: the month totals row of item {} at {} names account {}, but that balance is account {}",
                         totals.text_view(3), totals.text_view(4), account,
                         totals.is_null(2) ? std::string("(none)") : std::to_string(totals.int64(2))));
    auto it = made.find(account);
    const std::string want = it == made.end() ? std::string() : it->second;
    std::string kept;
    try {
      kept = replace_month_entries(totals.text_view(1), {});  // in month order
    } catch (const std::invalid_argument& e) {
      kept = fmt::format("(not readable: {})", e.what());
    }
    if (kept != want)
      report(fmt::format("kpi days: account {} keeps month totals '{}' but its month rows make '{}'", account, kept, want));
    if (it != made.end()) made.erase(it);
  }
  for (const auto& [account, months] : made)
    report(fmt::format("kpi days: account {} has month rows ('{}') but no month totals row", account, months));
  // And carries its latest month row's month and days (migration 58).
  auto latest = db.query(
      "SELECT t.account, t.latest_month, t.latest_days, m.month, m.days FROM stock_month_totals t "
      "LEFT JOIN (SELECT account, MAX(month) AS month FROM stock_day_months GROUP BY account) l ON l.account = t.account "
      "LEFT JOIN stock_day_months m ON m.account = t.account AND m.month = l.month "
      "WHERE t.latest_month IS NOT m.month OR t.latest_days IS NOT m.days ORDER BY t.account");
  auto month_days = [&latest](int month_at) {
    return latest.is_null(month_at) ? std::string("none")
                                    : fmt::format("{} '{}'", latest.int64(month_at),
                                                  latest.is_null(month_at + 1) ? "" : latest.text_view(month_at + 1));
  };
  while (latest.step())
    report(fmt::format("kpi days: account {} carries {} as its latest month in its totals row, but its latest month row is {}",
                       latest.int64(0), month_days(1), month_days(3)));
  return problems;
}

}  // namespace backroom::stock
