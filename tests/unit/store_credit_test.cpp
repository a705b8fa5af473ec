// Store credit across stores (sales.hpp, balance_at_node): what a store node's note holds once
// it heard head office's balance. Every expected number is worked out in the row's comment.
#include <gtest/gtest.h>

#include "sales/sales.hpp"

using namespace backroom::sales;

namespace {

HeadOfficeCredit head_office(std::int64_t balance, std::vector<std::string> documents) {
  return HeadOfficeCredit{"SC-AAAA-BBBB-CCCC", balance, std::move(documents)};
}

}  // namespace

TEST(StoreCreditAtNode, ANoteTheNodeNeverHeldTakesHeadOfficesBalance) {
  EXPECT_EQ(balance_at_node(head_office(1000, {"r1"}), {}), 1000);
}

TEST(StoreCreditAtNode, WhatHeadOfficeHeardIsNotCountedTwice) {
  // The node issued 2000 (r1) and spent 500 (s1), both pushed; head office's register spent
  // 300 more (h1): head office says 1200, the node holds 1200, not 1200 + 1500.
  std::vector<CreditEntry> node{{"return", "r1", 2000}, {"sale", "s1", -500}};
  EXPECT_EQ(balance_at_node(head_office(1200, {"r1", "s1", "h1"}), node), 1200);
}

TEST(StoreCreditAtNode, TheNodesUnpushedDocumentsCount) {
  // s2 (-400) is still in the node's queue: 1200 - 400 = 800. v2 gives back 100 of a sale
  // head office heard of, its void not yet: 800 + 100 = 900.
  std::vector<CreditEntry> node{{"return", "r1", 2000}, {"sale", "s1", -500}, {"sale", "s2", -400}, {"void", "v2", 100}};
  EXPECT_EQ(balance_at_node(head_office(1200, {"r1", "s1", "h1"}), node), 900);
}

TEST(StoreCreditAtNode, EarlierMirrorsAreNotDocuments) {
  // A 'head_office' entry is the node's last mirror (+700): it is replaced, not added to.
  std::vector<CreditEntry> node{{"head_office", "s9", 700}, {"sale", "s9", -300}};
  EXPECT_EQ(balance_at_node(head_office(400, {"s9"}), node), 400);
}

TEST(StoreCreditAtNode, NeverBelowZero) {
  // Head office holds 100; the node's unpushed sale took 300: 100 - 300 < 0, so 0.
  std::vector<CreditEntry> node{{"sale", "s3", -300}};
  EXPECT_EQ(balance_at_node(head_office(100, {}), node), 0);
}

// Asking head office about one note (a refund to a note the node does not hold): the lookup's
// answer as it comes (holds, unknown, unreachable), nothing asked when none is installed (head
// office itself); the sale's ask keeps only the notes head office holds.
TEST(StoreCreditAtNode, HeadOfficesAnswerSaysWhetherItHoldsKnowsOrCouldNotBeAsked) {
  EXPECT_EQ(ask_head_office_about("SC-AAAA").reach, HeadOfficeReach::not_a_node);
  std::vector<std::string> asked;
  set_credit_lookup([&asked](const std::string& code) {
    asked.push_back(code);
    if (code == "SC-HELD") return HeadOfficeAnswer{HeadOfficeReach::holds, HeadOfficeCredit{code, 700, {"R1"}}};
    if (code == "SC-GONE") return HeadOfficeAnswer{HeadOfficeReach::unknown, std::nullopt};
    return HeadOfficeAnswer{HeadOfficeReach::unreachable, std::nullopt};
  });
  auto held = ask_head_office_about("sc-held");
  EXPECT_EQ(held.reach, HeadOfficeReach::holds);
  ASSERT_TRUE(held.credit);
  EXPECT_EQ(held.credit->balance, 700);
  EXPECT_EQ(ask_head_office_about("SC-GONE").reach, HeadOfficeReach::unknown);
  EXPECT_EQ(ask_head_office_about("SC-SLOW").reach, HeadOfficeReach::unreachable);
  EXPECT_EQ(ask_head_office_about("  ").reach, HeadOfficeReach::unknown);
  auto credits = ask_head_office({"SC-GONE", "SC-HELD", "sc-held", "SC-SLOW"});
  ASSERT_EQ(credits.size(), 1u);
  EXPECT_EQ(credits[0].code, "SC-HELD");
  EXPECT_EQ(asked, (std::vector<std::string>{"SC-HELD", "SC-GONE", "SC-SLOW", "SC-GONE", "SC-HELD", "SC-SLOW"}));
  set_credit_lookup(nullptr);
  EXPECT_EQ(ask_head_office_about("SC-HELD").reach, HeadOfficeReach::not_a_node);
}
