// Counts' pure logic (counts/counts.hpp): ABC classes from consumption value, the civil
// calendar, the daily list spreading a class over a cycle's working days, and tolerance.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "counts/counts.hpp"

namespace backroom::counts {
namespace {

std::map<std::string, CountClass> classes_of(const std::vector<Classified>& list) {
  std::map<std::string, CountClass> out;
  for (const auto& c : list) out[c.item_id] = c.count_class;
  return out;
}

TEST(CountClasses, CumulativeShareBeforeTheItemDecides) {
  // 7000, 1000, 1000, 500, 500, 0 of 10000: before = 0%, 70%, 80%, 90%, 95%, 100%.
  std::vector<ItemValue> values{{"f", 0, 0}, {"e", 5000, 500}, {"a", 70000, 7000},
                                {"c", 10000, 1000}, {"b", 10000, 1000}, {"d", 5000, 500}};
  auto got = classify(values, Cutoffs{}, {});
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got.front().item_id, "a");
  auto c = classes_of(got);
  EXPECT_EQ(c["a"], CountClass::a);
  EXPECT_EQ(c["b"], CountClass::a);
  EXPECT_EQ(c["c"], CountClass::b);
  EXPECT_EQ(c["d"], CountClass::b);
  EXPECT_EQ(c["e"], CountClass::c);
  EXPECT_EQ(c["f"], CountClass::c);
}

TEST(CountClasses, PinsWinAndNothingSoldIsC) {
  std::vector<ItemValue> values{{"a", 1000, 100}, {"b", 0, 0}};
  auto c = classes_of(classify(values, Cutoffs{}, {{"a", CountClass::c}, {"b", CountClass::a}}));
  EXPECT_EQ(c["a"], CountClass::c);
  EXPECT_EQ(c["b"], CountClass::a);
  auto none = classes_of(classify({{"x", 0, 0}, {"y", 0, 0}}, Cutoffs{}, {}));
  EXPECT_EQ(none["x"], CountClass::c);
  EXPECT_EQ(none["y"], CountClass::c);
}

TEST(CountClasses, ConsumptionValueRoundsHalfUp) {
  EXPECT_EQ(consumption_value(1500, 101), 152);  // 151.5
  EXPECT_EQ(consumption_value(1000, 0), 0);
  EXPECT_EQ(consumption_value(-1000, 100), 0);  // returns beyond sales are no consumption
}

TEST(CountCalendar, CivilDaysAndWeekdays) {
  EXPECT_EQ(days_from_civil(Date{1970, 1, 1}), 0);
  EXPECT_EQ(civil_from_days(days_from_civil(Date{2028, 2, 29})), (Date{2028, 2, 29}));
  EXPECT_EQ(iso_weekday(Date{2027, 3, 7}), 7);  // a Sunday
  EXPECT_EQ(iso_weekday(Date{2026, 12, 2}), 3);  // a Wednesday
  EXPECT_FALSE(parse_date("2027-02-29"));
  EXPECT_FALSE(parse_date("2027-2-01"));
  EXPECT_EQ(format_date(*parse_date("2028-02-29")), "2028-02-29");
  EXPECT_EQ(date_of(Timestamp{-1}), (Date{1969, 12, 31}));
}

TEST(CountPlan, CyclesAreWholeMonths) {
  EXPECT_EQ(cycle_of(Date{2027, 5, 17}, 12), std::make_pair(Date{2027, 5, 1}, Date{2027, 5, 31}));
  EXPECT_EQ(cycle_of(Date{2027, 5, 17}, 4), std::make_pair(Date{2027, 4, 1}, Date{2027, 6, 30}));
  EXPECT_EQ(cycle_of(Date{2027, 11, 2}, 2), std::make_pair(Date{2027, 7, 1}, Date{2027, 12, 31}));
  EXPECT_EQ(cycle_of(Date{2027, 11, 2}, 1), std::make_pair(Date{2027, 1, 1}, Date{2027, 12, 31}));
  EXPECT_FALSE(valid_frequency(5));
  EXPECT_TRUE(valid_frequency(6));
}

TEST(CountPlan, EveryItemOnceACycleSpreadEvenly) {
  for (int n : {1, 7, 26, 27, 100}) {
    std::vector<std::string> items;
    for (int i = 0; i < n; ++i) items.push_back("item" + std::to_string(1000 + i));
    WorkingDays days;  // Monday to Saturday
    std::map<std::string, int> seen;
    std::vector<std::size_t> per_day;
    for (int d = 1; d <= 31; ++d) {
      auto due = due_on(items, 12, days, Date{2027, 3, d});
      if (!days.works_on(Date{2027, 3, d})) {
        EXPECT_TRUE(due.empty());
        continue;
      }
      per_day.push_back(due.size());
      for (auto& i : due) ++seen[i];
    }
    EXPECT_EQ(per_day.size(), 27u);
    EXPECT_EQ(seen.size(), items.size()) << n;
    for (auto& [item, times] : seen) EXPECT_EQ(times, 1) << item;
    auto [lo, hi] = std::minmax_element(per_day.begin(), per_day.end());
    EXPECT_LE(*hi - *lo, 1u) << n;
  }
}

TEST(CountTolerance, UnitsAndPercentOrValue) {
  Thresholds t;  // > 2 units and > 10%, or > 50.00
  EXPECT_FALSE(over_tolerance(18000, 20000, 200, t));  // 2 units
  EXPECT_TRUE(over_tolerance(5000, 20000, 0, t));      // 15 units, 75%
  EXPECT_FALSE(over_tolerance(97000, 100000, 0, t));   // 3 units but 3%
  EXPECT_TRUE(over_tolerance(97000, 100000, 2000, t)); // ... worth 60.00
  EXPECT_TRUE(over_tolerance(3000, 0, 0, t));          // 3 where none were expected
  EXPECT_FALSE(over_tolerance(0, -2000, 0, t));        // 2 units off a negative balance
}

TEST(CountReasons, EachVarianceReasonPostsAsItsMovementWord) {
  for (const auto& w : variance_reasons.words) EXPECT_EQ(stock::word(movement_reason(w.value)), w.text);
}

}  // namespace
}  // namespace backroom::counts
