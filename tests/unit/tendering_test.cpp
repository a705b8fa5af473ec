// Tendering as tables (sales/tendering.hpp): tenders against a total and the change,
// where a refund goes back to, and what a drawer should hold per tender. Every expected
// number is worked out in the row's comment.
#include <gtest/gtest.h>

#include "platform/problem.hpp"
#include "sales/tendering.hpp"

using namespace backroom;
using namespace backroom::sales;

namespace {

constexpr auto cash = TenderType::cash;
constexpr auto card = TenderType::card;
constexpr auto credit = TenderType::store_credit;
constexpr auto exchange = TenderType::exchange_credit;

Tender t(TenderType type, std::int64_t amount, std::optional<std::string> ref = std::nullopt) {
  return Tender{type, amount, std::move(ref)};
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.code;
  }
  return "";
}

struct SettleCase {
  const char* name;
  std::int64_t total;
  std::vector<Tender> tenders;
  std::int64_t tendered, change;
  const char* problem;  // "" when it settles
};

TEST(Tendering, SettlesTendersAgainstATotal) {
  const std::vector<SettleCase> cases = {
      {"exact_cash", 1000, {t(cash, 1000)}, 1000, 0, ""},
      {"cash_with_change", 1000, {t(cash, 2000)}, 2000, 1000, ""},                  // 20.00 for 10.00: 10.00 back
      {"card_then_cash_change", 1000, {t(card, 600, "slip"), t(cash, 500)}, 1100, 100, ""},  // change 1.00 <= cash 5.00
      {"split_three_ways", 1000, {t(card, 300, "s"), t(credit, 300, "SC"), t(cash, 400)}, 1000, 0, ""},
      {"zero_total_no_tenders", 0, {}, 0, 0, ""},
      {"short", 1000, {t(cash, 999)}, 0, 0, "insufficient_tender"},
      {"card_over_total", 1000, {t(card, 1200, "slip")}, 0, 0, "change_exceeds_cash"},  // change 2.00 > cash 0
      {"change_from_the_cash_part", 1000, {t(card, 900, "s"), t(cash, 200)}, 1100, 100, ""},  // 1.00 back of 2.00 cash
      {"change_above_the_cash_part", 1000, {t(card, 1100, "s"), t(cash, 50)}, 0, 0, "change_exceeds_cash"},  // 1.50 > 0.50
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    if (*c.problem) {
      EXPECT_EQ(code_of([&] { settle_tenders(c.total, c.tenders); }), c.problem);
      continue;
    }
    auto s = settle_tenders(c.total, c.tenders);
    EXPECT_EQ(s.tendered, c.tendered);
    EXPECT_EQ(s.change, c.change);
    EXPECT_EQ(s.tenders.size(), c.tenders.size());
  }
}

TEST(Tendering, AnInsufficientTenderSaysTheTotalAndWhatWasTendered) {
  try {
    settle_tenders(1000, {t(cash, 400)});
    FAIL() << "settled";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.field, "tenders");
    EXPECT_EQ(p.extra_json, R"({"total":1000,"tendered":400})");
  }
}

TEST(Tendering, AnExchangeCreditPaysFirst) {
  auto s = settle_sale(1500, {t(cash, 1000)}, 700, std::string("ex-1"));  // 7.00 credit + 10.00 cash: 2.00 change
  ASSERT_EQ(s.tenders.size(), 2u);
  EXPECT_EQ(s.tenders[0].type, exchange);
  EXPECT_EQ(s.tenders[0].amount, 700);
  EXPECT_EQ(s.tenders[0].reference, "ex-1");
  EXPECT_EQ(s.change, 200);
  EXPECT_EQ(settle_sale(1500, {t(cash, 1500)}, 0, std::nullopt).tenders.size(), 1u);  // no credit, no tender for it
}

TEST(Tendering, RefundCapacityTakesChangeFromCashAndPutsCashLast) {
  // Sold for 50.00: cash 30.00 (change 5.00), card 25.00 -> cash may take 25.00, card 25.00; card first.
  auto cap = refund_capacity({t(cash, 3000), t(card, 2500, "slip")}, 500, {});
  ASSERT_EQ(cap.size(), 2u);
  EXPECT_EQ(cap[0].type, card);
  EXPECT_EQ(cap[0].amount, 2500);
  EXPECT_EQ(cap[1].type, cash);
  EXPECT_EQ(cap[1].amount, 2500);
}

TEST(Tendering, RefundCapacityLessEarlierRefundsByTypeAndReference) {
  // Two cards; 10.00 went back to card "b" already, and 4.00 of exchange credit (store credit) came back.
  auto cap = refund_capacity({t(card, 2000, "a"), t(card, 1500, "b"), t(exchange, 600, "ex")}, 0,
                             {Refunded{card, "b", 1000}, Refunded{credit, "ex", 400}});
  ASSERT_EQ(cap.size(), 3u);
  EXPECT_EQ(cap[0].amount, 2000);  // a untouched
  EXPECT_EQ(cap[1].amount, 500);   // b: 15.00 - 10.00
  EXPECT_EQ(cap[2].type, credit);  // an exchange credit goes back as store credit
  EXPECT_EQ(cap[2].amount, 200);   // 6.00 - 4.00
}

TEST(Tendering, PlansWhereARefundGoes) {
  struct Case {
    const char* name;
    RefundAsk ask;
    std::vector<Tender> expected;
    std::int64_t credit;
  };
  RefundAsk base;
  base.refund_total = 1000;
  auto with = [&](auto change) {
    RefundAsk a = base;
    change(a);
    return a;
  };
  const std::vector<Case> cases = {
      {"receipt_card_then_cash",
       with([](RefundAsk& a) {
         a.with_receipt = true;
         a.capacity = {t(card, 600, "slip"), t(cash, 2000)};
       }),
       {t(card, 600, "slip"), t(cash, 400)},
       0},
      {"receipt_capacity_short_rest_cash",
       with([](RefundAsk& a) {
         a.with_receipt = true;
         a.capacity = {t(card, 300, "slip")};
       }),
       {t(card, 300, "slip"), t(cash, 700)},
       0},
      {"no_receipt_default_credit_note", base, {t(credit, 1000)}, 0},
      {"no_receipt_cash_by_policy", with([](RefundAsk& a) { a.no_receipt_refund_cash = true; }), {t(cash, 1000)}, 0},
      {"to_store_credit_code",
       with([](RefundAsk& a) {
         a.to_store_credit = true;
         a.store_credit_code = "SC-AAAA";
       }),
       {t(credit, 1000, "SC-AAAA")},
       0},
      {"training_to_store_credit_names_no_note",
       with([](RefundAsk& a) {
         a.to_store_credit = true;
         a.store_credit_code = "SC-AAAA";
         a.training = true;
       }),
       {t(credit, 1000)},
       0},
      {"as_asked", with([](RefundAsk& a) { a.refund_tenders = {t(cash, 400), t(card, 600, "s")}; }),
       {t(cash, 400), t(card, 600, "s")},
       0},
      {"exchange_keeps_credit_first",  // a 6.00 sale takes 6.00 of the 10.00 refund; 4.00 back as cash
       with([](RefundAsk& a) {
         a.exchange_credit_max = 600;
         a.exchange_id = "ex-1";
         a.with_receipt = true;
         a.capacity = {t(cash, 1000)};
       }),
       {t(exchange, 600, "ex-1"), t(cash, 400)},
       600},
      {"exchange_sale_dearer_than_refund",  // the whole refund pays the sale: nothing goes back
       with([](RefundAsk& a) {
         a.exchange_credit_max = 5000;
         a.with_receipt = true;
       }),
       {t(exchange, 1000)},
       1000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto plan = plan_refund(c.ask);
    EXPECT_EQ(plan.credit, c.credit);
    ASSERT_EQ(plan.tenders.size(), c.expected.size());
    for (std::size_t i = 0; i < c.expected.size(); ++i) {
      EXPECT_EQ(plan.tenders[i].type, c.expected[i].type) << i;
      EXPECT_EQ(plan.tenders[i].amount, c.expected[i].amount) << i;
      EXPECT_EQ(plan.tenders[i].reference, c.expected[i].reference) << i;
    }
  }
}

TEST(Tendering, RefundTendersMustAddUpToTheRefund) {
  RefundAsk a;
  a.refund_total = 1000;
  a.refund_tenders = {t(cash, 900)};
  try {
    plan_refund(a);
    FAIL() << "planned";
  } catch (const Problem& p) {
    EXPECT_EQ(p.code, "invalid_field");
    EXPECT_EQ(p.field, "refund_tenders");
  }
}

TEST(Tendering, CountsADrawer) {
  // Float 100.00; cash sales 80.00 (after change); 15.00 cash refunded; paid in 5.00, out
  // 3.00, dropped 50.00: cash expected 100 + 80 - 15 + 5 - 3 - 50 = 117.00. Card 40 - 10.
  DrawerTotals d{10000,
                 {{cash, 8000}, {card, 4000}},
                 {{cash, 1500}, {card, 1000}},
                 {{CashMovementKind::paid_in, 500}, {CashMovementKind::paid_out, 300}, {CashMovementKind::safe_drop, 5000}}};
  auto x = count_drawer(d, nullptr);
  ASSERT_EQ(x.size(), 2u);  // no store credit moved: not shown
  EXPECT_EQ(x[0].type, cash);
  EXPECT_EQ(x[0].expected, 11700);
  EXPECT_FALSE(x[0].counted);
  EXPECT_EQ(x[1].type, card);
  EXPECT_EQ(x[1].expected, 3000);

  Counted counted{{"cash", 11650}, {"store_credit", 0}};  // 50 short; store credit counted, so shown
  auto z = count_drawer(d, &counted);
  ASSERT_EQ(z.size(), 3u);
  EXPECT_EQ(*z[0].counted, 11650);
  EXPECT_EQ(*z[0].over_short, -50);
  EXPECT_EQ(*z[1].counted, 0);  // card not counted: 0, 30.00 short
  EXPECT_EQ(*z[1].over_short, -3000);
  EXPECT_EQ(z[2].type, credit);
  EXPECT_EQ(z[2].expected, 0);
}

TEST(Tendering, VocabulariesReadTheirOwnWords) {
  for (auto type : {cash, card, credit, exchange}) EXPECT_EQ(tender_types.parse(word(type)), type);
  EXPECT_FALSE(tender_types.parse("Cash"));
  EXPECT_FALSE(tender_types.parse(""));
  for (auto kind : {CashMovementKind::paid_in, CashMovementKind::paid_out, CashMovementKind::safe_drop})
    EXPECT_EQ(cash_movement_kinds.parse(word(kind)), kind);
  EXPECT_EQ(word(SaleStatus::voided), "voided");
  EXPECT_EQ(word(SessionStatus::closed), "closed");
  EXPECT_EQ(parked_statuses.parse("resumed"), ParkedStatus::resumed);
}

}  // namespace
