#include "planning/promo_calendar.hpp"

#include <algorithm>
#include <vector>

namespace backroom::planning {

namespace {

// `first_running`: prices[0] is a promotion in force already; its window is marked running.
PromoCalendar windows(double regular_price, std::span<const ScheduledPrice> prices, Day first, Day last,
                      bool first_running) {
  PromoCalendar out;
  if (regular_price <= 0) return out;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    Day from = std::max(prices[i].from, first);
    const auto& p = prices[i];
    Day to = i + 1 < prices.size() ? prices[i + 1].from - std::chrono::days{1} : last;
    if (p.promotion && p.until) to = std::min(to, *p.until);
    to = std::min(to, last);
    if (to < from) continue;  // replaced the same day, over already, or outside the horizon
    double share = p.price / regular_price;
    if (share <= 0) continue;
    if (p.promotion) share = std::min(share, 1.0);  // flagged: a promotion at any price
    else if (share > 1 - price_cut_min) continue;
    out.push_back({from, to, share, first_running && i == 0});
  }
  return out;
}

}  // namespace

PromoCalendar planned_promotions(double regular_price, std::span<const ScheduledPrice> prices, Day first, Day last) {
  return windows(regular_price, prices, first, last, false);
}

PromoCalendar planned_promotions(const RunningPromotion& running, std::span<const ScheduledPrice> prices, Day first,
                                 Day last) {
  // The running one first: applied already, so any change scheduled replaces it from its day.
  std::vector<ScheduledPrice> all;
  all.reserve(prices.size() + 1);
  all.push_back({first, running.price, true, running.until});
  all.insert(all.end(), prices.begin(), prices.end());
  return windows(running.regular_price, all, first, last, true);
}

}  // namespace backroom::planning
