// Receipts as tables: lines, discounts, tax mode and rounding -> expected totals, and
// refunds that prorate exactly. Every expected number below is worked out by hand (the
// comment on each row shows the arithmetic) or taken from a published VAT example.
#include <gtest/gtest.h>

#include <numeric>

#include "sales/pricing.hpp"

using namespace backroom;
using namespace backroom::sales;

namespace {

constexpr auto inc = TaxMode::inclusive;
constexpr auto exc = TaxMode::exclusive;
constexpr auto per_line = TaxRounding::per_line;
constexpr auto per_receipt = TaxRounding::per_receipt;
constexpr auto even = RoundingMode::half_even;
constexpr auto up = RoundingMode::half_up;

PriceLine line(std::int64_t quantity_milli, std::int64_t unit_price, std::int64_t rate_bp,
               std::optional<Discount> discount = std::nullopt, std::optional<std::int64_t> fixed = std::nullopt) {
  return PriceLine{Quantity{quantity_milli}, unit_price, fixed, discount, rate_bp};
}
Discount pct(std::int64_t bp) { return Discount{Discount::Kind::percent, bp, ""}; }
Discount amt(std::int64_t minor) { return Discount{Discount::Kind::amount, minor, ""}; }

struct ReceiptCase {
  const char* name;
  std::vector<PriceLine> lines;
  std::optional<Discount> receipt_discount;
  PricingRules rules;
  std::int64_t subtotal, discount_total, tax_total, total;
  std::vector<std::int64_t> line_totals;
  std::vector<std::int64_t> line_taxes;
};

const std::vector<ReceiptCase>& receipt_cases() {
  static const std::vector<ReceiptCase> cases = {
      // Published: UK VAT 17.5 %: net 200.00 -> VAT 35.00, gross 235.00 (bookkeepers.org.uk).
      {"uk_17_5_exclusive", {line(1000, 20000, 1750)}, {}, {exc, per_line, even}, 20000, 0, 3500, 23500, {23500}, {3500}},
      // Published: the same from the gross: VAT fraction 7/47 of 235.00 = 35.00.
      {"uk_17_5_inclusive", {line(1000, 23500, 1750)}, {}, {inc, per_line, even}, 23500, 0, 3500, 23500, {23500}, {3500}},
      // Published: UK VAT 20 %: net 200 -> 40, gross 240; fraction 1/6.
      {"uk_20_exclusive", {line(1000, 20000, 2000)}, {}, {exc, per_line, even}, 20000, 0, 4000, 24000, {24000}, {4000}},
      {"uk_20_inclusive", {line(1000, 24000, 2000)}, {}, {inc, per_line, even}, 24000, 0, 4000, 24000, {24000}, {4000}},
      // Published: UK VAT 5 %: net 200 -> 10, gross 210; fraction 1/21.
      {"uk_5_inclusive", {line(1000, 21000, 500)}, {}, {inc, per_line, even}, 21000, 0, 1000, 21000, {21000}, {1000}},
      // Published: 74.59 + 17.5 % = 87.64 (74.59 x 1.175 = 87.643); from 87.64 back: VAT 13.05.
      {"uk_17_5_74_59", {line(1000, 7459, 1750)}, {}, {exc, per_line, even}, 7459, 0, 1305, 8764, {8764}, {1305}},
      {"uk_17_5_87_64_back", {line(1000, 8764, 1750)}, {}, {inc, per_line, even}, 8764, 0, 1305, 8764, {8764}, {1305}},
      // NL 21 %: 12.10 incl -> 2.10; 9 %: 10.90 incl -> 0.90.
      {"nl_21_and_9", {line(1000, 1210, 2100), line(1000, 1090, 900)}, {}, {inc, per_line, even}, 2300, 0, 300, 2300,
       {1210, 1090}, {210, 90}},
      // Weighed: 1.234 kg at 4.30/kg = 530.62 -> 531; 9 % inclusive: 531 x 900/10900 = 43.84 -> 44.
      {"weighed_apples", {line(1234, 430, 900)}, {}, {inc, per_line, even}, 531, 0, 44, 531, {531}, {44}},
      // Line discount 10 % of 29.14 = 2.914 -> 2.91; 26.23 incl 9 %: 26.23 x 9/109 = 2.1657 -> 2.17.
      {"line_percent", {line(2000, 1457, 900, pct(1000))}, {}, {inc, per_line, even}, 2914, 291, 217, 2623, {2623}, {217}},
      // A tie: 0.5 units at 0.05 = 0.025 -> 0.02 (half-even) or 0.03 (half-up).
      {"tie_half_even", {line(500, 5, 0)}, {}, {inc, per_line, even}, 2, 0, 0, 2, {2}, {0}},
      {"tie_half_up", {line(500, 5, 0)}, {}, {inc, per_line, up}, 3, 0, 0, 3, {3}, {0}},
      // Exclusive 21 % on 0.10: 0.021 -> 0.02 per line; three lines per line = 0.06, per receipt 0.063 -> 0.06.
      {"exclusive_per_line_three", {line(1000, 10, 2100), line(1000, 10, 2100), line(1000, 10, 2100)}, {},
       {exc, per_line, even}, 30, 0, 6, 36, {12, 12, 12}, {2, 2, 2}},
      // 10 % on four lines of 1.25: per line each tax is 0.125 -> 0.12 (half-even), 0.48 in all; per receipt
      // 5.00 x 10 % = 0.50 exactly, split 0.13, 0.13, 0.12, 0.12. The two rules differ by 0.02.
      {"exclusive_per_line_rounds_each", {line(1000, 125, 1000), line(1000, 125, 1000), line(1000, 125, 1000), line(1000, 125, 1000)},
       {}, {exc, per_line, even}, 500, 0, 48, 548, {137, 137, 137, 137}, {12, 12, 12, 12}},
      {"exclusive_per_line_half_up", {line(1000, 125, 1000), line(1000, 125, 1000)},
       {}, {exc, per_line, up}, 250, 0, 26, 276, {138, 138}, {13, 13}},
      {"exclusive_per_receipt_rounds_once", {line(1000, 125, 1000), line(1000, 125, 1000), line(1000, 125, 1000), line(1000, 125, 1000)},
       {}, {exc, per_receipt, even}, 500, 0, 50, 550, {138, 138, 137, 137}, {13, 13, 12, 12}},
      // Receipt discount 10.00 on 30.00 + 70.00 splits 3.00 / 7.00; 21 % inclusive of 27.00 -> 4.6859 -> 4.69,
      // of 63.00 -> 10.9338 -> 10.93.
      {"receipt_amount_prorated", {line(1000, 3000, 2100), line(1000, 7000, 2100)}, amt(1000), {inc, per_line, even},
       10000, 1000, 1562, 9000, {2700, 6300}, {469, 1093}},
      // Receipt 15 % of 10.00 = 1.50 split over 3 x 3.33 + 0.01: shares by largest remainder 0.50,0.50,0.50,0.00.
      {"receipt_percent_largest_remainder", {line(1000, 333, 0), line(1000, 333, 0), line(1000, 333, 0), line(1000, 1, 0)},
       pct(1500), {inc, per_line, even}, 1000, 150, 0, 850, {283, 283, 283, 1}, {0, 0, 0, 0}},
      // Amount discount larger than the line is capped at the line: 5.00 off a 3.00 line -> 0.
      {"discount_capped", {line(1000, 300, 900, amt(500))}, {}, {inc, per_line, even}, 300, 300, 0, 0, {0}, {0}},
      // Price-embedded label: the printed amount 6.78 is the line amount; the quantity is 1 pack.
      {"embedded_price", {line(1000, 0, 900, std::nullopt, 678)}, {}, {inc, per_line, even}, 678, 0, 56, 678, {678}, {56}},
      // Mixed rates per receipt: 21 %: 1.00 + 2.00 exclusive -> 0.63; 9 %: 5.00 -> 0.45. Total 8.00 + 1.08.
      {"mixed_rates_per_receipt", {line(1000, 100, 2100), line(1000, 500, 900), line(1000, 200, 2100)}, {},
       {exc, per_receipt, even}, 800, 0, 108, 908, {121, 545, 242}, {21, 45, 42}},
      // Line and receipt discount together: 20.00 less 25 % = 15.00; + 5.00; receipt 2.00 off 20.00:
      // shares 1.50 / 0.50 -> nets 13.50 / 4.50; exclusive 20 %: 2.70 / 0.90.
      {"line_and_receipt", {line(1000, 2000, 2000, pct(2500)), line(1000, 500, 2000)}, amt(200), {exc, per_line, even},
       2500, 700, 360, 2160, {1620, 540}, {270, 90}},
  };
  return cases;
}

void PrintTo(const ReceiptCase& c, std::ostream* os) { *os << c.name; }

class ReceiptTable : public ::testing::TestWithParam<ReceiptCase> {};

TEST_P(ReceiptTable, PricesAsWorkedOut) {
  const auto& c = GetParam();
  auto r = price_receipt(c.lines, c.receipt_discount, c.rules);
  EXPECT_EQ(r.subtotal, c.subtotal);
  EXPECT_EQ(r.discount_total, c.discount_total);
  EXPECT_EQ(r.tax_total, c.tax_total);
  EXPECT_EQ(r.total, c.total);
  ASSERT_EQ(r.lines.size(), c.line_totals.size());
  std::int64_t sum = 0, tax = 0;
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    EXPECT_EQ(r.lines[i].total, c.line_totals[i]) << "line " << i;
    EXPECT_EQ(r.lines[i].tax, c.line_taxes[i]) << "line " << i;
    sum += r.lines[i].total;
    tax += r.lines[i].tax;
  }
  EXPECT_EQ(sum, r.total) << "lines add up to the receipt";
  EXPECT_EQ(tax, r.tax_total);
}

INSTANTIATE_TEST_SUITE_P(Receipts, ReceiptTable, ::testing::ValuesIn(receipt_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

struct RefundCase {
  const char* name;
  std::int64_t line_total, line_tax, sold_milli;
  std::vector<std::int64_t> returns_milli;  // successive returns of the line
  std::vector<std::int64_t> refunds, taxes;
};

void PrintTo(const RefundCase& c, std::ostream* os) { *os << c.name; }

class RefundTable : public ::testing::TestWithParam<RefundCase> {};

TEST_P(RefundTable, ProratesAndTelescopes) {
  const auto& c = GetParam();
  Quantity already{};
  std::int64_t refunded = 0, tax = 0;
  for (std::size_t i = 0; i < c.returns_milli.size(); ++i) {
    auto r = prorate_refund(c.line_total, c.line_tax, Quantity{c.sold_milli}, already, Quantity{c.returns_milli[i]}, even);
    EXPECT_EQ(r.amount, c.refunds[i]) << "return " << i;
    EXPECT_EQ(r.tax, c.taxes[i]) << "return " << i;
    already = already + Quantity{c.returns_milli[i]};
    refunded += r.amount;
    tax += r.tax;
  }
  if (already.milli == c.sold_milli) {
    EXPECT_EQ(refunded, c.line_total) << "returning everything refunds the whole line";
    EXPECT_EQ(tax, c.line_tax);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Refunds, RefundTable,
    ::testing::ValuesIn(std::vector<RefundCase>{
        // 3 sold for 10.00 (a 1.00 receipt discount share inside): 3.33 | 6.67 - 3.33 = 3.34 | 10.00 - 6.67 = 3.33.
        {"thirds", 1000, 159, 3000, {1000, 1000, 1000}, {333, 334, 333}, {53, 53, 53}},
        // All at once.
        {"whole", 2623, 217, 2000, {2000}, {2623}, {217}},
        // Weighed: 1.234 kg for 5.31, 0.5 kg back: 5.31 x 0.5/1.234 = 2.1515 -> 2.15; tax 0.44 -> 0.1783 -> 0.18.
        {"weighed_part", 531, 44, 1234, {500, 734}, {215, 316}, {18, 26}},
        // 7 sold for 1.00: one by one the refunds are 14,15,14,14,14,15,14 (sum 100).
        {"sevenths", 100, 0, 7000, {1000, 1000, 1000, 1000, 1000, 1000, 1000}, {14, 15, 14, 14, 14, 15, 14}, {0, 0, 0, 0, 0, 0, 0}},
    }),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Allocate, SumsExactlyAndFollowsWeights) {
  EXPECT_EQ(allocate(100, {1, 1, 1}), (std::vector<std::int64_t>{34, 33, 33}));
  EXPECT_EQ(allocate(-100, {1, 1, 1}), (std::vector<std::int64_t>{-34, -33, -33}));
  EXPECT_EQ(allocate(5, {0, 10, 0}), (std::vector<std::int64_t>{0, 5, 0}));
  EXPECT_EQ(allocate(0, {3, 4}), (std::vector<std::int64_t>{0, 0}));
  // All weights zero: equal shares by largest remainder, so the parts still sum.
  EXPECT_EQ(allocate(7, {0, 0}), (std::vector<std::int64_t>{4, 3}));
  EXPECT_EQ(allocate(-5, {0, 0, 0}), (std::vector<std::int64_t>{-2, -2, -1}));
  EXPECT_EQ(allocate(0, {}), (std::vector<std::int64_t>{}));
  auto parts = allocate(1'000'003, {17, 3, 999, 1, 0, 45});
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}), 1'000'003);
}

TEST(AllocateDeathTest, AnAmountOverNoPartsIsABrokenInvariant) {
  EXPECT_DEATH(allocate(1, {}), "pricing\\.cpp:[0-9]+: assertion failed: an amount cannot be split over no parts");
}

TEST(MulDivRound, HalfEvenAndHalfUpIncludingNegatives) {
  EXPECT_EQ(mul_div_round(5, 1, 2, even), 2);   // 2.5 -> 2
  EXPECT_EQ(mul_div_round(15, 1, 2, even), 8);  // 7.5 -> 8
  EXPECT_EQ(mul_div_round(5, 1, 2, up), 3);
  EXPECT_EQ(mul_div_round(-5, 1, 2, up), -3);   // half away from zero
  EXPECT_EQ(mul_div_round(-5, 1, 2, even), -2);
  EXPECT_EQ(mul_div_round(4'000'000'000'000'000'000, 4, 8, even), 2'000'000'000'000'000'000);  // 1.6e19 in between
}

TEST(DiscountBasisPoints, RoundsUpSoALimitIsNeverExceeded) {
  EXPECT_EQ(discount_basis_points(291, 2914), 999);  // 9.986 % -> 999 bp
  EXPECT_EQ(discount_basis_points(1, 3), 3334);
  EXPECT_EQ(discount_basis_points(0, 100), 0);
  EXPECT_EQ(discount_basis_points(100, 100), 10000);
}

}  // namespace
