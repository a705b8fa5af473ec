// Loading a shop's past sales from another system into the demand history
// (`backroom planning import-history`): the history CSV (history_csv.hpp) with `location` a
// store's name and `item` an item's SKU. All or nothing: a row naming an unknown store or
// SKU is reported with its line and nothing is written. Weekly rows are spread evenly over
// their 7 days (the history is daily). Runs inside the caller's write transaction.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "planning/history_csv.hpp"
#include "platform/db.hpp"

namespace backroom::planning {

struct ImportSummary {
  std::size_t rows = 0;    // rows of the file
  std::size_t series = 0;  // location x item
  std::size_t days = 0;    // days written
};

// `text` is the whole file (for line numbers of rows naming unknown stores or SKUs).
std::variant<ImportSummary, HistoryError> import_history(db::Db& db, std::string_view text);

}  // namespace backroom::planning
