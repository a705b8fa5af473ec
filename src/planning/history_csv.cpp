#include "planning/history_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>

#include "platform/csv.hpp"

namespace backroom::planning {
namespace {

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<bool> parse_flag(std::string_view text) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t.empty() || t == "0" || t == "false" || t == "no" || t == "n") return false;
  if (t == "1" || t == "true" || t == "yes" || t == "y") return true;
  return std::nullopt;
}

HistoryError error(std::size_t line, std::string field, std::string reason) {
  return HistoryError{line, std::move(field), std::move(reason)};
}

}  // namespace

std::optional<Day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](std::size_t at, std::size_t len, auto& out) {
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc{} && end == text.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

std::string format_date(Day day) {
  std::chrono::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::variant<History, HistoryError> parse_history_csv(std::string_view text) {
  platform::CsvReader reader(text);
  platform::CsvRow row;
  if (!reader.next(row)) {
    if (reader.error()) return error(reader.error()->line, "", reader.error()->reason);
    return error(0, "", "the file is empty: expected the header date,location,item,units[,price][,promo][,category]");
  }
  const std::vector<std::string> required{"date", "location", "item", "units"};
  for (std::size_t i = 0; i < required.size(); ++i) {
    if (row.fields.size() <= i || row.fields[i] != required[i])
      return error(row.line, required[i],
                   "the header must start date,location,item,units (then optionally price, promo, category)");
  }
  int price_col = -1, promo_col = -1, category_col = -1;
  // A series' own terms: the column, and what a value must be.
  struct Term {
    const char* name;
    std::optional<double> HistorySeries::*field;
    double min, max;
    const char* what;
    int col = -1;
  };
  Term terms[] = {
      {"lead_time_days", &HistorySeries::lead_time_days, 0, 365, "a number of days from 0 to 365"},
      {"lead_time_sd_days", &HistorySeries::lead_time_sd_days, 0, 365, "a number of days from 0 to 365"},
      {"case_pack", &HistorySeries::case_pack, 1, 100'000, "a number of units from 1 to 100,000"},
      {"service_level", &HistorySeries::service_level, 0.5, 0.999, "a fraction from 0.5 to 0.999"},
  };
  for (std::size_t i = required.size(); i < row.fields.size(); ++i) {
    const auto& name = row.fields[i];
    int* col = name == "price" ? &price_col : name == "promo" ? &promo_col : name == "category" ? &category_col : nullptr;
    for (auto& t : terms)
      if (name == t.name) col = &t.col;
    if (!col)
      return error(row.line, name,
                   fmt::format("unknown column '{}': expected price, promo, category, lead_time_days, "
                               "lead_time_sd_days, case_pack or service_level",
                               name));
    if (*col >= 0) return error(row.line, name, fmt::format("column '{}' appears twice", name));
    *col = static_cast<int>(i);
  }
  const std::size_t width = row.fields.size();

  struct Key {
    std::string location, item;
    auto operator<=>(const Key&) const = default;
  };
  struct Building {
    std::string category;
    HistorySeries terms;  // its lead_time_days … service_level
    std::vector<std::pair<Period, std::size_t>> periods;  // with their line
  };
  std::map<Key, Building> by_series;
  History history;
  while (reader.next(row)) {
    if (++history.rows > history_rows_max)
      return error(row.line, "", fmt::format("more than {} rows", history_rows_max));
    if (row.fields.size() != width)
      return error(row.line, "", fmt::format("expected {} fields, found {}", width, row.fields.size()));
    auto day = parse_date(row.fields[0]);
    if (!day) return error(row.line, "date", fmt::format("'{}' is not a date (YYYY-MM-DD)", row.fields[0]));
    if (row.fields[1].empty()) return error(row.line, "location", "location is empty");
    if (row.fields[2].empty()) return error(row.line, "item", "item is empty");
    auto units = parse_number(row.fields[3]);
    if (!units || *units < 0)
      return error(row.line, "units", fmt::format("'{}' is not a number of units ≥ 0", row.fields[3]));
    Period p{*day, *units, false, false, std::nullopt};
    if (price_col >= 0 && !row.fields[price_col].empty()) {
      auto price = parse_number(row.fields[price_col]);
      if (!price || *price < 0)
        return error(row.line, "price", fmt::format("'{}' is not a price ≥ 0", row.fields[price_col]));
      p.price = *price;
    }
    if (promo_col >= 0) {
      auto promo = parse_flag(row.fields[promo_col]);
      if (!promo)
        return error(row.line, "promo", fmt::format("'{}' is not a promotion flag (0/1, true/false, yes/no)",
                                                    row.fields[promo_col]));
      p.promo = *promo;
    }
    auto& series = by_series[Key{row.fields[1], row.fields[2]}];
    if (category_col >= 0) {
      const auto& category = row.fields[category_col];
      if (series.periods.empty()) {
        series.category = category;
      } else if (series.category != category) {
        return error(row.line, "category",
                     fmt::format("'{}' differs from this item's earlier category '{}'", category, series.category));
      }
    }
    for (const auto& t : terms) {
      if (t.col < 0) continue;
      const auto& text = row.fields[t.col];
      std::optional<double> value;
      if (!text.empty()) {
        value = parse_number(text);
        if (!value || *value < t.min || *value > t.max)
          return error(row.line, t.name, fmt::format("'{}' is not {}", text, t.what));
      }
      auto& kept = series.terms.*(t.field);
      if (series.periods.empty()) {
        kept = value;
      } else if (kept != value) {
        return error(row.line, t.name,
                     fmt::format("'{}' differs from this item's earlier {} '{}' (one value a series)", text, t.name,
                                 kept ? fmt::format("{}", *kept) : std::string()));
      }
    }
    series.periods.emplace_back(p, row.line);
  }
  if (reader.error()) return error(reader.error()->line, "", reader.error()->reason);
  if (by_series.empty()) return error(0, "", "no rows after the header");

  // Daily or weekly: weekly when every gap between a series' consecutive dates is a multiple
  // of 7 days (and there is at least one gap); one granularity for the whole file.
  bool any_gap = false, all_weekly = true;
  for (auto& [key, s] : by_series) {
    std::stable_sort(s.periods.begin(), s.periods.end(),
                     [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
    for (std::size_t i = 1; i < s.periods.size(); ++i) {
      auto gap = (s.periods[i].first.start - s.periods[i - 1].first.start).count();
      if (gap == 0)
        return error(s.periods[i].second, "date",
                     fmt::format("a second row for {} at {} on {}", key.item, key.location,
                                 format_date(s.periods[i].first.start)));
      any_gap = true;
      if (gap % 7 != 0) all_weekly = false;
    }
  }
  history.granularity = any_gap && all_weekly ? Granularity::weekly : Granularity::daily;
  history.series.reserve(by_series.size());
  for (auto& [key, s] : by_series) {
    HistorySeries out = std::move(s.terms);
    out.location = key.location;
    out.item = key.item;
    out.category = s.category;
    out.periods.reserve(s.periods.size());
    for (auto& [p, line] : s.periods) out.periods.push_back(p);
    history.series.push_back(std::move(out));
  }
  return history;
}

}  // namespace backroom::planning
