#include "cli/shop.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "access/auth.hpp"
#include "access/auth_admin.hpp"
#include "access/auth_store.hpp"
#include "catalog/catalog.hpp"
#include "cli/backup_cli.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/demo.hpp"
#include "counts/counts_store.hpp"
#include "orders/orders.hpp"
#include "planning/planning_demo.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "platform/schema.hpp"
#include "platform/settings.hpp"
#include "purchasing/supplier_demo.hpp"
#include "sales/sales.hpp"
#include "stock/stock.hpp"
#include "sync/sync.hpp"

namespace backroom::cli {

std::unique_ptr<db::Db> open_shop(const std::string& path, const InitOptions& init,
                                  std::string* generated_admin_password) {
  auto db = db::Db::open(path, db::Mode::read_write);
  int before = schema::current_version(*db);
  if (before > 0 && before < schema::latest_version()) {
    db.reset();  // the backup reads the shop on its own connection
    backup_cli::backup_before_upgrade(path, before, schema::latest_version());
    db = db::Db::open(path, db::Mode::read_write);
  }
  schema::migrate(*db);
  if (before == 0) {
    db::Transaction tx(*db);
    settings::put(*db, "currency", init.currency);
    settings::put(*db, "currency_decimals", "2");
    settings::put(*db, "shop_name", init.shop_name);
    catalog::store::replace_barcode_settings(*db, {"20"}, {});
    tx.commit();
  }
  db::Transaction tx(*db);
  auth::store::sync_builtin_roles(*db);
  if (auth::store::count_users(*db) == 0) {
    std::string password = init.admin_password;
    if (password.empty())
      if (const char* env = std::getenv("BACKROOM_ADMIN_PASSWORD")) password = env;
    bool generated = password.empty();
    if (generated) password = auth::generate_password();
    if (auto why = auth::password_problem(password)) throw Problem(422, "invalid_field", "admin password: " + *why, "admin_password");
    auth::ensure_user(*db, "admin", "admin", password, std::nullopt, "Administrator");
    if (generated && generated_admin_password) *generated_admin_password = password;
    else if (generated)
      std::cerr << fmt::format("first admin created: user name 'admin', password '{}' (shown only once)", password)
                << std::endl;
  }
  tx.commit();
  {
    db::Transaction locations(*db);
    stock::ensure_default_locations(*db);
    locations.commit();
  }
  return db;
}

std::string seed_demo_users(db::Db& db, const std::string& admin_password) {
  struct DemoUser {
    const char* username;
    const char* role;
    const char* password;
    const char* pin;
    const char* display_name;
  };
  static constexpr DemoUser users[] = {
      {"cashier", "cashier", "cashier-demo", "1111", "Casey Cashier"},
      {"lead", "shift_lead", "lead-demo", "2222", "Lee Lead"},
      {"manager", "manager", "manager-demo", "3333", "Morgan Manager"},
      {"buyer", "buyer", "buyer-demo", nullptr, "Blair Buyer"},
      {"clerk", "clerk", "clerk-demo", nullptr, "Cam Clerk"},
  };
  db::Transaction tx(db);
  std::string admin_line = admin_password.empty() ? "(set when this database was created)" : admin_password;
  if (!auth::store::user_by_name(db, "admin")) {
    std::string password = auth::generate_password();
    auth::ensure_user(db, "admin", "admin", password, std::nullopt, "Administrator");
    admin_line = password;
  }
  std::string text = "Demo sign-in (demo data only; never use these in a real shop)\n";
  text += fmt::format("  {:<8} {:<11} password {}\n", "admin", "admin", admin_line);
  for (const auto& u : users) {
    auth::ensure_user(db, u.username, u.role, u.password, u.pin ? std::optional<std::string>(u.pin) : std::nullopt,
                      u.display_name);
    text += fmt::format("  {:<8} {:<11} password {}{}\n", u.username, u.role, u.password,
                        u.pin ? fmt::format("  PIN {}", u.pin) : "");
  }
  tx.commit();
  return text;
}

std::vector<std::string> check_shop(db::Db& db) {
  auto problems = sales::check_books(db);
  for (auto& p : counts::check_counts(db)) problems.push_back(std::move(p));
  for (auto& p : orders::check_orders(db)) problems.push_back(std::move(p));
  for (auto& p : sync::check_sync(db)) problems.push_back(std::move(p));
  return problems;
}

int seed_demo(db::Db& db) {
  if (catalog::store::count_items(db) > 0) return 0;
  Actor actor = Actor::of("demo", "cli");
  db::Transaction tx(db);
  settings::put(db, "shop_name", "Backroom Corner Shop");
  catalog::set_barcode_settings(db, actor, catalog::demo_barcode_settings());
  int created = 0;
  for (auto& demo : catalog::demo_items()) {
    auto result = catalog::create_item(db, actor, std::move(demo.item));
    if (demo.internal_barcode) catalog::add_internal_barcode(db, actor, result.item.id, "20", Quantity::units(1));
    ++created;
  }
  stock::seed_opening_stock(db, actor);
  sales::seed_demo_registers(db, actor);
  purchasing::seed_demo_suppliers(db, actor);
  planning::seed_demo_history(db);
  tx.commit();
  return created;
}

}  // namespace backroom::cli
