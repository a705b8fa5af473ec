#include "sales/pricing.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "platform/assert.hpp"

namespace backroom::sales {

std::int64_t mul_div_round(std::int64_t a, std::int64_t b, std::int64_t c, RoundingMode mode) {
  __int128 n = static_cast<__int128>(a) * b;
  bool negative = n < 0;
  if (negative) n = -n;
  __int128 q = n / c;
  __int128 r = n % c;
  __int128 twice = r * 2;
  if (twice > c || (twice == c && (mode == RoundingMode::half_up || (q % 2) == 1))) ++q;
  return static_cast<std::int64_t>(negative ? -q : q);
}

std::vector<std::int64_t> allocate(std::int64_t amount, const std::vector<std::int64_t>& weights) {
  BR_ASSERT(!weights.empty() || amount == 0, "an amount cannot be split over no parts");
  std::vector<std::int64_t> parts(weights.size(), 0);
  if (amount == 0) return parts;
  __int128 sum = 0;
  for (auto w : weights) sum += w;
  // All weights zero: equal shares, so the parts still sum to the amount.
  bool equal_shares = sum == 0;
  if (equal_shares) sum = static_cast<__int128>(weights.size());
  bool negative = amount < 0;
  __int128 whole = negative ? -static_cast<__int128>(amount) : amount;
  std::vector<std::pair<__int128, std::size_t>> remainders;
  __int128 given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    __int128 n = whole * (equal_shares ? 1 : weights[i]);
    parts[i] = static_cast<std::int64_t>(n / sum);
    given += parts[i];
    remainders.emplace_back(n % sum, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  for (std::size_t k = 0; given < whole; ++k, ++given) ++parts[remainders[k % remainders.size()].second];
  if (negative)
    for (auto& p : parts) p = -p;
  BR_ASSERT(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}) == amount, "allocated parts sum to the amount");
  return parts;
}

std::int64_t discount_amount(const Discount& d, std::int64_t base, RoundingMode mode) {
  if (base <= 0) return 0;
  std::int64_t amount = d.kind == Discount::Kind::percent ? mul_div_round(base, d.value, basis_points_whole, mode)
                                                          : d.value;
  return std::clamp<std::int64_t>(amount, 0, base);
}

std::int64_t discount_basis_points(std::int64_t discount, std::int64_t base) {
  if (discount <= 0) return 0;
  if (base <= 0) return basis_points_whole;
  __int128 n = static_cast<__int128>(discount) * basis_points_whole;
  return static_cast<std::int64_t>((n + base - 1) / base);
}

bool discount_within_limit(std::int64_t discount, std::int64_t base, std::int64_t limit_bp, RoundingMode mode) {
  if (discount <= 0) return true;
  if (base <= 0) return false;
  Discount limit{Discount::Kind::percent, std::clamp<std::int64_t>(limit_bp, 0, basis_points_whole), ""};
  return discount <= discount_amount(limit, base, mode);
}

namespace {
// Tax in (inclusive) or on (exclusive) an amount of the shelf basis.
std::int64_t tax_of(std::int64_t net, std::int64_t rate_bp, const PricingRules& rules) {
  if (rules.tax_mode == TaxMode::exclusive) return mul_div_round(net, rate_bp, basis_points_whole, rules.rounding);
  return mul_div_round(net, rate_bp, basis_points_whole + rate_bp, rules.rounding);
}
}  // namespace

PricedReceipt price_receipt(const std::vector<PriceLine>& lines, const std::optional<Discount>& receipt_discount,
                            const PricingRules& rules) {
  PricedReceipt out;
  out.lines.resize(lines.size());
  std::vector<std::int64_t> after_line(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& p = out.lines[i];
    const auto& l = lines[i];
    p.gross = l.fixed_amount ? *l.fixed_amount
                             : mul_div_round(l.quantity.milli, l.unit_price, Quantity::scale, rules.rounding);
    p.line_discount = l.discount ? discount_amount(*l.discount, p.gross, rules.rounding) : 0;
    after_line[i] = p.gross - p.line_discount;
    out.subtotal += p.gross;
  }
  std::int64_t base = std::accumulate(after_line.begin(), after_line.end(), std::int64_t{0});
  std::int64_t receipt_off = receipt_discount ? discount_amount(*receipt_discount, base, rules.rounding) : 0;
  auto shares = allocate(receipt_off, after_line);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& p = out.lines[i];
    p.receipt_discount = shares[i];
    p.net = after_line[i] - shares[i];
  }
  if (rules.tax_rounding == TaxRounding::per_line) {
    for (std::size_t i = 0; i < lines.size(); ++i) out.lines[i].tax = tax_of(out.lines[i].net, lines[i].tax_rate_bp, rules);
  } else {
    // One rounding per rate on the receipt, then split back over that rate's lines.
    std::map<std::int64_t, std::vector<std::size_t>> by_rate;
    for (std::size_t i = 0; i < lines.size(); ++i) by_rate[lines[i].tax_rate_bp].push_back(i);
    for (const auto& [rate, index] : by_rate) {
      std::int64_t rate_net = 0;
      std::vector<std::int64_t> weights;
      for (auto i : index) {
        rate_net += out.lines[i].net;
        weights.push_back(out.lines[i].net);
      }
      auto parts = allocate(tax_of(rate_net, rate, rules), weights);
      for (std::size_t k = 0; k < index.size(); ++k) out.lines[index[k]].tax = parts[k];
    }
  }
  std::int64_t net_total = 0;
  for (auto& p : out.lines) {
    p.total = rules.tax_mode == TaxMode::exclusive ? p.net + p.tax : p.net;
    out.discount_total += p.line_discount + p.receipt_discount;
    out.tax_total += p.tax;
    out.total += p.total;
    net_total += p.net;
  }
  BR_ASSERT(out.subtotal - out.discount_total == net_total, "gross less discounts is the net of the lines");
  BR_ASSERT(out.total == (rules.tax_mode == TaxMode::exclusive ? net_total + out.tax_total : net_total),
            "the receipt total is the net plus any added tax");
  return out;
}

Refund prorate_refund(std::int64_t line_total, std::int64_t line_tax, Quantity sold, Quantity already_returned,
                      Quantity returning, RoundingMode mode) {
  auto share = [&](std::int64_t whole, Quantity upto) {
    if (upto == sold) return whole;
    return mul_div_round(whole, upto.milli, sold.milli, mode);
  };
  Quantity after = already_returned + returning;
  return Refund{share(line_total, after) - share(line_total, already_returned),
                share(line_tax, after) - share(line_tax, already_returned)};
}

}  // namespace backroom::sales
