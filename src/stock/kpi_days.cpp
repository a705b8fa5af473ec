// Packing the KPI report's days (kpi_days.hpp). Pure: no I/O.
#include "stock/kpi_days.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

namespace backroom::stock {

namespace chr = std::chrono;

int month_of_day(std::int64_t day) {
  chr::year_month_day ymd{chr::sys_days{chr::days{day}}};
  return static_cast<int>(ymd.year()) * 100 + static_cast<int>(static_cast<unsigned>(ymd.month()));
}

namespace {

std::int64_t number(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
    throw std::invalid_argument("kpi days: not a number: '" + std::string(s) + "'");
  return v;
}

// Splits `text` at `sep` into views (an empty text gives none).
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  if (text.empty()) return out;
  std::size_t start = 0;
  while (true) {
    auto at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

template <class Day>
void sort_and_check(std::vector<Day>& days) {
  std::sort(days.begin(), days.end(), [](const Day& a, const Day& b) { return a.day < b.day; });
  for (std::size_t i = 1; i < days.size(); ++i)
    if (days[i].day == days[i - 1].day) throw std::invalid_argument("kpi days: a day twice");
}

}  // namespace

std::string pack_stock_days(const std::vector<StockDay>& days) {
  std::string out;
  for (const auto& d : days) {
    if (!out.empty()) out += ';';
    out += std::to_string(d.day);
    out += ':';
    out += std::to_string(d.change_milli);
    char sep = ':';
    for (const auto& [reason, lost] : d.lost_milli) {
      out += sep;
      out += reason;
      out += '=';
      out += std::to_string(lost);
      sep = ',';
    }
  }
  return out;
}

std::vector<StockDay> unpack_stock_days(std::string_view text) {
  std::vector<StockDay> out;
  for (auto entry : split(text, ';')) {
    auto parts = split(entry, ':');
    if (parts.size() != 2 && parts.size() != 3) throw std::invalid_argument("kpi days: a stock entry needs 2 or 3 parts");
    StockDay d{number(parts[0]), number(parts[1]), {}};
    if (parts.size() == 3)
      for (auto loss : split(parts[2], ',')) {
        auto eq = loss.find('=');
        if (eq == std::string_view::npos || eq == 0) throw std::invalid_argument("kpi days: a loss needs reason=units");
        auto lost = number(loss.substr(eq + 1));
        if (lost <= 0 || !d.lost_milli.emplace(std::string(loss.substr(0, eq)), lost).second)
          throw std::invalid_argument("kpi days: a loss must be positive and its reason once");
      }
    out.push_back(std::move(d));
  }
  sort_and_check(out);
  return out;
}

std::string pack_sold_days(const std::vector<SoldDay>& days) {
  std::string out;
  for (const auto& d : days) {
    if (!out.empty()) out += ';';
    out += std::to_string(d.day) + ':' + std::to_string(d.sold_milli) + ':' + std::to_string(d.net_sales) + ':' +
           std::to_string(d.lines);
  }
  return out;
}

std::vector<SoldDay> unpack_sold_days(std::string_view text) {
  std::vector<SoldDay> out;
  for (auto entry : split(text, ';')) {
    auto parts = split(entry, ':');
    if (parts.size() != 4) throw std::invalid_argument("kpi days: a sales entry needs 4 parts");
    SoldDay d{number(parts[0]), number(parts[1]), number(parts[2]), number(parts[3])};
    if (d.lines <= 0) throw std::invalid_argument("kpi days: a sales entry needs a line");
    out.push_back(d);
  }
  sort_and_check(out);
  return out;
}

void merge_stock_day(std::vector<StockDay>& days, const StockDay& delta) {
  auto it = std::lower_bound(days.begin(), days.end(), delta.day,
                             [](const StockDay& d, std::int64_t day) { return d.day < day; });
  if (it == days.end() || it->day != delta.day) it = days.insert(it, StockDay{delta.day, 0, {}});
  it->change_milli += delta.change_milli;
  for (const auto& [reason, lost] : delta.lost_milli) it->lost_milli[reason] += lost;
}

void merge_sold_day(std::vector<SoldDay>& days, const SoldDay& delta) {
  auto it = std::lower_bound(days.begin(), days.end(), delta.day,
                             [](const SoldDay& d, std::int64_t day) { return d.day < day; });
  if (it == days.end() || it->day != delta.day) it = days.insert(it, SoldDay{delta.day, 0, 0, 0});
  it->sold_milli += delta.sold_milli;
  it->net_sales += delta.net_sales;
  it->lines += delta.lines;
  if (it->lines <= 0) days.erase(it);
}

}  // namespace backroom::stock
