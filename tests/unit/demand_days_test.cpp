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
  // Sold at 400 of a regular 500: 800 thousandths; a line discount's price is not known here.
  EXPECT_EQ(rows_text(ledger_days(s)), "2026-11-02 1 promo at 800\n2026-11-03 1\n2026-11-04 1 promo\n");
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

TEST(DemandDays, BinsDoNotCount) {
  auto s = span_of({move("opening", 1, d1, "o", "damaged-bin"), move("sale", -1, d1, "s", "damaged-bin")});
  EXPECT_EQ(rows_text(ledger_days(s)), "");
}

}  // namespace
