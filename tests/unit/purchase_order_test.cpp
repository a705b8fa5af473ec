// The rules of purchase orders (purchasing/purchase_order.hpp) as tables: which act each
// status allows (and the 409 it answers), ordering in whole cases, the warnings an order
// carries, what a receipt books per line and when it passes the over-receipt tolerance,
// and which line a scanned item lands on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/problem.hpp"
#include "purchasing/purchase_order.hpp"

namespace {

using namespace backroom;
using namespace backroom::purchasing;

Quantity u(std::int64_t units) { return Quantity::units(units); }

std::string refusal(OrderStatus s, OrderAct a) {
  try {
    check_act(s, a);
    return "";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 409);
    return p.code;
  }
}

TEST(OrderStatusFlow, WhatEachStatusAllows) {
  using S = OrderStatus;
  using A = OrderAct;
  struct Row {
    S status;
    const char *edit, *send, *receive, *close, *cancel;  // "" = allowed
  };
  const Row rows[] = {
      {S::draft, "", "", "po_not_sent", "po_not_open", ""},
      {S::sent, "po_not_editable", "po_not_draft", "", "", ""},
      {S::partially_received, "po_not_editable", "po_not_draft", "", "", "po_not_cancellable"},
      {S::received, "po_not_editable", "po_not_draft", "po_closed", "po_not_open", "po_not_cancellable"},
      {S::closed, "po_not_editable", "po_not_draft", "po_closed", "po_not_open", "po_not_cancellable"},
      {S::cancelled, "po_not_editable", "po_not_draft", "po_closed", "po_not_open", "po_not_cancellable"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(word(r.status)));
    EXPECT_EQ(refusal(r.status, A::edit), r.edit);
    EXPECT_EQ(refusal(r.status, A::send), r.send);
    EXPECT_EQ(refusal(r.status, A::receive), r.receive);
    EXPECT_EQ(refusal(r.status, A::close), r.close);
    EXPECT_EQ(refusal(r.status, A::cancel), r.cancel);
  }
}

TEST(Cases, RoundsUpToWholeCases) {
  struct Row {
    std::int64_t wanted_milli, pack_milli, quantity_milli, cases;
    bool rounded;
  };
  const Row rows[] = {
      {12'000, 6'000, 12'000, 2, false},  // exactly two cases
      {10'000, 6'000, 12'000, 2, true},   // ten is rounded up to two cases of six
      {1'000, 24'000, 24'000, 1, true},   // one unit still needs a whole case
      {7'000, 1'000, 7'000, 7, false},    // sold singly
      {2'500, 1'000, 3'000, 3, true},     // a fraction of a unit rounds to the next unit
      {1'500, 500, 1'500, 3, false},      // half-kilo bags
  };
  for (const auto& r : rows) {
    auto c = to_cases(Quantity{r.wanted_milli}, Quantity{r.pack_milli}, false, "lines[0].quantity");
    EXPECT_EQ(c.quantity.milli, r.quantity_milli) << r.wanted_milli << " by " << r.pack_milli;
    EXPECT_EQ(c.cases, r.cases);
    EXPECT_EQ(c.rounded, r.rounded);
  }
}

TEST(Cases, ExactCasesRefusesAPartCase) {
  try {
    to_cases(u(10), u(6), true, "lines[2].quantity");
    FAIL() << "10 is not a whole number of cases of 6";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.code, "case_pack");
    EXPECT_EQ(p.field, "lines[2].quantity");
    EXPECT_NE(p.detail.find("order 6 or 12"), std::string::npos) << p.detail;
  }
  EXPECT_EQ(to_cases(u(12), u(6), true, "q").cases, 2);
}

TEST(LineTotal, RoundsHalfAwayFromZero) {
  EXPECT_EQ(line_total(150, u(12)), 1800);
  EXPECT_EQ(line_total(333, Quantity{500}), 167);  // 1.665 -> 1.67
  EXPECT_EQ(line_total(333, Quantity{499}), 166);  // 1.66167 -> 1.66
  EXPECT_EQ(line_total(0, u(5)), 0);
}

TEST(Warnings, EachWithItsNumbers) {
  std::vector<RoundedLine> lines{{"TEA-1", u(10), u(12), 2, u(6)}, {"TEA-2", u(6), u(6), 1, u(6)}};
  SupplierTerms terms{50'000, 80'000, {"mon", "thu"}};
  auto w = order_warnings(lines, 30'000, terms, "wed", 2);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0].code, "rounded_to_case");
  EXPECT_EQ(w[0].message, "TEA-1: 10 rounded up to 12 (2 cases of 6)");
  EXPECT_EQ(w[1].code, "below_min_order_value");
  EXPECT_NE(w[1].message.find("200.00 below"), std::string::npos) << w[1].message;
  EXPECT_EQ(w[2].code, "below_free_freight_value");
  EXPECT_NE(w[2].message.find("500.00 more"), std::string::npos) << w[2].message;
  EXPECT_EQ(w[3].code, "not_an_order_day");
  EXPECT_NE(w[3].message.find("mon, thu"), std::string::npos) << w[3].message;
}

TEST(Warnings, NoneWhenTheOrderMeetsTheTerms) {
  std::vector<RoundedLine> lines{{"TEA-2", u(6), u(6), 1, u(6)}};
  EXPECT_TRUE(order_warnings(lines, 80'000, SupplierTerms{50'000, 80'000, {"mon", "thu"}}, "thu", 2).empty());
  EXPECT_TRUE(order_warnings(lines, 1, SupplierTerms{}, "sun", 2).empty());
}

TEST(Warnings, Weekdays) {
  EXPECT_EQ(weekday_of(Timestamp{0}), "thu");                                // 1970-01-01
  EXPECT_EQ(weekday_of(Timestamp{1'796'169'600'000'000}), "wed");            // 2026-12-02
  EXPECT_EQ(weekday_of(Timestamp{1'796'169'600'000'000 + 86'400'000'000 * 4}), "sun");
  EXPECT_EQ(weekday_of(Timestamp{-1}), "wed");                               // 1969-12-31
}

// Tea: 12 ordered, 4 received so far. Cups: 6 ordered, none yet.
std::vector<OrderLine> order() {
  OrderLine tea{"LT", "tea", u(12), u(12), u(6), 150, u(4), {}, {}};
  OrderLine cups{"LC", "cups", u(6), u(6), u(6), 300, {}, {}, {}};
  return {tea, cups};
}

TEST(Receipt, BooksPerLineAndAddsRepeats) {
  auto plan = plan_receipt(order(), {{"LC", u(2), {}}, {"LT", u(3), u(1)}, {"LC", u(1), u(1)}}, 1000);
  ASSERT_EQ(plan.lines.size(), 2u);
  EXPECT_EQ(plan.lines[0].line, 0u);
  EXPECT_EQ(plan.lines[0].received, u(3));
  EXPECT_EQ(plan.lines[0].damaged, u(1));
  EXPECT_EQ(plan.lines[1].line, 1u);
  EXPECT_EQ(plan.lines[1].received, u(3));
  EXPECT_EQ(plan.lines[1].damaged, u(1));
  EXPECT_TRUE(plan.over_tolerance.empty());
  EXPECT_TRUE(plan_receipt(order(), {{"LT", {}, {}}}, 1000).lines.empty()) << "a line booking nothing is left out";
}

TEST(Receipt, Tolerance) {
  // 12 ordered, 4 in: 9 more (13 = 8.3 % over) is within 10 %; 10 more (14) is not.
  EXPECT_TRUE(plan_receipt(order(), {{"LT", u(9), {}}}, 1000).over_tolerance.empty());
  EXPECT_EQ(plan_receipt(order(), {{"LT", u(10), {}}}, 1000).over_tolerance, std::vector<std::size_t>{0});
  EXPECT_TRUE(plan_receipt(order(), {{"LT", u(10), {}}}, 2000).over_tolerance.empty()) << "the shop's own tolerance";
  EXPECT_FALSE(over_tolerance(u(10), u(11), 1000)) << "exactly 10 % over is within";
  EXPECT_TRUE(over_tolerance(u(10), Quantity{11'001}, 1000));
  EXPECT_TRUE(over_tolerance(u(10), Quantity{10'001}, 0));
}

TEST(Receipt, RefusalsNameTheField) {
  struct Row {
    std::vector<ReceiptLineInput> in;
    const char* field;
  };
  const Row rows[] = {
      {{{"LT", u(1), {}}, {"nope", u(1), {}}}, "lines[1].po_line_id"},
      {{{"LT", u(-1), {}}}, "lines[0].received"},
      {{{"LT", u(1), u(-1)}}, "lines[0].damaged"},
      {{{"LT", u(1), u(2)}}, "lines[0].damaged"},
      {{{"LT", u(line_quantity_units_max + 1), {}}}, "lines[0].received"},
      {{{"LT", u(line_quantity_units_max), {}}, {"LT", u(1), {}}}, "lines[1].received"},
  };
  for (const auto& r : rows) {
    try {
      plan_receipt(order(), r.in, 1000);
      ADD_FAILURE() << "expected a refusal naming " << r.field;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 422);
      EXPECT_EQ(p.field, r.field);
    }
  }
}

TEST(Lines, ShortOverOutstandingAndTheStatusAfter) {
  auto lines = order();
  EXPECT_EQ(lines[0].short_(), u(8));
  EXPECT_EQ(lines[0].over(), Quantity{});
  EXPECT_EQ(status_after_receipt(lines), OrderStatus::partially_received);
  lines[0].received = u(13);
  EXPECT_EQ(lines[0].short_(), Quantity{});
  EXPECT_EQ(lines[0].over(), u(1));
  lines[1].received = u(5);
  EXPECT_EQ(status_after_receipt(lines), OrderStatus::partially_received) << "one cup still to come";
  lines[1].received = u(6);
  EXPECT_EQ(status_after_receipt(lines), OrderStatus::received);
  lines[1].received = u(2);
  lines[1].cancelled = u(4);
  EXPECT_EQ(lines[1].outstanding(), Quantity{}) << "closing cancelled the rest";
  EXPECT_EQ(lines[1].short_(), u(4)) << "short stays what never came";
}

TEST(Scans, LandOnTheItemsOutstandingLine) {
  auto lines = order();
  lines.push_back(OrderLine{"LT2", "tea", u(6), u(6), u(6), 150, {}, {}, {}});
  EXPECT_EQ(line_for_item(lines, "cups"), 1u);
  EXPECT_EQ(line_for_item(lines, "tea"), 0u);
  lines[0].received = u(12);
  EXPECT_EQ(line_for_item(lines, "tea"), 2u) << "the first tea line is complete: the second gets the scan";
  lines[2].received = u(6);
  EXPECT_EQ(line_for_item(lines, "tea"), 0u) << "all complete: over-receipt lands on the first";
  EXPECT_EQ(line_for_item(lines, "sugar"), std::nullopt) << "not on the order";
}

}  // namespace
