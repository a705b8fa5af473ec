// Replenishment, the glue between the shop's data and planning's maths: it refreshes the
// demand history from the ledger, builds each item's daily series, fits its forecast
// (forecast.hpp), decides with the policy (policy.hpp) against the inventory position read
// from stock and purchasing, tops up to the supplier's minimum or free-freight value, and
// explains every number (explain.hpp). It reads other rooms only through their functions.
// Functions that write (refresh_demand, prepare, import) run on the writer's connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "planning/forecast.hpp"
#include "planning/planning_store.hpp"
#include "planning/policy.hpp"
#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom::planning {

// How far back the ledger is first read, how much history a forecast learns from, what the
// "why this number" chart shows.
inline constexpr int ledger_days_max = 730;
inline constexpr int forecast_history_days = 365;
inline constexpr int series_history_days = 84;
inline constexpr int series_forecast_days = 28;
inline constexpr int accuracy_weeks_max = 26;
inline constexpr std::int64_t service_level_bp_default = 9500;
// A supplier's items are fitted on up to this many threads (each item's fit and policy are
// pure and independent), when it has at least parallel_items_min items.
inline constexpr unsigned suggest_threads_max = 2;
inline constexpr std::size_t parallel_items_min = 256;

Day today_utc();

// Rebuilds the ledger's demand rows from the last day refreshed up to `today` (writer).
void refresh_demand(db::Db& db, Day today);

// A series for the maths: every day of `rows` (one item, ordered by day) before `origin`.
// Imported days count as they are (a day without a row is missing); from the day the ledger
// is followed (`ledger_start`) on, a day without a row sold nothing.
using DemandDay = store::DemandDay;  // one day of an item's history, compact (a year of 100,000 items fits)
std::vector<Period> daily_series(std::span<const DemandDay> rows, std::optional<Day> ledger_start, Day origin);
// The demand history at a location from `from` on of each of `item_ids` (distinct), in the
// same order as the ids; each ordered by day.
std::vector<std::vector<DemandDay>> histories(db::Db& db, const std::string& location_id,
                                              const std::vector<std::string>& item_ids, Day from);
// The day the ledger's demand is followed from (nullopt before the first refresh).
std::optional<Day> ledger_start(db::Db& db);

struct ItemSuggestion {
  std::string item_id;
  std::string sku;
  std::string name;
  std::string category;
  std::int64_t unit_cost = 0;
  Forecast forecast;
  Day fitted_on;               // the forecast learnt from the history before this day
  bool forecast_kept = false;  // taken from the preparation's kept fit, not fitted now
  PolicyInput input;
  Suggestion suggestion;
  std::string text;  // reason.text
};
struct SupplierSuggestions {
  std::string location_id;
  std::string supplier_id;
  Day today;
  std::vector<ItemSuggestion> items;  // every item considered, in item order
  TopUpResult top_up;
  std::size_t kept_fits = 0;  // items whose forecast came from a kept fit (the rest were fitted now)
};
// Where suggest_for_supplier takes each item's forecast from.
//  kept_when_fresh: the fit the weekly preparation kept (store::kept_fits) when it is fresh:
//    fitted on a day at most kept_fit_days_max - 1 days before `today` (and not after it), for
//    the same supplier and location, while the item's category is the one it was fitted in
//    (the category's pooled promotion evidence is part of the fit), its text readable, and
//    the location's history not imported into since (an import forgets the location's kept
//    fits). Every other item is fitted on its history as with `history`. What the fit does not
//    depend on is always read now: stock, orders, transfers, reservations, lead time, packs,
//    MOQ, service levels, reorder points, planned promotions (the calendar ahead is policy
//    input, not part of the fit), the top-up and the reason.
//  history: every item fitted on its history before `today` (what the preparation keeps).
enum class FitFrom { kept_when_fresh, history };
inline constexpr int kept_fit_days_max = 7;
// What to order from the supplier for the location (reads; refresh_demand first).
SupplierSuggestions suggest_for_supplier(db::Db& db, const std::string& location_id, const std::string& supplier_id,
                                         Day today, FitFrom fits = FitFrom::kept_when_fresh);

// Days until the supplier's next order day after `today` (7 when it has none).
int review_days(const std::string& order_days_text, Day today);

struct SeriesDay {
  Day day;
  std::optional<double> units;  // nullopt: no data that day
  bool censored = false;
  bool promo = false;
};
struct SeriesView {
  std::vector<SeriesDay> history;  // series_history_days days up to today
  Forecast forecast;               // fitted on the days before today
  Day today;
};
SeriesView series_view(db::Db& db, const std::string& location_id, const std::string& item_id, Day today);

// The weekly preparation: for each active supplier (all, or those whose order day is
// `today` when `order_day_only`) at each store, keeps the suggestions (when `as_of` is today),
// a forecast snapshot per item for the week from `as_of`, and each item's fit (fitted on the
// history before `as_of`, FitFrom::history) for suggest_for_supplier (writer). Returns
// suppliers prepared.
int prepare(db::Db& db, Day as_of, Day today, bool order_day_only);
// The suppliers prepared by the weekly job today: those whose order day it is and that were
// not prepared today yet (writer).
int prepare_due(db::Db& db, Day today);

struct AccuracyWeek {
  std::string week_start;
  std::string category;
  int series = 0;
  double forecast = 0, actual = 0;
  std::optional<double> wape, bias, mase;
};
// Weeks that have passed (week_start + 7 <= today), newest first, by category.
std::vector<AccuracyWeek> accuracy(db::Db& db, Day today, int weeks);

}  // namespace backroom::planning
