// Opening stock from a spreadsheet (issue 22, rollout): the quantities a shop counted before
// it starts on Backroom, one row per item (and store), checked row by row before anything is
// written (docs/csv.md "Opening stock").
//
// Contract: the file is CSV with a header naming `quantity` and the item by `sku` or
// `barcode`; `location` (a location's name, any case) may be left out when the shop has one
// store. A row brings the item's on hand at that location up to `quantity` by one `opening`
// adjustment of the difference (audited, an event, in the ledger like any other); a row whose
// on hand already equals it changes nothing; one whose on hand is above it is refused (opening
// stock only adds: count it instead). All rows or none: any row's problem, or `dry_run`,
// leaves the database as it was, and the report says per row what would be (or was) done and
// what is wrong. Runs inside the caller's transaction.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/csv_import.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::stock {

inline constexpr std::size_t opening_rows_max = 20'000;
inline constexpr std::size_t opening_errors_max = 200;
inline constexpr std::size_t opening_bytes_max = 4 * 1024 * 1024;

struct OpeningRow {
  std::size_t line = 0;
  std::string sku, name, location;
  Quantity on_hand, quantity;  // before, and what the file says
  Quantity adds() const { return quantity - on_hand; }
};
struct OpeningReport {
  std::size_t rows = 0;
  std::vector<OpeningRow> lines;      // every row read without a problem
  std::vector<platform::ImportError> errors;  // at most opening_errors_max
  bool applied = false;               // false on a dry run and whenever there was an error
};

OpeningReport import_opening_stock(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run);
boost::json::object opening_report_to_json(const OpeningReport& report);

}  // namespace backroom::stock
