// Promotions the shop has planned, read from its scheduled prices, pure: an approved price
// change flagged a promotion is one from its day to its last day (the day before its end, or
// until the next scheduled change when it has no end), even at the same price (a display or
// end-cap promotion); an unflagged one that takes the regular price down by at least
// price_cut_min is one from its day until the next scheduled change (or the end of the horizon). Its price is kept as a
// share of today's regular price (0.8 = 20 % off): the unit the ledger's history gives the
// forecast (daily_series: 1 on regular days, the day's share on promotion days).
#pragma once

#include <optional>
#include <span>

#include "planning/forecast.hpp"

namespace backroom::planning {

struct ScheduledPrice {
  Day from;      // the day it takes effect
  double price;  // same unit as the regular price
  bool promotion = false;     // flagged a promotion on the price change
  std::optional<Day> until;   // a flagged promotion's last day (the price goes back the day after)
};

// A flagged promotion in force today: the item's price now is its `price`; it goes back to
// `regular_price` (the change's old_price) the day after `until` (none: until the next change).
struct RunningPromotion {
  double price;
  double regular_price;
  std::optional<Day> until;
};

// Pre: `prices` sorted by `from`. Windows within [first, last], sorted, not overlapping; a
// change scheduled before `first` counts from `first`; of two on one day the later wins.
PromoCalendar planned_promotions(double regular_price, std::span<const ScheduledPrice> prices, Day first, Day last);

// The same with a flagged promotion running: the regular price is the one it goes back to, and
// its remaining days from `first` to its last day (or the next scheduled change) are a window
// marked `running`, at its price as a share of that regular price; the days after it regular.
PromoCalendar planned_promotions(const RunningPromotion& running, std::span<const ScheduledPrice> prices, Day first,
                                 Day last);

}  // namespace backroom::planning
