// What other rooms read of the ledger in bulk: units that left a location by sale over
// whole calendar months (counts' ABC classes), the items a location holds below zero
// (ad-hoc counts). Reads, on any connection.
//
// Units sold are kept per stock account and UTC calendar month in `stock_sold_months`
// (migration 27), in the same transaction as the movement (post_movements): a year of an
// item's sales is at most 12 short rows, not every sale line. `backroom check` proves the
// table against the ledger.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "platform/db.hpp"
#include "platform/types.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::stock {

// The movements whose units count as sold: sales, less voids and returns.
constexpr bool counts_as_sold(MovementReason reason) {
  return reason == MovementReason::sale || reason == MovementReason::sale_void || reason == MovementReason::sale_return;
}

// A UTC calendar month as year * 100 + month (202612 for December 2026).
int sold_month(Timestamp at);
// The month `months` before (negative) or after `month`: add_months(202601, -1) = 202512.
int add_months(int month, int months);
// The first moment (UTC) of a month.
Timestamp start_of_month(int month);

// Per item, the units sold at `location_id` in the months from `first_month` on (through the
// current one, so far): sales less voids and returns, milli-units, positive = sold. Items
// that did not move by sale, or whose sales netted to zero, are left out. By item id.
std::vector<std::pair<std::string, Quantity>> units_sold_by_item(db::Db& db, const std::string& location_id,
                                                                 int first_month);
// The items whose on-hand at `location_id` is below zero, by item id.
std::vector<std::string> negative_items(db::Db& db, const std::string& location_id);

}  // namespace backroom::stock
