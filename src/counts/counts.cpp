#include "counts/counts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace backroom::counts {

stock::MovementReason movement_reason(VarianceReason reason) {
  switch (reason) {
    case VarianceReason::theft: return stock::MovementReason::theft;
    case VarianceReason::damage: return stock::MovementReason::damage;
    case VarianceReason::admin_error: return stock::MovementReason::admin_error;
    case VarianceReason::supplier_short: return stock::MovementReason::supplier_short;
    case VarianceReason::unknown: return stock::MovementReason::unknown;
  }
  return stock::MovementReason::unknown;
}

std::int64_t consumption_value(std::int64_t units_sold_milli, std::int64_t unit_cost) {
  if (units_sold_milli <= 0 || unit_cost <= 0) return 0;
  return (units_sold_milli * unit_cost + 500) / 1000;
}

std::vector<Classified> classify(std::vector<ItemValue> values, const Cutoffs& cutoffs,
                                 const std::map<std::string, CountClass>& pins) {
  std::sort(values.begin(), values.end(), [](const ItemValue& x, const ItemValue& y) {
    return x.value != y.value ? x.value > y.value : x.item_id < y.item_id;
  });
  std::int64_t total = 0;
  for (const auto& v : values) total += std::max<std::int64_t>(v.value, 0);
  std::vector<Classified> out;
  out.reserve(values.size());
  std::int64_t before = 0;
  for (auto& v : values) {
    CountClass c = CountClass::c;
    // before / total < a% <=> before * 100 < a * total (exact, no floating point).
    if (v.value > 0 && total > 0) {
      if (before * 100 < cutoffs.a_percent * total)
        c = CountClass::a;
      else if (before * 100 < (cutoffs.a_percent + cutoffs.b_percent) * total)
        c = CountClass::b;
    }
    before += std::max<std::int64_t>(v.value, 0);
    bool pinned = false;
    if (auto p = pins.find(v.item_id); p != pins.end()) {
      c = p->second;
      pinned = true;
    }
    out.push_back(Classified{std::move(v.item_id), c, v.units_sold, v.value, pinned});
  }
  return out;
}

// Howard Hinnant's civil-date algorithms (public domain).
std::int64_t days_from_civil(Date d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (d.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(y + (month <= 2 ? 1 : 0)), month, day};
}

int iso_weekday(Date d) {
  std::int64_t z = days_from_civil(d);  // 1970-01-01 was a Thursday (4)
  return static_cast<int>(((z % 7) + 7 + 3) % 7) + 1;
}

Date date_of(Timestamp t) {
  std::int64_t secs = t.micros / 1'000'000 - (t.micros % 1'000'000 < 0 ? 1 : 0);
  std::int64_t days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  return civil_from_days(days);
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  Date date{*y, *m, *d};
  if (civil_from_days(days_from_civil(date)) != date) return std::nullopt;  // 2026-02-30
  return date;
}

std::string format_date(Date d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

int Frequencies::per_year(CountClass c) const {
  switch (c) {
    case CountClass::a: return a_per_year;
    case CountClass::b: return b_per_year;
    case CountClass::c: return c_per_year;
  }
  return c_per_year;
}

bool valid_frequency(int per_year) { return per_year >= 1 && per_year <= 12 && 12 % per_year == 0; }

bool WorkingDays::works_on(Date d) const {
  return std::find(weekdays.begin(), weekdays.end(), iso_weekday(d)) != weekdays.end();
}

std::pair<Date, Date> cycle_of(Date d, int per_year) {
  int months = 12 / per_year;
  int first_month = ((d.month - 1) / months) * months + 1;
  Date first{d.year, first_month, 1};
  int next_month = first_month + months;
  Date next = next_month > 12 ? Date{d.year + 1, next_month - 12, 1} : Date{d.year, next_month, 1};
  return {first, civil_from_days(days_from_civil(next) - 1)};
}

std::vector<std::string> due_on(const std::vector<std::string>& items, int per_year, const WorkingDays& days, Date day) {
  if (items.empty() || !days.works_on(day) || !valid_frequency(per_year)) return {};
  auto [first, last] = cycle_of(day, per_year);
  std::int64_t working = 0, index = -1;
  for (std::int64_t z = days_from_civil(first); z <= days_from_civil(last); ++z) {
    Date d = civil_from_days(z);
    if (!days.works_on(d)) continue;
    if (d == day) index = working;
    ++working;
  }
  // Item i is due on working day floor(i * D / N): day k takes i in [ceil(kN/D), ceil((k+1)N/D)).
  auto n = static_cast<std::int64_t>(items.size());
  std::int64_t from = (index * n + working - 1) / working;
  std::int64_t to = ((index + 1) * n + working - 1) / working;
  return std::vector<std::string>(items.begin() + from, items.begin() + to);
}

const Thresholds& ClassThresholds::of(CountClass c) const {
  switch (c) {
    case CountClass::a: return a;
    case CountClass::b: return b;
    case CountClass::c: return this->c;
  }
  return this->c;
}

bool over_tolerance(std::int64_t counted, std::int64_t expected, std::int64_t unit_cost, const Thresholds& t) {
  std::int64_t variance = counted > expected ? counted - expected : expected - counted;
  std::int64_t base = expected < 0 ? -expected : expected;
  bool over_units = variance > t.units_milli && variance * 100 > static_cast<std::int64_t>(t.percent) * base;
  bool over_value = unit_cost > 0 && consumption_value(variance, unit_cost) > t.value;
  return over_units || over_value;
}

}  // namespace backroom::counts
