// The item master as CSV (docs/csv.md): one row per item, keyed by SKU. Export writes
// every item; import creates new SKUs and updates existing ones, all or nothing, and
// reports each bad row with its line, column and reason.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/item.hpp"
#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::catalog {

inline constexpr std::size_t import_rows_max = 500'000;

// The documented columns, in export order.
const std::vector<std::string>& item_csv_columns();

struct ImportError {
  std::size_t line = 0;
  std::string column;  // column name, empty for the whole row
  std::string code;
  std::string reason;
};

struct ImportReport {
  std::size_t rows = 0;
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<ImportError> errors;  // at most import_errors_max are kept
  bool applied = false;             // false on dry runs and whenever there was an error
};
inline constexpr std::size_t import_errors_max = 1000;

// Imports `csv` on `db` inside a savepoint: every row is checked, then all rows are kept
// or none (errors or `dry_run`). `progress` gets (bytes read, total bytes) now and then.
ImportReport import_items_csv(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run,
                              const std::function<void(std::size_t, std::size_t)>& progress = {});

// Writes the whole item master, parents before their variants, components before kits.
// `write` receives the text in chunks (header first).
void export_items_csv(db::Db& db, const std::function<void(std::string_view)>& write);

}  // namespace backroom::catalog
