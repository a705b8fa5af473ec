// Planning at shop scale, pure maths in process (src/planning/): the two goals.
//  - forecast + policy for 100,000 items × 365 days of daily history (goal < 2 s): each item
//    is fitted on its year and gets a suggestion. The histories are 1,000 seeded Poisson
//    series reused round-robin (100,000 distinct years would be 1.5 GB of periods); every
//    item is fitted from scratch, so the work per item is the same.
//  - a backtest of 1,000 series × 120 weeks (goal < 10 s), the last 52 weeks replayed.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "planning/backtest.hpp"
#include "planning/forecast.hpp"
#include "planning/policy.hpp"

namespace {

using namespace backroom::planning;

const Day first_day = Day{std::chrono::year{2025} / 1 / 6};

std::vector<std::vector<Period>> daily_histories(int count, int days) {
  std::mt19937 rng(365);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::vector<Period>> out(count);
  for (auto& h : out) {
    double mean = u(rng) < 0.6 ? 0.05 + 0.9 * u(rng) : 1 + 15 * u(rng);  // most items sell a few a week
    h.reserve(days);
    for (int d = 0; d < days; ++d) {
      bool promo = u(rng) < 0.05;
      std::poisson_distribution<int> demand(mean * (promo ? 2.5 : 1) * ((d % 7) >= 5 ? 1.3 : 0.9));
      h.push_back(Period{first_day + std::chrono::days{d}, static_cast<double>(demand(rng)), u(rng) < 0.02, promo,
                         std::nullopt});
    }
  }
  return out;
}

void BM_ForecastAndPolicy100kItems(benchmark::State& state) {
  const int items = static_cast<int>(state.range(0));
  static const auto histories = daily_histories(1000, 365);
  for (auto _ : state) {
    double ordered = 0;
    for (int i = 0; i < items; ++i) {
      const auto& h = histories[i % histories.size()];
      Forecast f = fit(h, Granularity::daily);
      PolicyInput in;
      in.today = h.back().start;
      in.lead_time = {3, 1};
      in.review_days = 7;
      in.stock.on_hand = static_cast<double>(i % 13);
      in.packing = {6, 0};
      ordered += suggest(f, in).quantity;
    }
    benchmark::DoNotOptimize(ordered);
  }
  state.SetItemsProcessed(state.iterations() * items);
}
BENCHMARK(BM_ForecastAndPolicy100kItems)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(1);

History weekly_history(int series, int weeks) {
  std::mt19937 rng(120);
  std::uniform_real_distribution<double> u(0, 1);
  History h;
  h.granularity = Granularity::weekly;
  for (int s = 0; s < series; ++s) {
    HistorySeries hs{"S1", "I" + std::to_string(s), s % 2 ? "a" : "b", {}, {}, {}, {}, {}};
    double mean = s % 3 == 0 ? 0.3 + 1.2 * u(rng) : 5 + 35 * u(rng);
    for (int w = 0; w < weeks; ++w) {
      bool promo = u(rng) < 0.15;
      std::poisson_distribution<int> demand(mean * (promo ? 3 : 1));
      hs.periods.push_back(Period{first_day + std::chrono::days{7 * w}, static_cast<double>(demand(rng)), false,
                                  promo, std::nullopt});
    }
    h.series.push_back(std::move(hs));
  }
  return h;
}

void BM_Backtest1000Series120Weeks(benchmark::State& state) {
  const auto history = weekly_history(static_cast<int>(state.range(0)), 120);
  for (auto _ : state) {
    auto r = run_backtest(history, BacktestOptions{});
    benchmark::DoNotOptimize(r.pooled.served);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Backtest1000Series120Weeks)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
