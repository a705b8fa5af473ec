// Which changes of one price clash with a promotion (catalog/price_changes.hpp), worked by
// hand: a promotion with an end puts its old price back at its end, so nothing else of the
// same price may start within it; back to back is fine; a promotion without an end runs until
// the next change and clashes with none (but two promotions may not start together).
#include "catalog/price_changes.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace {

using backroom::catalog::clashing_price_change;
using backroom::catalog::PriceChange;

constexpr std::int64_t day = 86'400'000'000;

PriceChange change(const char* id, std::int64_t from_day, bool promotion, std::optional<std::int64_t> to_day) {
  PriceChange c;
  c.id = id;
  c.item_id = "item";
  c.price = 500;
  c.effective_at = from_day * day;
  c.promotion = promotion;
  if (to_day) c.ends_at = *to_day * day;
  return c;
}

TEST(PriceChangeClash, APromotionWithAnEndHoldsItsDaysForItself) {
  const std::vector<PriceChange> existing{change("a", 10, true, 15)};  // days 10..14, back on day 15
  struct Case {
    const char* what;
    PriceChange request;
    bool clash;
  };
  const std::vector<Case> cases{
      {"a promotion starting inside it", change("n", 12, true, 20), true},
      {"a promotion around it", change("n", 8, true, 20), true},
      {"a promotion ending inside it", change("n", 8, true, 11), true},
      {"a promotion on its first day", change("n", 10, true, 11), true},
      {"a plain change inside it (its end would undo it)", change("n", 13, false, std::nullopt), true},
      {"a promotion without an end inside it", change("n", 12, true, std::nullopt), true},
      {"back to back: starting at its end", change("n", 15, true, 18), false},
      {"back to back: ending at its start", change("n", 7, true, 10), false},
      {"a plain change at its end", change("n", 15, false, std::nullopt), false},
      {"a plain change before it (it becomes its old price)", change("n", 9, false, std::nullopt), false},
  };
  for (const auto& c : cases) {
    const auto* other = clashing_price_change(existing, c.request);
    EXPECT_EQ(other != nullptr, c.clash) << c.what;
    if (other) {
      EXPECT_EQ(other->id, "a") << c.what;
    }
  }
}

TEST(PriceChangeClash, AChangeAppliedAlreadyIsInThePriceAPromotionPutsBack) {
  auto applied = change("u", 12, false, std::nullopt);
  applied.status = "applied";
  // A promotion dated from day 10 (approved late) applies after it and puts it back at its end.
  EXPECT_EQ(clashing_price_change({applied}, change("n", 10, true, 15)), nullptr);
  // Pending, it would apply inside the promotion and be undone at its end.
  EXPECT_NE(clashing_price_change({change("u", 12, false, std::nullopt)}, change("n", 10, true, 15)), nullptr);
  // A running promotion with an end is no part of the price to put back: its end would come back over.
  auto running = change("r", 12, true, 20);
  running.status = "applied";
  EXPECT_NE(clashing_price_change({running}, change("n", 10, true, 15)), nullptr);
}

TEST(PriceChangeClash, APromotionWithoutAnEndRunsUntilTheNextChange) {
  const std::vector<PriceChange> open{change("a", 10, true, std::nullopt)};
  EXPECT_EQ(clashing_price_change(open, change("n", 12, false, std::nullopt)), nullptr) << "a plain change ends it";
  EXPECT_EQ(clashing_price_change(open, change("n", 12, true, 14)), nullptr) << "a promotion with an end interrupts it";
  EXPECT_NE(clashing_price_change(open, change("n", 10, true, 14)), nullptr) << "two promotions from one moment";
  EXPECT_EQ(clashing_price_change(open, change("n", 10, false, std::nullopt)), nullptr) << "a plain change at its start";
  // The change itself (approving again, listed among the open ones) is never its own clash.
  EXPECT_EQ(clashing_price_change(open, open.front()), nullptr);
}

}  // namespace
