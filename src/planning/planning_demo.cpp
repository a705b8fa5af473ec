#include "planning/planning_demo.hpp"

#include <random>

#include "planning/demand_days.hpp"
#include "planning/history_csv.hpp"
#include "planning/planning_store.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {

std::size_t seed_demo_history(db::Db& db, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Day today = day_of(now());
  std::vector<store::DemandRow> rows;
  purchasing::SupplierFilter filter;
  filter.limit = 100;
  for (const auto& supplier : purchasing::list_suppliers(db, filter)) {
    for (const auto& si : purchasing::supplier_items(db, supplier.id, "", 500)) {
      for (const auto& l : stock::list_locations(db)) {
        if (l.kind != "store") continue;
        // A rate a day: most items sell a few a day, one in four is a slow seller.
        bool slow = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
        double rate = slow ? std::uniform_real_distribution<double>(0.1, 0.6)(rng)
                           : std::uniform_real_distribution<double>(1.0, 6.0)(rng);
        int promo_start = std::uniform_int_distribution<int>(7, demo_history_days - 14)(rng);
        for (int back = demo_history_days; back >= 1; --back) {
          Day day = today - std::chrono::days{back};
          unsigned wd = std::chrono::weekday{day}.iso_encoding();
          bool promo = back <= promo_start && back > promo_start - 4;
          double mean = rate * (wd >= 6 ? 1.5 : 0.9) * (promo ? 2.0 : 1.0);
          auto units = std::poisson_distribution<int>(mean)(rng);
          // A promotion is four days at a quarter off.
          rows.push_back({l.id, si.item_id, format_date(day), std::int64_t{units} * 1000, false, promo,
                          promo ? std::optional<std::int64_t>{750} : std::nullopt});
        }
      }
    }
  }
  store::put_import_days(db, rows);
  return rows.size();
}

}  // namespace backroom::planning
