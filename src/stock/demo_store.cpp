// Opening stock for the demo shop, written through the normal adjustment command.
#include <random>

#include "catalog/catalog_store.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

int seed_opening_stock(db::Db& db, const Actor& actor, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto items = catalog::store::stocked_items(db);
  int made = 0;
  for (const auto& l : list_locations(db)) {
    if (l.kind != word(LocationKind::store)) continue;
    for (const auto& item : items) {
      const auto& id = item.id;
      bool weighed = item.sold_by_weight;
      std::int64_t units = std::uniform_int_distribution<std::int64_t>(weighed ? 10 : 3, weighed ? 80 : 40)(rng);
      AdjustmentInput in{DocumentKey{std::nullopt, std::nullopt, "demo"},
                         id,
                         l.id,
                         Quantity::units(units),
                         AdjustmentReason::opening,
                         "demo opening stock",
                         false,
                         false,
                         std::nullopt};
      create_adjustment(db, actor, in);
      ++made;
    }
  }
  return made;
}

}  // namespace backroom::stock
