// Daily demand from the stock ledger, pure: the movements of a span of days (and the on-hand
// each stock account started it with) become one row per location x item x day with the
// units sold less the units returned to stock or voided back, whether the day ended with
// nothing on hand (censored: sales were a lower bound), and whether the item sold below its
// regular price or with a discount, or a promotion flagged on a price change was in force
// that day even at the same price (promotion), with the mean price paid (after line
// discounts, `paid_price`) of the sales below the regular price as thousandths of it
// (weighted by units). Only the locations asked for count (stores,
// not their bins). Training sales never move stock, so they never appear here.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "planning/forecast.hpp"
#include "planning/planning_store.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {

// The UTC date of a time (shops have no time zone setting yet).
Day day_of(Timestamp t);
Timestamp start_of(Day day);
// The last day a price ending at `end` is in force: the day before when it ends at midnight.
Day last_day_before(Timestamp end);

struct SalePrice {
  double unit_price = 0;  // what a unit was paid, after line discounts (minor units)
  bool discounted = false;
};

// What one sale's units of an item were paid: the lowest shelf price among its lines, less
// the share of the lines' gross their own line discounts took (shelf × (gross − line
// discount) / gross). A manual 30 % line discount on a 5.00 item is 3.50 a unit, so a day
// of deep line discounts has a price share under the promotion threshold like a price cut.
// A receipt discount marks the day `discounted` (a promotion) without lowering the price: it
// is a deal on the basket, not on the item.
SalePrice paid_price(std::int64_t shelf_unit_price, std::int64_t gross, std::int64_t line_discount, bool discounted);

struct LedgerSpan {
  Day first;  // the first day rebuilt
  Day last;   // the last day rebuilt (today: its rows say how it stands now)
  std::set<std::string> locations;                      // the locations that count
  std::vector<stock::Balance> start;                    // on hand before `first` of accounts that existed
  std::vector<stock::LedgerMovement> movements;         // from `first` on, in ledger order
  std::map<std::pair<std::string, std::string>, SalePrice> sale_prices;  // (sale id, item id)
  std::map<std::string, std::int64_t> regular_prices;   // item id -> its regular price
  // item id -> the days (first, last) a flagged promotion was in force: every day of them is
  // a promotion day, sold or not.
  std::map<std::string, std::vector<std::pair<Day, Day>>> promotion_days;
};

// Rows for the days where something sold or came back, the item was out, or it sold on
// promotion. An account starts being followed on the day of its first movement (or at `first`
// when it existed before). Days are "YYYY-MM-DD".
std::vector<store::DemandRow> ledger_days(const LedgerSpan& span);

}  // namespace backroom::planning
