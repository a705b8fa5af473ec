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
  std::vector<ScheduledPrice> prices{{today + days{3}, 7.5, false, std::nullopt}, {today + days{10}, 10.0, false, std::nullopt}};
  auto c = planned_promotions(10.0, prices, today + days{1}, today + days{60});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].first, today + days{3});
  EXPECT_EQ(c[0].last, today + days{9});
  EXPECT_DOUBLE_EQ(*c[0].price, 0.75);
}

TEST(PromoCalendar, TheHorizonSameDayChangesAndSmallOrUpwardChanges) {
  // Already due (not applied yet): from the first day; open-ended: to the horizon's end.
  std::vector<ScheduledPrice> due{{today - days{1}, 5.0, false, std::nullopt}};
  auto c = planned_promotions(10.0, due, today + days{1}, today + days{30});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].first, today + days{1});
  EXPECT_EQ(c[0].last, today + days{30});
  // Two changes on one day: the later one (here back to 9.9, a 1 % cut) wins: no promotion.
  std::vector<ScheduledPrice> same{{today + days{2}, 6.0, false, std::nullopt}, {today + days{2}, 9.9, false, std::nullopt}};
  EXPECT_TRUE(planned_promotions(10.0, same, today + days{1}, today + days{30}).empty());
  // A rise, a cut under 2 %, a change after the horizon, no regular price: nothing.
  std::vector<ScheduledPrice> other{{today + days{2}, 12.0, false, std::nullopt}, {today + days{5}, 9.85, false, std::nullopt}, {today + days{40}, 5.0, false, std::nullopt}};
  EXPECT_TRUE(planned_promotions(10.0, other, today + days{1}, today + days{30}).empty());
  EXPECT_TRUE(planned_promotions(0.0, due, today + days{1}, today + days{30}).empty());
  // Two cuts in a row: two windows, each at its own share.
  std::vector<ScheduledPrice> two{{today + days{2}, 8.0, false, std::nullopt}, {today + days{4}, 6.0, false, std::nullopt}, {today + days{6}, 10.0, false, std::nullopt}};
  auto w = planned_promotions(10.0, two, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].last, today + days{3});
  EXPECT_DOUBLE_EQ(*w[1].price, 0.6);
  EXPECT_EQ(w[1].last, today + days{5});
}

TEST(PromoCalendar, AFlaggedPromotionRunsToItsLastDayAtAnyPrice) {
  struct Case {
    const char* what;
    std::vector<ScheduledPrice> prices;
    std::size_t windows;
    Day first, last;
    double share;
  };
  const std::vector<Case> cases{
      // Same price, flagged (an end-cap promotion): a window at share 1, to its last day.
      {"same price, flagged, with an end", {{today + days{2}, 10.0, true, today + days{8}}}, 1, today + days{2},
       today + days{8}, 1.0},
      // A 1 % cut is no promotion unflagged, but is one flagged.
      {"small cut, flagged", {{today + days{2}, 9.9, true, today + days{4}}}, 1, today + days{2}, today + days{4}, 0.99},
      // Flagged with an end: the end wins over "until the next change" (here an unrelated rise later).
      {"end before the next change", {{today + days{2}, 7.0, true, today + days{5}}, {today + days{20}, 11.0, false, std::nullopt}}, 1,
       today + days{2}, today + days{5}, 0.7},
      // Flagged without an end: until the next scheduled change, as an unflagged cut.
      {"flagged without an end", {{today + days{2}, 8.0, true, std::nullopt}, {today + days{9}, 10.0, false, std::nullopt}}, 1,
       today + days{2}, today + days{8}, 0.8},
      // The end beyond the horizon: cut at the horizon.
      {"end beyond the horizon", {{today + days{25}, 5.0, true, today + days{45}}}, 1, today + days{25},
       today + days{30}, 0.5},
      // Flagged above the regular price: still a promotion, counted at the regular price.
      {"flagged above regular", {{today + days{3}, 12.0, true, today + days{3}}}, 1, today + days{3}, today + days{3},
       1.0},
      // Already over before the horizon starts: nothing.
      {"over before the horizon", {{today - days{9}, 5.0, true, today - days{2}}}, 0, today, today, 0},
  };
  for (const auto& c : cases) {
    auto w = planned_promotions(10.0, c.prices, today + days{1}, today + days{30});
    ASSERT_EQ(w.size(), c.windows) << c.what;
    if (c.windows == 0) continue;
    EXPECT_EQ(w[0].first, c.first) << c.what;
    EXPECT_EQ(w[0].last, c.last) << c.what;
    EXPECT_DOUBLE_EQ(*w[0].price, c.share) << c.what;
  }
}

// A flagged promotion running today (issue 17): the shelf price is the promotion's, so the
// regular price is the one it goes back to and its remaining days are a promotion window.
TEST(PromoCalendar, ARunningPromotionIsPlannedUntilItsLastDayAgainstThePriceItGoesBackTo) {
  // 5.00 now, back to 10.00 after today + 2: tomorrow and the day after at half price, then regular.
  auto w = planned_promotions(RunningPromotion{5.0, 10.0, today + days{2}}, {}, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].first, today + days{1});
  EXPECT_EQ(w[0].last, today + days{2});
  EXPECT_DOUBLE_EQ(*w[0].price, 0.5);
  EXPECT_TRUE(w[0].running);
  // Its last day is today: nothing left of it within the horizon.
  EXPECT_TRUE(planned_promotions(RunningPromotion{5.0, 10.0, today}, {}, today + days{1}, today + days{30}).empty());
  // Without an end: until the next scheduled change; a cut scheduled later is measured against
  // the price the promotion goes back to (8.00 of 10.00), not the promotion's 5.00.
  std::vector<ScheduledPrice> later{{today + days{6}, 10.0, false, std::nullopt}, {today + days{9}, 8.0, false, std::nullopt}};
  w = planned_promotions(RunningPromotion{5.0, 10.0, std::nullopt}, later, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].last, today + days{5});
  EXPECT_TRUE(w[0].running);
  EXPECT_EQ(w[1].first, today + days{9});
  EXPECT_DOUBLE_EQ(*w[1].price, 0.8);
  EXPECT_FALSE(w[1].running);
  // A same-price running promotion (an end cap): share 1, the plain uplift.
  w = planned_promotions(RunningPromotion{10.0, 10.0, today + days{3}}, {}, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_DOUBLE_EQ(*w[0].price, 1.0);
  // A change scheduled tomorrow replaces it from its day: no running window left, the cut to
  // 9.00 is one of its own (10 % off the price it goes back to).
  std::vector<ScheduledPrice> tomorrow{{today + days{1}, 9.0, false, std::nullopt}};
  w = planned_promotions(RunningPromotion{5.0, 10.0, today + days{5}}, tomorrow, today + days{1}, today + days{30});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_FALSE(w[0].running);
  EXPECT_DOUBLE_EQ(*w[0].price, 0.9);
  EXPECT_EQ(w[0].last, today + days{30});
}

}  // namespace
