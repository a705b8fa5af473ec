// Forecast maths on small series whose answers are worked by hand: Croston/SBA, SES with a
// weekday profile, censored periods, promotion uplift (own and the category's), own-price
// elasticity from priced promotions.
#include "planning/forecast.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace backroom::planning;

const Day monday = Day{std::chrono::year{2026} / 1 / 5};

std::vector<Period> weekly(const std::vector<double>& units) {
  std::vector<Period> out;
  for (std::size_t i = 0; i < units.size(); ++i)
    out.push_back(Period{monday + std::chrono::days{7 * static_cast<int>(i)}, units[i], false, false, std::nullopt});
  return out;
}

// Croston (1972) updates size and interval only when demand occurs; Syntetos & Boylan (2005,
// "The accuracy of intermittent demand estimates", IJF 21(2) 303-314) multiply z/p by
// (1 − α/2). Weeks 0 0 4 0 2 0 0 0 6 0, α = 0.1, initialised on the first demand (size 4,
// interval 3): after week 5 size 3.8, interval 2.9; after week 9 size 4.02, interval 3.01;
// SBA = 0.95 · 4.02 / 3.01 = 1.26877 a week.
TEST(PlanningForecast, SbaOnAWorkedExample) {
  auto h = weekly({0, 0, 4, 0, 2, 0, 0, 0, 6, 0});
  FitOptions o;
  o.alpha = 0.1;
  auto f = fit(h, Granularity::weekly, o);
  EXPECT_EQ(f.method, Method::croston_sba);
  EXPECT_NEAR(f.mean_per_day * 7, 0.95 * 4.02 / 3.01, 1e-12);
  EXPECT_NEAR(f.period_forecast(monday + std::chrono::days{70}, false), 0.95 * 4.02 / 3.01, 1e-12);
}

TEST(PlanningForecast, RegularSellerUsesSmoothingOnTheLevel) {
  // 10 10 10 10 then 20: SES with α = 0.2 → 10 + 0.2·10 = 12 a week.
  auto h = weekly({10, 10, 10, 10, 20});
  FitOptions o;
  o.alpha = 0.2;
  auto f = fit(h, Granularity::weekly, o);
  EXPECT_EQ(f.method, Method::level_weekday_ses);
  EXPECT_NEAR(f.mean_per_day * 7, 12, 1e-12);
  // One-step errors after the 2-period warm-up: 0, 0, 10 → σ_week = √(100/3).
  EXPECT_NEAR(f.sigma_per_day * std::sqrt(7.0), std::sqrt(100.0 / 3), 1e-9);
  EXPECT_EQ(f.residuals, 3);
}

TEST(PlanningForecast, CensoredPeriodsNeverTeachZeroDemand) {
  auto h = weekly({10, 10, 10, 10, 0, 0, 0});
  for (int i = 4; i < 7; ++i) h[i].censored = true;
  auto f = fit(h, Granularity::weekly);
  EXPECT_NEAR(f.mean_per_day * 7, 10, 1e-12);
  EXPECT_EQ(f.residuals, 2);
  auto uncensored = fit(weekly({10, 10, 10, 10, 0, 0, 0}), Granularity::weekly);
  EXPECT_LT(uncensored.mean_per_day * 7, 10);
}

TEST(PlanningForecast, DailySeriesLearnsItsWeekdayProfile) {
  std::vector<Period> h;
  for (int d = 0; d < 28 * 7; ++d) {
    Day day = monday + std::chrono::days{d};
    double units = (d % 7) < 5 ? 12 : 4;  // Mon-Fri 12, Sat-Sun 4: mean 68/7 a day
    h.push_back(Period{day, units, false, false, std::nullopt});
  }
  auto f = fit(h, Granularity::daily);
  EXPECT_EQ(f.method, Method::level_weekday_ses);
  EXPECT_NEAR(f.mean_per_day, 68.0 / 7, 1e-6);
  EXPECT_NEAR(f.weekday_profile[0], 12 / (68.0 / 7), 1e-9);
  EXPECT_NEAR(f.weekday_profile[6], 4 / (68.0 / 7), 1e-9);
  EXPECT_NEAR(f.sigma_per_day, 0, 1e-9);
  EXPECT_NEAR(f.expected_units(monday + std::chrono::days{28 * 7}, 7), 68, 1e-6);
}

TEST(PlanningForecast, PromotionUpliftFromOwnPromotionsElseTheCategory) {
  std::vector<double> units;
  for (int i = 0; i < 40; ++i) units.push_back(i % 8 == 7 ? 30 : 10);
  auto h = weekly(units);
  for (int i = 0; i < 40; ++i) h[i].promo = i % 8 == 7;  // 5 promotion weeks at 3×
  auto f = fit(h, Granularity::weekly);
  EXPECT_EQ(f.uplift_source, UpliftSource::own);
  EXPECT_NEAR(f.promo_uplift, 3, 1e-9);
  EXPECT_NEAR(f.mean_per_day * 7, 10, 1e-9);  // the base level ignores promotion weeks
  EXPECT_NEAR(f.period_forecast(monday + std::chrono::days{280}, true), 30, 1e-9);
  EXPECT_EQ(f.own_promo_evidence.promo_periods, 5);

  // Only 2 promotion weeks of its own: the category's pooled evidence decides.
  auto short_h = std::vector<Period>(h.begin(), h.begin() + 24);
  PromoEvidence category{250, 100, 10};
  FitOptions o;
  o.category_promo = category;
  auto g = fit(short_h, Granularity::weekly, o);
  EXPECT_EQ(g.uplift_source, UpliftSource::category);
  EXPECT_NEAR(g.promo_uplift, 2.5, 1e-12);
  EXPECT_EQ(fit(short_h, Granularity::weekly).uplift_source, UpliftSource::own);
}

// The constant-elasticity moment match, worked by hand. One band at 20 % off (ln 0.8 per unit
// of base): base 10, sold 10·0.8^−2 = 15.625 → ε = 2. Two bands, 10 % and 40 % off, sold at
// ε = 3: 8·0.9^−3 + 5·0.6^−3 = 10.974 + 23.148; the match recovers 3.
TEST(PlanningForecast, ElasticityMomentMatchOnWorkedBands) {
  PromoEvidence one;
  one.bands[4] = {15.625, 10, 10 * std::log(0.8)};
  one.priced_periods = 1;
  EXPECT_NEAR(*one.elasticity(), 2, 1e-9);

  PromoEvidence two;
  two.bands[2] = {8 * std::pow(0.9, -3), 8, 8 * std::log(0.9)};
  two.bands[8] = {5 * std::pow(0.6, -3), 5, 5 * std::log(0.6)};
  two.priced_periods = 2;
  EXPECT_NEAR(*two.elasticity(), 3, 1e-9);

  PromoEvidence none;
  EXPECT_FALSE(none.elasticity());
  PromoEvidence fewer;  // sold less than the base at a cut: no negative elasticity
  fewer.bands[4] = {5, 10, 10 * std::log(0.8)};
  fewer.priced_periods = 1;
  EXPECT_EQ(*fewer.elasticity(), 0);
  PromoEvidence huge;  // beyond the bound: the bound
  huge.bands[0] = {1000, 1, std::log(0.97)};
  huge.priced_periods = 1;
  EXPECT_EQ(*huge.elasticity(), elasticity_max);
}

// A steady seller at 100 (20 a week) with promotions at 90, 80, 70 and 60 selling
// 20·(p/100)^−2.5: the own-price effect is learnt exactly, and a deeper cut than any seen
// (50) is forecast at 20·0.5^−2.5 = 113.14, where one average uplift would say 38.3.
TEST(PlanningForecast, OwnPriceElasticityFromPricedPromotions) {
  std::vector<double> units;
  std::vector<std::optional<double>> prices;
  const double cuts[] = {90, 80, 70, 60};
  int promo = 0;
  for (int i = 0; i < 48; ++i) {
    if (i % 6 == 5) {
      double p = cuts[promo++ % 4];
      units.push_back(20 * std::pow(p / 100, -2.5));
      prices.push_back(p);
    } else {
      units.push_back(20);
      prices.push_back(100);
    }
  }
  auto h = weekly(units);
  for (int i = 0; i < 48; ++i) {
    h[i].promo = i % 6 == 5;
    h[i].price = prices[i];
  }
  auto f = fit(h, Granularity::weekly);
  ASSERT_TRUE(f.regular_price);
  EXPECT_EQ(*f.regular_price, 100);
  EXPECT_EQ(f.elasticity_source, UpliftSource::own);
  EXPECT_NEAR(f.price_elasticity, 2.5, 1e-6);
  EXPECT_EQ(f.own_promo_evidence.priced_periods, 8);
  Day next = monday + std::chrono::days{7 * 48};
  EXPECT_NEAR(f.period_forecast(next, true, 50.0), 20 * std::pow(0.5, -2.5), 1e-4);
  EXPECT_NEAR(f.period_forecast(next, true, 80.0), 20 * std::pow(0.8, -2.5), 1e-4);
  // Every past promotion is fitted exactly, so their error is nil.
  EXPECT_NEAR(f.promo_sigma_per_day, 0, 1e-6);
  // No price known for the week ahead: the average uplift, as before.
  EXPECT_NEAR(f.period_forecast(next, true), 20 * f.promo_uplift, 1e-9);
  // A price rise or a cut under 2 % is not a price cut: the plain uplift.
  EXPECT_NEAR(f.period_forecast(next, true, 99.0), 20 * f.promo_uplift, 1e-9);
  // A planned window carries its price into the policy's horizon.
  PromoCalendar planned{{next, next + std::chrono::days{6}, 50.0}};
  EXPECT_NEAR(f.expected_units(next, 7, planned), 20 * std::pow(0.5, -2.5), 1e-4);
}

// Fewer than 4 priced promotions of its own: the category's elasticity; none anywhere: the
// plain uplift only, whatever the price.
TEST(PlanningForecast, ElasticityFromTheCategoryWhenTheSeriesHasFewCuts) {
  std::vector<double> units(20, 10);
  units[9] = 10 * std::pow(0.8, -2);
  auto h = weekly(units);
  for (auto& p : h) p.price = 5.0;
  h[9].promo = true;
  h[9].price = 4.0;
  PromoEvidence category;
  category.bands[4] = {10 * std::pow(0.8, -1.5) * 10, 100, 100 * std::log(0.8)};
  category.priced_periods = 10;
  FitOptions o;
  o.category_promo = category;
  auto f = fit(h, Granularity::weekly, o);
  EXPECT_EQ(f.elasticity_source, UpliftSource::category);
  EXPECT_NEAR(f.price_elasticity, 1.5, 1e-9);
  auto own = fit(h, Granularity::weekly);
  EXPECT_EQ(own.elasticity_source, UpliftSource::own);
  EXPECT_NEAR(own.price_elasticity, 2, 1e-6);
  for (auto& p : h) p.price.reset();
  auto unpriced = fit(h, Granularity::weekly, o);
  EXPECT_EQ(unpriced.elasticity_source, UpliftSource::none);
  EXPECT_NEAR(unpriced.period_forecast(monday + std::chrono::days{140}, true, 2.0), 10 * unpriced.promo_uplift, 1e-9);
}

TEST(PlanningForecast, EmptyHistoryForecastsNothing) {
  auto f = fit({}, Granularity::daily);
  EXPECT_EQ(f.method, Method::no_history);
  EXPECT_EQ(f.expected_units(monday, 14), 0);
}

// The fit reads only what it is given: the same prefix gives the same forecast whatever
// follows it in the caller's vector.
TEST(PlanningForecast, FitUsesOnlyTheHistoryGiven) {
  std::mt19937 rng(17);
  std::poisson_distribution<int> demand(6);
  std::vector<double> units;
  for (int i = 0; i < 60; ++i) units.push_back(demand(rng));
  auto a = weekly(units), b = a;
  for (int i = 40; i < 60; ++i) b[i].units = 1000;
  auto fa = fit(std::span(a).first(40), Granularity::weekly);
  auto fb = fit(std::span(b).first(40), Granularity::weekly);
  EXPECT_EQ(fa.mean_per_day, fb.mean_per_day);
  EXPECT_EQ(fa.sigma_per_day, fb.sigma_per_day);
}

}  // namespace

namespace {

// A shop closed on Sundays: Sunday's profile is floored, so a rare Sunday sale (or a
// promotion on one) is still finite demand, and the fit never divides by zero.
TEST(PlanningForecast, AWeekdayWithoutSalesStaysFinite) {
  std::vector<Period> h;
  for (int d = 0; d < 70; ++d) {
    Day day = monday + std::chrono::days{d};
    bool sunday = d % 7 == 6;
    h.push_back(Period{day, sunday ? 0.0 : 5.0, false, d == 69, std::nullopt});
  }
  h.push_back(Period{monday + std::chrono::days{76}, 3, false, true, std::nullopt});  // a Sunday sale
  auto f = fit(h, Granularity::daily);
  EXPECT_TRUE(std::isfinite(f.mean_per_day));
  EXPECT_GT(f.weekday_profile[6], 0);
  EXPECT_TRUE(std::isfinite(f.sigma_per_day));
  EXPECT_TRUE(std::isfinite(f.promo_uplift));
}

}  // namespace
