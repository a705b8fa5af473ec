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

template <class Day>
void sort_and_check(std::vector<Day>& days) {
  auto by_day = [](const Day& a, const Day& b) { return a.day < b.day; };
  if (!std::is_sorted(days.begin(), days.end(), by_day)) std::sort(days.begin(), days.end(), by_day);
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

// The next field of `text` from `at`, up to one of `stops` (or the end); `at` is left on the stop.
static std::string_view field(std::string_view text, std::size_t& at, std::string_view stops) {
  auto end = text.find_first_of(stops, at);
  if (end == std::string_view::npos) end = text.size();
  auto f = text.substr(at, end - at);
  at = end;
  return f;
}

std::vector<StockDay> unpack_stock_days(std::string_view text) {
  // Parsed in place (no vectors of parts): the report decodes millions of entries.
  std::vector<StockDay> out;
  std::size_t at = 0;
  while (at < text.size()) {
    StockDay d;
    d.day = number(field(text, at, ":;"));
    if (at == text.size() || text[at] != ':') throw std::invalid_argument("kpi days: a stock entry needs 2 or 3 parts");
    ++at;
    d.change_milli = number(field(text, at, ":;"));
    if (at < text.size() && text[at] == ':') {
      ++at;
      while (true) {
        auto reason = field(text, at, "=:;,");
        if (reason.empty() || at == text.size() || text[at] != '=')
          throw std::invalid_argument("kpi days: a loss needs reason=units");
        ++at;
        auto lost = number(field(text, at, ":;,"));
        if (lost <= 0 || !d.lost_milli.emplace(std::string(reason), lost).second)
          throw std::invalid_argument("kpi days: a loss must be positive and its reason once");
        if (at < text.size() && text[at] == ',') {
          ++at;
          continue;
        }
        break;
      }
    }
    if (at < text.size()) {
      if (text[at] != ';') throw std::invalid_argument("kpi days: a stock entry needs 2 or 3 parts");
      ++at;
      if (at == text.size()) throw std::invalid_argument("kpi days: an empty entry");
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
  std::size_t at = 0;
  while (at < text.size()) {
    std::int64_t parts[4];
    for (int i = 0; i < 4; ++i) {
      if (i > 0) {
        if (at == text.size() || text[at] != ':') throw std::invalid_argument("kpi days: a sales entry needs 4 parts");
        ++at;
      }
      parts[i] = number(field(text, at, ":;"));
    }
    if (at < text.size()) {
      if (text[at] != ';') throw std::invalid_argument("kpi days: a sales entry needs 4 parts");
      ++at;
      if (at == text.size()) throw std::invalid_argument("kpi days: an empty entry");
    }
    if (parts[3] <= 0) throw std::invalid_argument("kpi days: a sales entry needs a line");
    out.push_back(SoldDay{parts[0], parts[1], parts[2], parts[3]});
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
