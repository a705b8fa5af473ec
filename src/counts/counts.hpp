// Cycle counts, the pure part: ABC classes from consumption value, the daily count list
// that spreads each class's counts over a location's working days, and the tolerance a
// counted line is judged by. Values in, values out; the SQL is in counts_store.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/types.hpp"
#include "platform/vocabulary.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::counts {

inline constexpr std::size_t count_items_max = 500;          // lines per count
inline constexpr std::size_t photo_data_url_bytes_max = 512 * 1024;
inline constexpr int consumption_months = 12;
inline constexpr std::int64_t classes_stale_after_days = 7;  // recomputed weekly

// An item's class at a location; stored in count_classes.class.
enum class CountClass : std::uint8_t { a, b, c };
inline constexpr Vocabulary<CountClass, 3> count_classes{{{
    {CountClass::a, "A"},
    {CountClass::b, "B"},
    {CountClass::c, "C"},
}}};
inline std::string_view word(CountClass c) { return count_classes.text(c); }

// Why a counted line differs from the ledger: the reason the approver gives each
// variance; the adjustment movement carries it (stock's movement reasons).
enum class VarianceReason : std::uint8_t { theft, damage, admin_error, supplier_short, unknown };
inline constexpr Vocabulary<VarianceReason, 5> variance_reasons{{{
    {VarianceReason::theft, "theft"},
    {VarianceReason::damage, "damage"},
    {VarianceReason::admin_error, "admin_error"},
    {VarianceReason::supplier_short, "supplier_short"},
    {VarianceReason::unknown, "unknown"},
}}};
stock::MovementReason movement_reason(VarianceReason reason);

// A count is open while people count, approved once its variances are posted.
enum class CountStatus : std::uint8_t { open, approved };
inline constexpr Vocabulary<CountStatus, 2> count_statuses{{{
    {CountStatus::open, "open"},
    {CountStatus::approved, "approved"},
}}};

// What a count was made from; stored in counts.kind.
enum class CountKind : std::uint8_t { plan, items, supplier, negative, variance };
inline constexpr Vocabulary<CountKind, 5> count_kinds{{{
    {CountKind::plan, "plan"},
    {CountKind::items, "items"},
    {CountKind::supplier, "supplier"},
    {CountKind::negative, "negative"},
    {CountKind::variance, "variance"},
}}};

// ---- ABC classes ----

// Class A holds the items that make the top a_percent of consumption value, B the next
// b_percent, C the rest (items that did not sell are C).
struct Cutoffs {
  int a_percent = 80;
  int b_percent = 15;
};
struct ItemValue {
  std::string item_id;
  std::int64_t units_sold = 0;  // milli-units over consumption_months
  std::int64_t value = 0;       // units sold x unit cost, minor units
};
struct Classified {
  std::string item_id;
  CountClass count_class = CountClass::c;
  std::int64_t units_sold = 0;
  std::int64_t value = 0;
  bool pinned = false;
};
// Pure: sorts by value (highest first, then item id) and walks the cumulative share: an
// item is A while the value before it is below a_percent of the total, B below
// a_percent + b_percent, else C. A pinned item keeps its place in the walk and takes its
// pinned class. Items of value 0 are C.
std::vector<Classified> classify(std::vector<ItemValue> values, const Cutoffs& cutoffs,
                                 const std::map<std::string, CountClass>& pins);
// Units sold (milli) x unit cost (minor) as minor units, rounded half up.
std::int64_t consumption_value(std::int64_t units_sold_milli, std::int64_t unit_cost);

// ---- the daily list ----

// A civil date (the shop's day).
struct Date {
  int year = 1970, month = 1, day = 1;
  constexpr auto operator<=>(const Date&) const = default;
};
std::optional<Date> parse_date(std::string_view text);  // "YYYY-MM-DD"
std::string format_date(Date d);
std::int64_t days_from_civil(Date d);  // days since 1970-01-01
Date civil_from_days(std::int64_t days);
int iso_weekday(Date d);  // 1 = Monday ... 7 = Sunday
Date date_of(Timestamp t);  // UTC day of a time

// How often each class is counted, in counts per year: a divisor of 12, so a class's
// cycle is a whole number of months (12 = monthly, 4 = quarterly, 2 = twice a year).
struct Frequencies {
  int a_per_year = 12;
  int b_per_year = 4;
  int c_per_year = 2;
  int per_year(CountClass c) const;
};
bool valid_frequency(int per_year);
// The working days of a location, as ISO weekdays (default Monday to Saturday).
struct WorkingDays {
  std::vector<int> weekdays{1, 2, 3, 4, 5, 6};
  bool works_on(Date d) const;
};
// The cycle (first and last day) a date falls in for a frequency.
std::pair<Date, Date> cycle_of(Date d, int per_year);
// Pure: which of `items` (one class, in a stable order) are due on `day`. Each cycle's
// working days share the items evenly (item i goes to working day floor(i * D / N) of the
// D working days), so every item is counted once a cycle and no day gets more than one
// item above another. None on a day that is not a working day.
std::vector<std::string> due_on(const std::vector<std::string>& items, int per_year, const WorkingDays& days, Date day);

// ---- tolerance ----

// A line is flagged (needs a recount, counts against accuracy) when its variance is over
// both the unit and percent limits, or over the value limit.
struct Thresholds {
  std::int64_t units_milli = 2000;  // more than 2 units
  int percent = 10;                 // ... and more than 10% of the expected quantity
  std::int64_t value = 5000;        // or more than 50.00 at cost (minor units)
};
struct ClassThresholds {
  Thresholds a, b, c;
  const Thresholds& of(CountClass c) const;
};
// Pure. expected = ledger on hand as of counted_at; unit_cost may be unknown (0).
bool over_tolerance(std::int64_t counted_milli, std::int64_t expected_milli, std::int64_t unit_cost,
                    const Thresholds& t);

}  // namespace backroom::counts
