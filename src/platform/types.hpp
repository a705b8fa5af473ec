// Exact numbers and time: Money (int64 minor units + ISO 4217 currency), Quantity
// (int64 milli-units, so 1 each = 1000 and 1 kg = 1000 g), Timestamp (UTC microseconds).
// No floating point ever touches money or stock.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backroom {

struct Quantity {
  std::int64_t milli = 0;

  static constexpr std::int64_t scale = 1000;
  static constexpr Quantity units(std::int64_t whole) { return Quantity{whole * scale}; }
  constexpr auto operator<=>(const Quantity&) const = default;
  constexpr Quantity operator+(Quantity o) const { return Quantity{milli + o.milli}; }
  constexpr Quantity operator-(Quantity o) const { return Quantity{milli - o.milli}; }
  constexpr Quantity operator-() const { return Quantity{-milli}; }
};

// Largest quantity accepted from outside, in whole units; keeps every product of
// quantity and price inside int64.
inline constexpr std::int64_t quantity_units_max = 1'000'000'000;

// Parses "2", "-0.25", "1.500" exactly into milli-units. At most 3 decimals, no exponent.
std::optional<Quantity> parse_quantity(std::string_view text);
// Formats milli-units as the shortest exact decimal: 2000 -> "2", 250 -> "0.25".
std::string format_quantity(Quantity q);

struct Money {
  std::int64_t minor = 0;  // cents for EUR/USD
  std::string currency;    // "EUR"; empty where the shop currency is implied
  constexpr auto operator<=>(const Money&) const = default;
};

// Largest money amount accepted from outside, in minor units (10^13 = 100 billion units).
inline constexpr std::int64_t money_minor_max = 10'000'000'000'000;

// Microseconds since the Unix epoch, UTC.
struct Timestamp {
  std::int64_t micros = 0;
  constexpr auto operator<=>(const Timestamp&) const = default;
};

Timestamp now();
// "2026-11-28T02:00:05.123456Z"
std::string format_rfc3339(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)".
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace backroom
