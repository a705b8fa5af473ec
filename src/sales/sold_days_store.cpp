// The sales half of the KPI report's packed days (sold_days.hpp): writes, reads and check.
#include <boost/json.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "platform/assert.hpp"
#include "platform/db_rows.hpp"
#include "sales/sold_days.hpp"

namespace backroom::sales {

namespace {
using Key = std::tuple<std::string, std::string, int>;  // location, item, month

// A JSON array of strings (ids), for `IN (SELECT value FROM json_each(?))`.
std::string json_text_list(const std::set<std::string>& values) {
  boost::json::array list;
  for (const auto& v : values) list.emplace_back(v);
  return boost::json::serialize(list);
}
}

void add_sold_days(db::Db& db, const std::vector<SoldDelta>& deltas) {
  db::assert_in_transaction(db);
  std::map<Key, std::vector<stock::SoldDay>> rows;  // each touched month: its days
  std::set<std::string> locations, items;
  std::set<int> months;
  for (const auto& d : deltas) {
    int month = stock::month_of_day(d.day.day);
    rows[{d.location_id, d.item_id, month}];
    locations.insert(d.location_id);
    items.insert(d.item_id);
    months.insert(month);
  }
  if (rows.empty()) return;
  using Series = std::pair<std::string, std::string>;  // location, item
  std::map<Series, std::string> packed_totals;            // their totals rows (migration 57)
  // The touched months and their totals rows in one read (a superset: locations x items x
  // months), so a sale pays one round trip here on PostgreSQL, not one per line.
  {
    auto q = db.query(
        "SELECT location_id, item_id, month, days FROM sales_day_months "
        "WHERE item_id IN (SELECT value FROM json_each(?)) AND location_id IN (SELECT value FROM json_each(?)) "
        "AND month IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) "
        "UNION ALL SELECT location_id, item_id, NULL, months FROM sales_month_totals "
        "WHERE item_id IN (SELECT value FROM json_each(?)) AND location_id IN (SELECT value FROM json_each(?))");
    const auto item_list = json_text_list(items), location_list = json_text_list(locations);
    q.bind(1, item_list).bind(2, location_list).bind(3, fmt::format("[{}]", fmt::join(months, ",")));
    q.bind(4, item_list).bind(5, location_list);
    while (q.step()) {
      if (q.is_null(2)) {
        packed_totals[Series{q.text(0), q.text(1)}] = q.text(3);
        continue;
      }
      auto row = rows.find(Key{q.text(0), q.text(1), static_cast<int>(q.int64(2))});
      if (row != rows.end()) row->second = stock::unpack_sold_days(q.text_view(3));
    }
  }
  for (const auto& d : deltas)
    stock::merge_sold_day(rows.at(Key{d.location_id, d.item_id, stock::month_of_day(d.day.day)}), d.day);
  // The months written back (a month with no lines left deleted: a void or return took off
  // its only sale), and each touched series' totals row with their entries replaced (an
  // emptied month's removed; a row with none left deleted).
  db::Rows months_rows(6);
  std::map<Series, std::map<int, std::string>> changed;
  for (const auto& [key, days] : rows) {
    const auto& [location_id, item_id, month] = key;
    if (days.empty()) {
      db.query("DELETE FROM sales_day_months WHERE location_id = ? AND item_id = ? AND month = ?")
          .bind(1, location_id)
          .bind(2, item_id)
          .bind(3, month)
          .run();
      changed[Series{location_id, item_id}][month] = std::string();
      continue;
    }
    const auto totals = stock::sold_month_totals(days);
    months_rows.add(location_id).add(item_id).add(month).add(stock::pack_sold_days(days));
    months_rows.add(totals.sold_milli).add(totals.net_sales);
    changed[Series{location_id, item_id}][month] = stock::sold_month_entry(month, totals);
  }
  static constexpr std::string_view month_columns[] = {"location_id", "item_id", "month", "days", "sold", "net_sales"};
  db::upsert_rows(db, "sales_day_months", month_columns, 3, months_rows);
  db::Rows totals_rows(3);
  for (const auto& [series, entries] : changed) {
    auto text = stock::replace_month_entries(packed_totals[series], entries);
    if (!text.empty()) {
      totals_rows.add(series.first).add(series.second).add(text);
      continue;
    }
    db.query("DELETE FROM sales_month_totals WHERE location_id = ? AND item_id = ?")
        .bind(1, series.first)
        .bind(2, series.second)
        .run();
  }
  static constexpr std::string_view totals_columns[] = {"location_id", "item_id", "months"};
  db::upsert_rows(db, "sales_month_totals", totals_columns, 2, totals_rows);
}

namespace {
// Each series' totals row as its month rows make it (migration 57's rule: both totals, or '?').
std::map<std::pair<std::string, std::string>, std::string> month_totals_made(db::Db& db) {
  std::map<std::pair<std::string, std::string>, std::map<int, std::string>> entries;
  auto q = db.query("SELECT location_id, item_id, month, sold, net_sales FROM sales_day_months");
  while (q.step()) {
    std::optional<stock::SoldMonthTotals> t;
    if (!q.is_null(3) && !q.is_null(4)) t = stock::SoldMonthTotals{q.int64(3), q.int64(4)};
    const int month = static_cast<int>(q.int64(2));
    entries[{q.text(0), q.text(1)}][month] = stock::sold_month_entry(month, t);
  }
  std::map<std::pair<std::string, std::string>, std::string> made;
  for (const auto& [series, months] : entries) made[series] = stock::replace_month_entries("", months);
  return made;
}
}  // namespace

void rebuild_sold_month_totals(db::Db& db) {
  db::assert_in_transaction(db);
  db.exec("DELETE FROM sales_month_totals");
  for (const auto& [series, months] : month_totals_made(db))
    db.query("INSERT INTO sales_month_totals (location_id, item_id, months) VALUES (?, ?, ?)")
        .bind(1, series.first)
        .bind(2, series.second)
        .bind(3, months)
        .run();
}

void each_sold_month(db::Db& db, int from_month,
                     const std::function<void(std::string_view location_id, std::string_view item_id, int month,
                                              std::string_view days)>& f) {
  auto q = db.stream(
      "SELECT location_id, item_id, month, days FROM sales_day_months WHERE month >= ? ORDER BY location_id, item_id, month");
  q.bind(1, from_month);
  while (q.step()) f(q.text_view(0), q.text_view(1), static_cast<int>(q.int64(2)), q.text_view(3));
}

LocationSoldMonths::LocationSoldMonths(db::Db& db, int slot, const std::string& location_id, int month,
                                       const stock::ItemRange& items)
    : ItemCursor(db.stream(fmt::format("SELECT item_id, days, month FROM sales_day_months AS slot{} WHERE location_id = ? AND "
                              "month = ? AND {} ORDER BY item_id",
                              slot, items.condition("item_id")))) {
  q_.bind(1, location_id).bind(2, month);
  items.bind(q_, 3);
  next();
}

LocationSoldTotals::LocationSoldTotals(db::Db& db, int slot, const std::string& location_id, const stock::ItemRange& items)
    : ItemCursor(db.stream(fmt::format("SELECT item_id, months FROM sales_month_totals AS slot{} WHERE location_id = ? AND "
                              "{} ORDER BY item_id",
                              slot, items.condition("item_id")))) {
  q_.bind(1, location_id);
  items.bind(q_, 2);
  next();
}

std::optional<std::string> sold_month_days(db::Db& db, const std::string& location_id, const std::string& item_id,
                                           int month) {
  auto q = db.query("SELECT days FROM sales_day_months WHERE location_id = ? AND item_id = ? AND month = ?");
  q.bind(1, location_id).bind(2, item_id).bind(3, month);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::map<SoldMonthKey, std::string> sold_months_days(db::Db& db, const std::set<SoldMonthKey>& keys) {
  std::map<std::pair<std::string, int>, std::set<std::string>> items;  // (location, month) -> items
  for (const auto& [location, item, month] : keys) items[{location, month}].insert(item);
  std::map<SoldMonthKey, std::string> out;
  for (const auto& [at, ids] : items) {
    auto q = db.query(
        "SELECT item_id, days FROM sales_day_months WHERE location_id = ? AND month = ? AND item_id IN "
        "(SELECT value FROM json_each(?))");
    q.bind(1, at.first).bind(2, at.second).bind(3, json_text_list(ids));
    while (q.step()) out.emplace(SoldMonthKey{at.first, q.text(0), at.second}, q.text(1));
  }
  return out;
}

std::vector<std::string> check_sold_days(db::Db& db) {
  std::vector<std::string> problems;
  auto report = [&problems](std::string line) {
    if (problems.size() < 1000) problems.push_back(std::move(line));
  };
  std::map<Key, std::vector<stock::SoldDay>> ledger;
  {
    // The same lines the report summed before the summary (completed, non-training sales on
    // their day; non-training returns on theirs).
    auto q = db.query(
        "SELECT location_id, item_id, day, SUM(units), SUM(net_value), COUNT(*) FROM ("
        " SELECT l.item_id AS item_id, s.location_id AS location_id, s.created_at / 86400000000 AS day,"
        " l.quantity AS units, l.total - l.tax AS net_value"
        " FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.status = 'completed' AND s.training = 0"
        " UNION ALL"
        " SELECT rl.item_id, r.location_id, r.created_at / 86400000000, -rl.quantity, -(rl.refund - rl.tax)"
        " FROM returns r JOIN return_lines rl ON rl.return_id = r.id WHERE r.training = 0"
        ") t GROUP BY location_id, item_id, day");
    while (q.step()) {
      auto day = q.int64(2);
      stock::merge_sold_day(ledger[{q.text(0), q.text(1), stock::month_of_day(day)}],
                            stock::SoldDay{day, q.int64(3), q.int64(4), q.int64(5)});
    }
  }
  auto q = db.query(
      "SELECT location_id, item_id, month, days, sold, net_sales FROM sales_day_months ORDER BY location_id, item_id, month");
  while (q.step()) {
    Key key{q.text(0), q.text(1), static_cast<int>(q.int64(2))};
    const auto& [location_id, item_id, month] = key;
    std::vector<stock::SoldDay> kept;
    try {
      kept = stock::unpack_sold_days(q.text_view(3));
    } catch (const std::invalid_argument& e) {
      report(fmt::format("kpi sales days: item {} at {} month {} is not readable ({})", item_id, location_id, month,
                         e.what()));
      ledger.erase(key);
      continue;
    }
    // Its totals (migration 52), when known, are its days'.
    if (!q.is_null(4) || !q.is_null(5)) {
      auto totals = stock::sold_month_totals(kept);
      if (q.is_null(4) || q.is_null(5) || q.int64(4) != totals.sold_milli || q.int64(5) != totals.net_sales)
        report(fmt::format("kpi sales days: item {} at {} month {} keeps totals sold {} net {} but its days make {} and {}",
                           item_id, location_id, month, q.is_null(4) ? "(none)" : std::to_string(q.int64(4)),
                           q.is_null(5) ? "(none)" : std::to_string(q.int64(5)), totals.sold_milli, totals.net_sales));
    }
    auto it = ledger.find(key);
    if (it == ledger.end() || it->second != kept)
      report(fmt::format("kpi sales days: item {} at {} month {} keeps '{}' but its sale and return lines make '{}'",
                         item_id, location_id, month, stock::pack_sold_days(kept),
                         it == ledger.end() ? std::string("(none)") : stock::pack_sold_days(it->second)));
    if (it != ledger.end()) ledger.erase(it);
  }
  for (const auto& [key, days] : ledger)
    report(fmt::format("kpi sales days: item {} at {} month {} has sale or return lines ('{}') but no kept month",
                       std::get<1>(key), std::get<0>(key), std::get<2>(key), stock::pack_sold_days(days)));
  // Each series' totals row (migration 57) is one entry per month row, that row's totals.
  auto made = month_totals_made(db);
  auto totals = db.query("SELECT location_id, item_id, months FROM sales_month_totals ORDER BY location_id, item_id");
  while (totals.step()) {
    std::pair<std::string, std::string> series{totals.text(0), totals.text(1)};
    auto it = made.find(series);
    const std::string want = it == made.end() ? std::string() : it->second;
    std::string kept;
    try {
      kept = stock::replace_month_entries(totals.text_view(2), {});  // in month order
    } catch (const std::invalid_argument& e) {
      kept = fmt::format("(not readable: {})", e.what());
    }
    if (kept != want)
      report(fmt::format("kpi sales days: item {} at {} keeps month totals '{}' but its month rows make '{}'",
                         series.second, series.first, kept, want));
    if (it != made.end()) made.erase(it);
  }
  for (const auto& [series, months] : made)
    report(fmt::format("kpi sales days: item {} at {} has month rows ('{}') but no month totals row", series.second,
                       series.first, months));
  return problems;
}

}  // namespace backroom::sales
