// The reports room: the KPI report over the one ledger (kpi.hpp for the maths, the ledger
// read through stock, sales and catalog in reports_store.cpp), the store-credit report
// (store_credit.hpp for the maths, the ledger read through sales' store) and the weekly
// review's actions. This header is the room's door.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/app.hpp"
#include "platform/db.hpp"
#include "reports/kpi.hpp"
#include "reports/store_credit.hpp"

namespace backroom::reports {

struct KpiQuery {
  Period period;
  std::optional<std::string> site_id;  // one site; none = every site
  Grouping grouping = Grouping::category;
  std::optional<Kpi> order;            // worst first by this KPI; none = by label
  std::optional<int> limit;
};

struct KpiRow {
  std::string key;    // the category, item id or location id
  std::string label;  // what a person reads: the category, "SKU name", the location's name
  std::string sku, name;
  Totals totals;
};

// Figures the report takes from the rooms that own them (reports_api.cpp fills them):
// count accuracy from counts (lines approved in the period within their class's tolerance),
// forecast error from planning (the weekly forecasts kept, for weeks starting in the period;
// planning keeps them shop-wide, so a site's report shows the shop's).
struct CountAccuracy {
  std::int64_t lines = 0;
  std::int64_t within_tolerance = 0;
};
struct ForecastError {
  double forecast = 0, actual = 0, abs_error = 0;  // units; WAPE = abs_error / actual
};

struct KpiReport {
  KpiQuery query;
  std::vector<KpiRow> rows;
  Totals total;
  std::optional<CountAccuracy> count_accuracy;                 // none: no count line approved in the period
  std::map<std::string, ForecastError> forecast_by_category;   // only the categories with forecasts kept
  std::optional<ForecastError> forecast;                       // all of them
};

// How the report reads the packed months (migration 52): a month wholly inside what it
// reports from the totals its rows keep where that changes no figure (reports/kpi.hpp,
// MonthFigures), or every month day by day (the benchmark's and the tests' comparison).
// A month that may be whole by the calendar and turns out not to be (its stock ran out, its
// series began in it) is read day by day all the same: with totals_where_whole on SQLite it is
// looked up alone (a page or two); on PostgreSQL, where a lookup is a round trip, its item is
// set aside, the months such items needed are read together once the others are through (a
// statement a month), and then those items are read again (docs/reports.md, "Items set
// aside"). totals_items_aside sets items aside on SQLite too (the tests' and the benchmark's
// way to that path).
enum class MonthReading : std::uint8_t { totals_where_whole, days_only, totals_items_aside };

// Reads the ledger on `db` (a reader) and computes the report. I/O.
// `helpers` (SQLite connections in one read snapshot with `db`: db/db_shared_snapshot.hpp)
// each read a range of the items on a thread of their own; none: `db` reads them all.
KpiReport kpi_report(db::Db& db, const KpiQuery& query, const std::vector<db::Db*>& helpers = {},
                     MonthReading reading = MonthReading::totals_where_whole);

// The totals of the `weeks` seven-day weeks ending on `to` (oldest first). I/O.
struct WeekTotals {
  Period period;
  Totals totals;
};
std::vector<WeekTotals> weekly_kpis(db::Db& db, Day to, int weeks, const std::optional<std::string>& site_id,
                                    const std::vector<db::Db*>& helpers = {},
                                    MonthReading reading = MonthReading::totals_where_whole);

// JSON and CSV (reports_json.cpp).
boost::json::object totals_to_json(const Totals& t);
boost::json::object report_to_json(const KpiReport& r);
std::string report_to_csv(const KpiReport& r);
boost::json::object weekly_to_json(const std::vector<WeekTotals>& weeks, const std::optional<std::string>& site_id);

// The store-credit report of one period (GET /api/v1/reports/store-credit), with the names of
// the stores it shows.
struct StoreCreditReport {
  Period period;
  std::optional<std::string> location_id;       // the notes issued, and the sales made, at one store
  std::map<std::string, std::string> store_names;  // location id -> name
  StoreCreditFigures figures;
};
boost::json::object store_credit_to_json(const StoreCreditReport& r);
std::string store_credit_to_csv(const StoreCreditReport& r);

void register_report_routes(App& app);

}  // namespace backroom::reports

#include "reports/actions.hpp"

namespace backroom::reports {

// What an action's JSON names besides ids: its owner, item and location as a person reads them.
struct ActionNames {
  std::string owner;
  std::optional<std::string> item_sku, item_name, location;
};
boost::json::object action_to_json(const Action& a, const ActionNames& names, const std::string& review_week);

void register_action_routes(App& app);

}  // namespace backroom::reports
