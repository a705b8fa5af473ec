// Planning's SQL (tables of migrations 12, 29 and 46): daily demand history, service levels, reorder
// points, prepared suggestions and forecast snapshots. Days are "YYYY-MM-DD" text (UTC
// dates), quantities milli-units. Every function takes the connection it runs on: a
// reader's for queries, the writer's (inside its transaction) for changes. What planning
// needs of other rooms it reads through their functions (replenishment.cpp), never here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom::planning::store {

// Daily demand is kept compact (migration 29, table demand_months): one row per location,
// item, source and calendar month, its days packed in one text. A year of a supplier's
// 100,000 items is about 1.3 million short rows to read instead of 12 million day rows.
struct DemandRow {
  std::string location_id;
  std::string item_id;
  std::string day;  // YYYY-MM-DD
  std::int64_t units = 0;  // milli-units; sales less returns, so it may be negative
  bool censored = false;
  bool promo = false;
  // On a promotion day, the price it sold at in thousandths of the regular price (800 = 20 %
  // off), when known: what the forecast's own-price effect learns from.
  std::optional<std::int64_t> price_permille;
};

// One day of an item's demand at a location, the sources of the day merged.
struct DemandDay {
  std::chrono::sys_days day;
  std::int64_t units = 0;  // milli-units
  bool censored = false;
  bool promo = false;
  std::optional<std::int64_t> price_permille;  // as DemandRow's
};

// Replaces the ledger's days from `from_day` on with `rows` (all of them on or after it, one
// per location, item and day).
void replace_ledger_days(db::Db& db, const std::string& from_day, const std::vector<DemandRow>& rows);
// Writes imported days, each replacing an imported day of the same location and item (of
// two rows for one day, the later wins), and forgets the kept fits of those locations (a fit
// learnt from the history before the import is no longer the history's).
void put_import_days(db::Db& db, const std::vector<DemandRow>& rows);
// The demand of the items of `item_ids` (empty = every item) at a location from `from` on:
// one call per item that has any, in item order, with its days in order; a day's ledger and
// imported figures are summed, censored and promo are either's. The span is valid during the
// call only (a year of a large supplier's items is millions of days; nothing is kept).
using DemandEachItem = std::function<void(std::string_view item_id, std::span<const DemandDay> days)>;
void each_item_demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                         std::chrono::sys_days from, const DemandEachItem& each);
// The same days as rows, `from_day` a YYYY-MM-DD.
std::vector<DemandRow> demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                                 const std::string& from_day);

// Service levels, fraction x 10000.
struct ServiceLevel {
  std::string scope;  // "item" or "category"
  std::string key;    // item id or category name
  std::int64_t service_level_bp = 0;
};
std::vector<ServiceLevel> service_levels(db::Db& db);
// nullopt removes it (back to the category's or the shop's default).
void put_service_level(db::Db& db, const std::string& scope, const std::string& key,
                       std::optional<std::int64_t> service_level_bp, std::int64_t at, const std::string& by);

struct ReorderPoint {
  std::string item_id;
  std::string location_id;
  std::int64_t reorder_point = 0;  // milli-units
};
std::vector<ReorderPoint> reorder_points(db::Db& db, const std::string& location_id);  // "" = every location
void put_reorder_point(db::Db& db, const std::string& item_id, const std::string& location_id,
                       std::optional<std::int64_t> reorder_point, std::int64_t at, const std::string& by);

struct PreparedRow {
  std::string item_id;
  std::int64_t quantity = 0;  // milli-units
  std::string suggestion;     // JSON
};
// Replaces what was prepared for the supplier at the location.
void replace_prepared(db::Db& db, const std::string& location_id, const std::string& supplier_id,
                      const std::vector<PreparedRow>& rows, std::int64_t at);
std::optional<std::int64_t> prepared_at(db::Db& db, const std::string& location_id, const std::string& supplier_id);

// Kept fits (migration 46): the forecast the weekly preparation fitted for an item a supplier
// sells to a location, packed (forecast.hpp, pack_forecast), with the day it was fitted on
// (the history before that day) and the category whose pooled evidence it used.
struct KeptFit {
  std::string item_id;
  std::string category;
  std::string fitted_on;  // YYYY-MM-DD
  std::int64_t fitted_at = 0;
  std::string forecast;
};
// The supplier's kept fits at the location, by item id.
std::vector<KeptFit> kept_fits(db::Db& db, const std::string& location_id, const std::string& supplier_id);
// Keeps `fits` (all fitted on `fitted_on`) as the supplier's at the location: its kept fits
// fitted on or before that day are replaced; one fitted on a later day (a preparation of an
// earlier day run afterwards) stays.
void keep_fits(db::Db& db, const std::string& location_id, const std::string& supplier_id,
               const std::string& fitted_on, const std::vector<KeptFit>& fits);
// Forgets every kept fit at the location (its history changed).
void drop_fits_at(db::Db& db, const std::string& location_id);

struct Snapshot {
  std::string location_id;
  std::string item_id;
  std::string week_start;
  std::string category;
  std::int64_t forecast = 0;  // milli-units over the 7 days from week_start
};
// Keeps the snapshots, each replacing the one of its location, item and week; many rows a
// statement, each an upsert on the key (a DELETE then INSERT per row was a sequential scan on
// PostgreSQL once the plan cache settled on a generic plan while the table was small: a
// first preparation of 100,000 items took longer than anyone waited, docs/performance.md).
void put_snapshots(db::Db& db, const std::vector<Snapshot>& snapshots, std::int64_t at);
// Snapshots of the weeks starting from `from_week` to `to_week` (inclusive), by week.
std::vector<Snapshot> snapshots(db::Db& db, const std::string& from_week, const std::string& to_week);

}  // namespace backroom::planning::store
