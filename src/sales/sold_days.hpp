// The sales half of the KPI report's packed days (stock/kpi_days.hpp has the format): one row
// per location, item and UTC calendar month in `sales_day_months` (migration 39), kept by
// sales::store::insert_sale (a completed, non-training sale on its day), insert_void (the
// sale's lines taken off the SALE's day) and insert_return (the return's day) in their
// transaction, so whichever caller posts a sale keeps it right. Keyed by item and location,
// not by stock account: a sold kit moves only its components' stock and may have no account.
#pragma once

#include <functional>
#include <string>
#include <string_view>
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

// The KPI report's read of one location's rows from `from_month` on, in (item, month) order,
// for the items in the range (stock/kpi_days.hpp has the stock half's cursors). The report
// keeps one open per location on one connection: `slot` (0, 1, ...) tells them apart, each
// its own statement.
class LocationSoldMonths : public stock::ItemCursor {
 public:
  LocationSoldMonths(db::Db& db, int slot, const std::string& location_id, int from_month,
                     const stock::ItemRange& items, bool totals = true);  // false: none read
  std::string_view days() const { return q_.text_view(1); }
  int month() const { return static_cast<int>(q_.int64(2)); }
  // The month's totals where the row keeps them (migration 52).
  bool has_totals() const { return !q_.is_null(3); }  // the two are written together
  std::int64_t sold_milli() const { return q_.int64(3); }
  std::int64_t net_sales() const { return q_.int64(4); }
};

// `backroom check`: each packed month against the sale and return lines it sums.
std::vector<std::string> check_sold_days(db::Db& db);

}  // namespace backroom::sales
