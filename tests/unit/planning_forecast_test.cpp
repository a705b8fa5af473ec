// Forecast maths on small series whose answers are worked by hand: Croston/SBA, SES with a
// weekday profile, censored periods, promotion uplift (own and the category's).
#include "planning/forecast.hpp"

#include <gtest/gtest.h>

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
