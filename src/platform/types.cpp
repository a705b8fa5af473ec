#include "platform/types.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace backroom {

std::optional<Quantity> parse_quantity(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  std::int64_t whole = 0;
  std::size_t whole_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    whole = whole * 10 + (text[i] - '0');
    if (++whole_digits > 10 || whole > quantity_units_max) return std::nullopt;
  }
  if (whole_digits == 0) return std::nullopt;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      int digit = text[i] - '0';
      if (fraction_digits == 3) {
        if (digit != 0) return std::nullopt;  // a 4th significant decimal is not a milli-unit
        continue;
      }
      fraction = fraction * 10 + digit;
      ++fraction_digits;
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  for (; fraction_digits < 3; ++fraction_digits) fraction *= 10;
  std::int64_t milli = whole * Quantity::scale + fraction;
  return Quantity{negative ? -milli : milli};
}

std::string format_quantity(Quantity q) {
  std::int64_t v = q.milli;
  std::string sign = v < 0 ? "-" : "";
  std::uint64_t a = v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
  std::uint64_t whole = a / 1000, frac = a % 1000;
  if (frac == 0) return fmt::format("{}{}", sign, whole);
  std::string f = fmt::format("{:03}", frac);
  while (f.back() == '0') f.pop_back();
  return fmt::format("{}{}.{}", sign, whole, f);
}

#ifdef BACKROOM_TEST_CLOCK
namespace {
// The test build's clock (CMake BACKROOM_TESTS=ON defines BACKROOM_TEST_CLOCK; release builds
// never compile it): when BACKROOM_TEST_CLOCK_FILE names a file, "now" is the RFC 3339 time
// written in it, read at every call, so an integration test can build dated history (a shop
// week by week) through the API. An unreadable time stops the server rather than guess.
std::optional<Timestamp> test_clock() {
  static const char* path = std::getenv("BACKROOM_TEST_CLOCK_FILE");
  if (path == nullptr || *path == '\0') return std::nullopt;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string line = text.str();
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  auto t = parse_rfc3339(line);
  if (!t) {
    std::fprintf(stderr, "BACKROOM_TEST_CLOCK_FILE %s holds no RFC 3339 time: '%s'\n", path, line.c_str());
    std::abort();
  }
  return t;
}
}  // namespace
#endif

Timestamp now() {
#ifdef BACKROOM_TEST_CLOCK
  if (auto t = test_clock()) return *t;
#endif
  auto d = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(d).count()};
}

std::string format_rfc3339(Timestamp t) {
  std::int64_t secs = t.micros / 1'000'000;
  std::int64_t micros = t.micros % 1'000'000;
  if (micros < 0) {
    micros += 1'000'000;
    --secs;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

namespace {
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<Timestamp> parse_rfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (!read_digits(s, 0, 4, year) || !read_digits(s, 5, 2, month) || !read_digits(s, 8, 2, day) ||
      !read_digits(s, 11, 2, hour) || !read_digits(s, 14, 2, minute) ||
      !read_digits(s, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (pos + 6 != s.size() || s[pos + 3] != ':' || !read_digits(s, pos + 1, 2, oh) ||
        !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return Timestamp{secs * 1'000'000 + micros};
}

}  // namespace backroom
