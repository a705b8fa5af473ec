#include "reports/kpi.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/assert.hpp"

namespace backroom::reports {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
Day days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era) * 146097 + static_cast<Day>(doe) - 719468;
}

void civil_from_days(Day z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const Day era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// quantity (milli-units) x unit cost (minor units per unit), rounded half away from zero.
std::int64_t value_of(std::int64_t milli, std::int64_t cost) {
  std::int64_t v = milli * cost;
  return v >= 0 ? (v + 500) / 1000 : -((-v + 500) / 1000);
}

}  // namespace

Day day_of(Timestamp t) {
  return t.micros >= 0 ? t.micros / day_micros : -((-t.micros + day_micros - 1) / day_micros);
}

Timestamp start_of(Day day) { return Timestamp{day * day_micros}; }

std::optional<Day> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  Day day = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  if (format_day(day) != s) return std::nullopt;  // 2026-02-30 is not a day
  return day;
}

std::string format_day(Day day) {
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

void Totals::add(const Totals& o) {
  item_days += o.item_days;
  out_of_stock_item_days += o.out_of_stock_item_days;
  sold_milli += o.sold_milli;
  end_on_hand_milli += o.end_on_hand_milli;
  sold_window_milli += o.sold_window_milli;
  net_sales += o.net_sales;
  cost_of_goods_sold += o.cost_of_goods_sold;
  inventory_cost_days += o.inventory_cost_days;
  period_days = std::max(period_days, o.period_days);
  shrink_cost += o.shrink_cost;
  for (const auto& [reason, cost] : o.shrink_by_reason) shrink_by_reason[reason] += cost;
  items += o.items;
  items_without_cost += o.items_without_cost;
}

std::optional<double> Ratio::value() const {
  if (!(denominator > 0)) return std::nullopt;
  return numerator / denominator;
}

Ratio kpi_ratio(const Totals& t, Kpi kpi) {
  switch (kpi) {
    case Kpi::stockout_rate:
      return {static_cast<double>(t.out_of_stock_item_days), static_cast<double>(t.item_days)};
    case Kpi::sell_through:
      return {t.sold_milli / 1000.0, (t.sold_milli + t.end_on_hand_milli) / 1000.0};
    case Kpi::days_of_supply:
      return {t.end_on_hand_milli / 1000.0, t.sold_window_milli / 1000.0 / days_of_supply_window_days};
    case Kpi::shrink:
      return {static_cast<double>(t.shrink_cost), static_cast<double>(t.net_sales)};
    case Kpi::gmroi:
      return {static_cast<double>(t.net_sales - t.cost_of_goods_sold),
              t.period_days > 0 ? static_cast<double>(t.inventory_cost_days) / static_cast<double>(t.period_days) : 0};
  }
  return {};
}

bool worse(Kpi kpi, std::optional<double> a, std::optional<double> b) {
  if (!a || !b) return a.has_value() && !b.has_value();
  bool higher_is_worse = kpi == Kpi::stockout_rate || kpi == Kpi::days_of_supply || kpi == Kpi::shrink;
  return higher_is_worse ? *a > *b : *a < *b;
}

void add_series(Totals& t, const Series& s, const Period& period) {
  const std::int64_t cost = s.cost.value_or(0);
  const Day window_from = period.to - (days_of_supply_window_days - 1);
  t.period_days = period.days();
  t.items += 1;
  if (!s.cost) t.items_without_cost += 1;

  // Before the first figure, a series that had no movement yet is not carried: it counts
  // from the day of its first figure.
  std::optional<Day> active_from;
  if (s.active_before) active_from = period.from;
  else if (!s.days.empty() || !s.months.empty())
    active_from = std::min(s.days.empty() ? s.months.front().first : s.days.front().day,
                           s.months.empty() ? s.days.front().day : s.months.front().first);

  std::int64_t on_hand = s.opening_milli;
  std::int64_t on_hand_day_sum = 0;  // sum of max(0, end-of-day on hand), milli-unit-days
  Day next = period.from;            // first day of the period not yet counted
  auto count_run = [&](Day a, Day b) {  // days a..b all end with `on_hand`
    if (!s.stocked || !active_from) return;
    a = std::max(a, *active_from);
    if (a > b) return;
    std::int64_t n = b - a + 1;
    t.item_days += n;
    if (on_hand <= 0) t.out_of_stock_item_days += n;
    else on_hand_day_sum += on_hand * n;
  };
  std::int64_t sold = 0;
  // A whole month, taken from its totals (see MonthFigures for when the store gives one).
  auto add_month = [&](const MonthFigures& m) {
    BR_ASSERT(m.first <= m.last && m.last <= period.to && (m.last < period.from || m.first >= period.from) &&
                  m.low_milli <= 0,
              "a whole month lies wholly before or inside the period");
    if (m.last < period.from) {
      on_hand += m.change_milli;
      return;
    }
    count_run(next, m.first - 1);
    if (s.stocked && active_from) {
      BR_ASSERT(*active_from <= m.first && on_hand + m.low_milli > 0, "a whole month of a stocked series ends each day with stock");
      const std::int64_t n = m.last - m.first + 1;
      t.item_days += n;
      on_hand_day_sum += on_hand * n + m.on_hand_days_milli;
    }
    on_hand += m.change_milli;
    next = m.last + 1;
  };
  auto month = s.months.begin();
  for (const auto& d : s.days) {
    if (d.day > period.to) break;
    for (; month != s.months.end() && month->first <= d.day; ++month) add_month(*month);
    if (d.day >= window_from) t.sold_window_milli += d.sold_milli;
    if (d.day < period.from) {
      on_hand += d.change_milli;
      continue;
    }
    if (d.day < next) {  // a sales day in a whole month of stock, whose days are counted
      BR_ASSERT(d.change_milli == 0, "a whole month holds its stock changes");
      sold += d.sold_milli;
      t.net_sales += d.net_sales;
      continue;
    }
    count_run(next, d.day - 1);
    on_hand += d.change_milli;
    count_run(d.day, d.day);
    next = d.day + 1;
    sold += d.sold_milli;
    t.net_sales += d.net_sales;
  }
  for (; month != s.months.end() && month->first <= period.to; ++month) add_month(*month);
  count_run(next, period.to);
  for (const auto& m : s.sold_months) {  // whole months of sales: their sums
    if (m.first > period.to) continue;
    if (m.first >= window_from) t.sold_window_milli += m.sold_milli;
    if (m.first < period.from) continue;
    sold += m.sold_milli;
    t.net_sales += m.net_sales;
  }
  t.sold_milli += sold;
  t.cost_of_goods_sold += value_of(sold, cost);
  t.inventory_cost_days += value_of(on_hand_day_sum, cost);
  if (s.stocked) t.end_on_hand_milli += std::max<std::int64_t>(on_hand, 0);
  // Shrink is valued per series and reason, as COGS is per series, and rounded once: a whole
  // month's losses (one entry) give what its days' give.
  std::vector<std::pair<std::string_view, std::int64_t>> lost;  // by reason, in the period
  for (const auto& e : s.shrink) {
    if (e.day < period.from || e.day > period.to) continue;
    auto it = std::find_if(lost.begin(), lost.end(), [&e](const auto& l) { return l.first == e.reason; });
    if (it == lost.end()) lost.emplace_back(e.reason, e.lost_milli);
    else it->second += e.lost_milli;
  }
  for (const auto& [reason, milli] : lost) {
    auto v = value_of(milli, cost);
    t.shrink_cost += v;
    t.shrink_by_reason[std::string(reason)] += v;
  }
}

void KpiAccumulator::add(const Series& s) {
  const std::string& key = grouping_ == Grouping::category ? s.category
                           : grouping_ == Grouping::item   ? s.item_id
                                                           : s.site_id;
  add_series(groups_[key], s, period_);
}

void KpiAccumulator::add(const KpiAccumulator& other) {
  BR_ASSERT(other.grouping_ == grouping_ && other.period_.from == period_.from && other.period_.to == period_.to,
            "accumulators of one report are added up");
  for (const auto& [key, totals] : other.groups_) {
    groups_[key].add(totals);
  }
}

Totals KpiAccumulator::total() const {
  Totals t;
  t.period_days = period_.days();
  for (const auto& [key, g] : groups_) t.add(g);
  return t;
}

}  // namespace backroom::reports
