// Promotions the shop has planned, read from its scheduled prices, pure: an approved price
// change that takes the regular price down by at least price_cut_min is a promotion from its
// day until the next scheduled change (or the end of the horizon). Its price is kept as a
// share of today's regular price (0.8 = 20 % off): the unit the ledger's history gives the
// forecast (daily_series: 1 on regular days, the day's share on promotion days).
#pragma once

#include <span>

#include "planning/forecast.hpp"

namespace backroom::planning {

struct ScheduledPrice {
  Day from;      // the day it takes effect
  double price;  // same unit as the regular price
};

// Pre: `prices` sorted by `from`. Windows within [first, last], sorted, not overlapping; a
// change scheduled before `first` counts from `first`; of two on one day the later wins.
PromoCalendar planned_promotions(double regular_price, std::span<const ScheduledPrice> prices, Day first, Day last);

}  // namespace backroom::planning
