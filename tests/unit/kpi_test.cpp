// The KPI maths (reports/kpi.hpp) on series worked by hand: each case is one or more
// series over a seven-day period (days 100..106) and the totals and ratios it must give.
#include <gtest/gtest.h>

#include <tuple>

#include "reports/kpi.hpp"

namespace {

using namespace backroom;
using namespace backroom::reports;

constexpr Period week{100, 106};

// Ten on hand (cost 2.00), 4 sold on day 101, 6 on day 103 (out of stock on 103 and 104),
// 5 received on 105, 1 damaged on 106. End-of-day on hand: 10 6 6 0 0 5 4.
Series shelf() {
  Series s;
  s.item_id = "cola";
  s.site_id = "store";
  s.category = "drinks";
  s.stocked = true;
  s.cost = 200;
  s.active_before = true;
  s.opening_milli = 10'000;
  s.days = {{101, -4'000, 4'000, 2'000}, {103, -6'000, 6'000, 3'000}, {105, 5'000, 0, 0}, {106, -1'000, 0, 0}};
  s.shrink = {{106, "damage", 1'000}};
  return s;
}

struct Case {
  const char* name;
  std::vector<Series> series;
  std::int64_t item_days, out_of_stock, sold, end_on_hand, sold_window, net_sales, cogs, inventory_cost_days,
      shrink_cost;
  std::optional<double> stockout, sell_through, days_of_supply, shrink, gmroi;
};

std::vector<Case> cases() {
  Series late = shelf();  // first received on day 103: counted from then on
  late.active_before = false;
  late.opening_milli = 0;
  late.days = {{103, 3'000, 0, 0}};
  late.shrink.clear();

  Series kit = shelf();  // sold, but holds no stock of its own
  kit.stocked = false;
  kit.active_before = false;
  kit.opening_milli = 0;
  kit.cost = std::nullopt;
  kit.days = {{102, 0, 2'000, 1'500}};
  kit.shrink.clear();

  Series lookback = shelf();  // a sale 20 days before the period: only days of supply sees it
  lookback.opening_milli = 12'000;
  lookback.days.insert(lookback.days.begin(), DayFigures{80, -2'000, 2'000, 1'000});

  Series never = shelf();  // on the books, never sold: out of stock all week
  never.opening_milli = 0;
  never.days.clear();
  never.shrink.clear();

  return {
      // 7 item-days, 2 out; 10 sold, 4 left: 10/14; 4 / (10/28) = 11.2 days; shrink 200/5000;
      // GMROI (5000 - 2000) / (31 unit-days x 2.00 / 7 days) = 3000 / 885.714...
      {"one shelf", {shelf()}, 7, 2, 10'000, 4'000, 10'000, 5'000, 2'000, 6'200, 200,
       2.0 / 7, 10.0 / 14, 11.2, 0.04, 3000.0 / (6200.0 / 7)},
      // late: 4 item-days (103..106), none out, 3 on hand, 3 x 4 x 2.00 = 2400 cost-days
      {"counted from its first receipt", {shelf(), late}, 11, 2, 10'000, 7'000, 10'000, 5'000, 2'000, 8'600, 200,
       2.0 / 11, 10.0 / 17, 19.6, 0.04, 3000.0 / (8600.0 / 7)},
      // the kit adds 2 sold and 15.00 of sales, no item-days, no on hand, no cost
      {"a kit sells without stock", {shelf(), kit}, 7, 2, 12'000, 4'000, 12'000, 6'500, 2'000, 6'200, 200,
       2.0 / 7, 12.0 / 16, 4.0 / (12.0 / 28), 200.0 / 6500, 4500.0 / (6200.0 / 7)},
      // 12 opening - 2 sold on day 80 = 10 at the period start, as in "one shelf"
      {"the 28-day window reaches before the period", {lookback}, 7, 2, 10'000, 4'000, 12'000, 5'000, 2'000, 6'200,
       200, 2.0 / 7, 10.0 / 14, 4.0 / (12.0 / 28), 0.04, 3000.0 / (6200.0 / 7)},
      {"nothing on hand, nothing sold", {never}, 7, 7, 0, 0, 0, 0, 0, 0, 0, 1.0, std::nullopt, std::nullopt,
       std::nullopt, std::nullopt},
  };
}

void expect_ratio(std::optional<double> got, std::optional<double> want, const char* what) {
  ASSERT_EQ(got.has_value(), want.has_value()) << what;
  if (want) {
    EXPECT_NEAR(*got, *want, 1e-12) << what;
  }
}

TEST(Kpi, Table) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    KpiAccumulator acc(Grouping::category, week);
    for (const auto& s : c.series) acc.add(s);
    Totals t = acc.total();
    EXPECT_EQ(t.item_days, c.item_days);
    EXPECT_EQ(t.out_of_stock_item_days, c.out_of_stock);
    EXPECT_EQ(t.sold_milli, c.sold);
    EXPECT_EQ(t.end_on_hand_milli, c.end_on_hand);
    EXPECT_EQ(t.sold_window_milli, c.sold_window);
    EXPECT_EQ(t.net_sales, c.net_sales);
    EXPECT_EQ(t.cost_of_goods_sold, c.cogs);
    EXPECT_EQ(t.inventory_cost_days, c.inventory_cost_days);
    EXPECT_EQ(t.shrink_cost, c.shrink_cost);
    EXPECT_EQ(t.period_days, 7);
    expect_ratio(kpi_ratio(t, Kpi::stockout_rate).value(), c.stockout, "stockout_rate");
    expect_ratio(kpi_ratio(t, Kpi::sell_through).value(), c.sell_through, "sell_through");
    expect_ratio(kpi_ratio(t, Kpi::days_of_supply).value(), c.days_of_supply, "days_of_supply");
    expect_ratio(kpi_ratio(t, Kpi::shrink).value(), c.shrink, "shrink");
    expect_ratio(kpi_ratio(t, Kpi::gmroi).value(), c.gmroi, "gmroi");
  }
}

TEST(Kpi, ShrinkByReasonAndGroups) {
  Series a = shelf();
  Series b = shelf();
  b.item_id = "chips";
  b.category = "snacks";
  b.shrink = {{104, "theft", 2'000}, {99, "theft", 5'000}};  // day 99 is before the period
  KpiAccumulator acc(Grouping::category, week);
  acc.add(a);
  acc.add(b);
  ASSERT_EQ(acc.groups().size(), 2u);
  EXPECT_EQ(acc.groups().at("snacks").shrink_by_reason.at("theft"), 400);
  auto t = acc.total();
  EXPECT_EQ(t.shrink_cost, 600);
  EXPECT_EQ(t.shrink_by_reason.at("damage"), 200);
  EXPECT_EQ(t.shrink_by_reason.at("theft"), 400);
}

TEST(Kpi, WorseOrdersWorstFirstAndUnknownLast) {
  EXPECT_TRUE(worse(Kpi::stockout_rate, 0.5, 0.1));
  EXPECT_TRUE(worse(Kpi::sell_through, 0.1, 0.5));
  EXPECT_TRUE(worse(Kpi::gmroi, -1.0, 2.0));
  EXPECT_TRUE(worse(Kpi::days_of_supply, 90.0, 3.0));
  EXPECT_TRUE(worse(Kpi::shrink, 0.02, std::nullopt));
  EXPECT_FALSE(worse(Kpi::shrink, std::nullopt, 0.02));
}

// A whole month (days 100..106 here) from its totals gives every figure its days give: the
// stock month as MonthFigures (opening 10, changes -4 on 101, +1 on 103, -2 on 105: lowest
// running change -5, end-of-day on hand less opening summed -24), its sales as a SoldMonth
// or as days inside the whole stock month, a day after it read day by day.
TEST(Kpi, AWholeMonthFromItsTotalsEqualsItsDays) {
  const Period period{100, 127};  // 28 days: the days-of-supply window is the period
  Series days = shelf();
  days.days = {{101, -4'000, 4'000, 2'000}, {103, 1'000, 0, 0}, {105, -2'000, 2'000, 900}, {110, -2'000, 2'000, 1'000}};
  days.shrink = {{104, "damage", 500}};
  const MonthFigures month{100, 106, -5'000, -5'000, -24'000};
  Series whole = days;
  whole.days = {{110, -2'000, 2'000, 1'000}};
  whole.months = {month};
  whole.sold_months = {{100, 6'000, 2'900}};
  whole.shrink = {{100, "damage", 500}};
  Series mixed = days;  // the stock whole, the sales day by day
  mixed.days = {{101, 0, 4'000, 2'000}, {105, 0, 2'000, 900}, {110, -2'000, 2'000, 1'000}};
  mixed.months = {month};
  mixed.shrink = {{100, "damage", 500}};
  auto totals = [&](const Series& s) {
    Totals t;
    add_series(t, s, period);
    return t;
  };
  const Totals want = totals(days);
  EXPECT_EQ(want.item_days, 28);
  EXPECT_EQ(want.sold_milli, 8'000);
  auto figures = [](const Totals& t) {
    return std::tuple{t.item_days,         t.out_of_stock_item_days, t.sold_milli,          t.end_on_hand_milli,
                      t.sold_window_milli, t.net_sales,              t.cost_of_goods_sold, t.inventory_cost_days,
                      t.shrink_cost,       t.shrink_by_reason};
  };
  EXPECT_EQ(figures(totals(whole)), figures(want));
  EXPECT_EQ(figures(totals(mixed)), figures(want));
  // A whole month the store should have read day by day (it runs out) is a bug: it stops.
  Series empty = whole;
  empty.opening_milli = 5'000;
  EXPECT_DEATH(totals(empty), "kpi\\.cpp:[0-9]+: assertion failed: a whole month of a stocked series ends each day with stock");
}

TEST(Kpi, Days) {
  struct {
    const char* text;
    std::optional<Day> day;
  } table[] = {{"1970-01-01", 0},          {"2026-12-02", 20'789},  {"2024-02-29", 19'782},
               {"2026-02-29", std::nullopt}, {"2026-13-01", std::nullopt}, {"2026-1-01", std::nullopt},
               {"26-12-02", std::nullopt},   {"2026-12-02x", std::nullopt}, {"", std::nullopt}};
  for (const auto& row : table) {
    EXPECT_EQ(parse_day(row.text), row.day) << row.text;
    if (row.day) {
      EXPECT_EQ(format_day(*row.day), row.text);
    }
  }
  EXPECT_EQ(day_of(Timestamp{20'789 * day_micros + 5}), 20'789);
  EXPECT_EQ(day_of(Timestamp{-1}), -1);
}

}  // namespace
