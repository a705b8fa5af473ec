// suggest_for_supplier over a real SQLite file: a supplier with more items than one page of
// supplier_items (500) gets every item exactly once. It once paged with the id of a row it
// had already moved out (an empty string), read the first page again forever and ran the
// server out of memory for any supplier with over 500 items.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "catalog/catalog_store.hpp"
#include "planning/demand_days.hpp"
#include "planning/replenishment.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {
namespace {

TEST(SuggestForSupplier, EveryItemOfALargeSupplierOnce) {
  auto path = std::filesystem::temp_directory_path() / fmt::format("replenishment_test_{}.db", ::getpid());
  std::filesystem::remove(path);
  auto db = db::Db::open(path.string(), db::Mode::read_write);
  schema::migrate(*db);
  constexpr int items = 1201;  // two full pages and one row
  std::string store_id, supplier_id = new_uuid_v7();
  {
    db::Transaction tx(*db);
    stock::ensure_default_locations(*db);
    for (const auto& l : stock::list_locations(*db))
      if (l.kind == "store") store_id = l.id;
    auto at = now().micros;
    purchasing::Supplier supplier;
    supplier.id = supplier_id;
    supplier.name = "Wholesale";
    supplier.lead_time_days = 3;
    supplier.order_days = purchasing::OrderDays::from_text("mon,thu");
    supplier.created_at = supplier.updated_at = at;
    purchasing::insert_supplier(*db, supplier);
    for (int i = 0; i < items; ++i) {
      catalog::Item it;
      it.id = new_uuid_v7();
      it.sku = fmt::format("BIG-{:05}", i);
      it.name = fmt::format("Item {}", i);
      it.price = 100;
      it.cost = 50;
      it.created_at = it.updated_at = at;
      catalog::store::insert_item(*db, it);
      purchasing::SupplierItem si;
      si.supplier_id = supplier_id;
      si.item_id = it.id;
      si.cost = 50;
      si.case_pack = Quantity::units(1);
      si.preferred = true;
      si.created_at = si.updated_at = at;
      purchasing::put_supplier_item(*db, si);
    }
    tx.commit();
  }
  auto s = suggest_for_supplier(*db, store_id, supplier_id, day_of(now()));
  std::set<std::string> seen;
  for (const auto& i : s.items) seen.insert(i.item_id);
  EXPECT_EQ(s.items.size(), static_cast<std::size_t>(items));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(items));
  db.reset();
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace backroom::planning
