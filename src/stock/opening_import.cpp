#include "stock/opening_import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/csv.hpp"
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
  auto add_error = [&report](OpeningError e) {
    if (report.errors.size() < opening_errors_max) report.errors.push_back(std::move(e));
  };
  platform::CsvReader reader(csv);
  platform::CsvRow row;
  std::vector<platform::CsvHeaderProblem> header_problems;
  auto read = platform::read_csv_header(reader, platform::CsvHeaderNames::snake_case, header_problems,
                                        "the first line names the columns: sku (or barcode), location, quantity");
  for (auto& p : header_problems) add_error({p.line, p.column, p.code, p.reason});
  if (!read) return report;
  const auto& header = read->names;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (std::find(opening_columns.begin(), opening_columns.end(), header[i]) == opening_columns.end())
      add_error({read->line, read->written[i].substr(0, 64), "unknown_column",
                 fmt::format("column '{}' is not one of {}", read->written[i].substr(0, 64), fmt::join(opening_columns, ", "))});
  auto has = [&header](const char* c) { return std::find(header.begin(), header.end(), c) != header.end(); };
  if (!has("quantity")) add_error({read->line, "quantity", "missing_column", "the header has no 'quantity' column"});
  if (!has("sku") && !has("barcode"))
    add_error({read->line, "sku", "missing_column", "the header names items by a 'sku' or 'barcode' column"});
  if (!report.errors.empty()) return report;

  const auto only = only_store(db);
  db.exec("SAVEPOINT opening_import");
  std::set<std::pair<std::string, std::string>> seen;  // item, location
  while (reader.next(row)) {
    if (++report.rows > opening_rows_max) {
      add_error({row.line, "", "too_many_rows", fmt::format("a file holds at most {} rows", opening_rows_max)});
      break;
    }
    if (row.fields.size() != header.size()) {
      add_error({row.line, "", "wrong_field_count",
                 fmt::format("row has {} fields, the header has {}", row.fields.size(), header.size())});
      continue;
    }
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < header.size(); ++i) values[header[i]] = row.fields[i];
    db.exec("SAVEPOINT opening_row");
    try {
      auto item = row_item(db, values);
      auto location = row_location(db, values, only);
      if (!seen.insert({item.id, location.id}).second)
        throw row_problem("", fmt::format("{} at {} appears twice in the file", item.sku, location.name), "duplicate_row");
      auto text = std::string(text::trim(values["quantity"]));
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
      OpeningRow line{row.line, item.sku, item.name, location.name, before, *quantity};
      if (line.adds().milli > 0) {
        AdjustmentInput in;
        in.key.id = new_uuid_v7();
        in.key.request_hash = fmt::format("opening:{}:{}:{}", item.id, location.id, quantity->milli);
        in.item_id = item.id;
        in.location_id = location.id;
        in.quantity = line.adds();
        in.reason = AdjustmentReason::opening;
        in.note = "opening stock import";
        create_adjustment(db, actor, in);
      }
      report.lines.push_back(std::move(line));
      db.exec("RELEASE opening_row");
    } catch (const Problem& p) {
      db.exec("ROLLBACK TO opening_row");
      db.exec("RELEASE opening_row");
      add_error({row.line, p.field, p.code, p.detail});
    }
  }
  if (reader.error()) add_error({reader.error()->line, "", "malformed_csv", reader.error()->reason});
  if (report.rows == 0 && report.errors.empty()) add_error({read->line, "", "empty_file", "the file has no rows under its header"});
  report.applied = !dry_run && report.errors.empty();
  if (!report.applied) db.exec("ROLLBACK TO opening_import");
  db.exec("RELEASE opening_import");
  return report;
}

boost::json::object opening_report_to_json(const OpeningReport& report) {
  bj::array lines, errors;
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
  for (const auto& e : report.errors)
    errors.push_back(bj::object{{"line", e.line}, {"column", e.column}, {"code", e.code}, {"reason", e.reason}});
  return bj::object{{"rows", report.rows},
                    {"adding", adding},
                    {"unchanged", report.lines.size() - adding},
                    {"units", json::quantity_value(units)},
                    {"applied", report.applied},
                    {"lines", std::move(lines)},
                    {"errors", std::move(errors)}};
}

}  // namespace backroom::stock
