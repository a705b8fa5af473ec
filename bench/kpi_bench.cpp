// The KPI maths at chain size: 100,000 items at 3 sites (300,000 series) over 52 weeks of
// history, each series selling on two days a week, receiving every four weeks and losing a
// unit now and then (about 120 day-figures a series, 36 million in all). Measures what the
// report does once the ledger is read: folding every series into category groups for one
// 52-week period, and the review's 12 weekly periods. The series are streamed through one
// accumulator as the store does, built from a pool of 1,000 generated shapes so memory stays
// small; the ledger read itself (SQL) is not in this figure.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "reports/kpi.hpp"

namespace {

using namespace backroom::reports;

constexpr int items_count = 100'000;
constexpr int sites_count = 3;
constexpr int weeks_count = 52;
constexpr int shapes_count = 1'000;
constexpr Day last_day = 20'789;  // 2026-12-02
constexpr Day first_day = last_day - 7 * weeks_count + 1;

std::vector<Series> shapes() {
  std::mt19937 rng(42);
  std::vector<Series> out(shapes_count);
  for (int i = 0; i < shapes_count; ++i) {
    Series& s = out[static_cast<std::size_t>(i)];
    s.stocked = true;
    s.cost = 50 + static_cast<std::int64_t>(rng() % 2000);
    s.active_before = true;
    s.opening_milli = 20'000;
    std::int64_t on_hand = s.opening_milli;
    for (Day d = first_day - 27; d <= last_day; ++d) {
      DayFigures f{d, 0, 0, 0};
      int weekday = static_cast<int>((d + 3) % 7);
      if (weekday == 1 || weekday == 4) {
        std::int64_t units = 1 + static_cast<std::int64_t>(rng() % 4);
        f.change_milli -= units * 1000;
        f.sold_milli = units * 1000;
        f.net_sales = units * (*s.cost * 3 / 2);
      }
      if ((d - first_day) % 28 == 0) f.change_milli += 24'000;
      if (rng() % 97 == 0) {
        f.change_milli -= 1000;
        s.shrink.push_back(ShrinkEntry{d, rng() % 2 ? "damage" : "theft", 1000});
      }
      on_hand += f.change_milli;
      if (f.change_milli != 0 || f.sold_milli != 0) s.days.push_back(f);
    }
  }
  return out;
}

const std::vector<std::string>& categories() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 40; ++i) v.push_back(fmt::format("category {}", i));
    return v;
  }();
  return names;
}

void BM_KpiYearByCategory(benchmark::State& state) {
  auto pool = shapes();
  std::int64_t figures = 0;
  for (auto _ : state) {
    KpiAccumulator acc(Grouping::category, Period{first_day, last_day});
    for (int item = 0; item < items_count; ++item)
      for (int site = 0; site < sites_count; ++site) {
        Series& s = pool[static_cast<std::size_t>((item * sites_count + site) % shapes_count)];
        s.category = categories()[static_cast<std::size_t>(item % 40)];
        acc.add(s);
        figures += static_cast<std::int64_t>(s.days.size());
      }
    benchmark::DoNotOptimize(acc.total());
  }
  state.counters["series"] = items_count * sites_count;
  state.counters["day_figures"] = benchmark::Counter(static_cast<double>(figures) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_KpiYearByCategory)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_KpiTwelveWeeks(benchmark::State& state) {
  auto pool = shapes();
  for (auto _ : state) {
    std::vector<Totals> weeks(12);
    for (int item = 0; item < items_count; ++item)
      for (int site = 0; site < sites_count; ++site) {
        const Series& s = pool[static_cast<std::size_t>((item * sites_count + site) % shapes_count)];
        for (int w = 0; w < 12; ++w)
          add_series(weeks[static_cast<std::size_t>(w)], s, Period{last_day - 7 * (11 - w) - 6, last_day - 7 * (11 - w)});
      }
    benchmark::DoNotOptimize(weeks);
  }
  state.counters["series"] = items_count * sites_count;
}
BENCHMARK(BM_KpiTwelveWeeks)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
