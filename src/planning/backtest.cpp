#include "planning/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace backroom::planning {
namespace {

constexpr double stock_epsilon = 1e-9;

// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014): a stateless mix, so a draw is a function of its inputs alone.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t series_key(const HistorySeries& s, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over location, a separator, item
  for (unsigned char c : s.location + '\x1f' + s.item) h = (h ^ c) * 1099511628211ULL;
  return mix(h ^ mix(seed));
}

// A standard normal for row `row` of the series keyed `key` (Box–Muller on two uniforms in
// (0, 1] made of the top 53 bits of two mixes).
double standard_normal(std::uint64_t key, std::size_t row) {
  std::uint64_t a = mix(key ^ (2 * static_cast<std::uint64_t>(row))), b = mix(a ^ mix(2 * row + 1));
  double u1 = (static_cast<double>(a >> 11) + 1) * 0x1.0p-53, u2 = static_cast<double>(b >> 11) * 0x1.0p-53;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace

BacktestTotals& BacktestTotals::operator+=(const BacktestTotals& o) {
  series += o.series;
  periods += o.periods;
  demand += o.demand;
  served += o.served;
  on_hand += o.on_hand;
  orders += o.orders;
  forecast += o.forecast;
  absolute_error += o.absolute_error;
  days_per_period = o.days_per_period;
  return *this;
}

double BacktestTotals::fill_rate() const { return demand > 0 ? served / demand : 1; }
double BacktestTotals::weeks_of_supply() const {
  // (Σ on hand / n) / (Σ demand / n · 7 / P): mean on hand over mean weekly demand.
  return demand > 0 ? on_hand / demand * days_per_period / 7.0 : 0;
}
double BacktestTotals::orders_per_series() const { return series > 0 ? orders / static_cast<double>(series) : 0; }
double BacktestTotals::wape() const { return demand > 0 ? absolute_error / demand : 0; }
double BacktestTotals::bias() const { return demand > 0 ? (forecast - demand) / demand : 0; }

BacktestSeries backtest_series(const HistorySeries& series, Granularity granularity, Day window_start,
                               const BacktestOptions& options, const std::optional<PromoEvidence>& category_prior,
                               std::vector<BacktestPeriod>* periods) {
  BacktestSeries out;
  const auto& rows = series.periods;
  const int per = days_per_period(granularity);
  out.totals.days_per_period = per;
  std::size_t t0 = std::lower_bound(rows.begin(), rows.end(), window_start,
                                    [](const Period& p, Day d) { return p.start < d; }) -
                   rows.begin();
  if (t0 < static_cast<std::size_t>(backtest_training_rows_min) || t0 == rows.size()) return out;

  // The series' own terms where the file gave them.
  const double lead_days = series.lead_time_days.value_or(options.lead_time_days);
  const double lead_sd_days = series.lead_time_sd_days.value_or(options.lead_time_sd_days);
  const double case_pack = series.case_pack.value_or(options.case_pack);
  const double service_level = series.service_level.value_or(options.service_level);
  const std::uint64_t key = series_key(series, options.seed);
  const std::size_t review_every =
      static_cast<std::size_t>(std::max(1L, std::lround(options.review_days / per)));
  const std::size_t lead_rows = static_cast<std::size_t>(std::max(0.0, std::ceil(lead_days / per - 1e-9)));
  const int promo_rows_ahead = static_cast<int>(std::ceil((lead_days + options.review_days) / per));
  FitOptions fit_options;
  fit_options.category_promo = category_prior;

  std::vector<Period> observed(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(t0));
  std::vector<double> arrivals(rows.size() + lead_rows + 2, 0);

  // The policy at the end of row i (its last day), seeing the promotions planned ahead.
  auto decide = [&](const Forecast& forecast, std::size_t i, double on_hand, double on_order) {
    PolicyInput in;
    in.today = rows[i].start + std::chrono::days{per - 1};
    in.lead_time = {lead_days, lead_sd_days};
    in.review_days = options.review_days;
    in.service_level = service_level;
    in.measure = options.measure;
    in.stock.on_hand = on_hand;
    in.stock.on_order = on_order;
    in.packing = {case_pack, 0};
    for (int k = 1; k <= promo_rows_ahead && i + k < rows.size(); ++k) {
      if (!rows[i + k].promo) continue;
      Day first = in.today + std::chrono::days{1 + (k - 1) * per};
      in.promos.push_back({first, first + std::chrono::days{per - 1}, rows[i + k].price});
    }
    return suggest(forecast, in);
  };

  Forecast forecast = fit(observed, granularity, fit_options);
  double on_hand = decide(forecast, t0 - 1, 0, 0).order_up_to;
  out.totals.series = 1;
  for (std::size_t i = t0; i < rows.size(); ++i) {
    const Period& row = rows[i];
    BacktestPeriod p;
    p.date = row.start;
    p.forecast = forecast.period_forecast(row.start, row.promo, row.price);
    p.receipt_quantity = arrivals[i];
    on_hand += arrivals[i];
    p.on_hand_start = on_hand;
    p.demand = row.units;
    p.served = std::min(p.demand, on_hand);
    on_hand -= p.served;
    p.on_hand_end = on_hand;
    observed.push_back(Period{row.start, p.served, on_hand <= stock_epsilon, row.promo, row.price});
    forecast = fit(observed, granularity, fit_options);
    if ((i - t0 + 1) % review_every == 0) {
      double on_order = 0;
      for (std::size_t j = i + 1; j < arrivals.size(); ++j) on_order += arrivals[j];
      auto s = decide(forecast, i, on_hand, on_order);
      if (s.decision == Decision::order && s.quantity > 0) {
        p.order_quantity = s.quantity;
        // A late or early delivery moves by the whole rows nearest its deviation from L (so
        // a day late in weekly rows is still the planned row, four days late the next).
        std::size_t lag = lead_rows;
        if (lead_sd_days > 0) {
          const double drawn = std::max(0.0, lead_days + lead_sd_days * standard_normal(key, i));
          lag = static_cast<std::size_t>(
              std::max(0L, static_cast<long>(lead_rows) + std::lround((drawn - lead_days) / per)));
        }
        if (i + 1 + lag >= arrivals.size()) arrivals.resize(i + 2 + lag, 0);
        arrivals[i + 1 + lag] += s.quantity;
      }
    }
    auto& t = out.totals;
    ++t.periods;
    t.demand += p.demand;
    t.served += p.served;
    t.on_hand += (p.on_hand_start + p.on_hand_end) / 2;
    t.orders += p.order_quantity > 0 ? 1 : 0;
    t.forecast += p.forecast;
    t.absolute_error += std::fabs(p.forecast - p.demand);
    if (periods) {
      periods->push_back(p);
    }
  }
  return out;
}

BacktestResult run_backtest(const History& history, const BacktestOptions& options) {
  BacktestResult result;
  result.granularity = history.granularity;
  const int per = days_per_period(history.granularity);
  result.evaluate_last = options.evaluate_last.value_or(history.granularity == Granularity::weekly ? 52 : 364);
  result.pooled.days_per_period = per;
  std::optional<Day> last;
  for (const auto& s : history.series)
    if (!s.periods.empty() && (!last || s.periods.back().start > *last)) last = s.periods.back().start;
  if (!last) return result;
  const Day window_start = *last - std::chrono::days{(result.evaluate_last - 1) * per};

  std::map<std::string, PromoEvidence> category_evidence;
  for (const auto& s : history.series) {
    if (s.category.empty()) continue;
    auto end = std::lower_bound(s.periods.begin(), s.periods.end(), window_start,
                                [](const Period& p, Day d) { return p.start < d; });
    category_evidence[s.category] +=
        promo_evidence(std::span(s.periods.begin(), end), history.granularity);
  }

  for (std::size_t i = 0; i < history.series.size(); ++i) {
    const auto& s = history.series[i];
    std::optional<PromoEvidence> prior;
    if (auto it = category_evidence.find(s.category); it != category_evidence.end()) prior = it->second;
    std::size_t first_period = result.periods.size();
    auto replay = backtest_series(s, history.granularity, window_start, options, prior,
                                  options.keep_periods ? &result.periods : nullptr);
    if (replay.totals.series == 0) {
      ++result.series_skipped;
      continue;
    }
    for (std::size_t k = first_period; k < result.periods.size(); ++k) result.periods[k].series = i;
    replay.series = i;
    result.pooled += replay.totals;
    auto& category = result.by_category[s.category.empty() ? "(no category)" : s.category];
    category.days_per_period = per;
    category += replay.totals;
    result.series.push_back(replay);
  }
  return result;
}

}  // namespace backroom::planning
