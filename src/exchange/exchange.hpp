// Moving a catalog in and out of Backroom as Shopify or Square files (docs/formats.md).
// An import is all or nothing: every row is checked and written inside one savepoint, and
// any error (or a dry run) rolls the whole file back. The mapping table named after the
// format ("shopify", "square") says which of the shop's locations a file's location names
// mean and which tax category a Shopify "Variant Taxable" value sells at; the report names
// the mapping version it used.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/formats.hpp"
#include "platform/actor.hpp"
#include "platform/app.hpp"
#include "platform/db.hpp"

namespace backroom::exchange {

struct ImportReport {
  Format format = Format::shopify;
  bool dry_run = false;
  bool applied = false;
  std::size_t rows = 0;
  std::size_t products = 0;
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::size_t stock_movements = 0;
  std::vector<RowError> errors;
  std::optional<std::string> mapping_name;
  std::optional<std::int64_t> mapping_version;
};

// Writer thread, inside the command's transaction. Needs items.create (the route checks),
// items.locked_fields to change a price, cost or barcode of an existing item (the catalog
// checks, reported as a row error), and stock.adjust when the file carries quantities.
ImportReport import_file(db::Db& db, const Actor& actor, Format format, std::string_view csv, bool dry_run);

// The whole catalog (standard items, variant parents with their variants; kits are left
// out, neither format has them) with on-hand quantities at the mapped locations.
std::string export_file(db::Db& db, Format format);

boost::json::object report_to_json(const ImportReport& report);

void register_exchange_routes(App& app);

}  // namespace backroom::exchange
