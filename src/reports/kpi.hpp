// The five numbers a shop acts on, computed from the ledger: stockout rate, sell-through,
// days of supply, shrink and GMROI (docs/reports.md defines each exactly as computed here).
// Pure: the store (reports_store.cpp) turns the ledger into one Series per item and site,
// and a KpiAccumulator folds series into groups (category, item or location). Every figure
// keeps its numerator and denominator so a person can check it by hand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/types.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::reports {

// A day is a UTC day number (days since 1970-01-01): shops have no time zone setting yet,
// so the report's days are UTC days like every stored time.
using Day = std::int64_t;
inline constexpr std::int64_t day_micros = 86'400'000'000;
Day day_of(Timestamp t);
Timestamp start_of(Day day);
// "YYYY-MM-DD" (a real calendar date) -> its day; nullopt otherwise.
std::optional<Day> parse_day(std::string_view text);
std::string format_day(Day day);

// Days of supply divides by the average daily sales of this many days, ending on `to`.
inline constexpr int days_of_supply_window_days = 28;
// The longest period one report covers, and how many weeks a series may ask for.
inline constexpr int kpi_period_days_max = 366;
inline constexpr int kpi_weeks_max = 52;

enum class Grouping : std::uint8_t { category, item, location };
inline constexpr Vocabulary<Grouping, 3> groupings{{{
    {Grouping::category, "category"},
    {Grouping::item, "item"},
    {Grouping::location, "location"},
}}};

enum class Kpi : std::uint8_t { stockout_rate, sell_through, days_of_supply, shrink, gmroi };
inline constexpr Vocabulary<Kpi, 5> kpis{{{
    {Kpi::stockout_rate, "stockout_rate"},
    {Kpi::sell_through, "sell_through"},
    {Kpi::days_of_supply, "days_of_supply"},
    {Kpi::shrink, "shrink"},
    {Kpi::gmroi, "gmroi"},
}}};

// Both days inclusive.
struct Period {
  Day from = 0;
  Day to = 0;
  std::int64_t days() const { return to - from + 1; }
};

// One day of one item at one site.
struct DayFigures {
  Day day = 0;
  std::int64_t change_milli = 0;  // net ledger change of the site's own stock
  std::int64_t sold_milli = 0;    // units sold less units returned
  std::int64_t net_sales = 0;     // minor units, without tax, less refunds
};
// Stock lost at the site or one of its bins: a negative adjustment or count, by reason.
struct ShrinkEntry {
  Day day = 0;
  std::string reason;
  std::int64_t lost_milli = 0;  // > 0
};

// A whole calendar month of one item at one site, from the totals its packed rows keep
// (migration 52) instead of its days. The store gives one only where that changes no figure:
// the month lies wholly before or inside the period (the sales also wholly outside or inside
// the days-of-supply window), and the series was active before it; for the stock, a stocked
// series ends every day of it with stock (opening + low_milli > 0). add_series asserts what
// it can.
struct MonthFigures {                   // the site's own stock
  Day first = 0;                        // the month's first day
  Day last = 0;                         // ... and last
  std::int64_t change_milli = 0;        // net change
  std::int64_t low_milli = 0;           // lowest running change at a day's end, at most 0
  std::int64_t on_hand_days_milli = 0;  // sum over its days of (end-of-day on hand - opening)
};
struct SoldMonth {                      // the site's and its bins' sales
  Day first = 0;                        // the month's first day
  std::int64_t sold_milli = 0;
  std::int64_t net_sales = 0;
};

// One item at one site, over a load window that starts before the earliest day any figure
// needs (the period's first day, and 27 days before its last for days of supply).
struct Series {
  std::string item_id;
  std::string site_id;
  std::string category;
  bool stocked = false;                // active and holds stock of its own (catalog)
  std::optional<std::int64_t> cost;    // per unit, minor units; none = valued at 0
  bool active_before = false;          // had movements before the load window
  std::int64_t opening_milli = 0;      // on hand when the load window starts
  std::vector<DayFigures> days;        // ascending, within the load window
  std::vector<MonthFigures> months;    // ascending; none holds a stock change of `days`
  std::vector<SoldMonth> sold_months;  // none holds a sale of `days`
  std::vector<ShrinkEntry> shrink;     // a whole month's losses on its first day
};

// What a group adds up to; every KPI is a ratio of two of these.
struct Totals {
  std::int64_t item_days = 0;                // active item-days of stocked items
  std::int64_t out_of_stock_item_days = 0;   // ... whose end-of-day on hand was <= 0
  std::int64_t sold_milli = 0;               // in the period
  std::int64_t end_on_hand_milli = 0;        // at the end of `to`, each series at least 0
  std::int64_t sold_window_milli = 0;        // in the 28 days ending on `to`
  std::int64_t net_sales = 0;                // minor units, in the period
  std::int64_t cost_of_goods_sold = 0;       // sold x cost, per series, rounded to minor units
  std::int64_t inventory_cost_days = 0;      // sum over days of max(0, end-of-day on hand) x cost
  std::int64_t period_days = 0;
  std::int64_t shrink_cost = 0;              // minor units
  std::map<std::string, std::int64_t> shrink_by_reason;
  std::int64_t items = 0;                    // series folded in
  std::int64_t items_without_cost = 0;

  void add(const Totals& other);
};

// One KPI: value = numerator / denominator, nullopt when the denominator is not positive.
struct Ratio {
  double numerator = 0;
  double denominator = 0;
  std::optional<double> value() const;
};
Ratio kpi_ratio(const Totals& t, Kpi kpi);
// Which way is worse: a higher stockout rate, days of supply or shrink; a lower sell-through
// or GMROI. Unknown values (nullopt) come last.
bool worse(Kpi kpi, std::optional<double> a, std::optional<double> b);

// Folds one series into `t` for `period`.
void add_series(Totals& t, const Series& s, const Period& period);

// Groups series by `grouping` for one period.
class KpiAccumulator {
 public:
  KpiAccumulator(Grouping grouping, Period period) : grouping_(grouping), period_(period) {}
  void add(const Series& s);
  // Adds another accumulator's groups (of the same grouping and period) into these.
  void add(const KpiAccumulator& other);
  const std::map<std::string, Totals>& groups() const { return groups_; }
  Totals total() const;

 private:
  Grouping grouping_;
  Period period_;
  std::map<std::string, Totals> groups_;
};

}  // namespace backroom::reports
