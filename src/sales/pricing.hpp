// Receipt arithmetic: line amounts, line and receipt discounts, tax (inclusive or exclusive,
// rates in basis points, rounded per line or per receipt) and refund proration. Pure
// functions over integer minor units and milli-unit quantities: no database, no floats.
// Every split (a receipt discount over lines, a receipt's tax over lines) is exact: the
// parts always sum to the whole, so refunds of every line add up to the receipt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/types.hpp"

namespace backroom::sales {

inline constexpr std::int64_t basis_points_whole = 10'000;  // 100 %
inline constexpr std::int64_t tax_rate_bp_max = 10'000;

enum class RoundingMode { half_up, half_even };  // half_up: half away from zero
enum class TaxMode { inclusive, exclusive };      // shelf prices include tax, or tax is added
enum class TaxRounding { per_line, per_receipt };

struct PricingRules {
  TaxMode tax_mode = TaxMode::inclusive;
  TaxRounding tax_rounding = TaxRounding::per_line;
  RoundingMode rounding = RoundingMode::half_even;
};

struct Discount {
  enum class Kind { percent, amount };
  Kind kind = Kind::amount;
  std::int64_t value = 0;  // percent: basis points (1500 = 15 %); amount: minor units
  std::string reason;
};

struct PriceLine {
  Quantity quantity;
  std::int64_t unit_price = 0;              // per whole unit (1000 milli), shelf basis
  std::optional<std::int64_t> fixed_amount;  // a price-embedded label: the line's amount as printed
  std::optional<Discount> discount;
  std::int64_t tax_rate_bp = 0;
};

struct PricedLine {
  std::int64_t gross = 0;             // quantity x unit price (or the fixed amount), rounded
  std::int64_t line_discount = 0;     // this line's own discount
  std::int64_t receipt_discount = 0;  // this line's share of the receipt discount
  std::int64_t net = 0;               // gross - discounts, in the shelf basis
  std::int64_t tax = 0;               // tax contained in (inclusive) or added to (exclusive) net
  std::int64_t total = 0;             // what the customer pays for the line
};

struct PricedReceipt {
  std::vector<PricedLine> lines;
  std::int64_t subtotal = 0;        // sum of gross
  std::int64_t discount_total = 0;  // line + receipt discounts
  std::int64_t tax_total = 0;
  std::int64_t total = 0;           // sum of line totals
};

// a * b / c rounded by `mode`; c > 0. Exact in 128 bits.
std::int64_t mul_div_round(std::int64_t a, std::int64_t b, std::int64_t c, RoundingMode mode);

// Splits `amount` over `weights` (all >= 0) in proportion, by largest remainder, ties to
// the earlier index. The parts sum to `amount` exactly (asserted); when every weight is
// zero the parts are equal shares. `weights` may be empty only when `amount` is 0.
std::vector<std::int64_t> allocate(std::int64_t amount, const std::vector<std::int64_t>& weights);

// The discount in minor units on `base`: a percent is rounded by `mode`; an amount is
// capped at `base`.
std::int64_t discount_amount(const Discount& d, std::int64_t base, RoundingMode mode);

// The discount as basis points of `base`, rounded up: for showing people, never for
// deciding a limit (10 % of 335 is 34 with half-even rounding, which is 10.15 %).
std::int64_t discount_basis_points(std::int64_t discount, std::int64_t base);

// Whether `discount` off `base` is within a limit of `limit_bp`: at most what a
// `limit_bp` percent discount on `base` prices to under `mode` (discount_amount). Exact:
// a percent discount at the limit is always within it.
bool discount_within_limit(std::int64_t discount, std::int64_t base, std::int64_t limit_bp, RoundingMode mode);

// Prices a receipt. Preconditions: quantities > 0, prices >= 0, percent discounts within
// 0..10000 bp, tax rates within 0..tax_rate_bp_max.
PricedReceipt price_receipt(const std::vector<PriceLine>& lines, const std::optional<Discount>& receipt_discount,
                            const PricingRules& rules);

struct Refund {
  std::int64_t amount = 0;  // paid back, tax included
  std::int64_t tax = 0;     // tax reversed
};

// The refund for returning `returning` of a line sold as `sold` (total and tax as
// priced), of which `already_returned` came back before. Telescoping: the refunds of
// all returns of a line sum exactly to its total and its tax.
Refund prorate_refund(std::int64_t line_total, std::int64_t line_tax, Quantity sold, Quantity already_returned,
                      Quantity returning, RoundingMode mode);

}  // namespace backroom::sales
