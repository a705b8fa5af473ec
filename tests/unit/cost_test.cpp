// The moving-average cost a receipt leaves on an item (purchasing/cost.hpp), as a table:
// the example (ten at 1.00 then ten at 2.00 gives 1.50), stock below zero that
// carries no cost, an item without a cost yet, and the rounding of the last minor unit.
#include <gtest/gtest.h>

#include "purchasing/cost.hpp"

namespace {

using namespace backroom;

struct Case {
  const char* name;
  std::int64_t on_hand_units;
  std::optional<std::int64_t> average;
  std::int64_t received_milli;
  std::int64_t unit_cost;
  std::int64_t expected;
};

const Case cases[] = {
    {"ten at 1.00 then ten at 2.00", 10, 100, 10'000, 200, 150},
    {"the first receipt of an item without a cost", 0, std::nullopt, 10'000, 100, 100},
    {"nothing on hand: the receipt's cost", 0, 300, 5'000, 120, 120},
    {"stock below zero carries no cost", -4, 100, 10'000, 200, 200},
    {"nothing received leaves the average", 10, 137, 0, 999, 137},
    {"rounds half up: 1 @ 1.00 + 1 @ 1.01 = 1.005 -> 1.01", 1, 100, 1'000, 101, 101},
    {"rounds down below the half: 2 @ 1.00 + 1 @ 1.01 = 1.0033 -> 1.00", 2, 100, 1'000, 101, 100},
    {"an empty shelf takes the receipt's cost (0.5 kg at 4.00)", 0, 200, 500, 400, 400},
    {"a large stock barely moves", 100'000, 1'000, 1'000, 2'000, 1'000},
    {"free goods lower the average", 10, 100, 10'000, 0, 50},
};

TEST(MovingAverageCost, Table) {
  for (const auto& c : cases) {
    EXPECT_EQ(purchasing::moving_average_cost(Quantity::units(c.on_hand_units), c.average, Quantity{c.received_milli},
                                              c.unit_cost),
              c.expected)
        << c.name;
  }
}

TEST(MovingAverageCost, TwoReceiptsInARow) {
  // Ten arrive at 1.00 on an empty shelf, then ten more at 2.00 with the first ten still there.
  auto first = purchasing::moving_average_cost(Quantity{}, std::nullopt, Quantity::units(10), 100);
  EXPECT_EQ(first, 100);
  EXPECT_EQ(purchasing::moving_average_cost(Quantity::units(10), first, Quantity::units(10), 200), 150);
}

TEST(MovingAverageCost, WeighedOnHand) {
  // 1.5 kg on hand at 2.00, 0.5 kg received at 4.00: (3.00 + 2.00) / 2 kg = 2.50.
  EXPECT_EQ(purchasing::moving_average_cost(Quantity{1'500}, 200, Quantity{500}, 400), 250);
}

}  // namespace
