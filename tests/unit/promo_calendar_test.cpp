// Promotions read from scheduled prices (planning/promo_calendar.hpp), worked by hand: a cut
// of at least 2 % is a promotion from its day until the next change, within the horizon.
#include "planning/promo_calendar.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace {

using namespace backroom::planning;
using std::chrono::days;

const Day today = Day{std::chrono::year{2026} / 12 / 4};

TEST(PromoCalendar, ACutUntilThePriceGoesBackIsOneWindowAtItsShare) {
  std::vector<ScheduledPrice> prices{{today + days{3}, 7.5}, {today + days{10}, 10.0}};
  auto c = planned_promotions(10.0, prices, today + days{1}, today + days{60});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].first, today + days{3});
  EXPECT_EQ(c[0].last, today + days{9});
  EXPECT_DOUBLE_EQ(*c[0].price, 0.75);
}

TEST(PromoCalendar, TheHorizonSameDayChangesAndSmallOrUpwardChanges) {
  // Already due (not applied yet): from the first day; open-ended: to the horizon's end.
  std::vector<ScheduledPrice> due{{today - days{1}, 5.0}};
  auto c = planned_promotions(10.0, due, today + days{1}, today + days{30});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].first, today + days{1});
  EXPECT_EQ(c[0].last, today + days{30});
  // Two changes on one day: the later one (here back to 9.9, a 1 % cut) wins: no promotion.
  std::vector<ScheduledPrice> same{{today + days{2}, 6.0}, {today + days{2}, 9.9}};
  EXPECT_TRUE(planned_promotions(10.0, same, today + days{1}, today + days{30}).empty());
  // A rise, a cut under 2 %, a change after the horizon, no regular price: nothing.
  std::vector<ScheduledPrice> other{{today + days{2}, 12.0}, {today + days{5}, 9.85}, {today + days{40}, 5.0}};
  EXPECT_TRUE(planned_promotions(10.0, other, today + days{1}, today + days{30}).empty());
  EXPECT_TRUE(planned_promotions(0.0, due, today + days{1}, today + days{30}).empty());
  // Two cuts in a row: two windows, each at its own share.
  std::vector<ScheduledPrice> two{{today + days{2}, 8.0}, {today + days{4}, 6.0}, {today + days{6}, 10.0}};
  auto w = planned_promotions(10.0, two, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].last, today + days{3});
  EXPECT_DOUBLE_EQ(*w[1].price, 0.6);
  EXPECT_EQ(w[1].last, today + days{5});
}

}  // namespace
