// Sales history as CSV, for the backtest and `planning import-history`:
//   date,location,item,units[,price][,promo][,category]
//     [,lead_time_days][,lead_time_sd_days][,case_pack][,service_level]
// The last four are a series' own terms for the backtest (its supplier's lead time and its
// standard deviation in days, the case pack, the target service level as a fraction): the
// same on every row of a series, or empty there for the run's option; import-history reads
// sales only and ignores them.
// One row per location × item × period; rows daily or weekly, inferred from the dates (all
// gaps between a series' consecutive dates multiples of 7 → weekly). A period with no row is
// missing data, not zero sales. The optional columns are recognised by their header name,
// in any order after `units`. All or nothing: the first bad row is reported with its line
// number and no history is returned. Pure: parses text, no file I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "planning/forecast.hpp"

namespace backroom::planning {

inline constexpr std::size_t history_rows_max = 20'000'000;

struct HistorySeries {
  std::string location;  // as written in the file (code)
  std::string item;      // as written in the file (SKU)
  std::string category;  // "" when the file has none
  std::vector<Period> periods;  // ascending by start, one per date
  // The series' own terms (the run's options where nullopt).
  std::optional<double> lead_time_days, lead_time_sd_days, case_pack, service_level;
};

struct History {
  Granularity granularity = Granularity::daily;
  std::vector<HistorySeries> series;  // ordered by (location, item)
  std::size_t rows = 0;
};

struct HistoryError {
  std::size_t line = 0;  // 1-based physical line, 0 for a file-wide problem
  std::string field;     // the column, e.g. "units"; "" when n/a
  std::string reason;
};

// Parses the whole text. Dates are YYYY-MM-DD; units ≥ 0 (decimal allowed); price ≥ 0 or
// empty; promo is 0/1/true/false/yes/no or empty; duplicate (location, item, date) is an
// error. A file with mixed daily and weekly series is an error (one granularity per file).
std::variant<History, HistoryError> parse_history_csv(std::string_view text);

std::optional<Day> parse_date(std::string_view text);  // YYYY-MM-DD, a real calendar date
std::string format_date(Day day);

}  // namespace backroom::planning
