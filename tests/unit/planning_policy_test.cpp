// The replenishment policy's maths as tables: z from the service level, σ with lead-time
// variance, rounding to packs and MOQ, the supplier top-up, and the reason text.
#include "planning/policy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "planning/explain.hpp"
#include "planning/forecast.hpp"

namespace {

using namespace backroom::planning;

const Day monday = Day{std::chrono::year{2026} / 11 / 2};

// Standard normal quantiles as printed in any table (e.g. NIST/SEMATECH e-Handbook of
// Statistical Methods, 1.3.6.7.1, "Cumulative distribution function of the standard normal").
TEST(PlanningPolicy, ZFromServiceLevelMatchesTheNormalTable) {
  struct Row {
    double service_level, z;
  } rows[] = {{0.50, 0.0}, {0.80, 0.8416}, {0.90, 1.2816}, {0.95, 1.6449}, {0.975, 1.9600}, {0.98, 2.0537},
              {0.99, 2.3263}, {0.995, 2.5758}, {0.999, 3.0902}, {0.05, -1.6449}};
  for (auto r : rows) EXPECT_NEAR(z_for_service_level(r.service_level), r.z, 5e-5) << r.service_level;
}

TEST(PlanningPolicy, ZIsTheInverseOfTheNormalDistribution) {
  for (double p = 1e-12; p < 1; p = p < 0.01 ? p * 10 : p + 0.01) {
    double z = z_for_service_level(p);
    double back = 0.5 * std::erfc(-z / std::sqrt(2.0));
    EXPECT_NEAR(back / p, 1.0, 1e-12) << p;
  }
}

TEST(PlanningPolicy, InventoryPositionCountsEverythingOwedBothWays) {
  StockPosition st{12, 24, 5, 3, 2};
  EXPECT_DOUBLE_EQ(st.inventory_position(), 36);
}

TEST(PlanningPolicy, RoundsUpToCasesThenToTheMoq) {
  struct Row {
    double units, case_pack, moq, expected;
  } rows[] = {
      {0, 6, 0, 0},      {-3, 6, 0, 0},    {15, 6, 0, 18},   {18, 6, 0, 18},   {18.0000000001, 6, 0, 18},
      {1, 1, 0, 1},      {0.4, 1, 0, 1},   {2.5, 0.5, 0, 2.5}, {5, 6, 24, 24}, {5, 6, 20, 24},
      {25, 6, 24, 30},   {3, 1, 10, 10},   {13, 12, 0, 24},
  };
  for (auto r : rows)
    EXPECT_DOUBLE_EQ(round_to_packing(r.units, Packing{r.case_pack, r.moq}), r.expected)
        << r.units << " in packs of " << r.case_pack << ", moq " << r.moq;
}

PolicyInput input(double lead_days, double lead_sd_days) {  // R = 7 days, 95 %
  PolicyInput in;
  in.today = monday;
  in.lead_time = {lead_days, lead_sd_days};
  in.review_days = 7;
  in.service_level = 0.95;
  return in;
}

Forecast flat(double per_day, double sigma_per_day, int residuals = 10'000) {
  Forecast f;
  f.method = Method::level_weekday_ses;
  f.mean_per_day = per_day;
  f.sigma_per_day = sigma_per_day;
  f.promo_sigma_per_day = sigma_per_day;
  f.residuals = residuals;
  return f;
}

// σ = √((L+R)·σ_d² + d²·σ_L²): d = 10/day, σ_d = 3, L = 5, R = 7, σ_L = 2
// → √(12·9 + 100·4) = √508 = 22.539; with many residuals z_effective → z.
TEST(PlanningPolicy, SigmaCombinesForecastErrorAndLeadTimeVariance) {
  PolicyInput in = input(5, 2);
  in.measure = ServiceMeasure::cycle;
  auto s = suggest(flat(10, 3), in);
  EXPECT_NEAR(s.demand_over_protection, 120, 1e-9);
  EXPECT_NEAR(s.sigma, std::sqrt(508.0), 1e-9);
  EXPECT_NEAR(s.sigma_effective, s.sigma, 1e-3 * s.sigma);
  EXPECT_NEAR(s.z, 1.6449, 5e-5);
  EXPECT_DOUBLE_EQ(s.safety_factor, s.z);
  EXPECT_NEAR(s.safety_stock, s.z * s.sigma_effective, 1e-9);
  // Whole units with the continuity correction: 120 + 37.07 − ½ → 157.
  EXPECT_DOUBLE_EQ(s.order_up_to, std::round(120 + s.safety_stock - 0.5));
  EXPECT_DOUBLE_EQ(s.order_up_to, 157);
  EXPECT_EQ(s.decision, Decision::order);
  EXPECT_DOUBLE_EQ(s.quantity, s.order_up_to);
}

// With σ_d estimated from n residuals the error is Student-t(n−1) scaled by √(1+1/n); the
// sd of t(ν) is √(ν/(ν−2)): n = 10 → √1.1·√(9/7); n below 4 counts as 4 → √1.25·√3.
TEST(PlanningPolicy, FewResidualsWidenTheSafetyStock) {
  PolicyInput in = input(7, 0);
  auto ten = suggest(flat(4, 2, 10), in);
  EXPECT_NEAR(ten.sigma_effective / ten.sigma, std::sqrt(1.1 * 9 / 7), 1e-12);
  auto two = suggest(flat(4, 2, 2), in);
  EXPECT_NEAR(two.sigma_effective / two.sigma, std::sqrt(1.25 * 3), 1e-12);
  EXPECT_GT(two.safety_stock, ten.safety_stock);
}

// The standard normal loss function G(k) = φ(k) − k(1 − Φ(k)) as tabulated (Silver, Pyke &
// Peterson 1998, Appendix B): G(0) = 0.3989, G(0.5) = 0.1978, G(1) = 0.08332,
// G(1.5) = 0.02931, G(2) = 0.008491, G(3) = 0.0003822.
TEST(PlanningPolicy, NormalLossMatchesTheTable) {
  struct Row {
    double k, g;
  } rows[] = {{0, 0.3989}, {0.5, 0.1978}, {1, 0.08332}, {1.5, 0.02931}, {2, 0.008491}, {3, 0.0003822}};
  for (auto r : rows) EXPECT_NEAR(normal_loss(r.k), r.g, 1e-4 * std::max(1.0, r.g * 10)) << r.k;
}

// Fill rate β: the safety factor k solves G(k)·σ = d·R·(1−β). d = 10/day, R = 7, L = 7,
// σ_d = 5 (many residuals): σ = √14·5 = 18.708; target G = 70·0.05/18.708 = 0.18708
// → k = 0.5355 (φ(0.5355) = 0.3457, 1 − Φ(0.5355) = 0.2961: 0.3457 − 0.5355·0.2961 = 0.1871).
TEST(PlanningPolicy, FillRateSafetyFactorSolvesTheLossEquation) {
  PolicyInput in = input(7, 0);
  auto s = suggest(flat(10, 5), in);
  double sigma = s.sigma_effective;
  EXPECT_NEAR(normal_loss(s.safety_factor) * sigma, 70 * 0.05, 1e-9);
  EXPECT_NEAR(s.safety_factor, 0.5355, 1e-3);
  // When the review cycle's demand dwarfs σ, 95 % are served below the mean over L+R: k < 0.
  auto steady = suggest(flat(100, 10), in);
  EXPECT_LT(steady.safety_factor, 0);
  EXPECT_NEAR(normal_loss(steady.safety_factor) * steady.sigma_effective, 700 * 0.05, 1e-9);
}

TEST(PlanningPolicy, OrdersOnlyBelowTheReorderPointAndNeverDiscontinued) {
  PolicyInput in = input(2, 0);
  in.stock.on_hand = 20;
  in.reorder_point = 15;
  EXPECT_EQ(suggest(flat(4, 1), in).decision, Decision::above_reorder_point);
  in.reorder_point = 25;
  EXPECT_EQ(suggest(flat(4, 1), in).decision, Decision::order);
  in.discontinued = true;
  auto s = suggest(flat(4, 1), in);
  EXPECT_EQ(s.decision, Decision::discontinued);
  EXPECT_EQ(s.quantity, 0);
  in.discontinued = false;
  in.reorder_point.reset();
  in.stock.on_hand = 500;
  EXPECT_EQ(suggest(flat(4, 1), in).decision, Decision::enough_stock);
}

TEST(PlanningPolicy, KnownPromotionsAheadRaiseTheOrderUpToLevel) {
  Forecast f = flat(10, 0);
  f.promo_uplift = 3;
  PolicyInput in = input(7, 0);
  double plain = suggest(f, in).demand_over_protection;
  in.promos = {{monday + std::chrono::days{8}, monday + std::chrono::days{14}, std::nullopt}};  // the second week of the horizon
  EXPECT_NEAR(plain, 140, 1e-9);
  EXPECT_NEAR(suggest(f, in).demand_over_protection, 70 + 7 * 30, 1e-9);
}

TEST(PlanningPolicy, TopUpAddsCasesToTheLeastCoveredItemsUntilTheMinimum) {
  Suggestion a, b, c;
  a.quantity = 6, a.position = 10, a.decision = Decision::order;  // cover (10+6)/4 = 4 days
  b.quantity = 0, b.position = 2;                                 // cover 2/1 = 2 days
  c.quantity = 0, c.position = 0;                                 // discontinued
  TopUpLine lines[] = {{&a, 250, {6, 0}, 4, false}, {&b, 1000, {1, 3}, 1, false}, {&c, 100, {1, 0}, 10, true}};
  auto r = top_up(lines, SupplierTerms{10'000, 0});
  EXPECT_EQ(r.target, TopUpTarget::min_order_value);
  EXPECT_EQ(r.value_before, 1'500);
  // b first (2 days): MOQ 3 → value 4,500, cover 5; then a (4 days): +6 → 6,000, cover 5.5;
  // b (5): +1 → 7,000, cover 6; a (5.5): +6 → 8,500, cover 7; b (6): +1 → 9,500, cover 7;
  // a and b tie at 7 days, the first listed wins: a +6 → 11,000.
  EXPECT_EQ(r.value_after, 11'000);
  EXPECT_TRUE(r.reached);
  EXPECT_DOUBLE_EQ(a.quantity, 24);
  EXPECT_DOUBLE_EQ(a.topped_up, 18);
  EXPECT_DOUBLE_EQ(b.quantity, 5);
  EXPECT_DOUBLE_EQ(c.quantity, 0);
}

TEST(PlanningPolicy, TopUpLeavesAnEmptyOrderOrOneAboveTheValueAlone) {
  Suggestion a;
  TopUpLine lines[] = {{&a, 250, {6, 0}, 4, false}};
  EXPECT_EQ(top_up(lines, {10'000, 20'000}).target, TopUpTarget::none);
  a.quantity = 60;
  EXPECT_EQ(top_up(lines, {10'000, 0}).target, TopUpTarget::none);
  EXPECT_EQ(top_up(lines, {10'000, 20'000}).target, TopUpTarget::free_freight_value);
  EXPECT_DOUBLE_EQ(a.quantity, 84);
}

TEST(PlanningExplain, ReadsLikeTheIssue) {
  Forecast f = flat(4.2, 1);
  f.granularity = Granularity::daily;
  f.weekday_profile = {1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75};
  PolicyInput in = input(2, 0);
  in.stock = {12, 24, 0, 0, 0};
  in.packing = {6, 0};
  Suggestion s;
  s.decision = Decision::order;
  s.protection_days = 9;
  s.order_up_to = 51;
  s.position = 36;
  s.shortfall = 15;
  s.quantity = 18;
  s.cases = 3;
  EXPECT_EQ(reason_text(f, in, s),
            "Sells about 4.2 a day (weekdays more); the next delivery after this one arrives in 9 days; keeping 95% "
            "of customers served needs 51; you have 12 and 24 on order; 15 rounded up to 3 cases of 6 = 18.");
  s.quantity = 24;
  s.cases = 4;
  s.topped_up = 6;
  EXPECT_EQ(reason_text(f, in, s, {TopUpTarget::min_order_value, "150.00"}),
            "Sells about 4.2 a day (weekdays more); the next delivery after this one arrives in 9 days; keeping 95% "
            "of customers served needs 51; you have 12 and 24 on order; 15 rounded up to 3 cases of 6 = 18. "
            "Topped up by 6 to 24 to reach the supplier's minimum order of 150.00.");
}

TEST(PlanningExplain, SaysWhyNothingIsOrdered) {
  PolicyInput in = input(7, 0);
  in.stock.on_hand = 400;
  auto s = suggest(flat(0.5, 0.5), in);
  EXPECT_EQ(reason_text(flat(0.5, 0.5), in, s),
            "Sells about 3.5 a week; the next delivery after this one arrives in 14 days; keeping 95% of customers "
            "served needs " +
                std::to_string(static_cast<int>(s.order_up_to)) + "; you have 400; no order needed.");
  in.discontinued = true;
  EXPECT_EQ(reason_text(flat(0.5, 0.5), in, suggest(flat(0.5, 0.5), in)), "Discontinued: never reordered.");
}

}  // namespace
