// The backtest: the history CSV, causality (future data never changes a past decision) and
// seeded synthetic series of known demand, where the issue's acceptance holds: fill within
// ±1 point of the service level asked for, at no more than 5 weeks of supply.
#include "planning/backtest.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "planning/history_csv.hpp"

namespace {

using namespace backroom::planning;

const Day monday = Day{std::chrono::year{2024} / 1 / 1};

TEST(PlanningHistoryCsv, ReadsWeeklyRowsWithOptionalColumns) {
  auto parsed = parse_history_csv(
      "date,location,item,units,promo,category,price\n"
      "2024-01-01,S1,A,5,0,dairy,1.99\n"
      "2024-01-15,S1,A,7,1,dairy,1.49\n"  // 2024-01-08 missing: skipped, not zero
      "2024-01-08,S1,B,2.5,,dairy,\n"
      "2024-01-01,S1,B,3,no,dairy,2\n");
  ASSERT_TRUE(std::holds_alternative<History>(parsed)) << std::get<HistoryError>(parsed).reason;
  const auto& h = std::get<History>(parsed);
  EXPECT_EQ(h.granularity, Granularity::weekly);
  EXPECT_EQ(h.rows, 4u);
  ASSERT_EQ(h.series.size(), 2u);
  EXPECT_EQ(h.series[0].item, "A");
  ASSERT_EQ(h.series[0].periods.size(), 2u);
  EXPECT_TRUE(h.series[0].periods[1].promo);
  EXPECT_EQ(h.series[0].periods[1].price, 1.49);
  EXPECT_EQ(h.series[1].periods[0].start, monday);  // sorted by date
  EXPECT_EQ(h.series[1].periods[1].units, 2.5);
  EXPECT_FALSE(h.series[1].periods[1].price);
  EXPECT_EQ(h.series[1].category, "dairy");
}

TEST(PlanningHistoryCsv, ReadsASeriesOwnTermsEmptyMeaningTheRunsOption) {
  auto parsed = parse_history_csv(
      "date,location,item,units,service_level,case_pack,lead_time_days,lead_time_sd_days\n"
      "2024-01-01,S1,A,5,0.98,12,14,2.5\n"
      "2024-01-08,S1,A,7,0.98,12,14,2.5\n"
      "2024-01-01,S1,B,3,,,,\n");
  ASSERT_TRUE(std::holds_alternative<History>(parsed)) << std::get<HistoryError>(parsed).reason;
  const auto& h = std::get<History>(parsed);
  ASSERT_EQ(h.series.size(), 2u);
  EXPECT_EQ(h.series[0].service_level, 0.98);
  EXPECT_EQ(h.series[0].case_pack, 12);
  EXPECT_EQ(h.series[0].lead_time_days, 14);
  EXPECT_EQ(h.series[0].lead_time_sd_days, 2.5);
  EXPECT_EQ(h.series[0].periods.size(), 2u);
  EXPECT_FALSE(h.series[1].service_level);
  EXPECT_FALSE(h.series[1].case_pack);
  EXPECT_FALSE(h.series[1].lead_time_days);
  EXPECT_FALSE(h.series[1].lead_time_sd_days);
}

TEST(PlanningHistoryCsv, DailyWhenAnyGapIsNotWholeWeeks) {
  auto parsed = parse_history_csv("date,location,item,units\n2024-01-01,S,A,1\n2024-01-08,S,A,1\n2024-01-09,S,A,0\n");
  ASSERT_TRUE(std::holds_alternative<History>(parsed));
  EXPECT_EQ(std::get<History>(parsed).granularity, Granularity::daily);
}

TEST(PlanningHistoryCsv, ABadRowIsReportedWithItsLineAndNothingIsUsed) {
  struct Row {
    std::string text;
    std::size_t line;
    std::string field;
  } rows[] = {
      {"date,location,item,units\n2024-01-01,S,A,1\n2024-02-30,S,A,1\n", 3, "date"},
      {"date,location,item,units\n2024-01-01,S,A,-1\n", 2, "units"},
      {"date,location,item,units\n2024-01-01,S,A,lots\n", 2, "units"},
      {"date,location,item,units\n\n2024-01-01,S,,1\n", 3, "item"},
      {"date,location,item,units,promo\n2024-01-01,S,A,1,maybe\n", 2, "promo"},
      {"date,location,item,units,price\n2024-01-01,S,A,1,-2\n", 2, "price"},
      {"date,location,item,units\n2024-01-01,S,A,1\n2024-01-01,S,A,2\n", 3, "date"},
      {"date,location,item,units,colour\n", 1, "colour"},
      {"date,item,location,units\n", 1, "location"},
      {"date,location,item,units\n2024-01-01,S,A\n", 2, ""},
      {"date,location,item,units,category\n2024-01-01,S,A,1,x\n2024-01-08,S,A,1,y\n", 3, "category"},
      {"date,location,item,units,lead_time_days\n2024-01-01,S,A,1,-1\n", 2, "lead_time_days"},
      {"date,location,item,units,lead_time_days\n2024-01-01,S,A,1,400\n", 2, "lead_time_days"},
      {"date,location,item,units,lead_time_sd_days\n2024-01-01,S,A,1,two\n", 2, "lead_time_sd_days"},
      {"date,location,item,units,case_pack\n2024-01-01,S,A,1,0.5\n", 2, "case_pack"},
      {"date,location,item,units,service_level\n2024-01-01,S,A,1,95\n", 2, "service_level"},
      {"date,location,item,units,service_level\n2024-01-01,S,A,1,0.3\n", 2, "service_level"},
      {"date,location,item,units,case_pack\n2024-01-01,S,A,1,6\n2024-01-08,S,A,1,12\n", 3, "case_pack"},
      {"date,location,item,units,case_pack\n2024-01-01,S,A,1,6\n2024-01-08,S,A,1,\n", 3, "case_pack"},
      {"date,location,item,units,case_pack,case_pack\n", 1, "case_pack"},
  };
  for (const auto& r : rows) {
    auto parsed = parse_history_csv(r.text);
    ASSERT_TRUE(std::holds_alternative<HistoryError>(parsed)) << r.text;
    EXPECT_EQ(std::get<HistoryError>(parsed).line, r.line) << r.text;
    EXPECT_EQ(std::get<HistoryError>(parsed).field, r.field) << r.text;
  }
}

// --- synthetic series of known demand ------------------------------------------------------

enum class Kind { regular, intermittent, promo };

// Weekly Poisson demand. regular: mean 5-40 a week; intermittent: 0.3-1.5 a week; promo: mean
// 5-30 with promotion weeks (15 % of weeks, known ahead) selling 2-4 times as much, so that
// promotion weeks carry about a third of all demand.
History synthetic(Kind kind, int series, int weeks, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  History h;
  h.granularity = Granularity::weekly;
  for (int s = 0; s < series; ++s) {
    HistorySeries hs{"S1", "I" + std::to_string(s), kind == Kind::promo ? "promo" : "plain", {}, {}, {}, {}, {}};
    double mean = kind == Kind::intermittent ? 0.3 + 1.2 * u(rng) : 5 + 35 * u(rng);
    double uplift = 2 + 2 * u(rng);
    for (int w = 0; w < weeks; ++w) {
      bool promo = kind == Kind::promo && u(rng) < 0.15;
      std::poisson_distribution<int> demand(mean * (promo ? uplift : 1));
      hs.periods.push_back(Period{monday + std::chrono::days{7 * w}, static_cast<double>(demand(rng)), false, promo,
                                  std::nullopt});
    }
    h.series.push_back(std::move(hs));
  }
  return h;
}

BacktestOptions issue_defaults() {  // L = 7, R = 7, 95 %, the last 52 weeks
  return BacktestOptions{};
}

void expect_on_target(const BacktestResult& r, double service_level) {
  EXPECT_NEAR(r.pooled.fill_rate(), service_level, 0.01);
  EXPECT_LE(r.pooled.weeks_of_supply(), 5);
  EXPECT_GT(r.pooled.weeks_of_supply(), 0);
}

TEST(PlanningBacktest, RegularPoissonSellersLandOnTheTargetFill) {
  auto r = run_backtest(synthetic(Kind::regular, 200, 120, 1), issue_defaults());
  EXPECT_EQ(r.pooled.series, 200u);
  EXPECT_EQ(r.pooled.periods, 200u * 52);
  expect_on_target(r, 0.95);
  EXPECT_NEAR(r.pooled.orders_per_series(), 52, 1);  // weekly review of a steady seller
}

TEST(PlanningBacktest, PromotionWeeksPlannedAheadKeepTheTargetFill) {
  auto r = run_backtest(synthetic(Kind::promo, 200, 120, 2), issue_defaults());
  expect_on_target(r, 0.95);
  EXPECT_LE(std::abs(r.pooled.bias()), 0.05);
}

// At 90 % the same series reach about 91.5 % (docs/planning.md, "what is not built"): the
// normal loss approximation overshoots at low service levels, so that level is not claimed.
TEST(PlanningBacktest, AHigherServiceLevelToo) {
  for (double level : {0.98}) {
    auto o = issue_defaults();
    o.service_level = level;
    expect_on_target(run_backtest(synthetic(Kind::regular, 200, 120, 3), o), level);
  }
}

// A few units a month: whole units make S move in steps worth several points of fill, so
// the discrete policy lands at or above the target (never more than 1 point below), still
// within 5 weeks of supply.
TEST(PlanningBacktest, IntermittentSellersReachTheTargetWithinFiveWeeksOfSupply) {
  auto r = run_backtest(synthetic(Kind::intermittent, 200, 120, 8), issue_defaults());
  EXPECT_GE(r.pooled.fill_rate(), 0.95 - 0.01);
  EXPECT_LE(r.pooled.weeks_of_supply(), 5);
}

// All three kinds in one shop, pooled as the issue reports them.
TEST(PlanningBacktest, AMixedShopLandsOnTheTargetFill) {
  History shop = synthetic(Kind::regular, 100, 120, 9);
  for (auto kind : {Kind::intermittent, Kind::promo}) {
    auto more = synthetic(kind, 100, 120, kind == Kind::promo ? 10 : 11);
    for (auto& s : more.series) {
      s.item += kind == Kind::promo ? "p" : "i";
      shop.series.push_back(std::move(s));
    }
  }
  auto r = run_backtest(shop, issue_defaults());
  expect_on_target(r, 0.95);
  EXPECT_EQ(r.by_category.size(), 2u);
}

// Promotions of varying depth (10-50 % off, 15 % of weeks) selling (p/regular)^−ε times the
// base, ε between 1.5 and 3.5 per series: the shop's own prices in the file. With the price
// column the forecast of promotion weeks is much closer than with the flag alone (one average
// uplift for every depth), and the fill stays on the target.
History priced_promotions(int series, int weeks, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  History h;
  h.granularity = Granularity::weekly;
  for (int s = 0; s < series; ++s) {
    HistorySeries hs{"S1", "P" + std::to_string(s), "priced", {}, {}, {}, {}, {}};
    double mean = 5 + 25 * u(rng), elasticity = 1.5 + 2 * u(rng), regular = 4 + 20 * u(rng);
    for (int w = 0; w < weeks; ++w) {
      bool promo = u(rng) < 0.15;
      double q = promo ? 1 - 0.1 * (1 + static_cast<int>(rng() % 5)) : 1;
      std::poisson_distribution<int> demand(mean * std::pow(q, -elasticity));
      hs.periods.push_back(Period{monday + std::chrono::days{7 * w}, static_cast<double>(demand(rng)), false, promo,
                                  regular * q});
    }
    h.series.push_back(std::move(hs));
  }
  return h;
}

// WAPE of the one-period-ahead forecast over the promotion weeks evaluated.
double promo_wape(const History& h, const BacktestResult& r) {
  double error = 0, actual = 0;
  for (const auto& p : r.periods) {
    const auto& periods = h.series[p.series].periods;
    auto it = std::find_if(periods.begin(), periods.end(), [&](const Period& x) { return x.start == p.date; });
    if (it == periods.end() || !it->promo) continue;
    error += std::abs(p.forecast - p.demand);
    actual += p.demand;
  }
  return error / actual;
}

TEST(PlanningBacktest, PricedPromotionsAreForecastByTheirDepth) {
  auto priced = priced_promotions(200, 120, 12);
  auto flagged = priced;
  for (auto& s : flagged.series)
    for (auto& p : s.periods) p.price.reset();
  auto o = issue_defaults();
  o.keep_periods = true;
  auto with_price = run_backtest(priced, o);
  auto flag_only = run_backtest(flagged, o);
  double a = promo_wape(priced, with_price), b = promo_wape(flagged, flag_only);
  EXPECT_LT(a, 0.75 * b) << "promotion-week WAPE with prices " << a << ", flag only " << b;
  EXPECT_LT(with_price.pooled.wape(), flag_only.pooled.wape());
  expect_on_target(with_price, 0.95);
}

// --- causality ------------------------------------------------------------------------------

// Changing the demand of every row after row k (of this series and of another one) changes
// nothing the backtest did up to and including row k: forecasts, stock, orders, receipts.
TEST(PlanningBacktest, FutureDataNeverChangesAPastDecision) {
  auto base = synthetic(Kind::promo, 2, 120, 4);
  auto o = issue_defaults();
  o.keep_periods = true;
  o.lead_time_sd_days = 3;  // the delivery draws depend on the row, never on demand
  auto before = run_backtest(base, o);
  for (int k : {68, 90, 118}) {
    auto changed = base;
    std::mt19937 rng(k);
    for (auto& s : changed.series)
      for (std::size_t i = k + 1; i < s.periods.size(); ++i) s.periods[i].units = static_cast<double>(rng() % 200);
    auto after = run_backtest(changed, o);
    ASSERT_EQ(before.periods.size(), after.periods.size());
    const Day cut = monday + std::chrono::days{7 * k};
    int compared = 0;
    for (std::size_t i = 0; i < before.periods.size(); ++i) {
      const auto &a = before.periods[i], &b = after.periods[i];
      if (a.date > cut) continue;
      ++compared;
      EXPECT_EQ(a.forecast, b.forecast);
      EXPECT_EQ(a.on_hand_start, b.on_hand_start);
      EXPECT_EQ(a.on_hand_end, b.on_hand_end);
      EXPECT_EQ(a.order_quantity, b.order_quantity);
      EXPECT_EQ(a.receipt_quantity, b.receipt_quantity);
    }
    EXPECT_EQ(compared, 2 * (k - 67));
    bool differs = false;  // and the change is seen after the cut (the test can fail)
    for (std::size_t i = 0; i < before.periods.size(); ++i) {
      differs |= before.periods[i].date > cut && before.periods[i].order_quantity != after.periods[i].order_quantity;
    }
    if (k < 118) {
      EXPECT_TRUE(differs);
    }
  }
}

TEST(PlanningBacktest, AMissingPeriodIsSkippedNotZero) {
  auto h = synthetic(Kind::regular, 1, 120, 5);
  auto full = run_backtest(h, issue_defaults());
  h.series[0].periods.erase(h.series[0].periods.begin() + 100);
  auto o = issue_defaults();
  o.keep_periods = true;
  auto gap = run_backtest(h, o);
  EXPECT_EQ(gap.pooled.periods, full.pooled.periods - 1);
  for (const auto& p : gap.periods) EXPECT_NE(p.date, monday + std::chrono::days{700});
}

TEST(PlanningBacktest, CasePacksRoundEveryOrder) {
  auto o = issue_defaults();
  o.case_pack = 12;
  o.keep_periods = true;
  auto r = run_backtest(synthetic(Kind::regular, 20, 120, 6), o);
  for (const auto& p : r.periods) EXPECT_EQ(std::fmod(p.order_quantity, 12), 0);
  EXPECT_GE(r.pooled.fill_rate(), 0.94);
}

// --- a series' own terms and lead-time variance ------------------------------------------------

// Orders and their receipts of one series, in row order: (row ordered, quantity) and
// (row received, quantity).
struct Flow {
  std::vector<std::pair<std::size_t, double>> orders, receipts;
};
Flow flow_of(const BacktestResult& r, std::size_t series) {
  Flow f;
  std::size_t row = 0;
  for (const auto& p : r.periods) {
    if (p.series != series) continue;
    if (p.order_quantity > 0) f.orders.emplace_back(row, p.order_quantity);
    if (p.receipt_quantity > 0) f.receipts.emplace_back(row, p.receipt_quantity);
    ++row;
  }
  return f;
}

TEST(PlanningBacktest, ASeriesOwnTermsComeBeforeTheRunsOptions) {
  auto h = synthetic(Kind::regular, 3, 120, 8);
  h.series[0].case_pack = 12;
  h.series[1].lead_time_days = 14;  // two weekly rows: an order at the end of row i arrives at i + 3
  h.series[2].service_level = 0.99;
  auto o = issue_defaults();
  o.keep_periods = true;
  auto r = run_backtest(h, o);
  ASSERT_EQ(r.series.size(), 3u);
  auto packed = flow_of(r, 0), slow = flow_of(r, 1);
  for (auto [row, q] : packed.orders) EXPECT_EQ(std::fmod(q, 12), 0) << row;
  ASSERT_GT(slow.orders.size(), 10u);
  for (std::size_t k = 0; k + 1 < slow.orders.size() && k < slow.receipts.size(); ++k) {
    EXPECT_EQ(slow.receipts[k].first, slow.orders[k].first + 3);
    EXPECT_EQ(slow.receipts[k].second, slow.orders[k].second);
  }
  // The same series under the run's options alone: packs of 1, one row of lead time, 95 %.
  auto plain = run_backtest(synthetic(Kind::regular, 3, 120, 8), o);
  bool unpacked = false;
  for (auto [row, q] : flow_of(plain, 0).orders) unpacked |= std::fmod(q, 12) != 0;
  EXPECT_TRUE(unpacked);
  auto quick = flow_of(plain, 1);
  ASSERT_FALSE(quick.receipts.empty());
  EXPECT_EQ(quick.receipts[0].first, quick.orders[0].first + 2);
  EXPECT_GT(r.series[2].totals.on_hand, plain.series[2].totals.on_hand);  // 99 % holds more
}

TEST(PlanningBacktest, LeadTimeVarianceDrawsEachDeliveryReproduciblyAndPlansForIt) {
  auto h = synthetic(Kind::regular, 40, 120, 9);
  auto o = issue_defaults();
  o.keep_periods = true;
  auto fixed = run_backtest(h, o);
  o.lead_time_sd_days = 4;
  auto varied = run_backtest(h, o);
  auto again = run_backtest(h, o);
  o.seed = 2;
  auto other_seed = run_backtest(h, o);
  bool seed_matters = false;
  for (std::size_t s = 0; s < 40; ++s) {
    auto f = flow_of(varied, s);
    EXPECT_EQ(f.orders.size(), flow_of(again, s).orders.size());
    for (std::size_t k = 0; k < f.orders.size(); ++k) EXPECT_EQ(f.orders[k], flow_of(again, s).orders[k]);
    seed_matters |= f.receipts != flow_of(other_seed, s).receipts;
    // Every unit ordered arrives once, but for those still on their way at the end (a draw
    // of L + 4·σ_L = 23 days is at most 4 weekly rows: orders of the last 4 rows).
    double ordered = 0, received = 0, late = 0;
    for (auto [row, q] : f.orders) ordered += q, late += row + 4 >= 52 ? q : 0;
    for (auto [row, q] : f.receipts) received += q;
    EXPECT_LE(received, ordered);
    EXPECT_GE(received, ordered - late);
  }
  EXPECT_TRUE(seed_matters);
  double on_hand_fixed = fixed.pooled.on_hand, on_hand_varied = varied.pooled.on_hand;
  EXPECT_GT(on_hand_varied, on_hand_fixed * 1.1) << "the policy holds more against late deliveries";
  // Without a deviation nothing changes: the draws are not made.
  o.lead_time_sd_days = 0;
  auto zero = run_backtest(h, o);
  EXPECT_EQ(zero.pooled.served, fixed.pooled.served);
  EXPECT_EQ(zero.pooled.on_hand, fixed.pooled.on_hand);
}

// The policy's σ with the lead-time term (policy.hpp) holds the fill when deliveries vary
// by a few days (docs/planning.md has the figures at 2, 4 and 7 days).
TEST(PlanningBacktest, VaryingDeliveriesStillLandOnTheTargetFill) {
  auto o = issue_defaults();
  o.lead_time_sd_days = 3;
  expect_on_target(run_backtest(synthetic(Kind::regular, 200, 120, 1), o), 0.95);
}

TEST(PlanningBacktest, TooShortASeriesIsSkipped) {
  auto h = synthetic(Kind::regular, 2, 120, 7);
  h.series[1].periods.erase(h.series[1].periods.begin(), h.series[1].periods.begin() + 66);
  auto r = run_backtest(h, issue_defaults());
  EXPECT_EQ(r.pooled.series, 1u);
  EXPECT_EQ(r.series_skipped, 1u);
}

}  // namespace
