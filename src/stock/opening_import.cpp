#include "stock/opening_import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/csv_import.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

namespace bj = boost::json;

namespace {

const std::vector<std::string> opening_columns{"sku", "barcode", "location", "quantity"};

Problem row_problem(std::string column, std::string reason, std::string code) {
  return Problem(422, std::move(code), std::move(reason), std::move(column));
}

catalog::Item row_item(db::Db& db, const std::map<std::string, std::string>& values) {
  auto sku = values.count("sku") ? std::string(text::trim(values.at("sku"))) : std::string();
  auto barcode = values.count("barcode") ? std::string(text::trim(values.at("barcode"))) : std::string();
  if (!sku.empty()) {
    auto normal = catalog::normalize_sku(sku);
    auto id = normal ? catalog::store::item_id_by_sku(db, *normal) : std::nullopt;
    if (!id) throw row_problem("sku", fmt::format("no item has SKU '{}'", sku.substr(0, 64)), "unknown_sku");
    return *catalog::store::load_item(db, *id);
  }
  if (barcode.empty()) throw row_problem("sku", "name the item by its sku or barcode", "missing_item");
  try {
    return catalog::scan(db, barcode).item;
  } catch (Problem& p) {
    p.field = "barcode";
    throw;
  }
}

// The shop's only store, for rows that name none (nullopt when it has several).
std::optional<Location> only_store(db::Db& db) {
  std::optional<Location> found;
  for (auto& l : list_locations(db)) {
    if (!l.sellable) continue;
    if (found) return std::nullopt;
    found = std::move(l);
  }
  return found;
}

Location row_location(db::Db& db, const std::map<std::string, std::string>& values, const std::optional<Location>& only) {
  auto name = values.count("location") ? std::string(text::trim(values.at("location"))) : std::string();
  if (name.empty()) {
    if (only) return *only;
    throw row_problem("location", "the shop has several stores: say which one in a 'location' column", "missing_location");
  }
  auto l = location_by_name(db, name);
  if (!l) throw row_problem("location", fmt::format("no location is called '{}'", name.substr(0, 64)), "unknown_location");
  return *l;
}

}  // namespace

OpeningReport import_opening_stock(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run) {
  OpeningReport report;
  const platform::CsvImportSpec spec{opening_columns,
                                     {{"quantity"}, {"sku", "barcode"}},
                                     "the first line names the columns: sku (or barcode), location, quantity",
                                     opening_rows_max,
                                     opening_errors_max};
  const auto only = only_store(db);
  std::set<std::pair<std::string, std::string>> seen;  // item, location
  auto run = platform::run_csv_import(db, csv, spec, dry_run, [&](const platform::CsvValues& values, std::size_t line) {
    auto item = row_item(db, values);
    auto location = row_location(db, values, only);
    if (!seen.insert({item.id, location.id}).second)
      throw row_problem("", fmt::format("{} at {} appears twice in the file", item.sku, location.name), "duplicate_row");
    auto text = std::string(text::trim(values.at("quantity")));
    auto quantity = parse_quantity(text);
    if (!quantity || quantity->milli < 0)
      throw row_problem("quantity", fmt::format("'{}' is not a quantity of 0 or more", text.substr(0, 32)), "invalid_quantity");
    if (!item.sold_by_weight && quantity->milli % Quantity::scale != 0)
      throw row_problem("quantity", fmt::format("{} is counted in whole units", item.sku), "invalid_quantity");
    auto before = balance(db, item.id, location.id).on_hand;
    if (before > *quantity)
      throw row_problem("quantity",
                        fmt::format("{} at {} already has {} on hand: opening stock only adds; count it instead",
                                    item.sku, location.name, format_quantity(before)),
                        "already_stocked");
    OpeningRow opening{line, item.sku, item.name, location.name, before, *quantity};
    if (opening.adds().milli > 0) {
      AdjustmentInput in;
      in.key.id = new_uuid_v7();
      in.key.request_hash = fmt::format("opening:{}:{}:{}", item.id, location.id, quantity->milli);
      in.item_id = item.id;
      in.location_id = location.id;
      in.quantity = opening.adds();
      in.reason = AdjustmentReason::opening;
      in.note = "opening stock import";
      create_adjustment(db, actor, in);
    }
    report.lines.push_back(std::move(opening));
  });
  report.rows = run.rows;
  report.errors = std::move(run.errors);
  report.applied = run.applied;
  return report;
}

boost::json::object opening_report_to_json(const OpeningReport& report) {
  bj::array lines;
  std::size_t adding = 0;
  Quantity units;
  for (const auto& l : report.lines) {
    if (l.adds().milli > 0) {
      ++adding;
      units = units + l.adds();
    }
    lines.push_back(bj::object{{"line", l.line},
                               {"sku", l.sku},
                               {"name", l.name},
                               {"location", l.location},
                               {"on_hand", json::quantity_value(l.on_hand)},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"adds", json::quantity_value(l.adds())}});
  }
  return bj::object{{"rows", report.rows},
                    {"adding", adding},
                    {"unchanged", report.lines.size() - adding},
                    {"units", json::quantity_value(units)},
                    {"applied", report.applied},
                    {"lines", std::move(lines)},
                    {"errors", platform::import_errors_json(report.errors)}};
}

}  // namespace backroom::stock
