#include "cli/shop.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/demo.hpp"
#include "platform/outbox.hpp"
#include "platform/schema.hpp"

namespace backroom::cli {

std::unique_ptr<db::Db> open_shop(const std::string& path, const InitOptions& init) {
  auto db = db::Db::open(path, db::Mode::read_write);
  int before = schema::current_version(*db);
  schema::migrate(*db);
  if (before == 0) {
    db::Transaction tx(*db);
    catalog::store::put_setting(*db, "currency", init.currency);
    catalog::store::put_setting(*db, "currency_decimals", "2");
    catalog::store::put_setting(*db, "shop_name", init.shop_name);
    catalog::store::replace_barcode_settings(*db, {"20"}, {});
    tx.commit();
  }
  return db;
}

int seed_demo(db::Db& db) {
  if (catalog::store::count_items(db) > 0) return 0;
  Actor actor = Actor::of("demo", "cli");
  db::Transaction tx(db);
  catalog::store::put_setting(db, "shop_name", "Backroom Corner Shop");
  catalog::set_barcode_settings(db, actor, catalog::demo_barcode_settings());
  int created = 0;
  for (auto& demo : catalog::demo_items()) {
    auto result = catalog::create_item(db, actor, std::move(demo.item));
    if (demo.internal_barcode) catalog::add_internal_barcode(db, actor, result.item.id, "20", Quantity::units(1));
    ++created;
  }
  tx.commit();
  return created;
}

}  // namespace backroom::cli
