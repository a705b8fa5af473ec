// The money of a click-and-collect order at pickup (orders/order.hpp): short refunds, what the
// online payment covers, what a dearer substitute leaves to pay at the till, and when a line
// may be offered a substitute. Each row is a worked example; the invariants hold on every row:
// online_cover + due_at_pickup = the picked amounts (the sale), online_cover + short_refund =
// what was paid online.
#include <gtest/gtest.h>

#include "orders/order.hpp"

namespace backroom::orders {
namespace {

Quantity u(std::int64_t units) { return Quantity::units(units); }

OrderLine line(const char* id, std::int64_t quantity, std::int64_t price, std::int64_t picked, std::int64_t short_units,
               std::optional<std::string> substitute_for = std::nullopt, std::int64_t credit = 0) {
  return OrderLine{id, "item", u(quantity), price, u(picked), u(short_units), std::move(substitute_for), credit};
}

Order paid(std::vector<OrderLine> lines) {
  Order o;
  o.paid_at = Timestamp{1};
  o.lines = std::move(lines);
  return o;
}

std::int64_t picked_amount(const Order& o) {
  std::int64_t total = 0;
  for (const auto& l : o.lines) total += line_amount(l.picked, l.unit_price);
  return total;
}

std::int64_t paid_online(const Order& o) {
  std::int64_t total = 0;
  for (const auto& l : o.lines)
    if (!l.substitute_for) total += line_amount(l.quantity, l.unit_price);
  return total;
}

struct Row {
  const char* what;
  Order order;
  std::int64_t refund, cover, due;
};

TEST(OrderMoney, RefundCoverAndDueOnWorkedExamples) {
  const Row rows[] = {
      {"everything picked", paid({line("a", 2, 1000, 2, 0)}), 0, 2000, 0},
      {"one unit short, no substitute: refunded", paid({line("a", 2, 1000, 1, 1)}), 1000, 1000, 0},
      {"short line replaced by a dearer substitute: 3.00 at the till",
       paid({line("a", 2, 1000, 1, 1), line("s", 1, 1300, 1, 0, "a", 1000)}), 0, 2000, 300},
      {"short line replaced by a cheaper substitute: 3.00 back",
       paid({line("a", 1, 1000, 0, 1), line("s", 1, 700, 1, 0, "a", 1000)}), 300, 700, 0},
      {"two cheaper units for one dear one: the difference back",
       paid({line("a", 1, 1100, 0, 1), line("s", 2, 500, 2, 0, "a", 1100)}), 100, 1000, 0},
      {"the substitute itself short: its whole credit back",
       paid({line("a", 1, 1000, 0, 1), line("s", 1, 1300, 0, 1, "a", 1000)}), 1000, 0, 0},
      {"declined (no substitute line): the short line refunded, the rest covered",
       paid({line("a", 2, 1200, 2, 0), line("b", 1, 800, 0, 1)}), 800, 2400, 0},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(short_refund(r.order), r.refund) << r.what;
    EXPECT_EQ(online_cover(r.order), r.cover) << r.what;
    EXPECT_EQ(due_at_pickup(r.order), r.due) << r.what;
    EXPECT_EQ(online_cover(r.order) + due_at_pickup(r.order), picked_amount(r.order)) << r.what << ": cover + due = sale";
    EXPECT_EQ(online_cover(r.order) + short_refund(r.order), paid_online(r.order)) << r.what << ": cover + refund = paid";
  }
}

TEST(OrderMoney, AnUnpaidOrderIsPaidAtTheTill) {
  Order o;
  o.lines = {line("a", 1, 1000, 0, 1), line("s", 1, 1300, 1, 0, "a", 1000)};
  EXPECT_EQ(short_refund(o), 0);
  EXPECT_EQ(online_cover(o), 0);
  EXPECT_EQ(due_at_pickup(o), 0);
}

TEST(OrderMoney, TheTotalCountsTheSubstituteInsteadOfTheShortUnits) {
  EXPECT_EQ(order_total({line("a", 2, 1000, 1, 1), line("g", 1, 1100, 0, 1), line("s", 1, 1300, 0, 0, "a", 1000)}),
            2000 + 1100 + 1300 - 1000);
  Substitution dear{"x", "o", "a", "s", u(1), 1300, 1000, SubstitutionStatus::offered, Timestamp{0}, "me", {}, {}};
  EXPECT_EQ(price_difference(dear), 300);
  Substitution cheap = dear;
  cheap.unit_price = 700;
  EXPECT_EQ(price_difference(cheap), -300);
  EXPECT_EQ(substitution_credit(line("a", 3, 999, 1, 2)), 1998);
}

TEST(OrderMoney, WhichLinesMayBeOfferedASubstitute) {
  std::vector<OrderLine> lines{line("full", 1, 1000, 1, 0), line("short", 2, 1000, 1, 1), line("taken", 1, 500, 0, 1),
                               line("sub", 1, 600, 0, 0, "taken", 500)};
  EXPECT_TRUE(substitution_refused(lines, "full").has_value()) << "nothing short";
  EXPECT_FALSE(substitution_refused(lines, "short").has_value());
  EXPECT_TRUE(substitution_refused(lines, "taken").has_value()) << "a substitute was accepted";
  EXPECT_TRUE(substitution_refused(lines, "sub").has_value()) << "a substitute is not replaced again";
  EXPECT_TRUE(substitution_refused(lines, "nope").has_value());
}

}  // namespace
}  // namespace backroom::orders
