// Daily demand from the ledger (planning/demand_days.hpp) as small ledgers with the rows they
// must give: sales less returns and voids, a day that ends with nothing on hand is censored
// (and so is every still day after it), a price below the regular price or a discount marks a
// promotion, bins do not count, an account is followed from its first movement.
#include "planning/demand_days.hpp"

#include <gtest/gtest.h>

namespace {

using namespace backroom;
using namespace backroom::planning;

const Day d1 = Day{std::chrono::year{2026} / 11 / 2};
Timestamp at(Day day, int hour) { return Timestamp{start_of(day).micros + hour * 3'600'000'000LL}; }
Day plus(int n) { return d1 + std::chrono::days{n}; }

stock::LedgerMovement move(const char* reason, std::int64_t units, Day day, const char* doc = "doc",
                           const char* location = "store") {
  return stock::LedgerMovement{"item", location, Quantity::units(units), reason, doc, at(day, 10)};
}

std::string rows_text(const std::vector<store::DemandRow>& rows) {
  std::string out;
  for (const auto& r : rows)
    out += r.day + " " + std::to_string(r.units / 1000) + (r.censored ? " censored" : "") + (r.promo ? " promo" : "") +
           (r.price_permille ? " at " + std::to_string(*r.price_permille) : "") + "\n";
  return out;
}

LedgerSpan span_of(std::vector<stock::LedgerMovement> moves, int days = 4) {
  LedgerSpan s;
  s.first = d1;
  s.last = plus(days - 1);
  s.locations = {"store"};
  s.movements = std::move(moves);
  s.regular_prices["item"] = 500;
  return s;
}

TEST(DemandDays, DayOfIsTheUtcDate) {
  EXPECT_EQ(day_of(at(d1, 0)), d1);
  EXPECT_EQ(day_of(at(d1, 23)), d1);
  EXPECT_EQ(day_of(at(plus(1), 0)), plus(1));
  EXPECT_EQ(day_of(Timestamp{-1}), Day{std::chrono::days{-1}});
}

TEST(DemandDays, SalesLessReturnsAndVoidsPerDay) {
  auto s = span_of({move("opening", 10, d1), move("sale", -3, d1, "s1"), move("return", 1, d1),
                    move("sale", -2, plus(2), "s2"), move("void", 2, plus(2))});
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 2\n");
}

TEST(DemandDays, ADayEndingWithNothingOnHandIsCensoredAndStaysSoUntilRestocked) {
  auto s = span_of({move("opening", 2, d1), move("sale", -2, plus(1), "s1"), move("receipt", 5, plus(3))}, 5);
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-03 2 censored\n2026-11-04 0 censored\n");
}

TEST(DemandDays, AnAccountOutOfStockBeforeTheSpanIsCensoredFromItsFirstDay) {
  auto s = span_of({}, 2);
  s.start = {stock::Balance{"item", "store", Quantity{}, {}}};
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 0 censored\n2026-11-03 0 censored\n");
  s.start = {stock::Balance{"item", "store", Quantity::units(4), {}}};
  EXPECT_EQ(rows_text(ledger_days(s)), "");
}

TEST(DemandDays, BelowTheRegularPriceOrDiscountedIsAPromotion) {
  auto s = span_of({move("opening", 10, d1), move("sale", -1, d1, "cheap"), move("sale", -1, plus(1), "full"),
                    move("sale", -1, plus(2), "discounted")});
  s.sale_prices[{"cheap", "item"}] = SalePrice{400, false};
  s.sale_prices[{"full", "item"}] = SalePrice{500, false};
  s.sale_prices[{"discounted", "item"}] = SalePrice{500, true};
  // Sold at 400 of a regular 500: 800 thousandths; a receipt discount marks the day without a price.
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 1 promo at 800\n2026-11-03 1\n2026-11-04 1 promo\n");
}

// A promotion flagged on a price change marks every day it was in force, at the full price
// too (a display promotion) and on a day nothing sold; the days around it stay regular.
TEST(DemandDays, AFlaggedPromotionMarksItsDaysEvenAtTheSamePrice) {
  auto s = span_of({move("opening", 10, d1), move("sale", -1, d1, "full1"), move("sale", -2, plus(1), "full2"),
                    move("sale", -1, plus(3), "full3")});
  for (const char* sale : {"full1", "full2", "full3"}) s.sale_prices[{sale, "item"}] = SalePrice{500, false};
  s.promotion_days["item"] = {{plus(1), plus(2)}};
  s.promotion_days["other item"] = {{d1, plus(3)}};
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 1\n2026-11-03 2 promo\n2026-11-04 0 promo\n2026-11-05 1\n");
}

TEST(DemandDays, AFlaggedPromotionsLastDayIsTheDayBeforeItEndsAtMidnight) {
  EXPECT_EQ(last_day_before(start_of(plus(3))), plus(2));
  EXPECT_EQ(last_day_before(at(plus(3), 12)), plus(3));
}

// A day's share is the mean of its cut-price sales weighted by units: 3 at 400 and 1 at 300
// of 500 = (3·800 + 1·600) / 4 = 750; a full-price sale the same day does not count.
TEST(DemandDays, APromotionDaysPriceShareIsTheUnitWeightedMean) {
  auto s = span_of({move("opening", 10, d1), move("sale", -3, d1, "a"), move("sale", -1, d1, "b"),
                    move("sale", -2, d1, "full")});
  s.sale_prices[{"a", "item"}] = SalePrice{400, false};
  s.sale_prices[{"b", "item"}] = SalePrice{300, false};
  s.sale_prices[{"full", "item"}] = SalePrice{500, false};
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 6 promo at 750\n");
}

// What a sale's units were paid after their own line discounts (`paid_price`): the shelf
// price scaled by what the line discounts left of the gross; a receipt discount only flags.
struct PaidCase {
  std::int64_t shelf, gross, line_discount;
  bool discounted;
  double unit_price;
  bool flagged;
};
TEST(DemandDays, ALineDiscountLowersThePricePaid) {
  const PaidCase cases[] = {
      {500, 1500, 0, false, 500, false},    // 3 at the shelf price
      {500, 1500, 0, true, 500, true},      // a receipt discount: flagged, price unchanged
      {500, 1500, 450, false, 350, true},   // 30 % off the line: 3.50 a unit
      {500, 1000, 100, false, 450, true},   // 1.00 off two units: 4.50 a unit
      {400, 1200, 600, false, 200, true},   // a half-off line on a price cut: 2.00
      {500, 500, 500, false, 0, true},      // given away
      {500, 500, 900, false, 0, true},      // a discount past the gross never goes negative
      {500, 0, 0, false, 500, false},       // no gross (a zero-price line): the shelf price
  };
  for (const auto& c : cases) {
    SalePrice p = paid_price(c.shelf, c.gross, c.line_discount, c.discounted);
    EXPECT_DOUBLE_EQ(p.unit_price, c.unit_price) << c.shelf << " " << c.gross << " " << c.line_discount;
    EXPECT_EQ(p.discounted, c.flagged) << c.shelf << " " << c.gross << " " << c.line_discount;
  }
}

// A day of deep manual line discounts is a promotion day with its depth: 2 units at 30 % off
// (3.50 of 5.00 = 700) and 2 at full price: the share is the mean of the cut units, 700, under
// the threshold like a price cut. A 1 % line discount is a promotion at 990, which the forecast
// reads as no price cut (within price_cut_min of the regular price).
TEST(DemandDays, LineDiscountDepthIsTheDaysPriceShare) {
  auto s = span_of({move("opening", 10, d1), move("sale", -2, d1, "deep"), move("sale", -2, d1, "full"),
                    move("sale", -1, plus(1), "shallow")});
  s.sale_prices[{"deep", "item"}] = paid_price(500, 1000, 300, false);
  s.sale_prices[{"full", "item"}] = paid_price(500, 1000, 0, false);
  s.sale_prices[{"shallow", "item"}] = paid_price(500, 500, 5, false);
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 4 promo at 700\n2026-11-03 1 promo at 990\n");
}

TEST(DemandDays, BinsDoNotCount) {
  auto s = span_of({move("opening", 1, d1, "o", "damaged-bin"), move("sale", -1, d1, "s", "damaged-bin")});
  EXPECT_EQ(rows_text(ledger_days(s)), "");
}

}  // namespace
