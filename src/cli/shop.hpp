// What the CLI subcommands share: opening a shop's database (creating and migrating it),
// and the shop's first settings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/db.hpp"

namespace backroom::cli {

struct InitOptions {
  std::string currency = "EUR";
  std::string shop_name = "My Shop";
  std::string admin_password;  // first admin's; "" = BACKROOM_ADMIN_PASSWORD, else generated
};

// Opens the database read-write and applies pending migrations. A new file gets the
// default settings (currency, one store, internal barcode prefix 20). Built-in roles are
// brought up to date; a shop without users gets its first admin, user name `admin`: a
// generated password goes to *generated_admin_password, or to stderr when that is null.
std::unique_ptr<db::Db> open_shop(const std::string& path, const InitOptions& init = {},
                                  std::string* generated_admin_password = nullptr);

// Demo users, one per role, with known passwords and PINs (never for a real shop), and
// the admin when missing. Returns the sign-in details as text; `admin_password` is the
// admin's when this run set it.
std::string seed_demo_users(db::Db& db, const std::string& admin_password);

// What `backroom check` (and a verified `backroom copy`) proves, every room's part of it:
// the ledger, sales, returns, voids and store credit (sales::check_books) and the counts
// (counts::check_counts). One line per problem; empty when the books hold.
std::vector<std::string> check_shop(db::Db& db);

// Seeds the demo shop when the catalog is empty; returns how many items were created.
int seed_demo(db::Db& db);

}  // namespace backroom::cli
