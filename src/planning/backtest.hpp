// The policy proven on history: every series (location × item) of a History is replayed
// over its last periods with the same forecasts (forecast.hpp) and the same policy
// (policy.hpp) the suggestions use, each decision taking only data before the period it
// affects. Pure: a History in, numbers out.
//
// Per series, the periods with a row are the series' clock (a missing period does not
// exist for it: no demand, no learning, no order, no receipt). The evaluation window is the
// last `evaluate_last` periods of the file's calendar; rows before it are training. Then:
//  - start: on hand = the first order-up-to level S (fitted on the training rows);
//  - each evaluated period: receipts due arrive, then demand (the row's units) is served from
//    on hand, the rest is lost (lost sales); a period ending with nothing on hand is censored
//    for the forecasts that follow (its sales are a lower bound, forecast.hpp skips it);
//  - at the end of every review period (every max(1, round(R/P)) rows) the policy orders
//    S − position rounded to the case pack; it arrives at the start of the row
//    1 + ⌈L/P⌉ rows later; with a lead-time deviation σ_L each delivery is drawn,
//    L' = max(0, L + σ_L·z), z standard normal from a generator seeded by the run's seed, the
//    series' location and item and the row (so a draw never depends on demand, and the same
//    file and seed replay the same), and moves by the whole rows nearest L' − L (at least
//    the next row); the policy itself plans with L and σ_L;
//  - L, σ_L, the case pack and the service level are the series' own where the file gives
//    them (history_csv.hpp), else the options';
//  - the one-period-ahead forecast of each evaluated period (fitted on the rows before it,
//    with the row's known promotion flag) is scored against its demand.
// The promotion flag of future rows is known in advance (planned promotions), so the policy
// sees the promotions of the rows within L+R ahead. The category uplift prior pools each
// category's promotion evidence from rows dated before the first evaluated period of the
// whole run (so it too is causal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "planning/history_csv.hpp"
#include "planning/policy.hpp"

namespace backroom::planning {

struct BacktestOptions {
  double lead_time_days = 7;
  double review_days = 7;
  double service_level = service_level_default;
  ServiceMeasure measure = ServiceMeasure::fill_rate;
  std::optional<int> evaluate_last;  // periods; default 52 weeks (364 days for daily data)
  double case_pack = 1;
  double lead_time_sd_days = 0;      // σ_L
  std::uint64_t seed = 1;            // of the lead-time draws
  bool keep_periods = false;         // fill BacktestResult::periods (for --periods-csv)
};

// A series needs this many training rows before the window, else it is not evaluated.
inline constexpr int backtest_training_rows_min = 4;

struct BacktestPeriod {  // one row of --periods-csv
  std::size_t series = 0;  // index into History::series
  Day date;
  double forecast = 0, demand = 0, served = 0;
  double on_hand_start = 0;  // after the period's receipt
  double on_hand_end = 0;
  double order_quantity = 0;  // ordered at the end of this period
  double receipt_quantity = 0;
};

// Sums from which every reported rate is a ratio, so that pooling is adding.
struct BacktestTotals {
  std::size_t series = 0;
  std::size_t periods = 0;         // series-periods evaluated
  double demand = 0, served = 0;
  double on_hand = 0;              // Σ over periods of (on_hand_start + on_hand_end)/2
  double orders = 0;
  double forecast = 0;             // Σ one-period-ahead forecasts
  double absolute_error = 0;       // Σ |forecast − demand|
  int days_per_period = 7;
  BacktestTotals& operator+=(const BacktestTotals& o);
  double fill_rate() const;        // served / demand (1 without demand)
  double weeks_of_supply() const;  // mean on hand / mean weekly demand
  double orders_per_series() const;
  double wape() const;             // Σ|f − a| / Σa
  double bias() const;             // Σ(f − a) / Σa
};

struct BacktestSeries {
  std::size_t series = 0;  // index into History::series
  BacktestTotals totals;
};

struct BacktestResult {
  Granularity granularity = Granularity::weekly;
  int evaluate_last = 0;
  std::size_t series_skipped = 0;  // fewer than backtest_training_rows_min training rows, or none evaluated
  BacktestTotals pooled;
  std::map<std::string, BacktestTotals> by_category;
  std::vector<BacktestSeries> series;  // every evaluated series
  std::vector<BacktestPeriod> periods; // when keep_periods, in series then date order
};

BacktestResult run_backtest(const History& history, const BacktestOptions& options);

// One series replayed (the unit of run_backtest; exposed for the causality test).
// category_prior: the pooled promotion evidence of its category (or none).
BacktestSeries backtest_series(const HistorySeries& series, Granularity granularity, Day window_start,
                               const BacktestOptions& options, const std::optional<PromoEvidence>& category_prior,
                               std::vector<BacktestPeriod>* periods);

}  // namespace backroom::planning
