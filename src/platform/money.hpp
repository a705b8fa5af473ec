// Money as text: minor units (int64, see types.hpp) shown and read with the currency's
// number of decimals (ISO 4217 minor unit: 2 for EUR, 0 for JPY, 3 for KWD). The one
// place that turns an amount into "-12.34" and back; receipts, labels and CSV all use it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backroom {

// Most decimals a currency may have here: 10^18 still fits int64.
inline constexpr int currency_decimals_max = 18;

// 1999, 2 -> "19.99"; -5, 2 -> "-0.05"; 1200, 0 -> "1200"; 1234, 3 -> "1.234".
// A minus sign, then the whole units, then `decimals` digits; no grouping, no symbol.
// decimals <= 0 shows whole minor units. Every int64 formats (INT64_MIN too).
// Pre: decimals <= currency_decimals_max.
std::string format_money(std::int64_t minor, int decimals);

// "19.99" -> 1999 with 2 decimals: exact, at most `decimals` decimals, at most 13 whole
// digits, no sign, no exponent, surrounding blanks ignored; nullopt past money_minor_max.
std::optional<std::int64_t> parse_money(std::string_view text, int decimals);

}  // namespace backroom
