#include "platform/money.hpp"

#include <fmt/format.h>

#include "platform/assert.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom {

namespace {

std::uint64_t power_of_ten(int decimals) {
  std::uint64_t scale = 1;
  for (int d = 0; d < decimals; ++d) scale *= 10;
  return scale;
}

}  // namespace

std::string format_money(std::int64_t minor, int decimals) {
  BR_ASSERT(decimals <= currency_decimals_max, "a currency has at most 18 decimals");
  // The magnitude as unsigned: -INT64_MIN does not fit int64.
  const std::uint64_t magnitude = minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  const char* sign = minor < 0 ? "-" : "";
  if (decimals <= 0) return fmt::format("{}{}", sign, magnitude);
  const std::uint64_t scale = power_of_ten(decimals);
  return fmt::format("{}{}.{:0{}}", sign, magnitude / scale, magnitude % scale, decimals);
}

std::optional<std::int64_t> parse_money(std::string_view text, int decimals) {
  BR_ASSERT(decimals <= currency_decimals_max, "a currency has at most 18 decimals");
  text = text::trim(text);
  if (text.empty()) return std::nullopt;
  std::int64_t whole = 0;
  std::size_t i = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    whole = whole * 10 + (text[i] - '0');
    if (++digits > 13) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++fraction_digits > decimals) return std::nullopt;
      fraction = fraction * 10 + (text[i] - '0');
    }
  }
  if (i != text.size()) return std::nullopt;
  for (; fraction_digits < decimals; ++fraction_digits) fraction *= 10;
  const __int128 minor = static_cast<__int128>(whole) * power_of_ten(decimals) + fraction;
  if (minor > money_minor_max) return std::nullopt;
  return static_cast<std::int64_t>(minor);
}

}  // namespace backroom
