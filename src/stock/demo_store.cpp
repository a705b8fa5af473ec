// Opening stock for the demo shop, written through the normal adjustment command.
#include <random>

#include "stock/stock.hpp"

namespace backroom::stock {

int seed_opening_stock(db::Db& db, const Actor& actor, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::pair<std::string, bool>> items;  // id, sold by weight
  {
    // Kits that consume components hold no stock of their own.
    auto q = db.query(
        "SELECT id, sold_by_weight FROM items WHERE status = 'active' AND kind <> 'parent' AND "
        "NOT (kind = 'kit' AND COALESCE(kit_consumes, 'components') = 'components') ORDER BY id");
    while (q.step()) items.emplace_back(q.text(0), q.int64(1) != 0);
  }
  int made = 0;
  for (const auto& l : list_locations(db)) {
    if (l.kind != word(LocationKind::store)) continue;
    for (const auto& [id, weighed] : items) {
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
