#include "planning/history_import.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "catalog/catalog_store.hpp"
#include "planning/planning_store.hpp"
#include "platform/csv.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {

namespace {

// The first line of the file whose `column` holds `value` (0 when none: cannot happen for a
// value the parser read from it).
std::size_t line_of(std::string_view text, std::string_view column, const std::string& value) {
  platform::CsvReader reader(text);
  platform::CsvRow row;
  std::size_t index = SIZE_MAX;
  while (reader.next(row)) {
    if (index == SIZE_MAX) {
      for (std::size_t i = 0; i < row.fields.size(); ++i)
        if (row.fields[i] == column) index = i;
      if (index == SIZE_MAX) return 0;
      continue;
    }
    if (index < row.fields.size() && row.fields[index] == value) return row.line;
  }
  return 0;
}

}  // namespace

std::variant<ImportSummary, HistoryError> import_history(db::Db& db, std::string_view text) {
  auto parsed = parse_history_csv(text);
  if (auto* error = std::get_if<HistoryError>(&parsed)) return *error;
  const auto& history = std::get<History>(parsed);
  std::map<std::string, std::string> locations, items;
  for (const auto& s : history.series) {
    if (!locations.contains(s.location)) {
      auto l = stock::location_by_name(db, s.location);
      if (!l || l->kind != "store")
        return HistoryError{line_of(text, "location", s.location), "location",
                            fmt::format("'{}' is not the name of a store", s.location)};
      locations[s.location] = l->id;
    }
    if (!items.contains(s.item)) {
      auto id = catalog::store::item_id_by_sku(db, s.item);
      if (!id) return HistoryError{line_of(text, "item", s.item), "item", fmt::format("no item has SKU '{}'", s.item)};
      items[s.item] = *id;
    }
  }
  int spread = days_per_period(history.granularity);
  std::vector<store::DemandRow> rows;
  for (const auto& s : history.series) {
    // A promotion's price as thousandths of the series' regular price (the median of its
    // prices off promotion), which is how the ledger's days keep it.
    auto regular = regular_price(s.periods);
    for (const auto& p : s.periods) {
      std::optional<std::int64_t> share;
      if (p.promo && p.price && regular && *regular > 0) share = std::llround(*p.price / *regular * 1000.0);
      std::int64_t total = std::llround(p.units * 1000.0);
      for (int d = 0; d < spread; ++d) {
        // Whole thousandths per day; the last day takes what is left.
        std::int64_t part = d + 1 < spread ? total / spread : total - (total / spread) * (spread - 1);
        rows.push_back({locations[s.location], items[s.item], format_date(p.start + std::chrono::days{d}), part,
                        p.censored, p.promo, share});
      }
    }
  }
  store::put_import_days(db, rows);
  return ImportSummary{history.rows, history.series.size(), rows.size()};
}

}  // namespace backroom::planning
