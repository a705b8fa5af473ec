// What the CLI subcommands share: opening a shop's database (creating and migrating it),
// and the shop's first settings.
#pragma once

#include <memory>
#include <string>

#include "platform/db.hpp"

namespace backroom::cli {

struct InitOptions {
  std::string currency = "EUR";
  std::string shop_name = "My Shop";
};

// Opens the database read-write and applies pending migrations. A new file gets the
// default settings (currency, one store, internal barcode prefix 20).
std::unique_ptr<db::Db> open_shop(const std::string& path, const InitOptions& init = {});

// Seeds the demo shop when the catalog is empty; returns how many items were created.
int seed_demo(db::Db& db);

}  // namespace backroom::cli
