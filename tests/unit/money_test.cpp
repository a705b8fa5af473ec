// format_money and parse_money: one table of amounts per currency exponent. Exponents are
// the ISO 4217 minor units (list one, "Minor unit" column): JPY 0, EUR and USD 2, KWD and
// BHD 3 (1 dinar = 1000 fils). Large values reach money_minor_max and the int64 ends.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "platform/money.hpp"
#include "platform/types.hpp"

namespace backroom {
namespace {

struct MoneyCase {
  const char* currency;  // what the exponent stands for, for the failure message
  int decimals;
  std::int64_t minor;
  const char* text;
};

const MoneyCase money_cases[] = {
    {"JPY", 0, 0, "0"},
    {"JPY", 0, 1200, "1200"},
    {"JPY", 0, -1200, "-1200"},
    {"EUR", 2, 0, "0.00"},
    {"EUR", 2, 5, "0.05"},
    {"EUR", 2, 1999, "19.99"},
    {"EUR", 2, 1200, "12.00"},
    {"EUR", 2, -5, "-0.05"},
    {"EUR", 2, -250, "-2.50"},
    {"EUR", 2, -1999, "-19.99"},
    {"EUR", 2, money_minor_max, "100000000000.00"},
    {"EUR", 2, -money_minor_max, "-100000000000.00"},
    {"KWD", 3, 1, "0.001"},
    {"KWD", 3, 1234, "1.234"},
    {"KWD", 3, 1000, "1.000"},
    {"KWD", 3, -1, "-0.001"},
    {"BHD", 3, -1234567, "-1234.567"},
    {"BHD", 3, money_minor_max, "10000000000.000"},
};

TEST(Money, FormatsWithTheCurrencyDecimals) {
  for (const auto& c : money_cases) EXPECT_EQ(format_money(c.minor, c.decimals), c.text) << c.currency << " " << c.minor;
}

TEST(Money, ParsesWhatItFormats) {
  for (const auto& c : money_cases) {
    if (c.minor < 0) continue;  // parse_money reads no sign (CSV prices and costs)
    auto parsed = parse_money(c.text, c.decimals);
    ASSERT_TRUE(parsed) << c.currency << " " << c.text;
    EXPECT_EQ(*parsed, c.minor) << c.currency << " " << c.text;
  }
}

TEST(Money, FormatsTheEndsOfInt64) {
  EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::max(), 2), "92233720368547758.07");
  EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::min(), 2), "-92233720368547758.08");
  EXPECT_EQ(format_money(std::numeric_limits<std::int64_t>::min(), 0), "-9223372036854775808");
}

TEST(Money, ParseRefusesWhatIsNotAnExactAmount) {
  struct Case {
    const char* text;
    int decimals;
    std::optional<std::int64_t> minor;
  };
  const Case cases[] = {
      {" 19.99 ", 2, 1999},  {"19.9", 2, 1990},        {"19", 2, 1900},     {"19.", 2, 1900},
      {"19.999", 2, {}},     {"1.5", 0, {}},           {"-1.00", 2, {}},    {"+1", 2, {}},
      {"", 2, {}},           {".5", 2, {}},            {"1e3", 2, {}},      {"1,50", 2, {}},
      {"100000000000.00", 2, money_minor_max},          {"100000000000.01", 2, {}},
      {"99999999999999", 0, {}},  // 14 whole digits
  };
  for (const auto& c : cases) {
    auto parsed = parse_money(c.text, c.decimals);
    EXPECT_EQ(parsed, c.minor) << "'" << c.text << "' with " << c.decimals << " decimals";
  }
}

}  // namespace
}  // namespace backroom
