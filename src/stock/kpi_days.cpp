// Packing the KPI report's days (kpi_days.hpp). Pure: no I/O.
#include "stock/kpi_days.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <bit>
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

// Sorts the entries from `first` on by day and refuses a day twice among them.
template <class Day>
void sort_and_check(std::vector<Day>& days, std::size_t first = 0) {
  auto by_day = [](const Day& a, const Day& b) { return a.day < b.day; };
  auto begin = days.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, days.end(), by_day)) std::sort(begin, days.end(), by_day);
  for (std::size_t i = first + 1; i < days.size(); ++i)
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

namespace {
// Eight digit values (0..9, one a byte, the first character in the lowest byte) as a number:
// three multiplications instead of eight (D. Lemire's, as in fast_float's
// parse_eight_digits_unrolled).
std::uint64_t eight_digits(std::uint64_t digits) {
  digits = digits * 10 + (digits >> 8);
  return (((digits & 0x000000FF000000FFULL) * 0x000F424000000064ULL) +
          (((digits >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL)) >> 32;
}
constexpr std::uint64_t powers_of_ten[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
}  // namespace

// The number at `at` (an optional '-' and digits, as std::from_chars reads them); `at` is left
// on the character after it, which the caller checks is a separator. One pass, no search for
// the separator first, eight characters at a time where the text has eight left: the report
// decodes millions of entries (this was a quarter of its instructions byte by byte).
// The rare rest, out of line so that the common path stays small enough to inline: more than
// 18 digits, or no number at all.
[[gnu::noinline]] static std::int64_t number_by_from_chars(std::string_view text, std::size_t& at) {
  const char* begin = text.data() + at;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
  if (ec != std::errc{} || end == begin) {
    auto stop = text.find_first_of(":;,=", at);
    throw std::invalid_argument("kpi days: not a number: '" + std::string(text.substr(at, stop - at)) + "'");
  }
  at = static_cast<std::size_t>(end - text.data());
  return v;
}

[[gnu::always_inline]] static inline std::int64_t number_at(std::string_view text, std::size_t& at) {
  // Up to 18 digits cannot overflow: read by hand (most entries are a few digits); longer
  // numbers go to std::from_chars, which refuses what does not fit.
  std::size_t i = at;
  const bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  std::uint64_t magnitude = 0;
  const std::size_t digits_from = i;
  bool ended = false;  // a non-digit seen within the eight
  while (i + 8 <= text.size() && i - digits_from <= 10) {
    std::uint64_t chars;
    std::memcpy(&chars, text.data() + i, 8);
    // A byte's top bit set where it is not a digit: below '0' it borrows, above '9' it carries
    // (either spills into the later bytes only, which the first non-digit ends anyway).
    const std::uint64_t not_digit =
        ((chars - 0x3030303030303030ULL) | (chars + 0x4646464646464646ULL)) & 0x8080808080808080ULL;
    const int n = not_digit ? std::countr_zero(not_digit) / 8 : 8;
    if (n > 0) magnitude = magnitude * powers_of_ten[n] + eight_digits((chars ^ 0x3030303030303030ULL) << (8 * (8 - n)));
    i += static_cast<std::size_t>(n);
    if (n < 8) {
      ended = true;
      break;
    }
  }
  if (!ended)
    for (const std::size_t digits_end = std::min(text.size(), digits_from + 18); i < digits_end; ++i) {
      const auto digit = static_cast<unsigned char>(text[i] - '0');
      if (digit > 9) break;
      magnitude = magnitude * 10 + digit;
    }
  if (i > digits_from && (i == text.size() || text[i] < '0' || text[i] > '9')) {
    at = i;
    const auto value = static_cast<std::int64_t>(magnitude);
    return negative ? -value : value;
  }
  return number_by_from_chars(text, at);
}

static bool at_char(std::string_view text, std::size_t at, char c) { return at < text.size() && text[at] == c; }

std::vector<StockDay> unpack_stock_days(std::string_view text) {
  std::vector<StockDay> out;
  append_stock_days(text, out);
  return out;
}

void append_stock_days(std::string_view text, std::vector<StockDay>& out) {
  const std::size_t first = out.size();
  std::size_t at = 0;
  while (at < text.size()) {
    StockDay d;
    d.day = number_at(text, at);
    if (!at_char(text, at, ':')) throw std::invalid_argument("kpi days: a stock entry needs 2 or 3 parts");
    ++at;
    d.change_milli = number_at(text, at);
    if (at_char(text, at, ':')) {
      ++at;
      while (true) {
        const std::size_t reason_at = at;
        while (at < text.size() && text[at] != '=' && text[at] != ':' && text[at] != ';' && text[at] != ',') ++at;
        auto reason = text.substr(reason_at, at - reason_at);
        if (reason.empty() || !at_char(text, at, '=')) throw std::invalid_argument("kpi days: a loss needs reason=units");
        ++at;
        auto lost = number_at(text, at);
        if (at < text.size() && text[at] != ';' && text[at] != ',' && text[at] != ':')
          throw std::invalid_argument("kpi days: a loss needs reason=units");
        if (lost <= 0 || !d.lost_milli.emplace(std::string(reason), lost).second)
          throw std::invalid_argument("kpi days: a loss must be positive and its reason once");
        if (at_char(text, at, ',')) {
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
  sort_and_check(out, first);
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
  append_sold_days(text, out);
  return out;
}

void append_sold_days(std::string_view text, std::vector<SoldDay>& out) {
  const std::size_t first = out.size();
  std::size_t at = 0;
  while (at < text.size()) {
    std::int64_t parts[4];
    for (int i = 0; i < 4; ++i) {
      if (i > 0) {
        if (!at_char(text, at, ':')) throw std::invalid_argument("kpi days: a sales entry needs 4 parts");
        ++at;
      }
      parts[i] = number_at(text, at);
    }
    if (at < text.size()) {
      if (text[at] != ';') throw std::invalid_argument("kpi days: a sales entry needs 4 parts");
      ++at;
      if (at == text.size()) throw std::invalid_argument("kpi days: an empty entry");
    }
    if (parts[3] <= 0) throw std::invalid_argument("kpi days: a sales entry needs a line");
    out.push_back(SoldDay{parts[0], parts[1], parts[2], parts[3]});
  }
  sort_and_check(out, first);
}

StockMonthTotals stock_month_totals(const std::vector<StockDay>& days) {
  StockMonthTotals t;
  for (const auto& d : days) {
    t.change_milli += d.change_milli;
    t.low_milli = std::min(t.low_milli, t.change_milli);
    t.day_weighted += d.change_milli * d.day;
    for (const auto& [reason, lost] : d.lost_milli) t.lost_milli[reason] += lost;
  }
  return t;
}

std::string pack_losses(const std::map<std::string, std::int64_t>& lost) {
  std::string out;
  for (const auto& [reason, units] : lost) {
    if (!out.empty()) out += ',';
    out += reason;
    out += '=';
    out += std::to_string(units);
  }
  return out;
}

std::map<std::string, std::int64_t> unpack_losses(std::string_view text) {
  std::map<std::string, std::int64_t> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t reason_at = at;
    while (at < text.size() && text[at] != '=' && text[at] != ',') ++at;
    auto reason = text.substr(reason_at, at - reason_at);
    if (reason.empty() || !at_char(text, at, '=')) throw std::invalid_argument("kpi days: a loss needs reason=units");
    ++at;
    auto lost = number_at(text, at);
    if (lost <= 0 || !out.emplace(std::string(reason), lost).second)
      throw std::invalid_argument("kpi days: a loss must be positive and its reason once");
    if (at == text.size()) break;
    if (text[at] != ',' || at + 1 == text.size()) throw std::invalid_argument("kpi days: a loss needs reason=units");
    ++at;
  }
  return out;
}

SoldMonthTotals sold_month_totals(const std::vector<SoldDay>& days) {
  SoldMonthTotals t;
  for (const auto& d : days) {
    t.sold_milli += d.sold_milli;
    t.net_sales += d.net_sales;
  }
  return t;
}

std::string stock_month_entry(int month, const std::optional<StockMonthTotals>& totals) {
  if (!totals) return std::to_string(month) + ":?";
  return fmt::format("{}:{}:{}:{}:{}", month, totals->change_milli, totals->low_milli, totals->day_weighted,
                     pack_losses(totals->lost_milli));
}

std::string sold_month_entry(int month, const std::optional<SoldMonthTotals>& totals) {
  if (!totals) return std::to_string(month) + ":?";
  return fmt::format("{}:{}:{}", month, totals->sold_milli, totals->net_sales);
}

namespace {
// The month at the start of an entry, checked, with `at` left after its ':'; whether the entry
// is `month:?` (then `at` is left after the '?').
int entry_month(std::string_view text, std::size_t& at, bool& unknown) {
  const auto month = number_at(text, at);
  if (month < 1 || month % 100 < 1 || month % 100 > 12 || month > 999912 || !at_char(text, at, ':'))
    throw std::invalid_argument("kpi month totals: an entry needs a month (yyyymm) and ':'");
  ++at;
  unknown = at_char(text, at, '?');
  if (unknown) ++at;
  return static_cast<int>(month);
}

void entry_end(std::string_view text, std::size_t& at) {
  if (at == text.size()) return;
  if (text[at] != ';' || at + 1 == text.size()) throw std::invalid_argument("kpi month totals: entries are joined by ';'");
  ++at;
}

// The entries of `text` from `from_month` on into `out` (cleared), ascending by month: the
// month and `month:?` read here, a known entry's totals by `read_totals` (left after them).
template <class Entry, class ReadTotals>
void unpack_entries(std::string_view text, int from_month, std::vector<Entry>& out, ReadTotals read_totals) {
  out.clear();
  std::size_t at = 0;
  while (at < text.size()) {
    Entry e;
    bool unknown = false;
    e.month = entry_month(text, at, unknown);
    if (!unknown) {
      e.known = true;
      read_totals(e, at);
    }
    entry_end(text, at);
    if (e.month >= from_month) out.push_back(e);
  }
  auto by_month = [](const Entry& a, const Entry& b) { return a.month < b.month; };
  if (!std::is_sorted(out.begin(), out.end(), by_month)) std::sort(out.begin(), out.end(), by_month);
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].month == out[i - 1].month) throw std::invalid_argument("kpi month totals: a month twice");
}

// The ':' before an entry's next part.
void part_separator(std::string_view text, std::size_t& at, const char* kind) {
  if (!at_char(text, at, ':')) throw std::invalid_argument(std::string("kpi month totals: a ") + kind + " has too few parts");
  ++at;
}
}  // namespace

void unpack_stock_month_entries(std::string_view text, int from_month, std::vector<StockMonthEntry>& out) {
  unpack_entries(text, from_month, out, [text](StockMonthEntry& e, std::size_t& at) {
    e.change_milli = number_at(text, at);
    for (auto* part : {&e.low_milli, &e.day_weighted}) {
      part_separator(text, at, "stock entry");
      *part = number_at(text, at);
    }
    part_separator(text, at, "stock entry");
    const std::size_t losses_at = at;
    while (at < text.size() && text[at] != ';') ++at;
    e.losses = text.substr(losses_at, at - losses_at);
  });
}

void unpack_sold_month_entries(std::string_view text, int from_month, std::vector<SoldMonthEntry>& out) {
  unpack_entries(text, from_month, out, [text](SoldMonthEntry& e, std::size_t& at) {
    e.sold_milli = number_at(text, at);
    part_separator(text, at, "sales entry");
    e.net_sales = number_at(text, at);
  });
}

std::string replace_month_entries(std::string_view packed, const std::map<int, std::string>& changed) {
  std::map<int, std::string_view> entries;
  std::size_t at = 0;
  while (at < packed.size()) {
    const std::size_t from = at;
    bool unknown = false;
    const int month = entry_month(packed, at, unknown);
    at = std::min(packed.find(';', at), packed.size());
    entries[month] = packed.substr(from, at - from);
    entry_end(packed, at);
  }
  for (const auto& [month, entry] : changed) {
    if (entry.empty()) entries.erase(month);
    else entries[month] = entry;
  }
  std::string out;
  for (const auto& [month, entry] : entries) {
    if (!out.empty()) out += ';';
    out += entry;
  }
  return out;
}

std::int64_t first_day_of_month(int month) {
  chr::year_month_day ymd{chr::year{month / 100}, chr::month{static_cast<unsigned>(month % 100)}, chr::day{1}};
  return chr::sys_days{ymd}.time_since_epoch().count();
}

std::int64_t last_day_of_month(int month) {
  chr::year_month_day_last ymd{chr::year{month / 100}, chr::month_day_last{chr::month{static_cast<unsigned>(month % 100)}}};
  return chr::sys_days{ymd}.time_since_epoch().count();
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
