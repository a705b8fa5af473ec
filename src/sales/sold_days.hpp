// The sales half of the KPI report's packed days (stock/kpi_days.hpp has the format): one row
// per location, item and UTC calendar month in `sales_day_months` (migration 39), kept by
// sales::store::insert_sale (a completed, non-training sale on its day), insert_void (the
// sale's lines taken off the SALE's day) and insert_return (the return's day) in their
// transaction, so whichever caller posts a sale keeps it right. Keyed by item and location,
// not by stock account: a sold kit moves only its components' stock and may have no account.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "platform/db.hpp"
#include "stock/kpi_days.hpp"

namespace backroom::sales {

struct SoldDelta {
  std::string location_id;
  std::string item_id;
  stock::SoldDay day;
};
// Adds each delta into its row (read, merge, write back); entries with no lines left go,
// and a month with no entries left is deleted.
void add_sold_days(db::Db& db, const std::vector<SoldDelta>& deltas);

// The packed rows from `from_month` on, in (location, item, month) order; the views are valid
// only during the call.
void each_sold_month(db::Db& db, int from_month,
                     const std::function<void(std::string_view location_id, std::string_view item_id, int month,
                                              std::string_view days)>& f);

// The KPI report's read of one location's row of one month for the items in the range, in
// item order (stock/kpi_days.hpp has the stock half's cursors): a month the report cannot take
// from the totals rows. The rows are keyed (location, month, item) (migration 57), so this is
// one range of exactly those rows. The report keeps several open on one connection: `slot`
// (0, 1, ...) tells them apart, each its own statement.
class LocationSoldMonths : public stock::ItemCursor {
 public:
  LocationSoldMonths(db::Db& db, int slot, const std::string& location_id, int month, const stock::ItemRange& items);
  std::string_view days() const { return q_.text_view(1); }
  int month() const { return static_cast<int>(q_.int64(2)); }
};

// One location's totals rows (`sales_month_totals`, migration 57: every month's totals of an
// item there, stock::SoldMonthEntry) in item order, for the items in the range.
class LocationSoldTotals : public stock::ItemCursor {
 public:
  LocationSoldTotals(db::Db& db, int slot, const std::string& location_id, const stock::ItemRange& items);
  std::string_view months() const { return q_.text_view(1); }
};

// One month's packed days (a month the report cannot take whole); none without a row.
std::optional<std::string> sold_month_days(db::Db& db, const std::string& location_id, const std::string& item_id,
                                           int month);
// The packed days of each (location, item, month) of `keys` that has a row, in one statement
// a location and month (the items a list in it): the KPI report's lookups, read together
// (stock::stock_months_days).
using SoldMonthKey = std::tuple<std::string, std::string, int>;  // location, item, month
std::map<SoldMonthKey, std::string> sold_months_days(db::Db& db, const std::set<SoldMonthKey>& keys);

// Rebuilds every totals row from the month rows (tests that write month rows directly).
void rebuild_sold_month_totals(db::Db& db);

// `backroom check`: each packed month against the sale and return lines it sums.
std::vector<std::string> check_sold_days(db::Db& db);

}  // namespace backroom::sales
